package report

import (
	"fmt"
	"strconv"
	"strings"

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

// eachPortsEntry calls f with each runtime of the fleet, host by host, in
// the fleet's order (hosts by name, installs by root, runtimes by file,
// listeners in file order), so every format is deterministic; a format
// writes a large fleet's map as it goes, without holding all of it.
func eachPortsEntry(fl *fleet.Fleet, f func(portsEntry)) {
	if fl == nil {
		return
	}
	for _, h := range fl.Hosts {
		for _, in := range h.Installs {
			for _, rt := range in.Runtimes {
				f(portsEntryOf(fl, h, in, rt))
			}
		}
	}
}

// eachPortsRow calls f with each row of the table-like formats (portsRows)
// in turn.
func eachPortsRow(fl *fleet.Fleet, f func(portsRow)) {
	eachPortsEntry(fl, func(e portsEntry) {
		for _, r := range portsRows([]portsEntry{e}) {
			f(r)
		}
	})
}

func portsEntryOf(fl *fleet.Fleet, h *fleet.Host, in *fleet.Install, rt *fleet.Runtime) portsEntry {
	e := portsEntry{Host: h.Name, Root: in.Root, Product: string(in.Product), Runtime: rt.Name,
		OffsetSource: rt.Offset.Source, Ports: []portsPort{}, Containerized: fl.RunsRuntime(rt)}
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
func skippedLines(fl *fleet.Fleet) []string {
	if fl == nil {
		return nil
	}
	var out []string
	for _, s := range fl.Skipped {
		out = append(out, s.Path+": "+s.Reason)
	}
	return out
}
