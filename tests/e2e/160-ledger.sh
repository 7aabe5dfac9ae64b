# 发放台账: build, export, send, return and re-issue batches; the
# double-payment and over-budget refusals; a ledger row tampered with in
# SQLite is named by the verification; bank file, 领款清册 and ledger agree
# to the fen.
. "$ROOT/tests/e2e/lib.sh"
D=$(sql "select id from org where code='410303'")
TERM=$(sql "select id from term where code='2026-autumn'")
PJ=$(sql "select id from programme where code='jr_nonboard'")
S2=$(sql "select id from org where code='4103030003'")
# three approved awards at 第二初级中学 (the review itself is tested in 140)
for sid in $(sql "select id from student where school_id=$S2 and status='在读' and account_no <> '' and idcard not in (select idcard from award) order by id limit 3"); do
	sql "insert into application (student_id, school_id, school_year, status, household_size, income_fen) values ($sid, $S2, '2026-2027', 'approved', 3, 600000)"
	A=$(sql "select id from application where student_id=$sid and school_year='2026-2027'")
	sql "insert into award (application_id, idcard, school_id, term_id, programme_id, tier, amount_fen, status) select $A, idcard, $S2, $TERM, $PJ, '标准', 37500, 'approved' from student where id=$sid"
done
check "three approved awards to pay" "$(sql "select count(*) from award where programme_id=$PJ and term_id=$TERM and status='approved'")" = 3

J=$T/admin
login "$J" xg_admin "$PW"
get "$J" /payments
expect_status 200 "payments page"
tok=$(form_token)
# nothing allocated yet for this programme: refused
postf "$J" /payments "_csrf=$tok" "term=$TERM" "programme=$PJ"
expect_status 409 "a batch beyond the money allocated is refused"
contains "超出下达资金" "over-budget explained"
check "nothing written" "$(sql "select count(*) from payment where programme_id=$PJ")" = 0
# allocate 1,000.00: still short of 1,125.00
get "$J" "/settings/quotas?term=$TERM"
qtok=$(form_token)
keep_quotas() { sed -n 's/.*name="\(q[0-9]*_[0-9]*\)" value="\([^"]*\)".*/\1=\2/p' "$T/body"; }
allocs() { sed -n 's/.*name="\([ad][0-9]*\)" value="\([^"]*\)".*/\1=\2/p' "$T/body"; }
set -- "_csrf=$qtok"
for f in $(keep_quotas) $(allocs); do case "$f" in "a$PJ="*) f="a$PJ=1000.00" ;; esac; set -- "$@" "$f"; done
postf "$J" "/settings/quotas?term=$TERM" "$@"
expect_status 303 "allocation saved"
check "allocation is a ledger entry" "$(sql "select amount_fen from ledger where kind='allocation' and programme_id=$PJ and term_id=$TERM")" = 100000
postf "$J" /payments "_csrf=$tok" "term=$TERM" "programme=$PJ"
expect_status 409 "still over the money allocated"
get "$J" "/settings/quotas?term=$TERM"
set -- "_csrf=$qtok"
for f in $(keep_quotas) $(allocs); do case "$f" in "a$PJ="*) f="a$PJ=2000.00" ;; esac; set -- "$@" "$f"; done
postf "$J" "/settings/quotas?term=$TERM" "$@"
check "the increase is a second ledger entry of the difference" "$(sql "select group_concat(amount_fen) from ledger where kind='allocation' and programme_id=$PJ and term_id=$TERM")" = "100000,100000"
postf "$J" /payments "_csrf=$tok" "term=$TERM" "programme=$PJ"
expect_status 303 "batch built"
B=$(header Location | grep -o '[0-9]*$')
check "three rows of 375.00" "$(sql "select count(*) || '/' || sum(amount_fen) from payment where pay_batch_id=$B")" = "3/112500"
# the same awards cannot be put in a second batch
postf "$J" /payments "_csrf=$tok" "term=$TERM" "programme=$PJ"
expect_status 409 "no second batch for the same awards"
# ... and the database itself refuses a second live payment for the same child
IDC=$(sql "select idcard from payment where pay_batch_id=$B limit 1")
sql "insert into payment (pay_batch_id, award_id, idcard, name, school_id, term_id, programme_id, account_type, account_no, bank, amount_fen) select pay_batch_id, award_id, idcard, name, school_id, term_id, programme_id, account_type, account_no, bank, amount_fen from payment where idcard='$IDC' and pay_batch_id=$B" 2>"$T/err"
check "double payment refused by a database constraint" -n "$(grep -i 'UNIQUE' "$T/err")"

# the batch page masks; the bank file carries whole accounts, audited
get "$J" "/payments/$B"
expect_status 200 "batch page"
ACCT=$(sql "select account_no from payment where pay_batch_id=$B limit 1")
lacks "$ACCT" "batch page masks the account"
contains "1,125.00" "batch total shown"
CODE=$(curl -s -o "$T/bank.csv" -D "$T/head" -w '%{http_code}' -b "$J" "$BASE/payments/$B/bank.csv")
expect_status 200 "bank CSV"
check "UTF-8 BOM" "$(head -c 3 "$T/bank.csv" | od -An -tx1 | tr -d ' ')" = efbbbf
check "documented header" "$(head -n 1 "$T/bank.csv" | tail -c +4 | tr -d '\r')" = "序号,户名,账号,账户类型,开户银行,金额（元）,身份证号,学校,备注"
check "whole account in the bank file" -n "$(grep -F "\"$ACCT\"" "$T/bank.csv")"
BANKSUM=$(tail -n +2 "$T/bank.csv" | awk -F'","' '{ gsub(/"/, "", $6); split($6, p, "."); s += p[1] * 100 + p[2] } END { print s }')
check "bank file total = batch total (fen)" "$BANKSUM" = 112500
check "export audited" "$(sql "select count(*) from audit_log where action='payment.export' and entity_id=$B")" = 1
CODE=$(curl -s -o "$T/bank.xlsx" -w '%{http_code}' -b "$J" "$BASE/payments/$B/bank.xlsx")
check "bank xlsx" "$(head -c 2 "$T/bank.xlsx")" = PK
# the 领款清册: page totals, the school total and the batch total agree
get "$J" "/payments/$B/roster"
contains "领款人签字" "signature column"
contains "学校盖章" "seal space"
contains "本页小计" "page total"
contains "本批合计：<strong>1,125.00</strong>" "batch total on the 清册 = bank file"
# an officer sees none of it
JO=$T/officer
login "$JO" xg_officer2 "$PW"
get "$JO" "/payments/$B"
expect_status 403 "an officer does not open payment batches"
get "$JO" "/payments/$B/bank.csv"
expect_status 403 "nor the bank file"

postf "$J" "/payments/$B/sent" "_csrf=$tok"
expect_status 303 "marked sent"
check "each payment is a ledger entry" "$(sql "select count(*) || '/' || sum(amount_fen) from ledger where kind='payment' and programme_id=$PJ")" = "3/112500"
postf "$J" "/payments/$B/sent" "_csrf=$tok"
expect_status 409 "not sent twice"

# the money allocated cannot be cut below what is committed
get "$J" "/settings/quotas?term=$TERM"
set -- "_csrf=$qtok"
for f in $(keep_quotas) $(allocs); do case "$f" in "a$PJ="*) f="a$PJ=100.00" ;; esac; set -- "$@" "$f"; done
postf "$J" "/settings/quotas?term=$TERM" "$@"
expect_status 409 "cutting the allocation below the committed payments is refused"
check "allocation unchanged" "$(sql "select sum(amount_fen) from ledger where kind='allocation' and programme_id=$PJ and term_id=$TERM")" = 200000

# the bank's return: a wrong reference refuses the whole file
P1=$(sql "select id from payment where pay_batch_id=$B order by id limit 1")
P2=$(sql "select id from payment where pay_batch_id=$B order by id limit 1 offset 1")
P3=$(sql "select id from payment where pay_batch_id=$B order by id limit 1 offset 2")
printf '备注,结果,失败原因,金额（元）\nZZ-%s,成功,,375.00\nZZ-999999,成功,,375.00\n' "$P1" > "$T/bad.csv"
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$J" -F "_csrf=$tok" -F "file=@$T/bad.csv" "$BASE/payments/$B/return")
expect_status 400 "a return file with an unknown row is refused"
contains "不是这个批次的发放记录" "unknown row named"
check "nothing recorded" "$(sql "select count(*) from payment where pay_batch_id=$B and status='sent'")" = 3
printf '备注,结果\nZZ-%s,成功\n' "$P1" > "$T/part.csv"
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$J" -F "_csrf=$tok" -F "file=@$T/part.csv" "$BASE/payments/$B/return")
expect_status 400 "a return file missing rows is refused"
contains "缺少 ZZ-$P2" "the missing row named"
printf '\357\273\277备注,结果,失败原因,金额（元）\r\nZZ-%s,成功,,375.00\r\nZZ-%s,失败,账户已销户,375.00\r\nZZ-%s,成功,,375.00\r\n' "$P1" "$P2" "$P3" > "$T/ret.csv"
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$J" -F "_csrf=$tok" -F "file=@$T/ret.csv" "$BASE/payments/$B/return")
expect_status 303 "return imported"
check "two paid, one failed" "$(sql "select group_concat(status, ',') from (select status from payment where pay_batch_id=$B order by id)")" = "paid,failed,paid"
check "the failure is a negative ledger entry" "$(sql "select amount_fen from ledger where kind='failure' and payment_id=$P2")" = -37500

# re-issue with a corrected account
get "$J" "/payments/$B"
postf "$J" "/payments/$B/reissue" "_csrf=$tok" "acct_$P2=62170000999900001111" "type_$P2=社保卡" "bank_$P2=中国农业银行"
expect_status 303 "re-issue batch built"
B2=$(header Location | grep -o '[0-9]*$')
check "one row in the re-issue batch with the new account" "$(sql "select count(*) || '/' || account_no from payment where pay_batch_id=$B2")" = "1/62170000999900001111"
postf "$J" "/payments/$B/reissue" "_csrf=$tok" "acct_$P2=62170000999900002222" "type_$P2=社保卡"
expect_status 400 "the same failed row is not re-issued twice"
postf "$J" "/payments/$B2/sent" "_csrf=$tok"
P4=$(sql "select id from payment where pay_batch_id=$B2")
printf '备注,结果\nZZ-%s,成功\n' "$P4" > "$T/ret2.csv"
CODE=$(curl -s -o "$T/body" -w '%{http_code}' -b "$J" -F "_csrf=$tok" -F "file=@$T/ret2.csv" "$BASE/payments/$B2/return")
expect_status 303 "re-issue paid"

# reconciliation to the fen: ledger payments - failures = money paid
PAID=$(sql "select sum(amount_fen) from payment where programme_id=$PJ and term_id=$TERM and status='paid'")
check "all three children paid once: 1,125.00" "$PAID" = 112500
check "ledger movements = paid (fen)" "$(sql "select sum(amount_fen) from ledger where programme_id=$PJ and term_id=$TERM and kind in ('payment','failure')")" = "$PAID"
get "$J" "/ledger?term=$TERM"
expect_status 200 "ledger page"
contains "1,125.00" "paid total shown"
contains "875.00" "remainder of the 2,000.00 allocated shown"
# the totals the 台账 page reads are kept by triggers: they agree with the rows
check "reconciliation total = paid rows (fen)" "$(sql "select sum(paid_fen) || '/' || sum(paid_n) || '/' || sum(failed_fen) || '/' || sum(pending_fen) from payment_total where programme_id=$PJ and term_id=$TERM")" = "$PAID/3/0/0"
check "entry counts = ledger rows" "$(sql "select sum(n) || '/' || sum(amount_fen) from ledger_total where district_id=$D and term_id=$TERM")" = "$(sql "select count(*) || '/' || sum(amount_fen) from ledger where district_id=$D and term_id=$TERM")"

# 台账记录: the entries of the term, newest first, with filters
NL=$(sql "select count(*) from ledger where district_id=$D and term_id=$TERM")
get "$J" "/ledger/entries?term=$TERM"
expect_status 200 "ledger entries page"
contains "符合条件的记录 $NL 条" "the count is the ledger's"
NEWEST=$(sql "select id from ledger where district_id=$D and term_id=$TERM order by id desc limit 1")
OLDEST=$(sql "select id from ledger where district_id=$D and term_id=$TERM order by id limit 1")
check "newest first" "$(grep -o '<td class="num">[0-9]*</td><td class="nowrap">' "$T/body" | head -n 1 | grep -o '[0-9]*' | head -n 1)" = "$NEWEST"
contains "$(sql "select name from payment where id=$P2")" "the payee is named"
lacks "$ACCT" "no bank account on the entries page"
get "$J" "/ledger/entries?term=$TERM&kind=failure"
contains "符合条件的记录 1 条，金额合计 -375.00 元" "only the bank's return, negative"
lacks "<td>发放</td>" "no payment among the failures"
get "$J" "/ledger/entries?term=$TERM&kind=payment&programme=$PJ&school=$S2"
contains "符合条件的记录 4 条，金额合计 1,500.00 元" "four payments at the school, 1,500.00 with the re-issue"
get "$J" "/ledger/entries?term=$TERM&kind=payment&school=$(sql "select id from org where code='4103030001'")"
contains "没有符合条件的台账记录" "another school: none"
get "$J" "/ledger/entries?term=$TERM&kind=%27%20OR%201%3D1%20--"
expect_status 400 "an unknown kind is refused"
contains "台账记录类型只能是" "and explained"
get "$J" "/ledger/entries?term=$TERM&page=2"
expect_status 200 "a page past the end"
contains "这一页没有记录：共 $NL 条" "is empty and says how many there are"
contains "第 2 页" "and says which page"
get "$J" "/ledger?term=$TERM"
contains "本学期最近的 20 条" "the 台账 page shows the latest entries"
contains "/ledger/entries?term=$TERM" "and links to all of them"
JC=$T/city
login "$JC" city_viewer "$PW"
get "$JC" "/ledger/entries?term=$TERM&district=$D"
expect_status 200 "the city reads a district's entries"
contains "符合条件的记录 $NL 条" "the same count"
contains "name=\"district\"" "with a district to choose"
JO=$T/other
login "$JO" ll_admin "$PW"
get "$JO" "/ledger/entries?term=$TERM&district=$D"
expect_status 200 "another district asks for this one"
contains "符合条件的记录 0 条" "and sees none of it"
lacks "$(sql "select name from payment where id=$P2")" "no payee of another district"

# the chain: whole, then a row changed directly in SQLite is named
"$BIN" verify-ledger --db "$DB" > "$T/out"; check "verify-ledger: intact (exit 0)" $? = 0
grep -q "哈希链完整" "$T/out"; check "verify-ledger says so" $? = 0
sql "update ledger set amount_fen = 1" 2>"$T/err"
check "the ledger refuses updates" -n "$(grep append-only "$T/err")"
# changing where the money went (the payment row) is found too
"$BIN" verify-ledger --db "$DB" >/dev/null; check "still intact before" $? = 0
sql "update payment set account_no='62220000000000000000' where id=$P1"
"$BIN" verify-ledger --db "$DB" > "$T/out"; check "a changed account in a paid row is found (exit 1)" $? = 1
check "verify names the payment's ledger entry" -n "$(grep "第 $(sql "select id from ledger where kind='payment' and payment_id=$P1") 号" "$T/out")"
sql "update payment set account_no='$ACCT' where id=$P1"
"$BIN" verify-ledger --db "$DB" >/dev/null; check "intact again once restored" $? = 0
# the reconciliation totals changed behind the triggers' back are found too
sql "update payment_total set paid_fen = paid_fen + 1 where programme_id=$PJ and term_id=$TERM and school_id=$S2"
"$BIN" verify-ledger --db "$DB" > "$T/out"; check "a changed reconciliation total is found (exit 1)" $? = 1
grep -q "发放汇总有 1 处与付款记录不符" "$T/out"; check "verify-ledger says where" $? = 0
sql "update payment_total set paid_fen = paid_fen - 1 where programme_id=$PJ and term_id=$TERM and school_id=$S2"
"$BIN" verify-ledger --db "$DB" >/dev/null; check "intact again" $? = 0
VICTIM=$(sql "select id from ledger where kind='payment' and payment_id=$P3")
sql "drop trigger ledger_no_update; update ledger set amount_fen = 37600 where id = $VICTIM"
"$BIN" verify-ledger --db "$DB" > "$T/out"; check "verify-ledger: tampered (exit 1)" $? = 1
check "verify-ledger names the tampered entry" -n "$(grep "第 $VICTIM 号" "$T/out")"
get "$J" "/ledger?term=$TERM&verify=1"
contains "台账第 $VICTIM 号记录与哈希链不符" "the district's page names it too"
# the guard dropped for the tampering goes back, for the tests after this one
sql "create trigger ledger_no_update before update on ledger begin select raise(abort, 'ledger is append-only: correct with a reversing entry'); end"
sql "update ledger set amount_fen = 1 where id = $VICTIM" 2>"$T/err"
check "the ledger refuses updates again" -n "$(grep append-only "$T/err")"
done_tests
