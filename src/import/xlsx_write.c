/* xlsx_write.c - xlsx_write_table(): a one-sheet workbook of text cells,
 * built with libxlsxwriter.
 *
 * libxlsxwriter 1.1.4 (Debian 12) writes only to a named file, and keeps
 * its parts in temporary files while it builds the zip, so we give it a
 * private file from mkstemp() in $TMPDIR (or /tmp), read the result back
 * and remove the file. */
#include "import/sheet_internal.h"
#include "core/buf.h"
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define MAX_UNITS 32767      /* UTF-16 units in one Excel cell */
#define MIN_WIDTH 8.0
#define MAX_WIDTH 60.0

/* Check UTF-8 and measure: *units in UTF-16, *width in Excel character
 * widths of the widest line (CJK and other wide characters count 2).
 * Returns 0 if s is not valid UTF-8. */
static int measure(const char *str, size_t *units, size_t *width)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t line = 0;
	*units = *width = 0;
	while (*s) {
		unsigned long cp;
		size_t n;
		if (s[0] < 0x80)
			cp = s[0], n = 1;
		else if (s[0] >= 0xC2 && s[0] <= 0xDF)
			cp = s[0] & 0x1F, n = 2;
		else if (s[0] >= 0xE0 && s[0] <= 0xEF)
			cp = s[0] & 0x0F, n = 3;
		else if (s[0] >= 0xF0 && s[0] <= 0xF4)
			cp = s[0] & 0x07, n = 4;
		else
			return 0;
		for (size_t i = 1; i < n; i++) {
			if ((s[i] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[i] & 0x3F);
		}
		if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
		    (cp >= 0xD800 && cp <= 0xDFFF))
			return 0;
		s += n;
		*units += cp >= 0x10000 ? 2 : 1;
		if (cp == '\n') {   /* the widest line counts */
			line = 0;
			continue;
		}
		line += (cp >= 0x1100 && (cp <= 0x115F || cp >= 0x2E80)) ? 2 : 1;
		if (line > *width)
			*width = line;
	}
	return 1;
}

static int is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Excel reads "_xHHHH_" in a string as the character HHHH, so text that
 * happens to contain one is written with its '_' escaped as "_x005F_".
 * Returns s, or the escaped copy in tmp. */
static const char *excel_text(const char *s, buf_t *tmp)
{
	if (!strstr(s, "_x"))
		return s;
	buf_reset(tmp);
	for (const char *p = s; *p; p++) {
		if (p[0] == '_' && p[1] == 'x' && is_hex(p[2]) && is_hex(p[3]) && is_hex(p[4]) &&
		    is_hex(p[5]) && p[6] == '_')
			buf_puts(tmp, "_x005F");
		buf_putc(tmp, *p);
	}
	return buf_cstr(tmp);
}

/* Validate one string for cell (row, col) (row 0 = header) and widen the
 * column to fit it. */
static int check_text(const char *s, size_t row, size_t col, double *width, char *err,
                      size_t errlen)
{
	size_t units, w;
	char where[96];
	if (!s)
		return 0;
	if (!measure(s, &units, &w)) {
		sheet_where(where, row + 1, col);
		sheet_err(err, errlen, "无法生成 xlsx：%s的内容不是有效的 UTF-8 文本。", where);
		return -1;
	}
	if (units > MAX_UNITS) {
		sheet_where(where, row + 1, col);
		sheet_err(err, errlen, "无法生成 xlsx：%s的内容超过 Excel 单元格上限（32767 个字符）。",
		          where);
		return -1;
	}
	if (width && (double)w + 2 > *width)
		*width = (double)w + 2;
	return 0;
}

/* Read the whole file behind fd into a malloc'd buffer. */
static int slurp(int fd, unsigned char **out, size_t *outlen)
{
	struct stat st;
	if (fstat(fd, &st) < 0 || st.st_size <= 0)
		return -1;
	size_t n = (size_t)st.st_size, got = 0;
	unsigned char *p = xmalloc(n);
	while (got < n) {
		ssize_t r = pread(fd, p + got, n - got, (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			free(p);
			return -1;
		}
		got += (size_t)r;
	}
	*out = p;
	*outlen = n;
	return 0;
}

static int build(const char *path, char *tmpdir, const char *name, size_t ncols,
                 const char *const *headers, const char *const *notes, size_t nrows,
                 const char *const *const *cells, const double *widths, char *err,
                 size_t errlen)
{
	lxw_workbook_options opt = {.constant_memory = LXW_FALSE, .tmpdir = tmpdir,
	                            .use_zip64 = LXW_FALSE};
	lxw_workbook *wb = workbook_new_opt(path, &opt);
	lxw_error e = LXW_NO_ERROR;
	buf_t tmp = BUF_INIT;

	if (!wb) {
		sheet_err(err, errlen, "无法生成 xlsx：服务器无法创建临时文件。");
		return -1;
	}
	if (workbook_validate_sheet_name(wb, name) != LXW_NO_ERROR) {
		sheet_err(err, errlen,
		          "无法生成 xlsx：工作表名称“%s”不可用（最多 31 个字符，不能含有 []:*?/\\）。",
		          name);
		lxw_workbook_free(wb);
		return -1;
	}
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	lxw_format *head = workbook_add_format(wb);
	lxw_format *text = workbook_add_format(wb);
	format_set_bold(head);
	format_set_num_format_index(head, 49);   /* built-in "@": text */
	format_set_num_format_index(text, 49);

	for (size_t c = 0; c < ncols && !e; c++) {
		lxw_col_t col = (lxw_col_t)c;
		e = worksheet_set_column(ws, col, col, widths[c], text);
		if (!e && headers[c] && headers[c][0])
			e = worksheet_write_string(ws, 0, col, excel_text(headers[c], &tmp), head);
		if (!e && notes && notes[c] && notes[c][0]) {
			size_t units, w;
			measure(notes[c], &units, &w);
			lxw_comment_options co = {.width = 260,
			                          .height = (uint16_t)(40 + 20 * (w / 36 + 1))};
			if (w > 2000)
				co.height = 800;
			e = worksheet_write_comment_opt(ws, 0, col, notes[c], &co);
		}
	}
	for (size_t r = 0; r < nrows && !e; r++) {
		if (!cells[r])
			continue;
		for (size_t c = 0; c < ncols && !e; c++) {
			const char *v = cells[r][c];
			if (v && v[0])
				e = worksheet_write_string(ws, (lxw_row_t)(r + 1), (lxw_col_t)c,
				                           excel_text(v, &tmp), NULL);
		}
	}
	buf_free(&tmp);
	if (!e)
		worksheet_freeze_panes(ws, 1, 0);
	if (!e)
		e = worksheet_ignore_errors(ws, LXW_IGNORE_NUMBER_STORED_AS_TEXT, "A1:XFD1048576");
	if (e) {
		sheet_err(err, errlen, "无法生成 xlsx：%s。", lxw_strerror(e));
		lxw_workbook_free(wb);
		return -1;
	}
	e = workbook_close(wb);   /* frees wb */
	if (e) {
		sheet_err(err, errlen, "无法生成 xlsx：%s。", lxw_strerror(e));
		return -1;
	}
	return 0;
}

int xlsx_write_table(const char *sheet_name, size_t ncols, const char *const *headers,
                     const char *const *header_notes, size_t nrows,
                     const char *const *const *cells, unsigned char **out,
                     size_t *outlen, char *err, size_t errlen)
{
	*out = NULL;
	*outlen = 0;
	if (err && errlen)
		err[0] = '\0';
	if (!sheet_name)
		sheet_name = "Sheet1";
	if (ncols == 0 || ncols > LXW_COL_MAX || !headers) {
		sheet_err(err, errlen, "无法生成 xlsx：列数必须在 1 到 %d 之间。", LXW_COL_MAX);
		return -1;
	}
	if (nrows >= LXW_ROW_MAX) {
		sheet_err(err, errlen, "无法生成 xlsx：行数超过 Excel 上限（%d 行）。", LXW_ROW_MAX - 1);
		return -1;
	}
	if (nrows && !cells) {
		sheet_err(err, errlen, "无法生成 xlsx：没有提供数据行。");
		return -1;
	}

	/* validate everything first, and size the columns */
	double *widths = xmalloc(ncols * sizeof(double));
	int rc = 0;
	for (size_t c = 0; c < ncols && !rc; c++) {
		widths[c] = MIN_WIDTH;
		rc = check_text(headers[c], 0, c, &widths[c], err, errlen);
		if (!rc && header_notes)
			rc = check_text(header_notes[c], 0, c, NULL, err, errlen);
	}
	for (size_t r = 0; r < nrows && !rc; r++)
		for (size_t c = 0; cells[r] && c < ncols && !rc; c++)
			rc = check_text(cells[r][c], r + 1, c, &widths[c], err, errlen);
	for (size_t c = 0; c < ncols; c++)
		if (widths[c] > MAX_WIDTH)
			widths[c] = MAX_WIDTH;
	if (rc) {
		free(widths);
		return -1;
	}

	const char *dir = getenv("TMPDIR");
	if (!dir || !*dir)
		dir = "/tmp";
	char *tmpdir = xstrdup(dir);
	buf_t path = BUF_INIT;
	buf_printf(&path, "%s/zizhu-xlsx-XXXXXX", dir);
	int fd = mkstemp(path.data);
	if (fd < 0) {
		sheet_err(err, errlen, "无法生成 xlsx：服务器无法创建临时文件。");
		rc = -1;
	} else {
		rc = build(path.data, tmpdir, sheet_name, ncols, headers, header_notes, nrows,
		           cells, widths, err, errlen);
		if (rc == 0 && slurp(fd, out, outlen) < 0) {
			sheet_err(err, errlen, "无法生成 xlsx：服务器无法读取临时文件。");
			rc = -1;
		}
		unlink(path.data);
		close(fd);
	}
	buf_free(&path);
	free(tmpdir);
	free(widths);
	return rc;
}
