package lsp

import (
	"fmt"
	"slices"
	"sort"
	"strconv"
	"strings"

	"github.com/wso2lint/wso2lint/catalog"
	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/lazyre"
	"github.com/wso2lint/wso2lint/internal/srcpos"
)

// maxCompletions bounds one answer; the list is marked incomplete beyond
// it, so that the client asks again as the user types on.
const maxCompletions = 200

// headerLine matches a table header, for the table the cursor is in. The
// buffer is scanned line by line rather than parsed: while a key is being
// typed the file does not parse.
var headerLine = lazyre.New(`^\s*(\[\[?)\s*([^\]#]*?)\s*\]\]?\s*(#.*)?$`)

// complete offers, in deployment.toml, WSO2's keys for the table the
// cursor is in (with their defaults), table names in a header, the default
// of the key whose value is being typed and, for the port offset, the
// smallest offsets that collide with nothing on the host.
func (s *Server) complete(p *textDocumentPositionParams) *completionList {
	list := &completionList{Items: []completionItem{}}
	d := s.docs[p.TextDocument.URI]
	if d == nil || !strings.HasSuffix(strings.ToLower(d.path), ".toml") {
		return list
	}
	snap := s.fresh()
	text := d.text
	lines := srcpos.NewLines(text)
	off := lines.OffsetUTF16(text, p.Position.Line+1, p.Position.Character+1)
	line := lines.Pos(off).Line
	lineStart := lines.LineStart(line)
	prefix := string(text[lineStart:off])
	release := catalog.AnyRelease
	var rt *fleet.Runtime
	if r := snap.runOf[d.uri]; r != nil {
		if f := r.fl.FileAbs(d.path); f != nil {
			if in := r.fl.InstallOf(f); in != nil {
				release = in.Release
				for _, x := range in.Runtimes {
					if x.File == f {
						rt = x
					}
				}
			}
		}
	}
	// The range the completion replaces: the word typed so far.
	wordStart := off
	for wordStart > lineStart && !strings.ContainsRune(" \t=[", rune(text[wordStart-1])) {
		wordStart--
	}
	replace := rangeOf(lines, text, srcpos.Span{Start: wordStart, End: off})
	trimmed := strings.TrimLeft(prefix, " \t")
	switch {
	case strings.HasPrefix(trimmed, "["):
		typed := strings.TrimSpace(strings.TrimLeft(trimmed, "["))
		s.completeTables(list, typed, replace)
	case strings.Contains(prefix, "="):
		before, _, _ := strings.Cut(prefix, "=")
		key := strings.TrimSpace(before)
		table, _ := tableAt(text, lines, line)
		path := append(slices.Clone(table), splitKey(key)...)
		s.completeValue(list, path, release, rt, replace)
	default:
		typed := strings.TrimSpace(trimmed)
		table, array := tableAt(text, lines, line)
		s.completeKeys(list, table, array, typed, release, replace)
	}
	return list
}

// tableAt returns the path of the table a line is in: the last header
// above it; array is set for an array-of-tables header.
func tableAt(text []byte, lines *srcpos.Lines, line int) (path []string, array bool) {
	for ln := line - 1; ln >= 1; ln-- {
		s := string(text[lines.LineStart(ln):lines.LineEnd(text, ln)])
		if m := headerLine.FindStringSubmatch(s); m != nil {
			return splitKey(m[2]), m[1] == "[["
		}
	}
	return nil, false
}

// splitKey splits a dotted TOML key into its parts, taking quotes off.
func splitKey(s string) []string {
	var out []string
	var cur strings.Builder
	quote := byte(0)
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case quote != 0 && c == quote:
			quote = 0
		case quote != 0:
			cur.WriteByte(c)
		case c == '"' || c == '\'':
			quote = c
		case c == '.':
			out = append(out, strings.TrimSpace(cur.String()))
			cur.Reset()
		case c == ' ' || c == '\t':
		default:
			cur.WriteByte(c)
		}
	}
	if t := strings.TrimSpace(cur.String()); t != "" || len(out) > 0 {
		out = append(out, t)
	}
	return out
}

// catalogPath is the catalogue's form of a table path: Item after an
// array of tables.
func catalogPath(table []string, array bool) catalog.Path {
	p := catalog.Path(slices.Clone(table))
	if array {
		p = append(p, catalog.Item)
	}
	return p
}

// usable reports whether an entry is a key worth writing in a release: one
// WSO2 reads, not a dead or merely shipped one.
func usable(e *catalog.Entry, release int) bool {
	if e.Kind == catalog.Dead || e.Kind == catalog.Shipped {
		return false
	}
	return release == catalog.AnyRelease || e.Releases.Has(release)
}

func (s *Server) completeKeys(list *completionList, table []string, array bool, typed string, release int, replace lspRange) {
	t := catalogPath(table, array)
	// A key has one entry per run of releases in which WSO2 treats it
	// alike: the one for the install's release (the newest when it is not
	// known) describes it, and the default comes from whichever has one.
	type cand struct {
		e   *catalog.Entry
		def string
	}
	want := release
	if want == catalog.AnyRelease {
		want = catalog.NumReleases - 1
	}
	cands := map[string]*cand{}
	var labels []string
	entries := catalog.MI().Entries()
	for i := range entries {
		e := &entries[i]
		if !e.Path.HasPrefix(t) || len(e.Path) == len(t) || !usable(e, release) {
			continue
		}
		rest := e.Path[len(t):]
		if slices.Contains(rest, catalog.Any) || slices.Contains(rest, catalog.Item) {
			continue
		}
		label := strings.Join(quoteParts(rest), ".")
		if !strings.HasPrefix(strings.ToLower(label), strings.ToLower(typed)) {
			continue
		}
		c := cands[label]
		if c == nil {
			c = &cand{e: e}
			cands[label] = c
			labels = append(labels, label)
		}
		if e.Releases.Has(want) {
			c.e = e
		}
		if c.def == "" || e.Releases.Has(want) && e.Default != "" {
			c.def = e.Default
		}
	}
	for _, label := range labels {
		c := cands[label]
		insert := label + " = " + tomlValue(c.e.Type, c.def)
		detail := c.e.Releases.Describe()
		if c.def != "" {
			detail = "default " + c.def + " · " + detail
		}
		list.Items = append(list.Items, completionItem{
			Label: label, Kind: completionProperty, Detail: detail,
			Documentation: &markupContent{Kind: "markdown", Value: fmt.Sprintf("`%s`: %s.", c.e.Path, c.e.Why())},
			SortText:      label, FilterText: label,
			TextEdit: &textEdit{Range: replace, NewText: insert},
		})
	}
	finish(list)
}

func (s *Server) completeTables(list *completionList, typed string, replace lspRange) {
	seen := map[string]bool{}
	cat := catalog.MI()
	for _, e := range cat.Entries() {
		for n := 1; n < len(e.Path); n++ {
			p := e.Path[:n]
			if slices.Contains(p, catalog.Any) || slices.Contains(p[:n-1], catalog.Item) {
				break
			}
			array := p[n-1] == catalog.Item
			if array {
				p = p[:n-1]
			}
			label := strings.Join(quoteParts(p), ".")
			if seen[label] || !cat.IsTable(e.Path[:n]) || !strings.HasPrefix(strings.ToLower(label), strings.ToLower(typed)) {
				continue
			}
			seen[label] = true
			detail := "table"
			if array {
				detail = "array of tables"
			}
			list.Items = append(list.Items, completionItem{Label: label, Kind: completionModule, Detail: detail,
				SortText: label, FilterText: label, TextEdit: &textEdit{Range: replace, NewText: label}})
		}
	}
	finish(list)
}

// completeValue offers the value of the key at path: for the port offset
// the smallest offsets free on the host, else WSO2's default.
func (s *Server) completeValue(list *completionList, path []string, release int, rt *fleet.Runtime, replace lspRange) {
	if slices.Equal(path, []string{"server", "offset"}) && rt != nil {
		for i, o := range freeOffsets(rt, 5) {
			list.Items = append(list.Items, completionItem{
				Label: strconv.Itoa(o.offset), Kind: completionValue,
				Detail:   "free on this host: " + o.ports,
				SortText: fmt.Sprintf("%03d", i), FilterText: strconv.Itoa(o.offset),
				TextEdit: &textEdit{Range: replace, NewText: strconv.Itoa(o.offset)},
			})
		}
		if w := rt.Offset.Winner(); w != nil && w != rt.Offset.File {
			for i := range list.Items {
				list.Items[i].Detail += fmt.Sprintf(" (but -DportOffset=%d wins at start-up)", rt.Offset.Value)
			}
		}
		return
	}
	res := catalog.MI().Lookup(catalog.Path(path), release)
	if res.Entry == nil || res.Entry.Default == "" || res.Status != catalog.Known {
		return
	}
	v := tomlValue(res.Entry.Type, res.Entry.Default)
	list.Items = append(list.Items, completionItem{Label: v, Kind: completionValue, Detail: "WSO2's default",
		TextEdit: &textEdit{Range: replace, NewText: v}})
}

type freeOffset struct {
	offset int
	ports  string
}

// freeOffsets returns the n smallest offsets at which every listener of
// the runtime whose port is known lands on a port no other install of its
// host uses, outside the privileged ports and below 65536.
func freeOffsets(rt *fleet.Runtime, n int) []freeOffset {
	used := map[int]bool{}
	if h := rt.Install.Host; h != nil {
		for _, in := range h.Installs {
			if in == rt.Install {
				continue
			}
			for _, x := range in.Runtimes {
				for _, l := range x.Listeners {
					if l.Known {
						used[l.Effective] = true
					}
				}
			}
		}
	}
	// The ports the runtime's listeners are configured with; WSO2's
	// defaults for those not known (a buffer that does not parse yet).
	type port struct {
		name    string
		port    int
		applies bool
	}
	var ports []port
	for _, l := range rt.Listeners {
		switch {
		case l.Known:
			ports = append(ports, port{l.Name, l.Configured, l.OffsetApplies})
		case l.Default != 0:
			ports = append(ports, port{l.Name, l.Default, l.OffsetApplies})
		}
	}
	if len(ports) == 0 && rt.Install.Product == fleet.MI {
		for _, p := range fleet.MIPorts {
			ports = append(ports, port{p.Name, p.Default, true})
		}
	}
	var out []freeOffset
	for o := 0; o <= 10000 && len(out) < n; o++ {
		ok := true
		var desc []string
		for _, p := range ports {
			at := p.port
			if p.applies {
				at += o
			}
			if used[at] || at < 1024 || at > 65535 {
				ok = false
				break
			}
			desc = append(desc, fmt.Sprintf("%s %d", p.name, at))
		}
		if ok {
			out = append(out, freeOffset{offset: o, ports: strings.Join(desc, ", ")})
		}
	}
	return out
}

// tomlValue writes a default as a TOML value; an empty string when WSO2
// gives none (the user types it). A number is written as an integer even
// where WSO2's files quote it: the config mapper renders both alike, and
// an integer is what a port or an offset should be written as.
func tomlValue(typ, def string) string {
	switch {
	case def == "":
		if typ == "array" {
			return "[]"
		}
		return ""
	case typ == "int" || typ == "bool" || typ == "float" || typ == "array":
		return def
	}
	if _, err := strconv.Atoi(def); err == nil {
		return def
	}
	return strconv.Quote(def)
}

// finish sorts the items and bounds their number.
func finish(list *completionList) {
	sort.SliceStable(list.Items, func(i, j int) bool { return list.Items[i].SortText < list.Items[j].SortText })
	if len(list.Items) > maxCompletions {
		list.Items = list.Items[:maxCompletions]
		list.IsIncomplete = true
	}
}
