/* roles.h - the staff roles and what kind of org node each belongs to. */
#ifndef ZZ_ROLES_H
#define ZZ_ROLES_H

enum {
	ROLE_CITY = 1 << 0,      /* city_viewer: 市教委/市资助中心, read-only across its districts */
	ROLE_DREVIEW = 1 << 1,   /* district_reviewer: 区资助中心审核员 */
	ROLE_DADMIN = 1 << 2,    /* district_admin: 区资助中心管理员 (users, settings, audit) */
	ROLE_OFFICER = 1 << 3,   /* school_officer: 学校资助专干 */
	ROLE_COMMITTEE = 1 << 4, /* committee_member: 学校/班级评议小组成员 */
};
#define ROLE_DISTRICT (ROLE_DREVIEW | ROLE_DADMIN)
#define ROLE_SCHOOL (ROLE_OFFICER | ROLE_COMMITTEE)
#define ROLE_STAFF (ROLE_CITY | ROLE_DISTRICT | ROLE_SCHOOL)

/* ROLE_* bit of a role code, 0 if unknown. */
unsigned role_bit(const char *code);
/* Chinese name of a role code ("" if unknown). */
const char *role_label(const char *code);
/* The org kind (city, district, school) a role belongs to, NULL if unknown. */
const char *role_org_kind(const char *code);
/* All role codes, NULL-terminated, in display order. */
extern const char *const ROLE_CODES[];

#endif
