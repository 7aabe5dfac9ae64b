/* ledger.h - the 发放台账: append-only entries chained by SHA-256, so a
 * row changed behind the program's back is found by verification. */
#ifndef ZZ_LEDGER_H
#define ZZ_LEDGER_H
#include "db/db.h"
#include <stdint.h>

typedef struct {
	int64_t district_id, term_id, programme_id;
	int64_t school_id;      /* 0: none (allocations) */
	const char *kind;       /* allocation, payment, failure, reversal */
	int64_t amount_fen;     /* signed */
	int64_t payment_id;     /* 0: none */
	const char *reason;
	int64_t user_id;        /* 0: the command line */
} ledger_entry;

/* Append one entry inside the caller's transaction (BEGIN IMMEDIATE, so
 * nobody else can append between reading the last hash and writing).
 * Returns 0 or -1. */
int ledger_append(db_t *db, const ledger_entry *e);
/* The fingerprint a payment entry carries (16 hex digits of the SHA-256
 * of "idcard|account|amount"), so a payment row changed later is found by
 * verification. */
void ledger_payment_digest(const char *idcard, const char *account, long long fen, char out[17]);
/* Recompute the chain from the first entry. Returns the number of entries
 * checked; *bad is set to the id of the first entry whose hash or link does
 * not match (0 when all match). -1 on a database error. */
long ledger_verify(db_t *db, int64_t *bad);

#endif
