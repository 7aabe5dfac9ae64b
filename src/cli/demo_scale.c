/* demo_scale.c - `zizhu demo --scale N`: a whole city for the benchmarks.
 *
 * On top of the demo city: every district of 洛阳市, schools of every 学段
 * sized as real ones are, N students with valid and unique 身份证号; for
 * about 30% of them applications in the last two 学年 with committee and
 * school reviews and awards at the national standard; money allocated,
 * paid through returned bank batches and written to the hash-chained
 * ledger; and past awards imported for the earlier terms (ten years in all
 * by default). 实验小学 keeps 300 cases decided by the school and not yet
 * published, so a 公示 of 300 names can be built through the web pages.
 *
 * Bulk rows are written with INSERT … SELECT over the students, drawing
 * with a multiplicative hash of the row id, so the whole set is
 * deterministic. The database is written without a journal for speed: if
 * the command fails, delete the file and start again. */
#include "cli.h"
#include "app/app.h"
#include "db/queries.h"
#include "domain/ledger.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const struct {
	const char *code, *name;
} DISTRICTS[] = {
	{"410303", "西工区"},   {"410311", "洛龙区"},   {"410302", "老城区"}, {"410304", "瀍河回族区"},
	{"410305", "涧西区"},   {"410307", "偃师区"},   {"410308", "孟津区"}, {"410323", "新安县"},
	{"410324", "栾川县"},   {"410325", "嵩县"},     {"410326", "汝阳县"}, {"410327", "宜阳县"},
	{"410328", "洛宁县"},   {"410329", "伊川县"},
};
#define NDISTRICTS (int)(sizeof DISTRICTS / sizeof DISTRICTS[0])

/* share of the students per 学段 (per mille) and the size of a school */
static const struct {
	const char *stage, *suffix;
	int permille, size;
} STAGES[] = {
	{"preschool", "幼儿园", 150, 300},  {"primary", "小学", 450, 1200},
	{"junior", "初级中学", 200, 1500},  {"senior", "高级中学", 120, 2400},
	{"vocational", "职业中等专业学校", 80, 2000},
};
#define NSTAGES (int)(sizeof STAGES / sizeof STAGES[0])

/* the school whose 300 cases wait for a 公示 */
#define NOTICE_SCHOOL "4103030002"
#define NOTICE_CASES 300

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void step(const char *what, double t0)
{
	fprintf(stderr, "  %-28s %6.1f s\n", what, now_s() - t0);
}

static long long one_int(db_t *db, const char *sql)
{
	sqlite3_stmt *s;
	long long v = -1;
	if (sqlite3_prepare_v2(db_handle(db), sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* The history terms before the first seeded one (2025 spring): autumn and
 * spring back from 2024 autumn. */
static int add_history_terms(db_t *db, int n)
{
	for (int k = 0; k < n; k++) {
		int back = k + 1; /* 1: 2024 autumn, 2: 2024 spring, ... */
		int year = 2025 - (back + 1) / 2;
		int autumn = back % 2 == 1;
		char sql[512];
		snprintf(sql, sizeof sql,
			 "INSERT OR IGNORE INTO term (code, school_year, season, name, starts, ends) VALUES "
			 "('%d-%s', '%d-%d', '%s', '%d年%s季学期', '%d-%s', '%d-%s')",
			 year, autumn ? "autumn" : "spring", autumn ? year : year - 1, autumn ? year + 1 : year,
			 autumn ? "autumn" : "spring", year, autumn ? "秋" : "春", year, autumn ? "09-01" : "02-20",
			 autumn ? year + 1 : year, autumn ? "01-20" : "07-10");
		if (db_exec(db, sql) != SQLITE_OK)
			return -1;
	}
	return 0;
}

/* Schools and students. The order code of a 身份证号 is kept unique per
 * district and birth date; the small demo city used codes below 722 in its
 * two districts. */
static int add_students(db_t *db, long n, long *made)
{
	static unsigned short next[NDISTRICTS][40][336][2];
	memset(next, 0, sizeof next);
	long per_district = n / NDISTRICTS;
	*made = 0;
	for (int d = 0; d < NDISTRICTS; d++) {
		char err[256];
		if (!demo_org_id(db, DISTRICTS[d].code) &&
		    cli_org_add(db, "district", DISTRICTS[d].name, DISTRICTS[d].code, "410300", NULL, err,
				sizeof err) < 0) {
			fprintf(stderr, "zizhu: %s\n", err);
			return -1;
		}
		int base = d < 2 ? 361 : 0; /* seq = 2 * k + male, k from base */
		long want = per_district + (d < n % NDISTRICTS ? 1 : 0);
		for (int st = 0; st < NSTAGES; st++) {
			long stage_n = want * STAGES[st].permille / 1000;
			if (st == NSTAGES - 1) { /* the rest, so the total is exact */
				stage_n = want;
				for (int q = 0; q < NSTAGES - 1; q++)
					stage_n -= want * STAGES[q].permille / 1000;
			}
			int nschools = (int)((stage_n + STAGES[st].size - 1) / STAGES[st].size);
			for (int k = 0; k < nschools; k++) {
				char code[16], name[128];
				snprintf(code, sizeof code, "%s%04d", DISTRICTS[d].code, 100 + st * 200 + k);
				snprintf(name, sizeof name, "%s第%d%s", DISTRICTS[d].name, k + 1, STAGES[st].suffix);
				long size = stage_n / nschools + (k < stage_n % nschools ? 1 : 0);
				/* 实验小学 of the demo city is the first primary school of 西工区 */
				long long school = d == 0 && st == 1 && k == 0
							   ? demo_org_id(db, NOTICE_SCHOOL)
							   : cli_org_add(db, "school", name, code, DISTRICTS[d].code,
									 STAGES[st].stage, err, sizeof err);
				if (school <= 0) {
					fprintf(stderr, "zizhu: %s\n", err);
					return -1;
				}
				int ngrades = demo_grades(STAGES[st].stage);
				int nclasses = (int)(size / ngrades / 45) + 1;
				if (db_begin(db) != SQLITE_OK)
					return -1;
				for (long i = 0; i < size; i++) {
					int grade = (int)(i % ngrades);
					int male = (int)demo_rnd(2);
					int year = demo_birth_year(STAGES[st].stage, grade);
					int day = (int)demo_rnd(336), yi = 2026 - year;
					if (yi < 0 || yi >= 40)
						yi = 39;
					while (base + next[d][yi][day][male] >= 500)
						day = (day + 1) % 336;
					int seq = 2 * (base + next[d][yi][day][male]++) + male;
					if (demo_student(db, school, DISTRICTS[d].code, STAGES[st].stage, grade, nclasses,
							 seq, year, day) != 0) {
						db_rollback(db);
						return -1;
					}
				}
				if (db_commit(db) != SQLITE_OK)
					return -1;
				*made += size;
			}
		}
	}
	return 0;
}

/* h is a hash of the student id; draws use disjoint parts of it. */
#define PROG_CODE                                                                                  \
	"CASE s.stage WHEN 'preschool' THEN 'pre_grant' "                                              \
	"WHEN 'primary' THEN CASE WHEN s.boarding THEN 'cmp_board' ELSE 'cmp_nonboard' END "             \
	"WHEN 'junior' THEN CASE WHEN s.boarding THEN 'jr_board' ELSE 'jr_nonboard' END "                \
	"WHEN 'senior' THEN 'hs_grant' ELSE 'voc_grant' END"

static const char *const CASES_SQL[] = {
	/* the sample: about 30% of the students enrolled */
	"CREATE TEMP TABLE sample AS SELECT s.id AS sid, s.school_id, s.idcard, s.stage, h, "
	" (SELECT id FROM programme WHERE code = " PROG_CODE ") AS prog, "
	" CASE WHEN h / 31 % 10 = 9 THEN 'none' WHEN h / 31 % 10 < 3 THEN 'special' "
	"  WHEN h / 31 % 10 < 6 THEN 'fairly' ELSE 'general' END AS tier "
	"FROM (SELECT *, (id * 2654435761) % 1000003 AS h FROM student WHERE status = '在读') s "
	"WHERE h % 100 < 30",
	"CREATE INDEX temp.sample_sid ON sample(sid)",
	/* applications for the last 学年 (decided) and this one (in progress) */
	"INSERT INTO application (student_id, school_id, school_year, status, household_size, income_fen, "
	" housing, single_parent, reason, officer_summary, pledge_confirmed, pledge_signer, score, created_by, "
	" created_at, updated_at, submitted_at, grade, class_name) "
	"SELECT x.sid, x.school_id, y.sy, CASE WHEN y.sy = '2025-2026' THEN 'approved' "
	"  ELSE CASE h / 19 % 20 WHEN 0 THEN 'draft' WHEN 1 THEN 'submitted' WHEN 2 THEN 'submitted' "
	"  WHEN 3 THEN 'class_reviewed' WHEN 4 THEN 'school_reviewed' ELSE 'approved' END END, "
	" 3 + h / 100 % 4, (h / 7 % 400) * 10000, CASE h / 11 % 5 WHEN 0 THEN '租住' WHEN 1 THEN '危房' ELSE '自有住房' END, "
	" h / 13 % 7 = 0, '家庭收入微薄，父母务农，供养多名子女上学。', '经入户核实，情况属实。', 1, '监护人', "
	" 30 + h / 17 % 60, (SELECT id FROM user WHERE username = 'xg_officer'), "
	" y.d, y.d, y.d, st.grade, st.class_name "
	"FROM sample x JOIN student st ON st.id = x.sid, (SELECT '2025-2026' AS sy, '2025-09-10T09:00:00' AS d UNION ALL "
	" SELECT '2026-2027', '2026-09-10T09:00:00') y",
	/* 实验小学: 300 cases decided by the school, the rest submitted */
	"UPDATE application SET status = CASE WHEN id IN (SELECT a.id FROM application a JOIN org o "
	" ON o.id = a.school_id WHERE o.code = '" NOTICE_SCHOOL "' AND a.school_year = '2026-2027' "
	" ORDER BY a.id LIMIT 300) THEN 'school_reviewed' ELSE 'submitted' END "
	"WHERE school_year = '2026-2027' AND school_id = (SELECT id FROM org WHERE code = '" NOTICE_SCHOOL "')",
	"INSERT INTO application_programme SELECT a.id, x.prog FROM application a JOIN sample x ON x.sid = a.student_id",
	"INSERT INTO application_category SELECT a.id, (SELECT id FROM difficulty_category WHERE district_id IS NULL "
	" AND code = CASE WHEN h / 23 % 100 < 25 THEN CASE h / 29 % 8 WHEN 0 THEN 'tuopin' WHEN 1 THEN 'jiance' "
	"  WHEN 2 THEN 'dibao' WHEN 3 THEN 'tekun' WHEN 4 THEN 'guer' WHEN 5 THEN 'wurenfuyang' WHEN 6 THEN 'kunjing' "
	"  ELSE 'canji_self' END ELSE CASE h / 29 % 3 WHEN 0 THEN 'zhongbing' WHEN 1 THEN 'canji_family' "
	"  ELSE 'other' END END) FROM application a JOIN sample x ON x.sid = a.student_id",
	/* the committees and the school */
	"INSERT INTO class_review (application_id, tier, participants, recorded_by, at) "
	"SELECT a.id, x.tier, '班主任、教师代表、家长代表', a.created_by, a.updated_at FROM application a "
	"JOIN sample x ON x.sid = a.student_id WHERE a.status IN ('class_reviewed', 'school_reviewed', 'approved')",
	"INSERT INTO school_review (application_id, term_id, tier, decided_by, at) "
	"SELECT a.id, (SELECT id FROM term t WHERE t.school_year = a.school_year AND t.season = 'autumn'), x.tier, "
	" a.created_by, a.updated_at FROM application a JOIN sample x ON x.sid = a.student_id "
	"WHERE a.status IN ('school_reviewed', 'approved')",
	/* awards: every term of the 学年 begun by now, at the national standard */
	"INSERT INTO award (application_id, idcard, school_id, term_id, programme_id, tier, amount_fen, status, created_at) "
	"SELECT a.id, x.idcard, a.school_id, t.id, x.prog, ps.tier, ps.amount_fen, "
	" CASE a.status WHEN 'approved' THEN 'approved' ELSE 'proposed' END, a.updated_at "
	"FROM application a JOIN sample x ON x.sid = a.student_id "
	"JOIN term t ON t.school_year = a.school_year AND t.starts <= '2026-11-23' "
	"JOIN programme_standard ps ON ps.district_id IS NULL AND ps.term_id = t.id AND ps.programme_id = x.prog "
	" AND ps.tier = CASE WHEN x.stage IN ('senior', 'vocational') THEN CASE x.tier WHEN 'special' THEN '一档' "
	"  WHEN 'fairly' THEN '二档' ELSE '三档' END ELSE '标准' END "
	"WHERE a.status IN ('school_reviewed', 'approved') AND x.tier <> 'none'",
	/* places: what was given and a tenth more */
	"INSERT INTO quota (term_id, school_id, programme_id, places) SELECT term_id, school_id, programme_id, "
	" count(*) + count(*) / 10 + 1 FROM award GROUP BY term_id, school_id, programme_id",
	NULL,
};

static int run_all(db_t *db, const char *const *sql)
{
	for (; *sql; sql++)
		if (db_exec(db, *sql) != SQLITE_OK)
			return -1;
	return 0;
}

/* Money: allocations a little above what was awarded, then, for the terms
 * already paid, one returned bank batch per district and programme with
 * every row paid, each payment written to the ledger. */
static int add_money(db_t *db, long long admin)
{
	sqlite3 *h = db_handle(db);
	sqlite3_stmt *g;
	if (sqlite3_prepare_v2(h,
			       "SELECT o.parent_id, w.term_id, w.programme_id, sum(w.amount_fen), t.code "
			       "FROM award w JOIN org o ON o.id = w.school_id JOIN term t ON t.id = w.term_id "
			       "WHERE w.status IN ('approved', 'proposed') GROUP BY 1, 2, 3 ORDER BY 2, 1, 3",
			       -1, &g, NULL) != SQLITE_OK)
		return -1;
	json_t *groups = json_array();
	while (sqlite3_step(g) == SQLITE_ROW)
		json_array_append_new(groups, json_pack("[I, I, I, I, s]", (json_int_t)sqlite3_column_int64(g, 0),
							(json_int_t)sqlite3_column_int64(g, 1),
							(json_int_t)sqlite3_column_int64(g, 2),
							(json_int_t)sqlite3_column_int64(g, 3),
							(const char *)sqlite3_column_text(g, 4)));
	sqlite3_finalize(g);
	sqlite3_stmt *pay = NULL, *rows = NULL;
	int rc = -1;
	if (sqlite3_prepare_v2(h,
			       "INSERT INTO payment (pay_batch_id, award_id, idcard, name, school_id, term_id, "
			       " programme_id, account_type, account_no, bank, amount_fen, status) "
			       "SELECT ?1, w.id, w.idcard, s.name, w.school_id, w.term_id, w.programme_id, "
			       " s.account_type, s.account_no, s.bank, w.amount_fen, 'paid' FROM award w "
			       "JOIN application a ON a.id = w.application_id JOIN student s ON s.id = a.student_id "
			       "JOIN org o ON o.id = w.school_id WHERE w.status = 'approved' AND o.parent_id = ?2 "
			       " AND w.term_id = ?3 AND w.programme_id = ?4 AND s.account_no <> '' AND w.amount_fen > 0",
			       -1, &pay, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(h,
			       "SELECT id, school_id, idcard, account_no, amount_fen FROM payment "
			       "WHERE pay_batch_id = ?1 ORDER BY id",
			       -1, &rows, NULL) != SQLITE_OK)
		goto out;
	size_t i;
	json_t *x;
	json_array_foreach(groups, i, x)
	{
		json_int_t district = json_integer_value(json_array_get(x, 0));
		json_int_t term = json_integer_value(json_array_get(x, 1));
		json_int_t prog = json_integer_value(json_array_get(x, 2));
		json_int_t fen = json_integer_value(json_array_get(x, 3));
		const char *code = json_string_value(json_array_get(x, 4));
		/* allocated: 5% above, rounded up to ten thousand 元 */
		json_int_t alloc = (fen + fen / 20 + 999999) / 1000000 * 1000000;
		char doc[64];
		snprintf(doc, sizeof doc, "豫财教〔%.4s〕%lld号", code, (long long)(100 + district % 100));
		if (db_begin(db) != SQLITE_OK)
			goto out;
		sqlite3_stmt *a = db_stmt(db, Q_ALLOCATION_SET);
		sqlite3_bind_int64(a, 1, district);
		sqlite3_bind_int64(a, 2, term);
		sqlite3_bind_int64(a, 3, prog);
		sqlite3_bind_int64(a, 4, alloc);
		db_bind_text(a, 5, doc);
		ledger_entry e = {.district_id = district, .term_id = term, .programme_id = prog,
				  .kind = "allocation", .amount_fen = alloc, .reason = doc, .user_id = admin};
		if (db_exec_stmt(a) != SQLITE_DONE || ledger_append(db, &e) != 0)
			goto rollback;
		/* the terms already paid */
		if (strcmp(code, "2025-autumn") == 0 || strcmp(code, "2026-spring") == 0) {
			char sql[512];
			snprintf(sql, sizeof sql,
				 "INSERT INTO pay_batch (district_id, term_id, programme_id, status, created_by, "
				 "created_at, sent_at, returned_at, return_file_sha256) VALUES (%lld, %lld, %lld, "
				 "'returned', %lld, '%s', '%s', '%s', '')",
				 (long long)district, (long long)term, (long long)prog, admin,
				 code[5] == 'a' ? "2025-10-20T10:00:00" : "2026-04-20T10:00:00",
				 code[5] == 'a' ? "2025-10-21T10:00:00" : "2026-04-21T10:00:00",
				 code[5] == 'a' ? "2025-10-28T10:00:00" : "2026-04-28T10:00:00");
			if (db_exec(db, sql) != SQLITE_OK)
				goto rollback;
			long long batch = sqlite3_last_insert_rowid(h);
			sqlite3_bind_int64(pay, 1, batch);
			sqlite3_bind_int64(pay, 2, district);
			sqlite3_bind_int64(pay, 3, term);
			sqlite3_bind_int64(pay, 4, prog);
			int prc = sqlite3_step(pay);
			sqlite3_reset(pay);
			if (prc != SQLITE_DONE)
				goto rollback;
			sqlite3_bind_int64(rows, 1, batch);
			while (sqlite3_step(rows) == SQLITE_ROW) {
				char fp[17], reason[96];
				ledger_payment_digest((const char *)sqlite3_column_text(rows, 2),
						      (const char *)sqlite3_column_text(rows, 3),
						      sqlite3_column_int64(rows, 4), fp);
				snprintf(reason, sizeof reason, "发放批次 %lld；收款凭据 %s", batch, fp);
				ledger_entry p = {.district_id = district, .term_id = term, .programme_id = prog,
						  .school_id = sqlite3_column_int64(rows, 1), .kind = "payment",
						  .amount_fen = sqlite3_column_int64(rows, 4),
						  .payment_id = sqlite3_column_int64(rows, 0), .reason = reason,
						  .user_id = admin};
				if (ledger_append(db, &p) != 0) {
					sqlite3_reset(rows);
					goto rollback;
				}
			}
			sqlite3_reset(rows);
		}
		if (db_commit(db) != SQLITE_OK)
			goto out;
	}
	rc = 0;
	goto out;
rollback:
	db_rollback(db);
out:
	sqlite3_finalize(pay);
	sqlite3_finalize(rows);
	json_decref(groups);
	return rc;
}

/* 历史资助记录 for the terms before the system: a third of the roster each
 * term, at the national standard of the time. */
static const char PAST_SQL[] =
	"INSERT INTO past_award (district_id, school_id, idcard, name, school_name, stage, programme_id, term_id, "
	" amount_fen, tuopin, source, imported_at) "
	"SELECT o.parent_id, o.id, s.idcard, s.name, o.name, s.stage, "
	" (SELECT id FROM programme WHERE code = " PROG_CODE "), t.id, "
	" CASE s.stage WHEN 'preschool' THEN 60000 WHEN 'primary' THEN CASE WHEN s.boarding THEN 62500 ELSE 31250 END "
	"  WHEN 'junior' THEN CASE WHEN s.boarding THEN 75000 ELSE 37500 END ELSE 100000 END, "
	" (s.id * 2654435761 + t.id) % 1000003 % 5 = 0, '历史资助记录（演示数据）', t.ends "
	"FROM student s JOIN org o ON o.id = s.school_id JOIN term t ON t.starts < '2025-02-17' "
	"WHERE s.status = '在读' AND ((s.id + t.id * 7919) * 2654435761) % 1000003 % 100 < 30";

int demo_scale(db_t *db, long nstudents, int history_terms, unsigned seed, char *err, size_t errlen)
{
	double t0 = now_s();
	int rc = demo_fill(db, 360, seed, err, errlen);
	if (rc != 0)
		return rc;
	/* a fresh file written in one go: no journal, no syncing */
	if (db_exec(db, "PRAGMA journal_mode = OFF") != SQLITE_OK ||
	    db_exec(db, "PRAGMA synchronous = OFF") != SQLITE_OK ||
	    db_exec(db, "PRAGMA cache_size = -1000000") != SQLITE_OK)
		goto dberr;
	if (add_history_terms(db, history_terms) != 0)
		goto dberr;
	long made = 0;
	if (add_students(db, nstudents, &made) != 0)
		goto dberr;
	step("学生", t0);
	if (run_all(db, CASES_SQL) != 0)
		goto dberr;
	step("申请、评审、资助", t0);
	if (add_money(db, one_int(db, "SELECT id FROM user WHERE username = 'xg_admin'")) != 0)
		goto dberr;
	step("下达资金、发放、台账", t0);
	if (history_terms > 0 && db_exec(db, PAST_SQL) != SQLITE_OK)
		goto dberr;
	step("历史资助记录", t0);
	json_t *after = json_pack("{s:I, s:i, s:i}", "students", (json_int_t)made, "history_terms", history_terms,
				  "seed", (int)seed);
	rc = audit_cli(db, "demo.scale", "student", 0, 1, NULL, after);
	json_decref(after);
	if (rc != 0 || db_exec(db, "PRAGMA journal_mode = WAL") != SQLITE_OK)
		goto dberr;
	return 0;
dberr:
	snprintf(err, errlen, "无法写入基准数据：%s（请删除数据库文件后重试）", db_errmsg(db));
	return -1;
}
