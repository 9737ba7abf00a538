package yamlast

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/internal/srcpos"
	"gopkg.in/yaml.v3"
)

// pick walks a path from the first document's root: a mapping key, a
// sequence index, or a final "key:" to get the key node instead of the value.
func pick(t *testing.T, d *Doc, path ...string) *yaml.Node {
	t.Helper()
	n := d.Root
	for i, p := range path {
		switch {
		case strings.HasSuffix(p, ":") && i == len(path)-1:
			k, _ := Get(n, strings.TrimSuffix(p, ":"))
			n = k
		case n != nil && n.Kind == yaml.SequenceNode:
			idx, err := strconv.Atoi(p)
			if err != nil || idx >= len(n.Content) {
				t.Fatalf("bad index %q", p)
			}
			n = n.Content[idx]
		default:
			_, n = Get(n, p)
		}
		if n == nil {
			t.Fatalf("path %v: %q not found", path, p)
		}
	}
	return n
}

func mustParse(t *testing.T, src string) *Doc {
	t.Helper()
	d, err := Parse([]byte(src))
	if err != nil {
		t.Fatalf("Parse(%q): %v", src, err)
	}
	return d
}

func TestOffsetAndPos(t *testing.T) {
	tests := []struct {
		name string
		src  string
		path []string
		off  int
		pos  srcpos.Pos
	}{
		{"plain value", "a: 1\n", []string{"a"}, 3, srcpos.Pos{Line: 1, Col: 4}},
		{"key", "a: 1\n", []string{"a:"}, 0, srcpos.Pos{Line: 1, Col: 1}},
		{"BOM key", "\xEF\xBB\xBFa: 1\n", []string{"a:"}, 3, srcpos.Pos{Line: 1, Col: 1}},
		{"BOM value", "\xEF\xBB\xBFa: 1\n", []string{"a"}, 6, srcpos.Pos{Line: 1, Col: 4}},
		{"BOM second line", "\xEF\xBB\xBFa: 1\nb: 2\n", []string{"b"}, 11, srcpos.Pos{Line: 2, Col: 4}},
		{"CRLF", "a: 1\r\nb: 2\r\n", []string{"b"}, 9, srcpos.Pos{Line: 2, Col: 4}},
		{"BOM and CRLF nested", "\xEF\xBB\xBFx:\r\n  y: 5\r\n", []string{"x", "y"}, 12, srcpos.Pos{Line: 2, Col: 6}},
		{"tab separator", "a:\t1\n", []string{"a"}, 3, srcpos.Pos{Line: 1, Col: 4}},
		{"tab before comment", "a: 1\t# c\nb: 2\n", []string{"b"}, 12, srcpos.Pos{Line: 2, Col: 4}},
		// yaml.v3 says column 10 (runes); the byte column is 12.
		{"non-ASCII key and value", "x:\n  \"ünï\": 'héllo wörld'\n", []string{"x", "ünï"}, 14, srcpos.Pos{Line: 2, Col: 12}},
		{"non-ASCII key", "x:\n  \"ünï\": 'héllo wörld'\n", []string{"x", "ünï:"}, 5, srcpos.Pos{Line: 2, Col: 3}},
		{"Cyrillic", "ключ: значение\n", []string{"ключ"}, 10, srcpos.Pos{Line: 1, Col: 11}},
		{"4-byte rune in flow", "k: [😀, x]\n", []string{"k", "1"}, 10, srcpos.Pos{Line: 1, Col: 11}},
		{"anchor skipped", "a: &x value\n", []string{"a"}, 6, srcpos.Pos{Line: 1, Col: 7}},
		{"tag skipped", "b: !!str 5\n", []string{"b"}, 9, srcpos.Pos{Line: 1, Col: 10}},
		{"tag and anchor", "c: !t &y 'q'\n", []string{"c"}, 9, srcpos.Pos{Line: 1, Col: 10}},
		{"verbatim tag", "c: !<tag:x> 1\n", []string{"c"}, 12, srcpos.Pos{Line: 1, Col: 13}},
		{"anchored mapping on next line", "a: &m\n  b: 1\n", []string{"a"}, 8, srcpos.Pos{Line: 2, Col: 3}},
		{"anchored mapping with comment", "a: &m # c\n\n  b: 1\n", []string{"a"}, 13, srcpos.Pos{Line: 3, Col: 3}},
		{"tag then scalar on next line", "a: !!str\n  foo\n", []string{"a"}, 11, srcpos.Pos{Line: 2, Col: 3}},
		{"anchored empty value stays", "a: &x\nb: 1\n", []string{"a"}, 5, srcpos.Pos{Line: 1, Col: 6}},
		{"empty value", "a:\nb: 1\n", []string{"a"}, 2, srcpos.Pos{Line: 1, Col: 3}},
		{"flow mapping", "x: {port: 9090}\n", []string{"x", "port"}, 10, srcpos.Pos{Line: 1, Col: 11}},
		{"flow mapping node", "x: {port: 9090}\n", []string{"x"}, 3, srcpos.Pos{Line: 1, Col: 4}},
		{"flow sequence", "y: [ '7611', \"7711\" ]\n", []string{"y", "1"}, 13, srcpos.Pos{Line: 1, Col: 14}},
		{"block sequence item", "l:\n  - id: a\n    port: 9\n", []string{"l", "0", "port"}, 23, srcpos.Pos{Line: 3, Col: 11}},
		// yaml.v3 breaks lines on a lone CR, NEL, LS and PS; srcpos only on LF.
		{"lone CR", "a: 1\rb: 2\r", []string{"b"}, 8, srcpos.Pos{Line: 1, Col: 9}},
		{"LS", "a: 1\u2028b: 2\n", []string{"b"}, 10, srcpos.Pos{Line: 1, Col: 11}},
		{"NEL", "a: x\u0085b: é\n", []string{"b"}, 9, srcpos.Pos{Line: 1, Col: 10}},
		// A BOM after the first byte is an ordinary character to yaml.v3.
		{"BOM mid-file", "a: 1\n\xEF\xBB\xBFb: 2\n", []string{"\ufeffb"}, 11, srcpos.Pos{Line: 2, Col: 7}},
		{"second document line numbers", "a: 1\n---\nb: 2\n", nil, 0, srcpos.Pos{Line: 1, Col: 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, tt.src)
			n := pick(t, d, tt.path...)
			if got := d.Offset(n); got != tt.off {
				t.Errorf("Offset = %d, want %d (rest %q)", got, tt.off, tt.src[min(got, len(tt.src)):])
			}
			if got := d.Pos(n); got != tt.pos {
				t.Errorf("Pos = %+v, want %+v", got, tt.pos)
			}
		})
	}
}

func TestOffsetSecondDocument(t *testing.T) {
	d := mustParse(t, "a: 1\n---\nb: 2\n...\n---\nc: [x]\n")
	if len(d.Documents) != 3 {
		t.Fatalf("got %d documents", len(d.Documents))
	}
	_, v := Get(d.Documents[2].Content[0], "c")
	if got := d.Pos(v.Content[0]); got != (srcpos.Pos{Line: 6, Col: 5}) {
		t.Errorf("Pos = %+v", got)
	}
}

func TestScalarSpan(t *testing.T) {
	tests := []struct {
		name string
		src  string
		path []string
		want string // the span's bytes; "" means ok=false
	}{
		{"plain", "a: value # c\n", []string{"a"}, "value"},
		{"plain key", "a: value\n", []string{"a:"}, "a"},
		{"plain with inner spaces", "a: x y  z  \n", []string{"a"}, "x y  z"},
		{"plain URL", "a: http://h:9443/x#y\n", []string{"a"}, "http://h:9443/x#y"},
		{"plain int", "port: 9090\n", []string{"port"}, "9090"},
		{"single-quoted", "a: 'it''s'\n", []string{"a"}, "'it''s'"},
		{"single-quoted key", "'k': 1\n", []string{"k:"}, "'k'"},
		{"single-quoted empty", "a: ''\n", []string{"a"}, "''"},
		{"double-quoted escapes", `a: "x\"y\\z\n\t\u00e9\x41"` + "\n", []string{"a"}, `"x\"y\\z\n\t\u00e9\x41"`},
		{"double-quoted key", "\"k\": 1\n", []string{"k:"}, `"k"`},
		{"double-quoted with hash", "a: \"# not a comment\" # c\n", []string{"a"}, `"# not a comment"`},
		{"flow mapping key", "x: {port: 9090}\n", []string{"x", "port:"}, "port"},
		{"flow mapping value", "x: {port: 9090}\n", []string{"x", "port"}, "9090"},
		{"flow sequence single", "y: [ '7611', \"7711\" ]\n", []string{"y", "0"}, "'7611'"},
		{"flow sequence double", "y: [ '7611', \"7711\" ]\n", []string{"y", "1"}, `"7711"`},
		{"flow plain", "y: [a,b]\n", []string{"y", "1"}, "b"},
		{"tagged", "b: !!str 5\n", []string{"b"}, "5"},
		{"anchored", "a: &x value\n", []string{"a"}, "value"},
		{"tagged quoted", "c: !t &y 'q'\n", []string{"c"}, "'q'"},
		{"non-ASCII", "x:\n  \"ünï\": 'héllo wörld'\n", []string{"x", "ünï"}, "'héllo wörld'"},
		{"BOM CRLF", "\xEF\xBB\xBFk: 'v'\r\n", []string{"k"}, "'v'"},
		{"CRLF plain", "k: v\r\nl: w\r\n", []string{"k"}, "v"},
		{"multi-line single-quoted", "k: 'a\n  b'\n", []string{"k"}, "'a\n  b'"},
		{"multi-line double-quoted", "k: \"a\n\n  b \"\n", []string{"k"}, "\"a\n\n  b \""},
		{"escaped line break", "k: \"a\\\n  b\"\n", []string{"k"}, "\"a\\\n  b\""},
		{"multi-line CRLF quoted", "k: 'a\r\n  b'\r\n", []string{"k"}, "'a\r\n  b'"},
		{"multi-line plain refused", "k: a\n  b\n", []string{"k"}, ""},
		{"literal refused", "k: |\n  x\n", []string{"k"}, ""},
		{"folded refused", "k: >-\n  x\n", []string{"k"}, ""},
		{"alias refused", "a: &x 1\nb: *x\n", []string{"b"}, ""},
		{"empty refused", "a:\nb: 1\n", []string{"a"}, ""},
		{"mapping refused", "a: {b: 1}\n", []string{"a"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, tt.src)
			n := pick(t, d, tt.path...)
			sp, ok := d.ScalarSpan(n)
			if tt.want == "" {
				if ok {
					t.Fatalf("ScalarSpan ok with %q, want not ok", tt.src[sp.Start:sp.End])
				}
				return
			}
			if !ok {
				t.Fatalf("ScalarSpan not ok, want %q", tt.want)
			}
			if got := tt.src[sp.Start:sp.End]; got != tt.want {
				t.Errorf("span %v = %q, want %q", sp, got, tt.want)
			}
			if i := strings.Index(tt.src, tt.want); sp.Start != i && !strings.Contains(tt.name, "key") {
				t.Errorf("span starts at %d, want the first occurrence at %d", sp.Start, i)
			}
		})
	}
}

// TestScalarSpanMismatch checks that a node whose bytes do not match is
// refused rather than approximated.
func TestScalarSpanMismatch(t *testing.T) {
	d := mustParse(t, "a: value\nb: 'q'\n")
	_, v := Get(d.Root, "a")
	forged := *v
	forged.Value = "other"
	if _, ok := d.ScalarSpan(&forged); ok {
		t.Error("plain node with a different value accepted")
	}
	_, q := Get(d.Root, "b")
	forged = *q
	forged.Value = "z"
	if _, ok := d.ScalarSpan(&forged); ok {
		t.Error("quoted node with a different value accepted")
	}
	forged = *q
	forged.Line, forged.Column = 99, 99
	if _, ok := d.ScalarSpan(&forged); ok {
		t.Error("node past the end accepted")
	}
}

func TestDuplicates(t *testing.T) {
	src := `wso2.carbon:
  id: wso2-si
  ports:
    offset: 1
    offset: 2
wso2.transport.http:
  listenerConfigurations:
    - id: "default"
      port: 9090
      'port': 9091
    - {id: x, id: y, port: 1}
wso2.carbon:
  id: again
---
a: 1
b: [{k: 1, k: 2, k: 3}]
a: 2
`
	d := mustParse(t, src)
	type want struct {
		path  string
		doc   int
		spans []string // "line:col text"
	}
	wants := []want{
		{"wso2.carbon", 0, []string{"1:1 wso2.carbon", "12:1 wso2.carbon"}},
		{"wso2.carbon.ports.offset", 0, []string{"4:5 offset", "5:5 offset"}},
		{"wso2.transport.http.listenerConfigurations[0].port", 0, []string{"9:7 port", "10:7 'port'"}},
		{"wso2.transport.http.listenerConfigurations[1].id", 0, []string{"11:8 id", "11:15 id"}},
		{"a", 1, []string{"15:1 a", "17:1 a"}},
		{"b[0].k", 1, []string{"16:6 k", "16:12 k", "16:18 k"}},
	}
	if len(d.Duplicates) != len(wants) {
		for _, dup := range d.Duplicates {
			t.Logf("%s", dup.Path)
		}
		t.Fatalf("got %d duplicates, want %d", len(d.Duplicates), len(wants))
	}
	for i, w := range wants {
		dup := d.Duplicates[i]
		if dup.Path != w.path || dup.Document != w.doc {
			t.Errorf("dup %d: path %q doc %d, want %q doc %d", i, dup.Path, dup.Document, w.path, w.doc)
		}
		if len(dup.Keys) != len(w.spans) || len(dup.Spans) != len(w.spans) {
			t.Errorf("dup %d: %d keys %d spans, want %d", i, len(dup.Keys), len(dup.Spans), len(w.spans))
			continue
		}
		for j, sp := range dup.Spans {
			p := d.Lines.Pos(sp.Start)
			got := strconv.Itoa(p.Line) + ":" + strconv.Itoa(p.Col) + " " + src[sp.Start:sp.End]
			if got != w.spans[j] {
				t.Errorf("dup %d occurrence %d: %q, want %q", i, j, got, w.spans[j])
			}
			if dup.Keys[j].Value != dup.Keys[0].Value {
				t.Errorf("dup %d occurrence %d: key %q", i, j, dup.Keys[j].Value)
			}
		}
	}
}

func TestDuplicatesEdgeCases(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		paths []string
	}{
		{"none", "a: 1\nb: {a: 1}\n", nil},
		{"quoted and plain are the same key", "'1': a\n1: b\n", []string{"1"}},
		{"many keys use the map path", manyKeys(40, 7), []string{"k7"}},
		{"alias keys are not compared", "x: &k a\n? *k\n: 1\n? *k\n: 2\n", nil},
		{"merge keys repeat", "b: &b {x: 1}\nc:\n  <<: *b\n  <<: *b\n", []string{"c.<<"}},
		{"nested sequences", "- - {a: 1, a: 2}\n", []string{"[0][0].a"}},
		{"aliased mapping is not walked twice", "a: &m {k: 1, k: 2}\nb: *m\nc: *m\n", []string{"a.k"}},
		{"dotted keys kept", "wso2.carbon:\n  ports: {offset: 1, offset: 2}\n", []string{"wso2.carbon.ports.offset"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, tt.src)
			var got []string
			for _, dup := range d.Duplicates {
				got = append(got, dup.Path)
			}
			if strings.Join(got, "|") != strings.Join(tt.paths, "|") {
				t.Errorf("paths %q, want %q", got, tt.paths)
			}
		})
	}
}

func manyKeys(n, dup int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString("k" + strconv.Itoa(i) + ": 1\n")
	}
	b.WriteString("k" + strconv.Itoa(dup) + ": 2\n")
	return b.String()
}

// TestBillionLaughs checks that aliases are neither expanded by Parse nor
// followed by the duplicate walk.
func TestBillionLaughs(t *testing.T) {
	var b strings.Builder
	b.WriteString("a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n")
	prev := "a"
	for c := 'b'; c <= 'z'; c++ {
		name := string(c)
		b.WriteString(name + ": &" + name + " [")
		for i := range 9 {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("*" + prev)
		}
		b.WriteString("]\n")
		prev = name
	}
	b.WriteString("z2: {k: *z, k: *z}\n")
	d := mustParse(t, b.String())
	if len(d.Duplicates) != 1 || d.Duplicates[0].Path != "z2.k" {
		t.Fatalf("duplicates %+v", d.Duplicates)
	}
}

func TestComments(t *testing.T) {
	type c struct {
		text     string
		line     int
		trailing bool
	}
	tests := []struct {
		name string
		src  string
		want []c
	}{
		{"full line and trailing", "# head\na: 1 # tail\n  # indented\n", []c{{"# head", 1, false}, {"# tail", 2, true}, {"# indented", 3, false}}},
		{"hash inside plain", "a: b#c\nurl: http://x/#frag\n", nil},
		{"hash in quotes", "a: '# no' # yes\nb: \"x # no\" #yes2\n", []c{{"# yes", 1, true}, {"#yes2", 2, true}}},
		{"escaped quotes", "a: 'it''s # no'\nb: \"\\\" # no\"\n", nil},
		{"hash right after a quote or bracket", "a: 'x'#c1\nb: [1]#c2\nc: {d: 1}#c3\n", []c{{"#c1", 1, true}, {"#c2", 2, true}, {"#c3", 3, true}}},
		{"multi-line quote", "a: 'x\n  # no\n  y' # yes\n", []c{{"# yes", 3, true}}},
		{"multi-line double quote", "a: \"x \\\n  # no \\\" # still no\n  \" # yes\n", []c{{"# yes", 3, true}}},
		{"block scalar", "a: | # header\n  # text\n    # text\n\n  # text\n# after\nb: 1\n", []c{{"# header", 1, true}, {"# after", 6, false}}},
		{"folded block in sequence", "- >\n  # text\n- x # c\n", []c{{"# c", 3, true}}},
		{"block in nested mapping", "l:\n  - a: |\n      # text\n    # after at mapping indent\n    b: 1\n", []c{{"# after at mapping indent", 4, false}}},
		{"block ended by less-indented comment", "a:\n  b: |\n      text\n    # comment\n", []c{{"# comment", 4, false}}},
		{"block with indentation indicator", "a: |2\n    # text\n  # text\nb: 1 # c\n", []c{{"# c", 4, true}}},
		{"block header on own line", "a:\n  |\n   # text\n# c\n", []c{{"# c", 4, false}}},
		{"top-level block", "--- |\n # text\n...\n# c\n", []c{{"# c", 4, false}}},
		{"deep blank line sets the block indentation", ">\n       \n #c\n", []c{{"#c", 3, false}}},
		{"column 0 is never block text", "--- |\n# c1\n...\n# c2\n", []c{{"# c1", 2, false}, {"# c2", 4, false}}},
		{"document markers", "--- # doc\na: 1\n... # end\n", []c{{"# doc", 1, true}, {"# end", 3, true}}},
		{"flow collection", "a: [1, # one\n  'x#', # two\n  ] # three\n", []c{{"# one", 1, true}, {"# two", 2, true}, {"# three", 3, true}}},
		{"flow comment after a bare ?", "[?#c\n 0]\n", []c{{"#c", 1, true}}},
		{"flow comment after comma", "a: [1,#c\n  2]\n", []c{{"#c", 1, true}}},
		{"quote continuing a plain scalar", "a: b\n  'c # d\ng: 1\n", []c{{"# d", 2, true}}},
		{"quote after a plain scalar's comment", "a: b # c\ng: 'x # y'\n", []c{{"# c", 1, true}}},
		{"apostrophe in plain", "a: it's # c\nb: don't\n", []c{{"# c", 1, true}}},
		{"CRLF", "# a\r\nb: 1 # c\r\n", []c{{"# a", 1, false}, {"# c", 2, true}}},
		{"BOM", "\xEF\xBB\xBF# a\n", []c{{"# a", 1, false}}},
		{"tab before hash", "a: 1\t# c\n", []c{{"# c", 1, true}}},
		{"quoted key", "\"k#\": v # c\n", []c{{"# c", 1, true}}},
		{"alias then comment", "a: &x 1\nb: *x # c\n", []c{{"# c", 2, true}}},
		{"suppression", "wso2.carbon:\n  ports:\n    # wso2lint: ignore[O003] reason\n    offset: 10 # wso2lint: ignore[O003] why\n",
			[]c{{"# wso2lint: ignore[O003] reason", 3, false}, {"# wso2lint: ignore[O003] why", 4, true}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, tt.src)
			var got []c
			for _, cm := range d.Comments {
				if tt.src[cm.Span.Start:cm.Span.End] != cm.Text {
					t.Errorf("span %v holds %q, Text %q", cm.Span, tt.src[cm.Span.Start:cm.Span.End], cm.Text)
				}
				got = append(got, c{cm.Text, d.Lines.Pos(cm.Span.Start).Line, cm.Trailing})
			}
			if len(got) != len(tt.want) {
				t.Fatalf("comments %+v, want %+v", got, tt.want)
			}
			for i := range got {
				if got[i] != tt.want[i] {
					t.Errorf("comment %d = %+v, want %+v", i, got[i], tt.want[i])
				}
			}
		})
	}
}

func TestCommentSpanExact(t *testing.T) {
	d := mustParse(t, "a: 1  # c \r\n")
	if len(d.Comments) != 1 {
		t.Fatalf("comments %+v", d.Comments)
	}
	if got := d.Comments[0].Span; got != (srcpos.Span{Start: 6, End: 10}) {
		t.Errorf("span %+v", got)
	}
}

func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		pos  srcpos.Pos
		span string // the located bytes
		msg  string
	}{
		{"tab-indented mapping", "wso2.transport.http:\n\tlistenerConfigurations:\n\t\t- id: default\n",
			srcpos.Pos{Line: 2, Col: 1}, "\t", "found character that cannot start any token (tabs are not allowed in YAML indentation)"},
		{"tab on the first line (no line in message)", "\ta: 1\n",
			srcpos.Pos{Line: 1, Col: 1}, "\t", "found character that cannot start any token (tabs are not allowed in YAML indentation)"},
		{"tab after a sequence indicator", "- \tx\n",
			srcpos.Pos{Line: 1, Col: 3}, "\t", "found character that cannot start any token (tabs are not allowed in YAML indentation)"},
		{"mapping values (no line in message)", "a: b: c\n",
			srcpos.Pos{Line: 1, Col: 1}, "a: b: c", "mapping values are not allowed in this context"},
		{"mapping values on line 2", "key: value\n  bad: x\n",
			srcpos.Pos{Line: 2, Col: 1}, "  bad: x", "mapping values are not allowed in this context"},
		{"unclosed single quote", "a: 'unclosed\nb: c\n",
			srcpos.Pos{Line: 1, Col: 4}, "'unclosed", "found unexpected end of stream (unclosed quoted scalar)"},
		{"unclosed double quote", "a:\n  b: \"unclosed\n",
			srcpos.Pos{Line: 2, Col: 6}, "\"unclosed", "found unexpected end of stream (unclosed quoted scalar)"},
		// Parser errors: yaml.v3 prints a 0-based line.
		{"bad dedent (yaml.v3 says line 3)", "a: 1\nb:\n  c: 1\n d: 2\n",
			srcpos.Pos{Line: 4, Col: 1}, " d: 2", "did not find expected key"},
		{"sequence then mapping (yaml.v3 says line 1)", "- a\nb: c\n",
			srcpos.Pos{Line: 2, Col: 1}, "b: c", "did not find expected '-' indicator"},
		{"unclosed flow at EOF", "a: [1, 2\n",
			srcpos.Pos{Line: 1, Col: 1}, "a: [1, 2", "did not find expected ',' or ']'"},
		{"second document", "a: 1\n---\nb: [\n",
			srcpos.Pos{Line: 3, Col: 1}, "b: [", "did not find expected node content"},
		{"unknown anchor", "a: 1\nb: *nope\n",
			srcpos.Pos{Line: 2, Col: 4}, "*nope", "unknown anchor 'nope' referenced"},
		{"control character", "a: b\nc: \x01\n",
			srcpos.Pos{Line: 2, Col: 4}, "\x01", "control characters are not allowed"},
		{"invalid UTF-8", "a: \xff\n",
			srcpos.Pos{Line: 1, Col: 4}, "\xff", "invalid leading UTF-8 octet"},
		{"UTF-16", "\xFF\xFEa\x00:\x00 \x001\x00\n\x00",
			srcpos.Pos{Line: 1, Col: 1}, "\xFF\xFE", "UTF-16 input is not supported; the file must be UTF-8"},
		{"CRLF line", "a: 1\r\nb:\r\n  c: 1\r\n d: 2\r\n",
			srcpos.Pos{Line: 4, Col: 1}, " d: 2", "did not find expected key"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse([]byte(tt.src))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v (%T), want *SyntaxError", err, err)
			}
			if se.Pos != tt.pos || tt.src[se.Span.Start:se.Span.End] != tt.span || se.Message != tt.msg {
				t.Errorf("got %+v %q, want %+v %q %q", se.Pos, tt.src[se.Span.Start:se.Span.End], tt.pos, tt.span, tt.msg)
			}
			if d == nil || d.Root != nil || d.Documents != nil || string(d.Src) != tt.src {
				t.Errorf("doc on error: %+v", d)
			}
			if !strings.HasPrefix(se.Error(), "line ") {
				t.Errorf("Error() = %q", se.Error())
			}
		})
	}
}

func TestSyntaxErrorKeepsComments(t *testing.T) {
	d, err := Parse([]byte("# wso2lint: ignore-file[S001] vendored\na: b: c\n"))
	if err == nil || d == nil || len(d.Comments) != 1 {
		t.Fatalf("doc %+v err %v", d, err)
	}
}

func TestEmptyFiles(t *testing.T) {
	for _, src := range []string{"", "\n\n", "# only\n# comments\n", "\xEF\xBB\xBF", "  # c\r\n"} {
		d, err := Parse([]byte(src))
		if err != nil || d.Root != nil || len(d.Documents) != 0 || len(d.Duplicates) != 0 {
			t.Errorf("Parse(%q) = %+v, %v", src, d, err)
		}
	}
	d := mustParse(t, "---\n")
	if d.Root == nil || d.Root.Tag != "!!null" {
		t.Errorf("--- root %+v", d.Root)
	}
}

func TestGetResolve(t *testing.T) {
	d := mustParse(t, "a: 1\nb: &x {c: 2}\na: 3\nd: *x\ns: [1]\n")
	k, v := Get(d.Root, "a")
	if k == nil || v.Value != "3" || k.Line != 3 {
		t.Errorf("Get a = %+v %+v, want the last occurrence", k, v)
	}
	if k, v := Get(d.Root, "zz"); k != nil || v != nil {
		t.Error("absent key found")
	}
	_, s := Get(d.Root, "s")
	if k, v := Get(s, "0"); k != nil || v != nil {
		t.Error("Get on a sequence found something")
	}
	if k, v := Get(nil, "a"); k != nil || v != nil {
		t.Error("Get on nil found something")
	}
	_, alias := Get(d.Root, "d")
	if _, c := Get(alias, "c"); c != nil {
		t.Error("Get followed an alias")
	}
	r := Resolve(alias)
	if _, c := Get(r, "c"); c == nil || c.Value != "2" {
		t.Errorf("Resolve = %+v", r)
	}
	if Resolve(v) != v || Resolve(nil) != nil {
		t.Error("Resolve changed a non-alias")
	}
}

func TestLineEnding(t *testing.T) {
	for src, want := range map[string]string{
		"a: 1\r\nb: 2\n": "\r\n",
		"a: 1\nb: 2\r\n": "\n",
		"a: 1":           "\n",
		"\r\n":           "\r\n",
		"a\rb\n":         "\n",
	} {
		d, _ := Parse([]byte(src))
		if got := d.LineEnding(); got != want {
			t.Errorf("LineEnding(%q) = %q, want %q", src, got, want)
		}
	}
}

// TestLinearTime parses a long single-line flow mapping of non-ASCII keys,
// where per-node rescans of the line would be quadratic.
func TestLinearTime(t *testing.T) {
	var b strings.Builder
	b.WriteString("{")
	const n = 20000
	for i := range n {
		b.WriteString("ключ" + strconv.Itoa(i) + ": 'é', ")
	}
	b.WriteString("end: 1}\n")
	d := mustParse(t, b.String())
	count := 0
	for i := 0; i < len(d.Root.Content); i++ {
		if _, ok := d.ScalarSpan(d.Root.Content[i]); ok {
			count++
		}
	}
	if count != 2*n+2 {
		t.Errorf("%d spans, want %d", count, 2*n+2)
	}
}

func TestPanicBecomesSyntaxError(t *testing.T) {
	d := &Doc{Src: []byte("a: 1\n"), Lines: srcpos.NewLines([]byte("a: 1\n")), ylines: indexLines([]byte("a: 1\n"))}
	se := d.syntaxError(&panicError{"boom"}, &scanResult{unclosedQuote: -1})
	if se.Message != "internal parser error: boom" || se.Pos != (srcpos.Pos{Line: 1, Col: 1}) || se.Span != (srcpos.Span{Start: 0, End: 4}) {
		t.Errorf("got %+v", se)
	}
}

// TestYAMLv3Facts pins the yaml.v3 behaviour this package compensates for,
// so that an upgrade (or a switch to the go.yaml.in fork) that changes it
// fails here first rather than shifting every finding.
func TestYAMLv3Facts(t *testing.T) {
	var n yaml.Node
	if err := yaml.Unmarshal([]byte("x:\n  \"ünï\": 'héllo wörld'\n"), &n); err != nil {
		t.Fatal(err)
	}
	if v := n.Content[0].Content[1].Content[1]; v.Line != 2 || v.Column != 10 {
		t.Errorf("columns are no longer runes: %d:%d", v.Line, v.Column)
	}
	n = yaml.Node{}
	if err := yaml.Unmarshal([]byte("\xEF\xBB\xBFa: &x 1\n"), &n); err != nil {
		t.Fatal(err)
	}
	if k, v := n.Content[0].Content[0], n.Content[0].Content[1]; k.Column != 1 || v.Column != 4 {
		t.Errorf("BOM or property columns changed: key %d, value %d", k.Column, v.Column)
	}
	for src, want := range map[string]string{
		"- a\nb: c\n":    "yaml: line 1: did not find expected '-' indicator",            // parser error: 0-based
		"a: b\n  c: d\n": "yaml: line 2: mapping values are not allowed in this context", // scanner error: 1-based
		"a: b: c\n":      "yaml: mapping values are not allowed in this context",
		"a:\n\tb: 1\n":   "yaml: line 2: found character that cannot start any token",
		"a: 'x\nb: c\n":  "yaml: line 3: found unexpected end of stream",
		"a: *nope\n":     "yaml: unknown anchor 'nope' referenced",
	} {
		err := yaml.Unmarshal([]byte(src), &yaml.Node{})
		if err == nil || err.Error() != want {
			t.Errorf("yaml.Unmarshal(%q) = %v, want %q", src, err, want)
		}
	}
}

// TestLookupMergeKeys checks Lookup against SnakeYAML's flattenMapping,
// which Carbon's loader uses: the mapping's own keys win wherever they
// stand, the first merged mapping that has a key wins, a merged mapping's
// own merges count, and a quoted "<<" is an ordinary key.
func TestLookupMergeKeys(t *testing.T) {
	src := `a: &a {x: 1, y: 1}
b: &b {x: 2, z: 2}
c: &c {<<: *b, w: 3}
m1: {x: 0, <<: *a}
m2: {<<: [*a, *b]}
m3: {<<: [*b, *a]}
m4: {<<: *c}
m5: {'<<': *a}
m6:
  <<: {q: 9}
`
	d, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		mapping, key, want, via string
	}{
		{"m1", "x", "0", ""},
		{"m1", "y", "1", "*a"},
		{"m2", "x", "1", "*a"},
		{"m2", "z", "2", "*b"},
		{"m3", "x", "2", "*b"},
		{"m3", "y", "1", "*a"},
		{"m4", "x", "2", "*c"},
		{"m4", "w", "3", "*c"},
		{"m5", "x", "", ""},
		{"m6", "q", "9", "<<"},
	}
	for _, tt := range tests {
		_, m := Get(d.Root, tt.mapping)
		_, v, via := Lookup(m, tt.key)
		got := ""
		if v != nil {
			got = v.Value
		}
		if got != tt.want || via != tt.via {
			t.Errorf("%s.%s = %q via %q, want %q via %q", tt.mapping, tt.key, got, via, tt.want, tt.via)
		}
	}
}
