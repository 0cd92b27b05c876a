// Package process sets up a provider process before it serves Terraform:
// the garbage collector's target, quiet logs when nobody asked for them, and
// what Ctrl-C ends. main calls Setup once; so does make bench's floor
// provider, so that the two compare alike.
package process

import (
	"context"
	"os"
	"os/signal"
	"path"
	"runtime/debug"
	"strings"
)

// gcPercent is the garbage collector's target unless GOGC is set: the heap may grow to three times the live heap
// before a collection instead of twice.
const gcPercent = 200

// Setup prepares the process of the provider registered at address (such as registry.terraform.io/sovera/sovx) and
// returns a context that an interrupt (SIGINT) ends.
func Setup(address string) (interrupted context.Context) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	quietLogsUnlessAsked(address)
	ctx, _ := signal.NotifyContext(context.Background(), os.Interrupt)
	return ctx
}

// quietLogsUnlessAsked turns the provider's and the plugin SDK's logging off when no TF_LOG* variable is set.
func quietLogsUnlessAsked(address string) {
	for _, kv := range os.Environ() {
		if name, value, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "TF_LOG") && value != "" {
			return
		}
	}
	for _, name := range quietedLogVars(address) {
		_ = os.Setenv(name, "OFF")
	}
}

// quietedLogVars are the level variables of the SDK's loggers and of the provider's own (tflog): terraform-plugin-go
// reads TF_LOG_PROVIDER_ and the address's type, dashes as underscores (tf6server.New); unset, that logger logs at
// TRACE.
func quietedLogVars(address string) []string {
	provider := "TF_LOG_PROVIDER_" + strings.ToUpper(strings.ReplaceAll(path.Base(address), "-", "_"))
	return []string{provider, "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}
}
