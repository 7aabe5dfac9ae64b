/* template.h - the HTML template engine (a small Handlebars dialect).
 *
 * All templates under one directory are parsed once at start-up into a
 * tmpl_set; rendering walks the parsed nodes and appends to a buf_t. The
 * set is read-only after tmpl_load, so one set may serve many renders.
 *
 * Syntax, in brief (see template.c for the full description):
 *   {{ path }}  {{ path | filter | filter }}        print, HTML-escaped
 *   {{#if cond}} .. {{else}} .. {{/if}}             also #unless
 *   {{#each path}} .. {{else}} .. {{/each}}         @index @num @first @last
 *   {{> partials/name.html}}  {{> partials/name.html path}}
 *   {{! comment }}
 * cond is `path`, `path == operand` or `path != operand`; operand is a
 * "string", an integer or a path. Filters: yuan wan date datetime mask_id
 * mask_phone mask_name url len. There is no raw-output syntax: only a value
 * made by tmpl_safe() prints unescaped. */
#ifndef ZZ_TEMPLATE_H
#define ZZ_TEMPLATE_H
#include <stddef.h>
#include <jansson.h>
#include "core/buf.h"

typedef struct tmpl_set tmpl_set;

/* Load and parse every *.html file under dir, recursively (hidden entries
 * are skipped). A template's name is its path relative to dir, e.g.
 * "auth/login.html". Partials are resolved after all files are read.
 * Returns a new set that the caller frees with tmpl_free. On any error
 * returns NULL and writes a message naming file and line into err, e.g.
 * "auth/login.html:12: {{#if}} opened here is never closed". */
tmpl_set *tmpl_load(const char *dir, char *err, size_t errlen);

/* Free the set and everything it owns. NULL is allowed. */
void tmpl_free(tmpl_set *set);

/* 1 if the set holds a template called name, else 0. */
int tmpl_exists(const tmpl_set *set, const char *name);

/* Render template name with ctx (a JSON object, borrowed; NULL acts as an
 * empty object) and append the result to out. Allocates nothing that
 * outlives the call (filters use scratch buffers freed before returning).
 * Returns 0; or -1 with a message in err if name is unknown or partials
 * nest more than 32 levels deep, in which case out is left exactly as it
 * was on entry. */
int tmpl_render(const tmpl_set *set, const char *name, json_t *ctx, buf_t *out,
		char *err, size_t errlen);

/* A value that prints WITHOUT escaping (e.g. HTML our own code rendered from
 * Markdown, or a page's body handed to the layout). It is the JSON object
 * {"__safe_html__": html}; html NULL means "". Returns a new reference.
 * This is the ONLY way to get raw output; any filter applied to it makes it
 * an ordinary (escaped) string again. */
json_t *tmpl_safe(const char *html);
/* The same for n bytes (html may hold a NUL). The bytes are kept as they
 * are, without a UTF-8 check: only our own templates ever read them, and
 * for a page's body the check cost as much as rendering the rows. */
json_t *tmpl_safe_n(const char *html, size_t n);

/* 1 if v was made by tmpl_safe (an object whose only key is the string
 * "__safe_html__"), else 0. */
int tmpl_is_safe(const json_t *v);

#endif
