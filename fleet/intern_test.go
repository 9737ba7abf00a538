package fleet

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unsafe"
)

// below must answer exactly as filepath.Rel does wherever it answers at
// all, and must answer for the common case (a file under the working
// directory), which is what keeps display paths from being built anew.
func TestBelowAgreesWithRel(t *testing.T) {
	cases := []struct {
		dir, abs string
		fast     bool
	}{
		{"/w", "/w/a/conf/deployment.toml", true},
		{"/w/fleet", "/w/fleet/dc-01/host-0001/mi-1", true},
		{"/w", "/w", false},
		{"/w", "/w/", false},
		{"/w", "/wx/a", false},
		{"/w", "/x/a", false},
		{"/", "/a", false},
		{"/w/", "/w/a", false},
		{"/w", "/w/a/../b", false},
		{"/w", "/w//a", false},
		{"w", "w/a", false},
		{"/w/./x", "/w/./x/a", false},
		{"/w", "/w/a/./b", false},
		{"/w", "/w/a/.", false},
		{"/w", "/w/..", false},
		{"/w", "/w/a/", false},
		{"/w", "/w/.a/..b/c.", true},
	}
	for _, c := range cases {
		got, ok := below(c.dir, c.abs)
		if ok != (c.fast && filepath.Separator == '/') {
			t.Errorf("below(%q, %q): ok = %v", c.dir, c.abs, ok)
		}
		if !ok {
			continue
		}
		if want, err := filepath.Rel(c.dir, c.abs); err != nil || got != want {
			t.Errorf("below(%q, %q) = %q, filepath.Rel says %q (%v)", c.dir, c.abs, got, want, err)
		}
	}
}

// intern must return equal strings, shared, and never a window on the
// string it was given.
func TestInternShares(t *testing.T) {
	text := "port = 8280\n"
	a := intern(text[7:11])
	b := intern("8280")
	if a != "8280" || b != "8280" {
		t.Fatalf("intern changed the value: %q %q", a, b)
	}
	if unsafe.StringData(a) != unsafe.StringData(b) {
		t.Errorf("two interned copies of 8280 do not share memory")
	}
	if unsafe.StringData(a) == unsafe.StringData(text[7:11]) {
		t.Errorf("intern returned a window on its argument's text")
	}
}

// walkDir must step into the same paths as filepath.WalkDir, in the same
// order, whether the root it starts from is clean or not.
func TestWalkDirPathsAsWalkDir(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []string{"d/a/x.toml", "d/a/b/y.yaml", "d/c.txt", "d/.h/z"} {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(dir)
	for _, root := range []string{"d", "./d", "d/", "d/a/..", dir + "/d", ".", "d/."} {
		var want, got []string
		_ = filepath.WalkDir(root, func(p string, _ fs.DirEntry, err error) error {
			want = append(want, p)
			return err
		})
		info, err := os.Lstat(root)
		if err != nil {
			t.Fatal(err)
		}
		step := func(p, _ string, _ fs.DirEntry, err error) error {
			got = append(got, p)
			return err
		}
		_ = walkDir(root, ".", fs.FileInfoToDirEntry(info), step, func(string, string, []fs.DirEntry) {}, filepath.Clean(root) == root)
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Errorf("walk from %q:\n%s\nfilepath.WalkDir:\n%s", root, strings.Join(got, "\n"), strings.Join(want, "\n"))
		}
	}
}
