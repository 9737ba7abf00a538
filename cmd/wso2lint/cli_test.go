package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// writeTree writes files under a new temporary directory and returns it.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	dir := t.TempDir()
	for name, content := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// twoMIs is a host with two default MIs (P001 on all four ports) and a
// K005 quoted number (off by default).
var twoMIs = map[string]string{
	"h/a/conf/deployment.toml": "[server]\nhostname = \"a\"\n",
	"h/b/conf/deployment.toml": "[server]\nhostname = \"b\"\n[transport.http]\nlistener.port = \"8280\"\n",
}

func TestExitCodes(t *testing.T) {
	dir := writeTree(t, twoMIs)
	clean := writeTree(t, map[string]string{"h/a/conf/deployment.toml": "[server]\noffset = 3\n"})
	empty := writeTree(t, map[string]string{"docs/README.md": "no configs here\n"})
	tests := []struct {
		name string
		dir  string
		args []string
		code int
		// errHas must appear in stderr.
		errHas string
	}{
		{"findings", dir, []string{"."}, 1, "Found 1 problem (1 error) in 1 file (2 files, 2 installs, 1 host checked)"},
		{"clean", clean, []string{"."}, 0, "No problems found"},
		{"exit-zero", dir, []string{"--exit-zero", "."}, 0, "Found 1 problem"},
		{"ignore all P", dir, []string{"--ignore", "P", "."}, 0, "No problems found"},
		{"fail-level above", dir, []string{"--select", "K005", "--fail-level", "warning", "."}, 0, "Found 1 problem (1 info)"},
		{"fail-level info", dir, []string{"--select", "K005", "--fail-level", "info", "."}, 1, "Found 1 problem"},
		{"flags after paths", dir, []string{".", "--select=quoted-number", "--fail-level=info"}, 1, "Found 1 problem"},
		{"unknown flag", dir, []string{"--bogus", "."}, 2, "flag provided but not defined: -bogus"},
		{"unknown selector", dir, []string{"--select", "Q9", "."}, 2, `unknown rule selector "Q9"`},
		{"bad fail level", dir, []string{"--fail-level", "loud", "."}, 2, `unknown severity "loud"`},
		{"bad format", dir, []string{"--format", "xml", "."}, 2, `unknown --format "xml"`},
		{"missing path", dir, []string{"nope"}, 2, "nope: no such file or directory"},
		{"quiet", dir, []string{"--quiet", "."}, 1, ""},
		{"nothing found", empty, []string{"docs"}, 0, "No problems found in 0 files, 0 installs, 0 hosts\nwso2lint: warning: no WSO2 configuration files found in docs\n"},
		{"nothing found json", empty, []string{"--format", "json"}, 0, "wso2lint: warning: no WSO2 configuration files found in .\n"},
		{"explain unknown", dir, []string{"explain", "Z001"}, 2, `unknown rule "Z001"`},
		{"explain no arg", dir, []string{"explain"}, 2, "explain wants one rule"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, errOut, code := runIn(t, tt.dir, tt.args...)
			if code != tt.code {
				t.Errorf("exit = %d, want %d (stderr %q)", code, tt.code, errOut)
			}
			if !strings.Contains(errOut, tt.errHas) {
				t.Errorf("stderr %q does not contain %q", errOut, tt.errHas)
			}
			if tt.name == "quiet" && errOut != "" {
				t.Errorf("--quiet printed %q on stderr", errOut)
			}
		})
	}
}

// TestConfigFile checks discovery of .wso2lint.yaml above the first path,
// its effect, --no-config, and that a broken one is exit 2 naming the line.
func TestConfigFile(t *testing.T) {
	files := map[string]string{".wso2lint.yaml": "ignore: [P001]\nseverity: {K005: error}\nselect: [ALL]\n"}
	for k, v := range twoMIs {
		files["fleet/"+k] = v
	}
	dir := writeTree(t, files)
	out, _, code := runIn(t, dir, "--format", "concise", "fleet")
	if code != 1 || strings.Contains(out, "P001") || !strings.Contains(out, "error: ") || !strings.Contains(out, "[K005]") {
		t.Errorf("with config: exit %d, output %q", code, out)
	}
	out, _, _ = runIn(t, dir, "--format", "concise", "--no-config", "fleet")
	if !strings.Contains(out, "[P001]") || strings.Contains(out, "[K005]") {
		t.Errorf("--no-config output %q", out)
	}
	if err := os.WriteFile(filepath.Join(dir, ".wso2lint.yaml"), []byte("select: [ALL]\nignroe: [P001]\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code := runIn(t, dir, "fleet")
	if code != 2 || !strings.Contains(errOut, `.wso2lint.yaml:2:1: unknown configuration key "ignroe"`) {
		t.Errorf("broken config: exit %d, stderr %q", code, errOut)
	}
}

// TestNamedFilesReportOnlyThem is the pre-commit case: the whole host is
// analysed, only the findings in the named files are reported, and a
// duplicate port between two installs is in the files of both: named
// alone, either install is told of it, at its own offset.
func TestNamedFilesReportOnlyThem(t *testing.T) {
	dir := writeTree(t, twoMIs)
	out, _, code := runIn(t, dir, "--format", "json", "h/a/conf/deployment.toml")
	if code != 1 {
		t.Errorf("exit %d: the duplicate is in a too", code)
	}
	var res struct{ Findings []jsonFinding }
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	if len(res.Findings) != 1 || res.Findings[0].File != "h/a/conf/deployment.toml" || res.Findings[0].Code != "P001" {
		t.Errorf("want the duplicate on the named file a: %+v", res.Findings)
	}
	out, _, code = runIn(t, dir, "--format", "concise", "h/b/conf/deployment.toml")
	if code != 1 || strings.Count(out, "[P001]") != 1 || !strings.HasPrefix(out, "h/b/conf/deployment.toml:") {
		t.Errorf("exit %d, output %q", code, out)
	}
	// K001 is not relational: it stays in its own file.
	if err := os.WriteFile(filepath.Join(dir, "h/b/conf/deployment.toml"), []byte("[server]\noffset = 30\n[mediation]\ninternal.http.api.port = 9300\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code = runIn(t, dir, "--format", "concise", "h/a/conf/deployment.toml")
	if code != 0 || out != "" {
		t.Errorf("a finding of b reported for a: exit %d, output %q", code, out)
	}
}

func TestRulesExplainVersion(t *testing.T) {
	out, _, code := runIn(t, t.TempDir(), "rules")
	if code != 0 || !strings.Contains(out, "P001  duplicate-port") || strings.Count(out, "\n") < 19 {
		t.Errorf("rules: exit %d\n%s", code, out)
	}
	for _, sel := range []string{"P001", "duplicate-port", "p001"} {
		out, _, code = runIn(t, t.TempDir(), "explain", sel)
		if code != 0 || !strings.HasPrefix(out, "P001 duplicate-port: ") || !strings.Contains(out, "Example (") {
			t.Errorf("explain %s: exit %d\n%s", sel, code, out)
		}
	}
	out, _, code = runIn(t, t.TempDir(), "version")
	if code != 0 || !strings.HasPrefix(out, "wso2lint ") {
		t.Errorf("version: %d %q", code, out)
	}
}

// TestColor checks that colour needs a terminal and yields to NO_COLOR
// and --no-color.
func TestColor(t *testing.T) {
	dir := writeTree(t, twoMIs)
	for _, tt := range []struct {
		tty     bool
		noColor string
		flag    bool
		want    bool
	}{{true, "", false, true}, {false, "", false, false}, {true, "1", false, false}, {true, "", true, false}} {
		var out, errb strings.Builder
		args := []string{"."}
		if tt.flag {
			args = append(args, "--no-color")
		}
		run(args, env{stdout: &out, stderr: &errb, tty: tt.tty, workDir: dir,
			getenv: func(k string) string {
				if k == "NO_COLOR" {
					return tt.noColor
				}
				return ""
			}})
		if got := strings.Contains(out.String(), "\x1b["); got != tt.want {
			t.Errorf("tty=%v NO_COLOR=%q --no-color=%v: colour %v, want %v", tt.tty, tt.noColor, tt.flag, got, tt.want)
		}
	}
}

// TestShowConfig checks --show-config names the file found above the
// first path and applies command-line flags.
func TestShowConfig(t *testing.T) {
	files := map[string]string{"proj/.wso2lint.yaml": "ignore: [K005]\nseverity: {P004: info}\n"}
	for k, v := range twoMIs {
		files["proj/fleet/"+k] = v
	}
	dir := writeTree(t, files)
	out, _, code := runIn(t, dir, "--show-config", "--fail-level", "error", "--select", "P", "proj/fleet")
	for _, want := range []string{"# configuration: proj/.wso2lint.yaml\n", "select:\n    - P\n", "ignore:\n    - K005\n", "fail-level: error\n", "P004: info\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("--show-config output lacks %q:\n%s", want, out)
		}
	}
	if code != 0 {
		t.Errorf("exit %d", code)
	}
	out, _, _ = runIn(t, dir, "--show-config", "--no-config", "proj/fleet")
	if !strings.HasPrefix(out, "# configuration: none: built-in defaults\n") {
		t.Errorf("--no-config: %s", out)
	}
}

// TestUserConfig checks the fallback to $XDG_CONFIG_HOME/wso2lint/config.yaml
// when no .wso2lint.yaml is found above the path.
func TestUserConfig(t *testing.T) {
	dir := writeTree(t, twoMIs)
	xdg := writeTree(t, map[string]string{"wso2lint/config.yaml": "ignore: [P001]\n"})
	var out, errb strings.Builder
	code := run([]string{"--format", "concise", "."}, env{stdout: &out, stderr: &errb, workDir: dir,
		getenv: func(k string) string {
			if k == "XDG_CONFIG_HOME" {
				return xdg
			}
			return ""
		}})
	if code != 0 || strings.Contains(out.String(), "P001") {
		t.Errorf("user config not applied: exit %d\n%s%s", code, out.String(), errb.String())
	}
}

// TestStdinFilename lints standard input as if it were the named file:
// the buffer wins over the disk, only its findings are reported, and a
// file that exists only in the editor works too.
func TestStdinFilename(t *testing.T) {
	dir := writeTree(t, twoMIs)
	buf := "[server]\nhostname = \"b\"\n[mediation]\ninternal.http.api.port = 9300\n"
	var out, errb strings.Builder
	code := run([]string{"--stdin-filename", "h/b/conf/deployment.toml", "--format", "concise", "--ignore", "P001"},
		env{stdin: strings.NewReader(buf), stdout: &out, stderr: &errb, workDir: dir, getenv: func(string) string { return "" }})
	if code != 1 || !strings.Contains(out.String(), "h/b/conf/deployment.toml:4:1: error: ") || strings.Contains(out.String(), "[K005]") {
		t.Errorf("exit %d\n%s%s", code, out.String(), errb.String())
	}
	out.Reset()
	code = run([]string{"--stdin-filename", "h/new/conf/deployment.toml", "--format", "concise"},
		env{stdin: strings.NewReader("[server]\nhostname = \"n\"\n"), stdout: &out, stderr: &errb, workDir: dir, getenv: func(string) string { return "" }})
	if code != 1 || strings.Count(out.String(), "[P001]") != 2 || !strings.HasPrefix(out.String(), "h/new/conf/deployment.toml:1:1:") {
		t.Errorf("unsaved file: exit %d\n%s", code, out.String())
	}
	_, errOut, code := runIn(t, dir, "--stdin-filename", "x/deployment.toml", "h")
	if code != 2 || !strings.Contains(errOut, "give no PATH") {
		t.Errorf("with a PATH: exit %d %q", code, errOut)
	}
}

// TestBaselineGate is the adoption path of a legacy repository: record the
// findings, then only new ones fail; entries that match nothing are
// reported, and fail the run with --fail-on-stale-baseline.
func TestBaselineGate(t *testing.T) {
	dir := writeTree(t, twoMIs)
	_, errOut, code := runIn(t, dir, "--write-baseline", "base.json", ".")
	if code != 0 || !strings.Contains(errOut, "wrote 1 findings to base.json") {
		t.Fatalf("--write-baseline: exit %d %q", code, errOut)
	}
	out, errOut, code := runIn(t, dir, "--baseline", "base.json", "--format", "concise", ".")
	if code != 0 || out != "" {
		t.Errorf("baselined run: exit %d\n%s%s", code, out, errOut)
	}
	// A new defect fails the gate alone.
	p := filepath.Join(dir, "h/a/conf/deployment.toml")
	if err := os.WriteFile(p, []byte("[server]\nhostname = \"a\"\n[mediation]\ninternal.http.api.port = 9300\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code = runIn(t, dir, "--baseline", "base.json", "--format", "concise", ".")
	if code != 1 || strings.Count(out, "\n") != 1 || !strings.Contains(out, "[K001]") {
		t.Errorf("new defect: exit %d\n%s", code, out)
	}
	// Fixing the duplicates leaves their entries stale.
	if err := os.WriteFile(filepath.Join(dir, "h/b/conf/deployment.toml"), []byte("[server]\noffset = 30\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, errOut, code = runIn(t, dir, "--baseline", "base.json", "--ignore", "K001", ".")
	if code != 0 || strings.Count(errOut, "stale baseline entry P001") != 1 {
		t.Errorf("stale entries: exit %d %q", code, errOut)
	}
	if _, _, code = runIn(t, dir, "--baseline", "base.json", "--ignore", "K001", "--fail-on-stale-baseline", "."); code != 1 {
		t.Errorf("--fail-on-stale-baseline: exit %d, want 1", code)
	}
	if _, errOut, code = runIn(t, dir, "--baseline", "missing.json", "."); code != 2 || !strings.Contains(errOut, "missing.json") {
		t.Errorf("missing baseline: exit %d %q", code, errOut)
	}
}

// TestOutputs checks --output FORMAT:FILE beside stdout, and the GitHub
// annotations and step summary added under GitHub Actions.
func TestOutputs(t *testing.T) {
	dir := writeTree(t, twoMIs)
	summary := filepath.Join(dir, "summary.md")
	var out, errb strings.Builder
	code := run([]string{"--format", "concise", "--output", "sarif:r.sarif", "--output", "junit:r.xml", "."},
		env{stdout: &out, stderr: &errb, workDir: dir, getenv: func(k string) string {
			switch k {
			case "GITHUB_ACTIONS":
				return "true"
			case "GITHUB_STEP_SUMMARY":
				return summary
			}
			return ""
		}})
	if code != 1 || !strings.Contains(out.String(), "[P001]") || !strings.Contains(out.String(), "::error file=h/b/conf/deployment.toml,line=1") {
		t.Errorf("stdout: exit %d\n%s", code, out.String())
	}
	for _, f := range []string{"r.sarif", "r.xml", "summary.md"} {
		b, err := os.ReadFile(filepath.Join(dir, f))
		if err != nil || !strings.Contains(string(b), "P001") {
			t.Errorf("%s: %v\n%s", f, err, b)
		}
	}
	out.Reset()
	run([]string{"--no-ci-detect", "--format", "json", "."}, env{stdout: &out, stderr: &errb, workDir: dir,
		getenv: func(k string) string { return map[string]string{"GITHUB_ACTIONS": "true"}[k] }})
	if strings.Contains(out.String(), "::error") {
		t.Errorf("--no-ci-detect still annotated")
	}
	if _, errOut, code := runIn(t, dir, "--output", "xml:x", "."); code != 2 || !strings.Contains(errOut, `unknown format "xml"`) {
		t.Errorf("bad --output: exit %d %q", code, errOut)
	}
}

// TestNewFromRev checks that only findings on lines changed since a git
// revision are reported.
func TestNewFromRev(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := writeTree(t, twoMIs)
	gitRun := func(args ...string) {
		cmd := exec.Command("git", append([]string{"-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %v: %v\n%s", args, err, out)
		}
	}
	gitRun("init", "-q")
	gitRun("add", "-A")
	gitRun("commit", "-qm", "fleet")
	p := filepath.Join(dir, "h/a/conf/deployment.toml")
	if err := os.WriteFile(p, []byte("[server]\nhostname = \"a\"\n[mediation]\ninternal.http.api.port = 9300\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code := runIn(t, dir, "--new-from-rev", "HEAD", "--format", "concise", "--ignore", "P001", ".")
	if code != 1 || !strings.Contains(out, "h/a/conf/deployment.toml:4:1") || strings.Count(out, "\n") != 1 {
		t.Errorf("exit %d\n%s", code, out)
	}
	if _, errOut, code := runIn(t, dir, "--new-from-rev", "no-such-rev", "."); code != 2 || !strings.Contains(errOut, "no-such-rev") {
		t.Errorf("unknown rev: exit %d %q", code, errOut)
	}
}

// TestForgottenInstallsCounted checks that a lint reports the installs it
// let go of once their host was linted: in the summary's counts, and in
// the JUnit report, which lists every linted file (so nothing is
// forgotten when one is written).
func TestForgottenInstallsCounted(t *testing.T) {
	tree := map[string]string{
		"h/a/conf/deployment.toml":     "[server]\noffset = 1\n",
		"h/b/conf/deployment.toml":     "[server]\noffset = 1\n",
		"clean/c/conf/deployment.toml": "[server]\noffset = 2\n",
		"clean/d/conf/deployment.toml": "[server]\noffset = 3\n",
	}
	dir := writeTree(t, tree)
	out, _, code := runIn(t, dir, "--format", "json", ".")
	var rep struct {
		Summary struct{ Files, Installs, Hosts, Findings int }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 1 {
		t.Fatalf("exit %d, %v\n%s", code, err, out)
	}
	if s := rep.Summary; s.Files != 4 || s.Installs != 4 || s.Hosts != 2 || s.Findings == 0 {
		t.Errorf("summary %+v, want 4 files, 4 installs, 2 hosts and P001", s)
	}
	out, _, _ = runIn(t, dir, "--format", "junit", ".")
	for p := range tree {
		if !strings.Contains(out, p) {
			t.Errorf("the JUnit report lacks %s:\n%s", p, out)
		}
	}
}

// TestForgottenHostLoadedAgain checks an EI Analytics server on a host
// with no finding, which the lint forgets, and which an MI's URL on
// another host names: C003 reports the MI, its related location points
// at the server's receiver, read again from the released file.
func TestForgottenHostLoadedAgain(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"dc/analytics/eia/conf/server/deployment.yaml": "wso2.carbon:\n  ports:\n    offset: 3\ndatabridge.config:\n  dataReceivers:\n" +
			"    - dataReceiver:\n        type: Thrift\n        properties:\n          tcpPort: '7611'\n          sslPort: '7711'\n",
		"dc/app1/mi/conf/deployment.toml": "[monitoring]\nei_analytics.server_url = \"tcp://analytics:7612\"\n",
		"dc/app2/mi/conf/deployment.toml": "[server]\noffset = 1\n",
	})
	out, _, code := runIn(t, dir, "--format", "json", "--no-config", ".")
	var rep struct {
		Findings []struct {
			Code, File string
			Related    []struct {
				File string
				Line int
			}
		}
		Summary struct{ Files, Installs, Hosts int }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil || code != 1 {
		t.Fatalf("exit %d, %v\n%s", code, err, out)
	}
	if len(rep.Findings) != 1 || rep.Findings[0].Code != "C003" || len(rep.Findings[0].Related) != 1 ||
		rep.Findings[0].Related[0].File != "dc/analytics/eia/conf/server/deployment.yaml" || rep.Findings[0].Related[0].Line != 9 {
		t.Errorf("want C003 on app1's MI related to the server's tcpPort on line 9:\n%s", out)
	}
	if s := rep.Summary; s.Files != 3 || s.Installs != 3 || s.Hosts != 3 {
		t.Errorf("summary %+v, want 3 files, 3 installs, 3 hosts", s)
	}
}
