package rules

import (
	"fmt"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
)

// RandomJMXPort reports MIs whose start-up passes
// -Dcom.sun.management.jmxremote without pinning the connector's port,
// when a host runs more than one of them. Each JVM then opens a listener
// on a random ephemeral port at every start: with several servers on one
// host those random ports can land on a port another install needs, and
// the failure cannot be reproduced.
var RandomJMXPort = &lint.Rule{
	Code:     "R001",
	Name:     "random-jmx-port",
	Severity: lint.Info,
	Fix:      lint.NoFix,
	Doc: lint.Doc{
		Title: "several installs on a host open the JMX connector on a random port",
		Rationale: "`bin/micro-integrator.sh`, `bin/micro-integrator.bat` and `bin/yajsw/wrapper.conf` pass " +
			"`-Dcom.sun.management.jmxremote` with no port. The JVM then starts its local JMX connector on a random (ephemeral) TCP port at every " +
			"start. One such port per host rarely hurts; with several servers on a host, each restart draws new " +
			"random ports that can take a port another install is about to bind, especially one configured in " +
			"the ephemeral range.\n\n" +
			"Pin the port with `-Dcom.sun.management.jmxremote.local.port=N` (JDK 16 and later) in `JAVA_OPTS` or " +
			"wrapper.conf, or drop the flag if nothing uses local JMX (the attach API still works). The flags are " +
			"read from the same places as `-DportOffset` (see O002): the install's start-up files and what its " +
			"container passes (a compose or Kubernetes `JAVA_OPTS`, for one); a port pinned in any of them counts. The finding " +
			"sits on the flag in each install that leaves the port random, when at least two installs on the host " +
			"do so, in the host's network or in one container network (see P001); the others are related " +
			"locations (the first three; the message counts the rest).",
		BadFile: "bin/micro-integrator.sh",
		Bad: "# h1/mi-b starts the same way\n" +
			"$JAVACMD $JAVA_OPTS \\\n    -Dcom.sun.management.jmxremote \\\n    org.wso2.micro.integrator.bootstrap.Bootstrap $*\n",
		Good: "# h1/mi-b pins its own port (9098)\n" +
			"JAVA_OPTS=\"$JAVA_OPTS -Dcom.sun.management.jmxremote.local.port=9099\"\n" +
			"$JAVACMD $JAVA_OPTS \\\n    -Dcom.sun.management.jmxremote \\\n    org.wso2.micro.integrator.bootstrap.Bootstrap $*\n",
	},
	Check:      checkRandomJMXPort,
	Scope:      lint.HostScope,
	Containers: true,
}

// jmxSource is the first unpinned JMX flag of an install's start-up sources.
type jmxSource struct {
	in *fleet.Install
	st *fleet.Startup
}

func checkRandomJMXPort(p *lint.Pass) {
	for _, h := range p.Fleet.Hosts {
		for _, n := range byNetwork(p.Fleet, hostRuntimes(h)) {
			reportRandomJMX(p, n.where(h), n.installs())
		}
	}
}

// reportRandomJMX reports the installs of one network that leave the JMX
// port random, when there are at least two.
func reportRandomJMX(p *lint.Pass, where string, installs []*fleet.Install) {
	var flags []jmxSource
	for _, in := range installs {
		var first *fleet.Startup
		pinned := false
		for _, st := range in.StartupSources() {
			pinned = pinned || st.JMXPinned
			if first == nil && len(st.JMX) > 0 {
				first = st
			}
		}
		if first != nil && !pinned {
			flags = append(flags, jmxSource{in, first})
		}
	}
	if len(flags) < 2 {
		return
	}
	for i, fl := range flags {
		// The first few other installs are named; on a host of
		// thousands, naming them all would make the report grow with
		// the square of the host.
		var others []string
		var rel []lint.Related
		for j, o := range flags {
			if j == i {
				continue
			}
			if len(others) == maxListed {
				break
			}
			others = append(others, o.in.Root)
			rel = append(rel, lint.Related{File: o.st.File, Span: o.st.JMX[0],
				Message: fmt.Sprintf("%s also opens a JMX connector on a random port", o.in.Root)})
		}
		if more := len(flags) - 1 - len(others); more == 1 {
			others = append(others, "1 more install")
		} else if more > 1 {
			others = append(others, fmt.Sprintf("%d more installs", more))
		}
		verb := "does"
		if len(flags) > 2 {
			verb = "do"
		}
		fd := p.Reportf(fl.st.File, fl.st.JMX[0], fl.in, "-Dcom.sun.management.jmxremote",
			"-Dcom.sun.management.jmxremote without a pinned port opens the JVM's JMX connector on a random port at every start, "+
				"as %s %s also %s: a random port can take a port another install needs; pin it with -Dcom.sun.management.jmxremote.local.port=N",
			joinAnd(others), where, verb)
		fd.Related = rel
	}
}
