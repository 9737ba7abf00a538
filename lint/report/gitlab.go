package report

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"

	"github.com/wso2lint/wso2lint/lint"
)

type gitlabIssue struct {
	Description string         `json:"description"`
	CheckName   string         `json:"check_name"`
	Fingerprint string         `json:"fingerprint"`
	Severity    string         `json:"severity"`
	Location    gitlabLocation `json:"location"`
}

type gitlabLocation struct {
	Path  string      `json:"path"`
	Lines gitlabLines `json:"lines"`
}

type gitlabLines struct {
	Begin int `json:"begin"`
	End   int `json:"end"`
}

// GitLab writes the findings as a GitLab Code Quality report (the Code
// Climate subset GitLab reads from artifacts:reports:codequality): a JSON
// array, never null, of issues with the description ("message [CODE]"),
// check_name (the code), fingerprint, severity (error → major, warning →
// minor, info → info) and location {path, lines {begin, end}}.
// Suppressed findings are left out.
//
// GitLab keeps only the first issue of a fingerprint, so fingerprints are
// made unique: the finding's own (code, path, key and occurrence, never
// line numbers, so that an issue is not reported as new when lines move),
// and if that is empty or already taken, a hash of it with a counter.
func GitLab(w io.Writer, findings []*lint.Finding) error {
	issues := make([]gitlabIssue, 0, len(findings))
	taken := map[string]bool{}
	for _, f := range unsuppressed(findings) {
		start, end := f.Start(), f.End()
		issues = append(issues, gitlabIssue{
			Description: f.Message + " [" + f.Rule.Code + "]",
			CheckName:   f.Rule.Code,
			Fingerprint: uniqueFingerprint(f, taken),
			Severity:    gitlabSeverity(f.Severity),
			Location: gitlabLocation{Path: f.File.Path, Lines: gitlabLines{
				Begin: start.Line, End: max(end.Line, start.Line),
			}},
		})
	}
	return encodeJSON(w, issues)
}

// uniqueFingerprint returns the finding's fingerprint, or, when it is
// empty or taken, a derived one that is not, and marks it taken.
func uniqueFingerprint(f *lint.Finding, taken map[string]bool) string {
	base := f.Fingerprint
	if base == "" {
		pos := f.Start()
		base = shortHash(fmt.Sprintf("%s\x00%s\x00%s\x00%d\x00%s", f.Rule.Code, f.File.Path, f.Key, pos.Line, f.Message))
	}
	fp := base
	for n := 1; taken[fp]; n++ {
		fp = shortHash(fmt.Sprintf("%s\x00%d", base, n))
	}
	taken[fp] = true
	return fp
}

func shortHash(s string) string {
	sum := sha256.Sum256([]byte(s))
	return hex.EncodeToString(sum[:16])
}

func gitlabSeverity(s lint.Severity) string {
	switch s {
	case lint.Error:
		return "major"
	case lint.Warning:
		return "minor"
	}
	return "info"
}
