package lint_test

import (
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/yamlast"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/rewrite"
)

// TestVerifyEditInsideScalar checks that an edit inside a YAML scalar (a
// port within a compose "8243:8243") counts as touching that value, while
// a change to any other value is still caught.
func TestVerifyEditInsideScalar(t *testing.T) {
	src := []byte("services:\n  mi:\n    ports:\n      - \"8243:8243\"\n      - \"8290:8290\"\n")
	doc, err := yamlast.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	f := &fleet.File{Path: "compose.yaml", Format: fleet.YAML, Src: src, YAML: doc}
	at := strings.Index(string(src), "8243\"") // the container side
	edit := rewrite.Edit{Path: f.Path, Start: at, End: at + 4, New: "8253"}
	fixed, err := rewrite.Apply(src, []rewrite.Edit{edit})
	if err != nil {
		t.Fatal(err)
	}
	if err := lint.Verify(f, fixed, []rewrite.Edit{edit}); err != nil {
		t.Errorf("an edit inside a scalar was refused: %v", err)
	}
	// The same edit, but the other entry changed too.
	worse := []byte(strings.Replace(string(fixed), "8290:8290", "8290:8291", 1))
	if err := lint.Verify(f, worse, []rewrite.Edit{edit}); err == nil {
		t.Errorf("a change outside the edit was not caught")
	}
}

// TestVerifyEditInsideBlockScalar checks that an edit of a block scalar's
// lines, or a line inserted right after them, counts as touching the
// block (a fix of the config a ConfigMap carries), while a change to the
// next key is still caught.
func TestVerifyEditInsideBlockScalar(t *testing.T) {
	src := []byte("data:\n  deployment.toml: |\n    [server]\n    offset = 3\n  other: x\n")
	doc, err := yamlast.Parse(src)
	if err != nil {
		t.Fatal(err)
	}
	f := &fleet.File{Path: "cm.yaml", Format: fleet.YAML, Src: src, YAML: doc}
	end := strings.Index(string(src), "  other")
	for _, e := range []rewrite.Edit{
		{Path: f.Path, Start: end - 2, End: end - 1, New: "4"},              // inside
		{Path: f.Path, Start: end, End: end, New: "    hostname = \"h\"\n"}, // after its last line
	} {
		fixed, err := rewrite.Apply(src, []rewrite.Edit{e})
		if err != nil {
			t.Fatal(err)
		}
		if err := lint.Verify(f, fixed, []rewrite.Edit{e}); err != nil {
			t.Errorf("edit %+v of the block was refused: %v", e, err)
		}
		worse := []byte(strings.Replace(string(fixed), "other: x", "other: y", 1))
		if err := lint.Verify(f, worse, []rewrite.Edit{e}); err == nil {
			t.Errorf("edit %+v: a change to the next key was not caught", e)
		}
	}
}
