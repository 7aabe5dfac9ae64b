# A district admin creates users inside the district only; every change is
# in the audit log with before/after, and hostile text comes back escaped.
. "$ROOT/tests/e2e/lib.sh"
J=$T/jar
login "$J" xg_admin "$PW"
get "$J" /admin/users/new
tok=$(form_token)
A=$(sql "select id from org where code='4103030002'")
C=$(sql "select id from org where code='4103110001'")
XSS='<script>alert(1)</script>'

postf "$J" /admin/users "_csrf=$tok" username=new_officer "display_name=$XSS" role=school_officer "org_id=$A" password=first-pass-1
expect_status 303 "user created"
get "$J" /admin/users
contains "new_officer" "new user listed"
lacks "$XSS" "name not output raw"
contains "&lt;script&gt;alert(1)&lt;/script&gt;" "name escaped"
check "audit row with the after value" "$(sql "select count(*) from audit_log where action='user.create' and after_json like '%new_officer%' and username='xg_admin'")" = 1
get "$J" "/admin/audit?action=user.create"
expect_status 200 "audit page filtered"
contains "new_officer" "audit page shows the creation"
lacks "$XSS" "audit page escapes the stored JSON"

n=$(sql "select count(*) from user")
postf "$J" /admin/users "_csrf=$tok" username=sneaky display_name=越权 role=school_officer "org_id=$C" password=first-pass-1
expect_status 400 "a school of another district is refused"
contains "请选择本区或本区内的学校" "says which orgs are allowed"
postf "$J" /admin/users "_csrf=$tok" username=wrongkind display_name=错配 role=district_reviewer "org_id=$A" password=first-pass-1
expect_status 400 "a district role at a school is refused"
postf "$J" /admin/users "_csrf=$tok" username=new_officer display_name=重名 role=school_officer "org_id=$A" password=first-pass-1
contains "该用户名已被使用" "duplicate user name refused"
postf "$J" /admin/users "_csrf=$tok" "username=' OR 1=1 --" display_name=注入 role=school_officer "org_id=$A" password=first-pass-1
expect_status 400 "odd user name refused"
contains "3-32 位英文字母" "user name rule explained"
postf "$J" /admin/users "_csrf=$tok" username=notanint display_name=数字 role=school_officer "org_id=abc" password=first-pass-1
expect_status 400 "non-integer org refused before the handler"
contains "应为整数" "says the field must be a number"
check "no user added by refused posts" "$(sql "select count(*) from user")" = "$n"
# values typed are kept in the form after an error
postf "$J" /admin/users "_csrf=$tok" username=keep_me display_name=保留 role=school_officer "org_id=$A" password=short
contains 'value="keep_me"' "typed user name kept"
contains "至少需要 8 个字符" "password rule shown next to the field"

# the audit trail cannot be edited
sql "update audit_log set action='x' where id=1" 2>"$T/err"
check "audit_log refuses updates" -n "$(grep append-only "$T/err")"
sql "delete from audit_log" 2>"$T/err"
check "audit_log refuses deletes" -n "$(grep append-only "$T/err")"
done_tests
