package yamlast

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wso2lint/wso2lint/internal/fleetgen"
)

// TestFastPathCorpus checks the fast path against yaml.v3 on the real
// configuration files of ../shared/corpus (skipped when it is absent) and
// that it reads every one of them that yaml.v3 reads, at worst handing a
// section to yaml.v3: a real file must not fall off the fast path whole.
func TestFastPathCorpus(t *testing.T) {
	var files []string
	for _, pat := range []string{"*.yaml", "*.yml"} {
		m, _ := filepath.Glob(filepath.Join("..", "..", "..", "shared", "corpus", pat))
		files = append(files, m...)
	}
	if len(files) == 0 {
		t.Skip("no corpus")
	}
	whole, sections := 0, 0
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := decodeAll(src); err != nil {
			continue // not YAML (a template): nothing to be fast at
		}
		switch {
		case !checkFast(t, src):
			t.Errorf("the fast path declined %s", filepath.Base(f))
		case readByYAML(src):
			sections++
			t.Logf("yaml.v3 read a section of %s", filepath.Base(f))
		default:
			whole++
		}
	}
	t.Logf("%d files on the fast path whole, %d with a section read by yaml.v3", whole, sections)
}

// TestFastPathFleetShapes checks what the benchmarks' fleets cost the fast
// path: fleetgen's default shape is read whole, and its fallback shape,
// the worst case, with some sections left to yaml.v3 but never the whole
// file; both agree with yaml.v3.
func TestFastPathFleetShapes(t *testing.T) {
	for shape, bySection := range map[string]bool{fleetgen.ShapeDefault: false, fleetgen.ShapeFallback: true} {
		dir := t.TempDir()
		st, err := fleetgen.Generate(dir, fleetgen.Config{Installs: 16, Seed: 4, EIShare: 0.5, Shape: shape})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, p := range st.Paths {
			if filepath.Ext(p) != ".yaml" {
				continue
			}
			src, err := os.ReadFile(filepath.Join(dir, p))
			if err != nil {
				t.Fatal(err)
			}
			n++
			if !checkFast(t, src) {
				t.Errorf("%s shape: the fast path declined %s", shape, p)
			} else if got := readByYAML(src); got != bySection {
				t.Errorf("%s shape, %s: yaml.v3 read a section: %v, want %v", shape, p, got, bySection)
			}
		}
		if n == 0 {
			t.Errorf("%s shape: no YAML files", shape)
		}
	}
}
