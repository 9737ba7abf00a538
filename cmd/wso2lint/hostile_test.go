package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"sort"
	"strings"
	"testing"
	"time"
)

// This file runs the CLI on what a repository or a file system can hold
// beyond well-formed configuration (issue 5, "Hostile inputs"). Each case
// lays out a temporary directory holding fleet/, the tree linted, and
// outside/, files the run must never touch, then runs the command
// in-process and checks that:
//
//   - the exit code is the one wanted, and never 3;
//   - stdout or stderr names the offending file and says why;
//   - nothing panics and the run ends within hostileBound;
//   - no file or directory changes, appears or disappears, except the files
//     a --fix is meant to rewrite.
//
// Besides its own command, every case is also linted with every rule as
// JSON (positions must lie inside the files) and with --diff --unsafe-fixes
// (which writes nothing), since hostile bytes that survive the lint can
// still break the fix path.

// hostileBound is how long one run may take before it counts as a hang.
// It is generous: the slowest case takes a few seconds under -race.
const hostileBound = 60 * time.Second

// The files of a one-install fleet, relative to the temporary directory.
const (
	miTOML = "fleet/h/mi/conf/deployment.toml"
	eiYAML = "fleet/h/eia/conf/server/deployment.yaml"
)

type hostileCase struct {
	name string
	// files are written under the temporary directory; setup adds what a
	// map of contents cannot hold (links, pipes, directories, modes).
	files map[string]string
	setup func(t *testing.T, base string)
	// flags and paths make the case's command; paths is {"fleet"} when
	// empty. Paths are relative to the temporary directory, the working
	// directory of the run.
	flags, paths []string
	// code is the exit code wanted.
	code int
	// mention lists what stdout or stderr must contain, typically the
	// file's display path and the reason.
	mention []string
	// changed maps a file the command may rewrite (a --fix) to the content
	// it must then have.
	changed map[string]string
	// alone skips the extra JSON and --diff runs (for the slowest cases).
	alone bool
}

func TestHostileInputs(t *testing.T) {
	pad := strings.Repeat("a", 5<<20) // a 5 MiB line
	for _, tc := range hostileCases(pad) {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			base := t.TempDir()
			for rel, content := range tc.files {
				p := filepath.Join(base, filepath.FromSlash(rel))
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.MkdirAll(filepath.Join(base, "outside"), 0o755); err != nil {
				t.Fatal(err)
			}
			if tc.setup != nil {
				tc.setup(t, base)
			}
			paths := tc.paths
			if len(paths) == 0 {
				paths = []string{"fleet"}
			}
			before := snapshot(t, base)
			if !tc.alone {
				out, errOut, code := runBounded(t, base, append([]string{"--select", "ALL", "--format", "json"}, paths...)...)
				checkCode(t, "json lint", code, errOut)
				if code != exitUsage {
					checkJSONPositions(t, base, out)
				}
				_, errOut, code = runBounded(t, base, append([]string{"--diff", "--unsafe-fixes", "--select", "ALL"}, paths...)...)
				checkCode(t, "--diff", code, errOut)
				compareSnapshots(t, before, snapshot(t, base), nil)
			}
			out, errOut, code := runBounded(t, base, append(append([]string{}, tc.flags...), paths...)...)
			if code != tc.code {
				t.Errorf("exit %d, want %d\nstdout: %.2000s\nstderr: %.2000s", code, tc.code, out, errOut)
			}
			for _, m := range tc.mention {
				if !strings.Contains(out, m) && !strings.Contains(errOut, m) {
					t.Errorf("neither stdout nor stderr mentions %q\nstdout: %.2000s\nstderr: %.2000s", m, out, errOut)
				}
			}
			after := snapshot(t, base)
			compareSnapshots(t, before, after, tc.changed)
			for rel, want := range tc.changed {
				if got := after[rel].data; got != want {
					t.Errorf("%s after the fix:\n%q\nwant:\n%q", rel, got, want)
				}
			}
		})
	}
}

func hostileCases(pad string) []hostileCase {
	quoted := "[server]\noffset = 3\n[transport.http]\nlistener.port = \"8280\"\n" // K005, a safe fix
	k005 := []string{"--select", "K005", "--fail-level", "info"}
	billion := "wso2.carbon:\n  id: lol\n  ports:\n    offset: *i\n"
	prev := `"lol"`
	for _, name := range []string{"a", "b", "c", "d", "e", "f", "g", "h", "i"} {
		billion = strings.Replace(billion, "wso2.carbon:", fmt.Sprintf("%s: &%s [%s]\nwso2.carbon:", name, name, strings.TrimSuffix(strings.Repeat(prev+", ", 9), ", ")), 1)
		prev = "*" + name
	}
	var anchors strings.Builder
	anchors.WriteString("wso2.carbon:\n  id: many\n")
	for i := range 1000 {
		fmt.Fprintf(&anchors, "k%d: &a%d {port: %d}\n", i, i, 9000+i)
	}
	for i := range 1000 {
		fmt.Fprintf(&anchors, "r%d: *a%d\n", i, i)
	}
	anchors.WriteString("wso2.transport.http:\n  listenerConfigurations:\n    - *a1\n    - *a2\n")
	// The cases whose cost grows with the square of a count (pairs of
	// listeners, of installs, of repeated keys) use a tenth of it with
	// -short, and the file within a raised size limit is 11 MB (still over
	// the default limit): .ci/run runs the race detector with -short, after
	// the full sizes ran without it. raised counts 100-byte lines.
	listeners, repeats, installs, raised := 3000, 3000, 5000, 300_000
	if testing.Short() {
		listeners, repeats, installs, raised = 300, 300, 500, 110_000
	}

	return []hostileCase{
		{name: "empty toml", files: map[string]string{miTOML: ""}, code: 0, mention: []string{"No problems found in 1 file"}},
		{name: "empty yaml", files: map[string]string{eiYAML: ""}, code: 0, mention: []string{"in 1 file"}},
		{name: "bom only toml", files: map[string]string{miTOML: "\ufeff"}, code: 0, mention: []string{"No problems found in 1 file"}},
		{name: "bom only yaml", files: map[string]string{eiYAML: "\ufeff"}, code: 0, mention: []string{"in 1 file"}},
		{
			name:  "crlf toml fixed",
			files: map[string]string{miTOML: strings.ReplaceAll(quoted, "\n", "\r\n")},
			flags: append([]string{"--fix"}, k005...), code: 0,
			changed: map[string]string{miTOML: "[server]\r\noffset = 3\r\n[transport.http]\r\nlistener.port = 8280\r\n"},
		},
		{
			name:  "crlf yaml",
			files: map[string]string{eiYAML: "wso2.carbon:\r\n  id: x\r\n  ports:\r\n    offset: \"3\"\r\n"},
			flags: []string{"--select", "ALL"}, code: 0,
		},
		{
			name:  "tabs toml fixed",
			files: map[string]string{miTOML: "[server]\n\toffset\t=\t3\n[transport.http]\n\tlistener.port\t=\t\"8280\"\t# http\n"},
			flags: append([]string{"--fix"}, k005...), code: 0,
			changed: map[string]string{miTOML: "[server]\n\toffset\t=\t3\n[transport.http]\n\tlistener.port\t=\t8280\t# http\n"},
		},
		{
			name:  "tab-indented yaml",
			files: map[string]string{eiYAML: "wso2.carbon:\n\tports:\n\t\toffset: 1\n"},
			code:  1, mention: []string{eiYAML, "S001"},
		},
		{
			name:  "invalid utf-8 toml",
			files: map[string]string{miTOML: "[server]\nhostname = \"caf\xe9\"\n"},
			code:  1, mention: []string{miTOML + ":2:", "S003", "not valid UTF-8"},
		},
		{
			name:  "invalid utf-8 yaml",
			files: map[string]string{eiYAML: "wso2.carbon:\n  id: \xff\xfe\n"},
			code:  1, mention: []string{eiYAML + ":2:", "S003", "not valid UTF-8"},
		},
		{
			name:  "nul bytes toml",
			files: map[string]string{miTOML: "[server]\nhostname = \"a\x00b\"\n"},
			code:  1, mention: []string{miTOML + ":2:", "S003", "NUL byte"},
		},
		{
			name:  "nul bytes yaml",
			files: map[string]string{eiYAML: "wso2.carbon:\n  id: a\x00\n"},
			code:  1, mention: []string{eiYAML + ":2:", "S003", "NUL byte"},
		},
		{
			name:  "30 MB file",
			files: map[string]string{miTOML: "[server]\n" + strings.Repeat("# "+strings.Repeat("x", 97)+"\n", 300_000)},
			code:  1, mention: []string{miTOML, "S003", "larger than the 10485760-byte limit"},
		},
		{
			name: fmt.Sprintf("%d MB file within a raised limit", raised/10_000),
			files: map[string]string{
				".wso2lint.yaml": "max-file-size: 64MiB\n",
				miTOML:           "[server]\noffset = 3\n" + strings.Repeat("# "+strings.Repeat("x", 97)+"\n", raised) + "[transport.http]\nlistener.port = \"8280\"\n",
			},
			flags: k005, code: 1, mention: []string{fmt.Sprintf("%s:%d:17", miTOML, raised+4), "K005"}, alone: true,
		},
		{
			name:  "5 MB line toml",
			files: map[string]string{miTOML: "[server]\noffset = 3\n[transport.http]\nlistener.port = \"8280\" # " + pad + "\n"},
			flags: k005, code: 1, mention: []string{miTOML + ":4:17", "K005"},
		},
		{
			name:  "5 MB line yaml",
			files: map[string]string{eiYAML: "wso2.carbon:\n  id: " + pad + "\n  ports:\n    offset: \"3\"\n"},
			flags: []string{"--select", "ALL"}, code: 0,
		},
		{
			name:  "10000-deep arrays toml",
			files: map[string]string{miTOML: "[server]\nx = " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n"},
			code:  1, mention: []string{miTOML + ":2:", "S001", "nesting too deep"},
		},
		{
			name:  "10000-deep inline tables toml",
			files: map[string]string{miTOML: "[server]\nx = " + strings.Repeat("{a = ", 10000) + "1" + strings.Repeat("}", 10000) + "\n"},
			code:  1, mention: []string{miTOML + ":2:", "S001", "nesting too deep"},
		},
		{
			name:  "10000-deep unclosed arrays toml",
			files: map[string]string{miTOML: "[server]\nx = " + strings.Repeat("[", 10000) + "\n"},
			code:  1, mention: []string{miTOML + ":2:", "S001"},
		},
		{
			name:  "10000-deep flow sequences yaml",
			files: map[string]string{eiYAML: "wso2.carbon:\n  id: x\n  ports:\n    offset: " + strings.Repeat("[", 10000) + strings.Repeat("]", 10000) + "\n"},
			flags: []string{"--select", "ALL"}, code: 1, mention: []string{eiYAML + ":4:"},
		},
		{
			name:  "10000-deep flow mappings yaml",
			files: map[string]string{eiYAML: "wso2.carbon:\n  id: x\nx: " + strings.Repeat("{a: ", 10000) + "1" + strings.Repeat("}", 10000) + "\n"},
			flags: []string{"--select", "ALL"}, code: 0,
		},
		{
			name:  "10000-deep block sequences yaml",
			files: map[string]string{eiYAML: "wso2.carbon:\n  id: x\nx:\n" + strings.Repeat("- ", 10000) + "1\n"},
			flags: []string{"--select", "ALL"}, code: 0,
		},
		{
			name:  "2000-deep block mappings yaml",
			files: map[string]string{eiYAML: "wso2.carbon:\n  id: x\n" + deepBlockMappings(2000)},
			flags: []string{"--select", "ALL"}, code: 0,
		},
		{
			name:  "billion laughs yaml",
			files: map[string]string{eiYAML: billion},
			flags: []string{"--select", "ALL"}, code: 1, mention: []string{eiYAML + ":13:5", "K004", "a sequence is not a port number"},
		},
		{
			name:  "1000 anchors yaml",
			files: map[string]string{eiYAML: anchors.String()},
			flags: []string{"--select", "ALL"}, code: 0, mention: []string{"in 1 file"},
		},
		{
			name:  fmt.Sprintf("%d listeners on one port yaml", listeners),
			files: map[string]string{eiYAML: manyListeners(listeners)},
			flags: []string{"--format", "concise"}, code: 1,
			mention: []string{eiYAML + ":", "[P002]", fmt.Sprintf("and by %d more listeners before it", listeners-4)},
		},
		{
			name: fmt.Sprintf("a key repeated %d times", repeats),
			files: map[string]string{
				miTOML: "[server]\n" + strings.Repeat("offset = 1\n", repeats),
				eiYAML: "wso2.carbon:\n" + strings.Repeat("  id: x\n", repeats),
			},
			flags: []string{"--format", "concise"}, code: 1,
			mention: []string{fmt.Sprintf("%s:%d:1: error: \"server.offset\" is defined more than once (also on line 2, line 3, line 4 and %d more lines) [S002]", miTOML, repeats+1, repeats-4),
				fmt.Sprintf("%s:%d:3: error: \"wso2.carbon.id\" is defined more than once", eiYAML, repeats+1)},
		},
		{
			name:  "directory named deployment.toml",
			setup: func(t *testing.T, base string) { mkdir(t, filepath.Join(base, miTOML)) },
			code:  1, mention: []string{miTOML, "S003", "not a regular file (a directory)"},
		},
		{
			name:  "directory named deployment.yaml",
			setup: func(t *testing.T, base string) { mkdir(t, filepath.Join(base, eiYAML)) },
			code:  1, mention: []string{eiYAML, "S003", "not a regular file (a directory)"},
		},
		{
			name:  "directory named docker-compose.yml",
			files: map[string]string{miTOML: "[server]\noffset = 3\n"},
			setup: func(t *testing.T, base string) { mkdir(t, filepath.Join(base, "fleet/h/docker-compose.yml")) },
			code:  1, mention: []string{"fleet/h/docker-compose.yml:1:1: error[S003]", "not a regular file (a directory)"},
		},
		{
			name:  "fifo named deployment.toml",
			files: map[string]string{"fleet/h/other/conf/deployment.toml": "[server]\noffset = 20\n"},
			setup: func(t *testing.T, base string) {
				mkdir(t, filepath.Join(base, "fleet/h/mi/conf"))
				mkfifo(t, filepath.Join(base, miTOML))
			},
			code: 1, mention: []string{miTOML, "S003", "not a regular file (a FIFO)"},
		},
		{
			name: "fifo named on the command line",
			setup: func(t *testing.T, base string) {
				mkdir(t, filepath.Join(base, "fleet/h/mi/conf"))
				mkfifo(t, filepath.Join(base, miTOML))
			},
			paths: []string{miTOML}, code: 1, mention: []string{miTOML, "S003", "a FIFO"},
		},
		{
			name: "fifo named deployment.yaml",
			setup: func(t *testing.T, base string) {
				mkdir(t, filepath.Join(base, "fleet/h/eia/conf/server"))
				mkfifo(t, filepath.Join(base, eiYAML))
			},
			code: 1, mention: []string{eiYAML, "S003", "a FIFO"},
		},
		{
			name:  "fifo start-up sources",
			files: map[string]string{miTOML: "[server]\noffset = 3\n"},
			setup: func(t *testing.T, base string) {
				mkdir(t, filepath.Join(base, "fleet/h/mi/bin"))
				mkfifo(t, filepath.Join(base, "fleet/h/mi/bin/micro-integrator.sh"))
				mkfifo(t, filepath.Join(base, "fleet/h/mi/mi.env"))
			},
			paths: []string{"fleet", "fleet/h/mi/bin/micro-integrator.sh"},
			code:  1, mention: []string{"fleet/h/mi/bin/micro-integrator.sh:1:1: error[S003]", "a FIFO"},
		},
		{
			name:  "fifo named docker-compose.yml",
			files: map[string]string{miTOML: "[server]\noffset = 3\n"},
			setup: func(t *testing.T, base string) { mkfifo(t, filepath.Join(base, "fleet/h/docker-compose.yml")) },
			code:  1, mention: []string{"fleet/h/docker-compose.yml:1:1: error[S003]", "a FIFO"},
		},
		// The walk does not follow symbolic links (README, "What it
		// reads"): one in the tree is skipped, whatever it points to.
		{
			name:  "dangling symlink in the tree",
			files: map[string]string{"fleet/h/other/conf/deployment.toml": "[server]\noffset = 20\n"},
			setup: func(t *testing.T, base string) { symlink(t, "missing.toml", filepath.Join(base, miTOML)) },
			code:  0, mention: []string{"in 1 file"},
		},
		{
			name:  "dangling symlink named",
			setup: func(t *testing.T, base string) { symlink(t, "missing.toml", filepath.Join(base, miTOML)) },
			paths: []string{miTOML}, code: 2, mention: []string{miTOML + ": broken symbolic link"},
		},
		{
			name:  "symlink loop in the tree",
			files: map[string]string{"fleet/h/other/conf/deployment.toml": "[server]\noffset = 20\n"},
			setup: func(t *testing.T, base string) {
				symlink(t, "deployment.yaml", filepath.Join(base, miTOML))
				symlink(t, "deployment.toml", filepath.Join(base, "fleet/h/mi/conf/deployment.yaml"))
				symlink(t, "..", filepath.Join(base, "fleet/h/loop"))
			},
			code: 0, mention: []string{"in 1 file"},
		},
		{
			name: "symlink loop named",
			setup: func(t *testing.T, base string) {
				symlink(t, "deployment.yaml", filepath.Join(base, miTOML))
				symlink(t, "deployment.toml", filepath.Join(base, "fleet/h/mi/conf/deployment.yaml"))
			},
			paths: []string{miTOML}, code: 2, mention: []string{miTOML + ": broken symbolic link"},
		},
		{
			name:  "symlinked directory loop named",
			files: map[string]string{miTOML: "[server]\noffset = 20\n"},
			setup: func(t *testing.T, base string) { symlink(t, "..", filepath.Join(base, "fleet/h/loop")) },
			paths: []string{"fleet/h/loop"}, code: 0, mention: []string{"in 1 file"},
		},
		{
			name:  "symlink outside named",
			files: map[string]string{"outside/deployment.toml": quoted},
			setup: func(t *testing.T, base string) {
				symlink(t, filepath.Join(base, "outside/deployment.toml"), filepath.Join(base, miTOML))
			},
			flags: k005, paths: []string{miTOML}, code: 1, mention: []string{miTOML + ":4:17", "K005"},
		},
		{
			name:  "symlink outside named --fix",
			files: map[string]string{"outside/deployment.toml": quoted},
			setup: func(t *testing.T, base string) {
				symlink(t, filepath.Join(base, "outside/deployment.toml"), filepath.Join(base, miTOML))
			},
			flags: append([]string{"--fix"}, k005...), paths: []string{miTOML},
			code: 1, mention: []string{miTOML, "S003", "outside the linted paths"},
		},
		{
			name:  "symlink outside in the tree --fix",
			files: map[string]string{"outside/deployment.toml": quoted, "fleet/h/other/conf/deployment.toml": "[server]\noffset = 20\n"},
			setup: func(t *testing.T, base string) {
				symlink(t, filepath.Join(base, "outside/deployment.toml"), filepath.Join(base, miTOML))
			},
			flags: append([]string{"--fix"}, k005...), code: 0, mention: []string{"in 1 file"},
		},
		{
			name:  "read-only file --fix",
			files: map[string]string{miTOML: quoted},
			setup: func(t *testing.T, base string) { chmod(t, filepath.Join(base, miTOML), 0o444) },
			flags: append([]string{"--fix"}, k005...), code: 1,
			mention: []string{miTOML, "S003", "read-only"},
		},
		{
			name:  "spaces and non-ascii in paths",
			files: map[string]string{"fleet/host één/mi a 名/conf/deployment.toml": quoted},
			flags: k005, code: 1, mention: []string{"fleet/host één/mi a 名/conf/deployment.toml:4:17", "K005"},
		},
		{
			name:  "spaces and non-ascii in paths --fix",
			files: map[string]string{"fleet/host één/mi a 名/conf/deployment.toml": quoted},
			flags: append([]string{"--fix"}, k005...), code: 0,
			changed: map[string]string{"fleet/host één/mi a 名/conf/deployment.toml": strings.Replace(quoted, `"8280"`, "8280", 1)},
		},
		{
			name:  fmt.Sprintf("%d installs in one directory", installs),
			files: manyInstalls(installs),
			flags: []string{"--format", "concise"}, code: 1, alone: true,
			mention: []string{
				fmt.Sprintf("fleet/h/mi-%04d/deployment.toml:1:1: error: fleet/h/mi-%04[1]d and fleet/h/mi-0002 both run at offset 10", installs-1),
				fmt.Sprintf("; %d more installs before it collide with it too", installs-4),
				fmt.Sprintf("fleet/h/mi-%04d/mi.env:1:12: info: -Dcom.sun.management.jmxremote", installs-1),
				fmt.Sprintf("and %d more installs", installs-4),
				fmt.Sprintf("(%d files, %d installs, 1 host checked)", 2*installs, installs)},
		},
	}
}

// manyInstalls lays out n MIs in one directory, the host, that all leave
// the offset out (each collides with every one before it: P001) and start
// with a JMX connector on a random port (R001). They are bare
// deployment.toml files (config-repository layout), each in its own
// install directory beside an env file.
func manyInstalls(n int) map[string]string {
	files := map[string]string{}
	for i := range n {
		root := fmt.Sprintf("fleet/h/mi-%04d/", i)
		files[root+"deployment.toml"] = fmt.Sprintf("[server]\nhostname = \"mi-%d\"\n", i)
		files[root+"mi.env"] = "JAVA_OPTS=\"-Dcom.sun.management.jmxremote\"\n"
	}
	return files
}

// manyListeners is an EI runtime whose n listeners all use one port: a
// 150 KB file with n*(n-1)/2 colliding pairs.
func manyListeners(n int) string {
	var b strings.Builder
	b.WriteString("wso2.carbon:\n  id: x\n  ports:\n    offset: 1\nwso2.transport.http:\n  listenerConfigurations:\n")
	for i := range n {
		fmt.Fprintf(&b, "    - id: l%d\n      host: 0.0.0.0\n      port: 9090\n", i)
	}
	return b.String()
}

// deepBlockMappings nests n block mappings, one more space of indent each.
func deepBlockMappings(n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "%sk%d:\n", strings.Repeat(" ", i), i)
	}
	fmt.Fprintf(&b, "%sleaf: 1\n", strings.Repeat(" ", n))
	return b.String()
}

func mkdir(t *testing.T, path string) {
	t.Helper()
	if err := os.MkdirAll(path, 0o755); err != nil {
		t.Fatal(err)
	}
}

func chmod(t *testing.T, path string, mode fs.FileMode) {
	t.Helper()
	if err := os.Chmod(path, mode); err != nil {
		t.Fatal(err)
	}
}

// symlink makes a symbolic link, skipping the test where links cannot be
// made (Windows without the privilege).
func symlink(t *testing.T, target, link string) {
	t.Helper()
	mkdir(t, filepath.Dir(link))
	if err := os.Symlink(target, link); err != nil {
		t.Skipf("cannot make a symbolic link: %v", err)
	}
}

// runBounded runs the command in-process like runIn, but fails the test
// when it panics or does not end within hostileBound (or before the test's
// own deadline).
func runBounded(t *testing.T, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	bound := hostileBound
	if d, ok := t.Deadline(); ok {
		bound = min(bound, time.Until(d)-5*time.Second)
	}
	ctx, cancel := context.WithTimeout(context.Background(), bound)
	defer cancel()
	type result struct {
		out, err string
		code     int
		panic    any
		stack    []byte
	}
	done := make(chan result, 1)
	go func() {
		var r result
		defer func() {
			if p := recover(); p != nil {
				r.panic, r.stack = p, debug.Stack()
			}
			done <- r
		}()
		var out, errb bytes.Buffer
		r.code = run(args, env{
			stdin: strings.NewReader(""), stdout: &out, stderr: &errb,
			getenv: func(string) string { return "" }, workDir: dir,
		})
		r.out, r.err = out.String(), errb.String()
	}()
	select {
	case r := <-done:
		if r.panic != nil {
			t.Fatalf("wso2lint %s panicked: %v\n%s", strings.Join(args, " "), r.panic, r.stack)
		}
		return r.out, r.err, r.code
	case <-ctx.Done():
		t.Fatalf("wso2lint %s did not end within %v: it hangs", strings.Join(args, " "), bound)
	}
	return "", "", 0
}

// checkCode fails unless an extra run exited 0, 1 or 2.
func checkCode(t *testing.T, what string, code int, stderr string) {
	t.Helper()
	if code != exitOK && code != exitFindings && code != exitUsage {
		t.Errorf("%s: exit %d, want 0, 1 or 2\nstderr: %.2000s", what, code, stderr)
	}
}

// checkJSONPositions checks that every finding of a JSON report, and every
// fix edit, lies inside its file as it is on disk.
func checkJSONPositions(t *testing.T, base, out string) {
	t.Helper()
	var rep struct {
		Findings []jsonFinding `json:"findings"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("the JSON report does not parse: %v\n%.2000s", err, out)
	}
	// Each file is read and split once: a file with thousands of findings
	// (3000 listeners on one port) would otherwise be split per finding.
	type fileLines struct {
		lines []string
		data  []byte
		ok    bool
	}
	seen := map[string]fileLines{}
	lines := func(rel string) ([]string, []byte, bool) {
		if fl, ok := seen[rel]; ok {
			return fl.lines, fl.data, fl.ok
		}
		var fl fileLines
		p := filepath.Join(base, filepath.FromSlash(rel))
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() { // reading a FIFO would block
			if b, err := os.ReadFile(p); err == nil {
				fl = fileLines{strings.SplitAfter(string(b), "\n"), b, true}
			}
		}
		seen[rel] = fl
		return fl.lines, fl.data, fl.ok
	}
	for _, f := range rep.Findings {
		ls, _, ok := lines(f.File)
		if !ok {
			continue // not a readable file: S003 at 1:1
		}
		for _, p := range [][2]int{{f.Line, f.Column}, {f.EndLine, f.EndColumn}} {
			if p[0] < 1 || p[0] > len(ls) || p[1] < 1 || p[1] > len(strings.TrimSuffix(ls[p[0]-1], "\n"))+1 {
				t.Errorf("%s %s:%d:%d-%d:%d lies outside the %d-line file: %s", f.Code, f.File, f.Line, f.Column, f.EndLine, f.EndColumn, len(ls), f.Message)
			}
		}
		if f.EndLine < f.Line || (f.EndLine == f.Line && f.EndColumn < f.Column) {
			t.Errorf("%s %s: the end %d:%d comes before the start %d:%d", f.Code, f.File, f.EndLine, f.EndColumn, f.Line, f.Column)
		}
		if f.Fix == nil {
			continue
		}
		for _, e := range f.Fix.Edits {
			_, b, ok := lines(e.File)
			if !ok || e.Start < 0 || e.End < e.Start || e.End > len(b) {
				t.Errorf("%s %s: fix edit %d-%d outside %s (%d bytes)", f.Code, f.File, e.Start, e.End, e.File, len(b))
			}
		}
	}
}

// fsEntry is what a snapshot keeps of one path: its type and permission
// bits, and its content (a regular file) or target (a link).
type fsEntry struct {
	mode fs.FileMode
	data string
	link string
}

// snapshot records every path under root, without following links.
func snapshot(t *testing.T, root string) map[string]fsEntry {
	t.Helper()
	out := map[string]fsEntry{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		e := fsEntry{mode: info.Mode()}
		switch {
		case info.Mode().IsRegular():
			b, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			e.data = string(b)
		case info.Mode()&fs.ModeSymlink != 0:
			if e.link, err = os.Readlink(p); err != nil {
				return err
			}
		}
		out[filepath.ToSlash(rel)] = e
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// compareSnapshots fails on every path that appeared, disappeared or
// changed, except a change of content of the files in changed.
func compareSnapshots(t *testing.T, before, after map[string]fsEntry, changed map[string]string) {
	t.Helper()
	var paths []string
	for p := range before {
		paths = append(paths, p)
	}
	for p := range after {
		if _, ok := before[p]; !ok {
			paths = append(paths, p)
		}
	}
	sort.Strings(paths)
	for _, p := range paths {
		b, inBefore := before[p]
		a, inAfter := after[p]
		_, mayChange := changed[p]
		switch {
		case !inAfter:
			t.Errorf("%s disappeared", p)
		case !inBefore:
			t.Errorf("%s appeared (mode %v)", p, a.mode)
		case a.mode != b.mode:
			t.Errorf("%s: mode changed from %v to %v", p, b.mode, a.mode)
		case a.link != b.link:
			t.Errorf("%s: link changed from %q to %q", p, b.link, a.link)
		case a.data != b.data && !mayChange:
			t.Errorf("%s changed (%d bytes, was %d)", p, len(a.data), len(b.data))
		}
	}
}
