/* test_sheet.c - src/import: CSV (UTF-8, GB18030), xlsx reading, the
 * xlsx writer and a round trip through both.
 *
 * Fixtures are in tests/fixtures/sheets/ (see make-fixtures.sh there for
 * what each holds); small hostile xlsx files are built here with libzip.
 * Every input is handed over in a malloc block of exactly its size, so a
 * read past the end shows up under valgrind and AddressSanitizer. */
#include "core/sanitized.h"
#include "test.h"
#include "core/buf.h"
#include "import/sheet.h"
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <zip.h>

#define FIX "tests/fixtures/sheets/"

#define CHECK_HAS(got, sub)                                                      \
	do {                                                                     \
		const char *g_ = (got), *s_ = (sub);                             \
		if (g_ && strstr(g_, s_)) {                                      \
			t_pass++;                                                \
		} else {                                                         \
			t_fail++;                                                \
			fprintf(stderr, "%s:%d: \"%s\" lacks \"%s\"\n", __FILE__,  \
				__LINE__, g_ ? g_ : "(null)", s_);               \
		}                                                                \
	} while (0)

/* Row i of s has this line number and exactly these cells. */
#define ROW(s, i, line, ...) \
	check_row(__LINE__, (s), (i), (line), (const char *const[]){__VA_ARGS__, NULL})

static void check_row(int at, const sheet_t *s, size_t i, size_t line,
                      const char *const *want)
{
	int before = t_fail;
	size_t n = 0;
	while (want[n])
		n++;
	CHECK(i < s->nrows);
	if (i >= s->nrows) {
		fprintf(stderr, "  (row %zu of %zu, checked at line %d)\n", i, s->nrows, at);
		return;
	}
	const sheet_row *r = &s->rows[i];
	CHECK_INT(r->line, line);
	CHECK_INT(r->ncells, n);
	for (size_t c = 0; c < n && c < r->ncells; c++)
		CHECK_STR(r->cells[c], want[c]);
	if (t_fail != before)
		fprintf(stderr, "  (row %zu, checked at line %d)\n", i, at);
}

static unsigned char *exact(const void *p, size_t n)
{
	unsigned char *q = malloc(n ? n : 1);
	if (!q)
		abort();
	if (n)
		memcpy(q, p, n);
	return q;
}

static unsigned char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	buf_t b = BUF_INIT;
	char tmp[4096];
	size_t k;
	if (!f) {
		fprintf(stderr, "cannot open %s (run from the repository root)\n", path);
		exit(2);
	}
	while ((k = fread(tmp, 1, sizeof(tmp), f)) > 0)
		buf_append(&b, tmp, k);
	fclose(f);
	*n = b.len;
	unsigned char *p = exact(b.data, b.len);
	buf_free(&b);
	return p;
}

static char err[512];

/* sheet_each() compared, row by row, with what sheet_read() kept. */
typedef struct {
	const sheet_t *s;
	size_t seen, differ;
	size_t stop_at;    /* stop after this many rows (0: never) */
} each_ctx;

static int each_row(void *ctx, const char *format, const sheet_row *row)
{
	each_ctx *e = ctx;
	const sheet_t *s = e->s;
	if (s && e->seen < s->nrows) {
		const sheet_row *w = &s->rows[e->seen];
		int same = row->line == w->line && row->ncells == w->ncells &&
		           strcmp(format, s->format) == 0;
		for (size_t c = 0; same && c < row->ncells; c++)
			same = strcmp(row->cells[c], w->cells[c]) == 0;
		e->differ += !same;
	} else if (s) {
		e->differ++;
	}
	e->seen++;
	return e->stop_at && e->seen == e->stop_at;
}

static int timing;   /* test_speed() times sheet_read() alone */

static int read_mem_lim(const void *data, size_t n, const sheet_limits *lim, sheet_t *s)
{
	unsigned char *p = exact(data, n);
	err[0] = '\0';
	int rc = sheet_read(p, n, lim, s, err, sizeof(err));
	/* every file read here is read once more as a stream: the same rows
	 * or the same error */
	if (!timing) {
		char err2[sizeof(err)];
		each_ctx e = {.s = rc == 0 ? s : NULL};
		int rc2 = sheet_each(p, n, lim, each_row, &e, err2, sizeof(err2));
		CHECK_INT(rc2, rc == 0 ? 0 : -1);
		if (rc == 0)
			CHECK_INT(e.seen, s->nrows);
		CHECK_INT(e.differ, 0);
		CHECK_STR(err2, err);
	}
	free(p);
	if (rc == 0 && err[0])
		rc = 99;   /* success must leave err empty */
	if (rc != 0 && (!err[0] || s->nrows != 0 || s->rows))
		rc = 98;   /* failure must explain itself and leave nothing */
	return rc;
}

static int read_str_lim(const char *csv, const sheet_limits *lim, sheet_t *s)
{
	return read_mem_lim(csv, strlen(csv), lim, s);
}

static int read_str(const char *csv, sheet_t *s)
{
	return read_str_lim(csv, NULL, s);
}

static int read_fix_lim(const char *name, const sheet_limits *lim, sheet_t *s)
{
	size_t n;
	unsigned char *p = slurp(name, &n);
	int rc = read_mem_lim(p, n, lim, s);
	free(p);
	return rc;
}

static int read_fix(const char *name, sheet_t *s)
{
	return read_fix_lim(name, NULL, s);
}

/* CPU time of this process: other work on the machine (a parallel make)
 * does not count against the timing checks. */
static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

#define SANITIZED ZZ_SANITIZED

/* Timing checks make no sense under valgrind or a sanitizer. */
static int slow_run(void)
{
	const char *p = getenv("LD_PRELOAD");
	return SANITIZED || (p && strstr(p, "vgpreload")) || getenv("ZIZHU_SLOW_TESTS");
}

/* ---- building xlsx files in memory --------------------------------- */

typedef struct {
	const char *name, *data;
} part_t;

/* A zip of the given parts (NULL-terminated list), as a malloc'd buffer. */
static unsigned char *mkzip(const part_t *parts, size_t *n)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_source_keep(src);
	zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	if (!za)
		abort();
	for (const part_t *p = parts; p->name; p++) {
		zip_source_t *s = zip_source_buffer(za, p->data, strlen(p->data), 0);
		if (!s || zip_file_add(za, p->name, s, ZIP_FL_ENC_UTF_8) < 0)
			abort();
	}
	if (zip_close(za) < 0)
		abort();
	zip_stat_t st;
	if (zip_source_stat(src, &st) < 0 || zip_source_open(src) < 0)
		abort();
	unsigned char *out = malloc(st.size);
	if (!out || zip_source_read(src, out, st.size) != (zip_int64_t)st.size)
		abort();
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	*n = st.size;
	return out;
}

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define RNS "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\""
#define PNS "xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\""
#define TYPE "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

static const char ROOT_RELS[] =
	"<Relationships " PNS "><Relationship Id=\"rId1\" Type=\"" TYPE
	"officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
static const char WORKBOOK[] =
	"<workbook " NS " " RNS "><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/>"
	"</sheets></workbook>";
static const char WB_RELS[] =
	"<Relationships " PNS "><Relationship Id=\"rId1\" Type=\"" TYPE
	"worksheet\" Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"" TYPE
	"sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>";

/* An xlsx whose sheet1.xml holds sheet_data inside <sheetData>, and whose
 * shared strings are the <si> items in sst (may be NULL). */
static unsigned char *mkxlsx(const char *sheet_data, const char *sst, size_t *n)
{
	buf_t sheet = BUF_INIT, strings = BUF_INIT;
	buf_printf(&sheet, "<worksheet %s><sheetData>%s</sheetData></worksheet>", NS, sheet_data);
	buf_printf(&strings, "<sst %s>%s</sst>", NS, sst ? sst : "");
	part_t parts[] = {
		{"_rels/.rels", ROOT_RELS},
		{"xl/workbook.xml", WORKBOOK},
		{"xl/_rels/workbook.xml.rels", WB_RELS},
		{"xl/worksheets/sheet1.xml", sheet.data},
		{sst ? "xl/sharedStrings.xml" : NULL, strings.data},
		{NULL, NULL},
	};
	unsigned char *z = mkzip(parts, n);
	buf_free(&sheet);
	buf_free(&strings);
	return z;
}

static int read_xlsx_lim(const char *sheet_data, const char *sst, const sheet_limits *lim,
                         sheet_t *s)
{
	size_t n;
	unsigned char *z = mkxlsx(sheet_data, sst, &n);
	int rc = read_mem_lim(z, n, lim, s);
	free(z);
	return rc;
}

static int read_xlsx(const char *sheet_data, const char *sst, sheet_t *s)
{
	return read_xlsx_lim(sheet_data, sst, NULL, s);
}

/* The text of one part of a zip in memory (malloc'd), or NULL. */
static char *zip_part(const unsigned char *z, size_t n, const char *name)
{
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(z, n, 0, &ze);
	zip_t *za = zip_open_from_source(src, ZIP_RDONLY, &ze);
	zip_error_fini(&ze);
	if (!za) {
		zip_source_free(src);
		return NULL;
	}
	zip_file_t *f = zip_fopen(za, name, 0);
	buf_t b = BUF_INIT;
	char tmp[4096];
	zip_int64_t k;
	if (f) {
		while ((k = zip_fread(f, tmp, sizeof(tmp))) > 0)
			buf_append(&b, tmp, (size_t)k);
		zip_fclose(f);
	}
	zip_discard(za);
	if (!f)
		return NULL;
	return buf_detach(&b);
}

/* ---- tests --------------------------------------------------------- */

static void test_col_name(void)
{
	char s[8];
	size_t cols[] = {0, 1, 25, 26, 27, 51, 52, 701, 702, 16383};
	const char *want[] = {"A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA", "XFD"};
	for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
		sheet_col_name(cols[i], s);
		CHECK_STR(s, want[i]);
	}
	sheet_col_name(8353082581u, s);
	CHECK_STR(s, "ZZZZZZZ");
	sheet_col_name((size_t)-1, s);
	CHECK_STR(s, "?");
}

static void test_csv_fixtures(void)
{
	sheet_t s;

	CHECK_INT(read_fix(FIX "utf8.csv", &s), 0);
	CHECK_STR(s.format, "csv-utf8");
	CHECK_INT(s.nrows, 5);
	ROW(&s, 0, 1, "姓名", "身份证号", "备注");
	ROW(&s, 1, 2, "张三", "11010519491231002X", "他说\"你好\"");
	ROW(&s, 2, 3, "李四", "110105194912310021", "地址：北京市,海淀区");
	ROW(&s, 3, 5, "王𠀀", "", "第一行\n第二行");
	ROW(&s, 4, 8, "赵六", "'00123", "<script>alert(1)</script>");
	sheet_free(&s);
	CHECK(s.rows == NULL && s.nrows == 0);
	sheet_free(&s);   /* twice is harmless */

	CHECK_INT(read_fix(FIX "utf8-bom-crlf.csv", &s), 0);
	CHECK_STR(s.format, "csv-utf8");
	CHECK_INT(s.nrows, 3);
	ROW(&s, 0, 1, "姓名", "备注");   /* no BOM left in the first cell */
	ROW(&s, 1, 2, "䶮", "A\r\nB");
	ROW(&s, 2, 5, "中文", "x,y");      /* line 4 is "","" : empty */
	sheet_free(&s);

	CHECK_INT(read_fix(FIX "gb18030.csv", &s), 0);
	CHECK_STR(s.format, "csv-gb18030");
	CHECK_INT(s.nrows, 3);
	ROW(&s, 0, 1, "姓名", "身份证号", "备注");
	ROW(&s, 1, 2, "张三", "11010519491231002X", "含,逗号");
	ROW(&s, 2, 3, "𠀀䶮", "110105194912310021", "한ß€");
	sheet_free(&s);

	CHECK_INT(read_fix(FIX "truncated.csv", &s), -1);
	CHECK_STR(err, "文件不完整：第 3 行第 2 列（B 列）的引号没有闭合，文件可能在上传或保存时被"
	               "截断。请检查该单元格，或重新保存后上传。");

	CHECK_INT(read_fix(FIX "nul.csv", &s), -1);
	CHECK_HAS(err, "第 2 行第 2 列（B 列）含有空字符（NUL）");

	CHECK_INT(read_fix(FIX "invalid.csv", &s), -1);
	CHECK_STR(err, "第 3 行第 2 列（B 列）含有无法识别的字符：文件既不是 UTF-8 也不是 GB18030 "
	               "编码。请在 Excel 中“另存为” CSV UTF-8 或 xlsx 后重新上传。");

	CHECK_INT(read_fix(FIX "utf8-broken.csv", &s), -1);
	CHECK_HAS(err, "第 3 行第 2 列（B 列）含有无法识别的字符：文件是 UTF-8 编码");
}

static void test_csv_syntax(void)
{
	sheet_t s;

	/* CR-only line ends (old Mac Excel), no newline at the end */
	CHECK_INT(read_str("a,b\rc,d\r\re", &s), 0);
	CHECK_INT(s.nrows, 3);
	ROW(&s, 0, 1, "a", "b");
	ROW(&s, 1, 2, "c", "d");
	ROW(&s, 2, 4, "e");
	sheet_free(&s);

	/* quotes: inside an unquoted field they are literal; text after a
	 * closing quote is kept; "" alone is empty; a quoted CRLF counts
	 * as one line */
	CHECK_INT(read_str("ab\"c,\"x\"y,\"\",\"q\"\"\"\r\n\"1\r\n2\",3\n4", &s), 0);
	CHECK_INT(s.nrows, 3);
	ROW(&s, 0, 1, "ab\"c", "xy", "", "q\"");
	ROW(&s, 1, 2, "1\r\n2", "3");
	ROW(&s, 2, 4, "4");
	sheet_free(&s);

	/* ="..." as export tools write IDs; only the whole field */
	CHECK_INT(read_str("=\"0123\",\"=\"\"110105194912310021\"\"\",=\"\",=\"a\"b\",=\"x,=1+1", &s), 0);
	ROW(&s, 0, 1, "0123", "110105194912310021", "", "=\"a\"b\"", "=\"x", "=1+1");
	sheet_free(&s);

	/* gaps and trailing empties; rows of only commas are dropped */
	CHECK_INT(read_str(",,x,,\n,,,\n\n  \n", &s), 0);
	CHECK_INT(s.nrows, 2);
	ROW(&s, 0, 1, "", "", "x");
	ROW(&s, 1, 4, "  ");   /* spaces are content */
	sheet_free(&s);

	/* empty input, only a BOM: no rows, no error */
	CHECK_INT(read_mem_lim("", 0, NULL, &s), 0);
	CHECK_INT(s.nrows, 0);
	CHECK_STR(s.format, "csv-utf8");
	sheet_free(&s);
	CHECK_INT(read_str("\xEF\xBB\xBF", &s), 0);
	CHECK_INT(s.nrows, 0);
	sheet_free(&s);
	CHECK_INT(sheet_read(NULL, 0, NULL, &s, err, sizeof(err)), 0);
	sheet_free(&s);

	/* unclosed quotes: the line and column where the quote opened */
	CHECK_INT(read_str("\"abc", &s), -1);
	CHECK_HAS(err, "第 1 行第 1 列（A 列）的引号没有闭合");
	CHECK_INT(read_str("a,b\n\"x\ny\",c\nd,\"", &s), -1);
	CHECK_HAS(err, "第 4 行第 2 列（B 列）的引号没有闭合");

	/* short GBK file: detected as GB18030 */
	CHECK_INT(read_str("\xD0\xD5\xC3\xFB\n\xD5\xC5\xC8\xFD", &s), 0);
	CHECK_STR(s.format, "csv-gb18030");
	ROW(&s, 0, 1, "姓名");
	ROW(&s, 1, 2, "张三");
	sheet_free(&s);

	/* a GB18030 lead byte cut off by a comma */
	CHECK_INT(read_str("\xD0\xD5\xC3\xFB,\xD0\n", &s), -1);
	CHECK_HAS(err, "第 1 行第 2 列（B 列）含有无法识别的字符");

	/* a UTF-8 BOM makes it UTF-8, broken or not */
	CHECK_INT(read_str("\xEF\xBB\xBF" "a\n\xD0\xD5\xC3\xFB", &s), -1);
	CHECK_HAS(err, "第 2 行第 1 列（A 列）含有无法识别的字符：文件是 UTF-8 编码");

	/* what is not CSV at all */
	CHECK_INT(read_mem_lim("\xFF\xFE" "a\0b\0", 6, NULL, &s), -1);
	CHECK_HAS(err, "UTF-16");
	CHECK_INT(read_mem_lim("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1\0\0\0\0", 12, NULL, &s), -1);
	CHECK_HAS(err, "旧版 Excel 97-2003（.xls）");
}

static void test_csv_limits(void)
{
	sheet_t s;
	sheet_limits lim = {.max_rows = 2, .max_cols = 3, .max_cell = 6};

	CHECK_INT(read_str_lim("a,b,c,,,,\n\n,,\nd\n", &lim, &s), 0);
	CHECK_INT(s.nrows, 2);
	sheet_free(&s);
	CHECK_INT(read_str_lim("a\nb\n\nc\n", &lim, &s), -1);
	CHECK_STR(err, "文件中的行数超过 2 行，请分批导入。");
	CHECK_INT(read_str_lim("a,b,c\nx,,,d", &lim, &s), -1);
	CHECK_STR(err, "第 2 行第 4 列（D 列）有内容，超出了允许的列数（最多 3 列）。请删除多余的列后重新上传。");
	CHECK_INT(read_str_lim("abcdef,\"abcdefg\"", &lim, &s), -1);
	CHECK_STR(err, "第 1 行第 2 列（B 列）的内容过长（超过 6 字节），请检查该单元格后重新上传。");
	/* measured in UTF-8: 3 GBK characters are 6 bytes raw, 9 decoded */
	CHECK_INT(read_str_lim("\xD6\xD0\xCE\xC4\xD6\xD0", &lim, &s), -1);
	CHECK_HAS(err, "第 1 行第 1 列（A 列）的内容过长");

	sheet_limits small = {.max_total = 100};
	CHECK_INT(read_str("aaaaaaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbbbbbbbbb\n"
	                   "aaaaaaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbbbbbbbbb\n", &s), 0);
	sheet_free(&s);
	CHECK_INT(read_str_lim("aaaaaaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbbbbbbbbb\n"
	                       "aaaaaaaaaaaaaaaaaaaa,bbbbbbbbbbbbbbbbbbbbbbbbbbb\n", &small, &s),
	          -1);
	CHECK_HAS(err, "文件内容过多");

	/* a message cut to a small buffer stays valid UTF-8 */
	char tiny[8];
	unsigned char *p = exact("\"x", 2);
	CHECK_INT(sheet_read(p, 2, NULL, &s, tiny, sizeof(tiny)), -1);
	free(p);
	CHECK_STR(tiny, "文件");
}

static void test_xlsx_fixtures(void)
{
	sheet_t s;
	sheet_limits mb = {.max_unzipped = 1 << 20};

	CHECK_INT(read_fix(FIX "shared.xlsx", &s), 0);
	CHECK_STR(s.format, "xlsx");
	CHECK_INT(s.nrows, 4);
	ROW(&s, 0, 1, "姓名", "身份证号", "分数", "在校", "公式", "备注");
	ROW(&s, 1, 2, "张三", "11010519491231002X", "42", "TRUE", "84", "加粗 普通");
	ROW(&s, 2, 3, "王𠀀", "110105194912310021", "3.5", "FALSE", "王𠀀!", "#N/A");
	ROW(&s, 3, 4, "<script>& \"引号\" 换行\r\n第二行 _x0041_", "张三");
	sheet_free(&s);

	CHECK_INT(read_fix(FIX "inline.xlsx", &s), 0);
	CHECK_INT(s.nrows, 2);
	ROW(&s, 0, 1, "学号", "姓名");
	ROW(&s, 1, 2, " 001 ", "䶮𠀀", "' OR 1=1 --");
	sheet_free(&s);

	CHECK_INT(read_fix(FIX "number-id.xlsx", &s), 0);
	CHECK_INT(s.nrows, 6);
	ROW(&s, 1, 2, "1.10105194912310E+17", "123456789012345");
	ROW(&s, 2, 3, "123456789012345", "1000");
	ROW(&s, 3, 4, "1000", "-0.5");
	ROW(&s, 4, 5, "1.2345678901234567E+15", "2.5E-3");
	ROW(&s, 5, 6, "0", "-12");
	sheet_free(&s);

	CHECK_INT(read_fix(FIX "gaps.xlsx", &s), 0);
	CHECK_INT(s.nrows, 5);
	ROW(&s, 0, 1, "a", "b");
	ROW(&s, 1, 5, "A", "", "3", "", "", "F");
	ROW(&s, 2, 7, "", "", "", "4");
	ROW(&s, 3, 10, "", "7");
	ROW(&s, 4, 12, "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "", "",
	    "", "", "", "", "", "", "", "AA");
	sheet_free(&s);

	CHECK_INT(read_fix(FIX "hidden.xlsx", &s), 0);
	CHECK_INT(s.nrows, 1);
	ROW(&s, 0, 3, "", "可见");
	sheet_free(&s);

	CHECK_INT(read_fix(FIX "truncated.xlsx", &s), -1);
	CHECK_STR(err, "无法读取 xlsx 文件：文件已损坏或不完整，请重新保存后上传。");
	CHECK_INT(read_fix(FIX "notxlsx.zip", &s), -1);
	CHECK_HAS(err, "不是 Excel 的 xlsx 文件");
	CHECK_INT(read_fix(FIX "fake.ods", &s), -1);
	CHECK_HAS(err, "OpenDocument");

	/* declared 4 GB: refused before inflating anything */
	CHECK_INT(read_fix(FIX "bomb.xlsx", &s), -1);
	CHECK_STR(err, "xlsx 文件解压后超过 256 MB，内容过多或文件异常。请分批导入，或重新保存后上传。");
	/* 2 MiB of blanks: fine by default, too much for a 1 MiB limit,
	 * also when the zip claims 1000 bytes */
	CHECK_INT(read_fix(FIX "big.xlsx", &s), 0);
	ROW(&s, 0, 1, "1");
	sheet_free(&s);
	CHECK_INT(read_fix_lim(FIX "big.xlsx", &mb, &s), -1);
	CHECK_HAS(err, "解压后超过 1 MB");
	CHECK_INT(read_fix_lim(FIX "liar.xlsx", &mb, &s), -1);
	CHECK_HAS(err, "解压后超过 1 MB");
}

static void test_xlsx_hostile(void)
{
	sheet_t s;
	char big[6000];

	/* no DOCTYPE, so no entity expansion */
	size_t n;
	part_t evil[] = {
		{"_rels/.rels", ROOT_RELS},
		{"xl/workbook.xml", WORKBOOK},
		{"xl/_rels/workbook.xml.rels", WB_RELS},
		{"xl/worksheets/sheet1.xml",
		 "<!DOCTYPE x [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;\">]>"
		 "<worksheet " NS "><sheetData><row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>&b;"
		 "</t></is></c></row></sheetData></worksheet>"},
		{NULL, NULL},
	};
	unsigned char *z = mkzip(evil, &n);
	CHECK_INT(read_mem_lim(z, n, NULL, &s), -1);
	CHECK_HAS(err, "文件已损坏");
	free(z);

	/* bad shared-string references, bad XML */
	CHECK_INT(read_xlsx("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>1</v></c></row>", "<si><t>x</t></si>",
	                    &s), -1);
	CHECK_HAS(err, "文件已损坏");
	CHECK_INT(read_xlsx("<row r=\"1\"><c r=\"A1\" t=\"s\"><v>x</v></c></row>", "<si><t>x</t></si>",
	                    &s), -1);
	CHECK_HAS(err, "文件已损坏");
	CHECK_INT(read_xlsx("<row r=\"1\"><c r=\"A1\"><v>1</v></row>", NULL, &s), -1);
	CHECK_HAS(err, "文件已损坏");

	/* columns: GS is the 201st; far-away empty styled cells are fine */
	CHECK_INT(read_xlsx("<row r=\"3\"><c r=\"A3\"><v>1</v></c><c r=\"GS3\"><v>2</v></c></row>",
	                    NULL, &s), -1);
	CHECK_STR(err, "第 3 行第 201 列（GS 列）有内容，超出了允许的列数（最多 200 列）。请删除多余的"
	               "列后重新上传。");
	CHECK_INT(read_xlsx("<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"ZZZZZZZZZZZZZZZZ1\"><v>2</v>"
	                    "</c></row>", NULL, &s), -1);
	CHECK_HAS(err, "超出了允许的列数");
	CHECK_INT(read_xlsx("<row r=\"1\"><c r=\"A1\"><v>1</v></c><c r=\"XFD1\" s=\"3\"/>"
	                    "<c r=\"ZZZZZZZZZZZZZZZZ1\"/></row>", NULL, &s), 0);
	ROW(&s, 0, 1, "1");
	sheet_free(&s);

	/* rows: the limit counts kept rows; odd r values are taken as given
	 * or continue from the previous row */
	sheet_limits two = {.max_rows = 2};
	CHECK_INT(read_xlsx_lim("<row r=\"1\"><c><v>1</v></c></row><row r=\"2\"/><row r=\"3\"><c>"
	                        "<v>3</v></c></row>", NULL, &two, &s), 0);
	sheet_free(&s);
	CHECK_INT(read_xlsx_lim("<row r=\"1\"><c><v>1</v></c></row><row><c><v>2</v></c></row>"
	                        "<row><c><v>3</v></c></row>", NULL, &two, &s), -1);
	CHECK_STR(err, "文件中的行数超过 2 行，请分批导入。");
	CHECK_INT(read_xlsx("<row r=\"5\"><c><v>5</v></c></row><row r=\"x\"><c><v>6</v></c></row>"
	                    "<row r=\"2\"><c r=\"B2\"><v>2</v></c><c r=\"A2\"><v>1</v></c></row>"
	                    "<row r=\"99999999999999999999999\"><c><v>3</v></c></row>",
	                    NULL, &s), 0);
	CHECK_INT(s.nrows, 4);
	ROW(&s, 0, 5, "5");
	ROW(&s, 1, 6, "6");
	ROW(&s, 2, 2, "1", "2");
	ROW(&s, 3, 3, "3");
	sheet_free(&s);

	/* cell length, in a shared string and inline */
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	buf_t b = BUF_INIT;
	buf_printf(&b, "<si><t>%s</t></si>", big);
	CHECK_INT(read_xlsx("<row r=\"7\"><c r=\"C7\" t=\"s\"><v>0</v></c></row>", b.data, &s), -1);
	CHECK_STR(err, "第 7 行第 3 列（C 列）的内容过长（超过 4096 字节），请检查该单元格后重新上传。");
	buf_reset(&b);
	buf_printf(&b, "<row r=\"8\"><c r=\"D8\" t=\"inlineStr\"><is><t>%s</t></is></c></row>", big);
	CHECK_INT(read_xlsx(b.data, NULL, &s), -1);
	CHECK_HAS(err, "第 8 行第 4 列（D 列）的内容过长");
	buf_reset(&b);

	/* escapes count as what they decode to: 1000 "_x000D_\n" are 2000
	 * bytes of text in 8000 bytes of XML */
	buf_t esc = BUF_INIT;
	for (int i = 0; i < 1000; i++)
		buf_puts(&esc, "_x000D_\n");
	buf_printf(&b, "<si><t>%s</t></si><si><t>%sx%s%s</t></si>", esc.data, esc.data, esc.data,
	           esc.data);
	CHECK_INT(read_xlsx("<row r=\"1\"><c t=\"s\"><v>0</v></c></row>", b.data, &s), 0);
	CHECK(s.nrows == 1 && strlen(s.rows[0].cells[0]) == 2000 &&
	      memcmp(s.rows[0].cells[0], "\r\n\r\n", 4) == 0);
	sheet_free(&s);
	CHECK_INT(read_xlsx("<row r=\"1\"><c t=\"s\"><v>1</v></c></row>", b.data, &s), -1);
	CHECK_HAS(err, "第 1 行第 1 列（A 列）的内容过长");
	buf_reset(&b);
	buf_printf(&b, "<row r=\"2\"><c t=\"str\"><v>%s</v></c></row>", esc.data);
	CHECK_INT(read_xlsx(b.data, NULL, &s), 0);
	CHECK(s.nrows == 1 && strlen(s.rows[0].cells[0]) == 2000);
	sheet_free(&s);
	buf_free(&esc);
	buf_reset(&b);
	/* a number cut short must not come out as a shorter number */
	buf_puts(&b, "<row r=\"3\"><c><v>");
	for (int i = 0; i < 30000; i++)
		buf_putc(&b, '0');
	buf_puts(&b, "1</v></c></row>");
	CHECK_INT(read_xlsx(b.data, NULL, &s), -1);
	CHECK_HAS(err, "第 3 行第 1 列（A 列）的内容过长");
	buf_reset(&b);

	/* one shared string used many times counts each time */
	buf_printf(&b, "<si><t>%.4000s</t></si>", big);
	buf_t rows = BUF_INIT;
	for (int i = 1; i <= 100; i++)
		buf_printf(&rows, "<row r=\"%d\"><c t=\"s\"><v>0</v></c><c t=\"s\"><v>0</v></c></row>", i);
	sheet_limits mb = {.max_total = 1 << 19};
	CHECK_INT(read_xlsx_lim(rows.data, b.data, &mb, &s), -1);
	CHECK_STR(err, "文件内容过多（解析后超过 512 KB），请分批导入。");
	CHECK_INT(read_xlsx(rows.data, b.data, &s), 0);
	CHECK_INT(s.nrows, 100);
	CHECK(s.nrows == 100 && strlen(s.rows[99].cells[1]) == 4000);
	sheet_free(&s);
	buf_free(&rows);
	buf_free(&b);

	/* a shared-strings table of empty items is not free either */
	buf_t many = BUF_INIT;
	for (int i = 0; i < 10000; i++)
		buf_puts(&many, "<si/>");
	sheet_limits k64 = {.max_total = 64 << 10};
	CHECK_INT(read_xlsx_lim("<row r=\"1\"><c t=\"s\"><v>9999</v></c></row>", many.data, &k64,
	                        &s), -1);
	CHECK_STR(err, "文件内容过多（解析后超过 64 KB），请分批导入。");
	CHECK_INT(read_xlsx("<row r=\"1\"><c t=\"s\"><v>9999</v></c><c><v>1</v></c></row>",
	                    many.data, &s), 0);
	ROW(&s, 0, 1, "", "1");
	sheet_free(&s);
	buf_free(&many);

	/* values: odd booleans, escapes, blanks */
	CHECK_INT(read_xlsx("<row r=\"1\"><c t=\"b\"><v>2</v></c><c t=\"str\"><v>_xD840__xDC00_"
	                    "_xD800_|_x0000_|_x4E2d_</v></c><c t=\"inlineStr\"><is><t> </t></is></c>"
	                    "<c t=\"d\"><v>2024-09-01T00:00:00</v></c><c><v> 7 </v></c>"
	                    "<c t=\"weird\"><v>w</v></c></row>", NULL, &s), 0);
	ROW(&s, 0, 1, "2", "𠀀_xD800_|_x0000_|中", " ", "2024-09-01T00:00:00", " 7 ", "w");
	sheet_free(&s);

	/* workbook without sheets; a sheet whose part is missing */
	part_t nosheet[] = {
		{"_rels/.rels", ROOT_RELS},
		{"xl/workbook.xml", "<workbook " NS "><sheets/></workbook>"},
		{NULL, NULL},
	};
	z = mkzip(nosheet, &n);
	CHECK_INT(read_mem_lim(z, n, NULL, &s), -1);
	CHECK_HAS(err, "没有可以读取的工作表");
	free(z);
	part_t missing[] = {
		{"_rels/.rels", ROOT_RELS},
		{"xl/workbook.xml", WORKBOOK},
		{"xl/_rels/workbook.xml.rels", WB_RELS},
		{NULL, NULL},
	};
	z = mkzip(missing, &n);
	CHECK_INT(read_mem_lim(z, n, NULL, &s), -1);
	CHECK_STR(err, "无法读取 xlsx 文件：文件已损坏或不完整，请重新保存后上传。");
	free(z);

	/* an empty zip */
	CHECK_INT(read_mem_lim("PK\5\6\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0", 22, NULL, &s), -1);
	CHECK_HAS(err, "不是 Excel 的 xlsx 文件");
}

static void test_round_trip(void)
{
	const char *headers[] = {"姓名", "身份证号", "备注", "空列", NULL};
	const char *notes[] = {NULL, "18 位身份证号，末位可以是 X", NULL, NULL, NULL};
	const char *r0[] = {"张三", "11010519491231002X", "<script>alert(1)</script>", NULL, "a"};
	const char *r1[] = {"𠀀䶮", "110105194912310021", "' OR 1=1 --", "", "b"};
	const char *r2[] = {"", "007", "_x0041_ 与 a\001b\t多行\r\n第二行", "  ", "=1+1"};
	const char *const *rows[] = {r0, NULL, r1, r2};
	unsigned char *z;
	size_t n;
	sheet_t s;

	CHECK_INT(xlsx_write_table("学生名单", 5, headers, notes, 4, rows, &z, &n, err,
	                           sizeof(err)), 0);
	CHECK(z != NULL && n > 1000 && memcmp(z, "PK\3\4", 4) == 0);
	if (!z)
		return;
	CHECK_INT(read_mem_lim(z, n, NULL, &s), 0);
	CHECK_INT(s.nrows, 4);
	ROW(&s, 0, 1, "姓名", "身份证号", "备注", "空列");
	ROW(&s, 1, 2, "张三", "11010519491231002X", "<script>alert(1)</script>", "", "a");
	ROW(&s, 2, 4, "𠀀䶮", "110105194912310021", "' OR 1=1 --", "", "b");
	ROW(&s, 3, 5, "", "007", "_x0041_ 与 a\001b\t多行\r\n第二行", "  ", "=1+1");
	sheet_free(&s);

	/* what Excel needs to show it as promised */
	char *sheet = zip_part(z, n, "xl/worksheets/sheet1.xml");
	char *comments = zip_part(z, n, "xl/comments1.xml");
	char *styles = zip_part(z, n, "xl/styles.xml");
	char *wb = zip_part(z, n, "xl/workbook.xml");
	CHECK_HAS(sheet, "<pane ySplit=\"1\" topLeftCell=\"A2\" activePane=\"bottomLeft\" "
	                 "state=\"frozen\"/>");
	CHECK_HAS(sheet, "<col min=\"3\" max=\"3\" width=\"27.7109375\" style=\"1\" customWidth=\"1\"/>");
	CHECK_HAS(sheet, "<col min=\"1\" max=\"1\" width=\"8.7109375\"");   /* the minimum */
	CHECK_HAS(sheet, "<c r=\"B4\" s=\"1\" t=\"s\">");   /* a string, not a number */
	CHECK_HAS(comments, "18 位身份证号，末位可以是 X");
	CHECK_HAS(styles, "<b/>");
	CHECK_HAS(styles, "numFmtId=\"49\"");   /* "@", text */
	CHECK_HAS(wb, "name=\"学生名单\"");
	free(sheet);
	free(comments);
	free(styles);
	free(wb);
	free(z);

	/* no data rows, no notes, default sheet name */
	CHECK_INT(xlsx_write_table(NULL, 1, headers, NULL, 0, NULL, &z, &n, err, sizeof(err)), 0);
	CHECK_INT(read_mem_lim(z, n, NULL, &s), 0);
	CHECK_INT(s.nrows, 1);
	ROW(&s, 0, 1, "姓名");
	sheet_free(&s);
	wb = zip_part(z, n, "xl/workbook.xml");
	CHECK_HAS(wb, "name=\"Sheet1\"");
	free(wb);
	free(z);

	/* refusals */
	const char *bad[] = {"ok", "\xE4\xB8"};
	const char *const *badrows[] = {bad};
	CHECK_INT(xlsx_write_table("S", 2, headers, NULL, 1, badrows, &z, &n, err, sizeof(err)), -1);
	CHECK_STR(err, "无法生成 xlsx：第 2 行第 2 列（B 列）的内容不是有效的 UTF-8 文本。");
	CHECK(z == NULL && n == 0);
	CHECK_INT(xlsx_write_table("a[1]", 1, headers, NULL, 0, NULL, &z, &n, err, sizeof(err)), -1);
	CHECK_HAS(err, "工作表名称“a[1]”不可用");
	CHECK_INT(xlsx_write_table("S", 0, headers, NULL, 0, NULL, &z, &n, err, sizeof(err)), -1);
	CHECK_HAS(err, "列数");
	char *huge = malloc(40000);
	memset(huge, 'x', 39999);
	huge[39999] = '\0';
	const char *hrow[] = {huge};
	const char *const *hrows[] = {hrow};
	CHECK_INT(xlsx_write_table("S", 1, headers, NULL, 1, hrows, &z, &n, err, sizeof(err)), -1);
	CHECK_HAS(err, "第 2 行第 1 列（A 列）的内容超过 Excel 单元格上限");
	free(huge);
}

/* 10,000 rows of 15 realistic columns. */
static void make_roster(buf_t *csv, char ***cells, size_t nrows, size_t ncols)
{
	static const char *const names[] = {"张三", "李四", "王𠀀", "赵六", "欧阳娜娜", "䶮"};
	for (size_t r = 0; r < nrows; r++) {
		char *row[15];
		char tmp[15][64];
		snprintf(tmp[0], 64, "%s%zu", names[r % 6], r);
		snprintf(tmp[1], 64, "1101051949%08zu", r * 7);
		snprintf(tmp[2], 64, "%s", r % 2 ? "男" : "女");
		snprintf(tmp[3], 64, "北京市海淀区中关村大街%zu号", r % 300);
		snprintf(tmp[4], 64, "138%08zu", r);
		snprintf(tmp[5], 64, "%s", r % 3 ? "汉族" : "回族");
		snprintf(tmp[6], 64, "%zu年级%zu班", r % 6 + 1, r % 10 + 1);
		snprintf(tmp[7], 64, "\"低保, 单亲\"");
		snprintf(tmp[8], 64, "%zu", 2000 + r % 3000);
		snprintf(tmp[9], 64, "中国农业银行");
		snprintf(tmp[10], 64, "62284800%011zu", r);
		snprintf(tmp[11], 64, "%s", r % 5 ? "" : "建档立卡");
		snprintf(tmp[12], 64, "父亲");
		snprintf(tmp[13], 64, "2024-09-01");
		snprintf(tmp[14], 64, "备注%zu", r);
		for (size_t c = 0; c < ncols; c++) {
			row[c] = tmp[c];
			buf_puts(csv, tmp[c]);
			buf_puts(csv, c + 1 < ncols ? "," : "\r\n");
		}
		if (cells) {
			cells[r] = malloc(ncols * sizeof(char *));
			for (size_t c = 0; c < ncols; c++)
				cells[r][c] = strdup(row[c][0] == '"' ? "低保, 单亲" : row[c]);
		}
	}
}

static void test_speed(void)
{
	enum { NR = 10000, NC = 15 };
	buf_t csv = BUF_INIT;
	char **cells[NR];
	sheet_t s;
	double t;

	make_roster(&csv, cells, NR, NC);
	CHECK_INT(read_mem_lim(csv.data, csv.len, NULL, &s), 0);   /* and as a stream */
	sheet_free(&s);

	timing = 1;
	t = now();
	CHECK_INT(read_mem_lim(csv.data, csv.len, NULL, &s), 0);
	double t_utf8 = now() - t;
	CHECK_INT(s.nrows, NR);
	CHECK(s.nrows == NR && strcmp(s.rows[NR - 1].cells[7], "低保, 单亲") == 0);
	sheet_free(&s);

	/* the same in GB18030 (minus the characters GBK lacks: still 4-byte
	 * 𠀀 goes through) */
	iconv_t cd = iconv_open("GB18030", "UTF-8");
	size_t inleft = csv.len, outleft = csv.len * 2;
	char *gb = malloc(outleft), *in = csv.data, *out = gb;
	CHECK(iconv(cd, &in, &inleft, &out, &outleft) != (size_t)-1);
	iconv_close(cd);
	t = now();
	CHECK_INT(read_mem_lim(gb, (size_t)(out - gb), NULL, &s), 0);
	double t_gb = now() - t;
	CHECK_STR(s.format, "csv-gb18030");
	CHECK(s.nrows == NR && strcmp(s.rows[2].cells[0], "王𠀀2") == 0);
	sheet_free(&s);
	free(gb);

	const char *headers[NC];
	for (size_t c = 0; c < NC; c++)
		headers[c] = "列";
	unsigned char *z;
	size_t n;
	t = now();
	CHECK_INT(xlsx_write_table("S", NC, headers, NULL, NR, (const char *const *const *)cells,
	                           &z, &n, err, sizeof(err)), 0);
	double t_write = now() - t;
	/* best of three: a busy machine should not fail the test */
	double t_xlsx = 1e9;
	for (int i = 0; i < (slow_run() ? 1 : 3); i++) {
		if (i)
			sheet_free(&s);
		t = now();
		CHECK_INT(read_mem_lim(z, n, NULL, &s), 0);
		if (now() - t < t_xlsx)
			t_xlsx = now() - t;
	}
	CHECK_INT(s.nrows, NR + 1);
	int same = s.nrows == NR + 1;
	for (size_t r = 0; same && r < NR; r++) {
		size_t k = s.rows[r + 1].ncells;
		for (size_t c = 0; c < NC; c++)
			same &= strcmp(c < k ? s.rows[r + 1].cells[c] : "", cells[r][c]) == 0;
	}
	CHECK(same);
	sheet_free(&s);
	free(z);

	timing = 0;
	printf("10000x15, CPU time: csv utf-8 %.3f s, csv gb18030 %.3f s, xlsx read %.3f s "
	       "(%zu KB), xlsx write %.3f s\n", t_utf8, t_gb, t_xlsx, n >> 10, t_write);
	if (!slow_run()) {
		CHECK(t_utf8 < 0.5);
		CHECK(t_gb < 0.5);
		CHECK(t_xlsx < 0.5);
	}
	for (size_t r = 0; r < NR; r++) {
		for (size_t c = 0; c < NC; c++)
			free(cells[r][c]);
		free(cells[r]);
	}
	buf_free(&csv);
}

/* The callback stops the reading: nothing after it, no message (the
 * unclosed quote after the stop is never reached). */
static void test_each_stop(void)
{
	const char *csv = "a,b\nc,d\ne,f\n\"never closed";
	each_ctx e = {.stop_at = 2};
	strcpy(err, "untouched");
	CHECK_INT(sheet_each((const unsigned char *)csv, strlen(csv), NULL, each_row, &e, err,
	                     sizeof(err)), 1);
	CHECK_INT(e.seen, 2);
	CHECK_STR(err, "");

	size_t n;
	unsigned char *z = mkxlsx("<row r=\"1\"><c t=\"inlineStr\"><is><t>x</t></is></c></row>"
	                          "<row r=\"2\"><c><v>1</v></c></row>"
	                          "<row r=\"3\"><c><v>2</v></c></row>", NULL, &n);
	e = (each_ctx){.stop_at = 1};
	CHECK_INT(sheet_each(z, n, NULL, each_row, &e, err, sizeof(err)), 1);
	CHECK_INT(e.seen, 1);
	CHECK_STR(err, "");
	e = (each_ctx){0};
	CHECK_INT(sheet_each(z, n, NULL, each_row, &e, err, sizeof(err)), 0);
	CHECK_INT(e.seen, 3);
	free(z);
}

int main(void)
{
	test_col_name();
	test_csv_fixtures();
	test_csv_syntax();
	test_csv_limits();
	test_xlsx_fixtures();
	test_xlsx_hostile();
	test_round_trip();
	test_each_stop();
	test_speed();
	TEST_MAIN_END();
}
