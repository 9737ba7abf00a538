package rules

import (
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/linttest"
)

func TestO004PreOffsetPort(t *testing.T) {
	const toml = "h1/mi-a/conf/deployment.toml"
	tests := []struct {
		name  string
		files map[string]string
		env   map[string]string
		want  []string
		fixed []string // the toml after each finding's fix, in order; "" for no fix
	}{
		{
			name:  "internal HTTP API with the default offset",
			files: map[string]string{toml: "[mediation]\ninternal_http_api_port = 9201\n"},
			want: []string{
				"h1/mi-a/conf/deployment.toml:2:1-2:30 O004 9201 is already the effective default of the internal HTTP API listener (9191 + offset 10), " +
					"yet it is written as the configured port, so the offset is applied twice: 9201 + offset 10 = 9211",
			},
			fixed: []string{"[mediation]\ninternal_http_api_port = 9191\n"},
		},
		{
			name:  "quoted port keeps its quotes",
			files: map[string]string{toml: "[server]\noffset = 2\n\n[transport.http]\nlistener.port = \"8290\" # as in the docs\n"},
			want: []string{
				"h1/mi-a/conf/deployment.toml:5:1-5:23 O004 8290 is already the effective default of the HTTP pass-through listener (8280 + offset 10), " +
					"yet it is written as the configured port, so the offset is applied twice: 8290 + offset 2 = 8292",
			},
			fixed: []string{"[server]\noffset = 2\n\n[transport.http]\nlistener.port = \"8288\" # as in the docs\n"},
		},
		{
			name: "raw synapse property and a start-up offset",
			files: map[string]string{
				toml:                              "[synapse_properties]\n'internal.https.api.port' = 9164\n",
				"h1/mi-a/bin/micro-integrator.sh": "JAVA_OPTS=\"-DportOffset=3\"\n",
			},
			want: []string{
				"h1/mi-a/conf/deployment.toml:2:1-2:33 O004 9164 is already the effective default of the internal HTTPS API listener (9154 + offset 10), " +
					"yet it is written as the configured port, so the offset is applied twice: 9164 + offset 3 = 9167",
			},
			fixed: []string{"[synapse_properties]\n'internal.https.api.port' = 9161\n"},
		},
		{
			name:  "two listeners",
			files: map[string]string{toml: "[transport.http]\nlistener.port = 8290\nlistener.secured_port = 8253\n"},
			want: []string{
				"h1/mi-a/conf/deployment.toml:2:1-2:21 O004 8290 is already the effective default of the HTTP pass-through listener (8280 + offset 10), " +
					"yet it is written as the configured port, so the offset is applied twice: 8290 + offset 10 = 8300",
				"h1/mi-a/conf/deployment.toml:3:1-3:29 O004 8253 is already the effective default of the HTTPS pass-through listener (8243 + offset 10), " +
					"yet it is written as the configured port, so the offset is applied twice: 8253 + offset 10 = 8263",
			},
			fixed: []string{
				"[transport.http]\nlistener.port = 8280\nlistener.secured_port = 8253\n",
				"[transport.http]\nlistener.port = 8290\nlistener.secured_port = 8243\n",
			},
		},
		{
			name:  "placeholder: reported, not rewritten",
			files: map[string]string{toml: "[mediation]\ninternal_http_api_port = \"$env{API}\"\n"},
			env:   map[string]string{"API": "9201"},
			want: []string{
				"h1/mi-a/conf/deployment.toml:2:1-2:37 O004 9201 is already the effective default of the internal HTTP API listener (9191 + offset 10), " +
					"yet it is written as the configured port, so the offset is applied twice: 9201 + offset 10 = 9211",
			},
			fixed: []string{""},
		},
		{
			name:  "no fix below port 1",
			files: map[string]string{toml: "[server]\noffset = 9300\n\n[mediation]\ninternal_http_api_port = 9201\n"},
			want: []string{
				"h1/mi-a/conf/deployment.toml:5:1-5:30 O004 9201 is already the effective default of the internal HTTP API listener (9191 + offset 10), " +
					"yet it is written as the configured port, so the offset is applied twice: 9201 + offset 9300 = 18501",
			},
			fixed: []string{""},
		},
		// Near misses.
		{
			name:  "offset 0: the written port is the effective port",
			files: map[string]string{toml: "[server]\noffset = 0\n\n[mediation]\ninternal_http_api_port = 9201\n"},
		},
		{
			name:  "configured default",
			files: map[string]string{toml: "[mediation]\ninternal_http_api_port = 9191\n"},
		},
		{
			name:  "another listener's effective default",
			files: map[string]string{toml: "[mediation]\ninternal_http_api_port = 9164\n"},
		},
		{
			name:  "MI Dashboard",
			files: map[string]string{"h1/dash/conf/deployment.toml": "[server_config]\nport = 9753\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := linttest.RunWith(t, PreOffsetPort, tt.files, fleet.Options{Env: tt.env})
			linttest.Check(t, got, tt.want)
			if len(tt.fixed) != len(got) {
				return
			}
			for i, f := range got {
				if tt.fixed[i] == "" {
					if f.Fix != nil {
						t.Errorf("unexpected fix %q", f.Fix.Message)
					}
					continue
				}
				if f.Fix == nil || f.Fix.Applicability != lint.Unsafe {
					t.Fatalf("want an unsafe fix, got %+v", f.Fix)
				}
				if got := linttest.ApplyFix(t, f); got != tt.fixed[i] {
					t.Errorf("fixed file differs\n got: %q\nwant: %q", got, tt.fixed[i])
				}
			}
		})
	}
}
