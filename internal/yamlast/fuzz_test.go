package yamlast

import (
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
