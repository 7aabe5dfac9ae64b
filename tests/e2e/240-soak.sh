# A bounded soak: SOAK_SECONDS (default 120; `make soak` runs 600) of mixed
# load on a stack of its own (3 workers, a fresh demo database): parents
# reading 公示, policies and the status check, staff signing in and out and
# reading lists and reports, an officer adding and editing students and care
# records, another filling an application and uploading evidence (PDF and
# PNG), and roster import previews. Every status is counted: no 5xx, no
# connection error. Each worker's VmRSS is sampled after a warm-up, in the
# middle and at the end: beyond the growth of the database (which SQLite's
# page cache, at most 16 MB, may hold) it may grow by at most SOAK_RSS_KB
# (default 4096 kB) from warm-up to end and 2048 kB from middle to end, and
# the workers must be the same processes. At the end the database passes
# integrity_check and holds exactly the rows whose writes were acknowledged.
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/deploy/stack.sh"
SOAK=${SOAK_SECONDS:-120}
RSS_BOUND=${SOAK_RSS_KB:-4096}
trap 'stack_stop' EXIT
SDB=$T/soak.db
"$BIN" init --db "$SDB" >/dev/null && "$BIN" demo --db "$SDB" >/dev/null
check "soak database" $? = 0
DB=$SDB
P3=$((PORT + 211))
while curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$P3/"; do P3=$((P3 + 1)); done
BASE=http://127.0.0.1:$P3
WORKERS=3 stack_start "$T/run" "$P3" "$SDB"
check "soak stack started" $? = 0
MASTER=$STACK_DAEMON
PIDS=$(pgrep -P "$MASTER" | sort | tr '\n' ' ')
L=$T/load
mkdir -p "$L"

# req NAME curl-args...: one request; its status is appended to $L/NAME.codes
# ("000" is a connection error); the body stays in $L/NAME.body
req() {
	n=$1
	shift
	c=$(curl -s --max-time 30 -o "$L/$n.body" -D "$L/$n.head" -w '%{http_code}' "$@")
	echo "$c" >> "$L/$n.codes"
	CODE=$c
}
tok_of() { sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p' "$L/$1.body" | head -n 1; }
# a valid 身份证号 of a girl (even 17th digit) from a serial number
idcard() {
	awk -v n="$1" 'BEGIN {
		split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " "); m = "10X98765432";
		s = sprintf("410303%04d%02d%02d%03d", 2014 + int(n / 5000) % 4, 1 + int(n / 400) % 12, 1 + int(n / 16) % 25, (n % 16) * 2 + 100 * (n % 7));
		t = 0; for (k = 1; k <= 17; k++) t += substr(s, k, 1) * w[k];
		print s substr(m, t % 11 + 1, 1) }'
}
END_AT=$(($(date +%s) + SOAK))
running() { [ "$(date +%s)" -lt "$END_AT" ]; }

public_loop() { # parents: no sign-in
	J=$L/public.jar
	while running; do
		for u in /gongshi /zhengce /tousu /healthz /static/css/zizhu.css "/gongshi/1" /no/such/page /chaxun; do
			req public -b "$J" -c "$J" "$BASE$u"
		done
		tok=$(tok_of public)
		req public -b "$J" -c "$J" --data-urlencode "_csrf=$tok" --data-urlencode name=张三 \
			--data-urlencode idtail=123456 "$BASE/chaxun"
	done
}
staff_loop() { # sign in, read, sign out, for several roles
	i=0
	while running; do
		i=$((i + 1))
		for u in xg_officer2 xg_admin xg_reviewer city_viewer; do
			J=$L/staff.$u.jar
			rm -f "$J"
			req staff -b "$J" -c "$J" "$BASE/login"
			tok=$(tok_of staff)
			req staff -b "$J" -c "$J" --data-urlencode "_csrf=$tok" --data-urlencode "username=$u" \
				--data-urlencode "password=$PW" --data-urlencode next=/ "$BASE/login"
			for p in / /students "/students?q=%E7%8E%8B&page=2" /applications /reports/summary /notices /complaints; do
				req staff -b "$J" -c "$J" "$BASE$p"
			done
			tok=$(tok_of staff)
			req staff -b "$J" -c "$J" --data-urlencode "_csrf=$tok" "$BASE/logout"
		done
	done
}
roster_loop() { # an officer adds students, edits each, adds a care record
	J=$L/roster.jar
	req roster -b "$J" -c "$J" "$BASE/login"
	tok=$(tok_of roster)
	req roster -b "$J" -c "$J" --data-urlencode "_csrf=$tok" --data-urlencode username=xg_officer \
		--data-urlencode "password=$PW" --data-urlencode next=/students/new "$BASE/login"
	req roster -b "$J" -c "$J" "$BASE/students/new"
	tok=$(tok_of roster)
	i=0
	while running; do
		i=$((i + 1))
		req roster -b "$J" -c "$J" --data-urlencode "_csrf=$tok" --data-urlencode "name=压测$i" \
			--data-urlencode gender=女 --data-urlencode "idcard=$(idcard "$i")" --data-urlencode stage=primary \
			--data-urlencode grade=二年级 --data-urlencode class_name=1班 "$BASE/students"
		[ "$CODE" = 303 ] || continue
		echo created >> "$L/acked"
		id=$(grep -i '^location:' "$L/roster.head" | grep -o '[0-9]*' | tail -n 1)
		req roster -b "$J" -c "$J" --data-urlencode "_csrf=$tok" --data-urlencode "name=压测$i" \
			--data-urlencode gender=女 --data-urlencode "idcard=$(idcard "$i")" --data-urlencode stage=primary \
			--data-urlencode grade=三年级 --data-urlencode class_name=2班 "$BASE/students/$id"
		[ "$CODE" = 303 ] && echo "edited $id" >> "$L/acked"
		req roster -b "$J" -c "$J" --data-urlencode "_csrf=$tok" --data-urlencode kind=home_visit \
			--data-urlencode date=2025-11-02 --data-urlencode people=班主任 --data-urlencode "notes=压测家访$i" \
			"$BASE/students/$id/care"
		[ "$CODE" = 303 ] && echo care >> "$L/acked"
		req roster -b "$J" -c "$J" "$BASE/students/$id"
	done
}
app_loop() { # another school's officer: an application saved again and again, evidence uploaded
	J=$L/app.jar
	req app -b "$J" -c "$J" "$BASE/login"
	tok=$(tok_of app)
	req app -b "$J" -c "$J" --data-urlencode "_csrf=$tok" --data-urlencode username=ll_officer \
		--data-urlencode "password=$PW" --data-urlencode next=/ "$BASE/login"
	req app -b "$J" -c "$J" "$BASE/applications/new?student=$ASID"
	tok=$(tok_of app)
	req app -b "$J" -c "$J" --data-urlencode "_csrf=$tok" --data-urlencode "student_id=$ASID" \
		--data-urlencode action=save --data-urlencode household_size=4 --data-urlencode income=9600 \
		--data-urlencode m0_name=张父 --data-urlencode m0_relation=父亲 --data-urlencode m0_age=45 \
		--data-urlencode "category=$CAT" --data-urlencode "programme=$PROG" "$BASE/applications"
	aid=$(grep -i '^location:' "$L/app.head" | grep -o '[0-9]*' | tail -n 1)
	echo "$aid" > "$L/aid"
	i=0
	while running; do
		i=$((i + 1))
		req app -b "$J" -c "$J" --data-urlencode "_csrf=$tok" --data-urlencode action=save \
			--data-urlencode household_size=$((i % 8 + 2)) --data-urlencode income=$((9600 + i)) \
			--data-urlencode m0_name=张父 --data-urlencode m0_relation=父亲 --data-urlencode m0_age=45 \
			--data-urlencode "category=$CAT" --data-urlencode "programme=$PROG" \
			--data-urlencode "reason=第 $i 次保存" "$BASE/applications/$aid"
		[ "$CODE" = 303 ] && echo "saved $i" >> "$L/acked"
		if [ $((i % 2)) = 0 ]; then f=$T/ev.pdf; else f=$T/ev.png; fi
		req app -b "$J" -c "$J" -F "_csrf=$tok" -F "file=@$f;filename=证明材料$i" "$BASE/applications/$aid/evidence"
		[ "$CODE" = 303 ] && echo evidence >> "$L/acked"
		req app -b "$J" -c "$J" "$BASE/applications/$aid"
	done
}
import_loop() { # roster import previews (checked and shown, never applied)
	J=$L/import.jar
	req import -b "$J" -c "$J" "$BASE/login"
	tok=$(tok_of import)
	req import -b "$J" -c "$J" --data-urlencode "_csrf=$tok" --data-urlencode username=xg_officer \
		--data-urlencode "password=$PW" --data-urlencode next=/roster/import "$BASE/login"
	req import -b "$J" -c "$J" "$BASE/roster/import"
	tok=$(tok_of import)
	while running; do
		req import -b "$J" -c "$J" -F "_csrf=$tok" -F "file=@$T/roster.csv" "$BASE/roster/import"
		[ "$CODE" = 303 ] || continue
		echo preview >> "$L/acked"
		req import -b "$J" -c "$J" "$BASE$(grep -i '^location:' "$L/import.head" | cut -d' ' -f2 | tr -d '\r')"
	done
}
rss() { # per worker "pid kB": the least VmRSS of five reads 0.3 s apart (a
	# request in flight may hold a large transient buffer), and the size of
	# the database with its WAL in kB as the last line "db kB"
	for k in 1 2 3 4 5; do
		for p in $PIDS; do echo "$p $(awk '/^VmRSS/ {print $2}' "/proc/$p/status" 2>/dev/null)"; done
		sleep 0.3
	done | sort -k1,1 -k2,2n | awk '$1 != last {print; last = $1}'
	echo "db $(cat "$SDB" "$SDB-wal" 2>/dev/null | wc -c | awk '{print int($1 / 1024)}')"
}
# the fixtures
printf '%%PDF-1.4\n%% soak\n1 0 obj <<>> endobj\ntrailer <<>>\n%%%%EOF\n' > "$T/ev.pdf"
printf '\211PNG\r\n\032\n\000\000\000\rIHDR\000\000\000\001\000\000\000\001\010\006\000\000\000\037\025\304\211\000\000\000\rIDATx\234c\370\017\000\000\001\001\000\005\030\330N\000\000\000\000IEND\256B`\202' > "$T/ev.png"
{
	echo "姓名,性别,身份证号,学段,年级,班级"
	i=0
	while [ $i -lt 40 ]; do
		echo "导入$i,女,$(idcard $((90000 + i))),小学,四年级,$((i % 3 + 1))班"
		i=$((i + 1))
	done
} > "$T/roster.csv"
ASID=$(sql "select id from student where school_id=(select id from org where code='4103110001') and status='在读' and boarding=0 order by id limit 1")
CAT=$(sql "select id from difficulty_category where code='dibao' and district_id is null")
PROG=$(sql "select id from programme where code='cmp_nonboard'")
STUDENTS0=$(sql "select count(*) from student")
CARE0=$(sql "select count(*) from care_record")
IMPORTS0=$(sql "select count(*) from roster_import")

echo "soak: $SOAK s of mixed load"
public_loop & P1=$!
staff_loop & P2=$!
roster_loop & P3L=$!
app_loop & P4=$!
import_loop & P5=$!
# warm-up: a tenth of the run (at least 5 s) before the first sample
sleep $((SOAK / 10 > 5 ? SOAK / 10 : 5))
rss > "$T/rss.start"
sleep $((SOAK / 2 - (SOAK / 10 > 5 ? SOAK / 10 : 5)))
rss > "$T/rss.mid"
wait $P1 $P2 $P3L $P4 $P5
rss > "$T/rss.end"

total=$(cat "$L"/*.codes | wc -l)
e5=$(cat "$L"/*.codes | grep -c '^5')
e0=$(cat "$L"/*.codes | grep -c '^000')
echo "soak: $total requests; by status: $(cat "$L"/*.codes | sort | uniq -c | awk '{printf "%s×%s ", $2, $1}')"
check "soak: some load ran ($total requests)" "$total" -gt $((SOAK * 5))
check "soak: no 5xx ($e5)" "$e5" = 0
check "soak: no connection errors ($e0)" "$e0" = 0
for n in public staff roster app import; do
	check "soak: the $n loop made requests" -s "$L/$n.codes"
done
check "soak: the same workers throughout (none died)" "$(pgrep -P "$MASTER" | sort | tr '\n' ' ')" = "$PIDS"
if grep -qE 'ended \(signal|keeps failing|-> 5[0-9][0-9]' "$T/run/zizhu.log"; then
	bad "soak: the daemon log shows a crash or a 5xx"
	grep -E 'ended \(signal|keeps failing|-> 5' "$T/run/zizhu.log" | head -5
else ok; fi
echo "soak: VmRSS kB (pid start mid end): $(join "$T/rss.start" "$T/rss.mid" | join - "$T/rss.end" | tr '\n' ';')"
# SQLite's page cache (16 MB at most per worker) may hold the pages the
# database gained: the bound is SOAK_RSS_KB plus the database's growth
dbs=$(awk '$1 == "db" {print $2}' "$T/rss.start")
dbm=$(awk '$1 == "db" {print $2}' "$T/rss.mid")
dbe=$(awk '$1 == "db" {print $2}' "$T/rss.end")
ASAN=""
nm "$BIN" 2>/dev/null | grep -q __asan_init && ASAN=1
[ -n "$ASAN" ] && echo "soak: memory not bounded under AddressSanitizer (its quarantine grows; make check bounds it)"
for p in $PIDS; do
	[ -n "$ASAN" ] && break
	s=$(awk -v p="$p" '$1 == p {print $2}' "$T/rss.start")
	m=$(awk -v p="$p" '$1 == p {print $2}' "$T/rss.mid")
	e=$(awk -v p="$p" '$1 == p {print $2}' "$T/rss.end")
	check "soak: worker $p memory flat: start $s, end $e kB (growth <= $RSS_BOUND + database growth $((dbe - dbs)) kB)" \
		"$((e - s))" -le "$((RSS_BOUND + dbe - dbs))"
	check "soak: worker $p memory flat in the second half: mid $m, end $e kB (growth <= 2048 + $((dbe - dbm)) kB)" \
		"$((e - m))" -le "$((2048 + dbe - dbm))"
done
stack_stop
check "soak: integrity_check ok" "$(sql 'pragma integrity_check')" = ok
created=$(grep -c '^created' "$L/acked")
check "soak: every acknowledged student is there ($created)" "$(sql "select count(*) from student")" = $((STUDENTS0 + created))
check "soak: the edits of acknowledged students are there" \
	"$(sql "select count(*) from student where name like '压测%' and grade='三年级'")" = "$(grep -c '^edited' "$L/acked")"
check "soak: every acknowledged care record is there" \
	"$(sql "select count(*) from care_record")" = $((CARE0 + $(grep -c '^care' "$L/acked")))
AID=$(cat "$L/aid")
check "soak: every acknowledged evidence file is there" \
	"$(sql "select count(*) from evidence where application_id=$AID")" = "$(grep -c '^evidence' "$L/acked")"
last=$(grep '^saved' "$L/acked" | tail -n 1 | cut -d' ' -f2)
check "soak: the application holds its last acknowledged save ($last)" \
	"$(sql "select reason from application where id=$AID")" = "第 $last 次保存"
check "soak: every acknowledged import preview is there" \
	"$(sql "select count(*) from roster_import")" = $((IMPORTS0 + $(grep -c '^preview' "$L/acked")))
check "soak: audit rows for every acknowledged create" \
	"$(sql "select count(*) from audit_log where action='student.create'")" -ge "$created"
done_tests
