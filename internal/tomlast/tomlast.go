package tomlast

import (
	"bytes"
	"fmt"
	"hash/maphash"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/wso2lint/wso2lint/internal/srcpos"
)

// Doc is a parsed TOML file with exact byte positions. It is flat on purpose:
// rules mostly ask "where is key X" or "what is in table Y", and a fix needs
// spans rather than a nested value tree.
type Doc struct {
	// Src is the slice given to Parse, BOM included if present, so that every
	// span indexes it directly and edits apply to the original bytes.
	Src []byte
	// Lines converts the offsets of this file into line/column positions.
	Lines *srcpos.Lines
	// Tables holds every [table] and [[array table]] header in file order.
	Tables []*Table
	// Entries holds every key/value in file order. The fields of an inline
	// table follow their parent entry (with Inline set), depth first, so that
	// a lookup by logical path also finds keys written inside inline tables.
	// Inline tables that are array elements are not flattened here, since
	// their keys have no path of their own; see Value.Fields.
	Entries []*Entry
	// Comments holds every comment in file order, including those inside
	// multi-line arrays and inline tables, for inline suppressions.
	Comments []Comment
	// Duplicates holds every key or table defined more than once. They are
	// not parse errors, so that one duplicate does not hide the rest of the
	// file from the other rules; the order is that in which the second
	// occurrence of each was met.
	Duplicates []Duplicate

	// firsts counts the calls of First; past firstIndexAfter, First
	// answers from byPath, Entries indexed by path once.
	firsts    atomic.Int32
	indexOnce sync.Once
	byPath    pathIndex
}

// firstIndexAfter is how many calls of First a document answers by
// scanning its entries before it indexes them. Building the fleet model
// asks a file some thirty keys, once, which scans answer sooner than an
// index is built; the fix loop builds the model of a host's files again
// for each set of fixes it judges, and those files are indexed.
const firstIndexAfter = 64

// Table is one [table] or [[array table]] header. Keys that follow it up to
// the next header belong to it.
type Table struct {
	// Path is the header's logical path with quotes and escapes removed:
	// [a."b.c"] has the path ["a", "b.c"].
	Path []string
	// Header spans exactly "[a.b]" or "[[a.b]]" as written, brackets and
	// inner spaces included, so that a finding can underline the header and
	// a fix can rewrite it.
	Header srcpos.Span
	// Keys are the header's parts as written, one per dotted part.
	Keys []KeyPart
	// Array is true for a [[array table]] header.
	Array bool
	// Index is the 0-based number of earlier [[array table]] headers with
	// the same path, which tells the elements of an array of tables apart;
	// it is -1 for a plain table.
	Index int
	// BodyEnd is the offset just past the line break of the table's last
	// key/value line (or of the header line when the table has no entries).
	// A fix inserts a new key there so that it lands inside this table,
	// before any comments or blank lines that precede the next header. When
	// that line is the last of a file without a final newline, BodyEnd is
	// len(Src) and the new key must be preceded by a line break.
	BodyEnd int
}

// KeyPart is one part of a dotted key as written.
type KeyPart struct {
	// Name is the part with quotes and escapes removed.
	Name string
	// Span covers the part as written, quotes included.
	Span srcpos.Span
	// Quoted is true for a basic or literal quoted part. A quoted part may
	// contain dots, which matters for rules that spot dotted-key misuse.
	Quoted bool
}

// Entry is one key/value, either at the top level of a table or inside an
// inline table.
type Entry struct {
	// Table is the header the entry belongs to, nil for the root table.
	Table *Table
	// Path is the full logical path: the table's path, the keys of any
	// enclosing inline tables, then this entry's key parts. It does not
	// contain array-table indexes; use Table.Index for those.
	Path []string
	// Key holds the key parts as written in this key/value (more than one
	// for a dotted key).
	Key []KeyPart
	// KeySpan runs from the start of the first key part to the end of the
	// last one.
	KeySpan srcpos.Span
	// Value is the value as written.
	Value Value
	// Span runs from the start of the key to the end of the value, without
	// any trailing comment.
	Span srcpos.Span
	// Line covers the whole physical line(s) of a top-level key/value, from
	// the start of its line (indentation included) through any trailing
	// comment and the line break, so that a fix can delete the line without
	// leaving debris. For an inline entry, where no line is its own, it
	// equals Span.
	Line srcpos.Span
	// Inline is true for a key/value written inside an inline table.
	Inline bool
}

// ValueKind is the TOML type of a value, as rules need it to explain an
// invalid setting ("a port must be an integer, not a float").
type ValueKind int

// The kinds of TOML values. All date and time variants are DateTime: rules
// never need to tell them apart.
const (
	String ValueKind = iota
	Integer
	Float
	Bool
	DateTime
	Array
	InlineTable
)

var kindNames = [...]string{
	String:      "string",
	Integer:     "integer",
	Float:       "float",
	Bool:        "boolean",
	DateTime:    "datetime",
	Array:       "array",
	InlineTable: "inline table",
}

// String returns the kind as a message should name it, such as "inline
// table".
func (k ValueKind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("ValueKind(%d)", int(k))
}

// Value is one value as written.
type Value struct {
	// Kind is the value's TOML type.
	Kind ValueKind
	// Span covers the value exactly as written: quotes included for strings,
	// "[ ... ]" for arrays (across lines if need be), "{ ... }" for inline
	// tables. Replacing these bytes replaces the value and nothing else.
	Span srcpos.Span
	// Text is the decoded text of a scalar: a string's content without
	// quotes or escapes, a number's literal as written (underscores, sign and
	// radix prefix kept, since go-toml's parser does not range-check numbers),
	// "true" or "false", a date/time as written. It is empty for arrays and
	// inline tables.
	Text string
	// Quote is the string delimiter used (`"`, `'`, `"""` or `'''`), empty
	// for any other kind, so that a fix can keep the author's quoting.
	Quote string
	// Elems are the elements of an array, in order.
	Elems []Value
	// Fields are the key/values of an inline table, in order. For an inline
	// table that is the value of an entry they are the same *Entry values as
	// in Doc.Entries; for one inside an array they appear only here, with the
	// array's key path as their path prefix.
	Fields []*Entry
}

// Comment is one comment. Rules read suppressions from comments, and the
// fixer must not cut them off.
type Comment = srcpos.Comment

// Duplicate is a key or table that is defined more than once in the same
// table. TOML forbids it and WSO2 fails to start on it, and every occurrence
// is kept so that a finding can point at all of them.
type Duplicate struct {
	// Path is the logical path of the key or table defined twice.
	Path []string
	// Spans holds every occurrence in file order: Entry.KeySpan for a
	// key/value (including a dotted key that implicitly defines the table),
	// Table.Header for a header.
	Spans []srcpos.Span
}

// SyntaxError is a file that does not parse, located at the offending bytes
// so that the invalid-syntax finding can point at them.
type SyntaxError struct {
	// Span covers the offending bytes; it may be empty.
	Span srcpos.Span
	// Pos is the 1-based line and byte column of Span.Start.
	Pos srcpos.Pos
	// Message describes the error in go-toml's words.
	Message string
}

// Error returns "line:col: message".
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%d:%d: %s", e.Pos.Line, e.Pos.Col, e.Message)
}

// Lookup returns the entries whose Path equals path, in file order. More than
// one entry is returned for a duplicate key or for a key repeated in several
// elements of an array of tables.
func (d *Doc) Lookup(path ...string) []*Entry {
	var out []*Entry
	for _, e := range d.Entries {
		if samePath(e.Path, path) {
			out = append(out, e)
		}
	}
	return out
}

// First returns the first entry whose Path equals path, nil when there is
// none: Lookup's first, without the list. It is safe for concurrent use.
func (d *Doc) First(path ...string) *Entry {
	if d.firsts.Load() < firstIndexAfter && d.firsts.Add(1) <= firstIndexAfter {
		for _, e := range d.Entries {
			if samePath(e.Path, path) {
				return e
			}
		}
		return nil
	}
	d.indexOnce.Do(func() { d.byPath = newPathIndex(d.Entries) })
	return d.byPath.first(d.Entries, path)
}

// pathIndex finds the first entry of a path: a hash table, by open
// addressing, of the entries' indexes plus one (zero is an empty slot),
// the first entry of each path only. It holds no keys: a slot's entry is
// compared with the path asked, so that two paths of one hash are told
// apart. Four bytes a slot, at most half of them full.
type pathIndex []uint32

var pathSeed = maphash.MakeSeed()

// hashPath mixes the parts' hashes (maphash.String, the runtime's string
// hash); a maphash.Hash written part by part cost ten times as much.
func hashPath(path []string) uint64 {
	h := uint64(len(path))
	for _, p := range path {
		h = (h ^ maphash.String(pathSeed, p)) * 0x9E3779B97F4A7C15
	}
	return h ^ h>>32
}

func newPathIndex(entries []*Entry) pathIndex {
	size := 8
	for size < 2*len(entries) {
		size *= 2
	}
	x := make(pathIndex, size)
	mask := uint64(size - 1)
	for i, e := range entries {
		for s := hashPath(e.Path) & mask; ; s = (s + 1) & mask {
			if x[s] == 0 {
				x[s] = uint32(i) + 1
				break
			}
			if samePath(entries[x[s]-1].Path, e.Path) {
				break // the first of its path is in already
			}
		}
	}
	return x
}

func (x pathIndex) first(entries []*Entry, path []string) *Entry {
	mask := uint64(len(x) - 1)
	for s := hashPath(path) & mask; x[s] != 0; s = (s + 1) & mask {
		if e := entries[x[s]-1]; samePath(e.Path, path) {
			return e
		}
	}
	return nil
}

// samePath is slices.Equal from the last part: the paths of one file share
// their first parts (transport, ...), so the last tells most apart at once.
func samePath(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := len(a) - 1; i >= 0; i-- {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// IsArrayTable reports whether the document declares path an array of
// tables ([[path]]).
func (d *Doc) IsArrayTable(path []string) bool {
	for _, t := range d.Tables {
		if t.Array && slices.Equal(t.Path, path) {
			return true
		}
	}
	return false
}

// TableFor returns the last plain (non-array) table whose Path equals path,
// or nil. The last one is where TOML (and so WSO2) reads the keys a fix adds,
// should the table be duplicated.
func (d *Doc) TableFor(path ...string) *Table {
	for i := len(d.Tables) - 1; i >= 0; i-- {
		t := d.Tables[i]
		if !t.Array && slices.Equal(t.Path, path) {
			return t
		}
	}
	return nil
}

// LineEnding returns "\r\n" if the file's first line break is CRLF, else
// "\n", so that a fix that inserts lines keeps the file's convention.
func (d *Doc) LineEnding() string {
	if i := bytes.IndexByte(d.Src, '\n'); i > 0 && d.Src[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}
