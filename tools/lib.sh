# Shared by tools/demo.sh and tools/release-check.sh.

# Registry hosts a source address "sovera/sovx" resolves to: Terraform's and
# OpenTofu's. Local mirrors hold the provider under both so either engine
# installs it with no network.
mirror_hosts=(registry.terraform.io registry.opentofu.org)

# write_mirror_rc MIRROR_DIR RC_FILE: a CLI configuration that installs
# sovera/sovx only from MIRROR_DIR (Terraform and OpenTofu both read it
# through TF_CLI_CONFIG_FILE).
write_mirror_rc() {
  local include=""
  for host in "${mirror_hosts[@]}"; do include="$include\"$host/sovera/sovx\", "; done
  cat >"$2" <<RC
provider_installation {
  filesystem_mirror {
    path    = "$1"
    include = [${include%, }]
  }
  direct {
    exclude = [${include%, }]
  }
}
RC
}
