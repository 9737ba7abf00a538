package main

import (
	"fmt"
	"path/filepath"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
)

// shownConfig is the resolved configuration as --show-config prints it,
// in the key order of .wso2lint.yaml.
type shownConfig struct {
	Select         []string            `yaml:"select"`
	Ignore         []string            `yaml:"ignore"`
	FailLevel      string              `yaml:"fail-level"`
	Severity       map[string]string   `yaml:"severity"`
	EphemeralRange []int               `yaml:"ephemeral-range,flow"`
	Hosts          map[string][]string `yaml:"hosts"`
	Containers     map[string]string   `yaml:"containers"`
	Env            map[string]string   `yaml:"env"`
	Include        []string            `yaml:"include"`
	Exclude        []string            `yaml:"exclude"`
	PerFileIgnores map[string][]string `yaml:"per-file-ignores"`
	MaxFileSize    int64               `yaml:"max-file-size"`
}

// printConfig prints the configuration a run would use, command-line
// flags applied, with the file it came from.
func printConfig(e env, ld *loaded, selected, ignored []string, level lint.Severity) error {
	cfg := ld.cfg
	sc := shownConfig{
		Select: selected, Ignore: ignored, FailLevel: level.String(),
		Severity: map[string]string{}, EphemeralRange: lint.DefaultEphemeral[:],
		Hosts: map[string][]string{}, Containers: cfg.Containers, Env: cfg.Env, Include: cfg.Include, Exclude: cfg.Exclude,
		PerFileIgnores: map[string][]string{}, MaxFileSize: fleet.DefaultMaxFileSize,
	}
	if len(sc.Select) == 0 {
		sc.Select = []string{"(default: every rule not off by default)"}
	}
	for code, s := range cfg.Severity {
		sc.Severity[code] = s.String()
	}
	if cfg.Ephemeral != [2]int{} {
		sc.EphemeralRange = cfg.Ephemeral[:]
	}
	for _, h := range cfg.Hosts {
		sc.Hosts[h.Name] = h.Globs
	}
	for _, p := range cfg.PerFileIgnores {
		sc.PerFileIgnores[p.Glob] = p.Codes
	}
	if cfg.MaxFileSize > 0 {
		sc.MaxFileSize = cfg.MaxFileSize
	}
	src := "none: built-in defaults"
	if ld.cfgPath != "" {
		src = ld.cfgPath
		if rel, err := filepath.Rel(e.workDir, ld.cfgPath); err == nil && !strings.HasPrefix(rel, "..") {
			src = filepath.ToSlash(rel)
		}
	}
	b, err := yaml.Marshal(sc)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(e.stdout, "# configuration: %s\n%s", src, b)
	return err
}
