#!/usr/bin/env bash
# `make fuzz`: runs tfm-fuzz-onnx (ASan + UBSan + libFuzzer) on the seed
# corpus for a fixed time on every core, keeping going past findings, and
# prints the executions and the crashes, hangs and OOMs it found (kept in
# BUILD/fuzz/findings/ as reproducers).
#
#   scripts/fuzz.sh BUILD_DIR SECONDS
set -uo pipefail
build=${1:-build-asan}
seconds=${2:-300}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$build/fuzz
mkdir -p "$work/corpus" "$work/findings"
/usr/bin/python3 "$root/scripts/fuzz_seeds.py" "$work/seeds" || exit 1
jobs=$(nproc)
log=$work/fuzz.log
echo "fuzz: $jobs jobs for $seconds s; log in $log"
# Leaks are not findings here (check-asan looks for them); a hang is one
# past 30 s, an OOM past 4 GiB.
ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1 \
UBSAN_OPTIONS=print_stacktrace=1 \
  "$build/bin/tfm-fuzz-onnx" "$work/corpus" "$work/seeds" \
  -fork="$jobs" -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
  -max_total_time="$seconds" -timeout=30 -rss_limit_mb=4096 \
  -artifact_prefix="$work/findings/" >"$log" 2>&1
status=$?
# Fork mode reports "#N: cov: ... exec/s: ..." lines; N is the total.
execs=$(grep -oE '^#[0-9]+' "$log" | tail -n 1 | tr -d '#')
crashes=$(find "$work/findings" -name 'crash-*' | wc -l)
timeouts=$(find "$work/findings" -name 'timeout-*' | wc -l)
ooms=$(find "$work/findings" -name 'oom-*' | wc -l)
echo "fuzz: ${execs:-0} executions in $seconds s, corpus $(ls "$work/corpus" | wc -l) inputs"
echo "fuzz: findings: $crashes crashes, $timeouts timeouts, $ooms OOMs (in $work/findings)"
if [ "$crashes" -ne 0 ] || [ "$timeouts" -ne 0 ] || [ "$ooms" -ne 0 ] ||
   { [ "$status" -ne 0 ] && [ -z "$execs" ]; }; then
  exit 1
fi
