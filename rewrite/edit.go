package rewrite

import (
	"fmt"
	"sort"
)

// Edit replaces the bytes [Start, End) of the file at Path with New. An
// insertion has Start == End; a deletion has New == "".
type Edit struct {
	Path  string `json:"file"`
	Start int    `json:"start"`
	End   int    `json:"end"`
	New   string `json:"new_text"`
}

// Apply applies edits to src, which must all target the same file. Edits
// may come in any order; they must not overlap (two insertions at one
// offset are applied in the order given).
func Apply(src []byte, edits []Edit) ([]byte, error) {
	sorted := append([]Edit(nil), edits...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Start < sorted[j].Start })
	out := make([]byte, 0, len(src))
	last := 0
	for _, e := range sorted {
		if e.Start < last || e.End < e.Start || e.End > len(src) {
			return nil, fmt.Errorf("edit [%d,%d) overlaps another edit or lies outside the file", e.Start, e.End)
		}
		out = append(out, src[last:e.Start]...)
		out = append(out, e.New...)
		last = e.End
	}
	return append(out, src[last:]...), nil
}

// CommonEnds returns how many leading and how many trailing elements a and
// b share, the two runs never overlapping: what lies between them is all
// that differs. The diff sets its common lines aside with it; the
// language server makes a fix's edit no wider than the bytes it changes.
func CommonEnds[T comparable](a, b []T) (pre, suf int) {
	for pre < len(a) && pre < len(b) && a[pre] == b[pre] {
		pre++
	}
	for suf < len(a)-pre && suf < len(b)-pre && a[len(a)-1-suf] == b[len(b)-1-suf] {
		suf++
	}
	return pre, suf
}
