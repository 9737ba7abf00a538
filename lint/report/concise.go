package report

import (
	"bytes"
	"fmt"
	"io"

	"github.com/wso2lint/wso2lint/lint"
)

// Concise writes one line per finding,
//
//	path:line:col: severity: message [CODE]
//
// the gcc-style line that editors, problem matchers and grep understand
// (ShellCheck's gcc format, ruff's concise). Suppressed findings are
// skipped unless opt.ShowSuppressed is set, when they end in
// " (suppressed)" so that a matcher keyed on the line start still sees
// them for what they are. Paths and messages are escaped (Escape).
func Concise(w io.Writer, findings []*lint.Finding, opt Options) error {
	var buf bytes.Buffer
	p := palette{on: opt.Color}
	for _, f := range findings {
		if f.Suppressed && !opt.ShowSuppressed {
			continue
		}
		pos := f.Start()
		fmt.Fprintf(&buf, "%s:%d:%d: %s: %s [%s]", Escape(f.File.Path), pos.Line, pos.Col,
			p.severity(f.Severity, f.Severity.String()), Escape(f.Message), p.bold(f.Rule.Code))
		if f.Suppressed {
			buf.WriteString(" (suppressed)")
		}
		buf.WriteByte('\n')
	}
	_, err := w.Write(buf.Bytes())
	return err
}
