package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wso2lint/wso2lint/fleet"
)

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 4213: "4,213", 10000: "10,000", 1234567: "1,234,567", -1234: "-1,234"} {
		if got := thousands(n); got != want {
			t.Errorf("thousands(%d) = %q, want %q", n, got, want)
		}
	}
}

// syncBuffer is a bytes.Buffer safe for the progress goroutine.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func TestStartProgress(t *testing.T) {
	defer func(d, e time.Duration) { progressDelay, progressEvery = d, e }(progressDelay, progressEvery)
	progressDelay, progressEvery = time.Millisecond, time.Millisecond
	var w syncBuffer
	var p fleet.Progress
	p.Total.Store(10000)
	p.Done.Store(4213)
	stop := startProgress(&w, &p)
	deadline := time.Now().Add(10 * time.Second)
	for !strings.Contains(w.String(), "loading 4,213/10,000 files…") {
		if time.Now().After(deadline) {
			t.Fatalf("no progress line: %q", w.String())
		}
		time.Sleep(time.Millisecond)
	}
	p.Done.Store(10000)
	for !strings.Contains(w.String(), "linting 10,000 files…") {
		if time.Now().After(deadline) {
			t.Fatalf("no linting line: %q", w.String())
		}
		time.Sleep(time.Millisecond)
	}
	stop()
	stop() // a second stop is harmless
	out := w.String()
	if !strings.HasPrefix(out, "\r\033[K") || !strings.HasSuffix(out, "\r\033[K") {
		t.Errorf("progress lines are not rewritten in place and cleared at the end: %q", out)
	}
	if strings.Contains(out, "\n") {
		t.Errorf("progress wrote a line break: %q", out)
	}

	// A run that ends before the delay shows nothing.
	progressDelay = time.Hour
	var quiet syncBuffer
	startProgress(&quiet, &p)()
	if quiet.String() != "" {
		t.Errorf("a short run showed %q", quiet.String())
	}
}

func TestWantProgress(t *testing.T) {
	text := []outputSpec{{format: "text"}}
	for _, tc := range []struct {
		name  string
		tty   bool
		quiet bool
		specs []outputSpec
		want  bool
	}{
		{"terminal", true, false, text, true},
		{"not a terminal", false, false, text, false},
		{"quiet", true, true, text, false},
		{"json on stdout", true, false, []outputSpec{{format: "json"}}, false},
		{"sarif to a file, text on stdout", true, false, []outputSpec{{format: "text"}, {format: "sarif", path: "x.sarif"}}, true},
	} {
		if got := wantProgress(env{stderrTTY: tc.tty}, tc.quiet, tc.specs); got != tc.want {
			t.Errorf("%s: wantProgress = %v, want %v", tc.name, got, tc.want)
		}
	}
}

// TestProgressLeavesOutputAlone runs a lint as on a terminal with an
// instant progress line: stdout and the exit code are what they are
// without it.
func TestProgressLeavesOutputAlone(t *testing.T) {
	defer func(d, e time.Duration) { progressDelay, progressEvery = d, e }(progressDelay, progressEvery)
	progressDelay, progressEvery = 0, time.Millisecond
	abs, err := filepath.Abs(filepath.Join("..", "..", "testdata", "examples"))
	if err != nil {
		t.Fatal(err)
	}
	want, _, wantCode := runIn(t, abs, "fleet")
	var out, errb bytes.Buffer
	code := run([]string{"fleet"}, env{
		stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
		getenv: func(string) string { return "" }, workDir: abs, stderrTTY: true,
	})
	if code != wantCode || out.String() != want {
		t.Errorf("exit %d, stdout %q with progress; %d, %q without", code, out.String(), wantCode, want)
	}
	if s := errb.String(); strings.Contains(s, "files…") && !strings.Contains(s, "files…\r\033[K") {
		t.Errorf("the progress line is not cleared before the summary: %q", s)
	}
}

func TestCPUProfileFlag(t *testing.T) {
	abs, err := filepath.Abs(filepath.Join("..", "..", "testdata", "examples"))
	if err != nil {
		t.Fatal(err)
	}
	prof := filepath.Join(t.TempDir(), "cpu.pprof")
	if _, errs, code := runIn(t, abs, "--cpuprofile", prof, "fleet"); code >= exitUsage {
		t.Fatalf("exit %d: %s", code, errs)
	}
	b, err := os.ReadFile(prof)
	if err != nil {
		t.Fatal(err)
	}
	if len(b) < 2 || b[0] != 0x1f || b[1] != 0x8b {
		t.Errorf("%s is not a gzipped pprof profile (%d bytes)", prof, len(b))
	}
	if _, errs, code := runIn(t, abs, "--cpuprofile", filepath.Join(t.TempDir(), "no", "such", "dir", "x"), "fleet"); code != exitUsage {
		t.Errorf("an uncreatable profile file: exit %d, want %d: %s", code, exitUsage, errs)
	}
}
