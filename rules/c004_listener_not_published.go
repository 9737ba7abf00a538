package rules

import (
	"fmt"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
)

// ListenerNotPublished reports a listener of an install that runs in a
// container which publishes some ports but not that one: clients outside
// the container cannot reach it. It is information, not an error: an
// internal API may be meant to stay inside.
var ListenerNotPublished = &lint.Rule{
	Code:     "C004",
	Name:     "listener-not-published",
	Severity: lint.Info,
	Fix:      lint.NoFix,
	Doc: lint.Doc{
		Title: "a listener of a containerised install is not published",
		Rationale: "A container publishes what its compose `ports` (or `expose`) entries or the Kubernetes " +
			"Services that select it name; a listener of the install inside that none of them reaches is " +
			"reachable from the container alone. Often that is on purpose (the internal HTTP API behind a " +
			"probe), sometimes it is the other half of a wrong mapping: `8243:8243` publishes nothing the MI " +
			"listens on, and its HTTPS listener on 8253 is then unpublished.\n\n" +
			"The finding is reported once per listener, at the container's `ports` key (else its name), with " +
			"the listener related. Containers that publish nothing at all (reached through a network wso2lint " +
			"does not see), Kubernetes containers that no Service of the linted tree selects, containers on the " +
			"host network, unknown ports and listeners whose offset behaviour is unverified are left alone.",
		BadFile: "docker-compose.yml",
		Bad: "# mi/conf/deployment.toml sets no offset: 8290, 8253, 9201, 9164\nservices:\n  mi:\n    image: wso2/wso2mi:4.2.0\n" +
			"    volumes: [\"./mi/conf:/home/wso2carbon/wso2mi-4.2.0/conf\"]\n    ports: [\"8290:8290\", \"8253:8253\", \"9164:9164\"]\n",
		Good: "# mi/conf/deployment.toml sets no offset: 8290, 8253, 9201, 9164\nservices:\n  mi:\n    image: wso2/wso2mi:4.2.0\n" +
			"    volumes: [\"./mi/conf:/home/wso2carbon/wso2mi-4.2.0/conf\"]\n    ports: [\"8290:8290\", \"8253:8253\", \"9164:9164\", \"9201:9201\"]\n",
	},
	Check: checkListenerNotPublished,
	Scope: lint.ModelScope,
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
		by := "by " + c.Title()
		if c.Kind != "service" {
			by = "by any Service that selects " + c.Title()
		}
		for _, rt := range c.Runtimes {
			for _, l := range rt.Listeners {
				if !portChecked(l) || exposed[l.Effective] {
					continue
				}
				fd := p.Reportf(c.File, span, c.Install, c.Key+"/"+l.Key,
					"the %s of %s (%s) is not published %s: only the container itself can reach it",
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
