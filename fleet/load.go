package fleet

import (
	"cmp"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/bmatcuk/doublestar/v4"

	"github.com/wso2lint/wso2lint/catalog"
	"github.com/wso2lint/wso2lint/internal/gitignore"
	"github.com/wso2lint/wso2lint/internal/readfile"
	"github.com/wso2lint/wso2lint/rewrite"
)

// Options controls discovery and loading.
type Options struct {
	// WorkDir is the directory display paths are relative to; the
	// process's working directory when empty.
	WorkDir string
	// Base is the directory Include, Exclude and Hosts globs are relative
	// to (the config file's directory); WorkDir when empty.
	Base string
	// Include and Exclude are doublestar globs; a file must match an
	// Include glob when there are any, and no Exclude glob.
	Include, Exclude []string
	// Hosts maps host names to globs of install roots.
	Hosts []HostGlobs
	// MIVersions gives the MI release of the installs whose roots match a
	// glob, first match first; an install no glob matches takes the
	// release its directory name says (wso2mi-4.2.0), else none.
	MIVersions []VersionGlob
	// EIVersions gives the EI Analytics line of the installs whose roots
	// match a glob, first match first; an install no glob matches takes
	// the line its product.txt, directory name, layout or content says
	// (eiLineOf), else none.
	EIVersions []EIVersionGlob
	// Env gives values for $env{...} placeholders.
	Env map[string]string
	// MaxFileSize caps the size of a file read; DefaultMaxFileSize when 0.
	MaxFileSize int64
	// Overlay holds file contents, by absolute path, that replace what is
	// on disk: the fix loop lints its work in memory before writing.
	Overlay map[string][]byte
	// Containers maps compose services, Kubernetes workloads and Services
	// (by name) to a glob of install roots (mapping.go).
	Containers map[string]string
	// OnHost, when set, is called with each host as soon as its files are
	// loaded and its installs built (stream.go).
	OnHost func(*Fleet)
	// Progress, when set, counts the files as they load.
	Progress *Progress
}

// VersionGlob is an entry of the mi-version configuration: the MI
// release (an index of the catalogue's releases) of the installs whose
// root matches Glob.
type VersionGlob struct {
	Glob    string
	Release int
}

// EIVersionGlob is an entry of the ei-analytics-version configuration:
// the EI Analytics line of the installs whose root matches Glob.
type EIVersionGlob struct {
	Glob string
	Line EILine
}

// HostGlobs names a host and the install roots it holds.
type HostGlobs struct {
	Name  string
	Globs []string
}

// skipDirs are never walked: they hold no installs and can be huge.
var skipDirs = map[string]bool{".git": true, "node_modules": true, "vendor": true}

// candidate is a file discovery found, before it is loaded.
type candidate struct {
	abs     string
	root    string // absolute install root; "" when decided after parsing
	kind    string // "toml", "yaml", "startup"
	runtime string // EI runtime name from the path, if any
	// noProduct says that the walk listed root and found no updates/ in
	// it: the install has no updates/product.txt to read.
	noProduct bool
}

// gitignoreLimit bounds a .gitignore read while walking; a real one is a
// few kilobytes.
const gitignoreLimit = 1 << 20

// Load discovers installs under paths (directories are walked; files are
// taken as pre-commit passes them), loads their files and builds the
// fleet. It returns an error only for a path that does not exist; every
// problem with a file's content is kept on the file.
func Load(paths []string, opt Options) (*Fleet, error) {
	if opt.WorkDir == "" {
		wd, err := os.Getwd()
		if err != nil {
			return nil, err
		}
		opt.WorkDir = wd
	}
	// Clean once, so that paths below it can be built and cut without
	// cleaning them (every filepath function cleans what it makes, so
	// nothing else changes).
	opt.WorkDir = filepath.Clean(opt.WorkDir)
	if opt.Base == "" {
		opt.Base = opt.WorkDir
	}
	if opt.MaxFileSize <= 0 {
		opt.MaxFileSize = DefaultMaxFileSize
	}
	if len(paths) == 0 {
		paths = []string{"."}
	}
	l := &loader{opt: opt, listed: map[string]bool{}, startupHint: map[string]bool{}, updates: map[string]bool{}, tempDirs: map[string]bool{}}
	var targets map[string]bool
	var walkRoots []string
	for _, p := range paths {
		abs := p
		if !filepath.IsAbs(abs) {
			abs = filepath.Join(opt.WorkDir, p)
		}
		abs = filepath.Clean(abs)
		fi, err := os.Stat(abs)
		_, inOverlay := opt.Overlay[abs]
		switch {
		case err != nil && inOverlay:
			// A file that exists only in memory: an editor's unsaved
			// buffer passed with --stdin-filename.
		case err != nil:
			if _, lerr := os.Lstat(abs); lerr == nil {
				return nil, fmt.Errorf("%s: broken symbolic link", p)
			}
			return nil, fmt.Errorf("%s: no such file or directory", p)
		}
		if err == nil && fi.IsDir() {
			if li, err := os.Lstat(abs); err == nil && li.Mode()&fs.ModeSymlink != 0 {
				// A symbolic link named on the command line is followed: a
				// trailing separator makes the walk resolve it.
				abs += string(filepath.Separator)
			}
			walkRoots = append(walkRoots, abs)
			continue
		}
		if targets == nil {
			targets = map[string]bool{}
		}
		targets[l.display(abs)] = true
		// The walk may not list a named file's directory (a .gitignored
		// one): --fix sweeps it whatever the walk saw.
		l.tempDirs[filepath.Dir(abs)] = true
		c, ok := classify(abs)
		if !ok {
			continue
		}
		// A named file stands for its whole host: load every install
		// beside its own, so cross-install checks stay correct.
		root := c.root
		if root == "" {
			root = filepath.Dir(abs)
		}
		host := filepath.Dir(root)
		if len(opt.Hosts) > 0 {
			host = opt.Base
		}
		walkRoots = append(walkRoots, host)
		l.found = append(l.found, c)
	}
	for _, r := range walkRoots {
		l.walk(r)
	}
	l.targets = targets
	fl := l.build()
	fl.Targets = targets
	return fl, nil
}

type loader struct {
	opt Options
	// scopes memoises scopeRoot by directory: every container of a
	// large fleet would otherwise stat its way up to the root.
	scopes map[string]string
	// found holds the candidates while discovery runs, in no order and
	// perhaps more than once (a file named on the command line is walked
	// too); build sorts them, keeps the first of each path and packs them
	// into cands.
	found []candidate
	cands candList
	// containers holds bare deployment.yaml files that are Kubernetes
	// manifests (containers.go).
	containers []containerFile

	// What build works out, kept for Reload (stream.go): the container
	// candidates, the targets, the candidates grouped by host and each
	// candidate's group.
	containerCands []candidate
	targets        map[string]bool
	// listed holds the directories the walk read every entry of,
	// startupHint those among them with an entry that may be, or hold, a
	// start-up source (bin, *.service, *.env), and updates those with an
	// entry named updates (where an MI keeps product.txt).
	listed, startupHint, updates map[string]bool
	// tempDirs holds the directories that hold a temporary file of an
	// interrupted write (Fleet.TempDirs).
	tempDirs map[string]bool
	groups   []hostGroup
	groupOf  []int
	// hostNamed maps what a URL may name a host by to the host's name
	// (Fleet.HostNamed), over every host of the load; containerFree is
	// set when the load can build no container (Fleet.Forget).
	hostNamed     map[string]string
	containerFree bool
}

func (l *loader) display(abs string) string {
	if rel, ok := belowClean(l.opt.WorkDir, abs); ok {
		return rel
	}
	rel, err := filepath.Rel(l.opt.WorkDir, abs)
	if err != nil {
		return filepath.ToSlash(abs)
	}
	return filepath.ToSlash(rel)
}

// below returns what filepath.Rel(dir, abs) returns for a clean path
// abs below the clean directory dir, on a system whose separator is a
// slash: the tail of abs, which shares abs's memory. A large fleet keeps a
// display path for every file and install beside its absolute path, and
// building each anew was a sizeable share of the model. ok is false for
// any other case, which filepath.Rel handles.
func below(dir, abs string) (rel string, ok bool) {
	if !filepath.IsAbs(dir) || filepath.Clean(dir) != dir {
		return "", false
	}
	return belowClean(dir, abs)
}

// belowClean is below for a directory known to be absolute and clean (the
// loader's working directory, cleaned once).
func belowClean(dir, abs string) (rel string, ok bool) {
	if filepath.Separator != '/' || len(abs) <= len(dir)+1 || abs[len(dir)] != '/' || abs[:len(dir)] != dir {
		return "", false
	}
	// abs is clean when dir is and rel is made of names: Clean would scan
	// the whole of abs, for every file of the fleet.
	if rel = abs[len(dir)+1:]; !namesOnly(rel) {
		return "", false
	}
	return rel, true
}

// abs returns the absolute path of the display path rel:
// filepath.Join(WorkDir, rel), without cleaning what needs none.
func (l *loader) abs(rel string) string {
	if filepath.Separator == '/' && namesOnly(rel) {
		return joinNames(l.opt.WorkDir, rel)
	}
	return filepath.Join(l.opt.WorkDir, filepath.FromSlash(rel))
}

// joinNames is filepath.Join(dir, rel) on a system whose separator is a
// slash, for a clean dir and a rel made of names (namesOnly): nothing in
// the result to clean, which Join would scan it whole to find out.
func joinNames(dir, rel string) string {
	switch {
	case dir == ".":
		return rel
	case strings.HasSuffix(dir, "/"): // the root directory
		return dir + rel
	}
	return dir + "/" + rel
}

// namesOnly reports whether the slash-separated path rel is a clean
// relative path: one or more names, none empty, "." or "..".
func namesOnly(rel string) bool {
	for {
		name, rest, more := strings.Cut(rel, "/")
		if name == "" || name == "." || name == ".." {
			return false
		}
		if !more {
			return true
		}
		rel = rest
	}
}

func (l *loader) relBase(abs string) string {
	rel, err := filepath.Rel(l.opt.Base, abs)
	if err != nil {
		return filepath.ToSlash(abs)
	}
	return filepath.ToSlash(rel)
}

// excluded reports whether an exclude glob matches a path (relative to
// Base). A glob such as "**/backup/**" also matches the directory itself,
// so whole trees are skipped without being walked.
func (l *loader) excluded(abs string) bool {
	if len(l.opt.Exclude) == 0 {
		return false
	}
	rel := l.relBase(abs)
	for _, g := range l.opt.Exclude {
		if ok, _ := doublestar.Match(g, rel); ok {
			return true
		}
	}
	return false
}

// included reports whether a file passes the include globs (all files
// do when there are none).
func (l *loader) included(abs string) bool {
	if len(l.opt.Include) == 0 {
		return true
	}
	rel := l.relBase(abs)
	for _, g := range l.opt.Include {
		if ok, _ := doublestar.Match(g, rel); ok {
			return true
		}
	}
	return false
}

// walk finds candidate files under dir. Symbolic links are not followed;
// .git, node_modules, vendor and .gitignored paths are skipped. The
// directories near the top are walked in parallel (a large repository's
// walk was a fifth of a lint on one core) by GOMAXPROCS workers; each
// notes what it finds in its own walkState, and the states are merged once
// all are done, so the result is the same as a walk in one piece.
func (l *loader) walk(dir string) {
	w := &walker{l: l, root: dir}
	w.idle = sync.NewCond(&w.mu)
	w.spawn(dir, gitignore.Matcher{}, 0, false)
	states := make([]*walkState, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for i := range states {
		st := newWalkState()
		states[i] = st
		wg.Add(1)
		go func() {
			defer wg.Done()
			w.work(st)
		}()
	}
	wg.Wait()
	w.crash.repanic()
	if len(l.listed) == 0 {
		// Every directory walked: sized once rather than grown.
		n := 0
		for _, st := range states {
			n += len(st.listed)
		}
		l.listed = make(map[string]bool, n)
	}
	for _, st := range states {
		for p := range st.listed {
			l.listed[p] = true
		}
		for p := range st.startupHint {
			l.startupHint[p] = true
		}
		for p := range st.updates {
			l.updates[p] = true
		}
		for p := range st.tempDirs {
			l.tempDirs[p] = true
		}
		l.found = append(l.found, st.cands...)
	}
	for _, st := range states {
		for p := range st.unlisted {
			delete(l.listed, p)
		}
	}
}

// walker walks one root in parallel: the subtrees near the top are queued
// as jobs, which a fixed pool of workers takes. (A goroutine for each
// subtree, waiting its turn, was one for every host directory of a fleet:
// 12,600 at 100,000 installs, whose descriptors the runtime keeps for the
// rest of the process and visits at every collection.)
type walker struct {
	l     *loader
	root  string
	crash workerPanic
	// mu guards jobs and busy; idle is signalled when a job is queued or
	// the last one ends.
	mu   sync.Mutex
	idle *sync.Cond
	jobs []walkJob
	// busy counts the jobs queued or running: the walk is over when it
	// drops to zero.
	busy int
}

// walkJob is a subtree to walk: its top directory, the patterns of the
// .gitignore files above it (and its own, when visited), its depth below
// the root, and whether the walk that queued it visited start itself.
type walkJob struct {
	start   string
	ign     gitignore.Matcher
	depth   int
	visited bool
}

// walkState is what one worker's walks find: the candidates, the
// directories it listed whole (and those it could not list), those with
// an entry that may be or hold a start-up source, those with an updates
// entry, and those holding a temporary file of an interrupted write.
type walkState struct {
	cands                                            []candidate
	listed, unlisted, startupHint, updates, tempDirs map[string]bool
}

func newWalkState() *walkState {
	return &walkState{listed: map[string]bool{}, unlisted: map[string]bool{}, startupHint: map[string]bool{}, updates: map[string]bool{}, tempDirs: map[string]bool{}}
}

// spawnDepth is how deep below the root subtrees are walked as jobs of
// their own: data-centre and host directories.
const spawnDepth = 2

// spawn queues the walk of the tree at start.
func (w *walker) spawn(start string, ign gitignore.Matcher, depth int, visited bool) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.jobs = append(w.jobs, walkJob{start: start, ign: ign, depth: depth, visited: visited})
	w.busy++
	w.idle.Signal()
}

// work runs queued jobs, noting what they find in st, until no job is
// queued or running. The latest job queued is taken first: walking depth
// first keeps the queue short.
func (w *walker) work(st *walkState) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for {
		for len(w.jobs) == 0 && w.busy > 0 {
			w.idle.Wait()
		}
		if len(w.jobs) == 0 {
			return
		}
		j := w.jobs[len(w.jobs)-1]
		w.jobs[len(w.jobs)-1] = walkJob{}
		w.jobs = w.jobs[:len(w.jobs)-1]
		w.mu.Unlock()
		w.crash.guard(func() { w.walkFrom(j.start, st, j.ign, j.depth, j.visited) })
		w.mu.Lock()
		if w.busy--; w.busy == 0 {
			w.idle.Broadcast()
		}
	}
}

// walkFrom walks the tree at start; visited says that start itself was
// visited by the walk that spawned this one.
func (w *walker) walkFrom(start string, st *walkState, ign gitignore.Matcher, depth int, visited bool) {
	clean := filepath.Clean(start)
	rel, _ := filepath.Rel(w.root, start)
	rel = filepath.ToSlash(rel)
	step := func(p, rel string, d fs.DirEntry, err error) error {
		if visited && p == start && err == nil {
			return nil
		}
		r := w.l.visit(w.root, st, &ign, p, rel, d, err)
		if r == nil && err == nil && depth < spawnDepth && p != start && d.IsDir() && filepath.Dir(p) == clean {
			w.spawn(p, ign.Clone(), depth+1, true)
			return fs.SkipDir
		}
		return r
	}
	// A directory's .gitignore applies to its entries: it is read once the
	// directory is listed, and only when the listing has one (looking for
	// it in every directory was a failing system call each).
	readIgnore := func(p, rel string, ents []fs.DirEntry) {
		for _, e := range ents {
			if e.Name() != ".gitignore" {
				continue
			}
			// Bounded and regular only, like every file a run reads: a
			// .gitignore that is a FIFO must not block the walk.
			if b, err := readfile.Regular(filepath.Join(p, ".gitignore"), gitignoreLimit); err == nil {
				base := rel
				if base == "." {
					base = ""
				}
				ign.Add(base, b)
			}
			return
		}
	}
	info, err := os.Lstat(start)
	if err != nil {
		_ = step(start, rel, nil, err)
		return
	}
	_ = walkDir(start, rel, fs.FileInfoToDirEntry(info), step, readIgnore, clean == start)
}

// walkDir is filepath.WalkDir's walk with two more things: the path
// relative to the walk's root passed along (rel), and onList called with
// a directory's entries before any of them is stepped into. clean says p
// is clean: an entry's path is then p, a slash and its name, which
// filepath.Join would scan whole again to clean, for every entry.
func walkDir(p, rel string, d fs.DirEntry, step func(p, rel string, d fs.DirEntry, err error) error, onList func(p, rel string, ents []fs.DirEntry), clean bool) error {
	if err := step(p, rel, d, nil); err != nil || !d.IsDir() {
		if errors.Is(err, fs.SkipDir) && d.IsDir() {
			err = nil
		}
		return err
	}
	ents, err := os.ReadDir(p)
	if err != nil {
		// A second step, with the error.
		if err = step(p, rel, d, err); err != nil {
			if errors.Is(err, fs.SkipDir) && d.IsDir() {
				err = nil
			}
			return err
		}
	}
	onList(p, rel, ents)
	for _, e := range ents {
		childRel := e.Name()
		if rel != "." {
			childRel = rel + "/" + childRel
		}
		var cp string
		if clean && filepath.Separator == '/' {
			cp = joinNames(p, e.Name()) // a listed name: not empty, "." or "..", no slash
		} else {
			cp = filepath.Join(p, e.Name())
		}
		if err := walkDir(cp, childRel, e, step, onList, true); err != nil {
			if errors.Is(err, fs.SkipDir) {
				break
			}
			return err
		}
	}
	return nil
}

// visit is the walk's step at p, rel from root, for the walk of root: it
// skips what is never read and notes the candidates in st.
func (l *loader) visit(root string, st *walkState, ign *gitignore.Matcher, p, rel string, d fs.DirEntry, err error) error {
	if err != nil {
		// An unreadable directory is skipped; files we cannot read are
		// reported when loaded.
		if d != nil && d.IsDir() {
			delete(st.listed, p)
			st.unlisted[p] = true
			if p != root {
				return fs.SkipDir
			}
		}
		return nil
	}
	switch name := d.Name(); {
	case name == "bin" || isStartupName(name):
		st.startupHint[filepath.Dir(p)] = true
	case name == "updates":
		st.updates[filepath.Dir(p)] = true
	case !d.IsDir() && rewrite.IsTempName(name):
		st.tempDirs[filepath.Dir(p)] = true
	}
	if d.IsDir() {
		if p != root && (skipDirs[d.Name()] || ign.Ignored(rel, true) || isMIBackup(p) || l.excluded(p)) {
			return fs.SkipDir
		}
		st.listed[p] = true
		if d.Name() != "deployment.toml" && d.Name() != "deployment.yaml" && !IsComposeName(d.Name()) {
			return nil
		}
	}
	if d.Type()&fs.ModeSymlink != 0 || ign.Ignored(rel, false) || l.excluded(p) || !l.included(p) {
		return nil
	}
	if c, ok := classify(p); ok && c.kind != "startup" {
		st.cands = append(st.cands, c)
	}
	return nil
}

// isMIBackup reports whether dir is the backup/ folder WSO2's config
// mapper keeps inside an MI home that has run: its copies are not
// installs.
func isMIBackup(dir string) bool {
	if filepath.Base(dir) != "backup" {
		return false
	}
	_, err := os.Stat(filepath.Join(filepath.Dir(dir), "conf", "deployment.toml"))
	return err == nil
}

// classify decides from its path whether a file is something we read and
// which install it belongs to.
func classify(abs string) (candidate, bool) {
	name := filepath.Base(abs)
	dir := filepath.Dir(abs)
	switch name {
	case "deployment.toml":
		root := dir
		if filepath.Base(dir) == "conf" {
			root = filepath.Dir(dir)
			if filepath.Base(root) == "repository" {
				// <API-M or IS>/repository/conf: another product.
				return candidate{}, false
			}
		}
		return candidate{abs: abs, root: root, kind: "toml"}, true
	case "deployment.yaml":
		rt := filepath.Base(dir)
		conf := filepath.Dir(dir)
		switch {
		case (rt == "server" || rt == "portal") && filepath.Base(conf) == "conf":
			return candidate{abs: abs, root: filepath.Dir(conf), kind: "yaml", runtime: rt}, true
		case (rt == "worker" || rt == "dashboard" || rt == "manager") && filepath.Base(conf) == "conf" &&
			filepath.Base(filepath.Dir(conf)) == "analytics" && filepath.Base(filepath.Dir(filepath.Dir(conf))) == "wso2":
			return candidate{abs: abs, root: filepath.Dir(filepath.Dir(filepath.Dir(conf))), kind: "yaml", runtime: rt}, true
		}
		// A bare deployment.yaml is ours only if it has wso2.carbon;
		// decided after parsing.
		return candidate{abs: abs, kind: "yaml"}, true
	case "micro-integrator.sh", "wrapper.conf":
		if name == "wrapper.conf" && filepath.Base(dir) == "yajsw" && filepath.Base(filepath.Dir(dir)) == "bin" {
			return candidate{abs: abs, root: filepath.Dir(filepath.Dir(dir)), kind: "startup"}, true
		}
	}
	if isStartupName(name) {
		root := dir
		if filepath.Base(dir) == "bin" {
			root = filepath.Dir(dir)
		}
		return candidate{abs: abs, root: root, kind: "startup"}, true
	}
	return classifyContainerFile(abs)
}

// isStartupName reports whether a file in an install root or its bin/
// may be a start-up source: a shell or batch script (MI's own, or a
// wrapper that calls it), a systemd unit or an env file.
func isStartupName(name string) bool {
	for _, ext := range []string{".sh", ".bat", ".cmd", ".service", ".env"} {
		if strings.HasSuffix(strings.ToLower(name), ext) && len(name) > len(ext) {
			return true
		}
	}
	return false
}

// startupSources lists the start-up files of an MI root:
// bin/yajsw/wrapper.conf, and the scripts, systemd units and env files in
// the root and its bin/.
func startupSources(root string) []string {
	var out []string
	if p := filepath.Join(root, "bin", "yajsw", "wrapper.conf"); regularFile(p) {
		out = append(out, p)
	}
	for _, dir := range []string{root, filepath.Join(root, "bin")} {
		ents, err := os.ReadDir(dir)
		if err != nil {
			continue
		}
		for _, e := range ents {
			if isStartupName(e.Name()) && e.Type().IsRegular() {
				out = append(out, filepath.Join(dir, e.Name()))
			}
		}
	}
	sort.Strings(out)
	return out
}

func regularFile(p string) bool {
	fi, err := os.Lstat(p)
	return err == nil && fi.Mode().IsRegular()
}

// build loads every candidate (in parallel, results in a fixed order) and
// assembles hosts, installs and runtimes.
func (l *loader) build() *Fleet {
	l.found = firstOfEachPath(l.found)
	l.containerCands = l.takeContainerCands() // compose files and manifests: containers.go
	// A bare deployment.yaml that turns out to be no EI Analytics
	// runtime may be a Kubernetes manifest.
	l.containerFree = len(l.containerCands) == 0
	for _, c := range l.found {
		if c.kind == "yaml" && c.root == "" {
			l.containerFree = false
		}
	}
	for i, c := range l.found {
		// A root listed whole without an updates/ has no product.txt:
		// no need to look (a failing system call per install, or two).
		l.found[i].noProduct = c.root != "" && l.listed[c.root] && !l.updates[c.root]
	}
	// Start-up sources belong to MI roots; gather them now that the
	// roots are known.
	n := len(l.found)
	for i := range n {
		c := l.found[i]
		// A root the walk listed whole without a bin/, *.service or *.env
		// entry has no start-up source: no need to look (four system
		// calls per install).
		if c.kind == "toml" && !(l.listed[c.root] && !l.startupHint[c.root]) {
			for _, s := range startupSources(c.root) {
				l.found = append(l.found, candidate{abs: s, root: c.root, kind: "startup"})
			}
		}
	}
	if len(l.found) > n {
		l.found = firstOfEachPath(l.found)
	}
	// Every candidate is in: what found them is not needed again, and the
	// sets of every directory would be marked at every collection of a
	// large run.
	l.listed, l.startupHint, l.updates = nil, nil, nil
	l.cands, l.found = newCandList(l.found), nil
	l.groupByHost()
	parts := make([]*part, len(l.groups))
	all := make([]int, len(l.groups))
	for g := range all {
		all[g] = g
	}
	l.loadGroups(all, parts)
	return l.merge(parts)
}

// firstOfEachPath returns cs sorted by path, keeping the first found of
// each path: a file named on the command line comes before the walk that
// finds it again, and a start-up file before the same file gathered as a
// source of its install root. Sorting indexes that break ties by arrival
// costs less than a set of every path built as they come (110,000 at
// 100,000 installs), or a stable sort that moves the candidates whole.
func firstOfEachPath(cs []candidate) []candidate {
	idx := make([]int32, len(cs))
	for i := range idx {
		idx[i] = int32(i)
	}
	slices.SortFunc(idx, func(a, b int32) int {
		if c := strings.Compare(cs[a].abs, cs[b].abs); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	out := make([]candidate, 0, len(cs))
	for _, i := range idx {
		if n := len(out); n == 0 || out[n-1].abs != cs[i].abs {
			out = append(out, cs[i])
		}
	}
	return out
}

// assemble builds the installs and the host of one host group from its
// loaded files (files is indexed like l.cands).
func (l *loader) assemble(g hostGroup, files []*File) *part {
	p := &part{fl: &Fleet{Targets: l.targets}}
	fl := p.fl
	installs := map[string]*Install{}
	var startups []int
	for _, i := range g.cands {
		c := l.cands.at(i)
		f := files[i]
		if c.kind == "startup" {
			startups = append(startups, i)
			continue
		}
		root, rtName := c.root, c.runtime
		if c.kind == "yaml" && root == "" {
			if !HasCarbonKey(f.YAML) && (f.Problem == nil || !looksCarbon(f.Src)) {
				// A Kubernetes manifest of that name is kept (containers.go).
				p.others = append(p.others, f)
				continue // some other product's deployment.yaml
			}
			root = filepath.Dir(c.abs)
			rtName = guessEIRuntime(filepath.Base(root), f.YAML)
		}
		fl.Files = append(fl.Files, f)
		product := MI
		if c.kind == "yaml" {
			product = EIAnalytics
		} else if IsDashboardTOML(f.TOML) {
			product = MIDashboard
		}
		key := root + "\x00" + string(product)
		if product == MIDashboard {
			key = root + "\x00" + string(MI)
		}
		in := installs[key]
		if in == nil {
			in = &Install{Root: l.display(root), Product: product, Release: catalog.AnyRelease, noProduct: c.noProduct}
			installs[key] = in
		}
		in.Runtimes = append(in.Runtimes, &Runtime{Install: in, Name: rtName, File: f})
	}
	for _, i := range startups {
		c := l.cands.at(i)
		in := installs[c.root+"\x00"+string(MI)]
		if in == nil || in.Product != MI {
			continue
		}
		if name := filepath.Base(c.abs); (startupKind(name) == kindShell || startupKind(name) == kindBatch) &&
			!isStartScript(name) && files[i].Problem == nil && !IsWrapperScript(files[i].Src) {
			continue // a script that does not start the MI
		}
		fl.Files = append(fl.Files, files[i])
		in.Startup = append(in.Startup, scanStartup(files[i], l.opt.Env))
	}
	for _, in := range installs {
		l.addEnvironmentFiles(fl, in)
	}
	for _, in := range installs {
		sort.SliceStable(in.Startup, func(a, b int) bool {
			return startupRank(in.Startup[a]) < startupRank(in.Startup[b])
		})
		if in.Product == EIAnalytics {
			in.EILine, in.EILineFrom = l.eiLineOf(in)
			in.fileLine, in.fileLineFrom = in.EILine, in.EILineFrom
		}
		for _, rt := range in.Runtimes {
			switch in.Product {
			case MI:
				buildMI(rt, l.opt.Env)
			case MIDashboard:
				buildDashboard(rt, l.opt.Env)
			case EIAnalytics:
				buildEI(rt, l.opt.Env)
			}
		}
		fl.Installs = append(fl.Installs, in)
	}
	sort.Slice(fl.Installs, func(a, b int) bool { return fl.Installs[a].Root < fl.Installs[b].Root })
	sort.Slice(fl.Files, func(a, b int) bool { return fl.Files[a].Path < fl.Files[b].Path })
	hosts := map[string]*Host{}
	for _, in := range fl.Installs {
		name := l.hostOf(in.Root)
		h := hosts[name]
		if h == nil {
			h = &Host{Name: name}
			hosts[name] = h
			fl.Hosts = append(fl.Hosts, h)
		}
		in.Host = h
		h.Installs = append(h.Installs, in)
		if in.Product == MI {
			in.Release = l.releaseOf(in)
		}
	}
	sort.Slice(fl.Hosts, func(a, b int) bool { return fl.Hosts[a].Name < fl.Hosts[b].Name })
	return p
}

// addEnvironmentFiles reads the files a systemd unit of the install names
// with EnvironmentFile=, when they are in the linted tree: beside the unit,
// or in the install root or its bin/ (the unit names the path on the
// server, which a config repository does not have). A file already read as
// a start-up source is not read twice.
func (l *loader) addEnvironmentFiles(fl *Fleet, in *Install) {
	if in.Product != MI {
		return
	}
	have := map[string]bool{}
	for _, st := range in.Startup {
		have[st.File.Abs] = true
	}
	root := l.abs(in.Root)
	for _, st := range append([]*Startup(nil), in.Startup...) {
		for _, ref := range st.envFiles {
			base := path.Base(strings.ReplaceAll(ref, `\`, "/"))
			for _, dir := range []string{filepath.Dir(st.File.Abs), root, filepath.Join(root, "bin")} {
				abs := filepath.Join(dir, base)
				if have[abs] {
					break
				}
				if !regularFile(abs) && l.opt.Overlay[abs] == nil {
					continue
				}
				have[abs] = true
				f := loadFile(abs, l.display(abs), Text, l.opt.MaxFileSize, l.opt.Overlay[abs])
				fl.Files = append(fl.Files, f)
				st := scanStartup(f, l.opt.Env)
				st.kind = kindEnv // whatever its name says
				in.Startup = append(in.Startup, st)
				break
			}
		}
	}
}

// startupRank orders start-up files by precedence: a wrapper script
// passes its flags last on the command line, so they win; then MI's own
// scripts (micro-integrator.sh, then the .bat), wrapper.conf, systemd
// units, env files.
func startupRank(st *Startup) int {
	name := path.Base(st.File.Path)
	switch kind := st.kind; {
	case name == "micro-integrator.sh":
		return 1
	case isStartScript(name):
		return 2
	case kind == kindShell || kind == kindBatch:
		return 0
	case kind == kindWrapper:
		return 3
	case kind == kindUnit:
		return 4
	}
	return 5
}

// looksCarbon guesses whether an unparsable YAML file is a Carbon 5
// runtime configuration, so that its syntax error is reported.
func looksCarbon(src []byte) bool {
	s := string(src)
	return strings.HasPrefix(s, "wso2.carbon:") || strings.Contains(s, "\nwso2.carbon:")
}

// releaseOf returns the MI release of an install: the first mi-version
// glob that matches its root, else the version that the install's
// updates/product.txt names (an MI distribution ships it, holding
// "wso2mi-4.2.0"), else the version its directory is named after (MI
// unpacks as wso2mi-4.2.0), else catalog.AnyRelease.
func (l *loader) releaseOf(in *Install) int {
	abs := l.abs(in.Root)
	if len(l.opt.MIVersions) > 0 {
		rel := l.relBase(abs)
		for _, v := range l.opt.MIVersions {
			if ok, _ := doublestar.Match(v.Glob, rel); ok {
				return v.Release
			}
		}
	}
	for _, name := range []string{in.productName(abs), path.Base(in.Root)} {
		if v, ok := strings.CutPrefix(name, "wso2mi-"); ok {
			if r, ok := catalog.ParseRelease(v); ok {
				return r
			}
		}
	}
	return catalog.AnyRelease
}

// eiLineOf tells the EI Analytics line of an install, and what told it:
// the first ei-analytics-version glob that matches its root; else the
// release its updates/product.txt or its directory names (wso2ei-6.6.0,
// wso2ei-analytics-7.1.0); else the layout of its files (EI 6.x keeps
// its runtimes in <EI_HOME>/wso2/analytics/conf/{worker,dashboard,
// manager}, EI Analytics 7.1 in conf/{server,portal}; a bare file's
// directory of one of these names counts too, as no other line uses
// them); else what a file holds that only one line writes. Nothing else
// is guessed: EILineUnknown leaves the ports that differ undecided.
func (l *loader) eiLineOf(in *Install) (EILine, string) {
	abs := l.abs(in.Root)
	if len(l.opt.EIVersions) > 0 {
		rel := l.relBase(abs)
		for _, v := range l.opt.EIVersions {
			if ok, _ := doublestar.Match(v.Glob, rel); ok {
				return v.Line, "ei-analytics-version " + v.Glob
			}
		}
	}
	if x := EILineOfName(in.productName(abs)); x != EILineUnknown {
		return x, "updates/product.txt"
	}
	if x := EILineOfName(path.Base(in.Root)); x != EILineUnknown {
		return x, "directory name " + path.Base(in.Root)
	}
	for _, rt := range in.Runtimes {
		p := filepath.ToSlash(rt.File.Abs)
		if path.Base(path.Dir(p)) != rt.Name {
			continue // a runtime named after the file's content
		}
		switch rt.Name {
		case "worker", "dashboard", "manager":
			return EI6Analytics, "runtime directory " + rt.Name
		case "server", "portal":
			return EI71Analytics, "runtime directory " + rt.Name
		}
	}
	for _, rt := range in.Runtimes {
		if x, why := eiLineOfContent(rt.File.YAML); x != EILineUnknown {
			return x, why
		}
	}
	return EILineUnknown, ""
}

// productName returns the first line of the updates/product.txt of the
// install at abs, "" when there is none. Only a regular file is read, and
// only its first bytes: the name is short.
func (in *Install) productName(abs string) string {
	if in.noProduct {
		return ""
	}
	p := filepath.Join(abs, "updates", "product.txt")
	fi, err := os.Lstat(p)
	if err != nil || !fi.Mode().IsRegular() {
		return ""
	}
	f, err := os.Open(p)
	if err != nil {
		return ""
	}
	defer f.Close()
	buf := make([]byte, 128)
	n, _ := io.ReadFull(f, buf)
	first, _, _ := strings.Cut(string(buf[:n]), "\n")
	return strings.TrimSpace(first)
}

// hostOf returns the host of an install root (a display path): the first
// explicit host whose glob matches, else the parent directory.
func (l *loader) hostOf(root string) string {
	if len(l.opt.Hosts) == 0 {
		return path.Dir(root)
	}
	abs := l.abs(root)
	rel := l.relBase(abs)
	for _, h := range l.opt.Hosts {
		for _, g := range h.Globs {
			if ok, _ := doublestar.Match(g, rel); ok {
				return h.Name
			}
		}
	}
	return path.Dir(root)
}
