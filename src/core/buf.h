/* buf.h - growable byte buffer, always NUL-terminated after any append.
 * Allocation failure aborts the process (see xmalloc): a worker that cannot
 * allocate a few KB cannot answer anyway, and the master restarts it. */
#ifndef ZZ_BUF_H
#define ZZ_BUF_H
#include <stddef.h>
#include <stdarg.h>

typedef struct {
	char *data;   /* NULL until the first append; then NUL-terminated */
	size_t len;   /* bytes used, excluding the terminating NUL */
	size_t cap;   /* bytes allocated */
} buf_t;

#define BUF_INIT {NULL, 0, 0}

void buf_init(buf_t *b);
void buf_free(buf_t *b);
/* Empty the buffer but keep its allocation. */
void buf_reset(buf_t *b);
/* Make room for at least n more bytes (plus the NUL). */
void buf_grow(buf_t *b, size_t n);
void buf_append(buf_t *b, const void *p, size_t n);
void buf_puts(buf_t *b, const char *s);
void buf_putc(buf_t *b, char c);
void buf_printf(buf_t *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(buf_t *b, const char *fmt, va_list ap);
/* The contents as a C string ("" for an empty buffer); valid until the next change. */
const char *buf_cstr(const buf_t *b);
/* Hand the allocation to the caller (must free()); the buffer becomes empty. */
char *buf_detach(buf_t *b);

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t m);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);

#endif
