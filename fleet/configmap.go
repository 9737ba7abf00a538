package fleet

import (
	"path/filepath"
	"sort"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"gopkg.in/yaml.v3"

	"github.com/wso2lint/wso2lint/catalog"
	"github.com/wso2lint/wso2lint/internal/embedded"
	"github.com/wso2lint/wso2lint/internal/yamlast"
)

// This file makes installs of the configs that Kubernetes ConfigMaps
// carry. A workload that mounts a ConfigMap's deployment.toml over its MI's
// conf/ (or an EI Analytics runtime's deployment.yaml over conf/<runtime>/)
// runs that config, whatever lies beside the manifests; so the config is
// read out of the ConfigMap's data as a file of its own (a virtual File
// whose offsets map into the manifest, internal/embedded) and becomes the
// install the workload runs. Every rule then checks it as it checks a
// deployment.toml on disk, and the lint engine moves the findings and
// fixes back into the manifest.
//
// The choices a reviewer would expect:
//   - One install per ConfigMap key, however many workloads mount it: the
//     config is written once, and a finding on its text is reported once.
//     Every container that mounts it runs that install (as replicas run
//     one). Its release comes from the mi-version configuration, else from
//     the image tags of those containers when they agree.
//   - Each such install is a host of its own: a pod has its own network
//     namespace, so its ports never collide with another install's.
//   - A ConfigMap is found by namespace and name in the manifests of the
//     container's repository (or of the tree its nearest .wso2lint.yaml
//     governs), the one in the container's own file first: what a
//     workload runs must not depend on what else is linted.
//   - A ConfigMap whose deployment.toml no workload mounts, in a
//     repository that runs an MI (a workload of an MI image, or an install
//     on disk), is still an MI config someone deploys (a kustomization or
//     a Helm chart may mount it): it is linted as an install of its own,
//     with no container, so the rules about its keys and its own ports
//     apply and those about containers have nothing to say. Elsewhere it
//     may be an Identity Server's or API Manager's, and is left alone. One that a container mounts into
//     another product's repository/conf (API Manager, Identity Server) is
//     that product's config and is left alone.
//   - A value Kubernetes refuses (null, a number, !!binary) is no config.

// embeddedInstalls adds to the fleet the installs of the configs that the
// ConfigMaps carry, and links each mounting container's confMount to its
// ConfigMap. It runs once every manifest is read, before the containers
// are mapped.
func (l *loader) embeddedInstalls(fl *Fleet, cms []*configMap) {
	type use struct {
		cm  *configMap
		key string
	}
	mounted := map[use][]*Container{}
	var order []use
	for _, c := range fl.Containers {
		cm := c.confMount
		if cm == nil || cm.key == "" {
			continue
		}
		cm.cm, cm.defined = l.findConfigMap(c, cms, cm.configMap)
		if cm.cm == nil {
			continue
		}
		if textValue(cm.cm, cm.key) == nil {
			cm.cm = nil
			continue
		}
		u := use{cm.cm, cm.key}
		if _, ok := mounted[u]; !ok {
			order = append(order, u)
		}
		mounted[u] = append(mounted[u], c)
	}
	// A ConfigMap some container mounts into another product's
	// repository/conf (API Manager, Identity Server) is that product's
	// config: it is left alone.
	elsewhere := map[*configMap]bool{}
	for _, c := range fl.Containers {
		for _, name := range c.otherConfs {
			if m, _ := l.findConfigMap(c, cms, name); m != nil {
				elsewhere[m] = true
			}
		}
	}
	for _, cm := range cms {
		u := use{cm, "deployment.toml"}
		if _, ok := mounted[u]; ok || elsewhere[cm] || !l.runsMI(fl, filepath.Dir(cm.file.Abs)) {
			continue
		}
		if textValue(cm, u.key) != nil {
			order = append(order, u)
		}
	}
	for _, u := range order {
		cs := mounted[u]
		rtName := ""
		for _, c := range cs {
			if c.confMount.runtime != "" {
				rtName = c.confMount.runtime
				break
			}
		}
		in := l.embeddedInstall(u.cm, u.key, rtName, cs)
		if in == nil {
			continue
		}
		for _, c := range cs {
			c.confMount.install = in
		}
		fl.Installs = append(fl.Installs, in)
		fl.Hosts = append(fl.Hosts, in.Host)
		for _, rt := range in.Runtimes {
			fl.Files = append(fl.Files, rt.File)
		}
	}
	sort.Slice(fl.Installs, func(a, b int) bool { return fl.Installs[a].Root < fl.Installs[b].Root })
	sort.Slice(fl.Hosts, func(a, b int) bool { return fl.Hosts[a].Name < fl.Hosts[b].Name })
	sort.Slice(fl.Files, func(a, b int) bool { return fl.Files[a].Path < fl.Files[b].Path })
}

// runsMI reports whether the repository of dir runs an MI: a workload of
// an official MI image, or an MI install on disk. A deployment.toml that
// no workload mounts is taken for an MI's only there: API Manager and
// Identity Server configs have that name too, and their keys are not
// MI's.
func (l *loader) runsMI(fl *Fleet, dir string) bool {
	scope := l.scopeOf(dir)
	in := func(d string) bool { return scope == "" || d == scope || within(d, scope) }
	for _, c := range fl.Containers {
		if p, _ := ImageProduct(c.Image); c.ImageKnown && p == MI && in(c.dir) {
			return true
		}
	}
	for _, inst := range fl.Installs {
		if inst.Product == MI && !inst.Embedded() && in(l.abs(inst.Root)) {
			return true
		}
	}
	return false
}

// textValue returns the value of a ConfigMap's key when it is a string:
// Kubernetes refuses any other (a number, null, a !!binary scalar, which
// belongs in binaryData), so no server runs it.
func textValue(cm *configMap, key string) *yaml.Node {
	_, v := yamlast.Get(cm.data, key)
	if v = yamlast.Resolve(v); v == nil || v.Kind != yaml.ScalarNode || v.ShortTag() != "!!str" {
		return nil
	}
	return v
}

// findConfigMap returns the ConfigMap a container names, in its namespace:
// the one in the container's own file, else the only one in the manifests
// of its repository; nil when there is none or several. n is how many
// its repository defines.
func (l *loader) findConfigMap(c *Container, cms []*configMap, name string) (_ *configMap, n int) {
	var hits []*configMap
	scope := l.scopeOf(c.dir)
	for _, m := range cms {
		if m.name != name || m.ns != c.Namespace {
			continue
		}
		if m.file == c.File {
			return m, 1
		}
		if s := l.scopeOf(filepath.Dir(m.file.Abs)); s == scope {
			hits = append(hits, m)
		}
	}
	if len(hits) == 1 {
		return hits[0], 1
	}
	return nil, len(hits)
}

// configMapsFor returns the ConfigMaps a container can take files and
// variables from: those of its own file first, then the others of its
// repository (or of the tree its nearest .wso2lint.yaml governs), so that
// what it reads does not depend on what else is linted.
func (l *loader) configMapsFor(c *Container, cms []*configMap) []*configMap {
	var own, near []*configMap
	scope := l.scopeOf(c.dir)
	for _, m := range cms {
		switch {
		case m.file == c.File:
			own = append(own, m)
		case l.scopeOf(filepath.Dir(m.file.Abs)) == scope:
			near = append(near, m)
		}
	}
	return append(own, near...)
}

// scopeOf memoises scopeRoot by directory.
func (l *loader) scopeOf(dir string) string {
	scope, ok := l.scopes[dir]
	if !ok {
		scope = scopeRoot(dir)
		if l.scopes == nil {
			l.scopes = map[string]string{}
		}
		l.scopes[dir] = scope
	}
	return scope
}

// embeddedInstall reads the config a ConfigMap carries under key and
// makes it an install of one runtime: an MI (or MI Dashboard) for a TOML
// key, an EI Analytics runtime named rtName for a YAML one. It returns nil
// for a YAML key that is no Carbon runtime configuration.
func (l *loader) embeddedInstall(cm *configMap, key, rtName string, cs []*Container) *Install {
	root := cm.file.Path + "#" + objectKey("ConfigMap", cm.ns, cm.name)
	if key != "deployment.toml" && key != "deployment.yaml" {
		root += "/" + key
	}
	format := TOML
	if rtName != "" || strings.HasSuffix(key, ".yaml") || strings.HasSuffix(key, ".yml") {
		format = YAML
	}
	f := embeddedFile(cm, key, format)
	product := MI
	switch {
	case format == YAML:
		if !HasCarbonKey(f.YAML) && (f.Problem == nil || !looksCarbon(f.Src)) {
			return nil
		}
		product = EIAnalytics
		if rtName == "" {
			rtName = guessEIRuntime("", f.YAML)
		}
	case IsDashboardTOML(f.TOML):
		product = MIDashboard
	}
	in := &Install{Root: root, Product: product, Release: catalog.AnyRelease, Host: &Host{Name: root}}
	in.Host.Installs = []*Install{in}
	rt := &Runtime{Install: in, Name: rtName, File: f}
	in.Runtimes = []*Runtime{rt}
	switch product {
	case MI:
		in.Release = l.embeddedRelease(l.relBase(cm.file.Abs)+strings.TrimPrefix(root, cm.file.Path), cs)
		buildMI(rt, l.opt.Env)
	case MIDashboard:
		buildDashboard(rt, l.opt.Env)
	case EIAnalytics:
		buildEI(rt, l.opt.Env)
	}
	return in
}

// embeddedRelease returns the MI release of a ConfigMap's config: the
// first mi-version glob that matches rel, its root relative to the
// configuration's directory (the manifest's path and the ConfigMap:
// "k8s/mi.yaml#ConfigMap/mi-conf"), else the version that
// the tags of the images of the containers that mount it agree on, else
// catalog.AnyRelease.
func (l *loader) embeddedRelease(rel string, cs []*Container) int {
	for _, v := range l.opt.MIVersions {
		if ok, _ := doublestar.Match(v.Glob, rel); ok {
			return v.Release
		}
	}
	release := catalog.AnyRelease
	for i, c := range cs {
		r := catalog.AnyRelease
		if c.ImageKnown {
			if v := tagVersion(imageTag(c.Image)); v != "" {
				if got, ok := catalog.ParseRelease(v); ok {
					r = got
				}
			}
		}
		if i > 0 && r != release {
			return catalog.AnyRelease
		}
		release = r
	}
	return release
}

// imageTag returns an image reference's tag, "" when it has none.
func imageTag(image string) string {
	if i := strings.IndexByte(image, '@'); i >= 0 {
		image = image[:i]
	}
	if i := strings.LastIndexByte(image, ':'); i > strings.LastIndexByte(image, '/') {
		return image[i+1:]
	}
	return ""
}

// embeddedFile reads the value of a ConfigMap's key as a file of the given
// format whose offsets map into the manifest. A literal block scalar maps
// exactly and takes fixes; a quoted or plain scalar maps exactly when
// written on one line, and any scalar this reading does not reproduce maps
// to its first byte (a finding still names the line).
func embeddedFile(cm *configMap, key string, format Format) *File {
	mf := cm.file
	d := mf.YAML
	k, _ := yamlast.Get(cm.data, key)
	v := textValue(cm, key)
	off := d.Offset(v)
	var txt *embedded.Text
	if v.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		koff := d.Offset(k)
		parent := koff - mf.Lines.LineStart(mf.Lines.Pos(koff).Line)
		if t, ok := embedded.Block(mf.Src, off, parent); ok && t.Value == v.Value {
			txt = t
		}
	} else if v.Style&yaml.FlowStyle == 0 {
		txt = embedded.Scalar(mf.Src, off, v.Value)
	}
	if txt == nil || txt.Value != v.Value {
		txt = embedded.Inexact(v.Value, off)
	}
	path := cm.file.Path + "#" + objectKey("ConfigMap", cm.ns, cm.name) + "/" + key
	f := &File{Path: path, Abs: mf.Abs + "#" + objectKey("ConfigMap", cm.ns, cm.name) + "/" + key,
		Format: format, Mode: mf.Mode, pinned: true, outer: mf, embed: txt,
		embedKey: objectKey("ConfigMap", cm.ns, cm.name) + ".data[" + key + "]"}
	f.setSource([]byte(v.Value))
	return f
}

// Embedded reports whether the install is a config a ConfigMap carries.
func (in *Install) Embedded() bool {
	return len(in.Runtimes) > 0 && in.Runtimes[0].File != nil && in.Runtimes[0].File.outer != nil
}
