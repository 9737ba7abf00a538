package rules

import "github.com/wso2lint/wso2lint/lint"

// RandomJMXPort is a placeholder being written; it has no check yet.
var RandomJMXPort = &lint.Rule{
	Code:     "R001",
	Name:     "random-jmx-port",
	Severity: lint.Info,
	Off:      false,
	Fix:      lint.NoFix,
}
