package main

import (
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"github.com/wso2lint/wso2lint/lint/report"
	"github.com/wso2lint/wso2lint/rewrite"
)

// exitOnSignal is how the signal handler ends the process; tests replace
// it.
var exitOnSignal = os.Exit

// handleSignals makes SIGINT and SIGTERM stop a run cleanly: every write
// is stopped (rewrite.Interrupt waits for a rename in flight, so each file
// is either whole and new or as it was), every temporary file is removed,
// the files already written are listed on stderr, and the process exits
// 130 or 143 as a shell expects (128 + the signal's number). Without this
// a Ctrl-C during --fix left full copies of config files, passwords
// included, beside them, and said nothing of what it had changed. The
// returned function stops the handling.
func handleSignals(e env) func() {
	ch := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	done := make(chan struct{})
	go func() {
		select {
		case sig := <-ch:
			written := rewrite.Interrupt()
			fmt.Fprintln(e.stderr, interruptMessage(e, sig, written))
			code := 130
			if sig == syscall.SIGTERM {
				code = 143
			}
			exitOnSignal(code)
		case <-done:
		}
	}()
	return func() {
		signal.Stop(ch)
		close(done)
	}
}

// interruptMessage says what an interrupted run left on disk.
func interruptMessage(e env, sig os.Signal, written []string) string {
	name := "SIGINT"
	if sig == syscall.SIGTERM {
		name = "SIGTERM"
	}
	if len(written) == 0 {
		return fmt.Sprintf("wso2lint: interrupted by %s before anything was written; no file was changed and no temporary file remains", name)
	}
	shown := make([]string, len(written))
	for i, p := range written {
		shown[i] = p
		if rel, err := filepath.Rel(e.workDir, p); err == nil && !strings.HasPrefix(rel, "..") {
			shown[i] = filepath.ToSlash(rel)
		}
		shown[i] = report.Escape(shown[i])
	}
	return fmt.Sprintf("wso2lint: interrupted by %s after writing %s: %s; every other file was left as it was and no temporary file remains",
		name, plural(len(written), "file"), strings.Join(shown, ", "))
}
