package rules

import (
	"fmt"
	"path"
	"sort"
	"strings"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
)

// PublishedPortCollision reports a host port that two compose services
// publish, or that a compose service publishes while an install running
// directly on the same host listens on it. Docker refuses to start the
// second container ("port is already allocated"), or the install fails to
// bind at its next start.
var PublishedPortCollision = &lint.Rule{
	Code:     "C002",
	Name:     "published-port-collision",
	Severity: lint.Error,
	Fix:      lint.NoFix,
	Doc: lint.Doc{
		Title: "two containers, or a container and an install, publish the same host port",
		Rationale: "A host port can be bound once. When two compose services publish the same host port, " +
			"`docker compose up` starts the first and fails on the second with `port is already allocated`; " +
			"when a compose service publishes a port that an install running directly on the host listens on, " +
			"whichever starts second fails. With offsets, the collision is easy to miss: an MI container that " +
			"publishes `\"8290:8290\"` takes the port of every MI on the host that uses the default offset.\n\n" +
			"A compose file's services run on the host of the compose file: its directory, as installs that share " +
			"a parent directory share a host, or the host the configuration's `hosts:` globs give its path. " +
			"Publications are taken in file order; each one that collides with an earlier one is reported once " +
			"(a range once, at its first colliding port), with the earlier ones related (the first three; the message counts the rest). Services of the same name " +
			"in two compose files of one directory are one service (an override file), and installs that a " +
			"container runs are inside it, not on the host. Ports published on different addresses (`127.0.0.1:` " +
			"vs `10.0.0.1:`) or with different protocols do not collide; host ports that are random or unknown are " +
			"not compared.",
		BadFile: "docker-compose.yml",
		Bad: "services:\n  mi-a:\n    image: wso2/wso2mi:4.2.0\n    ports: [\"8290:8290\", \"8253:8253\"]\n" +
			"  mi-b:\n    image: wso2/wso2mi:4.2.0\n    ports: [\"8290:8290\", \"8254:8253\"]\n",
		Good: "services:\n  mi-a:\n    image: wso2/wso2mi:4.2.0\n    ports: [\"8290:8290\", \"8253:8253\"]\n" +
			"  mi-b:\n    image: wso2/wso2mi:4.2.0\n    ports: [\"8291:8290\", \"8254:8253\"]\n",
	},
	Check:   checkPublishedPortCollision,
	Scope:   lint.ModelScope,
	Reaches: lint.ContainersOnly,
}

func checkPublishedPortCollision(p *lint.Pass) {
	var pubs []*fleet.Publish
	for _, c := range p.Fleet.Containers {
		if c.Kind != "service" || c.HostNetwork {
			continue
		}
		for _, pb := range c.Publish {
			if pb.HostKnown {
				pubs = append(pubs, pb)
			}
		}
	}
	sort.SliceStable(pubs, func(i, j int) bool {
		a, b := pubs[i], pubs[j]
		if a.Container.File.Path != b.Container.File.Path {
			return a.Container.File.Path < b.Container.File.Path
		}
		return a.HostSpan.Start < b.HostSpan.Start
	})
	reported := map[string]bool{}
	for j, b := range pubs {
		if reported[b.Key] {
			continue
		}
		// The first few of the others are named and the rest counted: a
		// compose file of thousands of services on one port must not make
		// the report grow with the square of its size.
		var others []string
		var rel []lint.Related
		hits := 0
		for _, a := range pubs[:j] {
			if a.Container.Host != b.Container.Host || a.HostPort != b.HostPort || a.Protocol != b.Protocol ||
				!fleet.Overlaps(a.HostIP, b.HostIP) || a.Key == b.Key || sameService(a.Container, b.Container) {
				continue
			}
			if hits++; hits > maxListed {
				continue
			}
			desc := fmt.Sprintf("%s (%s)", a.Container.Title(), quoteEntry(a))
			others = append(others, desc)
			rel = append(rel, lint.Related{File: a.Container.File, Span: a.HostSpan,
				Message: fmt.Sprintf("%s also publishes host port %d", desc, a.HostPort)})
		}
		for _, l := range nativeListeners(p.Fleet, b.Container.Host) {
			if l.Effective == b.HostPort && b.Protocol == "tcp" && fleet.Overlaps(l.Bind, b.HostIP) {
				if hits++; hits > maxListed {
					continue
				}
				desc := fmt.Sprintf("%s's %s (%s)", l.Runtime.Install.Root, l.Title(), l.Arith())
				others = append(others, desc)
				rel = append(rel, relatedListener(l, desc+" listens on "+fmt.Sprint(l.Effective)))
			}
		}
		if hits == 0 {
			continue
		}
		if more := hits - len(others); more == 1 {
			others = append(others, "1 more")
		} else if more > 1 {
			others = append(others, fmt.Sprintf("%d more", more))
		}
		reported[b.Key] = true
		fd := p.Reportf(b.Container.File, b.HostSpan, b.Container.Install, b.Key,
			"host port %d published by %s (%s) is already taken on host %s by %s",
			b.HostPort, b.Container.Title(), quoteEntry(b), b.Container.Host, joinAnd(others))
		fd.Related = rel
	}
}

// sameService reports whether two publications come from one service
// written in two compose files of one directory (an override file).
func sameService(a, b *fleet.Container) bool {
	return a != b && a.Name == b.Name && a.File != b.File && path.Dir(a.File.Path) == path.Dir(b.File.Path)
}

// quoteEntry renders a ports entry for a message: "8290:8290" as written
// when it is one scalar, else host->container.
func quoteEntry(pb *fleet.Publish) string {
	t := "?"
	if pb.Target.Known {
		t = fmt.Sprint(pb.Target.Port)
	}
	s := fmt.Sprintf("%d:%s", pb.HostPort, t)
	if pb.HostIP != "" {
		s = pb.HostIP + ":" + s
	}
	if pb.Protocol != "tcp" {
		s += "/" + pb.Protocol
	}
	return strings.TrimSpace(s)
}

// nativeListeners returns the checked listeners of the installs on a host
// that no container runs: they listen on the host's own ports.
func nativeListeners(fl *fleet.Fleet, host string) []*fleet.Listener {
	var out []*fleet.Listener
	for _, h := range fl.Hosts {
		if h.Name != host {
			continue
		}
		for _, in := range h.Installs {
			if fl.RunsAny(in) {
				continue
			}
			for _, rt := range in.Runtimes {
				for _, l := range rt.Listeners {
					if portChecked(l) {
						out = append(out, l)
					}
				}
			}
		}
	}
	return out
}
