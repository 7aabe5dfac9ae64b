/* db.c - opening, migrating and using the SQLite store. */
#include "db.h"
#include "queries.h"
#include "core/buf.h"
#include "domain/idcard.h"
#include <stdio.h>
#include <string.h>
#include <errno.h>
#include <sys/statvfs.h>
#include <unistd.h>

struct db {
	sqlite3 *h;
	sqlite3_stmt *stmts[Q__COUNT];
	char *path;
	int degraded; /* opened read-only because the file could not be written: the DB_ERR_ kind */
	int suspect;  /* a request hit a storage error: reopen before the next one */
};

int db_storage_error(int code)
{
	switch (code & 0xff) {
	case SQLITE_FULL:
		return DB_ERR_FULL;
	case SQLITE_READONLY:
	case SQLITE_CANTOPEN:
	case SQLITE_IOERR:
		return DB_ERR_UNWRITABLE;
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return DB_ERR_BUSY;
	default:
		return 0;
	}
}

static const char PRAGMAS[] = "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
			      "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; "
			      "PRAGMA cache_size=-16000;";

/* idcard_refused(x, today): 1 if idcard_check refuses the 身份证号 x on
 * day today (yyyymmdd), else 0. The forms' rule, for a statement that reads
 * many numbers and returns only the wrong ones. DIRECTONLY: never in the
 * schema, which the sqlite3 shell and backups must read and write without
 * it. */
static void sql_idcard_refused(sqlite3_context *c, int argc, sqlite3_value **v)
{
	(void)argc;
	char norm[19];
	const char *x = (const char *)sqlite3_value_text(v[0]);
	sqlite3_result_int(c, idcard_check(x, sqlite3_value_int(v[1]), norm) != IDCARD_OK);
}

static int add_functions(sqlite3 *h)
{
	return sqlite3_create_function(h, "idcard_refused", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_DIRECTONLY,
				       NULL, sql_idcard_refused, NULL, NULL);
}

/* Open path read-write with the pragmas; NULL with err on failure, *code
 * set to SQLite's code. */
static sqlite3 *open_rw(const char *path, int create, int *code, char *err, size_t errlen)
{
	sqlite3 *h = NULL;
	int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0);
	*code = sqlite3_open_v2(path, &h, flags, NULL);
	if (*code != SQLITE_OK) {
		snprintf(err, errlen, "无法打开数据库 %s：%s", path, h ? sqlite3_errmsg(h) : "内存不足");
		sqlite3_close(h);
		return NULL;
	}
	sqlite3_busy_timeout(h, 5000);
	sqlite3_extended_result_codes(h, 1);
	char *msg = NULL;
	*code = add_functions(h);
	if (*code == SQLITE_OK)
		*code = sqlite3_exec(h, PRAGMAS, NULL, NULL, &msg);
	if (*code != SQLITE_OK) {
		snprintf(err, errlen, "无法设置数据库 %s：%s", path, msg ? msg : "?");
		sqlite3_free(msg);
		sqlite3_close(h);
		return NULL;
	}
	return h;
}

/* Open path for reading only, as an immutable file: in WAL mode SQLite
 * cannot otherwise read a database whose directory refuses the -shm file
 * (a read-only or full file system). Only used while writing is impossible;
 * the worker tries a normal open again before every request. */
static sqlite3 *open_ro(const char *path)
{
	buf_t uri = BUF_INIT;
	buf_puts(&uri, "file:");
	for (const char *p = path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#')
			buf_printf(&uri, "%%%02X", (unsigned char)*p);
		else
			buf_putc(&uri, *p);
	}
	buf_puts(&uri, "?immutable=1");
	sqlite3 *h = NULL;
	int rc = sqlite3_open_v2(buf_cstr(&uri), &h, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, NULL);
	buf_free(&uri);
	if (rc == SQLITE_OK)
		rc = add_functions(h);
	if (rc == SQLITE_OK)
		rc = sqlite3_exec(h, "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY; "
				     "PRAGMA cache_size=-16000; SELECT count(*) FROM sqlite_schema;",
				  NULL, NULL, NULL);
	if (rc != SQLITE_OK) {
		sqlite3_close(h);
		return NULL;
	}
	sqlite3_extended_result_codes(h, 1);
	return h;
}

db_t *db_open(const char *path, int create, char *err, size_t errlen)
{
	if (!create && access(path, F_OK) != 0) {
		snprintf(err, errlen, "数据库文件 %s 不存在：请先运行 zizhu init", path);
		return NULL;
	}
	int code, degraded = 0;
	sqlite3 *h = open_rw(path, create, &code, err, errlen);
	if (h && sqlite3_db_readonly(h, "main") == 1)
		degraded = DB_ERR_UNWRITABLE; /* SQLite fell back to read-only by itself */
	if (!h && !create &&
	    (db_storage_error(code) == DB_ERR_FULL || db_storage_error(code) == DB_ERR_UNWRITABLE)) {
		h = open_ro(path);
		degraded = db_storage_error(code);
	}
	if (!h)
		return NULL;
	db_t *db = xcalloc(1, sizeof *db);
	db->h = h;
	db->path = xstrdup(path);
	db->degraded = degraded;
	return db;
}

static void finalize_all(db_t *db)
{
	for (int i = 0; i < Q__COUNT; i++) {
		sqlite3_finalize(db->stmts[i]);
		db->stmts[i] = NULL;
	}
}

void db_close(db_t *db)
{
	if (!db)
		return;
	finalize_all(db);
	sqlite3_close(db->h);
	free(db->path);
	free(db);
}

int db_degraded(db_t *db)
{
	return db->degraded;
}

void db_mark_suspect(db_t *db)
{
	db->suspect = 1;
}

/* Can the file system under path take a write at all? A statvfs and an
 * access(2) per request while degraded, instead of opening the database. */
static int fs_writable(const char *path, int *kind, char *err, size_t errlen)
{
	struct statvfs st;
	int known = statvfs(path, &st) == 0;
	if (known && (st.f_flag & ST_RDONLY)) {
		*kind = DB_ERR_UNWRITABLE;
		snprintf(err, errlen, "数据库 %s 所在的文件系统是只读的", path);
		return 0;
	}
	if (known && st.f_bavail == 0) {
		*kind = DB_ERR_FULL;
		snprintf(err, errlen, "数据库 %s 所在的磁盘已满", path);
		return 0;
	}
	if (access(path, W_OK) != 0) {
		*kind = DB_ERR_UNWRITABLE;
		snprintf(err, errlen, "数据库 %s 不可写：%s", path, strerror(errno));
		return 0;
	}
	return 1;
}

int db_refresh(db_t *db, char *err, size_t errlen)
{
	if (!db->degraded && !db->suspect)
		return 0;
	int kind;
	if (!fs_writable(db->path, &kind, err, errlen)) {
		/* still not writable: keep the connection we have, it reads */
		db->suspect = 0;
		if (!db->degraded)
			db->degraded = kind;
		return -1;
	}
	/* The old connection goes first: SQLite shares a file's wal-index
	 * among the connections of one process, so a read-write connection
	 * opened beside a read-only one inherits its read-only mapping and
	 * every write fails. The statements are prepared again at once, so a
	 * file that no longer fits them ends the worker here, logged, rather
	 * than in the middle of a request. */
	finalize_all(db);
	sqlite3_close(db->h);
	db->h = NULL;
	int code;
	sqlite3 *h = open_rw(db->path, 0, &code, err, errlen);
	int degraded = 0;
	if (h && sqlite3_db_readonly(h, "main") == 1) {
		degraded = DB_ERR_UNWRITABLE; /* it reads; keep it as the reader */
		snprintf(err, errlen, "数据库 %s 只能以只读方式打开", db->path);
	}
	if (!h) {
		degraded = db_storage_error(code) ? db_storage_error(code) : DB_ERR_UNWRITABLE;
		h = open_ro(db->path);
	}
	if (!h)
		return -2; /* not even readable: the caller ends the worker */
	db->h = h;
	db->degraded = degraded;
	db->suspect = 0;
	char why[512];
	if (db_prepare_all(db, why, sizeof why) != 0) {
		snprintf(err, errlen, "%s", why);
		return -2;
	}
	return degraded ? -1 : 1;
}

sqlite3 *db_handle(db_t *db)
{
	return db->h;
}

const char *db_errmsg(db_t *db)
{
	return sqlite3_errmsg(db->h);
}

int db_exec(db_t *db, const char *sql)
{
	return sqlite3_exec(db->h, sql, NULL, NULL, NULL);
}

int db_version(db_t *db)
{
	sqlite3_stmt *s = NULL;
	int v = -1;
	if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &s, NULL) == SQLITE_OK &&
	    sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

int db_migrate(db_t *db, char *err, size_t errlen)
{
	int have = db_version(db), applied = 0;
	if (have < 0) {
		snprintf(err, errlen, "无法读取数据库版本：%s", db_errmsg(db));
		return -1;
	}
	if (have > DB_MIGRATION_COUNT) {
		snprintf(err, errlen, "数据库版本 %d 比本程序认识的 %d 新：请升级程序", have,
			 DB_MIGRATION_COUNT);
		return -1;
	}
	for (int i = have; i < DB_MIGRATION_COUNT; i++) {
		char *msg = NULL;
		char ver[64];
		snprintf(ver, sizeof ver, "PRAGMA user_version=%d;", i + 1);
		if (db_begin(db) != SQLITE_OK ||
		    sqlite3_exec(db->h, DB_MIGRATIONS[i].sql, NULL, NULL, &msg) != SQLITE_OK ||
		    sqlite3_exec(db->h, ver, NULL, NULL, &msg) != SQLITE_OK ||
		    db_commit(db) != SQLITE_OK) {
			snprintf(err, errlen, "迁移 %s 失败：%s", DB_MIGRATIONS[i].name,
				 msg ? msg : db_errmsg(db));
			sqlite3_free(msg);
			db_rollback(db);
			return -1;
		}
		applied++;
	}
	return applied;
}

int db_check_version(db_t *db, char *err, size_t errlen)
{
	int v = db_version(db);
	if (v == DB_MIGRATION_COUNT)
		return 0;
	if (v < DB_MIGRATION_COUNT)
		snprintf(err, errlen,
			 "数据库版本 %d 低于程序需要的 %d：请先运行 zizhu migrate", v, DB_MIGRATION_COUNT);
	else
		snprintf(err, errlen, "数据库版本 %d 比本程序认识的 %d 新：请升级程序", v,
			 DB_MIGRATION_COUNT);
	return -1;
}

int db_prepare_all(db_t *db, char *err, size_t errlen)
{
	for (int i = 0; i < Q__COUNT; i++) {
		if (db->stmts[i])
			continue;
		if (sqlite3_prepare_v3(db->h, QUERY_SQL[i], -1, SQLITE_PREPARE_PERSISTENT,
				       &db->stmts[i], NULL) != SQLITE_OK) {
			snprintf(err, errlen, "statement %d (%.60s...): %s", i, QUERY_SQL[i],
				 db_errmsg(db));
			return -1;
		}
	}
	return 0;
}

sqlite3_stmt *db_stmt(db_t *db, int id)
{
	sqlite3_stmt *s = db->stmts[id];
	if (!s) {
		/* prepared lazily when db_prepare_all was not called (CLI) */
		if (sqlite3_prepare_v3(db->h, QUERY_SQL[id], -1, SQLITE_PREPARE_PERSISTENT,
				       &db->stmts[id], NULL) != SQLITE_OK) {
			fprintf(stderr, "zizhu: bad statement %d: %s\n", id, db_errmsg(db));
			abort();
		}
		s = db->stmts[id];
	}
	sqlite3_reset(s);
	sqlite3_clear_bindings(s);
	return s;
}

int db_begin(db_t *db)
{
	return sqlite3_exec(db->h, "BEGIN IMMEDIATE", NULL, NULL, NULL);
}

int db_commit(db_t *db)
{
	return sqlite3_exec(db->h, "COMMIT", NULL, NULL, NULL);
}

void db_rollback(db_t *db)
{
	if (!sqlite3_get_autocommit(db->h))
		sqlite3_exec(db->h, "ROLLBACK", NULL, NULL, NULL);
}

static json_t *row_object(sqlite3_stmt *s)
{
	json_t *o = json_object();
	int n = sqlite3_column_count(s);
	for (int i = 0; i < n; i++) {
		json_t *v;
		switch (sqlite3_column_type(s, i)) {
		case SQLITE_INTEGER:
			v = json_integer(sqlite3_column_int64(s, i));
			break;
		case SQLITE_FLOAT:
			v = json_real(sqlite3_column_double(s, i));
			break;
		case SQLITE_NULL:
			v = json_null();
			break;
		default: {
			const char *t = (const char *)sqlite3_column_text(s, i);
			int len = sqlite3_column_bytes(s, i);
			v = json_stringn_nocheck(t ? t : "", (size_t)len);
		}
		}
		/* column names are our own ASCII */
		json_object_set_new_nocheck(o, sqlite3_column_name(s, i), v);
	}
	return o;
}

json_t *db_rows(sqlite3_stmt *s)
{
	json_t *a = json_array();
	while (sqlite3_step(s) == SQLITE_ROW)
		json_array_append_new(a, row_object(s));
	sqlite3_reset(s);
	return a;
}

json_t *db_row(sqlite3_stmt *s)
{
	json_t *o = NULL;
	if (sqlite3_step(s) == SQLITE_ROW)
		o = row_object(s);
	sqlite3_reset(s);
	return o;
}

int db_exec_stmt(sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc;
}

int db_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	return sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_TRANSIENT);
}

int db_backup(db_t *db, const char *path, char *err, size_t errlen)
{
	if (access(path, F_OK) == 0) {
		snprintf(err, errlen, "备份文件 %s 已存在，请换一个文件名", path);
		return -1;
	}
	sqlite3 *dst = NULL;
	if (sqlite3_open(path, &dst) != SQLITE_OK) {
		snprintf(err, errlen, "无法创建备份文件 %s：%s", path, sqlite3_errmsg(dst));
		sqlite3_close(dst);
		return -1;
	}
	sqlite3_backup *b = sqlite3_backup_init(dst, "main", db->h, "main");
	int rc = SQLITE_ERROR;
	if (b) {
		do {
			rc = sqlite3_backup_step(b, 256);
			if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
				sqlite3_sleep(50);
		} while (rc == SQLITE_OK || rc == SQLITE_BUSY || rc == SQLITE_LOCKED);
		sqlite3_backup_finish(b);
	}
	if (rc != SQLITE_DONE) {
		snprintf(err, errlen, "备份失败：%s", sqlite3_errmsg(dst));
		sqlite3_close(dst);
		unlink(path);
		return -1;
	}
	sqlite3_close(dst);
	return 0;
}
