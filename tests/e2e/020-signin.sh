# Each demo user signs in and lands on a home page that fits the role;
# wrong passwords, sign-out, session fixation, open redirects.
. "$ROOT/tests/e2e/lib.sh"

home_has() { # user marker...
	u=$1
	shift
	J=$T/jar-$u
	login "$J" "$u" "$PW"
	expect_status 303 "$u signs in"
	check "$u is sent home" "$(header Location)" = "/"
	check "$u gets a session cookie" -n "$(header Set-Cookie | grep 'zz_session=' | grep HttpOnly)"
	get "$J" /
	expect_status 200 "$u home page"
	for m in "$@"; do contains "$m" "$u home"; done
}
home_has city_viewer "洛阳市" "各区概况" "西工区" "洛龙区"
home_has xg_admin "西工区" "本区学校" "用户管理" "审计日志" "西工区实验小学"
home_has xg_reviewer "西工区" "本区学校" "西工区实验小学"
home_has xg_officer "西工区实验小学" "各年级在读学生" "学生名册"
home_has xg_committee "西工区实验小学" "评议小组成员"
home_has ll_officer "洛龙区关林小学"

# a reviewer has no admin links, an officer no other schools
J=$T/jar-xg_reviewer
get "$J" /
lacks "/admin/users" "reviewer sees no user admin"
J=$T/jar-xg_officer
get "$J" /
lacks "关林小学" "officer sees no other district's school"

# wrong password: 401, a Chinese message, no session
J=$T/jar-wrong
login "$J" xg_officer "not-the-password"
expect_status 401 "wrong password refused"
contains "用户名或密码不正确" "wrong password message"
check "no session for a wrong password" -z "$(header Set-Cookie | grep 'zz_session=[0-9a-f]')"
login "$J" nosuchuser "whatever-123"
expect_status 401 "unknown user refused the same way"
contains "用户名或密码不正确" "unknown user gets the same message"
login "$J" "" ""
expect_status 400 "empty sign-in"
contains "请填写用户名和密码" "empty sign-in message"

# sign-out ends the session on the server: the old cookie no longer works
J=$T/jar-out
login "$J" xg_reviewer "$PW"
cp "$J" "$T/stolen"
get "$J" /
tok=$(form_token)
postf "$J" /logout "_csrf=$tok"
expect_status 303 "sign-out"
check "sign-out goes to sign-in" "$(header Location)" = "/login"
get "$T/stolen" /
expect_status 303 "old session cookie is dead after sign-out"

# session fixation: a session cookie planted before sign-in is not kept
J=$T/jar-fix
printf '127.0.0.1\tFALSE\t/\tFALSE\t0\tzz_session\t%s\n' "$(printf 'a%.0s' $(seq 64))" > "$J"
login "$J" xg_officer "$PW"
newtok=$(grep zz_session "$J" | awk '{print $7}')
check "a new session token is issued at sign-in" "$newtok" != "$(printf 'a%.0s' $(seq 64))"
check "session token is 64 hex" -n "$(echo "$newtok" | grep -E '^[0-9a-f]{64}$')"
check "the database keeps only a hash of the token" "$(sql "select count(*) from session where token_hash = '$newtok'")" = 0

# next= is followed only to local paths
J=$T/jar-next
login "$J" xg_officer "$PW" "/students"
check "next to a local page" "$(header Location)" = "/students"
J=$T/jar-next2
login "$J" xg_officer "$PW" "//evil.example/"
check "next to another host refused" "$(header Location)" = "/"
J=$T/jar-next3
login "$J" xg_officer "$PW" "https://evil.example/"
check "absolute next refused" "$(header Location)" = "/"

J=$T/jar-next4
login "$J" xg_officer "$PW" "$(printf '/\t/evil.example/')"
check "a tab in next cannot lead off the site" "$(header Location)" = "/"
J=$T/jar-next5
login "$J" xg_officer "$PW" '/\evil.example/'
check "a backslash in next cannot lead off the site" "$(header Location)" = "/"
# after a timeout the page asked for comes back with its query string
CODE=$(curl -s -o /dev/null -D "$T/head" -w '%{http_code}' "$BASE/students?q=%E7%8E%8B&page=2")
check "next keeps the query string" -n "$(header Location | grep 'next=%2Fstudents%3Fq%3D%25E7%258E%258B%26page%3D2')"

# the sign-in is audited
check "sign-in written to the audit log" "$(sql "select count(*) from audit_log where action='auth.signin'")" -ge 6

done_tests
