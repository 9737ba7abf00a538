package rewrite

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// TestWriteFileKeepsSpecialBits checks that setgid and sticky bits survive
// a rewrite (chmod 2664 came back as 664).
func TestWriteFileKeepsSpecialBits(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("no setgid on Windows")
	}
	dir := t.TempDir()
	p := writeTestFile(t, dir, "deployment.toml", 0o664)
	want := fs.FileMode(0o664) | fs.ModeSetgid | fs.ModeSticky
	if err := os.Chmod(p, want); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(p, []byte(oldContent), []byte(newContent), []string{dir}); err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(p)
	if err != nil {
		t.Fatal(err)
	}
	if got := fi.Mode() & (fs.ModePerm | fs.ModeSetgid | fs.ModeSticky | fs.ModeSetuid); got != want {
		t.Errorf("mode = %v, want %v", got, want)
	}
}

// TestWriteFileHardLinkRefused checks that a file with a second name is
// left alone: renaming over one name would leave the other with the old
// content, which is no longer the same file.
func TestWriteFileHardLinkRefused(t *testing.T) {
	dir := t.TempDir()
	p := writeTestFile(t, dir, "deployment.toml", 0o640)
	if err := os.Link(p, filepath.Join(dir, "deployment.toml.orig")); err != nil {
		t.Skipf("no hard links here: %v", err)
	}
	err := WriteFile(p, []byte(oldContent), []byte(newContent), []string{dir})
	if err == nil || !strings.Contains(err.Error(), "2 hard links") {
		t.Fatalf("err = %v, want a refusal naming the hard links", err)
	}
	if _, err := Check(p, []byte(oldContent), []string{dir}); err == nil {
		t.Error("Check let the hard-linked file through")
	}
	assertFile(t, p, oldContent, 0o640)
	assertEntries(t, dir, "deployment.toml", "deployment.toml.orig")
}

// TestWriteFileLateChange changes the file's metadata, not its content,
// between the first check and the rename: the operator's chmod must
// survive (the rename would have put the old mode back), and so must an
// edit that rewrites the same bytes under a new inode.
func TestWriteFileLateChange(t *testing.T) {
	tests := []struct {
		name   string
		change func(p string) error
		mode   fs.FileMode
	}{
		{"chmod", func(p string) error { return os.Chmod(p, 0o600) }, 0o600},
		{"replaced by a copy", func(p string) error {
			tmp := p + ".new"
			if err := os.WriteFile(tmp, []byte(oldContent), 0o644); err != nil {
				return err
			}
			if err := os.Chmod(tmp, 0o644); err != nil {
				return err
			}
			return os.Rename(tmp, p)
		}, 0o644},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			p := writeTestFile(t, dir, "deployment.toml", 0o640)
			useFS(t, &faultFS{sync: func(f *os.File) error {
				if err := tt.change(p); err != nil {
					return err
				}
				return f.Sync()
			}})
			err := WriteFile(p, []byte(oldContent), []byte(newContent), []string{dir})
			if !errors.Is(err, ErrChanged) {
				t.Fatalf("err = %v, want ErrChanged", err)
			}
			assertFile(t, p, oldContent, tt.mode)
			assertEntries(t, dir, "deployment.toml")
		})
	}
}

// resetJournal undoes Interrupt at the end of a test, which in a real run
// is followed by the process's exit.
func resetJournal(t *testing.T) {
	t.Cleanup(func() {
		journal.Lock()
		journal.stopped, journal.written = false, nil
		journal.Unlock()
	})
}

// TestInterruptMidWrite interrupts a write while its temporary file is
// being written: the temporary file goes at once, the original is left as
// it was, the write reports ErrInterrupted, and so does every later write.
// The file written before the interrupt is listed.
func TestInterruptMidWrite(t *testing.T) {
	resetJournal(t)
	dir := t.TempDir()
	first := writeTestFile(t, dir, "first.toml", 0o640)
	p := writeTestFile(t, dir, "deployment.toml", 0o640)
	if err := WriteFile(first, []byte(oldContent), []byte(newContent), []string{dir}); err != nil {
		t.Fatal(err)
	}
	inWrite, resume := make(chan string), make(chan struct{})
	useFS(t, &faultFS{write: func(f *os.File, b []byte) (int, error) {
		inWrite <- f.Name()
		<-resume
		return f.Write(b)
	}})
	var wg sync.WaitGroup
	var werr error
	wg.Add(1)
	go func() {
		defer wg.Done()
		werr = WriteFile(p, []byte(oldContent), []byte(newContent), []string{dir})
	}()
	tmp := <-inWrite
	if _, err := os.Stat(tmp); err != nil {
		t.Fatalf("temporary file missing mid-write: %v", err)
	}
	written := Interrupt()
	if len(written) == 0 || written[len(written)-1] != first {
		t.Errorf("Interrupt() = %q, want it to end with %s", written, first)
	}
	if _, err := os.Stat(tmp); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("temporary file still there after Interrupt: %v", err)
	}
	close(resume)
	wg.Wait()
	if !errors.Is(werr, ErrInterrupted) {
		t.Fatalf("err = %v, want ErrInterrupted", werr)
	}
	assertFile(t, p, oldContent, 0o640)
	assertFile(t, first, newContent, 0o640)
	assertEntries(t, dir, "deployment.toml", "first.toml")
	if err := WriteOutput(filepath.Join(dir, "report.json"), []byte("{}")); !errors.Is(err, ErrInterrupted) {
		t.Errorf("write after Interrupt: err = %v, want ErrInterrupted", err)
	}
	assertEntries(t, dir, "deployment.toml", "first.toml")
}

// interruptHeld writes p with the file system fault makes, whose hook
// calls hold at the step under test, and interrupts the write there: it
// checks that Interrupt waits for the step, and returns what Interrupt
// returned, once it has, and the write's error to come.
func interruptHeld(t *testing.T, dir, p string, fault func(hold func()) *faultFS) ([]string, <-chan error) {
	t.Helper()
	held, resume := make(chan struct{}), make(chan struct{})
	useFS(t, fault(func() {
		close(held)
		<-resume
	}))
	werr := make(chan error, 1)
	go func() { werr <- WriteFile(p, []byte(oldContent), []byte(newContent), []string{dir}) }()
	<-held
	interrupted := make(chan []string, 1)
	go func() { interrupted <- Interrupt() }()
	select {
	case w := <-interrupted:
		t.Fatalf("Interrupt returned %q while the write was held", w)
	case <-time.After(50 * time.Millisecond):
	}
	close(resume)
	return <-interrupted, werr
}

// TestInterruptMidCreate interrupts a write while its temporary file is
// being created, which happens outside the journal's lock: Interrupt waits
// for the creation, the writer removes the file it made before Interrupt
// returns, and the write reports ErrInterrupted with no temporary file left.
func TestInterruptMidCreate(t *testing.T) {
	resetJournal(t)
	dir := t.TempDir()
	p := writeTestFile(t, dir, "deployment.toml", 0o640)
	written, werr := interruptHeld(t, dir, p, func(hold func()) *faultFS {
		return &faultFS{createTemp: func(dir, pattern string) (*os.File, error) {
			hold()
			return os.CreateTemp(dir, pattern)
		}}
	})
	if len(written) != 0 {
		t.Errorf("Interrupt() = %q, want nothing written", written)
	}
	assertEntries(t, dir, "deployment.toml") // before the writer returns
	if err := <-werr; !errors.Is(err, ErrInterrupted) {
		t.Fatalf("err = %v, want ErrInterrupted", err)
	}
	assertFile(t, p, oldContent, 0o640)
	assertEntries(t, dir, "deployment.toml")
}

// TestInterruptMidRename interrupts a write between its last check and its
// rename: Interrupt waits for the rename, and lists the file, whole.
func TestInterruptMidRename(t *testing.T) {
	resetJournal(t)
	dir := t.TempDir()
	p := writeTestFile(t, dir, "deployment.toml", 0o640)
	written, werr := interruptHeld(t, dir, p, func(hold func()) *faultFS {
		return &faultFS{rename: func(oldpath, newpath string) error {
			hold()
			return os.Rename(oldpath, newpath)
		}}
	})
	if len(written) != 1 || written[0] != p {
		t.Errorf("Interrupt() = %q, want %s", written, p)
	}
	assertFile(t, p, newContent, 0o640)
	assertEntries(t, dir, "deployment.toml")
	if err := <-werr; err != nil {
		t.Errorf("the write that Interrupt waited for: %v", err)
	}
}

// TestConcurrentWritesOneTarget writes one file through two paths at once
// (a symbolic link and its target): the second write's last check sees the
// first's content and refuses, rather than both renaming and one fix being
// lost while both are reported written.
func TestConcurrentWritesOneTarget(t *testing.T) {
	dir := t.TempDir()
	p := writeTestFile(t, dir, "deployment.toml", 0o640)
	link := filepath.Join(dir, "link.toml")
	if err := os.Symlink(p, link); err != nil {
		t.Skip(err)
	}
	// Each rename waits for the other writer to reach its rename too: it
	// can only when nothing holds it back.
	var arrived atomic.Int32
	both := make(chan struct{})
	useFS(t, &faultFS{rename: func(oldpath, newpath string) error {
		if arrived.Add(1) == 2 {
			close(both)
		}
		select {
		case <-both:
		case <-time.After(200 * time.Millisecond):
		}
		return os.Rename(oldpath, newpath)
	}})
	errs := make(chan error, 2)
	for _, path := range []string{p, link} {
		go func() {
			errs <- WriteFile(path, []byte(oldContent), []byte(newContent+"# via "+filepath.Base(path)+"\n"), []string{dir})
		}()
	}
	var ok, changed int
	for range 2 {
		switch err := <-errs; {
		case err == nil:
			ok++
		case errors.Is(err, ErrChanged):
			changed++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 1 || changed != 1 {
		t.Errorf("%d writes succeeded and %d found the file changed, want one of each", ok, changed)
	}
	assertEntries(t, dir, "deployment.toml", "link.toml")
}

// TestRemoveStaleTemps checks that a write removes the temporary files a
// killed run left in the file's directory, once they are older than
// StaleAfter, and nothing else.
func TestRemoveStaleTemps(t *testing.T) {
	dir := t.TempDir()
	p := writeTestFile(t, dir, "deployment.toml", 0o640)
	old := time.Now().Add(-2 * StaleAfter)
	mk := func(name string, mtime time.Time) {
		q := filepath.Join(dir, name)
		if err := os.WriteFile(q, []byte("password = secret\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(q, mtime, mtime); err != nil {
			t.Fatal(err)
		}
	}
	mk(".deployment.toml.wso2lint-1234567", old)        // ours, stale: removed
	mk(".other.toml.wso2lint-1234567", old)             // ours for another file, stale: removed
	mk(".deployment.toml.wso2lint-7654321", time.Now()) // ours, maybe a live run: kept
	mk(".deployment.toml.wso2lint-backup", old)         // not a name we make: kept
	mk("deployment.toml.wso2lint-1234567", old)         // not hidden, not ours: kept
	if err := WriteFile(p, []byte(oldContent), []byte(newContent), []string{dir}); err != nil {
		t.Fatal(err)
	}
	assertEntries(t, dir, ".deployment.toml.wso2lint-7654321", ".deployment.toml.wso2lint-backup",
		"deployment.toml", "deployment.toml.wso2lint-1234567")
}

// TestWriteAllSweepsLinkTarget checks that WriteAll leaves the directory
// of the path it was given to its caller, which sweeps the directories it
// writes in once, and sweeps the directory of a symbolic link's target,
// which that caller may not know.
func TestWriteAllSweepsLinkTarget(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("symbolic links need privileges on Windows")
	}
	root := t.TempDir()
	linkDir, targetDir := filepath.Join(root, "links"), filepath.Join(root, "real")
	for _, d := range []string{linkDir, targetDir} {
		if err := os.Mkdir(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	target := writeTestFile(t, targetDir, "deployment.toml", 0o640)
	plain := writeTestFile(t, linkDir, "plain.toml", 0o640)
	link := filepath.Join(linkDir, "deployment.toml")
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-2 * StaleAfter)
	for _, q := range []string{filepath.Join(linkDir, ".plain.toml.wso2lint-1"), filepath.Join(targetDir, ".deployment.toml.wso2lint-1")} {
		if err := os.WriteFile(q, []byte("password = secret\n"), 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chtimes(q, old, old); err != nil {
			t.Fatal(err)
		}
	}
	var cs []*Checked
	for _, p := range []string{plain, link} {
		c, err := Check(p, []byte(oldContent), []string{root})
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, c)
	}
	for _, err := range WriteAll(cs, [][]byte{[]byte(newContent), []byte(newContent)}, 2, nil) {
		if err != nil {
			t.Fatal(err)
		}
	}
	assertFile(t, plain, newContent, 0o640)
	assertFile(t, target, newContent, 0o640)
	assertEntries(t, linkDir, ".plain.toml.wso2lint-1", "deployment.toml", "plain.toml")
	assertEntries(t, targetDir, "deployment.toml")
}

// TestWriteOutputAtomic checks that a report or baseline written over an
// old one keeps the old one whole when the write fails (it was written in
// place and cut off on a full disk), and keeps its mode when it succeeds.
func TestWriteOutputAtomic(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "baseline.json")
	if err := os.WriteFile(p, []byte(`{"reason": "kept by hand"}`), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(p, 0o640); err != nil {
		t.Fatal(err)
	}
	useFS(t, &faultFS{write: func(f *os.File, b []byte) (int, error) {
		n, _ := f.Write(b[:len(b)/2])
		return n, &fs.PathError{Op: "write", Path: f.Name(), Err: syscall.ENOSPC}
	}})
	err := WriteOutput(p, []byte(`{"reason": "new"}`))
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("err = %v, want ENOSPC", err)
	}
	assertFile(t, p, `{"reason": "kept by hand"}`, 0o640)
	assertEntries(t, dir, "baseline.json")

	err = AppendOutput(p, []byte("more"), 1<<20)
	if !errors.Is(err, syscall.ENOSPC) {
		t.Fatalf("append: err = %v, want ENOSPC", err)
	}
	assertFile(t, p, `{"reason": "kept by hand"}`, 0o640)
	assertEntries(t, dir, "baseline.json")

	useFS(t, osFS{})
	if err := AppendOutput(p, []byte("\nmore"), 1<<20); err != nil {
		t.Fatal(err)
	}
	assertFile(t, p, "{\"reason\": \"kept by hand\"}\nmore", 0o640)
	if err := WriteOutput(p, []byte("new")); err != nil {
		t.Fatal(err)
	}
	assertFile(t, p, "new", 0o640)
	q := filepath.Join(dir, "new.sarif")
	if err := WriteOutput(q, []byte("{}")); err != nil {
		t.Fatal(err)
	}
	assertFile(t, q, "{}", newFileMode())
	assertEntries(t, dir, "baseline.json", "new.sarif")
}

// TestCheckOutput checks the refusals made before anything is written.
func TestCheckOutput(t *testing.T) {
	dir := t.TempDir()
	ro := writeTestFile(t, dir, "ro.json", 0o444)
	if err := os.Symlink(filepath.Join(dir, "missing", "x"), filepath.Join(dir, "dangling")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("loop", filepath.Join(dir, "loop")); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ path, want string }{
		{"", "empty file name"},
		{filepath.Join(dir, "missing", "out.json"), "no such file or directory"},
		{dir, "is a directory"},
		{ro, "read-only"},
		{filepath.Join(dir, "dangling"), "missing: no such file or directory"},
		{filepath.Join(dir, "loop"), "too many levels of symbolic links"},
		{filepath.Join(ro, "x"), "not a directory"},
	}
	for _, tt := range tests {
		err := CheckOutput(tt.path)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("CheckOutput(%q) = %v, want an error with %q", tt.path, err, tt.want)
		}
	}
	for _, ok := range []string{filepath.Join(dir, "new.json"), os.DevNull} {
		if err := CheckOutput(ok); err != nil {
			t.Errorf("CheckOutput(%q) = %v", ok, err)
		}
	}
	if err := WriteOutput(os.DevNull, []byte("x")); err != nil {
		t.Errorf("writing %s: %v", os.DevNull, err)
	}
}

// TestWriteOutputThroughLinks checks that a report written through a
// symbolic link replaces the link's target (created when missing) and
// leaves the link a link.
func TestWriteOutputThroughLinks(t *testing.T) {
	dir := t.TempDir()
	link := filepath.Join(dir, "report.json")
	if err := os.Symlink("reports/latest.json", link); err != nil {
		t.Skip(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "reports"), 0o755); err != nil {
		t.Fatal(err)
	}
	for _, content := range []string{"first", "second"} {
		if err := WriteOutput(link, []byte(content)); err != nil {
			t.Fatal(err)
		}
		got, err := os.ReadFile(filepath.Join(dir, "reports", "latest.json"))
		if err != nil || string(got) != content {
			t.Errorf("target = %q, %v; want %q", got, err, content)
		}
		if li, err := os.Lstat(link); err != nil || li.Mode()&fs.ModeSymlink == 0 {
			t.Errorf("the link is no longer a link: %v", err)
		}
	}
}

// TestAppendOutputInPlace checks that a file that cannot be replaced (its
// directory is read-only to this user) but can be written is appended to
// in place, keeping what it held.
func TestAppendOutputInPlace(t *testing.T) {
	if runtime.GOOS == "windows" || os.Geteuid() == 0 {
		t.Skip("root (and Windows) can create files in a read-only directory")
	}
	dir := t.TempDir()
	p := filepath.Join(dir, "summary.md")
	if err := os.WriteFile(p, []byte("earlier step\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(dir, 0o555); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = os.Chmod(dir, 0o755) })
	if err := CheckOutput(p); err == nil {
		t.Fatal("CheckOutput accepted a file in a read-only directory")
	}
	if err := CheckAppend(p); err != nil {
		t.Fatalf("CheckAppend: %v", err)
	}
	if err := AppendOutput(p, []byte("## wso2lint\n"), 1<<20); err != nil {
		t.Fatal(err)
	}
	assertFile(t, p, "earlier step\n## wso2lint\n", 0o644)
}

// TestStaged checks a replacement staged and committed later: the staged
// content waits beside the file with the file's mode, Commit renames it
// over the file once, Drop removes a temporary file not committed and
// does nothing after a commit, and an interrupt between the two removes
// the staged file and fails its commit, leaving the file as it was.
func TestStaged(t *testing.T) {
	resetJournal(t)
	dir := t.TempDir()
	a := writeTestFile(t, dir, "a.toml", 0o640)
	b := writeTestFile(t, dir, "b.toml", 0o640)
	c := writeTestFile(t, dir, "c.toml", 0o640)
	stage := func(p string) *Staged {
		t.Helper()
		ck, err := Check(p, []byte(oldContent), []string{dir})
		if err != nil {
			t.Fatal(err)
		}
		s, err := stage(p, ck.replacement(true), []byte(newContent), nil)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	sa, sb, sc := stage(a), stage(b), stage(c)
	assertFile(t, a, oldContent, 0o640)
	assertFile(t, sa.tmpName, newContent, 0o640)
	if err := sa.Commit(); err != nil {
		t.Fatal(err)
	}
	sa.Drop()
	assertFile(t, a, newContent, 0o640)
	if err := sa.Commit(); err == nil {
		t.Error("a second Commit succeeded")
	}
	sb.Drop()
	if err := sb.Commit(); err == nil {
		t.Error("Commit after Drop succeeded")
	}
	assertFile(t, b, oldContent, 0o640)
	if written := Interrupt(); len(written) == 0 || written[len(written)-1] != a {
		t.Errorf("Interrupt() = %q, want it to end with %s", written, a)
	}
	if err := sc.Commit(); !errors.Is(err, ErrInterrupted) {
		t.Errorf("Commit after Interrupt: err = %v, want ErrInterrupted", err)
	}
	assertFile(t, c, oldContent, 0o640)
	assertEntries(t, dir, "a.toml", "b.toml", "c.toml")
}
