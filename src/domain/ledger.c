/* ledger.c - the hash chain of the 发放台账. The hash of an entry covers
 * the previous hash and every field, written in one fixed text form:
 *   prev|at|district|term|programme|school|kind|amount|payment|reason|user
 * so the chain can be recomputed by anyone with the table. */
#include "ledger.h"
#include "core/buf.h"
#include "db/queries.h"
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static void entry_hash(const char *prev, const char *at, const ledger_entry *e, char out[65])
{
	buf_t b = BUF_INIT;
	buf_printf(&b, "%s|%s|%lld|%lld|%lld|%lld|%s|%lld|%lld|", prev, at, (long long)e->district_id,
		   (long long)e->term_id, (long long)e->programme_id, (long long)e->school_id, e->kind,
		   (long long)e->amount_fen, (long long)e->payment_id);
	buf_puts(&b, e->reason ? e->reason : "");
	buf_printf(&b, "|%lld", (long long)e->user_id);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)b.data, b.len);
	sodium_bin2hex(out, 65, h, sizeof h);
	buf_free(&b);
}

/* The chain starts from 64 zeros. */
static const char GENESIS[] = "0000000000000000000000000000000000000000000000000000000000000000";

int ledger_append(db_t *db, const ledger_entry *e)
{
	char prev[65] = "", hash[65], at[32];
	sqlite3_stmt *l = db_stmt(db, Q_LEDGER_LAST);
	if (sqlite3_step(l) == SQLITE_ROW)
		snprintf(prev, sizeof prev, "%s", (const char *)sqlite3_column_text(l, 0));
	else
		snprintf(prev, sizeof prev, "%s", GENESIS);
	sqlite3_reset(l);
	time_t t = time(NULL);
	struct tm tm;
	localtime_r(&t, &tm);
	strftime(at, sizeof at, "%Y-%m-%dT%H:%M:%S", &tm);
	entry_hash(prev, at, e, hash);
	sqlite3_stmt *s = db_stmt(db, Q_LEDGER_INSERT);
	db_bind_text(s, 1, at);
	sqlite3_bind_int64(s, 2, e->district_id);
	sqlite3_bind_int64(s, 3, e->term_id);
	sqlite3_bind_int64(s, 4, e->programme_id);
	if (e->school_id)
		sqlite3_bind_int64(s, 5, e->school_id);
	db_bind_text(s, 6, e->kind);
	sqlite3_bind_int64(s, 7, e->amount_fen);
	if (e->payment_id)
		sqlite3_bind_int64(s, 8, e->payment_id);
	db_bind_text(s, 9, e->reason ? e->reason : "");
	if (e->user_id)
		sqlite3_bind_int64(s, 10, e->user_id);
	db_bind_text(s, 11, prev);
	db_bind_text(s, 12, hash);
	return db_exec_stmt(s) == SQLITE_DONE ? 0 : -1;
}

void ledger_payment_digest(const char *idcard, const char *account, long long fen, char out[17])
{
	buf_t t = BUF_INIT;
	buf_printf(&t, "%s|%s|%lld", idcard, account, fen);
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)t.data, t.len);
	buf_free(&t);
	char hex[65];
	sodium_bin2hex(hex, sizeof hex, h, sizeof h);
	memcpy(out, hex, 16);
	out[16] = '\0';
}

long ledger_verify(db_t *db, int64_t *bad)
{
	*bad = 0;
	char prev[65];
	snprintf(prev, sizeof prev, "%s", GENESIS);
	sqlite3_stmt *s = db_stmt(db, Q_LEDGER_ALL);
	long n = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		ledger_entry e;
		memset(&e, 0, sizeof e);
		int64_t id = sqlite3_column_int64(s, 0);
		const char *at = (const char *)sqlite3_column_text(s, 1);
		e.district_id = sqlite3_column_int64(s, 2);
		e.term_id = sqlite3_column_int64(s, 3);
		e.programme_id = sqlite3_column_int64(s, 4);
		e.school_id = sqlite3_column_int64(s, 5);
		e.kind = (const char *)sqlite3_column_text(s, 6);
		e.amount_fen = sqlite3_column_int64(s, 7);
		e.payment_id = sqlite3_column_int64(s, 8);
		e.reason = (const char *)sqlite3_column_text(s, 9);
		e.user_id = sqlite3_column_int64(s, 10);
		const char *stored_prev = (const char *)sqlite3_column_text(s, 11);
		const char *stored = (const char *)sqlite3_column_text(s, 12);
		char want[65];
		entry_hash(prev, at ? at : "", &e, want);
		n++;
		if (!stored_prev || strcmp(stored_prev, prev) != 0 || !stored || strcmp(stored, want) != 0) {
			*bad = id;
			break;
		}
		snprintf(prev, sizeof prev, "%s", stored);
		/* a payment entry carries the fingerprint of the row paid: the row
		 * must still say who, which account and how much */
		const char *fp = e.reason ? strstr(e.reason, "收款凭据 ") : NULL;
		if (e.payment_id && fp && !strcmp(e.kind, "payment")) {
			fp += strlen("收款凭据 ");
			sqlite3_stmt *p = db_stmt(db, Q_PAYMENT_DIGEST_ROW);
			sqlite3_bind_int64(p, 1, e.payment_id);
			char want_fp[17] = "";
			if (sqlite3_step(p) == SQLITE_ROW)
				ledger_payment_digest((const char *)sqlite3_column_text(p, 0),
						      (const char *)sqlite3_column_text(p, 1),
						      (long long)sqlite3_column_int64(p, 2), want_fp);
			sqlite3_reset(p);
			if (strncmp(fp, want_fp, 16) != 0) {
				*bad = id;
				break;
			}
		}
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? n : -1;
}
