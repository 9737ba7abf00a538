package lsp

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"sync"
)

// This file is JSON-RPC 2.0 with the Language Server Protocol's framing:
// each message is a JSON body after a "Content-Length: N" header and a
// blank line. It is written here rather than taken from a library because
// what the server needs is small (read a message, write a message, match
// a cancellation to a pending request), and the libraries that offer it
// bring a dependency tree far larger than this file.

// maxMessage bounds one message's body. An editor sends a whole file with
// full synchronisation, and the linter reads no file over 10 MiB by
// default; anything much larger is a broken or hostile client, whose body
// is skipped rather than read into memory.
const maxMessage = 64 << 20

// JSON-RPC and LSP error codes.
const (
	codeParseError       = -32700
	codeInvalidRequest   = -32600
	codeMethodNotFound   = -32601
	codeInvalidParams    = -32602
	codeInternalError    = -32603
	codeServerNotInit    = -32002
	codeRequestCancelled = -32800
)

// message is any JSON-RPC message: a request (ID and Method), a
// notification (Method only) or a response (ID and Result or Error).
type message struct {
	JSONRPC string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id,omitempty"`
	Method  string          `json:"method,omitempty"`
	Params  json.RawMessage `json:"params,omitempty"`
	Result  json.RawMessage `json:"result,omitempty"`
	Error   *rpcError       `json:"error,omitempty"`
}

// isRequest reports whether the message expects a response.
func (m *message) isRequest() bool { return m.Method != "" && len(m.ID) > 0 }

// rpcError is a JSON-RPC error object.
type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *rpcError) Error() string { return fmt.Sprintf("%s (code %d)", e.Message, e.Code) }

// frameError is a message that could not be read but after which the
// stream is still in step (a body that is not JSON, one too large): the
// server answers it with an error and reads on.
type frameError struct{ err *rpcError }

func (e *frameError) Error() string { return e.err.Error() }

// reader reads framed messages.
type reader struct {
	r *bufio.Reader
}

func newReader(r io.Reader) *reader { return &reader{r: bufio.NewReaderSize(r, 64<<10)} }

// read returns the next message. An error that is a *frameError leaves the
// stream readable; any other error (end of input, a header that cannot be
// read) ends the connection.
func (rd *reader) read() (*message, error) {
	length := -1
	for {
		// ReadSlice bounds a header line by the reader's buffer: a line
		// longer than 64 KiB is no header, and ends the connection.
		raw, err := rd.r.ReadSlice('\n')
		if err != nil {
			if errors.Is(err, io.EOF) && length < 0 && len(raw) == 0 {
				return nil, io.EOF
			}
			return nil, fmt.Errorf("reading a message header: %w", err)
		}
		line := strings.TrimRight(string(raw), "\r\n")
		if line == "" {
			if length < 0 {
				// Blank lines between messages are tolerated; a header
				// block without Content-Length is not.
				continue
			}
			break
		}
		name, value, ok := strings.Cut(line, ":")
		if !ok {
			return nil, fmt.Errorf("malformed message header %q", truncate(line, 80))
		}
		if strings.EqualFold(strings.TrimSpace(name), "Content-Length") {
			n, err := strconv.Atoi(strings.TrimSpace(value))
			if err != nil || n < 0 {
				return nil, fmt.Errorf("bad Content-Length %q", truncate(value, 80))
			}
			length = n
		}
	}
	if length > maxMessage {
		if _, err := io.CopyN(io.Discard, rd.r, int64(length)); err != nil {
			return nil, err
		}
		return nil, &frameError{&rpcError{Code: codeInvalidRequest,
			Message: fmt.Sprintf("message of %d bytes is over the limit of %d", length, maxMessage)}}
	}
	body := make([]byte, length)
	if _, err := io.ReadFull(rd.r, body); err != nil {
		return nil, fmt.Errorf("reading a message body: %w", err)
	}
	var m message
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, &frameError{&rpcError{Code: codeParseError, Message: "message is not JSON: " + err.Error()}}
	}
	return &m, nil
}

// writer writes framed messages; it is safe for concurrent use.
type writer struct {
	mu sync.Mutex
	w  io.Writer
}

func (wr *writer) write(m *message) error {
	m.JSONRPC = "2.0"
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	wr.mu.Lock()
	defer wr.mu.Unlock()
	if _, err := fmt.Fprintf(wr.w, "Content-Length: %d\r\n\r\n", len(body)); err != nil {
		return err
	}
	_, err = wr.w.Write(body)
	return err
}

func (wr *writer) notify(method string, params any) error {
	p, err := json.Marshal(params)
	if err != nil {
		return err
	}
	return wr.write(&message{Method: method, Params: p})
}

func (wr *writer) reply(id json.RawMessage, result any, rerr *rpcError) error {
	m := &message{ID: id, Error: rerr}
	if len(id) == 0 {
		m.ID = json.RawMessage("null")
	}
	if rerr == nil {
		r, err := json.Marshal(result)
		if err != nil {
			return err
		}
		m.Result = r
	}
	return wr.write(m)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}
