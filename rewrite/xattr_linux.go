package rewrite

import (
	"bytes"
	"errors"
	"fmt"
	"syscall"
)

// copyXattrs copies every extended attribute of src to dst. On Linux POSIX
// ACLs are the attributes system.posix_acl_access and
// system.posix_acl_default, so this keeps them too. The package syscall
// has the calls on Linux, so no dependency is needed for them.
//
// An attribute that cannot be set (a trusted.* attribute without
// CAP_SYS_ADMIN, say) fails the write unless dst already holds the same
// value (security.selinux usually does, from the directory's policy):
// dropping it silently could change who may read the file.
func copyXattrs(src, dst string) error {
	names, err := listXattrs(src)
	if err != nil {
		if errors.Is(err, syscall.ENOTSUP) {
			return nil
		}
		return fmt.Errorf("listing extended attributes: %w", err)
	}
	for _, name := range names {
		val, err := getXattr(src, name)
		if err != nil {
			if errors.Is(err, syscall.ENODATA) {
				continue // removed meanwhile; the late check will see it
			}
			return fmt.Errorf("reading extended attribute %s: %w", name, err)
		}
		if err := syscall.Setxattr(dst, name, val, 0); err != nil {
			if cur, gerr := getXattr(dst, name); gerr == nil && bytes.Equal(cur, val) {
				continue
			}
			return fmt.Errorf("cannot keep extended attribute %s: %w; not rewritten", name, err)
		}
	}
	return nil
}

// listXattrs returns the names of path's extended attributes.
func listXattrs(path string) ([]string, error) {
	buf, err := xattrBuffer(func(b []byte) (int, error) { return syscall.Listxattr(path, b) })
	if err != nil {
		return nil, err
	}
	var names []string
	for _, n := range bytes.Split(buf, []byte{0}) {
		if len(n) > 0 {
			names = append(names, string(n))
		}
	}
	return names, nil
}

func getXattr(path, name string) ([]byte, error) {
	return xattrBuffer(func(b []byte) (int, error) { return syscall.Getxattr(path, name, b) })
}

// xattrBuffer calls get with a buffer large enough for its result: it asks
// for the size first and retries when the value grew in between (ERANGE).
func xattrBuffer(get func([]byte) (int, error)) ([]byte, error) {
	for {
		n, err := get(nil)
		if err != nil {
			return nil, err
		}
		if n == 0 {
			return nil, nil
		}
		buf := make([]byte, n)
		n, err = get(buf)
		if errors.Is(err, syscall.ERANGE) {
			continue
		}
		if err != nil {
			return nil, err
		}
		return buf[:n], nil
	}
}
