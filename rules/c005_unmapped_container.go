package rules

import (
	"fmt"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
)

// UnmappedContainer reports, once, a compose service or Kubernetes
// container that looks like it runs a WSO2 install (by its image or its
// mounts, or because the configuration names it) but that wso2lint could
// not match to one install of the linted tree: its ports are then not
// checked, and wso2lint says so rather than guess.
var UnmappedContainer = &lint.Rule{
	Code:     "C005",
	Name:     "unmapped-container",
	Severity: lint.Info,
	Fix:      lint.NoFix,
	Doc: lint.Doc{
		Title: "a WSO2 container cannot be matched to an install, so its ports are not checked",
		Rationale: "The cross-file rules (C001, C002, C004) need to know which install a container runs. " +
			"wso2lint matches by the `containers:` mapping of `.wso2lint.yaml`, by a bind mount of the install's " +
			"files or a compose build context whose Dockerfile `COPY`s or `ADD`s them into the image, or by the image when exactly one install of that product is under the file's directory, " +
			"else in the file's repository (the nearest directory above it holding `.git`, or `.wso2lint.yaml`), " +
			"else, when there is neither, in the linted tree; so a manifest maps the same whether its repository " +
			"is linted alone or inside a larger tree. It never " +
			"guesses. When a container runs a WSO2 image (`wso2/wso2mi*`, `wso2/wso2mi-dashboard*`, " +
			"`wso2/wso2ei-analytics*`, `wso2/wso2si*`) or mounts files of several installs and none of these " +
			"decides, this finding says why, once per container, at its image (else its name). Map it explicitly " +
			"in `.wso2lint.yaml` with `containers: {mi: \"prod/h1/mi-a\"}` (a compose service, a workload as " +
			"`name`, `Kind/name` or `name/container`, or a Service, to a glob of install roots).\n\n" +
			"A Kubernetes container that mounts a ConfigMap's `deployment.toml` over its `conf/` (by `subPath`, " +
			"or the whole ConfigMap, or its `items`, when it carries that key) runs the ConfigMap's config, which " +
			"wso2lint reads as that container's install. When the ConfigMap is not among the linted manifests of " +
			"the container's repository (in its namespace), or several of them define it, the container is " +
			"reported here rather than judged against the install beside the manifest.\n\n" +
			"Containers of other images (databases, proxies) are not reported, nor are containers whose image is " +
			"an unresolved variable.",
		BadFile: "docker-compose.yml",
		Bad:     "# two MI installs in the tree: h1/mi-a and h1/mi-b\nservices:\n  mi:\n    image: wso2/wso2mi:4.2.0\n    ports: [\"8290:8290\"]\n",
		Good: "# two MI installs in the tree: h1/mi-a and h1/mi-b; .wso2lint.yaml maps the service:\n" +
			"#   containers: {mi: \"h1/mi-a\"}\nservices:\n  mi:\n    image: wso2/wso2mi:4.2.0\n    ports: [\"8290:8290\"]\n",
	},
	Check:   checkUnmappedContainer,
	Scope:   lint.ModelScope,
	Reaches: lint.ContainersOnly,
}

func checkUnmappedContainer(p *lint.Pass) {
	for _, c := range p.Fleet.Containers {
		if c.Unmapped == "" {
			continue
		}
		span := c.ImageSpan
		if span.End == span.Start {
			span = c.NameSpan
		}
		msg := c.Title() + " is not matched to an install"
		if prod, _ := fleet.ImageProduct(c.Image); c.ImageKnown && prod != "" && prod == c.Looks {
			msg = fmt.Sprintf("%s runs an %s image (%s) but is not matched to an install", c.Title(), fleet.ProductTitle(prod), c.Image)
		}
		p.Reportf(c.File, span, c.Install, c.Key, "%s: %s; its ports are not checked", msg, c.Unmapped)
	}
}
