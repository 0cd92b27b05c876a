#!/usr/bin/env bash
# build-tofu.sh VERSION OUT: build the OpenTofu CLI VERSION from its Go module
# into OUT. The module proxy serves it, but its go.mod has replace
# directives, so `go install` refuses: the build runs inside the downloaded
# module.
set -euo pipefail
version=$1 out=$2

dir=$(go mod download -json "github.com/opentofu/opentofu@v$version" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
[ -n "$dir" ] || { echo "could not download github.com/opentofu/opentofu@v$version" >&2; exit 1; }
mkdir -p "$(dirname "$out")"
(cd "$dir" && go build -trimpath -ldflags "-X github.com/opentofu/opentofu/version.dev=no" -o "$out.tmp" ./cmd/tofu)
mv "$out.tmp" "$out"
"$out" version
