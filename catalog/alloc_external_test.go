package catalog_test

import (
	"testing"

	"github.com/wso2lint/wso2lint/catalog"
)

// TestLookupsAllocateNothingFromOutside checks TestLookupsAllocateNothing's
// promise from another package, as the rules call the lookups: inlined
// there, a lookup's buffer can escape where it does not in its own package.
func TestLookupsAllocateNothingFromOutside(t *testing.T) {
	c := catalog.MI()
	never := func([]string) bool { return false }
	keys := [][]string{{"server", "offset"}, {"mediation", "internal", "http", "api", "port"}, {"no_such_table", "key"}}
	allocs := testing.AllocsPerRun(20, func() {
		for _, k := range keys {
			c.LookupDoc(k, never, catalog.AnyRelease)
			c.Respelled(k, catalog.AnyRelease)
			for range c.SpelledAlike(k) {
			}
		}
	})
	if allocs != 0 {
		t.Errorf("%v allocations a run", allocs)
	}
}
