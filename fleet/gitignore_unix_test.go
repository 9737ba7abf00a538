//go:build unix

package fleet_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
)

// TestGitignoreFIFONoHang checks that a .gitignore that is a FIFO (or a
// device) is skipped rather than read: reading a FIFO no one writes
// blocked the walk for ever.
func TestGitignoreFIFONoHang(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "h", "mi", "conf", "deployment.toml")
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte("[server]\noffset = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "h", ".gitignore"), 0o644); err != nil {
		t.Skip(err)
	}
	fl, err := fleet.Load(nil, fleet.Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if len(fl.Installs) != 1 {
		t.Errorf("%d installs, want 1", len(fl.Installs))
	}
}
