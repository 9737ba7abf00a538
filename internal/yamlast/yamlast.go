package yamlast

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/wso2lint/wso2lint/internal/srcpos"
	"gopkg.in/yaml.v3"
)

// Doc is a parsed YAML file, one or more documents, kept together with its
// original bytes so that every node can be mapped back to an exact byte
// range for findings and format-preserving fixes.
type Doc struct {
	// Src is the file exactly as read; spans index into it.
	Src []byte
	// Lines turns byte offsets into the 1-based line and byte column that
	// every finding carries.
	Lines *srcpos.Lines
	// Documents holds each DocumentNode in file order, because a
	// deployment.yaml may hold several documents separated by "---".
	Documents []*yaml.Node
	// Root is the content node of the first document, the one WSO2 reads,
	// or nil for an empty file or a file of only comments.
	Root *yaml.Node
	// Comments lists every comment in file order, so that inline
	// suppressions can be found without re-scanning the file.
	Comments []Comment
	// Duplicates lists every repeated mapping key, because yaml.v3 reports
	// none when decoding into a Node while WSO2 silently keeps the last one.
	Duplicates []Duplicate

	ylines []yline
}

// Comment is one '#' comment.
type Comment = srcpos.Comment

// Duplicate is one mapping key written more than once in the same mapping.
// WSO2 keeps the last value without a word, so every occurrence is reported.
type Duplicate struct {
	// Path is the dotted logical path of the repeated key, the mapping's
	// path plus the key, with sequence items as [i]: for example
	// "wso2.carbon.ports.offset" or
	// "wso2.transport.http.listenerConfigurations[0].port". Keys that
	// contain dots are joined as written, the way WSO2 documents them.
	Path string
	// Keys holds every occurrence of the key, in file order.
	Keys []*yaml.Node
	// Spans holds the byte span of each key in Keys, in the same order.
	Spans []srcpos.Span
	// Document is the index in Doc.Documents of the document holding the
	// mapping, so that equal paths in different documents stay apart.
	Document int
}

// Parse parses src, which may hold several documents, and indexes it for
// byte-exact positions. A syntax error is returned as a *SyntaxError with
// the best position yaml.v3's message allows; yaml.v3 panics are recovered
// and reported the same way, so a hostile file can never crash the linter.
//
// Even on a syntax error Parse returns a Doc holding Src, Lines and
// Comments (but no Documents, Root or Duplicates), so that the caller can
// still honour suppression comments in a file that does not parse.
//
// Parse does not copy src: the Doc and the strings it holds share its
// memory, so the caller must never modify it.
func Parse(src []byte) (*Doc, error) {
	docs, p, ok := parseFastParser(src)
	if ok {
		// The fast path noted the lines and comments as it went: no need
		// for the separate passes below (fast.go).
		lines := p.ylines()
		d := &Doc{Src: src, Lines: srcpos.NewLines(src), ylines: lines, Comments: p.comments(lines),
			Documents: docs, Root: docs[0].Content[0]}
		p.recycle()
		d.Duplicates = d.findDuplicates()
		return d, nil
	}
	var lines []yline
	if p != nil {
		// The fast path gave up after splitting the lines, which it does
		// as indexLines would: what it spent is not spent twice.
		lines = p.ylines()
		p.recycle()
	} else {
		lines = indexLines(src)
	}
	return parseSlow(src, lines)
}

// parseSlow is Parse by yaml.v3, for what the fast path does not take;
// lines is the file's line index.
func parseSlow(src []byte, lines []yline) (*Doc, error) {
	d := &Doc{Src: src, Lines: srcpos.NewLines(src), ylines: lines}
	sc := scanComments(src, d.ylines)
	d.Comments = sc.comments
	if bytes.HasPrefix(src, []byte{0xFE, 0xFF}) || bytes.HasPrefix(src, []byte{0xFF, 0xFE}) {
		// yaml.v3 would transcode UTF-16, and every position it reports
		// would then be wrong for the bytes on disk; a fix would corrupt
		// the file.
		return d, d.errorAt(srcpos.Span{Start: 0, End: 2}, "UTF-16 input is not supported; the file must be UTF-8")
	}
	docs, err := decodeAll(src)
	if err != nil {
		return d, d.syntaxError(err, &sc)
	}
	d.Documents = docs
	if len(docs) > 0 && len(docs[0].Content) > 0 {
		d.Root = docs[0].Content[0]
	}
	d.Duplicates = d.findDuplicates()
	return d, nil
}

// panicError carries a panic recovered from yaml.v3.
type panicError struct{ value any }

func (e *panicError) Error() string { return fmt.Sprint(e.value) }

// decodeAll decodes every document of src into nodes. Decoding into a
// yaml.Node expands no aliases, so a billion-laughs file stays small.
func decodeAll(src []byte) (docs []*yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil {
			docs, err = nil, &panicError{r}
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(src))
	for {
		n := new(yaml.Node)
		if err := dec.Decode(n); err != nil {
			if errors.Is(err, io.EOF) {
				return docs, nil
			}
			return nil, err
		}
		docs = append(docs, n)
	}
}

// Get returns the key and value nodes for key in the mapping m. When a key
// repeats it returns the last occurrence, because that is the value WSO2
// (and every YAML loader that tolerates duplicates) ends up using. It
// returns nil, nil when the key is absent or m is not a mapping. It follows
// neither aliases nor merge keys: a caller that wants them calls Resolve.
func Get(m *yaml.Node, key string) (k, v *yaml.Node) {
	if m == nil || m.Kind != yaml.MappingNode {
		return nil, nil
	}
	for i := len(m.Content) - 2; i >= 0; i -= 2 {
		if kn := m.Content[i]; kn.Kind == yaml.ScalarNode && kn.Value == key {
			return kn, m.Content[i+1]
		}
	}
	return nil, nil
}

// Lookup is Get with YAML merge keys resolved, as Carbon's YAML loader
// resolves them: Carbon reads deployment.yaml with SnakeYAML's default
// constructor, whose flattenMapping merges "<<: *base" and
// "<<: [*a, *b]" into the mapping. A key written in the mapping itself
// wins over a merged one wherever it stands (the last one when written
// twice); among merged mappings the first that has the key wins, so in a
// sequence earlier entries win over later ones; a merged mapping's own
// merges count, as it was flattened first.
//
// The nodes returned are the ones in the merged mapping, so positions point
// at where the value is really written. via is "" for a key of m itself;
// for a merged one it names the merge ("*base", or "<<" for a mapping
// written in place), because that value is shared with every mapping that
// merges the same anchor and must not be edited as if it were m's own.
func Lookup(m *yaml.Node, key string) (k, v *yaml.Node, via string) {
	return lookup(m, key, 0)
}

// maxMergeDepth bounds the merges followed from one mapping; yaml.v3
// rejects an anchor that contains itself, so this only guards against
// pathological nesting.
const maxMergeDepth = 32

func lookup(m *yaml.Node, key string, depth int) (k, v *yaml.Node, via string) {
	if m == nil || m.Kind != yaml.MappingNode || depth > maxMergeDepth {
		return nil, nil, ""
	}
	for i := len(m.Content) - 2; i >= 0; i -= 2 {
		if kn := m.Content[i]; kn.Kind == yaml.ScalarNode && kn.Value == key && !isMergeKey(kn) {
			return kn, m.Content[i+1], ""
		}
	}
	for i := 0; i+1 < len(m.Content); i += 2 {
		if !isMergeKey(m.Content[i]) {
			continue
		}
		val := m.Content[i+1]
		sources := []*yaml.Node{val}
		if r := Resolve(val); r != nil && r.Kind == yaml.SequenceNode {
			sources = r.Content
		}
		for _, src := range sources {
			name := "<<"
			if src.Kind == yaml.AliasNode {
				name = "*" + src.Value
			}
			if k, v, _ := lookup(Resolve(src), key, depth+1); v != nil {
				return k, v, name
			}
		}
	}
	return nil, nil, ""
}

// isMergeKey reports whether a key is YAML's merge key: a plain "<<"
// (quoted, it is an ordinary key) or one tagged !!merge.
func isMergeKey(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && (k.Tag == "!!merge" || (k.Value == "<<" && k.Style == 0 && k.Tag != "!!str"))
}

// Resolve follows an alias to the node it names, so that a rule reading a
// value written as *name sees the anchored value. It takes one step only,
// which is cycle-safe because yaml.v3 never anchors an alias node, and
// returns n itself for anything that is not an alias.
func Resolve(n *yaml.Node) *yaml.Node {
	if n != nil && n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}

// LineEnding returns "\r\n" when the file's first line break is CRLF and
// "\n" otherwise, so that a fix inserting whole lines matches the file's
// own line endings.
func (d *Doc) LineEnding() string {
	if i := bytes.IndexByte(d.Src, '\n'); i > 0 && d.Src[i-1] == '\r' {
		return "\r\n"
	}
	return "\n"
}
