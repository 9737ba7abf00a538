package fleet_test

import (
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint/linttest"
)

// TestMIPortModel checks the listeners MI really opens against the keys
// that decide them, each beside its near miss.
func TestMIPortModel(t *testing.T) {
	cases := []struct {
		name, toml string
		want       []string
	}{
		{"internal API off turns off both internal listeners",
			"[mediation]\ninternal_http_api_enable = false\n",
			[]string{"h/mi http 8280+10=8290", "h/mi https 8243+10=8253"}},
		{"the raw synapse property does the same",
			"[synapse_properties]\n'internal.http.api.enabled' = false\n",
			[]string{"h/mi http 8280+10=8290", "h/mi https 8243+10=8253"}},
		{"near miss: enabled stays on",
			"[mediation]\ninternal_http_api_enable = true\n",
			[]string{"h/mi http 8280+10=8290", "h/mi https 8243+10=8253", "h/mi internal-http 9191+10=9201", "h/mi internal-https 9154+10=9164"}},
		{"management API on HTTP only leaves no internal HTTPS listener",
			"[management_api]\nprotocols = \"http\"\n",
			[]string{"h/mi http 8280+10=8290", "h/mi https 8243+10=8253", "h/mi internal-http 9191+10=9201"}},
		{"near miss: management API on HTTPS only keeps both (the probes are HTTP)",
			"[management_api]\nprotocols = \"https\"\n",
			[]string{"h/mi http 8280+10=8290", "h/mi https 8243+10=8253", "h/mi internal-http 9191+10=9201", "h/mi internal-https 9154+10=9164"}},
		{"no API on HTTP: probes and management API all on HTTPS",
			"[management_api]\nprotocols = \"https\"\n[readiness_probe]\nprotocols = \"https\"\n[liveness_probe]\nprotocols = \"https\"\n",
			[]string{"h/mi http 8280+10=8290", "h/mi https 8243+10=8253", "h/mi internal-https 9154+10=9164"}},
		{"the raw HTTPS parameter moves the HTTPS pass-through listener",
			"[transport.https]\nlistener.parameter.port = 8300\n",
			[]string{"h/mi http 8280+10=8290", "h/mi https 8300+10=8310", "h/mi internal-http 9191+10=9201", "h/mi internal-https 9154+10=9164"}},
		{"so does its table form",
			"[transport.https.listener.parameter]\nport = 8301\n",
			[]string{"h/mi http 8280+10=8290", "h/mi https 8301+10=8311", "h/mi internal-http 9191+10=9201", "h/mi internal-https 9154+10=9164"}},
		{"near miss: [transport.https] listener.port is read by nothing",
			"[transport.https]\nlistener.port = 8302\n",
			[]string{"h/mi http 8280+10=8290", "h/mi https 8243+10=8253", "h/mi internal-http 9191+10=9201", "h/mi internal-https 9154+10=9164"}},
		{"the canonical key wins over the raw one in the model",
			"[transport.http]\nlistener.secured_port = 8244\n[transport.https]\nlistener.parameter.port = 8300\n",
			[]string{"h/mi http 8280+10=8290", "h/mi https 8244+10=8254", "h/mi internal-http 9191+10=9201", "h/mi internal-https 9154+10=9164"}},
		{"a TCP listener written with a table header",
			"[transport.tcp]\nlistener.enable = true\n[transport.tcp.listener]\nport = 8000\n",
			[]string{"h/mi http 8280+10=8290", "h/mi https 8243+10=8253", "h/mi internal-http 9191+10=9201", "h/mi internal-https 9154+10=9164", "h/mi tcp 8000+10=8010 unverified"}},
		{"near miss: a TCP listener not enabled",
			"[transport.tcp.listener]\nport = 8000\n",
			[]string{"h/mi http 8280+10=8290", "h/mi https 8243+10=8253", "h/mi internal-http 9191+10=9201", "h/mi internal-https 9154+10=9164"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fl := linttest.Fleet(t, map[string]string{"h/mi/conf/deployment.toml": c.toml}, fleet.Options{})
			check(t, ports(fl), c.want)
		})
	}
}

// TestMIBind checks that the raw bind-address parameter binds the HTTPS
// pass-through listener when the canonical key is absent.
func TestMIBind(t *testing.T) {
	fl := linttest.Fleet(t, map[string]string{"h/mi/conf/deployment.toml": "[transport.https]\nlistener.parameter.bind-address = \"10.0.0.5\"\n"}, fleet.Options{})
	for _, l := range fl.Installs[0].Runtimes[0].Listeners {
		if l.Name == "https" && l.Bind != "10.0.0.5" {
			t.Errorf("https bind = %q, want 10.0.0.5", l.Bind)
		}
		if l.Name == "http" && l.Bind != "" {
			t.Errorf("http bind = %q, want none", l.Bind)
		}
	}
}

// TestEIManagerProfile: EI 6.x analytics' manager profile is a runtime of
// the install, shown in the ports map and never compared with the worker.
func TestEIManagerProfile(t *testing.T) {
	fl := linttest.Fleet(t, map[string]string{
		"h/ei/wso2/analytics/conf/worker/deployment.yaml":  "wso2.carbon:\n  ports:\n    offset: 0\nwso2.transport.http:\n  listenerConfigurations:\n    - id: \"default\"\n      port: 9091\n",
		"h/ei/wso2/analytics/conf/manager/deployment.yaml": "wso2.carbon:\n  ports:\n    offset: 0\nwso2.transport.http:\n  listenerConfigurations:\n    - id: \"default\"\n      port: 9091\n",
	}, fleet.Options{})
	check(t, ports(fl), []string{
		"h/ei/manager http:default 9091+0=9091 unverified",
		"h/ei/worker http:default 9091+0=9091",
	})
}
