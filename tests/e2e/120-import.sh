# Roster import: UTF-8, GB18030 and xlsx files; bad rows reported by row
# and column with nothing written; "only the good rows" on request; a file
# cut off refused whole, even after thousands of rows were read; the header
# looked for in the first 10 lines; 10,000 rows in one go; another school
# sees nothing.
. "$ROOT/tests/e2e/lib.sh"
F=$ROOT/tests/fixtures/roster
J=$T/officer
login "$J" ll_officer "$PW"
SCHOOL=$(sql "select id from org where code='4103110001'")
get "$J" /roster/import
expect_status 200 "import page"
tok=$(form_token)
count() { sql "select count(*) from student where school_id=$SCHOOL and idcard like '410305%'"; }
upload() { # file [name]
	CODE=$(curl -s -o "$T/body" -D "$T/head" -w '%{http_code}' -b "$J" -F "_csrf=$tok" -F "file=@$1;filename=${2:-$(basename "$1")}" "$BASE/roster/import")
}
follow() {
	loc=$(header Location)
	get "$J" "$loc"
	IMP=${loc##*/}
}

# the template
CODE=$(curl -s -o "$T/tpl.xlsx" -D "$T/head" -w '%{http_code}' -b "$J" "$BASE/roster/template.xlsx")
expect_status 200 "template download"
check "template is an xlsx (zip)" "$(head -c 2 "$T/tpl.xlsx")" = "PK"
check "template served as xlsx" "$(header Content-Type)" = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# it can be filled in and read back: upload the empty template -> "only the header"
upload "$T/tpl.xlsx" 模板.xlsx
expect_status 400 "empty template refused"
contains "只有表头" "empty template explained"

# UTF-8 with BOM
upload "$F/roster-utf8.csv"
expect_status 303 "UTF-8 CSV read"
follow
contains "正确的行" "preview shown"
check "nothing written before confirming" "$(count)" = 0
contains "&lt;script&gt;" "hostile name escaped in the preview"
lacks "孙三 <script>" "hostile name not raw"
postf "$J" "/roster/import/$IMP" "_csrf=$tok" mode=all
expect_status 303 "imported"
check "5 students written" "$(count)" = 5
check "quoted cell with a comma kept" "$(sql "select guardian from student where name='赵一' and school_id=$SCHOOL")" = "赵家长, 父亲"
check "寄宿 read" "$(sql "select boarding from student where name='周五' and school_id=$SCHOOL")" = 1
check "import audited with the file hash" "$(sql "select count(*) from audit_log where action='roster.import' and after_json like '%sha256%' and entity_id=$IMP")" = 1
postf "$J" "/roster/import/$IMP" "_csrf=$tok" mode=all
expect_status 409 "the same import cannot be applied twice"
check "still 5" "$(count)" = 5
postf "$J" "/roster/import/$IMP/discard" "_csrf=$tok"
expect_status 409 "an applied import cannot be discarded"
check "still 5 after the refused discard" "$(count)" = 5
check "the stored report keeps no 身份证号 of written rows" "$(sql "select count(*) from roster_import where id=$IMP and rows_json like '%410305%'")" = 0

# GB18030 from Excel on Chinese Windows
upload "$F/roster-gb18030.csv"
expect_status 303 "GB18030 CSV read"
follow
contains "csv-gb18030" "encoding recognised"
contains "吴䶮" "4-byte GB18030 character decoded"
postf "$J" "/roster/import/$IMP" "_csrf=$tok" mode=all
check "3 more students" "$(count)" = 8
check "name stored as UTF-8" "$(sql "select count(*) from student where name='吴䶮'")" = 1

# the same file again: every row already in the roster
upload "$F/roster-gb18030.csv"
follow
contains "本校名册中已有这个身份证号" "re-import reports existing students"

# xlsx with bad rows: reported by row and column; by default nothing is written
upload "$F/roster-bad.xlsx"
expect_status 303 "xlsx read"
follow
contains "<td class=\"num\">4</td>" "row 4 reported"
contains "校验位" "wrong check digit reported"
contains "请填写年级" "missing grade reported"
contains "与第 2 行的身份证号重复" "duplicate in the file reported"
contains "科学计数法" "number-stored ID explained"
before=$(count)
postf "$J" "/roster/import/$IMP" "_csrf=$tok" mode=all
expect_status 409 "with bad rows, 'all' writes nothing"
check "nothing written" "$(count)" = "$before"
postf "$J" "/roster/import/$IMP" "_csrf=$tok" mode=good
expect_status 303 "only the good rows on request"
check "the 2 good rows written" "$(count)" = $((before + 2))

# a discarded import keeps nothing of the file but its name and hash
upload "$F/roster-utf8.csv"
follow
postf "$J" "/roster/import/$IMP/discard" "_csrf=$tok"
expect_status 303 "discarded"
check "discarded import keeps no rows" "$(sql "select count(*) from roster_import where id=$IMP and rows_json like '%410305%'")" = 0
check "discard audited" "$(sql "select count(*) from audit_log where action='roster.import_discard' and entity_id=$IMP")" = 1

# a file cut off in the middle: refused whole
upload "$F/roster-cut.csv"
expect_status 400 "cut-off file refused"
contains "不完整" "cut-off explained"
check "nothing written from the cut file" "$(count)" = $((before + 2))
# the file is read as a stream into one transaction: a fault in its last
# line, after 3,000 good rows were checked and stored, leaves nothing
imports() { sql "select count(*) from roster_import"; }
stored() { sql "select count(*) from roster_import_row"; }
i0=$(imports)
r0=$(stored)
gen_rows() { # N FIRST-SEQ: N valid rows of 2014-born children
	awk -v n="$1" -v s0="$2" 'BEGIN {
		split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " "); m = "10X98765432";
		for (i = 0; i < n; i++) {
			s = sprintf("410305%04d%02d%02d%03d", 2014, 1 + int(i / 250) % 12, 1 + int(i / 10) % 25, (s0 + i * 2) % 1000);
			t = 0; for (k = 1; k <= 17; k++) t += substr(s, k, 1) * w[k];
			printf "流%d,女,%s%s,小学,三年级,%d班\n", i, s, substr(m, t % 11 + 1, 1), i % 8 + 1;
		}
	}'
}
{ echo "姓名,性别,身份证号,学段,年级,班级"; gen_rows 3000 0; printf '"没有闭合,女\n'; } > "$T/late-cut.csv"
upload "$T/late-cut.csv"
expect_status 400 "a file cut off after 3,000 rows refused"
contains "第 3002 行" "the cut line named"
check "no import left by the cut file" "$(imports)" = "$i0"
check "no rows left by the cut file" "$(stored)" = "$r0"
# a title line above the header is skipped; the header must come within 10 lines
{ echo "洛龙区第一小学 2026 年秋季学生名册,,,"; echo "姓名,性别,身份证号,学段,年级,班级"; gen_rows 3 0; } > "$T/title.csv"
upload "$T/title.csv"
expect_status 303 "a title line above the header is skipped"
follow
contains "流2" "rows after the header read"
check "3 rows stored" "$(sql "select good + bad from roster_import where id=$IMP")" = 3
postf "$J" "/roster/import/$IMP/discard" "_csrf=$tok"
i0=$(imports)
r0=$(stored)
{ seq 1 10 | sed 's/^/说明第/'; echo "姓名,性别,身份证号,学段,年级,班级"; gen_rows 3 0; } > "$T/late-header.csv"
upload "$T/late-header.csv"
expect_status 400 "a header below line 10 is not looked for"
contains "没有找到表头行" "missing header explained"
{ echo "姓名,性别,身份证号,年级,班级"; gen_rows 3 0 | cut -d, -f1-3,5-; } > "$T/no-stage.csv"
upload "$T/no-stage.csv"
expect_status 400 "a required column missing"
contains "文件缺少必填列“学段”" "the missing column named"
# the same child twice, 2,000 lines apart
{ echo "姓名,性别,身份证号,学段,年级,班级"; gen_rows 2000 0; gen_rows 1 0 | sed 's/^流0/流二/'; } > "$T/far-dup.csv"
upload "$T/far-dup.csv"
expect_status 303 "a file with a far duplicate read"
follow
contains "与第 2 行的身份证号重复" "a duplicate 2,000 lines apart found"
check "the duplicate is the one bad row" "$(sql "select bad || '/' || good from roster_import where id=$IMP")" = "1/2000"
postf "$J" "/roster/import/$IMP/discard" "_csrf=$tok"
check "refused files left no import" "$(imports)" = $((i0 + 1))
check "refused files left no rows" "$(stored)" = "$r0"

# an xlsx that gives a row number twice (Excel never writes one): refused
# with the line named, not a server error
python3 - "$T/dup-rows.xlsx" <<'PY'
import sys, zipfile
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
PNS = 'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"'
T = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
rows = [(1, ['姓名', '性别', '身份证号', '学段', '年级', '班级']),
        (2, ['甲', '女', '410305201401010022', '小学', '三年级', '1班']),
        (2, ['乙', '女', '410305201401010049', '小学', '三年级', '1班'])]
data = ''.join('<row r="%d">%s</row>' % (r, ''.join('<c t="inlineStr"><is><t>%s</t></is></c>' % v for v in vals))
               for r, vals in rows)
with zipfile.ZipFile(sys.argv[1], 'w') as z:
    z.writestr('_rels/.rels', '<Relationships %s><Relationship Id="rId1" Type="%sofficeDocument" '
               'Target="xl/workbook.xml"/></Relationships>' % (PNS, T))
    z.writestr('xl/workbook.xml', '<workbook %s xmlns:r="%s"><sheets><sheet name="S" sheetId="1" '
               'r:id="rId1"/></sheets></workbook>' % (NS, T[:-1]))
    z.writestr('xl/_rels/workbook.xml.rels', '<Relationships %s><Relationship Id="rId1" Type="%sworksheet" '
               'Target="worksheets/sheet1.xml"/></Relationships>' % (PNS, T))
    z.writestr('xl/worksheets/sheet1.xml', '<worksheet %s><sheetData>%s</sheetData></worksheet>' % (NS, data))
PY
upload "$T/dup-rows.xlsx"
expect_status 400 "an xlsx with a row number twice refused"
contains "第 2 行在文件中出现了不止一次" "the repeated row named"
check "nothing left by it" "$(stored)" = "$r0"

# not a spreadsheet at all
printf '\211PNG\r\n\032\n....' > "$T/x.png"
upload "$T/x.png"
check "a picture is refused (got $CODE)" "$CODE" = 400

# another school's officer cannot see or apply this school's imports
J2=$T/other
login "$J2" xg_officer "$PW"
get "$J2" "/roster/import/$IMP"
expect_status 404 "other school: import hidden"
get "$J2" /students/new
tok2=$(form_token)
postf "$J2" "/roster/import/$IMP" "_csrf=$tok2" mode=good
expect_status 404 "other school: cannot apply"

# 10,000 rows in one file, one transaction
awk 'BEGIN {
	split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " "); m = "10X98765432";
	print "姓名,性别,身份证号,学段,年级,班级";
	for (i = 0; i < 10000; i++) {
		seq = sprintf("%03d", (i * 2) % 1000);
		day = 1 + int(i / 500) % 28; mon = 1 + int(i / 14000);
		s = sprintf("410305%04d%02d%02d%s", 2012 + int(i / 5000), mon, day, seq);
		t = 0; for (k = 1; k <= 17; k++) t += substr(s, k, 1) * w[k];
		printf "学生%d,%s,%s%s,小学,五年级,%d班\n", i, ((i * 2) % 2 ? "男" : "女"), s, substr(m, t % 11 + 1, 1), i % 8 + 1;
	}
}' > "$T/big.csv"
upload "$T/big.csv"
expect_status 303 "10,000-row file read"
follow
contains "10000" "all rows counted"
b2=$(count)
postf "$J" "/roster/import/$IMP" "_csrf=$tok" mode=all
expect_status 303 "10,000 rows imported"
check "10,000 students added" "$(count)" = $((b2 + 10000))

# a file over 10 MB (a whole school's roster with every column) is read:
# 6,000 rows with a long 备注 column the import ignores
awk 'BEGIN {
	split("7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2", w, " "); m = "10X98765432";
	pad = sprintf("%700s", ""); gsub(/ /, "备", pad);
	print "姓名,性别,身份证号,学段,年级,班级,备注";
	for (i = 0; i < 6000; i++) {
		s = sprintf("410305%04d%02d%02d%03d", 2013, 1 + int(i / 1000) % 12, 1 + int(i / 40) % 25, (i * 2 + 1) % 1000);
		t = 0; for (k = 1; k <= 17; k++) t += substr(s, k, 1) * w[k];
		printf "大表%d,男,%s%s,小学,四年级,%d班,%s\n", i, s, substr(m, t % 11 + 1, 1), i % 8 + 1, pad;
	}
}' > "$T/wide.csv"
check "the file is over 10 MB" "$(stat -c %s "$T/wide.csv")" -gt $((10 * 1024 * 1024))
upload "$T/wide.csv"
expect_status 303 "a 12 MB roster is accepted"
follow
contains "备注" "the ignored column named"
check "its rows counted" "$(sql "select good + bad from roster_import where id=$IMP")" = 6000
# the workers give back what the big files took: each keeps at most its
# own size and SQLite's page cache (16 MB), under 30 MB in all
if nm "$BIN" 2>/dev/null | grep -q __asan_init; then
	echo "memory not bounded under AddressSanitizer (its quarantine keeps freed memory)"
else
	MASTER=$(pgrep -o -f "serve --db $DB ")
	for p in $(pgrep -P "$MASTER"); do
		kb=$(awk '/^VmRSS/ { print $2 }' "/proc/$p/status")
		echo "worker $p: $kb kB after the big imports"
		check "worker $p memory given back after the big imports ($kb kB)" "$kb" -lt 30720
	done
fi
postf "$J" "/roster/import/$IMP" "_csrf=$tok" mode=everything
expect_status 400 "an unknown import mode is refused"
contains "请选择导入方式" "the refusal says what to choose"
check "nothing imported by it" "$(sql "select status from roster_import where id=$IMP")" = preview
done_tests
