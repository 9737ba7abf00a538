package rules

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"sync"

	"gopkg.in/yaml.v3"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/srcpos"
	"github.com/wso2lint/wso2lint/internal/tomlast"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/rewrite"
)

// DuplicatePort reports two installs on one host whose listeners end up on
// the same effective port with overlapping bind addresses. Only one of
// them can bind it: the other fails at start-up, or, worse, starts without
// that listener. It is the mistake the linter exists for, because the
// offset arithmetic hides it: two files that share no number can still
// collide.
var DuplicatePort = &lint.Rule{
	Code:     "P001",
	Name:     "duplicate-port",
	Severity: lint.Error,
	Fix:      lint.Unsafe,
	Doc: lint.Doc{
		Title: "two installs on one host listen on the same effective port",
		Rationale: "Installs on one host share one port space, whatever the product: an MI's listeners sit at " +
			"`configured port + offset` (offset = `-DportOffset`, else `[server] offset`, else 10), an EI " +
			"Analytics runtime's at `configured port + wso2.carbon.ports.offset` as its files ship it (1 for the 7.1 " +
			"server, 2 for the portal and the 6.x dashboard) for the listeners that offset moves (the data receivers, " +
			"and the HTTP listeners of EI Analytics 7.1 only; EI 6.x's binary receiver adds 1 more), the MI Dashboard's at its `[server_config] port` with no offset. Two MIs that both " +
			"leave the offset out both run on `8280 + 10 = 8290`, `8253`, `9201` and `9164`, and the second one to " +
			"start cannot bind them.\n\n" +
			"One finding per pair of installs, listing every port they share and why. It sits on the install " +
			"that the change under review touched (a file named on the command line or given on standard input, or " +
			"changed since `--new-from-rev`), else on the later install by path, at the setting that decides its " +
			"offset (`[server] offset`, `-DportOffset`, `wso2.carbon.ports.offset`), else at its `[server]` header, " +
			"else at the first key of its file; the other install's same location is related, and so are the keys " +
			"that write a shared port. The finding is in the files of both installs: naming either file, or " +
			"changing either install, reports it, and a suppression at either location covers it. An install is " +
			"paired with at most three earlier installs; the last pair counts the others. Listeners bound to " +
			"different addresses (`listener.bind_address`) do not collide; an unset " +
			"address, `0.0.0.0` or `::` overlaps every address. Ports that cannot be known statically (an " +
			"unresolved placeholder, a `-DportOffset` whose variable has no value) and listeners whose offset " +
			"behaviour is unverified are not compared.\n\n" +
			"An install that a compose service or a Kubernetes pod runs in a network of its own does not use " +
			"the host's ports: it is compared only with the installs in the same network (the same pod, or " +
			"compose's `network_mode: service:NAME`), and what it publishes on the host is C002's. With " +
			"`network_mode: host` or `hostNetwork: true` it is on the host like any other install.",
		BadFile: "h1/mi-b/conf/deployment.toml",
		Bad:     "# h1/mi-a has no offset either: both run on 8290, 8253, 9201 and 9164\n[server]\nhostname = \"localhost\"\n",
		Good:    "# h1/mi-a has no offset: it runs on 8290, 8253, 9201 and 9164\n[server]\noffset = 11\nhostname = \"localhost\"\n",
		FixNote: "Re-assigns offsets on the host and moves the primary side of each pair: installs the change " +
			"under review did not touch keep their offsets first, in path order, then the touched ones; the first " +
			"keeps its offset, and each later install in conflict gets the smallest offset at or above its own " +
			"that clears every conflict (with the installs before it at their new offsets and those after it at " +
			"their current ones, so that no install that was fine has to move) and keeps all its ports within " +
			"1–65535. The offset is written as `[server] offset` (replacing the value, adding the key under " +
			"`[server]`, or adding a `[server]` table before the first table) or as `wso2.carbon.ports.offset` " +
			"for EI Analytics (every runtime of the install that has to move, in one fix). An offset " +
			"passed at start-up is not \"fixed\" in `deployment.toml`, where `-DportOffset` would still override it: " +
			"the fix rewrites the flag in force, and every start-up flag that agrees with it (a `.sh` and a `.bat`, a " +
			"compose `command` or `JAVA_OPTS`, a Kubernetes `args` or `env` value, a ConfigMap), when each is written " +
			"as plain digits; when one is not (`-DportOffset=${OFFSET}`, `%OFFSET%`), no fix is offered and the " +
			"finding says where to change it and to which value. Unsafe: every port of the install moves (the fix " +
			"message shows each move, old → new), and clients, probes and firewall rules that point at the old ports " +
			"must follow. No fix is offered for the MI Dashboard (it has no offset), for an EI Analytics runtime " +
			"that does not write `wso2.carbon.ports.offset`, or when the shared ports include one that no offset " +
			"moves (EI Analytics' Siddhi store API, EI 6.x analytics' HTTP listeners): only writing another port " +
			"there parts the installs.",
	},
	Check:      checkDuplicatePort,
	Scope:      lint.HostScope,
	Containers: true,
}

func checkDuplicatePort(p *lint.Pass) {
	for _, h := range p.Fleet.Hosts {
		for _, n := range byNetwork(p.Fleet, hostRuntimes(h)) {
			rts := planOrder(p, n.runtimes)
			plans := planOffsets(rts)
			for _, pr := range installPairs(rts) {
				reportPair(p, n.where(h), pr, plans)
			}
		}
	}
}

// planOrder orders a network's runtimes for the offset re-assignment and
// for choosing each pair's primary side: the installs the change under
// review touched (named files, standard input, --new-from-rev) come last,
// each group in path order. The later install of a pair is its primary
// side and the one the fix moves, so a branch that makes an install clash
// is told so on that install, and the fix moves the install it edited, not
// the production install beside it that nobody touched.
func planOrder(p *lint.Pass, rts []*fleet.Runtime) []*fleet.Runtime {
	touched := map[*fleet.Install]bool{}
	anyTouched := false
	for _, rt := range rts {
		if touched[rt.Install] {
			continue
		}
		for _, f := range installFiles(rt.Install) {
			if p.Touched(f) {
				touched[rt.Install], anyTouched = true, true
				break
			}
		}
	}
	if !anyTouched {
		return rts
	}
	out := make([]*fleet.Runtime, 0, len(rts))
	for _, rt := range rts {
		if !touched[rt.Install] {
			out = append(out, rt)
		}
	}
	for _, rt := range rts {
		if touched[rt.Install] {
			out = append(out, rt)
		}
	}
	return out
}

// installFiles lists an install's config and start-up files.
func installFiles(in *fleet.Install) []*fleet.File {
	var out []*fleet.File
	for _, rt := range in.Runtimes {
		out = append(out, rt.File)
	}
	for _, st := range in.Startup {
		out = append(out, st.File)
	}
	return out
}

// clash is one port two installs share: a listener of each.
type clash struct {
	port        int
	early, late *fleet.Listener
}

// pair is two installs of a network that share ports: early comes before
// late in plan order, and late is the primary side. more counts the
// installs before late that collide with it but got no pair of their own
// (see maxListed).
type pair struct {
	early, late *fleet.Install
	clashes     []clash
	more        int
}

// installPairs finds the pairs of installs that share an effective port on
// overlapping bind addresses, in plan order of their later install, then
// of their earlier one. Each install is paired with at most maxListed
// earlier installs (the first ones); the last of its pairs counts the
// rest, so that a host of thousands of installs left at one offset gets a
// report that grows with the host, not with its square.
func installPairs(rts []*fleet.Runtime) []*pair {
	type entry struct {
		idx int // install index in plan order
		l   *fleet.Listener
	}
	index := make(map[*fleet.Install]int, len(rts))
	var installs []*fleet.Install
	var listeners [][]*fleet.Listener // by install index
	byPort := make(map[int][]entry, listenerCount(rts))
	for _, rt := range rts {
		i, ok := index[rt.Install]
		if !ok {
			i = len(installs)
			index[rt.Install] = i
			installs = append(installs, rt.Install)
			listeners = append(listeners, nil)
		}
		for _, l := range rt.Listeners {
			if portChecked(l) {
				listeners[i] = append(listeners[i], l)
				byPort[l.Effective] = append(byPort[l.Effective], entry{i, l})
			}
		}
	}
	// stamp[a] == b+1 marks install a as counted for later install b.
	stamp := make([]int, len(installs))
	var out []*pair
	for b := range installs {
		count := 0
		var clashes map[int][]clash // made at the first clash: most installs have none
		for _, l := range listeners[b] {
			group := byPort[l.Effective]
			seenHere := 0
			for _, a := range group {
				if a.idx >= b {
					break // entries are in plan order
				}
				if !fleet.Overlaps(a.l.Bind, l.Bind) {
					continue
				}
				if stamp[a.idx] != b+1 {
					stamp[a.idx] = b + 1
					count++
				}
				// The first maxListed earlier installs overall are among
				// the first maxListed of every port they share with b.
				if seenHere < maxListed || clashes[a.idx] != nil {
					if clashes == nil {
						clashes = map[int][]clash{}
					}
					if clashes[a.idx] == nil {
						seenHere++
					}
					clashes[a.idx] = append(clashes[a.idx], clash{port: l.Effective, early: a.l, late: l})
				}
			}
		}
		if count == 0 {
			continue
		}
		es := make([]int, 0, len(clashes))
		for a := range clashes {
			es = append(es, a)
		}
		sort.Ints(es)
		es = es[:min(len(es), maxListed)]
		for i, a := range es {
			cs := clashes[a]
			sort.SliceStable(cs, func(x, y int) bool { return listenerOrder(cs[x].late) < listenerOrder(cs[y].late) })
			pr := &pair{early: installs[a], late: installs[b], clashes: cs}
			if i == len(es)-1 {
				pr.more = count - len(es)
			}
			out = append(out, pr)
		}
	}
	return out
}

// listenerOrder is a listener's position among its install's listeners,
// runtime by runtime, so that a pair lists its ports in file order.
func listenerOrder(l *fleet.Listener) int {
	n := 0
	for _, rt := range l.Runtime.Install.Runtimes {
		for _, m := range rt.Listeners {
			if m == l {
				return n
			}
			n++
		}
	}
	return n
}

// wildcardBind reports whether a bind address overlaps every address, by
// the fleet model's own definition: only a wildcard overlaps an address
// no listener can have.
func wildcardBind(bind string) bool { return fleet.Overlaps(bind, "\x00") }

// maxListed caps the earlier installs a later install is paired with (and
// other rules' lists of related locations): on a host of thousands of
// installs left at one offset, pairing every two would make the report
// grow with the square of the host.
const maxListed = 3

// reportPair reports one pair of installs: on the later (primary) side's
// offset, listing every shared port and why, with the earlier side's
// offset as the related location.
func reportPair(p *lint.Pass, where string, pr *pair, plans map[*fleet.Runtime]offsetPlan) {
	lateRT, earlyRT := pr.clashes[0].late.Runtime, pr.clashes[0].early.Runtime
	file, span, key := offsetLocation(lateRT)
	ofile, ospan, _ := offsetLocation(earlyRT)
	lo, eo := lateRT.Offset, earlyRT.Offset
	sameOffset := len(pr.late.Runtimes) == 1 && len(pr.early.Runtimes) == 1 && lo.Known && eo.Known && lo.Value == eo.Value
	var ports []string
	for _, c := range pr.clashes {
		ports = append(ports, clashText(c, sameOffset))
	}
	var msg string
	if sameOffset {
		msg = fmt.Sprintf("%s and %s both run at offset %d %s and share %s: %s",
			pr.late.Root, pr.early.Root, lo.Value, where, countNoun(len(pr.clashes), "port"), joinAnd(ports))
	} else {
		msg = fmt.Sprintf("%s and %s share %s %s: %s",
			pr.late.Root, pr.early.Root, countNoun(len(pr.clashes), "port"), where, joinAnd(ports))
	}
	if pr.more == 1 {
		msg += "; 1 more install before it collides with it too"
	} else if pr.more > 1 {
		msg += fmt.Sprintf("; %d more installs before it collide with it too", pr.more)
	}
	var fix *lint.Fix
	var reasons []string
	for _, rt := range pr.late.Runtimes {
		pl, ok := plans[rt]
		if !ok {
			continue
		}
		if pl.fix != nil {
			if fix == nil {
				fix = &lint.Fix{Applicability: lint.Unsafe, Message: pl.fix.Message}
			} else {
				fix.Message += "; " + pl.fix.Message
			}
			fix.Edits = append(fix.Edits, pl.fix.Edits...)
		} else if pl.reason != "" {
			reasons = append(reasons, pl.reason)
		}
	}
	if len(reasons) > 0 {
		fix = nil
		msg += "; " + strings.Join(reasons, "; ")
	}
	fd := p.Reportf(file, span, pr.late, key, "%s", msg)
	fd.Related = append(fd.Related, lint.Related{File: ofile, Span: ospan,
		Message: fmt.Sprintf("%s runs at %s", pr.early.Root, offsetText(earlyRT))})
	// The settings that write a shared port are where the change may have
	// been made: they are related too, on both sides.
	seen := map[*fleet.Setting]bool{}
	for _, c := range pr.clashes {
		for _, l := range []*fleet.Listener{c.late, c.early} {
			if l.Port != nil && !seen[l.Port] {
				seen[l.Port] = true
				fd.Related = append(fd.Related, relatedSetting(l.Port,
					fmt.Sprintf("%s's %s (%s)", l.Runtime.Install.Root, l.Title(), l.Arith())))
			}
		}
	}
	fd.Fix = fix
}

// clashText describes one shared port: "8290 (HTTP pass-through
// listener, 8280 + offset 10 = 8290, in both)", or each side's listener
// when they differ. With short set (the message already says both run at
// one offset) the arithmetic of a listener both share is left out.
func clashText(c clash, short bool) string {
	if c.early.Title() == c.late.Title() && c.early.Arith() == c.late.Arith() {
		if short {
			return fmt.Sprintf("%d (%s)", c.port, strings.TrimSuffix(c.late.Title(), " listener"))
		}
		return fmt.Sprintf("%d (%s, %s, in both)", c.port, c.late.Title(), c.late.Arith())
	}
	return fmt.Sprintf("%d (%s's %s, %s; %s's %s, %s)", c.port,
		c.late.Runtime.Install.Root, c.late.Title(), c.late.Arith(),
		c.early.Runtime.Install.Root, c.early.Title(), c.early.Arith())
}

// offsetText says where a runtime's offset comes from, for messages.
func offsetText(rt *fleet.Runtime) string {
	o := rt.Offset
	switch {
	case !o.Known:
		return "an unknown offset"
	case o.Winner() == nil:
		return fmt.Sprintf("the built-in offset %d", o.Value)
	}
	return offsetSetting(o.Winner())
}

// countNoun renders "1 port", "4 ports".
func countNoun(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

// offsetLocation is where a duplicate-port finding sits on one side: the
// setting that decides the runtime's offset (a start-up -DportOffset, else
// the offset key), else the [server] header of an MI's deployment.toml,
// else the first key of the file, else the file's first line; never a
// comment. It also returns the logical key of the offset.
func offsetLocation(rt *fleet.Runtime) (*fleet.File, srcpos.Span, string) {
	key := fleet.KeyString(fleet.MIOffsetKey)
	if rt.Install.Product == fleet.EIAnalytics {
		key = "wso2.carbon.ports.offset"
	}
	if w := rt.Offset.Winner(); w != nil {
		sp := w.KeySpanToValue()
		if w.Alias != "" || sp.End < sp.Start {
			sp = w.KeySpan // the value is an anchor elsewhere
		}
		return w.File, sp, key
	}
	f := rt.File
	if d := f.TOML; d != nil {
		if t := d.TableFor("server"); t != nil && !t.Array {
			return f, t.Header, key
		}
		for _, e := range d.Entries {
			if !e.Inline {
				return f, e.Span, key
			}
		}
	}
	if d := f.YAML; d != nil {
		for _, doc := range d.Documents {
			if len(doc.Content) > 0 && doc.Content[0].Kind == yaml.MappingNode && len(doc.Content[0].Content) > 0 {
				k := doc.Content[0].Content[0]
				off := d.Offset(k)
				if off >= 0 && off < len(f.Src) {
					ln := f.Pos(off).Line
					return f, srcpos.Span{Start: off, End: max(off, f.Lines.LineEnd(f.Src, ln))}, key
				}
			}
		}
	}
	// No key at all: the first line that holds something other than a
	// comment, else the end of the file (a file of comments only).
	for ln := 1; ln <= f.Lines.Count(); ln++ {
		start, end := f.Lines.LineStart(ln), f.Lines.LineEnd(f.Src, ln)
		if strings.TrimSpace(string(f.Src[start:end])) != "" && !lineIsComment(f, ln) {
			return f, srcpos.Span{Start: start, End: end}, key
		}
	}
	return f, srcpos.Span{Start: len(f.Src), End: len(f.Src)}, key
}

// offsetPlan is the outcome of re-assigning offsets for one runtime: a fix
// that writes its new offset, or the reason it cannot be moved. Both are
// empty for a runtime that keeps its offset.
type offsetPlan struct {
	fix    *lint.Fix
	reason string
}

// planOffsets re-assigns offsets on a host: runtimes keep
// their order, the first keeps its offset, and each later runtime that
// collides with an earlier one of another install gets the smallest
// offset at or above its own that clears every conflict — with the
// earlier runtimes at their new offsets and the later ones at their
// current offsets — creates none within its own install, and keeps all
// its ports within 1–65535.
func planOffsets(rts []*fleet.Runtime) map[*fleet.Runtime]offsetPlan {
	plans := map[*fleet.Runtime]offsetPlan{}
	// Runtimes whose offset is known are indexed by port: placed ones at
	// their planned offsets, pending ones at their current offsets. A
	// runtime with an unknown offset has unknown ports: it collides with
	// nothing.
	x := newPortIndex(rts)
	defer x.release()
	for _, rt := range rts {
		if rt.Offset.Known {
			x.add(x.pending, rt, rt.Offset.Value)
		}
	}
	for _, rt := range rts {
		if !rt.Offset.Known {
			continue
		}
		cur := rt.Offset.Value
		x.popPending(rt, cur)
		off := cur
		if x.collidesPlaced(rt, cur) {
			if why := immovable(rt); why != "" {
				plans[rt] = offsetPlan{reason: why}
			} else if n, ok := x.firstFree(rt, cur); ok {
				// The new offset also clears the install's other runtimes
				// and the runtimes after this one at their current
				// offsets, so that a move never lands on an install that
				// collided with nothing: the fewest installs move.
				off = n
				plans[rt] = moveOffset(rt, n)
			} else {
				plans[rt] = offsetPlan{reason: fmt.Sprintf(
					"no fix: no offset from %d up clears the collision and keeps every port within 1–65535", cur+1)}
			}
		}
		x.add(x.placed, rt, off)
	}
	return plans
}

// portIndex holds the checked listeners of a host's runtimes by the port
// each has at its runtime's offset, so that whether a runtime would collide
// at some offset costs a lookup per listener, not a scan of the host: a
// host of thousands of installs left at one offset must not take minutes.
type portIndex struct {
	// placed holds the runtimes already planned, at their planned
	// offsets; pending the others, at their current offsets, each port's
	// listeners in runtime order.
	placed, pending map[int][]*fleet.Listener
	// count is the number of listeners of both at each port, for the
	// common question "is this port free on every address?".
	count *[65536]int32
}

var portCounts = sync.Pool{New: func() any { return new([65536]int32) }}

// newPortIndex returns an empty index sized for the listeners of rts.
func newPortIndex(rts []*fleet.Runtime) *portIndex {
	n := listenerCount(rts)
	return &portIndex{placed: make(map[int][]*fleet.Listener, n), pending: make(map[int][]*fleet.Listener, n),
		count: portCounts.Get().(*[65536]int32)}
}

// listenerCount is the number of listeners of rts, to size a host's
// maps of them once.
func listenerCount(rts []*fleet.Runtime) int {
	n := 0
	for _, rt := range rts {
		n += len(rt.Listeners)
	}
	return n
}

// release returns the counts, zeroed, to the pool.
func (x *portIndex) release() {
	for _, m := range []map[int][]*fleet.Listener{x.placed, x.pending} {
		for e := range m {
			if e >= 0 && e < len(x.count) {
				x.count[e] = 0
			}
		}
	}
	portCounts.Put(x.count)
}

// add files a runtime's checked listeners into m at offset off.
func (x *portIndex) add(m map[int][]*fleet.Listener, rt *fleet.Runtime, off int) {
	for _, l := range rt.Listeners {
		if portChecked(l) {
			e := effectiveAt(l, off)
			m[e] = append(m[e], l)
			if e >= 0 && e < len(x.count) {
				x.count[e]++
			}
		}
	}
}

// popPending takes a runtime out of pending, where it sits at offset off.
// Runtimes are planned in order, so its listeners are the first pending
// ones at their ports.
func (x *portIndex) popPending(rt *fleet.Runtime, off int) {
	for _, l := range rt.Listeners {
		if !portChecked(l) {
			continue
		}
		e := effectiveAt(l, off)
		q := x.pending[e]
		for i, m := range q {
			if m == l {
				if i == 0 {
					q = q[1:]
				} else {
					q = append(q[:i:i], q[i+1:]...)
				}
				break
			}
		}
		if len(q) == 0 {
			delete(x.pending, e)
		} else {
			x.pending[e] = q
		}
		if e >= 0 && e < len(x.count) {
			x.count[e]--
		}
	}
}

// collidesPlaced reports whether rt at offset off shares a port on an
// overlapping address with a placed runtime of another install.
func (x *portIndex) collidesPlaced(rt *fleet.Runtime, off int) bool {
	for _, l := range rt.Listeners {
		if !portChecked(l) {
			continue
		}
		for _, m := range x.placed[effectiveAt(l, off)] {
			if m.Runtime.Install != rt.Install && fleet.Overlaps(l.Bind, m.Bind) {
				return true
			}
		}
	}
	return false
}

// blocked reports whether listener l of the runtime being planned would
// share port e on an overlapping address with any listener indexed (the
// runtime itself is not).
func (x *portIndex) blocked(l *fleet.Listener, e int) bool {
	if wildcardBind(l.Bind) && e >= 0 && e < len(x.count) {
		return x.count[e] > 0
	}
	for _, m := range x.placed[e] {
		if fleet.Overlaps(l.Bind, m.Bind) {
			return true
		}
	}
	for _, m := range x.pending[e] {
		if fleet.Overlaps(l.Bind, m.Bind) {
			return true
		}
	}
	return false
}

// firstFree returns the smallest offset above cur at which rt collides
// with no other runtime and keeps its ports within 1–65535.
func (x *portIndex) firstFree(rt *fleet.Runtime, cur int) (int, bool) {
	for _, l := range rt.Listeners {
		if portChecked(l) && !l.OffsetApplies && x.blocked(l, l.Configured) {
			return 0, false // no offset moves it
		}
	}
	// Every known port stays within 1–65535 exactly for n in [lo, hi];
	// a port the offset does not move must be in range already.
	lo, hi := math.MinInt, math.MaxInt
	for _, l := range rt.Listeners {
		switch {
		case !portKnown(l):
		case l.OffsetApplies:
			lo, hi = max(lo, 1-l.Configured), min(hi, 65535-l.Configured)
		case l.Configured < 1 || l.Configured > 65535:
			return 0, false
		}
	}
	for n := cur + 1; n >= lo && n <= hi; n++ {
		free := true
		for _, l := range rt.Listeners {
			if portChecked(l) && x.blocked(l, effectiveAt(l, n)) {
				free = false
				break
			}
		}
		if free {
			return n, true
		}
	}
	return 0, false
}

// immovable says why a runtime's offset cannot be rewritten, or "".
func immovable(rt *fleet.Runtime) string {
	off := rt.Offset
	switch rt.Install.Product {
	case fleet.MIDashboard:
		return "no fix: the MI Dashboard has no port offset; change [server_config] port or move the other install"
	case fleet.MI:
		if len(off.Startup) > 0 {
			return "" // moveOffset rewrites the start-up flags, or says where to
		}
		if rt.File.TOML == nil {
			return "no fix: " + rt.File.Path + " does not parse"
		}
	case fleet.EIAnalytics:
		if off.File == nil {
			return fmt.Sprintf("no fix: %s does not write wso2.carbon.ports.offset", rt.File.Path)
		}
	}
	if off.File != nil && !isLiteral(off.File) {
		return fmt.Sprintf("no fix: the offset comes from the placeholder %q; change its value", off.File.Raw)
	}
	return ""
}

// moveOffset builds the fix that gives a runtime offset n.
func moveOffset(rt *fleet.Runtime, n int) offsetPlan {
	// The message shows every move, old → new, as an unsafe fix must.
	var ports []string
	for _, l := range rt.Listeners {
		if portChecked(l) {
			ports = append(ports, fmt.Sprintf("%d → %d", l.Effective, effectiveAt(l, n)))
		}
	}
	var edit rewrite.Edit
	var verb, why string
	if rt.Install.Product == fleet.MI && len(rt.Offset.Startup) > 0 {
		return moveStartupOffset(rt, n, ports)
	}
	if rt.Install.Product == fleet.EIAnalytics {
		s := rt.Offset.File
		if s != nil && s.Alias != "" {
			return offsetPlan{reason: fmt.Sprintf("no fix: wso2.carbon.ports.offset is the alias %s, whose anchored value other keys may share; change it by hand", s.Alias)}
		}
		text, ok := numberText(s, n)
		if !ok {
			return offsetPlan{reason: "no fix: the value of wso2.carbon.ports.offset cannot be rewritten in place"}
		}
		edit = rewrite.Edit{Path: s.File.Path, Start: s.Span.Start, End: s.Span.End, New: text}
		verb = fmt.Sprintf("set wso2.carbon.ports.offset to %d (was %d)", n, rt.Offset.Value)
	} else {
		edit, why = tomlOffsetEdit(rt, n)
		if why != "" {
			return offsetPlan{reason: "no fix: " + why}
		}
		verb = fmt.Sprintf("set [server] offset = %d (was %d)", n, rt.Offset.Value)
		if rt.Offset.File == nil {
			verb = fmt.Sprintf("add [server] offset = %d (was the built-in %d)", n, rt.Offset.Value)
		}
	}
	return offsetPlan{fix: &lint.Fix{
		Applicability: lint.Unsafe,
		Message:       verb + ": moves " + strings.Join(ports, ", "),
		Edits:         []rewrite.Edit{edit},
	}}
}

// moveStartupOffset builds the fix that gives an MI whose offset is set at
// start-up offset n. The offset is not "fixed" in deployment.toml, where
// -DportOffset would still override it: the fix rewrites the flag in
// force, and every other start-up flag that agrees with it (another way
// of starting the same server), when each is written as plain digits.
// Otherwise it says where to change it, and to what.
func moveStartupOffset(rt *fleet.Runtime, n int, ports []string) offsetPlan {
	off := rt.Offset
	win := off.Startup[0]
	var edits []rewrite.Edit
	var where []string
	for _, s := range off.Startup {
		if s.State == fleet.Known && s.Int != win.Int {
			continue // it does not decide the offset (O002 reports it)
		}
		if !s.Literal {
			return offsetPlan{reason: fmt.Sprintf("no fix: the offset is set by -DportOffset=%s in %s, which cannot be rewritten in place; "+
				"make it %d there", s.Raw, s.Where(), n)}
		}
		if other := sharedFlag(rt.Install, s); other != nil {
			return offsetPlan{reason: fmt.Sprintf("no fix: -DportOffset=%s in %s also sets the offset of %s; give %s an offset of its own (%d)",
				s.Raw, s.Where(), other.Root, rt.Install.Root, n)}
		}
		edits = append(edits, rewrite.Edit{Path: s.File.Path, Start: s.Span.Start, End: s.Span.End, New: strconv.Itoa(n)})
		where = append(where, s.Where())
	}
	return offsetPlan{fix: &lint.Fix{
		Applicability: lint.Unsafe,
		Message: fmt.Sprintf("set -DportOffset=%d (was %d) in %s: moves %s", n, off.Value, joinAnd(where),
			strings.Join(ports, ", ")),
		Edits: edits,
	}}
}

// sharedFlag returns another install of the host whose offset the same
// start-up flag sets (an env file that two compose services read), or nil:
// rewriting it would move that install too.
func sharedFlag(in *fleet.Install, s *fleet.Setting) *fleet.Install {
	if in.Host == nil {
		return nil
	}
	for _, o := range in.Host.Installs {
		if o == in {
			continue
		}
		for _, rt := range o.Runtimes {
			for _, t := range rt.Offset.Startup {
				if t.File == s.File && t.Span == s.Span {
					return o
				}
			}
		}
	}
	return nil
}

// tomlOffsetEdit writes offset n into an MI's deployment.toml: it replaces
// the written value, else adds the key right under the [server] header,
// else adds a [server] table before the first table (and the comment lines
// directly above it, so that they stay with their table), else at the end
// of the file. It keeps the file's line ending and quoting.
func tomlOffsetEdit(rt *fleet.Runtime, n int) (rewrite.Edit, string) {
	f := rt.File
	d := f.TOML
	src := f.Src
	eol := d.LineEnding()
	at := func(off int, text string) rewrite.Edit {
		return rewrite.Edit{Path: f.Path, Start: off, End: off, New: text}
	}
	if s := rt.Offset.File; s != nil {
		text, ok := numberText(s, n)
		if !ok {
			return rewrite.Edit{}, "the written offset cannot be rewritten in place"
		}
		return rewrite.Edit{Path: f.Path, Start: s.Span.Start, End: s.Span.End, New: text}, ""
	}
	if e := strayOffset(d); e != nil {
		// K002 or K003 would turn it into [server] offset: adding
		// another one beside it would define the key twice.
		return rewrite.Edit{}, fmt.Sprintf("%s on line %d looks like a misspelt or misplaced offset; correct it first",
			src[e.KeySpan.Start:e.KeySpan.End], f.Pos(e.KeySpan.Start).Line)
	}
	line := fmt.Sprintf("offset = %d", n)
	for _, t := range d.Tables {
		if t.Array && len(t.Path) == 1 && t.Path[0] == "server" {
			return rewrite.Edit{}, "server is an array of tables"
		}
	}
	// afterLine inserts text as a new line after the given line.
	afterLine := func(ln int, text string) rewrite.Edit {
		end := f.Lines.LineEnd(src, ln)
		if full := f.Lines.LineSpanWithEOL(ln); full.End > end {
			return at(full.End, text+eol)
		}
		return at(end, eol+text)
	}
	if t := d.TableFor("server"); t != nil {
		hdr := f.Pos(t.Header.Start).Line
		indent := ""
		for _, e := range d.Entries {
			if e.Table == t && !e.Inline {
				ls := f.Lines.LineStart(f.Pos(e.KeySpan.Start).Line)
				if ws := string(src[ls:e.KeySpan.Start]); strings.Trim(ws, " \t") == "" {
					indent = ws
				}
				break
			}
		}
		return afterLine(hdr, indent+line), ""
	}
	// [server] may exist through dotted keys at the top level
	// (server.hostname = ...), where a [server] header would be a
	// redefinition.
	var lastRoot int
	for _, e := range d.Entries {
		if e.Table != nil || e.Inline || len(e.Path) == 0 || e.Path[0] != "server" {
			continue
		}
		if len(e.Path) == 1 {
			return rewrite.Edit{}, "server is written as an inline table"
		}
		lastRoot = f.Pos(e.Line.End - 1).Line
	}
	if lastRoot > 0 {
		return afterLine(lastRoot, "server."+line), ""
	}
	block := "[server]" + eol + line + eol
	if len(d.Tables) > 0 {
		ln := f.Pos(d.Tables[0].Header.Start).Line
		for ln > 1 && lineIsComment(f, ln-1) {
			ln--
		}
		return at(f.Lines.LineStart(ln), block+eol), ""
	}
	b := bomLen(src)
	if strings.TrimSpace(string(src[b:])) == "" {
		return rewrite.Edit{Path: f.Path, Start: b, End: len(src), New: block}, ""
	}
	pre := eol
	if !strings.HasSuffix(string(src), "\n") {
		pre = eol + eol
	}
	return at(len(src), pre+block), ""
}

// strayOffset returns the first entry that looks like an offset WSO2 does
// not read: a misspelling in [server] (portOffset, port_offset, Offset)
// or an offset key outside [server].
func strayOffset(d *tomlast.Doc) *tomlast.Entry {
	aliases := map[string]bool{"offset": true}
	for _, a := range fleet.OffsetAliases {
		aliases[fleet.Normalize(a)] = true
	}
	for _, e := range d.Entries {
		p := e.Path
		if len(p) < 2 || fleet.EqualPath(p, fleet.MIOffsetKey) {
			if len(p) == 1 && p[0] == "offset" {
				return e
			}
			continue
		}
		if p[0] == "server" && aliases[fleet.Normalize(strings.Join(p[1:], "."))] {
			return e
		}
		if p[0] != "server" && p[len(p)-1] == "offset" {
			return e
		}
	}
	return nil
}
