package catalogsrc

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/wso2lint/wso2lint/catalog"
)

// A read is a key path a template uses, with the kind of use.
type read struct {
	path catalog.Path
	kind catalog.Kind // Read, Loop (path ends in Any) or Array (path ends in Item)
}

// tagRE finds Jinja tags: {{ expression }}, {% statement %} and
// {# comment #}, with the whitespace-control dashes Jinja allows.
var tagRE = regexp.MustCompile(`(?s)\{\{-?(.*?)-?\}\}|\{%-?(.*?)-?%\}|\{#.*?#\}`)

// forRE matches the head of a for statement: one or two loop variables
// and the iterated expression.
var forRE = regexp.MustCompile(`^for\s+([A-Za-z_]\w*)\s*(?:,\s*([A-Za-z_]\w*)\s*)?\s+in\s+(.+)$`)

// jinjaKeywords are the words of Jinja expressions that are not variables.
var jinjaKeywords = map[string]bool{
	"and": true, "or": true, "not": true, "in": true, "is": true, "if": true, "elif": true,
	"else": true, "endif": true, "for": true, "endfor": true, "true": true, "false": true,
	"True": true, "False": true, "none": true, "None": true, "loop": true, "set": true,
	"endset": true, "recursive": true,
}

// templateReads returns the key paths a Jinja2 template reads, resolving
// loop variables to the array or table they walk. Jinja's own syntax
// beyond what WSO2's templates use (macros, includes, subscripts) is an
// error, so that a new template construct is noticed, not misread.
func templateReads(name, src string) ([]read, error) {
	var out []read
	// scopes binds loop variables to the path they stand for; a for
	// statement pushes a scope and endfor pops it.
	var scopes []map[string]catalog.Path
	resolve := func(chain []string) catalog.Path {
		for i := len(scopes) - 1; i >= 0; i-- {
			if p, ok := scopes[i][chain[0]]; ok {
				if p == nil {
					return nil
				}
				return append(append(catalog.Path{}, p...), chain[1:]...)
			}
		}
		return append(catalog.Path{}, chain...)
	}
	for _, m := range tagRE.FindAllStringSubmatchIndex(src, -1) {
		line := strings.Count(src[:m[0]], "\n") + 1
		switch {
		case m[2] >= 0:
			reads, err := exprReads(src[m[2]:m[3]], resolve)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %w", name, line, err)
			}
			out = append(out, reads...)
		case m[4] >= 0:
			stmt := strings.TrimSpace(src[m[4]:m[5]])
			word, rest, _ := strings.Cut(stmt, " ")
			switch word {
			case "for":
				fm := forRE.FindStringSubmatch(stmt)
				if fm == nil {
					return nil, fmt.Errorf("%s:%d: cannot read %q", name, line, stmt)
				}
				iter := strings.TrimSpace(fm[3])
				scope := map[string]catalog.Path{}
				if base, ok := strings.CutSuffix(iter, ".items()"); ok {
					chain := strings.Split(base, ".")
					p := append(resolve(chain), catalog.Any)
					out = append(out, read{p, catalog.Loop})
					// The key variable names keys, it reads none.
					scope[fm[1]] = nil
					if fm[2] != "" {
						scope[fm[2]] = p
					}
				} else {
					reads, err := exprReads(iter, resolve)
					if err != nil || len(reads) != 1 || reads[0].kind != catalog.Read {
						return nil, fmt.Errorf("%s:%d: cannot read the loop %q", name, line, stmt)
					}
					p := append(reads[0].path, catalog.Item)
					out = append(out, read{p, catalog.Array})
					scope[fm[1]] = p
				}
				scopes = append(scopes, scope)
			case "endfor":
				if len(scopes) == 0 {
					return nil, fmt.Errorf("%s:%d: endfor without for", name, line)
				}
				scopes = scopes[:len(scopes)-1]
			case "if", "elif":
				reads, err := exprReads(rest, resolve)
				if err != nil {
					return nil, fmt.Errorf("%s:%d: %w", name, line, err)
				}
				out = append(out, reads...)
			case "else", "endif":
			default:
				return nil, fmt.Errorf("%s:%d: unsupported statement %q", name, line, word)
			}
		}
	}
	if len(scopes) != 0 {
		return nil, fmt.Errorf("%s: a for statement is not closed", name)
	}
	return out, nil
}

// exprReads returns the variables a Jinja expression reads. A filter's
// name (after '|'), a test's name (after 'is') and a method's name are
// not variables; x.items() reads every key of x.
func exprReads(expr string, resolve func([]string) catalog.Path) ([]read, error) {
	var out []read
	var prev, prev2 string // the two previous tokens, for filters and tests
	push := func(tok string) { prev2, prev = prev, tok }
	for i := 0; i < len(expr); {
		c := expr[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n' || c == '\r':
			i++
		case c == '\'' || c == '"':
			j := i + 1
			for j < len(expr) && expr[j] != c {
				if expr[j] == '\\' {
					j++
				}
				j++
			}
			if j >= len(expr) {
				return nil, fmt.Errorf("unterminated string in %q", expr)
			}
			i = j + 1
			push("string")
		case '0' <= c && c <= '9':
			for i < len(expr) && (expr[i] == '.' || '0' <= expr[i] && expr[i] <= '9') {
				i++
			}
			push("number")
		case c == '_' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z':
			j := i
			for j < len(expr) && (expr[j] == '_' || expr[j] == '.' || '0' <= expr[j] && expr[j] <= '9' || 'a' <= expr[j] && expr[j] <= 'z' || 'A' <= expr[j] && expr[j] <= 'Z') {
				j++
			}
			chain := strings.Split(strings.TrimSuffix(expr[i:j], "."), ".")
			k := j
			for k < len(expr) && expr[k] == ' ' {
				k++
			}
			call := k < len(expr) && expr[k] == '('
			filterOrTest := prev == "|" || prev == "is" || prev == "not" && prev2 == "is"
			i = j
			push(chain[0])
			if filterOrTest || len(chain) == 1 && jinjaKeywords[chain[0]] || chain[0] == "loop" {
				continue
			}
			kind := catalog.Read
			if call {
				method := chain[len(chain)-1]
				chain = chain[:len(chain)-1]
				if len(chain) == 0 {
					return nil, fmt.Errorf("unsupported function %s() in %q", method, expr)
				}
				if method == "items" {
					kind = catalog.Loop
				}
			}
			p := resolve(chain)
			if p == nil {
				continue
			}
			if kind == catalog.Loop {
				p = append(p, catalog.Any)
			}
			if p[len(p)-1] == catalog.Any {
				kind = catalog.Loop
			}
			out = append(out, read{p, kind})
		case c == '[':
			return nil, fmt.Errorf("unsupported subscript in %q", expr)
		default:
			push(string(c))
			i++
		}
	}
	return out, nil
}
