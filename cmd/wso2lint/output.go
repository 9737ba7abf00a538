package main

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/report"
	"github.com/wso2lint/wso2lint/rewrite"
	"github.com/wso2lint/wso2lint/rules"
)

// lintFormats are the formats of the lint command, in the order usage
// lists them.
var lintFormats = []string{"text", "concise", "json", "sarif", "github", "checkstyle", "junit", "rdjson", "rdjsonl", "gitlab"}

func knownFormat(f string) bool {
	for _, k := range lintFormats {
		if k == f {
			return true
		}
	}
	return false
}

// outputSpec is one --output FORMAT[:FILE]; an empty path is stdout, or
// stderr when stderr is set.
type outputSpec struct {
	format, path string
	stderr       bool
}

// parseOutputs resolves --format and --output into the list of outputs.
// --format names what goes to stdout unless an --output already writes
// there. Under GitHub Actions the github format is added (with its step
// summary) unless ciDetect is off or it was asked for already.
func parseOutputs(format string, outputs []string, ciDetect bool, e env) ([]outputSpec, error) {
	var specs []outputSpec
	stdout := false
	for _, o := range outputs {
		f, path, _ := strings.Cut(o, ":")
		if !knownFormat(f) {
			return nil, usagef("--output %q: unknown format %q (want %s)", o, f, strings.Join(lintFormats, ", "))
		}
		// The process's own streams are written as streams: replacing
		// the file behind /dev/stdout (a log opened with >>) would
		// discard what it held.
		switch path {
		case "-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1":
			path = ""
		case "/dev/stderr", "/dev/fd/2", "/proc/self/fd/2":
			specs = append(specs, outputSpec{format: f, stderr: true})
			continue
		}
		stdout = stdout || path == ""
		specs = append(specs, outputSpec{format: f, path: path})
	}
	if !knownFormat(format) {
		return nil, usagef("unknown --format %q (want %s)", format, strings.Join(lintFormats, ", "))
	}
	if !stdout {
		specs = append([]outputSpec{{format: format}}, specs...)
	}
	if ciDetect && e.getenv("GITHUB_ACTIONS") == "true" {
		for _, s := range specs {
			if s.format == "github" {
				return specs, nil
			}
		}
		specs = append(specs, outputSpec{format: "github"})
	}
	return specs, nil
}

// checkOutputs checks, before anything is written, that every --output
// file and the GitHub step summary can be written.
func checkOutputs(e env, specs []outputSpec) error {
	for _, s := range specs {
		if s.path != "" {
			if err := rewrite.CheckOutput(abs(e, s.path)); err != nil {
				return usagef("--output %s:%s: %v", s.format, s.path, err)
			}
		}
		if s.format == "github" {
			if p := e.getenv("GITHUB_STEP_SUMMARY"); p != "" {
				if err := rewrite.CheckAppend(abs(e, p)); err != nil {
					return usagef("GITHUB_STEP_SUMMARY: %v", err)
				}
			}
		}
	}
	return nil
}

// humanOnStdout reports whether stdout carries a format meant for people,
// the only case in which the summary line goes to stderr.
func humanOnStdout(specs []outputSpec) bool {
	for _, s := range specs {
		if s.path == "" && !s.stderr && (s.format == "text" || s.format == "concise") {
			return true
		}
	}
	return false
}

// hasFormat reports whether an output is in the format.
func hasFormat(specs []outputSpec, format string) bool {
	for _, s := range specs {
		if s.format == format {
			return true
		}
	}
	return false
}

// writeOutputs renders the findings in every requested format. Files are
// replaced atomically (rewrite.WriteOutput): a run killed or out of disk
// space leaves the previous file whole. The step summary of GitHub Actions
// is appended to, as GitHub expects, the same way.
func writeOutputs(e env, specs []outputSpec, fl *fleet.Fleet, findings []*lint.Finding, enabled map[*lint.Rule]bool, opt report.Options) error {
	for _, s := range specs {
		var buf bytes.Buffer
		w := io.Writer(&buf)
		switch {
		case s.stderr:
			w = e.stderr
		case s.path == "" && s.format == "github":
			w = e.commands
		case s.path == "":
			w = e.stdout
		}
		o := opt
		if s.path != "" || (s.stderr && !e.stderrTTY) {
			o.Color = false
		}
		if err := render(w, s.format, fl, findings, enabled, o); err != nil {
			switch {
			case s.stderr:
				return &outputError{fmt.Sprintf("writing standard error: %v", err)}
			case s.path == "":
				return &outputError{fmt.Sprintf("writing standard output: %v", err)}
			}
			return err
		}
		if s.format == "github" {
			if err := appendStepSummary(e, findings); err != nil {
				return err
			}
		}
		if s.path == "" || s.stderr {
			continue
		}
		path := s.path
		if !filepath.IsAbs(path) {
			path = filepath.Join(e.workDir, path)
		}
		if err := rewrite.WriteOutput(path, buf.Bytes()); err != nil {
			return &outputError{fmt.Sprintf("--output %s:%s: %v", s.format, s.path, err)}
		}
	}
	return nil
}

// render writes the findings in format. The machine formats go through a
// buffer so that report.EscapeEncoded can take out the characters that
// their encoders leave raw but a terminal or a CI log would act on.
func render(w io.Writer, format string, fl *fleet.Fleet, findings []*lint.Finding, enabled map[*lint.Rule]bool, opt report.Options) error {
	switch format {
	case "text", "concise", "github":
		return renderTo(w, format, fl, findings, enabled, opt)
	}
	var buf bytes.Buffer
	if err := renderTo(&buf, format, fl, findings, enabled, opt); err != nil {
		return err
	}
	_, err := w.Write(report.EscapeEncoded(buf.Bytes(), format == "checkstyle" || format == "junit"))
	return err
}

func renderTo(w io.Writer, format string, fl *fleet.Fleet, findings []*lint.Finding, enabled map[*lint.Rule]bool, opt report.Options) error {
	switch format {
	case "text":
		return report.Text(w, findings, opt)
	case "concise":
		return report.Concise(w, findings, opt)
	case "json":
		return report.JSON(w, fl, findings, opt)
	case "sarif":
		return report.SARIF(w, rules.All, findings, report.SARIFOptions{Version: opt.Version, IncludeSuppressed: opt.ShowSuppressed, Fleet: fl})
	case "github":
		return report.GitHub(w, findings)
	case "checkstyle":
		return report.Checkstyle(w, findings)
	case "junit":
		return report.JUnit(w, rules.All, enabled, lintedFiles(fl), findings)
	case "rdjson":
		return report.RDJSON(w, findings)
	case "rdjsonl":
		return report.RDJSONL(w, findings)
	case "gitlab":
		return report.GitLab(w, findings)
	}
	return usagef("unknown format %q", format)
}

// lintedFiles lists the files whose findings a run reports: the named
// files in a pre-commit run, else every file of the fleet.
func lintedFiles(fl *fleet.Fleet) []string {
	var out []string
	for _, f := range fl.Files {
		if fl.Targets == nil || fl.Targets[f.Path] {
			out = append(out, f.Path)
		}
	}
	return out
}

// appendStepSummary writes the Markdown table of all findings to
// $GITHUB_STEP_SUMMARY, because GitHub shows at most ten error and ten
// warning annotations per step and drops the rest silently.
func appendStepSummary(e env, findings []*lint.Finding) error {
	path := e.getenv("GITHUB_STEP_SUMMARY")
	if path == "" {
		return nil
	}
	var buf bytes.Buffer
	if err := report.GitHubSummary(&buf, findings); err != nil {
		return err
	}
	if err := rewrite.AppendOutput(abs(e, path), buf.Bytes(), stepSummaryLimit); err != nil {
		return &outputError{fmt.Sprintf("GITHUB_STEP_SUMMARY: %v", err)}
	}
	return nil
}

// stepSummaryLimit bounds the step summary read back to append to it.
// GitHub itself refuses a step summary over 1 MiB; a larger file is not
// one that GitHub will show.
const stepSummaryLimit = 16 << 20

// outputError is a report or baseline that could not be written: the
// environment's fault (a full disk, a directory that went away), not the
// tool's, so it exits 2 rather than 3.
type outputError struct{ msg string }

func (e *outputError) Error() string { return e.msg }
