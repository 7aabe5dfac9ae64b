# Change of password: rules explained, other sessions signed out, audited.
. "$ROOT/tests/e2e/lib.sh"
echo 'old-pass-2025' | "$BIN" user add --db "$DB" --username pw_user --name 改密测试 --role school_officer --org 4103030002 >/dev/null
J=$T/jar
J2=$T/other
login "$J" pw_user old-pass-2025
login "$J2" pw_user old-pass-2025
get "$J" /account/password
expect_status 200 "password form"
tok=$(form_token)

postf "$J" /account/password "_csrf=$tok" old_password=wrong-pass-1 new_password=new-pass-2026 new_password2=new-pass-2026
expect_status 400 "wrong current password"
contains "当前密码不正确" "says the current password is wrong"
postf "$J" /account/password "_csrf=$tok" old_password=old-pass-2025 new_password=short new_password2=short
expect_status 400 "too short"
contains "至少需要 8 个字符" "says how long"
postf "$J" /account/password "_csrf=$tok" old_password=old-pass-2025 new_password=abcdefghij new_password2=abcdefghij
contains "至少两类" "says which kinds of characters"
postf "$J" /account/password "_csrf=$tok" old_password=old-pass-2025 new_password=new-pass-2026 new_password2=new-pass-2027
contains "两次输入的新密码不一致" "says the two differ"
check "nothing changed by refused attempts" "$(sql "select count(*) from audit_log where action='auth.password'")" = 0

postf "$J" /account/password "_csrf=$tok" old_password=old-pass-2025 new_password=new-pass-2026 new_password2=new-pass-2026
expect_status 303 "password changed"
get "$J" /
contains "密码已修改" "confirmation shown"
get "$J2" /
expect_status 303 "the other session is signed out"
check "audit row for the change" "$(sql "select count(*) from audit_log a join user u on u.id=a.user_id where a.action='auth.password' and u.username='pw_user'")" = 1
check "no password hash in the audit log" "$(sql "select count(*) from audit_log where after_json like '%argon2%' or before_json like '%argon2%'")" = 0
check "hash is argon2id" -n "$(sql "select password_hash from user where username='pw_user'" | grep '^\$argon2id\$')"
J3=$T/new
login "$J3" pw_user old-pass-2025
expect_status 401 "old password no longer works"
login "$J3" pw_user new-pass-2026
expect_status 303 "new password works"
done_tests
