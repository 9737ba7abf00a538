//go:build !unix

package readfile

import (
	"io"
	"os"
)

func openNonBlocking(path string) (*os.File, error) { return os.Open(path) }

// Open opens path for reading.
func Open(path string) (io.ReadCloser, error) { return os.Open(path) }
