#!/bin/sh
# End-to-end tests: a fresh database with the demo city, the real daemon and
# a private nginx on a free loopback port; each tests/e2e/NNN-*.sh runs
# against it with curl and prints "N passed, N failed". E2E_ONLY=NNN-name
# runs just that test (as `make soak` does).
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BIN=$ROOT/${BUILD:-build}/zizhu
WORK=$(mktemp -d /tmp/zizhu-e2e.XXXXXX)
export ROOT BIN WORK
. "$ROOT/deploy/stack.sh"
# a free loopback port: nothing may answer on it yet
PORT=$((20000 + $$ % 10000))
while curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/"; do PORT=$((PORT + 1)); done
DB=$WORK/zizhu.db
"$BIN" init --db "$DB" >/dev/null || { echo "e2e: 0 passed, 1 failed"; exit 1; }
"$BIN" demo --db "$DB" >/dev/null || { echo "e2e: 0 passed, 1 failed"; exit 1; }
WORKERS=3
stack_start "$WORK/run" "$PORT" "$DB" || { echo "e2e: 0 passed, 1 failed"; exit 1; }
export PORT DB
export BASE="http://127.0.0.1:$PORT"
pass=0; fail=0
for t in "$ROOT"/tests/e2e/${E2E_ONLY:-[0-9]*}.sh; do
	name=$(basename "$t")
	out=$(sh "$t" 2>&1); rc=$?
	printf '%s\n' "$out" | sed "s/^/[$name] /"
	line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
	if [ -z "$line" ]; then
		fail=$((fail + 1)); echo "[$name] ended without a result line (exit $rc)"
		continue
	fi
	p=${line%% passed*}; f=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	pass=$((pass + p)); fail=$((fail + f))
	[ $rc -ne 0 ] && [ "$f" = 0 ] && { fail=$((fail + 1)); echo "[$name] exit code $rc"; }
done
stack_stop
if [ -s "$WORK/run/zizhu.log" ] && grep -qE 'AddressSanitizer|runtime error|LeakSanitizer' "$WORK/run/zizhu.log"; then
	echo "sanitizer report in the daemon log:"; cat "$WORK/run/zizhu.log"; fail=$((fail + 1))
fi
[ "$fail" -eq 0 ] && [ -z "${KEEP:-}" ] && rm -rf "$WORK"
echo "e2e: $pass passed, $fail failed"
[ "$fail" -eq 0 ]
