package fleet

import (
	"regexp"
	"strings"

	"github.com/wso2lint/wso2lint/internal/srcpos"
)

var (
	portOffsetFlag = regexp.MustCompile(`-DportOffset=("[^"]*"|'[^']*'|[^\s"';]*)`)
	jmxFlag        = regexp.MustCompile(`-Dcom\.sun\.management\.jmxremote(\.[A-Za-z.]+)?(=\S*)?`)
)

// scanStartup reads a start-up source for -DportOffset and JMX flags.
// Comment lines are skipped: a commented-out flag passes nothing.
func scanStartup(f *File, env map[string]string) *Startup {
	st := &Startup{File: f}
	if f.Problem != nil {
		return st
	}
	src := f.Src
	for ln := 1; ln <= f.Lines.Count(); ln++ {
		start, end := f.Lines.LineStart(ln), f.Lines.LineEnd(src, ln)
		line := string(src[start:end])
		code := line
		for _, c := range f.Comments {
			if c.Span.Start >= start && c.Span.Start < end {
				code = line[:c.Span.Start-start]
				break
			}
		}
		if strings.TrimSpace(code) == "" {
			continue
		}
		for _, m := range portOffsetFlag.FindAllStringSubmatchIndex(code, -1) {
			val := code[m[2]:m[3]]
			vs := srcpos.Span{Start: start + m[2], End: start + m[3]}
			raw := strings.Trim(val, `"'`)
			s := &Setting{File: f, Key: "-DportOffset", KeySpan: srcpos.Span{Start: start + m[0], End: start + m[2] - 1},
				Span: vs, Raw: raw, Kind: "string"}
			resolveNumber(s, env, false)
			st.PortOffsets = append(st.PortOffsets, s)
		}
		for _, m := range jmxFlag.FindAllStringSubmatchIndex(code, -1) {
			prop := ""
			if m[2] >= 0 {
				prop = code[m[2]:m[3]]
			}
			switch prop {
			case "":
				st.JMX = append(st.JMX, srcpos.Span{Start: start + m[0], End: start + m[1]})
			case ".port", ".local.port", ".rmi.port":
				st.JMXPinned = true
			}
		}
	}
	return st
}
