package fleet

import (
	"reflect"
	"testing"
)

func TestCandListGivesBackItsCandidates(t *testing.T) {
	cs := []candidate{
		{abs: "/f/h1/mi/conf/deployment.toml", root: "/f/h1/mi", kind: "toml", noProduct: true},
		{abs: "/f/h1/mi/bin/micro-integrator.sh", root: "/f/h1/mi", kind: "startup"},
		{abs: "/f/h2/ei/conf/server/deployment.yaml", root: "/f/h2/ei", kind: "yaml", runtime: "server"},
		// A root decided after parsing, and one that is not the start of
		// its path (neither classify makes, but the list must not care).
		{abs: "/f/h3/deployment.yaml", kind: "yaml"},
		{abs: "/f/h4/x.env", root: "/elsewhere/root", kind: "startup"},
	}
	l := newCandList(cs)
	if l.len() != len(cs) {
		t.Fatalf("len = %d, want %d", l.len(), len(cs))
	}
	for i, c := range cs {
		if got := l.at(i); got != c {
			t.Errorf("at(%d) = %+v, want %+v", i, got, c)
		}
		if got := l.abs(i); got != c.abs {
			t.Errorf("abs(%d) = %q, want %q", i, got, c.abs)
		}
	}
	sub := l.subset([]int{4, 0})
	got := []candidate{sub.at(0), sub.at(1)}
	if want := []candidate{cs[4], cs[0]}; !reflect.DeepEqual(got, want) {
		t.Errorf("subset = %+v, want %+v", got, want)
	}
	// A root that starts its path takes no room of its own.
	want := 0
	for _, c := range cs {
		want += len(c.abs)
	}
	if want += len("/elsewhere/root"); len(l.paths) != want {
		t.Errorf("paths hold %d bytes, want %d", len(l.paths), want)
	}
}
