package lint

import (
	"regexp"
	"testing"
)

// TestIsDirective checks the directive test against the regular
// expression it replaced, on directives and near misses.
func TestIsDirective(t *testing.T) {
	re := regexp.MustCompile(`^#\s*wso2lint\s*:`)
	for _, text := range []string{
		"# wso2lint: ignore[P001] two test instances",
		"#wso2lint:ignore[P001] x",
		"#\t wso2lint \t: ignore-file[K002] x",
		"# wso2lint:",
		"# wso2lint ignore[P001] x",
		"# wso2lint; ignore[P001] x",
		"# wso2lints: ignore[P001] x",
		"# WSO2LINT: ignore[P001] x",
		"## wso2lint: ignore[P001] x",
		" # wso2lint: ignore[P001] x",
		"# see wso2lint: docs",
		"# wso2",
		"#",
		"",
		"wso2lint:",
		"#\f\r\nwso2lint\n\t:",
		"#\vwso2lint:",
		"# wso2lint\v:",
	} {
		if got, want := isDirective(text), re.MatchString(text); got != want {
			t.Errorf("isDirective(%q) = %v, want %v", text, got, want)
		}
	}
}
