package lsp

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzReader feeds arbitrary bytes to the message reader: it must neither
// panic nor loop, and after an error that is not a frameError it must
// stop (the stream is out of step).
func FuzzReader(f *testing.F) {
	f.Add([]byte("Content-Length: 2\r\n\r\n{}"))
	f.Add([]byte("Content-Length: 5\r\n\r\n{not}Content-Length: 2\r\n\r\n{}"))
	f.Add([]byte("Content-Length: -1\r\n\r\n"))
	f.Add([]byte("Content-Length: 99999999999999999999\r\n\r\n"))
	f.Add([]byte("\r\n\r\nX: y\r\nContent-Length: 4\r\n\r\nnull"))
	f.Add([]byte(`Content-Length: 40` + "\r\n\r\n" + `{"jsonrpc":"2.0","id":[1],"method":{}}  `))
	f.Fuzz(func(t *testing.T, data []byte) {
		rd := newReader(bytes.NewReader(data))
		for i := 0; i <= len(data); i++ {
			m, err := rd.read()
			if err == nil {
				if m == nil {
					t.Fatal("nil message without an error")
				}
				continue
			}
			var fe *frameError
			if !errors.As(err, &fe) {
				return
			}
		}
		t.Fatalf("more messages than bytes in %q", data)
	})
}
