package fleet

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

// This file decides which install each container runs, in
// this order, never by guessing:
//
//  1. the configuration's containers: mapping (service, workload or
//     Service name to a glob of install roots);
//  2. a bind mount whose source is an install root, a directory on the way
//     to one of its config files (its conf/), or a file in its config
//     directory; a compose build context whose Dockerfile copies such a
//     path into the image counts the same;
//  3. the image (wso2/wso2mi*, wso2/wso2mi-dashboard*,
//     wso2/wso2ei-analytics*, wso2/wso2si*), when exactly one install of
//     that product is under the file's directory, else in the file's
//     repository (or the directory of its nearest .wso2lint.yaml), else,
//     when neither exists, in the linted tree.
//
// A Kubernetes Service reaches installs through the workloads its selector
// matches. A container that looks like WSO2 (by its image or its mounts)
// but maps to no install keeps the reason in Unmapped.

// ProductTitle names a product in messages.
func ProductTitle(p Product) string {
	switch p {
	case MI:
		return "MI"
	case MIDashboard:
		return "MI Dashboard"
	case EIAnalytics:
		return "EI Analytics"
	}
	return string(p)
}

// ImageProduct returns the product an image runs, judged by its
// repository name, and for EI Analytics a runtime hint ("server" or
// "portal") when the name says which one it starts.
func ImageProduct(image string) (Product, string) {
	s := image
	if i := strings.IndexByte(s, '@'); i >= 0 {
		s = s[:i]
	}
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	if i := strings.IndexByte(s, ':'); i >= 0 {
		s = s[:i]
	}
	s = strings.ToLower(s)
	switch {
	case strings.HasPrefix(s, "wso2mi-dashboard"):
		return MIDashboard, ""
	case strings.HasPrefix(s, "wso2mi"):
		return MI, ""
	case strings.HasPrefix(s, "wso2ei-analytics"), strings.HasPrefix(s, "wso2si"):
		switch {
		case strings.Contains(s, "portal") || strings.Contains(s, "dashboard"):
			return EIAnalytics, "portal"
		case strings.Contains(s, "server") || strings.Contains(s, "worker") || strings.HasPrefix(s, "wso2si"):
			return EIAnalytics, "server"
		}
		return EIAnalytics, ""
	}
	return "", ""
}

// runtimeHints lists the runtime names an image's hint stands for.
var runtimeHints = map[string][]string{"server": {"server", "worker"}, "portal": {"portal", "dashboard"}}

// mapContainers maps every container and Service of the fleet.
func (l *loader) mapContainers(fl *Fleet) {
	for _, c := range fl.Containers {
		resolveMounts(c)
		l.mapContainer(fl, c)
	}
	applyContainerStartup(fl)
	applyContainerLines(fl)
	for _, s := range fl.Services {
		if len(s.Selector) > 0 {
			for _, c := range fl.Containers {
				if c.Kind != "service" && c.Namespace == s.Namespace && labelsMatch(s.Selector, c.Labels) {
					s.Selected = append(s.Selected, c)
				}
			}
		}
		if in, _, ok := l.configInstall(fl, s.Name, "Service/"+s.Name); ok && in != nil {
			s.Install, s.Runtimes = in, in.Runtimes
		}
		for _, p := range s.Ports {
			if !p.Target.ByName {
				continue
			}
			for _, c := range s.Selected {
				for _, q := range c.Ports {
					if !p.Target.Known && q.Source == "containerPort" && q.Name == p.Target.Name && q.Known {
						p.Target.Port, p.Target.Known, p.Target.Problem = q.Port, true, ""
					}
				}
			}
			if !p.Target.Known && len(s.Selected) > 0 {
				p.Target.Problem = "no container of the selected pods names a port " + strconv.Quote(p.Target.Name)
			}
		}
	}
}

// applyContainerStartup gives every MI install the start-up sources of
// the containers that run it (their arguments and JAVA_OPTS come before
// the install's own start-up files) and settles its offset and ports
// again. It starts from the install's own sources each time, so that a
// fleet whose containers are built again (Reload) ends up the same.
func applyContainerStartup(fl *Fleet) {
	for _, in := range fl.Installs {
		if in.Product != MI {
			continue
		}
		var cs []*Startup
		for _, c := range fl.Containers {
			if c.Install == in {
				cs = append(cs, c.Startup...)
			}
		}
		if len(cs) == 0 && len(in.ContainerStartup) == 0 {
			continue
		}
		in.ContainerStartup = cs
		for _, rt := range in.Runtimes {
			rt.settleMIOffset(rt.Offset.File)
			for _, l := range rt.Listeners {
				l.settle()
			}
			for _, l := range rt.Absent {
				l.settle()
			}
		}
	}
}

// applyContainerLines tells the EI Analytics line of an install whose
// files do not tell it from the images of the containers that run it
// (EILineOfImage), and settles its ports again. It starts from what the
// files say each time, so that a fleet whose containers are built again
// (Reload) ends up the same; containers whose images disagree tell
// nothing.
func applyContainerLines(fl *Fleet) {
	for _, in := range fl.Installs {
		if in.Product != EIAnalytics || in.fileLine != EILineUnknown {
			continue
		}
		line, from := EILineUnknown, in.fileLineFrom
		for _, c := range fl.Containers {
			if c.Install != in || !c.ImageKnown {
				continue
			}
			x := EILineOfImage(c.Image)
			if x == EILineUnknown || x == line {
				continue
			}
			if line != EILineUnknown {
				// Images that disagree tell nothing.
				line, from = EILineUnknown, in.fileLineFrom
				break
			}
			line, from = x, "image "+c.Image
		}
		if line == in.EILine {
			continue
		}
		in.EILine, in.EILineFrom = line, from
		for _, rt := range in.Runtimes {
			for _, l := range rt.Listeners {
				if l.eiKind != 0 {
					l.OffsetApplies, l.Shift, l.Undecided = eiOffsetRule(line, l.eiKind)
					l.Note = eiNote(rt, l.eiKind)
					l.settle()
				}
			}
		}
	}
}

// labelsMatch reports whether labels carry every key/value of selector.
func labelsMatch(selector, labels map[string]string) bool {
	for k, v := range selector {
		if lv, ok := labels[k]; !ok || lv != v {
			return false
		}
	}
	return true
}

// configInstall looks the first of names up in the configuration's
// containers: mapping. found reports that a name is mapped; in is the one
// install its glob matches, else why says what is wrong.
func (l *loader) configInstall(fl *Fleet, names ...string) (in *Install, why string, found bool) {
	for _, name := range names {
		glob, ok := l.opt.Containers[name]
		if !ok {
			continue
		}
		var hits []*Install
		for _, inst := range fl.Installs {
			abs := l.abs(inst.Root)
			if ok, _ := doublestar.Match(glob, l.relBase(abs)); ok {
				hits = append(hits, inst)
			}
		}
		switch len(hits) {
		case 1:
			return hits[0], "", true
		case 0:
			return nil, fmt.Sprintf("containers: maps %s to %q, which matches no install", name, glob), true
		}
		return nil, fmt.Sprintf("containers: maps %s to %q, which matches %d installs (%s)", name, glob, len(hits), rootList(hits)), true
	}
	return nil, "", false
}

// rootList names installs for messages, at most three.
func rootList(ins []*Install) string {
	var roots []string
	for i, in := range ins {
		if i == 3 {
			roots = append(roots, "…")
			break
		}
		roots = append(roots, in.Root)
	}
	return strings.Join(roots, ", ")
}

// containerNames are the names a container can be mapped by in the
// configuration, most specific first.
func containerNames(c *Container) []string {
	if c.Kind == "service" {
		return []string{c.Name}
	}
	var out []string
	if c.Container != "" {
		out = append(out, c.Name+"/"+c.Container, c.Kind+"/"+c.Name+"/"+c.Container)
	}
	return append(out, c.Kind+"/"+c.Name, c.Name)
}

func (l *loader) mapContainer(fl *Fleet, c *Container) {
	product, hint := "", ""
	if c.ImageKnown {
		p, h := ImageProduct(c.Image)
		product, hint = string(p), h
	}
	c.Looks = Product(product)
	if in, why, found := l.configInstall(fl, containerNames(c)...); found {
		if in == nil {
			c.Unmapped = why
			return
		}
		c.setInstall(in, in.Runtimes, "containers: in the configuration", hint)
		return
	}
	if cm := c.confMount; cm != nil {
		// The server runs the ConfigMap's config, not a file beside the
		// manifest: judging it against a neighbour install would be wrong.
		if cm.install != nil {
			c.setInstall(cm.install, cm.install.Runtimes, fmt.Sprintf("ConfigMap %s mounted at %s", cm.configMap, cm.target), hint)
			return
		}
		if cm.generated != "" {
			if in, rts := generatedInstall(fl, cm); in != nil {
				c.setInstall(in, rts, fmt.Sprintf("ConfigMap %s mounted at %s, generated by %s from %s",
					cm.configMap, cm.target, cm.generator.file.Path, l.display(cm.generated)), hint)
				return
			}
			c.Unmapped = fmt.Sprintf("it runs the %s of ConfigMap %s mounted at %s, which %s generates from %s, not a config of an install wso2lint read",
				cm.key, cm.configMap, cm.target, cm.generator.file.Path, l.display(cm.generated))
			return
		}
		what := cm.key
		if what == "" {
			what = "deployment.toml"
		}
		where := fmt.Sprintf("which no linted manifest of its repository defines in namespace %s", c.Namespace)
		switch {
		case cm.defined > 1:
			where = fmt.Sprintf("which %d linted manifests of its repository define in namespace %s; map it under containers: in .wso2lint.yaml",
				cm.defined, c.Namespace)
		case cm.cm == nil && cm.defined == 1:
			where = "which does not carry that key as text"
		}
		c.Unmapped = fmt.Sprintf("it runs the %s of ConfigMap %s mounted at %s, %s", what, cm.configMap, cm.target, where)
		return
	}
	// Bind mounts of install files.
	var order []*Install
	rts := map[*Install][]*Runtime{}
	by := map[*Install]string{}
	for _, m := range c.Mounts {
		for _, in := range fl.Installs {
			root := l.abs(in.Root)
			got, ok := mountedRuntimes(m.Source, root, in)
			if !ok {
				continue
			}
			if _, seen := rts[in]; !seen {
				order = append(order, in)
				by[in] = "bind mount " + l.display(m.Source)
			}
			rts[in] = appendRuntimes(rts[in], got)
		}
	}
	// A build context whose Dockerfile copies the install's files into
	// the image runs that install, like a bind mount of them.
	if c.build != nil {
		for _, src := range c.build.Copies {
			for _, in := range fl.Installs {
				root := l.abs(in.Root)
				got, ok := mountedRuntimes(filepath.Clean(src), root, in)
				if !ok {
					continue
				}
				if _, seen := rts[in]; !seen {
					order = append(order, in)
					by[in] = "Dockerfile " + l.display(c.build.Dockerfile) + " copying " + l.display(filepath.Clean(src))
				}
				rts[in] = appendRuntimes(rts[in], got)
			}
		}
	}
	switch len(order) {
	case 0:
	case 1:
		in := order[0]
		c.Looks = in.Product
		c.setInstall(in, rts[in], by[in], hint)
		return
	default:
		c.Looks = order[0].Product
		c.Unmapped = fmt.Sprintf("its volumes mount files of %d installs (%s); map it under containers: in .wso2lint.yaml",
			len(order), rootList(order))
		return
	}
	if product == "" {
		return
	}
	// Installs under the compose file's (or manifest's) own directory
	// come first: in a repository holding several projects, the one
	// beside the file is the one it runs.
	// Beyond that directory, only installs of the same repository (or
	// of the tree the nearest .wso2lint.yaml governs) count: what a
	// manifest runs must not depend on which other trees are linted
	// with it.
	scope, ok := l.scopes[c.dir]
	if !ok {
		scope = scopeRoot(c.dir)
		if l.scopes == nil {
			l.scopes = map[string]string{}
		}
		l.scopes[c.dir] = scope
	}
	var hits, near []*Install
	for _, in := range fl.Installs {
		if string(in.Product) != product || in.Embedded() {
			continue // a ConfigMap's config runs where it is mounted, nowhere else
		}
		root := l.abs(in.Root)
		if scope != "" && root != scope && !within(root, scope) {
			continue
		}
		hits = append(hits, in)
		if c.dir != "" && (root == c.dir || within(root, c.dir)) {
			near = append(near, in)
		}
	}
	if len(near) == 1 {
		hits = near
	}
	switch len(hits) {
	case 1:
		c.setInstall(hits[0], hits[0].Runtimes, "image "+c.Image, hint)
	case 0:
		where := "the linted tree"
		// A repository that holds the whole linted tree bounds nothing
		// more: name it only when it is inside.
		if d := l.display(scope); scope != "" && d != "." && d != ".." && !strings.HasPrefix(d, "../") {
			where = "its repository (" + d + ")"
		}
		c.Unmapped = fmt.Sprintf("no %s install is in %s", ProductTitle(c.Looks), where)
	default:
		c.Unmapped = fmt.Sprintf("the image matches %d %s installs (%s); map it under containers: in .wso2lint.yaml",
			len(hits), ProductTitle(c.Looks), rootList(hits))
	}
}

// generatedInstall returns the install (and its runtime) whose config
// file a configMapGenerator puts into the mounted ConfigMap.
func generatedInstall(fl *Fleet, cm *confMount) (*Install, []*Runtime) {
	for _, in := range fl.Installs {
		for _, rt := range in.Runtimes {
			if rt.File != nil && rt.File.Abs == cm.generated && (cm.runtime == "" || rt.Name == cm.runtime || in.Product != EIAnalytics) {
				return in, []*Runtime{rt}
			}
		}
	}
	return nil, nil
}

// scopeRoot returns the directory that bounds the image fallback for a
// file in dir: the nearest directory, dir itself or above, that holds
// .git (a repository or a worktree) or .wso2lint.yaml; "" when there is
// none, and then the whole linted tree counts.
func scopeRoot(dir string) string {
	if dir == "" {
		return ""
	}
	for d := dir; ; {
		for _, name := range []string{".git", ".wso2lint.yaml"} {
			if _, err := os.Stat(filepath.Join(d, name)); err == nil {
				return d
			}
		}
		parent := filepath.Dir(d)
		if parent == d {
			return ""
		}
		d = parent
	}
}

// setInstall maps a container, narrowing an EI Analytics install's
// runtimes to the one the image names when it names one.
func (c *Container) setInstall(in *Install, rts []*Runtime, by, hint string) {
	c.Install, c.MappedBy, c.Looks = in, by, in.Product
	if len(rts) > 1 && hint != "" {
		var keep []*Runtime
		for _, rt := range rts {
			for _, n := range runtimeHints[hint] {
				if rt.Name == n {
					keep = append(keep, rt)
				}
			}
		}
		if len(keep) > 0 {
			rts = keep
		}
	}
	c.Runtimes = rts
}

// appendRuntimes adds to a the runtimes of b it does not hold, keeping
// them in path order.
func appendRuntimes(a, b []*Runtime) []*Runtime {
	for _, rt := range b {
		dup := false
		for _, x := range a {
			dup = dup || x == rt
		}
		if !dup {
			a = append(a, rt)
		}
	}
	sort.SliceStable(a, func(i, j int) bool { return a[i].File.Path < a[j].File.Path })
	return a
}

// within reports whether path p lies strictly inside directory dir.
func within(p, dir string) bool {
	return strings.HasPrefix(p, dir+string(os.PathSeparator))
}

// mountedRuntimes decides whether a bind mount's source belongs to an
// install, and which of its runtimes: the install root (all runtimes), a
// runtime's config file itself, a directory between the root and that
// file (conf/, conf/server), or a file or directory inside the config
// file's directory — unless that directory is the root itself (a config
// repository), where any other mount would say nothing about the install.
// A start-up source of the install stands for all its runtimes.
func mountedRuntimes(src, root string, in *Install) ([]*Runtime, bool) {
	if src == root {
		return in.Runtimes, true
	}
	for _, st := range in.Startup {
		if st.File.Abs == src {
			return in.Runtimes, true
		}
	}
	var out []*Runtime
	for _, rt := range in.Runtimes {
		f := rt.File.Abs
		dir := filepath.Dir(f)
		if f == src || (within(f, src) && within(src, root)) || (dir != root && within(src, dir)) {
			out = append(out, rt)
		}
	}
	return out, len(out) > 0
}

// Exposure is one way a listener's port is reached from outside its
// container: a compose ports entry, a Kubernetes Service port, or the
// host network.
type Exposure struct {
	// Via is "compose", "service" or "host-network".
	Via       string
	Container *Container
	Publish   *Publish
	Service   *ServicePort
}

// Text renders an exposure for the ports map: "8253",
// "127.0.0.1:8253", "random:8253" (docker picks the host port),
// "?:8253" (the host port is unknown), "svc/mi:8253", "host network".
func (e Exposure) Text() string {
	switch e.Via {
	case "service":
		return "svc/" + e.Service.Service.Name + ":" + numText(e.Service.Port, e.Service.PortKnown)
	case "host-network":
		return "host network"
	}
	p := e.Publish
	s := numText(p.HostPort, p.HostKnown)
	if p.Random {
		s = "random"
	}
	if p.HostIP != "" {
		ip := p.HostIP
		if strings.Contains(ip, ":") {
			ip = "[" + ip + "]"
		}
		s = ip + ":" + s
	}
	if p.Protocol != "" && p.Protocol != "tcp" {
		s += "/" + p.Protocol
	}
	return s
}

func numText(n int, known bool) string {
	if !known {
		return "?"
	}
	return strconv.Itoa(n)
}

// Runs reports whether the container runs the runtime.
func (c *Container) Runs(rt *Runtime) bool {
	if c.Install == nil || c.Install != rt.Install {
		return false
	}
	for _, r := range c.Runtimes {
		if r == rt {
			return true
		}
	}
	return false
}

// RunsAny reports whether any container or Service of the fleet runs the
// runtime's install: its listeners are then inside containers.
func (fl *Fleet) RunsAny(in *Install) bool {
	for _, c := range fl.Containers {
		if c.Install == in {
			return true
		}
	}
	return false
}

// Network says whose network a runtime's listeners are in: "" for the
// host's, when no container runs the runtime or one runs it with the
// host's network; otherwise a key that two runtimes share exactly when
// their containers share a network (one Kubernetes pod, or compose's
// network_mode: service:NAME), and a title for messages ("compose service
// mi"). A container's listeners do not take the host's ports: only what
// it publishes does (C002).
func (fl *Fleet) Network(rt *Runtime) (key, title string) {
	for _, c := range fl.Containers {
		if !c.Runs(rt) {
			continue
		}
		if c.HostNetwork {
			return "", ""
		}
		if key == "" {
			key, title = c.network()
		}
	}
	return key, title
}

// network returns the key and title of the network the container is in
// (not the host's).
func (c *Container) network() (key, title string) {
	if c.Kind != "service" {
		return c.File.Path + "\x00pod\x00" + objectKey(c.Kind, c.Namespace, c.Name), c.Kind + " " + c.Name
	}
	name := c.Name
	switch {
	case strings.HasPrefix(c.NetworkMode, "service:"):
		name = strings.TrimPrefix(c.NetworkMode, "service:")
	case strings.HasPrefix(c.NetworkMode, "container:"):
		return c.NetworkMode, "container " + strings.TrimPrefix(c.NetworkMode, "container:")
	}
	return c.File.Path + "\x00service\x00" + name, "compose service " + name
}

// RunsRuntime reports whether any container or Service of the fleet runs
// the runtime.
func (fl *Fleet) RunsRuntime(rt *Runtime) bool {
	for _, c := range fl.Containers {
		if c.Runs(rt) {
			return true
		}
	}
	for _, s := range fl.Services {
		if s.ServiceRuns(rt) {
			return true
		}
	}
	return false
}

// Reaches returns the install a Service leads to and the runtimes of it
// that it reaches: the configuration's mapping, else the install of the
// first selected container that runs one, with the runtimes that the
// selected containers run of it. The install is nil when no selected
// container runs one.
func (s *KubeService) Reaches() (*Install, []*Runtime) {
	if s.Install != nil {
		return s.Install, s.Runtimes
	}
	var in *Install
	var rts []*Runtime
	for _, c := range s.Selected {
		if c.Install == nil || (in != nil && c.Install != in) {
			continue
		}
		in = c.Install
		rts = appendRuntimes(rts, c.Runtimes)
	}
	return in, rts
}

// ServiceRuns reports whether a Service reaches the runtime: through a
// selected container that runs it, or by the configuration's mapping.
func (s *KubeService) ServiceRuns(rt *Runtime) bool {
	if s.Install != nil {
		for _, r := range s.Runtimes {
			if r == rt {
				return true
			}
		}
		return false
	}
	for _, c := range s.Selected {
		if c.Runs(rt) {
			return true
		}
	}
	return false
}

// Exposures lists how a listener is reached from outside the containers
// that run it, in file order.
func (fl *Fleet) Exposures(l *Listener) []Exposure {
	var out []Exposure
	if !l.Known {
		return out
	}
	for _, c := range fl.Containers {
		if !c.Runs(l.Runtime) {
			continue
		}
		if c.HostNetwork {
			out = append(out, Exposure{Via: "host-network", Container: c})
			continue
		}
		for _, p := range c.Publish {
			if p.Target.Known && p.Target.Port == l.Effective && p.Protocol == "tcp" {
				out = append(out, Exposure{Via: "compose", Container: c, Publish: p})
			}
		}
	}
	for _, s := range fl.Services {
		if !s.ServiceRuns(l.Runtime) {
			continue
		}
		for _, p := range s.Ports {
			if p.Target.Known && p.Target.Port == l.Effective && p.Target.Protocol == "tcp" {
				out = append(out, Exposure{Via: "service", Service: p})
			}
		}
	}
	return out
}

// ImageHome returns the product home inside an official WSO2 image:
// wso2/wso2mi:4.3.0 keeps its server in /home/wso2carbon/wso2mi-4.3.0, and
// wso2/wso2mi-dashboard:4.1.0 in /home/wso2carbon/wso2mi-dashboard-4.1.0.
// name is the home's base name without the version ("wso2mi"), "" when
// the image is not an official MI or MI Dashboard image (a custom image
// may lay its files out any way). home is "" when the tag does not start
// with a version (latest, no tag, a digest): then the home is unknown.
func ImageHome(image string) (name, home string) {
	s := image
	if i := strings.IndexByte(s, '@'); i >= 0 {
		s = s[:i]
	}
	tag := ""
	if i := strings.LastIndexByte(s, ':'); i > strings.LastIndexByte(s, '/') {
		s, tag = s[:i], s[i+1:]
	}
	if i := strings.LastIndexByte(s, '/'); i >= 0 {
		s = s[i+1:]
	}
	name = strings.ToLower(s)
	if name != "wso2mi" && name != "wso2mi-dashboard" {
		return "", ""
	}
	if v := tagVersion(tag); v != "" {
		home = "/home/wso2carbon/" + name + "-" + v
	}
	return name, home
}

// tagVersion returns the x.y.z an image tag starts with ("4.2.0" of
// "4.2.0-alpine" or "4.2.0.3"), or "".
func tagVersion(tag string) string {
	parts := strings.SplitN(tag, ".", 4)
	if len(parts) < 3 {
		return ""
	}
	third := parts[2]
	if i := strings.IndexFunc(third, func(r rune) bool { return r < '0' || r > '9' }); i >= 0 {
		third = third[:i]
	}
	for _, p := range []string{parts[0], parts[1], third} {
		if p == "" || strings.Trim(p, "0123456789") != "" {
			return ""
		}
	}
	return parts[0] + "." + parts[1] + "." + third
}
