package fleet_test

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint/linttest"
)

// ports renders every listener of the fleet as
// "install[/runtime] name configured+offset=effective".
func ports(fl *fleet.Fleet) []string {
	var out []string
	for _, in := range fl.Installs {
		for _, rt := range in.Runtimes {
			id := in.Root
			if rt.Name != "" {
				id += "/" + rt.Name
			}
			for _, l := range rt.Listeners {
				s := fmt.Sprintf("%s %s ?", id, l.Name)
				if l.Known {
					s = fmt.Sprintf("%s %s %d+%d=%d", id, l.Name, l.Configured, l.Effective-l.Configured, l.Effective)
				}
				if l.Unverified {
					s += " unverified"
				}
				out = append(out, s)
			}
		}
	}
	return out
}

func check(t *testing.T, got, want []string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(want, "\n\t"))
	}
}

const eiServer = `wso2.carbon:
  id: wso2-si
  ports:
    offset: 1
wso2.transport.http:
  listenerConfigurations:
    - id: "default"
      host: "0.0.0.0"
      port: 9090
    - id: "msf4j-https"
      host: "0.0.0.0"
      port: 9443
siddhi.stores.query.api:
  listenerConfigurations:
    - id: "default"
      port: 7070
    - id: "msf4j-https"
      port: 7443
databridge.config:
  dataReceivers:
  - dataReceiver:
      type: Thrift
      properties:
        tcpPort: '7611'
        sslPort: '7711'
  - dataReceiver:
      type: Binary
      properties:
        tcpPort: '9611'
        sslPort: '9711'
`

const eiPortal = `wso2.carbon:
  id: wso2-dashboard
  ports:
    offset: 2
wso2.transport.http:
  listenerConfigurations:
    - id: "default-https"
      host: "0.0.0.0"
      port: 9643
`

// TestDefaults reproduces the default port of every listener: the defaults yield
// 8290/8253/9201/9164, 9091/9444/7071/7444/7612/7712/9612/9712 and 9645.
func TestDefaults(t *testing.T) {
	fl := linttest.Fleet(t, map[string]string{
		"h1/mi/conf/deployment.toml":                       "[server]\nhostname = \"localhost\"\n",
		"h1/eia/conf/server/deployment.yaml":               eiServer,
		"h1/eia/conf/portal/deployment.yaml":               eiPortal,
		"h2/dash/conf/deployment.toml":                     "[server_config]\nport = 9743\n",
		"h2/ei/wso2/analytics/conf/worker/deployment.yaml": strings.Replace(eiServer, "offset: 1", "offset: 0", 1),
	}, fleet.Options{})
	check(t, ports(fl), []string{
		"h1/eia/portal http:default-https 9643+2=9645",
		"h1/eia/server http:default 9090+1=9091",
		"h1/eia/server http:msf4j-https 9443+1=9444",
		// The Siddhi store API is not moved by the offset (eia.go).
		"h1/eia/server siddhi-store:default 7070+0=7070",
		"h1/eia/server siddhi-store:msf4j-https 7443+0=7443",
		"h1/eia/server thrift-tcp 7611+1=7612",
		"h1/eia/server thrift-ssl 7711+1=7712",
		"h1/eia/server binary-tcp 9611+1=9612",
		"h1/eia/server binary-ssl 9711+1=9712",
		"h1/mi http 8280+10=8290",
		"h1/mi https 8243+10=8253",
		"h1/mi internal-http 9191+10=9201",
		"h1/mi internal-https 9154+10=9164",
		"h2/dash dashboard 9743+0=9743",
		"h2/ei/worker http:default 9090+0=9090",
		"h2/ei/worker http:msf4j-https 9443+0=9443",
		"h2/ei/worker siddhi-store:default 7070+0=7070",
		"h2/ei/worker siddhi-store:msf4j-https 7443+0=7443",
		"h2/ei/worker thrift-tcp 7611+0=7611",
		"h2/ei/worker thrift-ssl 7711+0=7711",
		// EI 6.x's binary receiver adds the offset plus 1.
		"h2/ei/worker binary-tcp 9611+1=9612",
		"h2/ei/worker binary-ssl 9711+1=9712",
	})
	var hosts []string
	for _, h := range fl.Hosts {
		hosts = append(hosts, fmt.Sprintf("%s:%d", h.Name, len(h.Installs)))
	}
	check(t, hosts, []string{"h1:2", "h2:2"})
	if got := fl.Installs[0].Product; got != fleet.EIAnalytics {
		t.Errorf("h1/eia product = %s", got)
	}
	if got := fl.Installs[3].Product; got != fleet.EIAnalytics || fl.Installs[3].Runtimes[0].Name != "worker" {
		t.Errorf("h2/ei = %s %q, want ei-analytics worker", got, fl.Installs[3].Runtimes[0].Name)
	}
}

// TestOffsetPrecedence checks start-up > file > default, the replacing
// (not adding) offset, raw overrides, disabled listeners and placeholders.
func TestOffsetPrecedence(t *testing.T) {
	fl := linttest.Fleet(t, map[string]string{
		"h/a/conf/deployment.toml": "[server]\noffset = 3\n",
		"h/b/conf/deployment.toml": "[server]\noffset = 6\n[transport.http]\nlistener.enable = false\nlistener.secured_port = \"8300\"\n",
		"h/b/bin/micro-integrator.sh": "#!/bin/sh\n# JAVA_OPTS=-DportOffset=9 is only a comment\n" +
			"JAVA_OPTS=\"$JAVA_OPTS -DportOffset=4\"\n",
		"h/b/bin/yajsw/wrapper.conf": "wrapper.java.additional.9 = -DportOffset=7\n",
		"h/c/conf/deployment.toml": "[server]\noffset = 0\n[synapse_properties]\n'internal.http.api.port' = 9300\n" +
			"[mediation]\ninternal_https_api_port = \"$env{HTTPS_API}\"\n",
		"h/d/conf/deployment.toml": "[mediation]\ninternal_https_api_port = \"$env{HTTPS_API}\"\n",
	}, fleet.Options{Env: map[string]string{"HTTPS_API": "9400"}})
	got := ports(fl)
	check(t, got, []string{
		"h/a http 8280+3=8283", "h/a https 8243+3=8246", "h/a internal-http 9191+3=9194", "h/a internal-https 9154+3=9157",
		"h/b https 8300+4=8304", "h/b internal-http 9191+4=9195", "h/b internal-https 9154+4=9158",
		"h/c http 8280+0=8280", "h/c https 8243+0=8243", "h/c internal-http 9300+0=9300", "h/c internal-https 9400+0=9400",
		"h/d http 8280+10=8290", "h/d https 8243+10=8253", "h/d internal-http 9191+10=9201", "h/d internal-https 9400+10=9410",
	})
	b := fl.Installs[1].Runtimes[0].Offset
	if b.Source != "startup:h/b/bin/micro-integrator.sh" || len(b.Startup) != 2 || b.File == nil || b.File.Int != 6 {
		t.Errorf("h/b offset = %+v", b)
	}
	fl2 := linttest.Fleet(t, map[string]string{
		"h/d/conf/deployment.toml": "[mediation]\ninternal_https_api_port = \"$env{HTTPS_API}\"\n",
	}, fleet.Options{})
	check(t, ports(fl2)[3:], []string{"h/d internal-https ?"})
}

// TestNamedFiles checks the pre-commit mode: a named file loads its whole
// host and becomes a target; other hosts are not loaded.
func TestNamedFiles(t *testing.T) {
	fl := linttest.Fleet(t, map[string]string{
		"h1/a/conf/deployment.toml": "",
		"h1/b/conf/deployment.toml": "",
		"h2/c/conf/deployment.toml": "",
	}, fleet.Options{})
	dir := filepath.Dir(filepath.Dir(filepath.Dir(filepath.Dir(fl.Files[0].Abs))))
	fl, err := fleet.Load([]string{"h1/b/conf/deployment.toml"}, fleet.Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	var roots []string
	for _, in := range fl.Installs {
		roots = append(roots, in.Root)
	}
	check(t, roots, []string{"h1/a", "h1/b"})
	if !fl.Targets["h1/b/conf/deployment.toml"] || len(fl.Targets) != 1 {
		t.Errorf("targets = %v", fl.Targets)
	}
	if _, err := fleet.Load([]string{"nope"}, fleet.Options{WorkDir: dir}); err == nil || !strings.Contains(err.Error(), "nope") {
		t.Errorf("missing path error = %v", err)
	}
}

// TestHostGlobsGroupAcrossDirectories checks that installs which the
// hosts globs put on one host are loaded and handed to OnHost as one host,
// whatever lies between them in path order.
func TestHostGlobsGroupAcrossDirectories(t *testing.T) {
	var mu sync.Mutex
	var streamed []string
	fl := linttest.Fleet(t, map[string]string{
		"a/mi-1/conf/deployment.toml": "",
		"b/mi-2/conf/deployment.toml": "",
		"c/mi-3/conf/deployment.toml": "",
		"c/mi-4/conf/deployment.toml": "",
	}, fleet.Options{
		Hosts: []fleet.HostGlobs{{Name: "box", Globs: []string{"a/*", "c/mi-3"}}},
		OnHost: func(sub *fleet.Fleet) {
			mu.Lock()
			defer mu.Unlock()
			for _, h := range sub.Hosts {
				streamed = append(streamed, fmt.Sprintf("%s: %d installs", h.Name, len(h.Installs)))
			}
		},
	})
	var hosts []string
	for _, h := range fl.Hosts {
		var roots []string
		for _, in := range h.Installs {
			roots = append(roots, in.Root)
		}
		hosts = append(hosts, h.Name+": "+strings.Join(roots, " "))
	}
	check(t, hosts, []string{"b: b/mi-2", "box: a/mi-1 c/mi-3", "c: c/mi-4"})
	sort.Strings(streamed)
	check(t, streamed, []string{"b: 1 installs", "box: 2 installs", "c: 1 installs"})
}

// TestWalkSkips checks that .git, vendor, .gitignored paths, excluded
// globs and symbolic links are not walked, and that an API-M
// repository/conf file is not taken for an MI.
func TestWalkSkips(t *testing.T) {
	files := map[string]string{
		"h/mi/conf/deployment.toml":            "",
		".git/h/x/conf/deployment.toml":        "",
		"vendor/x/conf/deployment.toml":        "",
		"h/old/conf/deployment.toml":           "",
		"h/bak/backup/conf/deployment.toml":    "",
		".gitignore":                           "old/\n",
		"apim/repository/conf/deployment.toml": "",
		"k8s/deployment.yaml":                  "apiVersion: apps/v1\nkind: Deployment\n",
	}
	fl := linttest.Fleet(t, files, fleet.Options{Exclude: []string{"**/backup/**"}})
	var roots []string
	for _, in := range fl.Installs {
		roots = append(roots, in.Root)
	}
	check(t, roots, []string{"h/mi"})
	dir := filepath.Dir(filepath.Dir(filepath.Dir(filepath.Dir(fl.Files[0].Abs))))
	if err := os.Symlink(filepath.Join(dir, "h"), filepath.Join(dir, "link")); err != nil {
		t.Skip(err)
	}
	fl, _ = fleet.Load(nil, fleet.Options{WorkDir: dir, Exclude: []string{"**/backup/**"}})
	if len(fl.Installs) != 1 {
		t.Errorf("symlinked directory was followed: %d installs", len(fl.Installs))
	}
	// Named on the command line, a link is followed.
	fl, err := fleet.Load([]string{"link"}, fleet.Options{WorkDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	roots = nil
	for _, in := range fl.Installs {
		roots = append(roots, in.Root)
	}
	check(t, roots, []string{"link/bak/backup", "link/mi", "link/old"})
}

// TestBadFiles checks that unreadable content becomes a file problem with
// a position, and that a FIFO does not block.
func TestBadFiles(t *testing.T) {
	big := "[server]\n" + strings.Repeat("# padding\n", 200)
	fl := linttest.Fleet(t, map[string]string{
		"h/nul/conf/deployment.toml":    "[server]\noffset = 1\x00\n",
		"h/utf/conf/deployment.toml":    "[server]\nhostname = \"caf\xe9\"\n",
		"h/syntax/conf/deployment.toml": "[server]\nheartbeat = ${env:X}\n",
		"h/big/conf/deployment.toml":    big,
	}, fleet.Options{MaxFileSize: 1000})
	dir := filepath.Dir(filepath.Dir(filepath.Dir(filepath.Dir(fl.Files[0].Abs))))
	fifo := filepath.Join(dir, "h", "fifo", "conf")
	if err := os.MkdirAll(fifo, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(fifo, "deployment.toml"), 0o644); err != nil {
		t.Skip("mkfifo:", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "h", "dir", "conf", "deployment.toml"), 0o755); err != nil {
		t.Fatal(err)
	}
	fl, err := fleet.Load(nil, fleet.Options{WorkDir: dir, MaxFileSize: 1000})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fl.Files {
		if f.Problem == nil {
			continue
		}
		p := f.Pos(f.Problem.Span.Start)
		got = append(got, fmt.Sprintf("%s:%d:%d %s %s", f.Path, p.Line, p.Col, f.Problem.Code, f.Problem.Message))
	}
	sort.Strings(got)
	check(t, got, []string{
		"h/big/conf/deployment.toml:1:1 S003 file is 2009 bytes, larger than the 1000-byte limit (max-file-size)",
		"h/dir/conf/deployment.toml:1:1 S003 not a regular file (a directory)",
		"h/fifo/conf/deployment.toml:1:1 S003 not a regular file (a FIFO)",
		"h/nul/conf/deployment.toml:2:11 S003 file contains a NUL byte: it looks binary",
		"h/syntax/conf/deployment.toml:2:13 S001 " + syntaxMessage(fl, "h/syntax/conf/deployment.toml"),
		"h/utf/conf/deployment.toml:2:16 S003 file is not valid UTF-8",
	})
}

func syntaxMessage(fl *fleet.Fleet, path string) string {
	for _, f := range fl.Files {
		if f.Path == path && f.Problem != nil {
			return f.Problem.Message
		}
	}
	return "(none)"
}

// TestWalkNestedGitignore checks the parallel walk: a .gitignore applies
// to its own tree at every depth where a walk of its own starts, never to
// a sibling's, whatever the number of workers.
func TestWalkNestedGitignore(t *testing.T) {
	files := map[string]string{
		".gitignore":                          "tmp/\n",
		"dc1/.gitignore":                      "skip/\n",
		"dc1/h1/skip/conf/deployment.toml":    "",
		"dc2/h1/skip/conf/deployment.toml":    "",
		"dc1/h2/.gitignore":                   "old/\n",
		"dc1/h2/old/conf/deployment.toml":     "",
		"dc1/h3/old/conf/deployment.toml":     "",
		"dc2/h2/tmp/conf/deployment.toml":     "",
		"dc2/h2/mi/conf/deployment.toml":      "",
		"dc2/h3/a/b/tmp/conf/deployment.toml": "",
		"dc2/h3/a/b/mi/conf/deployment.toml":  "",
		// Below the walks' own starts: a .gitignore applies to entries
		// listed before it ("-a" sorts first) as to those after it.
		"dc1/h3/x/.gitignore":              "-a/\ny/\n",
		"dc1/h3/x/-a/conf/deployment.toml": "",
		"dc1/h3/x/y/conf/deployment.toml":  "",
		"dc1/h3/z/y/conf/deployment.toml":  "",
	}
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(0))
	for _, procs := range []int{1, 4} {
		runtime.GOMAXPROCS(procs)
		fl := linttest.Fleet(t, files, fleet.Options{})
		var roots []string
		for _, in := range fl.Installs {
			roots = append(roots, in.Root)
		}
		check(t, roots, []string{"dc1/h3/old", "dc1/h3/z/y", "dc2/h1/skip", "dc2/h2/mi", "dc2/h3/a/b/mi"})
	}
}
