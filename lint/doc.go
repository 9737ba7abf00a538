// Package lint is the engine: it runs rules over a fleet, applies the
// selection, severity overrides and suppressions of the configuration,
// and returns findings in a deterministic order.
//
// A rule is a value (Rule) that carries its code, name, default severity,
// documentation and check, like an analysis.Analyzer; a finding (Finding)
// points at byte offsets in a file, like an analysis.Diagnostic, and may
// carry a Fix made of byte-range edits.
package lint
