package rules

import (
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/linttest"
)

func TestK005QuotedNumber(t *testing.T) {
	runKeyRuleCases(t, QuotedNumber, []keyRuleCase{
		{
			name:  "quoted ports with the offset's arithmetic",
			files: map[string]string{miToml: "[server]\noffset = 4\n\n[transport.http]\nlistener.secured_port = \"8243\"\nlistener.port = '8280'\n"},
			want: []string{
				miToml + ":5:25-5:31 K005 `transport.http.listener.secured_port` is the string \"8243\": WSO2 renders it as text, " +
					"so it works like the number 8243 (8243 + offset 4 = 8247), but a TOML integer says what it is; write 8243",
				miToml + ":6:17-6:23 K005 `transport.http.listener.port` is the string \"8280\": WSO2 renders it as text, " +
					"so it works like the number 8280 (8280 + offset 4 = 8284), but a TOML integer says what it is; write 8280",
			},
		},
		{
			name:  "quoted offset",
			files: map[string]string{miToml: "[server]\noffset = \"20\"\n"},
			want: []string{
				miToml + ":2:10-2:14 K005 `server.offset` is the string \"20\": WSO2 renders it as text, so it works like the " +
					"number 20 (HTTP pass-through listener 8280 + offset 20 = 8300), but a TOML integer says what it is; write 20",
			},
		},
		{
			name: "quoted offset overridden at start-up",
			files: map[string]string{
				miToml:                            "[server]\noffset = \"20\"\n",
				"h1/mi-a/bin/micro-integrator.sh": "#!/bin/sh\nJAVA_OPTS=\"-DportOffset=5\"\n",
			},
			want: []string{
				miToml + ":2:10-2:14 K005 `server.offset` is the string \"20\": WSO2 renders it as text, so it works like the " +
					"number 20, but a TOML integer says what it is; write 20",
			},
		},
		{
			name:  "MI Dashboard port",
			files: map[string]string{"h1/dash/conf/deployment.toml": "[server_config]\nport = \"9743\"\n"},
			want: []string{
				"h1/dash/conf/deployment.toml:2:8-2:14 K005 `server_config.port` is the string \"9743\": WSO2 renders it as text, " +
					"so it works like the number 9743 (9743, no offset), but a TOML integer says what it is; write 9743",
			},
		},
		// Near misses: none of these may trigger.
		{
			name: "numbers, placeholders and words",
			files: map[string]string{miToml: "[server]\noffset = 3\n\n[transport.http]\nlistener.port = \"$env{MI_HTTP_PORT}\"\n" +
				"listener.secured_port = \"abc\"\n\n[mediation]\ninternal_http_api_port = 9195\n"},
		},
		{
			name:  "quoted ports in EI Analytics data receivers are normal",
			files: map[string]string{eiServerYAML: eiServer("    offset: \"1\"\n", "      port: \"9090\"\n", "        tcpPort: '7611'\n        sslPort: '7711'\n")},
		},
		{
			name:  "quoted numbers that are not ports",
			files: map[string]string{miToml: "[transport.http]\nsocket_timeout = \"180000\"\n\n[mediation]\nsynapse.core_threads = \"20\"\n"},
		},
	})
}

func TestK005QuotedNumberResolvedPlaceholder(t *testing.T) {
	// A placeholder resolved from env values is a known number written
	// as a string, but its quotes are needed: it must not be reported.
	got := linttest.RunWith(t, QuotedNumber, map[string]string{
		miToml: "[transport.http]\nlistener.port = \"$env{MI_HTTP_PORT}\"\nlistener.secured_port = \"8244\"\n",
	}, fleet.Options{Env: map[string]string{"MI_HTTP_PORT": "8281"}})
	linttest.Check(t, got, []string{
		miToml + ":3:25-3:31 K005 `transport.http.listener.secured_port` is the string \"8244\": WSO2 renders it as text, " +
			"so it works like the number 8244 (8244 + offset 10 = 8254), but a TOML integer says what it is; write 8244",
	})
	if len(got) == 1 {
		if f := got[0]; f.InstallRoot() != "h1/mi-a" || f.Key != "transport.http.listener.secured_port" ||
			f.Fix == nil || f.Fix.Applicability != lint.Safe || f.Fix.Message != "unquote to 8244" {
			t.Errorf("install %q key %q fix %+v", f.InstallRoot(), f.Key, f.Fix)
		}
	}
}

func TestK005QuotedNumberFix(t *testing.T) {
	runKeyFixCases(t, QuotedNumber, []keyFixCase{
		{
			name: "comment kept",
			path: miToml,
			in:   "[transport.http]\n# partners\nlistener.secured_port = \"8243\" # agreed\n",
			out:  "[transport.http]\n# partners\nlistener.secured_port = 8243 # agreed\n",
		},
		{
			name: "CRLF and literal string",
			path: miToml,
			in:   "[server]\r\noffset = '3'\r\n",
			out:  "[server]\r\noffset = 3\r\n",
		},
		{
			name: "inline table",
			path: miToml,
			in:   "[transport]\nhttp = { listener.port = \"8281\" }\n",
			out:  "[transport]\nhttp = { listener.port = 8281 }\n",
		},
	})
}
