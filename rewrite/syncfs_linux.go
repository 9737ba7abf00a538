package rewrite

import "syscall"

// syncFS syncs the whole file system the descriptor fd is on (syncfs(2)):
// every dirty file and directory written to it, and the disk's cache
// flushed once.
func syncFS(fd int) error {
	for {
		_, _, errno := syscall.Syscall(sysSyncfs, uintptr(fd), 0, 0)
		switch errno {
		case 0:
			return nil
		case syscall.EINTR:
			continue
		}
		return errno
	}
}

// syncFSReportsErrors is whether syncfs(2) reports the write-back errors
// met since the descriptor it is given was opened: Linux does from 5.8
// on, and an older kernel returns success whatever failed.
var syncFSReportsErrors = func() bool {
	var u syscall.Utsname
	if syscall.Uname(&u) != nil {
		return false
	}
	var b []byte
	for _, c := range u.Release {
		if c == 0 {
			break
		}
		b = append(b, byte(c))
	}
	major, minor, ok := kernelVersion(string(b))
	return ok && (major > 5 || major == 5 && minor >= 8)
}()

// openFS opens a directory to sync its file system through.
func openFS(dir string) (int, error) { return openDir(dir) }

// closeFS closes what openFS opened.
func closeFS(fd int) { _ = syscall.Close(fd) }
