// Command wso2lint lints fleets of WSO2 Micro Integrator and EI Analytics
// installs: duplicate effective ports, mis-keyed settings WSO2 silently
// ignores, and port-offset misuse.
//
// This package holds flag parsing and wiring only; the domain lives in
// fleet, lint and rules.
package main

import (
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], env{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr,
		getenv: os.Getenv, tty: isTerminal(os.Stdout), stderrTTY: isTerminal(os.Stderr),
		signals: true,
	}))
}

// env is the process environment a run sees, so that tests can run the
// command in-process.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
	// commands is where trusted GitHub workflow commands go (the github
	// format on stdout): stdout itself, unless run has wrapped stdout in
	// a ciGuard.
	commands io.Writer
	getenv   func(string) string
	// tty says whether stdout is a terminal (colour is used only then);
	// stderrTTY whether stderr is (progress is shown only then).
	tty, stderrTTY bool
	// workDir overrides the working directory (tests).
	workDir string
	// signals makes SIGINT and SIGTERM stop the run cleanly
	// (handleSignals); off for runs inside tests.
	signals bool
}

func isTerminal(f *os.File) bool {
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}
