/* markdown.c - CommonMark to HTML, safe mode. */
#include "markdown.h"
#include <cmark.h>

char *markdown_html(const char *md, size_t n)
{
	/* CMARK_OPT_DEFAULT does not include CMARK_OPT_UNSAFE: raw HTML and
	 * dangerous URLs are not passed through */
	return cmark_markdown_to_html(md ? md : "", md ? n : 0, CMARK_OPT_DEFAULT | CMARK_OPT_SMART);
}
