// Package srcpos converts between byte offsets and 1-based line/column
// positions. Columns are counted in bytes, as go-toml/v2 counts them and as
// every finding reports them.
package srcpos

import (
	"bytes"
	"sort"
)

// Span is a half-open byte range [Start, End) in a file's original bytes.
type Span struct {
	Start, End int
}

// Len returns the number of bytes the span covers.
func (s Span) Len() int { return s.End - s.Start }

// Pos is a 1-based line and a 1-based byte column. A UTF-8 byte-order
// mark does not count: the first character of a file is at 1:1.
type Pos struct {
	Line, Col int
}

// Lines indexes the start offset of every line of a source, so that offsets
// can be turned into positions in O(log n).
type Lines struct {
	// starts are 32-bit: a large fleet keeps the index of every file a
	// finding points into, and no source read is near 2 GiB (files are
	// bounded by the size limit, editor buffers by the message limit).
	starts []uint32
	size   int
	// bom is 3 when the source starts with a UTF-8 byte-order mark.
	// Editors do not show it, so columns on line 1 do not count it.
	bom int
}

// NewLines indexes src. A line ends after '\n'; a lone '\r' is not a line
// break, matching both go-toml and yaml.v3 for the files we read.
func NewLines(src []byte) *Lines {
	starts := make([]uint32, 1, len(src)/32+1)
	for i := 0; ; {
		j := bytes.IndexByte(src[i:], '\n') // vectorised: this runs over every byte of a fleet
		if j < 0 {
			break
		}
		i += j + 1
		starts = append(starts, uint32(i))
	}
	l := &Lines{starts: starts, size: len(src)}
	if len(src) >= 3 && src[0] == 0xef && src[1] == 0xbb && src[2] == 0xbf {
		l.bom = 3
	}
	return l
}

// Count returns the number of lines. A final line without content after the
// last '\n' is counted, as editors count it.
func (l *Lines) Count() int { return len(l.starts) }

// Pos converts a byte offset into a position. Offsets past the end are
// clamped to the end of the source.
func (l *Lines) Pos(off int) Pos {
	if off < 0 {
		off = 0
	}
	if off > l.size {
		off = l.size
	}
	i := sort.Search(len(l.starts), func(i int) bool { return int(l.starts[i]) > off }) - 1
	start := int(l.starts[i])
	if i == 0 {
		start = min(l.bom, off)
	}
	return Pos{Line: i + 1, Col: off - start + 1}
}

// Offset converts a 1-based line and byte column into a byte offset. Lines
// out of range are clamped.
func (l *Lines) Offset(line, col int) int {
	if line < 1 {
		line = 1
	}
	if line > len(l.starts) {
		return l.size
	}
	off := int(l.starts[line-1]) + col - 1
	if line == 1 {
		off += l.bom
	}
	if off > l.size {
		off = l.size
	}
	return off
}

// LineStart returns the offset of the first byte of a 1-based line.
func (l *Lines) LineStart(line int) int { return l.Offset(line, 1) }

// LineEnd returns the offset just past the line's content, before its
// "\n" or "\r\n".
func (l *Lines) LineEnd(src []byte, line int) int {
	end := l.size
	if line < len(l.starts) {
		end = int(l.starts[line]) - 1
		if end > 0 && src[end-1] == '\r' {
			end--
		}
	}
	return end
}

// LineSpanWithEOL returns the span of a whole line including its line break.
func (l *Lines) LineSpanWithEOL(line int) Span {
	start := l.LineStart(line)
	end := l.size
	if line < len(l.starts) {
		end = int(l.starts[line])
	}
	return Span{start, end}
}

// Comment is one '#' comment as a parser finds it. A suppression is a
// comment, and whether it trails content decides whether it applies to
// its own line or to the next. The parsers and the fleet share the type,
// so that a file's comments are the parser's slice, not a copy of it.
type Comment struct {
	// Span covers the comment from '#' to the end of its line, line break
	// excluded.
	Span Span
	// Text is the comment as written, starting with '#'.
	Text string
	// Trailing reports that content precedes the comment on its line.
	Trailing bool
}
