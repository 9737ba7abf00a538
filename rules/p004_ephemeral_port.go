package rules

import "github.com/wso2lint/wso2lint/lint"

// EphemeralPort is a placeholder being written; it has no check yet.
var EphemeralPort = &lint.Rule{
	Code:     "P004",
	Name:     "ephemeral-port",
	Severity: lint.Warning,
	Off:      false,
	Fix:      lint.NoFix,
}
