package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strings"
	"sync"
	"unicode"
)

// ciGuard passes output through to a GitHub Actions log so that no line
// of it can start a workflow command. The runner takes any line that
// starts with "::" once leading blanks are trimmed, or that holds "##["
// anywhere, for a command (actions/runner, ActionCommand.TryParseV2 and
// TryParse); a directory named "::error file=x::owned" or
// "::stop-commands::t" would forge annotations or hide the real ones.
//
// Such a line is written between ::stop-commands::TOKEN and ::TOKEN::,
// the runner's own way to print text as it is. TOKEN is derived from the
// line (a hash of it), so the line cannot contain the word that ends the
// stop, and the output stays the same from run to run. Every other line
// passes unchanged. The runner splits lines at CR as well as LF, so a line
// is checked piece by piece.
//
// The signal handler writes from its own goroutine, so writes are
// serialised.
type ciGuard struct {
	mu      sync.Mutex
	w       io.Writer
	pending []byte
}

func newCIGuard(w io.Writer) *ciGuard { return &ciGuard{w: w} }

func (g *ciGuard) Write(p []byte) (int, error) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.pending = append(g.pending, p...)
	i := bytes.LastIndexByte(g.pending, '\n')
	if i < 0 {
		return len(p), nil
	}
	out := guardLines(g.pending[:i+1])
	g.pending = append(g.pending[:0], g.pending[i+1:]...)
	if _, err := g.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// Flush writes a last line that has no newline yet.
func (g *ciGuard) Flush() error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.pending) == 0 {
		return nil
	}
	out := guardLines(append(g.pending, '\n'))
	out = out[:len(out)-1]
	g.pending = g.pending[:0]
	_, err := g.w.Write(out)
	return err
}

// guardLines rewrites whole lines (text ending in '\n').
func guardLines(text []byte) []byte {
	if !bytes.Contains(text, []byte("::")) && !bytes.Contains(text, []byte("##[")) {
		return text
	}
	var out bytes.Buffer
	for _, line := range bytes.SplitAfter(text, []byte("\n")) {
		if len(line) == 0 {
			continue
		}
		if !commandLike(string(line)) {
			out.Write(line)
			continue
		}
		sum := sha256.Sum256(line)
		token := "wso2lint-" + hex.EncodeToString(sum[:12])
		out.WriteString("::stop-commands::" + token + "\n")
		out.Write(line)
		out.WriteString("::" + token + "::\n")
	}
	return out.Bytes()
}

// commandLike reports whether the runner could read a workflow command in
// line.
func commandLike(line string) bool {
	if strings.Contains(line, "##[") {
		return true
	}
	for _, piece := range strings.FieldsFunc(line, func(r rune) bool { return r == '\r' || r == '\n' }) {
		if strings.HasPrefix(strings.TrimLeftFunc(piece, unicode.IsSpace), "::") {
			return true
		}
	}
	return false
}
