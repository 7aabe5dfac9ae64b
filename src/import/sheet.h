/* sheet.h - spreadsheet files in and out: read an uploaded CSV or .xlsx
 * into rows of UTF-8 text cells, and write simple one-sheet .xlsx files.
 *
 * Reading is for the roster import. It is faithful: a cell comes out as
 * the text the user sees in Excel ("<script>" stays "<script>", leading
 * zeros and 18-digit IDs stored as text stay as they are), and validating
 * that text is the caller's job. What the reader guarantees: every cell is
 * valid UTF-8 without NUL bytes, no row is completely empty, no row ends
 * in an empty cell, and everything stays within the limits below. On
 * failure the message is a Chinese sentence for the user that says what is
 * wrong and what to do, naming the row and column where it applies. */
#ifndef ZZ_SHEET_H
#define ZZ_SHEET_H
#include <stddef.h>
#include "core/arena.h"

typedef struct {
	size_t line;      /* 1-based row number the user sees: for CSV the
	                   * physical line where the record starts, for xlsx
	                   * the row's r="N" */
	size_t ncells;    /* >= 1; the last cell is not empty */
	char **cells;     /* UTF-8, NUL-terminated; an empty cell is "".
	                   * Cells may share storage: treat them as read-only. */
} sheet_row;

typedef struct {
	sheet_row *rows;
	size_t nrows;
	const char *format;   /* "csv-utf8", "csv-gb18030" or "xlsx" */
	/* private: everything above lives in this arena / malloc block */
	arena_t arena_;
	size_t cap_;
} sheet_t;

/* Limits for one sheet_read call. A field left 0 takes the value from
 * SHEET_DEFAULT_LIMITS. */
typedef struct {
	size_t max_rows;      /* rows kept (after dropping empty ones) */
	size_t max_cols;      /* a non-empty cell beyond this column is an error */
	size_t max_cell;      /* bytes of UTF-8 in one cell */
	size_t max_unzipped;  /* xlsx: bytes inflated from the zip, all parts together */
	size_t max_total;     /* bytes of result, roughly the memory it
	                       * takes: each cell's text + NUL (rounded up
	                       * to 16; a shared string counts each time it
	                       * is used), a pointer per cell, and an xlsx's
	                       * shared strings table */
} sheet_limits;

/* 200000 rows, 200 columns, 4096 bytes per cell, 256 MiB unzipped,
 * 256 MiB result. */
extern const sheet_limits SHEET_DEFAULT_LIMITS;

/* Read a CSV or xlsx file from memory into *out.
 *
 * The format is detected from the content: "PK\3\4" (a zip) is xlsx, else
 * CSV. Only the first worksheet of an xlsx is read, in workbook order
 * (hidden sheets are skipped unless all are hidden). CSV is RFC 4180 as
 * Excel writes it (comma-separated, "" inside quotes, quoted newlines,
 * CRLF, LF or CR line ends); its encoding is UTF-8 when it has a UTF-8
 * BOM or is valid UTF-8, else GB18030 (which includes GBK and GB2312). A
 * file that has a BOM or is mostly valid UTF-8 is reported as broken UTF-8
 * rather than decoded as GB18030. A CSV field ="0123" gives 0123, as
 * Excel shows it. xlsx number cells give their stored text,
 * except that integral numbers of up to 15 digits come out plain ("1E+3"
 * and "1000.0" -> "1000", "1.10105194912310E+17" stays as is); booleans
 * give "TRUE"/"FALSE", formulas their cached value. Completely empty rows
 * are dropped and trailing empty cells trimmed.
 *
 * data need not be NUL-terminated and is not kept. lim may be NULL for the
 * defaults. *out is overwritten, not freed. On success returns 0 and *out holds the rows (an empty file
 * gives nrows == 0); release with sheet_free(). On failure returns -1,
 * *out is empty (sheet_free() on it is harmless) and err (when errlen > 0)
 * holds a Chinese message such as "文件不完整：第 57 行第 2 列（B 列）的引号
 * 没有闭合，文件可能在上传或保存时被截断。". */
int sheet_read(const unsigned char *data, size_t len, const sheet_limits *lim,
               sheet_t *out, char *err, size_t errlen);

/* What sheet_each() calls for each row, in file order: format is as in
 * sheet_t, row->cells live only until the call returns. Return 0 to go on,
 * anything else to stop reading. */
typedef int (*sheet_row_fn)(void *ctx, const char *format, const sheet_row *row);

/* Read like sheet_read(), with the same limits and the same errors, but
 * hand each row to fn as soon as it is complete instead of keeping it, so
 * that memory stays at one row (and an xlsx's shared strings) however long
 * the file is. Returns 0 when every row was handed over, -1 when the file
 * cannot be read (err set as by sheet_read(); the rows before the fault
 * were handed over already), 1 when fn stopped the reading (err is
 * then ""). */
int sheet_each(const unsigned char *data, size_t len, const sheet_limits *lim,
               sheet_row_fn fn, void *ctx, char *err, size_t errlen);

/* Free everything sheet_read() allocated; *s becomes empty. */
void sheet_free(sheet_t *s);

/* The spreadsheet name of a 0-based column index: 0 -> "A", 25 -> "Z",
 * 26 -> "AA", 16383 -> "XFD". Indexes that need more than 7 letters give
 * "?". */
void sheet_col_name(size_t col, char out[8]);

/* Write an xlsx workbook with one sheet into memory.
 *
 * Row 1 is a bold header (headers[c], NULL = empty) and is frozen; rows 2..
 * are cells[r][c] for r < nrows, c < ncols (cells may be NULL when nrows is
 * 0; a NULL row or NULL cell is an empty cell). Every cell is written as
 * text, and the columns are formatted as text, so 18-digit IDs and leading
 * zeros survive, also in what the user types into a template. Column widths
 * fit the longest content (Chinese characters count double). header_notes
 * (may be NULL, as may any entry) adds an Excel comment to a header cell,
 * e.g. "18 位身份证号，末位可以是 X". sheet_name NULL means "Sheet1"; Excel
 * allows at most 31 characters and none of []:*?/\.
 *
 * All strings must be valid UTF-8 of at most 32767 UTF-16 units; at most
 * 16384 columns and 1048575 data rows. Uses temporary files in $TMPDIR (or
 * /tmp) while building. Returns 0 with *out a malloc'd buffer of *outlen
 * bytes (the caller frees it), or -1 with a Chinese message in err. */
int xlsx_write_table(const char *sheet_name, size_t ncols, const char *const *headers,
                     const char *const *header_notes, size_t nrows,
                     const char *const *const *cells, unsigned char **out,
                     size_t *outlen, char *err, size_t errlen);

#endif
