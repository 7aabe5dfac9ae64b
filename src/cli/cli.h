/* cli.h - subcommands other than serve that work on the database. */
#ifndef ZZ_CLI_H
#define ZZ_CLI_H
#include "db/db.h"

/* Fill an empty database with a demo city: districts, schools of every
 * 学段, one user per role (password demo_password) and nstudents students
 * with valid 身份证号. Returns 0, 1 if the database already has orgs (not
 * an error: nothing is written), -1 on failure with err. */
int demo_fill(db_t *db, int nstudents, unsigned seed, char *err, size_t errlen);
/* A city-sized data set for benchmarks: the demo city, then every district
 * of 洛阳市 with schools of every 学段 and nstudents students in all, two
 * 学年 of applications, reviews, awards, payments and a verified ledger,
 * and history_terms terms of imported past awards. Returns 0, 1 if the
 * database already has orgs, -1 with err. */
int demo_scale(db_t *db, long nstudents, int history_terms, unsigned seed, char *err, size_t errlen);
/* Pieces of demo_fill shared with demo_scale (same random stream). */
unsigned demo_rnd(unsigned n);
long long demo_org_id(db_t *db, const char *code); /* 0 if there is none */
int demo_grades(const char *stage);
int demo_birth_year(const char *stage, int grade);
/* Insert one generated student; seq is the 3-digit order code (odd: male).
 * birth_year < 0: a random birth date of the grade's age. */
int demo_student(db_t *db, long long school_id, const char *region, const char *stage, int grade,
		 int nclasses, int seq, int birth_year, int birth_day);
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
