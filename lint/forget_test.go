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
)

// forgetBothWays lints the fleet in dir as the lint command does, once
// forgetting what it may and once keeping every install, fails unless the
// settled findings and the summary's counts are the same, and returns
// them and what was forgotten.
func forgetBothWays(t *testing.T, dir string, opt lint.Options) (string, fleet.Counts) {
	t.Helper()
	got, fl := settled(t, dir, opt, (*lint.Stream).JudgeFixes, (*lint.Stream).Forget)
	if want, _ := settled(t, dir, opt, (*lint.Stream).JudgeFixes); got != want {
		t.Errorf("the lint that forgets and the one that keeps every install differ:\n%s", lineDiff(got, want))
	}
	return got, fl.Forgotten
}

// fixForgetBothWays runs the fix loop as --diff does, once forgetting
// what it may and once keeping every install, fails unless the outcome
// (files, counts, withheld fixes, findings) and the summary's counts are
// the same, and returns the outcome and what was forgotten.
func fixForgetBothWays(t *testing.T, dir string, opt lint.Options, unsafe bool) (string, fleet.Counts) {
	t.Helper()
	run := func(forget bool) (string, *lint.FixResult) {
		res, err := lint.ApplyFixes(dirLoader(dir), opt, lint.FixOptions{Unsafe: unsafe, Forget: forget})
		if err != nil {
			t.Fatal(err)
		}
		sum := report.Summarize(res.Fleet, res.Findings)
		return fixOutcome(res) + fmt.Sprintf("%d files, %d installs, %d hosts\n", sum.Files, sum.Installs, sum.Hosts), res
	}
	got, res := run(true)
	if want, _ := run(false); got != want {
		t.Errorf("unsafe=%v: the fix loop that forgets and the one that keeps every install differ:\n%s", unsafe, lineDiff(got, want))
	}
	return got, res.BeforeFleet.Forgotten
}

// TestForgetMatchesKeepingAll checks, on generated fleets of every shape
// with a defect in a fifth of the installs, that forgetting the installs
// of hosts with no finding changes neither the findings nor the counts,
// and that it forgets some and keeps some (the corpus's files have
// findings in every host: nothing is forgotten there).
func TestForgetMatchesKeepingAll(t *testing.T) {
	opt := allRules(t)
	corpus := filepath.Join("..", "..", "shared", "corpus")
	for _, shape := range fleetgen.Shapes {
		if shape == fleetgen.ShapeCorpus {
			if _, err := os.Stat(corpus); err != nil {
				continue
			}
		}
		seeds := []uint64{1}
		if !testing.Short() {
			seeds = append(seeds, 2, 3)
		}
		for _, seed := range seeds {
			t.Run(fmt.Sprintf("%s/seed=%d", shape, seed), func(t *testing.T) {
				dir := t.TempDir()
				cfg := fleetgen.Config{Installs: 96, Seed: seed, DefectRate: 0.2, Shape: shape, CorpusDir: corpus}
				if _, err := fleetgen.Generate(dir, cfg); err != nil {
					t.Fatal(err)
				}
				out, forgot := forgetBothWays(t, dir, opt)
				var fixed [2]string
				for i, unsafe := range []bool{false, true} {
					fixed[i], _ = fixForgetBothWays(t, dir, opt, unsafe)
				}
				if shape == fleetgen.ShapeCorpus {
					return // the corpus's files have findings in every host
				}
				if forgot.Installs == 0 || forgot.Installs == 96 || !strings.Contains(out, "fix=") {
					t.Errorf("forgot %d of 96 installs: the test no longer covers both sides:\n%s", forgot.Installs, out)
				}
				for _, f := range fixed {
					if !strings.HasPrefix(f, "file ") {
						t.Errorf("the fix loop fixed nothing: the test no longer covers it:\n%s", f)
					}
				}
			})
		}
	}
}

// TestForgetKeepsWhatLaterRulesNeed checks what a lint must keep, or load
// again, although the host has no finding of the host rules: an MI whose
// client URL names another host (C003 judges it once the fleet is
// loaded, and again on the fleet --diff's fixes make) and the EI
// Analytics server it names, an MI whose URL misses
// the server beside it (C003 on the host alone finds it), and a file with
// an inline suppression (X001 judges it at the end). The installs of the
// hosts with nothing of that are forgotten.
func TestForgetKeepsWhatLaterRulesNeed(t *testing.T) {
	const eiOffset3 = "wso2.carbon:\n  ports:\n    offset: 3\ndatabridge.config:\n  dataReceivers:\n" +
		"    - dataReceiver:\n        type: Thrift\n        properties:\n          tcpPort: '7611'\n          sslPort: '7711'\n"
	url := func(u string) string { return "[monitoring]\nei_analytics.server_url = \"" + u + "\"\n" }
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"dc/analytics/eia/conf/server/deployment.yaml": eiOffset3,
		"dc/app1/mi/conf/deployment.toml":              url("tcp://analytics:7612"),
		"dc/app2/mi/conf/deployment.toml":              url("tcp://localhost:7612"),
		"dc/app2/eia/conf/server/deployment.yaml":      eiOffset3,
		"dc/app3/mi/conf/deployment.toml":              url("tcp://localhost:7612") + "# wso2lint: ignore[P001]\n",
		"dc/app4/mi/conf/deployment.toml":              url("tcp://analytics.example.com:7612"),
		"dc/app5/mi/conf/deployment.toml":              url("tcp://localhost:7612"),
		"dc/app5/eia/conf/server/deployment.yaml":      strings.Replace(eiOffset3, "offset: 3", "offset: 1", 1),
	})
	out, forgot := forgetBothWays(t, dir, allRules(t))
	for _, want := range []string{
		`C003 dc/app1/mi/conf/deployment.toml:2`,
		`C003 dc/app2/mi/conf/deployment.toml:2`,
		`X001 dc/app3/mi/conf/deployment.toml:3`,
		"8 files, 8 installs, 6 hosts",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	// app4's MI names no host of the fleet, app5's MI and server agree,
	// the analytics host has nothing to say of itself: all are
	// forgotten, and the analytics server loaded again for C003 on app1.
	if forgot != (fleet.Counts{Installs: 4, Files: 4}) {
		t.Errorf("forgot %+v, want app4's MI, app5's MI and server and the analytics server", forgot)
	}
	// --diff: the fleet's fixes are judged as a whole (app3's X001 is
	// no host rule's), and each candidate fleet loads the analytics
	// server again for C003 on app1's URL.
	for _, unsafe := range []bool{false, true} {
		fixed, forgot := fixForgetBothWays(t, dir, allRules(t), unsafe)
		if !strings.Contains(fixed, "file dc/app3/mi/conf/deployment.toml") || strings.Contains(fixed, "tcp://analytics:7614") != unsafe || forgot.Installs != 4 {
			t.Errorf("unsafe=%v: forgot %+v; want app3's suppression removed, app1's URL fixed with --unsafe-fixes, 4 installs forgotten:\n%s", unsafe, forgot, fixed)
		}
	}

	// --diff where every fix is judged on its host: the fleet the fixes
	// make (Fleet.WithHosts) loads the forgotten analytics server again
	// for C003 on app1's URL.
	dir = t.TempDir()
	writeFiles(t, dir, map[string]string{
		"dc/analytics/eia/conf/server/deployment.yaml": eiOffset3,
		"dc/app1/mi/conf/deployment.toml":              url("tcp://analytics:7612") + "[transport.http]\nlistener.port = \"8280\"\n",
		"dc/app2/mi/conf/deployment.toml":              url("tcp://localhost:7612"),
	})
	before := lint.SettledOnHosts()
	fixed, forgot := fixForgetBothWays(t, dir, allRules(t), false)
	if lint.SettledOnHosts() == before || !strings.Contains(fixed, "listener.port = 8280") || !strings.Contains(fixed, "C003 dc/app1") || forgot.Installs != 2 {
		t.Errorf("forgot %+v; want app1's port fixed on its host, C003 on its URL, 2 installs forgotten:\n%s", forgot, fixed)
	}
}

// TestForgetNeedsReaches checks that a rule that looks across hosts
// without saying what it reaches keeps every install: it may read any.
// Z911 counts the installs of the fleet, which no host alone shows.
func TestForgetNeedsReaches(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"h1/mi/conf/deployment.toml": "[server]\n",
		"h2/mi/conf/deployment.toml": "[server]\n",
	})
	count := &lint.Rule{Code: "Z911", Name: "test-count-installs", Severity: lint.Info, Scope: lint.ModelScope,
		Check: func(p *lint.Pass) {
			if n := len(p.Fleet.Installs); n > 1 {
				in := p.Fleet.Installs[0]
				p.Reportf(in.Runtimes[0].File, srcpos.Span{}, in, "", "%d installs", n)
			}
		}}
	opt := lint.Options{Rules: []*lint.Rule{count}, Enabled: map[*lint.Rule]bool{count: true}}
	out, forgot := forgetBothWays(t, dir, opt)
	if forgot != (fleet.Counts{}) || !strings.Contains(out, `"2 installs"`) {
		t.Errorf("forgot %+v; want nothing forgotten and 2 installs counted:\n%s", forgot, out)
	}
	// Said wrongly, the rule loses what it reports.
	count.Reaches = lint.ContainersOnly
	if out, _ := settled(t, dir, opt, (*lint.Stream).Forget); strings.Contains(out, "installs\"") {
		t.Errorf("a rule that says it reaches nothing still saw both installs:\n%s", out)
	}
}

// TestForgetWithinAHostWithFindings checks that a host with findings
// keeps the installs they point into (P001 reports b and relates a: both
// sides of the duplicate) and lets go of the others, with the findings,
// the fixes and the counts those of a lint that keeps every install.
func TestForgetWithinAHostWithFindings(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		"dc/h1/a/conf/deployment.toml": "[server]\noffset = 1\n",
		"dc/h1/b/conf/deployment.toml": "[server]\noffset = 1\n",
		"dc/h1/c/conf/deployment.toml": "[server]\noffset = 2\n",
		"dc/h2/d/conf/deployment.toml": "[server]\noffset = 1\n",
	})
	out, forgot := forgetBothWays(t, dir, allRules(t))
	for _, want := range []string{"P001 dc/h1/b/conf/deployment.toml:2", "dc/h1/b and dc/h1/a both run at offset 1", "4 files, 4 installs, 2 hosts"} {
		if !strings.Contains(out, want) {
			t.Errorf("no %q in\n%s", want, out)
		}
	}
	if strings.Contains(out, "dc/h1/c/") {
		t.Errorf("a finding on c, which the test means to be clean:\n%s", out)
	}
	// c beside the pair, and d on a host of its own.
	if forgot != (fleet.Counts{Installs: 2, Files: 2}) {
		t.Errorf("forgot %+v, want c and d", forgot)
	}
	for _, unsafe := range []bool{false, true} {
		fixed, _ := fixForgetBothWays(t, dir, allRules(t), unsafe)
		if moved := strings.Contains(fixed, "file dc/h1/"); moved != unsafe {
			t.Errorf("unsafe=%v: a file of h1 fixed = %v, want %v (the pair's fix moves a listener):\n%s", unsafe, moved, unsafe, fixed)
		}
	}
}
