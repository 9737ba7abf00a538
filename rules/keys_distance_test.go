package rules

import (
	"math/rand/v2"
	"testing"
)

// TestEditDistance checks the rolling-row optimal string alignment
// distance against the full matrix.
func TestEditDistance(t *testing.T) {
	full := func(a, b string) int {
		d := make([][]int, len(a)+1)
		for i := range d {
			d[i] = make([]int, len(b)+1)
			d[i][0] = i
		}
		for j := 0; j <= len(b); j++ {
			d[0][j] = j
		}
		for i := 1; i <= len(a); i++ {
			for j := 1; j <= len(b); j++ {
				cost := 1
				if a[i-1] == b[j-1] {
					cost = 0
				}
				d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
				if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
					d[i][j] = min(d[i][j], d[i-2][j-2]+1)
				}
			}
		}
		return d[len(a)][len(b)]
	}
	rng := rand.New(rand.NewPCG(5, 6))
	words := []string{"", "port", "prot", "offset", "ofset", "listenerport", "listener.port", "internal_http_api_port", "ab", "ba", "abc", "ca"}
	for i := 0; i < 5000; i++ {
		a, b := words[rng.IntN(len(words))], words[rng.IntN(len(words))]
		if rng.IntN(2) == 0 {
			a = string([]byte{byte('a' + rng.IntN(3)), byte('a' + rng.IntN(3)), byte('a' + rng.IntN(3))})[:rng.IntN(4)]
		}
		if got, want := editDistance(a, b), full(a, b); got != want {
			t.Fatalf("editDistance(%q, %q) = %d, want %d", a, b, got, want)
		}
	}
}
