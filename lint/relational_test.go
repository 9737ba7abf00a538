package lint_test

import (
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/linttest"
	"github.com/wso2lint/wso2lint/rules"
)

// relFleet has mi-a and mi-b at the default offset on one host: one P001
// between them, on mi-b unless a change touched mi-a.
var relFleet = map[string]string{
	"h1/mi-a/conf/deployment.toml": "[server]\nhostname = \"a\"\n",
	"h1/mi-b/conf/deployment.toml": "[server]\nhostname = \"b\"\n",
}

func runRelational(t *testing.T, files map[string]string, opt lint.Options) []*lint.Finding {
	t.Helper()
	return runRelationalOn(t, linttest.Fleet(t, files, fleet.Options{}), opt)
}

func runRelationalOn(t *testing.T, fl *fleet.Fleet, opt lint.Options) []*lint.Finding {
	t.Helper()
	enabled, err := lint.Select(rules.All, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	opt.Rules, opt.Enabled = rules.All, enabled
	fs, err := lint.Run(fl, opt)
	if err != nil {
		t.Fatal(err)
	}
	return fs
}

// TestRelationalFingerprintIgnoresPrimary checks that a finding relating
// two files has the same fingerprint whichever side is primary, so that a
// baseline written on a whole-tree run matches it in a run where a change
// under review made the other side primary.
func TestRelationalFingerprintIgnoresPrimary(t *testing.T) {
	plain := runRelational(t, relFleet, lint.Options{})
	touched := runRelational(t, relFleet, lint.Options{Touched: map[string]bool{"h1/mi-a/conf/deployment.toml": true}})
	if len(plain) != 1 || len(touched) != 1 {
		t.Fatalf("want one P001 each: %v / %v", describeAll(plain), describeAll(touched))
	}
	if plain[0].File.Path != "h1/mi-b/conf/deployment.toml" || touched[0].File.Path != "h1/mi-a/conf/deployment.toml" {
		t.Fatalf("primary sides: %s, %s", plain[0].File.Path, touched[0].File.Path)
	}
	if plain[0].Fingerprint != touched[0].Fingerprint {
		t.Errorf("fingerprints differ: %s (mi-b primary), %s (mi-a primary)", plain[0].Fingerprint, touched[0].Fingerprint)
	}
	b := lint.NewBaseline(plain)
	if stale := b.Apply(touched); len(stale) != 0 || !touched[0].Suppressed {
		t.Errorf("the baseline written with mi-b primary does not match mi-a primary: stale %v", stale)
	}
}

// TestRelationalSuppressionAtEitherSide checks that a suppression at the
// related location (the other install's [server] header) covers a
// relational finding, and is then not unused, as one at the primary does.
func TestRelationalSuppressionAtEitherSide(t *testing.T) {
	files := map[string]string{
		"h1/mi-a/conf/deployment.toml": "# wso2lint: ignore[P001] only one of the two runs at a time\n[server]\nhostname = \"a\"\n",
		"h1/mi-b/conf/deployment.toml": "[server]\nhostname = \"b\"\n",
	}
	got := describeAll(runRelational(t, files, lint.Options{}))
	if len(got) != 1 || got[0] != "h1/mi-b/conf/deployment.toml:1:1-1:9 P001 h1/mi-b and h1/mi-a both run at offset 10 on host h1 and share 4 ports: "+
		"8290 (HTTP pass-through), 8253 (HTTPS pass-through), 9201 (internal HTTP API) and 9164 (internal HTTPS API) (suppressed: only one of the two runs at a time)" {
		t.Errorf("findings:\n%v", got)
	}
	// An ignore-file in the other install's file covers it too.
	files["h1/mi-a/conf/deployment.toml"] = "# wso2lint: ignore-file[P001] staging pair\n[server]\nhostname = \"a\"\n"
	fs := runRelational(t, files, lint.Options{})
	if len(fs) != 1 || !fs[0].Suppressed || fs[0].SuppressedBy != "staging pair" {
		t.Errorf("ignore-file in the related file: %v", describeAll(fs))
	}
}

// TestRelationalTargets checks that naming either file of a relational
// finding reports it, and naming a file it does not relate does not.
func TestRelationalTargets(t *testing.T) {
	files := map[string]string{
		"h1/mi-a/conf/deployment.toml": "[server]\nhostname = \"a\"\n",
		"h1/mi-b/conf/deployment.toml": "[server]\nhostname = \"b\"\n",
		"h1/mi-c/conf/deployment.toml": "[server]\noffset = 30\n",
	}
	for _, tc := range []struct {
		target string
		want   int
	}{{"h1/mi-a/conf/deployment.toml", 1}, {"h1/mi-b/conf/deployment.toml", 1}, {"h1/mi-c/conf/deployment.toml", 0}} {
		fl := linttest.Fleet(t, files, fleet.Options{})
		fl.Targets = map[string]bool{tc.target: true}
		fs := runRelationalOn(t, fl, lint.Options{})
		if len(fs) != tc.want {
			t.Errorf("named %s: %d findings, want %d: %v", tc.target, len(fs), tc.want, describeAll(fs))
		}
		if tc.want == 1 && fs[0].File.Path != tc.target {
			t.Errorf("named %s: the finding is on %s, want the named install", tc.target, fs[0].File.Path)
		}
	}
}
