package rules

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint/linttest"
)

// scaled returns n, or a fifth of it with -short: .ci/run runs the race
// detector with -short, after the full sizes ran without it.
func scaled(n int) int {
	if testing.Short() {
		return n / 5
	}
	return n
}

// defaultMIs returns n installs on host h that all leave the offset out,
// so that every one collides with every earlier one on all four ports.
func defaultMIs(n int) map[string]string {
	files := map[string]string{}
	for i := range n {
		files[fmt.Sprintf("h/mi-%04d/conf/deployment.toml", i)] = fmt.Sprintf("[server]\nhostname = \"mi-%d\"\n", i)
	}
	return files
}

// TestDuplicatePortNamesFewOthers checks that an install colliding with
// many earlier ones is paired with the first three, the last pair counting
// the rest, instead of one finding per pair.
func TestDuplicatePortNamesFewOthers(t *testing.T) {
	got := linttest.RunWith(t, DuplicatePort, defaultMIs(6), fleet.Options{})
	// mi-1 pairs with mi-0, mi-2 with two, mi-3, mi-4 and mi-5 with three.
	if len(got) != 1+2+3+3+3 {
		t.Fatalf("%d findings, want 12", len(got))
	}
	var last []string
	for _, f := range got {
		if !strings.HasPrefix(f.File.Path, "h/mi-0005/") {
			continue
		}
		last = append(last, f.Message)
	}
	if len(last) != 3 || !strings.HasPrefix(last[0], "h/mi-0005 and h/mi-0000 ") || !strings.HasPrefix(last[2], "h/mi-0005 and h/mi-0002 ") ||
		strings.Contains(last[1], "more install") || !strings.HasSuffix(last[2], "; 2 more installs before it collide with it too") {
		t.Errorf("mi-0005 is not paired with the first three and the rest counted:\n%s", strings.Join(last, "\n"))
	}
}

// TestDuplicatePortLargeHost is a regression test for a host of thousands
// of installs left at one offset: every finding listed every earlier
// install (a report growing with the square of the host, gigabytes at
// 5,000 installs) and the offset re-assignment rescanned the host for
// every offset it tried, so the run never ended. It must now finish, with
// every install after the first moved to an offset of its own.
func TestDuplicatePortLargeHost(t *testing.T) {
	n := scaled(1000)
	got := linttest.RunWith(t, DuplicatePort, defaultMIs(n), fleet.Options{})
	if want := 1 + 2 + 3*(n-3); len(got) != want {
		t.Fatalf("%d findings, want %d", len(got), want)
	}
	offsets := map[string]string{}
	for _, f := range got {
		if f.Fix == nil {
			t.Fatalf("no fix: %s", linttest.Describe(f))
		}
		offsets[f.File.Path] = f.Fix.Edits[0].New
	}
	if len(offsets) != n-1 {
		t.Fatalf("%d installs moved, want %d", len(offsets), n-1)
	}
	seen := map[string]string{}
	for path, edit := range offsets {
		if other, ok := seen[edit]; ok {
			t.Fatalf("%s and %s are both moved by the same edit %q", path, other, edit)
		}
		seen[edit] = path
	}
}

// TestRandomJMXPortLargeHost is the same regression for R001: every
// finding named every other install that leaves its JMX port random, 133
// MB of report for 1,000 installs and gigabytes for 5,000. A finding now
// names three and counts the rest.
func TestRandomJMXPortLargeHost(t *testing.T) {
	n := scaled(300)
	files := map[string]string{}
	for i := range n {
		root := fmt.Sprintf("h/mi-%04d", i)
		files[root+"/conf/deployment.toml"] = fmt.Sprintf("[server]\noffset = %d\n", 20*i)
		files[root+"/bin/micro-integrator.sh"] = "JAVA_OPTS=\"-Dcom.sun.management.jmxremote\"\n"
	}
	got := linttest.RunWith(t, RandomJMXPort, files, fleet.Options{})
	if len(got) != n {
		t.Fatalf("%d findings, want %d", len(got), n)
	}
	for _, f := range got {
		if len(f.Related) != maxListed || !strings.Contains(f.Message, fmt.Sprintf(" and %d more installs on host h also do", n-1-maxListed)) {
			t.Fatalf("%d related locations, message %s", len(f.Related), f.Message)
		}
	}
}

// TestPublishedPortCollisionLargeCompose is the same regression for C002:
// in a compose file whose services all publish one host port, every
// finding named every earlier service (295 MB of report for 2,000
// services). A finding now names three and counts the rest.
func TestPublishedPortCollisionLargeCompose(t *testing.T) {
	const n = 200
	var b strings.Builder
	b.WriteString("services:\n")
	for i := range n {
		fmt.Fprintf(&b, "  s%d:\n    image: wso2/wso2mi:4.2.0\n    ports: [\"8290:8290\"]\n", i)
	}
	got := linttest.RunWith(t, PublishedPortCollision, map[string]string{"h/docker-compose.yml": b.String()}, fleet.Options{})
	if len(got) != n-1 {
		t.Fatalf("%d findings, want %d", len(got), n-1)
	}
	last := got[len(got)-1]
	for _, f := range got {
		if len(f.Related) > maxListed {
			t.Fatalf("%d related locations: %s", len(f.Related), linttest.Describe(f))
		}
	}
	if !strings.HasSuffix(last.Message, fmt.Sprintf(", compose service s2 (8290:8290) and %d more", n-1-maxListed)) {
		t.Errorf("the last finding does not name three services and count the rest: %s", last.Message)
	}
}

// TestDuplicatePortInInstallManyListeners is the same regression for P002,
// which reports pairs: an EI runtime of 1,000 listeners on one port (a
// 52 KB file) gave half a million findings, 222 MB of report. A listener
// is now paired with the first three before it, and the last of its
// findings counts the rest.
func TestDuplicatePortInInstallManyListeners(t *testing.T) {
	const n = 200
	var b strings.Builder
	b.WriteString("wso2.carbon:\n  id: x\n  ports:\n    offset: 1\nwso2.transport.http:\n  listenerConfigurations:\n")
	for i := range n {
		fmt.Fprintf(&b, "    - id: l%d\n      host: 0.0.0.0\n      port: 9090\n", i)
	}
	got := linttest.RunWith(t, DuplicatePortInInstall, map[string]string{"h/eia/conf/server/deployment.yaml": b.String()}, fleet.Options{})
	if want := 1 + 2 + 3*(n-3); len(got) != want {
		t.Fatalf("%d findings, want %d", len(got), want)
	}
	last := got[len(got)-1]
	if !strings.HasSuffix(last.Message, fmt.Sprintf(", and by %d more listeners before it", n-1-maxListed)) {
		t.Errorf("the last finding does not count the other listeners: %s", last.Message)
	}
}

// TestDuplicateKeyRepeatedOften is the same regression for S002: a key
// repeated 3,000 times (a 33 KB file) gave 3,000 findings that each named
// every other line, 1.8 GB of report and 7 GB of memory. A finding now
// names three other lines and counts the rest.
func TestDuplicateKeyRepeatedOften(t *testing.T) {
	const n = 300
	files := map[string]string{
		"h/mi/conf/deployment.toml":         "[server]\n" + strings.Repeat("offset = 1\n", n),
		"h/eia/conf/server/deployment.yaml": "wso2.carbon:\n" + strings.Repeat("  id: x\n", n),
	}
	got := linttest.RunWith(t, DuplicateKey, files, fleet.Options{})
	if len(got) != 2*(n-1) {
		t.Fatalf("%d findings, want %d", len(got), 2*(n-1))
	}
	for _, f := range got {
		if len(f.Related) != maxListed || !strings.HasSuffix(f.Message, fmt.Sprintf(" and %d more lines)", n-1-maxListed)) {
			t.Fatalf("%d related locations: %s", len(f.Related), linttest.Describe(f))
		}
	}
}
