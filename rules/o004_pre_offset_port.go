package rules

import (
	"fmt"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/rewrite"
)

// PreOffsetPort reports an MI port written as the number the listener
// shows by default (8290, 8253, 9201, 9164) rather than the configured
// base (8280, 8243, 9191, 9154). People copy the port they see in logs or
// in the docs' port table into deployment.toml, and the offset is then
// added a second time: `internal_http_api_port = 9201` runs on 9211.
var PreOffsetPort = &lint.Rule{
	Code:     "O004",
	Name:     "pre-offset-port",
	Severity: lint.Warning,
	Fix:      lint.Unsafe,
	Doc: lint.Doc{
		Title: "a configured port already includes the offset, which is then applied twice",
		Rationale: "An MI listens on `configured port + offset`, and the offset is 10 unless `-DportOffset` or " +
			"`[server] offset` says otherwise. The ports an MI shows by default are therefore 8290 (HTTP), 8253 " +
			"(HTTPS), 9201 (internal HTTP API: management API, health probes, Prometheus) and 9164 (internal HTTPS " +
			"API), while the keys that configure them default to 8280, 8243, 9191 and 9154.\n\n" +
			"Writing one of the shown numbers as the configured port adds the offset a second time: " +
			"`internal_http_api_port = 9201` runs on `9201 + 10 = 9211`, and the Kubernetes probe or load " +
			"balancer that points at 9201 finds nothing. The rule fires when a written port equals its listener's " +
			"effective default (configured default + 10) and the runtime's offset is not 0; with offset 0 the " +
			"written port is the effective port, as the author evidently meant.\n\n" +
			"EI Analytics listeners are not checked: the catalogue holds no configured defaults for them.",
		BadFile: "conf/deployment.toml",
		Bad:     "[mediation]\ninternal_http_api_port = 9201\n",
		Good:    "[mediation]\ninternal_http_api_port = 9191\n",
		FixNote: "Rewrites the port to `written - offset`, so that the listener runs on the number that was " +
			"written (`9201 - 10 = 9191`), keeping the value's quoting. Unsafe: it guesses that the written number " +
			"is the port the author wanted the server on; if 9211 was in fact intended, the fix moves the listener. " +
			"No fix when the result would be below 1 or the port comes from a placeholder.",
	},
	Check:      checkPreOffsetPort,
	Scope:      lint.HostScope,
	Containers: true,
}

func checkPreOffsetPort(p *lint.Pass) {
	for _, in := range p.Fleet.Installs {
		if in.Product != fleet.MI {
			continue
		}
		for _, rt := range in.Runtimes {
			off := rt.Offset
			if !off.Known || off.Value == 0 {
				continue
			}
			for _, l := range rt.Listeners {
				s := l.Port
				if s == nil || s.State != fleet.Known || l.Default == 0 || !l.OffsetApplies ||
					s.Int != l.Default+fleet.MIDefaultOffset {
					continue
				}
				f, sp := l.Location()
				fd := p.Reportf(f, sp, in, l.Key,
					"%d is already the effective default of the %s (%d + offset %d), yet it is written as the configured port, so the offset is applied twice: %d + offset %d = %d",
					s.Int, l.Title(), l.Default, fleet.MIDefaultOffset, s.Int, off.Value, s.Int+off.Value)
				want := s.Int - off.Value
				if want < 1 || !isLiteral(s) {
					continue
				}
				if text, ok := numberText(s, want); ok {
					fd.Fix = &lint.Fix{
						Applicability: lint.Unsafe,
						Message: fmt.Sprintf("write %d (%d - offset %d) so that the listener runs on the port written: it moves %d → %d",
							want, s.Int, off.Value, s.Int+off.Value, s.Int),
						Edits: []rewrite.Edit{{Path: s.File.Path, Start: s.Span.Start, End: s.Span.End, New: text}},
					}
				}
			}
		}
	}
}
