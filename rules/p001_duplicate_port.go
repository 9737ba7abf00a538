package rules

import "github.com/wso2lint/wso2lint/lint"

// DuplicatePort is a placeholder being written; it has no check yet.
var DuplicatePort = &lint.Rule{
	Code:     "P001",
	Name:     "duplicate-port",
	Severity: lint.Error,
	Off:      false,
	Fix:      lint.Unsafe,
}
