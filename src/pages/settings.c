/* settings.c - the district's own settings: the 量化指标 weights and the
 * points of each 困难类型 that make up the applicants' score. */
#include "pages.h"
#include "db/queries.h"
#include "domain/format.h"
#include <stdlib.h>
#include <string.h>

/* The weights the form edits, in order, with their Chinese names; *_fen
 * keys are amounts entered in 元. */
static const struct {
	const char *key, *label;
	int money;
} WEIGHTS[] = {
	{"income_below_1_fen", "人均年收入低于（元）", 1}, {"income_below_1", "　得分", 0},
	{"income_below_2_fen", "人均年收入低于（元）", 1}, {"income_below_2", "　得分", 0},
	{"income_below_3_fen", "人均年收入低于（元）", 1}, {"income_below_3", "　得分", 0},
	{"member_ill", "每名重病、残疾或丧失劳动能力的家庭成员", 0},
	{"member_unemployed", "每名无业的家庭成员", 0},
	{"housing_poor", "住房困难（租住、危房、无房）", 0},
	{"major_event", "家庭遭遇重大变故", 0},
	{"single_parent", "单亲家庭", 0},
	{"large_family", "家庭人口 5 人及以上", 0},
};
#define NWEIGHTS (sizeof WEIGHTS / sizeof WEIGHTS[0])

static json_t *load(req_t *r, json_t **cats)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_WEIGHTS_FOR_DISTRICT);
	sqlite3_bind_int64(s, 1, r->user->org_id);
	json_t *rows = db_rows(s), *w = json_object();
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
		json_object_set(w, json_string_value(json_object_get(row, "key")), json_object_get(row, "value"));
	json_decref(rows);
	sqlite3_stmt *c = db_stmt(r->db, Q_CATEGORIES_FOR_DISTRICT);
	sqlite3_bind_int64(c, 1, r->user->org_id);
	*cats = db_rows(c);
	return w;
}

static int scoring_page(req_t *r, int status, json_t *w, json_t *cats, json_t *values, json_t *errors)
{
	json_t *rows = json_array();
	for (size_t i = 0; i < NWEIGHTS; i++) {
		char v[32];
		json_int_t n = json_integer_value(json_object_get(w, WEIGHTS[i].key));
		if (WEIGHTS[i].money)
			money_format_yuan(n, v, sizeof v);
		else
			snprintf(v, sizeof v, "%lld", (long long)n);
		const char *shown = values ? json_string_value(json_object_get(values, WEIGHTS[i].key)) : NULL;
		json_t *e = errors ? json_object_get(errors, WEIGHTS[i].key) : NULL;
		json_array_append_new(rows, json_pack("{s:s, s:s, s:s, s:O?}", "key", WEIGHTS[i].key, "label",
						      WEIGHTS[i].label, "value", shown ? shown : v, "error", e));
	}
	size_t i;
	json_t *c;
	json_array_foreach(cats, i, c)
	{
		const char *k = arena_printf(r->a, "cat_%lld", (long long)json_integer_value(json_object_get(c, "id")));
		const char *shown = values ? json_string_value(json_object_get(values, k)) : NULL;
		if (shown)
			json_object_set_new(c, "shown", json_string(shown));
		else
			json_object_set_new(c, "shown", json_sprintf("%lld", (long long)json_integer_value(json_object_get(c, "points"))));
		if (errors && json_object_get(errors, k))
			json_object_set(c, "error", json_object_get(errors, k));
	}
	json_t *ctx = page_ctx(r, "量化指标");
	json_object_set_new(ctx, "weights", rows);
	json_object_set_new(ctx, "categories", cats);
	if (errors && json_object_size(errors))
		json_object_set_new(ctx, "has_errors", json_true());
	json_decref(errors);
	json_decref(values);
	json_decref(w);
	return render(r, status, "settings/scoring.html", ctx);
}

int page_scoring(req_t *r)
{
	json_t *cats;
	json_t *w = load(r, &cats);
	return scoring_page(r, 200, w, cats, NULL, NULL);
}

static int parse_points(const char *s, json_int_t *out)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v < 0 || v > 100)
		return -1;
	*out = v;
	return 0;
}

int page_scoring_save(req_t *r)
{
	json_t *cats;
	json_t *w = load(r, &cats);
	json_t *values = json_object(), *errors = json_object(), *next = json_object();
	for (size_t i = 0; i < NWEIGHTS; i++) {
		const char *v = form_str(r, WEIGHTS[i].key);
		json_object_set_new(values, WEIGHTS[i].key, json_string(v));
		int64_t n;
		json_int_t p;
		if (WEIGHTS[i].money ? money_parse_yuan(v, 0, &n) : parse_points(v, &p)) {
			json_object_set_new(errors, WEIGHTS[i].key,
					    json_string(WEIGHTS[i].money ? "请填写金额（元），最多两位小数。" : "请填写 0 到 100 之间的整数分值。"));
			continue;
		}
		json_object_set_new(next, WEIGHTS[i].key, json_integer(WEIGHTS[i].money ? n : p));
	}
	if (!json_object_size(errors) &&
	    !(json_integer_value(json_object_get(next, "income_below_1_fen")) < json_integer_value(json_object_get(next, "income_below_2_fen")) &&
	      json_integer_value(json_object_get(next, "income_below_2_fen")) < json_integer_value(json_object_get(next, "income_below_3_fen"))))
		json_object_set_new(errors, "income_below_3_fen", json_string("三档人均收入线须从低到高填写（第一档最低）。"));
	size_t i;
	json_t *c;
	json_t *catnext = json_object();
	json_array_foreach(cats, i, c)
	{
		const char *k = arena_printf(r->a, "cat_%lld", (long long)json_integer_value(json_object_get(c, "id")));
		const char *v = form_str(r, k);
		json_object_set_new(values, k, json_string(v));
		json_int_t p;
		if (parse_points(v, &p))
			json_object_set_new(errors, k, json_string("请填写 0 到 100 之间的整数分值。"));
		else
			json_object_set_new(catnext, k, json_integer(p));
	}
	if (json_object_size(errors)) {
		json_decref(next);
		json_decref(catnext);
		return scoring_page(r, 400, w, cats, values, errors);
	}
	json_decref(values);
	json_decref(errors);
	if (db_begin(r->db) != SQLITE_OK)
		goto fail;
	const char *k;
	json_t *v;
	json_object_foreach(next, k, v)
	{
		sqlite3_stmt *s = db_stmt(r->db, Q_WEIGHT_SET);
		sqlite3_bind_int64(s, 1, r->user->org_id);
		db_bind_text(s, 2, k);
		sqlite3_bind_int64(s, 3, json_integer_value(v));
		if (db_exec_stmt(s) != SQLITE_DONE)
			goto fail;
	}
	json_array_foreach(cats, i, c)
	{
		json_int_t id = json_integer_value(json_object_get(c, "id"));
		json_int_t p = json_integer_value(json_object_get(catnext, arena_printf(r->a, "cat_%lld", (long long)id)));
		sqlite3_stmt *u = db_stmt(r->db, Q_CATEGORY_POINTS_SET);
		sqlite3_bind_int64(u, 1, r->user->org_id);
		sqlite3_bind_int64(u, 2, id);
		sqlite3_bind_int64(u, 3, p);
		if (db_exec_stmt(u) != SQLITE_DONE)
			goto fail;
	}
	json_t *before = json_pack("{s:O}", "weights", w);
	json_t *after = json_pack("{s:O, s:O}", "weights", next, "category_points", catnext);
	int rc = audit(r, "settings.scoring", "org", r->user->org_id, r->user->org_id, before, after);
	json_decref(before);
	json_decref(after);
	if (rc != 0 || db_commit(r->db) != SQLITE_OK)
		goto fail;
	json_decref(w);
	json_decref(cats);
	json_decref(next);
	json_decref(catnext);
	flash_set(r, "weights_saved");
	return resp_redirect(r, "/settings/scoring");
fail:
	json_decref(w);
	json_decref(cats);
	json_decref(next);
	json_decref(catnext);
	return -1;
}
