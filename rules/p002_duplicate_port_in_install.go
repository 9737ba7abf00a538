package rules

import (
	"fmt"
	"sort"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
)

// DuplicatePortInInstall reports two listeners of one install on the same
// effective port. Within one MI the second listener fails to bind and the
// server does not start; within an EI Analytics install the server and
// portal runtimes cannot both run. Unlike P001 no offset can separate them,
// since the offset moves both alike, so no fix is offered.
var DuplicatePortInInstall = &lint.Rule{
	Code:     "P002",
	Name:     "duplicate-port-in-install",
	Severity: lint.Error,
	Fix:      lint.NoFix,
	Doc: lint.Doc{
		Title: "two listeners of one install listen on the same effective port",
		Rationale: "Every listener of an MI is moved by the same offset, so two listeners whose configured ports " +
			"are equal collide whatever the offset: `[transport.http] listener.port = 8243` puts the HTTP " +
			"pass-through listener on the HTTPS listener's port (`8243 + 10 = 8253` twice), and the server fails " +
			"to start with `Address already in use`. An EI Analytics install has several runtimes, each with its " +
			"own offset (server and portal in EI Analytics 7.1, worker and dashboard in EI 6.x analytics), and " +
			"they must not meet either. EI 6.x's manager profile is left out: it is for distributed deployments " +
			"and runs on a node of its own, so the ports it shares with the worker as shipped (Thrift " +
			"`7611 + offset 1 = 7612`) never meet.\n\n" +
			"The finding is reported once per colliding pair, at the second listener in file order (at the key " +
			"that writes its port, else at the setting that decides the offset, else on line 1), with the first " +
			"as the related location; a listener is paired with at most the first three before it on its port, " +
			"and the last of its findings counts the others. Listeners on different bind addresses do not collide; unknown ports and " +
			"listeners whose offset behaviour is unverified are not compared.",
		BadFile: "conf/deployment.toml",
		Bad:     "[transport.http]\nlistener.port = 8243\n",
		Good:    "[transport.http]\nlistener.port = 8280\n",
	},
	Check:      checkDuplicatePortInInstall,
	Scope:      lint.HostScope,
	Containers: true,
}

func checkDuplicatePortInInstall(p *lint.Pass) {
	for _, in := range p.Fleet.Installs {
		type loc struct {
			l    *fleet.Listener
			path string
			off  int
		}
		var ls []loc
		for _, rt := range in.Runtimes {
			for _, l := range rt.Listeners {
				if portChecked(l) {
					f, sp := l.Location()
					ls = append(ls, loc{l, f.Path, sp.Start})
				}
			}
		}
		sort.SliceStable(ls, func(i, j int) bool {
			if ls[i].path != ls[j].path {
				return ls[i].path < ls[j].path
			}
			return ls[i].off < ls[j].off
		})
		for j := range ls {
			// A listener is paired with the first few earlier ones on its
			// port, and the last finding counts the rest: a file of
			// thousands of listeners on one port must not yield a finding
			// per pair (millions, from a 150 KB file).
			var last *lint.Finding
			n := 0
			for i := 0; i < j; i++ {
				a, b := ls[i].l, ls[j].l
				if a.Effective != b.Effective || !fleet.Overlaps(a.Bind, b.Bind) {
					continue
				}
				if n++; n > maxListed {
					continue
				}
				f, sp := b.Location()
				// The key names the pair, in a fixed order, so that
				// reordering the file (which can swap which listener
				// comes second) keeps the fingerprint.
				key := pairKey(a.Key, b.Key)
				last = p.Reportf(f, sp, in, key, "port %d of the %s (%s) is also used by the %s of the same install (%s)",
					b.Effective, b.Title(), b.Arith(), a.Title(), a.Arith())
				last.Related = []lint.Related{relatedListener(a, fmt.Sprintf("the %s also listens on %d (%s)", a.Title(), a.Effective, a.Arith()))}
			}
			if more := n - maxListed; more == 1 {
				last.Message += ", and by 1 more listener before it"
			} else if more > 1 {
				last.Message += fmt.Sprintf(", and by %d more listeners before it", more)
			}
		}
	}
}

// pairKey names a pair of colliding listeners by their keys, sorted.
func pairKey(a, b string) string {
	if b < a {
		a, b = b, a
	}
	return a + " & " + b
}
