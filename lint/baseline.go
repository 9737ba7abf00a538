package lint

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// BaselineVersion is the version of the baseline file format this build
// reads and writes.
const BaselineVersion = 1

// BaselinePlaceholderReason is the reason NewBaseline writes for every
// entry; users replace it by hand with why the finding is accepted.
const BaselinePlaceholderReason = "accepted when the baseline was written"

// Baseline records accepted findings so that only new ones fail the gate
// (--write-baseline, --baseline). Entries are matched by fingerprint
// alone: a hash of code, display path, logical key path and occurrence
// (for a finding that relates several files, of code and every file's
// display path, so that it matches whichever side is primary; see the
// engine's fingerprint), never of line numbers, so that
// reformatting a file, reordering its tables or moving a key within its
// table keeps the baseline valid. Code, File, Key and Message are there for
// the humans who review the file; editing them changes nothing.
//
// Because the path in the fingerprint is the display path, a baseline is
// tied to the directory wso2lint runs from: write it and use it from the
// same directory (usually the repository root).
type Baseline struct {
	Version int             `json:"version"`
	Entries []BaselineEntry `json:"findings"`
}

// BaselineEntry is one accepted finding.
type BaselineEntry struct {
	Fingerprint string `json:"fingerprint"`
	Code        string `json:"code"`
	File        string `json:"file"`
	Key         string `json:"key"`
	Message     string `json:"message"`
	// Reason says why the finding is accepted. NewBaseline writes
	// BaselinePlaceholderReason; users fill it in by hand, and Apply
	// reports it as the finding's SuppressedBy.
	Reason string `json:"reason"`
}

// NewBaseline records the unsuppressed findings (a finding an inline
// suppression or a per-file ignore already hides needs no entry), sorted by
// file, code, key and fingerprint so that the file is the same for the same
// findings whatever their order and lines.
func NewBaseline(findings []*Finding) *Baseline {
	b := &Baseline{Version: BaselineVersion, Entries: []BaselineEntry{}}
	for _, f := range findings {
		if f.Suppressed {
			continue
		}
		b.Entries = append(b.Entries, BaselineEntry{
			Fingerprint: f.Fingerprint,
			Code:        f.Rule.Code,
			File:        f.File.Path,
			Key:         f.Key,
			Message:     f.Message,
			Reason:      BaselinePlaceholderReason,
		})
	}
	b.sort()
	return b
}

func (b *Baseline) sort() {
	sort.SliceStable(b.Entries, func(i, j int) bool {
		x, y := b.Entries[i], b.Entries[j]
		if x.File != y.File {
			return x.File < y.File
		}
		if x.Code != y.Code {
			return x.Code < y.Code
		}
		if x.Key != y.Key {
			return x.Key < y.Key
		}
		return x.Fingerprint < y.Fingerprint
	})
}

// KeepReasons copies the reasons of old's entries onto b's entries with the
// same fingerprint, so that rewriting a baseline (--write-baseline over an
// existing file) keeps what users wrote by hand. A nil old changes nothing.
func (b *Baseline) KeepReasons(old *Baseline) {
	if old == nil {
		return
	}
	reasons := map[string]string{}
	for _, e := range old.Entries {
		if e.Reason != "" {
			reasons[e.Fingerprint] = e.Reason
		}
	}
	for i := range b.Entries {
		if r, ok := reasons[b.Entries[i].Fingerprint]; ok {
			b.Entries[i].Reason = r
		}
	}
}

// Write writes the baseline as JSON indented by two spaces, in a stable
// order, with a trailing newline. The findings array is never null.
func (b *Baseline) Write(w io.Writer) error {
	c := &Baseline{Version: b.Version, Entries: append([]BaselineEntry{}, b.Entries...)}
	if c.Version == 0 {
		c.Version = BaselineVersion
	}
	c.sort()
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(c)
}

// ReadBaseline reads a baseline written by Write (and perhaps edited by
// hand). Errors name the file, with the line and column of a JSON syntax or
// type error. Unknown fields are ignored; a version other than
// BaselineVersion, or an entry without a fingerprint, is an error.
func ReadBaseline(r io.Reader, name string) (*Baseline, error) {
	src, err := io.ReadAll(r)
	if err != nil {
		return nil, fmt.Errorf("%s: cannot read baseline: %w", name, err)
	}
	if len(bytes.TrimSpace(src)) == 0 {
		return nil, fmt.Errorf("%s: baseline file is empty (write one with --write-baseline)", name)
	}
	var b Baseline
	if err := json.Unmarshal(src, &b); err != nil {
		var se *json.SyntaxError
		var te *json.UnmarshalTypeError
		switch {
		case errors.As(err, &se):
			// Offset counts the bytes read, the offending one included,
			// except at the end of the input.
			off := se.Offset
			if se.Error() != "unexpected end of JSON input" {
				off--
			}
			line, col := offsetPos(src, off)
			return nil, fmt.Errorf("%s:%d:%d: invalid baseline JSON: %s", name, line, col, strings.TrimPrefix(se.Error(), "json: "))
		case errors.As(err, &te):
			line, col := offsetPos(src, te.Offset-1) // the value's last byte
			what := te.Field
			if what == "" {
				what = "value"
			}
			return nil, fmt.Errorf("%s:%d:%d: invalid baseline: %s is %s, want %s", name, line, col, what, te.Value, te.Type)
		}
		return nil, fmt.Errorf("%s: invalid baseline: %w", name, err)
	}
	if b.Version != BaselineVersion {
		if b.Version == 0 {
			return nil, fmt.Errorf("%s: not a wso2lint baseline: \"version\" is missing (want %d)", name, BaselineVersion)
		}
		return nil, fmt.Errorf("%s: unsupported baseline version %d (this wso2lint reads version %d)", name, b.Version, BaselineVersion)
	}
	for i, e := range b.Entries {
		if e.Fingerprint == "" {
			return nil, fmt.Errorf("%s: baseline entry %d (%s %s) has no fingerprint", name, i+1, e.Code, e.File)
		}
	}
	if b.Entries == nil {
		b.Entries = []BaselineEntry{}
	}
	return &b, nil
}

// offsetPos returns the 1-based line and byte column of a byte offset.
func offsetPos(src []byte, off int64) (line, col int) {
	i := min(max(int(off), 0), len(src))
	line = 1 + bytes.Count(src[:i], []byte{'\n'})
	col = i - (bytes.LastIndexByte(src[:i], '\n') + 1) + 1
	return line, col
}

// Apply marks the unsuppressed findings that match an entry (same
// fingerprint) as Suppressed, with SuppressedBy "baseline: <reason>", and
// returns the entries that matched no such finding: stale entries, whose
// finding has been fixed (or is now hidden by an inline suppression, so
// that the entry is dead weight). Several entries with one fingerprint, as
// a hand merge can leave, all match the same finding.
//
// When only some files are linted (pre-commit passes staged files, so the
// fleet has Targets) or only some rules run (--select), entries of the
// other files and rules match nothing without being stale: see StaleIn.
func (b *Baseline) Apply(findings []*Finding) (stale []BaselineEntry) {
	byFP := map[string][]int{}
	for i, e := range b.Entries {
		byFP[e.Fingerprint] = append(byFP[e.Fingerprint], i)
	}
	matched := make([]bool, len(b.Entries))
	for _, f := range findings {
		if f.Suppressed || f.Fingerprint == "" {
			continue
		}
		idx, ok := byFP[f.Fingerprint]
		if !ok {
			continue
		}
		reason := b.Entries[idx[0]].Reason
		for _, i := range idx {
			matched[i] = true
		}
		f.Suppressed = true
		f.SuppressedBy = "baseline"
		if reason != "" {
			f.SuppressedBy += ": " + reason
		}
	}
	for i, e := range b.Entries {
		if !matched[i] {
			stale = append(stale, e)
		}
	}
	return stale
}

// StaleIn keeps the stale entries that the run could have matched: those
// of files in targets (the display paths linted; nil when whole
// directories were linted, which keeps every file) and of rules in enabled
// (nil keeps every rule). Use it with Fleet.Targets and Options.Enabled, so
// that a pre-commit run on a few staged files, or a run with --select,
// does not call the other entries stale.
func StaleIn(stale []BaselineEntry, targets map[string]bool, enabled map[*Rule]bool) []BaselineEntry {
	codes := map[string]bool{}
	for r, on := range enabled {
		if on {
			codes[r.Code] = true
		}
	}
	var out []BaselineEntry
	for _, e := range stale {
		if (targets == nil || targets[e.File]) && (enabled == nil || codes[e.Code]) {
			out = append(out, e)
		}
	}
	return out
}
