package lsp

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// BenchmarkRelint measures what a keystroke costs once the quiet period
// is over: a change to a buffer of the shipped example fleet's edge-1
// (three installs), then a request that needs the findings, so that the
// server lints the host, judges the safe fixes and answers.
func BenchmarkRelint(b *testing.B) {
	root, err := filepath.Abs("../testdata/examples/fleet")
	if err != nil {
		b.Fatal(err)
	}
	path := filepath.Join(root, "prod/edge-1/mi-b/conf/deployment.toml")
	src, err := os.ReadFile(path)
	if err != nil {
		b.Skip("the example fleet is not there:", err)
	}
	c := startServer(b, Options{Log: discard{}})
	c.initialize(root)
	uri := c.open(path, string(src))
	texts := []string{string(src), strings.Replace(string(src), "offset = 20", "offset = 30", 1)}
	pos := textDocumentPositionParams{TextDocument: textDocumentIdentifier{URI: uri}, Position: position{5, 1}}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c.change(uri, i+2, texts[i%2])
		var h hover
		c.result("textDocument/hover", pos, &h)
	}
	b.StopTimer()
	c.shutdown()
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }
