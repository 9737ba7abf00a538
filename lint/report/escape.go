package report

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// Escape makes a path or message safe to print on a terminal or into a CI
// log: every control character (C0, DEL, C1), every character that
// reorders or hides text (bidirectional overrides and isolates, the
// directional marks) and every byte that is not UTF-8 is written as a Go
// escape (\n, \x1b, \u202e). A directory named with an escape sequence
// then cannot recolour or rewrite the terminal, one named with a newline
// cannot forge a line of output, and the bytes shown still identify the
// name. Backslashes are kept as they are, so Windows paths stay readable.
func Escape(s string) string {
	if !needsEscape(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && n <= 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r == 0x7f:
			fmt.Fprintf(&b, `\x%02x`, r)
		case hidden(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		default:
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

func needsEscape(s string) bool {
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			// ASCII, most of what is written: a control character or not.
			if c < 0x20 || c == 0x7f {
				return true
			}
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if (r == utf8.RuneError && n <= 1) || r < 0x20 || r == 0x7f || hidden(r) {
			return true
		}
		i += n
	}
	return false
}

// hidden reports the characters other than C0 controls that Escape
// writes as escapes: C1 controls (U+009B is a one-byte CSI on some
// terminals), the line and paragraph separators, the bidirectional
// formatting characters of "Trojan Source" (CVE-2021-42574), and the
// invisible zero-width space and byte-order mark.
func hidden(r rune) bool {
	switch {
	case r >= 0x80 && r <= 0x9f:
		return true
	case r == 0x200b || r == 0x200e || r == 0x200f || r == 0x061c || r == 0xfeff:
		return true
	case r >= 0x2028 && r <= 0x202e:
		return true
	case r >= 0x2066 && r <= 0x2069:
		return true
	}
	return false
}

// EscapeEncoded rewrites, in JSON or XML output, the characters Escape
// would escape that those encoders leave raw (C1 controls, bidirectional
// formatting characters, line and paragraph separators) as the format's
// own escapes, \u009b in JSON and &#x9b; in XML. The document means the
// same, but printed on a terminal or into a CI log it cannot act as
// escape sequences there. Those characters can only occur inside strings
// and text, never in the markup, so a byte-level rewrite is exact.
func EscapeEncoded(b []byte, xml bool) []byte {
	need := false
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r >= 0x80 && hidden(r) {
			need = true
			break
		}
		i += n
	}
	if !need {
		return b
	}
	out := make([]byte, 0, len(b)+16)
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		switch {
		case r >= 0x80 && hidden(r) && xml:
			out = fmt.Appendf(out, "&#x%x;", r)
		case r >= 0x80 && hidden(r):
			out = fmt.Appendf(out, `\u%04x`, r)
		default:
			out = append(out, b[i:i+n]...)
		}
		i += n
	}
	return out
}
