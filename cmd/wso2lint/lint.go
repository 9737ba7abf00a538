package main

import (
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/report"
	"github.com/wso2lint/wso2lint/rewrite"
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
	c.register(fs, "text", strings.Join(lintFormats, ", "))
	var outputs listFlag
	fs.Var(&outputs, "output", "also write `FORMAT[:FILE]` (stdout without FILE); repeatable, e.g. --output sarif:wso2lint.sarif")
	noCIDetect := fs.Bool("no-ci-detect", false, "do not add GitHub annotations when GITHUB_ACTIONS=true")
	includeSuppressed := fs.Bool("include-suppressed", false, "show suppressed findings too (text, concise, sarif)")
	var sel, ign listFlag
	fs.Var(&sel, "select", "run only these rules: codes, prefixes (P, O0), names or ALL; comma-separated, repeatable")
	fs.Var(&ign, "ignore", "skip these rules (same forms as --select)")
	failLevel := fs.String("fail-level", "", "exit 1 on findings at or above `LEVEL`: error, warning or info (default warning)")
	exitZero := fs.Bool("exit-zero", false, "exit 0 even when findings remain")
	quiet := fs.Bool("quiet", false, "print findings only: no summary line")
	noColor := fs.Bool("no-color", false, "never colour the output (NO_COLOR is honoured too)")
	stats := fs.Bool("statistics", false, "print the number of findings per rule instead of the findings")
	fix := fs.Bool("fix", false, "apply safe fixes in place, then report what remains")
	unsafe := fs.Bool("unsafe-fixes", false, "also apply unsafe fixes (with --fix or --diff)")
	diff := fs.Bool("diff", false, "print the fixes as a unified diff and write nothing; exit 1 when it shows a change")
	baselinePath := fs.String("baseline", "", "hide the findings recorded in baseline `FILE`; report only new ones")
	writeBaseline := fs.String("write-baseline", "", "record the current findings in baseline `FILE` and exit 0")
	failStale := fs.Bool("fail-on-stale-baseline", false, "exit 1 when baseline entries no longer match any finding")
	newFromRev := fs.String("new-from-rev", "", "report only findings on lines or keys changed since git `REV`")
	showConfig := fs.Bool("show-config", false, "print the resolved configuration and where it came from, then exit")
	stdinName := fs.String("stdin-filename", "", "lint standard input as the file at `PATH` (for editors); only that file's findings are reported")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile of the run to `FILE` (attach it to a report of slowness)")
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		return 0, err
	}
	specs, err := parseOutputs(c.format, outputs, !*noCIDetect, e)
	if err != nil {
		return 0, err
	}
	for _, s := range append(append([]string{}, sel...), ign...) {
		if err := lint.ValidateSelector(rules.All, s); err != nil {
			return 0, usagef("%v", err)
		}
	}
	if *unsafe && !*fix && !*diff {
		return 0, usagef("--unsafe-fixes works with --fix or --diff")
	}
	if *fix && *diff {
		return 0, usagef("--fix and --diff exclude each other: --diff shows what --fix would write")
	}
	var overlay map[string][]byte
	if *stdinName != "" {
		if len(paths) > 0 {
			return 0, usagef("--stdin-filename lints standard input alone: give no PATH")
		}
		if *fix || *diff {
			return 0, usagef("--stdin-filename cannot be combined with --fix or --diff")
		}
		paths = []string{*stdinName}
	}
	ld, err := configure(&c, paths, e)
	if err != nil {
		return 0, err
	}
	cfg := ld.cfg
	if *stdinName != "" {
		// Standard input is read with the limit a file on disk has, one
		// byte past it: the loader then reports it as too large (S003),
		// as it would the same bytes on disk, rather than cutting it.
		limit := cfg.MaxFileSize
		if limit <= 0 {
			limit = fleet.DefaultMaxFileSize
		}
		src, err := io.ReadAll(io.LimitReader(e.stdin, limit+1))
		if err != nil {
			return 0, usagef("reading standard input: %v", err)
		}
		abs := *stdinName
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(e.workDir, abs)
		}
		overlay = map[string][]byte{filepath.Clean(abs): src}
	}
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
	if *showConfig {
		return exitOK, printConfig(e, ld, selected, append(append([]string{}, cfg.Ignore...), ign...), level)
	}
	// Everything the run will write is checked, and the baseline read,
	// before anything is written: a usage error after --fix has
	// rewritten files would leave an operator guessing what changed.
	g, err := readGateFiles(e, *baselinePath, *writeBaseline)
	if err != nil {
		return 0, err
	}
	if !*diff {
		if err := checkOutputs(e, specs); err != nil {
			return 0, err
		}
	}
	if *cpuProfile != "" {
		stop, err := startCPUProfile(e, *cpuProfile)
		if err != nil {
			return 0, err
		}
		defer stop()
	}
	runOpt := cfg.RunOptions(rules.All, enabled, ld.cfgDir)
	runOpt.Today = time.Now()
	var changed map[string]lint.LineSet
	if *newFromRev != "" {
		// Known before linting: a rule that relates two installs reports
		// on the one the change touched (and its fix moves that one).
		if changed, err = lint.ChangedSince(e.workDir, *newFromRev); err != nil {
			return 0, usagef("--new-from-rev: %v", err)
		}
		runOpt.Touched = map[string]bool{}
		for p, ls := range changed {
			if ls.Changed() {
				runOpt.Touched[p] = true
			}
		}
	}
	var fl *fleet.Fleet
	var findings []*lint.Finding
	var oscillating []string
	fixed := 0
	stopProgress := func() {}
	if wantProgress(e, *quiet, specs) {
		ld.opts.Progress = &fleet.Progress{}
		stopProgress = startProgress(e.stderr, ld.opts.Progress)
	}
	defer stopProgress()
	// The run forgets the installs no finding needs (lint.Stream.Forget)
	// unless it writes a JUnit report, which lists every file linted.
	forget := *diff || !hasFormat(specs, "junit")
	if *fix || *diff {
		fo := lint.FixOptions{Unsafe: *unsafe, Forget: forget}
		var res *lint.FixResult
		if *diff {
			res, err = lint.ApplyFixes(ld.fleet, runOpt, fo)
		} else {
			res, err = lint.FixInPlace(ld.fleet, runOpt, fo, lint.WriteOptions{Roots: fixRoots(e, ld.paths), Commit: commitFile})
		}
		stopProgress()
		if err != nil {
			return 0, err
		}
		if *diff {
			return printDiff(e, res)
		}
		fl, findings, fixed = res.Fleet, res.Findings, res.Fixed
		if len(res.Oscillating) > 0 {
			oscillating = res.Oscillating
		}
	} else {
		// Lint host by host while the fleet loads (lint.Stream), which
		// bounds memory by a few hosts' files rather than the fleet's.
		// "N fixable with --fix" and the fixes in every format must be
		// what --fix does: the stream judges each host's safe fixes as
		// --fix would while the host's files are parsed.
		s := lint.NewStream(runOpt)
		s.JudgeFixes()
		if forget {
			s.Forget()
		}
		if fl, err = ld.fleet(overlay, s.Host); err != nil {
			return 0, err
		}
		findings, err = s.Finish(fl)
		stopProgress()
		if err != nil {
			return 0, err
		}
		load := ld.fleet
		if overlay != nil {
			load = func(fixed map[string][]byte, onHost func(*fleet.Fleet)) (*fleet.Fleet, error) {
				merged := make(map[string][]byte, len(overlay)+len(fixed))
				for k, v := range overlay {
					merged[k] = v
				}
				for k, v := range fixed {
					merged[k] = v
				}
				return ld.fleet(merged, onHost)
			}
		}
		settledFleet, settled, err := lint.SettleFixes(load, runOpt, fl, findings, s)
		var fe *lint.FixError
		switch {
		case errors.As(err, &fe):
			// A fix that fails its safety net is a bug in a rule, which
			// --fix reports with exit 3; a lint run still reports the
			// findings.
			fmt.Fprintf(e.stderr, "wso2lint: warning: the fixes could not be checked: %v\n", err)
		case err != nil:
			return 0, err
		default:
			fl, findings = settledFleet, settled
		}
	}
	sum := report.Summarize(fl, findings)
	sum.Fixed, sum.UnsafeFixesApplied = fixed, *unsafe
	stale, err := gate(e, fl, enabled, &findings, g, changed)
	if err == nil {
		opt := report.Options{Color: e.tty && !*noColor && e.getenv("NO_COLOR") == "", Version: version, ShowSuppressed: *includeSuppressed}
		if *stats {
			err = printStatistics(e, findings)
		} else {
			err = writeOutputs(e, specs, fl, findings, enabled, opt)
		}
	}
	if err != nil {
		if fixed > 0 {
			// The fixes are on disk whatever went wrong after them.
			fmt.Fprintln(e.stderr, report.SummaryLine(sum, true))
		}
		return 0, err
	}
	sum = report.Summarize(fl, findings)
	sum.Fixed, sum.UnsafeFixesApplied = fixed, *unsafe
	if !*quiet && (humanOnStdout(specs) || *stats) {
		fmt.Fprintln(e.stderr, report.SummaryLine(sum, *fix))
	}
	if sum.Files == 0 && !*quiet {
		// A mistyped path in a CI job would otherwise pass for ever.
		where := strings.Join(ld.paths, ", ")
		if where == "" {
			where = "."
		}
		fmt.Fprintf(e.stderr, "wso2lint: warning: no WSO2 configuration files found in %s\n", report.Escape(where))
	}
	if len(oscillating) > 0 {
		fmt.Fprintf(e.stderr, "wso2lint: fixes for %s undo each other; those files were left unchanged\n", report.Escape(strings.Join(oscillating, ", ")))
		return exitInternal, nil
	}
	if *exitZero || *writeBaseline != "" {
		return exitOK, nil
	}
	if *failStale && len(stale) > 0 {
		return exitFindings, nil
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
func printStatistics(e env, findings []*lint.Finding) error {
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
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "%5d  %s  %-26s %s\n", counts[r], r.Code, r.Name, r.Severity)
	}
	if _, err := io.WriteString(e.stdout, b.String()); err != nil {
		return &outputError{fmt.Sprintf("writing standard output: %v", err)}
	}
	return nil
}

// printDiff prints the fixes as one unified diff per changed file and
// writes nothing. It exits 1 when there is a change, like diff(1).
func printDiff(e env, res *lint.FixResult) (int, error) {
	for _, f := range res.Files {
		if _, err := fmt.Fprint(e.stdout, rewrite.Unified(f.Path, f.Original, f.Fixed)); err != nil {
			return 0, err
		}
	}
	if len(res.Oscillating) > 0 {
		fmt.Fprintf(e.stderr, "wso2lint: fixes for %s undo each other; those files are left out\n", report.Escape(strings.Join(res.Oscillating, ", ")))
		return exitInternal, nil
	}
	for _, f := range res.Findings {
		if why, ok := res.Withheld[f.Fingerprint]; ok {
			pos := f.Start()
			fmt.Fprintf(e.stderr, "%s:%d:%d: %s: %s\n", f.File.Path, pos.Line, pos.Col, f.Rule.Code, why)
		}
	}
	if len(res.Files) == 0 {
		fmt.Fprintln(e.stderr, "No fixes to apply")
		return exitOK, nil
	}
	fmt.Fprintf(e.stderr, "Would fix %s in %s\n", plural(res.Fixed, "problem"), plural(len(res.Files), "file"))
	return exitFindings, nil
}

// fixRoots returns the linted paths, absolute: a fix may write through a
// symbolic link only to a file under one of them.
func fixRoots(e env, paths []string) []string {
	roots := make([]string, 0, len(paths)+1)
	for _, p := range paths {
		if !filepath.IsAbs(p) {
			p = filepath.Join(e.workDir, p)
		}
		roots = append(roots, p)
	}
	if len(roots) == 0 {
		roots = append(roots, e.workDir)
	}
	return roots
}

// commitFile renames a fixed file's staged content over it; tests
// replace it to fail a write that the checks before it let through.
var commitFile = (*rewrite.Staged).Commit

// plural renders "1 file", "2 files".
func plural(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
