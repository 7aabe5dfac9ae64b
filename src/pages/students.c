/* students.c - the roster as staff read it: a searchable list over the
 * user's scope and one student's page. Numbers people must not see whole
 * (身份证号, phone, account) are masked here, before any template. */
#include "pages.h"
#include "db/queries.h"
#include "domain/format.h"
#include <string.h>

#define PER_PAGE 50

static void mask_field(json_t *o, const char *key, void (*mask)(const char *, char *, size_t))
{
	const char *v = json_string_value(json_object_get(o, key));
	if (!v || !*v)
		return;
	char out[128];
	mask(v, out, sizeof out);
	json_object_set_new(o, key, json_string(out));
}

int page_students(req_t *r)
{
	const char *q = query_str(r, "q");
	long page = query_page(r);
	sqlite3_stmt *cnt = db_stmt(r->db, Q_STUDENT_COUNT);
	db_bind_text(cnt, 1, scope_path(r));
	db_bind_text(cnt, 2, q);
	long total = 0;
	if (sqlite3_step(cnt) == SQLITE_ROW)
		total = (long)sqlite3_column_int64(cnt, 0);
	sqlite3_reset(cnt);
	sqlite3_stmt *s = db_stmt(r->db, Q_STUDENT_PAGE);
	db_bind_text(s, 1, scope_path(r));
	db_bind_text(s, 2, q);
	sqlite3_bind_int(s, 3, PER_PAGE);
	sqlite3_bind_int64(s, 4, (page - 1) * PER_PAGE);
	json_t *rows = db_rows(s);
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		mask_field(row, "idcard", mask_idcard);
		/* 序号 runs on across pages */
		json_object_set_new(row, "seq", json_integer((json_int_t)((page - 1) * PER_PAGE + (long)i + 1)));
	}
	json_t *c = page_ctx(r, "学生名册");
	json_object_set_new(c, "q", json_string(q));
	json_object_set_new(c, "students", rows);
	json_object_set_new(c, "show_school", json_boolean(strcmp(r->user->org_kind, "school") != 0));
	pager_set(r, c, page, PER_PAGE, total);
	return render(r, 200, "students/list.html", c);
}

int page_student(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_STUDENT_BY_ID);
	db_bind_text(s, 1, scope_path(r));
	sqlite3_bind_int64(s, 2, r->id);
	json_t *st = db_row(s);
	if (!st)
		return render_error(r, 404, "没有找到这名学生，或该学生不在您的管理范围内。");
	mask_field(st, "idcard", mask_idcard);
	mask_field(st, "xueji_no", mask_idcard); /* 全国学籍号 is G + 身份证号 */
	mask_field(st, "phone", mask_phone);
	mask_field(st, "account_no", mask_idcard);
	json_t *c = page_ctx(r, json_string_value(json_object_get(st, "name")));
	json_object_set_new(c, "student", st);
	return render(r, 200, "students/show.html", c);
}
