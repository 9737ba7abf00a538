package lint_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/srcpos"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/rewrite"
)

// TestApplyFixesLeave checks that a fix editing a file the caller must
// leave alone is applied in none of its files, that the count leaves it
// out, and that its finding says why, while a fix elsewhere is applied.
func TestApplyFixesLeave(t *testing.T) {
	dir := t.TempDir()
	toml := "[server]\nhostname = \"localhost\"\n"
	a, b, c := "h1/mi-a/conf/deployment.toml", "h1/mi-b/conf/deployment.toml", "h2/mi-c/conf/deployment.toml"
	writeFiles(t, dir, map[string]string{a: toml, b: toml, c: toml})
	// The rule reports once on a and once on c while their first line is
	// still "[server]"; a's fix puts a comment above the first line of a and b
	// together, c's above that of c alone.
	rule := &lint.Rule{Code: "Z901", Name: "test-two-file-fix", Severity: lint.Warning, Scope: lint.HostScope,
		Check: func(p *lint.Pass) {
			for _, in := range p.Fleet.Installs {
				f := in.Runtimes[0].File
				if !strings.HasPrefix(string(f.Src), "[server]") || f.Path == b {
					continue
				}
				edits := []rewrite.Edit{{Path: f.Path, Start: 0, End: 0, New: "# fixed\n"}}
				if f.Path == a {
					edits = append(edits, rewrite.Edit{Path: b, Start: 0, End: 0, New: "# fixed\n"})
				}
				fd := p.Reportf(f, srcpos.Span{Start: 0, End: 8}, in, "", "first line")
				fd.Fix = &lint.Fix{Applicability: lint.Safe, Edits: edits}
			}
		}}
	opt := lint.Options{Rules: []*lint.Rule{rule}, Enabled: map[*lint.Rule]bool{rule: true}}
	load := func(overlay map[string][]byte, onHost func(*fleet.Fleet)) (*fleet.Fleet, error) {
		return fleet.Load([]string{"."}, fleet.Options{WorkDir: dir, Overlay: overlay, OnHost: onHost})
	}
	leave := map[string]string{filepath.Join(dir, b): b + " cannot be written"}
	res, err := lint.ApplyFixes(load, opt, lint.FixOptions{Leave: leave})
	if err != nil {
		t.Fatal(err)
	}
	var changed []string
	for _, f := range res.Files {
		changed = append(changed, f.Path+"="+strings.SplitN(string(f.Fixed), "\n", 2)[0])
	}
	if got := strings.Join(changed, " "); got != c+"=# fixed" {
		t.Errorf("changed files: %s, want only %s", got, c)
	}
	if res.Fixed != 1 {
		t.Errorf("Fixed = %d, want 1", res.Fixed)
	}
	if len(res.Findings) != 1 {
		t.Fatalf("%d findings remain, want a's: %v", len(res.Findings), res.Findings)
	}
	f := res.Findings[0]
	if f.File.Path != a || f.Fix != nil || f.Message != "first line (fix not applied: "+b+" cannot be written)" {
		t.Errorf("remaining finding %s %q fix=%v, want a's, saying why and offering no fix", f.File.Path, f.Message, f.Fix)
	}
	if len(res.Before) != 2 {
		t.Errorf("Before holds %d findings, want the first lint's 2", len(res.Before))
	}

	// Without Leave both fixes are applied, and the two-file one counts
	// in each file it edits.
	res, err = lint.ApplyFixes(load, opt, lint.FixOptions{})
	if err != nil {
		t.Fatal(err)
	}
	resolved := map[string]int{}
	for _, f := range res.Files {
		resolved[f.Path] = f.Resolved
	}
	if res.Fixed != 2 || len(res.Findings) != 0 || resolved[a] != 1 || resolved[b] != 1 || resolved[c] != 1 {
		t.Errorf("Fixed = %d, %d remaining, resolved per file %v; want 2, 0, 1 in each", res.Fixed, len(res.Findings), resolved)
	}
}
