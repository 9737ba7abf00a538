package yamlast

import (
	"slices"
	"strconv"
	"strings"

	"github.com/wso2lint/wso2lint/internal/srcpos"
	"gopkg.in/yaml.v3"
)

// MaxWalkNodes caps the nodes the duplicate-key walk visits in one file.
// yaml.v3 keeps aliases as single nodes and the walk never follows them, so
// a billion-laughs file is small; the cap bounds a file that is simply huge.
// Past it, Duplicates holds what was found so far.
const MaxWalkNodes = 1_000_000

// walker finds repeated keys. Every node is in exactly one Content slice,
// so walking Content without following Alias visits each node once.
type walker struct {
	d       *Doc
	doc     int
	visited int
	path    []pathElem // the path to the node being walked, rendered only for a duplicate
	dups    []Duplicate
}

func (d *Doc) findDuplicates() []Duplicate {
	w := walker{d: d}
	for i, doc := range d.Documents {
		w.doc = i
		for _, n := range doc.Content {
			if !w.walk(n) {
				break
			}
		}
	}
	slices.SortStableFunc(w.dups, func(a, b Duplicate) int { return a.Spans[0].Start - b.Spans[0].Start })
	return w.dups
}

// walk visits n and its descendants; it returns false once the node cap is
// reached.
func (w *walker) walk(n *yaml.Node) bool {
	w.visited++
	if w.visited > MaxWalkNodes {
		return false
	}
	switch n.Kind {
	case yaml.MappingNode:
		w.mapping(n)
		for i := 0; i+1 < len(n.Content); i += 2 {
			w.path = append(w.path, pathElem{key: n.Content[i]})
			ok := w.walk(n.Content[i]) && w.walk(n.Content[i+1])
			w.path = w.path[:len(w.path)-1]
			if !ok {
				return false
			}
		}
	case yaml.SequenceNode:
		for i, c := range n.Content {
			w.path = append(w.path, pathElem{index: i})
			ok := w.walk(c)
			w.path = w.path[:len(w.path)-1]
			if !ok {
				return false
			}
		}
	}
	return true
}

// keyName is a key's path element: its value for a scalar, "*name" for an
// alias, "?" for a collection used as a key.
func keyName(k *yaml.Node) string {
	switch k.Kind {
	case yaml.ScalarNode:
		return k.Value
	case yaml.AliasNode:
		return "*" + k.Value
	}
	return "?"
}

// mapping records the repeated scalar keys of m, comparing values as
// yaml.v3's own duplicate check does (so "1" and 1 are the same key).
func (w *walker) mapping(m *yaml.Node) {
	n := len(m.Content) / 2
	if n < 2 {
		return
	}
	// groups[i] lists the pair indices sharing the key of pair i's group.
	var groups [][]int
	if n <= 16 {
		seen := make([]bool, n)
		for i := range n {
			ki := m.Content[2*i]
			if seen[i] || ki.Kind != yaml.ScalarNode {
				continue
			}
			var g []int
			for j := i + 1; j < n; j++ {
				if kj := m.Content[2*j]; !seen[j] && kj.Kind == yaml.ScalarNode && kj.Value == ki.Value {
					seen[j] = true
					g = append(g, j)
				}
			}
			if g != nil {
				groups = append(groups, append([]int{i}, g...))
			}
		}
	} else {
		index := make(map[string]int, n)
		var all [][]int
		for i := range n {
			k := m.Content[2*i]
			if k.Kind != yaml.ScalarNode {
				continue
			}
			if g, ok := index[k.Value]; ok {
				all[g] = append(all[g], i)
			} else {
				index[k.Value] = len(all)
				all = append(all, []int{i})
			}
		}
		for _, g := range all {
			if len(g) > 1 {
				groups = append(groups, g)
			}
		}
	}
	if groups == nil {
		return
	}
	base := w.pathString()
	for _, g := range groups {
		first := m.Content[2*g[0]]
		dup := Duplicate{Path: joinPath(base, first.Value), Document: w.doc}
		for _, i := range g {
			k := m.Content[2*i]
			dup.Keys = append(dup.Keys, k)
			dup.Spans = append(dup.Spans, w.d.keySpan(k))
		}
		w.dups = append(w.dups, dup)
	}
}

func (w *walker) pathString() string {
	var b strings.Builder
	for _, e := range w.path {
		if e.key != nil {
			b.WriteString("." + keyName(e.key))
		} else {
			b.WriteString("[" + strconv.Itoa(e.index) + "]")
		}
	}
	return strings.TrimPrefix(b.String(), ".")
}

// pathElem is one step of a walk: a mapping key, or a sequence index.
// Building the path's text for every key of every file, when only a
// duplicate needs it, was most of the duplicate walk's cost.
type pathElem struct {
	key   *yaml.Node
	index int
}

func joinPath(base, key string) string {
	if base == "" {
		return key
	}
	return base + "." + key
}

// keySpan is the key's exact span when ScalarSpan can give one, else the
// key's text from its start to the end of its line, so that a duplicate is
// always located even when its key cannot be edited.
func (d *Doc) keySpan(k *yaml.Node) srcpos.Span {
	if sp, ok := d.ScalarSpan(k); ok {
		return sp
	}
	off := d.Offset(k)
	end := off
	for end < len(d.Src) && breakLen(d.Src, end) == 0 {
		end++
	}
	return srcpos.Span{Start: off, End: end}
}
