package report

import (
	"encoding/csv"
	"io"
	"strconv"
	"strings"
)

// portsCSVHeader is the CSV's first row; spreadsheets and scripts select
// columns by these names, so they are part of the contract.
var portsCSVHeader = []string{"host", "install", "product", "runtime", "listener", "key", "configured",
	"offset", "offset_source", "effective", "bind", "file", "line", "published", "note"}

// PortsCSV writes the effective port map as RFC 4180 CSV, one row per
// listener, with the header portsCSVHeader. Unknown numbers are empty
// cells, the CSV idiom for null, so that a numeric column still sorts and
// sums; the note says why a number is missing.
func PortsCSV(w io.Writer, m *PortsMap) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(portsCSVHeader); err != nil {
		return err
	}
	var err error
	m.eachRow(func(r portsRow) {
		if err != nil {
			return
		}
		e := r.Entry
		rec := []string{e.Host, e.Root, e.Product, e.Runtime, "", "", "", numOr(e.Offset, ""), e.OffsetSource,
			"", "", "", "", "", r.note()}
		if p := r.Port; p != nil {
			rec[4], rec[5], rec[6] = p.Name, p.Key, numOr(p.Configured, "")
			rec[9], rec[10], rec[11], rec[12] = numOr(p.Effective, ""), p.Bind, p.File, strconv.Itoa(p.Line)
			rec[13] = strings.ReplaceAll(publishedText(e, *p), ",", " ")
		}
		for i := range rec {
			// Escapes and bidi controls in a path would act on a
			// terminal showing the CSV; line breaks are CSV's to quote.
			rec[i] = escapeKeepingLines(rec[i])
		}
		err = cw.Write(rec)
	})
	if err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}
