/* xlsx_read.c - the first worksheet of an .xlsx file, as text cells.
 *
 * An xlsx file is a zip of XML parts. We follow the relationships the way
 * Excel does: _rels/.rels names the workbook, the workbook's .rels names
 * its sheets and the shared strings, workbook.xml gives the sheet order.
 * Every part is inflated in chunks straight into expat, so memory stays
 * bounded by what we keep, and every inflated byte counts against
 * max_unzipped (the sizes the zip declares are checked first, but not
 * trusted). A DOCTYPE stops the parser: xlsx never has one, and entity
 * tricks need one.
 *
 * The XML handlers keep a small stack of element kinds (no recursion) and
 * collect text only where a value can be: <v> in a cell, <t> in an inline
 * string or shared string item (rich-text runs included, phonetic runs
 * excluded). */
#include "import/sheet_internal.h"
#include "core/buf.h"
#include <expat.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

#define E_CORRUPT "无法读取 xlsx 文件：文件已损坏或不完整，请重新保存后上传。"
#define CHUNK 65536
#define MAX_DEPTH 64
#define MAX_LIST 4096   /* relationships or sheets looked at (one per sheet, and a few) */

enum part { P_RELS, P_WORKBOOK, P_SST, P_SHEET };

/* Element kinds that matter; everything else is EL_OTHER. */
enum el {
	EL_OTHER,
	EL_RELATIONSHIP,
	EL_SHEETS,
	EL_SHEET,
	EL_SI,
	EL_SHEETDATA,
	EL_ROW,
	EL_C,
	EL_V,
	EL_IS,
	EL_T,
	EL_R,
	EL_RPH,
};

typedef struct {
	const char *id, *type, *target;
} xrel;

typedef struct {
	const char *rid;
	int hidden;
} xsheet;

typedef struct {
	sheet_builder *b;
	zip_t *za;
	arena_t tmp;          /* relationship and sheet lists, paths */
	size_t unzipped;      /* bytes inflated so far, all parts */
	XML_Parser xp;
	int failed;           /* a handler stopped the parser and set err */
	enum part part;
	unsigned char stack[MAX_DEPTH];
	size_t depth;

	xrel *rels;           /* of the part last parsed as P_RELS */
	size_t nrels, caprels;
	xsheet *sheets;       /* in workbook order */
	size_t nsheets, capsheets;
	char **sst;           /* shared strings, in the sheet's arena; cut */
	size_t *sstlen;       /* at max_cell + 1 bytes (then too long anyway) */
	size_t nsst, capsst;

	buf_t text;           /* text of the current <v>/<t>s */
	int collecting;
	int cut;              /* text was too long and is cut short */
	buf_t conv;           /* a converted value */

	size_t row_line;      /* r of the current row */
	size_t last_line;     /* r of the previous row */
	size_t next_col;      /* column of a cell without r */
	size_t cell_col;
	char cell_type;       /* 's' shared, 'i' inline, 'S' str, 'b', 'e', 'd', 'n' */
} xlsx_ctx;

/* ---- errors -------------------------------------------------------- */

static int corrupt(xlsx_ctx *x)
{
	sheet_err(x->b->err, x->b->errlen, E_CORRUPT);
	return -1;
}

static int unzip_too_big(xlsx_ctx *x)
{
	char size[32];
	sheet_err(x->b->err, x->b->errlen,
	          "xlsx 文件解压后超过 %s，内容过多或文件异常。请分批导入，或重新保存后上传。",
	          sheet_size(size, x->b->lim.max_unzipped));
	return -1;
}

/* Called from a handler: stop parsing, the message is in err. */
static void stop(xlsx_ctx *x)
{
	x->failed = 1;
	XML_StopParser(x->xp, XML_FALSE);
}

/* ---- small helpers ------------------------------------------------- */

/* The local part of a name: "x:row" -> "row". Namespaces are not
 * checked: SpreadsheetML uses them only to tell its own elements apart
 * from extensions, which have other names anyway. */
static const char *local(const char *name)
{
	const char *p = strchr(name, ':');
	return p ? p + 1 : name;
}

static enum el el_kind(const char *name)
{
	const char *l = local(name);
	switch (l[0]) {
	case 'c':
		return l[1] ? EL_OTHER : EL_C;
	case 'v':
		return l[1] ? EL_OTHER : EL_V;
	case 't':
		return l[1] ? EL_OTHER : EL_T;
	case 'r':
		return !l[1] ? EL_R : strcmp(l, "row") == 0 ? EL_ROW : strcmp(l, "rPh") == 0 ? EL_RPH
		                                                                               : EL_OTHER;
	case 'i':
		return strcmp(l, "is") == 0 ? EL_IS : EL_OTHER;
	case 's':
		return strcmp(l, "si") == 0          ? EL_SI
		       : strcmp(l, "sheetData") == 0 ? EL_SHEETDATA
		       : strcmp(l, "sheet") == 0     ? EL_SHEET
		       : strcmp(l, "sheets") == 0    ? EL_SHEETS
		                                     : EL_OTHER;
	case 'R':
		return strcmp(l, "Relationship") == 0 ? EL_RELATIONSHIP : EL_OTHER;
	default:
		return EL_OTHER;
	}
}

/* Kind of the element n levels above the one being opened (1 = parent). */
static enum el up(const xlsx_ctx *x, size_t n)
{
	if (x->depth < n || x->depth - n >= MAX_DEPTH)
		return EL_OTHER;
	return (enum el)x->stack[x->depth - n];
}

/* Value of the attribute with this name; with prefixed set, of one with
 * any prefix and this local name ("r:id"). */
static const char *attr(const char **atts, const char *name, int prefixed)
{
	for (size_t i = 0; atts[i]; i += 2) {
		const char *colon = prefixed ? strchr(atts[i], ':') : NULL;
		if (prefixed ? (colon && strcmp(colon + 1, name) == 0 &&
		                strncmp(atts[i], "xmlns:", 6) != 0)
		             : strcmp(atts[i], name) == 0)
			return atts[i + 1];
	}
	return NULL;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* A positive decimal number without sign or spaces; 0 if it is not one. */
static size_t parse_pos(const char *s)
{
	size_t v = 0;
	if (!s || !*s)
		return 0;
	for (; *s; s++) {
		if (*s < '0' || *s > '9' || v > ((size_t)-1 - 9) / 10)
			return 0;
		v = v * 10 + (size_t)(*s - '0');
	}
	return v;
}

/* The 0-based column of a reference like "C5" or "AB12"; (size_t)-1 if
 * it has no letters. Absurd columns come out huge, not wrapped. */
static size_t ref_col(const char *r)
{
	size_t v = 0, n = 0;
	if (!r)
		return (size_t)-1;
	for (; *r; r++, n++) {
		char ch = *r;
		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		if (ch < 'A' || ch > 'Z')
			break;
		if (v < ((size_t)1 << 40))
			v = v * 26 + (size_t)(ch - 'A' + 1);
	}
	return n ? v - 1 : (size_t)-1;
}

static void put_utf8(buf_t *b, unsigned long cp)
{
	char s[4];
	size_t n;
	if (cp < 0x80) {
		s[0] = (char)cp, n = 1;
	} else if (cp < 0x800) {
		s[0] = (char)(0xC0 | (cp >> 6)), s[1] = (char)(0x80 | (cp & 0x3F)), n = 2;
	} else if (cp < 0x10000) {
		s[0] = (char)(0xE0 | (cp >> 12)), s[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		s[2] = (char)(0x80 | (cp & 0x3F)), n = 3;
	} else {
		s[0] = (char)(0xF0 | (cp >> 18)), s[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
		s[2] = (char)(0x80 | ((cp >> 6) & 0x3F)), s[3] = (char)(0x80 | (cp & 0x3F)), n = 4;
	}
	buf_append(b, s, n);
}

/* The UTF-16 unit of an "_xHHHH_" escape at s[0..7), or -1. */
static long xescape(const char *s, size_t avail)
{
	long v = 0;
	if (avail < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_')
		return -1;
	for (int i = 2; i < 6; i++) {
		char ch = s[i];
		int d = ch >= '0' && ch <= '9'   ? ch - '0'
		        : ch >= 'a' && ch <= 'f' ? ch - 'a' + 10
		        : ch >= 'A' && ch <= 'F' ? ch - 'A' + 10
		                                 : -1;
		if (d < 0)
			return -1;
		v = v * 16 + d;
	}
	return v;
}

/* Excel string text: "_xHHHH_" stands for the UTF-16 unit HHHH (how
 * Excel stores control characters, and "_x005F_" for a literal '_').
 * Returns s itself when there is nothing to decode, else the decoded text
 * in out. NUL and unpaired surrogates stay as written. */
static const char *xstr_decode(const char *s, size_t n, size_t *outn, buf_t *out)
{
	if (!memmem(s, n, "_x", 2)) {
		*outn = n;
		return s;
	}
	buf_reset(out);
	for (size_t i = 0; i < n;) {
		long u = s[i] == '_' ? xescape(s + i, n - i) : -1;
		if (u > 0 && (u < 0xD800 || u > 0xDFFF)) {
			put_utf8(out, (unsigned long)u);
			i += 7;
			continue;
		}
		if (u >= 0xD800 && u <= 0xDBFF) {
			long lo = xescape(s + i + 7, n - i - 7);
			if (lo >= 0xDC00 && lo <= 0xDFFF) {
				put_utf8(out, 0x10000 + (((unsigned long)u - 0xD800) << 10) +
				                  ((unsigned long)lo - 0xDC00));
				i += 14;
				continue;
			}
		}
		buf_putc(out, s[i]);
		i++;
	}
	*outn = out->len;
	return buf_cstr(out);
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* A number cell's stored text, written without exponent or ".0" when it
 * is integral and has at most 15 digits ("1.2E+3" -> "1200"). Returns 1
 * with the result in out, or 0 to keep the text as it is. Purely textual,
 * so no binary rounding creeps in. */
static int num_plain(const char *s, size_t n, buf_t *out)
{
	size_t i = 0, ip, ilen, fp, flen = 0;
	long exp = 0;
	int neg = 0;

	if (i < n && (s[i] == '-' || s[i] == '+'))
		neg = s[i++] == '-';
	ip = i;
	while (i < n && is_digit(s[i]))
		i++;
	ilen = i - ip;
	fp = i;
	if (i < n && s[i] == '.') {
		fp = ++i;
		while (i < n && is_digit(s[i]))
			i++;
		flen = i - fp;
	}
	if (ilen + flen == 0)
		return 0;
	if (i < n && (s[i] == 'e' || s[i] == 'E')) {
		int eneg = 0;
		size_t ep;
		i++;
		if (i < n && (s[i] == '+' || s[i] == '-'))
			eneg = s[i++] == '-';
		ep = i;
		while (i < n && is_digit(s[i]) && exp < 100000)
			exp = exp * 10 + (s[i++] - '0');
		if (i == ep)
			return 0;
		if (eneg)
			exp = -exp;
	}
	if (i != n)
		return 0;

	/* digit k of the mantissa, the point sitting before digit `point` */
	size_t len = ilen + flen;
#define DIGIT(k) ((k) < ilen ? s[ip + (k)] : s[fp + (k) - ilen])
	size_t first = 0, last = len;
	while (first < len && DIGIT(first) == '0')
		first++;
	if (first == len) {
		buf_putc(out, '0');
		return 1;
	}
	while (last > first && DIGIT(last - 1) == '0')
		last--;
	long point = (long)ilen + exp;
	if ((long)last > point || point - (long)first > 15)
		return 0;
	if (neg)
		buf_putc(out, '-');
	for (long k = (long)first; k < point; k++)
		buf_putc(out, (size_t)k < len ? DIGIT((size_t)k) : '0');
#undef DIGIT
	return 1;
}

/* ---- XML handlers -------------------------------------------------- */

/* Text is kept up to 7 times max_cell bytes ("_x0001_" decodes to one
 * byte); beyond that the value is too long whatever it holds. */
static void on_text(void *ud, const XML_Char *s, int len)
{
	xlsx_ctx *x = ud;
	size_t cap = (x->b->lim.max_cell + 1) * 7;
	if (!x->collecting || x->failed || len <= 0)
		return;
	size_t n = (size_t)len;
	if (n > cap - x->text.len) {
		n = cap - x->text.len;
		x->cut = 1;
	}
	buf_append(&x->text, s, n);
}

static void text_reset(xlsx_ctx *x)
{
	buf_reset(&x->text);
	x->cut = 0;
}

static void start_rels(xlsx_ctx *x, enum el k, const char **atts)
{
	if (k != EL_RELATIONSHIP)
		return;
	const char *id = attr(atts, "Id", 0), *type = attr(atts, "Type", 0);
	const char *target = attr(atts, "Target", 0), *mode = attr(atts, "TargetMode", 0);
	if (!id || !type || !target || (mode && strcmp(mode, "External") == 0) ||
	    x->nrels >= MAX_LIST)
		return;
	if (x->nrels == x->caprels) {
		x->caprels = x->caprels ? x->caprels * 2 : 16;
		x->rels = xrealloc(x->rels, x->caprels * sizeof(*x->rels));
	}
	x->rels[x->nrels++] = (xrel){arena_strdup(&x->tmp, id), arena_strdup(&x->tmp, type),
	                             arena_strdup(&x->tmp, target)};
}

static void start_workbook(xlsx_ctx *x, enum el k, const char **atts)
{
	if (k != EL_SHEET || up(x, 1) != EL_SHEETS)
		return;
	const char *rid = attr(atts, "id", 1), *state = attr(atts, "state", 0);
	if (!rid || x->nsheets >= MAX_LIST)
		return;
	if (x->nsheets == x->capsheets) {
		x->capsheets = x->capsheets ? x->capsheets * 2 : 8;
		x->sheets = xrealloc(x->sheets, x->capsheets * sizeof(*x->sheets));
	}
	x->sheets[x->nsheets++] =
		(xsheet){arena_strdup(&x->tmp, rid), state && strcmp(state, "visible") != 0};
}

/* <t> directly in k's parent, or in a rich-text run <r> there. */
static int text_t(const xlsx_ctx *x, enum el holder)
{
	return up(x, 1) == holder || (up(x, 1) == EL_R && up(x, 2) == holder);
}

static void start_sst(xlsx_ctx *x, enum el k)
{
	if (k == EL_SI) {
		text_reset(x);
	} else if (k == EL_T && text_t(x, EL_SI)) {
		x->collecting = 1;
	}
}

static void end_sst(xlsx_ctx *x, enum el k)
{
	if (k == EL_T) {
		x->collecting = 0;
	} else if (k == EL_SI) {
		size_t n;
		const char *s = xstr_decode(buf_cstr(&x->text), x->text.len, &n, &x->conv);
		if (n > x->b->lim.max_cell || x->cut)
			n = x->b->lim.max_cell + 1;   /* too long: only that matters now */
		/* "<si/>" is 5 bytes: count what each one costs */
		if (sb_account(x->b, sizeof(*x->sst) + sizeof(*x->sstlen) + (n ? n + 1 : 0)) < 0) {
			stop(x);
			return;
		}
		if (x->nsst == x->capsst) {
			x->capsst = x->capsst ? x->capsst * 2 : 256;
			x->sst = xrealloc(x->sst, x->capsst * sizeof(*x->sst));
			x->sstlen = xrealloc(x->sstlen, x->capsst * sizeof(*x->sstlen));
		}
		x->sst[x->nsst] = n ? arena_strndup(&x->b->s->arena_, s, n) : x->b->empty;
		x->sstlen[x->nsst++] = n;
	}
}

static void start_sheet(xlsx_ctx *x, enum el k, const char **atts)
{
	enum el parent = up(x, 1);
	if (k == EL_ROW && parent == EL_SHEETDATA) {
		size_t r = parse_pos(attr(atts, "r", 0));
		x->row_line = r ? r : x->last_line + 1;
		x->last_line = x->row_line;
		x->next_col = 0;
	} else if (k == EL_C && parent == EL_ROW) {
		const char *t = attr(atts, "t", 0);
		size_t col = ref_col(attr(atts, "r", 0));
		x->cell_col = col != (size_t)-1 ? col : x->next_col;
		x->next_col = x->cell_col + 1;
		x->cell_type = !t || strcmp(t, "n") == 0 ? 'n'
		               : strcmp(t, "s") == 0       ? 's'
		               : strcmp(t, "inlineStr") == 0 ? 'i'
		               : strcmp(t, "b") == 0       ? 'b'
		               : strcmp(t, "e") == 0       ? 'e'
		               : strcmp(t, "d") == 0       ? 'd'
		                                           : 'S';
		text_reset(x);
	} else if (k == EL_V && parent == EL_C) {
		x->collecting = 1;
	} else if (k == EL_T && text_t(x, EL_IS) && up(x, up(x, 1) == EL_R ? 3 : 2) == EL_C) {
		x->collecting = 1;
	}
}

/* The text a finished cell shows, handed to the builder. */
static int end_cell(xlsx_ctx *x)
{
	sheet_builder *b = x->b;
	const char *s = buf_cstr(&x->text);
	size_t n = x->text.len;

	if (n == 0)
		return 0;
	if (x->cut)   /* too long: sb_cell says so */
		return sb_cell(b, x->row_line, x->cell_col, s, n, 0);
	switch (x->cell_type) {
	case 's': {
		size_t i = 0, k;
		for (k = 0; k < n && is_digit(s[k]) && i < ((size_t)1 << 40); k++)
			i = i * 10 + (size_t)(s[k] - '0');
		if (k != n || i >= x->nsst)
			return corrupt(x);
		return sb_cell(b, x->row_line, x->cell_col, x->sst[i], x->sstlen[i], 1);
	}
	case 'i':
	case 'S':
		s = xstr_decode(s, n, &n, &x->conv);
		break;
	case 'b':
		if (strcmp(s, "1") == 0)
			s = "TRUE", n = 4;
		else if (strcmp(s, "0") == 0)
			s = "FALSE", n = 5;
		break;
	case 'n':
		buf_reset(&x->conv);
		if (num_plain(s, n, &x->conv))
			s = buf_cstr(&x->conv), n = x->conv.len;
		break;
	default:   /* 'e' error like "#N/A", 'd' ISO date: as stored */
		break;
	}
	return sb_cell(b, x->row_line, x->cell_col, s, n, 0);
}

static void end_sheet(xlsx_ctx *x, enum el k)
{
	enum el parent = up(x, 1);   /* the stack is already popped */
	if (k == EL_V || k == EL_T) {
		x->collecting = 0;
	} else if (k == EL_C && parent == EL_ROW) {
		if (end_cell(x) < 0)
			stop(x);
	} else if (k == EL_ROW && parent == EL_SHEETDATA) {
		if (sb_row_end(x->b, x->row_line) < 0)
			stop(x);
	}
}

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
	xlsx_ctx *x = ud;
	enum el k = el_kind(name);
	if (x->failed)
		return;
	switch (x->part) {
	case P_RELS:
		start_rels(x, k, atts);
		break;
	case P_WORKBOOK:
		start_workbook(x, k, atts);
		break;
	case P_SST:
		start_sst(x, k);
		break;
	case P_SHEET:
		start_sheet(x, k, atts);
		break;
	}
	if (x->depth < MAX_DEPTH)
		x->stack[x->depth] = (unsigned char)k;
	x->depth++;
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
	xlsx_ctx *x = ud;
	enum el k = el_kind(name);
	x->depth--;
	if (x->failed)
		return;
	if (x->part == P_SST)
		end_sst(x, k);
	else if (x->part == P_SHEET)
		end_sheet(x, k);
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sysid,
                               const XML_Char *pubid, int has_internal_subset)
{
	xlsx_ctx *x = ud;
	corrupt(x);
	stop(x);
}

/* ---- zip parts ----------------------------------------------------- */

static zip_int64_t find(xlsx_ctx *x, const char *name)
{
	return zip_name_locate(x->za, name, ZIP_FL_NOCASE);
}

static void *x_malloc(size_t n)
{
	return xmalloc(n);
}

static void *x_realloc(void *p, size_t n)
{
	return xrealloc(p, n);
}

/* Inflate entry idx into expat with the handlers for `part`. */
static int parse_part(xlsx_ctx *x, zip_int64_t idx, enum part part)
{
	static const XML_Memory_Handling_Suite mem = {x_malloc, x_realloc, free};
	size_t max = x->b->lim.max_unzipped;
	zip_stat_t st;
	int rc = 0;

	zip_stat_init(&st);
	if (zip_stat_index(x->za, (zip_uint64_t)idx, 0, &st) < 0)
		return corrupt(x);
	if ((st.valid & ZIP_STAT_SIZE) && st.size > max - x->unzipped)
		return unzip_too_big(x);
	if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
		sheet_err(x->b->err, x->b->errlen,
		          "xlsx 文件已加密，请在 Excel 中取消密码保护后重新上传。");
		return -1;
	}
	zip_file_t *zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
	if (!zf)
		return corrupt(x);

	XML_Parser xp = XML_ParserCreate_MM(NULL, &mem, NULL);
	XML_SetUserData(xp, x);
	XML_SetElementHandler(xp, on_start, on_end);
	XML_SetCharacterDataHandler(xp, on_text);
	XML_SetStartDoctypeDeclHandler(xp, on_doctype);
	x->xp = xp;
	x->part = part;
	x->depth = 0;
	x->collecting = 0;
	text_reset(x);

	for (;;) {
		void *chunk = XML_GetBuffer(xp, CHUNK);
		if (!chunk) {
			rc = corrupt(x);
			break;
		}
		zip_int64_t n = zip_fread(zf, chunk, CHUNK);
		if (n < 0) {
			rc = corrupt(x);
			break;
		}
		if ((size_t)n > max - x->unzipped) {
			rc = unzip_too_big(x);
			break;
		}
		x->unzipped += (size_t)n;
		if (XML_ParseBuffer(xp, (int)n, n == 0) != XML_STATUS_OK) {
			rc = x->failed ? -1 : corrupt(x);
			break;
		}
		if (n == 0)
			break;
	}
	XML_ParserFree(xp);
	x->xp = NULL;
	zip_fclose(zf);
	return rc;
}

/* Parse the relationships of `part` (e.g. "xl/workbook.xml" ->
 * "xl/_rels/workbook.xml.rels") into x->rels; none is fine. */
static int read_rels(xlsx_ctx *x, const char *part)
{
	const char *slash = strrchr(part, '/');
	size_t dir = slash ? (size_t)(slash - part + 1) : 0;
	char *path = arena_printf(&x->tmp, "%.*s_rels/%s.rels", (int)dir, part, part + dir);
	zip_int64_t idx = find(x, path);
	x->nrels = 0;
	return idx < 0 ? 0 : parse_part(x, idx, P_RELS);
}

/* The part a relationship of `from` points to: "worksheets/sheet1.xml"
 * from "xl/workbook.xml" is "xl/worksheets/sheet1.xml"; "/xl/a.xml" is
 * "xl/a.xml"; ".." and "." are resolved. */
static char *resolve(xlsx_ctx *x, const char *from, const char *target)
{
	buf_t p = BUF_INIT;
	if (target[0] == '/') {
		target++;
	} else {
		const char *slash = strrchr(from, '/');
		if (slash)
			buf_append(&p, from, (size_t)(slash - from + 1));
	}
	buf_puts(&p, target);

	/* normalize segments in place */
	char *s = p.data ? p.data : (char *)"";
	size_t w = 0;
	for (size_t r = 0; s[r];) {
		size_t e = r;
		while (s[e] && s[e] != '/')
			e++;
		size_t n = e - r;
		if (n == 0 || (n == 1 && s[r] == '.')) {
			/* skip */
		} else if (n == 2 && s[r] == '.' && s[r + 1] == '.') {
			while (w > 0 && s[w - 1] != '/')
				w--;
			if (w > 0)
				w--;
			while (w > 0 && s[w - 1] != '/')
				w--;
		} else {
			memmove(s + w, s + r, n);
			w += n;
			if (s[e])
				s[w++] = '/';
		}
		r = s[e] ? e + 1 : e;
	}
	char *out = arena_strndup(&x->tmp, s, w);
	buf_free(&p);
	return out;
}

static const xrel *rel_by_type(const xlsx_ctx *x, const char *suffix)
{
	for (size_t i = 0; i < x->nrels; i++)
		if (ends_with(x->rels[i].type, suffix))
			return &x->rels[i];
	return NULL;
}

/* A zip that is not an xlsx: say what it is, if we can tell. */
static int not_xlsx(xlsx_ctx *x)
{
	char head[64] = "";
	zip_int64_t idx = find(x, "mimetype");
	if (idx >= 0) {
		zip_file_t *zf = zip_fopen_index(x->za, (zip_uint64_t)idx, 0);
		if (zf) {
			zip_int64_t n = zip_fread(zf, head, sizeof(head) - 1);
			head[n > 0 ? n : 0] = '\0';
			zip_fclose(zf);
		}
	}
	if (strncmp(head, "application/vnd.oasis.opendocument.spreadsheet", 46) == 0)
		sheet_err(x->b->err, x->b->errlen,
		          "这是 OpenDocument 表格（.ods）文件，系统无法读取。请在 WPS 或 Excel 中"
		          "“另存为” xlsx 或 CSV UTF-8 后重新上传。");
	else
		sheet_err(x->b->err, x->b->errlen,
		          "文件是 zip 压缩包，但不是 Excel 的 xlsx 文件。请上传 Excel 保存的 xlsx 或 "
		          "CSV 文件（不要压缩）。");
	return -1;
}

static int read_workbook(xlsx_ctx *x)
{
	const char *wb = "xl/workbook.xml";
	const char *sheet = NULL, *sst = NULL;
	const xrel *r;

	if (read_rels(x, "") < 0)
		return -1;
	if ((r = rel_by_type(x, "/officeDocument")) != NULL)
		wb = resolve(x, "", r->target);
	zip_int64_t wb_idx = find(x, wb);
	if (wb_idx < 0)
		return not_xlsx(x);

	if (read_rels(x, wb) < 0 || parse_part(x, wb_idx, P_WORKBOOK) < 0)
		return -1;
	/* the first visible worksheet, else the first one */
	for (int pass = 0; pass < 2 && !sheet; pass++) {
		for (size_t i = 0; i < x->nsheets && !sheet; i++) {
			if (pass == 0 && x->sheets[i].hidden)
				continue;
			for (size_t j = 0; j < x->nrels; j++) {
				if (strcmp(x->rels[j].id, x->sheets[i].rid) == 0) {
					if (ends_with(x->rels[j].type, "/worksheet"))
						sheet = resolve(x, wb, x->rels[j].target);
					break;
				}
			}
		}
	}
	if ((r = rel_by_type(x, "/sharedStrings")) != NULL)
		sst = resolve(x, wb, r->target);

	/* files some tools write without relationships */
	if (!sheet && x->nsheets == 0 && find(x, "xl/worksheets/sheet1.xml") >= 0)
		sheet = "xl/worksheets/sheet1.xml";
	if (!sst && find(x, "xl/sharedStrings.xml") >= 0)
		sst = "xl/sharedStrings.xml";
	if (!sheet) {
		sheet_err(x->b->err, x->b->errlen,
		          "xlsx 文件中没有可以读取的工作表，请检查文件后重新上传。");
		return -1;
	}

	zip_int64_t idx;
	if (sst && (idx = find(x, sst)) >= 0 && parse_part(x, idx, P_SST) < 0)
		return -1;
	if ((idx = find(x, sheet)) < 0)
		return corrupt(x);
	x->last_line = 0;
	return parse_part(x, idx, P_SHEET);
}

int xlsx_read(sheet_builder *b, const unsigned char *data, size_t len)
{
	xlsx_ctx x = {.b = b};
	zip_error_t ze;
	int rc;

	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(data, len, 0, &ze);
	if (!src) {
		zip_error_fini(&ze);
		return corrupt(&x);
	}
	x.za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	zip_error_fini(&ze);
	if (!x.za) {
		zip_source_free(src);
		return corrupt(&x);
	}
	arena_init(&x.tmp);
	rc = read_workbook(&x);
	zip_discard(x.za);
	arena_free(&x.tmp);
	free(x.rels);
	free(x.sheets);
	free(x.sst);
	free(x.sstlen);
	buf_free(&x.text);
	buf_free(&x.conv);
	return rc;
}
