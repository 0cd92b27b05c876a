// Package tfmirror lays out the local filesystem mirror that Terraform and
// OpenTofu install the provider from with no network: built from source
// (unpacked layout) for the end-to-end tests, the benchmark and the demo, or
// holding a release zip (packed layout) for the release check
// (tools/cmd/mirror serves the scripts). The one place that knows the layout.
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
	return BuildPackage(moduleDir, ".", dir, version)
}

// BuildPackage compiles the main package pkg of moduleDir (the bench's
// floor provider, say) into an unpacked mirror at dir as sovera/sovx.
func BuildPackage(moduleDir, pkg, dir, version string) error {
	name := "terraform-provider-sovx_v" + version
	first := ""
	for _, host := range Hosts {
		target := filepath.Join(dir, host, "sovera/sovx", version, runtime.GOOS+"_"+runtime.GOARCH, name)
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		// A mirror made before is replaced: the same command picks up a rebuild.
		if err := os.Remove(target); err != nil && !os.IsNotExist(err) {
			return err
		}
		if first != "" {
			if err := os.Link(first, target); err != nil {
				return err
			}
			continue
		}
		build := exec.Command("go", "build", "-trimpath", "-ldflags", "-s -w -X main.version="+version, "-o", target, pkg)
		build.Dir = moduleDir
		if out, err := build.CombinedOutput(); err != nil {
			return fmt.Errorf("building the provider: %w\n%s", err, out)
		}
		first = target
	}
	return nil
}

// AddZip puts a release zip (terraform-provider-sovx_<version>_<os>_<arch>.zip)
// into the mirror at dir in the packed layout, under every host.
func AddZip(dir, zipPath string) error {
	raw, err := os.ReadFile(zipPath)
	if err != nil {
		return err
	}
	for _, host := range Hosts {
		target := filepath.Join(dir, host, "sovera/sovx", filepath.Base(zipPath))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(target, raw, 0o644); err != nil {
			return err
		}
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
