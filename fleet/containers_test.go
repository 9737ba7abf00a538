package fleet_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint/linttest"
)

// containerPorts renders every container port of the fleet as
// "file:line:col-endcol key source port [literal]".
func containerPorts(fl *fleet.Fleet) []string {
	var out []string
	for _, c := range fl.Containers {
		for _, p := range c.Ports {
			s, e := c.File.Pos(p.Span.Start), c.File.Pos(p.Span.End)
			v := "?"
			if p.Known {
				v = fmt.Sprint(p.Port)
			}
			line := fmt.Sprintf("%s:%d:%d-%d %s %s %s %q", c.File.Path, s.Line, s.Col, e.Col, p.Key, p.Source, v,
				c.File.Src[p.Span.Start:p.Span.End])
			if p.Literal {
				line += " literal"
			}
			if p.Protocol != "tcp" {
				line += " " + p.Protocol
			}
			out = append(out, line)
		}
	}
	return out
}

// published renders every compose publication as "key host->target".
func published(fl *fleet.Fleet) []string {
	var out []string
	for _, c := range fl.Containers {
		for _, p := range c.Publish {
			host := "?"
			switch {
			case p.Random:
				host = "random"
			case p.HostKnown:
				host = fmt.Sprint(p.HostPort)
			}
			if p.HostIP != "" {
				host = p.HostIP + ":" + host
			}
			t := "?"
			if p.Target.Known {
				t = fmt.Sprint(p.Target.Port)
			}
			out = append(out, fmt.Sprintf("%s %s->%s/%s %q", p.Key, host, t, p.Protocol, c.File.Src[p.HostSpan.Start:p.HostSpan.End]))
		}
	}
	return out
}

// mappings renders how each container is mapped.
func mappings(fl *fleet.Fleet) []string {
	var out []string
	for _, c := range fl.Containers {
		s := c.Key + " -> "
		switch {
		case c.Install != nil:
			var rts []string
			for _, rt := range c.Runtimes {
				rts = append(rts, rt.Name)
			}
			s += c.Install.Root
			if len(c.Runtimes) != len(c.Install.Runtimes) {
				s += "[" + strings.Join(rts, ",") + "]"
			}
			s += " by " + c.MappedBy
		case c.Unmapped != "":
			s += "unmapped: " + c.Unmapped
		default:
			s += "-"
		}
		out = append(out, s)
	}
	return out
}

const miToml = "[server]\nhostname = \"localhost\"\n"

func TestComposePorts(t *testing.T) {
	compose := `services:
  mi:
    image: wso2/wso2mi:4.2.0
    ports:
      - "8290:8290"
      - 8253:8243
      - "127.0.0.1:9164:9164/tcp"
      - "9000-9002:9000-9002"
      - 9201
      - "[::1]::5005"
      - "${HTTP_PORT}:8280"
      - "${HTTPS:-8444}:${HTTPS_TARGET}"
      - target: 9154
        published: "19154"
        host_ip: 10.0.0.1
        protocol: tcp
      - target: 514
        protocol: udp
    expose:
      - "7611"
      - 7711/udp
    healthcheck:
      test: ["CMD", "nc", "-z", "-w", "3", "localhost", "8253"]
  probe2:
    image: busybox
    healthcheck:
      test: ["CMD-SHELL", "curl -fsk https://127.0.0.1:9164/management || exit 1"]
  probe3:
    image: busybox
    healthcheck:
      test: wget -q http://localhost:9201/healthz && echo > /dev/tcp/localhost/8290
`
	fl := linttest.Fleet(t, map[string]string{
		"h1/mi/conf/deployment.toml": miToml,
		"h1/docker-compose.yml":      compose,
		"h1/.env":                    "# ports\nHTTP_PORT=18290 # the host's\nexport HTTPS_TARGET='8253'\n",
	}, fleet.Options{})
	check(t, containerPorts(fl), []string{
		`h1/docker-compose.yml:5:15-19 services.mi.ports[0] ports 8290 "8290" literal`,
		`h1/docker-compose.yml:6:14-18 services.mi.ports[1] ports 8243 "8243" literal`,
		`h1/docker-compose.yml:7:25-29 services.mi.ports[2] ports 9164 "9164" literal`,
		`h1/docker-compose.yml:8:20-29 services.mi.ports[3] ports 9000 "9000-9002"`,
		`h1/docker-compose.yml:8:20-29 services.mi.ports[3] ports 9001 "9000-9002"`,
		`h1/docker-compose.yml:8:20-29 services.mi.ports[3] ports 9002 "9000-9002"`,
		`h1/docker-compose.yml:9:9-13 services.mi.ports[4] ports 9201 "9201" literal`,
		`h1/docker-compose.yml:10:17-21 services.mi.ports[5] ports 5005 "5005" literal`,
		`h1/docker-compose.yml:11:23-27 services.mi.ports[6] ports 8280 "8280" literal`,
		`h1/docker-compose.yml:12:25-40 services.mi.ports[7] ports 8253 "${HTTPS_TARGET}"`,
		`h1/docker-compose.yml:13:17-21 services.mi.ports[8] ports 9154 "9154" literal`,
		`h1/docker-compose.yml:17:17-20 services.mi.ports[9] ports 514 "514" literal udp`,
		`h1/docker-compose.yml:20:10-14 services.mi.expose[0] expose 7611 "7611" literal`,
		`h1/docker-compose.yml:21:9-13 services.mi.expose[1] expose 7711 "7711" literal udp`,
		`h1/docker-compose.yml:23:58-62 services.mi.healthcheck.test healthcheck 8253 "8253" literal`,
		`h1/docker-compose.yml:27:56-60 services.probe2.healthcheck.test healthcheck 9164 "9164" literal`,
		`h1/docker-compose.yml:31:38-42 services.probe3.healthcheck.test healthcheck 9201 "9201" literal`,
		`h1/docker-compose.yml:31:80-84 services.probe3.healthcheck.test healthcheck 8290 "8290" literal`,
	})
	check(t, published(fl), []string{
		`services.mi.ports[0] 8290->8290/tcp "8290"`,
		`services.mi.ports[1] 8253->8243/tcp "8253"`,
		`services.mi.ports[2] 127.0.0.1:9164->9164/tcp "9164"`,
		`services.mi.ports[3] 9000->9000/tcp "9000-9002"`,
		`services.mi.ports[3] 9001->9001/tcp "9000-9002"`,
		`services.mi.ports[3] 9002->9002/tcp "9000-9002"`,
		`services.mi.ports[4] random->9201/tcp "9201"`,
		`services.mi.ports[5] ::1:random->5005/tcp "5005"`,
		`services.mi.ports[6] 18290->8280/tcp "${HTTP_PORT}"`,
		`services.mi.ports[7] 8444->8253/tcp "${HTTPS:-8444}"`,
		`services.mi.ports[8] 10.0.0.1:19154->9154/tcp "19154"`,
		`services.mi.ports[9] random->514/udp "514"`,
	})
}

func TestComposeUnknownVariable(t *testing.T) {
	fl := linttest.Fleet(t, map[string]string{
		"h1/compose.yaml": "services:\n  mi:\n    image: ${MI_IMAGE}\n    ports:\n      - \"${MI_HTTP_PORT}:8290\"\n      - \"8253:${TARGET}\"\n",
	}, fleet.Options{})
	check(t, containerPorts(fl), []string{
		`h1/compose.yaml:5:26-30 services.mi.ports[0] ports 8290 "8290" literal`,
		`h1/compose.yaml:6:15-24 services.mi.ports[1] ports ? "${TARGET}"`,
	})
	check(t, published(fl), []string{
		`services.mi.ports[0] ?->8290/tcp "${MI_HTTP_PORT}"`,
		`services.mi.ports[1] 8253->?/tcp "8253"`,
	})
	if c := fl.Containers[0]; c.ImageKnown || c.Looks != "" {
		t.Errorf("image %q known=%v looks=%q: an unresolved image must stay unknown", c.Image, c.ImageKnown, c.Looks)
	}
}

func TestContainerMapping(t *testing.T) {
	eiServer := "wso2.carbon:\n  id: si\n"
	fl := linttest.Fleet(t, map[string]string{
		"h1/mi-a/conf/deployment.toml":       miToml,
		"h1/mi-b/conf/deployment.toml":       miToml,
		"h1/eia/conf/server/deployment.yaml": eiServer,
		"h1/eia/conf/portal/deployment.yaml": eiServer,
		"h1/dash/conf/deployment.toml":       "[server_config]\nport = 9743\n",
		"h1/docker-compose.yml": `services:
  a:
    image: wso2/wso2mi:4.2.0
    volumes: ["./mi-a/conf:/home/wso2carbon/wso2mi/conf"]
  b:
    build: .
    volumes:
      - type: bind
        source: ./mi-b/conf/deployment.toml
        target: /home/wso2carbon/wso2mi/conf/deployment.toml
  ambiguous:
    image: wso2/wso2mi:4.2.0
  both:
    image: example/tool
    volumes: ["./mi-a:/a", "./mi-b/conf:/b"]
  portal:
    image: wso2/wso2ei-analytics-portal:7.1.0
  server-by-mount:
    image: wso2/wso2ei-analytics:7.1.0
    volumes: ["./eia/conf/server:/home/wso2carbon/conf/server"]
  dashboard:
    image: docker.wso2.com/wso2mi-dashboard:4.2.0
  explicit:
    image: registry.example.com/integration:1
  postgres:
    image: postgres:16
    volumes: ["./pgdata:/var/lib/postgresql/data", "pg:/x"]
`,
	}, fleet.Options{Containers: map[string]string{"explicit": "h1/mi-b"}})
	check(t, mappings(fl), []string{
		"services.a -> h1/mi-a by bind mount h1/mi-a/conf",
		"services.b -> h1/mi-b by bind mount h1/mi-b/conf/deployment.toml",
		"services.ambiguous -> unmapped: the image matches 2 MI installs (h1/mi-a, h1/mi-b); map it under containers: in .wso2lint.yaml",
		"services.both -> unmapped: its volumes mount files of 2 installs (h1/mi-a, h1/mi-b); map it under containers: in .wso2lint.yaml",
		"services.portal -> h1/eia[portal] by image wso2/wso2ei-analytics-portal:7.1.0",
		"services.server-by-mount -> h1/eia[server] by bind mount h1/eia/conf/server",
		"services.dashboard -> h1/dash by image docker.wso2.com/wso2mi-dashboard:4.2.0",
		"services.explicit -> h1/mi-b by containers: in the configuration",
		"services.postgres -> -",
	})
}

func TestKubernetesManifests(t *testing.T) {
	manifests := `apiVersion: apps/v1
kind: Deployment
metadata:
  name: mi
spec:
  template:
    metadata:
      labels: {app: mi, tier: integration}
    spec:
      containers:
        - name: wso2mi
          image: wso2/wso2mi:4.2.0
          ports:
            - containerPort: 8290
              name: http
            - containerPort: 8253
              name: https
          readinessProbe:
            httpGet: {path: /healthz, port: 9201}
          livenessProbe:
            tcpSocket:
              port: https
        - name: sidecar
          image: fluent/fluent-bit
---
apiVersion: v1
kind: Service
metadata:
  name: mi
spec:
  selector: {app: mi}
  ports:
    - name: https
      port: 443
      targetPort: https
    - port: 8290
    - port: 9
      targetPort: nope
---
apiVersion: v1
kind: Service
metadata: {name: other, namespace: prod}
spec:
  selector: {app: mi}
  ports: [{port: 1, targetPort: 2}]
`
	fl := linttest.Fleet(t, map[string]string{
		"h1/mi/conf/deployment.toml":   miToml,
		"k8s/mi.yaml":                  manifests,
		"k8s/chart/templates/svc.yaml": "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n",
		"k8s/deployment.yaml":          "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: wso2/wso2mi, ports: [{containerPort: 8243}]}]\n",
		"k8s/values.yaml":              "image: wso2/wso2mi\n",
	}, fleet.Options{})
	check(t, containerPorts(fl), []string{
		`k8s/deployment.yaml:5:70-74 Pod/p.containers[c].ports[0].containerPort containerPort 8243 "8243" literal`,
		`k8s/mi.yaml:14:30-34 Deployment/mi.containers[wso2mi].ports[0].containerPort containerPort 8290 "8290" literal`,
		`k8s/mi.yaml:16:30-34 Deployment/mi.containers[wso2mi].ports[1].containerPort containerPort 8253 "8253" literal`,
		`k8s/mi.yaml:19:45-49 Deployment/mi.containers[wso2mi].readinessProbe.httpGet.port readinessProbe 9201 "9201" literal`,
		`k8s/mi.yaml:22:21-26 Deployment/mi.containers[wso2mi].livenessProbe.tcpSocket.port livenessProbe 8253 "https"`,
	})
	check(t, mappings(fl), []string{
		"Pod/p.containers[c] -> h1/mi by image wso2/wso2mi",
		"Deployment/mi.containers[wso2mi] -> h1/mi by image wso2/wso2mi:4.2.0",
		"Deployment/mi.containers[sidecar] -> -",
	})
	if len(fl.Services) != 2 {
		t.Fatalf("%d services", len(fl.Services))
	}
	var got []string
	for _, s := range fl.Services {
		for _, p := range s.Ports {
			v := "?"
			if p.Target.Known {
				v = fmt.Sprint(p.Target.Port)
			}
			got = append(got, fmt.Sprintf("%s port %d -> %s (%d selected) %s", p.Key, p.Port, v, len(s.Selected), p.Target.Problem))
		}
	}
	check(t, got, []string{
		"Service/mi.ports[0] port 443 -> 8253 (2 selected) ",
		"Service/mi.ports[1] port 8290 -> 8290 (2 selected) ",
		`Service/mi.ports[2] port 9 -> ? (2 selected) no container of the selected pods names a port "nope"`,
		"Service/prod/other.ports[0] port 1 -> 2 (0 selected) ",
	})
	check(t, skipped(fl), []string{"k8s/chart/templates/svc.yaml: " + fleetHelmNote})
	for _, f := range fl.Files {
		if f.Path == "k8s/values.yaml" {
			t.Errorf("a YAML file that is not a manifest was loaded")
		}
	}
}

const fleetHelmNote = "Helm template (contains {{ }}): not parsed; lint the rendered manifests (helm template) instead"

func skipped(fl *fleet.Fleet) []string {
	var out []string
	for _, s := range fl.Skipped {
		out = append(out, s.Path+": "+s.Reason)
	}
	return out
}

func TestImageProduct(t *testing.T) {
	for image, want := range map[string]string{
		"wso2/wso2mi:4.2.0":                          "mi ",
		"docker.wso2.com/wso2mi-dashboard:4.2.0":     "mi-dashboard ",
		"wso2/wso2ei-analytics-portal:7.1.0":         "ei-analytics portal",
		"wso2/wso2ei-analytics-server:7.1.0":         "ei-analytics server",
		"wso2/wso2ei-analytics:7.1.0":                "ei-analytics ",
		"wso2/wso2si:4.2.0":                          "ei-analytics server",
		"registry:5000/wso2/wso2mi@sha256:abc":       "mi ",
		"postgres:16":                                " ",
		"wso2/wso2-integration-control-plane:latest": " ",
	} {
		p, hint := fleet.ImageProduct(image)
		if got := string(p) + " " + hint; got != want {
			t.Errorf("ImageProduct(%q) = %q, want %q", image, got, want)
		}
	}
}

// TestImageMappingPrefersNearInstalls checks that an image maps to the one
// install of its product under the compose file's directory before it
// looks at the whole tree.
func TestImageMappingPrefersNearInstalls(t *testing.T) {
	fl := linttest.Fleet(t, map[string]string{
		"prod/mi/conf/deployment.toml":    miToml,
		"prod/compose.yaml":               "services:\n  mi:\n    image: wso2/wso2mi\n",
		"staging/mi/conf/deployment.toml": miToml,
		"staging/compose.yaml":            "services:\n  mi:\n    image: wso2/wso2mi\n",
		"compose.yaml":                    "services:\n  mi:\n    image: wso2/wso2mi\n",
	}, fleet.Options{})
	check(t, mappings(fl), []string{
		"services.mi -> unmapped: the image matches 2 MI installs (prod/mi, staging/mi); map it under containers: in .wso2lint.yaml",
		"services.mi -> prod/mi by image wso2/wso2mi",
		"services.mi -> staging/mi by image wso2/wso2mi",
	})
}

// TestImageMappingStaysInRepository checks that the image fallback does
// not reach across repositories: a manifest maps to the one MI of its own
// repository whether or not another repository is linted with it, and the
// directory of a .wso2lint.yaml bounds it the same way.
func TestImageMappingStaysInRepository(t *testing.T) {
	repoA := map[string]string{
		"repo-a/.git/HEAD": "ref: refs/heads/main\n",
		"repo-a/micro-integrator/conf/deployment.toml": miToml,
		"repo-a/deploy/docker-compose.yml":             "services:\n  mi:\n    image: wso2/wso2mi:4.2.0\n",
		"repo-a/k8s/mi.yaml":                           "apiVersion: v1\nkind: Pod\nmetadata: {name: mi}\nspec:\n  containers:\n  - {name: mi, image: wso2/wso2mi:4.2.0}\n",
	}
	alone := linttest.Fleet(t, repoA, fleet.Options{})
	check(t, mappings(alone), []string{
		"services.mi -> repo-a/micro-integrator by image wso2/wso2mi:4.2.0",
		"Pod/mi.containers[mi] -> repo-a/micro-integrator by image wso2/wso2mi:4.2.0",
	})

	both := map[string]string{
		"repo-b/.git":                      "gitdir: /elsewhere/worktrees/b\n", // a worktree's .git is a file
		"repo-b/mi/conf/deployment.toml":   miToml,
		"team/.wso2lint.yaml":              "ignore: []\n",
		"team/svc/mi/conf/deployment.toml": miToml,
		"team/deploy/compose.yaml":         "services:\n  mi:\n    image: wso2/wso2mi\n",
		"loose/compose.yaml":               "services:\n  mi:\n    image: wso2/wso2mi\n",
	}
	for k, v := range repoA {
		both[k] = v
	}
	fl := linttest.Fleet(t, both, fleet.Options{})
	check(t, mappings(fl), []string{
		// loose/ has neither a repository nor a configuration above it:
		// every MI of the linted tree counts.
		"services.mi -> unmapped: the image matches 3 MI installs (repo-a/micro-integrator, repo-b/mi, team/svc/mi); map it under containers: in .wso2lint.yaml",
		"services.mi -> repo-a/micro-integrator by image wso2/wso2mi:4.2.0",
		"Pod/mi.containers[mi] -> repo-a/micro-integrator by image wso2/wso2mi:4.2.0",
		"services.mi -> team/svc/mi by image wso2/wso2mi",
	})
}

// TestBuildContextMapping checks that a compose service built from a
// context whose Dockerfile copies an install's config into the image runs
// that install, as a bind mount of it would.
func TestBuildContextMapping(t *testing.T) {
	fl := linttest.Fleet(t, map[string]string{
		"micro-integrator/conf/deployment.toml": miToml,
		"micro-integrator/Dockerfile": "FROM wso2/wso2mi:4.2.0\n# the project's config\n" +
			"COPY --chown=wso2carbon:wso2carbon conf/deployment.toml \\\n     ${WSO2_SERVER_HOME}/conf/deployment.toml\n",
		"other/conf/deployment.toml": miToml,
		"other/build/Dockerfile.mi":  "FROM wso2/wso2mi:4.2.0\nADD [\"other/conf\", \"/home/wso2carbon/wso2mi-4.2.0/conf\"]\n",
		"stage/conf/deployment.toml": miToml,
		"stage/Dockerfile":           "FROM maven AS build\nCOPY --from=build /src/conf /home/wso2carbon/wso2mi-4.2.0/conf\nADD https://example.com/x.toml /tmp/\nCOPY *.car /cars/\n",
		"docker-compose.yml": "services:\n  mi:\n    build: ./micro-integrator\n    ports: [\"8290:8290\"]\n" +
			"  other:\n    build: {context: ., dockerfile: other/build/Dockerfile.mi}\n" +
			"  stage:\n    build: ./stage\n    image: wso2/wso2mi:4.2.0\n" +
			"  remote:\n    build: https://github.com/example/mi.git\n",
	}, fleet.Options{})
	check(t, mappings(fl), []string{
		"services.mi -> micro-integrator by Dockerfile micro-integrator/Dockerfile copying micro-integrator/conf/deployment.toml",
		"services.other -> other by Dockerfile other/build/Dockerfile.mi copying other/conf",
		// Copies from another stage, URLs and wildcards say nothing: the
		// image decides, and three MI installs are in the tree.
		"services.stage -> unmapped: the image matches 3 MI installs (micro-integrator, other, stage); map it under containers: in .wso2lint.yaml",
		"services.remote -> -",
	})
}

// TestConfigMapConfig checks that a Kubernetes container that mounts a
// ConfigMap's deployment.toml over its conf/ runs the ConfigMap's config,
// not the install that happens to be beside the manifest, and that a
// container that does not mount it never runs it.
func TestConfigMapConfig(t *testing.T) {
	pod := func(name, volume, mount string) string {
		return "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " + name + "}\nspec:\n  template:\n    spec:\n" +
			"      containers:\n        - name: mi\n          image: wso2/wso2mi:4.2.0\n          volumeMounts:\n" + mount +
			"      volumes:\n" + volume + "---\n"
	}
	fl := linttest.Fleet(t, map[string]string{
		"mi/conf/deployment.toml": miToml,
		"k8s/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: mi-conf}\ndata:\n  deployment.toml: |\n    [server]\n    offset = 5\n" +
			"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: logging}\ndata:\n  log4j2.properties: |\n    rootLogger.level = INFO\n",
		"k8s/workloads.yaml": pod("subpath", "        - {name: conf, configMap: {name: mi-conf}}\n",
			"            - {name: conf, mountPath: /home/wso2carbon/wso2mi-4.2.0/conf/deployment.toml, subPath: deployment.toml}\n") +
			pod("whole", "        - {name: conf, configMap: {name: mi-conf}}\n",
				"            - {name: conf, mountPath: /home/wso2carbon/wso2mi-4.2.0/conf}\n") +
			pod("items", "        - name: conf\n          configMap:\n            name: other\n            items: [{key: mi.toml, path: deployment.toml}]\n",
				"            - {name: conf, mountPath: /home/wso2carbon/wso2mi-4.2.0/conf/}\n") +
			// Near misses: a ConfigMap without deployment.toml over conf/,
			// a log config by subPath, a ConfigMap outside the linted tree.
			pod("logs", "        - {name: conf, configMap: {name: logging}}\n",
				"            - {name: conf, mountPath: /home/wso2carbon/wso2mi-4.2.0/conf}\n") +
			pod("log4j", "        - {name: conf, configMap: {name: logging}}\n",
				"            - {name: conf, mountPath: /home/wso2carbon/wso2mi-4.2.0/conf/log4j2.properties, subPath: log4j2.properties}\n") +
			pod("unseen", "        - {name: conf, configMap: {name: elsewhere}}\n",
				"            - {name: conf, mountPath: /home/wso2carbon/wso2mi-4.2.0/conf}\n"),
	}, fleet.Options{})
	check(t, mappings(fl), []string{
		"Deployment/subpath.containers[mi] -> k8s/cm.yaml#ConfigMap/mi-conf by ConfigMap mi-conf mounted at /home/wso2carbon/wso2mi-4.2.0/conf/deployment.toml",
		"Deployment/whole.containers[mi] -> k8s/cm.yaml#ConfigMap/mi-conf by ConfigMap mi-conf mounted at /home/wso2carbon/wso2mi-4.2.0/conf",
		"Deployment/items.containers[mi] -> unmapped: it runs the mi.toml of ConfigMap other mounted at /home/wso2carbon/wso2mi-4.2.0/conf, which no linted manifest of its repository defines in namespace default",
		"Deployment/logs.containers[mi] -> mi by image wso2/wso2mi:4.2.0",
		"Deployment/log4j.containers[mi] -> mi by image wso2/wso2mi:4.2.0",
		"Deployment/unseen.containers[mi] -> mi by image wso2/wso2mi:4.2.0",
	})
}

// TestNetwork checks which network each runtime's listeners are in: the
// host's without a container or with the host's network, else the
// container's: a compose service's (shared through network_mode:
// service:NAME) or a pod's.
func TestNetwork(t *testing.T) {
	fl := linttest.Fleet(t, map[string]string{
		"h1/native/conf/deployment.toml": miToml,
		"h1/a/conf/deployment.toml":      miToml,
		"h1/b/conf/deployment.toml":      miToml,
		"h1/c/conf/deployment.toml":      miToml,
		"h1/d/conf/deployment.toml":      miToml,
		"h1/e/conf/deployment.toml":      miToml,
		"h1/docker-compose.yml": "services:\n" +
			"  a:\n    image: wso2/wso2mi:4.2.0\n    volumes: [\"./a/conf:/home/wso2carbon/wso2mi-4.2.0/conf\"]\n" +
			"  b:\n    image: wso2/wso2mi:4.2.0\n    network_mode: \"service:a\"\n    volumes: [\"./b/conf:/home/wso2carbon/wso2mi-4.2.0/conf\"]\n" +
			"  c:\n    image: wso2/wso2mi:4.2.0\n    network_mode: host\n    volumes: [\"./c/conf:/home/wso2carbon/wso2mi-4.2.0/conf\"]\n" +
			"  d:\n    image: wso2/wso2mi:4.2.0\n    network_mode: \"container:proxy\"\n    volumes: [\"./d/conf:/home/wso2carbon/wso2mi-4.2.0/conf\"]\n",
		"k8s/mi/conf/deployment.toml": miToml,
		"k8s/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: mi}\nspec:\n  containers:\n" +
			"  - {name: mi, image: wso2/wso2mi:4.2.0}\n",
	}, fleet.Options{})
	var got []string
	for _, in := range fl.Installs {
		key, title := fl.Network(in.Runtimes[0])
		got = append(got, fmt.Sprintf("%s %q %q", in.Root, strings.ReplaceAll(key, "\x00", "|"), title))
	}
	want := []string{
		`h1/a "h1/docker-compose.yml|service|a" "compose service a"`,
		`h1/b "h1/docker-compose.yml|service|a" "compose service a"`,
		`h1/c "" ""`,
		`h1/d "container:proxy" "container proxy"`,
		`h1/e "" ""`,
		`h1/native "" ""`,
		`k8s/mi "k8s/pod.yaml|pod|Pod/mi" "Pod mi"`,
	}
	if g, w := strings.Join(got, "\n"), strings.Join(want, "\n"); g != w {
		t.Errorf("networks:\n%s\nwant:\n%s", g, w)
	}
}

// TestServiceReaches checks which install and runtimes a Kubernetes
// Service leads to: the first selected container's install, never the
// runtimes of another install that the selector also matches.
func TestServiceReaches(t *testing.T) {
	pod := func(name string) string {
		return "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: " + name + "}\nspec:\n  template:\n" +
			"    metadata: {labels: {app: mi}}\n    spec:\n      containers:\n      - {name: mi, image: wso2/wso2mi}\n---\n"
	}
	fl := linttest.Fleet(t, map[string]string{
		"k/mi-a/conf/deployment.toml": miToml,
		"k/mi-b/conf/deployment.toml": miToml,
		"k/all.yaml": pod("a") + pod("b") +
			"apiVersion: v1\nkind: Service\nmetadata: {name: mi}\nspec:\n  selector: {app: mi}\n  ports: [{port: 80, targetPort: 8290}]\n",
	}, fleet.Options{Containers: map[string]string{"a": "k/mi-a", "b": "k/mi-b"}})
	if len(fl.Services) != 1 || len(fl.Services[0].Selected) != 2 {
		t.Fatalf("want one Service selecting two containers, got %+v", fl.Services)
	}
	in, rts := fl.Services[0].Reaches()
	var got []string
	for _, rt := range rts {
		got = append(got, rt.File.Path)
	}
	if in == nil || in.Root != "k/mi-a" || strings.Join(got, " ") != "k/mi-a/conf/deployment.toml" {
		t.Errorf("Reaches = %v, %v; want k/mi-a and its one runtime", in, got)
	}
}
