package lint

import (
	"encoding/binary"
	"slices"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/parallel"
	"github.com/wso2lint/wso2lint/rewrite"
)

// This file is the fix loop's narrowing: how a pass picks the fixes it
// applies when a batch would create a new problem, on the troubled hosts
// alone where their findings depend on nothing else, else on the whole
// fleet, one suspect at a time.

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
	hosts, byHost, spread := n.byHost(batch)
	if len(spread) > 0 || byHost[""] != nil {
		return nil, nil, nil, false, nil
	}
	if n.had == nil {
		n.had = fingerprints(n.cur.findings)
	}
	out := make([]hostVerdict, len(hosts))
	parallel.For(len(hosts), func(i int) {
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

// byHost groups the indexes of the fix groups that touch one host by that
// host ("" for a file of no install), hosts in the order they first
// come; spread holds those of the groups that touch several hosts.
func (n *narrowing) byHost(gs []*fixGroup) (hosts []string, byHost map[string][]int, spread []int) {
	byHost = map[string][]int{}
	for i, b := range gs {
		hs := n.touches(b)
		if len(hs) > 1 {
			spread = append(spread, i)
			continue
		}
		if byHost[hs[0]] == nil {
			hosts = append(hosts, hs[0])
		}
		byHost[hs[0]] = append(byHost[hs[0]], i)
	}
	return hosts, byHost, spread
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
	d := newSummer()
	var num []byte
	for i, a := range abs {
		if i > 0 && a == abs[i-1] {
			continue
		}
		content, ok := n.overlay[a]
		num = strconv.AppendInt(append(num[:0], 0, '0'), int64(len(content)), 10)
		if ok {
			num[1] = '1'
		}
		d.WriteString(a)
		d.Write(append(num, 0))
		d.Write(content)
	}
	sum := d.Sum()
	return h.Name + "\x00" + string(binary.LittleEndian.AppendUint64(binary.LittleEndian.AppendUint64(nil, sum[0]), sum[1]))
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
	parallel.For(len(fes), func(i int) {
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
	content, err := applyFile(f, fe, origs, n.opt.loadFixed())
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
	shared := map[string]bool{"": true}
	for _, b := range kept {
		for _, h := range n.touches(b) {
			shared[h] = true
		}
	}
	hosts, byHost, spread := n.byHost(suspects)
	for _, i := range spread {
		for _, h := range n.touches(suspects[i]) {
			shared[h] = true
		}
	}
	hosts = slices.DeleteFunc(hosts, func(h string) bool { return shared[h] })
	if n.had == nil {
		n.had = fingerprints(n.cur.findings)
	}
	out := make([]hostVerdict, len(hosts))
	parallel.For(len(hosts), func(i int) {
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
	// A reloader made from cur loads the host as cur has it; the loader
	// of the host judged alone loads it as it was before the loop, so
	// the loop's overlay goes on top of each of its loads.
	var base map[string][]byte
	r, ok := n.opt.hostLoader, n.opt.hostLoader != nil && n.opt.hostLoader.Host() == h
	if ok {
		base = n.overlay
	} else {
		r, ok = fleet.NewHostReloader(n.cur.fl, h)
	}
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
	memo, origs := n.opt.hostMemo, map[*fleet.File][]located{}
	if memo == nil {
		memo = map[any]any{}
	}
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
		p, v.ok, v.err = n.judge(r, base, memo, origs, batch)
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
// the host's files. base holds contents r must load beside the fixed
// files. ok is false when the host cannot be loaded alone.
func (n *narrowing) judge(r *fleet.HostReloader, base map[string][]byte, memo map[any]any, origs map[*fleet.File][]located, batch []*fixGroup) (_ []problem, ok bool, _ error) {
	fl := n.cur.fl
	overlay := make(map[string][]byte, len(base)+len(batch))
	for abs, content := range base {
		overlay[abs] = content
	}
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
