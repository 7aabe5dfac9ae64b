-- 006_ledger.sql - 发放: payment batches built from approved awards, the
-- rows sent to the bank and what the bank returned, and the ledger (发放
-- 台账): every movement of money as a new, hash-chained entry.

-- 发放批次: one programme and term of a district; a re-issue batch carries
-- the rows that failed, with corrected accounts.
CREATE TABLE pay_batch (
	id INTEGER PRIMARY KEY,
	district_id INTEGER NOT NULL REFERENCES org(id),
	term_id INTEGER NOT NULL REFERENCES term(id),
	programme_id INTEGER NOT NULL REFERENCES programme(id),
	kind TEXT NOT NULL DEFAULT 'normal' CHECK (kind IN ('normal', 'reissue')),
	status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'sent', 'returned')),
	created_by INTEGER NOT NULL REFERENCES user(id),
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
	sent_at TEXT,
	returned_at TEXT,
	return_file_sha256 TEXT
);

-- One row to pay. The account is copied from the roster when the batch is
-- built (stored whole, shown masked). A row is paid once and only once:
-- the partial unique index refuses a second live row for the same child,
-- programme and term anywhere in the city.
CREATE TABLE payment (
	id INTEGER PRIMARY KEY,
	pay_batch_id INTEGER NOT NULL REFERENCES pay_batch(id),
	award_id INTEGER NOT NULL REFERENCES award(id),
	idcard TEXT NOT NULL,
	name TEXT NOT NULL,
	school_id INTEGER NOT NULL REFERENCES org(id),
	term_id INTEGER NOT NULL REFERENCES term(id),
	programme_id INTEGER NOT NULL REFERENCES programme(id),
	account_type TEXT NOT NULL,
	account_no TEXT NOT NULL,
	bank TEXT NOT NULL,
	amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
	status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'sent', 'paid', 'failed', 'cancelled')),
	fail_reason TEXT NOT NULL DEFAULT '',
	reissued INTEGER NOT NULL DEFAULT 0 CHECK (reissued IN (0, 1))
);
CREATE UNIQUE INDEX payment_once ON payment(idcard, term_id, programme_id)
	WHERE status IN ('pending', 'sent', 'paid');
CREATE INDEX payment_batch ON payment(pay_batch_id);

-- 发放台账: append-only. amount_fen is signed: allocations and payments
-- positive; a failure or a reversal negative. hash = SHA-256 of the
-- previous entry's hash and this entry's fields (src/domain/ledger.c).
CREATE TABLE ledger (
	id INTEGER PRIMARY KEY,
	at TEXT NOT NULL,
	district_id INTEGER NOT NULL REFERENCES org(id),
	term_id INTEGER NOT NULL REFERENCES term(id),
	programme_id INTEGER NOT NULL REFERENCES programme(id),
	school_id INTEGER REFERENCES org(id),
	kind TEXT NOT NULL CHECK (kind IN ('allocation', 'payment', 'failure', 'reversal')),
	amount_fen INTEGER NOT NULL,
	payment_id INTEGER REFERENCES payment(id),
	reason TEXT NOT NULL DEFAULT '',
	user_id INTEGER REFERENCES user(id),
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL UNIQUE
);
CREATE INDEX ledger_scope ON ledger(district_id, term_id, programme_id);
CREATE TRIGGER ledger_no_update BEFORE UPDATE ON ledger
BEGIN SELECT RAISE(ABORT, 'ledger is append-only: correct with a reversing entry'); END;
CREATE TRIGGER ledger_no_delete BEFORE DELETE ON ledger
BEGIN SELECT RAISE(ABORT, 'ledger is append-only: correct with a reversing entry'); END;
