package yamlast

import (
	"strings"
	"unicode/utf8"

	"github.com/wso2lint/wso2lint/internal/srcpos"
	"gopkg.in/yaml.v3"
)

// Offset returns the byte offset where the node's content starts. yaml.v3
// reports a 1-based rune column that ignores a leading BOM and, for a node
// with an anchor or a tag, points at that property; Offset converts the
// column into bytes and skips "&anchor", "!tag" and the blanks after them,
// so that a finding underlines the value itself. When the content of a
// collection (or of a non-empty scalar) starts on a later line than its
// properties, Offset moves to it; an empty scalar stays where its properties
// end, which is where a value would be written.
func (d *Doc) Offset(n *yaml.Node) int {
	if n == nil {
		return 0
	}
	src := d.Src
	off := d.byteOffset(n.Line, n.Column)
	props := false
	for off < len(src) && (src[off] == '&' || src[off] == '!') {
		if src[off] == '&' {
			off++
			for off < len(src) && isAnchorChar(src[off]) {
				off++
			}
		} else {
			for !isBlankz(src, off) {
				off++
			}
		}
		props = true
		off = skipBlanks(src, off)
	}
	if props && (off >= len(src) || src[off] == '#' || breakLen(src, off) > 0) &&
		!(n.Kind == yaml.ScalarNode && n.Value == "" && n.Style&^(yaml.TaggedStyle|yaml.FlowStyle) == 0) {
		off = skipToContent(src, off)
	}
	return off
}

// Pos returns the 1-based line and byte column of the node's content
// start, the position a finding about the node is reported at.
func (d *Doc) Pos(n *yaml.Node) srcpos.Pos {
	return d.Lines.Pos(d.Offset(n))
}

// ScalarSpan returns the exact byte span of a scalar token, quotes
// included, so that a fix can replace exactly the value and nothing else.
// It never approximates: ok is false for aliases, block scalars (| and >),
// multi-line or empty plain scalars, and whenever the bytes at Offset do not
// reproduce the node's Value (for quoted scalars the bytes are decoded with
// yaml.v3's own escape and line-folding rules and compared).
func (d *Doc) ScalarSpan(n *yaml.Node) (span srcpos.Span, ok bool) {
	if n == nil || n.Kind != yaml.ScalarNode {
		return srcpos.Span{}, false
	}
	src := d.Src
	off := d.Offset(n)
	switch n.Style &^ (yaml.TaggedStyle | yaml.FlowStyle) {
	case 0:
		end := off + len(n.Value)
		if n.Value == "" || strings.ContainsAny(n.Value, "\r\n") ||
			end > len(src) || string(src[off:end]) != n.Value {
			return srcpos.Span{}, false
		}
		if !isBlankz(src, end) && strings.IndexByte(":,]}", src[end]) < 0 {
			return srcpos.Span{}, false
		}
		return srcpos.Span{Start: off, End: end}, true
	case yaml.SingleQuotedStyle, yaml.DoubleQuotedStyle:
		end, val, ok := scanQuoted(src, off)
		if !ok || val != n.Value {
			return srcpos.Span{}, false
		}
		return srcpos.Span{Start: off, End: end}, true
	}
	return srcpos.Span{}, false
}

// isAnchorChar reports whether c may appear in an anchor or alias name, as
// yaml.v3 scans them.
func isAnchorChar(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c == '_' || c == '-'
}

// isBlankz reports whether src[i] is a space, a tab, a line break or the
// end of the file: the characters that end a tag or a plain token.
func isBlankz(src []byte, i int) bool {
	return i >= len(src) || src[i] == ' ' || src[i] == '\t' || breakLen(src, i) > 0
}

func skipBlanks(src []byte, i int) int {
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	return i
}

// skipToContent skips blanks, comments and line breaks.
func skipToContent(src []byte, i int) int {
	for {
		i = skipBlanks(src, i)
		if i >= len(src) {
			return i
		}
		if src[i] == '#' {
			for i < len(src) && breakLen(src, i) == 0 {
				i++
			}
			continue
		}
		n := breakLen(src, i)
		if n == 0 {
			return i
		}
		i += n
	}
}

// scanQuoted scans the single- or double-quoted scalar whose opening quote
// is at src[off] and returns the offset just past its closing quote and its
// decoded value. It mirrors yaml_parser_scan_flow_scalar in yaml.v3
// (escapes, doubled single quotes, line folding) so that the value can be
// compared with the node's. ok is false when src[off] is not a quote or the
// scalar is not closed or holds an escape yaml.v3 would reject.
func scanQuoted(src []byte, off int) (end int, value string, ok bool) {
	if off >= len(src) || (src[off] != '\'' && src[off] != '"') {
		return 0, "", false
	}
	single := src[off] == '\''
	var s, leadingBreak, trailingBreaks, whitespaces []byte
	i := off + 1
	for {
		if i >= len(src) {
			return 0, "", false
		}
		leadingBlanks := false
		for !isBlankz(src, i) {
			c := src[i]
			switch {
			case single && c == '\'' && i+1 < len(src) && src[i+1] == '\'':
				s = append(s, '\'')
				i += 2
				continue
			case single && c == '\'', !single && c == '"':
			case !single && c == '\\' && breakLen(src, i+1) > 0:
				i++
				i += breakLen(src, i)
				leadingBlanks = true
			case !single && c == '\\':
				var ok bool
				if s, i, ok = unescape(src, i, s); !ok {
					return 0, "", false
				}
				continue
			default:
				s = append(s, c)
				i++
				continue
			}
			break
		}
		if i >= len(src) {
			return 0, "", false
		}
		if (single && src[i] == '\'') || (!single && src[i] == '"') {
			return i + 1, string(s), true
		}
		for i < len(src) {
			if src[i] == ' ' || src[i] == '\t' {
				if !leadingBlanks {
					whitespaces = append(whitespaces, src[i])
				}
				i++
				continue
			}
			n := breakLen(src, i)
			if n == 0 {
				break
			}
			if !leadingBlanks {
				whitespaces = whitespaces[:0]
				leadingBreak = appendBreak(leadingBreak, src[i:i+n])
				leadingBlanks = true
			} else {
				trailingBreaks = appendBreak(trailingBreaks, src[i:i+n])
			}
			i += n
		}
		if leadingBlanks {
			if len(leadingBreak) > 0 && leadingBreak[0] == '\n' {
				if len(trailingBreaks) == 0 {
					s = append(s, ' ')
				} else {
					s = append(s, trailingBreaks...)
				}
			} else {
				s = append(s, leadingBreak...)
				s = append(s, trailingBreaks...)
			}
			leadingBreak, trailingBreaks = leadingBreak[:0], trailingBreaks[:0]
		} else {
			s = append(s, whitespaces...)
			whitespaces = whitespaces[:0]
		}
	}
}

// appendBreak appends a line break the way yaml.v3's read_line does: CR,
// LF, CRLF and NEL become "\n"; LS and PS are kept as written.
func appendBreak(s, brk []byte) []byte {
	if brk[0] == 0xE2 {
		return append(s, brk...)
	}
	return append(s, '\n')
}

// unescape decodes the double-quoted escape sequence at src[i] (a
// backslash) and appends it to s.
func unescape(src []byte, i int, s []byte) ([]byte, int, bool) {
	if i+1 >= len(src) {
		return s, i, false
	}
	codeLen := 0
	switch src[i+1] {
	case '0':
		s = append(s, 0)
	case 'a':
		s = append(s, '\a')
	case 'b':
		s = append(s, '\b')
	case 't', '\t':
		s = append(s, '\t')
	case 'n':
		s = append(s, '\n')
	case 'v':
		s = append(s, '\v')
	case 'f':
		s = append(s, '\f')
	case 'r':
		s = append(s, '\r')
	case 'e':
		s = append(s, 0x1B)
	case ' ':
		s = append(s, ' ')
	case '"':
		s = append(s, '"')
	case '\'':
		s = append(s, '\'')
	case '\\':
		s = append(s, '\\')
	case 'N':
		s = append(s, "\u0085"...)
	case '_':
		s = append(s, "\u00a0"...)
	case 'L':
		s = append(s, "\u2028"...)
	case 'P':
		s = append(s, "\u2029"...)
	case 'x':
		codeLen = 2
	case 'u':
		codeLen = 4
	case 'U':
		codeLen = 8
	default:
		return s, i, false
	}
	i += 2
	if codeLen == 0 {
		return s, i, true
	}
	if i+codeLen > len(src) {
		return s, i, false
	}
	v := 0
	for _, c := range src[i : i+codeLen] {
		var h int
		switch {
		case c >= '0' && c <= '9':
			h = int(c - '0')
		case c >= 'a' && c <= 'f':
			h = int(c-'a') + 10
		case c >= 'A' && c <= 'F':
			h = int(c-'A') + 10
		default:
			return s, i, false
		}
		v = v<<4 + h
	}
	if (v >= 0xD800 && v <= 0xDFFF) || v > 0x10FFFF {
		return s, i, false
	}
	return utf8.AppendRune(s, rune(v)), i + codeLen, true
}
