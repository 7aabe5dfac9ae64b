# Hostile and malformed input: every answer escapes or refuses, in Chinese,
# and the daemon keeps serving.
. "$ROOT/tests/e2e/lib.sh"
J=$T/jar
login "$J" xg_officer "$PW"
for q in '<script>alert(1)</script>' "' OR 1=1 --" 'foo+bar' 'with space' '😀𠀀' '"><img src=x onerror=alert(1)>' ''; do
	CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$J" -G --data-urlencode "q=$q" "$BASE/students")
	expect_status 200 "search with [$q]"
	lacks "<script>alert(1)" "script not reflected raw"
	lacks '<img src=x' "tag not reflected raw"
done
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$J" -G --data-urlencode "q=<script>alert(1)</script>" "$BASE/students")
contains "&lt;script&gt;alert(1)&lt;/script&gt;" "search term echoed escaped"
# GB18030 bytes are not UTF-8: a clear refusal
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$J" "$BASE/students?q=%D6%D0%CE%C4")
expect_status 400 "GB18030 in a query"
contains "UTF-8" "says the text is not UTF-8"
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$J" "$BASE/students?q=%zz")
expect_status 400 "broken escape"
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$J" "$BASE/students?q=%00")
expect_status 400 "NUL byte"
# a huge query value: refused by nginx or the daemon, never a crash
big=$(head -c 100000 /dev/zero | tr '\0' 'a')
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$J" "$BASE/students?q=$big")
check "huge query refused (got $CODE)" "$CODE" -ge 400 -a "$CODE" -lt 500
# a body over nginx's limit
head -c 21000000 /dev/zero > "$T/big"
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$J" -H 'Content-Type: application/octet-stream' --data-binary "@$T/big" "$BASE/account/password")
expect_status 413 "oversized body"
# malformed multipart
printf -- '--XYZ\r\nContent-Disposition: form-data; name="a"\r\n\r\nunterminated' > "$T/mp"
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$J" -H 'Content-Type: multipart/form-data; boundary=XYZ' --data-binary "@$T/mp" "$BASE/account/password")
expect_status 400 "multipart without its final boundary"
contains "返回首页" "400 page offers a way on"
# an unknown body type
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$J" -H 'Content-Type: text/xml' --data '<a/>' "$BASE/account/password")
expect_status 400 "unsupported body type"
# header injection through next=
J2=$T/jar2
login "$J2" xg_officer "$PW" "$(printf '/x\r\nSet-Cookie: evil=1')"
check "no injected header" -z "$(grep -i '^Set-Cookie: evil' "$T/head")"
check "injected next falls back home" "$(header Location)" = "/"
# bad ids in paths
for p in /students/0 /students/-1 /students/99999999999999999999 /students/abc "/students/1%2F..%2F2"; do
	get "$J" "$p"
	check "$p is 404 (got $CODE)" "$CODE" = 404
done
# a long field over its declared length
get "$J" /account/password
tok=$(form_token)
postf "$J" /account/password "_csrf=$tok" "old_password=$(head -c 300 /dev/zero | tr '\0' x)" new_password=a new_password2=a
expect_status 400 "over-long field refused"
contains "内容过长" "says the field is too long"
# still serving
get "$J" /
expect_status 200 "daemon still serves after all that"
done_tests
