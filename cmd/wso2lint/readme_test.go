package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/internal/gittest"
)

// readmeBlocks returns the fenced code blocks of the README with the given
// info string, each as its lines.
func readmeBlocks(t *testing.T, lang string) [][]string {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	var cur []string
	in := false
	for _, line := range strings.Split(string(src), "\n") {
		switch {
		case !in && line == "```"+lang:
			in, cur = true, nil
		case in && line == "```":
			in = false
			out = append(out, cur)
		case in:
			cur = append(cur, line)
		}
	}
	return out
}

// TestReadmeCommands runs every wso2lint command of the README's shell
// blocks, in order, on a copy of the shipped example fleet made a git
// repository with an origin/main (the README's paths, prod/..., are
// relative to a config repository such as that fleet): each must run as
// written, exiting 0 or 1, never with a usage error or a crash. A command
// piped into another program runs up to the pipe.
func TestReadmeCommands(t *testing.T) {
	gittest.Hermetic(t)
	dir := filepath.Join(t.TempDir(), "fleet")
	copyTree(t, filepath.Join(repoRoot, "testdata/examples/fleet"), dir)
	gittest.Run(t, dir, "init", "-q", "-b", "main")
	gittest.Run(t, dir, "add", "-A")
	gittest.Run(t, dir, "commit", "-q", "-m", "fleet")
	gittest.Run(t, dir, "update-ref", "refs/remotes/origin/main", "HEAD")
	n := 0
	for _, block := range readmeBlocks(t, "sh") {
		for _, line := range block {
			cmd := line
			if i := strings.Index(cmd, " #"); i >= 0 {
				cmd = cmd[:i]
			}
			if i := strings.Index(cmd, " | "); i >= 0 {
				cmd = cmd[:i]
			}
			fields := strings.Fields(cmd)
			if len(fields) == 0 || fields[0] != "wso2lint" {
				continue
			}
			n++
			out, errOut, code := runIn(t, dir, fields[1:]...)
			if code != exitOK && code != exitFindings {
				t.Errorf("README command %q: exit %d\n%s%s", cmd, code, out, errOut)
			}
		}
	}
	if n < 8 {
		t.Errorf("ran %d README commands, want at least 8: the README's blocks changed shape", n)
	}
}

// TestReadmeConsoleExamples runs the README's console examples from the
// repository root and compares what they print (stdout, then stderr) with
// what the README shows.
func TestReadmeConsoleExamples(t *testing.T) {
	n := 0
	for _, block := range readmeBlocks(t, "console") {
		if len(block) == 0 || !strings.HasPrefix(block[0], "$ wso2lint ") {
			t.Fatalf("a console block that does not start with a wso2lint command: %q", block)
		}
		n++
		args := strings.Fields(strings.TrimPrefix(block[0], "$ wso2lint "))
		root, err := filepath.Abs(repoRoot)
		if err != nil {
			t.Fatal(err)
		}
		out, errOut, _ := runIn(t, root, args...)
		if got, want := out+errOut, strings.Join(block[1:], "\n")+"\n"; got != want {
			t.Errorf("README example %q prints\n%s\nthe README shows\n%s", block[0], got, want)
		}
	}
	if n < 2 {
		t.Errorf("checked %d console examples, want at least 2", n)
	}
}
