package fleet

import (
	"reflect"
	"testing"
)

func TestFirstOfEachPathKeepsTheFirstFound(t *testing.T) {
	named := candidate{abs: "/f/h/mi/bin/x.sh", root: "/f/h/mi", kind: "startup"}
	cs := []candidate{
		named,
		{abs: "/f/h/mi/conf/deployment.toml", root: "/f/h/mi", kind: "toml"},
		{abs: "/f/a/mi/conf/deployment.toml", root: "/f/a/mi", kind: "toml"},
		// The same paths found again: by the walk, and as a start-up
		// source of an odd root.
		{abs: "/f/h/mi/conf/deployment.toml", root: "/f/h/mi", kind: "toml"},
		{abs: "/f/h/mi/bin/x.sh", root: "/f/h/mi/bin", kind: "startup"},
	}
	got := firstOfEachPath(cs)
	want := []candidate{cs[2], named, cs[1]}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("firstOfEachPath =\n%+v\nwant\n%+v", got, want)
	}
}
