package report

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"unicode/utf8"
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
func PortsTable(w io.Writer, m *PortsMap) error {
	// Two passes over the fleet, the first for the column widths: the
	// rows of a large fleet are not all held at once.
	var widths []int
	measure := func(row []string) {
		for i, c := range row {
			if i >= len(widths) {
				widths = append(widths, 0)
			}
			// Paths and notes may hold anything a file name can.
			widths[i] = max(widths[i], utf8.RuneCountInString(Escape(c)))
		}
	}
	measure(portsTableHeader)
	m.eachRow(func(r portsRow) { measure(append([]string{r.Entry.Host}, r.humanCells()...)) })
	bw := bufio.NewWriter(w)
	var line bytes.Buffer
	write := func(row []string) {
		line.Reset()
		writeAlignedRow(&line, row, widths)
		_, _ = bw.Write(line.Bytes()) // the error is kept by bw
	}
	write(portsTableHeader)
	m.eachRow(func(r portsRow) { write(append([]string{r.Entry.Host}, r.humanCells()...)) })
	if sk := m.skippedLines(); len(sk) > 0 {
		_, _ = bw.WriteString("\nSkipped:\n")
		for _, l := range sk {
			_, _ = bw.WriteString("  " + Escape(l) + "\n")
		}
	}
	return bw.Flush()
}

// writeAlignedRow writes one row of the table, padding every column but
// the last to its width (the widest cell plus two spaces), counting
// characters so that non-ASCII paths align, and escaping each cell. It is
// used instead of text/tabwriter because tabwriter pads a cell before an
// empty last column, leaving trailing blanks.
func writeAlignedRow(w *bytes.Buffer, row []string, widths []int) {
	var b strings.Builder
	for i, c := range row {
		c = Escape(c)
		b.WriteString(c)
		if i < len(row)-1 {
			b.WriteString(strings.Repeat(" ", widths[i]-utf8.RuneCountInString(c)+2))
		}
	}
	w.WriteString(strings.TrimRight(b.String(), " "))
	w.WriteByte('\n')
}
