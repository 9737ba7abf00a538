//go:build unix

package rewrite

import (
	"errors"
	"io/fs"
	"os"
	"syscall"
)

// keepOwner gives the temporary file the original's owner and group. A
// fix run as root would otherwise leave a root-owned config that a WSO2
// service account can no longer read. Without the privilege to chown
// (EPERM), the file keeps the writer's identity, as any editor would.
func keepOwner(tmp *os.File, info fs.FileInfo) error {
	st, ok := info.Sys().(*syscall.Stat_t)
	if !ok {
		return nil
	}
	if err := tmp.Chown(int(st.Uid), int(st.Gid)); err != nil && !errors.Is(err, syscall.EPERM) {
		return err
	}
	return nil
}
