package rules

import "github.com/wso2lint/wso2lint/lint"

// InvalidSuppression reports an inline suppression that is malformed,
// names an unknown rule, gives no reason, or has expired.
var InvalidSuppression = &lint.Rule{
	Code:     "X002",
	Name:     "invalid-suppression",
	Severity: lint.Warning,
	Doc: lint.Doc{
		Title: "an inline suppression is malformed, unknown, unexplained or expired",
		Rationale: "Suppressions are part of the configuration and deserve the same checks. The form is " +
			"`# wso2lint: ignore[CODE,...] reason` on the line or the line above, with an optional " +
			"`until=YYYY-MM-DD`, or `# wso2lint: ignore-file[CODE] reason` in the first 10 lines. A typo in " +
			"a code would silently suppress nothing; a missing reason leaves the next reader guessing; a " +
			"suppression past its `until=` date stops suppressing, and this finding says so.",
		BadFile: "conf/deployment.toml",
		Bad:     "[transport.http]\n# wso2lint: ignore[P01]\nlistener.port = 8280\n",
		Good:    "[transport.http]\n# wso2lint: ignore[P001] staging: only one instance runs at a time until=2027-03-31\nlistener.port = 8280\n",
	},
}
