package srcpos

import (
	"unicode/utf16"
	"unicode/utf8"
)

// Editors speaking the Language Server Protocol and SARIF viewers count
// columns in UTF-16 code units, not bytes: one unit for a character of the
// Basic Multilingual Plane, two for one beyond it (an emoji). The
// conversions live here, beside the byte positions, so that every writer
// counts alike.

// UTF16Pos converts a byte offset of src (the source the Lines index) into
// a 1-based line and a 1-based column counted in UTF-16 code units. A byte
// that is not valid UTF-8 counts as one unit, as editors show it as one
// replacement character. Like Pos, it does not count a byte-order mark.
func (l *Lines) UTF16Pos(src []byte, off int) Pos {
	p := l.Pos(off)
	start := l.LineStart(p.Line)
	end := min(start+p.Col-1, len(src))
	start = min(start, end)
	return Pos{Line: p.Line, Col: 1 + UTF16Len(src[start:end])}
}

// OffsetUTF16 converts a 1-based line and a 1-based UTF-16 column into a
// byte offset of src. A column past the end of the line gives the offset
// of the line's end (before its line break), and one inside a character
// (between the two units of an emoji) gives the offset of that character,
// so that any position an editor sends lands on a character boundary.
func (l *Lines) OffsetUTF16(src []byte, line, col int) int {
	if line > l.Count() {
		return l.size
	}
	if line < 1 {
		line = 1
	}
	start := l.LineStart(line)
	end := l.LineEnd(src, line)
	units := col - 1
	i := start
	for i < end && units > 0 {
		r, size := utf8.DecodeRune(src[i:end])
		n := 1
		if k := utf16.RuneLen(r); k > 0 {
			n = k
		}
		if n > units {
			break
		}
		units -= n
		i += size
	}
	return i
}

// UTF16Len counts the UTF-16 code units of b; each byte that is not valid
// UTF-8 counts as one.
func UTF16Len(b []byte) int {
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		if k := utf16.RuneLen(r); k > 0 {
			n += k
		} else {
			n++
		}
		b = b[size:]
	}
	return n
}
