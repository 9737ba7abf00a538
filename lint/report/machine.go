package report

import (
	"strings"
	"unicode/utf8"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
)

// Helpers shared by the CI formats (SARIF, GitHub annotations, checkstyle,
// JUnit, rdjson, GitLab Code Quality).

// toolURL is the tool's home page, written where a format has room for it
// (SARIF informationUri, rdjson source.url).
const toolURL = "https://github.com/wso2lint/wso2lint"

// unsuppressed returns the findings no suppression covers, in their order.
// CI formats leave suppressed findings out: their consumers (code
// scanning, annotations, dashboards) have no reliable way to show them as
// such, and a suppressed finding must not fail a gate.
func unsuppressed(findings []*lint.Finding) []*lint.Finding {
	out := make([]*lint.Finding, 0, len(findings))
	for _, f := range findings {
		if !f.Suppressed {
			out = append(out, f)
		}
	}
	return out
}

// relatedFile is the file a related location points into: its own, or the
// finding's when the rule left it unset.
func relatedFile(f *lint.Finding, r lint.Related) *fleet.File {
	if r.File != nil {
		return r.File
	}
	return f.File
}

// xmlText escapes s for XML character data; xmlAttr for a double-quoted
// attribute value, where line breaks and tabs are written as character
// references so that attribute-value normalisation keeps them. Characters
// XML 1.0 cannot carry (most C0 controls, invalid UTF-8) become U+FFFD.
func xmlText(s string) string { return xmlEscape(s, false) }

func xmlAttr(s string) string { return xmlEscape(s, true) }

func xmlEscape(s string, attr bool) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '&':
			b.WriteString("&amp;")
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '"' && attr:
			b.WriteString("&quot;")
		case r == '\n' && attr:
			b.WriteString("&#10;")
		case r == '\r':
			b.WriteString("&#13;")
		case r == '\t' && attr:
			b.WriteString("&#9;")
		case r == '\n' || r == '\t':
			b.WriteRune(r)
		case r < 0x20, r == utf8.RuneError, r == 0xFFFE, r == 0xFFFF:
			b.WriteRune(utf8.RuneError)
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
