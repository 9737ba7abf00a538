package fleet

import (
	"strconv"
	"testing"

	"github.com/wso2lint/wso2lint/internal/srcpos"
)

// FuzzStartup feeds arbitrary text to the start-up file readers (shell,
// batch, systemd unit, env file) and the env_file reader: they must never
// panic, every span must lie inside the file, and a flag marked literal
// must span exactly the digits of its value.
func FuzzStartup(f *testing.F) {
	for _, s := range []string{
		"#!/bin/sh\nOFFSET=3\nJAVA_OPTS=\"$JAVA_OPTS -DportOffset=${OFFSET:-4}\"\nexec java -Dcom.sun.management.jmxremote $1\n",
		"@echo off\r\nREM -DportOffset=1\r\n:: x\r\nset \"OFF=5\"\r\nset /a N=1+2\r\njava -DportOffset=%OFF%^\r\n -DportOffset=%~1 %%x%%\r\n",
		"[Service]\nEnvironment=\"JAVA_OPTS=-DportOffset=2\" OFF=3\nEnvironmentFile=-/etc/x\nExecStart=/x -DportOffset=${OFF}\n",
		"JAVA_OPTS='-DportOffset=7' # -DportOffset=8\nJDK_JAVA_OPTIONS=-DportOffset=\n",
		"-DportOffset=\"\" -DportOffset=${ -DportOffset=%",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, src string) {
		for _, name := range []string{"bin/micro-integrator.sh", "bin/micro-integrator.bat", "wso2mi.service", "mi.env"} {
			file := &File{Path: name, Format: Text}
			file.setSource([]byte(src))
			check := func(sp srcpos.Span) {
				if sp.Start < 0 || sp.End < sp.Start || sp.End > len(src) {
					t.Fatalf("%s: span %v outside a %d-byte file", name, sp, len(src))
				}
			}
			sts := []*Startup{scanStartup(file, map[string]string{"E": "1"})}
			if file.Problem == nil {
				env := &Startup{File: file, Origin: "compose:env_file"}
				env.scanEnvFile(func(v string) (string, bool) { return interpolate(v, nil) }, func(string) bool { return false })
				sts = append(sts, env)
			}
			for _, st := range sts {
				for _, s := range st.PortOffsets {
					check(s.KeySpan)
					check(s.Span)
					if s.Literal && src[s.Span.Start:s.Span.End] != strconv.Itoa(s.Int) {
						t.Fatalf("%s: literal offset %d spans %q", name, s.Int, src[s.Span.Start:s.Span.End])
					}
				}
				for _, sp := range st.JMX {
					check(sp)
				}
			}
		}
	})
}
