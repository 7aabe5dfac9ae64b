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
int page_student_new(req_t *r);
int page_student_create(req_t *r);
int page_student_edit(req_t *r);
int page_student_update(req_t *r);
int page_student_transfer_form(req_t *r);
int page_student_transfer(req_t *r);
int page_dual_enrolment(req_t *r);
/* roster.c */
int page_promote_form(req_t *r);
int page_promote(req_t *r);
/* import.c */
int page_import_template(req_t *r);
int page_import_form(req_t *r);
int page_import_upload(req_t *r);
int page_import_preview(req_t *r);
int page_import_apply(req_t *r);
int page_import_discard(req_t *r);
/* applications.c */
int page_apps(req_t *r);
int page_app_new(req_t *r);
int page_app_create(req_t *r);
int page_app_show(req_t *r);
int page_app_edit(req_t *r);
int page_app_update(req_t *r);
int page_app_submit(req_t *r);
int page_app_withdraw(req_t *r);
int page_app_reopen(req_t *r);
int page_app_print(req_t *r);
int page_evidence_upload(req_t *r);
int page_evidence_download(req_t *r);
int page_evidence_delete(req_t *r);
/* settings.c */
int page_scoring(req_t *r);
int page_scoring_save(req_t *r);
/* setup.c */
int page_setup_terms(req_t *r);
int page_setup_term_save(req_t *r);
int page_setup_standards(req_t *r);
int page_setup_standards_save(req_t *r);
int page_setup_quotas(req_t *r);
int page_setup_quotas_save(req_t *r);
int page_settings(req_t *r);
/* review.c */
int page_class_queue(req_t *r);
int page_class_case(req_t *r);
int page_class_vote(req_t *r);
int page_class_recuse(req_t *r);
int page_class_close(req_t *r);
int page_school_list(req_t *r);
int page_school_case(req_t *r);
int page_school_decide(req_t *r);
int page_batch_submit(req_t *r);
int page_batches(req_t *r);
int page_batch(req_t *r);
int page_batch_decide(req_t *r);
int page_award_end(req_t *r);
/* notices.c */
int page_notices(req_t *r);
int page_notice_new(req_t *r);
int page_notice_create(req_t *r);
int page_notice(req_t *r);
int page_notice_publish(req_t *r);
int page_notice_delete(req_t *r);
int page_notice_close(req_t *r);
int page_notice_print(req_t *r);
int page_objection_answer(req_t *r);
int page_publicity(req_t *r);
int page_publicity_save(req_t *r);
/* public.c */
int page_public_index(req_t *r);
int page_public_notice(req_t *r);
int page_public_objection_form(req_t *r);
int page_public_objection(req_t *r);
int page_public_check_form(req_t *r);
int page_public_check(req_t *r);
/* admin.c */
int page_users(req_t *r);
int page_user_new(req_t *r);
int page_user_create(req_t *r);
int page_audit(req_t *r);

#endif
