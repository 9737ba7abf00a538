package rules

import "github.com/wso2lint/wso2lint/lint"

// UnusedSuppression reports an inline suppression that suppressed
// nothing. The engine produces its findings while it applies
// suppressions.
var UnusedSuppression = &lint.Rule{
	Code:     "X001",
	Name:     "unused-suppression",
	Severity: lint.Warning,
	Fix:      lint.Safe,
	Doc: lint.Doc{
		Title: "an inline suppression suppresses nothing",
		Rationale: "A suppression outlives the problem it was written for: the port was changed, the " +
			"install removed, the key renamed. Left in place it would silently hide the next, unrelated " +
			"finding of the same rule on that line. The finding names the codes that matched nothing; " +
			"codes of rules not selected in the run are not reported.",
		BadFile: "conf/deployment.toml",
		Bad:     "[transport.http]\n# wso2lint: ignore[P001] only one of the two runs at a time\nlistener.port = 8281\n",
		Good:    "[transport.http]\nlistener.port = 8281\n",
		FixNote: "Deletes the directive: the whole line when the comment stands alone, else the comment " +
			"and the blanks before it. Safe: a directive that matched nothing has no effect. When only some " +
			"of a directive's codes are unused, no fix is offered: edit the list by hand.",
	},
}
