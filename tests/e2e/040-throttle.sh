# Repeated failed sign-ins pause that user name; other users are unaffected.
. "$ROOT/tests/e2e/lib.sh"
echo 'thr-pass-2025' | "$BIN" user add --db "$DB" --username thr_user --name 节流测试 --role school_officer --org 4103030002 >/dev/null
echo 'thr-pass-2025' | "$BIN" user add --db "$DB" --username thr_other --name 节流对照 --role school_officer --org 4103030002 >/dev/null
J=$T/jar
for i in 1 2 3 4 5; do
	login "$J" thr_user "wrong-$i"
	expect_status 401 "failure $i"
done
login "$J" thr_user "thr-pass-2025"
expect_status 429 "the right password is refused while paused"
contains "登录失败次数过多" "pause explained in Chinese"
contains "分钟后再试" "says when to try again"
check "no session while paused" -z "$(header Set-Cookie | grep 'zz_session=[0-9a-f]')"
login "$J" THR_USER "thr-pass-2025"
expect_status 429 "user name case does not get around the pause"
J2=$T/jar2
login "$J2" thr_other "thr-pass-2025"
expect_status 303 "another user signs in meanwhile"
# once the window has passed (moved back in the database) the user may sign in
sql "update login_attempt set at = at - 3600 where username = 'thr_user'"
login "$J" thr_user "thr-pass-2025"
expect_status 303 "signs in after the pause"
done_tests
