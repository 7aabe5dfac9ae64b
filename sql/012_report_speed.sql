-- 012_report_speed.sql - the reports of a city's 学年 without reading each
-- of its 600,000 awards.
--
-- The aid of each term, school and programme: approved awards, and the past
-- records imported for a school (school_id its id) or for a district alone
-- (school_id 0), with the subset to 脱贫 families (an award's family is
-- 脱贫 when its application has that category). The 资助统计 and its trend
-- read these totals. Triggers keep them on every write of an award, a past
-- record or an application's categories; tests/e2e/180-reports.sh checks
-- them against the rows.
CREATE TABLE aid_total (
	term_id INTEGER NOT NULL REFERENCES term(id),
	district_id INTEGER NOT NULL REFERENCES org(id),
	school_id INTEGER NOT NULL,                     -- 0: a past record of no school of the district
	programme_id INTEGER NOT NULL REFERENCES programme(id),
	n INTEGER NOT NULL,                             -- 人次
	fen INTEGER NOT NULL,
	tp_n INTEGER NOT NULL,                          -- of them to 脱贫 families
	tp_fen INTEGER NOT NULL,
	PRIMARY KEY (term_id, district_id, school_id, programme_id)
) WITHOUT ROWID;

INSERT INTO aid_total (term_id, district_id, school_id, programme_id, n, fen, tp_n, tp_fen)
SELECT term_id, district_id, school_id, programme_id, sum(n), sum(fen), sum(tp_n), sum(tp_fen) FROM (
	SELECT w.term_id, o.parent_id AS district_id, w.school_id, w.programme_id, count(*) AS n,
		sum(w.amount_fen) AS fen, sum(tp.a IS NOT NULL) AS tp_n, sum(CASE WHEN tp.a IS NOT NULL THEN w.amount_fen ELSE 0 END) AS tp_fen
	FROM award w JOIN org o ON o.id = w.school_id
	LEFT JOIN (SELECT DISTINCT ac.application_id AS a FROM application_category ac
		JOIN difficulty_category d ON d.id = ac.category_id WHERE d.code = 'tuopin') tp ON tp.a = w.application_id
	WHERE w.status = 'approved'
	GROUP BY w.term_id, w.school_id, w.programme_id
	UNION ALL
	SELECT term_id, district_id, coalesce(school_id, 0), programme_id, count(*), sum(amount_fen),
		sum(tuopin), sum(tuopin * amount_fen)
	FROM past_award GROUP BY term_id, district_id, coalesce(school_id, 0), programme_id)
GROUP BY term_id, district_id, school_id, programme_id;

-- an approved award adds itself; a changed one takes out what it added
CREATE TRIGGER aid_total_award_insert AFTER INSERT ON award WHEN NEW.status = 'approved'
BEGIN
	INSERT INTO aid_total (term_id, district_id, school_id, programme_id, n, fen, tp_n, tp_fen)
	SELECT NEW.term_id, o.parent_id, NEW.school_id, NEW.programme_id, 1, NEW.amount_fen, (SELECT EXISTS (SELECT 1 FROM application_category ac JOIN difficulty_category d ON d.id = ac.category_id WHERE ac.application_id = NEW.application_id AND d.code = 'tuopin')), (SELECT EXISTS (SELECT 1 FROM application_category ac JOIN difficulty_category d ON d.id = ac.category_id WHERE ac.application_id = NEW.application_id AND d.code = 'tuopin')) * NEW.amount_fen
	FROM org o WHERE o.id = NEW.school_id
	ON CONFLICT DO UPDATE SET n = n + 1, fen = fen + excluded.fen, tp_n = tp_n + excluded.tp_n,
		tp_fen = tp_fen + excluded.tp_fen;
END;
CREATE TRIGGER aid_total_award_update AFTER UPDATE OF status, term_id, school_id, programme_id, amount_fen, application_id ON award
WHEN OLD.status = 'approved' OR NEW.status = 'approved'
BEGIN
	UPDATE aid_total SET n = n - 1, fen = fen - OLD.amount_fen, tp_n = tp_n - (SELECT EXISTS (SELECT 1 FROM application_category ac JOIN difficulty_category d ON d.id = ac.category_id WHERE ac.application_id = OLD.application_id AND d.code = 'tuopin')),
		tp_fen = tp_fen - (SELECT EXISTS (SELECT 1 FROM application_category ac JOIN difficulty_category d ON d.id = ac.category_id WHERE ac.application_id = OLD.application_id AND d.code = 'tuopin')) * OLD.amount_fen
	WHERE OLD.status = 'approved' AND term_id = OLD.term_id AND school_id = OLD.school_id
		AND programme_id = OLD.programme_id AND district_id = (SELECT parent_id FROM org WHERE id = OLD.school_id);
	INSERT INTO aid_total (term_id, district_id, school_id, programme_id, n, fen, tp_n, tp_fen)
	SELECT NEW.term_id, o.parent_id, NEW.school_id, NEW.programme_id, 1, NEW.amount_fen, (SELECT EXISTS (SELECT 1 FROM application_category ac JOIN difficulty_category d ON d.id = ac.category_id WHERE ac.application_id = NEW.application_id AND d.code = 'tuopin')), (SELECT EXISTS (SELECT 1 FROM application_category ac JOIN difficulty_category d ON d.id = ac.category_id WHERE ac.application_id = NEW.application_id AND d.code = 'tuopin')) * NEW.amount_fen
	FROM org o WHERE o.id = NEW.school_id AND NEW.status = 'approved'
	ON CONFLICT DO UPDATE SET n = n + 1, fen = fen + excluded.fen, tp_n = tp_n + excluded.tp_n,
		tp_fen = tp_fen + excluded.tp_fen;
END;
CREATE TRIGGER aid_total_award_delete AFTER DELETE ON award WHEN OLD.status = 'approved'
BEGIN
	UPDATE aid_total SET n = n - 1, fen = fen - OLD.amount_fen, tp_n = tp_n - (SELECT EXISTS (SELECT 1 FROM application_category ac JOIN difficulty_category d ON d.id = ac.category_id WHERE ac.application_id = OLD.application_id AND d.code = 'tuopin')),
		tp_fen = tp_fen - (SELECT EXISTS (SELECT 1 FROM application_category ac JOIN difficulty_category d ON d.id = ac.category_id WHERE ac.application_id = OLD.application_id AND d.code = 'tuopin')) * OLD.amount_fen
	WHERE term_id = OLD.term_id AND school_id = OLD.school_id AND programme_id = OLD.programme_id
		AND district_id = (SELECT parent_id FROM org WHERE id = OLD.school_id);
END;

-- an application becomes 脱贫 (its first such category) or stops being so
-- (its last removed): its approved awards move in or out of the subset
CREATE TRIGGER aid_total_tuopin_added AFTER INSERT ON application_category
WHEN (SELECT code FROM difficulty_category WHERE id = NEW.category_id) = 'tuopin'
	AND NOT EXISTS (SELECT 1 FROM application_category ac JOIN difficulty_category d ON d.id = ac.category_id
		WHERE ac.application_id = NEW.application_id AND d.code = 'tuopin' AND ac.category_id <> NEW.category_id)
BEGIN
	UPDATE aid_total SET tp_n = tp_n + x.n, tp_fen = tp_fen + x.fen
	FROM (SELECT w.term_id, w.school_id, o.parent_id AS district_id, w.programme_id, count(*) AS n, sum(w.amount_fen) AS fen
		FROM award w JOIN org o ON o.id = w.school_id WHERE w.application_id = NEW.application_id AND w.status = 'approved'
		GROUP BY w.term_id, w.school_id, w.programme_id) x
	WHERE aid_total.term_id = x.term_id AND aid_total.district_id = x.district_id
		AND aid_total.school_id = x.school_id AND aid_total.programme_id = x.programme_id;
END;
CREATE TRIGGER aid_total_tuopin_removed AFTER DELETE ON application_category
WHEN (SELECT code FROM difficulty_category WHERE id = OLD.category_id) = 'tuopin' AND NOT (SELECT EXISTS (SELECT 1 FROM application_category ac JOIN difficulty_category d ON d.id = ac.category_id WHERE ac.application_id = OLD.application_id AND d.code = 'tuopin'))
BEGIN
	UPDATE aid_total SET tp_n = tp_n - x.n, tp_fen = tp_fen - x.fen
	FROM (SELECT w.term_id, w.school_id, o.parent_id AS district_id, w.programme_id, count(*) AS n, sum(w.amount_fen) AS fen
		FROM award w JOIN org o ON o.id = w.school_id WHERE w.application_id = OLD.application_id AND w.status = 'approved'
		GROUP BY w.term_id, w.school_id, w.programme_id) x
	WHERE aid_total.term_id = x.term_id AND aid_total.district_id = x.district_id
		AND aid_total.school_id = x.school_id AND aid_total.programme_id = x.programme_id;
END;

CREATE TRIGGER aid_total_past_insert AFTER INSERT ON past_award
BEGIN
	INSERT INTO aid_total (term_id, district_id, school_id, programme_id, n, fen, tp_n, tp_fen)
	VALUES (NEW.term_id, NEW.district_id, coalesce(NEW.school_id, 0), NEW.programme_id, 1, NEW.amount_fen,
		NEW.tuopin, NEW.tuopin * NEW.amount_fen)
	ON CONFLICT DO UPDATE SET n = n + 1, fen = fen + excluded.fen, tp_n = tp_n + excluded.tp_n,
		tp_fen = tp_fen + excluded.tp_fen;
END;
CREATE TRIGGER aid_total_past_update AFTER UPDATE OF term_id, district_id, school_id, programme_id, amount_fen, tuopin ON past_award
BEGIN
	UPDATE aid_total SET n = n - 1, fen = fen - OLD.amount_fen, tp_n = tp_n - OLD.tuopin,
		tp_fen = tp_fen - OLD.tuopin * OLD.amount_fen
	WHERE term_id = OLD.term_id AND district_id = OLD.district_id AND school_id = coalesce(OLD.school_id, 0)
		AND programme_id = OLD.programme_id;
	INSERT INTO aid_total (term_id, district_id, school_id, programme_id, n, fen, tp_n, tp_fen)
	VALUES (NEW.term_id, NEW.district_id, coalesce(NEW.school_id, 0), NEW.programme_id, 1, NEW.amount_fen,
		NEW.tuopin, NEW.tuopin * NEW.amount_fen)
	ON CONFLICT DO UPDATE SET n = n + 1, fen = fen + excluded.fen, tp_n = tp_n + excluded.tp_n,
		tp_fen = tp_fen + excluded.tp_fen;
END;
CREATE TRIGGER aid_total_past_delete AFTER DELETE ON past_award
BEGIN
	UPDATE aid_total SET n = n - 1, fen = fen - OLD.amount_fen, tp_n = tp_n - OLD.tuopin,
		tp_fen = tp_fen - OLD.tuopin * OLD.amount_fen
	WHERE term_id = OLD.term_id AND district_id = OLD.district_id AND school_id = coalesce(OLD.school_id, 0)
		AND programme_id = OLD.programme_id;
END;

-- The summary and trend read aid_total now; nothing seeks past records by
-- term any more, and the index cost every imported record a write.
DROP INDEX past_award_term;
