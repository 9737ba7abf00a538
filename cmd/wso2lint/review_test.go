package main

import (
	"os"
	"path/filepath"
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
