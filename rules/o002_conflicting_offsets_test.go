package rules

import (
	"testing"

	"github.com/wso2lint/wso2lint/lint/linttest"
)

func TestO002ConflictingOffsets(t *testing.T) {
	const (
		toml   = "h1/mi-a/conf/deployment.toml"
		script = "h1/mi-a/bin/micro-integrator.sh"
		wrap   = "h1/mi-a/bin/yajsw/wrapper.conf"
	)
	tests := []struct {
		name    string
		files   map[string]string
		want    []string
		related []string
	}{
		{
			name: "start-up beats the file",
			files: map[string]string{
				toml:   "[server]\noffset = 6\n",
				script: "#!/bin/sh\nJAVA_OPTS=\"$JAVA_OPTS -DportOffset=4\"\n",
			},
			want: []string{
				"h1/mi-a/conf/deployment.toml:2:1-2:11 O002 offset 6 is overridden by -DportOffset=4 in h1/mi-a/bin/micro-integrator.sh, which wins at start-up: " +
					"the HTTP pass-through listener runs on 8284 (8280 + offset 4) and not on 8286 (8280 + offset 6)",
			},
			related: []string{
				"h1/mi-a/bin/micro-integrator.sh:2:23-2:37 -DportOffset=4 in h1/mi-a/bin/micro-integrator.sh (the start-up flag in force)",
			},
		},
		{
			name: "the arithmetic uses the written HTTP port",
			files: map[string]string{
				toml:   "[server]\noffset = \"6\"\n\n[transport.http]\nlistener.port = 9000\n",
				script: "java -DportOffset=4 -jar x.jar\n",
			},
			want: []string{
				"h1/mi-a/conf/deployment.toml:2:1-2:13 O002 offset 6 is overridden by -DportOffset=4 in h1/mi-a/bin/micro-integrator.sh, which wins at start-up: " +
					"the HTTP pass-through listener runs on 9004 (9000 + offset 4) and not on 9006 (9000 + offset 6)",
			},
			related: []string{
				"h1/mi-a/bin/micro-integrator.sh:1:6-1:20 -DportOffset=4 in h1/mi-a/bin/micro-integrator.sh (the start-up flag in force)",
			},
		},
		{
			name: "start-up sources disagree",
			files: map[string]string{
				toml:   "[server]\nhostname = \"a\"\n",
				script: "JAVA_OPTS=\"-DportOffset=4\"\n",
				wrap:   "wrapper.java.additional.5=-Dcom.sun.management.jmxremote\nwrapper.java.additional.9=-DportOffset=7\n",
			},
			want: []string{
				"h1/mi-a/bin/yajsw/wrapper.conf:2:27-2:41 O002 -DportOffset=7 disagrees with -DportOffset=4 in h1/mi-a/bin/micro-integrator.sh, which comes first and wins: " +
					"the HTTP pass-through listener runs on 8284 (8280 + offset 4) or 8287 (8280 + offset 7), depending on how the server is started",
			},
			related: []string{
				"h1/mi-a/bin/micro-integrator.sh:1:12-1:26 -DportOffset=4 in h1/mi-a/bin/micro-integrator.sh (the start-up flag in force)",
			},
		},
		{
			name: "file agrees, a later source does not",
			files: map[string]string{
				toml:                 "[server]\noffset = 4\n",
				script:               "JAVA_OPTS=\"-DportOffset=4\"\n",
				"h1/mi-a/mi.service": "[Service]\nEnvironment=JAVA_OPTS=-DportOffset=3\n",
				"h1/mi-a/mi.env":     "JAVA_OPTS=-DportOffset=4\n",
			},
			want: []string{
				"h1/mi-a/mi.service:2:23-2:37 O002 -DportOffset=3 disagrees with -DportOffset=4 in h1/mi-a/bin/micro-integrator.sh, which comes first and wins: " +
					"the HTTP pass-through listener runs on 8284 (8280 + offset 4) or 8283 (8280 + offset 3), depending on how the server is started",
			},
			related: []string{
				"h1/mi-a/bin/micro-integrator.sh:1:12-1:26 -DportOffset=4 in h1/mi-a/bin/micro-integrator.sh (the start-up flag in force)",
				"h1/mi-a/mi.env:1:11-1:25 -DportOffset=4 in h1/mi-a/mi.env (a later start-up source)",
				"h1/mi-a/conf/deployment.toml:2:1-2:11 offset 4 in h1/mi-a/conf/deployment.toml (agrees with the start-up flag in force)",
			},
		},
		{
			name: "file and start-up both disagree: one finding, at the file",
			files: map[string]string{
				toml:   "[server]\noffset = 6\n",
				script: "JAVA_OPTS=\"-DportOffset=4\"\n",
				wrap:   "wrapper.java.additional.9=-DportOffset=7\n",
			},
			want: []string{
				"h1/mi-a/conf/deployment.toml:2:1-2:11 O002 offset 6 is overridden by -DportOffset=4 in h1/mi-a/bin/micro-integrator.sh, which wins at start-up: " +
					"the HTTP pass-through listener runs on 8284 (8280 + offset 4) and not on 8286 (8280 + offset 6)",
			},
			related: []string{
				"h1/mi-a/bin/micro-integrator.sh:1:12-1:26 -DportOffset=4 in h1/mi-a/bin/micro-integrator.sh (the start-up flag in force)",
				"h1/mi-a/bin/yajsw/wrapper.conf:1:27-1:41 -DportOffset=7 in h1/mi-a/bin/yajsw/wrapper.conf (a later start-up source)",
			},
		},
		{
			name: "a disabled HTTP listener: the arithmetic uses the next one",
			files: map[string]string{
				toml:   "[server]\noffset = 6\n\n[transport.http]\nlistener.enable = false\n",
				script: "JAVA_OPTS=\"-DportOffset=4\"\n",
			},
			want: []string{
				"h1/mi-a/conf/deployment.toml:2:1-2:11 O002 offset 6 is overridden by -DportOffset=4 in h1/mi-a/bin/micro-integrator.sh, which wins at start-up: " +
					"the HTTPS pass-through listener runs on 8247 (8243 + offset 4) and not on 8249 (8243 + offset 6)",
			},
			related: []string{
				"h1/mi-a/bin/micro-integrator.sh:1:12-1:26 -DportOffset=4 in h1/mi-a/bin/micro-integrator.sh (the start-up flag in force)",
			},
		},
		{
			name: "a compose command beats the file",
			files: map[string]string{
				toml:                    "[server]\noffset = 6\n",
				"h1/docker-compose.yml": "services:\n  mi:\n    image: wso2/wso2mi:4.2.0\n    command: [\"-DportOffset=5\"]\n",
			},
			want: []string{
				"h1/mi-a/conf/deployment.toml:2:1-2:11 O002 offset 6 is overridden by -DportOffset=5 in h1/docker-compose.yml (the command of compose service mi), which wins at start-up: " +
					"the HTTP pass-through listener runs on 8285 (8280 + offset 5) and not on 8286 (8280 + offset 6)",
			},
			related: []string{
				"h1/docker-compose.yml:4:16-4:30 -DportOffset=5 in h1/docker-compose.yml (the command of compose service mi) (the start-up flag in force)",
			},
		},
		{
			name: "a Kubernetes JAVA_OPTS and micro-integrator.bat disagree",
			files: map[string]string{
				toml:                               "[server]\n",
				"h1/mi-a/bin/micro-integrator.bat": "set JAVA_OPTS=-DportOffset=2\r\n",
				"h1/k8s/mi.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: mi}\nspec:\n  containers:\n  - name: mi\n    image: wso2/wso2mi:4.2.0\n" +
					"    env: [{name: JAVA_OPTS, value: -DportOffset=3}]\n",
			},
			want: []string{
				"h1/mi-a/bin/micro-integrator.bat:1:15-1:29 O002 -DportOffset=2 disagrees with -DportOffset=3 in h1/k8s/mi.yaml (JAVA_OPTS in the env of Pod mi), which comes first and wins: " +
					"the HTTP pass-through listener runs on 8283 (8280 + offset 3) or 8282 (8280 + offset 2), depending on how the server is started",
			},
			related: []string{
				"h1/k8s/mi.yaml:8:36-8:50 -DportOffset=3 in h1/k8s/mi.yaml (JAVA_OPTS in the env of Pod mi) (the start-up flag in force)",
			},
		},
		{
			name: "two compose services run the install with different offsets",
			files: map[string]string{
				toml: "[server]\n",
				"h1/docker-compose.yml": "services:\n  mi1:\n    image: wso2/wso2mi:4.2.0\n    network_mode: host\n    command: [\"-DportOffset=1\"]\n" +
					"  mi2:\n    image: wso2/wso2mi:4.2.0\n    network_mode: host\n    command: [\"-DportOffset=2\"]\n",
			},
			want: []string{
				"h1/docker-compose.yml:9:16-9:30 O002 -DportOffset=2 in h1/docker-compose.yml (the command of compose service mi2) and " +
					"-DportOffset=1 in h1/docker-compose.yml (the command of compose service mi1) start the same install h1/mi-a with different offsets: " +
					"wso2lint keeps one offset per install, so its ports are unknown here and not checked; give each container an install directory of its own",
			},
			related: []string{
				"h1/docker-compose.yml:5:16-5:30 -DportOffset=1 in h1/docker-compose.yml (the command of compose service mi1) (the other container's)",
			},
		},
		// Near misses.
		{
			name: "two compose services run the install with the same offset",
			files: map[string]string{
				toml: "[server]\n",
				"h1/docker-compose.yml": "services:\n  mi1:\n    image: wso2/wso2mi:4.2.0\n    command: [\"-DportOffset=1\"]\n" +
					"  mi2:\n    image: wso2/wso2mi:4.2.0\n    environment: [JAVA_OPTS=-DportOffset=1]\n",
			},
		},
		{
			name: "a flag in another compose service",
			files: map[string]string{
				toml:                    "[server]\noffset = 6\n",
				"h1/docker-compose.yml": "services:\n  mi:\n    image: wso2/wso2mi:4.2.0\n  tool:\n    image: x/y\n    command: [\"-DportOffset=5\"]\n",
			},
		},
		{
			name: "a compose flag whose variable has no value is not compared",
			files: map[string]string{
				toml:                    "[server]\noffset = 6\n",
				"h1/docker-compose.yml": "services:\n  mi:\n    image: wso2/wso2mi:4.2.0\n    command: -DportOffset=${OFFSET}\n",
			},
		},
		{
			name: "a commented-out REM line in micro-integrator.bat",
			files: map[string]string{
				toml:                               "[server]\noffset = 6\n",
				"h1/mi-a/bin/micro-integrator.bat": "REM set JAVA_OPTS=-DportOffset=2\r\n:: -DportOffset=2\r\n",
			},
		},
		{
			name:  "file only",
			files: map[string]string{toml: "[server]\noffset = 6\n"},
		},
		{
			name:  "start-up only",
			files: map[string]string{toml: "[server]\nhostname = \"a\"\n", script: "JAVA_OPTS=\"-DportOffset=4\"\n"},
		},
		{
			name:  "file and start-up agree",
			files: map[string]string{toml: "[server]\noffset = \"4\"\n", script: "JAVA_OPTS=\"-DportOffset=4\"\n"},
		},
		{
			name:  "a commented-out flag passes nothing",
			files: map[string]string{toml: "[server]\noffset = 6\n", script: "# JAVA_OPTS=\"-DportOffset=4\"\n"},
		},
		{
			name:  "an unresolved placeholder is not compared",
			files: map[string]string{toml: "[server]\noffset = \"$env{OFF}\"\n", script: "JAVA_OPTS=\"-DportOffset=4\"\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := linttest.Run(t, ConflictingOffsets, tt.files)
			linttest.Check(t, got, tt.want)
			checkPortRelated(t, got, tt.related)
		})
	}
}
