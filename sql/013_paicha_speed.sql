-- 013_paicha_speed.sql - the 排查统计汇总表 of a city without reading each
-- of its 300,000 applications of a 学年.
--
-- Every value below is kept by triggers that recompute it from the rows it
-- depends on (student, application, application_category,
-- difficulty_category), never from another kept value: SQLite fires the
-- triggers of one statement in an order we do not choose, and a trigger that
-- read a value another trigger of the same statement had yet to write would
-- count wrong. tests/e2e/180-reports.sh checks them against the rows.
--
-- 1. What the 重点保障 list reads of an application, kept on it:
--    priority  1 while it has a category marked priority (重点保障);
--    idcard    its student's 身份证号 (the aid of a term is found by it);
--    enrolled  1 while its student is 在读;
--    twin      1 while another application of the same 学年 has the same
--              身份证号 (a child who changed school within the 学年 has one
--              per enrolment): only these need a distinct count, and they
--              are few.
ALTER TABLE application ADD COLUMN priority INTEGER NOT NULL DEFAULT 0;
ALTER TABLE application ADD COLUMN idcard TEXT NOT NULL DEFAULT '';
ALTER TABLE application ADD COLUMN enrolled INTEGER NOT NULL DEFAULT 0;
ALTER TABLE application ADD COLUMN twin INTEGER NOT NULL DEFAULT 0;

UPDATE application SET idcard = s.idcard, enrolled = s.status = '在读',
	priority = EXISTS (SELECT 1 FROM application_category ac JOIN difficulty_category d ON d.id = ac.category_id
		WHERE ac.application_id = application.id AND d.priority = 1)
	FROM student s WHERE s.id = application.student_id;
UPDATE application SET twin = 1 WHERE id IN (SELECT a.id FROM application a JOIN student s ON s.id = a.student_id
	JOIN (SELECT s2.idcard, a2.school_year FROM application a2 JOIN student s2 ON s2.id = a2.student_id
		GROUP BY s2.idcard, a2.school_year HAVING count(*) > 1) x ON x.idcard = s.idcard AND x.school_year = a.school_year);

-- The 重点保障 children of a 学年 per school: exactly the rows the 排查 reads
-- (recognition asked for, not a draft or withdrawn, the child 在读). The
-- columns of the condition are in it too, so that the 排查 reads the index
-- alone (SQLite does not take them from the condition).
CREATE INDEX application_paicha ON application(school_year, school_id, idcard, twin, student_id,
	status, priority, enrolled) WHERE priority = 1 AND enrolled = 1 AND status NOT IN ('draft', 'withdrawn');
-- The few applications that share a 身份证号 within a 学年.
CREATE INDEX application_twin ON application(school_year, school_id) WHERE twin = 1;

-- an application takes its student's 身份证号 and status when it is made,
-- or moved to another student
CREATE TRIGGER application_student_insert AFTER INSERT ON application
BEGIN
	UPDATE application SET idcard = s.idcard, enrolled = s.status = '在读'
	FROM student s WHERE s.id = NEW.student_id AND application.id = NEW.id;
END;
CREATE TRIGGER application_student_moved AFTER UPDATE OF student_id ON application
BEGIN
	UPDATE application SET idcard = s.idcard, enrolled = s.status = '在读'
	FROM student s WHERE s.id = NEW.student_id AND application.id = NEW.id;
END;
-- and follows them (a corrected 身份证号; 转出, 毕业, 休学, back to 在读)
CREATE TRIGGER application_follows_student AFTER UPDATE OF idcard, status ON student
WHEN OLD.idcard IS NOT NEW.idcard OR OLD.status IS NOT NEW.status
BEGIN
	UPDATE application SET idcard = NEW.idcard, enrolled = NEW.status = '在读' WHERE student_id = NEW.id;
END;

-- priority: a category added, removed or changed on an application, or a
-- category marked or unmarked 重点保障 by the district
CREATE TRIGGER application_priority_added AFTER INSERT ON application_category
WHEN (SELECT priority FROM difficulty_category WHERE id = NEW.category_id) = 1
BEGIN
	UPDATE application SET priority = 1 WHERE id = NEW.application_id AND priority = 0;
END;
CREATE TRIGGER application_priority_removed AFTER DELETE ON application_category
WHEN (SELECT priority FROM difficulty_category WHERE id = OLD.category_id) = 1
BEGIN
	UPDATE application SET priority = EXISTS (SELECT 1 FROM application_category ac
		JOIN difficulty_category d ON d.id = ac.category_id WHERE ac.application_id = application.id AND d.priority = 1)
	WHERE id = OLD.application_id;
END;
CREATE TRIGGER application_priority_changed AFTER UPDATE OF application_id, category_id ON application_category
BEGIN
	UPDATE application SET priority = EXISTS (SELECT 1 FROM application_category ac
		JOIN difficulty_category d ON d.id = ac.category_id WHERE ac.application_id = application.id AND d.priority = 1)
	WHERE id IN (OLD.application_id, NEW.application_id);
END;
CREATE TRIGGER application_priority_category AFTER UPDATE OF priority ON difficulty_category
WHEN OLD.priority IS NOT NEW.priority
BEGIN
	UPDATE application SET priority = EXISTS (SELECT 1 FROM application_category ac
		JOIN difficulty_category d ON d.id = ac.category_id WHERE ac.application_id = application.id AND d.priority = 1)
	WHERE id IN (SELECT application_id FROM application_category WHERE category_id = NEW.id);
END;

-- twin: recomputed for every application of the 身份证号 and 学年 touched,
-- from the students' 身份证号 (not from application.idcard, which another
-- trigger of the same statement may not have written yet). A new
-- application of a 身份证号 no other enrolment has is alone in its 学年.
CREATE TRIGGER application_twin_insert AFTER INSERT ON application
WHEN NEW.twin <> 0 OR EXISTS (SELECT 1 FROM student s JOIN student s2 ON s2.idcard = s.idcard AND s2.id <> s.id
	WHERE s.id = NEW.student_id)
BEGIN
	UPDATE application SET twin = x.n > 1
	FROM (SELECT count(*) AS n FROM student s JOIN student s2 ON s2.idcard = s.idcard
		JOIN application a2 ON a2.student_id = s2.id AND a2.school_year = NEW.school_year WHERE s.id = NEW.student_id) x
	WHERE application.id IN (SELECT a2.id FROM student s JOIN student s2 ON s2.idcard = s.idcard
		JOIN application a2 ON a2.student_id = s2.id AND a2.school_year = NEW.school_year WHERE s.id = NEW.student_id)
		AND application.twin <> (x.n > 1);
END;
CREATE TRIGGER application_twin_delete AFTER DELETE ON application
BEGIN
	UPDATE application SET twin = x.n > 1
	FROM (SELECT count(*) AS n FROM student s JOIN student s2 ON s2.idcard = s.idcard
		JOIN application a2 ON a2.student_id = s2.id AND a2.school_year = OLD.school_year WHERE s.id = OLD.student_id) x
	WHERE application.id IN (SELECT a2.id FROM student s JOIN student s2 ON s2.idcard = s.idcard
		JOIN application a2 ON a2.student_id = s2.id AND a2.school_year = OLD.school_year WHERE s.id = OLD.student_id)
		AND application.twin <> (x.n > 1);
END;
CREATE TRIGGER application_twin_moved AFTER UPDATE OF student_id, school_year ON application
BEGIN
	UPDATE application SET twin = (SELECT count(*) FROM student s JOIN student s2 ON s2.idcard = s.idcard
		JOIN application a2 ON a2.student_id = s2.id AND a2.school_year = application.school_year
		WHERE s.id = application.student_id) > 1
	WHERE id IN (SELECT a2.id FROM student s JOIN student s2 ON s2.idcard = s.idcard
		JOIN application a2 ON a2.student_id = s2.id AND a2.school_year IN (OLD.school_year, NEW.school_year)
		WHERE s.id IN (OLD.student_id, NEW.student_id));
END;
CREATE TRIGGER application_twin_idcard AFTER UPDATE OF idcard ON student
WHEN OLD.idcard IS NOT NEW.idcard
BEGIN
	UPDATE application SET twin = (SELECT count(*) FROM student s JOIN student s2 ON s2.idcard = s.idcard
		JOIN application a2 ON a2.student_id = s2.id AND a2.school_year = application.school_year
		WHERE s.id = application.student_id) > 1
	WHERE student_id IN (SELECT id FROM student WHERE idcard IN (OLD.idcard, NEW.idcard));
END;

-- 2. The recognitions of each 学年, school and category: pairs of an
--    application that is not a draft or withdrawn and one of its categories.
--    The 排查 counts children by category from these, less the children
--    counted twice (the twin applications in the scope, counted directly).
CREATE TABLE category_total (
	school_year TEXT NOT NULL,
	school_id INTEGER NOT NULL REFERENCES org(id),
	category_id INTEGER NOT NULL REFERENCES difficulty_category(id),
	n INTEGER NOT NULL,                             -- applications
	PRIMARY KEY (school_year, school_id, category_id)
) WITHOUT ROWID;

INSERT INTO category_total (school_year, school_id, category_id, n)
SELECT a.school_year, a.school_id, ac.category_id, count(*)
FROM application a JOIN application_category ac ON ac.application_id = a.id
WHERE a.status NOT IN ('draft', 'withdrawn')
GROUP BY a.school_year, a.school_id, ac.category_id;

-- a category added to or removed from a counted application
CREATE TRIGGER category_total_insert AFTER INSERT ON application_category
BEGIN
	INSERT INTO category_total (school_year, school_id, category_id, n)
	SELECT a.school_year, a.school_id, NEW.category_id, 1 FROM application a
	WHERE a.id = NEW.application_id AND a.status NOT IN ('draft', 'withdrawn')
	ON CONFLICT DO UPDATE SET n = n + 1;
END;
CREATE TRIGGER category_total_delete AFTER DELETE ON application_category
BEGIN
	UPDATE category_total SET n = n - 1
	FROM (SELECT a.school_year, a.school_id FROM application a
		WHERE a.id = OLD.application_id AND a.status NOT IN ('draft', 'withdrawn')) x
	WHERE category_total.school_year = x.school_year AND category_total.school_id = x.school_id
		AND category_total.category_id = OLD.category_id;
END;
CREATE TRIGGER category_total_update AFTER UPDATE OF application_id, category_id ON application_category
BEGIN
	UPDATE category_total SET n = n - 1
	FROM (SELECT a.school_year, a.school_id FROM application a
		WHERE a.id = OLD.application_id AND a.status NOT IN ('draft', 'withdrawn')) x
	WHERE category_total.school_year = x.school_year AND category_total.school_id = x.school_id
		AND category_total.category_id = OLD.category_id;
	INSERT INTO category_total (school_year, school_id, category_id, n)
	SELECT a.school_year, a.school_id, NEW.category_id, 1 FROM application a
	WHERE a.id = NEW.application_id AND a.status NOT IN ('draft', 'withdrawn')
	ON CONFLICT DO UPDATE SET n = n + 1;
END;
-- an application submitted, withdrawn, or moved: its categories leave the
-- old place and join the new one
CREATE TRIGGER category_total_application AFTER UPDATE OF status, school_id, school_year ON application
WHEN (OLD.status NOT IN ('draft', 'withdrawn')) <> (NEW.status NOT IN ('draft', 'withdrawn'))
	OR OLD.school_id IS NOT NEW.school_id OR OLD.school_year IS NOT NEW.school_year
BEGIN
	UPDATE category_total SET n = n - 1
	WHERE OLD.status NOT IN ('draft', 'withdrawn') AND school_year = OLD.school_year AND school_id = OLD.school_id
		AND category_id IN (SELECT category_id FROM application_category WHERE application_id = OLD.id);
	INSERT INTO category_total (school_year, school_id, category_id, n)
	SELECT NEW.school_year, NEW.school_id, ac.category_id, 1 FROM application_category ac
	WHERE ac.application_id = NEW.id AND NEW.status NOT IN ('draft', 'withdrawn')
	ON CONFLICT DO UPDATE SET n = n + 1;
END;
-- an application deleted: its categories are taken out before it goes (the
-- cascade deletes them after the application row, when the trigger above
-- no longer finds where they were counted)
CREATE TRIGGER category_total_application_delete BEFORE DELETE ON application
WHEN OLD.status NOT IN ('draft', 'withdrawn')
BEGIN
	UPDATE category_total SET n = n - 1
	WHERE school_year = OLD.school_year AND school_id = OLD.school_id
		AND category_id IN (SELECT category_id FROM application_category WHERE application_id = OLD.id);
END;

-- 3. The 应助未助 check looks up the approved aid of a term by 身份证号 in
--    the index alone.
DROP INDEX award_idcard_term;
CREATE INDEX award_idcard_term ON award(idcard, term_id, status);
