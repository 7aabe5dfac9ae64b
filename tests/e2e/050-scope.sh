# Users see only what is under their node: an officer of school A gets
# nothing of school B, a district nothing of another district.
. "$ROOT/tests/e2e/lib.sh"
A=$(sql "select id from org where code='4103030002'")      # 西工区实验小学
B=$(sql "select id from org where code='4103030003'")      # 西工区第二初级中学
C=$(sql "select id from org where code='4103110001'")      # 洛龙区关林小学
SA=$(sql "select id from student where school_id=$A limit 1")
SB=$(sql "select id from student where school_id=$B limit 1")
SC=$(sql "select id from student where school_id=$C limit 1")
NA=$(sql "select count(*) from student where school_id=$A")
NB=$(sql "select name from student where school_id=$B limit 1")

J=$T/officer
login "$J" xg_officer "$PW"
get "$J" "/students/$SA"
expect_status 200 "officer reads own student"
get "$J" "/students/$SB"
expect_status 404 "officer of A gets nothing of school B"
lacks "$NB" "no name of B's student"
get "$J" "/students/$SC"
expect_status 404 "officer of A gets nothing of another district"
get "$J" "/schools/$B"
expect_status 404 "officer cannot open school B"
get "$J" "/schools/$A"
expect_status 200 "officer opens own school"
get "$J" /schools
expect_status 403 "schools list is for district and city"
get "$J" /admin/audit
expect_status 403 "officer cannot read the audit log"
get "$J" "/students?page=1"
contains "共 $NA 条" "roster lists exactly the own school's students"
# the list masks 身份证号: first 6 + 8 stars + last 4
full=$(sql "select idcard from student where id=$SA")
get "$J" "/students/$SA"
lacks "$full" "whole 身份证号 not shown"
contains "$(echo "$full" | cut -c1-6)********$(echo "$full" | cut -c15-18)" "masked 身份证号 shown"
phone=$(sql "select phone from student where id=$SA")
lacks "$phone" "whole phone not shown"
acct=$(sql "select account_no from student where id=$SA")
lacks "$acct" "whole account number not shown"
# searching by the full number of another school's student finds nothing
idb=$(sql "select idcard from student where id=$SB")
get "$J" "/students?q=$idb"
contains "共 0 条" "search does not reach into school B"

J=$T/committee
login "$J" xg_committee "$PW"
get "$J" /students
expect_status 403 "committee members do not browse the roster"
get "$J" "/students/$SA"
expect_status 403 "committee members do not open student files"

J=$T/district
login "$J" xg_admin "$PW"
get "$J" "/students/$SB"
expect_status 200 "district reads its schools' students"
get "$J" "/students/$SC"
expect_status 404 "district gets nothing of another district"
get "$J" "/schools/$C"
expect_status 404 "district cannot open another district's school"
get "$J" /schools
lacks "关林小学" "district's school list has only its schools"
contains "西工区第二初级中学" "district's school list has its schools"
get "$J" /admin/audit
expect_status 200 "district admin reads the audit log"
lacks "ll_admin" "audit log shows only own district's rows"

J=$T/reviewer
login "$J" xg_reviewer "$PW"
get "$J" /admin/audit
expect_status 403 "reviewer cannot read the audit log"
get "$J" /admin/users
expect_status 403 "reviewer cannot manage users"

J=$T/city
login "$J" city_viewer "$PW"
get "$J" "/students/$SC"
expect_status 200 "city reads any district's student"
get "$J" "/students?page=1"
contains "共 $(sql 'select count(*) from student') 条" "city sees every student"
done_tests
