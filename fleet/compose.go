package fleet

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/wso2lint/wso2lint/internal/lazyre"
	"github.com/wso2lint/wso2lint/internal/srcpos"
	"github.com/wso2lint/wso2lint/internal/yamlast"
)

// This file reads docker compose files: each service's image, ports
// (short and long syntax, ranges), expose, health-check probes, bind
// mounts and network mode, with the byte span of every port as written.
// Variables (${VAR}, ${VAR:-default}, $VAR) are resolved from the .env file
// beside the compose file; a variable it does not set and that has no
// default is unknown, never guessed.

// parseCompose returns the services of a compose file.
func parseCompose(f *File, env map[string]string) []*Container {
	d := f.YAML
	_, svcs := lookup(d.Root, "services")
	if svcs == nil || svcs.Kind != yaml.MappingNode {
		return nil
	}
	var out []*Container
	for i := 0; i+1 < len(svcs.Content); i += 2 {
		kn, sv := svcs.Content[i], yamlast.Resolve(svcs.Content[i+1])
		if k, _ := yamlast.Get(svcs, kn.Value); k != kn || sv.Kind != yaml.MappingNode {
			continue // a repeated service name (S002) counts once, as compose reads it
		}
		c := &Container{File: f, Kind: "service", Name: kn.Value, Key: "services." + kn.Value, NameSpan: keySpan(d, kn)}
		if _, im := lookup(sv, "image"); im != nil && im.Kind == yaml.ScalarNode {
			c.Image, c.ImageKnown = interpolate(im.Value, env)
			c.ImageSpan = nodeSpan(d, im)
		}
		if _, nm := lookup(sv, "network_mode"); nm != nil && nm.Kind == yaml.ScalarNode {
			if v, _ := interpolate(nm.Value, env); v == "host" {
				c.HostNetwork = true
			} else if v != "" && v != "bridge" && v != "default" {
				c.NetworkMode = v
			}
		}
		if pk, ports := lookup(sv, "ports"); ports != nil && ports.Kind == yaml.SequenceNode {
			c.PortsKeySpan = keySpan(d, pk)
			for j, item := range ports.Content {
				composePort(c, d, yamlast.Resolve(item), c.Key+".ports["+strconv.Itoa(j)+"]", env)
			}
		}
		if _, exp := lookup(sv, "expose"); exp != nil && exp.Kind == yaml.SequenceNode {
			for j, item := range exp.Content {
				item = yamlast.Resolve(item)
				if item.Kind != yaml.ScalarNode {
					continue
				}
				key := c.Key + ".expose[" + strconv.Itoa(j) + "]"
				sp, base, exact := scalarBase(d, item)
				text, proto := cutProtocol(item.Value)
				c.Ports = append(c.Ports, portParts(c, "expose", key, valuePart{text, 0}, proto, sp, base, exact, env)...)
			}
		}
		if _, hc := lookup(sv, "healthcheck"); hc != nil {
			if _, test := lookup(hc, "test"); test != nil {
				for _, pr := range probeCommand(d, test) {
					pr.Container, pr.Key = c, c.Key+".healthcheck.test"
					pr.Source = "healthcheck"
					c.Ports = append(c.Ports, pr)
				}
			}
		}
		composeStartup(c, sv, env)
		if _, vols := lookup(sv, "volumes"); vols != nil && vols.Kind == yaml.SequenceNode {
			for _, item := range vols.Content {
				if m, ok := composeMount(d, yamlast.Resolve(item), env); ok {
					c.Mounts = append(c.Mounts, m)
				} else if m, ok := composeVolumeMount(d, yamlast.Resolve(item), env); ok {
					c.VolumeMounts = append(c.VolumeMounts, m)
				}
			}
		}
		if _, b := lookup(sv, "build"); b != nil {
			c.build = composeBuild(b, env)
		}
		out = append(out, c)
	}
	return out
}

// composeBuild reads a service's build: a context directory (the scalar
// form, or context: in the long form, "." by default) and its Dockerfile
// (dockerfile:, "Dockerfile" by default, relative to the context). A
// remote context (a URL, a git repository) or one with an unresolved
// variable is left out: wso2lint cannot read it.
func composeBuild(b *yaml.Node, env map[string]string) *buildRef {
	b = yamlast.Resolve(b)
	ctx, file := ".", "Dockerfile"
	switch b.Kind {
	case yaml.ScalarNode:
		ctx = b.Value
	case yaml.MappingNode:
		if _, n := lookup(b, "context"); n != nil && n.Kind == yaml.ScalarNode {
			ctx = n.Value
		}
		if _, n := lookup(b, "dockerfile"); n != nil && n.Kind == yaml.ScalarNode {
			file = n.Value
		}
	default:
		return nil
	}
	ctx, ok1 := interpolate(ctx, env)
	file, ok2 := interpolate(file, env)
	if !ok1 || !ok2 || ctx == "" || strings.Contains(ctx, "://") || strings.HasPrefix(ctx, "git@") {
		return nil
	}
	return &buildRef{Context: ctx, Dockerfile: file}
}

// composeStartup reads what a service passes the server at start-up:
// WSO2's MI image runs `sh micro-integrator.sh "$@"`, so the arguments of
// command (and of an entrypoint that replaces the image's) reach the JVM
// as system properties, and so does JAVA_OPTS from environment. Values
// are interpolated from the .env file like everything else compose reads.
// The env_file files are read by the loader (containers.go).
func composeStartup(c *Container, sv *yaml.Node, env map[string]string) {
	expand := func(v string) (string, bool) { return interpolate(v, env) }
	for _, key := range []string{"command", "entrypoint"} {
		_, n := lookup(sv, key)
		if n == nil {
			continue
		}
		st := &Startup{File: c.File, Origin: "compose:" + key, Runner: c.Title()}
		switch n.Kind {
		case yaml.ScalarNode:
			st.scanYAML(n, expand)
			st.scanInterpolated(n, expand)
		case yaml.SequenceNode:
			for _, it := range n.Content {
				st.scanYAML(yamlast.Resolve(it), expand)
				st.scanInterpolated(yamlast.Resolve(it), expand)
			}
		}
		c.addStartup(st)
	}
	c.envSet = map[string]bool{}
	if _, envn := lookup(sv, "environment"); envn != nil {
		for _, name := range javaOptsVars {
			st := &Startup{File: c.File, Origin: "compose:environment " + name, Runner: c.Title()}
			switch envn.Kind {
			case yaml.MappingNode:
				if k, v := lookup(envn, name); k != nil {
					c.envSet[name] = true
					st.scanYAML(v, expand)
					st.scanInterpolated(v, expand)
				}
			case yaml.SequenceNode:
				for _, it := range envn.Content {
					if it = yamlast.Resolve(it); it.Kind == yaml.ScalarNode && strings.HasPrefix(it.Value, name+"=") {
						c.envSet[name] = true
						st.scanYAML(it, expand)
						st.scanInterpolated(it, expand)
					}
				}
			}
			c.addStartup(st)
		}
	}
	_, ef := lookup(sv, "env_file")
	var refs []*yaml.Node
	switch {
	case ef == nil:
	case ef.Kind == yaml.ScalarNode:
		refs = append(refs, ef)
	case ef.Kind == yaml.SequenceNode:
		for _, it := range ef.Content {
			it = yamlast.Resolve(it)
			if it.Kind == yaml.MappingNode {
				_, it = lookup(it, "path")
			}
			if it != nil && it.Kind == yaml.ScalarNode {
				refs = append(refs, it)
			}
		}
	}
	for _, n := range refs {
		if p, ok := interpolate(n.Value, env); ok && p != "" {
			c.envFiles = append(c.envFiles, p)
		}
	}
}

// lookup is yamlast.Get that also follows aliases and YAML merge keys
// (<<: *defaults), which compose files use to share settings.
func lookup(m *yaml.Node, key string) (k, v *yaml.Node) {
	m = yamlast.Resolve(m)
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	if k, v := yamlast.Get(m, key); k != nil {
		return k, yamlast.Resolve(v)
	}
	_, merge := yamlast.Get(m, "<<")
	merge = yamlast.Resolve(merge)
	if merge == nil {
		return nil, nil
	}
	srcs := []*yaml.Node{merge}
	if merge.Kind == yaml.SequenceNode {
		srcs = merge.Content
	}
	for _, s := range srcs {
		if s = yamlast.Resolve(s); s != nil && s.Kind == yaml.MappingNode && s != m {
			if k, v := yamlast.Get(s, key); k != nil {
				return k, yamlast.Resolve(v)
			}
		}
	}
	return nil, nil
}

// keySpan returns the span of a mapping key.
func keySpan(d *yamlast.Doc, k *yaml.Node) srcpos.Span {
	if sp, ok := d.ScalarSpan(k); ok {
		return sp
	}
	off := d.Offset(k)
	return srcpos.Span{Start: off, End: off + len(k.Value)}
}

// nodeSpan returns a scalar's exact span, else an empty span at its start.
func nodeSpan(d *yamlast.Doc, n *yaml.Node) srcpos.Span {
	if sp, ok := d.ScalarSpan(n); ok {
		return sp
	}
	off := d.Offset(n)
	return srcpos.Span{Start: off, End: off}
}

// scalarBase returns a scalar's token span and, when its bytes reproduce
// its value one to one (a plain scalar, or a quoted one without escapes),
// the offset of the value's first byte, so that a part of the value can
// be located exactly.
func scalarBase(d *yamlast.Doc, n *yaml.Node) (sp srcpos.Span, base int, exact bool) {
	sp, ok := d.ScalarSpan(n)
	if !ok {
		off := d.Offset(n)
		return srcpos.Span{Start: off, End: off}, 0, false
	}
	if n.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0 {
		raw := d.Src[sp.Start:sp.End]
		if len(raw) >= 2 && string(raw[1:len(raw)-1]) == n.Value {
			return sp, sp.Start + 1, true
		}
		return sp, 0, false
	}
	return sp, sp.Start, true
}

// valuePart is a piece of a scalar's value and its offset in the value.
type valuePart struct {
	text string
	off  int
}

// splitOutside splits s at sep, except inside ${...} and [...] (an IPv6
// address).
func splitOutside(s string, sep byte) []valuePart {
	var out []valuePart
	depth, start := 0, 0
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '$' && i+1 < len(s) && s[i+1] == '{':
			depth++
			i++
		case s[i] == '[':
			depth++
		case (s[i] == '}' || s[i] == ']') && depth > 0:
			depth--
		case s[i] == sep && depth == 0:
			out = append(out, valuePart{s[start:i], start})
			start = i + 1
		}
	}
	return append(out, valuePart{s[start:], start})
}

// cutProtocol splits "8080/udp" into "8080" and "udp"; the protocol is
// "tcp" when absent.
func cutProtocol(s string) (string, string) {
	ps := splitOutside(s, '/')
	if len(ps) == 2 && ps[1].text != "" {
		return ps[0].text, strings.ToLower(ps[1].text)
	}
	return s, "tcp"
}

// portRange resolves one port part: a number or a range "lo-hi", with
// variables. literal is set when the part is written as plain digits.
func portRange(text string, env map[string]string) (lo, hi int, known, literal bool, problem string) {
	v, ok := interpolate(text, env)
	if !ok {
		return 0, 0, false, false, "variable in " + strconv.Quote(text) + " has no value (no .env beside the compose file sets it)"
	}
	v = strings.TrimSpace(v)
	a, b, isRange := strings.Cut(v, "-")
	lo, err1 := strconv.Atoi(a)
	hi = lo
	var err2 error
	if isRange {
		hi, err2 = strconv.Atoi(b)
	}
	if err1 != nil || err2 != nil || lo < 0 || hi < lo || hi > 65535 {
		return 0, 0, false, false, strconv.Quote(v) + " is not a port"
	}
	return lo, hi, true, v == text && !isRange && strconv.Itoa(lo) == v, ""
}

// portParts turns one container-side port part into container ports (one
// per port of a range).
func portParts(c *Container, source, key string, p valuePart, proto string, sp srcpos.Span, base int, exact bool, env map[string]string) []*ContainerPort {
	span := sp
	if exact {
		span = srcpos.Span{Start: base + p.off, End: base + p.off + len(p.text)}
	}
	lo, hi, known, literal, problem := portRange(p.text, env)
	if !known {
		return []*ContainerPort{{Container: c, Source: source, Key: key, Span: span, Protocol: proto, Problem: problem}}
	}
	var out []*ContainerPort
	for n := lo; n <= hi && n-lo < 1024; n++ {
		out = append(out, &ContainerPort{Container: c, Source: source, Key: key, Port: n, Known: true,
			Span: span, Literal: literal && exact, Protocol: proto})
	}
	return out
}

// composePort reads one entry of a service's ports, short or long syntax.
func composePort(c *Container, d *yamlast.Doc, n *yaml.Node, key string, env map[string]string) {
	if n.Kind == yaml.MappingNode {
		_, t := lookup(n, "target")
		if t == nil || t.Kind != yaml.ScalarNode {
			return
		}
		proto := "tcp"
		if _, pr := lookup(n, "protocol"); pr != nil && pr.Kind == yaml.ScalarNode {
			proto = strings.ToLower(pr.Value)
		}
		sp, base, exact := scalarBase(d, t)
		targets := portParts(c, "ports", key, valuePart{t.Value, 0}, proto, sp, base, exact, env)
		pub := &Publish{Container: c, Key: key, Protocol: proto, HostSpan: targets[0].Span}
		if _, ip := lookup(n, "host_ip"); ip != nil && ip.Kind == yaml.ScalarNode {
			pub.HostIP, _ = interpolate(ip.Value, env)
		}
		_, pn := lookup(n, "published")
		if pn == nil || pn.Kind != yaml.ScalarNode || pn.Value == "" {
			pub.Random = true
			c.addPublished(targets, pub, 0, 0, false)
			return
		}
		psp, pbase, pexact := scalarBase(d, pn)
		pub.HostSpan = psp
		if pexact {
			pub.HostSpan = srcpos.Span{Start: pbase, End: pbase + len(pn.Value)}
		}
		lo, hi, known, _, _ := portRange(pn.Value, env)
		c.addPublished(targets, pub, lo, hi, known)
		return
	}
	if n.Kind != yaml.ScalarNode {
		return
	}
	sp, base, exact := scalarBase(d, n)
	body, proto := cutProtocol(n.Value)
	parts := splitOutside(body, ':')
	last := parts[len(parts)-1]
	targets := portParts(c, "ports", key, last, proto, sp, base, exact, env)
	pub := &Publish{Container: c, Key: key, Protocol: proto, HostSpan: targets[0].Span}
	if len(parts) == 1 {
		pub.Random = true
		c.addPublished(targets, pub, 0, 0, false)
		return
	}
	host := parts[len(parts)-2]
	if len(parts) >= 3 {
		ip := body[:host.off-1]
		ip, _ = interpolate(strings.TrimSuffix(strings.TrimPrefix(ip, "["), "]"), env)
		pub.HostIP = ip
	}
	if host.text == "" {
		pub.Random = true // "127.0.0.1::8290": a random host port
		c.addPublished(targets, pub, 0, 0, false)
		return
	}
	if exact {
		pub.HostSpan = srcpos.Span{Start: base + host.off, End: base + host.off + len(host.text)}
	} else {
		pub.HostSpan = sp
	}
	lo, hi, known, _, _ := portRange(host.text, env)
	c.addPublished(targets, pub, lo, hi, known)
}

// addPublished records a ports entry's container ports and what it
// publishes: host ports lo..hi paired with the targets, or one port of
// the host range for a single target.
func (c *Container) addPublished(targets []*ContainerPort, tmpl *Publish, lo, hi int, known bool) {
	c.Ports = append(c.Ports, targets...)
	for i, t := range targets {
		p := *tmpl
		p.Target = t
		switch {
		case !known || tmpl.Random:
		case hi == lo:
			p.HostPort, p.HostKnown = lo, true
		case hi-lo == len(targets)-1:
			p.HostPort, p.HostKnown = lo+i, true
		}
		if len(targets) > 1 && hi == lo && known && i > 0 {
			p.HostKnown = false // one host port for a range of targets: compose refuses it
		}
		c.Publish = append(c.Publish, &p)
	}
}

// composeMount reads one entry of a service's volumes and returns it when
// it is a bind mount of a host path that can be resolved, with its target
// inside the container.
func composeMount(d *yamlast.Doc, n *yaml.Node, env map[string]string) (Mount, bool) {
	var m Mount
	switch n.Kind {
	case yaml.ScalarNode:
		v, ok := interpolate(n.Value, env)
		if !ok {
			return Mount{}, false
		}
		src, rest, found := strings.Cut(v, ":")
		if !found || !strings.HasPrefix(src, ".") && !strings.HasPrefix(src, "/") {
			// A path alone is an anonymous volume at that target; a name
			// is a named volume; ~ is a home directory we cannot know.
			return Mount{}, false
		}
		m.Source, m.Span = src, nodeSpan(d, n)
		m.Target, _, _ = strings.Cut(rest, ":")
		m.TargetSpan = m.Span
		if sp, base, exact := scalarBase(d, n); exact && v == n.Value && m.Target != "" {
			start := base + len(src) + 1
			m.TargetSpan = srcpos.Span{Start: start, End: start + len(m.Target)}
		} else if exact {
			m.TargetSpan = sp
		}
	case yaml.MappingNode:
		_, t := lookup(n, "type")
		_, s := lookup(n, "source")
		if t == nil || t.Value != "bind" || s == nil || s.Kind != yaml.ScalarNode {
			return Mount{}, false
		}
		v, ok := interpolate(s.Value, env)
		if !ok || strings.HasPrefix(v, "~") || v == "" {
			return Mount{}, false
		}
		m.Source, m.Span = v, nodeSpan(d, s)
		m.TargetSpan = m.Span
		if _, tg := lookup(n, "target"); tg != nil && tg.Kind == yaml.ScalarNode {
			if tv, ok := interpolate(tg.Value, env); ok {
				m.Target, m.TargetSpan = tv, nodeSpan(d, tg)
			}
		}
	default:
		return Mount{}, false
	}
	return m, true
}

// composeVolumeMount reads one entry of a service's volumes that mounts a
// volume rather than a host path: a named volume (`mi-conf:/target`,
// `type: volume`) or an anonymous one (a target alone). Only its target is
// kept (Source stays empty): a volume's content is not in the linted tree,
// but where it lands in the container is.
func composeVolumeMount(d *yamlast.Doc, n *yaml.Node, env map[string]string) (Mount, bool) {
	var m Mount
	switch n.Kind {
	case yaml.ScalarNode:
		v, ok := interpolate(n.Value, env)
		if !ok || v == "" {
			return Mount{}, false
		}
		src, rest, named := strings.Cut(v, ":")
		off := 0
		switch {
		case named && !strings.HasPrefix(src, ".") && !strings.HasPrefix(src, "/") && !strings.HasPrefix(src, "~"):
			m.Target, _, _ = strings.Cut(rest, ":")
			off = len(src) + 1
		case !named && strings.HasPrefix(v, "/"):
			m.Target = v // an anonymous volume
		default:
			return Mount{}, false
		}
		if m.Target == "" {
			return Mount{}, false
		}
		m.TargetSpan = nodeSpan(d, n)
		if _, base, exact := scalarBase(d, n); exact && v == n.Value {
			m.TargetSpan = srcpos.Span{Start: base + off, End: base + off + len(m.Target)}
		}
	case yaml.MappingNode:
		_, t := lookup(n, "type")
		_, tg := lookup(n, "target")
		if t == nil || t.Value != "volume" || tg == nil || tg.Kind != yaml.ScalarNode {
			return Mount{}, false
		}
		tv, ok := interpolate(tg.Value, env)
		if !ok || tv == "" {
			return Mount{}, false
		}
		m.Target, m.TargetSpan = tv, nodeSpan(d, tg)
	default:
		return Mount{}, false
	}
	return m, true
}

// resolveMounts makes the containers' relative mount sources absolute,
// and reads the Dockerfile of a build context for what it copies into the
// image.
func resolveMounts(c *Container) {
	if c.build != nil && c.dir != "" {
		c.build.read(c.dir)
	}
	for i, m := range c.Mounts {
		if !filepath.IsAbs(m.Source) {
			c.Mounts[i].Source = filepath.Join(c.dir, filepath.FromSlash(m.Source))
		}
		c.Mounts[i].Source = filepath.Clean(c.Mounts[i].Source)
	}
}

// read makes a build's context and Dockerfile absolute (relative to dir,
// the compose file's directory) and lists what the Dockerfile copies from
// the context. A Dockerfile that cannot be read, or larger than any real
// one (1 MiB), copies nothing.
func (b *buildRef) read(dir string) {
	ctx := b.Context
	if !filepath.IsAbs(ctx) {
		ctx = filepath.Join(dir, filepath.FromSlash(ctx))
	}
	b.Context = filepath.Clean(ctx)
	df := b.Dockerfile
	if !filepath.IsAbs(df) {
		df = filepath.Join(b.Context, filepath.FromSlash(df))
	}
	b.Dockerfile = filepath.Clean(df)
	b.Copies = nil
	if fi, err := os.Stat(b.Dockerfile); err != nil || !fi.Mode().IsRegular() || fi.Size() > 1<<20 {
		return
	}
	src, err := os.ReadFile(b.Dockerfile)
	if err != nil {
		return
	}
	for _, s := range dockerfileCopies(string(src)) {
		b.Copies = append(b.Copies, filepath.Join(b.Context, filepath.FromSlash(s)))
	}
}

// dockerfileCopies returns the sources, relative to the build context,
// that a Dockerfile's COPY and ADD instructions take from the context:
// not those of another stage (--from), URLs, or sources holding a
// variable or a wildcard, which cannot be placed.
func dockerfileCopies(src string) []string {
	var out []string
	var lines []string
	cur := ""
	for _, ln := range strings.Split(src, "\n") {
		t := strings.TrimSpace(strings.TrimSuffix(ln, "\r"))
		if cur == "" && strings.HasPrefix(t, "#") {
			continue
		}
		if strings.HasSuffix(t, "\\") {
			cur += strings.TrimSuffix(t, "\\") + " "
			continue
		}
		lines = append(lines, cur+t)
		cur = ""
	}
	lines = append(lines, cur)
	for _, ln := range lines {
		fields := strings.Fields(ln)
		if len(fields) < 3 {
			continue
		}
		if ins := strings.ToUpper(fields[0]); ins != "COPY" && ins != "ADD" {
			continue
		}
		args := fields[1:]
		from := false
		for len(args) > 0 && strings.HasPrefix(args[0], "--") {
			from = from || strings.HasPrefix(args[0], "--from")
			args = args[1:]
		}
		if from || len(args) < 2 {
			continue
		}
		if rest := strings.Join(args, " "); strings.HasPrefix(rest, "[") {
			var arr []string
			if json.Unmarshal([]byte(rest), &arr) != nil || len(arr) < 2 {
				continue
			}
			args = arr
		}
		for _, a := range args[:len(args)-1] {
			if a == "" || strings.ContainsAny(a, "$*?[") || strings.Contains(a, "://") {
				continue
			}
			out = append(out, a)
		}
	}
	return out
}

// probeRes find a port probed on the container itself in a command: nc
// to localhost, an HTTP(S) URL to localhost, bash's /dev/tcp.
var probeRes = []*lazyre.Regexp{
	lazyre.New(`(?:^|[\s;&|(!])(?:nc|ncat|netcat)(?:\s+-\S+(?:\s+[0-9]+)?)*\s+(?:localhost|127\.0\.0\.1|0\.0\.0\.0|::1)\s+([0-9]+)\b`),
	lazyre.New(`\b(?:https?|tcp|ssl)://(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]):([0-9]+)\b`),
	lazyre.New(`/dev/tcp/(?:localhost|127\.0\.0\.1)/([0-9]+)\b`),
}

// probeCommand finds the ports a health-check or exec-probe command
// probes on the container itself. test is a shell string, or a list
// starting with CMD (arguments) or CMD-SHELL (a shell string); a
// Kubernetes exec command is a plain list of arguments.
func probeCommand(d *yamlast.Doc, test *yaml.Node) []*ContainerPort {
	type piece struct {
		text  string
		sp    srcpos.Span
		base  int
		exact bool
		at    int // offset in the joined command
	}
	var pieces []piece
	add := func(n *yaml.Node) {
		n = yamlast.Resolve(n)
		if n.Kind != yaml.ScalarNode {
			return
		}
		sp, base, exact := scalarBase(d, n)
		pieces = append(pieces, piece{text: n.Value, sp: sp, base: base, exact: exact})
	}
	switch test.Kind {
	case yaml.ScalarNode:
		add(test)
	case yaml.SequenceNode:
		items := test.Content
		if len(items) > 0 {
			switch yamlast.Resolve(items[0]).Value {
			case "NONE":
				return nil
			case "CMD", "CMD-SHELL":
				items = items[1:]
			}
		}
		for _, it := range items {
			add(it)
		}
	}
	var b strings.Builder
	for i := range pieces {
		if i > 0 {
			b.WriteByte(' ')
		}
		pieces[i].at = b.Len()
		b.WriteString(pieces[i].text)
	}
	cmd := b.String()
	var out []*ContainerPort
	seen := map[int]bool{}
	for _, re := range probeRes {
		for _, m := range re.FindAllStringSubmatchIndex(cmd, -1) {
			s, e := m[2], m[3]
			if seen[s] {
				continue
			}
			seen[s] = true
			n, err := strconv.Atoi(cmd[s:e])
			if err != nil || n > 65535 {
				continue
			}
			for _, p := range pieces {
				if s < p.at || e > p.at+len(p.text) {
					continue
				}
				cp := &ContainerPort{Port: n, Known: true, Protocol: "tcp", Span: p.sp}
				cp.Scheme, cp.Path = urlSchemePath(cmd, m[0], e)
				if p.exact {
					cp.Span = srcpos.Span{Start: p.base + s - p.at, End: p.base + e - p.at}
					cp.Literal = strconv.Itoa(n) == cmd[s:e]
				}
				out = append(out, cp)
				break
			}
		}
	}
	sortPorts(out)
	return out
}

// urlSchemePath returns the scheme and path of an http:// or https://
// URL that starts at start in cmd and whose port ends at end; "", "" for
// anything else (nc, /dev/tcp, tcp://). The path runs to the next blank
// or quote, without its query.
func urlSchemePath(cmd string, start, end int) (scheme, path string) {
	i := strings.Index(cmd[start:end], "://")
	if i < 0 {
		return "", ""
	}
	scheme = strings.ToLower(cmd[start : start+i])
	if scheme != "http" && scheme != "https" {
		return "", ""
	}
	j := end
	for j < len(cmd) && !strings.ContainsRune(" \t\n'\"`;&|)", rune(cmd[j])) {
		j++
	}
	path = cmd[end:j]
	if k := strings.IndexAny(path, "?#"); k >= 0 {
		path = path[:k]
	}
	if path == "" {
		path = "/"
	}
	return scheme, path
}

// sortPorts orders ports by position.
func sortPorts(ps []*ContainerPort) {
	for i := 1; i < len(ps); i++ {
		for j := i; j > 0 && ps[j].Span.Start < ps[j-1].Span.Start; j-- {
			ps[j], ps[j-1] = ps[j-1], ps[j]
		}
	}
}

// interpolate resolves compose variables in s: $$ is a dollar sign;
// ${VAR}, $VAR; ${VAR:-default} and ${VAR-default}; ${VAR:+alt} and
// ${VAR+alt}; ${VAR:?err} and ${VAR?err}. known is false when a variable
// that env does not set is needed and has no default.
func interpolate(s string, env map[string]string) (string, bool) {
	if !strings.Contains(s, "$") {
		return s, true
	}
	return interpolateFunc(s, func(name string) (string, bool) {
		v, ok := env[name]
		return v, ok
	})
}

// interpolateFunc is interpolate with the variables given by a function.
func interpolateFunc(s string, env func(string) (string, bool)) (string, bool) {
	var b strings.Builder
	known := true
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c != '$':
			b.WriteByte(c)
			i++
		case i+1 < len(s) && s[i+1] == '$':
			b.WriteByte('$')
			i += 2
		case i+1 < len(s) && s[i+1] == '{':
			depth, j := 0, i+1
			for ; j < len(s); j++ {
				if s[j] == '{' {
					depth++
				} else if s[j] == '}' {
					if depth--; depth == 0 {
						break
					}
				}
			}
			if j >= len(s) {
				return "", false
			}
			v, ok := expandVar(s[i+2:j], env)
			known = known && ok
			b.WriteString(v)
			i = j + 1
		default:
			j := i + 1
			for j < len(s) && isVarChar(s[j], j == i+1) {
				j++
			}
			if j == i+1 {
				b.WriteByte('$')
				i++
				continue
			}
			v, ok := env(s[i+1 : j])
			known = known && ok
			b.WriteString(v)
			i = j
		}
	}
	return b.String(), known
}

func isVarChar(c byte, first bool) bool {
	return c == '_' || 'A' <= c && c <= 'Z' || 'a' <= c && c <= 'z' || !first && '0' <= c && c <= '9'
}

// expandVar resolves the inside of ${...}.
func expandVar(expr string, env func(string) (string, bool)) (string, bool) {
	n := 0
	for n < len(expr) && isVarChar(expr[n], n == 0) {
		n++
	}
	name, op := expr[:n], expr[n:]
	val, set := env(name)
	switch {
	case name == "":
		return "", false
	case op == "":
		return val, set
	case strings.HasPrefix(op, ":-"):
		if set && val != "" {
			return val, true
		}
		return interpolateFunc(op[2:], env)
	case strings.HasPrefix(op, "-"):
		if set {
			return val, true
		}
		return interpolateFunc(op[1:], env)
	case strings.HasPrefix(op, ":+"):
		if set && val != "" {
			return interpolateFunc(op[2:], env)
		}
		return "", true
	case strings.HasPrefix(op, "+"):
		if set {
			return interpolateFunc(op[1:], env)
		}
		return "", true
	case strings.HasPrefix(op, ":?"):
		return val, set && val != ""
	case strings.HasPrefix(op, "?"):
		return val, set
	}
	return "", false
}

// readDotEnv reads the .env file compose reads beside a compose file:
// KEY=VALUE lines, optionally with export, single quotes (literal),
// double quotes (escapes), and comments. It returns nil when there is no
// such file.
func readDotEnv(path string, maxSize int64) map[string]string {
	src, _, err := readRegular(path, maxSize)
	if err != nil {
		return nil
	}
	env := map[string]string{}
	for _, line := range strings.Split(string(src), "\n") {
		line = strings.TrimSpace(strings.TrimSuffix(line, "\r"))
		if line == "" || line[0] == '#' {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		k, v, ok := strings.Cut(line, "=")
		k = strings.TrimSpace(k)
		if !ok || k == "" {
			continue
		}
		v = strings.TrimSpace(v)
		switch {
		case strings.HasPrefix(v, "'"):
			if end := strings.IndexByte(v[1:], '\''); end >= 0 {
				env[k] = v[1 : 1+end]
			}
			continue
		case strings.HasPrefix(v, `"`):
			var b strings.Builder
			closed := false
			for i := 1; i < len(v); i++ {
				if v[i] == '\\' && i+1 < len(v) {
					i++
					switch v[i] {
					case 'n':
						b.WriteByte('\n')
					case 't':
						b.WriteByte('\t')
					default:
						b.WriteByte(v[i])
					}
					continue
				}
				if v[i] == '"' {
					closed = true
					break
				}
				b.WriteByte(v[i])
			}
			if !closed {
				continue
			}
			v = b.String()
		default:
			if i := strings.Index(v, " #"); i >= 0 {
				v = strings.TrimSpace(v[:i])
			}
		}
		if r, ok := interpolate(v, env); ok {
			env[k] = r
		}
	}
	return env
}
