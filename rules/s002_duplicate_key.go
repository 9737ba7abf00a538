package rules

import (
	"fmt"
	"strings"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/srcpos"
	"github.com/wso2lint/wso2lint/lint"
)

// DuplicateKey reports a TOML key or table defined twice, or a YAML
// mapping key repeated.
var DuplicateKey = &lint.Rule{
	Code:     "S002",
	Name:     "duplicate-key",
	Severity: lint.Error,
	Doc: lint.Doc{
		Title: "a key or table is defined more than once",
		Rationale: "TOML forbids defining a key or a table twice, and WSO2's TOML parser stops the server " +
			"at start-up when it happens. In YAML a repeated mapping key is silently resolved to one of " +
			"the values, so one of the two settings is ignored without a word. Both usually come from a " +
			"merge or a copy-paste: the finding is at the later occurrence, with the other occurrences " +
			"related (the first three; the message counts the rest), so that you can keep the one you meant.",
		BadFile: "conf/deployment.toml",
		Bad:     "[server]\nhostname = \"localhost\"\n\n[server]\noffset = 1\n",
		Good:    "[server]\nhostname = \"localhost\"\noffset = 1\n",
	},
	Check: checkDuplicateKey,
	Scope: lint.HostScope,
}

func checkDuplicateKey(p *lint.Pass) {
	for _, f := range p.Fleet.Files {
		in := p.Fleet.InstallOf(f)
		switch {
		case f.TOML != nil:
			for _, d := range f.TOML.Duplicates {
				reportDuplicate(p, f, in, fleet.KeyString(d.Path), d.Spans)
			}
		case f.YAML != nil:
			for _, d := range f.YAML.Duplicates {
				reportDuplicate(p, f, in, d.Path, d.Spans)
			}
		}
	}
}

// reportDuplicate reports every occurrence after the first, each with the
// other occurrences related: the first three of them, the rest counted, so
// that a key repeated thousands of times (a few kilobytes of file) does not
// make the report grow with the square of the repetitions.
func reportDuplicate(p *lint.Pass, f *fleet.File, in *fleet.Install, key string, spans []srcpos.Span) {
	for i := 1; i < len(spans); i++ {
		var where []string
		var rel []lint.Related
		for j, s := range spans {
			if j == i {
				continue
			}
			if len(where) == maxListed {
				break
			}
			pos := f.Pos(s.Start)
			where = append(where, fmt.Sprintf("line %d", pos.Line))
			rel = append(rel, lint.Related{File: f, Span: s, Message: fmt.Sprintf("%q also defined here", key)})
		}
		also := strings.Join(where, ", ")
		if more := len(spans) - 1 - len(where); more == 1 {
			also += " and 1 more line"
		} else if more > 1 {
			also += fmt.Sprintf(" and %d more lines", more)
		}
		fd := p.Reportf(f, spans[i], in, key, "%q is defined more than once (also on %s)", key, also)
		fd.Related = rel
	}
}
