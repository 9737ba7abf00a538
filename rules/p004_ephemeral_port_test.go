package rules

import (
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/linttest"
)

func TestP004EphemeralPort(t *testing.T) {
	const toml = "h1/mi-a/conf/deployment.toml"
	tests := []struct {
		name  string
		files map[string]string
		// eph overrides the ephemeral range when set.
		eph  [2]int
		want []string
	}{
		{
			name:  "inside the default range",
			files: map[string]string{toml: "[server]\noffset = 2\n\n[transport.http]\nlistener.port = 40000\n"},
			want: []string{
				"h1/mi-a/conf/deployment.toml:5:1-5:22 P004 port 40002 of the HTTP pass-through listener (40000 + offset 2 = 40002) is in the ephemeral range 32768–60999, " +
					"where random ports such as the JVM's JMX connector can take it first",
			},
		},
		{
			name:  "both ends are inclusive",
			files: map[string]string{toml: "[transport.http]\nlistener.port = 32758\nlistener.secured_port = 60989\n"},
			want: []string{
				"h1/mi-a/conf/deployment.toml:2:1-2:22 P004 port 32768 of the HTTP pass-through listener (32758 + offset 10 = 32768) is in the ephemeral range 32768–60999, " +
					"where random ports such as the JVM's JMX connector can take it first",
				"h1/mi-a/conf/deployment.toml:3:1-3:30 P004 port 60999 of the HTTPS pass-through listener (60989 + offset 10 = 60999) is in the ephemeral range 32768–60999, " +
					"where random ports such as the JVM's JMX connector can take it first",
			},
		},
		{
			name: "EI Analytics receiver",
			files: map[string]string{"h1/eia/conf/server/deployment.yaml": "databridge.config:\n  dataReceivers:\n" +
				"    - dataReceiver:\n        type: Thrift\n        properties:\n          tcpPort: '40000'\n"},
			want: []string{
				"h1/eia/conf/server/deployment.yaml:6:11-6:27 P004 port 40000 of the server listener thrift-tcp (40000 + offset 0 = 40000) is in the ephemeral range 32768–60999, " +
					"where random ports such as the JVM's JMX connector can take it first",
			},
		},
		{
			name:  "a configured range",
			files: map[string]string{toml: "[transport.http]\nlistener.port = 9990\n"},
			eph:   [2]int{10000, 20000},
			want: []string{
				"h1/mi-a/conf/deployment.toml:2:1-2:21 P004 port 10000 of the HTTP pass-through listener (9990 + offset 10 = 10000) is in the ephemeral range 10000–20000, " +
					"where random ports such as the JVM's JMX connector can take it first",
			},
		},
		// Near misses.
		{
			name:  "just below and just above the default range",
			files: map[string]string{toml: "[transport.http]\nlistener.port = 32757\nlistener.secured_port = 60990\n"},
		},
		{
			name:  "default ports",
			files: map[string]string{toml: "[server]\nhostname = \"a\"\n"},
		},
		{
			name:  "outside a configured range",
			files: map[string]string{toml: "[transport.http]\nlistener.port = 40000\n"},
			eph:   [2]int{10000, 20000},
		},
		{
			name: "the portal's receivers are not started",
			files: map[string]string{"h1/eia/conf/portal/deployment.yaml": "databridge.config:\n  dataReceivers:\n" +
				"    - dataReceiver:\n        type: Thrift\n        properties:\n          tcpPort: '40000'\n"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fl := linttest.Fleet(t, tt.files, fleet.Options{})
			var got []*lint.Finding
			p := lint.NewPass(fl, EphemeralPort, &got)
			if tt.eph != [2]int{} {
				p.Ephemeral = tt.eph
			}
			EphemeralPort.Check(p)
			lint.Sort(got)
			linttest.Check(t, got, tt.want)
		})
	}
}
