#!/usr/bin/env bash
# fuzz.sh FUZZTIME PKG:TARGET...: run each fuzz target for FUZZTIME (make
# fuzz). A failure that recorded an input in the package's testdata/fuzz is
# final; one without (the fuzzing engine itself failing) runs once more.
set -euo pipefail
fuzztime=$1
shift
log=$(mktemp)
trap 'rm -f "$log"' EXIT
run() { go test -run '^$' -fuzz "^$2\$" -fuzztime "$fuzztime" "./$1" >"$log" 2>&1; }
for t in "$@"; do
  pkg=${t%%:*} name=${t##*:}
  echo "fuzz $name ($pkg, $fuzztime)"
  if run "$pkg" "$name"; then grep -E 'execs:' "$log" | tail -1; continue; fi
  cat "$log"
  if [ -n "$(git status --porcelain -- "$pkg/testdata/fuzz/$name")" ]; then
    echo "fuzz $name found a failing input: see $pkg/testdata/fuzz/$name"
    exit 1
  fi
  echo "fuzz $name failed without recording an input (the fuzzing engine itself); running it once more"
  run "$pkg" "$name" || { cat "$log"; exit 1; }
  grep -E 'execs:' "$log" | tail -1
done
