package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
)

// The types below follow reviewdog's Diagnostic Format (proto/rdf in
// github.com/reviewdog/reviewdog), field by field.

type rdResult struct {
	Source      rdSource       `json:"source"`
	Diagnostics []rdDiagnostic `json:"diagnostics"`
}

type rdSource struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

type rdDiagnostic struct {
	Message          string              `json:"message"`
	Location         rdLocation          `json:"location"`
	Severity         string              `json:"severity"`
	Source           *rdSource           `json:"source,omitempty"`
	Code             rdCode              `json:"code"`
	Suggestions      []rdSuggestion      `json:"suggestions,omitempty"`
	RelatedLocations []rdRelatedLocation `json:"related_locations,omitempty"`
	// OriginalOutput is the finding as one concise line: reviewdog prints
	// it for a diagnostic, and dumps the raw structure without it.
	OriginalOutput string `json:"original_output,omitempty"`
}

type rdLocation struct {
	Path  string  `json:"path"`
	Range rdRange `json:"range"`
}

type rdRange struct {
	Start rdPosition `json:"start"`
	End   rdPosition `json:"end"`
}

type rdPosition struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

type rdCode struct {
	Value string `json:"value"`
	URL   string `json:"url"`
}

type rdSuggestion struct {
	Range rdRange `json:"range"`
	Text  string  `json:"text"`
}

type rdRelatedLocation struct {
	Message  string     `json:"message"`
	Location rdLocation `json:"location"`
}

// RDJSON writes the findings as one reviewdog DiagnosticResult (reviewdog
// -f=rdjson), indented by two spaces: source {name, url} and
// diagnostics, never null. Each diagnostic carries the message, the
// location with a 1-based range in UTF-8 byte columns (end exclusive, as
// reviewdog counts), the severity ERROR, WARNING or INFO, the code with
// the rule's documentation URL, related locations, and, for a fix whose
// edits all lie in the finding's own file, one suggestion per edit (a
// fix that also edits other files is left out: reviewdog would apply the
// part in this file only). Suppressed findings are left out.
func RDJSON(w io.Writer, findings []*lint.Finding) error {
	res := rdResult{Source: rdToolSource(), Diagnostics: make([]rdDiagnostic, 0, len(findings))}
	for _, f := range unsuppressed(findings) {
		res.Diagnostics = append(res.Diagnostics, rdDiagnosticOf(f))
	}
	return encodeJSON(w, res)
}

// RDJSONL writes the findings as reviewdog rdjsonl (reviewdog
// -f=rdjsonl): one Diagnostic object per line, as RDJSON writes them,
// each with its own source since there is no envelope to carry it.
func RDJSONL(w io.Writer, findings []*lint.Finding) error {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	src := rdToolSource()
	for _, f := range unsuppressed(findings) {
		d := rdDiagnosticOf(f)
		d.Source = &src
		if err := enc.Encode(d); err != nil {
			return err
		}
	}
	_, err := w.Write(buf.Bytes())
	return err
}

func rdToolSource() rdSource { return rdSource{Name: toolName, URL: toolURL} }

func rdDiagnosticOf(f *lint.Finding) rdDiagnostic {
	d := rdDiagnostic{
		Message:  f.Message,
		Location: rdLocationOf(f.File, f.Span.Start, f.Span.End),
		Severity: rdSeverity(f.Severity),
		Code:     rdCode{Value: f.Rule.Code, URL: f.Rule.DocsURL()},
	}
	start := f.Start()
	d.OriginalOutput = fmt.Sprintf("%s:%d:%d: %s: %s [%s]", f.File.Path, start.Line, start.Col, f.Severity, f.Message, f.Rule.Code)
	for _, r := range f.Related {
		d.RelatedLocations = append(d.RelatedLocations, rdRelatedLocation{
			Message: r.Message, Location: rdLocationOf(relatedFile(f, r), r.Span.Start, r.Span.End),
		})
	}
	if f.Fix != nil && f.Fix.Applicability != lint.NoFix && ownFileFix(f) {
		for _, e := range f.Fix.Edits {
			d.Suggestions = append(d.Suggestions, rdSuggestion{Range: rdRangeOf(f.File, e.Start, e.End), Text: e.New})
		}
	}
	return d
}

// ownFileFix reports whether the finding's fix has edits and edits only
// the finding's file.
func ownFileFix(f *lint.Finding) bool {
	for _, e := range f.Fix.Edits {
		if e.Path != f.File.Path {
			return false
		}
	}
	return len(f.Fix.Edits) > 0
}

func rdLocationOf(file *fleet.File, start, end int) rdLocation {
	return rdLocation{Path: file.Path, Range: rdRangeOf(file, start, end)}
}

func rdRangeOf(file *fleet.File, start, end int) rdRange {
	if end < start {
		end = start
	}
	s, e := file.Pos(start), file.Pos(end)
	return rdRange{Start: rdPosition{Line: s.Line, Column: s.Col}, End: rdPosition{Line: e.Line, Column: e.Col}}
}

func rdSeverity(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "ERROR"
	case lint.Warning:
		return "WARNING"
	}
	return "INFO"
}
