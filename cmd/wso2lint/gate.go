package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
)

// gate applies what lets a legacy repository adopt the linter gradually:
// --baseline hides recorded findings (and returns the entries that matched
// nothing), --new-from-rev keeps the findings the change may have
// introduced (changed is nil without it), --write-baseline records the
// findings that remain. The baseline is matched against every finding
// before --new-from-rev narrows them: an entry whose finding is merely
// older than the change is live, not stale.
func gate(e env, fl *fleet.Fleet, enabled map[*lint.Rule]bool, findings *[]*lint.Finding,
	baselinePath, writePath string, changed map[string]lint.LineSet) ([]lint.BaselineEntry, error) {
	var old *lint.Baseline
	var stale []lint.BaselineEntry
	if baselinePath != "" {
		b, err := readBaseline(e, baselinePath)
		if err != nil {
			return nil, err
		}
		old = b
		stale = lint.StaleIn(b.Apply(*findings), fl.Targets, enabled)
		for _, s := range stale {
			fmt.Fprintf(e.stderr, "wso2lint: %s: stale baseline entry %s %s at %s (%s): it matches no finding; remove it\n",
				baselinePath, s.Code, s.Key, s.File, s.Fingerprint)
		}
	}
	if changed != nil {
		*findings = lint.FilterNew(fl, *findings, changed)
	}
	if writePath != "" {
		nb := lint.NewBaseline(*findings)
		if old == nil {
			// Rewriting a baseline in place keeps its hand-written reasons.
			old, _ = readBaseline(e, writePath)
		}
		nb.KeepReasons(old)
		var buf bytes.Buffer
		if err := nb.Write(&buf); err != nil {
			return nil, err
		}
		if err := os.WriteFile(abs(e, writePath), buf.Bytes(), 0o644); err != nil {
			return nil, usagef("--write-baseline: %v", err)
		}
		fmt.Fprintf(e.stderr, "wso2lint: wrote %d findings to %s; fill in each entry's reason\n", len(nb.Entries), writePath)
	}
	return stale, nil
}

func readBaseline(e env, path string) (*lint.Baseline, error) {
	f, err := os.Open(abs(e, path))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, usagef("--baseline %s: no such file", path)
		}
		return nil, usagef("--baseline %s: %v", path, err)
	}
	defer f.Close()
	b, err := lint.ReadBaseline(f, path)
	if err != nil {
		return nil, usagef("%v", err)
	}
	return b, nil
}

func abs(e env, p string) string {
	if filepath.IsAbs(p) {
		return p
	}
	return filepath.Join(e.workDir, p)
}
