package report

import (
	"bytes"
	"io"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/wso2lint/wso2lint/fleet"
)

// portsTableHeader names the table's columns; NOTE comes last because it
// is free text of any length and would push the other columns apart.
var portsTableHeader = []string{"HOST", "INSTALL", "RUNTIME", "LISTENER", "CONFIGURED", "OFFSET", "EFFECTIVE", "BIND", "PUBLISHED", "NOTE"}

// PortsTable writes the effective port map as aligned columns, one row per
// listener: where it runs, what is configured, the offset and where that
// came from, the effective port, the bind address, and the host or
// Service ports that publish it when a container runs the install.
// Unknown values are "?" rather than a guess; the note says why. Rows
// never end in blanks. Files recognised but not read (Helm templates) are
// listed after the table.
func PortsTable(w io.Writer, fl *fleet.Fleet) error {
	rows := [][]string{portsTableHeader}
	for _, r := range portsRows(portsModel(fl)) {
		rows = append(rows, append([]string{r.Entry.Host}, r.humanCells()...))
	}
	var buf bytes.Buffer
	writeAligned(&buf, rows)
	if sk := skippedLines(fl); len(sk) > 0 {
		buf.WriteString("\nSkipped:\n")
		for _, l := range sk {
			buf.WriteString("  " + Escape(l) + "\n")
		}
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// writeAligned pads every column but the last to its widest cell plus two
// spaces, counting characters so that non-ASCII paths align. It is used
// instead of text/tabwriter because tabwriter pads a cell before an empty
// last column, leaving trailing blanks.
func writeAligned(w *bytes.Buffer, rows [][]string) {
	var widths []int
	for r, row := range rows {
		row = slices.Clone(row)
		rows[r] = row
		for i, c := range row {
			// Paths and notes may hold anything a file name can.
			c = Escape(c)
			row[i] = c
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			widths[i] = max(widths[i], utf8.RuneCountInString(c))
		}
	}
	for _, row := range rows {
		var b strings.Builder
		for i, c := range row {
			b.WriteString(c)
			if i < len(row)-1 {
				b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c)+2))
			}
		}
		w.WriteString(strings.TrimRight(b.String(), " "))
		w.WriteByte('\n')
	}
}
