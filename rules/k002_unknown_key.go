package rules

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wso2lint/wso2lint/catalog"
	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/tomlast"
	"github.com/wso2lint/wso2lint/lint"
)

// UnknownKey reports a table or key of an MI deployment.toml that no MI
// release reads, and a key of an EI Analytics port mapping that EI
// Analytics does not read. WSO2's config mapper renames the keys it knows
// and passes every other key through unchanged, and MI ships an empty
// validator.json: a mis-keyed setting is accepted without a word and the
// server runs as if it were not there. The MI catalogue is generated from
// WSO2's own config-tool files, so a key that any release reads is never
// called unknown.
var UnknownKey = &lint.Rule{
	Code:     "K002",
	Name:     "unknown-key",
	Severity: lint.Warning,
	Fix:      lint.Unsafe,
	Doc: lint.Doc{
		Title: "a table or key is not one that WSO2 reads",
		Rationale: "WSO2's config mapper renames the keys of `deployment.toml` that `key-mappings.json` lists, " +
			"fills in defaults, and renders Jinja2 templates into the files the server reads; a key that no " +
			"mapping renames and no template or code reads is passed through and has no effect. MI ships an " +
			"empty `validator.json`, so nothing checks the keys: `[server] portOffset = 30` is accepted without a " +
			"word, the offset stays at the built-in 10, and the install runs on 8290, 8253, 9201 and 9164, where " +
			"it may collide with another install on the host. `[Server]`, `[transports.http]` or " +
			"`listener.enabled` are ignored the same way.\n\n" +
			"Every table and key of an MI `deployment.toml` is checked against a catalogue generated from WSO2's " +
			"config-tool files of MI 4.0 to 4.4 (key mappings, defaults, inference rules, templates, including the " +
			"tables the templates loop over such as `[synapse_properties]`, and arrays of tables such as " +
			"`[[datasource]]`) and from the keys MI's code reads directly (`[dashboard_config]`, " +
			"`[[service_catalog]]`, …). An unknown table is reported once, at its header. A key that a `$ref{…}` " +
			"placeholder of the file names is a variable and is in use. Without `mi-version` in `.wso2lint.yaml` " +
			"(or the install's `updates/product.txt`, or a directory named `wso2mi-4.2.0`), a key that any of 4.0 " +
			"to 4.4 reads is valid; with " +
			"it, a key that release does not read is reported with the releases that do. The message offers the " +
			"key that matches after ignoring case and `-`, `_`, `.` (and the aliases of `offset`), else the " +
			"closest keys of the same table, else the same key in its right table (`[monitoring] offset` → " +
			"`[server] offset`). Keys WSO2's files name but nothing reads are `K006`'s.\n\n" +
			"In an EI Analytics `deployment.yaml` the rule looks at the listener configurations, data receiver " +
			"properties and `wso2.carbon.ports`, where unknown keys are ignored the same way, and at offsets written " +
			"elsewhere under `wso2.carbon` (`wso2.carbon.offset`, `wso2.carbon.port.offset`): Carbon reads the " +
			"offset from `wso2.carbon.ports.offset` only.",
		BadFile: "conf/deployment.toml",
		Bad:     "[server]\nhostname = \"mi-2.example.com\"\nportOffset = 30\n",
		Good:    "[server]\nhostname = \"mi-2.example.com\"\noffset = 30\n",
		FixNote: "When exactly one key WSO2 reads matches after normalising case and `-`, `_`, `.` and camelCase " +
			"(and the known aliases of `offset`), the fix renames the key to it, keeping the value, comments " +
			"and spacing. The rename is safe only when nothing that runs changes: the value is the one already " +
			"in effect (the listener's port, the offset, or the key's default). Otherwise it is unsafe, because " +
			"the setting starts to take effect, and its message says what moves " +
			"(`moves the HTTP pass-through listener 8290 → 8320`). A key only a few edits away gets a " +
			"did-you-mean and no fix, since the intent is a guess; nor is a fix offered when the right key is " +
			"already set, as the rename would write it twice.",
	},
	Check:      checkUnknownKey,
	Scope:      lint.HostScope,
	Containers: true,
}

func checkUnknownKey(p *lint.Pass) {
	for _, rt := range miRuntimes(p.Fleet) {
		f := rt.File
		for _, is := range sharedKeyIssues(p, rt) {
			if is.code != "K002" {
				continue
			}
			if is.header != nil {
				msg := "`" + headerText(is.header) + "` is not a table WSO2 reads: the config mapper ignores it and every key in it " +
					"without a warning, so they have no effect"
				if len(is.suggest) > 0 {
					msg += "; did you mean " + quoteList(is.suggest, "or") + "?"
				}
				p.Reportf(f, is.header.Header, rt.Install, is.table, "%s", msg)
				continue
			}
			e := is.entry
			msg := "`" + fleet.KeyString(e.Path) + "` is not a key WSO2 reads " + inTable(e.Table) + ": the config mapper ignores it without a warning, "
			if is.entryInfo != nil {
				msg = fmt.Sprintf("`%s` is not read by MI %s, the release of %s: it is %s in %s, so it has no effect here",
					fleet.KeyString(e.Path), catalog.ShortRelease(rt.Install.Release), rt.Install.Root,
					is.entryInfo.Why(), is.entryInfo.Releases.Describe())
				p.Reportf(f, e.KeySpan, rt.Install, fleet.KeyString(e.Path), "%s", msg)
				continue
			}
			var cons string
			if is.target != nil {
				n, ok := entryNumber(e)
				cons = ignoredConsequence(rt, is.target, n, ok)
			} else {
				cons = "so it has no effect"
			}
			msg += cons
			switch {
			case is.target != nil && is.newKey == "":
				msg += "; WSO2 reads `" + fleet.KeyString(is.target) + "`"
			case is.target != nil && is.blocked != "":
				msg += "; " + is.blocked
			case is.target != nil:
				msg += "; write `" + is.newKey + "`"
			case len(is.suggest) > 0:
				msg += "; did you mean " + quoteList(is.suggest, "or") + "?"
			case mentionsPort(e.Path[len(e.Path)-1]) && portTable(is.table):
				msg += "; " + portKeysHint(is.table, strings.Join(e.Path[len(strings.Split(is.table, ".")):], "."))
			case mentionsPort(e.Path[len(e.Path)-1]):
				msg += "; MI's listener ports are set in [transport.http] (`listener.port`, `listener.secured_port`) and " +
					"[mediation] (`internal_http_api_port`, `internal_https_api_port`), its offset in [server]"
			}
			fd := p.Reportf(f, e.KeySpan, rt.Install, fleet.KeyString(e.Path), "%s", msg)
			if is.target != nil && is.newKey != "" && is.blocked == "" {
				// A rename that makes a setting take effect changes
				// what runs: unsafe, and the message says the move.
				fd.Fix = renameFix(f, e.KeySpan, is.newKey)
				if move := renameMove(rt, e, is.target); move != "" {
					fd.Fix.Applicability = lint.Unsafe
					fd.Fix.Message += " (" + move + ")"
				}
			}
		}
	}
	for _, rt := range eiRuntimes(p.Fleet) {
		f := rt.File
		for _, is := range eiKeyIssues(rt) {
			msg := "`" + is.key + "` is not a key EI Analytics reads in " + is.where + ": it is ignored without a warning, "
			if is.offset && (is.target == "offset" || len(is.suggest) == 1 && is.suggest[0] == "ports.offset") && rt.Offset.File == nil {
				msg += fmt.Sprintf("so the %s runtime keeps its built-in offset %d", rt.Name, rt.Offset.Value)
				for _, l := range rt.Listeners {
					if l.Known && !l.Unverified && l.OffsetApplies {
						msg += " and the " + l.Title() + " is on " + l.Arith()
						break
					}
				}
			} else {
				msg += "so it has no effect"
			}
			switch {
			case is.target != "" && is.blocked != "":
				msg += "; " + is.blocked
			case is.target != "":
				msg += "; write `" + is.target + "`"
			case len(is.suggest) > 0:
				msg += "; did you mean " + quoteList(is.suggest, "or") + "?"
			case is.offset:
				msg += "; the only key WSO2 reads there is `offset`"
			case len(is.portKeys) == 1:
				msg += "; the port key there is `" + is.portKeys[0] + "`"
			default:
				msg += "; the port keys there are " + quoteList(is.portKeys, "and")
			}
			fd := p.Reportf(f, is.span, rt.Install, is.key, "%s", msg)
			if is.target != "" && is.blocked == "" && is.fixable {
				// Keep the author's quoting of the key.
				text := is.target
				if q := f.Src[is.span.Start]; q == '"' || q == '\'' {
					text = string(q) + text + string(q)
				}
				fd.Fix = renameFix(f, is.span, text)
				fd.Fix.Message = "rename to `" + is.target + "`"
			}
		}
	}
}

// portTable reports whether an MI table sets ports or the offset.
func portTable(table string) bool {
	return fleet.PortKeysOf(table) != nil
}

// inTable names the table a key is written in, for messages.
func inTable(t *tomlast.Table) string {
	if t == nil {
		return "at the top level"
	}
	return "in " + headerText(t)
}

// headerText writes a table's header: [server], [[datasource]].
func headerText(t *tomlast.Table) string {
	if t.Array {
		return "[[" + fleet.KeyString(t.Path) + "]]"
	}
	return "[" + fleet.KeyString(t.Path) + "]"
}

// renameMove says what starts to run differently when a key that WSO2
// ignores is renamed to target, the key it reads: "moves the HTTP
// pass-through listener 8290 → 8320", or "`x` becomes 5 instead of its
// default 10". It returns "" when nothing changes, which makes the rename
// safe: the file then says what already runs.
func renameMove(rt *fleet.Runtime, e *tomlast.Entry, target []string) string {
	n, isNum := entryNumber(e)
	if fleet.EqualPath(target, fleet.MIOffsetKey) {
		o := rt.Offset
		if !isNum || !o.Known {
			return "the offset it writes takes effect"
		}
		if n == o.Value {
			return ""
		}
		var moves []string
		for _, l := range rt.Listeners {
			if l.Known && l.OffsetApplies && !l.Unverified {
				moves = append(moves, fmt.Sprintf("%s %d → %d", l.Title(), l.Effective, l.At(n)))
			}
		}
		if o.Winner() != nil && o.Winner().Key == "-DportOffset" {
			return fmt.Sprintf("offset %d is written, though -DportOffset decides while it is set", n)
		}
		return "moves the " + strings.Join(moves, ", the ")
	}
	for _, pt := range fleet.MIPorts {
		if !fleet.EqualPath(target, pt.Key) && !slices.ContainsFunc(pt.Raw, func(r []string) bool { return fleet.EqualPath(target, r) }) {
			continue
		}
		l := miListener(rt, pt.Name)
		switch {
		case l == nil || !l.Known || !isNum:
			return "the port it writes takes effect"
		case n == l.Configured:
			return ""
		}
		return fmt.Sprintf("moves the %s %d → %d", l.Title(), l.Effective, l.Effective-l.Configured+n)
	}
	r := catalog.MI().Lookup(catalog.Path(target), rt.Install.Release)
	if r.Entry != nil && r.Entry.Default != "" && strings.EqualFold(e.Value.Text, r.Entry.Default) {
		return ""
	}
	if r.Entry != nil && r.Entry.Default != "" {
		return fmt.Sprintf("`%s` becomes %s instead of its default %s", fleet.KeyString(target), e.Value.Text, r.Entry.Default)
	}
	return "the value it writes takes effect"
}

// portKeysHint names the port keys of an MI port table for a key that
// matches none of them: "the port keys WSO2 reads in [mediation] are
// `internal_http_api_port` and `internal_https_api_port`", or where the
// offset belongs when the key is about an offset.
func portKeysHint(table, key string) string {
	if table != "server" && strings.Contains(strings.ToLower(key), "offset") {
		return "the offset is set in [server] as `offset`"
	}
	if table == "server" {
		return "[server] sets no port, only `offset`; listener ports are set in [transport.http] and [mediation]"
	}
	return "the port keys WSO2 reads in [" + table + "] are " + quoteList(fleet.PortKeysOf(table), "and")
}
