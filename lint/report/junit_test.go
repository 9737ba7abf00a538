package report_test

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"sort"
	"testing"

	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/report"
	"github.com/wso2lint/wso2lint/rules"
)

type junitT struct {
	XMLName  xml.Name `xml:"testsuites"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Suites   []struct {
		Name     string `xml:"name,attr"`
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Errors   int    `xml:"errors,attr"`
		Cases    []struct {
			Name      string `xml:"name,attr"`
			Classname string `xml:"classname,attr"`
			File      string `xml:"file,attr"`
			Line      int    `xml:"line,attr"`
			Failure   *struct {
				Message string `xml:"message,attr"`
				Type    string `xml:"type,attr"`
				Body    string `xml:",chardata"`
			} `xml:"failure"`
		} `xml:"testcase"`
	} `xml:"testsuite"`
}

func parseJUnit(t *testing.T, raw []byte) junitT {
	t.Helper()
	var doc junitT
	if err := xml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("JUnit output does not parse: %v\n%s", err, raw)
	}
	return doc
}

// checkJUnitCounts checks the counts the dashboards read: failures =
// findings, tests = failures + passes, in every suite and the totals.
func checkJUnitCounts(t *testing.T, doc junitT, findings int) (passes int) {
	t.Helper()
	tests, failures := 0, 0
	for _, s := range doc.Suites {
		fail, pass := 0, 0
		for _, c := range s.Cases {
			if c.Failure != nil {
				fail++
			} else {
				pass++
			}
			if c.Classname != s.Name || c.File != s.Name {
				t.Errorf("testcase %s in suite %s has classname %s, file %s", c.Name, s.Name, c.Classname, c.File)
			}
		}
		if s.Failures != fail || s.Tests != fail+pass || s.Errors != 0 {
			t.Errorf("suite %s: tests %d failures %d, counted %d failing and %d passing", s.Name, s.Tests, s.Failures, fail, pass)
		}
		tests += s.Tests
		failures += s.Failures
		passes += pass
	}
	if doc.Tests != tests || doc.Failures != failures || doc.Errors != 0 {
		t.Errorf("totals tests %d failures %d, suites add up to %d and %d", doc.Tests, doc.Failures, tests, failures)
	}
	if failures != findings {
		t.Errorf("%d failures, want one per finding: %d", failures, findings)
	}
	return passes
}

func TestJUnitGolden(t *testing.T) {
	ex := runExamples(t)
	fn := func(w *bytes.Buffer) error { return report.JUnit(w, rules.All, ex.Enabled, ex.Files, ex.Findings) }
	got := render(t, fn)
	golden(t, "examples.junit.xml", got)
	if again := render(t, fn); !bytes.Equal(got, again) {
		t.Error("JUnit output is not deterministic")
	}
	doc := parseJUnit(t, got)
	passes := checkJUnitCounts(t, doc, len(ex.Findings))

	// One suite per linted file, sorted.
	var names []string
	for _, s := range doc.Suites {
		names = append(names, s.Name)
	}
	if fmt.Sprint(names) != fmt.Sprint(ex.Files) {
		t.Errorf("suites %v, want the linted files %v", names, ex.Files)
	}
	// A passing testcase per (file, enabled rule) without a finding.
	hit := map[string]bool{}
	for _, f := range ex.Findings {
		hit[f.File.Path+"|"+f.Rule.Code] = true
	}
	wantPasses := 0
	for _, p := range ex.Files {
		for _, r := range rules.All {
			if ex.Enabled[r] && !hit[p+"|"+r.Code] {
				wantPasses++
			}
		}
	}
	if passes != wantPasses {
		t.Errorf("%d passing testcases, want %d", passes, wantPasses)
	}
	// Failures carry the finding.
	bodies := map[string]string{}
	for _, f := range ex.Findings {
		pos := f.Start()
		bodies[fmt.Sprintf("%s:%d:%d: %s", f.File.Path, pos.Line, pos.Col, f.Message)] = f.Rule.Code + " " + f.Rule.Name
	}
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if c.Failure == nil {
				continue
			}
			if name, ok := bodies[c.Failure.Body]; !ok || name != c.Name || c.Failure.Type != c.Name[:4] || c.Line < 1 {
				t.Errorf("testcase %s line %d failure %+v matches no finding", c.Name, c.Line, c.Failure)
			}
		}
	}
}

func TestJUnitSuppressedAndUnlistedFiles(t *testing.T) {
	fl := loadFixture(t)
	fs := fixtureFindings(t, fl)
	enabled := map[*lint.Rule]bool{}
	for _, r := range rules.All {
		enabled[r] = !r.Off
	}
	// files lists one file only: the findings' files are added.
	files := []string{"prod/edge-1/dashboard/conf/deployment.toml"}
	doc := parseJUnit(t, render(t, func(w *bytes.Buffer) error { return report.JUnit(w, rules.All, enabled, files, fs) }))
	checkJUnitCounts(t, doc, len(fs)-1)
	var names []string
	for _, s := range doc.Suites {
		names = append(names, s.Name)
	}
	want := []string{files[0], "prod/edge-1/mi-a/conf/deployment.toml", "prod/edge-1/mi-b/conf/deployment.toml", "prod/edge-2/eia/conf/server/deployment.yaml"}
	sort.Strings(want)
	if fmt.Sprint(names) != fmt.Sprint(want) {
		t.Errorf("suites %v, want %v", names, want)
	}
	for _, s := range doc.Suites {
		for _, c := range s.Cases {
			if c.Failure != nil && c.Failure.Type == "K004" {
				t.Error("the suppressed finding failed a testcase")
			}
		}
	}
	// No files, no findings: an empty but well-formed report.
	doc = parseJUnit(t, render(t, func(w *bytes.Buffer) error { return report.JUnit(w, rules.All, enabled, nil, nil) }))
	if doc.Tests != 0 || len(doc.Suites) != 0 {
		t.Errorf("empty run: %+v", doc)
	}
}
