package main

import (
	"bufio"
	"io"

	"github.com/wso2lint/wso2lint/fleet"
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
	fl, err := ld.fleet(nil, releaseForPorts)
	if err != nil {
		return err
	}
	switch c.format {
	case "json":
		// PortsJSON writes whole values, host by host: each is escaped
		// and written as it comes.
		bw := bufio.NewWriter(e.stdout)
		if err := report.PortsJSON(escapedWriter{bw}, fl, version); err != nil {
			return err
		}
		return bw.Flush()
	case "csv":
		return report.PortsCSV(e.stdout, fl)
	case "markdown":
		return report.PortsMarkdown(e.stdout, fl)
	}
	return report.PortsTable(e.stdout, fl)
}

// releaseForPorts is the loader's OnHost for the port map: once a host is
// built, the model holds every port, offset and the span it was read
// from, and the report needs of a file only its path, its problem and,
// for a file a port is written in, the line index that turns the span
// into a line. The bytes, comments and parsed documents are dropped host
// by host, as the lint does, so that the map of a large fleet costs the
// size of its model, not of its files (it held every file of a
// 10,000-install fleet, nine times the lint's memory).
func releaseForPorts(sub *fleet.Fleet) {
	shown := map[*fleet.File]bool{}
	for _, in := range sub.Installs {
		for _, rt := range in.Runtimes {
			for _, l := range rt.Listeners {
				if l.Port != nil && l.Port.File != nil {
					shown[l.Port.File] = true
				}
			}
		}
	}
	for _, f := range sub.Files {
		lines := f.Lines
		f.Release()
		if shown[f] {
			f.Lines = lines
		}
	}
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
