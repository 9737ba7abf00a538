package catalogsrc

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wso2lint/wso2lint/catalog"
)

// TestCommittedCatalogueIsCurrent regenerates the catalogue from WSO2's
// config-tool files and compares it with the committed catalog/mi_keys.tsv.
func TestCommittedCatalogueIsCurrent(t *testing.T) {
	dir := Find(".")
	if dir == "" {
		t.Skip("shared/reference/wso2-config-tool not found")
	}
	runtime, err := os.ReadFile("../cmd/gencatalog/runtime-keys.tsv")
	if err != nil {
		t.Fatal(err)
	}
	legacy, err := os.ReadFile("../cmd/gencatalog/legacy-keys.tsv")
	if err != nil {
		t.Fatal(err)
	}
	shipped, err := os.ReadFile("../cmd/gencatalog/shipped-keys.tsv")
	if err != nil {
		t.Fatal(err)
	}
	got, err := Generate(dir, string(runtime), string(legacy), string(shipped))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join("..", "..", "catalog", "mi_keys.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	if got != string(want) {
		t.Errorf("catalog/mi_keys.tsv is stale: run go generate ./catalog")
	}
}

// TestTemplateReads checks the reading of Jinja2 templates on the forms
// WSO2's templates use.
func TestTemplateReads(t *testing.T) {
	src := `<Offset>{{server.offset | default('10')}}</Offset>
{% if transport.tcp.listener.enable == true and x.y is not defined %}
{% for listener in transport.jms.listener %}{{listener.name}}
{% for name,value in listener.parameter.items() %}{{name}}={{value}}{% endfor %}{% endfor %}
{% for h in profile.hosts.toList() %}{{ loop.index }}{% endfor %}
{#  {{not.a.read}} #}`
	reads, err := templateReads("t.j2", src)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, r := range reads {
		got = append(got, r.path.String()+" "+r.kind.String())
	}
	want := []string{
		"server.offset read", "transport.tcp.listener.enable read", "x.y read",
		"transport.jms.listener[] array", "transport.jms.listener[].name read",
		"transport.jms.listener[].parameter.* loop", "transport.jms.listener[].parameter.* loop", "profile.hosts[] array",
	}
	if len(got) != len(want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("read %d: got %q, want %q", i, got[i], want[i])
		}
	}
	for _, bad := range []string{"{% macro m() %}", "{{ a['b'] }}", "{% for x in y %}"} {
		if _, err := templateReads("bad.j2", bad); err == nil {
			t.Errorf("%q: want an error", bad)
		}
	}
}

func TestParsePathRoundTrip(t *testing.T) {
	for _, s := range []string{"server.offset", "synapse_properties.'internal.http.api.port'", "transport.jms.listener[].parameter.*", "a[].b[].c"} {
		p, err := catalog.ParsePath(s)
		if err != nil {
			t.Fatal(err)
		}
		if p.String() != s {
			t.Errorf("%q round-trips to %q", s, p.String())
		}
	}
	p, err := catalog.ParsePath("transport.mail.sender:parameter.'mail.smtp.port'")
	if err != nil || p.String() != "transport.mail.sender[].parameter.'mail.smtp.port'" {
		t.Errorf("key-mappings array notation: %v %v", p, err)
	}
}
