/* queries.h - every SQL statement of the program, in one table, prepared
 * once per worker (db_prepare_all), and the db_<entity>_<verb> functions
 * that bind values and return plain C values or JSON for the templates.
 *
 * Scope: statements that read things "under" an org take the reader's org
 * path (e.g. '/1/2/') and compare with the range [path, path || '~'), which
 * matches exactly the paths that start with it and uses the index. */
#ifndef ZZ_QUERIES_H
#define ZZ_QUERIES_H
#include "db/db.h"
#include <jansson.h>
#include <stdint.h>

#define SCOPE(col) "(" col " >= ?1 AND " col " < ?1 || '~')"

/* A 身份证号 in col that may be wrong: not certainly right by the rule of
 * idcard_check (17 ASCII digits and a digit or X, a known province code, a
 * real birth date up to IDCARD_SURE_UNTIL, the MOD 11-2 check character).
 * The same text as the WHERE of the partial index past_award_idcard_suspect
 * (sql/017), which SQLite uses only for a query that says exactly this.
 * Not NULL for a non-NULL col. */
#define IDCARD_SURE_UNTIL 20250101
#define IDCARD_DIGIT(col, i, w) "substr(" col ", " #i ", 1) * " #w
#define IDCARD_SUSPECT(col)                                                                                  \
	"NOT (" col " GLOB '[0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9][0-9X]' " \
	"AND instr(',11,12,13,14,15,21,22,23,31,32,33,34,35,36,37,41,42,43,44,45,46,50,51,52,53,54,61,62,63,64,65,71,81,82,', " \
	"',' || substr(" col ", 1, 2) || ',') > 0 "                                                         \
	"AND substr(" col ", 7, 8) BETWEEN '19000101' AND '20250101' "                                    \
	"AND substr(" col ", 11, 2) BETWEEN '01' AND '12' "                                                \
	"AND substr(" col ", 13, 2) BETWEEN '01' AND CASE WHEN instr(',04,06,09,11,', ',' || substr(" col ", 11, 2) || ',') > 0 THEN '30' " \
	"WHEN substr(" col ", 11, 2) <> '02' THEN '31' WHEN substr(" col ", 9, 2) % 4 = 0 AND substr(" col ", 7, 4) <> '1900' " \
	"THEN '29' ELSE '28' END "                                                                         \
	"AND substr('10X98765432', (" IDCARD_DIGIT(col, 1, 7) " + " IDCARD_DIGIT(col, 2, 9) " + "           \
	IDCARD_DIGIT(col, 3, 10) " + " IDCARD_DIGIT(col, 4, 5) " + " IDCARD_DIGIT(col, 5, 8) " + "          \
	IDCARD_DIGIT(col, 6, 4) " + " IDCARD_DIGIT(col, 7, 2) " + " IDCARD_DIGIT(col, 8, 1) " + "           \
	IDCARD_DIGIT(col, 9, 6) " + " IDCARD_DIGIT(col, 10, 3) " + " IDCARD_DIGIT(col, 11, 7) " + "         \
	IDCARD_DIGIT(col, 12, 9) " + " IDCARD_DIGIT(col, 13, 10) " + " IDCARD_DIGIT(col, 14, 5) " + "       \
	IDCARD_DIGIT(col, 15, 8) " + " IDCARD_DIGIT(col, 16, 4) " + " IDCARD_DIGIT(col, 17, 2)            \
	") % 11 + 1, 1) = substr(" col ", 18, 1))"

/* The 在读 students of ?1 scope whose 身份证号 idcard_check refuses on day
 * ?2, judged in student_enrolled_once: a row is read only for the name of
 * a refused one. The first half of the 身份证号 checks. */
#define CHECK_IDCARD_STUDENTS                                                                     \
	"SELECT s.id, s.name, s.idcard, o.name AS school_name FROM org o CROSS JOIN student s "     \
	"INDEXED BY student_enrolled_once ON s.school_id = o.id "                                   \
	"WHERE " SCOPE("o.path") " AND s.status = '在读' AND idcard_refused(s.idcard, ?2) "

/* The applications list's filters over application a of school o: ?1 scope,
 * ?2 status (or ''), ?3 学年 (always one), ?4 grade (or ''), ?5 class (or
 * ''), ?6 name or 身份证号 (or ''). Written so that application_school is
 * sought by school, 学年, each status and the grade, and a count by class
 * reads only that index (other counts read app_count): the status as a list
 * of the statuses the table allows, the grade as a range that is one value
 * when given (char(1114111) sorts after every string). */
#define APP_YEAR_STATUS_GRADE(t)                                                                   \
	t "school_year = ?3 AND " t "status IN (SELECT column1 FROM (VALUES "                        \
	"('draft'), ('submitted'), ('withdrawn'), ('returned'), ('class_reviewed'), ('school_reviewed'), " \
	"('approved'), ('rejected')) WHERE ?2 = '' OR column1 = ?2) "                                \
	"AND " t "grade >= ?4 AND " t "grade <= CASE WHEN ?4 = '' THEN char(1114111) ELSE ?4 END "
#define APP_FILTER                                                                                 \
	SCOPE("o.path") " AND " APP_YEAR_STATUS_GRADE("a.")                                          \
	APP_CLASS_NAME

/* ?5 class (or ''), ?6 part of the name or the whole 身份证号 (or ''), from
 * the application's copies of them (011, 013, 018) */
#define APP_CLASS_NAME                                                                             \
	"AND (?5 = '' OR a.class_name = ?5) "                                                        \
	"AND (?6 = '' OR instr(a.student_name, ?6) > 0 OR a.idcard = upper(?6)) "

/* A row of the applications list, and its order: by school, then score from
 * the highest. With a status and a grade asked for, the page is read in that
 * order from application_school (018); otherwise each school's matches are
 * sorted. */
#define APP_ROW                                                                                    \
	"a.id, a.school_year, a.status, a.score, a.updated_at, a.student_name, a.idcard, a.grade, "  \
	"a.class_name, o.name AS school_name, a.evidence_n AS evidence "
#define APP_SORT " ORDER BY o.path, a.score DESC, a.id"
#define APP_ORDER APP_SORT " LIMIT ?7 OFFSET ?8"

/* The 台账 entries' filters: ?1 the reader's scope, ?2 term, ?3 programme
 * (or 0), ?4 kind (or ''), ?5 school (or 0), ?6 the district, which must be
 * inside the scope (checked once, so that ledger_list is sought by it). */
#define LEDGER_FILTER(l)                                                                           \
	l "district_id = ?6 AND " l "term_id = ?2 AND (?3 = 0 OR " l "programme_id = ?3) "             \
	"AND (?4 = '' OR " l "kind = ?4) AND (?5 = 0 OR " l "school_id = ?5) "                          \
	"AND EXISTS (SELECT 1 FROM org d WHERE d.id = ?6 AND d.kind = 'district' AND " SCOPE("d.path") ")"

#define QUERY_LIST(X)                                                                              \
	X(Q_USER_BY_NAME,                                                                          \
	  "SELECT u.id, u.username, u.display_name, u.role, u.org_id, u.password_hash, u.active, " \
	  "o.name AS org_name, o.kind AS org_kind, o.path AS org_path "                            \
	  "FROM user u JOIN org o ON o.id = u.org_id WHERE u.username = ?1")                       \
	X(Q_USER_BY_ID,                                                                            \
	  "SELECT u.id, u.username, u.display_name, u.role, u.org_id, u.password_hash, u.active, " \
	  "o.name AS org_name, o.kind AS org_kind, o.path AS org_path "                            \
	  "FROM user u JOIN org o ON o.id = u.org_id WHERE u.id = ?1")                             \
	X(Q_USER_INSERT,                                                                           \
	  "INSERT INTO user (username, display_name, org_id, role, password_hash) "                \
	  "VALUES (?1, ?2, ?3, ?4, ?5)")                                                           \
	X(Q_USER_SET_PASSWORD,                                                                     \
	  "UPDATE user SET password_hash = ?2, "                                                   \
	  "password_changed_at = strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime') WHERE id = ?1") \
	X(Q_USERS_IN_SCOPE,                                                                        \
	  "SELECT u.id, u.username, u.display_name, u.role, u.active, o.name AS org_name "         \
	  "FROM user u JOIN org o ON o.id = u.org_id WHERE " SCOPE("o.path")                       \
	  " ORDER BY o.path, u.role, u.username")                                                  \
	X(Q_SESSION_INSERT,                                                                        \
	  "INSERT INTO session (token_hash, user_id, csrf, created_at, last_seen, expires_at, ip) " \
	  "VALUES (?1, ?2, ?3, ?4, ?4, ?5, ?6)")                                                   \
	X(Q_SESSION_LOOKUP,                                                                        \
	  "SELECT s.id AS session_id, s.csrf, s.last_seen, s.expires_at, u.id, u.username, "       \
	  "u.display_name, u.role, u.org_id, u.active, o.name AS org_name, o.kind AS org_kind, "   \
	  "o.path AS org_path FROM session s JOIN user u ON u.id = s.user_id "                     \
	  "JOIN org o ON o.id = u.org_id WHERE s.token_hash = ?1")                                 \
	X(Q_SESSION_TOUCH, "UPDATE session SET last_seen = ?2 WHERE id = ?1")                       \
	X(Q_SESSION_DELETE, "DELETE FROM session WHERE id = ?1")                                   \
	X(Q_SESSION_DELETE_OTHERS, "DELETE FROM session WHERE user_id = ?1 AND id <> ?2")          \
	X(Q_SESSION_PURGE, "DELETE FROM session WHERE expires_at < ?1 OR last_seen < ?2")          \
	X(Q_LOGIN_INSERT, "INSERT INTO login_attempt (username, ip, at, ok) VALUES (?1, ?2, ?3, ?4)") \
	X(Q_LOGIN_FAILS_USER,                                                                      \
	  "SELECT count(*), min(at) FROM login_attempt WHERE username = ?1 AND ok = 0 AND at > ?2 " \
	  "AND at > coalesce((SELECT max(at) FROM login_attempt WHERE username = ?1 AND ok = 1), 0)") \
	X(Q_LOGIN_FAILS_IP,                                                                        \
	  "SELECT count(*), min(at) FROM login_attempt WHERE ip = ?1 AND ok = 0 AND at > ?2")      \
	X(Q_LOGIN_PURGE, "DELETE FROM login_attempt WHERE at < ?1")                                \
	X(Q_AUDIT_INSERT,                                                                          \
	  "INSERT INTO audit_log (user_id, username, org_id, action, entity, entity_id, "          \
	  "before_json, after_json, ip) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")              \
	X(Q_AUDIT_PAGE,                                                                            \
	  "SELECT a.id, a.at, a.username, a.action, a.entity, a.entity_id, a.before_json, "        \
	  "a.after_json, a.ip, o.name AS org_name FROM audit_log a JOIN org o ON o.id = a.org_id " \
	  "WHERE " SCOPE("o.path") " AND (?2 = '' OR a.action = ?2) "                              \
	  "ORDER BY a.id DESC LIMIT ?3 OFFSET ?4")                                                 \
	X(Q_AUDIT_COUNT,                                                                           \
	  "SELECT count(*) FROM audit_log a JOIN org o ON o.id = a.org_id "                        \
	  "WHERE " SCOPE("o.path") " AND (?2 = '' OR a.action = ?2)")                              \
	X(Q_AUDIT_ACTIONS,                                                                         \
	  "SELECT DISTINCT a.action FROM audit_log a JOIN org o ON o.id = a.org_id WHERE "         \
	  SCOPE("o.path") " ORDER BY a.action")                                                    \
	X(Q_ORG_BY_ID,                                                                             \
	  "SELECT o.id, o.parent_id, o.kind, o.name, o.code, o.stage, o.path, s.name AS stage_name " \
	  "FROM org o LEFT JOIN stage s ON s.code = o.stage WHERE o.id = ?2 AND " SCOPE("o.path"))  \
	X(Q_ORG_BY_CODE, "SELECT id, kind, name, path FROM org WHERE code = ?1")                   \
	X(Q_ORG_INSERT,                                                                            \
	  "INSERT INTO org (parent_id, kind, name, code, stage, path) VALUES "                     \
	  "(?1, ?2, ?3, ?4, ?5, coalesce((SELECT path FROM org WHERE id = ?1), '/') || "           \
	  "(SELECT coalesce(max(id), 0) + 1 FROM org) || '/')")                                    \
	X(Q_SCHOOLS_IN_SCOPE,                                                                      \
	  "SELECT o.id, o.name, o.code, st.name AS stage_name, p.name AS district_name, "          \
	  "(SELECT count(*) FROM student s WHERE s.school_id = o.id AND s.status = '在读') AS students " \
	  "FROM org o JOIN stage st ON st.code = o.stage LEFT JOIN org p ON p.id = o.parent_id "   \
	  "WHERE o.kind = 'school' AND " SCOPE("o.path") " ORDER BY o.path")                       \
	X(Q_DISTRICTS_IN_SCOPE,                                                                    \
	  "SELECT d.id, d.name, d.code, "                                                          \
	  "(SELECT count(*) FROM org o WHERE o.parent_id = d.id AND o.kind = 'school') AS schools, " \
	  "(SELECT count(*) FROM student s JOIN org o ON o.id = s.school_id "                      \
	  " WHERE o.parent_id = d.id AND s.status = '在读') AS students "                           \
	  "FROM org d WHERE d.kind = 'district' AND " SCOPE("d.path") " ORDER BY d.path")           \
	X(Q_ORGS_FOR_USERS,                                                                        \
	  "SELECT o.id, o.kind, o.name FROM org o WHERE " SCOPE("o.path") " ORDER BY o.path")       \
	X(Q_STUDENT_BY_ID,                                                                         \
	  "SELECT s.*, o.name AS school_name, st.name AS stage_name FROM student s "               \
	  "JOIN org o ON o.id = s.school_id JOIN stage st ON st.code = s.stage "                   \
	  "WHERE s.id = ?2 AND " SCOPE("o.path"))                                                  \
	X(Q_STUDENT_INSERT,                                                                        \
	  "INSERT INTO student (school_id, name, gender, idcard, xueji_no, stage, grade, "          \
	  "class_name, boarding, hukou, guardian, phone, account_type, account_no, bank) "          \
	  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)")             \
	X(Q_STUDENT_PAGE,                                                                          \
	  "SELECT s.id, s.name, s.gender, s.idcard, s.grade, s.class_name, s.boarding, s.status, " \
	  "o.name AS school_name, st.name AS stage_name FROM student s "                           \
	  "JOIN org o ON o.id = s.school_id JOIN stage st ON st.code = s.stage "                   \
	  "LEFT JOIN grade_level g ON g.stage = s.stage AND g.name = s.grade "                     \
	  "WHERE " SCOPE("o.path") " AND (?2 = '' OR instr(s.name, ?2) > 0 OR s.idcard = upper(?2) "    \
	  "OR s.xueji_no = ?2 OR instr(s.grade || s.class_name, ?2) > 0) "                         \
	  "AND (?5 = '' OR s.stage = ?5) AND (?6 = '' OR s.grade = ?6) "                           \
	  "AND (?7 = '' OR s.class_name = ?7) AND (?8 = '' OR s.status = ?8) "                     \
	  "ORDER BY o.path, st.sort, coalesce(g.sort, 99), s.grade, s.class_name, s.name "         \
	  "LIMIT ?3 OFFSET ?4")                                                                    \
	X(Q_STUDENT_COUNT,                                                                         \
	  "SELECT count(*) FROM student s JOIN org o ON o.id = s.school_id "                       \
	  "WHERE " SCOPE("o.path") " AND (?2 = '' OR instr(s.name, ?2) > 0 OR s.idcard = upper(?2) "    \
	  "OR s.xueji_no = ?2 OR instr(s.grade || s.class_name, ?2) > 0) "                         \
	  "AND (?5 = '' OR s.stage = ?5) AND (?6 = '' OR s.grade = ?6) "                           \
	  "AND (?7 = '' OR s.class_name = ?7) AND (?8 = '' OR s.status = ?8) "                     \
	  "")                                                                                      \
	X(Q_STUDENT_FILTERS,                                                                       \
	  "SELECT DISTINCT s.stage, st.name AS stage_name, s.grade, s.class_name FROM student s "  \
	  "JOIN org o ON o.id = s.school_id JOIN stage st ON st.code = s.stage "                   \
	  "LEFT JOIN grade_level g ON g.stage = s.stage AND g.name = s.grade "                     \
	  "WHERE " SCOPE("o.path") " AND s.status = '在读' "                                       \
	  "ORDER BY st.sort, coalesce(g.sort, 99), s.grade, length(s.class_name), s.class_name")   \
	X(Q_STUDENT_UPDATE,                                                                        \
	  "UPDATE student SET name = ?2, gender = ?3, idcard = ?4, xueji_no = ?5, stage = ?6, "    \
	  "grade = ?7, class_name = ?8, boarding = ?9, hukou = ?10, guardian = ?11, phone = ?12, " \
	  "account_type = ?13, account_no = ?14, bank = ?15, "                                     \
	  "updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime') WHERE id = ?1")          \
	X(Q_STUDENT_IN_SCHOOL,                                                                     \
	  "SELECT id, name FROM student WHERE school_id = ?1 AND idcard = ?2 AND id <> ?3 AND status = '在读'")        \
	X(Q_STUDENT_ENROLMENTS,                                                                    \
	  "WITH RECURSIVE chain(id) AS (SELECT transferred_from FROM student WHERE id = ?3 "       \
	  "UNION SELECT s.transferred_from FROM student s JOIN chain c ON s.id = c.id LIMIT 50) "  \
	  "SELECT s.id, s.status, v.visible, "                                                     \
	  "CASE WHEN v.visible THEN s.grade ELSE '' END AS grade, "                                \
	  "CASE WHEN v.visible THEN s.class_name ELSE '' END AS class_name, "                      \
	  "CASE WHEN v.visible THEN s.created_at ELSE '' END AS created_at, "                      \
	  "CASE WHEN v.visible THEN o.name ELSE '其他学校' END AS school_name "                    \
	  "FROM student s JOIN org o ON o.id = s.school_id "                                       \
	  "JOIN (SELECT x.id, (" SCOPE("xo.path") " OR x.id IN (SELECT id FROM chain)) AS visible " \
	  "      FROM student x JOIN org xo ON xo.id = x.school_id) v ON v.id = s.id "             \
	  "WHERE s.idcard = ?2 AND s.id <> ?3 ORDER BY s.id")                                      \
	/* 双学籍: the 在读 children of ?1 scope whose 身份证号 is 在读 at another \
	 * school too, one row per other enrolment, found from enrolled_twice   \
	 * (kept by triggers, 017). */                                           \
	X(Q_DUAL_ENROLMENT,                                                                        \
	  "SELECT s.id, s.name, s.idcard, s.grade, s.class_name, o.name AS school_name, "          \
	  "CASE WHEN " SCOPE("o2.path") " THEN o2.name ELSE '其他区（县）或学校（请联系上级资助中心核实）' END AS other_school " \
	  "FROM enrolled_twice e CROSS JOIN student s ON s.idcard = e.idcard AND s.status = '在读' "  \
	  "CROSS JOIN org o ON o.id = s.school_id "                                                \
	  "CROSS JOIN student s2 ON s2.idcard = s.idcard AND s2.school_id <> s.school_id "         \
	  "AND s2.status = '在读' CROSS JOIN org o2 ON o2.id = s2.school_id "                       \
	  "WHERE " SCOPE("o.path") " ORDER BY o.path, s.idcard, s2.id")                            \
	X(Q_STUDENT_SET_STATUS,                                                                    \
	  "UPDATE student SET status = ?2, "                                                       \
	  "updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime') WHERE id = ?1")          \
	X(Q_STUDENT_TRANSFER_IN,                                                                   \
	  "INSERT INTO student (school_id, name, gender, idcard, xueji_no, stage, grade, class_name, " \
	  "boarding, hukou, guardian, phone, account_type, account_no, bank, transferred_from) "   \
	  "SELECT ?2, name, gender, idcard, xueji_no, ?3, ?4, ?5, boarding, hukou, guardian, phone, " \
	  "account_type, account_no, bank, id FROM student WHERE id = ?1")                         \
	X(Q_SCHOOLS_OF_CITY,                                                                       \
	  "SELECT o.id, o.name, p.name AS district_name FROM org o JOIN org p ON p.id = o.parent_id " \
	  "WHERE o.kind = 'school' AND " SCOPE("o.path") " ORDER BY o.path")                       \
	X(Q_PROMOTE_PREVIEW,                                                                       \
	  "SELECT st.name AS stage_name, s.grade, g.next_name, (g.name IS NOT NULL) AS known, "    \
	  "count(*) AS students FROM student s JOIN stage st ON st.code = s.stage "                \
	  "LEFT JOIN grade_level g ON g.stage = s.stage AND g.name = s.grade "                     \
	  "WHERE s.school_id = ?1 AND s.status = '在读' GROUP BY s.stage, s.grade "                \
	  "ORDER BY st.sort, coalesce(g.sort, 99), s.grade")                                       \
	X(Q_PROMOTE_GRADUATE,                                                                      \
	  "UPDATE student SET status = '毕业', "                                                   \
	  "updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime') "                        \
	  "WHERE school_id = ?1 AND status = '在读' AND EXISTS (SELECT 1 FROM grade_level g "      \
	  "WHERE g.stage = student.stage AND g.name = student.grade AND g.next_name IS NULL)")     \
	X(Q_PROMOTE_ADVANCE,                                                                       \
	  "UPDATE student SET grade = (SELECT g.next_name FROM grade_level g "                     \
	  "WHERE g.stage = student.stage AND g.name = student.grade), "                            \
	  "updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime') "                        \
	  "WHERE school_id = ?1 AND status = '在读' AND EXISTS (SELECT 1 FROM grade_level g "      \
	  "WHERE g.stage = student.stage AND g.name = student.grade AND g.next_name IS NOT NULL)") \
	X(Q_PROMOTION_GET, "SELECT at, promoted, graduated FROM promotion WHERE school_id = ?1 AND school_year = ?2") \
	X(Q_PROMOTION_INSERT,                                                                      \
	  "INSERT INTO promotion (school_id, school_year, user_id, promoted, graduated) "           \
	  "VALUES (?1, ?2, ?3, ?4, ?5)")                                                           \
	X(Q_IMPORT_INSERT,                                                                         \
	  "INSERT INTO roster_import (school_id, user_id, filename, format, sha256, rows_json, good, bad) " \
	  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, 0, 0)")                                                 \
	X(Q_IMPORT_ROW_INSERT,                                                                     \
	  "INSERT INTO roster_import_row (import_id, line, name, gender, idcard, xueji_no, stage, " \
	  "grade, class_name, boarding, hukou, guardian, phone, account_type, account_no, bank, "  \
	  "id_ok, errors) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, "   \
	  "?15, ?16, ?17, ?18)")                                                                   \
	X(Q_IMPORT_MARK_ON_ROSTER,                                                                 \
	  "UPDATE roster_import_row AS r SET id_ok = 2, "                                          \
	  "errors = json_insert(coalesce(r.errors, '[]'), '$[#]', "                                \
	  "json_object('column', ?3, 'reason', '本校名册中已有这个身份证号（' || s.name || '）。')) " \
	  "FROM student s WHERE r.import_id = ?1 AND r.id_ok = 1 AND s.school_id = ?2 "             \
	  "AND s.idcard = r.idcard AND s.status = '在读'")                                          \
	X(Q_IMPORT_MARK_ELSEWHERE,                                                                 \
	  "UPDATE roster_import_row SET warning = ?3 WHERE import_id = ?1 AND errors IS NULL "     \
	  "AND EXISTS (SELECT 1 FROM student s WHERE s.idcard = roster_import_row.idcard "         \
	  "AND s.status = '在读' AND s.school_id <> ?2)")                                           \
	X(Q_IMPORT_SET_COUNTS,                                                                     \
	  "UPDATE roster_import SET (good, bad) = (SELECT count(*) FILTER (WHERE errors IS NULL), " \
	  "count(*) FILTER (WHERE errors IS NOT NULL) FROM roster_import_row WHERE import_id = ?1) " \
	  "WHERE id = ?1")                                                                         \
	X(Q_IMPORT_BAD_ROWS,                                                                       \
	  "SELECT line, name, errors FROM roster_import_row "                                      \
	  "WHERE import_id = ?1 AND errors IS NOT NULL ORDER BY line LIMIT ?2")                    \
	X(Q_IMPORT_GOOD_ROWS,                                                                      \
	  "SELECT line, name, gender, idcard, grade, class_name, warning FROM roster_import_row "   \
	  "WHERE import_id = ?1 AND errors IS NULL ORDER BY line LIMIT ?2")                        \
	X(Q_IMPORT_APPLY_ROWS,                                                                     \
	  "WITH t(now) AS MATERIALIZED (SELECT strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')) " \
	  "INSERT INTO student (school_id, name, gender, idcard, xueji_no, stage, grade, "          \
	  "class_name, boarding, hukou, guardian, phone, account_type, account_no, bank, "          \
	  "created_at, updated_at) "                                                               \
	  "SELECT ?2, r.name, r.gender, r.idcard, r.xueji_no, r.stage, r.grade, r.class_name, "     \
	  "r.boarding, r.hukou, r.guardian, r.phone, r.account_type, r.account_no, r.bank, "        \
	  "t.now, t.now FROM t, roster_import_row r WHERE r.import_id = ?1 AND r.errors IS NULL "  \
	  "ORDER BY r.line")                                                                       \
	X(Q_IMPORT_DROP_GOOD, "DELETE FROM roster_import_row WHERE import_id = ?1 AND errors IS NULL") \
	X(Q_IMPORT_SLIM_BAD,                                                                       \
	  "UPDATE roster_import_row SET gender = '', idcard = '', xueji_no = '', stage = '', "     \
	  "grade = '', class_name = '', boarding = 0, hukou = '', guardian = '', phone = '', "     \
	  "account_type = '', account_no = '', bank = '', id_ok = 0, warning = NULL "              \
	  "WHERE import_id = ?1")                                                                  \
	X(Q_IMPORT_GET,                                                                            \
	  "SELECT i.id, i.school_id, i.filename, i.format, i.sha256, i.rows_json, i.good, i.bad, " \
	  "i.status, i.created_at FROM roster_import i JOIN org o ON o.id = i.school_id "          \
	  "WHERE i.id = ?2 AND " SCOPE("o.path"))                                                  \
	X(Q_IMPORT_STATUS, "SELECT status FROM roster_import WHERE id = ?1")                       \
	X(Q_IMPORT_PURGE, "DELETE FROM roster_import_row WHERE import_id = ?1")                   \
	X(Q_IMPORT_SET_ROWS, "UPDATE roster_import SET rows_json = ?2 WHERE id = ?1")              \
	X(Q_IMPORT_SET_STATUS,                                                                     \
	  "UPDATE roster_import SET status = ?2, "                                                 \
	  "applied_at = strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime') "                        \
	  "WHERE id = ?1 AND status = 'preview'")                                                  \
	X(Q_ENROLLED_ELSEWHERE,                                                                    \
	  "SELECT 1 FROM student s "                                                               \
	  "WHERE s.idcard = ?1 AND s.status = '在读' AND s.school_id <> ?2 LIMIT 1")                \
	X(Q_APP_INSERT,                                                                            \
	  "INSERT INTO application (student_id, school_id, school_year, household_size, income_fen, " \
	  "housing, major_event, single_parent, reason, officer_summary, pledge_confirmed, "       \
	  "pledge_signer, score, score_detail, created_by, grade, class_name) "                    \
	  "SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, s.grade, s.class_name " \
	  "FROM student s WHERE s.id = ?1")                                                        \
	X(Q_APP_UPDATE,                                                                            \
	  "UPDATE application SET household_size = ?2, income_fen = ?3, housing = ?4, "            \
	  "major_event = ?5, single_parent = ?6, reason = ?7, officer_summary = ?8, "              \
	  "pledge_confirmed = ?9, pledge_signer = ?10, score = ?11, score_detail = ?12, "          \
	  "updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime') "                        \
	  "WHERE id = ?1 AND status IN ('draft', 'returned')")                                     \
	X(Q_APP_BY_ID,                                                                             \
	  "SELECT a.*, s.name AS student_name, s.gender, s.idcard, s.stage, s.grade, s.class_name, s.status AS student_status, " \
	  "s.boarding, s.guardian, s.phone, s.hukou, st.name AS stage_name, o.name AS school_name, " \
	  "o.parent_id AS district_id FROM application a JOIN student s ON s.id = a.student_id "   \
	  "JOIN org o ON o.id = a.school_id JOIN stage st ON st.code = s.stage "                   \
	  "WHERE a.id = ?2 AND " SCOPE("o.path"))                                                  \
	X(Q_APP_FOR_STUDENT,                                                                       \
	  "SELECT id, school_year, status, score, updated_at FROM application "                    \
	  "WHERE student_id = ?1 ORDER BY school_year DESC")                                       \
	X(Q_APPS_BY_IDCARD,                                                                        \
	  "WITH RECURSIVE chain(id) AS (SELECT ?3 UNION SELECT s.transferred_from FROM student s " \
	  "JOIN chain c ON s.id = c.id WHERE s.transferred_from IS NOT NULL LIMIT 50) "            \
	  "SELECT a.id, a.school_year, a.status, a.score, o.name AS school_name, "                 \
	  SCOPE("o.path") " AS visible FROM application a JOIN student s ON s.id = a.student_id "  \
	  "JOIN org o ON o.id = a.school_id WHERE s.idcard = ?2 AND (" SCOPE("o.path")             \
	  " OR a.student_id IN (SELECT id FROM chain)) ORDER BY a.school_year DESC, a.id DESC")    \
	X(Q_APP_SAME_CHILD_YEAR,                                                                   \
	  "SELECT a.id FROM application a JOIN student s ON s.id = a.student_id "                  \
	  "WHERE s.idcard = ?1 AND a.school_year = ?2 AND a.student_id <> ?3 "                     \
	  "AND a.status NOT IN ('withdrawn', 'rejected') LIMIT 1")                                 \
	X(Q_APP_ID_FOR_YEAR, "SELECT id FROM application WHERE student_id = ?1 AND school_year = ?2") \
	X(Q_APP_SET_STATUS,                                                                        \
	  "UPDATE application SET status = ?3, "                                                   \
	  "submitted_at = CASE WHEN ?3 = 'submitted' THEN strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime') " \
	  "ELSE submitted_at END, updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime') " \
	  "WHERE id = ?1 AND status = ?2")                                                         \
	X(Q_APP_MEMBERS,                                                                           \
	  "SELECT name, relation, age, occupation, health, unemployed, income_fen "                \
	  "FROM application_member WHERE application_id = ?1 ORDER BY sort")                      \
	X(Q_APP_MEMBER_INSERT,                                                                     \
	  "INSERT INTO application_member (application_id, sort, name, relation, age, occupation, " \
	  "health, unemployed, income_fen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")           \
	X(Q_APP_MEMBERS_DELETE, "DELETE FROM application_member WHERE application_id = ?1")       \
	X(Q_APP_CATEGORIES,                                                                        \
	  "SELECT c.id, c.name, c.priority FROM application_category ac "                          \
	  "JOIN difficulty_category c ON c.id = ac.category_id WHERE ac.application_id = ?1 ORDER BY c.sort") \
	X(Q_APP_CAT_INSERT, "INSERT INTO application_category (application_id, category_id) VALUES (?1, ?2)") \
	X(Q_APP_CAT_DELETE, "DELETE FROM application_category WHERE application_id = ?1")         \
	X(Q_APP_PROGRAMMES,                                                                        \
	  "SELECT p.id, p.name, p.code FROM application_programme ap JOIN programme p ON p.id = ap.programme_id " \
	  "WHERE ap.application_id = ?1 ORDER BY p.sort")                                          \
	X(Q_APP_PROG_INSERT, "INSERT INTO application_programme (application_id, programme_id) VALUES (?1, ?2)") \
	X(Q_APP_PROG_DELETE, "DELETE FROM application_programme WHERE application_id = ?1")       \
	X(Q_APP_PAGE,                                                                              \
	  "WITH pg AS MATERIALIZED (SELECT a.id FROM org o JOIN application a INDEXED BY application_school " \
	  "ON a.school_id = o.id "                                                                  \
	  "WHERE " APP_FILTER APP_ORDER ") "                                                         \
	  "SELECT " APP_ROW "FROM pg JOIN application a ON a.id = pg.id JOIN org o ON o.id = a.school_id " \
	  APP_SORT)                                                                                 \
	X(Q_APP_PAGE_EXACT,                                                                        \
	  "SELECT " APP_ROW "FROM org o JOIN application a INDEXED BY application_school ON a.school_id = o.id " \
	  "WHERE " SCOPE("o.path") " AND a.school_year = ?3 AND a.status = ?2 AND a.grade = ?4 "   \
	  APP_CLASS_NAME APP_ORDER)                                                                 \
	X(Q_APP_COUNT,                                                                             \
	  "SELECT count(*) FROM org o JOIN application a ON a.school_id = o.id WHERE " APP_FILTER) \
	/* the same count without a class or name filter, from app_count */                     \
	X(Q_APP_COUNT_GROUPS,                                                                      \
	  "SELECT coalesce(sum(c.n), 0) FROM org o JOIN app_count c ON c.school_id = o.id "        \
	  "WHERE " SCOPE("o.path") " AND " APP_YEAR_STATUS_GRADE("c."))                             \
	/* and without a status: one seek per school, not one per status (a fifth of the work) */ \
	X(Q_APP_COUNT_GROUPS_ANY,                                                                  \
	  "SELECT coalesce(sum(c.n), 0) FROM org o JOIN app_count c ON c.school_id = o.id "        \
	  "WHERE " SCOPE("o.path") " AND c.school_year = ?3 AND ?2 = '' AND (?4 = '' OR c.grade = ?4)") \
	X(Q_CATEGORIES_FOR_DISTRICT,                                                               \
	  "SELECT c.id, c.code, c.name, c.priority, coalesce(cp.points, c.points) AS points "      \
	  "FROM difficulty_category c LEFT JOIN category_points cp "                               \
	  "ON cp.category_id = c.id AND cp.district_id = ?1 "                                      \
	  "WHERE c.active = 1 AND (c.district_id IS NULL OR c.district_id = ?1) ORDER BY c.sort, c.id") \
	X(Q_CATEGORY_POINTS_SET,                                                                   \
	  "INSERT INTO category_points (district_id, category_id, points) VALUES (?1, ?2, ?3) "    \
	  "ON CONFLICT (district_id, category_id) DO UPDATE SET points = excluded.points")          \
	X(Q_WEIGHTS_FOR_DISTRICT,                                                                  \
	  "SELECT key, value FROM score_weight WHERE district_id IS NULL OR district_id = ?1 "     \
	  "ORDER BY district_id NULLS FIRST")                                                      \
	X(Q_WEIGHT_SET,                                                                            \
	  "INSERT INTO score_weight (district_id, key, value) VALUES (?1, ?2, ?3) "                \
	  "ON CONFLICT (district_id, key) DO UPDATE SET value = excluded.value")                   \
	X(Q_PROGRAMMES_FOR_STAGE,                                                                  \
	  "SELECT id, code, name, kind FROM programme WHERE active = 1 AND stage = ?1 ORDER BY sort")                                                  \
	X(Q_EVIDENCE_LIST,                                                                         \
	  "SELECT id, filename, content_type, size, sha256, uploaded_at FROM evidence "            \
	  "WHERE application_id = ?1 ORDER BY id")                                                 \
	X(Q_EVIDENCE_INSERT,                                                                       \
	  "INSERT INTO evidence (application_id, filename, content_type, size, sha256, data, uploaded_by) " \
	  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")                                                   \
	X(Q_EVIDENCE_GET,                                                                          \
	  "SELECT e.id, e.application_id, e.filename, e.content_type, e.size, e.sha256, e.data, "  \
	  "a.status, a.school_id FROM evidence e JOIN application a ON a.id = e.application_id "   \
	  "JOIN org o ON o.id = a.school_id WHERE e.id = ?2 AND " SCOPE("o.path"))                 \
	X(Q_EVIDENCE_DELETE, "DELETE FROM evidence WHERE id = ?1")                                 \
	X(Q_TERMS,                                                                                 \
	  "SELECT t.id, t.code, t.school_year, t.season, t.name, t.starts, t.ends, "               \
	  "coalesce(dt.publicity_days, 5) AS publicity_days, dt.submit_deadline, dt.pay_deadline " \
	  "FROM term t LEFT JOIN district_term dt ON dt.term_id = t.id AND dt.district_id = ?1 "   \
	  "ORDER BY t.starts DESC")                                                                \
	X(Q_TERM_BY_ID, "SELECT id, code, name, school_year, starts, ends FROM term WHERE id = ?1") \
	X(Q_DISTRICT_TERM_SET,                                                                     \
	  "INSERT INTO district_term (district_id, term_id, publicity_days, submit_deadline, pay_deadline) " \
	  "VALUES (?1, ?2, ?3, nullif(?4, ''), nullif(?5, '')) ON CONFLICT (district_id, term_id) DO UPDATE SET " \
	  "publicity_days = excluded.publicity_days, submit_deadline = excluded.submit_deadline, " \
	  "pay_deadline = excluded.pay_deadline")                                                  \
	X(Q_STANDARDS,                                                                             \
	  "SELECT p.id AS programme_id, p.code, p.name, st.name AS stage_name, "                   \
	  "coalesce(pr.priority_top_tier, p.priority_top_tier) AS priority_top_tier, "             \
	  "s.tier, s.tier_sort, coalesce(d.amount_fen, s.amount_fen) AS amount_fen, "              \
	  "s.amount_fen AS national_fen, (d.id IS NOT NULL) AS overridden "                        \
	  "FROM programme_standard s JOIN programme p ON p.id = s.programme_id "                   \
	  "LEFT JOIN programme_rule pr ON pr.district_id = ?1 AND pr.term_id = s.term_id AND pr.programme_id = p.id " \
	  "JOIN stage st ON st.code = p.stage LEFT JOIN programme_standard d ON d.district_id = ?1 " \
	  "AND d.term_id = s.term_id AND d.programme_id = s.programme_id AND d.tier = s.tier "      \
	  "WHERE s.district_id IS NULL AND s.term_id = ?2 ORDER BY st.sort, p.sort, s.tier_sort")  \
	X(Q_STANDARD_CLEAR,                                                                        \
	  "DELETE FROM programme_standard WHERE district_id = ?1 AND term_id = ?2 AND programme_id = ?3 AND tier = ?4") \
	X(Q_STANDARD_SET,                                                                          \
	  "INSERT INTO programme_standard (district_id, term_id, programme_id, tier, tier_sort, amount_fen) " \
	  "VALUES (?1, ?2, ?3, ?4, ?5, ?6)")                                                       \
	X(Q_RULE_SET,                                                                              \
	  "INSERT INTO programme_rule (district_id, term_id, programme_id, priority_top_tier) "    \
	  "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (district_id, term_id, programme_id) "              \
	  "DO UPDATE SET priority_top_tier = excluded.priority_top_tier")                          \
	X(Q_QUOTAS,                                                                                \
	  "SELECT o.id AS school_id, o.name AS school_name, p.id AS programme_id, p.name AS programme_name, " \
	  "q.places FROM org o JOIN programme p ON p.active = 1 AND p.kind <> 'loan' AND (p.stage = o.stage OR EXISTS " \
	  "(SELECT 1 FROM student s WHERE s.school_id = o.id AND s.stage = p.stage AND s.status = '在读')) " \
	  "LEFT JOIN quota q ON q.term_id = ?2 AND q.school_id = o.id AND q.programme_id = p.id " \
	  "WHERE o.kind = 'school' AND " SCOPE("o.path") " ORDER BY o.path, p.sort")              \
	X(Q_QUOTA_SET,                                                                             \
	  "INSERT INTO quota (term_id, school_id, programme_id, places) VALUES (?1, ?2, ?3, ?4) "   \
	  "ON CONFLICT (term_id, school_id, programme_id) DO UPDATE SET places = excluded.places")  \
	X(Q_QUOTA_CLEAR, "DELETE FROM quota WHERE term_id = ?1 AND school_id = ?2 AND programme_id = ?3") \
	X(Q_ALLOCATIONS,                                                                           \
	  "SELECT p.id AS programme_id, p.name, st.name AS stage_name, a.amount_fen, a.document "  \
	  "FROM programme p JOIN stage st ON st.code = p.stage LEFT JOIN allocation a "            \
	  "ON a.district_id = ?1 AND a.term_id = ?2 AND a.programme_id = p.id "                    \
	  "WHERE p.active = 1 AND p.kind <> 'loan' ORDER BY st.sort, p.sort")                      \
	X(Q_ALLOCATION_SET,                                                                        \
	  "INSERT INTO allocation (district_id, term_id, programme_id, amount_fen, document) "     \
	  "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT (district_id, term_id, programme_id) "          \
	  "DO UPDATE SET amount_fen = excluded.amount_fen, document = excluded.document")          \
	X(Q_ALLOCATION_CLEAR, "DELETE FROM allocation WHERE district_id = ?1 AND term_id = ?2 AND programme_id = ?3") \
	X(Q_CLASS_QUEUE,                                                                           \
	  "SELECT a.id, a.score, a.status, s.name AS student_name, s.grade, s.class_name, "        \
	  "(SELECT tier FROM class_vote v WHERE v.application_id = a.id AND v.user_id = ?2) AS my_vote, " \
	  "(SELECT 1 FROM recusal x WHERE x.application_id = a.id AND x.user_id = ?2) AS recused, " \
	  "(SELECT count(*) FROM class_vote v WHERE v.application_id = a.id) AS votes "            \
	  "FROM application a JOIN student s ON s.id = a.student_id JOIN org o ON o.id = a.school_id " \
	  "WHERE " SCOPE("o.path") " AND a.status = 'submitted' "                                  \
	  "ORDER BY s.grade, s.class_name, a.score DESC")                                          \
	X(Q_CLASS_CASE,                                                                            \
	  "SELECT a.id, a.status, a.score, a.score_detail, a.officer_summary, a.school_year, a.school_id, " \
	  "s.name AS student_name, s.grade, s.class_name, st.name AS stage_name "                  \
	  "FROM application a JOIN student s ON s.id = a.student_id JOIN stage st ON st.code = s.stage " \
	  "JOIN org o ON o.id = a.school_id WHERE a.id = ?2 AND " SCOPE("o.path"))                  \
	X(Q_VOTES,                                                                                 \
	  "SELECT v.tier, t.name AS tier_name, v.remark, v.at, u.display_name FROM class_vote v "  \
	  "JOIN user u ON u.id = v.user_id JOIN recognition_tier t ON t.code = v.tier "            \
	  "WHERE v.application_id = ?1 ORDER BY v.at")                                             \
	X(Q_RECUSALS,                                                                              \
	  "SELECT x.reason, x.at, x.user_id, u.display_name FROM recusal x JOIN user u ON u.id = x.user_id " \
	  "WHERE x.application_id = ?1 ORDER BY x.at")                                             \
	X(Q_VOTE_SET,                                                                              \
	  "INSERT INTO class_vote (application_id, user_id, tier, remark) SELECT ?1, ?2, ?3, ?4 "   \
	  "WHERE EXISTS (SELECT 1 FROM application WHERE id = ?1 AND status = 'submitted') "       \
	  "AND NOT EXISTS (SELECT 1 FROM recusal WHERE application_id = ?1 AND user_id = ?2) "     \
	  "ON CONFLICT (application_id, user_id) DO UPDATE SET tier = excluded.tier, "             \
	  "remark = excluded.remark, at = strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')")     \
	X(Q_RECUSAL_ADD,                                                                           \
	  "INSERT INTO recusal (application_id, user_id, reason) VALUES (?1, ?2, ?3)")             \
	X(Q_IS_RECUSED, "SELECT 1 FROM recusal WHERE application_id = ?1 AND user_id = ?2")        \
	X(Q_VOTE_DELETE_USER, "DELETE FROM class_vote WHERE application_id = ?1 AND user_id = ?2") \
	X(Q_VOTE_TALLY,                                                                            \
	  "SELECT v.tier, count(*) AS n, t.sort FROM class_vote v JOIN recognition_tier t ON t.code = v.tier " \
	  "WHERE v.application_id = ?1 GROUP BY v.tier ORDER BY n DESC, t.sort ASC")               \
	X(Q_CLASS_REVIEW_ADD,                                                                      \
	  "INSERT INTO class_review (application_id, tier, participants, remarks, recorded_by) "   \
	  "VALUES (?1, ?2, ?3, ?4, ?5)")                                                           \
	X(Q_CLASS_REVIEW_GET,                                                                      \
	  "SELECT c.tier, t.name AS tier_name, c.participants, c.remarks, c.at, u.display_name AS recorded_by " \
	  "FROM class_review c JOIN recognition_tier t ON t.code = c.tier JOIN user u ON u.id = c.recorded_by " \
	  "WHERE c.application_id = ?1")                                                           \
	X(Q_REVIEW_RESET, "DELETE FROM class_vote WHERE application_id = ?1")                      \
	X(Q_REVIEW_RESET_RECUSAL, "DELETE FROM recusal WHERE application_id = ?1")                 \
	X(Q_REVIEW_RESET_CLASS, "DELETE FROM class_review WHERE application_id = ?1")              \
	X(Q_REVIEW_RESET_SCHOOL, "DELETE FROM school_review WHERE application_id = ?1")            \
	X(Q_TIERS, "SELECT code, name FROM recognition_tier ORDER BY sort")                        \
	X(Q_SCHOOL_LIST,                                                                           \
	  "SELECT a.id, a.score, a.status, s.name AS student_name, s.grade, s.class_name, "        \
	  "c.tier AS class_tier, ct.name AS class_tier_name, r.tier AS school_tier, rt.name AS school_tier_name, " \
	  "r.rank, r.rank_reason, r.priority_reason, "                                             \
	  "(SELECT count(*) FROM application_category ac JOIN difficulty_category d ON d.id = ac.category_id " \
	  " WHERE ac.application_id = a.id AND d.priority = 1) AS priority, "                      \
	  "(SELECT group_concat(p.name || ' ' || w.tier, '；') FROM award w "                      \
	  " JOIN programme p ON p.id = w.programme_id WHERE w.application_id = a.id AND w.term_id = ?2 " \
	  " AND w.status IN ('proposed', 'approved')) AS awards, "                                 \
	  "(SELECT decision FROM batch_item bi WHERE bi.application_id = a.id AND bi.decision = 'pending') AS in_batch " \
	  "FROM application a JOIN student s ON s.id = a.student_id JOIN org o ON o.id = a.school_id " \
	  "JOIN class_review c ON c.application_id = a.id JOIN recognition_tier ct ON ct.code = c.tier " \
	  "LEFT JOIN school_review r ON r.application_id = a.id "                                  \
	  "LEFT JOIN recognition_tier rt ON rt.code = r.tier "                                     \
	  "WHERE " SCOPE("o.path") " AND a.status IN ('class_reviewed', 'school_reviewed', 'approved') " \
	  "ORDER BY coalesce(r.rank, 1000000), a.score DESC, a.id")                                \
	X(Q_SCHOOL_REVIEW_GET,                                                                     \
	  "SELECT r.tier, r.rank, r.rank_reason, r.priority_reason, r.remarks, r.term_id, r.at "   \
	  "FROM school_review r WHERE r.application_id = ?1")                                      \
	X(Q_SCHOOL_REVIEW_SET,                                                                     \
	  "INSERT INTO school_review (application_id, term_id, tier, rank, rank_reason, priority_reason, remarks, decided_by, adjust_reason, version) " \
	  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 1 + coalesce((SELECT max(review_version) "  \
	  "FROM notice_application WHERE application_id = ?1), 0)) ON CONFLICT (application_id) DO UPDATE SET " \
	  "adjust_reason = excluded.adjust_reason, version = school_review.version + 1, "          \
	  "term_id = excluded.term_id, tier = excluded.tier, rank = excluded.rank, "               \
	  "rank_reason = excluded.rank_reason, priority_reason = excluded.priority_reason, "       \
	  "remarks = excluded.remarks, decided_by = excluded.decided_by, "                         \
	  "at = strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')")                                \
	X(Q_APP_PROGRAMME_TIERS,                                                                   \
	  "SELECT p.id AS programme_id, p.code, p.name, "                                          \
	  "coalesce((SELECT pr.priority_top_tier FROM programme_rule pr WHERE pr.district_id = ?3 " \
	  "AND pr.term_id = ?2 AND pr.programme_id = p.id), p.priority_top_tier) AS priority_top_tier, " \
	  "s.tier, s.tier_sort, "                                                                  \
	  "coalesce(d.amount_fen, s.amount_fen) AS amount_fen FROM application_programme ap "      \
	  "JOIN programme p ON p.id = ap.programme_id JOIN programme_standard s ON s.programme_id = p.id " \
	  "AND s.district_id IS NULL AND s.term_id = ?2 LEFT JOIN programme_standard d "           \
	  "ON d.district_id = ?3 AND d.term_id = s.term_id AND d.programme_id = p.id AND d.tier = s.tier " \
	  "WHERE ap.application_id = ?1 ORDER BY p.sort, s.tier_sort")                             \
	X(Q_AWARDS_OF_APP,                                                                         \
	  "SELECT w.id, w.programme_id, p.name, w.tier, w.amount_fen, w.status, w.end_reason, t.name AS term_name " \
	  "FROM award w JOIN programme p ON p.id = w.programme_id JOIN term t ON t.id = w.term_id " \
	  "WHERE w.application_id = ?1 ORDER BY t.starts, p.sort")                                 \
	X(Q_AWARDS_CLEAR_PROPOSED,                                                                 \
	  "DELETE FROM award INDEXED BY award_app WHERE application_id = ?1 AND term_id = ?2 "     \
	  "AND status = 'proposed'")                                                               \
	X(Q_AWARD_GET,                                                                             \
	  "SELECT w.id, w.application_id, w.school_id, w.term_id, w.programme_id, w.tier, w.amount_fen, w.status " \
	  "FROM award w JOIN org o ON o.id = w.school_id WHERE w.id = ?2 AND " SCOPE("o.path"))     \
	X(Q_AWARD_END,                                                                             \
	  "UPDATE award SET status = 'ended', end_reason = ?2 WHERE id = ?1 AND status IN ('proposed', 'approved')") \
	X(Q_AWARD_ADD,                                                                             \
	  "INSERT INTO award (application_id, idcard, school_id, term_id, programme_id, tier, amount_fen) " \
	  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")                                                   \
	X(Q_AWARD_TAKEN_ELSEWHERE,                                                                 \
	  "SELECT o.name FROM award w JOIN org o ON o.id = w.school_id WHERE w.idcard = ?1 "       \
	  "AND w.term_id = ?2 AND w.programme_id = ?3 AND w.application_id <> ?4 "                 \
	  "AND w.status IN ('proposed', 'approved') LIMIT 1")                                      \
	X(Q_QUOTA_USE,                                                                             \
	  "SELECT q.places, (SELECT count(*) FROM award w WHERE w.school_id = ?1 AND w.term_id = ?2 " \
	  "AND w.programme_id = ?3 AND w.status IN ('proposed', 'approved') AND w.application_id <> ?4) AS used " \
	  "FROM quota q WHERE q.school_id = ?1 AND q.term_id = ?2 AND q.programme_id = ?3")        \
	X(Q_EXCLUDED,                                                                              \
	  "SELECT 1 FROM programme_exclusion WHERE a = min(?1, ?2) AND b = max(?1, ?2)")           \
	X(Q_BATCH_CANDIDATES,                                                                      \
	  "SELECT a.id FROM application a JOIN school_review r ON r.application_id = a.id "        \
	  "WHERE a.school_id = ?1 AND r.term_id = ?2 AND a.status = 'school_reviewed' "            \
	  "AND NOT EXISTS (SELECT 1 FROM batch_item bi WHERE bi.application_id = a.id AND bi.decision = 'pending') " \
	  "AND (SELECT n.status || '/' || na.review_version FROM notice_application na "           \
	  " JOIN notice n ON n.id = na.notice_id WHERE na.application_id = a.id AND n.term_id = ?2 " \
	  " AND n.status <> 'draft' ORDER BY n.id DESC LIMIT 1) = 'passed/' || r.version")         \
	X(Q_APP_IN_BATCH, "SELECT 1 FROM batch_item WHERE application_id = ?1 AND decision = 'pending'") \
	X(Q_BATCH_ADD, "INSERT INTO batch (school_id, term_id, submitted_by) VALUES (?1, ?2, ?3)")  \
	X(Q_BATCH_ITEM_ADD, "INSERT INTO batch_item (batch_id, application_id) VALUES (?1, ?2)")   \
	X(Q_BATCHES,                                                                               \
	  "SELECT b.id, b.status, b.submitted_at, b.decided_at, o.name AS school_name, t.name AS term_name, " \
	  "(SELECT count(*) FROM batch_item bi WHERE bi.batch_id = b.id) AS items, "               \
	  "(SELECT count(*) FROM batch_item bi WHERE bi.batch_id = b.id AND bi.decision = 'approved') AS approved, " \
	  "(SELECT count(*) FROM batch_item bi WHERE bi.batch_id = b.id AND bi.decision = 'returned') AS returned " \
	  "FROM batch b JOIN org o ON o.id = b.school_id JOIN term t ON t.id = b.term_id "         \
	  "WHERE " SCOPE("o.path") " ORDER BY b.status = 'decided', b.submitted_at DESC")          \
	X(Q_BATCH_GET,                                                                             \
	  "SELECT b.id, b.status, b.school_id, b.term_id, b.submitted_at, o.name AS school_name, "  \
	  "t.name AS term_name FROM batch b JOIN org o ON o.id = b.school_id JOIN term t ON t.id = b.term_id " \
	  "WHERE b.id = ?2 AND " SCOPE("o.path"))                                                  \
	X(Q_BATCH_ITEMS,                                                                           \
	  "SELECT a.id, a.score, s.name AS student_name, s.grade, s.class_name, bi.decision, bi.reason, " \
	  "rt.name AS tier_name, r.priority_reason, r.rank, r.rank_reason, "                       \
	  "(SELECT group_concat(p.name || ' ' || w.tier, '；') FROM award w JOIN programme p ON p.id = w.programme_id " \
	  " WHERE w.application_id = a.id AND w.term_id = ?2 AND w.status IN ('proposed', 'approved')) AS awards, " \
	  "(SELECT sum(w.amount_fen) FROM award w INDEXED BY award_app WHERE w.application_id = a.id " \
	  " AND w.term_id = ?2 AND w.status IN ('proposed', 'approved')) AS amount_fen "           \
	  "FROM batch_item bi JOIN application a ON a.id = bi.application_id "                     \
	  "JOIN student s ON s.id = a.student_id JOIN school_review r ON r.application_id = a.id " \
	  "JOIN recognition_tier rt ON rt.code = r.tier WHERE bi.batch_id = ?1 "                   \
	  "ORDER BY coalesce(r.rank, 1000000), a.score DESC")                                      \
	X(Q_BATCH_ITEM_DECIDE,                                                                     \
	  "UPDATE batch_item SET decision = ?3, reason = ?4 WHERE batch_id = ?1 AND application_id = ?2 " \
	  "AND decision = 'pending'")                                                              \
	X(Q_BATCH_CLOSE,                                                                           \
	  "UPDATE batch SET status = 'decided', decided_by = ?2, "                                 \
	  "decided_at = strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime') WHERE id = ?1 AND status = 'pending'") \
	X(Q_AWARDS_SET_STATUS,                                                                     \
	  "UPDATE award INDEXED BY award_app SET status = ?3 WHERE application_id = ?1 AND term_id = ?2 " \
	  "AND status = 'proposed'")                                                               \
	X(Q_APP_SET_RETURNED,                                                                      \
	  "UPDATE application SET status = 'returned', return_reason = ?2, "                       \
	  "updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime') WHERE id = ?1 AND status = 'school_reviewed'") \
	X(Q_APP_HISTORY,                                                                           \
	  "SELECT a.at, a.username, a.action, a.before_json, a.after_json FROM audit_log a "       \
	  "WHERE a.entity = 'application' AND a.entity_id = ?1 ORDER BY a.id")                     \
	X(Q_DASH_PENDING,                                                                          \
	  "SELECT count(*) AS n FROM batch b JOIN org o ON o.id = b.school_id "                    \
	  "WHERE " SCOPE("o.path") " AND b.status = 'pending'")                                    \
	X(Q_DASH_OVERDUE,                                                                          \
	  "SELECT o.id, o.name, dt.submit_deadline FROM org o JOIN district_term dt "              \
	  "ON dt.district_id = o.parent_id AND dt.term_id = ?2 WHERE o.kind = 'school' AND "       \
	  SCOPE("o.path") " AND dt.submit_deadline < ?3 AND NOT EXISTS "                           \
	  "(SELECT 1 FROM batch b WHERE b.school_id = o.id AND b.term_id = ?2) ORDER BY o.path")   \
	/* each school of the scope, then its awards and quotas of the term: from the      \
	 * term's side SQLite read every award of the city (215,000) to keep a district's  \
	 * 15,000, and each of the four sums read them again */                            \
	X(Q_DASH_MONEY,                                                                            \
	  "WITH w AS (SELECT w.programme_id, "                                                     \
	  "  count(*) FILTER (WHERE w.status = 'proposed') AS proposed_n, "                        \
	  "  coalesce(sum(w.amount_fen) FILTER (WHERE w.status = 'proposed'), 0) AS proposed_fen, " \
	  "  count(*) FILTER (WHERE w.status = 'approved') AS approved_n, "                        \
	  "  coalesce(sum(w.amount_fen) FILTER (WHERE w.status = 'approved'), 0) AS approved_fen " \
	  "  FROM org o CROSS JOIN award w ON w.school_id = o.id "                                 \
	  "  WHERE w.term_id = ?2 AND " SCOPE("o.path") " GROUP BY w.programme_id), "              \
	  "q AS (SELECT q.programme_id, sum(q.places) AS places FROM org o "                       \
	  "  CROSS JOIN quota q ON q.school_id = o.id WHERE q.term_id = ?2 AND " SCOPE("o.path")   \
	  "  GROUP BY q.programme_id) "                                                            \
	  "SELECT p.id, p.name, st.name AS stage_name, a.amount_fen AS allocated_fen, q.places, "  \
	  "coalesce(w.proposed_n, 0) AS proposed_n, coalesce(w.proposed_fen, 0) AS proposed_fen, " \
	  "coalesce(w.approved_n, 0) AS approved_n, coalesce(w.approved_fen, 0) AS approved_fen "  \
	  "FROM programme p JOIN stage st ON st.code = p.stage LEFT JOIN allocation a "            \
	  "ON a.district_id = ?4 AND a.term_id = ?2 AND a.programme_id = p.id "                    \
	  "LEFT JOIN q ON q.programme_id = p.id LEFT JOIN w ON w.programme_id = p.id "             \
	  "WHERE a.amount_fen IS NOT NULL OR q.places IS NOT NULL OR w.programme_id IS NOT NULL "  \
	  "ORDER BY st.sort, p.sort")                                                              \
	X(Q_PUBLICITY_GET,                                                                         \
	  "SELECT coalesce(dp.mask_names, 0) AS mask_names, coalesce(dp.grace_days, 2) AS grace_days, " \
	  "coalesce(dp.policy_url, '') AS policy_url FROM (SELECT ?1 AS d) x "                     \
	  "LEFT JOIN district_publicity dp ON dp.district_id = x.d")                               \
	X(Q_PUBLICITY_SET,                                                                         \
	  "INSERT INTO district_publicity (district_id, mask_names, grace_days, policy_url) VALUES (?1, ?2, ?3, ?4) " \
	  "ON CONFLICT (district_id) DO UPDATE SET mask_names = excluded.mask_names, "             \
	  "grace_days = excluded.grace_days, policy_url = excluded.policy_url")                    \
	X(Q_NOTICE_CANDIDATES,                                                                     \
	  "SELECT a.id AS application_id, s.name, o.name AS school_name, s.grade, s.class_name, "  \
	  "p.id AS programme_id, p.name AS programme, w.tier, w.amount_fen FROM award w "          \
	  "JOIN application a ON a.id = w.application_id JOIN student s ON s.id = a.student_id "   \
	  "JOIN org o ON o.id = w.school_id JOIN programme p ON p.id = w.programme_id "            \
	  "LEFT JOIN school_review r ON r.application_id = a.id "                                  \
	  "WHERE w.school_id = ?1 AND w.term_id = ?2 AND w.status = 'proposed' AND a.status = 'school_reviewed' " \
	  "AND NOT EXISTS (SELECT 1 FROM batch_item bi WHERE bi.application_id = a.id AND bi.decision = 'pending') " \
	  "ORDER BY p.sort, coalesce(r.rank, 1000000), a.score DESC, a.id")                        \
	X(Q_AWARD_PROGRAMMES_OF_TERM,                                                              \
	  "SELECT DISTINCT p.id, p.name FROM award w JOIN programme p ON p.id = w.programme_id "   \
	  "WHERE w.school_id = ?1 AND w.term_id = ?2 AND w.status = 'proposed' ORDER BY p.sort")    \
	X(Q_NOTICE_INSERT,                                                                         \
	  "INSERT INTO notice (school_id, term_id, title, body, starts, ends, programmes, created_by) " \
	  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)")                                               \
	X(Q_NOTICE_GET,                                                                            \
	  "SELECT n.*, o.name AS school_name, o.parent_id AS district_id, o.stage, t.name AS term_name " \
	  "FROM notice n JOIN org o ON o.id = n.school_id JOIN term t ON t.id = n.term_id "         \
	  "WHERE n.id = ?2 AND " SCOPE("o.path"))                                                  \
	X(Q_NOTICES,                                                                               \
	  "SELECT n.id, n.title, n.starts, n.ends, n.status, n.sha256, o.name AS school_name, t.name AS term_name, " \
	  "(SELECT count(*) FROM objection x WHERE x.notice_id = n.id AND x.status = 'open') AS open_objections " \
	  "FROM notice n JOIN org o ON o.id = n.school_id JOIN term t ON t.id = n.term_id "         \
	  "WHERE " SCOPE("o.path") " ORDER BY n.id DESC")                                          \
	X(Q_NOTICE_APP_IDS, "SELECT application_id FROM notice_application WHERE notice_id = ?1")  \
	X(Q_NOTICE_APP_ADD,                                                                        \
	  "INSERT INTO notice_application (notice_id, application_id, review_version) "            \
	  "SELECT ?1, ?2, version FROM school_review WHERE application_id = ?2")                   \
	X(Q_NOTICE_REFRESH_VERSIONS,                                                               \
	  "UPDATE notice_application SET review_version = (SELECT version FROM school_review r "   \
	  "WHERE r.application_id = notice_application.application_id) WHERE notice_id = ?1")      \
	X(Q_NOTICE_PUBLISH,                                                                        \
	  "UPDATE notice SET status = 'published', content = ?2, sha256 = ?3, grace_days = ?4, "   \
	  "published_at = strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime') WHERE id = ?1 AND status = 'draft'") \
	X(Q_NOTICE_CLOSE,                                                                          \
	  "UPDATE notice SET status = ?2, close_note = ?3, "                                       \
	  "closed_at = strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime') WHERE id = ?1 AND status = 'published'") \
	X(Q_NOTICE_DELETE_DRAFT, "DELETE FROM notice WHERE id = ?1 AND status = 'draft'")          \
	X(Q_NOTICE_APPS_DELETE,                                                                    \
	  "DELETE FROM notice_application WHERE notice_id = ?1 AND "                               \
	  "(SELECT status FROM notice WHERE id = ?1) = 'draft'")                                   \
	X(Q_PUBLIC_NOTICES,                                                                        \
	  "SELECT n.id, n.title, n.starts, n.ends, n.grace_days, o.name AS school_name, "          \
	  "d.name AS district_name, d.id AS district_id FROM notice n JOIN org o ON o.id = n.school_id " \
	  "JOIN org d ON d.id = o.parent_id WHERE n.status <> 'draft' ORDER BY d.path, n.starts DESC, n.id DESC LIMIT 1000") \
	X(Q_PUBLIC_NOTICE,                                                                         \
	  "SELECT n.id, n.title, n.body, n.starts, n.ends, n.status, n.content, n.sha256, n.grace_days, " \
	  "o.name AS school_name, o.stage, d.name AS district_name, d.id AS district_id FROM notice n " \
	  "JOIN org o ON o.id = n.school_id JOIN org d ON d.id = o.parent_id "                     \
	  "WHERE n.id = ?1 AND n.status <> 'draft'")                                               \
	X(Q_OBJECTION_ADD,                                                                         \
	  "INSERT INTO objection (notice_id, content, name, phone, ip) VALUES (?1, ?2, ?3, ?4, ?5)") \
	X(Q_OBJECTIONS_OF_NOTICE,                                                                  \
	  "SELECT x.id, x.content, x.name, x.phone, x.status, x.upheld, x.answer, x.answered_at, x.created_at, " \
	  "u.display_name AS answered_by FROM objection x LEFT JOIN user u ON u.id = x.answered_by " \
	  "WHERE x.notice_id = ?1 ORDER BY x.id")                                                  \
	X(Q_OBJECTION_GET,                                                                         \
	  "SELECT x.id, x.notice_id, x.status, n.school_id FROM objection x JOIN notice n ON n.id = x.notice_id " \
	  "JOIN org o ON o.id = n.school_id WHERE x.id = ?2 AND " SCOPE("o.path"))                 \
	X(Q_OBJECTION_ANSWER,                                                                      \
	  "UPDATE objection SET status = 'answered', upheld = ?2, answer = ?3, answered_by = ?4, " \
	  "answered_at = strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime') WHERE id = ?1 AND status = 'open'") \
	X(Q_OBJECTION_COUNTS,                                                                      \
	  "SELECT sum(status = 'open') AS open, sum(upheld = 1) AS upheld FROM objection WHERE notice_id = ?1") \
	X(Q_ATTEMPT_ADD, "INSERT INTO public_attempt (kind, ip, at) VALUES (?1, ?2, ?3)")          \
	X(Q_ATTEMPT_COUNT, "SELECT count(*) FROM public_attempt WHERE kind = ?1 AND ip = ?2 AND at > ?3") \
	X(Q_ATTEMPT_PURGE, "DELETE FROM public_attempt WHERE at < ?1")                             \
	X(Q_STATUS_CHECK,                                                                          \
	  "SELECT a.school_year, a.status FROM application a JOIN student s ON s.id = a.student_id " \
	  "WHERE s.name = ?1 AND substr(s.idcard, 13, 6) = upper(?2) ORDER BY a.school_year DESC, a.id DESC LIMIT 5") \
	X(Q_LEDGER_LAST, "SELECT hash FROM ledger ORDER BY id DESC LIMIT 1")                      \
	X(Q_LEDGER_INSERT,                                                                         \
	  "INSERT INTO ledger (at, district_id, term_id, programme_id, school_id, kind, amount_fen, " \
	  "payment_id, reason, user_id, prev_hash, hash) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)") \
	X(Q_LEDGER_ALL,                                                                            \
	  "SELECT id, at, district_id, term_id, programme_id, coalesce(school_id, 0), kind, amount_fen, " \
	  "coalesce(payment_id, 0), reason, coalesce(user_id, 0), prev_hash, hash FROM ledger ORDER BY id") \
	X(Q_PAY_BATCHES,                                                                           \
	  "SELECT b.id, b.kind, b.status, b.created_at, b.sent_at, b.returned_at, t.name AS term_name, " \
	  "p.name AS programme_name, d.name AS district_name, "                                    \
	  "(SELECT count(*) FROM payment x WHERE x.pay_batch_id = b.id) AS rows_n, "               \
	  "(SELECT coalesce(sum(amount_fen), 0) FROM payment x WHERE x.pay_batch_id = b.id) AS total_fen " \
	  "FROM pay_batch b JOIN org d ON d.id = b.district_id JOIN term t ON t.id = b.term_id "   \
	  "JOIN programme p ON p.id = b.programme_id WHERE " SCOPE("d.path") " ORDER BY b.id DESC") \
	X(Q_PAY_CANDIDATES,                                                                        \
	  "SELECT w.id AS award_id, w.idcard, w.school_id, w.amount_fen, s.name, s.account_type, s.account_no, s.bank " \
	  "FROM award w JOIN application a ON a.id = w.application_id JOIN student s ON s.id = a.student_id " \
	  "JOIN org o ON o.id = w.school_id WHERE w.term_id = ?2 AND w.programme_id = ?3 AND w.status = 'approved' " \
	  "AND " SCOPE("o.path") " AND NOT EXISTS (SELECT 1 FROM payment x WHERE x.award_id = w.id " \
	  "AND (x.status IN ('pending', 'sent', 'paid') OR (x.status = 'failed' AND x.reissued = 0))) " \
	  "ORDER BY o.path, s.grade, s.class_name, s.name")                                        \
	X(Q_PAY_COMMITTED,                                                                         \
	  "SELECT coalesce(sum(paid_fen + pending_fen), 0) FROM payment_total "                    \
	  "WHERE term_id = ?2 AND district_id = ?1 AND programme_id = ?3")                         \
	X(Q_ALLOCATED,                                                                             \
	  "SELECT coalesce(sum(amount_fen), 0), count(*) FROM ledger WHERE district_id = ?1 AND term_id = ?2 " \
	  "AND programme_id = ?3 AND kind = 'allocation'")                                         \
	X(Q_PAY_BATCH_ADD,                                                                         \
	  "INSERT INTO pay_batch (district_id, term_id, programme_id, kind, created_by) VALUES (?1, ?2, ?3, ?4, ?5)") \
	X(Q_PAYMENT_ADD,                                                                           \
	  "INSERT INTO payment (pay_batch_id, award_id, idcard, name, school_id, term_id, programme_id, " \
	  "account_type, account_no, bank, amount_fen) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)") \
	X(Q_PAY_BATCH_GET,                                                                         \
	  "SELECT b.*, t.name AS term_name, p.name AS programme_name, d.name AS district_name "     \
	  "FROM pay_batch b JOIN org d ON d.id = b.district_id JOIN term t ON t.id = b.term_id "   \
	  "JOIN programme p ON p.id = b.programme_id WHERE b.id = ?2 AND " SCOPE("d.path"))         \
	X(Q_PAYMENTS_OF_BATCH,                                                                     \
	  "SELECT x.id, x.award_id, x.idcard, x.name, x.school_id, o.name AS school_name, x.account_type, " \
	  "x.account_no, x.bank, x.amount_fen, x.status, x.fail_reason, x.reissued FROM payment x " \
	  "JOIN org o ON o.id = x.school_id WHERE x.pay_batch_id = ?1 ORDER BY o.path, x.id")     \
	X(Q_PAY_BATCH_SENT,                                                                        \
	  "UPDATE pay_batch SET status = 'sent', sent_at = strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime') " \
	  "WHERE id = ?1 AND status = 'draft'")                                                    \
	X(Q_PAYMENTS_SENT,                                                                         \
	  "UPDATE payment SET status = 'sent' WHERE pay_batch_id = ?1 AND status = 'pending' "     \
	  "AND award_id IN (SELECT id FROM award WHERE status = 'approved')")                      \
	X(Q_PAYMENTS_CANCEL_REST,                                                                  \
	  "UPDATE payment SET status = 'cancelled' WHERE pay_batch_id = ?1 AND status = 'pending'") \
	X(Q_PAYMENT_CANCEL_FOR_AWARD,                                                              \
	  "UPDATE payment SET status = 'cancelled' WHERE award_id = ?1 AND status = 'pending'")    \
	X(Q_PAYMENT_SENT_FOR_AWARD, "SELECT 1 FROM payment WHERE award_id = ?1 AND status = 'sent'") \
	X(Q_PAYMENT_DIGEST_ROW, "SELECT idcard, account_no, amount_fen FROM payment WHERE id = ?1") \
	X(Q_PAY_BATCH_RETURNED,                                                                    \
	  "UPDATE pay_batch SET status = 'returned', return_file_sha256 = ?2, "                    \
	  "returned_at = strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime') WHERE id = ?1 AND status = 'sent'") \
	X(Q_PAYMENT_RESULT,                                                                        \
	  "UPDATE payment SET status = ?2, fail_reason = ?3 WHERE id = ?1 AND status = 'sent'")    \
	X(Q_PAYMENT_REISSUED, "UPDATE payment SET reissued = 1 WHERE id = ?1 AND status = 'failed' AND reissued = 0") \
	X(Q_RECONCILE,                                                                             \
	  "SELECT p.id AS programme_id, p.name AS programme_name, o.id AS school_id, o.name AS school_name, " \
	  "sum(x.paid_fen) AS paid_fen, sum(x.paid_n) AS paid_n, sum(x.failed_fen) AS failed_fen, " \
	  "sum(x.pending_fen) AS pending_fen "                                                     \
	  "FROM org d JOIN payment_total x ON x.term_id = ?2 AND x.district_id = d.id "            \
	  "JOIN programme p ON p.id = x.programme_id JOIN org o ON o.id = x.school_id "             \
	  "WHERE " SCOPE("d.path") " GROUP BY p.id, o.id ORDER BY p.sort, o.path")                 \
	X(Q_RECONCILE_CHECK,                                                                       \
	  "WITH t AS (SELECT x.term_id, b.district_id, x.school_id, x.programme_id, "              \
	  " coalesce(sum(CASE WHEN x.status = 'paid' THEN x.amount_fen END), 0) AS paid_fen, "    \
	  " coalesce(sum(CASE WHEN x.status = 'paid' THEN 1 END), 0) AS paid_n, "                   \
	  " coalesce(sum(CASE WHEN x.status = 'failed' AND x.reissued = 0 THEN x.amount_fen END), 0) AS failed_fen, " \
	  " coalesce(sum(CASE WHEN x.status IN ('pending', 'sent') THEN x.amount_fen END), 0) AS pending_fen " \
	  " FROM payment x JOIN pay_batch b ON b.id = x.pay_batch_id "                             \
	  " GROUP BY x.term_id, b.district_id, x.school_id, x.programme_id), "                     \
	  "k AS (SELECT term_id, district_id, school_id, programme_id, paid_fen, paid_n, failed_fen, pending_fen " \
	  " FROM payment_total WHERE paid_fen <> 0 OR paid_n <> 0 OR failed_fen <> 0 OR pending_fen <> 0) " \
	  "SELECT count(*) FROM (SELECT term_id, district_id, school_id, programme_id "             \
	  " FROM (SELECT * FROM t EXCEPT SELECT * FROM k) UNION "                                  \
	  " SELECT term_id, district_id, school_id, programme_id FROM (SELECT * FROM k EXCEPT SELECT * FROM t))") \
	X(Q_RECONCILE_ALLOC,                                                                       \
	  "SELECT l.programme_id, p.name AS programme_name, coalesce(sum(l.amount_fen), 0) AS allocated_fen " \
	  "FROM ledger l JOIN programme p ON p.id = l.programme_id JOIN org d ON d.id = l.district_id " \
	  "WHERE l.kind = 'allocation' AND l.term_id = ?2 AND " SCOPE("d.path") " GROUP BY l.programme_id ORDER BY p.sort") \
	X(Q_LEDGER_PAGE,                                                                           \
	  "WITH pg AS MATERIALIZED (SELECT l.id FROM ledger l INDEXED BY ledger_list "             \
	  "WHERE " LEDGER_FILTER("l.") " ORDER BY l.id DESC LIMIT ?7 OFFSET ?8) "                    \
	  "SELECT l.id, l.at, l.kind, l.amount_fen, l.reason, l.payment_id, l.hash, p.name AS programme_name, " \
	  "coalesce(o.name, '') AS school_name, coalesce(x.name, '') AS payee "                    \
	  "FROM pg JOIN ledger l ON l.id = pg.id JOIN programme p ON p.id = l.programme_id "       \
	  "LEFT JOIN org o ON o.id = l.school_id LEFT JOIN payment x ON x.id = l.payment_id "      \
	  "ORDER BY l.id DESC")                                                                    \
	X(Q_LEDGER_COUNT,                                                                          \
	  "SELECT coalesce(sum(n), 0), coalesce(sum(amount_fen), 0) FROM ledger_total WHERE " LEDGER_FILTER("")) \
	X(Q_ORG_CHILDREN, "SELECT id, name FROM org WHERE parent_id = ?1 ORDER BY path")           \
	X(Q_PROGRAMMES_ALL, "SELECT id, name FROM programme WHERE active = 1 ORDER BY sort")        \
	X(Q_POLICIES,                                                                              \
	  "SELECT p.id, p.title, p.status, p.updated_at, p.published_at, st.name AS stage_name "   \
	  "FROM policy p JOIN org d ON d.id = p.district_id LEFT JOIN stage st ON st.code = p.stage " \
	  "WHERE " SCOPE("d.path") " ORDER BY p.id DESC")                                          \
	X(Q_POLICY_GET,                                                                            \
	  "SELECT p.*, st.name AS stage_name FROM policy p JOIN org d ON d.id = p.district_id "    \
	  "LEFT JOIN stage st ON st.code = p.stage WHERE p.id = ?2 AND " SCOPE("d.path"))           \
	X(Q_POLICY_INSERT,                                                                         \
	  "INSERT INTO policy (district_id, stage, title, body_md, status, created_by, published_at) " \
	  "VALUES (?1, nullif(?2, ''), ?3, ?4, ?5, ?6, CASE WHEN ?5 = 'published' THEN strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime') END)") \
	X(Q_POLICY_UPDATE,                                                                         \
	  "UPDATE policy SET stage = nullif(?2, ''), title = ?3, body_md = ?4, status = ?5, "      \
	  "updated_at = strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime'), "                       \
	  "published_at = CASE WHEN ?5 = 'published' THEN coalesce(published_at, strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime')) END " \
	  "WHERE id = ?1")                                                                         \
	X(Q_PUBLIC_POLICIES,                                                                       \
	  "SELECT p.id, p.title, p.published_at, d.name AS district_name, coalesce(st.name, '各学段') AS stage_name " \
	  "FROM policy p JOIN org d ON d.id = p.district_id LEFT JOIN stage st ON st.code = p.stage " \
	  "WHERE p.status = 'published' ORDER BY d.path, coalesce(st.sort, 0), p.id")              \
	X(Q_PUBLIC_POLICY,                                                                         \
	  "SELECT p.id, p.title, p.body_md, p.published_at, d.name AS district_name, coalesce(st.name, '各学段') AS stage_name " \
	  "FROM policy p JOIN org d ON d.id = p.district_id LEFT JOIN stage st ON st.code = p.stage " \
	  "WHERE p.id = ?1 AND p.status = 'published'")                                            \
	X(Q_CARD_POLICIES,                                                                         \
	  "SELECT p.title, p.body_md FROM policy p WHERE p.district_id = ?1 AND p.status = 'published' " \
	  "AND (p.stage IS NULL OR p.stage = ?2) ORDER BY p.stage IS NOT NULL DESC, p.id")         \
	X(Q_NOTIFY_CARDS,                                                                          \
	  "SELECT s.id AS student_id, s.name, s.grade, s.class_name, o.name AS school_name, p.name AS programme, " \
	  "w.tier, w.amount_fen, (SELECT x.status FROM payment x WHERE x.award_id = w.id "         \
	  " AND x.status IN ('pending', 'sent', 'paid') ORDER BY x.id DESC LIMIT 1) AS pay_status " \
	  "FROM award w JOIN application a ON a.id = w.application_id JOIN student s ON s.id = a.student_id " \
	  "JOIN org o ON o.id = w.school_id JOIN programme p ON p.id = w.programme_id "            \
	  "WHERE " SCOPE("o.path") " AND w.term_id = ?2 AND w.status = 'approved' "                \
	  "AND (?3 = '' OR s.grade = ?3) AND (?4 = '' OR s.class_name = ?4) "                      \
	  "ORDER BY s.grade, s.class_name, s.name, s.id, p.sort")                                  \
	X(Q_CARE_ADD,                                                                              \
	  "INSERT INTO care_record (student_id, kind, date, people, notes, created_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6)") \
	X(Q_CARE_ATTACH,                                                                           \
	  "INSERT INTO care_attachment (care_id, filename, content_type, size, sha256, data) VALUES (?1, ?2, ?3, ?4, ?5, ?6)") \
	X(Q_CARE_FILE,                                                                             \
	  "WITH RECURSIVE mine(id) AS (SELECT s.id FROM student s JOIN org o ON o.id = s.school_id " \
	  "  WHERE " SCOPE("o.path") " AND s.idcard = (SELECT s2.idcard FROM care_attachment f2 "  \
	  "  JOIN care_record c2 ON c2.id = f2.care_id JOIN student s2 ON s2.id = c2.student_id WHERE f2.id = ?2) " \
	  "  UNION SELECT s.transferred_from FROM student s JOIN mine m ON s.id = m.id "           \
	  "  WHERE s.transferred_from IS NOT NULL LIMIT 50) "                                       \
	  "SELECT f.filename, f.content_type, f.data, s.school_id FROM care_attachment f "         \
	  "JOIN care_record c ON c.id = f.care_id JOIN student s ON s.id = c.student_id "          \
	  "WHERE f.id = ?2 AND s.id IN (SELECT id FROM mine)")                                     \
	X(Q_TIMELINE,                                                                              \
	  "WITH RECURSIVE chain(id) AS (SELECT ?3 UNION SELECT s.transferred_from FROM student s " \
	  "  JOIN chain c ON s.id = c.id WHERE s.transferred_from IS NOT NULL LIMIT 50), "         \
	  "mine AS (SELECT s.id, s.school_id, o.name AS school FROM student s JOIN org o ON o.id = s.school_id " \
	  "  WHERE s.idcard = ?2 AND (" SCOPE("o.path") " OR s.id IN (SELECT id FROM chain))) "    \
	  "SELECT s.created_at AS at, '学籍' AS kind, m.school, "                                   \
	  "  '入学登记：' || s.grade || ' ' || s.class_name || CASE WHEN s.transferred_from IS NOT NULL THEN '（转入）' ELSE '' END AS what, " \
	  "  NULL AS amount_fen, NULL AS file_id FROM student s JOIN mine m ON m.id = s.id "      \
	  "UNION ALL SELECT s.updated_at, '学籍', m.school, '状态：' || s.status, NULL, NULL "      \
	  "  FROM student s JOIN mine m ON m.id = s.id WHERE s.status <> '在读' "                   \
	  "UNION ALL SELECT a.created_at, '认定申请', m.school, a.school_year || ' 学年申请，量化得分 ' || a.score, NULL, NULL " \
	  "  FROM application a JOIN mine m ON m.id = a.student_id "                               \
	  "UNION ALL SELECT r.at, '认定结果', m.school, a.school_year || ' 学年认定为' || t.name, NULL, NULL " \
	  "  FROM school_review r JOIN application a ON a.id = r.application_id JOIN mine m ON m.id = a.student_id " \
	  "  JOIN recognition_tier t ON t.code = r.tier "                                          \
	  "UNION ALL SELECT w.created_at, '资助', m.school, tm.name || ' ' || p.name || ' ' || w.tier || CASE w.status WHEN 'approved' THEN '（已批准）' WHEN 'proposed' THEN '（学校拟定）' WHEN 'ended' THEN '（已终止）' ELSE '（已退回）' END, w.amount_fen, NULL " \
	  "  FROM award w JOIN application a ON a.id = w.application_id JOIN mine m ON m.id = a.student_id " \
	  "  JOIN programme p ON p.id = w.programme_id JOIN term tm ON tm.id = w.term_id "         \
	  "UNION ALL SELECT coalesce(b.returned_at, b.sent_at, b.created_at), '发放', m.school, "   \
	  "  p.name || CASE x.status WHEN 'paid' THEN ' 已到账' WHEN 'failed' THEN ' 发放失败：' || x.fail_reason ELSE ' 发放中' END, x.amount_fen, NULL " \
	  "  FROM payment x JOIN pay_batch b ON b.id = x.pay_batch_id JOIN award w ON w.id = x.award_id " \
	  "  JOIN application a ON a.id = w.application_id JOIN mine m ON m.id = a.student_id JOIN programme p ON p.id = x.programme_id " \
	  "UNION ALL SELECT c.date, CASE c.kind WHEN 'home_visit' THEN '家访' WHEN 'academic' THEN '学业帮扶' " \
	  "  WHEN 'psych' THEN '心理关爱' ELSE '勤工助学' END, m.school, c.people || '：' || c.notes, NULL, " \
	  "  (SELECT min(f.id) FROM care_attachment f WHERE f.care_id = c.id) "                    \
	  "  FROM care_record c JOIN mine m ON m.id = c.student_id "                               \
	  "ORDER BY 1, 2")                                                                         \
	X(Q_COMPLAINT_ADD,                                                                         \
	  "INSERT INTO complaint (code, org_id, content, contact, ip, deadline) VALUES (?1, ?2, ?3, ?4, ?5, ?6)") \
	X(Q_COMPLAINT_BY_CODE,                                                                     \
	  "SELECT c.code, c.status, c.answer, c.answered_at, c.deadline, c.created_at, o.name AS org_name " \
	  "FROM complaint c JOIN org o ON o.id = c.org_id WHERE c.code = ?1")                      \
	X(Q_COMPLAINTS,                                                                            \
	  "SELECT c.id, c.code, c.status, c.deadline, c.created_at, c.answered_at, o.name AS org_name, " \
	  "substr(c.content, 1, 60) AS excerpt FROM complaint c JOIN org o ON o.id = c.org_id "     \
	  "WHERE " SCOPE("o.path") " ORDER BY c.status = 'answered', c.deadline, c.id")            \
	X(Q_COMPLAINT_GET,                                                                         \
	  "SELECT c.*, o.name AS org_name, o.kind AS org_kind FROM complaint c JOIN org o ON o.id = c.org_id " \
	  "WHERE c.id = ?2 AND " SCOPE("o.path"))                                                  \
	X(Q_COMPLAINT_ANSWER,                                                                      \
	  "UPDATE complaint SET status = 'answered', answer = ?2, answered_by = ?3, "              \
	  "answered_at = strftime('%Y-%m-%dT%H:%M:%S', 'now', 'localtime') WHERE id = ?1 AND status = 'open'") \
	X(Q_COMPLAINT_ASSIGN, "UPDATE complaint SET org_id = ?2 WHERE id = ?1 AND status = 'open'") \
	X(Q_COMPLAINT_STATS,                                                                       \
	  "SELECT count(*) AS total, sum(c.status = 'open') AS open, "                             \
	  "sum(c.status = 'open' AND c.deadline < ?2) AS overdue, "                                \
	  "sum(c.status = 'answered' AND substr(c.answered_at, 1, 10) <= c.deadline) AS on_time, " \
	  "sum(c.status = 'answered' AND substr(c.answered_at, 1, 10) > c.deadline) AS late "      \
	  "FROM complaint c JOIN org o ON o.id = c.org_id WHERE " SCOPE("o.path"))                 \
	X(Q_ORGS_FOR_COMPLAINTS,                                                                   \
	  "SELECT o.id, o.kind, o.name, p.name AS parent_name FROM org o LEFT JOIN org p ON p.id = o.parent_id " \
	  "WHERE o.kind IN ('district', 'school') ORDER BY o.path")                                \
	/* The reports read the aid of each term from aid_total (kept by triggers): \
	 * a past record is the school's, or the district's if no school matched. */ \
	X(Q_SUMMARY,                                                                               \
	  "WITH tm AS (SELECT id FROM term WHERE starts BETWEEN ?2 AND ?3) "                       \
	  "SELECT st.sort AS ss, st.name AS stage_name, p.id AS pid, p.name AS programme, sum(t.n) AS n, " \
	  "sum(t.fen) AS fen, sum(t.tp_n) AS tp_n, sum(t.tp_fen) AS tp_fen "                       \
	  "FROM tm JOIN aid_total t ON t.term_id = tm.id "                                         \
	  "JOIN org o ON o.id = CASE WHEN t.school_id = 0 THEN t.district_id ELSE t.school_id END " \
	  "JOIN programme p ON p.id = t.programme_id JOIN stage st ON st.code = p.stage "          \
	  "WHERE " SCOPE("o.path") " GROUP BY p.id HAVING sum(t.n) > 0 ORDER BY st.sort, p.sort")   \
	X(Q_TREND,                                                                                 \
	  "WITH tm AS (SELECT id, name, starts FROM term WHERE starts <= ?2 ORDER BY starts DESC LIMIT 6), " \
	  "a AS (SELECT t.term_id, t.fen, t.n FROM tm JOIN aid_total t ON t.term_id = tm.id "      \
	  " JOIN org o ON o.id = CASE WHEN t.school_id = 0 THEN t.district_id ELSE t.school_id END " \
	  " WHERE " SCOPE("o.path") ") "                                                            \
	  "SELECT tm.id, tm.name, tm.starts, coalesce(sum(a.fen), 0) AS fen, coalesce(sum(a.n), 0) AS n FROM tm " \
	  "LEFT JOIN a ON a.term_id = tm.id GROUP BY tm.id ORDER BY tm.starts DESC")                \
	X(Q_TERM_RANGE,                                                                            \
	  "SELECT min(starts), max(starts), group_concat(name, '、') FROM term WHERE (?1 <> '' AND school_year = ?1) OR id = ?2") \
	/* The 排查: children recognised per category in ?1 scope and ?2 学年,  \
	 * from category_total (kept by triggers), less the children counted    \
	 * twice there: the applications sharing a 身份证号 in the 学年 (twin,  \
	 * kept by triggers) are counted again directly, and their duplicates    \
	 * taken off. The org comes first (CROSS JOIN), so that a school reads   \
	 * its own rows only. */                                                 \
	X(Q_CATEGORY_COUNTS,                                                                       \
	  "WITH t AS (SELECT ct.category_id, sum(ct.n) AS n FROM org o CROSS JOIN category_total ct " \
	  " ON ct.school_year = ?2 AND ct.school_id = o.id WHERE " SCOPE("o.path") " GROUP BY ct.category_id), " \
	  "x AS (SELECT ac.category_id, count(*) - count(DISTINCT a.idcard) AS n FROM org o "      \
	  " CROSS JOIN application a INDEXED BY application_twin ON a.school_year = ?2 AND a.school_id = o.id AND a.twin = 1 " \
	  " JOIN application_category ac ON ac.application_id = a.id "                             \
	  " WHERE a.status NOT IN ('draft', 'withdrawn') AND " SCOPE("o.path") " GROUP BY ac.category_id) " \
	  "SELECT d.name, d.priority, t.n - coalesce(x.n, 0) AS n FROM t JOIN difficulty_category d ON d.id = t.category_id " \
	  "LEFT JOIN x ON x.category_id = t.category_id WHERE t.n - coalesce(x.n, 0) > 0 ORDER BY d.sort, d.id") \
	/* The 重点保障 children of ?1 scope and ?2 学年 (applications not draft \
	 * or withdrawn, with a priority category, the child 在读: the partial  \
	 * index application_paicha holds exactly these), each child once by   \
	 * 身份证号; how many have approved aid in term ?3; and ?4 rows (-1:    \
	 * all) from ?5 of those without it, in the order of the list. Always   \
	 * one row at least: total and covered on every row, student_id NULL    \
	 * when there is no row to list. */                                      \
	X(Q_PRIORITY_UNAIDED,                                                                      \
	  "WITH p AS MATERIALIZED (SELECT a.id, a.student_id, a.school_id, a.idcard, a.twin, "     \
	  " EXISTS (SELECT 1 FROM award w WHERE w.idcard = a.idcard AND w.term_id = ?3 AND w.status = 'approved') AS aided " \
	  " FROM org o CROSS JOIN application a INDEXED BY application_paicha ON a.school_year = ?2 AND a.school_id = o.id " \
	  " WHERE a.priority = 1 AND a.enrolled = 1 AND a.status NOT IN ('draft', 'withdrawn') AND " SCOPE("o.path") "), " \
	  "t AS (SELECT count(*) FILTER (WHERE NOT twin) + count(DISTINCT idcard) FILTER (WHERE twin) AS total, " \
	  " count(*) FILTER (WHERE aided AND NOT twin) + count(DISTINCT idcard) FILTER (WHERE aided AND twin) AS covered FROM p), " \
	  "m AS (SELECT p.id AS application_id, p.student_id, p.school_id, o.path, s.grade, s.class_name, s.name FROM p " \
	  " JOIN org o ON o.id = p.school_id JOIN student s ON s.id = p.student_id "              \
	  " WHERE NOT p.aided AND (NOT p.twin OR p.id = (SELECT min(q.id) FROM p q WHERE q.idcard = p.idcard)) " \
	  " ORDER BY o.path, s.grade, s.class_name, s.name, s.id LIMIT ?4 OFFSET ?5) "             \
	  "SELECT t.total, t.covered, m.student_id, s.idcard, s.name, o.name AS school_name, s.grade, s.class_name, " \
	  "(SELECT group_concat(d.name, '、') FROM application_category ac JOIN difficulty_category d ON d.id = ac.category_id " \
	  " WHERE ac.application_id = m.application_id AND d.priority = 1) AS types, "             \
	  "(SELECT r.priority_reason FROM school_review r WHERE r.application_id = m.application_id) AS reason " \
	  "FROM t LEFT JOIN m LEFT JOIN student s ON s.id = m.student_id LEFT JOIN org o ON o.id = m.school_id " \
	  "ORDER BY m.path, m.grade, m.class_name, m.name, m.student_id")                          \
	/* 重复资助: the (身份证号, 学期, 项目) aided more than once (aid_twice, \
	 * kept by triggers, 017) whose 身份证号 is a student's of ?1 scope or a \
	 * past record's of a district in it, with how many records and where,  \
	 * the approved awards first, then the past records, each in the order  \
	 * they were made. */                                                    \
	X(Q_CHECK_DUPLICATE,                                                                       \
	  "WITH k AS (SELECT d.idcard, d.term_id, d.programme_id FROM aid_twice d "                \
	  " WHERE EXISTS (SELECT 1 FROM student s JOIN org o ON o.id = s.school_id WHERE s.idcard = d.idcard AND " SCOPE("o.path") ") " \
	  " OR EXISTS (SELECT 1 FROM past_award y JOIN org o ON o.id = y.district_id WHERE y.idcard = d.idcard AND " SCOPE("o.path") ")), " \
	  "a AS (SELECT k.idcard, k.term_id, k.programme_id, 0 AS src, w.id, o.name AS where_ FROM k " \
	  " JOIN award w ON w.idcard = k.idcard AND w.term_id = k.term_id AND w.programme_id = k.programme_id " \
	  " JOIN org o ON o.id = w.school_id WHERE w.status = 'approved' "                        \
	  " UNION ALL SELECT k.idcard, k.term_id, k.programme_id, 1, x.id, x.school_name FROM k "  \
	  " JOIN past_award x ON x.idcard = k.idcard AND x.term_id = k.term_id AND x.programme_id = k.programme_id " \
	  " ORDER BY 1, 2, 3, 4, 5) "                                                              \
	  "SELECT a.idcard, p.name AS programme, t.name AS term, count(*) AS n, group_concat(a.where_, '、') AS places " \
	  "FROM a JOIN programme p ON p.id = a.programme_id JOIN term t ON t.id = a.term_id "      \
	  "GROUP BY a.idcard, a.programme_id, a.term_id ORDER BY a.idcard, a.programme_id, a.term_id") \
	/* 身份证号不正确: the refused 在读 students of ?1 scope                 \
	 * (CHECK_IDCARD_STUDENTS), then the past records of its districts whose \
	 * 身份证号 may be wrong (IDCARD_SUSPECT: the partial index of 017),    \
	 * which the page judges. */                                             \
	X(Q_CHECK_IDCARDS,                                                                         \
	  CHECK_IDCARD_STUDENTS "UNION ALL "                                                       \
	  "SELECT 0, x.name, x.idcard, x.school_name FROM org o CROSS JOIN past_award x INDEXED BY past_award_idcard_suspect " \
	  "ON x.district_id = o.id WHERE " SCOPE("o.path") " AND " IDCARD_SUSPECT("x.idcard"))     \
	/* the same over every past record, for a clock earlier than IDCARD_SURE_UNTIL */ \
	X(Q_CHECK_IDCARDS_ALL,                                                                     \
	  CHECK_IDCARD_STUDENTS "UNION ALL "                                                       \
	  "SELECT 0, x.name, x.idcard, x.school_name FROM past_award x JOIN org o ON o.id = x.district_id " \
	  "WHERE " SCOPE("o.path") " AND idcard_refused(x.idcard, ?2)")                            \
	/* 中职大龄: per school of ?1 scope, the 中职 awards of term ?2 proposed \
	 * or approved, how many to students older than the district's age, if  \
	 * more than its share (default 20 years and 20%). Read school by school \
	 * and 中职 programme by programme. */                                  \
	X(Q_CHECK_OVERAGE,                                                                         \
	  "SELECT o.id, o.name, count(*) AS n, sum((CAST(substr(t.starts, 1, 4) AS INTEGER) - CAST(substr(w.idcard, 7, 4) AS INTEGER) " \
	  " - (substr(t.starts, 6, 2) || substr(t.starts, 9, 2) < substr(w.idcard, 11, 4))) > coalesce(l.overage_age, 20)) AS old, " \
	  "coalesce(l.overage_share_pct, 20) AS limit_pct, coalesce(l.overage_age, 20) AS age "    \
	  "FROM org o CROSS JOIN programme p CROSS JOIN award w INDEXED BY award_term "            \
	  "ON w.term_id = ?2 AND w.school_id = o.id AND w.status IN ('proposed', 'approved') AND w.programme_id = p.id " \
	  "JOIN term t ON t.id = w.term_id LEFT JOIN district_limits l ON l.district_id = o.parent_id " \
	  "WHERE p.stage = 'vocational' AND " SCOPE("o.path")                                      \
	  " GROUP BY o.id HAVING old * 100 > n * limit_pct")                                       \
	X(Q_CHECK_QUOTA,                                                                           \
	  "SELECT o.name AS school_name, p.name AS programme, q.places, "                          \
	  "(SELECT count(*) FROM award w WHERE w.school_id = q.school_id AND w.term_id = q.term_id " \
	  " AND w.programme_id = q.programme_id AND w.status IN ('proposed', 'approved')) AS used " \
	  "FROM quota q JOIN org o ON o.id = q.school_id JOIN programme p ON p.id = q.programme_id " \
	  "WHERE q.term_id = ?2 AND " SCOPE("o.path") " AND used > q.places ORDER BY o.path")       \
	/* 超出下达资金: per district of ?1 scope and programme, the approved \
	 * aid of term ?2 above the money allocated (none allocated: 0). */     \
	X(Q_CHECK_MONEY,                                                                           \
	  "WITH x AS (SELECT d.id AS district_id, w.programme_id, sum(w.amount_fen) AS approved_fen " \
	  " FROM org d CROSS JOIN org o ON o.parent_id = d.id CROSS JOIN award w ON w.school_id = o.id " \
	  " WHERE d.kind = 'district' AND " SCOPE("d.path") " AND w.term_id = ?2 AND w.status = 'approved' " \
	  " GROUP BY d.id, w.programme_id) "                                                       \
	  "SELECT d.name AS district_name, p.name AS programme, coalesce(a.amount_fen, 0) AS allocated_fen, x.approved_fen " \
	  "FROM x JOIN org d ON d.id = x.district_id JOIN programme p ON p.id = x.programme_id "   \
	  "LEFT JOIN allocation a ON a.district_id = d.id AND a.term_id = ?2 AND a.programme_id = p.id " \
	  "WHERE x.approved_fen > coalesce(a.amount_fen, 0) ORDER BY d.path, p.sort, p.id")        \
	/* 未给最高档: the approved awards of term ?2 in the schools of ?1     \
	 * scope, of a programme whose 重点保障 children must have its top tier \
	 * (the district's rule, else the programme's), below that tier, to a  \
	 * 重点保障 application (application.priority, 013): ?3 rows (-1: all) \
	 * from ?4, in the order of award_term. Read school by school and       \
	 * programme by programme. Always one row at least: total (how many in  \
	 * all) on every row, student_id NULL when there is no row to list. */  \
	X(Q_CHECK_BELOW_TOP,                                                                       \
	  "WITH p AS MATERIALIZED (SELECT p.id, p.name, p.priority_top_tier, "                     \
	  " (SELECT ps.tier FROM programme_standard ps WHERE ps.district_id IS NULL AND ps.term_id = ?2 " \
	  " AND ps.programme_id = p.id AND ps.tier_sort = 1) AS top_tier FROM programme p), "      \
	  "b AS MATERIALIZED (SELECT w.id AS award_id, w.application_id, w.programme_id, w.amount_fen, w.tier, " \
	  " o.path, o.name AS school_name, p.name AS programme, a.student_id "                     \
	  " FROM org o CROSS JOIN p CROSS JOIN award w INDEXED BY award_term "                     \
	  " ON w.term_id = ?2 AND w.school_id = o.id AND w.status = 'approved' AND w.programme_id = p.id " \
	  " JOIN application a ON a.id = w.application_id "                                        \
	  " WHERE o.kind = 'school' AND " SCOPE("o.path")                                          \
	  " AND coalesce((SELECT pr.priority_top_tier FROM programme_rule pr WHERE pr.district_id = o.parent_id " \
	  " AND pr.term_id = ?2 AND pr.programme_id = p.id), p.priority_top_tier) = 1 "            \
	  " AND w.tier <> p.top_tier AND a.priority = 1), "                                        \
	  "m AS (SELECT * FROM b ORDER BY path, programme_id, amount_fen, application_id, award_id LIMIT ?3 OFFSET ?4) " \
	  "SELECT (SELECT count(*) FROM b) AS total, s.id AS student_id, s.name, s.idcard, m.school_name, m.programme, m.tier, " \
	  "(SELECT r.priority_reason FROM school_review r WHERE r.application_id = m.application_id) AS reason " \
	  "FROM (SELECT 1) LEFT JOIN m LEFT JOIN student s ON s.id = m.student_id "               \
	  "ORDER BY m.path, m.programme_id, m.amount_fen, m.application_id, m.award_id")           \
	X(Q_EXPORT_NATIONAL,                                                                       \
	  "SELECT s.idcard, s.name, s.gender, o.code AS school_code, o.name AS school_name, st.name AS stage_name, " \
	  "s.grade, s.class_name, a.school_year, rt.name AS recognised, "                          \
	  "(SELECT group_concat(d.name, '、') FROM application_category ac JOIN difficulty_category d ON d.id = ac.category_id WHERE ac.application_id = a.id) AS types, " \
	  "p.name AS programme, t.name AS term, w.tier, w.amount_fen, "                            \
	  "EXISTS (SELECT 1 FROM application_category ac JOIN difficulty_category d ON d.id = ac.category_id " \
	  " WHERE ac.application_id = a.id AND d.code = 'tuopin') AS tuopin "                      \
	  "FROM award w JOIN application a ON a.id = w.application_id JOIN student s ON s.id = a.student_id " \
	  "JOIN org o ON o.id = w.school_id JOIN stage st ON st.code = s.stage JOIN programme p ON p.id = w.programme_id " \
	  "JOIN term t ON t.id = w.term_id LEFT JOIN school_review r ON r.application_id = a.id "   \
	  "LEFT JOIN recognition_tier rt ON rt.code = r.tier "                                     \
	  "WHERE w.term_id = ?2 AND w.status = 'approved' AND " SCOPE("o.path") " ORDER BY o.path, s.grade, s.class_name, s.name") \
	X(Q_PAST_ADD,                                                                              \
	  "INSERT INTO past_award (district_id, school_id, idcard, name, school_name, stage, programme_id, term_id, " \
	  "amount_fen, tuopin, source, imported_by) VALUES (?1, (SELECT id FROM org WHERE parent_id = ?1 AND name = ?5), " \
	  "?2, ?3, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)")                                            \
	/* The records of an earlier import of the same file (its source ends    \
	 * with the first 16 hex digits of the SHA-256): any such import holds a  \
	 * row of the file's first term and programme, so the index finds it.    */ \
	X(Q_PAST_SAME_FILE,                                                                        \
	  "SELECT imported_at, substr(source, 1, length(source) - 17) AS filename FROM past_award " \
	  "WHERE district_id = ?1 AND term_id = ?2 AND programme_id = ?3 AND substr(source, -17) = ' ' || ?4 " \
	  "ORDER BY id LIMIT 1")                                                                   \
	X(Q_PROGRAMME_BY_NAME,                                                                     \
	  "SELECT id FROM programme WHERE (name = ?1 OR code = ?1) AND (?2 = '' OR stage = ?2) ORDER BY sort LIMIT 1") \
	X(Q_TERM_BY_NAME, "SELECT id FROM term WHERE name = ?1 OR code = ?1")                      \
	X(Q_MATCH_LIST_ADD,                                                                        \
	  "INSERT INTO match_list (district_id, source, list_date, filename, sha256, rows_n, imported_by) " \
	  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")                                                   \
	X(Q_MATCH_LIST_SAME,                                                                       \
	  "SELECT imported_at, filename FROM match_list WHERE district_id = ?1 AND sha256 = ?2 "   \
	  "AND source = ?3 AND list_date = ?4 ORDER BY id LIMIT 1")                                \
	X(Q_MATCH_ENTRY_ADD, "INSERT INTO match_entry (list_id, idcard, name, category) VALUES (?1, ?2, ?3, ?4)") \
	X(Q_MATCH_LISTS,                                                                           \
	  "SELECT m.id, m.source, m.list_date, m.filename, m.sha256, m.rows_n, m.imported_at FROM match_list m " \
	  "JOIN org d ON d.id = m.district_id WHERE " SCOPE("d.path") " ORDER BY m.id DESC")        \
	X(Q_MATCH_MISSING,                                                                         \
	  "SELECT DISTINCT s.id AS student_id, s.idcard, s.name, o.name AS school_name, s.grade, s.class_name, " \
	  "e.category, m.source, m.list_date FROM match_entry e JOIN match_list m ON m.id = e.list_id " \
	  "JOIN org d ON d.id = m.district_id JOIN student s ON s.idcard = e.idcard AND s.status = '在读' " \
	  "JOIN org o ON o.id = s.school_id WHERE " SCOPE("d.path") " AND " SCOPE("o.path")         \
	  " AND NOT EXISTS (SELECT 1 FROM award w WHERE w.idcard = s.idcard AND w.term_id = ?2 AND w.status = 'approved') " \
	  " AND NOT EXISTS (SELECT 1 FROM application a JOIN school_review r ON r.application_id = a.id " \
	  "  JOIN student s2 ON s2.id = a.student_id WHERE s2.idcard = s.idcard AND a.school_year = ?3 AND r.tier <> 'none') " \
	  "ORDER BY o.path, s.grade, s.class_name, s.name")                                        \
	X(Q_STUDENT_GRADES,                                                                        \
	  "SELECT st.name AS stage_name, s.grade, count(*) AS students, sum(s.boarding) AS boarders, " \
	  "count(DISTINCT s.class_name) AS classes FROM student s JOIN org o ON o.id = s.school_id " \
	  "JOIN stage st ON st.code = s.stage "                                                    \
	  "LEFT JOIN grade_level g ON g.stage = s.stage AND g.name = s.grade "                     \
	  "WHERE " SCOPE("o.path") " AND s.status = '在读' "                                       \
	  "GROUP BY st.sort, s.grade ORDER BY st.sort, coalesce(min(g.sort), 99), s.grade")

#define QUERY_ENUM(id, sql) id,
enum { QUERY_LIST(QUERY_ENUM) Q__COUNT };
extern const char *const QUERY_SQL[];

#endif
