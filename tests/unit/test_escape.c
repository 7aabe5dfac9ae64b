/* test_escape.c - html_escape and url_escape. */
#include "test.h"
#include "core/buf.h"
#include "http/escape.h"
#include <stdlib.h>

static buf_t b = BUF_INIT;

static const char *html(const char *s)
{
	buf_reset(&b);
	html_escape(&b, s, strlen(s));
	return buf_cstr(&b);
}

static const char *url(const char *s)
{
	buf_reset(&b);
	url_escape(&b, s, strlen(s));
	return buf_cstr(&b);
}

static void test_html(void)
{
	CHECK_STR(html("<script>alert(1)</script>"), "&lt;script&gt;alert(1)&lt;/script&gt;");
	CHECK_STR(html("\"onmouseover="), "&quot;onmouseover=");
	CHECK_STR(html("' OR 1=1 --"), "&#39; OR 1=1 --");
	CHECK_STR(html("&amp;"), "&amp;amp;");
	CHECK_STR(html("foo+bar"), "foo+bar");
	CHECK_STR(html("with space"), "with space");
	CHECK_STR(html("😀"), "😀");
	CHECK_STR(html("学生资助管理"), "学生资助管理");
	CHECK_STR(html("张三<b>"), "张三&lt;b&gt;");
	CHECK_STR(html("<>&\"'"), "&lt;&gt;&amp;&quot;&#39;");
	CHECK_STR(html("a&b&c"), "a&amp;b&amp;c");
	CHECK_STR(html("x>"), "x&gt;");

	/* empty input appends nothing and leaves a fresh buffer untouched */
	buf_t e = BUF_INIT;
	html_escape(&e, "", 0);
	CHECK_INT(e.len, 0);
	CHECK(e.data == NULL);
	CHECK_STR(buf_cstr(&e), "");

	/* appends, does not replace */
	buf_reset(&b);
	buf_puts(&b, "<p>");
	html_escape(&b, "1<2", 3);
	CHECK_STR(buf_cstr(&b), "<p>1&lt;2");

	/* only n bytes are read; embedded NUL passes through */
	buf_reset(&b);
	html_escape(&b, "a<b<c", 2);
	CHECK_STR(buf_cstr(&b), "a&lt;");
	buf_reset(&b);
	html_escape(&b, "a\0<", 3);
	CHECK_INT(b.len, 6);
	CHECK(memcmp(b.data, "a\0&lt;", 6) == 0);

	/* invalid UTF-8 is passed through, never turned into markup */
	CHECK_STR(html("\xff\xfe<"), "\xff\xfe&lt;");

	/* 1 MB: plain text is copied intact; every special byte expanded */
	size_t n = 1 << 20;
	char *big = malloc(n + 1);
	for (size_t i = 0; i < n; i++)
		big[i] = (char)('a' + i % 26);
	big[n] = '\0';
	buf_reset(&b);
	html_escape(&b, big, n);
	CHECK_INT(b.len, n);
	CHECK(memcmp(b.data, big, n) == 0);
	for (size_t i = 0; i < n; i += 1000)
		big[i] = '<';
	buf_reset(&b);
	html_escape(&b, big, n);
	size_t nlt = (n + 999) / 1000;
	CHECK_INT(b.len, n + 3 * nlt);
	CHECK(memcmp(b.data, "&lt;bcd", 7) == 0);
	CHECK(memcmp(b.data + 1000 + 3, "&lt;", 4) == 0);
	CHECK_INT(strlen(b.data), b.len);
	free(big);
}

static void test_url(void)
{
	CHECK_STR(url("foo+bar"), "foo%2Bbar");
	CHECK_STR(url("with space"), "with%20space");
	CHECK_STR(url("a/b?c=d&e"), "a%2Fb%3Fc%3Dd%26e");
	CHECK_STR(url("中文"), "%E4%B8%AD%E6%96%87");
	CHECK_STR(url("AZaz09-._~"), "AZaz09-._~");
	CHECK_STR(url("<\"'>"), "%3C%22%27%3E");
	CHECK_STR(url("100%"), "100%25");
	CHECK_STR(url("\xff\n"), "%FF%0A");
	CHECK_STR(url(""), "");
	buf_reset(&b);
	url_escape(&b, "a\0b", 3);
	CHECK_STR(buf_cstr(&b), "a%00b");
}

int main(void)
{
	test_html();
	test_url();
	buf_free(&b);
	TEST_MAIN_END();
}
