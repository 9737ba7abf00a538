package main

import (
	"bytes"
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
	fl, err := ld.fleet(nil, nil)
	if err != nil {
		return err
	}
	switch c.format {
	case "json":
		var buf bytes.Buffer
		if err := report.PortsJSON(&buf, fl, version); err != nil {
			return err
		}
		_, err := e.stdout.Write(report.EscapeEncoded(buf.Bytes(), false))
		return err
	case "csv":
		return report.PortsCSV(e.stdout, fl)
	case "markdown":
		return report.PortsMarkdown(e.stdout, fl)
	}
	return report.PortsTable(e.stdout, fl)
}
