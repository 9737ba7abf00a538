package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/rewrite"
)

// gate applies what lets a legacy repository adopt the linter gradually:
// --new-from-rev keeps the findings on changed lines or keys, --baseline
// hides recorded findings (and returns the entries that matched nothing),
// --write-baseline records the findings that remain.
func gate(e env, fl *fleet.Fleet, enabled map[*lint.Rule]bool, findings *[]*lint.Finding,
	baselinePath, writePath, rev string) ([]lint.BaselineEntry, error) {
	if rev != "" {
		changed, err := lint.ChangedSince(e.workDir, rev)
		if err != nil {
			return nil, usagef("--new-from-rev: %v", err)
		}
		*findings = lint.FilterNew(*findings, changed)
	}
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
		if err := rewrite.WriteOutput(abs(e, writePath), buf.Bytes()); err != nil {
			return nil, &outputError{fmt.Sprintf("--write-baseline: %v", err)}
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
