# Hostile values in every form: driven by the route table (zizhu routes),
# every POST route has a line in hostile-forms.tsv naming who posts it and
# the page that holds its form (a route without one fails the test). Each
# field of each form is filled in turn with XSS, SQL, header-injection,
# path-traversal, invalid UTF-8, NUL, 4-byte UTF-8 and oversized values;
# every answer must escape or refuse, a refusal must leave every table as
# it was, and the pages showing what was accepted must show it escaped.
. "$ROOT/tests/e2e/lib.sh"
SCHOOL=$(sql "select id from org where code='4103030002'")
DIST=$(sql "select id from org where code='410303'")
TERM=$(sql "select id from term where code='2026-autumn'")
U=$(sql "select id from user where username='xg_officer'")
UA=$(sql "select id from user where username='xg_admin'")
P=$(sql "select id from programme where code='cmp_nonboard'")
# students of the officer's school without an application yet
set -- $(sql "select id from student where school_id=$SCHOOL and status='在读' and id not in (select student_id from application) order by id limit 8")
S1=$1 S2=$2 S3=$3 S4=$4 S5=$5 S6=$6 S7=$7
app() { # student status -> application id
	sql "insert into application (student_id, school_id, school_year, status, household_size, reason, pledge_confirmed, pledge_signer)
		values ($1, $SCHOOL, '2026-2027', '$2', 3, '家庭困难', 1, '家长'); select last_insert_rowid()"
}
# the throttles count what follows; forget it afterwards
LA=$(sql "select coalesce(max(rowid), 0) from login_attempt")
PA=$(sql "select coalesce(max(rowid), 0) from public_attempt")
APP_DRAFT=$(app "$S1" draft)
APP_SUB=$(app "$S2" submitted)
APP_CR=$(app "$S3" class_reviewed)
APP_OK=$(app "$S4" approved)
APP_WD=$(app "$S6" withdrawn)
APP_B=$(app "$S7" school_reviewed)
sql "insert into evidence (application_id, filename, content_type, size, sha256, data, uploaded_by)
	values ($APP_DRAFT, 'a.pdf', 'application/pdf', 5, 'x', x'255044462d', $U)"
for a in $APP_CR $APP_B; do
	sql "insert into class_review (application_id, tier, participants, recorded_by) values ($a, 'fairly', '甲、乙', $U)"
done
sql "insert into school_review (application_id, term_id, tier, decided_by) values ($APP_B, $TERM, 'fairly', $U)"
award() { # application status
	sql "insert into award (application_id, idcard, school_id, term_id, programme_id, tier, amount_fen, status)
		select $1, idcard, $SCHOOL, $TERM, $P, '标准', 37500, '$2' from student
		where id = (select student_id from application where id = $1); select last_insert_rowid()"
}
AW_OK=$(award "$APP_OK" approved)
award "$APP_B" proposed >/dev/null
BATCH=$(sql "insert into batch (school_id, term_id, submitted_by) values ($SCHOOL, $TERM, $U); select last_insert_rowid()")
sql "insert into batch_item (batch_id, application_id) values ($BATCH, $APP_B)"
notice() { # status -> id
	sql "insert into notice (school_id, term_id, title, starts, ends, programmes, status, content, sha256, created_by, published_at)
		values ($SCHOOL, $TERM, '测试公示', date('now', '-1 day'), date('now', '+5 days'), '[$P]', '$1',
		case '$1' when 'draft' then null else '{\"rows\":[]}' end, case '$1' when 'draft' then null else 'x' end, $U,
		case '$1' when 'draft' then null else datetime('now') end); select last_insert_rowid()"
}
N_DRAFT=$(notice draft)
N_PUB=$(notice published)
OBJ=$(sql "insert into objection (notice_id, content) values ($N_PUB, '有异议'); select last_insert_rowid()")
payb() { # status -> id, with one payment for the approved award
	b=$(sql "insert into pay_batch (district_id, term_id, programme_id, status, created_by, sent_at)
		values ($DIST, $TERM, $P, '$1', $UA, case '$1' when 'sent' then datetime('now') end); select last_insert_rowid()")
	sql "insert into payment (pay_batch_id, award_id, idcard, name, school_id, term_id, programme_id, account_type, account_no, bank, amount_fen, status)
		select $b, id, idcard, '测试', $SCHOOL, $TERM, $P, '银行卡', '6222000000000000', '测试银行', 37500,
		case '$1' when 'sent' then 'failed' else 'cancelled' end from award where id = $AW_OK"
	echo "$b"
}
PB_DRAFT=$(payb draft)
PB_SENT=$(payb sent)
POL=$(sql "insert into policy (district_id, title, body_md, created_by) values ($DIST, '测试政策', '正文', $UA); select last_insert_rowid()")
complaint() { # code org -> id
	sql "insert into complaint (code, org_id, content, deadline) values ('$1', $2, '测试投诉', '2099-01-01'); select last_insert_rowid()"
}
CMP=$(complaint HOSTILE0001 "$SCHOOL")
CMP2=$(complaint HOSTILE0002 "$DIST")
import() {
	sql "insert into roster_import (school_id, user_id, filename, format, sha256, rows_json, good, bad)
		values ($SCHOOL, $U, 'a.csv', 'csv-utf8', 'x', '{\"rows\":[],\"ignored\":[]}', 0, 0); select last_insert_rowid()"
}
IMP=$(import)
IMP2=$(import)
# a valid 身份证号 nobody has yet
NEWID=$(for c in 0 1 2 3 4 5 6 7 8 9 X; do "$BIN" idcard "41030320180808123$c" >/dev/null 2>&1 && echo "41030320180808123$c" && break; done)
TODAY=$(date +%F)
LATER=$(date -d '+7 days' +%F)
export NEWID TODAY LATER P SCHOOL TERM S1 S5 APP_WD CMP2 IMP2 APP_DRAFT APP_SUB APP_CR APP_OK BATCH N_DRAFT N_PUB OBJ PB_DRAFT PB_SENT POL CMP IMP PW
python3 "$ROOT/tests/e2e/hostile_forms.py" "$ROOT/tests/e2e/hostile-forms.tsv" > "$T/out"
rc=$?
cat "$T/out"
res=$(sed -n 's/^forms: \([0-9]*\) passed, \([0-9]*\) failed$/\1 \2/p' "$T/out")
if [ -n "$res" ]; then
	PASS=$((PASS + ${res% *}))
	FAIL=$((FAIL + ${res#* }))
else
	bad "the form driver ended without a result (exit $rc)"
fi
sql "delete from login_attempt where rowid > $LA; delete from public_attempt where rowid > $PA"
check "database integrity" "$(sql 'pragma integrity_check')" = ok
check "foreign keys hold" -z "$(sql 'pragma foreign_key_check')"
done_tests
