package lint

import (
	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/embedded"
	"github.com/wso2lint/wso2lint/rewrite"
)

// toOuterFiles moves the findings, related locations and fix edits that
// point into a config embedded in a manifest (a ConfigMap's
// deployment.toml, fleet/configmap.go) to the manifest itself: that is the
// file a reader opens and the file a fix writes. A fix whose edits cannot
// be written into the manifest (the config is a quoted scalar, or the
// edit would change how YAML reads the block that carries it) is taken off
// the finding, which is still reported.
func toOuterFiles(fl *fleet.Fleet, all []*Finding) {
	for _, f := range all {
		if outer := f.File.Outer(); outer != nil {
			if f.Key != "" {
				f.Key = f.File.EmbeddedKey() + "." + f.Key
			}
			f.Span = f.File.OuterSpan(f.Span)
			f.File = outer
		}
		moved := false
		for _, r := range f.Related {
			moved = moved || (r.File != nil && r.File.Outer() != nil)
		}
		if moved { // a new slice: rules may share one
			related := make([]Related, len(f.Related))
			for i, r := range f.Related {
				if r.File != nil && r.File.Outer() != nil {
					r.Span, r.File = r.File.OuterSpan(r.Span), r.File.Outer()
				}
				related[i] = r
			}
			f.Related = related
		}
		if f.Fix != nil {
			var err error
			if f.Fix, err = outerFix(fl, f.Fix); err != nil {
				f.Message += " (no fix: " + err.Error() + ")"
			}
		}
		if len(f.Alternatives) > 0 {
			var alts []*Fix
			for _, fx := range f.Alternatives {
				if fx, _ = outerFix(fl, fx); fx != nil {
					alts = append(alts, fx)
				}
			}
			f.Alternatives = alts
		}
	}
}

// outerFix returns fx with its edits of embedded configs written as edits
// of their manifests, fx itself when it edits none, and nil with the
// reason when an edit cannot be written there.
func outerFix(fl *fleet.Fleet, fx *Fix) (*Fix, error) {
	var byFile map[*fleet.File][]int
	for i, e := range fx.Edits {
		if f := fl.File(e.Path); f != nil && f.Outer() != nil {
			if byFile == nil {
				byFile = map[*fleet.File][]int{}
			}
			byFile[f] = append(byFile[f], i)
		}
	}
	if byFile == nil {
		return fx, nil
	}
	out := *fx
	out.Edits = append([]rewrite.Edit(nil), fx.Edits...)
	for f, idx := range byFile {
		outer := f.Outer()
		if err := outer.Restore(); err != nil {
			return nil, err
		}
		in := make([]embedded.Edit, len(idx))
		own := make([]rewrite.Edit, len(idx))
		for k, i := range idx {
			e := fx.Edits[i]
			in[k] = embedded.Edit{Start: e.Start, End: e.End, New: e.New}
			own[k] = e
		}
		// The safety net that a config on disk gets: the fixed config
		// parses and keeps every value the fix does not edit. Verify of
		// the manifest cannot tell, since the whole block is one value.
		fixed, err := rewrite.Apply(f.Src, own)
		if err != nil {
			return nil, err
		}
		if err := Verify(f, fixed, own); err != nil {
			return nil, err
		}
		got, err := f.Embedding().Edits(outer.Src, in)
		if err != nil {
			return nil, err
		}
		for k, i := range idx {
			out.Edits[i] = rewrite.Edit{Path: outer.Path, Start: got[k].Start, End: got[k].End, New: got[k].New}
		}
	}
	return &out, nil
}
