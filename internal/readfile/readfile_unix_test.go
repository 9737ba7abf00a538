//go:build unix

package readfile

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestRegularRefusesDevicesAndFIFOs checks the two inputs that made a run
// grow without bound (/dev/zero) or block for ever (a FIFO no one writes).
func TestRegularRefusesDevicesAndFIFOs(t *testing.T) {
	if _, err := Regular("/dev/zero", 1<<20); err == nil || !strings.Contains(err.Error(), "a device") {
		t.Errorf("/dev/zero: err = %v", err)
	}
	fifo := filepath.Join(t.TempDir(), "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	if _, err := Regular(fifo, 1<<20); err == nil || !strings.Contains(err.Error(), "a FIFO") {
		t.Errorf("FIFO: err = %v", err)
	}
}

// TestOpen checks the bare descriptor Open returns: a file is read to its
// end, a FIFO no one writes opens and reads as empty instead of blocking,
// and a missing file's error is fs.ErrNotExist with its path.
func TestOpen(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "a.toml")
	want := strings.Repeat("key = 1\n", 1000)
	if err := os.WriteFile(p, []byte(want), 0o644); err != nil {
		t.Fatal(err)
	}
	f, err := Open(p)
	if err != nil {
		t.Fatal(err)
	}
	got, err := io.ReadAll(f)
	if err != nil || string(got) != want {
		t.Errorf("ReadAll = %d bytes, %v; want %d bytes", len(got), err, len(want))
	}
	if err := f.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if _, err := Open(filepath.Join(dir, "missing")); !errors.Is(err, fs.ErrNotExist) || !strings.Contains(err.Error(), "missing") {
		t.Errorf("Open of a missing file: %v, want fs.ErrNotExist naming it", err)
	}
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o600); err != nil {
		t.Skip(err)
	}
	done := make(chan error, 1)
	go func() {
		f, err := Open(fifo)
		if err == nil {
			var b []byte
			b, err = io.ReadAll(f)
			if err == nil && len(b) > 0 {
				err = errors.New("read bytes from a FIFO no one writes")
			}
			f.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("FIFO: %v", err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("Open blocked on a FIFO")
	}
}
