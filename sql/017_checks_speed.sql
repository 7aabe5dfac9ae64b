-- 017_checks_speed.sql - the checks (预警) of a city without reading its
-- 5 million past records and million students on every visit.
--
-- The two kept tables below are kept by triggers that recompute a key from
-- the rows it depends on (award, past_award, student), never from another
-- kept value, so that the order in which SQLite fires the triggers of one
-- statement does not matter. tests/e2e/180-reports.sh checks them against
-- the rows.
--
-- 1. 重复资助: the (身份证号, 学期, 项目) aided more than once, counting the
--    approved awards and the imported past records together. Few rows: the
--    check reads these and then the records of each.
CREATE TABLE aid_twice (
	idcard TEXT NOT NULL,
	term_id INTEGER NOT NULL REFERENCES term(id),
	programme_id INTEGER NOT NULL REFERENCES programme(id),
	PRIMARY KEY (idcard, term_id, programme_id)
) WITHOUT ROWID;

-- The triggers count the past records of a key in the index alone.
DROP INDEX past_award_idcard;
CREATE INDEX past_award_idcard ON past_award(idcard, term_id, programme_id);

INSERT INTO aid_twice (idcard, term_id, programme_id)
SELECT idcard, term_id, programme_id FROM (
	SELECT idcard, term_id, programme_id FROM award WHERE status = 'approved'
	UNION ALL SELECT idcard, term_id, programme_id FROM past_award)
GROUP BY idcard, term_id, programme_id HAVING count(*) > 1;

-- Each trigger recomputes the keys it touched (the old and the new one of
-- the row) from the rows: a key leaves when fewer than two records are left
-- and enters when two or more are there.
CREATE TRIGGER aid_twice_award_insert AFTER INSERT ON award
WHEN NEW.status = 'approved'
BEGIN
	INSERT OR IGNORE INTO aid_twice (idcard, term_id, programme_id)
	SELECT NEW.idcard, NEW.term_id, NEW.programme_id
	WHERE (SELECT count(*) FROM award w WHERE w.idcard = NEW.idcard AND w.term_id = NEW.term_id
			AND w.programme_id = NEW.programme_id AND w.status = 'approved')
		+ (SELECT count(*) FROM past_award x WHERE x.idcard = NEW.idcard AND x.term_id = NEW.term_id
			AND x.programme_id = NEW.programme_id) > 1;
END;
CREATE TRIGGER aid_twice_award_update AFTER UPDATE OF idcard, term_id, programme_id, status ON award
WHEN OLD.status = 'approved' OR NEW.status = 'approved'
BEGIN
	DELETE FROM aid_twice
	WHERE ((idcard = OLD.idcard AND term_id = OLD.term_id AND programme_id = OLD.programme_id)
			OR (idcard = NEW.idcard AND term_id = NEW.term_id AND programme_id = NEW.programme_id))
		AND (SELECT count(*) FROM award w WHERE w.idcard = aid_twice.idcard AND w.term_id = aid_twice.term_id
			AND w.programme_id = aid_twice.programme_id AND w.status = 'approved')
		+ (SELECT count(*) FROM past_award x WHERE x.idcard = aid_twice.idcard AND x.term_id = aid_twice.term_id
			AND x.programme_id = aid_twice.programme_id) < 2;
	INSERT OR IGNORE INTO aid_twice (idcard, term_id, programme_id)
	SELECT k.idcard, k.term_id, k.programme_id
	FROM (SELECT OLD.idcard AS idcard, OLD.term_id AS term_id, OLD.programme_id AS programme_id
		UNION SELECT NEW.idcard, NEW.term_id, NEW.programme_id) k
	WHERE (SELECT count(*) FROM award w WHERE w.idcard = k.idcard AND w.term_id = k.term_id
			AND w.programme_id = k.programme_id AND w.status = 'approved')
		+ (SELECT count(*) FROM past_award x WHERE x.idcard = k.idcard AND x.term_id = k.term_id
			AND x.programme_id = k.programme_id) > 1;
END;
CREATE TRIGGER aid_twice_award_delete AFTER DELETE ON award
WHEN OLD.status = 'approved'
BEGIN
	DELETE FROM aid_twice
	WHERE idcard = OLD.idcard AND term_id = OLD.term_id AND programme_id = OLD.programme_id
		AND (SELECT count(*) FROM award w WHERE w.idcard = OLD.idcard AND w.term_id = OLD.term_id
			AND w.programme_id = OLD.programme_id AND w.status = 'approved')
		+ (SELECT count(*) FROM past_award x WHERE x.idcard = OLD.idcard AND x.term_id = OLD.term_id
			AND x.programme_id = OLD.programme_id) < 2;
END;
CREATE TRIGGER aid_twice_past_insert AFTER INSERT ON past_award
BEGIN
	INSERT OR IGNORE INTO aid_twice (idcard, term_id, programme_id)
	SELECT NEW.idcard, NEW.term_id, NEW.programme_id
	WHERE (SELECT count(*) FROM award w WHERE w.idcard = NEW.idcard AND w.term_id = NEW.term_id
			AND w.programme_id = NEW.programme_id AND w.status = 'approved')
		+ (SELECT count(*) FROM past_award x WHERE x.idcard = NEW.idcard AND x.term_id = NEW.term_id
			AND x.programme_id = NEW.programme_id) > 1;
END;
CREATE TRIGGER aid_twice_past_update AFTER UPDATE OF idcard, term_id, programme_id ON past_award
BEGIN
	DELETE FROM aid_twice
	WHERE ((idcard = OLD.idcard AND term_id = OLD.term_id AND programme_id = OLD.programme_id)
			OR (idcard = NEW.idcard AND term_id = NEW.term_id AND programme_id = NEW.programme_id))
		AND (SELECT count(*) FROM award w WHERE w.idcard = aid_twice.idcard AND w.term_id = aid_twice.term_id
			AND w.programme_id = aid_twice.programme_id AND w.status = 'approved')
		+ (SELECT count(*) FROM past_award x WHERE x.idcard = aid_twice.idcard AND x.term_id = aid_twice.term_id
			AND x.programme_id = aid_twice.programme_id) < 2;
	INSERT OR IGNORE INTO aid_twice (idcard, term_id, programme_id)
	SELECT k.idcard, k.term_id, k.programme_id
	FROM (SELECT OLD.idcard AS idcard, OLD.term_id AS term_id, OLD.programme_id AS programme_id
		UNION SELECT NEW.idcard, NEW.term_id, NEW.programme_id) k
	WHERE (SELECT count(*) FROM award w WHERE w.idcard = k.idcard AND w.term_id = k.term_id
			AND w.programme_id = k.programme_id AND w.status = 'approved')
		+ (SELECT count(*) FROM past_award x WHERE x.idcard = k.idcard AND x.term_id = k.term_id
			AND x.programme_id = k.programme_id) > 1;
END;
CREATE TRIGGER aid_twice_past_delete AFTER DELETE ON past_award
BEGIN
	DELETE FROM aid_twice
	WHERE idcard = OLD.idcard AND term_id = OLD.term_id AND programme_id = OLD.programme_id
		AND (SELECT count(*) FROM award w WHERE w.idcard = OLD.idcard AND w.term_id = OLD.term_id
			AND w.programme_id = OLD.programme_id AND w.status = 'approved')
		+ (SELECT count(*) FROM past_award x WHERE x.idcard = OLD.idcard AND x.term_id = OLD.term_id
			AND x.programme_id = OLD.programme_id) < 2;
END;

-- 2. 双学籍: the 身份证号 enrolled (在读) more than once. One school has a
--    身份证号 在读 once at most (student_enrolled_once), so these are the
--    children enrolled at two schools or more.
CREATE TABLE enrolled_twice (
	idcard TEXT PRIMARY KEY
) WITHOUT ROWID;

INSERT INTO enrolled_twice (idcard)
SELECT idcard FROM student WHERE status = '在读' GROUP BY idcard HAVING count(*) > 1;

CREATE TRIGGER enrolled_twice_insert AFTER INSERT ON student
WHEN NEW.status = '在读'
BEGIN
	INSERT OR IGNORE INTO enrolled_twice (idcard)
	SELECT NEW.idcard WHERE (SELECT count(*) FROM student s WHERE s.idcard = NEW.idcard AND s.status = '在读') > 1;
END;
CREATE TRIGGER enrolled_twice_update AFTER UPDATE OF idcard, status ON student
WHEN OLD.idcard IS NOT NEW.idcard OR OLD.status IS NOT NEW.status
BEGIN
	DELETE FROM enrolled_twice WHERE idcard IN (OLD.idcard, NEW.idcard)
		AND (SELECT count(*) FROM student s WHERE s.idcard = enrolled_twice.idcard AND s.status = '在读') < 2;
	INSERT OR IGNORE INTO enrolled_twice (idcard)
	SELECT k.idcard FROM (SELECT OLD.idcard AS idcard UNION SELECT NEW.idcard) k
	WHERE (SELECT count(*) FROM student s WHERE s.idcard = k.idcard AND s.status = '在读') > 1;
END;
CREATE TRIGGER enrolled_twice_delete AFTER DELETE ON student
WHEN OLD.status = '在读'
BEGIN
	DELETE FROM enrolled_twice WHERE idcard = OLD.idcard
		AND (SELECT count(*) FROM student s WHERE s.idcard = OLD.idcard AND s.status = '在读') < 2;
END;

-- 3. 身份证号不正确: the past records' 身份证号 that may be wrong, in a
--    partial index, so that the check reads these few rows instead of 5
--    million; the page then judges each by the same C rule as the forms
--    (idcard_check). A number is left out only if it is certainly right: 17
--    ASCII digits and a digit or X, a province code of the list idcard.c
--    knows, a real birth date from 1900-01-01 to 2025-01-01 (of these years
--    only 1900 is divisible by 4 and no leap year), and the check character
--    of ISO 7064 MOD 11-2. Birth dates after 2025-01-01 stay in (a date
--    later than today is wrong, and today is not known here); the page reads
--    every row instead if the clock says it is earlier than that. The
--    condition is IDCARD_SUSPECT in src/db/queries.h, which must say exactly
--    the same, or SQLite will not use this index (tests/unit/test_db.c
--    checks). It is evaluated for each row written, about 12 µs: instr()
--    rather than IN (...), which SQLite builds anew for each row there.
--    Students have no such index: it would cost a roster import of 100,000
--    rows 1.4 s, and the page judges the 在读 students of its scope from
--    student_enrolled_once instead (a city's million in about 0.3 s).
CREATE INDEX past_award_idcard_suspect ON past_award(district_id, term_id, programme_id) WHERE NOT (
	idcard GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9X]'
	AND instr(',11,12,13,14,15,21,22,23,31,32,33,34,35,36,37,41,42,43,44,45,46,50,51,52,53,54,61,62,63,64,65,71,81,82,',
		',' || substr(idcard, 1, 2) || ',') > 0
	AND substr(idcard, 7, 8) BETWEEN '19000101' AND '20250101'
	AND substr(idcard, 11, 2) BETWEEN '01' AND '12'
	AND substr(idcard, 13, 2) BETWEEN '01' AND CASE WHEN instr(',04,06,09,11,', ',' || substr(idcard, 11, 2) || ',') > 0 THEN '30'
		WHEN substr(idcard, 11, 2) <> '02' THEN '31' WHEN substr(idcard, 9, 2) % 4 = 0 AND substr(idcard, 7, 4) <> '1900'
		THEN '29' ELSE '28' END
	AND substr('10X98765432', (substr(idcard, 1, 1) * 7 + substr(idcard, 2, 1) * 9 + substr(idcard, 3, 1) * 10
		+ substr(idcard, 4, 1) * 5 + substr(idcard, 5, 1) * 8 + substr(idcard, 6, 1) * 4 + substr(idcard, 7, 1) * 2
		+ substr(idcard, 8, 1) * 1 + substr(idcard, 9, 1) * 6 + substr(idcard, 10, 1) * 3 + substr(idcard, 11, 1) * 7
		+ substr(idcard, 12, 1) * 9 + substr(idcard, 13, 1) * 10 + substr(idcard, 14, 1) * 5 + substr(idcard, 15, 1) * 8
		+ substr(idcard, 16, 1) * 4 + substr(idcard, 17, 1) * 2) % 11 + 1, 1) = substr(idcard, 18, 1));
