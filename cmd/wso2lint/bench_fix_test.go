package main

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/wso2lint/wso2lint/internal/fleetgen"
)

// Benchmarks of the fix loop where it works hardest, and of the port map
// (issue 12). Run them with
//
//	go test ./cmd/wso2lint -run '^$' -bench 'BenchmarkFix|BenchmarkPorts' -benchmem -count 6
//
// Peak memory is the whole process's: see the README's performance
// section for the /usr/bin/time runs.

// benchDefectFleet returns the directory of a generated fleet of n
// installs in which every install has a seeded defect (fleetgen
// DefectRate 1), generating it the first time.
func benchDefectFleet(b *testing.B, n int) string {
	b.Helper()
	root := os.Getenv("WSO2LINT_BENCH_DIR")
	if root == "" {
		root = filepath.Join(os.TempDir(), "wso2lint-bench")
	}
	dir := filepath.Join(root, fmt.Sprintf("fleet-n%d-seed%d-defects1-v%d", n, benchSeed, benchGenVersion))
	stamp := filepath.Join(dir, ".complete")
	if _, err := os.Stat(stamp); err != nil {
		if err := os.RemoveAll(dir); err != nil {
			b.Fatal(err)
		}
		st, err := fleetgen.Generate(dir, fleetgen.Config{Installs: n, Seed: benchSeed, DefectRate: 1})
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(stamp, []byte(st.String()+"\n"), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir
}

// BenchmarkFix measures, on fleets where every install has a defect, the
// lint (which judges the safe fixes as --fix would), --diff, and
// --diff --unsafe-fixes, whose loop is the one --fix --unsafe-fixes runs
// before writing: many fixes clash or would cause a new finding there, and
// each must be isolated without judging the whole batch again.
func BenchmarkFix(b *testing.B) {
	for _, n := range benchSizes(b) {
		if n < 1000 {
			continue
		}
		dir := benchDefectFleet(b, n)
		for _, c := range []struct {
			name string
			args []string
		}{
			{"lint", []string{"--select", "ALL"}},
			{"diff", []string{"--select", "ALL", "--diff"}},
			{"diff-unsafe", []string{"--select", "ALL", "--diff", "--unsafe-fixes"}},
		} {
			b.Run(fmt.Sprintf("n=%d/defects=1/%s", n, c.name), func(b *testing.B) {
				b.ReportAllocs()
				defer reportCPU(b)()
				for b.Loop() {
					benchRun(b, dir, exitFindings, append(c.args, "--no-config", ".")...)
				}
			})
		}
	}
}

// BenchmarkPorts measures `wso2lint ports` beside the lint of the same
// fleet: the map is built host by host as the lint is.
func BenchmarkPorts(b *testing.B) {
	for _, n := range benchSizes(b) {
		if n < 1000 {
			continue
		}
		dir, size := benchFleet(b, n)
		for _, c := range []struct {
			name string
			args []string
			code int
		}{
			{"lint", []string{"--select", "ALL", "--no-config", "."}, exitFindings},
			{"ports", []string{"ports", "--no-config", "."}, exitOK},
		} {
			b.Run(fmt.Sprintf("n=%d/%s", n, c.name), func(b *testing.B) {
				b.SetBytes(size)
				b.ReportAllocs()
				defer reportCPU(b)()
				for b.Loop() {
					benchRun(b, dir, c.code, c.args...)
				}
			})
		}
	}
}
