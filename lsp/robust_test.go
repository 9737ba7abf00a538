package lsp

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestManyChanges drives a few thousand full-text changes of an 8 KB
// buffer, as hours of typing do, and checks that the heap does not grow
// with their number and that the diagnostics end up those of the last
// text.
func TestManyChanges(t *testing.T) {
	if testing.Short() {
		t.Skip("drives 3000 changes")
	}
	dir := t.TempDir()
	writeFiles(t, dir, fixture)
	// The quiet period of an editor's server: a flood of changes is
	// linted when it pauses, not once per change.
	c := startServer(t, Options{Debounce: DefaultDebounce})
	c.initialize(dir)
	uri := c.open(filepath.Join(dir, "edge/mi-b/conf/deployment.toml"), collidingB)
	c.waitDiags(uri, "P001", func(ds []diagnostic) bool { return codes(ds) == "P001" })
	padding := strings.Repeat("# a comment line to make the buffer the size of a real file\n", 130)
	heap := func() uint64 {
		// A hover lints the pending change first: the heap is measured
		// with the server's state up to date.
		var h hover
		c.result("textDocument/hover", textDocumentPositionParams{TextDocument: textDocumentIdentifier{URI: uri}, Position: position{0, 1}}, &h)
		runtime.GC()
		runtime.GC()
		var ms runtime.MemStats
		runtime.ReadMemStats(&ms)
		return ms.HeapAlloc
	}
	const n = 3000
	var first uint64
	for i := 1; i <= n; i++ {
		offset := 1 + i%2 // alternate between colliding and not
		c.change(uri, i+1, fmt.Sprintf("[server]\nhostname = \"b%d\"\noffset = %d\n%s", i, offset, padding))
		if i == n/3 {
			first = heap()
		}
	}
	last := heap()
	t.Logf("heap after %d changes: %d KiB; after %d: %d KiB", n/3, first>>10, n, last>>10)
	// 2000 changes of 8 KB kept would be 16 MB.
	if last > first+8<<20 {
		t.Errorf("heap grew from %d KiB to %d KiB over %d changes", first>>10, last>>10, n-n/3)
	}
	// The last text (offset 1) collides again.
	c.waitDiags(uri, "P001 of the last text", func(ds []diagnostic) bool { return codes(ds) == "P001" })
	c.shutdown()
}

// TestCancel checks that a request cancelled while the server is busy is
// answered with RequestCancelled and not run.
func TestCancel(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, fixture)
	entered, block, cancelled := make(chan struct{}), make(chan struct{}), make(chan struct{})
	c := startServer(t, Options{beforeHandle: func(method string) {
		switch method {
		case "textDocument/completion":
			close(entered)
			<-block
		case "$/cancelRequest":
			close(cancelled)
		}
	}})
	c.initialize(dir)
	uri := c.open(filepath.Join(dir, "edge/mi-b/conf/deployment.toml"), collidingB)
	pos := textDocumentPositionParams{TextDocument: textDocumentIdentifier{URI: uri}, Position: position{5, 10}}
	busy := make(chan *message, 1)
	go func() { busy <- c.call("textDocument/completion", pos) }()
	<-entered
	// The hover is read while the completion blocks the server; its
	// cancellation is recorded by the reader before the server gets to it.
	hoverDone := make(chan *message, 1)
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	c.waiting[fmt.Sprint(id)] = hoverDone
	c.mu.Unlock()
	p, _ := json.Marshal(pos)
	if err := c.w.write(&message{ID: json.RawMessage(fmt.Sprint(id)), Method: "textDocument/hover", Params: p}); err != nil {
		t.Fatal(err)
	}
	c.notify("$/cancelRequest", map[string]any{"id": id})
	<-cancelled
	close(block)
	if m := <-busy; m.Error != nil {
		t.Errorf("the blocking request: %v", m.Error)
	}
	if m := <-hoverDone; m.Error == nil || m.Error.Code != codeRequestCancelled {
		t.Errorf("the cancelled request: %+v", m)
	}
	c.shutdown()
}

// TestRandomRequests mangles a real deployment.toml (cut spans, doubled
// spans, stray bytes, lines without ends) and asks for hovers, completions
// and code actions at random positions, past the end of lines and of the
// file included: no request may fail with an internal error.
func TestRandomRequests(t *testing.T) {
	src, err := os.ReadFile("../testdata/examples/fleet/prod/edge-1/mi-b/conf/deployment.toml")
	if err != nil {
		t.Skip("the example fleet is not there:", err)
	}
	dir := t.TempDir()
	writeFiles(t, dir, fixture)
	c := startServer(t, Options{})
	c.initialize(dir)
	uri := c.open(filepath.Join(dir, "edge/mi-b/conf/deployment.toml"), string(src))
	rng := rand.New(rand.NewPCG(14, 14))
	text := src
	for i := 0; i < 150; i++ {
		text = mangle(rng, text, src)
		c.change(uri, i+2, string(text))
		pos := position{Line: rng.IntN(60) - 2, Character: rng.IntN(90) - 2}
		doc := textDocumentIdentifier{URI: uri}
		var p codeActionParams
		p.TextDocument, p.Range = doc, lspRange{Start: pos, End: position{Line: pos.Line + rng.IntN(3), Character: rng.IntN(40)}}
		for method, params := range map[string]any{
			"textDocument/hover":      textDocumentPositionParams{TextDocument: doc, Position: pos},
			"textDocument/completion": textDocumentPositionParams{TextDocument: doc, Position: pos},
			"textDocument/codeAction": p,
		} {
			if m := c.call(method, params); m.Error != nil {
				t.Fatalf("%s at %+v on\n%s\n: %v", method, pos, text, m.Error)
			}
		}
	}
	c.shutdown()
}

// mangle changes text as a hurried editor does, falling back to the
// original when it has shrunk to nothing.
func mangle(rng *rand.Rand, text, orig []byte) []byte {
	if len(text) < 8 {
		return append([]byte(nil), orig...)
	}
	i := rng.IntN(len(text))
	j := min(len(text), i+rng.IntN(12))
	out := append([]byte(nil), text[:i]...)
	switch rng.IntN(4) {
	case 0: // cut
	case 1: // double
		out = append(out, text[i:j]...)
		out = append(out, text[i:j]...)
	case 2: // stray bytes: brackets, quotes, a multi-byte character, an invalid byte
		out = append(out, []byte([]string{"[", "\"", "=", "😀", "\xff", "\r", "[[", ".", "'''"}[rng.IntN(9)])...)
		out = append(out, text[i:j]...)
	default: // join lines
		out = append(out, bytes.ReplaceAll(text[i:j], []byte("\n"), nil)...)
	}
	return append(out, text[j:]...)
}

// TestFraming reads messages as clients frame them (header names in any
// case, extra headers, blank lines between messages) and refuses what
// would cost unbounded memory: a body over the limit is skipped and
// answered with an error, a header line longer than the buffer ends the
// connection.
func TestFraming(t *testing.T) {
	body := `{"jsonrpc":"2.0","id":1,"method":"x"}`
	in := "\r\ncontent-length: " + fmt.Sprint(len(body)) + "\r\nContent-Type: application/vscode-jsonrpc; charset=utf-8\r\n\r\n" + body +
		fmt.Sprintf("Content-Length: %d\r\n\r\n", maxMessage+1) + strings.Repeat(" ", maxMessage+1) +
		"Content-Length: " + fmt.Sprint(len(body)) + "\r\n\r\n" + body
	rd := newReader(strings.NewReader(in))
	m, err := rd.read()
	if err != nil || m.Method != "x" || string(m.ID) != "1" {
		t.Fatalf("first message: %+v, %v", m, err)
	}
	var fe *frameError
	if _, err := rd.read(); !errors.As(err, &fe) || fe.err.Code != codeInvalidRequest {
		t.Fatalf("a body over the limit: %v", err)
	}
	if m, err := rd.read(); err != nil || m.Method != "x" {
		t.Fatalf("the message after it: %+v, %v", m, err)
	}
	if _, err := rd.read(); !errors.Is(err, io.EOF) {
		t.Fatalf("at the end: %v, want io.EOF", err)
	}
	long := newReader(strings.NewReader("X-Junk: " + strings.Repeat("a", 1<<20) + "\r\n"))
	if _, err := long.read(); err == nil || errors.Is(err, io.EOF) {
		t.Fatalf("a 1 MiB header line: %v, want an error", err)
	}
}
