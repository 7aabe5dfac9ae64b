-- 005_notices.sql - 公示: the school's public notice of the list its
-- committee decided, frozen when published, with objections (异议) from
-- the public; the district's publicity settings; the parents' status check.

-- The district's rules for public lists.
CREATE TABLE district_publicity (
	district_id INTEGER PRIMARY KEY REFERENCES org(id),
	mask_names INTEGER NOT NULL DEFAULT 0 CHECK (mask_names IN (0, 1)),   -- 张*明
	grace_days INTEGER NOT NULL DEFAULT 2 CHECK (grace_days BETWEEN 0 AND 7), -- online after the period
	policy_url TEXT NOT NULL DEFAULT ''            -- the district's policy page (http/https or a local path)
);

CREATE TABLE notice (
	id INTEGER PRIMARY KEY,
	school_id INTEGER NOT NULL REFERENCES org(id),
	term_id INTEGER NOT NULL REFERENCES term(id),
	title TEXT NOT NULL,
	body TEXT NOT NULL DEFAULT '',
	starts TEXT NOT NULL,                          -- first day shown (ISO date)
	ends TEXT NOT NULL,                            -- last day of the 公示 period
	programmes TEXT NOT NULL DEFAULT '[]',         -- JSON list of programme ids covered
	status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'passed', 'changed')),
	content TEXT,                                  -- the frozen list (canonical JSON) once published
	sha256 TEXT,                                   -- of content
	grace_days INTEGER NOT NULL DEFAULT 2,         -- copied from the district at publication
	created_by INTEGER NOT NULL REFERENCES user(id),
	published_at TEXT,
	closed_at TEXT,
	close_note TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
	CHECK (starts <= ends),
	CHECK (status = 'draft' OR (content IS NOT NULL AND sha256 IS NOT NULL))
);
CREATE INDEX notice_school ON notice(school_id, term_id);

-- The applications a notice lists (the gate: a case goes to the district
-- only once a notice listing it has passed).
CREATE TABLE notice_application (
	notice_id INTEGER NOT NULL REFERENCES notice(id),
	application_id INTEGER NOT NULL REFERENCES application(id),
	review_version INTEGER NOT NULL,               -- school_review.version the notice listed
	PRIMARY KEY (notice_id, application_id)
);
CREATE INDEX notice_application_app ON notice_application(application_id);

-- 异议: from anyone, during the period.
CREATE TABLE objection (
	id INTEGER PRIMARY KEY,
	notice_id INTEGER NOT NULL REFERENCES notice(id),
	content TEXT NOT NULL CHECK (length(content) > 0),
	name TEXT NOT NULL DEFAULT '',
	phone TEXT NOT NULL DEFAULT '',
	ip TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'answered')),
	upheld INTEGER CHECK (upheld IN (0, 1)),
	answer TEXT NOT NULL DEFAULT '',
	answered_by INTEGER REFERENCES user(id),
	answered_at TEXT,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'))
);
CREATE INDEX objection_notice ON objection(notice_id, status);

-- Rate limit of the public forms (status check, objections) per address.
CREATE TABLE public_attempt (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,
	ip TEXT NOT NULL,
	at INTEGER NOT NULL                            -- unix seconds
);
CREATE INDEX public_attempt_ip ON public_attempt(kind, ip, at);

-- The status check finds a child by name (then by the last 6 of the 身份证号).
CREATE INDEX student_name ON student(name);
