/* students.c - the roster: a searchable, filtered list over the user's
 * scope, one student's page with the other enrolments of the same
 * 身份证号, and the school officer's forms to add, edit and transfer a
 * student. Numbers people must not see whole (身份证号, 学籍号, phone,
 * account) are masked here, before any template. */
#include "pages.h"
#include "db/queries.h"
#include "domain/format.h"
#include "domain/idcard.h"
#include "domain/student.h"
#include <stdlib.h>
#include <string.h>


static void mask_field(json_t *o, const char *key, void (*mask)(const char *, char *, size_t))
{
	const char *v = json_string_value(json_object_get(o, key));
	if (!v || !*v)
		return;
	char out[128];
	mask(v, out, sizeof out);
	json_object_set_new(o, key, json_string(out));
}

/* The filter values of the list, from the query string. */
typedef struct {
	const char *q, *stage, *grade, *klass, *status;
} filters_t;

static void bind_filters(sqlite3_stmt *s, req_t *r, const filters_t *f)
{
	db_bind_text(s, 1, scope_path(r));
	db_bind_text(s, 2, f->q);
	db_bind_text(s, 5, f->stage);
	db_bind_text(s, 6, f->grade);
	db_bind_text(s, 7, f->klass);
	db_bind_text(s, 8, f->status);
}

/* Options for the filter selects, each marked selected as in the query. */
static json_t *filter_options(req_t *r, const filters_t *f)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_STUDENT_FILTERS);
	db_bind_text(s, 1, scope_path(r));
	json_t *rows = db_rows(s);
	json_t *stages = json_array(), *grades = json_array(), *classes = json_array();
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		const char *st = json_string_value(json_object_get(row, "stage"));
		const char *g = json_string_value(json_object_get(row, "grade"));
		const char *c = json_string_value(json_object_get(row, "class_name"));
		int seen = 0;
		size_t k;
		json_t *o;
		json_array_foreach(stages, k, o) seen |= strcmp(json_string_value(json_object_get(o, "value")), st) == 0;
		if (!seen)
			json_array_append_new(stages, json_pack("{s:s, s:O, s:b}", "value", st, "label",
								json_object_get(row, "stage_name"), "selected",
								strcmp(st, f->stage) == 0));
		seen = 0;
		json_array_foreach(grades, k, o) seen |= strcmp(json_string_value(json_object_get(o, "value")), g) == 0;
		if (!seen)
			json_array_append_new(grades, json_pack("{s:s, s:s, s:b}", "value", g, "label", g,
								"selected", strcmp(g, f->grade) == 0));
		seen = 0;
		json_array_foreach(classes, k, o) seen |= strcmp(json_string_value(json_object_get(o, "value")), c) == 0;
		if (!seen)
			json_array_append_new(classes, json_pack("{s:s, s:s, s:b}", "value", c, "label", c,
								 "selected", strcmp(c, f->klass) == 0));
	}
	json_decref(rows);
	json_t *statuses = json_array();
	static const char *const ST[] = {"在读", "毕业", "转出", "休学"};
	for (size_t k = 0; k < 4; k++)
		json_array_append_new(statuses, json_pack("{s:s, s:s, s:b}", "value", ST[k], "label", ST[k],
							  "selected", strcmp(ST[k], f->status) == 0));
	return json_pack("{s:o, s:o, s:o, s:o}", "stages", stages, "grades", grades, "classes", classes,
			 "statuses", statuses);
}

int page_students(req_t *r)
{
	filters_t f = {query_str(r, "q"), query_str(r, "stage"), query_str(r, "grade"),
		       query_str(r, "class"), query_str(r, "status")};
	long page = query_page(r);
	sqlite3_stmt *cnt = db_stmt(r->db, Q_STUDENT_COUNT);
	bind_filters(cnt, r, &f);
	long total = 0;
	if (sqlite3_step(cnt) == SQLITE_ROW)
		total = (long)sqlite3_column_int64(cnt, 0);
	sqlite3_reset(cnt);
	sqlite3_stmt *s = db_stmt(r->db, Q_STUDENT_PAGE);
	bind_filters(s, r, &f);
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
	json_object_set_new(c, "q", json_string(f.q));
	json_object_set_new(c, "filters", filter_options(r, &f));
	json_object_set_new(c, "filtered", json_boolean(*f.q || *f.stage || *f.grade || *f.klass || *f.status));
	json_object_set_new(c, "students", rows);
	json_object_set_new(c, "show_school", json_boolean(strcmp(r->user->org_kind, "school") != 0));
	json_object_set_new(c, "can_edit", json_boolean(r->user->role_bit & ROLE_OFFICER));
	if (r->user->role_bit & ROLE_OFFICER) {
		/* the terms, for printing the 告知卡 of a class */
		sqlite3_stmt *o = db_stmt(r->db, Q_ORG_BY_ID);
		db_bind_text(o, 1, "/");
		sqlite3_bind_int64(o, 2, r->user->org_id);
		json_t *org = db_row(o);
		sqlite3_stmt *t = db_stmt(r->db, Q_TERMS);
		sqlite3_bind_int64(t, 1, org ? json_integer_value(json_object_get(org, "parent_id")) : 0);
		json_object_set_new(c, "terms", db_rows(t));
		json_decref(org);
	}
	pager_set(r, c, page, PER_PAGE, total);
	return render(r, 200, "students/list.html", c);
}

/* The student with r->id inside the user's scope, or NULL. */
static json_t *load_student(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_STUDENT_BY_ID);
	db_bind_text(s, 1, scope_path(r));
	sqlite3_bind_int64(s, 2, r->id);
	return db_row(s);
}

/* Other enrolments of the same 身份证号 (earlier or other schools); sets
 * "dual" when one of them is also 在读 while this one is. */
static json_t *enrolments(req_t *r, json_t *st, int *dual)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_STUDENT_ENROLMENTS);
	db_bind_text(s, 1, scope_path(r));
	db_bind_text(s, 2, json_string_value(json_object_get(st, "idcard")));
	sqlite3_bind_int64(s, 3, json_integer_value(json_object_get(st, "id")));
	json_t *rows = db_rows(s);
	*dual = 0;
	int here = strcmp(json_string_value(json_object_get(st, "status")), "在读") == 0;
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) if (here && strcmp(json_string_value(json_object_get(row, "status")), "在读") == 0)
		*dual = 1;
	return rows;
}

int page_student(req_t *r)
{
	json_t *st = load_student(r);
	if (!st)
		return render_error(r, 404, "没有找到这名学生，或该学生不在您的管理范围内。");
	int dual;
	json_t *others = enrolments(r, st, &dual);
	/* applications of every enrolment of this 身份证号: history follows the child */
	sqlite3_stmt *q = db_stmt(r->db, Q_APPS_BY_IDCARD);
	db_bind_text(q, 1, scope_path(r));
	db_bind_text(q, 2, json_string_value(json_object_get(st, "idcard")));
	sqlite3_bind_int64(q, 3, r->id);
	json_t *apps = db_rows(q);
	size_t k;
	json_t *a;
	json_array_foreach(apps, k, a)
		json_object_set_new(a, "status_label", json_string(app_status_label(json_string_value(json_object_get(a, "status")))));
	mask_field(st, "idcard", mask_idcard);
	mask_field(st, "xueji_no", mask_idcard); /* 全国学籍号 is G + 身份证号 */
	mask_field(st, "phone", mask_phone);
	mask_field(st, "account_no", mask_account);
	json_t *c = page_ctx(r, json_string_value(json_object_get(st, "name")));
	json_object_set_new(c, "student", st);
	json_object_set_new(c, "others", others);
	json_object_set_new(c, "apps", apps);
	json_object_set_new(c, "dual", json_boolean(dual));
	json_object_set_new(c, "can_edit", json_boolean((r->user->role_bit & ROLE_OFFICER) &&
							  strcmp(json_string_value(json_object_get(st, "status")), "在读") == 0));
	return render(r, 200, "students/show.html", c);
}

/* ---- the form ---- */

static json_t *stage_options(const char *sel)
{
	static const char *const codes[] = {"preschool", "primary", "junior", "senior", "vocational"};
	static const char *const names[] = {"学前教育", "小学", "初中", "普通高中", "中职"};
	json_t *a = json_array();
	for (int i = 0; i < 5; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value", codes[i], "label", names[i],
						   "selected", sel && strcmp(sel, codes[i]) == 0));
	return a;
}

static int student_form(req_t *r, int status, json_t *v, json_t *errors, int64_t id)
{
	json_t *c = page_ctx(r, id ? "修改学生信息" : "新增学生");
	json_object_set_new(c, "stages", stage_options(json_string_value(json_object_get(v, "stage"))));
	json_object_set_new(c, "v", v);
	if (id)
		json_object_set_new(c, "id", json_integer(id));
	if (errors && json_object_size(errors))
		json_object_set_new(c, "errors", errors);
	else
		json_decref(errors);
	return render(r, status, "students/form.html", c);
}

int page_student_new(req_t *r)
{
	return student_form(r, 200, json_pack("{s:s, s:s}", "boarding", "0", "stage", ""), NULL, 0);
}

/* The submitted fields as a JSON object of strings. */
static json_t *form_student(req_t *r)
{
	json_t *v = json_object();
	for (int i = 0; i < SF_COUNT; i++)
		json_object_set_new(v, STUDENT_FIELDS[i].key, json_string(form_str(r, STUDENT_FIELDS[i].key)));
	return v;
}

static void bind_student(sqlite3_stmt *s, json_t *v, int first)
{
	/* name gender idcard xueji_no stage grade class boarding hukou guardian
	 * phone account_type account_no bank, from parameter `first` on */
	static const char *const keys[] = {"name", "gender", "idcard", "xueji_no", "stage",
					   "grade", "class_name", "boarding", "hukou", "guardian",
					   "phone", "account_type", "account_no", "bank"};
	for (int i = 0; i < 14; i++) {
		const char *val = json_string_value(json_object_get(v, keys[i]));
		if (strcmp(keys[i], "boarding") == 0)
			sqlite3_bind_int(s, first + i, val && strcmp(val, "1") == 0);
		else
			db_bind_text(s, first + i, val);
	}
}

/* Another enrolment of this 身份证号 in the same school, as a message. */
static int duplicate_in_school(req_t *r, int64_t school_id, const char *idcard, int64_t self, json_t *errors)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_STUDENT_IN_SCHOOL);
	sqlite3_bind_int64(s, 1, school_id);
	db_bind_text(s, 2, idcard);
	sqlite3_bind_int64(s, 3, self);
	json_t *row = db_row(s);
	if (!row)
		return 0;
	json_object_set_new(errors, "idcard",
			    json_string(arena_printf(r->a, "本校名册中已有这个身份证号（%s），同一学生不能重复登记。",
						     json_string_value(json_object_get(row, "name")))));
	json_decref(row);
	return 1;
}

int page_student_create(req_t *r)
{
	json_t *v = form_student(r);
	json_t *errors = json_object();
	if (student_check(v, errors, today_yyyymmdd()) == 0)
		duplicate_in_school(r, r->user->org_id, json_string_value(json_object_get(v, "idcard")), 0, errors);
	if (json_object_size(errors))
		return student_form(r, 400, v, errors, 0);
	json_decref(errors);
	if (db_begin(r->db) != SQLITE_OK)
		goto fail;
	sqlite3_stmt *s = db_stmt(r->db, Q_STUDENT_INSERT);
	sqlite3_bind_int64(s, 1, r->user->org_id);
	bind_student(s, v, 2);
	if (db_exec_stmt(s) != SQLITE_DONE)
		goto fail;
	int64_t id = sqlite3_last_insert_rowid(db_handle(r->db));
	if (audit(r, "student.create", "student", id, r->user->org_id, NULL, v) != 0 ||
	    db_commit(r->db) != SQLITE_OK)
		goto fail;
	json_decref(v);
	flash_set(r, "student_saved");
	return resp_redirect(r, arena_printf(r->a, "/students/%lld", (long long)id));
fail:
	json_decref(v);
	return -1;
}

/* The stored student as form values (strings). */
static json_t *student_values(json_t *st)
{
	json_t *v = json_object();
	for (int i = 0; i < SF_COUNT; i++) {
		const char *k = STUDENT_FIELDS[i].key;
		json_t *x = json_object_get(st, k);
		if (json_is_integer(x))
			json_object_set_new(v, k, json_string(json_integer_value(x) ? "1" : "0"));
		else
			json_object_set_new(v, k, json_string(json_string_value(x) ? json_string_value(x) : ""));
	}
	return v;
}

/* The student, if the officer may change it: in scope and 在读. */
static json_t *editable(req_t *r)
{
	json_t *st = load_student(r);
	if (st && strcmp(json_string_value(json_object_get(st, "status")), "在读") != 0) {
		json_decref(st);
		render_error(r, 409, "该学生已不是在读状态（毕业、转出或休学），不能再修改。");
		return NULL;
	}
	if (!st)
		render_error(r, 404, "没有找到这名学生，或该学生不在您的管理范围内。");
	return st;
}

int page_student_edit(req_t *r)
{
	json_t *st = editable(r);
	if (!st)
		return 0;
	json_t *v = student_values(st);
	json_decref(st);
	return student_form(r, 200, v, NULL, r->id);
}

int page_student_update(req_t *r)
{
	json_t *st = editable(r);
	if (!st)
		return 0;
	json_t *v = form_student(r);
	json_t *errors = json_object();
	int64_t school = json_integer_value(json_object_get(st, "school_id"));
	if (student_check(v, errors, today_yyyymmdd()) == 0)
		duplicate_in_school(r, school, json_string_value(json_object_get(v, "idcard")), r->id, errors);
	if (json_object_size(errors)) {
		json_decref(st);
		return student_form(r, 400, v, errors, r->id);
	}
	json_decref(errors);
	json_t *before = student_values(st);
	json_decref(st);
	if (db_begin(r->db) != SQLITE_OK)
		goto fail;
	sqlite3_stmt *s = db_stmt(r->db, Q_STUDENT_UPDATE);
	sqlite3_bind_int64(s, 1, r->id);
	bind_student(s, v, 2);
	if (db_exec_stmt(s) != SQLITE_DONE)
		goto fail;
	if (audit(r, "student.update", "student", r->id, school, before, v) != 0 ||
	    db_commit(r->db) != SQLITE_OK)
		goto fail;
	json_decref(before);
	json_decref(v);
	flash_set(r, "student_saved");
	return resp_redirect(r, arena_printf(r->a, "/students/%lld", (long long)r->id));
fail:
	json_decref(before);
	json_decref(v);
	return -1;
}

/* ---- 转学 ---- */

/* The city part of an org path: "/1/2/7/" -> "/1/". */
static const char *city_path(req_t *r)
{
	const char *p = r->user->org_path;
	const char *e = strchr(p + 1, '/');
	return e ? arena_strndup(r->a, p, (size_t)(e - p + 1)) : p;
}

static int transfer_form(req_t *r, int status, json_t *st, json_t *v, json_t *errors)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_SCHOOLS_OF_CITY);
	db_bind_text(s, 1, city_path(r));
	json_t *schools = db_rows(s);
	const char *selv = json_string_value(json_object_get(v, "school_id"));
	json_int_t sel = selv ? atoll(selv) : 0;
	size_t i;
	json_t *o;
	json_array_foreach(schools, i, o)
	{
		json_int_t id = json_integer_value(json_object_get(o, "id"));
		if (id == r->user->org_id)
			json_object_set_new(o, "self", json_true());
		json_object_set_new(o, "selected", json_boolean(id == sel));
	}
	mask_field(st, "idcard", mask_idcard);
	json_t *c = page_ctx(r, "转学");
	json_object_set_new(c, "student", st);
	json_object_set_new(c, "schools", schools);
	json_object_set_new(c, "stages", stage_options(json_string_value(json_object_get(v, "stage"))));
	json_object_set_new(c, "v", v);
	if (errors && json_object_size(errors))
		json_object_set_new(c, "errors", errors);
	else
		json_decref(errors);
	return render(r, status, "students/transfer.html", c);
}

int page_student_transfer_form(req_t *r)
{
	json_t *st = editable(r);
	if (!st)
		return 0;
	json_t *v = json_pack("{s:s, s:O, s:O, s:O}", "school_id", "", "stage", json_object_get(st, "stage"),
			      "grade", json_object_get(st, "grade"), "class_name", json_object_get(st, "class_name"));
	return transfer_form(r, 200, st, v, NULL);
}

int page_student_transfer(req_t *r)
{
	json_t *st = editable(r);
	if (!st)
		return 0;
	json_t *v = json_pack("{s:s, s:s, s:s, s:s}", "school_id", form_str(r, "school_id"), "stage",
			      form_str(r, "stage"), "grade", form_str(r, "grade"), "class_name",
			      form_str(r, "class_name"));
	json_t *errors = json_object();
	int64_t dest = atoll(form_str(r, "school_id"));
	int64_t from = json_integer_value(json_object_get(st, "school_id"));
	sqlite3_stmt *s = db_stmt(r->db, Q_ORG_BY_ID);
	db_bind_text(s, 1, city_path(r));
	sqlite3_bind_int64(s, 2, dest);
	json_t *school = db_row(s);
	if (!school || strcmp(json_string_value(json_object_get(school, "kind")), "school") != 0)
		json_object_set_new(errors, "school_id", json_string("请选择转入的学校。"));
	else if (dest == from)
		json_object_set_new(errors, "school_id", json_string("转入学校不能是本校。"));
	const char *stage = stage_code(form_str(r, "stage"));
	if (!stage)
		json_object_set_new(errors, "stage", json_string("请选择转入后的学段。"));
	if (!*form_str(r, "grade") || utf8_chars(form_str(r, "grade")) > 16)
		json_object_set_new(errors, "grade", json_string("请填写转入后的年级。"));
	if (!*form_str(r, "class_name") || utf8_chars(form_str(r, "class_name")) > 16)
		json_object_set_new(errors, "class_name", json_string("请填写转入后的班级。"));
	const char *idcard = json_string_value(json_object_get(st, "idcard"));
	if (json_object_size(errors) == 0 && duplicate_in_school(r, dest, idcard, 0, errors)) {
		json_object_del(errors, "idcard");
		json_object_set_new(errors, "school_id", json_string("转入学校的名册中已有这个身份证号。"));
	}
	if (json_object_size(errors)) {
		json_decref(school);
		return transfer_form(r, 400, st, v, errors);
	}
	json_decref(errors);
	if (db_begin(r->db) != SQLITE_OK)
		goto fail;
	sqlite3_stmt *out = db_stmt(r->db, Q_STUDENT_SET_STATUS);
	sqlite3_bind_int64(out, 1, r->id);
	db_bind_text(out, 2, "转出");
	if (db_exec_stmt(out) != SQLITE_DONE)
		goto fail;
	sqlite3_stmt *in = db_stmt(r->db, Q_STUDENT_TRANSFER_IN);
	sqlite3_bind_int64(in, 1, r->id);
	sqlite3_bind_int64(in, 2, dest);
	db_bind_text(in, 3, stage);
	db_bind_text(in, 4, form_str(r, "grade"));
	db_bind_text(in, 5, form_str(r, "class_name"));
	if (db_exec_stmt(in) != SQLITE_DONE)
		goto fail;
	int64_t nid = sqlite3_last_insert_rowid(db_handle(r->db));
	json_t *before = json_pack("{s:I, s:s}", "school_id", (json_int_t)from, "status", "在读");
	json_t *after = json_pack("{s:I, s:I, s:s, s:s, s:s, s:s}", "school_id", (json_int_t)dest,
				  "new_student_id", (json_int_t)nid, "school", json_string_value(json_object_get(school, "name")),
				  "stage", stage, "grade", form_str(r, "grade"), "class_name", form_str(r, "class_name"));
	int rc = audit(r, "student.transfer", "student", r->id, from, before, after);
	if (rc == 0)
		rc = audit(r, "student.transfer_in", "student", nid, dest, before, after);
	json_decref(before);
	json_decref(after);
	if (rc != 0 || db_commit(r->db) != SQLITE_OK)
		goto fail;
	json_decref(st);
	json_decref(v);
	json_decref(school);
	flash_set(r, "student_transferred");
	return resp_redirect(r, arena_printf(r->a, "/students/%lld", (long long)r->id));
fail:
	json_decref(st);
	json_decref(v);
	json_decref(school);
	return -1;
}

/* ---- 双学籍 ---- */

int page_dual_enrolment(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_DUAL_ENROLMENT);
	db_bind_text(s, 1, scope_path(r));
	json_t *rows = db_rows(s);
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) mask_field(row, "idcard", mask_idcard);
	json_t *c = page_ctx(r, "双学籍");
	json_object_set_new(c, "rows", rows);
	return render(r, 200, "students/dual.html", c);
}
