# Shared by tools/scripts/demo.sh and tools/scripts/release-check.sh.

# make_mirror RC_FILE -build VERSION | -zip FILE: a local mirror of the
# provider in $work/mirror and the CLI configuration that installs sovera/sovx
# only from there (internal/tfmirror knows the layout and both registry hosts).
make_mirror() {
  local rc=$1
  shift
  (cd "$root" && go run ./tools/cmd/mirror -dir "$work/mirror" -rc "$rc" "$@")
}

# make_workdir PREFIX: a scratch directory (in $work) removed on exit, with
# the fake API (if started) stopped first.
make_workdir() {
  work=$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")
  fake_pid=""
  trap 'stop_fake; rm -rf "$work"' EXIT
  trap 'exit 130' INT TERM
}

# start_fake [TFVARS]: build and start the fake API on loopback, then export
# its SOVX_ENDPOINT and SOVX_TOKEN; the demo's variables go to TFVARS when
# given. Logs go to $work/fake.log.
start_fake() {
  (cd "$root" && go build -o "$work/sovx-fake" ./tools/cmd/sovx-fake) || return 1
  "$work/sovx-fake" -env-file "$work/fake.env" ${1:+-tfvars "$1"} >"$work/fake.log" 2>&1 &
  fake_pid=$!
  for _ in $(seq 1 100); do [ -s "$work/fake.env" ] && break; sleep 0.1; done
  [ -s "$work/fake.env" ] || { cat "$work/fake.log"; return 1; }
  # shellcheck disable=SC1091
  source "$work/fake.env"
}

# stop_fake: stop the fake API and wait for its last log line.
stop_fake() {
  if [ -n "${fake_pid:-}" ]; then
    kill -INT "$fake_pid" 2>/dev/null
    wait "$fake_pid" 2>/dev/null || true
    fake_pid=""
  fi
}

# expect_clean_plan: run `tf plan` (the caller's engine wrapper) and succeed
# only when it reports no changes; the output is kept in $work/plan.log.
expect_clean_plan() {
  local code=0
  tf plan -input=false -detailed-exitcode -no-color >"$work/plan.log" || code=$?
  if [ "$code" -ne 0 ]; then
    cat "$work/plan.log"
    echo "plan after apply is not clean (exit $code)" >&2
    return 1
  fi
  grep "No changes" "$work/plan.log"
}
