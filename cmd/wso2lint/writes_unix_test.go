//go:build unix

package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestFIFOArgumentsRefused checks that a --config or --baseline that is a
// FIFO is refused at once instead of blocking the run for ever.
func TestFIFOArgumentsRefused(t *testing.T) {
	dir := writeTree(t, map[string]string{"h/a/conf/deployment.toml": "[server]\nhostname = \"a\"\n"})
	mkfifo(t, filepath.Join(dir, "fifo"))
	for _, flag := range []string{"--config", "--baseline"} {
		_, stderr, code := runBounded(t, dir, flag, "fifo", "h")
		if code != exitUsage || !strings.Contains(stderr, "not a regular file (a FIFO)") {
			t.Errorf("%s fifo: exit %d, stderr:\n%s", flag, code, stderr)
		}
	}
}
