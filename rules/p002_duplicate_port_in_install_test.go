package rules

import (
	"testing"

	"github.com/wso2lint/wso2lint/lint/linttest"
)

func TestP002DuplicatePortInInstall(t *testing.T) {
	const toml = "h1/mi-a/conf/deployment.toml"
	tests := []struct {
		name    string
		files   map[string]string
		want    []string
		related []string
	}{
		{
			name:  "HTTP on the HTTPS default port",
			files: map[string]string{toml: "# mi-a\n[server]\noffset = 12\n\n[transport.http]\nlistener.port = 8243\n"},
			want: []string{
				"h1/mi-a/conf/deployment.toml:6:1-6:21 P002 port 8255 of the HTTP pass-through listener (8243 + offset 12 = 8255) is also used by " +
					"the HTTPS pass-through listener of the same install (8243 + offset 12 = 8255)",
			},
			related: []string{
				"h1/mi-a/conf/deployment.toml:3:1-3:12 the HTTPS pass-through listener also listens on 8255 (8243 + offset 12 = 8255)",
			},
		},
		{
			name:  "three listeners on one port: one finding per pair",
			files: map[string]string{toml: "[transport.http]\nlistener.secured_port = 9191\nlistener.port = 9191\n"},
			want: []string{
				"h1/mi-a/conf/deployment.toml:2:1-2:29 P002 port 9201 of the HTTPS pass-through listener (9191 + offset 10 = 9201) is also used by " +
					"the internal HTTP API listener of the same install (9191 + offset 10 = 9201)",
				"h1/mi-a/conf/deployment.toml:3:1-3:21 P002 port 9201 of the HTTP pass-through listener (9191 + offset 10 = 9201) is also used by " +
					"the HTTPS pass-through listener of the same install (9191 + offset 10 = 9201)",
				"h1/mi-a/conf/deployment.toml:3:1-3:21 P002 port 9201 of the HTTP pass-through listener (9191 + offset 10 = 9201) is also used by " +
					"the internal HTTP API listener of the same install (9191 + offset 10 = 9201)",
			},
			related: []string{
				"h1/mi-a/conf/deployment.toml:1:1-1:17 the internal HTTP API listener also listens on 9201 (9191 + offset 10 = 9201)",
				"h1/mi-a/conf/deployment.toml:2:1-2:29 the HTTPS pass-through listener also listens on 9201 (9191 + offset 10 = 9201)",
				"h1/mi-a/conf/deployment.toml:1:1-1:17 the internal HTTP API listener also listens on 9201 (9191 + offset 10 = 9201)",
			},
		},
		{
			name: "EI Analytics server and portal",
			files: map[string]string{
				"h1/eia/conf/server/deployment.yaml": "wso2.transport.http:\n  listenerConfigurations:\n    - id: \"default\"\n      port: 9643\n",
				"h1/eia/conf/portal/deployment.yaml": "wso2.transport.http:\n  listenerConfigurations:\n    - id: \"default-https\"\n      port: 9643\n",
			},
			want: []string{
				"h1/eia/conf/server/deployment.yaml:4:7-4:17 P002 port 9643 of the server listener http:default (9643 + offset 0 = 9643) is also used by " +
					"the portal listener http:default-https of the same install (9643 + offset 0 = 9643)",
			},
			related: []string{
				"h1/eia/conf/portal/deployment.yaml:4:7-4:17 the portal listener http:default-https also listens on 9643 (9643 + offset 0 = 9643)",
			},
		},
		// Near misses.
		{
			name: "EI 6.x manager profile on the worker's port: it runs on a node of its own",
			files: map[string]string{
				"h1/ei/wso2/analytics/conf/worker/deployment.yaml":  "wso2.transport.http:\n  listenerConfigurations:\n    - id: \"default\"\n      port: 9091\n",
				"h1/ei/wso2/analytics/conf/manager/deployment.yaml": "wso2.transport.http:\n  listenerConfigurations:\n    - id: \"default\"\n      port: 9091\n",
			},
		},
		{
			// WSO2's shipped EI 6.x manager (offset 1) puts its Thrift
			// receiver 7611 on 7612, the worker's: they never run together.
			name: "EI 6.x manager as shipped beside the worker: Thrift 7611 + offset 1 = 7612 is the worker's 7612",
			files: map[string]string{
				"h1/wso2ei-6.6.0/wso2/analytics/conf/worker/deployment.yaml": ei6Worker,
				"h1/wso2ei-6.6.0/wso2/analytics/conf/manager/deployment.yaml": "wso2.carbon:\n  ports:\n    offset: 1\n" +
					"wso2.transport.http:\n  listenerConfigurations:\n    - id: \"default\"\n      port: 9190\n" +
					"databridge.config:\n  dataReceivers:\n  - dataReceiver:\n      type: Thrift\n      properties:\n        tcpPort: '7611'\n        sslPort: '7711'\n",
			},
		},
		{
			name: "distinct bind addresses",
			files: map[string]string{toml: "[transport.http]\nlistener.port = 8243\n" +
				"listener.bind_address = \"127.0.0.1\"\nlistener.secured_bind_address = \"10.0.0.1\"\n"},
		},
		{
			name:  "a disabled listener holds no port",
			files: map[string]string{toml: "[transport.http]\nlistener.port = 8243\nlistener.secured_enable = false\n"},
		},
		{
			name:  "an unknown port is not compared",
			files: map[string]string{toml: "[transport.http]\nlistener.port = \"$env{HTTP}\"\n"},
		},
		{
			name: "two installs are P001's business",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml": "[server]\nhostname = \"a\"\n",
				"h1/mi-b/conf/deployment.toml": "[server]\nhostname = \"b\"\n",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := linttest.Run(t, DuplicatePortInInstall, tt.files)
			linttest.Check(t, got, tt.want)
			checkPortRelated(t, got, tt.related)
		})
	}
}
