package report

import (
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/wso2lint/wso2lint/lint"
)

// GitHub writes one GitHub Actions workflow command per finding,
//
//	::error file=path,line=3,col=1,endLine=3,endColumn=21,title=P001 duplicate-port::message
//
// which the runner turns into an annotation on the file (error, warning,
// or notice for info). Errors come first, then warnings, then notices,
// each group in the order given: GitHub shows at most 10 error and 10
// warning annotations per step and drops the rest silently, so the most
// severe must be the ones kept (GitHubSummary lists them all). col and
// endColumn (1-based byte columns, endColumn exclusive) are written only
// for a finding on one line: GitHub ignores columns across lines.
// Suppressed findings are left out.
//
// Values are escaped as the runner unescapes them: in the message '%',
// CR and LF become %25, %0D and %0A; in property values (the path and the
// title) ':' and ',' also become %3A and %2C, because they would end the
// property. Before that, the control characters of the path and message
// other than CR and LF are escaped (Escape): the runner would pass them
// on raw to the log and the annotation.
func GitHub(w io.Writer, findings []*lint.Finding) error {
	var buf bytes.Buffer
	for _, f := range bySeverity(findings) {
		start, end := f.Start(), f.End()
		fmt.Fprintf(&buf, "::%s file=%s,line=%d", githubLevel(f.Severity), githubProperty(escapeKeepingLines(f.File.Path)), start.Line)
		if start.Line == end.Line {
			fmt.Fprintf(&buf, ",col=%d,endLine=%d,endColumn=%d", start.Col, end.Line, end.Col)
		} else {
			fmt.Fprintf(&buf, ",endLine=%d", end.Line)
		}
		fmt.Fprintf(&buf, ",title=%s::%s\n", githubProperty(f.Rule.Code+" "+f.Rule.Name), githubData(escapeKeepingLines(f.Message)))
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// bySeverity returns the unsuppressed findings, errors first, then
// warnings, then info, keeping the given order within each severity.
func bySeverity(findings []*lint.Finding) []*lint.Finding {
	out := unsuppressed(findings)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Severity > out[j].Severity })
	return out
}

// githubLevel names the workflow command for a severity.
func githubLevel(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "error"
	case lint.Warning:
		return "warning"
	}
	return "notice"
}

// githubData escapes a workflow command's message, as the runner's
// escapeData does (actions/toolkit core/src/command.ts).
var githubDataEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A")

func githubData(s string) string { return githubDataEscaper.Replace(s) }

// githubProperty escapes a workflow command's property value, as the
// runner's escapeProperty does.
var githubPropertyEscaper = strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C")

func githubProperty(s string) string { return githubPropertyEscaper.Replace(s) }

// escapeKeepingLines escapes as Escape does, except CR and LF: the
// workflow command encodes those (githubData, githubProperty) and the
// runner restores them into the annotation, which may span lines; the
// Markdown summary turns them into spaces.
func escapeKeepingLines(p string) string {
	if !needsEscape(p) {
		return p
	}
	var b strings.Builder
	for i, seg := range strings.Split(p, "\n") {
		if i > 0 {
			b.WriteByte('\n')
		}
		for j, s := range strings.Split(seg, "\r") {
			if j > 0 {
				b.WriteByte('\r')
			}
			b.WriteString(Escape(s))
		}
	}
	return b.String()
}

// GitHubSummary writes every unsuppressed finding as a Markdown table, for
// $GITHUB_STEP_SUMMARY: the annotations a step can show are capped (10
// errors, 10 warnings), the job summary is not. Rows are ordered as the
// annotations are, most severe first; the code links to the rule's
// documentation. The heading and count line come first; with no findings
// the table is left out.
func GitHubSummary(w io.Writer, findings []*lint.Finding) error {
	fs := bySeverity(findings)
	var buf bytes.Buffer
	buf.WriteString("## wso2lint\n\n")
	counts := map[lint.Severity]int{}
	for _, f := range fs {
		counts[f.Severity]++
	}
	suppressed := len(findings) - len(fs)
	if len(fs) == 0 {
		buf.WriteString("No problems found")
	} else {
		s := Summary{Findings: len(fs), BySeverity: counts}
		fmt.Fprintf(&buf, "Found %s (%s)", plural(len(fs), "problem"), severities(s))
	}
	if suppressed > 0 {
		fmt.Fprintf(&buf, "; %d suppressed", suppressed)
	}
	buf.WriteString(".\n")
	if len(fs) == 0 {
		_, err := w.Write(buf.Bytes())
		return err
	}
	buf.WriteString("\n| Severity | Code | Location | Message |\n|---|---|---|---|\n")
	for _, f := range fs {
		pos := f.Start()
		code := fmt.Sprintf("[%s](%s) %s", mdEscape(f.Rule.Code), f.Rule.DocsURL(), mdEscape(f.Rule.Name))
		fmt.Fprintf(&buf, "| %s | %s | %s | %s |\n", f.Severity, code,
			mdEscape(escapeKeepingLines(fmt.Sprintf("%s:%d", f.File.Path, pos.Line))), mdEscape(escapeKeepingLines(f.Message)))
	}
	_, err := w.Write(buf.Bytes())
	return err
}
