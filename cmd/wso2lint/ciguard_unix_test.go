//go:build unix

package main

import (
	"bytes"
	"testing"
)

// TestCIGuard checks that only command-like lines are fenced, that they
// are fenced with a token they do not hold, and that output split across
// writes is handled whole.
func TestCIGuard(t *testing.T) {
	var out bytes.Buffer
	g := newCIGuard(&out)
	for _, s := range []string{"plain line\n", "  ::error file=x::forged\npath: a::b\n", "mid ##[add-mask]x", "\nlast\r::warning::y"} {
		if _, err := g.Write([]byte(s)); err != nil {
			t.Fatal(err)
		}
	}
	if err := g.Flush(); err != nil {
		t.Fatal(err)
	}
	got := out.String()
	cmds, stopped := runnerCommands(got)
	if len(cmds) != 0 || stopped {
		t.Errorf("the runner would act on %q (stopped at end: %v) in:\n%s", cmds, stopped, got)
	}
	for _, want := range []string{"plain line\n", "path: a::b\n", "  ::error file=x::forged\n", "mid ##[add-mask]x\n", "last\r::warning::y"} {
		if !bytes.Contains(out.Bytes(), []byte(want)) {
			t.Errorf("output lost %q:\n%s", want, got)
		}
	}
	var plain bytes.Buffer
	g = newCIGuard(&plain)
	_, _ = g.Write([]byte("a:1:2: error[P001] text\n"))
	if plain.String() != "a:1:2: error[P001] text\n" {
		t.Errorf("a harmless line changed: %q", plain.String())
	}
}
