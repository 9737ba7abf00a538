package fleet

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
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

// loadTree writes files into a new directory and loads it.
func loadTree(t *testing.T, files map[string]string) (dir string, fl *Fleet) {
	t.Helper()
	dir = t.TempDir()
	writeTree(t, dir, files)
	fl, err := Load(nil, Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	return dir, fl
}

// TestStartupSourcesFoundByWalk checks that the walk's shortcut (a root
// listed without bin/, *.service or *.env has no start-up source) finds
// the same sources as looking, in both layouts.
func TestStartupSourcesFoundByWalk(t *testing.T) {
	_, fl := loadTree(t, map[string]string{
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
	_, fl := loadTree(t, map[string]string{
		"h1/a/deployment.toml": "# a\n[server]\noffset = 3\n",
		"h1/b/deployment.toml": "[server]\noffset = 4\n",
	})
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

// TestHostReloader checks that a host loaded again alone has the installs
// and ports Load gave it, that an overlay changes only the file it names,
// and that a file whose content was loaded before is shared, not parsed
// again.
func TestHostReloader(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"h1/mi-a/deployment.toml": "[server]\noffset = 1\n",
		"h1/mi-b/deployment.toml": "[server]\noffset = 2\n",
		"h2/mi-c/deployment.toml": "[server]\noffset = 3\n",
	})
	fl, err := Load([]string{"."}, Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := NewHostReloader(fl, "h3"); ok {
		t.Error("a reloader of a host the fleet does not have")
	}
	r, ok := NewHostReloader(fl, "h1")
	if !ok {
		t.Fatal("no reloader of h1")
	}
	offsets := func(sub *Fleet) string {
		var b strings.Builder
		for _, h := range sub.Hosts {
			for _, in := range h.Installs {
				rt := in.Runtimes[0]
				b.WriteString(h.Name + " " + in.Root + " " + strings.TrimSpace(string(rt.File.Src)) + ";")
			}
		}
		return b.String()
	}
	first, ok := r.Load(nil)
	if !ok {
		t.Fatal("h1 did not load")
	}
	if got, want := offsets(first), "h1 h1/mi-a [server]\noffset = 1;h1 h1/mi-b [server]\noffset = 2;"; got != want {
		t.Errorf("loaded alone: %q, want %q", got, want)
	}
	a := filepath.Join(dir, "h1", "mi-a", "deployment.toml")
	second, _ := r.Load(map[string][]byte{a: []byte("[server]\noffset = 5\n")})
	if got, want := offsets(second), "h1 h1/mi-a [server]\noffset = 5;h1 h1/mi-b [server]\noffset = 2;"; got != want {
		t.Errorf("with an overlay: %q, want %q", got, want)
	}
	if second.Installs[0].Runtimes[0].Offset.Value != 5 {
		t.Errorf("offset %d after the overlay, want 5", second.Installs[0].Runtimes[0].Offset.Value)
	}
	if second.Files[1] != first.Files[1] {
		t.Error("the unchanged file was loaded again")
	}
	third, _ := r.Load(nil)
	if third.Files[0] != first.Files[0] || third.Files[0] == second.Files[0] {
		t.Error("the original content was not shared with the first load")
	}
	if third.Hosts[0] == first.Hosts[0] || third.Installs[0] == first.Installs[0] {
		t.Error("loads share installs: they must be built afresh")
	}
	// A file loaded on its own, as the fix loop checks a fixed file, is
	// the one the next load with that content takes.
	fixed := []byte("[server]\noffset = 7\n")
	f := r.File(a, fixed)
	if f == nil || f.TOML == nil || string(f.Src) != string(fixed) {
		t.Fatalf("File(%s) = %+v, want the file parsed with the fixed content", a, f)
	}
	if fourth, _ := r.Load(map[string][]byte{a: fixed}); fourth.Files[0] != f {
		t.Error("the load parsed again the file File had loaded")
	}
	if r.File(filepath.Join(dir, "h2", "mi-c", "deployment.toml"), fixed) != nil {
		t.Error("File loaded a file of another host")
	}
}

// TestReloadLoadsChangedHostsOnly checks that Reload loads again the hosts
// it is asked for and those whose files the overlay changes, and not a
// host whose overlay content is the one it was loaded with: the fix loop
// passes its whole overlay every pass.
func TestReloadLoadsChangedHostsOnly(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"h1/mi/deployment.toml": "[server]\noffset = 1\n",
		"h2/mi/deployment.toml": "[server]\noffset = 2\n",
		"h3/mi/deployment.toml": "[server]\noffset = 3\n",
	})
	fixed := []byte("[server]\noffset = 10\n")
	fl, err := Load(nil, Options{WorkDir: dir, Overlay: map[string][]byte{filepath.Join(dir, "h1/mi/deployment.toml"): fixed}})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		hosts   []string
		overlay map[string]string
		want    string
	}{
		{"same content", nil, map[string]string{"h1": string(fixed)}, ""},
		{"asked for", []string{"h3"}, map[string]string{"h1": string(fixed)}, "h3"},
		{"changed again", nil, map[string]string{"h1": "[server]\noffset = 11\n"}, "h1"},
		{"new file", nil, map[string]string{"h1": string(fixed), "h2": "[server]\noffset = 2\n"}, "h2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			hosts := map[string]bool{}
			for _, h := range tc.hosts {
				hosts[h] = true
			}
			overlay := map[string][]byte{}
			for h, content := range tc.overlay {
				overlay[filepath.Join(dir, h, "mi/deployment.toml")] = []byte(content)
			}
			var loaded []string
			out, ok := Reload(fl, hosts, overlay, func(p *Fleet) {
				for _, h := range p.Hosts {
					loaded = append(loaded, h.Name)
				}
			})
			if !ok {
				t.Fatal("Reload refused a fleet Load made")
			}
			if got := strings.Join(loaded, ","); got != tc.want {
				t.Errorf("hosts loaded again: %q, want %q", got, tc.want)
			}
			if got := out.File("h1/mi/deployment.toml").Src; string(got) != tc.overlay["h1"] {
				t.Errorf("h1's content after Reload: %q, want %q", got, tc.overlay["h1"])
			}
		})
	}
}

// TestFleetIndexes checks InstallOf and FileAbs, which search fl.Files: a
// file that shares its path with another (an embedded config and its
// manifest) finds its own install, a file of another fleet finds none,
// and the first file of an absolute path is the one returned.
func TestFleetIndexes(t *testing.T) {
	manifest := &File{Path: "k/app.yaml", Abs: "/w/k/app.yaml"}
	embedded := &File{Path: "k/app.yaml", Abs: "/w/k/app.yaml#ConfigMap/c"}
	other := &File{Path: "h/mi/deployment.toml", Abs: "/w/h/mi/deployment.toml"}
	mi := &File{Path: "h/mi/deployment.toml", Abs: "/w/h/mi/deployment.toml"}
	script := &File{Path: "h/mi/bin/micro-integrator.sh", Abs: "/w/h/mi/bin/micro-integrator.sh"}
	in := &Install{Root: "h/mi"}
	in.Runtimes = []*Runtime{{Install: in, File: mi}}
	in.Startup = []*Startup{{File: script}}
	cm := &Install{Root: "k/app.yaml#c"}
	cm.Runtimes = []*Runtime{{Install: cm, File: embedded}}
	fl := &Fleet{Files: []*File{script, mi, manifest, embedded}, Installs: []*Install{in, cm}}
	for _, tc := range []struct {
		f    *File
		want *Install
	}{{mi, in}, {script, in}, {embedded, cm}, {manifest, nil}, {other, nil}} {
		if got := fl.InstallOf(tc.f); got != tc.want {
			t.Errorf("InstallOf(%s %s) = %v, want %v", tc.f.Path, tc.f.Abs, got, tc.want)
		}
	}
	for _, f := range fl.Files {
		if got := fl.FileAbs(f.Abs); got != f {
			t.Errorf("FileAbs(%s) = %v, want the file", f.Abs, got)
		}
	}
	if got := fl.FileAbs("/w/h/mi/conf/deployment.toml"); got != nil {
		t.Errorf("FileAbs of a path not in the fleet = %v", got)
	}
}

// TestReleaseDocKeepsDirectives checks that a released document leaves
// only the comments that mention wso2lint, their text intact, and that
// Restore brings every comment back.
func TestReleaseDocKeepsDirectives(t *testing.T) {
	src := "# Micro Integrator settings\n[server]\noffset = 3 # wso2lint: ignore[O003] kept on purpose\n# the end\n"
	_, fl := loadTree(t, map[string]string{"h1/a/deployment.toml": src})
	f := fl.File("h1/a/deployment.toml")
	if len(f.Comments) != 3 {
		t.Fatalf("%d comments, want 3: %+v", len(f.Comments), f.Comments)
	}
	f.ReleaseDoc()
	want := "# wso2lint: ignore[O003] kept on purpose"
	if len(f.Comments) != 1 || f.Comments[0].Text != want || string(f.Src[f.Comments[0].Span.Start:f.Comments[0].Span.End]) != want {
		t.Errorf("after ReleaseDoc: %+v, want only the directive", f.Comments)
	}
	if err := f.Restore(); err != nil || len(f.Comments) != 3 || f.TOML == nil {
		t.Errorf("after Restore: %v, %d comments", err, len(f.Comments))
	}
}

// TestWithHosts checks that a fleet with some hosts replaced keeps every
// other host's installs and files as they were, takes the replacing
// host's, and keeps its lists sorted; reloaded, it keeps the
// replacing host.
func TestWithHosts(t *testing.T) {
	dir, fl := loadTree(t, map[string]string{
		"h1/mi/deployment.toml":           "[server]\noffset = 1\n",
		"h2/mi-a/deployment.toml":         "[server]\noffset = 2\n",
		"h2/mi-b/deployment.toml":         "[server]\noffset = 3\n",
		"h3/mi/deployment.toml":           "[server]\noffset = 4\n",
		"h2/mi-a/bin/micro-integrator.sh": "exec java -DportOffset=5 org.wso2.Main\n",
	})
	r, ok := NewHostReloader(fl, "h2")
	if !ok {
		t.Fatal("no reloader for h2")
	}
	h2, ok := r.Load(map[string][]byte{filepath.Join(dir, "h2/mi-b/deployment.toml"): []byte("[server]\noffset = 6\n")})
	if !ok {
		t.Fatal("h2 did not load alone")
	}
	out := fl.WithHosts([]*Fleet{h2})
	paths, roots, hosts := lists(out)
	for _, c := range []struct{ got, want string }{
		{paths, "h1/mi/deployment.toml h2/mi-a/bin/micro-integrator.sh h2/mi-a/deployment.toml h2/mi-b/deployment.toml h3/mi/deployment.toml"},
		{roots, "h1/mi h2/mi-a h2/mi-b h3/mi"},
		{hosts, "h1:1 h2:2 h3:1"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
	if string(out.File("h2/mi-b/deployment.toml").Src) != "[server]\noffset = 6\n" || out.File("h1/mi/deployment.toml") != fl.File("h1/mi/deployment.toml") {
		t.Error("WithHosts did not take h2's new file and keep h1's")
	}
	if out.Hosts[1] != h2.Hosts[0] || out.InstallOf(out.File("h2/mi-b/deployment.toml")).Host != h2.Hosts[0] {
		t.Error("h2 is not the replacing host")
	}
	// Reloaded, the fleet loads h1 again and keeps h2 as it was given.
	again, ok := Reload(out, map[string]bool{"h1": true}, nil, nil)
	if !ok {
		t.Fatal("the fleet with h2 replaced cannot be reloaded")
	}
	if again.Hosts[0] == fl.Hosts[0] || again.Hosts[1] != h2.Hosts[0] || again.Hosts[2] != fl.Hosts[2] {
		t.Error("Reload did not load h1 again, keep the replacing h2 and share h3")
	}
}

// lists returns the paths of a fleet's files, the roots of its installs
// and its hosts with their number of installs, each in the fleet's order.
func lists(fl *Fleet) (files, roots, hosts string) {
	var fs, rs, hs []string
	for _, f := range fl.Files {
		fs = append(fs, f.Path)
	}
	for _, in := range fl.Installs {
		rs = append(rs, in.Root)
	}
	for _, h := range fl.Hosts {
		hs = append(hs, fmt.Sprintf("%s:%d", h.Name, len(h.Installs)))
	}
	return strings.Join(fs, " "), strings.Join(rs, " "), strings.Join(hs, " ")
}

// TestForget checks that the installs OnHost forgets leave the fleet's
// lists, with the files only they read, and are counted; that the host
// stays with what it keeps; that the indexes built before forgetting do
// not answer for the forgotten; and that nothing is forgotten outside
// OnHost or where the load may build containers.
func TestForget(t *testing.T) {
	tree := map[string]string{
		"h1/a/conf/deployment.toml":          "[server]\noffset = 1\n",
		"h1/a/bin/micro-integrator.sh":       "exec java -DportOffset=1 org.wso2.Main\n",
		"h1/b/conf/deployment.toml":          "[server]\noffset = 2\n",
		"h2/c/conf/deployment.toml":          "[server]\noffset = 3\n",
		"h3/eia/conf/server/deployment.yaml": "wso2.carbon:\n  id: wso2-sp\n",
	}
	forgetA := func(sub *Fleet) {
		for _, in := range sub.Installs {
			in := in
			if in.Root == "h1/a" {
				sub.InstallOf(in.Runtimes[0].File) // builds the indexes
				if !sub.Forget([]*Install{in}) {
					t.Error("Forget on the fleet OnHost passes reported false")
				}
				if b := sub.File("h1/b/conf/deployment.toml"); b == nil || sub.InstallOf(b) == nil || sub.InstallOf(b).Root != "h1/b" {
					t.Error("after Forget, the host's fleet does not tell the kept file's install")
				}
			}
		}
	}
	dir := t.TempDir()
	writeTree(t, dir, tree)
	fl, err := Load(nil, Options{WorkDir: dir, OnHost: forgetA})
	if err != nil {
		t.Fatal(err)
	}
	files, roots, hosts := lists(fl)
	if want := "h1/b h2/c h3/eia"; roots != want {
		t.Errorf("installs %s, want %s", roots, want)
	}
	if want := "h1/b/conf/deployment.toml h2/c/conf/deployment.toml h3/eia/conf/server/deployment.yaml"; files != want {
		t.Errorf("files %s, want %s", files, want)
	}
	if want := "h1:1 h2:1 h3:1"; hosts != want {
		t.Errorf("hosts %s, want %s", hosts, want)
	}
	if fl.Forgotten != (Counts{Installs: 1, Files: 2}) {
		t.Errorf("Forgotten = %+v, want 1 install and its 2 files", fl.Forgotten)
	}
	if b := fl.File("h1/b/conf/deployment.toml"); b == nil || fl.InstallOf(b) == nil || fl.InstallOf(b).Root != "h1/b" {
		t.Error("the kept install's file lost its install")
	}
	if fl.Forget(fl.Installs[:1]) {
		t.Error("Forget on the loaded fleet reported true")
	}

	// A compose file, or a bare deployment.yaml that may be a manifest,
	// may make containers that run any install: nothing is forgotten.
	for name, extra := range map[string]string{
		"compose":  "h9/docker-compose.yml",
		"manifest": "k8s/deployment.yaml",
	} {
		dir := t.TempDir()
		writeTree(t, dir, tree)
		writeTree(t, dir, map[string]string{extra: "services: {}\n"})
		var forgot atomic.Bool // OnHost runs on the load's workers
		fl, err := Load(nil, Options{WorkDir: dir, OnHost: func(sub *Fleet) {
			if sub.Forget(sub.Installs) {
				forgot.Store(true)
			}
		}})
		if err != nil {
			t.Fatal(err)
		}
		if forgot.Load() || fl.Forgotten != (Counts{}) || len(fl.Installs) != 4 {
			t.Errorf("%s: forgot %+v, kept %d installs; want nothing forgotten", name, fl.Forgotten, len(fl.Installs))
		}
	}
}

// TestHostNamed checks the host a name gives, by its whole name or its
// last element, the first in name order, and that the fleet of one host
// OnHost passes gives the whole fleet's answer.
func TestHostNamed(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{
		"dc-1/analytics/eia/conf/server/deployment.yaml": "wso2.carbon:\n  id: wso2-sp\n",
		"dc-2/analytics/mi/conf/deployment.toml":         "[server]\n",
		"dc-2/mi-host/mi/conf/deployment.toml":           "[server]\n",
	})
	names := []string{"dc-1/analytics", "analytics", "mi-host", "dc-2/mi-host", "dc-3/mi-host", "localhost"}
	want := []string{"dc-1/analytics", "dc-1/analytics", "dc-2/mi-host", "dc-2/mi-host", "", ""}
	answer := func(fl *Fleet) string {
		var out []string
		for _, n := range names {
			h, ok := fl.HostNamed(n)
			out = append(out, fmt.Sprintf("%s=%s/%v", n, h, ok))
		}
		return strings.Join(out, " ")
	}
	var wantAnswer []string
	for i, n := range names {
		wantAnswer = append(wantAnswer, fmt.Sprintf("%s=%s/%v", n, want[i], want[i] != ""))
	}
	var mu sync.Mutex // OnHost runs on the load's workers
	var streamed []string
	fl, err := Load(nil, Options{WorkDir: dir, OnHost: func(sub *Fleet) {
		a := answer(sub)
		mu.Lock()
		defer mu.Unlock()
		streamed = append(streamed, a)
	}})
	if err != nil {
		t.Fatal(err)
	}
	if got := answer(fl); got != strings.Join(wantAnswer, " ") {
		t.Errorf("the fleet answers\n%s\nwant\n%s", got, strings.Join(wantAnswer, " "))
	}
	if len(streamed) != 3 {
		t.Fatalf("OnHost ran %d times, want 3", len(streamed))
	}
	for _, got := range streamed {
		if got != answer(fl) {
			t.Errorf("a host's fleet answers\n%s\nthe whole fleet\n%s", got, answer(fl))
		}
	}
}

// TestTempDirs checks the directories where --fix looks for the stale
// copies of an interrupted write: those where the walk saw one, and that
// of a file named on the command line.
func TestTempDirs(t *testing.T) {
	dir, fl := loadTree(t, map[string]string{
		"h/a/conf/deployment.toml":                  "[server]\n",
		"h/a/conf/.deployment.toml.wso2lint-481516": "[server]\n",
		"h/b/conf/deployment.toml":                  "[server]\n",
		"h/b/conf/.deployment.toml.wso2lint-x1":     "not ours: no digits\n",
		"notes/.todo.wso2lint-7":                    "anywhere in the tree\n",
	})
	want := []string{filepath.Join(dir, "h/a/conf"), filepath.Join(dir, "notes")}
	if !slices.Equal(fl.TempDirs, want) {
		t.Errorf("TempDirs = %q, want %q", fl.TempDirs, want)
	}
	fl, err := Load([]string{"h/b/conf/deployment.toml"}, Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{filepath.Join(dir, "h/a/conf"), filepath.Join(dir, "h/b/conf")}; !slices.Equal(fl.TempDirs, want) {
		t.Errorf("named file: TempDirs = %q, want %q", fl.TempDirs, want)
	}
}
