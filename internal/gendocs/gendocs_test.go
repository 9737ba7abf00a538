package gendocs

import (
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/rules"
)

// TestDocsAreCurrent fails when docs/rules or the README's rule table
// differ from what the rules' data generates: run `go generate ./...`.
func TestDocsAreCurrent(t *testing.T) {
	root := filepath.Join("..", "..")
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	files, err := Files(rules.All, readme)
	if err != nil {
		t.Fatal(err)
	}
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		got, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(name)))
		if err != nil || string(got) != string(files[name]) {
			t.Errorf("%s is stale: run `go generate ./...`", name)
		}
	}
	// No page may outlive its rule.
	pages, _ := filepath.Glob(filepath.Join(root, "docs", "rules", "*.md"))
	for _, p := range pages {
		name := "docs/rules/" + filepath.Base(p)
		if _, ok := files[name]; !ok {
			t.Errorf("%s documents no rule: delete it", name)
		}
	}
}

// TestEveryRuleDocumented keeps the catalogue complete: a rule is not done
// without its title, rationale, examples and, when it fixes, a fix note.
func TestEveryRuleDocumented(t *testing.T) {
	seen := map[string]bool{}
	prev := ""
	for _, r := range rules.All {
		// The catalogue's order: families S, K, O,
		// P, R, C, X; codes ascending within a family.
		if key := catalogueKey(r.Code); key <= prev {
			t.Errorf("rules.All is out of catalogue order at %s", r.Code)
		} else {
			prev = key
		}
		if seen[r.Name] {
			t.Errorf("duplicate rule name %s", r.Name)
		}
		seen[r.Name] = true
		d := r.Doc
		if d.Title == "" || d.Rationale == "" || d.Bad == "" || d.Good == "" || d.BadFile == "" {
			t.Errorf("%s: documentation incomplete (title, rationale, bad/good example, file)", r.Code)
		}
		if strings.HasSuffix(d.Title, ".") || strings.ToLower(d.Title[:1]) != d.Title[:1] {
			t.Errorf("%s: title %q should start lower case and end without a period", r.Code, d.Title)
		}
		if (r.Fix != 0) != (d.FixNote != "") {
			t.Errorf("%s: a rule with a fix needs a fix note, and only such a rule", r.Code)
		}
		if r.Check == nil && r.Code != "X001" && r.Code != "X002" {
			t.Errorf("%s: no check", r.Code)
		}
	}
}

func catalogueKey(code string) string {
	return string(rune('a'+strings.IndexByte("SKOPRCX", code[0]))) + code[1:]
}
