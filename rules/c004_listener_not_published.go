package rules

import (
	"fmt"
	"path"
	"strconv"
	"strings"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
)

// ListenerNotPublished reports a listener of an install that runs in a
// container which publishes some ports but not that one: clients on the
// host or other machines cannot reach it, although the other containers of
// its network still can. It is information, not an error: an internal API
// may be meant to stay inside, and a listener that a sibling container
// evidently uses over the network is not reported at all.
var ListenerNotPublished = &lint.Rule{
	Code:     "C004",
	Name:     "listener-not-published",
	Severity: lint.Info,
	Fix:      lint.NoFix,
	Doc: lint.Doc{
		Title: "a listener of a containerised install is not published",
		Rationale: "A container publishes what its compose `ports` (or `expose`) entries or the Kubernetes " +
			"Services that select it name; a listener of the install inside that none of them reaches cannot be " +
			"reached from the host or other machines (compose) or through a Service (Kubernetes). The other " +
			"services of the same Compose network, and pods that address the pod itself, still reach it. Often that is on purpose (the internal HTTP API behind a " +
			"probe), sometimes it is the other half of a wrong mapping: `8243:8243` publishes nothing the MI " +
			"listens on, and its HTTPS listener on 8253 is then unpublished.\n\n" +
			"The finding is reported once per listener, at the container's `ports` key (else its name), with " +
			"the listener related. Containers that publish nothing at all (reached through a network wso2lint " +
			"does not see), Kubernetes containers that no Service of the linted tree selects, containers on the " +
			"host network, unknown ports and listeners whose offset behaviour is unverified are left alone, and so " +
			"is a listener that a sibling reaches over the network: an MI in another service of the same compose " +
			"directory (or a Kubernetes container of the same namespace) whose client URL " +
			"(`[monitoring] ei_analytics.server_url`, `auth_server_url`, `[dashboard_config] dashboard_url`) names " +
			"the service (or a Service that selects the container) and the listener's port, or a compose service " +
			"that runs no linted install and bind-mounts a `conf/carbon.xml` whose `<Analytics>` `ServerURL` or " +
			"`AuthServerURL` names them (EI 6.x's integrator publishing to its analytics worker, as WSO2's " +
			"docker-ei composes it). That is the usual set-up of an EI Analytics server behind an MI or EI, and " +
			"nothing is wrong with it.\n\n" +
			eiLinesDoc,
		BadFile: "docker-compose.yml",
		Bad: "# mi/conf/deployment.toml sets no offset: 8290, 8253, 9201, 9164\nservices:\n  mi:\n    image: wso2/wso2mi:4.2.0\n" +
			"    volumes: [\"./mi/conf:/home/wso2carbon/wso2mi-4.2.0/conf\"]\n    ports: [\"8290:8290\", \"8253:8253\", \"9164:9164\"]\n",
		Good: "# mi/conf/deployment.toml sets no offset: 8290, 8253, 9201, 9164\nservices:\n  mi:\n    image: wso2/wso2mi:4.2.0\n" +
			"    volumes: [\"./mi/conf:/home/wso2carbon/wso2mi-4.2.0/conf\"]\n    ports: [\"8290:8290\", \"8253:8253\", \"9164:9164\", \"9201:9201\"]\n",
	},
	Check:   checkListenerNotPublished,
	Scope:   lint.ModelScope,
	Reaches: lint.ContainersOnly,
}

func checkListenerNotPublished(p *lint.Pass) {
	for _, c := range p.Fleet.Containers {
		if c.Install == nil || c.HostNetwork {
			continue
		}
		exposed := map[int]bool{}
		publishes := false
		if c.Kind == "service" {
			for _, cp := range c.Ports {
				if cp.Source == "ports" || cp.Source == "expose" {
					publishes = true
					if cp.Known && cp.Protocol == "tcp" {
						exposed[cp.Port] = true
					}
				}
			}
		} else {
			for _, s := range p.Fleet.Services {
				if !selects(s, c) {
					continue
				}
				publishes = true
				for _, sp := range s.Ports {
					if sp.Target.Known && sp.Target.Protocol == "tcp" {
						exposed[sp.Target.Port] = true
					}
				}
			}
		}
		if !publishes {
			continue
		}
		span := c.PortsKeySpan
		if span.End == 0 {
			span = c.NameSpan
		}
		by := "by " + c.Title() + ": the host and other machines cannot reach it (other services of its Compose network can)"
		if c.Kind != "service" {
			by = "by any Service that selects " + c.Title() + ": nothing reaches it through a Service (only the pod's own address does)"
		}
		reached := siblingReached(p.Fleet, c)
		for _, rt := range c.Runtimes {
			for _, l := range rt.Listeners {
				if !portChecked(l) || exposed[l.Effective] || reached[l.Effective] {
					continue
				}
				fd := p.Reportf(c.File, span, c.Install, c.Key+"/"+l.Key,
					"the %s of %s (%s) is not published %s",
					l.Title(), c.Install.Root, l.Arith(), by)
				fd.Related = []lint.Related{relatedListener(l, fmt.Sprintf("the %s of %s listens on %d", l.Title(), c.Install.Root, l.Effective))}
			}
		}
	}
}

// selects reports whether a Service selects a container.
func selects(s *fleet.KubeService, c *fleet.Container) bool {
	for _, x := range s.Selected {
		if x == c {
			return true
		}
	}
	return false
}

// siblingReached returns the ports of container c that another container
// evidently reaches over the network: the client URLs of an MI that runs
// in a compose service of the same directory and names c's service, or
// in a Kubernetes container of c's namespace and names a Service that
// selects c (by its name, or name.namespace...). The port is the URL's
// own: a URL on a port nothing listens on is C003's.
func siblingReached(fl *fleet.Fleet, c *fleet.Container) map[int]bool {
	names := map[string]bool{}
	if c.Kind == "service" {
		names[c.Name] = true
	} else {
		for _, s := range fl.Services {
			if selects(s, c) {
				names[s.Name] = true
			}
		}
	}
	out := map[int]bool{}
	if len(names) == 0 {
		return out
	}
	for _, o := range fl.Containers {
		if o == c || o.HostNetwork {
			continue
		}
		urls := o.PeerURLs
		if o.Install != nil && o.Install.Product == fleet.MI && len(o.Install.Runtimes) > 0 {
			for _, u := range o.Install.Runtimes[0].ClientURLs {
				urls = append(urls, u.URL)
			}
		}
		if len(urls) == 0 {
			continue
		}
		if (o.Kind == "service") != (c.Kind == "service") {
			continue
		}
		if c.Kind == "service" && path.Dir(o.File.Path) != path.Dir(c.File.Path) {
			continue
		}
		if c.Kind != "service" && o.Namespace != c.Namespace {
			continue
		}
		for _, u := range urls {
			m, ok := matchURL(u)
			if !ok || strings.Contains(u, "$") {
				continue
			}
			host := strings.ToLower(u[m[4]:m[5]])
			if c.Kind != "service" {
				// svc, svc.ns, svc.ns.svc.cluster.local
				parts := strings.Split(host, ".")
				if len(parts) > 1 && parts[1] != c.Namespace {
					continue
				}
				host = parts[0]
			}
			if !names[host] {
				continue
			}
			if port, err := strconv.Atoi(u[m[6]:m[7]]); err == nil {
				out[port] = true
			}
		}
	}
	return out
}
