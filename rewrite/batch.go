package rewrite

import (
	"fmt"
	"path/filepath"

	"github.com/wso2lint/wso2lint/internal/parallel"
)

// batchSyncMin is how many files WriteAll must write on one file system
// before it syncs that file system once instead of each file and its
// directory: a sync of the file system writes whatever else is pending on
// it too, which for a handful of files may cost more than their fsyncs.
const batchSyncMin = 32

// WriteAll replaces each checked file with the content of the same index,
// atomically as WriteFile does, workers files at a time, and returns each one's error,
// nil for a file written. Every file is staged before any is renamed
// (Staged). Where it writes batchSyncMin files or more on one file
// system, on Linux, the staged files and then the renames are each made
// durable by one sync of that file system (syncfs), instead of two fsyncs
// a file: each fsync waits for the disk to flush its cache, one after the
// other, which for thousands of files was most of the time --fix spent
// writing. A failed sync of the staged files leaves every file of that
// file system as it was. commit renames one staged file; Staged.Commit
// when nil (tests make it fail).
//
// Unlike WriteFile, WriteAll leaves the directories of the files' paths
// to the caller: one writing many files removes the temporary files a
// killed run left there once (RemoveStaleTemps), not at every write. The
// directory of a symbolic link's target, which that caller may not know,
// is swept here.
func WriteAll(cs []*Checked, contents [][]byte, workers int, commit func(*Staged) error) []error {
	if commit == nil {
		commit = (*Staged).Commit
	}
	errs := make([]error, len(cs))
	batches := syncBatches(cs)
	defer func() {
		for _, b := range batches {
			closeFS(b.fd)
		}
	}()
	of := make([]*fsBatch, len(cs))
	for _, b := range batches {
		for _, i := range b.files {
			of[i] = b
		}
	}
	staged := make([]*Staged, len(cs))
	parallel.ForWorkers(workers, len(cs), func(i int) {
		c := cs[i]
		staged[i], errs[i] = stage(c.path, c.replacement(c.target == c.path), contents[i], of[i])
	})
	for _, b := range batches {
		err := fsys.SyncFS(b.fd)
		for _, i := range b.files {
			switch {
			case errs[i] != nil:
			case err != nil:
				staged[i].Drop()
				errs[i] = fmt.Errorf("%s: syncing temporary files: %w", cs[i].path, err)
			default:
				staged[i].durable = true
			}
		}
	}
	parallel.ForWorkers(workers, len(cs), func(i int) {
		if errs[i] == nil {
			errs[i] = commit(staged[i])
			staged[i].Drop() // a commit that failed may have left it
		}
	})
	for _, b := range batches {
		if err := fsys.SyncFS(b.fd); err != nil {
			for _, i := range b.files {
				if errs[i] == nil {
					errs[i] = fmt.Errorf("%s: file replaced, but syncing its file system failed: %w", cs[i].path, err)
				}
			}
		}
	}
	return errs
}

// fsBatch is the files WriteAll writes on one file system, made durable
// together: fd is a directory on it, opened before any of them is
// written, so that a sync through it reports what failed since (Linux).
type fsBatch struct {
	fd    int
	files []int
}

// syncBatches groups the checked files by the file system they are on
// where the sync of a file system serves: on Linux, batchSyncMin files
// or more on one. The others are synced file by file.
func syncBatches(cs []*Checked) []*fsBatch {
	if !syncFSReportsErrors || len(cs) < batchSyncMin {
		return nil
	}
	byDev := map[uint64][]int{}
	var devs []uint64
	for i, c := range cs {
		dev, _, _, ok := statIdentity(c.info)
		if !ok {
			continue
		}
		if byDev[dev] == nil {
			devs = append(devs, dev)
		}
		byDev[dev] = append(byDev[dev], i)
	}
	var out []*fsBatch
	for _, dev := range devs {
		files := byDev[dev]
		if len(files) < batchSyncMin {
			continue
		}
		fd, err := openFS(filepath.Dir(cs[files[0]].target))
		if err != nil {
			continue
		}
		out = append(out, &fsBatch{fd: fd, files: files})
	}
	return out
}

// kernelVersion reads the major and minor version at the start of a
// kernel release ("6.1.0-18-amd64").
func kernelVersion(release string) (major, minor int, ok bool) {
	var n [2]int
	i := 0
	for k := range n {
		start := i
		for i < len(release) && '0' <= release[i] && release[i] <= '9' {
			n[k] = n[k]*10 + int(release[i]-'0')
			i++
		}
		if i == start || k == 0 && (i == len(release) || release[i] != '.') {
			return 0, 0, false
		}
		i++
	}
	return n[0], n[1], true
}
