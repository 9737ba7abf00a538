package main

import (
	"bytes"
	"fmt"
	"io"
	"path/filepath"
	"runtime/pprof"
	"strconv"
	"sync"
	"time"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/rewrite"
)

// startCPUProfile writes a CPU profile of the run to path (--cpuprofile),
// for a user to attach to a report of slowness; the returned function
// stops it. The profile (a few kilobytes) is kept in memory and written
// when it stops, atomically like every file the tool writes.
func startCPUProfile(e env, path string) (func(), error) {
	if !filepath.IsAbs(path) {
		path = filepath.Join(e.workDir, path)
	}
	if err := rewrite.CheckOutput(path); err != nil {
		return nil, usagef("--cpuprofile: %v", err)
	}
	var buf bytes.Buffer
	if err := pprof.StartCPUProfile(&buf); err != nil {
		return nil, usagef("--cpuprofile: %v", err)
	}
	return func() {
		pprof.StopCPUProfile()
		if err := rewrite.WriteOutput(path, buf.Bytes()); err != nil {
			fmt.Fprintln(e.stderr, "wso2lint: --cpuprofile:", err)
		}
	}, nil
}

// progressDelay is how long a run goes before it shows progress, so that
// short runs never flash a line; progressEvery is how often it updates.
// Tests shorten them.
var (
	progressDelay = 300 * time.Millisecond
	progressEvery = 100 * time.Millisecond
)

// wantProgress says whether a run shows progress on stderr: only for a
// person watching, on a terminal, without --quiet, with no machine format
// on stdout.
func wantProgress(e env, quiet bool, specs []outputSpec) bool {
	return e.stderrTTY && !quiet && humanOnStdout(specs)
}

// startProgress shows "loading 4,213/10,000 files…" on w, rewritten in
// place with \r at most ten times a second, until the returned function
// is called, which clears the line. The caller decides whether w is a
// terminal that wants it.
func startProgress(w io.Writer, p *fleet.Progress) func() {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		shown := false
		timer := time.NewTimer(progressDelay)
		defer timer.Stop()
		for {
			select {
			case <-done:
				if shown {
					fmt.Fprint(w, "\r\033[K")
				}
				return
			case <-timer.C:
			}
			total, n := p.Total.Load(), p.Done.Load()
			if total > 0 {
				msg := "loading " + thousands(n) + "/" + thousands(total) + " files…"
				if n >= total {
					msg = "linting " + thousands(total) + " files…"
				}
				fmt.Fprint(w, "\r\033[K"+msg)
				shown = true
			}
			timer.Reset(progressEvery)
		}
	}()
	var once sync.Once
	return func() {
		once.Do(func() {
			close(done)
			wg.Wait()
		})
	}
}

// thousands renders n with commas between groups of three digits.
func thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	for i := len(s) - 3; i > 0 && s[i-1] != '-'; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}
