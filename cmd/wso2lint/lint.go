package main

import (
	"fmt"
	"sort"
	"time"

	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/report"
	"github.com/wso2lint/wso2lint/rules"
)

const lintUsage = `Usage: wso2lint [lint] [flags] [PATH ...]

Lints the installs found under each PATH (a directory is walked; a file
stands for its host, and only findings in the named files are reported).

Flags:
`

func runLint(args []string, e env) (int, error) {
	fs := newFlagSet("lint", e, lintUsage)
	var c commonFlags
	c.register(fs, "text", "text, concise or json")
	var sel, ign listFlag
	fs.Var(&sel, "select", "run only these rules: codes, prefixes (P, O0), names or ALL; comma-separated, repeatable")
	fs.Var(&ign, "ignore", "skip these rules (same forms as --select)")
	failLevel := fs.String("fail-level", "", "exit 1 on findings at or above `LEVEL`: error, warning or info (default warning)")
	exitZero := fs.Bool("exit-zero", false, "exit 0 even when findings remain")
	quiet := fs.Bool("quiet", false, "print findings only: no summary line")
	noColor := fs.Bool("no-color", false, "never colour the output (NO_COLOR is honoured too)")
	stats := fs.Bool("statistics", false, "print the number of findings per rule instead of the findings")
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		return 0, err
	}
	switch c.format {
	case "text", "concise", "json":
	default:
		return 0, usagef("unknown --format %q (want text, concise or json)", c.format)
	}
	for _, s := range append(append([]string{}, sel...), ign...) {
		if err := lint.ValidateSelector(rules.All, s); err != nil {
			return 0, usagef("%v", err)
		}
	}
	ld, err := load(&c, paths, e)
	if err != nil {
		return 0, err
	}
	cfg := ld.cfg
	selected := cfg.Select
	if len(sel) > 0 {
		selected = sel
	}
	enabled, err := lint.Select(rules.All, selected, append(append([]string{}, cfg.Ignore...), ign...))
	if err != nil {
		return 0, usagef("%v", err)
	}
	level := lint.Warning
	if cfg.HasFailLevel {
		level = cfg.FailLevel
	}
	if *failLevel != "" {
		if level, err = lint.ParseSeverity(*failLevel); err != nil {
			return 0, usagef("--fail-level: %v", err)
		}
	}
	findings, err := lint.Run(ld.fleet, lint.Options{
		Rules: rules.All, Enabled: enabled, Severity: cfg.Severity, Ephemeral: cfg.Ephemeral,
		PerFileIgnores: cfg.PerFileIgnores, Base: ld.cfgDir, Today: time.Now(),
	})
	if err != nil {
		return 0, err
	}
	opt := report.Options{Color: e.tty && !*noColor && e.getenv("NO_COLOR") == "", Version: version}
	switch {
	case *stats:
		printStatistics(e, findings)
	case c.format == "text":
		err = report.Text(e.stdout, findings, opt)
	case c.format == "concise":
		err = report.Concise(e.stdout, findings, opt)
	case c.format == "json":
		err = report.JSON(e.stdout, ld.fleet, findings, opt)
	}
	if err != nil {
		return 0, err
	}
	sum := report.Summarize(ld.fleet, findings)
	if !*quiet && c.format != "json" {
		fmt.Fprintln(e.stderr, report.SummaryLine(sum, false))
	}
	if *exitZero {
		return exitOK, nil
	}
	for _, f := range findings {
		if !f.Suppressed && f.Severity >= level {
			return exitFindings, nil
		}
	}
	return exitOK, nil
}

// printStatistics prints one line per rule with its count of unsuppressed
// findings, most frequent first.
func printStatistics(e env, findings []*lint.Finding) {
	counts := map[*lint.Rule]int{}
	for _, f := range findings {
		if !f.Suppressed {
			counts[f.Rule]++
		}
	}
	rs := make([]*lint.Rule, 0, len(counts))
	for r := range counts {
		rs = append(rs, r)
	}
	sort.Slice(rs, func(i, j int) bool {
		if counts[rs[i]] != counts[rs[j]] {
			return counts[rs[i]] > counts[rs[j]]
		}
		return rs[i].Code < rs[j].Code
	})
	for _, r := range rs {
		fmt.Fprintf(e.stdout, "%5d  %s  %-26s %s\n", counts[r], r.Code, r.Name, r.Severity)
	}
}
