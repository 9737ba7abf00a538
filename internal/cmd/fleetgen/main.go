// Command fleetgen writes a synthetic fleet of WSO2 installs for benchmarks
// and manual performance runs:
//
//	go run ./internal/cmd/fleetgen -n 10000 -seed 1 /tmp/fleet-10k
//	go run ./internal/cmd/fleetgen -n 10000 -shape fallback /tmp/fleet-10k-fallback
//
// The same -n and -seed always write the same bytes.
package main

import (
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/wso2lint/wso2lint/internal/fleetgen"
)

func main() {
	n := flag.Int("n", 1000, "number of installs")
	seed := flag.Uint64("seed", 1, "random seed")
	perHost := flag.Int("per-host", 8, "installs per host")
	eiShare := flag.Float64("ei-share", 0.10, "share of EI Analytics installs (negative: none)")
	defects := flag.Float64("defects", 0.01, "share of installs with a seeded defect (negative: none)")
	shape := flag.String("shape", fleetgen.ShapeDefault, "what the files are like: "+strings.Join(fleetgen.Shapes, ", ")+
		" (fallback: YAML forms the fast path leaves to yaml.v3; corpus: real files from -corpus)")
	corpus := flag.String("corpus", "../shared/corpus", "folder of real deployment files for -shape corpus")
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "Usage: fleetgen [flags] DIR")
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	st, err := fleetgen.Generate(flag.Arg(0), fleetgen.Config{
		Installs: *n, Seed: *seed, PerHost: *perHost, EIShare: *eiShare, DefectRate: *defects,
		Shape: *shape, CorpusDir: *corpus,
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "fleetgen:", err)
		os.Exit(1)
	}
	fmt.Println(st)
}
