package lint

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"runtime/debug"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/wso2lint/wso2lint/fleet"
)

// Options controls one engine run.
type Options struct {
	// Rules is the whole registry; Enabled the rules to run (from Select).
	Rules   []*Rule
	Enabled map[*Rule]bool
	// Severity overrides rules' default severities, by code.
	Severity map[string]Severity
	// Ephemeral is the ephemeral port range; DefaultEphemeral when zero.
	Ephemeral [2]int
	// PerFileIgnores turns rules off for files matching a glob.
	PerFileIgnores []PerFileIgnore
	// Base is the directory per-file-ignore globs are relative to, as a
	// display path prefix ("" or "." for the working directory).
	Base string
	// Today decides whether an until= date has passed.
	Today time.Time
	// Touched holds the display paths of the files the change under
	// review touched beyond the fleet's targets: those changed since the
	// --new-from-rev revision (Pass.Touched).
	Touched map[string]bool

	// hostAlone marks the runs that judge the fixes of one host while
	// the fleet loads (judge.go): their streams run the host rules only
	// (the rules that look across hosts are checked once, on the whole
	// fleet) and release no file (the host's loads share its files).
	// hostMemo is the rules' memo (Pass.Memo) of all those runs: most of
	// the host's files are the same from one to the next. The runs on one
	// host follow each other, never at once.
	hostAlone bool
	hostMemo  map[any]any
	// hostLoader loads that host again: the fix loop judges the host's
	// fixes on its loads, and checks a fixed file on the document the
	// host's next load then takes (HostReloader.File). The fleets the
	// loop lints are its loads, which cannot make a reloader of their own.
	hostLoader *fleet.HostReloader
}

// loadFixed is the loader of a fixed file applyFile takes: the host
// loader's, or none.
func (o *Options) loadFixed() func(abs string, content []byte) *fleet.File {
	if o.hostLoader == nil {
		return nil
	}
	return o.hostLoader.File
}

// PerFileIgnore turns Codes off for files matching Glob.
type PerFileIgnore struct {
	Glob  string
	Codes []string
}

// Run runs the enabled rules over the fleet and returns the findings,
// sorted by file, line, column and code, suppressed ones included and
// marked. A panic in a rule is returned as an error: it is a bug.
func Run(fl *fleet.Fleet, opt Options) (findings []*Finding, err error) {
	if opt.Ephemeral == [2]int{} {
		opt.Ephemeral = DefaultEphemeral
	}
	if opt.Today.IsZero() {
		opt.Today = time.Now()
	}
	var all []*Finding
	memo := map[any]any{}
	for _, r := range opt.Rules {
		if !opt.Enabled[r] || r.Check == nil {
			continue
		}
		if err := runRule(fl, r, opt, memo, &all); err != nil {
			return nil, err
		}
	}
	return finish(fl, all, opt), nil
}

// finish turns the rules' findings into the run's result: severities,
// per-file ignores, inline suppressions (and the findings about them),
// the targets filter, the order, the fingerprints.
func finish(fl *fleet.Fleet, all []*Finding, opt Options) []*Finding {
	for _, f := range all {
		f.Severity = SeverityOf(f, opt.Severity)
	}
	all = dropPerFileIgnored(all, opt)
	all = append(all, suppress(fl, all, opt)...)
	// Inline suppressions inside an embedded config are its own comments:
	// judged above, before the findings move to the manifest.
	toOuterFiles(fl, all)
	if fl.Targets != nil {
		kept := all[:0]
		for _, f := range all {
			// A relational finding is reported when any file it relates
			// is named: the other side of a duplicate may be the one a
			// pre-commit run or an editor passes.
			if f.InAny(fl.Targets) {
				kept = append(kept, f)
			}
		}
		all = kept
	}
	Sort(all)
	fingerprint(all)
	return all
}

func runRule(fl *fleet.Fleet, r *Rule, opt Options, memo map[any]any, out *[]*Finding) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("internal error in rule %s (%s): %v\n%s", r.Code, r.Name, p, debug.Stack())
		}
	}()
	p := NewPassWith(fl, r, out, opt)
	p.memo = memo
	r.Check(p)
	return nil
}

func dropPerFileIgnored(all []*Finding, opt Options) []*Finding {
	if len(opt.PerFileIgnores) == 0 {
		return all
	}
	kept := all[:0]
	for _, f := range all {
		rel := f.File.Path
		if o := f.File.Outer(); o != nil {
			rel = o.Path // a glob names the manifest, not the config in it
		}
		if opt.Base != "" && opt.Base != "." {
			rel = strings.TrimPrefix(rel, opt.Base+"/")
		}
		ignored := false
		for _, pfi := range opt.PerFileIgnores {
			if ok, _ := doublestar.Match(pfi.Glob, rel); ok && matchesAny(f.Rule, pfi.Codes) {
				ignored = true
			}
		}
		if !ignored {
			kept = append(kept, f)
		}
	}
	return kept
}

// Sort orders findings by file, line, column, code and message.
func Sort(fs []*Finding) {
	sort.SliceStable(fs, func(i, j int) bool {
		a, b := fs[i], fs[j]
		if a.File.Path != b.File.Path {
			return a.File.Path < b.File.Path
		}
		if a.Span.Start != b.Span.Start {
			return a.Span.Start < b.Span.Start
		}
		if a.Rule.Code != b.Rule.Code {
			return a.Rule.Code < b.Rule.Code
		}
		return a.Message < b.Message
	})
}

// fingerprint sets each finding's fingerprint from its code, path,
// logical key and occurrence among equal triples, never from line
// numbers, so that moving a key keeps it. A relational finding (one whose
// related locations are in other files) is identified by its code and the
// sorted paths of every file it relates instead: which side a rule makes
// primary may follow the change under review, and a baseline entry must
// match it from either side.
func fingerprint(fs []*Finding) {
	seen := make(map[string]int, len(fs))
	var buf []byte
	for _, f := range fs {
		id := f.Rule.Code + "\x00" + f.File.Path + "\x00" + f.Key
		if files := f.Files(); len(files) > 1 {
			id = f.Rule.Code + "\x00relates\x00" + strings.Join(sortedPaths(files), "\x00")
		}
		n := seen[id]
		seen[id] = n + 1
		buf = strconv.AppendInt(append(append(buf[:0], id...), 0), int64(n), 10)
		sum := sha256.Sum256(buf)
		f.Fingerprint = hex.EncodeToString(sum[:8])
	}
}

// SeverityOf returns the severity a finding is reported at: the one the
// configuration sets for its rule, else info for a tentative finding,
// else the rule's. A severity the user chose wins over the rule's doubt.
func SeverityOf(f *Finding, overrides map[string]Severity) Severity {
	if s, ok := overrides[f.Rule.Code]; ok {
		return s
	}
	if f.Tentative {
		return Info
	}
	return f.Rule.Severity
}
