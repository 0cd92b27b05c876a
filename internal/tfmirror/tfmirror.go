// Package tfmirror builds the provider into a local filesystem mirror that
// Terraform and OpenTofu install it from with no network, for the end-to-end
// tests and the benchmark.
package tfmirror

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
)

// Hosts are the registries the source address "sovera/sovx" resolves to:
// Terraform's and OpenTofu's. The mirror holds the provider under both.
var Hosts = []string{"registry.terraform.io", "registry.opentofu.org"}

// Build compiles the provider in moduleDir into an unpacked mirror at dir.
func Build(moduleDir, dir, version string) error {
	name := "terraform-provider-sovx_v" + version
	first := ""
	for _, host := range Hosts {
		target := filepath.Join(dir, host, "sovera/sovx", version, runtime.GOOS+"_"+runtime.GOARCH, name)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if first != "" {
			if err := os.Link(first, target); err != nil {
				return err
			}
			continue
		}
		build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w -X main.version="+version, "-o", target, ".")
		build.Dir = moduleDir
		if out, err := build.CombinedOutput(); err != nil {
			return fmt.Errorf("building the provider: %w\n%s", err, out)
		}
		first = target
	}
	return nil
}

// CLIConfig is a CLI configuration (for TF_CLI_CONFIG_FILE) that installs
// sovera/sovx only from the mirror at dir and everything else as usual.
func CLIConfig(dir string) string {
	addrs := make([]string, len(Hosts))
	for i, host := range Hosts {
		addrs[i] = fmt.Sprintf("%q", host+"/sovera/sovx")
	}
	list := strings.Join(addrs, ", ")
	return fmt.Sprintf(`provider_installation {
  filesystem_mirror {
    path    = %q
    include = [%s]
  }
  direct {
    exclude = [%s]
  }
}
`, dir, list, list)
}
