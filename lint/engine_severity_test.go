package lint

import "testing"

func TestSeverityOf(t *testing.T) {
	r := &Rule{Code: "C007", Severity: Error}
	sure, doubt := &Finding{Rule: r}, &Finding{Rule: r, Tentative: true}
	for _, tc := range []struct {
		f         *Finding
		overrides map[string]Severity
		want      Severity
	}{
		{sure, nil, Error},
		{doubt, nil, Info},
		{sure, map[string]Severity{"C007": Warning}, Warning},
		{doubt, map[string]Severity{"C007": Warning}, Warning},
		{doubt, map[string]Severity{"C006": Warning}, Info},
	} {
		if got := SeverityOf(tc.f, tc.overrides); got != tc.want {
			t.Errorf("tentative %v, overrides %v: %v, want %v", tc.f.Tentative, tc.overrides, got, tc.want)
		}
	}
}
