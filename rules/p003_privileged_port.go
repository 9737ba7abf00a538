package rules

import "github.com/wso2lint/wso2lint/lint"

// PrivilegedPort is a placeholder being written; it has no check yet.
var PrivilegedPort = &lint.Rule{
	Code:     "P003",
	Name:     "privileged-port",
	Severity: lint.Warning,
	Off:      false,
	Fix:      lint.NoFix,
}
