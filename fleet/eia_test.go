package fleet_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint/linttest"
)

// eiDash is a dashboard/portal deployment.yaml as EI 6.x and EI
// Analytics 7.1 both ship it: offset 2, HTTPS 9643, receivers 7611/9611.
const eiDash = `wso2.carbon:
  ports:
    offset: 2
databridge.config:
  dataReceivers:
  - dataReceiver:
      type: Thrift
      properties:
        tcpPort: '7611'
  - dataReceiver:
      type: Binary
      properties:
        tcpPort: '9611'
wso2.transport.http:
  listenerConfigurations:
    - id: "default-https"
      port: 9643
`

// TestEILine checks how an install's EI Analytics line is told, each way
// beside the case where it is not told.
func TestEILine(t *testing.T) {
	cases := []struct {
		name  string
		files map[string]string
		opt   fleet.Options
		line  fleet.EILine
		from  string
	}{
		{"EI 6.x layout", map[string]string{"h/ei/wso2/analytics/conf/dashboard/deployment.yaml": eiDash}, fleet.Options{},
			fleet.EI6Analytics, "runtime directory dashboard"},
		{"EI Analytics 7.1 layout", map[string]string{"h/eia/conf/portal/deployment.yaml": eiDash}, fleet.Options{},
			fleet.EI71Analytics, "runtime directory portal"},
		{"a bare file in a directory named like an EI 6.x runtime (kubernetes-ei confs/…/conf/dashboard)",
			map[string]string{"k8s/confs/ei-analytics-dashboard/conf/dashboard/deployment.yaml": eiDash}, fleet.Options{},
			fleet.EI6Analytics, "runtime directory dashboard"},
		{"near miss: a bare file named after its content only is not told",
			map[string]string{"k8s/confs/analytics/deployment.yaml": eiDash}, fleet.Options{},
			fleet.EILineUnknown, ""},
		{"what only EI 6.x's dashboard writes",
			map[string]string{"k8s/confs/analytics/deployment.yaml": eiDash + "wso2.status.dashboard:\n  pollingInterval: 5\n"}, fleet.Options{},
			fleet.EI6Analytics, "the wso2.status.dashboard section"},
		{"what only EI Analytics 7.1's portal writes",
			map[string]string{"k8s/confs/analytics/deployment.yaml": eiDash + "wso2.dashboard.datasearch:\n  enabled: true\n"}, fleet.Options{},
			fleet.EI71Analytics, "the wso2.dashboard.datasearch section"},
		{"the install's updates/product.txt wins over the layout",
			map[string]string{"h/eia/conf/portal/deployment.yaml": eiDash, "h/eia/updates/product.txt": "wso2ei-6.6.0\n"}, fleet.Options{},
			fleet.EI6Analytics, "updates/product.txt"},
		{"the directory name",
			map[string]string{"h/wso2ei-analytics-7.1.0/deployment.yaml": eiDash}, fleet.Options{},
			fleet.EI71Analytics, "directory name wso2ei-analytics-7.1.0"},
		{"near miss: a directory named after another release says nothing",
			map[string]string{"h/wso2ei-6.2.0/deployment.yaml": eiDash}, fleet.Options{},
			fleet.EILineUnknown, ""},
		{"ei-analytics-version wins over everything",
			map[string]string{"h/ei/wso2/analytics/conf/dashboard/deployment.yaml": eiDash},
			fleet.Options{EIVersions: []fleet.EIVersionGlob{{Glob: "h/**", Line: fleet.EI71Analytics}}},
			fleet.EI71Analytics, "ei-analytics-version h/**"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fl := linttest.Fleet(t, c.files, c.opt)
			if len(fl.Installs) != 1 {
				t.Fatalf("%d installs, want 1", len(fl.Installs))
			}
			in := fl.Installs[0]
			if in.EILine != c.line || in.EILineFrom != c.from {
				t.Errorf("line = %v from %q, want %v from %q", in.EILine, in.EILineFrom, c.line, c.from)
			}
		})
	}
}

// TestEIOffsetByLine checks which listeners wso2.carbon.ports.offset
// moves in each line (fleet.EILine): EI 6.x analytics leaves the HTTP
// listeners and the Siddhi store API where they are written and adds the
// offset plus 1 to the binary receiver; EI Analytics 7.1 adds the offset
// to HTTP and both receivers but not to the Siddhi store API; an unknown
// line leaves the listeners that differ undecided.
func TestEIOffsetByLine(t *testing.T) {
	store := "siddhi.stores.query.api:\n  listenerConfigurations:\n    - id: \"default\"\n      port: 7070\n"
	cases := []struct {
		name, path string
		want       []string
	}{
		{"EI 6.x dashboard", "h/ei/wso2/analytics/conf/dashboard/deployment.yaml", []string{
			"h/ei/dashboard http:default-https 9643+0=9643",
			"h/ei/dashboard siddhi-store:default 7070+0=7070",
			"h/ei/dashboard thrift-tcp 7611+2=7613 unverified",
			"h/ei/dashboard binary-tcp 9611+3=9614 unverified",
		}},
		{"EI Analytics 7.1 portal", "h/eia/conf/portal/deployment.yaml", []string{
			"h/eia/portal http:default-https 9643+2=9645",
			"h/eia/portal siddhi-store:default 7070+0=7070",
			"h/eia/portal thrift-tcp 7611+2=7613 unverified",
			"h/eia/portal binary-tcp 9611+2=9613 unverified",
		}},
		{"unknown line: HTTP and binary undecided, Thrift and the store API the same in both", "k8s/confs/analytics/deployment.yaml", []string{
			"k8s/confs/analytics/server http:default-https ?",
			"k8s/confs/analytics/server siddhi-store:default 7070+0=7070",
			"k8s/confs/analytics/server thrift-tcp 7611+2=7613",
			"k8s/confs/analytics/server binary-tcp ?",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fl := linttest.Fleet(t, map[string]string{c.path: eiDash + store}, fleet.Options{})
			check(t, ports(fl), c.want)
		})
	}
	// The undecided listeners say why, and are not compared.
	fl := linttest.Fleet(t, map[string]string{"k8s/confs/analytics/deployment.yaml": eiDash}, fleet.Options{})
	for _, l := range fl.Installs[0].Runtimes[0].Listeners {
		switch l.Name {
		case "http:default-https", "binary-tcp":
			if l.Known || !strings.Contains(l.Note, "product release unknown") || !strings.Contains(l.Note, "ei-analytics-version") {
				t.Errorf("%s: known %v, note %q; want unknown with the reason", l.Name, l.Known, l.Note)
			}
		}
	}
}

// TestEIArith shows the binary receiver's extra 1 in the arithmetic.
func TestEIArith(t *testing.T) {
	fl := linttest.Fleet(t, map[string]string{"h/ei/wso2/analytics/conf/dashboard/deployment.yaml": eiDash}, fleet.Options{})
	var got []string
	for _, l := range fl.Installs[0].Runtimes[0].Listeners {
		got = append(got, l.Name+": "+l.Arith())
	}
	check(t, got, []string{
		"http:default-https: 9643, no offset",
		"thrift-tcp: 7611 + offset 2 = 7613",
		"binary-tcp: 9611 + offset 2 + 1 = 9614",
	})
}

func TestEILineOfVersion(t *testing.T) {
	for v, want := range map[string]fleet.EILine{
		"6.4": fleet.EI6Analytics, "6.6.0": fleet.EI6Analytics, "v6.5": fleet.EI6Analytics, "7.1": fleet.EI71Analytics,
		"7.1.0": fleet.EI71Analytics, "6.3": fleet.EILineUnknown, "7": fleet.EILineUnknown, "7.1.x": fleet.EILineUnknown,
		"4.2.0": fleet.EILineUnknown, "": fleet.EILineUnknown,
	} {
		if got := fleet.EILineOfVersion(v); got != want {
			t.Errorf("EILineOfVersion(%q) = %v, want %v", v, got, want)
		}
	}
}

func TestEILineOfImage(t *testing.T) {
	for image, want := range map[string]fleet.EILine{
		"docker.wso2.com/wso2ei-analytics-dashboard:6.4.0": fleet.EI6Analytics,
		"wso2/wso2ei-analytics-worker:6.6.0-alpine":        fleet.EI6Analytics,
		"registry:5000/wso2ei-analytics-portal:7.1.0":      fleet.EI71Analytics,
		"wso2ad:1.0.0":                           fleet.EI71Analytics,
		"wso2/wso2ei-analytics-dashboard":        fleet.EILineUnknown,
		"wso2/wso2ei-analytics-dashboard:latest": fleet.EILineUnknown,
		"wso2/wso2si:1.1.0":                      fleet.EILineUnknown,
		"registry:5000/wso2ei-analytics-portal":  fleet.EILineUnknown,
		"wso2/wso2mi:4.2.0":                      fleet.EILineUnknown,
	} {
		if got := fleet.EILineOfImage(image); got != want {
			t.Errorf("EILineOfImage(%q) = %v, want %v", image, got, want)
		}
	}
}

// TestEILineFromContainer: a bare deployment.yaml whose files do not tell
// the line takes it from the image of the container that runs it; images
// that disagree tell nothing.
func TestEILineFromContainer(t *testing.T) {
	compose := func(images ...string) string {
		s := "services:\n"
		for i, im := range images {
			s += fmt.Sprintf("  a%d:\n    image: %s\n    volumes: [\"./confs/analytics:/home/wso2carbon/conf\"]\n", i, im)
		}
		return s
	}
	cases := []struct {
		name, compose string
		line          fleet.EILine
		port          string
	}{
		{"an EI 6.6 dashboard image", compose("docker.wso2.com/wso2ei-analytics-dashboard:6.6.0"), fleet.EI6Analytics, "9643+0=9643"},
		{"an EI Analytics 7.1 image", compose("wso2/wso2ei-analytics-portal:7.1.0"), fleet.EI71Analytics, "9643+2=9645"},
		{"near miss: no tag", compose("wso2/wso2ei-analytics-dashboard"), fleet.EILineUnknown, "?"},
		{"near miss: images that disagree", compose("wso2/wso2ei-analytics-dashboard:6.6.0", "wso2/wso2ei-analytics-portal:7.1.0"), fleet.EILineUnknown, "?"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			fl := linttest.Fleet(t, map[string]string{
				"k8s/confs/analytics/deployment.yaml": eiDash,
				"k8s/docker-compose.yml":              c.compose,
			}, fleet.Options{})
			var in *fleet.Install
			for _, x := range fl.Installs {
				if x.Product == fleet.EIAnalytics {
					in = x
				}
			}
			if in == nil {
				t.Fatal("no EI Analytics install")
			}
			if in.EILine != c.line {
				t.Errorf("line = %v (%s), want %v", in.EILine, in.EILineFrom, c.line)
			}
			for _, l := range in.Runtimes[0].Listeners {
				if c.line != fleet.EILineUnknown && l.Note != "" {
					t.Errorf("%s: stale note %q once the image tells the line", l.Name, l.Note)
				}
				if l.Name != "http:default-https" {
					continue
				}
				got := "?"
				if l.Known {
					got = fmt.Sprintf("%d+%d=%d", l.Configured, l.Effective-l.Configured, l.Effective)
				}
				if got != c.port {
					t.Errorf("http:default-https = %s, want %s", got, c.port)
				}
			}
		})
	}
}
