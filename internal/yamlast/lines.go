package yamlast

import (
	"bytes"
	"unicode/utf8"
)

// bom is the UTF-8 byte order mark. yaml.v3 strips it before counting
// columns, so the first key of a file with a BOM is at 1:1 although its byte
// offset is 3.
var bom = []byte{0xEF, 0xBB, 0xBF}

// yline is one line as yaml.v3 counts lines. yaml.v3 breaks lines on LF,
// CRLF, a lone CR, NEL (U+0085), LS (U+2028) and PS (U+2029), which is not
// what srcpos.Lines does (LF only), so node lines must be resolved against
// this index and only then turned into srcpos positions.
type yline struct {
	// start and end delimit the line's content; the line break is excluded.
	// The first line starts after a BOM.
	start, end int
	// runes holds, for a line with non-ASCII bytes, the offset of each
	// rune relative to start. It is nil for an ASCII line, where rune and
	// byte columns are the same, so most lines cost nothing extra.
	runes []int32
}

// breakLen returns the length of the yaml.v3 line break at src[i], or 0 when
// there is none.
func breakLen(src []byte, i int) int {
	if i >= len(src) {
		return 0
	}
	switch src[i] {
	case '\n':
		return 1
	case '\r':
		if i+1 < len(src) && src[i+1] == '\n' {
			return 2
		}
		return 1
	case 0xC2:
		if i+1 < len(src) && src[i+1] == 0x85 {
			return 2
		}
	case 0xE2:
		if i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9) {
			return 3
		}
	}
	return 0
}

// indexLines splits src into yaml.v3 lines in one pass. The rune tables of
// non-ASCII lines are built here, eagerly, so that converting a column later
// is O(1) and the Doc stays read-only.
func indexLines(src []byte) []yline {
	start := 0
	if bytes.HasPrefix(src, bom) {
		start = len(bom)
	}
	lines := make([]yline, 0, len(src)/32+1)
	ascii := true
	for i := start; i < len(src); {
		c := src[i]
		if c < 0x80 && c != '\n' && c != '\r' {
			i++
			continue
		}
		if n := breakLen(src, i); n > 0 {
			lines = append(lines, makeLine(src, start, i, ascii))
			i += n
			start = i
			ascii = true
			continue
		}
		if c >= 0x80 {
			ascii = false
		}
		i++
	}
	return append(lines, makeLine(src, start, len(src), ascii))
}

func makeLine(src []byte, start, end int, ascii bool) yline {
	l := yline{start: start, end: end}
	if !ascii {
		l.runes = make([]int32, 0, end-start)
		for i := start; i < end; {
			l.runes = append(l.runes, int32(i-start))
			_, w := utf8.DecodeRune(src[i:end])
			i += w
		}
	}
	return l
}

// byteOffset converts a yaml.v3 line and rune column (both 1-based) into a
// byte offset. Positions past the end of a line are clamped to its end, and
// lines out of range to the file's ends, so a malformed node can never make
// a caller index out of range.
func (d *Doc) byteOffset(line, col int) int {
	if line < 1 {
		return d.ylines[0].start
	}
	if line > len(d.ylines) {
		return len(d.Src)
	}
	l := &d.ylines[line-1]
	k := col - 1
	if k < 0 {
		k = 0
	}
	if l.runes == nil {
		return min(l.start+k, l.end)
	}
	if k < len(l.runes) {
		return l.start + int(l.runes[k])
	}
	return l.end
}

// lastContentLine returns the 1-based yaml.v3 line number of the last line
// holding anything but blanks, or 0 for a blank file.
func (d *Doc) lastContentLine() int {
	for i := len(d.ylines) - 1; i >= 0; i-- {
		l := d.ylines[i]
		if len(bytes.Trim(d.Src[l.start:l.end], " \t")) > 0 {
			return i + 1
		}
	}
	return 0
}
