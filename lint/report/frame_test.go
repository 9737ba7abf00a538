package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/srcpos"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/report"
)

// memFile is a loaded file made in memory, for code-frame cases that are
// awkward to write to disk (a BOM, control characters, huge lines).
func memFile(src string) *fleet.File {
	return &fleet.File{Path: "x.toml", Src: []byte(src), Lines: srcpos.NewLines([]byte(src))}
}

// frameOf renders one finding as text and returns its lines after the
// header, without the trailing blank line.
func frameOf(t *testing.T, f *fleet.File, sp srcpos.Span) []string {
	t.Helper()
	fd := &lint.Finding{Rule: &lint.Rule{Code: "T001", Name: "t"}, Severity: lint.Warning, File: f, Span: sp, Message: "m"}
	var buf bytes.Buffer
	if err := report.Text(&buf, []*lint.Finding{fd}, report.Options{}); err != nil {
		t.Fatal(err)
	}
	out := strings.Split(strings.TrimSuffix(buf.String(), "\n\n"), "\n")
	return out[1:]
}

func TestTextFrames(t *testing.T) {
	long := strings.Repeat("a", 150) + "PORT=1" + strings.Repeat("b", 150)
	huge := strings.Repeat("c", 500)
	cases := []struct {
		name string
		src  string
		span srcpos.Span
		want []string
	}{
		{"long line is cut around the span", long + "\n", srcpos.Span{Start: 150, End: 156}, []string{
			"  |",
			"1 | …" + strings.Repeat("a", 60) + "PORT=1" + strings.Repeat("b", 60) + "…",
			"  | " + strings.Repeat(" ", 61) + "^^^^^^",
			"  |",
		}},
		{"long span on a long line is capped", huge, srcpos.Span{Start: 0, End: 400}, []string{
			"  |",
			"1 | " + strings.Repeat("c", 200) + "…",
			"  | " + strings.Repeat("^", 200),
			"  |",
		}},
		{"control characters are shown, not sent", "a = 1\x1b[31m\r\x7f\n", srcpos.Span{Start: 4, End: 5}, []string{
			"  |",
			"1 | a = 1␛[31m␍␡",
			"  |     ^",
			"  |",
		}},
		{"CRLF line ending is not shown", "a = 1\r\nb = 2\r\n", srcpos.Span{Start: 7, End: 8}, []string{
			"  |",
			"2 | b = 2",
			"  | ^",
			"  |",
		}},
		{"byte-order mark is hidden", "\ufeffport = 1\n", srcpos.Span{Start: 3, End: 7}, []string{
			"  |",
			"1 | port = 1",
			"  | ^^^^",
			"  |",
		}},
		{"span on the line break points after the text", "a = 1\nb = 2\n", srcpos.Span{Start: 5, End: 6}, []string{
			"  |",
			"1 | a = 1",
			"  |      ^",
			"  |",
		}},
		{"zero-width span at the end of a file without newline", "a = 1", srcpos.Span{Start: 5, End: 5}, []string{
			"  |",
			"1 | a = 1",
			"  |      ^",
			"  |",
		}},
		{"empty file", "", srcpos.Span{}, []string{
			"  |",
			"1 |",
			"  | ^",
			"  |",
		}},
		{"tab inside the span fills to the tab stop", "a\t= 1\n", srcpos.Span{Start: 0, End: 5}, []string{
			"  |",
			"1 | a\t= 1",
			"  | ^^^^^^^",
			"  |",
		}},
		{"wide characters get one caret each", "k = \"日本語\"\n", srcpos.Span{Start: 4, End: 15}, []string{
			"  |",
			"1 | k = \"日本語\"",
			"  |     ^^^^^",
			"  |",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := frameOf(t, memFile(c.src), c.span)
			if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
				t.Errorf("frame\n got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(c.want, "\n"))
			}
		})
	}
}

func TestTextUnreadableFileHasNoFrame(t *testing.T) {
	f := &fleet.File{Path: "x.toml", Lines: srcpos.NewLines(nil), Problem: &fleet.Problem{Code: "S003", Message: "permission denied"}}
	got := frameOf(t, f, srcpos.Span{})
	if len(got) != 0 {
		t.Errorf("unexpected frame for an unreadable file: %q", got)
	}
}
