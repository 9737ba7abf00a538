package lint

import (
	"errors"
	"fmt"
	"slices"
	"sort"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/gitdiff"
	"github.com/wso2lint/wso2lint/internal/srcpos"
)

// LineSet is what changed in one file of the working tree since a
// revision (--new-from-rev).
type LineSet struct {
	// All is set when the whole file counts as changed: untracked, added
	// since the revision, or a binary file that changed.
	All bool
	// Lines lists the changed 1-based line numbers of the working tree
	// version, sorted, without duplicates: added and modified lines, and,
	// for a pure deletion, the lines on either side of it (a finding next
	// to deleted lines may be their doing).
	Lines []int
}

// Has reports whether line changed.
func (s LineSet) Has(line int) bool {
	if s.All {
		return true
	}
	i := sort.SearchInts(s.Lines, line)
	return i < len(s.Lines) && s.Lines[i] == line
}

// Overlaps reports whether any line from first to last (inclusive)
// changed.
func (s LineSet) Overlaps(first, last int) bool {
	if s.All {
		return true
	}
	i := sort.SearchInts(s.Lines, first)
	return i < len(s.Lines) && s.Lines[i] <= last
}

// Changed reports whether anything in the file changed.
func (s LineSet) Changed() bool { return s.All || len(s.Lines) > 0 }

// ChangedSince runs git in workDir to find what changed since rev: for
// each changed file (display path relative to workDir, slash-separated),
// the changed (added or modified) lines of the working tree version, so
// that uncommitted and staged edits count. Untracked files (those
// .gitignore does not exclude) and files added since rev count as wholly
// changed; a renamed file is listed under its new path with the lines its
// edits changed; unchanged, deleted and merely renamed files are absent.
// Errors (workDir not in a git work tree, rev unknown, git not installed)
// carry git's message, and name the revision when it is the problem.
func ChangedSince(workDir, rev string) (map[string]LineSet, error) {
	ch, err := gitdiff.Changes(workDir, rev)
	if err != nil {
		var ge *gitdiff.Error
		if errors.As(err, &ge) {
			return nil, fmt.Errorf("cannot find changes since %q in %s: %w", rev, workDir, err)
		}
		return nil, err
	}
	out := make(map[string]LineSet, len(ch))
	for p, c := range ch {
		out[p] = LineSet{All: c.All, Lines: c.Lines}
	}
	return out, nil
}

// FilterNew keeps the findings that the changes may have introduced and
// drops the rest, preserving order. A finding is kept when a changed line
// (changed maps display paths to changed lines, as ChangedSince returns)
//
//  1. lies in its span, or in the span of one of its related locations
//     (so a collision caused by editing the other install is reported);
//     for a finding about ports (see 3), a location that is a file's first
//     line, where port rules put a listener whose port and offset are both
//     implicit, is touched by a change to any line of that file;
//  2. writes its logical key (Key) in its own file, or in any file of an
//     install it relates: its own and those of its related locations (the
//     key of a duplicated TOML key, an offset set both in deployment.toml
//     and at start-up);
//  3. for a finding about ports — its Key is the key of a listener, or an
//     offset key, which makes it about every listener (a duplicate port
//     between two installs) — in any install it relates: writes the
//     install's offset, in the config file or as -DportOffset at start-up;
//     and, when such a listener's port or the offset is not written at
//     all (a default applies), any changed line of any of the install's
//     files (config and start-up) counts, since the change that matters may
//     be the deletion of that very key, which leaves no line to point at.
//     The price: editing such an install shows its older port findings too.
//
// A relational finding is thus new when any of its participants changed,
// whichever side the rule made primary. fl resolves the installs of related
// locations; it may be nil (only the finding's own install is considered).
// Matching is by lines of the current files only: the lines a finding sat
// on before the change do not matter, so deleting code never re-exposes
// old findings. Not covered: a collision created by deleting a
// bind_address (or an enable flag) far from the port it governed, when
// the port and the offset are both written.
func FilterNew(fl *fleet.Fleet, findings []*Finding, changed map[string]LineSet) []*Finding {
	var out []*Finding
	for _, f := range findings {
		if isNew(fl, f, changed) {
			out = append(out, f)
		}
	}
	return out
}

func isNew(fl *fleet.Fleet, f *Finding, changed map[string]LineSet) bool {
	// Port rules put a finding about a listener whose port and offset are
	// both implicit on line 1 of its file, and point there for the other
	// side of a duplicate too.
	firstLine := len(portListeners(f.Install, f.Key)) > 0 || isOffsetKey(f.Key)
	for _, loc := range f.Locations() {
		if touched(changed, loc.File, loc.Span, firstLine) {
			return true
		}
	}
	if f.Key == "" {
		return false
	}
	if f.File != nil {
		// A streamed run drops the documents of the files it keeps; the
		// bytes are there to parse again (which cannot fail: they did
		// parse), so the error is of no consequence.
		_ = f.File.Restore()
	}
	if f.File != nil && f.File.TOML != nil {
		for _, e := range f.File.TOML.Entries {
			if fleet.KeyString(e.Path) == f.Key && spanChanged(changed, f.File, e.Span) {
				return true
			}
		}
	}
	// A relational finding is new when any install it relates changed
	// what the finding is about: a duplicate port introduced by editing
	// either install is the edit's doing, whichever side the rule made
	// primary.
	for _, in := range participants(fl, f) {
		if installChanged(in, f.Key, changed) {
			return true
		}
	}
	return false
}

// participants returns the finding's install and the installs of its
// related locations, each once.
func participants(fl *fleet.Fleet, f *Finding) []*fleet.Install {
	var out []*fleet.Install
	if f.Install != nil {
		out = append(out, f.Install)
	}
	if fl == nil {
		return out
	}
	for _, file := range f.Files()[1:] {
		if in := fl.InstallOf(file); in != nil && !slices.Contains(out, in) {
			out = append(out, in)
		}
	}
	return out
}

// isOffsetKey reports whether key is where an install sets its offset: a
// finding with that key is about every port of the install.
func isOffsetKey(key string) bool {
	return key == fleet.KeyString(fleet.MIOffsetKey) || key == "wso2.carbon.ports.offset"
}

// installChanged reports whether a change wrote key in the install, or,
// for a key of its listeners' ports or its offset, the offset; or, when
// such a port or the offset is not written at all, changed any of the
// install's files.
func installChanged(in *fleet.Install, key string, changed map[string]LineSet) bool {
	for _, s := range installSettings(in) {
		if s.Key == key && spanChanged(changed, s.File, s.KeySpanToValue()) {
			return true
		}
	}
	ls := portListeners(in, key)
	if isOffsetKey(key) {
		ls = nil
		for _, rt := range in.Runtimes {
			ls = append(ls, rt.Listeners...)
		}
		if len(ls) == 0 {
			return false
		}
	}
	for _, l := range ls {
		rt := l.Runtime
		for _, s := range append([]*fleet.Setting{rt.Offset.File}, rt.Offset.Startup...) {
			if s != nil && spanChanged(changed, s.File, s.KeySpanToValue()) {
				return true
			}
		}
		if l.Port == nil || (l.OffsetApplies && rt.Offset.Winner() == nil) {
			for _, file := range installFiles(in) {
				if changed[file.Path].Changed() {
					return true
				}
			}
		}
	}
	return false
}

// portListeners returns the listeners of an install whose key is key: a
// finding with that key is about their port.
func portListeners(in *fleet.Install, key string) []*fleet.Listener {
	if in == nil || key == "" {
		return nil
	}
	var out []*fleet.Listener
	for _, rt := range in.Runtimes {
		for _, l := range rt.Listeners {
			if l.Key == key {
				out = append(out, l)
			}
		}
	}
	return out
}

// touched reports whether a location changed: a changed line in its span,
// or, with firstLine, for a location that is the file's first line, any
// change to the file.
func touched(changed map[string]LineSet, file *fleet.File, span srcpos.Span, firstLine bool) bool {
	if spanChanged(changed, file, span) {
		return true
	}
	return firstLine && file != nil && span == fleet.FirstLine(file) && changed[file.Path].Changed()
}

// spanChanged reports whether a changed line falls within the span's
// lines.
func spanChanged(changed map[string]LineSet, file *fleet.File, span srcpos.Span) bool {
	if file == nil {
		return false
	}
	ls, ok := changed[file.Path]
	if !ok {
		return false
	}
	if ls.All {
		return true
	}
	first := file.Pos(span.Start).Line
	last := file.Pos(max(span.End-1, span.Start)).Line
	return ls.Overlaps(first, last)
}

// installSettings lists the settings the model read for an install: its
// offsets (config file and start-up) and written ports.
func installSettings(in *fleet.Install) []*fleet.Setting {
	var out []*fleet.Setting
	for _, rt := range in.Runtimes {
		if rt.Offset.File != nil {
			out = append(out, rt.Offset.File)
		}
		out = append(out, rt.Offset.Startup...)
		for _, l := range rt.Listeners {
			if l.Port != nil {
				out = append(out, l.Port)
			}
		}
	}
	for _, st := range in.Startup {
		out = append(out, st.PortOffsets...)
	}
	return out
}

// installFiles lists an install's config and start-up files.
func installFiles(in *fleet.Install) []*fleet.File {
	var out []*fleet.File
	for _, rt := range in.Runtimes {
		if rt.File != nil {
			out = append(out, rt.File)
		}
	}
	for _, st := range in.Startup {
		if st.File != nil {
			out = append(out, st.File)
		}
	}
	return out
}
