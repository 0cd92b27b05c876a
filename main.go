// Command terraform-provider-sovx is the Terraform provider for the SX
// Customers Customer Webhooks API.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"runtime/debug"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/sovera/terraform-provider-sovx/internal/provider"
)

// version is set at build time: -ldflags "-X main.version=1.2.3".
var version = "dev"

// memoryLimit is the provider's soft heap limit unless GOMEMLIMIT is set.
// The framework allocates heavily per RPC; with the default GC pacing alone
// a 500-webhook plan peaked at ~95 MB RSS, with this limit at ~56 MB and no
// measurable slowdown (make bench BENCH_N=500). It is soft: a larger live
// heap is still allowed, the GC just runs more often near it.
const memoryLimit = 36 << 20

func main() {
	var debugMode bool
	flag.BoolVar(&debugMode, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(memoryLimit)
	}
	quietLogsUnlessAsked()

	err := providerserver.Serve(context.Background(), provider.New(version), providerserver.ServeOpts{
		Address:         "registry.terraform.io/sovera/sovx",
		Debug:           debugMode,
		ProtocolVersion: 6,
	})
	if err != nil {
		log.Fatal(err)
	}
}

// quietLogsUnlessAsked turns the plugin SDK's logging off when no TF_LOG*
// variable is set. Terraform discards provider logs then, yet the SDK would
// still format a TRACE line for every step of every RPC: about a third of
// the provider's CPU in a refresh (make bench). With any TF_LOG* variable
// set, logging is left exactly as the user asked.
func quietLogsUnlessAsked() {
	for _, kv := range os.Environ() {
		if name, value, _ := strings.Cut(kv, "="); strings.HasPrefix(name, "TF_LOG") && value != "" {
			return
		}
	}
	for _, name := range []string{"TF_LOG_PROVIDER", "TF_LOG_SDK", "TF_LOG_SDK_PROTO", "TF_LOG_SDK_FRAMEWORK"} {
		_ = os.Setenv(name, "OFF")
	}
}
