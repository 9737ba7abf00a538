package main

import (
	"strings"
	"testing"
)

// TestMergedValueNotRewritten checks that an EI Analytics offset taken
// through a YAML merge key is the offset the runtime runs with (4, not the
// default 0) and that P001's unsafe fix does not rewrite it in place: the
// anchored value is shared by whatever else merges it. Before, the merged
// offset was not seen and the default was reported.
func TestMergedValueNotRewritten(t *testing.T) {
	const server = `shared: &ports
  offset: 4
wso2.carbon:
  id: wso2-sp
  ports:
    <<: *ports
wso2.transport.http:
  listenerConfigurations:
    - id: "default"
      host: "0.0.0.0"
      port: 9090
`
	dir := writeTree(t, map[string]string{
		"h/a-mi/conf/deployment.toml":       "[transport.http]\nlistener.port = 9084\n",
		"h/eia/conf/server/deployment.yaml": server,
	})
	stdout, stderr, code := runIn(t, dir, "--format", "json", "--select", "P001", "h")
	if code != exitFindings {
		t.Fatalf("exit %d; stderr:\n%s", code, stderr)
	}
	var found bool
	for _, f := range parseFindings(t, stdout) {
		if strings.HasPrefix(f.File, "h/eia/") {
			found = true
			if !strings.Contains(f.Message, "9090 + offset 4 = 9094") || !strings.Contains(f.Message, "*ports") || f.Fix != nil {
				t.Errorf("finding %+v: want offset 4, the merge named and no fix", f)
			}
		}
	}
	if !found {
		t.Fatalf("no P001 on the EI Analytics server:\n%s", stdout)
	}
	stdout, _, _ = runIn(t, dir, "--diff", "--unsafe-fixes", "--select", "P001", "h")
	if strings.Contains(stdout, "eia/conf/server/deployment.yaml") {
		t.Errorf("--diff rewrites the merged offset:\n%s", stdout)
	}
}
