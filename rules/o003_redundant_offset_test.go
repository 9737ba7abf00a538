package rules

import (
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/linttest"
)

func TestO003RedundantOffset(t *testing.T) {
	const toml = "h1/mi-a/conf/deployment.toml"
	tests := []struct {
		name  string
		files map[string]string
		env   map[string]string
		want  []string
		fixed string // content of toml after the fix; "" when no fix
	}{
		{
			name:  "offset 10",
			files: map[string]string{toml: "[server]\nhostname = \"a\"\noffset = 10\n\n[mediation]\n"},
			want: []string{
				"h1/mi-a/conf/deployment.toml:3:1-3:12 O003 offset 10 is the built-in default: without this line every port stays the same " +
					"(the HTTP pass-through listener stays on 8280 + offset 10 = 8290)",
			},
			fixed: "[server]\nhostname = \"a\"\n\n[mediation]\n",
		},
		{
			name: "quoted, with comments around it",
			files: map[string]string{toml: "[server]\n# keep the offset explicit\n  offset = \"10\" # default\n" +
				"hostname = \"a\"\n\n[transport.http]\nlistener.port = 8300\n"},
			want: []string{
				"h1/mi-a/conf/deployment.toml:3:3-3:16 O003 offset 10 is the built-in default: without this line every port stays the same " +
					"(the HTTP pass-through listener stays on 8300 + offset 10 = 8310)",
			},
			fixed: "[server]\n# keep the offset explicit\nhostname = \"a\"\n\n[transport.http]\nlistener.port = 8300\n",
		},
		{
			name:  "CRLF",
			files: map[string]string{toml: "[server]\r\noffset = 10\r\n[mediation]\r\n"},
			want: []string{
				"h1/mi-a/conf/deployment.toml:2:1-2:12 O003 offset 10 is the built-in default: without this line every port stays the same " +
					"(the HTTP pass-through listener stays on 8280 + offset 10 = 8290)",
			},
			fixed: "[server]\r\n[mediation]\r\n",
		},
		{
			name:  "last line without a line break",
			files: map[string]string{toml: "[server]\noffset = 10"},
			want: []string{
				"h1/mi-a/conf/deployment.toml:2:1-2:12 O003 offset 10 is the built-in default: without this line every port stays the same " +
					"(the HTTP pass-through listener stays on 8280 + offset 10 = 8290)",
			},
			fixed: "[server]\n",
		},
		{
			name:  "top-level dotted key",
			files: map[string]string{toml: "server.offset = 10\n[mediation]\n"},
			want: []string{
				"h1/mi-a/conf/deployment.toml:1:1-1:19 O003 offset 10 is the built-in default: without this line every port stays the same " +
					"(the HTTP pass-through listener stays on 8280 + offset 10 = 8290)",
			},
			fixed: "[mediation]\n",
		},
		{
			name:  "inline table: reported, not fixed",
			files: map[string]string{toml: "server = { offset = 10, hostname = \"a\" }\n"},
			want: []string{
				"h1/mi-a/conf/deployment.toml:1:12-1:23 O003 offset 10 is the built-in default: without this line every port stays the same " +
					"(the HTTP pass-through listener stays on 8280 + offset 10 = 8290)",
			},
		},
		{
			name:  "a disabled HTTP listener: the arithmetic uses the next one",
			files: map[string]string{toml: "[server]\noffset = 10\n[transport.http]\nlistener.enable = false\n"},
			want: []string{
				"h1/mi-a/conf/deployment.toml:2:1-2:12 O003 offset 10 is the built-in default: without this line every port stays the same " +
					"(the HTTPS pass-through listener stays on 8243 + offset 10 = 8253)",
			},
			fixed: "[server]\n[transport.http]\nlistener.enable = false\n",
		},
		// Near misses.
		{
			name:  "another offset",
			files: map[string]string{toml: "[server]\noffset = 11\n"},
		},
		{
			name:  "no offset",
			files: map[string]string{toml: "[server]\nhostname = \"a\"\n"},
		},
		{
			name: "start-up flag present",
			files: map[string]string{
				toml:                              "[server]\noffset = 10\n",
				"h1/mi-a/bin/micro-integrator.sh": "JAVA_OPTS=\"-DportOffset=10\"\n",
			},
		},
		{
			name:  "placeholder resolving to 10",
			files: map[string]string{toml: "[server]\noffset = \"$env{OFF}\"\n"},
			env:   map[string]string{"OFF": "10"},
		},
		{
			name:  "EI Analytics offset is not MI's default",
			files: map[string]string{"h1/eia/conf/server/deployment.yaml": "wso2.carbon:\n  ports:\n    offset: 10\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := linttest.RunWith(t, RedundantOffset, tt.files, fleet.Options{Env: tt.env})
			linttest.Check(t, got, tt.want)
			for _, f := range got {
				if tt.fixed == "" {
					if f.Fix != nil {
						t.Errorf("unexpected fix %q", f.Fix.Message)
					}
					continue
				}
				if f.Fix == nil || f.Fix.Applicability != lint.Safe {
					t.Fatalf("want a safe fix, got %+v", f.Fix)
				}
				if got := linttest.ApplyFix(t, f); got != tt.fixed {
					t.Errorf("fixed file differs\n got: %q\nwant: %q", got, tt.fixed)
				}
			}
		})
	}
}
