package provider

import (
	"fmt"
	"os"
	"testing"
)

// TestMain gives the tests a cache directory of their own: the provider keeps
// the pace it learns of an API's rate limit in the user's cache directory
// (paceMemory), and tests must not leave theirs in the developer's.
func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "sovx-provider-test-cache")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	_ = os.Setenv("XDG_CACHE_HOME", dir)
	code := m.Run()
	_ = os.RemoveAll(dir)
	os.Exit(code)
}
