package fleet

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeTree(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		abs := filepath.Join(root, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(abs, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestStartupSourcesFoundByWalk checks that the walk's shortcut (a root
// listed without bin/, *.service or *.env has no start-up source) finds
// the same sources as looking, in both layouts.
func TestStartupSourcesFoundByWalk(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"h1/plain/deployment.toml":                 "[server]\n",
		"h1/env/deployment.toml":                   "[server]\n",
		"h1/env/mi.env":                            "JAVA_OPTS=-DportOffset=3\n",
		"h1/unit/deployment.toml":                  "[server]\n",
		"h1/unit/wso2mi.service":                   "ExecStart=/opt/mi/bin/micro-integrator.sh -DportOffset=4\n",
		"h1/home/conf/deployment.toml":             "[server]\n",
		"h1/home/bin/micro-integrator.sh":          "exec java -DportOffset=5 org.wso2.Main\n",
		"h1/wrapper/conf/deployment.toml":          "[server]\n",
		"h1/wrapper/bin/yajsw/wrapper.conf":        "wrapper.java.additional.1=-DportOffset=6\n",
		"h1/ignored/deployment.toml":               "[server]\n",
		"h1/ignored/bin/micro-integrator.sh":       "exec java -DportOffset=7 org.wso2.Main\n",
		".gitignore":                               "bin/\n",
		"h2/binfile/deployment.toml":               "[server]\n",
		"h2/binfile/bin":                           "not a directory\n",
		"h2/binfile/notes.txt":                     "-DportOffset=99\n",
		"h2/deep/conf/deployment.toml":             "[server]\n",
		"h2/deep/bin/nested/micro-integrator.sh":   "-DportOffset=8\n",
		"h2/deep/bin/micro-integrator.sh.disabled": "-DportOffset=9\n",
	})
	fl, err := Load(nil, Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for _, in := range fl.Installs {
		var srcs []string
		for _, st := range in.Startup {
			srcs = append(srcs, st.File.Path)
		}
		got[in.Root] = strings.Join(srcs, ",")
	}
	want := map[string]string{
		"h1/plain":   "",
		"h1/env":     "h1/env/mi.env",
		"h1/unit":    "h1/unit/wso2mi.service",
		"h1/home":    "h1/home/bin/micro-integrator.sh",
		"h1/wrapper": "h1/wrapper/bin/yajsw/wrapper.conf",
		// Start-up sources are read even where .gitignore hides them:
		// they decide the ports of an install that is linted.
		"h1/ignored": "h1/ignored/bin/micro-integrator.sh",
		"h2/binfile": "",
		"h2/deep":    "",
	}
	for root, w := range want {
		if got[root] != w {
			t.Errorf("%s: start-up sources %q, want %q", root, got[root], w)
		}
	}
}

func TestReadUpTo(t *testing.T) {
	for _, tc := range []struct {
		content     string
		hint, limit int64
		want        string
	}{
		{"hello", 6, 100, "hello"},
		{"hello", 1, 100, "hello"}, // the file grew since the Stat
		{"hello", 6, 3, "hel"},     // at most limit bytes
		{"", 1, 10, ""},            // empty
		{"hello world", 100, 100, "hello world"},
	} {
		got, err := readUpTo(strings.NewReader(tc.content), tc.hint, tc.limit)
		if err != nil || string(got) != tc.want {
			t.Errorf("readUpTo(%q, %d, %d) = %q, %v; want %q", tc.content, tc.hint, tc.limit, got, err, tc.want)
		}
	}
}

// TestReleaseRestore checks that a released file comes back as it was,
// that a released document is parsed again from the bytes kept, and that
// a file changed on disk meanwhile is refused rather than misread.
func TestReleaseRestore(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"h1/a/deployment.toml": "# a\n[server]\noffset = 3\n",
		"h1/b/deployment.toml": "[server]\noffset = 4\n",
	})
	fl, err := Load(nil, Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	a, b := fl.File("h1/a/deployment.toml"), fl.File("h1/b/deployment.toml")
	want := string(a.Src)
	wantEntries := len(a.TOML.Entries)
	a.Release()
	if !a.Released() || a.Src != nil || a.TOML != nil || a.Comments != nil {
		t.Fatalf("Release kept content: %+v", a)
	}
	if sp := FirstLine(a); sp.Start != 0 || sp.End != 3 {
		t.Errorf("FirstLine of a released file = %v, want {0 3}", sp)
	}
	if err := a.Restore(); err != nil {
		t.Fatal(err)
	}
	if string(a.Src) != want || a.TOML == nil || len(a.TOML.Entries) != wantEntries || len(a.Comments) != 1 || a.Pos(4).Line != 2 {
		t.Fatalf("Restore gave %q, %d entries, %d comments", a.Src, len(a.TOML.Entries), len(a.Comments))
	}

	b.ReleaseDoc()
	if b.TOML != nil || b.Src == nil {
		t.Fatalf("ReleaseDoc dropped the bytes or kept the document")
	}
	if err := b.Restore(); err != nil || b.TOML == nil || len(b.TOML.Entries) != 1 {
		t.Fatalf("Restore after ReleaseDoc: %v", err)
	}

	b.Release()
	if err := os.WriteFile(b.Abs, []byte("[server]\noffset = 5\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := b.Restore(); err == nil || !strings.Contains(err.Error(), "changed") {
		t.Errorf("Restore of a file changed on disk: %v, want an error saying so", err)
	}
}
