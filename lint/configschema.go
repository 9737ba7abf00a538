package lint

import (
	"encoding/json"
	"strings"
)

// ConfigKey documents one key of .wso2lint.yaml. The table below is the
// one description of the file: ParseConfig names its keys in errors, and
// ConfigSchema renders it as the published JSON Schema.
type ConfigKey struct {
	Name string
	// Doc says what the key does, in one or two sentences.
	Doc string
	// schema builds the key's JSON Schema from the rule registry.
	schema func(rules []*Rule) map[string]any
}

func oneOrMany(item map[string]any) map[string]any {
	return map[string]any{"anyOf": []any{item, map[string]any{"type": "array", "items": item}}}
}

func selectorSchema(rules []*Rule) map[string]any {
	names := []any{"ALL"}
	for _, r := range rules {
		names = append(names, r.Code, r.Name)
	}
	return map[string]any{"anyOf": []any{
		map[string]any{"enum": names},
		map[string]any{"type": "string", "pattern": "^[A-Za-z]+[0-9]*$", "description": "a code prefix such as P or O0"},
	}}
}

var severitySchema = map[string]any{"enum": []any{"error", "warning", "info"}}

var globSchema = map[string]any{"type": "string", "description": "a doublestar glob, relative to the directory of .wso2lint.yaml"}

// ConfigKeys lists every key .wso2lint.yaml accepts (documented in the README's configuration section).
var ConfigKeys = []ConfigKey{
	{"select", "Rules to run: codes (P001), code prefixes (P, O0), names (duplicate-port) or ALL. Without it, the rules on by default run.",
		func(rs []*Rule) map[string]any { return oneOrMany(selectorSchema(rs)) }},
	{"ignore", "Rules not to run, in the same forms as select.",
		func(rs []*Rule) map[string]any { return oneOrMany(selectorSchema(rs)) }},
	{"fail-level", "The lowest severity that makes the run exit 1 (default warning).",
		func([]*Rule) map[string]any { return severitySchema }},
	{"severity", "Per-rule severity overrides, by code or name.",
		func(rs []*Rule) map[string]any {
			props := map[string]any{}
			for _, r := range rs {
				props[r.Code] = severitySchema
				props[r.Name] = severitySchema
			}
			return map[string]any{"type": "object", "properties": props, "additionalProperties": false}
		}},
	{"ephemeral-range", "The ephemeral port range [low, high] that P004 checks (default [32768, 60999], Linux's).",
		func([]*Rule) map[string]any {
			port := map[string]any{"type": "integer", "minimum": 1, "maximum": 65535}
			return map[string]any{"type": "array", "items": port, "minItems": 2, "maxItems": 2}
		}},
	{"hosts", "Explicit host grouping: host name to globs of install roots. Installs no glob matches fall back to their parent directory.",
		func([]*Rule) map[string]any {
			return map[string]any{"type": "object", "additionalProperties": oneOrMany(globSchema)}
		}},
	{"mi-version", "The MI release of installs: glob of install roots to a release (\"4.2\" or \"4.2.0\"). With it, a key that release does not read is reported with the releases that do; without it, a key any of MI 4.0 to 4.4 reads is valid. An install directory named wso2mi-4.2.0 says its release itself.",
		func([]*Rule) map[string]any {
			return map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string", "pattern": `^v?4\.[0-4](\.[0-9]+)?$`}}
		}},
	{"ei-analytics-version", "The EI Analytics release of installs: glob of install roots to a release (\"6.4\", \"6.5\", \"6.6\" or \"7.1\", optionally with a patch number). EI 6.x analytics does not add wso2.carbon.ports.offset to its HTTP listeners (its dashboard stays on 9643) and adds the offset plus 1 to its binary receiver; EI Analytics 7.1 adds the offset to both. Without it the release is told from updates/product.txt, the directory name (wso2ei-6.6.0, wso2ei-analytics-7.1.0), the layout (wso2/analytics/conf/worker|dashboard|manager is EI 6.x, conf/server|portal is 7.1), what the file holds or the image of its container; when nothing tells, those ports are shown as unknown.",
		func([]*Rule) map[string]any {
			return map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string", "pattern": `^v?(6\.[4-6]|7\.1)(\.[0-9]+)*$`}}
		}},
	{"containers", "Which install a compose service, a Kubernetes workload (name, kind/name or name/container) or a Kubernetes Service runs: name to a glob of install roots. It overrides matching by bind mounts and by image.",
		func([]*Rule) map[string]any {
			return map[string]any{"type": "object", "additionalProperties": globSchema}
		}},
	{"env", "Values for $env{VAR} placeholders (and ${env:VAR} in EI Analytics YAML); without a value a placeholder port is unknown, never guessed.",
		func([]*Rule) map[string]any {
			return map[string]any{"type": "object", "additionalProperties": map[string]any{"type": "string"}}
		}},
	{"include", "Only files matching one of these globs are linted.",
		func([]*Rule) map[string]any { return oneOrMany(globSchema) }},
	{"exclude", "Files and directories matching one of these globs are skipped.",
		func([]*Rule) map[string]any { return oneOrMany(globSchema) }},
	{"per-file-ignores", "Rules turned off for files matching a glob.",
		func(rs []*Rule) map[string]any {
			return map[string]any{"type": "object", "additionalProperties": oneOrMany(selectorSchema(rs))}
		}},
	{"max-file-size", "Files larger than this are not read (S003): bytes, or a size such as 10MiB (default 10MiB).",
		func([]*Rule) map[string]any {
			return map[string]any{"anyOf": []any{
				map[string]any{"type": "integer", "minimum": 1},
				map[string]any{"type": "string", "pattern": "^[0-9]+ *(KB|MB|GB|KiB|MiB|GiB)?$"},
			}}
		}},
}

func configKeyNames() string {
	names := make([]string, len(ConfigKeys))
	for i, k := range ConfigKeys {
		names[i] = k.Name
	}
	return strings.Join(names, ", ")
}

// ConfigSchema renders ConfigKeys as a JSON Schema (draft 2020-12), for
// editors that validate and complete .wso2lint.yaml.
func ConfigSchema(rules []*Rule) ([]byte, error) {
	props := map[string]any{}
	for _, k := range ConfigKeys {
		s := map[string]any{}
		for key, v := range k.schema(rules) {
			s[key] = v
		}
		s["description"] = k.Doc
		props[k.Name] = s
	}
	schema := map[string]any{
		"$schema":              "https://json-schema.org/draft/2020-12/schema",
		"$id":                  "https://github.com/wso2lint/wso2lint/blob/main/docs/wso2lint.schema.json",
		"title":                ".wso2lint.yaml",
		"description":          "Configuration of wso2lint, the linter for WSO2 Micro Integrator and EI Analytics fleets.",
		"type":                 "object",
		"properties":           props,
		"additionalProperties": false,
	}
	b, err := json.MarshalIndent(schema, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
