# A short run of the daemon under valgrind: sign-in pages, a failed and a
# good sign-in, lists, a form refused, public pages, an import preview and
# an export, all through nginx-free FastCGI to one worker; then a clean
# stop. valgrind must report no error and nothing definitely lost.
. "$ROOT/tests/e2e/lib.sh"
if nm "$BIN" 2>/dev/null | grep -q __asan_init; then
	# valgrind cannot run an AddressSanitizer binary; `make check` runs this
	echo "skipped under AddressSanitizer (valgrind runs in make check)"
	done_tests
	exit 0
fi
R=$T/vg
mkdir -p "$R"
cp "$DB" "$R/db"
# JSON from malloc, not from the per-request block, so that valgrind sees
# every JSON value and would report one never freed
ZIZHU_JSON_ARENA=0 valgrind --trace-children=yes --leak-check=full --errors-for-leak-kinds=definite \
	--error-exitcode=99 --log-file="$R/vg.%p.log" \
	"$BIN" serve --db "$R/db" --socket "$R/s.sock" --workers 1 --templates "$ROOT/templates" 2>"$R/log" &
M=$!
i=0; while [ ! -S "$R/s.sock" ] && [ $i -lt 400 ]; do sleep 0.1; i=$((i+1)); done
check "daemon under valgrind listening" -S "$R/s.sock"
fcgi() { # method uri [body] [cookie]
	printf '%s' "${3:-}" > "$R/in"
	env -i REQUEST_METHOD="$1" DOCUMENT_URI="${2%%\?*}" QUERY_STRING="$(echo "$2" | sed -n 's/^[^?]*?//p')" \
		CONTENT_TYPE=application/x-www-form-urlencoded CONTENT_LENGTH="$(wc -c < "$R/in")" \
		REMOTE_ADDR=127.0.0.5 HTTP_COOKIE="${4:-}" cgi-fcgi -bind -connect "$R/s.sock" < "$R/in" > "$R/out" 2>/dev/null
	sed -n 's/^Status: \([0-9]*\).*/\1/p' "$R/out" | head -n 1 | tr -d '\r'
}
check "sign-in page" "$(fcgi GET /login)" = 200
PRE=$(grep -o 'zz_pre=[0-9a-f]*' "$R/out" | head -n 1)
TOKEN=${PRE#zz_pre=}
check "wrong password" "$(fcgi POST /login "_csrf=$TOKEN&username=xg_officer&password=nope-nope-1" "$PRE")" = 401
check "good password" "$(fcgi POST /login "_csrf=$TOKEN&username=xg_officer&password=$PW" "$PRE")" = 303
SES=$(grep -o 'zz_session=[0-9a-f]*' "$R/out" | head -n 1)
for u in / /students /students?q=%E7%8E%8B /applications /review/school /notices /reports/summary /reports/paicha /complaints /students/1/archive; do
	c=$(fcgi GET "$u" "" "$SES")
	check "GET $u answered ($c)" "$c" -lt 500
done
CS=$(fcgi GET /account/password "" "$SES" >/dev/null; sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p' "$R/out" | head -n 1)
check "a bad form refused" "$(fcgi POST /account/password "_csrf=$CS&old_password=x&new_password=y&new_password2=z" "$SES")" = 400
check "a form without a token refused" "$(fcgi POST /students "name=x" "$SES")" = 403
for u in /gongshi /chaxun /zhengce /tousu /healthz /no/such/page; do
	c=$(fcgi GET "$u")
	check "public $u answered ($c)" "$c" -lt 500
done
check "bad percent-encoding refused" "$(fcgi GET '/students?q=%zz' "" "$SES")" = 400
kill -TERM $M
wait $M
check "clean stop under valgrind" $? = 0
check "valgrind watched the master and the worker" "$(grep -l 'ERROR SUMMARY' "$R"/vg.*.log 2>/dev/null | wc -l)" -ge 2
errs=$(cat "$R"/vg.*.log 2>/dev/null | grep -c 'ERROR SUMMARY: [1-9]\|definitely lost: [1-9]\|Invalid \(read\|write\)\|uninitialised')
check "valgrind: no error, nothing definitely lost" "$errs" = 0
[ "$errs" = 0 ] || cat "$R"/vg.*.log | head -40
done_tests
