package report

import (
	"encoding/json"
	"testing"
)

func TestEscape(t *testing.T) {
	tests := []struct{ in, want string }{
		{"prod/edge-1/mi-a/conf/deployment.toml", "prod/edge-1/mi-a/conf/deployment.toml"},
		{"host é/ü.toml", "host é/ü.toml"},
		{`C:\wso2\mi`, `C:\wso2\mi`},
		{"a\nb\rc\td", `a\nb\rc\td`},
		{"\x1b[31mred\x1b[0m", `\x1b[31mred\x1b[0m`},
		{"bell\x07 del\x7f", `bell\x07 del\x7f`},
		{"csi\u009b31m", `csi\u009b31m`},
		{"txt.\u202egnp.exe", `txt.\u202egnp.exe`},
		{"iso\u2066x\u2069 mark\u200f", `iso\u2066x\u2069 mark\u200f`},
		{"bad\xffbyte", `bad\xffbyte`},
	}
	for _, tt := range tests {
		if got := Escape(tt.in); got != tt.want {
			t.Errorf("Escape(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestEscapeEncoded checks that the rewritten JSON decodes to the same
// value and holds none of the characters raw.
func TestEscapeEncoded(t *testing.T) {
	in, err := json.Marshal(map[string]string{"file": "a\u009b31m\u202e\u2028b é"})
	if err != nil {
		t.Fatal(err)
	}
	out := EscapeEncoded(in, false)
	if string(out) != `{"file":"a\u009b31m\u202e\u2028b é"}` {
		t.Errorf("JSON: %s", out)
	}
	var back map[string]string
	if err := json.Unmarshal(out, &back); err != nil || back["file"] != "a\u009b31m\u202e\u2028b é" {
		t.Errorf("decodes to %q, %v", back, err)
	}
	if got := string(EscapeEncoded([]byte("<f name=\"a\u009bb\"/>"), true)); got != `<f name="a&#x9b;b"/>` {
		t.Errorf("XML: %s", got)
	}
}
