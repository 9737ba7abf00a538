package yamlast

import (
	"bytes"
	"encoding/binary"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"gopkg.in/yaml.v3"

	"github.com/wso2lint/wso2lint/internal/lazyre"
	"github.com/wso2lint/wso2lint/internal/srcpos"
)

// This file is a fast path for the YAML that configuration files are made
// of. yaml.v3 parses about 20 MB/s, which made it most of a large fleet's
// lint (EI Analytics deployment.yaml files are 15 KB each). parseFast reads
// what those files and rendered manifests use — block mappings and
// sequences, plain and quoted single-line scalars, literal and folded block
// scalars, one-line flow collections ([], {}, [a, b], {k: [v]}, and the
// {{ placeholder }} a template leaves), anchors and aliases, comments,
// several documents — in one pass over the lines and builds the very node
// tree yaml.v3 builds: same kinds, styles, tags, values, anchors, aliases,
// lines and columns (it leaves the comment fields empty; Doc.Comments has
// the comments). An entry or item holding anything else (tags, multi-line
// plain or flow scalars, complex keys) is handed to yaml.v3 alone
// (tryEntry); a file it cannot cut that way (directives, "..." markers,
// tabs, a lone CR, unusual characters, an alias across the cut) goes to
// yaml.v3 whole, errors included. FuzzFastPath checks the two
// agree.

// fastParser holds the state of one parse.
type fastParser struct {
	src  []byte
	text string // src as a string (srcpos.Text): scalar values share it
	// lines are the lines of src; cur is the next line to read.
	lines   []fastLine
	cur     int
	anchors map[string]*yaml.Node
	slab    []yaml.Node
	// stack holds the children of the collections being parsed; take
	// moves a finished collection's children into ptrs, a slab of exact
	// Content slices, rather than growing each Content by appending.
	stack, ptrs []*yaml.Node
	// flowEnd is the offset just past the flow collection flow parsed.
	flowEnd int
	// byYAML is set when yaml.v3 read some entries (tryEntry, tryItem);
	// cuts holds the line ranges [from, to) it read, in file order, whose
	// comments the parse did not note.
	byYAML bool
	cuts   [][2]int
	// cutBytes counts the bytes handed to yaml.v3 in cuts so far.
	cutBytes int
}

// fastLine is one line: [start, end) without the line break; ind is the
// number of leading spaces; content is false for a blank or comment-only
// line; comment is the offset of the line's comment, 0 for none.
type fastLine struct {
	start, end, ind int
	comment         int
	content         bool
	ascii           bool
	// doc marks a "---" line that starts a document (content is set, so
	// that every collection ends there).
	doc bool
}

// commentAt returns where the line's comment starts and whether it has
// one: a line without content is a comment unless it is blank.
func (l *fastLine) commentAt() (int, bool) {
	if !l.content {
		i := l.start + l.ind
		return i, i != l.end
	}
	return l.comment, l.comment != 0
}

// errFast aborts the fast path, or the entry being tried (try); it never
// escapes parseFast.
type errFast struct{}

// errGiveUp aborts the fast path whatever entry is being tried: the file
// goes to yaml.v3 whole.
type errGiveUp struct{}

// parseFast parses src into a document node as yaml.v3 does, or returns ok
// false when src is not in the subset it handles.
func parseFast(src []byte) (docs []*yaml.Node, ok bool) {
	docs, p, ok := parseFastParser(src)
	if p != nil {
		p.recycle()
	}
	return docs, ok
}

// parseFastParser is parseFast, returning the parser too for what it
// noted on the way (lines, comments); the caller recycles it. When the
// fast path gives up after the lines were split, p is still returned (with
// ok false), so that the fallback need not index the lines again.
func parseFastParser(src []byte) (docs []*yaml.Node, p *fastParser, ok bool) {
	if len(src) == 0 || len(src) > 1<<22 || !fastChars(src) {
		return nil, nil, false
	}
	p = &fastParser{src: src, text: srcpos.Text(src)}
	if sc, ok := scratchPool.Get().(*fastScratch); ok {
		p.lines, p.stack = sc.lines[:0], sc.stack[:0]
	}
	if !p.splitLines() {
		p.recycle()
		return nil, nil, false
	}
	defer func() {
		if r := recover(); r != nil {
			_, fast := r.(errFast)
			if _, giveUp := r.(errGiveUp); !fast && !giveUp {
				panic(r)
			}
			docs, ok = nil, false
		}
	}()
	for first := p.peek(); first >= 0; first = p.peek() {
		marker := -1
		if p.lines[first].doc {
			// "---" starts a document; yaml.v3 places it at the marker.
			marker = first
			p.cur = first + 1
			if first = p.peek(); first < 0 || p.lines[first].doc {
				p.fail() // an empty document: yaml.v3 decides what it holds
			}
		} else if len(docs) > 0 {
			p.fail() // content after the root: not ours
		}
		p.anchors = nil // yaml.v3 resolves aliases within their document
		l := p.lines[first]
		root := p.blockCollection(l.ind, p.startOf(first), nil, 0, 0)
		d := p.node()
		*d = yaml.Node{Kind: yaml.DocumentNode, Line: root.Line, Column: root.Column, Content: []*yaml.Node{root}}
		if marker >= 0 {
			d.Line, d.Column = marker+1, 1
		}
		docs = append(docs, d)
		if next := p.peek(); next >= 0 && !p.lines[next].doc {
			p.fail() // content after the root: not ours
		}
	}
	if len(docs) == 0 {
		return nil, p, false // no content: yaml.v3 decides what that is
	}
	return docs, p, true
}

func (p *fastParser) fail() { panic(errFast{}) }

// fastScratch is what a parse needs only while it runs, recycled: on a
// large fleet the line tables were a twentieth of what parsing allocated.
type fastScratch struct {
	lines []fastLine
	stack []*yaml.Node
}

var scratchPool sync.Pool

// recycle returns the parser's scratch to the pool; the parser must not be
// used afterwards.
func (p *fastParser) recycle() {
	if p.lines == nil {
		return
	}
	clear(p.stack[:cap(p.stack)])
	scratchPool.Put(&fastScratch{lines: p.lines[:0], stack: p.stack[:0]})
	p.lines, p.stack = nil, nil
}

// tryEntry parses the mapping entry whose key starts line li, at
// indentation ind. An entry the fast path cannot read — a tag, a
// multi-line scalar or flow collection, a complex value — is handed to
// yaml.v3 alone: its lines, up to the next line indented no more than the
// key, are cut from the file, dedented and parsed (byYAML). The rest of the
// file stays on the fast path, so one unusual line costs yaml.v3's time on
// its entry, not on the whole file. Should yaml.v3 not read the cut as
// exactly one entry (an alias to an anchor outside it, a scalar that runs
// past it), the enclosing entry is tried the same way, and at the top the
// whole file goes to yaml.v3.
func (p *fastParser) tryEntry(li, ind int) (k, v *yaml.Node) {
	if p.try(func() {
		k, v = p.entry(ind, p.lines[li].start+ind)
		if next := p.peek(); next >= 0 && (p.lines[next].ind > ind || p.lines[next].ind == ind && p.isEntry(p.startOf(next), p.lines[next].end)) {
			p.fail() // the entry goes on in a way the fast path did not follow
		}
	}, li) {
		return k, v
	}
	// yaml.v3 starts a new entry here only at a simple key; any other
	// line ("[x]", "!tag", "? k") may be the value of an entry before it,
	// which the cut would lose.
	l := p.lines[li]
	if c := p.src[l.start+ind]; c != '"' && c != '\'' && !plainStart(p.src, l.start+ind, l.end) || !p.isKeyLine(l.start+ind, l.end) {
		p.fail()
	}
	r := p.cut(li, ind, true)
	if r.Kind != yaml.MappingNode || len(r.Content) != 2 || r.Tag != "!!map" {
		p.fail()
	}
	return r.Content[0], r.Content[1]
}

// tryItem is tryEntry for the block sequence item whose '-' starts line
// li, at indentation ind.
func (p *fastParser) tryItem(li, ind int) (item *yaml.Node) {
	if p.try(func() {
		p.cur = li + 1
		item = p.item(li, p.lines[li].start+ind, ind)
		if next := p.peek(); next >= 0 && p.lines[next].ind > ind {
			p.fail()
		}
	}, li) {
		return item
	}
	r := p.cut(li, ind, false)
	if r.Kind != yaml.SequenceNode || len(r.Content) != 1 || r.Tag != "!!seq" {
		p.fail()
	}
	return r.Content[0]
}

// try runs parse, which starts at line li, and reports whether the fast
// path read it; if not, it leaves the parser at li as it found it.
func (p *fastParser) try(parse func(), li int) (ok bool) {
	mark, cutMark := len(p.stack), len(p.cuts)
	defer func() {
		if r := recover(); r != nil {
			if _, ok2 := r.(errFast); !ok2 {
				panic(r)
			}
			clear(p.stack[mark:])
			p.stack = p.stack[:mark]
			p.cuts = p.cuts[:cutMark] // an enclosing cut will cover them
			p.cur = li
			ok = false
		}
	}()
	p.cur = li
	parse()
	return true
}

// cut parses with yaml.v3 the lines from li to the next content line
// indented no more than ind (in a mapping, a sequence entry at ind still
// belongs to the cut: it is an indentless sequence, the entry's value),
// with ind columns of indentation removed, and returns the root of what it
// read, moved to its lines and columns in the file. It leaves p.cur on the
// first line after the cut.
func (p *fastParser) cut(li, ind int, inMap bool) *yaml.Node {
	next := li + 1
	for ; next < len(p.lines); next++ {
		l := p.lines[next]
		if l.content && l.ind <= ind && !(inMap && l.ind == ind && p.isEntry(p.startOf(next), l.end)) {
			break
		}
	}
	end := len(p.src)
	if next < len(p.lines) {
		end = p.lines[next].start
	}
	// Cuts that fail are retried larger by the enclosing entry: bound
	// what yaml.v3 reads that way, or deep nesting would make it read the
	// file over and over.
	if p.cutBytes += end - p.lines[li].start; p.cutBytes > 2*len(p.src) {
		panic(errGiveUp{})
	}
	frag := p.src[p.lines[li].start:end]
	if ind > 0 {
		frag = make([]byte, 0, end-p.lines[li].start)
		for i := li; i < next; i++ {
			l := p.lines[i]
			switch {
			case l.ind >= ind:
				frag = append(frag, p.src[l.start+ind:l.end]...)
			case l.content:
				p.fail() // cannot happen: the cut ends at such a line
			default:
				// A blank line, or a comment less indented than the cut:
				// neither carries a node.
				frag = append(frag, p.src[l.start+l.ind:l.end]...)
			}
			if l.end < len(p.src) {
				frag = append(frag, '\n')
			}
		}
	}
	docs, err := decodeAll(frag)
	if err != nil || len(docs) != 1 || len(docs[0].Content) != 1 {
		p.fail()
	}
	r := docs[0].Content[0]
	if r.Style != 0 || r.Anchor != "" || r.Line != 1 || r.Column != 1 {
		p.fail()
	}
	// A node yaml.v3 placed on a line the cut did not shift (an empty
	// value at a blank line or at the end of the cut) may sit elsewhere
	// in the file: such a cut is left to the enclosing one.
	shifted := func(line int) bool {
		i := li + line - 1
		switch {
		case ind == 0:
			return true
		case i < next:
			return p.lines[i].ind >= ind
		case i == next:
			return next < len(p.lines) && p.lines[next].ind == ind
		}
		return false
	}
	for _, n := range r.Content {
		p.adopt(n, li, ind, shifted)
	}
	p.cur = next
	p.byYAML = true
	p.cuts = append(p.cuts, [2]int{li, next})
	return r
}

// adopt moves the nodes yaml.v3 parsed from a cut starting at line li
// with ind columns removed to their lines and columns in the file, and
// notes their anchors, in file order, for the aliases after the cut.
func (p *fastParser) adopt(n *yaml.Node, li, ind int, shifted func(line int) bool) {
	if !shifted(n.Line) {
		p.fail()
	}
	n.Line += li
	n.Column += ind
	if n.Anchor != "" {
		if p.anchors == nil {
			p.anchors = map[string]*yaml.Node{}
		}
		p.anchors[n.Anchor] = n
	}
	for _, c := range n.Content {
		p.adopt(c, li, ind, shifted)
	}
}

// trailing notes the comment that starts at off on line li, if one does.
func (p *fastParser) trailing(li, off int) {
	if off < p.lines[li].end && p.src[off] == '#' {
		p.lines[li].comment = off
	}
}

// comments returns the comments of a parsed file as scanComments finds
// them, from what the parse noted and, for the lines yaml.v3 read, from
// the scanner over those lines (lines is the file's line index).
func (p *fastParser) comments(lines []yline) []Comment {
	// WSO2's files are mostly comments: the lines that hold one are
	// counted first, so that the list is made once at its size.
	n := 0
	for _, l := range p.lines {
		if _, ok := l.commentAt(); ok {
			n++
		}
	}
	var out []Comment
	if n > 0 {
		out = make([]Comment, 0, n)
	}
	cuts := p.cuts
	for li := 0; li < len(p.lines); li++ {
		if len(cuts) > 0 && li == cuts[0][0] {
			// The scanner's state is at rest where a cut starts (a key
			// or an item at the start of its line), so it can read the
			// cut's lines alone.
			s := scanner{src: p.src, lastParent: -1, res: scanResult{unclosedQuote: -1}}
			for _, l := range lines[li:cuts[0][1]] {
				s.line(l)
			}
			out = append(out, s.res.comments...)
			li = cuts[0][1] - 1
			cuts = cuts[1:]
			continue
		}
		l := p.lines[li]
		i, ok := l.commentAt()
		if !ok {
			continue
		}
		out = append(out, Comment{Span: srcpos.Span{Start: i, End: l.end}, Text: p.text[i:l.end], Trailing: l.content})
	}
	return out
}

// ylines returns the line index of a parsed file as indexLines makes it.
func (p *fastParser) ylines() []yline {
	out := make([]yline, len(p.lines))
	for i, l := range p.lines {
		if l.ascii {
			out[i] = yline{start: l.start, end: l.end}
		} else {
			out[i] = makeLine(p.src, l.start, l.end, false)
		}
	}
	return out
}

// node returns a new zero node from a slab: one allocation per 64 nodes.
func (p *fastParser) node() *yaml.Node {
	if len(p.slab) == cap(p.slab) {
		p.slab = make([]yaml.Node, 0, 64)
	}
	p.slab = p.slab[:len(p.slab)+1]
	return &p.slab[len(p.slab)-1]
}

// take returns the children pushed since mark as an exact-size slice and
// pops them.
func (p *fastParser) take(mark int) []*yaml.Node {
	n := len(p.stack) - mark
	if cap(p.ptrs)-len(p.ptrs) < n {
		p.ptrs = make([]*yaml.Node, 0, max(256, n))
	}
	l := len(p.ptrs)
	p.ptrs = append(p.ptrs, p.stack[mark:]...)
	p.stack = p.stack[:mark]
	return p.ptrs[l : l+n : l+n]
}

// ones and highs are a 64-bit word's bytes each 0x01 and each 0x80, for
// the tests of eight bytes at a time.
const ones, highs = 0x0101010101010101, 0x8080808080808080

// fastChars reports whether src holds only characters the fast path takes:
// no CR, no byte-order mark, no control character, no Unicode line break,
// nothing yaml.v3 would refuse or treat specially.
func fastChars(src []byte) bool {
	i := 0
	if bytes.HasPrefix(src, bom) {
		i = len(bom) // yaml.v3 drops it; line 1 starts after it
	}
	for i < len(src) {
		// Eight ASCII characters at a time, printable, tabs or line
		// feeds: none at 0x7F or above, and those below 0x20 all tabs or
		// line feeds. With every byte at most 0x7E, adding to each byte
		// carries into no other, so each test below is exact by byte.
		if i+8 <= len(src) {
			if w := binary.LittleEndian.Uint64(src[i:]); (w+ones|w)&highs == 0 {
				low := ^(w + 0x60*ones) & highs               // bytes below 0x20
				lf := ^((w ^ '\n'*ones) + 0x7F*ones) & highs  // line feeds
				tab := ^((w ^ '\t'*ones) + 0x7F*ones) & highs // tabs
				if low&^(lf|tab) == 0 {
					i += 8
					continue
				}
			}
		}
		n := fastChar(src, i)
		if n == 0 {
			return false
		}
		i += n
	}
	return true
}

// fastChar returns the length of the character at src[i] when the fast
// path takes it (fastChars), 0 when it does not.
func fastChar(src []byte, i int) int {
	if c := src[i]; c < utf8.RuneSelf {
		if c < 0x20 && c != '\n' && c != '\t' && !(c == '\r' && i+1 < len(src) && src[i+1] == '\n') || c == 0x7F {
			return 0
		}
		return 1
	}
	r, n := utf8.DecodeRune(src[i:])
	if r == utf8.RuneError || r == 0x85 || r == 0x2028 || r == 0x2029 || r == 0xFEFF ||
		r < 0xA0 || r >= 0xD800 && r < 0xE000 || r > 0xFFFD {
		return 0
	}
	return n
}

// asciiOnly reports whether b holds no byte of 0x80 or above, looking at
// eight bytes at a time.
func asciiOnly(b []byte) bool {
	i := 0
	for ; i+8 <= len(b); i += 8 {
		if binary.LittleEndian.Uint64(b[i:])&highs != 0 {
			return false
		}
	}
	for ; i < len(b); i++ {
		if b[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// splitLines cuts src into lines and classifies them. A tab before a
// line's content, a document marker or a directive ends the fast path.
func (p *fastParser) splitLines() bool {
	src := p.src
	if p.lines == nil {
		p.lines = make([]fastLine, 0, len(src)/24+1)
	}
	start := 0
	if bytes.HasPrefix(src, bom) {
		start = len(bom)
	}
	// Most files are ASCII throughout: their lines need no look of their
	// own. The searches below go through the bytes package, which looks
	// at many bytes at a time.
	allASCII := asciiOnly(src[start:])
	for start <= len(src) {
		end := len(src)
		if k := bytes.IndexByte(src[start:], '\n'); k >= 0 {
			end = start + k
		}
		ascii := allASCII || asciiOnly(src[start:end])
		nl := end
		if end > start && end < len(src) && src[end-1] == '\r' {
			end-- // CRLF is one line break (fastChars lets no other CR in)
		}
		l := fastLine{start: start, end: end, ascii: ascii}
		i := start
		for i < end && src[i] == ' ' {
			i++
		}
		l.ind = i - start
		switch {
		case i == end:
		case src[i] == '\t':
			return false
		case src[i] == '#':
			l.comment = i
		default:
			l.content = true
			if l.ind == 0 && (src[i] == '%' || isDocMarker(src, i, end)) {
				// "---" alone or with a comment starts a document; a
				// directive, "..." or "--- value" are left to yaml.v3.
				if src[i] != '-' {
					return false
				}
				j := skipBlanks(src, i+3)
				if j < end && src[j] != '#' {
					return false
				}
				if j < end {
					l.comment = j
				}
				l.doc = true
			}
			if bytes.IndexByte(src[i:end], '\t') >= 0 {
				return false // tabs are blanks to yaml.v3 in ways not worth copying
			}
		}
		p.lines = append(p.lines, l)
		if nl == len(src) {
			break
		}
		start = nl + 1
	}
	return true
}

// peek returns the index of the next content line, or -1 at the end.
func (p *fastParser) peek() int {
	for i := p.cur; i < len(p.lines); i++ {
		if p.lines[i].content {
			p.cur = i
			return i
		}
	}
	p.cur = len(p.lines)
	return -1
}

func (p *fastParser) startOf(li int) int { return p.lines[li].start + p.lines[li].ind }

// col returns the 1-based column, in characters, of offset off on line li.
func (p *fastParser) col(li, off int) int {
	l := p.lines[li]
	if l.ascii {
		return off - l.start + 1
	}
	return utf8.RuneCount(p.src[l.start:off]) + 1
}

// blockCollection parses the block mapping or sequence that starts at
// offset off of the current line, at indentation ind. anchor, when set,
// is its anchor, written at anchorLine:anchorCol (the node's position).
func (p *fastParser) blockCollection(ind, off int, anchor *string, anchorLine, anchorCol int) *yaml.Node {
	li := p.cur
	if p.isEntry(off, p.lines[li].end) {
		return p.sequence(ind, anchor, anchorLine, anchorCol)
	}
	return p.mapping(ind, off, anchor, anchorLine, anchorCol)
}

// isEntry reports whether a block sequence entry ("-" then a blank or the
// end of the line) starts at off.
func (p *fastParser) isEntry(off, end int) bool {
	return off < end && p.src[off] == '-' && (off+1 == end || p.src[off+1] == ' ')
}

func (p *fastParser) setAnchor(n *yaml.Node, anchor *string, line, col int) {
	if anchor == nil {
		return
	}
	n.Anchor = *anchor
	n.Line, n.Column = line, col
	if p.anchors == nil {
		p.anchors = map[string]*yaml.Node{}
	}
	p.anchors[*anchor] = n
}

// mapping parses a block mapping whose first key starts at offset off of
// the current line, every key at indentation ind.
func (p *fastParser) mapping(ind, off int, anchor *string, anchorLine, anchorCol int) *yaml.Node {
	m := p.node()
	li := p.cur
	m.Kind, m.Tag, m.Line, m.Column = yaml.MappingNode, "!!map", li+1, p.col(li, off)
	p.setAnchor(m, anchor, anchorLine, anchorCol)
	mark := len(p.stack)
	defer func() { m.Content = p.take(mark) }()
	for {
		var k, v *yaml.Node
		if l := p.lines[p.cur]; off == l.start+l.ind {
			k, v = p.tryEntry(p.cur, ind)
		} else {
			k, v = p.entry(ind, off) // the first key of "- key: value"
		}
		p.stack = append(p.stack, k, v)
		li = p.peek()
		if li < 0 {
			return m
		}
		l := p.lines[li]
		if l.ind < ind || l.doc {
			return m
		}
		if l.ind > ind {
			p.fail()
		}
		off = l.start + l.ind
		if p.isEntry(off, l.end) {
			// A sequence entry where a key belongs: an indentless
			// sequence that is not a value, which yaml.v3 rejects.
			p.fail()
		}
	}
}

// entry parses "key: value" at offset off of the current line (a mapping
// at indentation ind) and what belongs to the value on later lines.
func (p *fastParser) entry(ind, off int) (*yaml.Node, *yaml.Node) {
	li := p.cur
	l := p.lines[li]
	k, colon := p.key(li, off, l.end)
	p.cur = li + 1
	v := p.value(li, colon+1, ind, true)
	return k, v
}

// key parses a mapping key at off and returns its node and the offset of
// the ':' that ends it.
func (p *fastParser) key(li, off, end int) (*yaml.Node, int) {
	src := p.src
	k := p.node()
	k.Kind, k.Line, k.Column = yaml.ScalarNode, li+1, p.col(li, off)
	var after int
	switch c := src[off]; c {
	case '"', '\'':
		e, val, ok := scanQuoted(src, off)
		if !ok || e > end {
			p.fail()
		}
		k.Value, k.Tag = val, "!!str"
		k.Style = yaml.DoubleQuotedStyle
		if c == '\'' {
			k.Style = yaml.SingleQuotedStyle
		}
		after = skipBlanks(src, e)
		if after >= end || src[after] != ':' || !(after+1 == end || src[after+1] == ' ') {
			p.fail()
		}
	default:
		if !plainStart(src, off, end) {
			p.fail()
		}
		after = -1
		for i := off; i < end; i++ {
			if src[i] == ':' && (i+1 == end || src[i+1] == ' ') {
				after = i
				break
			}
			if src[i] == '#' && src[i-1] == ' ' {
				break // a comment before any ':': no key here
			}
		}
		if after < 0 {
			p.fail()
		}
		e := after
		for e > off && src[e-1] == ' ' {
			e--
		}
		k.Value = p.text[off:e]
		k.Tag = plainTag(k.Value)
	}
	if after-off > 1000 {
		p.fail() // yaml.v3 limits simple keys to 1024 characters
	}
	return k, after
}

// value parses what follows a ':' or a '-' at offset off of line li: an
// inline scalar, alias or anchored node, or a nested block on the next
// lines. parent is the indentation of the mapping or sequence the value
// belongs to; inMap allows an indentless sequence (a mapping's value).
func (p *fastParser) value(li, off, parent int, inMap bool) *yaml.Node {
	src, end := p.src, p.lines[li].end
	i := skipBlanks(src, off)
	var anchor *string
	anchorLine, anchorCol := 0, 0
	if i < end && src[i] == '&' {
		j := i + 1
		for j < end && isAnchorChar(src[j]) {
			j++
		}
		if j == i+1 || j < end && src[j] != ' ' {
			p.fail()
		}
		name := p.text[i+1 : j]
		anchor, anchorLine, anchorCol = &name, li+1, p.col(li, i)
		i = skipBlanks(src, j)
	}
	if i == end || src[i] == '#' {
		p.trailing(li, i)
		// The value is on the following lines, or empty.
		return p.nested(li, off, parent, inMap, anchor, anchorLine, anchorCol)
	}
	var n *yaml.Node
	switch c := src[i]; c {
	case '*':
		if anchor != nil {
			p.fail()
		}
		j := i + 1
		for j < end && isAnchorChar(src[j]) {
			j++
		}
		target := p.anchors[p.text[i+1:j]]
		if j == i+1 || target == nil || j < end && src[j] != ' ' {
			p.fail() // unknown anchor, or "*a#": yaml.v3 reports it
		}
		n = p.node()
		n.Kind, n.Value, n.Alias, n.Line, n.Column = yaml.AliasNode, p.text[i+1:j], target, li+1, p.col(li, i)
		i = j
	case '[', '{':
		n = p.flow(li, i, end, 0)
		i = p.flowEnd
	case '|', '>':
		n = p.blockScalar(li, i, parent)
		p.setAnchor(n, anchor, anchorLine, anchorCol)
		if next := p.peek(); next >= 0 && p.lines[next].ind > parent {
			p.fail()
		}
		return n
	case '"', '\'':
		e, val, ok := scanQuoted(src, i)
		if !ok || e > end {
			p.fail()
		}
		n = p.node()
		n.Kind, n.Tag, n.Value, n.Line, n.Column = yaml.ScalarNode, "!!str", val, li+1, p.col(li, i)
		n.Style = yaml.DoubleQuotedStyle
		if c == '\'' {
			n.Style = yaml.SingleQuotedStyle
		}
		i = e
	default:
		if !plainStart(src, i, end) {
			p.fail()
		}
		e := i
		for e < end && !(src[e] == '#' && src[e-1] == ' ') {
			if src[e] == ':' && (e+1 == end || src[e+1] == ' ') {
				p.fail() // "a: b: c" or a key where a value belongs
			}
			e++
		}
		for e > i && src[e-1] == ' ' {
			e--
		}
		n = p.node()
		n.Kind, n.Value, n.Line, n.Column = yaml.ScalarNode, p.text[i:e], li+1, p.col(li, i)
		n.Tag = plainTag(n.Value)
		i = e
	}
	if i = skipBlanks(src, i); i < end && src[i] != '#' {
		p.fail()
	}
	p.trailing(li, i)
	p.setAnchor(n, anchor, anchorLine, anchorCol)
	// A more indented line would continue a plain scalar (or be an error):
	// not ours.
	if next := p.peek(); next >= 0 && p.lines[next].ind > parent {
		p.fail()
	}
	return n
}

// nested parses the value of an entry whose line ends after the ':' or
// '-' at offset off of line li: a block collection on the following lines,
// or an empty (null) scalar.
func (p *fastParser) nested(li, off, parent int, inMap bool, anchor *string, anchorLine, anchorCol int) *yaml.Node {
	next := p.peek()
	if next >= 0 {
		l := p.lines[next]
		start := l.start + l.ind
		switch {
		case l.ind > parent:
			return p.blockCollection(l.ind, start, anchor, anchorLine, anchorCol)
		case l.ind == parent && inMap && p.isEntry(start, l.end):
			return p.sequence(l.ind, anchor, anchorLine, anchorCol)
		}
	}
	if anchor != nil {
		p.fail() // an anchored empty value: rare, left to yaml.v3
	}
	n := p.node()
	n.Kind, n.Tag, n.Line, n.Column = yaml.ScalarNode, "!!null", li+1, p.col(li, off)
	return n
}

// sequence parses a block sequence whose entries start at indentation ind,
// the first on the current line.
func (p *fastParser) sequence(ind int, anchor *string, anchorLine, anchorCol int) *yaml.Node {
	s := p.node()
	li := p.cur
	s.Kind, s.Tag, s.Line, s.Column = yaml.SequenceNode, "!!seq", li+1, p.col(li, p.startOf(li))
	p.setAnchor(s, anchor, anchorLine, anchorCol)
	mark := len(p.stack)
	defer func() { s.Content = p.take(mark) }()
	for {
		item := p.tryItem(li, ind)
		p.stack = append(p.stack, item)
		li = p.peek()
		if li < 0 {
			return s
		}
		l := p.lines[li]
		if l.ind != ind || !p.isEntry(l.start+l.ind, l.end) {
			if l.ind > ind {
				p.fail()
			}
			return s
		}
	}
}

// item parses the entry of a block sequence after the '-' at offset dash
// of line li.
func (p *fastParser) item(li, dash, ind int) *yaml.Node {
	src, end := p.src, p.lines[li].end
	i := skipBlanks(src, dash+1)
	if i < end && src[i] != '#' && src[i] != '&' && src[i] != '*' && src[i] != '[' && src[i] != '{' && p.isKeyLine(i, end) {
		// A compact mapping: "- key: value", its keys at this column.
		if p.isEntry(i, end) || !p.lines[li].ascii {
			p.fail()
		}
		p.cur = li
		return p.mapping(i-p.lines[li].start, i, nil, 0, 0)
	}
	if p.isEntry(i, end) {
		p.fail() // "- - x": a compact nested sequence
	}
	return p.value(li, dash+1, ind, false)
}

// isKeyLine reports whether the text at off starts a mapping key: a ':'
// followed by a blank or the end of the line, before any comment and
// outside quotes.
func (p *fastParser) isKeyLine(off, end int) bool {
	src := p.src
	if c := src[off]; c == '"' || c == '\'' {
		e, _, ok := scanQuoted(src, off)
		if !ok || e > end {
			p.fail()
		}
		e = skipBlanks(src, e)
		return e < end && src[e] == ':' && (e+1 == end || src[e+1] == ' ')
	}
	for i := off; i < end; i++ {
		if src[i] == ':' && (i+1 == end || src[i+1] == ' ') {
			return true
		}
		if src[i] == '#' && i > off && src[i-1] == ' ' {
			return false
		}
	}
	return false
}

// plainStart reports whether a plain scalar may start at off in the block
// context, as far as the fast path goes: not with an indicator.
func plainStart(src []byte, off, end int) bool {
	switch src[off] {
	case '-':
		return off+1 < end && src[off+1] != ' '
	case '?', ':', ',', '[', ']', '{', '}', '#', '&', '*', '!', '|', '>', '\'', '"', '%', '@', '`':
		return false
	}
	return true
}

// plainTag returns the tag yaml.v3 resolves a plain scalar to (resolve.go
// in gopkg.in/yaml.v3, for an untagged scalar).
func plainTag(s string) string {
	if s == "<<" {
		return "!!merge"
	}
	if s == "" {
		return "!!null"
	}
	switch s {
	case "true", "True", "TRUE", "false", "False", "FALSE":
		return "!!bool"
	case "~", "null", "Null", "NULL":
		return "!!null"
	case ".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF":
		return "!!float"
	}
	switch c := s[0]; {
	case c == '.':
		if _, err := strconv.ParseFloat(s, 64); err == nil {
			return "!!float"
		}
	case c == '+' || c == '-' || c >= '0' && c <= '9':
		if isTimestamp(s) {
			return "!!timestamp"
		}
		plain := strings.ReplaceAll(s, "_", "")
		if _, err := strconv.ParseInt(plain, 0, 64); err == nil {
			return "!!int"
		}
		if _, err := strconv.ParseUint(plain, 0, 64); err == nil {
			return "!!int"
		}
		if yamlStyleFloat.MatchString(plain) {
			if _, err := strconv.ParseFloat(plain, 64); err == nil {
				return "!!float"
			}
		}
		for _, pre := range [][2]string{{"0b", ""}, {"-0b", "-"}} {
			if strings.HasPrefix(plain, pre[0]) {
				if _, err := strconv.ParseInt(pre[1]+plain[len(pre[0]):], 2, 64); err == nil {
					return "!!int"
				}
				if pre[1] == "" {
					if _, err := strconv.ParseUint(plain[2:], 2, 64); err == nil {
						return "!!int"
					}
				}
			}
		}
		for _, pre := range [][2]string{{"0o", ""}, {"-0o", "-"}} {
			if strings.HasPrefix(plain, pre[0]) {
				if _, err := strconv.ParseInt(pre[1]+plain[len(pre[0]):], 8, 64); err == nil {
					return "!!int"
				}
				if pre[1] == "" {
					if _, err := strconv.ParseUint(plain[2:], 8, 64); err == nil {
						return "!!int"
					}
				}
			}
		}
	}
	return "!!str"
}

var yamlStyleFloat = lazyre.New(`^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`)

// isTimestamp is yaml.v3's parseTimestamp, as a test.
func isTimestamp(s string) bool {
	i := 0
	for ; i < len(s); i++ {
		if c := s[i]; c < '0' || c > '9' {
			break
		}
	}
	if i != 4 || i == len(s) || s[i] != '-' {
		return false
	}
	for _, format := range []string{"2006-1-2T15:4:5.999999999Z07:00", "2006-1-2t15:4:5.999999999Z07:00", "2006-1-2 15:4:5.999999999", "2006-1-2"} {
		if _, err := time.Parse(format, s); err == nil {
			return true
		}
	}
	return false
}

// maxFlowDepth bounds the nesting of flow collections the fast path
// follows; deeper ones are left to yaml.v3.
const maxFlowDepth = 16

// flow parses a flow collection that fits on its line — [], {}, [a, 'b'],
// {k: v, k2: [x, y]}, and the {{ placeholder }} of a template, which YAML
// reads as a mapping whose only key is a mapping with null values — as
// yaml.v3 does. Anything else (anchors, aliases, tags, ':' inside a plain
// scalar, empty entries, a comment, a collection over several lines) makes
// the fast path give up. It leaves p.flowEnd just past the closing bracket.
func (p *fastParser) flow(li, i, end, depth int) *yaml.Node {
	if depth >= maxFlowDepth {
		p.fail()
	}
	src := p.src
	open := src[i]
	closing, kind, tag := byte(']'), yaml.SequenceNode, "!!seq"
	if open == '{' {
		closing, kind, tag = '}', yaml.MappingNode, "!!map"
	}
	n := p.node()
	n.Kind, n.Style, n.Tag, n.Line, n.Column = kind, yaml.FlowStyle, tag, li+1, p.col(li, i)
	mark := len(p.stack)
	i = skipBlanks(src, i+1)
	for {
		if i >= end {
			p.fail()
		}
		if src[i] == closing {
			break
		}
		p.stack = append(p.stack, p.flowNode(li, &i, end, depth))
		if open == '{' {
			switch {
			case i < end && (src[i] == ',' || src[i] == '}'):
				// A key alone: its value is null, placed where the
				// next token starts.
				v := p.node()
				v.Kind, v.Tag, v.Line, v.Column = yaml.ScalarNode, "!!null", li+1, p.col(li, i)
				p.stack = append(p.stack, v)
			case i+1 < end && src[i] == ':' && src[i+1] == ' ':
				k := p.stack[len(p.stack)-1]
				if k.Kind != yaml.ScalarNode {
					p.fail() // a collection as a key with a value: rare
				}
				i = skipBlanks(src, i+1)
				if i < end && (src[i] == ',' || src[i] == '}') {
					p.fail() // "k: ," an empty value
				}
				p.stack = append(p.stack, p.flowNode(li, &i, end, depth))
			default:
				p.fail()
			}
		}
		switch {
		case i < end && src[i] == ',':
			i = skipBlanks(src, i+1)
		case i < end && src[i] == closing:
		default:
			p.fail()
		}
	}
	n.Content = p.take(mark)
	p.flowEnd = i + 1
	return n
}

// flowNode parses one node of a flow collection at *i — a nested flow
// collection or a scalar — and moves *i past it and the blanks after it.
func (p *fastParser) flowNode(li int, i *int, end, depth int) *yaml.Node {
	if *i < end && (p.src[*i] == '[' || p.src[*i] == '{') {
		n := p.flow(li, *i, end, depth+1)
		*i = skipBlanks(p.src, p.flowEnd)
		return n
	}
	return p.flowScalar(li, i, end)
}

// flowScalar parses one scalar of a flow collection at *i and moves *i
// past it and the blanks after it. A plain scalar runs, blanks included,
// to a flow indicator; one that holds a ':' or '?', or a " #", is left to
// yaml.v3, as is one that starts with an indicator.
func (p *fastParser) flowScalar(li int, i *int, end int) *yaml.Node {
	src := p.src
	start := *i
	if start >= end {
		p.fail()
	}
	n := p.node()
	n.Line, n.Column, n.Kind = li+1, p.col(li, start), yaml.ScalarNode
	switch c := src[start]; {
	case c == '"' || c == '\'':
		e, val, ok := scanQuoted(src, start)
		if !ok || e > end {
			p.fail()
		}
		n.Tag, n.Value, n.Style = "!!str", val, yaml.DoubleQuotedStyle
		if c == '\'' {
			n.Style = yaml.SingleQuotedStyle
		}
		*i = e
	case c == '-' && start+1 < end && isFlowPlain(src[start+1]) || c != '-' && plainStart(src, start, end):
		e := start
	scan:
		for ; e < end; e++ {
			switch src[e] {
			case ',', '[', ']', '{', '}':
				break scan
			case ':':
				if e+1 < end && src[e+1] == ' ' {
					break scan // a key's end; in a sequence, flow fails
				}
				p.fail()
			case '?':
				p.fail()
			case '#':
				if src[e-1] == ' ' {
					p.fail() // a comment inside the collection
				}
			}
		}
		last := e
		for last > start && src[last-1] == ' ' {
			last--
		}
		if last-start > 1000 {
			p.fail() // yaml.v3 limits simple keys to 1024 characters
		}
		n.Value = p.text[start:last]
		n.Tag = plainTag(n.Value)
		*i = e
	default:
		p.fail()
	}
	*i = skipBlanks(src, *i)
	return n
}

func isFlowPlain(c byte) bool {
	return c == '_' || c == '.' || c == '/' || c == '-' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// blockScalar parses a literal (|) or folded (>) block scalar whose header
// starts at offset i of line li, in a collection at indentation parent, as
// yaml.v3's scanner does (yaml_parser_scan_block_scalar): the chomping and
// indentation indicators, the text's indentation taken from the first
// non-blank line and the blank lines before it, folding, and chomping. The
// text's lines are marked as content, so that a '#' in them is not taken
// for a comment. It leaves p.cur on the first line after the scalar.
func (p *fastParser) blockScalar(li, i, parent int) *yaml.Node {
	src, lines := p.src, p.lines
	end := lines[li].end
	n := p.node()
	n.Kind, n.Tag, n.Line, n.Column = yaml.ScalarNode, "!!str", li+1, p.col(li, i)
	literal := src[i] == '|'
	n.Style = yaml.FoldedStyle
	if literal {
		n.Style = yaml.LiteralStyle
	}
	j := i + 1
	chomping, increment := 0, 0
	for k := 0; k < 2 && j < end; k++ {
		switch c := src[j]; {
		case (c == '+' || c == '-') && chomping == 0:
			chomping = 1
			if c == '-' {
				chomping = -1
			}
		case c >= '1' && c <= '9' && increment == 0:
			increment = int(c - '0')
		default:
			k = 2
			continue
		}
		j++
	}
	h := skipBlanks(src, j)
	if h < end && (src[h] != '#' || h == j) {
		p.fail() // text after the header, or "|#": left to yaml.v3
	}
	p.trailing(li, h)

	indent := 0
	if increment > 0 {
		indent = parent + increment
	}
	var b []byte
	leadingBreak, trailingBreaks, leadingBlank := false, 0, false
	cur := li + 1
	// eaten is how many leading spaces yaml.v3 takes for indentation on
	// line cur (scan_block_scalar_breaks).
	breaks := func() {
		maxIndent := 0
		for ; cur < len(lines); cur++ {
			l := lines[cur]
			col := l.ind
			if indent > 0 {
				col = min(col, indent)
			}
			maxIndent = max(maxIndent, col)
			if l.start+col != l.end || l.end == len(src) {
				break // a non-empty line, or the end of the file
			}
			trailingBreaks++
		}
		if indent == 0 {
			indent = max(maxIndent, parent+1, 1)
		}
	}
	breaks()
	for cur < len(lines) {
		l := lines[cur]
		if l.ind < indent || l.start+indent >= l.end && l.end == len(src) {
			break
		}
		text := l.start + indent
		trailingBlank := text < l.end && src[text] == ' '
		if !literal && !leadingBlank && !trailingBlank && leadingBreak {
			if trailingBreaks == 0 {
				b = append(b, ' ')
			}
		} else if leadingBreak {
			b = append(b, '\n')
		}
		for ; trailingBreaks > 0; trailingBreaks-- {
			b = append(b, '\n')
		}
		leadingBlank = trailingBlank
		b = append(b, src[text:l.end]...)
		p.lines[cur].content, p.lines[cur].comment = true, 0
		leadingBreak = l.end < len(src)
		cur++
		breaks()
	}
	if chomping != -1 && leadingBreak {
		b = append(b, '\n')
	}
	if chomping == 1 {
		for ; trailingBreaks > 0; trailingBreaks-- {
			b = append(b, '\n')
		}
	}
	n.Value = string(b)
	p.cur = cur
	return n
}
