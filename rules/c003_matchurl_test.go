package rules

import (
	"math/rand/v2"
	"testing"
)

// TestMatchURL checks the hand-written matcher against urlRe on chosen
// and random strings.
func TestMatchURL(t *testing.T) {
	cases := []string{"tcp://localhost:7612", "ssl://[::1]:7712/x", "https://h:9743/dashboard/api/", "tcp://h:7612?x", "tcp://h:7612#f",
		"tcp://h:", "tcp://h", "tcp://:1", "1tcp://h:1", "t+.-1://h:2", "tcp:/h:1", "tcp://[::1:7", "tcp://[a/b]:1", "tcp://a[b:1",
		"tcp://h:12x", "tcp://h:12/", "", "tcp://h:1 ", "TCP://H:0", "a://b:c:1", "a://b?:1"}
	rng := rand.New(rand.NewPCG(3, 4))
	const alphabet = "aZ0:/[]?#.+-9 "
	for i := 0; i < 20000; i++ {
		b := []byte("tcp://")
		if rng.IntN(4) == 0 {
			b = nil
		}
		for n := rng.IntN(14); n > 0; n-- {
			b = append(b, alphabet[rng.IntN(len(alphabet))])
		}
		cases = append(cases, string(b))
	}
	for _, s := range cases {
		want := urlRe.FindStringSubmatchIndex(s)
		got, ok := matchURL(s)
		if (want != nil) != ok {
			t.Fatalf("%q: regexp match %v, matchURL %v", s, want != nil, ok)
		}
		if ok {
			for i := range got {
				if got[i] != want[i] {
					t.Fatalf("%q: regexp %v, matchURL %v", s, want, got)
				}
			}
		}
	}
}
