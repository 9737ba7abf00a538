package fleet

import (
	"fmt"
	"path"
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

// parseManifests returns the containers, Services and ConfigMaps of a
// manifest file.
func parseManifests(f *File) ([]*Container, []*KubeService, []*configMap) {
	var cs []*Container
	var svcs []*KubeService
	var cms []*configMap
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
		switch kind.Value {
		case "Service":
			svcs = append(svcs, parseService(f, n, name, ns, nameSpan))
			return
		case "ConfigMap":
			if _, data := lookup(n, "data"); data != nil && data.Kind == yaml.MappingNode {
				cms = append(cms, &configMap{file: f, name: name, ns: ns, data: data})
			}
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
	return cs, svcs, cms
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
	cmVolumes := configMapVolumes(spec)
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
				if h == "httpGet" {
					port.Scheme, port.Path = "http", "/"
					if _, sc := YAMLPath(probe, h, "scheme"); sc != nil && sc.Kind == yaml.ScalarNode {
						port.Scheme = strings.ToLower(sc.Value)
					}
					if _, pa := YAMLPath(probe, h, "path"); pa != nil && pa.Kind == yaml.ScalarNode && pa.Value != "" {
						port.Path = pa.Value
					}
				}
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
		c.confMount = configMapConfMount(d, cn, cmVolumes)
		c.otherConfs = otherProductConfigMaps(cn, cmVolumes)
		if _, mounts := lookup(cn, "volumeMounts"); mounts != nil && mounts.Kind == yaml.SequenceNode {
			for _, m := range mounts.Content {
				if _, mp := lookup(yamlast.Resolve(m), "mountPath"); mp != nil && mp.Kind == yaml.ScalarNode {
					c.VolumeMounts = append(c.VolumeMounts, Mount{Target: mp.Value, TargetSpan: nodeSpan(d, mp)})
				}
			}
		}
		k8sStartup(c, cn)
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

// cmVolume is a pod volume backed by a ConfigMap: its name, and the
// paths its items put keys at (nil when it projects every key).
type cmVolume struct {
	configMap string
	items     map[string]string // path -> key
}

// configMapVolumes reads a pod spec's ConfigMap volumes by volume name.
func configMapVolumes(spec *yaml.Node) map[string]cmVolume {
	out := map[string]cmVolume{}
	_, vols := lookup(spec, "volumes")
	if vols == nil || vols.Kind != yaml.SequenceNode {
		return out
	}
	for _, v := range vols.Content {
		v = yamlast.Resolve(v)
		_, name := lookup(v, "name")
		_, cmName := YAMLPath(v, "configMap", "name")
		if name == nil || cmName == nil || name.Kind != yaml.ScalarNode || cmName.Kind != yaml.ScalarNode {
			continue
		}
		vol := cmVolume{configMap: cmName.Value}
		if _, items := YAMLPath(v, "configMap", "items"); items != nil && items.Kind == yaml.SequenceNode {
			vol.items = map[string]string{}
			for _, it := range items.Content {
				it = yamlast.Resolve(it)
				_, k := lookup(it, "key")
				_, pth := lookup(it, "path")
				if k != nil && pth != nil && k.Kind == yaml.ScalarNode && pth.Kind == yaml.ScalarNode {
					vol.items[pth.Value] = k.Value
				}
			}
		}
		out[name.Value] = vol
	}
	return out
}

// otherProductConfigMaps names the ConfigMaps a container mounts into
// another Carbon product's repository/conf (API Manager, Identity Server):
// their deployment.toml is not an MI's.
func otherProductConfigMaps(cn *yaml.Node, vols map[string]cmVolume) []string {
	_, mounts := lookup(cn, "volumeMounts")
	if mounts == nil || mounts.Kind != yaml.SequenceNode {
		return nil
	}
	var out []string
	for _, m := range mounts.Content {
		_, name := lookup(m, "name")
		_, mp := lookup(m, "mountPath")
		if name == nil || mp == nil || name.Kind != yaml.ScalarNode || mp.Kind != yaml.ScalarNode {
			continue
		}
		if vol, ok := vols[name.Value]; ok && strings.Contains(path.Clean(mp.Value)+"/", "/repository/conf/") {
			out = append(out, vol.configMap)
		}
	}
	return out
}

// confMount is a ConfigMap a container mounts its server's config from:
// a deployment.toml into an MI's conf/, or an EI Analytics runtime's
// deployment.yaml into conf/<runtime>/. The server runs the ConfigMap's
// config, not a file of the linted tree. key is the ConfigMap's key that
// lands on the config file ("" until a mount of the whole volume is
// checked against the ConfigMap's data); runtime names the EI Analytics
// runtime ("" for an MI); target is the mount path and at its span.
type confMount struct {
	configMap, key, runtime string
	target                  string
	at                      srcpos.Span
	// install is the install made of the ConfigMap's config
	// (configmap.go), nil until then or when it is not read.
	install *Install
	// cm is the ConfigMap found for the mount, nil when none of the
	// linted manifests of the container's repository defines it, or
	// several do (defined says how many).
	cm      *configMap
	defined int
	// generated is the file of the tree a kustomize configMapGenerator
	// makes the ConfigMap's key from, and generator that generator
	// (kustomize.go); "" and nil otherwise.
	generated string
	generator *cmGenerator
}

// eiRuntimeDirs are the conf/ subdirectories an EI Analytics runtime
// reads its deployment.yaml from.
var eiRuntimeDirs = map[string]bool{"server": true, "portal": true, "worker": true, "dashboard": true, "manager": true}

// configMapConfMount returns the ConfigMap a container's volumeMounts put
// at the server's config file, or nil: a subPath mount at
// …/conf/deployment.toml (or …/conf/<runtime>/deployment.yaml), or a
// mount of the volume at …/conf (…/conf/<runtime>); then the ConfigMap
// must carry deployment.toml (deployment.yaml), which
// resolveConfigMapRefs checks once every manifest is read.
func configMapConfMount(d *yamlast.Doc, cn *yaml.Node, vols map[string]cmVolume) *confMount {
	_, mounts := lookup(cn, "volumeMounts")
	if mounts == nil || mounts.Kind != yaml.SequenceNode {
		return nil
	}
	for _, m := range mounts.Content {
		m = yamlast.Resolve(m)
		_, name := lookup(m, "name")
		_, mp := lookup(m, "mountPath")
		if name == nil || mp == nil || name.Kind != yaml.ScalarNode || mp.Kind != yaml.ScalarNode {
			continue
		}
		vol, ok := vols[name.Value]
		if !ok {
			continue
		}
		target := path.Clean(mp.Value)
		sub := ""
		if _, sp := lookup(m, "subPath"); sp != nil && sp.Kind == yaml.ScalarNode {
			sub = sp.Value
		}
		at := nodeSpan(d, mp)
		file, rt := "", ""
		if strings.Contains(target+"/", "/repository/conf/") {
			continue // API Manager's or Identity Server's conf: another product
		}
		switch dir := path.Dir(target); {
		case sub != "" && path.Base(target) == "deployment.toml" && path.Base(dir) == "conf":
			file = "deployment.toml"
		case sub != "" && path.Base(target) == "deployment.yaml" && eiRuntimeDirs[path.Base(dir)] && path.Base(path.Dir(dir)) == "conf":
			file, rt = "deployment.yaml", path.Base(dir)
		case sub == "" && path.Base(target) == "conf":
			file = "deployment.toml"
		case sub == "" && eiRuntimeDirs[path.Base(target)] && path.Base(dir) == "conf":
			file, rt = "deployment.yaml", path.Base(target)
		default:
			continue
		}
		if sub != "" {
			key := sub
			if vol.items != nil {
				if k, ok := vol.items[sub]; ok {
					key = k
				}
			}
			return &confMount{configMap: vol.configMap, key: key, runtime: rt, target: target, at: at}
		}
		if vol.items != nil {
			if k, ok := vol.items[file]; ok {
				return &confMount{configMap: vol.configMap, key: k, runtime: rt, target: target, at: at}
			}
			continue
		}
		return &confMount{configMap: vol.configMap, runtime: rt, target: target, at: at}
	}
	return nil
}

// configMap is a Kubernetes ConfigMap's data, which containers can take
// environment variables from.
type configMap struct {
	file     *File
	name, ns string
	data     *yaml.Node
}

// configMapRef is a container's reference to a ConfigMap for a JVM option
// variable: env[].valueFrom.configMapKeyRef (key set) or
// envFrom[].configMapRef (key "", every variable under prefix).
type configMapRef struct {
	name, key, prefix string
	// env is the variable the reference sets (valueFrom), or the
	// variables the container's env does not set itself (envFrom).
	env      []string
	optional bool
	at       srcpos.Span // the ConfigMap's name in the reference
	expand   func(string) (string, bool)
}

// k8sStartup reads what a Kubernetes container passes the server at
// start-up: the arguments of args and command (WSO2's image runs `sh
// micro-integrator.sh "$@"`, so they become system properties), and
// JAVA_OPTS from env, written there or taken from a ConfigMap (resolved
// once every manifest is read: resolveConfigMapRefs). $(VAR) references
// are expanded from the container's env as Kubernetes does.
func k8sStartup(c *Container, cn *yaml.Node) {
	d := c.File.YAML
	vars, unknown := map[string]string{}, map[string]bool{}
	_, envn := lookup(cn, "env")
	_, envFrom := lookup(cn, "envFrom")
	if envn != nil && envn.Kind == yaml.SequenceNode {
		for _, e := range envn.Content {
			_, nm := lookup(e, "name")
			if nm == nil || nm.Kind != yaml.ScalarNode {
				continue
			}
			if _, v := lookup(e, "value"); v != nil && v.Kind == yaml.ScalarNode {
				vars[nm.Value] = v.Value
				delete(unknown, nm.Value)
			} else {
				delete(vars, nm.Value)
				unknown[nm.Value] = true
			}
		}
	}
	someUnknown := envFrom != nil // variables of ConfigMaps and Secrets
	expand := func(v string) (string, bool) { return expandK8s(v, vars, unknown, someUnknown) }
	for _, key := range []string{"args", "command"} {
		_, n := lookup(cn, key)
		if n == nil || n.Kind != yaml.SequenceNode {
			continue
		}
		st := &Startup{File: c.File, Origin: "k8s:" + key, Runner: c.Title()}
		for _, it := range n.Content {
			st.scanYAML(yamlast.Resolve(it), expand)
		}
		c.addStartup(st)
	}
	set := map[string]bool{}
	if envn != nil && envn.Kind == yaml.SequenceNode {
		for _, name := range javaOptsVars {
			var last *yaml.Node // a repeated name: the last entry wins
			for _, e := range envn.Content {
				if _, nm := lookup(e, "name"); nm != nil && nm.Value == name {
					last = yamlast.Resolve(e)
				}
			}
			if last == nil {
				continue
			}
			set[name] = true
			if _, v := lookup(last, "value"); v != nil {
				st := &Startup{File: c.File, Origin: "k8s:env " + name, Runner: c.Title()}
				st.scanYAML(v, expand)
				c.addStartup(st)
				continue
			}
			_, ref := YAMLPath(last, "valueFrom", "configMapKeyRef")
			_, cmName := lookup(ref, "name")
			_, cmKey := lookup(ref, "key")
			if cmName == nil || cmKey == nil || cmName.Kind != yaml.ScalarNode || cmKey.Kind != yaml.ScalarNode {
				continue // a Secret or a field: not a place to write JVM flags
			}
			_, opt := lookup(ref, "optional")
			c.envRefs = append(c.envRefs, configMapRef{name: cmName.Value, key: cmKey.Value, env: []string{name},
				optional: opt != nil && opt.Value == "true", at: nodeSpan(d, cmName), expand: expand})
		}
	}
	if envFrom != nil && envFrom.Kind == yaml.SequenceNode {
		for _, e := range envFrom.Content {
			_, ref := lookup(e, "configMapRef")
			_, cmName := lookup(ref, "name")
			if cmName == nil || cmName.Kind != yaml.ScalarNode {
				continue
			}
			r := configMapRef{name: cmName.Value, at: nodeSpan(d, cmName), expand: expand, optional: true}
			if _, p := lookup(e, "prefix"); p != nil && p.Kind == yaml.ScalarNode {
				r.prefix = p.Value
			}
			for _, name := range javaOptsVars {
				if !set[name] {
					r.env = append(r.env, name)
				}
			}
			c.envRefs = append(c.envRefs, r)
		}
	}
}

// expandK8s expands the $(VAR) references of a container's argument or
// env value as Kubernetes does: $$ is a dollar sign, a variable of the
// container's env is replaced by its value, and a reference to a variable
// that is not set stays as written. ok is false when the value of a
// variable cannot be known: set from a Secret, a field or a ConfigMap
// (unknown), or possibly by envFrom (someUnknown).
func expandK8s(s string, vars map[string]string, unknown map[string]bool, someUnknown bool) (string, bool) {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] != '$' || i+1 >= len(s) {
			b.WriteByte(s[i])
			continue
		}
		if s[i+1] == '$' {
			b.WriteByte('$')
			i++
			continue
		}
		end := strings.IndexByte(s[i:], ')')
		if s[i+1] != '(' || end < 0 {
			b.WriteByte('$')
			continue
		}
		name := s[i+2 : i+end]
		switch v, ok := vars[name]; {
		case ok:
			b.WriteString(v)
		case unknown[name] || someUnknown:
			return "", false
		default:
			b.WriteString(s[i : i+end+1])
		}
		i += end
	}
	return b.String(), true
}

// resolveConfigMapRefs reads the JVM flags a container takes from
// ConfigMaps of the linted manifests (same namespace). A value it takes
// from a ConfigMap that is not among them makes the offset unknown,
// unless the reference is optional; envFrom of an unseen ConfigMap says
// nothing about JAVA_OPTS and is left alone.
func resolveConfigMapRefs(c *Container, cms []*configMap) {
	if cm := c.confMount; cm != nil && cm.key == "" {
		// A whole ConfigMap mounted over conf/ replaces it with the
		// ConfigMap's keys: it runs a config of its own only when one of
		// them is the config file. A ConfigMap not in the linted
		// manifests cannot be told.
		c.confMount = nil
		file := "deployment.toml"
		if cm.runtime != "" {
			file = "deployment.yaml"
		}
		for _, m := range cms {
			if m.name == cm.configMap && m.ns == c.Namespace {
				if k, _ := yamlast.Get(m.data, file); k != nil {
					found := *cm
					found.key = file
					c.confMount = &found
				}
			}
		}
	}
	for _, r := range c.envRefs {
		var cm *configMap
		for _, m := range cms {
			if m.name == r.name && m.ns == c.Namespace {
				cm = m
				break
			}
		}
		if cm == nil {
			if r.optional || r.key == "" {
				continue
			}
			st := &Startup{File: c.File, Origin: "k8s:env " + r.env[0], Runner: c.Title()}
			st.PortOffsets = append(st.PortOffsets, &Setting{File: c.File, Key: OffsetFlag, Origin: st.Origin,
				Runner: st.Runner, KeySpan: r.at, Span: r.at, Raw: "?", Kind: "string", State: Unresolved,
				Problem: fmt.Sprintf("%s comes from ConfigMap %s, which is not in the linted manifests", r.env[0], r.name)})
			c.addStartup(st)
			continue
		}
		for _, name := range r.env {
			key := r.key
			if key == "" {
				if !strings.HasPrefix(name, r.prefix) {
					continue
				}
				key = strings.TrimPrefix(name, r.prefix)
			}
			_, v := lookup(cm.data, key)
			if v == nil {
				continue
			}
			st := &Startup{File: cm.file, Origin: "k8s:configmap " + cm.name + " " + name, Runner: c.Title()}
			st.scanYAML(v, r.expand)
			c.addStartup(st)
		}
	}
}
