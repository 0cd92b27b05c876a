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

// gcPercent is the garbage collector's target unless GOGC is set: the heap
// may grow to three times the live heap before a collection instead of
// twice. The framework allocates about half a megabyte per resource and
// operation; at 200, make bench measured 20-25 % less provider CPU for about
// 10 % more peak memory (N = 100).
const gcPercent = 200

// Setup prepares the process of the provider registered at address (such
// as registry.terraform.io/sovera/sovx) and returns a context that an
// interrupt (SIGINT) ends.
//
// Terraform stops the provider's calls at the first Ctrl-C in `terraform
// plan` and in the apply walk, but not in the plan half of `terraform apply`:
// there it waits for the calls under way. Ctrl-C at a terminal reaches every
// process of the foreground group, this one included, so the provider can
// end its own reads then (writes are left to the engine).
func Setup(address string) (interrupted context.Context) {
	if os.Getenv("GOGC") == "" {
		debug.SetGCPercent(gcPercent)
	}
	quietLogsUnlessAsked(address)
	ctx, _ := signal.NotifyContext(context.Background(), os.Interrupt)
	return ctx
}

// quietLogsUnlessAsked turns the provider's and the plugin SDK's logging off
// when no TF_LOG* variable is set. Terraform discards provider logs then, yet
// each logger would still format a line for every step of every RPC and every
// request (about a third of the provider's CPU in a refresh, make bench).
// With any TF_LOG* variable set, logging is left exactly as the user asked.
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

// quietedLogVars are the level variables of the SDK's loggers and of the
// provider's own (tflog): terraform-plugin-go reads TF_LOG_PROVIDER_ and
// the address's type, dashes as underscores (tf6server.New); unset, that
// logger logs at TRACE.
func quietedLogVars(address string) []string {
	provider := "TF_LOG_PROVIDER_" + strings.ToUpper(strings.ReplaceAll(path.Base(address), "-", "_"))
	return []string{provider, "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"}
}
