package provider

import (
	"os"
	"path"
	"strings"
)

// Address is the provider's registry address, which also names its logger.
const Address = "registry.terraform.io/sovera/sovx"

// providerLogLevelVar sets the level of the provider's own logger (tflog):
// terraform-plugin-go reads TF_LOG_PROVIDER_ and the address's type, dashes
// as underscores (tf6server.New, logging.ProviderLoggerName). Unset, that
// logger logs at TRACE: every line is formatted and written to the plugin's
// stderr, where Terraform drops it.
var providerLogLevelVar = "TF_LOG_PROVIDER_" + strings.ToUpper(strings.ReplaceAll(path.Base(Address), "-", "_"))

// QuietLogsUnlessAsked turns the provider's and the plugin SDK's logging off
// when no TF_LOG* variable is set. Terraform discards provider logs then,
// yet each logger would still format a line for every step of every RPC and
// every request (about a third of the provider's CPU in a refresh, make
// bench). With any TF_LOG* variable set, logging is left exactly as the user
// asked. main calls it, and so does make bench's floor provider, so that the
// two compare alike.
func QuietLogsUnlessAsked() {
	for _, kv := range os.Environ() {
		if name, value, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "TF_LOG") && value != "" {
			return
		}
	}
	for _, name := range quietedLogVars() {
		_ = os.Setenv(name, "OFF")
	}
}

// quietedLogVars are the level variables QuietLogsUnlessAsked sets.
func quietedLogVars() []string {
	return []string{providerLogLevelVar, "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}
}
