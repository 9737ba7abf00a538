package lint_test

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/fleetgen"
	"github.com/wso2lint/wso2lint/internal/srcpos"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/rewrite"
	"github.com/wso2lint/wso2lint/rules"
)

// fixOutcome renders what a fix run decided, for comparing two runs: the
// files and their fixed bytes, the counts, the withheld reasons and the
// findings left with their messages and fixes.
func fixOutcome(res *lint.FixResult) string {
	var b strings.Builder
	for _, f := range res.Files {
		fmt.Fprintf(&b, "file %s resolved=%d\n%s\n", f.Path, f.Resolved, f.Fixed)
	}
	fmt.Fprintf(&b, "fixed=%d oscillating=%v\n", res.Fixed, res.Oscillating)
	var withheld []string
	for fp, why := range res.Withheld {
		withheld = append(withheld, fp+" "+why)
	}
	sort.Strings(withheld)
	fmt.Fprintf(&b, "withheld:\n%s\n", strings.Join(withheld, "\n"))
	for _, f := range res.Findings {
		fix := "none"
		if f.Fix != nil {
			fix = f.Fix.Applicability.String()
		}
		fmt.Fprintf(&b, "%s %s:%d %s %q fix=%s\n", f.Rule.Code, f.File.Path, f.Start().Line, f.Fingerprint, f.Message, fix)
	}
	return b.String()
}

// applyBothWays runs the fix loop with the fixes of troubled hosts judged
// on their host alone and on the whole fleet, and fails unless both
// decide the same; it returns the outcome and how many hosts were judged
// alone.
func applyBothWays(t *testing.T, load lint.Loader, opt lint.Options, fo lint.FixOptions) (string, int64) {
	t.Helper()
	// The loop on each host while the fleet loads would settle these
	// fleets before any narrowing on the whole fleet (judge_test.go).
	defer lint.SetJudgeOnHosts(false)()
	before := lint.HostNarrowings()
	res, err := lint.ApplyFixes(load, opt, fo)
	if err != nil {
		t.Fatal(err)
	}
	local := lint.HostNarrowings() - before
	restore := lint.SetNarrowOnHosts(false)
	defer restore()
	whole, err := lint.ApplyFixes(load, opt, fo)
	if err != nil {
		t.Fatal(err)
	}
	got, want := fixOutcome(res), fixOutcome(whole)
	if got != want {
		t.Errorf("narrowing on hosts and on the whole fleet differ (unsafe=%v):\n--- hosts\n%s\n--- whole fleet\n%s", fo.Unsafe, got, want)
	}
	return got, local
}

// TestNarrowOnHostsMatchesWholeFleet checks that judging a troubled
// host's fixes on that host alone decides exactly what judging them on
// the whole fleet does, on generated fleets where every install has a
// defect and many fixes clash (P001 moves, O004 rewrites), with and
// without unsafe fixes.
func TestNarrowOnHostsMatchesWholeFleet(t *testing.T) {
	enabled, err := lint.Select(rules.All, []string{"ALL"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	opt := lint.Options{Rules: rules.All, Enabled: enabled}
	for _, seed := range []uint64{1, 2} {
		dir := t.TempDir()
		if _, err := fleetgen.Generate(dir, fleetgen.Config{Installs: 48, Seed: seed, DefectRate: 1}); err != nil {
			t.Fatal(err)
		}
		load := dirLoader(dir)
		for _, unsafe := range []bool{false, true} {
			out, local := applyBothWays(t, load, opt, lint.FixOptions{Unsafe: unsafe})
			if unsafe && local == 0 {
				t.Errorf("seed %d: no host was narrowed alone; the test no longer covers it", seed)
			}
			if unsafe && !strings.Contains(out, "fix withheld: it would cause") {
				t.Errorf("seed %d: no fix was withheld; the fleet no longer exercises narrowing:\n%s", seed, out)
			}
		}
	}
}

// TestNarrowOnHostsFallsBack checks the safety net behind narrowing on a
// host alone: a rule that looks across hosts (Z904 warns when installs on
// two hosts are both marked) sees a problem no host shows on its own, and
// the batch is then narrowed on the whole fleet: a's mark, which clashes
// with b's, is withheld in the second pass, exactly as without narrowing
// on hosts.
func TestNarrowOnHostsFallsBack(t *testing.T) {
	dir := t.TempDir()
	const a, b = "h1/mi-a/conf/deployment.toml", "h2/mi-b/conf/deployment.toml"
	writeFiles(t, dir, map[string]string{a: "[server]\nhostname = \"a\"\n", b: "[server]\nhostname = \"b\"\n"})
	marked := func(f *fleet.File) bool { return strings.Contains(string(f.Src), "# mark") }
	mark := &lint.Rule{Code: "Z903", Name: "test-mark", Severity: lint.Warning, Scope: lint.HostScope,
		Check: func(p *lint.Pass) {
			for _, in := range p.Fleet.Installs {
				f := in.Runtimes[0].File
				if marked(f) {
					continue
				}
				fd := p.Reportf(f, srcpos.Span{Start: 0, End: 8}, in, "", "not marked")
				fd.Fix = &lint.Fix{Applicability: lint.Unsafe, Message: "mark it",
					Edits: []rewrite.Edit{{Path: f.Path, Start: len(f.Src), End: len(f.Src), New: "# mark\n"}}}
			}
		}}
	both := &lint.Rule{Code: "Z904", Name: "test-both-marked", Severity: lint.Warning, // fleet scope
		Check: func(p *lint.Pass) {
			var fa, fb *fleet.File
			for _, in := range p.Fleet.Installs {
				switch f := in.Runtimes[0].File; f.Path {
				case a:
					fa = f
				case b:
					fb = f
				}
			}
			if fa != nil && fb != nil && marked(fa) && marked(fb) {
				p.Reportf(fa, srcpos.Span{Start: 0, End: 8}, p.Fleet.InstallOf(fa), "", "both marked")
			}
		}}
	opt := lint.Options{Rules: []*lint.Rule{mark, both}, Enabled: map[*lint.Rule]bool{mark: true, both: true}}
	load := dirLoader(dir)
	out, local := applyBothWays(t, load, opt, lint.FixOptions{Unsafe: true})
	if local == 0 {
		t.Error("no host was narrowed alone: the fallback was not exercised")
	}
	if !strings.Contains(out, "file "+b) || strings.Contains(out, "file "+a) ||
		!strings.Contains(out, `"not marked (fix withheld: it would cause Z904 test-both-marked at `+a+`:1)"`) {
		t.Errorf("want b marked and a's fix withheld for Z904:\n%s", out)
	}
}

// TestNarrowOnHostsWithCrossHostFix checks a batch that mixes fixes that
// stay on their host with one that edits two hosts (Z905): the mixed
// batch is narrowed on the whole fleet for the cross-host fix and on each
// other host alone, and decides what narrowing on the whole fleet alone
// does.
func TestNarrowOnHostsWithCrossHostFix(t *testing.T) {
	dir := t.TempDir()
	if _, err := fleetgen.Generate(dir, fleetgen.Config{Installs: 32, Seed: 3, DefectRate: 1}); err != nil {
		t.Fatal(err)
	}
	const a, b = "dc-01/host-0001/mi-1/deployment.toml", "dc-01/host-0002/mi-1/deployment.toml"
	cross := &lint.Rule{Code: "Z905", Name: "test-cross-host-fix", Severity: lint.Warning, Scope: lint.HostScope,
		Check: func(p *lint.Pass) {
			f := p.Fleet.File(a)
			if f == nil || strings.HasPrefix(string(f.Src), "# both") {
				return
			}
			fd := p.Reportf(f, srcpos.Span{Start: 0, End: 1}, p.Fleet.InstallOf(f), "", "mark both")
			fd.Fix = &lint.Fix{Applicability: lint.Unsafe, Message: "mark both", Edits: []rewrite.Edit{
				{Path: a, Start: 0, End: 0, New: "# both\n"}, {Path: b, Start: 0, End: 0, New: "# both\n"}}}
		}}
	enabled, err := lint.Select(rules.All, []string{"ALL"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	enabled[cross] = true
	opt := lint.Options{Rules: append(append([]*lint.Rule(nil), rules.All...), cross), Enabled: enabled}
	load := dirLoader(dir)
	out, local := applyBothWays(t, load, opt, lint.FixOptions{Unsafe: true})
	if local == 0 {
		t.Error("no host was narrowed alone")
	}
	if !strings.Contains(out, "Z905 "+a) && !strings.Contains(out, "# both\n") {
		t.Errorf("the cross-host fix is neither applied nor left:\n%s", out)
	}
}
