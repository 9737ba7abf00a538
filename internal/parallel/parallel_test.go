package parallel

import (
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
)

func TestFor(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 4} {
		runtime.GOMAXPROCS(procs)
		var calls [100]atomic.Int32
		For(len(calls), func(i int) { calls[i].Add(1) })
		for i := range calls {
			if n := calls[i].Load(); n != 1 {
				t.Errorf("GOMAXPROCS %d: f(%d) called %d times, want once", procs, i, n)
			}
		}
	}
}

// TestForPanic checks that a worker's panic reaches the caller, naming
// the worker's stack.
func TestForPanic(t *testing.T) {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(4))
	defer func() {
		p := recover()
		if s, ok := p.(string); !ok || !strings.Contains(s, "boom") || !strings.Contains(s, "goroutine") {
			t.Errorf("recovered %v, want the worker's panic with its stack", p)
		}
	}()
	For(10, func(i int) {
		if i == 7 {
			panic("boom")
		}
	})
	t.Error("For returned after a worker panicked")
}
