package embedded

import "unicode/utf8"

// Scalar reads the flow scalar (plain, 'single' or "double" quoted) that
// starts at src[off] and whose value yaml.v3 reads as value. A scalar on
// one line maps exactly: each value byte to the host byte that wrote it,
// the bytes of an escape to the escape's backslash. One that spans lines
// (line folding) maps inexactly, to its first byte. Neither is editable.
func Scalar(src []byte, off int, value string) *Text {
	if off < 0 || off >= len(src) {
		return Inexact(value, max(0, min(off, len(src))))
	}
	var b []byte
	var segs []seg
	add := func(host int, bs ...byte) {
		for _, c := range bs {
			segs = append(segs, seg{text: len(b), host: host, n: 1})
			b = append(b, c)
		}
	}
	switch q := src[off]; q {
	case '\'', '"':
		i := off + 1
		for {
			if i >= len(src) || src[i] == '\n' || src[i] == '\r' {
				return Inexact(value, off)
			}
			c := src[i]
			switch {
			case q == '\'' && c == '\'' && i+1 < len(src) && src[i+1] == '\'':
				add(i, '\'')
				i += 2
				continue
			case c == q:
			case q == '"' && c == '\\':
				dec, n, ok := unescape(src, i)
				if !ok {
					return Inexact(value, off)
				}
				add(i, dec...)
				i += n
				continue
			default:
				add(i, c)
				i++
				continue
			}
			break
		}
	default:
		end := off + len(value)
		if end > len(src) || string(src[off:end]) != value {
			return Inexact(value, off)
		}
		segs = append(segs, seg{text: 0, host: off, n: len(value)})
		b = append(b, value...)
	}
	if string(b) != value {
		return Inexact(value, off)
	}
	return &Text{Value: value, Exact: true, segs: mergeSegs(segs), at: off}
}

// unescape decodes the double-quoted escape at src[i] (a backslash) as
// YAML does, returning its bytes and the escape's length.
func unescape(src []byte, i int) ([]byte, int, bool) {
	if i+1 >= len(src) {
		return nil, 0, false
	}
	simple := map[byte]string{'0': "\x00", 'a': "\a", 'b': "\b", 't': "\t", '\t': "\t", 'n': "\n", 'v': "\v",
		'f': "\f", 'r': "\r", 'e': "\x1b", ' ': " ", '"': "\"", '/': "/", '\'': "'", '\\': "\\",
		'N': "\u0085", '_': "\u00a0", 'L': "\u2028", 'P': "\u2029"}
	if s, ok := simple[src[i+1]]; ok {
		return []byte(s), 2, true
	}
	n := map[byte]int{'x': 2, 'u': 4, 'U': 8}[src[i+1]]
	if n == 0 || i+2+n > len(src) {
		return nil, 0, false
	}
	v := rune(0)
	for _, c := range src[i+2 : i+2+n] {
		switch {
		case c >= '0' && c <= '9':
			v = v<<4 + rune(c-'0')
		case c >= 'a' && c <= 'f':
			v = v<<4 + rune(c-'a'+10)
		case c >= 'A' && c <= 'F':
			v = v<<4 + rune(c-'A'+10)
		default:
			return nil, 0, false
		}
	}
	if !utf8.ValidRune(v) {
		return nil, 0, false
	}
	return utf8.AppendRune(nil, v), 2 + n, true
}
