/* format.h - how money, dates and sensitive numbers are shown to people.
 * Money is an integer number of fen (int64_t) everywhere; these functions
 * are the only place it becomes text, and money_parse_yuan the only place
 * text becomes money. No floating point touches an amount. */
#ifndef ZZ_FORMAT_H
#define ZZ_FORMAT_H
#include <stddef.h>
#include <jansson.h>
#include <stdint.h>

/* 125000 -> "1,250.00"; -31250 -> "-312.50". out needs 32 bytes. */
void money_format_yuan(int64_t fen, char *out, size_t n);
/* The decimal digits of v (with '-' if negative) in out, which must hold
 * 21 bytes; NUL-terminated. Returns the length. (The pages print many
 * numbers; this is several times cheaper than snprintf.) */
int int_format(long long v, char out[21]);
/* Exact 万元 (1 万元 = 1,000,000 fen): 3222587500 -> "3222.5875"; 53081250 -> "53.08125";
 * at least 4 decimals, more only when needed (1 fen = 0.000001 万元). */
void money_format_wan(int64_t fen, char *out, size_t n);
/* Parse "1250", "1,250.5", "312.50", "０"… (ASCII digits only, optional
 * thousands commas, at most 2 decimals, optional leading '-' if allow_neg)
 * into fen. Returns 0, or -1 on anything else or on overflow. */
int money_parse_yuan(const char *s, int allow_neg, int64_t *fen);

/* "2025-03-05" or "2025-03-05T14:03:00"/"2025-03-05 14:03:00" ->
 * "2025年3月5日" (with_time adds " 14:03"). Returns 0, or -1 if s is not an
 * ISO date (then out is a copy of s). */
int date_format_cn(const char *iso, int with_time, char *out, size_t n);
/* 1 if y-m-d is a real calendar date (1900..2199). */
int date_valid(int y, int m, int d);

/* 身份证号 on staff screens: first 6 + "********" + last 4, whatever the
 * length (11 or more); shorter input is masked whole with '*'. out needs
 * 19 bytes. */
void mask_idcard(const char *id, char *out, size_t n);
/* Bank or card account: "********" + last 4. */
void mask_account(const char *a, char *out, size_t n);
/* Mask in place every idcard, xueji_no, phone and account_no value in a
 * JSON value (objects and arrays, depth-limited), for staff screens that
 * show stored records such as the audit log. */
void mask_json(json_t *v, int depth);
/* Phone: first 3 + "****" + last 4 for 11 digits; else all but the last 4 masked. */
void mask_phone(const char *p, char *out, size_t n);
/* Person's name for public lists: 张三 -> 张*, 张小明 -> 张*明, 欧阳小明 -> 欧**明
 * (UTF-8 aware: keeps the first and, for 3+ characters, the last character). */
void mask_name(const char *name, char *out, size_t n);

/* The 学年 in progress on a date (YYYYMMDD): from 1 August "2026-2027",
 * before it "2025-2026". out needs 10 bytes. */
void school_year_of(int yyyymmdd, char out[10]);
/* 1 if s is a 学年 like "2025-2026" (second year = first + 1). */
int school_year_ok(const char *s);

/* The ISO date n working days (Monday to Friday) after iso, counting iso
 * itself as day 1 when it is a working day; out needs 11 bytes. Returns 0
 * or -1 if iso is not a date. Holidays are not known. */
int add_working_days(const char *iso, int n, char out[11]);
/* iso + days (may be negative) into out[11]. 0 or -1. */
int add_days(const char *iso, int days, char out[11]);
/* Today as "YYYY-MM-DD" (local time) into out[11]. */
void today_iso(char out[11]);

/* The type of an uploaded document judged by its first bytes, not its
 * name: "application/pdf", "image/jpeg", "image/png", or NULL. */
const char *document_type(const unsigned char *d, size_t n);
/* A scan or photo kept as evidence or a care attachment may be this big;
 * the request parser lets larger files through for roster imports. */
#define DOCUMENT_MAX_BYTES (10u << 20)

/* Number of characters (code points) in UTF-8 text. */
size_t utf8_chars(const char *s);
/* 1 if s has a control character (below 0x20 other than tab, or 0x7F). */
int has_control(const char *s);

#endif
