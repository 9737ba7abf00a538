package rules

import (
	"fmt"
	"strings"

	"github.com/wso2lint/wso2lint/fleet"
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
	Off:      false,
	Fix:      lint.Unsafe,
	Doc: lint.Doc{
		Title: "two installs on one host listen on the same effective port",
		Rationale: "Installs on one host share one port space, whatever the product: an MI's listeners sit at " +
			"`configured port + offset` (offset = `-DportOffset`, else `[server] offset`, else 10), an EI " +
			"Analytics runtime's at `configured port + wso2.carbon.ports.offset` (1 for the server, 2 for the " +
			"portal by default), the MI Dashboard's at its `[server_config] port` with no offset. Two MIs that both " +
			"leave the offset out both run on `8280 + 10 = 8290`, `8253`, `9201` and `9164`, and the second one to " +
			"start cannot bind them.\n\n" +
			"Installs are taken in path order. For each listener of a later install that collides with a " +
			"listener of an earlier one, the finding sits on the key that writes the port, else on the setting " +
			"that decides the offset, else on line 1 of the deployment file; the earlier listener is the related " +
			"location. Listeners bound to different addresses (`listener.bind_address`) do not collide; an unset " +
			"address, `0.0.0.0` or `::` overlaps every address. Ports that cannot be known statically (an " +
			"unresolved placeholder) and listeners whose offset behaviour is unverified are not compared.",
		BadFile: "h1/mi-b/conf/deployment.toml",
		Bad:     "# h1/mi-a has no offset either: both run on 8290, 8253, 9201 and 9164\n[server]\nhostname = \"localhost\"\n",
		Good:    "# h1/mi-a has no offset: it runs on 8290, 8253, 9201 and 9164\n[server]\noffset = 11\nhostname = \"localhost\"\n",
		FixNote: "Re-assigns offsets on the host: installs keep their path order, the first keeps its offset, and " +
			"each later install in conflict gets the smallest offset at or above its own that clears every conflict " +
			"(with the installs before it at their new offsets and those after it at their current ones, so that no " +
			"install that was fine has to move) and keeps all its ports within 1–65535. The offset is " +
			"written as `[server] offset` (replacing the value, adding the key under `[server]`, or adding a " +
			"`[server]` table before the first table) or as `wso2.carbon.ports.offset` for EI Analytics. Unsafe: " +
			"every port of the install moves, and clients, probes and firewall rules that point at the old ports " +
			"must follow. No fix is offered when the offset is passed at start-up (`-DportOffset` must be changed " +
			"where it is set), for the MI Dashboard (it has no offset), or for an EI Analytics runtime that does not " +
			"write `wso2.carbon.ports.offset`.",
	},
	Check: checkDuplicatePort,
	Scope: lint.HostScope,
}

func checkDuplicatePort(p *lint.Pass) {
	for _, h := range p.Fleet.Hosts {
		rts := hostRuntimes(h)
		plans := planOffsets(rts)
		for j, rt := range rts {
			for _, l := range rt.Listeners {
				if !portChecked(l) {
					continue
				}
				var hits []*fleet.Listener
				for _, other := range rts[:j] {
					if other.Install == rt.Install {
						continue
					}
					for _, m := range other.Listeners {
						if portChecked(m) && m.Effective == l.Effective && fleet.Overlaps(l.Bind, m.Bind) {
							hits = append(hits, m)
						}
					}
				}
				if len(hits) == 0 {
					continue
				}
				reportDuplicatePort(p, h, l, hits, plans[rt])
			}
		}
	}
}

func reportDuplicatePort(p *lint.Pass, h *fleet.Host, l *fleet.Listener, hits []*fleet.Listener, plan offsetPlan) {
	var others []string
	var rel []lint.Related
	for _, m := range hits {
		desc := fmt.Sprintf("%s's %s (%s)", m.Runtime.Install.Root, m.Title(), m.Arith())
		others = append(others, desc)
		rel = append(rel, relatedListener(m, fmt.Sprintf("%s also listens on %d", desc, m.Effective)))
	}
	msg := fmt.Sprintf("port %d of the %s (%s) is already used on host %s by %s",
		l.Effective, l.Title(), l.Arith(), h.Name, joinAnd(others))
	if plan.fix == nil && plan.reason != "" {
		msg += "; " + plan.reason
	}
	f, sp := l.Location()
	fd := p.Reportf(f, sp, l.Runtime.Install, l.Key, "%s", msg)
	fd.Related = rel
	if plan.fix != nil {
		fix := *plan.fix
		fix.Edits = append([]rewrite.Edit(nil), plan.fix.Edits...)
		fd.Fix = &fix
	}
}

// offsetPlan is the outcome of re-assigning offsets for one runtime: a fix
// that writes its new offset, or the reason it cannot be moved. Both are
// empty for a runtime that keeps its offset.
type offsetPlan struct {
	fix    *lint.Fix
	reason string
}

// placedRuntime is a runtime at the offset the plan gives it.
type placedRuntime struct {
	rt  *fleet.Runtime
	off int
}

// planOffsets re-assigns offsets on a host (DESIGN.md §5): runtimes keep
// their order, the first keeps its offset, and each later runtime that
// collides with an earlier one of another install gets the smallest
// offset at or above its own that clears every conflict — with the
// earlier runtimes at their new offsets and the later ones at their
// current offsets — creates none within its own install, and keeps all
// its ports within 1–65535.
func planOffsets(rts []*fleet.Runtime) map[*fleet.Runtime]offsetPlan {
	plans := map[*fleet.Runtime]offsetPlan{}
	offs := map[*fleet.Runtime]int{}
	for _, rt := range rts {
		offs[rt] = rt.Offset.Value
	}
	var done []placedRuntime
	for i, rt := range rts {
		if !rt.Offset.Known {
			continue // its ports are unknown: it collides with nothing
		}
		var earlier []placedRuntime
		for _, pl := range done {
			if pl.rt.Install != rt.Install {
				earlier = append(earlier, pl)
			}
		}
		cur := rt.Offset.Value
		if runtimeCollides(rt, cur, earlier) {
			if why := immovable(rt); why != "" {
				plans[rt] = offsetPlan{reason: why}
			} else {
				// The new offset must also clear the install's other runtimes
				// (at their planned offsets) and the runtimes after this one
				// at their current offsets, so that a move never lands on an
				// install that collided with nothing: the fewest installs
				// move.
				var against []placedRuntime
				against = append(against, earlier...)
				for _, sib := range rt.Install.Runtimes {
					if sib != rt && sib.Offset.Known {
						against = append(against, placedRuntime{sib, offs[sib]})
					}
				}
				for _, later := range rts[i+1:] {
					if later.Install != rt.Install && later.Offset.Known {
						against = append(against, placedRuntime{later, offs[later]})
					}
				}
				found := false
				for n := cur + 1; portsInRange(rt, n); n++ {
					if !runtimeCollides(rt, n, against) {
						offs[rt] = n
						plans[rt] = moveOffset(rt, n)
						found = true
						break
					}
				}
				if !found {
					plans[rt] = offsetPlan{reason: fmt.Sprintf(
						"no fix: no offset from %d up clears the collision and keeps every port within 1–65535", cur+1)}
				}
			}
		}
		done = append(done, placedRuntime{rt, offs[rt]})
	}
	return plans
}

// runtimeCollides reports whether a runtime at offset off would share a port on
// an overlapping address with any of the placed runtimes.
func runtimeCollides(rt *fleet.Runtime, off int, others []placedRuntime) bool {
	for _, l := range rt.Listeners {
		if !portChecked(l) {
			continue
		}
		e := effectiveAt(l, off)
		for _, o := range others {
			for _, m := range o.rt.Listeners {
				if portChecked(m) && effectiveAt(m, o.off) == e && fleet.Overlaps(l.Bind, m.Bind) {
					return true
				}
			}
		}
	}
	return false
}

// portsInRange reports whether every known port of a runtime stays within
// 1–65535 at offset off.
func portsInRange(rt *fleet.Runtime, off int) bool {
	for _, l := range rt.Listeners {
		if !portKnown(l) {
			continue
		}
		if e := effectiveAt(l, off); e < 1 || e > 65535 {
			return false
		}
	}
	return true
}

// immovable says why a runtime's offset cannot be rewritten, or "".
func immovable(rt *fleet.Runtime) string {
	off := rt.Offset
	switch rt.Install.Product {
	case fleet.MIDashboard:
		return "no fix: the MI Dashboard has no port offset; change [server_config] port or move the other install"
	case fleet.MI:
		if len(off.Startup) > 0 {
			w := off.Startup[0]
			return fmt.Sprintf("the offset is set by -DportOffset in %s and must be changed there", w.File.Path)
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
	var ports []string
	for _, l := range rt.Listeners {
		if portChecked(l) {
			ports = append(ports, fmt.Sprint(effectiveAt(l, n)))
		}
	}
	var edit rewrite.Edit
	var verb, why string
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
		Message:       verb + ": ports " + strings.Join(ports, ", "),
		Edits:         []rewrite.Edit{edit},
	}}
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
