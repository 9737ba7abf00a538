package rules

import (
	"fmt"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/srcpos"
	"github.com/wso2lint/wso2lint/internal/tomlast"
	"github.com/wso2lint/wso2lint/internal/yamlast"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/rewrite"
)

// This file holds what the key rules (K001, K002, K003) share: one pass
// over an MI deployment.toml that decides, for every key, whether it is a
// dotted spelling of a key WSO2 reads (K001), an unknown key in a port
// table (K002) or a port in a table WSO2 never reads (K003), and where
// the setting belongs. The three rules share the pass so that a key is
// reported by one rule only, and so that two fixes never write the same
// key twice: WSO2 stops at start-up on a duplicate key.

// keyIssue is one mis-keyed TOML setting.
type keyIssue struct {
	// code is the rule that reports it: K001, K002 or K003.
	code  string
	entry *tomlast.Entry
	// table is the port table (K002) or the ignored table (K003) the key
	// was found in, dotted; "" for the root table.
	table string
	// target is the full path of the key WSO2 reads that the author
	// evidently meant; nil when no single key fits.
	target []string
	// newKey is the text that replaces the entry's key (K001, K002) or
	// the key written into the target table (K003); "" when no fix fits.
	newKey string
	// suggest lists did-you-mean candidates, relative to the table (K002).
	suggest []string
	// blocked says why no fix is offered although a target is known.
	blocked string
}

// keyCatalog is what the key rules derive from fleet's catalogue. The
// catalogue never changes, so it is derived once rather than for every key
// of every file: deriving it per key was a third of a large fleet's lint.
type keyCatalog struct {
	// known is knownMIPaths' result; knownByU indexes it by underscored
	// path, in order.
	known    [][]string
	knownByU map[string][]int
	// rel holds knownRel's result per port table, and relNorm the
	// normalised text of each of those keys.
	rel     map[string][]relKey
	relNorm map[string][]string
	// ignoredKeys holds each of fleet.IgnoredTables' keys split into
	// parts (nil for a table without a key).
	ignoredKeys [][]string
}

var keyCat = sync.OnceValue(func() *keyCatalog {
	c := &keyCatalog{rel: map[string][]relKey{}, relNorm: map[string][]string{}, knownByU: map[string][]int{}}
	for _, t := range fleet.PortTables {
		table := strings.Join(t, ".")
		c.rel[table] = deriveRel(table)
		for _, k := range c.rel[table] {
			c.relNorm[table] = append(c.relNorm[table], fleet.Normalize(k.text))
		}
	}
	c.known = deriveKnownMIPaths(c.rel)
	for i, k := range c.known {
		u := underscored(k)
		c.knownByU[u] = append(c.knownByU[u], i)
	}
	for _, it := range fleet.IgnoredTables {
		var parts []string
		if it.Key != "" {
			parts = strings.Split(it.Key, ".")
		}
		c.ignoredKeys = append(c.ignoredKeys, parts)
	}
	return c
})

// knownMIPaths lists the full path of every key WSO2 reads that K001
// compares dotted keys against: the listener keys and their raw
// overrides, the offset, and the catalogue's keys per port table (raw
// parameter prefixes excluded, since any key below them is read).
func knownMIPaths() [][]string { return keyCat().known }

func deriveKnownMIPaths(rels map[string][]relKey) [][]string {
	var out [][]string
	for _, p := range fleet.MIPorts {
		out = append(out, p.Key)
		out = append(out, p.Raw...)
		if p.Enable != nil {
			out = append(out, p.Enable)
		}
		if p.Bind != nil {
			out = append(out, p.Bind)
		}
	}
	out = append(out, fleet.MIOffsetKey)
	for _, t := range fleet.PortTables {
		table := strings.Join(t, ".")
		for _, rel := range rels[table] {
			if !rel.prefix {
				out = append(out, appendPath(t, rel.parts...))
			}
		}
	}
	return out
}

// relKey is a key of the catalogue relative to its table.
type relKey struct {
	text  string
	parts []string
	// prefix marks a raw-parameter prefix: every key below it is read.
	prefix bool
}

// knownRel returns the catalogue's keys of a port table, split into key
// parts. [synapse_properties] keys are single quoted parts
// ('internal.http.api.port'); the other tables' keys are dotted. The
// slice is shared: callers must not modify it.
func knownRel(table string) []relKey {
	if rel, ok := keyCat().rel[table]; ok {
		return rel
	}
	return deriveRel(table)
}

func deriveRel(table string) []relKey {
	var out []relKey
	for _, k := range fleet.KnownMIKeys[table] {
		if table == "synapse_properties" {
			out = append(out, relKey{text: k, parts: []string{k}})
			continue
		}
		if strings.HasSuffix(k, ".") {
			out = append(out, relKey{text: k, parts: strings.Split(strings.TrimSuffix(k, "."), "."), prefix: true})
			continue
		}
		out = append(out, relKey{text: k, parts: strings.Split(k, ".")})
	}
	return out
}

// isKnownRel reports whether a key path relative to a port table is one
// WSO2 reads there.
func isKnownRel(table string, rest []string) bool {
	for _, k := range knownRel(table) {
		if k.prefix && len(rest) > len(k.parts) && fleet.HasPrefix(rest, k.parts) {
			return true
		}
		if !k.prefix && fleet.EqualPath(rest, k.parts) {
			return true
		}
	}
	return false
}

// underscored joins a path with '_' and turns the dots inside its parts
// into '_', so that a dotted spelling and the flat key it imitates meet:
// mediation.internal.http.api.port and mediation.internal_http_api_port
// both give mediation_internal_http_api_port.
func underscored(path []string) string {
	return strings.ReplaceAll(strings.Join(path, "_"), ".", "_")
}

// appendPath returns a new path: p followed by more, never sharing p's
// backing array.
func appendPath(p []string, more ...string) []string {
	out := make([]string, 0, len(p)+len(more))
	return append(append(out, p...), more...)
}

// isOffsetAlias reports whether a key is a known misspelling of offset.
func isOffsetAlias(key string) bool {
	for _, a := range fleet.OffsetAliases {
		if fleet.Normalize(a) == fleet.Normalize(key) {
			return true
		}
	}
	return false
}

// portWordNoise are English words that contain "port" without being
// about a port; they are removed before looking for "port" in a key.
var portWordNoise = []string{"transport", "support", "report", "import", "export", "portal", "passport"}

// mentionsPort reports whether a key mentions a port or an offset
// (case-insensitively), ignoring words such as "transport" or "support".
func mentionsPort(key string) bool {
	k := strings.ToLower(key)
	for _, w := range portWordNoise {
		k = strings.ReplaceAll(k, w, "")
	}
	return strings.Contains(k, "port") || strings.Contains(k, "offset")
}

// editDistance is the optimal string alignment distance: insertions,
// deletions, substitutions and transpositions of adjacent bytes each
// cost 1, so that "prot" is one edit from "port". Only distances up to
// limit matter to its callers: beyond it, it returns limit+1, and it
// gives up as soon as it knows. K002 measures every unknown key of a
// port table against every known one, which made the full computation a
// tenth of a large fleet's lint.
func editDistance(a, b string, limit int) int {
	if a == b {
		return 0
	}
	if len(a)-len(b) > limit || len(b)-len(a) > limit {
		return limit + 1
	}
	// Three rows of the matrix: the transposition looks two rows back.
	n := len(b) + 1
	var buf [3 * 48]int
	rows := buf[:]
	if 3*n > len(buf) {
		rows = make([]int, 3*n)
	}
	prev2, prev, cur := rows[:n], rows[n:2*n], rows[2*n:3*n]
	for j := range prev {
		prev[j] = j
	}
	prevMin := 0
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		curMin := i
		for j := 1; j < n; j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d := min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d = min(d, prev2[j-2]+1)
			}
			cur[j] = d
			curMin = min(curMin, d)
		}
		// Every later cell builds on this row, or on the one before it
		// through a transposition, which costs 1.
		if curMin > limit && prevMin+1 > limit {
			return limit + 1
		}
		prevMin = curMin
		prev2, prev, cur = prev, cur, prev2
	}
	return min(prev[n-1], limit+1)
}

// maxSuggestDistance is the largest edit distance (between normalised
// keys) at which K002 calls a key a misspelling of a known one: three, so
// that internal_http_port suggests internal_http_api_port.
const maxSuggestDistance = 3

// nearest returns the candidates closest to key (both normalised) within
// maxSuggestDistance, in the candidates' order.
func nearest(key string, candidates []string) []string {
	best := maxSuggestDistance + 1
	var out []string
	nk := fleet.Normalize(key)
	for _, c := range candidates {
		limit := min(best, maxSuggestDistance)
		switch d := editDistance(nk, fleet.Normalize(c), limit); {
		case d > limit:
		case d < best:
			best, out = d, []string{c}
		case d == best:
			out = append(out, c)
		}
	}
	return out
}

// miKeyIssues examines every key of an MI runtime's deployment.toml and
// returns the mis-keyed ones in file order. The result is deterministic:
// K001, K002 and K003 each call it and keep their own issues.
func miKeyIssues(rt *fleet.Runtime) []*keyIssue {
	d := rt.File.TOML
	if d == nil || rt.Install.Product != fleet.MI {
		return nil
	}
	known := knownMIPaths()
	var out []*keyIssue
	for _, e := range d.Entries {
		if e.Value.Kind == tomlast.InlineTable || (e.Table != nil && e.Table.Array) {
			// An inline table's fields are entries of their own; keys
			// of an array of tables are not WSO2's port keys.
			continue
		}
		if is := ignoredTableIssue(e); is != nil {
			out = append(out, is)
			continue
		}
		if is := dottedKeyIssue(e, known); is != nil {
			out = append(out, is)
			continue
		}
		if is := unknownKeyIssue(e); is != nil {
			out = append(out, is)
		}
	}
	settleTOMLFixes(d, out)
	return out
}

// sharedKeyIssues returns miKeyIssues(rt), computed once for the key rules
// that run together (each used to compute it for itself).
func sharedKeyIssues(p *lint.Pass, rt *fleet.Runtime) []*keyIssue {
	type memoKey struct{ rt *fleet.Runtime }
	return p.Memo(memoKey{rt}, func() any { return miKeyIssues(rt) }).([]*keyIssue)
}

// ignoredTableIssue matches an entry against the tables WSO2 never reads.
func ignoredTableIssue(e *tomlast.Entry) *keyIssue {
	keys := keyCat().ignoredKeys
	for i, it := range fleet.IgnoredTables {
		if !fleet.HasPrefix(e.Path, it.Table) || len(e.Path) == len(it.Table) {
			continue
		}
		rest := e.Path[len(it.Table):]
		if it.Key == "" {
			if !mentionsPort(rest[len(rest)-1]) {
				continue
			}
		} else if !fleet.EqualPath(rest, keys[i]) {
			continue
		}
		tt := targetTable(it.Target)
		return &keyIssue{code: "K003", entry: e, table: strings.Join(it.Table, "."), target: it.Target,
			newKey: fleet.KeyString(it.Target[len(tt):])}
	}
	return nil
}

// targetTable returns the port table a target key belongs in: the
// longest of fleet.PortTables that prefixes it.
func targetTable(target []string) []string {
	var best []string
	for _, t := range fleet.PortTables {
		if len(t) < len(target) && fleet.HasPrefix(target, t) && len(t) > len(best) {
			best = t
		}
	}
	if best == nil {
		best = target[:len(target)-1]
	}
	return best
}

// dottedKeyIssue reports an entry whose path is longer than a known key's
// but spells it once dots are read as underscores: dots where WSO2's key
// has none, which TOML turns into nested tables.
func dottedKeyIssue(e *tomlast.Entry, known [][]string) *keyIssue {
	u := underscored(e.Path)
	for _, i := range keyCat().knownByU[u] {
		if k := known[i]; len(e.Path) > len(k) {
			is := &keyIssue{code: "K001", entry: e, target: k}
			is.newKey = renameText(e, k)
			return is
		}
	}
	return nil
}

// renameText returns the key text that makes an entry's path equal
// target, written relative to the entry's table (and enclosing inline
// tables), or "" when target does not lie under them.
func renameText(e *tomlast.Entry, target []string) string {
	prefix := e.Path[:len(e.Path)-len(e.Key)]
	if len(target) <= len(prefix) || !fleet.HasPrefix(target, prefix) {
		return ""
	}
	return fleet.KeyString(target[len(prefix):])
}

// unknownKeyIssue applies DESIGN.md §3a's K002 test to an entry of a
// port table.
func unknownKeyIssue(e *tomlast.Entry) *keyIssue {
	var table []string
	for _, t := range fleet.PortTables {
		if len(e.Path) > len(t) && fleet.HasPrefix(e.Path, t) {
			table = t
		}
	}
	if table == nil {
		return nil
	}
	name := strings.Join(table, ".")
	rest := e.Path[len(table):]
	if isKnownRel(name, rest) {
		return nil
	}
	restText := strings.Join(rest, ".")
	is := &keyIssue{code: "K002", entry: e, table: name}
	// Normalising: case, '-', '_', '.' and the offset aliases.
	var matches []relKey
	norm, relNorm := fleet.Normalize(restText), keyCat().relNorm[name]
	for i, k := range knownRel(name) {
		if !k.prefix && relNorm[i] == norm {
			matches = append(matches, k)
		}
	}
	if name == "server" && len(matches) == 0 && isOffsetAlias(restText) {
		matches = append(matches, relKey{text: "offset", parts: []string{"offset"}})
	}
	if len(matches) == 1 {
		is.target = appendPath(table, matches[0].parts...)
		is.newKey = renameText(e, is.target)
		return is
	}
	var all []string
	for _, k := range knownRel(name) {
		if !k.prefix {
			all = append(all, k.text)
		}
	}
	if len(matches) > 1 {
		for _, m := range matches {
			is.suggest = append(is.suggest, m.text)
		}
		return is
	}
	if len(nearest(restText, fleet.PortKeysOf(name))) > 0 {
		is.suggest = nearest(restText, all)
		return is
	}
	if name != "synapse_properties" && mentionsPort(restText) {
		is.suggest = nearest(restText, all)
		return is
	}
	return nil
}

// settleTOMLFixes withholds the fixes that would write a key twice: a
// target already set in the file, a target two issues claim, or a new
// key that clashes with the file's tables. WSO2 stops at start-up on a
// duplicate key, so such a fix would turn a warning into an outage.
func settleTOMLFixes(d *tomlast.Doc, issues []*keyIssue) {
	claims := map[string][]*keyIssue{}
	for _, is := range issues {
		if is.target != nil && is.newKey != "" {
			k := strings.Join(is.target, "\x00")
			claims[k] = append(claims[k], is)
		}
	}
	for _, is := range issues {
		if is.target == nil || is.newKey == "" {
			continue
		}
		if es := d.Lookup(is.target...); len(es) > 0 {
			is.blocked = fmt.Sprintf("`%s` is already set on line %d: keep one of the two", fleet.KeyString(is.target), d.Lines.Pos(es[0].KeySpan.Start).Line)
			continue
		}
		if others := claims[strings.Join(is.target, "\x00")]; len(others) > 1 {
			for _, o := range others {
				if o != is {
					is.blocked = fmt.Sprintf("line %d also means `%s`: keep one of the two", d.Lines.Pos(o.entry.KeySpan.Start).Line, fleet.KeyString(is.target))
					break
				}
			}
			continue
		}
		if why := tomlClash(d, is); why != "" {
			is.blocked = why
		}
	}
}

// tomlClash reports why writing the issue's target key would not be
// valid TOML: a value where the target needs a table, a table where it
// needs a value, or a table opened by a header that a dotted key cannot
// extend. It returns "" when the key can be written.
func tomlClash(d *tomlast.Doc, is *keyIssue) string {
	t := is.target
	var base []string // the table the new key is written relative to
	if is.code == "K003" {
		base = targetTable(t)
	} else {
		base = is.entry.Path[:len(is.entry.Path)-len(is.entry.Key)]
	}
	for _, e := range d.Entries {
		if e == is.entry {
			continue
		}
		line := d.Lines.Pos(e.KeySpan.Start).Line
		switch {
		case e.Value.Kind == tomlast.InlineTable && len(e.Path) <= len(base) && fleet.HasPrefix(base, e.Path):
			// An inline table enclosing the renamed key: the new key
			// stays inside it.
		case len(e.Path) < len(t) && fleet.HasPrefix(t, e.Path):
			return fmt.Sprintf("`%s` on line %d is a value, so `%s` cannot be written", fleet.KeyString(e.Path), line, fleet.KeyString(t))
		case len(e.Path) > len(t) && fleet.HasPrefix(e.Path, t):
			return fmt.Sprintf("`%s` on line %d makes `%s` a table", fleet.KeyString(e.Path), line, fleet.KeyString(t))
		}
	}
	for _, tb := range d.Tables {
		line := d.Lines.Pos(tb.Header.Start).Line
		switch {
		case fleet.HasPrefix(tb.Path, t):
			return fmt.Sprintf("the table header on line %d makes `%s` a table", line, fleet.KeyString(t))
		case len(tb.Path) > len(base) && len(tb.Path) < len(t) && fleet.HasPrefix(t, tb.Path):
			return fmt.Sprintf("the table [%s] on line %d cannot be extended by a dotted key", fleet.KeyString(tb.Path), line)
		}
	}
	if is.code == "K003" && d.TableFor(base...) == nil {
		for _, e := range d.Entries {
			if fleet.HasPrefix(e.Path, base) && len(e.Path) > len(base) {
				return fmt.Sprintf("[%s] is defined by dotted keys (line %d), so no [%s] header can be added", fleet.KeyString(base), d.Lines.Pos(e.KeySpan.Start).Line, fleet.KeyString(base))
			}
		}
	}
	return ""
}

// entryNumber returns the number an entry's value writes (8290 or
// "8290"), ok false for anything else.
func entryNumber(e *tomlast.Entry) (int, bool) {
	switch e.Value.Kind {
	case tomlast.Integer:
		n, err := strconv.ParseInt(strings.ReplaceAll(e.Value.Text, "_", ""), 0, 32)
		return int(n), err == nil
	case tomlast.String:
		n, err := strconv.Atoi(e.Value.Text)
		return n, err == nil && !strings.HasPrefix(e.Value.Text, "+")
	}
	return 0, false
}

// miListener returns a runtime's listener of that name, or nil (a
// listener turned off with listener.enable = false has none).
func miListener(rt *fleet.Runtime, name string) *fleet.Listener {
	for _, l := range rt.Listeners {
		if l.Name == name {
			return l
		}
	}
	return nil
}

// ignoredConsequence says what WSO2 does while a setting meant for
// target is ignored, with the arithmetic: "so the internal HTTP API
// listener stays on 9191 + offset 10 = 9201". written is the number the
// ignored setting holds, if any, to show what the author expected.
func ignoredConsequence(rt *fleet.Runtime, target []string, written int, hasWritten bool) string {
	if fleet.EqualPath(target, fleet.MIOffsetKey) {
		return offsetConsequence(rt, written, hasWritten)
	}
	for _, p := range fleet.MIPorts {
		match := fleet.EqualPath(target, p.Key)
		for _, r := range p.Raw {
			match = match || fleet.EqualPath(target, r)
		}
		if !match {
			continue
		}
		l := miListener(rt, p.Name)
		switch {
		case l == nil:
			return "so it has no effect (the " + p.Title + " listener is turned off)"
		case !l.Known:
			return "so it does not set the " + l.Title() + "'s port"
		}
		s := "so the " + l.Title() + " stays on " + l.Arith()
		if hasWritten && written != l.Configured {
			s += fmt.Sprintf(", not %d + %d = %d", written, l.Effective-l.Configured, written+l.Effective-l.Configured)
		}
		return s
	}
	return "so it has no effect"
}

// offsetConsequence says which offset an MI keeps while its offset
// setting is ignored.
func offsetConsequence(rt *fleet.Runtime, written int, hasWritten bool) string {
	o := rt.Offset
	if !o.Known {
		return "so it does not set the offset"
	}
	s := fmt.Sprintf("so the offset stays %d", o.Value)
	switch w := o.Winner(); {
	case w == nil:
		s += " (the built-in default)"
	case w.Key == "-DportOffset":
		s += " (-DportOffset in " + w.File.Path + ")"
	default:
		s += fmt.Sprintf(" (`%s` on line %d)", w.Key, w.File.Pos(w.KeySpan.Start).Line)
	}
	if hasWritten && written != o.Value {
		s += fmt.Sprintf(", not %d,", written)
	}
	for _, l := range rt.Listeners {
		if l.Known && l.OffsetApplies && !l.Unverified {
			s += " and the " + l.Title() + " is on " + l.Arith()
			break
		}
	}
	return s
}

// miRuntimes returns the runtimes of MI installs (not MI Dashboard) that
// have a parsed deployment.toml, in install order.
func miRuntimes(fl *fleet.Fleet) []*fleet.Runtime {
	var out []*fleet.Runtime
	for _, in := range fl.Installs {
		if in.Product != fleet.MI {
			continue
		}
		for _, rt := range in.Runtimes {
			if rt.File.TOML != nil {
				out = append(out, rt)
			}
		}
	}
	return out
}

// renameFix builds the fix that replaces an entry's key with newKey,
// leaving its value, comments and spacing as written.
func renameFix(f *fleet.File, span srcpos.Span, newKey string) *lint.Fix {
	return &lint.Fix{
		Applicability: lint.Safe,
		Message:       "rename to `" + newKey + "`",
		Edits:         []rewrite.Edit{{Path: f.Path, Start: span.Start, End: span.End, New: newKey}},
	}
}

// quoteList renders keys as "`a`", "`a` or `b`", "`a`, `b` or `c`".
func quoteList(keys []string, conj string) string {
	q := make([]string, len(keys))
	for i, k := range keys {
		q[i] = "`" + k + "`"
	}
	if len(q) <= 1 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " " + conj + " " + q[len(q)-1]
}

// eiKeyIssue is an unknown key in an EI Analytics port mapping (K002).
type eiKeyIssue struct {
	// key is the logical path of the key as written.
	key  string
	span srcpos.Span
	// where names the mapping in messages.
	where string
	// target is the key WSO2 reads that the author meant, "" when none.
	target  string
	suggest []string
	// portKeys are the port keys of the mapping, for the message.
	portKeys []string
	blocked  string
	fixable  bool
	// offset marks wso2.carbon.ports, whose only key is the offset.
	offset bool
}

// eiKeyIssues examines the mappings of an EI Analytics runtime that hold
// ports: each listenerConfigurations item, each data receiver's
// properties and wso2.carbon.ports.
func eiKeyIssues(rt *fleet.Runtime) []*eiKeyIssue {
	d := rt.File.YAML
	if d == nil || d.Root == nil || rt.Install.Product != fleet.EIAnalytics {
		return nil
	}
	var out []*eiKeyIssue
	for _, m := range fleet.EIPortMappings(d.Root) {
		if m.Receiver {
			out = append(out, eiMappingIssues(d, m.Node, m.Key, "a data receiver's properties", fleet.EIReceiverPortKeys, fleet.EIReceiverPortKeys, false)...)
		} else {
			out = append(out, eiMappingIssues(d, m.Node, m.Key, "a listener configuration", fleet.EIListenerKeys, []string{"port"}, false)...)
		}
	}
	if _, ports := fleet.YAMLPath(d.Root, fleet.EIOffsetPath[:2]...); ports != nil && ports.Kind == yaml.MappingNode {
		out = append(out, eiMappingIssues(d, ports, strings.Join(fleet.EIOffsetPath[:2], "."), "`wso2.carbon.ports`", []string{"offset"}, []string{"offset"}, true)...)
	}
	return out
}

// eiMappingIssues applies the K002 test to the keys of one mapping.
func eiMappingIssues(d *yamlast.Doc, m *yaml.Node, base, where string, known, portKeys []string, offset bool) []*eiKeyIssue {
	var out []*eiKeyIssue
	claims := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k := m.Content[i]
		if k.Kind != yaml.ScalarNode || contains(known, k.Value) {
			continue
		}
		is := &eiKeyIssue{key: base + "." + k.Value, where: where, portKeys: portKeys, offset: offset}
		var matches []string
		for _, c := range known {
			if fleet.Normalize(c) == fleet.Normalize(k.Value) {
				matches = append(matches, c)
			}
		}
		if offset && len(matches) == 0 && isOffsetAlias(k.Value) {
			matches = []string{"offset"}
		}
		switch {
		case len(matches) == 1:
			is.target = matches[0]
		case len(matches) > 1:
			is.suggest = matches
		case len(nearest(k.Value, portKeys)) > 0 || mentionsPort(k.Value):
			is.suggest = nearest(k.Value, known)
		default:
			continue
		}
		if sp, ok := d.ScalarSpan(k); ok {
			is.span, is.fixable = sp, true
		} else {
			off := d.Offset(k)
			is.span = srcpos.Span{Start: off, End: off + len(k.Value)}
		}
		if is.target != "" {
			claims[is.target]++
		}
		out = append(out, is)
	}
	for _, is := range out {
		if is.target == "" {
			continue
		}
		if tk, _ := yamlast.Get(m, is.target); tk != nil {
			is.blocked = fmt.Sprintf("`%s` is already set on line %d: keep one of the two", is.target, tk.Line)
		} else if claims[is.target] > 1 {
			is.blocked = fmt.Sprintf("another key here also means `%s`: keep one of the two", is.target)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// eiRuntimes returns every EI Analytics runtime with a parsed
// deployment.yaml, in install order.
func eiRuntimes(fl *fleet.Fleet) []*fleet.Runtime {
	var out []*fleet.Runtime
	for _, in := range fl.Installs {
		if in.Product != fleet.EIAnalytics {
			continue
		}
		for _, rt := range in.Runtimes {
			if rt.File.YAML != nil && rt.File.YAML.Root != nil {
				out = append(out, rt)
			}
		}
	}
	return out
}
