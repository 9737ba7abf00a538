package lint_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/internal/srcpos"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/rewrite"
	"github.com/wso2lint/wso2lint/rules"
)

// TestApplyFixesLeave checks that a fix editing a file the caller must
// leave alone is applied in none of its files, that the count leaves it
// out, and that its finding says why, while a fix elsewhere is applied.
func TestApplyFixesLeave(t *testing.T) {
	dir, opt, load := twoFileFixFleet(t)
	a, b, c := fixA, fixB, fixC
	leave := map[string]string{filepath.Join(dir, b): b + " cannot be written"}
	res, err := lint.ApplyFixes(load, opt, lint.FixOptions{Leave: leave})
	if err != nil {
		t.Fatal(err)
	}
	var changed []string
	for _, f := range res.Files {
		changed = append(changed, f.Path+"="+strings.SplitN(string(f.Fixed), "\n", 2)[0])
	}
	if got := strings.Join(changed, " "); got != c+"=# fixed" {
		t.Errorf("changed files: %s, want only %s", got, c)
	}
	if res.Fixed != 1 {
		t.Errorf("Fixed = %d, want 1", res.Fixed)
	}
	if len(res.Findings) != 1 {
		t.Fatalf("%d findings remain, want a's: %v", len(res.Findings), res.Findings)
	}
	f := res.Findings[0]
	if f.File.Path != a || f.Fix != nil || f.Message != "first line (fix not applied: "+b+" cannot be written)" {
		t.Errorf("remaining finding %s %q fix=%v, want a's, saying why and offering no fix", f.File.Path, f.Message, f.Fix)
	}
	if len(res.Before) != 2 {
		t.Errorf("Before holds %d findings, want the first lint's 2", len(res.Before))
	}

	// Without Leave both fixes are applied, and the two-file one counts
	// in each file it edits.
	res, err = lint.ApplyFixes(load, opt, lint.FixOptions{})
	if err != nil {
		t.Fatal(err)
	}
	resolved := map[string]int{}
	for _, f := range res.Files {
		resolved[f.Path] = f.Resolved
	}
	if res.Fixed != 2 || len(res.Findings) != 0 || resolved[a] != 1 || resolved[b] != 1 || resolved[c] != 1 {
		t.Errorf("Fixed = %d, %d remaining, resolved per file %v; want 2, 0, 1 in each", res.Fixed, len(res.Findings), resolved)
	}
}

const (
	fixA = "h1/mi-a/conf/deployment.toml"
	fixB = "h1/mi-b/conf/deployment.toml"
	fixC = "h2/mi-c/conf/deployment.toml"
)

// twoFileFixFleet writes three MIs, fixA and fixB on one host and fixC on
// another, and returns the options and loader of a run of one rule. It
// reports once on fixA and once on fixC while their first line is still
// "[server]"; fixA's fix puts a comment above the first line of fixA and
// fixB together, fixC's above that of fixC alone.
func twoFileFixFleet(t *testing.T) (string, lint.Options, lint.Loader) {
	t.Helper()
	dir := t.TempDir()
	toml := "[server]\nhostname = \"localhost\"\n"
	writeFiles(t, dir, map[string]string{fixA: toml, fixB: toml, fixC: toml})
	rule := &lint.Rule{Code: "Z901", Name: "test-two-file-fix", Severity: lint.Warning, Scope: lint.HostScope,
		Check: func(p *lint.Pass) {
			for _, in := range p.Fleet.Installs {
				f := in.Runtimes[0].File
				if !strings.HasPrefix(string(f.Src), "[server]") || f.Path == fixB {
					continue
				}
				edits := []rewrite.Edit{{Path: f.Path, Start: 0, End: 0, New: "# fixed\n"}}
				if f.Path == fixA {
					edits = append(edits, rewrite.Edit{Path: fixB, Start: 0, End: 0, New: "# fixed\n"})
				}
				fd := p.Reportf(f, srcpos.Span{Start: 0, End: 8}, in, "", "first line")
				fd.Fix = &lint.Fix{Applicability: lint.Safe, Edits: edits}
			}
		}}
	opt := lint.Options{Rules: []*lint.Rule{rule, rules.UnreadableFile}, Enabled: map[*lint.Rule]bool{rule: true}}
	load := dirLoader(dir)
	return dir, opt, load
}

// TestFixInPlaceWriteFails checks a write that fails after the checks:
// that file keeps its content and no temporary file is left beside it,
// the other is written, the count drops the fix, and the S003 finding that
// says why has a fingerprint of its own.
func TestFixInPlaceWriteFails(t *testing.T) {
	dir, opt, load := twoFileFixFleet(t)
	fail := func(s *rewrite.Staged) error {
		if strings.HasSuffix(s.Path(), filepath.FromSlash(fixC)) {
			return errors.New(s.Path() + ": replacing file: no space left on device")
		}
		return s.Commit()
	}
	res, err := lint.FixInPlace(load, opt, lint.FixOptions{}, lint.WriteOptions{Roots: []string{dir}, Commit: fail})
	if err != nil {
		t.Fatal(err)
	}
	if res.Fixed != 1 {
		t.Errorf("Fixed = %d, want 1 (a's fix, written in a and b)", res.Fixed)
	}
	var got []string
	for _, f := range res.Findings {
		if f.Fingerprint == "" {
			t.Errorf("%s finding on %s has no fingerprint", f.Rule.Code, f.File.Path)
		}
		got = append(got, fmt.Sprintf("%s %s %s fix=%v", f.Rule.Code, f.File.Path, f.Message, f.Fix != nil))
	}
	want := []string{
		"S003 " + fixC + " fixes not written: replacing file: no space left on device fix=false",
		"Z901 " + fixC + " first line (fix not written) fix=false",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for rel, first := range map[string]string{fixA: "# fixed", fixB: "# fixed", fixC: "[server]"} {
		b, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(string(b), first+"\n") {
			t.Errorf("%s starts %q, want %q", rel, strings.SplitN(string(b), "\n", 2)[0], first)
		}
		ents, err := os.ReadDir(filepath.Dir(filepath.Join(dir, rel)))
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range ents {
			if rewrite.IsTempName(e.Name()) {
				t.Errorf("temporary file %s left beside %s", e.Name(), rel)
			}
		}
	}
}

// TestWithheldFixNamesWhatMoves holds the safety net's message to what
// a fix changes in the port map: a bind address it moves, a port it
// makes unknown, and a listener it adds.
func TestWithheldFixNamesWhatMoves(t *testing.T) {
	for _, tc := range []struct{ name, text, why string }{
		{"bind address", "# done\n[transport.http]\nlistener.bind_address = \"127.0.0.1\"\n",
			`a running listener (h1/mi-a's HTTP pass-through listener from bind address "" to "127.0.0.1")`},
		{"unknown port", "# done\noffset = \"$env{OFFSET}\"\n",
			"4 running listeners (h1/mi-a's HTTP pass-through listener 8290 → unknown, h1/mi-a's HTTPS pass-through listener 8253 → unknown, " +
				"h1/mi-a's internal HTTP API listener 9201 → unknown, h1/mi-a's internal HTTPS API listener 9164 → unknown)"},
		{"listener added", "# done\n[transport.tcp]\nlistener.enable = true\nlistener.port = 6060\n[transport.http]\nlistener.bind_address = \"::1\"\n",
			`2 running listeners (h1/mi-a's HTTP pass-through listener from bind address "" to "::1", h1/mi-a's TCP transport listener none → 6070)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			writeFiles(t, dir, map[string]string{fixA: "[server]\nhostname = \"a\"\n", fixB: "[server]\nhostname = \"b\"\noffset = 20\n"})
			rule := &lint.Rule{Code: "Z903", Name: "test-listener-mover", Severity: lint.Warning, Scope: lint.HostScope,
				Check: func(p *lint.Pass) {
					for _, in := range p.Fleet.Installs {
						f := in.Runtimes[0].File
						if f.Path != fixA || strings.Contains(string(f.Src), "# done") {
							continue
						}
						fd := p.Reportf(f, srcpos.Span{Start: 0, End: 8}, in, "", "move")
						fd.Fix = &lint.Fix{Applicability: lint.Safe, Message: "move it",
							Edits: []rewrite.Edit{{Path: f.Path, Start: len(f.Src), End: len(f.Src), New: tc.text}}}
					}
				}}
			opt := lint.Options{Rules: []*lint.Rule{rule}, Enabled: map[*lint.Rule]bool{rule: true}}
			res, err := lint.ApplyFixes(dirLoader(dir), opt, lint.FixOptions{})
			if err != nil {
				t.Fatal(err)
			}
			want := "move (fix withheld: it would move " + tc.why + ", which only an unsafe fix may do; apply it with --fix --unsafe-fixes)"
			if len(res.Files) != 0 || len(res.Findings) != 1 || res.Findings[0].Message != want {
				var got []string
				for _, f := range res.Findings {
					got = append(got, f.Message)
				}
				t.Fatalf("changed %d files; findings %q, want one: %q", len(res.Files), got, want)
			}
		})
	}
}

// TestSafeFixThatMovesAListenerIsDemoted checks the port-map safety net: a
// fix marked safe that moves a running listener is not applied by a safe
// run, which says what it would move (and Settle tells a lint run the
// same, so that it does not promise the fix), while --unsafe-fixes
// applies it; a safe fix that moves nothing is applied.
func TestSafeFixThatMovesAListenerIsDemoted(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{
		fixA: "[server]\nhostname = \"a\"\n",
		fixB: "[server]\nhostname = \"b\"\noffset = 20\n",
	})
	// Z902 "fixes" each install by writing its offset: 20 again for b
	// (nothing moves), 30 for a (every listener of a moves).
	rule := &lint.Rule{Code: "Z902", Name: "test-offset-writer", Severity: lint.Warning, Scope: lint.HostScope,
		Check: func(p *lint.Pass) {
			for _, in := range p.Fleet.Installs {
				f := in.Runtimes[0].File
				if strings.Contains(string(f.Src), "# done") {
					continue
				}
				text := "# done\noffset = 30\n"
				if f.Path == fixB {
					text = "# done\n"
				}
				fd := p.Reportf(f, srcpos.Span{Start: 0, End: 8}, in, "", "offset")
				fd.Fix = &lint.Fix{Applicability: lint.Safe, Message: "write the offset",
					Edits: []rewrite.Edit{{Path: f.Path, Start: len(f.Src), End: len(f.Src), New: text}}}
			}
		}}
	opt := lint.Options{Rules: []*lint.Rule{rule}, Enabled: map[*lint.Rule]bool{rule: true}}
	load := dirLoader(dir)
	res, err := lint.ApplyFixes(load, opt, lint.FixOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 1 || res.Files[0].Path != fixB {
		t.Fatalf("safe run changed %v, want only %s", res.Files, fixB)
	}
	const why = "fix withheld: it would move 4 running listeners (h1/mi-a's HTTP pass-through listener 8290 → 8310, " +
		"h1/mi-a's HTTPS pass-through listener 8253 → 8273, h1/mi-a's internal HTTP API listener 9201 → 9221, " +
		"h1/mi-a's internal HTTPS API listener 9164 → 9184), which only an unsafe fix may do; apply it with --fix --unsafe-fixes"
	if len(res.Findings) != 1 || res.Findings[0].Message != "offset ("+why+")" || res.Findings[0].Fix == nil ||
		res.Findings[0].Fix.Applicability != lint.Unsafe {
		t.Fatalf("want a's finding demoted to an unsafe fix, saying why: %+v", res.Findings)
	}
	before := lint.Settle(res)
	demoted, kept := 0, 0
	for _, f := range before {
		switch {
		case f.File.Path == fixA && f.Fix.Applicability == lint.Unsafe && strings.HasSuffix(f.Message, "("+why+")"):
			demoted++
		case f.File.Path == fixB && f.Fix.Applicability == lint.Safe && f.Message == "offset":
			kept++
		}
	}
	if demoted != 1 || kept != 1 {
		t.Errorf("Settle: %d demoted, %d kept safe, want 1 and 1", demoted, kept)
	}
	res, err = lint.ApplyFixes(load, opt, lint.FixOptions{Unsafe: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 2 || len(res.Findings) != 0 {
		t.Errorf("unsafe run: %d files changed, %d findings left; want 2 and 0", len(res.Files), len(res.Findings))
	}
}
