-- 018_list_order.sql - the applications list reads its page in the order it
-- shows it, and counts its matches from one place per reader.
--
-- The list is sorted by school (its path), then score from the highest, then
-- id. Before this migration each school's matches were read in index order
-- and sorted, every row of the page was looked up in application, student,
-- org and evidence, and the count summed app_count over every school of the
-- reader's scope (80 of them in a district).
--
-- Every value below is kept by triggers that recompute it from the rows it
-- depends on, as in 013; tests/e2e/110-applications.sh checks them against
-- the rows.

-- 1. What a row of the list shows, kept on the application: the student's
--    name (it follows the roster, as the 身份证号 does since 013) and how many
--    证明材料 the application has.
ALTER TABLE application ADD COLUMN student_name TEXT NOT NULL DEFAULT '';
ALTER TABLE application ADD COLUMN evidence_n INTEGER NOT NULL DEFAULT 0;
UPDATE application SET student_name = s.name FROM student s WHERE s.id = application.student_id;
UPDATE application SET evidence_n = e.n
	FROM (SELECT application_id, count(*) AS n FROM evidence GROUP BY application_id) e
	WHERE e.application_id = application.id;

DROP TRIGGER application_student_insert;
DROP TRIGGER application_student_moved;
DROP TRIGGER application_follows_student;
CREATE TRIGGER application_student_insert AFTER INSERT ON application
BEGIN
	UPDATE application SET idcard = s.idcard, enrolled = s.status = '在读', student_name = s.name
	FROM student s WHERE s.id = NEW.student_id AND application.id = NEW.id;
END;
CREATE TRIGGER application_student_moved AFTER UPDATE OF student_id ON application
BEGIN
	UPDATE application SET idcard = s.idcard, enrolled = s.status = '在读', student_name = s.name
	FROM student s WHERE s.id = NEW.student_id AND application.id = NEW.id;
END;
CREATE TRIGGER application_follows_student AFTER UPDATE OF idcard, status, name ON student
WHEN OLD.idcard IS NOT NEW.idcard OR OLD.status IS NOT NEW.status OR OLD.name IS NOT NEW.name
BEGIN
	UPDATE application SET idcard = NEW.idcard, enrolled = NEW.status = '在读', student_name = NEW.name
	WHERE student_id = NEW.id;
END;

CREATE TRIGGER application_evidence_added AFTER INSERT ON evidence
BEGIN
	UPDATE application SET evidence_n = (SELECT count(*) FROM evidence e WHERE e.application_id = NEW.application_id)
	WHERE id = NEW.application_id;
END;
CREATE TRIGGER application_evidence_removed AFTER DELETE ON evidence
BEGIN
	UPDATE application SET evidence_n = (SELECT count(*) FROM evidence e WHERE e.application_id = OLD.application_id)
	WHERE id = OLD.application_id;
END;
CREATE TRIGGER application_evidence_moved AFTER UPDATE OF application_id ON evidence
BEGIN
	UPDATE application SET evidence_n = (SELECT count(*) FROM evidence e WHERE e.application_id = application.id)
	WHERE id IN (OLD.application_id, NEW.application_id);
END;

-- 2. Two orders of a school's applications of a 学年, each ending in the
--    list's order (score from the highest, then id), so that a page is read
--    from them without sorting:
--    - with a status and a grade asked for, application_school;
--    - with no grade (the list as it opens), application_order, whose status,
--      grade and class are read from the index.
--    application_school keeps student_id for the 评议 and batch lists that
--    read it alone.
DROP INDEX application_school;
CREATE INDEX application_school ON application(school_id, school_year, status, grade, score DESC, id,
	class_name, student_id);
CREATE INDEX application_order ON application(school_id, school_year, score DESC, id, status, grade, class_name);

-- 3. app_count per org: a school's applications are counted under the school
--    and under each org above it (its district, the city), so that a reader
--    of any scope counts from the rows of that one org. An org's path is the
--    chain of ids from the top ('/1/2/46/'), and orgs do not move; the ids of
--    a school and the orgs above it are json_each of the path made a JSON
--    array ('[1,2,46]'). A count that drops to 0 stays as a row of 0.
DROP TRIGGER app_count_insert;
DROP TRIGGER app_count_delete;
DROP TRIGGER app_count_update;
DROP TABLE app_count;
CREATE TABLE app_count (
	org_id INTEGER NOT NULL REFERENCES org(id),
	school_year TEXT NOT NULL,
	status TEXT NOT NULL,
	grade TEXT NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (org_id, school_year, status, grade)
) WITHOUT ROWID;

INSERT INTO app_count (org_id, school_year, status, grade, n)
SELECT j.value, a.school_year, a.status, a.grade, sum(a.n)
FROM (SELECT school_id, school_year, status, grade, count(*) AS n FROM application
	GROUP BY school_id, school_year, status, grade) a
JOIN org s ON s.id = a.school_id, json_each('[' || replace(trim(s.path, '/'), '/', ',') || ']') j
GROUP BY j.value, a.school_year, a.status, a.grade;

CREATE TRIGGER app_count_insert AFTER INSERT ON application
BEGIN
	INSERT INTO app_count (org_id, school_year, status, grade, n)
	SELECT j.value, NEW.school_year, NEW.status, NEW.grade, 1
	FROM org s, json_each('[' || replace(trim(s.path, '/'), '/', ',') || ']') j WHERE s.id = NEW.school_id
	ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER app_count_delete AFTER DELETE ON application
BEGIN
	UPDATE app_count SET n = n - 1
	WHERE org_id IN (SELECT j.value FROM org s, json_each('[' || replace(trim(s.path, '/'), '/', ',') || ']') j
		WHERE s.id = OLD.school_id)
		AND school_year = OLD.school_year AND status = OLD.status AND grade = OLD.grade;
END;

-- one trigger takes the old row out and puts the new one in, so the result
-- does not depend on the order in which SQLite fires triggers
CREATE TRIGGER app_count_update AFTER UPDATE OF school_id, school_year, status, grade ON application
WHEN OLD.school_id IS NOT NEW.school_id OR OLD.school_year IS NOT NEW.school_year
	OR OLD.status IS NOT NEW.status OR OLD.grade IS NOT NEW.grade
BEGIN
	UPDATE app_count SET n = n - 1
	WHERE org_id IN (SELECT j.value FROM org s, json_each('[' || replace(trim(s.path, '/'), '/', ',') || ']') j
		WHERE s.id = OLD.school_id)
		AND school_year = OLD.school_year AND status = OLD.status AND grade = OLD.grade;
	INSERT INTO app_count (org_id, school_year, status, grade, n)
	SELECT j.value, NEW.school_year, NEW.status, NEW.grade, 1
	FROM org s, json_each('[' || replace(trim(s.path, '/'), '/', ',') || ']') j WHERE s.id = NEW.school_id
	ON CONFLICT DO UPDATE SET n = n + 1;
END;
