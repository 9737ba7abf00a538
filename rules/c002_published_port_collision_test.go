package rules

import "testing"

func TestC002PublishedPortCollision(t *testing.T) {
	tests := []containerCase{
		{
			name: "two compose services publish the same host port",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml": cMIDefault,
				"h1/mi-b/conf/deployment.toml": "[server]\noffset = 1\n",
				"h1/docker-compose.yml": "services:\n  mi-a:\n    image: wso2/wso2mi\n    volumes: [\"./mi-a/conf:/c\"]\n" +
					"    ports: [\"8290:8290\", \"8253:8253\"]\n" +
					"  mi-b:\n    image: wso2/wso2mi\n    volumes: [\"./mi-b/conf:/c\"]\n" +
					"    ports:\n      - \"8290:8281\"\n      - target: 8244\n        published: \"8253\"\n        host_ip: 127.0.0.1\n",
			},
			want: []string{
				"h1/docker-compose.yml:10:10-10:14 C002 host port 8290 published by compose service mi-b (8290:8281) is already taken on host h1 by " +
					"compose service mi-a (8290:8290)",
				"h1/docker-compose.yml:12:21-12:25 C002 host port 8253 published by compose service mi-b (127.0.0.1:8253:8244) is already taken on host h1 by " +
					"compose service mi-a (8253:8253)",
			},
			related: []string{
				"h1/docker-compose.yml:5:14-5:18 compose service mi-a (8290:8290) also publishes host port 8290",
				"h1/docker-compose.yml:5:27-5:31 compose service mi-a (8253:8253) also publishes host port 8253",
			},
		},
		{
			name: "a compose service takes the port of an install on the host",
			files: map[string]string{
				"h1/mi/conf/deployment.toml": "[server]\noffset = 20\n",
				"h1/compose.yaml":            "services:\n  grafana:\n    image: grafana/grafana\n    ports: [\"9211:3000\", \"3000-3002:3000-3002\"]\n",
				"h1/other/compose.yaml":      "services:\n  web:\n    image: nginx\n    ports: [\"3001:80\"]\n",
			},
			want: []string{
				"h1/compose.yaml:4:14-4:18 C002 host port 9211 published by compose service grafana (9211:3000) is already taken on host h1 by " +
					"h1/mi's internal HTTP API listener (9191 + offset 20 = 9211)",
			},
			related: []string{
				"h1/mi/conf/deployment.toml:2:1-2:12 h1/mi's internal HTTP API listener (9191 + offset 20 = 9211) listens on 9211",
			},
		},
		{
			name: "a range collides once",
			files: map[string]string{
				"h1/compose.yaml": "services:\n  a:\n    image: x\n    ports: [\"9000-9002:9000-9002\"]\n" +
					"  b:\n    image: y\n    ports: [\"9001-9002:80-81\"]\n",
			},
			want: []string{
				"h1/compose.yaml:7:14-7:23 C002 host port 9001 published by compose service b (9001:80) is already taken on host h1 by compose service a (9001:9001)",
			},
		},
		// Near misses.
		{
			name: "an install that is its own service's build context runs in the container, not beside it on the host",
			files: map[string]string{
				"h1/micro-integrator/conf/deployment.toml": cMIDefault,
				"h1/micro-integrator/Dockerfile":           "FROM wso2/wso2mi:4.2.0\nCOPY conf/ /home/wso2carbon/wso2mi-4.2.0/conf/\n",
				"h1/docker-compose.yml": "services:\n  mi:\n    build: ./micro-integrator\n" +
					"    ports: [\"8290:8290\", \"8253:8253\", \"9164:9164\"]\n",
			},
		},
		{
			name: "different addresses, protocols, random ports",
			files: map[string]string{
				"h1/compose.yaml": "services:\n  a:\n    image: x\n    ports: [\"127.0.0.1:8290:8290\", \"514:514/udp\", \"8290\"]\n" +
					"  b:\n    image: y\n    ports: [\"10.0.0.1:8290:8290\", \"514:514\", \"8290\"]\n",
			},
		},
		{
			name: "an override file names the same service; another directory is another host",
			files: map[string]string{
				"h1/compose.yaml":          "services:\n  mi:\n    image: x\n    ports: [\"8290:8290\"]\n",
				"h1/compose.override.yaml": "services:\n  mi:\n    ports: [\"8290:8290\"]\n",
				"h2/compose.yaml":          "services:\n  mi:\n    image: x\n    ports: [\"8290:8290\"]\n",
			},
		},
		{
			name: "the install the container runs is not on the host",
			files: map[string]string{
				"h1/mi/conf/deployment.toml": cMIDefault,
				"h1/compose.yaml":            "services:\n  mi:\n    image: wso2/wso2mi\n    ports: [\"8290:8290\"]\n",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, PublishedPortCollision) })
	}
}
