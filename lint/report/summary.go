package report

import (
	"fmt"
	"strings"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
)

// Summary counts what a run found. It is computed once and shared by the
// stderr summary line and the JSON "summary" object, so that both always
// agree.
type Summary struct {
	// Files, Installs and Hosts size the fleet that was linted, so that
	// "no problems" can be told apart from "nothing was looked at".
	Files, Installs, Hosts int
	// Findings counts the findings that were not suppressed;
	// FilesWithFindings the files they are located in.
	Findings, FilesWithFindings int
	// BySeverity splits Findings by severity; every severity has an
	// entry, zero included.
	BySeverity map[lint.Severity]int
	// Fixable counts unsuppressed findings with a safe fix (applied by
	// --fix); UnsafeFixable those with an unsafe fix (also needing
	// --unsafe-fixes).
	Fixable, UnsafeFixable int
	// Suppressed counts findings silenced by an inline suppression.
	Suppressed int

	// Fixed is how many findings --fix fixed. Summarize cannot know it:
	// the caller sets it after the fix loop, and SummaryLine uses it in
	// fix mode.
	Fixed int
	// UnsafeFixesApplied is set by the caller when --unsafe-fixes was in
	// effect, so that fix mode does not advise a flag that was given.
	UnsafeFixesApplied bool
}

// Summarize counts findings and the size of the fleet. Suppressed findings
// are counted only in Suppressed: they must not fail a run or be offered
// as fixable. fl may be nil (nothing was loaded).
func Summarize(fl *fleet.Fleet, findings []*lint.Finding) Summary {
	s := Summary{BySeverity: map[lint.Severity]int{lint.Error: 0, lint.Warning: 0, lint.Info: 0}}
	if fl != nil {
		// A streamed lint counts what it forgot (lint.Stream.Forget).
		s.Installs, s.Hosts, s.Files = len(fl.Installs)+fl.Forgotten.Installs, len(fl.Hosts), fl.Forgotten.Files
		for _, f := range fl.Files {
			if f.Outer() == nil { // a ConfigMap's config is counted with its manifest
				s.Files++
			}
		}
	}
	in := map[string]bool{}
	for _, f := range findings {
		if f.Suppressed {
			s.Suppressed++
			continue
		}
		s.Findings++
		if !in[f.File.Path] {
			in[f.File.Path] = true
			s.FilesWithFindings++
		}
		s.BySeverity[f.Severity]++
		if f.Fix != nil {
			switch f.Fix.Applicability {
			case lint.Safe:
				s.Fixable++
			case lint.Unsafe:
				s.UnsafeFixable++
			}
		}
	}
	return s
}

// SummaryLine renders the one line printed on stderr after a run, in the
// manner of ruff's "Found N errors": what was found, over how much, and
// which flag would fix what. It never ends in a newline.
//
// Without fixMode it says, for example,
//
//	Found 7 problems (3 errors, 2 warnings, 2 info) in 4 files (12 files, 6 installs, 2 hosts checked); 3 fixable with --fix, 2 more with --fix --unsafe-fixes
//	No problems found in 12 files, 6 installs, 2 hosts
//
// In fixMode the findings are those left after fixing, and the line leads
// with s.Fixed:
//
//	Fixed 3 problems, 4 remaining (2 errors, 2 warnings) in 2 files (12 files, 6 installs, 2 hosts checked); 2 fixable with --fix --unsafe-fixes
//
// The fix counts are the fixes the fix loop would apply: the caller runs
// it (lint.SettleFixes) before summarising, so that a fix the safety net
// withholds or demotes is not advertised.
func SummaryLine(s Summary, fixMode bool) string {
	scope := fmt.Sprintf("%s, %s, %s", plural(s.Files, "file"), plural(s.Installs, "install"), plural(s.Hosts, "host"))
	where := fmt.Sprintf("%s (%s checked)", plural(s.FilesWithFindings, "file"), scope)
	var b strings.Builder
	if !fixMode {
		if s.Findings == 0 {
			fmt.Fprintf(&b, "No problems found in %s", scope)
		} else {
			fmt.Fprintf(&b, "Found %s (%s) in %s", plural(s.Findings, "problem"), severities(s), where)
			switch {
			case s.Fixable > 0 && s.UnsafeFixable > 0:
				fmt.Fprintf(&b, "; %d fixable with --fix, %d more with --fix --unsafe-fixes", s.Fixable, s.UnsafeFixable)
			case s.Fixable > 0:
				fmt.Fprintf(&b, "; %d fixable with --fix", s.Fixable)
			case s.UnsafeFixable > 0:
				fmt.Fprintf(&b, "; %d fixable with --fix --unsafe-fixes", s.UnsafeFixable)
			}
		}
	} else {
		if s.Fixed > 0 {
			fmt.Fprintf(&b, "Fixed %s, ", plural(s.Fixed, "problem"))
			if s.Findings == 0 {
				fmt.Fprintf(&b, "none remaining in %s", scope)
			} else {
				fmt.Fprintf(&b, "%d remaining (%s) in %s", s.Findings, severities(s), where)
			}
		} else if s.Findings == 0 {
			fmt.Fprintf(&b, "No problems found in %s", scope)
		} else {
			fmt.Fprintf(&b, "No fixes applied; %s remaining (%s) in %s", plural(s.Findings, "problem"), severities(s), where)
		}
		withheld := s.Fixable
		if s.UnsafeFixesApplied {
			withheld += s.UnsafeFixable
		} else if s.UnsafeFixable > 0 {
			fmt.Fprintf(&b, "; %d fixable with --fix --unsafe-fixes", s.UnsafeFixable)
		}
		if withheld > 0 {
			fmt.Fprintf(&b, "; %s withheld by the safety net", plural(withheld, "fix"))
		}
	}
	if s.Suppressed > 0 {
		fmt.Fprintf(&b, "; %d suppressed", s.Suppressed)
	}
	return b.String()
}

// severities renders the non-zero severity counts, most severe first.
func severities(s Summary) string {
	var parts []string
	if n := s.BySeverity[lint.Error]; n > 0 {
		parts = append(parts, plural(n, "error"))
	}
	if n := s.BySeverity[lint.Warning]; n > 0 {
		parts = append(parts, plural(n, "warning"))
	}
	if n := s.BySeverity[lint.Info]; n > 0 {
		parts = append(parts, fmt.Sprintf("%d info", n))
	}
	return strings.Join(parts, ", ")
}

// plural renders "1 file" / "2 files"; "fix" takes "es".
func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("%d %s", n, noun)
	}
	if strings.HasSuffix(noun, "x") {
		return fmt.Sprintf("%d %ses", n, noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
