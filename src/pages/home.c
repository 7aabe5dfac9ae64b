/* home.c - the home page of each role, the schools of a district or city,
 * one school's page, and the health check. */
#include "pages.h"
#include "db/queries.h"
#include "domain/idcard.h"
#include <stdio.h>
#include <string.h>

/* Bind the reader's scope as ?1 and, if given, an id as ?2. */
static sqlite3_stmt *scoped(req_t *r, int q)
{
	sqlite3_stmt *s = db_stmt(r->db, q);
	db_bind_text(s, 1, scope_path(r));
	return s;
}

static json_int_t sum_field(json_t *rows, const char *field)
{
	json_int_t t = 0;
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row) t += json_integer_value(json_object_get(row, field));
	return t;
}

/* The district's view of the current term: batches waiting, schools past
 * the deadline without a submission, money and places against what was
 * proposed and approved. */
static void district_dashboard(req_t *r, json_t *c)
{
	sqlite3_stmt *t = db_stmt(r->db, Q_TERMS);
	sqlite3_bind_int64(t, 1, r->user->org_id);
	json_t *terms = db_rows(t);
	char today[32];
	int d = today_yyyymmdd();
	snprintf(today, sizeof today, "%04d-%02d-%02d", d / 10000, d / 100 % 100, d % 100);
	json_t *term = NULL, *x;
	size_t i;
	json_array_foreach(terms, i, x) if (!term && strcmp(json_string_value(json_object_get(x, "starts")), today) <= 0)
		term = x;
	sqlite3_stmt *p = scoped(r, Q_DASH_PENDING);
	json_t *pending = db_row(p);
	json_object_set_new(c, "pending_batches", json_integer(pending ? json_integer_value(json_object_get(pending, "n")) : 0));
	json_decref(pending);
	if (term) {
		json_int_t tid = json_integer_value(json_object_get(term, "id"));
		sqlite3_stmt *o = scoped(r, Q_DASH_OVERDUE);
		sqlite3_bind_int64(o, 2, tid);
		db_bind_text(o, 3, today);
		json_object_set_new(c, "overdue", db_rows(o));
		sqlite3_stmt *m = scoped(r, Q_DASH_MONEY);
		sqlite3_bind_int64(m, 2, tid);
		sqlite3_bind_int64(m, 4, r->user->org_id);
		json_t *money = db_rows(m);
		json_array_foreach(money, i, x)
		{
			json_int_t alloc = json_integer_value(json_object_get(x, "allocated_fen"));
			json_int_t used = json_integer_value(json_object_get(x, "proposed_fen")) +
					  json_integer_value(json_object_get(x, "approved_fen"));
			if (json_is_integer(json_object_get(x, "allocated_fen"))) {
				json_object_set_new(x, "remaining_fen", json_integer(alloc - used));
				json_object_set_new(x, "over_budget", json_boolean(used > alloc));
			}
			json_t *pl = json_object_get(x, "places");
			if (json_is_integer(pl))
				json_object_set_new(x, "over_quota",
						    json_boolean(json_integer_value(json_object_get(x, "proposed_n")) +
								 json_integer_value(json_object_get(x, "approved_n")) > json_integer_value(pl)));
		}
		json_object_set_new(c, "money", money);
		json_object_set(c, "term", term);
	}
	json_decref(terms);
}

int page_home(req_t *r)
{
	user_t *u = r->user;
	json_t *c = page_ctx(r, "首页");
	if (strcmp(u->org_kind, "school") == 0) {
		json_t *grades = db_rows(scoped(r, Q_STUDENT_GRADES));
		json_object_set_new(c, "school_home", json_true());
		json_object_set_new(c, "is_officer", json_boolean(u->role_bit & ROLE_OFFICER));
		json_object_set_new(c, "students_total", json_integer(sum_field(grades, "students")));
		json_object_set_new(c, "boarders_total", json_integer(sum_field(grades, "boarders")));
		json_object_set_new(c, "grades", grades);
	} else if (strcmp(u->org_kind, "district") == 0) {
		district_dashboard(r, c);
		json_t *schools = db_rows(scoped(r, Q_SCHOOLS_IN_SCOPE));
		json_object_set_new(c, "district_home", json_true());
		json_object_set_new(c, "is_admin", json_boolean(u->role_bit & ROLE_DADMIN));
		json_object_set_new(c, "school_count", json_integer((json_int_t)json_array_size(schools)));
		json_object_set_new(c, "students_total", json_integer(sum_field(schools, "students")));
		json_object_set_new(c, "schools", schools);
	} else {
		json_t *districts = db_rows(scoped(r, Q_DISTRICTS_IN_SCOPE));
		json_object_set_new(c, "city_home", json_true());
		json_object_set_new(c, "school_count", json_integer(sum_field(districts, "schools")));
		json_object_set_new(c, "students_total", json_integer(sum_field(districts, "students")));
		json_object_set_new(c, "districts", districts);
	}
	return render(r, 200, "home.html", c);
}

int page_schools(req_t *r)
{
	json_t *c = page_ctx(r, "学校");
	json_t *schools = db_rows(scoped(r, Q_SCHOOLS_IN_SCOPE));
	json_object_set_new(c, "students_total", json_integer(sum_field(schools, "students")));
	json_object_set_new(c, "schools", schools);
	return render(r, 200, "schools/list.html", c);
}

int page_school(req_t *r)
{
	sqlite3_stmt *s = scoped(r, Q_ORG_BY_ID);
	sqlite3_bind_int64(s, 2, r->id);
	json_t *org = db_row(s);
	if (!org || strcmp(json_string_value(json_object_get(org, "kind")), "school") != 0) {
		json_decref(org);
		return render_error(r, 404, "没有找到这所学校，或它不在您的管理范围内。");
	}
	/* the grade table of that school: scope narrowed to its own path */
	sqlite3_stmt *g = db_stmt(r->db, Q_STUDENT_GRADES);
	db_bind_text(g, 1, json_string_value(json_object_get(org, "path")));
	json_t *grades = db_rows(g);
	json_t *c = page_ctx(r, json_string_value(json_object_get(org, "name")));
	json_object_set_new(c, "students_total", json_integer(sum_field(grades, "students")));
	json_object_set_new(c, "boarders_total", json_integer(sum_field(grades, "boarders")));
	json_object_set_new(c, "grades", grades);
	json_object_set_new(c, "school", org);
	return render(r, 200, "schools/show.html", c);
}

int page_health(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_ORG_BY_CODE);
	db_bind_text(s, 1, "");
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return resp_text(r, 503, "db unavailable\n");
	return resp_text(r, 200, "ok\n");
}
