package lint_test

import (
	"bytes"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/fleetgen"
	"github.com/wso2lint/wso2lint/internal/srcpos"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/report"
	"github.com/wso2lint/wso2lint/rewrite"
	"github.com/wso2lint/wso2lint/rules"
)

// streamFleets lists the fleets the streaming tests compare on: every
// fixture fleet, and a generated one with many hosts and defects.
func streamFleets(t *testing.T) []string {
	t.Helper()
	var dirs []string
	for _, pat := range []string{"scenarios/*/fleet", "examples/fleet", "fixes/*/fleet"} {
		m, err := filepath.Glob(filepath.Join("..", "testdata", pat))
		if err != nil {
			t.Fatal(err)
		}
		dirs = append(dirs, m...)
	}
	// 120 installs, or 30 with -short (the race-detector run of .ci/run,
	// after the full size ran without it).
	installs := 120
	if testing.Short() {
		installs = 30
	}
	gen := filepath.Join(t.TempDir(), "fleet")
	if _, err := fleetgen.Generate(gen, fleetgen.Config{Installs: installs, Seed: 5, DefectRate: 0.15}); err != nil {
		t.Fatal(err)
	}
	return append(dirs, gen)
}

// render writes the findings in the formats that show the most: JSON (the
// whole finding and summary), text (source lines, related locations) and
// SARIF (every location's end).
func render(t *testing.T, fl *fleet.Fleet, fs []*lint.Finding) string {
	t.Helper()
	var b bytes.Buffer
	if err := report.JSON(&b, fl, fs, report.Options{Version: "test"}); err != nil {
		t.Fatal(err)
	}
	if err := report.Text(&b, fs, report.Options{ShowSuppressed: true}); err != nil {
		t.Fatal(err)
	}
	// SARIF has the end of related locations too.
	if err := report.SARIF(&b, rules.All, fs, report.SARIFOptions{Version: "test", IncludeSuppressed: true, Fleet: fl}); err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestStreamMatchesRun checks that linting host by host while loading,
// with files released and restored, gives exactly what Run gives on the
// whole fleet, for every rule selection the scopes make a difference to.
func TestStreamMatchesRun(t *testing.T) {
	all, err := lint.Select(rules.All, []string{"ALL"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	def, err := lint.Select(rules.All, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, dir := range streamFleets(t) {
		abs, err := filepath.Abs(dir)
		if err != nil {
			t.Fatal(err)
		}
		wd := filepath.Dir(abs)
		for name, enabled := range map[string]map[*lint.Rule]bool{"all": all, "default": def} {
			t.Run(filepath.Base(wd)+"/"+name, func(t *testing.T) {
				t.Parallel() // the fleets are only read
				opt := lint.Options{Rules: rules.All, Enabled: enabled}
				fl, err := fleet.Load([]string{"fleet"}, fleet.Options{WorkDir: wd})
				if err != nil {
					t.Fatal(err)
				}
				want, err := lint.Run(fl, opt)
				if err != nil {
					t.Fatal(err)
				}
				s := lint.NewStream(opt)
				released := 0
				sfl, err := fleet.Load([]string{"fleet"}, fleet.Options{WorkDir: wd, OnHost: func(sub *fleet.Fleet) {
					s.Host(sub)
				}})
				if err != nil {
					t.Fatal(err)
				}
				for _, f := range sfl.Files {
					if f.Released() {
						released++
					}
				}
				got, err := s.Finish(sfl)
				if err != nil {
					t.Fatal(err)
				}
				if w, g := render(t, fl, want), render(t, sfl, got); w != g {
					t.Errorf("streamed lint differs from Run:\n--- Run\n%s\n--- stream\n%s", w, g)
				}
				if len(sfl.Files) > 50 && released == 0 {
					t.Errorf("no file of %d released", len(sfl.Files))
				}
			})
		}
	}
}

// TestFixLoopReloadMatchesFullLoad checks that the fix loop, which loads
// and lints again only the hosts a batch of fixes touches, ends where a
// loop that reloads the whole fleet every time ends.
func TestFixLoopReloadMatchesFullLoad(t *testing.T) {
	all, err := lint.Select(rules.All, []string{"ALL"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	opt := lint.Options{Rules: rules.All, Enabled: all}
	for _, dir := range streamFleets(t) {
		abs, err := filepath.Abs(dir)
		if err != nil {
			t.Fatal(err)
		}
		wd := filepath.Dir(abs)
		t.Run(filepath.Base(wd), func(t *testing.T) {
			t.Parallel() // the fleets are only read: fixes are applied in memory
			streamed := func(overlay map[string][]byte, onHost func(*fleet.Fleet)) (*fleet.Fleet, error) {
				return fleet.Load([]string{"fleet"}, fleet.Options{WorkDir: wd, Overlay: overlay, OnHost: onHost})
			}
			// A fleet that Load did not make cannot be reloaded in part:
			// the loop falls back to loading everything each time.
			whole := func(overlay map[string][]byte, _ func(*fleet.Fleet)) (*fleet.Fleet, error) {
				fl, err := fleet.Load([]string{"fleet"}, fleet.Options{WorkDir: wd, Overlay: overlay})
				if err != nil {
					return nil, err
				}
				return &fleet.Fleet{Files: fl.Files, Hosts: fl.Hosts, Installs: fl.Installs, Targets: fl.Targets,
					Containers: fl.Containers, Services: fl.Services, Skipped: fl.Skipped}, nil
			}
			for _, unsafe := range []bool{false, true} {
				a, err := lint.ApplyFixes(streamed, opt, lint.FixOptions{Unsafe: unsafe})
				if err != nil {
					t.Fatal(err)
				}
				b, err := lint.ApplyFixes(whole, opt, lint.FixOptions{Unsafe: unsafe})
				if err != nil {
					t.Fatal(err)
				}
				if ga, gb := fixSummary(t, a), fixSummary(t, b); ga != gb {
					t.Errorf("unsafe=%v: partial reloads give\n%s\nfull reloads give\n%s", unsafe, ga, gb)
				}
			}
		})
	}
}

func fixSummary(t *testing.T, res *lint.FixResult) string {
	t.Helper()
	var b strings.Builder
	for _, f := range res.Files {
		b.WriteString("=== " + f.Path + "\n" + string(f.Fixed))
	}
	b.WriteString(render(t, res.Fleet, res.Findings))
	b.WriteString(strings.Join(res.Oscillating, ",") + "\n")
	b.WriteString(strings.Repeat("x", res.Fixed) + "\n")
	return b.String()
}

// TestStreamFileChangedMeanwhile checks that a released file that changed
// on disk before a late rule's finding could be shown is reported as S003,
// its findings dropped and the fixes that edit it taken off, while the
// rest of the fleet is still reported.
func TestStreamFileChangedMeanwhile(t *testing.T) {
	dir := t.TempDir()
	toml := "[server]\nhostname = \"localhost\"\n"
	writeFiles(t, dir, map[string]string{"h1/mi-a/conf/deployment.toml": toml, "h2/mi-b/conf/deployment.toml": toml})
	// late reports on every deployment file, with a fix into the other
	// host's file, once the fleet is loaded: when every file is released.
	late := &lint.Rule{Code: "Z900", Name: "test-late", Severity: lint.Warning, Scope: lint.ModelScope,
		Check: func(p *lint.Pass) {
			var files []*fleet.File
			for _, in := range p.Fleet.Installs {
				files = append(files, in.Runtimes[0].File)
			}
			for i, f := range files {
				other := files[(i+1)%len(files)]
				fd := p.Reportf(f, srcpos.Span{Start: 1, End: 7}, nil, "", "in %s", f.Path)
				fd.Fix = &lint.Fix{Applicability: lint.Safe, Edits: []rewrite.Edit{{Path: other.Path, Start: 0, End: 0, New: "#"}}}
			}
		}}
	rs := []*lint.Rule{late, rules.UnreadableFile}
	enabled := map[*lint.Rule]bool{late: true, rules.UnreadableFile: true}
	for _, withS003 := range []bool{true, false} {
		enabled[rules.UnreadableFile] = withS003
		s := lint.NewStream(lint.Options{Rules: rs, Enabled: enabled})
		fl, err := fleet.Load([]string{"."}, fleet.Options{WorkDir: dir, OnHost: s.Host})
		if err != nil {
			t.Fatal(err)
		}
		changed := "h2/mi-b/conf/deployment.toml"
		if f := fl.File(changed); f == nil || !f.Released() {
			t.Fatalf("%s not loaded and released: %+v", changed, f)
		}
		writeFiles(t, dir, map[string]string{changed: toml + "# edited meanwhile\n"})
		got, err := s.Finish(fl)
		writeFiles(t, dir, map[string]string{changed: toml})
		if !withS003 {
			if err == nil || !strings.Contains(err.Error(), changed) {
				t.Errorf("without S003: %v, want an error naming %s", err, changed)
			}
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		var lines []string
		for _, f := range got {
			lines = append(lines, fmt.Sprintf("%s %s %s fix=%v", f.Rule.Code, f.File.Path, f.Message, f.Fix != nil))
		}
		want := []string{
			"Z900 h1/mi-a/conf/deployment.toml in h1/mi-a/conf/deployment.toml fix=false",
			"S003 h2/mi-b/conf/deployment.toml the file changed while it was being linted; run again fix=false",
		}
		if strings.Join(lines, "\n") != strings.Join(want, "\n") {
			t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(lines, "\n"), strings.Join(want, "\n"))
		}
	}
}
