package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"gopkg.in/yaml.v3"
)

// hook is one entry of .pre-commit-hooks.yaml.
type hook struct {
	ID            string `yaml:"id"`
	Name          string `yaml:"name"`
	Description   string `yaml:"description"`
	Entry         string `yaml:"entry"`
	Language      string `yaml:"language"`
	PassFilenames *bool  `yaml:"pass_filenames"`
	RequireSerial bool   `yaml:"require_serial"`
	Files         string `yaml:"files"`
}

var repoRoot = filepath.Join("..", "..")

func readHooks(t *testing.T) map[string]hook {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(repoRoot, ".pre-commit-hooks.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	var hooks []hook
	dec := yaml.NewDecoder(strings.NewReader(string(b)))
	dec.KnownFields(true)
	if err := dec.Decode(&hooks); err != nil {
		t.Fatal(err)
	}
	out := map[string]hook{}
	for _, h := range hooks {
		out[h.ID] = h
	}
	return out
}

// hookFleet is a repository with two MIs on one host that collide, and a
// dotted key the fix hook renames. The ignored key says 9300 while the
// listener runs on 9191 + 10 = 9201: the fix hook's safe fix keeps it
// there, writing 9191, and never moves it to 9310.
var hookFleet = map[string]string{
	"prod/h1/mi-a/conf/deployment.toml": "[server]\nhostname = \"a\"\n",
	"prod/h1/mi-b/conf/deployment.toml": "[server]\nhostname = \"b\"\n[mediation]\ninternal.http.api.port = 9300\n",
}

// TestHookFile checks the fields pre-commit relies on and runs each hook's
// exact entry as pre-commit would (no file names), in-process.
func TestHookFile(t *testing.T) {
	hooks := readHooks(t)
	for _, id := range []string{"wso2lint", "wso2lint-fix"} {
		h, ok := hooks[id]
		if !ok {
			t.Fatalf("hook %s missing", id)
		}
		if h.Language != "golang" || h.PassFilenames == nil || *h.PassFilenames || !h.RequireSerial || h.Name == "" || h.Description == "" {
			t.Errorf("%s: fields %+v", id, h)
		}
		re, err := regexp.Compile(h.Files)
		if err != nil {
			t.Fatalf("%s: files: %v", id, err)
		}
		for path, want := range map[string]bool{
			"prod/h1/mi-a/conf/deployment.toml": true, "deployment.toml": true, "a/conf/server/deployment.yaml": true,
			"mi/bin/micro-integrator.sh": true, "mi/bin/yajsw/wrapper.conf": true, "mi/wso2mi.service": true, "mi/mi.env": true,
			".wso2lint.yaml": true, "README.md": false, "deployment.toml.bak": false, "k8s/mydeployment.yaml": true,
			"docker-compose.yml": true, "h1/compose.override.yaml": true, "h1/.env": true, "env.example": false,
		} {
			if got := re.MatchString(path); got != want {
				t.Errorf("%s: files matches %s = %v, want %v", id, path, got, want)
			}
		}
		fields := strings.Fields(h.Entry)
		if fields[0] != "wso2lint" {
			t.Fatalf("%s: entry %q does not run wso2lint", id, h.Entry)
		}
		dir := writeTree(t, hookFleet)
		out, errOut, code := runIn(t, dir, fields[1:]...)
		if code != 1 || !strings.Contains(out, "P001") {
			t.Errorf("%s: exit %d, want 1 with the duplicate reported:\n%s%s", id, code, out, errOut)
		}
		b, _ := os.ReadFile(filepath.Join(dir, "prod/h1/mi-b/conf/deployment.toml"))
		fixed := strings.Contains(string(b), "internal_http_api_port = 9191")
		if fixed != (id == "wso2lint-fix") {
			t.Errorf("%s: K001 fixed = %v:\n%s", id, fixed, b)
		}
	}
}

// TestPreCommitFramework runs the hooks through the real pre-commit
// framework (`pre-commit try-repo`, which builds the hook with `go
// install` from this working tree) in a temporary git repository. It is
// skipped when pre-commit or git is not installed, or with -short.
func TestPreCommitFramework(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the hook with go install: skipped with -short")
	}
	for _, tool := range []string{"pre-commit", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s not installed", tool)
		}
	}
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, ".git")); err != nil {
		t.Skip("the source tree is not a git repository: try-repo needs one")
	}
	dir := writeTree(t, hookFleet)
	home := t.TempDir()
	ctx, cancel := context.WithTimeout(context.Background(), 8*time.Minute)
	defer cancel()
	// pre-commit builds the hook with `go install` in a fresh clone, with
	// GOPATH set to a fresh directory of its own whose module cache would
	// be empty: every run downloaded each dependency again. GOMODCACHE,
	// which wins over GOPATH, points it at the module cache this build
	// already has, and -trimpath keeps the clone's directory out of the
	// build cache's keys, so that the packages compiled for one try-repo
	// are reused by the next (each clones the tree anew).
	modCache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		t.Fatalf("go env GOMODCACHE: %v", err)
	}
	run := func(args ...string) (string, error) {
		cmd := exec.CommandContext(ctx, args[0], args[1:]...)
		cmd.Dir = dir
		cmd.Env = append(os.Environ(), "PRE_COMMIT_HOME="+home, "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
			"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "NO_COLOR=1",
			"GOMODCACHE="+strings.TrimSpace(string(modCache)), "GOFLAGS="+strings.TrimSpace(os.Getenv("GOFLAGS")+" -trimpath"))
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	for _, c := range [][]string{{"git", "init", "-q"}, {"git", "add", "-A"}, {"git", "commit", "-qm", "fleet"}} {
		if out, err := run(c...); err != nil {
			t.Fatalf("%v: %v\n%s", c, err, out)
		}
	}
	out, err := run("pre-commit", "try-repo", root, "wso2lint", "--all-files")
	if err == nil || !strings.Contains(out, "P001") {
		t.Fatalf("wso2lint hook: want a failure reporting P001, got err=%v:\n%s", err, out)
	}
	out, err = run("pre-commit", "try-repo", root, "wso2lint-fix", "--all-files")
	if err == nil {
		t.Fatalf("wso2lint-fix hook: the duplicate remains, want a failure:\n%s", out)
	}
	b, _ := os.ReadFile(filepath.Join(dir, "prod/h1/mi-b/conf/deployment.toml"))
	if !strings.Contains(string(b), "internal_http_api_port = 9191") {
		t.Errorf("wso2lint-fix hook did not apply the safe fix:\n%s\n%s", b, out)
	}
}
