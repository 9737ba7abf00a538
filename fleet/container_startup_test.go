package fleet_test

import (
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint/linttest"
)

// TestComposeStartup checks the flags a compose service passes the MI it
// runs: command, entrypoint, environment, env_file and .env
// interpolation, with their near misses.
func TestComposeStartup(t *testing.T) {
	const (
		toml    = "h/mi/conf/deployment.toml"
		compose = "h/docker-compose.yml"
	)
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name: "command list",
			files: map[string]string{compose: "services:\n  mi:\n    image: wso2/wso2mi:4.2.0\n" +
				"    command: [\"-DportOffset=5\", \"-Dfoo=bar\"]\n"},
			want: []string{
				"h/docker-compose.yml:4:16-4:30 5 = 5 literal",
				"h/mi offset 5 (compose:command)",
			},
		},
		{
			name: "command string with a quoted value beats the install's script",
			files: map[string]string{
				compose:                        "services:\n  mi:\n    image: wso2/wso2mi:4.2.0\n    command: -Dx=1 -DportOffset='6'\n",
				"h/mi/bin/micro-integrator.sh": "JAVA_OPTS=\"-DportOffset=2\"\n",
			},
			want: []string{
				"h/docker-compose.yml:4:20-4:36 6 = 6",
				"h/mi/bin/micro-integrator.sh:1:12-1:26 2 = 2 literal",
				"h/mi offset 6 (compose:command)",
			},
		},
		{
			name: "a folded block scalar over several lines",
			files: map[string]string{compose: "services:\n  mi:\n    image: wso2/wso2mi:4.2.0\n" +
				"    command: >\n      -Dfoo=1\n      -DportOffset=7\n"},
			want: []string{
				"h/docker-compose.yml:6:7-6:21 7 = 7 literal",
				"h/mi offset 7 (compose:command)",
			},
		},
		{
			name: "commented-out flag and a flag in another service",
			files: map[string]string{compose: "services:\n  mi:\n    image: wso2/wso2mi:4.2.0\n" +
				"    # command: [\"-DportOffset=5\"]\n  tool:\n    image: example/tool\n    command: [\"-DportOffset=9\"]\n" +
				"    environment: {JAVA_OPTS: -DportOffset=8}\n"},
			want: []string{"h/mi offset 10 (default)"},
		},
		{
			name: "environment map and list; command beats JAVA_OPTS",
			files: map[string]string{compose: "services:\n  mi:\n    image: wso2/wso2mi:4.2.0\n" +
				"    command: [\"-DportOffset=3\"]\n    environment:\n      - JAVA_OPTS=-Xmx1g -DportOffset=4\n"},
			want: []string{
				"h/docker-compose.yml:4:16-4:30 3 = 3 literal",
				"h/docker-compose.yml:6:26-6:40 4 = 4 literal",
				"h/mi offset 3 (compose:command)",
			},
		},
		{
			name: ".env interpolation, known and unknown",
			files: map[string]string{
				compose: "services:\n  mi:\n    image: wso2/wso2mi:4.2.0\n    environment:\n" +
					"      JAVA_OPTS: \"-DportOffset=${OFFSET} -DportOffset=${NOPE}\"\n",
				"h/.env": "OFFSET=2\n",
			},
			want: []string{
				"h/docker-compose.yml:5:19-5:41 ${OFFSET} = 2",
				"h/docker-compose.yml:5:42-5:62 ${NOPE} unknown",
				"h/mi offset 2 (compose:environment JAVA_OPTS)",
			},
		},
		{
			name: "the whole JAVA_OPTS from .env: located at the reference",
			files: map[string]string{
				compose:  "services:\n  mi:\n    image: wso2/wso2mi:4.2.0\n    environment:\n      JAVA_OPTS: ${MI_OPTS}\n",
				"h/.env": "MI_OPTS=\"-Xmx1g -DportOffset=6\"\n",
			},
			want: []string{
				"h/docker-compose.yml:5:18-5:28 6 = 6",
				"h/mi offset 6 (compose:environment JAVA_OPTS)",
			},
		},
		{
			name: "JAVA_OPTS from a variable nobody sets passes nothing wso2lint can see",
			files: map[string]string{
				compose: "services:\n  mi:\n    image: wso2/wso2mi:4.2.0\n    environment:\n      JAVA_OPTS: ${MI_OPTS}\n",
			},
			want: []string{"h/mi offset 10 (default)"},
		},
		{
			name: "an unset variable makes the offset unknown",
			files: map[string]string{compose: "services:\n  mi:\n    image: wso2/wso2mi:4.2.0\n" +
				"    command: [\"-DportOffset=${OFFSET}\"]\n"},
			want: []string{
				"h/docker-compose.yml:4:16-4:38 ${OFFSET} unknown",
				"h/mi offset ? (compose:command)",
			},
		},
		{
			name: "env_file, unless environment sets JAVA_OPTS itself",
			files: map[string]string{
				compose: "services:\n  mi:\n    image: wso2/wso2mi:4.2.0\n    env_file: [mi.env, {path: ./missing.env, required: false}]\n" +
					"  mi2:\n    image: wso2/wso2mi:4.2.0\n    env_file: other.env\n    environment: {JAVA_OPTS: -Xmx1g}\n",
				"h/mi.env":    "# JAVA_OPTS=-DportOffset=1\nJAVA_OPTS=\"-DportOffset=4 -Dcom.sun.management.jmxremote\"\nOTHER=-DportOffset=6\n",
				"h/other.env": "JAVA_OPTS=-DportOffset=5\n",
			},
			want: []string{
				"h/mi.env:2:12-2:26 4 = 4 literal",
				"h/mi offset 4 (compose:env_file JAVA_OPTS)",
			},
		},
		{
			name: "an env_file that is also the install's env file counts once",
			files: map[string]string{
				compose:       "services:\n  mi:\n    image: wso2/wso2mi:4.2.0\n    env_file: ./mi/mi.env\n",
				"h/mi/mi.env": "JAVA_OPTS=-DportOffset=3\n",
			},
			want: []string{
				"h/mi/mi.env:1:11-1:25 3 = 3 literal",
				"h/mi offset 3 (compose:env_file JAVA_OPTS)",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{toml: "[server]\n"}
			for k, v := range tt.files {
				files[k] = v
			}
			fl := linttest.Fleet(t, files, fleet.Options{Containers: map[string]string{"mi2": "h/mi"}})
			check(t, startupFlags(fl), tt.want)
		})
	}
}

// TestKubernetesStartup checks the flags a Kubernetes container passes:
// args, env JAVA_OPTS written or from a ConfigMap, $(VAR) references.
func TestKubernetesStartup(t *testing.T) {
	const toml = "h/mi/conf/deployment.toml"
	pod := func(container string) string {
		return "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: mi}\nspec:\n  template:\n    spec:\n      containers:\n" + container
	}
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name: "args",
			files: map[string]string{"h/k8s/mi.yaml": pod("      - name: mi\n        image: wso2/wso2mi:4.2.0\n" +
				"        args:\n          - -Dfoo=1\n          # - -DportOffset=9\n          - \"-DportOffset=3\"\n")},
			want: []string{
				"h/k8s/mi.yaml:13:14-13:28 3 = 3 literal",
				"h/mi offset 3 (k8s:args)",
			},
		},
		{
			name: "env JAVA_OPTS with $(VAR), and a sidecar's flag",
			files: map[string]string{"h/k8s/mi.yaml": pod("      - name: mi\n        image: wso2/wso2mi:4.2.0\n        env:\n" +
				"          - {name: OFF, value: \"4\"}\n          - name: JAVA_OPTS\n            value: -DportOffset=$(OFF)\n" +
				"      - name: side\n        image: busybox\n        args: [\"-DportOffset=1\"]\n")},
			want: []string{
				"h/k8s/mi.yaml:13:20-13:39 $(OFF) = 4",
				"h/mi offset 4 (k8s:env JAVA_OPTS)",
			},
		},
		{
			name: "valueFrom a ConfigMap in another manifest",
			files: map[string]string{
				"h/k8s/mi.yaml": pod("      - name: mi\n        image: wso2/wso2mi:4.2.0\n        env:\n" +
					"          - name: JAVA_OPTS\n            valueFrom: {configMapKeyRef: {name: mi-opts, key: java}}\n"),
				"h/k8s/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: mi-opts}\ndata:\n  java: |\n    -Xmx1g\n    -DportOffset=2\n",
			},
			want: []string{
				"h/k8s/cm.yaml:7:5-7:19 2 = 2 literal",
				"h/mi offset 2 (k8s:configmap mi-opts JAVA_OPTS)",
			},
		},
		{
			name: "valueFrom a ConfigMap nobody linted: unknown",
			files: map[string]string{"h/k8s/mi.yaml": pod("      - name: mi\n        image: wso2/wso2mi:4.2.0\n        env:\n" +
				"          - name: JAVA_OPTS\n            valueFrom: {configMapKeyRef: {name: mi-opts, key: java}}\n")},
			want: []string{
				"h/k8s/mi.yaml:12:49-12:56 ? unknown",
				"h/mi offset ? (k8s:env JAVA_OPTS)",
			},
		},
		{
			// What a manifest reads must not depend on what else is
			// linted: a ConfigMap of another repository is not it.
			name: "valueFrom a ConfigMap of another repository: unknown",
			files: map[string]string{
				"h/.git/HEAD": "ref: refs/heads/main\n",
				"h/k8s/mi.yaml": pod("      - name: mi\n        image: wso2/wso2mi:4.2.0\n        env:\n" +
					"          - name: JAVA_OPTS\n            valueFrom: {configMapKeyRef: {name: mi-opts, key: java}}\n"),
				"other/.git/HEAD":   "ref: refs/heads/main\n",
				"other/k8s/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: mi-opts}\ndata:\n  java: |\n    -DportOffset=2\n",
			},
			want: []string{
				"h/k8s/mi.yaml:12:49-12:56 ? unknown",
				"h/mi offset ? (k8s:env JAVA_OPTS)",
			},
		},
		{
			name: "envFrom, in the same namespace only; env beats envFrom",
			files: map[string]string{
				"h/k8s/mi.yaml": pod("      - name: mi\n        image: wso2/wso2mi:4.2.0\n        envFrom: [{configMapRef: {name: opts}}]\n"),
				"h/k8s/cm.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: opts, namespace: other}\ndata: {JAVA_OPTS: -DportOffset=8}\n" +
					"---\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: opts}\ndata: {JAVA_OPTS: -DportOffset=6, JDK_JAVA_OPTIONS: -DportOffset=7}\n",
			},
			want: []string{
				"h/k8s/cm.yaml:9:19-9:33 6 = 6 literal",
				"h/k8s/cm.yaml:9:53-9:67 7 = 7 literal",
				"h/mi offset 6 (k8s:configmap opts JAVA_OPTS)",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{toml: "[server]\n"}
			for k, v := range tt.files {
				files[k] = v
			}
			fl := linttest.Fleet(t, files, fleet.Options{})
			check(t, startupFlags(fl), tt.want)
		})
	}
}

// TestContainerOffsetMovesPorts checks that the offset a container passes
// moves the ports of the install it runs, and that a fleet built again
// (the fix loop's Reload) starts from the install's own sources.
func TestContainerOffsetMovesPorts(t *testing.T) {
	fl := linttest.Fleet(t, map[string]string{
		"h/mi/conf/deployment.toml": "[server]\noffset = 1\n",
		"h/docker-compose.yml":      "services:\n  mi:\n    image: wso2/wso2mi:4.2.0\n    command: [\"-DportOffset=5\"]\n",
	}, fleet.Options{})
	check(t, ports(fl), []string{"h/mi http 8280+5=8285", "h/mi https 8243+5=8248", "h/mi internal-http 9191+5=9196", "h/mi internal-https 9154+5=9159"})
	fl2 := linttest.Fleet(t, map[string]string{
		"h/mi/conf/deployment.toml": "[server]\noffset = 1\n",
		"h/docker-compose.yml":      "services:\n  mi:\n    image: wso2/wso2mi:4.2.0\n    command: [\"-DportOffset=${X}\"]\n",
	}, fleet.Options{})
	check(t, ports(fl2), []string{"h/mi http ?", "h/mi https ?", "h/mi internal-http ?", "h/mi internal-https ?"})
	if n := fl2.Installs[0].Runtimes[0].Listeners[0].Note; n == "" {
		t.Errorf("no note on a port whose offset is unknown")
	}
	fl3 := linttest.Fleet(t, map[string]string{
		"h/mi/conf/deployment.toml": "[server]\noffset = 1\n",
		"h/docker-compose.yml": "services:\n  a:\n    image: wso2/wso2mi:4.2.0\n    command: [\"-DportOffset=5\"]\n" +
			"  b:\n    image: wso2/wso2mi:4.2.0\n    command: [\"-DportOffset=6\"]\n",
	}, fleet.Options{})
	check(t, ports(fl3), []string{"h/mi http ?", "h/mi https ?", "h/mi internal-http ?", "h/mi internal-https ?"})
	want := "offset unknown: compose service a and compose service b run it with different offsets (5 and 6)"
	if n := fl3.Installs[0].Runtimes[0].Listeners[0].Note; n != want {
		t.Errorf("note = %q, want %q", n, want)
	}
}
