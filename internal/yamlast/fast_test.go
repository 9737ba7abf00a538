package yamlast

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// sameTree compares a fast-path tree with yaml.v3's, comments aside, and
// returns the first difference.
func fastSameTree(a, b *yaml.Node, path string, seen map[*yaml.Node]*yaml.Node) string {
	if a == nil || b == nil {
		if a != b {
			return path + ": one node is nil"
		}
		return ""
	}
	if x, ok := seen[a]; ok {
		if x != b {
			return path + ": a shared node differs"
		}
		return ""
	}
	seen[a] = b
	if a.Kind != b.Kind || a.Style != b.Style || a.Tag != b.Tag || a.Value != b.Value || a.Anchor != b.Anchor ||
		a.Line != b.Line || a.Column != b.Column || len(a.Content) != len(b.Content) {
		return fmt.Sprintf("%s: fast {kind %v style %v tag %q value %q anchor %q at %d:%d, %d children}, yaml.v3 {kind %v style %v tag %q value %q anchor %q at %d:%d, %d children}",
			path, a.Kind, a.Style, a.Tag, a.Value, a.Anchor, a.Line, a.Column, len(a.Content),
			b.Kind, b.Style, b.Tag, b.Value, b.Anchor, b.Line, b.Column, len(b.Content))
	}
	if (a.Alias == nil) != (b.Alias == nil) {
		return path + ": alias differs"
	}
	if a.Alias != nil {
		if d := fastSameTree(a.Alias, b.Alias, path+"*", seen); d != "" {
			return d
		}
	}
	for i := range a.Content {
		if d := fastSameTree(a.Content[i], b.Content[i], fmt.Sprintf("%s/%d", path, i), seen); d != "" {
			return d
		}
	}
	return ""
}

// checkFast parses src both ways; when the fast path takes it, yaml.v3
// must agree exactly. It reports whether the fast path took it.
func checkFast(t *testing.T, src []byte) bool {
	t.Helper()
	fast, ok := parseFast(src)
	if !ok {
		return false
	}
	docs, err := decodeAll(src)
	if err != nil {
		t.Fatalf("the fast path accepted what yaml.v3 rejects (%v):\n%s", err, src)
	}
	if len(docs) != len(fast) {
		t.Fatalf("the fast path read %d documents, yaml.v3 %d:\n%s", len(fast), len(docs), src)
	}
	for i := range docs {
		if d := fastSameTree(fast[i], docs[i], fmt.Sprintf("doc%d", i), map[*yaml.Node]*yaml.Node{}); d != "" {
			t.Fatalf("%s\n%s", d, src)
		}
	}
	// What the fast path notes on the way replaces the separate scans.
	_, p, _ := parseFastParser(src)
	defer p.recycle()
	lines := indexLines(src)
	if got := p.ylines(); !reflect.DeepEqual(got, lines) {
		t.Fatalf("line index differs: fast %v, indexLines %v\n%s", got, lines, src)
	}
	want := scanComments(src, lines).comments
	if got := p.comments(lines); !(len(got) == 0 && len(want) == 0) && !reflect.DeepEqual(got, want) {
		t.Fatalf("comments differ:\nfast %+v\nscan %+v\n%s", got, want, src)
	}
	return true
}

// readByYAML reports whether the fast path handed part of src to yaml.v3.
func readByYAML(src []byte) bool {
	_, p, ok := parseFastParser(src)
	if p != nil {
		defer p.recycle()
	}
	return ok && p.byYAML
}

// TestFastPathAgrees checks the fast path against yaml.v3 on each form;
// fast says whether it reads the file without handing a section to
// yaml.v3. Every case agrees with yaml.v3 whichever way it is read.
func TestFastPathAgrees(t *testing.T) {
	cases := map[string]struct {
		src  string
		fast bool // whether the fast path must take it
	}{
		"mapping":            {"a: 1\nb: two\n", true},
		"nested":             {"wso2.carbon:\n  id: x\n  ports:\n    offset: 1\nnext: true\n", true},
		"comments":           {"# head\n  # odd indent\nk: v # trailing\n\n# between\nj:   w  \n", true},
		"indentless seq":     {"k:\n- a\n- b\nj: c\n", true},
		"seq of maps":        {"k:\n  -\n    id: a\n    port: 9090\n  - id: b\n    port: 9443\n", true},
		"compact deep":       {"r:\n- x:\n    y: 1\n  z: 2\n", true},
		"null values":        {"a:\nb:\n  c:\nd: ~\ne: null\n", true},
		"null seq item":      {"s:\n  -\n  - x\n", true},
		"quoted":             {"a: 'it''s'\nb: \"tab\\tand \\u00e9\"\n'q k': v\n\"d\": 2\n", true},
		"space before col":   {"keyStoreLocation : ${sys:carbon.home}/x.jks\n", true},
		"tags":               {"i: 42\nf: 3.5\nh: 0x1F\no: 0o17\nb: 0b101\nt: 2001-12-14\nts: 2001-12-14t21:59:43.10-05:00\ns: 1.2.3\nn: -7\nu: 18446744073709551615\ne: 1e3\nd: .5\ninf: -.inf\nus: 1_000\nbool: True\ny: yes\n", true},
		"anchors":            {"d:\n  - &JDBC01\n    name: x\n  - &S scalar\nr:\n  ds: *JDBC01\n  s: *S\n<<: *S\n", true},
		"url values":         {"u: jdbc:h2:${sys:carbon.home}/db;A=B\nv: http://x:1/y\nc: TLSv1.1,TLSv1.2\n", true},
		"root sequence":      {"- a\n- b: c\n", true},
		"root indented":      {"  a: 1\n  b: 2\n", true},
		"non-ascii":          {"ключ: значение\nk: é # ü\n", true},
		"no final newline":   {"a: 1", true},
		"dash values":        {"a: -1\nb: --x\nc: -.5\n", true},
		"hash in value":      {"a: b#c\nd: e #f\n", true},
		"flow":               {"a: [1, 2]\nb: []\nc: {}\nd: {k: v, 'q': \"w\"} # c\ne: [ x , y, ]\nf:\n  - [a.b, c_d]\n", true},
		"flow in a sequence": {"- []\n- {a: 1}\n", true},
		// Not the fast path's: yaml.v3 parses them (or rejects them).
		"nested flow":        {"a: [[1], {b: [c]}, {}]\n", true},
		"placeholders":       {"a: {{ X }}\nb: {{ include \"x.full\" . }} # c\nc: {{.Values.x | quote}}\n", true},
		"placeholder items":  {"a:\n  - {{ X }}\n  - {{ .Values.y | default \"z\" }}\nb: x-{{ y }}-z\n", true},
		"flow null values":   {"a: {x, y: 1, z}\nb: [{p}, 'q']\n", true},
		"flow plain spaces":  {"a: [a b, c  d , e#f]\nb: {k 1: v 2}\n", true},
		"literal":            {"a: |\n  line 1\n    more\n\n  # not a comment\n\nb: 1\n", true},
		"folded":             {"a: >\n  one\n  two\n\n  three\n    indented\n  four\nb: >-\n  x\n  y\n\n\nc: 1\n", true},
		"chomping":           {"k: |+\n  x\n\n\nc: |-\n  y\n\nd: |\n  z\ne: >+\n  w\n", true},
		"indent indicator":   {"a: |2\n    x\n  y\nb: >1-\n  z\nl:\n  - |1+\n     q\n  - >\n   r\n", true},
		"block in sequence":  {"l:\n- |\n  a\n- k: |\n    b\n  j: >-\n    c # d\n  # e\n", true},
		"block header note":  {"a: | # note: x\n  t\nb: &x >\n  u\nc: *x\n", true},
		"block empty":        {"a: |\nb: |+\n\n\nc: >-\n", true},
		"block at the end":   {"a: |\n  x\n  ", true},
		"block last line":    {"a: >\n  x", true},
		"block spaces":       {"a: |\n  x\n     \n  y\n   \n", true},
		"flow over lines":    {"a: [1,\n  2]\n", false},
		"flow alias":         {"a: &x 1\nb: [*x]\n", false},
		"flow plain colon":   {"a: [b:c]\n", false},
		"flow empty item":    {"a: [1, , 2]\n", false},
		"flow then text":     {"a: [1] x\n", false},
		"block then deeper":  {"a: |\n    x\n  y\n", false},
		"block header text":  {"a: | x\n", false},
		"block header hash":  {"a: |#x\n  y\n", false},
		"block zero":         {"a: |0\n  y\n", false},
		"block on next line": {"a:\n  |\n  y\n", false},
		"flow key value":     {"a: {[b]: c}\n", false},
		"flow colon plain":   {"a: {b:c}\n", false},
		"flow comment":       {"a: [b #c]\n", false},
		"tag":                {"a: !!str 5\n", false},
		"multi-line plain":   {"a: b\n  c\n", false},
		"next-line scalar":   {"a:\n  b\n", false},
		"documents":          {"a: 1\n---\nb: 2\n", true},
		"manifests":          {"---\napiVersion: v1\nkind: Service\n--- # next\n\n# c\napiVersion: apps/v1\nspec:\n  args: [a, b]\n", true},
		"empty document":     {"a: 1\n---\n", false},
		"marker and value":   {"--- |\n  x\n", false},
		"document end":       {"a: 1\n...\n", false},
		"alias across":       {"a: &x 1\n---\nb: *x\n", false},
		"directive":          {"%YAML 1.2\n---\na: 1\n", false},
		"tab":                {"a:\tb\n", false},
		"crlf":               {"a: 1\r\nb: 2\r\n", true},
		"crlf forms":         {"# c\r\na: |\r\n  x\r\n\r\n  y # z\r\nb: [p, q] # r\r\nc:\r\n  - d: 'e'\r\n---\r\nf: >-\r\n  g\r\n  h", true},
		"bom":                {"\ufeffa: 1\n", true},
		"bom crlf":           {"\ufeff# c\r\nk: é\r\n", true},
		"lone cr":            {"a: 1\rb: 2\n", false},
		"bom inside":         {"a: \ufeff1\n", false},
		"bad indent":         {"a:\n  b: 1\n c: 2\n", false},
		"value then deeper":  {"a: 1\n  b: 2\n", false},
		"colon in value":     {"a: b: c\n", false},
		"unknown alias":      {"a: *nope\n", false},
		"anchored null":      {"a: &x\nb: 1\n", false},
		"empty":              {"", false},
		"only comments":      {"# a\n# b\n", false},
		"scalar root":        {"hello\n", false},
		"seq where key":      {"a: 1\n- b\n", false},
		"complex key":        {"? a\n: b\n", false},
		"emoji":              {"a: 😀\n", false},
		"control":            {"a: \x01\n", false},
	}
	for name, tc := range cases {
		t.Run(name, func(t *testing.T) {
			if got := checkFast(t, []byte(tc.src)) && !readByYAML([]byte(tc.src)); got != tc.fast {
				t.Errorf("fast path took it: %v, want %v", got, tc.fast)
			}
		})
	}
}

// TestFastPathTakesConfigFiles checks that the fast path takes the
// deployment.yaml files of the fixtures, which are shaped like the shipped
// ones, and agrees with yaml.v3 on each: otherwise it would speed nothing up.
func TestFastPathTakesConfigFiles(t *testing.T) {
	var files []string
	for _, pat := range []string{"../../testdata/*/*/fleet/*/*/conf/*/deployment.yaml", "../../testdata/*/fleet/*/*/*/conf/*/deployment.yaml", "testdata/*.yaml"} {
		m, _ := filepath.Glob(pat)
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Skip("no fixture files")
	}
	took := 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if checkFast(t, src) {
			took++
		} else if bytes.Contains(src, []byte("wso2.carbon:")) && !bytes.ContainsAny(src, "\t\r[{|>!") {
			t.Logf("fast path declined %s", f)
		}
	}
	if took*2 < len(files) {
		t.Errorf("the fast path took %d of %d fixture files", took, len(files))
	}
}

// TestSectionFallback checks that a top-level entry the fast path cannot
// read goes to yaml.v3 alone, and the whole file only when the entry
// cannot be read apart from the rest.
func TestSectionFallback(t *testing.T) {
	for src, section := range map[string]bool{
		"a: !!str x\r\nb:\r\n  c: [1,\r\n    2]\r\n  d: 1\r\n":      true, // CRLF
		"a: 1\nb: !!str 5\nc: [x]\n":                                true,
		"a: &x !!str 5\nb: *x\n":                                    true, // an anchor of the section, used later
		"a: 1\nb:\n  c: [1,\n    2]\n  d: x\n# e\nf: 2\n":           true,
		"a:\n- !!str x\n- y\nb: 1\n":                                true, // an indentless sequence belongs to its key
		"a: &x 1\nb: !!str *x\n":                                    false,
		"a: &x 1\nb: [*x,\n  2]\n":                                  false, // an alias to another section's anchor
		"a: \"x\nb: y\"\n":                                          false, // a scalar across the cut
		"a: 1\n? x\n: y\n":                                          false,
		"- a\n- !!str b\n":                                          true,
		"a:\n  b: 1\n  c: !!str x\n  d: [1,\n    2]\n# e\n  f: 2\n": true, // nested entries
		"l:\n  - name: x\n    t: !!int 5\n  - y\n  -  z: |\n      a\n     b: !!str\n": true,
		"a: &x 1\nb:\n  c: !!str *x\n": false, // an alias out of every cut
		"#\n0:\n!\n 00:   #0\n":        false, // a value at the key's column
	} {
		took := checkFast(t, []byte(src))
		if got := took && readByYAML([]byte(src)); got != section {
			t.Errorf("%q: read by sections: %v, want %v (taken: %v)", src, got, section, took)
		}
	}
}

// FuzzFastPath checks that whenever the fast path takes an input, yaml.v3
// parses it into the very same tree.
func FuzzFastPath(f *testing.F) {
	for _, s := range []string{
		"a: 1\nb:\n  - x\n  - y: 2\n    z: 'q'\n",
		"k:\n- &a\n  v: 1\n- *a\n",
		"x: \"\\u00e9\" # c\n  # c2\ny: ~\n",
		"d:\n  e:\n    f: -0b11\n",
		"a: [1, 'b', c.d]\ne: {k: v, \"q\": 2} # x\nf: []\ng:\n  - {}\n",
		"a: {{ X }}\nb: [[x], {y}, {z: {{ w }}}]\nc: {k 1: v 2, n}\n",
		"a: |\n  x\n\n   y\n  # z\nb: >-\n  p\n  q\n\n   r\n  s\nc: |2+\n    t\n\n",
		"l:\n- >\n\n   x\n  y\n- k: |1\n   z\n",
		"a: &x !!str 5\nb: *x\nc: [1,\n 2]\n? d\n",
		"---\na: 1\n--- # c\nb: [x]\n---\n- c\n",
		"\ufeffa: |\r\n  x\r\n\r\nb: !!str y\r\nc: [1,\r\n  2]\r\n",
	} {
		f.Add([]byte(s))
	}
	if m, _ := filepath.Glob("../../testdata/*/*/fleet/*/*/conf/*/deployment.yaml"); len(m) > 0 {
		for _, p := range m[:min(len(m), 8)] {
			if b, err := os.ReadFile(p); err == nil {
				f.Add(b)
			}
		}
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		if len(src) > 1<<16 || strings.Count(string(src), "*") > 100 {
			return
		}
		checkFast(t, src)
	})
}

// configFile is a deployment.yaml shaped like the shipped EI Analytics
// server configuration: block mappings and sequences, quoted and plain
// scalars, an anchor and an alias, comments at odd indentations.
var configFile = func() []byte {
	var b strings.Builder
	b.WriteString("################################################\n# EI Analytics server\n################################################\n\n")
	b.WriteString("wso2.carbon:\n    # id\n  id: wso2-si\n  ports:\n      # offset\n    offset: 1\n\n")
	for i := 0; b.Len() < 15_000; i++ {
		fmt.Fprintf(&b, "section%d.config:\n  transportProperties:\n    -\n      name: \"server.bootstrap.socket.timeout\"\n      value: 60\n", i)
		fmt.Fprintf(&b, "  listenerConfigurations:\n    -\n      id: \"default\"\n      host: \"0.0.0.0\"\n      port: %d\n", 9090+i)
		b.WriteString("    - id: 'msf4j-https'\n      keyStoreFile: \"${carbon.home}/resources/security/wso2carbon.jks\"\n      certPass: wso2carbon # secret\n")
		b.WriteString("  dataReceivers:\n  -\n      # receiver\n    dataReceiver:\n      type: Thrift\n      properties:\n        tcpPort: '7611'\n        sslPort: '7711'\n")
		fmt.Fprintf(&b, "  dataSource:\n    - &DS%d\n      dataSourceName: java:comp/env/jdbc/WSO2MetricsDB\n  reporting:\n    dataSource: *DS%d\n    ciphers: TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256\n\n", i, i)
	}
	return []byte(b.String())
}()

func TestConfigFileTakesFastPath(t *testing.T) {
	if !checkFast(t, configFile) {
		t.Fatal("the fast path declined the benchmark's config file")
	}
}

// BenchmarkParseConfig measures Parse on a configuration-shaped file,
// which the fast path takes; BenchmarkYAMLv3Config is yaml.v3 alone on it.
func BenchmarkParseConfig(b *testing.B) {
	b.SetBytes(int64(len(configFile)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(configFile); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkYAMLv3Config(b *testing.B) {
	b.SetBytes(int64(len(configFile)))
	b.ReportAllocs()
	for b.Loop() {
		var n yaml.Node
		if err := yaml.Unmarshal(configFile, &n); err != nil {
			b.Fatal(err)
		}
	}
}

// TestFastPathRandomDocs generates thousands of configuration-like
// documents (nested mappings and sequences in every layout, scalars of
// every type and quoting, anchors and aliases, comments and blank lines
// anywhere, the odd mistake) and checks that whatever the fast path
// takes, yaml.v3 parses into the same tree.
func TestFastPathRandomDocs(t *testing.T) {
	n := 3000
	if testing.Short() {
		n = 300
	}
	rng := rand.New(rand.NewPCG(1, 2))
	took := 0
	for i := 0; i < n; i++ {
		g := &docGen{rng: rng}
		g.mapping(0, 0)
		if i%5 == 0 {
			// Several documents, as Kubernetes manifests come.
			g.b.WriteString(g.pick("---\n", "--- # next\n", "---\n# c\n\n", "---  \n"))
			g.anchors = nil
			g.mapping(0, 0)
		}
		src := []byte(g.b.String())
		if checkFast(t, src) {
			took++
		}
	}
	if took < n/3 {
		t.Errorf("the fast path took only %d of %d generated documents", took, n)
	}
}

type docGen struct {
	rng     *rand.Rand
	b       strings.Builder
	anchors []string
}

func (g *docGen) pick(xs ...string) string { return xs[g.rng.IntN(len(xs))] }

func (g *docGen) chance(p float64) bool { return g.rng.Float64() < p }

func (g *docGen) noise(ind int) {
	for g.chance(0.15) {
		switch g.rng.IntN(4) {
		case 0:
			g.b.WriteString("\n")
		case 1:
			g.b.WriteString(strings.Repeat(" ", g.rng.IntN(8)) + "# comment: with - odd * chars\n")
		case 2:
			g.b.WriteString(strings.Repeat(" ", ind) + "#\n")
		default:
			g.b.WriteString("   \n")
		}
	}
}

func (g *docGen) key() string {
	return g.pick("a", "id", "port", "wso2.carbon", "listener-configs", "key with space", "k_1", "x.y.z", "\"quoted key\"",
		"'single'", "<<", "1", "true", "null", "Ключ", "k ", "a-b", "ports", "x#y", "x:y")
}

func (g *docGen) scalar() string {
	switch g.rng.IntN(5) {
	case 0:
		return g.pick("1", "-7", "0x1F", "0o17", "0b11", "1_000", "3.5", ".5", "1e3", "-.inf", ".NaN", "18446744073709551616", "+12", "012", "0.0.0.0")
	case 1:
		return g.pick("true", "False", "yes", "no", "on", "~", "null", "NULL", "Null", "y", "n")
	case 2:
		return g.pick("2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10", "2001-1-2", "2001-13-40", "1-2-3")
	case 3:
		return g.pick("'7611'", "'it''s'", "\"a\\tb\"", "\"\\u00e9 \\\" x\"", "''", "\"\"", "' spaced '", "\"# not a comment\"", "'a: b'")
	default:
		return g.pick("plain", "${sys:carbon.home}/x.jks", "jdbc:h2:./db;A=B", "http://h:1/p", "TLSv1.1,TLSv1.2", "a#b", "-x", "--", "a b  c",
			"é", "x-y", "a ,b", "[x", "x]", "{y}", "%x", "@x", "`x", "a: b", "a:", "!x", "|", ">", "*nope", "&a", "- x", "? x")
	}
}

func (g *docGen) value(ind int, inSeq bool) {
	switch r := g.rng.IntN(10); {
	case r < 5:
		g.b.WriteString(" " + g.scalar())
		if g.chance(0.2) {
			g.b.WriteString(" # trailing")
		}
		g.b.WriteString("\n")
	case r < 6:
		if len(g.anchors) > 0 && g.chance(0.7) {
			g.b.WriteString(" *" + g.anchors[g.rng.IntN(len(g.anchors))] + "\n")
		} else {
			name := fmt.Sprintf("A%d", g.rng.IntN(50))
			g.anchors = append(g.anchors, name)
			g.b.WriteString(" &" + name)
			if g.chance(0.5) {
				g.b.WriteString(" " + g.scalar() + "\n")
			} else {
				g.b.WriteString("\n")
				g.mapping(ind+2, 0)
			}
		}
	case r < 7 && g.chance(0.4):
		g.blockScalar(ind)
	case r < 7 && g.chance(0.5):
		g.b.WriteString(" " + g.flow(0) + g.pick("", " # c", "#c", " x") + "\n")
	case r < 7:
		g.b.WriteString("\n") // null, or an indentless/indented sequence
		if g.chance(0.7) {
			step := 0
			if inSeq || g.chance(0.5) {
				step = 2
			}
			g.sequence(ind+step, 0)
		}
	default:
		if g.chance(0.3) {
			g.b.WriteString(" # about the block")
		}
		g.b.WriteString("\n")
		g.mapping(ind+g.pick2(2, 4), 0)
	}
}

func (g *docGen) pick2(a, b int) int {
	if g.chance(0.8) {
		return a
	}
	return b
}

// mapping writes a block mapping at indentation ind; the first key goes
// right after first bytes already written on the line (0: a fresh line).
func (g *docGen) mapping(ind, first int) {
	if ind > 14 {
		g.b.WriteString(strings.Repeat(" ", ind) + "leaf: " + g.scalar() + "\n")
		return
	}
	n := 1 + g.rng.IntN(4)
	for i := 0; i < n; i++ {
		g.noise(ind)
		if !(i == 0 && first > 0) {
			pad := ind
			if g.chance(0.01) {
				pad += g.pick2(1, -1)
				if pad < 0 {
					pad = 0
				}
			}
			g.b.WriteString(strings.Repeat(" ", pad))
		}
		g.b.WriteString(g.key() + ":")
		g.value(ind, false)
	}
}

func (g *docGen) sequence(ind, _ int) {
	n := 1 + g.rng.IntN(3)
	for i := 0; i < n; i++ {
		g.noise(ind)
		g.b.WriteString(strings.Repeat(" ", ind) + "-")
		switch r := g.rng.IntN(6); {
		case r < 2:
			g.b.WriteString(" ")
			g.mapping(ind+2, ind+2) // compact: "- key: value"
		case r < 4:
			g.value(ind, true)
		default:
			g.b.WriteString("\n")
			g.mapping(ind+2+g.rng.IntN(3), 0)
		}
	}
}

// blockScalar writes a block scalar header and its text: indicators,
// blank lines with odd spaces, more indented lines, '#' lines, and lines
// that end it at every indentation.
func (g *docGen) blockScalar(ind int) {
	g.b.WriteString(" " + g.pick("|", ">") + g.pick("", "", "-", "+", "1", "2", "-2", "2+", "0", "++"))
	g.b.WriteString(g.pick("", "", " # header", "#x", " x") + "\n")
	text := ind + g.pick2(2, 1+g.rng.IntN(4))
	for n := g.rng.IntN(6); n > 0; n-- {
		switch g.rng.IntN(8) {
		case 0:
			g.b.WriteString("\n")
		case 1:
			g.b.WriteString(strings.Repeat(" ", g.rng.IntN(text+3)) + "\n")
		case 2:
			g.b.WriteString(strings.Repeat(" ", text+1+g.rng.IntN(3)) + "more indented\n")
		case 3:
			g.b.WriteString(strings.Repeat(" ", text) + "# not a comment: x\n")
		case 4:
			g.b.WriteString(strings.Repeat(" ", max(0, text-1)) + "# maybe a comment\n")
		default:
			g.b.WriteString(strings.Repeat(" ", text) + g.scalar() + " text\n")
		}
	}
}

// flow returns a one-line flow collection: nested collections, null
// values, template placeholders, plain scalars with blanks and odd
// characters.
func (g *docGen) flow(depth int) string {
	if depth > 2 || g.chance(0.1) {
		return g.pick("[]", "{}", "{{ X }}", "{{ include \"a.b\" . }}", "{{.Values.x | quote}}")
	}
	open, closing := "[", "]"
	if g.chance(0.5) {
		open, closing = "{", "}"
	}
	var b strings.Builder
	b.WriteString(open + g.pick("", " "))
	for n := g.rng.IntN(4); n > 0; n-- {
		item := g.pick("a", "1", "a b", "'q'", "\"d\"", "-x", "--ssl=0", "x#y", "a:b", "?", "é", ".5", "~", "", "CMD")
		if g.chance(0.3) {
			item = g.flow(depth + 1)
		}
		b.WriteString(item)
		if open == "{" && g.chance(0.6) {
			b.WriteString(g.pick(": ", ":", " : ") + g.pick("v", "2", "[x]", "'w'", "", "{{ Y }}"))
		}
		if n > 1 || g.chance(0.2) {
			b.WriteString(g.pick(", ", ",", " ,"))
		}
	}
	b.WriteString(g.pick("", " ") + closing)
	return b.String()
}

// fallbackFile is configFile with one tag in its last line: the fast path
// reads all of it before it gives up, the worst case of a fallback.
var fallbackFile = append(append([]byte(nil), configFile...), "last: !!str x\n"...)

// BenchmarkParseFallback measures Parse on a file the fast path declines
// at its last line; compare with BenchmarkYAMLv3Config, what yaml.v3 alone
// costs on the same bytes.
func BenchmarkParseFallback(b *testing.B) {
	b.SetBytes(int64(len(fallbackFile)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Parse(fallbackFile); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkParseSlow is what Parse costs on the same file without a fast
// path: yaml.v3 with the line index, comment scan and duplicate walk.
// BenchmarkParseFallback should stay near it.
func BenchmarkParseSlow(b *testing.B) {
	b.SetBytes(int64(len(fallbackFile)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := parseSlow(fallbackFile, indexLines(fallbackFile)); err != nil {
			b.Fatal(err)
		}
	}
}

// TestCutsBounded checks that deep nesting whose innermost entry no cut
// can read (an alias to an anchor outside every cut) does not make
// yaml.v3 read the file once per level: past twice the file's size, the
// file goes to yaml.v3 whole.
func TestCutsBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("x: &x 1\n")
	const depth = 300
	for i := 0; i < depth; i++ {
		fmt.Fprintf(&b, "%sk%d:\n", strings.Repeat(" ", 2*i), i)
		fmt.Fprintf(&b, "%ss%d: v\n", strings.Repeat(" ", 2*i+2), i)
	}
	fmt.Fprintf(&b, "%sz: [*x,\n%s 1]\n", strings.Repeat(" ", 2*depth), strings.Repeat(" ", 2*depth))
	src := []byte(b.String())
	_, p, ok := parseFastParser(src)
	if ok {
		t.Fatal("the fast path read a file with an alias no cut can resolve")
	}
	if p != nil {
		defer p.recycle()
		if p.cutBytes > 3*len(src) {
			t.Errorf("cuts handed %d bytes to yaml.v3 for a %d-byte file", p.cutBytes, len(src))
		}
	}
	if _, err := Parse(src); err != nil {
		t.Fatal(err)
	}
}

// TestFastCharsWords checks fastChars, which skips printable ASCII eight
// bytes at a time, against fastChar applied to one character at a time:
// every byte value at every place of a line longer than a word, and the
// characters that end the fast path in a multi-byte form.
func TestFastCharsWords(t *testing.T) {
	oneByOne := func(src []byte) bool {
		i := 0
		if bytes.HasPrefix(src, bom) {
			i = len(bom)
		}
		for i < len(src) {
			n := fastChar(src, i)
			if n == 0 {
				return false
			}
			i += n
		}
		return true
	}
	base := []byte("key: value-abcdefghij\n")
	for b := range 256 {
		for p := range len(base) {
			src := append([]byte(nil), base...)
			src[p] = byte(b)
			if got, want := fastChars(src), oneByOne(src); got != want {
				t.Errorf("fastChars(%q) = %v, want %v", src, got, want)
			}
		}
	}
	for _, s := range []string{"abcdefgh\u2028ijklmnop", "abcdefg\u00e9hijklmnop", "abcdefghijklmno\u0085", "\uFEFFabcdefghijklmnopq", "abcdefgh\uFEFF", "abcdefgh\r\nijklmnop"} {
		if got, want := fastChars([]byte(s)), oneByOne([]byte(s)); got != want {
			t.Errorf("fastChars(%q) = %v, want %v", s, got, want)
		}
	}
}

// TestASCIIOnly checks asciiOnly against a byte at a time: a byte of
// 0x80 or above at every place of slices shorter and longer than a word.
func TestASCIIOnly(t *testing.T) {
	for n := 0; n <= 19; n++ {
		b := bytes.Repeat([]byte{'a'}, n)
		if !asciiOnly(b) {
			t.Errorf("asciiOnly(%q) = false", b)
		}
		for i := range n {
			for _, c := range []byte{0x80, 0xC3, 0xFF} {
				b[i] = c
				if asciiOnly(b) {
					t.Errorf("asciiOnly(%q) = true", b)
				}
				b[i] = 0x7F
				if !asciiOnly(b) {
					t.Errorf("asciiOnly(%q) = false", b)
				}
				b[i] = 'a'
			}
		}
	}
}
