/* render.c - page contexts, the layout, error pages, flash messages and
 * small helpers to read form and query values. */
#include "app.h"
#include "domain/format.h"
#include "http/escape.h"
#include "tmpl/template.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FLASH_COOKIE "zz_flash"

/* The fixed flash messages: a cookie carries only the key, so no text
 * from outside is ever echoed. */
static const struct {
	const char *key, *kind, *text;
} FLASHES[] = {
	{"signed_out", "ok", "您已安全退出。"},
	{"password_changed", "ok", "密码已修改，其他设备上的登录已失效。"},
	{"user_created", "ok", "用户已创建。请把初始密码当面或通过安全渠道告知本人，并提醒其首次登录后修改。"},
	{"user_updated", "ok", "用户信息已保存。"},
	{"student_saved", "ok", "学生信息已保存。"},
	{"student_transferred", "ok", "已办理转学：该生在本校的记录标为“转出”，并已加入转入学校的名册，历史记录随身份证号保留。"},
	{"promoted", "ok", "已完成升级：各年级升入下一年级，最高年级标为毕业。"},
	{"import_applied", "ok", "名册导入完成。"},
	{"import_discarded", "ok", "已放弃这次导入，名册没有变化。"},
	{"app_saved", "ok", "申请表已保存为草稿。"},
	{"app_submitted", "ok", "申请已提交，等待班级评议。"},
	{"app_withdrawn", "ok", "申请已撤回。"},
	{"app_reopened", "ok", "申请已重新打开为草稿，可以修改后再提交。"},
	{"evidence_added", "ok", "证明材料已上传。"},
	{"evidence_removed", "ok", "证明材料已删除。"},
	{"weights_saved", "ok", "量化指标分值已保存。"},
	{"settings_saved", "ok", "设置已保存。"},
	{"vote_saved", "ok", "您的评议意见已记录。"},
	{"recused", "ok", "已记录回避，您不再参与这份申请的评议。"},
	{"class_closed", "ok", "已形成班级评议意见，申请进入学校审核。"},
	{"school_decided", "ok", "学校审核意见已保存。"},
	{"batch_submitted", "ok", "已上报区教育局，等待审核。"},
	{"batch_decided", "ok", "审核决定已保存，学校可以看到结果。"},
	{"award_ended", "ok", "已终止这项资助，理由已记录。"},
	{"pay_batch_built", "ok", "发放批次已建立。请导出银行代发文件，交银行后标记为已发送。"},
	{"pay_batch_missing", "warn", "发放批次已建立。有学生还没有资助卡或社保卡账号，没有列入，请学校补全后另建批次。"},
	{"pay_sent", "ok", "已标记为发送银行，每笔发放已记入台账。"},
	{"pay_returned", "ok", "银行回盘已登记。失败的记录可以更正账号后补发。"},
	{"pay_reissue", "ok", "补发批次已建立。"},
	{"policy_saved", "ok", "政策已保存为草稿。"},
	{"policy_published", "ok", "政策已发布，家长可以在公开页面看到。"},
	{"care_added", "ok", "关爱记录已保存。"},
	{"complaint_answered", "ok", "已答复，投诉人可凭编号查看。"},
	{"complaint_assigned", "ok", "已转办。"},
	{"list_imported", "ok", "名单已导入，比对结果见下方。"},
	{"history_imported", "ok", "历史资助记录已导入，已计入报表。"},
	{"notice_published", "ok", "公示已发布，名单已固定并生成校验值。"},
	{"notice_passed", "ok", "公示已结束，结果为通过。名单中的申请可以上报区教育局。"},
	{"notice_changed", "warn", "公示已结束。因有异议成立，请对相关申请重新审核，并重新公示。"},
	{"objection_answered", "ok", "异议已答复。"},
	{"objection_upheld", "warn", "已答复，异议成立：请在学校审核中改正相关申请，公示结束后重新公示。"},
};

static const struct {
	const char *href, *label;
	unsigned roles;
} NAV[] = {
	{"/", "首页", ROLE_STAFF},
	{"/students", "学生名册", ROLE_OFFICER | ROLE_DISTRICT | ROLE_CITY},
	{"/applications", "认定申请", ROLE_OFFICER | ROLE_DISTRICT | ROLE_CITY},
	{"/review/class", "班级评议", ROLE_SCHOOL},
	{"/review/school", "学校审核", ROLE_OFFICER},
	{"/notices", "公示", ROLE_OFFICER | ROLE_DISTRICT | ROLE_CITY},
	{"/district/batches", "上报审核", ROLE_DISTRICT | ROLE_CITY},
	{"/payments", "发放", ROLE_DISTRICT | ROLE_CITY},
	{"/ledger", "台账", ROLE_DISTRICT | ROLE_CITY},
	{"/reports/summary", "报表", ROLE_OFFICER | ROLE_DISTRICT | ROLE_CITY},
	{"/reports/checks", "预警", ROLE_DISTRICT | ROLE_CITY},
	{"/reports/imports", "比对", ROLE_DISTRICT | ROLE_CITY},
	{"/complaints", "投诉", ROLE_OFFICER | ROLE_DISTRICT | ROLE_CITY},
	{"/policies", "政策", ROLE_DISTRICT},
	{"/schools", "学校", ROLE_DISTRICT | ROLE_CITY},
	{"/students/dual", "双学籍", ROLE_OFFICER | ROLE_DISTRICT | ROLE_CITY},
	{"/settings", "设置", ROLE_DADMIN},
	{"/admin/users", "用户管理", ROLE_DADMIN},
	{"/admin/audit", "审计日志", ROLE_DADMIN},
};

void flash_set(req_t *r, const char *key)
{
	resp_cookie(r, FLASH_COOKIE, key, 60);
}

static json_t *flash_take(req_t *r)
{
	const char *key = kv_get(&r->cookies, FLASH_COOKIE);
	if (!key)
		return NULL;
	resp_cookie(r, FLASH_COOKIE, "", 0);
	for (size_t i = 0; i < sizeof FLASHES / sizeof FLASHES[0]; i++)
		if (strcmp(key, FLASHES[i].key) == 0)
			return json_pack("{s:s, s:s}", "kind", FLASHES[i].kind, "text", FLASHES[i].text);
	return NULL;
}

json_t *page_ctx(req_t *r, const char *title)
{
	json_t *c = json_object();
	json_object_set_new(c, "title", json_string(title));
	if (r->user) {
		user_t *u = r->user;
		json_object_set_new(c, "user",
				    json_pack("{s:I, s:s, s:s, s:s, s:s, s:s}", "id", (json_int_t)u->id,
					      "username", u->username, "display_name", u->display_name,
					      "role", u->role, "role_label", role_label(u->role),
					      "org_name", u->org_name));
		/* the current item is the one whose link is the longest prefix of the path */
		size_t best = (size_t)-1, best_len = 0;
		for (size_t i = 0; i < sizeof NAV / sizeof NAV[0]; i++) {
			size_t hl = strlen(NAV[i].href);
			int match = strcmp(NAV[i].href, "/") == 0
					    ? strcmp(r->path, "/") == 0
					    : strncmp(r->path, NAV[i].href, hl) == 0 &&
						      (r->path[hl] == '\0' || r->path[hl] == '/');
			if ((NAV[i].roles & u->role_bit) && match && hl >= best_len) {
				best = i;
				best_len = hl;
			}
		}
		json_t *nav = json_array();
		for (size_t i = 0; i < sizeof NAV / sizeof NAV[0]; i++) {
			if (!(NAV[i].roles & u->role_bit))
				continue;
			json_array_append_new(nav, json_pack("{s:s, s:s, s:b}", "href", NAV[i].href,
							     "label", NAV[i].label, "current", i == best));
		}
		json_object_set_new(c, "nav", nav);
	}
	if (r->csrf)
		json_object_set_new(c, "csrf", json_string(r->csrf));
	json_t *f = flash_take(r);
	if (f)
		json_object_set_new(c, "flash", f);
	return c;
}

int render(req_t *r, int status, const char *tmpl, json_t *ctx)
{
	char err[256];
	buf_t inner = BUF_INIT;
	r->status = status;
	r->ctype = "text/html; charset=utf-8";
	buf_reset(&r->body);
	if (tmpl_render(r->tmpl, tmpl, ctx, &inner, err, sizeof err) != 0) {
		fprintf(stderr, "zizhu: render %s: %s\n", tmpl, err);
		buf_free(&inner);
		json_decref(ctx);
		r->status = 500;
		buf_puts(&r->body, "<!doctype html><meta charset=\"utf-8\"><title>500</title>"
				   "<p>页面生成出错，请稍后再试或联系系统管理员。</p>");
		return 0;
	}
	json_object_set_new(ctx, "content", tmpl_safe_n(inner.data, inner.len));
	buf_free(&inner);
	if (tmpl_render(r->tmpl, "layout.html", ctx, &r->body, err, sizeof err) != 0) {
		fprintf(stderr, "zizhu: render layout.html: %s\n", err);
		r->status = 500;
	}
	json_decref(ctx);
	return 0;
}

int render_bare(req_t *r, int status, const char *tmpl, json_t *ctx)
{
	char err[256];
	r->status = status;
	r->ctype = "text/html; charset=utf-8";
	buf_reset(&r->body);
	if (tmpl_render(r->tmpl, tmpl, ctx, &r->body, err, sizeof err) != 0) {
		fprintf(stderr, "zizhu: render %s: %s\n", tmpl, err);
		r->status = 500;
	}
	json_decref(ctx);
	return 0;
}

int render_error(req_t *r, int status, const char *msg)
{
	json_t *c = page_ctx(r, http_reason(status));
	json_object_set_new(c, "code", json_integer(status));
	json_object_set_new(c, "message", json_string(msg));
	buf_reset(&r->head);
	return render(r, status, "error.html", c);
}

static const char *trimmed(req_t *r, const char *v)
{
	if (!v)
		return "";
	while (*v == ' ' || *v == '\t' || *v == '\r' || *v == '\n')
		v++;
	size_t n = strlen(v);
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r' || v[n - 1] == '\n'))
		n--;
	return arena_strndup(r->a, v, n);
}

const char *form_str(req_t *r, const char *name)
{
	return trimmed(r, kv_get(&r->form, name));
}

const char *query_str(req_t *r, const char *name)
{
	return trimmed(r, kv_get(&r->query, name));
}

long query_page_named(req_t *r, const char *name)
{
	const char *p = kv_get(&r->query, name);
	long v = p ? strtol(p, NULL, 10) : 1;
	return v < 1 ? 1 : v > 1000000 ? 1000000 : v;
}

long query_page(req_t *r)
{
	return query_page_named(r, "page");
}

/* The current query string with param set to page. */
static char *page_link(req_t *r, const char *param, long page)
{
	buf_t b = BUF_INIT;
	buf_puts(&b, r->path);
	buf_putc(&b, '?');
	for (size_t i = 0; i < r->query.n; i++) {
		if (strcmp(r->query.v[i].name, param) == 0)
			continue;
		url_escape(&b, r->query.v[i].name, strlen(r->query.v[i].name));
		buf_putc(&b, '=');
		url_escape(&b, r->query.v[i].value, r->query.v[i].len);
		buf_putc(&b, '&');
	}
	buf_printf(&b, "%s=%ld", param, page);
	char *s = arena_strdup(r->a, buf_cstr(&b));
	buf_free(&b);
	return s;
}

void pager_set_named(req_t *r, json_t *ctx, const char *key, const char *param, long page, long per_page, long total)
{
	long pages = total > 0 ? (total + per_page - 1) / per_page : 1;
	json_t *p = json_pack("{s:I, s:I, s:I}", "page", (json_int_t)page, "pages", (json_int_t)pages,
			      "total", (json_int_t)total);
	if (page > 1)
		json_object_set_new(p, "prev", json_string(page_link(r, param, page - 1)));
	if (page < pages)
		json_object_set_new(p, "next", json_string(page_link(r, param, page + 1)));
	json_object_set_new(ctx, key, p);
}

void pager_set(req_t *r, json_t *ctx, long page, long per_page, long total)
{
	pager_set_named(r, ctx, "pager", "page", page, per_page, total);
}

json_t *term_choose(json_t *terms, json_int_t want)
{
	char today[11];
	today_iso(today);
	json_t *pick = NULL, *started = NULL, *x;
	size_t i;
	json_array_foreach(terms, i, x)
	{
		if (want && jint(x, "id") == want)
			pick = x;
		if (!started && strcmp(jstr(x, "starts"), today) <= 0)
			started = x;
	}
	if (!pick)
		pick = started ? started : json_array_get(terms, 0);
	json_array_foreach(terms, i, x) json_object_set_new(x, "selected", json_boolean(x == pick));
	return pick;
}
