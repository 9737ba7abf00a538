package main

import (
	"encoding/json"
	"fmt"
	"go/build"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/internal/gittest"
)

// clashBranch makes a git repository where main has mi-billing at offset
// 20 and mi-orders at the default offset 10, and the working tree sets
// mi-billing to offset 10: the change introduces a duplicate of every
// port, and mi-billing comes first by path.
func clashBranch(t *testing.T) string {
	t.Helper()
	gittest.Hermetic(t)
	dir := writeTree(t, map[string]string{
		"prod/host-a/mi-billing/conf/deployment.toml": "# billing\n[server]\nhostname = \"billing\"\noffset = 20\n",
		"prod/host-a/mi-orders/conf/deployment.toml":  "# orders\n[server]\nhostname = \"orders\"\n",
	})
	gittest.Run(t, dir, "init", "-q", "-b", "main")
	gittest.Run(t, dir, "add", "-A")
	gittest.Run(t, dir, "commit", "-q", "-m", "fleet")
	gittest.Run(t, dir, "checkout", "-q", "-b", "change")
	p := filepath.Join(dir, "prod/host-a/mi-billing/conf/deployment.toml")
	if err := os.WriteFile(p, []byte("# billing\n[server]\nhostname = \"billing\"\noffset = 10\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestNewFromRevReportsTheClashOnTheEditedInstall is the review of a
// branch that makes one install clash with another: the finding is on the
// line the branch changed, whether the change is found by --new-from-rev,
// named on the command line or passed on standard input, and the unsafe
// fix moves the edited install, not the one beside it.
func TestNewFromRevReportsTheClashOnTheEditedInstall(t *testing.T) {
	dir := clashBranch(t)
	const want = "prod/host-a/mi-billing/conf/deployment.toml:4:1: error: prod/host-a/mi-billing and prod/host-a/mi-orders both run at offset 10"
	out, errOut, code := runIn(t, dir, "--format", "concise", "--new-from-rev", "main", ".")
	if code != 1 || strings.Count(out, "\n") != 1 || !strings.HasPrefix(out, want) {
		t.Errorf("--new-from-rev: exit %d\n%s%s", code, out, errOut)
	}
	out, _, code = runIn(t, dir, "--format", "concise", "prod/host-a/mi-billing/conf/deployment.toml")
	if code != 1 || !strings.HasPrefix(out, want) {
		t.Errorf("named file: exit %d\n%s", code, out)
	}
	src, err := os.ReadFile(filepath.Join(dir, "prod/host-a/mi-billing/conf/deployment.toml"))
	if err != nil {
		t.Fatal(err)
	}
	var sout, serr strings.Builder
	code = run([]string{"--format", "concise", "--stdin-filename", "prod/host-a/mi-billing/conf/deployment.toml"},
		env{stdin: strings.NewReader(string(src)), stdout: &sout, stderr: &serr, workDir: dir, getenv: func(string) string { return "" }})
	if code != 1 || !strings.HasPrefix(sout.String(), want) {
		t.Errorf("--stdin-filename: exit %d\n%s%s", code, sout.String(), serr.String())
	}
	out, _, code = runIn(t, dir, "--diff", "--unsafe-fixes", "--select", "P001", "--new-from-rev", "main", ".")
	if code != 1 || !strings.Contains(out, "+++ b/prod/host-a/mi-billing/conf/deployment.toml") || strings.Contains(out, "mi-orders") ||
		!strings.Contains(out, "-offset = 10\n+offset = 11\n") {
		t.Errorf("the unsafe fix must move mi-billing: exit %d\n%s", code, out)
	}
	// Without a change under review, the later install by path is the
	// primary side, as before.
	out, _, _ = runIn(t, dir, "--format", "concise", ".")
	if !strings.HasPrefix(out, "prod/host-a/mi-orders/conf/deployment.toml:2:1: error: prod/host-a/mi-orders and prod/host-a/mi-billing") {
		t.Errorf("whole tree: %s", out)
	}
}

// TestBaselineWithNewFromRevIsNotStale checks that baseline entries whose
// findings are older than the change under review are live: matched
// against every finding before --new-from-rev narrows them, they are not
// reported stale, and a clean tree passes --fail-on-stale-baseline.
func TestBaselineWithNewFromRevIsNotStale(t *testing.T) {
	dir := clashBranch(t)
	gittest.Run(t, dir, "commit", "-q", "-am", "clash")
	if _, errOut, code := runIn(t, dir, "--write-baseline", "base.json", "."); code != 0 {
		t.Fatalf("--write-baseline: exit %d %s", code, errOut)
	}
	gittest.Run(t, dir, "add", "base.json")
	gittest.Run(t, dir, "commit", "-q", "-m", "baseline")
	out, errOut, code := runIn(t, dir, "--baseline", "base.json", "--new-from-rev", "HEAD", "--fail-on-stale-baseline", ".")
	if code != 0 || strings.Contains(errOut, "stale") || out != "" {
		t.Errorf("no change since HEAD: exit %d\n%s%s", code, out, errOut)
	}
}

// TestNewFromRevShallowClone checks that a revision a shallow clone lacks
// is a usage error that says how to fetch it.
func TestNewFromRevShallowClone(t *testing.T) {
	dir := clashBranch(t)
	gittest.Run(t, dir, "commit", "-q", "-am", "clash")
	clone := filepath.Join(t.TempDir(), "clone")
	gittest.Run(t, dir, "clone", "-q", "--depth=1", "--branch", "change", "file://"+dir, clone)
	_, errOut, code := runIn(t, clone, "--new-from-rev", "HEAD~1", ".")
	if code != 2 || !strings.Contains(errOut, "shallow clone") || !strings.Contains(errOut, "fetch-depth: 0") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}

// reviewdogPath returns the reviewdog binary (on PATH, else in
// $GOPATH/bin where .ci/run installs it), or skips the test.
func reviewdogPath(t *testing.T) string {
	t.Helper()
	if p, err := exec.LookPath("reviewdog"); err == nil {
		return p
	}
	p := filepath.Join(build.Default.GOPATH, "bin", "reviewdog")
	if _, err := os.Stat(p); err == nil {
		return p
	}
	t.Skip("reviewdog is not installed (.ci/run installs it)")
	return ""
}

// TestReviewdog pipes every format reviewdog reads through the real
// reviewdog (-reporter=local), on a branch that makes mi-billing clash with
// mi-orders, as a CI job does: with -diff and -filter-mode=added, which
// keeps only findings on the lines the branch changed, and without a diff.
// reviewdog must report the clash on the edited file, at its offset line.
func TestReviewdog(t *testing.T) {
	rd := reviewdogPath(t)
	dir := clashBranch(t)
	gittest.Run(t, dir, "commit", "-q", "-am", "billing moves to offset 10")
	const path = "prod/host-a/mi-billing/conf/deployment.toml"
	for _, format := range []string{"rdjson", "rdjsonl", "checkstyle", "sarif"} {
		report, errOut, code := runIn(t, dir, "--format", format, "--new-from-rev", "main", ".")
		if code != 1 {
			t.Fatalf("%s: exit %d\n%s", format, code, errOut)
		}
		for _, mode := range [][]string{{"-filter-mode=nofilter"}, {"-diff=git diff main", "-filter-mode=added"}} {
			cmd := exec.Command(rd, append([]string{"-f=" + format, "-reporter=local", "-fail-level=none"}, mode...)...)
			cmd.Dir = dir
			cmd.Stdin = strings.NewReader(report)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			out, err := cmd.Output()
			if err != nil {
				t.Fatalf("reviewdog -f=%s %v: %v\n%s", format, mode, err, stderr.String())
			}
			if got := reviewdogLocations(t, format, string(out)); got != path+":4:1 P001" {
				t.Errorf("reviewdog -f=%s %v reported %q, want %s:4:1 P001\n%s%s", format, mode, got, path, out, stderr.String())
			}
		}
	}
}

// reviewdogLocations reads what reviewdog's local reporter printed: the
// original output line wso2lint gave (rdjson, rdjsonl), reviewdog's own
// "path:line:col: message (wso2lint.CODE)" line (checkstyle), or the SARIF
// result it dumps raw, and returns "path:line:col CODE" for each, joined
// by spaces.
func reviewdogLocations(t *testing.T, format, out string) string {
	t.Helper()
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		if format == "sarif" {
			var res struct {
				RuleID    string `json:"ruleId"`
				Locations []struct {
					PhysicalLocation struct {
						ArtifactLocation struct {
							URI string `json:"uri"`
						} `json:"artifactLocation"`
						Region struct {
							StartLine   int `json:"startLine"`
							StartColumn int `json:"startColumn"`
						} `json:"region"`
					} `json:"physicalLocation"`
				} `json:"locations"`
			}
			if err := json.Unmarshal([]byte(line), &res); err != nil || len(res.Locations) != 1 {
				t.Fatalf("reviewdog's SARIF line does not parse (%v): %s", err, line)
			}
			pl := res.Locations[0].PhysicalLocation
			got = append(got, fmt.Sprintf("%s:%d:%d %s", pl.ArtifactLocation.URI, pl.Region.StartLine, pl.Region.StartColumn, res.RuleID))
			continue
		}
		// rdjson's original_output ends in "[P001]"; reviewdog's own
		// line for checkstyle in "(wso2lint.P001)".
		m := regexp.MustCompile(`^(\S+?):(\d+):(\d+): .*[\[.]([A-Z]\d{3})[\])]$`).FindStringSubmatch(line)
		if m == nil {
			t.Fatalf("reviewdog -f=%s printed a line that is not a finding: %s", format, line)
		}
		got = append(got, fmt.Sprintf("%s:%s:%s %s", m[1], m[2], m[3], m[4]))
	}
	return strings.Join(got, " ")
}

// TestExampleFleetFixesMoveNothing checks on the example fleet that what
// the lint run promises to --fix is what --fix does, and that --fix moves
// no running listener: the port map after it is the port map before.
// (mi-b's dotted internal.http.api.port = 9211 is ignored by WSO2; a
// rename that kept 9211 would move the listener from 9211 to 9231.)
func TestExampleFleetFixesMoveNothing(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, filepath.Join(repoRoot, "testdata/examples/fleet"), filepath.Join(dir, "fleet"))
	ports := func() string {
		out, errOut, code := runIn(t, dir, "ports", "--format", "json", "fleet")
		if code != 0 {
			t.Fatalf("ports: exit %d %s", code, errOut)
		}
		// Line numbers may change with a fix; ports may not.
		return regexp.MustCompile(`"line": \d+`).ReplaceAllString(out, `"line": 0`)
	}
	before := ports()
	_, errOut, _ := runIn(t, dir, "--format", "concise", "fleet")
	promised := regexp.MustCompile(`; (\d+) fixable with --fix\b`).FindStringSubmatch(errOut)
	if promised == nil {
		t.Fatalf("the lint run promises no safe fix: %s", errOut)
	}
	_, errOut, _ = runIn(t, dir, "--fix", "fleet")
	if !strings.HasPrefix(errOut, "Fixed "+promised[1]+" problem") {
		t.Errorf("lint promised %s fixes, --fix says: %s", promised[1], errOut)
	}
	if after := ports(); after != before {
		t.Errorf("--fix moved a listener:\nbefore:\n%s\nafter:\n%s", before, after)
	}
	if b := readTree(t, filepath.Join(dir, "fleet"))["prod/edge-1/mi-b/conf/deployment.toml"]; !strings.Contains(b, "\ninternal_http_api_port = 9191") {
		t.Errorf("mi-b's K001 rename was not applied keeping its port:\n%s", b)
	}
}
