/* Tests for the store: migrations, every statement against the schema,
 * the scope range, the append-only audit trail, and rows as JSON. */
#include "db/db.h"
#include "db/queries.h"
#include "domain/idcard.h"
#include "domain/student.h"
#include "test.h"
#include <stdlib.h>
#include <unistd.h>

static char path[64];

static long long org(db_t *db, long long parent, const char *kind, const char *name,
		     const char *code, const char *stage)
{
	sqlite3_stmt *s = db_stmt(db, Q_ORG_INSERT);
	if (parent)
		sqlite3_bind_int64(s, 1, parent);
	db_bind_text(s, 2, kind);
	db_bind_text(s, 3, name);
	db_bind_text(s, 4, code);
	if (stage)
		db_bind_text(s, 5, stage);
	CHECK_INT(db_exec_stmt(s), SQLITE_DONE);
	return sqlite3_last_insert_rowid(db_handle(db));
}

static int count_schools(db_t *db, const char *scope)
{
	sqlite3_stmt *s = db_stmt(db, Q_SCHOOLS_IN_SCOPE);
	db_bind_text(s, 1, scope);
	json_t *rows = db_rows(s);
	int n = (int)json_array_size(rows);
	json_decref(rows);
	return n;
}

/* A 身份证号 for the suspect test: from a fixed pseudo-random sequence, a
 * region (known or not), a birth date around the edges of the calendar and
 * of IDCARD_SURE_UNTIL, the right check character or another, and now and
 * then a lower-case x, a full-width digit, a space or a wrong length. */
static unsigned long long lcg = 20250101;
static unsigned rnd(unsigned n)
{
	lcg = lcg * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((lcg >> 33) % n);
}

static void some_idcard(char *out, size_t n)
{
	static const char *const region[] = {"410303", "110105", "820000", "710000", "000000", "990101", "160101", "4103a3"};
	static const int years[] = {1899, 1900, 1999, 2000, 2015, 2024, 2025, 2026, 2100, 2199, 2200};
	char id[19];
	int y = years[rnd(11)], m = (int)rnd(14), d = (int)rnd(33);
	if (rnd(4) == 0) { /* the days around IDCARD_SURE_UNTIL */
		y = rnd(2) ? 2024 : 2025;
		m = y == 2024 ? 12 : 1;
		d = y == 2024 ? 31 : (int)rnd(3);
	}
	snprintf(id, sizeof id, "%s%04d%02d%02d%03u", region[rnd(8)], y, m, d, rnd(1000));
	id[17] = rnd(5) ? idcard_check_char(id) : (char)"0123456789X"[rnd(11)];
	id[18] = '\0';
	switch (rnd(12)) {
	case 0:
		if (id[17] == 'X')
			id[17] = 'x';
		snprintf(out, n, "%s", id);
		break;
	case 1: /* a full-width digit typed with a Chinese IME */
		snprintf(out, n, "%.5s\xEF\xBC\x91%s", id, id + 6);
		break;
	case 2:
		snprintf(out, n, " %s", id);
		break;
	case 3:
		snprintf(out, n, "%.17s", id);
		break;
	case 4:
		snprintf(out, n, "%s1", id);
		break;
	default:
		snprintf(out, n, "%s", id);
	}
}

/* does the plan of statement q have a line that contains what? */
static int plan_has(db_t *db, int q, const char *what)
{
	sqlite3_stmt *p = NULL;
	char *plan = sqlite3_mprintf("EXPLAIN QUERY PLAN %s", sqlite3_sql(db_stmt(db, q)));
	sqlite3_prepare_v2(db_handle(db), plan, -1, &p, NULL);
	sqlite3_free(plan);
	CHECK(p != NULL); /* a plan that cannot be had is a failure, not "not found" */
	int found = 0;
	while (p && sqlite3_step(p) == SQLITE_ROW)
		found |= strstr((const char *)sqlite3_column_text(p, 3), what) != NULL;
	sqlite3_finalize(p);
	return found;
}

int main(void)
{
	char err[512];
	snprintf(path, sizeof path, "/tmp/zizhu-test-db-%d.db", (int)getpid());
	CHECK(db_open(path, 0, err, sizeof err) == NULL); /* no create: refused */
	CHECK(strstr(err, "zizhu init") != NULL);
	db_t *db = db_open(path, 1, err, sizeof err);
	CHECK(db != NULL);
	if (!db)
		TEST_MAIN_END();
	CHECK(db_check_version(db, err, sizeof err) != 0);
	CHECK(strstr(err, "migrate") != NULL);
	/* A database records how many migrations it has had (user_version), so
	 * those already shipped keep their places: a new one goes at the end,
	 * whatever its number. 015 came after 016 had shipped, as 017. */
	static const char *const shipped[] = {
		"001_core.sql", "002_applications.sql", "003_terms_standards.sql",
		"004_review.sql", "005_notices.sql", "006_ledger.sql",
		"007_policies_care_complaints.sql", "008_reports.sql",
		"009_report_indexes.sql", "010_import_rows.sql", "011_list_speed.sql",
		"012_report_speed.sql", "013_paicha_speed.sql", "014_app_count.sql",
		"016_org_children.sql", "017_checks_speed.sql", "018_list_order.sql",
	};
	int nshipped = (int)(sizeof shipped / sizeof shipped[0]);
	CHECK(DB_MIGRATION_COUNT >= nshipped);
	for (int i = 0; i < nshipped && i < DB_MIGRATION_COUNT; i++)
		CHECK_STR(DB_MIGRATIONS[i].name, shipped[i]);
	CHECK_INT(db_migrate(db, err, sizeof err), DB_MIGRATION_COUNT);
	CHECK_INT(db_version(db), DB_MIGRATION_COUNT);
	CHECK_INT(db_migrate(db, err, sizeof err), 0);
	CHECK_INT(db_check_version(db, err, sizeof err), 0);
	/* the import stores a row as ?1 import, ?2 line, the roster fields in
	 * STUDENT_FIELDS order, then id_ok and errors: a new field needs a column */
	CHECK_INT(sqlite3_bind_parameter_count(db_stmt(db, Q_IMPORT_ROW_INSERT)), 2 + SF_COUNT + 2);
	/* every statement of the table compiles against the schema */
	err[0] = '\0';
	CHECK_INT(db_prepare_all(db, err, sizeof err), 0);
	if (*err)
		fprintf(stderr, "%s\n", err);

	/* WAL and foreign keys are on */
	sqlite3_stmt *p;
	sqlite3_prepare_v2(db_handle(db), "PRAGMA journal_mode", -1, &p, NULL);
	sqlite3_step(p);
	CHECK_STR((const char *)sqlite3_column_text(p, 0), "wal");
	sqlite3_finalize(p);
	sqlite3_prepare_v2(db_handle(db), "PRAGMA foreign_keys", -1, &p, NULL);
	sqlite3_step(p);
	CHECK_INT(sqlite3_column_int(p, 0), 1);
	sqlite3_finalize(p);

	/* the org tree and its paths: /1/, /1/2/, ... ; 2 must not see 20 */
	long long city = org(db, 0, "city", "市", "c", NULL);
	long long d2 = org(db, city, "district", "区2", "d2", NULL);
	for (int i = 3; i < 20; i++) {
		char code[16];
		snprintf(code, sizeof code, "x%d", i);
		org(db, city, "district", "填充", code, NULL);
	}
	long long d20 = org(db, city, "district", "区20", "d20", NULL);
	CHECK_INT(d20, 20);
	long long s_a = org(db, d2, "school", "甲校", "sa", "primary");
	org(db, d20, "school", "乙校", "sb", "junior");
	org(db, d20, "school", "丙校", "sc", "senior");
	sqlite3_stmt *o = db_stmt(db, Q_ORG_BY_ID);
	db_bind_text(o, 1, "/");
	sqlite3_bind_int64(o, 2, s_a);
	json_t *row = db_row(o);
	CHECK_STR(json_string_value(json_object_get(row, "path")), "/1/2/21/");
	CHECK_STR(json_string_value(json_object_get(row, "stage_name")), "小学");
	CHECK(json_is_integer(json_object_get(row, "id")));
	CHECK(json_is_null(json_object_get(row, "parent_id")) == 0);
	json_decref(row);
	CHECK_INT(count_schools(db, "/1/2/"), 1);
	CHECK_INT(count_schools(db, "/1/20/"), 2);
	CHECK_INT(count_schools(db, "/1/"), 3);
	CHECK_INT(count_schools(db, "/1/2/21/"), 1);
	CHECK_INT(count_schools(db, "/none/"), 0);
	CHECK_INT(count_schools(db, "' OR 1=1 --"), 0);
	/* a school outside the reader's scope is not found by id */
	o = db_stmt(db, Q_ORG_BY_ID);
	db_bind_text(o, 1, "/1/20/");
	sqlite3_bind_int64(o, 2, s_a);
	row = db_row(o);
	CHECK(row == NULL);
	json_decref(row);
	/* a school without a stage, a city with a parent: refused by the schema */
	CHECK(db_exec(db, "INSERT INTO org (parent_id, kind, name, code, path) VALUES (2, 'school', 'x', 'y', '/q/')") != SQLITE_OK);
	CHECK(db_exec(db, "INSERT INTO org (parent_id, kind, name, code, path) VALUES (2, 'city', 'x', 'z', '/r/')") != SQLITE_OK);

	/* the same 身份证号 twice in one school is refused */
	const char *ins = "INSERT INTO student (school_id, name, gender, idcard, stage, grade, class_name) "
			  "VALUES (21, '张三', '男', '11010519491231002X', 'primary', '一年级', '1班')";
	CHECK_INT(db_exec(db, ins), SQLITE_OK);
	CHECK(db_exec(db, ins) != SQLITE_OK);
	CHECK(db_exec(db, "INSERT INTO student (school_id, name, gender, idcard, stage, grade, class_name) "
			  "VALUES (21, '李四', '男', '123', 'primary', '一年级', '1班')") != SQLITE_OK);

	/* the audit trail is append-only */
	CHECK_INT(db_exec(db, "INSERT INTO audit_log (org_id, action, entity) VALUES (1, 't', 'x')"), SQLITE_OK);
	CHECK(db_exec(db, "UPDATE audit_log SET action = 'y'") != SQLITE_OK);
	CHECK(strstr(db_errmsg(db), "append-only") != NULL);
	CHECK(db_exec(db, "DELETE FROM audit_log") != SQLITE_OK);

	/* a failed transaction leaves nothing behind */
	CHECK_INT(db_begin(db), SQLITE_OK);
	CHECK_INT(db_exec(db, "INSERT INTO audit_log (org_id, action, entity) VALUES (1, 'half', 'x')"), SQLITE_OK);
	db_rollback(db);
	sqlite3_prepare_v2(db_handle(db), "SELECT count(*) FROM audit_log WHERE action = 'half'", -1, &p, NULL);
	sqlite3_step(p);
	CHECK_INT(sqlite3_column_int(p, 0), 0);
	sqlite3_finalize(p);

	/* the 身份证号 that may be wrong (IDCARD_SUSPECT, the condition of the
	 * past records' partial index the 身份证号 check reads) hold every
	 * number that idcard_check refuses on IDCARD_SURE_UNTIL, so on any later
	 * day too (a birth date later than today is the only rule that moves);
	 * and leave out most right ones, or the index would not help */
	sqlite3_prepare_v2(db_handle(db), "SELECT " IDCARD_SUSPECT("?1"), -1, &p, NULL);
	int missed = 0, right = 0, right_out = 0;
	for (int i = 0; i < 200000; i++) {
		char id[40], norm[19];
		some_idcard(id, sizeof id);
		sqlite3_bind_text(p, 1, id, -1, SQLITE_STATIC);
		sqlite3_step(p);
		int suspect = sqlite3_column_type(p, 0) == SQLITE_NULL ? -1 : sqlite3_column_int(p, 0);
		sqlite3_reset(p);
		int ok = idcard_check(id, IDCARD_SURE_UNTIL, norm) == IDCARD_OK;
		if (suspect == -1 || (!ok && !suspect)) {
			if (missed++ < 5)
				fprintf(stderr, "IDCARD_SUSPECT misses %s (%d)\n", id, suspect);
		}
		right += ok;
		right_out += ok && !suspect;
	}
	CHECK_INT(missed, 0);
	CHECK(right > 10000);
	CHECK(right_out * 10 > right * 7);
	/* the first 17 digits, the check character made right unless wrong is
	 * given, and whether the number may be wrong */
	static const struct {
		const char *first17;
		char wrong;
		int suspect;
	} known[] = {
		{"11010519491231002", 0, 0},   {"11010519491231002", '1', 1}, {"11010519491231002", 'x', 1},
		{"41030320150101001", 0, 0},   {"41030320250101001", 0, 0},   {"41030320250102001", 0, 1},
		{"41030319000229001", 0, 1},   {"41030320000229001", 0, 0},   {"99030320150101001", 0, 1},
		{"41030320151301001", 0, 1},   {"41030320150100001", 0, 1},   {"41030318991231001", 0, 1},
	};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++) {
		char id[19];
		snprintf(id, sizeof id, "%s%c", known[i].first17, known[i].wrong ? known[i].wrong : idcard_check_char(known[i].first17));
		sqlite3_bind_text(p, 1, id, -1, SQLITE_STATIC);
		CHECK_INT(sqlite3_step(p), SQLITE_ROW);
		CHECK_INT(sqlite3_column_int(p, 0), known[i].suspect);
		sqlite3_reset(p);
	}
	sqlite3_finalize(p);
	/* the check judges the students in student_enrolled_once (a row is read
	 * only for a refused one's name) and reads the past records through
	 * the index of IDCARD_SUSPECT */
	CHECK(plan_has(db, Q_CHECK_IDCARDS, "USING INDEX student_enrolled_once"));
	CHECK(plan_has(db, Q_CHECK_IDCARDS, "USING INDEX past_award_idcard_suspect"));
	/* the applications list reads a page with a status and a grade in order
	 * from application_school, and sorts each school's matches otherwise (018) */
	CHECK(plan_has(db, Q_APP_PAGE_EXACT, "USING INDEX application_school (school_id=? AND school_year=? AND status=? AND grade=?)"));
	CHECK(!plan_has(db, Q_APP_PAGE_EXACT, "TEMP B-TREE"));
	CHECK(plan_has(db, Q_APP_PAGE, "TEMP B-TREE FOR RIGHT PART OF ORDER BY"));
	/* idcard_refused() in SQL is idcard_check's answer */
	sqlite3_prepare_v2(db_handle(db), "SELECT idcard_refused(?1, ?2)", -1, &p, NULL);
	CHECK(p != NULL);
	static const struct {
		const char *id;
		int today, refused;
	} judged[] = {
		{"11010519491231002X", 20261124, 0}, {"110105194912310021", 20261124, 1},
		{"11010519491231002x", 20261124, 0}, {"41030320261125001", 20261124, 1},
		{"", 20261124, 1}, {NULL, 20261124, 1}, {"<script>", 20261124, 1},
	};
	for (size_t i = 0; p && i < sizeof judged / sizeof judged[0]; i++) {
		char want_id[19];
		const char *id = judged[i].id;
		/* a number with its right check character, made here */
		if (id && strlen(id) == 17) {
			snprintf(want_id, sizeof want_id, "%s%c", id, idcard_check_char(id));
			id = want_id;
		}
		sqlite3_bind_text(p, 1, id, -1, SQLITE_STATIC);
		sqlite3_bind_int(p, 2, judged[i].today);
		CHECK_INT(sqlite3_step(p), SQLITE_ROW);
		char norm[19];
		CHECK_INT(sqlite3_column_int(p, 0), judged[i].refused);
		CHECK_INT(sqlite3_column_int(p, 0), idcard_check(id, judged[i].today, norm) != IDCARD_OK);
		sqlite3_reset(p);
	}
	sqlite3_finalize(p);
	/* and the schema cannot use it: a database must stay writable by the
	 * sqlite3 shell, which does not know it */
	CHECK(db_exec(db, "CREATE TABLE t_refused (x TEXT CHECK (idcard_refused(x, 0) IN (0, 1)))") != SQLITE_OK ||
	      db_exec(db, "INSERT INTO t_refused VALUES ('1')") != SQLITE_OK);
	db_exec(db, "DROP TABLE IF EXISTS t_refused");

	/* backup */
	char bpath[80];
	snprintf(bpath, sizeof bpath, "%s.bak", path);
	CHECK_INT(db_backup(db, bpath, err, sizeof err), 0);
	CHECK(db_backup(db, bpath, err, sizeof err) != 0); /* never overwrites */
	unlink(bpath);

	db_close(db);
	/* a database newer than the program is refused */
	db = db_open(path, 0, err, sizeof err);
	db_exec(db, "PRAGMA user_version = 999");
	CHECK(db_check_version(db, err, sizeof err) != 0);
	CHECK(strstr(err, "升级程序") != NULL);
	CHECK(db_migrate(db, err, sizeof err) < 0);
	db_close(db);
	char w[96];
	unlink(path);
	snprintf(w, sizeof w, "%s-wal", path);
	unlink(w);
	snprintf(w, sizeof w, "%s-shm", path);
	unlink(w);
	TEST_MAIN_END();
}
