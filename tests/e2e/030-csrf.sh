# Every state-changing form needs the right token; nothing is saved without it.
. "$ROOT/tests/e2e/lib.sh"
J=$T/jar
login "$J" xg_admin "$PW"
get "$J" /admin/users/new
tok=$(form_token)
check "form carries a 64-hex token" -n "$(echo "$tok" | grep -E '^[0-9a-f]{64}$')"
before=$(sql "select count(*) from user")

postf "$J" /admin/users username=csrf_one display_name=甲 role=school_officer org_id=5 password=abcd-1234
expect_status 403 "no token"
contains "页面已过期" "403 explains in Chinese"
postf "$J" /admin/users "_csrf=$(printf '0%.0s' $(seq 64))" username=csrf_two display_name=乙 role=school_officer org_id=5 password=abcd-1234
expect_status 403 "wrong token"
# another user's token is not this user's
J2=$T/jar2
login "$J2" ll_admin "$PW"
get "$J2" /admin/users/new
tok2=$(form_token)
postf "$J" /admin/users "_csrf=$tok2" username=csrf_three display_name=丙 role=school_officer org_id=5 password=abcd-1234
expect_status 403 "another session's token"
check "nothing saved by refused posts" "$(sql "select count(*) from user")" = "$before"

postf "$J" /logout "x=1"
expect_status 403 "sign-out needs the token too"
get "$J" /
expect_status 200 "still signed in after a refused sign-out"

# the sign-in form: token must match the pre-session cookie
J3=$T/jar3
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -c "$J3" --data-urlencode username=xg_admin --data-urlencode "password=$PW" "$BASE/login")
expect_status 403 "sign-in without the pre-session token"
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "zz_pre=$(printf 'b%.0s' $(seq 64))" --data-urlencode "_csrf=$(printf 'c%.0s' $(seq 64))" --data-urlencode username=xg_admin --data-urlencode "password=$PW" "$BASE/login")
expect_status 403 "sign-in with a token not matching the cookie"

# with the token it works
postf "$J" /admin/users "_csrf=$tok" username=csrf_ok display_name=丁 role=school_officer org_id=5 password=abcd-1234
expect_status 303 "with the token the user is created"
check "one user added" "$(sql "select count(*) from user")" = "$((before + 1))"
done_tests
