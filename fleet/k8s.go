package fleet

import (
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/wso2lint/wso2lint/internal/srcpos"
	"github.com/wso2lint/wso2lint/internal/yamlast"
)

// This file reads plain Kubernetes manifests (one or more documents per
// file, or a List): the containers of Pods and workloads with their
// containerPorts and probe ports, and Services with their selectors,
// ports and targetPorts. Helm templates are never parsed (see
// loadContainerFile).

// podSpecPaths says where each workload kind keeps its pod template: the
// path to the pod spec and to the pod's labels.
var podSpecPaths = map[string]struct{ spec, labels []string }{
	"Pod":                   {[]string{"spec"}, []string{"metadata", "labels"}},
	"Deployment":            {[]string{"spec", "template", "spec"}, []string{"spec", "template", "metadata", "labels"}},
	"StatefulSet":           {[]string{"spec", "template", "spec"}, []string{"spec", "template", "metadata", "labels"}},
	"DaemonSet":             {[]string{"spec", "template", "spec"}, []string{"spec", "template", "metadata", "labels"}},
	"ReplicaSet":            {[]string{"spec", "template", "spec"}, []string{"spec", "template", "metadata", "labels"}},
	"ReplicationController": {[]string{"spec", "template", "spec"}, []string{"spec", "template", "metadata", "labels"}},
	"Job":                   {[]string{"spec", "template", "spec"}, []string{"spec", "template", "metadata", "labels"}},
	"CronJob": {[]string{"spec", "jobTemplate", "spec", "template", "spec"},
		[]string{"spec", "jobTemplate", "spec", "template", "metadata", "labels"}},
}

// probeKinds are the container probes whose port is checked.
var probeKinds = []string{"readinessProbe", "livenessProbe", "startupProbe"}

// parseManifests returns the containers and Services of a manifest file.
func parseManifests(f *File) ([]*Container, []*KubeService) {
	var cs []*Container
	var svcs []*KubeService
	var walk func(n *yaml.Node, depth int)
	walk = func(n *yaml.Node, depth int) {
		n = yamlast.Resolve(n)
		if n == nil || n.Kind != yaml.MappingNode || depth > 4 {
			return
		}
		_, kind := lookup(n, "kind")
		if kind == nil || kind.Kind != yaml.ScalarNode {
			return
		}
		if _, av := lookup(n, "apiVersion"); av == nil {
			return
		}
		if kind.Value == "List" || len(kind.Value) > 4 && kind.Value[len(kind.Value)-4:] == "List" {
			if _, items := lookup(n, "items"); items != nil && items.Kind == yaml.SequenceNode {
				for _, it := range items.Content {
					walk(it, depth+1)
				}
			}
			return
		}
		name, ns, nameSpan := metadataName(f, n)
		if kind.Value == "Service" {
			svcs = append(svcs, parseService(f, n, name, ns, nameSpan))
			return
		}
		paths, ok := podSpecPaths[kind.Value]
		if !ok {
			return
		}
		_, spec := YAMLPath(n, paths.spec...)
		_, labels := YAMLPath(n, paths.labels...)
		cs = append(cs, parsePod(f, spec, labels, kind.Value, name, ns)...)
	}
	for _, doc := range f.YAML.Documents {
		if len(doc.Content) > 0 {
			walk(doc.Content[0], 0)
		}
	}
	return cs, svcs
}

// metadataName returns an object's name, namespace ("default" when unset)
// and the span of its name.
func metadataName(f *File, n *yaml.Node) (name, ns string, sp srcpos.Span) {
	ns = "default"
	_, md := lookup(n, "metadata")
	if _, nm := lookup(md, "name"); nm != nil && nm.Kind == yaml.ScalarNode {
		name, sp = nm.Value, nodeSpan(f.YAML, nm)
	} else {
		off := f.YAML.Offset(n)
		sp = srcpos.Span{Start: off, End: off}
	}
	if _, v := lookup(md, "namespace"); v != nil && v.Kind == yaml.ScalarNode && v.Value != "" {
		ns = v.Value
	}
	return name, ns, sp
}

// objectKey names an object in logical key paths: "Deployment/mi", with
// the namespace when it is not the default one.
func objectKey(kind, ns, name string) string {
	if ns != "default" && ns != "" {
		return kind + "/" + ns + "/" + name
	}
	return kind + "/" + name
}

// stringMap reads a mapping of scalars (labels, a selector).
func stringMap(n *yaml.Node) map[string]string {
	n = yamlast.Resolve(n)
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	out := map[string]string{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if v := yamlast.Resolve(n.Content[i+1]); v.Kind == yaml.ScalarNode {
			out[n.Content[i].Value] = v.Value
		}
	}
	return out
}

// parsePod returns the containers of a pod spec (init containers are not
// servers and are left out).
func parsePod(f *File, spec, labels *yaml.Node, kind, name, ns string) []*Container {
	d := f.YAML
	_, list := lookup(spec, "containers")
	if list == nil || list.Kind != yaml.SequenceNode {
		return nil
	}
	hostNet := false
	if _, hn := lookup(spec, "hostNetwork"); hn != nil && hn.Value == "true" {
		hostNet = true
	}
	lbl := stringMap(labels)
	var out []*Container
	for i, cn := range list.Content {
		cn = yamlast.Resolve(cn)
		if cn.Kind != yaml.MappingNode {
			continue
		}
		c := &Container{File: f, Kind: kind, Name: name, Namespace: ns, Labels: lbl, HostNetwork: hostNet}
		c.Key = objectKey(kind, ns, name) + ".containers[" + strconv.Itoa(i) + "]"
		if _, n := lookup(cn, "name"); n != nil && n.Kind == yaml.ScalarNode {
			c.Container, c.NameSpan = n.Value, nodeSpan(d, n)
			c.Key = objectKey(kind, ns, name) + ".containers[" + n.Value + "]"
		} else {
			off := d.Offset(cn)
			c.NameSpan = srcpos.Span{Start: off, End: off}
		}
		if _, im := lookup(cn, "image"); im != nil && im.Kind == yaml.ScalarNode {
			c.Image, c.ImageKnown, c.ImageSpan = im.Value, im.Value != "", nodeSpan(d, im)
		}
		if pk, ports := lookup(cn, "ports"); ports != nil && ports.Kind == yaml.SequenceNode {
			c.PortsKeySpan = keySpan(d, pk)
			for j, p := range ports.Content {
				_, cp := lookup(p, "containerPort")
				if cp == nil || cp.Kind != yaml.ScalarNode {
					continue
				}
				port := intOrName(d, cp)
				port.Container, port.Source = c, "containerPort"
				port.Key = c.Key + ".ports[" + strconv.Itoa(j) + "].containerPort"
				port.ByName, port.Name = false, ""
				if _, nm := lookup(p, "name"); nm != nil && nm.Kind == yaml.ScalarNode {
					port.Name = nm.Value
				}
				if _, pr := lookup(p, "protocol"); pr != nil && pr.Kind == yaml.ScalarNode {
					port.Protocol = strings.ToLower(pr.Value)
				}
				c.Ports = append(c.Ports, port)
			}
		}
		for _, pk := range probeKinds {
			_, probe := lookup(cn, pk)
			if probe == nil {
				continue
			}
			for _, h := range []string{"httpGet", "tcpSocket", "grpc"} {
				_, pn := YAMLPath(probe, h, "port")
				if pn == nil || pn.Kind != yaml.ScalarNode {
					continue
				}
				port := intOrName(d, pn)
				port.Container, port.Source = c, pk
				port.Key = c.Key + "." + pk + "." + h + ".port"
				c.Ports = append(c.Ports, port)
			}
			if _, cmd := YAMLPath(probe, "exec", "command"); cmd != nil {
				for _, port := range probeCommand(d, cmd) {
					port.Container, port.Source = c, pk
					port.Key = c.Key + "." + pk + ".exec.command"
					c.Ports = append(c.Ports, port)
				}
			}
		}
		resolveNamedPorts(c)
		out = append(out, c)
	}
	return out
}

// intOrName reads a Kubernetes IntOrString port: a number, or the name of
// a container port.
func intOrName(d *yamlast.Doc, n *yaml.Node) *ContainerPort {
	sp, _, exact := scalarBase(d, n)
	p := &ContainerPort{Span: sp, Protocol: "tcp"}
	if v, ok := parseDecimal(n.Value); ok && v >= 0 {
		p.Port, p.Known = v, true
		p.Literal = exact && n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) == 0 && strconv.Itoa(v) == n.Value
		return p
	}
	p.ByName, p.Name = true, n.Value
	p.Problem = "no container port is named " + strconv.Quote(n.Value)
	return p
}

// resolveNamedPorts gives a probe that names its port the number of the
// container's port of that name.
func resolveNamedPorts(c *Container) {
	for _, p := range c.Ports {
		if !p.ByName {
			continue
		}
		for _, q := range c.Ports {
			if q.Source == "containerPort" && q.Name == p.Name && q.Known {
				p.Port, p.Known, p.Problem = q.Port, true, ""
				break
			}
		}
	}
}

// parseService reads a Service's selector and ports.
func parseService(f *File, n *yaml.Node, name, ns string, nameSpan srcpos.Span) *KubeService {
	d := f.YAML
	s := &KubeService{File: f, Name: name, Namespace: ns, NameSpan: nameSpan, Key: objectKey("Service", ns, name)}
	_, spec := lookup(n, "spec")
	_, sel := lookup(spec, "selector")
	s.Selector = stringMap(sel)
	_, ports := lookup(spec, "ports")
	if ports == nil || ports.Kind != yaml.SequenceNode {
		return s
	}
	for i, p := range ports.Content {
		p = yamlast.Resolve(p)
		sp := &ServicePort{Service: s, Key: s.Key + ".ports[" + strconv.Itoa(i) + "]"}
		if _, nm := lookup(p, "name"); nm != nil && nm.Kind == yaml.ScalarNode {
			sp.Name = nm.Value
		}
		_, pn := lookup(p, "port")
		if pn != nil && pn.Kind == yaml.ScalarNode {
			sp.PortSpan, _, _ = scalarBase(d, pn)
			sp.Port, sp.PortKnown = parseDecimal(pn.Value)
		}
		if _, np := lookup(p, "nodePort"); np != nil && np.Kind == yaml.ScalarNode {
			sp.NodePort, _ = parseDecimal(np.Value)
		}
		proto := "tcp"
		if _, pr := lookup(p, "protocol"); pr != nil && pr.Kind == yaml.ScalarNode {
			proto = strings.ToLower(pr.Value)
		}
		if _, tp := lookup(p, "targetPort"); tp != nil && tp.Kind == yaml.ScalarNode {
			sp.Target = intOrName(d, tp)
			sp.Target.Key = sp.Key + ".targetPort"
		} else if pn != nil {
			// No targetPort: it is the port itself. The port is not
			// rewritten by a fix: clients use it.
			sp.Target = &ContainerPort{Key: sp.Key + ".port", Port: sp.Port, Known: sp.PortKnown, Span: sp.PortSpan}
		} else {
			continue
		}
		sp.Target.Source, sp.Target.Protocol = "targetPort", proto
		s.Ports = append(s.Ports, sp)
	}
	return s
}
