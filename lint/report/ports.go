package report

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/wso2lint/wso2lint/fleet"
)

// This file builds the one model every ports format renders, so that the
// table, JSON, CSV and Markdown outputs can never disagree about a port.

// portsEntry is one runtime of an install: an MI, an MI Dashboard, or one
// of an EI Analytics install's server/portal/worker/dashboard processes,
// each with its own offset.
type portsEntry struct {
	Host, Root, Product, Runtime string
	// Offset is nil when the offset is unknown.
	Offset       *int
	OffsetSource string
	// Note explains an entry without ports (a file that did not parse).
	Note  string
	Ports []portsPort
	// Containerized is set when a compose service or Kubernetes container
	// runs the runtime: its listeners are reached only as published.
	Containerized bool
}

// portsPort is one listener of a runtime.
type portsPort struct {
	Name, Key string
	// Configured and Effective are nil when unknown (an unresolved
	// placeholder, an invalid value, an unknown offset).
	Configured, Effective *int
	// OffsetApplies is false for listeners the offset does not move.
	OffsetApplies bool
	Bind          string
	// File and Line say where the port is written; Line is 0 when the
	// default applies and File is then the runtime's file.
	File       string
	Line       int
	Note       string
	Unverified bool
	// Published lists how the listener is reached from outside the
	// containers that run it (compose ports, Kubernetes Services).
	Published []portsPublished
}

// portsPublished is one way a listener is published: a compose ports
// entry (host port) or a Kubernetes Service port.
type portsPublished struct {
	// Via is "compose", "service" or "host-network".
	Via string
	// Name is the compose service or the Kubernetes Service.
	Name   string
	HostIP string
	// Port is the host port (compose) or the Service's port; nil when it
	// is random or unknown.
	Port     *int
	Random   bool
	Protocol string
	File     string
	Line     int
	// Text renders it for the human formats: "8253", "127.0.0.1:8253",
	// "svc/mi:8253".
	Text string
}

// wildcardBind is shown for a listener without a bind address: it accepts
// connections on every address, which is what 0.0.0.0 says to an operator.
const wildcardBind = "0.0.0.0"

// PortsMap is what every ports format renders: the listeners of a
// fleet's runtimes, host by host. PortsOf maps a loaded fleet; the zero
// PortsMap maps each host as the fleet loads (its Host is the load's
// fleet.Options.OnHost, then Loaded gives it the fleet), so that a large
// fleet's map need not hold the model of every install.
type PortsMap struct {
	fl *fleet.Fleet
	mu sync.Mutex
	// early holds, by host name, the entries of the hosts whose
	// installs the load let go of once they were mapped.
	early map[string]*mappedHost
}

// PortsOf returns the port map of a loaded fleet; fl may be nil.
func PortsOf(fl *fleet.Fleet) *PortsMap { return &PortsMap{fl: fl} }

// Loaded gives the map the fleet its Host saw load.
func (m *PortsMap) Loaded(fl *fleet.Fleet) { m.fl = fl }

// Host maps the fleet of one host as fleet.Options.OnHost passes it. In
// a fleet that can have no container (which would publish its listeners)
// it keeps the host's entries and lets go of its installs
// (fleet.Fleet.Forget): a large fleet's map then costs its entries, not
// its model, as the lint costs its findings. Otherwise the model is kept
// for the end of the load, when the containers are known, and of the
// host's files only what the map shows: the bytes, comments and parsed
// documents are dropped, and the line index is kept for a file a port is
// written in (a fleet of 10,000 installs held every file, nine times the
// lint's memory).
func (m *PortsMap) Host(sub *fleet.Fleet) {
	installs := make([][]*fleet.Install, len(sub.Hosts))
	for i, h := range sub.Hosts {
		installs[i] = slices.Clone(h.Installs)
	}
	if !sub.Forget(sub.Installs) {
		releaseForPorts(sub)
		return
	}
	for i, h := range sub.Hosts {
		kept := &mappedHost{index: map[string]uint32{}}
		for _, in := range installs[i] {
			for _, rt := range in.Runtimes {
				kept.add(portsEntryOf(sub, h, in, rt))
			}
		}
		kept.index = nil
		m.mu.Lock()
		if m.early == nil {
			m.early = map[string]*mappedHost{}
		}
		m.early[h.Name] = kept
		m.mu.Unlock()
	}
}

// mappedHost is the map of a host of a fleet without containers as a
// streamed map keeps it, once the host's model is gone: a large fleet's
// map holds one per host, one mappedRuntime per runtime and one
// mappedPort per listener. Its strings are held once per host and named
// by their index, and its numbers are inline: a listener takes 56 bytes,
// where a portsPort takes 144 and two more allocations.
type mappedHost struct {
	strs     []string
	index    map[string]uint32 // strs' indexes, while the host is mapped
	runtimes []mappedRuntime
}

type mappedRuntime struct {
	root, product, runtime, offsetSource, note uint32
	offset                                     int
	offsetKnown                                bool
	ports                                      []mappedPort
}

type mappedPort struct {
	name, key, bind, file, note uint32
	configured, effective, line int
	known                       uint8 // configuredKnown, effectiveKnown
	offsetApplies, unverified   bool
}

const (
	configuredKnown = 1 << iota
	effectiveKnown
)

// str returns the index of s in the host's strings.
func (h *mappedHost) str(s string) uint32 {
	i, ok := h.index[s]
	if !ok {
		i = uint32(len(h.strs))
		h.strs = append(h.strs, s)
		h.index[s] = i
	}
	return i
}

// add keeps an entry of the host; the entry has no published port and no
// container (the host's fleet has none).
func (h *mappedHost) add(e portsEntry) {
	r := mappedRuntime{root: h.str(e.Root), product: h.str(e.Product), runtime: h.str(e.Runtime),
		offsetSource: h.str(e.OffsetSource), note: h.str(e.Note), offsetKnown: e.Offset != nil,
		ports: make([]mappedPort, len(e.Ports))}
	if e.Offset != nil {
		r.offset = *e.Offset
	}
	for i, p := range e.Ports {
		mp := mappedPort{name: h.str(p.Name), key: h.str(p.Key), bind: h.str(p.Bind), file: h.str(p.File),
			note: h.str(p.Note), line: p.Line, offsetApplies: p.OffsetApplies, unverified: p.Unverified}
		if p.Configured != nil {
			mp.configured, mp.known = *p.Configured, mp.known|configuredKnown
		}
		if p.Effective != nil {
			mp.effective, mp.known = *p.Effective, mp.known|effectiveKnown
		}
		r.ports[i] = mp
	}
	h.runtimes = append(h.runtimes, r)
}

// each calls f with the entry of each runtime of the host named name.
func (h *mappedHost) each(name string, f func(portsEntry)) {
	for _, r := range h.runtimes {
		e := portsEntry{Host: name, Root: h.strs[r.root], Product: h.strs[r.product], Runtime: h.strs[r.runtime],
			OffsetSource: h.strs[r.offsetSource], Note: h.strs[r.note], Ports: make([]portsPort, len(r.ports))}
		if r.offsetKnown {
			e.Offset = intPtr(r.offset)
		}
		for i, mp := range r.ports {
			p := portsPort{Name: h.strs[mp.name], Key: h.strs[mp.key], Bind: h.strs[mp.bind], File: h.strs[mp.file],
				Note: h.strs[mp.note], Line: mp.line, OffsetApplies: mp.offsetApplies, Unverified: mp.unverified,
				Published: []portsPublished{}}
			if mp.known&configuredKnown != 0 {
				p.Configured = intPtr(mp.configured)
			}
			if mp.known&effectiveKnown != 0 {
				p.Effective = intPtr(mp.effective)
			}
			e.Ports[i] = p
		}
		f(e)
	}
}

// releaseForPorts releases the files of a host but for the line index of
// those a port is written in.
func releaseForPorts(sub *fleet.Fleet) {
	shown := map[*fleet.File]bool{}
	for _, in := range sub.Installs {
		for _, rt := range in.Runtimes {
			for _, l := range rt.Listeners {
				if l.Port != nil && l.Port.File != nil {
					shown[l.Port.File] = true
				}
			}
		}
	}
	for _, f := range sub.Files {
		lines := f.Lines
		f.Release()
		if shown[f] {
			f.Lines = lines
		}
	}
}

// each calls f with each runtime of the fleet, host by host, in the
// fleet's order (hosts by name, installs by root, runtimes by file,
// listeners in file order), so every format is deterministic; a format
// writes a large fleet's map as it goes, without holding all of it.
func (m *PortsMap) each(f func(portsEntry)) {
	if m.fl == nil {
		return
	}
	for _, h := range m.fl.Hosts {
		if kept, ok := m.early[h.Name]; ok {
			kept.each(h.Name, f)
			continue
		}
		for _, in := range h.Installs {
			for _, rt := range in.Runtimes {
				f(portsEntryOf(m.fl, h, in, rt))
			}
		}
	}
}

// eachRow calls f with each row of the table-like formats (portsRows) in
// turn.
func (m *PortsMap) eachRow(f func(portsRow)) {
	m.each(func(e portsEntry) {
		for _, r := range portsRows([]portsEntry{e}) {
			f(r)
		}
	})
}

func portsEntryOf(fl *fleet.Fleet, h *fleet.Host, in *fleet.Install, rt *fleet.Runtime) portsEntry {
	e := portsEntry{Host: h.Name, Root: in.Root, Product: string(in.Product), Runtime: rt.Name,
		OffsetSource: rt.Offset.Source, Ports: make([]portsPort, 0, len(rt.Listeners)), Containerized: fl.RunsRuntime(rt)}
	if rt.Offset.Known {
		e.Offset = intPtr(rt.Offset.Value)
	}
	if in.Embedded() && !e.Containerized {
		// Linted for its keys; what runs it is outside the linted tree.
		e.Note = "ConfigMap mounted by no linted workload"
	}
	if rt.File != nil && rt.File.Problem != nil {
		e.Note = "file not read: " + rt.File.Problem.Message
		if rt.File.Problem.Code == "S001" {
			e.Note = "file does not parse: " + rt.File.Problem.Message
		}
	}
	for _, l := range rt.Listeners {
		p := portOf(rt, l)
		p.Published = publishedOf(fl, l)
		e.Ports = append(e.Ports, p)
	}
	return e
}

// publishedOf lists how a listener is published, in file order.
func publishedOf(fl *fleet.Fleet, l *fleet.Listener) []portsPublished {
	out := []portsPublished{}
	for _, x := range fl.Exposures(l) {
		p := portsPublished{Via: x.Via, Text: x.Text(), Protocol: "tcp"}
		var f *fleet.File
		var off int
		switch x.Via {
		case "compose":
			pb := x.Publish
			p.Name, p.HostIP, p.Random, p.Protocol = pb.Container.Name, pb.HostIP, pb.Random, pb.Protocol
			if pb.HostKnown {
				p.Port = intPtr(pb.HostPort)
			}
			f, off = pb.Container.File, pb.HostSpan.Start
		case "service":
			sp := x.Service
			p.Name = sp.Service.Name
			if sp.PortKnown {
				p.Port = intPtr(sp.Port)
			}
			f, off = sp.Service.File, sp.PortSpan.Start
		default:
			p.Name = x.Container.Name
			f, off = x.Container.File, x.Container.NameSpan.Start
		}
		p.File, p.Line = f.Path, f.Pos(off).Line
		out = append(out, p)
	}
	return out
}

// publishedText renders a listener's publications for the human formats:
// "" for an install that runs directly on its host, "-" for a listener of
// a containerised install that nothing publishes.
func publishedText(e portsEntry, p portsPort) string {
	if len(p.Published) == 0 {
		if e.Containerized {
			return "-"
		}
		return ""
	}
	var parts []string
	for _, x := range p.Published {
		parts = append(parts, x.Text)
	}
	return strings.Join(parts, ",")
}

func portOf(rt *fleet.Runtime, l *fleet.Listener) portsPort {
	p := portsPort{Name: l.Name, Key: l.Key, OffsetApplies: l.OffsetApplies, Bind: l.Bind,
		Note: l.Note, Unverified: l.Unverified}
	if p.Bind == "" {
		p.Bind = wildcardBind
	}
	// The configured port can be known while the effective one is not
	// (an unresolved offset); Listener.Known covers only the effective.
	switch {
	case l.Port == nil && l.Default != 0:
		p.Configured = intPtr(l.Default)
	case l.Port != nil && l.Port.State == fleet.Known:
		p.Configured = intPtr(l.Port.Int)
	}
	if l.Known {
		p.Effective = intPtr(l.Effective)
	}
	if l.Port != nil && l.Port.File != nil {
		p.File = outerPath(l.Port.File)
		p.Line = l.Port.File.Pos(l.Port.KeySpanToValue().Start).Line
	} else if rt.File != nil {
		p.File = outerPath(rt.File)
	}
	if p.Unverified && p.Note == "" {
		p.Note = "unverified"
	}
	return p
}

func intPtr(n int) *int { return &n }

// outerPath names the file a reader opens: the manifest, for a config a
// ConfigMap carries (whose line numbers are the manifest's too).
func outerPath(f *fleet.File) string {
	if o := f.Outer(); o != nil {
		return o.Path
	}
	return f.Path
}

// runtimeLabel names a runtime for the human formats: the product, and
// the runtime after a slash when the product has several.
func runtimeLabel(e portsEntry) string {
	if e.Runtime == "" {
		return e.Product
	}
	return e.Product + "/" + e.Runtime
}

// numOr renders a known number, or "?" (human formats) or "" (CSV) for an
// unknown one.
func numOr(n *int, unknown string) string {
	if n == nil {
		return unknown
	}
	return strconv.Itoa(*n)
}

// offsetText renders the offset with where it came from, e.g.
// "10 (default)" or "3 (startup:h1/mi/bin/micro-integrator.sh)"; "none"
// for a listener no offset moves.
func offsetText(e portsEntry, p portsPort) string {
	if !p.OffsetApplies {
		return "none"
	}
	off := numOr(e.Offset, "?")
	if e.Offset != nil && p.Configured != nil && p.Effective != nil {
		// A listener that adds more than the offset (EI 6.x analytics'
		// binary receiver adds 1) shows what it adds.
		if extra := *p.Effective - *p.Configured - *e.Offset; extra != 0 {
			off += fmt.Sprintf(" + %d", extra)
		}
	}
	return off + " (" + e.OffsetSource + ")"
}

// portsRows flattens the model into the rows of the table-like formats:
// one row per listener, and one row with an empty listener for a runtime
// that has none, so that an install whose file failed to parse is not
// silently missing from the map.
func portsRows(entries []portsEntry) []portsRow {
	var rows []portsRow
	for _, e := range entries {
		if len(e.Ports) == 0 {
			rows = append(rows, portsRow{Entry: e})
			continue
		}
		for _, p := range e.Ports {
			rows = append(rows, portsRow{Entry: e, Port: &p})
		}
	}
	return rows
}

type portsRow struct {
	Entry portsEntry
	// Port is nil for a runtime without listeners.
	Port *portsPort
}

// note is the row's note: the listener's, else the runtime's.
func (r portsRow) note() string {
	if r.Port != nil && r.Port.Note != "" {
		return r.Port.Note
	}
	if r.Port == nil || r.Entry.Note != "" {
		if r.Entry.Note != "" {
			return r.Entry.Note
		}
		return "no listeners"
	}
	return ""
}

// humanCells renders the columns shared by the table and Markdown formats:
// INSTALL, RUNTIME, LISTENER, CONFIGURED, OFFSET, EFFECTIVE, BIND,
// PUBLISHED, NOTE.
func (r portsRow) humanCells() []string {
	e := r.Entry
	if r.Port == nil {
		return []string{e.Root, runtimeLabel(e), "-", "-", numOr(e.Offset, "?") + " (" + e.OffsetSource + ")", "-", "-", "", r.note()}
	}
	p := r.Port
	return []string{e.Root, runtimeLabel(e), p.Name, numOr(p.Configured, "?"), offsetText(e, *p),
		numOr(p.Effective, "?"), p.Bind, publishedText(e, *p), r.note()}
}

// skippedLines renders the files that were recognised but not read, for
// the human formats.
func (m *PortsMap) skippedLines() []string {
	if m.fl == nil {
		return nil
	}
	var out []string
	for _, s := range m.fl.Skipped {
		out = append(out, s.Path+": "+s.Reason)
	}
	return out
}
