package fleet

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/wso2lint/wso2lint/internal/lazyre"
	"github.com/wso2lint/wso2lint/internal/srcpos"
)

// This file reads the JVM flags a server is started with: -DportOffset,
// which beats [server] offset, and the JMX flags R001 looks at. They are
// written in start-up files beside an install (bin/micro-integrator.sh and
// .bat, wrapper scripts that call them, bin/yajsw/wrapper.conf, systemd
// units, env files) and in what runs an install in a container (a compose
// command or JAVA_OPTS, a Kubernetes container's args or env; compose.go
// and k8s.go). A flag whose value is a variable the file does not set is
// unknown, never guessed.

var (
	// portOffsetFlag finds -DportOffset=VALUE in a shell-like text; the
	// value stops at a blank, a quote of its own or a separator.
	portOffsetFlag = lazyre.New(`-DportOffset=("[^"]*"|'[^']*'|[^\s"';]*)`)
	// batchOffsetFlag is the same for a Windows batch file, where ^
	// escapes the line break and &, |, < and > separate commands.
	batchOffsetFlag = lazyre.New(`-DportOffset=("[^"]*"|[^\s"^&|<>]*)`)
	jmxFlag         = lazyre.New(`-Dcom\.sun\.management\.jmxremote(\.[A-Za-z.]+)?(=[^\s"';^&|<>]*)?`)
	// shellAssign is a shell variable assignment, optionally exported.
	shellAssign = lazyre.New(`^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=(.*)$`)
	// batchAssign is a batch set command, plain or quoted: set X=1,
	// set "X=1".
	batchAssign = lazyre.New(`(?i)^\s*@?set\s+("?)([^=\s"/][^="]*)=(.*)$`)
	// batchComputed is a set command whose value is computed or typed in:
	// set /a X=1+2, set /p X=prompt.
	batchComputed = lazyre.New(`(?i)^\s*@?set\s+/[ap]\s+"?([^=\s"]+)\s*=`)
	// shellSpecial is a shell argument or special parameter.
	shellSpecial = lazyre.New(`\$\{?[0-9*@#?!$-]`)
	// unitAssign finds the assignments of a systemd Environment= line.
	unitAssign = lazyre.New(`"([A-Za-z_][A-Za-z0-9_]*)=([^"]*)"|([A-Za-z_][A-Za-z0-9_]*)=(\S*)`)
)

// Start-up source kinds, from a file's name.
const (
	kindShell   = "sh"
	kindBatch   = "bat"
	kindWrapper = "wrapper.conf"
	kindUnit    = "systemd"
	kindEnv     = "env"
)

// startupKind says what kind of start-up file a path names.
func startupKind(p string) string {
	base := strings.ToLower(path.Base(strings.ReplaceAll(p, `\`, "/")))
	switch {
	case base == "wrapper.conf":
		return kindWrapper
	case strings.HasSuffix(base, ".service"):
		return kindUnit
	case strings.HasSuffix(base, ".env"):
		return kindEnv
	case isBatchName(base):
		return kindBatch
	}
	return kindShell
}

// isBatchName reports whether a file name is a Windows batch file.
func isBatchName(name string) bool {
	name = strings.ToLower(name)
	return strings.HasSuffix(name, ".bat") || strings.HasSuffix(name, ".cmd")
}

// isStartScript reports whether a file name is one of MI's own start
// scripts, read whatever it holds.
func isStartScript(name string) bool {
	return name == "micro-integrator.sh" || strings.EqualFold(name, "micro-integrator.bat")
}

// IsWrapperScript reports whether a shell or batch script other than MI's
// own start scripts is a wrapper that starts an MI: it names
// micro-integrator.sh or micro-integrator.bat. Other scripts beside an
// install say nothing about how it starts and are not read.
func IsWrapperScript(src []byte) bool {
	return strings.Contains(strings.ToLower(string(src)), "micro-integrator")
}

// scanStartup reads a start-up file beside an install for -DportOffset and
// JMX flags. Comments are skipped (a commented-out flag passes nothing);
// a flag whose value is a variable is resolved from the assignments above
// it in the same file, then from env (the configuration's env:), else it
// is unknown.
func scanStartup(f *File, env map[string]string) *Startup {
	kind := startupKind(f.Path)
	st := &Startup{File: f, Origin: "startup:" + f.Path, kind: kind}
	if f.Problem != nil {
		return st
	}
	vars := map[string]variable{}
	lookup := func(name string) (string, bool) {
		if kind == kindBatch {
			name = strings.ToUpper(name)
		}
		if v, ok := vars[name]; ok {
			return v.value, v.known
		}
		for k, v := range env {
			if k == name || kind == kindBatch && strings.EqualFold(k, name) {
				return v, true
			}
		}
		return "", false
	}
	src := f.Src
	next := 0 // the first comment not before this line (comments are in file order)
	for ln := 1; ln <= f.Lines.Count(); ln++ {
		start, end := f.Lines.LineStart(ln), f.Lines.LineEnd(src, ln)
		line := string(src[start:end])
		code := line
		for next < len(f.Comments) && f.Comments[next].Span.Start < start {
			next++
		}
		if next < len(f.Comments) && f.Comments[next].Span.Start < end {
			code = line[:f.Comments[next].Span.Start-start]
		}
		if strings.TrimSpace(code) == "" {
			continue
		}
		hits := scanFlags(code, kind == kindBatch)
		for _, h := range hits.offsets {
			s := &Setting{File: f, Key: OffsetFlag, Origin: st.Origin,
				KeySpan: srcpos.Span{Start: start + h.start, End: start + h.valStart - 1},
				Span:    srcpos.Span{Start: start + h.valStart, End: start + h.valEnd}}
			settleFlag(s, h.value, func(v string) (string, bool) { return expand(v, kind == kindBatch, lookup) })
			s.Literal = s.State == Known && code[h.valStart:h.valEnd] == strconv.Itoa(s.Int)
			st.PortOffsets = append(st.PortOffsets, s)
		}
		st.addJMX(hits, start)
		remember(kind, code, vars, lookup)
		if kind == kindUnit {
			if rest, ok := strings.CutPrefix(strings.TrimSpace(code), "EnvironmentFile="); ok {
				if p := strings.TrimPrefix(unquoteShell(strings.TrimSpace(rest)), "-"); p != "" {
					st.envFiles = append(st.envFiles, p)
				}
			}
		}
	}
	return st
}

// OffsetFlag is the key of a -DportOffset setting.
const OffsetFlag = "-DportOffset"

// variable is a variable a start-up file assigns; known is false when
// its value comes from something wso2lint cannot see.
type variable struct {
	value string
	known bool
}

// remember records the variables a line of a start-up file assigns.
func remember(kind, code string, vars map[string]variable, lookup func(string) (string, bool)) {
	set := func(name, raw string, batch bool) {
		v, ok := expand(raw, batch, lookup)
		if batch {
			name = strings.ToUpper(name)
		}
		vars[name] = variable{v, ok}
	}
	switch kind {
	case kindBatch:
		if m := batchComputed.FindStringSubmatch(code); m != nil {
			vars[strings.ToUpper(m[1])] = variable{} // arithmetic or a prompt: not known here
			return
		}
		if m := batchAssign.FindStringSubmatch(code); m != nil {
			v := m[3]
			if m[1] == `"` {
				v = strings.TrimSuffix(strings.TrimRight(v, " \t"), `"`)
			}
			set(strings.TrimSpace(m[2]), v, true)
		}
	case kindUnit:
		if rest, ok := strings.CutPrefix(strings.TrimSpace(code), "Environment="); ok {
			for _, m := range unitAssign.FindAllStringSubmatch(rest, -1) {
				if m[1] != "" {
					set(m[1], m[2], false)
				} else {
					set(m[3], m[4], false)
				}
			}
		}
	default:
		if m := shellAssign.FindStringSubmatch(code); m != nil {
			set(m[1], unquoteShell(strings.TrimSpace(m[2])), false)
		}
	}
}

// unquoteShell removes the quotes around a shell word.
func unquoteShell(v string) string {
	if len(v) >= 2 && (v[0] == '"' || v[0] == '\'') && v[len(v)-1] == v[0] {
		return v[1 : len(v)-1]
	}
	return v
}

// flagHits are the flags found in one text: -DportOffset values (offsets
// into the text) and JMX flags.
type flagHits struct {
	offsets []offsetHit
	jmx     []srcpos.Span // unpinned -Dcom.sun.management.jmxremote
	pinned  bool
}

type offsetHit struct {
	start, valStart, valEnd int
	value                   string // as written, quotes removed
}

// scanFlags finds the -DportOffset and JMX flags of a text.
func scanFlags(text string, batch bool) flagHits {
	var out flagHits
	re := portOffsetFlag
	if batch {
		re = batchOffsetFlag
	}
	for _, m := range re.FindAllStringSubmatchIndex(text, -1) {
		if m[0] > 0 && !flagBoundary(text[m[0]-1]) {
			continue // the end of a longer word (x-DportOffset=1): not the flag
		}
		out.offsets = append(out.offsets, offsetHit{start: m[0], valStart: m[2], valEnd: m[3],
			value: strings.Trim(text[m[2]:m[3]], `"'`)})
	}
	for _, m := range jmxFlag.FindAllStringSubmatchIndex(text, -1) {
		if m[0] > 0 && !flagBoundary(text[m[0]-1]) {
			continue
		}
		prop := ""
		if m[2] >= 0 {
			prop = text[m[2]:m[3]]
		}
		switch prop {
		case "":
			out.jmx = append(out.jmx, srcpos.Span{Start: m[0], End: m[1]})
		case ".port", ".local.port", ".rmi.port":
			out.pinned = true
		}
	}
	return out
}

// flagBoundary reports whether a flag may follow the byte: a blank, a
// quote, or a separator.
func flagBoundary(c byte) bool {
	return strings.IndexByte(" \t\r\n\"'=(,[;", c) >= 0
}

// addJMX records the JMX flags of a text that starts at offset base.
func (st *Startup) addJMX(h flagHits, base int) {
	for _, sp := range h.jmx {
		st.JMX = append(st.JMX, srcpos.Span{Start: base + sp.Start, End: base + sp.End})
	}
	st.JMXPinned = st.JMXPinned || h.pinned
}

// settleFlag decides a -DportOffset flag's number from its written value:
// a decimal integer is known; variables are expanded by expand, and one
// that has no value makes the offset unknown.
func settleFlag(s *Setting, written string, expand func(string) (string, bool)) {
	s.Raw, s.Kind = written, "string"
	v, ok := expand(written)
	switch {
	case !ok:
		s.State = Unresolved
		s.Problem = fmt.Sprintf("-DportOffset=%s takes its value from a variable that is not set where wso2lint can see it "+
			"(give it under env: in .wso2lint.yaml)", written)
	case v == "":
		s.State, s.Problem = Invalid, "-DportOffset has no value"
	default:
		if n, ok := parseDecimal(strings.TrimSpace(v)); ok {
			s.Int, s.State = n, Known
			return
		}
		s.State, s.Problem = Invalid, fmt.Sprintf("%q is not a number", v)
		if v != written {
			s.Problem = fmt.Sprintf("%q (from %s) is not a number", v, written)
		}
	}
}

// expand resolves the variables of a start-up text: shell's $X, ${X} and
// ${X:-default} forms, or a batch file's %X% (%% is a percent sign;
// arguments %1, %~1 and %* and delayed !X! cannot be known). ok is false
// when a variable has no value.
func expand(s string, batch bool, lookup func(string) (string, bool)) (string, bool) {
	if !batch {
		if !strings.Contains(s, "$") {
			return s, true
		}
		if shellSpecial.MatchString(s) {
			return "", false // an argument ($1, $@) or a special parameter
		}
		return interpolateFunc(s, lookup)
	}
	if strings.ContainsRune(s, '!') {
		return "", false
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '%' {
			b.WriteByte(s[i])
			continue
		}
		if i+1 < len(s) && s[i+1] == '%' {
			b.WriteByte('%')
			i++
			continue
		}
		j := strings.IndexByte(s[i+1:], '%')
		if j < 0 {
			return "", false // %1, %~dp0, %*: an argument
		}
		name := s[i+1 : i+1+j]
		if name == "" || strings.ContainsAny(name, " ~*:") || name[0] >= '0' && name[0] <= '9' {
			return "", false
		}
		v, ok := lookup(name)
		if !ok {
			return "", false
		}
		b.WriteString(v)
		i += j + 1
	}
	return b.String(), true
}

// scanBatchComments finds the comments of a batch file: lines that start
// (after blanks and an @) with REM or ::.
func scanBatchComments(src []byte, lines *srcpos.Lines) []Comment {
	var out []Comment
	for ln := 1; ln <= lines.Count(); ln++ {
		start, end := lines.LineStart(ln), lines.LineEnd(src, ln)
		i := start
		for i < end && (src[i] == ' ' || src[i] == '\t' || src[i] == '@') {
			i++
		}
		rest := strings.ToLower(string(src[i:end]))
		if strings.HasPrefix(rest, "::") ||
			strings.HasPrefix(rest, "rem") && (len(rest) == 3 || strings.IndexByte(" \t:./\\", rest[3]) >= 0) {
			out = append(out, Comment{Span: srcpos.Span{Start: i, End: end}, Text: string(src[i:end])})
		}
	}
	return out
}

// scanYAML adds the flags written in a YAML scalar of a compose file or
// manifest (a command argument, a JAVA_OPTS value) to a container's
// start-up source. expand resolves the variables of a flag's value.
// Positions are exact when the scalar's bytes are its value (plain or
// quoted without escapes); otherwise the flag is looked for in the bytes
// from the scalar's start (a block scalar), and failing that the finding
// underlines the whole scalar.
func (st *Startup) scanYAML(n *yaml.Node, expand func(string) (string, bool)) {
	f := st.File
	d := f.YAML
	if n == nil || n.Kind != yaml.ScalarNode || d == nil {
		return
	}
	v := n.Value
	h := scanFlags(v, false)
	if len(h.offsets) == 0 && len(h.jmx) == 0 && !h.pinned {
		return
	}
	sp, base, exact := scalarBase(d, n)
	from := d.Offset(n)
	locate := func(s, e int) (srcpos.Span, bool) {
		if exact {
			return srcpos.Span{Start: base + s, End: base + e}, true
		}
		// The k-th occurrence of the text in the value is the k-th in
		// the bytes: block scalars keep a flag's own bytes as they are.
		text := v[s:e]
		k := strings.Count(v[:s], text)
		limit := min(len(f.Src), from+2*len(v)+256)
		at := from
		for i := 0; i <= k; i++ {
			j := strings.Index(string(f.Src[at:limit]), text)
			if j < 0 {
				if sp.End > sp.Start {
					return sp, false
				}
				return srcpos.Span{Start: from, End: from}, false
			}
			if i < k {
				at += j + len(text)
				continue
			}
			return srcpos.Span{Start: at + j, End: at + j + len(text)}, true
		}
		return sp, false
	}
	for _, o := range h.offsets {
		s := &Setting{File: f, Key: OffsetFlag, Origin: st.Origin, Runner: st.Runner}
		whole, ok := locate(o.start, o.valEnd)
		s.KeySpan, s.Span = whole, whole
		if ok {
			s.KeySpan = srcpos.Span{Start: whole.Start, End: whole.Start + len(OffsetFlag)}
			s.Span = srcpos.Span{Start: whole.Start + o.valStart - o.start, End: whole.End}
		}
		settleFlag(s, o.value, expand)
		s.Literal = ok && s.State == Known && string(f.Src[s.Span.Start:s.Span.End]) == strconv.Itoa(s.Int)
		st.PortOffsets = append(st.PortOffsets, s)
	}
	for _, j := range h.jmx {
		js, _ := locate(j.Start, j.End)
		st.JMX = append(st.JMX, js)
	}
	st.JMXPinned = st.JMXPinned || h.pinned
}

// scanInterpolated adds the flags that a YAML scalar of a compose file
// passes only once its variables are substituted: `JAVA_OPTS: ${OPTS}`
// with OPTS=-DportOffset=2 in .env. They are located at the scalar (the
// bytes that hold them are in the .env file) and are never rewritten. A
// scalar whose variables have no value passes nothing wso2lint can see.
func (st *Startup) scanInterpolated(n *yaml.Node, interpolate func(string) (string, bool)) {
	if n == nil || n.Kind != yaml.ScalarNode || !strings.Contains(n.Value, "$") {
		return
	}
	v, ok := interpolate(n.Value)
	if !ok || v == n.Value {
		return
	}
	raw, sub := scanFlags(n.Value, false), scanFlags(v, false)
	sp := nodeSpan(st.File.YAML, n)
	if len(raw.offsets) == 0 {
		for _, o := range sub.offsets {
			s := &Setting{File: st.File, Key: OffsetFlag, Origin: st.Origin, Runner: st.Runner, KeySpan: sp, Span: sp}
			settleFlag(s, o.value, func(x string) (string, bool) { return x, true })
			st.PortOffsets = append(st.PortOffsets, s)
		}
	}
	if len(raw.jmx) == 0 && len(sub.jmx) > 0 {
		st.JMX = append(st.JMX, sp)
	}
	st.JMXPinned = st.JMXPinned || sub.pinned
}

// Empty reports whether a start-up source passes no flag wso2lint reads.
func (st *Startup) Empty() bool {
	return len(st.PortOffsets) == 0 && len(st.JMX) == 0 && !st.JMXPinned
}

// javaOptsVars are the environment variables whose JVM flags reach MI:
// JAVA_OPTS, which micro-integrator.sh puts on the java command line, and
// the two the java launcher reads itself. In precedence order: a later
// -D on the command line beats an earlier one, and the launcher's own
// variables come before the command line.
var javaOptsVars = []string{"JAVA_OPTS", "JDK_JAVA_OPTIONS", "JAVA_TOOL_OPTIONS"}

// isJavaOptsVar reports whether an environment variable passes JVM flags.
func isJavaOptsVar(name string) bool {
	for _, v := range javaOptsVars {
		if v == name {
			return true
		}
	}
	return false
}

// scanEnvFile reads the JAVA_OPTS lines of an env file (compose's
// env_file) for flags; expand resolves variables in their values.
func (st *Startup) scanEnvFile(expand func(string) (string, bool), skip func(string) bool) {
	f := st.File
	if f.Problem != nil {
		return
	}
	for ln := 1; ln <= f.Lines.Count(); ln++ {
		start, end := f.Lines.LineStart(ln), f.Lines.LineEnd(f.Src, ln)
		line := string(f.Src[start:end])
		m := shellAssign.FindStringSubmatchIndex(line)
		if m == nil || !isJavaOptsVar(line[m[2]:m[3]]) || skip(line[m[2]:m[3]]) {
			continue
		}
		name := line[m[2]:m[3]]
		val := line[m[4]:m[5]]
		if i := strings.Index(val, " #"); i >= 0 && !strings.HasPrefix(strings.TrimSpace(val), `"`) &&
			!strings.HasPrefix(strings.TrimSpace(val), "'") {
			val = val[:i] // a comment after an unquoted value
		}
		h := scanFlags(val, false)
		base := start + m[4]
		for _, o := range h.offsets {
			s := &Setting{File: f, Key: OffsetFlag, Origin: st.Origin + " " + name, Runner: st.Runner,
				KeySpan: srcpos.Span{Start: base + o.start, End: base + o.valStart - 1},
				Span:    srcpos.Span{Start: base + o.valStart, End: base + o.valEnd}}
			settleFlag(s, o.value, expand)
			s.Literal = s.State == Known && val[o.valStart:o.valEnd] == strconv.Itoa(s.Int)
			st.PortOffsets = append(st.PortOffsets, s)
		}
		st.addJMX(h, base)
	}
}

// Where names the place a setting is written, for messages: its file,
// and for a flag that a container passes, how it passes it:
// "docker-compose.yml (the command of compose service mi)".
func (s *Setting) Where() string {
	if s.Runner == "" {
		return s.File.Path
	}
	kind, rest, _ := strings.Cut(s.Origin, ":")
	what, arg, _ := strings.Cut(rest, " ")
	var how string
	switch {
	case what == "environment" || what == "env":
		how = fmt.Sprintf("%s in the %s of %s", arg, what, s.Runner)
	case what == "env_file":
		how = fmt.Sprintf("%s in an env_file of %s", arg, s.Runner)
	case what == "configmap":
		cm, v, _ := strings.Cut(arg, " ")
		how = fmt.Sprintf("%s in ConfigMap %s, for %s", v, cm, s.Runner)
	case kind == "compose" || kind == "k8s":
		how = fmt.Sprintf("the %s of %s", what, s.Runner)
	default:
		how = s.Origin + ", " + s.Runner
	}
	return s.File.Path + " (" + how + ")"
}

// scanUnitComments finds the comments of a systemd unit: lines that start
// (after blanks) with # or ;. systemd has no comment after a value.
func scanUnitComments(src []byte, lines *srcpos.Lines) []Comment {
	var out []Comment
	for ln := 1; ln <= lines.Count(); ln++ {
		start, end := lines.LineStart(ln), lines.LineEnd(src, ln)
		i := start
		for i < end && (src[i] == ' ' || src[i] == '\t') {
			i++
		}
		if i < end && (src[i] == '#' || src[i] == ';') {
			out = append(out, Comment{Span: srcpos.Span{Start: i, End: end}, Text: string(src[i:end])})
		}
	}
	return out
}
