/* report_imports.c - lists brought in by the district: past award records
 * (so a district's history appears in its reports) and other departments'
 * lists (民政 低保/特困, 乡村振兴 脱贫/监测, 残联 残疾) matched against the
 * roster by 身份证号 to find children on such a list without recognition
 * or aid (数据比对). Files are checked whole; nothing is written if a row
 * is bad. */
#include "pages.h"
#include "db/queries.h"
#include "domain/format.h"
#include "domain/idcard.h"
#include "domain/student.h"
#include "import/sheet.h"
#include <stdlib.h>
#include <string.h>

static const upload_t *the_file(req_t *r)
{
	for (size_t i = 0; i < r->files.n; i++)
		if (strcmp(r->files.v[i].field, "file") == 0)
			return &r->files.v[i];
	return NULL;
}

/* Column index of the first header among names, or -1. */
static long column(const sheet_row *h, const char *const *names)
{
	for (size_t c = 0; c < h->ncells; c++)
		for (int k = 0; names[k]; k++)
			if (strcmp(h->cells[c], names[k]) == 0)
				return (long)c;
	return -1;
}

static const char *cell(const sheet_row *row, long c)
{
	return c >= 0 && (size_t)c < row->ncells ? row->cells[c] : "";
}

int page_imports(req_t *r)
{
	json_t *c = page_ctx(r, "数据导入与比对");
	sqlite3_stmt *l = db_stmt(r->db, Q_MATCH_LISTS);
	db_bind_text(l, 1, scope_path(r));
	json_object_set_new(c, "lists", db_rows(l));
	sqlite3_stmt *t = db_stmt(r->db, Q_TERMS);
	sqlite3_bind_int64(t, 1, 0);
	json_t *terms = db_rows(t);
	json_t *pick = term_choose(terms, atoll(query_str(r, "term"))), *x;
	size_t i;
	if (pick) {
		sqlite3_stmt *m = db_stmt(r->db, Q_MATCH_MISSING);
		db_bind_text(m, 1, scope_path(r));
		sqlite3_bind_int64(m, 2, json_integer_value(json_object_get(pick, "id")));
		db_bind_text(m, 3, json_string_value(json_object_get(pick, "school_year")));
		json_t *rows = db_rows(m);
		json_array_foreach(rows, i, x)
		{
			char mk[32];
			mask_idcard(json_string_value(json_object_get(x, "idcard")), mk, sizeof mk);
			json_object_set_new(x, "idcard", json_string(mk));
		}
		json_object_set_new(c, "missing", rows);
		json_object_set(c, "term", pick);
	}
	json_object_set_new(c, "terms", terms);
	json_object_set_new(c, "can_import", json_boolean(strcmp(r->user->org_kind, "district") == 0));
	return render(r, 200, "reports/imports.html", c);
}

/* 民政 / 乡村振兴 / 残联 list: 身份证号, 姓名, 类别. Both uploads are for
 * district staff only, as the route table says (a district role belongs to a
 * district node). */
int page_match_upload(req_t *r)
{
	const char *source = form_str(r, "source"), *date = form_str(r, "list_date");
	char chk[11];
	if (strcmp(source, "民政") && strcmp(source, "乡村振兴") && strcmp(source, "残联") && strcmp(source, "其他"))
		return render_error(r, 400, "请选择名单来源：民政、乡村振兴、残联或其他。");
	if (add_days(date, 0, chk) != 0 || strcmp(chk, date) != 0)
		return render_error(r, 400, "请填写名单日期（如 2025-03-05）。");
	const upload_t *f = the_file(r);
	sheet_t sh;
	char err[512];
	if (!f || !f->len)
		return render_error(r, 400, "请选择名单文件（xlsx 或 CSV）。");
	if (sheet_read(f->data, f->len, NULL, &sh, err, sizeof err) != 0)
		return render_error(r, 400, arena_strdup(r->a, err));
	static const char *const ID[] = {"身份证号", "身份证号码", "证件号码", NULL};
	static const char *const NAME[] = {"姓名", NULL};
	static const char *const CAT[] = {"类别", "人员类别", "类型", NULL};
	long ci = sh.nrows ? column(&sh.rows[0], ID) : -1, cn = sh.nrows ? column(&sh.rows[0], NAME) : -1;
	long cc = sh.nrows ? column(&sh.rows[0], CAT) : -1;
	buf_t problems = BUF_INIT;
	if (ci < 0 || cn < 0 || cc < 0)
		buf_puts(&problems, "名单须有“身份证号”“姓名”“类别”三列。");
	int today = today_yyyymmdd();
	for (size_t i = 1; problems.len < 2000 && ci >= 0 && cn >= 0 && cc >= 0 && i < sh.nrows; i++) {
		char norm[19];
		idcard_result res = idcard_check(cell(&sh.rows[i], ci), today, norm);
		if (res != IDCARD_OK)
			buf_printf(&problems, "第 %zu 行：%s", sh.rows[i].line, idcard_message(res));
		else if (!*cell(&sh.rows[i], cn) || !*cell(&sh.rows[i], cc))
			buf_printf(&problems, "第 %zu 行：缺少姓名或类别。", sh.rows[i].line);
	}
	int rc = -1;
	if (problems.len || sh.nrows < 2) {
		rc = render_error(r, 400, problems.len ? arena_printf(r->a, "名单有问题，没有导入：%s", buf_cstr(&problems))
						       : "名单中没有数据行。");
		goto out;
	}
	char hash[65];
	sha256_hex(f->data, f->len, hash);
	if (db_begin(r->db) != SQLITE_OK)
		goto out;
	/* The same list again (same file, source and date) would only show it
	 * twice; the same file under another source or date is a new record. */
	sqlite3_stmt *d = db_stmt(r->db, Q_MATCH_LIST_SAME);
	sqlite3_bind_int64(d, 1, r->user->org_id);
	db_bind_text(d, 2, hash);
	db_bind_text(d, 3, source);
	db_bind_text(d, 4, date);
	json_t *earlier = db_row(d);
	if (earlier) {
		char when[64];
		date_format_cn(jstr(earlier, "imported_at"), 1, when, sizeof when);
		const char *msg = arena_printf(r->a,
					       "这份%s名单（%s）已于 %s 导入过（文件名“%s”），本次未重复导入，比对结果没有变化。",
					       source, date, when, jstr(earlier, "filename"));
		json_decref(earlier);
		db_rollback(r->db);
		rc = render_error(r, 409, msg);
		goto out;
	}
	sqlite3_stmt *l = db_stmt(r->db, Q_MATCH_LIST_ADD);
	sqlite3_bind_int64(l, 1, r->user->org_id);
	db_bind_text(l, 2, source);
	db_bind_text(l, 3, date);
	db_bind_text(l, 4, f->filename);
	db_bind_text(l, 5, hash);
	sqlite3_bind_int64(l, 6, (sqlite3_int64)sh.nrows - 1);
	sqlite3_bind_int64(l, 7, r->user->id);
	if (db_exec_stmt(l) != SQLITE_DONE)
		goto out;
	int64_t list = sqlite3_last_insert_rowid(db_handle(r->db));
	for (size_t i = 1; i < sh.nrows; i++) {
		char norm[19];
		idcard_check(cell(&sh.rows[i], ci), today, norm);
		sqlite3_stmt *e = db_stmt(r->db, Q_MATCH_ENTRY_ADD);
		sqlite3_bind_int64(e, 1, list);
		db_bind_text(e, 2, norm);
		db_bind_text(e, 3, cell(&sh.rows[i], cn));
		db_bind_text(e, 4, cell(&sh.rows[i], cc));
		if (db_exec_stmt(e) != SQLITE_DONE)
			goto out;
	}
	json_t *after = json_pack("{s:s, s:s, s:s, s:I}", "source", source, "list_date", date, "sha256", hash, "rows",
				  (json_int_t)sh.nrows - 1);
	int arc = audit(r, "report.match_import", "match_list", list, r->user->org_id, NULL, after);
	json_decref(after);
	if (arc || db_commit(r->db) != SQLITE_OK)
		goto out;
	rc = 0;
	flash_set(r, "list_imported");
	resp_redirect(r, "/reports/imports");
out:
	buf_free(&problems);
	sheet_free(&sh);
	return rc;
}

/* The id a name resolves to with q (bound to the name and, for a programme,
 * the stage code), remembered in seen under key: a file repeats a handful of
 * programmes and terms over thousands of rows. 0 if unknown. */
static json_int_t lookup_id(req_t *r, json_t *seen, int q, const char *key, const char *name, const char *stage)
{
	json_t *v = json_object_get(seen, key);
	if (v)
		return json_integer_value(v);
	sqlite3_stmt *s = db_stmt(r->db, q);
	db_bind_text(s, 1, name);
	if (stage)
		db_bind_text(s, 2, stage);
	json_t *row = db_row(s);
	json_int_t id = row ? jint(row, "id") : 0;
	json_decref(row);
	json_object_set_new(seen, key, json_integer(id));
	return id;
}

/* Past award records: 身份证号, 姓名, 学校, 学段, 项目, 学期, 金额, 脱贫. */
int page_history_upload(req_t *r)
{
	const upload_t *f = the_file(r);
	sheet_t sh;
	char err[512];
	if (!f || !f->len)
		return render_error(r, 400, "请选择历史资助记录文件（xlsx 或 CSV）。");
	if (sheet_read(f->data, f->len, NULL, &sh, err, sizeof err) != 0)
		return render_error(r, 400, arena_strdup(r->a, err));
	static const char *const H[8][4] = {{"身份证号", "身份证号码", NULL}, {"姓名", NULL}, {"学校", "学校名称", NULL},
					    {"学段", NULL},                   {"项目", "资助项目", NULL}, {"学期", NULL},
					    {"金额", "金额（元）", "金额(元)", NULL}, {"脱贫", "是否脱贫家庭", "脱贫家庭", NULL}};
	long col[8];
	buf_t problems = BUF_INIT;
	for (int k = 0; k < 8; k++) {
		col[k] = sh.nrows ? column(&sh.rows[0], H[k]) : -1;
		if (col[k] < 0 && k < 7)
			buf_printf(&problems, "缺少“%s”列。", H[k][0]);
	}
	json_t *rows = json_array(), *programmes = json_object(), *terms = json_object();
	int today = today_yyyymmdd();
	for (size_t i = 1; !problems.len && i < sh.nrows; i++) {
		const sheet_row *row = &sh.rows[i];
		char norm[19];
		idcard_result res = idcard_check(cell(row, col[0]), today, norm);
		const char *stage = stage_code(cell(row, col[3]));
		/* a programme's name is unique within a stage only */
		json_int_t prog = lookup_id(r, programmes, Q_PROGRAMME_BY_NAME,
					    arena_printf(r->a, "%s\x1f%s", stage ? stage : "", cell(row, col[4])),
					    cell(row, col[4]), stage ? stage : "");
		json_int_t term = lookup_id(r, terms, Q_TERM_BY_NAME, cell(row, col[5]), cell(row, col[5]), NULL);
		int64_t fen;
		const char *tp = cell(row, col[7]);
		if (res != IDCARD_OK)
			buf_printf(&problems, "第 %zu 行：%s", row->line, idcard_message(res));
		else if (!*cell(row, col[1]) || !*cell(row, col[2]))
			buf_printf(&problems, "第 %zu 行：缺少姓名或学校。", row->line);
		else if (!stage)
			buf_printf(&problems, "第 %zu 行：学段“%s”不认识。", row->line, cell(row, col[3]));
		else if (!prog)
			buf_printf(&problems, "第 %zu 行：资助项目“%s”不认识（须与系统中的项目名称一致）。", row->line, cell(row, col[4]));
		else if (!term)
			buf_printf(&problems, "第 %zu 行：学期“%s”不认识（如 2025年春季学期）。", row->line, cell(row, col[5]));
		else if (money_parse_yuan(cell(row, col[6]), 0, &fen) != 0)
			buf_printf(&problems, "第 %zu 行：金额“%s”不正确（元，最多两位小数）。", row->line, cell(row, col[6]));
		else if (*tp && strcmp(tp, "是") && strcmp(tp, "否"))
			buf_printf(&problems, "第 %zu 行：脱贫一栏请填 是 或 否。", row->line);
		else
			json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:s, s:I, s:I, s:I, s:b}", "idcard", norm,
							      "name", cell(row, col[1]), "school", cell(row, col[2]), "stage", stage,
							      "programme", prog, "term", term, "fen", (json_int_t)fen, "tp", !strcmp(tp, "是")));
	}
	json_decref(programmes);
	json_decref(terms);
	int rc = -1;
	if (problems.len || json_array_size(rows) == 0) {
		rc = render_error(r, 400, problems.len ? arena_printf(r->a, "历史记录有问题，没有导入：%s", buf_cstr(&problems))
						       : "文件中没有数据行。");
		goto out;
	}
	char hash[65];
	sha256_hex(f->data, f->len, hash);
	const char *source = arena_printf(r->a, "%s %.16s", f->filename, hash);
	if (db_begin(r->db) != SQLITE_OK)
		goto out;
	/* The same file again would count every record twice in the reports:
	 * refused, checked inside the transaction so two uploads at once cannot
	 * both pass. */
	json_t *first = json_array_get(rows, 0);
	sqlite3_stmt *d = db_stmt(r->db, Q_PAST_SAME_FILE);
	sqlite3_bind_int64(d, 1, r->user->org_id);
	sqlite3_bind_int64(d, 2, jint(first, "term"));
	sqlite3_bind_int64(d, 3, jint(first, "programme"));
	sqlite3_bind_text(d, 4, hash, 16, SQLITE_TRANSIENT);
	json_t *earlier = db_row(d);
	if (earlier) {
		char when[64];
		date_format_cn(jstr(earlier, "imported_at"), 1, when, sizeof when);
		const char *msg = arena_printf(r->a,
					       "该文件已于 %s 导入过（文件名“%s”），本次未重复导入，报表数字没有变化。"
					       "如需补充记录，请只上传以前没有导入过的记录。",
					       when, jstr(earlier, "filename"));
		json_decref(earlier);
		db_rollback(r->db);
		rc = render_error(r, 409, msg);
		goto out;
	}
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x)
	{
		sqlite3_stmt *s = db_stmt(r->db, Q_PAST_ADD);
		sqlite3_bind_int64(s, 1, r->user->org_id);
		db_bind_text(s, 2, json_string_value(json_object_get(x, "idcard")));
		db_bind_text(s, 3, json_string_value(json_object_get(x, "name")));
		db_bind_text(s, 5, json_string_value(json_object_get(x, "school")));
		db_bind_text(s, 6, json_string_value(json_object_get(x, "stage")));
		sqlite3_bind_int64(s, 7, json_integer_value(json_object_get(x, "programme")));
		sqlite3_bind_int64(s, 8, json_integer_value(json_object_get(x, "term")));
		sqlite3_bind_int64(s, 9, json_integer_value(json_object_get(x, "fen")));
		sqlite3_bind_int(s, 10, json_is_true(json_object_get(x, "tp")));
		db_bind_text(s, 11, source);
		sqlite3_bind_int64(s, 12, r->user->id);
		if (db_exec_stmt(s) != SQLITE_DONE)
			goto out;
	}
	json_t *after = json_pack("{s:s, s:s, s:I}", "filename", f->filename, "sha256", hash, "rows", (json_int_t)json_array_size(rows));
	int arc = audit(r, "report.history_import", "past_award", 0, r->user->org_id, NULL, after);
	json_decref(after);
	if (arc || db_commit(r->db) != SQLITE_OK)
		goto out;
	rc = 0;
	flash_set(r, "history_imported");
	resp_redirect(r, "/reports/imports");
out:
	json_decref(rows);
	buf_free(&problems);
	sheet_free(&sh);
	return rc;
}
