// Package catalog holds what WSO2 Micro Integrator reads from
// deployment.toml, release by release: every key its config mapper
// renames, every key its templates render, the tables they loop over, the
// keys its Java code reads directly, and each key's default. The data is
// generated from WSO2's own config-tool files of MI 4.0–4.4 by
// internal/cmd/gencatalog and committed as mi_keys.tsv; this package only
// reads it, so the catalogue is a lookup, never a scan of WSO2's files.
//
// WSO2's config mapper ignores a key that no mapping renames and no
// template or code reads, without a word: that is why a mis-keyed setting
// matters, and why the catalogue must be complete before a linter may
// call a key unknown.
package catalog

//go:generate go run ../internal/cmd/gencatalog -out mi_keys.tsv

import (
	_ "embed"
	"fmt"
	"sort"
	"strings"
	"sync"
)

// Releases lists the MI releases the catalogue covers, oldest first. A
// release is named by its index in this list.
var releases = [...]string{"4.0.0", "4.1.0", "4.2.0", "4.3.0", "4.4.0"}

// NumReleases is the number of releases the catalogue covers.
const NumReleases = len(releases)

// ReleaseName returns the name of a release ("4.2.0").
func ReleaseName(r int) string { return releases[r] }

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
}

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

//go:embed mi_keys.tsv
var miData string

// Catalog is the set of keys of one product, across releases.
type Catalog struct {
	entries []Entry
	// exact indexes entries by path text; an array's entry is found by
	// the array's own path too (datasource and datasource[]).
	exact map[string][]int
	// loops lists the Loop entries, whose paths end in Any.
	loops []int
	// byNorm indexes the entries that are not loops by their normalised
	// text, for the exact matches of Suggestions and Respelled.
	byNorm map[string][]int
	// tables holds the text of every proper prefix of a live key: the
	// tables WSO2 reads keys from; tableList holds them too, sorted.
	tables    map[string]bool
	tableList []Path
}

// MI returns the catalogue of MI's deployment.toml.
var MI = sync.OnceValue(func() *Catalog {
	c, err := Parse(miData)
	if err != nil {
		panic("catalog: mi_keys.tsv: " + err.Error())
	}
	return c
})

// Parse reads a catalogue in the format of mi_keys.tsv: comment lines
// starting with '#', then one key a line with tab-separated path,
// releases, kind, type, default and via.
func Parse(data string) (*Catalog, error) {
	c := &Catalog{exact: map[string][]int{}, tables: map[string]bool{}, byNorm: map[string][]int{}}
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
		rs, err := parseSet(f[1])
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n+1, err)
		}
		k, ok := parseKind(f[2])
		if !ok {
			return nil, fmt.Errorf("line %d: unknown kind %q", n+1, f[2])
		}
		c.entries = append(c.entries, Entry{Path: p, Kind: k, Releases: rs, Type: f[3], Default: unescape(f[4]), Via: f[5]})
	}
	for i := range c.entries {
		e := &c.entries[i]
		p := e.Path
		if p[len(p)-1] == Any {
			c.loops = append(c.loops, i)
		} else {
			c.exact[p.String()] = append(c.exact[p.String()], i)
			if p[len(p)-1] == Item {
				c.exact[p[:len(p)-1].String()] = append(c.exact[p[:len(p)-1].String()], i)
			}
		}
		if p[len(p)-1] == Any {
			e.norm = Normalize(strings.Join(p[:len(p)-1].Keys(), "."))
		} else {
			e.norm = Normalize(strings.Join(p.Keys(), "."))
			c.byNorm[e.norm] = append(c.byNorm[e.norm], i)
		}
		if e.Kind != Dead {
			for j := 1; j < len(p); j++ {
				c.tables[p[:j].String()] = true
			}
		}
	}
	for t := range c.tables {
		c.tableList = append(c.tableList, MustParsePath(t))
	}
	sort.Slice(c.tableList, func(i, j int) bool { return c.tableList[i].String() < c.tableList[j].String() })
	return c, nil
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
