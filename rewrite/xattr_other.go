//go:build !linux

package rewrite

// copyXattrs does nothing outside Linux: the package syscall offers no
// extended-attribute calls there, and the README says so.
func copyXattrs(src, dst string) error { return nil }
