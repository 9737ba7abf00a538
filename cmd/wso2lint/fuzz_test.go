package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/rules"
)

// The whole lint of a one-file fleet, fuzzed (issue 5, "Fuzzing"): the
// fuzzed bytes are the fleet's only configuration file, written to disk and
// linted by the command in-process with every rule, exactly as a user runs
// it. The invariants:
//
//   - nothing panics, and the exit code is 0 or 1 (never 3, an internal
//     error, nor 2: the command line is valid);
//   - the JSON report parses, and every finding and fix edit lies inside
//     the file, with its end not before its start;
//   - the engine's findings (lint.Run on the loaded fleet) have byte spans
//     inside their files, on character boundaries, whose line and column
//     convert back to the same offsets; so do related locations and fix
//     edits, which must also not overlap within a fix;
//   - the command (which lints host by host as the fleet loads) and the
//     engine report the same findings at the same positions.

// fuzzLintArgs lint every rule and print JSON; --no-config keeps a user's
// configuration out.
var fuzzLintArgs = []string{"--select", "ALL", "--format", "json", "--no-config", "fleet"}

// lintFuzzFleet makes the fleet directory once per fuzzing process and
// returns the function that lints one input in it.
func lintFuzzFleet(f *testing.F, rel string) func(t *testing.T, src []byte) {
	dir := f.TempDir()
	abs := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		f.Fatal(err)
	}
	return func(t *testing.T, src []byte) {
		if err := os.WriteFile(abs, src, 0o644); err != nil {
			t.Fatal(err)
		}
		var out, errb bytes.Buffer
		code := run(fuzzLintArgs, env{
			stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
			getenv: func(string) string { return "" }, workDir: dir,
		})
		if code != exitOK && code != exitFindings {
			t.Fatalf("exit %d on %q\nstderr: %s", code, src, errb.String())
		}
		cli := checkFuzzJSON(t, rel, src, out.Bytes())
		eng := checkFuzzEngine(t, dir, abs, src)
		if strings.Join(cli, "\n") != strings.Join(eng, "\n") {
			t.Fatalf("the command and the engine disagree on %q\ncommand:\n\t%s\nengine:\n\t%s",
				src, strings.Join(cli, "\n\t"), strings.Join(eng, "\n\t"))
		}
	}
}

// checkFuzzJSON checks the command's JSON report and returns its findings
// in the form describeFuzz gives.
func checkFuzzJSON(t *testing.T, rel string, src, out []byte) []string {
	t.Helper()
	var rep struct {
		Findings []jsonFinding `json:"findings"`
	}
	if err := json.Unmarshal(out, &rep); err != nil {
		t.Fatalf("the JSON report does not parse: %v\n%s", err, out)
	}
	lines := bytes.SplitAfter(src, []byte("\n"))
	var got []string
	for _, f := range rep.Findings {
		if f.File != rel {
			t.Fatalf("%s finding in %s, not in the fleet's only file %s", f.Code, f.File, rel)
		}
		for _, p := range [][2]int{{f.Line, f.Column}, {f.EndLine, f.EndColumn}} {
			if p[0] < 1 || p[0] > len(lines) || p[1] < 1 || p[1] > len(bytes.TrimSuffix(lines[p[0]-1], []byte("\n")))+1 {
				t.Fatalf("%s at %d:%d-%d:%d lies outside the %d-line file %q", f.Code, f.Line, f.Column, f.EndLine, f.EndColumn, len(lines), src)
			}
		}
		if f.EndLine < f.Line || (f.EndLine == f.Line && f.EndColumn < f.Column) {
			t.Fatalf("%s ends at %d:%d, before its start %d:%d", f.Code, f.EndLine, f.EndColumn, f.Line, f.Column)
		}
		if f.Fix != nil {
			for _, e := range f.Fix.Edits {
				if e.File != rel || e.Start < 0 || e.End < e.Start || e.End > len(src) {
					t.Fatalf("%s fix edit %s %d-%d outside the %d-byte file", f.Code, e.File, e.Start, e.End, len(src))
				}
			}
		}
		// The command judges the safe fixes as --fix would and says
		// when one is withheld; the engine alone does not.
		msg := f.Message
		if i := strings.Index(msg, " (fix withheld: "); i >= 0 {
			msg = msg[:i]
		}
		got = append(got, describeFuzz(f.Code, f.Line, f.Column, f.EndLine, f.EndColumn, msg))
	}
	sort.Strings(got)
	return got
}

func describeFuzz(code string, line, col, endLine, endCol int, msg string) string {
	return fmt.Sprintf("%d:%d-%d:%d %s %s", line, col, endLine, endCol, code, msg)
}

// checkFuzzEngine loads the fleet and runs every rule on it, checks the
// byte spans of what they report, and returns the findings in the form
// describeFuzz gives.
func checkFuzzEngine(t *testing.T, dir, abs string, src []byte) []string {
	t.Helper()
	fl, err := fleet.Load([]string{"fleet"}, fleet.Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	all, err := lint.Select(rules.All, []string{"ALL"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	findings, err := lint.Run(fl, lint.Options{Rules: rules.All, Enabled: all})
	if err != nil {
		t.Fatalf("on %q: %v", src, err)
	}
	var got []string
	for _, f := range findings {
		if f.File.Abs != abs || !bytes.Equal(f.File.Src, src) {
			t.Fatalf("%s finding on %s, whose bytes are not the input", f.Rule.Code, f.File.Path)
		}
		checkFuzzSpan(t, f.Rule.Code, f.File, f.Span.Start, f.Span.End)
		for _, r := range f.Related {
			file := r.File
			if file == nil {
				file = f.File
			}
			checkFuzzSpan(t, f.Rule.Code+" related", file, r.Span.Start, r.Span.End)
		}
		if f.Fix != nil {
			var edits []struct{ start, end int }
			for _, e := range f.Fix.Edits {
				ef := fl.File(e.Path)
				if ef == nil {
					t.Fatalf("%s fix edits %s, which is not in the fleet", f.Rule.Code, e.Path)
				}
				checkFuzzSpan(t, f.Rule.Code+" fix edit", ef, e.Start, e.End)
				if e.Path == f.File.Path {
					edits = append(edits, struct{ start, end int }{e.Start, e.End})
				}
			}
			sort.Slice(edits, func(i, j int) bool { return edits[i].start < edits[j].start })
			for i := 1; i < len(edits); i++ {
				if edits[i].start < edits[i-1].end {
					t.Fatalf("%s fix edits overlap: %v", f.Rule.Code, edits)
				}
			}
		}
		s, e := f.Start(), f.End()
		got = append(got, describeFuzz(f.Rule.Code, s.Line, s.Col, e.Line, e.Col, f.Message))
	}
	sort.Strings(got)
	return got
}

// checkFuzzSpan checks that a byte span lies inside a file's bytes, on
// character boundaries, and that its ends survive a round trip through
// line and column.
func checkFuzzSpan(t *testing.T, what string, f *fleet.File, start, end int) {
	t.Helper()
	src := f.Src
	if start < 0 || end < start || end > len(src) {
		t.Fatalf("%s span %d-%d outside the %d-byte %s %q", what, start, end, len(src), f.Path, src)
	}
	if !utf8.Valid(src) {
		return // S003: the file's bytes are not text
	}
	for _, off := range []int{start, end} {
		if off < len(src) && !utf8.RuneStart(src[off]) {
			t.Fatalf("%s span %d-%d splits a character of %s %q", what, start, end, f.Path, src)
		}
		p := f.Pos(off)
		back := f.Lines.Offset(p.Line, p.Col)
		if back != off && !(p.Line == 1 && p.Col == 1 && off <= 3 && bytes.HasPrefix(src, []byte("\ufeff"))) {
			t.Fatalf("%s offset %d is %d:%d, which is offset %d, in %s %q", what, off, p.Line, p.Col, back, f.Path, src)
		}
	}
}

func FuzzLintTOML(f *testing.F) {
	for _, s := range []string{
		"",
		"[server]\nhostname = \"localhost\"\noffset = 10\n[transport.http]\nlistener.port = 8280\n",
		"\ufeff[server]\r\nportOffset = \"3\"\r\n[transport.http]\r\nlistener.port = \"8280\" # http\r\n",
		"[server_config]\nport = 9743\n[dashboard_config]\nheartbeat_interval = ${env:X}\n",
		"# wso2lint: ignore[K005] quoted on purpose\n[mediation]\ninternal_http_api_port = \"9201\"\n",
		"[server]\noffset = \"$env{OFFSET}\"\n[internal_apis]\nport = 9192\n[management_api]\nport = 9155\n[server]\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(lintFuzzFleet(f, "fleet/h/mi/conf/deployment.toml"))
}

func FuzzLintYAML(f *testing.F) {
	for _, s := range []string{
		"",
		"wso2.carbon:\n  id: wso2-si\n  ports:\n    offset: 1\nwso2.transport.http:\n  listenerConfigurations:\n    - id: \"default\"\n      host: \"0.0.0.0\"\n      port: 9090\n",
		"wso2.carbon:\r\n  ports:\r\n    portOffset: 1\r\ndatabridge.config:\r\n  dataReceivers:\r\n  - dataReceiver:\r\n      type: Thrift\r\n      properties:\r\n        tcpport: '7611'\r\n",
		"wso2.carbon: &c\n  ports: {offset: 0}\nx: *c\n--- \nsecond: doc\n",
		"# wso2lint: ignore[K002]\nwso2.carbon:\n  id: x\n  idd: y\n  id: z\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(lintFuzzFleet(f, "fleet/h/eia/conf/server/deployment.yaml"))
}

// FuzzLintManifest lints a Kubernetes manifest whose ConfigMap carries a
// deployment.toml that a Deployment mounts: every finding on the embedded
// config, and every fix edit, must lie inside the manifest.
func FuzzLintManifest(f *testing.F) {
	wl := "---\napiVersion: apps/v1\nkind: Deployment\nmetadata: {name: mi}\nspec:\n  template:\n    spec:\n" +
		"      containers:\n        - name: mi\n          image: wso2/wso2mi:4.3.0\n          ports: [{containerPort: 8290}]\n" +
		"          volumeMounts:\n            - {name: c, mountPath: /home/wso2carbon/wso2mi-4.3.0/conf}\n" +
		"      volumes:\n        - {name: c, configMap: {name: mi-conf}}\n"
	cm := "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: mi-conf}\ndata:\n  deployment.toml: "
	for _, s := range []string{
		cm + "|\n    [server]\n    portOffset = 10\n\n    [mediation]\n    internal.http.api.port = 9201\n" + wl,
		cm + "|-\n    [transport.https]\n    listener.port = 8263\n    # wso2lint: ignore[K002]\n    x = 1" + wl,
		cm + "|+\n    [server]\n    offset = \"3\"\n\n\n" + wl,
		cm + "\"[server]\\noffset = 0\\n[mediation]\\ninternal.http.api.port = 9201\\n\"\n" + wl,
		cm + ">\n    [server]\n    offset = 1\n" + wl,
		cm + "|2\n      [server]\n    offset = 1\n" + wl,
		cm + "'[server]\n\n  offset = 2'\n" + wl,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(lintFuzzFleet(f, "fleet/k8s/mi.yaml"))
}
