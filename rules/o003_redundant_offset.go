package rules

import (
	"fmt"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/rewrite"
)

// RedundantOffset reports `[server] offset = 10`, the value an MI uses
// anyway. It is off by default: writing the default out is harmless and
// some teams prefer it explicit, but others want every line of
// deployment.toml to change something.
var RedundantOffset = &lint.Rule{
	Code:     "O003",
	Name:     "redundant-offset",
	Severity: lint.Info,
	Off:      true,
	Fix:      lint.Safe,
	Doc: lint.Doc{
		Title: "[server] offset repeats the built-in default of 10",
		Rationale: "An MI without `-DportOffset` and without `[server] offset` runs with offset 10 " +
			"(`carbon.xml` renders `server.offset | default('10')`), so `offset = 10` changes no port: HTTP stays " +
			"`8280 + 10 = 8290`. The rule is off by default; select it (`--select O003`) if you want " +
			"deployment.toml to hold only settings that differ from the defaults.\n\n" +
			"It is not reported when a start-up `-DportOffset` is passed: the file's offset is then overridden " +
			"anyway, which `conflicting-offsets` (O002) reports when the values differ.",
		BadFile: "conf/deployment.toml",
		Bad:     "[server]\nhostname = \"localhost\"\noffset = 10\n",
		Good:    "[server]\nhostname = \"localhost\"\n",
		FixNote: "Deletes the `offset` line, its trailing comment and its line break; comments on the lines around " +
			"it stay. Safe: the built-in default takes over with the same value, so no port moves.",
	},
	Check:      checkRedundantOffset,
	Scope:      lint.HostScope,
	Containers: true,
}

func checkRedundantOffset(p *lint.Pass) {
	for _, in := range p.Fleet.Installs {
		if in.Product != fleet.MI {
			continue
		}
		for _, rt := range in.Runtimes {
			off := rt.Offset
			s := off.File
			if s == nil || len(off.Startup) > 0 || !isLiteral(s) || s.Int != fleet.MIDefaultOffset {
				continue
			}
			msg := fmt.Sprintf("offset %d is the built-in default: without this line every port stays the same", s.Int)
			if l := exampleListener(rt); l != nil {
				msg += fmt.Sprintf(" (the %s stays on %d + offset %d = %d)", l.Title(), l.Configured, s.Int, l.Configured+s.Int)
			}
			f := p.Reportf(s.File, s.KeySpanToValue(), in, s.Key, "%s", msg)
			if e := offsetEntry(rt.File); e != nil && !e.Inline {
				f.Fix = &lint.Fix{
					Applicability: lint.Safe,
					Message:       fmt.Sprintf("delete the line %s", rt.File.Src[e.Span.Start:e.Span.End]),
					Edits:         []rewrite.Edit{{Path: rt.File.Path, Start: e.Line.Start, End: e.Line.End}},
				}
			}
		}
	}
}
