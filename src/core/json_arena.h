/* json_arena.h - where jansson's memory comes from while a worker answers
 * a request. A page builds its context as a tree of small JSON values
 * (one object per row, one string per column) and frees it whole when it
 * is rendered; with malloc, allocating and freeing that tree cost about as
 * much as the queries behind it. While a request is handled, jansson's
 * allocations come from one block by bumping a pointer, freeing one is a
 * no-op, and the block is reset when the request ends. An allocation that
 * does not fit (an import, a city-wide export) comes from malloc as usual,
 * so a big request costs no more memory than before.
 *
 * Nothing allocated in a request may be kept after it: the worker keeps no
 * JSON across requests. Off under AddressSanitizer, and when the
 * environment has ZIZHU_JSON_ARENA=0 (the valgrind test), so that those
 * tools see every JSON allocation. */
#ifndef ZZ_JSON_ARENA_H
#define ZZ_JSON_ARENA_H
#include <stddef.h>

/* Install the allocator with a block of `size` bytes. 0 if it is in use,
 * -1 if it is off (sanitizer, environment) or the block could not be had. */
int json_arena_init(size_t size);
/* Allocations from now on come from the block, while they fit. */
void json_arena_begin(void);
/* Forget everything allocated since json_arena_begin(); later allocations
 * come from malloc until the next begin. */
void json_arena_end(void);
/* Bytes handed out from the block since the last begin (for tests). */
size_t json_arena_used(void);
/* 1 if p lies in the block. */
int json_arena_owns(const void *p);
/* Free text that jansson allocated (json_dumps): it may lie in the block,
 * where free() must not be called on it. NULL is fine. */
void json_text_free(void *p);

#endif
