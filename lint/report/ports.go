package report

import (
	"strconv"

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
}

// wildcardBind is shown for a listener without a bind address: it accepts
// connections on every address, which is what 0.0.0.0 says to an operator.
const wildcardBind = "0.0.0.0"

// portsModel lists the fleet's runtimes host by host, in the fleet's
// order (hosts by name, installs by root, runtimes by file, listeners in
// file order), so every format is deterministic.
func portsModel(fl *fleet.Fleet) []portsEntry {
	var out []portsEntry
	if fl == nil {
		return out
	}
	for _, h := range fl.Hosts {
		for _, in := range h.Installs {
			for _, rt := range in.Runtimes {
				out = append(out, portsEntryOf(h, in, rt))
			}
		}
	}
	return out
}

func portsEntryOf(h *fleet.Host, in *fleet.Install, rt *fleet.Runtime) portsEntry {
	e := portsEntry{Host: h.Name, Root: in.Root, Product: string(in.Product), Runtime: rt.Name,
		OffsetSource: rt.Offset.Source, Ports: []portsPort{}}
	if rt.Offset.Known {
		e.Offset = intPtr(rt.Offset.Value)
	}
	if rt.File != nil && rt.File.Problem != nil {
		e.Note = "file not read: " + rt.File.Problem.Message
		if rt.File.Problem.Code == "S001" {
			e.Note = "file does not parse: " + rt.File.Problem.Message
		}
	}
	for _, l := range rt.Listeners {
		e.Ports = append(e.Ports, portOf(rt, l))
	}
	return e
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
		p.File = l.Port.File.Path
		p.Line = l.Port.File.Pos(l.Port.KeySpanToValue().Start).Line
	} else if rt.File != nil {
		p.File = rt.File.Path
	}
	if p.Unverified && p.Note == "" {
		p.Note = "unverified"
	}
	return p
}

func intPtr(n int) *int { return &n }

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
	return numOr(e.Offset, "?") + " (" + e.OffsetSource + ")"
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
	if r.Port == nil {
		if r.Entry.Note != "" {
			return r.Entry.Note
		}
		return "no listeners"
	}
	return ""
}

// humanCells renders the columns shared by the table and Markdown formats:
// INSTALL, RUNTIME, LISTENER, CONFIGURED, OFFSET, EFFECTIVE, BIND, NOTE.
func (r portsRow) humanCells() []string {
	e := r.Entry
	if r.Port == nil {
		return []string{e.Root, runtimeLabel(e), "-", "-", numOr(e.Offset, "?") + " (" + e.OffsetSource + ")", "-", "-", r.note()}
	}
	p := r.Port
	return []string{e.Root, runtimeLabel(e), p.Name, numOr(p.Configured, "?"), offsetText(e, *p),
		numOr(p.Effective, "?"), p.Bind, r.note()}
}
