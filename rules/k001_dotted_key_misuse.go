package rules

import (
	"fmt"
	"slices"
	"strconv"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/tomlast"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/rewrite"
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
	Off:      false,
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
			var fix *lint.Fix
			var alt string
			if is.newKey != "" && is.blocked == "" {
				fix, alt = keepRunningFix(rt, e, is.target, is.newKey)
			}
			switch {
			case is.newKey == "":
				msg += "; WSO2 reads `" + fleet.KeyString(is.target) + "`"
			case is.blocked != "":
				msg += "; " + is.blocked
			case alt != "":
				msg += alt
			default:
				msg += "; write `" + is.newKey + "`"
			}
			fd := p.Reportf(f, e.KeySpan, rt.Install, fleet.KeyString(e.Path), "%s", msg)
			fd.Fix = fix
		}
	}
}

// keepRunningFix builds K001's fix: the rename, safe when it changes
// nothing that runs. When the listener the key means runs on another port
// than the one written (9191 + 10 = 9201 while the ignored key says 9201),
// the safe fix renames the key and writes the port the listener runs on
// now, so that the file says what runs; alt then tells how to move the
// listener as written instead, which is the author's call. For any other
// key a rename that changes what runs is unsafe.
func keepRunningFix(rt *fleet.Runtime, e *tomlast.Entry, target []string, newKey string) (fix *lint.Fix, alt string) {
	f := rt.File
	fix = renameFix(f, e.KeySpan, newKey)
	move := renameMove(rt, e, target)
	if move == "" {
		return fix, ""
	}
	var l *fleet.Listener
	for _, pt := range fleet.MIPorts {
		if fleet.EqualPath(target, pt.Key) || slices.ContainsFunc(pt.Raw, func(r []string) bool { return fleet.EqualPath(target, r) }) {
			l = miListener(rt, pt.Name)
		}
	}
	n, isNum := entryNumber(e)
	if l == nil || !l.Known || !isNum || e.Value.Kind != tomlast.Integer && e.Value.Kind != tomlast.String {
		fix.Applicability = lint.Unsafe
		fix.Message += " (" + move + ")"
		return fix, ""
	}
	runs := strconv.Itoa(l.Configured)
	fix.Edits = append(fix.Edits, rewrite.Edit{Path: f.Path, Start: e.Value.Span.Start, End: e.Value.Span.End, New: e.Value.Quote + runs + e.Value.Quote})
	fix.Message = fmt.Sprintf("rename to `%s` and write %s, where the %s runs now (%s)", newKey, runs, l.Title(), l.Arith())
	alt = fmt.Sprintf("; write `%s = %s` to say what runs, or `%s = %d` to move it (unsafe: it %s)", newKey, runs, newKey, n, move)
	return fix, alt
}
