package lint_test

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/linttest"
	"github.com/wso2lint/wso2lint/rules"
)

// runAll loads files as a fleet and runs every rule on by default.
func runAll(t *testing.T, files map[string]string) []*lint.Finding {
	t.Helper()
	return runFleet(t, linttest.Fleet(t, files, fleet.Options{}))
}

func runFleet(t *testing.T, fl *fleet.Fleet) []*lint.Finding {
	t.Helper()
	enabled, err := lint.Select(rules.All, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	fs, err := lint.Run(fl, lint.Options{Rules: rules.All, Enabled: enabled})
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// reported renders the unsuppressed findings as "path:line CODE key".
func reported(fs []*lint.Finding) []string {
	var out []string
	for _, f := range fs {
		if !f.Suppressed {
			out = append(out, fmt.Sprintf("%s:%d %s %s", f.File.Path, f.Start().Line, f.Rule.Code, f.Key))
		}
	}
	return out
}

func checkLines(t *testing.T, what string, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s differ\n got:\n\t%s\nwant:\n\t%s", what, strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

func entryLines(es []lint.BaselineEntry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.File+" "+e.Code+" "+e.Key)
	}
	return out
}

// writeRead writes a baseline and reads it back, as --write-baseline then
// --baseline do.
func writeRead(t *testing.T, b *lint.Baseline) (*lint.Baseline, string) {
	t.Helper()
	var buf bytes.Buffer
	if err := b.Write(&buf); err != nil {
		t.Fatal(err)
	}
	got, err := lint.ReadBaseline(bytes.NewReader(buf.Bytes()), "wso2lint-baseline.json")
	if err != nil {
		t.Fatalf("reading back the baseline: %v\n%s", err, buf.String())
	}
	return got, buf.String()
}

const (
	miA = "h1/mi-a/conf/deployment.toml"
	miB = "h1/mi-b/conf/deployment.toml"
	miC = "h1/mi-c/conf/deployment.toml"
	miD = "h1/mi-d/conf/deployment.toml"
	eiA = "h2/eia/conf/server/deployment.yaml"
)

// baselineFleet has findings of several kinds: at a written key (P003,
// K002, K001), at line 1 of a file whose ports are implicit (four P001 of
// mi-c with different keys), at a written port key (P001 of mi-d), two
// findings with one code, path and key (S002, told apart by occurrence),
// and a YAML key (K002 of an EI Analytics server).
var baselineFleet = map[string]string{
	miA: "[server]\nhostname = \"localhost\"\noffset = 0\n\n[transport.http]\nlistener.port = 80\nlistener.secured_port = 8243\n",
	miB: "# mi-b\n[server]\nhostname = \"mi-b\"\nportOffset = 20\n\n[mediation]\ninternal.http.api.port = 9191\n",
	miC: "[server]\nhostname = \"mi-c\"\n",
	miD: "[server]\nhostname = \"a\"\noffset = 30\nhostname = \"b\"\nhostname = \"c\"\n\n[transport.http]\nlistener.port = 8260\n",
	eiA: "wso2.carbon:\n  id: si\n  ports:\n    offset: 1\n" +
		"wso2.transport.http:\n  listenerConfigurations:\n    - id: \"default\"\n      host: \"0.0.0.0\"\n      Port: 9090\n",
}

// baselineFleetReformatted is baselineFleet with tables reordered,
// comments and blank lines added, keys moved within their tables and
// indentation changed: the same configuration, every line moved.
var baselineFleetReformatted = map[string]string{
	miA: "# mi-a: the HTTP listener on 80 is accepted, a proxy runs as root here\n\n" +
		"[transport.http]\n# TLS first\nlistener.secured_port = 8243\n\nlistener.port = 80  # privileged\n\n" +
		"[server]\noffset = 0\n  hostname = \"localhost\"\n",
	miB: "[mediation]\n\ninternal.http.api.port = 9191\n\n# mi-b\n[server]\nportOffset = 20\nhostname = \"mi-b\"\n",
	miC: "# mi-c\n\n# no offset: it collides with mi-b\n[server]\nhostname = \"mi-c\"\n",
	miD: "[transport.http]\nlistener.port = 8260 # 8290\n\n[server]\noffset = 30\nhostname = \"a\"\n\nhostname = \"b\"\nhostname = \"c\"\n",
	eiA: "# EI Analytics server\nwso2.transport.http:\n  listenerConfigurations:\n    - Port: 9090\n      id: \"default\"\n      host: \"0.0.0.0\"\n" +
		"wso2.carbon:\n  ports:\n    offset: 1\n  id: si\n",
}

func withFile(files map[string]string, path, src string) map[string]string {
	out := map[string]string{}
	for k, v := range files {
		out[k] = v
	}
	if src == "" {
		delete(out, path)
	} else {
		out[path] = src
	}
	return out
}

func TestBaselineRoundTrip(t *testing.T) {
	first := runAll(t, baselineFleet)
	all := []string{
		miA + ":6 P003 transport.http.listener.port",
		miB + ":4 K002 server.portOffset",
		miB + ":7 K001 mediation.internal.http.api.port",
		miC + ":1 P001 server.offset",
		miD + ":3 P001 server.offset",
		miD + ":3 P001 server.offset",
		miD + ":4 S002 server.hostname",
		miD + ":5 S002 server.hostname",
		eiA + ":9 K002 wso2.transport.http.listenerConfigurations[id=default].Port",
	}
	checkLines(t, "findings of the fleet", reported(first), all)

	b, text := writeRead(t, lint.NewBaseline(first))
	if len(b.Entries) != len(all) {
		t.Fatalf("baseline has %d entries, want %d:\n%s", len(b.Entries), len(all), text)
	}
	if !strings.HasSuffix(text, "}\n") || !strings.Contains(text, `"reason": "accepted when the baseline was written"`) ||
		!strings.HasPrefix(text, "{\n  \"version\": 1,\n  \"findings\": [\n    {\n      \"fingerprint\": ") {
		t.Errorf("unexpected baseline layout:\n%s", text)
	}
	if strings.Contains(text, `"line"`) {
		t.Errorf("the baseline must not record line numbers:\n%s", text)
	}

	t.Run("re-run: everything baselined, nothing stale", func(t *testing.T) {
		fs := runAll(t, baselineFleet)
		stale := b.Apply(fs)
		checkLines(t, "reported findings", reported(fs), nil)
		checkLines(t, "stale entries", entryLines(stale), nil)
		for _, f := range fs {
			if f.SuppressedBy != "baseline: accepted when the baseline was written" {
				t.Errorf("%s: SuppressedBy = %q", linttest.Describe(f), f.SuppressedBy)
			}
		}
	})

	t.Run("a new defect is the only finding reported", func(t *testing.T) {
		files := withFile(baselineFleet, miC, "[server]\nhostname = \"mi-c\"\nofset = 20\n")
		fs := runAll(t, files)
		stale := b.Apply(fs)
		checkLines(t, "reported findings", reported(fs), []string{miC + ":3 K002 server.ofset"})
		checkLines(t, "stale entries", entryLines(stale), nil)
	})

	t.Run("reformatting keeps every entry", func(t *testing.T) {
		fs := runAll(t, baselineFleetReformatted)
		var lines []int
		for _, f := range fs {
			lines = append(lines, f.Start().Line)
		}
		stale := b.Apply(fs)
		checkLines(t, "reported findings", reported(fs), nil)
		checkLines(t, "stale entries", entryLines(stale), nil)
		if len(fs) != len(all) {
			t.Errorf("reformatted fleet has %d findings, want %d", len(fs), len(all))
		}
		// The reformatting did move the findings.
		if fmt.Sprint(lines) == "[6 4 7 1 1 1 1 4 5 8 9]" {
			t.Errorf("the reformatted fleet's findings are on the same lines: the test proves nothing")
		}
	})

	t.Run("a fixed defect leaves a stale entry", func(t *testing.T) {
		files := withFile(baselineFleet, miB, "# mi-b\n[server]\nhostname = \"mi-b\"\n\n[mediation]\ninternal.http.api.port = 9191\n")
		fs := runAll(t, files)
		stale := b.Apply(fs)
		checkLines(t, "reported findings", reported(fs), nil)
		checkLines(t, "stale entries", entryLines(stale), []string{miB + " K002 server.portOffset"})
	})

	t.Run("one of two same-key findings fixed: one entry stale", func(t *testing.T) {
		// The occurrence index of the remaining S002 may change; one
		// entry of the two goes stale either way.
		files := withFile(baselineFleet, miD, "[server]\nhostname = \"a\"\noffset = 30\nhostname = \"b\"\n\n[transport.http]\nlistener.port = 8260\n")
		fs := runAll(t, files)
		stale := b.Apply(fs)
		checkLines(t, "reported findings", reported(fs), nil)
		checkLines(t, "stale entries", entryLines(stale), []string{miD + " S002 server.hostname"})
	})
}

func TestBaselineDeterministic(t *testing.T) {
	fs := runAll(t, baselineFleet)
	var a, b bytes.Buffer
	if err := lint.NewBaseline(fs).Write(&a); err != nil {
		t.Fatal(err)
	}
	rev := append([]*lint.Finding(nil), fs...)
	for i, j := 0, len(rev)-1; i < j; i, j = i+1, j-1 {
		rev[i], rev[j] = rev[j], rev[i]
	}
	if err := lint.NewBaseline(rev).Write(&b); err != nil {
		t.Fatal(err)
	}
	if a.String() != b.String() {
		t.Errorf("baseline depends on the order of findings:\n%s\n---\n%s", a.String(), b.String())
	}
	// The reformatted fleet writes the same entries (messages aside: the
	// S002 message names the other lines) in the same order.
	re := lint.NewBaseline(runAll(t, baselineFleetReformatted))
	orig := lint.NewBaseline(fs)
	for _, b := range []*lint.Baseline{re, orig} {
		for i := range b.Entries {
			b.Entries[i].Message = ""
		}
	}
	if fmt.Sprint(re.Entries) != fmt.Sprint(orig.Entries) {
		t.Errorf("the reformatted fleet writes a different baseline:\n%v\n---\n%v", orig.Entries, re.Entries)
	}
	var empty bytes.Buffer
	if err := lint.NewBaseline(nil).Write(&empty); err != nil {
		t.Fatal(err)
	}
	if want := "{\n  \"version\": 1,\n  \"findings\": []\n}\n"; empty.String() != want {
		t.Errorf("empty baseline:\n got: %q\nwant: %q", empty.String(), want)
	}
}

func TestBaselineReasons(t *testing.T) {
	fs := runAll(t, baselineFleet)
	b := lint.NewBaseline(fs)
	for i := range b.Entries {
		if b.Entries[i].Code == "P003" {
			b.Entries[i].Reason = "a proxy runs as root on this host (OPS-12)"
		}
	}
	b, _ = writeRead(t, b)
	fs = runAll(t, baselineFleet)
	b.Apply(fs)
	for _, f := range fs {
		if f.Rule.Code == "P003" && f.SuppressedBy != "baseline: a proxy runs as root on this host (OPS-12)" {
			t.Errorf("SuppressedBy = %q", f.SuppressedBy)
		}
	}

	// Rewriting the baseline keeps the hand-written reasons.
	nb := lint.NewBaseline(runAll(t, baselineFleetReformatted))
	nb.KeepReasons(b)
	n := 0
	for _, e := range nb.Entries {
		if e.Reason != lint.BaselinePlaceholderReason {
			n++
			if e.Code != "P003" || e.Reason != "a proxy runs as root on this host (OPS-12)" {
				t.Errorf("unexpected reason on %+v", e)
			}
		}
	}
	if n != 1 {
		t.Errorf("%d entries kept a reason, want 1", n)
	}
}

func TestBaselineSkipsSuppressed(t *testing.T) {
	files := withFile(baselineFleet, miA, "[server]\nhostname = \"localhost\"\noffset = 0\n\n[transport.http]\n"+
		"# wso2lint: ignore[P003] a proxy runs as root here\nlistener.port = 80\nlistener.secured_port = 8243\n")
	fs := runAll(t, files)
	b := lint.NewBaseline(fs)
	for _, e := range b.Entries {
		if e.Code == "P003" {
			t.Errorf("an inline-suppressed finding was written to the baseline: %+v", e)
		}
	}
	for _, f := range fs {
		if f.Rule.Code == "P003" && (!f.Suppressed || strings.HasPrefix(f.SuppressedBy, "baseline")) {
			t.Errorf("P003 should stay suppressed inline: %+v", f)
		}
	}

	// An entry whose finding is now suppressed inline is stale: a rewrite
	// would drop it.
	old := lint.NewBaseline(runAll(t, baselineFleet))
	fs = runAll(t, files)
	stale := old.Apply(fs)
	checkLines(t, "stale entries", entryLines(stale), []string{miA + " P003 transport.http.listener.port"})
	for _, f := range fs {
		if f.Rule.Code == "P003" && strings.HasPrefix(f.SuppressedBy, "baseline") {
			t.Errorf("the inline suppression's reason was overwritten: %q", f.SuppressedBy)
		}
	}
}

func TestBaselineStaleIn(t *testing.T) {
	stale := []lint.BaselineEntry{{Fingerprint: "1", File: "a", Code: "P001"}, {Fingerprint: "2", File: "b", Code: "P001"},
		{Fingerprint: "3", File: "b", Code: "K002"}}
	p001 := lint.Lookup(rules.All, "P001")
	for _, tc := range []struct {
		targets map[string]bool
		enabled map[*lint.Rule]bool
		want    string
	}{
		{nil, nil, "[1 2 3]"},
		{map[string]bool{"b": true}, nil, "[2 3]"},
		{nil, map[*lint.Rule]bool{p001: true}, "[1 2]"},
		{map[string]bool{"b": true}, map[*lint.Rule]bool{p001: true}, "[2]"},
	} {
		var got []string
		for _, e := range lint.StaleIn(stale, tc.targets, tc.enabled) {
			got = append(got, e.Fingerprint)
		}
		if fmt.Sprint(got) != tc.want {
			t.Errorf("StaleIn(%v, %v) = %v, want %s", tc.targets, tc.enabled, got, tc.want)
		}
	}
}

// TestBaselineKeyForms rewrites one setting as a sub-table, dotted keys
// at the top level and an inline table: the logical key, hence the
// fingerprint, stays.
func TestBaselineKeyForms(t *testing.T) {
	b := lint.NewBaseline(runAll(t, map[string]string{miA: "[server]\noffset = 0\n\n[transport.http]\nlistener.port = 80\n"}))
	if len(b.Entries) != 1 || b.Entries[0].Code != "P003" {
		t.Fatalf("want one P003 entry, got %+v", b.Entries)
	}
	for _, src := range []string{
		"[server]\noffset = 0\n\n[transport.http.listener]\nport = 80\n",
		"server.offset = 0\ntransport.http.listener.port = 80\n",
		"server = { offset = 0 }\n\n[transport]\nhttp.listener.port = 80\n",
		"[transport.http]\n\"listener\".'port' = 80\n[server]\noffset = 0\n",
	} {
		fs := runAll(t, map[string]string{miA: src})
		stale := b.Apply(fs)
		if len(stale) != 0 || len(reported(fs)) != 0 {
			t.Errorf("%q: reported %v, stale %v", src, reported(fs), entryLines(stale))
		}
	}
}

func TestReadBaselineErrors(t *testing.T) {
	tests := []struct {
		name, src, want string
	}{
		{"syntax error", "{\n  \"version\": 1,\n  \"findings\": [\n    {\"fingerprint\": \"ab\",}\n  ]\n}\n",
			`base.json:4:26: invalid baseline JSON: invalid character '}' looking for beginning of object key string`},
		{"truncated", "{\n  \"version\": 1,\n  \"findings\": [\n",
			`base.json:4:1: invalid baseline JSON: unexpected end of JSON input`},
		{"trailing garbage", "{\"version\": 1, \"findings\": []}\nx\n",
			`base.json:2:1: invalid baseline JSON: invalid character 'x' after top-level value`},
		{"wrong type", "{\n  \"version\": \"1\",\n  \"findings\": []\n}\n",
			`base.json:2:16: invalid baseline: version is string, want int`},
		{"wrong version", "{\"version\": 2, \"findings\": []}\n",
			`base.json: unsupported baseline version 2 (this wso2lint reads version 1)`},
		{"no version", "{\"findings\": []}\n",
			`base.json: not a wso2lint baseline: "version" is missing (want 1)`},
		{"empty", "  \n",
			`base.json: baseline file is empty (write one with --write-baseline)`},
		{"no fingerprint", "{\"version\": 1, \"findings\": [{\"code\": \"P001\", \"file\": \"h1/mi/conf/deployment.toml\"}]}\n",
			`base.json: baseline entry 1 (P001 h1/mi/conf/deployment.toml) has no fingerprint`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := lint.ReadBaseline(strings.NewReader(tc.src), "base.json")
			if err == nil {
				t.Fatal("no error")
			}
			if err.Error() != tc.want {
				t.Errorf("error\n got: %s\nwant: %s", err, tc.want)
			}
		})
	}

	// Unknown fields (a note added by hand) are ignored.
	b, err := lint.ReadBaseline(strings.NewReader(`{"version": 1, "note": "x", "findings": [{"fingerprint": "ab", "ticket": "OPS-1"}]}`), "base.json")
	if err != nil || len(b.Entries) != 1 {
		t.Errorf("got %v, %v", b, err)
	}
}

// TestFingerprintStableP002TableOrder documents an instability of the
// engine's fingerprint: P002 is reported at the second listener of a
// colliding pair in file order, and the finding's Key is that listener's
// key, so reordering tables (or moving a key within its table) can move
// the finding to the other listener of the pair and change its key, hence
// its fingerprint. A baseline entry for it then goes stale and the same
// finding is reported as new. P002 therefore keys the finding by the pair
// of listeners, not by whichever comes second.
func TestFingerprintStableP002TableOrder(t *testing.T) {
	cases := []struct {
		name          string
		before, after string
	}{
		{
			name:   "reorder tables: the implicit HTTPS listener sits at the offset key",
			before: "[server]\noffset = 12\n\n[transport.http]\nlistener.port = 8243\n",
			after:  "[transport.http]\nlistener.port = 8243\n\n[server]\noffset = 12\n",
		},
		{
			name:   "move a key within its table",
			before: "[transport.http]\nlistener.secured_port = 9191\nlistener.port = 9191\n",
			after:  "[transport.http]\nlistener.port = 9191\nlistener.secured_port = 9191\n",
		},
	}
	var problems []string
	for _, tc := range cases {
		a := runAll(t, map[string]string{miA: tc.before})
		b := lint.NewBaseline(a)
		fs := runAll(t, map[string]string{miA: tc.after})
		stale := b.Apply(fs)
		if len(stale) > 0 || len(reported(fs)) > 0 {
			problems = append(problems, fmt.Sprintf("%s:\n\tbefore: %s\n\tafter:  %s\n\tstale: %s",
				tc.name, strings.Join(reported(a), "; "), strings.Join(reported(fs), "; "), strings.Join(entryLines(stale), "; ")))
		}
	}
	if len(problems) == 0 {
		return
	}
	t.Error("P002 fingerprints change under reformatting:\n" + strings.Join(problems, "\n"))
}
