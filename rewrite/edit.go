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
