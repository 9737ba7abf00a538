package gitdiff

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/internal/gittest"
)

func TestParsePatch(t *testing.T) {
	patch := "diff --git a/mod.toml b/mod.toml\n" +
		"index 1..2 100644\n--- a/mod.toml\n+++ b/mod.toml\n" +
		"@@ -0,0 +1 @@\n+# added at the top\n" + // insertion before line 1
		"@@ -3 +4 @@\n-a = 1\n+a = 2\n" + // modification
		"@@ -7,2 +7,0 @@\n-gone = 1\n-gone = 2\n" + // pure deletion after line 7
		"@@ -20,0 +21,2 @@\n+x = 1\n+y = 2\n" +
		"@@ -30 +31 @@\n-z\n\\ No newline at end of file\n+z\n" +
		"diff --git a/ctx.toml b/ctx.toml\n--- a/ctx.toml\n+++ b/ctx.toml\n" +
		// A hunk with context (as diff.context or an inter-hunk merge
		// would give): only + lines and the sides of a pure deletion count.
		"@@ -1,6 +1,6 @@\n keep\n-old\n+new\n keep\n-dropped\n keep\n-old2\n+new2\n" +
		"diff --git a/new.toml b/new.toml\nnew file mode 100644\n--- /dev/null\n+++ b/new.toml\n@@ -0,0 +1,2 @@\n+a\n+b\n" +
		"diff --git a/del.toml b/del.toml\ndeleted file mode 100644\n--- a/del.toml\n+++ /dev/null\n@@ -1 +0,0 @@\n-a\n" +
		"diff --git a/old name.toml b/new name.toml\nsimilarity index 90%\nrename from old name.toml\nrename to new name.toml\n" +
		"--- a/old name.toml\t\n+++ b/new name.toml\t\n@@ -2 +2 @@\n-a\n+b\n" +
		"diff --git a/pure.toml b/moved.toml\nsimilarity index 100%\nrename from pure.toml\nrename to moved.toml\n" +
		"diff --git \"a/\\303\\251 \\\"q\\\".toml\" \"b/\\303\\251 \\\"q\\\".toml\"\n--- \"a/\\303\\251 \\\"q\\\".toml\"\t\n+++ \"b/\\303\\251 \\\"q\\\".toml\"\t\n@@ -1 +1 @@\n-a\n+b\n" +
		"diff --git a/bin.dat b/bin.dat\nindex 1..2 100644\nBinary files a/bin.dat and b/bin.dat differ\n" +
		"diff --git a/minus.toml b/minus.toml\n--- a/minus.toml\n+++ b/minus.toml\n@@ -1 +1 @@\n---- x\n++++ y\n"
	got, err := ParsePatch([]byte(patch))
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"mod.toml":      "[1 4 7 8 21 22 31]",
		"ctx.toml":      "[2 3 4 5]",
		"new.toml":      "all",
		"new name.toml": "[2]",
		"é \"q\".toml":  "[1]",
		"minus.toml":    "[1]",
	}
	checkChanges(t, got, want)
}

func checkChanges(t *testing.T, got map[string]Change, want map[string]string) {
	t.Helper()
	for p, c := range got {
		s := fmt.Sprint(c.Lines)
		if c.All {
			s = "all"
		}
		if w, ok := want[p]; !ok {
			t.Errorf("unexpected file %q: %s", p, s)
		} else if s != w {
			t.Errorf("%q: got %s, want %s", p, s, w)
		}
	}
	for p, w := range want {
		if _, ok := got[p]; !ok {
			t.Errorf("missing file %q (want %s)", p, w)
		}
	}
}

func TestParsePatchErrors(t *testing.T) {
	for _, patch := range []string{
		"diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1 +z @@\n",
		"diff --git a/x b/x\n--- a/x\n+++ x\n@@ -1 +1 @@\n",
		"diff --git a/x b/x\n--- a/x\n+++ \"b/\\q\"\n",
	} {
		if _, err := ParsePatch([]byte(patch)); err == nil {
			t.Errorf("no error for %q", patch)
		}
	}
}

func TestBinaryPaths(t *testing.T) {
	got := BinaryPaths([]byte("1\t0\ta.toml\x00-\t-\tb.bin\x00-\t-\t\x00old.bin\x00new dir/new.bin\x003\t1\t\x00x\x00y\x00"))
	if fmt.Sprint(got) != "[b.bin new dir/new.bin]" {
		t.Errorf("got %q", got)
	}
}

func write(t *testing.T, dir, name, content string) {
	t.Helper()
	p := filepath.Join(dir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestChangesHostileConfig runs Changes in a repository whose own
// configuration changes every default of git diff's output, from a
// subdirectory.
func TestChangesHostileConfig(t *testing.T) {
	gittest.Hermetic(t)
	dir := t.TempDir()
	gittest.Run(t, dir, "init", "-q", "-b", "main")
	for _, kv := range [][2]string{
		{"diff.noprefix", "true"}, {"diff.mnemonicPrefix", "true"}, {"color.ui", "always"}, {"color.diff", "always"},
		{"diff.relative", "true"}, {"core.quotepath", "true"}, {"diff.interHunkContext", "10"}, {"diff.context", "5"},
		{"diff.external", "false"}, {"diff.renames", "false"}, {"diff.suppressBlankEmpty", "true"},
		{"status.showUntrackedFiles", "no"},
	} {
		gittest.Run(t, dir, "config", kv[0], kv[1])
	}
	lines := "a\nb\nc\nd\ne\nf\ng\nh\n"
	write(t, dir, "sub/x.toml", lines)
	write(t, dir, "sub/del.toml", lines)
	write(t, dir, "top é.toml", lines)
	write(t, dir, "sub/bin.dat", "a\x00b")
	write(t, dir, "sub/old.toml", "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n")
	write(t, dir, ".gitignore", "*.log\n")
	gittest.Run(t, dir, "add", "-A")
	gittest.Run(t, dir, "commit", "-q", "-m", "first")

	write(t, dir, "sub/x.toml", "a\nB\nc\nd\ne\nf\n\nG\nh\n") // line 2 changed, line 7 blank inserted, 8 changed
	write(t, dir, "top é.toml", "a\nb\nc\nd\n")               // pure deletion after line 4
	write(t, dir, "sub/bin.dat", "a\x00c")
	if err := os.Remove(filepath.Join(dir, "sub/del.toml")); err != nil {
		t.Fatal(err)
	}
	gittest.Run(t, dir, "mv", "sub/old.toml", "sub/new name.toml")
	write(t, dir, "sub/new name.toml", "1\n2\n3\nfour\n5\n6\n7\n8\n9\n10\n")
	write(t, dir, "sub/untracked dir/u.toml", "u\n")
	write(t, dir, "sub/ignored.log", "x\n")
	write(t, dir, "sub/staged-empty.toml", "")
	gittest.Run(t, dir, "add", "sub/staged-empty.toml")

	got, err := Changes(filepath.Join(dir, "sub"), "HEAD")
	if err != nil {
		t.Fatal(err)
	}
	checkChanges(t, got, map[string]string{
		"x.toml":               "[2 7 8]",
		"../top é.toml":        "[4 5]",
		"bin.dat":              "all",
		"new name.toml":        "[4]",
		"untracked dir/u.toml": "all",
		"staged-empty.toml":    "all",
	})
}

func TestChangesErrors(t *testing.T) {
	gittest.Hermetic(t)
	dir := t.TempDir()
	if _, err := Changes(dir, "main"); err == nil || !strings.Contains(err.Error(), "not a git repository") {
		t.Errorf("outside a repository: got %v", err)
	}
	gittest.Run(t, dir, "init", "-q", "-b", "main")
	write(t, dir, "a.toml", "a\n")
	gittest.Run(t, dir, "add", "-A")
	gittest.Run(t, dir, "commit", "-q", "-m", "first")
	_, err := Changes(dir, "no-such-rev")
	if err == nil || !strings.HasPrefix(err.Error(), `unknown revision "no-such-rev": fatal: Needed a single revision; check the name, and fetch it`) {
		t.Errorf("unknown revision: got %v", err)
	}
	if _, err := Changes(dir, "--output=/tmp/x"); err == nil || !strings.Contains(err.Error(), "invalid revision") {
		t.Errorf("option as revision: got %v", err)
	}
	if got, err := Changes(dir, "main"); err != nil || len(got) != 0 {
		t.Errorf("clean tree: got %v, %v", got, err)
	}
}

// TestChangesShallowClone checks that a revision missing from a shallow
// clone, as CI systems check out, is an error that says how to fetch it.
func TestChangesShallowClone(t *testing.T) {
	gittest.Hermetic(t)
	origin := t.TempDir()
	gittest.Run(t, origin, "init", "-q", "-b", "main")
	for i := range 3 {
		write(t, origin, "a.toml", strings.Repeat("a\n", i+1))
		gittest.Run(t, origin, "add", "-A")
		gittest.Run(t, origin, "commit", "-q", "-m", "c")
	}
	clone := filepath.Join(t.TempDir(), "clone")
	gittest.Run(t, origin, "clone", "-q", "--depth=1", "file://"+origin, clone)
	_, err := Changes(clone, "HEAD~2")
	if err == nil || !strings.Contains(err.Error(), `unknown revision "HEAD~2"`) ||
		!strings.Contains(err.Error(), "shallow clone") || !strings.Contains(err.Error(), "fetch-depth: 0") ||
		!strings.Contains(err.Error(), "git fetch --deepen") {
		t.Errorf("shallow clone: got %v", err)
	}
}
