package fleet

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/wso2lint/wso2lint/internal/lazyre"
)

var (
	// tomlPlaceholder matches a whole WSO2 config-mapper placeholder.
	tomlPlaceholder = lazyre.New(`^\$(env|sys|ref|secret)\{([^{}]*)\}$`)
	// anyTOMLPlaceholder finds a WSO2 placeholder inside a longer string.
	anyTOMLPlaceholder = lazyre.New(`\$(env|sys|ref|secret)\{[^{}]*\}`)
	// yamlPlaceholder matches a Carbon 5 placeholder in deployment.yaml.
	yamlPlaceholder    = lazyre.New(`^\$\{(env|sys|sec):([^{}]*)\}$`)
	anyYAMLPlaceholder = lazyre.New(`\$\{(env|sys|sec):[^{}]*\}`)
)

// resolveNumber decides the numeric value of a port or offset setting from
// its kind and text, following how WSO2 renders values as text: 8290 and
// "8290" behave the same, a placeholder is resolved only from env, and
// anything else fails at runtime. yaml selects the Carbon 5 placeholder
// syntax (${env:X}) instead of the config mapper's ($env{X}).
func resolveNumber(s *Setting, env map[string]string, yaml bool) {
	switch s.Kind {
	case "integer":
		n, err := strconv.ParseInt(strings.ReplaceAll(s.Raw, "_", ""), 0, 64)
		if err != nil || n > 1<<31-1 || n < -(1<<31) {
			s.State, s.Problem = Invalid, fmt.Sprintf("%s is not a 32-bit integer", s.Raw)
			return
		}
		s.Int, s.State = int(n), Known
	case "string":
		if n, ok := parseDecimal(s.Raw); ok {
			s.Int, s.State = n, Known
			return
		}
		whole, partial, name := tomlPlaceholder, anyTOMLPlaceholder, "$env{VAR}"
		if yaml {
			whole, partial, name = yamlPlaceholder, anyYAMLPlaceholder, "${env:VAR}"
		}
		if m := whole.FindStringSubmatch(s.Raw); m != nil {
			if m[1] == "env" {
				if v, ok := env[m[2]]; ok {
					if n, ok := parseDecimal(v); ok {
						s.Int, s.State = n, Known
						return
					}
					s.State, s.Problem = Invalid, fmt.Sprintf("env value %s=%q is not a number", m[2], v)
					return
				}
			}
			s.State, s.Problem = Unresolved, fmt.Sprintf("placeholder %s has no value (give it under env: in .wso2lint.yaml)", s.Raw)
			return
		}
		if partial.MatchString(s.Raw) {
			s.State, s.Problem = Unresolved, fmt.Sprintf("value %q holds a placeholder that cannot be resolved statically", s.Raw)
			return
		}
		if !yaml && (strings.Contains(s.Raw, "${") || strings.Contains(s.Raw, "%{")) {
			s.State, s.Problem = Invalid, fmt.Sprintf("%q is not WSO2 placeholder syntax; WSO2 writes %s", s.Raw, name)
			return
		}
		s.State, s.Problem = Invalid, fmt.Sprintf("%q is not a number", s.Raw)
	case "":
		s.State, s.Problem = Invalid, "no value"
	default:
		s.State, s.Problem = Invalid, fmt.Sprintf("a %s is not a port number", s.Kind)
	}
}

// parseDecimal parses an optionally signed decimal integer, the form
// Java's Integer.parseInt accepts.
func parseDecimal(s string) (int, bool) {
	if s == "" || len(s) > 11 {
		return 0, false
	}
	i := 0
	if s[0] == '-' || s[0] == '+' {
		i = 1
	}
	if i == len(s) {
		return 0, false
	}
	for _, c := range s[i:] {
		if c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(s)
	if err != nil || n > 1<<31-1 || n < -(1<<31) {
		return 0, false
	}
	return n, true
}
