package main

import (
	"path/filepath"
	"runtime"
	"testing"

	"github.com/wso2lint/wso2lint/internal/fleetgen"
)

// TestOutputIndependentOfScheduling runs the same lint, fix diff and
// ports listing of a generated fleet with 1, 2 and 8 workers, several
// times each, and wants the same bytes every time: files are read and
// hosts linted in whatever order the workers finish, and nothing of that
// order may reach the output.
func TestOutputIndependentOfScheduling(t *testing.T) {
	// 120 installs (15 hosts), or 40 with -short: .ci/run runs the race
	// detector with -short, after the full size ran without it.
	installs := 120
	if testing.Short() {
		installs = 40
	}
	dir := t.TempDir()
	if _, err := fleetgen.Generate(filepath.Join(dir, "fleet"), fleetgen.Config{Installs: installs, Seed: 7, DefectRate: 0.2}); err != nil {
		t.Fatal(err)
	}
	runs := [][]string{
		{"--select", "ALL", "--no-config", "--format", "json", "fleet"},
		{"--select", "ALL", "--no-config", "--diff", "--unsafe-fixes", "fleet"},
		{"ports", "--no-config", "--format", "json", "fleet"},
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, args := range runs {
		var first string
		for _, procs := range []int{1, 2, 8, 8} {
			runtime.GOMAXPROCS(procs)
			out, errOut, code := runIn(t, dir, args...)
			if code != exitFindings && code != exitOK {
				t.Fatalf("%v: exit %d\n%s", args, code, errOut)
			}
			got := out + errOut
			if first == "" {
				if len(out) < 1000 {
					t.Fatalf("%v: too little output to compare:\n%s", args, got)
				}
				first = got
			} else if got != first {
				t.Errorf("%v with GOMAXPROCS=%d differs from the first run", args, procs)
			}
		}
	}
}
