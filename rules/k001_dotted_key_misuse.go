package rules

import "github.com/wso2lint/wso2lint/lint"

// DottedKeyMisuse is a placeholder being written; it has no check yet.
var DottedKeyMisuse = &lint.Rule{
	Code:     "K001",
	Name:     "dotted-key-misuse",
	Severity: lint.Error,
	Off:      false,
	Fix:      lint.Safe,
}
