package rules

import "github.com/wso2lint/wso2lint/lint"

// InvalidValue is a placeholder being written; it has no check yet.
var InvalidValue = &lint.Rule{
	Code:     "K004",
	Name:     "invalid-value",
	Severity: lint.Error,
	Off:      false,
	Fix:      lint.NoFix,
}
