/* markdown.h - policy text written in Markdown, rendered with libcmark in
 * its safe mode: raw HTML is dropped and javascript:/vbscript:/file:/data:
 * links are removed, so nothing a writer types can run in a reader's page. */
#ifndef ZZ_MARKDOWN_H
#define ZZ_MARKDOWN_H
#include <stddef.h>

/* HTML for md[0..n) (malloc'd, caller frees); NULL only on OOM. */
char *markdown_html(const char *md, size_t n);

#endif
