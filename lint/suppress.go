package lint

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/lazyre"
	"github.com/wso2lint/wso2lint/internal/srcpos"
	"github.com/wso2lint/wso2lint/rewrite"
)

var (
	directiveRe = lazyre.New(`^#\s*wso2lint\s*:\s*(ignore|ignore-file)\[([^\]]*)\](.*)$`)
	untilRe     = lazyre.New(`(?:^|\s)until=(\S*)`)
)

// fileDirectiveLines is how far from the top an ignore-file directive may
// stand.
const fileDirectiveLines = 10

// directive is one parsed inline suppression.
type directive struct {
	file   *fleet.File
	c      fleet.Comment
	whole  bool // ignore-file
	line   int  // the line it covers (ignore)
	codes  []directiveCode
	reason string
	active bool // not expired, well placed
}

type directiveCode struct {
	text string
	rule *Rule
	used bool
}

// suppress marks the findings that inline suppressions cover and returns
// the findings about the suppressions themselves (X001, X002).
func suppress(fl *fleet.Fleet, all []*Finding, opt Options) []*Finding {
	unused, invalid := Lookup(opt.Rules, "X001"), Lookup(opt.Rules, "X002")
	var out []*Finding
	report := func(r *Rule, d *directive, span srcpos.Span, msg string, fix *Fix) {
		if r == nil || !opt.Enabled[r] {
			return
		}
		sev := r.Severity
		if s, ok := opt.Severity[r.Code]; ok {
			sev = s
		}
		out = append(out, &Finding{Rule: r, Severity: sev, File: d.file, Span: span, Message: msg,
			Key: "wso2lint:" + strings.Join(d.codeTexts(), ","), Fix: fix, Install: fl.InstallOf(d.file)})
	}
	byFile := map[*fleet.File][]*directive{}
	for _, f := range fl.Files {
		for _, c := range f.Comments {
			if !isDirective(c.Text) {
				continue
			}
			d := &directive{file: f, c: c}
			m := directiveRe.FindStringSubmatch(c.Text)
			if m == nil {
				report(invalid, d, c.Span, "malformed suppression: write `# wso2lint: ignore[CODE] reason` or `# wso2lint: ignore-file[CODE] reason`", nil)
				continue
			}
			d.whole = m[1] == "ignore-file"
			d.active = true
			rest := m[3]
			if um := untilRe.FindStringSubmatchIndex(rest); um != nil {
				date := rest[um[2]:um[3]]
				rest = rest[:um[0]] + rest[um[1]:]
				until, err := time.Parse("2006-01-02", date)
				switch {
				case err != nil:
					report(invalid, d, c.Span, fmt.Sprintf("suppression has an invalid until= date %q (want YYYY-MM-DD)", date), nil)
				case !opt.Today.Before(until.AddDate(0, 0, 1)):
					d.active = false
					report(invalid, d, c.Span, fmt.Sprintf("suppression expired on %s: fix the finding or extend the date", date), nil)
				}
			}
			d.reason = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(rest), "--"))
			for _, code := range strings.Split(m[2], ",") {
				code = strings.TrimSpace(code)
				r := Lookup(opt.Rules, code)
				if r == nil {
					report(invalid, d, c.Span, fmt.Sprintf("suppression names unknown rule %q", code), nil)
				}
				d.codes = append(d.codes, directiveCode{text: code, rule: r})
			}
			if d.reason == "" {
				report(invalid, d, c.Span, "suppression gives no reason: say why after the brackets", nil)
			}
			pos := f.Pos(c.Span.Start)
			if d.whole {
				if f.Outer() != nil {
					// A config a ConfigMap carries: the top of the config
					// is what counts, not the manifest's.
					pos = f.Lines.Pos(c.Span.Start)
				}
				if pos.Line > fileDirectiveLines {
					d.active = false
					report(invalid, d, c.Span, fmt.Sprintf("ignore-file must stand in the first %d lines of the file", fileDirectiveLines), nil)
				}
			} else if c.Trailing {
				d.line = pos.Line
			} else {
				d.line = pos.Line + 1
			}
			byFile[f] = append(byFile[f], d)
		}
	}
	// The directives that can cover a finding: a file's ignore-file ones
	// and the ignore ones of its line, in file order (the last reason
	// wins). Indexing them by line keeps a file of thousands of findings
	// and thousands of suppressions from costing their product.
	type lineKey struct {
		f    *fleet.File
		line int
	}
	byLine := map[lineKey][]*directive{}
	wholes := map[*fleet.File][]*directive{}
	order := map[*directive]int{}
	for f, ds := range byFile {
		for i, d := range ds {
			order[d] = i
			switch {
			case !d.active:
			case d.whole:
				wholes[f] = append(wholes[f], d)
			default:
				byLine[lineKey{f, d.line}] = append(byLine[lineKey{f, d.line}], d)
			}
		}
	}
	var cover []*directive
	for _, fd := range all {
		// A relational finding is in every file it relates: a directive
		// at any of its locations (or an ignore-file in any of its files)
		// covers it.
		cover = cover[:0]
		// A config a ConfigMap carries is part of its manifest: the
		// manifest's ignore-file directives cover it, and so does a
		// directive on the manifest line (positions in the config are
		// the manifest's).
		for _, file := range fd.Files() {
			cover = append(cover, wholes[file]...)
			if o := file.Outer(); o != nil {
				cover = append(cover, wholes[o]...)
			}
		}
		for _, loc := range fd.Locations() {
			if loc.File == nil {
				continue
			}
			line := loc.File.Pos(loc.Span.Start).Line
			cover = append(cover, byLine[lineKey{loc.File, line}]...)
			if o := loc.File.Outer(); o != nil {
				cover = append(cover, byLine[lineKey{o, line}]...)
			}
		}
		if len(cover) > 1 {
			sort.SliceStable(cover, func(i, j int) bool {
				if cover[i].file != cover[j].file {
					return cover[i].file.Path < cover[j].file.Path
				}
				return order[cover[i]] < order[cover[j]]
			})
			cover = slices.Compact(cover)
		}
		for _, d := range cover {
			for i := range d.codes {
				if d.codes[i].rule == fd.Rule {
					d.codes[i].used = true
					fd.Suppressed, fd.SuppressedBy = true, d.reason
				}
			}
		}
	}
	for _, f := range fl.Files {
		for _, d := range byFile[f] {
			if !d.active {
				continue
			}
			var idle []string
			for _, c := range d.codes {
				if c.rule != nil && !c.used && opt.Enabled[c.rule] {
					idle = append(idle, c.rule.Code)
				}
			}
			if len(idle) == 0 {
				continue
			}
			var fix *Fix
			if len(idle) == len(d.codes) {
				fix = &Fix{Applicability: Safe, Message: "remove the unused suppression",
					Edits: []rewrite.Edit{deleteComment(f, d.c)}}
			}
			report(unused, d, d.c.Span, fmt.Sprintf("unused suppression: no %s finding here to suppress", strings.Join(idle, ", ")), fix)
		}
	}
	return out
}

func (d *directive) codeTexts() []string {
	var out []string
	for _, c := range d.codes {
		out = append(out, c.text)
	}
	return out
}

// deleteComment removes a comment: its whole line when the comment stands
// alone, else the comment and the blanks before it.
func deleteComment(f *fleet.File, c fleet.Comment) rewrite.Edit {
	if !c.Trailing {
		ln := f.Pos(c.Span.Start).Line
		sp := f.Lines.LineSpanWithEOL(ln) // after a byte-order mark on line 1
		return rewrite.Edit{Path: f.Path, Start: sp.Start, End: sp.End}
	}
	start := c.Span.Start
	for start > 0 && (f.Src[start-1] == ' ' || f.Src[start-1] == '\t') {
		start--
	}
	return rewrite.Edit{Path: f.Path, Start: start, End: c.Span.End}
}

// isDirective reports whether a comment is a wso2lint directive: "#",
// then "wso2lint" and ":", with any blanks between. It is asked of every
// comment of every linted file, and WSO2's shipped configurations are
// mostly comments: a regular expression here was a tenth of judging a
// fleet's fixes.
func isDirective(text string) bool {
	rest, ok := strings.CutPrefix(text, "#")
	if !ok {
		return false
	}
	rest, ok = strings.CutPrefix(trimBlanks(rest), "wso2lint")
	return ok && strings.HasPrefix(trimBlanks(rest), ":")
}

// trimBlanks drops the spaces, tabs, form feeds and line breaks s starts
// with: strings.TrimLeft with a set of several bytes builds the set anew
// at each call.
func trimBlanks(s string) string {
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case ' ', '\t', '\f', '\r', '\n':
		default:
			return s[i:]
		}
	}
	return ""
}
