/* db.h - the SQLite store: opening with the right pragmas, the migrations
 * compiled from sql/, transactions, and turning rows into JSON for the
 * templates. All SQL text lives in src/db/; handlers call db_* functions. */
#ifndef ZZ_DB_H
#define ZZ_DB_H
#include <jansson.h>
#include <sqlite3.h>
#include <stdint.h>

typedef struct {
	const char *name; /* file name, e.g. "001_core.sql" */
	const char *sql;
} db_migration;
extern const db_migration DB_MIGRATIONS[];
extern const int DB_MIGRATION_COUNT;

/* One connection and its prepared statements (one per worker process). */
typedef struct db db_t;

/* Open path (creating it if create is set), with WAL, foreign keys on,
 * synchronous=FULL, busy timeout. Returns NULL with a message in err.
 * When an existing file cannot be written (read-only or full file system)
 * it is opened for reading only instead, and db_degraded() says so. */
db_t *db_open(const char *path, int create, char *err, size_t errlen);
void db_close(db_t *db);
/* While the connection is the read-only fallback of db_open (or could not
 * be reopened for writing), why: DB_ERR_FULL or DB_ERR_UNWRITABLE; else 0. */
int db_degraded(db_t *db);

/* The kinds of storage failure, from an SQLite result code; 0 for any
 * other code. The dispatcher turns each into one error page. */
enum { DB_ERR_FULL = 1, DB_ERR_UNWRITABLE, DB_ERR_BUSY };
int db_storage_error(int code);
/* Note that a request hit a storage error: the next db_refresh reopens. */
void db_mark_suspect(db_t *db);
/* Before a request: if the connection is degraded or marked suspect and
 * the file system looks writable, open the file again normally; else keep
 * the (read-only) connection. Returns 1 reopened for writing, 0 nothing to
 * do, -1 still unwritable (the reason in err), -2 the file cannot even be
 * read any more (the worker should end and be replaced). */
int db_refresh(db_t *db, char *err, size_t errlen);
sqlite3 *db_handle(db_t *db);
/* The schema version recorded (PRAGMA user_version). */
int db_version(db_t *db);
/* Apply the migrations not yet applied, each in its own transaction, and
 * record them. Returns the number applied, or -1 with err. */
int db_migrate(db_t *db, char *err, size_t errlen);
/* 0 if the database is at exactly the version this binary expects, else -1
 * with an explanation (too old: run migrate; too new: upgrade the program). */
int db_check_version(db_t *db, char *err, size_t errlen);
/* Prepare every statement of the statement table now, so a typo in SQL
 * fails at start-up. Returns 0 or -1 with err naming the statement. */
int db_prepare_all(db_t *db, char *err, size_t errlen);

/* BEGIN IMMEDIATE (every transaction that may write), COMMIT, ROLLBACK.
 * Return SQLITE_OK or the error code. */
int db_begin(db_t *db);
int db_commit(db_t *db);
void db_rollback(db_t *db);
/* The last error message of the connection. */
const char *db_errmsg(db_t *db);

/* A prepared statement from the table by its id (see queries.h), reset and
 * with bindings cleared; owned by db_t. */
sqlite3_stmt *db_stmt(db_t *db, int id);
/* Step stmt and build a JSON array of objects keyed by column name
 * (integers stay integers, NULL becomes null). New reference; resets stmt. */
json_t *db_rows(sqlite3_stmt *stmt);
/* The first row as an object, or NULL if there is none. Resets stmt. */
json_t *db_row(sqlite3_stmt *stmt);
/* Step a statement that returns nothing; SQLITE_DONE on success. Resets. */
int db_exec_stmt(sqlite3_stmt *stmt);
/* Run literal SQL (migrations, pragmas, backups). */
int db_exec(db_t *db, const char *sql);
/* sqlite3_bind_text with a NUL-terminated string, SQLITE_TRANSIENT. */
int db_bind_text(sqlite3_stmt *s, int i, const char *v);
/* Online backup of the whole database into a new file at path. */
int db_backup(db_t *db, const char *path, char *err, size_t errlen);

#endif
