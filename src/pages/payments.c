/* payments.c - 发放: the district builds a payment batch for a term and a
 * programme from the approved awards, exports the bank's pay file and the
 * printable 领款清册, marks the batch sent, imports the bank's return file,
 * and re-issues the failed rows with corrected accounts. Every movement is
 * a ledger entry; the ledger can be verified and reconciled. */
#include "pages.h"
#include "db/queries.h"
#include "domain/format.h"
#include "domain/ledger.h"
#include "http/escape.h"
#include "import/sheet.h"
#include <stdlib.h>
#include <string.h>

#define ROSTER_ROWS_PER_PAGE 20

static const char *batch_status(const char *s)
{
	return !strcmp(s, "draft") ? "待发送" : !strcmp(s, "sent") ? "已发送银行" : !strcmp(s, "returned") ? "银行已回盘" : s;
}

static const char *pay_status(const char *s)
{
	return !strcmp(s, "pending")  ? "待发送"
	       : !strcmp(s, "sent")   ? "已发送"
	       : !strcmp(s, "paid")   ? "已到账"
	       : !strcmp(s, "failed") ? "失败"
				      : s;
}

static const char *payment_digest(arena_t *a, const char *idcard, const char *account, json_int_t fen)
{
	char fp[17];
	ledger_payment_digest(idcard, account, (long long)fen, fp);
	return arena_strdup(a, fp);
}

int page_pay_batches(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_PAY_BATCHES);
	db_bind_text(s, 1, scope_path(r));
	json_t *rows = db_rows(s);
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x) json_object_set_new(x, "status_label", json_string(batch_status(jstr(x, "status"))));
	json_t *c = page_ctx(r, "发放");
	json_object_set_new(c, "rows", rows);
	if (strcmp(r->user->org_kind, "district") == 0) {
		sqlite3_stmt *t = db_stmt(r->db, Q_TERMS);
		sqlite3_bind_int64(t, 1, r->user->org_id);
		json_object_set_new(c, "terms", db_rows(t));
		sqlite3_stmt *p = db_stmt(r->db, Q_ALLOCATIONS);
		sqlite3_bind_int64(p, 1, r->user->org_id);
		sqlite3_bind_int64(p, 2, 0);
		json_object_set_new(c, "programmes", db_rows(p));
		json_object_set_new(c, "can_build", json_true());
	}
	return render(r, 200, "payments/list.html", c);
}

/* Build a batch for ?term and ?programme (form fields). */
int page_pay_batch_create(req_t *r)
{
	json_int_t term = atoll(form_str(r, "term")), prog = atoll(form_str(r, "programme"));
	sqlite3_stmt *c = db_stmt(r->db, Q_PAY_CANDIDATES);
	db_bind_text(c, 1, scope_path(r));
	sqlite3_bind_int64(c, 2, term);
	sqlite3_bind_int64(c, 3, prog);
	json_t *cands = db_rows(c);
	json_t *ok = json_array();
	int missing = 0;
	json_int_t sum = 0;
	size_t i;
	json_t *x;
	json_array_foreach(cands, i, x)
	{
		if (!*jstr(x, "account_no") || !*jstr(x, "account_type")) {
			missing++;
			continue;
		}
		sum += jint(x, "amount_fen");
		json_array_append(ok, x);
	}
	json_decref(cands);
	const char *problem = NULL;
	if (json_array_size(ok) == 0)
		problem = missing ? "已批准的学生都还没有资助卡或社保卡账号，请学校在学生名册中补全后再建批次。"
				  : "这个学期、这个项目没有已批准且尚未发放的资助。";
	int rc = -1;
	if (problem) {
		json_decref(ok);
		return render_error(r, 409, problem);
	}
	if (db_begin(r->db) != SQLITE_OK)
		goto out;
	/* payments never exceed the money allocated (专款专用) */
	sqlite3_stmt *a = db_stmt(r->db, Q_ALLOCATED);
	sqlite3_bind_int64(a, 1, r->user->org_id);
	sqlite3_bind_int64(a, 2, term);
	sqlite3_bind_int64(a, 3, prog);
	json_int_t allocated = 0;
	if (sqlite3_step(a) == SQLITE_ROW)
		allocated = sqlite3_column_int64(a, 0);
	sqlite3_reset(a);
	sqlite3_stmt *m = db_stmt(r->db, Q_PAY_COMMITTED);
	sqlite3_bind_int64(m, 1, r->user->org_id);
	sqlite3_bind_int64(m, 2, term);
	sqlite3_bind_int64(m, 3, prog);
	json_int_t committed = sqlite3_step(m) == SQLITE_ROW ? sqlite3_column_int64(m, 0) : 0;
	sqlite3_reset(m);
	if (committed + sum > allocated) {
		db_rollback(r->db);
		char a1[32], a2[32], a3[32];
		money_format_yuan(allocated, a1, sizeof a1);
		money_format_yuan(committed, a2, sizeof a2);
		money_format_yuan(sum, a3, sizeof a3);
		rc = render_error(r, 409, arena_printf(r->a, "超出下达资金，不能建立批次：本项目下达 %s 元，已发放和在途 %s 元，本批需 %s 元。"
							 "请先在“名额与资金”中登记追加下达的资金。", a1, a2, a3));
		goto out;
	}
	sqlite3_stmt *b = db_stmt(r->db, Q_PAY_BATCH_ADD);
	sqlite3_bind_int64(b, 1, r->user->org_id);
	sqlite3_bind_int64(b, 2, term);
	sqlite3_bind_int64(b, 3, prog);
	db_bind_text(b, 4, "normal");
	sqlite3_bind_int64(b, 5, r->user->id);
	if (db_exec_stmt(b) != SQLITE_DONE)
		goto out;
	int64_t batch = sqlite3_last_insert_rowid(db_handle(r->db));
	json_array_foreach(ok, i, x)
	{
		sqlite3_stmt *p = db_stmt(r->db, Q_PAYMENT_ADD);
		sqlite3_bind_int64(p, 1, batch);
		sqlite3_bind_int64(p, 2, jint(x, "award_id"));
		db_bind_text(p, 3, jstr(x, "idcard"));
		db_bind_text(p, 4, jstr(x, "name"));
		sqlite3_bind_int64(p, 5, jint(x, "school_id"));
		sqlite3_bind_int64(p, 6, term);
		sqlite3_bind_int64(p, 7, prog);
		db_bind_text(p, 8, jstr(x, "account_type"));
		db_bind_text(p, 9, jstr(x, "account_no"));
		db_bind_text(p, 10, jstr(x, "bank"));
		sqlite3_bind_int64(p, 11, jint(x, "amount_fen"));
		if (db_exec_stmt(p) != SQLITE_DONE)
			goto out; /* the unique index: this child, programme and term is already being paid */
	}
	json_t *after = json_pack("{s:I, s:I, s:I, s:I, s:i}", "term_id", term, "programme_id", prog, "rows",
				  (json_int_t)json_array_size(ok), "total_fen", sum, "missing_accounts", missing);
	int arc = audit(r, "payment.batch", "pay_batch", batch, r->user->org_id, NULL, after);
	json_decref(after);
	if (arc || db_commit(r->db) != SQLITE_OK)
		goto out;
	rc = 0;
	flash_set(r, missing ? "pay_batch_missing" : "pay_batch_built");
	resp_redirect(r, arena_printf(r->a, "/payments/%lld", (long long)batch));
out:
	json_decref(ok);
	return rc;
}

static json_t *load_batch(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_PAY_BATCH_GET);
	db_bind_text(s, 1, scope_path(r));
	sqlite3_bind_int64(s, 2, r->id);
	return db_row(s);
}

static json_t *batch_rows(req_t *r)
{
	sqlite3_stmt *s = db_stmt(r->db, Q_PAYMENTS_OF_BATCH);
	sqlite3_bind_int64(s, 1, r->id);
	return db_rows(s);
}

int page_pay_batch(req_t *r)
{
	json_t *b = load_batch(r);
	if (!b)
		return render_error(r, 404, "没有找到这个发放批次，或它不在您的管理范围内。");
	json_t *rows = batch_rows(r);
	json_int_t total = 0, failed = 0;
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x)
	{
		char m[32];
		total += jint(x, "amount_fen");
		failed += !strcmp(jstr(x, "status"), "failed") && !jint(x, "reissued");
		mask_account(jstr(x, "account_no"), m, sizeof m);
		json_object_set_new(x, "account_no", json_string(m));
		mask_idcard(jstr(x, "idcard"), m, sizeof m);
		json_object_set_new(x, "idcard", json_string(m));
		json_object_set_new(x, "status_label", json_string(pay_status(jstr(x, "status"))));
		json_object_set_new(x, "seq", json_integer((json_int_t)i + 1));
		json_object_set_new(x, "can_reissue", json_boolean(!strcmp(jstr(x, "status"), "failed") && !jint(x, "reissued")));
	}
	int district = strcmp(r->user->org_kind, "district") == 0;
	json_object_set_new(b, "status_label", json_string(batch_status(jstr(b, "status"))));
	json_t *c = page_ctx(r, "发放批次");
	json_object_set_new(c, "batch", b);
	json_object_set_new(c, "rows", rows);
	json_object_set_new(c, "total_fen", json_integer(total));
	json_object_set_new(c, "can_send", json_boolean(district && !strcmp(jstr(b, "status"), "draft")));
	json_object_set_new(c, "can_return", json_boolean(district && !strcmp(jstr(b, "status"), "sent")));
	json_object_set_new(c, "can_reissue", json_boolean(district && failed > 0));
	json_object_set_new(c, "district", json_boolean(district));
	return render(r, 200, "payments/batch.html", c);
}

/* The bank's pay file: CSV (UTF-8 with BOM) or xlsx. Columns in README. */
static const char *const BANK_HEADERS[] = {"序号", "户名", "账号", "账户类型", "开户银行", "金额（元）", "身份证号", "学校", "备注"};
#define BANK_COLS 9

static int export_bank(req_t *r, int xlsx)
{
	json_t *b = load_batch(r);
	if (!b)
		return render_error(r, 404, "没有找到这个发放批次，或它不在您的管理范围内。");
	json_t *rows = batch_rows(r);
	size_t n = 0, i;
	json_t *x;
	json_array_foreach(rows, i, x) n += !strcmp(jstr(x, "status"), "pending") || !strcmp(jstr(x, "status"), "sent");
	const char ***cells = arena_zalloc(r->a, (n ? n : 1) * sizeof *cells);
	size_t k = 0;
	json_int_t total = 0;
	json_array_foreach(rows, i, x)
	{
		if (strcmp(jstr(x, "status"), "pending") && strcmp(jstr(x, "status"), "sent"))
			continue;
		char yuan[32];
		money_format_yuan(jint(x, "amount_fen"), yuan, sizeof yuan);
		/* the bank wants plain amounts: no thousands separator */
		char plain[32];
		size_t o = 0;
		for (const char *p = yuan; *p && o < sizeof plain - 1; p++)
			if (*p != ',')
				plain[o++] = *p;
		plain[o] = '\0';
		const char **row = arena_alloc(r->a, BANK_COLS * sizeof *row);
		row[0] = arena_printf(r->a, "%zu", k + 1);
		row[1] = arena_strdup(r->a, jstr(x, "name"));
		row[2] = arena_strdup(r->a, jstr(x, "account_no"));
		row[3] = arena_strdup(r->a, jstr(x, "account_type"));
		row[4] = arena_strdup(r->a, jstr(x, "bank"));
		row[5] = arena_strdup(r->a, plain);
		row[6] = arena_strdup(r->a, jstr(x, "idcard"));
		row[7] = arena_strdup(r->a, jstr(x, "school_name"));
		row[8] = arena_printf(r->a, "ZZ-%lld", (long long)jint(x, "id"));
		cells[k++] = row;
		total += jint(x, "amount_fen");
	}
	json_decref(rows);
	buf_reset(&r->body);
	const char *fname;
	if (xlsx) {
		unsigned char *data = NULL;
		size_t len = 0;
		char err[256];
		if (xlsx_write_table("代发清单", BANK_COLS, BANK_HEADERS, NULL, k, (const char *const *const *)cells,
				     &data, &len, err, sizeof err) != 0) {
			json_decref(b);
			return render_error(r, 500, err);
		}
		buf_append(&r->body, data, len);
		free(data);
		r->ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
		fname = arena_printf(r->a, "pay-batch-%lld.xlsx", (long long)r->id);
	} else {
		buf_append(&r->body, "\xEF\xBB\xBF", 3);
		for (size_t c = 0; c < BANK_COLS; c++)
			buf_printf(&r->body, "%s%s", c ? "," : "", BANK_HEADERS[c]);
		buf_puts(&r->body, "\r\n");
		for (size_t row = 0; row < k; row++) {
			for (size_t c = 0; c < BANK_COLS; c++) {
				const char *v = cells[row][c];
				/* every cell quoted; a cell that a spreadsheet would read as a
				 * formula gets a leading ' (never the case for digits) */
				buf_puts(&r->body, c ? ",\"" : "\"");
				if (*v == '=' || *v == '+' || *v == '-' || *v == '@')
					buf_putc(&r->body, '\'');
				for (const char *p = v; *p; p++) {
					if (*p == '"')
						buf_putc(&r->body, '"');
					buf_putc(&r->body, *p);
				}
				buf_putc(&r->body, '"');
			}
			buf_puts(&r->body, "\r\n");
		}
		r->ctype = "text/csv; charset=utf-8";
		fname = arena_printf(r->a, "pay-batch-%lld.csv", (long long)r->id);
	}
	r->status = 200;
	resp_header(r, "Content-Disposition", arena_printf(r->a, "attachment; filename=\"%s\"", fname));
	resp_header(r, "Cache-Control", "private, no-store");
	/* a file with whole accounts and 身份证号 leaves the system: recorded */
	json_t *after = json_pack("{s:s, s:I, s:I}", "format", xlsx ? "xlsx" : "csv", "rows", (json_int_t)k, "total_fen", total);
	int rc = db_begin(r->db) == SQLITE_OK &&
			 audit(r, "payment.export", "pay_batch", r->id, jint(b, "district_id"), NULL, after) == 0 &&
			 db_commit(r->db) == SQLITE_OK
		     ? 0
		     : -1;
	json_decref(after);
	json_decref(b);
	return rc;
}

int page_pay_bank_csv(req_t *r)
{
	return export_bank(r, 0);
}

int page_pay_bank_xlsx(req_t *r)
{
	return export_bank(r, 1);
}

/* 领款清册: per school, pages of ROSTER_ROWS_PER_PAGE with a page total,
 * a school total and the batch total, a signature column and seal space. */
int page_pay_roster(req_t *r)
{
	json_t *b = load_batch(r);
	if (!b)
		return render_error(r, 404, "没有找到这个发放批次，或它不在您的管理范围内。");
	json_t *rows = batch_rows(r);
	json_t *schools = json_array(), *school = NULL, *page = NULL;
	json_int_t batch_total = 0, school_total = 0, page_total = 0, cur = -1;
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x)
	{
		if (!strcmp(jstr(x, "status"), "cancelled") || !strcmp(jstr(x, "status"), "failed"))
			continue;
		if (jint(x, "school_id") != cur) {
			if (school) {
				json_object_set_new(page, "total_fen", json_integer(page_total));
				json_object_set_new(school, "school_total_fen", json_integer(school_total));
			}
			school = json_pack("{s:s, s:[]}", "name", jstr(x, "school_name"), "pages");
			json_array_append_new(schools, school);
			page = NULL;
			school_total = 0;
			cur = jint(x, "school_id");
		}
		if (!page || json_array_size(json_object_get(page, "rows")) == ROSTER_ROWS_PER_PAGE) {
			if (page)
				json_object_set_new(page, "total_fen", json_integer(page_total));
			page = json_pack("{s:[], s:I}", "rows", "no", (json_int_t)json_array_size(json_object_get(school, "pages")) + 1);
			json_array_append_new(json_object_get(school, "pages"), page);
			page_total = 0;
		}
		char m[32];
		mask_idcard(jstr(x, "idcard"), m, sizeof m);
		char acct[32];
		mask_account(jstr(x, "account_no"), acct, sizeof acct);
		json_array_append_new(json_object_get(page, "rows"),
				      json_pack("{s:I, s:s, s:s, s:s, s:I}", "seq", (json_int_t)json_array_size(json_object_get(page, "rows")) + 1,
						"name", jstr(x, "name"), "idcard", m, "account", acct, "amount_fen", jint(x, "amount_fen")));
		page_total += jint(x, "amount_fen");
		school_total += jint(x, "amount_fen");
		batch_total += jint(x, "amount_fen");
	}
	if (school) {
		json_object_set_new(page, "total_fen", json_integer(page_total));
		json_object_set_new(school, "school_total_fen", json_integer(school_total));
	}
	json_decref(rows);
	json_t *c = page_ctx(r, "领款清册");
	json_object_set_new(c, "batch", b);
	json_object_set_new(c, "schools", schools);
	json_object_set_new(c, "total_fen", json_integer(batch_total));
	return render_bare(r, 200, "payments/roster.html", c);
}

int page_pay_sent(req_t *r)
{
	json_t *b = load_batch(r);
	if (!b)
		return render_error(r, 404, "没有找到这个发放批次，或它不在您的管理范围内。");
	json_t *rows = NULL;
	int rc = -1;
	if (db_begin(r->db) != SQLITE_OK)
		goto out;
	sqlite3_stmt *s = db_stmt(r->db, Q_PAY_BATCH_SENT);
	sqlite3_bind_int64(s, 1, r->id);
	if (db_exec_stmt(s) != SQLITE_DONE)
		goto out;
	if (sqlite3_changes(db_handle(r->db)) != 1) {
		db_rollback(r->db);
		rc = render_error(r, 409, "这个批次已经发送过了。");
		goto out;
	}
	sqlite3_stmt *p = db_stmt(r->db, Q_PAYMENTS_SENT);
	sqlite3_bind_int64(p, 1, r->id);
	sqlite3_stmt *cr = db_stmt(r->db, Q_PAYMENTS_CANCEL_REST);
	sqlite3_bind_int64(cr, 1, r->id);
	if (db_exec_stmt(p) != SQLITE_DONE || db_exec_stmt(cr) != SQLITE_DONE)
		goto out;
	/* the money allocated may have been cut since the batch was built */
	sqlite3_stmt *al = db_stmt(r->db, Q_ALLOCATED);
	sqlite3_bind_int64(al, 1, jint(b, "district_id"));
	sqlite3_bind_int64(al, 2, jint(b, "term_id"));
	sqlite3_bind_int64(al, 3, jint(b, "programme_id"));
	json_int_t allocated = sqlite3_step(al) == SQLITE_ROW ? sqlite3_column_int64(al, 0) : 0;
	sqlite3_reset(al);
	sqlite3_stmt *cm = db_stmt(r->db, Q_PAY_COMMITTED);
	sqlite3_bind_int64(cm, 1, jint(b, "district_id"));
	sqlite3_bind_int64(cm, 2, jint(b, "term_id"));
	sqlite3_bind_int64(cm, 3, jint(b, "programme_id"));
	json_int_t committed = sqlite3_step(cm) == SQLITE_ROW ? sqlite3_column_int64(cm, 0) : 0;
	sqlite3_reset(cm);
	if (committed > allocated) {
		db_rollback(r->db);
		rc = render_error(r, 409, "发放合计超出下达资金（下达资金可能已被调减），批次没有发送。请核对“名额与资金”。");
		goto out;
	}
	/* the rows really sent: awards still approved */
	rows = batch_rows(r);
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x)
	{
		if (strcmp(jstr(x, "status"), "sent") != 0)
			continue;
		ledger_entry e = {.district_id = jint(b, "district_id"), .term_id = jint(b, "term_id"),
				  .programme_id = jint(b, "programme_id"), .school_id = jint(x, "school_id"),
				  .kind = "payment", .amount_fen = jint(x, "amount_fen"), .payment_id = jint(x, "id"),
				  .reason = arena_printf(r->a, "发放批次 %lld；收款凭据 %s", (long long)r->id,
							 payment_digest(r->a, jstr(x, "idcard"), jstr(x, "account_no"), jint(x, "amount_fen"))),
				  .user_id = r->user->id};
		if (ledger_append(r->db, &e) != 0)
			goto out;
	}
	if (audit(r, "payment.sent", "pay_batch", r->id, jint(b, "district_id"), NULL, NULL) != 0 ||
	    db_commit(r->db) != SQLITE_OK)
		goto out;
	rc = 0;
	flash_set(r, "pay_sent");
	resp_redirect(r, arena_printf(r->a, "/payments/%lld", (long long)r->id));
out:
	json_decref(rows);
	json_decref(b);
	return rc;
}

/* The bank's return file: a row per payment, found by 备注 (ZZ-<id>), with
 * 结果 成功/失败 and 失败原因. Checked whole before anything is written. */
int page_pay_return(req_t *r)
{
	json_t *b = load_batch(r);
	if (!b)
		return render_error(r, 404, "没有找到这个发放批次，或它不在您的管理范围内。");
	if (strcmp(jstr(b, "status"), "sent") != 0) {
		json_decref(b);
		return render_error(r, 409, "只有已发送银行、尚未回盘的批次可以导入回盘文件。");
	}
	const upload_t *f = NULL;
	for (size_t i = 0; i < r->files.n; i++)
		if (strcmp(r->files.v[i].field, "file") == 0)
			f = &r->files.v[i];
	sheet_t sh;
	char err[512];
	if (!f || f->len == 0) {
		json_decref(b);
		return render_error(r, 400, "请选择银行的回盘文件（xlsx 或 CSV）。");
	}
	if (sheet_read(f->data, f->len, NULL, &sh, err, sizeof err) != 0) {
		json_decref(b);
		return render_error(r, 400, arena_strdup(r->a, err));
	}
	/* columns by header name */
	long c_ref = -1, c_res = -1, c_why = -1, c_amt = -1;
	if (sh.nrows > 0)
		for (size_t c = 0; c < sh.rows[0].ncells; c++) {
			const char *h = sh.rows[0].cells[c];
			if (!strcmp(h, "备注"))
				c_ref = (long)c;
			else if (!strcmp(h, "结果") || !strcmp(h, "处理结果"))
				c_res = (long)c;
			else if (!strcmp(h, "失败原因") || !strcmp(h, "原因"))
				c_why = (long)c;
			else if (!strncmp(h, "金额", 6))
				c_amt = (long)c;
		}
	json_t *rows = batch_rows(r);
	buf_t problems = BUF_INIT;
	json_t *results = json_array();
	if (c_ref < 0 || c_res < 0)
		buf_puts(&problems, "回盘文件须有“备注”和“结果”两列（备注为发放时导出的 ZZ- 编号）。");
	for (size_t i = 1; c_ref >= 0 && c_res >= 0 && i < sh.nrows; i++) {
		const sheet_row *row = &sh.rows[i];
		const char *ref = (size_t)c_ref < row->ncells ? row->cells[c_ref] : "";
		const char *res = (size_t)c_res < row->ncells ? row->cells[c_res] : "";
		const char *why = c_why >= 0 && (size_t)c_why < row->ncells ? row->cells[c_why] : "";
		const char *amt = c_amt >= 0 && (size_t)c_amt < row->ncells ? row->cells[c_amt] : "";
		long long pid = strncmp(ref, "ZZ-", 3) == 0 ? atoll(ref + 3) : 0;
		json_t *pay = NULL, *x;
		size_t k;
		json_array_foreach(rows, k, x) if (jint(x, "id") == pid) pay = x;
		int ok = !strcmp(res, "成功"), failed = !strcmp(res, "失败");
		int64_t fen;
		if (!pay)
			buf_printf(&problems, "第 %zu 行：备注“%s”不是这个批次的发放记录。", row->line, ref);
		else if (strcmp(jstr(pay, "status"), "sent") != 0)
			buf_printf(&problems, "第 %zu 行：这笔发放的状态是“%s”，不能再登记结果。", row->line, pay_status(jstr(pay, "status")));
		else if (!ok && !failed)
			buf_printf(&problems, "第 %zu 行：结果应为“成功”或“失败”。", row->line);
		else if (failed && !*why)
			buf_printf(&problems, "第 %zu 行：失败的记录须有失败原因。", row->line);
		else if (*amt && (money_parse_yuan(amt, 0, &fen) != 0 || fen != jint(pay, "amount_fen")))
			buf_printf(&problems, "第 %zu 行：金额“%s”与发放金额不符。", row->line, amt);
		else
			json_array_append_new(results, json_pack("{s:I, s:b, s:s}", "id", (json_int_t)pid, "ok", ok, "why", why));
		if (problems.len > 3000)
			break;
	}
	sheet_free(&sh);
	/* every row sent must come back exactly once */
	{
		size_t k;
		json_t *y;
		json_array_foreach(rows, k, y)
		{
			if (strcmp(jstr(y, "status"), "sent") != 0)
				continue;
			int seen = 0;
			size_t m;
			json_t *z;
			json_array_foreach(results, m, z) seen += jint(z, "id") == jint(y, "id");
			if (seen == 0 && problems.len < 3000)
				buf_printf(&problems, "缺少 ZZ-%lld（%s）的结果。", (long long)jint(y, "id"), jstr(y, "name"));
			else if (seen > 1 && problems.len < 3000)
				buf_printf(&problems, "ZZ-%lld 出现了 %d 次。", (long long)jint(y, "id"), seen);
		}
	}
	int rc = -1;
	if (problems.len) {
		rc = render_error(r, 400, arena_printf(r->a, "回盘文件有问题，没有登记任何结果：%s", buf_cstr(&problems)));
		goto out;
	}
	char hash[65];
	sha256_hex(f->data, f->len, hash);
	if (db_begin(r->db) != SQLITE_OK)
		goto out;
	size_t i;
	json_t *x;
	int paid = 0, failed = 0;
	json_array_foreach(results, i, x)
	{
		int ok = json_is_true(json_object_get(x, "ok"));
		sqlite3_stmt *u = db_stmt(r->db, Q_PAYMENT_RESULT);
		sqlite3_bind_int64(u, 1, jint(x, "id"));
		db_bind_text(u, 2, ok ? "paid" : "failed");
		db_bind_text(u, 3, ok ? "" : jstr(x, "why"));
		if (db_exec_stmt(u) != SQLITE_DONE || sqlite3_changes(db_handle(r->db)) != 1)
			goto out;
		if (ok) {
			paid++;
			continue;
		}
		failed++;
		json_t *pay = NULL, *y;
		size_t k;
		json_array_foreach(rows, k, y) if (jint(y, "id") == jint(x, "id")) pay = y;
		ledger_entry e = {.district_id = jint(b, "district_id"), .term_id = jint(b, "term_id"),
				  .programme_id = jint(b, "programme_id"), .school_id = jint(pay, "school_id"),
				  .kind = "failure", .amount_fen = -jint(pay, "amount_fen"), .payment_id = jint(x, "id"),
				  .reason = arena_printf(r->a, "银行退回：%s", jstr(x, "why")), .user_id = r->user->id};
		if (ledger_append(r->db, &e) != 0)
			goto out;
	}
	sqlite3_stmt *s = db_stmt(r->db, Q_PAY_BATCH_RETURNED);
	sqlite3_bind_int64(s, 1, r->id);
	db_bind_text(s, 2, hash);
	json_t *after = json_pack("{s:i, s:i, s:s}", "paid", paid, "failed", failed, "file_sha256", hash);
	int arc = db_exec_stmt(s) == SQLITE_DONE ? audit(r, "payment.return", "pay_batch", r->id, jint(b, "district_id"), NULL, after) : -1;
	json_decref(after);
	if (arc || db_commit(r->db) != SQLITE_OK)
		goto out;
	rc = 0;
	flash_set(r, "pay_returned");
	resp_redirect(r, arena_printf(r->a, "/payments/%lld", (long long)r->id));
out:
	buf_free(&problems);
	json_decref(results);
	json_decref(rows);
	json_decref(b);
	return rc;
}

/* Failed rows with a corrected account (acct_<id>, type_<id>, bank_<id>)
 * go into a new re-issue batch. */
int page_pay_reissue(req_t *r)
{
	json_t *b = load_batch(r);
	if (!b)
		return render_error(r, 404, "没有找到这个发放批次，或它不在您的管理范围内。");
	json_t *rows = batch_rows(r);
	json_t *fixes = json_array();
	buf_t problems = BUF_INIT;
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x)
	{
		if (strcmp(jstr(x, "status"), "failed") || jint(x, "reissued"))
			continue;
		long long id = (long long)jint(x, "id");
		const char *acct = form_str(r, arena_printf(r->a, "acct_%lld", id));
		const char *type = form_str(r, arena_printf(r->a, "type_%lld", id));
		const char *bank = form_str(r, arena_printf(r->a, "bank_%lld", id));
		if (!*acct)
			continue;
		if (strlen(acct) < 8 || strlen(acct) > 30 || strspn(acct, "0123456789") != strlen(acct))
			buf_printf(&problems, "%s 的新账号应为 8-30 位数字。", jstr(x, "name"));
		else if (strcmp(type, "资助卡") && strcmp(type, "社保卡"))
			buf_printf(&problems, "%s 的账户类型请选 资助卡 或 社保卡。", jstr(x, "name"));
		else if (utf8_chars(bank) > 64)
			buf_printf(&problems, "%s 的开户银行过长。", jstr(x, "name"));
		else
			json_array_append_new(fixes, json_pack("{s:O, s:s, s:s, s:s}", "row", x, "acct", acct, "type", type,
							       "bank", *bank ? bank : jstr(x, "bank")));
	}
	int rc = -1;
	if (problems.len || json_array_size(fixes) == 0) {
		rc = render_error(r, 400, problems.len ? arena_strdup(r->a, buf_cstr(&problems))
						       : "请至少为一笔失败的发放填写更正后的账号。");
		goto out;
	}
	if (db_begin(r->db) != SQLITE_OK)
		goto out;
	sqlite3_stmt *nb = db_stmt(r->db, Q_PAY_BATCH_ADD);
	sqlite3_bind_int64(nb, 1, jint(b, "district_id"));
	sqlite3_bind_int64(nb, 2, jint(b, "term_id"));
	sqlite3_bind_int64(nb, 3, jint(b, "programme_id"));
	db_bind_text(nb, 4, "reissue");
	sqlite3_bind_int64(nb, 5, r->user->id);
	if (db_exec_stmt(nb) != SQLITE_DONE)
		goto out;
	int64_t batch = sqlite3_last_insert_rowid(db_handle(r->db));
	json_array_foreach(fixes, i, x)
	{
		json_t *row = json_object_get(x, "row");
		sqlite3_stmt *m = db_stmt(r->db, Q_PAYMENT_REISSUED);
		sqlite3_bind_int64(m, 1, jint(row, "id"));
		if (db_exec_stmt(m) != SQLITE_DONE || sqlite3_changes(db_handle(r->db)) != 1)
			goto out;
		sqlite3_stmt *p = db_stmt(r->db, Q_PAYMENT_ADD);
		sqlite3_bind_int64(p, 1, batch);
		sqlite3_bind_int64(p, 2, jint(row, "award_id"));
		db_bind_text(p, 3, jstr(row, "idcard"));
		db_bind_text(p, 4, jstr(row, "name"));
		sqlite3_bind_int64(p, 5, jint(row, "school_id"));
		sqlite3_bind_int64(p, 6, jint(b, "term_id"));
		sqlite3_bind_int64(p, 7, jint(b, "programme_id"));
		db_bind_text(p, 8, jstr(x, "type"));
		db_bind_text(p, 9, jstr(x, "acct"));
		db_bind_text(p, 10, jstr(x, "bank"));
		sqlite3_bind_int64(p, 11, jint(row, "amount_fen"));
		if (db_exec_stmt(p) != SQLITE_DONE)
			goto out;
	}
	json_t *after = json_pack("{s:I, s:I}", "from_batch", (json_int_t)r->id, "rows", (json_int_t)json_array_size(fixes));
	int arc = audit(r, "payment.reissue", "pay_batch", batch, jint(b, "district_id"), NULL, after);
	json_decref(after);
	if (arc || db_commit(r->db) != SQLITE_OK)
		goto out;
	rc = 0;
	flash_set(r, "pay_reissue");
	resp_redirect(r, arena_printf(r->a, "/payments/%lld", (long long)batch));
out:
	buf_free(&problems);
	json_decref(fixes);
	json_decref(rows);
	json_decref(b);
	return rc;
}

/* the kinds of ledger entry, and their names on the page */
static const char *const LEDGER_KINDS[][2] = {
	{"allocation", "下达"}, {"payment", "发放"}, {"failure", "退回"}, {"reversal", "冲正"}};
#define N_LEDGER_KINDS (sizeof LEDGER_KINDS / sizeof LEDGER_KINDS[0])

typedef struct {
	json_int_t term, programme, school, district; /* 0: any (district: always one) */
	const char *kind;                             /* "" : any */
	long total;                                   /* set by ledger_entries */
	json_int_t sum_fen;
} ledger_filter_t;

/* The entries of f, newest first: limit of them after offset. Sets
 * f->total and f->sum_fen over all that match. */
static json_t *ledger_entries(req_t *r, ledger_filter_t *f, long limit, long offset)
{
	sqlite3_stmt *cnt = db_stmt(r->db, Q_LEDGER_COUNT);
	sqlite3_stmt *s = db_stmt(r->db, Q_LEDGER_PAGE);
	sqlite3_stmt *both[2] = {cnt, s};
	for (int k = 0; k < 2; k++) {
		db_bind_text(both[k], 1, scope_path(r));
		sqlite3_bind_int64(both[k], 2, f->term);
		sqlite3_bind_int64(both[k], 3, f->programme);
		db_bind_text(both[k], 4, f->kind);
		sqlite3_bind_int64(both[k], 5, f->school);
		sqlite3_bind_int64(both[k], 6, f->district);
	}
	f->total = 0;
	f->sum_fen = 0;
	if (sqlite3_step(cnt) == SQLITE_ROW) {
		f->total = (long)sqlite3_column_int64(cnt, 0);
		f->sum_fen = sqlite3_column_int64(cnt, 1);
	}
	sqlite3_reset(cnt);
	sqlite3_bind_int64(s, 7, limit);
	sqlite3_bind_int64(s, 8, offset);
	json_t *rows = db_rows(s);
	size_t i;
	json_t *x;
	json_array_foreach(rows, i, x) for (size_t k = 0; k < N_LEDGER_KINDS; k++)
		if (strcmp(jstr(x, "kind"), LEDGER_KINDS[k][0]) == 0)
			json_object_set_new(x, "kind_label", json_string(LEDGER_KINDS[k][1]));
	return rows;
}

/* rows of Q_ORG_CHILDREN of parent, the one with id want marked; returns
 * want when it is among them, else 0 */
static json_int_t org_options(req_t *r, json_int_t parent, json_int_t want, json_t **out)
{
	sqlite3_stmt *o = db_stmt(r->db, Q_ORG_CHILDREN);
	sqlite3_bind_int64(o, 1, parent);
	*out = db_rows(o);
	json_int_t found = 0;
	size_t i;
	json_t *x;
	json_array_foreach(*out, i, x)
	{
		json_object_set_new(x, "selected", json_boolean(jint(x, "id") == want));
		if (jint(x, "id") == want)
			found = want;
	}
	return found;
}

/* Reconciliation for a term: per programme, allocated / paid / failed /
 * pending / remainder, and per school; for a district, the term's latest
 * entries. */
int page_ledger(req_t *r)
{
	sqlite3_stmt *t = db_stmt(r->db, Q_TERMS);
	sqlite3_bind_int64(t, 1, r->user->org_id);
	json_t *terms = db_rows(t);
	json_t *chosen = term_choose(terms, atoll(query_str(r, "term")));
	json_int_t term = chosen ? jint(chosen, "id") : 0;
	size_t i;
	json_t *x;
	sqlite3_stmt *a = db_stmt(r->db, Q_RECONCILE_ALLOC);
	db_bind_text(a, 1, scope_path(r));
	sqlite3_bind_int64(a, 2, term);
	json_t *progs = db_rows(a);
	sqlite3_stmt *s = db_stmt(r->db, Q_RECONCILE);
	db_bind_text(s, 1, scope_path(r));
	sqlite3_bind_int64(s, 2, term);
	json_t *rows = db_rows(s);
	/* sum the school rows into their programme */
	json_array_foreach(rows, i, x)
	{
		json_t *p = NULL, *y;
		size_t k;
		json_array_foreach(progs, k, y) if (jint(y, "programme_id") == jint(x, "programme_id")) p = y;
		if (!p) {
			p = json_pack("{s:I, s:s, s:I}", "programme_id", jint(x, "programme_id"), "programme_name",
				      jstr(x, "programme_name"), "allocated_fen", (json_int_t)0);
			json_array_append_new(progs, p);
		}
		static const char *const f[] = {"paid_fen", "failed_fen", "pending_fen", "paid_n"};
		for (int j = 0; j < 4; j++)
			json_object_set_new(p, f[j], json_integer(jint(p, f[j]) + jint(x, f[j])));
		if (!json_object_get(p, "schools"))
			json_object_set_new(p, "schools", json_array());
		json_array_append(json_object_get(p, "schools"), x);
	}
	json_array_foreach(progs, i, x)
		json_object_set_new(x, "remaining_fen", json_integer(jint(x, "allocated_fen") - jint(x, "paid_fen") - jint(x, "pending_fen")));
	json_decref(rows);
	json_t *c = page_ctx(r, "发放台账");
	json_object_set_new(c, "term", json_integer(term));
	json_object_set_new(c, "terms", terms);
	json_object_set_new(c, "programmes", progs);
	if (strcmp(r->user->org_kind, "district") == 0) {
		ledger_filter_t f = {.term = term, .district = r->user->org_id, .kind = ""};
		json_object_set_new(c, "entries", ledger_entries(r, &f, 20, 0));
	}
	if (kv_get(&r->query, "verify")) {
		int64_t bad = 0;
		long n = ledger_verify(r->db, &bad);
		json_object_set_new(c, "verified", json_pack("{s:I, s:I, s:b}", "checked", (json_int_t)n, "bad", (json_int_t)bad, "ok", n >= 0 && bad == 0));
	}
	return render(r, 200, "payments/ledger.html", c);
}

/* 台账记录: the entries of one district and term, newest first, 50 a page,
 * narrowed by programme, kind and school. A city reader picks the district
 * (the first one unless asked). */
int page_ledger_entries(req_t *r)
{
	sqlite3_stmt *t = db_stmt(r->db, Q_TERMS);
	sqlite3_bind_int64(t, 1, r->user->org_id);
	json_t *terms = db_rows(t);
	json_t *chosen = term_choose(terms, atoll(query_str(r, "term")));
	ledger_filter_t f = {.term = chosen ? jint(chosen, "id") : 0,
			     .programme = atoll(query_str(r, "programme")), .kind = query_str(r, "kind")};
	int kind_ok = !*f.kind;
	for (size_t k = 0; k < N_LEDGER_KINDS; k++)
		kind_ok |= strcmp(f.kind, LEDGER_KINDS[k][0]) == 0;
	if (!kind_ok) {
		json_decref(terms);
		return render_error(r, 400, "台账记录类型只能是下达、发放、退回或冲正，请从列表中选择。");
	}
	json_t *districts = NULL, *schools = NULL;
	if (strcmp(r->user->org_kind, "city") == 0) {
		f.district = org_options(r, r->user->org_id, atoll(query_str(r, "district")), &districts);
		if (!f.district && json_array_size(districts)) {
			f.district = jint(json_array_get(districts, 0), "id");
			json_object_set_new(json_array_get(districts, 0), "selected", json_true());
		}
	} else {
		f.district = r->user->org_id;
	}
	f.school = org_options(r, f.district, atoll(query_str(r, "school")), &schools);
	long page = query_page(r);
	json_t *rows = ledger_entries(r, &f, PER_PAGE, (page - 1) * PER_PAGE);
	json_t *kinds = json_array();
	for (size_t k = 0; k < N_LEDGER_KINDS; k++)
		json_array_append_new(kinds, json_pack("{s:s, s:s, s:b}", "value", LEDGER_KINDS[k][0], "label",
						       LEDGER_KINDS[k][1], "selected", strcmp(f.kind, LEDGER_KINDS[k][0]) == 0));
	sqlite3_stmt *p = db_stmt(r->db, Q_PROGRAMMES_ALL);
	json_t *progs = db_rows(p);
	size_t i;
	json_t *x;
	json_array_foreach(progs, i, x) json_object_set_new(x, "selected", json_boolean(jint(x, "id") == f.programme));
	json_t *c = page_ctx(r, "台账记录");
	json_object_set_new(c, "term", json_integer(f.term));
	json_object_set_new(c, "terms", terms);
	json_object_set_new(c, "programmes", progs);
	json_object_set_new(c, "kinds", kinds);
	if (districts)
		json_object_set_new(c, "districts", districts);
	json_object_set_new(c, "schools", schools);
	json_object_set_new(c, "rows", rows);
	json_object_set_new(c, "sum_fen", json_integer(f.sum_fen));
	json_object_set_new(c, "filtered", json_boolean(f.programme || f.school || *f.kind));
	pager_set(r, c, page, PER_PAGE, f.total);
	return render(r, 200, "payments/entries.html", c);
}
