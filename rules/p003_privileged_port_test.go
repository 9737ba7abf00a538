package rules

import (
	"testing"

	"github.com/wso2lint/wso2lint/lint/linttest"
)

func TestP003PrivilegedPort(t *testing.T) {
	const toml = "h1/mi-a/conf/deployment.toml"
	tests := []struct {
		name  string
		files map[string]string
		want  []string
	}{
		{
			name:  "offset 0 and a port below 1024",
			files: map[string]string{toml: "[server]\noffset = 0\n\n[transport.http]\nlistener.secured_port = 443\n"},
			want: []string{
				"h1/mi-a/conf/deployment.toml:5:1-5:28 P003 port 443 of the HTTPS pass-through listener (443 + offset 0 = 443) is below 1024: " +
					"binding it needs root or CAP_NET_BIND_SERVICE",
			},
		},
		{
			name:  "the offset takes it to 1023",
			files: map[string]string{toml: "[transport.http]\nlistener.port = 1013\n"},
			want: []string{
				"h1/mi-a/conf/deployment.toml:2:1-2:21 P003 port 1023 of the HTTP pass-through listener (1013 + offset 10 = 1023) is below 1024: " +
					"binding it needs root or CAP_NET_BIND_SERVICE",
			},
		},
		{
			name:  "MI Dashboard",
			files: map[string]string{"h1/dash/conf/deployment.toml": "[server_config]\nport = 443\n"},
			want: []string{
				"h1/dash/conf/deployment.toml:2:1-2:11 P003 port 443 of the MI Dashboard listener (443, no offset) is below 1024: " +
					"binding it needs root or CAP_NET_BIND_SERVICE",
			},
		},
		// Near misses.
		{
			name:  "the offset takes it to 1024",
			files: map[string]string{toml: "[transport.http]\nlistener.port = 1014\n"},
		},
		{
			name:  "443 plus the default offset is 453",
			files: map[string]string{toml: "[transport.http]\nlistener.secured_port = 1443\n"},
		},
		{
			name:  "unverified listener",
			files: map[string]string{toml: "[server]\noffset = 0\n[transport.tcp]\nlistener.enable = true\nlistener.port = 80\n"},
		},
		{
			name:  "below 1 is out of range, not privileged",
			files: map[string]string{toml: "[server]\noffset = -9500\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			linttest.Check(t, linttest.Run(t, PrivilegedPort, tt.files), tt.want)
		})
	}
}
