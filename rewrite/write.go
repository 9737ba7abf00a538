package rewrite

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// ErrChanged reports that a file no longer holds the bytes a fix was
// computed from. Writing anyway would silently discard whatever changed it
// (an operator's edit, a deployment), so WriteFile leaves the file alone.
var ErrChanged = errors.New("file changed on disk since it was read; not overwritten")

// ErrSymlinkOutside reports a symbolic link whose target lies outside every
// root being linted. Following it would let a fix rewrite a file the user
// never asked wso2lint to touch.
var ErrSymlinkOutside = errors.New("symbolic link points outside the linted paths; not followed")

// fileSystem is the set of file operations WriteFile performs. It exists so
// that tests can inject failures (a full disk, a failed rename or fsync, a
// file edited mid-run) into the exact step they want to exercise; production
// code always uses osFS.
type fileSystem interface {
	CreateTemp(dir, pattern string) (*os.File, error)
	Write(f *os.File, b []byte) (int, error)
	Sync(f *os.File) error
	Chmod(f *os.File, mode fs.FileMode) error
	Close(f *os.File) error
	ReadFile(name string) ([]byte, error)
	Rename(oldpath, newpath string) error
	Remove(name string) error
	SyncDir(dir string) error
}

// fsys is the fileSystem WriteFile uses; tests replace it to inject faults.
var fsys fileSystem = osFS{}

// osFS is the real fileSystem, a thin layer over package os.
type osFS struct{}

func (osFS) CreateTemp(dir, pattern string) (*os.File, error) { return os.CreateTemp(dir, pattern) }
func (osFS) Write(f *os.File, b []byte) (int, error)          { return f.Write(b) }
func (osFS) Sync(f *os.File) error                            { return f.Sync() }
func (osFS) Chmod(f *os.File, mode fs.FileMode) error         { return f.Chmod(mode) }
func (osFS) Close(f *os.File) error                           { return f.Close() }
func (osFS) ReadFile(name string) ([]byte, error)             { return os.ReadFile(name) }
func (osFS) Rename(oldpath, newpath string) error             { return os.Rename(oldpath, newpath) }
func (osFS) Remove(name string) error                         { return os.Remove(name) }

// SyncDir fsyncs a directory so that a rename inside it survives a crash:
// without it the new directory entry may still be only in memory. Windows
// cannot fsync a directory handle (and makes renames durable itself), so the
// step is skipped there.
func (osFS) SyncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	if err := d.Sync(); err != nil {
		_ = d.Close()
		return err
	}
	return d.Close()
}

// WriteFile replaces the file at path with content, atomically: it writes a
// temporary file in the same directory, fsyncs it, keeps the original's
// permission bits, renames it over the original and fsyncs the directory.
// A reader therefore sees either the old or the new file, never a torn one,
// and a crash cannot leave an empty or half-written production config.
//
// original is the content the caller read (and computed the fix from): if the
// file on disk no longer has exactly that content, nothing is written and
// ErrChanged is returned. The content is checked once up front and again
// right before the rename, which shrinks (but cannot close) the window in
// which another writer's change could be lost.
//
// A symbolic link is written through to its target only when the target
// (fully resolved) lies under one of roots; otherwise ErrSymlinkOutside. The
// target is replaced, not the link, so the link stays a link. Roots are
// resolved too, so a root reached through a symlinked directory still
// matches.
//
// A file without any write permission bit is refused with a permission
// error: rename only needs a writable directory, so without this check a
// read-only file would be replaced silently, even when running as root.
//
// No temporary file is left behind on any error path. An error from the
// final directory fsync is returned even though the file has already been
// replaced, because the change may not yet be durable.
func WriteFile(path string, original, content []byte, roots []string) error {
	target, info, err := preflight(path, original, roots)
	if err != nil {
		return err
	}

	dir := filepath.Dir(target)
	tmp, err := fsys.CreateTemp(dir, "."+filepath.Base(target)+".wso2lint-*")
	if err != nil {
		return fmt.Errorf("%s: creating temporary file: %w", path, err)
	}
	tmpName := tmp.Name()
	renamed := false
	closed := false
	defer func() {
		if renamed {
			return
		}
		if !closed {
			_ = fsys.Close(tmp)
		}
		// Best effort: the error being returned already explains the
		// failure, and a Remove error would only hide it.
		_ = fsys.Remove(tmpName)
	}()

	if _, err := fsys.Write(tmp, content); err != nil {
		return fmt.Errorf("%s: writing temporary file: %w", path, err)
	}
	// Chmod before the rename so the file never appears with CreateTemp's
	// 0600, which would lock out a service account that reads it by group.
	if err := fsys.Chmod(tmp, info.Mode().Perm()); err != nil {
		return fmt.Errorf("%s: setting mode of temporary file: %w", path, err)
	}
	if err := keepOwner(tmp, info); err != nil {
		return fmt.Errorf("%s: setting owner of temporary file: %w", path, err)
	}
	if err := fsys.Sync(tmp); err != nil {
		return fmt.Errorf("%s: syncing temporary file: %w", path, err)
	}
	closed = true
	if err := fsys.Close(tmp); err != nil {
		return fmt.Errorf("%s: closing temporary file: %w", path, err)
	}
	if err := checkUnchanged(path, target, original); err != nil {
		return err
	}
	if err := fsys.Rename(tmpName, target); err != nil {
		return fmt.Errorf("%s: replacing file: %w", path, err)
	}
	renamed = true
	if err := fsys.SyncDir(dir); err != nil {
		return fmt.Errorf("%s: file replaced, but syncing directory %s failed: %w", path, dir, err)
	}
	return nil
}

// CheckWritable reports the error WriteFile would refuse path with before
// writing anything: a symbolic link leading outside roots, a file that is
// not regular, read-only or not writable, or one that no longer holds
// original. A caller that writes several files checks them all first, so
// that a fix spanning files is written whole or not at all, short of an
// I/O error while writing.
func CheckWritable(path string, original []byte, roots []string) error {
	_, _, err := preflight(path, original, roots)
	return err
}

// preflight makes WriteFile's checks and returns the file to replace and its
// mode.
func preflight(path string, original []byte, roots []string) (string, fs.FileInfo, error) {
	target, err := resolveTarget(path, roots)
	if err != nil {
		return "", nil, err
	}
	info, err := os.Stat(target)
	if err != nil {
		return "", nil, err
	}
	if !info.Mode().IsRegular() {
		return "", nil, fmt.Errorf("%s: not a regular file; not rewritten", path)
	}
	if err := checkWritable(path, target, info); err != nil {
		return "", nil, err
	}
	if err := checkUnchanged(path, target, original); err != nil {
		return "", nil, err
	}
	return target, info, nil
}

// resolveTarget returns the file WriteFile must replace: path itself, or the
// fully resolved target when path is a symbolic link. A link is followed only
// into one of roots, so a fix cannot escape the tree being linted; a dangling
// link is an error because there is nothing to fix.
func resolveTarget(path string, roots []string) (string, error) {
	li, err := os.Lstat(path)
	if err != nil {
		return "", err
	}
	if li.Mode()&fs.ModeSymlink == 0 {
		return path, nil
	}
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return "", fmt.Errorf("%s: resolving symbolic link: %w", path, err)
	}
	target, err = filepath.Abs(target)
	if err != nil {
		return "", fmt.Errorf("%s: resolving symbolic link: %w", path, err)
	}
	for _, root := range roots {
		if within(target, resolveRoot(root)) {
			return target, nil
		}
	}
	return "", fmt.Errorf("%s -> %s: %w", path, target, ErrSymlinkOutside)
}

// resolveRoot makes root absolute with its own symlinks resolved, so that it
// compares equal to resolved targets. A root that cannot be resolved is used
// as written (made absolute); it then simply matches fewer targets.
//
// A root that is not a directory is resolved only up to its last element:
// a symbolic link named as a root stands for itself, not for the file it
// points to, or every link named on the command line would vouch for its
// own target, wherever that lies.
func resolveRoot(root string) string {
	if r, err := filepath.Abs(root); err == nil {
		root = r
	}
	root = filepath.Clean(root)
	if fi, err := os.Stat(root); err != nil || !fi.IsDir() {
		dir, name := filepath.Split(root)
		if d, err := filepath.EvalSymlinks(dir); err == nil {
			return filepath.Join(d, name)
		}
		return root
	}
	if r, err := filepath.EvalSymlinks(root); err == nil {
		root = r
	}
	return root
}

// within reports whether target is root or lies below it. It compares whole
// path elements, so /etc/wso2-other is not within /etc/wso2.
func within(target, root string) bool {
	rel, err := filepath.Rel(root, target)
	if err != nil {
		return false
	}
	return rel == "." || (rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel))
}

// checkWritable refuses a file that is not writable. The mode bits are
// checked first because root bypasses permission checks, so an open test
// alone would let root replace a file someone deliberately made read-only;
// the open test then catches ownership and ACLs that deny us write access.
// The open does not truncate, so it cannot change the file.
func checkWritable(path, target string, info fs.FileInfo) error {
	if info.Mode().Perm()&0o222 == 0 {
		return fmt.Errorf("%s: file is read-only (mode %v): %w", path, info.Mode().Perm(), fs.ErrPermission)
	}
	f, err := os.OpenFile(target, os.O_WRONLY, 0)
	if err != nil {
		return fmt.Errorf("%s: file is not writable: %w", path, err)
	}
	return f.Close()
}

// checkUnchanged returns ErrChanged unless target still holds exactly
// original.
func checkUnchanged(path, target string, original []byte) error {
	cur, err := fsys.ReadFile(target)
	if err != nil {
		return fmt.Errorf("%s: re-reading file: %w", path, err)
	}
	if !bytes.Equal(cur, original) {
		return fmt.Errorf("%s: %w", path, ErrChanged)
	}
	return nil
}
