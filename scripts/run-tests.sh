#!/usr/bin/env bash
# `make check`: runs every suite under build/test through lit (FileCheck
# tests and the gtest unit tests) and ends with one line "N passed, N failed".
# Exits non-zero when anything failed.
set -uo pipefail
build=${1:-build}
lit=/usr/lib/llvm-22/bin/lit
log=$(mktemp)
trap 'rm -f "$log"' EXIT

"$lit" -sv "$build/test" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

# lit's summary lines look like "  Passed: 40 (100.00%)" or, padded,
# "  Passed     : 40 (100.00%)".
count() {
  local n
  n=$(sed -n "s/^ *$1 *: *\([0-9][0-9]*\).*/\1/p" "$log" | tail -n 1)
  echo "${n:-0}"
}
passed=$(( $(count Passed) + $(count 'Expectedly Failed') ))
failed=$(( $(count Failed) + $(count 'Unexpectedly Passed') + \
           $(count Unresolved) + $(count 'Timed Out') ))
skipped=$(( $(count Unsupported) + $(count Skipped) + $(count Excluded) ))
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # lit itself failed (no tests found, bad configuration).
fi
echo "skipped (unsupported on this machine): $skipped"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
