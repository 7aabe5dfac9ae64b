# Storage faults on real file systems: a full disk (a 6 MB tmpfs filled
# up), a read-only mount, and a disk whose file system fails while the
# daemon runs (ext4 on a loop device, remounted read-only by the kernel).
# Every write gets the 503 page that says what happened and what to do,
# reads go on, nothing is half-written, no worker dies, and once the disk
# takes writes again the same daemon saves again.
# Needs root (mount); without it the test fails, it does not skip.
. "$ROOT/tests/e2e/lib.sh"
. "$ROOT/deploy/stack.sh"
M=$T/disk
IMG=$T/ext4.img
LOOP=""
cleanup() {
	stack_stop
	mountpoint -q "$M" && umount "$M"
	[ -n "$LOOP" ] && losetup -d "$LOOP" 2>/dev/null
	rm -rf "$T"
}
trap cleanup EXIT
mkdir -p "$M"
if [ "$(id -u)" != 0 ] || ! mount -t tmpfs -o size=6m tmpfs "$M"; then
	bad "cannot mount a small tmpfs: this test needs root (mount) to make a real full and read-only disk"
	echo "$PASS passed, $FAIL failed"
	exit 1
fi
SDB=$M/z.db
"$BIN" init --db "$SDB" >/dev/null && "$BIN" demo --db "$SDB" >/dev/null
check "demo database on the small disk" $? = 0
P2=$((PORT + 101))
while curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$P2/"; do P2=$((P2 + 1)); done
BASE=http://127.0.0.1:$P2
DB=$SDB
# the sqlite3 shell cannot open a WAL database on a read-only mount without
# its -shm file either; it reads the file as immutable there
SQLDB=$SDB
sql() {
	sqlite3 -cmd ".timeout 5000" "$SQLDB" "$@"
}
start() {
	WORKERS=2 stack_start "$T/run" "$P2" "$SDB"
	check "stack started on the disk" $? = 0
	MASTER=$STACK_DAEMON
	PIDS=$(pgrep -P "$MASTER" | sort | tr '\n' ' ')
}
mkid() { for c in 0 1 2 3 4 5 6 7 8 9 X; do if "$BIN" idcard "$1$c" >/dev/null 2>&1; then echo "$1$c"; return; fi; done; }
counts() {
	sql "select (select count(*) from student) || ' ' || (select count(*) from application) || ' ' ||
		(select count(*) from evidence) || ' ' || (select count(*) from audit_log) || ' ' ||
		(select count(*) from session) || ' ' || (select count(*) from care_record) || ' ' ||
		(select count(*) from roster_import) || ' ' || (select count(*) from roster_import_row)"
}
printf '%%PDF-1.4\n%% storage test\n1 0 obj <<>> endobj\ntrailer <<>>\n%%%%EOF\n' > "$T/ev.pdf"
# the writes a school officer makes; $1 names the round, $2 the status wanted
N=0
writes() {
	round=$1
	want=$2
	N=$((N + 1))
	J2=$T/signin.$N
	login "$J2" xg_officer "$PW"
	expect_status "$want" "$round: sign-in"
	[ "$want" = 503 ] && page_says "$round: sign-in"
	postf "$J" /students "_csrf=$tok" "name=存储$N" gender=女 "idcard=$(mkid "410303201501$(printf '%02d' $N)112")" \
		stage=primary grade=二年级 class_name=1班
	expect_status "$want" "$round: new student"
	[ "$want" = 503 ] && page_says "$round: new student"
	postf "$J" "/applications/$AID" "_csrf=$tok" action=save household_size=$((N + 2)) income=9600 \
		m0_name=张父 m0_relation=父亲 m0_age=45 "category=$CAT" "programme=$PROG" "reason=第 $N 次保存"
	expect_status "$want" "$round: application saved"
	[ "$want" = 503 ] && page_says "$round: application saved"
	CODE=$(curl -s -o "$T/body" -D "$T/head" -w '%{http_code}' -b "$J" -F "_csrf=$tok" \
		-F "file=@$T/ev.pdf;filename=证明$N.pdf" "$BASE/applications/$AID/evidence")
	expect_status "$want" "$round: evidence upload"
	[ "$want" = 503 ] && page_says "$round: evidence upload"
	postf "$J" "/students/$SID/care" "_csrf=$tok" kind=home_visit date=2025-11-02 "people=班主任" "notes=第 $N 次家访"
	expect_status "$want" "$round: care record"
	[ "$want" = 503 ] && page_says "$round: care record"
	printf '姓名,性别,身份证号,学段,年级,班级\n存储导入%s,女,%s,小学,二年级,1班\n' "$N" \
		"$(mkid "410303201502$(printf '%02d' $N)112")" > "$T/roster$N.csv"
	CODE=$(curl -s -o "$T/body" -D "$T/head" -w '%{http_code}' -b "$J" -F "_csrf=$tok" \
		-F "file=@$T/roster$N.csv" "$BASE/roster/import")
	expect_status "$want" "$round: roster import"
	[ "$want" = 503 ] && page_says "$round: roster import"
}
# the error page: in Chinese, what happened, what to do, retry later
page_says() {
	if grep -qF "$KIND" "$T/body" && grep -qF "没有保存任何内容" "$T/body" && grep -qF "联系系统管理员" "$T/body"; then
		ok
	else
		bad "$1: the page does not say '$KIND' and what to do"
	fi
	check "$1: Retry-After" -n "$(header Retry-After)"
}
reads() {
	round=$1
	for u in /gongshi /zhengce /chaxun /tousu; do
		CODE=$(curl -s -o /dev/null -w '%{http_code}' "$BASE$u")
		expect_status 200 "$round: public $u"
	done
	for u in /students /applications "/applications/$AID" "/students/$SID/archive"; do
		get "$J" "$u"
		expect_status 200 "$round: $u"
	done
}
sound() {
	check "$1: integrity_check ok" "$(sql 'pragma integrity_check')" = ok
	check "$1: no audit row without its object" "$(sql "select count(*) from audit_log a where
		(a.entity='student' and a.entity_id not in (select id from student)) or
		(a.entity='evidence' and a.action='evidence.upload' and a.entity_id not in (select id from evidence)) or
		(a.entity='care_record' and a.entity_id not in (select id from care_record))")" = 0
	check "$1: no worker died, none replaced" "$(pgrep -P "$MASTER" | sort | tr '\n' ' ')" = "$PIDS"
	if grep -qE 'ended \(signal|keeps failing|stopping' "$T/run/zizhu.log"; then bad "$1: daemon log shows a crash"; else ok; fi
	if grep -qE 'upstream|connect\(\) (to|failed)' "$T/run/nginx-error.log" 2>/dev/null; then
		bad "$1: nginx could not reach the daemon (502)"
	else ok; fi
}

start
J=$T/officer
login "$J" xg_officer "$PW"
SID=$(sql "select id from student where school_id=(select id from org where code='4103030002') and status='在读' and boarding=0 order by id limit 1")
CAT=$(sql "select id from difficulty_category where code='dibao' and district_id is null")
PROG=$(sql "select id from programme where code='cmp_nonboard'")
get "$J" "/applications/new?student=$SID"
tok=$(form_token)
postf "$J" /applications "_csrf=$tok" "student_id=$SID" action=save household_size=3 income=9600 \
	m0_name=张父 m0_relation=父亲 m0_age=45 "category=$CAT" "programme=$PROG" "reason=初稿"
expect_status 303 "a draft to edit later"
AID=$(sql "select id from application where student_id=$SID")

# ---- 1. the disk is full ----
KIND=服务器存储空间不足
sql "pragma wal_checkpoint(truncate)" >/dev/null # the next write must grow the WAL
dd if=/dev/zero of="$M/filler" bs=64k 2>/dev/null
dd if=/dev/zero of="$M/filler2" bs=1k 2>/dev/null
check "the disk is full" "$(df -P "$M" | awk 'NR==2 {print $4}')" = 0
BEFORE=$(counts)
writes "disk full" 503
reads "disk full"
check "disk full: nothing written (student application evidence audit session care import)" "$(counts)" = "$BEFORE"
check "disk full: the draft kept its last saved text" "$(sql "select reason from application where id=$AID")" = 初稿
sound "disk full"
grep -q "database or disk is full" "$T/run/zizhu.log"; check "the failures are logged" $? = 0
# workers replaced while the disk is full come up and serve
for w in $PIDS; do kill -9 "$w"; done
sleep 0.5
get "$J" /students
expect_status 200 "disk full: new workers serve reads"
postf "$J" /students "_csrf=$tok" name=存储新进程 gender=女 "idcard=$(mkid 41030320150131112)" stage=primary grade=二年级 class_name=1班
expect_status 503 "disk full: new workers refuse writes with the page"
page_says "disk full, new workers"
PIDS=$(pgrep -P "$MASTER" | sort | tr '\n' ' ')
: > "$T/run/zizhu.log" # the kills above are ours, not crashes

# space is back: the same daemon saves again
rm -f "$M/filler" "$M/filler2"
writes "space back" 303
check "space back: each write saved once" "$(sql "select count(*) from student where name like '存储%'")" = 1
check "space back: the application saved" "$(sql "select reason from application where id=$AID")" = "第 $N 次保存"
check "space back: evidence saved" "$(sql "select count(*) from evidence where application_id=$AID")" = 1
check "space back: audited" "$(sql "select count(*) from audit_log where action in ('student.create','evidence.upload')")" -ge 2
sound "space back"

# ---- 2. read-only: a live `mount -o remount,ro` is refused by Linux while
# the daemon holds the files open for writing, so the daemon starts on a
# read-only mount; the mount then becomes writable under the running daemon.
stack_stop
# as after a crash: the last commit only in the WAL, with its -shm, not yet
# checkpointed into the file; the read-only daemon must still show it, and
# must write again once the mount is writable (SQLite shares the read-only
# wal-index within a process)
SID2=$(sql "select id from student where school_id=(select id from org where code='4103030002') and id<>$SID order by id limit 1")
python3 -c "import sqlite3, os, sys
c = sqlite3.connect(sys.argv[1]); c.execute('pragma journal_mode=wal')
c.execute(\"update student set name='检查点前的改动' where id=?\", (int(sys.argv[2]),)); c.commit(); os._exit(0)" "$SDB" "$SID2"
check "a commit left in the WAL" -s "$SDB-wal"
mount -o remount,ro "$M"
SQLDB="file:$SDB?immutable=1"
check "the disk is read-only" "$(findmnt -n -o OPTIONS "$M" | cut -d, -f1)" = ro
KIND=服务器存储暂时无法写入
start
grep -q "serving reads only" "$T/run/zizhu.log"; check "read-only: the daemon says it serves reads only" $? = 0
BEFORE=$(counts)
writes "read-only" 503
reads "read-only"
get "$J" "/students/$SID2"
check "read-only: the commit in the WAL is shown" "$(grep -c '检查点前的改动' "$T/body")" -ge 1
check "read-only: nothing written" "$(counts)" = "$BEFORE"
sound "read-only"
LOGAT=$(wc -l < "$T/run/zizhu.log")
mount -o remount,rw "$M"
SQLDB=$SDB
F0=$FAIL
writes "writable again" 303
check "writable again: saved" "$(sql "select count(*) from student where name like '存储%'")" = 2
tail -n +$((LOGAT + 1)) "$T/run/zizhu.log" > "$T/log.after"
grep -q "writable again" "$T/log.after"; check "the workers reopened the database" $? = 0
if [ "$FAIL" != "$F0" ]; then
	echo "daemon log since the disk became writable:"
	head -n 40 "$T/log.after"
	ls -la "$M"
fi
sound "writable again"
stack_stop
umount "$M"

# ---- 3. the file system fails under the running daemon (ext4 errors=remount-ro) ----
truncate -s 16M "$IMG"
if ! mkfs.ext4 -q -F "$IMG" || ! LOOP=$(losetup -f --show "$IMG") || ! mount -o errors=remount-ro "$LOOP" "$M"; then
	bad "cannot mount an ext4 image on a loop device (needs root and loop devices)"
	exit 1
fi
"$BIN" init --db "$SDB" >/dev/null && "$BIN" demo --db "$SDB" >/dev/null
start
login "$J" xg_officer "$PW"
get "$J" "/applications/new?student=$SID"
tok=$(form_token)
postf "$J" /applications "_csrf=$tok" "student_id=$SID" action=save household_size=3 income=9600 \
	m0_name=张父 m0_relation=父亲 m0_age=45 "category=$CAT" "programme=$PROG" "reason=初稿"
AID=$(sql "select id from application where student_id=$SID")
BEFORE=$(counts)
echo 1 > "/sys/fs/ext4/$(basename "$LOOP")/trigger_fs_error"
check "the kernel made the disk read-only" -n "$(findmnt -n -o OPTIONS "$M" | grep -E '^ro|emergency_ro')"
writes "disk failed" 503
reads "disk failed"
check "disk failed: nothing written" "$(counts)" = "$BEFORE"
sound "disk failed"
# recovery from a file system error needs a check: stop, fsck, mount, start
stack_stop
umount "$M"
e2fsck -fy "$IMG" >/dev/null 2>&1
mount -o errors=remount-ro "$LOOP" "$M"
start
writes "after fsck" 303
check "after fsck: the database is whole" "$(sql 'pragma integrity_check')" = ok
check "after fsck: saved" "$(sql "select count(*) from student where name like '存储%'")" = 1
stack_stop
umount "$M"
losetup -d "$LOOP"
LOOP=""
done_tests
