-- 011_list_speed.sql - what the busiest list pages read, kept where they can
-- read it without visiting every row of a city.
--
-- 1. The grade and class of an application. The 申请表 records the class the
--    child was in when the family applied; while the application is a draft
--    or returned to the school it follows the roster (a corrected class, the
--    学年升级), once submitted it stays as it was. The applications list
--    filters and counts by them over one index, without looking up each
--    student (student_id is in it for the name search).
ALTER TABLE application ADD COLUMN grade TEXT NOT NULL DEFAULT '';
ALTER TABLE application ADD COLUMN class_name TEXT NOT NULL DEFAULT '';
UPDATE application SET grade = s.grade, class_name = s.class_name
	FROM student s WHERE s.id = application.student_id;
DROP INDEX application_school;
CREATE INDEX application_school ON application(school_id, school_year, status, grade, class_name, score, student_id);
CREATE TRIGGER application_follows_class AFTER UPDATE OF grade, class_name ON student
BEGIN
	UPDATE application SET grade = NEW.grade, class_name = NEW.class_name
	WHERE student_id = NEW.id AND status IN ('draft', 'returned');
END;

-- 2. The 台账 reconciliation per term × district × school × programme: what
--    was paid, failed (and not yet re-issued) and is still pending, kept by
--    triggers on every change of a payment row, so that no write path can
--    forget it. `zizhu verify-ledger` checks it against the payment rows.
CREATE TABLE payment_total (
	term_id INTEGER NOT NULL REFERENCES term(id),
	district_id INTEGER NOT NULL REFERENCES org(id),
	school_id INTEGER NOT NULL REFERENCES org(id),
	programme_id INTEGER NOT NULL REFERENCES programme(id),
	paid_fen INTEGER NOT NULL DEFAULT 0,
	paid_n INTEGER NOT NULL DEFAULT 0,
	failed_fen INTEGER NOT NULL DEFAULT 0,          -- failed and not re-issued
	pending_fen INTEGER NOT NULL DEFAULT 0,         -- pending or sent
	PRIMARY KEY (term_id, district_id, school_id, programme_id)
) WITHOUT ROWID;

INSERT INTO payment_total (term_id, district_id, school_id, programme_id, paid_fen, paid_n, failed_fen, pending_fen)
SELECT x.term_id, b.district_id, x.school_id, x.programme_id,
	coalesce(sum(CASE WHEN x.status = 'paid' THEN x.amount_fen END), 0),
	coalesce(sum(CASE WHEN x.status = 'paid' THEN 1 END), 0),
	coalesce(sum(CASE WHEN x.status = 'failed' AND x.reissued = 0 THEN x.amount_fen END), 0),
	coalesce(sum(CASE WHEN x.status IN ('pending', 'sent') THEN x.amount_fen END), 0)
FROM payment x JOIN pay_batch b ON b.id = x.pay_batch_id
GROUP BY x.term_id, b.district_id, x.school_id, x.programme_id;

CREATE TRIGGER payment_total_insert AFTER INSERT ON payment
BEGIN
	INSERT INTO payment_total (term_id, district_id, school_id, programme_id, paid_fen, paid_n, failed_fen, pending_fen)
	SELECT NEW.term_id, b.district_id, NEW.school_id, NEW.programme_id,
		CASE WHEN NEW.status = 'paid' THEN NEW.amount_fen ELSE 0 END,
		NEW.status = 'paid',
		CASE WHEN NEW.status = 'failed' AND NEW.reissued = 0 THEN NEW.amount_fen ELSE 0 END,
		CASE WHEN NEW.status IN ('pending', 'sent') THEN NEW.amount_fen ELSE 0 END
	FROM pay_batch b WHERE b.id = NEW.pay_batch_id
	ON CONFLICT DO UPDATE SET paid_fen = paid_fen + excluded.paid_fen, paid_n = paid_n + excluded.paid_n,
		failed_fen = failed_fen + excluded.failed_fen, pending_fen = pending_fen + excluded.pending_fen;
END;

-- A changed row takes out what the old row added and adds the new one's.
CREATE TRIGGER payment_total_update AFTER UPDATE OF status, reissued, amount_fen, term_id, school_id,
	programme_id, pay_batch_id ON payment
BEGIN
	UPDATE payment_total SET
		paid_fen = paid_fen - CASE WHEN OLD.status = 'paid' THEN OLD.amount_fen ELSE 0 END,
		paid_n = paid_n - (OLD.status = 'paid'),
		failed_fen = failed_fen - CASE WHEN OLD.status = 'failed' AND OLD.reissued = 0 THEN OLD.amount_fen ELSE 0 END,
		pending_fen = pending_fen - CASE WHEN OLD.status IN ('pending', 'sent') THEN OLD.amount_fen ELSE 0 END
	WHERE term_id = OLD.term_id AND school_id = OLD.school_id AND programme_id = OLD.programme_id
		AND district_id = (SELECT district_id FROM pay_batch WHERE id = OLD.pay_batch_id);
	INSERT INTO payment_total (term_id, district_id, school_id, programme_id, paid_fen, paid_n, failed_fen, pending_fen)
	SELECT NEW.term_id, b.district_id, NEW.school_id, NEW.programme_id,
		CASE WHEN NEW.status = 'paid' THEN NEW.amount_fen ELSE 0 END,
		NEW.status = 'paid',
		CASE WHEN NEW.status = 'failed' AND NEW.reissued = 0 THEN NEW.amount_fen ELSE 0 END,
		CASE WHEN NEW.status IN ('pending', 'sent') THEN NEW.amount_fen ELSE 0 END
	FROM pay_batch b WHERE b.id = NEW.pay_batch_id
	ON CONFLICT DO UPDATE SET paid_fen = paid_fen + excluded.paid_fen, paid_n = paid_n + excluded.paid_n,
		failed_fen = failed_fen + excluded.failed_fen, pending_fen = pending_fen + excluded.pending_fen;
END;

CREATE TRIGGER payment_total_delete AFTER DELETE ON payment
BEGIN
	UPDATE payment_total SET
		paid_fen = paid_fen - CASE WHEN OLD.status = 'paid' THEN OLD.amount_fen ELSE 0 END,
		paid_n = paid_n - (OLD.status = 'paid'),
		failed_fen = failed_fen - CASE WHEN OLD.status = 'failed' AND OLD.reissued = 0 THEN OLD.amount_fen ELSE 0 END,
		pending_fen = pending_fen - CASE WHEN OLD.status IN ('pending', 'sent') THEN OLD.amount_fen ELSE 0 END
	WHERE term_id = OLD.term_id AND school_id = OLD.school_id AND programme_id = OLD.programme_id
		AND district_id = (SELECT district_id FROM pay_batch WHERE id = OLD.pay_batch_id);
END;

-- 3. The 台账 entries page: 50 entries at a time, newest first, for one
--    district and term, narrowed by programme, kind and school. The page
--    walks ledger_list from the newest entry; the count and sum come from
--    ledger_total, kept by a trigger (the ledger is append-only, so an
--    insert is the only change). ledger_list starts with the columns of
--    ledger_scope, which it replaces.
DROP INDEX ledger_scope;
CREATE INDEX ledger_list ON ledger(district_id, term_id, id, programme_id, kind, school_id);

CREATE TABLE ledger_total (
	district_id INTEGER NOT NULL REFERENCES org(id),
	term_id INTEGER NOT NULL REFERENCES term(id),
	programme_id INTEGER NOT NULL REFERENCES programme(id),
	kind TEXT NOT NULL,
	school_id INTEGER NOT NULL,                     -- 0: an entry of no school (an allocation)
	n INTEGER NOT NULL,
	amount_fen INTEGER NOT NULL,
	PRIMARY KEY (district_id, term_id, programme_id, kind, school_id)
) WITHOUT ROWID;

INSERT INTO ledger_total (district_id, term_id, programme_id, kind, school_id, n, amount_fen)
SELECT district_id, term_id, programme_id, kind, coalesce(school_id, 0), count(*), sum(amount_fen)
FROM ledger GROUP BY district_id, term_id, programme_id, kind, coalesce(school_id, 0);

CREATE TRIGGER ledger_total_insert AFTER INSERT ON ledger
BEGIN
	INSERT INTO ledger_total (district_id, term_id, programme_id, kind, school_id, n, amount_fen)
	VALUES (NEW.district_id, NEW.term_id, NEW.programme_id, NEW.kind, coalesce(NEW.school_id, 0), 1, NEW.amount_fen)
	ON CONFLICT DO UPDATE SET n = n + 1, amount_fen = amount_fen + excluded.amount_fen;
END;
