/* import.c - the roster import: the xlsx template, the upload read into
 * rows and checked with the same rules as the form, a preview with a
 * report per bad row, and applying it in one transaction (all rows, or
 * only the good ones when the officer chooses). */
#include "pages.h"
#include "core/json_arena.h"
#include "db/queries.h"
#include "domain/format.h"
#include "domain/idcard.h"
#include "domain/student.h"
#include "import/sheet.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PREVIEW_ROWS 50
#define NO_HEADER                                                                                \
	"文件中没有找到表头行（须包含“姓名”和“身份证号”两列）。请使用下载的模板，或把表头改成模板中的名称。"
#define PREVIEW_BAD_ROWS 1000 /* a file of nothing but errors still makes a page */

/* Header spellings seen in real rosters, for each field key. */
static const struct {
	const char *key, *names[6];
} ALIASES[] = {
	{"name", {"姓名", "学生姓名", NULL}},
	{"gender", {"性别", NULL}},
	{"idcard", {"身份证号", "身份证号码", "证件号码", "公民身份号码", NULL}},
	{"xueji_no", {"学籍号", "全国学籍号", "学籍号码", NULL}},
	{"stage", {"学段", NULL}},
	{"grade", {"年级", NULL}},
	{"class_name", {"班级", "班级名称", "班别", NULL}},
	{"boarding", {"就读方式", "是否寄宿", "寄宿", NULL}},
	{"hukou", {"户籍", "户口性质", "户籍类型", NULL}},
	{"guardian", {"监护人", "监护人姓名", "家长姓名", NULL}},
	{"phone", {"联系电话", "手机号", "手机号码", "电话", NULL}},
	{"account_type", {"账户类型", "卡类型", NULL}},
	{"account_no", {"账号", "卡号", "银行卡号", "社保卡号", "资助卡号", NULL}},
	{"bank", {"开户银行", "开户行", "银行", NULL}},
};
#define NALIASES (sizeof ALIASES / sizeof ALIASES[0])

static const char *label_of(const char *key)
{
	for (int i = 0; i < SF_COUNT; i++)
		if (strcmp(STUDENT_FIELDS[i].key, key) == 0)
			return STUDENT_FIELDS[i].label;
	return key;
}

static int school_only(req_t *r)
{
	if (strcmp(r->user->org_kind, "school") == 0)
		return 1;
	render_error(r, 403, "只有学校的资助专干可以导入名册。");
	return 0;
}

int page_import_template(req_t *r)
{
	if (!school_only(r))
		return 0;
	const char *headers[32], *notes[32];
	for (int i = 0; i < SF_COUNT; i++) {
		headers[i] = STUDENT_FIELDS[i].label;
		notes[i] = STUDENT_FIELDS[i].note;
	}
	unsigned char *data = NULL;
	size_t len = 0;
	char err[256];
	if (xlsx_write_table("学生名册", (size_t)SF_COUNT, headers, notes, 0, NULL, &data, &len,
			     err, sizeof err) != 0)
		return render_error(r, 500, err);
	buf_reset(&r->body);
	buf_append(&r->body, data, len);
	free(data);
	r->status = 200;
	r->ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	resp_header(r, "Content-Disposition",
		    "attachment; filename=\"roster-template.xlsx\"; filename*=UTF-8''%E5%AD%A6%E7%94%9F%E5%90%8D%E5%86%8C%E5%AF%BC%E5%85%A5%E6%A8%A1%E6%9D%BF.xlsx");
	return 0;
}

static int upload_page(req_t *r, int status, const char *error)
{
	json_t *c = page_ctx(r, "导入学生名册");
	json_t *cols = json_array();
	for (int i = 0; i < SF_COUNT; i++)
		json_array_append_new(cols, json_pack("{s:s, s:s, s:b}", "label", STUDENT_FIELDS[i].label, "note",
						      STUDENT_FIELDS[i].note, "required", STUDENT_FIELDS[i].required));
	json_object_set_new(c, "columns", cols);
	if (error)
		json_object_set_new(c, "error", json_string(error));
	return render(r, status, "roster/import.html", c);
}

int page_import_form(req_t *r)
{
	if (!school_only(r))
		return 0;
	return upload_page(r, 200, NULL);
}

/* The 身份证号 seen so far in an upload, each with the line where it first
 * appeared: open addressing on the number the normalised 18 characters
 * make (17 digits and a check character 0-9 or X). */
typedef struct {
	uint64_t *key; /* 0: empty slot, else the packed number + 1 */
	size_t *line;
	size_t n, cap;
} id_set;

static uint64_t pack_id(const char id[18])
{
	uint64_t v = 0;
	for (int i = 0; i < 17; i++)
		v = v * 10 + (uint64_t)(id[i] - '0');
	return v * 11 + (uint64_t)(id[17] == 'X' ? 10 : id[17] - '0') + 1;
}

static size_t id_slot(const id_set *t, uint64_t k)
{
	size_t i = (size_t)((k * 0x9E3779B97F4A7C15ull) >> 20) & (t->cap - 1);
	while (t->key[i] && t->key[i] != k)
		i = (i + 1) & (t->cap - 1);
	return i;
}

/* The line where id was first seen, or 0 after noting it at line. */
static size_t id_seen(id_set *t, const char id[18], size_t line)
{
	if (2 * (t->n + 1) > t->cap) {
		id_set g = {.cap = t->cap ? t->cap * 2 : 4096};
		g.key = xcalloc(g.cap, sizeof *g.key);
		g.line = xmalloc(g.cap * sizeof *g.line);
		for (size_t i = 0; i < t->cap; i++)
			if (t->key[i]) {
				size_t j = id_slot(&g, t->key[i]);
				g.key[j] = t->key[i];
				g.line[j] = t->line[i];
			}
		g.n = t->n;
		free(t->key);
		free(t->line);
		*t = g;
	}
	uint64_t k = pack_id(id);
	size_t i = id_slot(t, k);
	if (t->key[i])
		return t->line[i];
	t->key[i] = k;
	t->line[i] = line;
	t->n++;
	return 0;
}

/* An upload on its way through sheet_each(): the header, then each row
 * checked and stored. */
typedef struct {
	req_t *r;
	const upload_t *f;
	const char *hash;
	int today;
	size_t seen;          /* rows handed over so far */
	int field[256];       /* STUDENT_FIELDS index of each column, or -1 */
	int64_t id;           /* the import, once its header was found */
	sqlite3_stmt *ins;
	size_t stored;        /* data rows stored */
	id_set ids;
	const char *error;    /* why the file is refused (a reason to stop) */
	int db_failed;        /* the other reason */
} upload_ctx;

/* Map the columns of row to fields if it is the header row (it has 姓名
 * and 身份证号). Returns 1 if it is, with the names of the columns it
 * ignores in ignored. */
static int map_header(upload_ctx *u, const sheet_row *row, json_t *ignored)
{
	int have_name = 0, have_id = 0;
	for (size_t c = 0; c < 256; c++)
		u->field[c] = -1;
	for (size_t c = 0; c < row->ncells && c < 256; c++) {
		const char *key = NULL;
		for (size_t a = 0; a < NALIASES; a++)
			for (int k = 0; ALIASES[a].names[k]; k++)
				if (strcmp(row->cells[c], ALIASES[a].names[k]) == 0)
					key = ALIASES[a].key;
		for (int i = 0; key && i < SF_COUNT; i++)
			if (strcmp(STUDENT_FIELDS[i].key, key) == 0)
				u->field[c] = i;
		have_name |= u->field[c] == SF_NAME;
		have_id |= u->field[c] == SF_IDCARD;
	}
	if (!have_name || !have_id)
		return 0;
	for (size_t c = 0; c < row->ncells && c < 256; c++)
		if (u->field[c] < 0 && *row->cells[c])
			json_array_append_new(ignored, json_string(row->cells[c]));
	return 1;
}

/* The header row was found: every required column must be there; then the
 * import is created. Returns 0, or -1 with u->error or u->db_failed. */
static int start_import(upload_ctx *u, const char *format, json_t *ignored)
{
	req_t *r = u->r;
	for (int i = 0; i < SF_COUNT; i++) {
		int present = 0;
		for (int c = 0; c < 256; c++)
			present |= u->field[c] == i;
		if (STUDENT_FIELDS[i].required && !present) {
			u->error = arena_printf(r->a, "文件缺少必填列“%s”。请使用下载的模板，或在表头中补上这一列。",
						STUDENT_FIELDS[i].label);
			return -1;
		}
	}
	json_t *doc = json_pack("{s:O}", "ignored", ignored);
	char *doc_text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	sqlite3_stmt *s = db_stmt(r->db, Q_IMPORT_INSERT);
	sqlite3_bind_int64(s, 1, r->user->org_id);
	sqlite3_bind_int64(s, 2, r->user->id);
	db_bind_text(s, 3, u->f->filename);
	db_bind_text(s, 4, format);
	db_bind_text(s, 5, u->hash);
	db_bind_text(s, 6, doc_text);
	int rc = db_exec_stmt(s);
	json_text_free(doc_text);
	if (rc != SQLITE_DONE) {
		u->db_failed = 1;
		return -1;
	}
	u->id = sqlite3_last_insert_rowid(db_handle(r->db));
	u->ins = db_stmt(r->db, Q_IMPORT_ROW_INSERT);
	return 0;
}

/* Check a data row with the student form's rules and store it as a row of
 * the import. Returns 0, or -1 with u->error (a line number given twice)
 * or on a database error. */
static int store_row(upload_ctx *u, const sheet_row *row)
{
	student_row s;
	memset(&s, 0, sizeof s);
	for (size_t c = 0; c < row->ncells && c < 256; c++)
		if (u->field[c] >= 0)
			s.v[u->field[c]] = row->cells[c];
	const char *raw_id = s.v[SF_IDCARD];
	/* Excel turned the number into 1.10105E+17: the last digits are gone */
	if (raw_id && (strchr(raw_id, 'E') || strchr(raw_id, 'e')) && strchr(raw_id, '+')) {
		s.msg[SF_IDCARD] = "身份证号被 Excel 存成了科学计数法（如 4.10303E+17），末几位已经丢失。"
				   "请把这一列设为“文本”格式，重新录入后再导入。";
		s.order[s.nmsg++] = SF_IDCARD;
	}
	student_check_row(&s, u->today);
	char dup[64];
	if (!s.msg[SF_IDCARD]) {
		size_t first = id_seen(&u->ids, s.id, row->line);
		if (first) {
			snprintf(dup, sizeof dup, "与第 %zu 行的身份证号重复。", first);
			s.msg[SF_IDCARD] = dup;
			s.order[s.nmsg++] = SF_IDCARD;
		}
	}
	/* the values live until the statement has run: no copies */
	sqlite3_stmt *st = u->ins;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, u->id);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)row->line);
	/* ?3..?16: the roster fields in STUDENT_FIELDS order */
	for (int k = 0; k < SF_COUNT; k++) {
		if (k == SF_BOARDING)
			sqlite3_bind_int(st, 3 + k, strcmp(s.v[k], "1") == 0);
		else
			sqlite3_bind_text(st, 3 + k, s.v[k], -1, SQLITE_STATIC);
	}
	sqlite3_bind_int(st, 17, !s.msg[SF_IDCARD]);
	char *list_text = NULL;
	if (s.nmsg) {
		json_t *list = json_array();
		for (int i = 0; i < s.nmsg; i++)
			json_array_append_new(list, json_pack("{s:s, s:s}", "column",
							      STUDENT_FIELDS[s.order[i]].label, "reason",
							      s.msg[s.order[i]]));
		list_text = json_dumps(list, JSON_COMPACT);
		json_decref(list);
		sqlite3_bind_text(st, 18, list_text, -1, SQLITE_STATIC);
	} else {
		sqlite3_bind_null(st, 18);
	}
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	json_text_free(list_text);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY) {
		/* an xlsx can give a row number twice (Excel never writes one) */
		u->error = arena_printf(u->r->a, "文件已损坏：第 %zu 行在文件中出现了不止一次。"
					"请在 Excel 中打开并重新保存后上传。", row->line);
		return -1;
	}
	return rc == SQLITE_DONE ? 0 : -1;
}

/* sheet_each()'s callback: look for the header in the first 10 rows, then
 * store each row after it. Non-zero stops the reading. */
static int upload_row(void *ctx, const char *format, const sheet_row *row)
{
	upload_ctx *u = ctx;
	size_t n = u->seen++;
	if (u->ins) {
		if (store_row(u, row) != 0) {
			u->db_failed = !u->error;
			return 1;
		}
		u->stored++;
		return 0;
	}
	json_t *ignored = json_array();
	int found = map_header(u, row, ignored);
	int rc = found ? start_import(u, format, ignored) : 0;
	json_decref(ignored);
	if (rc)
		return 1;
	if (!found && n + 1 >= 10) {
		u->error = NO_HEADER;
		return 1;
	}
	return 0;
}

/* Inside a transaction, the rows stored: the checks against the roster
 * (already at this school, enrolled at another) as whole-table statements
 * and the counts. Returns 0, or -1 on a database error. */
static int check_against_roster(req_t *r, int64_t id)
{
	/* the roster as it is now: a 身份证号 already enrolled at this school is
	 * an error; enrolled at another school (双学籍) a warning the district
	 * sorts out */
	sqlite3_stmt *s = db_stmt(r->db, Q_IMPORT_MARK_ON_ROSTER);
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, r->user->org_id);
	db_bind_text(s, 3, label_of("idcard"));
	if (db_exec_stmt(s) != SQLITE_DONE)
		return -1;
	s = db_stmt(r->db, Q_IMPORT_MARK_ELSEWHERE);
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, r->user->org_id);
	db_bind_text(s, 3, "双学籍：该身份证号同时在其他学校在读，导入后请与区资助中心核实");
	if (db_exec_stmt(s) != SQLITE_DONE)
		return -1;
	s = db_stmt(r->db, Q_IMPORT_SET_COUNTS);
	sqlite3_bind_int64(s, 1, id);
	return db_exec_stmt(s) == SQLITE_DONE ? 0 : -1;
}

/* The file is read as a stream inside one transaction: rows are checked
 * and stored as they come, and anything wrong with the file rolls all of
 * it back. */
int page_import_upload(req_t *r)
{
	if (!school_only(r))
		return 0;
	const upload_t *f = NULL;
	for (size_t i = 0; i < r->files.n; i++)
		if (strcmp(r->files.v[i].field, "file") == 0)
			f = &r->files.v[i];
	if (!f || f->len == 0)
		return upload_page(r, 400, "请选择要导入的名册文件（xlsx 或 CSV）。");
	char hash[65];
	sha256_hex(f->data, f->len, hash);
	upload_ctx u = {.r = r, .f = f, .hash = hash, .today = today_yyyymmdd()};
	if (db_begin(r->db) != SQLITE_OK)
		return -1;
	char err[512];
	int rc = sheet_each(f->data, f->len, NULL, upload_row, &u, err, sizeof err);
	if (u.ins)
		sqlite3_clear_bindings(u.ins); /* they point into rows now gone */
	free(u.ids.key);
	free(u.ids.line);
	const char *refuse = rc < 0     ? arena_strdup(r->a, err)
			     : u.error  ? u.error
			     : rc > 0   ? NULL
			     : !u.ins   ? NO_HEADER
			     : !u.stored ? "文件中只有表头，没有学生数据。"
					 : NULL;
	if (refuse) {
		db_rollback(r->db);
		return upload_page(r, 400, refuse);
	}
	/* a database error: the dispatcher reads it, then rolls back */
	if (rc > 0 || check_against_roster(r, u.id) != 0 || db_commit(r->db) != SQLITE_OK)
		return -1;
	return resp_redirect(r, arena_printf(r->a, "/roster/import/%lld", (long long)u.id));
}

static json_t *load_import(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_IMPORT_GET);
	db_bind_text(s, 1, scope_path(r));
	sqlite3_bind_int64(s, 2, r->id);
	return db_row(s);
}

/* The rows of import id with errors, at most limit, each with its list. */
static json_t *bad_rows(req_t *r, int64_t id, int limit)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_IMPORT_BAD_ROWS);
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, limit);
	json_t *rows = db_rows(s);
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		json_error_t e;
		json_t *list = json_loads(json_string_value(json_object_get(row, "errors")), 0, &e);
		json_object_set_new(row, "errors", list ? list : json_array());
		json_object_set_new(row, "v", json_pack("{s:O}", "name", json_object_get(row, "name")));
	}
	return rows;
}

int page_import_preview(req_t *r)
{
	json_t *imp = load_import(r);
	if (!imp)
		return render_error(r, 404, "没有找到这次导入，或它不属于本校。");
	json_error_t e;
	json_t *doc = json_loads(json_string_value(json_object_get(imp, "rows_json")), 0, &e);
	json_object_del(imp, "rows_json");
	json_t *bad = bad_rows(r, r->id, PREVIEW_BAD_ROWS);
	sqlite3_stmt *s = db_stmt(r->db, Q_IMPORT_GOOD_ROWS);
	sqlite3_bind_int64(s, 1, r->id);
	sqlite3_bind_int(s, 2, PREVIEW_ROWS);
	json_t *good = db_rows(s);
	size_t i;
	json_t *row;
	json_array_foreach(good, i, row)
	{
		char m[32];
		mask_idcard(json_string_value(json_object_get(row, "idcard")), m, sizeof m);
		json_object_set_new(row, "v", json_pack("{s:O, s:O, s:s, s:O, s:O}", "name", json_object_get(row, "name"),
							"gender", json_object_get(row, "gender"), "idcard", m, "grade",
							json_object_get(row, "grade"), "class_name",
							json_object_get(row, "class_name")));
		json_object_del(row, "idcard");
	}
	json_int_t nbad = json_integer_value(json_object_get(imp, "bad"));
	json_t *c = page_ctx(r, "导入预览");
	json_object_set_new(c, "bad_more", json_integer(nbad > PREVIEW_BAD_ROWS ? nbad - PREVIEW_BAD_ROWS : 0));
	json_object_set_new(c, "imp", imp);
	json_object_set_new(c, "bad_rows", bad);
	json_object_set_new(c, "good_rows", good);
	json_object_set(c, "ignored", json_object_get(doc, "ignored"));
	json_object_set_new(c, "open", json_boolean(strcmp(json_string_value(json_object_get(imp, "status")), "preview") == 0));
	json_decref(doc);
	return render(r, 200, "roster/preview.html", c);
}

/* Inside a transaction: is the import r->id still waiting for a decision? */
static int still_open(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_IMPORT_STATUS);
	sqlite3_bind_int64(s, 1, r->id);
	json_t *row = db_row(s);
	int open = row && strcmp(json_string_value(json_object_get(row, "status")), "preview") == 0;
	json_decref(row);
	return open;
}

/* Keep only the report of the bad rows (line, name, column, reason): the
 * good rows are in the roster now, or were never wanted. */
static int keep_report(req_t *r)
{
	sqlite3_stmt *d = db_stmt(r->db, Q_IMPORT_DROP_GOOD);
	sqlite3_bind_int64(d, 1, r->id);
	if (db_exec_stmt(d) != SQLITE_DONE)
		return -1;
	sqlite3_stmt *u = db_stmt(r->db, Q_IMPORT_SLIM_BAD);
	sqlite3_bind_int64(u, 1, r->id);
	return db_exec_stmt(u) == SQLITE_DONE ? 0 : -1;
}

int page_import_apply(req_t *r)
{
	json_t *imp = load_import(r);
	if (!imp)
		return render_error(r, 404, "没有找到这次导入，或它不属于本校。");
	const char *mode = form_str(r, "mode");
	int only_good = strcmp(mode, "good") == 0;
	if (!only_good && strcmp(mode, "all") != 0) {
		json_decref(imp);
		return render_error(r, 400, "请选择导入方式：“全部导入”或“只导入正确的行”。");
	}
	if (strcmp(json_string_value(json_object_get(imp, "status")), "preview") != 0) {
		json_decref(imp);
		return render_error(r, 409, "这次导入已经处理过（已导入或已放弃），不能重复导入。");
	}
	if (json_integer_value(json_object_get(imp, "bad")) > 0 && !only_good) {
		json_decref(imp);
		return render_error(r, 409, "文件中有错误的行，默认不导入任何数据。请改正后重新上传，或选择“只导入正确的行”。");
	}
	int64_t school = json_integer_value(json_object_get(imp, "school_id"));
	long total = (long)(json_integer_value(json_object_get(imp, "good")) + json_integer_value(json_object_get(imp, "bad")));
	if (db_begin(r->db) != SQLITE_OK)
		goto fail;
	/* a second click or a second tab may have applied it meanwhile */
	if (!still_open(r)) {
		db_rollback(r->db);
		json_decref(imp);
		return render_error(r, 409, "这次导入已经处理过（已导入或已放弃），不能重复导入。");
	}
	/* a child the roster gained since the preview is reported, not added
	 * twice; the counts then say what was imported */
	sqlite3_stmt *m = db_stmt(r->db, Q_IMPORT_MARK_ON_ROSTER);
	sqlite3_bind_int64(m, 1, r->id);
	sqlite3_bind_int64(m, 2, school);
	db_bind_text(m, 3, label_of("idcard"));
	if (db_exec_stmt(m) != SQLITE_DONE)
		goto fail;
	sqlite3_stmt *n = db_stmt(r->db, Q_IMPORT_SET_COUNTS);
	sqlite3_bind_int64(n, 1, r->id);
	if (db_exec_stmt(n) != SQLITE_DONE)
		goto fail;
	sqlite3_stmt *s = db_stmt(r->db, Q_IMPORT_APPLY_ROWS);
	sqlite3_bind_int64(s, 1, r->id);
	sqlite3_bind_int64(s, 2, school);
	if (db_exec_stmt(s) != SQLITE_DONE)
		goto fail;
	long added = (long)sqlite3_changes(db_handle(r->db));
	long skipped = total - added;
	sqlite3_stmt *u = db_stmt(r->db, Q_IMPORT_SET_STATUS);
	sqlite3_bind_int64(u, 1, r->id);
	db_bind_text(u, 2, "applied");
	if (db_exec_stmt(u) != SQLITE_DONE || sqlite3_changes(db_handle(r->db)) != 1)
		goto fail;
	if (keep_report(r) != 0)
		goto fail;
	json_t *after = json_pack("{s:O, s:O, s:I, s:I, s:s}", "filename", json_object_get(imp, "filename"),
				  "sha256", json_object_get(imp, "sha256"), "added", (json_int_t)added, "skipped",
				  (json_int_t)skipped, "mode", only_good ? "good" : "all");
	int rc = audit(r, "roster.import", "roster_import", r->id, school, NULL, after);
	json_decref(after);
	if (rc != 0 || db_commit(r->db) != SQLITE_OK)
		goto fail;
	json_decref(imp);
	flash_set(r, "import_applied");
	return resp_redirect(r, arena_printf(r->a, "/roster/import/%lld", (long long)r->id));
fail:
	json_decref(imp);
	return -1;
}

int page_import_discard(req_t *r)
{
	json_t *imp = load_import(r);
	if (!imp)
		return render_error(r, 404, "没有找到这次导入，或它不属于本校。");
	int64_t school = json_integer_value(json_object_get(imp, "school_id"));
	json_t *after = json_pack("{s:O, s:O}", "filename", json_object_get(imp, "filename"), "sha256",
				  json_object_get(imp, "sha256"));
	json_decref(imp);
	if (db_begin(r->db) != SQLITE_OK) {
		json_decref(after);
		return -1;
	}
	if (!still_open(r)) {
		db_rollback(r->db);
		json_decref(after);
		return render_error(r, 409, "这次导入已经处理过（已导入或已放弃），不能再放弃。");
	}
	sqlite3_stmt *u = db_stmt(r->db, Q_IMPORT_SET_STATUS);
	sqlite3_bind_int64(u, 1, r->id);
	db_bind_text(u, 2, "discarded");
	/* nothing of a discarded file is kept but its name and hash */
	sqlite3_stmt *p = db_stmt(r->db, Q_IMPORT_PURGE);
	sqlite3_bind_int64(p, 1, r->id);
	int rc = db_exec_stmt(u) == SQLITE_DONE && db_exec_stmt(p) == SQLITE_DONE ? 0 : -1;
	if (rc == 0) {
		sqlite3_stmt *d = db_stmt(r->db, Q_IMPORT_SET_ROWS);
		sqlite3_bind_int64(d, 1, r->id);
		db_bind_text(d, 2, "{\"ignored\":[]}");
		rc = db_exec_stmt(d) == SQLITE_DONE ? 0 : -1;
	}
	if (rc == 0)
		rc = audit(r, "roster.import_discard", "roster_import", r->id, school, NULL, after);
	json_decref(after);
	if (rc != 0 || db_commit(r->db) != SQLITE_OK)
		return -1;
	flash_set(r, "import_discarded");
	return resp_redirect(r, "/students");
}
