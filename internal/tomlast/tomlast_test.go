package tomlast

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/pelletier/go-toml/v2/unstable"

	"github.com/wso2lint/wso2lint/internal/srcpos"
)

// quote renders the bytes of span s in src with their start offset, which
// pins the span exactly: text@start.
func quote(src string, s srcpos.Span) string {
	if s.Start < 0 || s.End > len(src) || s.Start > s.End {
		return fmt.Sprintf("BAD%v", s)
	}
	return fmt.Sprintf("%q@%d", src[s.Start:s.End], s.Start)
}

func describeEntry(src string, e *Entry) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, "%s key=%s val=%s %s", strings.Join(e.Path, "/"), quote(src, e.KeySpan), quote(src, e.Value.Span), e.Value.Kind)
	if e.Value.Kind != Array && e.Value.Kind != InlineTable {
		fmt.Fprintf(&sb, " text=%q", e.Value.Text)
	}
	if e.Value.Quote != "" {
		fmt.Fprintf(&sb, " quote=%s", e.Value.Quote)
	}
	if e.Inline {
		sb.WriteString(" inline")
		if e.Line != e.Span {
			fmt.Fprintf(&sb, " LINE!=SPAN %v %v", e.Line, e.Span)
		}
	} else {
		fmt.Fprintf(&sb, " line=%s", quote(src, e.Line))
	}
	if want := (srcpos.Span{Start: e.KeySpan.Start, End: e.Value.Span.End}); e.Span != want {
		fmt.Fprintf(&sb, " SPAN=%v", e.Span)
	}
	return sb.String()
}

func describeTable(src string, t *Table) string {
	return fmt.Sprintf("%s hdr=%s array=%v index=%d bodyEnd=%d", strings.Join(t.Path, "/"), quote(src, t.Header), t.Array, t.Index, t.BodyEnd)
}

func describeDup(src string, d Duplicate) string {
	parts := make([]string, len(d.Spans))
	for i, s := range d.Spans {
		parts[i] = quote(src, s)
	}
	return strings.Join(d.Path, "/") + ": " + strings.Join(parts, " ")
}

func describeComment(src string, c Comment) string {
	s := quote(src, c.Span)
	if c.Text != src[c.Span.Start:c.Span.End] {
		s += fmt.Sprintf(" TEXT=%q", c.Text)
	}
	if c.Trailing {
		s += " trailing"
	}
	return s
}

func mustParse(t *testing.T, src string) *Doc {
	t.Helper()
	d, err := Parse([]byte(src))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	checkSpans(t, d)
	return d
}

func diff(t *testing.T, what string, got, want []string) {
	t.Helper()
	if slices.Equal(got, want) {
		return
	}
	t.Errorf("%s mismatch\ngot:\n\t%s\nwant:\n\t%s", what, strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
}

func TestEntries(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "dotted key under a table",
			src:  "[mediation]\ninternal.http.api.port = 9191\n",
			want: []string{
				`mediation/internal/http/api/port key="internal.http.api.port"@12 val="9191"@37 integer text="9191" line="internal.http.api.port = 9191\n"@12`,
			},
		},
		{
			name: "quoted key with dots",
			src:  "[synapse_properties]\n'internal.http.api.port' = 9201\n",
			want: []string{
				`synapse_properties/internal.http.api.port key="'internal.http.api.port'"@21 val="9201"@48 integer text="9201" line="'internal.http.api.port' = 9201\n"@21`,
			},
		},
		{
			name: "root keys, scalars of every kind, indentation and trailing comment",
			src: "a = \"x\\ty\"\n" +
				"  b = 'lit' # note\n" +
				"c = \"\"\"\nml\"\"\"\n" +
				"d = '''raw'''\n" +
				"e = 3.5\n" +
				"f = true\n" +
				"g = 1979-05-27T07:32:00Z\n" +
				"h = 0x1F\n" +
				"i = -inf\n" +
				"j = 1_000\n",
			want: []string{
				`a key="a"@0 val="\"x\\ty\""@4 string text="x\ty" quote=" line="a = \"x\\ty\"\n"@0`,
				`b key="b"@13 val="'lit'"@17 string text="lit" quote=' line="  b = 'lit' # note\n"@11`,
				`c key="c"@30 val="\"\"\"\nml\"\"\""@34 string text="ml" quote=""" line="c = \"\"\"\nml\"\"\"\n"@30`,
				`d key="d"@44 val="'''raw'''"@48 string text="raw" quote=''' line="d = '''raw'''\n"@44`,
				`e key="e"@58 val="3.5"@62 float text="3.5" line="e = 3.5\n"@58`,
				`f key="f"@66 val="true"@70 boolean text="true" line="f = true\n"@66`,
				`g key="g"@75 val="1979-05-27T07:32:00Z"@79 datetime text="1979-05-27T07:32:00Z" line="g = 1979-05-27T07:32:00Z\n"@75`,
				`h key="h"@100 val="0x1F"@104 integer text="0x1F" line="h = 0x1F\n"@100`,
				`i key="i"@109 val="-inf"@113 float text="-inf" line="i = -inf\n"@109`,
				`j key="j"@118 val="1_000"@122 integer text="1_000" line="j = 1_000\n"@118`,
			},
		},
		{
			name: "inline tables are flattened after their parent, depth first",
			src:  "[t]\nw = {a = {b = [1]}, c.d = \"s\"} # x\nz = 1\n",
			want: []string{
				`t/w key="w"@4 val="{a = {b = [1]}, c.d = \"s\"}"@8 inline table line="w = {a = {b = [1]}, c.d = \"s\"} # x\n"@4`,
				`t/w/a key="a"@9 val="{b = [1]}"@13 inline table inline`,
				`t/w/a/b key="b"@14 val="[1]"@18 array inline`,
				`t/w/c/d key="c.d"@24 val="\"s\""@30 string text="s" quote=" inline`,
				`t/z key="z"@39 val="1"@43 integer text="1" line="z = 1\n"@39`,
			},
		},
		{
			name: "multi-line inline table (TOML 1.1) with comments",
			src:  "x = {\n  a = 1, # one\n  b = 2,\n}\n",
			want: []string{
				`x key="x"@0 val="{\n  a = 1, # one\n  b = 2,\n}"@4 inline table line="x = {\n  a = 1, # one\n  b = 2,\n}\n"@0`,
				`x/a key="a"@8 val="1"@12 integer text="1" inline`,
				`x/b key="b"@23 val="2"@27 integer text="2" inline`,
			},
		},
		{
			name: "multi-line array with comments",
			src:  "ports = [ # first\n  8280, # http\n  # between\n  [8243, 8253],\n] # done\nnext = 1\n",
			want: []string{
				`ports key="ports"@0 val="[ # first\n  8280, # http\n  # between\n  [8243, 8253],\n]"@8 array line="ports = [ # first\n  8280, # http\n  # between\n  [8243, 8253],\n] # done\n"@0`,
				`next key="next"@70 val="1"@77 integer text="1" line="next = 1\n"@70`,
			},
		},
		{
			name: "array tables keep their own entries",
			src:  "[[x]]\na = 1\n[[x]]\na = 2\n",
			want: []string{
				`x/a key="a"@6 val="1"@10 integer text="1" line="a = 1\n"@6`,
				`x/a key="a"@18 val="2"@22 integer text="2" line="a = 2\n"@18`,
			},
		},
		{
			name: "no final newline",
			src:  "[server]\noffset = 10",
			want: []string{
				`server/offset key="offset"@9 val="10"@18 integer text="10" line="offset = 10"@9`,
			},
		},
		{
			name: "no final newline after a trailing comment",
			src:  "offset = 10 # c",
			want: []string{
				`offset key="offset"@0 val="10"@9 integer text="10" line="offset = 10 # c"@0`,
			},
		},
		{
			name: "CRLF line spans include the CR",
			src:  "[server]\r\noffset = 10 # c\r\nhostname = \"h\"\r\n",
			want: []string{
				`server/offset key="offset"@10 val="10"@19 integer text="10" line="offset = 10 # c\r\n"@10`,
				`server/hostname key="hostname"@27 val="\"h\""@38 string text="h" quote=" line="hostname = \"h\"\r\n"@27`,
			},
		},
		{
			name: "BOM is skipped but offsets count it",
			src:  "\xef\xbb\xbfa = 1\n[t]\nb = 2\n",
			want: []string{
				`a key="a"@3 val="1"@7 integer text="1" line="a = 1\n"@3`,
				`t/b key="b"@13 val="2"@17 integer text="2" line="b = 2\n"@13`,
			},
		},
		{
			name: "spaces around dots and equals, tabs",
			src:  "a . \"b.c\"\t=\t[ ]\n",
			want: []string{
				`a/b.c key="a . \"b.c\""@0 val="[ ]"@12 array line="a . \"b.c\"\t=\t[ ]\n"@0`,
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, tt.src)
			var got []string
			for _, e := range d.Entries {
				got = append(got, describeEntry(tt.src, e))
			}
			diff(t, "entries", got, tt.want)
		})
	}
}

func TestKeyParts(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []KeyPart
	}{
		{
			name: "dotted",
			src:  "[mediation]\ninternal.http.api.port = 9191\n",
			want: []KeyPart{
				{Name: "internal", Span: srcpos.Span{Start: 12, End: 20}},
				{Name: "http", Span: srcpos.Span{Start: 21, End: 25}},
				{Name: "api", Span: srcpos.Span{Start: 26, End: 29}},
				{Name: "port", Span: srcpos.Span{Start: 30, End: 34}},
			},
		},
		{
			name: "quoted literal",
			src:  "[synapse_properties]\n'internal.http.api.port' = 9201\n",
			want: []KeyPart{
				{Name: "internal.http.api.port", Span: srcpos.Span{Start: 21, End: 45}, Quoted: true},
			},
		},
		{
			name: "mixed with escapes",
			src:  "a.\"b\\u0041\" . 'c' = 1",
			want: []KeyPart{
				{Name: "a", Span: srcpos.Span{Start: 0, End: 1}},
				{Name: "bA", Span: srcpos.Span{Start: 2, End: 11}, Quoted: true},
				{Name: "c", Span: srcpos.Span{Start: 14, End: 17}, Quoted: true},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, tt.src)
			if len(d.Entries) != 1 {
				t.Fatalf("got %d entries, want 1", len(d.Entries))
			}
			if got := d.Entries[0].Key; !slices.Equal(got, tt.want) {
				t.Errorf("Key = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestTables(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "header with inner spaces and trailing comment",
			src:  "[ a . \"b c\" ]  # c\nk = 1\n",
			want: []string{`a/b c hdr="[ a . \"b c\" ]"@0 array=false index=-1 bodyEnd=25`},
		},
		{
			name: "array table header with spaces",
			src:  "[[ a . \"b c\" ]]  # c\n",
			want: []string{`a/b c hdr="[[ a . \"b c\" ]]"@0 array=true index=0 bodyEnd=21`},
		},
		{
			name: "array table index counts earlier headers of the same path",
			src:  "[[x]]\n[[y]]\n[[x]]\n[[x.z]]\n[[x]]\n[[x.z]]\n",
			want: []string{
				`x hdr="[[x]]"@0 array=true index=0 bodyEnd=6`,
				`y hdr="[[y]]"@6 array=true index=0 bodyEnd=12`,
				`x hdr="[[x]]"@12 array=true index=1 bodyEnd=18`,
				`x/z hdr="[[x.z]]"@18 array=true index=0 bodyEnd=26`,
				`x hdr="[[x]]"@26 array=true index=2 bodyEnd=32`,
				`x/z hdr="[[x.z]]"@32 array=true index=1 bodyEnd=40`,
			},
		},
		{
			name: "body end is after the last entry, not the comments and blanks before the next header",
			src:  "[server]\nhostname = \"h\" # c\n\n# about the next table\n[mediation]\n\n[empty] # e\n\n[last]\nk = 1",
			want: []string{
				`server hdr="[server]"@0 array=false index=-1 bodyEnd=28`,
				`mediation hdr="[mediation]"@52 array=false index=-1 bodyEnd=64`,
				`empty hdr="[empty]"@65 array=false index=-1 bodyEnd=77`,
				`last hdr="[last]"@78 array=false index=-1 bodyEnd=90`,
			},
		},
		{
			name: "body end of a multi-line value includes the closing line",
			src:  "[t]\nx = [\n  1,\n] # c\r\n[u]\n",
			want: []string{
				`t hdr="[t]"@0 array=false index=-1 bodyEnd=22`,
				`u hdr="[u]"@22 array=false index=-1 bodyEnd=26`,
			},
		},
		{
			name: "CRLF header line",
			src:  "[t]\r\n",
			want: []string{`t hdr="[t]"@0 array=false index=-1 bodyEnd=5`},
		},
		{
			name: "BOM before the first header",
			src:  "\xef\xbb\xbf[[t]]\n",
			want: []string{`t hdr="[[t]]"@3 array=true index=0 bodyEnd=9`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, tt.src)
			var got []string
			for _, tb := range d.Tables {
				got = append(got, describeTable(tt.src, tb))
			}
			diff(t, "tables", got, tt.want)
		})
	}
}

func TestEntryTable(t *testing.T) {
	src := "r = 0\n[[x]]\na = 1\n[x.y]\nb = 2\n[[x]]\na = 3\n"
	d := mustParse(t, src)
	want := []struct {
		table int // index into d.Tables, -1 for root
	}{{-1}, {0}, {1}, {2}}
	if len(d.Entries) != len(want) {
		t.Fatalf("got %d entries", len(d.Entries))
	}
	for i, w := range want {
		var wt *Table
		if w.table >= 0 {
			wt = d.Tables[w.table]
		}
		if d.Entries[i].Table != wt {
			t.Errorf("entry %d (%v): wrong table", i, d.Entries[i].Path)
		}
	}
	if d.Entries[3].Table.Index != 1 {
		t.Errorf("entry 3 table index = %d, want 1", d.Entries[3].Table.Index)
	}
}

func TestArrayElems(t *testing.T) {
	src := "x = [ 1, 'two', [3, [4]], {k = 5, q = [6]}, # c\n  7 ]\n"
	d := mustParse(t, src)
	var got []string
	var walk func(prefix string, v Value)
	walk = func(prefix string, v Value) {
		got = append(got, fmt.Sprintf("%s %s %s", prefix, v.Kind, quote(src, v.Span)))
		for i, e := range v.Elems {
			walk(fmt.Sprintf("%s[%d]", prefix, i), e)
		}
		for _, f := range v.Fields {
			walk(fmt.Sprintf("%s.%s", prefix, f.Key[0].Name), f.Value)
		}
	}
	walk("x", d.Entries[0].Value)
	want := []string{
		`x array "[ 1, 'two', [3, [4]], {k = 5, q = [6]}, # c\n  7 ]"@4`,
		`x[0] integer "1"@6`,
		`x[1] string "'two'"@9`,
		`x[2] array "[3, [4]]"@16`,
		`x[2][0] integer "3"@17`,
		`x[2][1] array "[4]"@20`,
		`x[2][1][0] integer "4"@21`,
		`x[3] inline table "{k = 5, q = [6]}"@26`,
		`x[3].k integer "5"@31`,
		`x[3].q array "[6]"@38`,
		`x[3].q[0] integer "6"@39`,
		`x[4] integer "7"@50`,
	}
	diff(t, "values", got, want)
	if len(d.Entries) != 1 {
		t.Errorf("inline tables inside arrays must not be flattened into Doc.Entries; got %d entries", len(d.Entries))
	}
	if f := d.Entries[0].Value.Elems[3].Fields[1]; !slices.Equal(f.Path, []string{"x", "q"}) || !f.Inline {
		t.Errorf("field path = %v inline=%v, want [x q] inline", f.Path, f.Inline)
	}
}

func TestComments(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "own line, trailing, in arrays and inline tables",
			src: "# top\n" +
				"  # indented\n" +
				"[t] # hdr\n" +
				"a = 1 # tr\n" +
				"b = [ # open\n" +
				"  1, # one\n" +
				"  # own1\n" +
				"  # own2\n" +
				"  # own3\n" +
				"  2,\n" +
				"]\n" +
				"c = { d = 1, # in\n" +
				"  # inown\n" +
				"}\n",
			want: []string{
				`"# top"@0`,
				`"# indented"@8`,
				`"# hdr"@23 trailing`,
				`"# tr"@35 trailing`,
				`"# open"@46 trailing`,
				`"# one"@58 trailing`,
				`"# own1"@66`,
				`"# own2"@75`,
				`"# own3"@84`,
				`"# in"@111 trailing`,
				`"# inown"@118`,
			},
		},
		{
			name: "only comments, CRLF, no final newline",
			src:  "# a\r\n\r\n#b",
			want: []string{`"# a"@0`, `"#b"@7`},
		},
		{
			name: "after a BOM",
			src:  "\xef\xbb\xbf# c\n",
			want: []string{`"# c"@3`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, tt.src)
			var got []string
			for _, c := range d.Comments {
				got = append(got, describeComment(tt.src, c))
			}
			diff(t, "comments", got, tt.want)
		})
	}
}

func TestDuplicates(t *testing.T) {
	tests := []struct {
		name string
		src  string
		want []string
	}{
		{
			name: "same key twice in a table",
			src:  "[server]\nhostname = \"a\"\nhostname = \"b\"\n",
			want: []string{`server/hostname: "hostname"@9 "hostname"@24`},
		},
		{
			name: "three definitions give three spans",
			src:  "a = 1\na = 2\na = 3\n",
			want: []string{`a: "a"@0 "a"@6 "a"@12`},
		},
		{
			name: "via dotted keys",
			src:  "a.b = 1\na.b = 2\n",
			want: []string{`a/b: "a.b"@0 "a.b"@8`},
		},
		{
			name: "dotted key spelling a plain key's path",
			src:  "[a]\nb = 1\n[x]\n",
			want: nil,
		},
		{
			name: "dotted key extends a value",
			src:  "x = 1\nx.y = 2\n",
			want: []string{`x: "x"@0 "x.y"@6`},
		},
		{
			name: "table header twice, keys repeated across the copies",
			src:  "[server]\noffset = 1\n[server]\noffset = 2\n",
			want: []string{
				`server: "[server]"@0 "[server]"@20`,
				`server/offset: "offset"@9 "offset"@29`,
			},
		},
		{
			name: "table defined by a dotted key, then by a header",
			src:  "a.b = 1\n[a]\n",
			want: []string{`a: "a.b"@0 "[a]"@8`},
		},
		{
			name: "sub-table before its parent is valid",
			src:  "[a.b]\nx = 1\n[a]\ny = 2\n",
			want: nil,
		},
		{
			name: "sub-table of a dotted-key table is valid",
			src:  "[fruit]\napple.color = \"red\"\n[fruit.apple.texture]\nsmooth = true\n",
			want: nil,
		},
		{
			name: "array of tables then table",
			src:  "[[x]]\n[x]\n",
			want: []string{`x: "[[x]]"@0 "[x]"@6`},
		},
		{
			name: "table then array of tables",
			src:  "[x]\n[[x]]\n",
			want: []string{`x: "[x]"@0 "[[x]]"@4`},
		},
		{
			name: "inline table then header",
			src:  "x = {a = 1}\n[x]\n",
			want: []string{`x: "x"@0 "[x]"@12`},
		},
		{
			name: "inline table then sub-table header",
			src:  "x = {a = 1}\n[x.y]\n",
			want: []string{`x: "x"@0 "[x.y]"@12`},
		},
		{
			name: "inline table then dotted key",
			src:  "x = {a = 1}\nx.b = 2\n",
			want: []string{`x: "x"@0 "x.b"@12`},
		},
		{
			name: "key repeated inside an inline table",
			src:  "x = {a = 1, b = 2, a = 3}\n",
			want: []string{`x/a: "a"@5 "a"@19`},
		},
		{
			name: "key repeated inside an inline table inside an array",
			src:  "x = [{a = 1}, {a = 1, a = 2}]\n",
			want: []string{`x/a: "a"@15 "a"@22`},
		},
		{
			name: "keys in different array-table elements are not duplicates",
			src:  "[[l]]\nport = 1\n[l.sub]\nk = 1\n[[l]]\nport = 2\n[l.sub]\nk = 2\n",
			want: nil,
		},
		{
			name: "key repeated within one array-table element",
			src:  "[[l]]\nport = 1\n[[l]]\nport = 2\nport = 3\n",
			want: []string{`l/port: "port"@21 "port"@30`},
		},
		{
			name: "header redefining a plain key",
			src:  "[a]\nb = 1\n[a.b]\n",
			want: []string{`a/b: "b"@4 "[a.b]"@10`},
		},
		{
			name: "dotted key into an explicit table",
			src:  "[a.b.c]\nz = 1\n[a]\nb.c.t = 2\n",
			want: []string{`a/b: "[a.b.c]"@0 "b.c.t"@18`},
		},
		{
			name: "a duplicated value's inline content is not reported twice",
			src:  "x = {a = 1}\nx = {a = 1}\n",
			want: []string{`x: "x"@0 "x"@12`},
		},
		{
			name: "quoted and bare spellings are the same key",
			src:  "port = 1\n\"port\" = 2\n'port' = 3\n",
			want: []string{`port: "port"@0 "\"port\""@9 "'port'"@20`},
		},
		{
			name: "dotted and quoted spellings are different keys",
			src:  "a.b = 1\n\"a.b\" = 2\n",
			want: nil,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := mustParse(t, tt.src)
			var got []string
			for _, du := range d.Duplicates {
				got = append(got, describeDup(tt.src, du))
			}
			diff(t, "duplicates", got, tt.want)
		})
	}
}

func TestSyntaxErrors(t *testing.T) {
	tests := []struct {
		name string
		src  string
		span srcpos.Span
		pos  srcpos.Pos
		msg  string
	}{
		{
			name: "unquoted placeholder",
			src:  "[server]\nheartbeat_interval = ${env:X}\n",
			span: srcpos.Span{Start: 30, End: 31},
			pos:  srcpos.Pos{Line: 2, Col: 22},
			msg:  "unexpected character U+0024 '$' at start of value",
		},
		{
			name: "missing value at EOF",
			src:  "a =",
			span: srcpos.Span{Start: 2, End: 3},
			pos:  srcpos.Pos{Line: 1, Col: 3},
			msg:  "expected value, not end of input",
		},
		{
			name: "unterminated array at EOF",
			src:  "x = [1,\n",
			span: srcpos.Span{Start: 7, End: 8},
			pos:  srcpos.Pos{Line: 1, Col: 8},
			msg:  "array is incomplete",
		},
		{
			name: "unclosed header",
			src:  "[server\nx = 1\n",
			span: srcpos.Span{Start: 7, End: 8},
			pos:  srcpos.Pos{Line: 1, Col: 8},
			msg:  "expected ']' to close table name",
		},
		{
			name: "after a BOM, columns do not count it (offsets do)",
			src:  "\xef\xbb\xbfa = @\n",
			span: srcpos.Span{Start: 7, End: 8},
			pos:  srcpos.Pos{Line: 1, Col: 5},
			msg:  "unexpected character U+0040 '@' at start of value",
		},
		{
			name: "lone CR",
			src:  "a = 1\rb = 2\n",
			span: srcpos.Span{Start: 5, End: 6},
			pos:  srcpos.Pos{Line: 1, Col: 6},
			msg:  "expected newline but got U+000D",
		},
		{
			name: "unquoted string value",
			src:  "[server]\nhostname = localhost\n",
			span: srcpos.Span{Start: 20, End: 21},
			pos:  srcpos.Pos{Line: 2, Col: 12},
			msg:  "unexpected character U+006C 'l' at start of value",
		},
		{
			name: "number with a unit",
			src:  "timeout = 20s\n",
			span: srcpos.Span{Start: 12, End: 13},
			pos:  srcpos.Pos{Line: 1, Col: 13},
			msg:  "strings must be quoted",
		},
		{
			name: "invalid UTF-8 in a string",
			src:  "a = \"\xff\"\n",
			span: srcpos.Span{Start: 5, End: 6},
			pos:  srcpos.Pos{Line: 1, Col: 6},
			msg:  "invalid UTF-8 character in basic string",
		},
		{
			name: "NUL in a comment",
			src:  "a = 1 # \x00\n",
			span: srcpos.Span{Start: 8, End: 9},
			pos:  srcpos.Pos{Line: 1, Col: 9},
			msg:  "control characters are not allowed in comments",
		},
		{
			name: "NUL as a key",
			src:  "\x00",
			span: srcpos.Span{Start: 0, End: 1},
			pos:  srcpos.Pos{Line: 1, Col: 1},
			msg:  "invalid character at start of key: U+0000",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Parse([]byte(tt.src))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v, want *SyntaxError", err)
			}
			if se.Span != tt.span || se.Pos != tt.pos || se.Message != tt.msg {
				t.Errorf("got %v %v %q, want %v %v %q", se.Span, se.Pos, se.Message, tt.span, tt.pos, tt.msg)
			}
			if want := fmt.Sprintf("%d:%d: %s", tt.pos.Line, tt.pos.Col, tt.msg); se.Error() != want {
				t.Errorf("Error() = %q, want %q", se.Error(), want)
			}
			if d == nil || d.Lines == nil || string(d.Src) != tt.src {
				t.Fatalf("partial doc missing Src or Lines")
			}
			checkSpans(t, d)
		})
	}
}

func TestPartialDoc(t *testing.T) {
	src := "# c\n[a]\nx = 1\nx = 2\ny = $\n"
	d, err := Parse([]byte(src))
	if err == nil {
		t.Fatal("want an error")
	}
	if len(d.Tables) != 1 || len(d.Entries) != 2 || len(d.Comments) != 1 || len(d.Duplicates) != 1 {
		t.Errorf("partial doc: %d tables, %d entries, %d comments, %d duplicates; want 1, 2, 1, 1",
			len(d.Tables), len(d.Entries), len(d.Comments), len(d.Duplicates))
	}
}

func TestEmptyAndTrivialFiles(t *testing.T) {
	for _, src := range []string{"", "\n", "\r\n", "\xef\xbb\xbf", "   \t\n\n", "# only\n# comments"} {
		d := mustParse(t, src)
		if len(d.Tables)+len(d.Entries)+len(d.Duplicates) != 0 {
			t.Errorf("%q: unexpected content", src)
		}
		if d.Lines == nil || string(d.Src) != src {
			t.Errorf("%q: Src/Lines not set", src)
		}
	}
}

func TestNesting(t *testing.T) {
	nest := func(n int, open, mid, close string) string {
		return "x = " + strings.Repeat(open, n) + mid + strings.Repeat(close, n) + "\n"
	}
	t.Run("at the limit", func(t *testing.T) {
		d := mustParse(t, nest(MaxNesting, "[", "1", "]"))
		v := d.Entries[0].Value
		for range MaxNesting - 1 {
			v = v.Elems[0]
		}
		if v.Kind != Array || len(v.Elems) != 1 || v.Elems[0].Text != "1" {
			t.Errorf("innermost value: %+v", v)
		}
	})
	for _, tc := range []struct {
		name             string
		n                int
		open, mid, close string
		start            int
		msg              string
	}{
		{"arrays past our limit", MaxNesting + 1, "[", "", "]", 4 + MaxNesting, "nesting too deep"},
		{"inline tables past our limit", MaxNesting + 1, "{a=", "1", "}", 4 + 3*MaxNesting, "nesting too deep"},
		{"10,000 arrays", 10000, "[", "", "]", 4 + MaxNesting, "nesting too deep"},
		{"past go-toml's limit", 10001, "[", "", "]", 4 + 10000, "nested more than the maximum"},
		{"unclosed", 10000, "[", "", "", 10004, "array is incomplete"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Parse([]byte(nest(tc.n, tc.open, tc.mid, tc.close)))
			var se *SyntaxError
			if !errors.As(err, &se) {
				t.Fatalf("err = %v", err)
			}
			if se.Span.Start != tc.start || !strings.Contains(se.Message, tc.msg) {
				t.Errorf("got %v %q, want start %d and %q", se.Span, se.Message, tc.start, tc.msg)
			}
		})
	}
}

func TestPanicBecomesSyntaxError(t *testing.T) {
	testHook = func(*unstable.Node) { panic("boom") }
	defer func() { testHook = nil }()
	d, err := Parse([]byte("a = 1\n"))
	var se *SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("err = %v", err)
	}
	if se.Span != (srcpos.Span{}) || se.Pos != (srcpos.Pos{Line: 1, Col: 1}) || se.Message != "internal parser error: boom" {
		t.Errorf("got %+v", se)
	}
	if d == nil {
		t.Error("doc is nil")
	}
	testHook = nil
	mustParse(t, "a = 1\n") // the pool must not hand out the broken parser
}

func TestLookupAndTableFor(t *testing.T) {
	src := "[server]\noffset = 1\n[[x]]\np = 1\n[[x]]\np = 2\n[t]\nv = {w = 3}\n[server]\noffset = 2\n"
	d, err := Parse([]byte(src)) // duplicate [server] is not an error
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range d.Lookup("server", "offset") {
		got = append(got, e.Value.Text)
	}
	diff(t, "Lookup server.offset", got, []string{"1", "2"})
	got = nil
	for _, e := range d.Lookup("x", "p") {
		got = append(got, e.Value.Text)
	}
	diff(t, "Lookup x.p", got, []string{"1", "2"})
	if es := d.Lookup("t", "v", "w"); len(es) != 1 || !es[0].Inline || es[0].Value.Text != "3" {
		t.Errorf("Lookup t.v.w = %v", es)
	}
	if es := d.Lookup("nope"); es != nil {
		t.Errorf("Lookup nope = %v", es)
	}
	if e := d.First("server", "offset"); e == nil || e.Value.Text != "1" {
		t.Errorf("First server.offset = %+v, want the first of the two", e)
	}
	for _, p := range [][]string{{"nope"}, {"server"}, {"offset"}, {"x", "server", "offset"}} {
		if e := d.First(p...); e != nil {
			t.Errorf("First %v = %+v, want none", p, e)
		}
	}
	if tb := d.TableFor("server"); tb == nil || tb.Header.Start != 60 {
		t.Errorf("TableFor server = %+v, want the second one", tb)
	}
	if tb := d.TableFor("x"); tb != nil {
		t.Errorf("TableFor x = %+v, want nil for an array table", tb)
	}
	if tb := d.TableFor(); tb != nil {
		t.Errorf("TableFor() = %+v, want nil", tb)
	}
}

func TestLineEnding(t *testing.T) {
	for src, want := range map[string]string{
		"":               "\n",
		"a = 1":          "\n",
		"a = 1\n":        "\n",
		"a = 1\r\nb=2\n": "\r\n",
		"a = 1\nb=2\r\n": "\n",
		"\r\n":           "\r\n",
	} {
		d, _ := Parse([]byte(src))
		if got := d.LineEnding(); got != want {
			t.Errorf("%q: LineEnding = %q, want %q", src, got, want)
		}
	}
}

func TestValueKindString(t *testing.T) {
	want := []string{"string", "integer", "float", "boolean", "datetime", "array", "inline table"}
	for k := String; k <= InlineTable; k++ {
		if k.String() != want[k] {
			t.Errorf("%d: %q, want %q", k, k.String(), want[k])
		}
	}
	if got := ValueKind(99).String(); got != "ValueKind(99)" {
		t.Errorf("unknown kind: %q", got)
	}
}

func TestPositions(t *testing.T) {
	src := "[server]\r\n  offset = 10\r\n\"ü\" = \"héllo\"\n"
	d := mustParse(t, src)
	tests := []struct {
		off  int
		want srcpos.Pos
	}{
		{d.Tables[0].Header.Start, srcpos.Pos{Line: 1, Col: 1}},
		{d.Entries[0].KeySpan.Start, srcpos.Pos{Line: 2, Col: 3}},
		{d.Entries[0].Value.Span.Start, srcpos.Pos{Line: 2, Col: 12}},
		{d.Entries[1].Value.Span.Start, srcpos.Pos{Line: 3, Col: 8}}, // byte columns
	}
	for i, tt := range tests {
		if got := d.Lines.Pos(tt.off); got != tt.want {
			t.Errorf("%d: Pos(%d) = %v, want %v", i, tt.off, got, tt.want)
		}
	}
}

// checkSpans asserts that every span in d lies within the source.
func checkSpans(t *testing.T, d *Doc) {
	t.Helper()
	n := len(d.Src)
	check := func(what string, s srcpos.Span) {
		t.Helper()
		if s.Start < 0 || s.End > n || s.Start > s.End {
			t.Errorf("%s span %v out of [0,%d]", what, s, n)
		}
	}
	var checkValue func(v Value)
	checkValue = func(v Value) {
		check("value", v.Span)
		for _, e := range v.Elems {
			checkValue(e)
		}
		for _, f := range v.Fields {
			checkEntry(t, f, check, checkValue)
		}
	}
	for _, tb := range d.Tables {
		check("header", tb.Header)
		for _, k := range tb.Keys {
			check("header key", k.Span)
		}
		if tb.BodyEnd < tb.Header.End || tb.BodyEnd > n {
			t.Errorf("BodyEnd %d out of [%d,%d]", tb.BodyEnd, tb.Header.End, n)
		}
	}
	for _, e := range d.Entries {
		checkEntry(t, e, check, checkValue)
	}
	for _, c := range d.Comments {
		check("comment", c.Span)
	}
	for i := 1; i < len(d.Tables); i++ {
		if d.Tables[i].Header.Start <= d.Tables[i-1].Header.Start {
			t.Errorf("tables out of order at %d", i)
		}
	}
	for i := 1; i < len(d.Entries); i++ {
		if d.Entries[i].Span.Start <= d.Entries[i-1].Span.Start {
			t.Errorf("entries out of order at %d", i)
		}
	}
	for i := 1; i < len(d.Comments); i++ {
		if d.Comments[i].Span.Start <= d.Comments[i-1].Span.End {
			t.Errorf("comments out of order at %d", i)
		}
	}
	for _, du := range d.Duplicates {
		if len(du.Spans) < 2 {
			t.Errorf("duplicate %v with %d spans", du.Path, len(du.Spans))
		}
		for i, s := range du.Spans {
			check("duplicate", s)
			if i > 0 && s.Start <= du.Spans[i-1].Start {
				t.Errorf("duplicate %v spans not in file order: %v", du.Path, du.Spans)
			}
		}
	}
}

func checkEntry(t *testing.T, e *Entry, check func(string, srcpos.Span), checkValue func(Value)) {
	t.Helper()
	check("entry", e.Span)
	check("line", e.Line)
	check("key", e.KeySpan)
	for _, k := range e.Key {
		check("key part", k.Span)
	}
	if e.Line.Start > e.Span.Start || e.Line.End < e.Span.End {
		t.Errorf("line %v does not contain span %v", e.Line, e.Span)
	}
	checkValue(e.Value)
}

// benchSrc is a deployment.toml of about 4 KB, the typical input.
var benchSrc = func() []byte {
	var sb strings.Builder
	sb.WriteString("# WSO2 Micro Integrator\n[server]\nhostname = \"localhost\"\noffset = 10 # shifted\n\n")
	for i := 0; sb.Len() < 4096; i++ {
		fmt.Fprintf(&sb, "[transport.t%d]\nlistener.port = %d\nsecured = true\nhosts = [\"a\", \"b\"] # c\nopts = {x = 1, y = 'z'}\n\n", i, 8280+i)
	}
	return []byte(sb.String())
}()

func BenchmarkParse(b *testing.B) {
	b.SetBytes(int64(len(benchSrc)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(benchSrc); err != nil {
			b.Fatal(err)
		}
	}
}

// TestSyntaxErrorWholeCharacters is a regression test from FuzzLintTOML:
// go-toml stops at the first byte of a character it does not expect, and
// the error's span ended inside the character (U+FEEB is three bytes).
func TestSyntaxErrorWholeCharacters(t *testing.T) {
	for _, src := range []string{"ﻫ", "a = 1\nﻫ = 2\n", "a = ﻫ\n"} {
		_, err := Parse([]byte(src))
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Fatalf("%q: err = %v, want a *SyntaxError", src, err)
		}
		for _, off := range []int{se.Span.Start, se.Span.End} {
			if off < len(src) && !utf8.RuneStart(src[off]) {
				t.Errorf("%q: error span %v splits a character", src, se.Span)
			}
		}
	}
}

// TestSyntaxErrorNamesCharacter checks that a syntax error names the
// character it stopped at, not its first byte: go-toml described "é" as
// U+00C3 'Ã' and a stray byte-order mark as U+00EF 'ï'.
func TestSyntaxErrorNamesCharacter(t *testing.T) {
	tests := []struct{ src, want string }{
		{"[server]\né = 1\n", "invalid character at start of key: U+00E9 'é'"},
		{"[server]\noffset = 1\n\ufeff\n", "invalid character at start of key: U+FEFF (a byte-order mark, which may only begin a file)"},
		{"[server]\n\u2028 = 1\n", "invalid character at start of key: U+2028"},
		{"a = $x\n", "unexpected character U+0024 '$' at start of value"},
	}
	for _, tt := range tests {
		_, err := Parse([]byte(tt.src))
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("%q: err = %v, want a syntax error", tt.src, err)
			continue
		}
		if !strings.HasPrefix(se.Message, tt.want) {
			t.Errorf("%q: message %q, want %q", tt.src, se.Message, tt.want)
		}
	}
}

// TestFirstIndexed checks that First answers the same once it has
// indexed the document as while it scans: the first of duplicates, none
// for a prefix or a longer path, and parts that a plain join of the
// path would confuse. The calls run at once, as the fix loop's workers
// may make them.
func TestFirstIndexed(t *testing.T) {
	src := `a = 1
"a.b" = 2
a2 = { b = 3 }
"a\u0000b" = 4
"" = 5
[server]
offset = 6
[server]
offset = 7
[x.""]
y = 8
`
	d, err := Parse([]byte(src))
	if err != nil {
		t.Fatal(err)
	}
	paths := [][]string{
		{"a"}, {"a.b"}, {"a", "b"}, {"a2", "b"}, {"a2"}, {"a\x00b"}, {""}, {"server", "offset"},
		{"server"}, {"offset"}, {"x", "", "y"}, {"x", "y"}, {"x\x00", "y"}, {"nope"},
	}
	answer := func() string {
		var b strings.Builder
		for _, p := range paths {
			if e := d.First(p...); e != nil {
				fmt.Fprintf(&b, "%q=%s ", p, e.Value.Text)
			} else {
				fmt.Fprintf(&b, "%q=none ", p)
			}
		}
		return b.String()
	}
	want := `["a"]=1 ["a.b"]=2 ["a" "b"]=none ["a2" "b"]=3 ["a2"]= ["a\x00b"]=4 [""]=5 ["server" "offset"]=6 ` +
		`["server"]=none ["offset"]=none ["x" "" "y"]=8 ["x" "y"]=none ["x\x00" "y"]=none ["nope"]=none `
	if got := answer(); got != want {
		t.Fatalf("scanning:\n got %s\nwant %s", got, want)
	}
	for range firstIndexAfter {
		d.First("nope")
	}
	var wg sync.WaitGroup
	got := make([]string, 4)
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			got[i] = answer()
		}()
	}
	wg.Wait()
	if d.byPath == nil {
		t.Fatal("the document was not indexed")
	}
	for _, g := range got {
		if g != want {
			t.Errorf("indexed:\n got %s\nwant %s", g, want)
		}
	}
}
