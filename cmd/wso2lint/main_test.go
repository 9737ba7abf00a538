package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// runIn runs the command in-process with dir as working directory and
// returns stdout, stderr and the exit code.
func runIn(t *testing.T, dir string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(string) string { return "" }, workDir: dir,
	})
	return out.String(), errb.String(), code
}

// jsonFinding is a finding of a --format json report, as the tests read
// it.
type jsonFinding struct {
	Code       string `json:"code"`
	File       string `json:"file"`
	Message    string `json:"message"`
	Line       int    `json:"line"`
	Column     int    `json:"column"`
	EndLine    int    `json:"end_line"`
	EndColumn  int    `json:"end_column"`
	Suppressed bool   `json:"suppressed"`
	Fix        *struct {
		Applicability string `json:"applicability"`
		Message       string `json:"message"`
		Edits         []struct {
			File  string `json:"file"`
			Start int    `json:"start"`
			End   int    `json:"end"`
		} `json:"edits"`
	} `json:"fix"`
}

// golden compares got with the file, or rewrites it under -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/wso2lint -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs (run with -update to accept):\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

// scenarioArgs reads a scenario's args file: one argument per line;
// "fleet" when absent.
func scenarioArgs(t *testing.T, dir string) []string {
	b, err := os.ReadFile(filepath.Join(dir, "args"))
	if os.IsNotExist(err) {
		return []string{"fleet"}
	}
	if err != nil {
		t.Fatal(err)
	}
	var args []string
	for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			args = append(args, l)
		}
	}
	return args
}

// TestScenarios runs every fixture fleet under testdata/scenarios and the
// example fleet, comparing text, json and ports output with golden files
// kept beside each fleet.
func TestScenarios(t *testing.T) {
	dirs, err := filepath.Glob(filepath.Join("..", "..", "testdata", "scenarios", "*"))
	if err != nil {
		t.Fatal(err)
	}
	dirs = append(dirs, filepath.Join("..", "..", "testdata", "examples"))
	for _, dir := range dirs {
		if fi, err := os.Stat(filepath.Join(dir, "fleet")); err != nil || !fi.IsDir() {
			continue
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			abs, err := filepath.Abs(dir)
			if err != nil {
				t.Fatal(err)
			}
			args := scenarioArgs(t, abs)
			for _, format := range []string{"text", "json"} {
				out, errOut, code := runIn(t, abs, append([]string{"--format", format}, args...)...)
				golden(t, filepath.Join(abs, format+".golden"),
					fmt.Sprintf("%s--- stderr\n%s--- exit %d\n", out, errOut, code))
			}
			var portArgs []string
			for _, a := range args {
				if !strings.HasPrefix(a, "-") && a != "ALL" {
					portArgs = append(portArgs, a)
				}
			}
			out, errOut, code := runIn(t, abs, append([]string{"ports"}, portArgs...)...)
			golden(t, filepath.Join(abs, "ports.golden"), fmt.Sprintf("%s--- stderr\n%s--- exit %d\n", out, errOut, code))
		})
	}
}
