package rules

import "github.com/wso2lint/wso2lint/lint"

// DuplicatePortInInstall is a placeholder being written; it has no check yet.
var DuplicatePortInInstall = &lint.Rule{
	Code:     "P002",
	Name:     "duplicate-port-in-install",
	Severity: lint.Error,
	Off:      false,
	Fix:      lint.NoFix,
}
