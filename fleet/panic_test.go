package fleet_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
)

// TestWorkerPanicReachesCaller checks that a panic in a loading worker is
// raised again in the goroutine that called Load, where the command's
// recover turns it into exit 3. Left in the worker it ended the process
// with Go's status 2, which reads as a usage error.
func TestWorkerPanicReachesCaller(t *testing.T) {
	dir := t.TempDir()
	for _, in := range []string{"a", "b", "c"} {
		p := filepath.Join(dir, "h"+in, in, "conf", "deployment.toml")
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte("[server]\noffset = 1\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	defer func() {
		p := recover()
		if p == nil || !strings.Contains(fmt.Sprint(p), "boom in OnHost") {
			t.Fatalf("recovered %v, want the worker's panic", p)
		}
	}()
	_, _ = fleet.Load(nil, fleet.Options{WorkDir: dir, OnHost: func(*fleet.Fleet) { panic("boom in OnHost") }})
	t.Fatal("Load returned without panicking")
}
