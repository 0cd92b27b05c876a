package provider

import (
	"os"
	"strings"
	"testing"
)

var sdkLogVars = []string{"TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}

// clearTFLog removes every TF_LOG* variable for the test (restored after).
func clearTFLog(t *testing.T) {
	for _, kv := range os.Environ() {
		if name, _, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "TF_LOG") {
			t.Setenv(name, "")
			_ = os.Unsetenv(name)
		}
	}
	for _, name := range sdkLogVars {
		t.Setenv(name, "")
		_ = os.Unsetenv(name)
	}
}

func TestLogsAreQuietWhenNobodyAsked(t *testing.T) {
	clearTFLog(t)
	QuietLogsUnlessAsked()
	for _, name := range sdkLogVars {
		if got := os.Getenv(name); got != "OFF" {
			t.Errorf("%s = %q, want OFF", name, got)
		}
	}
}

func TestLogsAreUntouchedWhenAsked(t *testing.T) {
	for _, asked := range []string{"TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_PATH"} {
		t.Run(asked, func(t *testing.T) {
			clearTFLog(t)
			t.Setenv(asked, "TRACE")
			QuietLogsUnlessAsked()
			for _, name := range sdkLogVars {
				if name != asked && os.Getenv(name) != "" {
					t.Errorf("with %s set, %s was changed to %q", asked, name, os.Getenv(name))
				}
			}
		})
	}
}
