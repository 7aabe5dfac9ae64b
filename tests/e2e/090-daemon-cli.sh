# The command line: help, exit codes, schema checks, backup; the daemon:
# a worker killed is replaced, SIGTERM stops everything cleanly.
. "$ROOT/tests/e2e/lib.sh"
"$BIN" --help > "$T/out"; check "--help exits 0" $? = 0
grep -q "serve" "$T/out"; check "--help lists serve" $? = 0
"$BIN" 2>/dev/null; check "no command: exit 2" $? = 2
"$BIN" frobnicate 2>/dev/null; check "unknown command: exit 2" $? = 2
for c in serve init migrate demo backup; do
	"$BIN" $c --help > "$T/out" 2>&1; check "$c --help exits 0" $? = 0
	grep -q "用法" "$T/out"; check "$c --help prints usage" $? = 0
done
"$BIN" serve --bogus 2>/dev/null; check "unknown option: exit 2" $? = 2
"$BIN" demo --db "$WORK/none.db" 2>"$T/err"; check "missing database: exit 1" $? = 1
grep -q "zizhu init" "$T/err"; check "missing database says to run init" $? = 0
"$BIN" idcard 11010519491231002X >/dev/null; check "idcard valid: exit 0" $? = 0
"$BIN" idcard 110105194912310021 > "$T/out"; check "idcard invalid: exit 1" $? = 1
grep -q "校验位" "$T/out"; check "idcard says what is wrong" $? = 0

# the daemon refuses a schema it does not know
cp "$DB" "$WORK/future.db"
sqlite3 "$WORK/future.db" "pragma user_version=99"
"$BIN" serve --db "$WORK/future.db" --socket "$WORK/f.sock" 2>"$T/err"
check "newer schema: exit 1" $? = 1
grep -q "请升级程序" "$T/err"; check "newer schema explained" $? = 0
# a broken template stops the start, naming file and line
"$BIN" serve --db "$DB" --socket "$WORK/t.sock" --templates "$ROOT/tests/fixtures/templates/bad/unclosed_if" 2>"$T/err"
check "broken template: exit 1" $? = 1
grep -q "page.html:[0-9]" "$T/err"; check "template error names file and line" $? = 0
# init twice is harmless, migrate on an up-to-date db applies nothing
"$BIN" init --db "$WORK/twice.db" >/dev/null && "$BIN" init --db "$WORK/twice.db" > "$T/out"
grep -q "应用了 0 个迁移" "$T/out"; check "second init applies nothing" $? = 0

# online backup while serving
"$BIN" backup "$WORK/backup.db" --db "$DB" >/dev/null; check "backup exits 0" $? = 0
check "backup is a sound database" "$(sqlite3 "$WORK/backup.db" 'pragma integrity_check')" = ok
check "backup has the students" "$(sqlite3 "$WORK/backup.db" 'select count(*) from student')" = "$(sql 'select count(*) from student')"
"$BIN" backup "$WORK/backup.db" --db "$DB" 2>/dev/null; check "backup never overwrites: exit 1" $? = 1

# user add: wrong org kind, weak password, duplicate
echo 'cli-pass-2025' | "$BIN" user add --db "$DB" --username cli_u --name 命令行 --role district_admin --org 4103030002 2>"$T/err"
check "district role at a school refused: exit 1" $? = 1
echo 'short' | "$BIN" user add --db "$DB" --username cli_u --name 命令行 --role school_officer --org 4103030002 2>"$T/err"
check "weak password refused" $? = 1
echo 'cli-pass-2025' | "$BIN" user add --db "$DB" --username xg_admin --name 重复 --role district_admin --org 410303 2>"$T/err"
check "duplicate user refused" $? = 1
grep -q "已存在" "$T/err"; check "duplicate explained" $? = 0

# a second daemon of our own: kill -9 a worker, it is replaced; SIGTERM ends all
R=$WORK/d2
mkdir -p "$R"
"$BIN" serve --db "$DB" --socket "$R/z.sock" --workers 2 2>"$R/log" &
M=$!
i=0; while [ ! -S "$R/z.sock" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done
check "second daemon listening" -S "$R/z.sock"
sleep 0.2
kids=$(pgrep -P $M | wc -l)
check "two workers" "$kids" = 2
victim=$(pgrep -P $M | head -n 1)
kill -9 "$victim"
sleep 0.5
check "killed worker replaced" "$(pgrep -P $M | wc -l)" = 2
check "the victim is gone" -z "$(pgrep -P $M | grep -x "$victim")"
# a request in flight when SIGTERM arrives is finished before the worker exits:
# cgi-fcgi sends the request head, then waits for its body on a fifo
mkfifo "$R/body"
REQUEST_METHOD=POST DOCUMENT_URI=/login CONTENT_TYPE=application/x-www-form-urlencoded \
	CONTENT_LENGTH=23 REMOTE_ADDR=127.0.0.9 \
	cgi-fcgi -bind -connect "$R/z.sock" < "$R/body" > "$R/out" 2>/dev/null &
C=$!
exec 7>"$R/body"
sleep 0.3
kill -TERM $M
sleep 0.3
check "master still waiting for the request in flight" -n "$(kill -0 $M 2>/dev/null && echo alive)"
printf 'username=a&password=bcd' >&7
exec 7>&-
wait $C
check "the in-flight request got a whole answer" -n "$(grep '^Status: 403' "$R/out")"
grep -q '</html>' "$R/out"; check "the answer's body is complete" $? = 0
wait $M; rc=$?
check "SIGTERM: master exits 0" $rc = 0
check "SIGTERM: socket removed" ! -e "$R/z.sock"
check "SIGTERM: no worker left" -z "$(pgrep -P $M)"
grep -q "stopped" "$R/log"; check "stop logged" $? = 0

# systemd socket activation: the socket is handed over as fd 3 (LISTEN_FDS)
systemd-socket-activate -l "$R/act.sock" "$BIN" serve --db "$DB" --workers 1 \
	--templates "$ROOT/templates" 2>"$R/act.log" &
A=$!
i=0; while [ ! -S "$R/act.sock" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i+1)); done
REQUEST_METHOD=GET DOCUMENT_URI=/healthz cgi-fcgi -bind -connect "$R/act.sock" > "$R/act.out" 2>/dev/null
check "socket-activated daemon answers" -n "$(grep '^ok' "$R/act.out")"
grep -q "systemd socket" "$R/act.log"; check "daemon used the passed socket" $? = 0
kill -TERM $A
wait $A
check "socket-activated daemon stops on SIGTERM" $? = 0

# the benchmarks' city, small: valid, consistent, with a verified ledger
SDB="$T/scale.db"
"$BIN" init --db "$SDB" >/dev/null
"$BIN" demo --scale 3000 --history 2 --db "$SDB" >/dev/null 2>&1; check "demo --scale exits 0" $? = 0
sq() { sqlite3 "$SDB" "$@"; }
check "every district of the city" "$(sq "select count(*) from org where kind = 'district'")" = 14
check "the students asked for, besides the demo city's" "$(sq "select count(*) from student")" = 3360
check "no 身份证号 twice" "$(sq "select count(*) from (select idcard from student group by idcard having count(*) > 1)")" = 0
bad_ids=0
for id in $(sq "select idcard from student order by random() limit 40"); do
	"$BIN" idcard "$id" >/dev/null 2>&1 || bad_ids=$((bad_ids + 1))
done
check "the numbers pass the 身份证号 check" "$bad_ids" = 0
check "awards at the national standard" "$(sq "select count(*) from award w where not exists (select 1 from programme_standard ps where ps.district_id is null and ps.term_id = w.term_id and ps.programme_id = w.programme_id and ps.tier = w.tier and ps.amount_fen = w.amount_fen)")" = 0
check "the paid terms have payments" "$(sq "select count(*) > 0 from payment where status = 'paid'")" = 1
check "each paid row has its ledger entry" "$(sq "select count(*) from payment p where not exists (select 1 from ledger l where l.payment_id = p.id and l.kind = 'payment')")" = 0
"$BIN" verify-ledger --db "$SDB" >/dev/null; check "the ledger chain verifies" $? = 0
XG="from application a join org o on o.id = a.school_id where o.code = '4103030002' and a.school_year = '2026-2027'"
check "up to 300 cases wait for a 公示 at 实验小学" "$(sq "select count(*) $XG and a.status = 'school_reviewed'")" = "$(sq "select min(300, count(*)) $XG")"
check "the school's other cases are submitted" "$(sq "select count(*) $XG and a.status not in ('school_reviewed', 'submitted')")" = 0
check "history terms imported" "$(sq "select count(distinct term_id) from past_award")" = 2
check "sound database" "$(sq 'pragma integrity_check')" = ok
check "back in WAL mode" "$(sq 'pragma journal_mode')" = wal
"$BIN" demo --scale 3000 --db "$SDB" >/dev/null 2>&1; check "--scale refuses a database with data: exit 1" $? = 1

# the shared stack still answers
get "$T/jar" /healthz
expect_status 200 "main stack unaffected"
done_tests
