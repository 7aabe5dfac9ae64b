/* sheet.c - sheet_read(): format detection, the row builder, and CSV with
 * its encoding (UTF-8 or GB18030).
 *
 * CSV is split into records and fields on the raw bytes first and each
 * field is then decoded on its own. That works for both encodings because
 * the bytes that structure a CSV file (" , CR LF) are ASCII and never occur
 * inside a multi-byte character of UTF-8 (all bytes >= 0x80) or GB18030
 * (trail bytes 0x30-0x39, 0x40-0x7E, 0x80-0xFE), and it lets an encoding
 * error name the exact row and column. */
#include "import/sheet_internal.h"
#include "core/buf.h"
#include <errno.h>
#include <iconv.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const sheet_limits SHEET_DEFAULT_LIMITS = {
	.max_rows = 200000,
	.max_cols = 200,
	.max_cell = 4096,
	.max_unzipped = (size_t)256 << 20,
	.max_total = (size_t)256 << 20,
};

#define SAVE_AS "请在 Excel 中“另存为” CSV UTF-8 或 xlsx 后重新上传。"

/* ---- errors and the row builder ------------------------------------ */

void sheet_err(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	if (!err || errlen == 0)
		return;
	va_start(ap, fmt);
	int n = vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	if (n < 0) {
		err[0] = '\0';
		return;
	}
	if ((size_t)n >= errlen) {
		/* cut off inside a character: drop its leading bytes */
		size_t i = errlen - 1, lead = i;
		while (lead > 0 && ((unsigned char)err[lead - 1] & 0xC0) == 0x80)
			lead--;
		if (lead > 0) {
			unsigned char c = (unsigned char)err[--lead];
			size_t need = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
			if (lead + need > i)
				i = lead;
		}
		err[i] = '\0';
	}
}

const char *sheet_size(char out[32], size_t bytes)
{
	if (bytes >= ((size_t)1 << 20))
		snprintf(out, 32, "%zu MB", bytes >> 20);
	else
		snprintf(out, 32, "%zu KB", (bytes + 1023) >> 10);
	return out;
}

void sheet_col_name(size_t col, char out[8])
{
	char tmp[8];
	size_t n = 0;
	size_t v = col + 1;   /* bijective base 26 */

	if ((unsigned long long)col >= 8353082582ULL) {   /* 26 + 26^2 + ... + 26^7 */
		out[0] = '?';
		out[1] = '\0';
		return;
	}
	while (v > 0) {
		v--;
		tmp[n++] = (char)('A' + v % 26);
		v /= 26;
	}
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
}

void sheet_where(char out[96], size_t line, size_t col)
{
	char name[8];
	sheet_col_name(col, name);
	snprintf(out, 96, "第 %zu 行第 %zu 列（%s 列）", line, col + 1, name);
}

static int too_big(sheet_builder *b)
{
	char size[32];
	sheet_err(b->err, b->errlen, "文件内容过多（解析后超过 %s），请分批导入。",
	          sheet_size(size, b->lim.max_total));
	return -1;
}

int sb_account(sheet_builder *b, size_t bytes)
{
	bytes = (bytes + 15) & ~(size_t)15;   /* as the arena hands it out */
	if (bytes > b->lim.max_total - b->total)
		return too_big(b);
	b->total += bytes;
	return 0;
}

int sb_cell(sheet_builder *b, size_t line, size_t col, const char *text, size_t len,
            int stored)
{
	char where[96];

	if (len == 0)
		return 0;
	if (col >= b->lim.max_cols) {
		sheet_where(where, line, col);
		sheet_err(b->err, b->errlen,
		          "%s有内容，超出了允许的列数（最多 %zu 列）。请删除多余的列后重新上传。",
		          where, b->lim.max_cols);
		return -1;
	}
	if (len > b->lim.max_cell) {
		sheet_where(where, line, col);
		sheet_err(b->err, b->errlen,
		          "%s的内容过长（超过 %zu 字节），请检查该单元格后重新上传。", where,
		          b->lim.max_cell);
		return -1;
	}
	/* a shared string is counted each time it is used: what the caller
	 * goes through is what matters, not only what we allocate */
	if (sb_account(b, len + 1) < 0)
		return -1;

	if (col >= b->capcur) {
		size_t cap = b->capcur ? b->capcur : 16;
		while (cap <= col)
			cap *= 2;
		if (cap > b->lim.max_cols)
			cap = b->lim.max_cols;
		b->cur = xrealloc(b->cur, cap * sizeof(*b->cur));
		b->capcur = cap;
	}
	while (b->ncur < col)
		b->cur[b->ncur++] = b->empty;
	char *p = stored ? (char *)text : arena_strndup(b->fn ? &b->row : &b->s->arena_, text, len);
	b->cur[col] = p;
	if (col == b->ncur)
		b->ncur++;
	return 0;
}

int sb_row_end(sheet_builder *b, size_t line)
{
	sheet_t *s = b->s;

	while (b->ncur > 0 && b->cur[b->ncur - 1][0] == '\0')
		b->ncur--;
	if (b->ncur == 0)
		return 0;
	size_t n = b->ncur;
	b->ncur = 0;
	if (s->nrows >= b->lim.max_rows) {
		sheet_err(b->err, b->errlen, "文件中的行数超过 %zu 行，请分批导入。",
		          b->lim.max_rows);
		return -1;
	}
	if (sb_account(b, sizeof(sheet_row) + n * sizeof(char *)) < 0)
		return -1;

	if (b->fn) {
		sheet_row row = {.line = line, .ncells = n, .cells = b->cur};
		s->nrows++;
		int stop = b->fn(b->ctx, s->format, &row);
		arena_reset(&b->row);
		if (stop) {
			b->stopped = 1;
			return -1;
		}
		return 0;
	}
	if (s->nrows == s->cap_) {
		s->cap_ = s->cap_ ? s->cap_ * 2 : 64;
		s->rows = xrealloc(s->rows, s->cap_ * sizeof(*s->rows));
	}
	char **cells = arena_alloc(&s->arena_, n * sizeof(char *));
	memcpy(cells, b->cur, n * sizeof(char *));
	s->rows[s->nrows++] = (sheet_row){.line = line, .ncells = n, .cells = cells};
	return 0;
}

void sheet_free(sheet_t *s)
{
	free(s->rows);
	arena_free(&s->arena_);
	s->rows = NULL;
	s->nrows = 0;
	s->cap_ = 0;
	s->format = NULL;
}

/* ---- encodings ----------------------------------------------------- */

/* Length (1-4) of the valid UTF-8 character at p, or 0 if the bytes there
 * are not one: no overlongs, no surrogates, nothing above U+10FFFF. */
static size_t utf8_char(const unsigned char *p, const unsigned char *end)
{
	unsigned c = p[0];
	unsigned lo = 0x80, hi = 0xBF;
	size_t more;

	if (c < 0x80)
		return 1;
	if (c >= 0xC2 && c <= 0xDF)
		more = 1;
	else if (c == 0xE0)
		more = 2, lo = 0xA0;
	else if ((c >= 0xE1 && c <= 0xEC) || c == 0xEE || c == 0xEF)
		more = 2;
	else if (c == 0xED)
		more = 2, hi = 0x9F;
	else if (c == 0xF0)
		more = 3, lo = 0x90;
	else if (c >= 0xF1 && c <= 0xF3)
		more = 3;
	else if (c == 0xF4)
		more = 3, hi = 0x8F;
	else
		return 0;
	if ((size_t)(end - p) <= more)
		return 0;
	if (p[1] < lo || p[1] > hi)
		return 0;
	for (size_t i = 2; i <= more; i++)
		if ((p[i] & 0xC0) != 0x80)
			return 0;
	return more + 1;
}

/* Count the multi-byte UTF-8 characters and the invalid bytes in p..end. */
static void utf8_census(const unsigned char *p, const unsigned char *end, size_t *good,
                        size_t *bad)
{
	*good = *bad = 0;
	while (p < end) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		size_t n = utf8_char(p, end);
		if (n) {
			++*good;
			p += n;
		} else {
			++*bad;
			p++;
		}
	}
}

enum csv_enc {
	ENC_UTF8,         /* the whole file is valid UTF-8 */
	ENC_UTF8_BROKEN,  /* meant as UTF-8, but some bytes are not */
	ENC_GB18030,
};

typedef struct {
	sheet_builder *b;
	enum csv_enc enc;
	int has_nul;      /* the file has a NUL byte somewhere */
	iconv_t cd;       /* GB18030 -> UTF-8, when enc == ENC_GB18030 */
	buf_t conv;       /* converted text of one field */
	buf_t field;      /* unquoted text of one quoted field */
} csv_ctx;

static int all_ascii(const unsigned char *p, size_t n)
{
	unsigned char acc = 0;
	for (size_t i = 0; i < n; i++)
		acc |= p[i];
	return acc < 0x80;
}

static int bad_char(csv_ctx *c, size_t line, size_t col, const char *what)
{
	char where[96];
	sheet_where(where, line, col);
	sheet_err(c->b->err, c->b->errlen, "%s%s", where, what);
	return -1;
}

/* Decode the raw bytes of one field and hand them to the builder.
 * ="0123" (how export tools keep IDs and leading zeros as text, and what
 * Excel shows as 0123) gives 0123. */
static int csv_field(csv_ctx *c, size_t line, size_t col, const unsigned char *p, size_t n)
{
	if (n >= 3 && p[0] == '=' && p[1] == '"' && p[n - 1] == '"' &&
	    !memchr(p + 2, '"', n - 3)) {
		p += 2;
		n -= 3;
	}
	if (n == 0)
		return 0;
	/* decoded text is at least half as long: no need to convert */
	if (n / 2 > c->b->lim.max_cell)
		return sb_cell(c->b, line, col, (const char *)p, n, 0);
	if (c->has_nul && memchr(p, '\0', n))
		return bad_char(c, line, col,
		                "含有空字符（NUL），这不像是 Excel 保存的 CSV 文本文件（可能是"
		                "“Unicode 文本”或其他格式）。" SAVE_AS);
	if (c->enc == ENC_UTF8 || all_ascii(p, n))
		return sb_cell(c->b, line, col, (const char *)p, n, 0);
	if (c->enc == ENC_UTF8_BROKEN) {
		const unsigned char *end = p + n;
		for (const unsigned char *q = p; q < end;) {
			size_t k = utf8_char(q, end);
			if (!k)
				return bad_char(c, line, col,
				                "含有无法识别的字符：文件是 UTF-8 编码，但这里的内容已"
				                "损坏。" SAVE_AS);
			q += k;
		}
		return sb_cell(c->b, line, col, (const char *)p, n, 0);
	}

	/* GB18030: at most 3 UTF-8 bytes for every 2 input bytes */
	buf_reset(&c->conv);
	buf_grow(&c->conv, n * 2 + 4);
	char *in = (char *)p, *out = c->conv.data;
	size_t inleft = n, outleft = c->conv.cap - 1;
	iconv(c->cd, NULL, NULL, NULL, NULL);
	if (iconv(c->cd, &in, &inleft, &out, &outleft) == (size_t)-1 ||
	    iconv(c->cd, NULL, NULL, &out, &outleft) == (size_t)-1)
		return bad_char(c, line, col,
		                "含有无法识别的字符：文件既不是 UTF-8 也不是 GB18030 编码。" SAVE_AS);
	size_t m = (size_t)(out - c->conv.data);
	return sb_cell(c->b, line, col, c->conv.data, m, 0);
}

/* Number of line breaks (CRLF, LF or a lone CR) in p..p+n. A CR at the very
 * end counts as a lone CR: the caller never splits a CRLF. */
static size_t count_breaks(const unsigned char *p, size_t n)
{
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\n')
			k++;
		else if (p[i] == '\r' && (i + 1 == n || p[i + 1] != '\n'))
			k++;
	}
	return k;
}

static int is_delim(unsigned char ch)
{
	return ch == ',' || ch == '\n' || ch == '\r';
}

/* Split p..end into records and fields. */
static int csv_parse(csv_ctx *c, const unsigned char *p, const unsigned char *end)
{
	size_t line = 1;

	while (p < end) {
		size_t rec_line = line;
		size_t col = 0;
		for (;;) {
			const unsigned char *fp;
			size_t fn;
			if (p < end && *p == '"') {
				/* quoted: "" is a quote, anything else up to the
				 * closing quote is literal, including line breaks */
				size_t qline = line;
				buf_reset(&c->field);
				p++;
				for (;;) {
					const unsigned char *q = memchr(p, '"', (size_t)(end - p));
					if (!q) {
						char where[96];
						sheet_where(where, qline, col);
						sheet_err(c->b->err, c->b->errlen,
						          "文件不完整：%s的引号没有闭合，文件可能在上传或保"
						          "存时被截断。请检查该单元格，或重新保存后上传。",
						          where);
						return -1;
					}
					line += count_breaks(p, (size_t)(q - p));
					buf_append(&c->field, p, (size_t)(q - p));
					p = q + 1;
					if (p < end && *p == '"') {
						buf_putc(&c->field, '"');
						p++;
						continue;
					}
					break;
				}
				/* text after the closing quote is kept, as Excel does */
				const unsigned char *t = p;
				while (p < end && !is_delim(*p))
					p++;
				buf_append(&c->field, t, (size_t)(p - t));
				fp = (const unsigned char *)c->field.data;
				fn = c->field.len;
			} else {
				fp = p;
				while (p < end && !is_delim(*p))
					p++;
				fn = (size_t)(p - fp);
			}
			if (csv_field(c, rec_line, col, fp, fn) < 0)
				return -1;
			if (p < end && *p == ',') {
				p++;
				col++;
				continue;
			}
			if (p < end) {   /* line break */
				if (*p == '\r' && p + 1 < end && p[1] == '\n')
					p++;
				p++;
				line++;
			}
			break;
		}
		if (sb_row_end(c->b, rec_line) < 0)
			return -1;
	}
	return 0;
}

static int csv_read(sheet_builder *b, const unsigned char *p, size_t len)
{
	const unsigned char *end = p + len;
	int bom = 0;
	csv_ctx c = {.b = b, .cd = (iconv_t)-1};
	int rc;

	if (len >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF) {
		p += 3;
		bom = 1;
	}
	c.has_nul = memchr(p, '\0', (size_t)(end - p)) != NULL;
	size_t good, bad;
	utf8_census(p, end, &good, &bad);
	if (bad == 0) {
		c.enc = ENC_UTF8;
	} else if (bom || (good > 0 && good >= 4 * bad)) {
		/* GBK text is rarely valid UTF-8: few lucky pairs per invalid
		 * byte. Mostly-valid UTF-8 is UTF-8 with damage. */
		c.enc = ENC_UTF8_BROKEN;
	} else {
		c.enc = ENC_GB18030;
		c.cd = iconv_open("UTF-8", "GB18030");
		if (c.cd == (iconv_t)-1) {
			sheet_err(b->err, b->errlen,
			          "服务器无法转换 GB18030 编码（缺少 iconv 支持）。" SAVE_AS);
			return -1;
		}
		/* the GB18030 byte order mark */
		if (end - p >= 4 && memcmp(p, "\x84\x31\x95\x33", 4) == 0)
			p += 4;
	}
	b->s->format = c.enc == ENC_GB18030 ? "csv-gb18030" : "csv-utf8";
	rc = csv_parse(&c, p, end);
	if (c.cd != (iconv_t)-1)
		iconv_close(c.cd);
	buf_free(&c.conv);
	buf_free(&c.field);
	return rc;
}

/* ---- sheet_read ---------------------------------------------------- */

static size_t pick(size_t v, size_t dflt)
{
	return v ? v : dflt;
}

/* sheet_read() when fn is NULL, else sheet_each() with out as the place
 * for the shared strings and the row count. */
static int read_sheet(const unsigned char *data, size_t len, const sheet_limits *lim,
                      sheet_t *out, sheet_row_fn fn, void *ctx, char *err, size_t errlen)
{
	const sheet_limits *d = &SHEET_DEFAULT_LIMITS;
	sheet_builder b = {.fn = fn, .ctx = ctx};
	int rc;

	memset(out, 0, sizeof(*out));
	arena_init(&out->arena_);
	arena_init(&b.row);
	if (err && errlen)
		err[0] = '\0';
	if (!lim)
		lim = d;
	b.s = out;
	b.lim.max_rows = pick(lim->max_rows, d->max_rows);
	b.lim.max_cols = pick(lim->max_cols, d->max_cols);
	b.lim.max_cell = pick(lim->max_cell, d->max_cell);
	b.lim.max_unzipped = pick(lim->max_unzipped, d->max_unzipped);
	b.lim.max_total = pick(lim->max_total, d->max_total);
	b.err = err;
	b.errlen = errlen;
	b.empty = arena_strndup(&out->arena_, "", 0);
	if (!data)
		len = 0;

	if (len >= 4 && data[0] == 'P' && data[1] == 'K' &&
	    ((data[2] == 3 && data[3] == 4) || (data[2] == 5 && data[3] == 6))) {
		out->format = "xlsx";
		rc = xlsx_read(&b, data, len);
	} else if (len >= 8 && memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) == 0) {
		sheet_err(err, errlen,
		          "这是旧版 Excel 97-2003（.xls）文件或设置了密码的 Excel 文件，系统无法"
		          "读取。请在 Excel 中取消密码并“另存为” xlsx 或 CSV UTF-8 后重新上传。");
		rc = -1;
	} else if (len >= 2 && ((data[0] == 0xFF && data[1] == 0xFE) ||
	                        (data[0] == 0xFE && data[1] == 0xFF))) {
		sheet_err(err, errlen,
		          "文件是 UTF-16（“Unicode 文本”）编码，系统无法读取。" SAVE_AS);
		rc = -1;
	} else {
		rc = csv_read(&b, data ? data : (const unsigned char *)"", len);
	}
	free(b.cur);
	arena_free(&b.row);
	if (b.stopped) {
		sheet_free(out);
		return 1;
	}
	if (rc < 0) {
		if (err && errlen && !err[0])
			sheet_err(err, errlen, "无法读取文件。" SAVE_AS);
		sheet_free(out);
		return -1;
	}
	return 0;
}

int sheet_read(const unsigned char *data, size_t len, const sheet_limits *lim,
               sheet_t *out, char *err, size_t errlen)
{
	return read_sheet(data, len, lim, out, NULL, NULL, err, errlen);
}

int sheet_each(const unsigned char *data, size_t len, const sheet_limits *lim,
               sheet_row_fn fn, void *ctx, char *err, size_t errlen)
{
	sheet_t s;
	int rc = read_sheet(data, len, lim, &s, fn, ctx, err, errlen);
	sheet_free(&s);
	return rc;
}
