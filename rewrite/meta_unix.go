//go:build unix

package rewrite

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// keepMetadata gives the temporary file the original's owner and group,
// extended attributes (POSIX ACLs among them) and mode, setuid, setgid
// and sticky bits included.
//
// The order matters: chown clears the setuid and setgid bits, so it comes
// first; the mode comes last, and since a file's group bits are its ACL
// mask, the chmod leaves the copied ACL exactly as it was.
//
// A file whose owner cannot be kept (a user other than root rewriting a
// file another user owns) is refused rather than handed to the writer: a
// WSO2 service account that reads its config as owner would lose access.
func keepMetadata(tmp *os.File, target string, like fs.FileInfo) error {
	if st, ok := like.Sys().(*syscall.Stat_t); ok {
		if err := tmp.Chown(int(st.Uid), int(st.Gid)); err != nil {
			if errors.Is(err, syscall.EPERM) {
				return fmt.Errorf("cannot keep owner %d:%d (only root or that user can): %w; not rewritten", st.Uid, st.Gid, fs.ErrPermission)
			}
			return fmt.Errorf("setting owner of temporary file: %w", err)
		}
	}
	if err := copyXattrs(target, tmp.Name()); err != nil {
		return err
	}
	if err := fsys.Chmod(tmp, like.Mode()&(fs.ModePerm|fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky)); err != nil {
		return fmt.Errorf("setting mode of temporary file: %w", err)
	}
	return nil
}

// umask is the process's file mode creation mask, read once at start-up
// while no other goroutine can create files.
var umask = func() fs.FileMode {
	m := syscall.Umask(0)
	syscall.Umask(m)
	return fs.FileMode(m)
}()

// newFileMode is the mode a new file gets: 0666 less the umask, as with
// any program that creates a file.
func newFileMode() fs.FileMode { return 0o666 &^ umask }

// statIdentity returns what identifies a file's inode and its last change:
// device, inode and ctime. ctime moves on every write, chmod, chown and
// change of an extended attribute, so a change of metadata alone is seen
// as well as a change of content.
func statIdentity(fi fs.FileInfo) (dev, ino uint64, ctime int64, ok bool) {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok {
		return 0, 0, 0, false
	}
	c, ok := ctimeOf(st)
	return uint64(st.Dev), uint64(st.Ino), c, ok //nolint:unconvert // Dev and Ino are not uint64 everywhere
}

// linkCount returns the number of hard links to the file.
func linkCount(fi fs.FileInfo) uint64 {
	if st, ok := fi.Sys().(*syscall.Stat_t); ok {
		return uint64(st.Nlink) //nolint:unconvert // Nlink is not uint64 everywhere
	}
	return 1
}

// euid and egid are the process's effective user and group, which it
// never changes: asked once, not for every file written.
var euid, egid = os.Geteuid(), os.Getegid()

// checkOwner refuses, before anything is written, a file whose owner or
// group keepMetadata could not give the new file: only root may give a
// file away, and others may only choose among their own groups.
func checkOwner(path string, fi fs.FileInfo) error {
	st, ok := fi.Sys().(*syscall.Stat_t)
	if !ok || euid == 0 {
		return nil
	}
	if int(st.Uid) != euid {
		return fmt.Errorf("%s: file is owned by uid %d, and only root or that user can keep its owner: %w", path, st.Uid, fs.ErrPermission)
	}
	if int(st.Gid) == egid {
		return nil
	}
	groups, _ := os.Getgroups()
	for _, g := range groups {
		if g == int(st.Gid) {
			return nil
		}
	}
	return fmt.Errorf("%s: file's group is gid %d, which this user is not a member of, so its group cannot be kept: %w", path, st.Gid, fs.ErrPermission)
}

// dirWritable reports whether a file can be created in dir, asking the
// kernel (access(2)) so that nothing is created to find out; a read-only
// file system fails it even for root.
func dirWritable(dir string) error {
	return syscall.Access(dir, 2 /* W_OK */)
}

// probeWritable opens target for writing, without truncating it, and
// closes it: whether ownership and ACLs let this process write it. A bare
// descriptor: an *os.File would register with the runtime's poller first.
func probeWritable(target string) error {
	fd, err := syscall.Open(target, syscall.O_WRONLY|syscall.O_CLOEXEC|syscall.O_NONBLOCK, 0)
	if err != nil {
		return &fs.PathError{Op: "open", Path: target, Err: err}
	}
	return syscall.Close(fd)
}

// openDir opens the directory dir for reading, as a bare descriptor.
func openDir(dir string) (int, error) {
	return syscall.Open(dir, syscall.O_RDONLY|syscall.O_DIRECTORY|syscall.O_CLOEXEC, 0)
}

// syncDir fsyncs the directory dir, through a bare descriptor.
func syncDir(dir string) error {
	fd, err := openDir(dir)
	if err != nil {
		return &fs.PathError{Op: "open", Path: dir, Err: err}
	}
	if err := syscall.Fsync(fd); err != nil {
		_ = syscall.Close(fd)
		return &fs.PathError{Op: "sync", Path: dir, Err: err}
	}
	return syscall.Close(fd)
}

// openTemp creates a new file in dir, named by pattern with its last "*"
// replaced by a random number, for reading and writing with mode 0600, as
// os.CreateTemp does, but through a blocking descriptor: os.CreateTemp
// registers the file with the runtime's poller, five system calls more
// for each file --fix writes.
func openTemp(dir, pattern string) (*os.File, error) {
	prefix, suffix := pattern, ""
	if i := strings.LastIndexByte(pattern, '*'); i >= 0 {
		prefix, suffix = pattern[:i], pattern[i+1:]
	}
	for try := 0; ; try++ {
		name := filepath.Join(dir, prefix+strconv.FormatUint(uint64(rand.Uint32()), 10)+suffix)
		fd, err := syscall.Open(name, syscall.O_RDWR|syscall.O_CREAT|syscall.O_EXCL|syscall.O_CLOEXEC, 0o600)
		switch {
		case err == nil:
			return os.NewFile(uintptr(fd), name), nil
		case errors.Is(err, syscall.EINTR), errors.Is(err, syscall.EEXIST) && try < 10000:
			continue
		}
		return nil, &fs.PathError{Op: "createtemp", Path: name, Err: err}
	}
}
