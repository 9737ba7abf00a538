package rewrite

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// The files the tool produces (reports, baselines, the GitHub step
// summary) go through the same atomic replacement as the config files it
// fixes: a run killed or out of disk space half-way through leaves the
// previous file whole, with the hand-written reasons of a baseline intact.

// outputTarget is where an output file is written.
type outputTarget struct {
	// path is the file to replace or create, symbolic links resolved.
	path string
	// info is its current state, nil when it does not exist yet.
	info fs.FileInfo
	// direct is set for a character device or a named pipe
	// (/dev/stdout, /dev/null, a FIFO a reader waits on), where there is
	// no file to keep whole, for the file behind one of the process's
	// descriptors (/dev/fd/3), which the shell opened and replacing would
	// empty, and for a step summary appended to in place (resolveAppend):
	// all are written to as they are.
	direct bool
}

// CheckOutput reports, before anything is written, the error WriteOutput
// or AppendOutput would fail with for reasons known up front: an empty
// path, a missing or read-only directory, a directory or socket in the
// file's place, a symbolic link loop, a read-only file, one with several
// hard links or one whose owner cannot be kept.
func CheckOutput(path string) error {
	_, err := resolveOutput(path)
	return err
}

func resolveOutput(path string) (outputTarget, error) {
	if path == "" {
		return outputTarget{}, errors.New("empty file name")
	}
	// /dev/stdout and /proc/self/fd/N lead to a pipe or terminal through
	// links no path can follow, so the file reached is asked about first.
	// A descriptor's file is written as a stream even when it is a
	// regular file: the shell opened it (perhaps with >>), and replacing
	// it would discard what it held.
	if fi, err := os.Stat(path); err == nil && (fi.Mode()&(fs.ModeCharDevice|fs.ModeNamedPipe) != 0 || (fdPath(path) && fi.Mode().IsRegular())) {
		return outputTarget{path: path, info: fi, direct: true}, nil
	}
	target, err := linkTarget(path)
	if err != nil {
		return outputTarget{}, err
	}
	fi, err := os.Stat(target)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		dir := filepath.Dir(target)
		di, err := os.Stat(dir)
		if err != nil {
			return outputTarget{}, fmt.Errorf("%s: directory %s: %w", path, dir, unwrapPath(err))
		}
		if !di.IsDir() {
			return outputTarget{}, fmt.Errorf("%s: %s is not a directory", path, dir)
		}
		if err := dirWritable(dir); err != nil {
			return outputTarget{}, fmt.Errorf("%s: cannot create a file in %s: %w", path, dir, err)
		}
		return outputTarget{path: target}, nil
	case err != nil:
		return outputTarget{}, fmt.Errorf("%s: %w", path, unwrapPath(err))
	}
	m := fi.Mode()
	switch {
	case m.IsRegular():
	case m.IsDir():
		return outputTarget{}, fmt.Errorf("%s: is a directory", path)
	default:
		return outputTarget{}, fmt.Errorf("%s: not a regular file (%v)", path, m.Type())
	}
	if err := checkWritable(path, target, fi); err != nil {
		return outputTarget{}, err
	}
	if err := checkOwner(path, fi); err != nil {
		return outputTarget{}, err
	}
	if n := linkCount(fi); n > 1 {
		return outputTarget{}, fmt.Errorf("%s: file has %d hard links, and replacing it would give the new content to this name only", path, n)
	}
	if err := dirWritable(filepath.Dir(target)); err != nil {
		return outputTarget{}, fmt.Errorf("%s: cannot create a file in %s: %w", path, filepath.Dir(target), err)
	}
	return outputTarget{path: target, info: fi}, nil
}

// fdPath reports whether path names one of the process's descriptors.
func fdPath(path string) bool {
	path = filepath.ToSlash(filepath.Clean(path))
	switch path {
	case "/dev/stdout", "/dev/stderr":
		return true
	}
	return strings.HasPrefix(path, "/dev/fd/") || strings.HasPrefix(path, "/proc/self/fd/")
}

// linkTarget follows symbolic links from path to the file they name,
// which need not exist yet: a report written through a link to a missing
// file creates that file, as a shell redirection would, and the link
// stays a link.
func linkTarget(path string) (string, error) {
	for range 64 {
		li, err := os.Lstat(path)
		if err != nil || li.Mode()&fs.ModeSymlink == 0 {
			return path, nil
		}
		to, err := os.Readlink(path)
		if err != nil {
			return "", fmt.Errorf("%s: reading symbolic link: %w", path, unwrapPath(err))
		}
		if !filepath.IsAbs(to) {
			to = filepath.Join(filepath.Dir(path), to)
		}
		path = to
	}
	return "", fmt.Errorf("%s: too many levels of symbolic links", path)
}

// WriteOutput replaces or creates the file at path with content,
// atomically (see WriteFile), keeping an existing file's metadata. A
// symbolic link is followed and its target replaced; a character device
// or named pipe is written to directly.
func WriteOutput(path string, content []byte) error {
	t, err := resolveOutput(path)
	if err != nil {
		return err
	}
	if t.direct {
		flag := os.O_WRONLY | os.O_TRUNC
		if t.info.Mode().IsRegular() {
			flag = os.O_WRONLY | os.O_APPEND
		}
		return writeDirect(path, t.path, content, flag)
	}
	return replace(path, replacement{target: t.path, like: t.info}, content)
}

// CheckAppend is CheckOutput for AppendOutput, which can also append in
// place to a file it cannot replace.
func CheckAppend(path string) error {
	_, err := resolveAppend(path)
	return err
}

// resolveAppend is resolveOutput, except that an existing regular file
// that cannot be replaced (its directory is not writable by this user, or
// its owner could not be kept) but can be written is appended to in place:
// GitHub's runner creates the step summary for the user it runs as, and a
// container job may run as another. An append in place never rewrites
// what the file held; at worst the new text is cut short.
func resolveAppend(path string) (outputTarget, error) {
	t, err := resolveOutput(path)
	if err == nil {
		return t, nil
	}
	target, lerr := linkTarget(path)
	if lerr != nil {
		return outputTarget{}, err
	}
	fi, serr := os.Stat(target)
	if serr != nil || !fi.Mode().IsRegular() || fi.Mode().Perm()&0o222 == 0 {
		return outputTarget{}, err
	}
	f, oerr := os.OpenFile(target, os.O_WRONLY|os.O_APPEND, 0)
	if oerr != nil {
		return outputTarget{}, err
	}
	_ = f.Close()
	return outputTarget{path: target, info: fi, direct: true}, nil
}

// AppendOutput adds content to the end of the file at path (created when
// missing) by writing the old content and the new one to a temporary file
// and renaming it over the old: GitHub's step summary is appended to, and
// a full disk must not leave it cut off. The old content is read up to
// limit bytes; a longer file is an error. A file that changes while this
// runs is left alone (ErrChanged). A file that cannot be replaced but can
// be written is appended to in place (see resolveAppend).
func AppendOutput(path string, content []byte, limit int64) error {
	t, err := resolveAppend(path)
	if err != nil {
		return err
	}
	if t.direct {
		return writeDirect(path, t.path, content, os.O_WRONLY|os.O_APPEND)
	}
	var old []byte
	if t.info != nil {
		if t.info.Size() > limit {
			return fmt.Errorf("%s: file is %d bytes, more than the %d this appends to", path, t.info.Size(), limit)
		}
		f, err := os.Open(t.path)
		if err != nil {
			return fmt.Errorf("%s: %w", path, unwrapPath(err))
		}
		old, err = io.ReadAll(io.LimitReader(f, limit+1))
		_ = f.Close()
		if err != nil {
			return fmt.Errorf("%s: reading: %w", path, err)
		}
		if int64(len(old)) != t.info.Size() {
			return fmt.Errorf("%s: %w", path, ErrChanged)
		}
	}
	all := append(old[:len(old):len(old)], content...)
	return replace(path, replacement{target: t.path, like: t.info, verify: func() error {
		now, err := os.Stat(t.path)
		if t.info == nil {
			if err == nil {
				return fmt.Errorf("%s: %w", path, ErrChanged)
			}
			return nil
		}
		if err != nil || !sameVersion(t.info, now) {
			return fmt.Errorf("%s: %w", path, ErrChanged)
		}
		return nil
	}}, all)
}

// writeDirect writes to a character device or named pipe.
func writeDirect(display, path string, content []byte, flag int) error {
	f, err := os.OpenFile(path, flag, 0)
	if err != nil {
		return fmt.Errorf("%s: %w", display, unwrapPath(err))
	}
	if _, err := f.Write(content); err != nil {
		_ = f.Close()
		return fmt.Errorf("%s: %w", display, unwrapPath(err))
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("%s: %w", display, unwrapPath(err))
	}
	return nil
}

// unwrapPath drops the operation and path of an *fs.PathError, which the
// messages here name already.
func unwrapPath(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
