// Package readfile reads the files a run is given by name (its
// configuration, a baseline) with the same care as the files it lints:
// bounded in size, and only when they are regular files, so that
// /dev/zero cannot grow a run past memory and a FIFO cannot block it.
package readfile

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrTooLarge reports a file or stream larger than the limit it is read
// with.
var ErrTooLarge = errors.New("larger than the limit")

// Regular reads the regular file at path, of at most limit bytes. A file
// that is not regular (a FIFO, a device, a directory) is refused without
// being opened for reading, since opening a FIFO blocks until a writer
// comes; the file is opened non-blocking and checked again through its
// descriptor, so a FIFO swapped in between cannot block either.
func Regular(path string, limit int64) ([]byte, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, unwrap(err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s)", Describe(fi.Mode()))
	}
	if fi.Size() > limit {
		return nil, fmt.Errorf("file is %d bytes, %w of %d bytes", fi.Size(), ErrTooLarge, limit)
	}
	f, err := openNonBlocking(path)
	if err != nil {
		return nil, unwrap(err)
	}
	defer f.Close()
	if fi, err = f.Stat(); err != nil {
		return nil, unwrap(err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("not a regular file (%s)", Describe(fi.Mode()))
	}
	return Limited(f, limit)
}

// Limited reads r to its end, failing with ErrTooLarge as soon as it has
// read more than limit bytes rather than cutting the input short.
func Limited(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, unwrap(err)
	}
	if int64(len(b)) > limit {
		return nil, fmt.Errorf("input is %w of %d bytes", ErrTooLarge, limit)
	}
	return b, nil
}

// Describe names the kind of a file that is not regular.
func Describe(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	case m&fs.ModeSymlink != 0:
		return "a symbolic link"
	}
	return "an irregular file"
}

func unwrap(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
