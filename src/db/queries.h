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
	  "WHERE " SCOPE("o.path") " AND (?2 = '' OR instr(s.name, ?2) > 0 OR s.idcard = upper(?2) " \
	  "OR s.xueji_no = ?2 OR instr(s.grade || s.class_name, ?2) > 0) "                         \
	  "ORDER BY o.path, st.sort, coalesce(g.sort, 99), s.grade, s.class_name, s.name "         \
	  "LIMIT ?3 OFFSET ?4")                                                                    \
	X(Q_STUDENT_COUNT,                                                                         \
	  "SELECT count(*) FROM student s JOIN org o ON o.id = s.school_id "                       \
	  "WHERE " SCOPE("o.path") " AND (?2 = '' OR instr(s.name, ?2) > 0 OR s.idcard = upper(?2) " \
	  "OR s.xueji_no = ?2 OR instr(s.grade || s.class_name, ?2) > 0)")                         \
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
