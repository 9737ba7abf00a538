package fleetgen_test

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/fleetgen"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/rules"
)

func TestDeterministic(t *testing.T) {
	a, b := t.TempDir(), t.TempDir()
	cfg := fleetgen.Config{Installs: 60, Seed: 7, DefectRate: 0.2}
	sa, err := fleetgen.Generate(a, cfg)
	if err != nil {
		t.Fatal(err)
	}
	sb, err := fleetgen.Generate(b, cfg)
	if err != nil {
		t.Fatal(err)
	}
	if sa.String() != sb.String() || len(sa.Paths) != len(sb.Paths) {
		t.Fatalf("two runs differ: %v / %v", sa, sb)
	}
	for _, p := range sa.Paths {
		x, err := os.ReadFile(filepath.Join(a, p))
		if err != nil {
			t.Fatal(err)
		}
		y, err := os.ReadFile(filepath.Join(b, p))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(x, y) {
			t.Fatalf("%s differs between two runs with the same seed", p)
		}
	}
	other, err := fleetgen.Generate(t.TempDir(), fleetgen.Config{Installs: 60, Seed: 8, DefectRate: 0.2})
	if err != nil {
		t.Fatal(err)
	}
	if other.String() == sa.String() && other.Bytes == sa.Bytes {
		t.Errorf("seeds 7 and 8 wrote the same fleet")
	}
}

// TestShape checks the proportions the benchmarks rely on.
func TestShape(t *testing.T) {
	dir := t.TempDir()
	st, err := fleetgen.Generate(dir, fleetgen.Config{Installs: 400, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	if st.Installs != 400 || st.Hosts != 50 || st.MI+st.EIAnalytics != 400 {
		t.Fatalf("unexpected counts: %v", st)
	}
	if st.EIAnalytics < 20 || st.EIAnalytics > 65 {
		t.Errorf("%d EI Analytics installs of 400, want about 10%%", st.EIAnalytics)
	}
	sizes := map[string][]int{}
	for _, p := range st.Paths {
		fi, err := os.Stat(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		kind := filepath.Base(p)
		if kind == "deployment.yaml" {
			kind = filepath.Base(filepath.Dir(p)) // server or portal
		}
		sizes[kind] = append(sizes[kind], int(fi.Size()))
	}
	for kind, want := range map[string][2]int{"deployment.toml": {3000, 4000}, "server": {14000, 16000}, "portal": {13000, 15000}} {
		if len(sizes[kind]) == 0 {
			t.Errorf("no %s files", kind)
			continue
		}
		sum := 0
		for _, n := range sizes[kind] {
			sum += n
		}
		if mean := sum / len(sizes[kind]); mean < want[0] || mean > want[1] {
			t.Errorf("%s files average %d bytes, want %d–%d", kind, mean, want[0], want[1])
		}
	}
}

// TestOnlySeededFindings lints a generated fleet with every rule on: the
// installs with findings are exactly those with a seeded defect, so that
// the benchmarks measure a clean fleet plus the defects they mean to.
func TestOnlySeededFindings(t *testing.T) {
	st := checkOnlySeeded(t, fleetgen.Config{Installs: 300, Seed: 3, DefectRate: 0.1})
	if len(st.Seeded) < 10 {
		t.Errorf("only %d installs seeded at a 10%% rate", len(st.Seeded))
	}
}

// TestFallbackShapeOnlySeededFindings lints a fleet of the fallback shape:
// its flow collections, block scalars, placeholders and tags change no
// finding, so the linter reads them as the default shape's block style.
func TestFallbackShapeOnlySeededFindings(t *testing.T) {
	st := checkOnlySeeded(t, fleetgen.Config{Installs: 120, Seed: 5, DefectRate: 0.1, EIShare: 0.5, Shape: fleetgen.ShapeFallback})
	if st.EIAnalytics < 40 {
		t.Errorf("%d EI Analytics installs of 120 at a 50%% share", st.EIAnalytics)
	}
}

// checkOnlySeeded generates a fleet with cfg, lints it with every rule and
// checks that each finding is on an install seeded with a defect and that
// each seeded install has a finding.
func checkOnlySeeded(t *testing.T, cfg fleetgen.Config) fleetgen.Stats {
	t.Helper()
	dir := t.TempDir()
	st, err := fleetgen.Generate(dir, cfg)
	if err != nil {
		t.Fatal(err)
	}
	fl, err := fleet.Load(nil, fleet.Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	all, err := lint.Select(rules.All, []string{"ALL"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	findings, err := lint.Run(fl, lint.Options{Rules: rules.All, Enabled: all})
	if err != nil {
		t.Fatal(err)
	}
	hit := map[string]bool{}
	for _, f := range findings {
		root := f.InstallRoot()
		if _, ok := st.Seeded[root]; !ok {
			t.Errorf("%s finding on %s, which has no seeded defect: %s", f.Rule.Code, f.File.Path, f.Message)
		}
		hit[root] = true
	}
	for root, kind := range st.Seeded {
		if !hit[root] {
			t.Errorf("no finding on %s, seeded with %s", root, kind)
		}
	}
	return st
}

func TestCorpusShape(t *testing.T) {
	corpus := filepath.Join("..", "..", "..", "shared", "corpus")
	if _, err := os.Stat(corpus); err != nil {
		t.Skip("no corpus")
	}
	if _, err := fleetgen.Generate(t.TempDir(), fleetgen.Config{Installs: 1, Shape: fleetgen.ShapeCorpus}); err == nil {
		t.Error("the corpus shape without a corpus folder: no error")
	}
	dir := t.TempDir()
	st, err := fleetgen.Generate(dir, fleetgen.Config{Installs: 80, Seed: 2, DefectRate: -1, EIShare: 0.3, Shape: fleetgen.ShapeCorpus, CorpusDir: corpus})
	if err != nil {
		t.Fatal(err)
	}
	if st.MI == 0 || st.EIAnalytics == 0 {
		t.Fatalf("no MI or no EI Analytics installs: %v", st)
	}
	// Every MI install of a host has its own offset, written in [server].
	for _, p := range st.Paths {
		if filepath.Base(p) != "deployment.toml" {
			continue
		}
		b, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		if !regexp.MustCompile(`(?m)^offset = (1[0-9]|[2-9][0-9])\b`).Match(b) {
			t.Errorf("%s: no offset line of its own", p)
		}
	}
	fl, err := fleet.Load(nil, fleet.Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(fl.Installs) != st.Installs {
		t.Errorf("loaded %d installs, wrote %d", len(fl.Installs), st.Installs)
	}
}

func TestUnknownShape(t *testing.T) {
	if _, err := fleetgen.Generate(t.TempDir(), fleetgen.Config{Installs: 1, Shape: "nope"}); err == nil {
		t.Error("an unknown shape: no error")
	}
}
