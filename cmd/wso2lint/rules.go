package main

import (
	"fmt"
	"text/tabwriter"

	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/rules"
)

func runRules(args []string, e env) error {
	if len(args) > 0 {
		return usagef("rules takes no arguments")
	}
	tw := tabwriter.NewWriter(e.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, "CODE\tNAME\tSEVERITY\tFIX\tDEFAULT\tTITLE")
	for _, r := range rules.All {
		def := "on"
		if r.Off {
			def = "off"
		}
		fix := "-"
		if r.Fix != lint.NoFix {
			fix = r.Fix.String()
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", r.Code, r.Name, r.Severity, fix, def, r.Doc.Title)
	}
	return tw.Flush()
}

func runExplain(args []string, e env) error {
	if len(args) != 1 {
		return usagef("explain wants one rule code or name, e.g. wso2lint explain P001")
	}
	r := lint.Lookup(rules.All, args[0])
	if r == nil {
		return usagef("unknown rule %q: 'wso2lint rules' lists them", args[0])
	}
	_, err := fmt.Fprint(e.stdout, r.Explain())
	return err
}
