package rules

import (
	"fmt"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/rewrite"
)

// ConflictingKeys reports two keys of an MI deployment.toml that WSO2's
// config mapper turns into one setting: a user-facing key and the
// internal key it is renamed to (`[transport.http] listener.secured_port`
// and `[transport.https] listener.parameter.port`), or two user-facing keys
// renamed to the same one. The mapper puts both into one map, and which of
// the two values is rendered depends on the map's order, which nothing
// specifies.
var ConflictingKeys = &lint.Rule{
	Code:     "K007",
	Name:     "conflicting-keys",
	Severity: lint.Warning,
	Fix:      lint.Safe,
	Doc: lint.Doc{
		Title: "two keys set the same setting",
		Rationale: "WSO2's config mapper renames each key of `deployment.toml` that `key-mappings.json` lists to " +
			"the internal name its templates read; `[transport.http] listener.secured_port`, for one, becomes " +
			"`transport.https.listener.parameter.port`. A file can also write the internal name itself, and the " +
			"templates read it the same way. When a file writes both, the mapper holds two values for one key and " +
			"keeps whichever its map yields last, which no release specifies: the port the listener opens is not " +
			"something the file decides. The catalogue behind `K002` knows every renaming of MI 4.0 to 4.4, so the " +
			"rule finds every such pair, port or not. wso2lint's port map takes the user-facing key, as most " +
			"people reading the file would.",
		BadFile: "conf/deployment.toml",
		Bad:     "[transport.http]\nlistener.secured_port = 8244\n\n[transport.https]\nlistener.parameter.port = 8300\n",
		Good:    "[transport.http]\nlistener.secured_port = 8244\n",
		FixNote: "When both keys hold the same value, deletes the later line: the setting is the same whichever " +
			"the mapper keeps, so nothing that runs changes. When the values differ there is no fix: which one " +
			"was meant is the author's call.",
	},
	Check: checkConflictingKeys,
	Scope: lint.HostScope,
}

func checkConflictingKeys(p *lint.Pass) {
	for _, rt := range miRuntimes(p.Fleet) {
		f := rt.File
		for _, is := range sharedKeyIssues(p, rt) {
			if is.code != "K007" {
				continue
			}
			e, prev := is.entry, is.other
			msg := fmt.Sprintf("`%s` and `%s` on line %d both set `%s`: WSO2's config mapper keeps one of the two, and which one is not specified",
				fleet.KeyString(e.Path), fleet.KeyString(prev.Path), f.Pos(prev.KeySpan.Start).Line, is.internal)
			same := prev.Value.Text == e.Value.Text
			if same {
				msg += fmt.Sprintf("; both say %s, so the line is redundant", e.Value.Text)
			} else {
				msg += fmt.Sprintf(" (%s or %s); keep the one that is meant", prev.Value.Text, e.Value.Text)
			}
			fd := p.Reportf(f, e.KeySpan, rt.Install, fleet.KeyString(e.Path), "%s", msg)
			fd.Related = []lint.Related{{File: f, Span: prev.KeySpan, Message: fmt.Sprintf("`%s` also sets `%s`", fleet.KeyString(prev.Path), is.internal)}}
			if same && !e.Inline {
				fd.Fix = &lint.Fix{
					Applicability: lint.Safe,
					Message:       fmt.Sprintf("delete the line %s", f.Src[e.Span.Start:e.Span.End]),
					Edits:         []rewrite.Edit{{Path: f.Path, Start: e.Line.Start, End: e.Line.End}},
				}
			}
		}
	}
}
