-- 004_review.sql - 三级评审: the class committee's votes and recusals, its
-- recommendation, the school committee's decision with proposed awards,
-- the school's submission to the district in batches, and the district's
-- decision on each case. Who, when and why of every step is also in
-- audit_log.

-- 班级评议: one vote per committee member and application.
CREATE TABLE class_vote (
	application_id INTEGER NOT NULL REFERENCES application(id),
	user_id INTEGER NOT NULL REFERENCES user(id),
	tier TEXT NOT NULL REFERENCES recognition_tier(code),
	remark TEXT NOT NULL DEFAULT '',
	at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
	PRIMARY KEY (application_id, user_id)
);

-- 回避: a member related to the applicant does not vote on the case.
CREATE TABLE recusal (
	application_id INTEGER NOT NULL REFERENCES application(id),
	user_id INTEGER NOT NULL REFERENCES user(id),
	reason TEXT NOT NULL CHECK (length(reason) > 0),
	at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
	PRIMARY KEY (application_id, user_id)
);

-- The class committee's recommendation once its votes are in.
CREATE TABLE class_review (
	application_id INTEGER PRIMARY KEY REFERENCES application(id),
	tier TEXT NOT NULL REFERENCES recognition_tier(code),
	participants TEXT NOT NULL,        -- names of those who voted
	remarks TEXT NOT NULL DEFAULT '',
	recorded_by INTEGER NOT NULL REFERENCES user(id),
	at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'))
);

-- 学校审核: the recognised tier for the 学年, the rank, and the reasons
-- the school must give (a manual change of rank; a 重点保障 student left
-- without aid or below the top tier).
CREATE TABLE school_review (
	application_id INTEGER PRIMARY KEY REFERENCES application(id),
	term_id INTEGER NOT NULL REFERENCES term(id),
	tier TEXT NOT NULL REFERENCES recognition_tier(code),
	rank INTEGER,                      -- NULL: ranked by score
	rank_reason TEXT NOT NULL DEFAULT '',
	priority_reason TEXT NOT NULL DEFAULT '',
	remarks TEXT NOT NULL DEFAULT '',
	adjust_reason TEXT NOT NULL DEFAULT '', -- 动态调整: why a recognised case is decided again for a later term
	version INTEGER NOT NULL DEFAULT 1,  -- counts the decisions; a 公示 covers one version
	decided_by INTEGER NOT NULL REFERENCES user(id),
	at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
	CHECK (rank IS NULL OR length(rank_reason) > 0)
);

-- 资助: one programme and tier for a student in a term, amount from the
-- standard. idcard makes "one student, one programme, one term" hold
-- across every school of the city, whatever enrolment it came from.
CREATE TABLE award (
	id INTEGER PRIMARY KEY,
	application_id INTEGER NOT NULL REFERENCES application(id),
	idcard TEXT NOT NULL,
	school_id INTEGER NOT NULL REFERENCES org(id),
	term_id INTEGER NOT NULL REFERENCES term(id),
	programme_id INTEGER NOT NULL REFERENCES programme(id),
	tier TEXT NOT NULL,
	amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
	status TEXT NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'approved', 'returned', 'ended')),
	end_reason TEXT NOT NULL DEFAULT '',
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'))
);
CREATE UNIQUE INDEX award_once ON award(idcard, term_id, programme_id) WHERE status IN ('proposed', 'approved');
CREATE INDEX award_app ON award(application_id);
CREATE INDEX award_school_term ON award(school_id, term_id, programme_id, status);

-- 上报: a school's list for a term, sent to the district as one batch.
CREATE TABLE batch (
	id INTEGER PRIMARY KEY,
	school_id INTEGER NOT NULL REFERENCES org(id),
	term_id INTEGER NOT NULL REFERENCES term(id),
	status TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'decided')),
	submitted_by INTEGER NOT NULL REFERENCES user(id),
	submitted_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
	decided_by INTEGER REFERENCES user(id),
	decided_at TEXT
);
CREATE INDEX batch_school_term ON batch(school_id, term_id);

CREATE TABLE batch_item (
	batch_id INTEGER NOT NULL REFERENCES batch(id),
	application_id INTEGER NOT NULL REFERENCES application(id),
	decision TEXT NOT NULL DEFAULT 'pending' CHECK (decision IN ('pending', 'approved', 'returned')),
	reason TEXT NOT NULL DEFAULT '',
	PRIMARY KEY (batch_id, application_id),
	CHECK (decision <> 'returned' OR length(reason) > 0)
);
-- an application is in at most one undecided batch
CREATE UNIQUE INDEX batch_item_pending ON batch_item(application_id) WHERE decision = 'pending';

-- The reason the district gave when it returned a case, shown to the school.
ALTER TABLE application ADD COLUMN return_reason TEXT NOT NULL DEFAULT '';
