package catalog

import (
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

// BenchmarkParse measures what every run pays to read the catalogue
// (sync.OnceValue in MI): it is on the path of a one-file pre-commit run.
func BenchmarkParse(b *testing.B) {
	for b.Loop() {
		if _, err := Parse(miData); err != nil {
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
