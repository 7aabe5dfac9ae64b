# 公示 in public: publish, read anonymously, nothing private in any public
# response, objections filed and answered, no closing while one is open,
# the frozen list and its hash unchanged after the data changes, 410 after
# the period; the parents' status check says nothing about strangers.
. "$ROOT/tests/e2e/lib.sh"
mkid() { for c in 0 1 2 3 4 5 6 7 8 9 X; do if "$BIN" idcard "$1$c" >/dev/null 2>&1; then echo "$1$c"; return; fi; done; }
TERM=$(sql "select id from term where code='2026-autumn'")
P=$(sql "select id from programme where code='jr_nonboard'")
CAT=$(sql "select id from difficulty_category where code='tuopin' and district_id is null")
ID=$(mkid 41030320120309122)
JO=$T/officer
login "$JO" xg_officer2 "$PW"
get "$JO" /students/new
tok=$(form_token)
postf "$JO" /students "_csrf=$tok" name=公示张小明 gender=女 "idcard=$ID" stage=junior grade=八年级 class_name=3班 guardian=公示家长 phone=13912345678 account_type=资助卡 account_no=6222000011118888999 bank=洛阳农商银行
SID=$(sql "select id from student where idcard='$ID'")
postf "$JO" /applications "_csrf=$tok" "student_id=$SID" action=submit household_size=4 income=8765.43 housing=危房 \
	m0_name=公示父亲 m0_relation=父亲 m0_age=44 m0_health=重病 m1_name=公示母亲 m1_relation=母亲 m1_age=41 \
	"category=$CAT" "programme=$P" "reason=父亲重病住院欠债" pledge_confirmed=1 pledge_signer=公示母亲
AID=$(sql "select id from application where student_id=$SID")
echo 'cmte-pass-2025' | "$BIN" user add --db "$DB" --username jr_cmte --name 二中评议甲 --role committee_member --org 4103030003 >/dev/null
JC=$T/cmte
login "$JC" jr_cmte cmte-pass-2025
get "$JC" "/review/class/$AID"
ctok=$(form_token)
postf "$JC" "/review/class/$AID/vote" "_csrf=$ctok" tier=special
postf "$JO" "/review/class/$AID/close" "_csrf=$tok"
postf "$JO" "/review/school/$AID?term=$TERM" "_csrf=$tok" tier=special "award_$P=标准"
expect_status 303 "school decision"

# the district masks names on public lists
JA=$T/admin
login "$JA" xg_admin "$PW"
get "$JA" /settings/publicity
atok=$(form_token)
postf "$JA" /settings/publicity "_csrf=$atok" mask_names=1 grace_days=2 policy_url=https://jyj.example.gov.cn/zizhu
expect_status 303 "publicity settings saved"
postf "$JA" /settings/publicity "_csrf=$atok" grace_days=2 'policy_url=javascript:alert(1)'
expect_status 400 "a javascript: link refused"

# the notice
get "$JO" "/notices/new?term=$TERM"
expect_status 200 "new notice form"
contains "家庭经济困难学生资助名单公示" "a title is proposed"
postf "$JO" "/notices?term=$TERM" "_csrf=$tok" title=八年级资助公示 "starts=$(date +%F)" "ends=$(date +%F)" "programme=$P"
expect_status 400 "a period shorter than the district's working days refused"
contains "个工作日" "period rule explained"
postf "$JO" "/notices?term=$TERM" "_csrf=$tok" title=倒填日期 "starts=$(date -d '-20 days' +%F)" "ends=$(date -d '-10 days' +%F)" "programme=$P"
expect_status 400 "a notice starting in the past is refused (no skipping the period)"
contains "不能早于今天" "past start explained"
postf "$JO" "/notices?term=$TERM" "_csrf=$tok" "title=八年级资助公示 <b>" "starts=$(date +%F)" "ends=$(date -d '+9 days' +%F)" "programme=$P"
expect_status 303 "notice draft created"
N=$(header Location | grep -o '[0-9]*$')
get "$T/anon" "/gongshi/$N"
expect_status 404 "a draft is not public"
postf "$JO" "/notices/$N/publish" "_csrf=$tok"
expect_status 303 "published"
HASH=$(sql "select sha256 from notice where id=$N")
check "stored hash is the SHA-256 of the stored list" "$(sql "select content from notice where id=$N" | tr -d '\n' | sha256sum | cut -d' ' -f1)" = "$HASH"

# anonymous reading
A=$T/anon
get "$A" /gongshi
expect_status 200 "public index"
contains "八年级资助公示 &lt;b&gt;" "notice listed, title escaped"
get "$A" "/gongshi/$N"
expect_status 200 "public notice page"
contains "公***明" "name masked as the district chose (公示张小明 -> 公****明)" 
contains "西工区第二初级中学" "school shown"
contains "八年级 3班" "class shown"
contains "$HASH" "hash shown"
contains "https://jyj.example.gov.cn/zizhu" "policy link shown"
DETAG=$(header ETag)
# the list's hash, the day (the objection button follows the period) and the
# status and policy link
case "$DETAG" in "\"$HASH-$(date +%F)-"????????????????'"') ok ;; *) bad "ETag is the hash, the day and the state: $DETAG" ;; esac
check "public copy may be cached" "$(header Cache-Control)" = "public, max-age=60"
cp "$T/body" "$T/first"
# the daemon wrote the page as a file (and its .gz); nginx serves it next
PUB="$WORK/run/public/gongshi/$N/$(date +%F).html"
check "page written as a file" -s "$PUB"
check "with its gzip copy" "$(gzip -dc "$PUB.gz" | cmp - "$PUB" && echo same)" = same
cmp -s "$T/first" "$PUB" && ok || bad "the file is the page the daemon sent"
get "$A" "/gongshi/$N"
expect_status 200 "served again"
check "now from the file (nginx gives Last-Modified)" -n "$(header Last-Modified)"
cmp -s "$T/first" "$T/body" && ok || bad "the same bytes from the file"
check "security headers on the file too" "$(header Content-Security-Policy | grep -c "frame-ancestors 'none'")" = 1
check "and its cache policy" "$(header Cache-Control)" = "public, max-age=60"
NGETAG=$(header ETag)
get "$A" "/gongshi/$N" -H "If-None-Match: $NGETAG"
expect_status 304 "revalidation of the file answers 304"
get "$A" "/gongshi/$N" -H "Accept-Encoding: gzip"
check "compressed copy sent to who accepts it" "$(header Content-Encoding)" = gzip
get "$JO" "/gongshi/$N" -H "If-None-Match: $DETAG"
expect_status 200 "a signed-in reader gets the daemon's page, never a shared 304"
get "$T/fresh" "/gongshi/$N" -H "Cookie: zz_session=stale" -H "If-None-Match: $DETAG"
expect_status 304 "the daemon answers 304 to its own ETag"
# the policy link is on every notice page: changing it removes the files
postf "$JA" /settings/publicity "_csrf=$atok" mask_names=1 grace_days=2 policy_url=https://jyj.example.gov.cn/zizhu/2026
expect_status 303 "policy link changed"
check "the page files went with the old link" ! -e "$PUB"
get "$A" "/gongshi/$N"
contains "https://jyj.example.gov.cn/zizhu/2026" "the next visit shows the new link"
get "$T/fresh" "/gongshi/$N" -H "Cookie: zz_session=stale" -H "If-None-Match: $DETAG"
expect_status 200 "a browser holding the page with the old link gets the new one, not a 304"
check "and writes the file again" -s "$PUB"
get "$JO" "/gongshi/$N"
check "a signed-in view is never cached for others" "$(header Cache-Control)" = "private, no-store"
# nothing private anywhere in the public responses (pages and headers)
BIRTH=$(echo "$ID" | cut -c7-14)
BIRTHD=$(echo "$ID" | sed -E 's/^.{6}(....)(..)(..).*/\1-\2-\3/')
for path in /gongshi "/gongshi/$N" "/gongshi/$N/objection" /chaxun; do
	CODE=$(curl -s -D "$T/h" -o "$T/b" -w '%{http_code}' "$BASE$path")
	cat "$T/h" "$T/b" > "$T/all"
	for secret in "$ID" "$(echo "$ID" | cut -c1-6)********" "$(echo "$ID" | cut -c13-18)" "$BIRTH" "$BIRTHD" 13912345678 "139****5678" 6222000011118888999 8888999 公示家长 公示父亲 公示母亲 8,765.43 8765.43 父亲重病住院欠债 脱贫享受政策家庭 危房 洛阳农商银行 公示张小明; do
		if grep -qF -- "$secret" "$T/all"; then bad "$path leaks [$secret]"; else ok; fi
	done
done

# objections: the form carries a token; filed, shown to the school, answered
get "$A" "/gongshi/$N/objection"
expect_status 200 "objection form"
otok=$(form_token)
check "objection form has a token" -n "$otok"
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$A" --data-urlencode "content=名单有误" "$BASE/gongshi/$N/objection")
expect_status 403 "objection without the token refused"
postf "$A" "/gongshi/$N/objection" "_csrf=$otok" "content=<script>alert(1)</script> 该生家庭条件较好" name=匿名群众 phone=13800000000
expect_status 200 "objection filed"
contains "异议已收到" "receipt shown"
postf "$A" "/gongshi/$N/objection" "_csrf=$otok" "content=$(head -c 9000 /dev/zero | tr '\0' 'a')"
check "an oversized objection refused (got $CODE)" "$CODE" = 400
check "one objection stored" "$(sql "select count(*) from objection where notice_id=$N")" = 1
get "$JO" "/notices/$N"
contains "&lt;script&gt;alert(1)&lt;/script&gt;" "objection shown to the school, escaped"
contains "138****0000" "objector's phone masked for staff"
# the period ends (moved back in the database, as time would)
sql "update notice set starts = date('now', '-10 days'), ends = date('now', '-1 day') where id = $N"
time_moved
postf "$JO" "/notices/$N/close" "_csrf=$tok"
expect_status 409 "closing blocked while an objection is open"
contains "未答复的异议" "block explained"
X=$(sql "select id from objection where notice_id=$N")
postf "$JO" "/objections/$X/answer" "_csrf=$tok" "answer=经核实，该生家庭确属脱贫户" upheld=0
expect_status 303 "objection answered"
postf "$JO" "/objections/$X/answer" "_csrf=$tok" "answer=again" upheld=1
expect_status 409 "an answered objection cannot be answered again"
# objections outside the period are refused
get "$A" "/gongshi/$N/objection"
expect_status 409 "no objections after the period"

# the frozen list does not follow later edits
sql "update student set name='改名后的学生', grade='九年级' where id=$SID"
sql "update award set amount_fen = amount_fen + 100 where application_id=$AID"
get "$A" "/gongshi/$N"
contains "公***明" "the list still shows what was published"
lacks "改名后的学生" "later edits not in the list"
lacks "九年级" "nor the new grade"
check "the hash is unchanged" "$(sql "select sha256 from notice where id=$N")" = "$HASH"
check "and still matches the list" "$(sql "select content from notice where id=$N" | tr -d '\n' | sha256sum | cut -d' ' -f1)" = "$HASH"

postf "$JO" "/notices/$N/close" "_csrf=$tok"
expect_status 303 "closed"
check "passed" "$(sql "select status from notice where id=$N")" = passed
check "closing removed the page files" "$(ls "$WORK/run/public/gongshi/$N" | wc -l)" = 0
# within the grace days it is still up; after them it is gone (410)
get "$A" "/gongshi/$N"
expect_status 200 "still up within the grace days"
sql "update notice set starts = date('now', '-20 days'), ends = date('now', '-10 days') where id = $N"
time_moved
get "$A" "/gongshi/$N"
expect_status 410 "taken down after the period and grace"
contains "已撤下" "taken down explained"
lacks "公***明" "no name on the 410 page"
get "$A" /gongshi
contains "往期公示" "index keeps the past notice"
lacks "href=\"/gongshi/$N\"" "without a link to it"
get "$JO" "/notices/$N"
expect_status 200 "staff still read the frozen list"
contains "$HASH" "with its hash"
# the 村 print for 义务教育 schools
get "$JO" "/notices/$N/print"
contains "村（社区）负责人签字" "village signature footer"

# the parents' status check
get "$A" /chaxun
ptok=$(form_token)
postf "$A" /chaxun "_csrf=$ptok" name=改名后的学生 "idtail=$(echo "$ID" | cut -c13-18)"
expect_status 200 "status check"
contains "学校已审核" "own application's status shown"
lacks "$ID" "no 身份证号 in the answer"
lacks "西工区第二初级中学" "no school in the answer"
lacks "350" "no amount in the answer"
postf "$A" /chaxun "_csrf=$ptok" name=改名后的学生 idtail=000000
contains "没有查到相符的资助申请" "wrong number: nothing"
cp "$T/body" "$T/wrong1"
postf "$A" /chaxun "_csrf=$ptok" name=不存在的人 idtail=123456
check "a stranger gets exactly the same answer as a wrong number" "$(sed 's/不存在的人/X/; s/改名后的学生/X/' "$T/body" | md5sum)" = "$(sed 's/不存在的人/X/; s/改名后的学生/X/' "$T/wrong1" | md5sum)"
for i in 1 2 3 4 5 6 7 8 9 10; do postf "$A" /chaxun "_csrf=$ptok" name=张三 idtail=123456; done
expect_status 429 "rate-limited per address"
contains "查询过于频繁" "limit explained"
done_tests
