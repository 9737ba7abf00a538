//go:build !unix

package rewrite

import (
	"fmt"
	"io/fs"
	"os"
)

// keepMetadata keeps the permission bits where files have no Unix owner
// and no extended attributes that Go can copy.
func keepMetadata(tmp *os.File, _ string, like fs.FileInfo) error {
	if err := fsys.Chmod(tmp, like.Mode().Perm()); err != nil {
		return fmt.Errorf("setting mode of temporary file: %w", err)
	}
	return nil
}

func newFileMode() fs.FileMode { return 0o666 }

func statIdentity(fs.FileInfo) (dev, ino uint64, ctime int64, ok bool) { return 0, 0, 0, false }

func linkCount(fs.FileInfo) uint64 { return 1 }

func checkOwner(string, fs.FileInfo) error { return nil }

func dirWritable(string) error { return nil }

// probeWritable opens target for writing, without truncating it, and
// closes it.
func probeWritable(target string) error {
	f, err := os.OpenFile(target, os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	return f.Close()
}

// syncDir does nothing: Windows cannot fsync a directory handle, and
// makes renames durable itself.
func syncDir(string) error { return nil }

// openTemp is os.CreateTemp.
func openTemp(dir, pattern string) (*os.File, error) { return os.CreateTemp(dir, pattern) }
