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
extern const int STUDENT_FIELD_COUNT;

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
