package webhook

import (
	"fmt"
	"testing"
)

// BenchmarkReconcile merges a read of 8 header names into held values, with
// one header renamed in case and one added out of band.
func BenchmarkReconcile(b *testing.B) {
	held := map[string]*string{}
	var remote []string
	for i := range 8 {
		v := fmt.Sprintf("secret-%d", i)
		held[fmt.Sprintf("X-Header-%d", i)] = &v
		remote = append(remote, fmt.Sprintf("X-Header-%d", i))
	}
	remote[3] = "x-header-3"
	remote = append(remote, "X-Extra")
	b.ReportAllocs()
	for b.Loop() {
		if out := Reconcile(held, remote); len(out) != 9 {
			b.Fatalf("got %d headers", len(out))
		}
	}
}

func BenchmarkBuild(b *testing.B) {
	planned := map[string]Planned{}
	for i := range 8 {
		v := fmt.Sprintf("secret-%d", i)
		planned[fmt.Sprintf("X-Header-%d", i)] = Planned{Value: &v}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := RequestHeaders(planned); err != nil {
			b.Fatal(err)
		}
	}
}
