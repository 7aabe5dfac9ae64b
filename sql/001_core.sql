-- 001_core.sql - the organisation tree, users, sessions, sign-in throttling,
-- the audit trail and the student roster that everything else hangs on.
-- Times are ISO 8601 local time text unless a column says unix seconds.

-- 学段: the national stages; data, so reports can name and order them.
CREATE TABLE stage (
	code TEXT PRIMARY KEY,             -- preschool, primary, junior, senior, vocational, higher
	name TEXT NOT NULL,                -- 学前, 小学, 初中, 普通高中, 中职, 高等教育
	sort INTEGER NOT NULL
);
INSERT INTO stage VALUES
	('preschool', '学前教育', 1), ('primary', '小学', 2), ('junior', '初中', 3),
	('senior', '普通高中', 4), ('vocational', '中职', 5), ('higher', '高等教育', 6);

-- 年级: the usual grade names of each 学段 in teaching order, so lists sort
-- 一年级 before 二年级, and the grade each is promoted to at year end (升级);
-- next_name NULL: the last grade of the stage, whose students graduate.
CREATE TABLE grade_level (
	stage TEXT NOT NULL REFERENCES stage(code),
	name TEXT NOT NULL,
	sort INTEGER NOT NULL,
	next_name TEXT,
	PRIMARY KEY (stage, name)
);
INSERT INTO grade_level VALUES
	('preschool', '托班', 0, '小班'), ('preschool', '小班', 1, '中班'),
	('preschool', '中班', 2, '大班'), ('preschool', '大班', 3, NULL),
	('primary', '一年级', 1, '二年级'), ('primary', '二年级', 2, '三年级'),
	('primary', '三年级', 3, '四年级'), ('primary', '四年级', 4, '五年级'),
	('primary', '五年级', 5, '六年级'), ('primary', '六年级', 6, NULL),
	('junior', '七年级', 7, '八年级'), ('junior', '八年级', 8, '九年级'), ('junior', '九年级', 9, NULL),
	('junior', '初一', 7, '初二'), ('junior', '初二', 8, '初三'), ('junior', '初三', 9, NULL),
	('senior', '高一', 10, '高二'), ('senior', '高二', 11, '高三'), ('senior', '高三', 12, NULL),
	('vocational', '一年级', 1, '二年级'), ('vocational', '二年级', 2, '三年级'),
	('vocational', '三年级', 3, NULL),
	('higher', '一年级', 1, '二年级'), ('higher', '二年级', 2, '三年级'),
	('higher', '三年级', 3, '四年级'), ('higher', '四年级', 4, NULL);

-- The organisation tree 市 -> 区(县) -> 学校. Every staff user belongs to one
-- node and sees only what is under it: path is the materialised chain of ids
-- ('/1/', '/1/2/', '/1/2/7/'), so "under" is a prefix test on an index.
CREATE TABLE org (
	id INTEGER PRIMARY KEY,
	parent_id INTEGER REFERENCES org(id),
	kind TEXT NOT NULL CHECK (kind IN ('city', 'district', 'school')),
	name TEXT NOT NULL,
	code TEXT NOT NULL UNIQUE,         -- 行政区划代码 or 学校标识码
	stage TEXT REFERENCES stage(code), -- schools: main 学段
	path TEXT NOT NULL UNIQUE,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
	CHECK ((kind = 'city') = (parent_id IS NULL)),
	CHECK (kind <> 'school' OR stage IS NOT NULL)
);
CREATE INDEX org_parent ON org(parent_id);

CREATE TABLE user (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL UNIQUE COLLATE NOCASE,
	display_name TEXT NOT NULL,
	org_id INTEGER NOT NULL REFERENCES org(id),
	role TEXT NOT NULL CHECK (role IN ('city_viewer', 'district_reviewer', 'district_admin',
	                                   'school_officer', 'committee_member')),
	password_hash TEXT NOT NULL,       -- argon2id, crypto_pwhash_str format
	active INTEGER NOT NULL DEFAULT 1,
	password_changed_at TEXT,
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'))
);
CREATE INDEX user_org ON user(org_id);

-- Sessions: the cookie carries a random token; only its SHA-256 is stored,
-- so a copy of the database cannot be used to sign in.
CREATE TABLE session (
	id INTEGER PRIMARY KEY,
	token_hash TEXT NOT NULL UNIQUE,   -- hex SHA-256 of the cookie token
	user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
	csrf TEXT NOT NULL,                -- per-session CSRF token put in every form
	created_at INTEGER NOT NULL,       -- unix seconds
	last_seen INTEGER NOT NULL,        -- unix seconds; idle sessions expire
	expires_at INTEGER NOT NULL,       -- unix seconds; absolute limit
	ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX session_user ON session(user_id);

-- Every sign-in attempt, for throttling (failures per user name and per
-- address in a window) and for the audit of access.
CREATE TABLE login_attempt (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL COLLATE NOCASE,
	ip TEXT NOT NULL,
	at INTEGER NOT NULL,               -- unix seconds
	ok INTEGER NOT NULL
);
CREATE INDEX login_attempt_user ON login_attempt(username, at);
CREATE INDEX login_attempt_ip ON login_attempt(ip, at);

-- The audit trail: who, when, what, before and after, written in the same
-- transaction as the change. Append-only: the triggers refuse edits.
CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
	user_id INTEGER REFERENCES user(id),
	username TEXT NOT NULL DEFAULT '', -- as it was then ('' for the system/CLI)
	org_id INTEGER REFERENCES org(id), -- the node the changed thing belongs to (scope of readers)
	action TEXT NOT NULL,              -- e.g. user.create, auth.password
	entity TEXT NOT NULL,              -- table or kind of thing
	entity_id INTEGER,
	before_json TEXT,                  -- NULL for a creation
	after_json TEXT,                   -- NULL for a deletion
	ip TEXT NOT NULL DEFAULT ''
);
CREATE INDEX audit_org_at ON audit_log(org_id, id);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;

-- 学生名册: one row per enrolment of a student at a school. History follows
-- a student across schools by 身份证号 (idcard), so it is indexed alone too.
CREATE TABLE student (
	id INTEGER PRIMARY KEY,
	school_id INTEGER NOT NULL REFERENCES org(id),
	name TEXT NOT NULL,
	gender TEXT NOT NULL CHECK (gender IN ('男', '女')),
	idcard TEXT NOT NULL CHECK (length(idcard) = 18),
	xueji_no TEXT NOT NULL DEFAULT '', -- 学籍号
	stage TEXT NOT NULL REFERENCES stage(code),
	grade TEXT NOT NULL,               -- 年级, e.g. 三年级, 高一
	class_name TEXT NOT NULL,          -- 班级, e.g. 2班
	boarding INTEGER NOT NULL DEFAULT 0 CHECK (boarding IN (0, 1)), -- 寄宿生
	hukou TEXT NOT NULL DEFAULT '' CHECK (hukou IN ('', '城镇', '农村')),
	guardian TEXT NOT NULL DEFAULT '', -- 监护人
	phone TEXT NOT NULL DEFAULT '',
	account_type TEXT NOT NULL DEFAULT '' CHECK (account_type IN ('', '资助卡', '社保卡')),
	account_no TEXT NOT NULL DEFAULT '',
	bank TEXT NOT NULL DEFAULT '',
	status TEXT NOT NULL DEFAULT '在读' CHECK (status IN ('在读', '毕业', '转出', '休学')),
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'))
);
-- one current enrolment per child and school; a child who left (转出, 毕业)
-- may come back as a new enrolment
CREATE UNIQUE INDEX student_enrolled_once ON student(school_id, idcard) WHERE status = '在读';
CREATE INDEX student_idcard ON student(idcard);
CREATE INDEX student_school_class ON student(school_id, grade, class_name, name);
