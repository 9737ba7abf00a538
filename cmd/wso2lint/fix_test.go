package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/rewrite"
)

// This file tests --fix, --unsafe-fixes and --diff end to end on the
// fixtures under testdata/fixes. Each case is a directory holding
//
//	fleet/       the input tree, laid out like testdata/scenarios
//	args         optional: extra CLI arguments, one per line
//	             (default: --fix --unsafe-fixes --select ALL)
//	want/        the expected content of every file the fix changes, at
//	             the same path relative to fleet/; a file without a want/
//	             counterpart must come out byte-identical
//	fix.golden   stdout, stderr and exit code of the fix run
//
// The goldens are the spec: `go test ./cmd/wso2lint -run TestFixGoldens
// -update` rewrites want/ and fix.golden, which must then be reviewed.

// fixesDir holds the fix fixtures.
var fixesDir = filepath.Join("..", "..", "testdata", "fixes")

// defaultFixArgs are a case's arguments when it has no args file.
var defaultFixArgs = []string{"--fix", "--unsafe-fixes", "--select", "ALL"}

// fixCase is one directory under testdata/fixes.
type fixCase struct {
	name string
	// dir is the case's absolute directory.
	dir string
	// args are the fix run's arguments, without the trailing "fleet".
	args []string
}

func (c fixCase) fleetDir() string { return filepath.Join(c.dir, "fleet") }
func (c fixCase) wantDir() string  { return filepath.Join(c.dir, "want") }

// diffArgs are the case's arguments with --fix replaced by --diff.
func (c fixCase) diffArgs() []string {
	var out []string
	for _, a := range c.args {
		if a == "--fix" {
			a = "--diff"
		}
		out = append(out, a)
	}
	return out
}

// loadFixCases lists the cases under testdata/fixes in name order.
func loadFixCases(t *testing.T) []fixCase {
	t.Helper()
	dirs, err := filepath.Glob(filepath.Join(fixesDir, "*"))
	if err != nil {
		t.Fatal(err)
	}
	var out []fixCase
	for _, d := range dirs {
		if fi, err := os.Stat(filepath.Join(d, "fleet")); err != nil || !fi.IsDir() {
			continue
		}
		abs, err := filepath.Abs(d)
		if err != nil {
			t.Fatal(err)
		}
		c := fixCase{name: filepath.Base(d), dir: abs, args: defaultFixArgs}
		if b, err := os.ReadFile(filepath.Join(abs, "args")); err == nil {
			c.args = nil
			for _, l := range strings.Split(string(b), "\n") {
				if l = strings.TrimSpace(l); l != "" {
					c.args = append(c.args, l)
				}
			}
		} else if !os.IsNotExist(err) {
			t.Fatal(err)
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		t.Fatalf("no fix fixtures under %s", fixesDir)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out
}

// copyTree copies the regular files under src to dst, keeping their
// bytes and permission bits.
func copyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s: not a regular file", p)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		return os.WriteFile(target, b, fi.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
}

// readTree returns every regular file under root by its /-separated path
// relative to root; an absent root is an empty tree.
func readTree(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	if _, err := os.Stat(root); os.IsNotExist(err) {
		return out
	}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		out[filepath.ToSlash(rel)] = string(b)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// compareTrees reports every difference between two trees: files added,
// removed or changed.
func compareTrees(t *testing.T, what string, want, got map[string]string) {
	t.Helper()
	for _, rel := range sortedKeys(want) {
		g, ok := got[rel]
		switch {
		case !ok:
			t.Errorf("%s: %s is missing", what, rel)
		case g != want[rel]:
			t.Errorf("%s: %s differs\n got: %q\nwant: %q", what, rel, g, want[rel])
		}
	}
	for _, rel := range sortedKeys(got) {
		if _, ok := want[rel]; !ok {
			t.Errorf("%s: unexpected file %s (a temporary file left behind?)", what, rel)
		}
	}
}

// runFixCase copies the case's fleet to a new temporary directory, runs
// args (followed by "fleet") there, and returns the directory and the
// run's output.
func runFixCase(t *testing.T, c fixCase, args []string) (dir, stdout, stderr string, code int) {
	t.Helper()
	dir = t.TempDir()
	copyTree(t, c.fleetDir(), filepath.Join(dir, "fleet"))
	stdout, stderr, code = runIn(t, dir, append(append([]string{}, args...), "fleet")...)
	return dir, stdout, stderr, code
}

// expectedTree is the fleet a case's fix run must leave: the input with
// every file that has a want/ counterpart replaced by it.
func expectedTree(t *testing.T, c fixCase) map[string]string {
	t.Helper()
	in := readTree(t, c.fleetDir())
	out := make(map[string]string, len(in))
	for k, v := range in {
		out[k] = v
	}
	for rel, w := range readTree(t, c.wantDir()) {
		if _, ok := in[rel]; !ok {
			t.Fatalf("want/%s has no input file fleet/%s", rel, rel)
		}
		if w == in[rel] {
			t.Errorf("want/%s equals its input: delete it (files the fix leaves alone need no golden)", rel)
		}
		out[rel] = w
	}
	return out
}

// writeWant replaces the case's want/ directory by the files of got that
// differ from the input.
func writeWant(t *testing.T, c fixCase, got map[string]string) {
	t.Helper()
	if err := os.RemoveAll(c.wantDir()); err != nil {
		t.Fatal(err)
	}
	in := readTree(t, c.fleetDir())
	for rel, g := range got {
		if in[rel] == g {
			continue
		}
		p := filepath.Join(c.wantDir(), filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(g), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestFixGoldens runs each case's fix and compares every file of the fleet
// with its golden (want/...) or, when it has none, with its input.
func TestFixGoldens(t *testing.T) {
	for _, c := range loadFixCases(t) {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel() // each case has its own copy, golden and want/
			dir, out, errOut, code := runFixCase(t, c, c.args)
			if code == exitInternal || code == exitUsage {
				t.Errorf("exit %d\n%s%s", code, out, errOut)
			}
			golden(t, filepath.Join(c.dir, "fix.golden"), fmt.Sprintf("%s--- stderr\n%s--- exit %d\n", out, errOut, code))
			got := readTree(t, filepath.Join(dir, "fleet"))
			if *update {
				writeWant(t, c, got)
				return
			}
			compareTrees(t, "fixed fleet", expectedTree(t, c), got)
		})
	}
}

// TestFixDiffEquivalence checks that --diff shows exactly what --fix
// writes: the diff, applied to a fresh copy with `git apply` and with
// `patch -p1`, gives the --fix result byte for byte. --diff itself must
// write nothing and exit 1 when it shows a change, 0 when it does not.
func TestFixDiffEquivalence(t *testing.T) {
	git, gitErr := exec.LookPath("git")
	patch, patchErr := exec.LookPath("patch")
	for _, c := range loadFixCases(t) {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel() // each run copies the case's fleet into its own directory
			input := readTree(t, c.fleetDir())
			fixDir, fixOut, fixErr, _ := runFixCase(t, c, c.args)
			fixed := readTree(t, filepath.Join(fixDir, "fleet"))
			changed := map[string]bool{}
			for rel := range fixed {
				if fixed[rel] != input[rel] {
					changed[rel] = true
				}
			}

			diffDir, diff, diffErr, code := runFixCase(t, c, c.diffArgs())
			compareTrees(t, "--diff wrote to the fleet", input, readTree(t, filepath.Join(diffDir, "fleet")))
			wantCode := exitOK
			if len(changed) > 0 {
				wantCode = exitFindings
			}
			if code != wantCode {
				t.Errorf("--diff exit %d, want %d (changed files: %v)\n%s", code, wantCode, sortedKeys(changed), diffErr)
			}
			if len(changed) == 0 {
				if diff != "" {
					t.Errorf("--diff printed a diff although --fix changes nothing:\n%s", diff)
				}
				return
			}
			// The diff names exactly the changed files, as a/ and b/ paths
			// relative to the working directory.
			var named []string
			for _, l := range strings.Split(diff, "\n") {
				if p, ok := strings.CutPrefix(l, "+++ b/"); ok {
					named = append(named, strings.TrimPrefix(p, "fleet/"))
				}
			}
			sort.Strings(named)
			if fmt.Sprint(named) != fmt.Sprint(sortedKeys(changed)) {
				t.Errorf("--diff names %v, --fix changed %v\n--fix output:\n%s%s", named, sortedKeys(changed), fixOut, fixErr)
			}

			apply := func(t *testing.T, name string, argv ...string) {
				dir := t.TempDir()
				copyTree(t, c.fleetDir(), filepath.Join(dir, "fleet"))
				patchFile := filepath.Join(t.TempDir(), "fix.patch")
				if err := os.WriteFile(patchFile, []byte(diff), 0o644); err != nil {
					t.Fatal(err)
				}
				cmd := exec.Command(argv[0], append(argv[1:], patchFile)...)
				cmd.Dir = dir
				// git must not look for a repository above the copy.
				cmd.Env = append(os.Environ(), "GIT_CEILING_DIRECTORIES="+filepath.Dir(dir), "LC_ALL=C")
				out, err := cmd.CombinedOutput()
				if err != nil {
					t.Fatalf("%s rejects the --diff output: %v\n%s\n--- diff\n%s", name, err, out, diff)
				}
				compareTrees(t, name+" result vs --fix", fixed, readTree(t, filepath.Join(dir, "fleet")))
			}
			t.Run("git-apply", func(t *testing.T) {
				if gitErr != nil {
					t.Skip("git is not on PATH")
				}
				apply(t, "git apply", git, "apply", "--whitespace=nowarn")
			})
			t.Run("patch-p1", func(t *testing.T) {
				if patchErr != nil {
					t.Skip("patch is not on PATH")
				}
				apply(t, "patch -p1", patch, "-p1", "--batch", "--silent", "--no-backup-if-mismatch", "-i")
			})
		})
	}
}

// parseFindings returns the findings of a --format json report.
func parseFindings(t *testing.T, out string) []jsonFinding {
	t.Helper()
	var r struct {
		Findings []jsonFinding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("output is not JSON: %v\n%s", err, out)
	}
	return r.Findings
}

func fixCaseNamed(t *testing.T, name string) fixCase {
	t.Helper()
	for _, c := range loadFixCases(t) {
		if c.name == name {
			return c
		}
	}
	t.Fatalf("no fix fixture %q", name)
	return fixCase{}
}

// TestFixWithheldBySafetyNet: a K002 rename that would activate a port
// another install already uses is withheld even with --unsafe-fixes; the
// finding stays, says why, offers no fix, and the file is not touched.
func TestFixWithheldBySafetyNet(t *testing.T) {
	c := fixCaseNamed(t, "withheld")
	dir, out, errOut, code := runFixCase(t, c, append(append([]string{}, c.args...), "--format", "json"))
	if code != exitFindings {
		t.Errorf("exit %d, want 1\n%s", code, errOut)
	}
	compareTrees(t, "withheld fleet", readTree(t, c.fleetDir()), readTree(t, filepath.Join(dir, "fleet")))
	var k001 []jsonFinding
	for _, f := range parseFindings(t, out) {
		if f.Code == "K002" {
			k001 = append(k001, f)
		}
		if f.Code == "P001" {
			t.Errorf("the withheld rename still produced a duplicate: %s:%d %s", f.File, f.Line, f.Message)
		}
	}
	if len(k001) != 1 {
		t.Fatalf("want the K002 finding to remain, got %d K002 findings\n%s", len(k001), out)
	}
	f := k001[0]
	if f.File != "fleet/h1/mi-b/conf/deployment.toml" || f.Line != 6 {
		t.Errorf("K002 at %s:%d, want fleet/h1/mi-b/conf/deployment.toml:6", f.File, f.Line)
	}
	if !strings.Contains(f.Message, "fix withheld") || !strings.Contains(f.Message, "P001") {
		t.Errorf("message does not say the fix was withheld because of P001: %s", f.Message)
	}
	if f.Fix != nil {
		t.Errorf("withheld finding still offers a fix: %+v", f.Fix)
	}
}

// TestFixSafeOnly: --fix without --unsafe-fixes applies the safe fixes,
// leaves the unsafe ones offered, and says how many --unsafe-fixes would
// fix.
func TestFixSafeOnly(t *testing.T) {
	c := fixCaseNamed(t, "safe-only")
	if fmt.Sprint(c.args) != "[--fix --select ALL]" {
		t.Fatalf("safe-only must run without --unsafe-fixes, args %v", c.args)
	}
	_, out, _, code := runFixCase(t, c, append(append([]string{}, c.args...), "--format", "json"))
	if code != exitFindings {
		t.Errorf("exit %d, want 1 (unsafe findings remain)", code)
	}
	unsafe := map[string]int{}
	for _, f := range parseFindings(t, out) {
		if f.Fix == nil || f.Suppressed {
			continue
		}
		if f.Fix.Applicability != "unsafe" {
			t.Errorf("a safe fix remains after --fix: %s %s:%d %s", f.Code, f.File, f.Line, f.Message)
			continue
		}
		unsafe[f.Code]++
	}
	for _, code := range []string{"O004", "K003", "P001"} {
		if unsafe[code] == 0 {
			t.Errorf("no %s finding with an unsafe fix remains: %v", code, unsafe)
		}
	}
	_, _, errOut, _ := runFixCase(t, c, c.args)
	if !strings.Contains(errOut, "--unsafe-fixes") {
		t.Errorf("the summary does not mention --unsafe-fixes:\n%s", errOut)
	}
}

// portsReport is the part of `ports --format json` the tests read.
type portsReport struct {
	Hosts []struct {
		Name     string `json:"name"`
		Installs []struct {
			Root    string `json:"root"`
			Product string `json:"product"`
			Runtime string `json:"runtime"`
			Offset  *int   `json:"offset"`
			Ports   []struct {
				Name       string `json:"name"`
				Effective  *int   `json:"effective"`
				Bind       string `json:"bind"`
				Unverified bool   `json:"unverified"`
				Published  []struct {
					Port *int `json:"port"`
				} `json:"published"`
			} `json:"ports"`
		} `json:"installs"`
	} `json:"hosts"`
	Skipped []struct {
		File string `json:"file"`
	} `json:"skipped"`
}

// portsOf runs `ports --format json` on paths (the fleet folder when none)
// in dir.
func portsOf(t *testing.T, dir string, paths ...string) portsReport {
	t.Helper()
	if len(paths) == 0 {
		paths = []string{"fleet"}
	}
	out, errOut, code := runIn(t, dir, append([]string{"ports", "--format", "json"}, paths...)...)
	if code != exitOK {
		t.Fatalf("ports: exit %d\n%s", code, errOut)
	}
	var r portsReport
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("ports output is not JSON: %v\n%s", err, out)
	}
	return r
}

// wildcard reports whether a bind address overlaps every address.
func wildcard(bind string) bool { return bind == "" || bind == "0.0.0.0" || bind == "::" }

// portClashes lists every pair of listeners on one host that share an
// effective port on overlapping addresses.
func portClashes(r portsReport) []string {
	type held struct{ who, bind string }
	var out []string
	for _, h := range r.Hosts {
		by := map[int][]held{}
		for _, in := range h.Installs {
			for _, p := range in.Ports {
				if p.Effective == nil || p.Unverified {
					continue
				}
				who := fmt.Sprintf("%s/%s %s", in.Root, in.Runtime, p.Name)
				for _, o := range by[*p.Effective] {
					if wildcard(o.bind) || wildcard(p.Bind) || o.bind == p.Bind {
						out = append(out, fmt.Sprintf("%s: %d held by %s and %s", h.Name, *p.Effective, o.who, who))
					}
				}
				by[*p.Effective] = append(by[*p.Effective], held{who, p.Bind})
			}
		}
	}
	return out
}

// offsetsOf maps "root/runtime" to the offset of every runtime.
func offsetsOf(r portsReport) map[string]int {
	out := map[string]int{}
	for _, h := range r.Hosts {
		for _, in := range h.Installs {
			if in.Offset != nil {
				out[in.Root+"/"+in.Runtime] = *in.Offset
			}
		}
	}
	return out
}

// TestFixP001Reassign re-assigns offsets on a host of six installs, two
// of them EI Analytics (README.md of the fixture works the plan out): no
// duplicate port remains, the first install keeps its offset, and exactly
// the four runtimes in conflict with an earlier one move, to the smallest
// clearing offsets.
func TestFixP001Reassign(t *testing.T) {
	c := fixCaseNamed(t, "p001-reassign")
	dir := t.TempDir()
	copyTree(t, c.fleetDir(), filepath.Join(dir, "fleet"))
	before := portsOf(t, dir)
	if len(portClashes(before)) == 0 {
		t.Fatal("the fixture has no duplicate port to fix")
	}
	if len(before.Hosts) != 1 || len(before.Hosts[0].Installs) != 8 {
		t.Fatalf("want one host with 8 runtimes (4 MI + 2×2 EI Analytics), got %+v", before.Hosts)
	}
	out, errOut, code := runIn(t, dir, "--fix", "--unsafe-fixes", "--format", "concise", "fleet")
	if code != exitOK {
		t.Errorf("exit %d, want 0: everything fixed\n%s%s", code, out, errOut)
	}
	after := portsOf(t, dir)
	for _, cl := range portClashes(after) {
		t.Errorf("duplicate after the fix: %s", cl)
	}
	got := offsetsOf(after)
	want := map[string]int{
		"fleet/h1/a-mi/": 10, "fleet/h1/b-eia/portal": 2, "fleet/h1/b-eia/server": 1,
		"fleet/h1/c-mi/": 11, "fleet/h1/d-eia/portal": 3, "fleet/h1/d-eia/server": 2,
		"fleet/h1/e-mi/": 3, "fleet/h1/f-mi/": 20,
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("offsets after the fix\n got: %v\nwant: %v", got, want)
	}
	if first := before.Hosts[0].Installs[0]; first.Root != "fleet/h1/a-mi" || got["fleet/h1/a-mi/"] != *first.Offset {
		t.Errorf("the first install in path order changed its offset: %v", got)
	}
	in, now := readTree(t, c.fleetDir()), readTree(t, filepath.Join(dir, "fleet"))
	var changed []string
	for _, rel := range sortedKeys(in) {
		if in[rel] != now[rel] {
			changed = append(changed, rel)
		}
	}
	wantChanged := []string{
		"h1/c-mi/conf/deployment.toml",
		"h1/d-eia/conf/portal/deployment.yaml",
		"h1/d-eia/conf/server/deployment.yaml",
		"h1/e-mi/conf/deployment.toml",
	}
	if fmt.Sprint(changed) != fmt.Sprint(wantChanged) {
		t.Errorf("changed files\n got: %v\nwant: %v", changed, wantChanged)
	}
}

// TestFixP001ClearsLaterInstalls: the offset P001 picks for a moved
// install must also clear the installs after it that do not move.
// P001's fix promises "the smallest offset ≥ its own that clears every
// conflict"; an offset that lands on a later install's ports is not a
// fix, and the safety net would only withhold it, leaving the duplicate.
//
// h1/a and h1/b both run on the default offset 10; h1/c writes offset 11
// and collides with nothing. b must move; 11 would collide with c, so the
// fix is offset 12, and c stays where it is (the fewest installs move).
func TestFixP001ClearsLaterInstalls(t *testing.T) {
	dir := writeTree(t, map[string]string{
		"fleet/h1/a/conf/deployment.toml": "[server]\nhostname = \"a\"\n",
		"fleet/h1/b/conf/deployment.toml": "[server]\nhostname = \"b\"\n",
		"fleet/h1/c/conf/deployment.toml": "[server]\noffset = 11\n",
	})
	out, errOut, code := runIn(t, dir, "--fix", "--unsafe-fixes", "--format", "concise", "fleet")
	if code != exitOK {
		t.Errorf("exit %d, want 0: the duplicate has a fix (offset 12)\n%s%s", code, out, errOut)
	}
	for _, cl := range portClashes(portsOf(t, dir)) {
		t.Errorf("duplicate after the fix: %s", cl)
	}
	// One install moves (b, to 12): moving b to 11 and then c to 12
	// instead would move two installs where one suffices, and c collided
	// with nothing.
	got := readTree(t, filepath.Join(dir, "fleet"))
	want := map[string]string{
		"h1/a/conf/deployment.toml": "[server]\nhostname = \"a\"\n",
		"h1/b/conf/deployment.toml": "[server]\noffset = 12\nhostname = \"b\"\n",
		"h1/c/conf/deployment.toml": "[server]\noffset = 11\n",
	}
	compareTrees(t, "after the fix", want, got)
}

// TestFixP001StartupOffsetRefused: an install whose offset is passed at
// start-up through a variable (-DportOffset=$OFFSET in
// bin/micro-integrator.sh) cannot be moved by rewriting deployment.toml,
// nor the flag in place: the P001 findings say where to change it and to
// what, offer no fix, and no file changes.
func TestFixP001StartupOffsetRefused(t *testing.T) {
	c := fixCaseNamed(t, "p001-startup-variable")
	dir, out, errOut, code := runFixCase(t, c, []string{"--fix", "--unsafe-fixes", "--format", "json"})
	if code != exitFindings {
		t.Errorf("exit %d, want 1\n%s", code, errOut)
	}
	compareTrees(t, "start-up offset fleet", readTree(t, c.fleetDir()), readTree(t, filepath.Join(dir, "fleet")))
	n := 0
	for _, f := range parseFindings(t, out) {
		if f.Code != "P001" {
			continue
		}
		n++
		if !strings.Contains(f.Message, "-DportOffset=$OFFSET in fleet/h1/mi-b/bin/micro-integrator.sh, which cannot be rewritten in place; make it 11 there") {
			t.Errorf("P001 message does not say the offset must be changed in the start-up script: %s", f.Message)
		}
		if f.Fix != nil {
			t.Errorf("P001 offers a fix for a start-up offset: %+v", f.Fix)
		}
	}
	if n != 1 {
		t.Errorf("want 1 P001 finding (mi-b with mi-a), got %d\n%s", n, out)
	}
}

// TestFixWithheldRetried: a fix the safety net withholds because of the
// fleet as it stands must be tried again once other fixes have changed
// the fleet, or a second --fix run applies it and fix(fix(x)) != fix(x).
//
// h1/a's rename portOffset → offset moves a from the default offset 10
// to 1. Tried alone against the original fleet, h1/b's K002 rename would
// put b's internal HTTP API on 9190 + 11 = 9201, where a still is; after
// a's rename, 9201 is free. h2/c's rename would open port 80 (P003, a
// genuinely new warning): it is what makes the first batch fail the
// safety net, so that each fix is tried alone. Every one of these renames
// moves a running listener, so they are applied with --unsafe-fixes.
func TestFixWithheldRetried(t *testing.T) {
	input := map[string]string{
		"fleet/h1/a/conf/deployment.toml": "[server]\nportOffset = 1\n",
		"fleet/h1/b/conf/deployment.toml": "[server]\noffset = 11\n\n[mediation]\ninternal-http-api-port = 9190\n",
		"fleet/h2/c/conf/deployment.toml": "[server]\noffset = 0\n\n[transport.http]\nlistener.Port = 80\n",
	}
	dir := writeTree(t, input)
	out, errOut, code := runIn(t, dir, "--fix", "--unsafe-fixes", "--format", "concise", "fleet")
	if code == exitInternal {
		t.Fatalf("exit 3\n%s", errOut)
	}
	want := map[string]string{
		"h1/a/conf/deployment.toml": "[server]\noffset = 1\n",
		"h1/b/conf/deployment.toml": "[server]\noffset = 11\n\n[mediation]\ninternal_http_api_port = 9190\n",
		"h2/c/conf/deployment.toml": input["fleet/h2/c/conf/deployment.toml"],
	}
	compareTrees(t, "after the first --fix", want, readTree(t, filepath.Join(dir, "fleet")))
	if strings.Count(out, "fix withheld") != 1 || !strings.Contains(out, "P003") {
		t.Errorf("want only h2/c's rename withheld (P003), got:\n%s", out)
	}
	first := readTree(t, filepath.Join(dir, "fleet"))
	runIn(t, dir, "--fix", "--unsafe-fixes", "--format", "concise", "fleet")
	compareTrees(t, "a second --fix changed the fleet", first, readTree(t, filepath.Join(dir, "fleet")))
}

// fixAllBut runs the fix on case c's fleet copied into dir and checks
// that it exits 1 and writes every file of c's goldens but unchanged
// (relative to the fleet), which keeps its content.
func fixAllBut(t *testing.T, c fixCase, dir string, unchanged ...string) (stdout, stderr string) {
	t.Helper()
	stdout, stderr, code := runIn(t, dir, "--fix", "--unsafe-fixes", "--select", "ALL", "--format", "concise", "fleet")
	if code != exitFindings {
		t.Errorf("exit %d, want 1", code)
	}
	want := expectedTree(t, c)
	for _, u := range unchanged {
		want[u] = readTree(t, c.fleetDir())[u]
	}
	compareTrees(t, "fleet fixed but "+strings.Join(unchanged, ", "), want, readTree(t, filepath.Join(dir, "fleet")))
	return stdout, stderr
}

// TestFixUnwritableFile: with one file of the p001-reassign fleet
// read-only, every other fix is written, the read-only file is untouched,
// its P001 finding remains and says why its fix was not applied, an S003
// finding names the file, and the summary counts only what was written.
// P001's fix moves both runtimes of d-eia, so its server file is left
// unchanged too: a fix that spans files is written whole or not at all.
func TestFixUnwritableFile(t *testing.T) {
	c := fixCaseNamed(t, "p001-reassign")
	dir := t.TempDir()
	copyTree(t, c.fleetDir(), filepath.Join(dir, "fleet"))
	portal := "h1/d-eia/conf/portal/deployment.yaml"
	chmod(t, filepath.Join(dir, "fleet", portal), 0o444)
	out, errOut := fixAllBut(t, c, dir, portal, "h1/d-eia/conf/server/deployment.yaml")
	wantOut := "fleet/" + portal + ":1:1: error: fixes not written: file is read-only (mode -r--r--r--): permission denied [S003]\n" +
		"fleet/" + portal + ":5:5: error: fleet/h1/d-eia and fleet/h1/b-eia share 7 ports on host fleet/h1: " +
		"9645 (portal listener http:default-https, 9643 + offset 2 = 9645, in both), 9091 (server listener http:default, 9090 + offset 1 = 9091, in both), " +
		"9444 (server listener http:msf4j-https, 9443 + offset 1 = 9444, in both), 7612 (server listener thrift-tcp, 7611 + offset 1 = 7612, in both), " +
		"7712 (server listener thrift-ssl, 7711 + offset 1 = 7712, in both), 9612 (server listener binary-tcp, 9611 + offset 1 = 9612, in both) and " +
		"9712 (server listener binary-ssl, 9711 + offset 1 = 9712, in both) (fix not applied: fleet/" + portal + " cannot be written) [P001]\n"
	if out != wantOut {
		t.Errorf("stdout:\n%s\nwant:\n%s", out, wantOut)
	}
	if wantErr := "Fixed 3 problems, 2 remaining (2 errors) in 1 file (8 files, 6 installs, 1 host checked)\n"; errOut != wantErr {
		t.Errorf("stderr: %q, want %q", errOut, wantErr)
	}
}

// TestFixWriteFails: a write that fails after the checks (a full disk)
// leaves that file as it was, reports again what the first lint found in
// it with an S003 finding saying why, and takes its fixes off the count;
// the other files are written.
func TestFixWriteFails(t *testing.T) {
	c := fixCaseNamed(t, "p001-reassign")
	dir := t.TempDir()
	copyTree(t, c.fleetDir(), filepath.Join(dir, "fleet"))
	failing := "h1/c-mi/conf/deployment.toml"
	defer func(c func(*rewrite.Staged) error) { commitFile = c }(commitFile)
	real := commitFile
	commitFile = func(s *rewrite.Staged) error {
		if strings.HasSuffix(s.Path(), filepath.FromSlash(failing)) {
			return fmt.Errorf("%s: replacing file: no space left on device", s.Path())
		}
		return real(s)
	}
	out, errOut := fixAllBut(t, c, dir, failing)
	var lines []string
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		if !strings.HasPrefix(l, "fleet/"+failing+":") {
			t.Errorf("finding outside the file that failed: %s", l)
		}
		lines = append(lines, l)
	}
	if len(lines) != 2 || strings.Count(out, "(fix not written) [P001]") != 1 || !strings.Contains(out, "error: fixes not written: replacing file: no space left on device [S003]") {
		t.Errorf("want c-mi's P001 finding and one S003, got:\n%s", out)
	}
	if wantErr := "Fixed 3 problems, 2 remaining (2 errors) in 1 file (8 files, 6 installs, 1 host checked)\n"; errOut != wantErr {
		t.Errorf("stderr: %q, want %q", errOut, wantErr)
	}
}
