package embedded

import "unicode/utf8"

// Scalar reads the flow scalar (plain, 'single' or "double" quoted) that
// starts at src[off] and whose value yaml.v3 reads as value. A quoted
// scalar maps exactly: each value byte to the host byte that wrote it, the
// bytes of an escape to the escape's backslash, a space or line break that
// folding makes to the line break it comes from (go-yaml wraps a long
// quoted string over lines, which is how kubectl writes a config with
// trailing blanks). A plain scalar maps exactly on one line; over several
// lines, and whenever the bytes do not decode to value, a scalar maps to
// its first byte. None is editable.
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
		// yaml.v3's scanner for quoted scalars, keeping the host offset
		// of every byte: blanks and line breaks between lines fold into
		// one space, or into the line breaks of the empty lines between;
		// a backslash before a line break joins the lines.
		type hb struct {
			c    byte
			host int
		}
		var white, lead, trail []hb
		i := off + 1
		for {
			if i >= len(src) {
				return Inexact(value, off)
			}
			leadingBlanks := false
		content:
			for i < len(src) && !isBlank(src[i]) && src[i] != '\n' && src[i] != '\r' {
				c := src[i]
				if unicodeBreak(src, i) {
					return Inexact(value, off) // NEL, LS or PS: YAML folds them too
				}
				switch {
				case q == '\'' && c == '\'' && i+1 < len(src) && src[i+1] == '\'':
					add(i, '\'')
					i += 2
				case c == q:
					break content
				case q == '"' && c == '\\' && i+1 < len(src) && (src[i+1] == '\n' || src[i+1] == '\r'):
					i++
					i += breakLen(src, i)
					leadingBlanks = true
					break content
				case q == '"' && c == '\\':
					dec, n, ok := unescape(src, i)
					if !ok {
						return Inexact(value, off)
					}
					add(i, dec...)
					i += n
				default:
					add(i, c)
					i++
				}
			}
			if i >= len(src) {
				return Inexact(value, off)
			}
			if src[i] == q && !(q == '\'' && i+1 < len(src) && src[i+1] == '\'') {
				break
			}
			for i < len(src) {
				if isBlank(src[i]) {
					if !leadingBlanks {
						white = append(white, hb{src[i], i})
					}
					i++
					continue
				}
				n := breakLen(src, i)
				if n == 0 {
					break
				}
				if !leadingBlanks {
					white = white[:0]
					lead = append(lead, hb{'\n', i})
					leadingBlanks = true
				} else {
					trail = append(trail, hb{'\n', i})
				}
				i += n
			}
			if leadingBlanks {
				switch {
				case len(lead) > 0 && len(trail) == 0:
					add(lead[0].host, ' ')
				default:
					for _, h := range trail {
						add(h.host, h.c)
					}
				}
				lead, trail = lead[:0], trail[:0]
			} else {
				for _, h := range white {
					add(h.host, h.c)
				}
				white = white[:0]
			}
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

func isBlank(c byte) bool { return c == ' ' || c == '\t' }

// unicodeBreak reports whether src[i] starts a line break YAML knows
// beyond CR and LF: NEL, LS or PS.
func unicodeBreak(src []byte, i int) bool {
	return i+1 < len(src) && src[i] == 0xc2 && src[i+1] == 0x85 ||
		i+2 < len(src) && src[i] == 0xe2 && src[i+1] == 0x80 && (src[i+2] == 0xa8 || src[i+2] == 0xa9)
}

// breakLen returns the length of the line break at src[i], 0 for none.
func breakLen(src []byte, i int) int {
	switch {
	case i+1 < len(src) && src[i] == '\r' && src[i+1] == '\n':
		return 2
	case i < len(src) && (src[i] == '\n' || src[i] == '\r'):
		return 1
	}
	return 0
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
