/* import.c - the roster import: the xlsx template, the upload read into
 * rows and checked with the same rules as the form, a preview with a
 * report per bad row, and applying it in one transaction (all rows, or
 * only the good ones when the officer chooses). */
#include "core/json_arena.h"
#include "pages.h"
#include "db/queries.h"
#include "domain/format.h"
#include "domain/idcard.h"
#include "domain/student.h"
#include "import/sheet.h"
#include <stdlib.h>
#include <string.h>

#define PREVIEW_ROWS 50
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
	for (int i = 0; i < STUDENT_FIELD_COUNT; i++)
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
	for (int i = 0; i < STUDENT_FIELD_COUNT; i++) {
		headers[i] = STUDENT_FIELDS[i].label;
		notes[i] = STUDENT_FIELDS[i].note;
	}
	unsigned char *data = NULL;
	size_t len = 0;
	char err[256];
	if (xlsx_write_table("学生名册", (size_t)STUDENT_FIELD_COUNT, headers, notes, 0, NULL, &data, &len,
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
	for (int i = 0; i < STUDENT_FIELD_COUNT; i++)
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

/* Find the header row (the first with 姓名 and 身份证号) and map columns
 * to field keys. Returns the header row index or -1. */
static long map_header(const sheet_t *sh, const char *cols[256], json_t *ignored)
{
	for (size_t r = 0; r < sh->nrows && r < 10; r++) {
		const sheet_row *row = &sh->rows[r];
		int have_name = 0, have_id = 0;
		for (size_t c = 0; c < row->ncells && c < 256; c++) {
			cols[c] = NULL;
			for (size_t a = 0; a < NALIASES; a++)
				for (int k = 0; ALIASES[a].names[k]; k++)
					if (strcmp(row->cells[c], ALIASES[a].names[k]) == 0)
						cols[c] = ALIASES[a].key;
			have_name |= cols[c] && strcmp(cols[c], "name") == 0;
			have_id |= cols[c] && strcmp(cols[c], "idcard") == 0;
		}
		if (have_name && have_id) {
			for (size_t c = 0; c < row->ncells && c < 256; c++)
				if (!cols[c] && *row->cells[c])
					json_array_append_new(ignored, json_string(row->cells[c]));
			for (size_t c = row->ncells; c < 256; c++)
				cols[c] = NULL;
			return (long)r;
		}
	}
	return -1;
}

/* Inside a transaction: check every data row with the student form's rules
 * and store it as a row of import id; the checks against the roster
 * (already at this school, enrolled at another) follow as whole-table
 * statements. Returns 0, or -1 on a database error. */
static int store_rows(req_t *r, int64_t id, const sheet_t *sh, long header, const char *cols[256])
{
	json_t *seen = json_object();
	int today = today_yyyymmdd();
	int rc = 0;
	for (size_t i = (size_t)header + 1; i < sh->nrows && rc == 0; i++) {
		const sheet_row *row = &sh->rows[i];
		json_t *v = json_object(), *errors = json_object();
		for (size_t c = 0; c < row->ncells && c < 256; c++)
			if (cols[c])
				json_object_set_new(v, cols[c], json_string(row->cells[c]));
		const char *raw_id = json_string_value(json_object_get(v, "idcard"));
		/* Excel turned the number into 1.10105E+17: the last digits are gone */
		if (raw_id && (strchr(raw_id, 'E') || strchr(raw_id, 'e')) && strchr(raw_id, '+'))
			json_object_set_new(errors, "idcard",
					    json_string("身份证号被 Excel 存成了科学计数法（如 4.10303E+17），末几位已经丢失。"
							"请把这一列设为“文本”格式，重新录入后再导入。"));
		student_check(v, errors, today);
		const char *idc = json_string_value(json_object_get(v, "idcard"));
		if (!json_object_get(errors, "idcard") && idc) {
			json_t *first = json_object_get(seen, idc);
			if (first)
				json_object_set_new(errors, "idcard",
						    json_string(arena_printf(r->a, "与第 %lld 行的身份证号重复。",
									     (long long)json_integer_value(first))));
			else
				json_object_set_new(seen, idc, json_integer((json_int_t)row->line));
		}
		sqlite3_stmt *s = db_stmt(r->db, Q_IMPORT_ROW_INSERT);
		sqlite3_bind_int64(s, 1, id);
		sqlite3_bind_int64(s, 2, (sqlite3_int64)row->line);
		/* ?3..?16: the roster fields in STUDENT_FIELDS order */
		for (int k = 0; k < STUDENT_FIELD_COUNT; k++) {
			const char *val = json_string_value(json_object_get(v, STUDENT_FIELDS[k].key));
			if (strcmp(STUDENT_FIELDS[k].key, "boarding") == 0)
				sqlite3_bind_int(s, 3 + k, val && strcmp(val, "1") == 0);
			else
				db_bind_text(s, 3 + k, val ? val : "");
		}
		sqlite3_bind_int(s, 17, idc && !json_object_get(errors, "idcard"));
		char *list_text = NULL;
		if (json_object_size(errors)) {
			json_t *list = json_array();
			const char *k;
			json_t *m;
			json_object_foreach(errors, k, m)
				json_array_append_new(list, json_pack("{s:s, s:O}", "column", label_of(k), "reason", m));
			list_text = json_dumps(list, JSON_COMPACT);
			json_decref(list);
			db_bind_text(s, 18, list_text);
		}
		if (db_exec_stmt(s) != SQLITE_DONE)
			rc = -1;
		json_text_free(list_text);
		json_decref(v);
		json_decref(errors);
	}
	json_decref(seen);
	if (rc)
		return -1;
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
	sheet_t sh;
	char err[512];
	if (sheet_read(f->data, f->len, NULL, &sh, err, sizeof err) != 0)
		return upload_page(r, 400, arena_strdup(r->a, err));
	const char *cols[256];
	json_t *ignored = json_array();
	long header = map_header(&sh, cols, ignored);
	if (header < 0) {
		sheet_free(&sh);
		json_decref(ignored);
		return upload_page(r, 400, "文件中没有找到表头行（须包含“姓名”和“身份证号”两列）。请使用下载的模板，或把表头改成模板中的名称。");
	}
	/* every required column must be there */
	for (int i = 0; i < STUDENT_FIELD_COUNT; i++) {
		int present = 0;
		for (int c = 0; c < 256; c++)
			present |= cols[c] && strcmp(cols[c], STUDENT_FIELDS[i].key) == 0;
		if (STUDENT_FIELDS[i].required && !present) {
			sheet_free(&sh);
			json_decref(ignored);
			return upload_page(r, 400, arena_printf(r->a, "文件缺少必填列“%s”。请使用下载的模板，或在表头中补上这一列。",
								STUDENT_FIELDS[i].label));
		}
	}
	if ((size_t)header + 1 >= sh.nrows) {
		sheet_free(&sh);
		json_decref(ignored);
		return upload_page(r, 400, "文件中只有表头，没有学生数据。");
	}
	json_t *doc = json_pack("{s:o}", "ignored", ignored);
	char *doc_text = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	char hash[65];
	sha256_hex(f->data, f->len, hash);
	int rc = -1;
	int64_t id = 0;
	if (db_begin(r->db) == SQLITE_OK) {
		sqlite3_stmt *s = db_stmt(r->db, Q_IMPORT_INSERT);
		sqlite3_bind_int64(s, 1, r->user->org_id);
		sqlite3_bind_int64(s, 2, r->user->id);
		db_bind_text(s, 3, f->filename);
		db_bind_text(s, 4, sh.format);
		db_bind_text(s, 5, hash);
		db_bind_text(s, 6, doc_text);
		if (db_exec_stmt(s) == SQLITE_DONE) {
			id = sqlite3_last_insert_rowid(db_handle(r->db));
			if (store_rows(r, id, &sh, header, cols) == 0 && db_commit(r->db) == SQLITE_OK)
				rc = 0;
		}
	}
	json_text_free(doc_text);
	sheet_free(&sh);
	if (rc)
		return -1;
	return resp_redirect(r, arena_printf(r->a, "/roster/import/%lld", (long long)id));
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
