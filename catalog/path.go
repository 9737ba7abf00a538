package catalog

import (
	"fmt"
	"strconv"
	"strings"
)

// Path is a key of deployment.toml as WSO2's config mapper sees it: the
// logical parts of the key (quotes removed, so that 'internal.http.api.port'
// is one part), with two markers. Item marks the elements of an array (an
// array of tables, [[datasource]], or an array value), and Any stands for
// every key below a table that a template loops over
// ({% for k, v in synapse_properties.items() %}).
type Path []string

// The markers a Path may hold besides key parts. Neither can be a TOML
// key part as written: a key part "[]" or "*" would be quoted and so not
// a marker once parsed.
const (
	Item = "[]"
	Any  = "*"
)

// String writes a path as the catalogue file and messages write it:
// parts joined by dots, a part that needs it in single quotes, Item
// written as "[]" after its array (transport.jms.listener[].parameter.*).
func (p Path) String() string {
	var b strings.Builder
	for i, part := range p {
		switch {
		case part == Item:
			b.WriteString(Item)
			continue
		case i > 0:
			b.WriteByte('.')
		}
		if part == Any {
			b.WriteString(part)
		} else {
			b.WriteString(KeyPart(part))
		}
	}
	return b.String()
}

// KeyPart writes one part of a dotted key as TOML allows it: bare when it
// is made of ASCII letters, digits, '_' and '-', else in single quotes, or
// in double quotes when it holds a single quote or a control character,
// which a literal key cannot.
func KeyPart(part string) string {
	switch {
	case !needsQuotes(part):
		return part
	case strings.ContainsFunc(part, func(r rune) bool { return r == '\'' || r < ' ' || r == 0x7f }):
		return strconv.Quote(part)
	}
	return "'" + part + "'"
}

// needsQuotes reports whether a key part must be quoted to be written as
// one part of a dotted key.
func needsQuotes(part string) bool {
	if part == "" || part == Any {
		return true
	}
	for i := 0; i < len(part); i++ {
		c := part[i]
		if !(c == '_' || c == '-' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') {
			return true
		}
	}
	return false
}

// ParsePath reads a path as String writes it. It also reads the key
// notation of WSO2's key-mappings.json and default.json: dotted parts,
// single-quoted parts holding dots, and ':' between an array of tables and
// the key inside its elements (transport.mail.sender:parameter.port).
func ParsePath(s string) (Path, error) {
	var p Path
	i := 0
	expectPart := true
	for i < len(s) {
		switch c := s[i]; {
		case c == '.' && !expectPart:
			expectPart = true
			i++
		case c == ':' && !expectPart:
			p = append(p, Item)
			expectPart = true
			i++
		case c == '[' && !expectPart && strings.HasPrefix(s[i:], Item):
			p = append(p, Item)
			i += len(Item)
		case expectPart && c == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return nil, fmt.Errorf("key %q: unterminated quote", s)
			}
			p = append(p, s[i+1:i+1+end])
			i += end + 2
			expectPart = false
		case expectPart:
			j := i
			for j < len(s) && s[j] != '.' && s[j] != ':' && s[j] != '[' && s[j] != '\'' {
				j++
			}
			if j == i {
				return nil, fmt.Errorf("key %q: empty part at byte %d", s, i)
			}
			p = append(p, s[i:j])
			i = j
			expectPart = false
		default:
			return nil, fmt.Errorf("key %q: unexpected %q at byte %d", s, c, i)
		}
	}
	if expectPart {
		return nil, fmt.Errorf("key %q: ends with a separator", s)
	}
	return p, nil
}

// MustParsePath is ParsePath for paths written in the program.
func MustParsePath(s string) Path {
	p, err := ParsePath(s)
	if err != nil {
		panic(err)
	}
	return p
}

// Equal reports whether two paths are the same.
func (p Path) Equal(q Path) bool {
	if len(p) != len(q) {
		return false
	}
	for i := range p {
		if p[i] != q[i] {
			return false
		}
	}
	return true
}

// HasPrefix reports whether p starts with q.
func (p Path) HasPrefix(q Path) bool { return len(p) >= len(q) && p[:len(q)].Equal(q) }

// Keys returns the path without its Item markers: the key path a TOML
// document writes (datasource.url for datasource[].url).
func (p Path) Keys() []string {
	out := make([]string, 0, len(p))
	for _, part := range p {
		if part != Item {
			out = append(out, part)
		}
	}
	return out
}

// DocPath returns the catalogue path of a key written in a document:
// Item after every prefix of keys that the document declares an array of
// tables ([[datasource]] url = ... is datasource[].url).
func DocPath(keys []string, isArray func(prefix []string) bool) Path {
	p := make(Path, 0, len(keys)+1)
	for i, part := range keys {
		p = append(p, part)
		if i < len(keys)-1 && isArray(keys[:i+1]) {
			p = append(p, Item)
		}
	}
	return p
}
