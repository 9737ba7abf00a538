package rules

import "github.com/wso2lint/wso2lint/lint"

// UnknownKey is a placeholder being written; it has no check yet.
var UnknownKey = &lint.Rule{
	Code:     "K002",
	Name:     "unknown-key",
	Severity: lint.Warning,
	Off:      false,
	Fix:      lint.Safe,
}
