/* escape.h - the two output escapers every page goes through.
 *
 * Both append to a buf_t and never fail (buf_t aborts on out-of-memory).
 * Input is treated as raw bytes: invalid UTF-8 passes through html_escape
 * unchanged and is percent-encoded by url_escape, so neither can be used to
 * smuggle markup. */
#ifndef ZZ_ESCAPE_H
#define ZZ_ESCAPE_H
#include <stddef.h>
#include "core/buf.h"

/* Append s[0..n) to out with & < > " ' replaced by &amp; &lt; &gt; &quot;
 * &#39;. Safe for HTML text and for attribute values in double or single
 * quotes (never for unquoted attributes, <script> or <style>). Runs of bytes
 * that need no escaping are copied with one buf_append. Allocates only
 * through out; s may contain NUL bytes. */
void html_escape(buf_t *out, const char *s, size_t n);

/* Append s[0..n) to out percent-encoded for one URL component (a query
 * value or a path segment): every byte except A-Z a-z 0-9 - . _ ~ becomes
 * %XX with uppercase hex, so a space is %20 and '+' is %2B. Allocates only
 * through out. */
void url_escape(buf_t *out, const char *s, size_t n);

#endif
