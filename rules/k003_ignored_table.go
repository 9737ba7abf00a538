package rules

import "github.com/wso2lint/wso2lint/lint"

// IgnoredTable is a placeholder being written; it has no check yet.
var IgnoredTable = &lint.Rule{
	Code:     "K003",
	Name:     "ignored-table",
	Severity: lint.Warning,
	Off:      false,
	Fix:      lint.Unsafe,
}
