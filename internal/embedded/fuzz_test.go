package embedded

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzBlock builds a block scalar from fuzzed lines, header and edit, and
// holds Block and Edits to yaml.v3: when yaml.v3 reads the block, Block
// reads the same value and maps every byte to the host byte that wrote it;
// an edit Edits accepts leaves a manifest that yaml.v3 reads as the edited
// text, with the bytes before and after the block unchanged.
func FuzzBlock(f *testing.F) {
	f.Add("[server]\noffset = 10\n", uint8(0), uint8(4), uint16(3), uint16(5), "20")
	f.Add("a = 1\n\nb = 2\n\n", uint8(1), uint8(2), uint16(0), uint16(0), "x = 1\n")
	f.Add("a = 1\n  b\n", uint8(2), uint8(6), uint16(6), uint16(12), "")
	f.Add("a\n", uint8(3), uint8(4), uint16(0), uint16(0), "  lead\n")
	f.Fuzz(func(t *testing.T, body string, hdr, ind uint8, start, end uint16, repl string) {
		if strings.ContainsAny(body, "\r\t") || strings.ContainsAny(repl, "\r") || len(body) > 400 {
			return
		}
		headers := []string{"|", "|-", "|+", "| # c", "|2"}
		header := headers[int(hdr)%len(headers)]
		indent := 3 + int(ind)%5
		if header == "|2" {
			indent = 4
		}
		pad := strings.Repeat(" ", indent)
		var b strings.Builder
		for _, l := range strings.SplitAfter(body, "\n") {
			if l == "" {
				continue
			}
			if strings.TrimSpace(l) != "" {
				b.WriteString(pad)
			}
			b.WriteString(l)
		}
		text := b.String()
		if text != "" && !strings.HasSuffix(text, "\n") {
			text += "\n"
		}
		src := manifest(header, text)
		want, at, ok := yamlValue(t, src)
		if !ok {
			return
		}
		txt, ok := Block([]byte(src), at, 2)
		if !ok && strings.ContainsAny(body, "\u0085\u2028\u2029") {
			return // line breaks Block leaves to the caller
		}
		if !ok {
			t.Fatalf("Block cannot read what yaml.v3 reads as %q\n%s", want, src)
		}
		if txt.Value != want {
			t.Fatalf("Block reads %q, yaml.v3 %q\n%s", txt.Value, want, src)
		}
		for o := 0; o < len(want); o++ {
			if h := txt.Offset(o); h < 0 || h >= len(src) || src[h] != want[o] {
				t.Fatalf("text %d (%q) maps to host %d\n%s", o, want[o], h, src)
			}
		}
		s, e := int(start)%(len(want)+1), int(end)%(len(want)+1)
		if e < s {
			s, e = e, s
		}
		out, err := txt.Edits([]byte(src), []Edit{{s, e, repl}})
		if err != nil {
			return
		}
		fixed, err := apply([]byte(src), out)
		if err != nil {
			t.Fatal(err)
		}
		got, _, ok := yamlValue(t, string(fixed))
		if exp := want[:s] + repl + want[e:]; !ok || got != exp {
			t.Fatalf("edit %q at [%d,%d): manifest reads %q, want %q\n%s", repl, s, e, got, exp, fixed)
		}
		if !strings.HasPrefix(string(fixed), src[:at]) || !strings.HasSuffix(string(fixed), "  other: x\n") {
			t.Fatalf("bytes outside the block changed:\n%s", fixed)
		}
	})
}

// FuzzScalar quotes fuzzed text as a double- or single-quoted scalar,
// wrapped over lines at fuzzed places the way go-yaml wraps, and holds
// Scalar to yaml.v3: it reads the same value, and every byte it maps to
// the host byte that wrote it maps to a byte that explains it.
func FuzzScalar(f *testing.F) {
	f.Add("[server]\noffset = 10\n", true, uint8(7))
	f.Add("a = \"x\"  \n\n[b]\nc = 'd'\t\n", true, uint8(3))
	f.Add("it's  a  test\n\nx", false, uint8(5))
	f.Fuzz(func(t *testing.T, text string, double bool, wrap uint8) {
		if len(text) > 300 || !utf8.ValidString(text) {
			return
		}
		var b strings.Builder
		col := 0
		every := 4 + int(wrap)%30
		if double {
			b.WriteByte('"')
			for _, r := range text {
				switch {
				case r == '"' || r == '\\':
					b.WriteString("\\" + string(r))
				case r == '\n':
					b.WriteString("\\n")
				case r == '\t':
					b.WriteString("\\t")
				case r < 0x20 || r == 0x7f:
					fmt.Fprintf(&b, "\\x%02x", r)
				case r == ' ' && col >= every:
					// Wrap here: an escaped line break, and the space
					// escaped on the next line so folding keeps it.
					b.WriteString("\\\n    \\ ")
					col = 0
					continue
				default:
					b.WriteRune(r)
				}
				col++
			}
			b.WriteByte('"')
		} else {
			if strings.ContainsAny(text, "\n\r\t") || strings.HasPrefix(text, " ") || strings.HasSuffix(text, " ") || strings.Contains(text, "  ") {
				return
			}
			b.WriteByte('\'')
			b.WriteString(strings.ReplaceAll(text, "'", "''"))
			b.WriteByte('\'')
		}
		src := "apiVersion: v1\nkind: ConfigMap\ndata:\n  deployment.toml: " + b.String() + "\n"
		want, at, ok := yamlValue(t, src)
		if !ok {
			return
		}
		got := Scalar([]byte(src), at, want)
		if got.Value != want {
			t.Fatalf("Scalar reads %q, yaml.v3 %q\n%s", got.Value, want, src)
		}
		if !got.Exact {
			if strings.ContainsAny(text, "\u0085\u2028\u2029") {
				return // line breaks YAML folds that Scalar leaves inexact
			}
			t.Fatalf("not exact:\n%s", src)
		}
		for o := 0; o < len(want); o++ {
			h := got.Offset(o)
			if h <= at || h >= len(src) {
				t.Fatalf("text %d maps to %d, outside the scalar\n%s", o, h, src)
			}
			if c := src[h]; c != want[o] && c != '\\' && c != '\n' && !(want[o] == '\'' && c == '\'') {
				t.Fatalf("text %d (%q) maps to host %q\n%s", o, want[o], c, src)
			}
		}
	})
}
