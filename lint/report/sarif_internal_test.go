package report

import (
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/srcpos"
)

func TestUTF16Pos(t *testing.T) {
	// Line 2 mixes one-byte, two-byte (é), three-byte (€, 漢) and
	// four-byte (😀, a surrogate pair in UTF-16) characters.
	src := "ascii\na é € 漢 😀 z\n\xff\xfeX\n"
	f := &fleet.File{Path: "x", Src: []byte(src), Lines: srcpos.NewLines([]byte(src))}
	line2 := strings.Index(src, "a é")
	cases := []struct {
		needle    string
		base      int
		line, col int
	}{
		{"ascii", 0, 1, 1},
		{"ii", 0, 1, 4},
		{"a é", line2, 2, 1},
		{"é", line2, 2, 3},
		{"€", line2, 2, 5},
		{"漢", line2, 2, 7},
		{"😀", line2, 2, 9},
		{"z", line2, 2, 12}, // 😀 counts two
		{"\n\xff", line2, 2, 13},
		{"X", line2, 3, 3}, // each invalid byte counts one
	}
	for _, c := range cases {
		off := c.base + strings.Index(src[c.base:], c.needle)
		if line, col := utf16Pos(f, off); line != c.line || col != c.col {
			t.Errorf("utf16Pos(%q) = %d:%d, want %d:%d", c.needle, line, col, c.line, c.col)
		}
	}
	// End of file, and an offset past it (clamped).
	if line, col := utf16Pos(f, len(src)); line != 4 || col != 1 {
		t.Errorf("end of file = %d:%d, want 4:1", line, col)
	}
	if line, col := utf16Pos(f, len(src)+10); line != 4 || col != 1 {
		t.Errorf("past the end = %d:%d, want 4:1", line, col)
	}
	// A file without bytes (unreadable, S003) has only 1:1.
	empty := &fleet.File{Path: "y", Lines: srcpos.NewLines(nil)}
	if line, col := utf16Pos(empty, 5); line != 1 || col != 1 {
		t.Errorf("empty file = %d:%d, want 1:1", line, col)
	}
}

func TestRelativeURI(t *testing.T) {
	for in, want := range map[string]string{
		"prod/h1/mi-a/conf/deployment.toml": "prod/h1/mi-a/conf/deployment.toml",
		"a b/x.toml":                        "a%20b/x.toml",
		"100%/x?y#z.toml":                   "100%25/x%3Fy%23z.toml",
		"c:/x.toml":                         "c%3A/x.toml",
		"a/b:c.toml":                        "a/b:c.toml",
		"dé/x.toml":                         "d%C3%A9/x.toml",
		"../up/x.toml":                      "../up/x.toml",
	} {
		if got := relativeURI(in); got != want {
			t.Errorf("relativeURI(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestTruncateText(t *testing.T) {
	if got := truncateText("short", 10); got != "short" {
		t.Errorf("got %q", got)
	}
	long := strings.Repeat("word ", 300)
	got := truncateText(long, 1024)
	if n := len([]rune(got)); n > 1024 || !strings.HasSuffix(got, "word…") {
		t.Errorf("truncated to %d characters, ending %q", n, got[len(got)-10:])
	}
	if got := truncateText(strings.Repeat("é", 50), 10); got != strings.Repeat("é", 9)+"…" {
		t.Errorf("no word boundary: %q", got)
	}
}

func TestSemver(t *testing.T) {
	for v, want := range map[string]bool{"1.2.3": true, "0.1.0-rc.1": true, "1.0.0+build.5": true, "dev": false, "1.2": false, "01.2.3": false, "": false} {
		if got := semverRE.MatchString(v); got != want {
			t.Errorf("semver %q = %v, want %v", v, got, want)
		}
	}
}

func TestXMLEscape(t *testing.T) {
	in := "a<b>&\"c'\n\td\re\x01\x7f\xff"
	if got, want := xmlAttr(in), "a&lt;b&gt;&amp;&quot;c'&#10;&#9;d&#13;e\uFFFD\x7f\uFFFD"; got != want {
		t.Errorf("xmlAttr = %q, want %q", got, want)
	}
	if got, want := xmlText(in), "a&lt;b&gt;&amp;\"c'\n\td&#13;e\uFFFD\x7f\uFFFD"; got != want {
		t.Errorf("xmlText = %q, want %q", got, want)
	}
}
