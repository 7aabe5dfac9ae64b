/* fuzz_tmpl.c - libFuzzer harness for the template engine. The input is a
 * template's source; it is loaded beside a small partial and rendered with a
 * context of hostile values. Loading must either succeed or fail with a
 * message; rendering must never print a context value unescaped: the marker
 * "<zz-evil" may appear in the output only if the template itself holds it.
 * Build: see the Makefile's fuzz targets. */
#include "tmpl/template.h"
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[64];
static char main_path[96];
static json_t *ctx;

static void write_file(const char *path, const void *data, size_t size)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(data, 1, size, f) != size)
		abort();
	fclose(f);
}

static void cleanup(void)
{
	const char *names[] = {"t.html", "p.html", "q.html"};
	char path[128];
	for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
}

static void setup(void)
{
	snprintf(dir, sizeof dir, "/tmp/fuzz-tmpl.%ld", (long)getpid());
	char path[128];
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		abort();
	snprintf(path, sizeof path, "%s/p.html", dir);
	const char *partial = "<i>{{name}}</i>{{#each items}}{{.}}{{/each}}{{> q.html}}";
	write_file(path, partial, strlen(partial));
	snprintf(path, sizeof path, "%s/q.html", dir);
	write_file(path, "{{x|url}}", 9);
	snprintf(main_path, sizeof main_path, "%s/t.html", dir);
	ctx = json_pack("{s:s, s:s, s:I, s:[s,s,i,n,b], s:{s:s, s:{s:s}}, s:s, s:s, s:s, s:o}",
			"name", "<zz-evil>\"'&", "x", "<zz-evil onclick=1>", "n", (json_int_t)123456789,
			"items", "<zz-evil/>", "a&b", 7, 1, "o", "name", "<zz-evil>", "deep", "k", "<zz-evil k>",
			"id", "410305201601010016", "date", "2026-11-23T08:00:00", "phone", "13900001111",
			"ok", tmpl_safe("<b>fine</b>"));
	if (!ctx)
		abort();
	atexit(cleanup);
}

static int holds(const char *hay, size_t n, const char *needle)
{
	return memmem(hay, n, needle, strlen(needle)) != NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!ctx)
		setup();
	if (size > 64 * 1024)
		return 0;
	write_file(main_path, data, size);
	char err[256];
	err[0] = '\0';
	tmpl_set *set = tmpl_load(dir, err, sizeof err);
	if (!set) {
		if (!err[0])
			abort(); /* a refusal always says why */
		return 0;
	}
	buf_t out = {0};
	if (tmpl_render(set, "t.html", ctx, &out, err, sizeof err) == 0) {
		const char *o = out.len ? buf_cstr(&out) : "";
		if (holds(o, out.len, "<zz-evil") && !holds((const char *)data, size, "<zz-evil"))
			abort(); /* a value reached the page unescaped */
	} else if (out.len)
		abort(); /* a failed render leaves out as it was */
	buf_free(&out);
	tmpl_free(set);
	return 0;
}
