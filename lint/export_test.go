package lint

// SetNarrowOnHosts turns the narrowing of fixes on their host alone on or
// off, and returns a function that restores the setting.
func SetNarrowOnHosts(on bool) (restore func()) {
	old := narrowOnHosts
	narrowOnHosts = on
	return func() { narrowOnHosts = old }
}

// HostNarrowings counts the hosts whose fixes were narrowed on the host
// alone so far.
func HostNarrowings() int64 { return hostNarrowings.Load() }

// SettledOnHosts counts the lint runs whose fixes were settled with the
// verdicts their hosts were judged to while the fleet loaded.
func SettledOnHosts() int64 { return settledOnHosts.Load() }

// SetJudgeOnHosts turns the fix loop on each host while the fleet loads
// on or off, and returns a function that restores the setting.
func SetJudgeOnHosts(on bool) (restore func()) {
	old := judgeOnHosts
	judgeOnHosts = on
	return func() { judgeOnHosts = old }
}
