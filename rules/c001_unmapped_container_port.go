package rules

import (
	"fmt"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
)

// UnmappedContainerPort reports a port that a compose file or a
// Kubernetes manifest sends traffic to, inside a container that runs an
// install, when the install does not listen there but one of its
// listeners evidently was meant: 8243:8243 for an MI whose HTTPS listener
// is on 8243 + offset 10 = 8253.
var UnmappedContainerPort = &lint.Rule{
	Code:     "C001",
	Name:     "unmapped-container-port",
	Severity: lint.Error,
	Fix:      lint.Unsafe,
	Doc: lint.Doc{
		Title: "a container port does not lead to the listener it is meant for",
		Rationale: "A compose `ports` entry, an `expose` entry or a health check, a Kubernetes `containerPort`, " +
			"probe port or Service `targetPort` names a port inside the container. When the install in the " +
			"container listens elsewhere, the published port leads nowhere, the probe fails and the container " +
			"is restarted, or the Service has no working endpoint. The usual cause is the MI's built-in offset: " +
			"an MI without `[server] offset` listens on `8280 + 10 = 8290` and `8243 + 10 = 8253`, not on the " +
			"8280/8243 of its configuration and of many examples; an EI Analytics 7.1 portal listens on " +
			"`9643 + 2 = 9645`.\n\n" +
			"A container is matched to an install by the `containers:` mapping of `.wso2lint.yaml`, else by a " +
			"bind mount of the install's root, its `conf/` or a config file, else by its image (`wso2/wso2mi*`, " +
			"`wso2/wso2mi-dashboard*`, `wso2/wso2ei-analytics*`, `wso2/wso2si*`) when exactly one install of " +
			"that product is under the compose file's (or manifest's) directory, else in the linted tree; a Service reaches installs through the workloads its selector " +
			"matches. A port is reported when no listener of the install is on it and it is evidently meant for " +
			"one: it equals a listener's configured port, its effective default, or its configured port plus the " +
			"default offset. Other ports (an inbound endpoint's, a JMX or debug port) are left alone: wso2lint " +
			"cannot see what else runs in the container. Nothing is reported while any of the install's ports is " +
			"unknown, and ports written with an unresolved variable are not judged.\n\n" +
			eiLinesDoc,
		BadFile: "docker-compose.yml",
		Bad: "# mi/conf/deployment.toml sets no offset: HTTP on 8280 + 10 = 8290, HTTPS on 8243 + 10 = 8253\n" +
			"services:\n  mi:\n    image: wso2/wso2mi:4.2.0\n    volumes: [\"./mi/conf:/home/wso2carbon/wso2mi-4.2.0/conf\"]\n" +
			"    ports:\n      - \"8290:8290\"\n      - \"8243:8243\"\n",
		Good: "# mi/conf/deployment.toml sets no offset: HTTP on 8280 + 10 = 8290, HTTPS on 8243 + 10 = 8253\n" +
			"services:\n  mi:\n    image: wso2/wso2mi:4.2.0\n    volumes: [\"./mi/conf:/home/wso2carbon/wso2mi-4.2.0/conf\"]\n" +
			"    ports:\n      - \"8290:8290\"\n      - \"8243:8253\"\n",
		FixNote: "Rewrites the container-side port to the effective port of the listener it evidently means, when " +
			"exactly one listener (or several on the same port) claims it and the port is written as plain digits " +
			"(not a range, a variable or a named port). A compose host port is left as it is, so clients keep " +
			"their address. Unsafe: wso2lint cannot rule out that another process in the container serves the " +
			"old port. No fix is offered for an HTTP probe whose path is an MI internal API (`/healthz`, `/liveness`, " +
			"`/management`) when the listener it means does not serve that path: the probe would still fail there " +
			"(C006 says which listener serves it).",
	},
	Check:   checkUnmappedContainerPort,
	Scope:   lint.ModelScope,
	Reaches: lint.ContainersOnly,
}

func checkUnmappedContainerPort(p *lint.Pass) {
	for _, c := range p.Fleet.Containers {
		if c.Install == nil || c.HostNetwork && c.Kind == "service" {
			continue
		}
		for _, cp := range c.Ports {
			if !cp.Known || cp.Protocol != "tcp" {
				continue
			}
			if cp.ByName {
				continue // the containerPort it names is checked itself
			}
			reportContainerPort(p, cp, c.Install, c.Runtimes, "")
		}
	}
	for _, s := range p.Fleet.Services {
		in, rts := s.Reaches()
		if in == nil {
			continue
		}
		for _, sp := range s.Ports {
			t := sp.Target
			if t.Protocol != "tcp" {
				continue
			}
			if t.ByName && !t.Known {
				if t.Problem != "" && len(s.Selected) > 0 {
					p.Reportf(s.File, t.Span, in, t.Key, "Service %s targets port %q, but %s: the Service has no endpoint for it",
						s.Name, t.Name, t.Problem)
				}
				continue
			}
			if !t.Known || t.ByName || servedBySidecar(s, t.Port) {
				continue
			}
			note := ""
			if t.Key == sp.Key+".port" {
				note = "no targetPort: it defaults to the port"
			}
			reportServiceTarget(p, s, sp, in, rts, note)
		}
	}
}

// servedBySidecar reports whether a container of the selected pods that
// runs no install declares the port: it serves it.
func servedBySidecar(s *fleet.KubeService, port int) bool {
	for _, c := range s.Selected {
		if c.Install != nil {
			continue
		}
		for _, q := range c.Ports {
			if q.Source == "containerPort" && q.Known && q.Port == port {
				return true
			}
		}
	}
	return false
}

// reportContainerPort reports a container port that no listener is on,
// when it is evidently meant for one.
func reportContainerPort(p *lint.Pass, cp *fleet.ContainerPort, in *fleet.Install, rts []*fleet.Runtime, note string) {
	t := targetOf(rts, cp.Port)
	if t.listened || t.unknown || len(t.claimers) == 0 {
		return
	}
	msg := fmt.Sprintf("%s, but %s does not listen on %d: %s", containerWhat(cp), in.Root, cp.Port, listenerList(t.claimers))
	if note != "" {
		msg += " (" + note + ")"
	}
	withhold := false
	for _, l := range t.claimers {
		if !withhold && !servesPath(l, cp.Path) {
			// Moving the probe onto that listener would still fail.
			msg += fmt.Sprintf("; the %s does not serve %s either, so no fix is offered", l.Title(), cp.Path)
			withhold = true
		}
	}
	fd := p.Reportf(cp.Container.File, cp.Span, in, cp.Key, "%s", msg)
	for _, l := range t.claimers {
		fd.Related = append(fd.Related, relatedListener(l, fmt.Sprintf("the %s of %s is on %d (%s)", l.Title(), in.Root, l.Effective, l.Arith())))
	}
	if withhold {
		return
	}
	if to, ok := t.evident(); ok {
		fixNote := ""
		if cp.Source == "ports" {
			fixNote = "the host port stays as it is"
		}
		fd.Fix = portFix(cp.Container.File, cp, to, fixNote)
	}
}

// reportServiceTarget reports a Service targetPort that no listener of
// the selected pods is on.
func reportServiceTarget(p *lint.Pass, s *fleet.KubeService, sp *fleet.ServicePort, in *fleet.Install, rts []*fleet.Runtime, note string) {
	t := sp.Target
	tg := targetOf(rts, t.Port)
	if tg.listened || tg.unknown || len(tg.claimers) == 0 {
		return
	}
	msg := fmt.Sprintf("Service %s sends port %s to target port %d, but %s does not listen on %d: %s",
		s.Name, numText(sp.Port, sp.PortKnown), t.Port, in.Root, t.Port, listenerList(tg.claimers))
	if note != "" {
		msg += " (" + note + ")"
	}
	fd := p.Reportf(s.File, t.Span, in, t.Key, "%s", msg)
	for _, l := range tg.claimers {
		fd.Related = append(fd.Related, relatedListener(l, fmt.Sprintf("the %s of %s is on %d (%s)", l.Title(), in.Root, l.Effective, l.Arith())))
	}
	if to, ok := tg.evident(); ok {
		fd.Fix = portFix(s.File, t, to, "")
	}
}

func numText(n int, known bool) string {
	if !known {
		return "?"
	}
	return fmt.Sprint(n)
}

// servesPath reports whether an HTTP probe's path is served on a
// listener: any path is, unless it is an MI internal API (/healthz,
// /liveness, /management) and the listener is not an internal API
// listener of a protocol the API is served over.
func servesPath(l *fleet.Listener, path string) bool {
	if path == "" || l.Runtime.Install.Product != fleet.MI {
		return true
	}
	api, off, ok := probedAPI(l.Runtime, path)
	if !ok {
		return true
	}
	proto := internalProtocol(l)
	return !off && proto != "" && api.Serves(proto)
}
