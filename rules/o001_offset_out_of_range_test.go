package rules

import (
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint/linttest"
)

func TestO001OffsetOutOfRange(t *testing.T) {
	const eiServer = "wso2.carbon:\n  ports:\n    offset: 60000\n" +
		"wso2.transport.http:\n  listenerConfigurations:\n    - id: \"default\"\n      host: \"0.0.0.0\"\n      port: 9090\n"
	tests := []struct {
		name  string
		files map[string]string
		env   map[string]string
		want  []string
	}{
		{
			name:  "negative offset in range",
			files: map[string]string{"h1/mi-a/conf/deployment.toml": "[server]\noffset = -5\n"},
			want: []string{
				"h1/mi-a/conf/deployment.toml:2:1-2:12 O001 offset -5 is negative: it replaces the default offset instead of subtracting from it, " +
					"and moves the HTTPS pass-through listener below its configured port to 8238 (8243 + -5)",
			},
		},
		{
			name:  "negative offset below 1",
			files: map[string]string{"h1/mi-a/conf/deployment.toml": "[server]\noffset = -9000\n"},
			want: []string{
				"h1/mi-a/conf/deployment.toml:2:1-2:15 O001 offset -9000 is negative and pushes the HTTPS pass-through listener to -757 (8243 + -9000), below 1",
			},
		},
		{
			name:  "huge offset names the highest port",
			files: map[string]string{"h1/mi-a/conf/deployment.toml": "# h1\n[server]\noffset = 60000\n"},
			want: []string{
				"h1/mi-a/conf/deployment.toml:3:1-3:15 O001 offset 60000 pushes the internal HTTP API listener to 69191 (9191 + 60000), above 65535; " +
					"the largest offset that keeps every port in range is 56344",
			},
		},
		{
			name: "a written port lowers the limit",
			files: map[string]string{"h1/mi-a/conf/deployment.toml": "[server]\noffset = 56344\n\n" +
				"[transport.http]\nlistener.port = 9500\n"},
			want: []string{
				"h1/mi-a/conf/deployment.toml:2:1-2:15 O001 offset 56344 pushes the HTTP pass-through listener to 65844 (9500 + 56344), above 65535; " +
					"the largest offset that keeps every port in range is 56035",
			},
		},
		{
			name: "start-up flag decides and is located",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml":    "[server]\noffset = 5\n",
				"h1/mi-a/bin/micro-integrator.sh": "#!/bin/sh\nJAVA_OPTS=\"-DportOffset=58000\"\n",
			},
			want: []string{
				"h1/mi-a/bin/micro-integrator.sh:2:12-2:30 O001 offset 58000 pushes the internal HTTP API listener to 67191 (9191 + 58000), above 65535; " +
					"the largest offset that keeps every port in range is 56344",
			},
		},
		{
			name:  "built-in offset pushes a written port",
			files: map[string]string{"h1/mi-a/conf/deployment.toml": "[transport.http]\nlistener.port = 65530\n"},
			want: []string{
				"h1/mi-a/conf/deployment.toml:2:1-2:22 O001 the built-in offset 10 pushes the HTTP pass-through listener to 65540 (65530 + 10), above 65535; " +
					"the largest offset that keeps every port in range is 5",
			},
		},
		{
			name:  "EI Analytics runtime",
			files: map[string]string{"h1/eia/conf/server/deployment.yaml": eiServer},
			want: []string{
				"h1/eia/conf/server/deployment.yaml:3:5-3:18 O001 offset 60000 pushes the server listener http:default to 69090 (9090 + 60000), above 65535; " +
					"the largest offset that keeps every port in range is 56445",
			},
		},
		{
			name:  "EI 6.x binary receiver: the offset plus 1",
			files: map[string]string{"h1/ei/wso2/analytics/conf/worker/deployment.yaml": strings.Replace(ei6Worker, "offset: 0", "offset: 55924", 1)},
			want: []string{
				"h1/ei/wso2/analytics/conf/worker/deployment.yaml:4:5-4:18 O001 offset 55924 pushes the worker listener binary-ssl to 65636 (9711 + 55924 + 1), " +
					"above 65535; the largest offset that keeps every port in range is 55823",
			},
		},
		// Near misses.
		{
			name:  "EI 6.x: the offset does not move the HTTP listeners",
			files: map[string]string{"h1/ei/wso2/analytics/conf/worker/deployment.yaml": strings.Replace(eiServer, "60000", "57000", 1)},
		},
		{
			name:  "largest offset that fits",
			files: map[string]string{"h1/mi-a/conf/deployment.toml": "[server]\noffset = 56344\n"},
		},
		{
			name:  "offset 0",
			files: map[string]string{"h1/mi-a/conf/deployment.toml": "[server]\noffset = 0\n"},
		},
		{
			name: "negative file offset overridden at start-up",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml":    "[server]\noffset = -5\n",
				"h1/mi-a/bin/micro-integrator.sh": "JAVA_OPTS=\"-DportOffset=3\"\n",
			},
		},
		{
			name:  "unresolved placeholder offset",
			files: map[string]string{"h1/mi-a/conf/deployment.toml": "[server]\noffset = \"$env{OFF}\"\n"},
		},
		{
			name:  "placeholder resolved in range",
			files: map[string]string{"h1/mi-a/conf/deployment.toml": "[server]\noffset = \"$env{OFF}\"\n"},
			env:   map[string]string{"OFF": "100"},
		},
		{
			name:  "a written port out of range is not the offset's doing",
			files: map[string]string{"h1/mi-a/conf/deployment.toml": "[server]\noffset = 0\n\n[transport.http]\nlistener.port = 70000\n"},
		},
		{
			name:  "MI Dashboard has no offset",
			files: map[string]string{"h1/dash/conf/deployment.toml": "[server_config]\nport = 65535\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := linttest.RunWith(t, OffsetOutOfRange, tt.files, fleet.Options{Env: tt.env})
			linttest.Check(t, got, tt.want)
			for _, f := range got {
				if f.Fix != nil {
					t.Errorf("O001 offers no fix, got %q", f.Fix.Message)
				}
			}
		})
	}
}
