/* home.c - the home page of each role, the schools of a district or city,
 * one school's page, and the health check. */
#include "pages.h"
#include "db/queries.h"
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
