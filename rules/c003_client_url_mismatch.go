package rules

import (
	"fmt"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/lazyre"
	"github.com/wso2lint/wso2lint/internal/srcpos"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/rewrite"
)

// ClientURLMismatch reports an MI client URL that names an install of the
// fleet on a port that install does not listen on: statistics published to
// tcp://localhost:7612 while the EI Analytics server beside the MI runs
// with offset 3 and receives on 7611 + 3 = 7614.
var ClientURLMismatch = &lint.Rule{
	Code:     "C003",
	Name:     "client-url-mismatch",
	Severity: lint.Warning,
	Fix:      lint.Unsafe,
	Doc: lint.Doc{
		Title: "an MI's client URL points at a port the install it names does not listen on",
		Rationale: "An MI connects out to other installs: it publishes statistics to the EI Analytics server " +
			"(`[monitoring] ei_analytics.server_url`, default `tcp://localhost:7612`, and " +
			"`ei_analytics.auth_server_url`, default `ssl://localhost:7712`) and sends heartbeats to the MI " +
			"Dashboard (`[dashboard_config] dashboard_url`, `https://localhost:9743/dashboard/api/`). These are the " +
			"EI Analytics server's Thrift receivers at `7611/7711 + offset 1` and the Dashboard's 9743. Move the " +
			"EI Analytics server to another offset and the MI keeps publishing to the old port: nothing fails at " +
			"start-up, the statistics are simply lost.\n\n" +
			"A URL is checked when its host is `localhost`, `127.0.0.1`, `::1` or `0.0.0.0` (the MI's own host), " +
			"the name of a host of the fleet (or its last path element), or the name of a compose service that " +
			"runs an install, beside the MI's own service. It is reported when no listener of the EI Analytics " +
			"or MI Dashboard installs there is on the URL's port; the listener it evidently means is the Thrift " +
			"receiver of the URL's scheme (`tcp://` → `tcpPort`, `ssl://` → `sslPort`) or the Dashboard's " +
			"listener. URLs with placeholders or without a port, installs whose ports are unknown, and an MI " +
			"running in a container (where localhost is the container) are not judged.",
		BadFile: "h1/mi/conf/deployment.toml",
		Bad: "# h1/eia/conf/server/deployment.yaml sets wso2.carbon.ports.offset: 3 (Thrift TCP on 7611 + 3 = 7614)\n" +
			"[monitoring]\nei_analytics.server_url = \"tcp://localhost:7612\"\n",
		Good: "# h1/eia/conf/server/deployment.yaml sets wso2.carbon.ports.offset: 3 (Thrift TCP on 7611 + 3 = 7614)\n" +
			"[monitoring]\nei_analytics.server_url = \"tcp://localhost:7614\"\n",
		FixNote: "Rewrites the URL's port to the effective port of the listener the URL evidently means, when " +
			"exactly one such listener is there and the URL is written without escapes. Unsafe: the URL may be " +
			"meant for another server that wso2lint does not see (a tunnel, a proxy, a forwarded port).",
	},
	Check:   checkClientURLMismatch,
	Scope:   lint.ModelScope,
	Reaches: clientURLsReach,
}

// clientURLsReach returns the hosts other than its own that an MI's URLs
// name: what C003 says of the MI depends on the EI Analytics servers and
// MI Dashboards there.
func clientURLsReach(fl *fleet.Fleet, in *fleet.Install) []string {
	if in.Product != fleet.MI || len(in.Runtimes) == 0 {
		return nil
	}
	var out []string
	for _, k := range clientURLKeys {
		e := clientURLSetting(in.Runtimes[0], k)
		if e == nil {
			continue
		}
		m, ok := matchURL(e.URL)
		if !ok || isLocalHost(e.URL[m[4]:m[5]]) {
			continue
		}
		if name, ok := fl.HostNamed(e.URL[m[4]:m[5]]); ok && (in.Host == nil || name != in.Host.Name) && !slices.Contains(out, name) {
			out = append(out, name)
		}
	}
	return out
}

// clientURL is a client URL key of an MI's deployment.toml and what it
// connects to.
type clientURL struct {
	key     []string
	product fleet.Product
	what    string
}

var clientURLs = []clientURL{
	{[]string{"monitoring", "ei_analytics", "server_url"}, fleet.EIAnalytics, "publishes statistics to"},
	{[]string{"monitoring", "ei_analytics", "auth_server_url"}, fleet.EIAnalytics, "authenticates its statistics publisher at"},
	{[]string{"dashboard_config", "dashboard_url"}, fleet.MIDashboard, "sends heartbeats to"},
}

// clientURLKeys holds each of clientURLs' keys as KeyString writes it.
var clientURLKeys = func() []string {
	out := make([]string, len(clientURLs))
	for i, cu := range clientURLs {
		out[i] = fleet.KeyString(cu.key)
	}
	return out
}()

var urlRe = lazyre.New(`^([A-Za-z][A-Za-z0-9+.-]*)://(\[[^\]/]*\]|[^/:?#\[\]]+):([0-9]+)(?:[/?#]|$)`)

// matchURL matches s as urlRe does and returns the same submatch indexes
// (scheme, host and port at 2–7), without the regexp engine: the rule
// looks at every MI's URLs again each time the fix loop re-lints, and the
// backtracking matcher was a third of a 10,000-install --diff.
func matchURL(s string) (m [8]int, ok bool) {
	i := 0
	if i == len(s) || !isLetter(s[i]) {
		return m, false
	}
	for i++; i < len(s) && (isLetter(s[i]) || s[i] >= '0' && s[i] <= '9' || s[i] == '+' || s[i] == '.' || s[i] == '-'); i++ {
	}
	m[2], m[3] = 0, i
	if !strings.HasPrefix(s[i:], "://") {
		return m, false
	}
	i += 3
	m[4] = i
	if i < len(s) && s[i] == '[' {
		j := i + 1
		for j < len(s) && s[j] != ']' && s[j] != '/' {
			j++
		}
		if j == len(s) || s[j] != ']' {
			return m, false
		}
		i = j + 1
	} else {
		for i < len(s) && !endsHost(s[i]) {
			i++
		}
		if i == m[4] {
			return m, false
		}
	}
	m[5] = i
	if i == len(s) || s[i] != ':' {
		return m, false
	}
	i++
	m[6] = i
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	m[7] = i
	if i == m[6] {
		return m, false
	}
	m[1] = i
	if i < len(s) {
		if s[i] != '/' && s[i] != '?' && s[i] != '#' {
			return m, false
		}
		m[1] = i + 1
	}
	return m, true
}

func isLetter(c byte) bool { return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' }

// endsHost reports whether c ends a URL's host name. A switch, not
// strings.ContainsRune: the fix loop runs C003 on the whole fleet after
// every batch it tries, and the call per byte was most of its time.
func endsHost(c byte) bool {
	switch c {
	case '/', ':', '?', '#', '[', ']':
		return true
	}
	return false
}

func checkClientURLMismatch(p *lint.Pass) {
	for _, in := range p.Fleet.Installs {
		if in.Product != fleet.MI || len(in.Runtimes) == 0 {
			continue
		}
		// The URLs come from the model, not the file: this rule runs once
		// the fleet is loaded, when a large run has released the files.
		f := in.Runtimes[0].File
		for ci, cu := range clientURLs {
			e := clientURLSetting(in.Runtimes[0], clientURLKeys[ci])
			if e == nil {
				continue
			}
			m, ok := matchURL(e.URL)
			if !ok || strings.Contains(e.URL, "$") {
				continue
			}
			text := e.URL
			scheme, host := strings.ToLower(text[m[2]:m[3]]), text[m[4]:m[5]]
			port, _ := strconv.Atoi(text[m[6]:m[7]])
			where, rts := urlTargets(p.Fleet, in, host, cu.product)
			if len(rts) == 0 {
				continue
			}
			var meant []*fleet.Listener
			listened, unknown := false, false
			for _, rt := range rts {
				for _, l := range rt.Listeners {
					switch {
					case !l.Known && !l.Unverified:
						unknown = true
					case l.Known && l.Effective == port:
						listened = true
					}
					if portChecked(l) && meansListener(l, cu.product, scheme) {
						meant = append(meant, l)
					}
				}
			}
			if listened || unknown || len(meant) == 0 {
				continue
			}
			key := fleet.KeyString(cu.key)
			var descs []string
			var rel []lint.Related
			for _, l := range meant {
				d := fmt.Sprintf("%s's %s is on %d (%s)", l.Runtime.Install.Root, l.Title(), l.Effective, l.Arith())
				descs = append(descs, d)
				rel = append(rel, relatedListener(l, d))
			}
			fd := p.Reportf(f, srcpos.Span{Start: e.KeySpan.Start, End: e.Span.End}, in, key,
				"%s = %q: the MI %s port %d on %s, where no %s install listens on %d: %s",
				key, text, cu.what, port, where, fleet.ProductTitle(cu.product), port, joinAnd(descs))
			fd.Related = rel
			if len(meant) == 1 {
				fd.Fix = urlPortFix(f, e.Span, e.Quote, text, m[6], m[7], meant[0].Effective)
			}
		}
	}
}

// clientURLSetting returns the runtime's client URL with that key (as
// KeyString writes it), or nil.
func clientURLSetting(rt *fleet.Runtime, k string) *fleet.ClientURL {
	for i := range rt.ClientURLs {
		if rt.ClientURLs[i].Key == k {
			return &rt.ClientURLs[i]
		}
	}
	return nil
}

// meansListener reports whether a listener is the one a client URL of a
// product and scheme evidently means.
func meansListener(l *fleet.Listener, product fleet.Product, scheme string) bool {
	if l.Runtime.Install.Product != product {
		return false
	}
	if product == fleet.MIDashboard {
		return true
	}
	switch scheme {
	case "tcp":
		return l.Name == "thrift-tcp"
	case "ssl":
		return l.Name == "thrift-ssl"
	}
	return false
}

// urlTargets returns the runtimes of a product that a URL host reaches
// from an MI, and how the host was resolved for the message.
func urlTargets(fl *fleet.Fleet, mi *fleet.Install, host string, product fleet.Product) (string, []*fleet.Runtime) {
	var rts []*fleet.Runtime
	add := func(in *fleet.Install) {
		if in.Product == product && in != mi {
			rts = append(rts, in.Runtimes...)
		}
	}
	var own *fleet.Container
	for _, c := range fl.Containers {
		if c.Install == mi && c.Kind == "service" {
			own = c
			break
		}
	}
	switch {
	case isLocalHost(host):
		if fl.RunsAny(mi) || mi.Host == nil {
			return "", nil // in a container, localhost is the container
		}
		for _, in := range mi.Host.Installs {
			if !fl.RunsAny(in) {
				add(in)
			}
		}
		return fmt.Sprintf("host %s (%s)", mi.Host.Name, host), rts
	case own != nil:
		for _, c := range fl.Containers {
			if c.Kind == "service" && c.Name == host && c.Install != nil && path.Dir(c.File.Path) == path.Dir(own.File.Path) {
				if c.Install.Product == product && c.Install != mi {
					rts = append(rts, c.Runtimes...)
				}
				return "compose service " + host, rts
			}
		}
	}
	if fl.RunsAny(mi) {
		return "", nil
	}
	name, _ := fl.HostNamed(host)
	if h := fl.Host(name); h != nil {
		for _, in := range h.Installs {
			if !fl.RunsAny(in) {
				add(in)
			}
		}
		return "host " + h.Name, rts
	}
	return "", nil
}

// urlPortFix rewrites the port digits (text[start:end]) inside a TOML
// string value, when the value is written without escapes: then, and only
// then, the value's bytes are its text between the quotes, since an escape
// (or a trimmed line break) is always longer than what it stands for.
func urlPortFix(f *fleet.File, span srcpos.Span, quote, text string, start, end, to int) *lint.Fix {
	q := len(quote)
	if q == 0 || span.Len() != len(text)+2*q {
		return nil
	}
	return &lint.Fix{Applicability: lint.Unsafe, Message: fmt.Sprintf("set the URL's port to %d", to),
		Edits: []rewrite.Edit{{Path: f.Path, Start: span.Start + q + start, End: span.Start + q + end, New: strconv.Itoa(to)}}}
}
