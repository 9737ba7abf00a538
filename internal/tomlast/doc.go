// Package tomlast parses TOML into a flat, position-keeping syntax tree that
// the lint rules and the fixer can share.
//
// The linter reports findings at exact byte positions and fixes files by
// splicing bytes: it never re-marshals a file. Decoding into
// maps or structs loses the positions, comments and quoting it needs, so this
// package wraps the low-level parser of github.com/pelletier/go-toml/v2
// (package unstable) instead. That package is explicitly not covered by
// go-toml's compatibility promise, so this is the only place in the project
// allowed to import it: if it changes, only this package has to follow.
//
// On top of go-toml's tree this package adds what it lacks:
//
//   - exact spans for table headers, arrays and inline tables, which go-toml
//     leaves empty or truncated, recovered by scanning the bytes;
//   - the physical line(s) of every key/value, so that a fix can delete one;
//   - the logical path of every key, the enclosing table and the index of
//     each [[array table]] element;
//   - every duplicate key and redefined table, with every occurrence, where
//     go-toml's decoder stops at the first one and its parser checks none;
//   - a UTF-8 byte-order mark is accepted, with all offsets still relative to
//     the original bytes.
//
// All offsets are byte offsets into Doc.Src; Doc.Lines turns them into 1-based
// lines and byte columns.
package tomlast
