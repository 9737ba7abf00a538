package rules

import (
	"math/rand/v2"
	"testing"

	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/linttest"
)

// eiServer builds an EI Analytics server deployment.yaml with the given
// ports mapping body, listener item lines and Thrift receiver property
// lines.
func eiServer(ports, listener, receiver string) string {
	return "wso2.carbon:\n  id: wso2-si\n  ports:\n" + ports +
		"wso2.transport.http:\n  listenerConfigurations:\n    - id: \"default\"\n      host: \"0.0.0.0\"\n" + listener +
		"databridge.config:\n  dataReceivers:\n  - dataReceiver:\n      type: Thrift\n      properties:\n" + receiver
}

func TestK002UnknownKey(t *testing.T) {
	runKeyRuleCases(t, UnknownKey, []keyRuleCase{
		{
			name:  "portOffset in [server]",
			files: map[string]string{miToml: "[server]\nhostname = \"mi\"\nportOffset = 30\n"},
			want: []string{
				miToml + ":3:1-3:11 K002 `server.portOffset` is not a key WSO2 reads in [server]: the config mapper ignores it " +
					"without a warning, so the offset stays 10 (the built-in default), not 30, and the HTTP pass-through " +
					"listener is on 8280 + offset 10 = 8290; write `offset`",
			},
		},
		{
			name:  "dotted alias ports.offset",
			files: map[string]string{miToml: "[server]\nports.offset = 3\n"},
			want: []string{
				miToml + ":2:1-2:13 K002 `server.ports.offset` is not a key WSO2 reads in [server]: the config mapper ignores it " +
					"without a warning, so the offset stays 10 (the built-in default), not 3, and the HTTP pass-through " +
					"listener is on 8280 + offset 10 = 8290; write `offset`",
			},
		},
		{
			name: "alias while a start-up flag decides",
			files: map[string]string{
				miToml:                            "[server]\nport-offset = 3\n",
				"h1/mi-a/bin/micro-integrator.sh": "#!/bin/sh\nJAVA_OPTS=\"-DportOffset=5\"\n",
			},
			want: []string{
				miToml + ":2:1-2:12 K002 `server.port-offset` is not a key WSO2 reads in [server]: the config mapper ignores it " +
					"without a warning, so the offset stays 5 (-DportOffset in h1/mi-a/bin/micro-integrator.sh), not 3, and " +
					"the HTTP pass-through listener is on 8280 + offset 5 = 8285; write `offset`",
			},
		},
		{
			name:  "hyphens for underscores",
			files: map[string]string{miToml: "[mediation]\ninternal-https-api-port = 9154\n"},
			want: []string{
				miToml + ":2:1-2:24 K002 `mediation.internal-https-api-port` is not a key WSO2 reads in [mediation]: the config " +
					"mapper ignores it without a warning, so the internal HTTPS API listener stays on 9154 + offset 10 = 9164; " +
					"write `internal_https_api_port`",
			},
		},
		{
			name:  "quoted key with dots in [mediation]",
			files: map[string]string{miToml: "[mediation]\n'internal.http.api.port' = 9195\n"},
			want: []string{
				miToml + ":2:1-2:25 K002 `mediation.'internal.http.api.port'` is not a key WSO2 reads in [mediation]: the config " +
					"mapper ignores it without a warning, so the internal HTTP API listener stays on 9191 + offset 10 = 9201, " +
					"not 9195 + 10 = 9205; write `internal_http_api_port`",
			},
		},
		{
			name:  "synapse property spelled flat",
			files: map[string]string{miToml: "[synapse_properties]\ninternal_http_api_port = 9195\n"},
			want: []string{
				miToml + ":2:1-2:23 K002 `synapse_properties.internal_http_api_port` is not a key WSO2 reads in [synapse_properties]: " +
					"the config mapper ignores it without a warning, so the internal HTTP API listener stays on 9191 + offset 10 = 9201, " +
					"not 9195 + 10 = 9205; write `'internal.http.api.port'`",
			},
		},
		{
			name:  "typo: did you mean, no fix",
			files: map[string]string{miToml: "[transport.http]\nlistener.prot = 8281\n"},
			want: []string{
				miToml + ":2:1-2:14 K002 `transport.http.listener.prot` is not a key WSO2 reads in [transport.http]: the config " +
					"mapper ignores it without a warning, so it has no effect; did you mean `listener.port`?",
			},
		},
		{
			name: "mentions a port but matches nothing",
			files: map[string]string{miToml: "[server]\nhttp_port = 8080\n\n[transport.http]\nhttps_port = 8443\n\n" +
				"[mediation]\noffset = 5\n"},
			want: []string{
				miToml + ":2:1-2:10 K002 `server.http_port` is not a key WSO2 reads in [server]: the config mapper ignores it " +
					"without a warning, so it has no effect; [server] sets no port, only `offset`; listener ports are set in " +
					"[transport.http] and [mediation]",
				miToml + ":5:1-5:11 K002 `transport.http.https_port` is not a key WSO2 reads in [transport.http]: the config " +
					"mapper ignores it without a warning, so it has no effect; the port keys WSO2 reads in [transport.http] are " +
					"`listener.port` and `listener.secured_port`",
				miToml + ":8:1-8:7 K002 `mediation.offset` is not a key WSO2 reads in [mediation]: the config mapper ignores it " +
					"without a warning, so it has no effect; did you mean `[server] offset`?",
			},
		},
		{
			name:  "the right key is already set",
			files: map[string]string{miToml: "[server]\noffset = 3\nportOffset = 5\n"},
			want: []string{
				miToml + ":3:1-3:11 K002 `server.portOffset` is not a key WSO2 reads in [server]: the config mapper ignores it " +
					"without a warning, so the offset stays 3 (`server.offset` on line 2), not 5, and the HTTP pass-through " +
					"listener is on 8280 + offset 3 = 8283; `server.offset` is already set on line 2: keep one of the two",
			},
		},
		{
			name:  "two aliases of one key",
			files: map[string]string{miToml: "[server]\nportOffset = 3\nport_offset = 3\n"},
			want: []string{
				miToml + ":2:1-2:11 K002 `server.portOffset` is not a key WSO2 reads in [server]: the config mapper ignores it " +
					"without a warning, so the offset stays 10 (the built-in default), not 3, and the HTTP pass-through " +
					"listener is on 8280 + offset 10 = 8290; line 3 also means `server.offset`: keep one of the two",
				miToml + ":3:1-3:12 K002 `server.port_offset` is not a key WSO2 reads in [server]: the config mapper ignores it " +
					"without a warning, so the offset stays 10 (the built-in default), not 3, and the HTTP pass-through " +
					"listener is on 8280 + offset 10 = 8290; line 2 also means `server.offset`: keep one of the two",
			},
		},
		{
			name: "EI Analytics listener, receiver and offset keys",
			files: map[string]string{eiServerYAML: eiServer("    portOffset: 3\n", "      Port: 9095\n",
				"        tcp_port: '7611'\n        sslPort: '7711'\n")},
			want: []string{
				eiServerYAML + ":4:5-4:15 K002 `wso2.carbon.ports.portOffset` is not a key EI Analytics reads in `wso2.carbon.ports`: " +
					"it is ignored without a warning, so the server runtime keeps its built-in offset 0 and the server listener " +
					"thrift-ssl is on 7711 + offset 0 = 7711; write `offset`",
				eiServerYAML + ":9:7-9:11 K002 `wso2.transport.http.listenerConfigurations[id=default].Port` is not a key EI Analytics " +
					"reads in a listener configuration: it is ignored without a warning, so it has no effect; write `port`",
				eiServerYAML + ":15:9-15:17 K002 `databridge.config.dataReceivers[type=Thrift].properties.tcp_port` is not a key " +
					"EI Analytics reads in a data receiver's properties: it is ignored without a warning, so it has no effect; " +
					"write `tcpPort`",
			},
		},
		{
			name: "EI Analytics typo",
			files: map[string]string{eiServerYAML: eiServer("    offset: 1\n", "      port: 9090\n      prot: 9095\n",
				"        tcpPort: '7611'\n")},
			want: []string{
				eiServerYAML + ":10:7-10:11 K002 `wso2.transport.http.listenerConfigurations[id=default].prot` is not a key EI " +
					"Analytics reads in a listener configuration: it is ignored without a warning, so it has no effect; " +
					"did you mean `port`?",
			},
		},
		{
			name: "EI Analytics keys that mention a port but match nothing",
			files: map[string]string{eiServerYAML: eiServer("    offset: 1\n    http_offset: 2\n", "      port: 9090\n      httpPort: 9095\n",
				"        tcpPort: '7611'\n        bindPort: '7600'\n")},
			want: []string{
				eiServerYAML + ":5:5-5:16 K002 `wso2.carbon.ports.http_offset` is not a key EI Analytics reads in " +
					"`wso2.carbon.ports`: it is ignored without a warning, so it has no effect; the only key WSO2 reads there is `offset`",
				eiServerYAML + ":11:7-11:15 K002 `wso2.transport.http.listenerConfigurations[id=default].httpPort` is not a key " +
					"EI Analytics reads in a listener configuration: it is ignored without a warning, so it has no effect; " +
					"the port key there is `port`",
				eiServerYAML + ":18:9-18:17 K002 `databridge.config.dataReceivers[type=Thrift].properties.bindPort` is not a key " +
					"EI Analytics reads in a data receiver's properties: it is ignored without a warning, so it has no effect; " +
					"the port keys there are `tcpPort` and `sslPort`",
			},
		},
		// Near misses: none of these may trigger.
		{
			name: "real keys and raw parameters",
			files: map[string]string{miToml: "[server]\nhostname = \"mi\"\nnode_ip = \"10.0.0.1\"\noffset = 3\n\n" +
				"[transport.http]\nlistener.port = 8281\nlistener.parameter.port = 8282\nsender.proxy_port = 3128\n" +
				"max_http_connection_per_host_port = 32767\n\n[mediation]\ninbound.port_offset_enable = true\n"},
		},
		{
			name: "unknown keys that are not about ports",
			files: map[string]string{miToml: "[server]\nmy_setting = true\n\n[mediation]\nsynapse.enable_xml_nil = true\n\n" +
				"[transport.http]\ntransport_mode = \"x\"\n"},
			want: []string{
				miToml + ":2:1-2:11 K002 `server.my_setting` is not a key WSO2 reads in [server]: the config mapper ignores it " +
					"without a warning, so it has no effect",
				miToml + ":8:1-8:15 K002 `transport.http.transport_mode` is not a key WSO2 reads in [transport.http]: the config " +
					"mapper ignores it without a warning, so it has no effect",
			},
		},
		{
			name: "unknown tables, once at the header",
			files: map[string]string{miToml: "[Server]\noffset = 20\nhostname = \"mi\"\n\n[transports.http]\nlistener.port = 8281\n\n" +
				"[carbon]\nx = 1\n"},
			want: []string{
				miToml + ":1:1-1:9 K002 `[Server]` is not a table WSO2 reads: the config mapper ignores it and every key in it " +
					"without a warning, so they have no effect; did you mean `[server]`?",
				miToml + ":5:1-5:18 K002 `[transports.http]` is not a table WSO2 reads: the config mapper ignores it and every key in it " +
					"without a warning, so they have no effect; did you mean `[transport.http]`?",
				miToml + ":8:1-8:9 K002 `[carbon]` is not a table WSO2 reads: the config mapper ignores it and every key in it " +
					"without a warning, so they have no effect",
			},
		},
		{
			name:  "case and separator variants of a flag",
			files: map[string]string{miToml: "[transport.http]\nlistener.enabled = false\n\n[mediation]\n'internal.http.api.enable' = true\n"},
			want: []string{
				miToml + ":2:1-2:17 K002 `transport.http.listener.enabled` is not a key WSO2 reads in [transport.http]: the config " +
					"mapper ignores it without a warning, so it has no effect; did you mean `listener.enable`?",
				miToml + ":5:1-5:27 K002 `mediation.'internal.http.api.enable'` is not a key WSO2 reads in [mediation]: the config " +
					"mapper ignores it without a warning, so it has no effect; write `internal_http_api_enable`",
			},
		},
		{
			name:  "other products' names of the HTTPS port",
			files: map[string]string{miToml: "[transport.http]\nlistener.ssl_port = 8243\n"},
			want: []string{
				miToml + ":2:1-2:18 K002 `transport.http.listener.ssl_port` is not a key WSO2 reads in [transport.http]: the config " +
					"mapper ignores it without a warning, so the HTTPS pass-through listener stays on 8243 + offset 10 = 8253; " +
					"write `listener.secured_port`",
			},
		},
		{
			name:  "a port key in a table that has none",
			files: map[string]string{miToml: "[management_api]\nhttps_port = 9164\n"},
			want: []string{
				miToml + ":2:1-2:11 K002 `management_api.https_port` is not a key WSO2 reads in [management_api]: the config mapper " +
					"ignores it without a warning, so it has no effect; MI's listener ports are set in [transport.http] (`listener.port`, " +
					"`listener.secured_port`) and [mediation] (`internal_http_api_port`, `internal_https_api_port`), its offset in [server]",
			},
		},
		{
			name: "a key of a later release, on installs that say their release",
			files: map[string]string{
				"h1/wso2mi-4.1.0/conf/deployment.toml":   "[analytics]\nenabled = true\n",
				"h1/wso2mi-4.2.0/conf/deployment.toml":   "[server]\noffset = 11\n\n[analytics]\nenabled = true\n",
				"h1/mi-any/conf/deployment.toml":         "[server]\noffset = 12\n\n[analytics]\nenabled = true\n",
				"h1/mi-p/conf/deployment.toml":           "[server]\noffset = 13\n\n[analytics]\nenabled = true\n",
				"h1/mi-p/updates/product.txt":            "wso2mi-4.0.0\n",
				"h1/wso2mi-4.3.0-q/conf/deployment.toml": "[server]\noffset = 14\n\n[analytics]\nenabled = true\n",
			},
			want: []string{
				"h1/mi-p/conf/deployment.toml:5:1-5:8 K002 `analytics.enabled` is not read by MI 4.0, the release of " +
					"h1/mi-p: it is renamed by key-mappings.json to `synapse_properties.'analytics.enabled'` in MI 4.2 on, " +
					"so it has no effect here",
				"h1/wso2mi-4.1.0/conf/deployment.toml:2:1-2:8 K002 `analytics.enabled` is not read by MI 4.1, the release of " +
					"h1/wso2mi-4.1.0: it is renamed by key-mappings.json to `synapse_properties.'analytics.enabled'` in MI 4.2 on, " +
					"so it has no effect here",
			},
		},
		{
			name: "EI Analytics offsets outside wso2.carbon.ports",
			files: map[string]string{
				"h1/eia/conf/server/deployment.yaml": "wso2.carbon:\n  id: si\n  offset: 3\n",
				"h2/eia/conf/server/deployment.yaml": "wso2.carbon:\n  id: si\n  port:\n    offset: 3\n",
				"h3/eia/conf/server/deployment.yaml": "wso2.carbon:\n  id: si\n  ports:\n    offset: 3\n  tenant: x\n",
			},
			want: []string{
				"h1/eia/conf/server/deployment.yaml:3:3-3:9 K002 `wso2.carbon.offset` is not a key EI Analytics reads in `wso2.carbon`: " +
					"it is ignored without a warning, so the server runtime keeps its built-in offset 0; did you mean `ports.offset`?",
				"h2/eia/conf/server/deployment.yaml:3:3-3:7 K002 `wso2.carbon.port.offset` is not a key EI Analytics reads in `wso2.carbon`: " +
					"it is ignored without a warning, so the server runtime keeps its built-in offset 0; did you mean `ports.offset`?",
			},
		},
		{
			name:  "an unknown array of tables, once for all its elements",
			files: map[string]string{miToml: "[[management_api.handler]]\nname = \"a\"\n[[management_api.handler]]\nname = \"b\"\n"},
			want: []string{
				miToml + ":1:1-1:27 K002 `[[management_api.handler]]` is not a table WSO2 reads: the config mapper ignores it and every key " +
					"in it without a warning, so they have no effect",
			},
		},
		{
			name:  "a key that $ref names is a variable in use",
			files: map[string]string{miToml: "[custom]\nbackend_host = \"b.example.com\"\n\n[server]\nhostname = \"$ref{custom.backend_host}\"\n"},
		},
		{
			name: "keys of arrays of tables and looped tables",
			files: map[string]string{miToml: "[[datasource]]\nid = \"WSO2_COORDINATION_DB\"\nurl = \"jdbc:h2:x\"\nusername = \"u\"\n" +
				"user_name = \"u\"\n\n[[transport.jms.listener]]\nname = \"q\"\nparameter.anything = 1\n\n" +
				"[synapse_properties]\n'my.property' = 1\n"},
			want: []string{
				miToml + ":5:1-5:10 K002 `datasource.user_name` is not a key WSO2 reads in [[datasource]]: the config mapper ignores it " +
					"without a warning, so it has no effect; did you mean `username`?",
			},
		},
		{
			name:  "arbitrary raw synapse properties",
			files: map[string]string{miToml: "[synapse_properties]\n'internal.http.api.port' = 9195\n'my.backend.port' = 8080\n"},
		},
		{
			name:  "dotted keys are K001's; every table is checked",
			files: map[string]string{miToml: "[mediation]\ninternal.http.api.port = 9191\n\n[transport.tcp]\nlistener.prot = 8000\n"},
			want: []string{
				miToml + ":5:1-5:14 K002 `transport.tcp.listener.prot` is not a key WSO2 reads in [transport.tcp]: the config " +
					"mapper ignores it without a warning, so it has no effect; did you mean `listener.port`?",
			},
		},
		{
			name: "EI Analytics real receiver keys",
			files: map[string]string{eiServerYAML: eiServer("    offset: 1\n", "      port: 9090\n      scheme: http\n",
				"        tcpPort: '7611'\n        sslPort: '7711'\n        hostName: 0.0.0.0\n        tcpReceiverThreadPoolSize: 100\n")},
		},
	})
}

func TestK002UnknownKeyLocation(t *testing.T) {
	got := linttest.Run(t, UnknownKey, map[string]string{eiServerYAML: eiServer("    offset: 1\n", "      Port: 9095\n", "")})
	if len(got) != 1 {
		t.Fatalf("want 1 finding, got %d", len(got))
	}
	f := got[0]
	if f.InstallRoot() != "h1/eia" || f.Key != "wso2.transport.http.listenerConfigurations[id=default].Port" {
		t.Errorf("install %q key %q", f.InstallRoot(), f.Key)
	}
	if f.Fix == nil || f.Fix.Applicability != lint.Safe || f.Fix.Message != "rename to `port`" {
		t.Errorf("fix = %+v, want a safe rename to `port`", f.Fix)
	}
}

func TestK002UnknownKeyFix(t *testing.T) {
	runKeyFixCases(t, UnknownKey, []keyFixCase{
		{
			name: "comments kept",
			path: miToml,
			in:   "[server]\n# meant 30\nportOffset = 30 # see ticket 12\nhostname = \"mi\"\n",
			out:  "[server]\n# meant 30\noffset = 30 # see ticket 12\nhostname = \"mi\"\n",
		},
		{
			name: "CRLF",
			path: miToml,
			in:   "[mediation]\r\ninternal-http-api-port=9195\r\n",
			out:  "[mediation]\r\ninternal_http_api_port=9195\r\n",
		},
		{
			name: "inline table field",
			path: miToml,
			in:   "mediation = { internalHttpApiPort = 9195 }\n",
			out:  "mediation = { internal_http_api_port = 9195 }\n",
		},
		{
			name: "EI Analytics YAML key, quoting and comment kept",
			path: eiServerYAML,
			in:   eiServer("    \"Offset\": 3 # ours\n", "      port: 9090\n", "        tcpPort: '7611'\n"),
			out:  eiServer("    \"offset\": 3 # ours\n", "      port: 9090\n", "        tcpPort: '7611'\n"),
		},
	})
}

// osaDistance is the optimal string alignment distance computed in full,
// the reference editDistance's cut-offs must agree with.
func osaDistance(a, b string) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

// TestEditDistance checks the bounded distance against the full one on
// known pairs and on random strings over a small alphabet (where edits
// and transpositions are frequent), longer than its stack buffer too:
// 20,000 pairs, or 2,000 with -short (the race-detector run of .ci/run,
// after all of them ran without it).
func TestEditDistance(t *testing.T) {
	n := 20000
	if testing.Short() {
		n = 2000
	}
	pairs := [][2]string{{"port", "prot"}, {"internalhttpport", "internalhttpapiport"}, {"", "abc"}, {"offset", "ofset"}, {"ab", "ba"}, {"ca", "abc"}}
	rng := rand.New(rand.NewPCG(1, 2))
	word := func() string {
		b := make([]byte, rng.IntN(60))
		for i := range b {
			b[i] = "abc"[rng.IntN(3)]
		}
		return string(b)
	}
	for range n {
		a := word()
		b := a
		if rng.IntN(2) == 0 {
			b = word()
		} else if len(a) > 0 { // a few edits away
			bs := []byte(a)
			for range rng.IntN(5) {
				bs[rng.IntN(len(bs))] = "abcd"[rng.IntN(4)]
			}
			b = string(bs)
		}
		pairs = append(pairs, [2]string{a, b})
	}
	for _, p := range pairs {
		full := osaDistance(p[0], p[1])
		for limit := 0; limit <= 4; limit++ {
			if got, want := editDistance(p[0], p[1], limit), min(full, limit+1); got != want {
				t.Fatalf("editDistance(%q, %q, %d) = %d, want %d", p[0], p[1], limit, got, want)
			}
		}
	}
}
