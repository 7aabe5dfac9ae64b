/* policies.c - 政策宣传: district staff write policy pages in Markdown
 * (preview, publish) per 学段; the public reads them without signing in;
 * the 明白卡 puts a 学段's published policies on one printable card. */
#include "pages.h"
#include "db/queries.h"
#include "domain/format.h"
#include "domain/markdown.h"
#include "domain/student.h"
#include "tmpl/template.h"
#include <stdlib.h>
#include <string.h>

/* The rendered Markdown as a value the template prints raw (it is our
 * own output of cmark's safe mode, never the writer's HTML). */
static json_t *rendered(const char *md)
{
	char *html = markdown_html(md, strlen(md));
	json_t *v = tmpl_safe(html ? html : "");
	free(html);
	return v;
}

static json_t *stage_options(const char *sel)
{
	static const char *const codes[] = {"", "preschool", "primary", "junior", "senior", "vocational"};
	static const char *const names[] = {"各学段", "学前教育", "小学", "初中", "普通高中", "中职"};
	json_t *a = json_array();
	for (int i = 0; i < 6; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "value", codes[i], "label", names[i], "selected",
						   strcmp(sel ? sel : "", codes[i]) == 0));
	return a;
}

int page_policies(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_POLICIES);
	db_bind_text(s, 1, scope_path(r));
	json_t *c = page_ctx(r, "资助政策");
	json_object_set_new(c, "rows", db_rows(s));
	json_object_set_new(c, "stages", stage_options(""));
	return render(r, 200, "policies/list.html", c);
}

static int policy_form(req_t *r, int status, json_t *v, const char *error, int preview)
{
	json_t *c = page_ctx(r, json_object_get(v, "id") ? "修改政策" : "新建政策");
	json_object_set_new(c, "stages", stage_options(jstr(v, "stage")));
	if (preview)
		json_object_set_new(c, "preview", rendered(jstr(v, "body_md")));
	if (error)
		json_object_set_new(c, "error", json_string(error));
	json_object_set_new(c, "v", v);
	return render(r, status, "policies/form.html", c);
}

int page_policy_new(req_t *r)
{
	return policy_form(r, 200, json_pack("{s:s, s:s, s:s}", "title", "", "body_md", "", "stage", ""), NULL, 0);
}

int page_policy_edit(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_POLICY_GET);
	db_bind_text(s, 1, scope_path(r));
	sqlite3_bind_int64(s, 2, r->id);
	json_t *p = db_row(s);
	if (!p)
		return render_error(r, 404, "没有找到这篇政策，或它不属于本区。");
	json_t *v = json_pack("{s:I, s:s, s:s, s:s, s:s}", "id", (json_int_t)r->id, "title", jstr(p, "title"), "body_md",
			      jstr(p, "body_md"), "stage", jstr(p, "stage"), "status", jstr(p, "status"));
	json_decref(p);
	return policy_form(r, 200, v, NULL, 0);
}

/* POST /policies (new) and /policies/:id: action preview, save or publish. */
int page_policy_save(req_t *r)
{
	const char *title = form_str(r, "title"), *body = kv_get(&r->form, "body_md");
	const char *stage = form_str(r, "stage"), *action = form_str(r, "action");
	if (!body)
		body = "";
	json_t *v = json_pack("{s:s, s:s, s:s}", "title", title, "body_md", body, "stage", stage);
	if (r->id)
		json_object_set_new(v, "id", json_integer(r->id));
	if (r->id) {
		sqlite3_stmt *s = db_stmt(r->db, Q_POLICY_GET);
		db_bind_text(s, 1, scope_path(r));
		sqlite3_bind_int64(s, 2, r->id);
		json_t *p = db_row(s);
		if (!p) {
			json_decref(v);
			return render_error(r, 404, "没有找到这篇政策，或它不属于本区。");
		}
		json_decref(p);
	}
	if (*stage && !stage_code(stage)) {
		return policy_form(r, 400, v, "请选择学段。", 0);
	}
	if (!*title || utf8_chars(title) > 100)
		return policy_form(r, 400, v, "请填写标题（最多 100 字）。", 0);
	if (strlen(body) > 200000)
		return policy_form(r, 400, v, "正文过长（最多约 6 万字），请分成几篇。", 0);
	if (strcmp(action, "preview") == 0)
		return policy_form(r, 200, v, NULL, 1);
	const char *status = strcmp(action, "publish") == 0 ? "published" : "draft";
	if (db_begin(r->db) != SQLITE_OK)
		goto fail;
	sqlite3_stmt *s;
	if (r->id) {
		s = db_stmt(r->db, Q_POLICY_UPDATE);
		sqlite3_bind_int64(s, 1, r->id);
	} else {
		s = db_stmt(r->db, Q_POLICY_INSERT);
		sqlite3_bind_int64(s, 1, r->user->org_id);
		sqlite3_bind_int64(s, 6, r->user->id);
	}
	db_bind_text(s, 2, stage);
	db_bind_text(s, 3, title);
	db_bind_text(s, 4, body);
	db_bind_text(s, 5, status);
	if (db_exec_stmt(s) != SQLITE_DONE)
		goto fail;
	int64_t id = r->id ? r->id : sqlite3_last_insert_rowid(db_handle(r->db));
	json_t *after = json_pack("{s:s, s:s, s:s}", "title", title, "stage", stage, "status", status);
	int rc = audit(r, r->id ? "policy.update" : "policy.create", "policy", id, r->user->org_id, NULL, after);
	json_decref(after);
	if (rc || db_commit(r->db) != SQLITE_OK)
		goto fail;
	json_decref(v);
	flash_set(r, strcmp(status, "published") == 0 ? "policy_published" : "policy_saved");
	return resp_redirect(r, "/policies");
fail:
	json_decref(v);
	return -1;
}

/* 明白卡: the published policies of one 学段 (and those for every 学段) on
 * one printable card. */
int page_policy_card(req_t *r)
{
	const char *stage = stage_code(query_str(r, "stage"));
	if (!stage)
		return render_error(r, 400, "请选择学段。");
	int64_t district = r->user->org_id;
	if (strcmp(r->user->org_kind, "school") == 0) {
		sqlite3_stmt *o = db_stmt(r->db, Q_ORG_BY_ID);
		db_bind_text(o, 1, "/");
		sqlite3_bind_int64(o, 2, r->user->org_id);
		json_t *org = db_row(o);
		district = org ? json_integer_value(json_object_get(org, "parent_id")) : 0;
		json_decref(org);
	}
	sqlite3_stmt *s = db_stmt(r->db, Q_CARD_POLICIES);
	sqlite3_bind_int64(s, 1, district);
	db_bind_text(s, 2, stage);
	json_t *rows = db_rows(s);
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x) json_object_set_new(x, "html", rendered(jstr(x, "body_md")));
	json_t *c = page_ctx(r, "资助政策明白卡");
	json_object_set_new(c, "rows", rows);
	json_t *stages = stage_options(stage);
	json_array_foreach(stages, i, x) if (json_is_true(json_object_get(x, "selected")))
		json_object_set(c, "stage_name", json_object_get(x, "label"));
	json_decref(stages);
	return render_bare(r, 200, "policies/card.html", c);
}

int page_public_policies(req_t *r)
{
	json_t *c = page_ctx(r, "资助政策");
	json_object_set_new(c, "rows", db_rows(db_stmt(r->db, Q_PUBLIC_POLICIES)));
	return render(r, 200, "public/policies.html", c);
}

int page_public_policy(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_PUBLIC_POLICY);
	sqlite3_bind_int64(s, 1, r->id);
	json_t *p = db_row(s);
	if (!p)
		return render_error(r, 404, "没有这篇政策，或它还没有发布。");
	json_t *c = page_ctx(r, jstr(p, "title"));
	json_object_set_new(c, "html", rendered(jstr(p, "body_md")));
	json_object_del(p, "body_md");
	json_object_set_new(c, "policy", p);
	return render(r, 200, "public/policy.html", c);
}
