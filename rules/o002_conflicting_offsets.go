package rules

import (
	"fmt"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
)

// ConflictingOffsets reports an MI whose offset is set in more than one
// place with different values. -DportOffset at start-up silently beats
// [server] offset, so the file says one thing while the server runs with
// another; and two start-up sources that disagree make the ports depend on
// how the server happens to be started.
var ConflictingOffsets = &lint.Rule{
	Code:     "O002",
	Name:     "conflicting-offsets",
	Severity: lint.Warning,
	Fix:      lint.NoFix,
	Doc: lint.Doc{
		Title: "the port offset is set in several places with different values",
		Rationale: "An MI takes its offset from `-DportOffset` when it is passed at start-up, else from " +
			"`[server] offset` in `deployment.toml`, else from the built-in 10. The system property wins " +
			"without a word: `[server] offset = 6` next to `JAVA_OPTS=\"-DportOffset=4\"` runs the server on " +
			"`8280 + 4 = 8284`, and whoever reads the TOML file expects 8286.\n\n" +
			"`-DportOffset` can be passed, first winning, by what runs the install in a container — a compose " +
			"service's `command` (WSO2's image runs `micro-integrator.sh \"$@\"`) or `entrypoint`, `JAVA_OPTS` in its " +
			"`environment` or `env_file`; a Kubernetes container's `args` or `command`, `JAVA_OPTS` in its `env`, " +
			"written or from a ConfigMap of the linted manifests — then by the install's own start-up files: a " +
			"wrapper script that starts it (`*.sh`, `*.bat`, `*.cmd` beside `bin/` that names micro-integrator), " +
			"`bin/micro-integrator.sh` (its arguments or `JAVA_OPTS`), `bin/micro-integrator.bat`, " +
			"`bin/yajsw/wrapper.conf` (`wrapper.java.additional.N`), a systemd unit (`ExecStart=`, `Environment=`, " +
			"the file of `EnvironmentFile=` when it is in the tree) or an env file. When they disagree with each " +
			"other the ports depend on which way the server is started. A value written through a variable " +
			"(`${OFFSET}`, `%OFFSET%`, `$(OFFSET)`) is taken from the assignments above it, the compose `.env` or the " +
			"container's `env`, else from `env:` in `.wso2lint.yaml`; with none of them it is unknown and not " +
			"compared. Two containers that run one install with different offsets (two compose services that " +
			"mount the same `conf/`) are reported too: wso2lint keeps one offset per install, so that install's " +
			"ports are unknown and no rule checks them.\n\n" +
			"The finding sits on `[server] offset` when it disagrees with the value in force, else on the first " +
			"start-up flag that disagrees; every other place that sets the offset is a related location. Keep the " +
			"offset in one place.",
		BadFile: "conf/deployment.toml",
		Bad:     "# bin/micro-integrator.sh: JAVA_OPTS=\"$JAVA_OPTS -DportOffset=4\"\n[server]\noffset = 6\n",
		Good:    "# bin/micro-integrator.sh: JAVA_OPTS=\"$JAVA_OPTS -DportOffset=4\"\n[server]\n",
	},
	Check:      checkConflictingOffsets,
	Scope:      lint.HostScope,
	Containers: true,
}

func checkConflictingOffsets(p *lint.Pass) {
	for _, in := range p.Fleet.Installs {
		if in.Product != fleet.MI {
			continue // only an MI reads -DportOffset
		}
		for _, rt := range in.Runtimes {
			checkRuntimeOffsets(p, rt)
		}
	}
}

// sameOffset reports whether two offset settings agree. Values that are
// not known (an unresolved placeholder, an invalid value reported by K004)
// are not compared: they may well agree.
func sameOffset(a, b *fleet.Setting) bool {
	if a.State != fleet.Known || b.State != fleet.Known {
		return true
	}
	return a.Int == b.Int
}

func checkRuntimeOffsets(p *lint.Pass, rt *fleet.Runtime) {
	off := rt.Offset
	if len(off.Startup) == 0 {
		return
	}
	win := off.Startup[0]
	var at *fleet.Setting
	var msg string
	a, b := fleet.ContainersDisagree(rt.Install)
	switch {
	case a != nil:
		win, at = a, b
		msg = fmt.Sprintf("%s and %s start the same install %s with different offsets: wso2lint keeps one offset per "+
			"install, so its ports are unknown here and not checked; give each container an install directory of its own",
			offsetSetting(b), offsetSetting(a), rt.Install.Root)
	case off.File != nil && !sameOffset(off.File, win):
		at = off.File
		msg = fmt.Sprintf("offset %s is overridden by %s, which wins at start-up", offsetValue(off.File), offsetSetting(win))
	default:
		for _, s := range off.Startup[1:] {
			if !sameOffset(s, win) {
				at = s
				break
			}
		}
		if at == nil {
			return
		}
		msg = fmt.Sprintf("-DportOffset=%s disagrees with %s, which comes first and wins", at.Raw, offsetSetting(win))
	}
	if l := exampleListener(rt); l != nil && a == nil {
		if at == off.File {
			msg += fmt.Sprintf(": the %s runs on %d (%d + offset %d) and not on %d (%d + offset %d)", l.Title(),
				l.Configured+win.Int, l.Configured, win.Int, l.Configured+at.Int, l.Configured, at.Int)
		} else {
			msg += fmt.Sprintf(": the %s runs on %d (%d + offset %d) or %d (%d + offset %d), depending on how the server is started",
				l.Title(), l.Configured+win.Int, l.Configured, win.Int, l.Configured+at.Int, l.Configured, at.Int)
		}
	}
	var rel []lint.Related
	for _, s := range append(append([]*fleet.Setting{}, off.Startup...), off.File) {
		if s == nil || s == at {
			continue
		}
		what := "the start-up flag in force"
		switch {
		case a != nil && s == win:
			what = "the other container's"
		case s == off.File:
			what = "overridden by start-up"
			if sameOffset(s, win) {
				what = "agrees with the start-up flag in force"
			}
		case s != win:
			what = "a later start-up source"
		}
		rel = append(rel, relatedSetting(s, fmt.Sprintf("%s (%s)", offsetSetting(s), what)))
	}
	f := p.Reportf(at.File, at.KeySpanToValue(), rt.Install, at.Key, "%s", msg)
	f.Related = rel
}

// exampleListener returns the listener whose arithmetic a message about
// the whole offset shows: the HTTP pass-through listener, else the first
// listener with a known configured port, else nil.
func exampleListener(rt *fleet.Runtime) *fleet.Listener {
	var first *fleet.Listener
	for _, l := range rt.Listeners {
		if !l.OffsetApplies || l.Unverified || !portKnown(l) {
			continue
		}
		if l.Name == "http" {
			return l
		}
		if first == nil {
			first = l
		}
	}
	return first
}
