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

static const field_t F_STUDENT[] = {
	{"name", F_TEXT, 200}, {"gender", F_TEXT, 8}, {"idcard", F_TEXT, 100}, {"xueji_no", F_TEXT, 64},
	{"stage", F_TEXT, 32}, {"grade", F_TEXT, 64}, {"class_name", F_TEXT, 64}, {"boarding", F_TEXT, 8},
	{"hukou", F_TEXT, 16}, {"guardian", F_TEXT, 200}, {"phone", F_TEXT, 32}, {"account_type", F_TEXT, 16},
	{"account_no", F_TEXT, 64}, {"bank", F_TEXT, 200}, {NULL, 0, 0}};
static const field_t F_TRANSFER[] = {{"school_id", F_INT, 20}, {"stage", F_TEXT, 32}, {"grade", F_TEXT, 64},
				      {"class_name", F_TEXT, 64}, {NULL, 0, 0}};
static const field_t F_APP[] = {{"student_id", F_INT, 20}, {"household_size", F_TEXT, 8},
				 {"income", F_TEXT, 32}, {"housing", F_TEXT, 32}, {"major_event", F_TEXT, 2000},
				 {"reason", F_TEXT, 20000}, {"officer_summary", F_TEXT, 20000},
				 {"pledge_signer", F_TEXT, 200}, {"category", F_INT, 20}, {"programme", F_INT, 20},
				 {"action", F_TEXT, 16}, {NULL, 0, 0}};

static const field_t F_NOTICE[] = {{"title", F_TEXT, 400}, {"body", F_TEXT, 8000}, {"starts", F_TEXT, 10},
				    {"ends", F_TEXT, 10}, {"programme", F_INT, 20}, {NULL, 0, 0}};
static const field_t F_OBJECTION[] = {{"content", F_TEXT, 8000}, {"name", F_TEXT, 128}, {"phone", F_TEXT, 32},
				       {NULL, 0, 0}};
static const field_t F_CHECK[] = {{"name", F_TEXT, 128}, {"idtail", F_TEXT, 16}, {NULL, 0, 0}};

static const field_t F_PAYBATCH[] = {{"term", F_INT, 20}, {"programme", F_INT, 20}, {NULL, 0, 0}};

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
	{"GET", "/students/new", ROLE_OFFICER, 0, page_student_new, "student.new", NULL},
	{"POST", "/students", ROLE_OFFICER, 0, page_student_create, "student.create", F_STUDENT},
	{"GET", "/students/:id/edit", ROLE_OFFICER, 0, page_student_edit, "student.edit", NULL},
	{"POST", "/students/:id", ROLE_OFFICER, 0, page_student_update, "student.update", F_STUDENT},
	{"GET", "/students/:id/transfer", ROLE_OFFICER, 0, page_student_transfer_form, "student.transfer", NULL},
	{"POST", "/students/:id/transfer", ROLE_OFFICER, 0, page_student_transfer, "student.transfer.post", F_TRANSFER},
	{"GET", "/students/dual", ROSTER_READERS, 0, page_dual_enrolment, "students.dual", NULL},
	{"GET", "/roster/promote", ROLE_OFFICER, 0, page_promote_form, "roster.promote", NULL},
	{"POST", "/roster/promote", ROLE_OFFICER, 0, page_promote, "roster.promote.post", NULL},
	{"GET", "/roster/template.xlsx", ROLE_OFFICER, 0, page_import_template, "roster.template", NULL},
	{"GET", "/roster/import", ROLE_OFFICER, 0, page_import_form, "roster.import", NULL},
	{"POST", "/roster/import", ROLE_OFFICER, 0, page_import_upload, "roster.import.post", NULL},
	{"GET", "/roster/import/:id", ROLE_OFFICER, 0, page_import_preview, "roster.import.preview", NULL},
	{"POST", "/roster/import/:id", ROLE_OFFICER, 0, page_import_apply, "roster.import.apply", NULL},
	{"POST", "/roster/import/:id/discard", ROLE_OFFICER, 0, page_import_discard, "roster.import.discard", NULL},
	{"GET", "/applications", ROSTER_READERS, 0, page_apps, "applications", NULL},
	{"GET", "/applications/new", ROLE_OFFICER, 0, page_app_new, "application.new", NULL},
	{"POST", "/applications", ROLE_OFFICER, 0, page_app_create, "application.create", F_APP},
	{"GET", "/applications/:id", ROSTER_READERS, 0, page_app_show, "application", NULL},
	{"GET", "/applications/:id/edit", ROLE_OFFICER, 0, page_app_edit, "application.edit", NULL},
	{"POST", "/applications/:id", ROLE_OFFICER, 0, page_app_update, "application.update", F_APP},
	{"POST", "/applications/:id/submit", ROLE_OFFICER, 0, page_app_submit, "application.submit", NULL},
	{"POST", "/applications/:id/withdraw", ROLE_OFFICER, 0, page_app_withdraw, "application.withdraw", NULL},
	{"POST", "/applications/:id/reopen", ROLE_OFFICER, 0, page_app_reopen, "application.reopen", NULL},
	{"GET", "/applications/:id/print", ROSTER_READERS, 0, page_app_print, "application.print", NULL},
	{"POST", "/applications/:id/evidence", ROLE_OFFICER, 0, page_evidence_upload, "evidence.upload", NULL},
	{"GET", "/evidence/:id", ROSTER_READERS, 0, page_evidence_download, "evidence", NULL},
	{"POST", "/evidence/:id/delete", ROLE_OFFICER, 0, page_evidence_delete, "evidence.delete", NULL},
	{"GET", "/schools", ROLE_DISTRICT | ROLE_CITY, 0, page_schools, "schools", NULL},
	{"GET", "/schools/:id", ROLE_STAFF, 0, page_school, "school", NULL},
	{"GET", "/review/class", ROLE_SCHOOL, 0, page_class_queue, "review.class", NULL},
	{"GET", "/review/class/:id", ROLE_SCHOOL, 0, page_class_case, "review.class.case", NULL},
	{"POST", "/review/class/:id/vote", ROLE_COMMITTEE, 0, page_class_vote, "review.class.vote", NULL},
	{"POST", "/review/class/:id/recuse", ROLE_COMMITTEE, 0, page_class_recuse, "review.class.recuse", NULL},
	{"POST", "/review/class/:id/close", ROLE_SCHOOL, 0, page_class_close, "review.class.close", NULL},
	{"GET", "/review/school", ROLE_OFFICER, 0, page_school_list, "review.school", NULL},
	{"GET", "/review/school/:id", ROLE_OFFICER, 0, page_school_case, "review.school.case", NULL},
	{"POST", "/review/school/:id", ROLE_OFFICER, 0, page_school_decide, "review.school.decide", NULL},
	{"POST", "/review/batches", ROLE_OFFICER, 0, page_batch_submit, "review.batch.submit", NULL},
	{"POST", "/awards/:id/end", ROLE_OFFICER, 0, page_award_end, "award.end", NULL},
	{"GET", "/district/batches", ROLE_DISTRICT | ROLE_CITY, 0, page_batches, "district.batches", NULL},
	{"GET", "/district/batches/:id", ROLE_DISTRICT | ROLE_CITY, 0, page_batch, "district.batch", NULL},
	{"POST", "/district/batches/:id", ROLE_DISTRICT, 0, page_batch_decide, "district.batch.decide", NULL},
	{"GET", "/payments", ROLE_DISTRICT | ROLE_CITY, 0, page_pay_batches, "payments", NULL},
	{"POST", "/payments", ROLE_DISTRICT, 0, page_pay_batch_create, "payment.create", F_PAYBATCH},
	{"GET", "/payments/:id", ROLE_DISTRICT | ROLE_CITY, 0, page_pay_batch, "payment.batch", NULL},
	{"GET", "/payments/:id/bank.csv", ROLE_DISTRICT, 0, page_pay_bank_csv, "payment.bank.csv", NULL},
	{"GET", "/payments/:id/bank.xlsx", ROLE_DISTRICT, 0, page_pay_bank_xlsx, "payment.bank.xlsx", NULL},
	{"GET", "/payments/:id/roster", ROLE_DISTRICT | ROLE_CITY, 0, page_pay_roster, "payment.roster", NULL},
	{"POST", "/payments/:id/sent", ROLE_DISTRICT, 0, page_pay_sent, "payment.sent", NULL},
	{"POST", "/payments/:id/return", ROLE_DISTRICT, 0, page_pay_return, "payment.return", NULL},
	{"POST", "/payments/:id/reissue", ROLE_DISTRICT, 0, page_pay_reissue, "payment.reissue", NULL},
	{"GET", "/ledger", ROLE_DISTRICT | ROLE_CITY, 0, page_ledger, "ledger", NULL},
	{"GET", "/admin/users", ROLE_DADMIN, 0, page_users, "users", NULL},
	{"GET", "/admin/users/new", ROLE_DADMIN, 0, page_user_new, "user.new", NULL},
	{"POST", "/admin/users", ROLE_DADMIN, 0, page_user_create, "user.create", F_USER},
	{"GET", "/admin/audit", ROLE_DADMIN, 0, page_audit, "audit", NULL},
	{"GET", "/settings", ROLE_DADMIN, 0, page_settings, "settings", NULL},
	{"GET", "/settings/terms", ROLE_DADMIN, 0, page_setup_terms, "settings.terms", NULL},
	{"POST", "/settings/terms/:id", ROLE_DADMIN, 0, page_setup_term_save, "settings.term.post", NULL},
	{"GET", "/settings/standards", ROLE_DADMIN, 0, page_setup_standards, "settings.standards", NULL},
	{"POST", "/settings/standards", ROLE_DADMIN, 0, page_setup_standards_save, "settings.standards.post", NULL},
	{"GET", "/settings/quotas", ROLE_DADMIN, 0, page_setup_quotas, "settings.quotas", NULL},
	{"POST", "/settings/quotas", ROLE_DADMIN, 0, page_setup_quotas_save, "settings.quotas.post", NULL},
	{"GET", "/settings/scoring", ROLE_DADMIN, 0, page_scoring, "settings.scoring", NULL},
	{"POST", "/settings/scoring", ROLE_DADMIN, 0, page_scoring_save, "settings.scoring.post", NULL},
	{"GET", "/notices", ROLE_OFFICER | ROLE_DISTRICT | ROLE_CITY, 0, page_notices, "notices", NULL},
	{"GET", "/notices/new", ROLE_OFFICER, 0, page_notice_new, "notice.new", NULL},
	{"POST", "/notices", ROLE_OFFICER, 0, page_notice_create, "notice.create", F_NOTICE},
	{"GET", "/notices/:id", ROLE_OFFICER | ROLE_DISTRICT | ROLE_CITY, 0, page_notice, "notice", NULL},
	{"POST", "/notices/:id/publish", ROLE_OFFICER, 0, page_notice_publish, "notice.publish", NULL},
	{"POST", "/notices/:id/delete", ROLE_OFFICER, 0, page_notice_delete, "notice.delete", NULL},
	{"POST", "/notices/:id/close", ROLE_OFFICER, 0, page_notice_close, "notice.close", NULL},
	{"GET", "/notices/:id/print", ROLE_OFFICER | ROLE_DISTRICT, 0, page_notice_print, "notice.print", NULL},
	{"POST", "/objections/:id/answer", ROLE_OFFICER, 0, page_objection_answer, "objection.answer", NULL},
	{"GET", "/settings/publicity", ROLE_DADMIN, 0, page_publicity, "settings.publicity", NULL},
	{"POST", "/settings/publicity", ROLE_DADMIN, 0, page_publicity_save, "settings.publicity.post", NULL},
	{"GET", "/gongshi", 0, R_PUBLIC, page_public_index, "public.index", NULL},
	{"GET", "/gongshi/:id", 0, R_PUBLIC, page_public_notice, "public.notice", NULL},
	{"GET", "/gongshi/:id/objection", 0, R_PUBLIC, page_public_objection_form, "public.objection", NULL},
	{"POST", "/gongshi/:id/objection", 0, R_PUBLIC | R_ANON_CSRF, page_public_objection, "public.objection.post", F_OBJECTION},
	{"GET", "/chaxun", 0, R_PUBLIC, page_public_check_form, "public.check", NULL},
	{"POST", "/chaxun", 0, R_PUBLIC | R_ANON_CSRF, page_public_check, "public.check.post", F_CHECK},
	{"GET", "/healthz", 0, R_PUBLIC, page_health, "health", NULL},
};
const size_t ROUTE_COUNT = sizeof ROUTES / sizeof ROUTES[0];
