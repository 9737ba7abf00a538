package lint

import (
	"sort"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/srcpos"
)

// Location is one place a finding points at: its primary location or one
// of its related ones.
type Location struct {
	File *fleet.File
	Span srcpos.Span
}

// Locations returns the finding's primary location followed by its related
// locations (a related location without a file is in the finding's file).
func (f *Finding) Locations() []Location {
	out := make([]Location, 0, 1+len(f.Related))
	out = append(out, Location{f.File, f.Span})
	for _, r := range f.Related {
		file := r.File
		if file == nil {
			file = f.File
		}
		out = append(out, Location{file, r.Span})
	}
	return out
}

// Files returns the files the finding is in, each once, primary first: a
// relational finding (a duplicate port between two installs, a collision
// between a compose file and an install) is in every file it relates, so
// that a reviewer of either side sees it, whichever side the rule chose as
// primary.
func (f *Finding) Files() []*fleet.File {
	out := []*fleet.File{f.File}
	for _, r := range f.Related {
		if r.File != nil && r.File != f.File && !containsFile(out, r.File) {
			out = append(out, r.File)
		}
	}
	return out
}

// InAny reports whether the finding is in one of the files whose display
// paths paths holds.
func (f *Finding) InAny(paths map[string]bool) bool {
	for _, file := range f.Files() {
		if file != nil && paths[file.Path] {
			return true
		}
	}
	return false
}

// Relational reports whether the finding relates several files.
func (f *Finding) Relational() bool { return len(f.Files()) > 1 }

func containsFile(fs []*fleet.File, f *fleet.File) bool {
	for _, x := range fs {
		if x == f {
			return true
		}
	}
	return false
}

// sortedPaths returns the display paths of files, sorted: the identity of
// a relational finding that does not depend on which side is primary.
func sortedPaths(files []*fleet.File) []string {
	out := make([]string, 0, len(files))
	for _, f := range files {
		if f != nil {
			out = append(out, f.Path)
		}
	}
	sort.Strings(out)
	return out
}
