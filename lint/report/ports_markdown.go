package report

import (
	"bytes"
	"io"
	"strings"
)

// portsMarkdownHeader names the Markdown table's columns: the text
// table's without HOST, which is the section heading instead.
var portsMarkdownHeader = []string{"Install", "Runtime", "Listener", "Configured", "Offset", "Effective", "Bind", "Published", "Note"}

// PortsMarkdown writes the effective port map as GitHub-flavoured
// Markdown, one "## host" section per host holding one table, for a
// pull-request comment, a job summary ($GITHUB_STEP_SUMMARY) or a wiki
// page. Cell text is escaped so that a "|" in a path cannot break a table.
func PortsMarkdown(w io.Writer, m *PortsMap) error {
	// Written host by host: the map of a large fleet is not held whole.
	var buf bytes.Buffer
	var err error
	flush := func() {
		if err == nil {
			_, err = w.Write(buf.Bytes())
		}
		buf.Reset()
	}
	host, first := "", true
	m.eachRow(func(r portsRow) {
		if first || r.Entry.Host != host {
			if !first {
				buf.WriteByte('\n')
				flush()
			}
			host, first = r.Entry.Host, false
			buf.WriteString("## " + mdEscape(host) + "\n\n")
			writeMarkdownRow(&buf, portsMarkdownHeader)
			seps := make([]string, len(portsMarkdownHeader))
			for i := range seps {
				seps[i] = "---"
			}
			writeMarkdownRow(&buf, seps)
		}
		writeMarkdownRow(&buf, r.humanCells())
	})
	if sk := m.skippedLines(); len(sk) > 0 {
		if !first {
			buf.WriteByte('\n')
		}
		buf.WriteString("## Skipped files\n\n")
		for _, l := range sk {
			buf.WriteString("- " + mdEscape(l) + "\n")
		}
	}
	if err == nil && (buf.Len() > 0 || first) {
		_, err = w.Write(buf.Bytes())
	}
	return err
}

func writeMarkdownRow(w *bytes.Buffer, cells []string) {
	w.WriteString("|")
	for _, c := range cells {
		w.WriteString(" " + mdEscape(c) + " |")
	}
	w.WriteByte('\n')
}

// mdEscape makes text safe inside a table cell: a pipe would end the cell
// and a line break the row; backslashes, backticks and emphasis markers
// are escaped so that paths and keys render literally. Underscores are
// left alone: GitHub does not read them as emphasis inside a word, and
// the raw Markdown stays readable.
func mdEscape(s string) string {
	if s == "" {
		return s
	}
	s = escapeKeepingLines(s)
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '|', '`', '*', '<', '>', '[', ']':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '\n', '\r':
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
