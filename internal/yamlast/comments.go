package yamlast

import (
	"github.com/wso2lint/wso2lint/internal/srcpos"
)

// scanResult is what one pass of the comment scanner learns about a file.
type scanResult struct {
	comments []Comment
	// unclosedQuote is the offset of an opening quote that is never
	// closed, or -1. It locates yaml.v3's "found unexpected end of stream",
	// which otherwise points past the end of the file.
	unclosedQuote int
	// aliases maps an alias name to the offset of its first "*name", to
	// locate yaml.v3's "unknown anchor" error, which carries no line.
	aliases map[string]int
}

// Token states of the scanner within a line.
const (
	stStart = iota // where a new node or an indicator may begin
	stPlain        // inside a plain scalar
	stAfter        // after a quoted scalar, an alias, a flow collection or a block header
	stQuote        // inside a quoted scalar
)

// scanner finds comments with a lexer just precise enough to tell a '#'
// that starts a comment from one inside a quoted scalar, a plain scalar
// ("a#b") or a block scalar's text. It reads each line a fixed number of
// times and never looks back, so its cost is linear in the file size.
type scanner struct {
	src []byte
	res scanResult

	quote      byte // the quote character of an open quoted scalar, or 0
	quoteStart int
	flow       int // depth of open [ and {

	// block is set while inside the text of a block scalar (| or >).
	block bool
	// blockParent is the indentation of the collection holding the block
	// scalar; its text is every line indented more than that.
	blockParent int
	// blockIndent is the text's indentation once known, else -1.
	blockIndent int
	// blockBlank is the deepest indentation of the blank lines seen
	// before blockIndent is known.
	blockBlank int

	// lastParent is the indentation of the innermost block collection
	// seen so far, used when a block scalar header is alone on its line.
	lastParent int

	// plainCont is set when a plain scalar ran to the end of the previous
	// non-blank line; a more indented line (any line inside a flow
	// collection) continues it, so a quote there is text, not a quote:
	// "a: b\n  'c' #x" is the scalar "b 'c'".
	plainCont   bool
	plainParent int
}

// scanComments returns every comment in src in file order.
func scanComments(src []byte, lines []yline) scanResult {
	s := scanner{src: src, lastParent: -1, res: scanResult{unclosedQuote: -1}}
	for _, l := range lines {
		s.line(l)
	}
	if s.quote != 0 {
		s.res.unclosedQuote = s.quoteStart
	}
	return s.res
}

// isDocMarker reports whether the line content src[i:end] starts with a
// document marker, "---" or "...", followed by a blank or the line end.
func isDocMarker(src []byte, i, end int) bool {
	if end-i < 3 || !(string(src[i:i+3]) == "---" || string(src[i:i+3]) == "...") {
		return false
	}
	return i+3 == end || src[i+3] == ' ' || src[i+3] == '\t'
}

func (s *scanner) line(l yline) {
	src, i, end := s.src, l.start, l.end
	if s.block && !s.inBlockText(l) {
		s.block = false
	}
	if s.block {
		return
	}

	if s.quote == 0 && isBlankLine(src, l) {
		return
	}
	state := stStart
	if s.plainCont && (s.flow > 0 || indentOf(src, l) > s.plainParent) {
		state = stPlain
	}
	s.plainCont = false
	if s.quote != 0 {
		state = stQuote
	} else if isDocMarker(src, i, end) {
		state = stStart
		s.flow = 0
		s.lastParent = -1
		i += 3
	}
	hasContent := i > l.start
	prevBlank := true // a '#' at the start of a line, after indentation, is a comment
	tokCol := -1      // column where the current block-context node began
	lineParent := -1  // indentation of the block collection this line adds to
	pendingBlock, blockInd := false, 0
	comment := false

	valueIndicator := func(col int) {
		if s.flow == 0 {
			if tokCol >= 0 {
				col = tokCol
			}
			lineParent, s.lastParent = col, col
			tokCol = -1
		}
	}
	startToken := func(col int) {
		if s.flow == 0 && tokCol < 0 {
			tokCol = col
		}
	}

	for i < end {
		c := src[i]
		col := i - l.start
		if state == stQuote {
			switch {
			case c == ' ' || c == '\t':
				i++
				continue
			case s.quote == '"' && c == '\\':
				i += 2 // an escaped character; at the line end, an escaped line break
			case s.quote == '\'' && c == '\'' && i+1 < end && src[i+1] == '\'': // '' is an escaped quote
				i += 2
			case c == s.quote:
				s.quote = 0
				state = stAfter
				i++
			default:
				i++
			}
			hasContent = true
			prevBlank = false
			continue
		}
		if c == ' ' || c == '\t' {
			prevBlank = true
			i++
			continue
		}
		// yaml.v3 starts a comment at '#' wherever a token may start, so
		// "'a'#c" and "[a]#c" hold comments, but inside a plain scalar only
		// after a blank: "a#b" is one scalar.
		if c == '#' && (prevBlank || state != stPlain) {
			s.res.comments = append(s.res.comments, Comment{
				Span:     srcpos.Span{Start: i, End: end},
				Text:     string(src[i:end]),
				Trailing: hasContent,
			})
			comment = true
			break
		}
		hasContent = true
		prevBlank = false

		switch state {
		case stPlain:
			switch {
			case c == ':' && isBlankz(src, i+1):
				valueIndicator(col)
				state = stStart
			case s.flow > 0 && (c == ',' || c == '?'):
				state = stStart
			case s.flow > 0 && (c == '[' || c == '{'):
				s.flow++
				state = stStart
			case s.flow > 0 && (c == ']' || c == '}'):
				s.flow--
				state = stAfter
			}
			i++

		case stAfter:
			switch {
			case c == ':':
				valueIndicator(col)
				state = stStart
			case s.flow > 0 && c == ',':
				state = stStart
			case s.flow > 0 && (c == ']' || c == '}'):
				s.flow--
			default:
				state = stPlain // not valid YAML; yaml.v3 reports it
			}
			i++

		case stStart:
			i++
			switch {
			case c == '-' && isBlankz(src, i), c == '?' && (s.flow > 0 || isBlankz(src, i)):
				if s.flow == 0 {
					lineParent, s.lastParent = col, col
					tokCol = -1
				}
			case c == ':' && (s.flow > 0 || isBlankz(src, i)):
				valueIndicator(col)
			case c == '[' || c == '{':
				startToken(col)
				s.flow++
			case s.flow > 0 && (c == ']' || c == '}'):
				s.flow--
				state = stAfter
			case s.flow > 0 && c == ',':
			case c == '&':
				startToken(col)
				for i < end && isAnchorChar(src[i]) {
					i++
				}
			case c == '!':
				startToken(col)
				for i < end && src[i] != ' ' && src[i] != '\t' {
					i++
				}
			case c == '*':
				startToken(col)
				j := i
				for i < end && isAnchorChar(src[i]) {
					i++
				}
				if name := string(src[j:i]); name != "" {
					if s.res.aliases == nil {
						s.res.aliases = make(map[string]int)
					}
					if _, seen := s.res.aliases[name]; !seen {
						s.res.aliases[name] = j - 1
					}
				}
				state = stAfter
			case c == '\'' || c == '"':
				startToken(col)
				s.quote, s.quoteStart = c, i-1
				state = stQuote
			case (c == '|' || c == '>') && s.flow == 0:
				pendingBlock, blockInd = true, 0
				for i < end && (src[i] == '+' || src[i] == '-' || src[i] >= '0' && src[i] <= '9') {
					if src[i] >= '1' && src[i] <= '9' {
						blockInd = int(src[i] - '0')
					}
					i++
				}
				state = stAfter
			default:
				startToken(col)
				state = stPlain
			}
		}
	}

	parent := lineParent
	if parent < 0 {
		parent = s.lastParent
	}
	if state == stPlain && !comment {
		s.plainCont, s.plainParent = true, parent
	}
	if pendingBlock && s.quote == 0 {
		s.block, s.blockParent, s.blockIndent, s.blockBlank = true, parent, -1, 0
		if blockInd > 0 {
			s.blockIndent = max(parent, 0) + blockInd
		}
	}
}

// inBlockText reports whether line l is part of the text of the open block
// scalar: a blank line, or a line indented at least as much as the text
// (more than the parent collection when the text's indentation is not yet
// known). A document marker always ends the text.
func (s *scanner) inBlockText(l yline) bool {
	indent := indentOf(s.src, l)
	if indent == 0 && isDocMarker(s.src, l.start, l.end) {
		return false
	}
	if isBlankLine(s.src, l) {
		if s.blockIndent < 0 {
			s.blockBlank = max(s.blockBlank, indent)
		}
		return true
	}
	if s.blockIndent < 0 {
		// yaml.v3 (scan_block_scalar_breaks) takes the text's indentation
		// from the first non-blank line and the blank lines before it,
		// whichever is deepest, and never less than 1, even at the top
		// level where the parent's indentation is -1.
		s.blockIndent = max(indent, s.blockBlank, s.blockParent+1, 1)
	}
	return indent >= s.blockIndent
}

// indentOf counts the spaces that indent line l; YAML indents with spaces
// only.
func indentOf(src []byte, l yline) int {
	j := l.start
	for j < l.end && src[j] == ' ' {
		j++
	}
	return j - l.start
}

// isBlankLine reports whether line l holds only spaces and tabs.
func isBlankLine(src []byte, l yline) bool {
	for _, c := range src[l.start:l.end] {
		if c != ' ' && c != '\t' {
			return false
		}
	}
	return true
}
