/* pages.h - the handlers, one file per resource. Each takes the request
 * after the dispatcher has checked sign-in, role, CSRF and field shapes,
 * and returns 0 when it has answered, -1 when the database failed (the
 * dispatcher rolls back and shows the error page). */
#ifndef ZZ_PAGES_H
#define ZZ_PAGES_H
#include "app/app.h"

/* auth.c */
int page_login_form(req_t *r);
int page_login(req_t *r);
int page_logout(req_t *r);
int page_password_form(req_t *r);
int page_password(req_t *r);
/* home.c */
int page_home(req_t *r);
int page_schools(req_t *r);
int page_school(req_t *r);
int page_health(req_t *r);
/* students.c */
int page_students(req_t *r);
int page_student(req_t *r);
/* admin.c */
int page_users(req_t *r);
int page_user_new(req_t *r);
int page_user_create(req_t *r);
int page_audit(req_t *r);

#endif
