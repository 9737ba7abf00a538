package report_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/srcpos"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/linttest"
	"github.com/wso2lint/wso2lint/lint/report"
	"github.com/wso2lint/wso2lint/rewrite"
)

var update = flag.Bool("update", false, "rewrite golden files")

// fixtureFiles is a small fleet covering every product and offset source
// the ports map distinguishes: on prod/edge-1 an MI on the default offset
// (with an unresolved placeholder port and an unverified TCP listener),
// an MI whose offset comes from its start-up script, and an MI Dashboard;
// on prod/edge-2 an EI Analytics install with a server and a portal
// runtime (the portal's data receiver is unverified).
var fixtureFiles = map[string]string{
	"prod/edge-1/mi-a/conf/deployment.toml": `[server]
hostname = "localhost"

[transport.http]
listener.port = 8280
listener.secured_port = "$env{HTTPS_PORT}"

[transport.tcp]
listener.enable = true
listener.port = 8000
`,
	"prod/edge-1/mi-b/conf/deployment.toml": "[server]\noffset = 5\n\"ünï\" = \"ñ-8290\"\n\n[transport.http]\n\tlistener.port = 8287\n",
	"prod/edge-1/mi-b/bin/micro-integrator.sh": `#!/bin/sh
JAVA_OPTS="$JAVA_OPTS -DportOffset=3"
exec java $JAVA_OPTS
`,
	"prod/edge-1/dashboard/conf/deployment.toml": `[server_config]
port = 9743
`,
	"prod/edge-2/eia/conf/server/deployment.yaml": `wso2.carbon:
  id: wso2-sp
  ports:
    offset: 1

wso2.transport.http:
  listenerConfigurations:
    - id: "default"
      host: "0.0.0.0"
      port: 9090
    - id: "msf4j-https"
      host: "10.0.0.5"
      port: 9443

listenerConfigurations:
  - id: "default"
    port: 9090

databridge.config:
  dataReceivers:
    - dataReceiver:
        type: Thrift
        properties:
          tcpPort: '7611'
          sslPort: '7711'
`,
	"prod/edge-2/eia/conf/portal/deployment.yaml": `wso2.carbon:
  id: wso2-dashboard

wso2.transport.http:
  listenerConfigurations:
    - id: "default-https"
      port: 9643

databridge.config:
  dataReceivers:
    - dataReceiver:
        type: Binary
        properties:
          tcpPort: '9611'
`,
}

func loadFixture(t *testing.T) *fleet.Fleet {
	t.Helper()
	return linttest.Fleet(t, fixtureFiles, fleet.Options{})
}

func file(t *testing.T, fl *fleet.Fleet, path string) *fleet.File {
	t.Helper()
	for _, f := range fl.Files {
		if f.Path == path {
			return f
		}
	}
	t.Fatalf("fixture has no file %s", path)
	return nil
}

// span returns the span of the n-th (0-based) occurrence of needle in f.
func span(t *testing.T, f *fleet.File, needle string) srcpos.Span {
	t.Helper()
	i := bytes.Index(f.Src, []byte(needle))
	if i < 0 {
		t.Fatalf("%s does not contain %q", f.Path, needle)
	}
	return srcpos.Span{Start: i, End: i + len(needle)}
}

// fixtureFindings builds findings by hand, one per rendering case: a zero-
// width span, a suppressed finding, a non-ASCII line with a safe fix, a
// tab-indented line with an unsafe fix and a related location in another
// file, and a YAML finding whose span runs over several lines. The rules
// are fakes: the renderers only read their code, name and fix kind.
func fixtureFindings(t *testing.T, fl *fleet.Fleet) []*lint.Finding {
	t.Helper()
	miA := file(t, fl, "prod/edge-1/mi-a/conf/deployment.toml")
	miB := file(t, fl, "prod/edge-1/mi-b/conf/deployment.toml")
	eia := file(t, fl, "prod/edge-2/eia/conf/server/deployment.yaml")
	rule := func(code, name string, sev lint.Severity, fix lint.Applicability) *lint.Rule {
		return &lint.Rule{Code: code, Name: name, Severity: sev, Fix: fix}
	}

	host := span(t, miA, `"localhost"`)
	zero := &lint.Finding{
		Rule: rule("T001", "zero-width", lint.Info, lint.NoFix), Severity: lint.Info,
		File: miA, Span: srcpos.Span{Start: host.Start, End: host.Start},
		Message: "an insertion point before the hostname", Install: fl.InstallOf(miA), Key: "server.hostname",
		Fingerprint: "00000000000000a1",
	}
	suppressed := &lint.Finding{
		Rule: rule("K004", "invalid-value", lint.Warning, lint.NoFix), Severity: lint.Warning,
		File: miA, Span: span(t, miA, `"$env{HTTPS_PORT}"`),
		Message: "placeholder $env{HTTPS_PORT} has no value", Install: fl.InstallOf(miA),
		Key: "transport.http.listener.secured_port", Fingerprint: "00000000000000a2",
		Suppressed: true, SuppressedBy: "set by the deploy pipeline",
	}
	uni := span(t, miB, `"ñ-8290"`)
	nonASCII := &lint.Finding{
		Rule: rule("K002", "unknown-key", lint.Warning, lint.Safe), Severity: lint.Warning,
		File: miB, Span: uni,
		Message: `unknown key "ünï" in [server]; WSO2 ignores it`, Install: fl.InstallOf(miB),
		Key: "server.ünï", Fingerprint: "00000000000000b1",
		Fix: &lint.Fix{Applicability: lint.Safe, Message: "write the port as a number",
			Edits: []rewrite.Edit{{Path: miB.Path, Start: uni.Start, End: uni.End, New: "8290"}}},
	}
	off := span(t, miB, "offset = 5")
	dup := &lint.Finding{
		Rule: rule("P001", "duplicate-port", lint.Error, lint.Unsafe), Severity: lint.Error,
		File: miB, Span: span(t, miB, "listener.port = 8287"),
		Message: "the HTTP pass-through listener's 8290 (8287 + offset 3) is also used by prod/edge-1/mi-a",
		Install: fl.InstallOf(miB), Key: "transport.http.listener.port", Fingerprint: "00000000000000b2",
		Related: []lint.Related{
			{File: miA, Span: span(t, miA, "listener.port = 8280"), Message: "the other listener on 8290"},
			{File: file(t, fl, "prod/edge-1/mi-b/bin/micro-integrator.sh"), Span: srcpos.Span{Start: 33, End: 34}, Message: "the offset 3 is set here"},
		},
		Fix: &lint.Fix{Applicability: lint.Unsafe, Message: "re-assign offsets on the host",
			Edits: []rewrite.Edit{{Path: miB.Path, Start: off.End - 1, End: off.End, New: "11"}}},
	}
	multi := &lint.Finding{
		Rule: rule("K003", "ignored-table", lint.Warning, lint.Unsafe), Severity: lint.Warning,
		File: eia, Span: srcpos.Span{Start: span(t, eia, "\nlistenerConfigurations:").Start + 1, End: span(t, eia, "\n  - id: \"default\"\n    port: 9090\n").End - 1},
		Message:     "listenerConfigurations at column 0 is ignored; WSO2 reads it under wso2.transport.http",
		Install:     fl.InstallOf(eia),
		Key:         "listenerConfigurations",
		Fingerprint: "00000000000000c1",
	}
	out := []*lint.Finding{zero, suppressed, nonASCII, dup, multi}
	lint.Sort(out)
	return out
}

// golden compares got with testdata/name, or rewrites the file with
// -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (run go test -update to accept)\n--- got ---\n%s\n--- want ---\n%s", name, got, want)
	}
}

func render(t *testing.T, fn func(w *bytes.Buffer) error) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := fn(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestGolden(t *testing.T) {
	fl := loadFixture(t)
	fs := fixtureFindings(t, fl)
	opt := report.Options{Version: "1.2.3"}
	cases := []struct {
		name string
		fn   func(w *bytes.Buffer) error
	}{
		{"text.golden", func(w *bytes.Buffer) error { return report.Text(w, fs, opt) }},
		{"text_suppressed.golden", func(w *bytes.Buffer) error {
			return report.Text(w, fs, report.Options{ShowSuppressed: true})
		}},
		{"concise.golden", func(w *bytes.Buffer) error { return report.Concise(w, fs, opt) }},
		{"findings.json", func(w *bytes.Buffer) error { return report.JSON(w, fl, fs, opt) }},
		{"ports_table.golden", func(w *bytes.Buffer) error { return report.PortsTable(w, report.PortsOf(fl)) }},
		{"ports.json", func(w *bytes.Buffer) error { return report.PortsJSON(w, report.PortsOf(fl), "1.2.3") }},
		{"ports.csv", func(w *bytes.Buffer) error { return report.PortsCSV(w, report.PortsOf(fl)) }},
		{"ports.md", func(w *bytes.Buffer) error { return report.PortsMarkdown(w, report.PortsOf(fl)) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := render(t, c.fn)
			golden(t, c.name, got)
			// Deterministic: a second rendering is byte-identical.
			if again := render(t, c.fn); !bytes.Equal(got, again) {
				t.Errorf("%s is not deterministic", c.name)
			}
		})
	}
}

func TestTextSuppressedHiddenJSONShown(t *testing.T) {
	fl := loadFixture(t)
	fs := fixtureFindings(t, fl)
	text := string(render(t, func(w *bytes.Buffer) error { return report.Text(w, fs, report.Options{}) }))
	if strings.Contains(text, "HTTPS_PORT") || strings.Contains(text, "K004") {
		t.Errorf("text shows a suppressed finding:\n%s", text)
	}
	concise := string(render(t, func(w *bytes.Buffer) error { return report.Concise(w, fs, report.Options{}) }))
	if strings.Contains(concise, "K004") {
		t.Errorf("concise shows a suppressed finding:\n%s", concise)
	}
	var rep struct {
		Findings []struct {
			Code       string `json:"code"`
			Suppressed bool   `json:"suppressed"`
		} `json:"findings"`
		Summary struct {
			Findings int `json:"findings"`
		} `json:"summary"`
	}
	if err := json.Unmarshal(render(t, func(w *bytes.Buffer) error { return report.JSON(w, fl, fs, report.Options{}) }), &rep); err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range rep.Findings {
		if f.Code == "K004" {
			found = f.Suppressed
		} else if f.Suppressed {
			t.Errorf("%s marked suppressed", f.Code)
		}
	}
	if !found {
		t.Error("json lacks the suppressed K004 finding marked suppressed")
	}
	if len(rep.Findings) != len(fs) || rep.Summary.Findings != len(fs)-1 {
		t.Errorf("json has %d findings, summary %d; want %d and %d", len(rep.Findings), rep.Summary.Findings, len(fs), len(fs)-1)
	}
}

// TestTextLargeInOrder checks a report long enough to be rendered in
// chunks on several processors: it is each finding's text, in the order
// given, suppressed findings left out.
func TestTextLargeInOrder(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	fl := loadFixture(t)
	one := fixtureFindings(t, fl)
	var many []*lint.Finding
	var want strings.Builder
	for i := 0; len(many) < 2000; i++ {
		f := *one[i%len(one)]
		f.Message = fmt.Sprintf("%s (%d)", f.Message, i)
		many = append(many, &f)
		if !f.Suppressed {
			want.Write(render(t, func(w *bytes.Buffer) error { return report.Text(w, []*lint.Finding{&f}, report.Options{}) }))
		}
	}
	if got := render(t, func(w *bytes.Buffer) error { return report.Text(w, many, report.Options{}) }); string(got) != want.String() {
		t.Errorf("a large report differs from its findings rendered one by one (%d bytes, want %d)", len(got), want.Len())
	}
}

func TestColor(t *testing.T) {
	fl := loadFixture(t)
	fs := fixtureFindings(t, fl)
	for _, fn := range []func(*bytes.Buffer, report.Options) error{
		func(w *bytes.Buffer, o report.Options) error { return report.Text(w, fs, o) },
		func(w *bytes.Buffer, o report.Options) error { return report.Concise(w, fs, o) },
	} {
		plain := render(t, func(w *bytes.Buffer) error { return fn(w, report.Options{}) })
		if bytes.IndexByte(plain, 0x1b) >= 0 {
			t.Errorf("output without Color holds an escape byte:\n%q", plain)
		}
		col := render(t, func(w *bytes.Buffer) error { return fn(w, report.Options{Color: true}) })
		for _, want := range []string{"\x1b[1;31merror\x1b[0m", "\x1b[1;33mwarning\x1b[0m", "\x1b[36minfo\x1b[0m", "\x1b[1mP001\x1b[0m"} {
			if !bytes.Contains(col, []byte(want)) {
				t.Errorf("coloured output lacks %q:\n%q", want, col)
			}
		}
	}
	col := render(t, func(w *bytes.Buffer) error { return report.Text(w, fs, report.Options{Color: true}) })
	if !bytes.Contains(col, []byte("\x1b[1;31m^^^^^^^^^^^^^^^^^^^^\x1b[0m")) {
		t.Errorf("carets are not in the severity colour:\n%q", col)
	}
}

// keysOf returns the sorted keys of a JSON object.
func keysOf(t *testing.T, v any) []string {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("not a JSON object: %#v", v)
	}
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func wantKeys(t *testing.T, what string, v any, want ...string) {
	t.Helper()
	sort.Strings(want)
	if got := keysOf(t, v); strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("%s keys = %v, want %v", what, got, want)
	}
}

func TestJSONFieldSet(t *testing.T) {
	fl := loadFixture(t)
	fs := fixtureFindings(t, fl)
	raw := render(t, func(w *bytes.Buffer) error { return report.JSON(w, fl, fs, report.Options{Version: "1.2.3"}) })
	if !bytes.HasSuffix(raw, []byte("}\n")) || !bytes.HasPrefix(raw, []byte("{\n  \"version\": 1,\n")) {
		t.Errorf("not two-space indented with a final newline:\n%s", raw)
	}
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	wantKeys(t, "top level", doc, "version", "tool", "findings", "summary")
	if doc["version"] != float64(1) {
		t.Errorf("version = %v", doc["version"])
	}
	wantKeys(t, "tool", doc["tool"], "name", "version")
	if tool := doc["tool"].(map[string]any); tool["name"] != "wso2lint" || tool["version"] != "1.2.3" {
		t.Errorf("tool = %v", tool)
	}
	findingKeys := []string{"code", "name", "severity", "file", "line", "column", "end_line", "end_column",
		"message", "install", "host", "key", "related", "fingerprint", "suppressed"}
	var withFix, withRelated bool
	for _, f := range doc["findings"].([]any) {
		m := f.(map[string]any)
		if _, ok := m["fix"]; ok {
			withFix = true
			wantKeys(t, "finding", m, append(findingKeys, "fix")...)
			wantKeys(t, "fix", m["fix"], "applicability", "message", "edits")
			for _, e := range m["fix"].(map[string]any)["edits"].([]any) {
				wantKeys(t, "edit", e, "file", "start", "end", "new_text")
			}
		} else {
			wantKeys(t, "finding", m, findingKeys...)
		}
		rel, ok := m["related"].([]any)
		if !ok {
			t.Errorf("related is %T, want an array", m["related"])
		}
		for _, r := range rel {
			withRelated = true
			wantKeys(t, "related", r, "file", "line", "column", "message")
		}
	}
	if !withFix || !withRelated {
		t.Error("fixture lost its finding with a fix and related locations")
	}
	wantKeys(t, "summary", doc["summary"], "files", "installs", "hosts", "findings", "by_severity", "fixable")
	wantKeys(t, "by_severity", doc["summary"].(map[string]any)["by_severity"], "error", "warning", "info")

	// No findings: the array is empty, never null.
	raw = render(t, func(w *bytes.Buffer) error { return report.JSON(w, nil, nil, report.Options{}) })
	if !bytes.Contains(raw, []byte(`"findings": [],`)) {
		t.Errorf("empty findings are not []:\n%s", raw)
	}
}

func TestJSONPositions(t *testing.T) {
	fl := loadFixture(t)
	fs := fixtureFindings(t, fl)
	var rep struct {
		Findings []struct {
			Code      string `json:"code"`
			Line      int    `json:"line"`
			Column    int    `json:"column"`
			EndLine   int    `json:"end_line"`
			EndColumn int    `json:"end_column"`
			Install   string `json:"install"`
			Host      string `json:"host"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(render(t, func(w *bytes.Buffer) error { return report.JSON(w, fl, fs, report.Options{}) }), &rep); err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, f := range rep.Findings {
		got[f.Code] = strings.Join([]string{f.Host, f.Install}, " ") + " " +
			strings.Join([]string{itoa(f.Line), itoa(f.Column), itoa(f.EndLine), itoa(f.EndColumn)}, ":")
	}
	want := map[string]string{
		"T001": "prod/edge-1 prod/edge-1/mi-a 2:12:2:12", // zero-width
		"K002": "prod/edge-1 prod/edge-1/mi-b 3:11:3:20", // byte columns: "ünï" is 7 bytes with quotes, "ñ-8290" 9
		"P001": "prod/edge-1 prod/edge-1/mi-b 6:2:6:22",  // after a tab
		"K003": "prod/edge-2 prod/edge-2/eia 15:1:17:15", // multi-line, exclusive end
		"K004": "prod/edge-1 prod/edge-1/mi-a 6:25:6:43",
	}
	for code, w := range want {
		if got[code] != w {
			t.Errorf("%s at %q, want %q", code, got[code], w)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func TestPortsJSONFieldSet(t *testing.T) {
	fl := loadFixture(t)
	raw := render(t, func(w *bytes.Buffer) error { return report.PortsJSON(w, report.PortsOf(fl), "1.2.3") })
	var doc map[string]any
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	wantKeys(t, "top level", doc, "version", "tool", "hosts")
	var runtimes []string
	var sawNull, sawUnverified bool
	for _, h := range doc["hosts"].([]any) {
		wantKeys(t, "host", h, "name", "installs")
		for _, in := range h.(map[string]any)["installs"].([]any) {
			wantKeys(t, "install", in, "root", "product", "runtime", "offset", "offset_source", "ports")
			m := in.(map[string]any)
			runtimes = append(runtimes, m["root"].(string)+"|"+m["runtime"].(string)+"|"+m["offset_source"].(string))
			for _, p := range m["ports"].([]any) {
				pm := p.(map[string]any)
				base := []string{"name", "key", "configured", "effective", "bind", "file", "line", "published"}
				if _, ok := pm["note"]; ok {
					base = append(base, "note")
				}
				if _, ok := pm["unverified"]; ok {
					base = append(base, "unverified")
					sawUnverified = pm["unverified"] == true
				}
				wantKeys(t, "port", p, base...)
				if pm["effective"] == nil && pm["note"] != nil {
					sawNull = true
				}
			}
		}
	}
	want := []string{
		"prod/edge-1/dashboard||none",
		"prod/edge-1/mi-a||default",
		"prod/edge-1/mi-b||startup:prod/edge-1/mi-b/bin/micro-integrator.sh",
		"prod/edge-2/eia|portal|default",
		"prod/edge-2/eia|server|deployment.yaml",
	}
	if strings.Join(runtimes, "\n") != strings.Join(want, "\n") {
		t.Errorf("ports entries:\n%s\nwant:\n%s", strings.Join(runtimes, "\n"), strings.Join(want, "\n"))
	}
	if !sawNull || !sawUnverified {
		t.Errorf("fixture lost its unknown port (%v) or unverified listener (%v)", sawNull, sawUnverified)
	}

	raw = render(t, func(w *bytes.Buffer) error { return report.PortsJSON(w, report.PortsOf(nil), "") })
	if !bytes.Contains(raw, []byte(`"hosts": []`)) {
		t.Errorf("empty hosts are not []:\n%s", raw)
	}
}

func TestPortsCSVParses(t *testing.T) {
	fl := loadFixture(t)
	raw := render(t, func(w *bytes.Buffer) error { return report.PortsCSV(w, report.PortsOf(fl)) })
	recs, err := csv.NewReader(bytes.NewReader(raw)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	header := "host,install,product,runtime,listener,key,configured,offset,offset_source,effective,bind,file,line,published,note"
	if strings.Join(recs[0], ",") != header {
		t.Errorf("header = %v", recs[0])
	}
	listeners := 0
	for _, in := range fl.Installs {
		for _, rt := range in.Runtimes {
			listeners += len(rt.Listeners)
		}
	}
	if len(recs)-1 != listeners {
		t.Errorf("%d rows, want one per listener (%d)", len(recs)-1, listeners)
	}
}

func TestSummaryLine(t *testing.T) {
	fl := loadFixture(t)
	fs := fixtureFindings(t, fl)
	s := report.Summarize(fl, fs)
	if s.Findings != 4 || s.FilesWithFindings != 3 || s.Suppressed != 1 || s.Fixable != 1 || s.UnsafeFixable != 1 ||
		s.BySeverity[lint.Error] != 1 || s.BySeverity[lint.Warning] != 2 || s.BySeverity[lint.Info] != 1 {
		t.Errorf("Summarize = %+v", s)
	}
	sev := func(e, w, i int) map[lint.Severity]int {
		return map[lint.Severity]int{lint.Error: e, lint.Warning: w, lint.Info: i}
	}
	cases := []struct {
		s    report.Summary
		fix  bool
		want string
	}{
		{s, false, "Found 4 problems (1 error, 2 warnings, 1 info) in 3 files (6 files, 4 installs, 2 hosts checked); 1 fixable with --fix, 1 more with --fix --unsafe-fixes; 1 suppressed"},
		{report.Summary{Files: 12, Installs: 6, Hosts: 2, Findings: 7, FilesWithFindings: 5, BySeverity: sev(3, 2, 2), Fixable: 3, UnsafeFixable: 2}, false,
			"Found 7 problems (3 errors, 2 warnings, 2 info) in 5 files (12 files, 6 installs, 2 hosts checked); 3 fixable with --fix, 2 more with --fix --unsafe-fixes"},
		{report.Summary{Files: 12, Installs: 6, Hosts: 2, BySeverity: sev(0, 0, 0)}, false,
			"No problems found in 12 files, 6 installs, 2 hosts"},
		{report.Summary{Files: 1, Installs: 1, Hosts: 1, Findings: 1, FilesWithFindings: 1, BySeverity: sev(0, 1, 0), UnsafeFixable: 1}, false,
			"Found 1 problem (1 warning) in 1 file (1 file, 1 install, 1 host checked); 1 fixable with --fix --unsafe-fixes"},
		{report.Summary{Files: 12, Installs: 6, Hosts: 2, Findings: 4, FilesWithFindings: 2, BySeverity: sev(2, 2, 0), UnsafeFixable: 2, Fixed: 3}, true,
			"Fixed 3 problems, 4 remaining (2 errors, 2 warnings) in 2 files (12 files, 6 installs, 2 hosts checked); 2 fixable with --fix --unsafe-fixes"},
		{report.Summary{Files: 12, Installs: 6, Hosts: 2, Fixed: 1, BySeverity: sev(0, 0, 0)}, true,
			"Fixed 1 problem, none remaining in 12 files, 6 installs, 2 hosts"},
		{report.Summary{Files: 2, Installs: 1, Hosts: 1, Findings: 2, FilesWithFindings: 1, BySeverity: sev(2, 0, 0), Fixable: 1, UnsafeFixable: 1, UnsafeFixesApplied: true}, true,
			"No fixes applied; 2 problems remaining (2 errors) in 1 file (2 files, 1 install, 1 host checked); 2 fixes withheld by the safety net"},
	}
	for _, c := range cases {
		if got := report.SummaryLine(c.s, c.fix); got != c.want {
			t.Errorf("SummaryLine(%+v, %v)\n got %q\nwant %q", c.s, c.fix, got, c.want)
		}
	}
}

// TestStreamedPortsMatch checks that the port map built host by host as
// the fleet loads renders every format byte for byte as the map of the
// loaded fleet does: in a tree without containers, where it lets go of
// each host's installs and keeps their entries, and in one with a compose
// file, where it keeps the model for the containers.
func TestStreamedPortsMatch(t *testing.T) {
	withCompose := map[string]string{"prod/edge-1/docker-compose.yml": "services:\n  mi:\n    image: wso2/wso2mi:4.2.0\n" +
		"    volumes: [\"./mi-a/conf:/home/wso2carbon/wso2mi-4.2.0/conf\"]\n    ports: [\"8290:8290\", \"127.0.0.1:9201:9201\"]\n"}
	for k, v := range fixtureFiles {
		withCompose[k] = v
	}
	formats := map[string]func(w *bytes.Buffer, m *report.PortsMap) error{
		"table":    func(w *bytes.Buffer, m *report.PortsMap) error { return report.PortsTable(w, m) },
		"json":     func(w *bytes.Buffer, m *report.PortsMap) error { return report.PortsJSON(w, m, "1.2.3") },
		"csv":      func(w *bytes.Buffer, m *report.PortsMap) error { return report.PortsCSV(w, m) },
		"markdown": func(w *bytes.Buffer, m *report.PortsMap) error { return report.PortsMarkdown(w, m) },
	}
	for name, files := range map[string]map[string]string{"no containers": fixtureFiles, "compose": withCompose} {
		whole := report.PortsOf(linttest.Fleet(t, files, fleet.Options{}))
		streamed := &report.PortsMap{}
		fl := linttest.Fleet(t, files, fleet.Options{OnHost: streamed.Host})
		streamed.Loaded(fl)
		if forgot := fl.Forgotten.Installs > 0; forgot != (name == "no containers") || (forgot && len(fl.Installs) > 0) {
			t.Errorf("%s: forgot %d installs, kept %d", name, fl.Forgotten.Installs, len(fl.Installs))
		}
		for format, render := range formats {
			var got, want bytes.Buffer
			if err := render(&got, streamed); err != nil {
				t.Fatal(err)
			}
			if err := render(&want, whole); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() || !strings.Contains(got.String(), "9090") {
				t.Errorf("%s, %s: the streamed map renders\n%s\nthe loaded fleet's\n%s", name, format, got.String(), want.String())
			}
			if name == "compose" && !strings.Contains(got.String(), "127.0.0.1") {
				t.Errorf("%s, %s: no published port in\n%s", name, format, got.String())
			}
		}
	}
}
