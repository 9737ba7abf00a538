package lint

import (
	"fmt"
	"strings"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/srcpos"
	"github.com/wso2lint/wso2lint/rewrite"
)

// Severity orders findings for --fail-level and output.
type Severity int

// The severities, lowest first.
const (
	Info Severity = iota
	Warning
	Error
)

func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Warning:
		return "warning"
	}
	return "error"
}

// ParseSeverity reads "error", "warning" or "info".
func ParseSeverity(s string) (Severity, error) {
	switch s {
	case "error":
		return Error, nil
	case "warning":
		return Warning, nil
	case "info":
		return Info, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want error, warning or info)", s)
}

// Applicability says whether a fix may be applied by --fix alone (Safe) or
// needs --unsafe-fixes (Unsafe).
type Applicability int

// The applicabilities; NoFix marks a rule that never offers a fix.
const (
	NoFix Applicability = iota
	Safe
	Unsafe
)

func (a Applicability) String() string {
	switch a {
	case Safe:
		return "safe"
	case Unsafe:
		return "unsafe"
	}
	return "none"
}

// Doc is a rule's documentation as structured data, rendered by
// `wso2lint explain` and into docs/rules/<CODE>.md from the same source.
type Doc struct {
	// Title is a one-line summary, lower case, no final period.
	Title string
	// Rationale says why the rule exists, in Markdown paragraphs.
	Rationale string
	// BadFile names the example's file (deployment.toml, ...).
	BadFile string
	// Bad is a failing example; Good is the same example fixed.
	Bad, Good string
	// FixNote explains what the fix does and why it is safe or unsafe;
	// empty for rules without a fix.
	FixNote string
}

// Rule is one check of the rule catalogue.
type Rule struct {
	// Code is the stable code (P001); Name the kebab-case name
	// (duplicate-port). Both select the rule.
	Code, Name string
	// Severity is the default severity.
	Severity Severity
	// Off marks rules that run only when selected explicitly.
	Off bool
	// Fix is the kind of fix the rule's findings can carry.
	Fix Applicability
	Doc Doc
	// Check reports the rule's findings on the pass. The engine produces
	// the findings of rules without a Check (suppression rules).
	Check func(*Pass)
	// Scope says how much of the fleet Check looks at, which decides when
	// the engine runs it and what it may release meanwhile (stream.go).
	Scope Scope
	// Containers is set on a HostScope rule whose findings on a host
	// depend on which of its runtimes run in containers
	// (fleet.Fleet.Network), or on the offsets and JVM flags those
	// containers pass them at start-up (fleet.Install.ContainerStartup).
	// That is known only once the whole fleet is loaded, so a streamed
	// run checks such a host again then, when a container runs one of its
	// runtimes.
	Containers bool
	// Reaches, on a ModelScope rule, returns the hosts other than in's
	// whose installs what the rule reports about in depends on (C003: the
	// hosts an MI's client URLs name); fl is the fleet of in's host as
	// fleet.Options.OnHost passes it, or the whole fleet. A streamed lint
	// of a fleet without containers forgets, once a host's findings are
	// final, the installs for which every such rule returns none
	// (fleet.Fleet.Forget), and loads again the forgotten hosts that the
	// kept installs reach before those rules run. While an enabled
	// ModelScope rule leaves Reaches nil, it forgets nothing.
	Reaches func(fl *fleet.Fleet, in *fleet.Install) []string
}

// ContainersOnly is Reaches for a ModelScope rule that reports only about
// containers, Kubernetes Services and the installs they run: a fleet with
// none gives it nothing to say.
func ContainersOnly(*fleet.Fleet, *fleet.Install) []string { return nil }

// DocsURL is where a rule's documentation is published.
func (r *Rule) DocsURL() string {
	return "https://github.com/wso2lint/wso2lint/blob/main/docs/rules/" + r.Code + ".md"
}

// Related is a secondary location of a finding: the other side of a
// duplicate, the file that set the offset.
type Related struct {
	File    *fleet.File
	Span    srcpos.Span
	Message string
}

// Fix is a suggested change: byte-range edits on the original bytes of
// one or more files, with a verb phrase describing it.
type Fix struct {
	Applicability Applicability
	Message       string
	Edits         []rewrite.Edit
}

// Finding is one reported problem.
type Finding struct {
	Rule *Rule
	// Severity is the rule's severity after configuration overrides.
	Severity Severity
	// Tentative marks a finding the rule cannot be sure of (a mount into
	// an MI home of an image whose tag does not say its version): it is
	// reported as info unless the configuration sets the rule's severity.
	Tentative bool
	File      *fleet.File
	Span      srcpos.Span
	// Message says what is wrong and why, with the arithmetic.
	Message string
	Install *fleet.Install
	// Key is the logical key path the finding is about.
	Key     string
	Related []Related
	// Fix is the fix --fix applies (or --fix --unsafe-fixes, when it is
	// unsafe).
	Fix *Fix
	// Alternatives are other fixes, shown beside Fix and never applied by
	// the fix loop: typically the unsafe change a user may want instead
	// of a safe fix that keeps what runs (rename a dead port key keeping
	// the port that runs, or with the number written, which moves the
	// listener). Outputs list them after Fix.
	Alternatives []*Fix
	// Fingerprint identifies the finding across edits that move lines:
	// a hash of code, path, key and occurrence.
	Fingerprint string
	// Suppressed is set when an inline suppression or per-file ignore
	// covers the finding.
	Suppressed bool
	// SuppressedBy is the reason the suppression gave.
	SuppressedBy string
}

// Start returns the finding's 1-based start position.
func (f *Finding) Start() srcpos.Pos { return f.File.Pos(f.Span.Start) }

// End returns the finding's 1-based end position (exclusive column).
func (f *Finding) End() srcpos.Pos { return f.File.Pos(f.Span.End) }

// HostName returns the name of the finding's host, or "".
func (f *Finding) HostName() string {
	if f.Install == nil || f.Install.Host == nil {
		return ""
	}
	return f.Install.Host.Name
}

// InstallRoot returns the finding's install root, or "".
func (f *Finding) InstallRoot() string {
	if f.Install == nil {
		return ""
	}
	return f.Install.Root
}

// Pass is what a rule's Check receives: the fleet, the settings that
// shape checks, and Report.
type Pass struct {
	Fleet *fleet.Fleet
	// Ephemeral is the ephemeral port range, inclusive.
	Ephemeral [2]int
	// touched holds the display paths of the files the change under
	// review touched (Options.Touched).
	touched map[string]bool
	rule    *Rule
	out     *[]*Finding
	memo    map[any]any
}

// Report records a finding of the running rule.
func (p *Pass) Report(f *Finding) {
	f.Rule = p.rule
	*p.out = append(*p.out, f)
}

// Reportf records a finding at a span with a formatted message.
func (p *Pass) Reportf(file *fleet.File, span srcpos.Span, in *fleet.Install, key, format string, args ...any) *Finding {
	f := &Finding{File: file, Span: span, Install: in, Key: key, Message: fmt.Sprintf(format, args...)}
	p.Report(f)
	return f
}

// Touched reports whether the change under review touched a file: it is
// named on the command line or read from standard input (the fleet's
// targets), or changed since the --new-from-rev revision. A rule that must
// pick one side of a relation to report on picks the touched one, so that
// the finding lands where the reviewer looks.
func (p *Pass) Touched(f *fleet.File) bool {
	if f == nil {
		return false
	}
	if o := f.Outer(); o != nil {
		f = o // an embedded config is touched with its manifest
	}
	return p.touched[f.Path] || p.Fleet.Targets[f.Path]
}

// Memo returns the value stored under key for the rules run together on
// this fleet, calling compute to make it the first time: rules that share
// an analysis (K001, K002 and K003 share one pass over each file's keys)
// compute it once. The value must not be modified.
func (p *Pass) Memo(key any, compute func() any) any {
	if p.memo == nil {
		p.memo = map[any]any{}
	}
	if v, ok := p.memo[key]; ok {
		return v
	}
	v := compute()
	p.memo[key] = v
	return v
}

// NewPass returns a pass for running one rule outside the engine, as rule
// tests do; findings are appended to out.
func NewPass(fl *fleet.Fleet, r *Rule, out *[]*Finding) *Pass {
	return &Pass{Fleet: fl, Ephemeral: DefaultEphemeral, rule: r, out: out}
}

// NewPassWith is NewPass with the settings of opt that shape checks (the
// ephemeral range, the touched files).
func NewPassWith(fl *fleet.Fleet, r *Rule, out *[]*Finding, opt Options) *Pass {
	p := NewPass(fl, r, out)
	if opt.Ephemeral != [2]int{} {
		p.Ephemeral = opt.Ephemeral
	}
	p.touched = opt.Touched
	return p
}

// DefaultEphemeral is Linux's default ephemeral port range
// (net.ipv4.ip_local_port_range).
var DefaultEphemeral = [2]int{32768, 60999}

// Lookup finds a rule by code or name, case-insensitively for codes.
func Lookup(rules []*Rule, s string) *Rule {
	for _, r := range rules {
		if strings.EqualFold(r.Code, s) || r.Name == s {
			return r
		}
	}
	return nil
}
