-- 003_terms_standards.sql - the district's set-up for review and payment:
-- terms (学期), the 公示 length and deadlines, the standard per programme
-- tier per term (integer fen: 312.5 元 is 31250), programmes that exclude
-- each other, quotas (名额) per school and the money allocated (下达资金).

-- 学期: two per 学年. Aid is decided and paid per term.
CREATE TABLE term (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,          -- '2025-autumn', '2026-spring'
	school_year TEXT NOT NULL,          -- '2025-2026'
	season TEXT NOT NULL CHECK (season IN ('autumn', 'spring')),
	name TEXT NOT NULL,                 -- '2025年秋季学期'
	starts TEXT NOT NULL,               -- ISO date
	ends TEXT NOT NULL,
	CHECK (starts < ends)
);
INSERT INTO term (code, school_year, season, name, starts, ends) VALUES
	('2025-spring', '2024-2025', 'spring', '2025年春季学期', '2025-02-17', '2025-07-10'),
	('2025-autumn', '2025-2026', 'autumn', '2025年秋季学期', '2025-09-01', '2026-01-20'),
	('2026-spring', '2025-2026', 'spring', '2026年春季学期', '2026-02-23', '2026-07-10'),
	('2026-autumn', '2026-2027', 'autumn', '2026年秋季学期', '2026-09-01', '2027-01-22'),
	('2027-spring', '2026-2027', 'spring', '2027年春季学期', '2027-02-22', '2027-07-09');

-- A district's settings for a term: how long a 公示 runs (5-7 working days)
-- and the deadlines for schools to submit and for the money to be paid.
CREATE TABLE district_term (
	district_id INTEGER NOT NULL REFERENCES org(id),
	term_id INTEGER NOT NULL REFERENCES term(id),
	publicity_days INTEGER NOT NULL DEFAULT 5 CHECK (publicity_days BETWEEN 5 AND 7),
	submit_deadline TEXT,               -- schools submit their lists by this date
	pay_deadline TEXT,                  -- money paid by (spring: May; autumn: November)
	PRIMARY KEY (district_id, term_id)
);

-- 认定档次: data, because some places use two tiers.
CREATE TABLE recognition_tier (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	sort INTEGER NOT NULL
);
INSERT INTO recognition_tier VALUES
	('special', '特别困难', 1), ('fairly', '比较困难', 2), ('general', '一般困难', 3), ('none', '不认定', 9);

-- Whether the 重点保障 groups must get the programme's top tier.
ALTER TABLE programme ADD COLUMN priority_top_tier INTEGER NOT NULL DEFAULT 0 CHECK (priority_top_tier IN (0, 1));
UPDATE programme SET priority_top_tier = 1 WHERE code IN ('pre_grant', 'hs_grant', 'voc_grant');

-- A district's own choice for a term (overrides programme.priority_top_tier).
CREATE TABLE programme_rule (
	district_id INTEGER NOT NULL REFERENCES org(id),
	term_id INTEGER NOT NULL REFERENCES term(id),
	programme_id INTEGER NOT NULL REFERENCES programme(id),
	priority_top_tier INTEGER NOT NULL CHECK (priority_top_tier IN (0, 1)),
	PRIMARY KEY (district_id, term_id, programme_id)
);

-- Programmes a student cannot get together in one term (a < b).
CREATE TABLE programme_exclusion (
	a INTEGER NOT NULL REFERENCES programme(id),
	b INTEGER NOT NULL REFERENCES programme(id),
	PRIMARY KEY (a, b),
	CHECK (a < b)
);
INSERT INTO programme_exclusion
	SELECT min(p.id, q.id), max(p.id, q.id) FROM programme p JOIN programme q
	ON (p.code, q.code) IN (VALUES ('cmp_board', 'cmp_nonboard'), ('jr_board', 'jr_nonboard'));

-- 资助标准: the amount per tier of a programme for a term, in fen.
-- district_id NULL: the national default every district starts from; a
-- district's row for the same programme, term and tier replaces it.
-- Flat programmes have one tier named '标准'.
CREATE TABLE programme_standard (
	id INTEGER PRIMARY KEY,
	district_id INTEGER REFERENCES org(id),
	term_id INTEGER NOT NULL REFERENCES term(id),
	programme_id INTEGER NOT NULL REFERENCES programme(id),
	tier TEXT NOT NULL,                 -- 一档, 二档, 三档, 标准
	tier_sort INTEGER NOT NULL,         -- 1 = the top tier
	amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0)
);
CREATE UNIQUE INDEX programme_standard_key ON programme_standard(coalesce(district_id, 0), term_id, programme_id, tier);

-- National defaults per term (half the yearly standard): 义务教育 living
-- allowance 小学 1250 / 初中 1500 元 a year for boarders since spring 2024,
-- half that for non-boarders (312.50 元 a term); 普通高中 and 中职 国家助学金
-- 3000 / 2300 / 1500 元 a year; 学前 600 元 a term (local; seed 004).
INSERT INTO programme_standard (district_id, term_id, programme_id, tier, tier_sort, amount_fen)
	SELECT NULL, t.id, p.id, s.tier, s.sort, s.fen
	FROM term t JOIN programme p JOIN (
		SELECT 'cmp_board' AS code, '标准' AS tier, 1 AS sort, 62500 AS fen UNION ALL
		SELECT 'cmp_nonboard', '标准', 1, 31250 UNION ALL
		SELECT 'jr_board', '标准', 1, 75000 UNION ALL
		SELECT 'jr_nonboard', '标准', 1, 37500 UNION ALL
		SELECT 'hs_grant', '一档', 1, 150000 UNION ALL
		SELECT 'hs_grant', '二档', 2, 115000 UNION ALL
		SELECT 'hs_grant', '三档', 3, 75000 UNION ALL
		SELECT 'voc_grant', '一档', 1, 150000 UNION ALL
		SELECT 'voc_grant', '二档', 2, 115000 UNION ALL
		SELECT 'voc_grant', '三档', 3, 75000 UNION ALL
		SELECT 'pre_grant', '标准', 1, 60000
	) s ON s.code = p.code;

-- 名额: places per school, programme and term, set by the district.
CREATE TABLE quota (
	term_id INTEGER NOT NULL REFERENCES term(id),
	school_id INTEGER NOT NULL REFERENCES org(id),
	programme_id INTEGER NOT NULL REFERENCES programme(id),
	places INTEGER NOT NULL CHECK (places >= 0),
	PRIMARY KEY (term_id, school_id, programme_id)
);

-- 下达资金: money allocated to a district per programme and term.
CREATE TABLE allocation (
	district_id INTEGER NOT NULL REFERENCES org(id),
	term_id INTEGER NOT NULL REFERENCES term(id),
	programme_id INTEGER NOT NULL REFERENCES programme(id),
	amount_fen INTEGER NOT NULL CHECK (amount_fen >= 0),
	document TEXT NOT NULL DEFAULT '',  -- 文号 of the allocation
	PRIMARY KEY (district_id, term_id, programme_id)
);
