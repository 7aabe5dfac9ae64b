# 三级评审: an application from submission through the class committee
# (votes, a recusal), the school committee (tier, award within the quota,
# the 重点保障 flag), a batch to the district, a return, a resubmission and
# the district's approval; nobody acts outside their school or skips a step.
. "$ROOT/tests/e2e/lib.sh"
mkid() { for c in 0 1 2 3 4 5 6 7 8 9 X; do if "$BIN" idcard "$1$c" >/dev/null 2>&1; then echo "$1$c"; return; fi; done; }
echo 'cmte-pass-2025' | "$BIN" user add --db "$DB" --username xg_committee2 --name 评议小组二 --role committee_member --org 4103030002 >/dev/null
SCHOOL=$(sql "select id from org where code='4103030002'")
TERM=$(sql "select id from term where code='2026-autumn'")
P=$(sql "select id from programme where code='cmp_nonboard'")
CAT=$(sql "select id from difficulty_category where code='dibao' and district_id is null")
ID=$(mkid 41030320170707122)
D=$(sql "select id from org where code='410303'")
# the standard in force: the district's own if it set one, else the national one
STD=$(sql "select coalesce((select amount_fen from programme_standard where district_id=$D and term_id=$TERM and programme_id=$P), (select amount_fen from programme_standard where district_id is null and term_id=$TERM and programme_id=$P))")
STDY=$(awk -v f="$STD" 'BEGIN { printf "%d.%02d", f / 100, f % 100 }')

JO=$T/officer
login "$JO" xg_officer "$PW"
get "$JO" /students/new
tok=$(form_token)
postf "$JO" /students "_csrf=$tok" name=评审甲 gender=女 "idcard=$ID" stage=primary grade=二年级 class_name=1班
SID=$(sql "select id from student where idcard='$ID' and status='在读'")
APPLY() {
	postf "$JO" "$1" "_csrf=$tok" "student_id=$SID" action=submit household_size=3 income=6000 \
		m0_name=评审父 m0_relation=父亲 m0_age=40 m1_name=评审母 m1_relation=母亲 m1_age=39 \
		"category=$CAT" "programme=$P" "reason=家庭困难" pledge_confirmed=1 pledge_signer=评审母
}
# 公示 before the list may go to the district: publish, let the period pass
# (moved back in the database, as time would), close as passed
publicize() { # term
	get "$JO" "/notices/new?term=$1"
	set -- "$1" "_csrf=$tok" "title=测试公示" "starts=$(date +%F)" "ends=$(date -d '+9 days' +%F)"
	for pid in $(grep -o 'name="programme" value="[0-9]*"' "$T/body" | grep -o '[0-9]*'); do set -- "$@" "programme=$pid"; done
	term=$1
	shift
	postf "$JO" "/notices?term=$term" "$@"
	NID=$(header Location | grep -o '[0-9]*$')
	postf "$JO" "/notices/$NID/publish" "_csrf=$tok"
	sql "update notice set starts = date('now', '-12 days'), ends = date('now', '-1 day') where id = $NID"
	time_moved
	postf "$JO" "/notices/$NID/close" "_csrf=$tok"
	check "notice $NID passed" "$(sql "select status from notice where id=$NID")" = passed
}
APPLY /applications
expect_status 303 "application submitted"
AID=$(sql "select id from application where student_id=$SID")
check "submitted" "$(sql "select status from application where id=$AID")" = submitted

# skipping the class review is refused
get "$JO" "/review/school/$AID"
expect_status 409 "school review before the class review is refused"
contains "不能跳过班级评议" "skip explained"

# class committee: one votes, one recuses
JC=$T/cmte
login "$JC" xg_committee "$PW"
get "$JC" /review/class
expect_status 200 "class review queue"
contains "评审甲" "the application is in the queue"
get "$JC" "/review/class/$AID"
expect_status 200 "case page for the committee"
contains "量化得分" "committee sees the score"
contains "最低生活保障家庭" "committee sees the categories"
lacks "评审父" "committee does not see the family members"
lacks "6,000.00" "committee does not see the income"
lacks "$ID" "committee does not see the 身份证号"
ctok=$(form_token)
postf "$JC" "/review/class/$AID/vote" "_csrf=$ctok" tier=special "remark=同意"
expect_status 303 "vote recorded"
J2=$T/cmte2
login "$J2" xg_committee2 cmte-pass-2025
get "$J2" "/review/class/$AID"
c2=$(form_token)
postf "$J2" "/review/class/$AID/recuse" "_csrf=$c2" "reason=与申请学生是亲属"
expect_status 303 "recusal recorded"
postf "$J2" "/review/class/$AID/vote" "_csrf=$c2" tier=general
expect_status 403 "a recused member cannot vote"
check "only one vote counted" "$(sql "select count(*) from class_vote where application_id=$AID")" = 1
postf "$J2" "/review/class/$AID/close" "_csrf=$c2"
expect_status 403 "a recused member cannot close the review"
# officer of another school and another district see nothing
JX=$T/other
login "$JX" xg_officer2 "$PW"
get "$JX" "/review/class/$AID"
expect_status 404 "another school cannot open the case"
get "$JX" "/review/school/$AID"
expect_status 404 "another school cannot decide it"
echo 'cmte-pass-2025' | "$BIN" user add --db "$DB" --username jr_committee --name 二中评议 --role committee_member --org 4103030003 >/dev/null
JY=$T/cmte-other
login "$JY" jr_committee cmte-pass-2025
get "$JY" "/review/class/$AID"
expect_status 404 "a committee member of another school cannot open the case"
get "$JY" /review/class
ytok=$(form_token)
postf "$JY" "/review/class/$AID/vote" "_csrf=$ytok" tier=special
expect_status 404 "nor vote on it"
get "$JC" "/review/school/$AID"
expect_status 403 "a committee member cannot make the school's decision"
# the officer closes the class review
postf "$JO" "/review/class/$AID/close" "_csrf=$tok" "remarks=班级评议小组一致同意"
expect_status 303 "class review closed"
check "class_reviewed" "$(sql "select status from application where id=$AID")" = class_reviewed
check "recommendation recorded with participants" "$(sql "select tier || '/' || participants from class_review where application_id=$AID")" = "special/实验小学评议小组 孙磊"
postf "$JC" "/review/class/$AID/vote" "_csrf=$ctok" tier=general
expect_status 409 "no voting after the class review is closed"

# school review: the 重点保障 student is flagged until decided
get "$JO" "/review/school?term=$TERM"
expect_status 200 "school review list"
contains "须处理" "重点保障 student flagged before a decision"
# quota of 0 refuses the proposal
JA=$T/admin
login "$JA" xg_admin "$PW"
get "$JA" "/settings/quotas?term=$TERM"
atok=$(form_token)
set -- "_csrf=$atok"
for f in $(sed -n 's/.*name="\(q[0-9]*_[0-9]*\)" value="\([^"]*\)".*/\1=\2/p' "$T/body"); do
	case "$f" in "q${SCHOOL}_${P}="*) f="q${SCHOOL}_${P}=0" ;; esac
	set -- "$@" "$f"
done
postf "$JA" "/settings/quotas?term=$TERM" "$@"
expect_status 303 "quota set to 0"
postf "$JO" "/review/school/$AID?term=$TERM" "_csrf=$tok" tier=special "award_$P=标准"
expect_status 400 "over-quota proposal refused"
contains "超出名额" "over-quota explained"
check "nothing proposed" "$(sql "select count(*) from award where application_id=$AID")" = 0
# 不认定 for a 重点保障 student needs a written reason
postf "$JO" "/review/school/$AID?term=$TERM" "_csrf=$tok" tier=none
expect_status 400 "leaving out a 重点保障 student without a reason refused"
contains "重点保障对象" "reason required"
# a manual rank needs a reason
postf "$JO" "/review/school/$AID?term=$TERM" "_csrf=$tok" tier=special rank=1
expect_status 400 "a manual rank without a reason refused"
# raise the quota and decide
set -- "_csrf=$atok"
for f in $(sed -n 's/.*name="\(q[0-9]*_[0-9]*\)" value="\([^"]*\)".*/\1=\2/p' "$T/body"); do
	case "$f" in "q${SCHOOL}_${P}="*) f="q${SCHOOL}_${P}=5" ;; esac
	set -- "$@" "$f"
done
get "$JA" "/settings/quotas?term=$TERM"
postf "$JA" "/settings/quotas?term=$TERM" "$@"
postf "$JO" "/review/school/$AID?term=$TERM" "_csrf=$tok" tier=special "award_$P=标准" rank=1 "rank_reason=父亲新近病故"
expect_status 303 "school decision saved"
check "school_reviewed" "$(sql "select status from application where id=$AID")" = school_reviewed
check "award proposed at the standard in force ($STDY 元)" "$(sql "select amount_fen || '/' || status from award where application_id=$AID")" = "$STD/proposed"
get "$JO" "/review/school?term=$TERM"
lacks "须处理" "no flag once the student has aid"
contains "父亲新近病故" "rank reason shown"

# the batch: refused until the 公示 has passed
postf "$JO" "/review/batches?term=$TERM" "_csrf=$tok"
expect_status 409 "no submission before the 公示 has passed"
publicize "$TERM"
postf "$JO" "/review/batches?term=$TERM" "_csrf=$tok"
expect_status 303 "batch submitted"
B=$(sql "select batch_id from batch_item where application_id=$AID and decision='pending'")
check "in a pending batch" -n "$B"
postf "$JO" "/review/batches?term=$TERM" "_csrf=$tok"
expect_status 409 "nothing left to submit twice"
postf "$JO" "/review/school/$AID?term=$TERM" "_csrf=$tok" tier=fairly "award_$P=标准"
expect_status 409 "no change while the district reviews"

# the district: another district sees nothing; an officer cannot decide
JL=$T/ll
login "$JL" ll_admin "$PW"
get "$JL" "/district/batches/$B"
expect_status 404 "another district cannot open the batch"
postf "$JO" "/district/batches/$B" "_csrf=$tok" all=approve
expect_status 403 "an officer cannot approve"
JR=$T/reviewer
login "$JR" xg_reviewer "$PW"
get "$JR" /district/batches
contains "西工区实验小学" "queue per school"
get "$JR" "/district/batches/$B"
expect_status 200 "batch page"
contains "评审甲" "case listed"
contains "$STDY" "amount shown"
rtok=$(form_token)
postf "$JR" "/district/batches/$B" "_csrf=$rtok" "decision_$AID=returned"
expect_status 400 "a return without a reason refused"
postf "$JR" "/district/batches/$B" "_csrf=$rtok" "decision_$AID=returned" "reason_$AID=请补充低保证明"
expect_status 303 "returned"
check "application returned" "$(sql "select status || '/' || return_reason from application where id=$AID")" = "returned/请补充低保证明"
check "award returned" "$(sql "select status from award where application_id=$AID")" = returned
postf "$JR" "/district/batches/$B" "_csrf=$rtok" all=approve
expect_status 409 "a decided batch cannot be decided again"
get "$JO" "/applications/$AID"
contains "请补充低保证明" "the school sees the reason"

# the school revises and resubmits: the whole review again
APPLY "/applications/$AID"
expect_status 303 "resubmitted"
check "submitted again" "$(sql "select status from application where id=$AID")" = submitted
check "earlier votes cleared for the new round" "$(sql "select count(*) from class_vote where application_id=$AID")" = 0
postf "$JC" "/review/class/$AID/vote" "_csrf=$ctok" tier=special
postf "$JO" "/review/class/$AID/close" "_csrf=$tok"
postf "$JO" "/review/school/$AID?term=$TERM" "_csrf=$tok" tier=special "award_$P=标准"
expect_status 303 "decided again"
postf "$JO" "/review/batches?term=$TERM" "_csrf=$tok"
expect_status 409 "a re-decided case needs a new 公示"
publicize "$TERM"
postf "$JO" "/review/batches?term=$TERM" "_csrf=$tok"
B2=$(sql "select batch_id from batch_item where application_id=$AID and decision='pending'")
check "a new batch" "$B2" != "$B"
get "$JR" "/district/batches/$B2"
postf "$JR" "/district/batches/$B2" "_csrf=$rtok" all=approve
expect_status 303 "approved"
check "application approved" "$(sql "select status from application where id=$AID")" = approved
check "award approved" "$(sql "select count(*) from award where application_id=$AID and status='approved' and amount_fen=$STD")" = 1
check "every step audited" "$(sql "select count(*) from audit_log where entity='application' and entity_id=$AID and action like 'review.%'")" -ge 8
get "$JO" "/applications/$AID"
contains "区教育局批准" "history shows the approval"
contains "已批准" "award shown as approved"
# 动态调整 in the next term of the same 学年: reason required, same steps again
SPRING=$(sql "select id from term where code='2027-spring'")
OLDTERM=$(sql "select id from term where code='2026-spring'")
get "$JO" "/review/school/$AID?term=$SPRING"
expect_status 200 "an approved case can be decided again for the next term"
postf "$JO" "/review/school/$AID?term=$SPRING" "_csrf=$tok" tier=fairly "award_$P=标准"
expect_status 400 "an adjustment without a reason refused"
contains "动态调整" "reason asked for"
postf "$JO" "/review/school/$AID?term=$OLDTERM" "_csrf=$tok" tier=fairly "award_$P=标准" "adjust_reason=x"
expect_status 400 "a term of another 学年 refused"
contains "不属于这份申请的学年" "学年 rule explained"
postf "$JO" "/review/school/$AID?term=$SPRING" "_csrf=$tok" tier=fairly "award_$P=标准" "adjust_reason=母亲已就业"
expect_status 303 "adjustment decided"
check "the autumn award stays approved" "$(sql "select count(*) from award where application_id=$AID and term_id=$TERM and status='approved'")" = 1
check "a spring award proposed" "$(sql "select status from award where application_id=$AID and term_id=$SPRING")" = proposed
publicize "$SPRING"
postf "$JO" "/review/batches?term=$SPRING" "_csrf=$tok"
expect_status 303 "spring batch submitted"
B3=$(sql "select batch_id from batch_item where application_id=$AID and decision='pending'")
get "$JR" "/district/batches/$B3"
postf "$JR" "/district/batches/$B3" "_csrf=$rtok" all=approve
check "spring award approved" "$(sql "select status from award where application_id=$AID and term_id=$SPRING")" = approved
check "adjustment audited with its reason" "$(sql "select count(*) from audit_log where action='review.adjust' and entity_id=$AID and after_json like '%母亲已就业%'")" = 1
# ending aid needs a reason; another school cannot end it
W=$(sql "select id from award where application_id=$AID and term_id=$SPRING")
postf "$JX" "/awards/$W/end" "_csrf=$tok" "reason=x"
expect_status 403 "another school's officer cannot end it (token of another session)"
postf "$JO" "/awards/$W/end" "_csrf=$tok"
expect_status 400 "ending without a reason refused"
postf "$JO" "/awards/$W/end" "_csrf=$tok" "reason=学生已转学"
expect_status 303 "award ended"
check "award ended with its reason" "$(sql "select status || '/' || end_reason from award where id=$W")" = "ended/学生已转学"
postf "$JO" "/awards/$W/end" "_csrf=$tok" "reason=again"
expect_status 409 "ending twice refused"

# the district's dashboard counts it against the quota and the money allocated
get "$JA" /
contains "待审核的上报" "dashboard shows waiting submissions"
contains "名额与资金" "dashboard shows places and money"
contains "家庭经济困难非寄宿生生活补助" "the programme with an approved award is listed"
# each programme's row: the awards proposed and approved in the district this
# term, counted and summed here from the awards themselves
DT=$(sql "select id from term where starts <= date('now', 'localtime') order by starts desc limit 1")
yuan() { python3 -c 'import sys; f = int(sys.argv[1]); print("{:,}.{:02d}".format(f // 100, f % 100))' "$1"; }
for pid in $(sql "select distinct programme_id from award w join org o on o.id = w.school_id where w.term_id = $DT and o.path like (select path from org where code = '410303') || '%'"); do
	pname=$(sql "select name from programme where id = $pid")
	row=$(grep -F "<td>$pname</td>" "$T/body" | head -n 1)
	want=$(sql "select printf('%d|%d|%d|%d', count(*) filter (where w.status = 'proposed'), count(*) filter (where w.status = 'approved'),
		coalesce(sum(w.amount_fen) filter (where w.status = 'proposed'), 0), coalesce(sum(w.amount_fen) filter (where w.status = 'approved'), 0))
		from award w join org o on o.id = w.school_id where w.term_id = $DT and w.programme_id = $pid and o.path like (select path from org where code = '410303') || '%'")
	pn=${want%%|*}; rest=${want#*|}; an=${rest%%|*}; rest=${rest#*|}; pf=${rest%%|*}; af=${rest#*|}
	check "dashboard $pname: $pn proposed, $an approved ($want)" -n "$(printf '%s' "$row" | grep -F "<td class=\"num\">$pn</td><td class=\"num\">$an</td>")"
	check "dashboard $pname: sums $(yuan "$pf") and $(yuan "$af")" -n "$(printf '%s' "$row" | grep -F "<td class=\"num\">$(yuan "$pf")</td><td class=\"num\">$(yuan "$af")</td>")"
done
check "dashboard programmes checked" -n "$pid"
# 130-setup set this term's deadline to 2026-10-15: schools without a batch are overdue
contains "西工区第二初级中学（截止 2026年10月15日）" "a school past the deadline without a submission is named"
lacks "西工区实验小学（截止" "a school that submitted is not overdue"
done_tests
