/* dispatch.c - one request from route lookup to the handler's answer.
 * Every access rule lives here, driven by the route's flags: a handler runs
 * only for a user with an allowed role, a POST only with a valid CSRF
 * token, and only with declared fields of the right shape. */
#include "app.h"
#include "db/db.h"
#include "http/escape.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>

int route_match(const char *pattern, const char *path, int64_t *id)
{
	const char *p = pattern, *s = path;
	while (*p && *s) {
		if (p[0] == ':' && strncmp(p, ":id", 3) == 0) {
			int64_t v = 0;
			int digits = 0;
			while (*s >= '0' && *s <= '9') {
				if (v > (INT64_MAX - 9) / 10)
					return 0;
				v = v * 10 + (*s - '0');
				s++;
				digits++;
			}
			if (!digits || v <= 0)
				return 0;
			*id = v;
			p += 3;
			continue;
		}
		if (*p != *s)
			return 0;
		p++;
		s++;
	}
	return *p == '\0' && *s == '\0';
}

int app_worker_init(req_t *proto)
{
	return 0;
}

static int csrf_valid(const char *expected, const char *got)
{
	if (!expected || !got)
		return 0;
	size_t n = strlen(expected);
	if (n == 0 || strlen(got) != n)
		return 0;
	return sodium_memcmp(expected, got, n) == 0;
}

/* 400 for a declared field of the wrong shape; NULL when all is well. */
static const char *check_fields(req_t *r, const field_t *f)
{
	for (; f && f->name; f++) {
		size_t n = kv_count(&r->form, f->name);
		for (size_t i = 0; i < n; i++) {
			const char *v = kv_get_nth(&r->form, f->name, i);
			if (strlen(v) > f->maxlen)
				return arena_printf(r->a, "“%s”一栏内容过长（最多 %zu 字节），请删减后再提交。",
						    f->label, f->maxlen);
			if (f->kind == F_INT && *v) {
				const char *p = v + (*v == '-');
				if (!*p || strspn(p, "0123456789") != strlen(p) || strlen(p) > 18)
					return arena_printf(r->a, "“%s”一栏应为整数，请修改后再提交。", f->label);
			}
		}
	}
	return NULL;
}

/* The answer when a handler could not finish. What the database said
 * decides whether it is our fault (500) or the storage refused (503 with
 * Retry-After, one page per kind: full disk, unwritable or failing disk,
 * busy). Whatever the transaction wrote is rolled back, and a full or
 * unwritable disk marks the connection to be reopened before the next
 * request. */
static void fail(req_t *r)
{
	int code = sqlite3_extended_errcode(db_handle(r->db));
	char msg[256];
	snprintf(msg, sizeof msg, "%s", db_errmsg(r->db));
	db_rollback(r->db);
	buf_reset(&r->head);
	int kind = db_storage_error(code);
	if (kind == DB_ERR_UNWRITABLE && db_degraded(r->db) == DB_ERR_FULL)
		kind = DB_ERR_FULL; /* read-only only because the disk is full */
	if (kind == DB_ERR_FULL || kind == DB_ERR_UNWRITABLE)
		db_mark_suspect(r->db); /* a busy database needs no new connection */
	if (kind == DB_ERR_FULL)
		render_error(r, 503, "服务器存储空间不足，本次提交没有保存任何内容。"
				     "查看和查询仍可使用；请稍后重试，如持续出现，请联系系统管理员清理服务器磁盘空间。");
	else if (kind == DB_ERR_UNWRITABLE)
		render_error(r, 503, "服务器存储暂时无法写入（磁盘只读或读写出错），本次提交没有保存任何内容。"
				     "查看和查询仍可使用；请稍后重试，如持续出现，请联系系统管理员检查服务器磁盘。");
	else if (kind == DB_ERR_BUSY)
		render_error(r, 503, "系统正忙，本次提交没有保存任何内容。请稍等片刻后重新提交。");
	else
		render_error(r, 500, "系统内部错误，本次操作没有保存。请稍后再试；如持续出现，请联系系统管理员。");
	if (kind)
		resp_header(r, "Retry-After", "60");
	fprintf(stderr, "zizhu: %s %s failed: %s (code %d)\n", r->method, r->path, msg, code);
}

void app_handle(req_t *r)
{
	int expired = 0;
	session_load(r, &expired);

	const route_t *rt = NULL;
	int path_known = 0;
	for (size_t i = 0; i < ROUTE_COUNT; i++) {
		int64_t id = 0;
		if (!route_match(ROUTES[i].pattern, r->path, &id))
			continue;
		path_known = 1;
		if (strcmp(ROUTES[i].method, r->method) == 0) {
			rt = &ROUTES[i];
			r->id = id;
			break;
		}
	}
	if (!rt) {
		if (path_known) {
			render_error(r, 405, "不支持这种访问方式，请通过页面上的链接或按钮操作。");
			return;
		}
		render_error(r, 404, "您要找的页面不存在，请检查网址，或从首页重新进入。");
		return;
	}

	if (!(rt->flags & R_PUBLIC)) {
		if (!r->user) {
			buf_t next = BUF_INIT;
			buf_puts(&next, "/login");
			if (strcmp(r->path, "/") != 0 || expired) {
				buf_puts(&next, expired ? "?expired=1&next=" : "?next=");
				buf_t where = BUF_INIT;
				buf_puts(&where, r->is_post ? "/" : r->path);
				if (!r->is_post && *r->query_string) {
					buf_putc(&where, '?');
					buf_puts(&where, r->query_string);
				}
				url_escape(&next, where.data, where.len);
				buf_free(&where);
			}
			resp_redirect(r, buf_cstr(&next));
			buf_free(&next);
			return;
		}
		if (!(rt->roles & r->user->role_bit)) {
			render_error(r, 403, "您的账号角色无权使用此功能。如确需使用，请联系区资助中心管理员。");
			return;
		}
	}
	if (r->is_post) {
		const char *got = kv_get(&r->form, "_csrf");
		const char *want = (rt->flags & R_ANON_CSRF) ? kv_get(&r->cookies, "zz_pre") : r->csrf;
		if (!csrf_valid(want, got)) {
			render_error(r, 403, "页面已过期或提交来源无法确认，本次提交没有保存。请返回上一页，刷新后重新提交。");
			return;
		}
	}
	const char *bad = check_fields(r, rt->fields);
	if (bad) {
		render_error(r, 400, bad);
		return;
	}
	if (rt->fn(r) != 0)
		fail(r);
}
