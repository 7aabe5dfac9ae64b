# tests/e2e/lib.sh - helpers for the end-to-end tests (sourced).
# Environment from run-e2e.sh: BASE, DB, BIN, ROOT, WORK.
PASS=0
FAIL=0
T=$(mktemp -d "$WORK/t.XXXXXX")

ok() {
	PASS=$((PASS + 1))
}
bad() {
	FAIL=$((FAIL + 1))
	echo "FAIL: $*"
}
# check DESCRIPTION test-args...: run `test`, count the result
check() {
	desc=$1
	shift
	if [ "$@" ]; then ok; else bad "$desc"; fi
}
# expect_status WANT DESCRIPTION: compare with $CODE of the last request
expect_status() {
	if [ "$CODE" = "$1" ]; then ok; else bad "$2: status $CODE, want $1"; fi
}
# contains TEXT DESCRIPTION: the last body contains TEXT (fixed string)
contains() {
	if grep -qF -- "$1" "$T/body"; then ok; else bad "$2: body lacks '$1'"; fi
}
lacks() {
	if grep -qF -- "$1" "$T/body"; then bad "$2: body has '$1'"; else ok; fi
}
# get JAR PATH [curl args...]: GET, body in $T/body, status in $CODE
get() {
	jar=$1
	path=$2
	shift 2
	CODE=$(curl -s -o "$T/body" -D "$T/head" -w '%{http_code}' -b "$jar" -c "$jar" "$@" "$BASE$path")
}
# form_token: the _csrf value in the last body
form_token() {
	sed -n 's/.*name="_csrf" value="\([0-9a-f]*\)".*/\1/p' "$T/body" | head -n 1
}
header() {
	grep -i "^$1:" "$T/head" | head -n 1 | cut -d' ' -f2- | tr -d '\r'
}
# login JAR USER PASSWORD: sign in through the form; leaves $CODE of the POST
login() {
	get "$1" /login
	_ltok=$(form_token)
	CODE=$(curl -s -o "$T/body" -D "$T/head" -w '%{http_code}' -b "$1" -c "$1" \
		--data-urlencode "_csrf=$_ltok" --data-urlencode "username=$2" \
		--data-urlencode "password=$3" --data-urlencode "next=${4:-/}" "$BASE/login")
}
# postf JAR PATH name=value...: POST urlencoded fields with the page's token
postf() {
	jar=$1
	path=$2
	shift 2
	set -- "$@"
	cmd="curl -s -o $T/body -D $T/head -w %{http_code} -b $jar -c $jar"
	CODE=$(
		for a in "$@"; do printf '%s\0' "--data-urlencode" "$a"; done |
			xargs -0 $cmd "$BASE$path"
	)
}
sql() {
	sqlite3 -cmd ".timeout 5000" "$DB" "$@"
}
PW=zizhu-demo-2025
done_tests() {
	echo "$PASS passed, $FAIL failed"
	rm -rf "$T"
	[ "$FAIL" -eq 0 ]
}

# time_moved: the test moved a notice's dates in the database, as days
# passing would. The page files of a day are named by the day, so a new day
# never serves them; here the day stays the same, so they are removed.
time_moved() {
	rm -rf "$WORK/run/public/gongshi"
}
