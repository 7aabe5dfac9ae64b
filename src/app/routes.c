/* routes.c - the one table of everything the daemon answers. The
 * dispatcher (dispatch.c) enforces each row's roles and flags; the
 * access-control test walks this same table, so a route added here without
 * an entry there fails the test. */
#include "pages/pages.h"

static const field_t F_LOGIN[] = {
	{"username", F_TEXT, 64}, {"password", F_TEXT, 256}, {"next", F_TEXT, 1024}, {NULL, 0, 0}};
static const field_t F_PASSWORD[] = {{"old_password", F_TEXT, 256},
				      {"new_password", F_TEXT, 256},
				      {"new_password2", F_TEXT, 256},
				      {NULL, 0, 0}};
static const field_t F_USER[] = {{"username", F_TEXT, 64},
				  {"display_name", F_TEXT, 200},
				  {"role", F_TEXT, 32},
				  {"org_id", F_INT, 20},
				  {"password", F_TEXT, 256},
				  {NULL, 0, 0}};

#define ROSTER_READERS (ROLE_OFFICER | ROLE_DISTRICT | ROLE_CITY)

const route_t ROUTES[] = {
	{"GET", "/", ROLE_STAFF, 0, page_home, "home", NULL},
	{"GET", "/login", 0, R_PUBLIC, page_login_form, "login", NULL},
	{"POST", "/login", 0, R_PUBLIC | R_ANON_CSRF, page_login, "login.post", F_LOGIN},
	{"POST", "/logout", ROLE_STAFF, 0, page_logout, "logout", NULL},
	{"GET", "/account/password", ROLE_STAFF, 0, page_password_form, "password", NULL},
	{"POST", "/account/password", ROLE_STAFF, 0, page_password, "password.post", F_PASSWORD},
	{"GET", "/students", ROSTER_READERS, 0, page_students, "students", NULL},
	{"GET", "/students/:id", ROSTER_READERS, 0, page_student, "student", NULL},
	{"GET", "/schools", ROLE_DISTRICT | ROLE_CITY, 0, page_schools, "schools", NULL},
	{"GET", "/schools/:id", ROLE_STAFF, 0, page_school, "school", NULL},
	{"GET", "/admin/users", ROLE_DADMIN, 0, page_users, "users", NULL},
	{"GET", "/admin/users/new", ROLE_DADMIN, 0, page_user_new, "user.new", NULL},
	{"POST", "/admin/users", ROLE_DADMIN, 0, page_user_create, "user.create", F_USER},
	{"GET", "/admin/audit", ROLE_DADMIN, 0, page_audit, "audit", NULL},
	{"GET", "/healthz", 0, R_PUBLIC, page_health, "health", NULL},
};
const size_t ROUTE_COUNT = sizeof ROUTES / sizeof ROUTES[0];
