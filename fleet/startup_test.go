package fleet_test

import (
	"fmt"
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint/linttest"
)

// startupFlags renders every -DportOffset flag of the fleet's installs as
// "file:line:col-line:col value state", and each install's offset as
// "root offset N (source)" or "root offset ? (source)".
func startupFlags(fl *fleet.Fleet) []string {
	var out []string
	for _, in := range fl.Installs {
		for _, rt := range in.Runtimes {
			for _, s := range rt.Offset.Startup {
				k, v := s.File.Pos(s.KeySpan.Start), s.File.Pos(s.Span.End)
				state := "known"
				switch s.State {
				case fleet.Unresolved:
					state = "unknown"
				case fleet.Invalid:
					state = "invalid"
				}
				if s.State == fleet.Known {
					state = fmt.Sprintf("= %d", s.Int)
					if s.Literal {
						state += " literal"
					}
				}
				out = append(out, fmt.Sprintf("%s:%d:%d-%d:%d %s %s", s.File.Path, k.Line, k.Col, v.Line, v.Col, s.Raw, state))
			}
			off := "?"
			if rt.Offset.Known {
				off = fmt.Sprint(rt.Offset.Value)
			}
			out = append(out, fmt.Sprintf("%s offset %s (%s)", in.Root, off, rt.Offset.Source))
		}
	}
	return out
}

func TestStartupSources(t *testing.T) {
	const toml = "h/mi/conf/deployment.toml"
	tests := []struct {
		name  string
		files map[string]string
		env   map[string]string
		want  []string
	}{
		{
			name: "shell variable set above the flag",
			files: map[string]string{
				"h/mi/bin/micro-integrator.sh": "#!/bin/sh\nOFFSET=3\nJAVA_OPTS=\"$JAVA_OPTS -DportOffset=${OFFSET}\"\n",
			},
			want: []string{
				"h/mi/bin/micro-integrator.sh:3:23-3:45 ${OFFSET} = 3",
				"h/mi offset 3 (startup:h/mi/bin/micro-integrator.sh)",
			},
		},
		{
			name: "shell variable nobody sets: unknown, not invalid",
			files: map[string]string{
				"h/mi/bin/micro-integrator.sh": "#!/bin/sh\nexec java -DportOffset=${OFFSET} -jar x.jar\n",
			},
			want: []string{
				"h/mi/bin/micro-integrator.sh:2:11-2:33 ${OFFSET} unknown",
				"h/mi offset ? (startup:h/mi/bin/micro-integrator.sh)",
			},
		},
		{
			name: "shell variable from the configuration's env",
			files: map[string]string{
				"h/mi/bin/micro-integrator.sh": "exec java -DportOffset=$OFFSET -jar x.jar\n",
			},
			env: map[string]string{"OFFSET": "8"},
			want: []string{
				"h/mi/bin/micro-integrator.sh:1:11-1:31 $OFFSET = 8",
				"h/mi offset 8 (startup:h/mi/bin/micro-integrator.sh)",
			},
		},
		{
			name: "a script argument cannot be known",
			files: map[string]string{
				"h/mi/bin/micro-integrator.sh": "exec java -DportOffset=$1 -jar x.jar\n",
			},
			want: []string{
				"h/mi/bin/micro-integrator.sh:1:11-1:26 $1 unknown",
				"h/mi offset ? (startup:h/mi/bin/micro-integrator.sh)",
			},
		},
		{
			name: "shell continuation line and quoted value",
			files: map[string]string{
				"h/mi/bin/micro-integrator.sh": "exec java \\\n  -Dfoo=1 \\\n  -DportOffset=\"4\" \\\n  -jar x.jar\n",
			},
			want: []string{
				"h/mi/bin/micro-integrator.sh:3:3-3:19 4 = 4",
				"h/mi offset 4 (startup:h/mi/bin/micro-integrator.sh)",
			},
		},
		{
			name: "a longer property name is not the flag",
			files: map[string]string{
				"h/mi/bin/micro-integrator.sh": "exec java -Dmy.DportOffset=3 -DxportOffset=4 x-DportOffset=5 -DportOffsetX=6 -jar x.jar\n",
			},
			want: []string{"h/mi offset 10 (default)"},
		},
		{
			name: "micro-integrator.bat with CRLF, REM and :: comments, ^ continuations, %VAR%",
			files: map[string]string{
				"h/mi/bin/micro-integrator.bat": "@echo off\r\nREM set JAVA_OPTS=-DportOffset=1\r\n:: -DportOffset=2\r\n" +
					"  rem -DportOffset=9\r\nset OFFSET=5\r\n\"%JAVA_HOME%\\bin\\java\" -Xms256m ^\r\n  -DportOffset=%OFFSET%^\r\n" +
					"  -Dcom.sun.management.jmxremote ^\r\n  org.wso2.Bootstrap %*\r\n",
			},
			want: []string{
				"h/mi/bin/micro-integrator.bat:7:3-7:24 %OFFSET% = 5",
				"h/mi offset 5 (startup:h/mi/bin/micro-integrator.bat)",
			},
		},
		{
			name: "batch: set \"JAVA_OPTS=...\" with an unset %OFFSET%",
			files: map[string]string{
				"h/mi/bin/micro-integrator.bat": "set \"JAVA_OPTS=%JAVA_OPTS% -DportOffset=%OFFSET%\"\r\n",
			},
			want: []string{
				"h/mi/bin/micro-integrator.bat:1:28-1:49 %OFFSET% unknown",
				"h/mi offset ? (startup:h/mi/bin/micro-integrator.bat)",
			},
		},
		{
			name: "batch: variable names are case-insensitive; a # is no comment",
			files: map[string]string{
				"h/mi/bin/micro-integrator.bat": "set Offset=6\r\nset X=a #b -DportOffset=%OFFSET%\r\n",
			},
			want: []string{
				"h/mi/bin/micro-integrator.bat:2:12-2:33 %OFFSET% = 6",
				"h/mi offset 6 (startup:h/mi/bin/micro-integrator.bat)",
			},
		},
		{
			name: "batch: set /a computes a value wso2lint does not",
			files: map[string]string{
				"h/mi/bin/micro-integrator.bat": "set OFFSET=1\r\nset /a OFFSET=OFFSET+2\r\njava -DportOffset=%OFFSET%\r\n",
			},
			want: []string{
				"h/mi/bin/micro-integrator.bat:3:6-3:27 %OFFSET% unknown",
				"h/mi offset ? (startup:h/mi/bin/micro-integrator.bat)",
			},
		},
		{
			name: "wrapper scripts: only those that start the MI",
			files: map[string]string{
				"h/mi/start-mi.cmd":   "call bin\\micro-integrator.bat -DportOffset=2 %*\r\n",
				"h/mi/bin/backup.sh":  "tar czf /tmp/b.tgz . # -DportOffset=7\nexport JAVA_OPTS=-DportOffset=7\n",
				"h/mi/bin/restart.sh": "export JAVA_OPTS=\"-DportOffset=3\"\n./micro-integrator.sh restart\n",
			},
			want: []string{
				"h/mi/bin/restart.sh:1:19-1:33 3 = 3 literal",
				"h/mi/start-mi.cmd:1:31-1:45 2 = 2 literal",
				"h/mi offset 3 (startup:h/mi/bin/restart.sh)",
			},
		},
		{
			name: "systemd: Environment= and EnvironmentFile= beside the unit",
			files: map[string]string{
				"h/mi/wso2mi.service": "[Service]\n# Environment=JAVA_OPTS=-DportOffset=1\nEnvironment=\"JAVA_OPTS=-Xmx1g -DportOffset=${OFF}\" OFF=4\n" +
					"EnvironmentFile=-/etc/default/wso2mi\nExecStart=/opt/mi/bin/micro-integrator.sh\n",
				"h/mi/wso2mi": "JAVA_OPTS=-DportOffset=4\n",
			},
			want: []string{
				"h/mi/wso2mi.service:3:31-3:50 ${OFF} unknown",
				"h/mi/wso2mi:1:11-1:25 4 = 4 literal",
				"h/mi offset ? (startup:h/mi/wso2mi.service)",
			},
		},
		{
			name: "batch: a quoted value",
			files: map[string]string{
				"h/mi/bin/micro-integrator.bat": "java -DportOffset=\"7\" org.wso2.Bootstrap\r\n",
			},
			want: []string{
				"h/mi/bin/micro-integrator.bat:1:6-1:22 7 = 7",
				"h/mi offset 7 (startup:h/mi/bin/micro-integrator.bat)",
			},
		},
		{
			name: "systemd: a continuation line of ExecStart; ; starts a comment too",
			files: map[string]string{
				"h/mi/wso2mi.service": "[Service]\nExecStart=/opt/mi/bin/micro-integrator.sh \\\n    -DportOffset=12 \\\n    -Dx=1\n" +
					"; ExecStart=/opt/mi/bin/micro-integrator.sh -DportOffset=13\n",
			},
			want: []string{
				"h/mi/wso2mi.service:3:5-3:20 12 = 12 literal",
				"h/mi offset 12 (startup:h/mi/wso2mi.service)",
			},
		},
		{
			name: "systemd: a variable assigned earlier in the unit",
			files: map[string]string{
				"h/mi/wso2mi.service": "[Service]\nEnvironment=OFF=4\nExecStart=/opt/mi/bin/micro-integrator.sh -DportOffset=${OFF}\n",
			},
			want: []string{
				"h/mi/wso2mi.service:3:43-3:62 ${OFF} = 4",
				"h/mi offset 4 (startup:h/mi/wso2mi.service)",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{toml: "[server]\n"}
			for k, v := range tt.files {
				files[k] = v
			}
			fl := linttest.Fleet(t, files, fleet.Options{Env: tt.env})
			check(t, startupFlags(fl), tt.want)
		})
	}
}

// TestBatchJMX checks that micro-integrator.bat's JMX flag counts, and a
// pinned port in it.
func TestBatchJMX(t *testing.T) {
	fl := linttest.Fleet(t, map[string]string{
		"h/a/conf/deployment.toml":     "[server]\n",
		"h/a/bin/micro-integrator.bat": "REM -Dcom.sun.management.jmxremote.local.port=1\r\nset CMD_LINE_ARGS=-Dcom.sun.management.jmxremote %*\r\n",
		"h/b/conf/deployment.toml":     "[server]\n",
		"h/b/bin/micro-integrator.bat": "set CMD_LINE_ARGS=-Dcom.sun.management.jmxremote %*\r\n",
		"h/b/bin/micro-integrator.sh":  "JAVA_OPTS=-Dcom.sun.management.jmxremote.local.port=9099\n",
		"h/c/conf/deployment.toml":     "[server]\n",
		"h/c/bin/micro-integrator.bat": "REM nothing\r\n",
	}, fleet.Options{})
	var got []string
	for _, in := range fl.Installs {
		for _, st := range in.Startup {
			for _, sp := range st.JMX {
				p := st.File.Pos(sp.Start)
				got = append(got, fmt.Sprintf("%s:%d:%d", st.File.Path, p.Line, p.Col))
			}
			if st.JMXPinned {
				got = append(got, st.File.Path+" pinned")
			}
		}
	}
	check(t, got, []string{
		"h/a/bin/micro-integrator.bat:2:19",
		"h/b/bin/micro-integrator.sh pinned",
		"h/b/bin/micro-integrator.bat:1:19",
	})
}
