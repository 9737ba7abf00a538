package srcpos

import (
	"math/rand/v2"
	"slices"
	"testing"
)

// TestNewLinesStarts checks the line starts against a byte-by-byte count.
func TestNewLinesStarts(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	for _, src := range [][]byte{nil, []byte(""), []byte("\n"), []byte("a"), []byte("a\nb\n"), []byte("\n\n\nx")} {
		checkStarts(t, src)
	}
	for i := 0; i < 500; i++ {
		b := make([]byte, rng.IntN(300))
		for j := range b {
			b[j] = "ab\n\r "[rng.IntN(5)]
		}
		checkStarts(t, b)
	}
}

func checkStarts(t *testing.T, src []byte) {
	t.Helper()
	want := []uint32{0}
	for i, c := range src {
		if c == '\n' {
			want = append(want, uint32(i+1))
		}
	}
	l := NewLines(src)
	if !slices.Equal(l.starts, want) || l.size != len(src) || l.Count() != len(want) {
		t.Fatalf("NewLines(%q): starts %v, want %v", src, l.starts, want)
	}
}
