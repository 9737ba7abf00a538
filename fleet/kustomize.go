package fleet

import (
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/wso2lint/wso2lint/internal/yamlast"
)

// This file reads the ConfigMaps a kustomization generates from files of
// the tree (configMapGenerator), which is how many repositories put the
// MI's conf/deployment.toml into a ConfigMap: the workload that mounts
// the generated ConfigMap over its conf/ runs that file's install.

// kustomizationNames are the file names kustomize reads.
var kustomizationNames = map[string]bool{"kustomization.yaml": true, "kustomization.yml": true, "Kustomization": true}

// cmGenerator is one configMapGenerator entry: the ConfigMap's name, the
// directory of its kustomization and its files by key (absolute paths).
// Its namespace is not kept: a kustomization's namespace applies to the
// workloads it builds as well.
type cmGenerator struct {
	file  *File
	dir   string
	name  string
	files map[string]string
}

// parseKustomization reads a kustomization's configMapGenerator entries.
// A file entry is "path" (the key is the file's base name) or
// "key=path", relative to the kustomization's directory.
func parseKustomization(f *File) []*cmGenerator {
	var out []*cmGenerator
	dir := filepath.Dir(f.Abs)
	for _, doc := range f.YAML.Documents {
		if len(doc.Content) == 0 {
			continue
		}
		root := yamlast.Resolve(doc.Content[0])
		_, gens := lookup(root, "configMapGenerator")
		if gens == nil || gens.Kind != yaml.SequenceNode {
			continue
		}
		for _, g := range gens.Content {
			_, name := lookup(g, "name")
			_, files := lookup(g, "files")
			if name == nil || name.Kind != yaml.ScalarNode || files == nil || files.Kind != yaml.SequenceNode {
				continue
			}
			gen := &cmGenerator{file: f, dir: dir, name: name.Value, files: map[string]string{}}
			for _, e := range files.Content {
				e = yamlast.Resolve(e)
				if e.Kind != yaml.ScalarNode || e.Value == "" {
					continue
				}
				key, p, ok := strings.Cut(e.Value, "=")
				if !ok {
					p, key = e.Value, filepath.Base(filepath.FromSlash(e.Value))
				}
				if filepath.IsAbs(p) || strings.Contains(p, "://") {
					continue // kustomize reads only files below its root
				}
				gen.files[key] = filepath.Clean(filepath.Join(dir, filepath.FromSlash(p)))
			}
			out = append(out, gen)
		}
	}
	return out
}

// generatedConfs links a container that mounts a ConfigMap no manifest
// defines to the configMapGenerator that makes it: one of a kustomization
// whose directory holds the container's manifest, of that name, in the
// container's namespace (or none set). The mount's key then names a file
// of the tree, whose install the container runs (mapContainer).
func (l *loader) generatedConfs(fl *Fleet, cms []*configMap, gens []*cmGenerator) {
	if len(gens) == 0 {
		return
	}
	for _, c := range fl.Containers {
		cm := c.confMount
		if cm == nil {
			continue
		}
		defined := false
		for _, m := range l.configMapsFor(c, cms) {
			defined = defined || m.name == cm.configMap && m.ns == c.Namespace
		}
		if defined {
			continue
		}
		for _, g := range gens {
			if g.name != cm.configMap || !(filepath.Dir(c.File.Abs) == g.dir || within(filepath.Dir(c.File.Abs), g.dir)) {
				continue
			}
			key := cm.key
			if key == "" {
				key = "deployment.toml"
				if cm.runtime != "" {
					key = "deployment.yaml"
				}
			}
			if p, ok := g.files[key]; ok {
				found := *cm
				found.key, found.generated, found.generator = key, p, g
				c.confMount = &found
			}
			break
		}
	}
}
