package rules

import (
	"fmt"
	"strings"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/lazyre"
	"github.com/wso2lint/wso2lint/internal/srcpos"
	"github.com/wso2lint/wso2lint/lint"
)

// InvalidValue reports a port or offset whose value WSO2 cannot turn into
// a number: a word, a fraction, a boolean, an array, or a placeholder in a
// syntax WSO2 does not know. Nothing checks values when WSO2 reads its
// configuration; the server fails later, when the listener or the offset
// is parsed, and wso2lint treats the port as unknown.
var InvalidValue = &lint.Rule{
	Code:     "K004",
	Name:     "invalid-value",
	Severity: lint.Error,
	Fix:      lint.NoFix,
	Doc: lint.Doc{
		Title: "a port or offset is not a number",
		Rationale: "WSO2's config mapper renders every value as text into the files the runtime reads, and " +
			"checks none of them (MI ships an empty `validator.json`). `8290` and `\"8290\"` therefore work " +
			"alike, but `\"abc\"`, `3.5`, `true` or an array pass the config mapper and fail only when the " +
			"runtime parses the port or the offset (a `NumberFormatException` at start-up, or a listener that " +
			"does not start).\n\n" +
			"Placeholders must use WSO2's syntax: `$env{VAR}`, `$sys{prop}`, `$ref{key}` or `$secret{alias}` in " +
			"`deployment.toml`. `${env:VAR}` is the Carbon 5 syntax of EI Analytics' `deployment.yaml`; in an " +
			"MI's `deployment.toml` it is not resolved and reaches the runtime as literal text.\n\n" +
			"A port or offset with this finding is unknown to wso2lint: the port rules do not use it, and the " +
			"ports map shows it as unknown.",
		BadFile: "conf/deployment.toml",
		Bad:     "[transport.http]\nlistener.port = \"${env:MI_HTTP_PORT}\"\n",
		Good:    "[transport.http]\nlistener.port = \"$env{MI_HTTP_PORT}\"\n",
	},
	Check:      checkInvalidValue,
	Scope:      lint.HostScope,
	Containers: true,
}

// carbonPlaceholder matches the Carbon 5 placeholder syntax (${env:X},
// ${sys:X}) that users copy into deployment.toml.
var carbonPlaceholder = lazyre.New(`^\$\{(env|sys):([^{}]*)\}$`)

func checkInvalidValue(p *lint.Pass) {
	seen := map[string]bool{}
	report := func(rt *fleet.Runtime, s *fleet.Setting, what string) {
		if s == nil || s.State != fleet.Invalid {
			return
		}
		id := fmt.Sprintf("%s\x00%d", s.File.Path, s.Span.Start)
		if seen[id] {
			return
		}
		seen[id] = true
		p.Reportf(s.File, valueSpan(s), rt.Install, s.Key, "%s", invalidMessage(s, what))
	}
	for _, in := range p.Fleet.Installs {
		for _, rt := range in.Runtimes {
			for _, s := range rt.Offset.Startup {
				report(rt, s, "")
			}
			report(rt, rt.Offset.File, "")
			for _, l := range rt.Listeners {
				report(rt, l.Port, "the "+l.Title()+" starts")
			}
		}
	}
}

// valueSpan is where a finding about a setting's value points: the value,
// or the key when the value is empty (a YAML key with no value).
func valueSpan(s *fleet.Setting) srcpos.Span {
	if s.Span.End > s.Span.Start {
		return s.Span
	}
	if s.KeySpan.End > s.KeySpan.Start {
		return s.KeySpan
	}
	return s.Span
}

// invalidMessage explains an invalid port or offset: what is wrong, and
// what WSO2 does with it. when names the moment WSO2 parses a port ("the
// HTTP pass-through listener starts"); it is "" for an offset.
func invalidMessage(s *fleet.Setting, when string) string {
	tail := "; the config mapper does not check values, so WSO2 fails at runtime when " + when +
		", and the port is unknown here"
	switch {
	case when == "" && s.Key == fleet.OffsetFlag:
		tail = "; WSO2 fails at start-up when it parses the offset, and every port of the install is unknown here"
	case s.File.Format == fleet.YAML && when == "":
		tail = "; WSO2 fails at start-up when it reads it, and every port of the runtime is unknown here"
	case s.File.Format == fleet.YAML:
		tail = "; WSO2 fails at start-up when it reads it, and the port is unknown here"
	case when == "":
		tail = "; the config mapper does not check values, so WSO2 fails at start-up when it parses the offset, " +
			"and every port of the runtime is unknown here"
	}
	if s.Kind == "" {
		return "`" + s.Key + "` has no value: it is not a port number, and the port is unknown here"
	}
	var what string
	switch {
	case s.File.Format == fleet.TOML && s.Kind == "string" && carbonPlaceholder.MatchString(s.Raw):
		m := carbonPlaceholder.FindStringSubmatch(s.Raw)
		what = fmt.Sprintf("`%s` is not WSO2 placeholder syntax (WSO2 writes `$%s{%s}`) and reaches the runtime as text", s.Raw, m[1], m[2])
	case s.Kind == "string" || s.Kind == "integer":
		what = s.Problem
	case s.Raw != "":
		what = fmt.Sprintf("%s %s (%s) is not a port number", article(s.Kind), s.Kind, s.Raw)
	default:
		what = fmt.Sprintf("%s %s is not a port number", article(s.Kind), s.Kind)
	}
	return "`" + s.Key + "`: " + what + tail
}

// article returns "an" before a vowel, else "a".
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "an"
	}
	return "a"
}
