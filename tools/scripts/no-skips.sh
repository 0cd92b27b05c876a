#!/usr/bin/env bash
# no-skips.sh ENGINE -- go test ARGS...: run the suites verbosely and fail if
# any test was skipped (on the newest engine every test must run), or if
# they fail; prints a summary either way. The live test, which needs
# credentials, is the one skip allowed.
set -uo pipefail
engine=$1
shift 2 # ENGINE and --
log=$(mktemp)
trap 'rm -f "$log"' EXIT
if ! "$@" >"$log" 2>&1; then
  grep -E -- '^(=== RUN|---|\s+---|FAIL|ok|panic)|_test.go' "$log" | grep -v '^=== RUN' | tail -80
  exit 1
fi
grep -E '^(ok|FAIL)' "$log"
skipped=$(grep -E -- '--- SKIP' "$log" | grep -v 'TestAccLive' || true)
if [ -n "$skipped" ]; then
  echo "skipped on $engine, where every test must run:"
  echo "$skipped"
  exit 1
fi
echo "$(grep -cE -- '^\s*--- PASS' "$log") tests and sub-tests passed on $engine, none skipped"
