package embedded

// Block reads the block scalar whose indicator (| or >) is at src[header],
// held by a node indented parent columns (a mapping's key column, 0-based),
// as yaml.v3 reads it: the header's chomping (-, +) and indentation
// indicators, the indentation detected from the first non-empty line when
// the header does not give it, the lines that belong to the block, and the
// final line breaks its chomping keeps. ok is false when src[header] is not
// a block indicator, the header is malformed, or the block holds a line
// break beyond CR and LF (NEL, LS, PS), which yaml.v3 folds into \n and
// configuration files do not use. The caller compares Value
// with yaml.v3's value before trusting the map: this reader follows the
// YAML rules that configuration files use, not every corner of them.
func Block(src []byte, header, parent int) (_ *Text, ok bool) {
	if header < 0 || header >= len(src) || (src[header] != '|' && src[header] != '>') {
		return nil, false
	}
	literal := src[header] == '|'
	t := &Text{at: header, header: header, parent: parent}
	chomp := byte(0)
	i := header + 1
	for k := 0; k < 2 && i < len(src); k++ {
		switch c := src[i]; {
		case (c == '-' || c == '+') && chomp == 0:
			chomp = c
			i++
		case c >= '1' && c <= '9' && !t.explicit:
			t.explicit, t.indent = true, parent+int(c-'0')
			i++
		}
	}
	// The rest of the header line: blanks and a comment.
	for i < len(src) && (src[i] == ' ' || src[i] == '\t') {
		i++
	}
	if i < len(src) && src[i] == '#' {
		if i > header+1 && src[i-1] != ' ' && src[i-1] != '\t' {
			return nil, false
		}
		for i < len(src) && src[i] != '\n' && src[i] != '\r' {
			i++
		}
	}
	switch {
	case i >= len(src):
		t.Value, t.Exact, t.Editable = "", true, false
		return t, true
	case src[i] == '\r' && i+1 < len(src) && src[i+1] == '\n':
		i += 2
	case src[i] == '\n' || src[i] == '\r':
		i++
	default:
		return nil, false
	}
	crlf := false
	// Lines: [start, end) without the break; brk is the break's length.
	type line struct{ start, end, brk, spaces int }
	var lines []line
	for p := i; p < len(src); {
		e := p
		for e < len(src) && src[e] != '\n' && src[e] != '\r' {
			e++
		}
		brk := 0
		switch {
		case e+1 < len(src) && src[e] == '\r' && src[e+1] == '\n':
			brk, crlf = 2, true
		case e < len(src):
			brk = 1
			crlf = crlf || src[e] == '\r'
		}
		sp := 0
		for p+sp < e && src[p+sp] == ' ' {
			sp++
		}
		lines = append(lines, line{p, e, brk, sp})
		p = e + brk
	}
	if !t.explicit {
		// The indentation is the most spaces that lead the first
		// non-empty line or an empty line before it, and at least one
		// more than the parent's. YAML calls leading empty lines more
		// indented than the first content line an error; yaml.v3 takes
		// their indentation instead, which leaves that line outside the
		// block.
		t.indent = parent + 1
		for _, l := range lines {
			if l.spaces < l.end-l.start && unreadable(src, l.start+l.spaces) {
				return nil, false
			}
			t.indent = max(t.indent, l.spaces)
			if l.spaces < l.end-l.start {
				break
			}
		}
	}
	var b []byte
	var segs []seg
	// pending holds the line breaks since the last content line, which
	// the next content line keeps and the chomping decides at the end.
	var pending []seg
	keep := func(ss []seg) {
		for _, s := range ss {
			s.text = len(b)
			b = append(b, '\n')
			segs = append(segs, s)
		}
	}
	content := false
	for _, l := range lines {
		allSpace := l.spaces == l.end-l.start
		if !allSpace && l.spaces < t.indent {
			if unreadable(src, l.start+l.spaces) {
				return nil, false
			}
			break // a less indented line ends the block
		}
		if allSpace && l.spaces <= t.indent {
			if l.brk == 0 {
				break
			}
			pending = append(pending, seg{host: l.end, n: 1})
			continue
		}
		keep(pending)
		pending = pending[:0]
		from := l.start + t.indent
		for j := from; j < l.end; j++ {
			if unicodeBreak(src, j) {
				return nil, false
			}
		}
		segs = append(segs, seg{text: len(b), host: from, n: l.end - from})
		b = append(b, src[from:l.end]...)
		content = true
		if l.brk == 0 {
			break
		}
		pending = append(pending, seg{host: l.end, n: 1})
	}
	switch {
	case chomp == '+':
		keep(pending)
	case chomp == 0 && content && len(pending) > 0:
		keep(pending[:1])
	}
	t.Value = string(b)
	t.segs = mergeSegs(segs)
	if len(lines) > 0 {
		t.at = lines[0].start + min(lines[0].spaces, t.indent)
	}
	// A folded block's value joins its lines with spaces: it is read
	// here as if literal, which gives yaml.v3's value only for a single
	// line (the caller compares). Line breaks written CRLF are one byte
	// in the value and two in the host: offsets still map, edits do not.
	t.Exact = true
	t.Editable, t.crlf = literal && !crlf, crlf
	return t, true
}

// mergeSegs joins segments that continue each other in both text and
// host.
func mergeSegs(segs []seg) []seg {
	out := segs[:0]
	for _, s := range segs {
		if n := len(out); n > 0 && out[n-1].text+out[n-1].n == s.text && out[n-1].host+out[n-1].n == s.host {
			out[n-1].n += s.n
			continue
		}
		out = append(out, s)
	}
	return out
}

// unreadable reports whether a line's indentation ends, at src[i], on
// what Block does not read: a tab where indentation is expected (an error
// in YAML), or a NEL, LS or PS, which makes yaml.v3 see an empty line.
func unreadable(src []byte, i int) bool {
	return src[i] == '\t' || unicodeBreak(src, i)
}
