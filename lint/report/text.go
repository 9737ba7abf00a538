package report

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/parallel"
	"github.com/wso2lint/wso2lint/lint"
)

// Options tunes the human formats (and names the version in JSON).
type Options struct {
	// Color turns on ANSI colour. The caller decides it from --no-color,
	// NO_COLOR and whether the stream is a terminal; renderers never
	// probe the terminal themselves, so output stays reproducible.
	Color bool
	// Version is the tool version written into JSON output.
	Version string
	// ShowSuppressed shows suppressed findings in text and concise
	// output, marked as such; by default a suppression hides them there.
	ShowSuppressed bool
}

// maxLineBytes is the longest source line shown whole in a code frame.
// Longer lines (minified or generated files) are cut to a window around
// the span so that one finding cannot flood the terminal.
const maxLineBytes = 200

// windowContext is how many bytes of a long line are kept on each side of
// the span.
const windowContext = 60

// tabWidth is the tab stop assumed when a tab lies inside an underlined
// span; tabs before the span are copied into the caret line instead, so
// they align whatever the terminal's tab width.
const tabWidth = 8

// Text writes findings in the style of ruff's full output and rustc: a
// "path:line:col: severity[CODE] name: message" header, the source line
// with the span underlined, then related locations as notes and the fix as
// help. Findings are written in the order given (the engine sorts them by
// file, line, column and code); each is followed by a blank line, which
// also separates the last one from the summary the caller prints.
// Suppressed findings are skipped unless opt.ShowSuppressed is set.
// Paths and messages are escaped (Escape), and so is the source line.
func Text(w io.Writer, findings []*lint.Finding, opt Options) error {
	p := palette{on: opt.Color}
	shown := findings
	if !opt.ShowSuppressed {
		shown = make([]*lint.Finding, 0, len(findings))
		for _, f := range findings {
			if !f.Suppressed {
				shown = append(shown, f)
			}
		}
	}
	// A large report is rendered in chunks on every processor and written
	// in order: at the end of a run, its rendering is time no other work
	// overlaps.
	chunks := make([]bytes.Buffer, (len(shown)+textChunk-1)/textChunk)
	parallel.For(len(chunks), func(c int) {
		for _, f := range shown[c*textChunk : min((c+1)*textChunk, len(shown))] {
			writeTextFinding(&chunks[c], f, p)
		}
	})
	for i := range chunks {
		if _, err := w.Write(chunks[i].Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// textChunk is how many findings one worker renders at a time.
const textChunk = 256

func writeTextFinding(w *bytes.Buffer, f *lint.Finding, p palette) {
	start := f.Start()
	fmt.Fprintf(w, "%s:%d:%d: %s[%s] %s: %s\n", Escape(f.File.Path), start.Line, start.Col,
		p.severity(f.Severity, f.Severity.String()), p.bold(f.Rule.Code), f.Rule.Name, Escape(f.Message))

	width := len(strconv.Itoa(start.Line))
	pad := strings.Repeat(" ", width+1)
	bar := p.gutter(pad + "|")
	if fr, ok := frame(f.File, f.Span.Start, f.Span.End, width); ok {
		fmt.Fprintf(w, "%s\n", bar)
		num := p.gutter(fmt.Sprintf("%*d |", width, start.Line))
		if fr.source == "" {
			// An empty line gets no blank after the bar, so that the
			// frame adds no trailing whitespace of its own.
			fmt.Fprintf(w, "%s\n", num)
		} else {
			fmt.Fprintf(w, "%s %s\n", num, fr.source)
		}
		fmt.Fprintf(w, "%s %s%s\n", bar, fr.indent, p.severity(f.Severity, fr.carets))
		fmt.Fprintf(w, "%s\n", bar)
	}
	eq := p.gutter(pad + "=")
	for _, r := range f.Related {
		file := r.File
		if file == nil {
			file = f.File
		}
		pos := file.Pos(r.Span.Start)
		loc := fmt.Sprintf("%s:%d:%d", Escape(file.Path), pos.Line, pos.Col)
		if r.Message != "" {
			loc += ": " + Escape(r.Message)
		}
		fmt.Fprintf(w, "%s %s %s\n", eq, p.bold("note:"), loc)
	}
	if f.Suppressed {
		note := "suppressed"
		if f.SuppressedBy != "" {
			note += ": " + Escape(f.SuppressedBy)
		}
		fmt.Fprintf(w, "%s %s %s\n", eq, p.bold("note:"), note)
	}
	if f.Fix != nil && f.Fix.Applicability != lint.NoFix {
		msg := f.Fix.Message
		if msg == "" {
			msg = "a fix is available"
		}
		how := "(safe fix: --fix)"
		if f.Fix.Applicability == lint.Unsafe {
			how = "(unsafe fix: --fix --unsafe-fixes)"
		}
		fmt.Fprintf(w, "%s %s %s %s\n", eq, p.bold("help:"), Escape(msg), how)
	}
	for _, alt := range f.Alternatives {
		fmt.Fprintf(w, "%s %s %s (%s alternative, not applied by --fix: apply it by hand)\n", eq, p.bold("help:"), alt.Message, alt.Applicability)
	}
	w.WriteByte('\n')
}

// codeFrame is one source line ready to print, and the caret line under
// it split into its leading whitespace and the carets (which are
// coloured).
type codeFrame struct {
	source, indent, carets string
}

// frame builds the code frame for the byte span [start, end) of file. The
// span is underlined on its first line only (to the end of that line when
// it runs on); a zero-width span gets one caret. Carets count characters,
// not bytes, so they sit under non-ASCII text; tabs before the span are
// copied so they align at any tab width. width is the gutter's width, for
// placing tabs inside the span. It returns false when the file's bytes are
// unavailable (an unreadable file).
func frame(file *fleet.File, start, end, width int) (codeFrame, bool) {
	src := file.Src
	if src == nil && file.Problem != nil {
		return codeFrame{}, false
	}
	start = clamp(start, 0, len(src))
	end = clamp(end, start, len(src))
	line := file.Lines.Pos(start).Line
	ls, le := file.Lines.LineStart(line), file.Lines.LineEnd(src, line)
	if le < ls {
		le = ls
	}
	text := string(src[ls:le])
	a := clamp(start-ls, 0, len(text)) // a span on the line break points after the text
	z := clamp(end-ls, a, len(text))
	if line == 1 && strings.HasPrefix(text, "\ufeff") {
		// A byte-order mark is invisible; showing it would shift nothing
		// on screen but would count as a character here.
		text = text[3:]
		a, z = max(a-3, 0), max(z-3, 0)
	}

	lo, hi := 0, len(text)
	if len(text) > maxLineBytes {
		lo = max(a-windowContext, 0)
		hi = min(max(z, a+1)+windowContext, len(text))
		if hi-lo > maxLineBytes {
			hi = lo + maxLineBytes
		}
		for lo > 0 && !utf8.RuneStart(text[lo]) {
			lo--
		}
		for hi < len(text) && !utf8.RuneStart(text[hi]) {
			hi++
		}
		z = min(z, hi)
	}
	// A span that starts past the text (at the line break or the end of
	// the file) gets its caret just after the last character: every
	// character is then "before the span" and indents it.
	var source, indent, carets strings.Builder
	col := width + 3 // the gutter "N | " precedes both lines
	if lo > 0 {
		source.WriteString("…")
		indent.WriteByte(' ')
		col++
	}
	for i, r := range text[lo:hi] {
		source.WriteString(printable(r))
		switch off := lo + i; {
		case off < a:
			if r == '\t' {
				indent.WriteByte('\t')
				col = nextTabStop(col)
			} else {
				indent.WriteByte(' ')
				col++
			}
		case off < z:
			if r == '\t' {
				n := nextTabStop(col) - col
				carets.WriteString(strings.Repeat("^", n))
				col += n
			} else {
				carets.WriteByte('^')
				col++
			}
		}
	}
	if hi < len(text) {
		source.WriteString("…")
	}
	if carets.Len() == 0 {
		carets.WriteByte('^')
	}
	return codeFrame{source: source.String(), indent: indent.String(), carets: carets.String()}, true
}

// printable replaces control characters (other than tab) by their Unicode
// control pictures, one character each, so that a stray carriage return
// or escape sequence in a config file cannot rewrite the terminal, and
// carets stay aligned. C1 controls and the characters that reorder text
// (see hidden) become U+FFFD, for the same reasons.
func printable(r rune) string {
	switch {
	case r == '\t':
		return "\t"
	case r < 0x20:
		return string(0x2400 + r)
	case r == 0x7f:
		return "\u2421"
	case hidden(r):
		return "\ufffd"
	}
	return string(r)
}

func nextTabStop(col int) int { return (col/tabWidth + 1) * tabWidth }

func clamp(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	if v > hi {
		return hi
	}
	return v
}
