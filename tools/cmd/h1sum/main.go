// Command h1sum prints the "h1:" hash Terraform records in .terraform.lock.hcl
// for a provider release zip, so release-check can tie the lock file to the
// zip goreleaser built.
//
//	go run ./tools/cmd/h1sum dist/terraform-provider-sovx_0.1.0_linux_amd64.zip
package main

import (
	"fmt"
	"os"

	"golang.org/x/mod/sumdb/dirhash"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: h1sum PROVIDER.zip")
		os.Exit(2)
	}
	sum, err := dirhash.HashZip(os.Args[1], dirhash.Hash1)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	fmt.Println(sum)
}
