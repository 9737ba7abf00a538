// Package gittest runs git in tests, isolated from the configuration of
// the user and the system and from any repository the test runs inside
// of, so that a test sees git's defaults wherever it runs.
package gittest

import (
	"os"
	"os/exec"
	"strings"
	"testing"
)

// Hermetic makes git ignore the user's and the system's configuration and
// any repository the test runs inside of (a pre-commit hook sets GIT_DIR),
// for the rest of the test. It skips the test when git is not installed.
func Hermetic(t testing.TB) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	for _, v := range []string{"GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_COMMON_DIR",
		"GIT_CEILING_DIRECTORIES", "GIT_EXTERNAL_DIFF", "GIT_DIFF_OPTS"} {
		t.Setenv(v, "")
		os.Unsetenv(v)
	}
	t.Setenv("HOME", t.TempDir())
	t.Setenv("GIT_CONFIG_NOSYSTEM", "1")
	t.Setenv("GIT_CONFIG_GLOBAL", os.DevNull)
	t.Setenv("GIT_AUTHOR_NAME", "wso2lint test")
	t.Setenv("GIT_AUTHOR_EMAIL", "test@example.com")
	t.Setenv("GIT_COMMITTER_NAME", "wso2lint test")
	t.Setenv("GIT_COMMITTER_EMAIL", "test@example.com")
}

// Run runs git with args in dir and fails the test, with git's output,
// when it fails.
func Run(t testing.TB, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=wso2lint test", "-c", "user.email=test@example.com"}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}
