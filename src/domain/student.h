/* student.h - the rules a roster entry must meet, shared by the form and
 * the spreadsheet import, with a Chinese message per field. */
#ifndef ZZ_STUDENT_H
#define ZZ_STUDENT_H
#include <jansson.h>

/* The roster fields, in the order of the form and the import template. */
typedef struct {
	const char *key;     /* JSON key and form field name */
	const char *label;   /* column header in the import template */
	const char *note;    /* what the column takes (template note) */
	int required;
} student_field;
extern const student_field STUDENT_FIELDS[];

/* Index of each field in STUDENT_FIELDS; SF_COUNT is how many there are
 * (student.c checks the two agree when it compiles). */
enum {
	SF_NAME, SF_GENDER, SF_IDCARD, SF_XUEJI_NO, SF_STAGE, SF_GRADE, SF_CLASS_NAME,
	SF_BOARDING, SF_HUKOU, SF_GUARDIAN, SF_PHONE, SF_ACCOUNT_TYPE, SF_ACCOUNT_NO, SF_BANK,
	SF_COUNT
};

/* One roster entry as plain strings, for checking many of them without
 * building JSON (the roster import). */
typedef struct {
	const char *v[SF_COUNT];   /* value of each field; NULL counts as "" */
	char id[19];               /* the normalised 身份证号 v[SF_IDCARD] points
	                            * to after a successful check */
	const char *msg[SF_COUNT]; /* the problem with each field, or NULL */
	int order[SF_COUNT];       /* fields with a problem, in the order found */
	int nmsg;
} student_row;

/* student_check() on a student_row: the same rules and messages. v[] is
 * normalised in place (to constants, to id, or left pointing at the
 * caller's strings, which must outlive the row); every v[i] is non-NULL
 * afterwards. A field that already has a msg keeps it (the caller found a
 * problem first). Returns the number of problems found. */
int student_check_row(student_row *s, int today);

/* Check and normalise a student given as a JSON object of strings (keys of
 * STUDENT_FIELDS; missing keys count as empty). In place: 身份证号
 * normalised (x -> X, full-width digits), 学段 given as a Chinese name
 * turned into its code, 走读/寄宿 into "0"/"1", 城/乡 into 城镇/农村.
 * For each problem sets errors[key] to a message saying what to fix.
 * Returns the number of problems. today is YYYYMMDD (bounds birth dates). */
int student_check(json_t *s, json_t *errors, int today);

/* Code of a 学段 from its code or a Chinese name (学前, 幼儿园, 小学, 初中,
 * 高中, 普通高中, 中职, 高等教育 …); NULL if unknown. */
const char *stage_code(const char *s);

/* Chinese name of an application status code (the code itself if unknown). */
const char *app_status_label(const char *status);

#endif
