/* reports.c - what the district and the city file upward: the aid summary
 * (人次 and 金额 in exact 万元 per 学段 and programme, the 脱贫 subset,
 * charts), the 排查统计汇总表 with the 应助未助 list, the checks (预警),
 * data matching against other departments' lists, the import of past
 * award records and the export for the national system. */
#include "pages.h"
#include "db/queries.h"
#include "domain/format.h"
#include "domain/idcard.h"
#include "domain/student.h"
#include "http/escape.h"
#include "import/sheet.h"
#include "tmpl/template.h"
#include <stdlib.h>
#include <string.h>

/* The scope of a report: the reader's own, or a school or district under
 * it chosen with ?org= (never wider than the reader's). Looked up once per
 * request and passed to each query of the page. */
static const char *report_scope(req_t *r)
{
	json_int_t org = atoll(query_str(r, "org"));
	if (!org)
		return scope_path(r);
	sqlite3_stmt *s = db_stmt(r->db, Q_ORG_BY_ID);
	db_bind_text(s, 1, scope_path(r));
	sqlite3_bind_int64(s, 2, org);
	json_t *o = db_row(s);
	const char *p = o ? arena_strdup(r->a, jstr(o, "path")) : "/none/";
	json_decref(o);
	return p;
}

/* The schools and districts under the reader, for the scope picker. */
static void scope_choices(req_t *r, json_t *c)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_ORGS_FOR_USERS);
	db_bind_text(s, 1, scope_path(r));
	json_t *orgs = db_rows(s);
	json_int_t sel = atoll(query_str(r, "org"));
	size_t i;
	json_t *x;
	json_array_foreach(orgs, i, x) json_object_set_new(x, "selected", json_boolean(jint(x, "id") == sel));
	json_object_set_new(c, "orgs", orgs);
	const char *name = r->user->org_name;
	json_array_foreach(orgs, i, x) if (jint(x, "id") == sel) name = jstr(x, "name");
	json_object_set_new(c, "scope_name", json_string(name));
}

/* The period asked for: ?term=ID, or ?year=2025-2026, or ?from=&to= dates;
 * default the term running today. Fills from/to (ISO dates of term starts)
 * and a label. A 学年 or a range also has one term, for what is counted per
 * term (aid in the 排查, the checks, the national export): the term asked
 * for if it lies inside the period (the form always sends one), else the
 * last one inside it that has begun, else its first. */
typedef struct {
	char from[11], to[11];
	const char *label;
	json_int_t term;       /* the term of the period (0: none in it) */
	const char *term_name; /* its name */
	const char *year;      /* its 学年, or the 学年 asked for */
} period_t;

static void choose_period(req_t *r, period_t *p, json_t *c)
{
	sqlite3_stmt *t = db_stmt(r->db, Q_TERMS);
	sqlite3_bind_int64(t, 1, 0);
	json_t *terms = db_rows(t); /* latest first */
	json_int_t want = atoll(query_str(r, "term"));
	const char *year = query_str(r, "year"), *from = query_str(r, "from"), *to = query_str(r, "to");
	char today[11], chk[11];
	today_iso(today);
	memset(p, 0, sizeof *p);
	json_t *x;
	size_t i;
	int by_year = 0, by_dates = 0;
	if (school_year_ok(year))
		json_array_foreach(terms, i, x) if (!strcmp(jstr(x, "school_year"), year)) by_year = 1;
	if (!by_year)
		by_dates = add_days(from, 0, chk) == 0 && !strcmp(chk, from) && add_days(to, 0, chk) == 0 && !strcmp(chk, to);
	json_t *asked = NULL, *begun = NULL, *first = NULL;
	json_array_foreach(terms, i, x)
	{
		const char *starts = jstr(x, "starts");
		if (by_year ? strcmp(jstr(x, "school_year"), year) != 0
			    : by_dates && (strcmp(starts, from) < 0 || strcmp(starts, to) > 0))
			continue;
		if (want && jint(x, "id") == want)
			asked = x;
		if (!begun && strcmp(starts, today) <= 0)
			begun = x;
		first = x;
	}
	json_t *pick = asked ? asked : begun ? begun : (by_year || by_dates) ? first : json_array_get(terms, 0);
	if (by_year) {
		sqlite3_stmt *s = db_stmt(r->db, Q_TERM_RANGE);
		db_bind_text(s, 1, year);
		sqlite3_bind_int64(s, 2, 0);
		if (sqlite3_step(s) == SQLITE_ROW && sqlite3_column_text(s, 0)) {
			snprintf(p->from, sizeof p->from, "%s", (const char *)sqlite3_column_text(s, 0));
			snprintf(p->to, sizeof p->to, "%s", (const char *)sqlite3_column_text(s, 1));
		}
		sqlite3_reset(s);
		p->label = arena_printf(r->a, "%s 学年", year);
		p->year = arena_strdup(r->a, year);
	} else if (by_dates) {
		snprintf(p->from, sizeof p->from, "%s", from);
		snprintf(p->to, sizeof p->to, "%s", to);
		p->label = arena_printf(r->a, "%s 至 %s 开学的学期", from, to);
	} else if (pick) {
		snprintf(p->from, sizeof p->from, "%s", jstr(pick, "starts"));
		snprintf(p->to, sizeof p->to, "%s", jstr(pick, "starts"));
		p->label = arena_strdup(r->a, jstr(pick, "name"));
	}
	if (pick) {
		p->term = jint(pick, "id");
		p->term_name = arena_strdup(r->a, jstr(pick, "name"));
		if (!p->year)
			p->year = arena_strdup(r->a, jstr(pick, "school_year"));
	}
	json_array_foreach(terms, i, x) json_object_set_new(x, "selected", json_boolean(x == pick));
	if (c) {
		json_object_set(c, "terms", terms);
		json_object_set_new(c, "period", json_string(p->label ? p->label : ""));
		json_object_set_new(c, "term_name", json_string(p->term_name ? p->term_name : "本学期"));
		json_object_set_new(c, "year", json_string(year));
		json_object_set_new(c, "from", json_string(from));
		json_object_set_new(c, "to", json_string(to));
	}
	json_decref(terms);
}

/* Rows of the summary with a subtotal per 学段 and the total. */
static json_t *summary_rows(req_t *r, const char *scope, const period_t *p, json_t **stages_out, json_t **total_out)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_SUMMARY);
	db_bind_text(s, 1, scope);
	db_bind_text(s, 2, p->from);
	db_bind_text(s, 3, p->to);
	json_t *rows = db_rows(s), *out = json_array(), *stages = json_array();
	json_int_t tn = 0, tf = 0, ttn = 0, ttf = 0;
	size_t i;
	json_t *x, *sub = NULL;
	json_array_foreach(rows, i, x)
	{
		if (!sub || strcmp(jstr(sub, "stage_name"), jstr(x, "stage_name")) != 0) {
			sub = json_pack("{s:s, s:b, s:I, s:I, s:I, s:I}", "stage_name", jstr(x, "stage_name"), "subtotal", 1, "n",
					(json_int_t)0, "fen", (json_int_t)0, "tp_n", (json_int_t)0, "tp_fen", (json_int_t)0);
			json_array_append_new(stages, sub);
		}
		static const char *const k[] = {"n", "fen", "tp_n", "tp_fen"};
		for (int j = 0; j < 4; j++)
			json_object_set_new(sub, k[j], json_integer(jint(sub, k[j]) + jint(x, k[j])));
		tn += jint(x, "n");
		tf += jint(x, "fen");
		ttn += jint(x, "tp_n");
		ttf += jint(x, "tp_fen");
		json_array_append(out, x);
		/* a subtotal row after the last programme of a 学段 */
		json_t *next = json_array_get(rows, i + 1);
		if (!next || strcmp(jstr(next, "stage_name"), jstr(x, "stage_name")) != 0)
			json_array_append(out, sub);
	}
	json_decref(rows);
	*stages_out = stages;
	*total_out = json_pack("{s:I, s:I, s:I, s:I}", "n", tn, "fen", tf, "tp_n", ttn, "tp_fen", ttf);
	return out;
}

/* A horizontal bar chart as SVG text; labels escaped. */
static char *bar_svg(json_t *items, const char *label_key, const char *value_key, const char *unit)
{
	buf_t b = BUF_INIT;
	size_t n = json_array_size(items);
	json_int_t max = 1;
	size_t i;
	json_t *x;
	json_array_foreach(items, i, x) if (jint(x, value_key) > max) max = jint(x, value_key);
	int h = (int)(n * 34 + 10);
	buf_printf(&b, "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 640 %d\" role=\"img\" aria-label=\"%s\">", h, unit);
	json_array_foreach(items, i, x)
	{
		int y = (int)i * 34 + 6;
		long w = (long)(jint(x, value_key) * 400 / max);
		char wan[40];
		money_format_wan(jint(x, value_key), wan, sizeof wan);
		buf_printf(&b, "<text x=\"0\" y=\"%d\" font-size=\"14\">", y + 18);
		const char *lab = jstr(x, label_key);
		html_escape(&b, lab, strlen(lab));
		buf_printf(&b, "</text><rect x=\"140\" y=\"%d\" width=\"%ld\" height=\"22\" fill=\"#1f6f8b\"></rect>"
			       "<text x=\"%ld\" y=\"%d\" font-size=\"13\">%s %s</text>",
			   y, w < 1 && jint(x, value_key) > 0 ? 1 : w, 146 + w, y + 16, wan, unit);
	}
	buf_puts(&b, "</svg>");
	return buf_detach(&b);
}

static int xlsx_response(req_t *r, const char *sheet, size_t ncols, const char *const *headers, json_t *rows,
			 const char *const *keys, const char *fname)
{
	size_t n = json_array_size(rows);
	const char ***cells = arena_zalloc(r->a, (n ? n : 1) * sizeof *cells);
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x)
	{
		const char **row = arena_alloc(r->a, ncols * sizeof *row);
		for (size_t c = 0; c < ncols; c++) {
			json_t *v = json_object_get(x, keys[c]);
			row[c] = json_is_string(v) ? arena_strdup(r->a, json_string_value(v))
				 : json_is_integer(v) ? arena_printf(r->a, "%lld", (long long)json_integer_value(v))
						      : "";
		}
		cells[i] = row;
	}
	unsigned char *data = NULL;
	size_t len = 0;
	char err[256];
	if (xlsx_write_table(sheet, ncols, headers, NULL, n, (const char *const *const *)cells, &data, &len, err, sizeof err) != 0)
		return render_error(r, 500, err);
	buf_reset(&r->body);
	buf_append(&r->body, data, len);
	free(data);
	r->status = 200;
	r->ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	resp_header(r, "Content-Disposition", arena_printf(r->a, "attachment; filename=\"%s\"", fname));
	resp_header(r, "Cache-Control", "private, no-store");
	return 0;
}

/* ---- the aid summary ---- */

static int summary(req_t *r, int mode /* 0 page, 1 print, 2 xlsx */)
{
	json_t *c = page_ctx(r, "资助情况汇总");
	period_t p;
	choose_period(r, &p, c);
	const char *sp = report_scope(r);
	json_t *stages, *total;
	json_t *rows = summary_rows(r, sp, &p, &stages, &total);
	/* exact 万元 for the sheet */
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x)
	{
		char w1[40], w2[40];
		money_format_wan(jint(x, "fen"), w1, sizeof w1);
		money_format_wan(jint(x, "tp_fen"), w2, sizeof w2);
		json_object_set_new(x, "wan", json_string(w1));
		json_object_set_new(x, "tp_wan", json_string(w2));
		if (json_is_true(json_object_get(x, "subtotal")))
			json_object_set_new(x, "programme", json_string("小计"));
	}
	if (mode == 2) {
		json_t *all = json_copy(rows);
		char w1[40], w2[40];
		money_format_wan(jint(total, "fen"), w1, sizeof w1);
		money_format_wan(jint(total, "tp_fen"), w2, sizeof w2);
		json_array_append_new(all, json_pack("{s:s, s:s, s:I, s:s, s:I, s:s}", "stage_name", "合计", "programme", "",
						     "n", jint(total, "n"), "wan", w1, "tp_n", jint(total, "tp_n"), "tp_wan", w2));
		static const char *const H[] = {"学段", "资助项目", "人次", "金额（万元）", "其中脱贫家庭人次", "其中脱贫家庭金额（万元）"};
		static const char *const K[] = {"stage_name", "programme", "n", "wan", "tp_n", "tp_wan"};
		int rc = xlsx_response(r, "资助汇总", 6, H, all, K, "summary.xlsx");
		json_decref(all);
		json_decref(rows);
		json_decref(stages);
		json_decref(total);
		json_decref(c);
		return rc;
	}
	char *svg1 = bar_svg(stages, "stage_name", "fen", "万元");
	sqlite3_stmt *t = db_stmt(r->db, Q_TREND);
	db_bind_text(t, 1, sp);
	db_bind_text(t, 2, p.to);
	json_t *trend = db_rows(t), *rev = json_array();
	for (size_t k = json_array_size(trend); k > 0; k--)
		json_array_append(rev, json_array_get(trend, k - 1));
	char *svg2 = bar_svg(rev, "name", "fen", "万元");
	json_decref(trend);
	json_decref(rev);
	json_object_set_new(c, "chart_stages", tmpl_safe(svg1));
	json_object_set_new(c, "chart_trend", tmpl_safe(svg2));
	free(svg1);
	free(svg2);
	json_object_set_new(c, "rows", rows);
	json_object_set_new(c, "total", total);
	json_decref(stages);
	scope_choices(r, c);
	json_object_set_new(c, "query", json_string(r->query_string));
	if (mode == 1)
		return render_bare(r, 200, "reports/summary_print.html", c);
	return render(r, 200, "reports/summary.html", c);
}

int page_report_summary(req_t *r)
{
	return summary(r, 0);
}

int page_report_summary_print(req_t *r)
{
	return summary(r, 1);
}

int page_report_summary_xlsx(req_t *r)
{
	return summary(r, 2);
}

/* ---- 排查统计汇总表 and 应助未助 ---- */

/* Rows of the 应助未助 list on one page of the 排查. */
#define PAICHA_PER_PAGE 100

/* The 应助未助 children of the scope and the period's 学年: limit rows
 * (-1: all) from offset, each child once, in the order of the list, the
 * 身份证号 masked if mask. Sets *total to the 重点保障 children of the scope
 * and *covered to those of them with approved aid in the period's term (the
 * rows to list in all are *total - *covered). Returns a new array. */
static json_t *unaided_rows(req_t *r, const char *scope, const period_t *p, int mask, long limit, long offset,
			    json_int_t *total, json_int_t *covered)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_PRIORITY_UNAIDED);
	db_bind_text(s, 1, scope);
	db_bind_text(s, 2, p->year ? p->year : "");
	sqlite3_bind_int64(s, 3, p->term);
	sqlite3_bind_int64(s, 4, limit);
	sqlite3_bind_int64(s, 5, offset);
	json_t *rows = db_rows(s), *missing = json_array();
	*total = jint(json_array_get(rows, 0), "total");
	*covered = jint(json_array_get(rows, 0), "covered");
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x)
	{
		if (!json_is_integer(json_object_get(x, "student_id")))
			continue; /* the totals alone: no row on this page */
		json_object_del(x, "total");
		json_object_del(x, "covered");
		if (mask) {
			char m[32];
			mask_idcard(jstr(x, "idcard"), m, sizeof m);
			json_object_set_new(x, "idcard", json_string(m));
		}
		json_object_set_new(x, "class", json_string(arena_printf(r->a, "%s %s", jstr(x, "grade"), jstr(x, "class_name"))));
		json_object_set_new(x, "aid_text", json_string("无"));
		json_object_set_new(x, "reason_text", json_string(*jstr(x, "reason") ? jstr(x, "reason") : "未认定或未资助，原因待查"));
		json_object_set_new(x, "remedy", json_string(""));
		json_array_append(missing, x);
	}
	json_decref(rows);
	return missing;
}

/* The 排查 page: the counts over the whole scope, the 应助未助 list a page
 * at a time (?page=N); or, as xlsx, the whole list with the whole 身份证号,
 * audited. */
static int paicha(req_t *r, int xlsx)
{
	json_t *c = page_ctx(r, "排查统计汇总表");
	period_t p;
	choose_period(r, &p, c);
	const char *sp = report_scope(r);
	json_int_t total = 0, covered = 0;
	if (xlsx) {
		json_t *missing = unaided_rows(r, sp, &p, 0, -1, 0, &total, &covered);
		static const char *const H[] = {"身份证号", "姓名", "学校", "年级班级", "困难类型", "已享受资助", "未资助原因", "整改措施及完成时限"};
		static const char *const K[] = {"idcard", "name", "school_name", "class", "types", "aid_text", "reason_text", "remedy"};
		int rc = xlsx_response(r, "应助未助", 8, H, missing, K, "yingzhu-weizhu.xlsx");
		if (rc == 0 && (db_begin(r->db) != SQLITE_OK ||
				audit(r, "report.yingzhu_export", "report", 0, r->user->org_id, NULL, NULL) != 0 ||
				db_commit(r->db) != SQLITE_OK))
			rc = -1;
		json_decref(missing);
		json_decref(c);
		return rc;
	}
	long page = query_page(r);
	json_t *missing = unaided_rows(r, sp, &p, 1, PAICHA_PER_PAGE, (page - 1) * PAICHA_PER_PAGE, &total, &covered);
	sqlite3_stmt *s = db_stmt(r->db, Q_CATEGORY_COUNTS);
	db_bind_text(s, 1, sp);
	scope_choices(r, c);
	db_bind_text(s, 2, p.year ? p.year : "");
	json_object_set_new(c, "categories", db_rows(s));
	json_object_set_new(c, "priority_total", json_integer(total));
	json_object_set_new(c, "priority_covered", json_integer(covered));
	json_object_set_new(c, "all_covered", json_boolean(total == covered));
	json_object_set_new(c, "missing", missing);
	pager_set(r, c, page, PAICHA_PER_PAGE, (long)(total - covered));
	json_object_set_new(c, "is_school", json_boolean(strcmp(r->user->org_kind, "school") == 0));
	json_object_set_new(c, "query", json_string(r->query_string));
	return render(r, 200, "reports/paicha.html", c);
}

int page_report_paicha(req_t *r)
{
	return paicha(r, 0);
}

int page_report_paicha_xlsx(req_t *r)
{
	return paicha(r, 1);
}

/* ---- checks (预警) ---- */

/* the 身份证号不正确 list shows this many at most */
#define BAD_IDS_MAX 500

/* The checks of the scope and the period's term, each over the whole
 * scope; the 应助未助 list a page at a time (?page=N, as on the 排查) and
 * the 未给最高档 list too (?page_top=N), the other lists whole. */
int page_report_checks(req_t *r)
{
	json_t *c = page_ctx(r, "预警");
	period_t p;
	choose_period(r, &p, c);
	const char *sp = report_scope(r);
	scope_choices(r, c);
	sqlite3_stmt *s;
#define ROWS(q, name)                                      \
	do {                                               \
		s = db_stmt(r->db, q);                     \
		db_bind_text(s, 1, sp);                    \
		sqlite3_bind_int64(s, 2, p.term);          \
		json_object_set_new(c, name, db_rows(s));  \
	} while (0)
	ROWS(Q_CHECK_DUPLICATE, "duplicates");
	ROWS(Q_CHECK_OVERAGE, "overage");
	ROWS(Q_CHECK_QUOTA, "over_quota");
	ROWS(Q_CHECK_MONEY, "over_money");
#undef ROWS
	/* 未给最高档 a page at a time too (?page_top=N) */
	long top_page = query_page_named(r, "page_top");
	s = db_stmt(r->db, Q_CHECK_BELOW_TOP);
	db_bind_text(s, 1, sp);
	sqlite3_bind_int64(s, 2, p.term);
	sqlite3_bind_int64(s, 3, PAICHA_PER_PAGE);
	sqlite3_bind_int64(s, 4, (top_page - 1) * PAICHA_PER_PAGE);
	json_t *top = db_rows(s), *below = json_array();
	json_int_t top_total = jint(json_array_get(top, 0), "total");
	size_t i;
	json_t *x;
	json_array_foreach(top, i, x) if (json_is_integer(json_object_get(x, "student_id")))
	{
		json_object_del(x, "total");
		json_array_append(below, x);
	}
	json_decref(top);
	json_object_set_new(c, "below_top", below);
	json_t *top_paging = json_object();
	pager_set_named(r, top_paging, "pager", "page_top", top_page, PAICHA_PER_PAGE, (long)top_total);
	json_object_set_new(c, "top_paging", top_paging);
	s = db_stmt(r->db, Q_DUAL_ENROLMENT);
	db_bind_text(s, 1, sp);
	json_object_set_new(c, "dual", db_rows(s));
	/* invalid 身份证号: the 在读 students and past records of the scope
	 * that the forms' rule refuses (on the past records whose number is
	 * not certainly right, or all of them if the clock is earlier than the
	 * date up to which that can be certain), each said what is wrong */
	int today = today_yyyymmdd();
	json_t *bad = json_array();
	s = db_stmt(r->db, today >= IDCARD_SURE_UNTIL ? Q_CHECK_IDCARDS : Q_CHECK_IDCARDS_ALL);
	db_bind_text(s, 1, sp);
	sqlite3_bind_int(s, 2, today);
	while (json_array_size(bad) < BAD_IDS_MAX && sqlite3_step(s) == SQLITE_ROW) {
		const char *id = (const char *)sqlite3_column_text(s, 2);
		char norm[19], m[32];
		idcard_result res = idcard_check(id, today, norm);
		if (res == IDCARD_OK)
			continue;
		mask_idcard(id ? id : "", m, sizeof m);
		const char *name = (const char *)sqlite3_column_text(s, 1), *school = (const char *)sqlite3_column_text(s, 3);
		json_array_append_new(bad, json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)sqlite3_column_int64(s, 0),
						     "name", name ? name : "", "idcard", m, "school_name", school ? school : "",
						     "why", idcard_message(res)));
	}
	sqlite3_reset(s);
	json_object_set_new(c, "bad_ids", bad);
	json_int_t total = 0, covered = 0;
	long page = query_page(r);
	json_object_set_new(c, "missing", unaided_rows(r, sp, &p, 1, PAICHA_PER_PAGE, (page - 1) * PAICHA_PER_PAGE, &total, &covered));
	pager_set(r, c, page, PAICHA_PER_PAGE, (long)(total - covered));
	static const char *const masked[] = {"duplicates", "below_top", "dual"};
	for (int k = 0; k < 3; k++)
		json_array_foreach(json_object_get(c, masked[k]), i, x)
		{
			char m[32];
			mask_idcard(jstr(x, "idcard"), m, sizeof m);
			json_object_set_new(x, "idcard", json_string(m));
		}
	json_array_foreach(json_object_get(c, "overage"), i, x)
		json_object_set_new(x, "share", json_sprintf("%lld%%", (long long)(jint(x, "old") * 100 / (jint(x, "n") ? jint(x, "n") : 1))));
	return render(r, 200, "reports/checks.html", c);
}

/* ---- the export for the national system ---- */

static const char *const EXPORT_HEADERS[] = {"身份证号", "姓名", "性别", "学校标识码", "学校名称", "学段", "年级", "班级",
					     "学年", "认定档次", "困难类型", "资助项目", "学期", "档次", "金额（元）", "是否脱贫家庭"};
static const char *const EXPORT_KEYS[] = {"idcard", "name", "gender", "school_code", "school_name", "stage_name", "grade", "class_name",
					  "school_year", "recognised", "types", "programme", "term", "tier", "yuan", "tuopin_text"};

static int export_national(req_t *r, int xlsx)
{
	period_t p;
	choose_period(r, &p, NULL);
	sqlite3_stmt *s = db_stmt(r->db, Q_EXPORT_NATIONAL);
	db_bind_text(s, 1, report_scope(r));
	sqlite3_bind_int64(s, 2, p.term);
	json_t *rows = db_rows(s);
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x)
	{
		char y[32];
		money_format_yuan(jint(x, "amount_fen"), y, sizeof y);
		char plain[32];
		size_t o = 0;
		for (const char *q = y; *q && o < sizeof plain - 1; q++)
			if (*q != ',')
				plain[o++] = *q;
		plain[o] = '\0';
		json_object_set_new(x, "yuan", json_string(plain));
		json_object_set_new(x, "tuopin_text", json_string(jint(x, "tuopin") ? "是" : "否"));
	}
	int rc;
	if (xlsx) {
		rc = xlsx_response(r, "资助名单", 16, EXPORT_HEADERS, rows, EXPORT_KEYS, "national-export.xlsx");
	} else {
		buf_reset(&r->body);
		buf_append(&r->body, "\xEF\xBB\xBF", 3);
		for (int k = 0; k < 16; k++)
			buf_printf(&r->body, "%s%s", k ? "," : "", EXPORT_HEADERS[k]);
		buf_puts(&r->body, "\r\n");
		json_array_foreach(rows, i, x)
		{
			for (int k = 0; k < 16; k++) {
				json_t *v = json_object_get(x, EXPORT_KEYS[k]);
				const char *t = json_is_string(v) ? json_string_value(v) : "";
				buf_puts(&r->body, k ? ",\"" : "\"");
				if (*t == '=' || *t == '+' || *t == '-' || *t == '@')
					buf_putc(&r->body, '\'');
				for (; *t; t++) {
					if (*t == '"')
						buf_putc(&r->body, '"');
					buf_putc(&r->body, *t);
				}
				buf_putc(&r->body, '"');
			}
			buf_puts(&r->body, "\r\n");
		}
		r->status = 200;
		r->ctype = "text/csv; charset=utf-8";
		resp_header(r, "Content-Disposition", "attachment; filename=\"national-export.csv\"");
		resp_header(r, "Cache-Control", "private, no-store");
		rc = 0;
	}
	json_t *after = json_pack("{s:s, s:I, s:I}", "format", xlsx ? "xlsx" : "csv", "rows", (json_int_t)json_array_size(rows), "term_id", p.term);
	json_decref(rows);
	if (rc == 0 && (db_begin(r->db) != SQLITE_OK ||
			audit(r, "report.national_export", "report", 0, r->user->org_id, NULL, after) != 0 ||
			db_commit(r->db) != SQLITE_OK))
		rc = -1;
	json_decref(after);
	return rc;
}

int page_report_export_csv(req_t *r)
{
	return export_national(r, 0);
}

int page_report_export_xlsx(req_t *r)
{
	return export_national(r, 1);
}
