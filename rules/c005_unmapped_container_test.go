package rules

import "testing"

func TestC005UnmappedContainer(t *testing.T) {
	tests := []containerCase{
		{
			name: "an MI image with two MI installs in the tree",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml": cMIDefault,
				"h1/mi-b/conf/deployment.toml": cMIDefault,
				"h1/compose.yaml":              "services:\n  mi:\n    image: \"wso2/wso2mi:4.2.0\"\n    ports: [\"8290:8290\"]\n",
			},
			want: []string{
				"h1/compose.yaml:3:12-3:31 C005 compose service mi runs an MI image (wso2/wso2mi:4.2.0) but is not matched to an install: " +
					"the image matches 2 MI installs (h1/mi-a, h1/mi-b); map it under containers: in .wso2lint.yaml; its ports are not checked",
			},
		},
		{
			name: "a Dashboard image without a Dashboard install; a configuration glob that matches nothing",
			files: map[string]string{
				"h1/mi/conf/deployment.toml": cMIDefault,
				"h1/compose.yaml":            "services:\n  dashboard:\n    image: wso2/wso2mi-dashboard:4.2.0\n  app:\n    build: .\n",
				"k8s/mi.yaml":                "apiVersion: v1\nkind: Pod\nmetadata: {name: mi}\nspec:\n  containers: [{name: mi, image: wso2/wso2mi}]\n",
			},
			containers: map[string]string{"app": "h1/mi", "Pod/mi": "h9/*"},
			want: []string{
				"h1/compose.yaml:3:12-3:39 C005 compose service dashboard runs an MI Dashboard image (wso2/wso2mi-dashboard:4.2.0) but is not matched to an install: " +
					"no MI Dashboard install is in the linted tree; its ports are not checked",
				"k8s/mi.yaml:5:34-5:45 C005 Pod mi runs an MI image (wso2/wso2mi) but is not matched to an install: " +
					"containers: maps Pod/mi to \"h9/*\", which matches no install; its ports are not checked",
			},
		},
		// Near misses.
		{
			name: "other images, an unresolved image, mapped containers",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml": cMIDefault,
				"h1/mi-b/conf/deployment.toml": cMIDefault,
				"h1/compose.yaml": "services:\n  db:\n    image: postgres:16\n  mi:\n    image: ${MI_IMAGE}\n" +
					"  mi-a:\n    image: wso2/wso2mi\n    volumes: [\"./mi-a/conf/deployment.toml:/c/deployment.toml:ro\"]\n",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { tt.run(t, UnmappedContainer) })
	}
}
