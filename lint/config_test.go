package lint_test

import (
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
)

func TestParseConfig(t *testing.T) {
	src := `select: [ALL]
ignore: [K005]
fail-level: error
severity: {P001: warning}
ephemeral-range: [40000, 50000]
hosts:
  edge-1: ["prod/edge-1/*"]
containers: {mi: "prod/edge-1/mi-a", "Deployment/eia": "prod/**/eia"}
env: {MI_HTTP_PORT: "8290"}
include: ["prod/**"]
exclude: ["**/backup/**"]
per-file-ignores: {"legacy/**": [K001]}
max-file-size: 2MiB
mi-version: {"prod/legacy/**": "4.0", "prod/**": "v4.2.0"}
ei-analytics-version: {"prod/ei/**": "6.6", "prod/**": "7.1.0"}
`
	cfg, err := lint.ParseConfig([]byte(src), ".wso2lint.yaml", testRules)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(cfg.Select, ",") != "ALL" || strings.Join(cfg.Ignore, ",") != "K005" ||
		!cfg.HasFailLevel || cfg.FailLevel != lint.Error || cfg.Severity["P001"] != lint.Warning ||
		cfg.Ephemeral != [2]int{40000, 50000} || len(cfg.Hosts) != 1 || cfg.Hosts[0].Name != "edge-1" ||
		cfg.Env["MI_HTTP_PORT"] != "8290" || cfg.Exclude[0] != "**/backup/**" || cfg.Include[0] != "prod/**" ||
		cfg.PerFileIgnores[0].Glob != "legacy/**" || cfg.MaxFileSize != 2<<20 ||
		cfg.Containers["mi"] != "prod/edge-1/mi-a" || cfg.Containers["Deployment/eia"] != "prod/**/eia" ||
		len(cfg.MIVersions) != 2 || cfg.MIVersions[0] != (fleet.VersionGlob{Glob: "prod/legacy/**", Release: 0}) ||
		cfg.MIVersions[1] != (fleet.VersionGlob{Glob: "prod/**", Release: 2}) ||
		len(cfg.EIVersions) != 2 || cfg.EIVersions[0] != (fleet.EIVersionGlob{Glob: "prod/ei/**", Line: fleet.EI6Analytics}) ||
		cfg.EIVersions[1] != (fleet.EIVersionGlob{Glob: "prod/**", Line: fleet.EI71Analytics}) {
		t.Errorf("config = %+v", cfg)
	}
}

// TestConfigErrors checks that every mistake is an error naming the file,
// line and column.
func TestConfigErrors(t *testing.T) {
	tests := []struct{ src, want string }{
		{"selct: [ALL]\n", `c.yaml:1:1: unknown configuration key "selct"`},
		{"select: [ALL]\nignore: [Z999]\n", `c.yaml:2:10: unknown rule selector "Z999"`},
		{"exclude:\n  - \"[\"\n", `c.yaml:2:5: bad glob "["`},
		{"severity: {P001: fatal}\n", `c.yaml:1:18: unknown severity "fatal"`},
		{"severity: {Q001: info}\n", `c.yaml:1:12: unknown rule "Q001"`},
		{"fail-level: loud\n", `c.yaml:1:13: unknown severity "loud"`},
		{"ephemeral-range: [5, 1]\n", `c.yaml:1:18: ephemeral-range wants two ports 1-65535, low first`},
		{"max-file-size: lots\n", `c.yaml:1:16: max-file-size wants a positive size`},
		{"containers: [mi]\n", `c.yaml:1:13: want a mapping`},
		{"mi-version: {\"prod/**\": \"4.5\"}\n", `c.yaml:1:25: mi-version: "4.5" is not an MI release the catalogue knows (4.0 to 4.4)`},
		{"mi-version: {\"[\": \"4.2\"}\n", `c.yaml:1:14: bad glob "["`},
		{"ei-analytics-version: {\"prod/**\": \"6.2\"}\n", `c.yaml:1:35: ei-analytics-version: "6.2" is not an EI Analytics release wso2lint knows (6.4, 6.5, 6.6 or 7.1)`},
		{"ei-analytics-version: {\"[\": \"6.6\"}\n", `c.yaml:1:24: bad glob "["`},
		{"containers: {mi: [a, b]}\n", `c.yaml:1:18: containers: mi wants one install root glob`},
		{"containers:\n  mi: \"[\"\n", `c.yaml:2:7: bad glob "["`},
		{"select: [ALL]\nselect: [P]\n", `c.yaml:2:1: key "select" is defined more than once`},
		{"- a\n", `c.yaml:1:1: the configuration must be a mapping`},
		{"select: [ALL\n", `c.yaml:`},
	}
	for _, tt := range tests {
		_, err := lint.ParseConfig([]byte(tt.src), "c.yaml", testRules)
		if err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("ParseConfig(%q) error = %v, want prefix %q", tt.src, err, tt.want)
		}
	}
}
