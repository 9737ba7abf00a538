package tomlast

import (
	"bytes"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/wso2lint/wso2lint/internal/lazyre"
	"github.com/wso2lint/wso2lint/internal/srcpos"
)

// MaxNesting is the deepest nesting of arrays and inline tables that Parse
// accepts. Configuration files nest a few levels at most; the cap keeps this
// package's own recursion bounded on hostile input. go-toml's parser has its
// own, higher cap.
const MaxNesting = 1000

var bom = []byte{0xEF, 0xBB, 0xBF}

// parsers recycles go-toml parsers, whose node arena is worth reusing when
// thousands of small files are linted.
var parsers = sync.Pool{New: func() any { return new(unstable.Parser) }}

// Parse parses src. A file that does not parse returns a *SyntaxError along
// with a partial Doc holding what came before the error (Src and Lines are
// always set). Duplicate keys and tables are not errors: they are listed in
// Doc.Duplicates.
//
// A leading UTF-8 byte-order mark is skipped, but all offsets stay relative
// to src. Parse does not copy src: the Doc and the strings it holds share
// its memory, so the caller must never modify it.
func Parse(src []byte) (doc *Doc, err error) {
	d := &Doc{Src: src, Lines: srcpos.NewLines(src)}
	// Names and texts that appear verbatim in the file (nearly all of
	// them) share its memory instead of allocating.
	b := &builder{doc: d, src: src, text: srcpos.Text(src)}
	if bytes.HasPrefix(src, bom) {
		b.base = len(bom)
	}
	p := parsers.Get().(*unstable.Parser)
	defer func() {
		if r := recover(); r != nil {
			// A bug in go-toml (or here) must not take the whole lint run
			// down: the file gets an invalid-syntax finding instead. The
			// parser's state is unknown, so it is not recycled.
			if b.seen != nil {
				d.Duplicates = b.seen.dups
			}
			doc, err = d, &SyntaxError{Pos: d.Lines.Pos(0), Message: fmt.Sprintf("internal parser error: %v", r)}
			return
		}
		p.Reset(nil)
		parsers.Put(p)
		if b.seen != nil {
			b.seen.recycle()
		}
	}()
	p.KeepComments = true
	// A full slice expression makes cap == len, which go-toml's offset
	// arithmetic (cap of data minus cap of a subslice) relies on.
	p.Reset(src[b.base:len(src):len(src)])
	b.p = p
	// Size the slabs and the duplicate tracker once, from a count of the
	// lines that look like key/values and headers. (Counting every '='
	// and '[' overshot by the comments, URLs and arrays of real files:
	// zeroing the unused entries was most of what Parse allocated; so
	// were fixed-size slabs of strings and key parts on small files.)
	n := estimate(src)
	b.entries = make([]Entry, min(n.kv, 4096))
	b.strs = make([]string, 0, min(n.strs, 8192))
	b.parts = make([]KeyPart, 0, min(n.parts, 4096))
	if n.comments > 0 {
		d.Comments = make([]Comment, 0, min(n.comments, 4096))
	}
	b.seen = newSeen(min(n.kv+2*n.hdr+1, 4096))

	for p.NextExpression() {
		if testHook != nil {
			testHook(p.Expression())
		}
		if serr := b.expr(p.Expression()); serr != nil {
			d.Duplicates = b.seen.dups
			return d, serr
		}
	}
	d.Duplicates = b.seen.dups
	if perr := p.Error(); perr != nil {
		return d, b.syntaxError(perr)
	}
	return d, nil
}

// sizes is what estimate counts.
type sizes struct {
	kv, hdr, comments int
	// strs and parts are the path strings and key parts they need: a
	// header's parts, a key/value's parts after those of its table.
	strs, parts int
}

// estimate counts the lines that look like a key/value (a '=' before any
// '#', not a header), those that look like a header and those that hold a
// comment, and the dotted parts of their keys. Multi-line values, inline
// tables and quoted keys with dots make it a guess: the slabs grow when it
// falls short.
func estimate(src []byte) sizes {
	var n sizes
	depth := 0 // parts of the current table's header
	for len(src) > 0 {
		line := src
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			line, src = src[:i], src[i+1:]
		} else {
			src = nil
		}
		i := 0
		for i < len(line) && (line[i] == ' ' || line[i] == '\t') {
			i++
		}
		if line = line[i:]; len(line) == 0 {
			continue
		}
		hash := bytes.IndexByte(line, '#')
		if hash >= 0 {
			n.comments++
		}
		switch {
		case hash == 0:
		case line[0] == '[':
			n.hdr++
			end := bytes.IndexByte(line, ']')
			if end < 0 {
				end = len(line)
			}
			depth = 1 + bytes.Count(line[:end], []byte("."))
			n.strs += depth
			n.parts += depth
		default:
			if i := bytes.IndexByte(line, '='); i >= 0 && (hash < 0 || i < hash) {
				n.kv++
				parts := 1 + bytes.Count(line[:i], []byte("."))
				n.strs += depth + parts
				n.parts += parts
			}
		}
	}
	n.kv++
	return n
}

// testHook, when set by a test, runs before each expression is built; it
// lets a test provoke a panic inside the parse to check the recovery.
var testHook func(*unstable.Node)

// builder turns go-toml's expressions into a Doc.
type builder struct {
	doc  *Doc
	src  []byte
	text string // src as a string (srcpos.Text)
	base int    // length of the BOM, which go-toml does not see
	p    *unstable.Parser
	seen *seen

	cur    *Table // current table, nil for the root
	curID  int32  // its node in seen
	arrays map[string]int

	// Slabs that many small objects are carved from, to allocate per chunk
	// rather than per key.
	entries []Entry
	strs    []string
	parts   []KeyPart
	keyBuf  []KeyPart
}

const slab = 64

func (b *builder) newEntry() *Entry {
	if len(b.entries) == 0 {
		b.entries = make([]Entry, slab)
	}
	e := &b.entries[0]
	b.entries = b.entries[1:]
	return e
}

// newStrings returns an empty slice with room for exactly n strings.
func (b *builder) newStrings(n int) []string {
	if cap(b.strs)-len(b.strs) < n {
		b.strs = make([]string, 0, max(4*slab, n))
	}
	l := len(b.strs)
	b.strs = b.strs[:l+n]
	return b.strs[l : l : l+n]
}

func (b *builder) newParts(ps []KeyPart) []KeyPart {
	n := len(ps)
	if cap(b.parts)-len(b.parts) < n {
		b.parts = make([]KeyPart, 0, max(slab, n))
	}
	l := len(b.parts)
	b.parts = append(b.parts, ps...)
	return b.parts[l : l+n : l+n]
}

// str returns data as a string, sharing b.text when data is what the file
// holds at offset start (and before limit), allocating otherwise (escapes).
func (b *builder) str(data []byte, start, limit int) string {
	if end := start + len(data); start >= 0 && end <= limit && bytes.Equal(b.src[start:end], data) {
		return b.text[start:end]
	}
	return string(data)
}

func (b *builder) span(r unstable.Range) srcpos.Span {
	start := b.base + int(r.Offset)
	return srcpos.Span{Start: start, End: start + int(r.Length)}
}

func (b *builder) syntaxError(err error) *SyntaxError {
	var pe *unstable.ParserError
	if !errors.As(err, &pe) {
		return &SyntaxError{Pos: b.doc.Lines.Pos(0), Message: err.Error()}
	}
	// The highlight is a subslice of the parser's data; check that before
	// asking go-toml, whose Range panics otherwise.
	data := b.p.Data()
	off := cap(data) - cap(pe.Highlight)
	if off < 0 || off+len(pe.Highlight) > len(data) {
		off = len(data)
		pe.Highlight = nil
	}
	sp := srcpos.Span{Start: b.base + off, End: b.base + off}
	if pe.Highlight != nil {
		sp = b.span(b.p.Range(pe.Highlight))
	}
	sp = wholeRunes(b.src, sp)
	return &SyntaxError{Span: sp, Pos: b.doc.Lines.Pos(sp.Start), Message: charMessage(pe.Message, b.src, sp.Start)}
}

// byteChar matches go-toml's description of the byte it stopped at,
// "U+00C3 'Ã'": it formats the byte, not the character, so the first byte
// of "é" reads as "Ã" and a byte-order mark as "ï".
var byteChar = lazyre.New(`U\+00([89A-F][0-9A-F])(?: '[^']*')?`)

// charMessage rewrites go-toml's description of a byte into the
// character at off that the byte begins, and names a byte-order mark
// away from the start of the file for what it is.
func charMessage(msg string, src []byte, off int) string {
	if off < 0 || off >= len(src) || src[off] < 0x80 {
		return msg
	}
	m := byteChar.FindStringSubmatchIndex(msg)
	if m == nil || !strings.EqualFold(msg[m[2]:m[3]], fmt.Sprintf("%02X", src[off])) {
		return msg
	}
	r, n := utf8.DecodeRune(src[off:])
	desc := fmt.Sprintf("%#U", r)
	switch {
	case r == utf8.RuneError && n <= 1:
		desc = fmt.Sprintf("byte 0x%02X (not UTF-8)", src[off])
	case r == '\ufeff':
		desc = "U+FEFF (a byte-order mark, which may only begin a file)"
	case !unicode.IsPrint(r):
		desc = fmt.Sprintf("%U", r)
	}
	return msg[:m[0]] + desc + msg[m[1]:]
}

// wholeRunes widens a span to whole UTF-8 characters: go-toml highlights
// the byte it stopped at, which may be the first of a character's bytes,
// and a span ending inside a character gives a column and a caret that
// point into it.
func wholeRunes(src []byte, sp srcpos.Span) srcpos.Span {
	for sp.Start > 0 && sp.Start < len(src) && !utf8.RuneStart(src[sp.Start]) {
		sp.Start--
	}
	for sp.End > 0 && sp.End < len(src) && !utf8.RuneStart(src[sp.End]) {
		sp.End++
	}
	return sp
}

func (b *builder) expr(e *unstable.Node) *SyntaxError {
	switch e.Kind {
	case unstable.Comment:
		b.comment(e)
		return nil
	case unstable.Table, unstable.ArrayTable:
		b.table(e)
	case unstable.KeyValue:
		if err := b.topKeyval(e); err != nil {
			return err
		}
	}
	if c := e.Next(); c != nil && c.Kind == unstable.Comment {
		b.comment(c)
	}
	return nil
}

func (b *builder) comment(c *unstable.Node) {
	sp := b.span(c.Raw)
	i := sp.Start
	for i > b.base && (b.src[i-1] == ' ' || b.src[i-1] == '\t') {
		i--
	}
	b.doc.Comments = append(b.doc.Comments, Comment{
		Span:     sp,
		Text:     b.str(c.Data, sp.Start, sp.End),
		Trailing: i > b.base && b.src[i-1] != '\n',
	})
}

// commentRun records a comment inside an array or inline table together
// with the comments that follow it without a value in between, which go-toml
// hangs off the first one.
func (b *builder) commentRun(c *unstable.Node) {
	b.comment(c)
	for x := c.Child(); x != nil; x = x.Next() {
		if x.Kind == unstable.Comment {
			b.comment(x)
		}
	}
}

func (b *builder) keyParts(it unstable.Iterator) []KeyPart {
	keys := b.keyBuf[:0]
	for it.Next() {
		k := it.Node()
		sp := b.span(k.Raw)
		start := sp.Start
		quoted := sp.Len() > 0 && (b.src[sp.Start] == '"' || b.src[sp.Start] == '\'')
		if quoted {
			start++
		}
		keys = append(keys, KeyPart{Name: b.str(k.Data, start, sp.End), Span: sp, Quoted: quoted})
	}
	b.keyBuf = keys
	return b.newParts(keys)
}

func (b *builder) table(e *unstable.Node) {
	keys := b.keyParts(e.Key())
	if len(keys) == 0 {
		return // go-toml never gives a header without a key
	}
	array := e.Kind == unstable.ArrayTable
	brackets := 1
	if array {
		brackets = 2
	}
	// go-toml leaves the header's range empty: step out from the keys over
	// blanks to the brackets.
	start := keys[0].Span.Start
	i := b.skipBlanksBack(start)
	if i-brackets >= b.base && b.src[i-1] == '[' && b.src[i-brackets] == '[' {
		start = i - brackets
	}
	end := keys[len(keys)-1].Span.End
	j := b.skipBlanks(end)
	if j+brackets <= len(b.src) && b.src[j] == ']' && b.src[j+brackets-1] == ']' {
		end = j + brackets
	}
	path := b.newStrings(len(keys))
	for _, k := range keys {
		path = append(path, k.Name)
	}
	t := &Table{
		Path:    path,
		Header:  srcpos.Span{Start: start, End: end},
		Keys:    keys,
		Array:   array,
		Index:   -1,
		BodyEnd: b.lineEnd(end),
	}
	if array {
		if b.arrays == nil {
			b.arrays = make(map[string]int)
		}
		k := pathKey(path)
		t.Index = b.arrays[k]
		b.arrays[k]++
	}
	b.doc.Tables = append(b.doc.Tables, t)
	b.cur = t
	b.curID = b.seen.header(keys, t.Header, array)
}

// pathKey encodes a path unambiguously: key parts may contain any character.
func pathKey(path []string) string {
	var sb strings.Builder
	for _, p := range path {
		sb.WriteString(strconv.Itoa(len(p)))
		sb.WriteByte(':')
		sb.WriteString(p)
	}
	return sb.String()
}

func (b *builder) topKeyval(n *unstable.Node) *SyntaxError {
	var prefix []string
	if b.cur != nil {
		prefix = b.cur.Path
	}
	e, err := b.keyval(n, prefix, b.curID, false, 0, true)
	if e != nil {
		e.Line = srcpos.Span{Start: b.lineStart(e.Span.Start), End: b.lineEnd(e.Span.End)}
		if b.cur != nil {
			b.cur.BodyEnd = e.Line.End
		}
	}
	return err
}

// keyval builds the entry for a key/value whose key is under prefix (logical
// path) and parent (seen node). Entries are added to Doc.Entries when record
// is set, before their inline fields.
func (b *builder) keyval(n *unstable.Node, prefix []string, parent int32, inline bool, depth int, record bool) (*Entry, *SyntaxError) {
	keys := b.keyParts(n.Key())
	if len(keys) == 0 {
		return nil, nil // go-toml never gives a key/value without a key
	}
	path := append(b.newStrings(len(prefix)+len(keys)), prefix...)
	for _, k := range keys {
		path = append(path, k.Name)
	}
	sp := b.span(n.Raw)
	e := b.newEntry()
	*e = Entry{
		Table:   b.cur,
		Path:    path,
		Key:     keys,
		KeySpan: srcpos.Span{Start: keys[0].Span.Start, End: keys[len(keys)-1].Span.End},
		Span:    sp,
		Line:    sp,
		Inline:  inline,
	}
	if record {
		b.doc.Entries = append(b.doc.Entries, e)
	}
	id := b.seen.keyval(parent, keys, e.KeySpan)
	// Arrays have no range in go-toml: their value starts after the '='.
	start := b.skipBlanks(e.KeySpan.End)
	if start < len(b.src) && b.src[start] == '=' {
		start = b.skipBlanks(start + 1)
	}
	v, _, err := b.value(n.Value(), start, path, id, depth, record)
	e.Value = v
	return e, err
}

// value builds the value of node n, which starts at offset start (needed for
// arrays, which go-toml gives no range), and returns it with its end offset.
// path and id are those of the key holding the value.
func (b *builder) value(n *unstable.Node, start int, path []string, id int32, depth int, record bool) (Value, int, *SyntaxError) {
	var v Value
	switch n.Kind {
	case unstable.Array:
		v.Kind = Array
		return b.array(n, v, start, path, id, depth)
	case unstable.InlineTable:
		v.Kind = InlineTable
		return b.inlineTable(n, v, path, id, depth, record)
	case unstable.String:
		v.Kind = String
	case unstable.Integer:
		v.Kind = Integer
	case unstable.Float:
		v.Kind = Float
	case unstable.Bool:
		v.Kind = Bool
	default:
		v.Kind = DateTime
	}
	v.Span = b.span(n.Raw)
	start, limit := v.Span.Start, v.Span.End
	if v.Kind == String {
		v.Quote = quoteOf(b.src[start:limit])
		start += len(v.Quote)
		limit -= len(v.Quote)
		if len(v.Quote) == 3 {
			// A line break right after the opening quotes is not content.
			if start < limit && b.src[start] == '\n' {
				start++
			} else if start+1 < limit && b.src[start] == '\r' && b.src[start+1] == '\n' {
				start += 2
			}
		}
	}
	v.Text = b.str(n.Data, start, limit)
	return v, v.Span.End, nil
}

func quoteOf(raw []byte) string {
	switch {
	case bytes.HasPrefix(raw, []byte(`"""`)):
		return `"""`
	case bytes.HasPrefix(raw, []byte(`'''`)):
		return `'''`
	case bytes.HasPrefix(raw, []byte(`"`)):
		return `"`
	case bytes.HasPrefix(raw, []byte(`'`)):
		return `'`
	}
	return ""
}

func (b *builder) tooDeep(at int) *SyntaxError {
	sp := srcpos.Span{Start: at, End: min(at+1, len(b.src))}
	return &SyntaxError{Span: sp, Pos: b.doc.Lines.Pos(at), Message: fmt.Sprintf("nesting too deep (more than %d levels of arrays and inline tables)", MaxNesting)}
}

func (b *builder) array(n *unstable.Node, v Value, start int, path []string, id int32, depth int) (Value, int, *SyntaxError) {
	if depth >= MaxNesting {
		return v, start, b.tooDeep(start)
	}
	cur := start + 1 // past '['
	it := n.Children()
	for it.Next() {
		c := it.Node()
		if c.Kind == unstable.Comment {
			b.commentRun(c)
			continue
		}
		elemID := id
		if c.Kind == unstable.InlineTable || c.Kind == unstable.Array {
			elemID = b.seen.anon(id)
		}
		ev, end, err := b.value(c, b.skipTrivia(cur), path, elemID, depth+1, false)
		if err != nil {
			return v, end, err
		}
		v.Elems = append(v.Elems, ev)
		cur = end
	}
	end := b.closing(cur, ']')
	v.Span = srcpos.Span{Start: start, End: end}
	return v, end, nil
}

func (b *builder) inlineTable(n *unstable.Node, v Value, path []string, id int32, depth int, record bool) (Value, int, *SyntaxError) {
	start := b.span(n.Raw).Start
	if depth >= MaxNesting {
		return v, start, b.tooDeep(start)
	}
	cur := start + 1 // past '{'
	it := n.Children()
	for it.Next() {
		c := it.Node()
		switch c.Kind {
		case unstable.Comment:
			b.commentRun(c)
		case unstable.KeyValue:
			f, err := b.keyval(c, path, id, true, depth+1, record)
			if f != nil {
				v.Fields = append(v.Fields, f)
				cur = f.Span.End
			}
			if err != nil {
				return v, cur, err
			}
		}
	}
	end := b.closing(cur, '}')
	v.Span = srcpos.Span{Start: start, End: end}
	return v, end, nil
}

// closing returns the offset just past the bracket that closes an array or
// inline table whose last element ends at from.
func (b *builder) closing(from int, bracket byte) int {
	i := b.skipTrivia(from)
	if i < len(b.src) && b.src[i] == bracket {
		return i + 1
	}
	return i // not reached on input go-toml accepted
}

// skipTrivia skips what go-toml allows between the elements of an array or
// inline table: blanks, line breaks, commas and comments.
func (b *builder) skipTrivia(i int) int {
	for i < len(b.src) {
		switch b.src[i] {
		case ' ', '\t', '\r', '\n', ',':
			i++
		case '#':
			j := bytes.IndexByte(b.src[i:], '\n')
			if j < 0 {
				return len(b.src)
			}
			i += j + 1
		default:
			return i
		}
	}
	return i
}

func (b *builder) skipBlanks(i int) int {
	for i < len(b.src) && (b.src[i] == ' ' || b.src[i] == '\t') {
		i++
	}
	return i
}

func (b *builder) skipBlanksBack(i int) int {
	for i > b.base && (b.src[i-1] == ' ' || b.src[i-1] == '\t') {
		i--
	}
	return i
}

// lineStart returns the start of the line holding offset i; on the first
// line that is after the BOM, which a fix must keep.
func (b *builder) lineStart(i int) int {
	for i > b.base && b.src[i-1] != '\n' {
		i--
	}
	return i
}

// lineEnd returns the offset past the rest of a line whose code ends at i:
// blanks, a trailing comment and the line break.
func (b *builder) lineEnd(i int) int {
	i = b.skipBlanks(i)
	if i < len(b.src) && b.src[i] == '#' {
		j := bytes.IndexByte(b.src[i:], '\n')
		if j < 0 {
			return len(b.src)
		}
		return i + j + 1
	}
	if i+1 < len(b.src) && b.src[i] == '\r' && b.src[i+1] == '\n' {
		return i + 2
	}
	if i < len(b.src) && b.src[i] == '\n' {
		return i + 1
	}
	return i
}
