package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/linttest"
)

// checkPortRelated compares the related locations of all findings, in
// order, rendered as "path:line:col-endline:endcol message".
func checkPortRelated(t *testing.T, got []*lint.Finding, want []string) {
	t.Helper()
	var lines []string
	for _, f := range got {
		for _, r := range f.Related {
			s, e := r.File.Pos(r.Span.Start), r.File.Pos(r.Span.End)
			lines = append(lines, fmt.Sprintf("%s:%d:%d-%d:%d %s", r.File.Path, s.Line, s.Col, e.Line, e.Col, r.Message))
		}
	}
	if strings.Join(lines, "\n") != strings.Join(want, "\n") {
		t.Errorf("related locations differ\n got:\n\t%s\nwant:\n\t%s", strings.Join(lines, "\n\t"), strings.Join(want, "\n\t"))
	}
}

// p001Case is one host of files and what P001 reports on it.
type p001Case struct {
	name  string
	files map[string]string
	env   map[string]string
	want  []string
	// related lists every finding's related locations in order; nil
	// skips the check.
	related []string
	// fixed maps a file to its content after the fix that every finding
	// in it carries; findings in files not listed must carry no fix, and
	// a fix may edit only listed files.
	fixed map[string]string
	// fixMsg maps a file to the message of its findings' fix.
	fixMsg map[string]string
}

func (tc p001Case) run(t *testing.T) {
	t.Helper()
	fl, got := linttest.RunFleet(t, DuplicatePort, tc.files, fleet.Options{Env: tc.env})

	linttest.Check(t, got, tc.want)
	if tc.related != nil {
		checkPortRelated(t, got, tc.related)
	}
	for _, f := range got {
		if _, ok := tc.fixed[f.File.Path]; !ok {
			if f.Fix != nil {
				t.Errorf("%s: unexpected fix %q", linttest.Describe(f), f.Fix.Message)
			}
			continue
		}
		if f.Fix == nil || f.Fix.Applicability != lint.Unsafe {
			t.Errorf("%s: want an unsafe fix, got %+v", linttest.Describe(f), f.Fix)
			continue
		}
		if msg := tc.fixMsg[f.File.Path]; msg != "" && f.Fix.Message != msg {
			t.Errorf("fix message\n got: %s\nwant: %s", f.Fix.Message, msg)
		}
		for path, got := range linttest.ApplyFixFiles(t, fl, f) {
			if want, ok := tc.fixed[path]; !ok {
				t.Errorf("%s: the fix edits %s, which the case does not expect", linttest.Describe(f), path)
			} else if got != want {
				t.Errorf("%s: fixed file differs\n got: %q\nwant: %q", path, got, want)
			}
		}
	}
}

func TestP001DuplicatePort(t *testing.T) {
	const eiServer = "wso2.carbon:\n  ports:\n    offset: '1'\n" +
		"wso2.transport.http:\n  listenerConfigurations:\n    - id: \"default\"\n      host: \"0.0.0.0\"\n      port: 9090\n"
	const eiNoOffset = "wso2.carbon:\n  id: si\n" +
		"wso2.transport.http:\n  listenerConfigurations:\n    - id: \"default\"\n      host: \"0.0.0.0\"\n      port: 9090\n"
	tests := []p001Case{
		{
			name: "four MIs, three collide: the first keeps its offset, the others take the smallest that clears",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml": "[server]\nhostname = \"a\"\n",
				"h1/mi-b/conf/deployment.toml": "[server]\noffset = 10\n",
				"h1/mi-c/conf/deployment.toml": "[server]\noffset = 20\n",
				"h1/mi-d/conf/deployment.toml": "# mi-d\n\n[transport.http]\nlistener.port = 8281\n",
			},
			want: []string{
				"h1/mi-b/conf/deployment.toml:2:1-2:12 P001 h1/mi-b and h1/mi-a both run at offset 10 on host h1 and share 4 ports: 8290 (HTTP pass-through), 8253 (HTTPS pass-through), 9201 (internal HTTP API) and 9164 (internal HTTPS API)",
				"h1/mi-d/conf/deployment.toml:4:1-4:21 P001 h1/mi-d and h1/mi-a both run at offset 10 on host h1 and share 3 ports: 8253 (HTTPS pass-through), 9201 (internal HTTP API) and 9164 (internal HTTPS API)",
				"h1/mi-d/conf/deployment.toml:4:1-4:21 P001 h1/mi-d and h1/mi-b both run at offset 10 on host h1 and share 3 ports: 8253 (HTTPS pass-through), 9201 (internal HTTP API) and 9164 (internal HTTPS API)",
			},
			related: []string{
				"h1/mi-a/conf/deployment.toml:1:1-1:9 h1/mi-a runs at the built-in offset 10",
				"h1/mi-a/conf/deployment.toml:1:1-1:9 h1/mi-a runs at the built-in offset 10",
				"h1/mi-b/conf/deployment.toml:2:1-2:12 h1/mi-b runs at offset 10 in h1/mi-b/conf/deployment.toml",
			},
			// mi-b cannot take 11: its HTTP port 8291 would land on mi-d's,
			// which stays where it is until its own turn.
			fixed: map[string]string{
				"h1/mi-b/conf/deployment.toml": "[server]\noffset = 12\n",
				"h1/mi-d/conf/deployment.toml": "# mi-d\n\n[server]\noffset = 13\n\n[transport.http]\nlistener.port = 8281\n",
			},
			fixMsg: map[string]string{
				"h1/mi-b/conf/deployment.toml": "set [server] offset = 12 (was 10): moves 8290 → 8292, 8253 → 8255, 9201 → 9203, 9164 → 9166",
				"h1/mi-d/conf/deployment.toml": "add [server] offset = 13 (was the built-in 10): moves 8291 → 8294, 8253 → 8256, 9201 → 9204, 9164 → 9167",
			},
		},
		{
			name: "containers: own networks do not collide with each other or the host, a shared one does",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml":   "[server]\nhostname = \"a\"\n",
				"h1/mi-b/conf/deployment.toml":   "[server]\nhostname = \"b\"\n",
				"h1/mi-c/conf/deployment.toml":   "[server]\nhostname = \"c\"\n",
				"h1/native/conf/deployment.toml": "[server]\nhostname = \"native\"\n",
				"h1/compose.yaml": "services:\n" +
					"  a: {image: wso2/wso2mi, volumes: [\"./mi-a/conf:/home/wso2carbon/wso2mi/conf\"]}\n" +
					"  b: {image: wso2/wso2mi, volumes: [\"./mi-b/conf:/home/wso2carbon/wso2mi/conf\"]}\n" +
					"  c: {image: wso2/wso2mi, network_mode: \"service:a\", volumes: [\"./mi-c/conf:/home/wso2carbon/wso2mi/conf\"]}\n",
			},
			want: []string{
				"h1/mi-c/conf/deployment.toml:1:1-1:9 P001 h1/mi-c and h1/mi-a both run at offset 10 in the network of compose service a on host h1 and share 4 ports: 8290 (HTTP pass-through), 8253 (HTTPS pass-through), 9201 (internal HTTP API) and 9164 (internal HTTPS API)",
			},
			fixed: map[string]string{
				"h1/mi-c/conf/deployment.toml": "[server]\noffset = 11\nhostname = \"c\"\n",
			},
		},
		{
			name: "a container on the host's network collides like a process on the host",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml":   "[server]\nhostname = \"a\"\n",
				"h1/native/conf/deployment.toml": "[server]\noffset = 10\n",
				"h1/compose.yaml":                "services:\n  a: {image: wso2/wso2mi, network_mode: host, volumes: [\"./mi-a/conf:/home/wso2carbon/wso2mi/conf\"]}\n",
			},
			want: []string{
				"h1/native/conf/deployment.toml:2:1-2:12 P001 h1/native and h1/mi-a both run at offset 10 on host h1 and share 4 ports: 8290 (HTTP pass-through), 8253 (HTTPS pass-through), 9201 (internal HTTP API) and 9164 (internal HTTPS API)",
			},
			fixed: map[string]string{
				"h1/native/conf/deployment.toml": "[server]\noffset = 11\n",
			},
		},
		{
			name: "bind addresses: distinct ones do not collide, an unset one overlaps",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml": "[transport.http]\nlistener.bind_address = \"10.0.0.1\"\n",
				"h1/mi-b/conf/deployment.toml": "[transport.http]\nlistener.bind_address = \"10.0.0.2\"\nlistener.secured_bind_address = \"127.0.0.1\"\n",
			},
			want: []string{
				"h1/mi-b/conf/deployment.toml:2:1-2:35 P001 h1/mi-b and h1/mi-a both run at offset 10 on host h1 and share 3 ports: 8253 (HTTPS pass-through), 9201 (internal HTTP API) and 9164 (internal HTTPS API)",
			},
			fixed: map[string]string{
				"h1/mi-b/conf/deployment.toml": "[server]\noffset = 11\n\n[transport.http]\nlistener.bind_address = \"10.0.0.2\"\nlistener.secured_bind_address = \"127.0.0.1\"\n",
			},
		},
		{
			name: "an unresolved placeholder port is unknown and not compared",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml": "[server]\nhostname = \"a\"\n",
				"h1/mi-b/conf/deployment.toml": "[server]\noffset = 20\n\n[transport.http]\nlistener.port = \"$env{P}\"\n",
			},
		},
		{
			name: "a resolved placeholder port is compared",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml": "[server]\nhostname = \"a\"\n",
				"h1/mi-b/conf/deployment.toml": "[server]\noffset = 20\n\n[transport.http]\nlistener.port = \"$env{P}\"\n",
			},
			env: map[string]string{"P": "8270"},
			want: []string{
				"h1/mi-b/conf/deployment.toml:2:1-2:12 P001 h1/mi-b and h1/mi-a share 1 port on host h1: 8290 (h1/mi-b's HTTP pass-through listener, 8270 + offset 20 = 8290; h1/mi-a's HTTP pass-through listener, 8280 + offset 10 = 8290)",
			},
			fixed: map[string]string{
				"h1/mi-b/conf/deployment.toml": "[server]\noffset = 21\n\n[transport.http]\nlistener.port = \"$env{P}\"\n",
			},
			fixMsg: map[string]string{
				"h1/mi-b/conf/deployment.toml": "set [server] offset = 21 (was 20): moves 8290 → 8291, 8263 → 8264, 9211 → 9212, 9174 → 9175",
			},
		},
		{
			name: "CRLF file keeps its line ending",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml": "[server]\r\nhostname = \"a\"\r\n",
				"h1/mi-b/conf/deployment.toml": "[server]\r\nhostname = \"b\"\r\n\r\n[transport.http]\r\nlistener.port = 8280\r\n",
			},
			want: []string{
				"h1/mi-b/conf/deployment.toml:1:1-1:9 P001 h1/mi-b and h1/mi-a both run at offset 10 on host h1 and share 4 ports: 8290 (HTTP pass-through), 8253 (HTTPS pass-through), 9201 (internal HTTP API) and 9164 (internal HTTPS API)",
			},
			fixed: map[string]string{
				"h1/mi-b/conf/deployment.toml": "[server]\r\noffset = 11\r\nhostname = \"b\"\r\n\r\n[transport.http]\r\nlistener.port = 8280\r\n",
			},
		},
		{
			name: "an MI colliding with an earlier EI Analytics server gets a [server] table",
			files: map[string]string{
				"h1/eia/conf/server/deployment.yaml": eiServer,
				"h1/mi-a/conf/deployment.toml":       "# mi-a\n[transport.http]\nlistener.port = 9081\n",
			},
			want: []string{
				"h1/mi-a/conf/deployment.toml:3:1-3:21 P001 h1/mi-a and h1/eia share 1 port on host h1: 9091 (h1/mi-a's HTTP pass-through listener, 9081 + offset 10 = 9091; h1/eia's server listener http:default, 9090 + offset 1 = 9091)",
			},
			related: []string{
				"h1/eia/conf/server/deployment.yaml:3:5-3:16 h1/eia runs at offset 1 in h1/eia/conf/server/deployment.yaml",
				"h1/mi-a/conf/deployment.toml:3:1-3:21 h1/mi-a's HTTP pass-through listener (9081 + offset 10 = 9091)",
				"h1/eia/conf/server/deployment.yaml:8:7-8:17 h1/eia's server listener http:default (9090 + offset 1 = 9091)",
			},
			fixed: map[string]string{
				"h1/mi-a/conf/deployment.toml": "[server]\noffset = 11\n\n# mi-a\n[transport.http]\nlistener.port = 9081\n",
			},
		},
		{
			name: "an EI Analytics runtime is moved with wso2.carbon.ports.offset",
			files: map[string]string{
				"h1/a-mi/conf/deployment.toml":       "[transport.http]\nlistener.port = 9081\n",
				"h1/eia/conf/server/deployment.yaml": eiServer,
			},
			want: []string{
				"h1/eia/conf/server/deployment.yaml:3:5-3:16 P001 h1/eia and h1/a-mi share 1 port on host h1: 9091 (h1/eia's server listener http:default, 9090 + offset 1 = 9091; h1/a-mi's HTTP pass-through listener, 9081 + offset 10 = 9091)",
			},
			related: []string{
				"h1/a-mi/conf/deployment.toml:2:1-2:21 h1/a-mi runs at the built-in offset 10",
				"h1/eia/conf/server/deployment.yaml:8:7-8:17 h1/eia's server listener http:default (9090 + offset 1 = 9091)",
				"h1/a-mi/conf/deployment.toml:2:1-2:21 h1/a-mi's HTTP pass-through listener (9081 + offset 10 = 9091)",
			},
			fixed: map[string]string{
				"h1/eia/conf/server/deployment.yaml": strings.Replace(eiServer, "offset: '1'", "offset: '2'", 1),
			},
			fixMsg: map[string]string{
				"h1/eia/conf/server/deployment.yaml": "set wso2.carbon.ports.offset to 2 (was 1): moves 9091 → 9092",
			},
		},
		{
			name: "a moved runtime does not land on a sibling runtime's port",
			files: map[string]string{
				"h1/a-mi/conf/deployment.toml": "[transport.http]\nlistener.port = 9081\n",
				"h1/eia/conf/portal/deployment.yaml": "wso2.carbon:\n  ports:\n    offset: 2\n" +
					"wso2.transport.http:\n  listenerConfigurations:\n    - id: \"default-https\"\n      port: 9090\n",
				"h1/eia/conf/server/deployment.yaml": eiServer,
			},
			want: []string{
				"h1/eia/conf/server/deployment.yaml:3:5-3:16 P001 h1/eia and h1/a-mi share 1 port on host h1: 9091 (h1/eia's server listener http:default, 9090 + offset 1 = 9091; h1/a-mi's HTTP pass-through listener, 9081 + offset 10 = 9091)",
			},
			fixed: map[string]string{
				"h1/eia/conf/server/deployment.yaml": strings.Replace(eiServer, "offset: '1'", "offset: '3'", 1),
			},
			fixMsg: map[string]string{
				"h1/eia/conf/server/deployment.yaml": "set wso2.carbon.ports.offset to 3 (was 1): moves 9091 → 9093",
			},
		},
		{
			name: "an EI Analytics runtime without wso2.carbon.ports.offset is not moved",
			files: map[string]string{
				"h1/a-mi/conf/deployment.toml":       "[transport.http]\nlistener.port = 9080\n",
				"h1/eia/conf/server/deployment.yaml": eiNoOffset,
			},
			want: []string{
				"h1/eia/conf/server/deployment.yaml:1:1-1:13 P001 h1/eia and h1/a-mi share 1 port on host h1: 9090 (h1/eia's server listener http:default, 9090 + offset 0 = 9090; h1/a-mi's HTTP pass-through listener, 9080 + offset 10 = 9090); no fix: h1/eia/conf/server/deployment.yaml does not write wso2.carbon.ports.offset",
			},
		},
		{
			name: "an EI Analytics offset reached through a YAML alias is not rewritten",
			files: map[string]string{
				"h1/a-mi/conf/deployment.toml":       "[transport.http]\nlistener.port = 9081\n",
				"h1/eia/conf/server/deployment.yaml": "base: &off 1\n" + strings.Replace(eiServer, "offset: '1'", "offset: *off", 1),
			},
			want: []string{
				"h1/eia/conf/server/deployment.yaml:4:5-4:11 P001 h1/eia and h1/a-mi share 1 port on host h1: 9091 (h1/eia's server listener http:default, 9090 + offset 1 = 9091; h1/a-mi's HTTP pass-through listener, 9081 + offset 10 = 9091); no fix: wso2.carbon.ports.offset is the alias *off, whose anchored value other keys may share; change it by hand",
			},
		},
		{
			name: "an offset set at start-up is rewritten there, not in deployment.toml",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml":     "[server]\nhostname = \"a\"\n",
				"h1/mi-b/conf/deployment.toml":     "[server]\noffset = 20\n",
				"h1/mi-b/bin/micro-integrator.sh":  "JAVA_OPTS=\"-DportOffset=10\"\n",
				"h1/mi-b/bin/micro-integrator.bat": "REM -DportOffset=3\r\nset JAVA_OPTS=-DportOffset=10\r\n",
			},
			want: []string{
				"h1/mi-b/bin/micro-integrator.sh:1:12-1:27 P001 h1/mi-b and h1/mi-a both run at offset 10 on host h1 and share 4 ports: 8290 (HTTP pass-through), 8253 (HTTPS pass-through), 9201 (internal HTTP API) and 9164 (internal HTTPS API)",
			},
			fixed: map[string]string{
				"h1/mi-b/bin/micro-integrator.sh":  "JAVA_OPTS=\"-DportOffset=11\"\n",
				"h1/mi-b/bin/micro-integrator.bat": "REM -DportOffset=3\r\nset JAVA_OPTS=-DportOffset=11\r\n",
			},
			fixMsg: map[string]string{"h1/mi-b/bin/micro-integrator.sh": "set -DportOffset=11 (was 10) in h1/mi-b/bin/micro-integrator.sh and " +
				"h1/mi-b/bin/micro-integrator.bat: moves 8290 → 8291, 8253 → 8254, 9201 → 9202, 9164 → 9165"},
		},
		{
			name: "an offset a compose service passes is rewritten in the compose file",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml": "[server]\noffset = 3\n",
				"h1/mi-b/conf/deployment.toml": "[server]\n",
				"h1/compose.yaml": "services:\n  b:\n    image: wso2/wso2mi\n    network_mode: host\n" +
					"    volumes: [\"./mi-b/conf:/home/wso2carbon/wso2mi/conf\"]\n    command: [\"-DportOffset=3\"]\n",
			},
			want: []string{
				"h1/compose.yaml:6:16-6:30 P001 h1/mi-b and h1/mi-a both run at offset 3 on host h1 and share 4 ports: 8283 (HTTP pass-through), 8246 (HTTPS pass-through), 9194 (internal HTTP API) and 9157 (internal HTTPS API)",
			},
			fixed: map[string]string{
				"h1/compose.yaml": "services:\n  b:\n    image: wso2/wso2mi\n    network_mode: host\n" +
					"    volumes: [\"./mi-b/conf:/home/wso2carbon/wso2mi/conf\"]\n    command: [\"-DportOffset=4\"]\n",
			},
			fixMsg: map[string]string{"h1/compose.yaml": "set -DportOffset=4 (was 3) in h1/compose.yaml (the command of compose service b): " +
				"moves 8283 → 8284, 8246 → 8247, 9194 → 9195, 9157 → 9158"},
		},
		{
			name: "a start-up offset from a variable: the fix says where and what",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml":    "[server]\nhostname = \"a\"\n",
				"h1/mi-b/conf/deployment.toml":    "[server]\n",
				"h1/mi-b/bin/micro-integrator.sh": "OFF=10\nJAVA_OPTS=\"-DportOffset=$OFF\"\n",
			},
			want: []string{
				"h1/mi-b/bin/micro-integrator.sh:2:12-2:29 P001 h1/mi-b and h1/mi-a both run at offset 10 on host h1 and share 4 ports: 8290 (HTTP pass-through), 8253 (HTTPS pass-through), 9201 (internal HTTP API) and 9164 (internal HTTPS API); no fix: the offset is set by -DportOffset=$OFF in h1/mi-b/bin/micro-integrator.sh, which cannot be rewritten in place; make it 11 there",
			},
		},
		{
			name: "a flag in an env file that two installs' containers read is not rewritten",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml": "[server]\nhostname = \"a\"\n",
				"h1/mi-b/conf/deployment.toml": "[server]\nhostname = \"b\"\n",
				"h1/mi-c/conf/deployment.toml": "[server]\noffset = 20\n",
				"h1/common.env":                "JAVA_OPTS=-DportOffset=20\n",
				"h1/compose.yaml": "services:\n" +
					"  b: {image: wso2/wso2mi, network_mode: host, env_file: common.env, volumes: [\"./mi-b/conf:/home/wso2carbon/wso2mi/conf\"]}\n" +
					"  c: {image: wso2/wso2mi, network_mode: host, env_file: common.env, volumes: [\"./mi-c/conf:/home/wso2carbon/wso2mi/conf\"]}\n",
			},
			want: []string{
				"h1/common.env:1:11-1:26 P001 h1/mi-c and h1/mi-b both run at offset 20 on host h1 and share 4 ports: 8300 (HTTP pass-through), 8263 (HTTPS pass-through), 9211 (internal HTTP API) and 9174 (internal HTTPS API); no fix: -DportOffset=20 in h1/common.env (JAVA_OPTS in an env_file of compose service c) also sets the offset of h1/mi-b; give h1/mi-c an offset of its own (21)",
			},
		},
		{
			name: "an unknown start-up offset collides with nothing",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml":     "[server]\nhostname = \"a\"\n",
				"h1/mi-b/conf/deployment.toml":     "[server]\noffset = 10\n",
				"h1/mi-b/bin/micro-integrator.bat": "java -DportOffset=%OFFSET% org.wso2.Bootstrap\r\n",
			},
		},
		{
			name: "the MI Dashboard cannot be moved",
			files: map[string]string{
				"h1/a-mi/conf/deployment.toml": "[transport.http]\nlistener.port = 9733\n",
				"h1/dash/conf/deployment.toml": "[server_config]\nport = 9743\n",
			},
			want: []string{
				"h1/dash/conf/deployment.toml:2:1-2:12 P001 h1/dash and h1/a-mi share 1 port on host h1: 9743 (h1/dash's MI Dashboard listener, 9743, no offset; h1/a-mi's HTTP pass-through listener, 9733 + offset 10 = 9743); no fix: the MI Dashboard has no port offset; change [server_config] port or move the other install",
			},
		},
		{
			name: "no offset keeps the ports in range",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml": "[server]\noffset = 0\n[transport.http]\nlistener.port = 65535\n",
				"h1/mi-b/conf/deployment.toml": "[server]\noffset = 0\n[transport.http]\nlistener.port = 65535\nlistener.secured_port = 1\n",
			},
			want: []string{
				"h1/mi-b/conf/deployment.toml:2:1-2:11 P001 h1/mi-b and h1/mi-a both run at offset 0 on host h1 and share 3 ports: 65535 (HTTP pass-through), 9191 (internal HTTP API) and 9154 (internal HTTPS API); no fix: no offset from 1 up clears the collision and keeps every port within 1–65535",
			},
		},
		{
			name: "an offset from a placeholder is not rewritten",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml": "[server]\nhostname = \"a\"\n",
				"h1/mi-b/conf/deployment.toml": "[server]\noffset = \"$env{OFF}\"\n[transport.http]\nlistener.port = 8280\n",
			},
			env: map[string]string{"OFF": "10"},
			want: []string{
				"h1/mi-b/conf/deployment.toml:2:1-2:21 P001 h1/mi-b and h1/mi-a both run at offset 10 on host h1 and share 4 ports: 8290 (HTTP pass-through), 8253 (HTTPS pass-through), 9201 (internal HTTP API) and 9164 (internal HTTPS API); no fix: the offset comes from the placeholder \"$env{OFF}\"; change its value",
			},
		},
		// Near misses.
		{
			name: "an unverified listener is not compared",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml": "[server]\nhostname = \"a\"\n",
				"h1/mi-b/conf/deployment.toml": "[server]\noffset = 20\n\n[transport.tcp]\nlistener.enable = true\nlistener.port = 8270\n",
			},
		},
		{
			name: "installs on different hosts",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml": "[server]\nhostname = \"a\"\n",
				"h2/mi-b/conf/deployment.toml": "[server]\nhostname = \"b\"\n",
			},
		},
		{
			name: "runtimes of one install are P002's business",
			files: map[string]string{
				"h1/eia/conf/server/deployment.yaml": "wso2.transport.http:\n  listenerConfigurations:\n    - id: \"default\"\n      port: 9644\n",
				"h1/eia/conf/portal/deployment.yaml": "wso2.transport.http:\n  listenerConfigurations:\n    - id: \"default-https\"\n      port: 9643\n",
			},
		},
		{
			name: "distinct offsets",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml": "[server]\nhostname = \"a\"\n",
				"h1/mi-b/conf/deployment.toml": "[server]\noffset = 11\n",
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, tc.run)
	}
}

// TestP001OffsetPlacement checks where the fix writes a new
// offset into an MI's deployment.toml of every shape.
func TestP001OffsetPlacement(t *testing.T) {
	const a = "[server]\nhostname = \"a\"\n"
	tests := []struct{ name, src, fixed string }{
		{"value replaced", "[server]\noffset = 10 # old\n", "[server]\noffset = 11 # old\n"},
		{"quoted value keeps its quotes", "[server]\noffset = '10'\n", "[server]\noffset = '11'\n"},
		{"key added under the header", "[server] # main\nhostname = \"b\"\n", "[server] # main\noffset = 11\nhostname = \"b\"\n"},
		{"key added with the table's indentation", "[server]\n  hostname = \"b\"\n", "[server]\n  offset = 11\n  hostname = \"b\"\n"},
		{"header on the last line without a line break", "[server]", "[server]\noffset = 11"},
		{"table added before the first table", "[mediation]\nx = 1\n", "[server]\noffset = 11\n\n[mediation]\nx = 1\n"},
		{"table added above the comments of the first table", "x = 1\n# the transport\n# wso2lint: ignore[K002] reason\n[transport.http]\n",
			"x = 1\n[server]\noffset = 11\n\n# the transport\n# wso2lint: ignore[K002] reason\n[transport.http]\n"},
		{"after a byte-order mark", "\ufeff[mediation]\nx = 1\n", "\ufeff[server]\noffset = 11\n\n[mediation]\nx = 1\n"},
		{"after a byte-order mark, above the first table's comment", "\ufeff# the mediation table\n[mediation]\nx = 1\n", "\ufeff[server]\noffset = 11\n\n# the mediation table\n[mediation]\nx = 1\n"},
		{"at the end of a file without tables", "# nothing yet\n", "# nothing yet\n\n[server]\noffset = 11\n"},
		{"at the end of a file without a final line break", "# nothing yet", "# nothing yet\n\n[server]\noffset = 11\n"},
		{"empty file", "", "[server]\noffset = 11\n"},
		{"dotted top-level keys", "server.hostname = \"b\"\n[mediation]\n", "server.hostname = \"b\"\nserver.offset = 11\n[mediation]\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"h1/mi-a/conf/deployment.toml": a, "h1/mi-b/conf/deployment.toml": tt.src}
			got := linttest.Run(t, DuplicatePort, files)
			if len(got) != 1 {
				t.Fatalf("want 1 finding in mi-b, got %d", len(got))
			}
			for _, f := range got {
				if f.File.Path != "h1/mi-b/conf/deployment.toml" || f.Fix == nil {
					t.Fatalf("want a fix in mi-b: %s", linttest.Describe(f))
				}
				if fixed := linttest.ApplyFix(t, f); fixed != tt.fixed {
					t.Errorf("fixed file differs\n got: %q\nwant: %q", fixed, tt.fixed)
				}
			}
		})
	}
	refusals := []struct{ name, src, reason string }{
		{"inline table", "server = { hostname = \"b\" }\n", "; no fix: server is written as an inline table"},
		{"misspelt offset", "[server]\nportOffset = 30\n", "; no fix: portOffset on line 2 looks like a misspelt or misplaced offset; correct it first"},
		{"misplaced offset", "offset = 30\n[server]\n", "; no fix: offset on line 1 looks like a misspelt or misplaced offset; correct it first"},
		{"array of tables", "[[server]]\nhostname = \"b\"\n", "; no fix: server is an array of tables"},
	}
	for _, tt := range refusals {
		t.Run("refused: "+tt.name, func(t *testing.T) {
			files := map[string]string{"h1/mi-a/conf/deployment.toml": a, "h1/mi-b/conf/deployment.toml": tt.src}
			got := linttest.Run(t, DuplicatePort, files)
			if len(got) != 1 {
				t.Fatalf("want 1 finding in mi-b, got %d", len(got))
			}
			for _, f := range got {
				if f.Fix != nil || !strings.HasSuffix(f.Message, tt.reason) {
					t.Errorf("want a refusal ending %q: %s", tt.reason, linttest.Describe(f))
				}
			}
		})
	}
}

// TestP001PrimaryIsTheTouchedInstall checks that the finding lands on the
// install the change under review touched, whichever comes later by path,
// and that the fix moves that install: a branch that sets mi-billing to the
// offset mi-orders already runs at must be told so on mi-billing, and the
// production install nobody touched must stay where it is.
func TestP001PrimaryIsTheTouchedInstall(t *testing.T) {
	files := map[string]string{
		"h1/mi-billing/conf/deployment.toml": "# billing\n[server]\nhostname = \"b\"\noffset = 10\n",
		"h1/mi-orders/conf/deployment.toml":  "[server]\nhostname = \"o\"\n",
	}
	fl := linttest.Fleet(t, files, fleet.Options{})
	run := func(touched map[string]bool) []*lint.Finding {
		var out []*lint.Finding
		DuplicatePort.Check(lint.NewPassWith(fl, DuplicatePort, &out, lint.Options{Touched: touched}))
		return out
	}
	untouched := run(nil)
	linttest.Check(t, untouched, []string{
		"h1/mi-orders/conf/deployment.toml:1:1-1:9 P001 h1/mi-orders and h1/mi-billing both run at offset 10 on host h1 and share 4 ports: " +
			"8290 (HTTP pass-through), 8253 (HTTPS pass-through), 9201 (internal HTTP API) and 9164 (internal HTTPS API)",
	})
	touched := run(map[string]bool{"h1/mi-billing/conf/deployment.toml": true})
	linttest.Check(t, touched, []string{
		"h1/mi-billing/conf/deployment.toml:4:1-4:12 P001 h1/mi-billing and h1/mi-orders both run at offset 10 on host h1 and share 4 ports: " +
			"8290 (HTTP pass-through), 8253 (HTTPS pass-through), 9201 (internal HTTP API) and 9164 (internal HTTPS API)",
	})
	checkPortRelated(t, touched, []string{"h1/mi-orders/conf/deployment.toml:1:1-1:9 h1/mi-orders runs at the built-in offset 10"})
	if f := touched[0]; f.Fix == nil || len(f.Fix.Edits) != 1 || f.Fix.Edits[0].Path != "h1/mi-billing/conf/deployment.toml" ||
		f.Fix.Message != "set [server] offset = 11 (was 10): moves 8290 → 8291, 8253 → 8254, 9201 → 9202, 9164 → 9165" {
		t.Errorf("the fix must move the touched install: %+v", f.Fix)
	}
	// Both touched: the later by path, as without a change.
	both := run(map[string]bool{"h1/mi-billing/conf/deployment.toml": true, "h1/mi-orders/conf/deployment.toml": true})
	if len(both) != 1 || both[0].File.Path != "h1/mi-orders/conf/deployment.toml" {
		t.Errorf("with both installs touched, want the later one primary: %v", both)
	}
}

// TestP001NeverOnAComment checks where the finding sits in a deployment
// file with no offset: the [server] header, else the first key, else the
// first line that is not a comment, else the end of a file of comments
// only — never under a comment.
func TestP001NeverOnAComment(t *testing.T) {
	const a = "[server]\nhostname = \"a\"\n"
	for _, tc := range []struct{ name, src, want string }{
		{"header after comments", "# node b\n# notes\n\n[server]\nhostname = \"b\"\n", "4:1-4:9"},
		{"first key after comments", "# node b\n[transport.http]\nlistener.secured_port = 8243\n", "3:1-3:29"},
		{"comments only", "# node b\n# nothing else\n", "3:1-3:1"},
		{"empty file", "", "1:1-1:1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := linttest.Run(t, DuplicatePort, map[string]string{"h1/mi-a/conf/deployment.toml": a, "h1/mi-b/conf/deployment.toml": tc.src})
			if len(got) != 1 {
				t.Fatalf("want 1 finding, got %d", len(got))
			}
			s, e := got[0].Start(), got[0].End()
			if pos := fmt.Sprintf("%d:%d-%d:%d", s.Line, s.Col, e.Line, e.Col); got[0].File.Path != "h1/mi-b/conf/deployment.toml" || pos != tc.want {
				t.Errorf("at %s %s, want h1/mi-b %s", got[0].File.Path, pos, tc.want)
			}
		})
	}
}
