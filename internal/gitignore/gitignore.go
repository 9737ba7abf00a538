// Package gitignore matches paths against .gitignore files with git's
// rules: patterns are relative to the directory of the file that holds
// them, a pattern without an inner slash matches at any depth, a trailing
// slash matches directories only, and a later "!" pattern re-includes.
package gitignore

import (
	"bufio"
	"bytes"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
)

type pattern struct {
	base    string // slash path of the .gitignore's directory, "" for the root
	glob    string
	negate  bool
	dirOnly bool
}

// Matcher holds the patterns of every .gitignore read so far.
type Matcher struct {
	patterns []pattern
}

// Add reads the patterns of a .gitignore found in directory base (a slash
// path relative to the walk root, "" for the root itself). Invalid
// patterns are skipped, as git skips them.
func (m *Matcher) Add(base string, content []byte) {
	sc := bufio.NewScanner(bytes.NewReader(content))
	for sc.Scan() {
		line := strings.TrimRight(sc.Text(), "\r")
		if strings.HasSuffix(line, " ") && !strings.HasSuffix(line, `\ `) {
			line = strings.TrimRight(line, " ")
		}
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		p := pattern{base: base}
		if strings.HasPrefix(line, "!") {
			p.negate, line = true, line[1:]
		} else if strings.HasPrefix(line, `\`) {
			line = line[1:]
		}
		if strings.HasSuffix(line, "/") {
			p.dirOnly, line = true, strings.TrimRight(line, "/")
		}
		if line == "" {
			continue
		}
		if strings.Contains(line, "/") {
			line = strings.TrimPrefix(line, "/")
		} else {
			line = "**/" + line
		}
		if !doublestar.ValidatePattern(line) {
			continue
		}
		p.glob = line
		m.patterns = append(m.patterns, p)
	}
}

// Clone returns a copy of m that a later Add to either does not change,
// so that parallel walks of sibling trees can each add their own files.
func (m *Matcher) Clone() Matcher {
	return Matcher{patterns: m.patterns[:len(m.patterns):len(m.patterns)]}
}

// Ignored reports whether the slash path rel (relative to the walk root)
// is ignored. isDir says whether it names a directory.
func (m *Matcher) Ignored(rel string, isDir bool) bool {
	ignored := false
	for _, p := range m.patterns {
		if p.dirOnly && !isDir {
			continue
		}
		sub := rel
		if p.base != "" {
			if !strings.HasPrefix(rel, p.base+"/") {
				continue
			}
			sub = rel[len(p.base)+1:]
		}
		if ok, _ := doublestar.Match(p.glob, sub); ok {
			ignored = !p.negate
		}
	}
	return ignored
}
