package fleet

import (
	"bytes"
	"fmt"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
)

// This file is the streaming side of loading. Files are loaded host by host:
// every host's files are read and parsed by a pool of GOMAXPROCS workers, and
// as soon as the last file of a host is in, the worker that loaded it builds
// the host's installs and hands the host to Options.OnHost. The lint engine
// runs its host-local rules there and releases the files nothing points
// into, so that a run holds the model of the whole fleet but the bytes and
// parsed documents of only a few hosts at a time. The result does not
// depend on scheduling: hosts are assembled from their own files only, and
// the fleet is put together and sorted once all are in.

// Progress counts the files of a load, for a progress indicator: Total is
// set once discovery is done, Done grows as files are read and parsed.
type Progress struct {
	Total, Done atomic.Int64
}

// hostGroup is the candidates of one host, loaded and assembled together.
type hostGroup struct {
	host  string
	cands []int // indexes into loader.cands, in path order
}

// part is one loaded host group: a fleet holding the host, its installs
// and their files, and the bare deployment.yaml files that turned out to
// be no EI Analytics runtime (Kubernetes manifests, perhaps).
type part struct {
	fl     *Fleet
	others []*File
}

// loadPlan is what Reload needs to load some hosts again: the loader of
// the first load and every host's part.
type loadPlan struct {
	l     *loader
	parts []*part
}

// groupByHost sorts the candidates into host groups. The host of a
// candidate follows from its path alone (its install root's host), so
// that the groups are known before anything is parsed.
func (l *loader) groupByHost() {
	l.groups, l.groupOf = nil, make([]int, l.cands.len())
	index := map[string]int{}
	// The candidates are in path order: an install's files come one after
	// the other, and its group is worked out once.
	var lastRoot string
	g := 0
	for i := range l.cands.len() {
		c := l.cands.at(i)
		root := c.root
		if root == "" {
			root = filepath.Dir(c.abs)
		}
		if i == 0 || root != lastRoot {
			lastRoot = root
			h := l.hostOf(l.display(root))
			var ok bool
			if g, ok = index[h]; !ok {
				g = len(l.groups)
				index[h] = g
				l.groups = append(l.groups, hostGroup{host: h})
			}
		}
		l.groupOf[i] = g
	}
	// The groups' lists are cut from one array: a large fleet has a group
	// for each of its thousands of hosts, which live as long as the fleet.
	count := make([]int, len(l.groups))
	for _, g := range l.groupOf {
		count[g]++
	}
	all, at := make([]int, len(l.groupOf)), 0
	for g, n := range count {
		l.groups[g].cands = all[at : at : at+n]
		at += n
	}
	for i, g := range l.groupOf {
		l.groups[g].cands = append(l.groups[g].cands, i)
	}
	names := make([]string, len(l.groups))
	for g, hg := range l.groups {
		names[g] = hg.host
	}
	l.hostNamed = hostNameIndex(names)
}

// loadGroups loads the host groups listed in todo on GOMAXPROCS workers and
// stores each one's part in parts, calling OnHost for each as it completes.
// Groups are queued one after the other, so that only about one host per
// worker is in flight.
func (l *loader) loadGroups(todo []int, parts []*part) {
	files := make([]*File, l.cands.len())
	remaining := make([]atomic.Int32, len(l.groups))
	total := 0
	for _, g := range todo {
		remaining[g].Store(int32(len(l.groups[g].cands)))
		total += len(l.groups[g].cands)
	}
	if pr := l.opt.Progress; pr != nil {
		pr.Done.Store(0)
		pr.Total.Store(int64(total))
	}
	var wg sync.WaitGroup
	var crash workerPanic
	work := make(chan int, 64)
	for w := 0; w < runtime.GOMAXPROCS(0); w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				crash.guard(func() { l.loadOne(i, files, parts, remaining) })
			}
		}()
	}
	for _, g := range todo {
		for _, i := range l.groups[g].cands {
			work <- i
		}
	}
	close(work)
	wg.Wait()
	crash.repanic()
}

// loadOne loads candidate i and, when it is the last file of its group,
// builds the group's installs and hands them to OnHost.
func (l *loader) loadOne(i int, files []*File, parts []*part, remaining []atomic.Int32) {
	c := l.cands.at(i)
	files[i] = loadFile(c.abs, l.display(c.abs), formats[c.kind], l.opt.MaxFileSize, l.opt.Overlay[c.abs])
	if pr := l.opt.Progress; pr != nil {
		pr.Done.Add(1)
	}
	g := l.groupOf[i]
	if remaining[g].Add(-1) > 0 {
		return
	}
	// The last file of the group is in (the atomic counter orders the
	// other workers' writes to files before this read).
	p := l.assemble(l.groups[g], files)
	if l.opt.OnHost != nil && len(p.fl.Hosts) > 0 {
		p.fl.streamed = &streamedHost{l: l, g: g, files: files}
		l.opt.OnHost(p.fl)
		p.fl.streamed = nil
	}
	parts[g] = p
	// The part holds what is kept of the host's files: the load's list
	// would keep the ones OnHost forgot to the end of the load.
	for _, i := range l.groups[g].cands {
		files[i] = nil
	}
}

// streamedHost is what the fleet of a host needs, while OnHost has it, to
// be loaded again alone: the loader, the host's group and the files just
// loaded (indexed like loader.cands), whose documents the OnHost callback
// has not released yet.
type streamedHost struct {
	l     *loader
	g     int
	files []*File
}

// workerPanic keeps the first panic of a pool of workers, so that it can
// be raised again in the goroutine that waits for them. A panic left in a
// worker would end the process with Go's exit status 2, which reads as a
// usage error; raised again, it reaches the command's recover and exits 3
// as an internal error. The other workers go on with their items, so that
// the producer never blocks on a pool that has died.
type workerPanic struct {
	once  sync.Once
	value any
	stack []byte
}

func (w *workerPanic) guard(f func()) {
	defer func() {
		if p := recover(); p != nil {
			w.once.Do(func() { w.value, w.stack = p, debug.Stack() })
		}
	}()
	f()
}

func (w *workerPanic) repanic() {
	if w.value != nil {
		panic(fmt.Sprintf("%v\n%s", w.value, w.stack))
	}
}

// merge puts the host parts together into the fleet, sorted as Fleet
// documents, and adds the containers (containers.go).
func (l *loader) merge(parts []*part) *Fleet {
	fl := &Fleet{Targets: l.targets, TempDirs: l.sortedTempDirs()}
	for _, p := range parts {
		fl.Files = append(fl.Files, p.fl.Files...)
		fl.Installs = append(fl.Installs, p.fl.Installs...)
		fl.Hosts = append(fl.Hosts, p.fl.Hosts...)
		fl.Forgotten = fl.Forgotten.plus(p.fl.Forgotten)
	}
	sort.Slice(fl.Installs, func(a, b int) bool { return fl.Installs[a].Root < fl.Installs[b].Root })
	sort.Slice(fl.Files, func(a, b int) bool { return fl.Files[a].Path < fl.Files[b].Path })
	sort.Slice(fl.Hosts, func(a, b int) bool { return fl.Hosts[a].Name < fl.Hosts[b].Name })
	l.containers = nil
	for _, p := range parts {
		for _, f := range p.others {
			l.keepManifest(f)
		}
	}
	l.buildContainers(fl, l.containerCands)
	fl.plan = &loadPlan{l: l, parts: parts}
	return fl
}

// sortedTempDirs returns the loader's tempDirs in order.
func (l *loader) sortedTempDirs() []string {
	out := make([]string, 0, len(l.tempDirs))
	for d := range l.tempDirs {
		out = append(out, d)
	}
	sort.Strings(out)
	return out
}

// Reload returns the fleet with the named hosts loaded again, overlay
// replacing file contents on top of the overlay fl was loaded with; every
// other host is shared with fl, and the containers are built again. onHost
// is called for each reloaded host, as Options.OnHost. The fix loop uses it
// to lint again only the hosts a batch of fixes touched (the rules look no
// further than a host; the few cross-host ones run again on the result). ok
// is false for a fleet that Load did not make.
func Reload(fl *Fleet, hosts map[string]bool, overlay map[string][]byte, onHost func(*Fleet)) (_ *Fleet, ok bool) {
	if fl.plan == nil {
		return nil, false
	}
	l := *fl.plan.l
	merged := make(map[string][]byte, len(l.opt.Overlay)+len(overlay))
	for k, v := range l.opt.Overlay {
		merged[k] = v
	}
	for k, v := range overlay {
		merged[k] = v
	}
	// A reload is a few hosts: it does not restart the progress count.
	l.opt.Overlay, l.opt.OnHost, l.opt.Progress, l.containers = merged, onHost, nil, nil
	parts := append([]*part(nil), fl.plan.parts...)
	// A host group holds files that belong to no install too (a manifest
	// named deployment.yaml, perhaps carrying a ConfigMap's config): a
	// group with a file the overlay changes is loaded again whatever
	// hosts says. A file the overlay gives the content fl was loaded with
	// changes nothing: the fix loop passes its whole overlay each time, and
	// loading again every host an earlier pass fixed made each pass cost a
	// load of those hosts.
	again := map[int]bool{}
	for i := range l.cands.len() {
		abs := l.cands.abs(i)
		content, ok := overlay[abs]
		if !ok {
			continue
		}
		if was, loaded := fl.plan.l.opt.Overlay[abs]; !loaded || !bytes.Equal(was, content) {
			again[l.groupOf[i]] = true
		}
	}
	var todo []int
	for g, hg := range l.groups {
		if hosts[hg.host] || again[g] {
			todo = append(todo, g)
		}
	}
	l.loadGroups(todo, parts)
	out := l.merge(parts)
	out.Targets = fl.Targets
	return out, true
}

// HostReloader loads one host of a fleet again, as often as asked, each
// time with other contents for some of its files. The fix loop judges the
// fixes of a host no container runs with it, one candidate set after the
// other: putting the whole fleet together again for each of them made
// fixing a fleet cost the square of its size. A file whose content is one
// it was loaded with before is not read or parsed again: the fleets a
// reloader returns share it (loaded files are not changed afterwards).
type HostReloader struct {
	l     loader
	group hostGroup
	// base is the overlay the fleet was loaded with, cut down to this
	// host's files; loaded keeps, by absolute path, the files loaded so
	// far with the overlay content each had (nil: read from disk).
	base map[string][]byte
	// mu guards loaded, which File fills from the fix loop's workers.
	mu     sync.Mutex
	loaded map[string][]loadedFile
}

type loadedFile struct {
	f       *File
	overlay []byte
}

// maxVersions bounds the versions of a file a HostReloader keeps: the
// original and the few candidate sets being compared.
const maxVersions = 4

// NewHostReloader returns a reloader of the named host of fl. ok is false
// for a fleet that Load did not make or a host it does not have. fl may
// also be the fleet of that host as Options.OnHost has it: the reloader
// then starts from the files just loaded, which the host's later loads
// share while their content is the same, so that judging a fix there
// parses only the files it edits.
func NewHostReloader(fl *Fleet, host string) (_ *HostReloader, ok bool) {
	var l loader
	g := -1
	var part *Fleet
	var loaded []*File
	switch {
	case fl.plan != nil:
		l = *fl.plan.l
		for i, hg := range l.groups {
			if hg.host == host {
				g = i
				break
			}
		}
		if g >= 0 && fl.plan.parts[g] != nil {
			part = fl.plan.parts[g].fl
		}
	case fl.streamed != nil && len(fl.Hosts) == 1 && fl.Hosts[0].Name == host:
		l, g, part, loaded = *fl.streamed.l, fl.streamed.g, fl, fl.streamed.files
	}
	if g < 0 {
		return nil, false
	}
	r := &HostReloader{base: map[string][]byte{}, loaded: map[string][]loadedFile{}}
	keep := func(abs string) {
		if v, ok := l.opt.Overlay[abs]; ok {
			r.base[abs] = v
		}
	}
	// The loader is cut down to this host's candidates, so that a load
	// costs the size of the host, not of the fleet.
	mine := l.groups[g].cands
	r.group = hostGroup{host: host, cands: make([]int, len(mine))}
	for j, i := range mine {
		r.group.cands[j] = j
		abs := l.cands.abs(i)
		keep(abs)
		if loaded != nil && loaded[i] != nil {
			r.loaded[abs] = []loadedFile{{f: loaded[i], overlay: l.opt.Overlay[abs]}}
		}
	}
	if part != nil {
		for _, f := range part.Files {
			keep(f.Abs) // the environment files it read, too
		}
	}
	l.opt.OnHost, l.opt.Progress, l.containers = nil, nil, nil
	l.cands, l.groups, l.groupOf = l.cands.subset(mine), []hostGroup{r.group}, make([]int, len(mine))
	r.l = l
	return r, true
}

// Host returns the name of the host r loads.
func (r *HostReloader) Host() string { return r.group.host }

// Load returns the fleet of the host, overlay replacing file contents on
// top of the overlay the fleet was loaded with: its installs and their
// files, as Options.OnHost passes it, with no other host and no
// containers. ok is false when the host has no install.
func (r *HostReloader) Load(overlay map[string][]byte) (_ *Fleet, ok bool) {
	l := &r.l
	merged := make(map[string][]byte, len(r.base)+len(overlay))
	for k, v := range r.base {
		merged[k] = v
	}
	for k, v := range overlay {
		merged[k] = v
	}
	l.opt.Overlay = merged
	files := make([]*File, l.cands.len())
	for i := range l.cands.len() {
		c := l.cands.at(i)
		files[i] = r.file(c, merged[c.abs])
	}
	p := l.assemble(r.group, files)
	if len(p.fl.Hosts) != 1 {
		return nil, false
	}
	return p.fl, true
}

// File returns the host's file at abs as a load with that content
// would: the fix loop verifies a fixed file on the document that the
// host's next load then takes, instead of parsing it twice. It returns
// nil when abs is not one of the host's candidate files.
func (r *HostReloader) File(abs string, content []byte) *File {
	for i := range r.l.cands.len() {
		if r.l.cands.abs(i) == abs {
			return r.file(r.l.cands.at(i), content)
		}
	}
	return nil
}

// formats maps a candidate's kind to the format its file is parsed as.
var formats = map[string]Format{"toml": TOML, "yaml": YAML, "startup": Text}

// file returns the candidate's file with content (nil: as on disk),
// loaded once per content: a version loaded before is shared.
func (r *HostReloader) file(c candidate, content []byte) *File {
	r.mu.Lock()
	for _, v := range r.loaded[c.abs] {
		if (v.overlay == nil) == (content == nil) && string(v.overlay) == string(content) {
			r.mu.Unlock()
			return v.f
		}
	}
	r.mu.Unlock()
	l := &r.l
	f := loadFile(c.abs, l.display(c.abs), formats[c.kind], l.opt.MaxFileSize, content)
	r.mu.Lock()
	defer r.mu.Unlock()
	vs := r.loaded[c.abs]
	if len(vs) == maxVersions {
		vs = append(vs[:1], vs[2:]...) // keep the first: the fixes start from it
	}
	r.loaded[c.abs] = append(vs, loadedFile{f: f, overlay: content})
	return f
}

// WithHosts returns a fleet like fl with the hosts of parts, each the
// fleet of one host as Options.OnHost passes it or a HostReloader loads
// it, in place of fl's hosts of the same names: their installs and files
// replace those hosts' own. It is fl's model with some hosts changed (the
// lint run checks the rules that look across hosts on the fleet its
// fixes would make); the result has fl's containers. It can be reloaded
// when fl can: Reload loads the other hosts as fl's load did, and keeps
// these parts as they are.
func (fl *Fleet) WithHosts(parts []*Fleet) *Fleet {
	byName, replaced := map[string]bool{}, map[string]bool{}
	var files []*File
	var installs []*Install
	var hosts []*Host
	for _, p := range parts {
		for _, h := range p.Hosts {
			byName[h.Name] = true
		}
		for _, f := range p.Files {
			replaced[f.Path] = true
		}
		files = append(files, p.Files...)
		installs = append(installs, p.Installs...)
		hosts = append(hosts, p.Hosts...)
	}
	out := &Fleet{Targets: fl.Targets, Containers: fl.Containers, Services: fl.Services, Skipped: fl.Skipped,
		Forgotten: fl.Forgotten, TempDirs: fl.TempDirs}
	keptInstalls := make([]*Install, 0, len(fl.Installs))
	for _, in := range fl.Installs {
		if in.Host == nil || !byName[in.Host.Name] {
			keptInstalls = append(keptInstalls, in)
			continue
		}
		for _, rt := range in.Runtimes {
			replaced[rt.File.Path] = true
		}
		for _, st := range in.Startup {
			replaced[st.File.Path] = true
		}
	}
	keptFiles := make([]*File, 0, len(fl.Files))
	for _, f := range fl.Files {
		if !replaced[f.Path] {
			keptFiles = append(keptFiles, f)
		}
	}
	keptHosts := make([]*Host, 0, len(fl.Hosts))
	for _, h := range fl.Hosts {
		if !byName[h.Name] {
			keptHosts = append(keptHosts, h)
		}
	}
	// fl's lists are sorted, and stay so filtered: only the few hosts'
	// lists are sorted, and merged in (sorting the whole of a large
	// fleet's was most of this).
	out.Files = mergeSorted(keptFiles, files, func(f *File) string { return f.Path })
	out.Installs = mergeSorted(keptInstalls, installs, func(in *Install) string { return in.Root })
	out.Hosts = mergeSorted(keptHosts, hosts, func(h *Host) string { return h.Name })
	for _, p := range parts {
		out.Forgotten = out.Forgotten.plus(p.Forgotten)
	}
	if fl.plan != nil {
		// What was forgotten of a host goes with the host it replaces (a
		// host with findings may have forgotten some installs, and the
		// fix loop replaces it whole).
		var gone Counts
		out.plan, gone = fl.plan.with(parts)
		out.Forgotten = out.Forgotten.minus(gone)
	}
	return out
}

// with returns the plan with the host groups of parts loaded as parts, and
// what the parts they replace had forgotten.
func (pl *loadPlan) with(parts []*Fleet) (_ *loadPlan, forgotten Counts) {
	group := make(map[string]int, len(pl.l.groups))
	for g, hg := range pl.l.groups {
		group[hg.host] = g
	}
	out := &loadPlan{l: pl.l, parts: slices.Clone(pl.parts)}
	for _, p := range parts {
		for _, h := range p.Hosts {
			if g, ok := group[h.Name]; ok {
				if old := out.parts[g]; old != nil {
					forgotten = forgotten.plus(old.fl.Forgotten)
				}
				out.parts[g] = &part{fl: p}
			}
		}
	}
	return out, forgotten
}

// mergeSorted returns sorted, which is sorted by key, with add merged in,
// stably (elements of sorted first among equal keys).
func mergeSorted[T any](sorted, add []T, key func(T) string) []T {
	sort.SliceStable(add, func(a, b int) bool { return key(add[a]) < key(add[b]) })
	out := make([]T, 0, len(sorted)+len(add))
	i, j := 0, 0
	for i < len(sorted) && j < len(add) {
		if key(add[j]) < key(sorted[i]) {
			out = append(out, add[j])
			j++
		} else {
			out = append(out, sorted[i])
			i++
		}
	}
	out = append(out, sorted[i:]...)
	return append(out, add[j:]...)
}

// Forget lets go of installs of the fleet of one host, as Options.OnHost
// passes it, and of the files only they read: the fleet the load returns
// holds neither and counts them in Forgotten; their host stays, with the
// installs it keeps. A lint that has a host's findings forgets the
// installs no later rule reads, so that the memory of a large run follows
// what its findings need rather than the size of the fleet. Forget does
// nothing and reports false on any other fleet, and when the load may
// build containers (a compose file, a manifest): they are built once every
// host is in, and may run any install.
func (fl *Fleet) Forget(ins []*Install) bool {
	if fl.streamed == nil || !fl.streamed.l.containerFree || len(ins) == 0 {
		return false
	}
	gone := make(map[*Install]bool, len(ins))
	for _, in := range ins {
		gone[in] = true
	}
	kept := map[*File]bool{}
	var installs []*Install
	for _, in := range fl.Installs {
		if gone[in] {
			continue
		}
		installs = append(installs, in)
		for _, rt := range in.Runtimes {
			kept[rt.File] = true
		}
		for _, st := range in.Startup {
			kept[st.File] = true
		}
	}
	dropped := map[*File]bool{}
	for in := range gone {
		for _, rt := range in.Runtimes {
			dropped[rt.File] = !kept[rt.File]
		}
		for _, st := range in.Startup {
			dropped[st.File] = !kept[st.File]
		}
	}
	var files []*File
	for _, f := range fl.Files {
		if dropped[f] {
			fl.Forgotten.Files++
		} else {
			files = append(files, f)
		}
	}
	for _, h := range fl.Hosts {
		var left []*Install
		for _, in := range h.Installs {
			if !gone[in] {
				left = append(left, in)
			}
		}
		h.Installs = left
	}
	fl.Forgotten.Installs += len(fl.Installs) - len(installs)
	fl.Installs, fl.Files = installs, files
	// The indexes the host's rules built hold every install.
	fl.indexOnce, fl.index = sync.Once{}, nil
	return true
}
