package report

import (
	"encoding/json"
	"io"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
)

// jsonSchemaVersion is the "version" of the JSON outputs. It changes only
// when a field is removed or changes meaning; fields may be added without
// changing it.
const jsonSchemaVersion = 1

// toolName is the name written into machine-readable outputs.
const toolName = "wso2lint"

// The types below spell out the JSON contract field by field. They are kept
// separate from lint.Finding so that a change to the engine's types can
// never change the JSON contract by accident.

type jsonReport struct {
	Version  int           `json:"version"`
	Tool     jsonTool      `json:"tool"`
	Findings []jsonFinding `json:"findings"`
	Summary  jsonSummary   `json:"summary"`
}

type jsonTool struct {
	Name    string `json:"name"`
	Version string `json:"version"`
}

type jsonFinding struct {
	Code      string        `json:"code"`
	Name      string        `json:"name"`
	Severity  string        `json:"severity"`
	File      string        `json:"file"`
	Line      int           `json:"line"`
	Column    int           `json:"column"`
	EndLine   int           `json:"end_line"`
	EndColumn int           `json:"end_column"`
	Message   string        `json:"message"`
	Install   string        `json:"install"`
	Host      string        `json:"host"`
	Key       string        `json:"key"`
	Related   []jsonRelated `json:"related"`
	Fix       *jsonFix      `json:"fix,omitempty"`
	// Alternatives are fixes offered besides Fix, never applied by --fix.
	Alternatives []*jsonFix `json:"alternatives,omitempty"`
	Fingerprint  string     `json:"fingerprint"`
	Suppressed   bool       `json:"suppressed"`
}

type jsonRelated struct {
	File    string `json:"file"`
	Line    int    `json:"line"`
	Column  int    `json:"column"`
	Message string `json:"message"`
}

type jsonFix struct {
	Applicability string     `json:"applicability"`
	Message       string     `json:"message"`
	Edits         []jsonEdit `json:"edits"`
}

type jsonEdit struct {
	File    string `json:"file"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	NewText string `json:"new_text"`
}

type jsonSummary struct {
	Files      int            `json:"files"`
	Installs   int            `json:"installs"`
	Hosts      int            `json:"hosts"`
	Findings   int            `json:"findings"`
	BySeverity jsonBySeverity `json:"by_severity"`
	Fixable    int            `json:"fixable"`
}

type jsonBySeverity struct {
	Error   int `json:"error"`
	Warning int `json:"warning"`
	Info    int `json:"info"`
}

// JSON writes the report: every finding, suppressed ones
// included and marked, so that tools building on it (baselines, dashboards)
// see the whole picture; the summary counts only unsuppressed findings, as
// the exit code does. Arrays are never null, so consumers need no nil
// checks; output is indented by two spaces and ends in a newline. Positions
// are 1-based with byte columns, end_column exclusive; fix edits are byte
// offsets into the original file.
func JSON(w io.Writer, fl *fleet.Fleet, findings []*lint.Finding, opt Options) error {
	rep := jsonReport{
		Version:  jsonSchemaVersion,
		Tool:     jsonTool{Name: toolName, Version: opt.Version},
		Findings: make([]jsonFinding, 0, len(findings)),
	}
	for _, f := range findings {
		rep.Findings = append(rep.Findings, toJSONFinding(f))
	}
	s := Summarize(fl, findings)
	rep.Summary = jsonSummary{
		Files: s.Files, Installs: s.Installs, Hosts: s.Hosts, Findings: s.Findings,
		BySeverity: jsonBySeverity{
			Error: s.BySeverity[lint.Error], Warning: s.BySeverity[lint.Warning], Info: s.BySeverity[lint.Info],
		},
		Fixable: s.Fixable,
	}
	return encodeJSON(w, rep)
}

func toJSONFinding(f *lint.Finding) jsonFinding {
	start, end := f.Start(), f.End()
	jf := jsonFinding{
		Code: f.Rule.Code, Name: f.Rule.Name, Severity: f.Severity.String(),
		File: f.File.Path, Line: start.Line, Column: start.Col, EndLine: end.Line, EndColumn: end.Col,
		Message: f.Message, Install: f.InstallRoot(), Host: f.HostName(), Key: f.Key,
		Related:     make([]jsonRelated, 0, len(f.Related)),
		Fingerprint: f.Fingerprint, Suppressed: f.Suppressed,
	}
	for _, r := range f.Related {
		file := r.File
		if file == nil {
			file = f.File
		}
		pos := file.Pos(r.Span.Start)
		jf.Related = append(jf.Related, jsonRelated{File: file.Path, Line: pos.Line, Column: pos.Col, Message: r.Message})
	}
	if f.Fix != nil && f.Fix.Applicability != lint.NoFix {
		jf.Fix = jsonFixOf(f.Fix)
	}
	for _, alt := range f.Alternatives {
		jf.Alternatives = append(jf.Alternatives, jsonFixOf(alt))
	}
	return jf
}

func jsonFixOf(f *lint.Fix) *jsonFix {
	fx := &jsonFix{Applicability: f.Applicability.String(), Message: f.Message, Edits: make([]jsonEdit, 0, len(f.Edits))}
	for _, e := range f.Edits {
		fx.Edits = append(fx.Edits, jsonEdit{File: e.Path, Start: e.Start, End: e.End, NewText: e.New})
	}
	return fx
}

// encodeJSON writes v indented by two spaces with a final newline. HTML
// escaping is off: the output is read by programs and people, not embedded
// in a web page, and "<" is clearer than "\u003c" in a message.
func encodeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(v)
}
