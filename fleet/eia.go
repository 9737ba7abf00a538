package fleet

import (
	"fmt"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/wso2lint/wso2lint/internal/srcpos"
	"github.com/wso2lint/wso2lint/internal/yamlast"
)

// yamlSetting turns a YAML key/value pair into a setting with its number
// resolved.
func yamlSetting(f *File, key string, k, v *yaml.Node, env map[string]string) *Setting {
	d := f.YAML
	s := &Setting{File: f, Key: key}
	if k != nil {
		if sp, ok := d.ScalarSpan(k); ok {
			s.KeySpan = sp
		} else {
			off := d.Offset(k)
			s.KeySpan = srcpos.Span{Start: off, End: off + len(k.Value)}
		}
	}
	if v.Kind == yaml.AliasNode {
		s.Alias = "*" + v.Value
	}
	v = yamlast.Resolve(v)
	if sp, ok := d.ScalarSpan(v); ok {
		s.Span = sp
	} else {
		off := d.Offset(v)
		s.Span = srcpos.Span{Start: off, End: off}
	}
	s.Raw = strings.Clone(v.Value) // node values may be windows on the whole file
	s.Quoted = v.Style&(yaml.SingleQuotedStyle|yaml.DoubleQuotedStyle) != 0
	switch {
	case v.Kind != yaml.ScalarNode:
		s.Kind = map[yaml.Kind]string{yaml.MappingNode: "mapping", yaml.SequenceNode: "sequence"}[v.Kind]
		if s.Kind == "" {
			s.Kind = "node"
		}
	case v.Tag == "!!int":
		s.Kind = "integer"
	case v.Tag == "!!str":
		s.Kind = "string"
	case v.Tag == "!!float":
		s.Kind = "float"
	case v.Tag == "!!bool":
		s.Kind = "boolean"
	case v.Tag == "!!null":
		s.Kind = ""
	default:
		s.Kind = strings.TrimPrefix(v.Tag, "!!")
	}
	resolveNumber(s, env, true)
	return s
}

// YAMLPath walks mapping keys from n, following aliases; it returns the
// last key and value nodes, or nil, nil when a key is missing.
func YAMLPath(n *yaml.Node, keys ...string) (k, v *yaml.Node) {
	v = n
	for _, key := range keys {
		k, v = yamlast.Get(yamlast.Resolve(v), key)
		if v == nil {
			return nil, nil
		}
	}
	return k, yamlast.Resolve(v)
}

// HasCarbonKey reports whether a YAML document is a Carbon 5 runtime
// configuration (it has a top-level wso2.carbon mapping).
func HasCarbonKey(d *yamlast.Doc) bool {
	if d == nil || d.Root == nil {
		return false
	}
	k, _ := yamlast.Get(d.Root, "wso2.carbon")
	return k != nil
}

// buildEI fills an EI Analytics runtime's offset and listeners from its
// deployment.yaml.
func buildEI(rt *Runtime, env map[string]string) {
	f := rt.File
	rt.Offset = Offset{Value: EIDefaultOffset(rt.Name), Known: true, Source: "default"}
	d := f.YAML
	if d == nil || d.Root == nil {
		return
	}
	root := d.Root
	// The offset's value is taken unresolved, so that an alias is seen.
	_, ports := YAMLPath(root, EIOffsetPath[:2]...)
	if k, v := yamlast.Get(ports, EIOffsetPath[2]); v != nil {
		rt.Offset.File = yamlSetting(f, strings.Join(EIOffsetPath, "."), k, v, env)
		rt.Offset.Value, rt.Offset.Known = rt.Offset.File.Int, rt.Offset.File.State == Known
		rt.Offset.Source = "deployment.yaml"
	}
	defer func() {
		if rt.Name != "manager" {
			return
		}
		// EI 6.x's manager profile is for distributed deployments, where
		// it runs on a node of its own: its ports are shown, never
		// compared with the worker and dashboard of the same install.
		for _, l := range rt.Listeners {
			l.Unverified = true
			l.Note = "the manager profile runs on a node of its own in distributed deployments; not checked for duplicates"
		}
	}()
	for _, m := range EIPortMappings(root) {
		if !m.Receiver {
			k, v := yamlast.Get(m.Node, "port")
			if v == nil {
				continue
			}
			key := m.Key + ".port"
			l := &Listener{Runtime: rt, Name: m.Name, Key: key, Port: yamlSetting(f, key, k, v, env), OffsetApplies: true}
			if _, h := yamlast.Get(m.Node, "host"); h != nil && h.Kind == yaml.ScalarNode {
				l.Bind = strings.Clone(h.Value)
			}
			l.settle()
			rt.Listeners = append(rt.Listeners, l)
			continue
		}
		bind := ""
		if _, h := yamlast.Get(m.Node, "hostName"); h != nil && h.Kind == yaml.ScalarNode {
			bind = strings.Clone(h.Value)
		}
		for _, pk := range EIReceiverPortKeys {
			k, v := yamlast.Get(m.Node, pk)
			if v == nil {
				continue
			}
			key := m.Key + "." + pk
			l := &Listener{Runtime: rt, Name: m.Name + "-" + strings.TrimSuffix(strings.ToLower(pk), "port"),
				Key: key, Port: yamlSetting(f, key, k, v, env), OffsetApplies: true, Bind: bind}
			if rt.Name == "portal" || rt.Name == "dashboard" {
				l.Unverified = true
				l.Note = "the " + rt.Name + " runtime does not start its data receivers by default"
			}
			l.settle()
			rt.Listeners = append(rt.Listeners, l)
		}
	}
}

// EIPortMapping is a mapping of an EI Analytics deployment.yaml that holds
// ports: a listenerConfigurations item or a data receiver's properties.
type EIPortMapping struct {
	// Key is the mapping's logical key path, such as
	// "wso2.transport.http.listenerConfigurations[id=default]" or
	// "databridge.config.dataReceivers[type=Thrift].properties".
	Key string
	// Name names the listeners it holds: "http:default", "http[0]" or
	// "siddhi-store:…" for a listener item; the receiver's type in lower
	// case ("thrift", or its index) for a data receiver.
	Name string
	// Receiver is set for a data receiver's properties.
	Receiver bool
	Node     *yaml.Node
}

// EIPortMappings lists the mappings of a runtime's document that hold
// ports, in file order by kind: the listener items of each section of
// EIListenerSections, then the data receivers. The fleet model reads its
// listeners from them, and K002 checks their keys.
func EIPortMappings(root *yaml.Node) []EIPortMapping {
	var out []EIPortMapping
	for _, sec := range EIListenerSections {
		_, seq := YAMLPath(root, sec, "listenerConfigurations")
		if seq == nil || seq.Kind != yaml.SequenceNode {
			continue
		}
		short := "http"
		if sec != "wso2.transport.http" {
			short = "siddhi-store"
		}
		for i, item := range seq.Content {
			item = yamlast.Resolve(item)
			if item.Kind != yaml.MappingNode {
				continue
			}
			sel := fmt.Sprintf("[%d]", i)
			name := fmt.Sprintf("%s[%d]", short, i)
			if _, id := yamlast.Get(item, "id"); id != nil && id.Kind == yaml.ScalarNode {
				sel = "[id=" + id.Value + "]"
				name = short + ":" + id.Value
			}
			out = append(out, EIPortMapping{Key: sec + ".listenerConfigurations" + sel, Name: name, Node: item})
		}
	}
	_, recv := YAMLPath(root, "databridge.config", "dataReceivers")
	if recv == nil || recv.Kind != yaml.SequenceNode {
		return out
	}
	for i, item := range recv.Content {
		_, dr := YAMLPath(item, "dataReceiver")
		if dr == nil || dr.Kind != yaml.MappingNode {
			continue
		}
		typ := fmt.Sprint(i)
		sel := fmt.Sprintf("[%d]", i)
		if _, t := yamlast.Get(dr, "type"); t != nil && t.Kind == yaml.ScalarNode {
			typ, sel = t.Value, "[type="+t.Value+"]"
		}
		_, props := YAMLPath(dr, "properties")
		if props == nil || props.Kind != yaml.MappingNode {
			continue
		}
		out = append(out, EIPortMapping{Key: "databridge.config.dataReceivers" + sel + ".properties",
			Name: strings.ToLower(typ), Receiver: true, Node: props})
	}
	return out
}

// guessEIRuntime names the runtime of a bare deployment.yaml from its
// directory name, else from its content: a file without data receivers or
// Siddhi store API and with a default-https listener is a portal.
func guessEIRuntime(dir string, d *yamlast.Doc) string {
	switch dir {
	case "server", "portal", "worker", "dashboard", "manager":
		return dir
	}
	if d != nil && d.Root != nil {
		_, recv := YAMLPath(d.Root, "databridge.config", "dataReceivers")
		_, store := YAMLPath(d.Root, "siddhi.stores.query.api")
		if recv == nil && store == nil {
			return "portal"
		}
	}
	return "server"
}
