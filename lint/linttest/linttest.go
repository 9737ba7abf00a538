// Package linttest runs rules over small in-memory fleets, for the rules'
// table-driven tests: each test writes its files into a temporary
// directory, loads them as the command line would, and compares findings
// rendered one per line with exact positions.
package linttest

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/rewrite"
)

// Fleet writes files (slash paths relative to a temporary directory, to
// their content) and loads the fleet from that directory, with display
// paths relative to it.
func Fleet(t testing.TB, files map[string]string, opt fleet.Options) *fleet.Fleet {
	t.Helper()
	dir := t.TempDir()
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(files[name]), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	opt.WorkDir = dir
	fl, err := fleet.Load(nil, opt)
	if err != nil {
		t.Fatal(err)
	}
	return fl
}

// Run runs one rule over files and returns its findings, sorted.
func Run(t testing.TB, r *lint.Rule, files map[string]string) []*lint.Finding {
	t.Helper()
	return RunWith(t, r, files, fleet.Options{})
}

// RunWith is Run with loading options (env values, hosts).
func RunWith(t testing.TB, r *lint.Rule, files map[string]string, opt fleet.Options) []*lint.Finding {
	t.Helper()
	_, out := RunFleet(t, r, files, opt)
	return out
}

// RunFleet is RunWith that also returns the fleet, for fixes that edit
// several files.
func RunFleet(t testing.TB, r *lint.Rule, files map[string]string, opt fleet.Options) (*fleet.Fleet, []*lint.Finding) {
	t.Helper()
	fl := Fleet(t, files, opt)
	var out []*lint.Finding
	p := lint.NewPass(fl, r, &out)
	r.Check(p)
	for _, f := range out {
		f.Severity = lint.SeverityOf(f, nil)
	}
	lint.Sort(out)
	return fl, out
}

// Describe renders a finding on one line:
// "path:line:col-endline:endcol CODE message".
func Describe(f *lint.Finding) string {
	s, e := f.Start(), f.End()
	return fmt.Sprintf("%s:%d:%d-%d:%d %s %s", f.File.Path, s.Line, s.Col, e.Line, e.Col, f.Rule.Code, f.Message)
}

// Check compares findings, rendered with Describe, against want, exactly
// and in order.
func Check(t testing.TB, got []*lint.Finding, want []string) {
	t.Helper()
	var lines []string
	for _, f := range got {
		lines = append(lines, Describe(f))
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("findings differ\n got:\n\t%s\nwant:\n\t%s", strings.Join(lines, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// ApplyFix applies a finding's fix to its file and returns the new
// content of that file. It fails the test when the fix is missing or
// touches another file.
func ApplyFix(t testing.TB, f *lint.Finding) string {
	t.Helper()
	if f.Fix == nil {
		t.Fatalf("finding has no fix: %s", Describe(f))
	}
	edits := f.Fix.Edits
	for _, e := range edits {
		if e.Path != f.File.Path {
			t.Fatalf("fix edits %s, not the finding's file %s", e.Path, f.File.Path)
		}
	}
	out, err := rewrite.Apply(f.File.Src, edits)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

// ApplyFixFiles applies a finding's fix, which may edit several files of
// the fleet, and returns the new content of each file it edits.
func ApplyFixFiles(t testing.TB, fl *fleet.Fleet, f *lint.Finding) map[string]string {
	t.Helper()
	if f.Fix == nil {
		t.Fatalf("finding has no fix: %s", Describe(f))
	}
	byFile := map[string][]rewrite.Edit{}
	for _, e := range f.Fix.Edits {
		byFile[e.Path] = append(byFile[e.Path], e)
	}
	out := map[string]string{}
	for path, edits := range byFile {
		file := fl.File(path)
		if file == nil {
			t.Fatalf("fix edits %s, which is not in the fleet", path)
		}
		b, err := rewrite.Apply(file.Src, edits)
		if err != nil {
			t.Fatal(err)
		}
		out[path] = string(b)
	}
	return out
}
