package rules

import (
	"fmt"
	"github.com/wso2lint/wso2lint/catalog"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/srcpos"
	"github.com/wso2lint/wso2lint/internal/tomlast"
	"github.com/wso2lint/wso2lint/internal/yamlast"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/rewrite"
)

// IgnoredTable reports a port written into a table WSO2 never reads, such
// as `[transport.https] listener.port` (the table is read, that key is
// not) or an `offset` outside `[server]`,
// and an EI Analytics `listenerConfigurations` written at the top level
// instead of under `wso2.transport.http`. The server starts and the port
// stays at its default, because unknown tables are ignored silently.
var IgnoredTable = &lint.Rule{
	Code:     "K003",
	Name:     "ignored-table",
	Severity: lint.Warning,
	Fix:      lint.Unsafe,
	Doc: lint.Doc{
		Title: "a port is set where WSO2 never reads it",
		Rationale: "WSO2's config mapper ignores tables it does not know, without a warning: MI ships an " +
			"empty `validator.json`. Some keys look right but are read by nothing. `[transport.https]` is read " +
			"(its `listener.class` and the raw `listener.parameter.*`), but `[transport.https] listener.port` is not: " +
			"the HTTPS pass-through port is `[transport.http] listener.secured_port`. " +
			"`[transport.passthru.http.listener] port` comes from MI's own test configurations and is read by " +
			"nothing. `[management_api]` and `[internal_apis]` hold no port: the management API is served on " +
			"`[mediation] internal_https_api_port` (and `internal_http_api_port`). An `offset` outside " +
			"`[server]` does not set the offset. In each case the listener stays on its default port plus the " +
			"offset, which is what the finding shows.\n\n" +
			"In an EI Analytics `deployment.yaml`, `listenerConfigurations` must be nested under " +
			"`wso2.transport.http`; written at column 0, as WSO2's page on changing the default ports prints " +
			"it, it is a top-level key that the runtime never reads, and the listeners it lists are not opened.",
		BadFile: "conf/deployment.toml",
		Bad:     "[transport.http]\nsocket_timeout = 180000\n\n[transport.https]\nlistener.port = 8263\n",
		Good:    "[transport.http]\nsocket_timeout = 180000\nlistener.secured_port = 8263\n\n[transport.https]\n",
		FixNote: "Moves the setting to where WSO2 reads it: the line is deleted and `key = value` (the value and " +
			"any trailing comment exactly as written) is added at the end of the right table, or in a new " +
			"table appended to the file when there is none (the emptied header of the ignored table stays; WSO2 ignores it " +
			"either way); an EI Analytics `listenerConfigurations` block is " +
			"re-indented under `wso2.transport.http`. Unsafe: the table WSO2 never read may hold a value the " +
			"author did not mean for the listener (a copy from another environment or product), and moving it " +
			"changes the port the server opens. No fix is offered when the right key is already set, or when " +
			"the target cannot be written without restructuring the file.",
	},
	Check:      checkIgnoredTable,
	Scope:      lint.HostScope,
	Containers: true,
}

func checkIgnoredTable(p *lint.Pass) {
	for _, rt := range miRuntimes(p.Fleet) {
		for _, is := range sharedKeyIssues(p, rt) {
			if is.code == "K003" {
				reportIgnoredTOML(p, rt, is)
			}
		}
	}
	for _, rt := range eiRuntimes(p.Fleet) {
		reportIgnoredYAML(p, rt)
	}
}

func reportIgnoredTOML(p *lint.Pass, rt *fleet.Runtime, is *keyIssue) {
	f, e := rt.File, is.entry
	key := fleet.KeyString(e.Path)
	tt := targetTable(is.target)
	var msg string
	if is.table == "" {
		msg = "`" + key + "` is outside [" + fleet.KeyString(tt) + "], where WSO2 never reads it, "
	} else if catalog.MI().IsTable(is.tablePath) {
		// [transport.https] and [management_api] are read, for other
		// keys: saying the table is ignored would be false.
		msg = "`" + key + "` is not a key WSO2 reads: [" + is.table + "] is read for other settings, never for this port, "
	} else {
		msg = "`" + key + "` is in [" + is.table + "], a table WSO2 never reads, "
	}
	n, ok := entryNumber(e)
	msg += ignoredConsequence(rt, is.target, n, ok)
	msg += "; it belongs in [" + fleet.KeyString(tt) + "] as `" + is.newKey + "`"
	blocked := is.blocked
	if blocked == "" && e.Inline {
		blocked = "it is written inside an inline table: move it by hand"
	}
	if blocked != "" {
		msg += ", but " + blocked
	}
	fd := p.Reportf(f, e.KeySpan, rt.Install, key, "%s", msg)
	if blocked == "" {
		fd.Fix = moveTOMLFix(f, e, tt, is.newKey)
	}
}

// moveTOMLFix deletes an entry's line and writes `newKey = value` (value
// and trailing comment as written) at the end of the target table,
// appending the table to the file when it has no header yet.
func moveTOMLFix(f *fleet.File, e *tomlast.Entry, table []string, newKey string) *lint.Fix {
	d, src := f.TOML, f.Src
	eol := d.LineEnding()
	line := newKey + " = " + string(src[e.Value.Span.Start:e.Value.Span.End])
	for _, c := range d.Comments {
		if c.Trailing && c.Span.Start >= e.Span.End && c.Span.End <= e.Line.End {
			line += string(src[e.Value.Span.End:c.Span.End])
			break
		}
	}
	edits := []rewrite.Edit{{Path: f.Path, Start: e.Line.Start, End: e.Line.End}}
	if t := d.TableFor(table...); t != nil {
		text := line + eol
		if t.BodyEnd > 0 && src[t.BodyEnd-1] != '\n' {
			text = eol + line
		}
		edits = append(edits, rewrite.Edit{Path: f.Path, Start: t.BodyEnd, End: t.BodyEnd, New: text})
	} else {
		text := eol + "[" + fleet.KeyString(table) + "]" + eol + line + eol
		if len(src) > 0 && src[len(src)-1] != '\n' {
			text = eol + text
		}
		edits = append(edits, rewrite.Edit{Path: f.Path, Start: len(src), End: len(src), New: text})
	}
	return &lint.Fix{
		Applicability: lint.Unsafe,
		Message:       "move to [" + fleet.KeyString(table) + "] as `" + newKey + "`",
		Edits:         edits,
	}
}

// eiListenerSection is where EI Analytics reads listenerConfigurations.
const eiListenerSection = "wso2.transport.http"

// reportIgnoredYAML reports a top-level listenerConfigurations key in an
// EI Analytics deployment.yaml.
func reportIgnoredYAML(p *lint.Pass, rt *fleet.Runtime) {
	f := rt.File
	d := f.YAML
	root := d.Root
	if root.Kind != yaml.MappingNode {
		return
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], yamlast.Resolve(root.Content[i+1])
		if k.Kind != yaml.ScalarNode || k.Value != "listenerConfigurations" {
			continue
		}
		span, ok := d.ScalarSpan(k)
		if !ok {
			off := d.Offset(k)
			span = srcpos.Span{Start: off, End: off + len(k.Value)}
		}
		msg := "`listenerConfigurations` is a top-level key, where WSO2 never reads it, so " + ignoredListeners(rt, v) +
			"; it belongs under `" + eiListenerSection + "`"
		fix, why := moveYAMLFix(f, i, v)
		if why != "" {
			msg += ", but " + why
		}
		fd := p.Reportf(f, span, rt.Install, "listenerConfigurations", "%s", msg)
		fd.Fix = fix
	}
}

// ignoredListeners describes the listeners of an ignored
// listenerConfigurations sequence with their arithmetic: "its listeners
// are not opened (9190 + offset 1 = 9191, 9543 + offset 1 = 9544)".
func ignoredListeners(rt *fleet.Runtime, seq *yaml.Node) string {
	var ports []string
	if seq.Kind == yaml.SequenceNode {
		for _, item := range seq.Content {
			_, pv := yamlast.Get(yamlast.Resolve(item), "port")
			pv = yamlast.Resolve(pv)
			if pv == nil || pv.Kind != yaml.ScalarNode {
				continue
			}
			n, ok := parseDecimalText(pv.Value)
			switch {
			case !ok:
				ports = append(ports, pv.Value)
			case rt.Offset.Known:
				ports = append(ports, fmt.Sprintf("%d + offset %d = %d", n, rt.Offset.Value, n+rt.Offset.Value))
			default:
				ports = append(ports, fmt.Sprint(n))
			}
		}
	}
	if len(ports) == 0 {
		return "its listeners are not opened"
	}
	return "its listeners are not opened (" + strings.Join(ports, ", ") + ")"
}

// parseDecimalText parses a plain decimal port number.
func parseDecimalText(s string) (int, bool) {
	n := 0
	if s == "" || len(s) > 9 {
		return 0, false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

// moveYAMLFix builds the unsafe fix that moves a top-level
// listenerConfigurations block under wso2.transport.http, re-indented by
// the indentation of that mapping's keys, or wraps it in a new
// wso2.transport.http mapping when the file has none. It returns why no
// fix is offered when the move is not mechanical; the result is
// re-parsed and checked before it is offered.
func moveYAMLFix(f *fleet.File, i int, v *yaml.Node) (*lint.Fix, string) {
	d, src := f.YAML, f.Src
	eol := d.LineEnding()
	k := d.Root.Content[i]
	blockStart, blockEnd, ok := yamlBlock(f, d.Root, i)
	if !ok {
		return nil, ""
	}
	block := string(src[blockStart:blockEnd])
	if !strings.HasSuffix(block, "\n") {
		block += eol
	}
	var edits []rewrite.Edit
	hk, hv := yamlast.Get(d.Root, eiListenerSection)
	hv = yamlast.Resolve(hv)
	switch {
	case hk == nil:
		moved := eiListenerSection + ":" + eol + indentLines(block, "  ")
		edits = append(edits, rewrite.Edit{Path: f.Path, Start: blockStart, End: blockEnd, New: moved})
	case hv.Kind != yaml.MappingNode || hv.Style&yaml.FlowStyle != 0 || len(hv.Content) == 0:
		return nil, "`" + eiListenerSection + "` is not a block mapping: move it by hand"
	default:
		if lk, _ := yamlast.Get(hv, "listenerConfigurations"); lk != nil {
			return nil, fmt.Sprintf("`%s` already has `listenerConfigurations` (line %d): merge them by hand", eiListenerSection, f.Pos(d.Offset(lk)).Line)
		}
		indent := yamlIndent(f, hv.Content[0]) - yamlIndent(f, k)
		if indent <= 0 {
			return nil, ""
		}
		_, at, ok := yamlBlock(f, d.Root, rootIndex(d.Root, hk))
		if !ok {
			return nil, ""
		}
		moved := indentLines(block, strings.Repeat(" ", indent))
		if at > 0 && src[at-1] != '\n' {
			moved = eol + strings.TrimSuffix(moved, eol)
		}
		if at == blockStart {
			edits = append(edits, rewrite.Edit{Path: f.Path, Start: blockStart, End: blockEnd, New: moved})
		} else {
			edits = append(edits,
				rewrite.Edit{Path: f.Path, Start: blockStart, End: blockEnd},
				rewrite.Edit{Path: f.Path, Start: at, End: at, New: moved})
		}
	}
	if !yamlMoveWorks(src, edits, len(yamlast.Resolve(v).Content)) {
		return nil, ""
	}
	return &lint.Fix{
		Applicability: lint.Unsafe,
		Message:       "move under `" + eiListenerSection + "`",
		Edits:         edits,
	}, ""
}

// yamlBlock returns the lines of the top-level key at index i of the
// root mapping and its value: from the start of the key's line up to the
// next top-level key (or the end of the document), with the line break of
// its last line, trailing blank and comment-only lines excluded (they
// introduce what follows). ok is false when the key does not start its
// line.
func yamlBlock(f *fleet.File, root *yaml.Node, i int) (start, end int, ok bool) {
	src, lines := f.Src, f.Lines
	k := root.Content[i]
	off := f.YAML.Offset(k)
	ln := lines.Pos(off).Line
	start = lines.LineStart(ln) // after a byte-order mark on line 1
	for j := start; j < off; j++ {
		if src[j] != ' ' {
			return 0, 0, false
		}
	}
	stop := lines.Count() + 1
	if i+2 < len(root.Content) {
		stop = lines.Pos(f.YAML.Offset(root.Content[i+2])).Line
	}
	end = lines.LineSpanWithEOL(ln).End
	for l := ln + 1; l < stop; l++ {
		ls, le := lines.LineStart(l), lines.LineEnd(src, l)
		if ls >= len(src) {
			break
		}
		text := string(src[ls:le])
		if text == "---" || text == "..." || strings.HasPrefix(text, "--- ") || strings.HasPrefix(text, "... ") {
			break // the end of the first document
		}
		if t := strings.TrimLeft(text, " \t"); t == "" || t[0] == '#' {
			continue // blank or comment-only: decided by what follows
		}
		end = lines.LineSpanWithEOL(l).End
	}
	return start, end, true
}

// rootIndex returns the index of a key node in a mapping's content.
func rootIndex(m, k *yaml.Node) int {
	for i, n := range m.Content {
		if n == k {
			return i
		}
	}
	return -1
}

// yamlIndent returns the byte column (0-based) of a node's first byte.
func yamlIndent(f *fleet.File, n *yaml.Node) int {
	off := f.YAML.Offset(n)
	return off - f.Lines.LineStart(f.Lines.Pos(off).Line)
}

// indentLines prefixes every non-blank line of text with indent.
func indentLines(text, indent string) string {
	var b strings.Builder
	for _, l := range strings.SplitAfter(text, "\n") {
		if strings.TrimSpace(l) != "" {
			b.WriteString(indent)
		}
		b.WriteString(l)
	}
	return b.String()
}

// yamlMoveWorks applies the edits and checks that the result parses, has
// no top-level listenerConfigurations any more, and has the same number of
// listeners under wso2.transport.http.
func yamlMoveWorks(src []byte, edits []rewrite.Edit, items int) bool {
	out, err := rewrite.Apply(src, edits)
	if err != nil {
		return false
	}
	d, err := yamlast.Parse(out)
	if err != nil || d.Root == nil {
		return false
	}
	if k, _ := yamlast.Get(d.Root, "listenerConfigurations"); k != nil {
		return false
	}
	_, seq := fleet.YAMLPath(d.Root, eiListenerSection, "listenerConfigurations")
	return seq != nil && len(seq.Content) == items
}
