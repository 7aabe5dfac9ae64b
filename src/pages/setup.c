/* setup.c - the district administrator's set-up for a term: the 公示
 * length and deadlines, the standard of each programme tier (元, stored
 * in fen), the places (名额) of each school and the money allocated. */
#include "pages.h"
#include "db/queries.h"
#include "domain/format.h"
#include "domain/idcard.h"
#include "domain/ledger.h"
#include <stdlib.h>
#include <string.h>

/* The term chosen by ?term=, else the one running today, else the latest. */
static json_t *chosen_term(req_t *r, json_t *terms)
{
	json_int_t want = atoll(query_str(r, "term"));
	char today[32];
	int d = today_yyyymmdd();
	snprintf(today, sizeof today, "%04d-%02d-%02d", d / 10000, d / 100 % 100, d % 100);
	json_t *pick = NULL, *t;
	size_t i;
	json_array_foreach(terms, i, t)
	{
		json_int_t id = json_integer_value(json_object_get(t, "id"));
		if (want && id == want)
			return t;
		const char *s = json_string_value(json_object_get(t, "starts"));
		if (!want && !pick && strcmp(s, today) <= 0)
			pick = t; /* terms come newest first */
	}
	return pick ? pick : json_array_get(terms, 0);
}

static json_t *load_terms(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_TERMS);
	sqlite3_bind_int64(s, 1, r->user->org_id);
	return db_rows(s);
}

/* Put the term list with the chosen one marked into ctx; returns its id. */
static json_int_t term_select(req_t *r, json_t *c, json_t *terms)
{
	json_t *cur = chosen_term(r, terms);
	json_int_t id = cur ? json_integer_value(json_object_get(cur, "id")) : 0;
	size_t i;
	json_t *t;
	json_array_foreach(terms, i, t)
		json_object_set_new(t, "selected", json_boolean(json_integer_value(json_object_get(t, "id")) == id));
	if (cur)
		json_object_set(c, "term", cur);
	json_object_set(c, "terms", terms);
	return id;
}

static int valid_date(const char *s)
{
	int y, m, d, n = 0;
	return !*s || (strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) == 3 && n == 10 &&
		       date_valid(y, m, d));
}

/* The term a set-up form was posted for (?term=), or 0 if there is none. */
static json_int_t posted_term(req_t *r)
{
	json_int_t term = atoll(query_str(r, "term"));
	sqlite3_stmt *t = db_stmt(r->db, Q_TERM_BY_ID);
	sqlite3_bind_int64(t, 1, term);
	json_t *row = db_row(t);
	json_decref(row);
	return row ? term : 0;
}

/* ---- terms ---- */

int page_setup_terms(req_t *r)
{
	json_t *c = page_ctx(r, "学期设置");
	json_t *terms = load_terms(r);
	json_object_set_new(c, "terms", terms);
	return render(r, 200, "settings/terms.html", c);
}

int page_setup_term_save(req_t *r)
{
	sqlite3_stmt *t = db_stmt(r->db, Q_TERM_BY_ID);
	sqlite3_bind_int64(t, 1, r->id);
	json_t *term = db_row(t);
	if (!term)
		return render_error(r, 404, "没有这个学期。");
	const char *days = form_str(r, "publicity_days");
	const char *sub = form_str(r, "submit_deadline"), *pay = form_str(r, "pay_deadline");
	const char *problem = NULL;
	int n = atoi(days);
	if (n < 5 || n > 7 || strspn(days, "0123456789") != strlen(days))
		problem = "公示期须为 5 到 7 个工作日。";
	else if (!valid_date(sub) || !valid_date(pay))
		problem = "截止日期请按 2025-03-05 的格式填写，或留空。";
	if (problem) {
		json_decref(term);
		return render_error(r, 400, problem);
	}
	if (db_begin(r->db) != SQLITE_OK)
		goto fail;
	sqlite3_stmt *s = db_stmt(r->db, Q_DISTRICT_TERM_SET);
	sqlite3_bind_int64(s, 1, r->user->org_id);
	sqlite3_bind_int64(s, 2, r->id);
	sqlite3_bind_int(s, 3, n);
	db_bind_text(s, 4, sub);
	db_bind_text(s, 5, pay);
	if (db_exec_stmt(s) != SQLITE_DONE)
		goto fail;
	json_t *after = json_pack("{s:O, s:i, s:s, s:s}", "term", json_object_get(term, "code"),
				  "publicity_days", n, "submit_deadline", sub, "pay_deadline", pay);
	int rc = audit(r, "settings.term", "term", r->id, r->user->org_id, NULL, after);
	json_decref(after);
	if (rc != 0 || db_commit(r->db) != SQLITE_OK)
		goto fail;
	json_decref(term);
	flash_set(r, "settings_saved");
	return resp_redirect(r, "/settings/terms");
fail:
	json_decref(term);
	return -1;
}

/* ---- standards ---- */

static int standards_page(req_t *r, int status, json_t *values, json_t *errors)
{
	json_t *c = page_ctx(r, "资助标准");
	json_t *terms = load_terms(r);
	json_int_t term = term_select(r, c, terms);
	json_decref(terms);
	sqlite3_stmt *s = db_stmt(r->db, Q_STANDARDS);
	sqlite3_bind_int64(s, 1, r->user->org_id);
	sqlite3_bind_int64(s, 2, term);
	json_t *rows = db_rows(s);
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		const char *k = arena_printf(r->a, "p%lld_%s", (long long)json_integer_value(json_object_get(row, "programme_id")),
					     json_string_value(json_object_get(row, "tier")));
		char yuan[32];
		money_format_yuan(json_integer_value(json_object_get(row, "amount_fen")), yuan, sizeof yuan);
		const char *shown = values ? json_string_value(json_object_get(values, k)) : NULL;
		json_object_set_new(row, "field", json_string(k));
		json_object_set_new(row, "shown", json_string(shown ? shown : yuan));
		json_object_set_new(row, "first", json_boolean(json_integer_value(json_object_get(row, "tier_sort")) == 1));
		if (errors && json_object_get(errors, k))
			json_object_set(row, "error", json_object_get(errors, k));
	}
	json_object_set_new(c, "rows", rows);
	if (errors && json_object_size(errors))
		json_object_set_new(c, "has_errors", json_true());
	json_decref(values);
	json_decref(errors);
	return render(r, status, "settings/standards.html", c);
}

int page_setup_standards(req_t *r)
{
	return standards_page(r, 200, NULL, NULL);
}

int page_setup_standards_save(req_t *r)
{
	json_int_t term = posted_term(r);
	if (!term)
		return render_error(r, 404, "没有这个学期。");
	sqlite3_stmt *s = db_stmt(r->db, Q_STANDARDS);
	sqlite3_bind_int64(s, 1, r->user->org_id);
	sqlite3_bind_int64(s, 2, term);
	json_t *rows = db_rows(s);
	json_t *values = json_object(), *errors = json_object(), *after = json_object();
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		const char *k = arena_printf(r->a, "p%lld_%s", (long long)json_integer_value(json_object_get(row, "programme_id")),
					     json_string_value(json_object_get(row, "tier")));
		const char *v = form_str(r, k);
		int64_t fen;
		json_object_set_new(values, k, json_string(v));
		if (money_parse_yuan(v, 0, &fen) != 0 || fen > 100000000)
			json_object_set_new(errors, k, json_string("请填写金额（元），如 312.50，最多两位小数。"));
		else
			json_object_set_new(row, "new_fen", json_integer(fen));
	}
	if (json_object_size(errors)) {
		json_decref(rows);
		json_decref(after);
		return standards_page(r, 400, values, errors);
	}
	json_decref(values);
	json_decref(errors);
	if (db_begin(r->db) != SQLITE_OK)
		goto fail;
	json_array_foreach(rows, i, row)
	{
		json_int_t pid = json_integer_value(json_object_get(row, "programme_id"));
		const char *tier = json_string_value(json_object_get(row, "tier"));
		json_int_t fen = json_integer_value(json_object_get(row, "new_fen"));
		sqlite3_stmt *d = db_stmt(r->db, Q_STANDARD_CLEAR);
		sqlite3_bind_int64(d, 1, r->user->org_id);
		sqlite3_bind_int64(d, 2, term);
		sqlite3_bind_int64(d, 3, pid);
		db_bind_text(d, 4, tier);
		if (db_exec_stmt(d) != SQLITE_DONE)
			goto fail;
		/* a district row only where it differs from the national default */
		if (fen == json_integer_value(json_object_get(row, "national_fen")))
			continue; /* the 重点保障 rule below still applies */
		sqlite3_stmt *ins = db_stmt(r->db, Q_STANDARD_SET);
		sqlite3_bind_int64(ins, 1, r->user->org_id);
		sqlite3_bind_int64(ins, 2, term);
		sqlite3_bind_int64(ins, 3, pid);
		db_bind_text(ins, 4, tier);
		sqlite3_bind_int64(ins, 5, json_integer_value(json_object_get(row, "tier_sort")));
		sqlite3_bind_int64(ins, 6, fen);
		if (db_exec_stmt(ins) != SQLITE_DONE)
			goto fail;
		json_object_set_new(after, arena_printf(r->a, "%s %s", json_string_value(json_object_get(row, "code")), tier),
				    json_integer(fen));
	}
	/* whether 重点保障 students must get the top tier, per programme */
	json_array_foreach(rows, i, row)
	{
		if (json_integer_value(json_object_get(row, "tier_sort")) != 1)
			continue;
		json_int_t pid = json_integer_value(json_object_get(row, "programme_id"));
		int top = *form_str(r, arena_printf(r->a, "top_%lld", (long long)pid)) != '\0';
		sqlite3_stmt *u = db_stmt(r->db, Q_RULE_SET);
		sqlite3_bind_int64(u, 1, r->user->org_id);
		sqlite3_bind_int64(u, 2, term);
		sqlite3_bind_int64(u, 3, pid);
		sqlite3_bind_int(u, 4, top);
		if (db_exec_stmt(u) != SQLITE_DONE)
			goto fail;
		if (top != (int)json_integer_value(json_object_get(row, "priority_top_tier")))
			json_object_set_new(after, arena_printf(r->a, "%s 重点保障须最高档",
								json_string_value(json_object_get(row, "code"))), json_boolean(top));
	}
	json_t *a = json_pack("{s:I, s:O}", "term_id", term, "district_standards_fen", after);
	int rc = audit(r, "settings.standards", "term", term, r->user->org_id, NULL, a);
	json_decref(a);
	if (rc != 0 || db_commit(r->db) != SQLITE_OK)
		goto fail;
	json_decref(rows);
	json_decref(after);
	flash_set(r, "settings_saved");
	return resp_redirect(r, arena_printf(r->a, "/settings/standards?term=%lld", (long long)term));
fail:
	json_decref(rows);
	json_decref(after);
	return -1;
}

/* ---- quotas and allocations ---- */

static int quotas_page(req_t *r, int status, json_t *values, json_t *errors)
{
	json_t *c = page_ctx(r, "名额与资金");
	json_t *terms = load_terms(r);
	json_int_t term = term_select(r, c, terms);
	json_decref(terms);
	sqlite3_stmt *q = db_stmt(r->db, Q_QUOTAS);
	db_bind_text(q, 1, scope_path(r));
	sqlite3_bind_int64(q, 2, term);
	json_t *rows = db_rows(q);
	/* group the rows by school */
	json_t *schools = json_array(), *cur = NULL;
	json_int_t cur_id = 0;
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		json_int_t sid = json_integer_value(json_object_get(row, "school_id"));
		if (!cur || sid != cur_id) {
			cur = json_pack("{s:I, s:O, s:[]}", "id", sid, "name", json_object_get(row, "school_name"), "items");
			json_array_append_new(schools, cur);
			cur_id = sid;
		}
		const char *k = arena_printf(r->a, "q%lld_%lld", (long long)sid,
					     (long long)json_integer_value(json_object_get(row, "programme_id")));
		json_t *places = json_object_get(row, "places");
		const char *shown = values ? json_string_value(json_object_get(values, k)) : NULL;
		json_array_append_new(json_object_get(cur, "items"),
				      json_pack("{s:s, s:O, s:o, s:O?}", "field", k, "name", json_object_get(row, "programme_name"),
						"shown", shown ? json_string(shown) : json_is_integer(places) ? json_sprintf("%lld", (long long)json_integer_value(places)) : json_string(""),
						"error", errors ? json_object_get(errors, k) : NULL));
	}
	json_decref(rows);
	sqlite3_stmt *a = db_stmt(r->db, Q_ALLOCATIONS);
	sqlite3_bind_int64(a, 1, r->user->org_id);
	sqlite3_bind_int64(a, 2, term);
	json_t *allocs = db_rows(a);
	json_array_foreach(allocs, i, row)
	{
		json_int_t pid = json_integer_value(json_object_get(row, "programme_id"));
		const char *k = arena_printf(r->a, "a%lld", (long long)pid), *kd = arena_printf(r->a, "d%lld", (long long)pid);
		char yuan[32] = "";
		if (json_is_integer(json_object_get(row, "amount_fen")))
			money_format_yuan(json_integer_value(json_object_get(row, "amount_fen")), yuan, sizeof yuan);
		const char *shown = values ? json_string_value(json_object_get(values, k)) : NULL;
		const char *doc = values ? json_string_value(json_object_get(values, kd)) : NULL;
		json_object_set_new(row, "field", json_string(k));
		json_object_set_new(row, "doc_field", json_string(kd));
		json_object_set_new(row, "shown", json_string(shown ? shown : yuan));
		if (doc)
			json_object_set_new(row, "document", json_string(doc));
		if (errors && json_object_get(errors, k))
			json_object_set(row, "error", json_object_get(errors, k));
	}
	json_object_set_new(c, "schools", schools);
	json_object_set_new(c, "allocations", allocs);
	if (errors && json_object_size(errors))
		json_object_set_new(c, "has_errors", json_true());
	json_decref(values);
	json_decref(errors);
	return render(r, status, "settings/quotas.html", c);
}

int page_setup_quotas(req_t *r)
{
	return quotas_page(r, 200, NULL, NULL);
}

int page_setup_quotas_save(req_t *r)
{
	json_int_t term = posted_term(r);
	if (!term)
		return render_error(r, 404, "没有这个学期。");
	sqlite3_stmt *q = db_stmt(r->db, Q_QUOTAS);
	db_bind_text(q, 1, scope_path(r));
	sqlite3_bind_int64(q, 2, term);
	json_t *rows = db_rows(q);
	sqlite3_stmt *a = db_stmt(r->db, Q_ALLOCATIONS);
	sqlite3_bind_int64(a, 1, r->user->org_id);
	sqlite3_bind_int64(a, 2, term);
	json_t *allocs = db_rows(a);
	json_t *values = json_object(), *errors = json_object(), *after = json_object();
	size_t i;
	json_t *row;
	json_array_foreach(rows, i, row)
	{
		const char *k = arena_printf(r->a, "q%lld_%lld", (long long)json_integer_value(json_object_get(row, "school_id")),
					     (long long)json_integer_value(json_object_get(row, "programme_id")));
		const char *v = form_str(r, k);
		json_object_set_new(values, k, json_string(v));
		char *end;
		long n = strtol(v, &end, 10);
		if (*v && (*end || n < 0 || n > 1000000))
			json_object_set_new(errors, k, json_string("名额应为 0 或正整数；不设名额请留空。"));
		else
			json_object_set_new(row, "new", *v ? json_integer(n) : json_null());
	}
	json_array_foreach(allocs, i, row)
	{
		json_int_t pid = json_integer_value(json_object_get(row, "programme_id"));
		const char *k = arena_printf(r->a, "a%lld", (long long)pid), *kd = arena_printf(r->a, "d%lld", (long long)pid);
		const char *v = form_str(r, k), *doc = form_str(r, kd);
		json_object_set_new(values, k, json_string(v));
		json_object_set_new(values, kd, json_string(doc));
		int64_t fen = 0;
		if (*v && money_parse_yuan(v, 0, &fen) != 0)
			json_object_set_new(errors, k, json_string("请填写金额（元），最多两位小数；没有下达请留空。"));
		else if (utf8_chars(doc) > 100)
			json_object_set_new(errors, k, json_string("文号最多 100 字。"));
		else
			json_object_set_new(row, "new", *v ? json_integer(fen) : json_null());
		json_object_set_new(row, "new_doc", json_string(doc));
	}
	if (json_object_size(errors)) {
		json_decref(rows);
		json_decref(allocs);
		json_decref(after);
		return quotas_page(r, 400, values, errors);
	}
	json_decref(values);
	json_decref(errors);
	if (db_begin(r->db) != SQLITE_OK)
		goto fail;
	json_array_foreach(rows, i, row)
	{
		json_t *n = json_object_get(row, "new");
		sqlite3_stmt *s = db_stmt(r->db, json_is_integer(n) ? Q_QUOTA_SET : Q_QUOTA_CLEAR);
		sqlite3_bind_int64(s, 1, term);
		sqlite3_bind_int64(s, 2, json_integer_value(json_object_get(row, "school_id")));
		sqlite3_bind_int64(s, 3, json_integer_value(json_object_get(row, "programme_id")));
		if (json_is_integer(n)) {
			sqlite3_bind_int64(s, 4, json_integer_value(n));
			json_object_set(after, arena_printf(r->a, "quota %lld/%lld",
							   (long long)json_integer_value(json_object_get(row, "school_id")),
							   (long long)json_integer_value(json_object_get(row, "programme_id"))), n);
		}
		if (db_exec_stmt(s) != SQLITE_DONE)
			goto fail;
	}
	/* the amounts as they are now, inside the transaction */
	sqlite3_stmt *a2 = db_stmt(r->db, Q_ALLOCATIONS);
	sqlite3_bind_int64(a2, 1, r->user->org_id);
	sqlite3_bind_int64(a2, 2, term);
	json_t *now = db_rows(a2);
	json_array_foreach(allocs, i, row)
	{
		json_t *n = json_object_get(row, "new");
		json_int_t pid = json_integer_value(json_object_get(row, "programme_id"));
		json_int_t old_fen = 0;
		size_t k;
		json_t *y;
		json_array_foreach(now, k, y) if (json_integer_value(json_object_get(y, "programme_id")) == pid)
			old_fen = json_integer_value(json_object_get(y, "amount_fen"));
		sqlite3_stmt *cm = db_stmt(r->db, Q_PAY_COMMITTED);
		sqlite3_bind_int64(cm, 1, r->user->org_id);
		sqlite3_bind_int64(cm, 2, term);
		sqlite3_bind_int64(cm, 3, pid);
		json_int_t committed = sqlite3_step(cm) == SQLITE_ROW ? sqlite3_column_int64(cm, 0) : 0;
		sqlite3_reset(cm);
		/* a cut below what is already paid out is refused; an amount left as
		 * it was (or raised) never blocks saving the rest of the page */
		if (json_integer_value(n) < committed && json_integer_value(n) < old_fen) {
			db_rollback(r->db);
			json_decref(now);
			json_decref(rows);
			json_decref(allocs);
			json_decref(after);
			char y1[32];
			money_format_yuan(committed, y1, sizeof y1);
			return render_error(r, 409, arena_printf(r->a, "“%s”已发放和在途 %s 元，下达资金不能调减到这个数以下。没有保存任何内容。",
								 json_string_value(json_object_get(row, "name")), y1));
		}
		/* every change of the money allocated is a movement in the ledger */
		json_int_t delta = json_integer_value(n) - old_fen;
		if (delta != 0) {
			ledger_entry e = {.district_id = r->user->org_id, .term_id = term,
					  .programme_id = json_integer_value(json_object_get(row, "programme_id")),
					  .kind = "allocation", .amount_fen = delta,
					  .reason = arena_printf(r->a, "下达资金%s%s", *json_string_value(json_object_get(row, "new_doc")) ? " " : "",
								 json_string_value(json_object_get(row, "new_doc"))),
					  .user_id = r->user->id};
			if (ledger_append(r->db, &e) != 0)
				goto fail;
		}
		sqlite3_stmt *s = db_stmt(r->db, json_is_integer(n) ? Q_ALLOCATION_SET : Q_ALLOCATION_CLEAR);
		sqlite3_bind_int64(s, 1, r->user->org_id);
		sqlite3_bind_int64(s, 2, term);
		sqlite3_bind_int64(s, 3, json_integer_value(json_object_get(row, "programme_id")));
		if (json_is_integer(n)) {
			sqlite3_bind_int64(s, 4, json_integer_value(n));
			db_bind_text(s, 5, json_string_value(json_object_get(row, "new_doc")));
			json_object_set(after, arena_printf(r->a, "allocation %lld fen",
							   (long long)json_integer_value(json_object_get(row, "programme_id"))), n);
		}
		if (db_exec_stmt(s) != SQLITE_DONE)
			goto fail;
	}
	json_decref(now);
	json_t *au = json_pack("{s:I, s:O}", "term_id", term, "set", after);
	int rc = audit(r, "settings.quotas", "term", term, r->user->org_id, NULL, au);
	json_decref(au);
	if (rc != 0 || db_commit(r->db) != SQLITE_OK)
		goto fail;
	json_decref(rows);
	json_decref(allocs);
	json_decref(after);
	flash_set(r, "settings_saved");
	return resp_redirect(r, arena_printf(r->a, "/settings/quotas?term=%lld", (long long)term));
fail:
	json_decref(rows);
	json_decref(allocs);
	json_decref(after);
	return -1;
}

int page_settings(req_t *r)
{
	return render(r, 200, "settings/index.html", page_ctx(r, "设置"));
}
