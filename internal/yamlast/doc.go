// Package yamlast is the position-keeping layer over gopkg.in/yaml.v3 that
// the rest of wso2lint uses to read EI Analytics deployment.yaml files.
//
// yaml.v3 gives every node a 1-based line and a column counted in runes,
// with a leading UTF-8 BOM not counted, and it points nodes that carry an
// anchor or a tag at that property rather than at their content. Findings and
// fixes, however, need exact byte offsets into the original file: a
// fix is a byte-range edit, never a re-marshal. This package is
// the one place that converts between the two, so that no other package has
// to know yaml.v3's column semantics.
//
// It also supplies what yaml.v3 does not: every comment with its byte span
// (for inline suppressions), every repeated mapping key (yaml.v3 reports
// none when decoding into a Node), and syntax errors carrying the best
// position the error text allows.
//
// A *Doc is never modified after Parse returns, so one Doc may be read by
// many goroutines at once.
package yamlast
