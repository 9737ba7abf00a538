package catalog

import (
	"sort"
	"strings"
)

// Status is what the catalogue says of a key.
type Status uint8

// The statuses of Lookup.
const (
	// Unknown: no release of MI reads the key.
	Unknown Status = iota
	// Known: the release (or, without one, some release) reads the key.
	Known
	// NoEffect: WSO2's files name the key, but nothing reads it.
	NoEffect
	// OtherRelease: the key is read, but not by the release asked about.
	OtherRelease
)

// Result is the answer of Lookup.
type Result struct {
	Status Status
	// Entry is the catalogue's entry for the key (Known, NoEffect,
	// OtherRelease); for OtherRelease, Entry.Releases says which
	// releases read it.
	Entry *Entry
	// Tables is, for an Unknown key, the number of leading parts of the
	// path that name a table WSO2 reads keys from: 0 for an unknown
	// top-level table, len(path)-1 for an unknown key in a known table.
	Tables int
}

// AnyRelease asks Lookup about every release at once.
const AnyRelease = -1

// Lookup says whether release (or AnyRelease) of MI reads the key at p.
func (c *Catalog) Lookup(p Path, release int) Result {
	var live, dead *Entry
	var liveOther *Entry
	consider := func(e *Entry) {
		inRelease := release == AnyRelease || e.Releases.Has(release)
		switch {
		case e.Kind == Dead && inRelease && dead == nil:
			dead = e
		case e.Kind != Dead && inRelease && live == nil:
			live = e
		case e.Kind != Dead && !inRelease && liveOther == nil:
			liveOther = e
		}
	}
	for _, i := range c.exact[p.String()] {
		consider(&c.entries[i])
	}
	for _, i := range c.loops {
		q := c.entries[i].Path
		if q = q[:len(q)-1]; len(p) > len(q) && p.HasPrefix(q) {
			consider(&c.entries[i])
		}
	}
	switch {
	case live != nil:
		return Result{Status: Known, Entry: live}
	case dead != nil:
		return Result{Status: NoEffect, Entry: dead}
	case liveOther != nil:
		// Say every release that reads it, not only the first entry's.
		e := *liveOther
		for _, i := range c.exact[p.String()] {
			if c.entries[i].Kind != Dead {
				e.Releases |= c.entries[i].Releases
			}
		}
		return Result{Status: OtherRelease, Entry: &e}
	}
	n := 0
	for n < len(p)-1 && c.tables[p[:n+1].String()] {
		n++
	}
	return Result{Status: Unknown, Tables: n}
}

// IsTable reports whether WSO2 reads keys below p.
func (c *Catalog) IsTable(p Path) bool { return c.tables[p.String()] }

// Normalize folds a key for loose comparison: case, '-', '_' and '.' are
// ignored, so camelCase, kebab-case and dotted spellings meet.
func Normalize(key string) string {
	var b strings.Builder
	b.Grow(len(key))
	for i := 0; i < len(key); i++ {
		c := key[i]
		switch {
		case c == '-' || c == '_' || c == '.' || c == '[' || c == ']' || c == '\'':
		case 'A' <= c && c <= 'Z':
			b.WriteByte(c + 'a' - 'A')
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// Suggestions returns the keys the author of an unknown key p most
// likely meant, best first: first the keys that are the same once case
// and the separators '-', '_' and '.' are ignored (Exact), then keys of
// the same table a few edits away, then the same key in another table,
// then a misspelt table. dist measures the edits between two normalised
// keys up to a limit (beyond it, it returns limit+1).
func (c *Catalog) Suggestions(p Path, release int, dist func(a, b string, limit int) int) (exact bool, out []Path) {
	live := func(e *Entry) bool {
		return e.Kind != Dead && (release == AnyRelease || e.Releases.Has(release)) && e.Path[len(e.Path)-1] != Any
	}
	norm := Normalize(strings.Join(p.Keys(), "."))
	seen := map[string]bool{}
	add := func(q Path) {
		if !seen[q.String()] {
			seen[q.String()] = true
			out = append(out, q)
		}
	}
	// Exact once normalised, with loops: a key below a table that is
	// looped over matches when its table does.
	for _, i := range c.byNorm[norm] {
		if e := &c.entries[i]; live(e) {
			add(e.Path)
		}
	}
	for _, i := range c.loops {
		e := &c.entries[i]
		if e.Kind == Dead || (release != AnyRelease && !e.Releases.Has(release)) {
			continue
		}
		q := e.Path[:len(e.Path)-1]
		if len(p) > len(q) && Normalize(strings.Join(p[:len(q)].Keys(), ".")) == e.norm {
			add(append(append(Path{}, q...), p[len(q):]...))
		}
	}
	if len(out) > 0 {
		return true, out
	}
	r := c.Lookup(p, release)
	tbl := p[:r.Tables]
	rest := Normalize(strings.Join(p[r.Tables:].Keys(), "."))
	type cand struct {
		p Path
		d int
	}
	var near []cand
	limit := min(3, max(1, len(rest)/3))
	for i := range c.entries {
		e := &c.entries[i]
		if !live(e) || !e.Path.HasPrefix(tbl) || len(e.Path) == len(tbl) {
			continue
		}
		if d := dist(rest, Normalize(strings.Join(e.Path[len(tbl):].Keys(), ".")), limit); d <= limit && !e.Path.Equal(p) {
			near = append(near, cand{e.Path, d})
		}
	}
	sort.SliceStable(near, func(i, j int) bool { return near[i].d < near[j].d })
	for _, n := range near {
		if n.d == near[0].d {
			add(n.p)
		}
	}
	if len(out) > 0 {
		return false, out
	}
	// The same key in another table: [monitoring] offset means
	// [server] offset.
	leaf := Normalize(p[len(p)-1])
	var moved []Path
	for i := range c.entries {
		e := &c.entries[i]
		if live(e) && len(e.Path) > 1 && Normalize(e.Path[len(e.Path)-1]) == leaf {
			moved = append(moved, e.Path)
		}
	}
	if len(moved) > 0 && len(moved) <= 3 {
		for _, q := range moved {
			add(q)
		}
		return false, out
	}
	// A misspelt table: the whole key a few edits away.
	limit = min(3, max(1, len(norm)/4))
	near = near[:0]
	for i := range c.entries {
		e := &c.entries[i]
		if !live(e) {
			continue
		}
		if d := dist(norm, e.norm, limit); d <= limit {
			near = append(near, cand{e.Path, d})
		}
	}
	sort.SliceStable(near, func(i, j int) bool { return near[i].d < near[j].d })
	for _, n := range near {
		if n.d == near[0].d {
			add(n.p)
		}
	}
	return false, out
}

// Respelled returns the key WSO2 knows by name below a looped table that
// p spells differently (case, '-', '_' or '.'), or nil: every key below
// [synapse_properties] is rendered, but internal_http_api_port there is a
// property nothing reads, while 'internal.http.api.port' is the port.
func (c *Catalog) Respelled(p Path, release int) Path {
	var found Path
	for _, i := range c.byNorm[Normalize(strings.Join(p.Keys(), "."))] {
		e := &c.entries[i]
		if e.Kind == Dead || (release != AnyRelease && !e.Releases.Has(release)) {
			continue
		}
		if e.Path.Equal(p) {
			return nil
		}
		if found != nil && !found.Equal(e.Path) {
			return nil // two keys fit: a guess
		}
		found = e.Path
	}
	return found
}

// SuggestTables returns the tables the author of an unknown table t most
// likely meant: those equal to it once case and separators are ignored,
// else those a few edits away ([transports.http] → [transport.http]).
func (c *Catalog) SuggestTables(t Path, dist func(a, b string, limit int) int) []Path {
	norm := Normalize(strings.Join(t.Keys(), "."))
	var exact, near []Path
	limit := min(3, max(1, len(norm)/4))
	best := limit + 1
	for _, q := range c.tableList {
		if q[len(q)-1] == Item || q[len(q)-1] == Any {
			continue
		}
		qn := Normalize(strings.Join(q.Keys(), "."))
		if qn == norm {
			exact = append(exact, q)
			continue
		}
		switch d := dist(norm, qn, limit); {
		case d > limit:
		case d < best:
			best, near = d, []Path{q}
		case d == best:
			near = append(near, q)
		}
	}
	if len(exact) > 0 {
		return exact
	}
	return near
}
