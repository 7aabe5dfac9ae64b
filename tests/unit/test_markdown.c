/* Tests for Markdown rendering: hostile input never yields script. */
#include "domain/markdown.h"
#include "test.h"
#include <stdlib.h>

static void no_script(const char *md)
{
	char *h = markdown_html(md, strlen(md));
	CHECK(h != NULL);
	if (!h)
		return;
	int bad = strstr(h, "<script") || strstr(h, "javascript:") || strstr(h, "onerror=") ||
		  strstr(h, "<iframe") || strstr(h, "vbscript:") || strstr(h, "onclick=") || strstr(h, "<img src=x");
	CHECK(!bad);
	if (bad)
		fprintf(stderr, "  unsafe output for %s:\n%s\n", md, h);
	free(h);
}

int main(void)
{
	char *h = markdown_html("# 资助政策\n\n**寄宿生**每学期 625 元。", strlen("# 资助政策\n\n**寄宿生**每学期 625 元。"));
	CHECK(strstr(h, "<h1>资助政策</h1>") != NULL);
	CHECK(strstr(h, "<strong>寄宿生</strong>") != NULL);
	free(h);
	no_script("<script>alert(1)</script>");
	no_script("hello <script>alert(1)</script> world");
	no_script("[点我](javascript:alert(1))");
	no_script("[点我](JAVASCRIPT:alert(1))");
	no_script("[x](vbscript:msgbox(1))");
	no_script("<img src=x onerror=alert(1)>");
	no_script("![x](javascript:alert(1))");
	no_script("<iframe src=\"https://evil.example\"></iframe>");
	no_script("<a href=\"#\" onclick=\"alert(1)\">x</a>");
	no_script("`<script>` in code is text");
	no_script("<scr<script>ipt>alert(1)</script>");
	/* a text of plain angle brackets is escaped, not dropped */
	h = markdown_html("a < b & c > d", 13);
	CHECK(strstr(h, "a &lt; b &amp; c &gt; d") != NULL);
	free(h);
	/* empty and huge input */
	h = markdown_html("", 0);
	CHECK(h != NULL);
	free(h);
	size_t n = 1 << 20;
	char *big = malloc(n + 1);
	memset(big, '*', n);
	big[n] = '\0';
	h = markdown_html(big, n);
	CHECK(h != NULL);
	free(h);
	free(big);
	TEST_MAIN_END();
}
