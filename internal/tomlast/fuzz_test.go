package tomlast

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/wso2lint/wso2lint/internal/srcpos"
)

func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"",
		"a = 1",
		"[mediation]\ninternal.http.api.port = 9191\n",
		"[synapse_properties]\n'internal.http.api.port' = 9201\n",
		"[ a . \"b c\" ]  # c\nk = \"v\" # t\n",
		"[[x]]\na = 1\n[[x]]\na = 2\n[x.y]\nb = [1, [2, 3], {c = 4}]\n",
		"x = [ # c\n  1, # d\n  # e\n  [2, 3],\n]\n",
		"x = {\n  a = 1, # one\n  b = { c = '''lit''' },\n}\n",
		"\xef\xbb\xbf[server]\r\noffset = 10\r\nhostname = \"h\" # c\r\n",
		"[server]\nheartbeat_interval = ${env:X}\n",
		"a.b = 1\n[a]\n[[x]]\n[x]\ny = {z = 1}\n[y]\n[y.q]\n",
		"s = \"\"\"\nmulti \\\n  line\"\"\"\nt = '''\r\nx'''\n",
		"d = 1979-05-27 07:32:00.999-07:00\nt = 07:32:00\nf = -inf\nn = nan\nh = 0xdead_beef\n",
		"a = [[[[[[[[[[1]]]]]]]]]]\n",
		"\"\" = 1\n'' = 2\n\"a\\u00e9\" = 3\n",
		"a = \"\xff\"\n",
		"a\x00 = 1",
		"[a]\nb = 1\n[a.b]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		d, err := Parse(src)
		if d == nil || d.Lines == nil || !bytes.Equal(d.Src, src) {
			t.Fatalf("Parse returned no usable doc (err %v)", err)
		}
		checkSpans(t, d)
		if err != nil {
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("error %T is not a *SyntaxError", err)
			}
			if se.Span.Start < 0 || se.Span.End > len(src) || se.Span.Start > se.Span.End {
				t.Fatalf("error span %v out of range", se.Span)
			}
			if se.Pos != d.Lines.Pos(se.Span.Start) {
				t.Fatalf("error pos %v does not match span %v", se.Pos, se.Span)
			}
			if strings.HasPrefix(se.Message, "internal parser error") {
				t.Fatalf("panic inside Parse: %v", err)
			}
			return
		}
		checkShapes(t, d)
		checkScalarsAgainstGoToml(t, d)
		checkDuplicatesAgainstDecoder(t, d)
	})
}

// checkShapes asserts what the recovered spans must look like.
func checkShapes(t *testing.T, d *Doc) {
	src := d.Src
	for _, tb := range d.Tables {
		h := string(src[tb.Header.Start:tb.Header.End])
		open, closing := "[", "]"
		if tb.Array {
			open, closing = "[[", "]]"
		}
		if !strings.HasPrefix(h, open) || !strings.HasSuffix(h, closing) {
			t.Fatalf("header %q", h)
		}
	}
	var check func(v Value)
	check = func(v Value) {
		s := string(src[v.Span.Start:v.Span.End])
		switch v.Kind {
		case Array:
			if !strings.HasPrefix(s, "[") || !strings.HasSuffix(s, "]") {
				t.Fatalf("array span %q", s)
			}
		case InlineTable:
			if !strings.HasPrefix(s, "{") || !strings.HasSuffix(s, "}") {
				t.Fatalf("inline table span %q", s)
			}
		}
		for _, e := range v.Elems {
			check(e)
		}
		for _, f := range v.Fields {
			check(f.Value)
		}
	}
	for _, e := range d.Entries {
		check(e.Value)
		if e.Inline {
			continue
		}
		if e.Line.Start > 0 && src[e.Line.Start-1] != '\n' && e.Line.Start != len(bom) {
			t.Fatalf("line %v does not start a line", e.Line)
		}
		if e.Line.End < len(src) && src[e.Line.End-1] != '\n' {
			t.Fatalf("line %v does not end a line", e.Line)
		}
	}
}

// checkScalarsAgainstGoToml walks go-toml's own tree and asserts that every
// scalar value has exactly go-toml's raw range and decoded text.
func checkScalarsAgainstGoToml(t *testing.T, d *Doc) {
	base := 0
	if bytes.HasPrefix(d.Src, bom) {
		base = len(bom)
	}
	type scalar struct {
		span srcpos.Span
		text string
	}
	var want []scalar
	var walk func(n *unstable.Node)
	walk = func(n *unstable.Node) {
		switch n.Kind {
		case unstable.Array:
			it := n.Children()
			for it.Next() {
				if it.Node().Kind != unstable.Comment {
					walk(it.Node())
				}
			}
		case unstable.InlineTable:
			it := n.Children()
			for it.Next() {
				if it.Node().Kind == unstable.KeyValue {
					walk(it.Node().Value())
				}
			}
		default:
			start := base + int(n.Raw.Offset)
			want = append(want, scalar{srcpos.Span{Start: start, End: start + int(n.Raw.Length)}, string(n.Data)})
		}
	}
	var p unstable.Parser
	p.Reset(d.Src[base:])
	for p.NextExpression() {
		if e := p.Expression(); e.Kind == unstable.KeyValue {
			walk(e.Value())
		}
	}
	if p.Error() != nil {
		t.Fatalf("go-toml fails where Parse did not: %v", p.Error())
	}

	var got []scalar
	var mine func(v Value)
	mine = func(v Value) {
		switch v.Kind {
		case Array:
			for _, e := range v.Elems {
				mine(e)
			}
		case InlineTable:
			for _, f := range v.Fields {
				mine(f.Value)
			}
		default:
			got = append(got, scalar{v.Span, v.Text})
		}
	}
	for _, e := range d.Entries {
		if !e.Inline {
			mine(e.Value)
		}
	}
	if len(got) != len(want) {
		t.Fatalf("%d scalars, go-toml has %d", len(got), len(want))
	}
	for i := range got {
		if got[i] != want[i] {
			t.Fatalf("scalar %d: %+v, go-toml has %+v", i, got[i], want[i])
		}
	}
}

// checkDuplicatesAgainstDecoder asserts that our duplicate tracker agrees
// with go-toml's decoder, which stops at the first duplicate.
func checkDuplicatesAgainstDecoder(t *testing.T, d *Doc) {
	src := bytes.TrimPrefix(d.Src, bom)
	var m map[string]any
	err := toml.Unmarshal(src, &m)
	if len(d.Duplicates) > 0 && err == nil {
		t.Fatalf("duplicates %v but go-toml decodes the file", d.Duplicates)
	}
	if len(d.Duplicates) == 0 && err != nil && isDuplicateError(err) {
		t.Fatalf("no duplicates but go-toml says %v", err)
	}
}

func isDuplicateError(err error) bool {
	msg := err.Error()
	for _, s := range []string{"already defined", "already exists", "should be a table", "should be an array table"} {
		if strings.Contains(msg, s) {
			return true
		}
	}
	return false
}

// TestDuplicatesAgainstDecoderRandom builds many small documents from
// fragments that interact (headers, dotted keys, inline tables, arrays of
// tables) and checks that Parse reports a duplicate exactly when go-toml's
// decoder rejects the document.
func TestDuplicatesAgainstDecoderRandom(t *testing.T) {
	frags := []string{
		"[a]", "[a.b]", "[a.b.c]", "[[a]]", "[[a.b]]", "[b]", "[[b]]", "['a'.\"b\"]",
		"a = 1", "b = 1", "a.b = 1", "b.c = 1", "a.b.c = 1", "c = {d = 1}", "c.d = 1",
		"x = [{a = 1}, {a = 2}]", "y = {p.q = 1, p.r = 2}", "b = {c = 1}",
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for range 5000 {
		var sb strings.Builder
		for range 1 + rng.IntN(7) {
			sb.WriteString(frags[rng.IntN(len(frags))])
			sb.WriteByte('\n')
		}
		src := sb.String()
		d, err := Parse([]byte(src))
		if err != nil {
			t.Fatalf("%q: %v", src, err)
		}
		checkSpans(t, d)
		var m map[string]any
		derr := toml.Unmarshal([]byte(src), &m)
		if (derr != nil) != (len(d.Duplicates) > 0) {
			t.Fatalf("%q: go-toml says %v, we found %d duplicates: %v", src, derr, len(d.Duplicates), d.Duplicates)
		}
	}
}
