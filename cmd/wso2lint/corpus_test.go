package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

// corpusDir holds real public WSO2 config files (../shared/corpus, see its
// SOURCES.md). They are never copied into this repository: the test lays
// them out in a temporary directory as installs and lints them.
var corpusDir = filepath.Join("..", "..", "..", "shared", "corpus")

// corpusLayout maps a corpus file name to where it sits in an install.
func corpusLayout(name string) string {
	switch {
	case strings.HasSuffix(name, "__worker__deployment.yaml"):
		return "wso2/analytics/conf/worker/deployment.yaml"
	case strings.HasSuffix(name, "__dashboard__deployment.yaml"):
		return "wso2/analytics/conf/dashboard/deployment.yaml"
	case strings.HasSuffix(name, "__server__deployment.yaml"):
		return "conf/server/deployment.yaml"
	case strings.HasSuffix(name, "__portal__deployment.yaml"):
		return "conf/portal/deployment.yaml"
	case strings.HasSuffix(name, "deployment.toml"), strings.HasSuffix(name, "deployment.toml.at-1590dcad"),
		strings.HasSuffix(name, "deployment-full.toml"):
		return "conf/deployment.toml"
	}
	return ""
}

type jsonFinding struct {
	Code, File, Message string
	Line                int
}

// TestCorpus lints every real config of the corpus, each install on a host
// of its own: no crash, no syntax error on the valid files, and the
// defects SOURCES.md describes are found.
func TestCorpus(t *testing.T) {
	entries, err := os.ReadDir(corpusDir)
	if err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	dir := t.TempDir()
	laid := 0
	for _, e := range entries {
		rel := corpusLayout(e.Name())
		if rel == "" {
			continue
		}
		src, err := os.ReadFile(filepath.Join(corpusDir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, e.Name(), "install", filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, src, 0o644); err != nil {
			t.Fatal(err)
		}
		laid++
	}
	if laid < 20 {
		t.Fatalf("only %d corpus files laid out", laid)
	}
	out, errOut, code := runIn(t, dir, "--format", "json", "--select", "ALL", ".")
	if code != 0 && code != 1 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res struct{ Findings []jsonFinding }
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	has := func(prefix, code string) bool {
		for _, f := range res.Findings {
			if strings.HasPrefix(f.File, prefix) && f.Code == code {
				return true
			}
		}
		return false
	}
	// Files SOURCES.md calls invalid.
	invalid := map[string]string{
		"rg4444__wso2__mi__conf__deployment.toml.at-1590dcad/":                                     "S001",
		"wso2__micro-integrator__distribution__src__resources__config-tool__deployment-full.toml/": "S002",
	}
	for prefix, code := range invalid {
		if !has(prefix, code) {
			t.Errorf("%s: want %s", prefix, code)
		}
	}
	var syntax []string
	for _, f := range res.Findings {
		if f.Code == "S001" || f.Code == "S003" {
			if _, ok := invalid[strings.SplitAfter(f.File, "/")[0]]; !ok {
				syntax = append(syntax, f.File+": "+f.Message)
			}
		}
	}
	sort.Strings(syntax)
	if len(syntax) > 0 {
		t.Errorf("valid corpus files reported unparsable:\n%s", strings.Join(syntax, "\n"))
	}
	// Defects SOURCES.md describes.
	for prefix, code := range map[string]string{
		"mm2002-pn__wso2-integration__deployment.toml/": "K003", // [transport.https] listener.port
		"wso2__micro-integrator__integration__mediation-tests__tests-transport__src__test__resources__artifacts__ESB__server__conf__deployment.toml/": "K003", // [transport.passthru.http.listener]
	} {
		if !has(prefix, code) {
			t.Errorf("%s: want %s", prefix, code)
		}
	}
	// The MI Dashboard config is another product: no MI port rules.
	ports, _, code := runIn(t, dir, "ports", "--format", "json", ".")
	if code != 0 {
		t.Fatalf("ports exit %d", code)
	}
	if !strings.Contains(ports, `"product": "mi-dashboard"`) {
		t.Errorf("the MI Dashboard config was not recognised")
	}
}
