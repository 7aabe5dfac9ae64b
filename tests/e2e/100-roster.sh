# The school officer's roster: add and edit a student with every rule
# explained beside its field, the same 身份证号 refused in one school and
# flagged (双学籍) across schools, transfer, year-end promotion.
. "$ROOT/tests/e2e/lib.sh"
# valid numbers: 17 digits + check character
mkid() { "$BIN" idcard "$1"0 >/dev/null 2>&1; for c in 0 1 2 3 4 5 6 7 8 9 X; do if "$BIN" idcard "$1$c" >/dev/null 2>&1; then echo "$1$c"; return; fi; done; }
ID1=$(mkid 41030320150304211)   # male (17th digit odd)
ID2=$(mkid 41030320140506122)   # female
check "made valid test numbers" -n "$ID1" -a -n "$ID2"
J=$T/officer
login "$J" xg_officer "$PW"
get "$J" /students/new
expect_status 200 "new student form"
tok=$(form_token)

# everything wrong at once: every field says what to fix, the values stay
postf "$J" /students "_csrf=$tok" "name=<script>alert(1)</script>" gender=女 "idcard=${ID1%?}9" stage=小学 grade= class_name=2班 boarding=1 phone=12ab account_no=123
expect_status 400 "bad student refused"
contains "校验位" "bad 身份证号 explained"
contains "请填写年级" "missing grade explained"
contains "联系电话只能填数字" "bad phone explained"
contains "账号应为 8-30 位数字" "bad account explained"
contains "&lt;script&gt;alert(1)&lt;/script&gt;" "typed name kept (escaped)"
lacks "<script>alert(1)" "typed name not raw"
contains "value=\"2班\"" "typed class kept"
check "nothing saved" "$(sql "select count(*) from student where idcard like '${ID1%?}%'")" = 0

# gender must agree with the 17th digit
postf "$J" /students "_csrf=$tok" name=测试甲 gender=女 "idcard=$ID1" stage=primary grade=三年级 class_name=2班
contains "性别与身份证号第 17 位不一致" "gender checked against the number"

# a good one (lower-case x and spaces are normalised)
postf "$J" /students "_csrf=$tok" "name=王 小明" gender=男 "idcard= $ID1 " stage=primary grade=三年级 class_name=2班 boarding=0 hukou=农村 guardian=王大 phone=13800001111 account_type=社保卡 account_no=6217000011112222333 bank=中国农业银行
expect_status 303 "student created"
SID=$(sql "select id from student where idcard='$ID1'")
check "student stored once" -n "$SID"
check "created with stage code" "$(sql "select stage from student where id=$SID")" = primary
check "audit row for the creation" "$(sql "select count(*) from audit_log where action='student.create' and entity_id=$SID")" = 1
get "$J" "/students/$SID"
expect_status 200 "student page"
contains "王 小明" "name shown"
lacks "$ID1" "full number not shown"
lacks "6217000011112222333" "full account not shown"
contains "学生信息已保存" "confirmation shown"

# the same number again in this school is refused
postf "$J" /students "_csrf=$tok" name=重复 gender=男 "idcard=$ID1" stage=primary grade=四年级 class_name=1班
expect_status 400 "same 身份证号 twice in one school"
contains "本校名册中已有这个身份证号" "duplicate explained"

# edit
get "$J" "/students/$SID/edit"
expect_status 200 "edit form"
contains "value=\"$ID1\"" "edit form has the number to correct"
postf "$J" "/students/$SID" "_csrf=$tok" "name=王小明" gender=男 "idcard=$ID1" stage=primary grade=三年级 class_name=3班 boarding=1
expect_status 303 "student updated"
check "class changed" "$(sql "select class_name from student where id=$SID")" = 3班
check "audit keeps before and after" "$(sql "select count(*) from audit_log where action='student.update' and entity_id=$SID and before_json like '%2班%' and after_json like '%3班%'")" = 1

# the district reads the change in the audit log, with the numbers masked
JA=$T/admin
login "$JA" xg_admin "$PW"
get "$JA" "/admin/audit?action=student.update"
contains "3班" "audit log shows the change"
lacks "$ID1" "audit log does not show the whole 身份证号"
lacks "6217000011112222333" "audit log does not show the whole account"

# another officer, another school, cannot see or edit it
J2=$T/officer2
login "$J2" xg_officer2 "$PW"
get "$J2" "/students/$SID"
expect_status 404 "other school's officer cannot open it"
get "$J2" "/students/$SID/edit"
expect_status 404 "nor edit it"
get "$J2" /students/new
tok2=$(form_token)
postf "$J2" "/students/$SID" "_csrf=$tok2" name=篡改 gender=男 "idcard=$ID1" stage=primary grade=三年级 class_name=3班
expect_status 404 "nor post to it"
check "not changed by the other officer" "$(sql "select name from student where id=$SID")" = 王小明

# 双学籍: the other school enrols the same number: allowed, flagged on both sides and for the district
postf "$J2" /students "_csrf=$tok2" name=王小明 gender=男 "idcard=$ID1" stage=junior grade=七年级 class_name=1班
expect_status 303 "same number at another school is accepted"
get "$J" "/students/$SID"
contains "双学籍" "officer sees the 双学籍 flag"
get "$J" /students/dual
contains "王小明" "dual list of the officer shows the student"
contains "其他区（县）或学校" "but does not name a school outside the officer's scope"
JD=$T/district
login "$JD" xg_admin "$PW"
get "$JD" /students/dual
contains "王小明" "district sees the 双学籍 case"
contains "西工区第二初级中学" "district sees both of its schools named"

# filters
get "$J" "/students?grade=%E4%B8%89%E5%B9%B4%E7%BA%A7&class=3%E7%8F%AD"
contains "王小明" "filter by grade and class finds the student"
get "$J" "/students?grade=%E5%85%AD%E5%B9%B4%E7%BA%A7"
lacks "王小明" "filter by another grade leaves the student out"

# transfer to the junior school: keeps history by 身份证号
postf "$J" /students "_csrf=$tok" name=李转学 gender=女 "idcard=$ID2" stage=primary grade=六年级 class_name=1班
TID=$(sql "select id from student where idcard='$ID2'")
get "$J" "/students/$TID/transfer"
expect_status 200 "transfer form"
DEST=$(sql "select id from org where code='4103110001'")
postf "$J" "/students/$TID/transfer" "_csrf=$tok" "school_id=$DEST" stage=primary grade=六年级 class_name=2班
expect_status 303 "transferred"
check "old enrolment marked 转出" "$(sql "select status from student where id=$TID")" = 转出
check "new enrolment at the other school" "$(sql "select count(*) from student where idcard='$ID2' and school_id=$DEST and status='在读' and transferred_from=$TID")" = 1
check "transfer audited on both sides" "$(sql "select count(*) from audit_log where action like 'student.transfer%'")" -ge 2
get "$J" "/students/$TID/edit"
expect_status 409 "a transferred-out student can no longer be edited"
J3=$T/ll
login "$J3" ll_officer "$PW"
NID=$(sql "select id from student where idcard='$ID2' and school_id=$DEST")
get "$J3" "/students/$NID"
expect_status 200 "the receiving school sees the student"
# and can send the child back: a school may enrol a child it once had
get "$J3" "/students/$NID/transfer"
tok3=$(form_token)
postf "$J3" "/students/$NID/transfer" "_csrf=$tok3" "school_id=$(sql "select id from org where code='4103030002'")" stage=primary grade=六年级 class_name=1班
expect_status 303 "transferred back to the first school"
check "enrolled again at the first school" "$(sql "select count(*) from student where idcard='$ID2' and school_id=(select id from org where code='4103030002') and status='在读'")" = 1
get "$J3" "/students/$NID"
contains "西工区实验小学" "with the earlier enrolment in the history (transferred in)"
# an officer who merely types a known number learns nothing of other schools
get "$J2" /students/new
tok2=$(form_token)
postf "$J2" /students "_csrf=$tok2" name=测试查询 gender=女 "idcard=$ID2" stage=junior grade=七年级 class_name=1班
QID=$(sql "select id from student where idcard='$ID2' and school_id=(select id from org where code='4103030003')")
get "$J2" "/students/$QID"
lacks "关林小学" "no school name of an unrelated enrolment"
lacks "六年级" "no grade of an unrelated enrolment"

# promotion: everyone up one grade, the top grade graduates, only once
before6=$(sql "select count(*) from student where school_id=(select id from org where code='4103030002') and status='在读' and grade='六年级'")
before5=$(sql "select count(*) from student where school_id=(select id from org where code='4103030002') and status='在读' and grade='五年级'")
get "$J" /roster/promote
expect_status 200 "promotion preview"
contains "毕业" "preview shows who graduates"
year=$(sed -n 's/.*name="year" value="\([0-9-]*\)".*/\1/p' "$T/body")
postf "$J" /roster/promote "_csrf=$tok" "year=$year"
expect_status 303 "promoted"
check "六年级 graduated" "$(sql "select count(*) from student where school_id=(select id from org where code='4103030002') and status='毕业' and grade='六年级'")" = "$before6"
check "五年级 became 六年级" "$(sql "select count(*) from student where school_id=(select id from org where code='4103030002') and status='在读' and grade='六年级'")" = "$before5"
check "王小明 now in 四年级" "$(sql "select grade from student where id=$SID")" = 四年级
check "promotion audited" "$(sql "select count(*) from audit_log where action='roster.promote'")" = 1
postf "$J" /roster/promote "_csrf=$tok" "year=$year"
expect_status 409 "a second promotion in the same year is refused"
check "王小明 still in 四年级" "$(sql "select grade from student where id=$SID")" = 四年级
done_tests
