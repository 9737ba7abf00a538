package lint

import (
	"fmt"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/embedded"
	"github.com/wso2lint/wso2lint/internal/srcpos"
	"github.com/wso2lint/wso2lint/internal/tomlast"
	"github.com/wso2lint/wso2lint/internal/yamlast"
	"github.com/wso2lint/wso2lint/rewrite"
)

// Verify checks a fixed file against its original: it must still parse,
// and every value outside the edited spans must keep its logical key and
// its value. A fix may change what it edits, never anything else.
func Verify(f *fleet.File, fixed []byte, edits []rewrite.Edit) error {
	old, ok, err := originalValues(f)
	if err != nil || !ok {
		return err
	}
	return verifyValues(f, old, fixed, edits, nil)
}

// originalValues returns the values of f as it is, to compare a fixed
// version with; ok is false for a file with no document to compare (one
// that does not parse). A document the lint released is parsed again
// here and not kept: the fix loop verifies thousands of files, and
// keeping each one's document made its memory grow with them.
func originalValues(f *fleet.File) (_ []located, ok bool, _ error) {
	if f.Released() {
		if err := f.Restore(); err != nil { // a streamed run dropped the bytes too
			return nil, false, err
		}
	}
	switch {
	case f.TOML != nil:
		return tomlValues(f.TOML), true, nil
	case f.YAML != nil:
		return yamlValues(f.YAML), true, nil
	case f.Problem != nil:
		return nil, false, nil
	case f.Format == fleet.TOML:
		d, err := tomlast.Parse(f.Src)
		if err != nil {
			return nil, false, nil
		}
		return tomlValues(d), true, nil
	case f.Format == fleet.YAML:
		d, err := yamlast.Parse(f.Src)
		if err != nil {
			return nil, false, nil
		}
		return yamlValues(d), true, nil
	}
	return nil, false, nil
}

// verifyValues is Verify with the original's values given. loaded, when
// not nil, is the fixed file as a load makes it, whose document it
// compares instead of parsing fixed again; one with a problem is parsed
// here, for the parser's own words.
func verifyValues(f *fleet.File, old []located, fixed []byte, edits []rewrite.Edit, loaded *fleet.File) error {
	switch {
	case loaded != nil && loaded.TOML != nil:
		return compare(old, tomlValues(loaded.TOML), edits)
	case loaded != nil && loaded.YAML != nil:
		return compare(old, yamlValues(loaded.YAML), edits)
	case f.Format == fleet.TOML:
		nd, err := tomlast.Parse(fixed)
		if err != nil {
			return fmt.Errorf("the fixed file does not parse: %w", err)
		}
		return compare(old, tomlValues(nd), edits)
	}
	nd, err := yamlast.Parse(fixed)
	if err != nil {
		return fmt.Errorf("the fixed file does not parse: %w", err)
	}
	return compare(old, yamlValues(nd), edits)
}

// located is a value with its logical key, its kind (a TOML type or a
// YAML tag), its text and its span.
type located struct {
	key, kind, value string
	span             srcpos.Span
}

func tomlValues(d *tomlast.Doc) []located {
	out := make([]located, 0, len(d.Entries))
	var key []byte
	for _, e := range d.Entries {
		if e.Value.Kind == tomlast.InlineTable {
			continue
		}
		key = key[:0]
		for i, p := range e.Path {
			if i > 0 {
				key = append(key, 0)
			}
			key = append(key, p...)
		}
		key = strconv.AppendInt(append(key, "\x00#"...), int64(tableIndex(e)), 10)
		out = append(out, located{key: string(key), kind: e.Value.Kind.String(), value: e.Value.Text, span: e.Span})
	}
	return out
}

func tableIndex(e *tomlast.Entry) int {
	if e.Table == nil {
		return -1
	}
	return e.Table.Index
}

func yamlValues(d *yamlast.Doc) []located {
	var out []located
	budget := 1 << 20
	// A value is located from its key's start (or its own, in a
	// sequence) to its own start, so that renaming the key touches it.
	var walk func(n *yaml.Node, path string, from int)
	walk = func(n *yaml.Node, path string, from int) {
		if budget--; budget < 0 || n == nil {
			return
		}
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, path, -1)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				walk(n.Content[i+1], path+"\x00"+n.Content[i].Value, d.Offset(n.Content[i]))
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(c, fmt.Sprintf("%s\x00[%d]", path, i), -1)
			}
		case yaml.ScalarNode:
			if n.Value == "" && (n.Tag == "!!null" || from < 0) {
				// An empty value has no bytes to keep; an empty item of a
				// sequence has at most a tag, and yaml.v3 places it where
				// the next token starts, which may lie past an edit that
				// moved it (a tagged item on the last line, say).
				return
			}
			off := d.Offset(n)
			start := from
			if start < 0 || start > off {
				start = off
			}
			// The whole scalar, so that an edit inside it (a port within
			// "8243:8243") counts as touching it.
			end := off + 1
			if sp, ok := d.ScalarSpan(n); ok && sp.End > end {
				end = sp.End
			}
			if n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
				// A block scalar runs over the lines below its header: an
				// edit of them (a fix of the config a ConfigMap carries)
				// touches it, and so does a line inserted after its last
				// one, which extends it.
				if b, ok := embedded.Block(d.Src, off, blockParent(d, off, from)); ok {
					if _, e := b.Extent(); e+1 > end {
						end = e + 1
					}
				}
			}
			out = append(out, located{key: path, kind: n.Tag, value: n.Value, span: srcpos.Span{Start: start, End: end}})
		}
	}
	for _, doc := range d.Documents {
		walk(doc, "", -1)
	}
	return out
}

// blockParent returns the indentation of the node that holds the block
// scalar whose header is at off: the column of its key (from, -1 for a
// sequence item), else the indentation of the header's line.
func blockParent(d *yamlast.Doc, off, from int) int {
	at := from
	if at < 0 {
		at = off
	}
	start := d.Lines.LineStart(d.Lines.Pos(at).Line)
	if from >= 0 {
		return from - start
	}
	i := start
	for i < len(d.Src) && d.Src[i] == ' ' {
		i++
	}
	return i - start
}

// compare matches every old value outside the edits with the new value at
// its shifted offset.
func compare(old, now []located, edits []rewrite.Edit) error {
	at := make(map[int]located, len(now))
	for _, v := range now {
		at[v.span.Start] = v
	}
	for _, v := range old {
		shifted, touched := shift(v.span, edits)
		if touched {
			continue
		}
		n, ok := at[shifted]
		if !ok || n.key != v.key || n.kind != v.kind || n.value != v.value {
			return fmt.Errorf("the value of %s changed outside the fix's edits", strings.ReplaceAll(strings.TrimPrefix(v.key, "\x00"), "\x00", "."))
		}
	}
	return nil
}

// shift maps an old span start to its offset after the edits, and says
// whether an edit touches the span.
func shift(s srcpos.Span, edits []rewrite.Edit) (int, bool) {
	delta := 0
	for _, e := range edits {
		if e.Start < s.End && s.Start < e.End || (e.Start == e.End && e.Start > s.Start && e.Start < s.End) {
			return 0, true
		}
		if e.End <= s.Start {
			delta += len(e.New) - (e.End - e.Start)
		}
	}
	return s.Start + delta, false
}
