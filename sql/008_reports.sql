-- 008_reports.sql - what the district and the city report upward: past
-- award records imported from the national system or old spreadsheets,
-- lists from other departments matched against the roster, and the
-- district's limits for the checks.

-- 历史资助记录: awards made before this system (or outside it), so a
-- district's history appears in its reports.
CREATE TABLE past_award (
	id INTEGER PRIMARY KEY,
	district_id INTEGER NOT NULL REFERENCES org(id),   -- who imported it
	school_id INTEGER REFERENCES org(id),              -- the school, when its name matched one of the district
	idcard TEXT NOT NULL,
	name TEXT NOT NULL,
	school_name TEXT NOT NULL,
	stage TEXT NOT NULL REFERENCES stage(code),
	programme_id INTEGER NOT NULL REFERENCES programme(id),
	term_id INTEGER NOT NULL REFERENCES term(id),
	amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
	tuopin INTEGER NOT NULL DEFAULT 0 CHECK (tuopin IN (0, 1)),
	source TEXT NOT NULL,                              -- file name and its SHA-256
	imported_by INTEGER REFERENCES user(id),
	imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'))
);
CREATE INDEX past_award_scope ON past_award(district_id, term_id, programme_id);
CREATE INDEX past_award_idcard ON past_award(idcard);

-- 数据比对: a list from 民政, 乡村振兴 or 残联, kept with its source and date.
CREATE TABLE match_list (
	id INTEGER PRIMARY KEY,
	district_id INTEGER NOT NULL REFERENCES org(id),
	source TEXT NOT NULL,                              -- 民政 / 乡村振兴 / 残联 / other
	list_date TEXT NOT NULL,                           -- date of the list (ISO)
	filename TEXT NOT NULL,
	sha256 TEXT NOT NULL,
	rows_n INTEGER NOT NULL,
	imported_by INTEGER REFERENCES user(id),
	imported_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'))
);
CREATE TABLE match_entry (
	list_id INTEGER NOT NULL REFERENCES match_list(id),
	idcard TEXT NOT NULL,
	name TEXT NOT NULL,
	category TEXT NOT NULL
);
CREATE INDEX match_entry_idcard ON match_entry(idcard);
CREATE INDEX match_entry_list ON match_entry(list_id);

-- The district's limits for the checks page.
CREATE TABLE district_limits (
	district_id INTEGER PRIMARY KEY REFERENCES org(id),
	overage_age INTEGER NOT NULL DEFAULT 20,           -- 中职: older than this at the term's start is 大龄
	overage_share_pct INTEGER NOT NULL DEFAULT 20 CHECK (overage_share_pct BETWEEN 0 AND 100)
);
