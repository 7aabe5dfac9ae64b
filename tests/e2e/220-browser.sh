# The main flow in a real browser (Debian's headless Chromium, driven by
# playwright-core from the npm registry): import, application, committee
# vote, school decision, 公示 read on a phone, district approval, allocation
# and payment batch. Screenshots of each step go to build/screenshots.
. "$ROOT/tests/e2e/lib.sh"
B=$ROOT/tests/browser
if ! npm ci --prefix "$B" --no-audit --no-fund --loglevel=error >"$T/npm.log" 2>&1; then
	cat "$T/npm.log"
	bad "npm ci in tests/browser"
	done_tests
	exit 1
fi
SHOTS=$ROOT/${BUILD:-build}/screenshots
rm -rf "$SHOTS"
out=$(BASE=$BASE DB=$DB PW=$PW SHOTS=$SHOTS FIXTURE=$ROOT/tests/fixtures/roster/roster-utf8.csv \
	timeout 600 node "$B/flow.mjs" 2>&1)
rc=$?
printf '%s\n' "$out" | grep -v -E '^[0-9]+ passed, [0-9]+ failed'
line=$(printf '%s\n' "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1)
if [ -z "$line" ]; then
	bad "browser flow ended without a result (exit $rc)"
else
	PASS=$((PASS + ${line%% passed*}))
	n=$(echo "$line" | sed -E 's/.* ([0-9]+) failed.*/\1/')
	FAIL=$((FAIL + n))
	[ "$rc" -ne 0 ] && [ "$n" = 0 ] && bad "browser flow exit code $rc"
fi
check "a screenshot of each step" "$(ls "$SHOTS" 2>/dev/null | grep -c '\.png$')" -ge 12
done_tests
