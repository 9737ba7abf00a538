//go:build unix

package main

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"
)

// hostileDir names an install directory with everything a file name may
// hold to attack a terminal or a GitHub Actions log: a newline followed by
// a forged annotation, a stop-commands that would hide the real ones, an
// old-style ##[ command in mid-line, a carriage return, ANSI and OSC
// escape sequences, a C1 CSI and a bidirectional override.
const hostileDir = "mi\n::error file=forged.toml,line=1::forged annotation\n" +
	"::stop-commands::hidden\r::warning::cr forged ##[add-mask]secret" +
	"\x1b[2J\x1b]0;pwned\x07\u009b31m\u202egnp.exe"

// runnerCommands reads a step's log as the GitHub runner does: lines
// split at CR and LF; a command is a line that starts with "::" once
// leading blanks are trimmed, or that holds "##[name...]"; while commands
// are stopped only the stop token resumes them. It returns the commands
// the runner would act on and whether it ends stopped.
func runnerCommands(log string) (cmds []string, stopped bool) {
	registered := map[string]bool{}
	for _, c := range []string{"error", "warning", "notice", "debug", "group", "endgroup", "add-mask", "echo",
		"save-state", "set-output", "set-env", "add-path", "add-matcher", "remove-matcher", "stop-commands"} {
		registered[c] = true
	}
	token := ""
	v2 := regexp.MustCompile(`^::([^: ]*)(?: ([^:]*))?::(.*)$`)
	v1 := regexp.MustCompile(`##\[([^\] ]*)[^\]]*\](.*)$`)
	for _, line := range strings.FieldsFunc(log, func(r rune) bool { return r == '\r' || r == '\n' }) {
		name, props, data := "", "", ""
		if m := v2.FindStringSubmatch(strings.TrimLeft(line, " \t\u00a0")); m != nil && (registered[m[1]] || (token != "" && strings.EqualFold(m[1], token))) {
			name, props, data = m[1], m[2], m[3]
		} else if m := v1.FindStringSubmatch(line); m != nil && (registered[m[1]] || (token != "" && strings.EqualFold(m[1], token))) {
			name, data = m[1], m[2]
		} else {
			continue
		}
		switch {
		case token != "":
			if strings.EqualFold(name, token) {
				token = ""
			}
		case name == "stop-commands":
			token = data
		default:
			cmds = append(cmds, name+" "+props)
		}
	}
	return cmds, token != ""
}

// TestHostileNamesEveryFormat feeds a fleet whose install directory and
// config key carry terminal escapes and forged workflow commands through
// every format, under GitHub Actions, and checks that the runner would
// act on no command but the real annotations, and that nothing in the
// output can drive a terminal.
func TestHostileNamesEveryFormat(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{"mi-a", hostileDir} {
		p := filepath.Join(dir, "h", name, "conf", "deployment.toml")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Skipf("file system refuses the name: %v", err)
		}
		src := "[server]\nhostname = \"x\"\n[transport.http]\n\"port\x1b[31m::warning::k\u202e\" = 1\n"
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	summary := filepath.Join(dir, "summary.md")
	vars := map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": summary}
	for _, format := range lintFormats {
		t.Run(format, func(t *testing.T) {
			stdout, stderr, code := runEnv(t, dir, vars, "--format", format, "--select", "ALL", "h")
			if code != exitFindings {
				t.Fatalf("exit %d; stderr:\n%s", code, stderr)
			}
			cmds, stopped := runnerCommands(stdout + "\n" + stderr)
			if stopped {
				t.Errorf("the log ends with commands stopped: the real annotations after it would be lost")
			}
			if len(cmds) == 0 {
				t.Errorf("no annotations at all")
			}
			for _, c := range cmds {
				if !regexp.MustCompile(`^(error|warning|notice) file=h/mi`).MatchString(c) {
					t.Errorf("the runner would act on %q", c)
				}
			}
			for _, out := range []string{stdout, stderr} {
				for i, r := range out {
					if (r < 0x20 && r != '\n' && r != '\t' && r != '\r') || r == 0x7f || (r >= 0x80 && r <= 0x9f) ||
						r == 0x202e || (r == utf8.RuneError && !strings.HasPrefix(out[i:], "\ufffd")) {
						t.Errorf("raw %U at byte %d of output: %q", r, i, out[max(0, i-40):min(len(out), i+20)])
						break
					}
				}
				if strings.Contains(out, "\r") && format != "checkstyle" && format != "junit" {
					t.Errorf("raw carriage return in output")
				}
			}
		})
	}
	for _, format := range []string{"table", "json", "csv", "markdown"} {
		t.Run("ports "+format, func(t *testing.T) {
			stdout, stderr, code := runEnv(t, dir, vars, "ports", "--format", format, "h")
			if code != exitOK {
				t.Fatalf("exit %d; stderr:\n%s", code, stderr)
			}
			if !strings.Contains(stdout, "gnp.exe") {
				t.Fatalf("the hostile install is not listed:\n%s", stdout)
			}
			if cmds, stopped := runnerCommands(stdout + "\n" + stderr); len(cmds) > 0 || stopped {
				t.Errorf("the runner would act on %q (stopped at end: %v)", cmds, stopped)
			}
			for i, r := range stdout {
				if (r < 0x20 && r != '\n' && r != '\t' && r != '\r') || r == 0x7f || (r >= 0x80 && r <= 0x9f) || r == 0x202e {
					t.Errorf("raw %U at byte %d of output", r, i)
					break
				}
			}
		})
	}
	b, err := os.ReadFile(summary)
	if err != nil {
		t.Fatal(err)
	}
	if bytes.ContainsAny(b, "\x1b\u009b\u202e") {
		t.Errorf("step summary holds raw escapes")
	}
}
