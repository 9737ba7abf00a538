package report_test

import (
	"path/filepath"
	"sort"
	"testing"
	"time"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/rules"
)

// exampleRun is a real run of the engine over the example fleet under
// testdata/examples, with the default rule selection, as `wso2lint
// testdata/examples/fleet` run from the repository root would do it: the
// display paths read testdata/examples/fleet/....
type exampleRun struct {
	Fleet    *fleet.Fleet
	Enabled  map[*lint.Rule]bool
	Files    []string
	Findings []*lint.Finding
}

func runExamples(t *testing.T) exampleRun {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	fl, err := fleet.Load([]string{"testdata/examples/fleet"}, fleet.Options{WorkDir: root})
	if err != nil {
		t.Fatal(err)
	}
	enabled, err := lint.Select(rules.All, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	findings, err := lint.Run(fl, lint.Options{
		Rules: rules.All, Enabled: enabled,
		Today: time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC),
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(findings) == 0 {
		t.Fatal("the example fleet has no findings")
	}
	files := make([]string, 0, len(fl.Files))
	for _, f := range fl.Files {
		files = append(files, f.Path)
	}
	sort.Strings(files)
	return exampleRun{Fleet: fl, Enabled: enabled, Files: files, Findings: findings}
}
