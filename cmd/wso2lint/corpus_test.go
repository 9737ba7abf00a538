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

// corpusProjects lays the corpus's compose files, env example and Helm
// template out as the repositories they come from had them, beside the
// installs they run (target path → corpus file).
var corpusProjects = map[string]string{
	"afshin/wso2mi/conf/deployment.toml":                "AfshinAP__wso2-cluster-docker-compose__wso2mi__conf__deployment.toml",
	"afshin/wso2mi/docker-compose.yml":                  "AfshinAP__wso2-cluster-docker-compose__wso2mi__docker-compose.yml",
	"hung/deployment.toml":                              "hungnt612__WSO2-MI-Docker-Compose__deployment.toml",
	"hung/docker-compose.yml":                           "hungnt612__WSO2-MI-Docker-Compose__docker-compose.yml",
	"rg/mi/conf/deployment.toml":                        "rg4444__wso2__mi__conf__deployment.toml",
	"rg/docker-compose.yml":                             "rg4444__wso2__docker-compose.yml",
	"rg/env/.env.example":                               "rg4444__wso2__env__.env.example",
	"eia/docker-compose.yml":                            "wso2__docker-ei__docker-compose__ei-analytics__docker-compose.yml",
	"eia/resources/server/conf/server/deployment.yaml":  "wso2__docker-ei__docker-compose__ei-analytics__resources__server__conf__server__deployment.yaml",
	"eia/resources/portal/conf/portal/deployment.yaml":  "wso2__observability-ei__classic__distribution__src__conf__portal__deployment.yaml",
	"helm/templates/wso2mi-service.yaml":                "wso2__kubernetes-mi__helm__micro-integrator__templates__wso2mi-service.yaml",
	"tomas/wso2mi-4.2.0/conf/deployment.toml":           "tomasrabazo__microIntegrator__wso2mi-4.2.0__conf__deployment.toml",
	"tomas/wso2mi-dashboard-4.2.0/conf/deployment.toml": "tomasrabazo__microIntegrator__wso2mi-dashboard-4.2.0__conf__deployment.toml",
}

// TestCorpusContainers lints the corpus's real compose files beside the
// installs they run: every mapping there is right, so no C001, C002 or
// C003; the hungnt612 dashboard service runs an MI Dashboard image with no
// install (C005); the Helm template is skipped, not parsed.
func TestCorpusContainers(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	dir := t.TempDir()
	for rel, name := range corpusProjects {
		src, err := os.ReadFile(filepath.Join(corpusDir, name))
		if err != nil {
			t.Fatal(err)
		}
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// Each project is linted on its own, as its repository would be;
	// together, hung's Dashboard image would map to tomas's Dashboard,
	// the only one in the tree.
	var findings []jsonFinding
	for _, project := range []string{"afshin", "hung", "rg", "eia", "helm", "tomas"} {
		out, errOut, code := runIn(t, dir, "--format", "json", "--select", "C", project)
		if code != 0 && code != 1 {
			t.Fatalf("%s: exit %d: %s", project, code, errOut)
		}
		var res struct{ Findings []jsonFinding }
		if err := json.Unmarshal([]byte(out), &res); err != nil {
			t.Fatal(err)
		}
		findings = append(findings, res.Findings...)
	}
	var c005 []string
	for _, f := range findings {
		switch f.Code {
		case "C001", "C002", "C003":
			t.Errorf("%s:%d: unexpected %s: %s", f.File, f.Line, f.Code, f.Message)
		case "C005":
			c005 = append(c005, f.File)
		}
	}
	if strings.Join(c005, ",") != "hung/docker-compose.yml" {
		t.Errorf("C005 in %v, want the hungnt612 dashboard service only", c005)
	}
	pm := portsOf(t, dir, "afshin", "eia", "helm")
	published := map[string]bool{}
	for _, h := range pm.Hosts {
		for _, in := range h.Installs {
			for _, p := range in.Ports {
				for _, x := range p.Published {
					if x.Port != nil && p.Effective != nil && *x.Port == *p.Effective {
						published[in.Root+":"+p.Name] = true
					}
				}
			}
		}
	}
	// AfshinAP maps 8290/8253/9164/9201 to the MI's own ports.
	for _, l := range []string{"http", "https", "internal-http", "internal-https"} {
		if !published["afshin/wso2mi:"+l] {
			t.Errorf("afshin/wso2mi %s: not published as itself", l)
		}
	}
	// docker-ei publishes the server's Thrift receivers and the portal.
	for _, l := range []string{"eia/resources/server:thrift-tcp", "eia/resources/server:thrift-ssl", "eia/resources/portal:http:default-https"} {
		if !published[l] {
			t.Errorf("%s: not published", l)
		}
	}
	if len(pm.Skipped) != 1 || pm.Skipped[0].File != "helm/templates/wso2mi-service.yaml" {
		t.Errorf("skipped = %+v, want the Helm template", pm.Skipped)
	}
}

// TestCorpusEI6Analytics lints WSO2's own EI 6.6 analytics worker and
// dashboard configs (docker-ei's integrator-analytics tree, and the
// kubernetes-ei dashboard in its confs/…/conf/dashboard layout) beside a
// compose file shaped like docker-ei's, which publishes and health-checks
// the dashboard on 9643: EI 6.x leaves its HTTP listeners where they are
// written, so no C001 and no C004 about 9643 or 9645, and the ports map
// shows 9643.
func TestCorpusEI6Analytics(t *testing.T) {
	if _, err := os.Stat(corpusDir); err != nil {
		t.Skipf("corpus not available: %v", err)
	}
	dir := t.TempDir()
	for rel, name := range map[string]string{
		"ei6/worker/wso2/analytics/conf/worker/deployment.yaml":           "wso2__docker-ei__docker-compose__integrator-analytics__worker__wso2__analytics__conf__worker__deployment.yaml",
		"ei6/dashboard/wso2/analytics/conf/dashboard/deployment.yaml":     "wso2__docker-ei__docker-compose__integrator-analytics__dashboard__wso2__analytics__conf__dashboard__deployment.yaml",
		"k8s/confs/ei-analytics-dashboard/conf/dashboard/deployment.yaml": "wso2__kubernetes-ei__advanced__ei-pattern-1__confs__ei-analytics-dashboard__conf__dashboard__deployment.yaml",
	} {
		src, err := os.ReadFile(filepath.Join(corpusDir, name))
		if err != nil {
			t.Skipf("corpus file missing: %v", err)
		}
		p := filepath.Join(dir, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, src, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	compose := "services:\n" +
		"  wso2ei-analytics-worker:\n    image: docker.wso2.com/wso2ei-analytics-worker:6.6.0\n" +
		"    ports:\n      - 9091:9091\n      - 9444:9444\n" +
		"    healthcheck:\n      test: [\"CMD\", \"nc\", \"-z\",\"localhost\", \"9091\"]\n" +
		"    volumes:\n      - ./worker:/home/wso2carbon/wso2-config-volume\n" +
		"  wso2ei-analytics-dashboard:\n    image: docker.wso2.com/wso2ei-analytics-dashboard:6.6.0\n" +
		"    ports:\n      - 9643:9643\n" +
		"    healthcheck:\n      test: [\"CMD\", \"nc\", \"-z\",\"localhost\", \"9643\"]\n" +
		"    volumes:\n      - ./dashboard:/home/wso2carbon/wso2-config-volume\n"
	if err := os.WriteFile(filepath.Join(dir, "ei6", "docker-compose.yml"), []byte(compose), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runIn(t, dir, "--format", "json", "--select", "C,P", "ei6", "k8s")
	if code != 0 && code != 1 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res struct{ Findings []jsonFinding }
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	for _, f := range res.Findings {
		if f.Code == "C001" || f.Code == "P001" || f.Code == "P002" ||
			f.Code == "C004" && (strings.Contains(f.Message, "9643") || strings.Contains(f.Message, "9645")) {
			t.Errorf("%s:%d: unexpected %s: %s", f.File, f.Line, f.Code, f.Message)
		}
	}
	pm := portsOf(t, dir, "ei6", "k8s")
	got := map[string]int{}
	for _, h := range pm.Hosts {
		for _, in := range h.Installs {
			for _, p := range in.Ports {
				if p.Effective != nil {
					got[in.Root+" "+p.Name] = *p.Effective
				}
			}
		}
	}
	for k, want := range map[string]int{
		"ei6/dashboard http:default-https":                                   9643,
		"k8s/confs/ei-analytics-dashboard/conf/dashboard http:default-https": 9643,
		"ei6/worker http:default":                                            9091,
		"ei6/worker binary-tcp":                                              9612, // 9611 + offset 0 + 1
		"ei6/worker thrift-tcp":                                              7612,
	} {
		if got[k] != want {
			t.Errorf("%s = %d, want %d", k, got[k], want)
		}
	}
}
