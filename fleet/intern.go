package fleet

import "sync"

// The model of a large fleet repeats a few strings in every install: the
// logical keys of settings, their values (8280, 0.0.0.0), the keys and
// names of EI Analytics listeners, the notes of absent internal API
// listeners, the protocols of internal APIs. Building them
// for each install made them a sizeable share of the memory a run of
// 100,000 installs holds, so the model keeps one copy of each.

// internLimit bounds the table: the strings interned are a small
// vocabulary in any real fleet, and a run (or a long-lived language
// server) that meets more than this just stops sharing the new ones.
const internLimit = 4096

var interned struct {
	sync.Mutex
	m map[string]string
}

// intern returns a copy of s that is shared with every other intern(s),
// and that is never a window on a larger string (a file's text).
func intern(s string) string {
	interned.Lock()
	defer interned.Unlock()
	if v, ok := interned.m[s]; ok {
		return v
	}
	if interned.m == nil {
		interned.m = map[string]string{}
	}
	c := string([]byte(s)) // a copy of its own, not a window on s's backing array
	if len(interned.m) < internLimit {
		interned.m[c] = c
	}
	return c
}
