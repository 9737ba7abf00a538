package lsp

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/lazyre"
	"github.com/wso2lint/wso2lint/internal/srcpos"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/rewrite"
)

// fixTitle labels a fix as a code action: a safe fix says so; an unsafe
// one says it changes what runs (its message names the port move).
func fixTitle(fx *lint.Fix) string {
	if fx.Applicability == lint.Unsafe {
		return "Unsafe fix (changes what runs): " + fx.Message
	}
	return "Fix: " + fx.Message
}

// codeActions offers, for each finding under the range (or named by the
// request's diagnostics), its fix, its alternative fixes and an inline
// suppression.
func (s *Server) codeActions(p *codeActionParams) []codeAction {
	out := []codeAction{}
	quickfix, fixAll := wants(p.Context.Only)
	if !quickfix && !fixAll {
		return out
	}
	snap := s.fresh()
	uri := p.TextDocument.URI
	file := snap.files[uri]
	r := snap.runOf[uri]
	if file == nil {
		return out
	}
	if r == nil {
		// A neighbour's file: the run of any open buffer that reports on it.
		for _, rr := range snap.runOf {
			if rr.fl.FileAbs(file.Abs) == file {
				r = rr
				break
			}
		}
	}
	wanted := map[string]bool{}
	for _, d := range p.Context.Diagnostics {
		if d.Data != nil {
			wanted[d.Data.Fingerprint] = true
		}
	}
	start := file.Lines.OffsetUTF16(file.Src, p.Range.Start.Line+1, p.Range.Start.Character+1)
	end := file.Lines.OffsetUTF16(file.Src, p.Range.End.Line+1, p.Range.End.Character+1)
	var preferredSeen bool
	if fixAll && r != nil {
		if a, ok := s.fixAllAction(uri, file, r, snap.findings[uri]); ok {
			out = append(out, a)
		}
	}
	if !quickfix {
		return out
	}
	for _, f := range snap.findings[uri] {
		if !wanted[f.Fingerprint] && (f.Span.End < start || f.Span.Start > end) {
			continue
		}
		diag := []diagnostic{s.diagnosticOf(f)}
		for i, fx := range append([]*lint.Fix{f.Fix}, f.Alternatives...) {
			if fx == nil || r == nil {
				continue
			}
			edit := workspaceEditOf(r.fl, fx.Edits)
			if edit == nil {
				continue
			}
			a := codeAction{Title: fixTitle(fx), Kind: "quickfix", Diagnostics: diag, Edit: edit}
			// The safe fix is what --fix applies: the one an editor's
			// "fix all" and auto-fix take. Only one action is preferred.
			if i == 0 && fx.Applicability == lint.Safe && !preferredSeen {
				a.IsPreferred, preferredSeen = true, true
			}
			out = append(out, a)
		}
		if a, ok := suppressAction(uri, file, f); ok {
			a.Diagnostics = diag
			out = append(out, a)
		}
	}
	return out
}

// fixAllKind is the kind of the action that applies every safe fix of a
// file: editors run source.fixAll actions on save when asked to.
const fixAllKind = "source.fixAll.wso2lint"

// wants says which kinds of action a request's "only" asks for: quick
// fixes, and the fix-all action (a sub-kind of source and source.fixAll).
func wants(only []string) (quickfix, fixAll bool) {
	if len(only) == 0 {
		return true, true
	}
	for _, k := range only {
		quickfix = quickfix || k == "" || k == "quickfix"
		fixAll = fixAll || k == "" || k == "source" || k == "source.fixAll" || k == fixAllKind
	}
	return quickfix, fixAll
}

// fixAllAction applies every safe fix of one file at once, as --fix does
// (the fix loop, its safety net and its re-lint), with every other file
// left as it is: an edit to a file the user is not looking at is never
// made behind their back. The edit replaces only the part of the buffer
// that changes.
func (s *Server) fixAllAction(uri string, file *fleet.File, r *run, findings []*lint.Finding) (codeAction, bool) {
	safe := 0
	for _, f := range findings {
		if f.Fix != nil && f.Fix.Applicability == lint.Safe {
			safe++
		}
	}
	if safe == 0 || file.Src == nil {
		return codeAction{}, false
	}
	leave := map[string]string{}
	for _, f := range r.fl.Files {
		if f.Abs != file.Abs {
			leave[f.Abs] = "another file than the one being fixed"
		}
	}
	res, err := lint.ApplyFixes(r.ses.Loader(r.paths, r.overlay), r.ses.Run, lint.FixOptions{Leave: leave})
	if err != nil {
		s.logf(messageWarning, "fix all in %s: %v", file.Path, err)
		return codeAction{}, false
	}
	for _, ff := range res.Files {
		if ff.Abs != file.Abs || !bytes.Equal(ff.Original, file.Src) {
			continue
		}
		// The smallest span that differs: common prefix and suffix kept.
		a, b := ff.Original, ff.Fixed
		pre, suf := rewrite.CommonEnds(a, b)
		// Whole UTF-8 characters only: an edit boundary inside one
		// would be a position inside a UTF-16 unit.
		for pre > 0 && pre < len(a) && !utf8.RuneStart(a[pre]) {
			pre--
		}
		for suf > 0 && !utf8.RuneStart(a[len(a)-suf]) {
			suf--
		}
		edit := textEdit{Range: rangeOf(file.Lines, file.Src, srcpos.Span{Start: pre, End: len(a) - suf}),
			NewText: string(b[pre : len(b)-suf])}
		return codeAction{Title: fmt.Sprintf("Fix all safe fixes in this file (%d)", ff.Resolved), Kind: fixAllKind,
			Edit: &workspaceEdit{Changes: map[string][]textEdit{uri: {edit}}}}, true
	}
	return codeAction{}, false
}

// workspaceEditOf turns a fix's byte edits into protocol edits, each on
// the file it names; nil when a file is not in the fleet.
func workspaceEditOf(fl *fleet.Fleet, edits []rewrite.Edit) *workspaceEdit {
	we := &workspaceEdit{Changes: map[string][]textEdit{}}
	for _, e := range edits {
		f := fl.File(e.Path)
		if f == nil || f.Src == nil {
			return nil
		}
		uri := pathToURI(f.Abs)
		we.Changes[uri] = append(we.Changes[uri], textEdit{
			Range:   rangeOf(f.Lines, f.Src, srcpos.Span{Start: e.Start, End: e.End}),
			NewText: e.New,
		})
	}
	for _, es := range we.Changes {
		sort.SliceStable(es, func(i, j int) bool {
			a, b := es[i].Range.Start, es[j].Range.Start
			return a.Line < b.Line || a.Line == b.Line && a.Character < b.Character
		})
	}
	return we
}

// directiveLine matches a standalone ignore directive, to which a code is
// added rather than a second directive written above it.
var directiveLine = lazyre.New(`^(\s*#\s*wso2lint\s*:\s*ignore\[)([^\]]*)(\].*)$`)

// reasonPlaceholder stands where the user writes why: a suppression
// without a reason is itself a finding (X002).
const reasonPlaceholder = "TODO: say why this is intended"

// suppressAction inserts an inline directive that suppresses the finding:
// on its own line above the finding's line, with the line's indentation,
// or, when the line above is already an ignore directive, by adding the
// code to it. Files whose comments are not '#' (batch files) get none.
func suppressAction(uri string, file *fleet.File, f *lint.Finding) (codeAction, bool) {
	lower := strings.ToLower(file.Path)
	if strings.HasSuffix(lower, ".bat") || strings.HasSuffix(lower, ".cmd") || file.Src == nil || f.Rule == nil {
		return codeAction{}, false
	}
	code := f.Rule.Code
	title := fmt.Sprintf("Suppress %s on this line (with a reason)", code)
	line := file.Pos(f.Span.Start).Line
	lineStart := file.Lines.LineStart(line)
	if line > 1 {
		prevStart := file.Lines.LineStart(line - 1)
		prev := string(file.Src[prevStart:file.Lines.LineEnd(file.Src, line-1)])
		if m := directiveLine.FindStringSubmatchIndex(prev); m != nil {
			codes := prev[m[4]:m[5]]
			for _, c := range strings.Split(codes, ",") {
				if strings.TrimSpace(c) == code {
					return codeAction{}, false
				}
			}
			at := prevStart + m[5]
			sep := ", "
			if strings.TrimSpace(codes) == "" {
				sep = ""
			}
			return codeAction{Title: title, Kind: "quickfix", Edit: &workspaceEdit{Changes: map[string][]textEdit{
				uri: {{Range: rangeOf(file.Lines, file.Src, srcpos.Span{Start: at, End: at}), NewText: sep + code}},
			}}}, true
		}
	}
	indentEnd := lineStart
	for indentEnd < len(file.Src) && (file.Src[indentEnd] == ' ' || file.Src[indentEnd] == '\t') {
		indentEnd++
	}
	eol := "\n"
	if le := file.Lines.LineEnd(file.Src, line); le < len(file.Src) && file.Src[le] == '\r' {
		eol = "\r\n"
	}
	text := fmt.Sprintf("%s# wso2lint: ignore[%s] %s%s", file.Src[lineStart:indentEnd], code, reasonPlaceholder, eol)
	return codeAction{Title: title, Kind: "quickfix", Edit: &workspaceEdit{Changes: map[string][]textEdit{
		uri: {{Range: rangeOf(file.Lines, file.Src, srcpos.Span{Start: lineStart, End: lineStart}), NewText: text}},
	}}}, true
}
