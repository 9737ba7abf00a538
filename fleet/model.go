package fleet

import (
	"fmt"
	"path"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/wso2lint/wso2lint/internal/srcpos"
)

// Product names a WSO2 product whose ports the fleet model knows.
type Product string

// The products wso2lint recognises.
const (
	MI          Product = "mi"
	MIDashboard Product = "mi-dashboard"
	EIAnalytics Product = "ei-analytics"
)

// Fleet is everything found under the linted paths.
type Fleet struct {
	// Files holds every loaded file, sorted by path.
	Files []*File
	// Hosts holds the hosts sorted by name; each holds its installs.
	Hosts []*Host
	// Installs holds every install sorted by root.
	Installs []*Install
	// Targets is the set of display paths named on the command line, or
	// nil when whole directories were linted. Findings outside it are not
	// reported (pre-commit passes staged files only).
	Targets map[string]bool
	// Containers holds the compose services and Kubernetes containers
	// found, in file order; Services the Kubernetes Services (containers.go).
	Containers []*Container
	Services   []*KubeService
	// Skipped lists recognised files that were not read (Helm templates).
	Skipped []Skipped
	// Forgotten counts the installs and files that a streamed load let go
	// of once its OnHost had them (Forget): they were loaded and linted,
	// but are in none of the lists above.
	Forgotten Counts
	// TempDirs lists, sorted, the directories where the walk saw a
	// temporary file that an interrupted write may have left
	// (rewrite.IsTempName), and those of the files named on the command
	// line: where --fix looks for stale ones to remove.
	TempDirs []string

	indexOnce sync.Once
	index     *fleetIndex
	// plan is how Load made the fleet, for Reload (stream.go).
	plan *loadPlan
	// streamed is set on the fleet of one host while Options.OnHost has
	// it, for NewHostReloader (stream.go).
	streamed *streamedHost
}

// Counts is a number of installs and of files.
type Counts struct {
	Installs, Files int
}

// plus and minus add and take away counts of forgotten installs and files.
func (c Counts) plus(o Counts) Counts {
	return Counts{Installs: c.Installs + o.Installs, Files: c.Files + o.Files}
}

func (c Counts) minus(o Counts) Counts {
	return Counts{Installs: c.Installs - o.Installs, Files: c.Files - o.Files}
}

// Host is a group of installs sharing one port space: the parent directory
// of their roots, or a name from the config file's hosts mapping.
type Host struct {
	Name     string
	Installs []*Install
}

// Install is one product home (or its config-repo equivalent).
type Install struct {
	// Root is the display path of the install's root directory.
	Root    string
	Product Product
	Host    *Host
	// Runtimes holds one runtime for MI and MI Dashboard, and one per
	// deployment.yaml for EI Analytics, sorted by file path.
	Runtimes []*Runtime
	// Startup holds the start-up files read for the install, in the
	// order in which they take precedence.
	Startup []*Startup
	// Release is the MI release the install runs, as an index of the
	// catalogue's releases, or catalog.AnyRelease when it is not known
	// (then a key that any release reads is valid).
	Release int
	// ContainerStartup holds what the containers that run the install
	// pass it at start-up (command arguments, JAVA_OPTS), in container
	// file order; it comes before Startup (mapping.go).
	ContainerStartup []*Startup
	// EILine is, for EI Analytics, the line of releases the install
	// belongs to, which decides the listeners its offset moves (eia.go);
	// EILineFrom says what told it ("" when nothing did).
	EILine     EILine
	EILineFrom string
	// fileLine and fileLineFrom are what the install's own files and the
	// configuration say, before the images of its containers are heard.
	fileLine     EILine
	fileLineFrom string
	// noProduct says that the walk found no updates/ in the root: there
	// is no product.txt to read.
	noProduct bool
}

// StartupSources returns every start-up source of the install, those of
// its containers first.
func (in *Install) StartupSources() []*Startup {
	if len(in.ContainerStartup) == 0 {
		return in.Startup
	}
	return append(append([]*Startup{}, in.ContainerStartup...), in.Startup...)
}

// Runtime is one process of an install with its own config file and
// offset: the MI itself, or an EI Analytics server/portal/worker/dashboard.
type Runtime struct {
	Install *Install
	// Name is "" for MI and MI Dashboard, else server, portal, worker or
	// dashboard.
	Name   string
	File   *File
	Offset Offset
	// Listeners holds the runtime's listeners in file order.
	Listeners []*Listener
	// ClientURLs holds the URLs an MI connects out to that its file writes
	// as strings, in the order of MIClientURLKeys: kept in the model so
	// that the rules that compare them with other hosts need not read the
	// file (which a large run releases) again.
	ClientURLs []ClientURL
	// InternalAPIs lists, for an MI, the internal APIs its start script
	// turns on and the protocols each is served on, in the order of
	// InternalAPIProtocols; nil when the internal APIs are off.
	InternalAPIs []InternalAPI
	// Absent lists, for an MI, the internal API listeners that do not
	// exist although their port is configured (or defaulted): what a
	// probe on that port finds is nothing. Note says why.
	Absent []*Listener
}

// InternalAPI is an internal API of an MI (the Management API, the
// readiness and liveness probes) and the listeners that serve it.
type InternalAPI struct {
	Title string
	// Path is the API's context: /management, /healthz, /liveness.
	Path string
	// Protocols lists "http" and/or "https"; Unknown is set when the
	// protocols value cannot be read (a placeholder), and then every
	// protocol counts as served.
	Protocols []string
	Unknown   bool
	// Setting is the protocols key as the file writes it, nil when the
	// default applies.
	Setting *Setting
}

// Serves reports whether the API is served over a protocol.
func (a InternalAPI) Serves(protocol string) bool {
	if a.Unknown {
		return true
	}
	for _, p := range a.Protocols {
		if strings.EqualFold(p, protocol) {
			return true
		}
	}
	return false
}

// ClientURL is a URL an MI's deployment.toml writes as a string under one
// of MIClientURLKeys.
type ClientURL struct {
	// Key is the logical key path, as KeyString writes it.
	Key string
	// URL is the value's decoded text; Quote the delimiter it is written
	// with.
	URL, Quote string
	// KeySpan covers the key as written; Span the value, quotes included.
	KeySpan, Span srcpos.Span
}

// Setting is a value written in a file: a port, an offset, a bind address.
type Setting struct {
	File *File
	// Key is the logical key path, e.g. "transport.http.listener.port" or
	// "wso2.transport.http.listenerConfigurations[id=default].port".
	Key string
	// KeySpan covers the key as written; Span covers the value.
	KeySpan srcpos.Span
	Span    srcpos.Span
	// Raw is the value's decoded text; Quoted says it was written as a
	// string.
	Raw    string
	Quoted bool
	// Literal is set on a start-up flag whose value is written as the
	// decimal digits of Int, so that a fix may rewrite Span. (It sits
	// beside Quoted so that the two share a word: a large fleet holds
	// several settings per install.)
	Literal bool
	// Kind is the value's type as parsed ("integer", "string", ...).
	Kind string
	// Int is the value as a number, valid when State is Known.
	Int   int
	State ValueState
	// Problem explains an Invalid value, or why a value is Unresolved.
	Problem string
	// Alias is set ("*name") when a YAML value is reached through an
	// alias: Span is then the anchored value, which other aliases may
	// share, so no fix may rewrite it.
	Alias string
	// Origin says where a start-up flag is passed: "startup:<path>" for a
	// start-up file of the install, or what passes it to a container
	// ("compose:command", "k8s:env JAVA_OPTS", ...). Runner names that
	// container ("compose service mi"). Both are "" for a setting of a
	// config file.
	Origin, Runner string
}

// ValueState says whether a setting's number is known.
type ValueState int

// The states of a setting's value.
const (
	// Known: an integer or numeric string, or a placeholder resolved from
	// the config file's env.
	Known ValueState = iota
	// Unresolved: a WSO2 placeholder ($env{}, $sys{}, $ref{}, $secret{})
	// with no value supplied. Never guessed.
	Unresolved
	// Invalid: a value WSO2 fails on at runtime (K004).
	Invalid
)

// Offset is a runtime's effective port offset and where it came from.
type Offset struct {
	// Value is the effective offset, valid when Known.
	Value int
	Known bool
	// Source is "default", the config file's base name, or the
	// winning start-up flag's Origin ("startup:<path>",
	// "compose:command", "k8s:env JAVA_OPTS", ...).
	Source string
	// File is the offset written in the config file, or nil.
	File *Setting
	// Startup lists -DportOffset flags found in start-up sources, in
	// precedence order; the first one wins.
	Startup []*Setting
	// Problem says why the offset is unknown when no single setting
	// does (containers that run the install with different offsets).
	Problem string
}

// Winner returns the setting that decides the offset, or nil when the
// built-in default applies.
func (o *Offset) Winner() *Setting {
	if len(o.Startup) > 0 {
		return o.Startup[0]
	}
	return o.File
}

// Listener is a port a runtime listens on.
type Listener struct {
	Runtime *Runtime
	// Name is a short stable name: http, https, internal-http,
	// internal-https, dashboard, or an EI listener/receiver name such as
	// "http:default" or "thrift-tcp".
	Name string
	// Key is the logical key path that configures the port.
	Key string
	// Port is the setting that writes the port, nil when the default
	// applies.
	Port *Setting
	// Configured is the configured port (written or default), valid when
	// Known.
	Configured int
	// Default is the configured default (8280 for MI HTTP); 0 when the
	// port has no default.
	Default int
	// Effective is Configured plus Shift plus the offset when
	// OffsetApplies; valid when Known.
	Effective int
	Known     bool
	// Unverified marks listeners whose offset behaviour or start-up is not
	// verified: shown in the ports map, excluded from P001/P002. (The
	// flags sit together so that they share a word.)
	Unverified bool
	// OffsetApplies is false for listeners whose port the offset does not
	// move (MI Dashboard, EI 6.x analytics' HTTP listeners, the Siddhi
	// store API).
	OffsetApplies bool
	// Shift is a fixed amount the runtime adds to the configured port
	// besides the offset: 1 for EI 6.x analytics' binary data receiver,
	// else 0.
	Shift int
	// Undecided, when set, says why the effective port depends on a
	// product release that is not known (an EI Analytics install whose
	// line cannot be told): the listener is then not Known and Note says
	// so, rather than one of the candidate ports being asserted.
	Undecided string
	// eiKind is the kind of an EI Analytics listener (eiHTTP, ...), 0
	// for other products: the line may be told after the listener is
	// built (applyContainerLines).
	eiKind int
	// Bind is the bind address; "" means all addresses.
	Bind string
	// Note explains Unverified or an unknown port.
	Note string
}

// Startup is a start-up source: a script, wrapper.conf, systemd unit or env
// file that can pass JVM flags, or one place of a container's definition
// that passes them (its command, its JAVA_OPTS).
type Startup struct {
	File *File
	// Origin is "startup:<path>" for a file beside the install, else
	// what passes the flags to a container: "compose:command",
	// "compose:environment JAVA_OPTS", "k8s:args", "k8s:env JAVA_OPTS",
	// .... Runner names the container, "" for a file.
	Origin, Runner string
	// PortOffsets lists every -DportOffset flag in the file, in order.
	PortOffsets []*Setting
	// JMX lists -Dcom.sun.management.jmxremote flags without a pinned
	// port; JMXPinned is set when a port is pinned.
	JMX       []srcpos.Span
	JMXPinned bool

	kind     string   // sh, bat, wrapper.conf, systemd, env; "" for a container
	envFiles []string // a systemd unit's EnvironmentFile= paths
}

// Location returns where a finding about the listener belongs, where a
// reviewer looks for it: the key that sets the port when the file writes it, else
// the setting that decides the offset, else line 1 of the runtime's file.
func (l *Listener) Location() (*File, srcpos.Span) {
	if l.Port != nil {
		return l.Port.File, l.Port.KeySpanToValue()
	}
	if w := l.Runtime.Offset.Winner(); w != nil {
		return w.File, w.KeySpanToValue()
	}
	f := l.Runtime.File
	return f, FirstLine(f)
}

// KeySpanToValue returns the span from the key's start to the value's end,
// the span a finding about the whole setting underlines.
func (s *Setting) KeySpanToValue() srcpos.Span {
	if s.KeySpan.End == 0 && s.KeySpan.Start == 0 {
		return s.Span
	}
	return srcpos.Span{Start: s.KeySpan.Start, End: s.Span.End}
}

// FirstLine returns the span of the file's first line of content, after a
// byte-order mark.
func FirstLine(f *File) srcpos.Span {
	if f.released {
		return f.firstLine // the model outlives the bytes: see File.Release
	}
	start := f.Lines.LineStart(1)
	end := f.Lines.LineEnd(f.Src, 1)
	if end < start {
		end = start
	}
	return srcpos.Span{Start: start, End: end}
}

// Overlaps reports whether two bind addresses can both receive a
// connection on the same port: an unset or wildcard address overlaps
// everything.
func Overlaps(a, b string) bool {
	if isWildcard(a) || isWildcard(b) {
		return true
	}
	return a == b
}

func isWildcard(s string) bool {
	return s == "" || s == "0.0.0.0" || s == "::" || s == "[::]" || s == "*"
}

// InstallOf returns the install a file belongs to, or nil.
func (fl *Fleet) InstallOf(f *File) *Install {
	if i := fl.fileIndex(f); i >= 0 {
		return fl.indexes().installs[i]
	}
	return nil
}

// fileIndex returns the index of f in fl.Files, -1 when f is not there.
// Files are sorted by path; several may share one (an embedded config and
// its manifest), so the search steps over those that are not f.
func (fl *Fleet) fileIndex(f *File) int {
	i := sort.Search(len(fl.Files), func(i int) bool { return fl.Files[i].Path >= f.Path })
	for ; i < len(fl.Files) && fl.Files[i].Path == f.Path; i++ {
		if fl.Files[i] == f {
			return i
		}
	}
	return -1
}

// fleetIndex is what files are looked up by beyond their path: a linear
// search per lookup made S002 quadratic in the size of the fleet. It is
// slices beside fl.Files rather than maps: a fleet of 100,000 installs
// kept 15 MB of maps to the end of the run.
type fleetIndex struct {
	// installs[i] is the install fl.Files[i] belongs to (the first that
	// lists it), nil for a file of no install.
	installs []*Install
	// byAbs holds the indexes of fl.Files in the order of their absolute
	// paths.
	byAbs []int32
	// hostNamed is HostNamed's map, built on its first call: the host
	// rules build the indexes of every host's fleet, which never needs it
	// (OnHost's fleet asks its load).
	hostOnce  sync.Once
	hostNamed map[string]string
}

// indexes builds the fleet's indexes on first use; the fleet's files and
// installs must not change afterwards.
func (fl *Fleet) indexes() *fleetIndex {
	fl.indexOnce.Do(func() {
		x := &fleetIndex{installs: make([]*Install, len(fl.Files)), byAbs: make([]int32, len(fl.Files))}
		set := func(f *File, in *Install) {
			if i := fl.fileIndex(f); i >= 0 && x.installs[i] == nil {
				x.installs[i] = in
			}
		}
		for _, in := range fl.Installs {
			for _, rt := range in.Runtimes {
				set(rt.File, in)
			}
			for _, st := range in.Startup {
				set(st.File, in)
			}
		}
		for i := range x.byAbs {
			x.byAbs[i] = int32(i)
		}
		sort.SliceStable(x.byAbs, func(a, b int) bool { return fl.Files[x.byAbs[a]].Abs < fl.Files[x.byAbs[b]].Abs })
		fl.index = x
	})
	return fl.index
}

// Title names the listener in messages, without an article: "HTTP
// pass-through listener", "MI Dashboard listener", "server listener
// http:default".
func (l *Listener) Title() string {
	switch l.Runtime.Install.Product {
	case MIDashboard:
		return "MI Dashboard listener"
	case EIAnalytics:
		return l.Runtime.Name + " listener " + l.Name
	}
	for _, p := range MIPorts {
		if p.Name == l.Name {
			return p.Title + " listener"
		}
	}
	switch {
	case l.Name == "tcp":
		return "TCP transport listener"
	case strings.HasPrefix(l.Name, "custom"):
		return "custom transport listener " + l.Name
	}
	return l.Name + " listener"
}

// Arith shows how the listener's effective port comes about, "8280 +
// offset 10 = 8290", "9611 + offset 0 + 1 = 9612" for a listener with a
// Shift, or "9743, no offset" for a port no offset moves. It is
// meaningful only when the port is Known.
func (l *Listener) Arith() string {
	if !l.OffsetApplies {
		if l.Shift != 0 {
			return fmt.Sprintf("%d + %d = %d, no offset", l.Configured, l.Shift, l.Effective)
		}
		return fmt.Sprintf("%d, no offset", l.Effective)
	}
	if l.Shift != 0 {
		return fmt.Sprintf("%d + offset %d + %d = %d", l.Configured, l.Effective-l.Configured-l.Shift, l.Shift, l.Effective)
	}
	return fmt.Sprintf("%d + offset %d = %d", l.Configured, l.Effective-l.Configured, l.Effective)
}

// At returns the port the listener would have with offset off: its
// configured port plus its Shift, plus off when the offset moves it.
func (l *Listener) At(off int) int {
	if !l.OffsetApplies {
		return l.Configured + l.Shift
	}
	return l.Configured + l.Shift + off
}

// HostNamed returns the name of the host that name, written as the host
// of a URL, gives: the first host in name order whose name, or the last
// element of it, is name (dc-1/analytics is "analytics"); ok is false when
// none is. On the fleet of one host as Options.OnHost passes it, the
// answer is the one the whole fleet will give.
func (fl *Fleet) HostNamed(name string) (host string, ok bool) {
	if fl.streamed != nil {
		host, ok = fl.streamed.l.hostNamed[name]
		return host, ok
	}
	x := fl.indexes()
	x.hostOnce.Do(func() {
		names := make([]string, len(fl.Hosts))
		for i, h := range fl.Hosts {
			names[i] = h.Name
		}
		x.hostNamed = hostNameIndex(names)
	})
	host, ok = x.hostNamed[name]
	return host, ok
}

// hostNameIndex maps a host's name and the last element of its name to
// the host's name, the first in name order where several share one.
func hostNameIndex(names []string) map[string]string {
	names = slices.Clone(names)
	slices.Sort(names)
	m := make(map[string]string, 2*len(names))
	for _, h := range names {
		for _, k := range []string{h, path.Base(h)} {
			if _, ok := m[k]; !ok {
				m[k] = h
			}
		}
	}
	return m
}

// Host returns the host named name, or nil.
func (fl *Fleet) Host(name string) *Host {
	i := sort.Search(len(fl.Hosts), func(i int) bool { return fl.Hosts[i].Name >= name })
	if i < len(fl.Hosts) && fl.Hosts[i].Name == name {
		return fl.Hosts[i]
	}
	return nil
}

// File returns the file with display path p, or nil.
func (fl *Fleet) File(p string) *File {
	i := sort.Search(len(fl.Files), func(i int) bool { return fl.Files[i].Path >= p })
	if i < len(fl.Files) && fl.Files[i].Path == p {
		return fl.Files[i]
	}
	return nil
}

// FileAbs returns the file with absolute path abs, or nil.
func (fl *Fleet) FileAbs(abs string) *File {
	by := fl.indexes().byAbs
	i := sort.Search(len(by), func(i int) bool { return fl.Files[by[i]].Abs >= abs })
	if i < len(by) && fl.Files[by[i]].Abs == abs {
		return fl.Files[by[i]]
	}
	return nil
}
