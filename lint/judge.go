package lint

import (
	"errors"
	"sync/atomic"

	"github.com/wso2lint/wso2lint/fleet"
)

// This file judges a lint run's safe fixes as --fix would, host by host
// while the fleet loads. A lint run reports "N fixable" and the fixes
// themselves as --fix would apply them, which takes the fix loop: apply
// the fixes in memory, lint again, withhold those that would cause a new
// problem. Run on the whole fleet once it is loaded, that loop loads and
// parses again every host with a fix, after the stream has released their
// documents: on a fleet where most hosts have one, judging cost more than
// the lint. Judged while a host's files are still parsed, the loop parses
// only the files its fixes edit.
//
// The fix loop decides a host's fixes on that host alone when nothing
// else depends on its files: no container or Kubernetes Service in the
// fleet, fixes that edit only their host's files, and no new finding from
// the rules that look across hosts. Whether the fleet has containers is
// known only once it is loaded, so the verdicts are kept per host and
// used only when all of that holds (SettleFixes); otherwise the loop runs
// on the whole fleet, as before.

// hostFixes is what judging a host's safe fixes found.
type hostFixes struct {
	// withheld maps the fingerprints of the host's findings whose fixes
	// --fix withholds to why, as the fix loop's last pass says it.
	withheld map[string]string
	// fixed is the host's fleet with the fixes --fix applies; nil when it
	// applies none.
	fixed *fleet.Fleet
}

// JudgeFixes makes the stream judge each host's safe fixes as the fix
// loop would, while the host's files are parsed; SettleFixes uses the
// verdicts. Call it before the stream sees a host.
func (s *Stream) JudgeFixes() {
	s.judged = map[string]*hostFixes{}
}

// settledOnHosts counts the runs settled with their hosts' verdicts, for
// the tests.
var settledOnHosts atomic.Int64

// errNotAlone is a host that cannot be loaded alone once its fixes are
// applied: its fixes are judged on the whole fleet.
var errNotAlone = errors.New("the host cannot be loaded alone")

// judgeHost runs the fix loop on the fleet of one host, as OnHost passes
// it, with found its host rules' findings, and keeps the verdicts. A host
// the loop cannot judge alone, or whose fixes fail their safety net, keeps
// none: SettleFixes then judges the fleet whole, which reports the
// failure.
func (s *Stream) judgeHost(sub *fleet.Fleet, found []*Finding) {
	if len(sub.Hosts) != 1 || !s.release || !HasSafeFix(found) {
		// No safe fix (found is not finished, so none is suppressed
		// yet), or a rule that needs every file whole runs: SettleFixes
		// judges the fleet whole.
		return
	}
	host := sub.Hosts[0]
	opt := s.opt
	opt.hostAlone = true
	hs := NewStream(opt)
	// The findings are copied: finishing them marks them, and the fleet's
	// lint finishes its own again.
	mine := make([]*Finding, len(found))
	for i, f := range found {
		c := *f
		mine[i] = &c
	}
	hs.byHost[host] = mine
	before, err := hs.Finish(sub)
	if err != nil || !HasSafeFix(before) {
		return
	}
	r, ok := fleet.NewHostReloader(sub, host.Name)
	if !ok {
		return
	}
	load := func(overlay map[string][]byte, onHost func(*fleet.Fleet)) (*fleet.Fleet, error) {
		hf, ok := r.Load(overlay)
		if !ok {
			return nil, errNotAlone
		}
		if onHost != nil {
			onHost(hf)
		}
		return hf, nil
	}
	res, err := ApplyFixes(load, opt, FixOptions{Start: Linted(sub, before, hs)})
	if err != nil {
		return
	}
	j := &hostFixes{withheld: res.Withheld}
	if len(res.Files) > 0 {
		j.fixed = res.Fleet
		own := map[*fleet.File]bool{}
		for _, f := range sub.Files {
			own[f] = true
		}
		for _, f := range j.fixed.Files {
			if !own[f] {
				f.ReleaseDoc() // the fixed contents, kept in memory
			}
		}
	}
	s.mu.Lock()
	s.judged[host.Name] = j
	s.mu.Unlock()
}

// HasSafeFix reports whether an unsuppressed finding offers a safe fix.
func HasSafeFix(findings []*Finding) bool {
	for _, f := range findings {
		if !f.Suppressed && f.Fix != nil && f.Fix.Applicability == Safe {
			return true
		}
	}
	return false
}

// SettleFixes judges the safe fixes of a lint run as --fix would (see
// Settle) and returns the fleet and the findings to report. s is the
// stream that linted fl; when it judged its hosts' fixes as they loaded
// (JudgeFixes) and those verdicts hold for the whole fleet, they are used,
// else the fix loop runs on the whole fleet (load loads it).
func SettleFixes(load Loader, opt Options, fl *fleet.Fleet, findings []*Finding, s *Stream) (*fleet.Fleet, []*Finding, error) {
	if !HasSafeFix(findings) {
		return fl, findings, nil
	}
	if ok, err := s.settleJudged(fl, findings); err != nil || ok {
		return fl, findings, err
	}
	res, err := ApplyFixes(load, opt, FixOptions{Start: Linted(fl, findings, s)})
	if err != nil {
		return nil, nil, err
	}
	return res.BeforeFleet, Settle(res), nil
}

// settleJudged marks the findings whose fixes the hosts' judging withheld,
// when its verdicts are those of the fix loop on the whole fleet: the
// fleet has no container or Kubernetes Service (whose rules look across
// hosts), every safe fix was judged on its host and edits only that
// host's files, and the fixes kept cause no new finding of the rules that
// look across hosts. ok is false, and nothing is marked, otherwise.
func (s *Stream) settleJudged(fl *fleet.Fleet, findings []*Finding) (ok bool, _ error) {
	if s.judged == nil || len(fl.Containers) > 0 || len(fl.Services) > 0 {
		return false, nil
	}
	for _, f := range findings {
		if f.Suppressed || f.Fix == nil || f.Fix.Applicability != Safe {
			continue
		}
		host := f.HostName()
		if s.judged[host] == nil {
			return false, nil
		}
		for _, e := range f.Fix.Edits {
			ff := fl.File(e.Path)
			if ff == nil {
				return false, nil
			}
			if in := fl.InstallOf(ff); in == nil || in.Host == nil || in.Host.Name != host {
				return false, nil
			}
		}
	}
	var fixed []*fleet.Fleet
	for _, h := range fl.Hosts {
		if j := s.judged[h.Name]; j != nil && j.fixed != nil {
			fixed = append(fixed, j.fixed)
		}
	}
	if len(fixed) > 0 && len(s.lateRules) > 0 {
		before, err := s.lateFindings(fl)
		if err != nil {
			return false, err
		}
		after, err := s.lateFindings(fl.WithHosts(fixed))
		if err != nil {
			return false, err
		}
		if len(newProblems(fingerprints(before), after)) > 0 {
			return false, nil
		}
	}
	for _, f := range findings {
		if f.Fix == nil {
			continue
		}
		if why, ok := s.judged[f.HostName()].withheldFor(f); ok {
			markWithheld(f, why)
		}
	}
	settledOnHosts.Add(1)
	return true, nil
}

func (j *hostFixes) withheldFor(f *Finding) (string, bool) {
	if j == nil {
		return "", false
	}
	why, ok := j.withheld[f.Fingerprint]
	return why, ok
}

// lateFindings returns the findings of the rules that look across hosts
// on fl, finished: what settleJudged compares before and after the fixes.
func (s *Stream) lateFindings(fl *fleet.Fleet) ([]*Finding, error) {
	var all []*Finding
	memo := map[any]any{}
	for _, r := range s.lateRules {
		if err := runRule(fl, r, s.opt, memo, &all); err != nil {
			return nil, err
		}
	}
	return finish(fl, all, s.opt), nil
}
