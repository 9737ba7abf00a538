package rules_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/rules"
)

// fuzzFleet lays out a host with two installs: the fuzzed file is the
// first one's configuration (fed through the overlay, so no file is
// written per input), the second a fixed neighbour to collide with.
func fuzzFleet(f *testing.F, rel, neighbour, neighbourSrc string) (dir, abs string) {
	dir = f.TempDir()
	abs = filepath.Join(dir, filepath.FromSlash(rel))
	for p, content := range map[string]string{abs: "", filepath.Join(dir, filepath.FromSlash(neighbour)): neighbourSrc} {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			f.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			f.Fatal(err)
		}
	}
	return dir, abs
}

// checkFixes runs the whole fix loop on one fuzzed file and checks the
// invariants of the fix path: no panic, spans inside the file, a fixed
// file that parses when the input did, no fixable finding left, and
// fix(fix(x)) == fix(x).
func checkFixes(t *testing.T, dir, abs string, src []byte) {
	all, err := lint.Select(rules.All, []string{"ALL"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	opt := lint.Options{Rules: rules.All, Enabled: all}
	load := func(overlay map[string][]byte, onHost func(*fleet.Fleet)) (*fleet.Fleet, error) {
		merged := map[string][]byte{abs: src}
		for k, v := range overlay {
			merged[k] = v
		}
		return fleet.Load(nil, fleet.Options{WorkDir: dir, Overlay: merged, OnHost: onHost})
	}
	res, err := lint.ApplyFixes(load, opt, lint.FixOptions{Unsafe: true})
	if err != nil {
		var fe *lint.FixError
		if errors.As(err, &fe) {
			t.Fatalf("a fix failed its safety net on %q: %v", src, err)
		}
		t.Fatal(err)
	}
	for _, fd := range res.Findings {
		if fd.Span.Start < 0 || fd.Span.End < fd.Span.Start || fd.Span.End > len(fd.File.Src) {
			t.Fatalf("%s finding span %v outside the %d-byte file", fd.Rule.Code, fd.Span, len(fd.File.Src))
		}
		if fd.Fix != nil && !fd.Suppressed && !strings.Contains(fd.Message, "fix withheld") && len(res.Oscillating) == 0 {
			t.Fatalf("%s still fixable after the loop: %s", fd.Rule.Code, fd.Message)
		}
	}
	fixed := src
	for _, ff := range res.Files {
		if ff.Abs == abs {
			fixed = ff.Fixed
		}
	}
	if string(fixed) == string(src) {
		return
	}
	again := func(overlay map[string][]byte, onHost func(*fleet.Fleet)) (*fleet.Fleet, error) {
		merged := map[string][]byte{abs: fixed}
		for _, ff := range res.Files {
			merged[ff.Abs] = ff.Fixed
		}
		for k, v := range overlay {
			merged[k] = v
		}
		return fleet.Load(nil, fleet.Options{WorkDir: dir, Overlay: merged, OnHost: onHost})
	}
	res2, err := lint.ApplyFixes(again, opt, lint.FixOptions{Unsafe: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(res2.Files) > 0 && len(res.Oscillating) == 0 {
		t.Fatalf("not idempotent: a second run changed %s:\n%s\n---\n%s", res2.Files[0].Path, fixed, res2.Files[0].Fixed)
	}
	for _, fd := range res2.Findings {
		if fd.Rule.Code == "S001" && fd.File.Abs == abs {
			t.Fatalf("the fixed file does not parse: %s\n%s", fd.Message, fixed)
		}
	}
}

func FuzzFixTOML(f *testing.F) {
	for _, s := range []string{
		"[server]\noffset = 10\n[mediation]\ninternal.http.api.port = 9191\n",
		"[server]\r\nportOffset = \"3\"\r\n[transport.http]\r\nlistener.port = \"8280\" # http\r\n",
		"\ufeff[transport.https]\nlistener.port = 8253",
		"[mediation]\ninternal_http_api_port = 9201\n[transport.passthru.http.listener]\nport = 8280\n",
		"offset = 3\n[transport.http]\nlistener = { port = 8281, secured.port = 8244 }\n",
		"# wso2lint: ignore[P001] nothing here\n[server]\nhostname = \"x\"  # wso2lint: ignore[K001] none\n",
		"[server]\n\toffset = 1\n[internal_apis]\nport = 9192\n[management_api]\nport = 9155",
	} {
		f.Add([]byte(s))
	}
	dir, abs := fuzzFleet(f, "h/mi-a/conf/deployment.toml", "h/mi-b/conf/deployment.toml", "[server]\nhostname = \"b\"\n")
	f.Fuzz(func(t *testing.T, src []byte) {
		checkFixes(t, dir, abs, src)
	})
}

func FuzzFixYAML(f *testing.F) {
	for _, s := range []string{
		"wso2.carbon:\n  ports:\n    offset: 1\nwso2.transport.http:\n  listenerConfigurations:\n    - id: \"default\"\n      Port: 9090\n",
		"wso2.carbon:\n  ports:\n    portOffset: 1\n",
		"wso2.carbon:\n  id: x\nwso2.transport.http:\n  transportProperties: []\nlistenerConfigurations:\n  - id: default\n    port: 9090\n",
		"wso2.carbon:\r\n  ports:\r\n    offset: 10\r\ndatabridge.config:\r\n  dataReceivers:\r\n  - dataReceiver:\r\n      type: Thrift\r\n      properties:\r\n        tcpport: '7611'\r\n",
		"wso2.carbon: &c\n  ports: {offset: 0}\nx: *c\n",
	} {
		f.Add([]byte(s))
	}
	dir, abs := fuzzFleet(f, "h/eia/conf/server/deployment.yaml", "h/mi/conf/deployment.toml", "[server]\noffset = 0\n")
	f.Fuzz(func(t *testing.T, src []byte) {
		checkFixes(t, dir, abs, src)
	})
}
