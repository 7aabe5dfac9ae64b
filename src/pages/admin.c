/* admin.c - the district administrator's pages: the users under the
 * district, creating a user, and reading the audit trail. */
#include "core/json_arena.h"
#include "pages.h"
#include "db/queries.h"
#include "domain/format.h"
#include "domain/password.h"
#include <stdlib.h>
#include <string.h>

#define AUDIT_PER_PAGE 50

static json_t *role_options(const char *selected)
{
	json_t *a = json_array();
	for (int i = 0; ROLE_CODES[i]; i++) {
		const char *kind = role_org_kind(ROLE_CODES[i]);
		if (strcmp(kind, "city") == 0)
			continue; /* a district admin cannot create city users */
		json_array_append_new(a, json_pack("{s:s, s:s, s:b}", "code", ROLE_CODES[i], "label",
						   role_label(ROLE_CODES[i]), "selected",
						   selected && strcmp(selected, ROLE_CODES[i]) == 0));
	}
	return a;
}

int page_users(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_USERS_IN_SCOPE);
	db_bind_text(s, 1, scope_path(r));
	json_t *users = db_rows(s);
	size_t i;
	json_t *u;
	json_array_foreach(users, i, u)
	{
		const char *role = json_string_value(json_object_get(u, "role"));
		json_object_set_new(u, "role_label", json_string(role_label(role)));
	}
	json_t *c = page_ctx(r, "用户管理");
	json_object_set_new(c, "users", users);
	return render(r, 200, "admin/users.html", c);
}

static int user_form(req_t *r, int status, json_t *values, json_t *errors)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_ORGS_FOR_USERS);
	db_bind_text(s, 1, scope_path(r));
	json_t *orgs = db_rows(s);
	json_int_t sel = json_integer_value(json_object_get(values, "org_id"));
	size_t i;
	json_t *o;
	json_array_foreach(orgs, i, o)
	{
		json_object_set_new(o, "selected", json_boolean(json_integer_value(json_object_get(o, "id")) == sel));
		json_object_set_new(o, "is_school", json_boolean(strcmp(json_string_value(json_object_get(o, "kind")), "school") == 0));
	}
	json_t *c = page_ctx(r, "新建用户");
	json_object_set_new(c, "orgs", orgs);
	json_object_set_new(c, "roles", role_options(json_string_value(json_object_get(values, "role"))));
	json_object_set_new(c, "v", values);
	if (errors)
		json_object_set_new(c, "errors", errors);
	return render(r, status, "admin/user_new.html", c);
}

int page_user_new(req_t *r)
{
	return user_form(r, 200, json_object(), NULL);
}

static int username_ok(const char *s)
{
	size_t n = strlen(s);
	if (n < 3 || n > 32)
		return 0;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-") == n;
}

int page_user_create(req_t *r)
{
	const char *username = form_str(r, "username");
	const char *name = form_str(r, "display_name");
	const char *role = form_str(r, "role");
	const char *pw = kv_get(&r->form, "password");
	json_int_t org_id = atoll(form_str(r, "org_id"));
	json_t *v = json_pack("{s:s, s:s, s:s, s:I}", "username", username, "display_name", name,
			      "role", role, "org_id", org_id);
	json_t *errors = json_object();
	if (!username_ok(username))
		json_object_set_new(errors, "username",
				    json_string("用户名为 3-32 位英文字母、数字或 _ . -，例如 xwq_zhangsan。"));
	if (!*name)
		json_object_set_new(errors, "display_name", json_string("请填写姓名。"));
	else if (strlen(name) > 96)
		json_object_set_new(errors, "display_name", json_string("姓名过长。"));
	/* the org must be inside the admin's own scope */
	sqlite3_stmt *s = db_stmt(r->db, Q_ORG_BY_ID);
	db_bind_text(s, 1, scope_path(r));
	sqlite3_bind_int64(s, 2, org_id);
	json_t *org = db_row(s);
	const char *kind = role_org_kind(role);
	if (!org)
		json_object_set_new(errors, "org_id", json_string("请选择本区或本区内的学校。"));
	if (!kind || strcmp(kind, "city") == 0)
		json_object_set_new(errors, "role", json_string("请选择角色。"));
	else if (org && strcmp(kind, json_string_value(json_object_get(org, "kind"))) != 0)
		json_object_set_new(errors, "role",
				    json_string(strcmp(kind, "school") == 0
							? "学校资助专干和评议小组成员须属于某所学校，请在“所属单位”中选择学校。"
							: "区级角色须属于区教育局，请在“所属单位”中选择本区。"));
	const char *problem = password_problem(pw ? pw : "", username);
	if (problem)
		json_object_set_new(errors, "password", json_string(problem));
	if (json_object_size(errors) == 0) {
		sqlite3_stmt *e = db_stmt(r->db, Q_USER_BY_NAME);
		db_bind_text(e, 1, username);
		json_t *exists = db_row(e);
		if (exists)
			json_object_set_new(errors, "username", json_string("该用户名已被使用，请换一个。"));
		json_decref(exists);
	}
	if (json_object_size(errors) > 0) {
		json_decref(org);
		return user_form(r, 400, v, errors);
	}
	json_decref(errors);
	char hash[PASSWORD_HASH_MAX];
	if (password_hash(pw, hash) != 0 || db_begin(r->db) != SQLITE_OK)
		goto fail;
	sqlite3_stmt *ins = db_stmt(r->db, Q_USER_INSERT);
	db_bind_text(ins, 1, username);
	db_bind_text(ins, 2, name);
	sqlite3_bind_int64(ins, 3, org_id);
	db_bind_text(ins, 4, role);
	db_bind_text(ins, 5, hash);
	if (db_exec_stmt(ins) != SQLITE_DONE)
		goto fail;
	int64_t uid = sqlite3_last_insert_rowid(db_handle(r->db));
	if (audit(r, "user.create", "user", uid, org_id, NULL, v) != 0 || db_commit(r->db) != SQLITE_OK)
		goto fail;
	json_decref(v);
	json_decref(org);
	flash_set(r, "user_created");
	return resp_redirect(r, "/admin/users");
fail:
	json_decref(v);
	json_decref(org);
	return -1;
}

/* Chinese names of audit actions; unknown ones are shown by code. */
static const char *action_label(const char *a)
{
	static const char *const map[][2] = {
		{"auth.signin", "登录"},       {"auth.signout", "退出"},
		{"auth.password", "修改密码"}, {"user.create", "新建用户"},
		{"org.create", "新建单位"},    {"demo.fill", "写入演示数据"},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (strcmp(a, map[i][0]) == 0)
			return map[i][1];
	return a;
}

static void label_actions(json_t *rows)
{
	size_t i;
	json_t *o;
	json_array_foreach(rows, i, o)
	{
		const char *a = json_string_value(json_object_get(o, "action"));
		json_object_set_new(o, "action_label", json_string(action_label(a ? a : "")));
	}
}

int page_audit(req_t *r)
{
	const char *action = query_str(r, "action");
	long page = query_page(r);
	sqlite3_stmt *cnt = db_stmt(r->db, Q_AUDIT_COUNT);
	db_bind_text(cnt, 1, scope_path(r));
	db_bind_text(cnt, 2, action);
	long total = 0;
	if (sqlite3_step(cnt) == SQLITE_ROW)
		total = (long)sqlite3_column_int64(cnt, 0);
	sqlite3_reset(cnt);
	sqlite3_stmt *s = db_stmt(r->db, Q_AUDIT_PAGE);
	db_bind_text(s, 1, scope_path(r));
	db_bind_text(s, 2, action);
	sqlite3_bind_int(s, 3, AUDIT_PER_PAGE);
	sqlite3_bind_int64(s, 4, (page - 1) * AUDIT_PER_PAGE);
	json_t *rows = db_rows(s);
	label_actions(rows);
	/* the trail keeps whole numbers; the screen shows them masked */
	size_t ri;
	json_t *row;
	json_array_foreach(rows, ri, row)
	{
		static const char *const cols[] = {"before_json", "after_json"};
		for (int k = 0; k < 2; k++) {
			const char *text = json_string_value(json_object_get(row, cols[k]));
			json_error_t e;
			json_t *v = text ? json_loads(text, 0, &e) : NULL;
			if (!v)
				continue;
			mask_json(v, 0);
			char *out = json_dumps(v, JSON_COMPACT | JSON_SORT_KEYS);
			json_object_set_new(row, cols[k], json_string(out ? out : ""));
			json_text_free(out);
			json_decref(v);
		}
	}
	sqlite3_stmt *a = db_stmt(r->db, Q_AUDIT_ACTIONS);
	db_bind_text(a, 1, scope_path(r));
	json_t *actions = db_rows(a);
	label_actions(actions);
	size_t i;
	json_t *o;
	json_array_foreach(actions, i, o)
		json_object_set_new(o, "selected", json_boolean(strcmp(json_string_value(json_object_get(o, "action")), action) == 0));
	json_t *c = page_ctx(r, "审计日志");
	json_object_set_new(c, "rows", rows);
	json_object_set_new(c, "actions", actions);
	json_object_set_new(c, "action", json_string(action));
	pager_set(r, c, page, AUDIT_PER_PAGE, total);
	return render(r, 200, "admin/audit.html", c);
}
