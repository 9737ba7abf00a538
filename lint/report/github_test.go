package report_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/internal/srcpos"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/report"
	"github.com/wso2lint/wso2lint/rules"
)

func TestGitHubGolden(t *testing.T) {
	ex := runExamples(t)
	for name, fn := range map[string]func(w *bytes.Buffer) error{
		"examples.github":     func(w *bytes.Buffer) error { return report.GitHub(w, ex.Findings) },
		"examples_summary.md": func(w *bytes.Buffer) error { return report.GitHubSummary(w, ex.Findings) },
	} {
		got := render(t, fn)
		golden(t, name, got)
		if again := render(t, fn); !bytes.Equal(got, again) {
			t.Errorf("%s is not deterministic", name)
		}
	}
}

// workflowCommand is one parsed workflow command, read back as the
// Actions runner reads it (ActionCommand.TryParseV2 in actions/runner).
type workflowCommand struct {
	Command string
	Props   map[string]string
	Data    string
}

func parseWorkflowCommand(t *testing.T, line string) workflowCommand {
	t.Helper()
	if !strings.HasPrefix(line, "::") {
		t.Fatalf("not a workflow command: %q", line)
	}
	end := strings.Index(line[2:], "::")
	if end < 0 {
		t.Fatalf("no '::' ends the command: %q", line)
	}
	info, data := line[2:2+end], line[2+end+2:]
	cmd := workflowCommand{Props: map[string]string{}, Data: unescapeData(data)}
	name, props, _ := strings.Cut(info, " ")
	cmd.Command = name
	for _, p := range strings.Split(props, ",") {
		if p == "" {
			continue
		}
		k, v, ok := strings.Cut(p, "=")
		if !ok {
			t.Fatalf("property without '=' in %q", line)
		}
		cmd.Props[k] = unescapeProperty(v)
	}
	return cmd
}

// unescapeData and unescapeProperty decode as the runner does: the
// specific escapes first, %25 last.
func unescapeData(s string) string {
	return unescapeAll(s, [][2]string{{"%0D", "\r"}, {"%0A", "\n"}, {"%25", "%"}})
}

func unescapeProperty(s string) string {
	return unescapeAll(s, [][2]string{{"%0D", "\r"}, {"%0A", "\n"}, {"%3A", ":"}, {"%2C", ","}, {"%25", "%"}})
}

func unescapeAll(s string, pairs [][2]string) string {
	for _, r := range pairs {
		s = strings.ReplaceAll(s, r[0], r[1])
	}
	return s
}

func githubLines(t *testing.T, fs []*lint.Finding) []string {
	t.Helper()
	out := render(t, func(w *bytes.Buffer) error { return report.GitHub(w, fs) })
	if len(out) == 0 {
		return nil
	}
	if !bytes.HasSuffix(out, []byte("\n")) {
		t.Errorf("output does not end in a newline: %q", out)
	}
	return strings.Split(strings.TrimSuffix(string(out), "\n"), "\n")
}

func TestGitHubEscaping(t *testing.T) {
	src := "[server]\noffset = 10\n"
	ff := memFile(src)
	ff.Path = "dir,x/a:b/100%/new\nline\r.toml"
	msg := "100% sure: a, b\nsecond line\r\nthird :: line %0A"
	f := &lint.Finding{
		Rule: &lint.Rule{Code: "T001", Name: "odd,name:x"}, Severity: lint.Warning, File: ff,
		Span: srcpos.Span{Start: 9, End: 20}, Message: msg,
	}
	lines := githubLines(t, []*lint.Finding{f})
	if len(lines) != 1 {
		t.Fatalf("%d lines for one finding (a raw newline escaped?): %q", len(lines), lines)
	}
	want := "::warning file=dir%2Cx/a%3Ab/100%25/new%0Aline%0D.toml,line=2,col=1,endLine=2,endColumn=12," +
		"title=T001 odd%2Cname%3Ax::100%25 sure: a, b%0Asecond line%0D%0Athird :: line %250A"
	if lines[0] != want {
		t.Errorf("got\n%s\nwant\n%s", lines[0], want)
	}
	cmd := parseWorkflowCommand(t, lines[0])
	if cmd.Command != "warning" || cmd.Props["file"] != ff.Path || cmd.Props["title"] != "T001 odd,name:x" || cmd.Data != msg {
		t.Errorf("read back as %+v", cmd)
	}
	for k, v := range map[string]string{"line": "2", "col": "1", "endLine": "2", "endColumn": "12"} {
		if cmd.Props[k] != v {
			t.Errorf("%s = %q, want %q", k, cmd.Props[k], v)
		}
	}
}

func TestGitHubOrderAndFields(t *testing.T) {
	fl := loadFixture(t)
	fs := fixtureFindings(t, fl)
	lines := githubLines(t, fs)
	// The suppressed finding is left out; errors, then warnings, then
	// notices, each in the order given.
	var got []string
	for _, l := range lines {
		c := parseWorkflowCommand(t, l)
		got = append(got, c.Command+" "+strings.Fields(c.Props["title"])[0])
		if c.Props["file"] == "" || c.Props["line"] == "" || c.Props["endLine"] == "" {
			t.Errorf("missing location in %q", l)
		}
		// Columns only for a one-line span (the K003 finding spans lines).
		if _, hasCol := c.Props["col"]; hasCol != (c.Props["line"] == c.Props["endLine"]) {
			t.Errorf("col given = %v for lines %s-%s", hasCol, c.Props["line"], c.Props["endLine"])
		}
	}
	want := []string{"error P001", "warning K002", "warning K003", "notice T001"}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("order = %v, want %v", got, want)
	}
	if lines := githubLines(t, nil); lines != nil {
		t.Errorf("no findings printed %q", lines)
	}
}

func TestGitHubSummary(t *testing.T) {
	// More findings than GitHub shows as annotations (10 errors, 10
	// warnings per step): the summary lists every one.
	src := "[server]\noffset = 10\n"
	ff := memFile(src)
	ff.Path = "a|b/deployment.toml"
	var fs []*lint.Finding
	for i := range 25 {
		sev := []lint.Severity{lint.Info, lint.Warning, lint.Error}[i%3]
		fs = append(fs, &lint.Finding{Rule: rules.RedundantOffset, Severity: sev, File: ff,
			Span: srcpos.Span{Start: 9, End: 20}, Message: fmt.Sprintf("problem %d | with a pipe\nand a line", i)})
	}
	fs = append(fs, &lint.Finding{Rule: rules.RedundantOffset, Severity: lint.Error, File: ff, Suppressed: true, Message: "hidden"})
	out := string(render(t, func(w *bytes.Buffer) error { return report.GitHubSummary(w, fs) }))
	if !strings.HasPrefix(out, "## wso2lint\n\nFound 25 problems (8 errors, 8 warnings, 9 info); 1 suppressed.\n\n| Severity | Code | Location | Message |\n|---|---|---|---|\n") {
		t.Errorf("heading and count line:\n%s", out)
	}
	rows := strings.Split(strings.TrimSuffix(out, "\n"), "\n")[6:]
	if len(rows) != 25 {
		t.Fatalf("%d rows, want 25", len(rows))
	}
	for i, r := range rows {
		// A row has exactly five unescaped pipes: the escaped ones in the
		// path and the message do not split cells.
		if n := strings.Count(r, "|") - strings.Count(r, `\|`); n != 5 {
			t.Errorf("row %d has %d cell separators: %s", i, n, r)
		}
		sev := strings.TrimSpace(strings.Split(r, "|")[1])
		if want := map[bool]string{true: "error", false: ""}[i < 8]; want != "" && sev != want {
			t.Errorf("row %d severity %s, want errors first", i, sev)
		}
	}
	if !strings.Contains(rows[0], `a\|b/deployment.toml:2`) || !strings.Contains(rows[0], `problem 2 \| with a pipe and a line`) {
		t.Errorf("row 0 = %s", rows[0])
	}
	if strings.Contains(out, "hidden") {
		t.Error("the suppressed finding is listed")
	}
	empty := string(render(t, func(w *bytes.Buffer) error { return report.GitHubSummary(w, nil) }))
	if empty != "## wso2lint\n\nNo problems found.\n" {
		t.Errorf("no findings: %q", empty)
	}
}
