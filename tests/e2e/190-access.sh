# Access control, proved over the route table itself (zizhu routes): every
# route × every role × an object outside the user's scope. A role the route
# does not allow gets 403; an allowed role gets 404 for another district's
# object; a POST without its token gets 403; the signed-out are sent to the
# sign-in page; nothing answers 5xx. A new route with :id and no entry in
# scope-objects.tsv fails the test.
. "$ROOT/tests/e2e/lib.sh"
LL=$(sql "select id from org where code='410311'")
S=$(sql "select id from org where code='4103110001'")
ST=$(sql "select id from student where school_id=$S limit 1")
T1=$(sql "select id from term where code='2026-autumn'")
U=$(sql "select id from user where username='ll_admin'")
# objects in 洛龙区, outside the scope of every 西工区 user
sql "insert into application (student_id, school_id, school_year, status) values ($ST, $S, '2026-2027', 'submitted')"
APP=$(sql "select max(id) from application")
sql "insert into evidence (application_id, filename, content_type, size, sha256, data) values ($APP, 'x.pdf', 'application/pdf', 5, 'x', x'255044462d')"
sql "insert into award (application_id, idcard, school_id, term_id, programme_id, tier, amount_fen, status) select $APP, idcard, $S, $T1, 4, '标准', 31250, 'proposed' from student where id=$ST"
sql "insert into care_record (student_id, kind, date, people, created_by) values ($ST, 'home_visit', '2026-11-01', '甲', $U)"
sql "insert into care_attachment (care_id, filename, content_type, size, sha256, data) values ((select max(id) from care_record), 'v.pdf', 'application/pdf', 5, 'x', x'255044462d')"
sql "insert into complaint (code, org_id, content, deadline) values ('ACCESSTEST01', $LL, '测试', '2099-01-01')"
sql "insert into batch (school_id, term_id, submitted_by) values ($S, $T1, $U)"
sql "insert into notice (school_id, term_id, title, starts, ends, created_by) values ($S, $T1, '洛龙公示', '2026-11-01', '2026-11-30', $U)"
sql "insert into objection (notice_id, content) values ((select max(id) from notice), '异议')"
sql "insert into pay_batch (district_id, term_id, programme_id, created_by) values ($LL, $T1, 4, $U)"
sql "insert into policy (district_id, title, created_by) values ($LL, '洛龙政策', $U)"
sql "insert into roster_import (school_id, user_id, filename, format, sha256, rows_json, good, bad) values ($S, $U, 'a.csv', 'csv-utf8', 'x', '{\"rows\":[],\"ignored\":[]}', 0, 0)"

ROUTES=$T/routes
"$BIN" routes > "$ROUTES"
check "the route table is listed" "$(wc -l < "$ROUTES")" -ge 100
# every :id route has an entry
for pat in $(awk -F'\t' '$2 ~ /:id/ {print $2}' "$ROUTES" | sort -u); do
	if grep -q "^$pat	" "$ROOT/tests/e2e/scope-objects.tsv"; then ok; else bad "route $pat has no entry in scope-objects.tsv"; fi
done
obj() { # pattern -> id outside the scope, or 999999
	q=$(grep "^$1	" "$ROOT/tests/e2e/scope-objects.tsv" | cut -f2)
	case "$q" in public | global | "") echo 999999 ;; *) id=$(sql "$q"); echo "${id:-999999}" ;; esac
}

# sign everyone in; each gets the token of their session
for u in city_viewer xg_admin xg_reviewer xg_officer xg_committee; do
	login "$T/jar-$u" "$u" "$PW"
	get "$T/jar-$u" /account/password
	eval "TOK_$u=$(form_token)"
done
role_of() {
	case $1 in city_viewer) echo city_viewer ;; xg_admin) echo district_admin ;; xg_reviewer) echo district_reviewer ;;
	xg_officer) echo school_officer ;; xg_committee) echo committee_member ;; esac
}
req() { # jar method path [token]
	if [ "$2" = GET ]; then
		curl -s -o "$T/b" -w '%{http_code}' -b "$1" "$BASE$3"
	elif [ -n "${4:-}" ]; then
		curl -s -o "$T/b" -w '%{http_code}' -b "$1" --data-urlencode "_csrf=$4" "$BASE$3"
	else
		curl -s -o "$T/b" -w '%{http_code}' -b "$1" -X POST -H 'Content-Type: application/x-www-form-urlencoded' --data '' "$BASE$3"
	fi
}
tab=$(printf '\t')
while IFS="$tab" read -r method pattern roles flags name; do
	[ "$name" = logout ] && continue
	path=$pattern
	case "$pattern" in *:id*) id=$(obj "$pattern"); path=$(echo "$pattern" | sed "s/:id/$id/") ;; esac
	# signed out
	code=$(req "$T/none" "$method" "$path")
	if [ "$roles" = public ]; then
		if [ "$method" = POST ]; then
			[ "$code" = 403 ] && ok || bad "anonymous $method $path without token: $code, want 403"
		else
			[ "$code" -lt 500 ] && [ "$code" != 403 ] && ok || bad "anonymous GET $path: $code"
		fi
		continue
	fi
	[ "$code" = 303 ] && ok || bad "anonymous $method $path: $code, want 303 to sign-in"
	for u in city_viewer xg_admin xg_reviewer xg_officer xg_committee; do
		J=$T/jar-$u
		eval "tok=\$TOK_$u"
		allowed=0
		case ",$roles," in *",$(role_of $u),"*) allowed=1 ;; esac
		if [ "$method" = POST ]; then
			code=$(req "$J" POST "$path")
			[ "$code" = 403 ] && ok || bad "$u POST $path without token: $code, want 403"
			code=$(req "$J" POST "$path" "$tok")
		else
			code=$(req "$J" GET "$path")
		fi
		if [ "$code" -ge 500 ]; then bad "$u $method $path: $code"; continue; fi
		if [ $allowed = 0 ]; then
			[ "$code" = 403 ] && ok || bad "$u $method $path: $code, want 403 (role not allowed)"
		elif echo "$pattern" | grep -q ':id'; then
			# another district's object (the city reads every district: a missing id instead)
			[ "$code" = 404 ] || { [ $u = city_viewer ] && [ "$code" -lt 500 ]; } && ok || bad "$u $method $path (outside scope): $code, want 404"
		elif [ "$method" = POST ]; then
			[ "$code" -ge 400 ] && [ "$code" -lt 500 ] && ok || bad "$u POST $path with an empty form: $code, want a 4xx refusal"
		else
			[ "$code" != 403 ] && ok || bad "$u GET $path: 403 for an allowed role"
		fi
	done
done < "$ROUTES"
# nothing was changed by all that
check "the objects outside the scope are untouched" "$(sql "select status from application where id=$APP")" = submitted
check "no objection answered" "$(sql "select status from objection where notice_id=(select max(id) from notice)")" = open
check "no complaint answered" "$(sql "select status from complaint where code='ACCESSTEST01'")" = open
done_tests
