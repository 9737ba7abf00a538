package report_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/report"
)

type gitlabIssueT struct {
	Description string `json:"description"`
	CheckName   string `json:"check_name"`
	Fingerprint string `json:"fingerprint"`
	Severity    string `json:"severity"`
	Location    struct {
		Path  string `json:"path"`
		Lines struct {
			Begin int `json:"begin"`
			End   int `json:"end"`
		} `json:"lines"`
	} `json:"location"`
}

func parseGitLab(t *testing.T, raw []byte) []gitlabIssueT {
	t.Helper()
	var issues []gitlabIssueT
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&issues); err != nil {
		t.Fatalf("GitLab report does not parse: %v\n%s", err, raw)
	}
	if issues == nil {
		t.Fatalf("GitLab report is not an array: %s", raw)
	}
	seen := map[string]bool{}
	for _, is := range issues {
		if is.Fingerprint == "" || seen[is.Fingerprint] {
			t.Errorf("fingerprint %q is empty or repeated", is.Fingerprint)
		}
		seen[is.Fingerprint] = true
	}
	return issues
}

func TestGitLabGolden(t *testing.T) {
	ex := runExamples(t)
	fn := func(w *bytes.Buffer) error { return report.GitLab(w, ex.Findings) }
	got := render(t, fn)
	golden(t, "examples.gitlab.json", got)
	if again := render(t, fn); !bytes.Equal(got, again) {
		t.Error("GitLab report is not deterministic")
	}
	issues := parseGitLab(t, got)
	if len(issues) != len(ex.Findings) {
		t.Fatalf("%d issues, want %d", len(issues), len(ex.Findings))
	}
	for i, is := range issues {
		f := ex.Findings[i]
		start, end := f.Start(), f.End()
		sev := map[lint.Severity]string{lint.Error: "major", lint.Warning: "minor", lint.Info: "info"}[f.Severity]
		if is.CheckName != f.Rule.Code || is.Severity != sev || is.Fingerprint != f.Fingerprint ||
			is.Location.Path != f.File.Path || is.Location.Lines.Begin != start.Line || is.Location.Lines.End != end.Line ||
			is.Description != f.Message+" ["+f.Rule.Code+"]" {
			t.Errorf("issue %d = %+v", i, is)
		}
	}
	if empty := render(t, func(w *bytes.Buffer) error { return report.GitLab(w, nil) }); string(empty) != "[]\n" {
		t.Errorf("no findings: %q", empty)
	}
}

// TestGitLabFingerprintsUnique: GitLab keeps only the first issue of a
// fingerprint, so repeated or missing fingerprints are made unique, and
// the result does not depend on anything but the findings.
func TestGitLabFingerprintsUnique(t *testing.T) {
	fl := loadFixture(t)
	fs := fixtureFindings(t, fl)
	var dup []*lint.Finding
	for _, f := range fs {
		c := *f
		c.Fingerprint = "same"
		dup = append(dup, &c)
	}
	for _, f := range fs {
		c := *f
		c.Fingerprint = ""
		dup = append(dup, &c, &c) // the very same finding twice
	}
	raw := render(t, func(w *bytes.Buffer) error { return report.GitLab(w, dup) })
	issues := parseGitLab(t, raw) // checks uniqueness
	if want := 3 * (len(fs) - 1); len(issues) != want {
		t.Fatalf("%d issues, want %d", len(issues), want)
	}
	if issues[0].Fingerprint != "same" {
		t.Errorf("first fingerprint %q: a unique fingerprint must be kept as it is", issues[0].Fingerprint)
	}
	if again := render(t, func(w *bytes.Buffer) error { return report.GitLab(w, dup) }); !bytes.Equal(raw, again) {
		t.Error("derived fingerprints are not deterministic")
	}
}
