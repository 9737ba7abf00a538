package lint

import (
	"crypto/sha256"
	"fmt"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"strings"
	"sync"
	"sync/atomic"

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
	seen := map[string]map[[32]byte]bool{}
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
		var err error
		if cur, err = lintWith(load, overlay, opt); err != nil {
			return nil, err
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
			h := sha256.Sum256(content)
			if seen[abs] == nil {
				seen[abs] = map[[32]byte]bool{sha256.Sum256(original[abs]): true}
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
	for _, f := range findings {
		if f.Fix == nil {
			continue
		}
		if why, ok := withheld[f.Fingerprint]; ok {
			markWithheld(f, why)
			continue
		}
		for _, abs := range editedFiles(fl, f.Fix) {
			if why, ok := fo.Leave[abs]; ok {
				f.Message += " (fix not applied: " + why + ")"
				f.Fix = nil
				break
			}
		}
	}
	res.Fleet, res.Findings = fl, findings
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

// choose picks this pass's fixes and applies them in memory. A batch
// that would create a new warning or error is narrowed: fixes on hosts
// without a new problem are kept as they are (rules look no further than
// a host), and the fixes of a troubled host are added one at a time while
// the result stays clean. A fix that causes a problem on its own is
// withheld, with the reason; one that only clashes with the others waits
// for the next pass. When every fix of a batch is withheld, the fixes
// that overlapped them get their turn. It returns a nil batch when
// nothing can be applied.
//
// Where a host's findings depend on nothing but its own files (no
// container in the fleet), its fixes are judged on that host alone, so
// that narrowing costs the size of the troubled hosts, not that of the
// fleet for each fix: every host of the batch when every fix stays on its
// host (chooseOnHosts), else the suspects that do (narrowHosts). The batch
// so kept is linted whole once; should it cause a problem after all (a
// rule that looks across hosts), the batch is narrowed again the slow
// way, on the whole fleet for each fix, which decides as before.
func choose(load Loader, opt Options, cur *Lint, overlay map[string][]byte,
	unsafe bool, withheld map[string]string, frozen map[string]bool, verdicts *verdicts) ([]*fixGroup, map[string][]byte, *Lint, error) {
	fl, findings := cur.fl, cur.findings
	n := &narrowing{load: load, opt: opt, cur: cur, overlay: overlay, unsafe: unsafe, withheld: withheld,
		verdicts: verdicts, applied: map[string][]byte{}}
	for {
		batch := pickFixes(fl, findings, unsafe, withheld, frozen)
		if len(batch) == 0 {
			return nil, nil, nil, nil
		}
		k, trial, next, ok, err := n.chooseOnHosts(batch)
		switch {
		case err != nil:
			return nil, nil, nil, err
		case ok && len(k) == 0:
			continue // every troubled host's first suspect is withheld
		case ok:
			return k, trial, next, nil
		}
		trial, next, bad, err := n.try(cur, batch, batch)
		if err != nil || len(bad) == 0 {
			return batch, trial, next, err
		}
		verdicts.troubled = true
		troubled := map[string]bool{}
		for _, p := range bad {
			troubled[p.host] = true
		}
		var kept, suspects []*fixGroup
		for _, b := range batch {
			if troubled[b.findings[0].HostName()] {
				suspects = append(suspects, b)
			} else {
				kept = append(kept, b)
			}
		}
		k, rest, added, used, err := n.narrowHosts(kept, suspects)
		if err != nil {
			return nil, nil, nil, err
		}
		var keptTrial map[string][]byte
		var keptLint *Lint
		var keptBad []problem
		switch {
		case len(rest) > 0 || !used:
			k, keptTrial, keptLint, keptBad, err = n.narrow(k, rest)
		case len(k) > 0:
			// Every suspect was judged on its host: the hosts of the
			// suspects left out are the only ones whose files differ from
			// the whole batch's, and only they are loaded again.
			var out []*fixGroup
			in := map[*fixGroup]bool{}
			for _, b := range k {
				in[b] = true
			}
			for _, b := range suspects {
				if !in[b] {
					out = append(out, b)
				}
			}
			keptTrial, keptLint, keptBad, err = n.tryWithout(next, k, out)
		}
		if err != nil {
			return nil, nil, nil, err
		}
		if used && len(keptBad) > 0 {
			// A problem the hosts did not show on their own (a rule
			// that looks across hosts): judge every suspect again on the
			// whole fleet.
			for _, fp := range added {
				delete(withheld, fp)
			}
			if k, keptTrial, keptLint, _, err = n.narrow(kept, suspects); err != nil {
				return nil, nil, nil, err
			}
		}
		if len(k) == 0 {
			continue
		}
		order := make(map[*fixGroup]int, len(batch))
		for i, b := range batch {
			order[b] = i
		}
		sort.SliceStable(k, func(i, j int) bool { return order[k[i]] < order[k[j]] })
		return k, keptTrial, keptLint, nil
	}
}

// chooseOnHosts is choose's narrowing, once a batch has caused a problem,
// when every fix of the batch edits only the host its finding is on and
// that host's findings depend on nothing else: each host is judged alone,
// with all its fixes (the host is troubled when they cause a problem
// there) and then, when troubled, one fix at a time, as narrowHost does;
// the hosts are judged in parallel, and what they keep is linted whole
// once. ok is false when that does not
// apply, or when the whole fleet shows a problem the hosts did not (a rule
// that looks across hosts): choose then narrows the batch on the whole
// fleet. A nil batch with ok means every fix was withheld or deferred.
func (n *narrowing) chooseOnHosts(batch []*fixGroup) (_ []*fixGroup, _ map[string][]byte, _ *Lint, ok bool, _ error) {
	fl := n.cur.fl
	if !narrowOnHosts || n.noHosts || !n.verdicts.troubled || len(fl.Containers) > 0 || len(fl.Services) > 0 || n.cur.stream == nil {
		return nil, nil, nil, false, nil
	}
	var hosts []string
	byHost := map[string][]int{}
	for i, b := range batch {
		hs := n.touches(b)
		if len(hs) > 1 || hs[0] == "" {
			return nil, nil, nil, false, nil
		}
		if byHost[hs[0]] == nil {
			hosts = append(hosts, hs[0])
		}
		byHost[hs[0]] = append(byHost[hs[0]], i)
	}
	if n.had == nil {
		n.had = fingerprints(n.cur.findings)
	}
	out := make([]hostVerdict, len(hosts))
	parallel(len(hosts), func(i int) {
		out[i] = n.narrowHost(hosts[i], batch, byHost[hosts[i]], true)
	})
	accepted := make([]bool, len(batch))
	var added []string
	undo := func() {
		for _, fp := range added {
			delete(n.withheld, fp)
		}
	}
	for i, h := range hosts {
		v := out[i]
		if v.err != nil || !v.ok {
			undo()
			return nil, nil, nil, false, v.err
		}
		for _, j := range v.accepted {
			accepted[j] = true
		}
		for _, j := range byHost[h] {
			if why, ok := v.withheld[j]; ok {
				for _, f := range batch[j].findings {
					n.withheld[f.Fingerprint] = why
					added = append(added, f.Fingerprint)
				}
			}
		}
	}
	var k []*fixGroup
	for i, b := range batch {
		if accepted[i] {
			k = append(k, b)
		}
	}
	if len(k) == 0 {
		return nil, nil, nil, true, nil
	}
	trial, next, bad, err := n.try(n.cur, k, k)
	if err != nil {
		return nil, nil, nil, false, err
	}
	if len(bad) > 0 {
		undo()
		n.noHosts = true
		return nil, nil, nil, false, nil
	}
	return k, trial, next, true, nil
}

// touches returns the hosts a fix may change findings on: the one its
// first finding is on (which troubled hosts are matched by) and those of
// the files it edits; "" stands for a file of no install.
func (n *narrowing) touches(b *fixGroup) []string {
	fl := n.cur.fl
	hs := []string{b.findings[0].HostName()}
	for _, e := range b.fix.Edits {
		h := ""
		if f := fl.File(e.Path); f != nil {
			if in := fl.InstallOf(f); in != nil && in.Host != nil {
				h = in.Host.Name
			}
		}
		if !slices.Contains(hs, h) {
			hs = append(hs, h)
		}
	}
	return hs
}

// narrowing is the state of one pass's narrowing: the lint the pass starts
// from and what it judges fixes by.
type narrowing struct {
	load     Loader
	opt      Options
	cur      *Lint
	overlay  map[string][]byte
	unsafe   bool
	withheld map[string]string
	verdicts *verdicts
	// noHosts is set when judging on hosts alone missed a problem: the
	// pass then narrows on the whole fleet.
	noHosts bool
	// had holds the fingerprints of cur's findings, made when first
	// needed.
	had map[string]bool
	// applied caches, by appliedKey, the content of a file of cur with a
	// set of edits, verified: the whole batch, the kept fixes and the
	// candidates of a host apply the same edits to most files.
	mu      sync.Mutex
	applied map[string][]byte
}

// verdicts remembers, from one pass to the next, what judging a set of
// fixes on a host found. A host whose files the last pass did not change
// has the same findings and listeners: the fixes withheld there are
// judged again each pass (another fix may have made them fine), and the
// answer is known.
type verdicts struct {
	mu sync.Mutex
	m  map[verdictKey][]problem
	// troubled is set once a batch caused a problem: the later batches
	// are judged host by host first (chooseOnHosts), which costs more
	// than linting a batch that causes none but less than narrowing one
	// that does.
	troubled bool
}

type verdictKey struct {
	// host is the host's name and a digest of its files' contents
	// (hostState).
	host string
	// fixes are the edit keys of the fixes judged, in order.
	fixes string
}

// hostState names host h of cur as it is: its name and a digest of the
// contents its files have in the overlay (the others are as on disk).
func (n *narrowing) hostState(h *fleet.Host) string {
	var abs []string
	for _, in := range h.Installs {
		for _, rt := range in.Runtimes {
			abs = append(abs, rt.File.Abs)
		}
		for _, st := range in.Startup {
			abs = append(abs, st.File.Abs)
		}
	}
	sort.Strings(abs)
	d := sha256.New()
	for i, a := range abs {
		if i > 0 && a == abs[i-1] {
			continue
		}
		content, ok := n.overlay[a]
		fmt.Fprintf(d, "%s\x00%v\x00%d\x00", a, ok, len(content))
		d.Write(content)
	}
	return h.Name + "\x00" + string(d.Sum(nil))
}

func (v *verdicts) get(k verdictKey) ([]problem, bool) {
	v.mu.Lock()
	defer v.mu.Unlock()
	p, ok := v.m[k]
	return p, ok
}

func (v *verdicts) put(k verdictKey, p []problem) {
	v.mu.Lock()
	defer v.mu.Unlock()
	if v.m == nil {
		v.m = map[verdictKey][]problem{}
	}
	v.m[k] = p
}

func appliedKey(abs string, edits []rewrite.Edit) string {
	return abs + "\x02" + editsKey(edits)
}

// applyBatch applies a batch of fixes to a copy of overlay, checking
// every changed file (applyFile), on GOMAXPROCS workers: a whole batch
// edits thousands of files on a large fleet.
func (n *narrowing) applyBatch(batch []*fixGroup) (map[string][]byte, error) {
	fl := n.cur.fl
	out := make(map[string][]byte, len(n.overlay)+len(batch))
	for k, v := range n.overlay {
		out[k] = v
	}
	fes := batchEdits(batch)
	contents := make([][]byte, len(fes))
	errs := make([]error, len(fes))
	parallel(len(fes), func(i int) {
		contents[i], errs[i] = n.apply(fl.File(fes[i].path), fes[i], nil)
	})
	for i, fe := range fes {
		if errs[i] != nil {
			return nil, errs[i]
		}
		out[fl.File(fe.path).Abs] = contents[i]
	}
	return out, nil
}

// apply is applyFile, remembered in n.applied. origs, when not nil,
// keeps the values of the original files (originalValues) for the next
// call.
func (n *narrowing) apply(f *fleet.File, fe *fileEdits, origs map[*fleet.File][]located) ([]byte, error) {
	key := appliedKey(f.Abs, fe.edits)
	n.mu.Lock()
	content, ok := n.applied[key]
	n.mu.Unlock()
	if ok {
		return content, nil
	}
	content, err := applyFile(f, fe, origs)
	if err != nil {
		return nil, err
	}
	n.mu.Lock()
	n.applied[key] = content
	n.mu.Unlock()
	return content, nil
}

// problems returns what next, cur with batch applied, has that cur had
// not: new warnings and errors, and without unsafe the listeners batch
// moves.
func (n *narrowing) problems(next *fleet.Fleet, found []*Finding, batch []*fixGroup) []problem {
	bad := newProblems(n.had, found)
	if !n.unsafe {
		bad = append(bad, movedListeners(n.cur.fl, next, batch)...)
	}
	return bad
}

// try lints batch applied to overlay. base is a lint that already holds
// every fix of batch but those of delta, so that only the hosts delta
// edits are loaded again.
func (n *narrowing) try(base *Lint, batch, delta []*fixGroup) (map[string][]byte, *Lint, []problem, error) {
	trial, err := n.applyBatch(batch)
	if err != nil {
		return nil, nil, nil, err
	}
	return n.relintBatch(base, trial, trial, batch, delta)
}

// tryWithout lints batch applied to overlay, where base is a lint of a
// batch that held the fixes of out too: the hosts out edits are loaded
// again, with the files only out edited as they are in cur.
func (n *narrowing) tryWithout(base *Lint, batch, out []*fixGroup) (map[string][]byte, *Lint, []problem, error) {
	trial, err := n.applyBatch(batch)
	if err != nil {
		return nil, nil, nil, err
	}
	reload, copied := trial, false
	for _, fe := range batchEdits(out) {
		f := n.cur.fl.File(fe.path)
		if _, ok := trial[f.Abs]; ok {
			continue
		}
		if !copied {
			reload, copied = make(map[string][]byte, len(trial)+len(out)), true
			for k, v := range trial {
				reload[k] = v
			}
		}
		reload[f.Abs] = f.Src
	}
	return n.relintBatch(base, trial, reload, batch, out)
}

// relintBatch lints base again with reload as the overlay, loading again the
// hosts delta edits, and returns trial, the lint and the problems of
// batch.
func (n *narrowing) relintBatch(base *Lint, trial, reload map[string][]byte, batch, delta []*fixGroup) (map[string][]byte, *Lint, []problem, error) {
	next, err := relint(n.load, n.opt, base, reload, delta)
	if err != nil {
		return nil, nil, nil, err
	}
	if n.had == nil {
		n.had = fingerprints(n.cur.findings)
	}
	return trial, next, n.problems(next.fl, next.findings, batch), nil
}

// narrow adds the suspects to kept one at a time, in order, each judged on
// the whole fleet with the fixes kept so far: kept with the suspect must
// cause no problem, or the suspect is judged alone to tell a fix that is
// wrong (withheld) from one that clashes with the others (next pass). It
// returns the fixes kept, applied and linted (nil when none is kept), and
// the problems of that lint.
func (n *narrowing) narrow(kept, suspects []*fixGroup) ([]*fixGroup, map[string][]byte, *Lint, []problem, error) {
	cur := n.cur
	// keptTrial and keptLint are kept applied and linted, made when
	// first needed.
	var keptTrial map[string][]byte
	var keptLint *Lint
	var keptBad []problem
	lintKept := func() (err error) {
		if keptLint == nil {
			keptTrial, keptLint, keptBad, err = n.try(cur, kept, kept)
		}
		return err
	}
	for _, b := range suspects {
		if err := lintKept(); err != nil {
			return nil, nil, nil, nil, err
		}
		cand := append(append([]*fixGroup(nil), kept...), b)
		candTrial, candLint, worse, err := n.try(keptLint, cand, []*fixGroup{b})
		if err != nil {
			return nil, nil, nil, nil, err
		}
		if len(worse) == 0 {
			kept, keptTrial, keptLint, keptBad = cand, candTrial, candLint, nil
			continue
		}
		_, _, alone, err := n.try(cur, []*fixGroup{b}, []*fixGroup{b})
		if err != nil {
			return nil, nil, nil, nil, err
		}
		if len(alone) == 0 {
			continue // clashes with another fix only: next pass
		}
		why := "fix withheld: " + alone[0].why
		for _, f := range b.findings {
			n.withheld[f.Fingerprint] = why
		}
	}
	if len(kept) == 0 {
		return nil, nil, nil, nil, nil
	}
	if err := lintKept(); err != nil {
		return nil, nil, nil, nil, err
	}
	return kept, keptTrial, keptLint, keptBad, nil
}

// narrowOnHosts lets narrowHosts judge fixes on their host alone; the
// tests turn it off to compare with narrowing on the whole fleet, and
// hostNarrowings counts the hosts so narrowed.
var (
	narrowOnHosts  = true
	hostNarrowings atomic.Int64
)

// hostVerdict is what narrowHost decided for one host.
type hostVerdict struct {
	ok       bool
	accepted []int
	withheld map[int]string
	err      error
}

// narrowHosts judges the suspects it can on their host alone, as narrow
// would on the whole fleet: a host whose findings depend on nothing but
// its own files (no container in the fleet), whose suspects edit only its
// files, and which no kept fix edits. Those suspects are added to the
// host's fixes one at a time, each judged by loading and linting that
// host only; the hosts are judged in parallel, each on its own. It
// returns kept with the suspects it accepted, the suspects left for
// narrow, in order, the fingerprints it withheld, and whether it judged
// any suspect.
func (n *narrowing) narrowHosts(kept, suspects []*fixGroup) (_, rest []*fixGroup, added []string, used bool, _ error) {
	fl := n.cur.fl
	if !narrowOnHosts || n.noHosts || len(fl.Containers) > 0 || len(fl.Services) > 0 || n.cur.stream == nil {
		return kept, suspects, nil, false, nil
	}
	touches := n.touches
	shared := map[string]bool{"": true}
	for _, b := range kept {
		for _, h := range touches(b) {
			shared[h] = true
		}
	}
	var hosts []string
	byHost := map[string][]int{}
	for i, b := range suspects {
		hs := touches(b)
		if len(hs) > 1 {
			for _, h := range hs {
				shared[h] = true
			}
			continue
		}
		if byHost[hs[0]] == nil {
			hosts = append(hosts, hs[0])
		}
		byHost[hs[0]] = append(byHost[hs[0]], i)
	}
	hosts = slices.DeleteFunc(hosts, func(h string) bool { return shared[h] })
	if n.had == nil {
		n.had = fingerprints(n.cur.findings)
	}
	out := make([]hostVerdict, len(hosts))
	parallel(len(hosts), func(i int) {
		out[i] = n.narrowHost(hosts[i], suspects, byHost[hosts[i]], false)
	})
	accepted := make([]bool, len(suspects))
	judged := make([]bool, len(suspects))
	for i, h := range hosts {
		v := out[i]
		if v.err != nil {
			return nil, nil, nil, false, v.err
		}
		if !v.ok {
			continue // the host cannot be loaded alone: narrow judges it
		}
		used = true
		for _, j := range v.accepted {
			accepted[j] = true
		}
		for _, j := range byHost[h] {
			judged[j] = true
			why, ok := v.withheld[j]
			if !ok {
				continue
			}
			for _, f := range suspects[j].findings {
				n.withheld[f.Fingerprint] = why
				added = append(added, f.Fingerprint)
			}
		}
	}
	res := append([]*fixGroup(nil), kept...)
	for i, b := range suspects {
		switch {
		case accepted[i]:
			res = append(res, b)
		case !judged[i]:
			rest = append(rest, b)
		}
	}
	return res, rest, added, used, nil
}

// narrowHost narrows the suspects idx, all of host h, on that host alone,
// as narrow does on the whole fleet: it returns the suspects it keeps and
// the reasons of those it withholds, by index; ok is false when the host
// cannot be loaded alone. With whole, it first judges them all together,
// and keeps them all when they cause no problem: the host is not
// troubled.
func (n *narrowing) narrowHost(h string, suspects []*fixGroup, idx []int, whole bool) hostVerdict {
	r, ok := fleet.NewHostReloader(n.cur.fl, h)
	var host *fleet.Host
	hs := n.cur.fl.Hosts
	if i := sort.Search(len(hs), func(i int) bool { return hs[i].Name >= h }); i < len(hs) && hs[i].Name == h {
		host = hs[i]
	}
	if !ok || host == nil {
		return hostVerdict{}
	}
	hostNarrowings.Add(1)
	state := n.hostState(host)
	v := hostVerdict{ok: true, withheld: map[int]string{}}
	// What the host's loads share is examined once: the rules' memo, and
	// the original values of the files its fixes edit.
	memo, origs := map[any]any{}, map[*fleet.File][]located{}
	var kept []*fixGroup
	judge := func(batch []*fixGroup) ([]problem, bool) {
		if v.err != nil || !v.ok {
			return nil, false
		}
		key := verdictKey{host: state}
		for _, b := range batch {
			key.fixes += editsKey(b.fix.Edits) + "\x03"
		}
		if p, ok := n.verdicts.get(key); ok {
			return p, true
		}
		var p []problem
		p, v.ok, v.err = n.judge(r, memo, origs, batch)
		if v.err != nil || !v.ok {
			return nil, false
		}
		n.verdicts.put(key, p)
		return p, true
	}
	if whole {
		all := make([]*fixGroup, len(idx))
		for j, i := range idx {
			all[j] = suspects[i]
		}
		worse, ok := judge(all)
		if !ok {
			return v
		}
		if len(worse) == 0 {
			v.accepted = idx
			return v
		}
	}
	for _, i := range idx {
		b := suspects[i]
		worse, ok := judge(append(kept[:len(kept):len(kept)], b))
		if !ok {
			return v
		}
		if len(worse) == 0 {
			kept, v.accepted = append(kept, b), append(v.accepted, i)
			continue
		}
		alone := worse // with no fix kept yet, the candidate is the fix alone
		if len(kept) > 0 {
			if alone, ok = judge([]*fixGroup{b}); !ok {
				return v
			}
		}
		if len(alone) == 0 {
			continue // clashes with another fix only: next pass
		}
		v.withheld[i] = "fix withheld: " + alone[0].why
	}
	return v
}

// judge applies the fixes of batch, which edit only the host r loads,
// loads and lints that host alone, and returns the problems they cause
// there: those the whole fleet would show, since nothing else depends on
// the host's files. ok is false when the host cannot be loaded alone.
func (n *narrowing) judge(r *fleet.HostReloader, memo map[any]any, origs map[*fleet.File][]located, batch []*fixGroup) (_ []problem, ok bool, _ error) {
	fl := n.cur.fl
	overlay := map[string][]byte{}
	for _, fe := range batchEdits(batch) {
		f := fl.File(fe.path)
		content, err := n.apply(f, fe, origs)
		if err != nil {
			return nil, false, err
		}
		overlay[f.Abs] = content
	}
	sub, ok := r.Load(overlay)
	if !ok {
		return nil, false, nil
	}
	found, err := n.cur.stream.lintHost(sub, memo)
	if err != nil {
		return nil, false, err
	}
	return n.problems(sub, found, batch), true, nil
}

// parallel calls f(0), ..., f(n-1) on GOMAXPROCS workers. A panic in f is
// raised again in the caller, where the command's recover reports it.
func parallel(n int, f func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	var once sync.Once
	var crash any
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					once.Do(func() { crash = fmt.Sprintf("%v\n%s", p, debug.Stack()) })
				}
			}()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
	if crash != nil {
		panic(crash)
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
	s := NewStream(opt)
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
		fx := f.Fix
		if f.Suppressed || fx == nil || len(fx.Edits) == 0 || (fx.Applicability == Unsafe && !unsafe) {
			continue
		}
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
// when not nil, keeps the original's values from one call to the next.
func applyFile(f *fleet.File, fe *fileEdits, origs map[*fleet.File][]located) ([]byte, error) {
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
	if err := verifyValues(f, old, content, fe.edits); err != nil {
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
	hosts := map[string]bool{}
	for _, b := range batch {
		for _, e := range b.fix.Edits {
			if f := before.File(e.Path); f != nil {
				if in := before.InstallOf(f); in != nil && in.Host != nil {
					hosts[in.Host.Name] = true
				}
				// A manifest's edits may be fixes of the configs its
				// ConfigMaps carry: their listeners must not move either.
				for _, in := range before.Installs {
					if in.Embedded() && in.Runtimes[0].File.Outer() == f {
						hosts[in.Host.Name] = true
					}
				}
			}
		}
	}
	type state struct {
		port  int
		known bool
		bind  string
		title string
	}
	portMap := func(fl *fleet.Fleet) map[string]state {
		m := map[string]state{}
		for _, h := range fl.Hosts {
			if !hosts[h.Name] {
				continue
			}
			for _, in := range h.Installs {
				for _, rt := range in.Runtimes {
					for _, l := range rt.Listeners {
						k := h.Name + "\x00" + in.Root + "\x00" + rt.Name + "\x00" + l.Name
						st := state{known: l.Known, bind: l.Bind, title: in.Root + "'s " + l.Title()}
						if l.Known {
							st.port = l.Effective // not meaningful otherwise
						}
						m[k] = st
					}
				}
			}
		}
		return m
	}
	show := func(s state, ok bool) string {
		switch {
		case !ok:
			return "none"
		case !s.known:
			return "unknown"
		}
		return fmt.Sprint(s.port)
	}
	old, now := portMap(before), portMap(after)
	keys := make([]string, 0, len(old)+len(now))
	for k := range old {
		keys = append(keys, k)
	}
	for k := range now {
		if _, ok := old[k]; !ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
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
	for _, k := range keys {
		o, ok1 := old[k]
		n, ok2 := now[k]
		if ok1 && ok2 && o == n {
			continue
		}
		if h := strings.SplitN(k, "\x00", 2)[0]; h != host {
			flush()
			host = h
		}
		title := o.title
		if !ok1 {
			title = n.title
		}
		if ok1 && ok2 && o.port == n.port && o.known == n.known {
			moves = append(moves, fmt.Sprintf("%s from bind address %q to %q", title, o.bind, n.bind))
		} else {
			moves = append(moves, fmt.Sprintf("%s %s → %s", title, show(o, ok1), show(n, ok2)))
		}
	}
	flush()
	return out
}
