package main

import (
	"errors"

	"github.com/wso2lint/wso2lint/lsp"
)

const serverUsage = `Usage: wso2lint server

Runs the language server on standard input and output, for editors (see
the README's "Editor integration"). It lints the buffers the editor has
open with the rest of their hosts from disk, honours .wso2lint.yaml, and
logs to standard error.

Flags:
`

func runServer(args []string, e env) (int, error) {
	fs := newFlagSet("server", e, serverUsage)
	// Editors that start every server with --stdio get what they expect.
	fs.Bool("stdio", true, "talk over standard input and output (the only transport)")
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		return 0, err
	}
	if len(paths) > 0 {
		return 0, usagef("server takes no PATH: the editor names the files")
	}
	// e.commands is standard output as it is: the protocol's messages
	// must not pass through the guard that rewrites workflow commands.
	err = lsp.Serve(e.stdin, e.commands, lsp.Options{Log: e.stderr, Getenv: e.getenv, Version: version})
	if errors.Is(err, lsp.ErrExitWithoutShutdown) {
		return exitFindings, nil
	}
	return exitOK, err
}
