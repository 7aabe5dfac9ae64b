-- 014_app_count.sql - how many applications each school has per 学年,
-- status and grade, kept by triggers on every change of an application, so
-- that the applications list counts its matches from a few hundred rows
-- instead of visiting every application of a district (21,000 a 学年 in a
-- large one). Filters by class or by name still count the applications
-- themselves. A count that drops to 0 stays as a row of 0.
CREATE TABLE app_count (
	school_id INTEGER NOT NULL REFERENCES org(id),
	school_year TEXT NOT NULL,
	status TEXT NOT NULL,
	grade TEXT NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (school_id, school_year, status, grade)
) WITHOUT ROWID;

INSERT INTO app_count (school_id, school_year, status, grade, n)
SELECT school_id, school_year, status, grade, count(*) FROM application
GROUP BY school_id, school_year, status, grade;

CREATE TRIGGER app_count_insert AFTER INSERT ON application
BEGIN
	INSERT INTO app_count (school_id, school_year, status, grade, n)
	VALUES (NEW.school_id, NEW.school_year, NEW.status, NEW.grade, 1)
	ON CONFLICT DO UPDATE SET n = n + 1;
END;

CREATE TRIGGER app_count_delete AFTER DELETE ON application
BEGIN
	UPDATE app_count SET n = n - 1 WHERE school_id = OLD.school_id AND school_year = OLD.school_year
		AND status = OLD.status AND grade = OLD.grade;
END;

-- one trigger takes the old row out and puts the new one in, so the result
-- does not depend on the order in which SQLite fires triggers
CREATE TRIGGER app_count_update AFTER UPDATE OF school_id, school_year, status, grade ON application
WHEN OLD.school_id IS NOT NEW.school_id OR OLD.school_year IS NOT NEW.school_year
	OR OLD.status IS NOT NEW.status OR OLD.grade IS NOT NEW.grade
BEGIN
	UPDATE app_count SET n = n - 1 WHERE school_id = OLD.school_id AND school_year = OLD.school_year
		AND status = OLD.status AND grade = OLD.grade;
	INSERT INTO app_count (school_id, school_year, status, grade, n)
	VALUES (NEW.school_id, NEW.school_year, NEW.status, NEW.grade, 1)
	ON CONFLICT DO UPDATE SET n = n + 1;
END;
