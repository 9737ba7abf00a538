//go:build linux && !amd64 && !386

package rewrite

import "syscall"

const sysSyncfs = syscall.SYS_SYNCFS
