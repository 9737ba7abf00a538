package report

import "github.com/wso2lint/wso2lint/lint"

// ANSI escapes. Plain SGR codes are used rather than a terminal library
// because every terminal and CI log viewer that shows colour understands
// them, and because the caller has already decided whether colour is
// wanted.
const (
	ansiReset  = "\x1b[0m"
	ansiBold   = "\x1b[1m"
	ansiRed    = "\x1b[1;31m"
	ansiYellow = "\x1b[1;33m"
	ansiCyan   = "\x1b[36m"
	ansiBlue   = "\x1b[1;34m"
)

// palette paints strings when colour is on and returns them unchanged
// otherwise, so that rendering code has one path for both cases.
type palette struct{ on bool }

func (p palette) paint(code, s string) string {
	if !p.on || s == "" {
		return s
	}
	return code + s + ansiReset
}

func (p palette) bold(s string) string { return p.paint(ansiBold, s) }

// gutter paints the code frame's line numbers and bars, as rustc and ruff
// do, so that the eye separates the frame from the source.
func (p palette) gutter(s string) string { return p.paint(ansiBlue, s) }

// severity paints s in the colour of sev: errors red, warnings yellow,
// info cyan.
func (p palette) severity(sev lint.Severity, s string) string {
	switch sev {
	case lint.Error:
		return p.paint(ansiRed, s)
	case lint.Warning:
		return p.paint(ansiYellow, s)
	}
	return p.paint(ansiCyan, s)
}
