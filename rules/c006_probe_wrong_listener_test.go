package rules

import "testing"

func TestC006ProbeWrongListener(t *testing.T) {
	// A Deployment shaped like kubernetes-mi's: the readiness probe on the
	// pass-through port, the liveness probe on the internal HTTP API.
	deploy := func(ready, live string) string {
		return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: mi\nspec:\n  template:\n    metadata:\n      labels: {app: mi}\n" +
			"    spec:\n      containers:\n        - name: wso2mi\n          image: wso2/wso2mi:4.2.0\n" +
			"          ports:\n            - {name: passthrough, containerPort: 8290}\n            - {name: internal, containerPort: 9201}\n" +
			"          readinessProbe:\n            httpGet: " + ready + "\n" +
			"          livenessProbe:\n            httpGet: " + live + "\n"
	}
	tests := []containerCase{
		{
			name: "Kubernetes readiness probe sends /healthz to the pass-through port",
			files: map[string]string{
				"mi/conf/deployment.toml": cMIDefault,
				"k8s/mi.yaml":             deploy("{path: /healthz, port: 8290}", "{path: /liveness, port: internal}"),
			},
			want: []string{
				"k8s/mi.yaml:17:45-17:49 C006 the readinessProbe of Deployment mi (container wso2mi) sends HTTP /healthz to port 8290, " +
					"the HTTP pass-through listener of mi, which does not serve the readiness probe API (/healthz): " +
					"it is served on the internal HTTP API listener (9201)",
			},
			related: []string{
				"mi/conf/deployment.toml:1:1-1:9 the HTTP pass-through listener of mi listens on 8290",
				"mi/conf/deployment.toml:1:1-1:9 the internal HTTP API listener of mi listens on 9201",
			},
		},
		{
			name: "a named port leads the liveness probe to the pass-through listener",
			files: map[string]string{
				"mi/conf/deployment.toml": cMIDefault,
				"k8s/mi.yaml":             deploy("{path: /healthz, port: internal}", "{path: /liveness, port: passthrough}"),
			},
			want: []string{
				"k8s/mi.yaml:19:46-19:57 C006 the livenessProbe of Deployment mi (container wso2mi) sends HTTP /liveness to port \"passthrough\" (8290), " +
					"the HTTP pass-through listener of mi, which does not serve the liveness probe API (/liveness): " +
					"it is served on the internal HTTP API listener (9201)",
			},
		},
		{
			name: "compose health check curls /healthz on the HTTPS listener the container's offset moved",
			files: map[string]string{
				"micro-integrator/conf/deployment.toml": cMIDefault,
				"docker-compose.yml": "services:\n  mi:\n    image: wso2/wso2mi:4.3.0\n" +
					"    environment:\n      JAVA_OPTS: \"-DportOffset=0\"\n    ports: [\"8280:8280\", \"8243:8243\"]\n" +
					"    healthcheck:\n      test: [\"CMD-SHELL\", \"curl -fk https://localhost:8243/healthz || exit 1\"]\n",
			},
			want: []string{
				"docker-compose.yml:8:55-8:59 C006 the health check of compose service mi sends HTTPS /healthz to port 8243, " +
					"the HTTPS pass-through listener of micro-integrator, which does not serve the readiness probe API (/healthz): " +
					"it is served on the internal HTTP API listener (9191)",
			},
		},
		{
			name: "the Management API probed on 9164 when it is served over HTTP only: that listener does not exist",
			files: map[string]string{
				"mi/conf/deployment.toml": "[management_api]\nprotocols = \"http\"\n",
				"docker-compose.yml": "services:\n  mi:\n    image: wso2/wso2mi:4.2.0\n    ports: [\"8290:8290\", \"9201:9201\"]\n" +
					"    healthcheck:\n      test: curl -fk https://localhost:9164/management/apis\n",
			},
			want: []string{
				"docker-compose.yml:6:40-6:44 C006 the health check of compose service mi sends HTTPS /management/apis to port 9164, " +
					"but mi has no internal HTTPS API listener (9154 + offset 10 = 9164): " +
					"no internal API is served over HTTPS (management_api.protocols = \"http\")",
			},
			related: []string{
				"mi/conf/deployment.toml:2:1-2:19 the Management API is served over http",
			},
		},
		{
			name: "readiness over HTTPS while the readiness API is HTTP only, and HTTP to the HTTPS listener",
			files: map[string]string{
				"mi/conf/deployment.toml": cMIDefault,
				"k8s/mi.yaml":             deploy("{path: /healthz, port: 9164, scheme: HTTPS}", "{path: /management/health, port: 9164}"),
			},
			want: []string{
				"k8s/mi.yaml:17:45-17:49 C006 the readinessProbe of Deployment mi (container wso2mi) sends HTTPS /healthz to port 9164, " +
					"the internal HTTPS API listener of mi, which does not serve the readiness probe API (/healthz): " +
					"it is served on the internal HTTP API listener (9201)",
				"k8s/mi.yaml:19:55-19:59 C006 the livenessProbe of Deployment mi (container wso2mi) sends HTTP /management/health to port 9164, " +
					"the internal HTTPS API listener of mi, which speaks HTTPS, not HTTP",
			},
		},
		{
			name: "internal APIs turned off: a probe on 9201 finds nothing",
			files: map[string]string{
				"mi/conf/deployment.toml": "[mediation]\ninternal_http_api_enable = false\n",
				"k8s/mi.yaml":             deploy("{path: /healthz, port: 9201}", "{path: /ready, port: 8290}"),
			},
			want: []string{
				"k8s/mi.yaml:17:45-17:49 C006 the readinessProbe of Deployment mi (container wso2mi) sends HTTP /healthz to port 9201, " +
					"but mi has no internal HTTP API listener (9191 + offset 10 = 9201): " +
					"mediation.internal_http_api_enable = false turns the internal API listeners off",
			},
		},
		// Near misses.
		{
			name: "probes on the right listeners, other paths on the pass-through, TCP and exec probes",
			files: map[string]string{
				"mi/conf/deployment.toml": cMIDefault,
				"k8s/mi.yaml":             deploy("{path: /healthz, port: 9201}", "{path: /services/Version, port: 8290}"),
				"docker-compose.yml": "services:\n  mi:\n    image: wso2/wso2mi:4.2.0\n    ports: [\"8290:8290\"]\n" +
					"    healthcheck:\n      test: [\"CMD\", \"curl\", \"-f\", \"http://localhost:9201/liveness\", \"https://localhost:9164/management/login\", \"http://localhost:8290/healthzcheck\"]\n",
			},
		},
		{
			name: "Management API on HTTP too, a placeholder protocols value, an unknown port",
			files: map[string]string{
				"mi/conf/deployment.toml": "[management_api]\nprotocols = \"$env{MGMT_PROTOCOLS}\"\n",
				"k8s/mi.yaml":             deploy("{path: /management, port: 9201}", "{path: /healthz, port: 9999}"),
			},
		},
		{
			name: "a container of another image is not judged",
			files: map[string]string{
				"mi/conf/deployment.toml": cMIDefault,
				"docker-compose.yml": "services:\n  proxy:\n    image: nginx\n    ports: [\"8290:8290\"]\n" +
					"    healthcheck:\n      test: curl -f http://localhost:8290/healthz\n",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, ProbeWrongListener) })
	}
}
