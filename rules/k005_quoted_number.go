package rules

import "github.com/wso2lint/wso2lint/lint"

// QuotedNumber is a placeholder being written; it has no check yet.
var QuotedNumber = &lint.Rule{
	Code:     "K005",
	Name:     "quoted-number",
	Severity: lint.Info,
	Off:      true,
	Fix:      lint.Safe,
}
