package rules

import "github.com/wso2lint/wso2lint/lint"

// UnreadableFile reports a file wso2lint could not read or decode.
var UnreadableFile = &lint.Rule{
	Code:     "S003",
	Name:     "unreadable-file",
	Severity: lint.Error,
	Doc: lint.Doc{
		Title: "a configuration file cannot be read",
		Rationale: "A configuration or start-up file that cannot be read is not checked, and WSO2 cannot " +
			"read it either. The finding says why: an I/O error or missing permission, a file saved as UTF-16 " +
			"or UTF-32 (PowerShell 5.1 writes UTF-16 by default; the finding names the encoding), bytes that " +
			"are not UTF-8, a NUL byte (a binary file), a FIFO, device or directory where a file belongs, or a file " +
			"larger than the size limit (`max-file-size` in `.wso2lint.yaml`, 10 MiB by default). The rest of " +
			"the fleet is still linted.",
		BadFile: "conf/deployment.toml",
		Bad:     "(a deployment.toml saved as UTF-16 or containing NUL bytes)\n",
		Good:    "[server]\nhostname = \"localhost\"\n",
	},
	Check: func(p *lint.Pass) { reportProblems(p, "S003") },
	Scope: lint.HostScope,
}
