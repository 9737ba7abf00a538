package lint

import (
	"fmt"
	"strings"
)

// Select resolves --select and --ignore lists into the set of rules to
// run. A selector is ALL, a code (P001), a code prefix (P, O0) or a name
// (duplicate-port). With no select list the rules on by default run;
// selecting a rule explicitly (by any selector, ALL included) also runs
// rules that are off by default.
func Select(rules []*Rule, sel, ign []string) (map[*Rule]bool, error) {
	on := map[*Rule]bool{}
	if len(sel) == 0 {
		for _, r := range rules {
			if !r.Off {
				on[r] = true
			}
		}
	}
	for _, s := range sel {
		ms, err := match(rules, s)
		if err != nil {
			return nil, err
		}
		for _, r := range ms {
			on[r] = true
		}
	}
	for _, s := range ign {
		ms, err := match(rules, s)
		if err != nil {
			return nil, err
		}
		for _, r := range ms {
			delete(on, r)
		}
	}
	return on, nil
}

// ValidateSelector reports whether s names at least one rule.
func ValidateSelector(rules []*Rule, s string) error {
	_, err := match(rules, s)
	return err
}

func match(rules []*Rule, s string) ([]*Rule, error) {
	s = strings.TrimSpace(s)
	var out []*Rule
	for _, r := range rules {
		if matchOne(r, s) {
			out = append(out, r)
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("unknown rule selector %q (want a code such as P001, a prefix such as P, a name such as duplicate-port, or ALL)", s)
	}
	return out, nil
}

func matchOne(r *Rule, s string) bool {
	if s == "ALL" || r.Name == s {
		return true
	}
	return s != "" && strings.HasPrefix(r.Code, strings.ToUpper(s)) && isCodeLike(s)
}

// isCodeLike reports whether s looks like a code or code prefix: letters
// then digits.
func isCodeLike(s string) bool {
	i := 0
	for i < len(s) && (s[i] >= 'A' && s[i] <= 'Z' || s[i] >= 'a' && s[i] <= 'z') {
		i++
	}
	if i == 0 {
		return false
	}
	for ; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func matchesAny(r *Rule, sels []string) bool {
	for _, s := range sels {
		if matchOne(r, s) {
			return true
		}
	}
	return false
}
