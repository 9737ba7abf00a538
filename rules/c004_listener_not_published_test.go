package rules

import (
	"slices"
	"strings"
	"testing"
)

func TestC004ListenerNotPublished(t *testing.T) {
	tests := []containerCase{
		{
			name: "compose publishes two of the MI's four listeners",
			files: map[string]string{
				"h1/mi/conf/deployment.toml": cMIDefault,
				"h1/compose.yaml":            "services:\n  mi:\n    image: wso2/wso2mi\n    ports: [\"8290:8290\", \"8243:8243\"]\n    expose: [\"9164\"]\n",
			},
			want: []string{
				"h1/compose.yaml:4:5-4:10 C004 the HTTPS pass-through listener of h1/mi (8243 + offset 10 = 8253) is not published by compose service mi: " +
					"the host and other machines cannot reach it (other services of its Compose network can)",
				"h1/compose.yaml:4:5-4:10 C004 the internal HTTP API listener of h1/mi (9191 + offset 10 = 9201) is not published by compose service mi: " +
					"the host and other machines cannot reach it (other services of its Compose network can)",
			},
			related: []string{
				"h1/mi/conf/deployment.toml:1:1-1:9 the HTTPS pass-through listener of h1/mi listens on 8253",
				"h1/mi/conf/deployment.toml:1:1-1:9 the internal HTTP API listener of h1/mi listens on 9201",
			},
		},
		{
			name: "a Kubernetes Service exposes only the portal's HTTPS of an EI Analytics server image",
			files: map[string]string{
				"h1/eia/conf/portal/deployment.yaml": cEIPortal,
				"h1/eia/conf/server/deployment.yaml": cEIServer,
				"k8s/eia.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: eia\n  labels: {app: eia}\nspec:\n" +
					"  containers:\n    - name: server\n      image: wso2/wso2ei-analytics-server:7.1.0\n" +
					"---\napiVersion: v1\nkind: Service\nmetadata: {name: eia}\nspec:\n  selector: {app: eia}\n  ports: [{port: 7612}]\n",
			},
			want: []string{
				"k8s/eia.yaml:8:13-8:19 C004 the server listener thrift-ssl of h1/eia (7711 + offset 1 = 7712) is not published by any Service that selects " +
					"Pod eia (container server): nothing reaches it through a Service (only the pod's own address does)",
			},
		},
		{
			name: "an MI service publishes to the EI Analytics service by name: the receiver it uses is not reported",
			files: map[string]string{
				"proj/mi/conf/deployment.toml":         "[monitoring]\nei_analytics.server_url = \"tcp://analytics:7612\"\n",
				"proj/eia/conf/server/deployment.yaml": cEIServer,
				"proj/docker-compose.yml": "services:\n  mi:\n    image: wso2/wso2mi:4.2.0\n    volumes: [\"./mi/conf:/home/wso2carbon/wso2mi-4.2.0/conf\"]\n" +
					"    ports: [\"8290:8290\", \"8253:8253\", \"9201:9201\", \"9164:9164\"]\n" +
					"  analytics:\n    image: wso2/wso2ei-analytics-server:7.1.0\n    ports: [\"9444:9444\"]\n",
			},
			want: []string{
				// The SSL receiver is not what the MI names: still reported.
				"proj/docker-compose.yml:8:5-8:10 C004 the server listener thrift-ssl of proj/eia (7711 + offset 1 = 7712) is not published by compose service analytics: " +
					"the host and other machines cannot reach it (other services of its Compose network can)",
			},
		},
		{
			name: "Kubernetes: an MI publishes to a Service of the EI Analytics pod by its cluster name",
			files: map[string]string{
				"h1/mi/conf/deployment.toml":         "[monitoring]\nei_analytics.server_url = \"tcp://eia.wso2.svc.cluster.local:7612\"\nei_analytics.auth_server_url = \"ssl://eia-ssl:7712\"\n",
				"h1/eia/conf/server/deployment.yaml": cEIServer,
				"k8s/eia.yaml": "apiVersion: v1\nkind: Pod\nmetadata:\n  name: eia\n  namespace: wso2\n  labels: {app: eia}\nspec:\n" +
					"  containers:\n    - name: server\n      image: wso2/wso2ei-analytics-server:7.1.0\n" +
					"---\napiVersion: v1\nkind: Service\nmetadata: {name: eia, namespace: wso2}\nspec:\n  selector: {app: eia}\n  ports: [{port: 9444}]\n" +
					"---\napiVersion: v1\nkind: Pod\nmetadata: {name: mi, namespace: wso2}\nspec:\n  containers: [{name: mi, image: wso2/wso2mi}]\n",
			},
			// eia-ssl is no Service of the linted tree: the SSL receiver stays reported.
			want: []string{
				"k8s/eia.yaml:9:13-9:19 C004 the server listener thrift-ssl of h1/eia (7711 + offset 1 = 7712) is not published by any Service that selects " +
					"Pod eia (container server): nothing reaches it through a Service (only the pod's own address does)",
			},
		},
		{
			name: "near miss: the MI names the service but runs from a compose file of another directory",
			files: map[string]string{
				"proj/mi/conf/deployment.toml":         "[monitoring]\nei_analytics.server_url = \"tcp://analytics:7612\"\nei_analytics.auth_server_url = \"ssl://analytics:7712\"\n",
				"proj/eia/conf/server/deployment.yaml": cEIServer,
				"proj/mi/docker-compose.yml":           "services:\n  mi:\n    image: wso2/wso2mi:4.2.0\n    volumes: [\"./conf:/home/wso2carbon/wso2mi-4.2.0/conf\"]\n",
				"proj/docker-compose.yml":              "services:\n  analytics:\n    image: wso2/wso2ei-analytics-server:7.1.0\n    ports: [\"9444:9444\"]\n",
			},
			want: []string{
				"proj/docker-compose.yml:4:5-4:10 C004 the server listener thrift-ssl of proj/eia (7711 + offset 1 = 7712) is not published by compose service analytics: " +
					"the host and other machines cannot reach it (other services of its Compose network can)",
				"proj/docker-compose.yml:4:5-4:10 C004 the server listener thrift-tcp of proj/eia (7611 + offset 1 = 7612) is not published by compose service analytics: " +
					"the host and other machines cannot reach it (other services of its Compose network can)",
			},
		},
		// Near misses.
		{
			name: "a service that publishes nothing, one on the host network, a workload no Service selects",
			files: map[string]string{
				"h1/mi/conf/deployment.toml": cMIDefault,
				"h1/compose.yaml": "services:\n  mi:\n    image: wso2/wso2mi\n" +
					"  mi-host:\n    image: wso2/wso2mi\n    network_mode: host\n    ports: [\"8290:8290\"]\n",
				"k8s/mi.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: mi}\nspec:\n  containers: [{name: mi, image: wso2/wso2mi, ports: [{containerPort: 8290}]}]\n",
			},
		},
		{
			name: "everything published",
			files: map[string]string{
				"h1/mi/conf/deployment.toml": cMIDefault,
				"h1/compose.yaml":            "services:\n  mi:\n    image: wso2/wso2mi\n    ports: [\"8290:8290\", \"8253:8253\", \"9201\", \"127.0.0.1:9164:9164\"]\n",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, ListenerNotPublished) })
	}
}

// TestC004EIAnalyticsLines: EI 6.x analytics' dashboard listens on the 9643
// its deployment.yaml writes, whatever its offset, so WSO2's compose file
// that publishes 9643 leaves nothing unpublished; EI Analytics 7.1's portal
// with the same file listens on 9645.
func TestC004EIAnalyticsLines(t *testing.T) {
	tests := []containerCase{
		{
			name:  "near miss: EI 6.4 compose publishes every listener the worker and dashboard open",
			files: ei6Files("ei64", ei6Compose),
		},
		{
			name:  "the EI 6.x worker's binary receiver on 9611 + offset 0 + 1 is not published when the compose file publishes 9611",
			files: ei6Files("ei66", strings.Replace(ei6Compose, "      - 9612:9612\n", "", 1)),
			want: []string{
				"ei66/docker-compose.yml:4:5-4:10 C004 the worker listener binary-tcp of ei66/worker (9611 + offset 0 + 1 = 9612) is not published by " +
					"compose service wso2ei-analytics-worker: the host and other machines cannot reach it (other services of its Compose network can)",
			},
		},
		{
			name:  "EI 6.6 as docker-ei composes it: the integrator's carbon.xml names the worker's Thrift receivers, so they are not reported",
			files: ei6WithIntegrator(ei6IntegratorCarbon),
			want:  ei6Unpublished("7070", "7443", "9612", "9712"),
		},
		{
			name:  "near miss: the integrator's carbon.xml names no worker, so the Thrift receivers are reported too",
			files: ei6WithIntegrator(strings.ReplaceAll(ei6IntegratorCarbon, "wso2ei-analytics-worker", "elsewhere")),
			want:  ei6Unpublished("7070", "7443", "7612", "7712", "9612", "9712"),
		},
		{
			name: "EI Analytics 7.1's portal publishing 9643: its listener on 9645 is not published",
			files: map[string]string{
				"eia/portal/conf/portal/deployment.yaml": cEIPortal,
				"eia/docker-compose.yml": "services:\n  portal:\n    image: wso2/wso2ei-analytics-portal:7.1.0\n" +
					"    ports:\n      - 9643:9643\n    volumes:\n      - ./portal/conf:/home/wso2carbon/wso2ei-analytics-7.1.0/conf\n",
			},
			want: []string{
				"eia/docker-compose.yml:4:5-4:10 C004 the portal listener http:default-https of eia/portal (9643 + offset 2 = 9645) is not published by " +
					"compose service portal: the host and other machines cannot reach it (other services of its Compose network can)",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, ListenerNotPublished) })
	}
}

// ei6IntegratorCarbon is the <Analytics> part of the carbon.xml that
// docker-ei's EI 6.6 integrator mounts, with a load-balanced group.
const ei6IntegratorCarbon = "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<Server xmlns=\"http://wso2.org/projects/carbon/carbon.xml\">\n" +
	"  <Analytics>\n    <Enabled>true</Enabled>\n    <ServerURL>{tcp://wso2ei-analytics-worker:7612}</ServerURL>\n" +
	"    <AuthServerURL>{ssl://wso2ei-analytics-worker:7712}</AuthServerURL>\n  </Analytics>\n</Server>\n"

// ei6WithIntegrator lays out docker-ei's EI 6.6 integrator-analytics
// compose tree: the worker publishes only its HTTP listeners, and the
// integrator, an EI 6.x ESB that wso2lint does not model, mounts a
// carbon.xml.
func ei6WithIntegrator(carbon string) map[string]string {
	files := ei6Files("ei66", "services:\n"+
		"  wso2ei-analytics-worker:\n    image: docker.wso2.com/wso2ei-analytics-worker:6.6.0\n"+
		"    ports:\n      - 9091:9091\n      - 9444:9444\n"+
		"    volumes:\n      - ./worker:/home/wso2carbon/wso2-config-volume\n"+
		"  wso2ei-analytics-dashboard:\n    image: docker.wso2.com/wso2ei-analytics-dashboard:6.6.0\n"+
		"    ports:\n      - 9643:9643\n"+
		"    volumes:\n      - ./dashboard:/home/wso2carbon/wso2-config-volume\n"+
		"  wso2ei-integrator:\n    image: docker.wso2.com/wso2ei-integrator:6.6.0\n"+
		"    ports:\n      - 8280:8280\n"+
		"    volumes:\n      - ./integrator:/home/wso2carbon/wso2-config-volume/\n")
	files["ei66/integrator/conf/carbon.xml"] = carbon
	return files
}

// ei6Unpublished is C004's finding on each of the worker's ports, in the
// order the rule reports them.
func ei6Unpublished(ports ...string) []string {
	listener := map[string]string{
		"9712": "binary-ssl of ei66/worker (9711 + offset 0 + 1 = 9712)",
		"9612": "binary-tcp of ei66/worker (9611 + offset 0 + 1 = 9612)",
		"7070": "siddhi-store:default of ei66/worker (7070, no offset)",
		"7443": "siddhi-store:msf4j-https of ei66/worker (7443, no offset)",
		"7712": "thrift-ssl of ei66/worker (7712 + offset 0 = 7712)",
		"7612": "thrift-tcp of ei66/worker (7612 + offset 0 = 7612)",
	}
	var out []string
	for _, p := range []string{"9712", "9612", "7070", "7443", "7712", "7612"} {
		if slices.Contains(ports, p) {
			out = append(out, "ei66/docker-compose.yml:4:5-4:10 C004 the worker listener "+listener[p]+" is not published by "+
				"compose service wso2ei-analytics-worker: the host and other machines cannot reach it (other services of its Compose network can)")
		}
	}
	return out
}
