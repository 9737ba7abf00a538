package rules

import (
	"strings"
	"testing"
)

func TestC003ClientURLMismatch(t *testing.T) {
	const eiOffset3 = "wso2.carbon:\n  ports:\n    offset: 3\ndatabridge.config:\n  dataReceivers:\n" +
		"    - dataReceiver:\n        type: Thrift\n        properties:\n          tcpPort: '7611'\n          sslPort: '7711'\n"
	const miURLs = "[server]\nhostname = \"localhost\"\n\n[monitoring]\n" +
		"ei_analytics.server_url = \"tcp://localhost:7612\"\nei_analytics.auth_server_url = 'ssl://127.0.0.1:7712'\n"
	tests := []containerCase{
		{
			name: "statistics to 7612 while the EI Analytics server is on offset 3",
			files: map[string]string{
				"h1/mi/conf/deployment.toml":         miURLs,
				"h1/eia/conf/server/deployment.yaml": eiOffset3,
			},
			want: []string{
				"h1/mi/conf/deployment.toml:5:1-5:49 C003 monitoring.ei_analytics.server_url = \"tcp://localhost:7612\": the MI publishes statistics to " +
					"port 7612 on host h1 (localhost), where no EI Analytics install listens on 7612: " +
					"h1/eia's server listener thrift-tcp is on 7614 (7611 + offset 3 = 7614)",
				"h1/mi/conf/deployment.toml:6:1-6:54 C003 monitoring.ei_analytics.auth_server_url = \"ssl://127.0.0.1:7712\": the MI authenticates its " +
					"statistics publisher at port 7712 on host h1 (127.0.0.1), where no EI Analytics install listens on 7712: " +
					"h1/eia's server listener thrift-ssl is on 7714 (7711 + offset 3 = 7714)",
			},
			related: []string{
				"h1/eia/conf/server/deployment.yaml:9:11-9:26 h1/eia's server listener thrift-tcp is on 7614 (7611 + offset 3 = 7614)",
				"h1/eia/conf/server/deployment.yaml:10:11-10:26 h1/eia's server listener thrift-ssl is on 7714 (7711 + offset 3 = 7714)",
			},
			fixContains: []string{
				"ei_analytics.server_url = \"tcp://localhost:7614\"\n",
				"ei_analytics.auth_server_url = 'ssl://127.0.0.1:7714'\n",
			},
			fixMsg: "set the URL's port to 7614",
		},
		{
			name: "the MI Dashboard named by a host of the fleet",
			files: map[string]string{
				"prod/h1/mi/conf/deployment.toml":   "[dashboard_config]\ndashboard_url = \"https://h2:9743/dashboard/api/\"\n",
				"prod/h2/dash/conf/deployment.toml": "[server_config]\nport = 9744\n",
			},
			want: []string{
				"prod/h1/mi/conf/deployment.toml:2:1-2:49 C003 dashboard_config.dashboard_url = \"https://h2:9743/dashboard/api/\": the MI sends heartbeats to " +
					"port 9743 on host prod/h2, where no MI Dashboard install listens on 9743: prod/h2/dash's MI Dashboard listener is on 9744 (9744, no offset)",
			},
			fixContains: []string{"dashboard_url = \"https://h2:9744/dashboard/api/\"\n"},
		},
		{
			name: "a compose service beside the MI's own",
			files: map[string]string{
				"h1/mi/conf/deployment.toml":         "[monitoring]\nei_analytics.server_url = \"tcp://analytics:7612\"\n",
				"h1/eia/conf/server/deployment.yaml": eiOffset3,
				"h1/compose.yaml": "services:\n  mi:\n    image: wso2/wso2mi\n  analytics:\n    image: wso2/wso2ei-analytics-server\n" +
					"  localhost-user:\n    image: busybox\n",
			},
			want: []string{
				"h1/mi/conf/deployment.toml:2:1-2:49 C003 monitoring.ei_analytics.server_url = \"tcp://analytics:7612\": the MI publishes statistics to " +
					"port 7612 on compose service analytics, where no EI Analytics install listens on 7612: " +
					"h1/eia's server listener thrift-tcp is on 7614 (7611 + offset 3 = 7614)",
			},
			fixContains: []string{"\"tcp://analytics:7614\""},
		},
		// Near misses.
		{
			name: "the shipped receivers match",
			files: map[string]string{
				"h1/mi/conf/deployment.toml":         miURLs,
				"h1/eia/conf/server/deployment.yaml": strings.Replace(eiOffset3, "offset: 3", "offset: 1", 1),
			},
		},
		{
			name: "a server file without an offset runs at offset 0",
			files: map[string]string{
				"h1/mi/conf/deployment.toml":         miURLs,
				"h1/eia/conf/server/deployment.yaml": "wso2.carbon:\n  id: si\n" + eiOffset3[len("wso2.carbon:\n  ports:\n    offset: 3\n"):],
			},
			want: []string{
				"h1/mi/conf/deployment.toml:5:1-5:49 C003 monitoring.ei_analytics.server_url = \"tcp://localhost:7612\": the MI publishes statistics to port 7612 on host h1 (localhost), " +
					"where no EI Analytics install listens on 7612: h1/eia's server listener thrift-tcp is on 7611 (7611 + offset 0 = 7611)",
				"h1/mi/conf/deployment.toml:6:1-6:54 C003 monitoring.ei_analytics.auth_server_url = \"ssl://127.0.0.1:7712\": the MI authenticates its statistics publisher at port 7712 on host h1 (127.0.0.1), " +
					"where no EI Analytics install listens on 7712: h1/eia's server listener thrift-ssl is on 7711 (7711 + offset 0 = 7711)",
			},
			fixContains: []string{
				"ei_analytics.server_url = \"tcp://localhost:7611\"\n",
				"ei_analytics.auth_server_url = 'ssl://127.0.0.1:7711'\n",
			},
		},
		{
			name: "placeholders, other hosts, no port, no EI Analytics there",
			files: map[string]string{
				"h1/mi/conf/deployment.toml": "[monitoring]\nei_analytics.server_url = \"tcp://$env{EI_HOST}:7612\"\n" +
					"ei_analytics.auth_server_url = \"ssl://analytics.example.com:7712\"\n[dashboard_config]\ndashboard_url = \"https://localhost/dashboard/api/\"\n",
				"h1/eia/conf/server/deployment.yaml": eiOffset3,
				"h2/mi/conf/deployment.toml":         miURLs,
			},
		},
		{
			name: "an MI in a container: localhost is the container",
			files: map[string]string{
				"h1/mi/conf/deployment.toml":         miURLs,
				"h1/eia/conf/server/deployment.yaml": eiOffset3,
				"h1/compose.yaml":                    "services:\n  mi:\n    image: wso2/wso2mi\n    volumes: [\"./mi/conf:/c\"]\n",
			},
		},
		{
			name: "an unknown receiver port: nothing can be said",
			files: map[string]string{
				"h1/mi/conf/deployment.toml":         miURLs,
				"h1/eia/conf/server/deployment.yaml": "wso2.carbon:\n  ports:\n    offset: ${env:OFF}\n" + eiOffset3[len("wso2.carbon:\n  ports:\n    offset: 3\n"):],
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, ClientURLMismatch) })
	}
}
