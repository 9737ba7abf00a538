package report_test

import (
	"bytes"
	"encoding/xml"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/internal/srcpos"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/report"
)

type checkstyleT struct {
	XMLName xml.Name `xml:"checkstyle"`
	Version string   `xml:"version,attr"`
	Files   []struct {
		Name   string `xml:"name,attr"`
		Errors []struct {
			Line     int    `xml:"line,attr"`
			Column   int    `xml:"column,attr"`
			Severity string `xml:"severity,attr"`
			Message  string `xml:"message,attr"`
			Source   string `xml:"source,attr"`
		} `xml:"error"`
	} `xml:"file"`
}

func parseCheckstyle(t *testing.T, raw []byte) checkstyleT {
	t.Helper()
	if !bytes.HasPrefix(raw, []byte(`<?xml version="1.0" encoding="UTF-8"?>`+"\n")) {
		t.Errorf("no XML declaration:\n%s", raw)
	}
	var doc checkstyleT
	if err := xml.Unmarshal(raw, &doc); err != nil {
		t.Fatalf("checkstyle output does not parse: %v\n%s", err, raw)
	}
	if doc.Version != "4.3" {
		t.Errorf("version = %q", doc.Version)
	}
	return doc
}

func TestCheckstyleGolden(t *testing.T) {
	ex := runExamples(t)
	fn := func(w *bytes.Buffer) error { return report.Checkstyle(w, ex.Findings) }
	got := render(t, fn)
	golden(t, "examples.checkstyle.xml", got)
	if again := render(t, fn); !bytes.Equal(got, again) {
		t.Error("checkstyle output is not deterministic")
	}

	// Parsed back: one <error> per finding, in sorted <file>s, each with
	// the finding's position, severity and source.
	doc := parseCheckstyle(t, got)
	want := map[string]bool{}
	for _, f := range ex.Findings {
		pos := f.Start()
		want[strings.Join([]string{f.File.Path, strconv.Itoa(pos.Line), strconv.Itoa(pos.Col), f.Severity.String(), f.Message, "wso2lint." + f.Rule.Code}, "|")] = true
	}
	n := 0
	var names []string
	for _, file := range doc.Files {
		names = append(names, file.Name)
		for _, e := range file.Errors {
			n++
			key := strings.Join([]string{file.Name, strconv.Itoa(e.Line), strconv.Itoa(e.Column), e.Severity, e.Message, e.Source}, "|")
			if !want[key] {
				t.Errorf("unexpected error %s", key)
			}
		}
	}
	if n != len(ex.Findings) {
		t.Errorf("%d errors, want %d", n, len(ex.Findings))
	}
	if !sort.StringsAreSorted(names) {
		t.Errorf("files not sorted: %v", names)
	}
}

func TestCheckstyleEscapingAndSuppressed(t *testing.T) {
	fl := loadFixture(t)
	fs := fixtureFindings(t, fl)
	ff := memFile("[server]\noffset = 10\n")
	ff.Path = `dir "q" & <x>/deployment.toml`
	msg := "a \"quoted\" <tag> & 'apos'\nsecond line\tand a tab \x01 control"
	fs = append(fs, &lint.Finding{Rule: &lint.Rule{Code: "T002", Name: "t"}, Severity: lint.Info, File: ff,
		Span: srcpos.Span{Start: 9, End: 15}, Message: msg})
	doc := parseCheckstyle(t, render(t, func(w *bytes.Buffer) error { return report.Checkstyle(w, fs) }))
	n := 0
	found := false
	for _, file := range doc.Files {
		for _, e := range file.Errors {
			n++
			if e.Source == "wso2lint.K004" {
				t.Error("the suppressed finding is in the output")
			}
			if e.Source == "wso2lint.T002" {
				found = true
				if file.Name != ff.Path || e.Message != strings.Replace(msg, "\x01", "\uFFFD", 1) || e.Line != 2 || e.Column != 1 || e.Severity != "info" {
					t.Errorf("read back as %q %+v", file.Name, e)
				}
			}
		}
	}
	if !found || n != len(fs)-1 {
		t.Errorf("%d errors (escaped one found: %v), want %d", n, found, len(fs)-1)
	}
	empty := string(render(t, func(w *bytes.Buffer) error { return report.Checkstyle(w, nil) }))
	if empty != "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<checkstyle version=\"4.3\">\n</checkstyle>\n" {
		t.Errorf("no findings: %q", empty)
	}
}
