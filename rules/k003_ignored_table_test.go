package rules

import (
	"testing"

	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/linttest"
)

// eiColumn0 is an EI Analytics server file with listenerConfigurations
// pasted at column 0, as WSO2's doc page prints it.
const eiColumn0 = "wso2.carbon:\n  ports:\n    offset: 1\n\n" +
	"wso2.transport.http:\n  transportProperties:\n    - name: \"server.bootstrap.socket.timeout\"\n      value: 60\n\n" +
	"# pasted from the doc page\n" +
	"listenerConfigurations:\n  - id: \"default\"\n    host: \"0.0.0.0\"\n    port: 9190\n" +
	"  - id: \"msf4j-https\"\n    port: 9543 # https\n    scheme: https\n\n" +
	"siddhi.stores.query.api:\n  listenerConfigurations:\n    - id: \"default\"\n      port: 7070\n"

func TestK003IgnoredTable(t *testing.T) {
	runKeyRuleCases(t, IgnoredTable, []keyRuleCase{
		{
			name:  "no [transport.https] table",
			files: map[string]string{miToml: "[transport.http]\nsocket_timeout = 180000\n\n[transport.https]\nlistener.port = 8263\n"},
			want: []string{
				miToml + ":5:1-5:14 K003 `transport.https.listener.port` is not a key WSO2 reads: [transport.https] is read for other settings, never for this port, " +
					"so the HTTPS pass-through listener stays on 8243 + offset 10 = 8253, not 8263 + 10 = 8273; " +
					"it belongs in [transport.http] as `listener.secured_port`",
			},
		},
		{
			name:  "offset outside [server]",
			files: map[string]string{miToml: "offset = 3\n\n[server]\nhostname = \"mi\"\n"},
			want: []string{
				miToml + ":1:1-1:7 K003 `offset` is outside [server], where WSO2 never reads it, so the offset stays 10 " +
					"(the built-in default), not 3, and the HTTP pass-through listener is on 8280 + offset 10 = 8290; " +
					"it belongs in [server] as `offset`",
			},
		},
		{
			name: "management and internal API tables, pass-through listener tables",
			files: map[string]string{miToml: "[management_api]\nport = 9165\nprotocols = \"https\"\n\n[internal_apis]\nport = 9201\n\n" +
				"[transport.passthru.http.listener]\nport = 8280\n\n[transport.passthru.https.listener]\nport = 8243\n"},
			want: []string{
				miToml + ":2:1-2:5 K003 `management_api.port` is not a key WSO2 reads: [management_api] is read for other settings, never for this port, so the internal " +
					"HTTPS API listener stays on 9154 + offset 10 = 9164, not 9165 + 10 = 9175; it belongs in [mediation] as " +
					"`internal_https_api_port`",
				miToml + ":6:1-6:5 K003 `internal_apis.port` is not a key WSO2 reads: [internal_apis] is read for other settings, never for this port, so the internal " +
					"HTTP API listener stays on 9191 + offset 10 = 9201, not 9201 + 10 = 9211; it belongs in [mediation] as " +
					"`internal_http_api_port`",
				miToml + ":9:1-9:5 K003 `transport.passthru.http.listener.port` is in [transport.passthru.http.listener], a table " +
					"WSO2 never reads, so the HTTP pass-through listener stays on 8280 + offset 10 = 8290; it belongs in " +
					"[transport.http] as `listener.port`",
				miToml + ":12:1-12:5 K003 `transport.passthru.https.listener.port` is in [transport.passthru.https.listener], a " +
					"table WSO2 never reads, so the HTTPS pass-through listener stays on 8243 + offset 10 = 8253; it belongs in " +
					"[transport.http] as `listener.secured_port`",
			},
		},
		{
			name: "the right key is already set",
			files: map[string]string{miToml: "[transport.http]\nlistener.secured_port = 8244\n\n" +
				"[transport.https]\nlistener.port = 8263\n"},
			want: []string{
				miToml + ":5:1-5:14 K003 `transport.https.listener.port` is not a key WSO2 reads: [transport.https] is read for other settings, never for this port, " +
					"so the HTTPS pass-through listener stays on 8244 + offset 10 = 8254, not 8263 + 10 = 8273; it belongs in " +
					"[transport.http] as `listener.secured_port`, but `transport.http.listener.secured_port` is already set " +
					"on line 2: keep one of the two",
			},
		},
		{
			name:  "EI Analytics listenerConfigurations at column 0",
			files: map[string]string{eiServerYAML: eiColumn0},
			want: []string{
				eiServerYAML + ":11:1-11:23 K003 `listenerConfigurations` is a top-level key, where WSO2 never reads it, so its " +
					"listeners are not opened (9190 + offset 1 = 9191, 9543 + offset 1 = 9544); it belongs under `wso2.transport.http`",
			},
		},
		{
			name: "EI Analytics with listeners under wso2.transport.http already",
			files: map[string]string{eiServerYAML: "wso2.carbon:\n  ports:\n    offset: 1\n" +
				"wso2.transport.http:\n  listenerConfigurations:\n    - id: \"default\"\n      port: 9090\n" +
				"listenerConfigurations:\n  - id: \"default\"\n    port: 9190\n"},
			want: []string{
				eiServerYAML + ":8:1-8:23 K003 `listenerConfigurations` is a top-level key, where WSO2 never reads it, so its " +
					"listeners are not opened (9190 + offset 1 = 9191); it belongs under `wso2.transport.http`, but " +
					"`wso2.transport.http` already has `listenerConfigurations` (line 5): merge them by hand",
			},
		},
		// Near misses: none of these may trigger.
		{
			name: "keys of those tables that are not ports",
			files: map[string]string{miToml: "[management_api]\nprotocols = \"http\"\n\n[internal_apis]\nenabled = true\n\n" +
				"[transport.https]\nlistener.hostname = \"mi\"\n"},
		},
		{
			name:  "offset in [server] and ports in [transport.http]",
			files: map[string]string{miToml: "[server]\noffset = 3\n\n[transport.http]\nlistener.port = 8281\nlistener.secured_port = 8244\n"},
		},
		{
			name:  "offset in another table is K002's or nobody's",
			files: map[string]string{miToml: "[mediation]\noffset = 3\n\n[monitoring]\noffset = 3\n"},
		},
		{
			name: "EI Analytics listeners nested correctly",
			files: map[string]string{eiServerYAML: "wso2.carbon:\n  ports:\n    offset: 1\n" +
				"wso2.transport.http:\n  listenerConfigurations:\n    - id: \"default\"\n      port: 9090\n"},
		},
	})
}

func TestK003IgnoredTableLocation(t *testing.T) {
	got := linttest.Run(t, IgnoredTable, map[string]string{eiServerYAML: eiColumn0})
	if len(got) != 1 {
		t.Fatalf("want 1 finding, got %d", len(got))
	}
	f := got[0]
	if f.InstallRoot() != "h1/eia" || f.Key != "listenerConfigurations" {
		t.Errorf("install %q key %q", f.InstallRoot(), f.Key)
	}
	if f.Fix == nil || f.Fix.Applicability != lint.Unsafe || f.Fix.Message != "move under `wso2.transport.http`" {
		t.Errorf("fix = %+v, want an unsafe move under `wso2.transport.http`", f.Fix)
	}
}

func TestK003IgnoredTableFix(t *testing.T) {
	runKeyFixCases(t, IgnoredTable, []keyFixCase{
		{
			name: "into the existing table, comments kept",
			path: miToml,
			in: "[transport.http]\nsocket_timeout = 180000\n\n# no such table\n[transport.https]\n" +
				"# HTTPS for partners\nlistener.port = \"8263\"   # agreed with partners\n",
			out: "[transport.http]\nsocket_timeout = 180000\nlistener.secured_port = \"8263\"   # agreed with partners\n\n" +
				"# no such table\n[transport.https]\n# HTTPS for partners\n",
		},
		{
			name: "new table appended to a CRLF file",
			path: miToml,
			in:   "offset = 3\r\n\r\n[user_store]\r\ntype = \"read_only_ldap\"\r\n",
			out:  "\r\n[user_store]\r\ntype = \"read_only_ldap\"\r\n\r\n[server]\r\noffset = 3\r\n",
		},
		{
			name: "file without a final newline",
			path: miToml,
			in:   "[mediation]\ninternal_http_api_enable = true\n\n[management_api]\nport = 9165\n\n[server]\nhostname = \"mi\"",
			out:  "[mediation]\ninternal_http_api_enable = true\ninternal_https_api_port = 9165\n\n[management_api]\n\n[server]\nhostname = \"mi\"",
		},
		{
			name: "EI Analytics block moved under wso2.transport.http",
			path: eiServerYAML,
			in:   eiColumn0,
			out: "wso2.carbon:\n  ports:\n    offset: 1\n\n" +
				"wso2.transport.http:\n  transportProperties:\n    - name: \"server.bootstrap.socket.timeout\"\n      value: 60\n" +
				"  listenerConfigurations:\n    - id: \"default\"\n      host: \"0.0.0.0\"\n      port: 9190\n" +
				"    - id: \"msf4j-https\"\n      port: 9543 # https\n      scheme: https\n\n" +
				"# pasted from the doc page\n\n" +
				"siddhi.stores.query.api:\n  listenerConfigurations:\n    - id: \"default\"\n      port: 7070\n",
		},
		{
			name: "EI Analytics file without wso2.transport.http",
			path: eiServerYAML,
			in:   "wso2.carbon:\n  ports:\n    offset: 1\nlistenerConfigurations:\n- id: default\n  port: 9190\n",
			out:  "wso2.carbon:\n  ports:\n    offset: 1\nwso2.transport.http:\n  listenerConfigurations:\n  - id: default\n    port: 9190\n",
		},
	})
}

// TestK003ReadTableWritten: a table WSO2 reads for other settings is not
// called ignored, whether it is written as a header or as a dotted key at
// the top level; a table nothing reads is.
func TestK003ReadTableWritten(t *testing.T) {
	got := linttest.Run(t, IgnoredTable, map[string]string{
		miToml: "transport.https.listener.port = 8263\ntransport.passthru.http.listener.port = 8281\n",
	})
	linttest.Check(t, got, []string{
		miToml + ":1:1-1:30 K003 `transport.https.listener.port` is not a key WSO2 reads: [transport.https] is read for other " +
			"settings, never for this port, so the HTTPS pass-through listener stays on 8243 + offset 10 = 8253, not 8263 + 10 = 8273; " +
			"it belongs in [transport.http] as `listener.secured_port`",
		miToml + ":2:1-2:38 K003 `transport.passthru.http.listener.port` is in [transport.passthru.http.listener], a table WSO2 never " +
			"reads, so the HTTP pass-through listener stays on 8280 + offset 10 = 8290, not 8281 + 10 = 8291; it belongs in " +
			"[transport.http] as `listener.port`",
	})
}
