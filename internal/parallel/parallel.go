// Package parallel runs independent pieces of work on every processor.
package parallel

import (
	"fmt"
	"runtime"
	"runtime/debug"
	"sync"
	"sync/atomic"
)

// For calls f(0), ..., f(n-1) on GOMAXPROCS workers and returns when all
// have returned. A panic in f is raised again in the caller, with the
// worker's stack, where the command's recover reports it: a panic on a
// goroutine of its own would end the process with Go's exit status.
func For(n int, f func(i int)) {
	ForWorkers(runtime.GOMAXPROCS(0), n, f)
}

// ForWorkers is For on the given number of workers: more than there are
// processors for work that mostly waits (on the disk, say).
func ForWorkers(workers, n int, f func(i int)) {
	workers = min(workers, n)
	if workers <= 1 {
		for i := range n {
			f(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	var once sync.Once
	var crash any
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					once.Do(func() { crash = fmt.Sprintf("%v\n%s", p, debug.Stack()) })
				}
			}()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				f(i)
			}
		}()
	}
	wg.Wait()
	if crash != nil {
		panic(crash)
	}
}
