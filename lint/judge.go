package lint

import (
	"errors"
	"sort"
	"sync/atomic"

	"github.com/wso2lint/wso2lint/fleet"
)

// This file runs the fix loop host by host while the fleet loads. A lint
// run reports "N fixable" and the fixes themselves as --fix would apply
// them, and --fix and --diff apply them: both take the fix loop, which
// applies the fixes in memory, lints again and withholds those that would
// cause a new problem. Run on the whole fleet once it is loaded, the loop
// loaded and parsed again every host with a fix, after the stream had
// released their documents: on a fleet where most hosts have one, judging
// cost more than the lint. Run on a host while its files are still
// parsed, the loop parses only the files its fixes edit.
//
// The loop decides a host's fixes on that host alone when nothing else
// depends on its files: no container or Kubernetes Service in the fleet,
// fixes that edit only their host's files, and no new finding of the rules
// that look across hosts. Whether the fleet has containers is known only
// once it is loaded, so the outcome is kept per host and used only when
// all of that holds (onHosts); otherwise the loop runs on the whole fleet,
// as it always did.

// hostFixes is what the fix loop did on one host.
type hostFixes struct {
	// withheld maps the fingerprints of the host's findings whose fixes
	// the loop withheld in its last pass to why.
	withheld map[string]string
	// fixed is the host's fleet with the fixes applied, nil when the loop
	// applied none; found holds its host's findings, not yet finished.
	fixed *fleet.Fleet
	found []*Finding
	// files, count and oscillating are the loop's FixResult.Files, Fixed
	// and Oscillating on the host.
	files       []*FixedFile
	count       int
	oscillating []string
}

// judgeOnHosts lets the fix loop run host by host while the fleet loads;
// the tests turn it off to compare with the loop on the whole fleet.
var judgeOnHosts = true

// settledOnHosts counts the runs settled with the hosts' outcomes, for the
// tests.
var settledOnHosts atomic.Int64

// JudgeFixes makes the stream run the fix loop, safe fixes only, on each
// host while the host's files are parsed; SettleFixes uses the verdicts.
// Call it before the stream sees a host.
func (s *Stream) JudgeFixes() {
	s.judgeFixes(FixOptions{})
}

// judgeFixes is JudgeFixes with the fix loop's options (a host's loop
// neither starts from a given lint nor forgets).
func (s *Stream) judgeFixes(fo FixOptions) {
	fo.Start, fo.Forget = nil, false
	s.fixOpt, s.judged = fo, map[string]*hostFixes{}
}

// errNotAlone is a host that cannot be loaded alone once its fixes are
// applied: its fixes are judged on the whole fleet.
var errNotAlone = errors.New("the host cannot be loaded alone")

// judgeHost runs the fix loop on the fleet of one host, as OnHost passes
// it, with found its host rules' findings and memo their memo, and keeps
// the outcome. A host
// the loop cannot fix alone, or whose fixes fail their safety net, keeps
// none: the loop then runs on the whole fleet, which reports the failure.
func (s *Stream) judgeHost(sub *fleet.Fleet, found []*Finding, memo map[any]any) {
	if len(sub.Hosts) != 1 || !s.release || !hasFix(found, s.fixOpt.Unsafe) {
		// Nothing to fix (found is not finished, so nothing is
		// suppressed yet), or a rule that needs every file whole runs:
		// the loop runs on the whole fleet.
		return
	}
	host := sub.Hosts[0]
	opt := s.opt
	opt.hostAlone, opt.hostMemo = true, memo
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
	if err != nil || !hasFix(before, s.fixOpt.Unsafe) {
		return
	}
	r, ok := fleet.NewHostReloader(sub, host.Name)
	if !ok {
		return
	}
	opt.hostLoader = r
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
	fo := s.fixOpt
	fo.Start = Linted(sub, before, hs)
	res, err := ApplyFixes(load, opt, fo)
	if err != nil {
		return
	}
	j := &hostFixes{withheld: res.Withheld}
	if len(res.Files) > 0 {
		j.fixed, j.files, j.count, j.oscillating = res.Fleet, res.Files, res.Fixed, res.Oscillating
		j.found = res.last.stream.byHost[res.Fleet.Hosts[0]]
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

// hasFix reports whether a finding offers a fix the loop would apply.
func hasFix(findings []*Finding, unsafe bool) bool {
	for _, f := range findings {
		if applicable(f, unsafe) {
			return true
		}
	}
	return false
}

// applicable reports whether the fix loop applies f's fix (pickFixes): it
// is not suppressed, edits something, and is not unsafe unless unsafe
// fixes are asked for.
func applicable(f *Finding, unsafe bool) bool {
	return !f.Suppressed && f.Fix != nil && len(f.Fix.Edits) > 0 && (f.Fix.Applicability != Unsafe || unsafe)
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
	if _, ok, err := s.onHosts(fl, findings); err != nil || ok {
		if ok {
			for _, f := range findings {
				if why, held := s.withheld(f); held && f.Fix != nil {
					markWithheld(f, why)
				}
			}
		}
		return fl, findings, err
	}
	res, err := ApplyFixes(load, opt, FixOptions{Start: Linted(fl, findings, s)})
	if err != nil {
		return nil, nil, err
	}
	return res.BeforeFleet, Settle(res), nil
}

// withheld returns why the fix of a finding was withheld on its host.
func (s *Stream) withheld(f *Finding) (string, bool) {
	j := s.judged[f.HostName()]
	if j == nil {
		return "", false
	}
	why, ok := j.withheld[f.Fingerprint]
	return why, ok
}

// onHosts reports whether the outcomes of the fix loop on each host are
// those of the loop on the whole fleet, fl with findings: the fleet has no
// container or Kubernetes Service (whose rules look across hosts), every
// fix the loop applies was judged on its host and edits only that host's
// files, and the fixes applied cause no new finding of the rules that look
// across hosts. It returns the fixed hosts' fleets, in host order.
func (s *Stream) onHosts(fl *fleet.Fleet, findings []*Finding) (fixed []*fleet.Fleet, ok bool, _ error) {
	if s.judged == nil || len(fl.Containers) > 0 || len(fl.Services) > 0 {
		return nil, false, nil
	}
	for _, f := range findings {
		if !applicable(f, s.fixOpt.Unsafe) {
			continue
		}
		host := f.HostName()
		if s.judged[host] == nil {
			return nil, false, nil
		}
		for _, e := range f.Fix.Edits {
			ff := fl.File(e.Path)
			if ff == nil {
				return nil, false, nil
			}
			if in := fl.InstallOf(ff); in == nil || in.Host == nil || in.Host.Name != host {
				return nil, false, nil
			}
		}
	}
	for _, h := range fl.Hosts {
		if j := s.judged[h.Name]; j != nil && j.fixed != nil {
			fixed = append(fixed, j.fixed)
		}
	}
	if len(fixed) > 0 && len(s.lateRules) > 0 {
		before, err := s.lateFindings(fl)
		if err != nil {
			return nil, false, err
		}
		after, err := s.lateFindings(fl.WithHosts(fixed))
		if err != nil {
			return nil, false, err
		}
		if len(newProblems(fingerprints(before), after)) > 0 {
			return nil, false, nil
		}
	}
	settledOnHosts.Add(1)
	return fixed, true, nil
}

// fixOnHosts returns the fix loop's result on the whole fleet put together
// from its results on each host, cur being the fleet's first lint, when
// those are the whole fleet's (onHosts); ok is false otherwise.
func (s *Stream) fixOnHosts(cur *Lint, fo FixOptions) (_ *FixResult, ok bool, _ error) {
	fixed, ok, err := s.onHosts(cur.fl, cur.findings)
	if err != nil || !ok {
		return nil, false, err
	}
	res := &FixResult{Before: cur.findings, BeforeFleet: cur.fl, Withheld: map[string]string{}}
	after := s.Clone()
	for _, h := range cur.fl.Hosts {
		j := s.judged[h.Name]
		if j == nil {
			continue
		}
		for fp, why := range j.withheld {
			res.Withheld[fp] = why
		}
		if j.fixed == nil {
			continue
		}
		res.Files = append(res.Files, j.files...)
		res.Fixed += j.count
		res.Oscillating = append(res.Oscillating, j.oscillating...)
		// The host's findings as the loop left them, not yet finished:
		// the fleet's Finish adds those of the rules that look across
		// hosts and finishes them all together.
		delete(after.byHost, h)
		after.byHost[j.fixed.Hosts[0]] = j.found
	}
	sort.Slice(res.Files, func(i, k int) bool { return res.Files[i].Path < res.Files[k].Path })
	sort.Strings(res.Oscillating)
	res.Fleet = cur.fl.WithHosts(fixed)
	if res.Findings, err = after.Finish(res.Fleet); err != nil {
		return nil, false, err
	}
	markUnapplied(res.Fleet, res.Findings, res.Withheld, fo.Leave)
	return res, true, nil
}

// lateFindings returns the findings of the rules that look across hosts
// on fl, finished: what onHosts compares before and after the fixes.
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
