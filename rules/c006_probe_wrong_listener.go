package rules

import (
	"fmt"
	"strings"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
)

// ProbeWrongListener reports an HTTP probe of a containerised MI whose
// path is an internal API (/healthz, /liveness, /management) but whose
// port is a listener that does not serve that API, or a listener that
// does not exist: the probe always fails, and Kubernetes restarts the pod
// (or compose marks the service unhealthy) for ever.
var ProbeWrongListener = &lint.Rule{
	Code:     "C006",
	Name:     "probe-wrong-listener",
	Severity: lint.Error,
	Fix:      lint.NoFix,
	Doc: lint.Doc{
		Title: "a probe sends an internal API path to a listener that does not serve it",
		Rationale: "An MI serves its readiness probe (`/healthz`), its liveness probe (`/liveness`) and the " +
			"Management API (`/management`) on its internal API listeners only: the internal HTTP API listener " +
			"(`[mediation] internal_http_api_port`, 9191 + offset 10 = 9201) and the internal HTTPS API listener " +
			"(`internal_https_api_port`, 9154 + offset 10 = 9164). Each API is served over the protocols its " +
			"`protocols` key lists: `[readiness_probe]` and `[liveness_probe]` default to `http`, " +
			"`[management_api]` to `\"https http\"`. The pass-through listeners (8290, 8253) answer these paths " +
			"with a 404, so a Kubernetes `httpGet` probe or a compose health check " +
			"(`curl -f http://localhost:8290/healthz`) that sends them there always fails, and the pod restarts " +
			"for ever.\n\n" +
			"Reported, at the probe's port: a probe whose path is one of these APIs on a listener that does not " +
			"serve it (a pass-through listener, or the internal listener of the other protocol); a probe on the " +
			"port of an internal API listener that does not exist (9164 when `[management_api] protocols = " +
			"\"http\"` leaves no API on HTTPS, or both when `[mediation] internal_http_api_enable = false`); and " +
			"an `http` probe on the HTTPS listener or an `https` probe on the HTTP one. The offset is the one the " +
			"container runs with (its `-DportOffset` included).\n\n" +
			"Left alone: probes on a port no listener of the install is on (C001 reports those it can place), " +
			"TCP and exec probes that send no HTTP path, paths of other APIs (an API of your own deployed on the " +
			"pass-through listener is fine), placeholders in `protocols`, and containers not matched to an MI " +
			"install. There is no fix: which listener the probe should use (and whether the API should be turned " +
			"on for another protocol instead) is a choice about what runs, so wso2lint leaves it to you.",
		BadFile: "k8s/mi.yaml",
		Bad: "# mi/conf/deployment.toml sets no offset: pass-through on 8290, internal HTTP API on 9201\n" +
			"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: mi}\nspec:\n  template:\n    spec:\n      containers:\n" +
			"        - name: mi\n          image: wso2/wso2mi:4.2.0\n          readinessProbe:\n" +
			"            httpGet: {path: /healthz, port: 8290}\n",
		Good: "# mi/conf/deployment.toml sets no offset: pass-through on 8290, internal HTTP API on 9201\n" +
			"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: mi}\nspec:\n  template:\n    spec:\n      containers:\n" +
			"        - name: mi\n          image: wso2/wso2mi:4.2.0\n          readinessProbe:\n" +
			"            httpGet: {path: /healthz, port: 9201}\n",
	},
	Check:   checkProbeWrongListener,
	Scope:   lint.ModelScope,
	Reaches: lint.ContainersOnly,
}

// internalProtocol returns the protocol of an internal API listener, ""
// for any other listener.
func internalProtocol(l *fleet.Listener) string {
	for _, p := range fleet.MIPorts {
		if p.Name == l.Name {
			return p.Protocol
		}
	}
	return ""
}

// probedAPI returns the internal API of the runtime (or of the catalogue,
// with off set, when the runtime's internal APIs are off) whose context a
// probe's path is under.
func probedAPI(rt *fleet.Runtime, path string) (api fleet.InternalAPI, off, ok bool) {
	under := func(ctx string) bool { return path == ctx || strings.HasPrefix(path, ctx+"/") }
	for _, a := range rt.InternalAPIs {
		if under(a.Path) {
			return a, false, true
		}
	}
	for _, a := range fleet.InternalAPIProtocols {
		if under(a.Path) {
			return fleet.InternalAPI{Title: a.Title, Path: a.Path}, true, true
		}
	}
	return api, false, false
}

// probeWhat names a probe and what it sends, for messages: "the
// readinessProbe of Deployment mi sends GET /healthz to port 8290".
func probeWhat(cp *fleet.ContainerPort) string {
	src := cp.Source
	if src == "healthcheck" {
		src = "health check"
	}
	port := fmt.Sprintf("port %d", cp.Port)
	if cp.ByName {
		port = fmt.Sprintf("port %q (%d)", cp.Name, cp.Port)
	}
	return fmt.Sprintf("the %s of %s sends %s %s to %s", src, cp.Container.Title(), strings.ToUpper(cp.Scheme), cp.Path, port)
}

func checkProbeWrongListener(p *lint.Pass) {
	for _, c := range p.Fleet.Containers {
		if c.Install == nil || c.Install.Product != fleet.MI {
			continue
		}
		for _, rt := range c.Runtimes {
			for _, cp := range c.Ports {
				if cp.Path == "" || !cp.Known {
					continue
				}
				checkProbe(p, rt, cp)
			}
		}
	}
}

func checkProbe(p *lint.Pass, rt *fleet.Runtime, cp *fleet.ContainerPort) {
	in := rt.Install
	api, apisOff, isAPI := probedAPI(rt, cp.Path)
	var on *fleet.Listener
	for _, l := range rt.Listeners {
		if portChecked(l) && l.Effective == cp.Port {
			on = l
			break
		}
	}
	if on == nil {
		for _, l := range rt.Absent {
			if l.Known && l.Effective == cp.Port {
				fd := p.Reportf(cp.Container.File, cp.Span, in, cp.Key,
					"%s, but %s has no %s listener (%s): %s", probeWhat(cp), in.Root, strings.TrimSuffix(l.Title(), " listener"), l.Arith(), l.Note)
				fd.Related = apiRelated(rt, nil)
				return
			}
		}
		return // no listener there: C001's, when it can tell which was meant
	}
	proto := internalProtocol(on)
	if !isAPI {
		if proto != "" && cp.Scheme != proto {
			reportScheme(p, rt, cp, on, proto)
		}
		return
	}
	served := servingListeners(rt, api, apisOff)
	if proto != "" && !apisOff && api.Serves(proto) {
		if cp.Scheme != proto {
			reportScheme(p, rt, cp, on, proto)
		}
		return
	}
	where := "no listener serves it"
	if apisOff {
		where = "the internal APIs are off"
	} else if len(served) > 0 {
		var ds []string
		for _, l := range served {
			ds = append(ds, fmt.Sprintf("the %s (%d)", l.Title(), l.Effective))
		}
		where = "it is served on " + joinAnd(ds)
	}
	detail := ""
	if proto != "" && api.Setting != nil {
		detail = fmt.Sprintf(", as %s = %q says", api.Setting.Key, api.Setting.Raw)
	}
	fd := p.Reportf(cp.Container.File, cp.Span, in, cp.Key,
		"%s, the %s of %s, which does not serve the %s (%s)%s: %s",
		probeWhat(cp), on.Title(), in.Root, api.Title, api.Path, detail, where)
	fd.Related = append([]lint.Related{relatedListener(on, fmt.Sprintf("the %s of %s listens on %d", on.Title(), in.Root, on.Effective))},
		apiRelated(rt, served)...)
}

// servingListeners lists the internal listeners of the runtime that serve
// an API.
func servingListeners(rt *fleet.Runtime, api fleet.InternalAPI, off bool) []*fleet.Listener {
	if off {
		return nil
	}
	var out []*fleet.Listener
	for _, l := range rt.Listeners {
		if proto := internalProtocol(l); proto != "" && portChecked(l) && api.Serves(proto) {
			out = append(out, l)
		}
	}
	return out
}

// apiRelated points at the listeners that serve the API, and at the
// protocols settings of the runtime.
func apiRelated(rt *fleet.Runtime, served []*fleet.Listener) []lint.Related {
	var out []lint.Related
	for _, l := range served {
		out = append(out, relatedListener(l, fmt.Sprintf("the %s of %s listens on %d", l.Title(), rt.Install.Root, l.Effective)))
	}
	for _, a := range rt.InternalAPIs {
		if a.Setting != nil {
			out = append(out, relatedSetting(a.Setting, fmt.Sprintf("the %s is served over %s", a.Title, a.Setting.Raw)))
		}
	}
	return out
}

// reportScheme reports an HTTP probe on the HTTPS internal listener, or
// the reverse.
func reportScheme(p *lint.Pass, rt *fleet.Runtime, cp *fleet.ContainerPort, on *fleet.Listener, proto string) {
	fd := p.Reportf(cp.Container.File, cp.Span, rt.Install, cp.Key,
		"%s, the %s of %s, which speaks %s, not %s", probeWhat(cp), on.Title(), rt.Install.Root,
		strings.ToUpper(proto), strings.ToUpper(cp.Scheme))
	fd.Related = []lint.Related{relatedListener(on, fmt.Sprintf("the %s of %s listens on %d", on.Title(), rt.Install.Root, on.Effective))}
}
