//go:build unix

package readfile

import (
	"path/filepath"
	"strings"
	"syscall"
	"testing"
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
