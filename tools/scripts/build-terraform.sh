#!/usr/bin/env bash
# build-terraform.sh VERSION OUT: build the Terraform CLI VERSION from its Go
# module into OUT. No release binary can be downloaded here, but the module
# proxy serves Terraform's source. Its module archive lacks the nested modules
# of the remote-state backends and internal/legacy (each its own go.mod), so a
# scratch copy drops them: the local backend, which the tests use, stays.
set -euo pipefail
version=$1 out=$2

dir=$(go mod download -json "github.com/hashicorp/terraform@v$version" | sed -n 's/.*"Dir": "\(.*\)".*/\1/p')
[ -n "$dir" ] || { echo "could not download github.com/hashicorp/terraform@v$version" >&2; exit 1; }

scratch=$(mktemp -d "${TMPDIR:-/tmp}/terraform-$version.XXXXXX")
trap 'chmod -R u+w "$scratch"; rm -rf "$scratch"' EXIT
cp -r "$dir/." "$scratch"
chmod -R u+w "$scratch"
cd "$scratch"

dropped=(azure consul cos gcs kubernetes oss pg s3 oci)
for b in "${dropped[@]}"; do
  sed -i "\#internal/backend/remote-state/$b[ \"]#d" go.mod internal/backend/init/init.go
done
sed -i '\#internal/legacy #d' go.mod
for key in azurerm consul cos gcs kubernetes oss pg s3 oci; do
  sed -i "/^\t\t\"$key\": *func() backend.Backend/d" internal/backend/init/init.go
done

mkdir -p "$(dirname "$out")"
GOFLAGS=-mod=mod go build -trimpath -ldflags "-X github.com/hashicorp/terraform/version.dev=no" -o "$out.tmp" .
mv "$out.tmp" "$out"
"$out" version
