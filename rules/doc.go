// Package rules holds wso2lint's rule catalogue: one file
// per rule, each a lint.Rule value carrying its code, name, default
// severity, documentation and check, and one registry, All.
package rules
