package rules

import (
	"github.com/wso2lint/wso2lint/lint"
)

// PrivilegedPort reports a listener whose effective port is below 1024.
// On Linux only root (or a process with CAP_NET_BIND_SERVICE) may bind
// such a port, and a WSO2 server should run as neither; the usual cause is
// an offset of 0 with a port meant for a reverse proxy in front.
var PrivilegedPort = &lint.Rule{
	Code:     "P003",
	Name:     "privileged-port",
	Severity: lint.Warning,
	Fix:      lint.NoFix,
	Doc: lint.Doc{
		Title: "a listener's effective port is below 1024",
		Rationale: "Ports below 1024 are privileged: on Linux a process needs root or the " +
			"`CAP_NET_BIND_SERVICE` capability to bind them, and WSO2 servers run as an ordinary user (the " +
			"official images use `wso2carbon`). The listener then fails with `Permission denied` at start-up. " +
			"Put a reverse proxy or a load balancer on 80/443 and keep the server on its own ports.\n\n" +
			"The effective port is what counts: `listener.port = 443` with the default offset is 453, not " +
			"privileged; with `offset = 0` it is 443. Ports below 1 are out of range and reported by " +
			"`offset-out-of-range` (O001) instead.",
		BadFile: "conf/deployment.toml",
		Bad:     "[server]\noffset = 0\n\n[transport.http]\nlistener.secured_port = 443\n",
		Good:    "[server]\noffset = 0\n\n[transport.http]\nlistener.secured_port = 8243\n",
	},
	Check:      checkPrivilegedPort,
	Scope:      lint.HostScope,
	Containers: true,
}

func checkPrivilegedPort(p *lint.Pass) {
	for _, in := range p.Fleet.Installs {
		for _, rt := range in.Runtimes {
			for _, l := range rt.Listeners {
				if !portChecked(l) || l.Effective < 1 || l.Effective >= 1024 {
					continue
				}
				f, sp := l.Location()
				p.Reportf(f, sp, in, l.Key,
					"port %d of the %s (%s) is below 1024: binding it needs root or CAP_NET_BIND_SERVICE",
					l.Effective, l.Title(), l.Arith())
			}
		}
	}
}
