package rules

import (
	"path"
	"strings"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
)

// MountMissesHome reports a compose bind or volume mount or a Kubernetes
// volume mount into the home of another
// MI version than the image runs: wso2/wso2mi:4.3.0 reads
// /home/wso2carbon/wso2mi-4.3.0/conf, so a deployment.toml mounted into
// /home/wso2carbon/wso2mi-4.0.0/conf is never read and the server runs
// the image's own configuration.
var MountMissesHome = &lint.Rule{
	Code:     "C007",
	Name:     "mount-misses-home",
	Severity: lint.Error,
	Fix:      lint.NoFix,
	Doc: lint.Doc{
		Title: "a mount targets the home of another MI version than the image runs",
		Rationale: "WSO2's official images keep the server in a home named for the version: `wso2/wso2mi:4.3.0` " +
			"in `/home/wso2carbon/wso2mi-4.3.0`, `wso2/wso2mi-dashboard:4.1.0` in " +
			"`/home/wso2carbon/wso2mi-dashboard-4.1.0` (the tag's first three numbers: `4.2.0-alpine` and " +
			"`4.2.0.3` are 4.2.0). A compose bind mount, a compose named or anonymous volume " +
			"(`mi-conf:/home/wso2carbon/wso2mi-4.0.0/conf`, `type: volume`) or a Kubernetes `volumeMounts` entry " +
			"into `/home/wso2carbon/wso2mi-4.0.0/conf` after the " +
			"image was bumped to 4.3.0 creates a directory the server never looks at: it starts with the image's " +
			"default configuration, on the default ports, and nothing says so. The cross-file rules still judge " +
			"the container by the mounted files, so fix the mount first.\n\n" +
			"Reported at the mount's target, an error when the tag names a version. When the tag does not " +
			"(`latest`, no tag, a digest) the image's home is unknown and the finding is an info: pin the tag. " +
			"Only mounts into a home of the same product (`/home/wso2carbon/wso2mi-X.Y.Z/…`) of the official " +
			"images (`wso2mi`, `wso2mi-dashboard` under any registry) are judged: custom images lay their files " +
			"out as their Dockerfile says. There is no " +
			"fix: which of the image tag and the mount path is right is a choice about what runs.",
		BadFile: "docker-compose.yml",
		Bad: "services:\n  mi:\n    image: wso2/wso2mi:4.3.0\n" +
			"    volumes: [\"./mi/conf/deployment.toml:/home/wso2carbon/wso2mi-4.0.0/conf/deployment.toml\"]\n",
		Good: "services:\n  mi:\n    image: wso2/wso2mi:4.3.0\n" +
			"    volumes: [\"./mi/conf/deployment.toml:/home/wso2carbon/wso2mi-4.3.0/conf/deployment.toml\"]\n",
	},
	Check:   checkMountMissesHome,
	Scope:   lint.ModelScope,
	Reaches: lint.ContainersOnly,
}

func checkMountMissesHome(p *lint.Pass) {
	for _, c := range p.Fleet.Containers {
		if !c.ImageKnown {
			continue
		}
		name, home := fleet.ImageHome(c.Image)
		if name == "" {
			continue
		}
		for _, m := range append(append([]fleet.Mount(nil), c.Mounts...), c.VolumeMounts...) {
			got := mountedHome(m.Target, name)
			if got == "" || got == home {
				continue
			}
			if home != "" {
				p.Reportf(c.File, m.TargetSpan, c.Install, mountsKey(c),
					"%s mounts %s into %s, but %s keeps its server in %s: the server never reads the mount",
					c.Title(), m.Target, got, c.Image, home)
				continue
			}
			fd := p.Reportf(c.File, m.TargetSpan, c.Install, mountsKey(c),
				"%s mounts %s into %s, but the tag of %s does not say which version's home the image has: "+
					"the mount reaches the server only if the image runs %s; pin the tag",
				c.Title(), m.Target, got, c.Image, strings.TrimPrefix(path.Base(got), name+"-"))
			fd.Tentative = true
		}
	}
}

// mountsKey is the logical key of a container's mounts.
func mountsKey(c *fleet.Container) string {
	if c.Kind == "service" {
		return c.Key + ".volumes"
	}
	return c.Key + ".volumeMounts"
}

// mountedHome returns the product home a mount target lies in
// (/home/wso2carbon/wso2mi-4.0.0 for .../wso2mi-4.0.0/conf), when it is a
// versioned home of the product named name; "" otherwise.
func mountedHome(target, name string) string {
	if target == "" {
		return ""
	}
	t := path.Clean(target)
	rest, ok := strings.CutPrefix(t, "/home/wso2carbon/")
	if !ok {
		return ""
	}
	elem, _, _ := strings.Cut(rest, "/")
	v, ok := strings.CutPrefix(elem, name+"-")
	if !ok || v == "" || v[0] < '0' || v[0] > '9' {
		return "" // wso2mi-dashboard-… is not an MI home
	}
	return "/home/wso2carbon/" + elem
}
