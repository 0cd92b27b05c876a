#!/usr/bin/env bash
# make demo: build the provider, start the fake API, then init, apply (with
# verify), plan (must be clean) and destroy examples/demo as a user would,
# with the provider installed from a local mirror and no network. Cleans up
# after itself, also on failure, so it can run again right away.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
# shellcheck source=tools/scripts/lib.sh
source "$root/tools/scripts/lib.sh"
TF_BIN=${TF_BIN:-$(command -v terraform || true)}
VERSION=${VERSION:-0.1.0}
[ -x "$TF_BIN" ] || { echo "demo: terraform not found (install Terraform >= 1.11 or set TF_BIN)" >&2; exit 1; }

make_workdir sovx-demo

step() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
fail() { printf '\ndemo FAILED: %s\n' "$*" >&2; exit 1; }

engine=$(basename "$TF_BIN")
mkdir -p "$work/config"

step "Building terraform-provider-sovx $VERSION into a local mirror, and the fake API"
# Install sovera/sovx only from the local mirror: no registry, no network.
make_mirror "$work/terraform.rc" -build "$VERSION" || fail "building the provider"

step "Starting the fake Customer Webhooks API on loopback"
start_fake "$work/config/terraform.tfvars" || fail "the fake API did not start"
echo "API: $SOVX_ENDPOINT"; cat "$work/config/terraform.tfvars"

export TF_CLI_CONFIG_FILE="$work/terraform.rc" CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
cp "$root"/examples/demo/*.tf "$work/config/"
tf() { "$TF_BIN" -chdir="$work/config" "$@"; }

step "$engine init (provider from the local build)"
tf init -input=false -no-color >"$work/init.log" || { cat "$work/init.log"; fail "init"; }
grep -E "Installed sovera/sovx" "$work/init.log" || true

step "$engine apply: configure the webhook, then verify it"
tf apply -input=false -auto-approve -no-color | tee "$work/apply.log" || fail "apply"
grep -q "Apply complete! Resources: 1 added" "$work/apply.log" || fail "apply did not create the webhook"
grep -q "receiver: POST /webhook/pin-notification" "$work/fake.log" || fail "verify did not reach the receiver"
echo "--> configured, and verified: the receiver got the test payload with headers:"
grep "receiver: POST" "$work/fake.log" | sed 's/.*with headers /    /'
if grep -q -e "demo-receiver-token" -e "demo-api-key-rotate-me" "$work/apply.log"; then fail "a header value appeared in apply output"; fi

step "$engine plan: a second plan must show no changes"
expect_clean_plan || fail "plan after apply"
echo "--> plan is clean"

step "$engine destroy"
tf destroy -input=false -auto-approve -no-color | tail -n 3 || fail "destroy"
echo "--> destroyed"

stop_fake
requests=$(sed -n 's/.*stopping after \([0-9]*\) API requests.*/\1/p' "$work/fake.log")
printf '\n\033[1mdemo OK:\033[0m configured, verified, plan clean, destroyed (%s API requests)\n' "$requests"
