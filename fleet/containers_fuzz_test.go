package fleet

import (
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/internal/srcpos"
	"github.com/wso2lint/wso2lint/internal/yamlast"
)

// FuzzContainers feeds arbitrary YAML to the compose and manifest readers
// and the interpolation: they must never panic, and every span must lie
// inside the file.
func FuzzContainers(f *testing.F) {
	for _, s := range []string{
		"services:\n  mi:\n    image: wso2/wso2mi\n    ports: [\"8290:8290\", \"127.0.0.1:9000-9001:9000-9001/udp\", {target: 80, published: \"${P:-8080}\"}]\n" +
			"    expose: [\"7611\"]\n    healthcheck: {test: [\"CMD\", \"nc\", \"-z\", \"localhost\", \"8253\"]}\n    volumes: [\"./a:/b\", {type: bind, source: ./c, target: /d}]\n",
		"x: &d {ports: ['1:2']}\nservices:\n  a:\n    <<: *d\n    image: '${X}'\n",
		"apiVersion: v1\nkind: List\nitems:\n- apiVersion: v1\n  kind: Service\n  spec: {selector: {a: b}, ports: [{port: 1, targetPort: x}]}\n",
		"apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: m}\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        ports: [{containerPort: 1, name: h}]\n        readinessProbe: {httpGet: {port: h}, exec: {command: [sh, -c, 'curl http://localhost:9201/']}}\n",
		"services:\n  mi:\n    image: wso2/wso2mi:4.3.0\n    build: {context: ., dockerfile: D}\n    volumes: [\"./c:/home/wso2carbon/wso2mi-4.0.0/conf:ro\", '/x:/y', \"./z\"]\n" +
			"    healthcheck: {test: \"curl -f https://localhost:9164/management/x?y || exit 1\"}\n",
		"apiVersion: v1\nkind: Pod\nspec:\n  volumes: [{name: v, configMap: {name: c, items: [{key: k, path: deployment.toml}]}}]\n" +
			"  containers:\n  - volumeMounts: [{name: v, mountPath: /a/conf}, {name: v, mountPath: /a/conf/deployment.toml, subPath: k}]\n" +
			"    livenessProbe: {httpGet: {path: /liveness, port: 9201, scheme: HTTPS}}\n",
		"services: [1, 2]\n", "services:\n  a: {ports: [[1]], expose: {a: 1}, healthcheck: {test: {}}}\n",
		"services:\n  a:\n    ports: [\"${A:-${B:-1}}:${C\", \"[::1]::80\", \"::::\", \"-1:99999\"]\n",
		"services:\n  mi:\n    command: >\n      -DportOffset=3\n      -Dcom.sun.management.jmxremote\n    environment: [\"JAVA_OPTS=-DportOffset=${P}\"]\n",
		"apiVersion: v1\nkind: Pod\nspec:\n  containers:\n  - args: [\"-DportOffset=$(O)\"]\n    env: [{name: O, value: '2'}, {name: JAVA_OPTS, valueFrom: {configMapKeyRef: {name: c, key: k}}}]\n" +
			"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {k: \"-DportOffset=\\\"4\\\"\"}\n",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		d, err := yamlast.Parse([]byte(src))
		if err != nil || d.Root == nil {
			return
		}
		file := &File{Path: "f.yaml", Src: []byte(src), Lines: srcpos.NewLines([]byte(src)), YAML: d, Format: YAML}
		inside := func(sp srcpos.Span) {
			if sp.Start < 0 || sp.End < sp.Start || sp.End > len(src) {
				t.Fatalf("span %v outside a %d-byte file", sp, len(src))
			}
		}
		cs := parseCompose(file, map[string]string{"P": "8080"})
		ks, svcs, cms := parseManifests(file)
		for _, c := range ks {
			resolveConfigMapRefs(c, cms)
		}
		for _, c := range append(cs, ks...) {
			for _, st := range c.Startup {
				for _, s := range st.PortOffsets {
					inside(s.KeySpan)
					inside(s.Span)
					if s.Literal && src[s.Span.Start:s.Span.End] != itoa(s.Int) {
						t.Fatalf("literal offset %d spans %q", s.Int, src[s.Span.Start:s.Span.End])
					}
				}
				for _, sp := range st.JMX {
					inside(sp)
				}
			}
			inside(c.NameSpan)
			inside(c.ImageSpan)
			for _, p := range c.Ports {
				inside(p.Span)
				if p.Literal && src[p.Span.Start:p.Span.End] != itoa(p.Port) {
					t.Fatalf("literal port %d spans %q", p.Port, src[p.Span.Start:p.Span.End])
				}
			}
			for _, p := range c.Publish {
				inside(p.HostSpan)
			}
			for _, m := range c.Mounts {
				inside(m.Span)
				inside(m.TargetSpan)
				// A target placed exactly spans its own text.
				if m.TargetSpan.Len() == len(m.Target) && src[m.TargetSpan.Start:m.TargetSpan.End] != m.Target && !strings.Contains(src, "$") {
					t.Fatalf("mount target %q spans %q", m.Target, src[m.TargetSpan.Start:m.TargetSpan.End])
				}
			}
		}
		for _, s := range svcs {
			for _, p := range s.Ports {
				inside(p.PortSpan)
				inside(p.Target.Span)
			}
		}
		_, _ = interpolate(src, map[string]string{"A": "1"})
	})
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for ; n > 0; n /= 10 {
		b = append([]byte{byte('0' + n%10)}, b...)
	}
	return string(b)
}
