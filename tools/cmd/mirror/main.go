// Command mirror lays out a local filesystem mirror of the provider and the
// CLI configuration that installs it from there, for the demo and the
// release check (the tests call internal/tfmirror directly):
//
//	go run ./tools/cmd/mirror -dir MIRROR -rc FILE -build VERSION   # build from source
//	go run ./tools/cmd/mirror -dir MIRROR -rc FILE -zip RELEASE.zip  # a release zip
package main

import (
	"flag"
	"log"
	"os"

	"github.com/sovera/terraform-provider-sovx/internal/tfmirror"
)

func main() {
	dir := flag.String("dir", "", "the mirror directory to fill")
	rc := flag.String("rc", "", "where to write the CLI configuration (for TF_CLI_CONFIG_FILE)")
	build := flag.String("build", "", "build the provider from the module in the current directory, with this version")
	zip := flag.String("zip", "", "put this release zip into the mirror")
	flag.Parse()
	log.SetFlags(0)
	if *dir == "" || *rc == "" || (*build == "") == (*zip == "") {
		log.Fatal("mirror: needs -dir, -rc and one of -build or -zip")
	}
	var err error
	if *build != "" {
		err = tfmirror.Build(".", *dir, *build)
	} else {
		err = tfmirror.AddZip(*dir, *zip)
	}
	if err != nil {
		log.Fatalf("mirror: %v", err)
	}
	if err := os.WriteFile(*rc, []byte(tfmirror.CLIConfig(*dir)), 0o600); err != nil {
		log.Fatalf("mirror: %v", err)
	}
}
