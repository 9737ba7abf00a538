package lint

import (
	"fmt"
	"strings"
)

// Explain renders a rule's documentation for the terminal, as
// `wso2lint explain` prints it.
func (r *Rule) Explain() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s: %s\n\n", r.Code, r.Name, r.Doc.Title)
	fmt.Fprintf(&b, "Default severity: %s%s\n", r.Severity, offNote(r))
	fmt.Fprintf(&b, "Fix: %s\n\n", fixSummary(r))
	b.WriteString(wrap(r.Doc.Rationale, 80))
	b.WriteString("\n")
	if r.Doc.Bad != "" {
		fmt.Fprintf(&b, "\nExample (%s):\n\n%s", r.Doc.BadFile, indent(r.Doc.Bad, "    "))
	}
	if r.Doc.Good != "" {
		fmt.Fprintf(&b, "\nFixed:\n\n%s", indent(r.Doc.Good, "    "))
	}
	if r.Doc.FixNote != "" {
		fmt.Fprintf(&b, "\nFix safety:\n\n%s\n", wrap(r.Doc.FixNote, 80))
	}
	fmt.Fprintf(&b, "\nDocumentation: %s\n", r.DocsURL())
	return b.String()
}

// Markdown renders a rule's documentation page, docs/rules/<CODE>.md.
func (r *Rule) Markdown() string {
	var b strings.Builder
	lang := "toml"
	if strings.HasSuffix(r.Doc.BadFile, ".yaml") || strings.HasSuffix(r.Doc.BadFile, ".yml") {
		lang = "yaml"
	} else if !strings.HasSuffix(r.Doc.BadFile, ".toml") {
		lang = "text"
	}
	fmt.Fprintf(&b, "# %s %s\n\n", r.Code, r.Name)
	fmt.Fprintf(&b, "%s.\n\n", capitalize(r.Doc.Title))
	fmt.Fprintf(&b, "| | |\n|---|---|\n| Code | `%s` |\n| Name | `%s` |\n| Default severity | %s%s |\n| Fix | %s |\n\n",
		r.Code, r.Name, r.Severity, offNote(r), fixSummary(r))
	fmt.Fprintf(&b, "## Why\n\n%s\n", strings.TrimSpace(r.Doc.Rationale))
	if r.Doc.Bad != "" {
		fmt.Fprintf(&b, "\n## Example\n\n`%s`:\n\n```%s\n%s```\n", r.Doc.BadFile, lang, r.Doc.Bad)
	}
	if r.Doc.Good != "" {
		fmt.Fprintf(&b, "\nFixed:\n\n```%s\n%s```\n", lang, r.Doc.Good)
	}
	if r.Doc.FixNote != "" {
		fmt.Fprintf(&b, "\n## Fix\n\n%s\n", strings.TrimSpace(r.Doc.FixNote))
	}
	fmt.Fprintf(&b, "\n## Suppressing\n\n```toml\n# wso2lint: ignore[%s] reason why this is fine here\n```\n\n"+
		"or turn the rule off in `.wso2lint.yaml` with `ignore: [%s]`. See `wso2lint explain %s`.\n", r.Code, r.Code, r.Code)
	return b.String()
}

func offNote(r *Rule) string {
	if r.Off {
		return " (off by default; enable with `--select " + r.Code + "`)"
	}
	return ""
}

func fixSummary(r *Rule) string {
	switch r.Fix {
	case Safe:
		return "safe (applied by `--fix`)"
	case Unsafe:
		return "unsafe (applied by `--fix --unsafe-fixes`)"
	}
	return "none"
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func indent(s, prefix string) string {
	lines := strings.SplitAfter(s, "\n")
	var b strings.Builder
	for _, l := range lines {
		if l == "" {
			continue
		}
		if l != "\n" {
			b.WriteString(prefix)
		}
		b.WriteString(l)
	}
	out := b.String()
	if !strings.HasSuffix(out, "\n") {
		out += "\n"
	}
	return out
}

// wrap re-flows each paragraph of Markdown-ish text to width columns;
// code spans stay intact because words are never split.
func wrap(s string, width int) string {
	var out []string
	for _, para := range strings.Split(strings.TrimSpace(s), "\n\n") {
		var lines []string
		line := ""
		for _, w := range strings.Fields(para) {
			if line != "" && len(line)+1+len(w) > width {
				lines = append(lines, line)
				line = w
				continue
			}
			if line != "" {
				line += " "
			}
			line += w
		}
		if line != "" {
			lines = append(lines, line)
		}
		out = append(out, strings.Join(lines, "\n"))
	}
	return strings.Join(out, "\n\n") + "\n"
}
