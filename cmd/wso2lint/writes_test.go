package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/wso2lint/wso2lint/rewrite"
)

// runEnv runs the command in-process with dir as working directory and
// the given environment variables.
func runEnv(t *testing.T, dir string, vars map[string]string, args ...string) (string, string, int) {
	t.Helper()
	var out, errb bytes.Buffer
	code := run(args, env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(k string) string { return vars[k] }, workDir: dir,
	})
	return out.String(), errb.String(), code
}

// TestUsageErrorsWriteNothing checks that every mistake in what a run is
// to read or write is found before --fix writes anything: exit 2, a
// message naming the culprit, and not a byte changed on disk. Before, an
// empty PATH rewrote the whole working directory, and a missing baseline
// or an unwritable output was found only after the fixes were written.
func TestUsageErrorsWriteNothing(t *testing.T) {
	files := map[string]string{
		"h/b/conf/deployment.toml": "[server]\nhostname = \"b\"\n[transport.http]\nlistener.port = \"8280\"\n",
		"corrupt.json":             `{"version": 1, "findings": [`,
		"notes.txt":                "hand-written notes, not a baseline\n",
		"ro.json":                  "{}\n",
	}
	fixArgs := []string{"--fix", "--select", "K005", "--fail-level", "info"}
	tests := []struct {
		name   string
		args   []string
		vars   map[string]string
		errHas string
	}{
		{"empty path", []string{""}, nil, "empty PATH argument"},
		{"empty path among others", []string{"h", ""}, nil, "empty PATH argument"},
		{"empty --config", []string{"--config", "", "h"}, nil, "--config: empty value"},
		{"empty --baseline", []string{"--baseline=", "h"}, nil, "--baseline: empty value"},
		{"empty --write-baseline", []string{"--write-baseline", " ", "h"}, nil, "--write-baseline: empty value"},
		{"missing baseline", []string{"--baseline", "missing.json", "h"}, nil, "--baseline missing.json: no such file"},
		{"corrupt baseline", []string{"--baseline", "corrupt.json", "h"}, nil, "corrupt.json"},
		{"baseline is a directory", []string{"--baseline", "h", "h"}, nil, "not a regular file (a directory)"},
		{"write-baseline over a non-baseline", []string{"--write-baseline", "notes.txt", "h"}, nil, "not overwritten"},
		{"write-baseline into a missing directory", []string{"--write-baseline", "nodir/b.json", "h"}, nil, "--write-baseline"},
		{"output into a missing directory", []string{"--output", "json:nodir/out.json", "h"}, nil, "--output json:nodir/out.json"},
		{"output over a directory", []string{"--output", "sarif:h", "h"}, nil, "is a directory"},
		{"output over a read-only file", []string{"--output", "json:ro.json", "h"}, nil, "read-only"},
		{"unwritable step summary", []string{"h"}, map[string]string{"GITHUB_ACTIONS": "true", "GITHUB_STEP_SUMMARY": "nodir/summary.md"}, "GITHUB_STEP_SUMMARY"},
		{"config is a device", []string{"--config", os.DevNull, "h"}, nil, "not a regular file"},
		{"cpuprofile into a missing directory", []string{"--cpuprofile", "nodir/cpu.out", "h"}, nil, "--cpuprofile"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if runtime.GOOS == "windows" && strings.Contains(tt.name, "device") {
				t.Skip("no devices on Windows")
			}
			dir := writeTree(t, files)
			chmod(t, filepath.Join(dir, "ro.json"), 0o444)
			before := snapshot(t, dir)
			_, stderr, code := runEnv(t, dir, tt.vars, append(append([]string{}, fixArgs...), tt.args...)...)
			if code != exitUsage {
				t.Errorf("exit %d, want 2; stderr:\n%s", code, stderr)
			}
			if !strings.Contains(stderr, tt.errHas) {
				t.Errorf("stderr does not say %q:\n%s", tt.errHas, stderr)
			}
			compareSnapshots(t, before, snapshot(t, dir), nil)
		})
	}
}

// TestWriteBaselineOverEmptyFile checks that an empty file (touch) may be
// made a baseline: it holds nothing to lose.
func TestWriteBaselineOverEmptyFile(t *testing.T) {
	dir := writeTree(t, map[string]string{"h/a/conf/deployment.toml": "[server]\nhostname = \"a\"\n", "b.json": ""})
	if _, stderr, code := runIn(t, dir, "--write-baseline", "b.json", "h"); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "b.json"))
	if err != nil || !strings.Contains(string(b), `"version": 1`) {
		t.Errorf("b.json = %q, %v", b, err)
	}
}

// TestStdinOverLimit checks that standard input larger than max-file-size
// is an S003 finding, as the same bytes on disk are, and not silently cut
// to the limit and linted as if whole.
func TestStdinOverLimit(t *testing.T) {
	dir := writeTree(t, map[string]string{".wso2lint.yaml": "max-file-size: 1KiB\n"})
	src := "[server]\nhostname = \"a\"\n" + strings.Repeat("# padding\n", 200)
	var out, errb bytes.Buffer
	code := run([]string{"--stdin-filename", "h/a/conf/deployment.toml", "--format", "concise"}, env{
		stdin: strings.NewReader(src), stdout: &out, stderr: &errb,
		getenv: func(string) string { return "" }, workDir: dir,
	})
	if code != exitFindings || !strings.Contains(out.String(), "S003") || !strings.Contains(out.String(), "larger than the 1024-byte limit") {
		t.Errorf("exit %d, stdout:\n%s\nstderr:\n%s", code, out.String(), errb.String())
	}
}

// failWriter fails every write, like a full disk behind a redirection.
type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// TestStdoutWriteError checks that a failed write of the report is an
// error (exit 2 naming standard output) for --statistics too, whose write
// errors were ignored.
func TestStdoutWriteError(t *testing.T) {
	dir := writeTree(t, twoMIs)
	for _, args := range [][]string{{"--statistics", "."}, {"."}, {"--format", "json", "."}} {
		var errb bytes.Buffer
		code := run(args, env{
			stdin: strings.NewReader(""), stdout: failWriter{}, stderr: &errb,
			getenv: func(string) string { return "" }, workDir: dir,
		})
		if code != exitUsage || !strings.Contains(errb.String(), "writing standard output: no space left on device") {
			t.Errorf("%q: exit %d, stderr:\n%s", args, code, errb.String())
		}
	}
}

// TestPanicIsInternalError checks that a panic anywhere in a run is exit 3
// with the panic and a stack on stderr, not a crash with Go's status 2.
func TestPanicIsInternalError(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"h/b/conf/deployment.toml": "[server]\nhostname = \"b\"\n[transport.http]\nlistener.port = \"8280\"\n",
	})
	saved := commitFile
	commitFile = func(*rewrite.Staged) error { panic("injected fault") }
	t.Cleanup(func() { commitFile = saved })
	_, stderr, code := runIn(t, dir, "--fix", "--select", "K005", "h")
	if code != exitInternal || !strings.Contains(stderr, "internal error (please report it): panic: injected fault") ||
		!strings.Contains(stderr, "goroutine") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
}

// TestOutputToStandardStreams checks that --output to /dev/stdout or
// /dev/stderr writes to the process's streams: replacing the file behind
// them, as an atomic write would, lost a log that stdout appended to.
func TestOutputToStandardStreams(t *testing.T) {
	dir := writeTree(t, twoMIs)
	stdout, stderr, code := runIn(t, dir, "--quiet", "--output", "json:/dev/stdout", "--output", "concise:/dev/stderr", ".")
	if code != exitFindings {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.HasPrefix(stdout, "{") || strings.Contains(stdout, "error[P001]") {
		t.Errorf("stdout should hold the JSON report alone:\n%s", stdout)
	}
	if !strings.Contains(stderr, "h/b/conf/deployment.toml:1:1: error: ") || !strings.Contains(stderr, "[P001]") {
		t.Errorf("stderr should hold the concise report:\n%s", stderr)
	}
}

// TestFixRemovesStaleTemps checks that --fix removes the temporary copy a
// killed run left beside a config, even where it has nothing to fix, and
// leaves a fresh one (perhaps a run in progress) alone.
func TestFixRemovesStaleTemps(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"h/a/conf/deployment.toml":                  "[server]\nhostname = \"a\"\n",
		"h/a/conf/.deployment.toml.wso2lint-481516": "[server]\npassword = \"secret\"\n",
		"h/a/conf/.deployment.toml.wso2lint-2342":   "[server]\npassword = \"secret\"\n",
	})
	old := time.Now().Add(-2 * rewrite.StaleAfter)
	stale := filepath.Join(dir, "h/a/conf/.deployment.toml.wso2lint-481516")
	if err := os.Chtimes(stale, old, old); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := runIn(t, dir, "--fix", "h"); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("stale temporary file still there: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "h/a/conf/.deployment.toml.wso2lint-2342")); err != nil {
		t.Errorf("fresh temporary file removed: %v", err)
	}
}

// TestOutputFailsAfterFix makes the --output file's directory vanish
// while --fix writes: the run exits 2 naming the report, and still says
// what --fix wrote, which is on disk whatever failed after it.
func TestOutputFailsAfterFix(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"h/b/conf/deployment.toml": "[server]\nhostname = \"b\"\n[transport.http]\nlistener.port = \"8280\"\n",
		"reports/keep":             "",
	})
	saved := commitFile
	commitFile = func(s *rewrite.Staged) error {
		if err := os.RemoveAll(filepath.Join(dir, "reports")); err != nil {
			return err
		}
		return s.Commit()
	}
	t.Cleanup(func() { commitFile = saved })
	_, stderr, code := runIn(t, dir, "--fix", "--select", "K005", "--output", "json:reports/out.json", "h")
	if code != exitUsage || !strings.Contains(stderr, "--output json:reports/out.json") || !strings.Contains(stderr, "Fixed 1 problem") {
		t.Errorf("exit %d, stderr:\n%s", code, stderr)
	}
	b, err := os.ReadFile(filepath.Join(dir, "h/b/conf/deployment.toml"))
	if err != nil || !strings.Contains(string(b), "listener.port = 8280") {
		t.Errorf("the fix is not on disk: %q, %v", b, err)
	}
}
