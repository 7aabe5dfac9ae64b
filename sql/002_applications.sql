-- 002_applications.sql - what the school officer works with every day:
-- difficulty categories and score weights (district data), programmes, the
-- 认定申请 with its family members and evidence, roster imports and the
-- year-end promotion.

-- 家庭经济困难类型: data, because names differ by province and changed after
-- 2021. district_id NULL: the city-wide list; a row with a district_id is a
-- category only that district uses. priority = 1 marks the 重点保障 groups
-- that must be aided (at the top tier). points: the default 量化 points; a
-- district sets its own in category_points.
CREATE TABLE difficulty_category (
	id INTEGER PRIMARY KEY,
	district_id INTEGER REFERENCES org(id),
	code TEXT NOT NULL,
	name TEXT NOT NULL,
	priority INTEGER NOT NULL DEFAULT 0 CHECK (priority IN (0, 1)),
	points INTEGER NOT NULL DEFAULT 0 CHECK (points BETWEEN 0 AND 100), -- 量化 score it adds
	sort INTEGER NOT NULL DEFAULT 0,
	active INTEGER NOT NULL DEFAULT 1
);
CREATE UNIQUE INDEX difficulty_category_code ON difficulty_category(coalesce(district_id, 0), code);
INSERT INTO difficulty_category (district_id, code, name, priority, points, sort) VALUES
	(NULL, 'tuopin', '脱贫享受政策家庭', 1, 30, 1),
	(NULL, 'jiance', '防返贫监测对象（边缘易致贫户）', 1, 30, 2),
	(NULL, 'dibao', '最低生活保障家庭', 1, 30, 3),
	(NULL, 'tekun', '特困供养人员', 1, 40, 4),
	(NULL, 'guer', '孤儿', 1, 40, 5),
	(NULL, 'wurenfuyang', '事实无人抚养儿童', 1, 40, 6),
	(NULL, 'kunjing', '重点困境儿童', 1, 30, 7),
	(NULL, 'canji_self', '残疾学生', 1, 30, 8),
	(NULL, 'canji_family', '残疾人家庭', 0, 20, 9),
	(NULL, 'lieshi', '烈士子女 / 优抚对象子女', 1, 30, 10),
	(NULL, 'zhongbing', '父母重病或丧失劳动能力', 0, 20, 11),
	(NULL, 'tufa', '突发事件（灾害、重大变故）', 0, 20, 12),
	(NULL, 'other', '学校认定的其他困难', 0, 10, 13);

-- A district's own points for a category (overrides difficulty_category.points).
CREATE TABLE category_points (
	district_id INTEGER NOT NULL REFERENCES org(id),
	category_id INTEGER NOT NULL REFERENCES difficulty_category(id),
	points INTEGER NOT NULL CHECK (points BETWEEN 0 AND 100),
	PRIMARY KEY (district_id, category_id)
);

-- 量化指标 weights a district sets for the factors the form records (the
-- categories carry their own points above). district_id NULL: defaults.
-- Keys: income_below_1..3 (人均年收入 thresholds in fen, key *_fen) and the
-- points for each band; member_ill (per member seriously ill or disabled);
-- member_unemployed; housing_poor (危房/无房/租住); major_event; single_parent;
-- large_family (人口 >= 5).
CREATE TABLE score_weight (
	district_id INTEGER REFERENCES org(id),
	key TEXT NOT NULL,
	value INTEGER NOT NULL CHECK (value >= 0),
	PRIMARY KEY (district_id, key)
);
CREATE UNIQUE INDEX score_weight_key ON score_weight(coalesce(district_id, 0), key);
INSERT INTO score_weight (district_id, key, value) VALUES
	(NULL, 'income_below_1_fen', 300000), (NULL, 'income_below_1', 30),
	(NULL, 'income_below_2_fen', 600000), (NULL, 'income_below_2', 20),
	(NULL, 'income_below_3_fen', 1000000), (NULL, 'income_below_3', 10),
	(NULL, 'member_ill', 10), (NULL, 'member_unemployed', 5),
	(NULL, 'housing_poor', 10), (NULL, 'major_event', 10),
	(NULL, 'single_parent', 10), (NULL, 'large_family', 5);

-- 资助项目: the national programmes per 学段. Tiers, standards per term,
-- exclusions and quotas are the district's set-up (added with the review work).
CREATE TABLE programme (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,
	name TEXT NOT NULL,
	stage TEXT NOT NULL REFERENCES stage(code),
	kind TEXT NOT NULL CHECK (kind IN ('tiered', 'flat', 'waiver', 'loan', 'in_kind', 'local')),
	sort INTEGER NOT NULL DEFAULT 0,
	active INTEGER NOT NULL DEFAULT 1
);
INSERT INTO programme (code, name, stage, kind, sort) VALUES
	('pre_grant', '学前教育政府助学金（幼儿生活费资助）', 'preschool', 'tiered', 1),
	('pre_fee', '保教费减免', 'preschool', 'waiver', 2),
	('cmp_board', '家庭经济困难寄宿生生活补助', 'primary', 'flat', 3),
	('cmp_nonboard', '家庭经济困难非寄宿生生活补助', 'primary', 'flat', 4),
	('cmp_meal', '营养膳食补助', 'primary', 'in_kind', 5),
	('jr_board', '家庭经济困难寄宿生生活补助', 'junior', 'flat', 6),
	('jr_nonboard', '家庭经济困难非寄宿生生活补助', 'junior', 'flat', 7),
	('jr_meal', '营养膳食补助', 'junior', 'in_kind', 8),
	('hs_grant', '普通高中国家助学金', 'senior', 'tiered', 9),
	('hs_tuition', '普通高中免学费', 'senior', 'waiver', 10),
	('hs_lodging', '普通高中免住宿费', 'senior', 'waiver', 11),
	('voc_grant', '中职国家助学金', 'vocational', 'tiered', 12),
	('voc_tuition', '中职免学费', 'vocational', 'waiver', 13),
	('he_loan', '生源地信用助学贷款', 'higher', 'loan', 14);

-- 认定申请: one per enrolment and 学年 ('2025-2026'). school_id is the
-- enrolment's school, kept here so scope checks need no join.
CREATE TABLE application (
	id INTEGER PRIMARY KEY,
	student_id INTEGER NOT NULL REFERENCES student(id),
	school_id INTEGER NOT NULL REFERENCES org(id),
	school_year TEXT NOT NULL CHECK (school_year GLOB '[12][0-9][0-9][0-9]-[12][0-9][0-9][0-9]'),
	status TEXT NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'submitted', 'withdrawn',
		'returned', 'class_reviewed', 'school_reviewed', 'approved', 'rejected')),
	household_size INTEGER NOT NULL DEFAULT 0 CHECK (household_size BETWEEN 0 AND 30), -- 家庭人口
	income_fen INTEGER CHECK (income_fen IS NULL OR income_fen >= 0), -- 家庭年总收入; NULL: not yet given
	housing TEXT NOT NULL DEFAULT '',            -- 住房情况: 自有住房 / 租住 / 危房 / 无房 / 其他
	major_event TEXT NOT NULL DEFAULT '',        -- 重大变故 (free text; empty = none)
	single_parent INTEGER NOT NULL DEFAULT 0 CHECK (single_parent IN (0, 1)),
	reason TEXT NOT NULL DEFAULT '',             -- 申请理由 in the family's words
	officer_summary TEXT NOT NULL DEFAULT '',    -- 资助专干 summary for the committees
	pledge_confirmed INTEGER NOT NULL DEFAULT 0 CHECK (pledge_confirmed IN (0, 1)), -- 承诺书
	pledge_signer TEXT NOT NULL DEFAULT '',      -- who signed the 承诺书 (监护人)
	score INTEGER NOT NULL DEFAULT 0,            -- 量化 score when last saved
	score_detail TEXT NOT NULL DEFAULT '[]',     -- JSON: [{"item":..., "points":...}]
	created_by INTEGER REFERENCES user(id),
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
	updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
	submitted_at TEXT,
	UNIQUE (student_id, school_year)
);
CREATE INDEX application_school ON application(school_id, school_year, status);

-- 家庭成员
CREATE TABLE application_member (
	id INTEGER PRIMARY KEY,
	application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
	sort INTEGER NOT NULL,
	name TEXT NOT NULL,
	relation TEXT NOT NULL,                      -- 父亲, 母亲, 祖父 …
	age INTEGER NOT NULL CHECK (age BETWEEN 0 AND 130),
	occupation TEXT NOT NULL DEFAULT '',         -- 工作单位/职业
	health TEXT NOT NULL DEFAULT '健康',         -- 健康 / 患病 / 重病 / 残疾 / 丧失劳动能力
	unemployed INTEGER NOT NULL DEFAULT 0 CHECK (unemployed IN (0, 1)),
	income_fen INTEGER NOT NULL DEFAULT 0 CHECK (income_fen >= 0) -- 年收入
);
CREATE INDEX application_member_app ON application_member(application_id, sort);

CREATE TABLE application_category (
	application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
	category_id INTEGER NOT NULL REFERENCES difficulty_category(id),
	PRIMARY KEY (application_id, category_id)
);

CREATE TABLE application_programme (
	application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
	programme_id INTEGER NOT NULL REFERENCES programme(id),
	PRIMARY KEY (application_id, programme_id)
);

-- 证明材料: scans kept in the database (one file to back up, written in the
-- same transaction as its audit row). sha256 of the bytes as received.
CREATE TABLE evidence (
	id INTEGER PRIMARY KEY,
	application_id INTEGER NOT NULL REFERENCES application(id) ON DELETE CASCADE,
	filename TEXT NOT NULL,
	content_type TEXT NOT NULL CHECK (content_type IN ('application/pdf', 'image/jpeg', 'image/png')),
	size INTEGER NOT NULL,
	sha256 TEXT NOT NULL,
	data BLOB NOT NULL,
	uploaded_by INTEGER REFERENCES user(id),
	uploaded_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'))
);
CREATE INDEX evidence_app ON evidence(application_id);

-- Roster imports: the parsed rows wait here between the preview and the
-- officer's decision; applied in one transaction.
CREATE TABLE roster_import (
	id INTEGER PRIMARY KEY,
	school_id INTEGER NOT NULL REFERENCES org(id),
	user_id INTEGER NOT NULL REFERENCES user(id),
	filename TEXT NOT NULL,
	format TEXT NOT NULL,
	sha256 TEXT NOT NULL,
	rows_json TEXT NOT NULL,                     -- [{"line":N,"cells":{...},"errors":[...]}]
	good INTEGER NOT NULL,
	bad INTEGER NOT NULL,
	status TEXT NOT NULL DEFAULT 'preview' CHECK (status IN ('preview', 'applied', 'discarded')),
	created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
	applied_at TEXT
);

-- 升级: one promotion per school and 学年, so a double click cannot promote twice.
CREATE TABLE promotion (
	school_id INTEGER NOT NULL REFERENCES org(id),
	school_year TEXT NOT NULL,
	user_id INTEGER REFERENCES user(id),
	promoted INTEGER NOT NULL,
	graduated INTEGER NOT NULL,
	at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')),
	PRIMARY KEY (school_id, school_year)
);

-- 转学: the new enrolment remembers the one it came from.
ALTER TABLE student ADD COLUMN transferred_from INTEGER REFERENCES student(id);
CREATE INDEX student_status ON student(school_id, status);
