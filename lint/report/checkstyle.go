package report

import (
	"bytes"
	"fmt"
	"io"
	"sort"

	"github.com/wso2lint/wso2lint/lint"
)

// Checkstyle writes the findings as checkstyle 4.3 XML, the format
// Jenkins Warnings NG, SonarQube, TeamCity and reviewdog -f=checkstyle
// read:
//
//	<?xml version="1.0" encoding="UTF-8"?>
//	<checkstyle version="4.3">
//	  <file name="path">
//	    <error line="3" column="1" severity="error" message="..." source="wso2lint.P001"/>
//	  </file>
//	</checkstyle>
//
// One <file> per file with findings, in path order; one <error> per
// finding in the order given, with a 1-based line and byte column and the
// severity error, warning or info. Suppressed findings are left out.
// Attribute values are XML-escaped, line breaks as character references
// so that attribute-value normalisation keeps them.
func Checkstyle(w io.Writer, findings []*lint.Finding) error {
	byFile := map[string][]*lint.Finding{}
	var paths []string
	for _, f := range unsuppressed(findings) {
		p := f.File.Path
		if _, ok := byFile[p]; !ok {
			paths = append(paths, p)
		}
		byFile[p] = append(byFile[p], f)
	}
	sort.Strings(paths)
	var buf bytes.Buffer
	buf.WriteString(xmlHeader)
	buf.WriteString("<checkstyle version=\"4.3\">\n")
	for _, p := range paths {
		fmt.Fprintf(&buf, "  <file name=\"%s\">\n", xmlAttr(p))
		for _, f := range byFile[p] {
			pos := f.Start()
			fmt.Fprintf(&buf, "    <error line=\"%d\" column=\"%d\" severity=\"%s\" message=\"%s\" source=\"%s\"/>\n",
				pos.Line, pos.Col, f.Severity, xmlAttr(f.Message), xmlAttr(toolName+"."+f.Rule.Code))
		}
		buf.WriteString("  </file>\n")
	}
	buf.WriteString("</checkstyle>\n")
	_, err := w.Write(buf.Bytes())
	return err
}

// xmlHeader is the XML declaration of the XML formats.
const xmlHeader = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
