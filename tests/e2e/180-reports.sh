# Reports: every figure of the summary against an independent count to the
# fen (page and xlsx read by Python's zip/XML, not our reader); the 排查 table
# and 应助未助 list; each check finding the problem planted for it; data
# matching; the export for the national system; the totals kept by triggers
# (aid_total, what the 排查 and the checks read) against the rows through
# every change; the 应助未助 list a page at a time, on the 排查 and the checks.
. "$ROOT/tests/e2e/lib.sh"
mkid() { for c in 0 1 2 3 4 5 6 7 8 9 X; do if "$BIN" idcard "$1$c" >/dev/null 2>&1; then echo "$1$c"; return; fi; done; }
D=$(sql "select id from org where code='410303'")
SPRING25=$(sql "select id from term where code='2025-spring'")
TERM=$(sql "select id from term where code='2026-autumn'")
J=$T/admin
login "$J" xg_admin "$PW"
get "$J" /reports/imports
tok=$(form_token)

# past records for 2025 spring, one of them 脱贫, amounts exact to the fen
H1=$(mkid 41030320140101001); H2=$(mkid 41030320140202002); H3=$(mkid 41030320090303003)
printf '身份证号,姓名,学校,学段,项目,学期,金额,脱贫\n%s,历史甲,西工区实验小学,小学,家庭经济困难非寄宿生生活补助,2025年春季学期,312.50,是\n%s,历史乙,西工区实验小学,小学,家庭经济困难非寄宿生生活补助,2025年春季学期,312.5,否\n%s,历史丙,西工区第二初级中学,初中,家庭经济困难寄宿生生活补助,2025年春季学期,"1,250.01",否\n' "$H1" "$H2" "$H3" > "$T/hist.csv"
printf '身份证号,姓名,学校,学段,项目,学期,金额,脱贫\n110105194912310021,坏,某校,小学,家庭经济困难非寄宿生生活补助,2025年春季学期,1,否\n' > "$T/badhist.csv"
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$J" -F "_csrf=$tok" -F "file=@$T/badhist.csv" "$BASE/reports/imports/history")
expect_status 400 "a history file with a bad 身份证号 is refused whole"
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$J" -F "_csrf=$tok" -F "file=@$T/hist.csv" "$BASE/reports/imports/history")
expect_status 303 "history imported"
check "three past records" "$(sql "select count(*) from past_award where term_id=$SPRING25")" = 3
# the same file again, under another name: refused, nothing written (the
# summary below still counts each record once)
cp "$T/hist.csv" "$T/hist-again.csv"
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$J" -F "_csrf=$tok" -F "file=@$T/hist-again.csv" "$BASE/reports/imports/history")
expect_status 409 "the same history file imported twice is refused"
contains "导入过（文件名“hist.csv”），本次未重复导入" "the refusal says when and which file, and that nothing was imported"
check "still three past records" "$(sql "select count(*) from past_award where term_id=$SPRING25")" = 3
check "one history import audited" "$(sql "select count(*) from audit_log where action='report.history_import'")" = 1
# a school officer may not import, even with a valid token (the route's roles)
JO=$T/officer
login "$JO" xg_officer "$PW"
get "$JO" /account/password
otok=$(form_token)
printf '身份证号,姓名,学校,学段,项目,学期,金额,脱贫\n%s,历史丁,西工区实验小学,小学,家庭经济困难非寄宿生生活补助,2025年春季学期,100,否\n' "$H2" > "$T/hist-school.csv"
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$JO" -F "_csrf=$otok" -F "file=@$T/hist-school.csv" "$BASE/reports/imports/history")
expect_status 403 "a school officer cannot import past records"
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$JO" -F "_csrf=$otok" -F source=民政 -F list_date=2026-11-01 -F "file=@$T/hist-school.csv" "$BASE/reports/imports/match")
expect_status 403 "nor a data-matching list"
check "nothing written by the officer" "$(sql "select count(*) from past_award where term_id=$SPRING25")/$(sql "select count(*) from match_list")" = 3/0
# programmes and terms are looked up once per name in a file: the same
# programme name under two 学段 still resolves per 学段, a term by name or code
AUT25=$(sql "select id from term where code='2025-autumn'")
printf '身份证号,姓名,学校,学段,项目,学期,金额,脱贫\n%s,历史甲,西工区实验小学,小学,家庭经济困难寄宿生生活补助,2025年秋季学期,625,否\n%s,历史丙,西工区第二初级中学,初中,家庭经济困难寄宿生生活补助,2025-autumn,750,否\n%s,历史乙,西工区实验小学,小学,家庭经济困难寄宿生生活补助,2025-autumn,625,否\n' "$H1" "$H3" "$H2" > "$T/hist-autumn.csv"
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$J" -F "_csrf=$tok" -F "file=@$T/hist-autumn.csv" "$BASE/reports/imports/history")
expect_status 303 "a second history file imported"
check "each row's programme by its own 学段, one term" "$(sql "select group_concat(c, ' ') from (select p.code || '@' || x.term_id as c from past_award x join programme p on p.id = x.programme_id where x.term_id=$AUT25 order by x.id)")" = "cmp_board@$AUT25 jr_board@$AUT25 cmp_board@$AUT25"

# the summary of 2025 spring: independent count
get "$J" "/reports/summary?term=$SPRING25"
expect_status 200 "summary page"
N=$(sql "select count(*) from past_award where term_id=$SPRING25 and district_id=$D")
FEN=$(sql "select sum(amount_fen) from past_award where term_id=$SPRING25 and district_id=$D")
check "independent: 3 人次, 187,501 fen" "$N/$FEN" = "3/187501"
contains "<td class=\"num\">$N</td><td class=\"num\">0.187501</td>" "total 人次 and exact 万元 (0.187501), the file counted once"
contains ">0.0625<" "non-boarders: 625.00 元 = 0.0625 万元"
contains ">0.03125<" "the 脱贫 subset: 312.50 元 = 0.03125 万元"
contains "<svg class=\"chart\"" "a chart on the page"
CODE=$(curl -s -o "$T/s.xlsx" -w '%{http_code}' -b "$J" "$BASE/reports/summary.xlsx?term=$SPRING25")
expect_status 200 "summary xlsx"
python3 "$ROOT/tests/e2e/xlsx_cells.py" "$T/s.xlsx" > "$T/s.tsv"
check "xlsx header" "$(head -n 1 "$T/s.tsv")" = "$(printf '学段\t资助项目\t人次\t金额（万元）\t其中脱贫家庭人次\t其中脱贫家庭金额（万元）')"
check "xlsx total row to the fen" "$(grep '^合计' "$T/s.tsv")" = "$(printf '合计\t\t3\t0.187501\t1\t0.03125')"
check "xlsx 小学 row" "$(grep '家庭经济困难非寄宿生生活补助' "$T/s.tsv")" = "$(printf '小学\t家庭经济困难非寄宿生生活补助\t2\t0.0625\t1\t0.03125')"

# the current term: awards approved in the system (from 140/160), independent count
get "$J" "/reports/summary?term=$TERM"
N2=$(sql "select count(*) from award w join org o on o.id=w.school_id where w.term_id=$TERM and w.status='approved' and o.parent_id=$D")
F2=$(sql "select coalesce(sum(amount_fen),0) from award w join org o on o.id=w.school_id where w.term_id=$TERM and w.status='approved' and o.parent_id=$D")
W2=$(awk -v f="$F2" 'BEGIN { w = sprintf("%d.%06d", f / 1000000, f % 1000000); sub(/0+$/, "", w); if (length(w) - index(w, ".") < 4) { while (length(w) - index(w, ".") < 4) w = w "0" } print w }')
contains "<td class=\"num\">$N2</td><td class=\"num\">$W2</td>" "current term total = independent count ($N2 人次, $W2 万元)"
# a school sees only its own
get "$JO" "/reports/summary?term=$SPRING25"
contains "<td class=\"num\">2</td><td class=\"num\">0.0625</td>" "the school's own past records only (matched by name)"
# a district narrows the report to one school
SCH=$(sql "select id from org where code='4103030003'")
get "$J" "/reports/summary?term=$SPRING25&org=$SCH"
contains "<td class=\"num\">1</td><td class=\"num\">0.125001</td>" "one school's figures (1 人次, 1,250.01 元)"
LL=$(sql "select id from org where code='4103110001'")
get "$J" "/reports/summary?term=$SPRING25&org=$LL"
contains "这一时期没有资助记录" "a school of another district gives nothing, not its figures"
# the city sees everything
JC=$T/city
login "$JC" city_viewer "$PW"
get "$JC" "/reports/summary?term=$SPRING25"
contains "0.187501" "the city sees the district's figures"

# 排查: a 重点保障 student without aid this term
P=$(mkid 41030320150505052)
get "$JO" /students/new
otok=$(form_token)
postf "$JO" /students "_csrf=$otok" name=应助甲 gender=女 "idcard=$P" stage=primary grade=四年级 class_name=1班
PS=$(sql "select id from student where idcard='$P'")
CAT=$(sql "select id from difficulty_category where code='tekun' and district_id is null")
PRG=$(sql "select id from programme where code='cmp_nonboard'")
postf "$JO" /applications "_csrf=$otok" "student_id=$PS" action=submit household_size=2 income=0 m0_name=应助母 m0_relation=母亲 m0_age=50 "category=$CAT" "programme=$PRG" "reason=特困供养" pledge_confirmed=1 pledge_signer=应助母
get "$J" "/reports/paicha?term=$TERM"
expect_status 200 "排查 page"
contains "特困供养人员" "count by difficulty type"
contains "应助甲" "the 应助未助 list names the student"
lacks "$P" "whole 身份证号 not on the page"
contains "有应助未助" "coverage flagged"
PT=$(sql "select count(distinct s.idcard) from application a join student s on s.id=a.student_id join org o on o.id=a.school_id where a.school_year='2026-2027' and a.status not in ('draft','withdrawn') and s.status='在读' and o.parent_id=$D and exists (select 1 from application_category ac join difficulty_category d on d.id=ac.category_id where ac.application_id=a.id and d.priority=1)")
contains "重点保障对象 $PT 人" "priority count = independent count"
# narrowed with ?org=: both the counts by type and the list follow the one scope
get "$J" "/reports/paicha?term=$TERM&org=$(sql "select school_id from student where id=$PS")"
contains "特困供养人员" "排查 of the student's school: counted by type"
contains "应助甲" "排查 of the student's school: listed"
get "$J" "/reports/paicha?term=$TERM&org=$LL"
contains "本学年还没有认定申请" "排查 of another district's school: no counts by type"
contains "重点保障对象 0 人" "排查 of another district's school: no priority students"
lacks "应助甲" "排查 of another district's school: nobody listed"
CODE=$(curl -s -o "$T/p.xlsx" -w '%{http_code}' -b "$J" "$BASE/reports/paicha.xlsx?term=$TERM")
python3 "$ROOT/tests/e2e/xlsx_cells.py" "$T/p.xlsx" > "$T/p.tsv"
check "应助未助 xlsx carries the whole 身份证号" -n "$(grep "^$P	应助甲" "$T/p.tsv")"
check "the xlsx export is audited" "$(sql "select count(*) from audit_log where action='report.yingzhu_export'")" -ge 1
# a 学年 or a range of dates: the aid counted is that of a term inside it,
# never the term running today (the form always sends the selected term too)
SPRING26=$(sql "select id from term where code='2026-spring'")
sql "insert into application (student_id, school_id, school_year, status) values ($PS, (select school_id from student where id=$PS), '2025-2026', 'approved')"
A26=$(sql "select max(id) from application")
sql "insert into application_category (application_id, category_id) values ($A26, $CAT)"
sql "insert into award (application_id, idcard, school_id, term_id, programme_id, tier, amount_fen, status) values ($A26, '$P', (select school_id from student where id=$PS), $SPRING26, $PRG, '标准', 31250, 'approved')"
for q in "year=2025-2026" "org=&term=$TERM&year=2025-2026&from=&to=" "from=2026-02-01&to=2026-03-01"; do
	get "$J" "/reports/paicha?$q"
	contains "2026年春季学期已资助 1 人" "排查 ?$q: the aid of 2026 spring, the last term of the period begun"
	contains "全部资助到位" "排查 ?$q: the student aided in 2026 spring is covered"
	lacks "应助甲" "排查 ?$q: not on the 应助未助 list"
done
get "$J" "/reports/paicha?year=2025-2026"
contains "<option value=\"$SPRING26\" selected>" "the term selected is the one counted"

# the checks: plant one problem of each kind
sql "insert into student (school_id, name, gender, idcard, stage, grade, class_name) values ((select id from org where code='4103030002'), '错号学生', '男', '410303201501010010', 'primary', '三年级', '2班')"
AW=$(sql "select idcard || '|' || programme_id from award where status='approved' and term_id=$TERM and school_id in (select id from org where parent_id=$D) limit 1")
sql "insert into past_award (district_id, idcard, name, school_name, stage, programme_id, term_id, amount_fen, source) values ($D, '${AW%|*}', '重复', '外校', 'primary', ${AW#*|}, $TERM, 100, 'test')"
get "$J" "/reports/checks?term=$TERM"
expect_status 200 "checks page"
contains "错号学生" "invalid 身份证号 found"
contains "校验位" "and why"
contains "外校" "重复资助 found (system award + imported record)"
contains "应助甲" "重点保障 without aid found"
contains "王小明" "双学籍 found (the child enrolled at two schools in 100-roster)"
# a 重点保障 student given a lower tier of a top-tier programme
APP=$(sql "select id from application where student_id=$PS and school_year='2026-2027'")
HSP=$(sql "select id from programme where code='hs_grant'")
sql "insert into award (application_id, idcard, school_id, term_id, programme_id, tier, amount_fen, status) values ($APP, '$P', (select school_id from student where id=$PS), $TERM, $HSP, '二档', 115000, 'approved')"
get "$J" "/reports/checks?term=$TERM"
check "below the top tier found" -n "$(sed -n '/未给最高档/,$p' "$T/body" | grep '应助甲')"
# over quota and over money (quota 1 below what was approved; allocation below approved)
sql "insert or replace into quota (term_id, school_id, programme_id, places) select term_id, school_id, programme_id, 0 from award where status='approved' and term_id=$TERM and school_id in (select id from org where parent_id=$D) limit 1"
get "$J" "/reports/checks?term=$TERM"
check "over-quota school listed" "$(grep -c 'class="num">0</td><td class="num">[1-9]' "$T/body")" -ge 1
sql "update allocation set amount_fen = 1 where district_id=$D and term_id=$TERM"
get "$J" "/reports/checks?term=$TERM"
contains "<td class=\"num\">0.01</td>" "over-money programme listed (allocated 0.01)"
# an amount already below what is paid, left as it is, does not stop the
# district from saving the rest of the page (here: one school's places)
get "$J" "/settings/quotas?term=$TERM"
QS=$(sql "select school_id || '_' || programme_id from quota where term_id=$TERM and places=0 limit 1")
set -- "_csrf=$(form_token)"
for f in $(sed -n 's/.*name="\([qad][0-9_]*\)" value="\([^"]*\)".*/\1=\2/p' "$T/body"); do
	case "$f" in "q$QS="*) f="q$QS=7" ;; esac
	set -- "$@" "$f"
done
postf "$J" "/settings/quotas?term=$TERM" "$@"
expect_status 303 "places saved beside an allocation below the payments"
check "the places changed" "$(sql "select places from quota where term_id=$TERM and school_id || '_' || programme_id = '$QS'")" = 7
check "the allocation left as it was" "$(sql "select group_concat(amount_fen) from allocation where district_id=$D and term_id=$TERM")" = 1
# 中职 over-age share in the other district
JL=$T/ll
login "$JL" ll_admin "$PW"
VS=$(sql "select id from org where code='4103110003'")
VP=$(sql "select id from programme where code='voc_grant'")
for sid in $(sql "select id from student where school_id=$VS limit 4"); do
	sql "insert into application (student_id, school_id, school_year, status) values ($sid, $VS, '2026-2027', 'approved')"
	A=$(sql "select max(id) from application")
	sql "insert into award (application_id, idcard, school_id, term_id, programme_id, tier, amount_fen, status) select $A, '41031119950101' || substr(idcard, 15, 4), $VS, $TERM, $VP, '二档', 115000, 'approved' from student where id=$sid"
done
get "$JL" "/reports/checks?term=$TERM"
contains "洛龙区职业中等专业学校" "中职 over-age share flagged"
lacks "错号学生" "another district does not see this district's problems"

# ---- the checks against independent counts, and what 017 keeps (aid_twice,
# enrolled_twice) against the rows, through every change that moves them ----
DP0=$(sql "select path from org where id=$D")
mask() { sed 's/^\(......\)........\(....\)$/\1********\2/'; }
# the rows each check should list for the district: 重复资助 as "masked
# 身份证号|programme|term|records", 双学籍 as "student|other school", and
# every 身份证号 of the scope that `zizhu idcard` refuses
want_dups() {
	sql "with a as (select idcard, programme_id, term_id from award where status = 'approved' union all select idcard, programme_id, term_id from past_award)
		select a.idcard || '|' || p.name || '|' || t.name || '|' || count(*) from a join programme p on p.id = a.programme_id join term t on t.id = a.term_id
		where a.idcard in (select s.idcard from student s join org o on o.id = s.school_id where o.path like '$DP0%'
			union select x.idcard from past_award x join org o on o.id = x.district_id where o.path like '$DP0%')
		group by a.idcard, a.programme_id, a.term_id having count(*) > 1" | while IFS='|' read -r id rest; do echo "$(echo "$id" | mask)|$rest"; done | LC_ALL=C sort
}
have_dups() {
	sed -n '/重复资助（/,/<\/table>/p' "$T/body" | grep -o '<tr><td class="mono">[^<]*</td><td>[^<]*</td><td>[^<]*</td><td class="num">[0-9]*' |
		sed 's#<tr><td class="mono">\([^<]*\)</td><td>\([^<]*\)</td><td>\([^<]*\)</td><td class="num">#\1|\2|\3|#' | LC_ALL=C sort
}
want_dual() {
	sql "select s.id || '|' || case when o2.path like '$DP0%' then o2.name else '其他区（县）或学校（请联系上级资助中心核实）' end
		from student s join org o on o.id = s.school_id join student s2 on s2.idcard = s.idcard and s2.id <> s.id
		join org o2 on o2.id = s2.school_id where s.status = '在读' and s2.status = '在读' and o.path like '$DP0%'" | LC_ALL=C sort
}
have_dual() {
	sed -n '/双学籍（/,/<\/table>/p' "$T/body" | grep -o '<tr><td><a href="/students/[0-9]*">[^<]*</a></td><td class="mono">[^<]*</td><td>[^<]*</td><td>[^<]*</td>' |
		sed 's#<tr><td><a href="/students/\([0-9]*\)">[^<]*</a></td><td class="mono">[^<]*</td><td>[^<]*</td><td>\([^<]*\)</td>#\1|\2#' | LC_ALL=C sort
}
want_bad_ids() {
	sql "select s.idcard from student s join org o on o.id = s.school_id where s.status = '在读' and o.path like '$DP0%'
		union all select x.idcard from past_award x join org o on o.id = x.district_id where o.path like '$DP0%'" |
		tr '\n' '\0' | xargs -0 "$BIN" idcard | grep -cv '	有效$'
}
twice_off() {
	sql "with r as (select idcard, term_id, programme_id from (select idcard, term_id, programme_id from award where status = 'approved'
			union all select idcard, term_id, programme_id from past_award) group by 1, 2, 3 having count(*) > 1),
		e as (select idcard from student where status = '在读' group by 1 having count(*) > 1)
		select (select count(*) from (select * from aid_twice except select * from r)) + (select count(*) from (select * from r except select * from aid_twice))
			+ (select count(*) from (select * from enrolled_twice except select * from e)) + (select count(*) from (select * from e except select * from enrolled_twice))"
}
# checks_agree WHAT: the district's checks = the independent counts
checks_agree() {
	get "$J" "/reports/checks?term=$TERM"
	expect_status 200 "$1: checks page"
	wd=$(want_dups); hd=$(have_dups)
	check "$1: 重复资助 = the rows ($(echo "$wd" | grep -c .))" "$hd" = "$wd"
	contains "重复资助（$(echo "$wd" | grep -c .)）" "$1: 重复资助 counted"
	wv=$(want_dual); hv=$(have_dual)
	check "$1: 双学籍 = the rows ($(echo "$wv" | grep -c .))" "$hv" = "$wv"
	contains "双学籍（$(echo "$wv" | grep -c .)）" "$1: 双学籍 counted"
	contains "身份证号不正确（$(want_bad_ids)）" "$1: every wrong 身份证号 of the scope, by zizhu idcard"
	check "$1: aid_twice and enrolled_twice = the rows" "$(twice_off)" = 0
}
checks_agree "the problems planted"
check "a 重复资助 to see" -n "$wd"
check "a 双学籍 to see" -n "$wv"
DUPS0=$(echo "$wd" | grep -c .)
# a past record of the same aid again (three records), then taken out
sql "insert into past_award (district_id, idcard, name, school_name, stage, programme_id, term_id, amount_fen, source) values ($D, '${AW%|*}', '重复二', '外校二', 'primary', ${AW#*|}, $TERM, 100, 'test')"
checks_agree "a third record of the same aid"
contains "外校、外校二" "the places in the order the records came" 
sql "delete from past_award where source = 'test' and name = '重复二'"
checks_agree "the third record deleted"
# the award ended: one record left, no 重复资助; approved again: back
AWID=$(sql "select id from award where status = 'approved' and idcard = '${AW%|*}' and programme_id = ${AW#*|} and term_id = $TERM")
sql "update award set status = 'ended' where id = $AWID"
checks_agree "the award ended"
check "one 重复资助 less" "$(echo "$wd" | grep -c .)" = "$((DUPS0 - 1))"
sql "update award set status = 'approved' where id = $AWID"
checks_agree "the award approved again"
check "the 重复资助 back" "$(echo "$wd" | grep -c .)" = "$DUPS0"
# the past record moved to a term without aid of that 身份证号, and back
NOAID=$(sql "select id from term where id not in (select term_id from award where idcard = '${AW%|*}') and id not in (select term_id from past_award where idcard = '${AW%|*}') order by id limit 1")
sql "update past_award set term_id = $NOAID where source = 'test' and name = '重复'"
checks_agree "the past record moved to another term"
check "no 重复资助 of it then" "$(echo "$wd" | grep -c .)" = "$((DUPS0 - 1))"
sql "update past_award set term_id = $TERM where source = 'test' and name = '重复'"
checks_agree "the past record moved back"
# two past records alike (no award) of a 身份证号 no student has: the
# district that imported them sees them, another district does not
GHOST=$(mkid 41030320100909090)
for n in 1 2; do
	sql "insert into past_award (district_id, idcard, name, school_name, stage, programme_id, term_id, amount_fen, source) values ($D, '$GHOST', '无学籍', '外校$n', 'primary', ${AW#*|}, $SPRING25, 100, 'test-ghost')"
done
checks_agree "two past records alike"
contains "$(echo "$GHOST" | mask)" "the 身份证号 no student has is listed"
get "$JL" "/reports/checks?term=$TERM"
lacks "$(echo "$GHOST" | mask)" "another district does not see it"
sql "update past_award set idcard = '$(mkid 41030320100909091)' where source = 'test-ghost' and school_name = '外校1'"
checks_agree "one of them corrected to another 身份证号"
lacks "$(echo "$GHOST" | mask)" "no 重复资助 left of it"
sql "delete from past_award where source = 'test-ghost'"
checks_agree "both deleted"
# 双学籍: a child of the district enrolled at a school of 洛龙区 too, 转出
# there, 在读 again, moved to another 身份证号, deleted
DC=$(sql "select s.id || '|' || s.idcard from student s join org o on o.id = s.school_id where o.path like '$DP0%' and s.status = '在读' and s.idcard not in (select idcard from enrolled_twice) order by s.id limit 1")
GLS=$(sql "select id from org where code = '4103110001'")
sql "insert into student (school_id, name, gender, idcard, stage, grade, class_name) values ($GLS, '又一学籍', '女', '${DC#*|}', 'primary', '二年级', '1班')"
DC2=$(sql "select max(id) from student")
checks_agree "a child enrolled again in another district"
contains "/students/${DC%|*}\"" "the child is listed"
contains "其他区（县）或学校（请联系上级资助中心核实）" "the other district's school is not named to the district"
sql "update student set status = '转出' where id = $DC2"
checks_agree "the other enrolment 转出"
lacks "/students/${DC%|*}\"" "the child is no longer listed"
sql "update student set status = '在读' where id = $DC2"
checks_agree "the other enrolment 在读 again"
sql "update student set idcard = '$(mkid 41031120160606060)' where id = $DC2"
checks_agree "the other enrolment's 身份证号 corrected"
lacks "/students/${DC%|*}\"" "the child is not listed"
sql "update student set idcard = '${DC#*|}' where id = $DC2"
checks_agree "the 身份证号 put back"
sql "pragma foreign_keys = on; delete from student where id = $DC2"
checks_agree "the other enrolment deleted"
# a 身份证号 with a birth date still to come, and one with a lower-case x
# (right: the forms fold it)
withcheck() { python3 -c "import sys; d = sys.argv[1]; print(d + '10X98765432'[sum(int(c) * w for c, w in zip(d, (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2))) % 11])" "$1"; }
FUT=$(withcheck 41030320991231001)
check "a number right but for its birth date ($FUT)" "$("$BIN" idcard "$FUT" | cut -f2)" = "身份证号中的出生日期（第 7-14 位）不是有效日期，请核对。"
sql "update student set idcard = '$FUT' where id = ${DC%|*}"
checks_agree "a birth date still to come"
contains "出生日期" "and why"
XL=$(for i in $(seq 10 99); do case $(withcheck 410303201501010$i) in *X) withcheck 410303201501010$i; break ;; esac; done)
check "a number with the check character X ($XL)" -n "$XL"
sql "update student set idcard = '$(echo "$XL" | tr X x)' where id = ${DC%|*}"
checks_agree "a lower-case x"
sql "update student set idcard = '${DC#*|}' where id = ${DC%|*}"
checks_agree "the 身份证号 put back"

# data matching: a 民政 list with a child who has no recognition or aid
M=$(sql "select idcard from student where school_id=(select id from org where code='4103030001') and idcard not in (select idcard from award) and idcard not in (select s.idcard from application a join student s on s.id=a.student_id) limit 1")
MN=$(sql "select name from student where idcard='$M' limit 1")
printf '身份证号,姓名,类别\n%s,%s,低保\n' "$M" "$MN" > "$T/mz.csv"
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$J" -F "_csrf=$tok" -F source=民政 -F list_date=2026-11-01 -F "file=@$T/mz.csv" "$BASE/reports/imports/match")
expect_status 303 "list imported"
get "$J" "/reports/imports?term=$TERM"
contains "低保" "the list's category shown"
contains "$MN" "the child on the list without aid is found"
check "list kept with its source and date" "$(sql "select source || '/' || list_date from match_list order by id desc limit 1")" = "民政/2026-11-01"
# the same list again with the same source and date: refused, not listed twice
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$J" -F "_csrf=$tok" -F source=民政 -F list_date=2026-11-01 -F "file=@$T/mz.csv" "$BASE/reports/imports/match")
expect_status 409 "the same list imported twice is refused"
contains "已于" "the refusal says when the list was imported"
contains "本次未重复导入" "and that nothing was imported"
check "the list kept once" "$(sql "select count(*) from match_list where district_id=$D")" = 1

# every xlsx the project writes opens with an independent reader
CODE=$(curl -s -o "$T/tpl.xlsx" -w '%{http_code}' -b "$JO" "$BASE/roster/template.xlsx")
check "roster template readable" "$(python3 "$ROOT/tests/e2e/xlsx_cells.py" "$T/tpl.xlsx" | head -n 1 | cut -f1-3)" = "$(printf '姓名	性别	身份证号')"
PB=$(sql "select id from pay_batch order by id limit 1")
CODE=$(curl -s -o "$T/bank.xlsx" -w '%{http_code}' -b "$J" "$BASE/payments/$PB/bank.xlsx")
check "bank xlsx readable, header as documented" "$(python3 "$ROOT/tests/e2e/xlsx_cells.py" "$T/bank.xlsx" | head -n 1)" = "$(printf '序号	户名	账号	账户类型	开户银行	金额（元）	身份证号	学校	备注')"

# the export for the national system (counted again: the checks above planted an award)
N2=$(sql "select count(*) from award w join org o on o.id=w.school_id where w.term_id=$TERM and w.status='approved' and o.parent_id=$D")
F2=$(sql "select coalesce(sum(amount_fen),0) from award w join org o on o.id=w.school_id where w.term_id=$TERM and w.status='approved' and o.parent_id=$D")
CODE=$(curl -s -o "$T/n.csv" -w '%{http_code}' -b "$J" "$BASE/reports/export.csv?term=$TERM")
expect_status 200 "national CSV"
check "BOM and header" "$(head -n 1 "$T/n.csv" | tr -d '\r')" = "$(printf '\357\273\277身份证号,姓名,性别,学校标识码,学校名称,学段,年级,班级,学年,认定档次,困难类型,资助项目,学期,档次,金额（元）,是否脱贫家庭')"
check "one row per approved award of the district" "$(($(wc -l < "$T/n.csv") - 1))" = "$N2"
CODE=$(curl -s -o "$T/n.xlsx" -w '%{http_code}' -b "$J" "$BASE/reports/export.xlsx?term=$TERM")
python3 "$ROOT/tests/e2e/xlsx_cells.py" "$T/n.xlsx" > "$T/n.tsv"
check "xlsx rows = CSV rows" "$(($(wc -l < "$T/n.tsv") - 1))" = "$N2"
check "xlsx amounts = the ledger of awards (fen)" "$(tail -n +2 "$T/n.tsv" | awk -F'\t' '{ split($15, p, "."); s += p[1] * 100 + p[2] } END { print s + 0 }')" = "$F2"
check "exports audited" "$(sql "select count(*) from audit_log where action='report.national_export'")" = 2
# the export of a 学年: one term of that 学年, not the term running today
NS=$(sql "select count(*) from award w join org o on o.id=w.school_id where w.term_id=$SPRING26 and w.status='approved' and o.parent_id=$D")
CODE=$(curl -s -o "$T/y.csv" -w '%{http_code}' -b "$J" "$BASE/reports/export.csv?year=2025-2026")
expect_status 200 "national CSV of a 学年"
check "the 学年's export has the approved awards of 2026 spring ($NS)" "$(($(wc -l < "$T/y.csv") - 1))" = "$NS"
check "and no row of another term" "$(tail -n +2 "$T/y.csv" | grep -vc '"2026年春季学期"')" = 0
check "the export audited with its term" "$(sql "select json_extract(after_json, '$.term_id') from audit_log where action='report.national_export' order by id desc limit 1")" = "$SPRING26"
get "$JO" "/reports/export.csv?term=$TERM"
expect_status 403 "a school officer does not export the national file"

# the totals the 资助统计 reads (aid_total, kept by triggers) agree with an
# independent count of the awards and past records, through every change
aid_off() {
	sql "with t as (select term_id, district_id, school_id, programme_id, sum(n) n, sum(fen) fen, sum(tp_n) tp_n, sum(tp_fen) tp_fen from (
		select w.term_id, o.parent_id district_id, w.school_id, w.programme_id, 1 n, w.amount_fen fen,
			exists (select 1 from application_category ac join difficulty_category d on d.id = ac.category_id where ac.application_id = w.application_id and d.code = 'tuopin') tp_n,
			w.amount_fen * exists (select 1 from application_category ac join difficulty_category d on d.id = ac.category_id where ac.application_id = w.application_id and d.code = 'tuopin') tp_fen
		from award w join org o on o.id = w.school_id where w.status = 'approved'
		union all select term_id, district_id, coalesce(school_id, 0), programme_id, 1, amount_fen, tuopin, tuopin * amount_fen from past_award)
		group by 1, 2, 3, 4),
	k as (select term_id, district_id, school_id, programme_id, n, fen, tp_n, tp_fen from aid_total where n <> 0 or fen <> 0 or tp_n <> 0 or tp_fen <> 0)
	select (select count(*) from (select * from t except select * from k)) + (select count(*) from (select * from k except select * from t))"
}
check "aid totals = the rows, after all the tests before" "$(aid_off)" = 0
check "and there are some" "$(sql "select count(*) from aid_total where n > 0")" -gt 3
AW=$(sql "select w.id from award w join org o on o.id = w.school_id where w.status = 'approved' and o.parent_id = $D and w.term_id = $TERM order by w.id limit 1")
AA=$(sql "select application_id from award where id = $AW")
TPC=$(sql "select id from difficulty_category where code = 'tuopin' and district_id is null")
sql "delete from application_category where application_id = $AA and category_id = $TPC"
BEFORE_TP=$(sql "select sum(tp_n) from aid_total where term_id = $TERM and district_id = $D")
sql "insert into application_category (application_id, category_id) values ($AA, $TPC)"
check "the family becomes 脱贫: its award joins the subset" "$(sql "select sum(tp_n) from aid_total where term_id = $TERM and district_id = $D")" = "$((BEFORE_TP + $(sql "select count(*) from award where application_id = $AA and term_id = $TERM and status = 'approved'")))"
check "aid totals = the rows, after a category added" "$(aid_off)" = 0
get "$J" "/reports/summary?term=$TERM"
TPF=$(sql "select sum(tp_fen) from aid_total where term_id = $TERM and district_id = $D")
TPW=$(awk -v f="$TPF" 'BEGIN { w = sprintf("%d.%06d", f / 1000000, f % 1000000); sub(/0+$/, "", w); if (length(w) - index(w, ".") < 4) { while (length(w) - index(w, ".") < 4) w = w "0" } print w }')
contains ">$TPW<" "the page shows the 脱贫 subset ($TPW 万元)"
sql "update award set amount_fen = amount_fen + 1 where id = $AW"
check "aid totals = the rows, after an amount changed" "$(aid_off)" = 0
sql "update award set status = 'ended' where id = $AW"
check "aid totals = the rows, after an award ended" "$(aid_off)" = 0
sql "update award set status = 'approved', amount_fen = amount_fen - 1 where id = $AW"
sql "delete from application_category where application_id = $AA and category_id = $TPC"
check "aid totals = the rows, after the category removed" "$(aid_off)" = 0

# ---- the 排查 from the kept values (013) against an independent count of
# the rows, through every change that moves it ----
YEAR=$(sql "select school_year from term where id=$TERM")
TNAME=$(sql "select name from term where id=$TERM")
DP=$(sql "select path from org where id=$D")
# the 重点保障 children of the district (the child 在读, the application not
# a draft or withdrawn), and of them those with approved aid this term
PRI="from application a join student s on s.id = a.student_id join org o on o.id = a.school_id where a.school_year = '$YEAR' and a.status not in ('draft', 'withdrawn') and s.status = '在读' and o.path like '$DP%' and exists (select 1 from application_category ac join difficulty_category d on d.id = ac.category_id where ac.application_id = a.id and d.priority = 1)"
AIDED="exists (select 1 from award w where w.idcard = s.idcard and w.term_id = $TERM and w.status = 'approved')"
# the values 013 keeps, against the rows: 0 when every one agrees
kept_off() {
	sql "select (select count(*) from application a join student s on s.id = a.student_id where a.idcard <> s.idcard or a.enrolled <> (s.status = '在读')
		or a.priority <> exists (select 1 from application_category ac join difficulty_category d on d.id = ac.category_id where ac.application_id = a.id and d.priority = 1)
		or a.twin <> ((select count(*) from application a2 join student s2 on s2.id = a2.student_id where s2.idcard = s.idcard and a2.school_year = a.school_year) > 1))
	+ (select count(*) from (select school_year, school_id, category_id, n from category_total where n <> 0 except
		select a.school_year, a.school_id, ac.category_id, count(*) from application a join application_category ac on ac.application_id = a.id where a.status not in ('draft', 'withdrawn') group by 1, 2, 3))
	+ (select count(*) from (select a.school_year, a.school_id, ac.category_id, count(*) from application a join application_category ac on ac.application_id = a.id where a.status not in ('draft', 'withdrawn') group by 1, 2, 3
		except select school_year, school_id, category_id, n from category_total))"
}
# paicha_agrees WHAT: the district's 排查 = the independent count (children
# by 身份证号 per category; 重点保障 children, aided, 应助未助), and the kept
# values = the rows
paicha_agrees() {
	get "$J" "/reports/paicha?term=$TERM"
	want=$(sql "select d.name || '=' || count(distinct s.idcard) from application a join student s on s.id = a.student_id join org o on o.id = a.school_id join application_category ac on ac.application_id = a.id join difficulty_category d on d.id = ac.category_id where a.school_year = '$YEAR' and a.status not in ('draft', 'withdrawn') and o.path like '$DP%' group by d.id order by d.sort, d.id")
	have=$(sed -n '/按困难类型统计/,/<\/table>/p' "$T/body" | grep -o '<tr><td>[^<]*\( <span class="badge badge-warn">重点保障</span>\)\{0,1\}</td><td class="num">[0-9]*</td></tr>' |
		sed 's#<tr><td>\([^<]*\)\( <span class="badge badge-warn">重点保障</span>\)\{0,1\}</td><td class="num">\([0-9]*\)</td></tr>#\1=\3#')
	check "$1: children per category = the independent count ($(echo $want))" "$have" = "$want"
	pt=$(sql "select count(distinct s.idcard) $PRI")
	pc=$(sql "select count(distinct s.idcard) $PRI and $AIDED")
	contains "重点保障对象 $pt 人，${TNAME}已资助 $pc 人。" "$1: 重点保障 $pt, aided $pc = the independent count"
	contains "应助未助学生名单（$((pt - pc)) 人）" "$1: 应助未助 $((pt - pc))"
	check "$1: the kept values = the rows" "$(kept_off)" = 0
}
# count CATEGORY-CODE: that category's children on the last page
count_of() {
	sed -n '/按困难类型统计/,/<\/table>/p' "$T/body" | grep -o "<tr><td>$(sql "select name from difficulty_category where code = '$1' and district_id is null")[^<]*\( <span class=\"badge badge-warn\">重点保障</span>\)\{0,1\}</td><td class=\"num\">[0-9]*</td>" |
		sed 's/.*<td class="num">\([0-9]*\)<\/td>/\1/'
}
paicha_agrees "after the tests before"
check "the district has children counted by category" -n "$have"
OTHER=$(sql "select id from difficulty_category where code = 'other' and district_id is null")
ZB=$(sql "select id from difficulty_category where code = 'zhongbing' and district_id is null")
GUER=$(sql "select id from difficulty_category where code = 'guer' and district_id is null")
# three children of 西工区第二初级中学 apply: K1 for 学校认定的其他困难, K2 and K3 for 父母重病
SJ=$(sql "select id from org where code = '4103030003'")
set -- $(sql "select id from student where school_id = $SJ and status = '在读' and id not in (select student_id from application) order by id desc limit 3")
K1=$1 K2=$2 K3=$3
for k in $K1 $K2 $K3; do
	sql "insert into application (student_id, school_id, school_year, status) values ($k, $SJ, '$YEAR', 'submitted')"
done
A1=$(sql "select id from application where student_id = $K1 and school_year = '$YEAR'")
A2=$(sql "select id from application where student_id = $K2 and school_year = '$YEAR'")
A3=$(sql "select id from application where student_id = $K3 and school_year = '$YEAR'")
get "$J" "/reports/paicha?term=$TERM"
N0=$(count_of zhongbing)
sql "insert into application_category values ($A1, $OTHER)"
sql "insert into application_category values ($A2, $ZB)"
sql "insert into application_category values ($A3, $ZB)"
paicha_agrees "categories added to three applications"
check "父母重病: two more children" "$(count_of zhongbing)" = "$((${N0:-0} + 2))"
sql "delete from application_category where application_id = $A3 and category_id = $ZB"
paicha_agrees "a category removed"
check "父母重病: one less" "$(count_of zhongbing)" = "$((${N0:-0} + 1))"
# K2 becomes 重点保障 (孤儿): listed, as no aid has come yet
K2NAME=$(sql "select name from student where id = $K2")
K2ID=$(sql "select idcard from student where id = $K2")
PT0=$(sql "select count(distinct s.idcard) $PRI")
sql "insert into application_category values ($A2, $GUER)"
paicha_agrees "a 重点保障 category added"
contains "重点保障对象 $((PT0 + 1)) 人" "the child is one more 重点保障 child"
contains "/students/$K2\"" "and is on the 应助未助 list"
lacks "$K2ID" "with the 身份证号 masked"
contains "$(echo "$K2ID" | cut -c1-6)********$(echo "$K2ID" | cut -c15-18)" "first 6 and last 4"
# withdrawn: counted nowhere; submitted again: back
sql "update application set status = 'withdrawn' where id = $A2"
paicha_agrees "the application withdrawn"
contains "重点保障对象 $PT0 人" "a withdrawn application is no 重点保障 child"
lacks "/students/$K2\"" "nor listed"
sql "update application set status = 'submitted' where id = $A2"
paicha_agrees "the application submitted again"
# approved aid this term covers the child; aid ended, uncovered again
PRG2=$(sql "select id from programme where code = 'jr_board'")
sql "insert into award (application_id, idcard, school_id, term_id, programme_id, tier, amount_fen, status) values ($A2, '$K2ID', $SJ, $TERM, $PRG2, '标准', 62500, 'proposed')"
paicha_agrees "aid proposed"
contains "/students/$K2\"" "proposed aid does not cover the child"
sql "update award set status = 'approved' where application_id = $A2"
paicha_agrees "aid approved"
lacks "/students/$K2\"" "an approved award this term covers the child"
sql "update award set status = 'ended' where application_id = $A2"
paicha_agrees "aid ended"
contains "/students/$K2\"" "the child is listed again once the aid ended"
# the district unmarks 孤儿 as 重点保障, then marks it again
sql "update difficulty_category set priority = 0 where id = $GUER"
paicha_agrees "孤儿 no longer 重点保障"
lacks "/students/$K2\"" "the child is no longer listed"
sql "update difficulty_category set priority = 1 where id = $GUER"
paicha_agrees "孤儿 重点保障 again"
contains "/students/$K2\"" "the child is listed again"
# K2 moves to 西工区实验小学 within the 学年 (through the school's form) and
# applies there too, for the same category: one child, two applications of
# the 学年; counted once per category, listed once
JO2=$T/officer2
login "$JO2" xg_officer2 "$PW"
get "$JO2" "/students/$K2/transfer"
SX=$(sql "select id from org where code = '4103030002'")
postf "$JO2" "/students/$K2/transfer" "_csrf=$(form_token)" "school_id=$SX" stage=primary grade=六年级 class_name=3班
expect_status 303 "K2 transferred"
K2B=$(sql "select id from student where idcard = '$K2ID' and school_id = $SX and status = '在读'")
sql "insert into application (student_id, school_id, school_year, status) values ($K2B, $SX, '$YEAR', 'submitted')"
A2B=$(sql "select id from application where student_id = $K2B and school_year = '$YEAR'")
sql "insert into application_category values ($A2B, $GUER)"
sql "insert into application_category values ($A2B, $ZB)"
check "two applications of the 学年 for one 身份证号" "$(sql "select count(*) from application a join student s on s.id = a.student_id where s.idcard = '$K2ID' and a.school_year = '$YEAR'")" = 2
G0=$(sql "select sum(n) from category_total t join org o on o.id = t.school_id where t.school_year = '$YEAR' and t.category_id = $GUER and o.path like '$DP%'")
G1=$(sql "select count(distinct s.idcard) from application a join student s on s.id = a.student_id join org o on o.id = a.school_id join application_category ac on ac.application_id = a.id where ac.category_id = $GUER and a.school_year = '$YEAR' and a.status not in ('draft', 'withdrawn') and o.path like '$DP%'")
check "the applications of 孤儿 count the child twice ($G0), the children once ($G1)" "$G0" = "$((G1 + 1))"
paicha_agrees "a transferred child with an application at each school"
check "孤儿 counts the child once" "$(count_of guer)" = "$G1"
check "the child listed once, at the new school" "$(grep -o "/students/$K2B\"\|/students/$K2\"" "$T/body" | tr '\n' ' ')" = "/students/$K2B\" "
# both enrolments 在读 (双学籍): both applications are 重点保障; still one child
sql "update student set status = '在读' where id = $K2"
paicha_agrees "both enrolments 在读"
check "the child listed once" "$(grep -c "/students/$K2B\"\|/students/$K2\"" "$T/body")" = 1
# the 身份证号 of the new enrolment corrected to another child's: two children
K2X=$(mkid 41030320150707070)
sql "update student set idcard = '$K2X' where id = $K2B"
paicha_agrees "the 身份证号 of one enrolment corrected"
check "two children listed now" "$(grep -o "/students/$K2B\"\|/students/$K2\"" "$T/body" | wc -l)" = 2
sql "update student set idcard = '$K2ID' where id = $K2B"
paicha_agrees "the 身份证号 put back"
sql "update student set status = '转出' where id = $K2"
paicha_agrees "the old enrolment 转出 again"
# the school of the district, and the city, agree with the rows too
get "$J" "/reports/paicha?term=$TERM&org=$SX"
contains "重点保障对象 $(sql "select count(distinct s.idcard) $PRI and a.school_id = $SX") 人" "the 排查 of one school = the independent count"
get "$JC" "/reports/paicha?term=$TERM"
contains "重点保障对象 $(sql "select count(distinct s.idcard) $(echo "$PRI" | sed "s#o.path like '$DP%'#1#")") 人" "the city's 排查 = the independent count"

# ---- the 应助未助 list a page at a time: 230 children of 洛龙区关林小学 ----
GL=$(sql "select id from org where code = '4103110001'")
LP=$(sql "select path from org where code = '410311'")
MAXA=$(sql "select max(id) from application")
sql "insert into application (student_id, school_id, school_year, status) select id, school_id, '$YEAR', 'submitted' from student where school_id = $GL and status = '在读' and id not in (select student_id from application where school_year = '$YEAR') order by id desc limit 230"
sql "insert into application_category select id, $GUER from application where id > $MAXA and school_id = $GL"
check "230 applications made" "$(sql "select count(*) from application where id > $MAXA and school_id = $GL")" = 230
# the list as the district should see it, each child once, in its order
LPRI=$(echo "$PRI" | sed "s#o.path like '$DP%'#o.path like '$LP%'#")
sql "select s.id $LPRI and not $AIDED order by o.path, s.grade, s.class_name, s.name, s.id" > "$T/want-ids"
UN=$(wc -l < "$T/want-ids")
check "more than two pages to list ($UN)" "$UN" -gt 200
page_ids() { sed -n '/应助未助学生名单/,/<\/table>/p' "$T/body" | grep -o 'href="/students/[0-9]*"' | sed 's/[^0-9]//g'; }
get "$JL" "/reports/paicha?term=$TERM"
expect_status 200 "the district's 排查, page 1"
contains "应助未助学生名单（$UN 人）" "the count is of the whole list"
contains "重点保障对象 $(sql "select count(distinct s.idcard) $LPRI") 人" "the totals are of the whole scope"
check "page 1: the first 100 of the list, in order" "$(page_ids)" = "$(sed -n 1,100p "$T/want-ids")"
contains "href=\"/reports/paicha?term=$TERM&amp;page=2\" rel=\"next\"" "a link to page 2, keeping the term"
lacks 'rel="prev"' "no page before the first"
F1=$(sql "select idcard from student where id = $(head -n 1 "$T/want-ids")")
lacks "$F1" "no whole 身份证号 on the page"
get "$JL" "/reports/paicha?term=$TERM&year=&org=&page=2"
check "page 2: the next 100" "$(page_ids)" = "$(sed -n 101,200p "$T/want-ids")"
contains "href=\"/reports/paicha?term=$TERM&amp;year=&amp;org=&amp;page=1\" rel=\"prev\"" "page 2 links back, keeping every other parameter"
contains "href=\"/reports/paicha?term=$TERM&amp;year=&amp;org=&amp;page=3\" rel=\"next\"" "and forward"
contains "应助未助学生名单（$UN 人）" "page 2 says the same count"
get "$JL" "/reports/paicha?term=$TERM&page=3"
check "page 3: the rest ($((UN - 200)))" "$(page_ids)" = "$(sed -n '201,$p' "$T/want-ids")"
lacks 'rel="next"' "no page after the last"
get "$JL" "/reports/paicha?term=$TERM&page=4"
expect_status 200 "a page past the end"
check "past the end: nobody listed" "$(page_ids)" = ""
contains "这一页没有学生：共 $UN 人" "past the end: the count, and where to go"
contains "重点保障对象 $(sql "select count(distinct s.idcard) $LPRI") 人" "past the end: the totals still there"
for bad in abc -5 0 '' '1%27%20OR%201=1' 1.5e3; do
	get "$JL" "/reports/paicha?term=$TERM&page=$bad"
	expect_status 200 "page=$bad"
	check "page=$bad: the first page" "$(page_ids)" = "$(sed -n 1,100p "$T/want-ids")"
done
get "$JL" "/reports/paicha?term=$TERM&page=%00"
if [ "$CODE" = 200 ]; then
	check "page=%00: the first page" "$(page_ids)" = "$(sed -n 1,100p "$T/want-ids")"
else
	expect_status 400 "page=%00: refused"
fi
get "$JL" "/reports/paicha?term=$TERM&page=99999999999999999999999"
expect_status 200 "a huge page number"
check "a huge page number: past the end" "$(page_ids)" = ""
# hostile values in the query: escaped wherever they come back
get "$JL" "/reports/paicha?term=$TERM&org=%3Cscript%3Ealert(1)%3C%2Fscript%3E&year=%22%3E%3Cb%3E&from=%27%3B--&page=2"
expect_status 200 "hostile query values"
lacks "<script>alert" "a script in the query never comes back raw"
lacks '"><b>' "nor a broken attribute"
check "hostile values: still page 2 of the reader's own scope" "$(page_ids)" = "$(sed -n 101,200p "$T/want-ids")"
CODE=$(curl -s -g -o "$T/body" -w '%{http_code}' -b "$JL" "$BASE/reports/paicha?term=$TERM&x=<script>&y=\"'&page=2")
if [ "$CODE" = 200 ]; then lacks "<script>" "an unencoded script in the query never comes back raw"; else expect_status 400 "an unencoded script in the query refused"; fi
# the xlsx keeps every row and the whole 身份证号, whatever the page
CODE=$(curl -s -o "$T/l.xlsx" -w '%{http_code}' -b "$JL" "$BASE/reports/paicha.xlsx?term=$TERM&page=2")
expect_status 200 "应助未助 xlsx"
python3 "$ROOT/tests/e2e/xlsx_cells.py" "$T/l.xlsx" > "$T/l.tsv"
check "the xlsx has the whole list ($UN rows)" "$(($(wc -l < "$T/l.tsv") - 1))" = "$UN"
check "with the whole 身份证号, in the list's order" "$(sed -n 2p "$T/l.tsv" | cut -f1)" = "$F1"
# the checks page lists the same children a page at a time, the other
# checks whole on every page
cpage_ids() { sed -n '/重点保障对象未资助/,/<\/table>/p' "$T/body" | grep -o 'href="/students/[0-9]*"' | sed 's/[^0-9]//g'; }
top_section() { sed -n '/未给最高档/,/<\/table>/p' "$T/body"; }
get "$JL" "/reports/checks?term=$TERM"
expect_status 200 "the district's checks, page 1"
contains "重点保障对象未资助（$UN）" "checks: the count is of the whole list"
contains "共 $UN 条，第 1/$(((UN + 99) / 100)) 页" "checks: the pager counts the whole list"
check "checks page 1: the first 100 of the list, in order" "$(cpage_ids)" = "$(sed -n 1,100p "$T/want-ids")"
contains "href=\"/reports/checks?term=$TERM&amp;page=2\" rel=\"next\"" "checks: a link to page 2, keeping the term"
lacks "$F1" "checks: no whole 身份证号 on the page"
top_section > "$T/top1"
get "$JL" "/reports/checks?term=$TERM&page=2"
check "checks page 2: the next 100" "$(cpage_ids)" = "$(sed -n 101,200p "$T/want-ids")"
contains "重点保障对象未资助（$UN）" "checks page 2 says the same count"
check "checks page 2: 未给最高档 as on page 1" "$(top_section)" = "$(cat "$T/top1")"
get "$JL" "/reports/checks?term=$TERM&page=3"
check "checks page 3: the rest ($((UN - 200)))" "$(cpage_ids)" = "$(sed -n '201,$p' "$T/want-ids")"
lacks 'rel="next"' "checks: no page after the last"
get "$JL" "/reports/checks?term=$TERM&page=4"
expect_status 200 "checks: a page past the end"
check "checks past the end: nobody listed" "$(cpage_ids)" = ""
contains "这一页没有学生：共 $UN 人" "checks past the end: the count, and where to go"
for bad in abc -5 0 '1%27%20OR%201=1'; do
	get "$JL" "/reports/checks?term=$TERM&page=$bad"
	check "checks page=$bad: the first page" "$(cpage_ids)" = "$(sed -n 1,100p "$T/want-ids")"
done
# 未给最高档 a page at a time too (?page_top=N): 210 of those children given
# 普通高中国家助学金 below its top tier (the other 20 still without aid)
HSP2=$(sql "select id from programme where code = 'hs_grant'")
sql "insert into award (application_id, idcard, school_id, term_id, programme_id, tier, amount_fen, status) select a.id, s.idcard, a.school_id, $TERM, $HSP2, '二档', 115000 + a.id % 3, 'approved' from application a join student s on s.id = a.student_id where a.id > $MAXA and a.school_id = $GL order by a.id limit 210"
# the list as the old check saw it: every approved award of the term in the
# scope, of a programme whose top tier is due, below it, to a 重点保障 application
sql "select s.id from award w join application a on a.id = w.application_id join student s on s.id = a.student_id join org o on o.id = w.school_id join programme p on p.id = w.programme_id
	where w.term_id = $TERM and w.status = 'approved' and o.path like '$LP%'
	and coalesce((select pr.priority_top_tier from programme_rule pr where pr.district_id = o.parent_id and pr.term_id = w.term_id and pr.programme_id = p.id), p.priority_top_tier) = 1
	and w.tier <> (select ps.tier from programme_standard ps where ps.district_id is null and ps.term_id = w.term_id and ps.programme_id = p.id and ps.tier_sort = 1)
	and exists (select 1 from application_category ac join difficulty_category d on d.id = ac.category_id where ac.application_id = w.application_id and d.priority = 1)
	order by o.path, w.programme_id, w.amount_fen, w.application_id, w.id" > "$T/want-top"
UT=$(wc -l < "$T/want-top")
check "more than two pages of 未给最高档 ($UT)" "$UT" -gt 200
# those children are aided now: the 应助未助 list as it is now
sql "select s.id $LPRI and not $AIDED order by o.path, s.grade, s.class_name, s.name, s.id" > "$T/want-ids2"
check "fewer children without aid now, some still ($(wc -l < "$T/want-ids2") of $UN)" "$(wc -l < "$T/want-ids2")" -lt "$UN" -a -s "$T/want-ids2"
tpage_ids() { sed -n '/未给最高档/,/<\/table>/p' "$T/body" | grep -o 'href="/students/[0-9]*"' | sed 's/[^0-9]//g'; }
get "$JL" "/reports/checks?term=$TERM&page=2"
contains "重点保障对象未给最高档（$UT）" "未给最高档: the count is of the whole list"
check "未给最高档 page 1: the first 100, in order" "$(tpage_ids)" = "$(sed -n 1,100p "$T/want-top")"
check "and the 应助未助 list still at its page 2" "$(cpage_ids)" = "$(sed -n 101,200p "$T/want-ids2")"
contains "href=\"/reports/checks?term=$TERM&amp;page=2&amp;page_top=2\" rel=\"next\"" "未给最高档: a link to its page 2, keeping the other list's page"
get "$JL" "/reports/checks?term=$TERM&page=2&page_top=2"
check "未给最高档 page 2: the next 100" "$(tpage_ids)" = "$(sed -n 101,200p "$T/want-top")"
check "the 应助未助 list at its page 2 still" "$(cpage_ids)" = "$(sed -n 101,200p "$T/want-ids2")"
contains "href=\"/reports/checks?term=$TERM&amp;page_top=2&amp;page=1\" rel=\"prev\"" "the 应助未助 pager keeps page_top"
get "$JL" "/reports/checks?term=$TERM&page_top=3"
check "未给最高档 page 3: the rest ($((UT - 200)))" "$(tpage_ids)" = "$(sed -n '201,$p' "$T/want-top")"
check "and the 应助未助 list at its page 1" "$(cpage_ids)" = "$(sed -n 1,100p "$T/want-ids2")"
lacks "$(sql "select idcard from student where id = $(head -n 1 "$T/want-top")")" "未给最高档: no whole 身份证号 on the page"
get "$JL" "/reports/checks?term=$TERM&page_top=9"
check "未给最高档 past the end: nobody listed" "$(tpage_ids)" = ""
contains "这一页没有记录：共 $UT 条" "未给最高档 past the end: the count, and where to go"
for bad in abc -5 0 '1%27%20OR%201=1'; do
	get "$JL" "/reports/checks?term=$TERM&page_top=$bad"
	check "page_top=$bad: the first page" "$(tpage_ids)" = "$(sed -n 1,100p "$T/want-top")"
done
sql "delete from award where application_id > $MAXA"
# the city's count = the independent count
CPRI=$(echo "$PRI" | sed "s#o.path like '$DP%'#1#")
get "$JC" "/reports/checks?term=$TERM"
CUN=$(($(sql "select count(distinct s.idcard) $CPRI") - $(sql "select count(distinct s.idcard) $CPRI and $AIDED")))
contains "重点保障对象未资助（$CUN）" "the city's 应助未助 count = the independent count ($CUN)"
# the test's applications deleted (as the daemon deletes: with the cascade)
sql "pragma foreign_keys = on; delete from award where application_id = $A2; delete from application where id in ($A1, $A2, $A3, $A2B) or id > $MAXA"
paicha_agrees "the test's applications deleted"
check "none left" "$(sql "select count(*) from application where id in ($A1, $A2, $A3, $A2B) or id > $MAXA")" = 0
done_tests
