package report

import (
	"io"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/lazyre"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/rewrite"
)

// SARIFOptions controls the SARIF log.
type SARIFOptions struct {
	// Version is the tool version. A semantic version ("1.2.3", "v1.2.3")
	// is written as tool.driver.semanticVersion, anything else ("dev", a
	// commit) as tool.driver.version, which has no format to break.
	Version string
	// AutomationID is runs[0].automationDetails.id, the category GitHub
	// code scanning keys alerts on; "wso2lint/" when empty. Give each
	// upload of a different configuration its own ("wso2lint/prod/"), or
	// GitHub rejects the second run with the same tool and category.
	AutomationID string
	// IncludeSuppressed writes suppressed findings too, each with a
	// suppressions entry (kind inSource for an inline suppression,
	// external for a baseline entry). GitHub ignores suppressions and
	// would raise them as alerts, so they are left out by default.
	IncludeSuppressed bool
	// Fleet, when set, resolves the files that fix edits touch but no
	// finding points into (a host-wide offset re-assignment), so that
	// their regions can be given as lines and columns. Without it such an
	// edit's region is given in bytes (byteOffset/byteLength).
	Fleet *fleet.Fleet
	// SrcRoot, when set, is the directory relative URIs resolve against,
	// written as originalUriBaseIds["%SRCROOT%"]. It is left out by
	// default: it is machine-specific, and code scanning resolves the
	// relative URIs against the repository root by itself.
	SrcRoot string
}

// sarifSchema is the official OASIS schema of SARIF 2.1.0 (errata 01).
const sarifSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

// srcRoot is the uriBaseId of every artifact location: URIs are relative
// to the directory the tool ran in.
const srcRoot = "%SRCROOT%"

// sarifFingerprintKey is the one partialFingerprints key GitHub reads.
const sarifFingerprintKey = "primaryLocationLineHash"

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                   `json:"tool"`
	AutomationDetails  sarifAutomation             `json:"automationDetails"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
	ColumnKind         string                      `json:"columnKind"`
	Results            []sarifResult               `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name            string      `json:"name"`
	SemanticVersion string      `json:"semanticVersion,omitempty"`
	Version         string      `json:"version,omitempty"`
	InformationURI  string      `json:"informationUri"`
	Rules           []sarifRule `json:"rules"`
}

type sarifAutomation struct {
	ID string `json:"id"`
}

type sarifRule struct {
	ID                   string              `json:"id"`
	Name                 string              `json:"name"`
	ShortDescription     sarifText           `json:"shortDescription"`
	FullDescription      sarifText           `json:"fullDescription"`
	Help                 sarifText           `json:"help"`
	HelpURI              string              `json:"helpUri"`
	DefaultConfiguration sarifRuleConfig     `json:"defaultConfiguration"`
	Properties           sarifRuleProperties `json:"properties"`
}

// sarifText is a SARIF message or multiformatMessageString.
type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRuleConfig struct {
	// Enabled is false for rules off by default; true is SARIF's default
	// and left out.
	Enabled *bool  `json:"enabled,omitempty"`
	Level   string `json:"level"`
}

type sarifRuleProperties struct {
	// Fix is the kind of fix the rule's findings can carry: safe, unsafe
	// or none.
	Fix string `json:"fix"`
}

type sarifResult struct {
	RuleID              string             `json:"ruleId"`
	RuleIndex           int                `json:"ruleIndex"`
	Level               string             `json:"level"`
	Message             sarifText          `json:"message"`
	Locations           []sarifLocation    `json:"locations"`
	RelatedLocations    []sarifLocation    `json:"relatedLocations,omitempty"`
	PartialFingerprints map[string]string  `json:"partialFingerprints,omitempty"`
	Fixes               []sarifFix         `json:"fixes,omitempty"`
	Suppressions        []sarifSuppression `json:"suppressions,omitempty"`
	Properties          *sarifResultProps  `json:"properties,omitempty"`
}

// sarifResultProps carries what SARIF has no field for: the logical key
// path the finding is about and where it sits in the fleet.
type sarifResultProps struct {
	Key     string `json:"key,omitempty"`
	Install string `json:"install,omitempty"`
	Host    string `json:"host,omitempty"`
}

type sarifLocation struct {
	ID               *int          `json:"id,omitempty"`
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
	Message          *sarifText    `json:"message,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
	Region           sarifRegion      `json:"region"`
}

type sarifArtifactLoc struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

// sarifRegion is a text region in lines and UTF-16 columns (the run's
// columnKind), or, for an edit in a file the renderer cannot read, a
// binary region in bytes.
type sarifRegion struct {
	StartLine   int  `json:"startLine,omitempty"`
	StartColumn int  `json:"startColumn,omitempty"`
	EndLine     int  `json:"endLine,omitempty"`
	EndColumn   int  `json:"endColumn,omitempty"`
	ByteOffset  *int `json:"byteOffset,omitempty"`
	ByteLength  *int `json:"byteLength,omitempty"`
}

type sarifFix struct {
	Description     sarifText          `json:"description"`
	ArtifactChanges []sarifChange      `json:"artifactChanges"`
	Properties      sarifFixProperties `json:"properties"`
}

type sarifFixProperties struct {
	// Applicability is safe (applied by --fix) or unsafe (also needs
	// --unsafe-fixes).
	Applicability string `json:"applicability"`
	// Alternative marks a fix that --fix never applies, offered beside
	// the first one (lint.Finding.Alternatives).
	Alternative bool `json:"alternative,omitempty"`
}

type sarifChange struct {
	ArtifactLocation sarifArtifactLoc   `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion        `json:"deletedRegion"`
	InsertedContent *sarifInsertedText `json:"insertedContent,omitempty"`
}

type sarifInsertedText struct {
	Text string `json:"text"`
}

type sarifSuppression struct {
	Kind          string `json:"kind"`
	Justification string `json:"justification,omitempty"`
}

// SARIF writes a SARIF 2.1.0 log with one run, for GitHub code scanning
// and any other SARIF consumer.
//
// tool.driver.rules lists every rule of the registry rules in its order,
// enabled or not, with its documentation, so that an alert always finds
// its rule; each result names its rule by ruleId and ruleIndex. results is
// always present, empty when there is nothing to report. Each result has
// exactly one location, related locations with ids, the finding's
// fingerprint as partialFingerprints.primaryLocationLineHash, and a fix
// when the finding has one.
//
// Columns are counted in UTF-16 code units, as run.columnKind says, the
// unit GitHub and VS Code count in; they are converted from the byte
// columns the rest of the tool uses with each line's bytes. endColumn is
// exclusive. URIs are the findings' paths, relative to %SRCROOT% (the
// working directory), slash-separated and percent-encoded.
//
// The fingerprint is written as "<fingerprint>:1". GitHub's own
// primaryLocationLineHash values have that "<hash>:<n>" shape, n telling
// apart equal hashes in one file; ours already count the occurrence of a
// code, path and key triple in the hash and never depend on line numbers
// or line text, so n is always 1 and the alert survives reformatting.
func SARIF(w io.Writer, rules []*lint.Rule, findings []*lint.Finding, opt SARIFOptions) error {
	id := opt.AutomationID
	if id == "" {
		id = toolName + "/"
	}
	driver := sarifDriver{Name: toolName, InformationURI: toolURL, Rules: make([]sarifRule, 0, len(rules))}
	if v := strings.TrimPrefix(opt.Version, "v"); semverRE.MatchString(v) {
		driver.SemanticVersion = v
	} else {
		driver.Version = opt.Version
	}
	index := map[*lint.Rule]int{}
	byCode := map[string]int{}
	for _, r := range rules {
		index[r] = len(driver.Rules)
		if _, dup := byCode[r.Code]; !dup {
			byCode[r.Code] = len(driver.Rules)
		}
		driver.Rules = append(driver.Rules, sarifRuleOf(r))
	}
	files := newFileSet(findings, opt.Fleet)
	results := make([]sarifResult, 0, len(findings))
	for _, f := range findings {
		if f.Suppressed && !opt.IncludeSuppressed {
			continue
		}
		i, ok := index[f.Rule]
		if !ok {
			i, ok = byCode[f.Rule.Code]
		}
		if !ok {
			// A finding of a rule outside the registry (a test's fake):
			// list the rule so that ruleIndex stays valid.
			i = len(driver.Rules)
			index[f.Rule], byCode[f.Rule.Code] = i, i
			driver.Rules = append(driver.Rules, sarifRuleOf(f.Rule))
		}
		results = append(results, sarifResultOf(f, i, files))
	}
	run := sarifRun{
		Tool:              sarifTool{Driver: driver},
		AutomationDetails: sarifAutomation{ID: id},
		ColumnKind:        "utf16CodeUnits",
		Results:           results,
	}
	if opt.SrcRoot != "" {
		run.OriginalURIBaseIDs = map[string]sarifArtifactLoc{srcRoot: {URI: dirFileURI(opt.SrcRoot)}}
	}
	return encodeJSON(w, sarifLog{Schema: sarifSchema, Version: "2.1.0", Runs: []sarifRun{run}})
}

// semverRE matches a semantic version 2.0.0 (without the leading "v").
var semverRE = lazyre.New(`^(0|[1-9]\d*)\.(0|[1-9]\d*)\.(0|[1-9]\d*)(-[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?(\+[0-9A-Za-z-]+(\.[0-9A-Za-z-]+)*)?$`)

// sarifMaxDescription is GitHub's limit on a rule's descriptions.
const sarifMaxDescription = 1024

func sarifRuleOf(r *lint.Rule) sarifRule {
	sr := sarifRule{
		ID:               r.Code,
		Name:             r.Name,
		ShortDescription: sarifText{Text: truncateText(r.Doc.Title, sarifMaxDescription)},
		FullDescription:  sarifText{Text: truncateText(plainText(r.Doc.Rationale), sarifMaxDescription)},
		Help:             sarifText{Text: r.Explain(), Markdown: helpMarkdown(r)},
		HelpURI:          r.DocsURL(),
		DefaultConfiguration: sarifRuleConfig{
			Level: sarifLevel(r.Severity),
		},
		Properties: sarifRuleProperties{Fix: r.Fix.String()},
	}
	if sr.ShortDescription.Text == "" {
		// Both descriptions are required to be non-empty by GitHub.
		sr.ShortDescription.Text = r.Code + " " + r.Name
	}
	if sr.FullDescription.Text == "" {
		sr.FullDescription.Text = sr.ShortDescription.Text
	}
	if r.Off {
		off := false
		sr.DefaultConfiguration.Enabled = &off
	}
	return sr
}

// helpMarkdown is the rule's documentation page without its title line,
// which code scanning already shows above the help.
func helpMarkdown(r *lint.Rule) string {
	md := r.Markdown()
	if strings.HasPrefix(md, "# ") {
		if _, rest, ok := strings.Cut(md, "\n\n"); ok {
			return rest
		}
	}
	return md
}

// plainText turns a Markdown rationale into plain text: code spans lose
// their backticks and each paragraph becomes one line; paragraphs stay
// apart by a blank line.
func plainText(md string) string {
	var paras []string
	for _, p := range strings.Split(strings.TrimSpace(md), "\n\n") {
		if p = strings.Join(strings.Fields(strings.ReplaceAll(p, "`", "")), " "); p != "" {
			paras = append(paras, p)
		}
	}
	return strings.Join(paras, "\n\n")
}

// truncateText cuts s to at most max characters, at a word boundary when
// there is one, ending in "…".
func truncateText(s string, maxChars int) string {
	if utf8.RuneCountInString(s) <= maxChars {
		return s
	}
	runes := []rune(s)[:maxChars-1]
	cut := string(runes)
	if i := strings.LastIndexAny(cut, " \n"); i > maxChars/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " \n.,;:") + "…"
}

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "error"
	case lint.Warning:
		return "warning"
	}
	return "note"
}

func sarifResultOf(f *lint.Finding, ruleIndex int, files fileSet) sarifResult {
	res := sarifResult{
		RuleID:    f.Rule.Code,
		RuleIndex: ruleIndex,
		Level:     sarifLevel(f.Severity),
		Message:   sarifText{Text: f.Message},
		Locations: []sarifLocation{{PhysicalLocation: sarifPhysicalOf(f.File, f.Span.Start, f.Span.End)}},
	}
	for i, r := range f.Related {
		id := i + 1
		loc := sarifLocation{ID: &id, PhysicalLocation: sarifPhysicalOf(relatedFile(f, r), r.Span.Start, r.Span.End)}
		if r.Message != "" {
			loc.Message = &sarifText{Text: r.Message}
		}
		res.RelatedLocations = append(res.RelatedLocations, loc)
	}
	if f.Fingerprint != "" {
		res.PartialFingerprints = map[string]string{sarifFingerprintKey: f.Fingerprint + ":1"}
	}
	if f.Fix != nil && f.Fix.Applicability != lint.NoFix && len(f.Fix.Edits) > 0 {
		res.Fixes = []sarifFix{sarifFixOf(f.Fix, files)}
	}
	// SARIF's fixes are alternatives already: the one --fix applies
	// first, then the others.
	for _, alt := range f.Alternatives {
		if len(alt.Edits) > 0 {
			fx := sarifFixOf(alt, files)
			fx.Properties.Alternative = true
			res.Fixes = append(res.Fixes, fx)
		}
	}
	if f.Suppressed {
		res.Suppressions = []sarifSuppression{sarifSuppressionOf(f)}
	}
	if p := (sarifResultProps{Key: f.Key, Install: f.InstallRoot(), Host: f.HostName()}); p != (sarifResultProps{}) {
		res.Properties = &p
	}
	return res
}

// sarifSuppressionOf says how a finding was suppressed: "external" for a
// baseline entry (lint marks those with SuppressedBy "baseline" or
// "baseline: <reason>"), "inSource" for an inline suppression comment.
// The justification is the reason given.
func sarifSuppressionOf(f *lint.Finding) sarifSuppression {
	if f.SuppressedBy == "baseline" || strings.HasPrefix(f.SuppressedBy, "baseline: ") {
		return sarifSuppression{Kind: "external", Justification: f.SuppressedBy}
	}
	return sarifSuppression{Kind: "inSource", Justification: f.SuppressedBy}
}

func sarifPhysicalOf(file *fleet.File, start, end int) sarifPhysical {
	return sarifPhysical{
		ArtifactLocation: sarifArtifact(file.Path),
		Region:           sarifTextRegion(file, start, end),
	}
}

func sarifArtifact(path string) sarifArtifactLoc {
	return sarifArtifactLoc{URI: relativeURI(path), URIBaseID: srcRoot}
}

// sarifTextRegion converts the byte span [start, end) of file into a
// 1-based region with UTF-16 columns, endColumn exclusive.
func sarifTextRegion(file *fleet.File, start, end int) sarifRegion {
	if end < start {
		end = start
	}
	sl, sc := utf16Pos(file, start)
	el, ec := utf16Pos(file, end)
	return sarifRegion{StartLine: sl, StartColumn: sc, EndLine: el, EndColumn: ec}
}

// sarifFixOf renders a fix: one artifactChange per file, files in path
// order, replacements in offset order, each deleting a region of the
// original file and inserting the edit's text.
func sarifFixOf(fx *lint.Fix, files fileSet) sarifFix {
	byPath := map[string][]rewrite.Edit{}
	var paths []string
	for _, e := range fx.Edits {
		if _, ok := byPath[e.Path]; !ok {
			paths = append(paths, e.Path)
		}
		byPath[e.Path] = append(byPath[e.Path], e)
	}
	sort.Strings(paths)
	out := sarifFix{
		Description:     sarifText{Text: fx.Message},
		ArtifactChanges: make([]sarifChange, 0, len(paths)),
		Properties:      sarifFixProperties{Applicability: fx.Applicability.String()},
	}
	for _, p := range paths {
		edits := byPath[p]
		sort.SliceStable(edits, func(i, j int) bool { return edits[i].Start < edits[j].Start })
		ch := sarifChange{ArtifactLocation: sarifArtifact(p), Replacements: make([]sarifReplacement, 0, len(edits))}
		file := files.lookup(p)
		for _, e := range edits {
			var rep sarifReplacement
			if file != nil {
				rep.DeletedRegion = sarifTextRegion(file, e.Start, e.End)
			} else {
				off, n := e.Start, e.End-e.Start
				rep.DeletedRegion = sarifRegion{ByteOffset: &off, ByteLength: &n}
			}
			// Always present, empty for a deletion: reviewdog (and other
			// SARIF consumers) read insertedContent without checking that
			// it is there.
			rep.InsertedContent = &sarifInsertedText{Text: e.New}
			ch.Replacements = append(ch.Replacements, rep)
		}
		out.ArtifactChanges = append(out.ArtifactChanges, ch)
	}
	return out
}

// fileSet finds a loaded file by display path: the files findings and
// related locations point into, then the fleet's.
type fileSet struct {
	byPath map[string]*fleet.File
	fleet  *fleet.Fleet
}

func newFileSet(findings []*lint.Finding, fl *fleet.Fleet) fileSet {
	fs := fileSet{byPath: map[string]*fleet.File{}, fleet: fl}
	for _, f := range findings {
		fs.byPath[f.File.Path] = f.File
		for _, r := range f.Related {
			if r.File != nil {
				fs.byPath[r.File.Path] = r.File
			}
		}
	}
	return fs
}

func (fs fileSet) lookup(path string) *fleet.File {
	if f, ok := fs.byPath[path]; ok {
		return f
	}
	if fs.fleet != nil {
		return fs.fleet.File(path)
	}
	return nil
}

// utf16Pos returns the 1-based line of byte offset off in file and its
// 1-based column counted in UTF-16 code units (srcpos.Lines.UTF16Pos).
func utf16Pos(file *fleet.File, off int) (line, col int) {
	p := file.Lines.UTF16Pos(file.Src, off)
	return p.Line, p.Col
}

// relativeURI turns a slash-separated relative path into a relative URI
// reference: each segment percent-encoded (spaces, '%', '#', '?' and
// non-ASCII bytes included), and a ':' in the first segment encoded so
// that it is not read as a URI scheme.
func relativeURI(path string) string {
	segs := strings.Split(path, "/")
	for i, s := range segs {
		s = url.PathEscape(s)
		if i == 0 {
			s = strings.ReplaceAll(s, ":", "%3A")
		}
		segs[i] = s
	}
	return strings.Join(segs, "/")
}

// dirFileURI turns a directory into a file URI ending in '/', as SARIF
// requires of a base URI.
func dirFileURI(dir string) string {
	if abs, err := filepath.Abs(dir); err == nil {
		dir = abs
	}
	p := filepath.ToSlash(dir)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p // a Windows drive path: file:///C:/...
	}
	if !strings.HasSuffix(p, "/") {
		p += "/"
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}
