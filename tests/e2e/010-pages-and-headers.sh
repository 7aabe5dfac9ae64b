# Static files from nginx, security headers, error pages in Chinese.
. "$ROOT/tests/e2e/lib.sh"
J=$T/jar

get "$J" /static/css/zizhu.css
expect_status 200 "stylesheet served by nginx"
check "stylesheet is text/css" "$(header Content-Type | cut -d';' -f1)" = "text/css"

get "$J" /login
expect_status 200 "sign-in page"
contains "<html lang=\"zh-CN\">" "page declares Chinese"
contains "用户名" "sign-in form has a user name field"
contains 'name="_csrf"' "sign-in form carries a token"
check "CSP forbids inline script" -n "$(header Content-Security-Policy | grep "script-src 'self'")"
check "CSP forbids framing" -n "$(header Content-Security-Policy | grep "frame-ancestors 'none'")"
check "nosniff" "$(header X-Content-Type-Options)" = "nosniff"
check "referrer policy" "$(header Referrer-Policy)" = "same-origin"
check "pre-session cookie is HttpOnly" -n "$(header Set-Cookie | grep HttpOnly)"
check "pre-session cookie is SameSite" -n "$(header Set-Cookie | grep SameSite=Lax)"
check "no inline script in the page" -z "$(grep -E '<script>|<script [^s]|onclick=|onload=' "$T/body")"

get "$J" /no/such/page
expect_status 404 "unknown page"
contains "页面不存在" "404 page says so in Chinese"

get "$J" /healthz
expect_status 200 "health check"

# a GET-only page posted to
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -X POST "$BASE/healthz")
expect_status 405 "wrong method"
contains "不支持" "405 explains in Chinese"

# nginx does not serve the sources through /static
CODE=$(curl -s -o "$T/body" -w '%{http_code}' --path-as-is "$BASE/static/../src/main.c")
check "no path traversal out of static/ (got $CODE)" "$CODE" != 200
lacks "int main" "source not served"

# signed-out visitors are sent to the sign-in page, keeping where they wanted to go
CODE=$(curl -s -o /dev/null -D "$T/head" -w '%{http_code}' "$BASE/students?q=1")
expect_status 303 "protected page redirects"
check "redirect goes to /login with next" -n "$(header Location | grep '^/login?next=%2Fstudents')"

done_tests
