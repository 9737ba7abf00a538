package rules

import (
	"github.com/wso2lint/wso2lint/lint"
)

// EphemeralPort reports a listener whose effective port lies in the
// ephemeral range, where the kernel picks ports for outgoing connections
// and for listeners that ask for port 0. Such a port may be taken when the
// server starts, and the failure comes and goes with whatever else the
// host is doing.
var EphemeralPort = &lint.Rule{
	Code:     "P004",
	Name:     "ephemeral-port",
	Severity: lint.Warning,
	Fix:      lint.NoFix,
	Doc: lint.Doc{
		Title: "a listener's effective port is in the ephemeral port range",
		Rationale: "The kernel hands out ports from the ephemeral range (Linux default 32768–60999, " +
			"`net.ipv4.ip_local_port_range`) to outgoing connections and to any listener bound to port 0. An MI " +
			"opens one of those itself at every start: `bin/micro-integrator.sh` passes " +
			"`-Dcom.sun.management.jmxremote` without a port, so the JVM's local JMX connector listens on a random " +
			"ephemeral port. A listener configured inside the range can find its port taken by such a random port, " +
			"or by an outgoing connection to a backend, and fail to start once in a while.\n\n" +
			"The range is configurable (`ephemeral-range: [32768, 60999]` in `.wso2lint.yaml`) for hosts that " +
			"changed it; both ends are inclusive.",
		BadFile: "conf/deployment.toml",
		Bad:     "[transport.http]\nlistener.port = 40000\n",
		Good:    "[transport.http]\nlistener.port = 8280\n",
	},
	Check:      checkEphemeralPort,
	Scope:      lint.HostScope,
	Containers: true,
}

func checkEphemeralPort(p *lint.Pass) {
	lo, hi := p.Ephemeral[0], p.Ephemeral[1]
	for _, in := range p.Fleet.Installs {
		for _, rt := range in.Runtimes {
			for _, l := range rt.Listeners {
				if !portChecked(l) || l.Effective < lo || l.Effective > hi {
					continue
				}
				f, sp := l.Location()
				p.Reportf(f, sp, in, l.Key,
					"port %d of the %s (%s) is in the ephemeral range %d–%d, where random ports such as the JVM's JMX connector can take it first",
					l.Effective, l.Title(), l.Arith(), lo, hi)
			}
		}
	}
}
