package lsp

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/wso2lint/wso2lint/rewrite"
)

// client is a language client over pipes, driving a server run in the
// test's process.
type client struct {
	t    testing.TB
	w    *writer
	in   *io.PipeWriter
	done chan error

	mu      sync.Mutex
	nextID  int
	waiting map[string]chan *message
	// diags holds every publication received, in order, per URI.
	diags map[string][]publishDiagnosticsParams
	notes chan struct{}
	logs  []string
	// requests holds the methods of the requests the server sent.
	requests []string
	badRead  error
}

func startServer(t testing.TB, opt Options) *client {
	t.Helper()
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	if opt.Log == nil {
		opt.Log = testLog{t}
	}
	if opt.Debounce == 0 {
		opt.Debounce = 20 * time.Millisecond
	}
	c := &client{t: t, w: &writer{w: inW}, in: inW, done: make(chan error, 1),
		waiting: map[string]chan *message{}, diags: map[string][]publishDiagnosticsParams{}, notes: make(chan struct{}, 1)}
	go func() {
		err := Serve(inR, outW, opt)
		_ = outW.Close()
		c.done <- err
	}()
	go c.readLoop(newReader(outR))
	t.Cleanup(func() {
		_ = inW.Close()
		select {
		case err := <-c.done:
			// Input closed without shutdown ends the server with
			// ErrExitWithoutShutdown; the tests that shut down check
			// the result themselves.
			if err != nil && !errors.Is(err, ErrExitWithoutShutdown) {
				t.Errorf("Serve: %v", err)
			}
		case <-time.After(10 * time.Second):
			t.Error("the server did not stop when its input closed")
		}
	})
	return c
}

type testLog struct{ t testing.TB }

func (l testLog) Write(p []byte) (int, error) {
	l.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func (c *client) readLoop(rd *reader) {
	for {
		m, err := rd.read()
		if err != nil {
			if !errors.Is(err, io.EOF) {
				c.mu.Lock()
				c.badRead = err
				c.mu.Unlock()
			}
			return
		}
		c.mu.Lock()
		switch m.Method {
		case "textDocument/publishDiagnostics":
			var p publishDiagnosticsParams
			if err := json.Unmarshal(m.Params, &p); err != nil {
				c.badRead = err
			}
			c.diags[p.URI] = append(c.diags[p.URI], p)
		case "window/logMessage":
			var p logMessageParams
			_ = json.Unmarshal(m.Params, &p)
			c.logs = append(c.logs, p.Message)
		case "client/registerCapability":
			c.requests = append(c.requests, m.Method)
			// The client answers, as a real one does.
			go func(id json.RawMessage) { _ = c.w.reply(id, nil, nil) }(m.ID)
		case "":
			if ch := c.waiting[string(m.ID)]; ch != nil {
				ch <- m
				delete(c.waiting, string(m.ID))
			} else {
				c.badRead = fmt.Errorf("unexpected response %s", m.ID)
			}
		}
		c.mu.Unlock()
		select {
		case c.notes <- struct{}{}:
		default:
		}
	}
}

// call sends a request and waits for its response.
func (c *client) call(method string, params any) *message {
	c.t.Helper()
	c.mu.Lock()
	c.nextID++
	id := json.RawMessage(fmt.Sprint(c.nextID))
	ch := make(chan *message, 1)
	c.waiting[string(id)] = ch
	c.mu.Unlock()
	p, _ := json.Marshal(params)
	if err := c.w.write(&message{ID: id, Method: method, Params: p}); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
	select {
	case m := <-ch:
		return m
	case <-time.After(30 * time.Second):
		c.t.Fatalf("%s: no response", method)
	}
	return nil
}

// result calls and decodes a successful result into v.
func (c *client) result(method string, params, v any) {
	c.t.Helper()
	m := c.call(method, params)
	if m.Error != nil {
		c.t.Fatalf("%s: error %v", method, m.Error)
	}
	if err := json.Unmarshal(m.Result, v); err != nil {
		c.t.Fatalf("%s: result %s: %v", method, m.Result, err)
	}
}

func (c *client) notify(method string, params any) {
	c.t.Helper()
	if err := c.w.notify(method, params); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

// waitDiags waits for a publication for uri that satisfies ok, and
// returns its diagnostics.
func (c *client) waitDiags(uri string, what string, ok func([]diagnostic) bool) []diagnostic {
	c.t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		c.mu.Lock()
		ps := c.diags[uri]
		var last *publishDiagnosticsParams
		if len(ps) > 0 {
			last = &ps[len(ps)-1]
		}
		err := c.badRead
		c.mu.Unlock()
		if err != nil {
			c.t.Fatalf("reading the server: %v", err)
		}
		if last != nil && ok(last.Diagnostics) {
			return last.Diagnostics
		}
		select {
		case <-c.notes:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			got, _ := json.MarshalIndent(last, "", "  ")
			c.t.Fatalf("no diagnostics for %s with %s; last publication: %s", uri, what, got)
		}
	}
}

// waitRequest waits for the server to send a request.
func (c *client) waitRequest(method string) {
	c.t.Helper()
	deadline := time.After(30 * time.Second)
	for {
		c.mu.Lock()
		got := slices.Contains(c.requests, method)
		c.mu.Unlock()
		if got {
			return
		}
		select {
		case <-c.notes:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			c.t.Fatalf("the server sent no %s", method)
		}
	}
}

func (c *client) initialize(root string) {
	c.t.Helper()
	var res struct {
		Capabilities map[string]any `json:"capabilities"`
		ServerInfo   struct{ Name string }
	}
	c.result("initialize", map[string]any{"processId": nil, "rootUri": pathToURI(root), "capabilities": map[string]any{}}, &res)
	if res.ServerInfo.Name != "wso2lint" || res.Capabilities["hoverProvider"] != true {
		c.t.Fatalf("initialize result: %+v", res)
	}
	c.notify("initialized", map[string]any{})
}

func (c *client) open(path, text string) string {
	uri := pathToURI(path)
	c.notify("textDocument/didOpen", didOpenParams{TextDocument: textDocumentItem{URI: uri, LanguageID: "toml", Version: 1, Text: text}})
	return uri
}

func (c *client) change(uri string, version int, text string) {
	c.notify("textDocument/didChange", didChangeParams{TextDocument: versionedTextDocumentIdentifier{URI: uri, Version: version},
		ContentChanges: []contentChange{{Text: text}}})
}

func (c *client) shutdown() {
	c.t.Helper()
	m := c.call("shutdown", nil)
	if m.Error != nil || string(m.Result) != "null" {
		c.t.Fatalf("shutdown: %s %v", m.Result, m.Error)
	}
	c.notify("exit", nil)
	select {
	case err := <-c.done:
		if err != nil {
			c.t.Fatalf("Serve after shutdown and exit: %v", err)
		}
		c.done <- nil
	case <-time.After(10 * time.Second):
		c.t.Fatal("the server did not exit")
	}
}

// writeFiles writes a fixture of files under dir.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// applyEdits applies a workspace edit's changes to one document's text,
// as an editor does.
func applyEdits(t *testing.T, text string, edits []textEdit) string {
	t.Helper()
	src := []byte(text)
	var es []rewrite.Edit
	for _, e := range edits {
		es = append(es, rewrite.Edit{Start: offsetOf(src, e.Range.Start), End: offsetOf(src, e.Range.End), New: e.NewText})
	}
	sort.SliceStable(es, func(i, j int) bool { return es[i].Start < es[j].Start })
	out, err := rewrite.Apply(src, es)
	if err != nil {
		t.Fatal(err)
	}
	return string(out)
}

func codes(ds []diagnostic) string {
	var cs []string
	for _, d := range ds {
		cs = append(cs, d.Code)
	}
	sort.Strings(cs)
	return strings.Join(cs, ",")
}
