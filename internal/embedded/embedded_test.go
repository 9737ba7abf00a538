package embedded

import (
	"errors"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// manifest is a ConfigMap whose deployment.toml is the block scalar body
// (lines already indented) under the header.
func manifest(header, body string) string {
	return "apiVersion: v1\nkind: ConfigMap\ndata:\n  deployment.toml: " + header + "\n" + body + "  other: x\n"
}

// yamlValue reads data["deployment.toml"] with yaml.v3, and the offset of
// the value's first byte (its indicator or quote).
func yamlValue(t testing.TB, src string) (string, int, bool) {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src), &doc); err != nil || len(doc.Content) == 0 {
		return "", 0, false
	}
	m := doc.Content[0]
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value != "data" {
			continue
		}
		d := m.Content[i+1]
		for j := 0; j+1 < len(d.Content); j += 2 {
			if d.Content[j].Value == "deployment.toml" {
				v := d.Content[j+1]
				return v.Value, lineColOffset(src, v.Line, v.Column), true
			}
		}
	}
	return "", 0, false
}

func lineColOffset(src string, line, col int) int {
	off := 0
	for l := 1; l < line; l++ {
		off += strings.IndexByte(src[off:], '\n') + 1
	}
	return off + col - 1
}

// blockManifest returns a manifest whose ConfigMap holds a block scalar of
// header and body, the value yaml.v3 reads there and the offset of its
// indicator; the test fails when yaml.v3 cannot read it.
func blockManifest(t *testing.T, header, body string) (src, want string, at int) {
	t.Helper()
	src = manifest(header, body)
	want, at, ok := yamlValue(t, src)
	if !ok {
		t.Fatalf("%q does not parse", src)
	}
	return src, want, at
}

func TestBlockMapsEveryByte(t *testing.T) {
	for _, tc := range []struct{ header, body string }{
		{"|", "    [server]\n    offset = 10\n"},
		{"|-", "    [server]\n    offset = 10\n\n"},
		{"|+", "    [server]\n\n    offset = 10\n\n\n"},
		{"| # the config", "    [server]\n      # indented comment\n    hostname = \"h\"\n"},
		{"|2", "    [server]\n    offset = 10\n"},
		{"|", "\n    [server]\n   \n    offset = 10\n"},
		{"|", "    [server]\r\n    offset = 10\r\n"},
		// Only empty lines, more indented than the line after the block:
		// yaml.v3 takes their indentation.
		{"|", "    \n"},
		{"|+", "      \n\n"},
	} {
		src, want, at := blockManifest(t, tc.header, tc.body)
		got, ok := Block([]byte(src), at, 2)
		if !ok {
			t.Fatalf("header %q: Block cannot read what yaml.v3 reads as %q", tc.header, want)
		}
		if got.Value != want {
			t.Fatalf("header %q: Block = %q; yaml.v3 reads %q", tc.header, got.Value, want)
		}
		crlf := strings.Contains(tc.body, "\r")
		for o := 0; o < len(want); o++ {
			h := got.Offset(o)
			if src[h] != want[o] && !(crlf && want[o] == '\n' && src[h] == '\r') {
				t.Errorf("header %q: text %d (%q) maps to host %d (%q)", tc.header, o, want[o], h, src[h])
			}
		}
		if got.Editable == crlf {
			t.Errorf("header %q: Editable = %v", tc.header, got.Editable)
		}
		if _, err := got.Edits([]byte(src), []Edit{{0, 0, "# x\n"}}); crlf && !errors.Is(err, ErrCRLF) || !crlf && err != nil {
			t.Errorf("header %q: an edit: %v", tc.header, err)
		}
	}
}

// TestBlockDeclinesUnicodeBreaks holds that Block declines a block that a
// NEL, LS or PS splits into more lines than Block sees, rather than read a
// value yaml.v3 does not.
func TestBlockDeclinesUnicodeBreaks(t *testing.T) {
	for _, tc := range []struct{ header, body string }{
		{"|+", "\u0085\n"},
		{"|", "    a = 1\u2028    b = 2\n"},
		{"|", "    a = 1\n  \u2029\n"},
	} {
		src, want, at := blockManifest(t, tc.header, tc.body)
		if !strings.ContainsRune(want, '\n') {
			t.Fatalf("%q: yaml.v3 reads %q, no line break", src, want)
		}
		if got, ok := Block([]byte(src), at, 2); ok {
			t.Errorf("%q: Block reads %q, want it to decline (yaml.v3 reads %q)", src, got.Value, want)
		}
	}
}

func TestBlockEdits(t *testing.T) {
	src := manifest("|", "    [server]\n    offset = 10\n\n    [mediation]\n    x = 1\n")
	_, at, _ := yamlValue(t, src)
	txt, ok := Block([]byte(src), at, 2)
	if !ok {
		t.Fatal("no block")
	}
	v := txt.Value
	cases := []struct {
		name string
		e    Edit
		ok   bool
	}{
		{"replace a value", Edit{strings.Index(v, "10"), strings.Index(v, "10") + 2, "20"}, true},
		{"insert a line before a table", Edit{strings.Index(v, "[mediation]"), strings.Index(v, "[mediation]"), "y = 2\n"}, true},
		{"insert two lines at the end", Edit{len(v), len(v), "[a]\nb = 1\n"}, true},
		{"delete the last line", Edit{strings.Index(v, "x = 1"), len(v), ""}, true},
		{"delete the first line", Edit{0, strings.Index(v, "offset"), ""}, true},
		{"insert on the blank line", Edit{strings.Index(v, "\n\n") + 1, strings.Index(v, "\n\n") + 1, "z = 3\n"}, true},
		{"first line starting with a blank", Edit{0, 0, "  a = 1\n"}, false},
		{"drop the final line break", Edit{len(v) - 1, len(v), ""}, false},
		{"a control character", Edit{0, 0, "a = \"\x01\"\n"}, false},
	}
	for _, tc := range cases {
		out, err := txt.Edits([]byte(src), []Edit{tc.e})
		if (err == nil) != tc.ok {
			t.Errorf("%s: err = %v, want ok %v", tc.name, err, tc.ok)
			continue
		}
		if err != nil {
			continue
		}
		fixed, err := apply([]byte(src), out)
		if err != nil {
			t.Fatal(err)
		}
		got, _, ok := yamlValue(t, string(fixed))
		want := v[:tc.e.Start] + tc.e.New + v[tc.e.End:]
		if !ok || got != want {
			t.Errorf("%s: manifest now reads %q, want %q\n%s", tc.name, got, want, fixed)
		}
		if !strings.HasSuffix(string(fixed), "  other: x\n") || !strings.HasPrefix(string(fixed), src[:at+2]) {
			t.Errorf("%s: bytes outside the block changed:\n%s", tc.name, fixed)
		}
	}
}

func TestScalar(t *testing.T) {
	for _, tc := range []struct {
		val   string
		exact bool
	}{
		{`"[server]\noffset = 10\n"`, true},
		{`"[server]\n\toffset = \"10\"\u00e9\n"`, true},
		{`'[server] offset = ''x'''`, true},
		{`plain = 1`, true},
		{"\"[server]\n    offset = 10\"", true},
		// go-yaml's wrapping of a long double-quoted string, as kubectl
		// writes a config with trailing blanks.
		{"\"[server]\\nhostname = \\\"mi\\\"  \\n\\n[mediation]\\ninternal.http.api.port\\\n    \\ = 9201\\n\"", true},
		{"'[server]\n\n    offset = 1'", true},
		{"plain\n    offset = 1", false},
	} {
		src := "apiVersion: v1\nkind: ConfigMap\ndata:\n  deployment.toml: " + tc.val + "\n"
		want, at, ok := yamlValue(t, src)
		if !ok {
			t.Fatalf("%q does not parse", src)
		}
		got := Scalar([]byte(src), at, want)
		if got.Value != want || got.Exact != tc.exact || got.Editable {
			t.Errorf("%s: Value %q Exact %v Editable %v", tc.val, got.Value, got.Exact, got.Editable)
		}
		if !got.Exact {
			if got.Offset(3) != at {
				t.Errorf("%s: inexact offset %d, want %d", tc.val, got.Offset(3), at)
			}
			continue
		}
		for _, word := range []string{"offset", "9201"} {
			if i := strings.Index(want, word); i >= 0 && !strings.HasPrefix(src[got.Offset(i):], word) {
				t.Errorf("%s: %s maps to %q", tc.val, word, src[got.Offset(i):])
			}
		}
		if _, err := got.Edits([]byte(src), []Edit{{0, 0, "x"}}); !errors.Is(err, ErrNotEditable) {
			t.Errorf("%s: edit of a flow scalar: %v", tc.val, err)
		}
	}
}
