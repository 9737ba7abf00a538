package rules

import (
	"bytes"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/wso2lint/wso2lint/catalog"
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
	// tablePath is the ignored table's path (K003), nil for a key
	// outside any.
	tablePath []string
	// header is set when the issue is an unknown table: the finding is
	// at the header and stands for every key of the table.
	header *tomlast.Table
	// entryInfo is the catalogue's entry for a key that has no effect
	// (K006) or that another release reads (K002).
	entryInfo *catalog.Entry
	// other is the earlier entry that sets the same internal key (K007),
	// internal that key.
	other    *tomlast.Entry
	internal string
}

// ignoredKeys holds each of fleet.IgnoredTables' keys split into parts
// (nil for a table without a key), made once.
var ignoredKeys = sync.OnceValue(func() [][]string {
	var out [][]string
	for _, it := range fleet.IgnoredTables {
		var parts []string
		if it.Key != "" {
			parts = strings.Split(it.Key, ".")
		}
		out = append(out, parts)
	}
	return out
})

// dottedTarget returns the key WSO2 reads that path spells with dots
// where the key has none (which TOML turns into nested tables), or nil:
// the first key, of the catalogue's keys outside arrays and loops and then
// the raw overrides of the listener ports (quoted keys of a looped table),
// that is shorter than path and gives the same text once both are joined
// with '_' and their dots read as '_' (mediation.internal.http.api.port
// and mediation.internal_http_api_port). Such a key is spelt the same as
// path once separators are ignored, so the catalogue's index of
// normalised keys finds the candidates without building a string: this
// runs for every key of every file.
func dottedTarget(path []string) []string {
	if len(path) < 2 {
		return nil // no key is shorter
	}
	n := underscoredLen(path)
	for e := range catalog.MI().SpelledAlike(path) {
		if len(path) > len(e.Path) && e.Kind != catalog.Dead && !slices.Contains(e.Path, catalog.Item) &&
			underscoredLen(e.Path) == n && sameUnderscored(path, e.Path) {
			return e.Path
		}
	}
	for _, p := range fleet.MIPorts {
		for _, r := range p.Raw {
			if len(path) > len(r) && underscoredLen(r) == n && sameUnderscored(path, r) {
				return r
			}
		}
	}
	return nil
}

// sameUnderscored reports whether two paths give the same text once
// joined with '_' and their dots turned into '_'.
func sameUnderscored(a, b []string) bool {
	var ba, bb [128]byte
	return bytes.Equal(appendUnderscored(ba[:0], a), appendUnderscored(bb[:0], b))
}

// underscoredLen is the length of the text sameUnderscored compares.
func underscoredLen(path []string) int {
	n := len(path) - 1
	for _, part := range path {
		n += len(part)
	}
	return n
}

func appendUnderscored(buf []byte, path []string) []byte {
	for i, part := range path {
		if i > 0 {
			buf = append(buf, '_')
		}
		for j := 0; j < len(part); j++ {
			if c := part[j]; c == '.' {
				buf = append(buf, '_')
			} else {
				buf = append(buf, c)
			}
		}
	}
	return buf
}

// aliasTarget returns the key a known misspelling means
// (fleet.KeyAliases), or nil.
func aliasTarget(path []string) []string {
	for _, a := range fleet.KeyAliases {
		if len(path) <= len(a.Table) || !fleet.HasPrefix(path, a.Table) {
			continue
		}
		rest := fleet.Normalize(strings.Join(path[len(a.Table):], "."))
		for _, alias := range a.Aliases {
			if fleet.Normalize(alias) == rest {
				return a.Target
			}
		}
	}
	return nil
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
// K001, K002, K003, K006 and K007 each call it and keep their own issues.
func miKeyIssues(rt *fleet.Runtime) []*keyIssue {
	d := rt.File.TOML
	if d == nil || rt.Install.Product != fleet.MI {
		return nil
	}
	// internal is sized for every entry: growing it key by key was a
	// thirtieth of what a fleet's lint allocates.
	u := &unknownKeys{release: rt.Install.Release, isArray: arrayTables(d), refs: refKeys(d), tables: map[string]bool{},
		internal: make(map[string]*tomlast.Entry, len(d.Entries))}
	var out []*keyIssue
	for _, e := range d.Entries {
		if e.Value.Kind == tomlast.InlineTable {
			// An inline table's fields are entries of their own.
			continue
		}
		if e.Table == nil || !e.Table.Array {
			// Keys of an array of tables are no listener's: K001 and
			// K003 leave them alone.
			if is := ignoredTableIssue(e); is != nil {
				out = append(out, is)
				continue
			}
			if is := dottedKeyIssue(e); is != nil {
				out = append(out, is)
				continue
			}
		}
		if is := u.issue(e); is != nil {
			out = append(out, is)
		}
	}
	settleTOMLFixes(rt.File, d, out)
	return out
}

// sharedKeyIssues returns miKeyIssues(rt), computed once for the key rules
// that run together (each used to compute it for itself). It is keyed by
// what the issues depend on, the parsed file and the install's product and
// release, not by the runtime: the fix loop lints a host again and again
// with most of its files unchanged and keeps the memo between runs.
func sharedKeyIssues(p *lint.Pass, rt *fleet.Runtime) []*keyIssue {
	type memoKey struct {
		doc     *tomlast.Doc
		product fleet.Product
		release int
	}
	if rt.File.TOML == nil {
		return miKeyIssues(rt)
	}
	return p.Memo(memoKey{rt.File.TOML, rt.Install.Product, rt.Install.Release}, func() any { return miKeyIssues(rt) }).([]*keyIssue)
}

// ignoredTableIssue matches an entry against the tables WSO2 never reads.
func ignoredTableIssue(e *tomlast.Entry) *keyIssue {
	keys := ignoredKeys()
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
		return &keyIssue{code: "K003", entry: e, table: strings.Join(it.Table, "."), tablePath: it.Table, target: it.Target,
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
func dottedKeyIssue(e *tomlast.Entry) *keyIssue {
	k := dottedTarget(e.Path)
	if k == nil {
		return nil
	}
	is := &keyIssue{code: "K001", entry: e, target: k}
	is.newKey = renameText(e, k)
	return is
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

// unknownKeys applies the catalogue to the keys of one deployment.toml
// (K002 and K006).
type unknownKeys struct {
	// isArray says which key prefixes the file declares arrays of tables.
	isArray func(prefix []string) bool
	// release is the MI release of the install, catalog.AnyRelease when
	// it is not known.
	release int
	// refs holds the keys that $ref{...} placeholders of the file name:
	// such a key is in use, as a variable, whatever the catalogue says.
	refs map[string]bool
	// tables holds the tables already reported as unknown, so that an
	// unknown table is reported once, not once per key or element.
	tables map[string]bool
	// internal holds, per internal key the config mapper hands to the
	// templates, the first entry of the file that sets it (K007).
	internal map[string]*tomlast.Entry
}

// issue returns the finding the catalogue makes of one entry, or nil.
// The common case, a key WSO2 reads, is a walk of the catalogue's tree
// that builds nothing.
func (u *unknownKeys) issue(e *tomlast.Entry) *keyIssue {
	cat := catalog.MI()
	r := cat.LookupDoc(e.Path, u.isArray, u.release)
	if r.Status == catalog.Known && r.Entry.Kind != catalog.Loop {
		return u.conflict(e, r.Entry)
	}
	if u.refs != nil && u.refs[catalog.Path(e.Path).String()] {
		return nil
	}
	if r.Status == catalog.Known {
		// Every key below a looped table is rendered, but a spelling
		// of one of the keys WSO2 knows there is still a mistake:
		// [synapse_properties] internal_http_api_port renders a property
		// nothing reads.
		if t := cat.Respelled(e.Path, u.release); t != nil {
			is := &keyIssue{code: "K002", entry: e, table: tableOf(e), target: t.Keys()}
			is.newKey = renameText(e, is.target)
			return is
		}
		return u.conflict(e, r.Entry)
	}
	p := catalog.DocPath(e.Path, u.isArray)
	if r.Status == catalog.Unknown && e.Table != nil && r.Tables < len(e.Table.Path) {
		// The table itself is unknown: one finding, at its first
		// header (an array of tables has one per element).
		key := strings.Join(e.Table.Path, "\x00")
		if u.tables[key] {
			return nil
		}
		u.tables[key] = true
		is := &keyIssue{code: "K002", entry: e, table: fleet.KeyString(e.Table.Path), header: e.Table}
		for _, t := range suggestTables(cat, catalog.Path(e.Table.Path)) {
			is.suggest = append(is.suggest, tableText(t))
		}
		return is
	}
	is := &keyIssue{code: "K002", entry: e, table: tableOf(e)}
	switch r.Status {
	case catalog.NoEffect:
		is.code, is.entryInfo = "K006", r.Entry
		return is
	case catalog.OtherRelease:
		is.entryInfo = r.Entry
		return is
	}
	if t := aliasTarget(e.Path); t != nil {
		is.target = t
		is.newKey = renameText(e, is.target)
		return is
	}
	exact, sugg := suggestions(cat, p, u.release)
	if exact && len(sugg) == 1 && !slices.Contains(sugg[0], catalog.Item) {
		is.target = sugg[0].Keys()
		is.newKey = renameText(e, is.target)
		return is
	}
	for _, s := range sugg {
		is.suggest = append(is.suggest, suggestionText(p[:len(p)-len(e.Key)], s))
	}
	return is
}

// conflict returns a K007 issue when an earlier key of the file sets the
// same internal key as e, which the catalogue's entry ce names: WSO2's
// config mapper then keeps one of the two values, and which one is not
// specified. Keys of arrays of tables are told apart by position and are
// left alone.
func (u *unknownKeys) conflict(e *tomlast.Entry, ce *catalog.Entry) *keyIssue {
	if e.Table != nil && e.Table.Array {
		return nil
	}
	internal := ce.Internal()
	if internal == "" {
		if !ce.Targeted() {
			return nil // no other key can land below this loop
		}
		internal = catalog.Path(e.Path).String()
	}
	prev, seen := u.internal[internal]
	if !seen {
		u.internal[internal] = e
		return nil
	}
	if fleet.EqualPath(prev.Path, e.Path) {
		return nil // the same key twice is S002's
	}
	return &keyIssue{code: "K007", entry: e, other: prev, internal: internal}
}

// tableOf names the table an entry is written in, for messages: its
// header's path, "" for the root table.
func tableOf(e *tomlast.Entry) string {
	if e.Table == nil {
		return ""
	}
	return fleet.KeyString(e.Table.Path)
}

// tableText writes a table as its header does: [server], [[datasource]].
func tableText(p catalog.Path) string {
	if p[len(p)-1] == catalog.Item {
		return "[[" + fleet.KeyString(p[:len(p)-1].Keys()) + "]]"
	}
	return "[" + fleet.KeyString(p.Keys()) + "]"
}

// suggestionText writes a suggested key relative to the table of the
// key it replaces (base, as the catalogue writes it) when it lies in that
// table, else in full with its table: `secured_port` in [transport.http],
// but `[server] offset` from [monitoring].
func suggestionText(base, s catalog.Path) string {
	if len(s) > len(base) && s.HasPrefix(base) && !slices.Contains(s[len(base):], catalog.Item) {
		return fleet.KeyString(s[len(base):].Keys())
	}
	// The table as WSO2's files write it: an array's element, else a
	// table of at most two parts ([transport.http] listener.enable, not
	// [transport.http.listener] enable).
	for i := len(s) - 1; i > 0; i-- {
		if s[i] == catalog.Item || slices.Contains(s[i:], catalog.Item) || !catalog.MI().IsTable(s[:i]) {
			continue
		}
		if s[i-1] == catalog.Item || len(s[:i].Keys()) <= 2 {
			return tableText(s[:i]) + " " + fleet.KeyString(s[i:].Keys())
		}
	}
	return fleet.KeyString(s.Keys())
}

// arrayTables returns a test of whether a document declares a key prefix
// an array of tables, over the few array headers it has.
func arrayTables(d *tomlast.Doc) func(prefix []string) bool {
	var arrays [][]string
	for _, t := range d.Tables {
		if t.Array && !slices.ContainsFunc(arrays, func(a []string) bool { return slices.Equal(a, t.Path) }) {
			arrays = append(arrays, t.Path)
		}
	}
	return func(prefix []string) bool {
		for _, a := range arrays {
			if slices.Equal(a, prefix) {
				return true
			}
		}
		return false
	}
}

// refKeys returns the keys that $ref{...} placeholders in the values of
// a document name, nil when there are none.
func refKeys(d *tomlast.Doc) map[string]bool {
	var refs map[string]bool
	for _, e := range d.Entries {
		text := e.Value.Text
		for {
			i := strings.Index(text, "$ref{")
			if i < 0 {
				break
			}
			j := strings.IndexByte(text[i:], '}')
			if j < 0 {
				break
			}
			if p, err := catalog.ParsePath(text[i+5 : i+j]); err == nil {
				if refs == nil {
					refs = map[string]bool{}
				}
				refs[p.String()] = true
			}
			text = text[i+j:]
		}
	}
	return refs
}

// settleTOMLFixes withholds the fixes that would write a key twice: a
// target already set in the file, a target two issues claim, or a new
// key that clashes with the file's tables. WSO2 stops at start-up on a
// duplicate key, so such a fix would turn a warning into an outage. The
// lines its reasons name are f's positions: for a ConfigMap's config, the
// manifest's lines.
func settleTOMLFixes(f *fleet.File, d *tomlast.Doc, issues []*keyIssue) {
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
			is.blocked = fmt.Sprintf("`%s` is already set on line %d: keep one of the two", fleet.KeyString(is.target), f.Pos(es[0].KeySpan.Start).Line)
			continue
		}
		if others := claims[strings.Join(is.target, "\x00")]; len(others) > 1 {
			for _, o := range others {
				if o != is {
					is.blocked = fmt.Sprintf("line %d also means `%s`: keep one of the two", f.Pos(o.entry.KeySpan.Start).Line, fleet.KeyString(is.target))
					break
				}
			}
			continue
		}
		if why := tomlClash(f, d, is); why != "" {
			is.blocked = why
		}
	}
}

// tomlClash reports why writing the issue's target key would not be
// valid TOML: a value where the target needs a table, a table where it
// needs a value, or a table opened by a header that a dotted key cannot
// extend. It returns "" when the key can be written.
func tomlClash(f *fleet.File, d *tomlast.Doc, is *keyIssue) string {
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
		line := f.Pos(e.KeySpan.Start).Line
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
		line := f.Pos(tb.Header.Start).Line
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
				return fmt.Sprintf("[%s] is defined by dotted keys (line %d), so no [%s] header can be added", fleet.KeyString(base), f.Pos(e.KeySpan.Start).Line, fleet.KeyString(base))
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
		s += " (-DportOffset in " + w.Where() + ")"
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
			out = append(out, eiMappingIssues(rt.File, m.Node, m.Key, "a data receiver's properties", fleet.EIReceiverPortKeys, fleet.EIReceiverPortKeys, false)...)
		} else {
			out = append(out, eiMappingIssues(rt.File, m.Node, m.Key, "a listener configuration", fleet.EIListenerKeys, []string{"port"}, false)...)
		}
	}
	if _, ports := fleet.YAMLPath(d.Root, fleet.EIOffsetPath[:2]...); ports != nil && ports.Kind == yaml.MappingNode {
		out = append(out, eiMappingIssues(rt.File, ports, strings.Join(fleet.EIOffsetPath[:2], "."), "`wso2.carbon.ports`", []string{"offset"}, []string{"offset"}, true)...)
	}
	return append(out, eiCarbonIssues(d)...)
}

// eiCarbonIssues reports the keys of the wso2.carbon mapping that try to
// set the offset elsewhere than ports.offset: wso2.carbon.offset,
// wso2.carbon.port.offset, wso2.carbon.portOffset. Carbon reads the offset
// from ports.offset only and ignores the rest.
func eiCarbonIssues(d *yamlast.Doc) []*eiKeyIssue {
	_, carbon := fleet.YAMLPath(d.Root, fleet.EIOffsetPath[0])
	if carbon == nil || carbon.Kind != yaml.MappingNode {
		return nil
	}
	var out []*eiKeyIssue
	for i := 0; i+1 < len(carbon.Content); i += 2 {
		k, v := carbon.Content[i], yamlast.Resolve(carbon.Content[i+1])
		if k.Kind != yaml.ScalarNode || k.Value == fleet.EIOffsetPath[1] || !mentionsPort(k.Value) {
			continue
		}
		key := fleet.EIOffsetPath[0] + "." + k.Value
		if v != nil && v.Kind == yaml.MappingNode {
			if ok, _ := yamlast.Get(v, "offset"); ok != nil {
				key += ".offset"
			}
		}
		is := &eiKeyIssue{key: key, where: "`wso2.carbon`", suggest: []string{"ports.offset"}, portKeys: []string{"ports.offset"}, offset: true}
		off := d.Offset(k)
		is.span = srcpos.Span{Start: off, End: off + len(k.Value)}
		out = append(out, is)
	}
	return out
}

// eiMappingIssues applies the K002 test to the keys of one mapping.
func eiMappingIssues(f *fleet.File, m *yaml.Node, base, where string, known, portKeys []string, offset bool) []*eiKeyIssue {
	d := f.YAML
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
			is.blocked = fmt.Sprintf("`%s` is already set on line %d: keep one of the two", is.target, f.Pos(d.Offset(tk)).Line)
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

// keepRunningFix builds K001's fix of a dotted key: the rename, safe when
// it changes nothing that runs.
// When the listener or offset the key means runs on another value than
// the one written (9191 + 10 = 9201 while an ignored key says 9201), the
// safe fix renames the key and writes the value that runs now, so that
// the file says what runs; the rename with the written value, which moves
// the listener, is the unsafe alternative, and note says both in the
// message. For any other key a rename that changes what runs is unsafe.
func keepRunningFix(rt *fleet.Runtime, e *tomlast.Entry, target []string, newKey string) (fix, alt *lint.Fix, note string) {
	f := rt.File
	fix = renameFix(f, e.KeySpan, newKey)
	move := renameMove(rt, e, target)
	if move == "" {
		return fix, nil, ""
	}
	runs, what := runningValue(rt, target)
	n, isNum := entryNumber(e)
	if runs < 0 || !isNum || e.Value.Kind != tomlast.Integer && e.Value.Kind != tomlast.String {
		fix.Applicability = lint.Unsafe
		fix.Message += " (" + move + ")"
		return fix, nil, ""
	}
	alt = renameFix(f, e.KeySpan, newKey)
	alt.Applicability = lint.Unsafe
	alt.Message = fmt.Sprintf("rename to `%s` keeping %d (%s)", newKey, n, move)
	text := strconv.Itoa(runs)
	fix.Edits = append(fix.Edits, rewrite.Edit{Path: f.Path, Start: e.Value.Span.Start, End: e.Value.Span.End, New: e.Value.Quote + text + e.Value.Quote})
	fix.Message = fmt.Sprintf("rename to `%s` and write %s, %s", newKey, text, what)
	note = fmt.Sprintf("; write `%s = %s` to say what runs, or `%s = %d` to move it (unsafe: it %s)", newKey, text, newKey, n, move)
	return fix, alt, note
}

// runningValue returns the value that runs now for a port or offset key,
// with words saying so ("where the internal HTTP API listener runs now
// (9191 + offset 10 = 9201)"); -1 when the key is neither or the value is
// not known.
func runningValue(rt *fleet.Runtime, target []string) (int, string) {
	if fleet.EqualPath(target, fleet.MIOffsetKey) {
		if !rt.Offset.Known {
			return -1, ""
		}
		return rt.Offset.Value, "the offset the install runs with now"
	}
	for _, pt := range fleet.MIPorts {
		if fleet.EqualPath(target, pt.Key) || slices.ContainsFunc(pt.Raw, func(r []string) bool { return fleet.EqualPath(target, r) }) {
			if l := miListener(rt, pt.Name); l != nil && l.Known {
				return l.Configured, fmt.Sprintf("where the %s runs now (%s)", l.Title(), l.Arith())
			}
		}
	}
	return -1, ""
}

// A fleet repeats its unknown keys (a template copied to every install),
// and finding what each one likely meant compares it with every key of the
// catalogue: the answers are kept, per process, for up to suggestionsCap
// distinct keys. They are only ever read.
const suggestionsCap = 10000

type suggestion struct {
	exact bool
	paths []catalog.Path
}

var suggestionMemo struct {
	sync.Mutex
	keys, tables map[string]suggestion
}

// suggestions is cat.Suggestions(p, release, editDistance), memoised.
func suggestions(cat *catalog.Catalog, p catalog.Path, release int) (bool, []catalog.Path) {
	key := strconv.Itoa(release) + "\x00" + strings.Join(p, "\x00")
	s := memoSuggestion(&suggestionMemo.keys, key, func() suggestion {
		exact, out := cat.Suggestions(p, release, editDistance)
		return suggestion{exact, out}
	})
	return s.exact, s.paths
}

// suggestTables is cat.SuggestTables(t, editDistance), memoised.
func suggestTables(cat *catalog.Catalog, t catalog.Path) []catalog.Path {
	return memoSuggestion(&suggestionMemo.tables, strings.Join(t, "\x00"), func() suggestion {
		return suggestion{paths: cat.SuggestTables(t, editDistance)}
	}).paths
}

func memoSuggestion(m *map[string]suggestion, key string, compute func() suggestion) suggestion {
	suggestionMemo.Lock()
	s, ok := (*m)[key]
	suggestionMemo.Unlock()
	if ok {
		return s
	}
	s = compute()
	suggestionMemo.Lock()
	if *m == nil {
		*m = map[string]suggestion{}
	}
	if len(*m) < suggestionsCap {
		(*m)[key] = s
	}
	suggestionMemo.Unlock()
	return s
}
