package fleet_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/wso2lint/wso2lint/catalog"
	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint/linttest"
)

// cmManifest is a ConfigMap carrying toml under key, shaped like the
// manifests of community MI repositories.
func cmManifest(name, ns, key, header, toml string) string {
	var b strings.Builder
	b.WriteString("apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: " + name + "\n")
	if ns != "" {
		b.WriteString("  namespace: " + ns + "\n")
	}
	b.WriteString("data:\n  " + key + ": " + header + "\n")
	for _, l := range strings.SplitAfter(toml, "\n") {
		if strings.TrimSpace(l) != "" {
			b.WriteString("    ")
		}
		b.WriteString(l)
	}
	return b.String()
}

// miWorkload is a Deployment whose container mounts ConfigMap cm's key
// (subPath) over the MI home's conf/deployment.toml.
func miWorkload(name, ns, image, cm, key string) string {
	home := "/home/wso2carbon/wso2mi-4.3.0"
	s := "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "\n"
	if ns != "" {
		s += "  namespace: " + ns + "\n"
	}
	return s + "spec:\n  template:\n    spec:\n      containers:\n        - name: mi\n          image: " + image + "\n" +
		"          volumeMounts:\n            - name: conf\n              mountPath: " + home + "/conf/deployment.toml\n" +
		"              subPath: " + key + "\n      volumes:\n        - name: conf\n          configMap:\n            name: " + cm + "\n"
}

// TestConfigMapInstall checks that the deployment.toml a ConfigMap carries
// is the install of the workloads that mount it, with its settings placed
// in the manifest and its release taken from the image tag.
func TestConfigMapInstall(t *testing.T) {
	toml := "[server]\nhostname = \"mi.example.com\"\noffset = 3\n"
	fl := linttest.Fleet(t, map[string]string{
		".git/HEAD": "ref: refs/heads/main\n",
		// The neighbour a manifest used to be judged against.
		"deploy/deployment.toml": "[server]\noffset = 10\n",
		"deploy/mi.yaml":         cmManifest("mi-conf", "", "deployment.toml", "|", toml) + "---\n" + miWorkload("mi", "", "wso2/wso2mi:4.3.0", "mi-conf", "deployment.toml"),
	}, fleet.Options{})
	check(t, mappings(fl), []string{
		"Deployment/mi.containers[mi] -> deploy/mi.yaml#ConfigMap/mi-conf by ConfigMap mi-conf mounted at /home/wso2carbon/wso2mi-4.3.0/conf/deployment.toml",
	})
	var in *fleet.Install
	for _, x := range fl.Installs {
		if x.Embedded() {
			in = x
		}
	}
	if in == nil {
		t.Fatal("no install of the ConfigMap's config")
	}
	if want, _ := catalog.ParseRelease("4.3.0"); in.Release != want {
		t.Errorf("release %d, want 4.3.0's (%d) from the image tag", in.Release, want)
	}
	rt := in.Runtimes[0]
	if !rt.Offset.Known || rt.Offset.Value != 3 {
		t.Fatalf("offset %+v, want 3 from the ConfigMap", rt.Offset)
	}
	w := rt.Offset.File
	f := w.File
	if f.Outer() == nil || f.Outer().Path != "deploy/mi.yaml" {
		t.Fatalf("offset read from %s, not embedded in deploy/mi.yaml", f.Path)
	}
	// "    offset = 3" is line 9 of the manifest; the key starts at column 5.
	if p := f.Pos(w.KeySpan.Start); p.Line != 9 || p.Col != 5 {
		t.Errorf("offset key at %d:%d, want 9:5", p.Line, p.Col)
	}
	sp := f.OuterSpan(w.Span)
	if got := string(f.Outer().Src[sp.Start:sp.End]); got != "3" {
		t.Errorf("the offset's value maps to %q in the manifest", got)
	}
	for _, l := range rt.Listeners {
		if l.Name == "http" && (!l.Known || l.Effective != 8283) {
			t.Errorf("http listener %+v, want 8280 + 3", l)
		}
	}
}

// TestConfigMapNearMisses checks which ConfigMap a mount finds, and
// which ConfigMaps become installs.
func TestConfigMapNearMisses(t *testing.T) {
	toml := "[server]\nhostname = \"mi\"\n"
	apim := "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: apim}\nspec:\n  template:\n    spec:\n      containers:\n" +
		"        - name: am\n          image: wso2/wso2am:4.2.0\n          volumeMounts:\n" +
		"            - {name: conf, mountPath: /home/wso2carbon/wso2am-4.2.0/repository/conf/deployment.toml, subPath: deployment.toml}\n" +
		"      volumes:\n        - {name: conf, configMap: {name: apim-conf}}\n"
	fl := linttest.Fleet(t, map[string]string{
		"repo/.git/HEAD": "ref: refs/heads/main\n",
		// The ConfigMap in another file of the same repository, mounted
		// by two workloads: one install, run by both.
		"repo/base/configmap.yaml": cmManifest("shared", "", "deployment.toml", "|-", toml),
		"repo/base/a.yaml":         miWorkload("a", "", "wso2/wso2mi:4.3.0", "shared", "deployment.toml"),
		"repo/base/b.yaml":         miWorkload("b", "", "wso2/wso2mi:4.2.0", "shared", "deployment.toml"),
		// Another namespace: the default one's ConfigMap is not it.
		"repo/prod/mi.yaml": miWorkload("prod", "prod", "wso2/wso2mi:4.3.0", "shared", "deployment.toml"),
		// Never mounted: still an MI config, an install of its own.
		"repo/spare.yaml": cmManifest("spare", "", "deployment.toml", "|+", toml),
		// Mounted into API Manager's repository/conf: not an MI at all.
		"repo/apim.yaml": cmManifest("apim-conf", "", "deployment.toml", "|", "[server]\nhostname = \"am\"\n") + "---\n" + apim,
		// A ConfigMap of the same name in another repository is not seen.
		"other/.git/HEAD":  "ref: refs/heads/main\n",
		"other/cm.yaml":    cmManifest("lonely", "", "deployment.toml", "|", toml),
		"repo/lonely.yaml": miWorkload("lonely", "", "wso2/wso2mi:4.3.0", "lonely", "deployment.toml"),
		// Mounted where no MI reads it (an entrypoint may copy it): the
		// container is not known to run it, but the config is linted.
		"repo/custom.yaml": cmManifest("custom", "", "deployment.toml", "|", toml) + "---\n" +
			strings.Replace(miWorkload("custom", "", "wso2/wso2mi:4.3.0", "custom", "deployment.toml"),
				"/home/wso2carbon/wso2mi-4.3.0/conf/deployment.toml", "/config/deployment.toml", 1),
		// A key mounted by subPath under another name, as kubectl writes
		// it: a double-quoted scalar on one line.
		"repo/quoted.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: quoted}\ndata:\n  mi.toml: \"[server]\\nhostname = \\\"q\\\"\\n\"\n---\n" +
			miWorkload("quoted", "", "wso2/wso2mi:latest", "quoted", "mi.toml"),
	}, fleet.Options{})
	check(t, mappings(fl), []string{
		"Deployment/apim.containers[am] -> -",
		"Deployment/a.containers[mi] -> repo/base/configmap.yaml#ConfigMap/shared by ConfigMap shared mounted at /home/wso2carbon/wso2mi-4.3.0/conf/deployment.toml",
		"Deployment/b.containers[mi] -> repo/base/configmap.yaml#ConfigMap/shared by ConfigMap shared mounted at /home/wso2carbon/wso2mi-4.3.0/conf/deployment.toml",
		"Deployment/custom.containers[mi] -> unmapped: no MI install is in its repository (repo)",
		"Deployment/lonely.containers[mi] -> unmapped: it runs the deployment.toml of ConfigMap lonely mounted at /home/wso2carbon/wso2mi-4.3.0/conf/deployment.toml, which no linted manifest of its repository defines in namespace default",
		"Deployment/prod/prod.containers[mi] -> unmapped: it runs the deployment.toml of ConfigMap shared mounted at /home/wso2carbon/wso2mi-4.3.0/conf/deployment.toml, which no linted manifest of its repository defines in namespace prod",
		"Deployment/quoted.containers[mi] -> repo/quoted.yaml#ConfigMap/quoted/mi.toml by ConfigMap quoted mounted at /home/wso2carbon/wso2mi-4.3.0/conf/deployment.toml",
	})
	var roots []string
	for _, in := range fl.Installs {
		if in.Embedded() {
			roots = append(roots, fmt.Sprintf("%s release=%d host=%s", in.Root, in.Release, in.Host.Name))
		}
	}
	check(t, roots, []string{
		// Not other/cm.yaml: a repository of its own that runs no MI, where
		// an unmounted deployment.toml may be another product's.
		// 4.3.0 and 4.2.0 disagree: the release is unknown.
		"repo/base/configmap.yaml#ConfigMap/shared release=-1 host=repo/base/configmap.yaml#ConfigMap/shared",
		"repo/custom.yaml#ConfigMap/custom release=-1 host=repo/custom.yaml#ConfigMap/custom",
		"repo/quoted.yaml#ConfigMap/quoted/mi.toml release=-1 host=repo/quoted.yaml#ConfigMap/quoted/mi.toml",
		"repo/spare.yaml#ConfigMap/spare release=-1 host=repo/spare.yaml#ConfigMap/spare",
	})
	for _, in := range fl.Installs {
		if in.Root != "repo/quoted.yaml#ConfigMap/quoted/mi.toml" {
			continue
		}
		f := in.Runtimes[0].File
		if !f.Embedding().Exact || f.Embedding().Editable {
			t.Errorf("a one-line double-quoted scalar maps exactly and takes no edit: %+v", f.Embedding())
		}
		i := strings.Index(string(f.Src), "hostname")
		if p := f.Pos(i); p.Line != 5 || p.Col != 23 {
			t.Errorf("hostname at %d:%d, want 5:23 (after the \\n escape)", p.Line, p.Col)
		}
	}
}

// TestConfigMapEIAnalytics checks that an EI Analytics worker's
// deployment.yaml carried by a ConfigMap and mounted over the runtime's
// conf/worker/ is that workload's install, with its settings placed in
// the manifest.
func TestConfigMapEIAnalytics(t *testing.T) {
	worker := "wso2.carbon:\n  id: wso2-sp\n  ports:\n    offset: 0\n" +
		"wso2.transport.http:\n  listenerConfigurations:\n    - id: \"default\"\n      host: \"0.0.0.0\"\n      port: 9091\n"
	cm := cmManifest("worker-conf", "analytics", "deployment.yaml", "|", worker)
	wl := "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {name: worker, namespace: analytics}\nspec:\n  template:\n    spec:\n" +
		"      containers:\n        - name: worker\n          image: wso2/wso2ei-analytics-worker:6.6.0\n          volumeMounts:\n" +
		"            - {name: conf, mountPath: /home/wso2carbon/wso2ei-6.6.0/wso2/analytics/conf/worker}\n" +
		"      volumes:\n        - {name: conf, configMap: {name: worker-conf}}\n"
	fl := linttest.Fleet(t, map[string]string{"k8s/worker.yaml": cm + "---\n" + wl}, fleet.Options{})
	check(t, mappings(fl), []string{
		"StatefulSet/analytics/worker.containers[worker] -> k8s/worker.yaml#ConfigMap/analytics/worker-conf by ConfigMap worker-conf mounted at /home/wso2carbon/wso2ei-6.6.0/wso2/analytics/conf/worker",
	})
	in := fl.Installs[0]
	if in.Product != fleet.EIAnalytics || in.Runtimes[0].Name != "worker" {
		t.Fatalf("install %s is %s runtime %q, want an EI Analytics worker", in.Root, in.Product, in.Runtimes[0].Name)
	}
	for _, l := range in.Runtimes[0].Listeners {
		if l.Port == nil || l.Port.Raw != "9091" {
			continue
		}
		f, sp := l.Location()
		if p := f.Pos(sp.Start); p.Line != 16 || p.Col != 11 {
			t.Errorf("the worker's port 9091 at %d:%d, want 16:11 in the manifest", p.Line, p.Col)
		}
		return
	}
	t.Errorf("no listener on 9091: %+v", in.Runtimes[0].Listeners)
}

// TestConfigMapValueForms checks which values of a ConfigMap's
// deployment.toml are read, and how exactly they map: a literal block is
// exact and editable, a folded block (which YAML reads as one line) is
// placed at its indicator, and a value Kubernetes would refuse (null, a
// number, !!binary) is no config at all.
func TestConfigMapValueForms(t *testing.T) {
	cm := func(name, value string) string {
		return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: " + name + "}\ndata:\n  deployment.toml: " + value + "\n---\n"
	}
	fl := linttest.Fleet(t, map[string]string{
		// The repository runs an MI: its unmounted configs are MI's.
		"k8s/pod.yaml": "apiVersion: v1\nkind: Pod\nmetadata: {name: mi}\nspec:\n  containers: [{name: mi, image: wso2/wso2mi:4.3.0}]\n",
		"k8s/cms.yaml": cm("literal", "|\n    [server]\n    offset = 3") +
			cm("folded", ">\n    [server]\n    offset = 3") + cm("null", "") + cm("number", "3") + cm("binary", "!!binary aGVsbG8=")},
		fleet.Options{})
	var got []string
	for _, in := range fl.Installs {
		f := in.Runtimes[0].File
		m := f.Embedding()
		got = append(got, fmt.Sprintf("%s exact=%v editable=%v at=%v problem=%v", in.Root, m.Exact, m.Editable, f.Pos(0), f.Problem != nil))
	}
	check(t, got, []string{
		"k8s/cms.yaml#ConfigMap/folded exact=false editable=false at={13 20} problem=true",
		"k8s/cms.yaml#ConfigMap/literal exact=true editable=true at={6 5} problem=false",
	})
}

// TestConfigMapReleaseFromConfig checks that an mi-version glob naming the
// manifest and the ConfigMap beats the image tag.
func TestConfigMapReleaseFromConfig(t *testing.T) {
	r42, _ := catalog.ParseRelease("4.2.0")
	files := map[string]string{
		"k8s/mi.yaml": cmManifest("mi-conf", "", "deployment.toml", "|", "[server]\nhostname = \"mi\"\n") + "---\n" +
			miWorkload("mi", "", "wso2/wso2mi:4.3.0", "mi-conf", "deployment.toml"),
	}
	for _, tc := range []struct {
		glob string
		want int
	}{
		{"k8s/mi.yaml#ConfigMap/mi-conf", r42},
		{"k8s/*.yaml#ConfigMap/*", r42},
		{"k8s/other.yaml#*", -2}, // no match: the tag's 4.3.0
	} {
		fl := linttest.Fleet(t, files, fleet.Options{MIVersions: []fleet.VersionGlob{{Glob: tc.glob, Release: r42}}})
		want := tc.want
		if want == -2 {
			want, _ = catalog.ParseRelease("4.3.0")
		}
		if got := fl.Installs[0].Release; got != want {
			t.Errorf("mi-version %q: release %d, want %d", tc.glob, got, want)
		}
	}
}

// TestConfigMapOfAnotherProduct checks that an Identity Server's
// deployment.toml in a ConfigMap is not taken for an MI's: mounted into
// its repository/conf, or left unmounted in a repository that runs no MI.
func TestConfigMapOfAnotherProduct(t *testing.T) {
	is := "[server]\nhostname = \"is.example.com\"\n\n[super_admin]\nusername = \"admin\"\n\n[authentication.authenticator.basic]\nenable = true\n"
	fl := linttest.Fleet(t, map[string]string{
		"is/.git/HEAD":      "ref: refs/heads/main\n",
		"is/k8s/conf.yaml":  cmManifest("identity-server-conf", "wso2", "deployment.toml", "|-", is),
		"is/k8s/spare.yaml": cmManifest("spare-conf", "wso2", "deployment.toml", "|", is),
		"is/k8s/is.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: is, namespace: wso2}\nspec:\n  template:\n    spec:\n" +
			"      containers:\n        - name: is\n          image: wso2/wso2is:7.0.0\n          volumeMounts:\n" +
			"            - {name: conf, mountPath: /home/wso2carbon/wso2-config-volume/repository/conf/deployment.toml, subPath: deployment.toml}\n" +
			"      volumes: [{name: conf, configMap: {name: identity-server-conf}}]\n",
	}, fleet.Options{})
	for _, in := range fl.Installs {
		t.Errorf("install %s: an Identity Server config taken for an MI's", in.Root)
	}
}

// TestKustomizeGeneratedConfigMap checks that a workload mounting a
// ConfigMap that a kustomization generates from the tree's
// conf/deployment.toml runs that install, and the near misses.
func TestKustomizeGeneratedConfigMap(t *testing.T) {
	wl := func(name, cm, key string) string {
		return strings.Replace(miWorkload(name, "", "wso2/wso2mi:4.3.0", cm, key), "name: "+name+"\n", "name: "+name+"\n  labels: {app: mi}\n", 1)
	}
	fl := linttest.Fleet(t, map[string]string{
		"repo/.git/HEAD":                  "ref: refs/heads/main\n",
		"repo/mi/conf/deployment.toml":    "[server]\noffset = 5\n",
		"repo/other/conf/deployment.toml": "[server]\noffset = 7\n",
		"repo/kustomization.yaml": "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nnamespace: integration\n" +
			"resources: [k8s/mi.yaml, k8s/extra.yaml]\nconfigMapGenerator:\n" +
			"  - name: mi-conf\n    files: [mi/conf/deployment.toml]\n" +
			"  - name: extra-conf\n    files: [mi.toml=mi/extra.toml]\n",
		"repo/mi/extra.toml": "[server]\noffset = 9\n",
		"repo/k8s/mi.yaml":   wl("mi", "mi-conf", "deployment.toml"),
		// A generated file that is no install's config.
		"repo/k8s/extra.yaml": wl("extra", "extra-conf", "mi.toml"),
		// A kustomization beside, not above, the workload: not its.
		"repo/other/kustomization.yaml": "configMapGenerator:\n  - name: other-conf\n    files: [conf/deployment.toml]\n",
		"repo/k8s/lone/other.yaml":      wl("lone", "other-conf", "deployment.toml"),
	}, fleet.Options{})
	check(t, mappings(fl), []string{
		"Deployment/extra.containers[mi] -> unmapped: it runs the mi.toml of ConfigMap extra-conf mounted at /home/wso2carbon/wso2mi-4.3.0/conf/deployment.toml, " +
			"which repo/kustomization.yaml generates from repo/mi/extra.toml, not a config of an install wso2lint read",
		"Deployment/lone.containers[mi] -> unmapped: it runs the deployment.toml of ConfigMap other-conf mounted at /home/wso2carbon/wso2mi-4.3.0/conf/deployment.toml, " +
			"which no linted manifest of its repository defines in namespace default",
		"Deployment/mi.containers[mi] -> repo/mi by ConfigMap mi-conf mounted at /home/wso2carbon/wso2mi-4.3.0/conf/deployment.toml, " +
			"generated by repo/kustomization.yaml from repo/mi/conf/deployment.toml",
	})
}
