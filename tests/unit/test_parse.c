/* test_parse.c - percent-decoding, forms, cookies, multipart. */
#include "test.h"
#include "core/arena.h"
#include "core/buf.h"
#include "http/parse.h"
#include <stdlib.h>

static arena_t A;

/* The parsers get their input in a malloc block of exactly its size, with
 * no NUL after it, so that a read past the end is caught by valgrind and
 * AddressSanitizer. */
static char *exact(const char *s, size_t n)
{
	char *p = malloc(n ? n : 1);
	if (!p)
		abort();
	if (n)
		memcpy(p, s, n);
	return p;
}

/* parse_urlencoded on a C string with the default limits. */
static int form(const char *s, kvlist_t *l, const char **err)
{
	size_t n = strlen(s);
	char *copy = exact(s, n);
	int rc;

	*l = (kvlist_t){0};
	*err = NULL;
	rc = parse_urlencoded(&A, copy, n, NULL, l, err);
	free(copy);
	return rc;
}

/* parse_multipart on body[0..n); uploads point into last_body, which
 * stays valid until the next call. */
static char *last_body;

static int mp(const char *ct, const char *body, size_t n,
	      const parse_limits_t *lim, kvlist_t *f, uploadlist_t *u,
	      const char **err)
{
	free(last_body);
	last_body = body ? exact(body, n) : NULL;
	*f = (kvlist_t){0};
	*u = (uploadlist_t){0};
	*err = NULL;
	return parse_multipart(&A, ct, last_body, n, lim, f, u, err);
}

/* url_decode and utf8_valid on exact copies. */
static int dec(const char *s, size_t n, int plus, char **o, size_t *on,
	       const char **err)
{
	char *copy = exact(s, n);
	int rc = url_decode(&A, copy, n, plus, o, on, err);
	free(copy);
	return rc;
}

static int u8(const char *s, size_t n)
{
	char *copy = exact(s, n);
	int ok = utf8_valid(copy, n);
	free(copy);
	return ok;
}

/* An error message must be set, and read like a sentence for a person. */
static int msg_ok(const char *err)
{
	return err && strlen(err) > 10 && strstr(err, "。");
}

static void test_url_decode(void)
{
	char *o;
	size_t n;
	const char *err = NULL;

	CHECK_INT(dec("a+b%2Bc", 7, 1, &o, &n, &err), 0);
	CHECK_STR(o, "a b+c");
	CHECK_INT(n, 5);
	CHECK_INT(dec("a+b%2bc", 7, 0, &o, &n, &err), 0);
	CHECK_STR(o, "a+b+c");
	/* not NUL-terminated input: only n bytes are read */
	CHECK_INT(dec("%41%42zzz", 6, 1, &o, &n, &err), 0);
	CHECK_STR(o, "AB");
	CHECK_INT(dec("", 0, 1, &o, &n, &err), 0);
	CHECK_STR(o, "");
	CHECK_INT(n, 0);
	CHECK_INT(dec("%e4%B8%ad", 9, 1, &o, &n, &err), 0);
	CHECK_STR(o, "中");

	const char *bad[] = {"%zz", "%", "ab%", "ab%4", "%4g", "%g4", "%%41"};
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		err = NULL;
		o = (char *)"x";
		CHECK_INT(dec(bad[i], strlen(bad[i]), 1, &o, &n, &err), 400);
		CHECK(o == NULL);
		CHECK(msg_ok(err));
	}
	/* "%4" must not peek at the byte after n (here a '1') */
	CHECK_INT(dec("%41", 2, 1, &o, &n, &err), 400);
	CHECK_INT(url_decode(&A, "%41", 2, 1, &o, &n, &err), 400);
	CHECK_INT(url_decode(&A, "x%", 2, 1, &o, &n, &err), 400);
	err = NULL;
	CHECK_INT(dec("a%00b", 5, 1, &o, &n, &err), 400);
	CHECK(msg_ok(err));
	CHECK_INT(dec("a\0b", 3, 1, &o, &n, &err), 400);
	/* err may be NULL; outlen may be NULL */
	CHECK_INT(dec("%zz", 3, 1, &o, NULL, NULL), 400);
	CHECK_INT(dec("ok", 2, 1, &o, NULL, NULL), 0);
	CHECK_STR(o, "ok");
}

static void test_utf8(void)
{
	CHECK(u8("", 0));
	CHECK(u8("abc", 3));
	CHECK(u8("中文", 6));
	CHECK(u8("\xF0\x9F\x98\x80", 4));          /* 😀 */
	CHECK(u8("\xF4\x8F\xBF\xBF", 4));          /* U+10FFFF */
	CHECK(u8("\xEF\xBF\xBF", 3));              /* U+FFFF */
	CHECK(u8("\xED\x9F\xBF", 3));              /* U+D7FF */
	CHECK(!u8("\xF4\x90\x80\x80", 4));         /* > U+10FFFF */
	CHECK(!u8("\xED\xA0\x80", 3));             /* surrogate */
	CHECK(!u8("\xC0\xAF", 2));                 /* overlong '/' */
	CHECK(!u8("\xC1\xBF", 2));
	CHECK(!u8("\xE0\x80\xAF", 3));             /* overlong */
	CHECK(!u8("\xF0\x80\x80\xAF", 4));         /* overlong */
	CHECK(!u8("\xD6\xD0\xCE\xC4", 4));         /* GB18030 中文 */
	CHECK(!u8("\x80", 1));
	CHECK(!u8("\xFF", 1));
	CHECK(!u8("\xE4\xB8", 2));                 /* truncated */
	CHECK(!u8("\xE4\xB8\xADx\xE4", 5));
	/* truncation detected within n, even if the bytes after n fit */
	CHECK(!u8("\xE4\xB8\xAD", 2));
	CHECK(!u8("\xE4\x41\xAD", 3));             /* bad continuation */
	CHECK(u8("\xF1\x80\x80\x80", 4));          /* U+40000 */
	CHECK(!u8("\xF1\x80\x80\x41", 4));
	CHECK(!u8("\xF1\x80\x41\x80", 4));
}

static void test_kv(void)
{
	kvlist_t l = {0};
	char name[8] = "k";
	char val[8] = "v1";

	CHECK(kv_get(&l, "k") == NULL);
	CHECK(kv_get(NULL, "k") == NULL);
	CHECK(kv_get(&l, NULL) == NULL);
	CHECK_INT(kv_count(NULL, "k"), 0);
	/* copies: changing the caller's strings afterwards changes nothing */
	kv_add(&A, &l, name, val, 2);
	name[0] = 'x';
	val[1] = '9';
	CHECK_STR(kv_get(&l, "k"), "v1");
	CHECK(kv_get(&l, "x") == NULL);
	kv_add(&A, &l, "bin", "a\0b", 3);    /* a value with a NUL */
	CHECK_INT(l.v[1].len, 3);
	CHECK(memcmp(l.v[1].value, "a\0b", 4) == 0);
	kv_add(&A, &l, "k", "v2xxx", 2);   /* only len bytes */
	CHECK_STR(kv_get_nth(&l, "k", 1), "v2");
	kv_add(&A, &l, "null", NULL, 5);
	CHECK_STR(kv_get(&l, "null"), "");
	CHECK_INT(l.v[3].len, 0);
	/* growth keeps everything in order */
	for (int i = 0; i < 1000; i++) {
		char v[16];
		snprintf(v, sizeof v, "%d", i);
		kv_add(&A, &l, "many", v, strlen(v));
	}
	CHECK_INT(l.n, 1004);
	CHECK_INT(kv_count(&l, "many"), 1000);
	CHECK_STR(kv_get_nth(&l, "many", 777), "777");
	CHECK_STR(kv_get(&l, "k"), "v1");
}

static void test_urlencoded(void)
{
	kvlist_t l;
	const char *err;

	CHECK_INT(form("a=1&b=two", &l, &err), 0);
	CHECK_INT(l.n, 2);
	CHECK_STR(kv_get(&l, "a"), "1");
	CHECK_STR(kv_get(&l, "b"), "two");
	CHECK(kv_get(&l, "c") == NULL);

	CHECK_INT(form("q=with+space&p=foo%2Bbar&r=a%20b", &l, &err), 0);
	CHECK_STR(kv_get(&l, "q"), "with space");
	CHECK_STR(kv_get(&l, "p"), "foo+bar");
	CHECK_STR(kv_get(&l, "r"), "a b");

	CHECK_INT(form("name=%E5%BC%A0%E4%B8%89&%E5%AD%A6%E6%A0%A1=%E4%B8%80%E4%B8%AD", &l, &err), 0);
	CHECK_STR(kv_get(&l, "name"), "张三");
	CHECK_STR(kv_get(&l, "学校"), "一中");
	CHECK_INT(form("e=%F0%9F%98%80", &l, &err), 0);
	CHECK_STR(kv_get(&l, "e"), "😀");
	CHECK_INT(l.v[0].len, 4);
	/* raw UTF-8 (not percent-encoded) is fine too */
	CHECK_INT(form("s=中文", &l, &err), 0);
	CHECK_STR(kv_get(&l, "s"), "中文");

	/* GB18030 "中文" is not UTF-8 */
	CHECK_INT(form("s=%D6%D0%CE%C4", &l, &err), 400);
	CHECK(msg_ok(err) && strstr(err, "UTF-8"));
	CHECK_INT(form("%D6%D0=x", &l, &err), 400);         /* in a name too */
	CHECK_INT(form("s=%C0%AF", &l, &err), 400);         /* overlong */
	CHECK_INT(form("s=%ED%A0%80", &l, &err), 400);      /* surrogate */
	CHECK_INT(form("s=%F4%90%80%80", &l, &err), 400);   /* > U+10FFFF */
	CHECK_INT(form("s=a%00b", &l, &err), 400);
	CHECK(msg_ok(err));
	CHECK_INT(form("s=%zz", &l, &err), 400);
	CHECK(msg_ok(err));
	CHECK_INT(form("s=abc%", &l, &err), 400);
	CHECK_INT(form("s=%4", &l, &err), 400);
	CHECK_INT(form("%zz=1", &l, &err), 400);

	CHECK_INT(form("", &l, &err), 0);
	CHECK_INT(l.n, 0);
	CHECK_INT(parse_urlencoded(&A, NULL, 0, NULL, &l, &err), 0);
	CHECK_INT(form("&&&", &l, &err), 0);
	CHECK_INT(l.n, 0);
	CHECK_INT(form("=", &l, &err), 0);
	CHECK_INT(l.n, 0);
	CHECK_INT(form("=x&&y=1&", &l, &err), 0);
	CHECK_INT(l.n, 1);
	CHECK_STR(kv_get(&l, "y"), "1");

	/* names without values, empty values */
	CHECK_INT(form("c&d=&e=1", &l, &err), 0);
	CHECK_INT(l.n, 3);
	CHECK_STR(kv_get(&l, "c"), "");
	CHECK_STR(kv_get(&l, "d"), "");
	CHECK_INT(kv_count(&l, "c"), 1);
	/* '=' inside a value belongs to the value */
	CHECK_INT(form("k=a=b", &l, &err), 0);
	CHECK_STR(kv_get(&l, "k"), "a=b");

	/* duplicates in order */
	CHECK_INT(form("x=1&y=0&x=2&x=3", &l, &err), 0);
	CHECK_STR(kv_get(&l, "x"), "1");
	CHECK_INT(kv_count(&l, "x"), 3);
	CHECK_INT(kv_count(&l, "nope"), 0);
	CHECK_STR(kv_get_nth(&l, "x", 0), "1");
	CHECK_STR(kv_get_nth(&l, "x", 1), "2");
	CHECK_STR(kv_get_nth(&l, "x", 2), "3");
	CHECK(kv_get_nth(&l, "x", 3) == NULL);
	CHECK_STR(l.v[1].name, "y");
	/* appending to a list that already holds pairs */
	CHECK_INT(parse_urlencoded(&A, "z=9", 3, NULL, &l, &err), 0);
	CHECK_INT(l.n, 5);
	CHECK_STR(kv_get(&l, "z"), "9");

	/* not NUL-terminated: only n bytes */
	l = (kvlist_t){0};
	CHECK_INT(parse_urlencoded(&A, "a=12&b=3", 3, NULL, &l, &err), 0);
	CHECK_INT(l.n, 1);
	CHECK_STR(kv_get(&l, "a"), "1");

	/* kept verbatim: escaping is the output's job */
	CHECK_INT(form("c=%3Cscript%3Ealert(1)%3C%2Fscript%3E&q=%27+OR+1%3D1+--", &l, &err), 0);
	CHECK_STR(kv_get(&l, "c"), "<script>alert(1)</script>");
	CHECK_STR(kv_get(&l, "q"), "' OR 1=1 --");
}

static void test_urlencoded_limits(void)
{
	parse_limits_t lim = PARSE_DEFAULT_LIMITS;
	kvlist_t l = {0};
	const char *err = NULL;
	buf_t b = BUF_INIT;

	/* exactly max_fields is fine, one more is 413 */
	for (int i = 0; i < 2000; i++)
		buf_printf(&b, "f%d=%d&", i, i);
	CHECK_INT(parse_urlencoded(&A, b.data, b.len, NULL, &l, &err), 0);
	CHECK_INT(l.n, 2000);
	CHECK_STR(kv_get(&l, "f1999"), "1999");
	buf_puts(&b, "one=more");
	l = (kvlist_t){0};
	CHECK_INT(parse_urlencoded(&A, b.data, b.len, NULL, &l, &err), 413);
	CHECK_STR(err, "表单字段过多（最多 2000 个），请分批提交。");
	/* skipped empty pairs do not count */
	lim.max_fields = 2;
	l = (kvlist_t){0};
	CHECK_INT(parse_urlencoded(&A, "a=1&&&=&b=2", 11, &lim, &l, &err), 0);
	err = NULL;
	CHECK_INT(parse_urlencoded(&A, "a=1&b=2&c=3", 11, &lim, &l, &err), 413);
	CHECK(msg_ok(err) && !strstr(err, "2000"));   /* no wrong number */
	lim = PARSE_DEFAULT_LIMITS;

	/* name: 256 bytes ok, 257 -> 400; counted after decoding */
	buf_reset(&b);
	for (int i = 0; i < 256; i++)
		buf_putc(&b, 'n');
	buf_puts(&b, "=v");
	l = (kvlist_t){0};
	CHECK_INT(parse_urlencoded(&A, b.data, b.len, NULL, &l, &err), 0);
	buf_reset(&b);
	for (int i = 0; i < 257; i++)
		buf_putc(&b, 'n');
	buf_puts(&b, "=v");
	CHECK_INT(parse_urlencoded(&A, b.data, b.len, NULL, &l, &err), 400);
	CHECK(msg_ok(err) && strstr(err, "256"));
	buf_reset(&b);
	for (int i = 0; i < 256; i++)
		buf_puts(&b, "%41");      /* 768 bytes, 256 decoded */
	buf_puts(&b, "=v");
	l = (kvlist_t){0};
	CHECK_INT(parse_urlencoded(&A, b.data, b.len, NULL, &l, &err), 0);
	CHECK_INT(strlen(l.v[0].name), 256);

	/* value: exactly max_value ok, one more 413 */
	lim.max_value = 10;
	l = (kvlist_t){0};
	CHECK_INT(parse_urlencoded(&A, "v=0123456789", 12, &lim, &l, &err), 0);
	CHECK_INT(parse_urlencoded(&A, "v=%30123456789", 14, &lim, &l, &err), 0);
	CHECK_INT(parse_urlencoded(&A, "v=01234567890", 13, &lim, &l, &err), 413);
	CHECK(msg_ok(err));
	lim = PARSE_DEFAULT_LIMITS;

	/* a 2 MB value against the 1 MB default */
	buf_reset(&b);
	buf_puts(&b, "a=1&big=");
	buf_grow(&b, 2u << 20);
	memset(b.data + b.len, 'x', 2u << 20);
	b.len += 2u << 20;
	b.data[b.len] = '\0';
	l = (kvlist_t){0};
	err = NULL;
	CHECK_INT(parse_urlencoded(&A, b.data, b.len, NULL, &l, &err), 413);
	CHECK_STR(err, "填写的内容过长（单项最多 1 MB），请精简后再提交。");
	/* ... and a 1 MB one passes */
	b.len = 8 + (1u << 20);
	l = (kvlist_t){0};
	CHECK_INT(parse_urlencoded(&A, b.data, b.len, NULL, &l, &err), 0);
	CHECK_INT(l.v[1].len, 1u << 20);
	buf_free(&b);
}

static void test_cookies(void)
{
	kvlist_t l = {0};
	buf_t b = BUF_INIT;

	parse_cookies(&A, "sid=abc123; lang=zh-CN", &l);
	CHECK_INT(l.n, 2);
	CHECK_STR(kv_get(&l, "sid"), "abc123");
	CHECK_STR(kv_get(&l, "lang"), "zh-CN");

	l = (kvlist_t){0};
	parse_cookies(&A, "  a = 1 ;b=2;;  c=3  ;\td=\t4", &l);
	CHECK_INT(l.n, 4);
	CHECK_STR(kv_get(&l, "a"), "1");
	CHECK_STR(kv_get(&l, "b"), "2");
	CHECK_STR(kv_get(&l, "c"), "3");
	CHECK_STR(kv_get(&l, "d"), "4");

	l = (kvlist_t){0};
	parse_cookies(&A, "q=\"hello world\"; e=; f=\"\"; g=\"", &l);
	CHECK_STR(kv_get(&l, "q"), "hello world");
	CHECK_STR(kv_get(&l, "e"), "");
	CHECK_STR(kv_get(&l, "f"), "");
	CHECK_STR(kv_get(&l, "g"), "\"");   /* one quote is not a pair */
	CHECK_INT(l.n, 4);

	/* no percent-decoding */
	l = (kvlist_t){0};
	parse_cookies(&A, "p=a%20b+c", &l);
	CHECK_STR(kv_get(&l, "p"), "a%20b+c");

	/* garbage is ignored, good pairs around it kept */
	l = (kvlist_t){0};
	parse_cookies(&A, "novalue; =x; ok=1; a b=2; x\"y=3; v=\x01z; "
			  "u=\xD6\xD0; w=a=b; ,=4; 中=5; last=2", &l);
	CHECK_INT(l.n, 3);
	CHECK_STR(kv_get(&l, "ok"), "1");
	CHECK_STR(kv_get(&l, "w"), "a=b");
	CHECK_STR(kv_get(&l, "last"), "2");
	CHECK(kv_get(&l, "novalue") == NULL);
	CHECK(kv_get(&l, "v") == NULL);
	CHECK(kv_get(&l, "u") == NULL);

	l = (kvlist_t){0};
	parse_cookies(&A, "", &l);
	parse_cookies(&A, NULL, &l);
	parse_cookies(&A, ";;; ; =;=", &l);
	CHECK_INT(l.n, 0);

	/* duplicates: first wins (most specific path first) */
	l = (kvlist_t){0};
	parse_cookies(&A, "sid=new; sid=old", &l);
	CHECK_STR(kv_get(&l, "sid"), "new");
	CHECK_INT(kv_count(&l, "sid"), 2);

	/* 200 cookies: the first 100 are kept */
	for (int i = 0; i < 200; i++)
		buf_printf(&b, "%sc%d=%d", i ? "; " : "", i, i);
	l = (kvlist_t){0};
	parse_cookies(&A, b.data, &l);
	CHECK_INT(l.n, 100);
	CHECK_STR(kv_get(&l, "c0"), "0");
	CHECK_STR(kv_get(&l, "c99"), "99");
	CHECK(kv_get(&l, "c100") == NULL);
	buf_free(&b);
}

#define CT "multipart/form-data; boundary=XyZ"

/* A browser-like body: text fields, a binary file with NUL bytes and
 * "\r\n--" lines that are not the boundary, an empty file input. */
static void test_multipart_basic(void)
{
	static const unsigned char bin[] = {
		0x89, 'P', 'N', 'G', 0x00, 0x00, '\r', '\n', '-', '-', 'X',
		'y', '\r', '\n', '-', '-', 'X', 'y', 'Z', 'Z', '\r', '\n', '-',
		'-', 'X', 'y', 'Z', 'x', 0x00, '\r', '\n', '-', '-', 0xff, 0x00,
		'\r', '\n'
	};
	buf_t b = BUF_INIT;
	kvlist_t f;
	uploadlist_t u;
	const char *err;

	buf_puts(&b, "--XyZ\r\n"
		     "Content-Disposition: form-data; name=\"name\"\r\n\r\n"
		     "张三\r\n"
		     "--XyZ\r\n"
		     "content-disposition: FORM-DATA; NAME=\"note\"\r\n"
		     "Content-Type: text/plain; charset=UTF-8\r\n\r\n"
		     "line1\r\nline2\r\n--not the boundary\r\n\r\n"
		     "--XyZ\r\n"
		     "Content-Disposition: form-data; name=\"proof\"; filename=\"证明.png\"\r\n"
		     "Content-Type: image/png\r\n\r\n");
	buf_append(&b, bin, sizeof bin);
	buf_puts(&b, "\r\n--XyZ\r\n"
		     "Content-Disposition: form-data; name=\"empty\"; filename=\"\"\r\n"
		     "Content-Type: application/octet-stream\r\n\r\n"
		     "\r\n--XyZ\r\n"
		     "Content-Disposition: form-data; name=\"blank\"\r\n\r\n"
		     "\r\n--XyZ\r\n"
		     "Content-Disposition: form-data; name=\"xss\"\r\n\r\n"
		     "<script>alert(1)</script>\r\n--XyZ\r\n"
		     "Content-Disposition: form-data; name=\"sql\"\r\n\r\n"
		     "' OR 1=1 --\r\n"
		     "--XyZ--\r\n");
	CHECK_INT(mp(CT, b.data, b.len, NULL, &f, &u, &err), 0);
	CHECK_INT(f.n, 5);
	CHECK_STR(kv_get(&f, "name"), "张三");
	CHECK_STR(kv_get(&f, "note"), "line1\r\nline2\r\n--not the boundary\r\n");
	CHECK_STR(kv_get(&f, "blank"), "");
	CHECK_STR(kv_get(&f, "xss"), "<script>alert(1)</script>");
	CHECK_STR(kv_get(&f, "sql"), "' OR 1=1 --");
	CHECK(kv_get(&f, "empty") == NULL);
	CHECK_INT(u.n, 1);
	if (u.n == 1) {
		CHECK_STR(u.v[0].field, "proof");
		CHECK_STR(u.v[0].filename, "证明.png");
		CHECK_STR(u.v[0].content_type, "image/png");
		CHECK_INT(u.v[0].len, sizeof bin);
		CHECK(u.v[0].len == sizeof bin && memcmp(u.v[0].data, bin, sizeof bin) == 0);
		/* points into the body, not a copy */
		CHECK((const char *)u.v[0].data > last_body &&
		      (const char *)u.v[0].data < last_body + b.len);
	}

	/* the same body with a preamble and an epilogue */
	buf_t c = BUF_INIT;
	buf_puts(&c, "This is the preamble.\r\n--XyZ is not it\r\n");
	buf_append(&c, b.data, b.len);
	buf_puts(&c, "epilogue\r\n--XyZ\r\nignored too");
	CHECK_INT(mp(CT, c.data, c.len, NULL, &f, &u, &err), 0);
	CHECK_INT(f.n, 5);
	CHECK_INT(u.n, 1);
	CHECK_STR(kv_get(&f, "note"), "line1\r\nline2\r\n--not the boundary\r\n");
	buf_free(&c);

	/* only n bytes are read: cutting the body short is an error */
	CHECK_INT(mp(CT, b.data, b.len - 2, NULL, &f, &u, &err), 0);  /* "--XyZ--" */
	CHECK_INT(f.n, 5);
	CHECK_INT(mp(CT, b.data, b.len - 3, NULL, &f, &u, &err), 400); /* "--XyZ-" */
	CHECK(msg_ok(err));
	/* every prefix of the body fails cleanly, none crashes */
	int bad = 0;
	for (size_t n = 0; n < b.len - 2; n++)
		if (mp(CT, b.data, n, NULL, &f, &u, &err) != 400)
			bad++;
	CHECK_INT(bad, 0);
	buf_free(&b);
}

static void test_multipart_framing(void)
{
	kvlist_t f;
	uploadlist_t u;
	const char *err;
	const char *one = "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ--";

	/* unquoted name parameter, no trailing CRLF after the close */
	CHECK_INT(mp(CT, one, strlen(one), NULL, &f, &u, &err), 0);
	CHECK_STR(kv_get(&f, "a"), "1");

	/* boundary: quoted, other params around it, odd case */
	const char *cts[] = {
		"multipart/form-data; boundary=\"XyZ\"",
		"Multipart/Form-Data;charset=utf-8;BOUNDARY=XyZ",
		"multipart/form-data ; charset=\"utf-8\" ; Boundary = \"XyZ\" ; x=y",
		"MULTIPART/FORM-DATA; boundary=XyZ;",
	};
	for (size_t i = 0; i < sizeof cts / sizeof *cts; i++) {
		f = (kvlist_t){0};
		CHECK_INT(mp(cts[i], one, strlen(one), NULL, &f, &u, &err), 0);
		CHECK_STR(kv_get(&f, "a"), "1");
	}
	/* the boundary is case-sensitive */
	CHECK_INT(mp("multipart/form-data; boundary=xyz", one, strlen(one), NULL, &f, &u, &err), 400);

	/* a boundary with spaces and punctuation, quoted (RFC 2046 example) */
	const char *sp = "--gc0p4Jq0M2Yt08j34c0p' ()+_,-./:=?\r\n"
			 "Content-Disposition: form-data; name=a\r\n\r\nv\r\n"
			 "--gc0p4Jq0M2Yt08j34c0p' ()+_,-./:=?--\r\n";
	CHECK_INT(mp("multipart/form-data; boundary=\"gc0p4Jq0M2Yt08j34c0p' ()+_,-./:=?\"",
		     sp, strlen(sp), NULL, &f, &u, &err), 0);
	CHECK_STR(kv_get(&f, "a"), "v");

	/* no boundary, wrong type, bad boundaries */
	const char *nob[] = {
		"multipart/form-data", "multipart/form-data;", "multipart/form-data; charset=utf-8",
	};
	for (size_t i = 0; i < sizeof nob / sizeof *nob; i++) {
		err = NULL;
		CHECK_INT(mp(nob[i], one, strlen(one), NULL, &f, &u, &err), 400);
		CHECK_STR(err, "请求格式不正确：缺少 multipart 分隔符。");
	}
	CHECK_INT(mp("application/x-www-form-urlencoded", one, strlen(one), NULL, &f, &u, &err), 400);
	CHECK_INT(mp("multipart/mixed; boundary=XyZ", one, strlen(one), NULL, &f, &u, &err), 400);
	CHECK_INT(mp(NULL, one, strlen(one), NULL, &f, &u, &err), 400);
	CHECK_INT(mp("", one, strlen(one), NULL, &f, &u, &err), 400);
	CHECK_INT(mp("multipart/form-data; boundary=", one, strlen(one), NULL, &f, &u, &err), 400);
	CHECK_INT(mp("multipart/form-data; boundary=\"\"", one, strlen(one), NULL, &f, &u, &err), 400);
	CHECK_INT(mp("multipart/form-data; boundary=\"XyZ", one, strlen(one), NULL, &f, &u, &err), 400);
	CHECK_INT(mp("multipart/form-data; boundary=XyZ; boundary=XyZ", one, strlen(one), NULL, &f, &u, &err), 400);
	CHECK_INT(mp("multipart/form-data; boundary=\"XyZ \"", one, strlen(one), NULL, &f, &u, &err), 400);
	CHECK_INT(mp("multipart/form-data; boundary=\"X\tZ\"", one, strlen(one), NULL, &f, &u, &err), 400);
	CHECK_INT(mp("multipart/form-data; boundary=XyZ; junk", one, strlen(one), NULL, &f, &u, &err), 400);
	CHECK_INT(mp("multipart/form-data; boundary=XyZ x", one, strlen(one), NULL, &f, &u, &err), 400);
	CHECK_INT(mp("multipart/form-data x; boundary=XyZ", one, strlen(one), NULL, &f, &u, &err), 400);
	CHECK_INT(mp("multipart/form-data; boundary=X\"yZ\"", one, strlen(one), NULL, &f, &u, &err), 400);
	CHECK_INT(mp("  multipart/form-data  ;boundary=XyZ  ", one, strlen(one), NULL, &f, &u, &err), 0);

	/* 70 bytes is the longest allowed boundary */
	char ct[160], body[400];
	char b70[71], b71[72];
	memset(b70, 'b', 70), b70[70] = '\0';
	memset(b71, 'b', 71), b71[71] = '\0';
	snprintf(ct, sizeof ct, "multipart/form-data; boundary=%s", b70);
	snprintf(body, sizeof body, "--%s\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--%s--\r\n", b70, b70);
	CHECK_INT(mp(ct, body, strlen(body), NULL, &f, &u, &err), 0);
	CHECK_STR(kv_get(&f, "a"), "x");
	snprintf(ct, sizeof ct, "multipart/form-data; boundary=%s", b71);
	snprintf(body, sizeof body, "--%s\r\nContent-Disposition: form-data; name=a\r\n\r\nx\r\n--%s--\r\n", b71, b71);
	err = NULL;
	CHECK_INT(mp(ct, body, strlen(body), NULL, &f, &u, &err), 400);
	CHECK(msg_ok(err));

	/* missing final boundary, truncated bodies, no start */
	const char *trunc[] = {
		"--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n",
		"--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ",
		"--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ-",
		"--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ\r\n",
		"--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ  ",
		"--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZ\r",
		"--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n--XyZx--",
		"--XyZ\r\nContent-Disposition: form-data; na",
		"--XyZ\r\n",
		"--XyZ",
		"--XyZ  \t",
	};
	for (size_t i = 0; i < sizeof trunc / sizeof *trunc; i++) {
		err = NULL;
		CHECK_INT(mp(CT, trunc[i], strlen(trunc[i]), NULL, &f, &u, &err), 400);
		CHECK(msg_ok(err));
	}
	err = NULL;
	CHECK_INT(mp(CT, "", 0, NULL, &f, &u, &err), 400);
	CHECK(msg_ok(err));
	CHECK_INT(mp(CT, NULL, 0, NULL, &f, &u, &err), 400);
	CHECK_INT(mp(CT, "hello", 5, NULL, &f, &u, &err), 400);
	CHECK_INT(mp(CT, "--XyZx\r\n--XyZ", 13, NULL, &f, &u, &err), 400);

	/* an empty form is fine */
	CHECK_INT(mp(CT, "--XyZ--\r\n", 9, NULL, &f, &u, &err), 0);
	CHECK_INT(f.n + u.n, 0);

	/* transport padding after the boundary; "--XyZx" is data */
	const char *pad = "--XyZ \t\r\nContent-Disposition: form-data; name=a\r\n\r\n"
			  "1\r\n--XyZx\r\n--XyZ-x\r\n--XyZ  \r\n"
			  "Content-Disposition: form-data; name=b\r\n\r\n2\r\n--XyZ--";
	CHECK_INT(mp(CT, pad, strlen(pad), NULL, &f, &u, &err), 0);
	CHECK_STR(kv_get(&f, "a"), "1\r\n--XyZx\r\n--XyZ-x");
	CHECK_STR(kv_get(&f, "b"), "2");
	/* a CR after the padding that is not CRLF: data too */
	const char *cr = "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n"
			 "1\r\n--XyZ \rx\r\n--XyZ--";
	CHECK_INT(mp(CT, cr, strlen(cr), NULL, &f, &u, &err), 0);
	CHECK_STR(kv_get(&f, "a"), "1\r\n--XyZ \rx");

	/* a part with no body at all (headers, then the next delimiter) */
	const char *nobody = "--XyZ\r\nContent-Disposition: form-data; name=a\r\n"
			     "\r\n--XyZ--";
	CHECK_INT(mp(CT, nobody, strlen(nobody), NULL, &f, &u, &err), 0);
	CHECK_STR(kv_get(&f, "a"), "");

	/* LF-only line ends are not multipart */
	const char *lf = "--XyZ\nContent-Disposition: form-data; name=a\n\n1\n--XyZ--\n";
	CHECK_INT(mp(CT, lf, strlen(lf), NULL, &f, &u, &err), 400);
}

static void test_multipart_parts(void)
{
	kvlist_t f;
	uploadlist_t u;
	const char *err;
	char body[1024];

#define PART(hdrs, data) "--XyZ\r\n" hdrs "\r\n\r\n" data "\r\n--XyZ--\r\n"
#define RUN(s) mp(CT, s, sizeof(s) - 1, NULL, &f, &u, &err)

	/* path stripping */
	const char *paths[][2] = {
		{"C:\\Users\\a\\b.pdf", "b.pdf"},
		{"../../x", "x"},
		{"/etc/passwd", "passwd"},
		{"a/b\\c/中文 名.docx", "中文 名.docx"},
		{"plain.txt", "plain.txt"},
		{"..a", "..a"},
	};
	for (size_t i = 0; i < sizeof paths / sizeof *paths; i++) {
		snprintf(body, sizeof body, PART("Content-Disposition: form-data; name=\"f\"; filename=\"%s\"", "data"), paths[i][0]);
		CHECK_INT(mp(CT, body, strlen(body), NULL, &f, &u, &err), 0);
		CHECK_INT(u.n, 1);
		if (u.n == 1) {
			CHECK_STR(u.v[0].filename, paths[i][1]);
			CHECK_STR(u.v[0].content_type, "application/octet-stream");
			CHECK_INT(u.v[0].len, 4);
		}
	}
	/* filenames that are nothing after stripping, or hold control bytes */
	const char *badnames[] = {"..", ".", "a/..", "dir/", "C:\\", "a\tb.txt", "a\x01.txt", "a\x7f", "\xD6\xD0.txt"};
	for (size_t i = 0; i < sizeof badnames / sizeof *badnames; i++) {
		snprintf(body, sizeof body, PART("Content-Disposition: form-data; name=\"f\"; filename=\"%s\"", "data"), badnames[i]);
		err = NULL;
		CHECK_INT(mp(CT, body, strlen(body), NULL, &f, &u, &err), 400);
		CHECK(msg_ok(err) && strstr(err, "文件名"));
	}
	/* empty filename: skipped whatever the data */
	CHECK_INT(RUN(PART("Content-Disposition: form-data; name=\"f\"; filename=\"\"", "junk")), 0);
	CHECK_INT(u.n + f.n, 0);
	/* a file field's data need not be UTF-8; a text field's must */
	CHECK_INT(RUN(PART("Content-Disposition: form-data; name=f; filename=a.txt", "\xD6\xD0")), 0);
	CHECK_INT(u.n, 1);
	CHECK_INT(RUN(PART("Content-Disposition: form-data; name=t", "\xD6\xD0\xCE\xC4")), 400);
	CHECK(msg_ok(err) && strstr(err, "UTF-8"));
	CHECK_INT(RUN(PART("Content-Disposition: form-data; name=t", "\xC0\xAF")), 400);
	CHECK_INT(RUN(PART("Content-Disposition: form-data; name=t", "a\0b")), 400);
	CHECK_INT(RUN(PART("Content-Disposition: form-data; name=\"\xD6\xD0\"", "x")), 400);
	CHECK_INT(RUN(PART("Content-Disposition: form-data; name=\"a\x01\"", "x")), 400);
	/* empty name: skipped */
	CHECK_INT(RUN(PART("Content-Disposition: form-data; name=\"\"", "x")), 0);
	CHECK_INT(f.n, 0);

	/* bad part headers */
	CHECK_INT(RUN(PART("Content-Type: text/plain", "x")), 400);          /* no disposition */
	CHECK(msg_ok(err));
	CHECK_INT(RUN(PART("Content-Disposition: attachment; name=a", "x")), 400);
	CHECK_INT(RUN(PART("Content-Disposition: form-data", "x")), 400);    /* no name */
	CHECK_INT(RUN(PART("Content-Disposition: form-data; name=a; name=b", "x")), 400);
	CHECK_INT(RUN(PART("Content-Disposition: form-data; name=a\r\nContent-Disposition: form-data; name=b", "x")), 400);
	CHECK_INT(RUN(PART("Content-Disposition: form-data; name=\"a", "x")), 400);
	CHECK_INT(RUN(PART("Content-Disposition: form-data; name", "x")), 400);
	CHECK_INT(RUN(PART("Content-Disposition form-data; name=a", "x")), 400);   /* no colon */
	CHECK_INT(RUN(PART(": x\r\nContent-Disposition: form-data; name=a", "x")), 400);
	CHECK_INT(RUN(PART("Content-Disposition: form-data;\r\n name=a", "x")), 400);  /* folding */
	CHECK_INT(RUN(PART("Content-Disposition: form-data; name=a\rX: y", "x")), 400);
	CHECK_INT(RUN(PART("Content-Disposition: form-data; name=a\nX: y", "x")), 400);
	CHECK_INT(RUN(PART("Content-Disposition: form-data; name=a\r\nX: \0", "x")), 400);
	CHECK_INT(RUN(PART("Content-Disposition: form-data; name=a; filename=b\r\nContent-Type: a\x01", "x")), 400);
	CHECK_INT(RUN(PART("Content Disposition: form-data; name=a", "x")), 400);
	CHECK_INT(RUN(PART("Content-Disposition: form-data; name=a; filename=b; filename=c", "x")), 400);
	CHECK_INT(RUN(PART("Content-Disposition: form-data; name=a; filename=b\r\nContent-Type: a\r\ncontent-type: b", "x")), 400);
	CHECK_INT(RUN("--XyZ\r\n\r\nno headers\r\n--XyZ--"), 400);
	CHECK_INT(RUN("--XyZ\r\n\r\n--XyZ--"), 400);
	CHECK_INT(RUN("--XyZ\r\nContent-Disposition: form-data; name=a\r\n--XyZ--"), 400);
	/* spaces around header values and parameters are trimmed */
	CHECK_INT(RUN(PART("Content-Disposition:form-data ;  name = \"a b\" ;filename=  x.txt  \t\r\n"
			   "Content-Type:   text/csv  ", "v")), 0);
	CHECK_INT(u.n, 1);
	if (u.n == 1) {
		CHECK_STR(u.v[0].field, "a b");
		CHECK_STR(u.v[0].filename, "x.txt");
		CHECK_STR(u.v[0].content_type, "text/csv");
	}
	/* unknown headers and parameters are ignored */
	CHECK_INT(RUN(PART("X-Whatever: 1\r\nContent-Disposition: form-data; name=\"a\"; filename*=UTF-8''x; foo=bar", "v")), 0);
	CHECK_STR(kv_get(&f, "a"), "v");
	/* a backslash in a quoted value is just a character */
	CHECK_INT(RUN(PART("Content-Disposition: form-data; name=\"f\"; filename=\"a\\\\b\\c.txt\"", "")), 0);
	CHECK_INT(u.n, 1);
	if (u.n == 1)
		CHECK_STR(u.v[0].filename, "c.txt");
	/* duplicate fields are all kept */
	CHECK_INT(RUN("--XyZ\r\nContent-Disposition: form-data; name=c\r\n\r\n1\r\n"
		      "--XyZ\r\nContent-Disposition: form-data; name=c\r\n\r\n2\r\n--XyZ--"), 0);
	CHECK_INT(kv_count(&f, "c"), 2);
	CHECK_STR(kv_get_nth(&f, "c", 1), "2");
#undef RUN
#undef PART
}

static void test_multipart_limits(void)
{
	parse_limits_t lim = PARSE_DEFAULT_LIMITS;
	kvlist_t f;
	uploadlist_t u;
	const char *err;
	buf_t b = BUF_INIT;

	/* header block: 8192 bytes ok, 8193 -> 400 */
	for (int extra = 0; extra <= 1; extra++) {
		const char *cd = "Content-Disposition: form-data; name=a\r\n";
		buf_reset(&b);
		buf_puts(&b, "--XyZ\r\n");
		buf_puts(&b, cd);
		size_t want = 8192 + (size_t)extra - strlen(cd) - strlen("X-Pad: \r\n");
		buf_puts(&b, "X-Pad: ");
		for (size_t i = 0; i < want; i++)
			buf_putc(&b, 'p');
		buf_puts(&b, "\r\n\r\nv\r\n--XyZ--");
		err = NULL;
		CHECK_INT(mp(CT, b.data, b.len, NULL, &f, &u, &err), extra ? 400 : 0);
		if (extra)
			CHECK_STR(err, "请求格式不正确：表单中某一部分的头部过长（最多 8 KB）。");
		else
			CHECK_STR(kv_get(&f, "a"), "v");
	}
	/* one endless header line */
	buf_reset(&b);
	buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=a; x=");
	for (int i = 0; i < 100000; i++)
		buf_putc(&b, 'y');
	buf_puts(&b, "\r\n\r\nv\r\n--XyZ--");
	CHECK_INT(mp(CT, b.data, b.len, NULL, &f, &u, &err), 400);
	CHECK(strstr(err, "8 KB") != NULL);

	/* 20 files fine, 21 -> 413; empty file inputs do not count */
	for (int nf = 20; nf <= 21; nf++) {
		buf_reset(&b);
		for (int i = 0; i < nf; i++)
			buf_printf(&b, "--XyZ\r\nContent-Disposition: form-data; name=\"f\"; filename=\"%d.jpg\"\r\n\r\nJPEG%d\r\n"
				       "--XyZ\r\nContent-Disposition: form-data; name=\"g\"; filename=\"\"\r\n\r\n\r\n", i, i);
		buf_puts(&b, "--XyZ--\r\n");
		err = NULL;
		CHECK_INT(mp(CT, b.data, b.len, NULL, &f, &u, &err), nf == 20 ? 0 : 413);
		if (nf == 20) {
			CHECK_INT(u.n, 20);
			CHECK_STR(u.v[19].filename, "19.jpg");
			CHECK_INT(u.v[19].len, 6);
			CHECK_INT(kv_count(&f, "f"), 0);
		} else {
			CHECK_STR(err, "上传的文件过多（一次最多 20 个），请分批上传。");
		}
	}

	/* file size: exactly max_file ok, one byte more 413 */
	lim.max_file = 1000;
	for (int extra = 0; extra <= 1; extra++) {
		buf_reset(&b);
		buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=f; filename=big.bin\r\n\r\n");
		for (int i = 0; i < 1000 + extra; i++)
			buf_putc(&b, (char)(i & 0xff));
		buf_puts(&b, "\r\n--XyZ--");
		err = NULL;
		CHECK_INT(mp(CT, b.data, b.len, &lim, &f, &u, &err), extra ? 413 : 0);
		if (extra)
			CHECK(msg_ok(err) && !strstr(err, "10 MB"));
		else
			CHECK_INT(u.v[0].len, 1000);
	}
	lim = PARSE_DEFAULT_LIMITS;
	/* and the real 20 MB default (a 100,000-row roster), with a 21 MB file */
	buf_reset(&b);
	buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=f; filename=big.bin\r\n\r\n");
	buf_grow(&b, 21u << 20);
	memset(b.data + b.len, 0, 21u << 20);
	b.len += 21u << 20;
	buf_puts(&b, "\r\n--XyZ--");
	err = NULL;
	CHECK_INT(mp(CT, b.data, b.len, NULL, &f, &u, &err), 413);
	CHECK_STR(err, "上传的文件过大（单个文件最多 20 MB），请压缩或拆分后再上传。");

	/* text fields: count and value size */
	lim.max_fields = 2;
	lim.max_value = 3;
	const char *three = "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1\r\n"
			    "--XyZ\r\nContent-Disposition: form-data; name=b; filename=x\r\n\r\n1234\r\n"
			    "--XyZ\r\nContent-Disposition: form-data; name=c\r\n\r\n123\r\n"
			    "--XyZ\r\nContent-Disposition: form-data; name=d\r\n\r\n1\r\n--XyZ--";
	CHECK_INT(mp(CT, three, strlen(three), &lim, &f, &u, &err), 413);
	CHECK(msg_ok(err) && strstr(err, "字段过多"));
	lim.max_fields = 3;
	CHECK_INT(mp(CT, three, strlen(three), &lim, &f, &u, &err), 0);
	CHECK_INT(f.n, 3);
	CHECK_INT(u.n, 1);
	const char *longv = "--XyZ\r\nContent-Disposition: form-data; name=a\r\n\r\n1234\r\n--XyZ--";
	CHECK_INT(mp(CT, longv, strlen(longv), &lim, &f, &u, &err), 413);
	CHECK(msg_ok(err) && strstr(err, "过长"));
	lim.max_name = 1;
	const char *longn = "--XyZ\r\nContent-Disposition: form-data; name=ab\r\n\r\n1\r\n--XyZ--";
	CHECK_INT(mp(CT, longn, strlen(longn), &lim, &f, &u, &err), 400);
	buf_free(&b);
}

/* A body saved from a browser-style form, kept as a fixture file. */
static void test_multipart_fixture(void)
{
	FILE *fp = fopen("tests/fixtures/multipart/apply.txt", "rb");
	kvlist_t f;
	uploadlist_t u;
	const char *err;
	char buf[8192];
	size_t n;

	CHECK(fp != NULL);
	if (!fp)
		return;
	n = fread(buf, 1, sizeof buf, fp);
	fclose(fp);
	CHECK_INT(mp("multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW",
		     buf, n, NULL, &f, &u, &err), 0);
	CHECK_STR(kv_get(&f, "student_name"), "李小明");
	CHECK_STR(kv_get(&f, "reason"), "家庭经济困难，\r\n父母务农。");
	CHECK_INT(kv_count(&f, "hardship"), 2);
	CHECK_STR(kv_get_nth(&f, "hardship", 1), "单亲家庭");
	CHECK_INT(u.n, 1);
	if (u.n == 1) {
		CHECK_STR(u.v[0].field, "proof");
		CHECK_STR(u.v[0].filename, "低保证明.pdf");
		CHECK_STR(u.v[0].content_type, "application/pdf");
		CHECK(u.v[0].len == 16 && memcmp(u.v[0].data, "%PDF-1.4\n\0\r\n--\r\n", 16) == 0);
	}
}

/* Inputs found by fuzzing, or shaped like what a fuzzer finds. */
static void test_hostile(void)
{
	kvlist_t f;
	uploadlist_t u;
	const char *err;
	buf_t b = BUF_INIT;

	/* many almost-delimiters: still linear, still correct */
	buf_puts(&b, "--XyZ\r\nContent-Disposition: form-data; name=f; filename=x\r\n\r\n");
	for (int i = 0; i < 200000; i++)
		buf_puts(&b, "\r\n--XyZ!");
	buf_puts(&b, "\r\n--XyZ--");
	CHECK_INT(mp(CT, b.data, b.len, NULL, &f, &u, &err), 0);
	CHECK_INT(u.n, 1);
	if (u.n == 1)
		CHECK_INT(u.v[0].len, 200000 * 8);
	/* a body of delimiters only, and of CRLFs only */
	buf_reset(&b);
	for (int i = 0; i < 100000; i++)
		buf_puts(&b, "--XyZ\r\n");
	CHECK_INT(mp(CT, b.data, b.len, NULL, &f, &u, &err), 400);
	buf_reset(&b);
	for (int i = 0; i < 100000; i++)
		buf_puts(&b, "\r\n");
	CHECK_INT(mp(CT, b.data, b.len, NULL, &f, &u, &err), 400);
	/* a million empty pairs */
	buf_reset(&b);
	for (int i = 0; i < 1000000; i++)
		buf_putc(&b, '&');
	f = (kvlist_t){0};
	CHECK_INT(parse_urlencoded(&A, b.data, b.len, NULL, &f, &err), 0);
	CHECK_INT(f.n, 0);
	buf_free(&b);
}

int main(void)
{
	arena_init(&A);
	test_url_decode();
	test_utf8();
	test_kv();
	test_urlencoded();
	test_urlencoded_limits();
	arena_reset(&A);
	test_cookies();
	test_multipart_basic();
	test_multipart_framing();
	test_multipart_parts();
	test_multipart_limits();
	test_multipart_fixture();
	test_hostile();
	arena_free(&A);
	free(last_body);
	TEST_MAIN_END();
}
