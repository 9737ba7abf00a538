package rewrite

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
)

// TestWriteAll checks the writes of many files at once: each file
// replaced and no temporary file left; on Linux, at batchSyncMin files
// or more, two syncs of the file system in place of an fsync of each file
// and directory, and below it the fsyncs; a failed sync of the staged
// files leaves every file as it was, and a failed sync after the renames
// says the files were replaced.
func TestWriteAll(t *testing.T) {
	cases := []struct {
		name         string
		files        int
		failFS       int // which call of SyncFS fails (1 or 2), 0 for none
		wantErr      string
		wantReplaced bool
	}{
		{name: "batch", files: batchSyncMin + 8, wantReplaced: true},
		{name: "few", files: 5, wantReplaced: true},
		{name: "staged sync fails", files: batchSyncMin, failFS: 1, wantErr: "syncing temporary files: input/output error"},
		{name: "final sync fails", files: batchSyncMin, failFS: 2, wantErr: "file replaced, but syncing its file system failed: input/output error", wantReplaced: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			batched := syncFSReportsErrors && tc.files >= batchSyncMin
			if tc.failFS > 0 && !batched {
				t.Skip("no syncfs that reports errors here")
			}
			dir := t.TempDir()
			var syncs, dirSyncs, fsSyncs atomic.Int32
			useFS(t, &faultFS{
				sync:    func(f *os.File) error { syncs.Add(1); return f.Sync() },
				syncDir: func(d string) error { dirSyncs.Add(1); return syncDir(d) },
				syncFS: func(fd int) error {
					if int(fsSyncs.Add(1)) == tc.failFS {
						return syscall.EIO
					}
					return syncFS(fd)
				},
			})
			var cs []*Checked
			var contents [][]byte
			var names []string
			for i := range tc.files {
				sub := filepath.Join(dir, fmt.Sprintf("mi-%02d", i))
				if err := os.Mkdir(sub, 0o755); err != nil {
					t.Fatal(err)
				}
				p := writeTestFile(t, sub, "deployment.toml", 0o640)
				c, err := Check(p, []byte(oldContent), []string{dir})
				if err != nil {
					t.Fatal(err)
				}
				cs, contents, names = append(cs, c), append(contents, []byte(newContent)), append(names, fmt.Sprintf("mi-%02d", i))
			}
			errs := WriteAll(cs, contents, 4, nil)
			for i, err := range errs {
				switch {
				case tc.wantErr == "" && err != nil:
					t.Errorf("file %d: %v", i, err)
				case tc.wantErr != "" && (err == nil || !strings.HasSuffix(err.Error(), tc.wantErr) || !errors.Is(err, syscall.EIO)):
					t.Errorf("file %d: err = %v, want one ending %q", i, err, tc.wantErr)
				}
				want := oldContent
				if tc.wantReplaced {
					want = newContent
				}
				assertFile(t, cs[i].path, want, 0o640)
				assertEntries(t, filepath.Dir(cs[i].path), "deployment.toml")
			}
			assertEntries(t, dir, names...)
			wantSyncs, wantFS := int32(tc.files), int32(0)
			if batched {
				wantSyncs, wantFS = 0, 2
			}
			if syncs.Load() != wantSyncs || dirSyncs.Load() != wantSyncs || fsSyncs.Load() != wantFS {
				t.Errorf("fsyncs of files %d, of directories %d, syncs of the file system %d; want %d, %d, %d",
					syncs.Load(), dirSyncs.Load(), fsSyncs.Load(), wantSyncs, wantSyncs, wantFS)
			}
		})
	}
}

// TestStagedNotSynced checks that a staged file whose batch was not
// synced is never renamed over its file.
func TestStagedNotSynced(t *testing.T) {
	dir := t.TempDir()
	p := writeTestFile(t, dir, "deployment.toml", 0o640)
	c, err := Check(p, []byte(oldContent), []string{dir})
	if err != nil {
		t.Fatal(err)
	}
	s, err := stage(p, c.replacement(true), []byte(newContent), &fsBatch{fd: -1})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Commit(); err == nil || !strings.Contains(err.Error(), "not synced") {
		t.Errorf("Commit = %v, want a refusal", err)
	}
	assertFile(t, p, oldContent, 0o640)
	assertEntries(t, dir, "deployment.toml")
}

func TestKernelVersion(t *testing.T) {
	for _, tc := range []struct {
		release      string
		major, minor int
		ok           bool
	}{
		{"6.18.44-fc-v1300", 6, 18, true},
		{"5.8.0", 5, 8, true},
		{"5.10", 5, 10, true},
		{"4.19.0-18-amd64", 4, 19, true},
		{"6", 0, 0, false},
		{"6.", 0, 0, false},
		{"v6.1", 0, 0, false},
		{"", 0, 0, false},
	} {
		major, minor, ok := kernelVersion(tc.release)
		if major != tc.major || minor != tc.minor || ok != tc.ok {
			t.Errorf("kernelVersion(%q) = %d, %d, %v; want %d, %d, %v", tc.release, major, minor, ok, tc.major, tc.minor, tc.ok)
		}
	}
}
