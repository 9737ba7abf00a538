package rules

import (
	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
)

// DottedKeyMisuse reports a TOML dotted key that spells a flat key WSO2
// reads, such as `[mediation] internal.http.api.port`. TOML turns each dot
// into a nested table, so the setting lands on a path that no WSO2
// template reads, and the config mapper ignores it without a word; WSO2's
// own page on changing the default ports prints this spelling.
var DottedKeyMisuse = &lint.Rule{
	Code:     "K001",
	Name:     "dotted-key-misuse",
	Severity: lint.Error,
	Fix:      lint.Safe,
	Doc: lint.Doc{
		Title: "a dotted key spells a flat key that WSO2 reads",
		Rationale: "In TOML every unquoted dot in a key opens a nested table: `internal.http.api.port = 9201` " +
			"under `[mediation]` is the key `mediation.internal.http.api.port`, four levels deep. WSO2's config " +
			"mapper only knows `mediation.internal_http_api_port` (and the raw " +
			"`[synapse_properties] 'internal.http.api.port'`, a single quoted key), and it ignores unknown keys " +
			"silently, because MI ships an empty `validator.json`. The server starts, and the listener stays on " +
			"its default port plus the offset: 9191 + 10 = 9201, whatever the file says.\n\n" +
			"WSO2's own documentation page on changing the default ports prints the dotted spelling, which is " +
			"why it is common. The rule compares every key's full path with the keys WSO2 reads, reading dots " +
			"as underscores; a dotted key that WSO2 does read, such as `[transport.http] listener.port`, is " +
			"fine.",
		BadFile: "conf/deployment.toml",
		Bad:     "[mediation]\ninternal.http.api.port = 9201\n",
		Good:    "[mediation]\ninternal_http_api_port = 9191\n",
		FixNote: "Renames the key to the spelling WSO2 reads, relative to its table (`internal_http_api_port`, " +
			"or `'internal.http.api.port'` under `[synapse_properties]`); comments and spacing stay as written. " +
			"The fix is safe because nothing that runs changes: when the listener runs on another port than the " +
			"dotted key writes — WSO2's page prints `internal.http.api.port = 9201`, and the listener runs on " +
			"9191 + 10 = 9201 — the fix also writes the configured port it runs on now (`9191`), so the file says " +
			"what runs. Moving the listener to the written value instead (`= 9201`, which runs on 9211) is the " +
			"author's call: the message shows the move. For a key that is not a port, a rename that changes what " +
			"runs (a value other than the default) is unsafe. No fix is offered when the key WSO2 reads is already " +
			"set (the rename would write it twice, which stops WSO2 at start-up) or when the dotted key sits under " +
			"a table that the right key does not belong to.",
	},
	Check:      checkDottedKeyMisuse,
	Scope:      lint.HostScope,
	Containers: true,
}

func checkDottedKeyMisuse(p *lint.Pass) {
	for _, rt := range miRuntimes(p.Fleet) {
		f := rt.File
		for _, is := range sharedKeyIssues(p, rt) {
			if is.code != "K001" {
				continue
			}
			e := is.entry
			n, ok := entryNumber(e)
			msg := "`" + fleet.KeyString(e.Path) + "` is a dotted key: TOML makes it a nested table that WSO2 never reads, " +
				ignoredConsequence(rt, is.target, n, ok)
			var fix, alt *lint.Fix
			var note string
			if is.newKey != "" && is.blocked == "" {
				fix, alt, note = keepRunningFix(rt, e, is.target, is.newKey)
			}
			switch {
			case is.newKey == "":
				msg += "; WSO2 reads `" + fleet.KeyString(is.target) + "`"
			case is.blocked != "":
				msg += "; " + is.blocked
			case note != "":
				msg += note
			default:
				msg += "; write `" + is.newKey + "`"
			}
			fd := p.Reportf(f, e.KeySpan, rt.Install, fleet.KeyString(e.Path), "%s", msg)
			fd.Fix = fix
			if alt != nil {
				fd.Alternatives = []*lint.Fix{alt}
			}
		}
	}
}
