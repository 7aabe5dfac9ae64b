#!/bin/sh
# tests/bench/run.sh - `make bench`: a city-sized database, the daemon and
# nginx as in production, and the figures of the performance targets.
#
#   BENCH_SCALE    students in the city (default 1000000)
#   BENCH_SECONDS  length of each wrk run (default 10)
#   BENCH_RUNS     runs of each measurement; the median is reported (default 3)
#   BENCH_IMPORT   rows of the roster import (default 100000)
#
# The generated city is kept in build/bench/ and copied for each run, so a
# second `make bench` skips the generation. The table goes to stdout and to
# build/bench/results.md.
set -eu
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BIN=$ROOT/${BUILD:-build}/zizhu
SCALE=${BENCH_SCALE:-1000000}
SECS=${BENCH_SECONDS:-10}
RUNS=${BENCH_RUNS:-3}
IMPORT_ROWS=${BENCH_IMPORT:-100000}
OUT=$ROOT/build/bench
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/zizhu-bench.XXXXXX)
export ROOT BIN WORK
. "$ROOT/deploy/stack.sh"
. "$ROOT/tests/e2e/lib.sh"
say() { printf '%s\n' "$*" >&2; }
median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# ---- the city ----
CITY=$OUT/city-$SCALE.db
if [ ! -s "$CITY" ]; then
	say "生成基准数据：$SCALE 名学生（约每百万 4 分钟）"
	rm -f "$CITY" "$CITY-wal" "$CITY-shm"
	"$BIN" init --db "$CITY.tmp" >/dev/null
	"$BIN" demo --db "$CITY.tmp" --scale "$SCALE" >/dev/null
	mv "$CITY.tmp" "$CITY"
fi
DB=$WORK/zizhu.db
cp "$CITY" "$DB"
# a city made by an older build gets this build's migrations
V0=$(sqlite3 "$DB" "pragma user_version")
M0=$(date +%s.%N)
"$BIN" migrate --db "$DB" >/dev/null || exit 1
MIGRATE=$(echo "$M0 $(date +%s.%N)" | awk '{ printf "%.0f", $2 - $1 }')
export DB

# ---- officers of the largest schools of 西工区, for the submissions ----
# each gets its school's students without an application this 学年
say "准备提交申请用的账号"
YEAR=$(sql "select school_year from term where starts <= date('now') order by starts desc limit 1")
SCHOOLS=$(sql "select o.code from org o join org d on d.id = o.parent_id where d.code = '410303' and o.kind = 'school' and o.code <> '4103030002' order by (select count(*) from student s where s.school_id = o.id) desc limit 24")
k=0
for code in $SCHOOLS; do
	k=$((k + 1))
	printf '%s\n' "$PW" | "$BIN" user add --db "$DB" --username "bench$k" --name "基准测试专干$k" \
		--role school_officer --org "$code" >/dev/null
done

# ---- the stack, with the two yardsticks beside it ----
mkdir -p "$WORK/same"
cat > "$WORK/extra.conf" <<EOF
location /bench-static/ {
	alias $WORK/same/;
	default_type "text/html; charset=utf-8";
}
location = /bench-bare {
	fastcgi_pass unix:$WORK/bare.sock;
}
EOF
cc -O2 -o "$WORK/bare" "$ROOT/tests/bench/bare.c" -lfcgi
PORT=$((20000 + $$ % 10000))
while curl -s -o /dev/null --max-time 1 "http://127.0.0.1:$PORT/"; do PORT=$((PORT + 1)); done
BASE="http://127.0.0.1:$PORT"
WORKERS=4 STACK_SITE_EXTRA="$WORK/extra.conf" stack_start "$WORK/run" "$PORT" "$DB"
BARE=""
cleanup() {
	if [ -n "$BARE" ]; then pkill -TERM -P "$BARE" 2>/dev/null || true; kill -TERM "$BARE" 2>/dev/null || true; fi
	stack_stop
	return 0
}
trap cleanup EXIT INT TERM

rss() { # the resident size of each worker, in KB
	for p in $(pgrep -P "$STACK_DAEMON"); do awk '/^VmRSS/ { print $2 }' "/proc/$p/status"; done
}
wrk_rate() { # wrk ARGS... -> requests per second
	wrk "$@" 2>&1 | tee -a "$WORK/wrk.log" | awk '/^Requests\/sec/ { print $2 }'
}
wrk_p99() { # the 99th percentile from --latency, in ms
	awk '/ 99%/ { v = $2; if (v ~ /us$/) { sub(/us/, "", v); v /= 1000 } else if (v ~ /ms$/) { sub(/ms/, "", v) } else if (v ~ /s$/) { sub(/s/, "", v); v *= 1000 } print v }'
}

login "$WORK/officer" xg_officer "$PW"
login "$WORK/admin" xg_admin "$PW"
login "$WORK/city" city_viewer "$PW"

# ---- 1. a published 公示 of 300 names ----
say "公示：建立并发布 300 人的名单"
get "$WORK/officer" /notices/new
tok=$(form_token)
PROG=$(sql "select id from programme where code = 'cmp_nonboard'")
postf "$WORK/officer" /notices "_csrf=$tok" "title=2026年秋季学期家庭经济困难学生生活补助拟资助名单公示" \
	"starts=$(date +%F)" "ends=$(date -d '+14 days' +%F)" "programme=$PROG"
N=$(header Location | grep -o '[0-9]*$')
postf "$WORK/officer" "/notices/$N/publish" "_csrf=$tok"
NAMES=$(sql "select json_array_length(content, '\$.rows') from notice where id = $N")
curl -s -o "$WORK/same/notice.html" "$BASE/gongshi/$N"
cp "$WORK/same/notice.html" "$WORK/same/notice-bare"
RSS0=$(rss | sort -n | tail -n 1)
i=0
: > "$WORK/r1"
while [ $i -lt "$RUNS" ]; do
	s=$(wrk_rate -t2 -c64 -d"${SECS}s" "$BASE/bench-static/notice.html")
	d=$(wrk_rate -t2 -c64 -d"${SECS}s" "$BASE/gongshi/$N")
	g=$(wrk_rate -t2 -c64 -d"${SECS}s" -H "Cookie: zz_session=none" "$BASE/gongshi/$N")
	echo "$s $d $g" >> "$WORK/r1"
	i=$((i + 1))
done
N_STATIC=$(awk '{ print $1 }' "$WORK/r1" | median)
N_PAGE=$(awk '{ print $2 }' "$WORK/r1" | median)
N_DAEMON=$(awk '{ print $3 }' "$WORK/r1" | median)
N_RATIO=$(awk '{ print $2 / $1 * 100 }' "$WORK/r1" | median)
N_DRATIO=$(awk '{ print $3 / $1 * 100 }' "$WORK/r1" | median)

# ---- 2. signed-in list pages against a bare responder with the same bytes ----
say "列表页：申请（区级，筛选）与台账"
APPS="/applications?year=2025-2026&status=approved&grade=%E4%B8%89%E5%B9%B4%E7%BA%A7&page=3"
TERM=$(sql "select id from term where code = '2026-spring'")
LEDGER="/ledger/entries?term=$TERM&kind=payment&page=3"
ACK=$(grep zz_session "$WORK/admin" | awk '{ print "zz_session=" $7 }')
curl -s -b "$WORK/admin" -o "$WORK/same/apps" "$BASE$APPS"
curl -s -b "$WORK/admin" -o "$WORK/same/ledger" "$BASE$LEDGER"
ROWS=$(grep -c '<tr' "$WORK/same/apps" || true)
"$WORK/bare" "$WORK/bare.sock" "$WORK/same" 4 &
BARE=$!
sleep 0.5
: > "$WORK/r2"
i=0
while [ $i -lt "$RUNS" ]; do
	for page in apps ledger; do
		[ $page = apps ] && url=$APPS || url=$LEDGER
		b=$(wrk_rate -t2 -c64 -d"${SECS}s" "$BASE/bench-bare?$page")
		out=$(wrk -t2 -c64 -d"${SECS}s" --latency -H "Cookie: $ACK" "$BASE$url" 2>&1)
		printf '%s\n' "$out" >> "$WORK/wrk.log"
		d=$(printf '%s\n' "$out" | awk '/^Requests\/sec/ { print $2 }')
		p=$(printf '%s\n' "$out" | wrk_p99)
		n5=$(printf '%s\n' "$out" | awk '/Non-2xx/ { print $NF }')
		echo "$page $b $d $p ${n5:-0}" >> "$WORK/r2"
	done
	i=$((i + 1))
done
RSS1=$(rss | sort -n | tail -n 1)
for page in apps ledger; do
	eval "L_${page}_bare=\$(awk -v p=$page '\$1 == p { print \$2 }' \"$WORK/r2\" | median)"
	eval "L_${page}_rate=\$(awk -v p=$page '\$1 == p { print \$3 }' \"$WORK/r2\" | median)"
	eval "L_${page}_ratio=\$(awk -v p=$page '\$1 == p { print \$3 / \$2 * 100 }' \"$WORK/r2\" | median)"
	eval "L_${page}_p99=\$(awk -v p=$page '\$1 == p { print \$4 }' \"$WORK/r2\" | median)"
	eval "L_${page}_bad=\$(awk -v p=$page '\$1 == p { s += \$5 } END { print s + 0 }' \"$WORK/r2\")"
done

# ---- 3. submitting applications ----
say "提交申请：每个请求一份完整的申请"
CAT=$(sql "select id from difficulty_category where district_id is null and code = 'other'")
: > "$WORK/posts"
k=0
for code in $SCHOOLS; do
	k=$((k + 1))
	login "$WORK/o$k" "bench$k" "$PW"
	ck=$(grep zz_session "$WORK/o$k" | awk '{ print "zz_session=" $7 }')
	get "$WORK/o$k" /applications/new
	ctok=$(form_token)
	sql "select s.id, (select id from programme where code = CASE s.stage WHEN 'preschool' THEN 'pre_grant' WHEN 'primary' THEN CASE WHEN s.boarding THEN 'cmp_board' ELSE 'cmp_nonboard' END WHEN 'junior' THEN CASE WHEN s.boarding THEN 'jr_board' ELSE 'jr_nonboard' END WHEN 'senior' THEN 'hs_grant' ELSE 'voc_grant' END) from student s join org o on o.id = s.school_id where o.code = '$code' and s.status = '在读' and not exists (select 1 from application a where a.student_id = s.id and a.school_year = '$YEAR')" |
		while IFS='|' read -r sid prog; do
			printf '%s\t_csrf=%s&student_id=%s&household_size=4&income=18000&housing=%%E8%%87%%AA%%E6%%9C%%89%%E4%%BD%%8F%%E6%%88%%BF&m0_name=%%E7%%8E%%8B%%E5%%BB%%BA%%E5%%9B%%BD&m0_relation=%%E7%%88%%B6%%E4%%BA%%B2&m0_age=41&m0_occupation=%%E5%%8A%%A1%%E5%%86%%9C&m0_health=%%E5%%81%%A5%%E5%%BA%%B7&m0_income=18000&category=%s&programme=%s&reason=%%E5%%AE%%B6%%E5%%BA%%AD%%E5%%9B%%B0%%E9%%9A%%BE&pledge_confirmed=1&pledge_signer=%%E7%%8E%%8B%%E5%%BB%%BA%%E5%%9B%%BD&action=submit\n' \
				"$ck" "$ctok" "$sid" "$CAT" "$prog"
		done >> "$WORK/posts"
done
AVAIL=$(wc -l < "$WORK/posts")
BEFORE=$(sql "select count(*) from application where created_by in (select id from user where username like 'bench%')")
AUD0=$(sql "select count(*) from audit_log where action = 'application.submit' and username like 'bench%'")
# RUNS rounds, each with its own share of the students: a round that runs
# out of students would measure /healthz instead
: > "$WORK/r3"
i=0
while [ $i -lt "$RUNS" ]; do
	awk -v n="$RUNS" -v k="$i" 'NR % n == k' "$WORK/posts" > "$WORK/posts$i"
	out=$(wrk -t2 -c16 -d"${SECS}s" -s "$ROOT/tests/bench/post.lua" "$BASE/applications" -- "$WORK/posts$i" 2 2>&1)
	printf '%s\n' "$out" >> "$WORK/wrk.log"
	rate=$(printf '%s\n' "$out" | awk '/^Requests\/sec/ { print $2 }')
	done_=$(printf '%s\n' "$out" | awk '/requests in/ { print $1 }')
	bad=$(printf '%s\n' "$out" | awk '/Non-2xx/ { print $NF }')
	sock=$(printf '%s\n' "$out" | grep -c 'Socket errors' || true)
	echo "$rate $done_ ${bad:-0} $sock $(wc -l < "$WORK/posts$i")" >> "$WORK/r3"
	i=$((i + 1))
done
P_RATE=$(awk '{ print $1 }' "$WORK/r3" | median)
P_DONE=$(awk '{ s += $2 } END { print s }' "$WORK/r3")
P_BAD=$(awk '{ s += $3 } END { print s }' "$WORK/r3")
P_SOCK=$(awk '{ s += $4 } END { print s }' "$WORK/r3")
P_SHORT=$(awk '$2 >= $5 { n++ } END { print n + 0 }' "$WORK/r3")
P_RATES=$(awk '{ printf "%s%.0f", (NR > 1 ? " / " : ""), $1 }' "$WORK/r3")
sleep 1
AFTER=$(sql "select count(*) from application where created_by in (select id from user where username like 'bench%')")
P_ROWS=$((AFTER - BEFORE))
AUD1=$(sql "select count(*) from audit_log where action = 'application.submit' and username like 'bench%'")
RSS2=$(rss | sort -n | tail -n 1)

# ---- 4. reports over the city ----
say "报表：全市与区级的汇总表、应助未助名单"
TERMNOW=$(sql "select id from term where code = '2026-autumn'")
time_of() { # JAR PATH -> median seconds over RUNS+2 requests
	j=0
	while [ $j -lt $((RUNS + 2)) ]; do
		curl -s -o /dev/null -w '%{http_code} %{time_total}\n' -b "$1" "$BASE$2"
		j=$((j + 1))
	done > "$WORK/t"
	if grep -qv '^200 ' "$WORK/t"; then echo "error"; else awk '{ print $2 }' "$WORK/t" | median; fi
}
R_SUM_D=$(time_of "$WORK/admin" "/reports/summary?term=$TERMNOW")
R_SUM_C=$(time_of "$WORK/city" "/reports/summary?year=2025-2026")
R_PAI_D=$(time_of "$WORK/admin" "/reports/paicha?term=$TERMNOW")
R_PAI_C=$(time_of "$WORK/city" "/reports/paicha?term=$TERMNOW")
# the checks (预警) carry the 应助未助 list too, beside six other lists
R_CHK_D=$(time_of "$WORK/admin" "/reports/checks?term=$TERMNOW")
R_CHK_C=$(time_of "$WORK/city" "/reports/checks?term=$TERMNOW")
# the list is paged: the number of unaided children is the one the page
# states over the whole city, the rows are those of its first page
curl -s -b "$WORK/city" "$BASE/reports/paicha?term=$TERMNOW" > "$WORK/paicha"
UNAIDED=$(sed -n 's/.*应助未助学生名单（\([0-9]*\) 人）.*/\1/p' "$WORK/paicha" | head -n 1)
UNAIDED_ROWS=$(grep -o 'href="/students/[0-9]*"' "$WORK/paicha" | wc -l)

# ---- 5. a roster import of IMPORT_ROWS rows ----
say "名册导入：$IMPORT_ROWS 行"
: > "$WORK/r5"
i=0
while [ $i -lt "$RUNS" ]; do
	python3 "$ROOT/tests/bench/roster.py" "$IMPORT_ROWS" "$i" > "$WORK/roster.csv"
	# each run into another school, so no run starts from a roster the
	# previous runs made 100,000 rows bigger
	JAR=$WORK/o$((i + 1))
	get "$JAR" /roster/import
	tok=$(form_token)
	t0=$(date +%s.%N)
	CODE=$(curl -s -o "$WORK/imp" -D "$WORK/imph" -w '%{http_code}' -b "$JAR" \
		-F "_csrf=$tok" -F "file=@$WORK/roster.csv;type=text/csv" "$BASE/roster/import")
	loc=$(grep -i '^Location:' "$WORK/imph" | tr -d '\r' | awk '{ print $2 }')
	curl -s -o "$WORK/imp" -b "$JAR" "$BASE$loc"
	t1=$(date +%s.%N)
	CODE2=$(curl -s -o "$WORK/imp" -D "$WORK/imph" -w '%{http_code}' -b "$JAR" \
		--data-urlencode "_csrf=$tok" --data-urlencode mode=all "$BASE$loc")
	t2=$(date +%s.%N)
	echo "$t0 $t1 $t2 $CODE $CODE2" | awk '{ print $2 - $1, $3 - $2, $3 - $1, $4, $5 }' >> "$WORK/r5"
	i=$((i + 1))
done
I_CHECK=$(awk '{ print $1 }' "$WORK/r5" | median)
I_APPLY=$(awk '{ print $2 }' "$WORK/r5" | median)
I_TOTAL=$(awk '{ print $3 }' "$WORK/r5" | median)
I_CODES=$(awk '{ print $4 "/" $5 }' "$WORK/r5" | sort -u | tr '\n' ' ')
# an upload or apply that was refused is not a measurement
[ "$I_CODES" = "303/303 " ] || I_TOTAL=error
I_ROWS=$(sql "select count(*) from student where idcard like '41038%'")
RSS3=$(rss | sort -n | tail -n 1)
RSSALL=$(rss | tr '\n' ' ')

# ---- the table ----
yes_no() { awk -v v="$1" -v t="$2" -v dir="$3" 'BEGIN { if (v == "" || v == "error") print "**未测得**"; else if ((dir == "min" && v + 0 >= t) || (dir == "max" && v + 0 <= t)) print "达到"; else print "**未达到**" }'; }
{
	echo "基准测试：$(date +%F)，$(nproc) 核，$(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo) 内存；"
	echo "$SCALE 名学生（$(sql "select count(*) from org where kind = 'school'") 所学校），$(sql "select count(*) from award") 条资助、$(sql "select count(*) from past_award") 条历史记录、$(sql "select count(*) from ledger") 条台账；"
	echo "数据库 $(du -m "$DB" | cut -f1) MB；守护进程 4 个工作进程；wrk -t2，每次 ${SECS} 秒，取 $RUNS 次的中位数。"
	echo
	echo "| 指标 | 目标 | 实测 | 结论 |"
	echo "| --- | --- | --- | --- |"
	printf '| 公示页（%s 人）经 nginx 的吞吐，对比同一内容的静态文件 | ≥ 80%% | %.0f 次/秒，静态 %.0f 次/秒，%.0f%% | %s |\n' \
		"$NAMES" "$N_PAGE" "$N_STATIC" "$N_RATIO" "$(yes_no "$N_RATIO" 80 min)"
	printf '| （参考）同一公示页由守护进程生成 | — | %.0f 次/秒，%.0f%% | — |\n' "$N_DAEMON" "$N_DRATIO"
	printf '| 已登录列表页（申请，区级，%s 行，筛选+分页），对比裸 FastCGI 程序 | ≥ 30%% | %.0f 次/秒，裸程序 %.0f 次/秒，%.0f%% | %s |\n' \
		"$((ROWS - 1))" "$L_apps_rate" "$L_apps_bare" "$L_apps_ratio" "$(yes_no "$L_apps_ratio" 30 min)"
	printf '| 同上，64 连接 p99 延迟 | < 20 ms | %s ms | %s |\n' "$L_apps_p99" "$(yes_no "$L_apps_p99" 20 max)"
	printf '| 已登录台账记录页（区级，50 行，按学期+类型筛选，第 3 页），对比裸 FastCGI 程序 | ≥ 30%% | %.0f 次/秒，裸程序 %.0f 次/秒，%.0f%% | %s |\n' \
		"$L_ledger_rate" "$L_ledger_bare" "$L_ledger_ratio" "$(yes_no "$L_ledger_ratio" 30 min)"
	printf '| 同上，64 连接 p99 延迟 | < 20 ms | %s ms | %s |\n' "$L_ledger_p99" "$(yes_no "$L_ledger_p99" 20 max)"
	printf '| 提交申请（POST，含审计记录，synchronous=FULL） | ≥ 500 次/秒，无错误、无丢失 | %.0f 次/秒（各次 %s）；%s 个请求，写入 %s 份申请、%s 条审计，非 2xx/3xx：%s，连接错误：%s | %s |\n' \
		"$P_RATE" "$P_RATES" "$P_DONE" "$P_ROWS" "$((AUD1 - AUD0))" "$P_BAD" "$P_SOCK" \
		"$(if [ "$P_BAD" = 0 ] && [ "$P_SOCK" = 0 ] && [ "$P_ROWS" -ge "$P_DONE" ] && [ "$P_SHORT" = 0 ]; then yes_no "$P_RATE" 500 min; else echo "**未达到**"; fi)"
	if [ "$I_TOTAL" = error ]; then
		printf '| 导入 %s 行名册（上传+校验，确认导入） | < 5 秒 | 被拒绝（状态码 %s） | **未测得** |\n' "$IMPORT_ROWS" "$I_CODES"
	else
		printf '| 导入 %s 行名册（上传+校验，确认导入） | < 5 秒 | %.2f 秒（%.2f + %.2f） | %s |\n' \
			"$IMPORT_ROWS" "$I_TOTAL" "$I_CHECK" "$I_APPLY" "$(yes_no "$I_TOTAL" 5 max)"
	fi
	printf '| 区级资助汇总表（本学期） | < 1 秒 | %s 秒 | %s |\n' "$R_SUM_D" "$(yes_no "$R_SUM_D" 1 max)"
	printf '| 全市资助汇总表（上一学年） | < 1 秒 | %s 秒 | %s |\n' "$R_SUM_C" "$(yes_no "$R_SUM_C" 1 max)"
	printf '| 区级排查表与应助未助名单 | < 1 秒 | %s 秒 | %s |\n' "$R_PAI_D" "$(yes_no "$R_PAI_D" 1 max)"
	printf '| 全市排查表与应助未助名单（共 %s 人，每页 %s 行） | < 1 秒 | %s 秒 | %s |\n' "${UNAIDED:-?}" "$UNAIDED_ROWS" "$R_PAI_C" "$(yes_no "$R_PAI_C" 1 max)"
	printf '| （参考）区级预警页（7 项检查，其一为应助未助名单） | — | %s 秒 | — |\n' "$R_CHK_D"
	printf '| （参考）全市预警页（7 项检查，其一为应助未助名单） | — | %s 秒 | — |\n' "$R_CHK_C"
	printf '| 工作进程常驻内存（最大者：预热后 / 列表后 / 提交后 / 导入后） | < 30 MB，平稳 | %s / %s / %s / %s MB | %s |\n' \
		"$((RSS0 / 1024))" "$((RSS1 / 1024))" "$((RSS2 / 1024))" "$((RSS3 / 1024))" "$(yes_no "$((RSS3 / 1024))" 30 max)"
	echo
	echo "导入各次（校验秒 确认秒 合计秒 状态码）：$(tr '\n' ';' < "$WORK/r5")；导入后名册中新学生 $I_ROWS 名。"
	echo "各工作进程最终常驻内存（KB）：$RSSALL"
	echo "提交申请可用学生 $AVAIL 名，分 $RUNS 次各用一份；数据库从版本 $V0 迁移到 $(sqlite3 "$DB" "pragma user_version") 用时 $MIGRATE 秒。"
} | tee "$OUT/results.md"
cp "$WORK/wrk.log" "$OUT/wrk.log"
trap - EXIT INT TERM
cleanup
[ -z "${KEEP:-}" ] && rm -rf "$WORK"
exit 0
