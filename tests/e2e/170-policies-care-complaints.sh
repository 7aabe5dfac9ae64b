# Policies (hostile Markdown never reaches the page as script), cards for a
# class, one timeline for a student who changed schools across two years,
# and a complaint from filing to an on-time answer and into the counts.
. "$ROOT/tests/e2e/lib.sh"
mkid() { for c in 0 1 2 3 4 5 6 7 8 9 X; do if "$BIN" idcard "$1$c" >/dev/null 2>&1; then echo "$1$c"; return; fi; done; }
JA=$T/admin
login "$JA" xg_admin "$PW"
get "$JA" /policies/new
expect_status 200 "policy form"
tok=$(form_token)
MD='# 义务教育资助政策

**寄宿生**生活补助：小学每学期 625 元。

<script>alert(1)</script>
<img src=x onerror=alert(2)>
[点这里](javascript:alert(3))
<iframe src="https://evil.example"></iframe>'
postf "$JA" /policies "_csrf=$tok" "title=义务教育资助 <b>政策</b>" stage=primary "body_md=$MD" action=preview
expect_status 200 "preview"
contains "<strong>寄宿生</strong>" "Markdown rendered in the preview"
lacks "<script>alert(1)" "no script in the preview"
lacks "<img src=x onerror" "no event handler in the preview (only escaped in the text box)"
lacks 'href="javascript:' "no javascript link in the preview"
lacks "<iframe" "no iframe in the preview"
check "a preview saves nothing" "$(sql "select count(*) from policy")" = 0
postf "$JA" /policies "_csrf=$tok" "title=义务教育资助 <b>政策</b>" stage=primary "body_md=$MD" action=publish
expect_status 303 "published"
PID=$(sql "select id from policy order by id desc limit 1")
A=$T/anon
get "$A" /zhengce
expect_status 200 "public policy index without signing in"
contains "义务教育资助 &lt;b&gt;政策&lt;/b&gt;" "title escaped in the index"
get "$A" "/zhengce/$PID"
expect_status 200 "public policy page"
contains "<h1>义务教育资助政策</h1>" "heading rendered"
lacks "<script>alert(1)" "no script on the public page"
lacks "onerror=" "no event handler on the public page"
lacks "javascript:" "no javascript link on the public page"
lacks "<iframe" "no iframe on the public page"
postf "$JA" /policies "_csrf=$tok" title=草稿政策 stage=junior "body_md=草稿" action=save
D2=$(sql "select id from policy where title='草稿政策'")
get "$A" "/zhengce/$D2"
expect_status 404 "a draft is not public"
get "$JA" "/policies/card?stage=primary"
expect_status 200 "明白卡"
contains "学生资助政策明白卡（小学）" "card titled by 学段"
contains "<strong>寄宿生</strong>" "card carries the policy"
lacks "<script>alert(1)" "no script on the card"

# 告知卡 for a class: the approved awards of 西工区第二初级中学 (from 160) in 2026 autumn
TERM=$(sql "select id from term where code='2026-autumn'")
JO2=$T/officer2
login "$JO2" xg_officer2 "$PW"
NCARDS=$(sql "select count(distinct a.student_id) from award w join application a on a.id=w.application_id where w.school_id=(select id from org where code='4103030003') and w.term_id=$TERM and w.status='approved'")
get "$JO2" "/students/cards?term=$TERM"
expect_status 200 "告知卡 for the school"
check "one card per aided student ($NCARDS)" "$(grep -c '学生受助情况告知卡</h1>' "$T/body")" = "$NCARDS"
contains "375.00" "amount on the card"
contains "已发放到卡" "payment state on the card"
contains "家长签字" "signature line"
GR=$(sql "select s.grade || '|' || s.class_name from award w join application a on a.id=w.application_id join student s on s.id=a.student_id where w.school_id=(select id from org where code='4103030003') and w.term_id=$TERM and w.status='approved' limit 1")
G=${GR%|*}; C=${GR#*|}
NC=$(sql "select count(distinct a.student_id) from award w join application a on a.id=w.application_id join student s on s.id=a.student_id where w.school_id=(select id from org where code='4103030003') and w.term_id=$TERM and w.status='approved' and s.grade='$G' and s.class_name='$C'")
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$JO2" -G --data-urlencode "term=$TERM" --data-urlencode "grade=$G" --data-urlencode "class=$C" "$BASE/students/cards")
check "cards for one class only ($NC)" "$(grep -c '学生受助情况告知卡</h1>' "$T/body")" = "$NC"
J1=$T/officer1
login "$J1" xg_officer "$PW"
get "$J1" "/students/cards?term=$TERM"
lacks "375.00" "another school's officer gets none of these cards"

# one timeline across two schools and two years
ID=$(mkid 41030320130814122)
get "$J1" /students/new
t1=$(form_token)
postf "$J1" /students "_csrf=$t1" name=档案甲 gender=女 "idcard=$ID" stage=primary grade=六年级 class_name=1班
S1=$(sql "select id from student where idcard='$ID' and status='在读'")
sql "insert into application (student_id, school_id, school_year, status, household_size, income_fen, score, created_at) values ($S1, (select school_id from student where id=$S1), '2025-2026', 'approved', 3, 500000, 66, '2025-10-01T09:00:00')"
postf "$J1" "/students/$S1/care" "_csrf=$t1" kind=home_visit date=2025-11-02 "people=班主任王老师" "notes=家中房屋漏雨，已登记"
expect_status 303 "home visit recorded at the first school"
printf '%%PDF-1.4\n%% visit photo\n' > "$T/visit.pdf"
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$J1" -F "_csrf=$t1" -F kind=academic -F date=2026-03-10 -F "people=数学李老师" -F "notes=每周两次辅导" -F "file=@$T/visit.pdf" "$BASE/students/$S1/care")
expect_status 303 "academic help with an attachment"
{ cat "$T/visit.pdf"; head -c $((10 * 1024 * 1024)) /dev/zero; } > "$T/huge.pdf"
CR0=$(sql "select count(*) from care_record")
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$J1" -F "_csrf=$t1" -F kind=academic -F date=2026-03-11 -F "people=数学李老师" -F "notes=过大的附件" -F "file=@$T/huge.pdf" "$BASE/students/$S1/care")
expect_status 413 "an attachment over 10 MB is refused"
contains "最多 10 MB" "the limit named"
check "no care record without its attachment" "$(sql "select count(*) from care_record")" = "$CR0"
get "$J1" "/students/$S1/transfer"
postf "$J1" "/students/$S1/transfer" "_csrf=$t1" "school_id=$(sql "select id from org where code='4103030003'")" stage=junior grade=七年级 class_name=2班
S2=$(sql "select id from student where idcard='$ID' and status='在读'")
postf "$JO2" "/students/$S2/care" "_csrf=$(get "$JO2" "/students/$S2/archive"; form_token)" kind=psych date=2026-10-20 "people=心理老师" "notes=适应新学校良好"
expect_status 303 "care record at the new school"
get "$JO2" "/students/$S2/archive"
expect_status 200 "archive at the new school"
contains "西工区实验小学" "the first school on the timeline"
contains "西工区第二初级中学" "the second school on the timeline"
contains "2025-2026 学年申请" "last year's application"
contains "家访" "the home visit from the first school"
contains "学业帮扶" "academic help"
contains "心理关爱" "care at the new school"
contains "（转入）" "the transfer"
F=$(sql "select f.id from care_attachment f join care_record c on c.id=f.care_id where c.student_id=$S1")
contains "/care-files/$F" "attachment linked"
CODE=$(curl -s -o "$T/got.pdf" -w '%{http_code}' -b "$JO2" "$BASE/care-files/$F")
check "attachment readable by the new school" "$(cmp -s "$T/got.pdf" "$T/visit.pdf" && echo same)" = same
CODE=$(curl -s -o "$T/a.csv" -w '%{http_code}' -b "$JO2" "$BASE/students/$S2/archive.csv")
expect_status 200 "archive export"
check "export has the events of both schools" "$(grep -c '西工区' "$T/a.csv")" -ge 4
check "export audited" "$(sql "select count(*) from audit_log where action='archive.export' and entity_id=$S2")" = 1
JL=$T/ll
login "$JL" ll_officer "$PW"
get "$JL" "/students/$S2/archive"
expect_status 404 "another district's officer cannot open the archive"
get "$JL" "/care-files/$F"
expect_status 404 "nor the attachment"

# a complaint: filed, assigned, answered on time, counted
get "$A" /tousu
expect_status 200 "complaint form"
ctok=$(form_token)
SCH=$(sql "select id from org where code='4103030002'")
postf "$A" /tousu "_csrf=$ctok" "org_id=$SCH" "content=<script>x</script> 某生家庭条件好却获资助" contact=13700000000
expect_status 200 "complaint filed"
CODE_=$(sed -n 's/.*<strong class="mono">\([A-Z0-9]*\)<\/strong>.*/\1/p' "$T/body")
check "a 12-character tracking number" "${#CODE_}" = 12
check "due in 15 days" "$(sql "select deadline from complaint where code='$CODE_'")" = "$(date -d '+15 days' +%F)"
get "$A" "/tousu/cha?code=$CODE_"
contains "办理中" "complainant sees it is being handled"
lacks "13700000000" "contact not shown back"
get "$A" "/tousu/cha?code=NOSUCHCODE12"
contains "没有这个编号" "unknown number"
CID=$(sql "select id from complaint where code='$CODE_'")
check "a complaint about a school goes to its district, not to the school" "$(sql "select o.kind from complaint c join org o on o.id=c.org_id where c.id=$CID")" = district
check "the school concerned is named in it" -n "$(sql "select 1 from complaint where id=$CID and content like '【涉及学校：西工区实验小学】%'")"
get "$J1" "/complaints/$CID"
expect_status 404 "the school complained about does not see it"
get "$JO2" "/complaints/$CID"
expect_status 404 "nor another school"
get "$JA" /complaints
contains "$CODE_" "the district sees it"
contains "&lt;script&gt;" "content escaped"
get "$JA" "/complaints/$CID"
contains "13700000000" "the district sees the contact"
atok2=$(form_token)
postf "$JA" "/complaints/$CID/answer" "_csrf=$atok2" "answer=经核实，该生家庭确属困难，认定无误。"
expect_status 303 "answered"
postf "$JA" "/complaints/$CID/answer" "_csrf=$atok2" "answer=again"
expect_status 409 "answered once"
postf "$JA" "/complaints/$CID/assign" "_csrf=$atok2" "org_id=$SCH"
expect_status 409 "an answered complaint is not reassigned"
get "$A" "/tousu/cha?code=$(echo "$CODE_" | tr 'A-Z' 'a-z')"
contains "经核实，该生家庭确属困难" "the complainant reads the answer (code case-insensitive)"
# one more, left past its deadline: counted as overdue; the on-time share is 1 of 2
postf "$A" /tousu "_csrf=$ctok" "org_id=$SCH" "content=第二件"
sql "update complaint set deadline = date('now', '-1 day'), created_at = datetime('now', '-20 days') where content like '%第二件'"
get "$JA" /complaints
contains "已超期" "overdue one flagged"
contains "50.0%" "按时办结率 = 1 on time of 2 due"
done_tests
