/* parse.h - parsers for everything a request carries: percent-encoding,
 * query strings and urlencoded forms, the Cookie header, and
 * multipart/form-data bodies.
 *
 * Every parser works on a byte range that need not be NUL-terminated,
 * allocates only from the request's arena, and never reads outside the
 * range. Results are 0 (ok), 400 (malformed) or 413 (over a limit), ready
 * to be used as the HTTP status. On a non-zero result *err points to a
 * static Chinese sentence for the user saying what is wrong and what to do
 * (err may be NULL when the caller does not want it). On failure the output
 * lists may already hold the pairs parsed before the error: discard them.
 *
 * Text that comes out of these parsers is valid UTF-8 without NUL bytes,
 * but is otherwise verbatim: "<script>" stays "<script>". Escaping is the
 * job of whatever prints it. */
#ifndef ZZ_PARSE_H
#define ZZ_PARSE_H
#include <stddef.h>
#include "core/arena.h"

/* One name/value pair. Both strings are NUL-terminated; len is the length
 * of value, excluding the NUL. */
typedef struct {
	const char *name;
	const char *value;
	size_t len;
} zz_kv;

/* Pairs in the order they arrived; start zeroed (kvlist_t l = {0};), the
 * storage grows from the arena. */
typedef struct {
	zz_kv *v;
	size_t n, cap;
} kvlist_t;

/* One uploaded file. field, filename and content_type are NUL-terminated
 * arena copies; data points into the request body (not copied, may hold
 * NUL bytes) and is len bytes long. */
typedef struct {
	const char *field;
	const char *filename;       /* path stripped: "C:\a\b.pdf" -> "b.pdf" */
	const char *content_type;   /* "application/octet-stream" if not sent */
	const unsigned char *data;
	size_t len;
} upload_t;

typedef struct {
	upload_t *v;
	size_t n, cap;
} uploadlist_t;

/* Per-call limits. Counts are per parser call (a query string and a form
 * body are limited separately). */
typedef struct {
	size_t max_fields;   /* text fields: more -> 413 */
	size_t max_name;     /* bytes in a field name: more -> 400 */
	size_t max_value;    /* bytes in one text value: more -> 413 */
	size_t max_files;    /* uploaded files: more -> 413 */
	size_t max_file;     /* bytes in one file: more -> 413 */
} parse_limits_t;

/* 2000 fields, 256-byte names, 1 MiB values, 20 files, 10 MiB per file.
 * Every function taking limits uses these when given NULL. */
extern const parse_limits_t PARSE_DEFAULT_LIMITS;

/* Hard limits of multipart framing (RFC 2046 / RFC 7578). */
#define MULTIPART_BOUNDARY_MAX 70     /* longer boundary -> 400 */
#define MULTIPART_HEADER_MAX   8192   /* header block of one part -> 400 */
#define COOKIE_MAX             100    /* cookies kept from one header */

/* Percent-decode s[0..n) into a new NUL-terminated arena string, stored in
 * *out with its length in *outlen (outlen may be NULL). With plus_is_space
 * (query strings and forms) '+' becomes ' '; "%2B" is always a literal '+'.
 * Does not check UTF-8 (parse_urlencoded does). Allocates n+1 bytes.
 * Returns 0; or 400 for a bad escape ("%zz", a trailing "%" or "%4") or a
 * NUL byte in the result, with *out = NULL. */
int url_decode(arena_t *a, const char *s, size_t n, int plus_is_space,
	       char **out, size_t *outlen, const char **err);

/* Parse application/x-www-form-urlencoded text or a query string,
 * "a=1&b=%E4%B8%AD&c&&d=", appending the decoded pairs to out in order.
 * A name without '=' gets the value ""; empty pairs and pairs with an empty
 * name ("=" or "=x") are skipped; duplicates are kept in order. Names and
 * values must be valid UTF-8 (utf8_valid). Allocates the decoded strings
 * and the list storage. Returns 0, 400 (bad escape, NUL, invalid UTF-8,
 * name longer than max_name) or 413 (more than max_fields pairs, a value
 * longer than max_value). lim may be NULL for the defaults. */
int parse_urlencoded(arena_t *a, const char *s, size_t n,
		     const parse_limits_t *lim, kvlist_t *out, const char **err);

/* Parse a Cookie header ("a=1; b=2"), appending pairs to out in order.
 * Tolerant, never fails: spaces around names and values are trimmed, a
 * value in double quotes loses them, empty values are kept, and pairs
 * without '=', with an empty or odd name (controls, spaces, quotes, ',') or
 * with a value that has control bytes or invalid UTF-8 are ignored. No
 * percent-decoding. At most COOKIE_MAX pairs are kept (the first ones);
 * duplicates are kept in order. header is a C string and may be NULL.
 * Allocates copies of the kept names and values. */
void parse_cookies(arena_t *a, const char *header, kvlist_t *out);

/* Parse a multipart/form-data body. content_type is the whole Content-Type
 * header value, "multipart/form-data; boundary=..." (parameter names are
 * case-insensitive, the boundary may be quoted, other parameters are
 * ignored). Parts without a filename parameter are text fields, appended to
 * fields under the same UTF-8 rule as forms (and no NUL bytes). Parts with
 * a filename go to files with data pointing into body; a part with
 * filename="" (an empty file input) is skipped entirely. Filenames lose
 * any path ("../../x" -> "x") and are rejected (400) if they hold control
 * bytes, invalid UTF-8, or nothing usable ("", ".", ".."). A part with an
 * empty name is skipped. Framing is strict RFC 2046: a preamble and an
 * epilogue are ignored, a line starting with the delimiter but followed by
 * anything but padding+CRLF or "--" is part data, and a missing
 * close-delimiter is an error. Runs in time linear in n.
 * Allocates copies of names, text values and file metadata (not file data).
 * Returns 0; 400 for a missing/invalid boundary (over 70 bytes), a body
 * that does not start with it or is truncated, a part header block over
 * MULTIPART_HEADER_MAX bytes, a part without
 * Content-Disposition: form-data; name=..., duplicate parameters, bad
 * names or filenames, invalid UTF-8; 413 for more than max_fields text
 * fields or max_files files, a value over max_value or a file over
 * max_file. lim may be NULL for the defaults. */
int parse_multipart(arena_t *a, const char *content_type, const char *body,
		    size_t n, const parse_limits_t *lim, kvlist_t *fields,
		    uploadlist_t *files, const char **err);

/* The first value for name, or NULL if there is none. */
const char *kv_get(const kvlist_t *l, const char *name);
/* How many values name has (0 if none). */
size_t kv_count(const kvlist_t *l, const char *name);
/* The i-th (0-based) value for name, or NULL; for multi-valued fields such
 * as checkboxes. */
const char *kv_get_nth(const kvlist_t *l, const char *name, size_t i);

/* 1 if s[0..n) is valid UTF-8: shortest form only (no overlongs such as
 * C0 AF), no surrogates (U+D800..DFFF), nothing above U+10FFFF. NUL bytes
 * are valid UTF-8; callers that mind check for them separately. */
int utf8_valid(const char *s, size_t n);

/* Append name = value[0..len) to l, copying both into the arena (value may
 * hold NUL bytes; it gets a terminating NUL). Grows l from the arena. */
void kv_add(arena_t *a, kvlist_t *l, const char *name, const char *value,
	    size_t len);

#endif
