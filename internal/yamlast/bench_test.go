package yamlast

import (
	"bytes"
	"strings"
	"testing"

	"gopkg.in/yaml.v3"
)

// benchFile is a deployment.yaml of about 15 KB, the size the linter meets
// in thousands.
var benchFile = func() []byte {
	var b strings.Builder
	b.WriteString("# EI Analytics server — déploiement\n")
	for b.Len() < 15_000 {
		b.WriteString(eiAnalyticsFragment)
		b.WriteString("  # a comment with 'quotes' and \"more\" # hashes\n")
		b.WriteString("  description: >\n    folded # not a comment\n    text\n")
	}
	return []byte(b.String())
}()

// BenchmarkParse measures Parse, including the comment scan, the line
// index and the duplicate walk, on a 15 KB file.
func BenchmarkParse(b *testing.B) {
	b.SetBytes(int64(len(benchFile)))
	for b.Loop() {
		if _, err := Parse(benchFile); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkYAMLv3 is the baseline: yaml.v3 alone decoding the same file.
func BenchmarkYAMLv3(b *testing.B) {
	b.SetBytes(int64(len(benchFile)))
	for b.Loop() {
		dec := yaml.NewDecoder(bytes.NewReader(benchFile))
		var n yaml.Node
		for dec.Decode(&n) == nil {
		}
	}
}

// BenchmarkSpans measures ScalarSpan over every node of the file.
func BenchmarkSpans(b *testing.B) {
	d, err := Parse(benchFile)
	if err != nil {
		b.Fatal(err)
	}
	var nodes []*yaml.Node
	walkAll(d.Documents[0], func(n *yaml.Node) { nodes = append(nodes, n) })
	b.ResetTimer()
	for b.Loop() {
		for _, n := range nodes {
			d.ScalarSpan(n)
		}
	}
}
