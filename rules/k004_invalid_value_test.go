package rules

import (
	"testing"

	"github.com/wso2lint/wso2lint/lint/linttest"
)

func TestK004InvalidValue(t *testing.T) {
	const tail = "; the config mapper does not check values, so WSO2 fails at runtime when "
	runKeyRuleCases(t, InvalidValue, []keyRuleCase{
		{
			name: "a word, a float, an array",
			files: map[string]string{miToml: "[transport.http]\nlistener.port = \"abc\"\nlistener.secured_port = 3.5\n\n" +
				"[mediation]\ninternal_http_api_port = [9191]\n"},
			want: []string{
				miToml + ":2:17-2:22 K004 `transport.http.listener.port`: \"abc\" is not a number" + tail +
					"the HTTP pass-through listener starts, and the port is unknown here",
				miToml + ":3:25-3:28 K004 `transport.http.listener.secured_port`: a float (3.5) is not a port number" + tail +
					"the HTTPS pass-through listener starts, and the port is unknown here",
				miToml + ":6:26-6:32 K004 `mediation.internal_http_api_port`: an array is not a port number" + tail +
					"the internal HTTP API listener starts, and the port is unknown here",
			},
		},
		{
			name:  "Carbon placeholder syntax in deployment.toml",
			files: map[string]string{miToml: "[transport.http]\nlistener.port = \"${env:MI_HTTP_PORT}\"\n"},
			want: []string{
				miToml + ":2:17-2:38 K004 `transport.http.listener.port`: `${env:MI_HTTP_PORT}` is not WSO2 placeholder syntax " +
					"(WSO2 writes `$env{MI_HTTP_PORT}`) and reaches the runtime as text" + tail +
					"the HTTP pass-through listener starts, and the port is unknown here",
			},
		},
		{
			name:  "boolean offset",
			files: map[string]string{miToml: "[server]\noffset = true\n"},
			want: []string{
				miToml + ":2:10-2:14 K004 `server.offset`: a boolean (true) is not a port number; the config mapper does not " +
					"check values, so WSO2 fails at start-up when it parses the offset, and every port of the runtime is unknown here",
			},
		},
		{
			name: "start-up offset",
			files: map[string]string{
				miToml:                            "[server]\nhostname = \"mi\"\n",
				"h1/mi-a/bin/micro-integrator.sh": "#!/bin/sh\nJAVA_OPTS=\"-DportOffset=two\"\n",
			},
			want: []string{
				"h1/mi-a/bin/micro-integrator.sh:2:25-2:28 K004 `-DportOffset`: \"two\" is not a number; WSO2 fails at start-up " +
					"when it parses the offset, and every port of the install is unknown here",
			},
		},
		{
			name: "start-up offsets passed by a container and a batch file; an unknown variable is no K004",
			files: map[string]string{
				miToml:                             "[server]\nhostname = \"mi\"\n",
				"h1/mi-a/bin/micro-integrator.bat": "set A=x\r\nset JAVA_OPTS=-DportOffset=%A% -DportOffset=%B%\r\n",
				"h1/compose.yaml":                  "services:\n  mi:\n    image: wso2/wso2mi\n    command: [\"-DportOffset=3.5\", \"-DportOffset=${X}\"]\n",
			},
			want: []string{
				"h1/compose.yaml:4:29-4:32 K004 `-DportOffset`: \"3.5\" is not a number; WSO2 fails at start-up " +
					"when it parses the offset, and every port of the install is unknown here",
				"h1/mi-a/bin/micro-integrator.bat:2:28-2:31 K004 `-DportOffset`: \"x\" (from %A%) is not a number; WSO2 fails at start-up " +
					"when it parses the offset, and every port of the install is unknown here",
			},
		},
		{
			name: "EI Analytics port and offset",
			files: map[string]string{eiServerYAML: eiServer("    offset: 1.5\n", "      port: abc\n",
				"        tcpPort:\n        sslPort: '7711'\n")},
			want: []string{
				eiServerYAML + ":4:13-4:16 K004 `wso2.carbon.ports.offset`: a float (1.5) is not a port number; WSO2 fails " +
					"at start-up when it reads it, and every port of the runtime is unknown here",
				eiServerYAML + ":9:13-9:16 K004 `wso2.transport.http.listenerConfigurations[id=default].port`: \"abc\" is not a " +
					"number; WSO2 fails at start-up when it reads it, and the port is unknown here",
				eiServerYAML + ":15:9-15:16 K004 `databridge.config.dataReceivers[type=Thrift].properties.tcpPort` has no " +
					"value: it is not a port number, and the port is unknown here",
			},
		},
		{
			name:  "MI Dashboard port",
			files: map[string]string{"h1/dash/conf/deployment.toml": "[server_config]\nport = \"97 43\"\n"},
			want: []string{
				"h1/dash/conf/deployment.toml:2:8-2:15 K004 `server_config.port`: \"97 43\" is not a number" + tail +
					"the MI Dashboard listener starts, and the port is unknown here",
			},
		},
		// Near misses: none of these may trigger.
		{
			name: "numbers, numeric strings and WSO2 placeholders",
			files: map[string]string{miToml: "[server]\noffset = \"3\"\n\n[transport.http]\nlistener.port = \"$env{MI_HTTP_PORT}\"\n" +
				"listener.secured_port = 8_244\n\n[mediation]\ninternal_http_api_port = \"$sys{internal.port}\"\n"},
		},
		{
			name:  "a turned-off listener's port is not read",
			files: map[string]string{miToml: "[transport.http]\nlistener.enable = false\nlistener.port = \"abc\"\n"},
		},
		{
			name: "Carbon placeholders in EI Analytics YAML",
			files: map[string]string{eiServerYAML: eiServer("    offset: ${sys:offset}\n", "      port: ${env:HTTP_PORT}\n",
				"        tcpPort: '7611'\n")},
		},
		{
			name:  "keys that are not ports",
			files: map[string]string{miToml: "[server]\nhostname = 3.5\n\n[monitoring]\nei_analytics.server_url = \"abc\"\n"},
		},
	})
}

func TestK004InvalidValueLocation(t *testing.T) {
	got := linttest.Run(t, InvalidValue, map[string]string{
		miToml:                            "[server]\noffset = \"x\"\n",
		"h1/mi-a/bin/micro-integrator.sh": "#!/bin/sh\nJAVA_OPTS=\"-DportOffset=y\"\n",
	})
	if len(got) != 2 {
		t.Fatalf("want 2 findings (file and start-up offset), got %d", len(got))
	}
	for _, f := range got {
		if f.InstallRoot() != "h1/mi-a" || f.Fix != nil {
			t.Errorf("%s: install %q, fix %v; want h1/mi-a and no fix", linttest.Describe(f), f.InstallRoot(), f.Fix)
		}
	}
	if got[0].Key != "-DportOffset" || got[1].Key != "server.offset" {
		t.Errorf("keys %q, %q; want -DportOffset and server.offset", got[0].Key, got[1].Key)
	}
}
