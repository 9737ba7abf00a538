//go:build unix

package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"github.com/wso2lint/wso2lint/rewrite"
)

// signalHelperEnv makes the test binary act as wso2lint --fix that sends
// itself the named signal as it starts writing its second file.
const signalHelperEnv = "WSO2LINT_TEST_SIGNAL_HELPER"

// firstWritten is where the helper names the file it wrote first.
const firstWritten = "first-written"

// TestSignalDuringFix sends SIGINT and SIGTERM to a real process in the
// middle of --fix: it must exit 130 or 143, leave no .wso2lint-* file,
// leave every config either whole and fixed or as it was, and list on
// stderr exactly the files it fixed. Before, 12 of 35 signalled runs left
// temporary copies of the config behind and nothing was said. Forty
// files are written as a batch (rewrite.WriteAll), all staged before the
// first rename.
func TestSignalDuringFix(t *testing.T) {
	if sig := os.Getenv(signalHelperEnv); sig != "" {
		signalHelper(sig)
		return
	}
	for _, tc := range []struct {
		sig      string
		code     int
		installs int
	}{{"SIGINT", 130, 3}, {"SIGTERM", 143, 3}, {"SIGINT", 130, 40}} {
		t.Run(fmt.Sprintf("%s/%d", tc.sig, tc.installs), func(t *testing.T) {
			files := map[string]string{}
			for i := range tc.installs {
				in := fmt.Sprintf("i%02d", i)
				files["h/"+in+"/conf/deployment.toml"] = "[server]\nhostname = \"" + in + "\"\noffset = 1\n[transport.http]\nlistener.port = \"828" + strconv.Itoa(i%10) + "\"\n"
			}
			dir := writeTree(t, files)
			cmd := exec.Command(os.Args[0], "-test.run=^TestSignalDuringFix$")
			cmd.Dir = dir
			cmd.Env = append(os.Environ(), signalHelperEnv+"="+tc.sig)
			var stderr strings.Builder
			cmd.Stderr = &stderr
			err := cmd.Run()
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != tc.code {
				t.Fatalf("exit: %v, want %d; stderr:\n%s", err, tc.code, stderr.String())
			}
			msg := regexp.MustCompile(`interrupted by ` + tc.sig + ` after writing \d files?: (.*); every other file was left as it was and no temporary file remains`).FindStringSubmatch(stderr.String())
			if msg == nil {
				t.Fatalf("stderr does not say what was written:\n%s", stderr.String())
			}
			b, err := os.ReadFile(filepath.Join(dir, firstWritten))
			if err != nil {
				t.Fatal(err)
			}
			first := string(b)
			listed := map[string]bool{}
			for _, p := range strings.Split(msg[1], ", ") {
				listed[p] = true
			}
			if !listed[first] {
				t.Errorf("the first file written, %s, before the signal, is not listed: %q", first, msg[1])
			}
			err = filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
				if err != nil || d.IsDir() {
					return err
				}
				rel, _ := filepath.Rel(dir, p)
				rel = filepath.ToSlash(rel)
				if d.Name() == firstWritten {
					return nil
				}
				if strings.Contains(d.Name(), ".wso2lint-") {
					t.Errorf("temporary file left: %s", rel)
					return nil
				}
				got, err := os.ReadFile(p)
				if err != nil {
					return err
				}
				orig := files[rel]
				fixed := strings.Replace(orig, `"828`, `828`, 1)
				fixed = fixed[:len(fixed)-2] + "\n"
				switch string(got) {
				case orig:
					if listed[rel] {
						t.Errorf("%s is listed as written but is unchanged", rel)
					}
				case fixed:
					if !listed[rel] {
						t.Errorf("%s was fixed but is not listed", rel)
					}
				default:
					t.Errorf("%s is neither the original nor the fix:\n%s", rel, got)
				}
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
		})
	}
}

// signalHelper runs wso2lint --fix in this process, with signals handled
// as in the real command, and sends itself sig when a second file is about
// to be written and the first is written (the files are written several
// at once); it names the first in the file firstWritten and never
// returns.
func signalHelper(name string) {
	sig := syscall.SIGINT
	if name == "SIGTERM" {
		sig = syscall.SIGTERM
	}
	var n atomic.Int32
	firstDone := make(chan struct{})
	commitFile = func(s *rewrite.Staged) error {
		switch n.Add(1) {
		case 1:
			err := s.Commit()
			wd, _ := os.Getwd()
			rel, _ := filepath.Rel(wd, s.Path())
			_ = os.WriteFile(firstWritten, []byte(filepath.ToSlash(rel)), 0o644)
			close(firstDone)
			return err
		case 2:
			<-firstDone
			_ = syscall.Kill(os.Getpid(), sig)
			_ = s.Commit()
		}
		select {} // the handler exits; a write after the interrupt fails
	}
	os.Exit(run([]string{"--fix", "--select", "K005", "--fail-level", "info", "h"}, env{
		stdin: os.Stdin, stdout: os.Stdout, stderr: os.Stderr, getenv: os.Getenv, signals: true,
	}))
}
