// Package report renders lint findings and the effective port map in the
// formats the README documents: text (a code frame per finding, for people at a
// terminal), concise (one line per finding, for editors, grep and problem
// matchers), json (the stable machine contract), the CI formats (SARIF
// 2.1.0 for code scanning, GitHub workflow annotations and step summary,
// checkstyle, JUnit, reviewdog's rdjson/rdjsonl and GitLab Code Quality),
// and the ports map as a table, JSON, CSV or Markdown.
//
// Every renderer is a pure function of its inputs: no timestamps, no map
// iteration order, no terminal probing. The caller decides colour (from
// --no-color, NO_COLOR and whether stdout is a TTY), so that golden tests
// and caches see byte-identical output from run to run. Renderers write
// only the report itself; the one-line summary is returned by SummaryLine
// for the caller to print on stderr, because machine formats must own
// their stream.
package report
