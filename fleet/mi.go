package fleet

import (
	"fmt"
	"path"
	"strings"
	"sync"

	"github.com/wso2lint/wso2lint/internal/tomlast"
)

// tomlSetting turns a TOML entry into a setting with its number resolved.
func tomlSetting(f *File, e *tomlast.Entry, env map[string]string) *Setting {
	s := &Setting{
		File:    f,
		Key:     intern(KeyString(e.Path)),
		KeySpan: e.KeySpan,
		Span:    e.Value.Span,
		Raw:     intern(e.Value.Text), // not a window on the file: the model outlives it
		Quoted:  e.Value.Quote != "",
		Kind:    e.Value.Kind.String(),
	}
	resolveNumber(s, env, false)
	return s
}

// lookupTOML returns the first entry at path; a repeated key is S002 and
// stops WSO2 at start-up, so which one we take does not matter.
func lookupTOML(d *tomlast.Doc, path []string) *tomlast.Entry {
	return d.First(path...)
}

// isFalse reports whether the entry at path is the boolean false (or the
// string "false", which WSO2 renders the same way).
func isFalse(d *tomlast.Doc, p []string) bool {
	e := lookupTOML(d, p)
	return e != nil && (e.Value.Kind == tomlast.Bool || e.Value.Kind == tomlast.String) && e.Value.Text == "false"
}

func isTrue(d *tomlast.Doc, p []string) bool {
	e := lookupTOML(d, p)
	return e != nil && (e.Value.Kind == tomlast.Bool || e.Value.Kind == tomlast.String) && e.Value.Text == "true"
}

func stringAt(d *tomlast.Doc, p []string) string {
	if e := lookupTOML(d, p); e != nil && e.Value.Kind == tomlast.String {
		return intern(e.Value.Text)
	}
	return ""
}

// IsDashboardTOML reports whether a deployment.toml belongs to the MI
// Dashboard, a different product with its own listener and no offset.
func IsDashboardTOML(d *tomlast.Doc) bool {
	if d == nil {
		return false
	}
	if d.TableFor("server_config") != nil {
		return true
	}
	for _, e := range d.Entries {
		if len(e.Path) > 0 && e.Path[0] == "server_config" {
			return true
		}
	}
	return false
}

// defaultInternalAPIs returns the internal APIs of an MI whose file sets
// no protocols: the same for every MI, so that it is built once and
// shared (Runtime.InternalAPIs is read-only once built).
var defaultInternalAPIs = sync.OnceValue(func() []InternalAPI {
	out := make([]InternalAPI, len(InternalAPIProtocols))
	for i, api := range InternalAPIProtocols {
		out[i] = InternalAPI{Title: api.Title, Path: api.Path,
			Protocols: strings.FieldsFunc(api.Default, func(r rune) bool { return r == ' ' || r == ',' })}
	}
	return out[:len(out):len(out)]
})

// buildMI fills an MI runtime's offset and listeners from its
// deployment.toml and start-up sources.
func buildMI(rt *Runtime, env map[string]string) {
	f := rt.File
	var file *Setting
	d := f.TOML
	if d != nil {
		if e := lookupTOML(d, MIOffsetKey); e != nil {
			file = tomlSetting(f, e, env)
		}
	}
	rt.settleMIOffset(file)
	if d == nil {
		return
	}
	keys := catalogKeys()
	urls := make([]*tomlast.Entry, len(MIClientURLKeys))
	n := 0
	for i, key := range MIClientURLKeys {
		if e := lookupTOML(d, key); e != nil && e.Value.Kind == tomlast.String {
			urls[i] = e
			n++
		}
	}
	if n > 0 {
		// Sized exactly: every MI of a large fleet keeps this slice.
		rt.ClientURLs = make([]ClientURL, 0, n)
	}
	for i, e := range urls {
		if e != nil {
			rt.ClientURLs = append(rt.ClientURLs, ClientURL{Key: keys.clientURL[i], URL: intern(e.Value.Text),
				Quote: e.Value.Quote, KeySpan: e.KeySpan, Span: e.Value.Span})
		}
	}
	internalOn := true
	for _, k := range internalAPIEnabled {
		internalOn = internalOn && !isFalse(d, k)
	}
	if internalOn {
		var apis []InternalAPI
		for i, api := range InternalAPIProtocols {
			e := lookupTOML(d, api.Key)
			if e == nil {
				if apis != nil {
					apis = append(apis, defaultInternalAPIs()[i])
				}
				continue
			}
			if apis == nil {
				apis = append(make([]InternalAPI, 0, len(InternalAPIProtocols)), defaultInternalAPIs()[:i]...)
			}
			a := InternalAPI{Title: api.Title, Path: api.Path, Setting: tomlSetting(f, e, env)}
			if e.Value.Kind != tomlast.String || strings.Contains(e.Value.Text, "{") {
				a.Unknown = true
			}
			// Interned: the protocols are windows on the file's text,
			// which the model outlives.
			for _, p := range strings.FieldsFunc(e.Value.Text, func(r rune) bool { return r == ' ' || r == ',' }) {
				a.Protocols = append(a.Protocols, intern(p))
			}
			apis = append(apis, a)
		}
		if apis == nil {
			// No key of the file names a protocol: every MI shares the
			// defaults, which no one writes to.
			apis = defaultInternalAPIs()
		}
		rt.InternalAPIs = apis
	}
	for pi, p := range MIPorts {
		on := miListenerOn(d, p)
		if !on && p.Protocol == "" {
			continue
		}
		l := &Listener{Runtime: rt, Name: p.Name, Key: keys.miPort[pi], Default: p.Default, OffsetApplies: true}
		e := lookupTOML(d, p.Key)
		for _, raw := range p.Raw {
			if e != nil {
				break
			}
			e = lookupTOML(d, raw)
		}
		if e != nil {
			l.Port = tomlSetting(f, e, env)
			l.Key = l.Port.Key
		}
		for _, b := range p.Bind {
			if l.Bind = stringAt(d, b); l.Bind != "" {
				break
			}
		}
		l.settle()
		if !on {
			l.Note = intern(absentReason(d, p))
			rt.Absent = append(rt.Absent, l)
			continue
		}
		rt.Listeners = append(rt.Listeners, l)
	}
	for _, u := range MIUnverified {
		table := append(append([]string{}, u.Table...), u.Key...)
		if u.Enable != nil && !isTrue(d, append(append([]string{}, u.Table...), u.Enable...)) {
			continue
		}
		for _, e := range d.Entries {
			// [transport.tcp] listener.port and [transport.tcp.listener]
			// port are the same key; an array's elements are told apart
			// by their header's index.
			inArray := e.Table != nil && e.Table.Array
			if !EqualPath(e.Path, table) || inArray != u.Array || (u.Array && !EqualPath(e.Table.Path, u.Table)) {
				continue
			}
			name := u.Name
			if u.Array {
				name = fmt.Sprintf("%s[%d]", u.Name, e.Table.Index)
			}
			l := &Listener{Runtime: rt, Name: name, Port: tomlSetting(f, e, env), OffsetApplies: true,
				Unverified: true, Note: "offset behaviour unverified; not checked for duplicates"}
			l.Key = l.Port.Key
			l.settle()
			rt.Listeners = append(rt.Listeners, l)
		}
	}
}

// miListenerOn reports whether an MI listener exists: none of its
// disabling keys is false and, for an internal API listener, an internal
// API that is on serves its protocol. A protocols value that cannot be
// read (a placeholder) counts as serving every protocol.
func miListenerOn(d *tomlast.Doc, p MIPort) bool {
	for _, k := range p.Disable {
		if isFalse(d, k) {
			return false
		}
	}
	if p.Protocol == "" {
		return true
	}
	for _, api := range InternalAPIProtocols {
		protocols := api.Default
		if e := lookupTOML(d, api.Key); e != nil {
			if e.Value.Kind != tomlast.String || strings.Contains(e.Value.Text, "{") {
				return true
			}
			protocols = e.Value.Text
		}
		for _, proto := range strings.FieldsFunc(protocols, func(r rune) bool { return r == ' ' || r == ',' }) {
			if strings.EqualFold(proto, p.Protocol) {
				return true
			}
		}
	}
	return false
}

// absentReason says why an internal API listener does not exist, for
// messages.
func absentReason(d *tomlast.Doc, p MIPort) string {
	for _, k := range p.Disable {
		if isFalse(d, k) {
			return KeyString(k) + " = false turns the internal API listeners off"
		}
	}
	var why []string
	for _, api := range InternalAPIProtocols {
		if e := lookupTOML(d, api.Key); e != nil {
			why = append(why, fmt.Sprintf("%s = %q", KeyString(api.Key), e.Value.Text))
		}
	}
	return "no internal API is served over " + strings.ToUpper(p.Protocol) + " (" + strings.Join(why, ", ") + ")"
}

// buildDashboard fills an MI Dashboard runtime: one listener, no offset.
func buildDashboard(rt *Runtime, env map[string]string) {
	rt.Offset = Offset{Value: 0, Known: true, Source: "none"}
	l := &Listener{Runtime: rt, Name: "dashboard", Key: catalogKeys().dashboard, Default: DashboardDefaultPort}
	if d := rt.File.TOML; d != nil {
		if e := lookupTOML(d, DashboardPortKey); e != nil {
			l.Port = tomlSetting(rt.File, e, env)
		}
	}
	l.settle()
	rt.Listeners = append(rt.Listeners, l)
}

// settleMIOffset decides an MI runtime's offset: the first -DportOffset
// of its start-up sources (its containers' first), else the config file's
// [server] offset (file, nil when absent), else the built-in 10.
func (rt *Runtime) settleMIOffset(file *Setting) {
	rt.Offset = Offset{Value: MIDefaultOffset, Known: true, Source: "default", File: file}
	type at struct {
		f     *File
		start int
	}
	seen := map[at]bool{}
	for _, st := range rt.Install.StartupSources() {
		for _, s := range st.PortOffsets {
			// An env file that a container reads (env_file) and that is
			// beside the install too counts once, as the container's.
			if !seen[at{s.File, s.Span.Start}] {
				seen[at{s.File, s.Span.Start}] = true
				rt.Offset.Startup = append(rt.Offset.Startup, s)
			}
		}
	}
	if w := rt.Offset.Winner(); w != nil {
		rt.Offset.Value, rt.Offset.Known = w.Int, w.State == Known
		if len(rt.Offset.Startup) > 0 {
			rt.Offset.Source = w.Origin
		} else {
			rt.Offset.Source = path.Base(rt.File.Path)
		}
	}
	if a, b := ContainersDisagree(rt.Install); a != nil {
		rt.Offset.Known = false
		rt.Offset.Problem = fmt.Sprintf("%s and %s run it with different offsets (%d and %d)", a.Runner, b.Runner, a.Int, b.Int)
	}
}

// ContainersDisagree returns the flags in force in two containers that run
// the install with different offsets (two compose services of one
// install, each with its own -DportOffset), or nils. The model keeps one
// offset per install, so such an install's ports are unknown: no rule
// checks them against one container's offset while the other runs too.
func ContainersDisagree(in *Install) (a, b *Setting) {
	var first []*Setting // each container's flag in force, by container
	seen := map[string]bool{}
	for _, st := range in.ContainerStartup {
		if seen[st.Runner] || len(st.PortOffsets) == 0 {
			continue
		}
		seen[st.Runner] = true
		first = append(first, st.PortOffsets[0])
	}
	for _, s := range first[min(1, len(first)):] {
		if s.State == Known && first[0].State == Known && s.Int != first[0].Int {
			return first[0], s
		}
	}
	return nil, nil
}

// settle computes the configured and effective port from the written
// value (or the default) and the runtime's offset.
func (l *Listener) settle() {
	switch {
	case l.Port == nil:
		l.Configured, l.Known = l.Default, l.Default != 0
	case l.Port.State == Known:
		l.Configured, l.Known = l.Port.Int, true
	default:
		l.Known = false
		if l.Note == "" {
			l.Note = l.Port.Problem
		}
	}
	if !l.Known {
		return
	}
	if strings.HasPrefix(l.Note, "offset unknown") {
		l.Note = "" // settled again with another offset (mapping.go)
	}
	l.Effective = l.Configured + l.Shift
	if l.OffsetApplies {
		off := l.Runtime.Offset
		if !off.Known {
			l.Known = false
			l.Note = "offset unknown"
			if off.Problem != "" {
				l.Note = "offset unknown: " + off.Problem
			} else if w := off.Winner(); w != nil && w.Problem != "" {
				l.Note = "offset unknown: " + w.Problem
			}
			return
		}
		l.Effective += off.Value
	}
	if l.Undecided != "" {
		// Which release runs decides the port: not asserted either way.
		l.Known = false
		l.Note = l.Undecided
	}
}
