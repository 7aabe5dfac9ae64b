/* roles.c - role codes, bits and labels. */
#include "roles.h"
#include <string.h>

static const struct {
	const char *code, *label, *kind;
	unsigned bit;
} ROLES[] = {
	{"city_viewer", "市级查看", "city", ROLE_CITY},
	{"district_reviewer", "区级审核员", "district", ROLE_DREVIEW},
	{"district_admin", "区级管理员", "district", ROLE_DADMIN},
	{"school_officer", "学校资助专干", "school", ROLE_OFFICER},
	{"committee_member", "评议小组成员", "school", ROLE_COMMITTEE},
};

const char *const ROLE_CODES[] = {"city_viewer", "district_reviewer", "district_admin",
				  "school_officer", "committee_member", NULL};

unsigned role_bit(const char *code)
{
	for (size_t i = 0; i < sizeof ROLES / sizeof ROLES[0]; i++)
		if (code && strcmp(code, ROLES[i].code) == 0)
			return ROLES[i].bit;
	return 0;
}

const char *role_label(const char *code)
{
	for (size_t i = 0; i < sizeof ROLES / sizeof ROLES[0]; i++)
		if (code && strcmp(code, ROLES[i].code) == 0)
			return ROLES[i].label;
	return "";
}

const char *role_org_kind(const char *code)
{
	for (size_t i = 0; i < sizeof ROLES / sizeof ROLES[0]; i++)
		if (code && strcmp(code, ROLES[i].code) == 0)
			return ROLES[i].kind;
	return NULL;
}
