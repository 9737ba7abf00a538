package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/lint"
)

// checkPortRelated compares the related locations of all findings, in
// order, rendered as "path:line:col-endline:endcol message".
func checkPortRelated(t *testing.T, got []*lint.Finding, want []string) {
	t.Helper()
	var lines []string
	for _, f := range got {
		for _, r := range f.Related {
			s, e := r.File.Pos(r.Span.Start), r.File.Pos(r.Span.End)
			lines = append(lines, fmt.Sprintf("%s:%d:%d-%d:%d %s", r.File.Path, s.Line, s.Col, e.Line, e.Col, r.Message))
		}
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("related locations differ\n got:\n\t%s\nwant:\n\t%s", strings.Join(lines, "\n\t"), strings.Join(want, "\n\t"))
	}
}
