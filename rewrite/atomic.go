package rewrite

import (
	"errors"
	"fmt"
	"hash/fnv"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
)

// ErrInterrupted reports that a write was abandoned because the run was
// interrupted (Interrupt): its temporary file is gone and the file it would
// have replaced is as it was.
var ErrInterrupted = errors.New("run interrupted; file left as it was")

// tempInfix marks the temporary files this package creates:
// ".NAME.wso2lint-DIGITS" beside the file NAME being replaced.
const tempInfix = ".wso2lint-"

// StaleAfter is the age after which a temporary file of ours is taken for
// the leftover of a run that was killed (SIGKILL, a power cut) and removed
// by the next run that writes in its directory. A temporary file lives
// from the start of one file's write to its rename, which takes
// milliseconds; an hour leaves any real run far behind.
const StaleAfter = time.Hour

// journal is what a signal handler needs to know about the writes of this
// process: the temporary files that exist now, the files replaced so far,
// and whether Interrupt has stopped further writes. Files are written
// several at once, so the slow steps that Interrupt must not cut in two —
// creating a temporary file and entering it, the last check of the target
// and the rename that records it — run outside the lock, counted in busy:
// Interrupt waits for them. An interrupt therefore comes before a rename
// (the file is left as it was) or after it (the file is whole and listed as
// written), and a temporary file created meanwhile is removed by its writer
// before Interrupt goes on.
var journal struct {
	sync.Mutex
	temps   map[string]bool
	written []string
	stopped bool
	busy    int
	idle    *sync.Cond // signalled when busy falls to zero
}

// begin counts a step Interrupt must wait for, unless the run is
// interrupted already. Called with the lock held.
func begin() bool {
	if journal.stopped {
		return false
	}
	journal.busy++
	return true
}

// end ends a step begin counted. Called with the lock held.
func end() {
	if journal.busy--; journal.busy == 0 && journal.idle != nil {
		journal.idle.Broadcast()
	}
}

// targetLocks serialize the check and the rename of writes to one target
// (two paths may lead to one file through a symbolic link), striped by the
// target's name.
var targetLocks [64]sync.Mutex

func targetLock(target string) *sync.Mutex {
	h := fnv.New32a()
	_, _ = h.Write([]byte(target))
	return &targetLocks[h.Sum32()%uint32(len(targetLocks))]
}

// Interrupt stops every write of this process for good: it waits for the
// creations and renames under way to finish, removes every temporary file,
// and makes every later write fail with ErrInterrupted. It returns the files replaced or
// created so far, in order, so that the caller can say what was written.
func Interrupt() []string {
	journal.Lock()
	defer journal.Unlock()
	journal.stopped = true
	for journal.busy > 0 {
		if journal.idle == nil {
			journal.idle = sync.NewCond(&journal.Mutex)
		}
		journal.idle.Wait()
	}
	for tmp := range journal.temps {
		_ = os.Remove(tmp)
		delete(journal.temps, tmp)
	}
	return append([]string(nil), journal.written...)
}

// replacement is one atomic replacement of a file in progress.
type replacement struct {
	// target is the file to replace or create (symbolic links resolved).
	target string
	// like is the file whose metadata the new file takes (mode, owner,
	// extended attributes and ACLs); nil for a new file, which gets
	// 0666 less the umask, like any file a program creates.
	like fs.FileInfo
	// verify runs just before the rename, while the other writes to the
	// target wait and Interrupt waits for the rename; an error from it
	// abandons the write. It is the last point at which a change to the
	// target made by someone else can be noticed.
	verify func() error
	// swept says the caller has removed the temporary files a killed
	// run left in the target's directory (RemoveStaleTemps); replace
	// does it otherwise.
	swept bool
}

// replace writes content to a temporary file beside r.target, gives it the
// metadata of r.like, fsyncs it, renames it over r.target and fsyncs the
// directory. A reader sees the old file or the new one, never a torn one;
// on any error before the rename the target is untouched and no temporary
// file remains. display names the file in errors.
func replace(display string, r replacement, content []byte) error {
	s, err := stage(display, r, content, nil)
	if err != nil {
		return err
	}
	return s.Commit()
}

// Staged is a file's new content in a temporary file beside it, written
// whole, with the file's metadata, and synced: what is left of an atomic
// replacement is the rename (Commit), or removing the temporary file
// (Drop). A caller that replaces many files stages them all before it
// renames any: on a file system that does not hand out the inodes freed
// recently (ext4 without a journal), each rename frees one, and creating
// the later temporary files among them cost more the more were freed.
type Staged struct {
	display string
	r       replacement
	dir     string
	tmpName string
	// batch, when not nil, makes the file durable with others
	// (WriteAll): it is not fsynced, nor is its directory once renamed.
	// durable is set once its content is on disk.
	batch   *fsBatch
	durable bool
	// mu guards done, set once the file is renamed or dropped.
	mu   sync.Mutex
	done bool
}

// stage writes content to a temporary file beside r.target, gives it the
// metadata of r.like and fsyncs it, unless batch will sync it with
// others. On error no temporary file remains.
func stage(display string, r replacement, content []byte, batch *fsBatch) (_ *Staged, err error) {
	dir, base := filepath.Split(r.target)
	if dir == "" {
		dir = "."
	}
	if !r.swept {
		RemoveStaleTemps(dir)
	}
	tmp, err := createTemp(dir, "."+base+tempInfix+"*")
	if err != nil {
		return nil, fmt.Errorf("%s: creating temporary file: %w", display, err)
	}
	tmpName := tmp.Name()
	closed := false
	defer func() {
		if err == nil {
			return
		}
		if !closed {
			_ = fsys.Close(tmp)
		}
		// Best effort: the error being returned already explains the
		// failure, and a Remove error would only hide it.
		dropTemp(tmpName)
	}()

	if _, err := fsys.Write(tmp, content); err != nil {
		return nil, fmt.Errorf("%s: writing temporary file: %w", display, err)
	}
	// The metadata is set before the rename so that the file never
	// appears with CreateTemp's 0600 or without its ACL, which would
	// lock out a service account that reads it by group or ACL.
	if r.like != nil {
		if err := keepMetadata(tmp, r.target, r.like); err != nil {
			return nil, fmt.Errorf("%s: %w", display, err)
		}
	} else if err := fsys.Chmod(tmp, newFileMode()); err != nil {
		return nil, fmt.Errorf("%s: setting mode of temporary file: %w", display, err)
	}
	if batch == nil {
		if err := fsys.Sync(tmp); err != nil {
			return nil, fmt.Errorf("%s: syncing temporary file: %w", display, err)
		}
	}
	closed = true
	if err := fsys.Close(tmp); err != nil {
		return nil, fmt.Errorf("%s: closing temporary file: %w", display, err)
	}
	return &Staged{display: display, r: r, dir: dir, tmpName: tmpName, batch: batch, durable: batch == nil}, nil
}

// Commit makes the last check of the file and renames the temporary file
// over it, then fsyncs the directory (WriteAll syncs a batch's directories
// together afterwards). On an error before the rename the file is as it
// was and the temporary file is removed. An error from the directory's
// fsync is returned although the file was replaced: the change may not be
// durable yet. Commit fails on a replacement committed or dropped before,
// and on one whose content is not on disk yet.
func (s *Staged) Commit() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.done {
		return fmt.Errorf("%s: staged replacement used twice", s.display)
	}
	s.done = true
	if !s.durable {
		dropTemp(s.tmpName)
		return fmt.Errorf("%s: staged replacement not synced; not renamed", s.display)
	}
	if err := renameOver(s.display, s.r, s.tmpName); err != nil {
		dropTemp(s.tmpName)
		return err
	}
	if s.batch != nil {
		return nil
	}
	if err := fsys.SyncDir(s.dir); err != nil {
		return fmt.Errorf("%s: file replaced, but syncing directory %s failed: %w", s.display, s.dir, err)
	}
	return nil
}

// Drop removes the temporary file of a replacement that is not to be
// committed; it does nothing once the file is committed or dropped.
func (s *Staged) Drop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.done {
		s.done = true
		dropTemp(s.tmpName)
	}
}

// Path returns the path the file was named by.
func (s *Staged) Path() string { return s.display }

// renameOver makes the last check of the target (r.verify) and renames
// the temporary file over it, and records it as written, unless the run is
// interrupted first.
func renameOver(display string, r replacement, tmpName string) error {
	journal.Lock()
	ok := begin()
	journal.Unlock()
	if !ok {
		return fmt.Errorf("%s: %w", display, ErrInterrupted)
	}
	renamed := false
	defer func() {
		journal.Lock()
		defer journal.Unlock()
		if renamed {
			delete(journal.temps, tmpName)
			journal.written = append(journal.written, r.target)
		}
		end()
	}()
	l := targetLock(r.target)
	l.Lock()
	defer l.Unlock()
	if r.verify != nil {
		if err := r.verify(); err != nil {
			return err
		}
	}
	if err := fsys.Rename(tmpName, r.target); err != nil {
		return fmt.Errorf("%s: replacing file: %w", display, err)
	}
	renamed = true
	return nil
}

// createTemp creates the temporary file and enters it in the journal, so
// that Interrupt can remove it whatever step the write is at. When
// Interrupt came while the file was being created, the file is removed
// here, before Interrupt goes on.
func createTemp(dir, pattern string) (f *os.File, err error) {
	journal.Lock()
	ok := begin()
	journal.Unlock()
	if !ok {
		return nil, ErrInterrupted
	}
	defer func() {
		journal.Lock()
		defer journal.Unlock()
		defer end()
		switch {
		case f == nil:
		case journal.stopped:
			_ = fsys.Close(f)
			_ = fsys.Remove(f.Name())
			f, err = nil, ErrInterrupted
		default:
			if journal.temps == nil {
				journal.temps = map[string]bool{}
			}
			journal.temps[f.Name()] = true
		}
	}()
	return fsys.CreateTemp(dir, pattern)
}

// dropTemp removes an abandoned temporary file and its journal entry.
func dropTemp(name string) {
	journal.Lock()
	defer journal.Unlock()
	_ = fsys.Remove(name)
	delete(journal.temps, name)
}

// RemoveStaleTemps removes the temporary files of ours that a killed run
// left in dir (".NAME.wso2lint-DIGITS", regular, older than StaleAfter).
// They are full copies of config files, secrets included, so a later run
// cleans them up rather than leaving them for ever. Errors are ignored: a
// leftover that cannot be removed harms no one more than before.
func RemoveStaleTemps(dir string) {
	if dir == "" {
		dir = "."
	}
	ents, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range ents {
		name := e.Name()
		if !IsTempName(name) || !e.Type().IsRegular() {
			continue
		}
		fi, err := e.Info()
		if err != nil || time.Since(fi.ModTime()) < StaleAfter {
			continue
		}
		full := filepath.Join(dir, name)
		journal.Lock()
		if !journal.temps[full] {
			_ = os.Remove(full)
		}
		journal.Unlock()
	}
}

// IsTempName reports whether a file name is that of a temporary file this
// package creates beside the file it replaces (".NAME.wso2lint-DIGITS").
func IsTempName(name string) bool {
	i := strings.LastIndex(name, tempInfix)
	return strings.HasPrefix(name, ".") && i >= 2 && allDigits(name[i+len(tempInfix):])
}

func allDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}
