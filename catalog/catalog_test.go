package catalog

import (
	"bytes"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
)

// tiny is a catalogue small enough to reason about by hand.
const tiny = "# test\n" +
	"server.offset\t4.0-4.4\tread\t\t\tconf/carbon.xml.j2\n" +
	"server.enable_mtom\t4.0-4.4\tmapped\tbool\tfalse\tserver.enableMTOM\n" +
	"server.node_ip\t4.0-4.4\tdead\t\t\tEI 6.x carbon.xml\n" +
	"analytics.enabled\t4.2-4.4\tmapped\tbool\tfalse\tsynapse_properties.'analytics.enabled'\n" +
	"synapse_properties.*\t4.0-4.4\tloop\t\t\tconf/synapse.properties.j2\n" +
	"synapse_properties.'internal.http.api.port'\t4.0-4.4\tread\tstring\t9191\tconf/synapse.properties.j2\n" +
	"datasource\t4.0-4.4\tarray\t\t\tconf/datasources/master-datasources.xml.j2\n" +
	"datasource[].url\t4.0-4.4\tread\t\t\tconf/datasources/master-datasources.xml.j2\n"

func dist(a, b string, limit int) int {
	// Levenshtein, enough for the test.
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			c := 1
			if a[i-1] == b[j-1] {
				c = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+c)
		}
		prev = cur
	}
	return min(prev[len(b)], limit+1)
}

func TestLookup(t *testing.T) {
	c, err := Parse(tiny)
	if err != nil {
		t.Fatal(err)
	}
	r42, _ := ParseRelease("4.2")
	r41, _ := ParseRelease("v4.1.0")
	for _, tc := range []struct {
		path    string
		release int
		want    Status
		tables  int
	}{
		{"server.offset", AnyRelease, Known, 0},
		{"server.node_ip", AnyRelease, NoEffect, 0},
		{"analytics.enabled", r42, Known, 0},
		{"analytics.enabled", r41, OtherRelease, 0},
		{"synapse_properties.'my.prop'", AnyRelease, Known, 0},
		{"datasource[].url", AnyRelease, Known, 0},
		{"datasource", AnyRelease, Known, 0},
		{"datasource[].uri", AnyRelease, Unknown, 1},
		{"server.portOffset", AnyRelease, Unknown, 1},
		{"Server.offset", AnyRelease, Unknown, 0},
	} {
		r := c.Lookup(MustParsePath(tc.path), tc.release)
		if r.Status != tc.want || (r.Status == Unknown && r.Tables != tc.tables) {
			t.Errorf("%s in %d: status %d tables %d, want %d tables %d", tc.path, tc.release, r.Status, r.Tables, tc.want, tc.tables)
		}
	}
	if r := c.Lookup(MustParsePath("analytics.enabled"), r41); r.Entry.Releases.Describe() != "MI 4.2 on" {
		t.Errorf("describe %q", r.Entry.Releases.Describe())
	}
}

func TestSuggestions(t *testing.T) {
	c, err := Parse(tiny)
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path  string
		exact bool
		want  string
	}{
		{"server.enableMtom", true, "server.enable_mtom"},
		{"server.offest", false, "server.offset"},
		{"monitoring.offset", false, "server.offset"},
		{"synapse_properties.internal_http_api_port", true, "synapse_properties.'internal.http.api.port',synapse_properties.internal_http_api_port"},
	} {
		exact, got := c.Suggestions(MustParsePath(tc.path), AnyRelease, dist)
		var s []string
		for _, p := range got {
			s = append(s, p.String())
		}
		if exact != tc.exact || strings.Join(s, ",") != tc.want {
			t.Errorf("%s: exact %v %v, want %v %s", tc.path, exact, s, tc.exact, tc.want)
		}
	}
	if got := c.Respelled([]string{"synapse_properties", "internal_http_api_port"}, AnyRelease); got.String() != "synapse_properties.'internal.http.api.port'" {
		t.Errorf("respelled: %v", got)
	}
	if got := c.Respelled([]string{"synapse_properties", "internal.http.api.port"}, AnyRelease); got != nil {
		t.Errorf("the right spelling respelled as %v", got)
	}
	if got := c.SuggestTables(MustParsePath("servers"), dist); len(got) != 1 || got[0].String() != "server" {
		t.Errorf("tables for servers: %v", got)
	}
}

func TestSetAndReleases(t *testing.T) {
	for text, want := range map[string]string{"4.0-4.4": "MI 4.0 on", "4.3-4.4": "MI 4.3 on", "4.0-4.2": "MI 4.2 and earlier", "4.1": "MI 4.1", "4.1-4.2": "MI 4.1 to 4.2", "4.0,4.2": "MI 4.0 and 4.2"} {
		s, err := parseSet(text)
		if err != nil {
			t.Fatal(err)
		}
		if s.String() != text || s.Describe() != want {
			t.Errorf("%s: %s, %q; want %q", text, s, s.Describe(), want)
		}
	}
	for _, v := range []string{"4.4.0-alpha", "v4.2.0", "4.3", " 4.0.0 "} {
		if _, ok := ParseRelease(v); !ok {
			t.Errorf("ParseRelease(%q) failed", v)
		}
	}
	for _, v := range []string{"1.2.0", "4.5", "4", "4.2.x", ""} {
		if _, ok := ParseRelease(v); ok {
			t.Errorf("ParseRelease(%q) succeeded", v)
		}
	}
	if _, err := Parse("a.b\t4.0\tbogus\t\t\tx\n"); err == nil {
		t.Error("an unknown kind parsed")
	}
	if _, err := ParsePath("a..b"); err == nil {
		t.Error("an empty part parsed")
	}
}

// miTSV reads the committed catalogue's text, the source of mi_keys_gen.go.
func miTSV(t testing.TB) string {
	data, err := os.ReadFile("mi_keys.tsv")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// TestGeneratedCatalogueIsCurrent checks that mi_keys_gen.go, the
// catalogue the program uses, is what internal/cmd/gencatalog makes of the
// committed mi_keys.tsv, and that it is the very catalogue Parse makes of
// that text: every entry, the tree, the indexes and the tables.
func TestGeneratedCatalogueIsCurrent(t *testing.T) {
	tsv := miTSV(t)
	want, err := GoSource(tsv, "mi")
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile("mi_keys_gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("mi_keys_gen.go is stale: run go generate ./catalog")
	}
	parsed, err := Parse(tsv)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(parsed, MI()) {
		t.Errorf("the generated catalogue differs from the parsed one")
	}
	if len(MI().Entries()) < 1000 || len(MI().tables) < 100 {
		t.Errorf("%d entries, %d tables: the catalogue is cut short", len(MI().Entries()), len(MI().tables))
	}
}

// TestTreeLayout checks the tree of a small catalogue as build lays it
// out: each node's children sorted in one run, every entry reachable by
// its path.
func TestTreeLayout(t *testing.T) {
	for _, c := range []*Catalog{mustParse(t, tiny), MI()} {
		for i, n := range c.nodes {
			if !slices.IsSorted(c.names[n.kids:n.kidsEnd]) {
				t.Errorf("node %d: children %q not sorted", i, c.names[n.kids:n.kidsEnd])
			}
		}
		for i, e := range c.entries {
			n := int32(0)
			p := e.Path
			if p[len(p)-1] == Any {
				p = p[:len(p)-1]
			}
			for _, part := range p {
				if n = c.child(n, part); n == noNode {
					t.Fatalf("%s: not in the tree", e.Path)
				}
			}
			refs := c.exact(n)
			if e.Path[len(e.Path)-1] == Any {
				refs = c.loopsAt(n)
			}
			if !slices.Contains(refs, int32(i)) {
				t.Errorf("%s: the node of its path does not hold it", e.Path)
			}
		}
		if c.child(0, "no_such_table") != noNode {
			t.Error("an absent key found")
		}
	}
}

func mustParse(t *testing.T, data string) *Catalog {
	t.Helper()
	c, err := Parse(data)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// BenchmarkParse measures reading the catalogue's text, which
// internal/cmd/gencatalog does; no run of the program does it any more.
func BenchmarkParse(b *testing.B) {
	tsv := miTSV(b)
	for b.Loop() {
		if _, err := Parse(tsv); err != nil {
			b.Fatal(err)
		}
	}
}

func TestKeyPart(t *testing.T) {
	for part, want := range map[string]string{
		"offset": "offset", "listener-port": "listener-port", "internal.http.api.port": "'internal.http.api.port'",
		"a/b": "'a/b'", "é": "'é'", "": "''", "it's": `"it's"`, "a\tb": `"a\tb"`,
	} {
		if got := KeyPart(part); got != want {
			t.Errorf("KeyPart(%q) = %s, want %s", part, got, want)
		}
	}
}

// BenchmarkLookupDoc measures the lookup every key of every deployment.toml
// makes: the keys of the catalogue itself, each looked up as a document
// writes it, and the same keys misspelt.
func BenchmarkLookupDoc(b *testing.B) {
	c := MI()
	var keys [][]string
	for _, e := range c.Entries() {
		if e.Path[len(e.Path)-1] == Any {
			continue
		}
		k := e.Path.Keys()
		keys = append(keys, k)
		bad := append([]string{}, k...)
		bad[len(bad)-1] += "x"
		keys = append(keys, bad)
	}
	never := func([]string) bool { return false }
	b.ReportAllocs()
	for b.Loop() {
		for _, k := range keys {
			c.LookupDoc(k, never, AnyRelease)
		}
	}
}

// TestLookupsAllocateNothing checks the promise of LookupDoc, Respelled and
// SpelledAlike: they run for keys of every file and build nothing.
func TestLookupsAllocateNothing(t *testing.T) {
	c := MI()
	never := func([]string) bool { return false }
	keys := [][]string{{"server", "offset"}, {"synapse_properties", "internal_http_api_port"}, {"no_such_table", "key"}}
	allocs := testing.AllocsPerRun(20, func() {
		for _, k := range keys {
			c.LookupDoc(k, never, AnyRelease)
			c.Respelled(k, AnyRelease)
			for range c.SpelledAlike(k) {
			}
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations a run", allocs)
	}
	if got := c.Respelled([]string{"synapse_properties", "internal_http_api_port"}, AnyRelease); got.String() != "synapse_properties.'internal.http.api.port'" {
		t.Errorf("respelled as %v", got)
	}
	var alike []string
	for e := range c.SpelledAlike([]string{"Server", "port-Offset"}) {
		alike = append(alike, e.Path.String())
	}
	if len(alike) != 0 {
		t.Errorf("server.portOffset is spelt like %q", alike)
	}
	for e := range c.SpelledAlike([]string{"Server", "Off_set"}) {
		alike = append(alike, e.Path.String())
	}
	if len(alike) != 1 || alike[0] != "server.offset" {
		t.Errorf("Server.Off_set is spelt like %q, want server.offset", alike)
	}
}
