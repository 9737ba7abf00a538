package rules

import (
	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
)

// NoEffectKey reports a key of an MI deployment.toml that WSO2's own files
// name but that nothing in MI reads: no template renders it, no mapping
// renames it onto a key that is rendered, and no code reads it. WSO2's
// documentation and its deployment-full.toml still list some of these, so
// they are written in good faith; the finding says so, at info level,
// rather than calling the key unknown. Keys that MI's own shipped
// deployment.toml sets ([truststore] alias and algorithm) are not
// reported: a stock install must lint clean.
var NoEffectKey = &lint.Rule{
	Code:     "K006",
	Name:     "no-effect-key",
	Severity: lint.Info,
	Doc: lint.Doc{
		Title: "a key WSO2 lists has no effect in MI 4.x",
		Rationale: "MI renders `deployment.toml` through its config mapper: `key-mappings.json` renames " +
			"user-facing keys, Jinja2 templates render the result into `axis2.xml`, `carbon.xml`, " +
			"`synapse.properties` and the other files the server reads, and a few keys are read by MI's code " +
			"directly. A key that none of them reads is accepted without a word and changes nothing. Some such " +
			"keys are still named by WSO2's own files — `default.json` gives them a default, " +
			"`deployment-full.toml` documents them (`[tasks]`, `[management_api.cors] enabled`) — or were read by " +
			"earlier products (`[server] node_ip`). Keys that MI's own shipped `deployment.toml` sets " +
			"(`[truststore] alias`, `algorithm`) are not reported: a stock install lints clean. The catalogue behind this rule is generated from WSO2's config-tool " +
			"files of MI 4.0 to 4.4 and the keys MI's code reads; the message says which file names the key.",
		BadFile: "conf/deployment.toml",
		Bad:     "[server]\nhostname = \"mi-1.example.com\"\nnode_ip = \"10.0.0.5\"\n",
		Good:    "[server]\nhostname = \"mi-1.example.com\"\n",
	},
	Check: checkNoEffectKey,
	Scope: lint.HostScope,
}

func checkNoEffectKey(p *lint.Pass) {
	for _, rt := range miRuntimes(p.Fleet) {
		for _, is := range sharedKeyIssues(p, rt) {
			if is.code != "K006" {
				continue
			}
			e := is.entry
			p.Reportf(rt.File, e.KeySpan, rt.Install, fleet.KeyString(e.Path),
				"`%s` has no effect in MI 4.x: it is %s", fleet.KeyString(e.Path), is.entryInfo.Why())
		}
	}
}
