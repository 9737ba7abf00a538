package rules

import (
	"github.com/wso2lint/wso2lint/lint"
)

// InvalidSyntax reports a TOML or YAML file that does not parse. WSO2
// stops at start-up on such a file; wso2lint reports it and lints the
// other files.
var InvalidSyntax = &lint.Rule{
	Code:     "S001",
	Name:     "invalid-syntax",
	Severity: lint.Error,
	Doc: lint.Doc{
		Title: "a configuration file does not parse",
		Rationale: "WSO2's config mapper parses `deployment.toml` at every start-up and stops the server " +
			"(`Error parsing deployment configuration`, exit 1) when the TOML is invalid; an EI Analytics " +
			"runtime does the same with `deployment.yaml`. Nothing in the file is checked until it parses, " +
			"so this finding hides every other one in the file.\n\n" +
			"A common cause is a placeholder written without quotes: WSO2 placeholders are strings " +
			"(`\"$env{VAR}\"`), and `${env:VAR}` is not WSO2 syntax at all.",
		BadFile: "conf/deployment.toml",
		Bad:     "[dashboard_config]\nheartbeat_interval = ${env:HEARTBEAT}\n",
		Good:    "[dashboard_config]\nheartbeat_interval = \"$env{HEARTBEAT}\"\n",
	},
	Check: func(p *lint.Pass) { reportProblems(p, "S001") },
	Scope: lint.HostScope,
}

// reportProblems reports the load problems of one code (S001 or S003).
func reportProblems(p *lint.Pass, code string) {
	for _, f := range p.Fleet.Files {
		if f.Problem != nil && f.Problem.Code == code {
			p.Reportf(f, f.Problem.Span, p.Fleet.InstallOf(f), "", "%s", f.Problem.Message)
		}
	}
}
