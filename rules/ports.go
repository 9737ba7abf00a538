package rules

import (
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/tomlast"
	"github.com/wso2lint/wso2lint/lint"
)

// This file holds what the port and offset rules (O00x, P00x, R001) share:
// the order of runtimes on a host, how a listener and its arithmetic are
// named in messages, and how a number is written back into a file in the
// author's quoting style.

// hostRuntimes returns every runtime of a host ordered by install root,
// then by file path: the order in which P001 treats earlier runtimes as
// the ones that keep their ports.
func hostRuntimes(h *fleet.Host) []*fleet.Runtime {
	var out []*fleet.Runtime
	for _, in := range h.Installs {
		out = append(out, in.Runtimes...)
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if a.Install.Root != b.Install.Root {
			return a.Install.Root < b.Install.Root
		}
		return a.File.Path < b.File.Path
	})
	return out
}

// network is the runtimes of a host that share one network: the host's,
// or a container's (fleet.Fleet.Network).
type network struct {
	title    string // "" for the host's network
	runtimes []*fleet.Runtime
}

// where says where the network's ports are used, for messages.
func (n network) where(h *fleet.Host) string {
	if n.title == "" {
		return "on host " + h.Name
	}
	return "in the network of " + n.title + " on host " + h.Name
}

// installs returns the installs of the network's runtimes, each once: the
// runtimes come grouped by install (hostRuntimes).
func (n network) installs() []*fleet.Install {
	var out []*fleet.Install
	for _, rt := range n.runtimes {
		if len(out) == 0 || out[len(out)-1] != rt.Install {
			out = append(out, rt.Install)
		}
	}
	return out
}

// byNetwork splits a host's runtimes by the network their listeners are
// in, keeping their order. Ports collide only within a network; a
// container publishes some of its ports on the host, which C002 checks.
func byNetwork(fl *fleet.Fleet, rts []*fleet.Runtime) []network {
	var out []network
	index := map[string]int{}
	for _, rt := range rts {
		key, title := fl.Network(rt)
		i, ok := index[key]
		if !ok {
			i = len(out)
			index[key] = i
			out = append(out, network{title: title})
		}
		out[i].runtimes = append(out[i].runtimes, rt)
	}
	return out
}

// portChecked reports whether a listener takes part in the port checks: its
// effective port is known and its offset behaviour verified.
// Unknown ports are never guessed.
func portChecked(l *fleet.Listener) bool { return l.Known && !l.Unverified }

// effectiveAt returns the port a listener would have with another offset.
func effectiveAt(l *fleet.Listener, off int) int { return l.At(off) }

// portKnown reports whether a listener's configured port is known, whether
// or not its offset is: settle leaves Configured valid in both cases only
// when the written value (or the default) is known.
func portKnown(l *fleet.Listener) bool {
	if l.Port == nil {
		return l.Default != 0
	}
	return l.Port.State == fleet.Known
}

// isLiteral reports whether a setting writes its number literally (8290
// or "8290") rather than through a placeholder resolved from the config
// file's env values. Only a literal may be rewritten by a fix: rewriting
// a placeholder would drop the author's indirection.
func isLiteral(s *fleet.Setting) bool {
	if s.State != fleet.Known {
		return false
	}
	if s.Kind == "integer" {
		return true
	}
	_, err := strconv.Atoi(strings.TrimPrefix(s.Raw, "+"))
	return s.Kind == "string" && err == nil
}

// numberText renders n to replace a setting's value, keeping the author's
// quoting: a value written as "9201" becomes "9191", a bare 9201 becomes
// 9191. ok is false when the value's bytes are not a plain quoted or bare
// scalar that can be replaced safely.
func numberText(s *fleet.Setting, n int) (text string, ok bool) {
	src := s.File.Src
	if s.Span.End <= s.Span.Start || s.Span.End > len(src) {
		return "", false
	}
	num := strconv.Itoa(n)
	if !s.Quoted {
		return num, true
	}
	v := string(src[s.Span.Start:s.Span.End])
	for _, q := range []string{`"""`, `'''`, `"`, `'`} {
		if len(v) >= 2*len(q) && strings.HasPrefix(v, q) && strings.HasSuffix(v, q) {
			return q + num + q, true
		}
	}
	return "", false
}

// offsetSetting names where an offset setting lives, for messages:
// "-DportOffset=4 in h1/mi-a/bin/micro-integrator.sh" or "offset 6 in
// h1/mi-a/conf/deployment.toml".
func offsetSetting(s *fleet.Setting) string {
	if s.Key == fleet.OffsetFlag {
		if s.State == fleet.Known && s.Raw != strconv.Itoa(s.Int) {
			return fmt.Sprintf("-DportOffset=%s (%d) in %s", s.Raw, s.Int, s.Where())
		}
		return fmt.Sprintf("-DportOffset=%s in %s", s.Raw, s.Where())
	}
	return fmt.Sprintf("offset %s in %s", s.Raw, s.File.Path)
}

// offsetValue renders an offset setting's value for arithmetic: its number
// when known, else its text.
func offsetValue(s *fleet.Setting) string {
	if s.State == fleet.Known {
		return strconv.Itoa(s.Int)
	}
	return strconv.Quote(s.Raw)
}

// relatedListener builds a related location at a listener.
func relatedListener(l *fleet.Listener, msg string) lint.Related {
	f, sp := l.Location()
	return lint.Related{File: f, Span: sp, Message: msg}
}

// relatedSetting builds a related location at a setting, key to value.
func relatedSetting(s *fleet.Setting, msg string) lint.Related {
	return lint.Related{File: s.File, Span: s.KeySpanToValue(), Message: msg}
}

// lineIsComment reports whether a line holds nothing but a comment (after
// blanks), using the parser's comments so that a '#' inside a multi-line
// string does not count.
func lineIsComment(f *fleet.File, line int) bool {
	start, end := f.Lines.LineStart(line), f.Lines.LineEnd(f.Src, line)
	i := start
	for i < end && (f.Src[i] == ' ' || f.Src[i] == '\t') {
		i++
	}
	if i == end {
		return false
	}
	for _, c := range f.Comments {
		if c.Span.Start == i && !c.Trailing {
			return true
		}
	}
	return false
}

// bomLen returns 3 when the file starts with a UTF-8 byte-order mark.
func bomLen(src []byte) int {
	if len(src) >= 3 && string(src[:3]) == "\ufeff" {
		return 3
	}
	return 0
}

// offsetEntry returns the TOML entry that writes an MI's [server] offset,
// or nil. With a duplicate key (S002) it is the first one, the one the
// fleet model reads.
func offsetEntry(f *fleet.File) *tomlast.Entry {
	if f.TOML == nil {
		return nil
	}
	if es := f.TOML.Lookup(fleet.MIOffsetKey...); len(es) > 0 {
		return es[0]
	}
	return nil
}

// joinAnd joins items as a sentence does: "a", "a and b", "a, b and c".
func joinAnd(items []string) string {
	if len(items) <= 1 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// eiLinesDoc closes the documentation of the container rules that compare
// EI Analytics listeners with published ports: which listeners the offset
// moves in each line of releases, and how the line is told.
const eiLinesDoc = "Which EI Analytics listeners `wso2.carbon.ports.offset` moves depends on the release, as their source " +
	"shows: EI Analytics 7.1 adds the offset to its HTTP listeners (the portal's `9643 + 2 = 9645`) and " +
	"data receivers; EI 6.x analytics (6.4 to 6.6) leaves its HTTP listeners on the ports written (the " +
	"dashboard stays on 9643 with `offset: 2`, as WSO2's own compose files publish it) and adds the offset " +
	"plus 1 to its binary receiver (`9611 + 0 + 1 = 9612`); neither moves the Siddhi store API. The release " +
	"is `ei-analytics-version` in `.wso2lint.yaml`, else the install's `updates/product.txt` or directory " +
	"name, else its layout (`wso2/analytics/conf/worker|dashboard|manager` is EI 6.x, `conf/server|portal` " +
	"7.1), else what only one line's files write, else the image of the container that runs it " +
	"(`wso2ei-analytics-dashboard:6.6.0`, `…:7.1.0`). When nothing tells, the ports that differ are unknown " +
	"and nothing is said about them."
