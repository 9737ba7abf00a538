// Package gitdiff finds the lines of the working tree that changed since a
// git revision, by running the git command (no library): the changed
// (added or modified) lines of every changed file, new and untracked files
// as a whole. It backs --new-from-rev.
//
// The git invocations pin every option that user configuration could
// change (prefixes, colour, external diff and textconv drivers, relative
// paths, context and inter-hunk context, path quoting), so that the output
// parsed is the same on every machine.
package gitdiff

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// Change is how one file of the working tree differs from the revision.
type Change struct {
	// All is set when the whole file is new: untracked, added since the
	// revision, or a binary file that changed.
	All bool
	// Lines lists the changed line numbers (1-based, in the working tree
	// version), sorted and without duplicates. A pure deletion counts as a
	// change of the lines on either side of it.
	Lines []int
}

// Changes runs git in dir and returns what changed between rev and the
// working tree (uncommitted and staged edits included) of the repository
// holding dir, keyed by path relative to dir, slash-separated (a file
// outside dir gets a "../" path). Unchanged files, deleted files, and files
// only renamed or with only their mode changed are absent. Errors carry
// git's message: dir not in a git work tree, rev unknown, git missing.
func Changes(dir, rev string) (map[string]Change, error) {
	if rev == "" || strings.HasPrefix(rev, "-") {
		return nil, fmt.Errorf("invalid revision %q", rev)
	}
	top, err := git(dir, "rev-parse", "--show-toplevel")
	if err != nil {
		return nil, err
	}
	root := strings.TrimRight(string(top), "\r\n")
	if _, err := git(dir, "rev-parse", "--verify", "--quiet", rev+"^{commit}"); err != nil {
		// --quiet leaves git's message empty; ask again for it.
		_, err = git(dir, "rev-parse", "--verify", rev+"^{commit}")
		msg := fmt.Sprintf("unknown revision %q", rev)
		var ge *Error
		if errors.As(err, &ge) {
			msg += ": " + ge.Message
		}
		return nil, errors.New(msg + "; " + missingRevHint(dir, rev))
	}
	common := []string{"--no-color", "--no-ext-diff", "--no-textconv", "--no-relative", "--find-renames",
		"--ignore-submodules"}
	patch, err := git(dir, append(append([]string{"-c", "core.quotepath=off", "-c", "diff.suppressBlankEmpty=false", "diff"}, common...),
		"--unified=0", "--inter-hunk-context=0", "--src-prefix=a/", "--dst-prefix=b/", rev, "--")...)
	if err != nil {
		return nil, err
	}
	byRoot, err := ParsePatch(patch)
	if err != nil {
		return nil, err
	}
	// A new empty file has no hunk, and a binary file no line: take both
	// from lists git writes NUL-separated, with no quoting to undo.
	added, err := git(dir, append(append([]string{"diff"}, common...), "--name-only", "--diff-filter=A", "-z", rev, "--")...)
	if err != nil {
		return nil, err
	}
	for _, p := range strings.Split(string(added), "\x00") {
		if p != "" {
			byRoot[p] = Change{All: true}
		}
	}
	numstat, err := git(dir, append(append([]string{"diff"}, common...), "--numstat", "-z", rev, "--")...)
	if err != nil {
		return nil, err
	}
	for _, p := range BinaryPaths(numstat) {
		byRoot[p] = Change{All: true}
	}
	untracked, err := git(root, "ls-files", "-z", "--others", "--exclude-standard", "--full-name")
	if err != nil {
		return nil, err
	}
	for _, p := range strings.Split(string(untracked), "\x00") {
		if p != "" {
			byRoot[p] = Change{All: true}
		}
	}
	return rebase(byRoot, root, dir)
}

// missingRevHint says what to do about a revision the clone does not hold:
// CI systems check out a shallow clone of the branch alone, where the
// revision a change is compared with is absent.
func missingRevHint(dir, rev string) string {
	out, err := git(dir, "rev-parse", "--is-shallow-repository")
	if err == nil && strings.TrimSpace(string(out)) == "true" {
		return "this is a shallow clone, which lacks it: fetch the history (actions/checkout with " +
			"`fetch-depth: 0`, GitLab's GIT_DEPTH: 0, or `git fetch --deepen=100` / `git fetch --unshallow`) " +
			"and the branch it names (`git fetch origin main`)"
	}
	return "check the name, and fetch it if it is another branch (`git fetch origin main`; in CI, " +
		"actions/checkout with `fetch-depth: 0`)"
}

// rebase turns repository-relative paths into paths relative to dir,
// dropping files that no longer exist (a binary file deleted since rev).
func rebase(byRoot map[string]Change, root, dir string) (map[string]Change, error) {
	realRoot, err := realPath(root)
	if err != nil {
		return nil, err
	}
	realDir, err := realPath(dir)
	if err != nil {
		return nil, err
	}
	out := make(map[string]Change, len(byRoot))
	for p, c := range byRoot {
		abs := filepath.Join(realRoot, filepath.FromSlash(p))
		if _, err := os.Lstat(abs); err != nil {
			continue
		}
		rel, err := filepath.Rel(realDir, abs)
		if err != nil {
			return nil, err
		}
		out[filepath.ToSlash(rel)] = c
	}
	return out, nil
}

func realPath(p string) (string, error) {
	abs, err := filepath.Abs(p)
	if err != nil {
		return "", err
	}
	return filepath.EvalSymlinks(abs)
}

// Error is a git command that failed, with what it printed on stderr.
type Error struct {
	Args    []string
	Message string
	Err     error
}

func (e *Error) Error() string {
	if e.Message == "" {
		return fmt.Sprintf("git %s: %v", strings.Join(e.Args, " "), e.Err)
	}
	return e.Message
}

func (e *Error) Unwrap() error { return e.Err }

// git runs git -C dir args and returns its standard output. A failure is
// an *Error with git's message (its stderr, trimmed, one line per line).
func git(dir string, args ...string) ([]byte, error) {
	full := append([]string{"-C", dir}, args...)
	cmd := exec.Command("git", full...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		return nil, &Error{Args: args, Message: strings.TrimSpace(stderr.String()), Err: err}
	}
	return stdout.Bytes(), nil
}

// ParsePatch reads the output of `git diff --unified=0` with a/ and b/
// prefixes and returns the changed lines of each file, keyed by its path in
// the new version (repository-relative, slash-separated). A file added
// since the old version is All; a deleted file is absent; a file with no
// hunk (renamed, mode changed, binary) is absent. Hunk bodies are read line
// by line, so context lines, should there be any, are not counted.
func ParsePatch(patch []byte) (map[string]Change, error) {
	out := map[string]Change{}
	sets := map[string]map[int]bool{}
	var (
		cur      string // the current file's new path; "" when deleted or unknown
		fromNull bool   // the current file's old side is /dev/null
		inHunk   bool
		newLine  int  // the next line of the new version in the hunk
		deleting bool // a run of '-' lines not yet followed by '+'
	)
	mark := func(n int) {
		if cur == "" || n < 1 {
			return
		}
		if sets[cur] == nil {
			sets[cur] = map[int]bool{}
		}
		sets[cur][n] = true
	}
	// endDeletion marks the lines on either side of a pure deletion.
	endDeletion := func() {
		if deleting {
			mark(newLine - 1)
			mark(newLine)
			deleting = false
		}
	}
	lines := bytes.Split(patch, []byte("\n"))
	for i, raw := range lines {
		line := string(raw)
		switch {
		case strings.HasPrefix(line, "diff --git "):
			endDeletion()
			cur, fromNull, inHunk = "", false, false
		case !inHunk && strings.HasPrefix(line, "--- "):
			fromNull = line == "--- /dev/null"
		case !inHunk && strings.HasPrefix(line, "+++ "):
			name := strings.TrimPrefix(line, "+++ ")
			if name == "/dev/null" {
				cur = ""
				continue
			}
			p, err := unquotePath(name)
			if err != nil {
				return nil, fmt.Errorf("git diff output, line %d: %w", i+1, err)
			}
			cur = p
			if fromNull {
				out[cur] = Change{All: true}
			}
		case strings.HasPrefix(line, "@@ "):
			endDeletion()
			start, count, err := parseHunkHeader(line)
			if err != nil {
				return nil, fmt.Errorf("git diff output, line %d: %w", i+1, err)
			}
			inHunk = true
			newLine = start
			if count == 0 {
				// "+c,0": the deletion follows line c.
				newLine = start + 1
			}
		case inHunk && strings.HasPrefix(line, "+"):
			deleting = false
			mark(newLine)
			newLine++
		case inHunk && strings.HasPrefix(line, "-"):
			deleting = true
		case inHunk && strings.HasPrefix(line, " "):
			endDeletion()
			newLine++
		case inHunk && strings.HasPrefix(line, `\`):
			// "\ No newline at end of file"
		default:
			endDeletion()
			inHunk = false
		}
	}
	endDeletion()
	for p, set := range sets {
		if out[p].All {
			continue
		}
		ls := make([]int, 0, len(set))
		for n := range set {
			ls = append(ls, n)
		}
		sort.Ints(ls)
		out[p] = Change{Lines: ls}
	}
	return out, nil
}

// unquotePath decodes the path of a "+++ b/path" line: git appends a tab
// to a name that contains a space, and quotes a name with special
// characters C-style (octal escapes for bytes when core.quotepath is on).
func unquotePath(name string) (string, error) {
	name = strings.TrimSuffix(name, "\t")
	if strings.HasPrefix(name, `"`) {
		u, err := strconv.Unquote(name)
		if err != nil {
			return "", fmt.Errorf("cannot decode quoted path %s: %w", name, err)
		}
		name = u
	}
	p, ok := strings.CutPrefix(name, "b/")
	if !ok {
		return "", fmt.Errorf("path %q lacks the b/ prefix", name)
	}
	return p, nil
}

// parseHunkHeader reads the new side "+c[,d]" of "@@ -a[,b] +c[,d] @@".
func parseHunkHeader(line string) (start, count int, err error) {
	fields := strings.Fields(line)
	if len(fields) < 4 || fields[0] != "@@" || !strings.HasPrefix(fields[2], "+") {
		return 0, 0, fmt.Errorf("malformed hunk header %q", line)
	}
	s, c, hasCount := strings.Cut(fields[2][1:], ",")
	start, err = strconv.Atoi(s)
	if err != nil {
		return 0, 0, fmt.Errorf("malformed hunk header %q", line)
	}
	count = 1
	if hasCount {
		if count, err = strconv.Atoi(c); err != nil {
			return 0, 0, fmt.Errorf("malformed hunk header %q", line)
		}
	}
	return start, count, nil
}

// BinaryPaths reads `git diff --numstat -z` and returns the new paths of
// the binary files ("-\t-\t" counts).
func BinaryPaths(numstat []byte) []string {
	var out []string
	recs := strings.Split(string(numstat), "\x00")
	for i := 0; i < len(recs); i++ {
		rec := recs[i]
		if rec == "" {
			continue
		}
		parts := strings.SplitN(rec, "\t", 3)
		if len(parts) != 3 {
			continue
		}
		p := parts[2]
		if p == "" {
			// A rename: "added\tdeleted\t\0old\0new\0".
			if i+2 >= len(recs) {
				break
			}
			p = recs[i+2]
			i += 2
		}
		if parts[0] == "-" && parts[1] == "-" {
			out = append(out, p)
		}
	}
	return out
}
