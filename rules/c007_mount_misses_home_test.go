package rules

import (
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/linttest"
)

func TestC007MountMissesHome(t *testing.T) {
	tests := []containerCase{
		{
			name: "image bumped to 4.3.0, the conf mount still targets the 4.0.0 home",
			files: map[string]string{
				"micro-integrator/conf/deployment.toml": cMIDefault,
				"docker-compose.yml": "services:\n  mi:\n    image: wso2/wso2mi:4.3.0\n    volumes:\n" +
					"      - ./micro-integrator/conf:/home/wso2carbon/wso2mi-4.0.0/conf:ro\n" +
					"      - ./carbonapps:/home/wso2carbon/wso2mi-4.3.0/repository/deployment/server/carbonapps\n",
			},
			want: []string{
				"docker-compose.yml:5:33-5:67 C007 compose service mi mounts /home/wso2carbon/wso2mi-4.0.0/conf into /home/wso2carbon/wso2mi-4.0.0, " +
					"but wso2/wso2mi:4.3.0 keeps its server in /home/wso2carbon/wso2mi-4.3.0: the server never reads the mount",
			},
		},
		{
			name: "long syntax, an alpine tag, the Dashboard image",
			files: map[string]string{
				"mi/conf/deployment.toml": cMIDefault,
				"docker-compose.yml": "services:\n  mi:\n    image: docker.wso2.com/wso2mi:4.2.0-alpine\n    volumes:\n" +
					"      - type: bind\n        source: ./mi/conf/deployment.toml\n        target: /home/wso2carbon/wso2mi-4.1.0/conf/deployment.toml\n" +
					"  dashboard:\n    image: wso2/wso2mi-dashboard:4.2.0\n    volumes: [\"./dash.toml:/home/wso2carbon/wso2mi-dashboard-4.1.0/conf/deployment.toml\"]\n",
			},
			want: []string{
				"docker-compose.yml:7:17-7:67 C007 compose service mi mounts /home/wso2carbon/wso2mi-4.1.0/conf/deployment.toml into /home/wso2carbon/wso2mi-4.1.0, " +
					"but docker.wso2.com/wso2mi:4.2.0-alpine keeps its server in /home/wso2carbon/wso2mi-4.2.0: the server never reads the mount",
				"docker-compose.yml:10:28-10:88 C007 compose service dashboard mounts /home/wso2carbon/wso2mi-dashboard-4.1.0/conf/deployment.toml into " +
					"/home/wso2carbon/wso2mi-dashboard-4.1.0, but wso2/wso2mi-dashboard:4.2.0 keeps its server in " +
					"/home/wso2carbon/wso2mi-dashboard-4.2.0: the server never reads the mount",
			},
		},
		{
			name: "Kubernetes: a ConfigMap mounted into the 4.1.0 home of a 4.3.0 image",
			files: map[string]string{
				"k8s/mi.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: mi}\nspec:\n  template:\n    spec:\n" +
					"      containers:\n        - name: mi\n          image: wso2/wso2mi:4.3.0\n          volumeMounts:\n" +
					"            - {name: conf, mountPath: /home/wso2carbon/wso2mi-4.1.0/conf/deployment.toml, subPath: deployment.toml}\n" +
					"            - {name: cars, mountPath: /home/wso2carbon/wso2mi-4.3.0/repository/deployment/server/carbonapps}\n" +
					"      volumes: [{name: conf, configMap: {name: mi-conf}}, {name: cars, emptyDir: {}}]\n",
			},
			want: []string{
				"k8s/mi.yaml:11:39-11:89 C007 Deployment mi mounts /home/wso2carbon/wso2mi-4.1.0/conf/deployment.toml into /home/wso2carbon/wso2mi-4.1.0, " +
					"but wso2/wso2mi:4.3.0 keeps its server in /home/wso2carbon/wso2mi-4.3.0: the server never reads the mount",
			},
		},
		{
			name: "compose named volumes, short and long syntax, and an anonymous volume",
			files: map[string]string{
				"mi/conf/deployment.toml": cMIDefault,
				"docker-compose.yml": "services:\n  mi:\n    image: wso2/wso2mi:4.3.0\n    volumes:\n" +
					"      - mi-conf:/home/wso2carbon/wso2mi-4.2.0/conf:ro\n" +
					"      - type: volume\n        source: mi-logs\n        target: /home/wso2carbon/wso2mi-4.2.0/repository/logs\n" +
					"      - /home/wso2carbon/wso2mi-4.1.0/tmp\n" +
					// Near misses: named volumes into the right home, and
					// elsewhere.
					"      - mi-cars:/home/wso2carbon/wso2mi-4.3.0/repository/deployment/server/carbonapps\n" +
					"      - cache:/var/cache\n" +
					"volumes: {mi-conf: {}, mi-logs: {}, mi-cars: {}, cache: {}}\n",
			},
			want: []string{
				"docker-compose.yml:5:17-5:51 C007 compose service mi mounts /home/wso2carbon/wso2mi-4.2.0/conf into /home/wso2carbon/wso2mi-4.2.0, " +
					"but wso2/wso2mi:4.3.0 keeps its server in /home/wso2carbon/wso2mi-4.3.0: the server never reads the mount",
				"docker-compose.yml:8:17-8:62 C007 compose service mi mounts /home/wso2carbon/wso2mi-4.2.0/repository/logs into /home/wso2carbon/wso2mi-4.2.0, " +
					"but wso2/wso2mi:4.3.0 keeps its server in /home/wso2carbon/wso2mi-4.3.0: the server never reads the mount",
				"docker-compose.yml:9:9-9:42 C007 compose service mi mounts /home/wso2carbon/wso2mi-4.1.0/tmp into /home/wso2carbon/wso2mi-4.1.0, " +
					"but wso2/wso2mi:4.3.0 keeps its server in /home/wso2carbon/wso2mi-4.3.0: the server never reads the mount",
			},
		},
		// Near misses.
		{
			name: "the right home, an update-level tag, mounts elsewhere, a custom image, another product's home",
			files: map[string]string{
				"mi/conf/deployment.toml": cMIDefault,
				"docker-compose.yml": "services:\n  mi:\n    image: wso2/wso2mi:4.2.0.3\n" +
					"    volumes: [\"./mi/conf:/home/wso2carbon/wso2mi-4.2.0/conf\", \"./logs:/var/log/mi\", \"./x:/home/wso2carbon/wso2mi-dashboard-4.0.0/conf\"]\n" +
					"  custom:\n    image: acme/wso2mi-custom:1.0\n    volumes: [\"./mi/conf:/home/wso2carbon/wso2mi-4.0.0/conf\"]\n" +
					"  k:\n    image: wso2/wso2mi:4.2.0\n    volumes: [\"./mi/conf:/opt/wso2mi-4.0.0/conf\"]\n",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, MountMissesHome) })
	}
}

// TestC007UnknownTagIsInfo checks that a mount into a versioned home of an
// image whose tag names no version is reported as info, not as an error.
func TestC007UnknownTagIsInfo(t *testing.T) {
	files := map[string]string{
		"mi/conf/deployment.toml": cMIDefault,
		"docker-compose.yml": "services:\n  mi:\n    image: wso2/wso2mi:latest\n    volumes: [\"./mi/conf:/home/wso2carbon/wso2mi-4.0.0/conf\"]\n" +
			"  mi2:\n    image: wso2/wso2mi\n    volumes: [\"./mi/conf:/home/wso2carbon/wso2mi-4.4.0/conf\"]\n",
	}
	_, got := linttest.RunFleet(t, MountMissesHome, files, fleet.Options{})
	linttest.Check(t, got, []string{
		"docker-compose.yml:4:26-4:60 C007 compose service mi mounts /home/wso2carbon/wso2mi-4.0.0/conf into /home/wso2carbon/wso2mi-4.0.0, " +
			"but the tag of wso2/wso2mi:latest does not say which version's home the image has: the mount reaches the server only if the image runs 4.0.0; pin the tag",
		"docker-compose.yml:7:26-7:60 C007 compose service mi2 mounts /home/wso2carbon/wso2mi-4.4.0/conf into /home/wso2carbon/wso2mi-4.4.0, " +
			"but the tag of wso2/wso2mi does not say which version's home the image has: the mount reaches the server only if the image runs 4.4.0; pin the tag",
	})
	for _, f := range got {
		if f.Severity != lint.Info {
			t.Errorf("%s: severity %v, want info", linttest.Describe(f), f.Severity)
		}
	}
}
