package rewrite

import (
	"bytes"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strconv"
	"strings"
	"testing"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// diffPath is the path used in the tests' diff headers. It has a directory
// so that the apply tests check that -p1 paths resolve below the work tree.
const diffPath = "conf/deployment.toml"

func TestUnifiedExact(t *testing.T) {
	tests := []struct {
		name, old, new, want string
	}{
		{
			name: "equal",
			old:  "a\nb\n",
			new:  "a\nb\n",
			want: "",
		},
		{
			name: "both empty",
			want: "",
		},
		{
			name: "one changed line",
			old:  "a\nb\nc\n",
			new:  "a\nB\nc\n",
			want: "--- a/conf/deployment.toml\n+++ b/conf/deployment.toml\n" +
				"@@ -1,3 +1,3 @@\n a\n-b\n+B\n c\n",
		},
		{
			name: "single line counts are left out",
			old:  "a\n",
			new:  "b\n",
			want: "--- a/conf/deployment.toml\n+++ b/conf/deployment.toml\n" +
				"@@ -1 +1 @@\n-a\n+b\n",
		},
		{
			name: "empty old",
			new:  "a\nb\n",
			want: "--- a/conf/deployment.toml\n+++ b/conf/deployment.toml\n" +
				"@@ -0,0 +1,2 @@\n+a\n+b\n",
		},
		{
			name: "empty new",
			old:  "a\nb\n",
			want: "--- a/conf/deployment.toml\n+++ b/conf/deployment.toml\n" +
				"@@ -1,2 +0,0 @@\n-a\n-b\n",
		},
		{
			name: "final newline added",
			old:  "a\nb",
			new:  "a\nb\n",
			want: "--- a/conf/deployment.toml\n+++ b/conf/deployment.toml\n" +
				"@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n",
		},
		{
			name: "no final newline on either side",
			old:  "a\nb",
			new:  "a\nc",
			want: "--- a/conf/deployment.toml\n+++ b/conf/deployment.toml\n" +
				"@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n",
		},
		{
			name: "deletions come before insertions",
			old:  "x\na\nb\ny\n",
			new:  "x\nA\nB\ny\n",
			want: "--- a/conf/deployment.toml\n+++ b/conf/deployment.toml\n" +
				"@@ -1,4 +1,4 @@\n x\n-a\n-b\n+A\n+B\n y\n",
		},
		{
			name: "insertion after the last line keeps only leading context",
			old:  "1\n2\n3\n4\n5\n",
			new:  "1\n2\n3\n4\n5\n6\n",
			want: "--- a/conf/deployment.toml\n+++ b/conf/deployment.toml\n" +
				"@@ -3,3 +3,4 @@\n 3\n 4\n 5\n+6\n",
		},
		{
			name: "CRLF endings are kept",
			old:  "a\r\nb\r\n",
			new:  "a\r\nc\r\n",
			want: "--- a/conf/deployment.toml\n+++ b/conf/deployment.toml\n" +
				"@@ -1,2 +1,2 @@\n a\r\n-b\r\n+c\r\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Unified(diffPath, []byte(tt.old), []byte(tt.new)); got != tt.want {
				t.Errorf("Unified(%q, %q) =\n%s\nwant\n%s", tt.old, tt.new, got, tt.want)
			}
		})
	}
}

// TestToLinesOrder feeds an insertion ahead of a deletion, which go-diff's
// clean-up does not produce today, to check that toLines still prints the
// deletion first.
func TestToLinesOrder(t *testing.T) {
	diffs := []diffmatchpatch.Diff{
		{Type: diffmatchpatch.DiffEqual, Text: "a\n"},
		{Type: diffmatchpatch.DiffInsert, Text: "B\nC\n"},
		{Type: diffmatchpatch.DiffDelete, Text: "b\n"},
		{Type: diffmatchpatch.DiffEqual, Text: "d\n"},
		{Type: diffmatchpatch.DiffInsert, Text: "e"},
		{Type: diffmatchpatch.DiffDelete, Text: "E"},
	}
	var got strings.Builder
	for _, l := range toLines(diffs) {
		got.WriteString(string(l.kind) + l.text + "|")
	}
	if want := " a\n|-b\n|+B\n|+C\n| d\n|-E|+e|"; got.String() != want {
		t.Errorf("toLines = %q, want %q", got.String(), want)
	}
}

// TestUnifiedGolden pins the diff of a realistic deployment.toml edit, the
// kind of output a user sees from --diff, so that any formatting change
// shows up in review.
func TestUnifiedGolden(t *testing.T) {
	dir := filepath.Join("testdata", "diff")
	old := readFile(t, filepath.Join(dir, "deployment.toml.old"))
	new := readFile(t, filepath.Join(dir, "deployment.toml.new"))
	want := readFile(t, filepath.Join(dir, "deployment.toml.diff"))
	if got := Unified("repository/conf/deployment.toml", old, new); got != string(want) {
		t.Errorf("Unified =\n%s\nwant\n%s", got, want)
	}
	checkApplies(t, "repository/conf/deployment.toml", string(old), string(new))
}

// edgeCases are old/new pairs whose diff is unambiguous, so our output must
// match GNU diff byte for byte and must apply with git and patch.
var edgeCases = []struct{ name, old, new string }{
	{"empty old", "", "a\nb\nc\n"},
	{"empty new", "a\nb\nc\n", ""},
	{"empty old without final newline", "", "a\nb"},
	{"no final newline on old", "a\nb\nc", "a\nb\nc\n"},
	{"no final newline on new", "a\nb\nc\n", "a\nb\nc"},
	{"no final newline on both", "a\nb\nc", "a\nB\nc"},
	{"last line changed without final newline", "1\n2\n3\n4\n5\n6", "1\n2\n3\n4\n5\nsix"},
	{"change on the first line", "1\n2\n3\n4\n5\n6\n7\n8\n", "one\n2\n3\n4\n5\n6\n7\n8\n"},
	{"change on the last line", "1\n2\n3\n4\n5\n6\n7\n8\n", "1\n2\n3\n4\n5\n6\n7\neight\n"},
	{"two distant hunks", numbered(1, 20), strings.Replace(strings.Replace(numbered(1, 20), "3\n", "three\n", 1), "17\n", "seventeen\n", 1)},
	{"adjacent hunks are merged", numbered(1, 20), strings.Replace(strings.Replace(numbered(1, 20), "5\n", "five\n", 1), "12\n", "twelve\n", 1)},
	{"hunks one line too far apart", numbered(1, 20), strings.Replace(strings.Replace(numbered(1, 20), "5\n", "five\n", 1), "13\n", "thirteen\n", 1)},
	{"CRLF file", "[server]\r\nhostname = \"a\"\r\noffset = 0\r\n", "[server]\r\nhostname = \"a\"\r\noffset = 1\r\n"},
	{"CRLF file without final newline", "[server]\r\noffset = 0", "[server]\r\noffset = 1"},
	{"UTF-8 content", "# réglages\nname = \"ü\"\nport = 1\n", "# réglages\nname = \"日本語\"\nport = 1\n"},
	{"pure insertion", numbered(1, 10), strings.Replace(numbered(1, 10), "5\n", "5\nnew\n", 1)},
	{"pure deletion", numbered(1, 10), strings.Replace(numbered(1, 10), "5\n6\n", "", 1)},
	{"insertion at the top", numbered(1, 6), "[server]\noffset = 1\n" + numbered(1, 6)},
	{"blank lines", "a\n\n\nb\n", "a\n\nb\n"},
}

// numbered returns the lines "from" to "to", one number per line.
func numbered(from, to int) string {
	var b strings.Builder
	for i := from; i <= to; i++ {
		fmt.Fprintf(&b, "%d\n", i)
	}
	return b.String()
}

func TestUnifiedMatchesGNUDiff(t *testing.T) {
	if _, err := exec.LookPath("diff"); err != nil {
		t.Skip("diff is not on PATH")
	}
	for _, tc := range edgeCases {
		t.Run(tc.name, func(t *testing.T) {
			want := gnuDiff(t, diffPath, tc.old, tc.new)
			if got := Unified(diffPath, []byte(tc.old), []byte(tc.new)); got != want {
				t.Errorf("Unified =\n%q\nGNU diff -u =\n%q", got, want)
			}
		})
	}
}

func TestUnifiedApplies(t *testing.T) {
	for _, tc := range edgeCases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // each case applies in its own directories
			checkApplies(t, diffPath, tc.old, tc.new)
		})
	}
}

// TestUnifiedRandom checks on random edits that every diff is well formed,
// has minimal GNU-style hunks and turns old into new, with the in-test
// applier and, when they are installed, with patch and git apply.
func TestUnifiedRandom(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	n := 300
	if testing.Short() {
		n = 50
	}
	var changed [][2]string
	for i := range n {
		old, new := randomPair(r)
		diff := Unified(diffPath, []byte(old), []byte(new))
		got, err := applyUnified(diffPath, old, diff)
		if err != nil {
			t.Fatalf("pair %d: %v\nold %q\nnew %q\ndiff:\n%s", i, err, old, new, diff)
		}
		if got != new {
			t.Fatalf("pair %d: applied diff gives %q, want %q\ndiff:\n%s", i, got, new, diff)
		}
		if diff != "" {
			changed = append(changed, [2]string{old, new})
		}
	}
	checkAppliesAll(t, changed)
}

// randomPair returns a small multi-line text and an edited copy of it. The
// lines come from a small pool so that repeated lines make the alignment
// ambiguous, and either text may lose its final newline or use CRLF.
func randomPair(r *rand.Rand) (old, new string) {
	pool := []string{"a", "b", "c", "[server]", "offset = 1", "", "  # note", "é"}
	eol := "\n"
	if r.IntN(8) == 0 {
		eol = "\r\n"
	}
	line := func() string { return pool[r.IntN(len(pool))] + eol }
	var a []string
	for range r.IntN(12) {
		a = append(a, line())
	}
	b := append([]string(nil), a...)
	for range r.IntN(5) {
		switch i := r.IntN(len(b) + 1); r.IntN(3) {
		case 0: // insert
			b = append(b[:i], append([]string{line()}, b[i:]...)...)
		case 1: // delete
			if i < len(b) {
				b = append(b[:i], b[i+1:]...)
			}
		default: // replace
			if i < len(b) {
				b[i] = line()
			}
		}
	}
	old, new = strings.Join(a, ""), strings.Join(b, "")
	if r.IntN(4) == 0 {
		old = strings.TrimSuffix(old, eol)
	}
	if r.IntN(4) == 0 {
		new = strings.TrimSuffix(new, eol)
	}
	return old, new
}

var hunkHeader = regexp.MustCompile(`^@@ -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@\n$`)

// applyUnified applies a diff made by Unified to old, strictly: context and
// deleted lines must match exactly, header counts and line numbers must be
// right, and the hunks must have the shape GNU diff gives them (3 lines of
// context unless a file edge is closer, no two hunks whose contexts touch,
// deletions before insertions). Checking the shape here catches hunks that
// patch tools would still accept but that are not what diff -u prints.
func applyUnified(path, old, diff string) (string, error) {
	if diff == "" {
		return old, nil
	}
	lines := strings.SplitAfter(diff, "\n")
	if lines[len(lines)-1] != "" {
		return "", errors.New("diff does not end in a newline")
	}
	lines = lines[:len(lines)-1]
	if len(lines) < 3 || lines[0] != "--- a/"+path+"\n" || lines[1] != "+++ b/"+path+"\n" {
		return "", errors.New("bad file headers")
	}
	oldLines := strings.SplitAfter(old, "\n")
	if oldLines[len(oldLines)-1] == "" {
		oldLines = oldLines[:len(oldLines)-1]
	}
	var out []string
	cur := 0 // index of the next old line to copy
	for i, first := 2, true; i < len(lines); first = false {
		m := hunkHeader.FindStringSubmatch(lines[i])
		if m == nil {
			return "", fmt.Errorf("line %d: bad hunk header %q", i+1, lines[i])
		}
		i++
		oldStart, oldCount := rangeOf(m[1], m[2])
		newStart, newCount := rangeOf(m[3], m[4])
		if oldStart < cur || (!first && oldStart == cur) {
			return "", fmt.Errorf("hunk at old line %d overlaps or touches the previous hunk", oldStart+1)
		}
		out = append(out, oldLines[cur:oldStart]...)
		cur = oldStart
		if newStart != len(out) {
			return "", fmt.Errorf("hunk new start %d, want %d", newStart+1, len(out)+1)
		}
		var kinds []byte
		for gotOld, gotNew := 0, 0; gotOld < oldCount || gotNew < newCount; i++ {
			if i >= len(lines) || lines[i] == "" {
				return "", errors.New("hunk is shorter than its header says")
			}
			kind, text := lines[i][0], lines[i][1:]
			if i+1 < len(lines) && lines[i+1] == "\\ No newline at end of file\n" {
				text = strings.TrimSuffix(text, "\n")
				i++
			}
			kinds = append(kinds, kind)
			switch kind {
			case ' ', '-':
				if cur >= len(oldLines) || oldLines[cur] != text {
					return "", fmt.Errorf("old line %d does not match %q", cur+1, text)
				}
				cur++
				gotOld++
				if kind == ' ' {
					out = append(out, text)
					gotNew++
				}
			case '+':
				out = append(out, text)
				gotNew++
			default:
				return "", fmt.Errorf("bad line %q", lines[i])
			}
			if gotOld > oldCount || gotNew > newCount {
				return "", errors.New("hunk is longer than its header says")
			}
		}
		if err := checkHunkShape(kinds, oldStart == 0, cur == len(oldLines)); err != nil {
			return "", fmt.Errorf("hunk at old line %d: %w", oldStart+1, err)
		}
	}
	return strings.Join(append(out, oldLines[cur:]...), ""), nil
}

// rangeOf decodes one side of a hunk header into the 0-based index of the
// hunk's first line and its line count.
func rangeOf(start, count string) (int, int) {
	s, _ := strconv.Atoi(start)
	c := 1
	if count != "" {
		c, _ = strconv.Atoi(count)
	}
	if c == 0 {
		return s, 0 // an empty range names the line it follows
	}
	return s - 1, c
}

// checkHunkShape checks the line kinds of one hunk against GNU diff's rules.
func checkHunkShape(kinds []byte, atStart, atEnd bool) error {
	s := string(kinds)
	lead := len(s) - len(strings.TrimLeft(s, " "))
	trail := len(s) - len(strings.TrimRight(s, " "))
	switch {
	case lead == len(s):
		return errors.New("no change")
	case lead != contextLines && !(lead < contextLines && atStart):
		return fmt.Errorf("%d lines of leading context", lead)
	case trail != contextLines && !(trail < contextLines && atEnd):
		return fmt.Errorf("%d lines of trailing context", trail)
	case strings.Contains(s, "+-"):
		return errors.New("an insertion comes before a deletion")
	case strings.Contains(s[lead:len(s)-trail], strings.Repeat(" ", 2*contextLines+1)):
		return errors.New("the hunk should have been split")
	}
	return nil
}

// gnuDiff returns GNU diff's unified diff of old and new under the same
// labels that Unified writes.
func gnuDiff(t *testing.T, path, old, new string) string {
	t.Helper()
	dir := t.TempDir()
	oldFile, newFile := filepath.Join(dir, "old"), filepath.Join(dir, "new")
	writeFile(t, oldFile, old)
	writeFile(t, newFile, new)
	cmd := exec.Command("diff", "-u", "--label", "a/"+path, "--label", "b/"+path, oldFile, newFile)
	// The "No newline at end of file" marker is translated in other locales.
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	out, err := cmd.Output()
	var exit *exec.ExitError
	if err != nil && !(errors.As(err, &exit) && exit.ExitCode() == 1) {
		t.Fatalf("diff: %v", err)
	}
	return string(out)
}

// checkApplies applies Unified's diff of old and new to a copy of old with
// git apply and patch -p1, each skipped when not installed, and checks that
// the result is new byte for byte.
func checkApplies(t *testing.T, path, old, new string) {
	t.Helper()
	patchFile := filepath.Join(t.TempDir(), "change.diff")
	writeFile(t, patchFile, Unified(path, []byte(old), []byte(new)))
	for _, tool := range applyTools(patchFile) {
		if _, err := exec.LookPath(tool.name); err != nil {
			continue
		}
		dir := t.TempDir()
		writeTree(t, dir, map[string]string{path: old})
		if out, err := runApply(dir, tool.name, tool.args); err != nil {
			t.Errorf("%s rejects the diff: %v\n%s\ndiff:\n%s", tool.name, err, out, readFile(t, patchFile))
			continue
		}
		if got := readFile(t, filepath.Join(dir, filepath.FromSlash(path))); !bytes.Equal(got, []byte(new)) {
			t.Errorf("%s gives %q, want %q", tool.name, got, new)
		}
	}
}

// checkAppliesAll is checkApplies for many (old, new) pairs at once: each
// pair is a file of its own in one tree and one patch holds all their
// diffs, so that git apply and patch run once each instead of once per
// pair. When a tool rejects the patch, each pair is checked alone, to
// name the one it rejects.
func checkAppliesAll(t *testing.T, pairs [][2]string) {
	t.Helper()
	path := func(i int) string { return fmt.Sprintf("p%04d/%s", i, diffPath) }
	var patch strings.Builder
	olds := map[string]string{}
	for i, p := range pairs {
		patch.WriteString(Unified(path(i), []byte(p[0]), []byte(p[1])))
		olds[path(i)] = p[0]
	}
	patchFile := filepath.Join(t.TempDir(), "change.diff")
	writeFile(t, patchFile, patch.String())
	for _, tool := range applyTools(patchFile) {
		if _, err := exec.LookPath(tool.name); err != nil {
			continue
		}
		dir := t.TempDir()
		writeTree(t, dir, olds)
		if out, err := runApply(dir, tool.name, tool.args); err != nil {
			t.Logf("%s rejects the patch of %d diffs: %v\n%s", tool.name, len(pairs), err, out)
			for _, p := range pairs {
				checkApplies(t, diffPath, p[0], p[1])
			}
			return
		}
		for i, p := range pairs {
			if got := readFile(t, filepath.Join(dir, filepath.FromSlash(path(i)))); !bytes.Equal(got, []byte(p[1])) {
				t.Errorf("%s gives %q from %q, want %q", tool.name, got, p[0], p[1])
			}
		}
	}
}

// applyTools are the commands that apply patchFile in the working
// directory: git apply and patch -p1.
func applyTools(patchFile string) []struct {
	name string
	args []string
} {
	return []struct {
		name string
		args []string
	}{
		// --unsafe-paths lets git apply write outside a repository; the
		// ceiling stops it from finding a repository above the temp dir.
		{"git", []string{"apply", "--unsafe-paths", "-p1", patchFile}},
		// --fuzz=0 makes patch as strict as git: every context line must match.
		{"patch", []string{"-p1", "--fuzz=0", "--batch", "--no-backup-if-mismatch", "--quiet", "-i", patchFile}},
	}
}

// runApply runs an apply tool in dir, with git kept from finding a
// repository or a configuration of the machine's.
func runApply(dir, name string, args []string) ([]byte, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"GIT_CEILING_DIRECTORIES="+filepath.Dir(dir),
		"GIT_CONFIG_NOSYSTEM=1", "GIT_CONFIG_GLOBAL="+os.DevNull, "LC_ALL=C")
	return cmd.CombinedOutput()
}

// writeTree writes files (slash-separated paths relative to dir).
func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for rel, content := range files {
		file := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, file, content)
	}
}

func writeFile(t *testing.T, name, content string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func readFile(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestUnifiedPathWithSpaces checks a path with spaces and non-ASCII
// letters, as config repositories have ("host 1/mi a"): GNU patch ended
// the file name at the first space (it could not find "fleet/host"), so
// the header carries a tab after the name, as git writes it.
func TestUnifiedPathWithSpaces(t *testing.T) {
	path := "fleet/host één/mi a 名/conf/deployment.toml"
	old, new := "[server]\noffset = 3\nport = \"8280\"\n", "[server]\noffset = 3\nport = 8280\n"
	if d := Unified(path, []byte(old), []byte(new)); !strings.HasPrefix(d, "--- a/"+path+"\t\n+++ b/"+path+"\t\n@@ ") {
		t.Errorf("headers of a path with spaces:\n%s", d)
	}
	checkApplies(t, path, old, new)
	if d := Unified(diffPath, []byte(old), []byte(new)); strings.Contains(d, "\t") {
		t.Errorf("a tab in the headers of a path without spaces:\n%s", d)
	}
}

// TestUnifiedManyDistinctLines diffs a file with more distinct lines than
// go-diff's line mode can number (it panicked in intToRune on an 8 MB
// deployment.toml, well under the size limit). The edit at each end
// leaves a middle of 1.2 million distinct lines: the diff must still turn
// old into new.
func TestUnifiedManyDistinctLines(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 1.2 million lines")
	}
	var b strings.Builder
	for i := range 1_200_000 {
		fmt.Fprintf(&b, "k%d = %d\n", i, i)
	}
	body := b.String()
	old := "[server]\noffset = 1\n" + body + "# end\n"
	new := "[server]\noffset = 2\n" + body + "# the end\n"
	diff := Unified(diffPath, []byte(old), []byte(new))
	got, err := applyUnified(diffPath, old, diff)
	if err != nil || got != new {
		t.Fatalf("the diff does not turn old into new: %v", err)
	}
}

// TestUnifiedFallback lowers the number of lines that can be numbered to
// check the fallback itself: the changed middle deleted and inserted
// whole, with the common lines at both ends as context, applying cleanly.
func TestUnifiedFallback(t *testing.T) {
	saved := maxDistinctLines
	maxDistinctLines = 4
	t.Cleanup(func() { maxDistinctLines = saved })
	old := "a\nb\nc\nd\ne\nf\ng\nh\n"
	new := "a\nb\nc\nD\ne\nF\ng\nh\n"
	diff := Unified(diffPath, []byte(old), []byte(new))
	want := "--- a/" + diffPath + "\n+++ b/" + diffPath + "\n@@ -1,8 +1,8 @@\n a\n b\n c\n-d\n-e\n-f\n+D\n+e\n+F\n g\n h\n"
	if diff != want {
		t.Errorf("diff:\n%s\nwant:\n%s", diff, want)
	}
	if got, err := applyUnified(diffPath, old, diff); err != nil || got != new {
		t.Errorf("does not apply: %v", err)
	}
}

// TestUnifiedHostilePath checks a path with a line break, an escape
// sequence, a quote and a bidi override: the headers are C-quoted as git
// writes them, hold no raw control character, and git apply and patch
// still apply the diff to that file.
func TestUnifiedHostilePath(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("such names cannot exist on Windows")
	}
	path := "fleet/mi\n+++ b/evil\x1b[2J \"q\" \u202ex/conf/deployment.toml"
	old, new := "[server]\noffset = 3\nport = \"8280\"\n", "[server]\noffset = 3\nport = 8280\n"
	d := Unified(path, []byte(old), []byte(new))
	header, _, _ := strings.Cut(d, "@@")
	want := `--- "a/fleet/mi\n+++ b/evil\033[2J \"q\" \342\200\256x/conf/deployment.toml"` + "\n" +
		`+++ "b/fleet/mi\n+++ b/evil\033[2J \"q\" \342\200\256x/conf/deployment.toml"` + "\n"
	if header != want {
		t.Errorf("headers:\n%q\nwant:\n%q", header, want)
	}
	checkApplies(t, path, old, new)
}
