/* admin.c - adding org nodes and users from the command line, audited. */
#include "cli.h"
#include "app/app.h"
#include "db/queries.h"
#include "domain/password.h"
#include "domain/roles.h"
#include <stdio.h>
#include <string.h>

long long cli_org_add(db_t *db, const char *kind, const char *name, const char *code,
		      const char *parent_code, const char *stage, char *err, size_t errlen)
{
	long long parent = 0;
	if (!kind || (strcmp(kind, "city") && strcmp(kind, "district") && strcmp(kind, "school"))) {
		snprintf(err, errlen, "--kind 须为 city、district 或 school");
		return -1;
	}
	if (!name || !*name || !code || !*code) {
		snprintf(err, errlen, "须给出 --name 和 --code");
		return -1;
	}
	if (strcmp(kind, "city") != 0) {
		sqlite3_stmt *s = db_stmt(db, Q_ORG_BY_CODE);
		db_bind_text(s, 1, parent_code ? parent_code : "");
		json_t *p = db_row(s);
		const char *pk = p ? json_string_value(json_object_get(p, "kind")) : "";
		if (!p || (strcmp(kind, "district") == 0 && strcmp(pk, "city") != 0) ||
		    (strcmp(kind, "school") == 0 && strcmp(pk, "district") != 0)) {
			snprintf(err, errlen, "--parent 须为已有的%s代码",
				 strcmp(kind, "district") == 0 ? "市" : "区");
			json_decref(p);
			return -1;
		}
		parent = json_integer_value(json_object_get(p, "id"));
		json_decref(p);
	}
	if (strcmp(kind, "school") == 0 && (!stage || !*stage)) {
		snprintf(err, errlen, "学校须给出 --stage（preschool, primary, junior, senior, vocational）");
		return -1;
	}
	if (db_begin(db) != SQLITE_OK)
		goto dberr;
	sqlite3_stmt *s = db_stmt(db, Q_ORG_INSERT);
	if (parent)
		sqlite3_bind_int64(s, 1, parent);
	db_bind_text(s, 2, kind);
	db_bind_text(s, 3, name);
	db_bind_text(s, 4, code);
	if (strcmp(kind, "school") == 0)
		db_bind_text(s, 5, stage);
	if (db_exec_stmt(s) != SQLITE_DONE)
		goto dberr;
	long long id = sqlite3_last_insert_rowid(db_handle(db));
	json_t *after = json_pack("{s:s, s:s, s:s, s:s?}", "kind", kind, "name", name, "code", code,
				  "stage", strcmp(kind, "school") == 0 ? stage : NULL);
	int rc = audit_cli(db, "org.create", "org", id, id, NULL, after);
	json_decref(after);
	if (rc != 0 || db_commit(db) != SQLITE_OK)
		goto dberr;
	return id;
dberr:
	snprintf(err, errlen, "无法添加单位：%s", db_errmsg(db));
	db_rollback(db);
	return -1;
}

long long cli_user_add(db_t *db, const char *username, const char *display_name, const char *role,
		       const char *org_code, const char *password, char *err, size_t errlen)
{
	const char *kind = role_org_kind(role);
	if (!kind) {
		snprintf(err, errlen, "--role 须为 city_viewer, district_reviewer, district_admin, "
				      "school_officer 或 committee_member");
		return -1;
	}
	if (!username || !*username || !display_name || !*display_name) {
		snprintf(err, errlen, "须给出 --username 和 --name");
		return -1;
	}
	const char *problem = password_problem(password ? password : "", username);
	if (problem) {
		snprintf(err, errlen, "%s", problem);
		return -1;
	}
	sqlite3_stmt *s = db_stmt(db, Q_ORG_BY_CODE);
	db_bind_text(s, 1, org_code ? org_code : "");
	json_t *org = db_row(s);
	if (!org || strcmp(json_string_value(json_object_get(org, "kind")), kind) != 0) {
		snprintf(err, errlen, "--org 须为已有的单位代码，且%s角色须属于%s", role_label(role),
			 strcmp(kind, "city") == 0 ? "市" : strcmp(kind, "district") == 0 ? "区" : "学校");
		json_decref(org);
		return -1;
	}
	long long org_id = json_integer_value(json_object_get(org, "id"));
	json_decref(org);
	char hash[PASSWORD_HASH_MAX];
	if (password_hash(password, hash) != 0) {
		snprintf(err, errlen, "无法计算密码散列（内存不足？）");
		return -1;
	}
	if (db_begin(db) != SQLITE_OK)
		goto dberr;
	sqlite3_stmt *ins = db_stmt(db, Q_USER_INSERT);
	db_bind_text(ins, 1, username);
	db_bind_text(ins, 2, display_name);
	sqlite3_bind_int64(ins, 3, org_id);
	db_bind_text(ins, 4, role);
	db_bind_text(ins, 5, hash);
	if (db_exec_stmt(ins) != SQLITE_DONE)
		goto dberr;
	long long id = sqlite3_last_insert_rowid(db_handle(db));
	json_t *after = json_pack("{s:s, s:s, s:s, s:I}", "username", username, "display_name",
				  display_name, "role", role, "org_id", (json_int_t)org_id);
	int rc = audit_cli(db, "user.create", "user", id, org_id, NULL, after);
	json_decref(after);
	if (rc != 0 || db_commit(db) != SQLITE_OK)
		goto dberr;
	return id;
dberr:
	if ((sqlite3_extended_errcode(db_handle(db))) == SQLITE_CONSTRAINT_UNIQUE)
		snprintf(err, errlen, "用户名 %s 已存在", username);
	else
		snprintf(err, errlen, "无法添加用户：%s", db_errmsg(db));
	db_rollback(db);
	return -1;
}
