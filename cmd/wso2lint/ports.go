package main

import (
	"bufio"
	"io"

	"github.com/wso2lint/wso2lint/lint/report"
)

const portsUsage = `Usage: wso2lint ports [flags] [PATH ...]

Prints the effective port of every listener, per host, with where each
offset came from. Unknown ports (unresolved placeholders, invalid values)
are shown as unknown, never guessed.

Flags:
`

func runPorts(args []string, e env) error {
	fs := newFlagSet("ports", e, portsUsage)
	var c commonFlags
	c.register(fs, "table", "table, json, csv or markdown")
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		return err
	}
	switch c.format {
	case "table", "json", "csv", "markdown":
	default:
		return usagef("unknown --format %q (want table, json, csv or markdown)", c.format)
	}
	ld, err := configure(&c, paths, e)
	if err != nil {
		return err
	}
	m := &report.PortsMap{}
	fl, err := ld.fleet(nil, m.Host)
	if err != nil {
		return err
	}
	m.Loaded(fl)
	switch c.format {
	case "json":
		// PortsJSON writes whole values, host by host: each is escaped
		// and written as it comes.
		bw := bufio.NewWriter(e.stdout)
		if err := report.PortsJSON(escapedWriter{bw}, m, version); err != nil {
			return err
		}
		return bw.Flush()
	case "csv":
		return report.PortsCSV(e.stdout, m)
	case "markdown":
		return report.PortsMarkdown(e.stdout, m)
	}
	return report.PortsTable(e.stdout, m)
}

// escapedWriter escapes the hidden characters of encoded JSON
// (report.EscapeEncoded) in each write, which must hold whole characters.
type escapedWriter struct{ w io.Writer }

func (e escapedWriter) Write(p []byte) (int, error) {
	if _, err := e.w.Write(report.EscapeEncoded(p, false)); err != nil {
		return 0, err
	}
	return len(p), nil
}
