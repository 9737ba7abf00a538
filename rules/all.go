package rules

import "github.com/wso2lint/wso2lint/lint"

//go:generate go run ../internal/cmd/gendocs ..

// All lists every rule in the catalogue's order (families S, K, O, P, R, C, X). It is the one registry: the
// engine, `wso2lint rules`, `explain` and the generated docs read it.
var All = []*lint.Rule{
	InvalidSyntax,
	DuplicateKey,
	UnreadableFile,
	DottedKeyMisuse,
	UnknownKey,
	IgnoredTable,
	InvalidValue,
	QuotedNumber,
	NoEffectKey,
	ConflictingKeys,
	OffsetOutOfRange,
	ConflictingOffsets,
	RedundantOffset,
	PreOffsetPort,
	DuplicatePort,
	DuplicatePortInInstall,
	PrivilegedPort,
	EphemeralPort,
	RandomJMXPort,
	UnmappedContainerPort,
	PublishedPortCollision,
	ClientURLMismatch,
	ListenerNotPublished,
	UnmappedContainer,
	ProbeWrongListener,
	MountMissesHome,
	UnusedSuppression,
	InvalidSuppression,
}
