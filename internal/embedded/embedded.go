// Package embedded maps a file that lives inside another one back to its
// host: a deployment.toml carried by a YAML scalar (a Kubernetes ConfigMap's
// data) is linted as a file of its own, and every offset in it must turn
// into an offset of the manifest, so that a finding points at the
// manifest's line and column and a fix edits the manifest's bytes.
//
// A literal block scalar (|, |-, |+) holds its text one line per manifest
// line, each shifted by the block's indentation: offsets map exactly and an
// edit can be written back, with the lines it inserts indented like the
// block. A quoted or plain scalar maps exactly where its bytes are the
// text's (escapes map to the escape that wrote them), but an edit is never
// written back into one: the text would need escaping or folding that a
// reviewer would not recognise. A folded block scalar (>) and any scalar
// whose bytes this package does not decode to yaml.v3's value are mapped
// inexactly: every offset goes to the scalar's first byte, so that a
// finding still names the right place to look.
package embedded

import (
	"bytes"
	"errors"
	"fmt"
	"sort"
	"unicode/utf8"
)

// seg is a run of n text bytes copied one to one from the host, starting
// at text offset text and host offset host.
type seg struct{ text, host, n int }

// Text is the value of a scalar with the map from its offsets to the
// host's.
type Text struct {
	// Value is the scalar's value, as yaml.v3 reads it.
	Value string
	// Exact reports that every offset of Value maps to the host byte that
	// wrote it; Editable that edits of Value can be written back into the
	// host (a literal block scalar with plain line breaks).
	Exact, Editable bool

	segs []seg
	// at is the host offset of an offset no segment covers: the scalar's
	// first byte.
	at int
	// For a block scalar: the offset of its indicator and the indentation
	// of the node that holds it, to read the block again after an edit,
	// and the block's indentation.
	header, parent, indent int
	// explicit is set when the header gives the indentation.
	explicit bool
	// crlf is set for a block whose lines end in CRLF.
	crlf bool
}

// Inexact returns a text whose every offset maps to host offset at.
func Inexact(value string, at int) *Text {
	return &Text{Value: value, at: at}
}

// Extent returns the host span the text's bytes come from: from the host
// byte of its first byte to just past the host byte of its last one.
func (t *Text) Extent() (start, end int) {
	if len(t.segs) == 0 {
		return t.at, t.at
	}
	last := t.segs[len(t.segs)-1]
	return t.segs[0].host, last.host + last.n
}

// Offset returns the host offset of text offset o: the host byte that
// wrote the text byte at o, or, for the end of the text, the host offset
// just past its last byte. An offset at the start of a line of a block
// scalar maps past the line's indentation.
func (t *Text) Offset(o int) int {
	if len(t.segs) == 0 {
		return t.at
	}
	i := sort.Search(len(t.segs), func(i int) bool { return t.segs[i].text+t.segs[i].n > o })
	if i == len(t.segs) {
		last := t.segs[len(t.segs)-1]
		return last.host + last.n
	}
	s := t.segs[i]
	if o < s.text {
		return s.host
	}
	return s.host + o - s.text
}

// End returns the host offset for the end of a span that ends at text
// offset o: just past the host byte of o-1, so that a span ending with a
// line break does not end on the next line's indentation.
func (t *Text) End(o, start int) int {
	if o <= start || len(t.segs) == 0 {
		return t.Offset(o)
	}
	return t.Offset(o-1) + 1
}

// Edit is a replacement of the text bytes [Start, End) with New.
type Edit struct {
	Start, End int
	New        string
}

// ErrNotEditable is returned for an edit of a text that cannot be written
// back into its host.
var ErrNotEditable = errors.New("the config is a quoted, plain or folded YAML string, which wso2lint does not rewrite; write it as a literal block (|) to get fixes")

// ErrCRLF is returned for an edit of a block scalar whose lines end in
// CRLF: the value has one byte where the manifest has two.
var ErrCRLF = errors.New("the manifest's lines end in CRLF inside the block that carries the config, which wso2lint does not rewrite")

// Edits translates edits of the text into edits of the host src, in the
// same order. Inserted lines are indented like the block. It refuses (and
// returns an error saying why) when the text is not editable, when an edit
// would hold a character a block scalar cannot carry, and whenever the
// host with the edits applied would not read back as the edited text: a
// first line that starts with a blank changes an indentation the block
// leaves YAML to detect, and a change of the final line breaks may not be
// expressible under the block's chomping. Bytes outside the returned spans
// never change.
func (t *Text) Edits(src []byte, edits []Edit) ([]Edit, error) {
	if !t.Editable {
		if t.crlf {
			return nil, ErrCRLF
		}
		return nil, ErrNotEditable
	}
	sorted := append([]Edit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Start < sorted[j].Start })
	want := make([]byte, 0, len(t.Value))
	last := 0
	for _, e := range sorted {
		if e.Start < last || e.End < e.Start || e.End > len(t.Value) {
			return nil, fmt.Errorf("edit [%d,%d) overlaps another or lies outside the embedded text", e.Start, e.End)
		}
		if !utf8.ValidString(e.New) {
			return nil, errors.New("the fix inserts bytes that are not UTF-8")
		}
		for _, r := range e.New {
			if !printable(r) {
				return nil, fmt.Errorf("the fix inserts %U, which a YAML block scalar cannot carry", r)
			}
		}
		want = append(append(want, t.Value[last:e.Start]...), e.New...)
		last = e.End
	}
	want = append(want, t.Value[last:]...)
	if !utf8.Valid(want) {
		return nil, errors.New("the fix would leave bytes that are not UTF-8 (it splits a character)")
	}

	ind := bytes.Repeat([]byte{' '}, t.indent)
	out := make([]Edit, len(edits))
	for k, e := range edits {
		hs, he := t.Offset(e.Start), t.Offset(e.End)
		if he < hs {
			he = hs
		}
		// A deletion of whole lines, from the start of a line to the start
		// of another, takes the first line's leading spaces with it: its
		// indentation, or all of a blank line, which may be shorter than
		// the indentation. Left behind, they would join the next line,
		// perhaps the manifest's line after the block.
		if col, blank := lineCol(src, hs); he > hs && colZero(src, he) && blank && t.lineStart(e.Start) {
			hs -= col
		}
		var b []byte
		if col, blank := lineCol(src, hs); blank && col < t.indent && e.New != "" && e.New[0] != '\n' {
			b = append(b, ind[col:]...)
		}
		for i := 0; i < len(e.New); i++ {
			b = append(b, e.New[i])
			if e.New[i] != '\n' {
				continue
			}
			next := byte('\n')
			switch {
			case i+1 < len(e.New):
				next = e.New[i+1]
			case he < len(src) && !colZero(src, he):
				next = src[he]
			}
			if next != '\n' && next != '\r' {
				b = append(b, ind...)
			}
		}
		out[k] = Edit{Start: hs, End: he, New: string(b)}
	}
	// Read the block back from the edited host: the only proof that the
	// edits say what they mean.
	fixed, err := apply(src, out)
	if err != nil {
		return nil, err
	}
	got, ok := Block(fixed, t.header, t.parent)
	if !ok || got.Value != string(want) || !t.nextLineKept(src, fixed, out) {
		return nil, errors.New("the fix cannot be written into the YAML block scalar that carries the config without changing how YAML reads the block (its indentation or final line breaks)")
	}
	return out, nil
}

// nextLineKept reports whether the first line after the block in src
// still starts a line of its own in fixed, src with the edits out applied:
// reading the block back alone cannot tell that an edit left spaces that
// the manifest's next line now starts with.
func (t *Text) nextLineKept(src, fixed []byte, out []Edit) bool {
	_, end := t.Extent()
	after := end
	for after < len(src) && !colZero(src, after) {
		after++
	}
	for after < len(src) {
		nl := bytes.IndexByte(src[after:], '\n')
		if nl < 0 || !onlySpaces(src[after:after+nl]) {
			break
		}
		after += nl + 1
	}
	if after >= len(src) {
		return true
	}
	shift := 0
	for _, e := range out {
		if e.End <= after {
			shift += len(e.New) - (e.End - e.Start)
		}
	}
	return colZero(fixed, after+shift)
}

// printable reports whether YAML lets a block scalar carry r.
func printable(r rune) bool {
	switch {
	case r == '\t' || r == '\n' || r >= 0x20 && r <= 0x7e || r == 0x85:
		return true
	case r >= 0xa0 && r <= 0xd7ff, r >= 0xe000 && r <= 0xfffd && r != 0xfeff, r >= 0x10000 && r <= 0x10ffff:
		return true
	}
	return false
}

// lineStart reports whether text offset o starts a line.
func (t *Text) lineStart(o int) bool { return o == 0 || o <= len(t.Value) && t.Value[o-1] == '\n' }

// lineCol returns the column of host offset off on its line and whether
// only spaces precede it there.
func lineCol(src []byte, off int) (col int, blank bool) {
	blank = true
	for i := off - 1; i >= 0 && src[i] != '\n'; i-- {
		blank = blank && src[i] == ' '
		col++
	}
	return col, blank
}

func colZero(src []byte, off int) bool { return off == 0 || off <= len(src) && src[off-1] == '\n' }

func onlySpaces(b []byte) bool {
	for _, c := range b {
		if c != ' ' {
			return false
		}
	}
	return true
}

// apply applies non-overlapping edits to a copy of src.
func apply(src []byte, edits []Edit) ([]byte, error) {
	sorted := append([]Edit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Start < sorted[j].Start })
	out := make([]byte, 0, len(src)+64)
	last := 0
	for _, e := range sorted {
		if e.Start < last || e.End < e.Start || e.End > len(src) {
			return nil, fmt.Errorf("edit [%d,%d) overlaps another edit or lies outside the manifest", e.Start, e.End)
		}
		out = append(append(out, src[last:e.Start]...), e.New...)
		last = e.End
	}
	return append(out, src[last:]...), nil
}
