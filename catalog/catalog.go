// Package catalog holds what WSO2 Micro Integrator reads from
// deployment.toml, release by release: every key its config mapper
// renames, every key its templates render, the tables they loop over, the
// keys its Java code reads directly, and each key's default. The data is
// generated from WSO2's own config-tool files of MI 4.0–4.4 by
// internal/cmd/gencatalog and committed as mi_keys.tsv, which people
// read and review, and as mi_keys_gen.go, the same catalogue as Go data,
// which the program uses: the catalogue is a lookup, never a scan of
// WSO2's files, and costs nothing to load.
//
// WSO2's config mapper ignores a key that no mapping renames and no
// template or code reads, without a word: that is why a mis-keyed setting
// matters, and why the catalogue must be complete before a linter may
// call a key unknown.
package catalog

//go:generate go run ../internal/cmd/gencatalog -out mi_keys.tsv -go mi_keys_gen.go

import (
	"fmt"
	"maps"
	"slices"
	"sort"
	"strings"
)

// Releases lists the MI releases the catalogue covers, oldest first. A
// release is named by its index in this list.
var releases = [...]string{"4.0.0", "4.1.0", "4.2.0", "4.3.0", "4.4.0"}

// NumReleases is the number of releases the catalogue covers.
const NumReleases = len(releases)

// ShortRelease returns the short name of a release ("4.2").
func ShortRelease(r int) string { return strings.TrimSuffix(releases[r], ".0") }

// ParseRelease returns the release a version string names: "4.2",
// "4.2.0", "v4.2.0" and "4.2.0-rc1" all name 4.2.0. ok is false for a
// version the catalogue does not cover.
func ParseRelease(v string) (int, bool) {
	v = strings.TrimPrefix(strings.TrimSpace(v), "v")
	if i := strings.IndexAny(v, "-+ "); i >= 0 {
		v = v[:i]
	}
	parts := strings.Split(v, ".")
	if len(parts) < 2 || len(parts) > 3 || (len(parts) == 3 && strings.Trim(parts[2], "0123456789") != "") {
		return 0, false
	}
	for i, r := range releases {
		if strings.HasPrefix(r, parts[0]+"."+parts[1]+".") {
			return i, true
		}
	}
	return 0, false
}

// Set is a set of releases, one bit per release.
type Set uint8

// Has reports whether the set holds release r.
func (s Set) Has(r int) bool { return s&(1<<r) != 0 }

// First returns the oldest release in the set, -1 for an empty set.
func (s Set) First() int {
	for r := range NumReleases {
		if s.Has(r) {
			return r
		}
	}
	return -1
}

// All is the set of every release.
const All = Set(1<<NumReleases - 1)

// String writes a set as the catalogue file does: short names, runs
// joined with '-' and separated by ','  ("4.0-4.2,4.4").
func (s Set) String() string {
	var runs []string
	for r := 0; r < NumReleases; r++ {
		if !s.Has(r) {
			continue
		}
		end := r
		for end+1 < NumReleases && s.Has(end+1) {
			end++
		}
		if end == r {
			runs = append(runs, ShortRelease(r))
		} else {
			runs = append(runs, ShortRelease(r)+"-"+ShortRelease(end))
		}
		r = end
	}
	return strings.Join(runs, ",")
}

// Describe says in words which releases a set holds, for messages:
// "MI 4.3 on", "MI 4.0 to 4.2", "MI 4.1 and 4.3".
func (s Set) Describe() string {
	first, last := s.First(), -1
	for r := range NumReleases {
		if s.Has(r) {
			last = r
		}
	}
	if first < 0 {
		return "no MI release"
	}
	contiguous := true
	for r := first; r <= last; r++ {
		contiguous = contiguous && s.Has(r)
	}
	switch {
	case contiguous && first == last:
		return "MI " + ShortRelease(first)
	case contiguous && last == NumReleases-1:
		return "MI " + ShortRelease(first) + " on"
	case contiguous && first == 0:
		return "MI " + ShortRelease(last) + " and earlier"
	case contiguous:
		return "MI " + ShortRelease(first) + " to " + ShortRelease(last)
	}
	var names []string
	for r := range NumReleases {
		if s.Has(r) {
			names = append(names, ShortRelease(r))
		}
	}
	return "MI " + strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

// parseSet reads a set as String writes it.
func parseSet(text string) (Set, error) {
	var s Set
	for _, run := range strings.Split(text, ",") {
		lo, hi, isRange := strings.Cut(run, "-")
		a, ok := ParseRelease(lo)
		if !ok {
			return 0, fmt.Errorf("unknown release %q", lo)
		}
		b := a
		if isRange {
			if b, ok = ParseRelease(hi); !ok || b < a {
				return 0, fmt.Errorf("bad release range %q", run)
			}
		}
		for r := a; r <= b; r++ {
			s |= 1 << r
		}
	}
	return s, nil
}

// Kind says why a key is in the catalogue.
type Kind uint8

// The kinds of catalogue keys. Every kind but Dead is a key WSO2 reads.
const (
	// Read: a template renders the key itself ({{server.enableMTOM}}).
	Read Kind = iota + 1
	// Mapped: key-mappings.json renames the key onto one that is read
	// (server.enable_mtom → server.enableMTOM).
	Mapped
	// Loop: a template loops over the table, so every key below it is
	// rendered (synapse_properties.*).
	Loop
	// Array: a template loops over the array's elements.
	Array
	// Infer: infer.json derives other keys from this key's value.
	Infer
	// Runtime: MI's Java code reads the key from the parsed configuration
	// without a template.
	Runtime
	// Dead: WSO2's files name the key (key-mappings.json, default.json or
	// deployment-full.toml), but no template, mapping or code of the
	// release reads it, so setting it has no effect.
	Dead
	// Shipped: nothing reads the key, but MI's own conf/deployment.toml
	// sets it; a stock install is not reported for WSO2's default file.
	Shipped
)

var kindNames = [...]string{Read: "read", Mapped: "mapped", Loop: "loop", Array: "array", Infer: "infer", Runtime: "runtime", Dead: "dead", Shipped: "shipped"}

func (k Kind) String() string {
	if int(k) < len(kindNames) && kindNames[k] != "" {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", k)
}

func parseKind(s string) (Kind, bool) {
	for k, n := range kindNames {
		if n == s && n != "" {
			return Kind(k), true
		}
	}
	return 0, false
}

// Entry is one key of the catalogue.
type Entry struct {
	Path Path
	Kind Kind
	// Releases holds the releases that have the key with this kind.
	Releases Set
	// Type is the type of the default value ("bool", "int", "string",
	// "array"), "" when WSO2 gives no default.
	Type string
	// Default is the default as WSO2's default.json or infer.json writes
	// it, "" when there is none.
	Default string
	// Via says what makes the key live: the template that reads it, the
	// key it is mapped onto, the Java class that reads it, or (for Dead)
	// the file that names it.
	Via string
	// norm is the normalised text of Path without markers (of the
	// looped table, for a Loop entry), for Suggestions.
	norm string
	// internal is Internal's answer, made once.
	internal string
	// targeted marks a Loop entry below which some mapping's target lies.
	targeted bool
}

// Targeted reports, for a Loop entry, whether key-mappings.json renames
// some key onto a key below the looped table: only then can a key there
// set the same thing as another key of the file.
func (e *Entry) Targeted() bool { return e.targeted }

// Internal returns the key the config mapper hands to the templates for
// this entry's key: the target of a mapping, else the key itself; "" for
// a Loop entry, whose keys are each their own.
func (e *Entry) Internal() string { return e.internal }

// Why says in words what WSO2 does with the key, for messages and hovers:
// "read by conf/axis2/axis2.xml.j2".
func (e *Entry) Why() string {
	switch e.Kind {
	case Read:
		return "read by " + e.Via
	case Mapped:
		return "renamed by key-mappings.json to `" + e.Via + "`"
	case Loop:
		return "every key below it is rendered by " + e.Via
	case Array:
		return "its elements are read by " + e.Via
	case Infer:
		return "infer.json derives settings from it"
	case Runtime:
		return "read by MI's code (" + e.Via + ")"
	case Shipped:
		return "set by MI's own conf/deployment.toml, though nothing in MI reads it"
	case Dead:
		if strings.HasSuffix(e.Via, ".json") || strings.HasSuffix(e.Via, ".toml") {
			return "named in WSO2's " + e.Via + ", but nothing in MI reads it"
		}
		return "a setting of " + e.Via + " that nothing in MI 4.x reads"
	}
	return ""
}

// Catalog is the set of keys of one product, across releases. It is
// made of slices and indices only, no maps or pointers, so that the
// catalogue of MI can be a composite literal the linker lays out in the
// binary (mi_keys_gen.go): a run that lints one file pays nothing to read
// a catalogue of a thousand keys.
type Catalog struct {
	entries []Entry
	// nodes is a tree of key parts (Item markers included), so that a
	// lookup walks the key without building strings; nodes[0] is its
	// root.
	nodes []node
	// names and kids hold the children of every node: a node's children
	// are names[n.kids:n.kidsEnd], sorted, and kids says which node each
	// one is.
	names []string
	kids  []int32
	// slots is a hash table of every node's children: a slot holds an
	// index of names and kids plus one, 0 for an empty slot; the child
	// named part of node n is found from slotHash(n, part) by linear
	// probing. It is as fast as a map and, unlike one, can be data.
	slots []int32
	// refs holds the entries the nodes' exact and loops ranges point to.
	refs []int32
	// byNorm lists the entries that are not loops sorted by their
	// normalised text (then by index), for the exact matches of
	// Suggestions and Respelled; loops lists the Loop entries.
	byNorm []int32
	loops  []int32
	// normSlots is a hash table of byNorm: a slot holds the first
	// position in byNorm of a normalised text plus one, 0 for an empty
	// slot, placed from textHash(0, text) by linear probing.
	normSlots []int32
	// tables lists every table WSO2 reads keys from, sorted by text.
	tables []Path
}

// node is one key part of the catalogue's tree.
type node struct {
	// kids, kidsEnd is the node's range of Catalog.names and
	// Catalog.kids.
	kids, kidsEnd int32
	// exact, exactEnd is the range of Catalog.refs holding the entries
	// whose path ends here; an array's entry is found at the array's own
	// path too (datasource and datasource[]).
	exact, exactEnd int32
	// loops, loopsEnd is the range of Catalog.refs holding the Loop
	// entries that cover every key below here.
	loops, loopsEnd int32
	// table is set when a key WSO2 reads lies below here.
	table bool
}

// noNode is the index of a node that does not exist.
const noNode = -1

// child returns the child of node n named part, or noNode.
func (c *Catalog) child(n int32, part string) int32 {
	nd := &c.nodes[n]
	mask := uint32(len(c.slots) - 1)
	for i := slotHash(n, part) & mask; ; i = (i + 1) & mask {
		k := c.slots[i] - 1
		if k < 0 {
			return noNode
		}
		// A node's children are one run of names: a slot in the run
		// is a child of n.
		if k >= nd.kids && k < nd.kidsEnd && c.names[k] == part {
			return c.kids[k]
		}
	}
}

// slotHash hashes a node's index and a child's name for c.slots.
func slotHash(n int32, part string) uint32 { return textHash(uint64(n), part) }

// textHash hashes a text with a seed: the text's length and its first and
// last eight bytes (all of a short text), which tell the catalogue's keys
// apart well enough at a few instructions a key; a probe compares whole
// texts.
func textHash[T ~string | ~[]byte](seed uint64, s T) uint32 {
	h := seed<<32 | uint64(len(s))
	if len(s) >= 8 {
		h ^= le64(s) * 0x9E3779B97F4A7C15
		h = (h<<31 | h>>33) ^ le64(s[len(s)-8:])
	} else {
		var w uint64
		for i := 0; i < len(s); i++ {
			w |= uint64(s[i]) << (8 * i)
		}
		h ^= w * 0x9E3779B97F4A7C15
	}
	h *= 0xC2B2AE3D27D4EB4F
	return uint32(h >> 32)
}

// le64 reads the first eight bytes of s as a little-endian integer.
func le64[T ~string | ~[]byte](s T) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

// hashChildren makes c.slots and c.normSlots, at most half full.
func (c *Catalog) hashChildren() {
	size := 16
	for size < 2*len(c.names) {
		size *= 2
	}
	c.slots = make([]int32, size)
	mask := uint32(size - 1)
	for n := range c.nodes {
		for k := c.nodes[n].kids; k < c.nodes[n].kidsEnd; k++ {
			i := slotHash(int32(n), c.names[k]) & mask
			for c.slots[i] != 0 {
				i = (i + 1) & mask
			}
			c.slots[i] = k + 1
		}
	}
	// normSlots: the first position in byNorm of each normalised text.
	size = 16
	for size < 2*len(c.byNorm) {
		size *= 2
	}
	c.normSlots = make([]int32, size)
	mask = uint32(size - 1)
	for p, e := range c.byNorm {
		norm := c.entries[e].norm
		if p > 0 && c.entries[c.byNorm[p-1]].norm == norm {
			continue
		}
		i := textHash(0, norm) & mask
		for c.normSlots[i] != 0 {
			i = (i + 1) & mask
		}
		c.normSlots[i] = int32(p) + 1
	}
}

func (c *Catalog) exact(n int32) []int32 { return c.refs[c.nodes[n].exact:c.nodes[n].exactEnd] }
func (c *Catalog) loopsAt(n int32) []int32 {
	return c.refs[c.nodes[n].loops:c.nodes[n].loopsEnd]
}

// MI returns the catalogue of MI's deployment.toml: mi_keys.tsv as Parse
// reads it, generated into Go by internal/cmd/gencatalog.
func MI() *Catalog { return &mi }

// Parse reads a catalogue in the format of mi_keys.tsv: comment lines
// starting with '#', then one key a line with tab-separated path,
// releases, kind, type, default and via. MI's catalogue is parsed when
// it is generated, not when the program runs.
func Parse(data string) (*Catalog, error) {
	var entries []Entry
	sets := map[string]Set{} // a file names few distinct sets
	for n, line := range strings.Split(data, "\n") {
		if line == "" || line[0] == '#' {
			continue
		}
		f := strings.Split(line, "\t")
		if len(f) != 6 {
			return nil, fmt.Errorf("line %d: %d fields, want 6", n+1, len(f))
		}
		p, err := ParsePath(f[0])
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n+1, err)
		}
		rs, ok := sets[f[1]]
		if !ok {
			var err error
			if rs, err = parseSet(f[1]); err != nil {
				return nil, fmt.Errorf("line %d: %w", n+1, err)
			}
			sets[f[1]] = rs
		}
		k, ok := parseKind(f[2])
		if !ok {
			return nil, fmt.Errorf("line %d: unknown kind %q", n+1, f[2])
		}
		e := Entry{Path: p, Kind: k, Releases: rs, Type: f[3], Default: unescape(f[4]), Via: f[5]}
		switch {
		case k == Mapped:
			e.internal = e.Via
		case p[len(p)-1] != Any:
			e.internal = p.String()
		}
		entries = append(entries, e)
	}
	return build(entries)
}

// tree is the catalogue's tree while it is built, before build lays it
// out in slices.
type tree struct {
	children map[string]*tree
	exact    []int32
	loops    []int32
	table    bool
}

func (t *tree) child(part string) *tree {
	if t.children == nil {
		t.children = map[string]*tree{}
	}
	c := t.children[part]
	if c == nil {
		c = &tree{}
		t.children[part] = c
	}
	return c
}

// build makes the catalogue of entries: the tree of their paths, the
// index by normalised text, the loops a mapping targets and the tables.
func build(entries []Entry) (*Catalog, error) {
	c := &Catalog{entries: entries}
	root := &tree{}
	for i := range c.entries {
		e := &c.entries[i]
		p := e.Path
		n := root
		last := len(p) - 1
		if p[last] == Any {
			last--
		}
		for j := 0; j <= last; j++ {
			if e.Kind != Dead && n != root {
				n.table = true
			}
			if p[j] == Item && j == last {
				n.exact = append(n.exact, int32(i)) // the array's own path
			}
			n = n.child(p[j])
		}
		if p[len(p)-1] == Any {
			n.loops = append(n.loops, int32(i))
			c.loops = append(c.loops, int32(i))
			if e.Kind != Dead {
				n.table = true
			}
			e.norm = Normalize(strings.Join(p[:len(p)-1].Keys(), "."))
		} else {
			n.exact = append(n.exact, int32(i))
			e.norm = Normalize(strings.Join(p.Keys(), "."))
			c.byNorm = append(c.byNorm, int32(i))
		}
	}
	sort.SliceStable(c.byNorm, func(i, j int) bool {
		return c.entries[c.byNorm[i]].norm < c.entries[c.byNorm[j]].norm
	})
	// A loop is targeted when a mapping's target lies below it: walk each
	// target down the tree and mark the loops met on the way.
	for i := range c.entries {
		if c.entries[i].Kind != Mapped {
			continue
		}
		t, err := ParsePath(c.entries[i].Via)
		if err != nil {
			return nil, fmt.Errorf("%s: mapped onto %q: %w", c.entries[i].Path, c.entries[i].Via, err)
		}
		n := root
		for _, part := range t[:len(t)-1] {
			if n = n.children[part]; n == nil {
				break
			}
			for _, li := range n.loops {
				c.entries[li].targeted = true
			}
		}
	}
	c.tables = sortedTables(root)
	// Lay the tree out breadth first, so that the children of a node
	// are one run of names and kids.
	queue := []*tree{root}
	for i := 0; i < len(queue); i++ {
		t := queue[i]
		nd := node{table: t.table, kids: int32(len(c.names))}
		for _, part := range slices.Sorted(maps.Keys(t.children)) {
			c.names = append(c.names, part)
			c.kids = append(c.kids, int32(len(queue)))
			queue = append(queue, t.children[part])
		}
		nd.kidsEnd = int32(len(c.names))
		nd.exact = int32(len(c.refs))
		c.refs = append(c.refs, t.exact...)
		nd.exactEnd = int32(len(c.refs))
		nd.loops = int32(len(c.refs))
		c.refs = append(c.refs, t.loops...)
		nd.loopsEnd = int32(len(c.refs))
		c.nodes = append(c.nodes, nd)
	}
	c.hashChildren()
	return c, nil
}

// sortedTables walks the tree for the tables WSO2 reads keys from.
func sortedTables(root *tree) []Path {
	type table struct {
		p    Path
		text string
	}
	var out []table
	var walk func(n *tree, p Path)
	walk = func(n *tree, p Path) {
		if n.table {
			q := append(Path{}, p...)
			out = append(out, table{q, q.String()})
		}
		for part, child := range n.children {
			walk(child, append(p, part))
		}
	}
	walk(root, nil)
	sort.Slice(out, func(i, j int) bool { return out[i].text < out[j].text })
	paths := make([]Path, len(out))
	for i, t := range out {
		paths[i] = t.p
	}
	return paths
}

// Escape writes a default value into one field of the catalogue file.
func Escape(s string) string {
	return strings.NewReplacer(`\`, `\\`, "\t", `\t`, "\n", `\n`, "\r", `\r`).Replace(s)
}

func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	return strings.NewReplacer(`\\`, `\`, `\t`, "\t", `\n`, "\n", `\r`, "\r").Replace(s)
}

// Entries returns every entry of the catalogue, in file order (sorted by
// path). The slice is shared: callers must not modify it.
func (c *Catalog) Entries() []Entry { return c.entries }
