package lint

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/rewrite"
)

// TestOuterFix checks how a fix of a ConfigMap's config becomes a fix of
// its manifest: re-indented inside the block, and refused with a reason
// when the fixed config would not parse or the block could not carry it.
func TestOuterFix(t *testing.T) {
	dir := t.TempDir()
	manifest := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata:\n  deployment.toml: |-\n    [server]\n    offset = 3\n"
	// A pod of the MI image: the repository runs an MI, so its ConfigMap's
	// deployment.toml is an MI's.
	pod := "apiVersion: v1\nkind: Pod\nmetadata: {name: mi}\nspec:\n  containers: [{name: mi, image: wso2/wso2mi:4.3.0}]\n"
	if err := os.MkdirAll(filepath.Join(dir, "k8s"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "k8s", "pod.yaml"), []byte(pod), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "k8s"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "k8s", "cm.yaml"), []byte(manifest), 0o644); err != nil {
		t.Fatal(err)
	}
	fl, err := fleet.Load(nil, fleet.Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	var cfg *fleet.File
	for _, f := range fl.Files {
		if f.Outer() != nil {
			cfg = f
		}
	}
	if cfg == nil {
		t.Fatal("the ConfigMap's config is not loaded")
	}
	src := string(cfg.Src)
	at := strings.Index(src, "offset")
	for _, tc := range []struct {
		name   string
		edits  []rewrite.Edit
		want   string // the manifest after the fix, "" when refused
		reason string
	}{
		{"insert a line", []rewrite.Edit{{Start: at, End: at, New: "hostname = \"h\"\n"}},
			strings.Replace(manifest, "    offset", "    hostname = \"h\"\n    offset", 1), ""},
		{"two edits", []rewrite.Edit{{Start: 0, End: 0, New: "# top\n"}, {Start: len(src) - 1, End: len(src), New: "4"}},
			strings.Replace(strings.Replace(manifest, "|-\n    [server]", "|-\n    # top\n    [server]", 1), "= 3", "= 4", 1), ""},
		{"a config that no longer parses", []rewrite.Edit{{Start: at, End: at, New: "= "}}, "", "does not parse"},
		{"a final line break under |-", []rewrite.Edit{{Start: len(src), End: len(src), New: "\n"}}, "", "final line breaks"},
	} {
		for i := range tc.edits {
			tc.edits[i].Path = cfg.Path
		}
		got, err := outerFix(fl, &Fix{Applicability: Safe, Edits: tc.edits})
		if tc.want == "" {
			if err == nil || !strings.Contains(err.Error(), tc.reason) {
				t.Errorf("%s: err %v, want one saying %q", tc.name, err, tc.reason)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		fixed, err := rewrite.Apply([]byte(manifest), got.Edits)
		if err != nil || string(fixed) != tc.want {
			t.Errorf("%s: manifest now\n%s\nwant\n%s (%v)", tc.name, fixed, tc.want, err)
		}
	}
}
