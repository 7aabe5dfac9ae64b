/* arena.h - per-request bump allocator. Everything a request allocates
 * through its arena is released at once by arena_reset() at the end of the
 * pass, so nothing leaks across requests in a long-lived worker. */
#ifndef ZZ_ARENA_H
#define ZZ_ARENA_H
#include <stddef.h>

typedef struct arena_block arena_block;
typedef struct {
	arena_block *head;   /* newest block first */
	size_t total;        /* bytes handed out since the last reset */
} arena_t;

void arena_init(arena_t *a);
/* Free every block except the first, and forget all allocations. */
void arena_reset(arena_t *a);
/* Free everything. */
void arena_free(arena_t *a);
/* Memory aligned for any type; never NULL (aborts on OOM). Contents undefined. */
void *arena_alloc(arena_t *a, size_t n);
void *arena_zalloc(arena_t *a, size_t n);
char *arena_strdup(arena_t *a, const char *s);
/* Copy n bytes and add a NUL. */
char *arena_strndup(arena_t *a, const char *s, size_t n);
char *arena_printf(arena_t *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
