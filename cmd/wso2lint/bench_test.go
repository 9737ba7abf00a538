package main

// Benchmarks of whole runs against the parse floor (issue 5). Run them with
//
//	go test ./cmd/wso2lint -run '^$' -bench . -benchmem -count 6 | tee new.txt
//	benchstat new.txt
//
// -short leaves out the 10,000-install fleet. BenchmarkFleetShapes runs the
// floor and the lint on every shape internal/fleetgen makes (the corpus
// shape only when ../shared/corpus is there). Each fleet is generated once
// (internal/fleetgen, fixed seed) into $WSO2LINT_BENCH_DIR, by default
// $TMPDIR/wso2lint-bench, and reused by later runs; generation is never
// timed. Timings are only ever reported, never asserted.

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pelletier/go-toml/v2"
	"gopkg.in/yaml.v3"

	"github.com/wso2lint/wso2lint/internal/fleetgen"
)

// benchSeed and benchGenVersion name the generated fleets on disk; bump
// the version when fleetgen's output changes.
const (
	benchSeed       = 1
	benchGenVersion = 2
)

// benchFleet returns the directory of a generated fleet of n installs and
// its size in bytes, generating it the first time.
func benchFleet(b *testing.B, n int) (string, int64) {
	return benchFleetShape(b, n, fleetgen.ShapeDefault)
}

// benchFleetShape is benchFleet for a fleetgen shape.
func benchFleetShape(b *testing.B, n int, shape string) (string, int64) {
	b.Helper()
	root := os.Getenv("WSO2LINT_BENCH_DIR")
	if root == "" {
		root = filepath.Join(os.TempDir(), "wso2lint-bench")
	}
	name := fmt.Sprintf("fleet-n%d-seed%d-v%d", n, benchSeed, benchGenVersion)
	if shape != fleetgen.ShapeDefault {
		name += "-" + shape
	}
	dir := filepath.Join(root, name)
	stamp := filepath.Join(dir, ".complete")
	if _, err := os.Stat(stamp); err != nil {
		if err := os.RemoveAll(dir); err != nil {
			b.Fatal(err)
		}
		st, err := fleetgen.Generate(dir, fleetgen.Config{Installs: n, Seed: benchSeed, Shape: shape, CorpusDir: corpusDir})
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(stamp, []byte(st.String()+"\n"), 0o644); err != nil {
			b.Fatal(err)
		}
	}
	var size int64
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasPrefix(d.Name(), "deployment.") {
			return err
		}
		fi, err := d.Info()
		if err == nil {
			size += fi.Size()
		}
		return err
	})
	if err != nil {
		b.Fatal(err)
	}
	return dir, size
}

func benchSizes(b *testing.B) []int {
	if testing.Short() {
		return []int{100, 1000}
	}
	return []int{100, 1000, 10000}
}

// BenchmarkFleet measures, per fleet size, the parse floor and whole
// command runs: the full lint with every rule on, and the fix loop behind
// --diff (safe fixes, and with --unsafe-fixes).
func BenchmarkFleet(b *testing.B) {
	for _, n := range benchSizes(b) {
		dir, size := benchFleet(b, n)
		b.Run(fmt.Sprintf("n=%d/floor", n), func(b *testing.B) {
			b.SetBytes(size)
			b.ReportAllocs()
			defer reportCPU(b)()
			for b.Loop() {
				parseFloor(b, dir)
			}
		})
		for _, c := range []struct {
			name string
			args []string
			code int
		}{
			{"lint", []string{"--select", "ALL"}, exitFindings},
			{"diff", []string{"--select", "ALL", "--diff"}, exitFindings},
			{"diff-unsafe", []string{"--select", "ALL", "--diff", "--unsafe-fixes"}, exitFindings},
		} {
			b.Run(fmt.Sprintf("n=%d/%s", n, c.name), func(b *testing.B) {
				b.SetBytes(size)
				b.ReportAllocs()
				defer reportCPU(b)()
				for b.Loop() {
					benchRun(b, dir, c.code, append(c.args, "--no-config", ".")...)
				}
			})
		}
	}
}

// BenchmarkFleetShapes measures the parse floor and the lint on each
// fleet shape: the fallback shape is the worst case of the YAML fast path,
// the corpus shape real files (skipped without ../shared/corpus).
func BenchmarkFleetShapes(b *testing.B) {
	for _, shape := range fleetgen.Shapes {
		if shape == fleetgen.ShapeCorpus {
			if _, err := os.Stat(corpusDir); err != nil {
				continue
			}
		}
		for _, n := range benchSizes(b) {
			dir, size := benchFleetShape(b, n, shape)
			b.Run(fmt.Sprintf("%s/n=%d/floor", shape, n), func(b *testing.B) {
				b.SetBytes(size)
				b.ReportAllocs()
				defer reportCPU(b)()
				for b.Loop() {
					parseFloor(b, dir)
				}
			})
			b.Run(fmt.Sprintf("%s/n=%d/lint", shape, n), func(b *testing.B) {
				b.SetBytes(size)
				b.ReportAllocs()
				defer reportCPU(b)()
				for b.Loop() {
					benchRun(b, dir, -1, "--select", "ALL", "--no-config", ".")
				}
			})
			b.Run(fmt.Sprintf("%s/n=%d/ratio", shape, n), func(b *testing.B) {
				pairedRatio(b, func() { parseFloor(b, dir) }, func() {
					benchRun(b, dir, -1, "--select", "ALL", "--no-config", ".")
				})
			})
		}
	}
}

// pairedRatio runs base and run one after the other, each iteration a
// pair, each from a collected heap, and reports run's wall and CPU time over base's (the sums over the
// pairs) as lint/floor and lint/floor-cpu: on a machine whose speed drifts,
// a pair measured moments apart holds better than two benchmarks run
// minutes apart.
func pairedRatio(b *testing.B, base, run func()) {
	var baseWall, runWall, baseCPU, runCPU time.Duration
	for b.Loop() {
		for i, f := range []func(){base, run} {
			// Each starts from a collected heap: what the other left
			// would be collected on its time.
			b.StopTimer()
			runtime.GC()
			b.StartTimer()
			start, cpu := time.Now(), cpuTime()
			f()
			wall, used := time.Since(start), cpuTime()-cpu
			if i == 0 {
				baseWall, baseCPU = baseWall+wall, baseCPU+used
			} else {
				runWall, runCPU = runWall+wall, runCPU+used
			}
		}
	}
	if baseWall > 0 {
		b.ReportMetric(float64(runWall)/float64(baseWall), "lint/floor")
	}
	if baseCPU > 0 {
		b.ReportMetric(float64(runCPU)/float64(baseCPU), "lint/floor-cpu")
	}
}

// BenchmarkSingleFile measures a pre-commit run on one staged file: the
// install's whole host is loaded, only that file's findings reported.
func BenchmarkSingleFile(b *testing.B) {
	dir, _ := benchFleet(b, 100)
	b.ReportAllocs()
	defer reportCPU(b)()
	for b.Loop() {
		benchRun(b, dir, -1, "--select", "ALL", "--no-config", "dc-01/host-0001/mi-1/deployment.toml")
	}
}

// reportCPU starts measuring the CPU time the process uses; the function
// it returns reports it per operation as cpu-ns/op, which a busy machine
// disturbs less than ns/op.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		if d := cpuTime() - start; d > 0 && b.N > 0 {
			b.ReportMetric(float64(d.Nanoseconds())/float64(b.N), "cpu-ns/op")
		}
	}
}

// benchRun runs the command in-process, output discarded; code < 0 accepts
// any exit code but 2 and 3.
func benchRun(b *testing.B, dir string, code int, args ...string) {
	var errb bytes.Buffer
	got := run(args, env{
		stdin: strings.NewReader(""), stdout: io.Discard, stderr: &errb,
		getenv: func(string) string { return "" }, workDir: dir,
	})
	if got != code && (code >= 0 || got >= exitUsage) {
		b.Fatalf("exit %d, want %d: %s", got, code, errb.String())
	}
}

// parseFloor is what any linter of the fleet must at least do: find the
// deployment files, read them, and parse them with the stock libraries
// (TOML into map[string]any, YAML into a yaml.Node) on GOMAXPROCS workers.
func parseFloor(b *testing.B, dir string) {
	var paths []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if name := d.Name(); !d.IsDir() && (name == "deployment.toml" || name == "deployment.yaml") {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	work := make(chan string)
	var wg sync.WaitGroup
	var failed atomic.Int64
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range work {
				src, err := os.ReadFile(p)
				if err == nil {
					if strings.HasSuffix(p, ".toml") {
						var m map[string]any
						err = toml.Unmarshal(src, &m)
					} else {
						var n yaml.Node
						err = yaml.Unmarshal(src, &n)
					}
				}
				if err != nil {
					failed.Add(1) // a seeded defect (a duplicate key)
				}
			}
		}()
	}
	for _, p := range paths {
		work <- p
	}
	close(work)
	wg.Wait()
	if n := failed.Load(); n > int64(len(paths)/20) {
		b.Fatalf("%d of %d files failed to parse", n, len(paths))
	}
}
