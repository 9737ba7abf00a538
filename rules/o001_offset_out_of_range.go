package rules

import (
	"fmt"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
)

// OffsetOutOfRange reports a runtime whose effective offset is negative
// or pushes one of its ports outside 1–65535. The offset is added to
// every port of the runtime, so one bad number breaks all its listeners at
// once: a port above 65535 cannot be bound and the server fails at
// start-up, and a negative offset is almost always an attempt to subtract
// from the built-in 10, which the offset replaces instead.
var OffsetOutOfRange = &lint.Rule{
	Code:     "O001",
	Name:     "offset-out-of-range",
	Severity: lint.Error,
	Fix:      lint.NoFix,
	Doc: lint.Doc{
		Title: "a port offset is negative or pushes a port outside 1–65535",
		Rationale: "Every listener of a runtime is moved by the same offset: an MI's HTTP pass-through port is " +
			"`8280 + offset`, its HTTPS port `8243 + offset`, its internal APIs `9191 + offset` and `9154 + offset`; " +
			"an EI Analytics runtime's `wso2.carbon.ports.offset` moves its Thrift and binary data receivers (EI 6.x " +
			"analytics' binary receiver by the offset plus 1) and, in EI Analytics 7.1 only, its HTTP listeners; " +
			"it never moves the Siddhi store API listeners. " +
			"The offset that counts is `-DportOffset` when it is passed at start-up, else `[server] offset`, else " +
			"the built-in 10.\n\n" +
			"An offset that takes any port above 65535 (or below 1) cannot work: the listener fails to bind and " +
			"the server does not start. A negative offset is flagged even when the ports stay in range: the offset " +
			"*replaces* the built-in 10 rather than being added to it, so `offset = -5` does not mean \"5 less " +
			"than usual\" (that is `offset = 5`), and it moves every port below the defaults that probes, " +
			"firewall rules and colleagues expect. Write `offset = 0` to run on the configured ports as written.\n\n" +
			"The finding sits on the setting that decides the offset (the `-DportOffset` flag when there is one) " +
			"and names the port that ends up furthest out of range.",
		BadFile: "conf/deployment.toml",
		Bad:     "[server]\noffset = 60000\n",
		Good:    "[server]\noffset = 20\n",
	},
	Check:      checkOffsetOutOfRange,
	Scope:      lint.HostScope,
	Containers: true,
}

func checkOffsetOutOfRange(p *lint.Pass) {
	for _, in := range p.Fleet.Installs {
		if in.Product == fleet.MIDashboard {
			continue // no offset
		}
		for _, rt := range in.Runtimes {
			checkRuntimeOffsetRange(p, rt)
		}
	}
}

func checkRuntimeOffsetRange(p *lint.Pass, rt *fleet.Runtime) {
	off := rt.Offset
	if !off.Known {
		return
	}
	// The worst listener: the highest port above 65535, else the lowest
	// port (below 1, or merely below its default for a negative offset).
	var high, low *fleet.Listener
	for _, l := range rt.Listeners {
		if !l.OffsetApplies || !portKnown(l) || l.Configured < 1 || l.Configured > 65535 {
			// A configured port already out of range is not the
			// offset's doing.
			continue
		}
		e := l.At(off.Value)
		if e > 65535 && (high == nil || e > high.At(off.Value)) {
			high = l
		}
		if low == nil || e < low.At(off.Value) {
			low = l
		}
	}
	var msg string
	var worst *fleet.Listener
	switch {
	case high != nil:
		worst = high
		msg = fmt.Sprintf("offset %d pushes the %s to %d (%s), above 65535; the largest offset that keeps every port in range is %d",
			off.Value, high.Title(), high.At(off.Value), sumText(high, off.Value), 65535-high.Configured-high.Shift)
	case off.Value >= 0:
		return
	case low != nil && low.At(off.Value) < 1:
		// Configured ports are at least 1, so only a negative offset
		// takes one below 1.
		worst = low
		msg = fmt.Sprintf("offset %d is negative and pushes the %s to %d (%s), below 1",
			off.Value, low.Title(), low.At(off.Value), sumText(low, off.Value))
	case low != nil:
		worst = low
		msg = fmt.Sprintf("offset %d is negative: it replaces the default offset instead of subtracting from it, "+
			"and moves the %s below its configured port to %d (%s)",
			off.Value, low.Title(), low.At(off.Value), sumText(low, off.Value))
	default:
		msg = fmt.Sprintf("offset %d is negative: it replaces the default offset instead of subtracting from it", off.Value)
	}
	w := off.Winner()
	if w == nil {
		// The built-in offset cannot be negative; a port pushed out of
		// range by it is located at the key that writes the port.
		f, sp := worst.Location()
		p.Reportf(f, sp, rt.Install, worst.Key, "the built-in %s", msg)
		return
	}
	p.Reportf(w.File, w.KeySpanToValue(), rt.Install, w.Key, "%s", msg)
}

// sumText writes the sum that puts a listener on its port at offset off:
// "8280 + 10", or "9611 + 5 + 1" for a listener with a Shift (EI 6.x
// analytics' binary receiver).
func sumText(l *fleet.Listener, off int) string {
	if l.Shift != 0 {
		return fmt.Sprintf("%d + %d + %d", l.Configured, off, l.Shift)
	}
	return fmt.Sprintf("%d + %d", l.Configured, off)
}
