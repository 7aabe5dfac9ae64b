/* sheet_internal.h - what the CSV and xlsx readers share: the row builder
 * that enforces the limits and owns the result, and the error helpers.
 * Not for use outside src/import/. */
#ifndef ZZ_SHEET_INTERNAL_H
#define ZZ_SHEET_INTERNAL_H
#include "import/sheet.h"
#include <stddef.h>

/* Collects the cells of the current row, then appends the row to the
 * sheet, or hands it to fn. Cell text is copied into the sheet's arena, or
 * the row arena when there is a fn (xlsx shared strings already live in the
 * sheet's arena). */
typedef struct {
	sheet_t *s;
	sheet_row_fn fn;    /* sheet_each(): rows go here instead of into s */
	void *ctx;
	arena_t row;        /* sheet_each(): the copied cells of the current row */
	int stopped;        /* fn asked to stop */
	sheet_limits lim;   /* with the defaults filled in */
	char **cur;         /* cells of the current row (malloc'd, <= max_cols) */
	size_t ncur, capcur;
	size_t total;       /* bytes counted against lim.max_total */
	char *empty;        /* the one "" every empty cell points to */
	char *err;
	size_t errlen;
} sheet_builder;

/* Format a message into err (when errlen > 0), cut at a UTF-8 character
 * boundary if it does not fit. */
void sheet_err(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* "12 MB" (whole MiB) or "512 KB" for a byte count; returns out. */
const char *sheet_size(char out[32], size_t bytes);

/* "第 12 行第 3 列（C 列）" for a 1-based line and 0-based column. */
void sheet_where(char out[96], size_t line, size_t col);

/* Count bytes (rounded up as the arena does) against max_total before
 * allocating them. Returns 0, or -1 with err set. */
int sb_account(sheet_builder *b, size_t bytes);

/* Put len bytes of text at column col (0-based) of the current row,
 * reported as line on error. Empty text is a no-op (gaps are filled with
 * "" when a later cell arrives). If stored is non-zero, text is
 * NUL-terminated at len and lives in the sheet's arena: it is used as is,
 * else it is copied. Returns 0, or -1 with err set (too many columns, cell
 * too long, result too big). */
int sb_cell(sheet_builder *b, size_t line, size_t col, const char *text, size_t len,
            int stored);

/* End the current row: trim trailing empty cells, drop it if nothing is
 * left, else append it with the given line number (or hand it to fn).
 * Returns 0, or -1 with err set (too many rows, result too big) or with
 * stopped set (fn said stop). */
int sb_row_end(sheet_builder *b, size_t line);

/* Read an xlsx (zip) file into the builder. Returns 0, or -1 with err
 * set. Defined in xlsx_read.c. */
int xlsx_read(sheet_builder *b, const unsigned char *data, size_t len);

#endif
