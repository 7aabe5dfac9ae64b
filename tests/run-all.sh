#!/bin/sh
# `make check`: every unit test, then every end-to-end test through nginx.
# The last line is the total: "check: N passed, N failed".
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 1
tmp=$(mktemp -d)
tests/run-unit.sh "$@" | tee "$tmp/unit.out"
unit_rc=$?
BUILD=${BUILD:-build} tests/run-e2e.sh | tee "$tmp/e2e.out"
e2e_rc=$?
fuzz_rc=0
if [ -n "${FUZZERS:-}" ]; then
	tests/run-fuzz.sh "${FUZZ_BUILD:-build-fuzz}" $FUZZERS | tee "$tmp/fuzz.out"
	fuzz_rc=$?
fi
total() { grep -E "^$1: [0-9]+ passed, [0-9]+ failed" "$tmp/$1.out" | tail -n 1 | sed -E "s/^$1: ([0-9]+) passed, ([0-9]+) failed.*/\\$2/"; }
up=$(total unit 1); uf=$(total unit 2); ep=$(total e2e 1); ef=$(total e2e 2)
fp=0; ff=0
if [ -n "${FUZZERS:-}" ]; then fp=$(total fuzz 1); ff=$(total fuzz 2); fi
p=$(( ${up:-0} + ${ep:-0} + ${fp:-0} )); f=$(( ${uf:-1} + ${ef:-1} + ${ff:-1} ))
rm -rf "$tmp"
# a stage that failed without counting still fails the run
[ "$f" -eq 0 ] && { [ "$unit_rc" -ne 0 ] || [ "$e2e_rc" -ne 0 ] || [ "$fuzz_rc" -ne 0 ]; } && f=1
echo
echo "check: $p passed, $f failed"
[ "$f" -eq 0 ]
