package gcpace

import (
	"runtime"
	"runtime/debug"
	"testing"
	"time"
)

func TestPercentFor(t *testing.T) {
	const mb = 1 << 20
	tests := []struct {
		live  uint64
		start int
		want  int
	}{
		{0, 100, Percent},        // before the first collection
		{10 * mb, 100, Percent},  // a small run: the heap may grow fourfold
		{Cap / 4, 100, Percent},  // grown fourfold, it just reaches Cap
		{64 * mb, 100, 200},      // grows to Cap: (192-64)/64
		{96 * mb, 100, 100},      // doubled, it reaches Cap
		{80 * mb, 100, 140},      // grows to Cap: (192-80)/80
		{150 * mb, 100, 100},     // would go past Cap even doubled: Go's pace
		{Cap + mb, 100, 100},     // live past Cap: never faster than Go's
		{150 * mb, 50, 50},       // a smaller start setting is the floor
		{150 * mb, 800, Percent}, // a larger one is not: Percent caps it
	}
	for _, tt := range tests {
		if got := percentFor(tt.live, tt.start); got != tt.want {
			t.Errorf("percentFor(%d MiB, %d) = %d, want %d", tt.live/mb, tt.start, got, tt.want)
		}
	}
}

// gcPercent reads the collector's percentage.
func gcPercent() int {
	p := debug.SetGCPercent(100)
	debug.SetGCPercent(p)
	return p
}

// TestHold checks that a hold sets the pace, that it is set again after
// each collection, that overlapping holds end with the last one, and
// that GOGC or GOMEMLIMIT in the environment turns it off.
func TestHold(t *testing.T) {
	before := gcPercent()
	defer debug.SetGCPercent(before)
	debug.SetGCPercent(100)
	env := func(set string) func(string) string {
		return func(k string) string {
			if k == set {
				return "50"
			}
			return ""
		}
	}
	for _, v := range []string{"GOGC", "GOMEMLIMIT"} {
		release := Hold(env(v))
		if got := gcPercent(); got != 100 {
			t.Errorf("with %s set: percent %d, want it left at 100", v, got)
		}
		release()
	}
	first := Hold(env(""))
	second := Hold(env(""))
	if got := gcPercent(); got != Percent {
		t.Errorf("held: percent %d, want %d", got, Percent)
	}
	// Something else changes it: the next collection sets it again.
	debug.SetGCPercent(120)
	deadline := time.Now().Add(10 * time.Second)
	for gcPercent() != Percent {
		if time.Now().After(deadline) {
			t.Fatal("the pace was not set again after a collection")
		}
		runtime.GC()
		time.Sleep(time.Millisecond)
	}
	first()
	first() // a second call does nothing
	if got := gcPercent(); got != Percent {
		t.Errorf("one hold left: percent %d, want %d", got, Percent)
	}
	second()
	if got := gcPercent(); got != 100 {
		t.Errorf("no hold left: percent %d, want 100 back", got)
	}
	runtime.GC()
	time.Sleep(10 * time.Millisecond)
	if got := gcPercent(); got != 100 {
		t.Errorf("a collection after the holds: percent %d, want 100", got)
	}
}
