package lint_test

import (
	"fmt"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/srcpos"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/linttest"
	"github.com/wso2lint/wso2lint/rewrite"
	"github.com/wso2lint/wso2lint/rules"
)

// configMapFleet is a manifest whose ConfigMap carries toml (indented
// under a literal block), mounted by a Deployment of wso2/wso2mi:4.3.0.
func configMapFleet(toml string) map[string]string {
	var b strings.Builder
	b.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: mi-conf}\ndata:\n  deployment.toml: |\n")
	for _, l := range strings.SplitAfter(toml, "\n") {
		if strings.TrimSpace(l) != "" {
			b.WriteString("    ")
		}
		b.WriteString(l)
	}
	b.WriteString("---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: mi}\nspec:\n  template:\n    spec:\n" +
		"      containers:\n        - name: mi\n          image: wso2/wso2mi:4.3.0\n          volumeMounts:\n" +
		"            - {name: conf, mountPath: /home/wso2carbon/wso2mi-4.3.0/conf/deployment.toml, subPath: deployment.toml}\n" +
		"      volumes:\n        - {name: conf, configMap: {name: mi-conf}}\n")
	return map[string]string{"k8s/mi.yaml": b.String()}
}

// describe renders findings as "path:line:col CODE suppressed fix".
func describe(fs []*lint.Finding) []string {
	var out []string
	for _, f := range fs {
		s := f.Start()
		fix := "-"
		if f.Fix != nil {
			fix = f.Fix.Applicability.String()
		}
		out = append(out, fmt.Sprintf("%s:%d:%d %s suppressed=%v fix=%s", f.File.Path, s.Line, s.Col, f.Rule.Code, f.Suppressed, fix))
	}
	return out
}

// TestEmbeddedFindingsInManifest checks that the findings on a ConfigMap's
// config point into the manifest, that an inline suppression written in
// the config (a TOML comment) suppresses, and that a per-file ignore names
// the manifest.
func TestEmbeddedFindingsInManifest(t *testing.T) {
	files := configMapFleet("[server]\nhostname = \"mi\"\nportOffset = 10\n\n[mediation]\n" +
		"# wso2lint: ignore[K002] kept for the old chart\nsynapse.fooBar = true\ninternal.http.api.port = 9201\n")
	fs := runAll(t, files)
	got := describe(fs)
	want := []string{
		"k8s/mi.yaml:8:5 K002 suppressed=false fix=safe",
		"k8s/mi.yaml:12:5 K002 suppressed=true fix=-",
		"k8s/mi.yaml:13:5 K001 suppressed=false fix=safe",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got\n\t%s\nwant\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
	// Every fix edits the manifest, and the manifest with it applied
	// still parses and carries the fixed config.
	src := []byte(files["k8s/mi.yaml"])
	for _, f := range fs {
		if f.Fix == nil {
			continue
		}
		fixed, err := rewrite.Apply(src, f.Fix.Edits)
		if err != nil {
			t.Fatal(err)
		}
		var doc struct {
			Data map[string]string `yaml:"data"`
		}
		if err := yaml.Unmarshal(fixed, &doc); err != nil {
			t.Fatalf("%s fix breaks the manifest: %v\n%s", f.Rule.Code, err, fixed)
		}
		for _, e := range f.Fix.Edits {
			if e.Path != "k8s/mi.yaml" {
				t.Errorf("%s fix edits %s", f.Rule.Code, e.Path)
			}
		}
		if !strings.Contains(doc.Data["deployment.toml"], "[mediation]\n") {
			t.Errorf("%s fix lost the config:\n%s", f.Rule.Code, doc.Data["deployment.toml"])
		}
	}

	fl := linttest.Fleet(t, files, fleet.Options{})
	enabled, err := lint.Select(rules.All, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	fs, err = lint.Run(fl, lint.Options{Rules: rules.All, Enabled: enabled,
		PerFileIgnores: []lint.PerFileIgnore{{Glob: "k8s/*.yaml", Codes: []string{"K001"}}}})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range fs {
		if f.Rule.Code == "K001" {
			t.Errorf("per-file-ignores k8s/*.yaml does not cover the config in it: %s", describe([]*lint.Finding{f}))
		}
	}
}

// TestEmbeddedFixRefused checks that a fix the block cannot carry is taken
// off its finding, which is still reported, with the reason.
func TestEmbeddedFixRefused(t *testing.T) {
	files := configMapFleet("[server]\nhostname = \"mi\"\n")
	// The same config, as a quoted string on one line.
	files["k8s/mi.yaml"] = strings.Replace(files["k8s/mi.yaml"], "  deployment.toml: |\n    [server]\n    hostname = \"mi\"\n",
		"  deployment.toml: \"[server]\\nhostname = \\\"mi\\\"\\nportOffset = 10\\n\"\n", 1)
	fs := runAll(t, files)
	if len(fs) != 1 || fs[0].Rule.Code != "K002" || fs[0].Fix != nil || !strings.Contains(fs[0].Message, "(no fix: the config is a quoted") {
		t.Fatalf("got %v", describe(fs))
	}
	if s := fs[0].Start(); s.Line != 5 || s.Col != 50 {
		t.Errorf("K002 at %d:%d, want 5:50 (the key inside the quoted string)", s.Line, s.Col)
	}
}

// TestEmbeddedManifestDirectives checks that the manifest's own
// suppressions cover the config a ConfigMap in it carries: an ignore-file
// at its top, and an ignore-file at the top of the config itself.
func TestEmbeddedManifestDirectives(t *testing.T) {
	files := configMapFleet("[server]\nhostname = \"mi\"\nportOffset = 10\n")
	files["k8s/mi.yaml"] = "# wso2lint: ignore-file[K002] the chart renames it\n" + files["k8s/mi.yaml"]
	fs := runAll(t, files)
	if got := describe(fs); strings.Join(got, "\n") != "k8s/mi.yaml:9:5 K002 suppressed=true fix=safe" {
		t.Errorf("manifest ignore-file: %v", got)
	}
	files = configMapFleet("# wso2lint: ignore-file[K002] the chart renames it\n[server]\nhostname = \"mi\"\nportOffset = 10\n")
	files["k8s/mi.yaml"] = strings.Repeat("# padding\n", 10) + files["k8s/mi.yaml"]
	fs = runAll(t, files)
	if got := describe(fs); strings.Join(got, "\n") != "k8s/mi.yaml:19:5 K002 suppressed=true fix=safe" {
		t.Errorf("ignore-file at the top of the config, on manifest line 16: %v", got)
	}
}

// TestEmbeddedSafeFixThatMovesAListener checks that the port-map safety
// net watches the configs a manifest's ConfigMaps carry: a fix marked
// safe that moves their listeners is withheld from a safe run.
func TestEmbeddedSafeFixThatMovesAListener(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, configMapFleet("[server]\nhostname = \"mi\"\n"))
	rule := &lint.Rule{Code: "Z903", Name: "test-offset-writer", Severity: lint.Warning, Scope: lint.HostScope,
		Check: func(p *lint.Pass) {
			for _, in := range p.Fleet.Installs {
				f := in.Runtimes[0].File
				if strings.Contains(string(f.Src), "offset") {
					continue
				}
				fd := p.Reportf(f, srcpos.Span{Start: 0, End: 8}, in, "", "offset")
				fd.Fix = &lint.Fix{Applicability: lint.Safe, Message: "write the offset",
					Edits: []rewrite.Edit{{Path: f.Path, Start: len(f.Src), End: len(f.Src), New: "offset = 30\n"}}}
			}
		}}
	opt := lint.Options{Rules: []*lint.Rule{rule}, Enabled: map[*lint.Rule]bool{rule: true}}
	load := dirLoader(dir)
	res, err := lint.ApplyFixes(load, opt, lint.FixOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 0 || len(res.Findings) != 1 || !strings.Contains(res.Findings[0].Message,
		"fix withheld: it would move 4 running listeners (k8s/mi.yaml#ConfigMap/mi-conf's HTTP pass-through listener 8290 → 8310") {
		t.Fatalf("safe run changed %d files; findings %+v", len(res.Files), res.Findings)
	}
	res, err = lint.ApplyFixes(load, opt, lint.FixOptions{Unsafe: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Files) != 1 || len(res.Findings) != 0 {
		t.Fatalf("unsafe run: %d files changed, %d findings left; want 1 and 0", len(res.Files), len(res.Findings))
	}
	if !strings.Contains(string(res.Files[0].Fixed), "    hostname = \"mi\"\n    offset = 30\n---\n") {
		t.Errorf("the manifest after the unsafe fix:\n%s", res.Files[0].Fixed)
	}
}

// TestEmbeddedMessageLines checks that a line a message names inside a
// ConfigMap's config is the manifest's line.
func TestEmbeddedMessageLines(t *testing.T) {
	fs := runAll(t, configMapFleet("[server]\nhostname = \"mi\"\noffset = 10\nportOffset = 10\n"))
	for _, f := range fs {
		if f.Rule.Code == "K002" && f.Start().Line == 9 {
			if !strings.Contains(f.Message, "already set on line 8") {
				t.Errorf("K002 message names another line than the manifest's 8: %s", f.Message)
			}
			return
		}
	}
	t.Fatalf("no K002 on manifest line 9: %v", describe(fs))
}

// TestEmbeddedEIMessageLines checks the same for an EI Analytics config:
// the key that blocks the rename of a worker's misspelt `Port` is on
// config line 7, which is manifest line 12.
func TestEmbeddedEIMessageLines(t *testing.T) {
	manifest := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: worker-conf}\ndata:\n  deployment.yaml: |\n" +
		"    wso2.carbon:\n      id: wso2-sp\n    wso2.transport.http:\n      listenerConfigurations:\n        - id: default\n          host: 0.0.0.0\n" +
		"          port: 9091\n          Port: 9092\n" +
		"---\napiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: worker}\nspec:\n  template:\n    spec:\n" +
		"      containers:\n        - name: worker\n          image: wso2/wso2ei-analytics-worker:6.6.0\n          volumeMounts:\n" +
		"            - {name: conf, mountPath: /home/wso2carbon/wso2ei-6.6.0/wso2/analytics/conf/worker}\n" +
		"      volumes:\n        - {name: conf, configMap: {name: worker-conf}}\n"
	var k002 *lint.Finding
	for _, f := range runAll(t, map[string]string{"k8s/worker.yaml": manifest}) {
		if f.Rule.Code == "K002" {
			k002 = f
		}
	}
	if k002 == nil {
		t.Fatal("no K002 on the misspelt `Port`")
	}
	if s := k002.Start(); k002.File.Path != "k8s/worker.yaml" || s.Line != 13 {
		t.Errorf("K002 at %s:%d, want k8s/worker.yaml:13", k002.File.Path, s.Line)
	}
	if !strings.Contains(k002.Message, "line 12") || strings.Contains(k002.Message, "line 7") {
		t.Errorf("message %q should name manifest line 12, where `port` is set", k002.Message)
	}
}
