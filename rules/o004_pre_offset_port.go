package rules

import "github.com/wso2lint/wso2lint/lint"

// PreOffsetPort is a placeholder being written; it has no check yet.
var PreOffsetPort = &lint.Rule{
	Code:     "O004",
	Name:     "pre-offset-port",
	Severity: lint.Warning,
	Off:      false,
	Fix:      lint.Unsafe,
}
