package lint_test

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/gittest"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/linttest"
)

func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, src := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func describeLineSets(m map[string]lint.LineSet) []string {
	var out []string
	for p, ls := range m {
		s := fmt.Sprint(ls.Lines)
		if ls.All {
			s = "all"
		}
		out = append(out, p+" "+s)
	}
	sort.Strings(out)
	return out
}

// The committed fleet. Its legacy findings: P003 of mi-b (port 80 +
// offset 20), K002 of mi-d (portOffset), the P001 of mi-c and mi-a on
// mi-c's line 1 (no offset: they share every port).
var revFleet = map[string]string{
	"h1/mi-a/conf/deployment.toml": "[server]\nhostname = \"a\"\n",
	"h1/mi-b/conf/deployment.toml": "[server]\noffset = 20\n\n[transport.http]\nlistener.port = 80\n\n" +
		"[mediation]\nsynapse.core_threads = 20\nsynapse.max_threads = 100\n",
	"h1/mi-c/conf/deployment.toml": "[server]\nhostname = \"c\"\n",
	"h1/mi-d/conf/deployment.toml": "[server]\noffset = 40\nportOffset = 41\n",
	"h1/mi-e/conf/deployment.toml": "[server]\noffset = 50\n\n[transport.http]\nlistener.port = 8300\n",
	"h2/mi x/conf/deployment.toml": "[server]\noffset = 0\n",
	"h3/mi-g/conf/deployment.toml": "[server]\noffset = 60\n\n[transport.http]\nlistener.port = 8300\n",
	"h3/mi-f/conf/deployment.toml": "[server]\noffset = 30\n",
}

func TestNewFromRev(t *testing.T) {
	gittest.Hermetic(t)
	dir := t.TempDir()
	gittest.Run(t, dir, "init", "-q", "-b", "main")
	writeFiles(t, dir, revFleet)
	gittest.Run(t, dir, "add", "-A")
	gittest.Run(t, dir, "commit", "-q", "-m", "legacy fleet")

	writeFiles(t, dir, map[string]string{
		// A line added on top and the port changed: 8240 + 50 = 8290
		// collides with mi-a (and mi-c), a new P001 on a changed line.
		"h1/mi-e/conf/deployment.toml": "# mi-e\n[server]\noffset = 50\n\n[transport.http]\nlistener.port = 8240\n",
		// A line deleted far from the legacy P003.
		"h1/mi-b/conf/deployment.toml": "[server]\noffset = 20\n\n[transport.http]\nlistener.port = 80\n\n" +
			"[mediation]\nsynapse.max_threads = 100\n",
		// A line added after the legacy K002, which moves nothing.
		"h1/mi-d/conf/deployment.toml": "[server]\noffset = 40\nportOffset = 41\nhostname = \"d\"\n",
		// A path with a space; a new P003 (443 + offset 0).
		"h2/mi x/conf/deployment.toml": "[server]\noffset = 0\n\n[transport.http]\nlistener.port = 443\n",
		// An untracked install with no offset: it collides with mi-a,
		// mi-c and mi-e, a P001 each on its line 1.
		"h1/mi-h/conf/deployment.toml": "[server]\nhostname = \"h\"\n",
		// mi-f (earlier on h3) moves onto mi-g's port: the P001 sits in
		// mi-g, which did not change (FilterNew is given no touched
		// files), with mi-f's changed line related.
		"h3/mi-f/conf/deployment.toml": "[server]\noffset = 30\n\n[transport.http]\nlistener.port = 8330\n",
	})

	changed, err := lint.ChangedSince(dir, "main")
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, "changed lines", describeLineSets(changed), []string{
		"h1/mi-b/conf/deployment.toml [7 8]",
		"h1/mi-d/conf/deployment.toml [4]",
		"h1/mi-e/conf/deployment.toml [1 6]",
		"h1/mi-h/conf/deployment.toml all",
		"h2/mi x/conf/deployment.toml [3 4 5]",
		"h3/mi-f/conf/deployment.toml [3 4 5]",
	})

	fl, err := fleet.Load(nil, fleet.Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	all := runFleet(t, fl)
	checkLines(t, "all findings", reported(all), []string{
		"h1/mi-b/conf/deployment.toml:5 P003 transport.http.listener.port",
		"h1/mi-c/conf/deployment.toml:1 P001 server.offset",
		"h1/mi-d/conf/deployment.toml:3 K002 server.portOffset",
		"h1/mi-e/conf/deployment.toml:3 P001 server.offset",
		"h1/mi-e/conf/deployment.toml:3 P001 server.offset",
		"h1/mi-h/conf/deployment.toml:1 P001 server.offset",
		"h1/mi-h/conf/deployment.toml:1 P001 server.offset",
		"h1/mi-h/conf/deployment.toml:1 P001 server.offset",
		"h2/mi x/conf/deployment.toml:5 P003 transport.http.listener.port",
		"h3/mi-g/conf/deployment.toml:2 P001 server.offset",
	})
	// mi-e's pairs (with mi-a and mi-c), mi-h's three pairs and h3's
	// pair are the change's doing; mi-c's pair with mi-a is older.
	checkLines(t, "new findings", reported(lint.FilterNew(fl, all, changed)), []string{
		"h1/mi-e/conf/deployment.toml:3 P001 server.offset",
		"h1/mi-e/conf/deployment.toml:3 P001 server.offset",
		"h1/mi-h/conf/deployment.toml:1 P001 server.offset",
		"h1/mi-h/conf/deployment.toml:1 P001 server.offset",
		"h1/mi-h/conf/deployment.toml:1 P001 server.offset",
		"h2/mi x/conf/deployment.toml:5 P003 transport.http.listener.port",
		"h3/mi-g/conf/deployment.toml:2 P001 server.offset",
	})

	// Once committed, nothing changed since HEAD, and the same lines
	// changed since HEAD~1.
	gittest.Run(t, dir, "add", "-A")
	gittest.Run(t, dir, "commit", "-q", "-m", "changes")
	changed, err = lint.ChangedSince(dir, "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	if len(changed) != 0 {
		t.Errorf("changes since HEAD after committing: %v", describeLineSets(changed))
	}
	if got := lint.FilterNew(fl, all, changed); len(got) != 0 {
		t.Errorf("FilterNew with nothing changed kept %d findings", len(got))
	}
	changed, err = lint.ChangedSince(dir, "HEAD~1")
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, "changed lines since HEAD~1", describeLineSets(changed), []string{
		"h1/mi-b/conf/deployment.toml [7 8]",
		"h1/mi-d/conf/deployment.toml [4]",
		"h1/mi-e/conf/deployment.toml [1 6]",
		"h1/mi-h/conf/deployment.toml all",
		"h2/mi x/conf/deployment.toml [3 4 5]",
		"h3/mi-f/conf/deployment.toml [3 4 5]",
	})
}

// TestFilterNewImplicit covers findings that sit where nothing changed
// because the setting that matters is now implicit: deleting a port key
// leaves the default port, whose finding sits on the offset line;
// deleting the offset leaves the default offset, whose findings sit on the
// port key and on line 1.
func TestFilterNewImplicit(t *testing.T) {
	gittest.Hermetic(t)
	dir := t.TempDir()
	gittest.Run(t, dir, "init", "-q", "-b", "main")
	writeFiles(t, dir, map[string]string{
		// mi-a: 8290, 8243, 9191, 9154.
		"h1/mi-a/conf/deployment.toml": "[server]\noffset = 0\n\n[transport.http]\nlistener.port = 8290\n",
		// mi-b: 8410, 8253, 9201, 9164.
		"h1/mi-b/conf/deployment.toml": "[server]\nhostname = \"b\"\noffset = 10\n\n[transport.http]\nlistener.port = 8400\n\n# the end\n",
		// mi-c: 8310, 8273, 9221, 9184.
		"h1/mi-c/conf/deployment.toml": "[server]\nhostname = \"c\"\nhot_deployment = true\noffset = 30\n\n[transport.http]\nlistener.port = 8280\n",
		// A legacy duplicate elsewhere, untouched.
		"h2/mi-x/conf/deployment.toml": "[server]\nhostname = \"x\"\n",
		// mi-q: 8290, 8253, 9201, 9164; mi-p: 8310, 8273, 9221, 9184.
		"h3/mi-p/conf/deployment.toml": "[server]\nhostname = \"p\"\noffset = 30\n",
		"h3/mi-q/conf/deployment.toml": "[server]\nhostname = \"q\"\noffset = 10\n",
		"h2/mi-y/conf/deployment.toml": "[server]\nhostname = \"y\"\n",
	})
	gittest.Run(t, dir, "add", "-A")
	gittest.Run(t, dir, "commit", "-q", "-m", "fleet")
	writeFiles(t, dir, map[string]string{
		// The port key goes: HTTP on 8280 + 10 = 8290 collides with
		// mi-a, reported on mi-b's offset line (3), which did not change.
		"h1/mi-b/conf/deployment.toml": "[server]\nhostname = \"b\"\noffset = 10\n\n[transport.http]\n\n# the end\n",
		// The offset goes: HTTP on 8280 + 10 = 8290 collides with mi-a,
		// and the implicit ports with mi-b's: two pairs, on mi-c's
		// [server] header (line 1), which did not change.
		"h1/mi-c/conf/deployment.toml": "[server]\nhostname = \"c\"\nhot_deployment = true\n\n[transport.http]\nlistener.port = 8280\n",
		// mi-p drops its offset and lands on mi-q's ports: the finding
		// is mi-q's (the later path), which did not change, on its offset
		// line, with mi-p's [server] header related.
		"h3/mi-p/conf/deployment.toml": "[server]\nhostname = \"p\"\n",
	})
	changed, err := lint.ChangedSince(dir, "main")
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, "changed lines", describeLineSets(changed), []string{
		"h1/mi-b/conf/deployment.toml [5 6]",
		"h1/mi-c/conf/deployment.toml [3 4]",
		"h3/mi-p/conf/deployment.toml [2 3]",
	})
	fl, err := fleet.Load(nil, fleet.Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	all := runFleet(t, fl)
	legacy := []string{
		"h2/mi-y/conf/deployment.toml:1 P001 server.offset",
	}
	introduced := []string{
		"h1/mi-b/conf/deployment.toml:3 P001 server.offset",
		"h1/mi-c/conf/deployment.toml:1 P001 server.offset",
		"h1/mi-c/conf/deployment.toml:1 P001 server.offset",
		"h3/mi-q/conf/deployment.toml:3 P001 server.offset",
	}
	checkLines(t, "all findings", reported(all), append(append(append([]string{}, introduced[:3]...), legacy...), introduced[3:]...))
	checkLines(t, "new findings", reported(lint.FilterNew(fl, all, changed)), introduced)
}

func TestChangedSinceErrors(t *testing.T) {
	gittest.Hermetic(t)
	dir := t.TempDir()
	_, err := lint.ChangedSince(dir, "main")
	if err == nil || !strings.Contains(err.Error(), `cannot find changes since "main" in `+dir+": fatal: not a git repository") {
		t.Errorf("outside a repository: got %v", err)
	}
	gittest.Run(t, dir, "init", "-q", "-b", "main")
	writeFiles(t, dir, map[string]string{"a.toml": "a = 1\n"})
	gittest.Run(t, dir, "add", "-A")
	gittest.Run(t, dir, "commit", "-q", "-m", "first")
	_, err = lint.ChangedSince(dir, "no-such-branch")
	if err == nil || !strings.HasPrefix(err.Error(), `unknown revision "no-such-branch": fatal: Needed a single revision; `) {
		t.Errorf("unknown revision: got %v", err)
	}
}

// TestFilterNewByKey checks the rules that need no git: a changed line
// that writes the finding's key elsewhere in the file, and LineSet.
func TestFilterNewByKey(t *testing.T) {
	const path = "h1/mi-a/conf/deployment.toml"
	fl := linttest.Fleet(t, map[string]string{
		path: "[server]\nhostname = \"a\"\noffset = 12\n\n[transport.http]\nlistener.port = 9000\n\n[server]\nhostname = \"b\"\n",
	}, fleet.Options{})
	all := runFleet(t, fl)
	checkLines(t, "all findings", reported(all), []string{
		path + ":8 S002 server",
		path + ":9 S002 server.hostname",
	})
	for _, tc := range []struct {
		lines []int
		want  []string
	}{
		// The first hostname, which the duplicate repeats.
		{[]int{2}, []string{path + ":9 S002 server.hostname"}},
		{[]int{9}, []string{path + ":9 S002 server.hostname"}},
		{[]int{8, 9}, []string{path + ":8 S002 server", path + ":9 S002 server.hostname"}},
		// The offset and the port: no finding is about them.
		{[]int{3, 6}, nil},
		// The first [server], related to the second.
		{[]int{1}, []string{path + ":8 S002 server"}},
		{nil, nil},
	} {
		changed := map[string]lint.LineSet{path: {Lines: tc.lines}}
		checkLines(t, fmt.Sprintf("new findings with lines %v changed", tc.lines), reported(lint.FilterNew(fl, all, changed)), tc.want)
	}
	checkLines(t, "new findings in a new file", reported(lint.FilterNew(fl, all, map[string]lint.LineSet{path: {All: true}})), reported(all))
	checkLines(t, "new findings when another file changed", reported(lint.FilterNew(fl, all, map[string]lint.LineSet{"other": {All: true}})), nil)

	ls := lint.LineSet{Lines: []int{2, 5, 9}}
	if !ls.Has(5) || ls.Has(4) || ls.Has(10) || !ls.Overlaps(3, 5) || ls.Overlaps(6, 8) || ls.Overlaps(10, 20) || !ls.Changed() {
		t.Errorf("LineSet %v misbehaves", ls.Lines)
	}
	if (lint.LineSet{}).Changed() || !(lint.LineSet{All: true}).Has(1000) || !(lint.LineSet{All: true}).Overlaps(1, 1) {
		t.Error("empty or All LineSet misbehaves")
	}
}
