package fleet

import (
	"bytes"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"

	"github.com/wso2lint/wso2lint/internal/srcpos"
)

// This file is the model of what runs installs in containers: docker
// compose services and Kubernetes workloads, the ports they declare, the
// host ports they publish, and which install each one runs.
// The parsing lives in compose.go and k8s.go, the mapping in mapping.go.

// Container is one compose service, or one container of a Kubernetes
// workload's pod template.
type Container struct {
	File *File
	// Kind is "service" for a compose service, else the Kubernetes kind
	// (Deployment, StatefulSet, DaemonSet, ReplicaSet, Pod, Job, CronJob).
	Kind string
	// Name is the compose service name or the workload's metadata.name.
	Name string
	// Container is the container's name inside a Kubernetes pod; "" for
	// compose.
	Container string
	// Namespace is the workload's namespace ("default" when unset); "" for
	// compose.
	Namespace string
	// Key is the logical path of the service or container, the prefix of
	// its ports' keys: "services.mi" or "Deployment/mi.containers[0]".
	Key string
	// NameSpan covers the service's key or the container's name.
	NameSpan srcpos.Span
	// Image is the image after interpolation; ImageKnown is false when it
	// is absent or holds an unresolved variable.
	Image      string
	ImageKnown bool
	ImageSpan  srcpos.Span
	// Ports lists every container-side port the file names: compose
	// ports targets, expose, health-check probes; Kubernetes
	// containerPort and probe ports.
	Ports []*ContainerPort
	// Publish lists the compose ports entries that publish a container
	// port on the host.
	Publish []*Publish
	// PortsKeySpan covers the `ports:` key of the service or container,
	// or is empty when there is none.
	PortsKeySpan srcpos.Span
	// Mounts lists bind mounts, with sources resolved to absolute paths.
	Mounts []Mount
	// VolumeMounts lists a Kubernetes container's volumeMounts, of any
	// volume, and a compose service's mounts of named or anonymous
	// volumes: only Target and TargetSpan are set.
	VolumeMounts []Mount
	// Labels are the pod template's labels (Kubernetes only).
	Labels map[string]string
	// HostNetwork is set for network_mode: host (compose) or
	// hostNetwork: true (Kubernetes): the container's listeners are the
	// host's ports, and ports entries are ignored.
	HostNetwork bool
	// NetworkMode is compose's network_mode when it is neither empty nor
	// "host": "service:NAME" or "container:NAME" (the container shares
	// that one's network), or a network driver's name.
	NetworkMode string
	// Host is the host the compose file runs on: the directory of the
	// file, or a host of the configuration's hosts mapping; "" for
	// Kubernetes.
	Host string

	// Startup lists what the container passes the server at start-up,
	// in precedence order: its command arguments, then JAVA_OPTS and the
	// java launcher's variables (environment, env_file, a ConfigMap).
	// Only the sources that pass a flag wso2lint reads are kept.
	Startup []*Startup

	// Install is the install the container runs, nil when unmapped;
	// Runtimes are the install's runtimes it runs (all of them unless the
	// image or a mount names one). MappedBy says how it was mapped.
	Install  *Install
	Runtimes []*Runtime
	MappedBy string
	// Looks is the product the image (or a mount of install files) says
	// the container runs, "" for a container that does not look like WSO2.
	Looks Product
	// Unmapped says why a container that looks like WSO2 runs no install
	// of the linted tree; "" when it is mapped or does not look like WSO2.
	Unmapped string
	// PeerURLs are the URLs of other services that a compose service
	// running no install of the linted tree names in its own config
	// (EI 6.x's integrator names its analytics worker in carbon.xml).
	PeerURLs []string

	dir string // absolute directory of the file, for relative mounts
	// build is a compose service's build context, nil when it has none.
	build *buildRef
	// confMount is the ConfigMap a Kubernetes container mounts its
	// deployment.toml from, nil when it mounts none.
	confMount *confMount
	// otherConfs names the ConfigMaps a Kubernetes container mounts into
	// another product's repository/conf.
	otherConfs []string
	// envFiles are a compose service's env_file paths (interpolated),
	// and envSet the JVM option variables its environment sets, which
	// beat the env files'.
	envFiles []string
	envSet   map[string]bool
	// envRefs are a Kubernetes container's references to ConfigMaps,
	// resolved once every manifest is read (k8s.go).
	envRefs []configMapRef
}

// addStartup keeps a start-up source that passes a flag.
func (c *Container) addStartup(st *Startup) {
	if !st.Empty() {
		c.Startup = append(c.Startup, st)
	}
}

// Title names the container in messages: "compose service mi" or
// "Deployment eia (container portal)".
func (c *Container) Title() string {
	if c.Kind == "service" {
		return "compose service " + c.Name
	}
	s := c.Kind + " " + c.Name
	if c.Container != "" && c.Container != c.Name {
		s += " (container " + c.Container + ")"
	}
	return s
}

// ContainerPort is a port inside a container that a file names.
type ContainerPort struct {
	Container *Container
	// Source says where the port is named: "ports", "expose",
	// "healthcheck" (compose); "containerPort", "readinessProbe",
	// "livenessProbe", "startupProbe" (Kubernetes).
	Source string
	// Key is the logical key path, e.g. "services.mi.ports[1]".
	Key string
	// Port is the number, valid when Known.
	Port  int
	Known bool
	// Name is the port's name: a Kubernetes containerPort's name, or the
	// name a probe refers to (then Port is resolved through the
	// container's ports when it can be).
	Name string
	// ByName is set for a probe that names its port.
	ByName bool
	// Span covers the number as written (for a range, the whole range;
	// for a variable, the whole reference).
	Span srcpos.Span
	// Literal is set when Span holds exactly the decimal digits of Port,
	// so that a fix may rewrite them.
	Literal bool
	// Protocol is "tcp" or "udp" (or "sctp").
	Protocol string
	// Problem explains an unknown port.
	Problem string
	// Scheme and Path are set for a probe that sends an HTTP request: a
	// Kubernetes httpGet (scheme "http" or "https", path "/" when
	// unset), or an http:// or https:// URL to the container itself in a
	// health-check or exec command (path "/" when the URL has none).
	Scheme, Path string
}

// Publish is a compose ports entry that publishes a container port on
// the host.
type Publish struct {
	Container *Container
	Key       string
	// HostIP is the address the port is published on; "" for all.
	HostIP string
	// HostPort is the published port, valid when HostKnown. A port
	// published without a host port gets a random one (HostKnown false,
	// Random true).
	HostPort  int
	HostKnown bool
	Random    bool
	// HostSpan covers the host port as written (the container port when
	// there is none).
	HostSpan srcpos.Span
	Target   *ContainerPort
	Protocol string
}

// buildRef is a compose build: its context directory, its Dockerfile and
// the paths (absolute, in the context) that the Dockerfile copies into
// the image.
type buildRef struct {
	Context, Dockerfile string
	Copies              []string
}

// Mount is a bind mount: a host path (absolute, cleaned) mounted into the
// container.
type Mount struct {
	Source string
	Span   srcpos.Span
	// Target is the path inside the container ("" when the entry names
	// none or it holds an unresolved variable); TargetSpan covers it as
	// written, or the whole entry when it cannot be placed exactly.
	Target     string
	TargetSpan srcpos.Span
}

// KubeService is a Kubernetes Service.
type KubeService struct {
	File      *File
	Name      string
	Namespace string
	Key       string
	NameSpan  srcpos.Span
	// Selector is spec.selector; an empty selector selects nothing.
	Selector map[string]string
	Ports    []*ServicePort
	// Selected are the containers of the workloads whose pod labels the
	// selector matches, in the linted tree.
	Selected []*Container
	// Install is set when the configuration maps the Service itself to an
	// install (containers: in .wso2lint.yaml).
	Install  *Install
	Runtimes []*Runtime
}

// ServicePort is one entry of a Service's spec.ports.
type ServicePort struct {
	Service *KubeService
	Key     string
	Name    string
	// Port is the Service's own port.
	Port      int
	PortKnown bool
	PortSpan  srcpos.Span
	NodePort  int
	// Target is the targetPort: a number, or a name resolved through the
	// selected pods' container ports (Known then says it resolved). With
	// no targetPort it is the port itself.
	Target *ContainerPort
}

// Skipped is a file wso2lint recognised but did not read.
type Skipped struct {
	Path   string
	Reason string
}

// composeNames are the file names docker compose reads by default.
var composeNames = map[string]bool{
	"compose.yaml": true, "compose.yml": true, "docker-compose.yaml": true, "docker-compose.yml": true,
}

// IsComposeName reports whether a file name is one docker compose reads:
// compose.yaml, docker-compose.yml, a *.compose.yaml override, and the
// compose.override.yaml forms.
func IsComposeName(name string) bool {
	if composeNames[name] {
		return true
	}
	for _, suf := range []string{".compose.yaml", ".compose.yml"} {
		if strings.HasSuffix(name, suf) && len(name) > len(suf) {
			return true
		}
	}
	for _, pre := range []string{"compose.", "docker-compose."} {
		if strings.HasPrefix(name, pre) && (strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml")) {
			return true // compose.override.yaml, docker-compose.prod.yml
		}
	}
	return false
}

// classifyContainerFile classifies a compose file or a YAML file that may
// be a Kubernetes manifest (decided after reading it).
func classifyContainerFile(abs string) (candidate, bool) {
	name := filepath.Base(abs)
	switch {
	case IsComposeName(name):
		return candidate{abs: abs, kind: "compose"}, true
	case name == ".wso2lint.yaml" || name == "deployment.yaml":
		return candidate{}, false
	case kustomizationNames[name]:
		return candidate{abs: abs, kind: "kustomize"}, true
	case strings.HasSuffix(name, ".yaml") || strings.HasSuffix(name, ".yml"):
		return candidate{abs: abs, kind: "k8s"}, true
	}
	return candidate{}, false
}

// takeContainerCands removes the compose and manifest candidates from the
// loader's list, to be loaded by loadContainerFiles; both stay in path
// order, as the list is.
func (l *loader) takeContainerCands() []candidate {
	isContainer := func(c candidate) bool { return c.kind == "compose" || c.kind == "k8s" || c.kind == "kustomize" }
	n := 0
	for _, c := range l.found {
		if isContainer(c) {
			n++
		}
	}
	keep, out := make([]candidate, 0, len(l.found)-n), make([]candidate, 0, n)
	for _, c := range l.found {
		if isContainer(c) {
			out = append(out, c)
		} else {
			keep = append(keep, c)
		}
	}
	l.found = keep
	return out
}

// containerFile is a loaded compose file or manifest.
type containerFile struct {
	file    *File
	kind    string // "compose", "k8s" or "kustomize"
	skipped string // why a recognised file is not parsed
}

// loadContainerFiles reads the compose files and possible manifests in
// parallel. A YAML file that is not a manifest is dropped without a
// word; a Helm template is recorded as skipped, not parsed.
func (l *loader) loadContainerFiles(cands []candidate) []containerFile {
	out := make([]containerFile, len(cands))
	var wg sync.WaitGroup
	var crash workerPanic
	work := make(chan int)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				crash.guard(func() { out[i] = l.loadContainerFile(cands[i]) })
			}
		}()
	}
	for i := range cands {
		work <- i
	}
	close(work)
	wg.Wait()
	crash.repanic()
	return out
}

func (l *loader) loadContainerFile(c candidate) containerFile {
	display := l.display(c.abs)
	if c.kind == "compose" || c.kind == "kustomize" {
		return containerFile{file: loadFile(c.abs, display, YAML, l.opt.MaxFileSize, l.opt.Overlay[c.abs]), kind: c.kind}
	}
	src := l.opt.Overlay[c.abs]
	if src == nil {
		var err error
		if src, _, err = readRegular(c.abs, l.opt.MaxFileSize); err != nil {
			return containerFile{} // not known to be ours: no finding
		}
	}
	if !looksManifest(src) {
		return containerFile{}
	}
	if bytes.Contains(src, []byte("{{")) {
		return containerFile{file: &File{Path: display, Abs: c.abs, Format: YAML}, kind: "k8s", skipped: helmNote}
	}
	f := loadFile(c.abs, display, YAML, l.opt.MaxFileSize, src)
	if f.YAML != nil && !hasManifest(f) {
		return containerFile{}
	}
	return containerFile{file: f, kind: "k8s"}
}

// helmNote is why a Helm template is not read.
const helmNote = "Helm template (contains {{ }}): not parsed; lint the rendered manifests (helm template) instead"

// looksManifest reports whether a file has top-level apiVersion and kind
// keys, the mark of a Kubernetes manifest, without parsing it.
func looksManifest(src []byte) bool {
	return hasTopKey(src, "apiVersion:") && hasTopKey(src, "kind:")
}

func hasTopKey(src []byte, key string) bool {
	return bytes.HasPrefix(src, []byte(key)) || bytes.Contains(src, []byte("\n"+key)) ||
		bytes.HasPrefix(src, []byte("\ufeff"+key))
}

// hasManifest reports whether a parsed YAML file holds at least one
// document with apiVersion and kind.
func hasManifest(f *File) bool {
	for _, d := range f.YAML.Documents {
		if len(d.Content) == 0 {
			continue
		}
		if _, av := YAMLPath(d.Content[0], "apiVersion"); av != nil {
			if _, k := YAMLPath(d.Content[0], "kind"); k != nil {
				return true
			}
		}
	}
	return false
}

// keepManifest is called for a bare deployment.yaml that is not an EI
// Analytics runtime: a Kubernetes manifest or a Helm template of that
// name is kept for the container model.
func (l *loader) keepManifest(f *File) {
	switch {
	case !looksManifest(f.Src):
	case bytes.Contains(f.Src, []byte("{{")):
		l.containers = append(l.containers, containerFile{file: &File{Path: f.Path, Abs: f.Abs, Format: YAML}, kind: "k8s", skipped: helmNote})
	case f.YAML == nil || hasManifest(f):
		l.containers = append(l.containers, containerFile{file: f, kind: "k8s"})
	}
}

// buildContainers loads the container files, parses services, workloads
// and Services, and maps them to the fleet's installs.
func (l *loader) buildContainers(fl *Fleet, cands []candidate) {
	var all []containerFile
	for _, cf := range append(l.loadContainerFiles(cands), l.containers...) {
		if cf.file != nil {
			all = append(all, cf)
		}
	}
	sort.SliceStable(all, func(i, j int) bool { return all[i].file.Path < all[j].file.Path })
	added := false
	envFiles := map[string]*File{}
	var configMaps []*configMap
	var gens []*cmGenerator
	for _, cf := range all {
		f := cf.file
		if cf.skipped != "" {
			fl.Skipped = append(fl.Skipped, Skipped{Path: f.Path, Reason: cf.skipped})
			continue
		}
		fl.Files = append(fl.Files, f)
		added = true
		if f.YAML == nil || f.Problem != nil {
			continue
		}
		switch cf.kind {
		case "compose":
			dir := filepath.Dir(f.Abs)
			env := readDotEnv(filepath.Join(dir, ".env"), l.opt.MaxFileSize)
			for _, c := range parseCompose(f, env) {
				c.dir = dir
				c.Host = l.hostOf(f.Path)
				l.readEnvFiles(fl, c, env, envFiles)
				fl.Containers = append(fl.Containers, c)
			}
		case "k8s":
			cs, svcs, cms := parseManifests(f)
			for _, c := range cs {
				c.dir = filepath.Dir(f.Abs)
			}
			fl.Containers = append(fl.Containers, cs...)
			fl.Services = append(fl.Services, svcs...)
			configMaps = append(configMaps, cms...)
		case "kustomize":
			gens = append(gens, parseKustomization(f)...)
		}
	}
	l.generatedConfs(fl, configMaps, gens)
	for _, c := range fl.Containers {
		resolveConfigMapRefs(c, l.configMapsFor(c, configMaps))
	}
	l.embeddedInstalls(fl, configMaps)
	if added || len(envFiles) > 0 {
		sort.Slice(fl.Files, func(a, b int) bool { return fl.Files[a].Path < fl.Files[b].Path })
	}
	l.mapContainers(fl)
	l.readPeerURLs(fl)
}

// readEnvFiles reads the env_file files of a compose service for JVM
// flags in JAVA_OPTS (and the java launcher's variables), unless the
// service's environment sets that variable itself. A file is loaded once
// (files, by absolute path) and joins the fleet's files, so that findings
// can point into it; one that is missing is skipped (compose refuses to
// start, which is not ours to report).
func (l *loader) readEnvFiles(fl *Fleet, c *Container, env map[string]string, files map[string]*File) {
	for _, p := range c.envFiles {
		abs := p
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(c.dir, filepath.FromSlash(p))
		}
		abs = filepath.Clean(abs)
		f := files[abs]
		if f == nil {
			loaded := false
			for _, g := range fl.Files {
				if g.Abs == abs {
					loaded = true
					if g.Format == Text && (!g.Released() || g.Restore() == nil) {
						f = g
					}
				}
			}
			if loaded && f == nil {
				continue // read as something else, or changed on disk since: not read twice
			}
		}
		if f == nil {
			if _, in := l.opt.Overlay[abs]; !in && !regularFile(abs) {
				continue
			}
			f = loadFile(abs, l.display(abs), Text, l.opt.MaxFileSize, l.opt.Overlay[abs])
			fl.Files = append(fl.Files, f)
		}
		files[abs] = f
		st := &Startup{File: f, Origin: "compose:env_file", Runner: c.Title()}
		st.scanEnvFile(func(v string) (string, bool) { return interpolate(v, env) },
			func(name string) bool { return c.envSet[name] })
		c.addStartup(st)
	}
}
