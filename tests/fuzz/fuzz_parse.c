/* fuzz_parse.c - libFuzzer harness for src/http/parse.c.
 *
 * Input layout: the first byte k says how many of the following bytes are
 * the multipart Content-Type header value (k is clamped to what is there);
 * the rest is the body. Every parser runs on the whole input too, so the
 * same corpus exercises url_decode, parse_urlencoded, parse_cookies and
 * parse_multipart. Beyond "no crash", the harness checks what the parsers
 * promise: results are 0/400/413 with a message on failure, text values
 * are valid UTF-8 with no NUL and the stated length, file data lies inside
 * the body.
 *
 * Build and run from the repository root:
 *   clang -std=c11 -D_GNU_SOURCE -g -O1 -fsanitize=fuzzer,address,undefined \
 *     -Isrc -o /tmp/fuzz_parse tests/fuzz/fuzz_parse.c src/http/parse.c \
 *     src/core/arena.c src/core/buf.c
 *   /tmp/fuzz_parse -max_total_time=120 -max_len=4096 \
 *     /tmp/fuzz-corpus tests/fuzz/corpus/parse
 * (new inputs go to the first directory; keep the checked-in seeds small.) */
#include "core/arena.h"
#include "http/parse.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static void check_rc(int rc, const char *err)
{
	if (rc != 0 && rc != 400 && rc != 413)
		abort();
	if (rc != 0 && (!err || !*err))
		abort();
}

static void check_list(const kvlist_t *l)
{
	for (size_t i = 0; i < l->n; i++) {
		const zz_kv *kv = &l->v[i];
		if (!kv->name || !kv->value || strlen(kv->value) != kv->len ||
		    !utf8_valid(kv->value, kv->len) ||
		    !utf8_valid(kv->name, strlen(kv->name)))
			abort();
		if (kv_get(l, kv->name) == NULL || kv_count(l, kv->name) == 0)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const parse_limits_t small = {
		.max_fields = 8, .max_name = 16, .max_value = 64,
		.max_files = 2, .max_file = 128,
	};
	arena_t a;
	kvlist_t l = {0};
	uploadlist_t u = {0};
	const char *err = NULL;
	char *s, *cstr, *ct, *body;
	size_t k, bn, outlen;
	int rc;

	arena_init(&a);

	/* whole input, in an exact-size copy so over-reads are caught */
	s = malloc(size ? size : 1);
	if (size)
		memcpy(s, data, size);
	rc = url_decode(&a, s, size, 1, &cstr, &outlen, &err);
	check_rc(rc, err);
	if (rc == 0 && strlen(cstr) != outlen)
		abort();
	err = NULL;
	rc = parse_urlencoded(&a, s, size, NULL, &l, &err);
	check_rc(rc, err);
	if (rc == 0)
		check_list(&l);
	l = (kvlist_t){0};
	err = NULL;
	rc = parse_urlencoded(&a, s, size, &small, &l, &err);
	check_rc(rc, err);
	if (rc == 0) {
		check_list(&l);
		if (l.n > small.max_fields)
			abort();
	}
	free(s);

	/* the Cookie header is a C string */
	cstr = malloc(size + 1);
	if (size)
		memcpy(cstr, data, size);
	cstr[size] = '\0';
	l = (kvlist_t){0};
	parse_cookies(&a, cstr, &l);
	check_list(&l);
	if (l.n > COOKIE_MAX)
		abort();
	free(cstr);

	/* multipart: content type from the front, the rest is the body */
	k = size ? data[0] : 0;
	if (size && k > size - 1)
		k = size - 1;
	ct = malloc(k + 1);
	if (k)
		memcpy(ct, data + 1, k);
	ct[k] = '\0';
	bn = size ? size - 1 - k : 0;
	body = malloc(bn ? bn : 1);
	if (bn)
		memcpy(body, data + 1 + k, bn);
	for (int pass = 0; pass < 2; pass++) {
		const parse_limits_t *lim = pass ? &small : NULL;
		l = (kvlist_t){0};
		u = (uploadlist_t){0};
		err = NULL;
		rc = parse_multipart(&a, ct, body, bn, lim, &l, &u, &err);
		check_rc(rc, err);
		if (rc != 0)
			continue;
		check_list(&l);
		for (size_t i = 0; i < u.n; i++) {
			const upload_t *up = &u.v[i];
			const char *d = (const char *)up->data;
			if (d < body || up->len > bn || d + up->len > body + bn)
				abort();
			if (!*up->filename || strchr(up->filename, '/') ||
			    strchr(up->filename, '\\') || !up->content_type ||
			    !*up->field)
				abort();
			if (pass && up->len > small.max_file)
				abort();
		}
		if (pass && (u.n > small.max_files || l.n > small.max_fields))
			abort();
	}
	free(body);
	free(ct);
	arena_free(&a);
	return 0;
}
