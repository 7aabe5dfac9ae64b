/* fuzz_misc.c - libFuzzer harness for the small parsers that take what
 * people type: the 身份证号 check, money amounts, dates, masks, Markdown.
 * Build: see the Makefile's fuzz targets. */
#include "domain/format.h"
#include "domain/idcard.h"
#include "domain/markdown.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	char out[64], id[19];
	idcard_result r = idcard_check(s, 20261123, id);
	if (r == IDCARD_OK && idcard_check_char(id) != id[17])
		abort();
	int64_t fen;
	if (money_parse_yuan(s, 1, &fen) == 0) {
		char back[64];
		money_format_yuan(fen, back, sizeof back);
		int64_t again;
		if (money_parse_yuan(back, 1, &again) != 0 || again != fen)
			abort(); /* every amount survives format -> parse */
	}
	date_format_cn(s, 1, out, sizeof out);
	add_days(s, 3, out);
	add_working_days(s, 5, out);
	mask_idcard(s, out, sizeof out);
	mask_phone(s, out, sizeof out);
	mask_name(s, out, sizeof out);
	mask_account(s, out, sizeof out);
	char *html = markdown_html(s, size);
	if (html && (strstr(html, "<script") || strstr(html, "href=\"javascript:")))
		abort(); /* the safe mode must never let script through */
	free(html);
	free(s);
	return 0;
}
