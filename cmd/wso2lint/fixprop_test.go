package main

import (
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// This file checks properties of the fix path over every
// fleet we have: the fix fixtures, the scenario and example fleets, and
// fleets generated at random (deterministically, from a seed) out of the
// mistakes seen in real repositories. For each fleet, after
// `--fix --unsafe-fixes --select ALL`:
//
//	(a) a second run changes nothing: fix(fix(x)) == fix(x);
//	(b) no remaining finding offers a fix, except those whose message says
//	    the fix was withheld (and suppressed ones, which are never fixed);
//	(c) every file still parses: no S001 (nor S002, a duplicate key, which
//	    stops WSO2 as surely) on a file that did not have one before;
//	(d) the exit code is never 3 and nothing panics;
//
// and, since the fleets are at hand, (e) the --diff output of the
// original fleet, applied with patch -p1, gives the --fix result, and (f)
// every changed file keeps its BOM (or its absence) and its line endings.

// fixPropArgs are the arguments of the fix runs.
var fixPropArgs = []string{"--fix", "--unsafe-fixes", "--select", "ALL", "--format", "json", "fleet"}

// propFleet is a fleet to check: either a directory to copy or files to
// write.
type propFleet struct {
	name  string
	dir   string            // a fleet/ directory to copy, or ""
	files map[string]string // fleet-relative path → content
}

// safeRun runs the CLI in dir and turns a panic into a test failure that
// names the arguments.
func safeRun(t *testing.T, dir string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	defer func() {
		if r := recover(); r != nil {
			t.Fatalf("wso2lint %s panicked: %v", strings.Join(args, " "), r)
		}
	}()
	return runIn(t, dir, args...)
}

// layFleet writes a propFleet under a new temporary directory as fleet/.
func layFleet(t *testing.T, pf propFleet) string {
	t.Helper()
	dir := t.TempDir()
	if pf.dir != "" {
		copyTree(t, pf.dir, filepath.Join(dir, "fleet"))
		return dir
	}
	for rel, content := range pf.files {
		p := filepath.Join(dir, "fleet", filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// parseErrors counts the S001 and S002 findings per file.
func parseErrors(fs []jsonFinding) map[string]int {
	out := map[string]int{}
	for _, f := range fs {
		if f.Code == "S001" || f.Code == "S002" {
			out[f.Code+" "+f.File]++
		}
	}
	return out
}

// checkFixProperties checks (a) to (e) on one fleet.
func checkFixProperties(t *testing.T, pf propFleet) {
	dir := layFleet(t, pf)
	fleetDir := filepath.Join(dir, "fleet")
	input := readTree(t, fleetDir)

	out, errOut, code := safeRun(t, dir, "--select", "ALL", "--format", "json", "fleet")
	if code == exitInternal || code == exitUsage {
		t.Fatalf("lint: exit %d\n%s", code, errOut)
	}
	before := parseErrors(parseFindings(t, out))

	// --diff first, on the untouched fleet.
	diff, diffErr, diffCode := safeRun(t, dir, "--diff", "--unsafe-fixes", "--select", "ALL", "fleet")
	if diffCode == exitInternal {
		t.Errorf("--diff: exit 3\n%s", diffErr)
	}
	compareTrees(t, "--diff wrote to the fleet", input, readTree(t, fleetDir))

	out, errOut, code = safeRun(t, dir, fixPropArgs...)
	if code == exitInternal || code == exitUsage {
		t.Fatalf("(d) --fix: exit %d\n%s", code, errOut)
	}
	fixed := readTree(t, fleetDir)
	if len(fixed) != len(input) {
		t.Errorf("--fix added or removed files: %v → %v", sortedKeys(input), sortedKeys(fixed))
	}
	findings := parseFindings(t, out)
	for _, f := range findings {
		if f.Fix != nil && !f.Suppressed && !strings.Contains(f.Message, "fix withheld") {
			t.Errorf("(b) a %s fix remains after --fix: %s %s:%d %s (fix: %s)", f.Fix.Applicability, f.Code, f.File, f.Line, f.Message, f.Fix.Message)
		}
	}
	after := parseErrors(findings)
	for _, k := range sortedKeys(after) {
		if after[k] > before[k] {
			t.Errorf("(c) the fix made a file unparsable: %s (%d before, %d after)", k, before[k], after[k])
			for _, f := range findings {
				if f.Code+" "+f.File == k {
					t.Logf("  %s:%d %s", f.File, f.Line, f.Message)
				}
			}
		}
	}
	for _, rel := range sortedKeys(input) {
		if why := fidelity(input[rel], fixed[rel]); why != "" {
			t.Errorf("(f) %s: %s\n  input: %q\n  fixed: %q", rel, why, input[rel], fixed[rel])
		}
	}
	if strings.Contains(errOut, "undo each other") {
		t.Errorf("fixes oscillate: %s", errOut)
	}

	out2, errOut2, code2 := safeRun(t, dir, fixPropArgs...)
	if code2 == exitInternal || code2 == exitUsage {
		t.Fatalf("(d) second --fix: exit %d\n%s", code2, errOut2)
	}
	again := readTree(t, fleetDir)
	for _, rel := range sortedKeys(fixed) {
		if again[rel] != fixed[rel] {
			t.Errorf("(a) a second --fix changed %s\n first: %q\nsecond: %q", rel, fixed[rel], again[rel])
		}
	}
	if code2 != code {
		t.Errorf("(a) a second --fix exits %d, the first %d\n%s", code2, code, out2)
	}

	// (e) the diff of the original fleet reproduces the fix.
	changed := false
	for rel := range input {
		changed = changed || input[rel] != fixed[rel]
	}
	if (diffCode == exitFindings) != changed || (diff != "") != changed {
		t.Errorf("(e) --diff exit %d with %d bytes of diff, but --fix changed files: %v", diffCode, len(diff), changed)
	}
	if !changed {
		return
	}
	patch, err := exec.LookPath("patch")
	if err != nil {
		return
	}
	pdir := layFleet(t, pf)
	patchFile := filepath.Join(t.TempDir(), "fix.patch")
	if err := os.WriteFile(patchFile, []byte(diff), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(patch, "-p1", "--batch", "--silent", "--no-backup-if-mismatch", "-i", patchFile)
	cmd.Dir = pdir
	cmd.Env = append(os.Environ(), "LC_ALL=C")
	if pout, err := cmd.CombinedOutput(); err != nil {
		t.Errorf("(e) patch -p1 rejects the --diff output: %v\n%s\n--- diff\n%s", err, pout, diff)
		return
	}
	compareTrees(t, "(e) patch -p1 result vs --fix", fixed, readTree(t, filepath.Join(pdir, "fleet")))
}

// fidelity checks what a fix must keep of a file as a whole: its UTF-8
// BOM (or its absence) and its line endings (new lines use the file's
// own). It returns what broke, or "".
func fidelity(in, out string) string {
	if in == out {
		return ""
	}
	const bom = "\ufeff"
	if strings.HasPrefix(in, bom) != strings.HasPrefix(out, bom) {
		return "the fix added or removed the UTF-8 BOM"
	}
	crlf, lf := strings.Count(in, "\r\n"), strings.Count(in, "\n")
	switch {
	case lf > 0 && crlf == lf && strings.Count(out, "\r\n") != strings.Count(out, "\n"):
		return "the fix wrote a bare LF line break into a CRLF file"
	case crlf == 0 && strings.Contains(out, "\r"):
		return "the fix wrote a CR into an LF file"
	}
	return ""
}

// TestFixPropertiesFixtures checks the properties on every fix fixture and
// every scenario and example fleet.
func TestFixPropertiesFixtures(t *testing.T) {
	var fleets []propFleet
	for _, c := range loadFixCases(t) {
		fleets = append(fleets, propFleet{name: "fixes/" + c.name, dir: c.fleetDir()})
	}
	dirs, err := filepath.Glob(filepath.Join("..", "..", "testdata", "scenarios", "*", "fleet"))
	if err != nil {
		t.Fatal(err)
	}
	dirs = append(dirs, filepath.Join("..", "..", "testdata", "examples", "fleet"))
	for _, d := range dirs {
		abs, err := filepath.Abs(d)
		if err != nil {
			t.Fatal(err)
		}
		if fi, err := os.Stat(abs); err != nil || !fi.IsDir() {
			continue
		}
		rel, _ := filepath.Rel(filepath.Join("..", "..", "testdata"), filepath.Dir(d))
		fleets = append(fleets, propFleet{name: filepath.ToSlash(rel), dir: abs})
	}
	for _, pf := range fleets {
		t.Run(pf.name, func(t *testing.T) {
			t.Parallel() // each fleet is copied into its own directory
			checkFixProperties(t, pf)
		})
	}
}

// genFleets is how many random fleets TestFixPropertiesGenerated checks:
// 50, or 10 with -short (the race-detector run of .ci/run, which checks
// all 50 without it first); WSO2LINT_GEN_FLEETS=N checks N instead (a
// longer hunt for bugs).
func genFleets() uint64 {
	if n, err := strconv.ParseUint(os.Getenv("WSO2LINT_GEN_FLEETS"), 10, 32); err == nil && n > 0 {
		return n
	}
	if testing.Short() {
		return 10
	}
	return 50
}

// TestFixPropertiesGenerated checks the properties on random fleets. Each
// fleet comes from its own seed, so a failure names the seed that
// reproduces it: go test ./cmd/wso2lint -run 'TestFixPropertiesGenerated/seed-17$' -v
// logs the fleet's files, and WSO2LINT_GEN_DUMP=DIR writes each fleet to
// DIR/seed-N/fleet to run the CLI on it by hand.
func TestFixPropertiesGenerated(t *testing.T) {
	dump := os.Getenv("WSO2LINT_GEN_DUMP")
	for seed := uint64(1); seed <= genFleets(); seed++ {
		files := genFleet(seed)
		t.Run(fmt.Sprintf("seed-%d", seed), func(t *testing.T) {
			t.Parallel() // each fleet is written into its own directory
			if testing.Verbose() {
				for _, rel := range sortedKeys(files) {
					t.Logf("%s:\n%s", rel, files[rel])
				}
			}
			if dump != "" {
				for rel, content := range files {
					p := filepath.Join(dump, fmt.Sprintf("seed-%d", seed), "fleet", filepath.FromSlash(rel))
					if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
						t.Fatal(err)
					}
					if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
						t.Fatal(err)
					}
				}
			}
			checkFixProperties(t, propFleet{name: fmt.Sprint(seed), files: files})
		})
	}
}

// TestGenFleetDeterministic: the generator gives the same fleet for a
// seed every time, or failures could not be reproduced.
func TestGenFleetDeterministic(t *testing.T) {
	for seed := uint64(1); seed <= 5; seed++ {
		a, b := genFleet(seed), genFleet(seed)
		if fmt.Sprint(a) != fmt.Sprint(b) {
			t.Fatalf("seed %d gives two different fleets", seed)
		}
	}
	if fmt.Sprint(genFleet(1)) == fmt.Sprint(genFleet(2)) {
		t.Fatal("seeds 1 and 2 give the same fleet")
	}
}

// ---------------------------------------------------------------------------
// The generator.

// gen draws the parts of one fleet.
type gen struct{ r *rand.Rand }

func (g *gen) chance(p float64) bool { return g.r.Float64() < p }
func (g *gen) intn(n int) int        { return g.r.IntN(n) }
func pick[T any](g *gen, xs ...T) T  { return xs[g.r.IntN(len(xs))] }

// style is how a file is written: line ending, BOM, final newline,
// indentation of keys.
type style struct {
	eol       string
	bom       bool
	noFinalNL bool
	indent    string
}

func (g *gen) style(yaml bool) style {
	s := style{eol: "\n"}
	if g.chance(0.2) {
		s.eol = "\r\n"
	}
	s.bom = g.chance(0.1)
	s.noFinalNL = g.chance(0.25)
	if !yaml {
		s.indent = pick(g, "", "", "", "  ", "\t")
	}
	return s
}

// render joins lines in the style.
func (s style) render(lines []string) string {
	out := strings.Join(lines, s.eol)
	if !s.noFinalNL && out != "" {
		out += s.eol
	}
	if s.bom {
		out = "\ufeff" + out
	}
	return out
}

// comment returns a trailing comment, or "".
func (g *gen) comment() string {
	if g.chance(0.25) {
		return pick(g, " # set by ops", "   # see ticket OPS-12", "\t# keep", " #no space")
	}
	return ""
}

// suppression returns an inline suppression line, used or not.
func (g *gen) suppression() string {
	code := pick(g, "P001", "K001", "K002", "K005", "O003", "O004", "K003")
	return "# wso2lint: ignore[" + code + "] " + pick(g, "legacy", "tracked in OPS-7", "intentional")
}

// tomlTable is one table of a generated deployment.toml.
type tomlTable struct {
	header string
	lines  []string
}

// genMI writes an MI deployment.toml with a random mix of the known
// mistakes.
func (g *gen) genMI(name string) string {
	s := g.style(false)
	var root []string
	tables := map[string]*tomlTable{}
	var order []string
	table := func(h string) *tomlTable {
		if t := tables[h]; t != nil {
			return t
		}
		t := &tomlTable{header: h}
		tables[h] = t
		order = append(order, h)
		return t
	}
	add := func(h, line string) {
		if g.chance(0.15) {
			line = pick(g, "# "+strings.SplitN(line, " ", 2)[0], g.suppression()) + s.eol + s.indent + line
		}
		line = s.indent + line + g.comment()
		if h == "" {
			root = append(root, line)
			return
		}
		t := table(h)
		t.lines = append(t.lines, line)
	}
	num := func(n int) string {
		if g.chance(0.2) {
			q := pick(g, `"`, `'`)
			return q + fmt.Sprint(n) + q
		}
		return fmt.Sprint(n)
	}
	portVal := func(def int) string {
		n := def
		switch g.intn(6) {
		case 0:
			n = def + 10 // the effective default: O004
		case 1:
			n = def + 1 + g.intn(5)
		}
		return num(n)
	}

	// [server] and the offset. A top-level server.offset or inline
	// server table excludes a [server] header, so those variants write
	// nothing else into [server].
	off := pick(g, 0, 1, 2, 3, 5, 10, 10, 11, 20)
	switch g.intn(9) {
	case 0, 1: // no offset: the built-in 10
		if g.chance(0.7) {
			add("server", `hostname = "`+name+`"`)
		}
	case 2, 3:
		add("server", `hostname = "`+name+`"`)
		add("server", "offset = "+num(off))
	case 4: // a misspelt offset (K002)
		add("server", pick(g, "portOffset", "port_offset", "port-offset", "ports.offset", "Offset")+" = "+num(off))
	case 5: // outside [server] (K003)
		root = append(root, s.indent+"offset = "+num(off)+g.comment())
		if g.chance(0.5) {
			add("server", `hostname = "`+name+`"`)
		}
	case 6: // a dotted key at the top level
		root = append(root, s.indent+"server.offset = "+num(off)+g.comment())
	case 7: // an inline table
		root = append(root, "server = { offset = "+num(off)+`, hostname = "`+name+`" }`)
	default: // the default written out (O003)
		add("server", "offset = "+num(10))
	}

	// HTTP and HTTPS pass-through.
	inline := g.chance(0.1)
	var inl []string
	httpKey := func(key string, d int) {
		v := portVal(d)
		if inline {
			inl = append(inl, key+" = "+v)
			return
		}
		add("transport.http", key+" = "+v)
	}
	switch g.intn(6) {
	case 0:
	case 1, 2:
		httpKey("listener.port", 8280)
	case 3:
		add("transport.passthru.http.listener", "port = "+portVal(8280)) // K003
	case 4:
		httpKey("listener.Port", 8280) // K002
	default:
		httpKey("listener.parameter.port", 8280)
	}
	switch g.intn(6) {
	case 0:
	case 1:
		httpKey("listener.secured_port", 8243)
	case 2:
		httpKey("listener.secured.port", 8243) // K001
	case 3:
		httpKey("listener.securedPort", 8243) // K002
	case 4:
		add("transport.https", "listener.port = "+portVal(8243)) // K003
	default:
		add("transport.https", "listener.secured_port = "+portVal(8243)) // K003
	}
	if inline && len(inl) > 0 {
		add("transport", "http = { "+strings.Join(inl, ", ")+" }")
	} else {
		if g.chance(0.3) {
			add("transport.http", "socket_timeout = 180000")
		}
		if g.chance(0.1) {
			add("transport.http", `listener.bind_address = "127.0.0.1"`)
		}
	}

	// Internal APIs.
	switch g.intn(7) {
	case 0:
	case 1:
		add("mediation", "internal_http_api_port = "+portVal(9191))
	case 2:
		add("mediation", "internal.http.api.port = "+portVal(9191)) // K001
	case 3:
		add("mediation", "internal-http-api-port = "+portVal(9191)) // K002
	case 4:
		add("internal_apis", "port = "+portVal(9191)) // K003
	case 5:
		add("synapse_properties", "internal.http.api.port = "+portVal(9191)) // K001 (raw)
	default:
		add("synapse_properties", "'internal.http.api.port' = "+portVal(9191))
	}
	switch g.intn(6) {
	case 0:
	case 1:
		add("mediation", "internal_https_api_port = "+portVal(9154))
	case 2:
		add("mediation", "internal.https.api.port = "+portVal(9154)) // K001
	case 3:
		add("mediation", "Internal_HTTPS_API_Port = "+portVal(9154)) // K002
	case 4:
		add("management_api", "port = "+portVal(9154)) // K003
	default:
		add("mediation", `"internal-https-api-port" = `+portVal(9154)) // K002, quoted
	}
	if g.chance(0.3) {
		add("mediation", "synapse.core_threads = 20")
	}

	var lines []string
	if g.chance(0.4) {
		lines = append(lines, "# WSO2 Micro Integrator "+name)
	}
	if g.chance(0.1) {
		lines = append(lines, g.suppression())
	}
	lines = append(lines, root...)
	g.r.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
	for _, h := range order {
		t := tables[h]
		if len(lines) > 0 && g.chance(0.7) {
			lines = append(lines, "")
		}
		if g.chance(0.2) {
			lines = append(lines, "# "+h)
		}
		lines = append(lines, "["+h+"]"+g.comment())
		lines = append(lines, t.lines...)
	}
	return s.render(lines)
}

// genEIRuntime writes an EI Analytics runtime's deployment.yaml.
func (g *gen) genEIRuntime(runtime string) string {
	s := g.style(true)
	var lines []string
	if g.chance(0.5) {
		lines = append(lines, "# WSO2 EI Analytics "+runtime+" runtime")
	}
	lines = append(lines, "wso2.carbon:", "  id: wso2-"+runtime)
	def := 1
	if runtime == "portal" {
		def = 2
	}
	off := pick(g, def, def, def, 0, 3, 5)
	switch g.intn(7) {
	case 0: // not written: the built-in default
	case 6: // an anchored value and an alias: no splice can change one use
		lines = append(lines, "  x-offset: &off "+fmt.Sprint(off), "  ports:", "    offset: *off")
	case 1:
		lines = append(lines, "  ports:", "    portOffset: "+fmt.Sprint(off)+g.comment()) // K002
	case 2:
		lines = append(lines, "  ports:", `    offset: "`+fmt.Sprint(off)+`"`)
	case 3:
		lines = append(lines, "  ports:", "    # port offset", "    "+g.suppression(), "    offset: "+fmt.Sprint(off))
	default:
		lines = append(lines, "  ports:", "    offset: "+fmt.Sprint(off)+g.comment())
	}
	httpPort := pick(g, "9090", "9090", "9190")
	if g.chance(0.1) {
		lines = append([]string{"x-ports: &port 9090"}, lines...)
		httpPort = "*port"
	}
	portKey := func() string {
		if g.chance(0.15) {
			return pick(g, "Port", `"PORT"`)
		}
		return "port"
	}
	var listeners []string
	if runtime == "server" {
		listeners = []string{
			`- id: "default"`, `  host: "0.0.0.0"`, "  " + portKey() + ": " + httpPort + g.comment(),
			`- id: "msf4j-https"`, `  host: "0.0.0.0"`, "  " + portKey() + ": " + fmt.Sprint(pick(g, 9443, 9443, 9543)), "  scheme: https",
		}
	} else {
		listeners = []string{`- id: "default-https"`, `  host: "0.0.0.0"`, "  " + portKey() + ": 9643", "  scheme: https"}
	}
	column0 := g.chance(0.3)
	withSection := !column0 || g.chance(0.5)
	lines = append(lines, "")
	if withSection {
		lines = append(lines, "wso2.transport.http:", "  transportProperties:", `    - name: "server.bootstrap.socket.timeout"`, "      value: 60")
		if !column0 {
			lines = append(lines, "", "  listenerConfigurations:")
			for _, l := range listeners {
				lines = append(lines, "    "+l)
			}
		}
		lines = append(lines, "")
	}
	if column0 {
		lines = append(lines, "# pasted from the doc page", "listenerConfigurations:")
		for _, l := range listeners {
			lines = append(lines, "  "+l)
		}
		lines = append(lines, "")
	}
	if runtime == "server" && g.chance(0.7) {
		tcp := "tcpPort"
		if g.chance(0.15) {
			tcp = "tcp_port" // K002
		}
		lines = append(lines, "databridge.config:", "  dataReceivers:", "  -", "    dataReceiver:", "      type: Thrift",
			"      properties:", "        "+tcp+": '7611'", "        sslPort: '7711'")
	}
	for len(lines) > 0 && lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1]
	}
	return s.render(lines)
}

// genFleet builds one random fleet: 1–3 hosts of 1–4 installs each, most
// of them MI, some EI Analytics with a server and/or a portal runtime,
// some MIs with -DportOffset in their start-up script.
func genFleet(seed uint64) map[string]string {
	g := &gen{r: rand.New(rand.NewPCG(seed, 0x5eed))}
	files := map[string]string{}
	for h := range 1 + g.intn(3) {
		for i := range 1 + g.intn(4) {
			root := fmt.Sprintf("h%d/%c-", h+1, 'a'+i)
			if g.chance(0.2) {
				root += "eia"
				rts := pick(g, []string{"server"}, []string{"server", "portal"}, []string{"server", "portal"}, []string{"portal"})
				for _, rt := range rts {
					files[root+"/conf/"+rt+"/deployment.yaml"] = g.genEIRuntime(rt)
				}
				continue
			}
			if g.chance(0.05) {
				root += "dashboard"
				files[root+"/conf/deployment.toml"] = "[server_config]\nport = " + pick(g, "9743", `"9743"`, "9753") + "\n"
				continue
			}
			root += "mi"
			files[root+"/conf/deployment.toml"] = g.genMI(root)
			if g.chance(0.1) {
				files[root+"/bin/micro-integrator.sh"] = "#!/bin/sh\nJAVA_OPTS=\"$JAVA_OPTS -DportOffset=" +
					fmt.Sprint(pick(g, 10, 11, 2)) + " -Dcom.sun.management.jmxremote\"\nexec java $JAVA_OPTS\n"
			}
		}
	}
	return files
}
