// Package lsp is wso2lint's language server: the linter inside an editor,
// over the Language Server Protocol on standard input and output.
//
// It lints the unsaved buffers an editor holds together with the rest of
// their hosts from disk (the buffers overlay the files, as
// --stdin-filename does), so that a port typed in one install that
// collides with the install next door shows while typing. Findings are
// published as diagnostics with their rule's code and documentation link;
// their fixes are code actions; hovering a port shows the arithmetic of
// its effective port; completion offers WSO2's keys from the catalogue.
//
// The server is one goroutine that owns every piece of state, fed by a
// reader goroutine: requests are answered in order, a burst of changes is
// linted once after a short quiet period, and a request that needs the
// findings (a code action, a hover) lints at once when the buffer changed
// since the last lint, so that no answer is computed on stale text.
package lsp

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
	"time"
)

// Options configures a server.
type Options struct {
	// Log receives the server's log (standard error for an editor, which
	// shows it in its language server log).
	Log io.Writer
	// Getenv reads the environment (XDG_CONFIG_HOME for the user-wide
	// configuration).
	Getenv func(string) string
	// Version is wso2lint's version, reported in initialize.
	Version string
	// Debounce is how long the buffers must be quiet before they are
	// linted again; DefaultDebounce when zero.
	Debounce time.Duration

	// beforeHandle, when set, is called with each method before it is
	// handled (and, from the reading goroutine, after a cancellation is
	// recorded): tests make a request panic or block with it.
	beforeHandle func(method string)
}

// DefaultDebounce is the quiet period before a re-lint: long enough that
// typing a word lints once, short enough to feel immediate.
const DefaultDebounce = 150 * time.Millisecond

// ErrExitWithoutShutdown is returned when the client sent exit without
// shutdown first (or closed the stream): the protocol asks the process to
// exit with status 1 then.
var ErrExitWithoutShutdown = errors.New("exit without shutdown")

// Server is one connection's state. It is owned by the goroutine running
// Serve.
type Server struct {
	opt Options
	out *writer
	log *log.Logger

	initialized, shutdown bool
	// roots are the workspace folders, as absolute paths.
	roots []string
	docs  map[string]*document
	// dirty is set when a buffer changed since the last lint.
	dirty bool
	timer *time.Timer
	due   chan struct{}
	snap  *snapshot
	// watch is set when the client can watch files for the server: the
	// neighbours of a buffer on disk change under it (a git checkout).
	watch bool
	// published holds the URIs the last publication gave diagnostics,
	// so that a file whose findings are gone is cleared.
	published map[string]bool

	pending pendingSet
}

// document is an open buffer.
type document struct {
	uri, path string
	version   int
	text      []byte
}

// pendingSet holds the requests read but not yet answered, and which of
// them the client cancelled. The reader adds and cancels; the server
// removes as it answers.
type pendingSet struct {
	mu        sync.Mutex
	cancelled map[string]bool // id → cancelled
}

func (p *pendingSet) add(id string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cancelled == nil {
		p.cancelled = map[string]bool{}
	}
	p.cancelled[id] = false
}

func (p *pendingSet) cancel(id string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.cancelled[id]; ok {
		p.cancelled[id] = true
	}
}

// done removes a request and reports whether it was cancelled.
func (p *pendingSet) done(id string) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	c := p.cancelled[id]
	delete(p.cancelled, id)
	return c
}

// Serve runs the server on a stream until the client sends exit or the
// input ends. It returns nil after shutdown then exit, and
// ErrExitWithoutShutdown otherwise.
func Serve(in io.Reader, out io.Writer, opt Options) error {
	if opt.Log == nil {
		opt.Log = io.Discard
	}
	if opt.Getenv == nil {
		opt.Getenv = func(string) string { return "" }
	}
	if opt.Debounce <= 0 {
		opt.Debounce = DefaultDebounce
	}
	s := &Server{opt: opt, out: &writer{w: out}, log: log.New(opt.Log, "wso2lint server: ", log.LstdFlags),
		docs: map[string]*document{}, due: make(chan struct{}, 1), published: map[string]bool{}}
	msgs := make(chan *message, 16)
	stop := make(chan struct{})
	defer close(stop)
	go s.readLoop(newReader(in), msgs, stop)
	defer func() {
		if s.timer != nil {
			s.timer.Stop()
		}
	}()
	for {
		select {
		case m, ok := <-msgs:
			if !ok {
				s.log.Print("input closed")
				if s.shutdown {
					return nil
				}
				return ErrExitWithoutShutdown
			}
			if m.Method == "exit" {
				if s.shutdown {
					return nil
				}
				return ErrExitWithoutShutdown
			}
			s.dispatch(m)
		case <-s.due:
			if s.dirty && !s.shutdown {
				s.guard("lint", nil, func() (any, error) { s.lintAndPublish(); return nil, nil })
			}
		}
	}
}

// readLoop reads messages and hands them to the server. A cancellation
// is recorded here, so that it takes effect while the server is busy.
func (s *Server) readLoop(rd *reader, msgs chan<- *message, stop <-chan struct{}) {
	defer close(msgs)
	for {
		m, err := rd.read()
		var fe *frameError
		switch {
		case errors.As(err, &fe):
			s.log.Printf("bad message: %v", fe)
			if werr := s.out.reply(nil, nil, fe.err); werr != nil {
				return
			}
			continue
		case err != nil:
			if !errors.Is(err, io.EOF) {
				s.log.Printf("reading: %v", err)
			}
			return
		}
		if m.Method == "$/cancelRequest" {
			var p struct {
				ID json.RawMessage `json:"id"`
			}
			if json.Unmarshal(m.Params, &p) == nil {
				s.pending.cancel(string(p.ID))
			}
			if s.opt.beforeHandle != nil {
				s.opt.beforeHandle(m.Method) // tests learn the cancellation is in
			}
			continue
		}
		if m.isRequest() {
			s.pending.add(string(m.ID))
		}
		select {
		case msgs <- m:
		case <-stop:
			return
		}
	}
}

// dispatch handles one message: a request is answered, whatever happens
// in its handler.
func (s *Server) dispatch(m *message) {
	if m.Method == "" {
		return // a response to a request the server did not send
	}
	if m.isRequest() {
		if s.pending.done(string(m.ID)) {
			_ = s.out.reply(m.ID, nil, &rpcError{Code: codeRequestCancelled, Message: "cancelled"})
			return
		}
		var result any
		var rerr *rpcError
		s.guard(m.Method, &rerr, func() (any, error) {
			r, err := s.handleRequest(m)
			result = r
			return r, err
		})
		if err := s.out.reply(m.ID, result, rerr); err != nil {
			s.log.Printf("writing a response: %v", err)
		}
		return
	}
	s.guard(m.Method, nil, func() (any, error) { return nil, s.handleNotification(m) })
}

// guard runs a handler and turns its error or panic into *rerr (for a
// request) or a log line and a message to the client (for a
// notification). A panic is a bug: it is logged with its stack, and the
// server goes on with the next message.
func (s *Server) guard(method string, rerr **rpcError, f func() (any, error)) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Printf("internal error in %s (please report it): panic: %v\n%s", method, p, debug.Stack())
			msg := fmt.Sprintf("wso2lint: internal error in %s: %v (see the server log)", method, p)
			if rerr != nil {
				*rerr = &rpcError{Code: codeInternalError, Message: msg}
			} else {
				_ = s.out.notify("window/logMessage", logMessageParams{Type: messageError, Message: msg})
			}
		}
	}()
	if s.opt.beforeHandle != nil {
		s.opt.beforeHandle(method)
	}
	_, err := f()
	if err == nil {
		return
	}
	var re *rpcError
	if !errors.As(err, &re) {
		re = &rpcError{Code: codeInternalError, Message: err.Error()}
	}
	if rerr != nil {
		*rerr = re
		return
	}
	s.log.Printf("%s: %v", method, err)
}

func invalidParams(err error) error {
	return &rpcError{Code: codeInvalidParams, Message: err.Error()}
}

func (s *Server) handleRequest(m *message) (any, error) {
	if !s.initialized && m.Method != "initialize" {
		return nil, &rpcError{Code: codeServerNotInit, Message: "the server is not initialized"}
	}
	if s.shutdown {
		return nil, &rpcError{Code: codeInvalidRequest, Message: "the server is shut down"}
	}
	switch m.Method {
	case "initialize":
		var p initializeParams
		if err := json.Unmarshal(m.Params, &p); err != nil {
			return nil, invalidParams(err)
		}
		return s.initialize(&p), nil
	case "shutdown":
		s.shutdown = true
		return nil, nil
	case "textDocument/codeAction":
		var p codeActionParams
		if err := json.Unmarshal(m.Params, &p); err != nil {
			return nil, invalidParams(err)
		}
		return s.codeActions(&p), nil
	case "textDocument/hover":
		var p textDocumentPositionParams
		if err := json.Unmarshal(m.Params, &p); err != nil {
			return nil, invalidParams(err)
		}
		return s.hover(&p), nil
	case "textDocument/completion":
		var p textDocumentPositionParams
		if err := json.Unmarshal(m.Params, &p); err != nil {
			return nil, invalidParams(err)
		}
		return s.complete(&p), nil
	}
	return nil, &rpcError{Code: codeMethodNotFound, Message: "method not supported: " + m.Method}
}

func (s *Server) initialize(p *initializeParams) any {
	s.initialized = true
	s.watch = p.Capabilities.Workspace.DidChangeWatchedFiles.DynamicRegistration
	add := func(uri string) {
		if path, ok := uriToPath(uri); ok {
			s.roots = append(s.roots, path)
		}
	}
	for _, f := range p.WorkspaceFolders {
		add(f.URI)
	}
	if len(s.roots) == 0 && p.RootURI != "" {
		add(p.RootURI)
	}
	if len(s.roots) == 0 && p.RootPath != "" {
		add(pathToURI(p.RootPath))
	}
	// The longest root first: a file belongs to the innermost folder.
	sort.SliceStable(s.roots, func(i, j int) bool { return len(s.roots[i]) > len(s.roots[j]) })
	return map[string]any{
		"capabilities": map[string]any{
			"positionEncoding": "utf-16",
			"textDocumentSync": map[string]any{
				"openClose": true,
				"change":    1, // full
				"save":      map[string]any{"includeText": false},
			},
			"codeActionProvider": map[string]any{"codeActionKinds": []string{"quickfix", fixAllKind}},
			"hoverProvider":      true,
			"completionProvider": map[string]any{"triggerCharacters": []string{".", "[", "="}},
		},
		"serverInfo": map[string]any{"name": "wso2lint", "version": s.opt.Version},
	}
}

func (s *Server) handleNotification(m *message) error {
	if !s.initialized || s.shutdown {
		return nil // the protocol drops notifications before initialize
	}
	switch m.Method {
	case "initialized":
		if s.watch {
			// The files a lint reads beside the buffers: a change on disk
			// (a checkout, another editor) lints again.
			var watchers []map[string]any
			for _, g := range []string{"**/*.toml", "**/*.yaml", "**/*.yml", "**/*.sh", "**/*.bat", "**/*.conf", "**/*.service", "**/*.env", "**/.wso2lint.yaml"} {
				watchers = append(watchers, map[string]any{"globPattern": g})
			}
			params, err := json.Marshal(map[string]any{"registrations": []map[string]any{{
				"id": "wso2lint-watch", "method": "workspace/didChangeWatchedFiles",
				"registerOptions": map[string]any{"watchers": watchers},
			}}})
			if err != nil {
				return err
			}
			return s.out.write(&message{ID: json.RawMessage(`"wso2lint-register-watch"`), Method: "client/registerCapability", Params: params})
		}
		return nil
	case "workspace/didChangeConfiguration":
		return nil
	case "textDocument/didOpen":
		var p didOpenParams
		if err := json.Unmarshal(m.Params, &p); err != nil {
			return err
		}
		path, ok := uriToPath(p.TextDocument.URI)
		if !ok {
			return fmt.Errorf("not a file URI: %s", truncate(p.TextDocument.URI, 200))
		}
		s.docs[p.TextDocument.URI] = &document{uri: p.TextDocument.URI, path: path,
			version: p.TextDocument.Version, text: []byte(p.TextDocument.Text)}
		s.changed(0) // open: lint now, not after the quiet period
	case "textDocument/didChange":
		var p didChangeParams
		if err := json.Unmarshal(m.Params, &p); err != nil {
			return err
		}
		d := s.docs[p.TextDocument.URI]
		if d == nil {
			return fmt.Errorf("change to a document that is not open: %s", truncate(p.TextDocument.URI, 200))
		}
		for _, c := range p.ContentChanges {
			d.text = applyChange(d.text, c)
		}
		d.version = p.TextDocument.Version
		s.changed(s.opt.Debounce)
	case "textDocument/didSave", "workspace/didChangeWatchedFiles":
		// A saved file may be another buffer's neighbour on disk.
		s.changed(0)
	case "textDocument/didClose":
		var p didCloseParams
		if err := json.Unmarshal(m.Params, &p); err != nil {
			return err
		}
		delete(s.docs, p.TextDocument.URI)
		s.changed(0)
	}
	return nil
}

// applyChange applies one content change: the whole text, or a range of
// it in UTF-16 positions.
func applyChange(text []byte, c contentChange) []byte {
	if c.Range == nil {
		return []byte(c.Text)
	}
	start := offsetOf(text, c.Range.Start)
	end := max(offsetOf(text, c.Range.End), start)
	out := make([]byte, 0, len(text)-(end-start)+len(c.Text))
	out = append(out, text[:start]...)
	out = append(out, c.Text...)
	return append(out, text[end:]...)
}

// changed marks the buffers changed and schedules a lint after delay.
func (s *Server) changed(delay time.Duration) {
	s.dirty = true
	if s.timer != nil {
		s.timer.Stop()
	}
	s.timer = time.AfterFunc(delay, func() {
		select {
		case s.due <- struct{}{}:
		default:
		}
	})
}

// fresh returns the findings of the current buffers, linting first when a
// buffer changed since the last lint.
func (s *Server) fresh() *snapshot {
	if s.dirty || s.snap == nil {
		s.lintAndPublish()
	}
	return s.snap
}

// logf logs a line and shows it in the client's log.
func (s *Server) logf(typ int, format string, args ...any) {
	msg := fmt.Sprintf(format, args...)
	s.log.Print(msg)
	_ = s.out.notify("window/logMessage", logMessageParams{Type: typ, Message: "wso2lint: " + strings.TrimSpace(msg)})
}
