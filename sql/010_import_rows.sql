-- 010_import_rows.sql - the rows of a roster import as a table, one row per
-- line of the file, instead of one JSON document: a 100,000-row roster is
-- checked against the roster and applied by single statements, and the
-- preview reads only the rows it shows.
--
-- While an import waits for a decision its rows hold what the file said
-- (normalised by the same checks as the student form). Once applied or
-- discarded, the good rows are gone and the bad ones keep only their line,
-- name and reasons: the report of what was not imported.
-- roster_import.rows_json now holds only {"ignored": [column names]}.
CREATE TABLE roster_import_row (
	import_id INTEGER NOT NULL REFERENCES roster_import(id),
	line INTEGER NOT NULL,                        -- line or row number in the file
	name TEXT NOT NULL DEFAULT '',
	gender TEXT NOT NULL DEFAULT '',
	idcard TEXT NOT NULL DEFAULT '',
	xueji_no TEXT NOT NULL DEFAULT '',
	stage TEXT NOT NULL DEFAULT '',
	grade TEXT NOT NULL DEFAULT '',
	class_name TEXT NOT NULL DEFAULT '',
	boarding INTEGER NOT NULL DEFAULT 0,
	hukou TEXT NOT NULL DEFAULT '',
	guardian TEXT NOT NULL DEFAULT '',
	phone TEXT NOT NULL DEFAULT '',
	account_type TEXT NOT NULL DEFAULT '',
	account_no TEXT NOT NULL DEFAULT '',
	bank TEXT NOT NULL DEFAULT '',
	id_ok INTEGER NOT NULL DEFAULT 0,             -- 1: the 身份证号 passed its checks, compare it with the roster;
	                                              -- 2: compared, and found at this school already
	errors TEXT CHECK (errors IS NULL OR json_valid(errors)), -- [{"column","reason"}]; NULL for a good row
	warning TEXT,
	PRIMARY KEY (import_id, line)
) WITHOUT ROWID;

-- imports made before this version: their rows move into the table
INSERT INTO roster_import_row (import_id, line, name, gender, idcard, xueji_no, stage, grade,
	class_name, boarding, hukou, guardian, phone, account_type, account_no, bank, id_ok, errors, warning)
SELECT i.id, json_extract(r.value, '$.line'),
	coalesce(json_extract(r.value, '$.v.name'), ''), coalesce(json_extract(r.value, '$.v.gender'), ''),
	coalesce(json_extract(r.value, '$.v.idcard'), ''), coalesce(json_extract(r.value, '$.v.xueji_no'), ''),
	coalesce(json_extract(r.value, '$.v.stage'), ''), coalesce(json_extract(r.value, '$.v.grade'), ''),
	coalesce(json_extract(r.value, '$.v.class_name'), ''), coalesce(json_extract(r.value, '$.v.boarding'), '') = '1',
	coalesce(json_extract(r.value, '$.v.hukou'), ''), coalesce(json_extract(r.value, '$.v.guardian'), ''),
	coalesce(json_extract(r.value, '$.v.phone'), ''), coalesce(json_extract(r.value, '$.v.account_type'), ''),
	coalesce(json_extract(r.value, '$.v.account_no'), ''), coalesce(json_extract(r.value, '$.v.bank'), ''),
	json_extract(r.value, '$.errors') IS NULL, json_extract(r.value, '$.errors'), json_extract(r.value, '$.warning')
FROM roster_import i, json_each(i.rows_json, '$.rows') r
WHERE json_valid(i.rows_json);

UPDATE roster_import SET rows_json = json_object('ignored',
	json(CASE WHEN json_valid(rows_json) THEN coalesce(json_extract(rows_json, '$.ignored'), '[]') ELSE '[]' END));
