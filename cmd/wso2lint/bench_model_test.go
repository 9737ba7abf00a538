package main

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/wso2lint/wso2lint/fleet"
	"github.com/wso2lint/wso2lint/lint"
	"github.com/wso2lint/wso2lint/rules"
)

// BenchmarkModelMemory reports what the fleet model holds once a streamed
// lint has loaded the fleet (every host's rules run, its files released):
// the live heap after two forced collections, per install, as
// model-B/install. It is the figure that decides the peak memory of a
// large run (about twice it, with Go's default collector pacing); the
// process's peak is measured with /usr/bin/time (README, Performance).
// Only reported, never asserted:
//
//	go test ./cmd/wso2lint -run '^$' -bench ModelMemory -benchtime 1x
func BenchmarkModelMemory(b *testing.B) {
	sel, err := lint.Select(rules.All, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range benchSizes(b) {
		dir, _ := benchFleet(b, n)
		b.Run(fmt.Sprintf("n=%d", n), func(b *testing.B) {
			// A first load outside the measure, so that what every run
			// sets up once (the catalogue) is not counted per install.
			if _, err := fleet.Load([]string{dir}, fleet.Options{WorkDir: dir, OnHost: lint.NewStream(lint.Options{Rules: rules.All, Enabled: sel}).Host}); err != nil {
				b.Fatal(err)
			}
			var per float64
			for b.Loop() {
				// Twice: what sync.Pools hold survives one collection.
				runtime.GC()
				runtime.GC()
				var before, after runtime.MemStats
				runtime.ReadMemStats(&before)
				s := lint.NewStream(lint.Options{Rules: rules.All, Enabled: sel})
				fl, err := fleet.Load([]string{dir}, fleet.Options{WorkDir: dir, OnHost: s.Host})
				if err != nil {
					b.Fatal(err)
				}
				runtime.GC()
				runtime.GC()
				runtime.ReadMemStats(&after)
				per = float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(len(fl.Installs))
				runtime.KeepAlive(s)
			}
			b.ReportMetric(per, "model-B/install")
		})
	}
}
