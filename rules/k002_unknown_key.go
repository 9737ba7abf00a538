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

// UnknownKey reports a key that WSO2 does not read in a table or mapping
// that sets ports or the offset, when it looks like a port or offset key:
// it normalises to a known key, is a short edit away from a port key, or
// mentions a port or an offset. WSO2 ignores unknown keys without a word,
// so such a key leaves the port at its default. Other unknown keys are
// left alone until a complete catalogue of WSO2's keys exists: a false
// positive costs more than a miss.
var UnknownKey = &lint.Rule{
	Code:     "K002",
	Name:     "unknown-key",
	Severity: lint.Warning,
	Off:      false,
	Fix:      lint.Unsafe,
	Doc: lint.Doc{
		Title: "a port or offset key is not one that WSO2 reads",
		Rationale: "WSO2's config mapper renames the keys it knows and passes every other key through " +
			"unchanged; a key has an effect only if some template reads it. MI ships an empty " +
			"`validator.json`, so nothing checks the keys: `[server] portOffset = 30` is accepted without a " +
			"word, the offset stays at the built-in 10, and the install runs on 8290, 8253, 9201 and 9164, " +
			"where it may collide with another install on the host. Common mis-keys are `portOffset`, " +
			"`port_offset` and `port-offset` for `offset`, and `internal-https-api-port` for " +
			"`internal_https_api_port`.\n\n" +
			"The rule looks at `[server]`, `[mediation]`, `[transport.http]` and the port keys of " +
			"`[synapse_properties]` in an MI's `deployment.toml`, and at the listener configurations, data " +
			"receiver properties and `wso2.carbon.ports` of an EI Analytics `deployment.yaml`, where unknown " +
			"keys are ignored the same way. A key is reported when WSO2 does not read it there and it either " +
			"normalises (case, `-`, `_`, `.`, camelCase) to a key WSO2 reads, is at most three edits from a port " +
			"or offset key, or mentions `port` or `offset`. Other unknown keys are not reported: the catalogue " +
			"of every key WSO2 reads is not complete, and a false alarm costs more than a miss.",
		BadFile: "conf/deployment.toml",
		Bad:     "[server]\nhostname = \"mi-2.example.com\"\nportOffset = 30\n",
		Good:    "[server]\nhostname = \"mi-2.example.com\"\noffset = 30\n",
		FixNote: "When exactly one key WSO2 reads matches after normalising case and `-`, `_`, `.` and camelCase " +
			"(and the known aliases of `offset`), the fix renames the key to it, keeping the value, comments " +
			"and spacing. Safe: the file then says what its author wrote, although the setting starts to take " +
			"effect, which the safety net re-checks for new port conflicts. A key that is only a few edits away " +
			"from a known one gets a did-you-mean in the message and no fix, since the intent is a guess; nor " +
			"is a fix offered when the right key is already set, as the rename would write it twice.",
	},
	Check: checkUnknownKey,
	Scope: lint.HostScope,
}

func checkUnknownKey(p *lint.Pass) {
	for _, rt := range miRuntimes(p.Fleet) {
		f := rt.File
		for _, is := range sharedKeyIssues(p, rt) {
			if is.code != "K002" {
				continue
			}
			if is.header != nil {
				msg := "`[" + is.table + "]` is not a table WSO2 reads: the config mapper ignores it and every key in it " +
					"without a warning, so they have no effect"
				if len(is.suggest) > 0 {
					msg += "; did you mean " + quoteList(is.suggest, "or") + "?"
				}
				p.Reportf(f, is.header.Header, rt.Install, is.table, "%s", msg)
				continue
			}
			e := is.entry
			msg := "`" + fleet.KeyString(e.Path) + "` is not a key WSO2 reads " + inTable(is.table) + ": the config mapper ignores it without a warning, "
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
			}
			fd := p.Reportf(f, e.KeySpan, rt.Install, fleet.KeyString(e.Path), "%s", msg)
			if is.target != nil && is.newKey != "" && is.blocked == "" {
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
			if is.offset && is.target == "offset" && rt.Offset.File == nil {
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
func inTable(table string) string {
	if table == "" {
		return "at the top level"
	}
	return "in [" + table + "]"
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
				moves = append(moves, fmt.Sprintf("%s %d → %d", l.Title(), l.Effective, l.Configured+n))
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
