// Command terraform-provider-sovx is the Terraform provider for the SX
// Customers Customer Webhooks API.
package main

import (
	"context"
	"flag"
	"log"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"

	"github.com/sovera/terraform-provider-sovx/internal/process"
	"github.com/sovera/terraform-provider-sovx/internal/provider"
)

// version is set at build time: -ldflags "-X main.version=1.2.3".
var version = "dev"

func main() {
	var debugMode bool
	flag.BoolVar(&debugMode, "debug", false, "run the provider with support for debuggers like delve")
	flag.Parse()

	interrupted := process.Setup(provider.Address)
	err := providerserver.Serve(context.Background(), provider.New(version, interrupted), providerserver.ServeOpts{
		Address:         provider.Address,
		Debug:           debugMode,
		ProtocolVersion: 6,
	})
	if err != nil {
		log.Fatal(err)
	}
}
