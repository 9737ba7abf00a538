package lint

import (
	"cmp"
	"fmt"
	"hash/maphash"
	"slices"
	"sort"
	"strings"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/rewrite"
)

// DefaultMaxPasses caps the fix loop, so that fixes that undo each other end.
const DefaultMaxPasses = 10

// FixOptions controls the fix loop.
type FixOptions struct {
	// Unsafe also applies unsafe fixes.
	Unsafe bool
	// MaxPasses caps the loop; DefaultMaxPasses when 0.
	MaxPasses int
	// Leave maps the absolute paths of files that must keep their content,
	// such as files that cannot be written, to the reason: a fix that edits
	// one of them is not applied, in any file, and its findings say why.
	Leave map[string]string
	// Start is a lint of the fleet as it is on disk, already made (see
	// Linted): the loop starts from it instead of linting the fleet again.
	Start *Lint
	// Forget lets the first lint forget what no finding needs
	// (Stream.Forget), for a caller that needs of the result only the
	// files, the findings and the fleet's counts.
	Forget bool
}

// Linted wraps a finished streaming lint: the stream that linted the
// fleet (its Finish returned findings).
func Linted(fl *fleet.Fleet, findings []*Finding, s *Stream) *Lint {
	return &Lint{fl: fl, findings: findings, stream: s}
}

// Loader loads the fleet with some files' contents replaced by overlay
// (absolute path to content): the loop lints its work in memory. onHost is
// to be passed on as fleet.Options.OnHost, so that the fleet is linted
// while it loads (a loader that ignores it still works, holding every file
// in memory).
type Loader func(overlay map[string][]byte, onHost func(*fleet.Fleet)) (*fleet.Fleet, error)

// FixedFile is a file whose content the fixes changed.
type FixedFile struct {
	Path, Abs string
	// Original is the content read from disk; Fixed the content after
	// every accepted fix.
	Original, Fixed []byte
	// Resolved counts the findings resolved by the fixes that edit this
	// file (a fix that edits several files counts in each).
	Resolved int
}

// FixResult is the outcome of the fix loop.
type FixResult struct {
	// Fleet and Findings are the fleet as fixed (in memory) and what
	// remains on it.
	Fleet    *fleet.Fleet
	Findings []*Finding
	// Files are the changed files, sorted by path.
	Files []*FixedFile
	// Fixed counts the findings the accepted fixes resolved.
	Fixed int
	// Before is what the first lint found, before any fix: what is still
	// on disk for a file whose fixes could not be written.
	Before []*Finding
	// Oscillating lists files whose fixes undid each other: they are
	// left unchanged.
	Oscillating []string
	// BeforeFleet is the fleet Before was found on; Withheld maps the
	// fingerprints of findings whose fix the safety net withheld in the
	// last pass to the reason (see Settle).
	BeforeFleet *fleet.Fleet
	Withheld    map[string]string

	// last is the loop's last lint, whose stream holds the findings of
	// every host before they are finished (a host's fix loop hands them
	// to the fleet's: judge.go).
	last *Lint
}

// moveReason is in the reason of a safe fix withheld because it would
// move a running listener: such a fix is unsafe, not wrong, and
// --unsafe-fixes applies it.
const moveReason = "running listener"

// markWithheld records on a finding that the safety net withheld its fix:
// the message says why, in every output format. A fix that would move a
// running listener is demoted to unsafe (it stays on offer for
// --unsafe-fixes); any other withheld fix is taken off the finding.
func markWithheld(f *Finding, why string) {
	if strings.HasSuffix(f.Message, " ("+why+")") {
		return // the fix loop's last lint may be the first one
	}
	f.Message += " (" + why + ")"
	if strings.Contains(why, moveReason) && f.Fix != nil {
		fx := *f.Fix
		fx.Applicability = Unsafe
		f.Fix = &fx
		return
	}
	f.Fix = nil
}

// Settle judges the safe fixes of a lint run as --fix would, so that what
// the run promises is what --fix does: it runs the fix loop in memory and
// marks the findings of res.Before whose fix was withheld. It returns the
// findings of the unfixed fleet.
func Settle(res *FixResult) []*Finding {
	for _, f := range res.Before {
		if f.Fix == nil {
			continue
		}
		if why, ok := res.Withheld[f.Fingerprint]; ok {
			markWithheld(f, why)
		}
	}
	return res.Before
}

// FixError is a fix that produced a file that does not parse or that
// changed more than the fix meant to: a bug in a rule, exit 3.
type FixError struct {
	Path, Code, Msg string
}

func (e *FixError) Error() string {
	return fmt.Sprintf("%s: the %s fix failed its safety net: %s; the file was not changed", e.Path, e.Code, e.Msg)
}

// ApplyFixes runs the fixed-point loop of the fix path: lint, apply the
// applicable non-overlapping fixes in memory, check each changed file
// still parses and changed only inside the edits, re-lint, and repeat
// until nothing is left to fix (at most MaxPasses times). A fix that
// would create a new warning or error on its host is withheld, and its
// finding says why. A file whose content repeats is oscillating: it is
// left unchanged and reported.
func ApplyFixes(load Loader, opt Options, fo FixOptions) (*FixResult, error) {
	if fo.MaxPasses <= 0 {
		fo.MaxPasses = DefaultMaxPasses
	}
	overlay := map[string][]byte{}
	original := map[string][]byte{}
	paths := map[string]string{}
	seen := map[string]map[contentSum]bool{}
	withheld := map[string]string{} // finding fingerprint → why its fix is withheld
	frozen := map[string]bool{}     // oscillating files and fo.Leave: no more fixes
	for abs := range fo.Leave {
		frozen[abs] = true
	}
	resolved := map[string]int{}
	verdicts := &verdicts{}
	res := &FixResult{}
	cur := fo.Start
	if cur == nil {
		s := NewStream(opt)
		if judgeOnHosts {
			s.judgeFixes(fo)
		}
		if fo.Forget {
			s.Forget()
		}
		var err error
		if cur, err = lintOn(load, overlay, s); err != nil {
			return nil, err
		}
		if res, ok, err := s.fixOnHosts(cur, fo); err != nil || ok {
			return res, err
		}
	}
	fl, findings := cur.fl, cur.findings
	res.Before, res.BeforeFleet = findings, fl
	for pass := 0; pass < fo.MaxPasses; pass++ {
		// A fix withheld in an earlier pass may be fine now that other
		// fixes changed the host: every pass judges every fix again, and
		// the loop ends when a pass applies nothing. This keeps
		// fix(fix(x)) == fix(x).
		withheld = map[string]string{}
		batch, trial, next, err := choose(load, opt, cur, overlay, fo.Unsafe, withheld, frozen, verdicts)
		if err != nil {
			return nil, err
		}
		if batch == nil {
			break
		}
		for abs, content := range trial {
			if string(overlay[abs]) == string(content) {
				continue
			}
			if _, ok := original[abs]; !ok {
				f := fl.FileAbs(abs)
				original[abs], paths[abs] = f.Src, f.Path
			}
			h := sumOf(content)
			if seen[abs] == nil {
				seen[abs] = map[contentSum]bool{sumOf(original[abs]): true}
			}
			if seen[abs][h] {
				frozen[abs] = true
				res.Oscillating = append(res.Oscillating, paths[abs])
				trial[abs] = original[abs]
				continue
			}
			seen[abs][h] = true
		}
		for _, b := range batch {
			if !touchesFrozen(fl, b.fix, frozen) {
				res.Fixed += len(b.findings)
				for _, abs := range editedFiles(fl, b.fix) {
					resolved[abs] += len(b.findings)
				}
			}
		}
		overlay, cur = trial, next
		if len(res.Oscillating) > 0 {
			if cur, err = lintWith(load, overlay, opt); err != nil {
				return nil, err
			}
		}
		fl, findings = cur.fl, cur.findings
	}
	markUnapplied(fl, findings, withheld, fo.Leave)
	res.Fleet, res.Findings, res.last = fl, findings, cur
	res.Withheld = withheld
	for abs, content := range overlay {
		if string(content) != string(original[abs]) {
			res.Files = append(res.Files, &FixedFile{Path: paths[abs], Abs: abs, Original: original[abs], Fixed: content, Resolved: resolved[abs]})
		}
	}
	sort.Slice(res.Files, func(i, j int) bool { return res.Files[i].Path < res.Files[j].Path })
	sort.Strings(res.Oscillating)
	return res, nil
}

// markUnapplied records on the findings left after the fix loop why their
// fixes were not applied: withheld by the safety net (withheld, by
// fingerprint), or editing a file the caller leaves alone (leave, by
// absolute path).
func markUnapplied(fl *fleet.Fleet, findings []*Finding, withheld, leave map[string]string) {
	for _, f := range findings {
		if f.Fix == nil {
			continue
		}
		if why, ok := withheld[f.Fingerprint]; ok {
			markWithheld(f, why)
			continue
		}
		for _, abs := range editedFiles(fl, f.Fix) {
			if why, ok := leave[abs]; ok {
				f.Message += " (fix not applied: " + why + ")"
				f.Fix = nil
				break
			}
		}
	}
}

func touchesFrozen(fl *fleet.Fleet, fx *Fix, frozen map[string]bool) bool {
	for _, abs := range editedFiles(fl, fx) {
		if frozen[abs] {
			return true
		}
	}
	return false
}

// editedFiles returns the absolute paths of the files a fix edits, each
// once.
func editedFiles(fl *fleet.Fleet, fx *Fix) []string {
	var out []string
	for _, e := range fx.Edits {
		if f := fl.File(e.Path); f != nil && !slices.Contains(out, f.Abs) {
			out = append(out, f.Abs)
		}
	}
	return out
}

// Lint is the fleet linted with some overlay: the fleet, its findings
// and the stream that holds every host's findings, to re-lint from. The
// fix loop makes its own; a caller that has linted the fleet already
// passes that lint as FixOptions.Start (Linted).
type Lint struct {
	fl       *fleet.Fleet
	findings []*Finding
	stream   *Stream
}

// lintWith loads and lints the whole fleet with overlay.
func lintWith(load Loader, overlay map[string][]byte, opt Options) (*Lint, error) {
	return lintOn(load, overlay, NewStream(opt))
}

// lintOn is lintWith with the stream to lint on.
func lintOn(load Loader, overlay map[string][]byte, s *Stream) (*Lint, error) {
	fl, err := load(overlay, s.Host)
	if err != nil {
		return nil, err
	}
	fs, err := s.Finish(fl)
	if err != nil {
		return nil, err
	}
	return &Lint{fl: fl, findings: fs, stream: s}, nil
}

// relint lints base again with trial as the overlay. Only the hosts whose
// files the batch edits are loaded and linted again; the other hosts keep
// their files and findings (host-scoped rules look no further than a host),
// and the rules that look across hosts run again on the whole. Without
// that, every candidate batch cost a load of the whole fleet.
func relint(load Loader, opt Options, base *Lint, trial map[string][]byte, batch []*fixGroup) (*Lint, error) {
	hosts := map[string]bool{}
	for _, b := range batch {
		for _, e := range b.fix.Edits {
			if f := base.fl.File(e.Path); f != nil {
				if in := base.fl.InstallOf(f); in != nil && in.Host != nil {
					hosts[in.Host.Name] = true
				}
			}
		}
	}
	s := base.stream.Clone()
	fl, ok := fleet.Reload(base.fl, hosts, trial, s.Host)
	if !ok {
		return lintWith(load, trial, opt)
	}
	fs, err := s.Finish(fl)
	if err != nil {
		return nil, err
	}
	return &Lint{fl: fl, findings: fs, stream: s}, nil
}

// fixGroup is one fix and the findings it resolves (several findings can
// carry the same fix, as P001 does for every port of a moved install).
type fixGroup struct {
	fix      *Fix
	findings []*Finding
}

// pickFixes chooses this pass's fixes: applicable, not withheld, not
// editing a frozen file, and not overlapping a fix chosen before them; a
// fix that overlaps waits for the next pass. A fix may edit several files
// (P001 moves every install its re-assignment touches).
func pickFixes(fl *fleet.Fleet, findings []*Finding, unsafe bool, withheld map[string]string, frozen map[string]bool) []*fixGroup {
	var out []*fixGroup
	byKey := map[string]*fixGroup{}
	taken := map[string][]rewrite.Edit{}
	for _, f := range findings {
		if !applicable(f, unsafe) {
			continue
		}
		fx := f.Fix
		if _, ok := withheld[f.Fingerprint]; ok {
			continue
		}
		key := editsKey(fx.Edits)
		if g := byKey[key]; g != nil {
			g.findings = append(g.findings, f)
			continue
		}
		usable := true
		for _, e := range fx.Edits {
			ff := fl.File(e.Path)
			if ff == nil || frozen[ff.Abs] || overlapsAny(e, taken[e.Path]) {
				usable = false
			}
		}
		if !usable {
			continue
		}
		g := &fixGroup{fix: fx, findings: []*Finding{f}}
		byKey[key] = g
		for _, e := range fx.Edits {
			taken[e.Path] = append(taken[e.Path], e)
		}
		out = append(out, g)
	}
	return out
}

func editsKey(edits []rewrite.Edit) string {
	var b strings.Builder
	for _, e := range edits {
		fmt.Fprintf(&b, "%s\x00%d\x00%d\x00%s\x01", e.Path, e.Start, e.End, e.New)
	}
	return b.String()
}

// overlapsAny reports whether an edit overlaps a taken one. Two
// insertions at the same offset overlap too: their order would be
// arbitrary.
func overlapsAny(e rewrite.Edit, taken []rewrite.Edit) bool {
	for _, t := range taken {
		if e.Start < t.End && t.Start < e.End || e.Start == t.Start || (e.Start == e.End && e.Start > t.Start && e.Start < t.End) {
			return true
		}
	}
	return false
}

// fileEdits is the edits a batch of fixes makes to one file, and the
// codes of the rules whose fixes make them.
type fileEdits struct {
	path  string
	edits []rewrite.Edit
	codes []string
}

// batchEdits groups the edits of a batch by file, files in the order the
// batch first edits them.
func batchEdits(batch []*fixGroup) []*fileEdits {
	var out []*fileEdits
	byPath := map[string]*fileEdits{}
	for _, b := range batch {
		for _, e := range b.fix.Edits {
			fe := byPath[e.Path]
			if fe == nil {
				fe = &fileEdits{path: e.Path}
				byPath[e.Path] = fe
				out = append(out, fe)
			}
			fe.edits = append(fe.edits, e)
			fe.codes = append(fe.codes, b.findings[0].Rule.Code)
		}
	}
	return out
}

// applyFile applies the edits to f and checks the result (Verify). origs,
// when not nil, keeps the original's values from one call to the next;
// loadFixed, when not nil, loads the fixed file as the next lint will
// (HostReloader.File), so that it is parsed once.
func applyFile(f *fleet.File, fe *fileEdits, origs map[*fleet.File][]located, loadFixed func(abs string, content []byte) *fleet.File) ([]byte, error) {
	fail := func(err error) error {
		return &FixError{Path: fe.path, Code: strings.Join(uniq(fe.codes), "/"), Msg: err.Error()}
	}
	content, err := rewrite.Apply(f.Src, fe.edits)
	if err != nil {
		return nil, fail(err)
	}
	old, known := origs[f]
	if !known {
		var ok bool
		if old, ok, err = originalValues(f); err != nil {
			return nil, fail(err)
		}
		if !ok {
			return content, nil // no document to compare
		}
		if origs != nil {
			origs[f] = old
		}
	}
	var loaded *fleet.File
	if loadFixed != nil {
		loaded = loadFixed(f.Abs, content)
	}
	if err := verifyValues(f, old, content, fe.edits, loaded); err != nil {
		return nil, fail(err)
	}
	return content, nil
}

func uniq(xs []string) []string {
	sort.Strings(xs)
	out := xs[:0]
	for i, x := range xs {
		if i == 0 || x != xs[i-1] {
			out = append(out, x)
		}
	}
	return out
}

// problem is what a batch of fixes would do that the safety net refuses:
// the host it happens on and why, as the withheld finding says it.
type problem struct {
	host, why string
}

// fingerprints returns the set of the findings' fingerprints.
func fingerprints(fs []*Finding) map[string]bool {
	had := make(map[string]bool, len(fs))
	for _, f := range fs {
		had[f.Fingerprint] = true
	}
	return had
}

// newProblems returns the warnings and errors in after whose fingerprint
// is not in had (those of the findings before): what a batch of fixes
// would cause.
func newProblems(had map[string]bool, after []*Finding) []problem {
	var out []problem
	for _, f := range after {
		if !f.Suppressed && f.Severity >= Warning && !had[f.Fingerprint] {
			out = append(out, problem{host: f.HostName(),
				why: fmt.Sprintf("it would cause %s %s at %s:%d", f.Rule.Code, f.Rule.Name, f.File.Path, f.Start().Line)})
		}
	}
	return out
}

// movedListeners compares the port map of every install on the hosts a
// batch edits before and after it, and returns a problem for each
// listener whose effective port, state or bind address changed. A safe
// fix leaves the running system as it is: one that moves a listener (a
// rename that makes WSO2 read a port it ignored until now, say) is
// unsafe, and --fix without --unsafe-fixes does not apply it.
func movedListeners(before, after *fleet.Fleet, batch []*fixGroup) []problem {
	// A manifest's edits may be fixes of the configs its ConfigMaps
	// carry: their listeners must not move either.
	carried := map[*fleet.File][]string{}
	for _, in := range before.Installs {
		if in.Embedded() {
			outer := in.Runtimes[0].File.Outer()
			carried[outer] = append(carried[outer], in.Host.Name)
		}
	}
	hosts := map[string]bool{}
	for _, b := range batch {
		for _, e := range b.fix.Edits {
			if f := before.File(e.Path); f != nil {
				if in := before.InstallOf(f); in != nil && in.Host != nil {
					hosts[in.Host.Name] = true
				}
				for _, h := range carried[f] {
					hosts[h] = true
				}
			}
		}
	}
	changes := listenerChanges(listenersOf(before, hosts), listenersOf(after, hosts))
	// One problem per host, naming every listener the batch moves.
	var out []problem
	var moves []string
	host := ""
	flush := func() {
		if len(moves) == 0 {
			return
		}
		what := "a running listener"
		if len(moves) > 1 {
			what = fmt.Sprintf("%d running listeners", len(moves))
		}
		if len(moves) > 4 {
			moves = append(moves[:4], fmt.Sprintf("%d more", len(moves)-4))
		}
		out = append(out, problem{host: host, why: fmt.Sprintf("it would move %s (%s), which only an unsafe fix may do; apply it with --fix --unsafe-fixes",
			what, strings.Join(moves, ", "))})
		moves = nil
	}
	for _, c := range changes {
		st := c.either()
		if st.host != host {
			flush()
			host = st.host
		}
		title := st.l.Runtime.Install.Root + "'s " + st.l.Title()
		if c.o != nil && c.n != nil && knownPort(c.o.l) == knownPort(c.n.l) && c.o.l.Known == c.n.l.Known {
			moves = append(moves, fmt.Sprintf("%s from bind address %q to %q", title, c.o.l.Bind, c.n.l.Bind))
		} else {
			moves = append(moves, fmt.Sprintf("%s %s → %s", title, c.o.show(), c.n.show()))
		}
	}
	flush()
	return out
}

// hostListener is a listener of a host a batch of fixes edits. A listener
// is told by its host, install, runtime and name.
type hostListener struct {
	host string
	l    *fleet.Listener
}

func cmpHostListeners(a, b hostListener) int {
	return cmp.Or(strings.Compare(a.host, b.host), strings.Compare(a.l.Runtime.Install.Root, b.l.Runtime.Install.Root),
		strings.Compare(a.l.Runtime.Name, b.l.Runtime.Name), strings.Compare(a.l.Name, b.l.Name))
}

// show is the listener's port as a message names it: "none" for no
// listener, "unknown" when its port is not known.
func (hl *hostListener) show() string {
	switch {
	case hl == nil:
		return "none"
	case !hl.l.Known:
		return "unknown"
	}
	return fmt.Sprint(hl.l.Effective)
}

// knownPort is a listener's effective port, which means nothing unless
// it is known.
func knownPort(l *fleet.Listener) int {
	if l.Known {
		return l.Effective
	}
	return 0
}

// listenersOf lists the listeners of fl's hosts that are in hosts, in
// the fleet's order.
func listenersOf(fl *fleet.Fleet, hosts map[string]bool) []hostListener {
	type hostRuntime struct {
		host string
		rt   *fleet.Runtime
	}
	var rts []hostRuntime
	n := 0
	for _, h := range fl.Hosts {
		if hosts[h.Name] {
			for _, in := range h.Installs {
				for _, rt := range in.Runtimes {
					rts = append(rts, hostRuntime{h.Name, rt})
					n += len(rt.Listeners)
				}
			}
		}
	}
	out := make([]hostListener, 0, n)
	for _, hr := range rts {
		for _, l := range hr.rt.Listeners {
			out = append(out, hostListener{hr.host, l})
		}
	}
	return out
}

// listenerChange pairs a listener before a batch with itself after it,
// nil on the side where it does not exist.
type listenerChange struct{ o, n *hostListener }

func (c listenerChange) either() *hostListener {
	if c.o != nil {
		return c.o
	}
	return c.n
}

// listenerChanges pairs the listeners of old and now and returns those
// that appear, go or change port, state or bind address, in key order.
// Nearly always the two lists name the same listeners in the same order
// and are paired as they are; only when they do not are they sorted by
// key first (a map of a host's hundred listeners cost more than all the
// comparisons).
func listenerChanges(old, now []hostListener) []listenerChange {
	if !slices.EqualFunc(old, now, func(a, b hostListener) bool { return cmpHostListeners(a, b) == 0 }) {
		slices.SortStableFunc(old, cmpHostListeners)
		slices.SortStableFunc(now, cmpHostListeners)
	}
	var out []listenerChange
	for i, j := 0, 0; i < len(old) || j < len(now); {
		c := -1
		switch {
		case i == len(old):
			c = 1
		case j < len(now):
			c = cmpHostListeners(old[i], now[j])
		}
		switch {
		case c < 0:
			out = append(out, listenerChange{o: &old[i]})
			i++
		case c > 0:
			out = append(out, listenerChange{n: &now[j]})
			j++
		default:
			if o, n := old[i].l, now[j].l; knownPort(n) != knownPort(o) || n.Known != o.Known || n.Bind != o.Bind {
				out = append(out, listenerChange{&old[i], &now[j]})
			}
			i++
			j++
		}
	}
	slices.SortStableFunc(out, func(a, b listenerChange) int { return cmpHostListeners(*a.either(), *b.either()) })
	return out
}

// contentSum tells the contents of a file apart, for the loop's check
// that a fix does not bring a file back to what it was: two 64-bit hashes
// with seeds of their own, so that two contents share a sum by chance
// once in 2^128, and no one can make them share one without the seeds. A
// cryptographic digest cost as much as a tenth of judging a host's fixes.
type contentSum [2]uint64

var sumSeeds = [2]maphash.Seed{maphash.MakeSeed(), maphash.MakeSeed()}

func sumOf(b []byte) contentSum {
	return contentSum{maphash.Bytes(sumSeeds[0], b), maphash.Bytes(sumSeeds[1], b)}
}

// summer is contentSum of what is written to it, piece by piece.
type summer struct{ a, b maphash.Hash }

func newSummer() *summer {
	s := &summer{}
	s.a.SetSeed(sumSeeds[0])
	s.b.SetSeed(sumSeeds[1])
	return s
}

func (s *summer) Write(p []byte) {
	_, _ = s.a.Write(p)
	_, _ = s.b.Write(p)
}

func (s *summer) WriteString(p string) {
	_, _ = s.a.WriteString(p)
	_, _ = s.b.WriteString(p)
}

func (s *summer) Sum() contentSum { return contentSum{s.a.Sum64(), s.b.Sum64()} }
