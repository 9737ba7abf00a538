package main

// Start-up cost of a one-file pre-commit run (issue 12: under 20 ms from
// process start to exit). Run the benchmarks with
//
//	go test ./cmd/wso2lint -run '^$' -bench 'OneFile' -benchtime 200x -count 6
//
// BenchmarkOneFile runs the command in-process, so it leaves out what a
// process pays once (package initialisation, the runtime's start);
// BenchmarkOneFileProcess builds the command and runs it as a process, as
// pre-commit does, and reports its CPU time (user + system) beside the wall
// time.

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/wso2lint/wso2lint/internal/lazyre"
)

// oneFile is the staged file of the one-file runs: an MI of a host of
// eight installs, three of them EI Analytics, in a 1,000-install fleet.
const oneFile = "dc-01/host-0001/mi-1/deployment.toml"

// TestLazyRegexpsCompile compiles every regular expression the command's
// packages compile on first use (internal/lazyre), so that a bad one fails
// here rather than on the first input that reaches it.
func TestLazyRegexpsCompile(t *testing.T) {
	if err := lazyre.CompileAll(); err != nil {
		t.Fatal(err)
	}
}

// BenchmarkOneFile runs `wso2lint --select ALL FILE` on one MI file of a
// 1,000-install fleet in-process: the host of the file is loaded, every
// rule runs, the file's findings are reported.
func BenchmarkOneFile(b *testing.B) {
	dir, _ := benchFleet(b, 1000)
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		benchRun(b, dir, -1, "--select", "ALL", oneFile)
	}
}

// BenchmarkOneFileProcess is BenchmarkOneFile as a process of its own, the
// way the pre-commit hook runs it: start-up included.
func BenchmarkOneFileProcess(b *testing.B) {
	dir, _ := benchFleet(b, 1000)
	goTool, err := exec.LookPath("go")
	if err != nil {
		b.Skip("no go command to build wso2lint with")
	}
	bin := filepath.Join(b.TempDir(), "wso2lint")
	if out, err := exec.Command(goTool, "build", "-o", bin, ".").CombinedOutput(); err != nil {
		b.Fatalf("go build: %v\n%s", err, out)
	}
	var cpu time.Duration
	for b.Loop() {
		cmd := exec.Command(bin, "--select", "ALL", oneFile)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "NO_COLOR=1")
		if err := cmd.Run(); err != nil {
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() >= exitUsage {
				b.Fatalf("%v", err)
			}
		}
		cpu += cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime()
	}
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
}
