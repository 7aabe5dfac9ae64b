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
# 160 tampered with one ledger row on purpose: note which row verification
# names now (and any reconciliation total that disagrees with the payments)
BEFORE=$("$BIN" verify-ledger --db "$DB" | grep -o '第 [0-9]* 号\|发放汇总有 [0-9]* 处' || echo intact)
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
AFTER=$("$BIN" verify-ledger --db "$DB" | grep -o '第 [0-9]* 号\|发放汇总有 [0-9]* 处' || echo intact)
check "the crashes broke no ledger row ($BEFORE before, $AFTER after)" "$AFTER" = "$BEFORE"
check "workers restarted by the master" "$(pgrep -P "$MASTER" | wc -l)" -ge 1
get "$J" /students
expect_status 200 "the daemon serves after the crashes"
grep -q "worker .* ended (signal 9" "$WORK/run/zizhu.log"; check "the master logged the killed workers" $? = 0

# an online backup taken while writes go on is consistent and opens
mkid() { for c in 0 1 2 3 4 5 6 7 8 9 X; do if "$BIN" idcard "$1$c" >/dev/null 2>&1; then echo "$1$c"; return; fi; done; }
JW=$T/writer
login "$JW" xg_officer "$PW"
get "$JW" /students/new
wtok=$(form_token)
(
	i=0
	while [ $i -lt 40 ]; do
		i=$((i + 1))
		id=$(mkid "4103072015010$(printf '%02d' $i)12")
		curl -s -o /dev/null -b "$JW" --data-urlencode "_csrf=$wtok" --data-urlencode "name=备份$i" --data-urlencode gender=女 \
			--data-urlencode "idcard=$id" --data-urlencode stage=primary --data-urlencode grade=二年级 --data-urlencode class_name=1班 "$BASE/students"
	done
) &
WRITER=$!
sleep 0.5
"$BIN" backup "$WORK/online.db" --db "$DB" > /dev/null
check "backup while writing: exit 0" $? = 0
wait $WRITER
check "the backup is a sound database" "$(sqlite3 "$WORK/online.db" 'pragma integrity_check')" = ok
n=$(sqlite3 "$WORK/online.db" "select count(*) from student where name like '备份%'")
check "the backup holds a consistent prefix of the writes ($n of 40)" "$n" -le 40
check "every student in the backup has its audit row" "$(sqlite3 "$WORK/online.db" "select count(*) from student s where s.name like '备份%' and not exists (select 1 from audit_log a where a.action='student.create' and a.entity_id=s.id)")" = 0
"$BIN" verify-ledger --db "$WORK/online.db" > "$T/vb"
check "the restored copy opens with the program and its ledger verifies as the live one" "$(grep -o '第 [0-9]* 号\|哈希链完整' "$T/vb")" = "$(echo "$AFTER" | sed 's/intact/哈希链完整/')"
done_tests
