package lsp

import (
	"net/url"
	"path/filepath"
	"strings"

	"github.com/wso2lint/wso2lint/internal/srcpos"
)

// uriToPath turns a file URI into a clean absolute path; ok is false for
// any other scheme (an untitled buffer, a remote file).
func uriToPath(uri string) (string, bool) {
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" || u.Path == "" {
		return "", false
	}
	if u.Host != "" && u.Host != "localhost" {
		return "", false
	}
	p := filepath.FromSlash(u.Path)
	if len(p) >= 3 && p[0] == '\\' && p[2] == ':' { // \C:\... on Windows
		p = p[1:]
	}
	if !filepath.IsAbs(p) {
		return "", false
	}
	return filepath.Clean(p), true
}

// pathToURI turns an absolute path into a file URI, percent-encoding what
// a URI path cannot hold as it is.
func pathToURI(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// posOf converts a byte offset of text into a protocol position.
func posOf(lines *srcpos.Lines, text []byte, off int) position {
	p := lines.UTF16Pos(text, off)
	return position{Line: p.Line - 1, Character: p.Col - 1}
}

// rangeOf converts a byte span into a protocol range.
func rangeOf(lines *srcpos.Lines, text []byte, sp srcpos.Span) lspRange {
	return lspRange{Start: posOf(lines, text, sp.Start), End: posOf(lines, text, max(sp.End, sp.Start))}
}

// offsetOf converts a protocol position into a byte offset of text.
func offsetOf(text []byte, p position) int {
	return srcpos.NewLines(text).OffsetUTF16(text, p.Line+1, p.Character+1)
}
