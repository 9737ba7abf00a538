//go:build unix

package readfile

import (
	"os"
	"syscall"
)

// openNonBlocking opens path for reading without blocking on a FIFO.
// O_NONBLOCK has no effect on reads of a regular file.
func openNonBlocking(path string) (*os.File, error) {
	return os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
}
