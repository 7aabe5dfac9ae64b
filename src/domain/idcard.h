/* idcard.h - the 18-character 居民身份证号 (GB 11643-1999).
 * Layout: 6-digit region code, 8-digit birth date YYYYMMDD, 3-digit
 * sequence (odd for men, even for women), check character computed with
 * ISO 7064 MOD 11-2 ('0'-'9' or 'X'). */
#ifndef ZZ_IDCARD_H
#define ZZ_IDCARD_H
#include <stddef.h>

typedef enum {
	IDCARD_OK = 0,
	IDCARD_EMPTY,        /* nothing entered */
	IDCARD_LENGTH,       /* not 18 characters */
	IDCARD_CHARS,        /* not 17 digits followed by a digit or X */
	IDCARD_REGION,       /* region code cannot exist (province part) */
	IDCARD_BIRTH,        /* birth date not a real date, or in the future */
	IDCARD_CHECK,        /* check character does not match */
} idcard_result;

/* Normalise s into out (19 bytes): trim spaces, fold a final 'x' to 'X',
 * and turn full-width digits/Ｘ typed with a Chinese IME into ASCII.
 * Returns the verdict on the normalised number. today_yyyymmdd (e.g.
 * 20261123) bounds the birth date; pass 0 to skip that bound. */
idcard_result idcard_check(const char *s, int today_yyyymmdd, char out[19]);
/* A Chinese message for the user saying what is wrong and what to fix. */
const char *idcard_message(idcard_result r);
/* The check character for the first 17 digits. */
char idcard_check_char(const char *first17);
/* 1 = male, 0 = female, from the 17th digit of a valid number. */
int idcard_is_male(const char *id);
/* Birth date of a valid number as "YYYY-MM-DD" into out (11 bytes). */
void idcard_birth(const char *id, char out[11]);
/* Today's date as YYYYMMDD in local time. */
int today_yyyymmdd(void);

#endif
