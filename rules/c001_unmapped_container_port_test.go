package rules

import (
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/linttest"
)

// containerCase is one fleet and what a cross-file rule reports on it.
type containerCase struct {
	name       string
	files      map[string]string
	containers map[string]string
	want       []string
	related    []string
	// fixed maps a file to its content after the fix of the finding in
	// it; findings in files without an entry carry no fix.
	fixed map[string]string
	// fixContains, when set, gives per finding in order a text its file
	// holds after that finding's fix alone.
	fixContains []string
	// fixMsg is the first finding's fix message, when set.
	fixMsg string
}

func (tc containerCase) run(t *testing.T, r *lint.Rule) {
	t.Helper()
	fl, got := linttest.RunFleet(t, r, tc.files, fleet.Options{Containers: tc.containers})
	linttest.Check(t, got, tc.want)
	if tc.related != nil {
		checkPortRelated(t, got, tc.related)
	}
	if tc.fixMsg != "" && (len(got) == 0 || got[0].Fix == nil || got[0].Fix.Message != tc.fixMsg) {
		t.Errorf("first fix message differs, want %q", tc.fixMsg)
	}
	if tc.fixContains != nil {
		for i, f := range got {
			if f.Fix == nil || f.Fix.Applicability != lint.Unsafe {
				t.Errorf("%s: want an unsafe fix, got %+v", linttest.Describe(f), f.Fix)
				continue
			}
			if out := linttest.ApplyFixFiles(t, fl, f)[f.File.Path]; i < len(tc.fixContains) && !strings.Contains(out, tc.fixContains[i]) {
				t.Errorf("%s: after the fix the file lacks %q:\n%s", linttest.Describe(f), tc.fixContains[i], out)
			}
		}
		return
	}
	for _, f := range got {
		want, ok := tc.fixed[f.File.Path]
		if !ok {
			if f.Fix != nil {
				t.Errorf("%s: unexpected fix %q", linttest.Describe(f), f.Fix.Message)
			}
			continue
		}
		if f.Fix == nil || f.Fix.Applicability != lint.Unsafe {
			t.Errorf("%s: want an unsafe fix, got %+v", linttest.Describe(f), f.Fix)
			continue
		}
		if got := linttest.ApplyFixFiles(t, fl, f)[f.File.Path]; got != want {
			t.Errorf("%s: fixed file differs\n got: %q\nwant: %q", linttest.Describe(f), got, want)
		}
	}
}

const (
	cMIDefault = "[server]\nhostname = \"localhost\"\n"
	cEIPortal  = "wso2.carbon:\n  ports:\n    offset: 2\nwso2.transport.http:\n  listenerConfigurations:\n" +
		"    - id: \"default-https\"\n      host: \"0.0.0.0\"\n      port: 9643\n"
	cEIServer = "wso2.carbon:\n  ports:\n    offset: 1\ndatabridge.config:\n  dataReceivers:\n" +
		"    - dataReceiver:\n        type: Thrift\n        properties:\n          tcpPort: '7611'\n          sslPort: '7711'\n"
)

func TestC001UnmappedContainerPort(t *testing.T) {
	compose8243 := "services:\n  mi:\n    image: wso2/wso2mi:4.2.0\n    volumes: [\"./mi/conf:/home/wso2carbon/wso2mi-4.2.0/conf\"]\n" +
		"    ports:\n      - \"8290:8290\"\n      - \"8243:8243\"\n" +
		"    healthcheck:\n      test: [\"CMD-SHELL\", \"nc -z localhost 8243 || exit 1\"]\n"
	k8sPortal := "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: eia-portal\nspec:\n  template:\n" +
		"    metadata:\n      labels:\n        app: eia-portal\n    spec:\n      containers:\n" +
		"        - name: portal\n          image: wso2/wso2ei-analytics-portal:7.1.0\n" +
		"          ports:\n            - containerPort: 9643\n              name: https\n" +
		"          readinessProbe:\n            tcpSocket:\n              port: https\n" +
		"---\napiVersion: v1\nkind: Service\nmetadata:\n  name: eia-portal\nspec:\n  selector:\n    app: eia-portal\n" +
		"  ports:\n    - name: https\n      port: 443\n      targetPort: 9643\n    - name: https-named\n      port: 9645\n      targetPort: https\n"
	tests := []containerCase{
		{
			name:  "compose maps 8243:8243 for an MI on 8253",
			files: map[string]string{"h1/mi/conf/deployment.toml": cMIDefault, "h1/docker-compose.yml": compose8243},
			want: []string{
				"h1/docker-compose.yml:7:15-7:19 C001 compose service mi publishes container port 8243, but h1/mi does not listen on 8243: " +
					"its HTTPS pass-through listener is on 8253 (8243 + offset 10 = 8253)",
				"h1/docker-compose.yml:9:44-9:48 C001 the health check of compose service mi probes port 8243, but h1/mi does not listen on 8243: " +
					"its HTTPS pass-through listener is on 8253 (8243 + offset 10 = 8253)",
			},
			related: []string{
				"h1/mi/conf/deployment.toml:1:1-1:9 the HTTPS pass-through listener of h1/mi is on 8253 (8243 + offset 10 = 8253)",
				"h1/mi/conf/deployment.toml:1:1-1:9 the HTTPS pass-through listener of h1/mi is on 8253 (8243 + offset 10 = 8253)",
			},
			fixContains: []string{
				"    ports:\n      - \"8290:8290\"\n      - \"8243:8253\"\n",
				"      test: [\"CMD-SHELL\", \"nc -z localhost 8253 || exit 1\"]\n",
			},
			fixMsg: "rewrite port 8243 to 8253 (the host port stays as it is)",
		},
		{
			name: "a Service targeting 9643 while the portal listens on 9645",
			files: map[string]string{
				"h1/eia/conf/portal/deployment.yaml": cEIPortal,
				"h1/eia/conf/server/deployment.yaml": cEIServer,
				"k8s/eia.yaml":                       k8sPortal,
			},
			want: []string{
				"k8s/eia.yaml:15:30-15:34 C001 Deployment eia-portal (container portal) declares containerPort 9643, but h1/eia does not listen on 9643: " +
					"its portal listener http:default-https is on 9645 (9643 + offset 2 = 9645)",
				"k8s/eia.yaml:31:19-31:23 C001 Service eia-portal sends port 443 to target port 9643, but h1/eia does not listen on 9643: " +
					"its portal listener http:default-https is on 9645 (9643 + offset 2 = 9645)",
			},
			related: []string{
				"h1/eia/conf/portal/deployment.yaml:8:7-8:17 the portal listener http:default-https of h1/eia is on 9645 (9643 + offset 2 = 9645)",
				"h1/eia/conf/portal/deployment.yaml:8:7-8:17 the portal listener http:default-https of h1/eia is on 9645 (9643 + offset 2 = 9645)",
			},
			fixContains: []string{"            - containerPort: 9645\n", "      port: 443\n      targetPort: 9645\n"},
		},
		{
			name: "the default effective port after the offset moved",
			files: map[string]string{
				"h1/mi/conf/deployment.toml": "[server]\noffset = 3\n",
				"h1/compose.yaml":            "services:\n  mi:\n    image: wso2/wso2mi\n    ports:\n      - target: 8290\n        published: 80\n",
			},
			want: []string{
				"h1/compose.yaml:5:17-5:21 C001 compose service mi publishes container port 8290, but h1/mi does not listen on 8290: " +
					"its HTTP pass-through listener is on 8283 (8280 + offset 3 = 8283)",
			},
			fixed: map[string]string{"h1/compose.yaml": "services:\n  mi:\n    image: wso2/wso2mi\n    ports:\n      - target: 8283\n        published: 80\n"},
		},
		{
			name: "two listeners claim the port: no fix",
			files: map[string]string{
				"h1/mi/conf/deployment.toml": "[server]\noffset = 5\n[transport.http]\nlistener.secured_port = 8290\n",
				"h1/compose.yaml":            "services:\n  mi:\n    image: wso2/wso2mi\n    expose: [8290]\n",
			},
			want: []string{
				"h1/compose.yaml:4:14-4:18 C001 compose service mi exposes port 8290, but h1/mi does not listen on 8290: " +
					"its HTTP pass-through listener is on 8285 (8280 + offset 5 = 8285) and its HTTPS pass-through listener is on 8295 (8290 + offset 5 = 8295)",
			},
		},
		{
			name: "mapped explicitly, a range is reported without a fix",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml": cMIDefault,
				"h1/mi-b/conf/deployment.toml": cMIDefault,
				"h1/compose.yaml":              "services:\n  mi:\n    image: wso2/wso2mi\n    ports: [\"8280-8281:8280-8281\"]\n",
			},
			containers: map[string]string{"mi": "h1/mi-b"},
			want: []string{
				"h1/compose.yaml:4:24-4:33 C001 compose service mi publishes container port 8280, but h1/mi-b does not listen on 8280: " +
					"its HTTP pass-through listener is on 8290 (8280 + offset 10 = 8290)",
			},
		},
		{
			name: "a health check sends /healthz to 8280: the port it means is the pass-through, which does not serve it",
			files: map[string]string{
				"h1/mi/conf/deployment.toml": cMIDefault,
				"h1/compose.yaml": "services:\n  mi:\n    image: wso2/wso2mi\n    ports: [\"8290:8290\"]\n" +
					"    healthcheck:\n      test: curl -f http://localhost:8280/healthz\n",
			},
			want: []string{
				"h1/compose.yaml:6:38-6:42 C001 the health check of compose service mi probes port 8280, but h1/mi does not listen on 8280: " +
					"its HTTP pass-through listener is on 8290 (8280 + offset 10 = 8290); " +
					"the HTTP pass-through listener does not serve /healthz either, so no fix is offered",
			},
		},
		// Near misses.
		{
			name: "a mapping that matches, a named targetPort that resolves, a non-WSO2 service",
			files: map[string]string{
				"h1/mi/conf/deployment.toml": cMIDefault,
				"h1/docker-compose.yml": "services:\n  mi:\n    image: wso2/wso2mi:4.2.0\n" +
					"    ports: [\"8290:8290\", \"8253:8253\", \"127.0.0.1:9164:9164\", \"9201:9201\"]\n" +
					"    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:9201/healthz\"]\n" +
					"  db:\n    image: postgres:16\n    ports: [\"8243:5432\"]\n    expose: [8243]\n",
				"k8s/mi.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: mi, labels: {app: mi}}\nspec:\n  containers:\n" +
					"    - name: mi\n      image: wso2/wso2mi:4.2.0\n      ports: [{containerPort: 8253, name: https}]\n" +
					"---\napiVersion: v1\nkind: Service\nmetadata: {name: mi}\nspec:\n  selector: {app: mi}\n  ports: [{port: 443, targetPort: https}]\n",
			},
		},
		{
			name: "a port no listener could mean (an inbound endpoint), udp, a variable",
			files: map[string]string{
				"h1/mi/conf/deployment.toml": cMIDefault,
				"h1/compose.yaml": "services:\n  mi:\n    image: wso2/wso2mi\n" +
					"    ports: [\"8085:8085\", \"8243:8243/udp\", \"8243:${HTTPS_TARGET}\", \"9005:9005\"]\n",
			},
		},
		{
			name: "an unknown listener port: nothing can be said",
			files: map[string]string{
				"h1/mi/conf/deployment.toml": "[transport.http]\nlistener.secured_port = \"$env{HTTPS_PORT}\"\n",
				"h1/compose.yaml":            "services:\n  mi:\n    image: wso2/wso2mi\n    ports: [\"8243:8243\"]\n",
			},
		},
		{
			name: "a sidecar serves the target port",
			files: map[string]string{
				"h1/mi/conf/deployment.toml": cMIDefault,
				"k8s/mi.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: mi, labels: {app: mi}}\nspec:\n  containers:\n" +
					"    - {name: mi, image: wso2/wso2mi}\n    - {name: proxy, image: envoyproxy/envoy, ports: [{containerPort: 8243}]}\n" +
					"---\napiVersion: v1\nkind: Service\nmetadata: {name: mi}\nspec:\n  selector: {app: mi}\n  ports: [{port: 443, targetPort: 8243}]\n",
			},
		},
		{
			name: "an unmapped WSO2 container is C005's business",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml": cMIDefault,
				"h1/mi-b/conf/deployment.toml": cMIDefault,
				"h1/compose.yaml":              "services:\n  mi:\n    image: wso2/wso2mi\n    ports: [\"8243:8243\"]\n",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.run(t, UnmappedContainerPort)
		})
	}
}

// TestC001EIAnalyticsLines: the offset moves EI Analytics 7.1's HTTP
// listeners but not EI 6.x analytics' (fleet.EILine), so WSO2's own EI 6.x
// compose file, which publishes and health-checks the dashboard on 9643,
// is right, while the same mapping for a 7.1 portal misses 9645.
func TestC001EIAnalyticsLines(t *testing.T) {
	tests := []containerCase{
		{
			name:  "near miss: EI 6.4 compose publishes and probes the dashboard on 9643 and the worker's receivers on 7612/9612",
			files: ei6Files("ei64", ei6Compose),
		},
		{
			name:  "the EI 6.x binary receiver adds the offset plus 1: publishing its written 9611 misses it",
			files: ei6Files("ei66", strings.Replace(ei6Compose, "      - 9612:9612\n", "      - 9611:9611\n", 1)),
			want: []string{
				"ei66/docker-compose.yml:11:14-11:18 C001 compose service wso2ei-analytics-worker publishes container port 9611, but ei66/worker does not listen on 9611: " +
					"its worker listener binary-tcp is on 9612 (9611 + offset 0 + 1 = 9612)",
			},
			// The container port is rewritten; the host port stays.
			fixed: map[string]string{"ei66/docker-compose.yml": strings.Replace(ei6Compose, "      - 9612:9612\n", "      - 9611:9612\n", 1)},
		},
		{
			name: "EI Analytics 7.1's portal with the same mapping: its listener is on 9643 + 2",
			files: map[string]string{
				"eia/portal/conf/portal/deployment.yaml": cEIPortal,
				"eia/docker-compose.yml": "services:\n  portal:\n    image: wso2/wso2ei-analytics-portal:7.1.0\n" +
					"    ports:\n      - 9643:9643\n    volumes:\n      - ./portal/conf:/home/wso2carbon/wso2ei-analytics-7.1.0/conf\n",
			},
			want: []string{
				"eia/docker-compose.yml:5:14-5:18 C001 compose service portal publishes container port 9643, but eia/portal does not listen on 9643: " +
					"its portal listener http:default-https is on 9645 (9643 + offset 2 = 9645)",
			},
			fixed: map[string]string{"eia/docker-compose.yml": "services:\n  portal:\n    image: wso2/wso2ei-analytics-portal:7.1.0\n" +
				"    ports:\n      - 9643:9645\n    volumes:\n      - ./portal/conf:/home/wso2carbon/wso2ei-analytics-7.1.0/conf\n"},
		},
		{
			name: "near miss: a bare deployment.yaml whose release cannot be told: 9643 and 9645 are both possible, nothing is said",
			files: map[string]string{
				"k8s/confs/analytics/deployment.yaml": cEIPortal,
				"k8s/docker-compose.yml": "services:\n  analytics:\n    image: wso2/wso2ei-analytics-portal\n" +
					"    ports:\n      - 9643:9643\n    volumes:\n      - ./confs/analytics:/home/wso2carbon/conf\n",
			},
			containers: map[string]string{"analytics": "k8s/confs/analytics"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, UnmappedContainerPort) })
	}
}
