package rewrite

import "syscall"

// ctimeOf returns a file's change time in nanoseconds.
func ctimeOf(st *syscall.Stat_t) (int64, bool) { return st.Ctim.Nano(), true }
