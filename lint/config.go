package lint

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/bmatcuk/doublestar/v4"
	"gopkg.in/yaml.v3"

	"github.com/wso2lint/wso2lint/catalog"
	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/readfile"
	"github.com/wso2lint/wso2lint/internal/yamlast"
)

// ConfigFileName is the configuration file found by walking up from the
// first linted path.
const ConfigFileName = ".wso2lint.yaml"

// Config is the content of .wso2lint.yaml (the README documents every key).
type Config struct {
	// Path is the file the configuration was read from; "" for none.
	Path   string
	Select []string
	Ignore []string
	// FailLevel is set when HasFailLevel.
	FailLevel    Severity
	HasFailLevel bool
	Severity     map[string]Severity
	// Ephemeral is the ephemeral port range, zero when unset.
	Ephemeral      [2]int
	Hosts          []fleet.HostGlobs
	Env            map[string]string
	Include        []string
	Exclude        []string
	PerFileIgnores []PerFileIgnore
	MaxFileSize    int64
	// Containers maps compose services, Kubernetes workloads and Services
	// to a glob of install roots.
	Containers map[string]string
	// MIVersions gives the MI release of installs by glob, in the
	// file's order.
	MIVersions []fleet.VersionGlob
	// EIVersions gives the EI Analytics line of installs by glob, in the
	// file's order.
	EIVersions []fleet.EIVersionGlob
}

// ConfigError is a usage error in a configuration file, with its
// position.
type ConfigError struct {
	Path      string
	Line, Col int
	Msg       string
}

func (e *ConfigError) Error() string {
	if e.Line == 0 {
		return fmt.Sprintf("%s: %s", e.Path, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.Path, e.Line, e.Col, e.Msg)
}

// FindConfig walks up from start (a file or directory) to the file system
// root and returns the first .wso2lint.yaml found, or "".
func FindConfig(start string) string {
	abs, err := filepath.Abs(start)
	if err != nil {
		return ""
	}
	if fi, err := os.Stat(abs); err == nil && !fi.IsDir() {
		abs = filepath.Dir(abs)
	}
	for {
		p := filepath.Join(abs, ConfigFileName)
		if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
			return p
		}
		parent := filepath.Dir(abs)
		if parent == abs {
			return ""
		}
		abs = parent
	}
}

// UserConfig returns the user-wide configuration file,
// $XDG_CONFIG_HOME/wso2lint/config.yaml (~/.config when the variable is
// unset), or "" when it does not exist. getenv reads the environment, so
// that the CLI and the language server can be run with their own.
func UserConfig(getenv func(string) string) string {
	dir := getenv("XDG_CONFIG_HOME")
	if dir == "" {
		home := getenv("HOME")
		if home == "" {
			return ""
		}
		dir = filepath.Join(home, ".config")
	}
	p := filepath.Join(dir, "wso2lint", "config.yaml")
	if fi, err := os.Stat(p); err == nil && fi.Mode().IsRegular() {
		return p
	}
	return ""
}

// LoadConfig reads and validates a configuration file. Unknown keys, bad
// globs, unknown rule codes and malformed values are errors naming the
// line. display is the path shown in errors.
func LoadConfig(path, display string, rules []*Rule) (*Config, error) {
	// Bounded and regular only, like the files it configures: a
	// --config of /dev/zero or a FIFO would otherwise grow or block the
	// run for ever.
	src, err := readfile.Regular(path, fleet.DefaultMaxFileSize)
	if err != nil {
		return nil, &ConfigError{Path: display, Msg: "cannot read configuration: " + err.Error()}
	}
	return ParseConfig(src, display, rules)
}

// ParseConfig parses configuration bytes; see LoadConfig.
func ParseConfig(src []byte, display string, rules []*Rule) (*Config, error) {
	cfg := &Config{Path: display}
	doc, err := yamlast.Parse(src)
	if err != nil {
		var se *yamlast.SyntaxError
		if errors.As(err, &se) {
			return nil, &ConfigError{Path: display, Line: se.Pos.Line, Col: se.Pos.Col, Msg: se.Message}
		}
		return nil, &ConfigError{Path: display, Msg: err.Error()}
	}
	fail := func(n *yaml.Node, format string, args ...any) error {
		p := doc.Pos(n)
		return &ConfigError{Path: display, Line: p.Line, Col: p.Col, Msg: fmt.Sprintf(format, args...)}
	}
	if len(doc.Duplicates) > 0 {
		d := doc.Duplicates[0]
		return nil, fail(d.Keys[len(d.Keys)-1], "key %q is defined more than once", d.Path)
	}
	root := doc.Root
	if root == nil {
		return cfg, nil
	}
	if root.Kind != yaml.MappingNode {
		return nil, fail(root, "the configuration must be a mapping of keys")
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], yamlast.Resolve(root.Content[i+1])
		var err error
		switch k.Value {
		case "select":
			cfg.Select, err = selectors(v, rules, fail)
		case "ignore":
			cfg.Ignore, err = selectors(v, rules, fail)
		case "fail-level":
			cfg.FailLevel, err = severityOf(v, fail)
			cfg.HasFailLevel = err == nil
		case "severity":
			err = mapping(v, fail, func(k, v *yaml.Node) error {
				r := Lookup(rules, k.Value)
				if r == nil {
					return fail(k, "unknown rule %q", k.Value)
				}
				s, err := severityOf(v, fail)
				if cfg.Severity == nil {
					cfg.Severity = map[string]Severity{}
				}
				cfg.Severity[r.Code] = s
				return err
			})
		case "ephemeral-range":
			var xs []string
			xs, err = stringList(v, fail)
			if err == nil {
				if len(xs) != 2 {
					return nil, fail(v, "ephemeral-range wants two ports, [low, high]")
				}
				lo, e1 := strconv.Atoi(xs[0])
				hi, e2 := strconv.Atoi(xs[1])
				if e1 != nil || e2 != nil || lo < 1 || hi > 65535 || lo > hi {
					return nil, fail(v, "ephemeral-range wants two ports 1-65535, low first")
				}
				cfg.Ephemeral = [2]int{lo, hi}
			}
		case "hosts":
			err = mapping(v, fail, func(k, v *yaml.Node) error {
				globs, err := globList(v, fail)
				cfg.Hosts = append(cfg.Hosts, fleet.HostGlobs{Name: k.Value, Globs: globs})
				return err
			})
		case "mi-version":
			err = mapping(v, fail, func(k, v *yaml.Node) error {
				if !doublestar.ValidatePattern(k.Value) {
					return fail(k, "bad glob %q", k.Value)
				}
				r, ok := catalog.ParseRelease(v.Value)
				if v.Kind != yaml.ScalarNode || !ok {
					return fail(v, "mi-version: %q is not an MI release the catalogue knows (4.0 to 4.4)", v.Value)
				}
				cfg.MIVersions = append(cfg.MIVersions, fleet.VersionGlob{Glob: k.Value, Release: r})
				return nil
			})
		case "ei-analytics-version":
			err = mapping(v, fail, func(k, v *yaml.Node) error {
				if !doublestar.ValidatePattern(k.Value) {
					return fail(k, "bad glob %q", k.Value)
				}
				line := fleet.EILineOfVersion(v.Value)
				if v.Kind != yaml.ScalarNode || line == fleet.EILineUnknown {
					return fail(v, "ei-analytics-version: %q is not an EI Analytics release wso2lint knows (6.4, 6.5, 6.6 or 7.1)", v.Value)
				}
				cfg.EIVersions = append(cfg.EIVersions, fleet.EIVersionGlob{Glob: k.Value, Line: line})
				return nil
			})
		case "containers":
			err = mapping(v, fail, func(k, v *yaml.Node) error {
				if k.Value == "" {
					return fail(k, "containers: a service or workload name must not be empty")
				}
				if v.Kind != yaml.ScalarNode || v.Value == "" {
					return fail(v, "containers: %s wants one install root glob", k.Value)
				}
				if !doublestar.ValidatePattern(v.Value) {
					return fail(v, "bad glob %q", v.Value)
				}
				if cfg.Containers == nil {
					cfg.Containers = map[string]string{}
				}
				cfg.Containers[k.Value] = v.Value
				return nil
			})
		case "env":
			err = mapping(v, fail, func(k, v *yaml.Node) error {
				if v.Kind != yaml.ScalarNode {
					return fail(v, "env values must be strings")
				}
				if cfg.Env == nil {
					cfg.Env = map[string]string{}
				}
				cfg.Env[k.Value] = v.Value
				return nil
			})
		case "include":
			cfg.Include, err = globList(v, fail)
		case "exclude":
			cfg.Exclude, err = globList(v, fail)
		case "per-file-ignores":
			err = mapping(v, fail, func(k, v *yaml.Node) error {
				if !doublestar.ValidatePattern(k.Value) {
					return fail(k, "bad glob %q", k.Value)
				}
				codes, err := selectors(v, rules, fail)
				cfg.PerFileIgnores = append(cfg.PerFileIgnores, PerFileIgnore{Glob: k.Value, Codes: codes})
				return err
			})
		case "max-file-size":
			cfg.MaxFileSize, err = sizeOf(v, fail)
		default:
			return nil, fail(k, "unknown configuration key %q (known: %s)", k.Value, configKeyNames())
		}
		if err != nil {
			return nil, err
		}
	}
	return cfg, nil
}

type failFunc func(n *yaml.Node, format string, args ...any) error

// strings_ reads a scalar or a sequence of scalars.
func stringList(v *yaml.Node, fail failFunc) ([]string, error) {
	if v.Kind == yaml.ScalarNode {
		return []string{v.Value}, nil
	}
	if v.Kind != yaml.SequenceNode {
		return nil, fail(v, "want a list")
	}
	var out []string
	for _, n := range v.Content {
		n = yamlast.Resolve(n)
		if n.Kind != yaml.ScalarNode {
			return nil, fail(n, "want a plain value")
		}
		out = append(out, n.Value)
	}
	return out, nil
}

func selectors(v *yaml.Node, rules []*Rule, fail failFunc) ([]string, error) {
	xs, err := stringList(v, fail)
	if err != nil {
		return nil, err
	}
	for i, x := range xs {
		if err := ValidateSelector(rules, x); err != nil {
			n := v
			if v.Kind == yaml.SequenceNode {
				n = v.Content[i]
			}
			return nil, fail(n, "%v", err)
		}
	}
	return xs, nil
}

func globList(v *yaml.Node, fail failFunc) ([]string, error) {
	xs, err := stringList(v, fail)
	if err != nil {
		return nil, err
	}
	for i, x := range xs {
		if !doublestar.ValidatePattern(x) {
			n := v
			if v.Kind == yaml.SequenceNode {
				n = v.Content[i]
			}
			return nil, fail(n, "bad glob %q", x)
		}
	}
	return xs, nil
}

func mapping(v *yaml.Node, fail failFunc, each func(k, v *yaml.Node) error) error {
	if v.Kind != yaml.MappingNode {
		return fail(v, "want a mapping")
	}
	for i := 0; i+1 < len(v.Content); i += 2 {
		if err := each(v.Content[i], yamlast.Resolve(v.Content[i+1])); err != nil {
			return err
		}
	}
	return nil
}

func severityOf(v *yaml.Node, fail failFunc) (Severity, error) {
	s, err := ParseSeverity(v.Value)
	if err != nil || v.Kind != yaml.ScalarNode {
		return 0, fail(v, "unknown severity %q (want error, warning or info)", v.Value)
	}
	return s, nil
}

// sizeOf reads a byte count: a number, or a number with KB, MB, KiB or MiB.
func sizeOf(v *yaml.Node, fail failFunc) (int64, error) {
	s := strings.TrimSpace(v.Value)
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		n      int64
	}{{"KiB", 1 << 10}, {"MiB", 1 << 20}, {"GiB", 1 << 30}, {"KB", 1000}, {"MB", 1000 * 1000}, {"GB", 1000 * 1000 * 1000}} {
		if strings.HasSuffix(s, u.suffix) {
			s, mult = strings.TrimSpace(strings.TrimSuffix(s, u.suffix)), u.n
			break
		}
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n <= 0 {
		return 0, fail(v, "max-file-size wants a positive size such as 10MiB")
	}
	return n * mult, nil
}

// LoadOptions returns the fleet's load options that the configuration
// sets, with display paths relative to workDir and the configuration's
// globs relative to base. The CLI and the language server both load
// through it, so that a new setting reaches both.
func (c *Config) LoadOptions(workDir, base string) fleet.Options {
	return fleet.Options{WorkDir: workDir, Base: base,
		Include: c.Include, Exclude: c.Exclude, Hosts: c.Hosts, MIVersions: c.MIVersions, EIVersions: c.EIVersions,
		Env: c.Env, MaxFileSize: c.MaxFileSize, Containers: c.Containers}
}

// RunOptions returns the engine's options that the configuration sets for
// the enabled rules; base is the configuration's directory relative to the
// working directory, which its per-file-ignores globs are relative to.
func (c *Config) RunOptions(rules []*Rule, enabled map[*Rule]bool, base string) Options {
	return Options{Rules: rules, Enabled: enabled, Severity: c.Severity, Ephemeral: c.Ephemeral,
		PerFileIgnores: c.PerFileIgnores, Base: base}
}
