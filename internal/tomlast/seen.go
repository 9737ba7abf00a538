package tomlast

import (
	"sync"

	"github.com/wso2lint/wso2lint/internal/srcpos"
)

// This file is the duplicate-key tracker. go-toml's parser checks no
// semantics, and its decoder (internal/tracker/seen.go) stops at the first
// duplicate; the rules below follow the decoder's but record every
// occurrence and carry on.

// nodeKind is what defined a logical key, which decides what may extend it.
type nodeKind uint8

const (
	// kValue is a key/value; nothing can extend it, except that the fields
	// of an inline table hang off it to be checked among themselves.
	kValue nodeKind = iota + 1
	// kDotted is a table created by a dotted key (a.b = 1 creates a); only
	// other dotted keys and sub-table headers may extend it.
	kDotted
	// kTable is a table created by a header, explicitly by its own header or
	// implicitly as an intermediate part of a longer one.
	kTable
	// kArrayTable is an array of tables; its keys live under its current
	// element.
	kArrayTable
	// kAnon is an element of an array or of an array of tables. It has no
	// name, so it is never found by a lookup.
	kAnon
)

type seenNode struct {
	parent   int32
	kind     nodeKind
	explicit bool
	name     string
	first    srcpos.Span // where it was first defined
	dup      int32       // 1-based index into the duplicates, 0 for none
	elem     int32       // current element of an array of tables
}

type seenKey struct {
	parent int32
	name   string
}

// seen records every logical key met so far. Nodes created after a conflict
// are "detached": they are not registered under their name, so that the
// content of a duplicated key is checked only against itself and one mistake
// is reported once.
type seen struct {
	nodes []seenNode
	index map[seenKey]int32
	dups  []Duplicate
}

func newSeen(sizeHint int) *seen {
	if s, ok := seenPool.Get().(*seen); ok {
		s.nodes = append(s.nodes[:0], seenNode{parent: -1, kind: kTable, explicit: true})
		return s
	}
	s := &seen{
		nodes: make([]seenNode, 1, sizeHint+1),
		index: make(map[seenKey]int32, sizeHint),
	}
	s.nodes[0] = seenNode{parent: -1, kind: kTable, explicit: true}
	return s
}

// seenPool recycles trackers, which live only while a file is parsed: on
// a large fleet their maps and node slices were a tenth of what parsing
// allocated.
var seenPool sync.Pool

// recycle empties the tracker (dropping its references into the file's
// text) and puts it back in the pool. The duplicates it found belong to
// the Doc.
func (s *seen) recycle() {
	clear(s.nodes)
	clear(s.index)
	s.nodes, s.dups = s.nodes[:0], nil
	seenPool.Put(s)
}

func (s *seen) find(parent int32, name string) int32 {
	if id, ok := s.index[seenKey{parent, name}]; ok {
		return id
	}
	return -1
}

func (s *seen) add(parent int32, name string, kind nodeKind, first srcpos.Span, attach bool) int32 {
	id := int32(len(s.nodes))
	s.nodes = append(s.nodes, seenNode{parent: parent, kind: kind, name: name, first: first})
	if attach {
		s.index[seenKey{parent, name}] = id
	}
	if kind == kArrayTable {
		s.newElem(id)
	}
	return id
}

// newElem starts a new element of an array of tables, so that its keys are
// checked afresh.
func (s *seen) newElem(id int32) {
	e := s.add(id, "", kAnon, srcpos.Span{}, false)
	s.nodes[id].elem = e
}

// anon returns a new nameless node for an element of an array value.
func (s *seen) anon(parent int32) int32 {
	return s.add(parent, "", kAnon, srcpos.Span{}, false)
}

// into returns the node that keys under id attach to.
func (s *seen) into(id int32) int32 {
	if s.nodes[id].kind == kArrayTable {
		return s.nodes[id].elem
	}
	return id
}

// conflict records a new occurrence of the key id.
func (s *seen) conflict(id int32, at srcpos.Span) {
	n := &s.nodes[id]
	if n.dup == 0 {
		s.dups = append(s.dups, Duplicate{Path: s.path(id), Spans: []srcpos.Span{n.first, at}})
		n.dup = int32(len(s.dups))
		return
	}
	d := &s.dups[n.dup-1]
	if d.Spans[len(d.Spans)-1] != at {
		d.Spans = append(d.Spans, at)
	}
}

func (s *seen) path(id int32) []string {
	n := 0
	for i := id; i > 0; i = s.nodes[i].parent {
		if s.nodes[i].kind != kAnon {
			n++
		}
	}
	p := make([]string, n)
	for i := id; i > 0; i = s.nodes[i].parent {
		if s.nodes[i].kind != kAnon {
			n--
			p[n] = s.nodes[i].name
		}
	}
	return p
}

// header checks a [table] or [[array table]] header and returns the node its
// keys attach to.
func (s *seen) header(keys []KeyPart, at srcpos.Span, array bool) int32 {
	parent := int32(0)
	detached := false
	for i, k := range keys {
		last := i == len(keys)-1
		kind := kTable
		if last && array {
			kind = kArrayTable
		}
		if detached {
			parent = s.into(s.add(parent, k.Name, kind, at, false))
			continue
		}
		id := s.find(parent, k.Name)
		if !last {
			switch {
			case id < 0:
				id = s.add(parent, k.Name, kTable, at, true)
			case s.nodes[id].kind == kValue:
				// [x.y] after x = 1 or x = {...}.
				s.conflict(id, at)
				detached = true
				id = s.add(parent, k.Name, kTable, at, false)
			}
			parent = s.into(id)
			continue
		}
		if id < 0 {
			id = s.add(parent, k.Name, kind, at, true)
			s.nodes[id].explicit = true
			return s.into(id)
		}
		n := &s.nodes[id]
		switch {
		case array && n.kind == kArrayTable:
			s.newElem(id)
			return s.into(id)
		case !array && n.kind == kTable && !n.explicit:
			// [a.b] then [a] is valid: [a] defines a for the first time.
			n.explicit = true
			n.first = at
			return id
		case !array && n.kind == kTable:
			// The same table twice: keep reading into it, so that a key
			// repeated in both copies is reported too.
			s.conflict(id, at)
			return id
		default:
			s.conflict(id, at)
			return s.into(s.add(parent, k.Name, kind, at, false))
		}
	}
	return parent // unreachable: a header has at least one key
}

// keyval checks the key of a key/value under the table node parent and
// returns the node of the key, under which an inline table's fields go.
func (s *seen) keyval(parent int32, keys []KeyPart, at srcpos.Span) int32 {
	parent = s.into(parent)
	detached := false
	for i, k := range keys {
		last := i == len(keys)-1
		kind := kDotted
		if last {
			kind = kValue
		}
		if detached {
			parent = s.add(parent, k.Name, kind, at, false)
			continue
		}
		id := s.find(parent, k.Name)
		switch {
		case id < 0:
			id = s.add(parent, k.Name, kind, at, true)
		case last || s.nodes[id].kind != kDotted:
			s.conflict(id, at)
			detached = true
			id = s.add(parent, k.Name, kind, at, false)
		}
		parent = id
	}
	return parent
}
