package yamlast

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

const eiAnalyticsFragment = `wso2.carbon:
  id: wso2-si
  ports:
    offset: 1
wso2.transport.http:
  listenerConfigurations:
    - id: "default"
      host: "0.0.0.0"
      port: 9090
databridge.config:
  dataReceivers:
  - dataReceiver:
      type: Thrift
      properties:
        tcpPort: '7611'
        sslPort: '7711'
`

// FuzzParse checks that Parse never panics and that every span it hands out
// lies inside the file and says what the node says.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		eiAnalyticsFragment,
		"\xEF\xBB\xBF" + strings.ReplaceAll(eiAnalyticsFragment, "\n", "\r\n"),
		"wso2.transport.http:\n\tlistenerConfigurations:\n",
		"a: b: c\n",
		"a: 'unclosed\n",
		"a: &x value\nb: !!str 5\nc: *x\n",
		"x: {port: 9090}\ny: [ '7611', \"7711\" ]\n",
		"  \"ünï\": 'héllo wörld' # c\n",
		"a: |\n  # text\n b: 1\n# c\n",
		"k: \"a\\\n  b\\u00e9\" #c\n",
		"k: 'a''b\n\n  c'\n---\n- {a: 1, a: 2}\n",
		"a: [1,#c\n  2]#d\n",
		"a: 1\rb: 2\u2028c: 3\u0085d: 4\n",
		"- &a [1]\n- *a\n- ? x\n  : y\n",
		"--- |\n  text\n...\n--- >2\n    x\n",
		"",
		"# only\n",
		"a: '# no' # yes\nb: \"x # \\\" no\" #yes2\nc: b#c\nurl: http://x/#frag\n",
		"a: 'x\n  # no\n  y' # yes\nb: \"x \\\n  # no\n  \" # yes\n",
		"l:\n  - a: |\n      # text\n    # after\n    b: >2\n       # text\n     # c\n    c: 1\n",
		"a: [1, # one\n  'x#', # two\n  ]#three\n",
		"a: b\n  'c # d\ne: it's # f\n",
		"# wso2lint: ignore-file[K002] vendored\nwso2.carbon:\n  ports:\n    offset: 10 # wso2lint: ignore[O003] why\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := Parse(src)
		if d == nil {
			t.Fatal("nil Doc")
		}
		checkComments(t, d)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %T %v is not a *SyntaxError", err, err)
			}
			if se.Span.Start < 0 || se.Span.Start > se.Span.End || se.Span.End > len(src) {
				t.Fatalf("error span %+v outside the file (%d bytes)", se.Span, len(src))
			}
			if se.Pos != d.Lines.Pos(se.Span.Start) {
				t.Fatalf("error pos %+v does not match span %+v", se.Pos, se.Span)
			}
			return
		}
		for _, doc := range d.Documents {
			walkAll(doc, func(n *yaml.Node) { checkNode(t, d, n) })
		}
		checkStripped(t, d)
		for _, dup := range d.Duplicates {
			if len(dup.Keys) < 2 || len(dup.Keys) != len(dup.Spans) {
				t.Fatalf("duplicate %+v", dup)
			}
			for _, sp := range dup.Spans {
				if sp.Start < 0 || sp.Start > sp.End || sp.End > len(src) {
					t.Fatalf("duplicate span %+v outside the file", sp)
				}
			}
		}
	})
}

func walkAll(n *yaml.Node, fn func(*yaml.Node)) {
	fn(n)
	for _, c := range n.Content {
		walkAll(c, fn)
	}
}

func checkNode(t *testing.T, d *Doc, n *yaml.Node) {
	src := d.Src
	off := d.Offset(n)
	if off < 0 || off > len(src) {
		t.Fatalf("Offset %d outside the file", off)
	}
	_ = d.Pos(n)
	sp, ok := d.ScalarSpan(n)
	if !ok {
		return
	}
	if sp.Start < 0 || sp.Start >= sp.End || sp.End > len(src) || sp.Start != off {
		t.Fatalf("span %+v (offset %d) outside the file (%d bytes)", sp, off, len(src))
	}
	text := string(src[sp.Start:sp.End])
	switch n.Style &^ (yaml.TaggedStyle | yaml.FlowStyle) {
	case 0:
		if text != n.Value {
			t.Fatalf("plain span %q, value %q", text, n.Value)
		}
	case yaml.SingleQuotedStyle:
		if !strings.ContainsAny(text, "\r\n\u0085\u2028\u2029") && text != "'"+strings.ReplaceAll(n.Value, "'", "''")+"'" {
			t.Fatalf("single-quoted span %q, value %q", text, n.Value)
		}
	case yaml.DoubleQuotedStyle:
		if !strings.ContainsAny(text, "\\\r\n\u0085\u2028\u2029") && text != `"`+n.Value+`"` {
			t.Fatalf("double-quoted span %q, value %q", text, n.Value)
		}
	default:
		t.Fatalf("span for style %v", n.Style)
	}
}

// checkComments checks the comment spans and, as an oracle for the
// scanner, that every comment line yaml.v3 attached to a node is one the
// scanner found.
func checkComments(t *testing.T, d *Doc) {
	src := d.Src
	found := make(map[string]bool)
	last := -1
	for _, c := range d.Comments {
		if c.Span.Start <= last || c.Span.End > len(src) || string(src[c.Span.Start:c.Span.End]) != c.Text || !strings.HasPrefix(c.Text, "#") {
			t.Fatalf("comment %+v", c)
		}
		last = c.Span.Start
		found[strings.TrimSpace(c.Text)] = true
	}
	for _, doc := range d.Documents {
		walkAll(doc, func(n *yaml.Node) {
			for _, s := range []string{n.HeadComment, n.LineComment, n.FootComment} {
				for line := range strings.SplitSeq(s, "\n") {
					if line = strings.TrimSpace(line); line != "" && !found[line] {
						t.Fatalf("yaml.v3 comment %q not found by the scanner (found %v)", line, found)
					}
				}
			}
		})
	}
}

// checkStripped is the oracle for comments the scanner finds but should
// not: overwriting the text of every comment it found (keeping the '#')
// must leave a file that yaml.v3 parses into the same nodes at the same
// positions. A '#' wrongly taken for a comment inside a scalar would change
// that scalar, or unbalance its quotes. (Deleting comments instead is not
// neutral in yaml.v3: a comment line ends a block scalar's trailing blank
// lines, and "\r#\n" would become one CRLF.)
func checkStripped(t *testing.T, d *Doc) {
	b := bytes.Clone(d.Src)
	for _, c := range d.Comments {
		for i := c.Span.Start + 1; i < c.Span.End; i++ {
			b[i] = 'x'
		}
	}
	d2, err := Parse(b)
	if err != nil {
		t.Fatalf("with its comments overwritten the file does not parse: %v\n%q", err, b)
	}
	if len(d.Documents) != len(d2.Documents) {
		t.Fatalf("%d documents, %d with comments overwritten", len(d.Documents), len(d2.Documents))
	}
	for i := range d.Documents {
		sameTree(t, d.Documents[i], d2.Documents[i])
	}
}

func sameTree(t *testing.T, a, b *yaml.Node) {
	if a.Kind != b.Kind || a.Style != b.Style || a.Tag != b.Tag || a.Value != b.Value ||
		a.Anchor != b.Anchor || len(a.Content) != len(b.Content) || a.Line != b.Line || a.Column != b.Column {
		t.Fatalf("node changed when comments were overwritten:\n%+v\n%+v", a, b)
	}
	for i := range a.Content {
		sameTree(t, a.Content[i], b.Content[i])
	}
}
