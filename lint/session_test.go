package lint_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/rules"
)

// TestSessionOverlay lints a buffer that exists only in memory against
// its neighbour on disk: the collision is the overlay's, and a per-file
// ignore written relative to the configuration's directory applies.
func TestSessionOverlay(t *testing.T) {
	dir := t.TempDir()
	proj := filepath.Join(dir, "proj")
	for name, text := range map[string]string{
		"proj/edge/mi-a/conf/deployment.toml": "[server]\noffset = 1\n",
		"proj/edge/mi-b/conf/deployment.toml": "[server]\noffset = 2\n",
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	b := filepath.Join(proj, "edge/mi-b/conf/deployment.toml")
	codes := func(cfg *lint.Config, overlay map[string][]byte) []string {
		t.Helper()
		s, err := lint.NewSession(cfg, rules.All, dir, proj)
		if err != nil {
			t.Fatal(err)
		}
		_, findings, fixErr, err := s.Lint([]string{b}, overlay)
		if err != nil || fixErr != nil {
			t.Fatal(err, fixErr)
		}
		var out []string
		for _, f := range findings {
			if !f.Suppressed {
				out = append(out, f.Rule.Code+" "+f.File.Path)
			}
		}
		return out
	}
	if got := codes(&lint.Config{}, nil); len(got) != 0 {
		t.Errorf("disk alone: %v, want nothing", got)
	}
	overlay := map[string][]byte{b: []byte("[server]\noffset = 1\n")}
	got := codes(&lint.Config{}, overlay)
	if len(got) != 1 || got[0] != "P001 proj/edge/mi-b/conf/deployment.toml" {
		t.Errorf("with the buffer: %v, want P001 on mi-b", got)
	}
	cfg := &lint.Config{PerFileIgnores: []lint.PerFileIgnore{{Glob: "edge/mi-b/**", Codes: []string{"P001"}}}}
	if got := codes(cfg, overlay); len(got) != 0 {
		t.Errorf("with a per-file ignore relative to the config's directory: %v, want nothing", got)
	}
}
