package lsp

import (
	"fmt"
	"slices"
	"strings"

	"github.com/wso2lint/wso2lint/catalog"
	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/srcpos"
)

// hover explains the setting under the cursor: for a port, its effective
// port with the arithmetic, its listener and any collision on the host;
// for an offset, what it moves; for any deployment.toml key, what WSO2
// does with it (the catalogue's entry).
func (s *Server) hover(p *textDocumentPositionParams) *hover {
	snap := s.fresh()
	uri := p.TextDocument.URI
	file, r := snap.files[uri], snap.runOf[uri]
	if file == nil || r == nil || file.Src == nil {
		return nil
	}
	off := file.Lines.OffsetUTF16(file.Src, p.Position.Line+1, p.Position.Character+1)
	var parts []string
	var span *srcpos.Span
	within := func(sp srcpos.Span) bool {
		if off >= sp.Start && off <= sp.End {
			if span == nil {
				span = &sp
			}
			return true
		}
		return false
	}
	for _, in := range r.fl.Installs {
		for _, rt := range in.Runtimes {
			for _, l := range rt.Listeners {
				if l.Port != nil && l.Port.File == file && within(l.Port.KeySpanToValue()) {
					parts = append(parts, listenerHover(l))
				}
			}
			for _, st := range offsetSettings(rt) {
				if st.File == file && within(st.KeySpanToValue()) {
					parts = append(parts, offsetHover(rt, st))
				}
			}
		}
	}
	if file.TOML != nil {
		if text, sp, ok := keyHover(r.fl, file, off); ok {
			parts = append(parts, text)
			if span == nil {
				span = &sp
			}
		}
	}
	if len(parts) == 0 {
		return nil
	}
	h := &hover{Contents: markupContent{Kind: "markdown", Value: strings.Join(parts, "\n\n---\n\n")}}
	if span != nil {
		rg := rangeOf(file.Lines, file.Src, *span)
		h.Range = &rg
	}
	return h
}

// offsetSettings lists the settings that write a runtime's offset: its
// config file's and its start-up flags.
func offsetSettings(rt *fleet.Runtime) []*fleet.Setting {
	var out []*fleet.Setting
	if rt.Offset.File != nil {
		out = append(out, rt.Offset.File)
	}
	return append(out, rt.Offset.Startup...)
}

func installName(in *fleet.Install) string {
	host := ""
	if in.Host != nil {
		host = fmt.Sprintf(" on host `%s`", in.Host.Name)
	}
	return fmt.Sprintf("`%s`%s", in.Root, host)
}

// listenerHover explains one listener's port.
func listenerHover(l *fleet.Listener) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s** of %s\n\n", l.Title(), installName(l.Runtime.Install))
	if !l.Known {
		note := l.Note
		if note == "" {
			note = "the port or the offset cannot be read"
		}
		fmt.Fprintf(&b, "Effective port: unknown (%s)\n", note)
		return b.String()
	}
	fmt.Fprintf(&b, "Effective port: `%s`", l.Arith())
	if l.OffsetApplies {
		fmt.Fprintf(&b, " (offset from %s)", offsetSource(l.Runtime))
	}
	b.WriteString("\n\n")
	if l.Default != 0 && l.Configured != l.Default {
		fmt.Fprintf(&b, "WSO2's default port for it: %d\n\n", l.Default)
	}
	bind := l.Bind
	if bind == "" {
		bind = "all addresses"
	}
	fmt.Fprintf(&b, "Bound to: %s\n", bind)
	if l.Unverified {
		fmt.Fprintf(&b, "\nNot checked for collisions: %s\n", l.Note)
		return b.String()
	}
	if c := collisions(l); len(c) > 0 {
		b.WriteString("\n**Collides on this host with:**\n")
		for _, o := range c {
			fmt.Fprintf(&b, "- %s of %s: `%s`\n", o.Title(), installName(o.Runtime.Install), o.Arith())
		}
	} else if l.Runtime.Install.Host != nil {
		fmt.Fprintf(&b, "\nNo other listener on host `%s` uses %d.\n", l.Runtime.Install.Host.Name, l.Effective)
	}
	return b.String()
}

// collisions lists the other listeners of l's host on the same effective
// port with overlapping bind addresses.
func collisions(l *fleet.Listener) []*fleet.Listener {
	h := l.Runtime.Install.Host
	if h == nil {
		return nil
	}
	var out []*fleet.Listener
	for _, in := range h.Installs {
		for _, rt := range in.Runtimes {
			for _, o := range rt.Listeners {
				if o != l && o.Known && !o.Unverified && o.Effective == l.Effective && fleet.Overlaps(o.Bind, l.Bind) {
					out = append(out, o)
				}
			}
		}
	}
	return out
}

func offsetSource(rt *fleet.Runtime) string {
	o := rt.Offset
	switch {
	case !o.Known:
		return "an unknown source"
	case o.Source == "default":
		return fmt.Sprintf("WSO2's default, %d", o.Value)
	case o.Winner() != nil && o.Winner().File != nil:
		w := o.Winner()
		return fmt.Sprintf("`%s` line %d", w.File.Path, w.File.Pos(w.Span.Start).Line)
	}
	return o.Source
}

// offsetHover explains an offset setting: whether it is the one in force
// and what it moves.
func offsetHover(rt *fleet.Runtime, st *fleet.Setting) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**Port offset** of %s\n\n", installName(rt.Install))
	switch w := rt.Offset.Winner(); {
	case !rt.Offset.Known:
		p := rt.Offset.Problem
		if p == "" {
			p = st.Problem
		}
		fmt.Fprintf(&b, "The effective offset is unknown: %s\n", p)
		return b.String()
	case w == st:
		fmt.Fprintf(&b, "This setting is in force: every listener moves by %d.\n\n", rt.Offset.Value)
	default:
		fmt.Fprintf(&b, "Overridden: the offset in force is %d, from %s.\n\n", rt.Offset.Value, offsetSource(rt))
	}
	for _, l := range rt.Listeners {
		if l.Known {
			fmt.Fprintf(&b, "- %s: `%s`\n", l.Title(), l.Arith())
		} else {
			fmt.Fprintf(&b, "- %s: unknown\n", l.Title())
		}
	}
	return b.String()
}

// keyHover explains the deployment.toml key or table header under off
// with the catalogue: what WSO2 does with it, its default, its releases.
func keyHover(fl *fleet.Fleet, file *fleet.File, off int) (string, srcpos.Span, bool) {
	doc := file.TOML
	var keys []string
	var sp srcpos.Span
	isTable := false
	for _, t := range doc.Tables {
		if off >= t.Header.Start && off <= t.Header.End {
			keys, sp, isTable = t.Path, t.Header, true
		}
	}
	for _, e := range doc.Entries {
		if off >= e.KeySpan.Start && off <= e.KeySpan.End {
			// The parts up to the one under the cursor: hovering
			// `listener` in `listener.port` explains the table.
			n := len(e.Path) - len(e.Key)
			keys, sp = e.Path, e.KeySpan
			for i, k := range e.Key {
				if off >= k.Span.Start && off <= k.Span.End && i < len(e.Key)-1 {
					keys, sp, isTable = e.Path[:n+i+1], k.Span, true
				}
			}
		}
	}
	if keys == nil {
		return "", sp, false
	}
	release := catalog.AnyRelease
	if in := fl.InstallOf(file); in != nil {
		release = in.Release
	}
	isArray := func(prefix []string) bool {
		for _, t := range doc.Tables {
			if t.Array && slices.Equal(t.Path, prefix) {
				return true
			}
		}
		return false
	}
	name := strings.Join(quoteParts(keys), ".")
	cat := catalog.MI()
	var b strings.Builder
	if isTable {
		if cat.IsTable(catalog.DocPath(keys, isArray)) {
			fmt.Fprintf(&b, "**[%s]**: a table WSO2 reads keys from.\n", name)
		} else {
			fmt.Fprintf(&b, "**[%s]**: no MI release reads any key below this table.\n", name)
		}
		return b.String(), sp, true
	}
	res := cat.LookupDoc(keys, isArray, release)
	if release == catalog.AnyRelease {
		// Of a key every release reads, describe what the newest does.
		if newest := cat.LookupDoc(keys, isArray, catalog.NumReleases-1); newest.Status == catalog.Known {
			res = newest
		}
	}
	rel := "any MI 4.x release"
	if release != catalog.AnyRelease {
		rel = "MI " + catalog.ShortRelease(release)
	}
	fmt.Fprintf(&b, "**%s**\n\n", name)
	switch res.Status {
	case catalog.Unknown:
		fmt.Fprintf(&b, "No MI release reads this key: WSO2 ignores it silently.\n")
		return b.String(), sp, true
	case catalog.NoEffect:
		fmt.Fprintf(&b, "Setting it has no effect: %s.\n", res.Entry.Why())
	case catalog.OtherRelease:
		fmt.Fprintf(&b, "Not read by %s: %s reads it (%s).\n", rel, res.Entry.Releases.Describe(), res.Entry.Why())
	default:
		fmt.Fprintf(&b, "WSO2 reads it: %s.\n", res.Entry.Why())
	}
	e := res.Entry
	if e == nil {
		return b.String(), sp, true
	}
	// Every release that has the key, with what it does there: a key
	// may be mapped in one release and read by code in the next.
	var others []*catalog.Entry
	entries := cat.Entries()
	for i := range entries {
		if entries[i].Path.Equal(e.Path) {
			others = append(others, &entries[i])
		}
	}
	def, typ := e.Default, e.Type
	for _, o := range others {
		if def == "" && o.Default != "" {
			def, typ = o.Default, o.Type
		}
	}
	if def != "" {
		fmt.Fprintf(&b, "\nDefault: `%s`", def)
		if typ != "" {
			fmt.Fprintf(&b, " (%s)", typ)
		}
		b.WriteString("\n")
	}
	b.WriteString("\nReleases:\n")
	for _, o := range others {
		fmt.Fprintf(&b, "- %s: %s\n", o.Releases.Describe(), o.Why())
	}
	return b.String(), sp, true
}

// quoteParts writes key parts as TOML needs them.
func quoteParts(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = catalog.KeyPart(k)
	}
	return out
}
