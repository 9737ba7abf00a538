package rules

import (
	"testing"

	"github.com/wso2lint/wso2lint/lint/linttest"
)

func TestR001RandomJMXPort(t *testing.T) {
	const (
		toml   = "[server]\nhostname = \"x\"\n"
		script = "#!/bin/sh\nexec java $JAVA_OPTS \\\n    -Dcom.sun.management.jmxremote \\\n    org.wso2.Main\n"
		pinned = "#!/bin/sh\nJAVA_OPTS=\"$JAVA_OPTS -Dcom.sun.management.jmxremote.local.port=9099\"\n" +
			"exec java $JAVA_OPTS \\\n    -Dcom.sun.management.jmxremote \\\n    org.wso2.Main\n"
	)
	tests := []struct {
		name    string
		files   map[string]string
		want    []string
		related []string
	}{
		{
			name: "two installs",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml":    toml,
				"h1/mi-a/bin/micro-integrator.sh": script,
				"h1/mi-b/conf/deployment.toml":    toml,
				"h1/mi-b/bin/yajsw/wrapper.conf":  "wrapper.java.additional.5=-Dcom.sun.management.jmxremote\n",
				"h1/mi-c/conf/deployment.toml":    toml,
				"h1/mi-c/bin/micro-integrator.sh": pinned,
				"h2/mi-d/conf/deployment.toml":    toml,
				"h2/mi-d/bin/micro-integrator.sh": script,
			},
			want: []string{
				"h1/mi-a/bin/micro-integrator.sh:3:5-3:35 R001 -Dcom.sun.management.jmxremote without a pinned port opens the JVM's JMX connector on a random port at every start, " +
					"as h1/mi-b on host h1 also does: a random port can take a port another install needs; pin it with -Dcom.sun.management.jmxremote.local.port=N",
				"h1/mi-b/bin/yajsw/wrapper.conf:1:27-1:57 R001 -Dcom.sun.management.jmxremote without a pinned port opens the JVM's JMX connector on a random port at every start, " +
					"as h1/mi-a on host h1 also does: a random port can take a port another install needs; pin it with -Dcom.sun.management.jmxremote.local.port=N",
			},
			related: []string{
				"h1/mi-b/bin/yajsw/wrapper.conf:1:27-1:57 h1/mi-b also opens a JMX connector on a random port",
				"h1/mi-a/bin/micro-integrator.sh:3:5-3:35 h1/mi-a also opens a JMX connector on a random port",
			},
		},
		{
			name: "installs in containers of their own do not share the host's ports",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml":      toml,
				"h1/mi-a/bin/micro-integrator.sh":   script,
				"h1/mi-b/conf/deployment.toml":      toml,
				"h1/mi-b/bin/micro-integrator.sh":   script,
				"h1/native/conf/deployment.toml":    toml,
				"h1/native/bin/micro-integrator.sh": script,
				"h1/compose.yaml": "services:\n" +
					"  a: {image: wso2/wso2mi, volumes: [\"./mi-a/conf:/home/wso2carbon/wso2mi/conf\"]}\n" +
					"  b: {image: wso2/wso2mi, volumes: [\"./mi-b/conf:/home/wso2carbon/wso2mi/conf\"]}\n",
			},
		},
		{
			name: "installs sharing a container network",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml":    toml,
				"h1/mi-a/bin/micro-integrator.sh": script,
				"h1/mi-b/conf/deployment.toml":    toml,
				"h1/mi-b/bin/micro-integrator.sh": script,
				"h1/compose.yaml": "services:\n" +
					"  a: {image: wso2/wso2mi, volumes: [\"./mi-a/conf:/home/wso2carbon/wso2mi/conf\"]}\n" +
					"  b: {image: wso2/wso2mi, network_mode: \"service:a\", volumes: [\"./mi-b/conf:/home/wso2carbon/wso2mi/conf\"]}\n",
			},
			want: []string{
				"h1/mi-a/bin/micro-integrator.sh:3:5-3:35 R001 -Dcom.sun.management.jmxremote without a pinned port opens the JVM's JMX connector on a random port at every start, " +
					"as h1/mi-b in the network of compose service a on host h1 also does: a random port can take a port another install needs; pin it with -Dcom.sun.management.jmxremote.local.port=N",
				"h1/mi-b/bin/micro-integrator.sh:3:5-3:35 R001 -Dcom.sun.management.jmxremote without a pinned port opens the JVM's JMX connector on a random port at every start, " +
					"as h1/mi-a in the network of compose service a on host h1 also does: a random port can take a port another install needs; pin it with -Dcom.sun.management.jmxremote.local.port=N",
			},
		},
		{
			name: "three installs",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml":    toml,
				"h1/mi-a/bin/micro-integrator.sh": script,
				"h1/mi-b/conf/deployment.toml":    toml,
				"h1/mi-b/bin/micro-integrator.sh": script,
				"h1/mi-c/conf/deployment.toml":    toml,
				"h1/mi-c/bin/micro-integrator.sh": script,
			},
			want: []string{
				"h1/mi-a/bin/micro-integrator.sh:3:5-3:35 R001 -Dcom.sun.management.jmxremote without a pinned port opens the JVM's JMX connector on a random port at every start, " +
					"as h1/mi-b and h1/mi-c on host h1 also do: a random port can take a port another install needs; pin it with -Dcom.sun.management.jmxremote.local.port=N",
				"h1/mi-b/bin/micro-integrator.sh:3:5-3:35 R001 -Dcom.sun.management.jmxremote without a pinned port opens the JVM's JMX connector on a random port at every start, " +
					"as h1/mi-a and h1/mi-c on host h1 also do: a random port can take a port another install needs; pin it with -Dcom.sun.management.jmxremote.local.port=N",
				"h1/mi-c/bin/micro-integrator.sh:3:5-3:35 R001 -Dcom.sun.management.jmxremote without a pinned port opens the JVM's JMX connector on a random port at every start, " +
					"as h1/mi-a and h1/mi-b on host h1 also do: a random port can take a port another install needs; pin it with -Dcom.sun.management.jmxremote.local.port=N",
			},
		},
		{
			name: "micro-integrator.bat counts, and a JMX flag a compose service passes",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml":     toml,
				"h1/mi-a/bin/micro-integrator.bat": "set CMD_LINE_ARGS=-Xms256m -Dcom.sun.management.jmxremote %*\r\n",
				"h1/mi-b/conf/deployment.toml":     toml,
				"h1/compose.yaml": "services:\n  b:\n    image: wso2/wso2mi\n    network_mode: host\n" +
					"    volumes: [\"./mi-b/conf:/home/wso2carbon/wso2mi/conf\"]\n    environment: {JAVA_OPTS: -Dcom.sun.management.jmxremote}\n",
			},
			want: []string{
				"h1/compose.yaml:6:30-6:60 R001 -Dcom.sun.management.jmxremote without a pinned port opens the JVM's JMX connector on a random port at every start, " +
					"as h1/mi-a on host h1 also does: a random port can take a port another install needs; pin it with -Dcom.sun.management.jmxremote.local.port=N",
				"h1/mi-a/bin/micro-integrator.bat:1:28-1:58 R001 -Dcom.sun.management.jmxremote without a pinned port opens the JVM's JMX connector on a random port at every start, " +
					"as h1/mi-b on host h1 also does: a random port can take a port another install needs; pin it with -Dcom.sun.management.jmxremote.local.port=N",
			},
		},
		// Near misses.
		{
			name: "a port a container pins in its JAVA_OPTS counts",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml":    toml,
				"h1/mi-a/bin/micro-integrator.sh": script,
				"h1/mi-b/conf/deployment.toml":    toml,
				"h1/mi-b/bin/micro-integrator.sh": script,
				"h1/compose.yaml": "services:\n  b:\n    image: wso2/wso2mi\n    network_mode: host\n" +
					"    volumes: [\"./mi-b/conf:/home/wso2carbon/wso2mi/conf\"]\n" +
					"    environment: [\"JAVA_OPTS=-Dcom.sun.management.jmxremote.local.port=9098\"]\n",
			},
		},
		{
			name: "one install per host",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml":    toml,
				"h1/mi-a/bin/micro-integrator.sh": script,
				"h2/mi-b/conf/deployment.toml":    toml,
				"h2/mi-b/bin/micro-integrator.sh": script,
			},
		},
		{
			name: "a port pinned in any start-up source counts",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml":    toml,
				"h1/mi-a/bin/micro-integrator.sh": script,
				"h1/mi-b/conf/deployment.toml":    toml,
				"h1/mi-b/bin/micro-integrator.sh": script,
				"h1/mi-b/mi-b.env":                "JAVA_OPTS=-Dcom.sun.management.jmxremote.local.port=9098\n",
			},
		},
		{
			name: "a commented-out flag passes nothing",
			files: map[string]string{
				"h1/mi-a/conf/deployment.toml":    toml,
				"h1/mi-a/bin/micro-integrator.sh": script,
				"h1/mi-b/conf/deployment.toml":    toml,
				"h1/mi-b/bin/micro-integrator.sh": "#!/bin/sh\n# -Dcom.sun.management.jmxremote\nexec java org.wso2.Main\n",
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := linttest.Run(t, RandomJMXPort, tt.files)
			linttest.Check(t, got, tt.want)
			if tt.related != nil {
				checkPortRelated(t, got, tt.related)
			}
		})
	}
}
