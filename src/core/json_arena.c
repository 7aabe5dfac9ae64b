/* json_arena.c - jansson's allocations during a request; see json_arena.h. */
#include "json_arena.h"
#include "sanitized.h"
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>


static unsigned char *base;
static size_t cap, used;
static int active;

int json_arena_owns(const void *p)
{
	return base && (uintptr_t)p >= (uintptr_t)base && (uintptr_t)p < (uintptr_t)base + cap;
}

static void *arena_malloc(size_t n)
{
	if (active) {
		size_t need = (n + 15) & ~(size_t)15;
		if (need >= n && need <= cap - used) {
			void *p = base + used;
			used += need;
			return p;
		}
	}
	return malloc(n);
}

static void arena_release(void *p)
{
	if (!json_arena_owns(p))
		free(p);
}

void json_text_free(void *p)
{
	arena_release(p);
}

int json_arena_init(size_t size)
{
#if ZZ_SANITIZED
	(void)size;
	(void)arena_malloc;
	return -1;
#else
	const char *env = getenv("ZIZHU_JSON_ARENA");
	if ((env && strcmp(env, "0") == 0) || base)
		return base ? 0 : -1;
	if (!(base = aligned_alloc(16, (size + 15) & ~(size_t)15)))
		return -1;
	cap = (size + 15) & ~(size_t)15;
	used = 0;
	json_set_alloc_funcs(arena_malloc, arena_release);
	return 0;
#endif
}

void json_arena_begin(void)
{
	used = 0;
	active = base != NULL;
}

void json_arena_end(void)
{
	used = 0;
	active = 0;
}

size_t json_arena_used(void)
{
	return used;
}
