package rules

import (
	"fmt"
	"path/filepath"
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/linttest"
	"github.com/wso2lint/wso2lint/rewrite"
)

func TestZZScratch(t *testing.T) {
	dirs, _ := filepath.Glob("../testdata/scenarios/*/fleet")
	dirs = append(dirs, "../testdata/examples/fleet")
	mine := []*lint.Rule{OffsetOutOfRange, ConflictingOffsets, RedundantOffset, PreOffsetPort, DuplicatePort, DuplicatePortInInstall, PrivilegedPort, EphemeralPort, RandomJMXPort}
	for _, d := range dirs {
		abs, _ := filepath.Abs(d)
		fl, err := fleet.Load(nil, fleet.Options{WorkDir: abs})
		if err != nil {
			t.Fatal(err)
		}
		fmt.Println("=====", d)
		for _, r := range mine {
			var out []*lint.Finding
			r.Check(lint.NewPass(fl, r, &out))
			lint.Sort(out)
			for _, f := range out {
				fmt.Println(linttest.Describe(f))
				for _, rl := range f.Related {
					fmt.Printf("    related %s:%d %s\n", rl.File.Path, rl.File.Pos(rl.Span.Start).Line, rl.Message)
				}
				if f.Fix != nil {
					b, _ := rewrite.Apply(f.File.Src, f.Fix.Edits)
					_ = b
					fmt.Printf("    fix %s: %v\n", f.Fix.Message, f.Fix.Edits)
				}
			}
		}
	}
}
