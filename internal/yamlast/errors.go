package yamlast

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/wso2lint/wso2lint/internal/lazyre"
	"github.com/wso2lint/wso2lint/internal/srcpos"
)

// SyntaxError is a file that yaml.v3 cannot parse, located as precisely as
// yaml.v3's error text allows, so that S001 points at a line the user can
// fix rather than at the top of the file.
type SyntaxError struct {
	// Span is the located text: the whole content of the error's line, or
	// the offending bytes when they can be pinned down (a tab used as
	// indentation, a control character, the opening quote of an unclosed
	// string, an unknown alias).
	Span srcpos.Span
	// Pos is the 1-based line and byte column of Span.Start.
	Pos srcpos.Pos
	// Message is yaml.v3's message without its "yaml: line N: " prefix,
	// sometimes followed by a hint in parentheses.
	Message string
}

// Error formats the error with its position, like yaml.v3 does but with a
// column and a line number that is always 1-based.
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("line %d, column %d: %s", e.Pos.Line, e.Pos.Col, e.Message)
}

var yamlErrLine = lazyre.New(`^line (\d+): (.*)$`)

// parserMessages are the problems raised by yaml.v3's parser (parserc.go),
// as opposed to its scanner and reader. yaml.v3's decode.go adds 1 to the
// 0-based line of scanner errors only, so for these the "line N" it prints
// is 0-based: the real line is N+1, and "no line" means line 1 (decode.go
// treats line 0 as "unknown"). The line is that of the enclosing
// construct when it does not start on line 1, else that of the offending
// token.
var parserMessages = []string{
	"did not find expected <stream-start>",
	"did not find expected <document start>",
	"found undefined tag handle",
	"did not find expected node content",
	"did not find expected '-' indicator",
	"did not find expected key",
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found duplicate %TAG directive",
}

// readerMessages are raised by yaml.v3's reader, which reports a byte
// offset it does not print; the offending byte is found again here.
var readerMessages = []string{
	"control characters are not allowed",
	"invalid leading UTF-8 octet",
	"incomplete UTF-8 octet sequence",
	"invalid trailing UTF-8 octet",
	"invalid length of a UTF-8 sequence",
	"invalid Unicode character",
}

var unknownAnchor = lazyre.New(`^unknown anchor '([^']*)' referenced$`)

// syntaxError converts a yaml.v3 error (or a recovered panic) into a
// located *SyntaxError.
func (d *Doc) syntaxError(err error, sc *scanResult) *SyntaxError {
	var pe *panicError
	if errors.As(err, &pe) {
		return d.errorAtLine(1, "internal parser error: "+pe.Error())
	}
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if m := yamlErrLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		msg = m[2]
	}
	switch {
	case slices.Contains(parserMessages, msg):
		line++
	case slices.Contains(readerMessages, msg):
		if off, n := firstBadChar(d.Src); off >= 0 {
			return d.errorAt(srcpos.Span{Start: off, End: off + n}, msg)
		}
	case msg == "found unexpected end of stream" && sc.unclosedQuote >= 0:
		return d.errorAt(d.restOfLine(sc.unclosedQuote), msg+" (unclosed quoted scalar)")
	}
	if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		if off, ok := sc.aliases[m[1]]; ok {
			return d.errorAt(srcpos.Span{Start: off, End: off + 1 + len(m[1])}, msg)
		}
	}
	if line < 1 {
		line = 1
	}
	// Errors at the end of the stream name the empty line after the last
	// line break, or a line past the file; report the last line with
	// content instead, which is what the user has to fix.
	if last := d.lastContentLine(); last > 0 && line > last {
		line = last
	}
	if line > len(d.ylines) {
		line = len(d.ylines)
	}
	if strings.Contains(msg, "cannot start any token") || strings.Contains(msg, "tab character") {
		if off := d.leadingTab(line); off >= 0 {
			return d.errorAt(srcpos.Span{Start: off, End: off + 1},
				msg+" (tabs are not allowed in YAML indentation)")
		}
	}
	return d.errorAtLine(line, msg)
}

func (d *Doc) errorAtLine(line int, msg string) *SyntaxError {
	l := d.ylines[line-1]
	return d.errorAt(srcpos.Span{Start: l.start, End: l.end}, msg)
}

func (d *Doc) errorAt(span srcpos.Span, msg string) *SyntaxError {
	return &SyntaxError{Span: span, Pos: d.Lines.Pos(span.Start), Message: msg}
}

// restOfLine spans from off to the end of its line.
func (d *Doc) restOfLine(off int) srcpos.Span {
	end := off
	for end < len(d.Src) && breakLen(d.Src, end) == 0 {
		end++
	}
	return srcpos.Span{Start: off, End: end}
}

// leadingTab returns the offset of the first tab among the blanks and block
// indicators ("- ", "? ", ": ") that open a yaml.v3 line, or -1. That tab
// is what yaml.v3 means by "found character that cannot start any token"
// on a tab-indented file, such as WSO2's own documentation prints.
func (d *Doc) leadingTab(line int) int {
	l := d.ylines[line-1]
	for i := l.start; i < l.end; i++ {
		switch d.Src[i] {
		case '\t':
			return i
		case ' ', '-', '?', ':':
		default:
			return -1
		}
	}
	return -1
}

// firstBadChar finds the first byte yaml.v3's reader rejects: invalid
// UTF-8 or a character outside YAML's printable set. It returns the offset
// and the length of the offending sequence, or -1, 0.
func firstBadChar(src []byte) (int, int) {
	i := 0
	if bytes.HasPrefix(src, bom) {
		i = len(bom)
	}
	for i < len(src) {
		r, w := utf8.DecodeRune(src[i:])
		if r == utf8.RuneError && w <= 1 {
			return i, 1
		}
		switch {
		case r == 0x09 || r == 0x0A || r == 0x0D:
		case r >= 0x20 && r <= 0x7E:
		case r == 0x85:
		case r >= 0xA0 && r <= 0xD7FF:
		case r >= 0xE000 && r <= 0xFFFD:
		case r >= 0x10000 && r <= 0x10FFFF:
		default:
			return i, w
		}
		i += w
	}
	return -1, 0
}
