/* care.c - 一生一档 and the cards families get: a student's timeline
 * across school years and schools (followed by 身份证号 through the
 * enrolments the reader may see), care records (家访, 学业帮扶, 心理关爱,
 * 勤工助学) with attachments, the archive printed or exported, and the
 * 告知卡 of a whole class for a term. */
#include "pages.h"
#include "db/queries.h"
#include "domain/format.h"
#include "domain/idcard.h"
#include <stdlib.h>
#include <string.h>

static json_t *student(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_STUDENT_BY_ID);
	db_bind_text(s, 1, scope_path(r));
	sqlite3_bind_int64(s, 2, r->id);
	return db_row(s);
}

static json_t *timeline(req_t *r, json_t *st)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_TIMELINE);
	db_bind_text(s, 1, scope_path(r));
	db_bind_text(s, 2, jstr(st, "idcard"));
	sqlite3_bind_int64(s, 3, r->id);
	return db_rows(s);
}

int page_archive(req_t *r)
{
	json_t *st = student(r);
	if (!st)
		return render_error(r, 404, "没有找到这名学生，或该学生不在您的管理范围内。");
	json_t *events = timeline(r, st);
	char m[32];
	mask_idcard(jstr(st, "idcard"), m, sizeof m);
	json_object_set_new(st, "idcard", json_string(m));
	json_t *c = page_ctx(r, "一生一档");
	json_object_set_new(c, "student", st);
	json_object_set_new(c, "events", events);
	json_object_set_new(c, "can_add", json_boolean((r->user->role_bit & ROLE_OFFICER) &&
						       strcmp(jstr(st, "status"), "在读") == 0));
	char today[11];
	today_iso(today);
	json_object_set_new(c, "today", json_string(today));
	return render(r, 200, "students/archive.html", c);
}

/* The archive as CSV (UTF-8 with BOM): one row per event. Audited. */
int page_archive_export(req_t *r)
{
	json_t *st = student(r);
	if (!st)
		return render_error(r, 404, "没有找到这名学生，或该学生不在您的管理范围内。");
	json_t *events = timeline(r, st);
	buf_reset(&r->body);
	buf_append(&r->body, "\xEF\xBB\xBF", 3);
	buf_puts(&r->body, "日期,类别,学校,内容,金额（元）\r\n");
	size_t i;
	json_t *e;
	json_array_foreach(events, i, e)
	{
		const char *cols[5];
		char yuan[32] = "";
		if (json_is_integer(json_object_get(e, "amount_fen")))
			money_format_yuan(json_integer_value(json_object_get(e, "amount_fen")), yuan, sizeof yuan);
		cols[0] = arena_strndup(r->a, jstr(e, "at"), 10);
		cols[1] = jstr(e, "kind");
		cols[2] = jstr(e, "school");
		cols[3] = jstr(e, "what");
		cols[4] = yuan;
		for (int k = 0; k < 5; k++) {
			buf_puts(&r->body, k ? ",\"" : "\"");
			const char *v = cols[k];
			/* a cell starting with = + - @ would be a formula in Excel */
			if (*v == '=' || *v == '+' || *v == '-' || *v == '@')
				buf_putc(&r->body, '\'');
			for (; *v; v++) {
				if (*v == '"')
					buf_putc(&r->body, '"');
				buf_putc(&r->body, *v);
			}
			buf_putc(&r->body, '"');
		}
		buf_puts(&r->body, "\r\n");
	}
	r->status = 200;
	r->ctype = "text/csv; charset=utf-8";
	resp_header(r, "Content-Disposition", arena_printf(r->a, "attachment; filename=\"archive-%lld.csv\"", (long long)r->id));
	resp_header(r, "Cache-Control", "private, no-store");
	int64_t school = json_integer_value(json_object_get(st, "school_id"));
	json_decref(events);
	json_decref(st);
	if (db_begin(r->db) != SQLITE_OK || audit(r, "archive.export", "student", r->id, school, NULL, NULL) != 0 ||
	    db_commit(r->db) != SQLITE_OK)
		return -1;
	return 0;
}

int page_care_add(req_t *r)
{
	json_t *st = student(r);
	if (!st)
		return render_error(r, 404, "没有找到这名学生，或该学生不在您的管理范围内。");
	int64_t school = json_integer_value(json_object_get(st, "school_id"));
	json_decref(st);
	const char *kind = form_str(r, "kind"), *date = form_str(r, "date");
	const char *people = form_str(r, "people"), *notes = form_str(r, "notes");
	char check[11];
	const upload_t *f = NULL;
	for (size_t i = 0; i < r->files.n; i++)
		if (strcmp(r->files.v[i].field, "file") == 0)
			f = &r->files.v[i];
	const char *type = f ? document_type(f->data, f->len) : NULL;
	const char *problem =
		strcmp(kind, "home_visit") && strcmp(kind, "academic") && strcmp(kind, "psych") && strcmp(kind, "work_study")
			? "请选择记录类别：家访、学业帮扶、心理关爱或勤工助学。"
		: add_days(date, 0, check) != 0 || strcmp(check, date) != 0 ? "日期请按 2025-03-05 的格式填写。"
		: !*people || utf8_chars(people) > 100 ? "请填写参加人员（家访人员、帮扶老师等，最多 100 字）。"
		: utf8_chars(notes) > 5000 ? "记录内容最多 5000 字。"
		: f && !type ? "附件只能是 PDF、JPG 或 PNG。"
		: f && f->len > DOCUMENT_MAX_BYTES ? "附件过大（最多 10 MB）。请降低扫描分辨率或压缩图片后重新上传。"
		: NULL;
	if (problem)
		return render_error(r, f && f->len > DOCUMENT_MAX_BYTES ? 413 : 400, problem);
	if (db_begin(r->db) != SQLITE_OK)
		return -1;
	sqlite3_stmt *s = db_stmt(r->db, Q_CARE_ADD);
	sqlite3_bind_int64(s, 1, r->id);
	db_bind_text(s, 2, kind);
	db_bind_text(s, 3, date);
	db_bind_text(s, 4, people);
	db_bind_text(s, 5, notes);
	sqlite3_bind_int64(s, 6, r->user->id);
	if (db_exec_stmt(s) != SQLITE_DONE)
		return -1;
	int64_t cid = sqlite3_last_insert_rowid(db_handle(r->db));
	char hash[65] = "";
	if (f) {
		sha256_hex(f->data, f->len, hash);
		sqlite3_stmt *a = db_stmt(r->db, Q_CARE_ATTACH);
		sqlite3_bind_int64(a, 1, cid);
		db_bind_text(a, 2, f->filename);
		db_bind_text(a, 3, type);
		sqlite3_bind_int64(a, 4, (sqlite3_int64)f->len);
		db_bind_text(a, 5, hash);
		sqlite3_bind_blob64(a, 6, f->data, f->len, SQLITE_STATIC);
		if (db_exec_stmt(a) != SQLITE_DONE)
			return -1;
	}
	json_t *after = json_pack("{s:s, s:s, s:s, s:s, s:s}", "kind", kind, "date", date, "people", people, "notes",
				  notes, "attachment_sha256", hash);
	int rc = audit(r, "care.add", "student", r->id, school, NULL, after);
	json_decref(after);
	if (rc || db_commit(r->db) != SQLITE_OK)
		return -1;
	flash_set(r, "care_added");
	return resp_redirect(r, arena_printf(r->a, "/students/%lld/archive", (long long)r->id));
}

int page_care_file(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_CARE_FILE);
	db_bind_text(s, 1, scope_path(r));
	sqlite3_bind_int64(s, 2, r->id);
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return render_error(r, 404, "没有找到这份附件，或它不在您的管理范围内。");
	}
	r->ctype = arena_strdup(r->a, (const char *)sqlite3_column_text(s, 1));
	buf_reset(&r->body);
	buf_append(&r->body, sqlite3_column_blob(s, 2), (size_t)sqlite3_column_bytes(s, 2));
	int64_t school = sqlite3_column_int64(s, 3);
	sqlite3_reset(s);
	r->status = 200;
	resp_header(r, "Content-Disposition", arena_printf(r->a, "attachment; filename=\"care-%lld\"", (long long)r->id));
	resp_header(r, "Cache-Control", "private, no-store");
	if (db_begin(r->db) != SQLITE_OK || audit(r, "care.download", "care_attachment", r->id, school, NULL, NULL) != 0 ||
	    db_commit(r->db) != SQLITE_OK)
		return -1;
	return 0;
}

/* 告知卡 for a class (or a grade, or the whole school) and a term: one
 * card per student with the approved aid and its amounts. */
int page_notify_cards(req_t *r)
{
	sqlite3_stmt *t = db_stmt(r->db, Q_TERM_BY_ID);
	sqlite3_bind_int64(t, 1, atoll(query_str(r, "term")));
	json_t *term = db_row(t);
	if (!term)
		return render_error(r, 400, "请选择学期。");
	sqlite3_stmt *s = db_stmt(r->db, Q_NOTIFY_CARDS);
	db_bind_text(s, 1, scope_path(r));
	sqlite3_bind_int64(s, 2, json_integer_value(json_object_get(term, "id")));
	db_bind_text(s, 3, query_str(r, "grade"));
	db_bind_text(s, 4, query_str(r, "class"));
	json_t *rows = db_rows(s), *cards = json_array(), *card = NULL;
	json_int_t cur = -1, total = 0;
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x)
	{
		json_int_t sid = json_integer_value(json_object_get(x, "student_id"));
		if (sid != cur) {
			if (card)
				json_object_set_new(card, "total_fen", json_integer(total));
			card = json_pack("{s:O, s:O, s:O, s:O, s:[]}", "name", json_object_get(x, "name"), "school",
					 json_object_get(x, "school_name"), "grade", json_object_get(x, "grade"), "class",
					 json_object_get(x, "class_name"), "items");
			json_array_append_new(cards, card);
			cur = sid;
			total = 0;
		}
		const char *ps = jstr(x, "pay_status");
		json_array_append_new(json_object_get(card, "items"),
				      json_pack("{s:O, s:O, s:O, s:s}", "programme", json_object_get(x, "programme"), "tier",
						json_object_get(x, "tier"), "amount_fen", json_object_get(x, "amount_fen"),
						"paid", !strcmp(ps, "paid") ? "已发放到卡" : *ps ? "发放中" : "待发放"));
		total += json_integer_value(json_object_get(x, "amount_fen"));
	}
	if (card)
		json_object_set_new(card, "total_fen", json_integer(total));
	json_decref(rows);
	json_t *c = page_ctx(r, "受助情况告知卡");
	json_object_set_new(c, "cards", cards);
	json_object_set_new(c, "term", term);
	return render_bare(r, 200, "students/cards.html", c);
}
