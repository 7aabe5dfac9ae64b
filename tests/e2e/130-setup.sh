# The district's set-up for a term: 公示 length and deadlines, standards
# in 元 exact to the fen (312.50), quotas per school, money allocated.
. "$ROOT/tests/e2e/lib.sh"
J=$T/admin
login "$J" xg_admin "$PW"
D=$(sql "select id from org where code='410303'")
TERM=$(sql "select id from term where code='2026-autumn'")
get "$J" /settings
expect_status 200 "settings index"
tok=$(form_token)

get "$J" /settings/terms
expect_status 200 "terms page"
contains "2026年秋季学期" "terms listed"
postf "$J" "/settings/terms/$TERM" "_csrf=$tok" publicity_days=7 submit_deadline=2026-10-15 pay_deadline=2026-11-30
expect_status 303 "term settings saved"
check "publicity days stored" "$(sql "select publicity_days from district_term where district_id=$D and term_id=$TERM")" = 7
postf "$J" "/settings/terms/$TERM" "_csrf=$tok" publicity_days=3
expect_status 400 "a 公示 shorter than 5 days refused"
contains "5 到 7 个工作日" "refusal explained"
postf "$J" "/settings/terms/$TERM" "_csrf=$tok" publicity_days=5 submit_deadline=2026-02-30
expect_status 400 "an impossible date refused"
check "earlier value kept" "$(sql "select publicity_days from district_term where district_id=$D and term_id=$TERM")" = 7

get "$J" "/settings/standards?term=$TERM"
expect_status 200 "standards page"
contains "312.50" "the non-boarder allowance is 312.50 元 a term"
contains "1,500.00" "the top tier of 国家助学金"
P=$(sql "select id from programme where code='cmp_nonboard'")
# set every field as shown, but change one to 350.05 元; keep every top-tier box
# as it is except 中职国家助学金, which this district does not hold to the top tier
VOC=$(sql "select id from programme where code='voc_grant'")
set -- "_csrf=$tok"
for f in $(sed -n 's/.*name="\(p[0-9]*_[^"]*\)" value="\([^"]*\)".*/\1=\2/p' "$T/body"); do
	case "$f" in "p${P}_标准="*) f="p${P}_标准=350.05" ;; esac
	set -- "$@" "$f"
done
for f in $(grep -o 'name="top_[0-9]*" value="1" checked' "$T/body" | sed 's/name="\(top_[0-9]*\)".*/\1=1/'); do
	[ "$f" = "top_$VOC=1" ] || set -- "$@" "$f"
done
postf "$J" "/settings/standards?term=$TERM" "$@"
expect_status 303 "standards saved"
check "district standard stored in fen" "$(sql "select amount_fen from programme_standard where district_id=$D and term_id=$TERM and programme_id=$P")" = 35005
check "only the changed tier stored for the district" "$(sql "select count(*) from programme_standard where district_id=$D and term_id=$TERM")" = 1
check "the district's top-tier rule stored" "$(sql "select priority_top_tier from programme_rule where district_id=$D and term_id=$TERM and programme_id=$VOC")" = 0
HS=$(sql "select id from programme where code='hs_grant'")
check "other programmes keep the top-tier rule" "$(sql "select priority_top_tier from programme_rule where district_id=$D and term_id=$TERM and programme_id=$HS")" = 1
check "national default untouched" "$(sql "select amount_fen from programme_standard where district_id is null and term_id=$TERM and programme_id=$P")" = 31250
get "$J" "/settings/standards?term=$TERM"
contains "350.05" "new standard shown"
# another district still sees the national standard
J2=$T/ll
login "$J2" ll_admin "$PW"
get "$J2" "/settings/standards?term=$TERM"
lacks "350.05" "another district keeps the national standard"
postf "$J" "/settings/standards?term=$TERM" "_csrf=$tok" "p${P}_标准=3.125"
expect_status 400 "three decimals refused"
contains "最多两位小数" "money format explained"

get "$J" "/settings/quotas?term=$TERM"
expect_status 200 "quotas page"
contains "西工区实验小学" "own schools listed"
lacks "关林小学" "other district's schools not listed"
S=$(sql "select id from org where code='4103030002'")
C=$(sql "select id from org where code='4103110001'")
PB=$(sql "select id from programme where code='cmp_board'")
postf "$J" "/settings/quotas?term=$TERM" "_csrf=$tok" "q${S}_${P}=12" "q${S}_${PB}=3" "a${P}=3750.00" "d${P}=洛财教〔2026〕12号" "q${C}_${P}=99"
expect_status 303 "quotas saved"
check "quota stored" "$(sql "select places from quota where term_id=$TERM and school_id=$S and programme_id=$P")" = 12
check "another district's school cannot be given places" "$(sql "select count(*) from quota where school_id=$C")" = 0
check "allocation stored in fen" "$(sql "select amount_fen from allocation where district_id=$D and term_id=$TERM and programme_id=$P")" = 375000
check "document number kept" "$(sql "select document from allocation where district_id=$D and term_id=$TERM and programme_id=$P")" = "洛财教〔2026〕12号"
postf "$J" "/settings/quotas?term=$TERM" "_csrf=$tok" "q${S}_${P}=-1"
expect_status 400 "negative places refused"
check "quota unchanged" "$(sql "select places from quota where term_id=$TERM and school_id=$S and programme_id=$P")" = 12
check "set-up audited" "$(sql "select count(*) from audit_log where action in ('settings.term','settings.standards','settings.quotas')")" -ge 3

# only district admins
J3=$T/officer
login "$J3" xg_officer "$PW"
get "$J3" /settings/quotas
expect_status 403 "an officer cannot open the set-up"
J4=$T/reviewer
login "$J4" xg_reviewer "$PW"
get "$J4" /settings/standards
expect_status 403 "a reviewer cannot change standards"
done_tests
