// Package gcpace sets the garbage collector's pace for a lint run.
//
// A lint run allocates many times what it keeps: every file is parsed,
// linted and dropped with its host. Go's default (GOGC=100) collects each
// time the heap doubles, which for such a run means a collection every few
// tens of megabytes, each marking what is live and slowing every pointer
// write while it marks. Collecting when the heap has grown fourfold does a
// third of that work. So that the largest runs keep within their memory
// bound, the heap is let grow to four times what is live only while that
// stays under Cap; past it the collector comes back to Go's default pace,
// never faster (a hard limit would make the collector run without pause on
// a run whose live heap exceeds it). The pace is set after each collection
// from the live heap it found, as the Go compiler sets its starting heap:
// the runtime offers no such setting of its own.
package gcpace

import (
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"sync"
)

const (
	// Percent is the collector's percentage (GOGC) while the heap stays
	// under Cap.
	Percent = 300
	// Cap is the heap the pace aims to stay under.
	Cap = 192 << 20
)

var (
	mu      sync.Mutex
	holders int
	percent int // the setting before the first hold
	round   int // counts the first holds, so that a past round's callback stops
	live    = []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
)

// Hold sets the run's pace until the returned function is called, unless
// the user set GOGC or GOMEMLIMIT (getenv reads the environment): their
// setting wins. Holds may overlap, as runs in one process do; the
// setting goes back to what it was when the last one ends.
func Hold(getenv func(string) string) (release func()) {
	if getenv("GOGC") != "" || getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	mu.Lock()
	defer mu.Unlock()
	if holders++; holders == 1 {
		percent = debug.SetGCPercent(Percent)
		round++
		if percent > 0 {
			afterEachGC(round)
		} else {
			debug.SetGCPercent(percent) // collection is off: leave it so
		}
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			mu.Lock()
			defer mu.Unlock()
			if holders--; holders == 0 {
				round++
				debug.SetGCPercent(percent)
			}
		})
	}
}

// afterEachGC sets the pace now and after each collection while the
// holds of round last. A finalizer runs once its object has been found
// unreachable: setting it again on the same object calls it after every
// collection.
func afterEachGC(r int) {
	type token [32]byte // large enough to stay out of the tiny allocator
	var again func(*token)
	again = func(t *token) {
		mu.Lock()
		defer mu.Unlock()
		if round != r {
			return
		}
		pace()
		runtime.SetFinalizer(t, again)
	}
	pace()
	runtime.SetFinalizer(new(token), again)
}

// pace sets the percentage for the live heap the last collection found.
// Called with mu held.
func pace() {
	metrics.Read(live)
	l := uint64(0)
	if live[0].Value.Kind() == metrics.KindUint64 {
		l = live[0].Value.Uint64()
	}
	debug.SetGCPercent(percentFor(l, percent))
}

// percentFor returns the percentage for a live heap of l bytes: Percent
// while the heap it lets grow stays under Cap, less past it, down to
// start, the setting the run started with (Go's default, 100, unless
// GOGC said less).
func percentFor(l uint64, start int) int {
	floor := min(start, Percent)
	if l == 0 || l*(100+Percent)/100 <= Cap {
		return Percent
	}
	if l >= Cap {
		return floor
	}
	return max(int((Cap-l)*100/l), floor)
}
