package report

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
)

// The ports JSON, field by field, as the README documents it. "tool" was
// added later (additions keep version 1): it says which build computed
// the map, as the findings JSON does.

type portsJSONReport struct {
	Version int             `json:"version"`
	Tool    jsonTool        `json:"tool"`
	Hosts   []portsJSONHost `json:"hosts"`
	// Skipped lists files recognised but not read (Helm templates); the
	// key is left out when there are none.
	Skipped []portsJSONSkipped `json:"skipped,omitempty"`
}

type portsJSONSkipped struct {
	File   string `json:"file"`
	Reason string `json:"reason"`
}

type portsJSONHost struct {
	Name     string             `json:"name"`
	Installs []portsJSONInstall `json:"installs"`
}

type portsJSONInstall struct {
	Root         string          `json:"root"`
	Product      string          `json:"product"`
	Runtime      string          `json:"runtime"`
	Offset       *int            `json:"offset"`
	OffsetSource string          `json:"offset_source"`
	Ports        []portsJSONPort `json:"ports"`
	Note         string          `json:"note,omitempty"`
}

type portsJSONPort struct {
	Name       string `json:"name"`
	Key        string `json:"key"`
	Configured *int   `json:"configured"`
	Effective  *int   `json:"effective"`
	Bind       string `json:"bind"`
	File       string `json:"file"`
	Line       int    `json:"line"`
	Note       string `json:"note,omitempty"`
	Unverified bool   `json:"unverified,omitempty"`
	// Published lists how the listener is reached from outside the
	// containers that run it; empty for an install on its host.
	Published []portsJSONPublished `json:"published"`
}

type portsJSONPublished struct {
	Via      string `json:"via"`
	Name     string `json:"name"`
	HostIP   string `json:"host_ip,omitempty"`
	Port     *int   `json:"port"`
	Random   bool   `json:"random,omitempty"`
	Protocol string `json:"protocol"`
	File     string `json:"file"`
	Line     int    `json:"line"`
}

// PortsJSON writes the effective port map: hosts, then one
// entry per runtime (an EI Analytics install with a server and a portal
// gives two entries with the same root), then its listeners. Unknown
// numbers are null, never a guess; "file" and "line" say where a port is
// written, line 0 meaning the built-in default. "published" lists the
// compose host ports and Kubernetes Service ports that publish a listener
// of an install run in a container; "skipped" (present only when not
// empty) the files recognised but not read, such as Helm templates.
// version is the tool's version. Arrays are never null.
//
// The hosts are written one at a time, each as it is built, so that the
// map of a large fleet is not held whole; the bytes are those encoding
// the whole report at once gives, and w receives whole values only.
func PortsJSON(w io.Writer, m *PortsMap, version string) error {
	rep := portsJSONReport{Version: jsonSchemaVersion, Tool: jsonTool{Name: toolName, Version: version},
		Hosts: []portsJSONHost{}}
	if m.fl != nil {
		for _, s := range m.fl.Skipped {
			rep.Skipped = append(rep.Skipped, portsJSONSkipped{File: s.Path, Reason: s.Reason})
		}
	}
	// The report without hosts, split where they go: a quote inside a
	// string is escaped, so the key's text occurs once.
	var skel bytes.Buffer
	if err := encodeJSON(&skel, rep); err != nil {
		return err
	}
	const hostsKey = `"hosts": []`
	at := bytes.Index(skel.Bytes(), []byte(hostsKey))
	if at < 0 {
		return fmt.Errorf("ports JSON: no %s in %q", hostsKey, skel.Bytes())
	}
	var err error
	write := func(b []byte) {
		if err == nil {
			_, err = w.Write(b)
		}
	}
	write(append(skel.Bytes()[:at:at], `"hosts": [`...))
	// Each host is encoded as an element of the hosts array, two levels
	// deep: its lines after the first carry that indentation.
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("    ", "  ")
	enc.SetEscapeHTML(false)
	var h *portsJSONHost
	hosts := 0
	flush := func() {
		if h == nil {
			return
		}
		buf.Reset()
		if hosts == 0 {
			buf.WriteString("\n    ")
		} else {
			buf.WriteString(",\n    ")
		}
		hosts++
		if e := enc.Encode(h); e != nil && err == nil {
			err = e
		}
		write(bytes.TrimSuffix(buf.Bytes(), []byte("\n")))
		h = nil
	}
	m.each(func(e portsEntry) {
		if h == nil || h.Name != e.Host {
			flush()
			h = &portsJSONHost{Name: e.Host, Installs: []portsJSONInstall{}}
		}
		in := portsJSONInstall{Root: e.Root, Product: e.Product, Runtime: e.Runtime, Offset: e.Offset,
			OffsetSource: e.OffsetSource, Note: e.Note, Ports: make([]portsJSONPort, 0, len(e.Ports))}
		for _, p := range e.Ports {
			jp := portsJSONPort{Name: p.Name, Key: p.Key, Configured: p.Configured,
				Effective: p.Effective, Bind: p.Bind, File: p.File, Line: p.Line, Note: p.Note, Unverified: p.Unverified,
				Published: []portsJSONPublished{}}
			for _, x := range p.Published {
				jp.Published = append(jp.Published, portsJSONPublished{Via: x.Via, Name: x.Name, HostIP: x.HostIP,
					Port: x.Port, Random: x.Random, Protocol: x.Protocol, File: x.File, Line: x.Line})
			}
			in.Ports = append(in.Ports, jp)
		}
		h.Installs = append(h.Installs, in)
	})
	flush()
	if hosts > 0 {
		write([]byte("\n  ]"))
	} else {
		write([]byte("]"))
	}
	write(skel.Bytes()[at+len(hostsKey):])
	return err
}
