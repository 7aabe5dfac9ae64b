/* cli.h - subcommands other than serve that work on the database. */
#ifndef ZZ_CLI_H
#define ZZ_CLI_H
#include "db/db.h"

/* Fill an empty database with a demo city: districts, schools of every
 * 学段, one user per role (password demo_password) and nstudents students
 * with valid 身份证号. Returns 0, 1 if the database already has orgs (not
 * an error: nothing is written), -1 on failure with err. */
int demo_fill(db_t *db, int nstudents, unsigned seed, char *err, size_t errlen);
/* Print the demo sign-ins (user name, role, org, password). */
void demo_print_users(db_t *db);
extern const char *const DEMO_PASSWORD;

/* Add an org node under the org with code parent_code (NULL for the city).
 * Returns the new id, or -1 with err. */
long long cli_org_add(db_t *db, const char *kind, const char *name, const char *code,
		      const char *parent_code, const char *stage, char *err, size_t errlen);
/* Add a user at the org with code org_code. Returns the new id or -1. */
long long cli_user_add(db_t *db, const char *username, const char *display_name, const char *role,
		       const char *org_code, const char *password, char *err, size_t errlen);

#endif
