package rewrite

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"syscall"
	"testing"
)

const (
	oldContent = "[server]\noffset = 0\n"
	newContent = "[server]\noffset = 1\n"
)

// writeTestFile creates dir/name holding oldContent with the given mode. The
// mode is set with Chmod so the umask cannot alter it.
func writeTestFile(t *testing.T, dir, name string, mode fs.FileMode) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(oldContent), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, mode); err != nil {
		t.Fatal(err)
	}
	return p
}

// assertFile checks that p holds want with mode.
func assertFile(t *testing.T, p, want string, mode fs.FileMode) {
	t.Helper()
	got, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != want {
		t.Errorf("%s: content = %q, want %q", p, got, want)
	}
	info, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if !info.Mode().IsRegular() {
		t.Errorf("%s: mode %v, want a regular file", p, info.Mode())
	}
	if info.Mode().Perm() != mode {
		t.Errorf("%s: mode = %v, want %v", p, info.Mode().Perm(), mode)
	}
}

// assertEntries checks that dir holds exactly the names in want, which
// proves no temporary file was left behind.
func assertEntries(t *testing.T, dir string, want ...string) {
	t.Helper()
	ents, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range ents {
		got = append(got, e.Name())
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Errorf("%s holds %q, want %q", dir, got, want)
	}
}

// faultFS is the real file system with individual steps replaceable, so a
// test can make exactly one of them fail.
type faultFS struct {
	osFS
	createTemp func(dir, pattern string) (*os.File, error)
	write      func(f *os.File, b []byte) (int, error)
	sync       func(f *os.File) error
	rename     func(oldpath, newpath string) error
	syncDir    func(dir string) error
	syncFS     func(fd int) error
	mu         sync.Mutex // guards created: files are written several at once
	created    []string   // names of temporary files created
}

func (f *faultFS) CreateTemp(dir, pattern string) (*os.File, error) {
	if f.createTemp != nil {
		return f.createTemp(dir, pattern)
	}
	tmp, err := f.osFS.CreateTemp(dir, pattern)
	if err == nil {
		f.mu.Lock()
		f.created = append(f.created, tmp.Name())
		f.mu.Unlock()
	}
	return tmp, err
}

func (f *faultFS) Write(file *os.File, b []byte) (int, error) {
	if f.write != nil {
		return f.write(file, b)
	}
	return f.osFS.Write(file, b)
}

func (f *faultFS) Sync(file *os.File) error {
	if f.sync != nil {
		return f.sync(file)
	}
	return f.osFS.Sync(file)
}

func (f *faultFS) Rename(oldpath, newpath string) error {
	if f.rename != nil {
		return f.rename(oldpath, newpath)
	}
	return f.osFS.Rename(oldpath, newpath)
}

func (f *faultFS) SyncDir(dir string) error {
	if f.syncDir != nil {
		return f.syncDir(dir)
	}
	return f.osFS.SyncDir(dir)
}

func (f *faultFS) SyncFS(fd int) error {
	if f.syncFS != nil {
		return f.syncFS(fd)
	}
	return f.osFS.SyncFS(fd)
}

// useFS installs f as the package file system for the duration of the test.
func useFS(t *testing.T, f fileSystem) {
	t.Helper()
	saved := fsys
	fsys = f
	t.Cleanup(func() { fsys = saved })
}

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	p := writeTestFile(t, dir, "deployment.toml", 0o640)
	ffs := &faultFS{}
	useFS(t, ffs)
	if err := WriteFile(p, []byte(oldContent), []byte(newContent), []string{dir}); err != nil {
		t.Fatal(err)
	}
	assertFile(t, p, newContent, 0o640)
	assertEntries(t, dir, "deployment.toml")
	if len(ffs.created) != 1 || !strings.HasPrefix(filepath.Base(ffs.created[0]), ".deployment.toml.wso2lint-") ||
		filepath.Dir(ffs.created[0]) != dir {
		t.Errorf("temporary files = %q, want one .deployment.toml.wso2lint-* in %s", ffs.created, dir)
	}
}

// TestWriteFileKeepsUnusualMode uses a mode the umask would normally strip
// (world-writable, no group bits), to prove the mode is copied, not derived.
func TestWriteFileKeepsUnusualMode(t *testing.T) {
	dir := t.TempDir()
	p := writeTestFile(t, dir, "a.toml", 0o606)
	if err := WriteFile(p, []byte(oldContent), []byte(newContent), nil); err != nil {
		t.Fatal(err)
	}
	assertFile(t, p, newContent, 0o606)
}

func TestWriteFileChangedBeforeCall(t *testing.T) {
	dir := t.TempDir()
	p := writeTestFile(t, dir, "a.toml", 0o640)
	err := WriteFile(p, []byte("[server]\noffset = 5\n"), []byte(newContent), nil)
	if !errors.Is(err, ErrChanged) {
		t.Fatalf("err = %v, want ErrChanged", err)
	}
	if !strings.Contains(err.Error(), p) {
		t.Errorf("error %q does not name the path", err)
	}
	assertFile(t, p, oldContent, 0o640)
	assertEntries(t, dir, "a.toml")
}

func TestWriteFileReadOnly(t *testing.T) {
	// The check uses the mode bits, so it holds even for root, which the
	// kernel would let open the file for writing.
	dir := t.TempDir()
	p := writeTestFile(t, dir, "a.toml", 0o444)
	err := WriteFile(p, []byte(oldContent), []byte(newContent), nil)
	if !errors.Is(err, fs.ErrPermission) || !strings.Contains(err.Error(), "permission denied") {
		t.Fatalf("err = %v, want permission denied", err)
	}
	assertFile(t, p, oldContent, 0o444)
	assertEntries(t, dir, "a.toml")
}

func TestWriteFileReadOnlyDir(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("root (and Windows) can create files in a read-only directory")
	}
	dir := t.TempDir()
	p := writeTestFile(t, dir, "a.toml", 0o640)
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o755) })
	err := WriteFile(p, []byte(oldContent), []byte(newContent), nil)
	if !errors.Is(err, fs.ErrPermission) {
		t.Fatalf("err = %v, want permission denied", err)
	}
	assertFile(t, p, oldContent, 0o640)
	assertEntries(t, dir, "a.toml")
}

func TestWriteFileNotRegular(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "conf")
	if err := os.Mkdir(sub, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(sub, nil, []byte(newContent), nil); err == nil {
		t.Fatal("writing over a directory succeeded")
	}
	assertEntries(t, dir, "conf")
}

func TestWriteFileSymlinkInsideRoots(t *testing.T) {
	root := t.TempDir()
	shared := filepath.Join(root, "shared")
	if err := os.Mkdir(shared, 0o755); err != nil {
		t.Fatal(err)
	}
	target := writeTestFile(t, shared, "deployment.toml", 0o640)
	conf := filepath.Join(root, "node1")
	if err := os.Mkdir(conf, 0o755); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(conf, "deployment.toml")
	if err := os.Symlink(filepath.Join("..", "shared", "deployment.toml"), link); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(link, []byte(oldContent), []byte(newContent), []string{root}); err != nil {
		t.Fatal(err)
	}
	li, err := os.Lstat(link)
	if err != nil {
		t.Fatal(err)
	}
	if li.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("%s was replaced by a regular file", link)
	}
	assertFile(t, target, newContent, 0o640)
	assertEntries(t, shared, "deployment.toml")
	assertEntries(t, conf, "deployment.toml")
}

// TestWriteFileSymlinkRootViaLink names the root through a symlinked
// directory: the root must be resolved too, or the resolved target would
// never appear to lie under it.
func TestWriteFileSymlinkRootViaLink(t *testing.T) {
	base := t.TempDir()
	realDir := filepath.Join(base, "real")
	if err := os.Mkdir(realDir, 0o755); err != nil {
		t.Fatal(err)
	}
	target := writeTestFile(t, realDir, "a.toml", 0o640)
	rootLink := filepath.Join(base, "root")
	if err := os.Symlink(realDir, rootLink); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(realDir, "b.toml")
	if err := os.Symlink("a.toml", link); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(link, []byte(oldContent), []byte(newContent), []string{rootLink}); err != nil {
		t.Fatal(err)
	}
	assertFile(t, target, newContent, 0o640)
}

func TestWriteFileSymlinkOutsideRoots(t *testing.T) {
	base := t.TempDir()
	root := filepath.Join(base, "wso2")
	outside := filepath.Join(base, "wso2-other") // shares root's prefix as a string
	for _, d := range []string{root, outside} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	target := writeTestFile(t, outside, "a.toml", 0o640)
	link := filepath.Join(root, "a.toml")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	for _, roots := range [][]string{nil, {root}} {
		err := WriteFile(link, []byte(oldContent), []byte(newContent), roots)
		if !errors.Is(err, ErrSymlinkOutside) {
			t.Fatalf("roots %q: err = %v, want ErrSymlinkOutside", roots, err)
		}
		if !strings.Contains(err.Error(), link) {
			t.Errorf("error %q does not name the path", err)
		}
	}
	assertFile(t, target, oldContent, 0o640)
	assertEntries(t, outside, "a.toml")
	assertEntries(t, root, "a.toml")
	if li, err := os.Lstat(link); err != nil || li.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("%s is no longer a symlink (err %v)", link, err)
	}
}

func TestWriteFileDanglingSymlink(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "a.toml")
	if err := os.Symlink(filepath.Join(dir, "missing.toml"), link); err != nil {
		t.Fatal(err)
	}
	err := WriteFile(link, []byte(oldContent), []byte(newContent), []string{dir})
	if !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("err = %v, want not exist", err)
	}
	assertEntries(t, dir, "a.toml")
	if li, err := os.Lstat(link); err != nil || li.Mode()&fs.ModeSymlink == 0 {
		t.Errorf("%s is no longer a symlink (err %v)", link, err)
	}
}

func TestWriteFileFaults(t *testing.T) {
	tests := []struct {
		name    string
		fault   func(p string) *faultFS
		wantErr error  // checked with errors.Is
		want    string // content expected on disk afterwards
	}{
		{
			name: "disk full",
			fault: func(string) *faultFS {
				return &faultFS{write: func(f *os.File, b []byte) (int, error) {
					n, _ := f.Write(b[:len(b)/2]) // a partial write, as a full disk gives
					return n, &fs.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
				}}
			},
			wantErr: syscall.ENOSPC,
			want:    oldContent,
		},
		{
			name: "sync fails",
			fault: func(string) *faultFS {
				return &faultFS{sync: func(*os.File) error { return syscall.EIO }}
			},
			wantErr: syscall.EIO,
			want:    oldContent,
		},
		{
			name: "rename fails",
			fault: func(string) *faultFS {
				return &faultFS{rename: func(o, n string) error {
					return &os.LinkError{Op: "rename", Old: o, New: n, Err: syscall.EXDEV}
				}}
			},
			wantErr: syscall.EXDEV,
			want:    oldContent,
		},
		{
			name: "create temp fails",
			fault: func(string) *faultFS {
				return &faultFS{createTemp: func(dir, _ string) (*os.File, error) {
					return nil, &fs.PathError{Op: "open", Path: dir, Err: syscall.EACCES}
				}}
			},
			wantErr: fs.ErrPermission,
			want:    oldContent,
		},
		{
			// Another writer edits the file while the temporary file is being
			// written: the re-read before the rename must catch it and keep
			// their edit rather than ours or the original.
			name: "changed mid-run",
			fault: func(p string) *faultFS {
				return &faultFS{sync: func(f *os.File) error {
					if err := os.WriteFile(p, []byte("[server]\noffset = 7\n"), 0o600); err != nil {
						return err
					}
					return f.Sync()
				}}
			},
			wantErr: ErrChanged,
			want:    "[server]\noffset = 7\n",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			p := writeTestFile(t, dir, "deployment.toml", 0o640)
			useFS(t, tt.fault(p))
			err := WriteFile(p, []byte(oldContent), []byte(newContent), []string{dir})
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if !strings.Contains(err.Error(), p) {
				t.Errorf("error %q does not name the path", err)
			}
			assertFile(t, p, tt.want, 0o640)
			assertEntries(t, dir, "deployment.toml")
		})
	}
}

// TestWriteFileSyncDirFails checks that a failed directory fsync is reported
// even though the rename has already happened, and leaves no temporary file.
func TestWriteFileSyncDirFails(t *testing.T) {
	dir := t.TempDir()
	p := writeTestFile(t, dir, "a.toml", 0o640)
	useFS(t, &faultFS{syncDir: func(string) error { return syscall.EIO }})
	err := WriteFile(p, []byte(oldContent), []byte(newContent), nil)
	if !errors.Is(err, syscall.EIO) {
		t.Fatalf("err = %v, want EIO", err)
	}
	assertFile(t, p, newContent, 0o640)
	assertEntries(t, dir, "a.toml")
}

func TestWithin(t *testing.T) {
	root := filepath.FromSlash("/etc/wso2")
	tests := []struct {
		target string
		want   bool
	}{
		{"/etc/wso2", true},
		{"/etc/wso2/conf/deployment.toml", true},
		{"/etc/wso2/..data/a.toml", true},
		{"/etc/wso2-other/a.toml", false},
		{"/etc/a.toml", false},
		{"/a.toml", false},
	}
	for _, tt := range tests {
		if got := within(filepath.FromSlash(tt.target), root); got != tt.want {
			t.Errorf("within(%q, %q) = %v, want %v", tt.target, root, got, tt.want)
		}
	}
}

// TestWriteFileKeepsOwner checks that a rewrite keeps the file's owner and
// group (it needs root to give the file to another user).
func TestWriteFileKeepsOwner(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to chown")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "deployment.toml")
	if err := os.WriteFile(p, []byte("a = 1\n"), 0o640); err != nil {
		t.Fatal(err)
	}
	if err := os.Chown(p, 1234, 5678); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, []byte("a = 1\n"), []byte("a = 2\n"), []string{dir}); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	st := fi.Sys().(*syscall.Stat_t)
	if st.Uid != 1234 || st.Gid != 5678 {
		t.Errorf("owner = %d:%d, want 1234:5678", st.Uid, st.Gid)
	}
}

// TestWriteFileSymlinkNamedAsRoot names the link itself as the root, as
// `wso2lint --fix path/to/deployment.toml` does: the link stands for
// itself, so its target outside every root is not written (it was: the
// root resolved to the target and so vouched for it), while a target
// under another root still is.
func TestWriteFileSymlinkNamedAsRoot(t *testing.T) {
	base := t.TempDir()
	fleetDir := filepath.Join(base, "fleet")
	outside := filepath.Join(base, "outside")
	for _, d := range []string{fleetDir, outside} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	target := writeTestFile(t, outside, "deployment.toml", 0o640)
	link := filepath.Join(fleetDir, "deployment.toml")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	err := WriteFile(link, []byte(oldContent), []byte(newContent), []string{link})
	if !errors.Is(err, ErrSymlinkOutside) {
		t.Fatalf("err = %v, want ErrSymlinkOutside", err)
	}
	assertFile(t, target, oldContent, 0o640)
	assertEntries(t, outside, "deployment.toml")
	assertEntries(t, fleetDir, "deployment.toml")

	if err := WriteFile(link, []byte(oldContent), []byte(newContent), []string{link, outside}); err != nil {
		t.Fatalf("target under another root: %v", err)
	}
	assertFile(t, target, newContent, 0o640)
}
