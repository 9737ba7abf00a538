package report

import (
	"bytes"
	"fmt"
	"io"
	"sort"

	"github.com/wso2lint/wso2lint/lint"
)

// JUnit writes the run as JUnit XML for CI test dashboards (GitLab,
// Jenkins, Azure DevOps):
//
//	<testsuites name="wso2lint" tests="34" failures="1" errors="0">
//	  <testsuite name="path" tests="17" failures="1" errors="0">
//	    <testcase name="P001 duplicate-port" classname="path" file="path" line="3">
//	      <failure message="..." type="P001">path:3:1: ...</failure>
//	    </testcase>
//	    <testcase name="P002 duplicate-port-in-install" classname="path" file="path"/>
//
// One <testsuite> per linted file, in path order; in it, rule by rule in
// registry order, a failing testcase per finding, or, for an enabled rule
// with no finding in the file, one passing testcase, so that dashboards
// count what passed and not only what failed. tests = failures + passes in
// every suite and in the totals; errors is always 0 (an unreadable or
// unparsable file is a finding, S001/S003). The optional file and line
// attributes are those GitLab and Jenkins read.
//
// files is every file linted; a file a finding points into is added when
// missing, so no finding is lost. Suppressed findings are left out: a
// (file, rule) pair whose findings are all suppressed passes. Findings of
// rules missing from rules follow the registry's, in the order given.
func JUnit(w io.Writer, rules []*lint.Rule, enabled map[*lint.Rule]bool, files []string, findings []*lint.Finding) error {
	fs := unsuppressed(findings)
	byFile := map[string]map[*lint.Rule][]*lint.Finding{}
	paths := map[string]bool{}
	for _, p := range files {
		paths[p] = true
	}
	for _, f := range fs {
		p := f.File.Path
		paths[p] = true
		if byFile[p] == nil {
			byFile[p] = map[*lint.Rule][]*lint.Finding{}
		}
		byFile[p][f.Rule] = append(byFile[p][f.Rule], f)
	}
	sorted := make([]string, 0, len(paths))
	for p := range paths {
		sorted = append(sorted, p)
	}
	sort.Strings(sorted)

	// order is the registry, then the rules known only from findings.
	order := append([]*lint.Rule(nil), rules...)
	known := map[*lint.Rule]bool{}
	for _, r := range rules {
		known[r] = true
	}
	for _, f := range fs {
		if !known[f.Rule] {
			known[f.Rule] = true
			order = append(order, f.Rule)
		}
	}

	var body bytes.Buffer
	total, failures := 0, 0
	for _, p := range sorted {
		var cases bytes.Buffer
		tests, failed := 0, 0
		for _, r := range order {
			name := xmlAttr(r.Code + " " + r.Name)
			found := byFile[p][r]
			if len(found) == 0 {
				if enabled[r] {
					fmt.Fprintf(&cases, "    <testcase name=\"%s\" classname=\"%s\" file=\"%s\"/>\n", name, xmlAttr(p), xmlAttr(p))
					tests++
				}
				continue
			}
			for _, f := range found {
				pos := f.Start()
				fmt.Fprintf(&cases, "    <testcase name=\"%s\" classname=\"%s\" file=\"%s\" line=\"%d\">\n", name, xmlAttr(p), xmlAttr(p), pos.Line)
				fmt.Fprintf(&cases, "      <failure message=\"%s\" type=\"%s\">%s</failure>\n", xmlAttr(f.Message), xmlAttr(r.Code),
					xmlText(fmt.Sprintf("%s:%d:%d: %s", p, pos.Line, pos.Col, f.Message)))
				cases.WriteString("    </testcase>\n")
				tests++
				failed++
			}
		}
		fmt.Fprintf(&body, "  <testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"0\">\n", xmlAttr(p), tests, failed)
		body.Write(cases.Bytes())
		body.WriteString("  </testsuite>\n")
		total += tests
		failures += failed
	}
	var buf bytes.Buffer
	buf.WriteString(xmlHeader)
	fmt.Fprintf(&buf, "<testsuites name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"0\">\n", toolName, total, failures)
	buf.Write(body.Bytes())
	buf.WriteString("</testsuites>\n")
	_, err := w.Write(buf.Bytes())
	return err
}
