package rules

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode"

	"github.com/wso2lint/wso2lint/catalog"
	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/catalogsrc"
	"github.com/wso2lint/wso2lint/internal/tomlast"
)

// keyIssuesOf runs the key rules' shared pass over one deployment.toml of
// an MI install of the given release.
func keyIssuesOf(t *testing.T, src string, release int) (*tomlast.Doc, []*keyIssue) {
	t.Helper()
	d, err := tomlast.Parse([]byte(src))
	if err != nil {
		t.Fatalf("%q does not parse: %v", src, err)
	}
	in := &fleet.Install{Root: "mi", Product: fleet.MI, Release: release}
	rt := &fleet.Runtime{Install: in, File: &fleet.File{Path: "mi/conf/deployment.toml", TOML: d}}
	return d, miKeyIssues(rt)
}

// tomlFor writes a deployment.toml that sets the key at p, with a value of
// the type the catalogue gives it.
func tomlFor(p catalog.Path, typ string) string {
	value := `"x"`
	switch typ {
	case "bool":
		value = "true"
	case "int":
		value = "1"
	case "array":
		value = "[]"
	}
	var b strings.Builder
	start := 0
	for i, part := range p {
		if part != catalog.Item {
			continue
		}
		fmt.Fprintf(&b, "[[%s]]\n", fleet.KeyString(p[:i].Keys()))
		start = i + 1
	}
	rest := p[start:].Keys()
	if rest[len(rest)-1] == catalog.Any {
		rest[len(rest)-1] = "some_key"
	}
	fmt.Fprintf(&b, "%s = %s\n", fleet.KeyString(rest), value)
	return b.String()
}

// TestCatalogueKeysRaiseNothing writes every key of the catalogue into a
// deployment.toml and expects no key finding, release by release: a key
// that a release reads is never called unknown, and a dead key is only
// ever K006's.
func TestCatalogueKeysRaiseNothing(t *testing.T) {
	for r := range catalog.NumReleases {
		checked := 0
		for _, e := range catalog.MI().Entries() {
			if !e.Releases.Has(r) || e.Path[len(e.Path)-1] == catalog.Item {
				continue
			}
			src := tomlFor(e.Path, e.Type)
			_, issues := keyIssuesOf(t, src, r)
			want := ""
			if e.Kind == catalog.Dead {
				if catalog.MI().Lookup(e.Path, r).Status == catalog.Known {
					continue // dead by one name in the release, read by another route
				}
				want = "K006"
			}
			var got []string
			for _, is := range issues {
				got = append(got, is.code)
			}
			if strings.Join(got, ",") != want {
				t.Errorf("MI %s: %s (%s, %s): got %v, want [%s]\n%s", catalog.ShortRelease(r), e.Path, e.Kind, e.Via, got, want, src)
			}
			checked++
		}
		if checked < 900 {
			t.Errorf("MI %s: only %d keys checked", catalog.ShortRelease(r), checked)
		}
	}
}

// TestDeploymentFullRaisesOnlyNoEffect lints WSO2's own deployment-full.toml
// of each release, which documents every key: nothing but K006 (keys it
// documents that nothing reads) may come of it.
func TestDeploymentFullRaisesOnlyNoEffect(t *testing.T) {
	dir := catalogsrc.Find(".")
	if dir == "" {
		t.Skip("shared/reference/wso2-config-tool not found")
	}
	for r, rd := range catalogsrc.ReleaseDirs {
		src, err := os.ReadFile(filepath.Join(dir, rd, "deployment-full.toml"))
		if err != nil {
			t.Fatal(err)
		}
		d, issues := keyIssuesOf(t, string(src), r)
		noEffect := 0
		for _, is := range issues {
			if is.code == "K006" {
				noEffect++
				continue
			}
			t.Errorf("%s line %d: %s %s (suggest %v, target %v)", rd, d.Lines.Pos(is.entry.KeySpan.Start).Line, is.code,
				fleet.KeyString(is.entry.Path), is.suggest, is.target)
		}
		t.Logf("%s: %d keys, %d duplicates, %d with no effect", rd, len(d.Entries), len(d.Duplicates), noEffect)
	}
}

// mutation is a wrong spelling of a catalogue key.
type mutation struct {
	kind string
	path catalog.Path
}

// mutations returns the mistakes people make with a key: a different case,
// one or two edits of a part, another separator, a plural or misspelt table.
func mutations(p catalog.Path, keyIndex int) []mutation {
	var out []mutation
	with := func(kind string, i int, part string) {
		q := append(catalog.Path{}, p...)
		q[i] = part
		out = append(out, mutation{kind, q})
	}
	leaf := len(p) - 1
	k := p[leaf]
	// Case: the first letter flipped, and all capitals.
	r := []rune(k)
	if unicode.IsLower(r[0]) {
		r[0] = unicode.ToUpper(r[0])
	} else {
		r[0] = unicode.ToLower(r[0])
	}
	with("case", leaf, string(r))
	with("case", leaf, strings.ToUpper(k))
	// One edit: drop, double or swap a letter (position from the key's
	// index, so the set is fixed).
	if len(k) > 3 {
		i := 1 + keyIndex%(len(k)-2)
		with("edit1", leaf, k[:i]+k[i+1:])
		with("edit1", leaf, k[:i]+string(k[i])+k[i:])
		with("edit1", leaf, k[:i]+string(k[i+1])+string(k[i])+k[i+2:])
		j := 1 + (keyIndex/3)%(len(k)-2)
		if j != i && len(k) > 5 {
			with("edit2", leaf, drop(drop(k, max(i, j)), min(i, j)))
		}
	}
	// Separators.
	for _, sep := range []struct{ from, to string }{{"_", "-"}, {"_", "."}, {"-", "_"}} {
		if strings.Contains(k, sep.from) {
			with("separator", leaf, strings.ReplaceAll(k, sep.from, sep.to))
		}
	}
	// A plural or misspelt first table.
	if leaf > 0 && p[0] != catalog.Item {
		with("table", 0, p[0]+"s")
		with("table", 0, strings.ToUpper(p[0][:1])+p[0][1:])
	}
	return out
}

func drop(s string, i int) string { return s[:i] + s[i+1:] }

// TestMutationsAreReported mutates every key of the catalogue the ways
// people mistype keys and checks that at least 95% of the mutations that
// name no real key are reported, and that every did-you-mean offered
// names the key that was mutated. With -short it mutates every fourth key
// (.ci/run runs the race detector with -short, after every key without
// it).
func TestMutationsAreReported(t *testing.T) {
	cat := catalog.MI()
	total, reported, wrongHint, hinted, several := 0, 0, 0, 0, 0
	missedBy := map[string]int{}
	for i, e := range cat.Entries() {
		if testing.Short() && i%4 != 0 {
			continue
		}
		if e.Kind == catalog.Dead || e.Path[len(e.Path)-1] == catalog.Any || e.Path[len(e.Path)-1] == catalog.Item {
			continue
		}
		for _, m := range mutations(e.Path, i) {
			if st := cat.Lookup(m.path, catalog.AnyRelease).Status; st != catalog.Unknown {
				continue // the mutation is a key WSO2 reads too, or below a looped table
			}
			_, issues := keyIssuesOf(t, tomlFor(m.path, e.Type), catalog.AnyRelease)
			total++
			if len(issues) == 0 {
				missedBy[m.kind]++
				if missedBy[m.kind] <= 3 {
					t.Logf("missed (%s): %s for %s", m.kind, m.path, e.Path)
				}
				continue
			}
			reported++
			is := issues[0]
			if is.header != nil {
				continue // an unknown table: the hint names tables
			}
			if is.target == nil && len(is.suggest) == 0 {
				continue
			}
			hinted++
			if len(is.suggest) > 1 {
				several++
			}
			if !hintNames(is, e.Path) {
				wrongHint++
				if wrongHint <= 10 {
					t.Logf("hint for %s (from %s): target %v, suggest %v", m.path, e.Path, is.target, is.suggest)
				}
			}
		}
	}
	rate := float64(reported) / float64(total)
	t.Logf("%d mutations, %d reported (%.1f%%), missed by kind %v; %d with a fix or did-you-mean, %d of them not naming the key, %d naming several",
		total, reported, 100*rate, missedBy, hinted, wrongHint, several)
	if rate < 0.95 {
		t.Errorf("reported %.1f%% of mutations, want at least 95%%", 100*rate)
	}
	if wrongHint > 0 {
		t.Errorf("%d did-you-means do not name the mutated key", wrongHint)
	}
}

// hintNames reports whether an issue's fix target or suggestions name the
// key at p.
func hintNames(is *keyIssue, p catalog.Path) bool {
	if is.target != nil {
		return fleet.EqualPath(is.target, p.Keys())
	}
	// The mutated key is written at the top level, or below its array's
	// header: a suggestion names it in full, or relative to that array.
	want := fleet.KeyString(p.Keys())
	if i := lastItem(p); i >= 0 {
		want = fleet.KeyString(p[i+1:].Keys())
	}
	for _, s := range is.suggest {
		if s == want || strings.HasSuffix(s, "] "+want) {
			return true
		}
	}
	return false
}

// lastItem returns the index of p's last Item marker, -1 for none.
func lastItem(p catalog.Path) int {
	for i := len(p) - 1; i >= 0; i-- {
		if p[i] == catalog.Item {
			return i
		}
	}
	return -1
}
