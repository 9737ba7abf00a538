package lint_test

import (
	"strings"
	"testing"
	"time"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/linttest"
	"github.com/wso2lint/wso2lint/rewrite"
)

// portRule reports every TOML key/value whose key ends in "port".
var portRule = &lint.Rule{Code: "P001", Name: "duplicate-port", Severity: lint.Error, Check: func(p *lint.Pass) {
	for _, f := range p.Fleet.Files {
		if f.TOML == nil {
			continue
		}
		for _, e := range f.TOML.Entries {
			if strings.HasSuffix(e.Path[len(e.Path)-1], "port") {
				p.Reportf(f, e.KeySpan, p.Fleet.InstallOf(f), fleet.KeyString(e.Path), "port here")
			}
		}
	}
}}

var (
	unusedRule  = &lint.Rule{Code: "X001", Name: "unused-suppression", Severity: lint.Warning}
	invalidRule = &lint.Rule{Code: "X002", Name: "invalid-suppression", Severity: lint.Warning}
	offRule     = &lint.Rule{Code: "K005", Name: "quoted-number", Severity: lint.Info, Off: true}
)

func runSuppressed(t *testing.T, files map[string]string) []*lint.Finding {
	t.Helper()
	fl := linttest.Fleet(t, files, fleet.Options{})
	rs := []*lint.Rule{offRule, portRule, unusedRule, invalidRule}
	enabled, err := lint.Select(rs, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	today, _ := time.Parse("2006-01-02", "2026-11-29")
	fs, err := lint.Run(fl, lint.Options{Rules: rs, Enabled: enabled, Today: today})
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

func describeAll(fs []*lint.Finding) []string {
	var out []string
	for _, f := range fs {
		s := linttest.Describe(f)
		if f.Suppressed {
			s += " (suppressed: " + f.SuppressedBy + ")"
		}
		out = append(out, s)
	}
	return out
}

func TestSuppressions(t *testing.T) {
	const path = "h/mi/conf/deployment.toml"
	src := `[transport.http]
# wso2lint: ignore[P001] staging: only one runs at a time
listener.port = 8280
listener.secured_port = 8243  # wso2lint: ignore[duplicate-port] trailing form
[mediation]
# wso2lint: ignore[P001]
internal_http_api_port = 9191
# wso2lint: ignore[P001] until=2026-11-28 expired yesterday
internal_https_api_port = 9154
# wso2lint: ignore[Z999,P001] typo in the first code
synapse.command_debugger_port = 9005
# wso2lint: ignore[P001] nothing below
synapse.core_threads = 20
# wso2lint: ignore[K005] rule not selected: never X001
# wso2lint: ignoer[P001] malformed
# wso2lint: ignore[P001] until=2027-02-31 bad date
synapse.event_debugger_port = 9006
`
	got := describeAll(runSuppressed(t, map[string]string{path: src}))
	want := []string{
		path + ":3:1-3:14 P001 port here (suppressed: staging: only one runs at a time)",
		path + ":4:1-4:22 P001 port here (suppressed: trailing form)",
		path + ":6:1-6:25 X002 suppression gives no reason: say why after the brackets",
		path + ":7:1-7:23 P001 port here (suppressed: )",
		path + ":8:1-8:60 X002 suppression expired on 2026-11-28: fix the finding or extend the date",
		path + ":9:1-9:24 P001 port here",
		path + ":10:1-10:53 X002 suppression names unknown rule \"Z999\"",
		path + ":11:1-11:30 P001 port here (suppressed: typo in the first code)",
		path + ":12:1-12:39 X001 unused suppression: no P001 finding here to suppress",
		path + ":15:1-15:35 X002 malformed suppression: write `# wso2lint: ignore[CODE] reason` or `# wso2lint: ignore-file[CODE] reason`",
		path + ":16:1-16:51 X002 suppression has an invalid until= date \"2027-02-31\" (want YYYY-MM-DD)",
		path + ":17:1-17:28 P001 port here (suppressed: bad date)",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

func TestUnusedSuppressionFix(t *testing.T) {
	const path = "h/mi/conf/deployment.toml"
	src := "[server]\r\n# wso2lint: ignore[P001] gone\r\nhostname = \"x\"  # wso2lint: ignore[P001] also gone\r\n"
	var x001 []*lint.Finding
	for _, f := range runSuppressed(t, map[string]string{path: src}) {
		if f.Rule.Code == "X001" {
			x001 = append(x001, f)
		}
	}
	if len(x001) != 2 {
		t.Fatalf("want 2 X001 findings, got %d", len(x001))
	}
	var edits []rewrite.Edit
	for _, f := range x001 {
		edits = append(edits, f.Fix.Edits...)
	}
	out, err := rewrite.Apply([]byte(src), edits)
	if err != nil {
		t.Fatal(err)
	}
	if want := "[server]\r\nhostname = \"x\"\r\n"; string(out) != want {
		t.Errorf("fixed = %q, want %q", out, want)
	}
}

func TestIgnoreFile(t *testing.T) {
	const path = "h/mi/conf/deployment.toml"
	src := "# wso2lint: ignore-file[P001] legacy file, migrating in Q3\n[transport.http]\nlistener.port = 8280\n"
	late := strings.Repeat("# filler\n", 10) + "# wso2lint: ignore-file[P001] too late\n[transport.http]\nlistener.port = 8280\n"
	got := describeAll(runSuppressed(t, map[string]string{path: src, "h/mi2/conf/deployment.toml": late}))
	want := []string{
		path + ":3:1-3:14 P001 port here (suppressed: legacy file, migrating in Q3)",
		"h/mi2/conf/deployment.toml:11:1-11:39 X002 ignore-file must stand in the first 10 lines of the file",
		"h/mi2/conf/deployment.toml:13:1-13:14 P001 port here",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// TestSuppressLastReasonWins checks that when an ignore-file and an ignore
// directive both cover a finding, the reason of the later one in the file
// is kept, whichever kind it is, now that directives are looked up by line.
func TestSuppressLastReasonWins(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"# wso2lint: ignore-file[P001] file reason\n# wso2lint: ignore[P001] line reason\nport = 1\n", "line reason"},
		{"# wso2lint: ignore[P001] line reason\nport = 1 # wso2lint: ignore-file[P001] file reason\n", "file reason"},
	} {
		fs := runSuppressed(t, map[string]string{"h/mi/conf/deployment.toml": tc.src})
		var got []string
		for _, f := range fs {
			if f.Rule.Code == "P001" {
				got = append(got, f.SuppressedBy)
			}
		}
		if len(got) != 1 || got[0] != tc.want {
			t.Errorf("%q: suppressed by %q, want %q\n%s", tc.src, got, tc.want, strings.Join(describeAll(fs), "\n"))
		}
	}
}

// TestSuppressManyDirectives is a regression test for a file with
// thousands of findings and thousands of suppressions: every finding was
// compared with every directive of its file (2.3 s for 10,000 of each, a
// minute for 40,000). Each is checked and reported as before.
func TestSuppressManyDirectives(t *testing.T) {
	const n = 2000
	src := strings.Repeat("port = 1 # wso2lint: ignore[P001] on purpose\n", n) + strings.Repeat("# wso2lint: ignore[P001] idle\n", n)
	fs := runSuppressed(t, map[string]string{"h/mi/conf/deployment.toml": src})
	suppressed, unused := 0, 0
	for _, f := range fs {
		switch {
		case f.Rule.Code == "P001" && f.Suppressed && f.SuppressedBy == "on purpose":
			suppressed++
		case f.Rule.Code == "X001":
			unused++
		}
	}
	if suppressed != n || unused != n {
		t.Errorf("%d suppressed findings and %d unused suppressions, want %d of each", suppressed, unused, n)
	}
}
