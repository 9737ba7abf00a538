package rewrite

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/sergi/go-diff/diffmatchpatch"
)

// contextLines is the number of unchanged lines shown around each change.
// Three is what GNU diff and git use by default, so our hunks look the same
// as theirs and reviewers see familiar output.
const contextLines = 3

// noNewline is written after a diff line whose text has no final newline.
// Without it, patch and git apply would add a newline the file never had.
const noNewline = "\n\\ No newline at end of file\n"

// diffLine is one line of a unified diff body: its kind (' ' for context,
// '-' for a deleted line, '+' for an inserted line) and its text, which keeps
// its own line ending so that CRLF lines stay CRLF inside the diff.
type diffLine struct {
	kind byte
	text string
}

// Unified returns a standard unified diff of one file (GNU `diff -u` format
// with `--- a/PATH` / `+++ b/PATH` headers, 3 lines of context, hunks merged
// when their contexts touch or overlap, `\ No newline at end of file` markers),
// or "" when old and new are equal. It is accepted by `git apply` and `patch -p1`.
//
// The line alignment comes from sergi/go-diff in line mode,
// but that library's own patch text uses character offsets and URL-encoded
// bodies that no patch tool accepts, so the hunks are formatted here.
func Unified(path string, old, new []byte) string {
	if string(old) == string(new) {
		return ""
	}
	lines := diffLines(string(old), string(new))
	var b strings.Builder
	// GNU patch ends a header's file name at the first blank unless a tab
	// follows the name; git writes that tab for names with a space, and so
	// do we, so that a repository's "host 1/mi a" applies with patch too.
	tab := ""
	if strings.ContainsRune(path, ' ') {
		tab = "\t"
	}
	if a, ok := quotedPath("a/"+path, "b/"+path); ok {
		// A name with a line break, an escape sequence or a quote is
		// written the way git writes it, C-quoted, which git apply and
		// GNU patch read back; raw, it would break the header and act on
		// the terminal showing the diff.
		fmt.Fprintf(&b, "--- %s\n+++ %s\n", a[0], a[1])
	} else {
		fmt.Fprintf(&b, "--- a/%s%s\n+++ b/%s%s\n", path, tab, path, tab)
	}
	// oldLine and newLine count the old and new lines before lines[pos].
	pos, oldLine, newLine := 0, 0, 0
	for _, h := range hunks(lines, contextLines) {
		for ; pos < h.start; pos++ {
			oldLine, newLine = advance(lines[pos], oldLine, newLine)
		}
		writeHunk(&b, lines[h.start:h.end], oldLine, newLine)
	}
	return b.String()
}

// quotedPath C-quotes the header names as git does (quote_c_style) when
// the path holds a control character, a double quote, a backslash or a
// character that reorders or hides text; it returns false when the names
// can be written as they are. Bytes of such a name from 0x80 up are
// written as octal escapes, as git does with core.quotePath.
func quotedPath(names ...string) ([]string, bool) {
	need := false
	for _, r := range names[0] {
		if r < 0x20 || r == 0x7f || r == '"' || r == '\\' || (r >= 0x80 && r <= 0x9f) ||
			r == 0x200e || r == 0x200f || (r >= 0x2028 && r <= 0x202e) || (r >= 0x2066 && r <= 0x2069) || r == 0xfeff {
			need = true
			break
		}
	}
	if !need {
		return nil, false
	}
	out := make([]string, len(names))
	for i, n := range names {
		var b strings.Builder
		b.WriteByte('"')
		for j := 0; j < len(n); j++ {
			switch c := n[j]; c {
			case '\a':
				b.WriteString(`\a`)
			case '\b':
				b.WriteString(`\b`)
			case '\t':
				b.WriteString(`\t`)
			case '\n':
				b.WriteString(`\n`)
			case '\v':
				b.WriteString(`\v`)
			case '\f':
				b.WriteString(`\f`)
			case '\r':
				b.WriteString(`\r`)
			case '"':
				b.WriteString(`\"`)
			case '\\':
				b.WriteString(`\\`)
			default:
				if c < 0x20 || c >= 0x7f {
					fmt.Fprintf(&b, `\%03o`, c)
				} else {
					b.WriteByte(c)
				}
			}
		}
		b.WriteByte('"')
		out[i] = b.String()
	}
	return out, true
}

// diffLines aligns the lines of old and new with go-diff.
//
// go-diff's own line mode (DiffLinesToChars) gives each distinct line a
// rune and panics past the rune space, which a file of a million distinct
// lines, well under the size limit, reaches. So the lines common to both
// ends are set aside first (go-diff would do the same), the distinct lines
// of the rest are numbered here into runes that skip the surrogate range,
// and when even they are too many the changed middle is shown as deleted
// and inserted whole: a correct diff, if not the shortest.
func diffLines(old, new string) []diffLine {
	a, b := splitLines(old), splitLines(new)
	pre, suf := CommonEnds(a, b)
	var out []diffLine
	for _, l := range a[:pre] {
		out = append(out, diffLine{' ', l})
	}
	out = append(out, diffMiddle(a[pre:len(a)-suf], b[pre:len(b)-suf])...)
	for _, l := range a[len(a)-suf:] {
		out = append(out, diffLine{' ', l})
	}
	return out
}

// maxDistinctLines is how many distinct lines diffMiddle can number: every
// rune but the surrogates, which do not survive go-diff's conversions to
// strings. Tests lower it.
var maxDistinctLines = int(utf8.MaxRune) + 1 - (0xE000 - 0xD800)

// diffMiddle aligns two runs of lines that share no first or last line.
func diffMiddle(a, b []string) []diffLine {
	index := map[string]int{}
	var lines []string
	toRunes := func(ls []string) ([]rune, bool) {
		rs := make([]rune, len(ls))
		for i, l := range ls {
			n, ok := index[l]
			if !ok {
				if len(lines) == maxDistinctLines {
					return nil, false
				}
				n = len(lines)
				index[l] = n
				lines = append(lines, l)
			}
			rs[i] = lineRune(n)
		}
		return rs, true
	}
	ra, okA := toRunes(a)
	rb, okB := toRunes(b)
	if !okA || !okB {
		out := make([]diffLine, 0, len(a)+len(b))
		for _, l := range a {
			out = append(out, diffLine{'-', l})
		}
		for _, l := range b {
			out = append(out, diffLine{'+', l})
		}
		return out
	}
	dmp := diffmatchpatch.New()
	// The default one-second timeout makes large diffs depend on machine
	// speed; a fix's --diff output must be the same on every run.
	dmp.DiffTimeout = 0
	diffs := dmp.DiffMainRunes(ra, rb, false)
	for i := range diffs {
		var t strings.Builder
		for _, r := range diffs[i].Text {
			t.WriteString(lines[runeLine(r)])
		}
		diffs[i].Text = t.String()
	}
	return toLines(diffs)
}

// lineRune and runeLine number lines with runes, skipping the surrogates.
func lineRune(n int) rune {
	if n >= 0xD800 {
		n += 0xE000 - 0xD800
	}
	return rune(n)
}

func runeLine(r rune) int {
	if r >= 0xE000 {
		r -= 0xE000 - 0xD800
	}
	return int(r)
}

// toLines splits go-diff's runs into diff lines, with the deletions of each
// change run ahead of its insertions, the order GNU diff uses and reviewers
// expect. go-diff's own clean-up already orders runs this way, but that is
// not part of its documented contract, so it is enforced here.
func toLines(diffs []diffmatchpatch.Diff) []diffLine {
	var out, ins []diffLine
	for _, d := range diffs {
		var kind byte
		switch d.Type {
		case diffmatchpatch.DiffEqual:
			kind = ' '
		case diffmatchpatch.DiffDelete:
			kind = '-'
		case diffmatchpatch.DiffInsert:
			kind = '+'
		}
		if kind == ' ' {
			// An unchanged line ends the change run: flush its insertions.
			out = append(out, ins...)
			ins = ins[:0]
		}
		for _, text := range splitLines(d.Text) {
			if kind == '+' {
				ins = append(ins, diffLine{kind, text})
			} else {
				out = append(out, diffLine{kind, text})
			}
		}
	}
	return append(out, ins...)
}

// splitLines splits s after each "\n", keeping every line's ending; a final
// line without a newline is kept as it is, and no empty line is invented.
func splitLines(s string) []string {
	parts := strings.SplitAfter(s, "\n")
	if parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	return parts
}

// hunk is a half-open range [start, end) of diff lines printed together.
type hunk struct{ start, end int }

// hunks groups the changed lines into hunks with n lines of context on each
// side. Two changes share a hunk when at most 2n unchanged lines lie between
// them, because their contexts would touch or overlap; this is GNU diff's rule.
func hunks(lines []diffLine, n int) []hunk {
	var out []hunk
	for i := 0; i < len(lines); {
		if lines[i].kind == ' ' {
			i++
			continue
		}
		// lines[i] is the first change of a new hunk; find its last change.
		start := max(0, i-n)
		end := i + 1 // one past the last changed line in this hunk
		for j := end; j < len(lines); j++ {
			if lines[j].kind == ' ' {
				if j-end >= 2*n {
					break
				}
				continue
			}
			end = j + 1
		}
		out = append(out, hunk{start, min(len(lines), end+n)})
		i = end
	}
	return out
}

// advance counts l towards the old and new line numbers: a context line
// belongs to both files, a deletion only to old and an insertion only to new.
func advance(l diffLine, oldLine, newLine int) (int, int) {
	if l.kind != '+' {
		oldLine++
	}
	if l.kind != '-' {
		newLine++
	}
	return oldLine, newLine
}

// writeHunk writes the header and the lines of one hunk to b; oldBefore and
// newBefore are the numbers of old and new lines that precede it.
func writeHunk(b *strings.Builder, lines []diffLine, oldBefore, newBefore int) {
	oldCount, newCount := 0, 0
	for _, l := range lines {
		oldCount, newCount = advance(l, oldCount, newCount)
	}
	fmt.Fprintf(b, "@@ -%s +%s @@\n", hunkRange(oldBefore, oldCount), hunkRange(newBefore, newCount))
	for _, l := range lines {
		b.WriteByte(l.kind)
		b.WriteString(l.text)
		if !strings.HasSuffix(l.text, "\n") {
			b.WriteString(noNewline)
		}
	}
}

// hunkRange formats one side of a hunk header the way GNU diff does, given
// the number of lines before the hunk and the number in it. A count of one is
// left out, and an empty range names the line after which it sits (so an
// empty file is "0,0"); patch tools reject other spellings of these ranges.
func hunkRange(before, count int) string {
	switch count {
	case 0:
		return fmt.Sprintf("%d,0", before)
	case 1:
		return fmt.Sprintf("%d", before+1)
	}
	return fmt.Sprintf("%d,%d", before+1, count)
}
