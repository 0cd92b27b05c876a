#!/usr/bin/env bash
# make release-check: build the release with goreleaser (snapshot, unsigned),
# then install it the way a Registry user does: from a filesystem mirror
# holding the release zip, with no network, and init/apply/plan/destroy a
# webhook against the fake API. Checks the lock file records the zip's hash.
#
# Only the host's target is built unless SOVX_RELEASE_ALL=1; the full
# configuration is still validated with `goreleaser check`.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
# shellcheck source=tools/scripts/lib.sh
source "$root/tools/scripts/lib.sh"
GORELEASER=${GORELEASER:-$root/bin/goreleaser}
TF_BIN=${TF_BIN:-$(command -v terraform || true)}
[ -x "$TF_BIN" ] || { echo "release-check: terraform not found" >&2; exit 1; }
target="$(go env GOOS)_$(go env GOARCH)"

make_workdir sovx-release
fail() { echo "release-check FAILED: $*" >&2; exit 1; }
step() { printf '\n==> %s\n' "$*"; }

step "goreleaser check (full configuration)"
"$GORELEASER" check

config=.goreleaser.yml
if [ "${SOVX_RELEASE_ALL:-}" != "1" ]; then
  # Keep only the host's target so the check stays fast.
  config="$work/goreleaser-$target.yml"
  awk -v t="$target" '
    /^    targets:/ { print; print "      - " t; skip = 1; next }
    skip && /^      - / { next }
    { skip = 0; print }' .goreleaser.yml >"$config"
fi

step "goreleaser release --snapshot --clean --skip=sign,publish ($( [ "$config" = .goreleaser.yml ] && echo all targets || echo "$target only"))"
"$GORELEASER" release --snapshot --clean --skip=sign,publish --config "$config" >"$work/goreleaser.log" 2>&1 \
  || { tail -40 "$work/goreleaser.log"; fail "goreleaser"; }

version=$(sed -n 's/.*"version":"\([^"]*\)".*/\1/p' dist/metadata.json | head -1)
[ -n "$version" ] || fail "no version in dist/metadata.json"
zip="terraform-provider-sovx_${version}_${target}.zip"
sums="dist/terraform-provider-sovx_${version}_SHA256SUMS"
[ -f "dist/$zip" ] || { ls dist; fail "dist/$zip is missing"; }
grep -q " $zip\$" "$sums" || fail "$sums does not list $zip"
grep -q " terraform-provider-sovx_${version}_manifest.json\$" "$sums" || fail "$sums does not list the registry manifest"
# Listed first, then searched: `unzip | grep -q` can fail under pipefail when
# grep exits before unzip has written everything.
listing=$(unzip -l "dist/$zip")
grep -q " terraform-provider-sovx_v${version}\$" <<<"$listing" || { echo "$listing"; fail "the zip does not hold terraform-provider-sovx_v$version"; }
grep -q " LICENSE\$" <<<"$listing" || { echo "$listing"; fail "the zip does not hold the LICENSE"; }
echo "built $zip ($(wc -c <"dist/$zip") bytes), listed in SHA256SUMS with the manifest"

step "terraform init from a filesystem mirror holding only the release zip"
mkdir -p "$work/config"
make_mirror "$work/terraform.rc" -zip "$root/dist/$zip" || fail "making the mirror"
export TF_CLI_CONFIG_FILE="$work/terraform.rc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
cat >"$work/config/main.tf" <<TF
terraform {
  required_providers {
    sovx = {
      source  = "sovera/sovx"
      version = "$version"
    }
  }
}

variable "customer_id" { type = string }
variable "webhook_url" { type = string }

resource "sovx_customer_webhook" "pin" {
  customer_id = var.customer_id
  url         = var.webhook_url
  headers = {
    "X-API-Key" = { value = "release-check-secret" }
  }
}
TF
tf() { "$TF_BIN" -chdir="$work/config" "$@"; }
tf init -input=false -no-color >"$work/init.log" || { cat "$work/init.log"; fail "terraform init"; }
grep "sovera/sovx" "$work/init.log"

lock="$work/config/.terraform.lock.hcl"
# A mirror install records the h1: hash of the zip's contents (zh: hashes
# come only from a registry's signed checksums).
h1=$(go run ./tools/cmd/h1sum "dist/$zip")
grep -q "\"$h1\"" "$lock" || { cat "$lock"; fail "the lock file does not record the release zip's hash $h1"; }
grep -q "version     = \"$version\"" "$lock" || fail "the lock file does not pin version $version"
echo "lock file pins $version with $h1, the hash of the release zip"

step "apply, plan (no changes), destroy against the fake API"
start_fake "$work/config/terraform.tfvars" || fail "the fake API did not start"
tf apply -input=false -auto-approve -no-color >"$work/apply.log" || { cat "$work/apply.log"; fail "apply"; }
grep "Apply complete" "$work/apply.log"
expect_clean_plan || fail "plan after apply"
tf destroy -input=false -auto-approve -no-color | grep "Destroy complete" || fail "destroy"
if grep -q "release-check-secret" "$work"/*.log; then fail "a header value appeared in terraform output"; fi

printf '\nrelease-check OK: %s installs from a mirror, applies, plans clean and destroys\n' "$zip"
