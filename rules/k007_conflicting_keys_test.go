package rules

import (
	"testing"

	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/linttest"
)

func TestK007ConflictingKeys(t *testing.T) {
	runKeyRuleCases(t, ConflictingKeys, []keyRuleCase{
		{
			name: "the HTTPS port twice, different values",
			files: map[string]string{miToml: "[transport.http]\nlistener.secured_port = 8244\n\n" +
				"[transport.https]\nlistener.parameter.port = 8300\n"},
			want: []string{
				miToml + ":5:1-5:24 K007 `transport.https.listener.parameter.port` and `transport.http.listener.secured_port` on line 2 " +
					"both set `transport.https.listener.parameter.port`: WSO2's config mapper keeps one of the two, and which one is not " +
					"specified (8244 or 8300); keep the one that is meant",
			},
		},
		{
			name: "the internal API port and its raw property, same value",
			files: map[string]string{miToml: "[mediation]\ninternal_http_api_port = 9195\n\n" +
				"[synapse_properties]\n'internal.http.api.port' = 9195\n"},
			want: []string{
				miToml + ":5:1-5:25 K007 `synapse_properties.'internal.http.api.port'` and `mediation.internal_http_api_port` on line 2 " +
					"both set `synapse_properties.'internal.http.api.port'`: WSO2's config mapper keeps one of the two, and which one " +
					"is not specified; both say 9195, so the line is redundant",
			},
		},
		{
			name:  "near miss: the canonical key alone, and a raw key of another listener",
			files: map[string]string{miToml: "[transport.http]\nlistener.secured_port = 8244\nlistener.parameter.port = 8281\n"},
		},
		{
			name: "near miss: a raw key alone, and keys of array elements",
			files: map[string]string{miToml: "[transport.https]\nlistener.parameter.port = 8300\n\n" +
				"[[datasource]]\nid = \"a\"\n[[datasource]]\nid = \"b\"\n"},
		},
	})
}

// TestK007Fix: the redundant line goes, and only when the values agree.
func TestK007Fix(t *testing.T) {
	got := linttest.Run(t, ConflictingKeys, map[string]string{miToml: "[mediation]\ninternal_http_api_port = 9195 # api\n\n" +
		"[synapse_properties]\n'internal.http.api.port' = 9195 # raw\n'x' = 1\n"})
	if len(got) != 1 || got[0].Fix == nil || got[0].Fix.Applicability != lint.Safe {
		t.Fatalf("want one finding with a safe fix, got %+v", got)
	}
	if out, want := linttest.ApplyFix(t, got[0]), "[mediation]\ninternal_http_api_port = 9195 # api\n\n[synapse_properties]\n'x' = 1\n"; out != want {
		t.Errorf("fixed:\n%s\nwant:\n%s", out, want)
	}
	got = linttest.Run(t, ConflictingKeys, map[string]string{miToml: "[transport.http]\nlistener.secured_port = 8244\n[transport.https]\nlistener.parameter.port = 8300\n"})
	if len(got) != 1 || got[0].Fix != nil {
		t.Errorf("different values: want one finding without a fix, got %+v", got)
	}
}
