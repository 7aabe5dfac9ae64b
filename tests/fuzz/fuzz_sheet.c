/* fuzz_sheet.c - libFuzzer harness for sheet_read() (src/import/).
 *
 * Two kinds of input:
 *  - anything else: the bytes go to sheet_read() as they are (CSV in any
 *    encoding, or a zip);
 *  - "XLSX" + sheet + (NUL + shared strings): the harness wraps the two
 *    texts into a stored (uncompressed) xlsx as xl/worksheets/sheet1.xml
 *    and xl/sharedStrings.xml, so that mutations reach the XML handlers
 *    instead of dying in the zip's CRC check.
 * Small limits keep each run fast and make the limit paths reachable.
 * Beyond "no crash", the harness checks what sheet_read() promises: 0 or
 * -1; on -1 a message that is valid UTF-8 and an empty result; on 0 rows
 * within the limits, with line >= 1, no empty row, no trailing empty cell,
 * and cells that are valid UTF-8 within max_cell bytes. sheet_each() then
 * reads the same bytes: the same result, the same message, the same rows.
 *
 * Build and run from the repository root:
 *   clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
 *     -Isrc -o /tmp/fuzz_sheet tests/fuzz/fuzz_sheet.c src/import/sheet.c \
 *     src/import/xlsx_read.c src/import/xlsx_write.c src/core/arena.c \
 *     src/core/buf.c $(pkg-config --cflags --libs libzip expat xlsxwriter)
 *   mkdir -p /tmp/fuzz-sheet
 *   /tmp/fuzz_sheet -max_total_time=120 -max_len=8192 \
 *     -dict=tests/fuzz/fuzz_sheet.dict /tmp/fuzz-sheet tests/fuzz/corpus/sheet
 * (new inputs go to the first directory; keep the checked-in seeds small.) */
#include "core/buf.h"
#include "import/sheet.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

static const sheet_limits LIM = {
	.max_rows = 500,
	.max_cols = 40,
	.max_cell = 300,
	.max_unzipped = 1 << 20,
	.max_total = 1 << 20,
};

/* Strict UTF-8: no overlongs, surrogates or values above U+10FFFF. */
static int utf8_ok(const unsigned char *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = p[i];
		unsigned lo = 0x80, hi = 0xBF;
		size_t more;
		if (c < 0x80) {
			i++;
			continue;
		}
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
		if (n - i <= more || p[i + 1] < lo || p[i + 1] > hi)
			return 0;
		for (size_t k = 2; k <= more; k++)
			if ((p[i + k] & 0xC0) != 0x80)
				return 0;
		i += more + 1;
	}
	return 1;
}

static void add(zip_t *za, const char *name, const void *data, size_t len)
{
	zip_source_t *s = zip_source_buffer(za, data, len, 0);
	zip_int64_t idx = s ? zip_file_add(za, name, s, 0) : -1;
	if (idx < 0)
		abort();
	zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_STORE, 0);
}

#define NS "xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\""
#define TYPE "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

/* A stored xlsx around the given sheet and shared-strings texts. */
static unsigned char *wrap(const uint8_t *sheet, size_t ns, const uint8_t *sst, size_t nsst,
                           size_t *outlen)
{
	static const char root[] =
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
		"relationships\"><Relationship Id=\"rId1\" Type=\"" TYPE "officeDocument\" "
		"Target=\"xl/workbook.xml\"/></Relationships>";
	static const char wb[] =
		"<workbook " NS " xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/"
		"relationships\"><sheets><sheet name=\"S\" sheetId=\"1\" r:id=\"rId1\"/></sheets>"
		"</workbook>";
	static const char rels[] =
		"<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
		"relationships\"><Relationship Id=\"rId1\" Type=\"" TYPE "worksheet\" "
		"Target=\"worksheets/sheet1.xml\"/><Relationship Id=\"rId2\" Type=\"" TYPE
		"sharedStrings\" Target=\"sharedStrings.xml\"/></Relationships>";
	zip_error_t ze;
	zip_error_init(&ze);
	zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
	zip_source_keep(src);
	zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
	if (!za)
		abort();
	add(za, "_rels/.rels", root, sizeof(root) - 1);
	add(za, "xl/workbook.xml", wb, sizeof(wb) - 1);
	add(za, "xl/_rels/workbook.xml.rels", rels, sizeof(rels) - 1);
	add(za, "xl/worksheets/sheet1.xml", sheet, ns);
	if (sst)
		add(za, "xl/sharedStrings.xml", sst, nsst);
	if (zip_close(za) < 0)
		abort();
	zip_stat_t st;
	if (zip_source_stat(src, &st) < 0 || zip_source_open(src) < 0)
		abort();
	unsigned char *out = xmalloc(st.size);
	if (zip_source_read(src, out, st.size) != (zip_int64_t)st.size)
		abort();
	zip_source_close(src);
	zip_source_free(src);
	zip_error_fini(&ze);
	*outlen = st.size;
	return out;
}

/* sheet_each() against what sheet_read() kept (NULL after a failure). */
typedef struct {
	const sheet_t *s;
	size_t seen;
} each_ctx;

static int each_row(void *ctx, const char *format, const sheet_row *row)
{
	each_ctx *e = ctx;
	if (e->s) {
		if (e->seen >= e->s->nrows)
			abort();
		const sheet_row *w = &e->s->rows[e->seen];
		if (strcmp(format, e->s->format) != 0 || row->line != w->line || row->ncells != w->ncells)
			abort();
		for (size_t c = 0; c < row->ncells; c++)
			if (strcmp(row->cells[c], w->cells[c]) != 0)
				abort();
	}
	e->seen++;
	return 0;
}

static void check_each(const unsigned char *data, size_t len, int rc, const sheet_t *s,
                       const char *err)
{
	char err2[256];
	each_ctx e = {.s = rc == 0 ? s : NULL};
	int rc2 = sheet_each(data, len, &LIM, each_row, &e, err2, sizeof(err2));
	if (rc2 != rc || strcmp(err2, err) != 0 || (rc == 0 && e.seen != s->nrows))
		abort();
}

static void check(const unsigned char *data, size_t len)
{
	sheet_t s;
	char err[256];
	int rc = sheet_read(data, len, &LIM, &s, err, sizeof(err));

	check_each(data, len, rc, &s, err);
	if (rc == -1) {
		if (!err[0] || !utf8_ok((const unsigned char *)err, strlen(err)) || s.rows ||
		    s.nrows)
			abort();
		sheet_free(&s);
		return;
	}
	if (rc != 0 || !s.format || s.nrows > LIM.max_rows)
		abort();
	for (size_t r = 0; r < s.nrows; r++) {
		const sheet_row *row = &s.rows[r];
		if (row->line == 0 || row->ncells == 0 || row->ncells > LIM.max_cols ||
		    row->cells[row->ncells - 1][0] == '\0')
			abort();
		for (size_t c = 0; c < row->ncells; c++) {
			size_t n = strlen(row->cells[c]);
			if (n > LIM.max_cell || !utf8_ok((const unsigned char *)row->cells[c], n))
				abort();
		}
	}
	sheet_free(&s);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size >= 4 && memcmp(data, "XLSX", 4) == 0) {
		const uint8_t *sheet = data + 4, *end = data + size;
		const uint8_t *nul = memchr(sheet, '\0', (size_t)(end - sheet));
		size_t n;
		unsigned char *z = wrap(sheet, (size_t)((nul ? nul : end) - sheet), nul ? nul + 1 : NULL,
		                        nul ? (size_t)(end - nul - 1) : 0, &n);
		check(z, n);
		free(z);
		return 0;
	}
	/* an exact copy, so that reading past the end is caught */
	unsigned char *copy = xmalloc(size);
	if (size)
		memcpy(copy, data, size);
	check(copy, size);
	free(copy);
	return 0;
}
