package lint

import (
	"fmt"
	"strings"

	"github.com/wso2lint/wso2lint/internal/parallel"
	"github.com/wso2lint/wso2lint/rewrite"
)

// WriteOptions says how FixInPlace writes.
type WriteOptions struct {
	// Roots are the linted paths, absolute: a fix writes through a
	// symbolic link only to a file under one of them.
	Roots []string
	// Commit renames a fixed file's staged content over it;
	// (*rewrite.Staged).Commit when nil. Tests set it to fail a write
	// that the checks before it let through.
	Commit func(s *rewrite.Staged) error
}

// FixInPlace runs the fix loop and writes the fixed files, as --fix does.
//
// Every file the fixes change is checked before any is written
// (rewrite.Check). When one cannot be written (changed on disk
// since it was read, read-only, not a regular file, a symbolic link leading
// outside the roots) the loop runs again leaving it alone, so that no fix
// is written in part, the count stays true and its findings remain and say
// why; an S003 finding on the file gives the reason. A write that fails
// after the checks (a full disk) leaves that file as it was: what the first
// lint found in it is reported again, without the fixes that were not
// written, with an S003 finding, and its fixes leave the count. The other
// files are still written.
//
// The returned result's Findings include the S003 findings, in order and
// with their fingerprints.
func FixInPlace(load Loader, opt Options, fo FixOptions, wo WriteOptions) (*FixResult, error) {
	s003 := ruleByCode(opt.Rules, "S003")
	if s003 == nil {
		return nil, fmt.Errorf("rule S003, which reports files that cannot be written, is not among the rules")
	}
	res, err := ApplyFixes(load, opt, fo)
	if err != nil {
		return nil, err
	}
	// A run killed before it could clean up (SIGKILL, a power cut) left
	// full copies of config files beside them; this one removes them.
	for _, dir := range res.Fleet.TempDirs {
		rewrite.RemoveStaleTemps(dir)
	}
	// The files are checked, then written, several at a time (writers):
	// each write waits on the disk (rewrite.WriteAll), which one after the
	// other was most of --fix on a fleet with thousands of fixed files.
	// What failed is settled in the files' order.
	var refused []*Finding
	checked, errs := checkFiles(res.Files, wo.Roots, nil)
	for i, f := range res.Files {
		if errs[i] != nil {
			refused = append(refused, notWritten(s003, res, f, errs[i]))
		}
	}
	if len(refused) > 0 {
		fo.Leave = map[string]string{}
		for _, f := range refused {
			fo.Leave[f.File.Abs] = f.File.Path + " cannot be written"
		}
		if res, err = ApplyFixes(load, opt, fo); err != nil {
			return nil, err
		}
		// The loop may fix other files now; those are checked as the
		// first were, and one that fails is not written.
		checked, errs = checkFiles(res.Files, wo.Roots, checked)
	}
	res.Findings = append(res.Findings, refused...)
	var cs []*rewrite.Checked
	var contents [][]byte
	var which []int
	for i, f := range res.Files {
		if errs[i] == nil {
			cs, contents, which = append(cs, checked[f.Abs]), append(contents, f.Fixed), append(which, i)
		}
	}
	for j, err := range rewrite.WriteAll(cs, contents, writers, wo.Commit) {
		errs[which[j]] = err
	}
	for i, f := range res.Files {
		err := errs[i]
		if err == nil {
			continue
		}
		kept := res.Findings[:0]
		for _, fd := range res.Findings {
			if fd.File.Abs != f.Abs {
				kept = append(kept, fd)
			}
		}
		res.Findings = kept
		for _, fd := range res.Before {
			if fd.File.Abs == f.Abs {
				again := *fd
				if again.Fix != nil {
					again.Fix, again.Message = nil, again.Message+" (fix not written)"
				}
				res.Findings = append(res.Findings, &again)
			}
		}
		res.Findings = append(res.Findings, notWritten(s003, res, f, err))
		res.Fixed = max(0, res.Fixed-f.Resolved)
	}
	Sort(res.Findings)
	fingerprint(res.Findings) // the S003 findings need theirs for a baseline
	return res, nil
}

// writers is how many files FixInPlace writes at once.
const writers = 8

// checkFiles checks the fixed files for writing (rewrite.Check), several
// at a time, and returns them by absolute path with the errors of those
// refused, in the files' order. A file in prior was checked before and is
// taken from there.
func checkFiles(files []*FixedFile, roots []string, prior map[string]*rewrite.Checked) (map[string]*rewrite.Checked, []error) {
	cs := make([]*rewrite.Checked, len(files))
	errs := make([]error, len(files))
	parallel.ForWorkers(writers, len(files), func(i int) {
		if c := prior[files[i].Abs]; c != nil {
			cs[i] = c
			return
		}
		cs[i], errs[i] = rewrite.Check(files[i].Abs, files[i].Original, roots)
	})
	checked := make(map[string]*rewrite.Checked, len(files))
	for i, f := range files {
		if cs[i] != nil {
			checked[f.Abs] = cs[i]
		}
	}
	return checked, errs
}

// notWritten is the S003 finding on a fixed file that could not be
// written. rewrite's errors start with the path, which the finding shows
// already.
func notWritten(s003 *Rule, res *FixResult, f *FixedFile, err error) *Finding {
	ff := res.Fleet.FileAbs(f.Abs)
	return &Finding{
		Rule: s003, Severity: s003.Severity, File: ff, Install: res.Fleet.InstallOf(ff),
		Message: "fixes not written: " + strings.TrimPrefix(err.Error(), f.Abs+": "),
	}
}

// ruleByCode returns the rule with the code, or nil.
func ruleByCode(rules []*Rule, code string) *Rule {
	for _, r := range rules {
		if r.Code == code {
			return r
		}
	}
	return nil
}
