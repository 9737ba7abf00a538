package rules

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/rewrite"
)

// This file holds what the cross-file rules (C001–C005) share: which
// listeners a container runs, which listener a stray port is evidently
// meant for, and how a port inside a compose string or a URL is
// rewritten.

// defaultOffset is the offset a runtime has when nothing sets it: 10 for
// an MI, 0 for an EI Analytics runtime (Carbon 5's default), none for the
// MI Dashboard.
func defaultOffset(rt *fleet.Runtime) int {
	switch rt.Install.Product {
	case fleet.MI:
		return fleet.MIDefaultOffset
	case fleet.EIAnalytics:
		return fleet.EIDefaultOffset
	}
	return 0
}

// claims lists the ports that evidently mean a listener although it is
// not on them: its configured port (the offset forgotten), its effective
// default (the offset moved it away from the well-known port), and its
// configured port plus the default offset.
func claims(l *fleet.Listener) []int {
	out := []int{l.Configured}
	if l.OffsetApplies {
		out = append(out, l.At(defaultOffset(l.Runtime)))
		if l.Default != 0 {
			out = append(out, l.Default, l.Default+defaultOffset(l.Runtime))
		}
	}
	return out
}

// portTarget is what a container port means to a set of runtimes.
type portTarget struct {
	// listened: some listener is on the port.
	listened bool
	// unknown: some listener's port is unknown, so nothing can be said.
	unknown bool
	// claimers are the listeners the port evidently means (claims), when
	// no listener is on it.
	claimers []*fleet.Listener
}

// targetOf judges a container port against runtimes' listeners. Ports the
// offset does not move (the MI debugger 9005/9006 and unit-test server
// 9008) count as listened on.
func targetOf(rts []*fleet.Runtime, port int) portTarget {
	var t portTarget
	for _, rt := range rts {
		for _, l := range rt.Listeners {
			switch {
			case !l.Known && !l.Unverified:
				t.unknown = true
			case l.Known && l.Effective == port:
				t.listened = true
			}
		}
		if rt.Install.Product == fleet.MI && (port == 9005 || port == 9006 || port == 9008) {
			t.listened = true
		}
	}
	if t.listened || t.unknown {
		return t
	}
	for _, rt := range rts {
		for _, l := range rt.Listeners {
			if !portChecked(l) {
				continue
			}
			for _, c := range claims(l) {
				if c == port {
					t.claimers = append(t.claimers, l)
					break
				}
			}
		}
	}
	return t
}

// evident returns the one effective port the claimers agree on, or false.
func (t portTarget) evident() (int, bool) {
	if len(t.claimers) == 0 {
		return 0, false
	}
	n := t.claimers[0].Effective
	for _, l := range t.claimers[1:] {
		if l.Effective != n {
			return 0, false
		}
	}
	return n, true
}

// listenerList describes claimers for a message: "its HTTPS pass-through
// listener is on 8253 (8243 + offset 10 = 8253)".
func listenerList(ls []*fleet.Listener) string {
	var parts []string
	for _, l := range ls {
		parts = append(parts, fmt.Sprintf("its %s is on %d (%s)", l.Title(), l.Effective, l.Arith()))
	}
	return joinAnd(parts)
}

// portFix rewrites the digits of a container port.
func portFix(f *fleet.File, p *fleet.ContainerPort, to int, note string) *lint.Fix {
	if !p.Literal {
		return nil
	}
	msg := fmt.Sprintf("rewrite port %d to %d", p.Port, to)
	if note != "" {
		msg += " (" + note + ")"
	}
	return &lint.Fix{Applicability: lint.Unsafe, Message: msg,
		Edits: []rewrite.Edit{{Path: f.Path, Start: p.Span.Start, End: p.Span.End, New: strconv.Itoa(to)}}}
}

// isLocalHost reports whether a URL host names the machine itself.
func isLocalHost(h string) bool {
	switch strings.Trim(h, "[]") {
	case "localhost", "127.0.0.1", "::1", "0.0.0.0":
		return true
	}
	return false
}

// containerWhat names what a container port is, for messages: "compose
// service mi publishes container port 8243".
func containerWhat(p *fleet.ContainerPort) string {
	c := p.Container
	switch p.Source {
	case "ports":
		return fmt.Sprintf("%s publishes container port %d", c.Title(), p.Port)
	case "expose":
		return fmt.Sprintf("%s exposes port %d", c.Title(), p.Port)
	case "healthcheck":
		return fmt.Sprintf("the health check of %s probes port %d", c.Title(), p.Port)
	case "containerPort":
		return fmt.Sprintf("%s declares containerPort %d", c.Title(), p.Port)
	}
	if p.ByName {
		return fmt.Sprintf("the %s of %s probes port %q (%d)", p.Source, c.Title(), p.Name, p.Port)
	}
	return fmt.Sprintf("the %s of %s probes port %d", p.Source, c.Title(), p.Port)
}
