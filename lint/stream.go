package lint

import (
	"errors"
	"slices"
	"sort"
	"sync"
	"time"

	"github.com/wso2lint/wso2lint/fleet"
)

// Scope says how much of the fleet a rule's Check looks at. It decides when
// the engine runs the rule and what it may release in the meantime: a large
// fleet is linted host by host while it loads (fleet.Options.OnHost), and
// the bytes and parsed documents of files that no finding points into are
// dropped, so that memory follows the size of a host, not of the fleet.
type Scope int

// The scopes. The zero value is the safe one for a rule that does not say.
const (
	// FleetScope rules may look at anything, every file whole: they run
	// once the fleet is loaded, and while one is enabled no file is
	// released.
	FleetScope Scope = iota
	// HostScope rules look at one host at a time, its installs and their
	// files, and report nothing that depends on another host. They run
	// host by host as the fleet loads, and on the files that belong to no
	// install (compose files, manifests) once it is loaded.
	HostScope
	// ModelScope rules look across hosts but read only the fleet model
	// (installs, runtimes, listeners, settings, containers) and the
	// container files, never the bytes or parsed documents of deployment
	// files, which may have been released when they run. The files their
	// findings point into are read again before they are reported.
	ModelScope
)

// Stream lints a fleet while it loads: Host is fleet.Options.OnHost, and
// Finish, called with the loaded fleet, runs what is left and returns the
// findings exactly as Run would. A Stream is also the state the fix loop
// re-lints from: Clone keeps every host's findings, so that after
// fleet.Reload only the reloaded hosts are linted again. With JudgeFixes,
// it runs the fix loop on each host too, while the host's files are
// parsed (judge.go).
type Stream struct {
	opt Options
	// hostRules run per host; lateRules once on the whole fleet.
	hostRules, lateRules []*Rule
	// release is set when no enabled rule needs every file whole;
	// forget when the stream forgets the installs of a host that no
	// finding points into (Forget), which every late rule must allow.
	release, forget bool

	mu     sync.Mutex
	byHost map[*fleet.Host][]*Finding
	err    error
	// forgot holds the names of the hosts some installs of which were
	// forgotten (Forget).
	forgot map[string]bool

	// judged holds, by host name, what the fix loop did on each host
	// while it loaded, with fixOpt; nil unless JudgeFixes was called
	// (judge.go).
	judged map[string]*hostFixes
	fixOpt FixOptions
}

// NewStream prepares a streaming run of the enabled rules.
func NewStream(opt Options) *Stream {
	if opt.Ephemeral == [2]int{} {
		opt.Ephemeral = DefaultEphemeral
	}
	if opt.Today.IsZero() {
		opt.Today = time.Now()
	}
	s := &Stream{opt: opt, release: !opt.hostAlone, byHost: map[*fleet.Host][]*Finding{}}
	for _, r := range opt.Rules {
		if !opt.Enabled[r] || r.Check == nil {
			continue
		}
		switch {
		case r.Scope == HostScope:
			s.hostRules = append(s.hostRules, r)
		case opt.hostAlone:
		case r.Scope == ModelScope:
			s.lateRules = append(s.lateRules, r)
		default:
			s.lateRules = append(s.lateRules, r)
			s.release = false
		}
	}
	return s
}

// Forget makes the stream let go, once a host is linted, of its installs
// that no finding points into, in a fleet without containers
// (fleet.Fleet.Forget), all but those that the rules run later say reach
// another host (Rule.Reaches; see forgetHost); Finish loads again the
// forgotten hosts that the kept installs reach. The memory of a large fleet's lint then
// follows its findings rather than its size. For a lint whose outputs
// need only the findings and the fleet's counts (report.Summarize counts
// what was forgotten). It does nothing while an enabled rule needs every
// file whole or looks across hosts without saying what it reaches.
func (s *Stream) Forget() {
	s.forget, s.forgot = s.release, map[string]bool{}
	for _, r := range s.lateRules {
		s.forget = s.forget && r.Reaches != nil
	}
}

// Clone returns a stream that starts from s's per-host findings.
func (s *Stream) Clone() *Stream {
	s.mu.Lock()
	defer s.mu.Unlock()
	c := &Stream{opt: s.opt, hostRules: s.hostRules, lateRules: s.lateRules, release: s.release,
		byHost: make(map[*fleet.Host][]*Finding, len(s.byHost)), err: s.err, forgot: s.forgot}
	for h, fs := range s.byHost {
		c.byHost[h] = fs
	}
	return c
}

// Host runs the host-scoped rules on the fleet of one host (as OnHost
// passes it), runs the fix loop on it when the stream judges fixes, and
// releases the host's files that no finding, related location, fix or
// inline suppression points into. It is safe for concurrent use.
func (s *Stream) Host(sub *fleet.Fleet) {
	memo := s.newMemo()
	found, err := s.runRules(sub, s.hostRules, memo)
	if err == nil {
		if s.judged != nil {
			// The fix loop's runs on the host start from the rules' memo
			// of this one: the files the fixes do not edit are the same.
			s.judgeHost(sub, found, memo)
		}
		s.releaseFiles(sub.Files, found)
		if s.forget {
			s.forgetHost(sub, found)
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if err != nil && s.err == nil {
		s.err = err
	}
	for _, h := range sub.Hosts {
		s.byHost[h] = found
	}
}

// releaseFiles releases the files that no finding, related location, fix
// or inline suppression points into, and the parsed documents of the
// others, once the host rules have run on them (see Host): a run holds
// the model of the whole fleet but the bytes and documents of only a few
// hosts at a time. Finish calls it again on the hosts it lints again and
// on the files of no install, which it reads again or kept till then.
func (s *Stream) releaseFiles(files []*fleet.File, found []*Finding) {
	if !s.release {
		return
	}
	keep, edited := pointedInto(found)
	for _, f := range files {
		switch {
		case !keep[f] && !edited[f.Path] && !hasDirective(f):
			f.Release()
			// Content given in memory cannot be released, but its
			// document can (the fix loop's fixed files).
			f.ReleaseDoc()
		default:
			// Reports and fixes need the bytes, not the parsed
			// document, which is the bulk of a file in memory; the fix
			// loop parses it again to verify a fix.
			f.ReleaseDoc()
		}
	}
}

// forgetHost lets go of the installs of a host that none of found (the
// host rules' findings) points into, by its install, its file, a related
// location or a fix, and that the rules run later do not say reach another
// host (Rule.Reaches). Those rules run on the host alone first: what they
// find there is what they find on the whole fleet about the installs that
// reach no other host, and a host where they find anything is kept whole,
// as is one with an inline suppression (X001 judges it once every finding
// is known). A host with a finding in one install of eight was kept whole
// before, and held most of what a large fleet's lint keeps.
func (s *Stream) forgetHost(sub *fleet.Fleet, found []*Finding) {
	for _, f := range sub.Files {
		if hasDirective(f) {
			return
		}
	}
	needed := neededInstalls(sub, found)
	var gone []*fleet.Install
	for _, in := range sub.Installs {
		if !needed[in] && len(s.reached(sub, in)) == 0 {
			gone = append(gone, in)
		}
	}
	if len(gone) == 0 {
		return
	}
	if late, err := s.runRules(sub, s.lateRules, map[any]any{}); err != nil || len(late) > 0 {
		return
	}
	if sub.Forget(gone) {
		s.mu.Lock()
		defer s.mu.Unlock()
		for _, h := range sub.Hosts {
			s.forgot[h.Name] = true
		}
	}
}

// pointedInto returns the files that findings or their related locations
// point into, and the paths of the files their fixes edit.
func pointedInto(found []*Finding) (files map[*fleet.File]bool, edited map[string]bool) {
	files, edited = map[*fleet.File]bool{}, map[string]bool{}
	for _, f := range found {
		files[f.File] = true
		for _, r := range f.Related {
			files[r.File] = true
		}
		for _, fx := range append([]*Fix{f.Fix}, f.Alternatives...) {
			if fx != nil {
				for _, e := range fx.Edits {
					edited[e.Path] = true
				}
			}
		}
	}
	return files, edited
}

// neededInstalls returns the installs of sub that findings point into:
// their own, those of the files they, their related locations and their
// fixes name.
func neededInstalls(sub *fleet.Fleet, found []*Finding) map[*fleet.Install]bool {
	if len(found) == 0 {
		return nil
	}
	files, edited := pointedInto(found)
	needed := map[*fleet.Install]bool{}
	for _, f := range found {
		needed[f.Install] = true
	}
	uses := func(f *fleet.File) bool { return files[f] || edited[f.Path] }
	for _, in := range sub.Installs {
		for _, rt := range in.Runtimes {
			needed[in] = needed[in] || uses(rt.File)
		}
		for _, st := range in.Startup {
			needed[in] = needed[in] || uses(st.File)
		}
	}
	return needed
}

// reached returns the other hosts the late rules say an install reaches.
func (s *Stream) reached(fl *fleet.Fleet, in *fleet.Install) []string {
	var out []string
	for _, r := range s.lateRules {
		out = append(out, r.Reaches(fl, in)...)
	}
	return out
}

// recalled returns fl with the forgotten hosts that its installs reach
// loaded again, for the late rules: fl itself when there are none.
func (s *Stream) recalled(fl *fleet.Fleet) (*fleet.Fleet, error) {
	if len(s.forgot) == 0 {
		return fl, nil
	}
	need := map[string]bool{}
	for _, in := range fl.Installs {
		for _, h := range s.reached(fl, in) {
			if s.forgot[h] {
				need[h] = true
			}
		}
	}
	if len(need) == 0 {
		return fl, nil
	}
	// The late rules read only the model: the hosts' files are released
	// as they load, and read again for the findings that point into them.
	all, ok := fleet.Reload(fl, need, nil, func(sub *fleet.Fleet) { s.releaseFiles(sub.Files, nil) })
	if !ok {
		return nil, errors.New("internal error: the hosts a lint forgot cannot be loaded again on this fleet")
	}
	return all, nil
}

func (s *Stream) runHostRules(sub *fleet.Fleet, rules []*Rule) ([]*Finding, error) {
	return s.runRules(sub, rules, s.newMemo())
}

// newMemo returns the rules' memo (Pass.Memo) for a run on one host: the
// one the runs of a host's fix loop share, else a new one.
func (s *Stream) newMemo() map[any]any {
	if s.opt.hostMemo != nil {
		return s.opt.hostMemo
	}
	return map[any]any{}
}

func (s *Stream) runRules(sub *fleet.Fleet, rules []*Rule, memo map[any]any) ([]*Finding, error) {
	var out []*Finding
	for _, r := range rules {
		if err := runRule(sub, r, s.opt, memo, &out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// lintHost lints the fleet of one host on its own (fleet.HostReloader)
// and returns its findings as Finish would report them: the fix loop
// judges the fixes of a host with it when nothing else depends on the
// host. memo is kept from one run on the host to the next (Pass.Memo).
func (s *Stream) lintHost(sub *fleet.Fleet, memo map[any]any) ([]*Finding, error) {
	var found []*Finding
	for _, r := range s.hostRules {
		if err := runRule(sub, r, s.opt, memo, &found); err != nil {
			return nil, err
		}
	}
	return finish(sub, found, s.opt), nil
}

// containerRules returns the host rules that depend on containers.
func (s *Stream) containerRules() []*Rule {
	var out []*Rule
	for _, r := range s.hostRules {
		if r.Containers {
			out = append(out, r)
		}
	}
	return out
}

// inContainers reports whether a container runs a runtime of the host.
func inContainers(fl *fleet.Fleet, h *fleet.Host) bool {
	for _, in := range h.Installs {
		for _, rt := range in.Runtimes {
			if fl.RunsRuntime(rt) {
				return true
			}
		}
	}
	return false
}

// recheck runs rules again on a host that was linted while the fleet
// loaded, now that the containers are known, and returns its findings
// with those of rules replaced. The host's files are read again if they
// were released, and released again afterwards; when one changed on disk meanwhile the findings stay as
// they were, and restore reports the file.
func (s *Stream) recheck(fl *fleet.Fleet, h *fleet.Host, found []*Finding, rules []*Rule) ([]*Finding, error) {
	sub := hostFleet(fl, h)
	for _, f := range sub.Files {
		if f.Restore() != nil {
			return found, nil
		}
	}
	fresh, err := s.runHostRules(sub, rules)
	if err != nil {
		return nil, err
	}
	out := make([]*Finding, 0, len(found)+len(fresh))
	for _, f := range found {
		if !slices.Contains(rules, f.Rule) {
			out = append(out, f)
		}
	}
	out = append(out, fresh...)
	// Restore parsed the host's files again: release them again, or every
	// host a container runs keeps its documents to the end of the run.
	s.releaseFiles(sub.Files, out)
	return out, nil
}

// hasDirective reports whether a file holds an inline suppression, which
// is judged once every finding is known.
func hasDirective(f *fleet.File) bool {
	for _, c := range f.Comments {
		if isDirective(c.Text) {
			return true
		}
	}
	return false
}

// Finish lints what the stream has not seen yet: hosts that were not passed
// to Host, the files that belong to no install, and the fleet- and
// model-scoped rules on the whole fleet. It reads again the released files
// that findings point into and returns every finding, suppressed ones
// included and marked, sorted and fingerprinted, as Run does.
func (s *Stream) Finish(fl *fleet.Fleet) ([]*Finding, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.err != nil {
		return nil, s.err
	}
	byHost := make(map[*fleet.Host][]*Finding, len(fl.Hosts))
	owned := make(map[*fleet.File]bool, len(fl.Files))
	for _, in := range fl.Installs {
		for _, rt := range in.Runtimes {
			owned[rt.File] = true
		}
		for _, st := range in.Startup {
			owned[st.File] = true
		}
	}
	var all []*Finding
	again := s.containerRules()
	for _, h := range fl.Hosts {
		found, ok := s.byHost[h]
		var err error
		switch {
		case !ok:
			found, err = s.runHostRules(hostFleet(fl, h), s.hostRules)
		case len(again) > 0 && inContainers(fl, h):
			found, err = s.recheck(fl, h, found, again)
		}
		if err != nil {
			return nil, err
		}
		byHost[h] = found
		all = append(all, found...)
	}
	s.byHost = byHost
	orphans := &fleet.Fleet{Targets: fl.Targets}
	for _, f := range fl.Files {
		if !owned[f] {
			orphans.Files = append(orphans.Files, f)
		}
	}
	found, err := s.runHostRules(orphans, s.hostRules)
	if err != nil {
		return nil, err
	}
	all = append(all, found...)
	late, err := s.recalled(fl)
	if err != nil {
		return nil, err
	}
	memo := map[any]any{}
	for _, r := range s.lateRules {
		if err := runRule(late, r, s.opt, memo, &all); err != nil {
			return nil, err
		}
	}
	if all, err = restore(fl, all, s.opt); err != nil {
		return nil, err
	}
	// The host findings may be finished again (the fix loop re-lints from
	// them): start each from a clean slate.
	out := make([]*Finding, len(all))
	for i, f := range all {
		f.Suppressed, f.SuppressedBy = false, ""
		out[i] = f
	}
	return finish(fl, out, s.opt), nil
}

// hostFleet returns the fleet of one host: its installs and their files,
// and the fleet's containers once they are known (fleet.Fleet.Network).
func hostFleet(fl *fleet.Fleet, h *fleet.Host) *fleet.Fleet {
	sub := &fleet.Fleet{Hosts: []*fleet.Host{h}, Installs: h.Installs, Targets: fl.Targets, Containers: fl.Containers}
	seen := map[*fleet.File]bool{}
	for _, in := range h.Installs {
		for _, rt := range in.Runtimes {
			if !seen[rt.File] {
				seen[rt.File] = true
				sub.Files = append(sub.Files, rt.File)
			}
		}
		for _, st := range in.Startup {
			if !seen[st.File] {
				seen[st.File] = true
				sub.Files = append(sub.Files, st.File)
			}
		}
	}
	sort.Slice(sub.Files, func(a, b int) bool { return sub.Files[a].Path < sub.Files[b].Path })
	return sub
}

// restore reads again the released files that findings, their related
// locations and their fixes point into: reports show their lines and fixes
// splice their bytes. A file whose document alone was released keeps it
// so (File.Restore parses it again for whoever needs it).
//
// A file that changed on disk since it was first read cannot come back:
// positions found in the old bytes would not fit the new ones. The findings
// in it are dropped, fixes and related locations that point into it are
// taken off the others, and an S003 finding on the file says what happened,
// so that the rest of the fleet is still reported. Without S003 in the run
// the failure is returned as an error.
func restore(fl *fleet.Fleet, all []*Finding, opt Options) ([]*Finding, error) {
	failed := map[*fleet.File]error{}
	ok := func(f *fleet.File) bool {
		if f == nil {
			return true
		}
		if _, bad := failed[f]; bad {
			return false
		}
		if !f.Released() {
			// The bytes are in memory, which is all reports and fixes
			// use: parsing the document again for each finding's file
			// cost a fix loop, which finishes a lint many times, both
			// time and the memory of every document.
			return true
		}
		if err := f.Restore(); err != nil {
			failed[f] = err
			return false
		}
		return true
	}
	kept := all[:0]
	for _, f := range all {
		if !ok(f.File) {
			continue
		}
		lost := false
		for _, r := range f.Related {
			lost = !ok(r.File) || lost
		}
		if lost { // a new slice: rules may share one
			var related []Related
			for _, r := range f.Related {
				if ok(r.File) {
					related = append(related, r)
				}
			}
			f.Related = related
		}
		if f.Fix != nil {
			for _, e := range f.Fix.Edits {
				if !ok(fl.File(e.Path)) {
					f.Fix = nil
					break
				}
			}
		}
		if len(f.Alternatives) > 0 {
			var alts []*Fix // a new slice: rules may share one
			for _, fx := range f.Alternatives {
				usable := true
				for _, e := range fx.Edits {
					usable = usable && ok(fl.File(e.Path))
				}
				if usable {
					alts = append(alts, fx)
				}
			}
			f.Alternatives = alts
		}
		kept = append(kept, f)
	}
	if len(failed) == 0 {
		return kept, nil
	}
	files := make([]*fleet.File, 0, len(failed))
	for f := range failed {
		files = append(files, f)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	s003 := ruleByCode(opt.Rules, "S003")
	if s003 == nil || !opt.Enabled[s003] {
		return nil, failed[files[0]]
	}
	for _, f := range files {
		msg := failed[f].Error()
		var re *fleet.RestoreError
		if errors.As(failed[f], &re) {
			msg = re.Err.Error()
		}
		kept = append(kept, &Finding{Rule: s003, File: f, Message: msg, Install: fl.InstallOf(f)})
	}
	return kept, nil
}
