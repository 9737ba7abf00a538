package fleet

import "strings"

// candList holds a load's candidates from the end of discovery for as long
// as the fleet lives (Reload and HostReloader load hosts again from it):
// every path in one string, and entries without pointers, which the
// garbage collector never scans. Held as four strings each, the 110,000
// candidates of a 100,000-install fleet and their paths were 14 MB of
// small objects that every collection of the run marked again.
type candList struct {
	// paths holds the candidates' absolute paths (and their install roots
	// when a root is not the start of its path), one after the other.
	paths string
	items []candItem
	// names holds the kinds and runtime names the entries index.
	names []string
}

// candItem is a candidate in a candList: its path and install root as
// offsets into the list's paths, its kind and runtime name as indexes of
// its names.
type candItem struct {
	abs, absEnd, root, rootEnd int
	kind, runtime              uint8
	noProduct                  bool
}

// newCandList packs cs, in that order.
func newCandList(cs []candidate) candList {
	size := 0
	for _, c := range cs {
		size += len(c.abs)
		if !strings.HasPrefix(c.abs, c.root) {
			size += len(c.root)
		}
	}
	var b strings.Builder
	b.Grow(size)
	l := candList{items: make([]candItem, len(cs))}
	index := map[string]uint8{}
	name := func(s string) uint8 {
		i, ok := index[s]
		if !ok {
			// Six kinds and six runtime names at most: classify makes no
			// others.
			i = uint8(len(l.names))
			index[s] = i
			l.names = append(l.names, s)
		}
		return i
	}
	for i, c := range cs {
		it := candItem{abs: b.Len(), kind: name(c.kind), runtime: name(c.runtime), noProduct: c.noProduct}
		b.WriteString(c.abs)
		it.absEnd = b.Len()
		if strings.HasPrefix(c.abs, c.root) {
			it.root, it.rootEnd = it.abs, it.abs+len(c.root)
		} else {
			it.root = b.Len()
			b.WriteString(c.root)
			it.rootEnd = b.Len()
		}
		l.items[i] = it
	}
	l.paths = b.String()
	return l
}

// len returns the number of candidates.
func (l *candList) len() int { return len(l.items) }

// at returns candidate i; its strings share the list's memory.
func (l *candList) at(i int) candidate {
	it := &l.items[i]
	return candidate{abs: l.paths[it.abs:it.absEnd], root: l.paths[it.root:it.rootEnd],
		kind: l.names[it.kind], runtime: l.names[it.runtime], noProduct: it.noProduct}
}

// abs returns the absolute path of candidate i.
func (l *candList) abs(i int) string {
	it := &l.items[i]
	return l.paths[it.abs:it.absEnd]
}

// subset returns a list of the candidates at idx, in that order, sharing
// l's paths.
func (l *candList) subset(idx []int) candList {
	out := candList{paths: l.paths, names: l.names, items: make([]candItem, len(idx))}
	for j, i := range idx {
		out.items[j] = l.items[i]
	}
	return out
}
