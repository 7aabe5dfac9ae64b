/* Tests for the store: migrations, every statement against the schema,
 * the scope range, the append-only audit trail, and rows as JSON. */
#include "db/db.h"
#include "db/queries.h"
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
