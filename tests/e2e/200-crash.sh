# Crash safety: kill -9 every worker in the middle of a 10,000-row import,
# again and again; afterwards the database is sound, each import is whole
# or absent, the ledger verifies and the daemon (its master restarts the
# workers) serves on.
. "$ROOT/tests/e2e/lib.sh"
MASTER=$(pgrep -f "zizhu serve --db $DB" | head -n 1)
check "found the daemon" -n "$MASTER"
J=$T/officer
login "$J" ll_officer "$PW"
get "$J" /roster/import
tok=$(form_token)
SCHOOL=$(sql "select id from org where code='4103110001'")
# 160 tampered with one ledger row on purpose: note which row verification names now
BEFORE=$("$BIN" verify-ledger --db "$DB" | grep -o '第 [0-9]* 号' || echo intact)
round=0
whole=0
absent=0
while [ $round -lt 6 ]; do
	round=$((round + 1))
	# a fresh 10,000-row file for this round (region 410306 + round in the date)
	awk -v R=$round 'BEGIN {
		split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " "); m = "10X98765432";
		print "姓名,性别,身份证号,学段,年级,班级";
		for (i = 0; i < 10000; i++) {
			s = sprintf("410306%04d%02d%02d%03d", 2010 + R, 1 + int(i / 1000) % 12, 1 + int(i / 100) % 10, (i * 2) % 1000 + 0);
			s = substr(s, 1, 14) sprintf("%03d", (i % 100) * 2 + int(i / 1200) % 2 * 0);
			t = 0; for (k = 1; k <= 17; k++) t += substr(s, k, 1) * w[k];
			printf "崩溃%d_%d,女,%s%s,小学,五年级,%d班\n", R, i, s, substr(m, t % 11 + 1, 1), i % 8 + 1;
		}
	}' > "$T/big.csv"
	CODE=$(curl -s -o /dev/null -D "$T/head" -w '%{http_code}' -b "$J" -F "_csrf=$tok" -F "file=@$T/big.csv" "$BASE/roster/import")
	IMP=$(header Location | grep -o '[0-9]*$')
	GOOD=$(sql "select good from roster_import where id=$IMP")
	curl -s -o /dev/null -b "$J" --data-urlencode "_csrf=$tok" --data-urlencode mode=good "$BASE/roster/import/$IMP" &
	CURL=$!
	sleep "0.$((2 + round))"
	for w in $(pgrep -P "$MASTER"); do kill -9 "$w" 2>/dev/null; done
	wait $CURL
	sleep 0.5
	n=$(sql "select count(*) from student where school_id=$SCHOOL and name like '崩溃${round}_%'")
	st=$(sql "select status from roster_import where id=$IMP")
	if [ "$n" = 0 ] && [ "$st" = preview ]; then
		absent=$((absent + 1)); ok
	elif [ "$n" = "$GOOD" ] && [ "$st" = applied ]; then
		whole=$((whole + 1)); ok
	else
		bad "round $round: $n of $GOOD rows written with the import $st: half-written"
	fi
done
echo "imports interrupted: $absent absent, $whole whole"
check "the database is sound" "$(sql 'pragma integrity_check')" = ok
AFTER=$("$BIN" verify-ledger --db "$DB" | grep -o '第 [0-9]* 号' || echo intact)
check "the crashes broke no ledger row ($BEFORE before, $AFTER after)" "$AFTER" = "$BEFORE"
check "workers restarted by the master" "$(pgrep -P "$MASTER" | wc -l)" -ge 1
get "$J" /students
expect_status 200 "the daemon serves after the crashes"
grep -q "worker .* ended (signal 9" "$WORK/run/zizhu.log"; check "the master logged the killed workers" $? = 0
done_tests
