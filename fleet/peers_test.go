package fleet

import (
	"slices"
	"testing"
)

func TestAnalyticsURLs(t *testing.T) {
	tests := []struct {
		name, xml string
		want      []string
	}{
		{"docker-ei's EI 6.6 integrator, ISO-8859-1 declared",
			"<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<Server xmlns=\"http://wso2.org/projects/carbon/carbon.xml\">\n" +
				"<Analytics><Enabled>true</Enabled>\n<ServerURL>tcp://wso2ei-analytics-worker:7612</ServerURL>\n" +
				"<AuthServerURL>ssl://wso2ei-analytics-worker:7712</AuthServerURL></Analytics></Server>",
			[]string{"tcp://wso2ei-analytics-worker:7612", "ssl://wso2ei-analytics-worker:7712"}},
		{"load-balanced and failover groups",
			"<Server><Analytics><ServerURL>{tcp://a:7612,tcp://b:7612}|{tcp://c:7612}</ServerURL></Analytics></Server>",
			[]string{"tcp://a:7612", "tcp://b:7612", "tcp://c:7612"}},
		{"near miss: a ServerURL outside <Analytics> is another setting",
			"<Server><HostName>x</HostName><ServerURL>https://localhost:9443/services/</ServerURL></Server>", nil},
		{"a file damaged after the Analytics element keeps what was read",
			"<Server><Analytics><ServerURL>tcp://w:7612</ServerURL></Analytics><Broken attr=></Server>",
			[]string{"tcp://w:7612"}},
		{"not XML at all", "\x00\x01 tcp://w:7612", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := analyticsURLs([]byte(tt.xml)); !slices.Equal(got, tt.want) {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}
