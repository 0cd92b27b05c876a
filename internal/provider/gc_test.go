package provider

import (
	"runtime/debug"
	"testing"
)

func TestGarbageCollectorTarget(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	for _, c := range []struct {
		gogc string
		want int
	}{{"", gcPercent}, {"50", 100}} {
		t.Setenv("GOGC", c.gogc)
		debug.SetGCPercent(100) // what the runtime took from the environment
		CollectLessOftenUnlessAsked()
		if got := debug.SetGCPercent(100); got != c.want {
			t.Errorf("GOGC=%q: target %d, want %d", c.gogc, got, c.want)
		}
	}
}
