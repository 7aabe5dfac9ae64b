# Crash safety of the other writes of many rows in one transaction: the
# district's approval of a school's whole batch (every item, award and
# application, an audit row each), building a payment batch (a payment row
# per approved award) and marking it sent (a hash-chained ledger entry per
# row). Each is started again and again and every worker of the master is
# killed with SIGKILL at another moment of the request; afterwards the
# database is sound, each operation is whole or absent, a request answered
# 303 is whole, the ledger verifies as before and the daemon serves on.
. "$ROOT/tests/e2e/lib.sh"
ROUNDS=${CRASH_ROUNDS:-6}
N=${CRASH_ROWS:-1500}
MASTER=$(pgrep -f "zizhu serve --db $DB" | head -n 1)
check "found the daemon" -n "$MASTER"
WORKERS=$(pgrep -P "$MASTER" | wc -l)
DIST=$(sql "select id from org where code='410311'")
DPATH=$(sql "select path from org where id=$DIST")
SCHOOL=$(sql "select id from org where code='4103110001'")
TERM=$(sql "select id from term where code='2026-autumn'")
P=$(sql "select id from programme where code='cmp_nonboard'")
# the payments are of another programme: the awards approved above are not in them
PP=$(sql "select id from programme where code='cmp_board'")
UO=$(sql "select id from user where username='ll_officer'")
# 160 tampered with one ledger row on purpose: note which row verification
# names now (and any reconciliation total that disagrees with the payments)
BEFORE=$("$BIN" verify-ledger --db "$DB" | grep -o '第 [0-9]* 号\|发放汇总有 [0-9]* 处' || echo intact)
J=$T/admin
login "$J" ll_admin "$PW"
get "$J" /payments
tok=$(form_token)

now() { date +%s.%N; }
# 200 killed the workers just before
LAST_KILL=$(now)
KILLED=$(grep -c "worker .* ended (signal 9" "$WORK/run/zizhu.log")
# The master gives up when workers die within 2 s of their start more than
# 10 times in a row (a worker that cannot start must not spin), so kills
# are at least 2.5 s apart: the set-up of the next round fills the wait.
spaced() {
	sleep "$(awk -v a="$LAST_KILL" -v b="$(now)" 'BEGIN { d = 2.5 - (b - a); printf "%.3f", (d > 0 ? d : 0) }')"
}
# crash DELAY URL FIELD...: POST the fields in the background, kill -9
# every worker of the master DELAY seconds later, wait for the answer
# (in $CODE) and for the master to have all its workers again
crash() {
	KILL_AT=$1
	url=$2
	shift 2
	spaced
	for a do set -- "$@" --data-urlencode "$a"; shift; done
	curl -s -o /dev/null -w '%{http_code}' -b "$J" --data-urlencode "_csrf=$tok" "$@" "$BASE$url" > "$T/code" &
	c=$!
	sleep "$KILL_AT"
	for w in $(pgrep -P "$MASTER"); do kill -9 "$w" 2>/dev/null; done
	LAST_KILL=$(now)
	wait $c
	CODE=$(cat "$T/code")
	i=0
	while [ "$(pgrep -P "$MASTER" | wc -l)" -lt "$WORKERS" ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	check "the master started $WORKERS workers again" "$(pgrep -P "$MASTER" | wc -l)" = "$WORKERS"
}
# timed URL FIELD...: the same POST, not interrupted: $CODE, $SECS, $LOC
timed() {
	url=$1
	shift
	for a do set -- "$@" --data-urlencode "$a"; shift; done
	out=$(curl -s -o /dev/null -D "$T/head" -w '%{http_code} %{time_total}' -b "$J" --data-urlencode "_csrf=$tok" "$@" "$BASE$url")
	CODE=${out% *}
	SECS=${out#* }
	LOC=$(header Location)
	# without the operation itself there is nothing to interrupt
	if [ "$CODE" != 303 ]; then
		bad "POST $url without a kill: status $CODE, want 303"
		done_tests
		exit 1
	fi
}
# delay ROWS: when to kill, as a share F of the time the request took
# without a kill (CAL seconds for CALROWS rows, scaled to ROWS). F starts
# at a half and moves after each round (next F): later after a round that
# left the operation absent, earlier after one that left it whole, so the
# kills gather around the commit and both outcomes come up.
delay() {
	awk -v f="$F" -v s="$CAL" -v k="$1" -v c="$CALROWS" 'BEGIN { printf "%.3f", f * s * k / c }'
}
next_f() { # whole|absent
	F=$(awk -v f="$F" -v w="$1" 'BEGIN { f = w == "whole" ? f * 0.6 : f * 1.5; printf "%.3f", (f < 0.05 ? 0.05 : (f > 4 ? 4 : f)) }')
}
# judge WHAT STATE ABSENT WHOLE: after a round's kill, STATE must be the
# operation's ABSENT or WHOLE state (counted, and the next delay moved);
# anything else is half-written. A kill answered 303 ($KCODE) came after the
# commit, so the round must be whole. Fails (status 1) when it was absent.
judge() {
	case "$2" in
	"$3") absent=$((absent + 1)); next_f absent; ok ;;
	"$4") whole=$((whole + 1)); next_f whole; ok ;;
	*) bad "$1 round $round: $2 of $4: half-written" ;;
	esac
	echo "$1 round $round: kill after $KILL_AT s: $(if [ "$2" = "$3" ]; then echo absent; elif [ "$2" = "$4" ]; then echo whole; else echo half-written; fi) ($KCODE)"
	[ "$KCODE" = 303 ] && check "$1 round $round: answered 303, so whole ($2)" "$2" = "$4"
	[ "$2" != "$3" ]
}

# The set-up data are written with SQL: N children a round through the
# roster, their applications, class and school reviews, the 公示 and the
# school's submission would take several thousand requests a round. Only
# the operations under test go through HTTP.
# setup TAG ROUND APP_STATUS AWARD_STATUS PROGRAMME: N new children of
# 关林小学 with a 资助卡, their application and an award of 375.00 each; TAG
# names them
setup() {
	awk -v tag="$1" -v R="$2" -v N="$N" -v q="'" -v base="$(sql "select count(*) from student where idcard like '410323%'")" 'BEGIN {
		split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " "); m = "10X98765432";
		print "BEGIN; CREATE TEMP TABLE gen (name TEXT, gender TEXT, idcard TEXT, class TEXT);";
		for (i = 0; i < N; i++) {
			k = base + i; d = int(k / 900); c = k % 900 + 100;
			s = sprintf("410323%04d%02d%02d%03d", 2016 + int(d / 336) % 4, 1 + int(d / 28) % 12, 1 + d % 28, c);
			t = 0; for (j = 1; j <= 17; j++) t += substr(s, j, 1) * w[j];
			printf "INSERT INTO temp.gen VALUES (%s%s%d_%d%s, %s%s%s, %s%s%s%s, %s%d班%s);\n", q,
				tag, R, i, q, q, c % 2 ? "男" : "女", q, q, s, substr(m, t % 11 + 1, 1), q, q, i % 8 + 1, q;
		}
	}' > "$T/setup.sql"
	cat >> "$T/setup.sql" <<-EOF
	INSERT INTO student (school_id, name, gender, idcard, stage, grade, class_name, account_type, account_no, bank)
		SELECT $SCHOOL, name, gender, idcard, 'primary', '三年级', class, '资助卡', '62170' || substr(idcard, 7, 11) || '000', '中国农业银行' FROM temp.gen;
	INSERT INTO application (student_id, school_id, school_year, status, household_size, income_fen, reason, pledge_confirmed, pledge_signer, created_by)
		SELECT s.id, $SCHOOL, '2026-2027', '$3', 3, 600000, '家庭困难', 1, '家长', $UO FROM student s JOIN temp.gen g ON g.idcard = s.idcard;
	INSERT INTO school_review (application_id, term_id, tier, decided_by)
		SELECT a.id, $TERM, 'fairly', $UO FROM application a JOIN student s ON s.id = a.student_id JOIN temp.gen g ON g.idcard = s.idcard;
	INSERT INTO award (application_id, idcard, school_id, term_id, programme_id, tier, amount_fen, status)
		SELECT a.id, s.idcard, $SCHOOL, $TERM, $5, '标准', 37500, '$4' FROM application a JOIN student s ON s.id = a.student_id JOIN temp.gen g ON g.idcard = s.idcard;
	COMMIT;
	EOF
	sql < "$T/setup.sql"
}
# a pending batch of the school with the applications of TAG and ROUND (as
# the school's submission makes it); prints its id
submitted() {
	sql "BEGIN; INSERT INTO batch (school_id, term_id, submitted_by) VALUES ($SCHOOL, $TERM, $UO);
		INSERT INTO batch_item (batch_id, application_id) SELECT (SELECT max(id) FROM batch), a.id FROM application a
		JOIN student s ON s.id = a.student_id WHERE s.school_id = $SCHOOL AND s.name GLOB '$1${2}_*' AND a.status = 'school_reviewed';
		SELECT max(id) FROM batch; COMMIT;"
}

# ---- the district approves a whole batch ----
# approval B: batch status / items approved / applications approved /
# awards approved / audit rows of the approval
approval() {
	sql "select b.status || '/' ||
		(select count(*) from batch_item bi where bi.batch_id = b.id and bi.decision = 'approved') || '/' ||
		(select count(*) from batch_item bi join application a on a.id = bi.application_id where bi.batch_id = b.id and a.status = 'approved') || '/' ||
		(select count(*) from batch_item bi join award w on w.application_id = bi.application_id where bi.batch_id = b.id and w.term_id = $TERM and w.status = 'approved') || '/' ||
		((select count(*) from audit_log l join batch_item bi on bi.application_id = l.entity_id where bi.batch_id = b.id and l.action = 'review.district_approve')
		+ (select count(*) from audit_log l where l.action = 'review.batch_decide' and l.entity_id = b.id))
		from batch b where b.id = $1"
}
setup 审批 0 school_reviewed proposed "$P"
B=$(submitted 审批 0)
check "set-up: a batch of $N" "$(approval "$B")" = "pending/0/0/0/0"
timed "/district/batches/$B" all=approve
check "approval without a kill: whole" "$(approval "$B")" = "decided/$N/$N/$N/$((N + 1))"
CAL=$SECS
CALROWS=$N
F=0.5
whole=0
absent=0
round=0
while [ $round -lt "$ROUNDS" ]; do
	round=$((round + 1))
	setup 审批 $round school_reviewed proposed "$P"
	B=$(submitted 审批 $round)
	crash "$(delay "$N")" "/district/batches/$B" all=approve
	KCODE=$CODE
	judge approval "$(approval "$B")" "pending/0/0/0/0" "decided/$N/$N/$N/$((N + 1))"
done
echo "approvals of $N interrupted (${CAL} s uninterrupted): $absent absent, $whole whole"

# ---- the district builds a payment batch ----
# the money allocated for the term and programme: enough for every round
get "$J" "/settings/quotas?term=$TERM"
qtok=$(form_token)
HAVE=$(sql "select coalesce(sum(amount_fen), 0) from ledger where kind='allocation' and district_id=$DIST and term_id=$TERM and programme_id=$PP")
NEW=$(awk -v h="$HAVE" 'BEGIN { printf "%.2f", h / 100 + 100000000 }')
set -- "_csrf=$qtok"
for f in $(sed -n 's/.*name="\([qad][0-9_]*\)" value="\([^"]*\)".*/\1=\2/p' "$T/body"); do
	case "$f" in "a$PP="*) f="a$PP=$NEW" ;; esac
	set -- "$@" "$f"
done
postf "$J" "/settings/quotas?term=$TERM" "$@"
expect_status 303 "the money allocated registered"
# what a batch would hold now: approved awards of the district's schools
# with an account and no live payment (the build's own query)
cands() {
	sql "select count(*) || '/' || coalesce(sum(w.amount_fen), 0) from award w join application a on a.id = w.application_id
		join student s on s.id = a.student_id join org o on o.id = w.school_id
		where w.term_id = $TERM and w.programme_id = $PP and w.status = 'approved' and o.path like '$DPATH%'
		and s.account_no <> '' and s.account_type <> ''
		and not exists (select 1 from payment x where x.award_id = w.id
			and (x.status in ('pending', 'sent', 'paid') or (x.status = 'failed' and x.reissued = 0)))"
}
# built SINCE: batches after id SINCE / their rows / their total / audit rows
built() {
	sql "select (select count(*) from pay_batch where id > $1) || '/' ||
		(select count(*) || '/' || coalesce(sum(amount_fen), 0) from payment where pay_batch_id > $1) || '/' ||
		(select count(*) from audit_log where action = 'payment.batch' and entity_id > $1)"
}
setup 发放 0 approved approved "$PP"
GOOD=$(cands)
SINCE=$(sql "select coalesce(max(id), 0) from pay_batch")
timed /payments "term=$TERM" "programme=$PP"
check "build without a kill: whole" "$(built "$SINCE")" = "1/$GOOD/1"
CAL=$SECS
CALROWS=${GOOD%/*}
F=0.5
PB0=${LOC##*/}
whole=0
absent=0
round=0
while [ $round -lt "$ROUNDS" ]; do
	round=$((round + 1))
	setup 发放 $round approved approved "$PP"
	GOOD=$(cands)
	SINCE=$(sql "select coalesce(max(id), 0) from pay_batch")
	crash "$(delay "${GOOD%/*}")" /payments "term=$TERM" "programme=$PP"
	KCODE=$CODE
	# absent: build it now, so that the next round has N rows again
	judge build "$(built "$SINCE")" "0/0/0/0" "1/$GOOD/1" || timed /payments "term=$TERM" "programme=$PP"
done
echo "payment batches built interrupted (${CAL} s uninterrupted for ${CALROWS} rows): $absent absent, $whole whole"

# ---- the district marks a batch sent: a ledger entry per row ----
# sent B: batch status / rows sent / their ledger entries / audit rows,
# and the ledger's size
sent() {
	sql "select b.status || '/' ||
		(select count(*) from payment x where x.pay_batch_id = b.id and x.status = 'sent') || '/' ||
		(select count(*) || '/' || coalesce(sum(l.amount_fen), 0) from ledger l join payment x on x.id = l.payment_id where x.pay_batch_id = b.id and l.kind = 'payment') || '/' ||
		(select count(*) from audit_log where action = 'payment.sent' and entity_id = b.id) || ' ' ||
		(select count(*) from ledger) from pay_batch b where b.id = $1"
}
L0=$(sql "select count(*) from ledger")
M=$(sql "select count(*) || '/' || sum(amount_fen) from payment where pay_batch_id = $PB0")
timed "/payments/$PB0/sent"
check "marked sent without a kill: whole" "$(sent "$PB0")" = "sent/${M%/*}/$M/1 $((L0 + ${M%/*}))"
CAL=$SECS
CALROWS=${M%/*}
F=0.5
whole=0
absent=0
round=0
while [ $round -lt "$ROUNDS" ]; do
	round=$((round + 1))
	# a fresh draft batch of N rows
	setup 发送 $round approved approved "$PP"
	timed /payments "term=$TERM" "programme=$PP"
	PB=${LOC##*/}
	M=$(sql "select count(*) || '/' || sum(amount_fen) from payment where pay_batch_id = $PB")
	L0=$(sql "select count(*) from ledger")
	crash "$(delay "${M%/*}")" "/payments/$PB/sent"
	KCODE=$CODE
	judge send "$(sent "$PB")" "draft/0/0/0/0 $L0" "sent/${M%/*}/$M/1 $((L0 + ${M%/*}))"
done
echo "payment batches marked sent interrupted (${CAL} s uninterrupted for ${CALROWS} rows): $absent absent, $whole whole"

check "the database is sound" "$(sql 'pragma integrity_check')" = ok
AFTER=$("$BIN" verify-ledger --db "$DB" | grep -o '第 [0-9]* 号\|发放汇总有 [0-9]* 处' || echo intact)
check "the crashes broke no ledger row ($BEFORE before, $AFTER after)" "$AFTER" = "$BEFORE"
check "the workers restarted by the master ($WORKERS)" "$(pgrep -P "$MASTER" | wc -l)" = "$WORKERS"
get "$J" "/payments/$PB"
expect_status 200 "the daemon serves after the crashes"
check "the master logged the killed workers" "$(grep -c "worker .* ended (signal 9" "$WORK/run/zizhu.log")" -ge $((KILLED + 3 * ROUNDS * WORKERS))
done_tests
