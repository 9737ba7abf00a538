package fleet

import "unique"

// The model of a large fleet repeats a few strings in every install: the
// logical keys of settings, their values (8280, 0.0.0.0), the keys and
// names of EI Analytics listeners, the notes of absent internal API
// listeners, the protocols of internal APIs. Building them for each
// install made them a sizeable share of the memory a run of 100,000
// installs holds, so the model keeps one copy of each.

// intern returns a copy of s that is shared with every other intern(s),
// and that is never a window on a larger string (a file's text): the
// unique package clones a string it has not seen, and drops it once no
// handle or value refers to it, so a long-lived language server's table
// stays as small as what it holds.
func intern(s string) string {
	return unique.Make(s).Value()
}
