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

// yamlPathVia walks mapping keys from n as Carbon's loader reads them,
// following aliases and merge keys (yamlast.Lookup). via is "" when every
// step is a mapping's own key; otherwise it names the first alias or merge
// on the way ("*base"), because the value found is then shared with
// whatever else uses that anchor.
func yamlPathVia(n *yaml.Node, keys ...string) (k, v *yaml.Node, via string) {
	v = n
	for _, key := range keys {
		if v.Kind == yaml.AliasNode && via == "" {
			via = "*" + v.Value
		}
		var how string
		k, v, how = yamlast.Lookup(yamlast.Resolve(v), key)
		if v == nil {
			return nil, nil, ""
		}
		if via == "" {
			via = how
		}
	}
	return k, v, via
}

// mergedSetting is yamlSetting for a value found with yamlPathVia or
// yamlast.Lookup: a value that is not the mapping's own is marked with the
// alias or merge it came through, so that no fix edits it in place.
func mergedSetting(f *File, key string, k, v *yaml.Node, via string, env map[string]string) *Setting {
	s := yamlSetting(f, key, k, v, env)
	if s.Alias == "" && via != "" {
		s.Alias = via
	}
	return s
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
	rt.Offset = Offset{Value: EIDefaultOffset, Known: true, Source: "default"}
	d := f.YAML
	if d == nil || d.Root == nil {
		return
	}
	root := d.Root
	// The offset's value is taken unresolved, so that an alias is seen.
	// Merge keys are resolved throughout, as Carbon's SnakeYAML does.
	_, ports, via := yamlPathVia(root, EIOffsetPath[:2]...)
	if k, v, how := yamlast.Lookup(yamlast.Resolve(ports), EIOffsetPath[2]); v != nil {
		rt.Offset.File = mergedSetting(f, strings.Join(EIOffsetPath, "."), k, v, firstOf(via, how), env)
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
	for _, m := range eiPortMappings(root, true) {
		if !m.Receiver {
			k, v, how := yamlast.Lookup(m.Node, "port")
			if v == nil {
				continue
			}
			key := m.Key + ".port"
			l := &Listener{Runtime: rt, Name: m.Name, Key: key, Port: mergedSetting(f, key, k, v, firstOf(m.via, how), env), OffsetApplies: true}
			if _, h, _ := yamlast.Lookup(m.Node, "host"); h != nil && h.Kind == yaml.ScalarNode {
				l.Bind = strings.Clone(h.Value)
			}
			l.settle()
			rt.Listeners = append(rt.Listeners, l)
			continue
		}
		bind := ""
		if _, h, _ := yamlast.Lookup(m.Node, "hostName"); h != nil && h.Kind == yaml.ScalarNode {
			bind = strings.Clone(h.Value)
		}
		for _, pk := range EIReceiverPortKeys {
			k, v, how := yamlast.Lookup(m.Node, pk)
			if v == nil {
				continue
			}
			key := m.Key + "." + pk
			l := &Listener{Runtime: rt, Name: m.Name + "-" + strings.TrimSuffix(strings.ToLower(pk), "port"),
				Key: key, Port: mergedSetting(f, key, k, v, firstOf(m.via, how), env), OffsetApplies: true, Bind: bind}
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
	// via names the alias or merge through which Node was reached ("" when
	// it is written in place); set only by eiPortMappings(root, true).
	via string
}

// firstOf returns a unless it is empty, else b.
func firstOf(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// EIPortMappings lists the mappings of a runtime's document that hold
// ports, in file order by kind: the listener items of each section of
// EIListenerSections, then the data receivers. The fleet model reads its
// listeners from them, and K002 checks their keys.
//
// EIPortMappings reads the mappings as written, merge keys left alone:
// K002 checks and renames the keys written in them, and a key in an
// anchored mapping that others merge is not theirs to rename.
func EIPortMappings(root *yaml.Node) []EIPortMapping { return eiPortMappings(root, false) }

// eiPortMappings lists the port mappings, with merge keys resolved on the
// way to them when merged is set (the model reads them so).
func eiPortMappings(root *yaml.Node, merged bool) []EIPortMapping {
	path := func(n *yaml.Node, keys ...string) (*yaml.Node, string) {
		if merged {
			_, v, via := yamlPathVia(n, keys...)
			return yamlast.Resolve(v), via
		}
		_, v := YAMLPath(n, keys...)
		return v, ""
	}
	get := func(m *yaml.Node, key string) *yaml.Node {
		if merged {
			_, v, _ := yamlast.Lookup(m, key)
			return v
		}
		_, v := yamlast.Get(m, key)
		return v
	}
	var out []EIPortMapping
	for _, sec := range EIListenerSections {
		seq, via := path(root, sec, "listenerConfigurations")
		if seq == nil || seq.Kind != yaml.SequenceNode {
			continue
		}
		short := "http"
		if sec != "wso2.transport.http" {
			short = "siddhi-store"
		}
		for i, item := range seq.Content {
			itemVia := via
			if item.Kind == yaml.AliasNode && itemVia == "" {
				itemVia = "*" + item.Value
			}
			item = yamlast.Resolve(item)
			if item.Kind != yaml.MappingNode {
				continue
			}
			sel := fmt.Sprintf("[%d]", i)
			name := fmt.Sprintf("%s[%d]", short, i)
			if id := get(item, "id"); id != nil && id.Kind == yaml.ScalarNode {
				sel = "[id=" + id.Value + "]"
				name = short + ":" + id.Value
			}
			out = append(out, EIPortMapping{Key: sec + ".listenerConfigurations" + sel, Name: name, Node: item, via: itemVia})
		}
	}
	recv, via := path(root, "databridge.config", "dataReceivers")
	if recv == nil || recv.Kind != yaml.SequenceNode {
		return out
	}
	for i, item := range recv.Content {
		dr, drVia := path(item, "dataReceiver")
		if dr == nil || dr.Kind != yaml.MappingNode {
			continue
		}
		typ := fmt.Sprint(i)
		sel := fmt.Sprintf("[%d]", i)
		if t := get(dr, "type"); t != nil && t.Kind == yaml.ScalarNode {
			typ, sel = t.Value, "[type="+t.Value+"]"
		}
		props, propsVia := path(dr, "properties")
		if props == nil || props.Kind != yaml.MappingNode {
			continue
		}
		out = append(out, EIPortMapping{Key: "databridge.config.dataReceivers" + sel + ".properties",
			Name: strings.ToLower(typ), Receiver: true, Node: props, via: firstOf(via, firstOf(drVia, propsVia))})
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
