package lint_test

import (
	"sort"
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/lint"
)

var testRules = []*lint.Rule{
	{Code: "K001", Name: "dotted-key-misuse"},
	{Code: "K005", Name: "quoted-number", Off: true},
	{Code: "O001", Name: "offset-out-of-range"},
	{Code: "O003", Name: "redundant-offset", Off: true},
	{Code: "P001", Name: "duplicate-port"},
	{Code: "P010", Name: "made-up"},
}

func codes(m map[*lint.Rule]bool) string {
	var out []string
	for r := range m {
		out = append(out, r.Code)
	}
	sort.Strings(out)
	return strings.Join(out, ",")
}

func TestSelect(t *testing.T) {
	tests := []struct {
		sel, ign []string
		want     string
		wantErr  string
	}{
		{nil, nil, "K001,O001,P001,P010", ""},
		{[]string{"ALL"}, nil, "K001,K005,O001,O003,P001,P010", ""},
		{[]string{"P"}, nil, "P001,P010", ""},
		{[]string{"P00"}, nil, "P001", ""},
		{[]string{"p001"}, nil, "P001", ""},
		{[]string{"quoted-number"}, nil, "K005", ""},
		{nil, []string{"O"}, "K001,P001,P010", ""},
		{[]string{"ALL"}, []string{"K", "duplicate-port"}, "O001,O003,P010", ""},
		{[]string{"Z9"}, nil, "", `unknown rule selector "Z9"`},
		{nil, []string{"duplicate"}, "", `unknown rule selector "duplicate"`},
		{[]string{"P001x"}, nil, "", `unknown rule selector "P001x"`},
	}
	for _, tt := range tests {
		got, err := lint.Select(testRules, tt.sel, tt.ign)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Select(%v, %v) error = %v, want %q", tt.sel, tt.ign, err, tt.wantErr)
			}
			continue
		}
		if err != nil || codes(got) != tt.want {
			t.Errorf("Select(%v, %v) = %s, %v; want %s", tt.sel, tt.ign, codes(got), err, tt.want)
		}
	}
}
