package catalog

import (
	"iter"
	"slices"
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
	// Tables is, for an Unknown key, the number of its leading keys
	// (Item markers not counted) that name a table WSO2 reads: 0 for an
	// unknown top-level table, the number of keys less one for an unknown
	// key in a known table.
	Tables int
}

// AnyRelease asks Lookup about every release at once.
const AnyRelease = -1

// Lookup says whether release (or AnyRelease) of MI reads the key at p.
func (c *Catalog) Lookup(p Path, release int) Result {
	w := walker{c: c, release: release, counting: true}
	for _, part := range p {
		if !w.step(part) {
			break
		}
	}
	return w.result()
}

// LookupDoc is Lookup for a key as a document writes it: keys holds its
// parts without Item markers, and isArray says which of its prefixes the
// document declares an array of tables. It builds no path and allocates
// nothing for a key WSO2 reads: it runs for every key of every file.
func (c *Catalog) LookupDoc(keys []string, isArray func(prefix []string) bool, release int) Result {
	w := walker{c: c, release: release, counting: true}
	for i, part := range keys {
		if !w.step(part) {
			break
		}
		if i < len(keys)-1 && isArray(keys[:i+1]) && !w.step(Item) {
			break
		}
	}
	return w.result()
}

// walker walks the catalogue's tree along a key, part by part, and
// gathers the entries that answer for it.
type walker struct {
	c       *Catalog
	release int
	// n is the node reached, noNode once the key leaves the tree.
	n                     int32
	live, dead, liveOther *Entry
	tables, keys          int
	counting              bool
	// loops holds the loops met on the way, considered after the exact
	// entries: a key the catalogue names beats the loop over its table.
	loops    [4]int32
	numLoops int
}

func (w *walker) consider(i int32) {
	e := &w.c.entries[i]
	inRelease := w.release == AnyRelease || e.Releases.Has(w.release)
	switch {
	case e.Kind == Dead && inRelease && w.dead == nil:
		w.dead = e
	case e.Kind != Dead && inRelease && w.live == nil:
		w.live = e
	case e.Kind != Dead && !inRelease && w.liveOther == nil:
		w.liveOther = e
	}
}

// step moves to the next part; it reports false when the tree has no
// such part (the key is below no exact entry).
func (w *walker) step(part string) bool {
	// Every loop above this part covers the key.
	for _, i := range w.c.loopsAt(w.n) {
		if w.numLoops < len(w.loops) {
			w.loops[w.numLoops] = i
			w.numLoops++
		}
	}
	next := w.c.child(w.n, part)
	if part != Item {
		w.keys++
		if w.counting && next != noNode && w.c.nodes[next].table {
			w.tables = w.keys
		} else {
			w.counting = false
		}
	}
	w.n = next
	return next != noNode
}

func (w *walker) result() Result {
	var exact []int32
	if w.n != noNode {
		exact = w.c.exact(w.n)
		for _, i := range exact {
			w.consider(i)
		}
	}
	for _, i := range w.loops[:w.numLoops] {
		w.consider(i)
	}
	switch {
	case w.live != nil:
		return Result{Status: Known, Entry: w.live}
	case w.dead != nil:
		return Result{Status: NoEffect, Entry: w.dead}
	case w.liveOther != nil:
		// Say every release that reads it, not only the first entry's.
		e := *w.liveOther
		for _, i := range exact {
			if w.c.entries[i].Kind != Dead {
				e.Releases |= w.c.entries[i].Releases
			}
		}
		return Result{Status: OtherRelease, Entry: &e}
	}
	tables := w.tables
	if w.n != noNode && tables == w.keys && w.keys > 0 {
		tables-- // the last part is the key itself
	}
	return Result{Status: Unknown, Tables: tables}
}

// IsTable reports whether WSO2 reads keys below p.
func (c *Catalog) IsTable(p Path) bool {
	n := int32(0)
	for _, part := range p {
		if n = c.child(n, part); n == noNode {
			return false
		}
	}
	return c.nodes[n].table
}

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
	for _, i := range c.normed(norm) {
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
	tbl := keysPrefix(p, r.Tables)
	rest := Normalize(strings.Join(p[len(tbl):].Keys(), "."))
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
// a document's key (its parts, without Item markers) spells differently
// (case, '-', '_' or '.'), or nil: every key below [synapse_properties]
// is rendered, but internal_http_api_port there is a property nothing
// reads, while 'internal.http.api.port' is the port. It runs for every
// key below a looped table, so the common answer, nil, allocates nothing.
func (c *Catalog) Respelled(keys []string, release int) Path {
	var buf [96]byte
	norm := appendNormalized(buf[:0], keys)
	var found Path
	for _, i := range c.normedBytes(norm) {
		e := &c.entries[i]
		if e.Kind == Dead || (release != AnyRelease && !e.Releases.Has(release)) {
			continue
		}
		if slices.Equal(e.Path.Keys(), keys) {
			return nil
		}
		if found != nil && !found.Equal(e.Path) {
			return nil // two keys fit: a guess
		}
		found = e.Path
	}
	return found
}

// SpelledAlike yields the entries, loops excepted, whose key is the same
// as keys (a document's key parts, without Item markers) once case and
// the separators '-', '_' and '.' are ignored (Normalize), in file order.
// It builds nothing: it runs for keys of every file.
func (c *Catalog) SpelledAlike(keys []string) iter.Seq[*Entry] {
	return func(yield func(*Entry) bool) {
		for _, i := range c.spelledAlike(keys) {
			if !yield(&c.entries[i]) {
				return
			}
		}
	}
}

// spelledAlike returns the indexes of the entries SpelledAlike yields. It
// is not inlined: inlined into a caller in another package, its buffer
// escaped to the heap through the generic lookup (96 bytes for every key
// of every file), which escape analysis sees through only here.
//
//go:noinline
func (c *Catalog) spelledAlike(keys []string) []int32 {
	var buf [96]byte
	return c.normedBytes(appendNormalized(buf[:0], keys))
}

// normed returns the entries, loops excepted, whose normalised text is
// norm.
func (c *Catalog) normed(norm string) []int32 { return normedIn(c, norm) }

// normedBytes is normed for a text held in bytes, which it does not copy.
func (c *Catalog) normedBytes(norm []byte) []int32 { return normedIn(c, norm) }

func normedIn[T ~string | ~[]byte](c *Catalog, norm T) []int32 {
	mask := uint32(len(c.normSlots) - 1)
	for i := textHash(0, norm) & mask; ; i = (i + 1) & mask {
		p := c.normSlots[i] - 1
		if p < 0 {
			return nil
		}
		if c.entries[c.byNorm[p]].norm != string(norm) {
			continue
		}
		end := p + 1
		for int(end) < len(c.byNorm) && c.entries[c.byNorm[end]].norm == string(norm) {
			end++
		}
		return c.byNorm[p:end]
	}
}

// appendNormalized appends Normalize of the parts, joined, to buf.
func appendNormalized(buf []byte, parts []string) []byte {
	for _, part := range parts {
		for i := 0; i < len(part); i++ {
			switch c := part[i]; {
			case c == '-' || c == '_' || c == '.' || c == '[' || c == ']' || c == '\'':
			case 'A' <= c && c <= 'Z':
				buf = append(buf, c+'a'-'A')
			default:
				buf = append(buf, c)
			}
		}
	}
	return buf
}

// SuggestTables returns the tables the author of an unknown table t most
// likely meant: those equal to it once case and separators are ignored,
// else those a few edits away ([transports.http] → [transport.http]).
func (c *Catalog) SuggestTables(t Path, dist func(a, b string, limit int) int) []Path {
	norm := Normalize(strings.Join(t.Keys(), "."))
	var exact, near []Path
	limit := min(3, max(1, len(norm)/4))
	best := limit + 1
	for _, q := range c.tables {
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

// keysPrefix returns the prefix of p that holds its first n keys, with
// the Item marker that follows them, if any.
func keysPrefix(p Path, n int) Path {
	i := 0
	for ; i < len(p) && n > 0; i++ {
		if p[i] != Item {
			n--
		}
	}
	if i < len(p) && p[i] == Item {
		i++
	}
	return p[:i]
}
