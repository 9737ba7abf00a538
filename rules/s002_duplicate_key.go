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
			"merge or a copy-paste: the finding is at the later occurrence, with every other occurrence " +
			"related, so that you can keep the one you meant.",
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

// reportDuplicate reports every occurrence after the first, each with all
// other occurrences related.
func reportDuplicate(p *lint.Pass, f *fleet.File, in *fleet.Install, key string, spans []srcpos.Span) {
	for i := 1; i < len(spans); i++ {
		var where []string
		var rel []lint.Related
		for j, s := range spans {
			if j == i {
				continue
			}
			pos := f.Pos(s.Start)
			where = append(where, fmt.Sprintf("line %d", pos.Line))
			rel = append(rel, lint.Related{File: f, Span: s, Message: fmt.Sprintf("%q also defined here", key)})
		}
		fd := p.Reportf(f, spans[i], in, key, "%q is defined more than once (also on %s)", key, strings.Join(where, ", "))
		fd.Related = rel
	}
}
