package lint_test

import (
	"fmt"
	"os"
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

// settled lints the fleet in dir as the lint command does, setup
// preparing the stream (JudgeFixes, Forget), and renders the findings
// SettleFixes returns — code, place, fingerprint, message and fix — and
// the counts of the summary. It returns the fleet the lint loaded too.
func settled(t *testing.T, dir string, opt lint.Options, setup ...func(*lint.Stream)) (string, *fleet.Fleet) {
	t.Helper()
	load := dirLoader(dir)
	s := lint.NewStream(opt)
	for _, f := range setup {
		f(s)
	}
	fl, err := load(nil, s.Host)
	if err != nil {
		t.Fatal(err)
	}
	findings, err := s.Finish(fl)
	if err != nil {
		t.Fatal(err)
	}
	loaded := fl
	if fl, findings, err = lint.SettleFixes(load, opt, fl, findings, s); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, f := range findings {
		fix := "none"
		if f.Fix != nil {
			fix = f.Fix.Applicability.String()
		}
		fmt.Fprintf(&b, "%s %s:%d %s %q fix=%s\n", f.Rule.Code, f.File.Path, f.Start().Line, f.Fingerprint, f.Message, fix)
	}
	sum := report.Summarize(fl, findings)
	fmt.Fprintf(&b, "%d files, %d installs, %d hosts, %d findings, %d fixable\n", sum.Files, sum.Installs, sum.Hosts, sum.Findings, sum.Fixable)
	return b.String(), loaded
}

// settleBothWays settles a lint's fixes with the hosts' verdicts and with
// the fix loop on the whole fleet, fails unless both report the same, and
// returns the report and whether the hosts' verdicts were used.
func settleBothWays(t *testing.T, dir string, opt lint.Options) (string, bool) {
	t.Helper()
	before := lint.SettledOnHosts()
	got, _ := settled(t, dir, opt, (*lint.Stream).JudgeFixes)
	used := lint.SettledOnHosts() > before
	if want, _ := settled(t, dir, opt); got != want {
		t.Errorf("fixes judged on each host while loading and on the whole fleet differ:\n%s", lineDiff(got, want))
	}
	return got, used
}

// lineDiff lists the lines of got that want lacks (-) and of want that
// got lacks (+).
func lineDiff(got, want string) string {
	count := func(s string) map[string]int {
		m := map[string]int{}
		for _, l := range strings.Split(s, "\n") {
			m[l]++
		}
		return m
	}
	g, w := count(got), count(want)
	var b strings.Builder
	for _, l := range strings.Split(got, "\n") {
		if w[l] < g[l] {
			fmt.Fprintf(&b, "- %s\n", l)
		}
	}
	for _, l := range strings.Split(want, "\n") {
		if g[l] < w[l] {
			fmt.Fprintf(&b, "+ %s\n", l)
		}
	}
	return b.String()
}

// dirLoader loads the fleet in dir, as the command does.
func dirLoader(dir string) lint.Loader {
	return func(overlay map[string][]byte, onHost func(*fleet.Fleet)) (*fleet.Fleet, error) {
		return fleet.Load([]string{"."}, fleet.Options{WorkDir: dir, Overlay: overlay, OnHost: onHost})
	}
}

// fixBothWays runs the fix loop with the hosts' loops while the fleet
// loads and without them, fails unless both decide the same, and returns
// the outcome and whether the hosts' outcomes were used.
func fixBothWays(t *testing.T, load lint.Loader, opt lint.Options, fo lint.FixOptions) (string, bool) {
	t.Helper()
	before := lint.SettledOnHosts()
	res, err := lint.ApplyFixes(load, opt, fo)
	if err != nil {
		t.Fatal(err)
	}
	used := lint.SettledOnHosts() > before
	restore := lint.SetJudgeOnHosts(false)
	whole, err := lint.ApplyFixes(load, opt, fo)
	restore()
	if err != nil {
		t.Fatal(err)
	}
	got, want := fixOutcome(res), fixOutcome(whole)
	if got != want {
		t.Errorf("unsafe=%v: the loop on each host and on the whole fleet differ:\n%s", fo.Unsafe, lineDiff(got, want))
	}
	return got, used
}

// marked reports whether a test rule's fix has marked the file.
func marked(f *fleet.File) bool { return strings.Contains(string(f.Src), "# mark") }

// markRule returns a rule that asks for a mark in every install's file,
// with a safe fix that appends it.
func markRule(code string) *lint.Rule {
	return &lint.Rule{Code: code, Name: "test-mark", Severity: lint.Warning, Scope: lint.HostScope, Fix: lint.Safe,
		Check: func(p *lint.Pass) {
			for _, in := range p.Fleet.Installs {
				if f := in.Runtimes[0].File; !marked(f) {
					fd := p.Reportf(f, srcpos.Span{Start: 0, End: 8}, in, "", "not marked")
					fd.Fix = &lint.Fix{Applicability: lint.Safe, Message: "mark it",
						Edits: []rewrite.Edit{{Path: f.Path, Start: len(f.Src), End: len(f.Src), New: "# mark\n"}}}
				}
			}
		}}
}

func allRules(t *testing.T) lint.Options {
	t.Helper()
	enabled, err := lint.Select(rules.All, []string{"ALL"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return lint.Options{Rules: rules.All, Enabled: enabled}
}

// TestOnHostsMatchesWholeFleet checks that the fix loop run on each host
// while the fleet loads decides exactly what the loop on the whole fleet
// does, on generated fleets of every shape where every install has a
// defect: the findings a lint run reports with its fixes settled, and the
// files, counts, withheld fixes and findings left of --fix, with and
// without unsafe fixes.
func TestOnHostsMatchesWholeFleet(t *testing.T) {
	opt := allRules(t)
	corpus := filepath.Join("..", "..", "shared", "corpus")
	for _, shape := range fleetgen.Shapes {
		if shape == fleetgen.ShapeCorpus {
			if _, err := os.Stat(corpus); err != nil {
				continue
			}
		}
		seeds := []uint64{1, 2}
		if !testing.Short() {
			seeds = append(seeds, 3, 4, 5, 6)
		}
		for _, seed := range seeds {
			t.Run(fmt.Sprintf("%s/seed=%d", shape, seed), func(t *testing.T) {
				dir := t.TempDir()
				cfg := fleetgen.Config{Installs: 48, Seed: seed, DefectRate: 1, Shape: shape, CorpusDir: corpus}
				if _, err := fleetgen.Generate(dir, cfg); err != nil {
					t.Fatal(err)
				}
				out, used := settleBothWays(t, dir, opt)
				if !used || !strings.Contains(out, "fix=safe") {
					t.Errorf("the hosts' verdicts not used (%v) or no safe fix: the test no longer covers them:\n%s", used, out)
				}
				for _, unsafe := range []bool{false, true} {
					got, used := fixBothWays(t, dirLoader(dir), opt, lint.FixOptions{Unsafe: unsafe})
					if !used || !strings.HasPrefix(got, "file ") ||
						(unsafe && shape == fleetgen.ShapeDefault && !strings.Contains(got, "fix withheld: it would cause")) {
						t.Errorf("unsafe=%v: the hosts' outcomes not used (%v), or nothing fixed or withheld: the test no longer covers them:\n%s", unsafe, used, got)
					}
				}
			})
		}
	}
}

// TestJudgedOnHostsWithholds checks a host whose safe fix is withheld,
// judged on the host as on the whole fleet: Z909's fix marks a file,
// which Z910 warns about on h1 only, so the fix is withheld there and
// kept on h2.
func TestJudgedOnHostsWithholds(t *testing.T) {
	mark := markRule("Z909")
	noMark := &lint.Rule{Code: "Z910", Name: "test-no-mark-on-h1", Severity: lint.Warning, Scope: lint.HostScope,
		Check: func(p *lint.Pass) {
			for _, in := range p.Fleet.Installs {
				if f := in.Runtimes[0].File; marked(f) && strings.HasPrefix(f.Path, "h1/") {
					p.Reportf(f, srcpos.Span{Start: 0, End: 8}, in, "", "marked on h1")
				}
			}
		}}
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"h1/mi-a/conf/deployment.toml": "[server]\nhostname = \"a\"\n",
		"h2/mi-b/conf/deployment.toml": "[server]\nhostname = \"b\"\n",
	})
	opt := lint.Options{Rules: []*lint.Rule{mark, noMark}, Enabled: map[*lint.Rule]bool{mark: true, noMark: true}}
	out, used := settleBothWays(t, dir, opt)
	if !used {
		t.Error("the hosts' verdicts were not used")
	}
	for _, want := range []string{
		`h1/mi-a/conf/deployment.toml:1 7f99cdd60cd313b7 "not marked (fix withheld: it would cause Z910 test-no-mark-on-h1 at h1/mi-a/conf/deployment.toml:1)" fix=none`,
		`h2/mi-b/conf/deployment.toml:1 ec35a7dc4176336c "not marked" fix=safe`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("want %s in:\n%s", want, out)
		}
	}
	// --fix: h2 is marked, h1's fix withheld on a host the loop changed
	// nothing on.
	got, used := fixBothWays(t, dirLoader(dir), opt, lint.FixOptions{})
	if !used || !strings.Contains(got, "file h2/mi-b/conf/deployment.toml") ||
		!strings.Contains(got, `"not marked (fix withheld: it would cause Z910`) {
		t.Errorf("want h2 fixed and h1's fix withheld, on the hosts (%v):\n%s", used, got)
	}
}

// TestJudgedOnHostsFallsBack checks the cases where a host's verdict may
// not be the whole fleet's, which are then judged on the whole fleet:
// containers in the fleet, a fix that edits another host's file, and a
// rule that looks across hosts seeing a problem the fixes make together.
func TestJudgedOnHostsFallsBack(t *testing.T) {
	const a, b = "h1/mi-a/conf/deployment.toml", "h2/mi-b/conf/deployment.toml"
	// Z906 asks for a mark in every install's file, a safe fix; Z907
	// (across hosts) warns when both installs are marked.
	mark := markRule("Z906")
	both := &lint.Rule{Code: "Z907", Name: "test-both-marked", Severity: lint.Warning, Scope: lint.ModelScope,
		Check: func(p *lint.Pass) {
			var files []*fleet.File
			for _, in := range p.Fleet.Installs {
				if f := in.Runtimes[0].File; marked(f) {
					files = append(files, f)
				}
			}
			if len(files) == 2 {
				p.Reportf(files[0], srcpos.Span{Start: 0, End: 8}, p.Fleet.InstallOf(files[0]), "", "both marked")
			}
		}}
	// Z908 marks the other host's file: a fix that leaves its host.
	other := &lint.Rule{Code: "Z908", Name: "test-mark-other", Severity: lint.Warning, Scope: lint.HostScope, Fix: lint.Safe,
		Check: func(p *lint.Pass) {
			for _, in := range p.Fleet.Installs {
				if f := in.Runtimes[0].File; f.Path == a && !marked(f) {
					fd := p.Reportf(f, srcpos.Span{Start: 0, End: 8}, in, "", "b not marked")
					fd.Fix = &lint.Fix{Applicability: lint.Safe, Message: "mark b",
						Edits: []rewrite.Edit{{Path: b, Start: 0, End: 0, New: "# mark\n"}}}
				}
			}
		}}
	files := map[string]string{a: "[server]\nhostname = \"a\"\n", b: "[server]\nhostname = \"b\"\n"}
	for _, tc := range []struct {
		name  string
		rules []*lint.Rule
		extra map[string]string
		want  string
	}{
		{"across hosts", []*lint.Rule{mark, both}, nil, "not marked (fix withheld: it would cause Z907 test-both-marked"},
		{"fix on another host", []*lint.Rule{other}, nil, `"b not marked" fix=safe`},
		{"containers", []*lint.Rule{mark}, map[string]string{"h1/docker-compose.yml": "services:\n  mi:\n    image: wso2/wso2mi:4.2.0\n"},
			`"not marked" fix=safe`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, files)
			writeFiles(t, dir, tc.extra)
			opt := lint.Options{Rules: tc.rules, Enabled: map[*lint.Rule]bool{}}
			for _, r := range tc.rules {
				opt.Enabled[r] = true
			}
			out, used := settleBothWays(t, dir, opt)
			if used {
				t.Errorf("the hosts' verdicts were used:\n%s", out)
			}
			if !strings.Contains(out, tc.want) {
				t.Errorf("want %s in:\n%s", tc.want, out)
			}
			if _, used := fixBothWays(t, dirLoader(dir), opt, lint.FixOptions{}); used {
				t.Error("--fix used the hosts' outcomes")
			}
		})
	}
}
