package lazyre

import (
	"strings"
	"testing"
)

func TestLazy(t *testing.T) {
	r := New(`^a(b+)$`)
	if m := r.Re().FindStringSubmatch("abbb"); len(m) != 2 || m[1] != "bbb" {
		t.Errorf("match %q", m)
	}
	if first := r.Re(); r.Re() != first {
		t.Error("compiled twice")
	}
	if r.String() != `^a(b+)$` {
		t.Errorf("String %q", r.String())
	}
	if err := CompileAll(); err != nil {
		t.Fatal(err)
	}
	New(`a(`)
	if err := CompileAll(); err == nil || !strings.Contains(err.Error(), "a(") {
		t.Errorf("a bad expression compiled: %v", err)
	}
}
