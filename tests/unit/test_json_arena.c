/* test_json_arena.c - jansson's per-request block: what is allocated while
 * a request is handled comes from the block while it fits, the rest from
 * malloc; frees of either are safe; the block is reused after each request;
 * it is off under AddressSanitizer and with ZIZHU_JSON_ARENA=0. */
#include "core/json_arena.h"
#include "core/sanitized.h"
#include "test.h"
#include <jansson.h>
#include <stdlib.h>


int main(void)
{
	json_t *before = json_string("made before the block"); /* from malloc */
	setenv("ZIZHU_JSON_ARENA", "1", 1);
	int rc = json_arena_init(8192);
#if ZZ_SANITIZED
	CHECK_INT(rc, -1);
	json_arena_begin();
	json_t *o = json_object();
	CHECK(!json_arena_owns(o));
	CHECK_INT(json_arena_used(), 0);
	json_decref(o);
	json_arena_end();
	json_decref(before);
#else
	CHECK_INT(rc, 0);
	CHECK_INT(json_arena_init(8192), 0); /* a second call keeps the block */
	/* outside a request: malloc */
	json_t *outside = json_object();
	CHECK(!json_arena_owns(outside));
	json_arena_begin();
	json_t *o = json_object();
	CHECK(json_arena_owns(o));
	CHECK(json_arena_used() > 0);
	json_object_set_new(o, "name", json_string("王小明"));
	json_object_set_new(o, "n", json_integer(42));
	char *text = json_dumps(o, JSON_COMPACT | JSON_SORT_KEYS);
	CHECK_STR(text, "{\"n\":42,\"name\":\"王小明\"}");
	CHECK(json_arena_owns(text));
	json_text_free(text); /* would crash if it reached free() */
	/* a value bigger than the rest of the block comes from malloc */
	char big[10000];
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = 0;
	json_t *s = json_string(big);
	CHECK(s != NULL);
	CHECK(!json_arena_owns(json_string_value(s)));
	CHECK_INT(strlen(json_string_value(s)), sizeof big - 1);
	json_object_set_new(o, "big", s);
	/* values from before the request can be freed during it */
	json_decref(before);
	json_decref(outside);
	/* many small values: the block fills, then malloc takes over */
	json_t *arr = json_array();
	for (int i = 0; i < 2000; i++)
		json_array_append_new(arr, json_integer(i));
	CHECK_INT(json_array_size(arr), 2000);
	CHECK_INT(json_integer_value(json_array_get(arr, 1999)), 1999);
	CHECK(json_arena_used() <= 8192);
	json_decref(arr);
	json_decref(o);
	json_arena_end();
	CHECK_INT(json_arena_used(), 0);
	json_t *after = json_object();
	CHECK(!json_arena_owns(after));
	json_decref(after);
	/* the next request starts at the beginning of the block again */
	json_arena_begin();
	json_t *again = json_object();
	CHECK(json_arena_owns(again));
	CHECK(json_arena_used() < 1024);
	json_text_free(NULL);
	json_decref(again);
	json_arena_end();
#endif
	TEST_MAIN_END();
}
