-- 007_policies_care_complaints.sql - telling families what they are
-- entitled to (policy pages, 明白卡), keeping one file per student (care
-- records with attachments), and answering complaints on time.

-- A district's policy page, written in Markdown; stage NULL: every 学段.
CREATE TABLE policy (
	id INTEGER PRIMARY KEY,
	district_id INTEGER NOT NULL REFERENCES org(id),
	stage TEXT REFERENCES stage(code),
	title TEXT NOT NULL CHECK (length(title) > 0),
	body_md TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published')),
	created_by INTEGER NOT NULL REFERENCES user(id),
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
	published_at TEXT
);
CREATE INDEX policy_district ON policy(district_id, status, stage);

-- 一生一档 care records: 家访, 学业帮扶, 心理关爱, 勤工助学.
CREATE TABLE care_record (
	id INTEGER PRIMARY KEY,
	student_id INTEGER NOT NULL REFERENCES student(id),
	kind TEXT NOT NULL CHECK (kind IN ('home_visit', 'academic', 'psych', 'work_study')),
	date TEXT NOT NULL,                    -- ISO date of the visit or help
	people TEXT NOT NULL,                  -- who visited / who helped
	notes TEXT NOT NULL DEFAULT '',        -- findings, what was done
	created_by INTEGER NOT NULL REFERENCES user(id),
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'))
);
CREATE INDEX care_student ON care_record(student_id, date);

CREATE TABLE care_attachment (
	id INTEGER PRIMARY KEY,
	care_id INTEGER NOT NULL REFERENCES care_record(id),
	filename TEXT NOT NULL,
	content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
	size INTEGER NOT NULL,
	sha256 TEXT NOT NULL,
	data BLOB NOT NULL
);
CREATE INDEX care_attachment_care ON care_attachment(care_id);

-- 投诉举报: from anyone; a tracking code to read the answer; assigned to
-- a school or a district; due in 15 days by default.
CREATE TABLE complaint (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,             -- tracking number given to the complainant
	org_id INTEGER NOT NULL REFERENCES org(id),
	content TEXT NOT NULL CHECK (length(content) > 0),
	contact TEXT NOT NULL DEFAULT '',
	ip TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered')),
	deadline TEXT NOT NULL,                -- ISO date
	answer TEXT NOT NULL DEFAULT '',
	answered_by INTEGER REFERENCES user(id),
	answered_at TEXT,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'))
);
CREATE INDEX complaint_org ON complaint(org_id, status);
