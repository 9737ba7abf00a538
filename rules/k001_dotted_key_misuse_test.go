package rules

import (
	"testing"

	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/linttest"
)

// miToml is the deployment.toml path of the MI install h1/mi-a in tests.
const miToml = "h1/mi-a/conf/deployment.toml"

// eiServerYAML is the deployment.yaml path of an EI Analytics server
// runtime (install root h1/eia) in tests.
const eiServerYAML = "h1/eia/conf/server/deployment.yaml"

// keyRuleCase is one table-driven case of a K rule: files in, findings
// out, rendered by linttest.Describe.
type keyRuleCase struct {
	name  string
	files map[string]string
	want  []string
}

func runKeyRuleCases(t *testing.T, r *lint.Rule, tests []keyRuleCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			linttest.Check(t, linttest.Run(t, r, tt.files), tt.want)
		})
	}
}

// keyFixCase is a fix test: the file's content before and after the fix
// of the finding at index (in sorted order) is applied.
type keyFixCase struct {
	name    string
	path    string
	in, out string
	// others are further files of the fleet, if any.
	others map[string]string
	index  int
}

// runKeyFixCases applies each case's fix, compares the result and then
// lints the fixed file again: the finding must be gone, so that applying
// the fixes twice changes nothing (fix(fix(x)) == fix(x)).
func runKeyFixCases(t *testing.T, r *lint.Rule, tests []keyFixCase) {
	t.Helper()
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{tt.path: tt.in}
			for p, c := range tt.others {
				files[p] = c
			}
			got := linttest.Run(t, r, files)
			if len(got) <= tt.index {
				t.Fatalf("want a finding at index %d, got %d findings", tt.index, len(got))
			}
			fixed := linttest.ApplyFix(t, got[tt.index])
			if fixed != tt.out {
				t.Fatalf("fixed file differs\n got: %q\nwant: %q", fixed, tt.out)
			}
			files[tt.path] = fixed
			again := linttest.Run(t, r, files)
			if len(again) != len(got)-1 {
				for _, f := range again {
					t.Log(linttest.Describe(f))
				}
				t.Fatalf("after the fix %d findings remain, want %d", len(again), len(got)-1)
			}
		})
	}
}

func TestK001DottedKeyMisuse(t *testing.T) {
	runKeyRuleCases(t, DottedKeyMisuse, []keyRuleCase{
		{
			name:  "internal HTTP API port as printed on WSO2's doc page",
			files: map[string]string{miToml: "[mediation]\ninternal.http.api.port = 9191\n"},
			want: []string{
				miToml + ":2:1-2:23 K001 `mediation.internal.http.api.port` is a dotted key: TOML makes it a nested table that " +
					"WSO2 never reads, so the internal HTTP API listener stays on 9191 + offset 10 = 9201; write `internal_http_api_port`",
			},
		},
		{
			name: "HTTPS port with its own value and offset",
			files: map[string]string{miToml: "[server]\noffset = 2\n\n" +
				"[transport.http]\nlistener.port = 8281\nlistener.secured.port = 8250\n"},
			want: []string{
				miToml + ":6:1-6:22 K001 `transport.http.listener.secured.port` is a dotted key: TOML makes it a nested table that " +
					"WSO2 never reads, so the HTTPS pass-through listener stays on 8243 + offset 2 = 8245, not 8250 + 2 = 8252; " +
					"write `listener.secured_port = 8243` to say what runs, or `listener.secured_port = 8250` to move it " +
					"(unsafe: it moves the HTTPS pass-through listener 8245 → 8252)",
			},
		},
		{
			name:  "raw synapse property without quotes",
			files: map[string]string{miToml: "[synapse_properties]\ninternal.https.api.port = 9160\n"},
			want: []string{
				miToml + ":2:1-2:24 K001 `synapse_properties.internal.https.api.port` is a dotted key: TOML makes it a nested table " +
					"that WSO2 never reads, so the internal HTTPS API listener stays on 9154 + offset 10 = 9164, not 9160 + 10 = 9170; " +
					"write `'internal.https.api.port' = 9154` to say what runs, or `'internal.https.api.port' = 9160` to move it " +
					"(unsafe: it moves the internal HTTPS API listener 9164 → 9170)",
			},
		},
		{
			name:  "dotted key in the root table",
			files: map[string]string{miToml: "mediation.internal.https.api.port = 9154\n"},
			want: []string{
				miToml + ":1:1-1:34 K001 `mediation.internal.https.api.port` is a dotted key: TOML makes it a nested table that " +
					"WSO2 never reads, so the internal HTTPS API listener stays on 9154 + offset 10 = 9164; " +
					"write `mediation.internal_https_api_port`",
			},
		},
		{
			name:  "a key that is not a port",
			files: map[string]string{miToml: "[server]\nenable.mtom = true\n"},
			want: []string{
				miToml + ":2:1-2:12 K001 `server.enable.mtom` is a dotted key: TOML makes it a nested table that WSO2 never reads, " +
					"so it has no effect; write `enable_mtom`",
			},
		},
		{
			name:  "dotted table header: no rename fits",
			files: map[string]string{miToml: "[mediation.internal.http.api]\nport = 9195\n"},
			want: []string{
				miToml + ":2:1-2:5 K001 `mediation.internal.http.api.port` is a dotted key: TOML makes it a nested table that " +
					"WSO2 never reads, so the internal HTTP API listener stays on 9191 + offset 10 = 9201, not 9195 + 10 = 9205; " +
					"WSO2 reads `mediation.internal_http_api_port`",
			},
		},
		{
			name: "the flat key is already set",
			files: map[string]string{miToml: "[mediation]\ninternal_http_api_port = 9195\n" +
				"internal.http.api.port = 9191\n"},
			want: []string{
				miToml + ":3:1-3:23 K001 `mediation.internal.http.api.port` is a dotted key: TOML makes it a nested table that " +
					"WSO2 never reads, so the internal HTTP API listener stays on 9195 + offset 10 = 9205, not 9191 + 10 = 9201; " +
					"`mediation.internal_http_api_port` is already set on line 2: keep one of the two",
			},
		},
		{
			name:  "turned-off listener",
			files: map[string]string{miToml: "[mediation]\ninternal_http_api_enable = false\ninternal.http.api.port = 9195\n"},
			want: []string{
				miToml + ":3:1-3:23 K001 `mediation.internal.http.api.port` is a dotted key: TOML makes it a nested table that " +
					"WSO2 never reads, so it has no effect (the internal HTTP API listener is turned off); write `internal_http_api_port`",
			},
		},
		// Near misses: none of these may trigger.
		{
			name: "legitimately dotted keys",
			files: map[string]string{miToml: "[transport.http]\nlistener.port = 8281\nlistener.secured_port = 8244\n" +
				"listener.parameter.port = 8282\n\n[mediation]\nsynapse.command_debugger_port = 9005\ninbound.port_offset_enable = true\n"},
		},
		{
			name:  "dotted keys that open the right tables",
			files: map[string]string{miToml: "[transport]\nhttp.listener.port = 8281\n\nmediation.internal_http_api_port = 9195\n"},
		},
		{
			name:  "quoted raw key in synapse_properties",
			files: map[string]string{miToml: "[synapse_properties]\n'internal.http.api.port' = 9195\n"},
		},
		{
			name: "quoted or hyphenated keys are K002's",
			files: map[string]string{miToml: "[mediation]\n'internal.http.api.port' = 9195\n" +
				"internal-https-api-port = 9155\n"},
		},
		{
			name:  "tables WSO2 never reads are K003's",
			files: map[string]string{miToml: "[transport.https]\nlistener.port = 8263\n"},
		},
		{
			name:  "MI Dashboard file is not an MI",
			files: map[string]string{"h1/dash/conf/deployment.toml": "[server_config]\nport = 9743\n\n[mediation]\ninternal.http.api.port = 9191\n"},
		},
	})
}

func TestK001DottedKeyMisuseLocation(t *testing.T) {
	got := linttest.Run(t, DottedKeyMisuse, map[string]string{miToml: "[mediation]\ninternal.http.api.port = 9191\n"})
	if len(got) != 1 {
		t.Fatalf("want 1 finding, got %d", len(got))
	}
	f := got[0]
	if f.InstallRoot() != "h1/mi-a" || f.Key != "mediation.internal.http.api.port" {
		t.Errorf("install %q key %q, want h1/mi-a and mediation.internal.http.api.port", f.InstallRoot(), f.Key)
	}
	if f.Fix == nil || f.Fix.Applicability != lint.Safe || f.Fix.Message != "rename to `internal_http_api_port`" {
		t.Errorf("fix = %+v, want a safe rename to `internal_http_api_port`", f.Fix)
	}
}

func TestK001DottedKeyMisuseFix(t *testing.T) {
	runKeyFixCases(t, DottedKeyMisuse, []keyFixCase{
		{
			name: "comments and spacing kept",
			path: miToml,
			in:   "[mediation]\n# from the doc page\ninternal.http.api.port   =  9191 # keep me\nsynapse.core_threads = 20\n",
			out:  "[mediation]\n# from the doc page\ninternal_http_api_port   =  9191 # keep me\nsynapse.core_threads = 20\n",
		},
		{
			name: "CRLF file without a final newline",
			path: miToml,
			in:   "[transport.http]\r\nlistener.port = 8281\r\nlistener.secured.port = 8243",
			out:  "[transport.http]\r\nlistener.port = 8281\r\nlistener.secured_port = 8243",
		},
		{
			name: "dotted key inside an inline table",
			path: miToml,
			in:   "[transport]\nhttp = { listener.port = 8281, listener.secured.port = 8243 }\n",
			out:  "[transport]\nhttp = { listener.port = 8281, listener.secured_port = 8243 }\n",
		},
		{
			name: "raw synapse property gets quotes",
			path: miToml,
			in:   "[synapse_properties]\ninternal.http.api.port = \"9191\"\n",
			out:  "[synapse_properties]\n'internal.http.api.port' = \"9191\"\n",
		},
		{
			name: "WSO2's doc page value: the safe fix writes the port that runs",
			path: miToml,
			in:   "[mediation]\ninternal.http.api.port = 9201 # from the doc page\n",
			out:  "[mediation]\ninternal_http_api_port = 9191 # from the doc page\n",
		},
		{
			name: "a quoted port keeps its quotes",
			path: miToml,
			in:   "[server]\noffset = 3\n[transport.http]\nlistener.secured.port = '8250'\n",
			out:  "[server]\noffset = 3\n[transport.http]\nlistener.secured_port = '8243'\n",
		},
		{
			name: "dotted key in the root table keeps its table",
			path: miToml,
			in:   "# MI\nmediation.internal.http.api.port = 9191\n\n[server]\nhostname = \"mi\"\n",
			out:  "# MI\nmediation.internal_http_api_port = 9191\n\n[server]\nhostname = \"mi\"\n",
		},
	})
}

// TestK00xDocExamples checks the examples that `wso2lint explain` prints
// for the K rules: the bad example triggers the rule, the good one does
// not, and where the rule has a fix, fixing the bad example gives the
// good one.
func TestK00xDocExamples(t *testing.T) {
	for _, r := range []*lint.Rule{DottedKeyMisuse, UnknownKey, IgnoredTable, InvalidValue, QuotedNumber} {
		t.Run(r.Code, func(t *testing.T) {
			d := r.Doc
			if d.Title == "" || d.Rationale == "" || d.Bad == "" || d.Good == "" || (r.Fix != lint.NoFix) != (d.FixNote != "") {
				t.Fatalf("incomplete doc: %+v", d)
			}
			if d.BadFile != "conf/deployment.toml" {
				t.Fatalf("BadFile %q: the test only knows conf/deployment.toml", d.BadFile)
			}
			bad := linttest.Run(t, r, map[string]string{miToml: d.Bad})
			if len(bad) != 1 {
				t.Fatalf("bad example gives %d findings, want 1", len(bad))
			}
			if good := linttest.Run(t, r, map[string]string{miToml: d.Good}); len(good) != 0 {
				t.Errorf("good example gives a finding: %s", linttest.Describe(good[0]))
			}
			if r.Fix == lint.NoFix {
				if bad[0].Fix != nil {
					t.Errorf("rule without a fix offers one: %+v", bad[0].Fix)
				}
				return
			}
			if bad[0].Fix == nil || bad[0].Fix.Applicability != r.Fix {
				t.Fatalf("fix %+v, want applicability %v", bad[0].Fix, r.Fix)
			}
			if got := linttest.ApplyFix(t, bad[0]); got != d.Good {
				t.Errorf("fixing the bad example gives %q, want the good one %q", got, d.Good)
			}
		})
	}
}

// TestK001KeepsTheListener: the safe fix keeps the listener where it runs;
// the rename that moves it is an unsafe alternative that --fix never
// applies.
func TestK001KeepsTheListener(t *testing.T) {
	got := linttest.Run(t, DottedKeyMisuse, map[string]string{miToml: "[mediation]\ninternal.http.api.port = 9201\n"})
	if len(got) != 1 {
		t.Fatalf("want 1 finding, got %d", len(got))
	}
	f := got[0]
	if f.Fix == nil || f.Fix.Applicability != lint.Safe {
		t.Fatalf("fix = %+v, want a safe one", f.Fix)
	}
	if out := linttest.ApplyFix(t, f); out != "[mediation]\ninternal_http_api_port = 9191\n" {
		t.Errorf("safe fix gives %q", out)
	}
	if len(f.Alternatives) != 1 || f.Alternatives[0].Applicability != lint.Unsafe ||
		f.Alternatives[0].Message != "rename to `internal_http_api_port` keeping 9201 (moves the internal HTTP API listener 9201 → 9211)" {
		t.Fatalf("alternatives = %+v", f.Alternatives)
	}
	alt := *f
	alt.Fix = f.Alternatives[0]
	if out := linttest.ApplyFix(t, &alt); out != "[mediation]\ninternal_http_api_port = 9201\n" {
		t.Errorf("the alternative gives %q", out)
	}
}
