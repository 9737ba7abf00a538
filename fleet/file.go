package fleet

import (
	"bytes"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"io/fs"
	"os"
	"strings"
	"unicode/utf8"

	"github.com/wso2lint/wso2lint/internal/embedded"
	"github.com/wso2lint/wso2lint/internal/readfile"
	"github.com/wso2lint/wso2lint/internal/srcpos"
	"github.com/wso2lint/wso2lint/internal/tomlast"
	"github.com/wso2lint/wso2lint/internal/yamlast"
)

// DefaultMaxFileSize is the size above which a file is not read (S003).
// Real deployment files are a few kilobytes; 10 MiB leaves room for
// generated ones while keeping a stray dump from costing seconds.
const DefaultMaxFileSize = 10 << 20

// Format says how a file's bytes are parsed.
type Format int

// The formats of the files a fleet holds.
const (
	TOML Format = iota
	YAML
	// Text is a start-up source (shell script, wrapper.conf, systemd unit,
	// env file): scanned line by line, never parsed as a whole.
	Text
)

// Problem is why a file could not be used: a syntax error (S001) or an
// unreadable file (S003). The rest of the run goes on without it.
type Problem struct {
	Code    string // "S001" or "S003"
	Span    srcpos.Span
	Message string
}

// File is one loaded file with its bytes kept, so that findings can point
// into it and fixes can splice it.
type File struct {
	// Path is the display path: relative to the working directory,
	// slash-separated.
	Path string
	// Abs is the absolute path on disk.
	Abs    string
	Format Format
	Src    []byte
	Lines  *srcpos.Lines
	// TOML and YAML hold the parsed document for their format; both are nil
	// when the file has a Problem.
	TOML *tomlast.Doc
	YAML *yamlast.Doc
	// Comments lists the file's comments, used for inline suppressions.
	Comments []Comment
	Problem  *Problem
	// Mode is the file's permission bits, kept for atomic rewrites.
	Mode fs.FileMode

	// released is set by Release.
	released bool
	// pinned marks content given in memory (an overlay), which the disk
	// cannot give back: it is never released.
	pinned bool
	// docReleased is set by ReleaseDoc. (The flags and Mode sit together
	// so that they share a word: a large fleet holds 100,000 files.)
	docReleased bool
	// size and sum identify the content read, so that Restore can tell
	// whether the file changed on disk since.
	size int
	sum  uint64
	// firstLine is FirstLine's answer, kept when the file is released.
	firstLine srcpos.Span

	// outer is the file that carries this one, and embed maps this file's
	// offsets to outer's, for a config embedded in a manifest (a
	// ConfigMap's deployment.toml); both are nil for a file of its own.
	outer *File
	embed *embedded.Text
	// embedKey names the embedded config in the outer file's logical
	// keys: "ConfigMap/mi-conf.data[deployment.toml]".
	embedKey string
}

// EmbeddedKey names an embedded config in its outer file's logical keys
// ("ConfigMap/mi-conf.data[deployment.toml]"), "" for a file of its own:
// a finding's key in the config is prefixed with it once the finding moves
// to the manifest, so that two ConfigMaps of one manifest keep apart.
func (f *File) EmbeddedKey() string { return f.embedKey }

// Outer returns the file that carries an embedded config (the manifest
// of its ConfigMap), nil for a file of its own.
func (f *File) Outer() *File { return f.outer }

// Embedding returns the map from an embedded config's offsets to its
// outer file's, nil for a file of its own.
func (f *File) Embedding() *embedded.Text { return f.embed }

// OuterSpan returns where a span of an embedded config lies in its outer
// file; a file of its own returns the span unchanged.
func (f *File) OuterSpan(sp srcpos.Span) srcpos.Span {
	if f.outer == nil {
		return sp
	}
	start := f.embed.Offset(sp.Start)
	end := f.embed.End(sp.End, sp.Start)
	if end < start {
		end = start
	}
	return srcpos.Span{Start: start, End: end}
}

// noLines is the line index of a released file, shared.
var noLines = srcpos.NewLines(nil)

// sumSeed seeds the content hashes of one process.
var sumSeed = maphash.MakeSeed()

// Release drops what the file holds beyond the fleet model: its bytes,
// line index, comments and parsed document. A large fleet is linted host by
// host and only the files that findings or fixes point into are kept whole,
// which bounds the memory of a run by the size of a host rather than of the
// fleet. Restore brings a released file back.
func (f *File) Release() {
	if f.released || f.pinned || f.Src == nil {
		return
	}
	f.firstLine = FirstLine(f)
	f.Src, f.TOML, f.YAML, f.Comments = nil, nil, nil, nil
	f.Lines = noLines
	f.released = true
}

// ReleaseDoc drops the file's parsed document but keeps its bytes, line
// index and the comments that mention wso2lint: what reports, fixes and
// inline suppressions use once the rules have run. Restore parses the
// bytes again for whoever needs the document, or every comment, after all.
func (f *File) ReleaseDoc() {
	// Content given in memory (pinned) keeps its bytes, which is all
	// Restore needs: the fix loop's fixed files are overlays, and their
	// documents held in every lint of the loop were most of its memory.
	if f.released || (f.TOML == nil && f.YAML == nil) {
		return
	}
	f.TOML, f.YAML = nil, nil
	f.docReleased = true
	// WSO2's files are mostly comments, and only directives are read once
	// the rules have run.
	var kept []Comment
	for _, c := range f.Comments {
		if strings.Contains(c.Text, "wso2lint") {
			kept = append(kept, c)
		}
	}
	f.Comments = kept
}

// Released reports whether Release dropped the file's content.
func (f *File) Released() bool { return f.released }

// Restore brings back what Release or ReleaseDoc dropped: it parses the
// file's bytes again, after reading them again if need be. It fails when
// the file changed on disk since it was first read: positions found then
// would not fit the new bytes.
func (f *File) Restore() error {
	if f.docReleased && !f.released {
		f.docReleased, f.Comments = false, nil
		f.setSource(f.Src)
		return nil
	}
	if !f.released {
		return nil
	}
	changed := errors.New("the file changed while it was being linted; run again")
	var src []byte
	var err error
	if fi, serr := os.Stat(f.Abs); serr == nil && fi.Mode().IsRegular() && fi.Size() != int64(f.size) {
		err = changed // not "larger than the limit": the limit here is the old size
	} else if src, _, err = readRegular(f.Abs, int64(f.size)+1); err == nil && (len(src) != f.size || maphash.Bytes(sumSeed, src) != f.sum) {
		err = changed
	}
	if err != nil {
		return &RestoreError{Path: f.Path, Err: err}
	}
	f.released, f.docReleased = false, false
	f.setSource(src)
	return nil
}

// RestoreError is why Restore could not bring a released file back.
type RestoreError struct {
	Path string
	Err  error
}

func (e *RestoreError) Error() string { return e.Path + ": " + e.Err.Error() }
func (e *RestoreError) Unwrap() error { return e.Err }

// Comment is a '#' comment; Trailing is set when code precedes it on its line.
type Comment = srcpos.Comment

// Pos returns the 1-based line and byte column of an offset in the file;
// for an embedded config, the position in the file that carries it, which
// is what a reader opens.
func (f *File) Pos(off int) srcpos.Pos {
	if f.outer != nil {
		return f.outer.Pos(f.embed.Offset(off))
	}
	return f.Lines.Pos(off)
}

// loadFile reads and parses one file. It never fails: every problem becomes
// the file's Problem, so that the caller can report it and go on.
// When overlay is not nil it is the file's content (a fix in progress),
// and the disk is consulted only for the permission bits.
func loadFile(abs, display string, format Format, maxSize int64, overlay []byte) *File {
	f := &File{Path: display, Abs: abs, Format: format}
	f.Lines = srcpos.NewLines(nil)
	src, mode, err := overlay, fs.FileMode(0o644), error(nil)
	if overlay == nil {
		src, mode, err = readRegular(abs, maxSize)
	} else {
		if fi, serr := os.Stat(abs); serr == nil {
			mode = fi.Mode().Perm()
		}
		// Standard input is read one byte past the limit, so that it is
		// too large exactly when the same bytes on disk would be.
		if int64(len(overlay)) > maxSize {
			err = fmt.Errorf("file is larger than the %d-byte limit (max-file-size)", maxSize)
		}
	}
	f.Mode, f.pinned = mode, overlay != nil
	if err != nil {
		f.Problem = &Problem{Code: "S003", Message: err.Error()}
		return f
	}
	f.setSource(src)
	return f
}

// setSource keeps src as the file's content and parses it for its format;
// a problem with the content becomes the file's Problem.
func (f *File) setSource(src []byte) {
	f.Src = src
	f.size, f.sum = len(src), maphash.Bytes(sumSeed, src)
	// The TOML and YAML parsers index the lines themselves; so as not to
	// do it twice, the file takes their index.
	f.Lines = noLines
	if f.Format == Text {
		f.Lines = srcpos.NewLines(src)
	}
	if enc, bom := wideEncoding(src); enc != "" {
		f.Lines = srcpos.NewLines(src)
		f.Problem = &Problem{Code: "S003", Span: srcpos.Span{Start: 0, End: bom},
			Message: "file is encoded in " + enc + ", but WSO2 reads its config files as UTF-8: save it as UTF-8"}
		return
	}
	if i := bytes.IndexByte(src, 0); i >= 0 {
		f.Lines = srcpos.NewLines(src)
		f.Problem = &Problem{Code: "S003", Span: srcpos.Span{Start: i, End: i + 1},
			Message: "file contains a NUL byte: it looks binary"}
		return
	}
	if !utf8.Valid(src) {
		f.Lines = srcpos.NewLines(src)
		i := firstInvalidUTF8(src)
		f.Problem = &Problem{Code: "S003", Span: srcpos.Span{Start: i, End: i + 1},
			Message: "file is not valid UTF-8"}
		return
	}
	switch f.Format {
	case TOML:
		doc, err := tomlast.Parse(src)
		f.Lines = doc.Lines // the same index: no need for two
		if err != nil {
			f.Problem = syntaxProblem(err)
			return
		}
		f.TOML, f.Comments = doc, doc.Comments
	case YAML:
		doc, err := yamlast.Parse(src)
		f.Lines = doc.Lines
		if err != nil {
			f.Problem = syntaxProblem(err)
			return
		}
		f.YAML, f.Comments = doc, doc.Comments
	case Text:
		switch startupKind(f.Path) {
		case kindBatch:
			f.Comments = scanBatchComments(src, f.Lines)
		case kindUnit:
			f.Comments = scanUnitComments(src, f.Lines)
		default:
			f.Comments = scanLineComments(src, f.Lines)
		}
	}
}

func syntaxProblem(err error) *Problem {
	var te *tomlast.SyntaxError
	if errors.As(err, &te) {
		return &Problem{Code: "S001", Span: te.Span, Message: te.Message}
	}
	var ye *yamlast.SyntaxError
	if errors.As(err, &ye) {
		return &Problem{Code: "S001", Span: ye.Span, Message: ye.Message}
	}
	return &Problem{Code: "S001", Message: err.Error()}
}

// readRegular reads a regular file of at most maxSize bytes. It checks the
// file type before opening it, so that a FIFO or a device never blocks the
// run.
func readRegular(path string, maxSize int64) ([]byte, fs.FileMode, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, 0, fmt.Errorf("cannot read file: %w", unwrapPathError(err))
	}
	if !fi.Mode().IsRegular() {
		return nil, fi.Mode().Perm(), fmt.Errorf("not a regular file (%s)", readfile.Describe(fi.Mode()))
	}
	if fi.Size() > maxSize {
		return nil, fi.Mode().Perm(), fmt.Errorf("file is %d bytes, larger than the %d-byte limit (max-file-size)", fi.Size(), maxSize)
	}
	fh, err := readfile.Open(path)
	if err != nil {
		return nil, fi.Mode().Perm(), fmt.Errorf("cannot read file: %w", unwrapPathError(err))
	}
	defer fh.Close()
	// Read at most one byte past the limit: the file may have grown since
	// the Stat. The buffer is sized from the Stat (one allocation, one
	// read for a file that did not change) rather than grown by ReadAll.
	src, err := readUpTo(fh, min(fi.Size(), maxSize)+1, maxSize+1)
	if err != nil {
		return nil, fi.Mode().Perm(), fmt.Errorf("cannot read file: %w", unwrapPathError(err))
	}
	if int64(len(src)) > maxSize {
		return nil, fi.Mode().Perm(), fmt.Errorf("file is larger than the %d-byte limit (max-file-size)", maxSize)
	}
	return src, fi.Mode().Perm(), nil
}

// readUpTo reads r to its end or to limit bytes, into a buffer of capacity
// hint that grows only if r holds more.
func readUpTo(r io.Reader, hint, limit int64) ([]byte, error) {
	buf := make([]byte, 0, hint)
	for int64(len(buf)) < limit {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):min(int64(cap(buf)), limit)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return buf, err
		}
	}
	return buf, nil
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// wideEncoding names the encoding of a file written in UTF-16 or UTF-32
// (PowerShell 5.1 writes UTF-16 LE by default) and returns the length of
// its byte-order mark: such a file is full of NUL bytes and would
// otherwise be called binary. Without a byte-order mark, a file whose
// first characters are ASCII with a NUL beside each is taken for UTF-16 of
// that byte order. It returns "" for anything else.
func wideEncoding(src []byte) (string, int) {
	switch {
	case bytes.HasPrefix(src, []byte{0xFF, 0xFE, 0, 0}):
		return "UTF-32 LE (byte-order mark FF FE 00 00)", 4
	case bytes.HasPrefix(src, []byte{0, 0, 0xFE, 0xFF}):
		return "UTF-32 BE (byte-order mark 00 00 FE FF)", 4
	case bytes.HasPrefix(src, []byte{0xFF, 0xFE}):
		return "UTF-16 LE (byte-order mark FF FE)", 2
	case bytes.HasPrefix(src, []byte{0xFE, 0xFF}):
		return "UTF-16 BE (byte-order mark FE FF)", 2
	}
	n := min(len(src), 64) &^ 3
	if n < 4 {
		return "", 0
	}
	le, be := true, true
	for i := 0; i < n; i += 2 {
		lo, hi := src[i], src[i+1]
		le = le && hi == 0 && lo != 0 && lo < 0x80
		be = be && lo == 0 && hi != 0 && hi < 0x80
	}
	switch {
	case le:
		return "UTF-16 LE (no byte-order mark)", 0
	case be:
		return "UTF-16 BE (no byte-order mark)", 0
	}
	return "", 0
}

func firstInvalidUTF8(b []byte) int {
	for i := 0; i < len(b); {
		r, n := utf8.DecodeRune(b[i:])
		if r == utf8.RuneError && n <= 1 {
			return i
		}
		i += n
	}
	return 0
}

// scanLineComments finds comments in a line-oriented start-up file: a '#'
// that starts a line (after blanks) or follows a blank, outside quotes.
func scanLineComments(src []byte, lines *srcpos.Lines) []Comment {
	var out []Comment
	for ln := 1; ln <= lines.Count(); ln++ {
		start, end := lines.LineStart(ln), lines.LineEnd(src, ln)
		var quote byte
		code := false
		for i := start; i < end; i++ {
			c := src[i]
			switch {
			case quote != 0:
				if c == quote {
					quote = 0
				}
			case c == '"' || c == '\'':
				quote = c
				code = true
			case c == '#' && (i == start || src[i-1] == ' ' || src[i-1] == '\t'):
				out = append(out, Comment{Span: srcpos.Span{Start: i, End: end}, Text: string(src[i:end]), Trailing: code})
				i = end
			case c != ' ' && c != '\t':
				code = true
			}
		}
	}
	return out
}
