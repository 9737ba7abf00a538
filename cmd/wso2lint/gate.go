package main

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/readfile"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/report"
	"github.com/wso2lint/wso2lint/rewrite"
)

// baselineLimit bounds the size of a baseline file read. A baseline
// holds a few hundred bytes per accepted finding, so this allows some
// two hundred thousand of them while keeping /dev/zero out.
const baselineLimit = 64 << 20

// gateFiles is what the gate reads and writes, checked and read before
// the run changes anything: a missing or corrupt --baseline, or an
// unwritable --write-baseline, is a usage error with nothing written.
type gateFiles struct {
	baselinePath, writePath string
	// baseline is --baseline's content; nil without the flag.
	baseline *lint.Baseline
	// previous is the baseline already at --write-baseline, whose
	// hand-written reasons the new one keeps; nil when there is none.
	previous *lint.Baseline
}

func readGateFiles(e env, baselinePath, writePath string) (*gateFiles, error) {
	g := &gateFiles{baselinePath: baselinePath, writePath: writePath}
	if baselinePath != "" {
		b, err := readBaseline(e, baselinePath, "--baseline")
		if err != nil {
			return nil, err
		}
		g.baseline = b
	}
	if writePath != "" {
		if err := rewrite.CheckOutput(abs(e, writePath)); err != nil {
			return nil, usagef("--write-baseline: %v", err)
		}
		if g.baseline == nil {
			// Rewriting a baseline in place keeps its hand-written
			// reasons; a file there that is not a baseline would lose
			// whatever it holds, so it is refused.
			old, err := readBaseline(e, writePath, "--write-baseline")
			var ue *usageError
			switch {
			case errors.As(err, &ue) && (ue.empty || ue.missing):
			case err != nil:
				return nil, usagef("%v; not overwritten: remove it or choose another file", err)
			default:
				g.previous = old
			}
		}
	}
	return g, nil
}

// gate applies what lets a legacy repository adopt the linter gradually:
// --baseline hides recorded findings (and returns the entries that matched
// nothing), --new-from-rev keeps the findings the change may have
// introduced (changed is nil without it), --write-baseline records the
// findings that remain. The baseline is matched against every finding
// before --new-from-rev narrows them: an entry whose finding is merely
// older than the change is live, not stale.
func gate(e env, fl *fleet.Fleet, enabled map[*lint.Rule]bool, findings *[]*lint.Finding,
	g *gateFiles, changed map[string]lint.LineSet) ([]lint.BaselineEntry, error) {
	old := g.previous
	var stale []lint.BaselineEntry
	if b := g.baseline; b != nil {
		old = b
		stale = lint.StaleIn(b.Apply(*findings), fl.Targets, enabled)
		for _, s := range stale {
			fmt.Fprintf(e.stderr, "wso2lint: %s: stale baseline entry %s %s at %s (%s): it matches no finding; remove it\n",
				report.Escape(g.baselinePath), report.Escape(s.Code), report.Escape(s.Key), report.Escape(s.File), report.Escape(s.Fingerprint))
		}
	}
	if changed != nil {
		*findings = lint.FilterNew(fl, *findings, changed)
	}
	if g.writePath != "" {
		nb := lint.NewBaseline(*findings)
		nb.KeepReasons(old)
		var buf bytes.Buffer
		if err := nb.Write(&buf); err != nil {
			return nil, err
		}
		if err := rewrite.WriteOutput(abs(e, g.writePath), buf.Bytes()); err != nil {
			return nil, &outputError{fmt.Sprintf("--write-baseline: %v", err)}
		}
		fmt.Fprintf(e.stderr, "wso2lint: wrote %d findings to %s; fill in each entry's reason\n", len(nb.Entries), report.Escape(g.writePath))
	}
	return stale, nil
}

// readBaseline reads and parses a baseline file, bounded in size and only
// when it is a regular file. An empty file is reported as such (the
// usageError's empty field), and so is a missing one (missing), because
// --write-baseline may write there.
func readBaseline(e env, path, flagName string) (*lint.Baseline, error) {
	src, err := readfile.Regular(abs(e, path), baselineLimit)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, &usageError{msg: fmt.Sprintf("%s %s: no such file", flagName, path), missing: true}
		}
		return nil, usagef("%s %s: %v", flagName, path, err)
	}
	if len(bytes.TrimSpace(src)) == 0 {
		return nil, &usageError{msg: fmt.Sprintf("%s %s: file is empty", flagName, path), empty: true}
	}
	b, err := lint.ReadBaseline(bytes.NewReader(src), path)
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
