/* roster.c - whole-roster operations of the school officer: the year-end
 * promotion (升级) and the spreadsheet import. */
#include "pages.h"
#include "db/queries.h"
#include "domain/format.h"
#include "domain/idcard.h"
#include <string.h>

/* The 学年 a promotion now would start: from June on, the coming one. */
static void promotion_year(char out[10])
{
	int d = today_yyyymmdd();
	if (d / 100 % 100 >= 6 && d / 100 % 100 < 8)
		d = (d / 10000) * 10000 + 801;
	school_year_of(d, out);
}

static int promote_page(req_t *r, int status, const char *error)
{
	char year[10];
	promotion_year(year);
	sqlite3_stmt *s = db_stmt(r->db, Q_PROMOTE_PREVIEW);
	sqlite3_bind_int64(s, 1, r->user->org_id);
	json_t *rows = db_rows(s);
	json_int_t up = 0, grad = 0, unknown = 0;
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		json_int_t n = json_integer_value(json_object_get(row, "students"));
		if (!json_integer_value(json_object_get(row, "known")))
			unknown += n;
		else if (json_is_null(json_object_get(row, "next_name")))
			grad += n;
		else
			up += n;
	}
	sqlite3_stmt *p = db_stmt(r->db, Q_PROMOTION_GET);
	sqlite3_bind_int64(p, 1, r->user->org_id);
	db_bind_text(p, 2, year);
	json_t *done = db_row(p);
	json_t *c = page_ctx(r, "学年升级");
	json_object_set_new(c, "year", json_string(year));
	json_object_set_new(c, "rows", rows);
	json_object_set_new(c, "up", json_integer(up));
	json_object_set_new(c, "grad", json_integer(grad));
	json_object_set_new(c, "unknown", json_integer(unknown));
	if (done)
		json_object_set_new(c, "done", done);
	if (error)
		json_object_set_new(c, "error", json_string(error));
	return render(r, status, "roster/promote.html", c);
}

int page_promote_form(req_t *r)
{
	return promote_page(r, 200, NULL);
}

int page_promote(req_t *r)
{
	char year[10];
	promotion_year(year);
	if (strcmp(form_str(r, "year"), year) != 0)
		return promote_page(r, 409, "页面已过期（学年已变化），请核对后重新确认。");
	if (db_begin(r->db) != SQLITE_OK)
		return -1;
	sqlite3_stmt *p = db_stmt(r->db, Q_PROMOTION_GET);
	sqlite3_bind_int64(p, 1, r->user->org_id);
	db_bind_text(p, 2, year);
	json_t *done = db_row(p);
	if (done) {
		json_decref(done);
		db_rollback(r->db);
		return promote_page(r, 409, "本校本学年已经升级过，不能重复升级。");
	}
	sqlite3 *h = db_handle(r->db);
	sqlite3_stmt *g = db_stmt(r->db, Q_PROMOTE_GRADUATE);
	sqlite3_bind_int64(g, 1, r->user->org_id);
	if (db_exec_stmt(g) != SQLITE_DONE)
		return -1;
	int graduated = sqlite3_changes(h);
	sqlite3_stmt *a = db_stmt(r->db, Q_PROMOTE_ADVANCE);
	sqlite3_bind_int64(a, 1, r->user->org_id);
	if (db_exec_stmt(a) != SQLITE_DONE)
		return -1;
	int promoted = sqlite3_changes(h);
	sqlite3_stmt *ins = db_stmt(r->db, Q_PROMOTION_INSERT);
	sqlite3_bind_int64(ins, 1, r->user->org_id);
	db_bind_text(ins, 2, year);
	sqlite3_bind_int64(ins, 3, r->user->id);
	sqlite3_bind_int(ins, 4, promoted);
	sqlite3_bind_int(ins, 5, graduated);
	if (db_exec_stmt(ins) != SQLITE_DONE)
		return -1;
	json_t *after = json_pack("{s:s, s:i, s:i}", "school_year", year, "promoted", promoted,
				  "graduated", graduated);
	int rc = audit(r, "roster.promote", "org", r->user->org_id, r->user->org_id, NULL, after);
	json_decref(after);
	if (rc != 0 || db_commit(r->db) != SQLITE_OK)
		return -1;
	flash_set(r, "promoted");
	return resp_redirect(r, "/students");
}
