// Package rewrite holds the edit model shared by every fix: byte-range
// replacements on a file's original bytes. Files are never re-marshalled
// through a TOML or YAML encoder, so that comments, key order, quoting,
// blank lines, line endings and a byte-order mark survive outside the
// edited spans.
package rewrite
