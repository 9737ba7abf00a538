package lsp

import (
	"encoding/json"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// fixture is a host with two MI installs: mi-a at offset 1 on disk, mi-b
// whose buffer the test edits.
var fixture = map[string]string{
	"edge/mi-a/conf/deployment.toml": "[server]\nhostname = \"a\"\noffset = 1\n",
	"edge/mi-b/conf/deployment.toml": "[server]\nhostname = \"b\"\noffset = 20\n",
}

// collidingB is mi-b's buffer, unsaved: the same offset as mi-a on disk,
// and a dotted key that WSO2 never reads.
const collidingB = "[server]\nhostname = \"b\"\noffset = 1\n\n[transport.http]\nlistener.port = 8280\n"

// TestProtocol drives the server as an editor does: initialize, open a
// buffer that collides with a neighbour on disk, see the diagnostic, edit,
// ask for code actions, hover and completion, shut down.
func TestProtocol(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, fixture)
	c := startServer(t, Options{})
	c.initialize(dir)
	pathB := filepath.Join(dir, "edge/mi-b/conf/deployment.toml")
	pathA := filepath.Join(dir, "edge/mi-a/conf/deployment.toml")
	uri := c.open(pathB, collidingB)

	// The unsaved buffer collides with mi-a on disk: P001, on the offset
	// line, with mi-a's offset as a related location and the rule's docs.
	ds := c.waitDiags(uri, "P001", func(ds []diagnostic) bool { return codes(ds) == "P001" })
	d := ds[0]
	if d.Range != (lspRange{position{2, 0}, position{2, 10}}) {
		t.Errorf("P001 range = %+v, want line 2 (0-based), characters 0-10", d.Range)
	}
	if d.Severity != severityError || d.Source != "wso2lint" || !strings.Contains(d.Message, "8281") {
		t.Errorf("P001 diagnostic: %+v", d)
	}
	if d.CodeDescription == nil || !strings.HasSuffix(d.CodeDescription.Href, "/docs/rules/P001.md") {
		t.Errorf("codeDescription = %+v, want the rule's docs", d.CodeDescription)
	}
	if len(d.RelatedInformation) == 0 || d.RelatedInformation[0].Location.URI != pathToURI(pathA) ||
		d.RelatedInformation[0].Location.Range.Start.Line != 2 {
		t.Errorf("relatedInformation = %+v, want mi-a's offset line", d.RelatedInformation)
	}

	// Hover on the port: the arithmetic and the collision.
	var h hover
	c.result("textDocument/hover", textDocumentPositionParams{TextDocument: textDocumentIdentifier{URI: uri}, Position: position{5, 10}}, &h)
	for _, want := range []string{"HTTP pass-through listener", "`8280 + offset 1 = 8281`", "Collides on this host with", "edge/mi-a", "read by"} {
		if !strings.Contains(h.Contents.Value, want) {
			t.Errorf("hover on listener.port lacks %q:\n%s", want, h.Contents.Value)
		}
	}
	// Hover on the offset: what it moves.
	c.result("textDocument/hover", textDocumentPositionParams{TextDocument: textDocumentIdentifier{URI: uri}, Position: position{2, 1}}, &h)
	if !strings.Contains(h.Contents.Value, "This setting is in force") || !strings.Contains(h.Contents.Value, "`8243 + offset 1 = 8244`") {
		t.Errorf("hover on offset:\n%s", h.Contents.Value)
	}
	// Hover on a key WSO2 never reads.
	c.change(uri, 2, collidingB+"\n[mediation]\nflow.statistics.nonsense = true\n")
	c.result("textDocument/hover", textDocumentPositionParams{TextDocument: textDocumentIdentifier{URI: uri}, Position: position{8, 16}}, &h)
	if !strings.Contains(h.Contents.Value, "No MI release reads this key") {
		t.Errorf("hover on an unknown key:\n%s", h.Contents.Value)
	}

	// The unsafe fix of P001 moves mi-b: labelled so, not preferred.
	acts := c.actions(uri, d.Range, ds)
	var unsafe *codeAction
	for i, a := range acts {
		if strings.HasPrefix(a.Title, "Unsafe fix") {
			unsafe = &acts[i]
		}
	}
	if unsafe == nil || unsafe.IsPreferred || !strings.Contains(unsafe.Title, "→") {
		t.Fatalf("code actions for P001 lack an unsafe fix naming the port move: %+v", acts)
	}

	// Completion of keys in [transport.http], with the default.
	text := collidingB + "listener.se"
	c.change(uri, 3, text)
	var cl completionList
	c.result("textDocument/completion", textDocumentPositionParams{TextDocument: textDocumentIdentifier{URI: uri}, Position: position{6, 11}}, &cl)
	found := false
	for _, it := range cl.Items {
		if it.Label == "listener.secured_port" && it.TextEdit != nil && it.TextEdit.NewText == "listener.secured_port = 8243" &&
			it.TextEdit.Range == (lspRange{position{6, 0}, position{6, 11}}) {
			found = true
		}
		if !strings.HasPrefix(it.Label, "listener.se") {
			t.Errorf("completion %q does not match what was typed", it.Label)
		}
	}
	if !found {
		t.Errorf("completion in [transport.http] lacks listener.secured_port = 8243: %+v", cl.Items)
	}
	// Completion of the offset: the smallest offsets free on the host.
	// mi-a runs at offset 1, so 1 collides; 0, 2, 3, 4 and 5 do not.
	c.change(uri, 4, "[server]\nhostname = \"b\"\noffset = \n")
	c.result("textDocument/completion", textDocumentPositionParams{TextDocument: textDocumentIdentifier{URI: uri}, Position: position{2, 9}}, &cl)
	var offs []string
	for _, it := range cl.Items {
		offs = append(offs, it.Label)
	}
	if strings.Join(offs, " ") != "0 2 3 4 5" {
		t.Errorf("offset completions = %v, want 0 2 3 4 5", offs)
	}

	// Back to no collision: the diagnostics clear.
	c.change(uri, 5, "[server]\nhostname = \"b\"\noffset = 20\n")
	c.waitDiags(uri, "none", func(ds []diagnostic) bool { return len(ds) == 0 })

	// A dotted key with a safe fix: the preferred action, applied as an
	// editor applies it, leaves the buffer with no finding.
	dotted := "[server]\nhostname = \"b\"\noffset = 20\n\n[mediation]\ninternal.http.api.port = 9211\n"
	c.change(uri, 6, dotted)
	ds = c.waitDiags(uri, "K001", func(ds []diagnostic) bool { return codes(ds) == "K001" })
	if ds[0].Range != (lspRange{position{5, 0}, position{5, 22}}) {
		t.Errorf("K001 range = %+v", ds[0].Range)
	}
	acts = c.actions(uri, ds[0].Range, ds)
	var fix, suppress *codeAction
	for i, a := range acts {
		switch {
		case a.IsPreferred:
			fix = &acts[i]
		case strings.HasPrefix(a.Title, "Suppress K001"):
			suppress = &acts[i]
		}
	}
	if fix == nil || suppress == nil {
		t.Fatalf("code actions for K001: %+v", acts)
	}
	// Fix all: the same, as one edit of the part that changes.
	var all *codeAction
	for _, a := range c.actionsOnly(uri, "source.fixAll") {
		if a.Kind == fixAllKind {
			all = &a
		}
	}
	if all == nil {
		t.Fatal("no fix-all action")
	}
	if es := all.Edit.Changes[uri]; len(es) != 1 || es[0].Range.Start.Line != 5 {
		t.Errorf("fix all edits %+v, want one edit from line 5", es)
	}
	fixedAll := applyEdits(t, dotted, all.Edit.Changes[uri])
	fixed := applyEdits(t, dotted, fix.Edit.Changes[uri])
	if fixedAll != fixed {
		t.Errorf("fix all gives\n%s\nthe fix gives\n%s", fixedAll, fixed)
	}
	if want := "[server]\nhostname = \"b\"\noffset = 20\n\n[mediation]\ninternal_http_api_port = 9191\n"; fixed != want {
		t.Errorf("after the fix:\n%s\nwant:\n%s", fixed, want)
	}
	c.change(uri, 7, fixed)
	c.waitDiags(uri, "none after the fix", func(ds []diagnostic) bool { return len(ds) == 0 })

	// Suppressing with a reason: the directive the engine reads.
	c.change(uri, 8, dotted)
	c.waitDiags(uri, "K001 again", func(ds []diagnostic) bool { return codes(ds) == "K001" })
	suppressed := applyEdits(t, dotted, suppress.Edit.Changes[uri])
	if !strings.Contains(suppressed, "[mediation]\n# wso2lint: ignore[K001] "+reasonPlaceholder+"\ninternal.http.api.port") {
		t.Errorf("after suppressing:\n%s", suppressed)
	}
	c.change(uri, 9, suppressed)
	c.waitDiags(uri, "none once suppressed", func(ds []diagnostic) bool { return len(ds) == 0 })

	c.shutdown()
}

func (c *client) actionsOnly(uri string, only ...string) []codeAction {
	c.t.Helper()
	var p codeActionParams
	p.TextDocument.URI, p.Context.Only = uri, only
	var acts []codeAction
	c.result("textDocument/codeAction", p, &acts)
	return acts
}

func (c *client) actions(uri string, r lspRange, ds []diagnostic) []codeAction {
	c.t.Helper()
	var p codeActionParams
	p.TextDocument.URI, p.Range, p.Context.Diagnostics = uri, r, ds
	var acts []codeAction
	c.result("textDocument/codeAction", p, &acts)
	return acts
}

// TestConfigHonoured checks that the workspace's .wso2lint.yaml applies
// (a rule ignored there is not reported) and that a broken one is shown
// on itself.
func TestConfigHonoured(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, fixture)
	writeFiles(t, dir, map[string]string{".wso2lint.yaml": "ignore: [P001]\n"})
	c := startServer(t, Options{})
	c.initialize(dir)
	uri := c.open(filepath.Join(dir, "edge/mi-b/conf/deployment.toml"), collidingB+"\n[mediation]\ninternal.http.api.port = 9191\n")
	c.waitDiags(uri, "K001 alone", func(ds []diagnostic) bool { return codes(ds) == "K001" })

	cfg := c.open(filepath.Join(dir, ".wso2lint.yaml"), "ignore: [P001]\nbogus: 1\n")
	ds := c.waitDiags(cfg, "a config error", func(ds []diagnostic) bool { return len(ds) == 1 })
	if ds[0].Range.Start.Line != 1 || !strings.Contains(ds[0].Message, "bogus") {
		t.Errorf("config diagnostic = %+v", ds[0])
	}
	c.shutdown()
}

// TestRobustness feeds the server what breaks servers: a file that does
// not parse, a message that is not JSON, unknown methods, requests before
// initialize, and a panic inside a request.
func TestRobustness(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, fixture)
	var armed atomic.Bool
	logged := &syncBuffer{}
	c := startServer(t, Options{Log: logged, beforeHandle: func(method string) {
		if method == "textDocument/hover" && armed.CompareAndSwap(true, false) {
			panic("seeded failure")
		}
	}})
	if m := c.call("textDocument/hover", map[string]any{}); m.Error == nil || m.Error.Code != codeServerNotInit {
		t.Errorf("a request before initialize: %+v", m)
	}
	c.initialize(dir)

	uri := c.open(filepath.Join(dir, "edge/mi-b/conf/deployment.toml"), "[server\noffset = 1\n")
	ds := c.waitDiags(uri, "S001", func(ds []diagnostic) bool { return codes(ds) == "S001" })
	if ds[0].Range.Start.Line != 0 {
		t.Errorf("S001 at %+v, want line 0", ds[0].Range)
	}

	// Not JSON: an error response with a null id, and the server reads on.
	if _, err := c.in.Write([]byte("Content-Length: 9\r\n\r\n{not json")); err != nil {
		t.Fatal(err)
	}
	if m := c.call("no/such/method", nil); m.Error == nil || m.Error.Code != codeMethodNotFound {
		t.Errorf("unknown method: %+v", m)
	}
	// Bad params: an error, not a crash.
	if m := c.call("textDocument/hover", json.RawMessage(`{"position": "x"}`)); m.Error == nil || m.Error.Code != codeInvalidParams {
		t.Errorf("bad params: %+v", m)
	}

	// A panic in one request: an internal error for it, logged, and the
	// next request is answered.
	c.change(uri, 2, collidingB)
	pos := textDocumentPositionParams{TextDocument: textDocumentIdentifier{URI: uri}, Position: position{5, 10}}
	armed.Store(true)
	m := c.call("textDocument/hover", pos)
	if m.Error == nil || m.Error.Code != codeInternalError || !strings.Contains(m.Error.Message, "seeded failure") {
		t.Fatalf("a panicking request: %+v", m)
	}
	var h hover
	c.result("textDocument/hover", pos, &h)
	if !strings.Contains(h.Contents.Value, "8281") {
		t.Errorf("hover after a panic:\n%s", h.Contents.Value)
	}
	// The log has the panic with its stack, for a bug report.
	if log := logged.String(); !strings.Contains(log, "internal error in textDocument/hover (please report it): panic: seeded failure") ||
		!strings.Contains(log, "runtime/debug.Stack") {
		t.Errorf("the server log lacks the panic and its stack:\n%s", log)
	}
	c.shutdown()
}

// TestExitWithoutShutdown checks the protocol's exit status rule.
func TestExitWithoutShutdown(t *testing.T) {
	c := startServer(t, Options{})
	c.initialize(t.TempDir())
	c.notify("exit", nil)
	if err := <-c.done; !errors.Is(err, ErrExitWithoutShutdown) {
		t.Errorf("exit without shutdown: %v, want ErrExitWithoutShutdown", err)
	}
	c.done <- nil
}

// TestRelatedOnOpenBuffers opens both installs of a collision: the finding
// is reported on one, and the other shows an informational note that
// points back to it.
func TestRelatedOnOpenBuffers(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, fixture)
	c := startServer(t, Options{})
	c.initialize(dir)
	uriA := c.open(filepath.Join(dir, "edge/mi-a/conf/deployment.toml"), fixture["edge/mi-a/conf/deployment.toml"])
	uriB := c.open(filepath.Join(dir, "edge/mi-b/conf/deployment.toml"), collidingB)
	one := func(ds []diagnostic) bool { return codes(ds) == "P001" }
	a := c.waitDiags(uriA, "P001 on mi-a", one)
	b := c.waitDiags(uriB, "P001 on mi-b", one)
	if a[0].Severity == b[0].Severity {
		t.Fatalf("severities %d and %d: want the finding on one and a note on the other", a[0].Severity, b[0].Severity)
	}
	note, finding, noteURI := a[0], b[0], uriA
	if note.Severity != severityInfo {
		note, finding, noteURI = b[0], a[0], uriB
	}
	if note.Severity != severityInfo || finding.Severity != severityError || note.Range.Start.Line != 2 ||
		len(note.RelatedInformation) != 1 || note.RelatedInformation[0].Location.URI == noteURI ||
		!strings.Contains(note.Message, "(reported on edge/mi-") {
		t.Errorf("note %+v, finding %+v", note, finding)
	}
	c.shutdown()
}

// TestCompletionContexts checks the table names offered in a header and
// the keys offered inside an array of tables.
func TestCompletionContexts(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, fixture)
	c := startServer(t, Options{})
	c.initialize(dir)
	uri := c.open(filepath.Join(dir, "edge/mi-b/conf/deployment.toml"), "[server]\nhostname = \"b\"\n\n[transport.ht\n")
	labels := func(line, char int) map[string]completionItem {
		var cl completionList
		c.result("textDocument/completion", textDocumentPositionParams{TextDocument: textDocumentIdentifier{URI: uri}, Position: position{line, char}}, &cl)
		out := map[string]completionItem{}
		for _, it := range cl.Items {
			out[it.Label] = it
		}
		return out
	}
	got := labels(3, 13)
	if it, ok := got["transport.http"]; !ok || it.TextEdit.Range != (lspRange{position{3, 1}, position{3, 13}}) {
		t.Errorf("header completions lack transport.http replacing what was typed: %v", got)
	}
	for l := range got {
		if !strings.HasPrefix(l, "transport.ht") {
			t.Errorf("header completion %q does not match what was typed", l)
		}
	}
	c.change(uri, 2, "[server]\nhostname = \"b\"\n\n[[datasource]]\nid = \"WSO2_CARBON_DB\"\nur")
	got = labels(5, 2)
	if it, ok := got["url"]; !ok || it.TextEdit.NewText != "url = " || !strings.Contains(it.Documentation.Value, "`datasource[].url`") {
		t.Errorf("keys in [[datasource]] lack datasource[].url: %v", got)
	}
	c.shutdown()
}

// TestWatchedFiles checks that the server asks a client that can watch
// files to watch the linted kinds, and lints again when a neighbour
// changes on disk.
func TestWatchedFiles(t *testing.T) {
	dir := t.TempDir()
	writeFiles(t, dir, fixture)
	c := startServer(t, Options{})
	var res map[string]any
	c.result("initialize", map[string]any{"rootUri": pathToURI(dir), "capabilities": map[string]any{
		"workspace": map[string]any{"didChangeWatchedFiles": map[string]any{"dynamicRegistration": true}}}}, &res)
	c.notify("initialized", map[string]any{})
	c.waitRequest("client/registerCapability")
	uri := c.open(filepath.Join(dir, "edge/mi-b/conf/deployment.toml"), fixture["edge/mi-b/conf/deployment.toml"])
	c.waitDiags(uri, "none", func(ds []diagnostic) bool { return len(ds) == 0 })
	// mi-a moves onto mi-b's offset on disk.
	writeFiles(t, dir, map[string]string{"edge/mi-a/conf/deployment.toml": "[server]\noffset = 20\n"})
	c.notify("workspace/didChangeWatchedFiles", map[string]any{"changes": []map[string]any{
		{"uri": pathToURI(filepath.Join(dir, "edge/mi-a/conf/deployment.toml")), "type": 2}}})
	c.waitDiags(uri, "P001 after the change on disk", func(ds []diagnostic) bool { return codes(ds) == "P001" })
	c.shutdown()
}

// syncBuffer is a log the server writes while the test reads it.
type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}
