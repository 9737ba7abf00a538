package fleet_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
)

// mergedServer is an EI Analytics server deployment.yaml that takes its
// offset and one listener from anchors through YAML merge keys, which
// Carbon's SnakeYAML resolves.
const mergedServer = `common: &ports
  offset: 4
tls: &https
  host: "0.0.0.0"
  port: 9443
  scheme: https
wso2.carbon:
  id: wso2-sp
  ports:
    <<: *ports
wso2.transport.http:
  listenerConfigurations:
    - id: "default"
      host: "0.0.0.0"
      port: 9090
    - <<: *https
      id: "msf4j-https"
    - <<: [*https, {port: 1}]
      id: "first-wins"
    - <<: *https
      port: 9445
      id: "own-wins"
`

// TestEIMergeKeys checks that the model reads a merged offset and merged
// listener ports as Carbon does, with positions at the anchored values and
// the merge named, so that no fix rewrites a shared value. Before, the
// merged offset 4 read as the default and the merged listeners as none.
func TestEIMergeKeys(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "h", "eia", "conf", "server", "deployment.yaml")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(mergedServer), 0o644); err != nil {
		t.Fatal(err)
	}
	fl, err := fleet.Load(nil, fleet.Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	var rt *fleet.Runtime
	for _, in := range fl.Installs {
		for _, r := range in.Runtimes {
			if r.Name == "server" {
				rt = r
			}
		}
	}
	if rt == nil {
		t.Fatal("no server runtime")
	}
	off := rt.Offset
	if off.Value != 4 || off.Source != "deployment.yaml" || off.File == nil || off.File.Alias != "*ports" {
		t.Fatalf("offset = %+v, want 4 from deployment.yaml through *ports", off)
	}
	if pos := off.File.File.Pos(off.File.Span.Start); pos.Line != 2 || pos.Col != 11 {
		t.Errorf("offset position %d:%d, want 2:11 (the anchored value)", pos.Line, pos.Col)
	}
	want := map[string]struct {
		port, line int
		alias      string
	}{
		"http:default":     {9090, 15, ""},
		"http:msf4j-https": {9443, 5, "*https"},
		"http:first-wins":  {9443, 5, "*https"},
		"http:own-wins":    {9445, 21, ""},
	}
	got := map[string]bool{}
	for _, l := range rt.Listeners {
		w, ok := want[l.Name]
		if !ok {
			continue
		}
		got[l.Name] = true
		if l.Port == nil || l.Port.Int != w.port || l.Port.Alias != w.alias || l.Effective != w.port+4 {
			t.Errorf("%s: port %+v, effective %d; want %d through %q, effective %d", l.Name, l.Port, l.Effective, w.port, w.alias, w.port+4)
			continue
		}
		if pos := l.Port.File.Pos(l.Port.Span.Start); pos.Line != w.line {
			t.Errorf("%s: port on line %d, want %d", l.Name, pos.Line, w.line)
		}
	}
	for name := range want {
		if !got[name] {
			t.Errorf("listener %s missing", name)
		}
	}
}
