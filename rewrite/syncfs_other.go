//go:build !linux

package rewrite

import "errors"

// syncFS is Linux's syncfs(2), which other systems do not have.
func syncFS(int) error { return errors.ErrUnsupported }

// syncFSReportsErrors is false: there is no syncfs to report them.
const syncFSReportsErrors = false

// openFS fails: there is no syncfs to use what it would open.
func openFS(string) (int, error) { return -1, errors.ErrUnsupported }

func closeFS(int) {}
