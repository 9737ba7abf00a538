package rules

import (
	"testing"

	"github.com/wso2lint/wso2lint/lint"
)

// TestRuleScopes checks that every rule says how far it looks. A rule
// left at the default, lint.FleetScope, makes every run keep every file's
// bytes and parsed document in memory (hundreds of megabytes on a large
// fleet): give it lint.HostScope if it looks at one host at a time, or
// lint.ModelScope if it looks across hosts at the fleet model only.
func TestRuleScopes(t *testing.T) {
	for _, r := range All {
		if r.Check != nil && r.Scope == lint.FleetScope {
			t.Errorf("%s (%s) has no Scope: set lint.HostScope or lint.ModelScope (see lint/stream.go)", r.Code, r.Name)
		}
	}
}
