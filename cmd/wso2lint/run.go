package main

import (
	"errors"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime/debug"
	"slices"
	"strings"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/internal/gcpace"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/lint/report"
	"github.com/wso2lint/wso2lint/rules"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "0.1.0-dev"

// Exit codes, as the README documents them.
const (
	exitOK       = 0
	exitFindings = 1
	exitUsage    = 2
	exitInternal = 3
)

const usageText = `wso2lint lints fleets of WSO2 Micro Integrator and EI Analytics installs.

Usage:
  wso2lint [lint] [flags] [PATH ...]   lint (the default command; no PATH means .)
  wso2lint ports [flags] [PATH ...]    print the effective port map per host
  wso2lint rules                       list the rules
  wso2lint explain CODE|NAME           explain a rule
  wso2lint server                      run the language server for editors (stdio)
  wso2lint version                     print the version

Run 'wso2lint lint -h' or 'wso2lint ports -h' for their flags.
Exit codes: 0 clean, 1 findings at or above --fail-level, 2 usage or config error, 3 internal error.
`

// usageError is a mistake in the command line or configuration: exit 2.
type usageError struct {
	msg string
	// empty marks a named file that exists but is empty, missing one
	// that does not exist.
	empty, missing bool
}

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{msg: fmt.Sprintf(format, args...)}
}

func run(args []string, e env) (code int) {
	// A panic is a bug: it must exit 3 with what a bug report needs, not
	// Go's exit status 2, which a CI job would read as a usage error.
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(e.stderr, "wso2lint: internal error (please report it): panic: %v\n%s", p, debug.Stack())
			code = exitInternal
		}
	}()
	if e.workDir == "" {
		wd, err := os.Getwd()
		if err != nil {
			fmt.Fprintln(e.stderr, "wso2lint:", err)
			return exitInternal
		}
		e.workDir = wd
	}
	e.commands = e.stdout
	if e.getenv("GITHUB_ACTIONS") == "true" {
		// The runner reads workflow commands from every line a step
		// prints, whatever the format or --no-ci-detect: nothing a file
		// name or a config value holds may pass for one.
		out, errw := newCIGuard(e.stdout), newCIGuard(e.stderr)
		e.stdout, e.stderr = out, errw
		defer func() {
			_ = out.Flush()
			_ = errw.Flush()
		}()
	}
	cmd := "lint"
	if len(args) > 0 {
		switch args[0] {
		case "lint", "ports", "rules", "explain", "version", "help", "server":
			cmd, args = args[0], args[1:]
		case "-h", "-help", "--help":
			fmt.Fprint(e.stdout, usageText)
			return exitOK
		case "--version":
			cmd, args = "version", nil
		}
	}
	var err error
	code = exitOK
	switch cmd {
	case "lint":
		defer gcpace.Hold(e.getenv)()
		if e.signals {
			defer handleSignals(e)()
		}
		code, err = runLint(args, e)
	case "ports":
		defer gcpace.Hold(e.getenv)()
		err = runPorts(args, e)
	case "rules":
		err = runRules(args, e)
	case "explain":
		err = runExplain(args, e)
	case "server":
		code, err = runServer(args, e)
	case "version":
		fmt.Fprintf(e.stdout, "wso2lint %s\n", version)
	case "help":
		fmt.Fprint(e.stdout, usageText)
	}
	if err != nil {
		var ue *usageError
		var ce *lint.ConfigError
		var oe *outputError
		switch {
		case errors.Is(err, flag.ErrHelp):
			return exitOK
		case errors.As(err, &ue), errors.As(err, &ce), errors.As(err, &oe):
			fmt.Fprintln(e.stderr, "wso2lint:", report.Escape(err.Error()))
			return exitUsage
		}
		fmt.Fprintln(e.stderr, "wso2lint: internal error:", report.Escape(err.Error()))
		return exitInternal
	}
	return code
}

// listFlag collects a repeatable, comma-separated flag.
type listFlag []string

func (l *listFlag) String() string { return strings.Join(*l, ",") }

func (l *listFlag) Set(s string) error {
	for _, x := range strings.Split(s, ",") {
		if x = strings.TrimSpace(x); x != "" {
			*l = append(*l, x)
		}
	}
	return nil
}

// commonFlags are the flags lint and ports share: what to load and how.
type commonFlags struct {
	config   string
	noConfig bool
	format   string
}

func (c *commonFlags) register(fs *flag.FlagSet, defaultFormat, formats string) {
	fs.StringVar(&c.config, "config", "", "read configuration from `FILE` instead of the nearest .wso2lint.yaml")
	fs.BoolVar(&c.noConfig, "no-config", false, "ignore .wso2lint.yaml files")
	fs.StringVar(&c.format, "format", defaultFormat, "output `FORMAT`: "+formats)
}

// parseInterspersed parses flags that may stand before, between or after
// paths, as users of ruff and golangci-lint expect; "--" ends flags.
//
// An empty PATH or flag value is a usage error: it is what an unset shell
// variable gives ("wso2lint --fix \"$DIR\""), and taken as the current
// directory it would rewrite a whole working tree nobody named.
func parseInterspersed(fs *flag.FlagSet, args []string) ([]string, error) {
	var flags, paths []string
	values := map[string]string{} // flag name -> the value given last
	for i := 0; i < len(args); i++ {
		a := args[i]
		if a == "--" {
			paths = append(paths, args[i+1:]...)
			break
		}
		if !strings.HasPrefix(a, "-") || a == "-" {
			paths = append(paths, a)
			continue
		}
		flags = append(flags, a)
		name := strings.TrimLeft(a, "-")
		if n, v, ok := strings.Cut(name, "="); ok {
			values[n] = v
			continue
		}
		if f := fs.Lookup(name); f != nil {
			if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
				continue
			}
			if i+1 < len(args) {
				i++
				flags = append(flags, args[i])
				values[name] = args[i]
			}
		}
	}
	if err := fs.Parse(flags); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, usagef("%v", err)
	}
	for _, f := range slices.Sorted(maps.Keys(values)) {
		if fl := fs.Lookup(f); fl != nil && strings.TrimSpace(values[f]) == "" {
			if bf, ok := fl.Value.(interface{ IsBoolFlag() bool }); !ok || !bf.IsBoolFlag() {
				return nil, usagef("--%s: empty value (an unset shell variable?)", f)
			}
		}
	}
	for _, p := range paths {
		if p == "" {
			return nil, usagef("empty PATH argument (an unset shell variable?); name . for the current directory")
		}
	}
	return paths, nil
}

func newFlagSet(name string, e env, usage string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.Usage = func() {
		fmt.Fprint(e.stderr, usage)
		fs.PrintDefaults()
	}
	return fs
}

// loaded is the configuration and what to load; fleet loads it, with an
// overlay of fixed contents when the fix loop asks.
type loaded struct {
	cfg *lint.Config
	// cfgPath is the configuration file read, "" for none.
	cfgPath string
	paths   []string
	opts    fleet.Options
	// cfgDir is the config file's directory as a display path.
	cfgDir string
}

func (l *loaded) fleet(overlay map[string][]byte, onHost func(*fleet.Fleet)) (*fleet.Fleet, error) {
	opts := l.opts
	opts.Overlay, opts.OnHost = overlay, onHost
	fl, err := fleet.Load(l.paths, opts)
	if err != nil {
		return nil, usagef("%v", err)
	}
	return fl, nil
}

// configure finds and reads the configuration for paths.
func configure(c *commonFlags, paths []string, e env) (*loaded, error) {
	cfg := &lint.Config{}
	var cfgPath string
	switch {
	case c.noConfig:
	case c.config != "":
		cfgPath = c.config
		if !filepath.IsAbs(cfgPath) {
			cfgPath = filepath.Join(e.workDir, cfgPath)
		}
	default:
		start := e.workDir
		if len(paths) > 0 {
			start = paths[0]
			if !filepath.IsAbs(start) {
				start = filepath.Join(e.workDir, start)
			}
		}
		cfgPath = lint.FindConfig(start)
		if cfgPath == "" {
			cfgPath = lint.UserConfig(e.getenv)
		}
	}
	base := e.workDir
	if cfgPath != "" && !c.noConfig && c.config == "" && cfgPath == lint.UserConfig(e.getenv) {
		// A user-wide configuration has no project directory: its globs
		// are relative to the working directory.
		cfg, err := lint.LoadConfig(cfgPath, cfgPath, rules.All)
		if err != nil {
			return nil, err
		}
		return newLoaded(cfg, cfgPath, paths, e, e.workDir, ""), nil
	}
	if cfgPath != "" {
		display := cfgPath
		if rel, err := filepath.Rel(e.workDir, cfgPath); err == nil {
			display = filepath.ToSlash(rel)
		}
		var err error
		cfg, err = lint.LoadConfig(cfgPath, display, rules.All)
		if err != nil {
			return nil, err
		}
		base = filepath.Dir(cfgPath)
	}
	return newLoaded(cfg, cfgPath, paths, e, base, displayDir(e.workDir, cfgPath)), nil
}

func newLoaded(cfg *lint.Config, cfgPath string, paths []string, e env, base, cfgDir string) *loaded {
	return &loaded{cfg: cfg, cfgPath: cfgPath, paths: paths, cfgDir: cfgDir, opts: cfg.LoadOptions(e.workDir, base)}
}

// displayDir returns the directory of cfgPath as a display path relative
// to workDir ("" when there is no config file).
func displayDir(workDir, cfgPath string) string {
	if cfgPath == "" {
		return ""
	}
	rel, err := filepath.Rel(workDir, filepath.Dir(cfgPath))
	if err != nil {
		return ""
	}
	return filepath.ToSlash(rel)
}
