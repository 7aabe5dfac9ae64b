# The 认定申请: errors beside their fields with nothing lost, draft, score,
# submit, withdraw, print, evidence up and down, and nothing of it visible
# to an officer of another school.
. "$ROOT/tests/e2e/lib.sh"
J=$T/officer
login "$J" xg_officer "$PW"
SID=$(sql "select id from student where school_id=(select id from org where code='4103030002') and status='在读' and boarding=0 order by id limit 1")
get "$J" "/applications/new?student=$SID"
expect_status 200 "application form"
tok=$(form_token)
CAT_DIBAO=$(sql "select id from difficulty_category where code='dibao' and district_id is null")
CAT_OTHER=$(sql "select id from difficulty_category where code='other' and district_id is null")
P_NONBOARD=$(sql "select id from programme where code='cmp_nonboard'")
P_BOARD=$(sql "select id from programme where code='cmp_board'")
P_HS=$(sql "select id from programme where code='hs_grant'")

# submit with mistakes: each explained, everything typed comes back
postf "$J" /applications "_csrf=$tok" "student_id=$SID" action=submit household_size=abc income=12,34.5 \
	m0_name=张父 m0_relation=父亲 m0_age=200 m1_name=张母 m1_relation=母亲 m1_age=38 m1_income=6000 \
	"reason=' OR 1=1 -- <b>家里困难</b>" "category=$CAT_DIBAO" "programme=$P_BOARD" "programme=$P_HS"
expect_status 400 "bad application refused"
contains "家庭人口应为 1 到 30 之间的整数" "household size explained"
contains "家庭年总收入请填金额" "income explained"
contains "年龄应为 0 到 130 之间的整数" "member age explained"
contains "不适用于该生的学段" "programme of another stage refused"
contains "须由学生或家长签署承诺书" "pledge required to submit"
contains 'value="张母"' "second member kept"
contains 'value="200"' "bad age kept for correction"
contains "&#39; OR 1=1 -- &lt;b&gt;家里困难&lt;/b&gt;" "reason kept, escaped"
check "nothing saved" "$(sql "select count(*) from application where student_id=$SID")" = 0

# save a draft (incomplete is fine for a draft)
postf "$J" /applications "_csrf=$tok" "student_id=$SID" action=save household_size=4 income=9600 housing=危房 \
	m0_name=张父 m0_relation=父亲 m0_age=45 m0_health=重病 m0_income=0 m1_name=张母 m1_relation=母亲 m1_age=38 m1_income=9600 \
	"category=$CAT_DIBAO" "programme=$P_NONBOARD" "reason=父亲重病，母亲务农"
expect_status 303 "draft saved"
AID=$(sql "select id from application where student_id=$SID")
check "one draft" "$(sql "select status from application where id=$AID")" = draft
# the application records the class; while a draft it follows the roster
CLASS0=$(sql "select class_name from student where id=$SID")
check "grade and class of the application are the student's" "$(sql "select grade || '/' || class_name from application where id=$AID")" = "$(sql "select grade || '/' || class_name from student where id=$SID")"
sql "update student set class_name='9班' where id=$SID"
check "a draft follows a corrected class" "$(sql "select class_name from application where id=$AID")" = 9班
get "$J" "/applications?class=9%E7%8F%AD"
contains "/applications/$AID\"" "the list finds it by the new class"
sql "update student set class_name='$CLASS0' where id=$SID"
# score: 低保 30 + 人均 2400 < 3000 -> 30 + 重病 10 + 危房 10 = 80
check "score from the district's weights" "$(sql "select score from application where id=$AID")" = 80
check "members saved" "$(sql "select count(*) from application_member where application_id=$AID")" = 2
check "income in fen" "$(sql "select income_fen from application where id=$AID")" = 960000
get "$J" "/applications/$AID"
expect_status 200 "application page"
contains "草稿" "status shown"
contains "9,600.00" "income shown in yuan"
contains "2,400.00" "per-capita income shown"
# a second "new" for the same student and year goes to the existing one
CODE=$(curl -s -o /dev/null -D "$T/head" -w '%{http_code}' -b "$J" "$BASE/applications/new?student=$SID")
check "new for the same year opens the existing application" "$(header Location)" = "/applications/$AID"

# a non-boarder cannot apply for the boarders' allowance
postf "$J" "/applications/$AID" "_csrf=$tok" action=save household_size=4 "programme=$P_BOARD" m0_name=张父 m0_relation=父亲 m0_age=45
contains "登记为走读" "boarding rule explained"

# evidence: PDF accepted, a renamed text file refused, download gives the same bytes
printf '%%PDF-1.4\n%% test evidence\n1 0 obj <<>> endobj\ntrailer <<>>\n%%%%EOF\n' > "$T/dibao.pdf"
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$J" -F "_csrf=$tok" -F "file=@$T/dibao.pdf;filename=低保证 扫描件.pdf" "$BASE/applications/$AID/evidence")
expect_status 303 "evidence uploaded"
EID=$(sql "select id from evidence where application_id=$AID")
check "stored with its SHA-256" "$(sql "select sha256 from evidence where id=$EID")" = "$(sha256sum "$T/dibao.pdf" | cut -d' ' -f1)"
printf 'not a pdf' > "$T/fake.pdf"
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$J" -F "_csrf=$tok" -F "file=@$T/fake.pdf" "$BASE/applications/$AID/evidence")
expect_status 400 "a file that is not PDF/JPG/PNG is refused"
contains "只能上传 PDF、JPG 或 PNG" "refusal explained"
# a scan over 10 MB: the request parser lets 20 MB through (roster imports),
# the evidence handler refuses it and saves nothing
{ cat "$T/dibao.pdf"; head -c $((10 * 1024 * 1024)) /dev/zero; } > "$T/huge.pdf"
EV0=$(sql "select count(*) from evidence")
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$J" -F "_csrf=$tok" -F "file=@$T/huge.pdf" "$BASE/applications/$AID/evidence")
expect_status 413 "a scan over 10 MB is refused"
contains "最多 10 MB" "the limit named"
check "nothing saved of it" "$(sql "select count(*) from evidence")" = "$EV0"
CODE=$(curl -s -o "$T/got" -D "$T/head" -w '%{http_code}' -b "$J" "$BASE/evidence/$EID")
expect_status 200 "evidence downloaded"
check "same bytes back" "$(sha256sum < "$T/got" | cut -d' ' -f1)" = "$(sha256sum < "$T/dibao.pdf" | cut -d' ' -f1)"
check "served as PDF" "$(header Content-Type)" = "application/pdf"
check "as an attachment" -n "$(header Content-Disposition | grep '^attachment')"
check "download audited" "$(sql "select count(*) from audit_log where action='evidence.download' and entity_id=$EID")" = 1
# upload without the token
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$J" -F "file=@$T/dibao.pdf" "$BASE/applications/$AID/evidence")
expect_status 403 "upload without the token refused"

# another school's officer and the committee see none of it
J2=$T/other
login "$J2" xg_officer2 "$PW"
get "$J2" "/applications/$AID"
expect_status 404 "other school: application hidden"
get "$J2" "/evidence/$EID"
expect_status 404 "other school: evidence hidden"
get "$J2" "/applications/$AID/print"
expect_status 404 "other school: print hidden"
get "$J2" /applications
lacks "/applications/$AID\"" "other school's list does not have it"
JC=$T/committee
login "$JC" xg_committee "$PW"
get "$JC" "/applications/$AID"
expect_status 403 "committee members do not read the whole family file"
get "$JC" "/evidence/$EID"
expect_status 403 "nor the evidence"
JL=$T/ll
login "$JL" ll_admin "$PW"
get "$JL" "/evidence/$EID"
expect_status 404 "another district: evidence hidden"
JD=$T/district
login "$JD" xg_admin "$PW"
get "$JD" "/applications/$AID"
expect_status 200 "own district reads the application"

# complete and submit from the form
postf "$J" "/applications/$AID" "_csrf=$tok" action=submit household_size=4 income=9600 housing=危房 \
	m0_name=张父 m0_relation=父亲 m0_age=45 m0_health=重病 m1_name=张母 m1_relation=母亲 m1_age=38 m1_income=9600 \
	"category=$CAT_DIBAO" "category=$CAT_OTHER" "programme=$P_NONBOARD" "reason=父亲重病，母亲务农" pledge_confirmed=1 pledge_signer=张母
expect_status 303 "submitted"
check "status submitted" "$(sql "select status from application where id=$AID")" = submitted
sql "update student set class_name='9班' where id=$SID"
check "a submitted application keeps the class it was submitted in" "$(sql "select class_name from application where id=$AID")" = "$CLASS0"
get "$J" "/applications?class=9%E7%8F%AD"
lacks "/applications/$AID\"" "and the list by the new class leaves it out"
sql "update student set class_name='$CLASS0' where id=$SID"
check "submitted_at set" -n "$(sql "select submitted_at from application where id=$AID")"
check "score with the second category (80 + 10)" "$(sql "select score from application where id=$AID")" = 90
get "$J" "/applications/$AID/edit"
expect_status 409 "a submitted application cannot be edited"
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$J" -F "_csrf=$tok" -F "file=@$T/dibao.pdf" "$BASE/applications/$AID/evidence")
expect_status 409 "no uploads after submission"
postf "$J" "/evidence/$EID/delete" "_csrf=$tok"
expect_status 409 "no deleting evidence after submission"

# print: A4 form with signature places; the officer sees the whole number, audited
get "$J" "/applications/$AID/print"
expect_status 200 "print page"
contains "家庭经济困难学生认定申请表" "print title"
contains "家长（监护人）签字" "signature place for the family"
contains "班主任签字" "signature place for the class teacher"
contains "学校盖章" "place for the school seal"
FULL=$(sql "select s.idcard from application a join student s on s.id=a.student_id where a.id=$AID")
contains "$FULL" "officer's print carries the whole 身份证号"
check "print audited" "$(sql "select count(*) from audit_log where action='application.print' and entity_id=$AID")" = 1
get "$JD" "/applications/$AID/print"
lacks "$FULL" "district's print masks the number"

# withdraw, reopen, list filters
postf "$J" "/applications/$AID/withdraw" "_csrf=$tok"
expect_status 303 "withdrawn"
check "status withdrawn" "$(sql "select status from application where id=$AID")" = withdrawn
postf "$J" "/applications/$AID/withdraw" "_csrf=$tok"
expect_status 409 "withdrawing twice refused"
postf "$J" "/applications/$AID/reopen" "_csrf=$tok"
expect_status 303 "reopened"
check "back to draft" "$(sql "select status from application where id=$AID")" = draft
get "$J" "/applications?status=draft"
contains "/applications/$AID\"" "list filtered by status has it"
get "$J" "/applications?status=submitted"
lacks "/applications/$AID\"" "other status filter leaves it out"
check "every step audited" "$(sql "select count(distinct action) from audit_log where entity='application' and entity_id=$AID")" -ge 5

# the list's count comes from app_count (kept by triggers) unless a class
# or name is asked for: it agrees with the applications group by group
# through the inserts, status changes and class corrections above, and the
# page shows the same count as the applications themselves
count_off() {
	sql "select count(*) from (select school_id, school_year, status, grade, count(*) n from application group by 1, 2, 3, 4) a
		full join app_count c using (school_id, school_year, status, grade) where coalesce(a.n, 0) <> coalesce(c.n, 0)"
}
check "app_count = the applications" "$(count_off)" = 0
YR=$(sql "select school_year from application where id=$AID")
for st in "" draft submitted; do
	get "$JD" "/applications?year=$YR&status=$st"
	want=$(sql "select count(*) from application a join org o on o.id = a.school_id where o.path like (select path from org where code = '410303') || '%' and a.school_year = '$YR' and ('$st' = '' or a.status = '$st')")
	contains "共 $want 条" "district list counts $want (status '$st')"
done
G=$(sql "select grade from application where id=$AID")
get "$J" "/applications?year=$YR&grade=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$G")"
want=$(sql "select count(*) from application where school_id = (select school_id from application where id=$AID) and school_year = '$YR' and grade = '$G'")
contains "共 $want 条" "school list by grade counts $want"
sql "update application set status = 'submitted' where id = $AID"
check "a status change moves the count" "$(count_off)" = 0
sql "update application set status = 'draft' where id = $AID"
sql "update student set grade = '九年级' where id = (select student_id from application where id=$AID)"
check "a grade following the roster moves the count" "$(count_off)" = 0
check "the draft is counted under its new grade" "$(sql "select n from app_count c join application a on a.school_id = c.school_id and a.school_year = c.school_year and c.status = a.status and c.grade = '九年级' where a.id = $AID")" -ge 1
sql "update student set grade = '$G' where id = (select student_id from application where id=$AID)"
check "and back" "$(count_off)" = 0

# the list's rows show the student's name and the number of 证明材料 kept on
# the application: they follow a renamed student and evidence added or removed
copies_off() {
	sql "select count(*) from application a join student s on s.id = a.student_id where a.student_name <> s.name
		or a.idcard <> s.idcard or a.evidence_n <> (select count(*) from evidence e where e.application_id = a.id)"
}
check "the copies on the applications agree with students and evidence" "$(copies_off)" = 0
NAME0=$(sql "select name from student where id=$SID")
sql "update student set name = '欧阳<b>改名' where id=$SID"
get "$J" "/applications?year=$YR&q=%E6%AC%A7%E9%98%B3"
contains "欧阳&lt;b&gt;改名" "a renamed student is listed, and found, by the new name"
sql "update student set name = '$NAME0' where id=$SID"
sql "insert into evidence (application_id, filename, content_type, size, sha256, data, uploaded_by) select $AID, 'x.pdf', 'application/pdf', 1, '', x'00', 1"
check "evidence added is counted" "$(sql "select evidence_n from application where id=$AID")" = "$(sql "select count(*) from evidence where application_id=$AID")"
sql "delete from evidence where application_id=$AID and filename = 'x.pdf'"
check "and removed" "$(copies_off)" = 0

# every page of the list is in the list's order (school, score from the
# highest, id), whether an index or a sort puts it in order: as it opens, by
# status, by grade, by both, and past the first page. The district's other
# children get applications for it, with few distinct scores (ties are
# ordered by id) and three statuses; they are deleted afterwards.
DPATH=$(sql "select path from org where code = '410303'")
sql "insert into application (student_id, school_id, school_year, status, score, reason)
	select s.id, s.school_id, '$YR', case s.id % 3 when 0 then 'submitted' when 1 then 'approved' else 'draft' end,
		(s.id * 7) % 5 * 10, '排序测试' from student s join org o on o.id = s.school_id
	where o.path like '$DPATH%' and not exists (select 1 from application a where a.student_id = s.id and a.school_year = '$YR')"
check "the ordering fixture has more than two pages" "$(sql "select count(*) from application where reason = '排序测试'")" -gt 100
check "and the counts follow it" "$(count_off)" = 0
GT=$(sql "select grade from application a join org o on o.id = a.school_id where o.path like '$DPATH%' and a.school_year = '$YR' group by grade order by count(*) desc limit 1")
STT=$(sql "select status from application a join org o on o.id = a.school_id where o.path like '$DPATH%' and a.school_year = '$YR' group by status order by count(*) desc limit 1")
GQ=$(python3 -c 'import sys, urllib.parse; print(urllib.parse.quote(sys.argv[1]))' "$GT")
for f in "|" "$STT|" "|$GT" "$STT|$GT"; do
	st=${f%%|*}
	gr=${f#*|}
	for pg in 1 2 3; do
		get "$JD" "/applications?year=$YR&status=$st&grade=$([ -n "$gr" ] && echo "$GQ")&page=$pg"
		got=$(grep -o 'href="/applications/[0-9]*"' "$T/body" | tr -dc '0-9\n' | paste -sd, -)
		want=$(sql "select group_concat(id) from (select a.id from application a join org o on o.id = a.school_id
			where o.path like '$DPATH%' and a.school_year = '$YR' and ('$st' = '' or a.status = '$st')
			and ('$gr' = '' or a.grade = '$gr') order by o.path, a.score desc, a.id limit 50 offset $(( (pg - 1) * 50 )))")
		check "district list (status '$st', grade '$gr') page $pg has $(echo "$want" | tr ',' '\n' | grep -c .) rows in order" "$got" = "$want"
		if [ "$f$pg" = "|1" ]; then FIRST=$(echo "$got" | tr ',' '\n' | grep -c .); fi
	done
done
check "the whole list's first page is full" "$FIRST" = 50
sql "delete from application where reason = '排序测试'"
check "the counts follow the fixture's deletion" "$(count_off)" = 0

# the district changes a weight: the next save uses it
get "$JD" /settings/scoring
expect_status 200 "scoring settings"
dtok=$(form_token)
set -- "_csrf=$dtok" income_below_1_fen=3000 income_below_1=30 income_below_2_fen=6000 income_below_2=20 income_below_3_fen=10000 income_below_3=10 \
	member_ill=20 member_unemployed=5 housing_poor=10 major_event=10 single_parent=10 large_family=5
for c in $(sql "select id from difficulty_category where district_id is null order by id"); do set -- "$@" "cat_$c=$(sql "select points from difficulty_category where id=$c")"; done
postf "$JD" /settings/scoring "$@"
expect_status 303 "weights saved"
postf "$J" "/applications/$AID" "_csrf=$tok" action=save household_size=4 income=9600 housing=危房 \
	m0_name=张父 m0_relation=父亲 m0_age=45 m0_health=重病 m1_name=张母 m1_relation=母亲 m1_age=38 m1_income=9600 \
	"category=$CAT_DIBAO" "category=$CAT_OTHER" "programme=$P_NONBOARD" "reason=父亲重病，母亲务农" pledge_confirmed=1 pledge_signer=张母
check "score uses the new weight (90 + 10)" "$(sql "select score from application where id=$AID")" = 100
postf "$JD" /settings/scoring "_csrf=$dtok" income_below_1_fen=abc
expect_status 400 "bad weight refused"
contains "请填写金额" "bad weight explained"
done_tests
