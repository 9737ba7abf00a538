package lint

import (
	"path/filepath"
	"time"

	"github.com/wso2lint/wso2lint/fleet"
)

// Session is how one configuration lints: the fleet's load options and the
// engine's, worked out once from a .wso2lint.yaml, and then any number of
// lints of some paths with some files' contents replaced in memory. The
// language server keeps one per configuration and lints the editor's
// unsaved buffers through it, as an overlay on the disk, exactly as the
// CLI's --stdin-filename does for one buffer.
type Session struct {
	// Load is the fleet's load options, Overlay and OnHost left unset.
	Load fleet.Options
	// Run is the engine's options.
	Run Options
}

// NewSession prepares the lints of a configuration (an empty Config for
// none). workDir is the directory display paths are relative to; base the
// one the configuration's globs are relative to (its file's directory).
func NewSession(cfg *Config, rules []*Rule, workDir, base string) (*Session, error) {
	enabled, err := Select(rules, cfg.Select, cfg.Ignore)
	if err != nil {
		return nil, err
	}
	cfgDir := ""
	if base != "" && base != workDir {
		if rel, err := filepath.Rel(workDir, base); err == nil {
			cfgDir = filepath.ToSlash(rel)
		}
	}
	return &Session{
		Load: cfg.LoadOptions(workDir, base),
		Run:  cfg.RunOptions(rules, enabled, cfgDir),
	}, nil
}

// Loader returns a loader of paths with overlay on the disk, for
// ApplyFixes; the fixes' own contents go on top of overlay.
func (s *Session) Loader(paths []string, overlay map[string][]byte) Loader {
	return func(fixed map[string][]byte, onHost func(*fleet.Fleet)) (*fleet.Fleet, error) {
		o := s.Load
		o.Overlay = make(map[string][]byte, len(overlay)+len(fixed))
		for k, v := range overlay {
			o.Overlay[k] = v
		}
		for k, v := range fixed {
			o.Overlay[k] = v
		}
		o.OnHost = onHost
		return fleet.Load(paths, o)
	}
}

// Lint loads paths with overlay replacing file contents, keeping every
// file whole (what an editor asks about afterwards: hovers, fixes), and
// returns the fleet and its findings as a lint run reports them: the safe
// fixes judged as --fix would judge them, so that a fix offered as safe is
// one --fix applies. A fix that fails its safety net is a bug in a rule:
// fixErr reports it, and the findings are still returned.
func (s *Session) Lint(paths []string, overlay map[string][]byte) (fl *fleet.Fleet, findings []*Finding, fixErr, err error) {
	opt := s.Run
	if opt.Today.IsZero() {
		opt.Today = time.Now()
	}
	load := s.Loader(paths, overlay)
	if fl, err = load(nil, nil); err != nil {
		return nil, nil, nil, err
	}
	if findings, err = Run(fl, opt); err != nil {
		return nil, nil, nil, err
	}
	if HasSafeFix(findings) {
		res, ferr := ApplyFixes(load, opt, FixOptions{})
		if ferr != nil {
			return fl, findings, ferr, nil
		}
		return fl, Settle(&FixResult{Before: findings, Withheld: res.Withheld}), nil, nil
	}
	return fl, findings, nil, nil
}
