package rules

import (
	"fmt"
	"strconv"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/rewrite"
)

// QuotedNumber reports a port or offset in a deployment.toml written as a
// numeric string ("8243"). WSO2 renders values as text, so it works; the
// rule is a style check, off by default, for teams that want numbers to
// look like numbers. EI Analytics' deployment.yaml quotes its receiver
// ports by default, so YAML files are never reported.
var QuotedNumber = &lint.Rule{
	Code:     "K005",
	Name:     "quoted-number",
	Severity: lint.Info,
	Off:      true,
	Fix:      lint.Safe,
	Doc: lint.Doc{
		Title: "a port or offset in deployment.toml is written as a string",
		Rationale: "WSO2's config mapper renders every value as text, so `listener.port = \"8280\"` and " +
			"`listener.port = 8280` open the same port: this is not a bug. Writing ports and offsets as TOML " +
			"integers keeps the file consistent with the `deployment.toml` WSO2 ships, lets TOML-aware tools " +
			"and schemas check the type, and makes a stray character (`\"8280 \"`, which fails at runtime) " +
			"stand out. The rule is off by default; select it with `--select K005` or `quoted-number`.\n\n" +
			"Only MI and MI Dashboard `deployment.toml` files are checked: in EI Analytics' " +
			"`deployment.yaml`, the data receivers' ports are quoted strings by default, and that is normal " +
			"there. A placeholder (`\"$env{MI_HTTP_PORT}\"`) is a string on purpose and is never reported.",
		BadFile: "conf/deployment.toml",
		Bad:     "[transport.http]\nlistener.secured_port = \"8243\"\n",
		Good:    "[transport.http]\nlistener.secured_port = 8243\n",
		FixNote: "Replaces the quoted string with the bare integer (`\"8243\"` becomes `8243`). Safe: WSO2 renders " +
			"both as the same text, so the server opens the same port.",
	},
	Check:      checkQuotedNumber,
	Scope:      lint.HostScope,
	Containers: true,
}

func checkQuotedNumber(p *lint.Pass) {
	seen := map[string]bool{}
	report := func(rt *fleet.Runtime, s *fleet.Setting, l *fleet.Listener) {
		if s == nil || !s.Quoted || s.State != fleet.Known || s.File.Format != fleet.TOML {
			return
		}
		// A placeholder resolved from env is Known too, but its quotes
		// are needed: only a plain decimal string is a quoted number.
		if _, ok := parseSignedDecimal(s.Raw); !ok {
			return
		}
		id := fmt.Sprintf("%s\x00%d", s.File.Path, s.Span.Start)
		if seen[id] {
			return
		}
		seen[id] = true
		num := strconv.Itoa(s.Int)
		msg := fmt.Sprintf("`%s` is the string %q: WSO2 renders it as text, so it works like the number %s", s.Key, s.Raw, num)
		switch {
		case l != nil && l.Known:
			msg += " (" + l.Arith() + ")"
		case l == nil && rt.Offset.Known && rt.Offset.Winner() == s:
			for _, ol := range rt.Listeners {
				if ol.Known && ol.OffsetApplies && !ol.Unverified {
					msg += " (" + ol.Title() + " " + ol.Arith() + ")"
					break
				}
			}
		}
		msg += ", but a TOML integer says what it is; write " + num
		fd := p.Reportf(s.File, s.Span, rt.Install, s.Key, "%s", msg)
		fd.Fix = &lint.Fix{
			Applicability: lint.Safe,
			Message:       "unquote to " + num,
			Edits:         []rewrite.Edit{{Path: s.File.Path, Start: s.Span.Start, End: s.Span.End, New: num}},
		}
	}
	for _, in := range p.Fleet.Installs {
		if in.Product != fleet.MI && in.Product != fleet.MIDashboard {
			continue
		}
		for _, rt := range in.Runtimes {
			for _, l := range rt.Listeners {
				report(rt, l.Port, l)
			}
			report(rt, rt.Offset.File, nil)
		}
	}
}

// parseSignedDecimal parses an optionally signed decimal integer, the only
// kind of string K005 unquotes.
func parseSignedDecimal(s string) (int, bool) {
	digits := s
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		digits = s[1:]
	}
	if _, ok := parseDecimalText(digits); !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	return n, err == nil
}
