package provider

import (
	"os"
	"strings"
)

// QuietLogsUnlessAsked turns the plugin SDK's logging off when no TF_LOG*
// variable is set. Terraform discards provider logs then, yet the SDK would
// still format a TRACE line for every step of every RPC: about a third of
// the provider's CPU in a refresh (make bench). With any TF_LOG* variable
// set, logging is left exactly as the user asked. main calls it, and so
// does make bench's floor provider, so that the two compare alike.
func QuietLogsUnlessAsked() {
	for _, kv := range os.Environ() {
		if name, value, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "TF_LOG") && value != "" {
			return
		}
	}
	for _, name := range []string{"TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"} {
		_ = os.Setenv(name, "OFF")
	}
}
