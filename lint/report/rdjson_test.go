package report_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/report"
	"github.com/wso2lint/wso2lint/rewrite"
)

type rdPositionT struct {
	Line   int `json:"line"`
	Column int `json:"column"`
}

type rdRangeT struct {
	Start rdPositionT `json:"start"`
	End   rdPositionT `json:"end"`
}

type rdLocationT struct {
	Path  string   `json:"path"`
	Range rdRangeT `json:"range"`
}

type rdDiagnosticT struct {
	Message  string      `json:"message"`
	Location rdLocationT `json:"location"`
	Severity string      `json:"severity"`
	Source   *struct {
		Name string `json:"name"`
		URL  string `json:"url"`
	} `json:"source"`
	Code struct {
		Value string `json:"value"`
		URL   string `json:"url"`
	} `json:"code"`
	Suggestions []struct {
		Range rdRangeT `json:"range"`
		Text  string   `json:"text"`
	} `json:"suggestions"`
	RelatedLocations []struct {
		Message  string      `json:"message"`
		Location rdLocationT `json:"location"`
	} `json:"related_locations"`
	OriginalOutput string `json:"original_output"`
}

type rdResultT struct {
	Source struct {
		Name string `json:"name"`
		URL  string `json:"url"`
	} `json:"source"`
	Diagnostics *[]rdDiagnosticT `json:"diagnostics"`
}

func parseRDJSON(t *testing.T, raw []byte) []rdDiagnosticT {
	t.Helper()
	var res rdResultT
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&res); err != nil {
		t.Fatalf("rdjson does not parse: %v\n%s", err, raw)
	}
	if dec.More() {
		t.Error("rdjson holds more than one JSON value")
	}
	if res.Source.Name != "wso2lint" || res.Source.URL != "https://github.com/wso2lint/wso2lint" || res.Diagnostics == nil {
		t.Errorf("source %+v, diagnostics nil: %v", res.Source, res.Diagnostics == nil)
		return nil
	}
	return *res.Diagnostics
}

func parseRDJSONL(t *testing.T, raw []byte) []rdDiagnosticT {
	t.Helper()
	var out []rdDiagnosticT
	for i, line := range strings.Split(strings.TrimSuffix(string(raw), "\n"), "\n") {
		if line == "" {
			continue
		}
		var d rdDiagnosticT
		dec := json.NewDecoder(strings.NewReader(line))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&d); err != nil {
			t.Fatalf("rdjsonl line %d does not parse: %v\n%s", i+1, err, line)
		}
		if d.Source == nil || d.Source.Name != "wso2lint" {
			t.Errorf("rdjsonl line %d lacks its source", i+1)
		}
		out = append(out, d)
	}
	return out
}

func TestRDJSONGolden(t *testing.T) {
	ex := runExamples(t)
	for name, fn := range map[string]func(w *bytes.Buffer) error{
		"examples.rdjson":  func(w *bytes.Buffer) error { return report.RDJSON(w, ex.Findings) },
		"examples.rdjsonl": func(w *bytes.Buffer) error { return report.RDJSONL(w, ex.Findings) },
	} {
		got := render(t, fn)
		golden(t, name, got)
		if again := render(t, fn); !bytes.Equal(got, again) {
			t.Errorf("%s is not deterministic", name)
		}
	}
	diags := parseRDJSON(t, render(t, func(w *bytes.Buffer) error { return report.RDJSON(w, ex.Findings) }))
	lines := parseRDJSONL(t, render(t, func(w *bytes.Buffer) error { return report.RDJSONL(w, ex.Findings) }))
	if len(diags) != len(ex.Findings) || len(lines) != len(ex.Findings) {
		t.Fatalf("%d rdjson and %d rdjsonl diagnostics, want %d", len(diags), len(lines), len(ex.Findings))
	}
	suggested := 0
	for i, d := range diags {
		f := ex.Findings[i]
		start, end := f.Start(), f.End()
		want := rdLocationT{Path: f.File.Path, Range: rdRangeT{Start: rdPositionT{start.Line, start.Col}, End: rdPositionT{end.Line, end.Col}}}
		sev := map[lint.Severity]string{lint.Error: "ERROR", lint.Warning: "WARNING", lint.Info: "INFO"}[f.Severity]
		if d.Message != f.Message || d.Location != want || d.Severity != sev || d.Code.Value != f.Rule.Code || d.Code.URL != f.Rule.DocsURL() {
			t.Errorf("diagnostic %d = %+v", i, d)
		}
		if wantOut := fmt.Sprintf("%s:%d:%d: %s: %s [%s]", f.File.Path, start.Line, start.Col, f.Severity, f.Message, f.Rule.Code); d.OriginalOutput != wantOut {
			t.Errorf("diagnostic %d: original_output %q, want %q", i, d.OriginalOutput, wantOut)
		}
		if len(d.RelatedLocations) != len(f.Related) {
			t.Errorf("diagnostic %d: %d related locations, want %d", i, len(d.RelatedLocations), len(f.Related))
		}
		if lines[i].Message != d.Message || lines[i].Location != d.Location {
			t.Errorf("rdjsonl line %d differs from rdjson", i)
		}
		if len(d.Suggestions) > 0 {
			suggested++
			checkSuggestions(t, f, d)
		}
	}
	if suggested == 0 {
		t.Error("no diagnostic of the example fleet carries a suggestion")
	}
}

// checkSuggestions applies a diagnostic's suggestions to the file, as
// reviewdog would, and compares the result with the fix applied by the
// rewrite package.
func checkSuggestions(t *testing.T, f *lint.Finding, d rdDiagnosticT) {
	t.Helper()
	var edits []rewrite.Edit
	for _, s := range d.Suggestions {
		start := f.File.Lines.Offset(s.Range.Start.Line, s.Range.Start.Column)
		end := f.File.Lines.Offset(s.Range.End.Line, s.Range.End.Column)
		edits = append(edits, rewrite.Edit{Path: f.File.Path, Start: start, End: end, New: s.Text})
	}
	got, err := rewrite.Apply(f.File.Src, edits)
	if err != nil {
		t.Fatal(err)
	}
	want, err := rewrite.Apply(f.File.Src, f.Fix.Edits)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s suggestions give\n%s\nthe fix gives\n%s", f.Rule.Code, got, want)
	}
}

func TestRDJSONSuggestionsAndColumns(t *testing.T) {
	fl := loadFixture(t)
	fs := fixtureFindings(t, fl)
	diags := parseRDJSON(t, render(t, func(w *bytes.Buffer) error { return report.RDJSON(w, fs) }))
	if len(diags) != len(fs)-1 {
		t.Fatalf("%d diagnostics, want %d (suppressed left out)", len(diags), len(fs)-1)
	}
	byCode := map[string]rdDiagnosticT{}
	for _, d := range diags {
		byCode[d.Code.Value] = d
	}
	if _, ok := byCode["K004"]; ok {
		t.Error("the suppressed finding is in the output")
	}
	// Columns count UTF-8 bytes: "ñ-8290" after "ünï" starts at byte 11.
	k002 := byCode["K002"]
	if r := k002.Location.Range; r != (rdRangeT{rdPositionT{3, 11}, rdPositionT{3, 20}}) {
		t.Errorf("K002 range = %+v, want byte columns 11-20", r)
	}
	for _, f := range fs {
		if f.Rule.Code == "K002" {
			checkSuggestions(t, f, k002)
		}
	}
	// P001's related location in another file keeps its own path.
	if rl := byCode["P001"].RelatedLocations; len(rl) != 2 || rl[1].Location.Path != "prod/edge-1/mi-b/bin/micro-integrator.sh" {
		t.Errorf("P001 related = %+v", rl)
	}

	// A fix that also edits another file gives no suggestion.
	var p001 *lint.Finding
	for _, f := range fs {
		if f.Rule.Code == "P001" {
			p001 = f
		}
	}
	other := file(t, fl, "prod/edge-1/mi-a/conf/deployment.toml")
	multi := *p001
	multi.Fix = &lint.Fix{Applicability: lint.Unsafe, Message: "move both", Edits: append([]rewrite.Edit{
		{Path: other.Path, Start: 0, End: 0, New: "# moved\n"}}, p001.Fix.Edits...)}
	if d := parseRDJSON(t, render(t, func(w *bytes.Buffer) error { return report.RDJSON(w, []*lint.Finding{&multi}) })); len(d) != 1 || d[0].Suggestions != nil {
		t.Errorf("a multi-file fix became suggestions: %+v", d)
	}
	if d := byCode["P001"]; len(d.Suggestions) != 1 {
		t.Errorf("the own-file P001 fix gave %d suggestions", len(d.Suggestions))
	}

	// Empty: diagnostics is [], rdjsonl is empty.
	empty := render(t, func(w *bytes.Buffer) error { return report.RDJSON(w, nil) })
	if !bytes.Contains(empty, []byte(`"diagnostics": []`)) {
		t.Errorf("no findings: %s", empty)
	}
	if out := render(t, func(w *bytes.Buffer) error { return report.RDJSONL(w, nil) }); len(out) != 0 {
		t.Errorf("rdjsonl without findings printed %q", out)
	}
}
