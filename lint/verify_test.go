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
