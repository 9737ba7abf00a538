package lsp

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/srcpos"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/rules"
)

// snapshot is the result of linting the open buffers: one run per
// configuration they fall under.
type snapshot struct {
	// runOf maps an open document's URI to the run that linted it.
	runOf map[string]*run
	// diags holds the diagnostics published, by URI; findings the
	// unsuppressed findings whose primary location is in each URI.
	diags    map[string][]diagnostic
	findings map[string][]*lint.Finding
	// files maps a URI to the file the run read for it (the buffer's
	// bytes for an open document).
	files map[string]*fleet.File
}

// run is one lint of a group of buffers that share a configuration.
type run struct {
	fl       *fleet.Fleet
	findings []*lint.Finding
	// ses, paths and overlay are how the run was made, for the fix loop
	// of "fix all".
	ses     *lint.Session
	paths   []string
	overlay map[string][]byte
}

// setup is the configuration a buffer is linted under: what the CLI
// works out from the nearest .wso2lint.yaml.
type setup struct {
	cfg *lint.Config
	// cfgPath is the configuration file, "" for none.
	cfgPath string
	// workDir is what display paths are relative to; base what the
	// configuration's globs are relative to.
	workDir, base string
}

func (st *setup) key() string { return st.cfgPath + "\x00" + st.workDir }

// isConfig reports whether a path is a wso2lint configuration file.
func isConfig(path string) bool { return filepath.Base(path) == lint.ConfigFileName }

// rootOf returns the innermost workspace folder holding path, or "".
func (s *Server) rootOf(path string) string {
	for _, r := range s.roots {
		if path == r || strings.HasPrefix(path, r+string(filepath.Separator)) {
			return r
		}
	}
	return ""
}

// setupFor finds the configuration of a buffer as the CLI does for a path:
// the nearest .wso2lint.yaml above it (its unsaved buffer when open),
// else the user-wide one, else the defaults.
func (s *Server) setupFor(path string) (*setup, error) {
	dir := filepath.Dir(path)
	workDir := s.rootOf(path)
	if workDir == "" {
		workDir = dir
	}
	cfgPath := lint.FindConfig(dir)
	userWide := false
	if cfgPath == "" {
		if cfgPath = lint.UserConfig(s.opt.Getenv); cfgPath != "" {
			userWide = true
		}
	}
	st := &setup{cfg: &lint.Config{}, cfgPath: cfgPath, workDir: workDir, base: workDir}
	if cfgPath == "" {
		return st, nil
	}
	if !userWide {
		// The configuration's globs are relative to its directory; a
		// configuration above the workspace folder is the project's,
		// and display paths start there, as for the CLI run from there.
		st.base = filepath.Dir(cfgPath)
		if s.rootOf(cfgPath) == "" {
			st.workDir = st.base
		}
	}
	display := cfgPath
	if rel, err := filepath.Rel(st.workDir, cfgPath); err == nil {
		display = filepath.ToSlash(rel)
	}
	var err error
	if d := s.docs[pathToURI(cfgPath)]; d != nil {
		st.cfg, err = lint.ParseConfig(d.text, display, rules.All)
	} else {
		st.cfg, err = lint.LoadConfig(cfgPath, display, rules.All)
	}
	return st, err
}

// lintAndPublish lints every open buffer with the rest of its host from
// disk and publishes the diagnostics that changed.
func (s *Server) lintAndPublish() {
	s.dirty = false
	snap := &snapshot{runOf: map[string]*run{}, diags: map[string][]diagnostic{},
		findings: map[string][]*lint.Finding{}, files: map[string]*fleet.File{}}
	s.snap = snap
	overlay := make(map[string][]byte, len(s.docs))
	for _, d := range s.docs {
		overlay[d.path] = d.text
	}
	type group struct {
		st   *setup
		docs []*document
	}
	groups := map[string]*group{}
	var keys []string
	for _, uri := range sortedKeys(s.docs) {
		d := s.docs[uri]
		if isConfig(d.path) {
			// The configuration is not a fleet file: it is checked as
			// it is read, and its errors shown on it.
			if _, err := lint.ParseConfig(d.text, filepath.Base(d.path), rules.All); err != nil {
				snap.diags[uri] = append(snap.diags[uri], configDiagnostic(d.text, err))
			}
			continue
		}
		st, err := s.setupFor(d.path)
		if err != nil {
			s.configFailed(snap, st, err)
			continue
		}
		g := groups[st.key()]
		if g == nil {
			g = &group{st: st}
			groups[st.key()] = g
			keys = append(keys, st.key())
		}
		g.docs = append(g.docs, d)
	}
	for _, k := range keys {
		g := groups[k]
		paths := make([]string, len(g.docs))
		for i, d := range g.docs {
			paths[i] = d.path
		}
		r, err := s.lintGroup(g.st, paths, overlay)
		if err != nil {
			s.logf(messageError, "linting %s: %v", strings.Join(paths, ", "), err)
			continue
		}
		for _, d := range g.docs {
			snap.runOf[d.uri] = r
		}
		for _, f := range r.findings {
			if f.Suppressed || f.File == nil {
				continue
			}
			uri := pathToURI(f.File.Abs)
			snap.files[uri] = f.File
			snap.findings[uri] = append(snap.findings[uri], f)
			snap.diags[uri] = append(snap.diags[uri], s.diagnosticOf(f))
			s.relatedDiagnostics(snap, f)
		}
		for _, f := range r.fl.Files {
			if uri := pathToURI(f.Abs); s.docs[uri] != nil {
				snap.files[uri] = f
			}
		}
	}
	s.publish(snap)
}

// configFailed shows a configuration that cannot be read on the
// configuration file itself; the buffers under it are not linted until
// it is mended, as the CLI would refuse to run.
func (s *Server) configFailed(snap *snapshot, st *setup, err error) {
	if st == nil || st.cfgPath == "" {
		s.logf(messageError, "%v", err)
		return
	}
	uri := pathToURI(st.cfgPath)
	if _, done := snap.diags[uri]; done {
		return
	}
	text, rerr := os.ReadFile(st.cfgPath)
	if d := s.docs[uri]; d != nil {
		text, rerr = d.text, nil
	}
	if rerr != nil {
		text = nil
	}
	snap.diags[uri] = []diagnostic{configDiagnostic(text, err)}
	s.logf(messageWarning, "%v: the files under it are not linted until it is mended", err)
}

// configDiagnostic turns a configuration error into a diagnostic at its
// line and column.
func configDiagnostic(text []byte, err error) diagnostic {
	d := diagnostic{Severity: severityError, Source: "wso2lint", Message: err.Error()}
	var ce *lint.ConfigError
	if errors.As(err, &ce) {
		d.Message = ce.Msg
		if ce.Line > 0 {
			lines := srcpos.NewLines(text)
			off := lines.Offset(ce.Line, ce.Col)
			end := lines.LineEnd(text, ce.Line)
			d.Range = rangeOf(lines, text, srcpos.Span{Start: off, End: max(end, off)})
		}
	}
	return d
}

// lintGroup lints buffers that share a configuration, with the rest of
// their hosts from disk (lint.Session).
func (s *Server) lintGroup(st *setup, paths []string, overlay map[string][]byte) (*run, error) {
	ses, err := lint.NewSession(st.cfg, rules.All, st.workDir, st.base)
	if err != nil {
		return nil, err
	}
	fl, findings, fixErr, err := ses.Lint(paths, overlay)
	if err != nil {
		return nil, err
	}
	if fixErr != nil {
		s.logf(messageWarning, "the fixes could not be checked: %v", fixErr)
	}
	return &run{fl: fl, findings: findings, ses: ses, paths: paths, overlay: overlay}, nil
}

// publish sends the diagnostics of every URI that has some, and an empty
// list to those that had some before and have none now.
func (s *Server) publish(snap *snapshot) {
	// Every open buffer gets an answer, an empty one too: a client that
	// waits for its file's diagnostics knows the lint is done.
	for uri := range s.docs {
		if _, ok := snap.diags[uri]; !ok {
			snap.diags[uri] = nil
		}
	}
	now := map[string]bool{}
	for _, uri := range sortedKeys(snap.diags) {
		now[uri] = true
		s.sendDiagnostics(uri, snap.diags[uri])
	}
	for _, uri := range sortedKeys(s.published) {
		if !now[uri] {
			s.sendDiagnostics(uri, nil)
		}
	}
	s.published = now
}

func (s *Server) sendDiagnostics(uri string, diags []diagnostic) {
	p := publishDiagnosticsParams{URI: uri, Diagnostics: diags}
	if p.Diagnostics == nil {
		p.Diagnostics = []diagnostic{}
	}
	if d := s.docs[uri]; d != nil {
		v := d.version
		p.Version = &v
	}
	if err := s.out.notify("textDocument/publishDiagnostics", p); err != nil {
		s.log.Printf("publishing diagnostics: %v", err)
	}
}

// relatedDiagnostics shows a relational finding on the other open buffers
// it relates: a duplicate port is reported on one install, but a user
// looking at the other one should see it too. The note is informational
// and points back to the finding, which carries the fixes.
func (s *Server) relatedDiagnostics(snap *snapshot, f *lint.Finding) {
	primary := location{URI: pathToURI(f.File.Abs), Range: rangeOf(f.File.Lines, f.File.Src, f.Span)}
	for _, r := range f.Related {
		if r.File == nil || r.File == f.File || r.File.Src == nil {
			continue
		}
		uri := pathToURI(r.File.Abs)
		if s.docs[uri] == nil {
			continue
		}
		snap.files[uri] = r.File
		msg := f.Message
		if r.Message != "" {
			msg = r.Message + ": " + msg
		}
		snap.diags[uri] = append(snap.diags[uri], diagnostic{
			Range:    rangeOf(r.File.Lines, r.File.Src, r.Span),
			Severity: severityInfo, Code: f.Rule.Code, Source: "wso2lint",
			CodeDescription:    &codeDescription{Href: f.Rule.DocsURL()},
			Message:            fmt.Sprintf("%s (reported on %s line %d)", msg, f.File.Path, f.Start().Line),
			RelatedInformation: []diagnosticRelatedInformation{{Location: primary, Message: "the finding"}},
		})
	}
}

// diagnosticOf turns a finding into a diagnostic.
func (s *Server) diagnosticOf(f *lint.Finding) diagnostic {
	sev := severityError
	switch f.Severity {
	case lint.Warning:
		sev = severityWarning
	case lint.Info:
		sev = severityInfo
	}
	msg := f.Message
	if f.Fix != nil {
		msg += "\n" + fixTitle(f.Fix)
	}
	d := diagnostic{
		Range:    rangeOf(f.File.Lines, f.File.Src, f.Span),
		Severity: sev, Code: f.Rule.Code, Source: "wso2lint",
		CodeDescription: &codeDescription{Href: f.Rule.DocsURL()},
		Message:         msg,
		Data:            &diagnosticData{Fingerprint: f.Fingerprint},
	}
	for _, r := range f.Related {
		file := r.File
		if file == nil {
			file = f.File
		}
		d.RelatedInformation = append(d.RelatedInformation, diagnosticRelatedInformation{
			Location: location{URI: pathToURI(file.Abs), Range: rangeOf(file.Lines, file.Src, r.Span)},
			Message:  r.Message,
		})
	}
	return d
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
