/* escape.c - HTML and URL escaping.
 *
 * Both escapers scan with a 256-entry class table and copy every run of
 * bytes that needs no change with a single buf_append, so the common case
 * (text with no special characters at all) is one table scan and one
 * memcpy. */
#include "http/escape.h"
#include <string.h>

/* Replacement for each byte that html_escape must change; NULL = keep. */
static const char *const html_repl[256] = {
	['&'] = "&amp;",
	['<'] = "&lt;",
	['>'] = "&gt;",
	['"'] = "&quot;",
	['\''] = "&#39;",
};

void html_escape(buf_t *out, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	if (n == 0)
		return;
	/* most text needs nothing or very little: reserve once up front */
	buf_grow(out, n);
	while (i < n) {
		size_t start = i;
		while (i < n && !html_repl[p[i]])
			i++;
		if (i > start)
			buf_append(out, p + start, i - start);
		if (i < n) {
			buf_puts(out, html_repl[p[i]]);
			i++;
		}
	}
}

/* 1 for the bytes RFC 3986 calls unreserved. */
static const unsigned char url_keep[256] = {
	['A'] = 1, ['B'] = 1, ['C'] = 1, ['D'] = 1, ['E'] = 1, ['F'] = 1,
	['G'] = 1, ['H'] = 1, ['I'] = 1, ['J'] = 1, ['K'] = 1, ['L'] = 1,
	['M'] = 1, ['N'] = 1, ['O'] = 1, ['P'] = 1, ['Q'] = 1, ['R'] = 1,
	['S'] = 1, ['T'] = 1, ['U'] = 1, ['V'] = 1, ['W'] = 1, ['X'] = 1,
	['Y'] = 1, ['Z'] = 1,
	['a'] = 1, ['b'] = 1, ['c'] = 1, ['d'] = 1, ['e'] = 1, ['f'] = 1,
	['g'] = 1, ['h'] = 1, ['i'] = 1, ['j'] = 1, ['k'] = 1, ['l'] = 1,
	['m'] = 1, ['n'] = 1, ['o'] = 1, ['p'] = 1, ['q'] = 1, ['r'] = 1,
	['s'] = 1, ['t'] = 1, ['u'] = 1, ['v'] = 1, ['w'] = 1, ['x'] = 1,
	['y'] = 1, ['z'] = 1,
	['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1,
	['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
	['-'] = 1, ['.'] = 1, ['_'] = 1, ['~'] = 1,
};

void url_escape(buf_t *out, const char *s, size_t n)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	if (n == 0)
		return;
	buf_grow(out, n);
	while (i < n) {
		size_t start = i;
		while (i < n && url_keep[p[i]])
			i++;
		if (i > start)
			buf_append(out, p + start, i - start);
		if (i < n) {
			char enc[3] = {'%', hex[p[i] >> 4], hex[p[i] & 15]};
			buf_append(out, enc, 3);
			i++;
		}
	}
}
