package report_test

import (
	"bytes"
	"encoding/json"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/wso2lint/wso2lint/internal/srcpos"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/report"
	"github.com/wso2lint/wso2lint/rewrite"
	"github.com/wso2lint/wso2lint/rules"
)

// sarifSchemaID is the id of the vendored official schema
// (testdata/sarif-schema-2.1.0.json, see testdata/sarif-schema-2.1.0.NOTICE.md).
const sarifSchemaID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

var (
	sarifSchemaOnce sync.Once
	sarifSchema     *jsonschema.Schema
	errSarifSchema  error
)

// validateSARIF validates a SARIF log against the official SARIF 2.1.0
// JSON Schema, formats (uri, uri-reference, ...) asserted.
func validateSARIF(t *testing.T, raw []byte) error {
	t.Helper()
	sarifSchemaOnce.Do(func() {
		f, err := os.Open("testdata/sarif-schema-2.1.0.json")
		if err != nil {
			errSarifSchema = err
			return
		}
		defer f.Close()
		doc, err := jsonschema.UnmarshalJSON(f)
		if err != nil {
			errSarifSchema = err
			return
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if err := c.AddResource(sarifSchemaID, doc); err != nil {
			errSarifSchema = err
			return
		}
		sarifSchema, errSarifSchema = c.Compile(sarifSchemaID)
	})
	if errSarifSchema != nil {
		t.Fatalf("loading the SARIF schema: %v", errSarifSchema)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("SARIF output is not JSON: %v", err)
	}
	return sarifSchema.Validate(inst)
}

func renderSARIF(t *testing.T, rs []*lint.Rule, fs []*lint.Finding, opt report.SARIFOptions) []byte {
	t.Helper()
	raw := render(t, func(w *bytes.Buffer) error { return report.SARIF(w, rs, fs, opt) })
	if err := validateSARIF(t, raw); err != nil {
		t.Fatalf("SARIF output fails the SARIF 2.1.0 schema: %v\n%s", err, raw)
	}
	return raw
}

// The SARIF types below read back what the tests check.

type sarifLogT struct {
	Schema  string `json:"$schema"`
	Version string `json:"version"`
	Runs    []struct {
		AutomationDetails struct {
			ID string `json:"id"`
		} `json:"automationDetails"`
		ColumnKind string `json:"columnKind"`
		Tool       struct {
			Driver struct {
				Name            string `json:"name"`
				SemanticVersion string `json:"semanticVersion"`
				Version         string `json:"version"`
				InformationURI  string `json:"informationUri"`
				Rules           []struct {
					ID               string `json:"id"`
					Name             string `json:"name"`
					ShortDescription struct {
						Text string `json:"text"`
					} `json:"shortDescription"`
					FullDescription struct {
						Text string `json:"text"`
					} `json:"fullDescription"`
					Help struct {
						Text     string `json:"text"`
						Markdown string `json:"markdown"`
					} `json:"help"`
					HelpURI              string `json:"helpUri"`
					DefaultConfiguration struct {
						Enabled *bool  `json:"enabled"`
						Level   string `json:"level"`
					} `json:"defaultConfiguration"`
				} `json:"rules"`
			} `json:"driver"`
		} `json:"tool"`
		Results *[]sarifResultT `json:"results"`
	} `json:"runs"`
}

type sarifRegionT struct {
	StartLine   int  `json:"startLine"`
	StartColumn int  `json:"startColumn"`
	EndLine     int  `json:"endLine"`
	EndColumn   int  `json:"endColumn"`
	ByteOffset  *int `json:"byteOffset"`
	ByteLength  *int `json:"byteLength"`
}

type sarifLocationT struct {
	ID               int `json:"id"`
	PhysicalLocation struct {
		ArtifactLocation struct {
			URI       string `json:"uri"`
			URIBaseID string `json:"uriBaseId"`
		} `json:"artifactLocation"`
		Region sarifRegionT `json:"region"`
	} `json:"physicalLocation"`
	Message struct {
		Text string `json:"text"`
	} `json:"message"`
}

type sarifResultT struct {
	RuleID    string `json:"ruleId"`
	RuleIndex int    `json:"ruleIndex"`
	Level     string `json:"level"`
	Message   struct {
		Text string `json:"text"`
	} `json:"message"`
	Locations           []sarifLocationT  `json:"locations"`
	RelatedLocations    []sarifLocationT  `json:"relatedLocations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
	Fixes               []struct {
		Description struct {
			Text string `json:"text"`
		} `json:"description"`
		ArtifactChanges []struct {
			ArtifactLocation struct {
				URI string `json:"uri"`
			} `json:"artifactLocation"`
			Replacements []struct {
				DeletedRegion   sarifRegionT `json:"deletedRegion"`
				InsertedContent *struct {
					Text string `json:"text"`
				} `json:"insertedContent"`
			} `json:"replacements"`
		} `json:"artifactChanges"`
	} `json:"fixes"`
	Suppressions []struct {
		Kind          string `json:"kind"`
		Justification string `json:"justification"`
	} `json:"suppressions"`
}

func parseSARIF(t *testing.T, raw []byte) (sarifLogT, []sarifResultT) {
	t.Helper()
	var log sarifLogT
	if err := json.Unmarshal(raw, &log); err != nil {
		t.Fatal(err)
	}
	if len(log.Runs) != 1 {
		t.Fatalf("%d runs, want exactly 1", len(log.Runs))
	}
	if log.Runs[0].Results == nil {
		t.Fatal("runs[0].results is missing or null")
	}
	return log, *log.Runs[0].Results
}

func TestSARIFGolden(t *testing.T) {
	ex := runExamples(t)
	opt := report.SARIFOptions{Version: "1.2.3", Fleet: ex.Fleet}
	fn := func(w *bytes.Buffer) error { return report.SARIF(w, rules.All, ex.Findings, opt) }
	got := render(t, fn)
	golden(t, "examples.sarif", got)
	if again := render(t, fn); !bytes.Equal(got, again) {
		t.Error("SARIF output is not deterministic")
	}
	if err := validateSARIF(t, got); err != nil {
		t.Fatalf("examples.sarif fails the SARIF 2.1.0 schema: %v", err)
	}

	// The hand-made fixture: suppressed (included), non-ASCII, zero-width,
	// multi-line, related location in another file, fake rule T001.
	fl := loadFixture(t)
	fs := fixtureFindings(t, fl)
	got = renderSARIF(t, rules.All, fs, report.SARIFOptions{Version: "dev", IncludeSuppressed: true, Fleet: fl})
	golden(t, "fixture_suppressed.sarif", got)
}

func TestSARIFSchemaCatchesInvalidLogs(t *testing.T) {
	// The validator is live: a startLine of 0 (KICS #4431), an unknown
	// level, another SARIF version and an unknown columnKind are rejected.
	ex := runExamples(t)
	raw := render(t, func(w *bytes.Buffer) error {
		return report.SARIF(w, rules.All, ex.Findings, report.SARIFOptions{})
	})
	for _, bad := range []struct{ re, repl string }{
		{`"startLine": \d+`, `"startLine": 0`},
		{`"level": "error"`, `"level": "fatal"`},
		{`"version": "2.1.0"`, `"version": "2.2.0"`},
		{`"columnKind": "utf16CodeUnits"`, `"columnKind": "bytes"`},
	} {
		re := regexp.MustCompile(bad.re)
		loc := re.FindIndex(raw)
		if loc == nil {
			t.Fatalf("output lacks %s", bad.re)
		}
		broken := append(append(append([]byte(nil), raw[:loc[0]]...), bad.repl...), raw[loc[1]:]...)
		if err := validateSARIF(t, broken); err == nil {
			t.Errorf("schema accepted a log with %s replaced by %q", bad.re, bad.repl)
		}
	}
}

func TestSARIFRun(t *testing.T) {
	ex := runExamples(t)
	raw := renderSARIF(t, rules.All, ex.Findings, report.SARIFOptions{Version: "v1.2.3"})
	log, results := parseSARIF(t, raw)
	if log.Version != "2.1.0" || !strings.Contains(log.Schema, "sarif-schema-2.1.0.json") {
		t.Errorf("version %q, $schema %q", log.Version, log.Schema)
	}
	run := log.Runs[0]
	if run.AutomationDetails.ID != "wso2lint/" {
		t.Errorf("automationDetails.id = %q, want the default wso2lint/", run.AutomationDetails.ID)
	}
	if run.ColumnKind != "utf16CodeUnits" {
		t.Errorf("columnKind = %q", run.ColumnKind)
	}
	d := run.Tool.Driver
	if d.Name != "wso2lint" || d.SemanticVersion != "1.2.3" || d.Version != "" || d.InformationURI != "https://github.com/wso2lint/wso2lint" {
		t.Errorf("driver = %+v", d)
	}
	// Every rule of the registry, in registry order, documented.
	if len(d.Rules) != len(rules.All) {
		t.Fatalf("%d rules, want the %d of the registry", len(d.Rules), len(rules.All))
	}
	for i, r := range rules.All {
		sr := d.Rules[i]
		if sr.ID != r.Code || sr.Name != r.Name || sr.ShortDescription.Text != r.Doc.Title || sr.HelpURI != r.DocsURL() {
			t.Errorf("rule %d = %s %s, want %s %s", i, sr.ID, sr.Name, r.Code, r.Name)
		}
		if sr.FullDescription.Text == "" || len([]rune(sr.FullDescription.Text)) > 1024 || strings.Contains(sr.FullDescription.Text, "`") {
			t.Errorf("%s fullDescription is not plain text of at most 1024 characters: %q", r.Code, sr.FullDescription.Text)
		}
		if !strings.Contains(sr.Help.Text, r.Doc.Title) || !strings.Contains(sr.Help.Markdown, "## Why") {
			t.Errorf("%s help lacks the rule's documentation", r.Code)
		}
		if r.Doc.Bad != "" && !strings.Contains(sr.Help.Markdown, r.Doc.Bad) {
			t.Errorf("%s help.markdown lacks the example", r.Code)
		}
		want := map[lint.Severity]string{lint.Error: "error", lint.Warning: "warning", lint.Info: "note"}[r.Severity]
		if sr.DefaultConfiguration.Level != want {
			t.Errorf("%s level = %q, want %q", r.Code, sr.DefaultConfiguration.Level, want)
		}
		if enabled := sr.DefaultConfiguration.Enabled == nil || *sr.DefaultConfiguration.Enabled; enabled == r.Off {
			t.Errorf("%s enabled = %v, rule Off = %v", r.Code, enabled, r.Off)
		}
	}
	// One result per finding, each pointing at its rule.
	if len(results) != len(ex.Findings) {
		t.Fatalf("%d results, want %d", len(results), len(ex.Findings))
	}
	fixes := 0
	for i, res := range results {
		f := ex.Findings[i]
		if res.RuleID != f.Rule.Code || d.Rules[res.RuleIndex].ID != res.RuleID {
			t.Errorf("result %d: ruleId %s, ruleIndex %d", i, res.RuleID, res.RuleIndex)
		}
		if res.Message.Text != f.Message || res.Level != map[lint.Severity]string{lint.Error: "error", lint.Warning: "warning", lint.Info: "note"}[f.Severity] {
			t.Errorf("result %d: %s %q", i, res.Level, res.Message.Text)
		}
		if len(res.Locations) != 1 {
			t.Fatalf("result %d has %d locations, want exactly 1", i, len(res.Locations))
		}
		loc := res.Locations[0].PhysicalLocation
		start, end := f.Start(), f.End()
		if loc.ArtifactLocation.URI != f.File.Path || loc.ArtifactLocation.URIBaseID != "%SRCROOT%" {
			t.Errorf("result %d: uri %s base %s", i, loc.ArtifactLocation.URI, loc.ArtifactLocation.URIBaseID)
		}
		// The example fleet is ASCII: UTF-16 columns equal byte columns.
		if r := loc.Region; r.StartLine != start.Line || r.StartColumn != start.Col || r.EndLine != end.Line || r.EndColumn != end.Col {
			t.Errorf("result %d: region %+v, want %v-%v", i, r, start, end)
		}
		if got := res.PartialFingerprints["primaryLocationLineHash"]; got != f.Fingerprint+":1" || f.Fingerprint == "" {
			t.Errorf("result %d: primaryLocationLineHash %q, fingerprint %q", i, got, f.Fingerprint)
		}
		if len(res.RelatedLocations) != len(f.Related) {
			t.Errorf("result %d: %d related locations, want %d", i, len(res.RelatedLocations), len(f.Related))
		}
		for j, rl := range res.RelatedLocations {
			if rl.ID != j+1 || rl.Message.Text != f.Related[j].Message || rl.PhysicalLocation.Region.StartLine < 1 {
				t.Errorf("result %d related %d = %+v", i, j, rl)
			}
		}
		// The fix first, then one entry per alternative.
		wantFixes := len(f.Alternatives)
		if f.Fix != nil {
			wantFixes++
		}
		if len(res.Fixes) != wantFixes {
			t.Errorf("result %d: fix %v and %d alternatives, fixes %d", i, f.Fix != nil, len(f.Alternatives), len(res.Fixes))
		}
		if f.Fix != nil && len(res.Fixes) > 0 {
			fixes++
			if res.Fixes[0].Description.Text != f.Fix.Message || len(res.Fixes[0].ArtifactChanges) == 0 {
				t.Errorf("result %d fix = %+v", i, res.Fixes[0])
			}
		}
		if res.Suppressions != nil {
			t.Errorf("result %d has suppressions", i)
		}
	}
	if fixes == 0 {
		t.Error("the example fleet lost its fixable findings")
	}
}

func TestSARIFEmptyAndOptions(t *testing.T) {
	raw := renderSARIF(t, rules.All, nil, report.SARIFOptions{Version: "dev", AutomationID: "wso2lint/prod/"})
	if !bytes.Contains(raw, []byte(`"results": []`)) {
		t.Errorf("no findings: results is not an empty array:\n%s", raw)
	}
	log, _ := parseSARIF(t, raw)
	run := log.Runs[0]
	if run.AutomationDetails.ID != "wso2lint/prod/" {
		t.Errorf("automationDetails.id = %q", run.AutomationDetails.ID)
	}
	if d := run.Tool.Driver; d.Version != "dev" || d.SemanticVersion != "" {
		t.Errorf("a non-semver version went to semanticVersion: %+v", d)
	}

	raw = renderSARIF(t, nil, nil, report.SARIFOptions{SrcRoot: t.TempDir()})
	var doc struct {
		Runs []struct {
			OriginalURIBaseIDs map[string]struct {
				URI string `json:"uri"`
			} `json:"originalUriBaseIds"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(raw, &doc); err != nil {
		t.Fatal(err)
	}
	if u := doc.Runs[0].OriginalURIBaseIDs["%SRCROOT%"].URI; !strings.HasPrefix(u, "file:///") || !strings.HasSuffix(u, "/") {
		t.Errorf("originalUriBaseIds[%%SRCROOT%%] = %q", u)
	}
}

func TestSARIFSuppressed(t *testing.T) {
	fl := loadFixture(t)
	fs := fixtureFindings(t, fl)
	_, results := parseSARIF(t, renderSARIF(t, rules.All, fs, report.SARIFOptions{}))
	if len(results) != len(fs)-1 {
		t.Fatalf("%d results, want %d (the suppressed one left out)", len(results), len(fs)-1)
	}
	for _, r := range results {
		if r.RuleID == "K004" || r.Suppressions != nil {
			t.Errorf("suppressed finding in the default output: %+v", r)
		}
	}
	_, results = parseSARIF(t, renderSARIF(t, rules.All, fs, report.SARIFOptions{IncludeSuppressed: true}))
	if len(results) != len(fs) {
		t.Fatalf("%d results with IncludeSuppressed, want %d", len(results), len(fs))
	}
	n := 0
	for _, r := range results {
		if r.Suppressions == nil {
			continue
		}
		n++
		if r.RuleID != "K004" || len(r.Suppressions) != 1 || r.Suppressions[0].Kind != "inSource" ||
			r.Suppressions[0].Justification != "set by the deploy pipeline" {
			t.Errorf("suppressions = %+v", r.Suppressions)
		}
	}
	if n != 1 {
		t.Errorf("%d results with suppressions, want 1", n)
	}

	// A finding hidden by the baseline is suppressed externally.
	var k004 *lint.Finding
	for _, f := range fs {
		if f.Rule.Code == "K004" {
			c := *f
			c.SuppressedBy = "baseline: legacy, tracked in OPS-12"
			k004 = &c
		}
	}
	_, results = parseSARIF(t, renderSARIF(t, rules.All, []*lint.Finding{k004}, report.SARIFOptions{IncludeSuppressed: true}))
	if s := results[0].Suppressions; len(s) != 1 || s[0].Kind != "external" || s[0].Justification != k004.SuppressedBy {
		t.Errorf("baseline suppression = %+v", s)
	}
}

// TestSARIFUTF16Columns checks the conversion on the fixture's non-ASCII
// line `"ünï" = "ñ-8290"`: ü, ï and ñ take two bytes each but one UTF-16
// code unit, so the value spans byte columns 11-20 and UTF-16 columns 9-17.
func TestSARIFUTF16Columns(t *testing.T) {
	fl := loadFixture(t)
	fs := fixtureFindings(t, fl)
	var f *lint.Finding
	for _, x := range fs {
		if x.Rule.Code == "K002" {
			f = x
		}
	}
	if start, end := f.Start(), f.End(); start.Col != 11 || end.Col != 20 {
		t.Fatalf("fixture moved: byte columns %d-%d", start.Col, end.Col)
	}
	_, results := parseSARIF(t, renderSARIF(t, rules.All, []*lint.Finding{f}, report.SARIFOptions{}))
	want := sarifRegionT{StartLine: 3, StartColumn: 9, EndLine: 3, EndColumn: 17}
	if got := results[0].Locations[0].PhysicalLocation.Region; got != want {
		t.Errorf("region = %+v, want %+v", got, want)
	}
	rep := results[0].Fixes[0].ArtifactChanges[0].Replacements[0]
	if rep.DeletedRegion != want || rep.InsertedContent == nil || rep.InsertedContent.Text != "8290" {
		t.Errorf("replacement = %+v, want deletedRegion %+v and 8290", rep, want)
	}
}

// TestSARIFFixInAnotherFile: a fix edits a file no finding points into.
// With the fleet its region is given in lines and columns; without, in
// bytes. A deletion has no insertedContent.
func TestSARIFFixInAnotherFile(t *testing.T) {
	fl := loadFixture(t)
	miA := file(t, fl, "prod/edge-1/mi-a/conf/deployment.toml")
	dash := file(t, fl, "prod/edge-1/dashboard/conf/deployment.toml")
	port := span(t, dash, "9743")
	f := &lint.Finding{
		Rule: rules.DuplicatePort, Severity: lint.Error, File: miA, Span: span(t, miA, "listener.port = 8280"),
		Message: "collides", Fingerprint: "0123456789abcdef",
		Fix: &lint.Fix{Applicability: lint.Unsafe, Message: "move both", Edits: []rewrite.Edit{
			{Path: dash.Path, Start: port.Start, End: port.End, New: "9744"},
			{Path: miA.Path, Start: 0, End: len("[server]\n")},
		}},
	}
	check := func(opt report.SARIFOptions, wantDash sarifRegionT) {
		t.Helper()
		_, results := parseSARIF(t, renderSARIF(t, rules.All, []*lint.Finding{f}, opt))
		changes := results[0].Fixes[0].ArtifactChanges
		if len(changes) != 2 || changes[0].ArtifactLocation.URI != dash.Path || changes[1].ArtifactLocation.URI != miA.Path {
			t.Fatalf("artifactChanges not one per file in path order: %+v", changes)
		}
		if got := changes[0].Replacements[0].DeletedRegion; !sameRegion(got, wantDash) {
			t.Errorf("region in the other file = %+v, want %+v", got, wantDash)
		}
		del := changes[1].Replacements[0]
		if want := (sarifRegionT{StartLine: 1, StartColumn: 1, EndLine: 2, EndColumn: 1}); del.DeletedRegion != want || del.InsertedContent == nil || del.InsertedContent.Text != "" {
			t.Errorf("deletion = %+v", del)
		}
	}
	check(report.SARIFOptions{Fleet: fl}, sarifRegionT{StartLine: 2, StartColumn: 8, EndLine: 2, EndColumn: 12})
	off, n := port.Start, 4
	check(report.SARIFOptions{}, sarifRegionT{ByteOffset: &off, ByteLength: &n})
}

func sameRegion(a, b sarifRegionT) bool {
	eq := func(x, y *int) bool { return (x == nil) == (y == nil) && (x == nil || *x == *y) }
	return a.StartLine == b.StartLine && a.StartColumn == b.StartColumn && a.EndLine == b.EndLine &&
		a.EndColumn == b.EndColumn && eq(a.ByteOffset, b.ByteOffset) && eq(a.ByteLength, b.ByteLength)
}

// TestSARIFURIs: paths with spaces, '%', '#' and non-ASCII are written
// as valid relative URI references (the schema asserts uri-reference).
func TestSARIFURIs(t *testing.T) {
	src := []byte("[server]\noffset = 10\n")
	for path, want := range map[string]string{
		"a b/c%d#e/ü.toml":      "a%20b/c%25d%23e/%C3%BC.toml",
		"c:x/deployment.toml":   "c%3Ax/deployment.toml",
		"plain/deployment.toml": "plain/deployment.toml",
	} {
		ff := memFile(string(src))
		ff.Path = path
		f := &lint.Finding{Rule: rules.RedundantOffset, Severity: lint.Info, File: ff, Span: srcpos.Span{Start: 9, End: 20}, Message: "m"}
		_, results := parseSARIF(t, renderSARIF(t, rules.All, []*lint.Finding{f}, report.SARIFOptions{}))
		if got := results[0].Locations[0].PhysicalLocation.ArtifactLocation.URI; got != want {
			t.Errorf("uri of %q = %q, want %q", path, got, want)
		}
	}
}

// TestAlternatives checks that a finding's alternative fixes are shown
// after its fix, marked as never applied by --fix: on a help line of the
// text report, under "alternatives" in JSON, and as further SARIF fixes
// with the alternative property.
func TestAlternatives(t *testing.T) {
	fl := loadFixture(t)
	var f *lint.Finding
	for _, x := range fixtureFindings(t, fl) {
		if x.Fix != nil && x.Fix.Applicability == lint.Safe && len(x.Fix.Edits) == 1 {
			c := *x
			f = &c
			break
		}
	}
	if f == nil {
		t.Fatal("the fixture has no finding with a safe one-edit fix")
	}
	e := f.Fix.Edits[0]
	e.New = "9999"
	f.Alternatives = []*lint.Fix{{Applicability: lint.Unsafe, Message: "write 9999 instead: it moves 1 → 2", Edits: []rewrite.Edit{e}}}

	text := string(render(t, func(w *bytes.Buffer) error { return report.Text(w, []*lint.Finding{f}, report.Options{}) }))
	if !strings.Contains(text, "= help: write 9999 instead: it moves 1 → 2 (unsafe alternative, not applied by --fix: apply it by hand)\n") {
		t.Errorf("text report has no alternative help line:\n%s", text)
	}
	var rep struct {
		Findings []struct {
			Fix          struct{ Applicability string } `json:"fix"`
			Alternatives []struct {
				Applicability string `json:"applicability"`
				Message       string `json:"message"`
				Edits         []struct {
					NewText string `json:"new_text"`
				} `json:"edits"`
			} `json:"alternatives"`
		} `json:"findings"`
	}
	if err := json.Unmarshal(render(t, func(w *bytes.Buffer) error { return report.JSON(w, fl, []*lint.Finding{f}, report.Options{}) }), &rep); err != nil {
		t.Fatal(err)
	}
	if a := rep.Findings[0].Alternatives; rep.Findings[0].Fix.Applicability != "safe" || len(a) != 1 || a[0].Applicability != "unsafe" ||
		a[0].Message != "write 9999 instead: it moves 1 → 2" || len(a[0].Edits) != 1 || a[0].Edits[0].NewText != "9999" {
		t.Errorf("JSON alternatives = %+v", rep.Findings[0])
	}
	raw := renderSARIF(t, rules.All, []*lint.Finding{f}, report.SARIFOptions{Fleet: fl})
	var sl struct {
		Runs []struct {
			Results []struct {
				Fixes []struct {
					Description struct{ Text string } `json:"description"`
					Properties  struct {
						Applicability string `json:"applicability"`
						Alternative   bool   `json:"alternative"`
					} `json:"properties"`
				} `json:"fixes"`
			} `json:"results"`
		} `json:"runs"`
	}
	if err := json.Unmarshal(raw, &sl); err != nil {
		t.Fatal(err)
	}
	fixes := sl.Runs[0].Results[0].Fixes
	if len(fixes) != 2 || fixes[0].Properties.Alternative || fixes[1].Properties.Applicability != "unsafe" || !fixes[1].Properties.Alternative ||
		fixes[1].Description.Text != "write 9999 instead: it moves 1 → 2" {
		t.Errorf("SARIF fixes = %+v", fixes)
	}
}
