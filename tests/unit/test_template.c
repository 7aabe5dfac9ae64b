/* test_template.c - the template engine: syntax, scopes, filters, partials,
 * the recursion limit and load errors with file:line.
 *
 * Fixtures live in tests/fixtures/templates/good (loads cleanly) and
 * tests/fixtures/templates/bad/<case>/ (one broken set per case). Small
 * one-off templates are written to a fresh temporary directory by R(). */
#include "test.h"
#include "core/buf.h"
#include "tmpl/template.h"
#include <stdlib.h>
#include <unistd.h>

#define GOOD "tests/fixtures/templates/good"
#define BAD "tests/fixtures/templates/bad/"

static char out_text[8192];

/* Load src as the only template "t.html" of a fresh directory. Returns the
 * set, or NULL with the message in err. */
static tmpl_set *load_inline(const char *src, char *err, size_t errlen)
{
	char dir[] = "/tmp/zz_tmpl_XXXXXX", path[64];
	tmpl_set *set;
	FILE *f;

	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		exit(2);
	}
	snprintf(path, sizeof path, "%s/t.html", dir);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		exit(2);
	}
	fputs(src, f);
	fclose(f);
	set = tmpl_load(dir, err, errlen);
	unlink(path);
	rmdir(dir);
	return set;
}

/* Render the template text src with the JSON text ctx. Returns the output,
 * or "LOAD: message" / "RENDER: message". */
static const char *R(const char *src, const char *ctx_json)
{
	char err[256] = "";
	json_error_t jerr;
	json_t *ctx = json_loads(ctx_json, 0, &jerr);
	tmpl_set *set;
	buf_t out = BUF_INIT;

	if (!ctx) {
		fprintf(stderr, "bad test JSON: %s: %s\n", ctx_json, jerr.text);
		exit(2);
	}
	set = load_inline(src, err, sizeof err);
	if (!set) {
		snprintf(out_text, sizeof out_text, "LOAD: %s", err);
	} else if (tmpl_render(set, "t.html", ctx, &out, err, sizeof err) < 0) {
		snprintf(out_text, sizeof out_text, "RENDER: %s", err);
	} else {
		snprintf(out_text, sizeof out_text, "%s", buf_cstr(&out));
	}
	buf_free(&out);
	tmpl_free(set);
	json_decref(ctx);
	return out_text;
}

/* The load error of a broken fixture set ("" if it loaded). */
static const char *load_error(const char *dir)
{
	static char err[256];
	tmpl_set *set;

	err[0] = '\0';
	set = tmpl_load(dir, err, sizeof err);
	if (set) {
		tmpl_free(set);
		return "(loaded)";
	}
	return err;
}

static void test_print(void)
{
	CHECK_STR(R("Hello {{name}}!", "{\"name\":\"张三\"}"), "Hello 张三!");
	CHECK_STR(R("[{{ name }}|{{   name}}|{{name   }}]", "{\"name\":\"x\"}"), "[x|x|x]");
	CHECK_STR(R("no tags at all\n", "{}"), "no tags at all\n");
	CHECK_STR(R("", "{}"), "");
	CHECK_STR(R("a } b }} c", "{}"), "a } b }} c");

	/* every JSON type */
	CHECK_STR(R("{{i}}|{{n}}|{{r}}|{{z}}|{{t}}|{{f}}|{{nul}}|{{o}}|{{a}}|{{missing}}|",
		    "{\"i\":42,\"n\":-3,\"r\":2.5,\"z\":0.1,\"t\":true,\"f\":false,"
		    "\"nul\":null,\"o\":{\"k\":1},\"a\":[1,2]}"),
		  "42|-3|2.5|0.1|true|false|||||");
	CHECK_STR(R("{{big}}", "{\"big\":322258750000}"), "322258750000");
	CHECK_STR(R("[{{ . }}]", "{\"a\":1}"), "[]");

	/* hostile values: in text, in double- and single-quoted attributes */
	CHECK_STR(R("<p>{{v}}</p>", "{\"v\":\"<script>alert(1)</script>\"}"),
		  "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>");
	CHECK_STR(R("<a title=\"{{v}}\">", "{\"v\":\"\\\"onmouseover=alert(1) x=\\\"\"}"),
		  "<a title=\"&quot;onmouseover=alert(1) x=&quot;\">");
	CHECK_STR(R("<a title='{{v}}'>", "{\"v\":\"' OR 1=1 --\"}"),
		  "<a title='&#39; OR 1=1 --'>");
	CHECK_STR(R("{{v}}", "{\"v\":\"&amp;\"}"), "&amp;amp;");
	/* a value that looks like a tag is data, not template */
	CHECK_STR(R("{{v}}", "{\"v\":\"{{secret}}\"}"), "{{secret}}");
}

static void test_paths(void)
{
	const char *ctx = "{\"a\":{\"b\":{\"c\":\"deep\"}},"
			  "\"items\":[{\"name\":\"甲\",\"tags\":[\"x\",\"y\"]},{\"name\":\"乙\"}],"
			  "\"m\":{\"2025\":\"year\"},\"s\":\"str\"}";

	CHECK_STR(R("{{a.b.c}}", ctx), "deep");
	CHECK_STR(R("{{items.0.name}},{{items.1.name}}", ctx), "甲,乙");
	CHECK_STR(R("{{items.0.tags.1}}", ctx), "y");
	CHECK_STR(R("{{m.2025}}", ctx), "year");
	/* missing anywhere along the way prints nothing */
	CHECK_STR(R("[{{a.x.c}}][{{items.5.name}}][{{nope.b}}][{{s.len}}][{{a.b.c.d}}]", ctx),
		  "[][][][][]");
	/* @names outside #each are missing */
	CHECK_STR(R("[{{@index}}{{@num}}{{@first}}]", ctx), "[]");
}

static void test_safe(void)
{
	json_t *ctx = json_object();
	json_t *fake = json_pack("{s:s, s:s}", "__safe_html__", "<i>", "x", "y");
	buf_t out = BUF_INIT;
	char err[256];
	tmpl_set *set = tmpl_load(GOOD, err, sizeof err);

	CHECK(set != NULL);
	if (!set)
		return;
	json_object_set_new(ctx, "title", json_string("<通知>"));
	json_object_set_new(ctx, "body", tmpl_safe("<p>公告 &amp; 说明</p>"));
	CHECK(tmpl_is_safe(json_object_get(ctx, "body")));
	CHECK(!tmpl_is_safe(json_object_get(ctx, "title")));
	CHECK(!tmpl_is_safe(fake));
	CHECK(!tmpl_is_safe(NULL));

	CHECK_INT(tmpl_render(set, "layout.html", ctx, &out, err, sizeof err), 0);
	CHECK_STR(buf_cstr(&out), "<!doctype html>\n<title>&lt;通知&gt; - 资助系统</title>\n"
				  "<main><p>公告 &amp; 说明</p></main>\n");

	/* an object with an extra key is not safe: prints nothing */
	json_object_set_new(ctx, "body", fake);
	buf_reset(&out);
	CHECK_INT(tmpl_render(set, "layout.html", ctx, &out, err, sizeof err), 0);
	CHECK(strstr(buf_cstr(&out), "<main></main>") != NULL);

	/* tmpl_safe(NULL) is the empty string */
	json_object_set_new(ctx, "body", tmpl_safe(NULL));
	buf_reset(&out);
	CHECK_INT(tmpl_render(set, "layout.html", ctx, &out, err, sizeof err), 0);
	CHECK(strstr(buf_cstr(&out), "<main></main>") != NULL);

	buf_free(&out);
	json_decref(ctx);
	tmpl_free(set);

	/* through any filter a safe value becomes an ordinary, escaped string */
	json_t *c2 = json_object();
	json_object_set_new(c2, "h", tmpl_safe("<b>x</b>"));
	json_object_set_new(c2, "e", tmpl_safe(""));
	set = load_inline("{{h}}|{{h | date}}|{{h | len}}|{{h | mask_name}}|{{h | url}}|{{h | yuan}}|"
			  "{{#if h}}T{{/if}}{{#if e}}E{{else}}e{{/if}}{{#if h == \"<b>x</b>\"}}=={{/if}}",
			  err, sizeof err);
	CHECK(set != NULL);
	if (set) {
		buf_init(&out);
		CHECK_INT(tmpl_render(set, "t.html", c2, &out, err, sizeof err), 0);
		CHECK_STR(buf_cstr(&out), "<b>x</b>|&lt;b&gt;x&lt;/b&gt;|8|&lt;******&gt;|"
					  "%3Cb%3Ex%3C%2Fb%3E||Te==");
		buf_free(&out);
		tmpl_free(set);
	}
	json_decref(c2);
}

static void test_each(void)
{
	const char *list = "{\"xs\":[\"a\",\"<b>\",\"c\"],\"empty\":[],\"str\":\"abc\",\"obj\":{\"k\":1}}";
	const char *t = "{{#each xs}}[{{@index}}/{{@num}}/{{@first}}/{{@last}}:{{.}}]"
			"{{else}}none{{/each}}";

	CHECK_STR(R(t, list), "[0/1/true/false:a][1/2/false/false:&lt;b&gt;][2/3/false/true:c]");
	CHECK_STR(R("{{#each xs}}{{#if @first}}first {{/if}}{{.}}{{#unless @last}}, {{/unless}}{{/each}}",
		    list), "first a, &lt;b&gt;, c");
	CHECK_STR(R("{{#each empty}}x{{else}}none{{/each}}", list), "none");
	CHECK_STR(R("{{#each missing}}x{{else}}none{{/each}}", list), "none");
	CHECK_STR(R("{{#each str}}x{{else}}none{{/each}}", list), "none");
	CHECK_STR(R("{{#each obj}}x{{else}}none{{/each}}", list), "none");
	CHECK_STR(R("{{#each empty}}x{{/each}}|", list), "|");
	CHECK_STR(R("{{#each xs}}{{/each}}|", list), "|");
	CHECK_STR(R("{{#each xs}}{{@num}}{{else}}{{/each}}", list), "123");
	/* a one-element list is both first and last */
	CHECK_STR(R("{{#each xs}}{{@first}}{{@last}}{{/each}}", "{\"xs\":[1]}"), "truetrue");

	/* nested: inner names shadow outer ones, outer ones stay visible,
	 * @index is the innermost loop's, "." the innermost element */
	const char *school = "{\"school\":\"一中\",\"name\":\"root\",\"classes\":["
			     "{\"cname\":\"1班\",\"name\":\"c1\",\"students\":[{\"name\":\"张三\"},{\"name\":\"李四\"}]},"
			     "{\"cname\":\"2班\",\"name\":\"c2\",\"students\":[]},"
			     "{\"cname\":\"3班\",\"name\":\"c3\",\"students\":[{\"name\":\"王五\",\"school\":\"二中\"}]}]}";
	CHECK_STR(R("{{#each classes}}{{name}}:{{#each students}}{{school}}/{{cname}}/{{name}}@{{@index}};"
		    "{{else}}空;{{/each}}{{/each}}{{name}}", school),
		  "c1:一中/1班/张三@0;一中/1班/李四@1;c2:空;c3:二中/3班/王五@0;root");
	CHECK_STR(R("{{#each classes}}{{#each students}}{{@num}}{{/each}}{{@num}} {{/each}}", school),
		  "121 2 13 ");
	/* an #each of scalars: outer names still found through the scalar scope */
	CHECK_STR(R("{{#each xs}}{{sep}}{{.}}{{/each}}", "{\"xs\":[1,2],\"sep\":\"-\"}"), "-1-2");
	/* a numeric segment indexes an array element */
	CHECK_STR(R("{{#each rows}}{{r.0}}={{r.1}};{{/each}}", "{\"rows\":[{\"r\":[\"a\",1]},{\"r\":[\"b\",2]}]}"),
		  "a=1;b=2;");
	/* 序号 column across a table */
	CHECK_STR(R("<table>{{#each rows}}<tr><td>{{@num}}</td><td>{{name | mask_name}}</td></tr>{{/each}}</table>",
		    "{\"rows\":[{\"name\":\"张小明\"},{\"name\":\"欧阳小明\"}]}"),
		  "<table><tr><td>1</td><td>张*明</td></tr><tr><td>2</td><td>欧**明</td></tr></table>");
}

static void test_conditions(void)
{
	const char *ctx = "{\"status\":\"draft\",\"count\":3,\"neg\":-1,\"zero\":0,\"zr\":0.0,\"r\":0.5,"
			  "\"es\":\"\",\"s0\":\"0\",\"ea\":[],\"eo\":{},\"a\":[0],\"o\":{\"k\":0},"
			  "\"t\":true,\"f\":false,\"n\":null,\"five\":5,\"sfive\":\"5\","
			  "\"other\":\"draft\",\"q\":\"say \\\"hi\\\" \\\\ ok\"}";

	/* truthiness */
	CHECK_STR(R("{{#if status}}1{{/if}}{{#if count}}2{{/if}}{{#if t}}3{{/if}}{{#if a}}4{{/if}}"
		    "{{#if o}}5{{/if}}{{#if s0}}6{{/if}}{{#if r}}7{{/if}}{{#if neg}}8{{/if}}", ctx),
		  "12345678");
	CHECK_STR(R("{{#if zero}}1{{/if}}{{#if zr}}2{{/if}}{{#if es}}3{{/if}}{{#if ea}}4{{/if}}"
		    "{{#if eo}}5{{/if}}{{#if f}}6{{/if}}{{#if n}}7{{/if}}{{#if missing}}8{{/if}}|", ctx),
		  "|");
	CHECK_STR(R("{{#if zero}}yes{{else}}no{{/if}}", ctx), "no");
	CHECK_STR(R("{{#unless zero}}yes{{else}}no{{/unless}}", ctx), "yes");
	CHECK_STR(R("{{#unless count}}yes{{else}}no{{/unless}}", ctx), "no");
	CHECK_STR(R("{{#unless count}}yes{{/unless}}|", ctx), "|");

	/* == and != with a string literal */
	CHECK_STR(R("{{#if status == \"draft\"}}草稿{{else}}其他{{/if}}", ctx), "草稿");
	CHECK_STR(R("{{#if status==\"submitted\"}}x{{else}}y{{/if}}", ctx), "y");
	CHECK_STR(R("{{#if status != \"draft\"}}x{{else}}y{{/if}}", ctx), "y");
	CHECK_STR(R("{{#unless status == \"draft\"}}x{{else}}y{{/unless}}", ctx), "y");
	CHECK_STR(R("{{#if q == \"say \\\"hi\\\" \\\\ ok\"}}esc{{/if}}", ctx), "esc");
	CHECK_STR(R("{{#if status == \"Draft\"}}x{{else}}case{{/if}}", ctx), "case");
	/* with an integer literal */
	CHECK_STR(R("{{#if count == 3}}a{{/if}}{{#if count != 3}}b{{/if}}{{#if count == 4}}c{{/if}}"
		    "{{#if neg == -1}}d{{/if}}{{#if zero == 0}}e{{/if}}{{#if missing == 0}}f{{/if}}", ctx),
		  "ade");
	/* integer vs string: compared as text */
	CHECK_STR(R("{{#if five == \"5\"}}a{{/if}}{{#if sfive == 5}}b{{/if}}{{#if sfive == 6}}c{{/if}}", ctx),
		  "ab");
	/* with another path */
	CHECK_STR(R("{{#if status == other}}a{{/if}}{{#if five == sfive}}b{{/if}}{{#if count == five}}c{{/if}}"
		    "{{#if count != five}}d{{/if}}{{#if missing == n}}e{{/if}}{{#if es == missing}}f{{/if}}", ctx),
		  "abdef");
	/* booleans and null by their string forms */
	CHECK_STR(R("{{#if t == true}}a{{/if}}{{#if t == \"true\"}}b{{/if}}{{#if f == false}}c{{/if}}"
		    "{{#if f != true}}d{{/if}}{{#if n == null}}e{{/if}}{{#if missing == \"\"}}f{{/if}}"
		    "{{#if es == null}}g{{/if}}{{#if status == null}}h{{/if}}", ctx),
		  "abcdefg");
	/* inside #each, comparing the element and @index */
	CHECK_STR(R("{{#each xs}}{{#if . == sel}}[{{.}}]{{else}}{{.}}{{/if}}{{#if @index != 2}},{{/if}}{{/each}}",
		    "{\"xs\":[\"a\",\"b\",\"c\"],\"sel\":\"b\"}"), "a,[b],c");
	CHECK_STR(R("{{#each xs}}{{#if @num == 2}}two{{/if}}{{/each}}", "{\"xs\":[7,8]}"), "two");
	/* filters in conditions */
	CHECK_STR(R("{{#if xs | len == 2}}two{{/if}}{{#if amount | yuan == \"312.50\"}}ok{{/if}}"
		    "{{#if xs | len == ys | len}}same{{/if}}",
		    "{\"xs\":[1,2],\"ys\":[3,4],\"amount\":31250}"), "twooksame");
	/* nested blocks with else in both */
	CHECK_STR(R("{{#if a}}{{#if b}}ab{{else}}a!b{{/if}}{{else}}{{#unless b}}!a!b{{else}}!ab{{/unless}}{{/if}}",
		    "{\"a\":1,\"b\":0}"), "a!b");
	CHECK_STR(R("{{#if a}}{{#if b}}ab{{else}}a!b{{/if}}{{else}}{{#unless b}}!a!b{{else}}!ab{{/unless}}{{/if}}",
		    "{\"a\":0,\"b\":1}"), "!ab");
}

static void test_filters(void)
{
	const char *ctx = "{\"fen\":31250,\"k\":125000,\"neg\":-31250,\"huge\":322258750000,\"w1\":3222587500,\"w2\":53081250,"
			  "\"d\":\"2025-03-05\",\"dt\":\"2025-03-05T14:03:00\",\"bad\":\"not a date<\","
			  "\"id\":\"110101199003071234\",\"phone\":\"13812345678\",\"iphone\":13812345678,"
			  "\"name\":\"张小明\",\"q\":\"a b&c/中\",\"xs\":[1,2,3],\"o\":{\"a\":1,\"b\":2},"
			  "\"s\":\"中文\",\"t\":true,\"r\":1.5}";

	CHECK_STR(R("{{fen | yuan}}", ctx), "312.50");
	CHECK_STR(R("{{k|yuan}} {{neg | yuan}}", ctx), "1,250.00 -312.50");
	CHECK_STR(R("{{huge | yuan}}", ctx), "3,222,587,500.00");
	/* 1 万元 = 1,000,000 fen; at least 4 decimals, more only when needed */
	CHECK_STR(R("{{w1 | wan}}", ctx), "3222.5875");
	CHECK_STR(R("{{w2 | wan}}", ctx), "53.08125");
	CHECK_STR(R("{{huge | wan}}", ctx), "322258.7500");
	CHECK_STR(R("[{{d | yuan}}{{r | yuan}}{{missing | yuan}}{{t | wan}}{{xs | wan}}]", ctx), "[]");
	CHECK_STR(R("{{d | date}}", ctx), "2025年3月5日");
	CHECK_STR(R("{{dt | date}}|{{dt | datetime}}", ctx), "2025年3月5日|2025年3月5日 14:03");
	CHECK_STR(R("{{bad | date}}|{{fen | date}}|{{missing | date}}|", ctx), "not a date&lt;|31250||");
	CHECK_STR(R("{{id | mask_id}}", ctx), "110101********1234");
	CHECK_STR(R("{{phone | mask_phone}}|{{iphone | mask_phone}}", ctx), "138****5678|138****5678");
	CHECK_STR(R("{{name | mask_name}}", ctx), "张*明");
	CHECK_STR(R("[{{xs | mask_name}}{{missing | mask_id}}]{{t | mask_name}}", ctx), "[]true");
	CHECK_STR(R("/list?q={{q | url}}", ctx), "/list?q=a%20b%26c%2F%E4%B8%AD");
	CHECK_STR(R("{{fen | url}} {{t | url}} [{{missing | url}}{{o | url}}]", ctx), "31250 true []");
	CHECK_STR(R("{{xs | len}} {{o | len}} {{s | len}} {{missing | len}} {{fen | len}}", ctx),
		  "3 2 6 0 31250");
	/* chains, left to right, escaping last */
	CHECK_STR(R("{{name | mask_name | url}}", ctx), "%E5%BC%A0%2A%E6%98%8E");
	CHECK_STR(R("{{name | mask_name | len}}", ctx), "7");
	CHECK_STR(R("{{fen | yuan | url}}", ctx), "312.50");
	CHECK_STR(R("{{k | yuan | url | url}}", ctx), "1%252C250.00");
	CHECK_STR(R("{{d | date | url | len}}", ctx), "33");
	CHECK_STR(R("{{bad | date | date | mask_name}}", ctx), "n*********&lt;");
	CHECK_STR(R("{{ fen | yuan }} / {{ w1 | wan }}万元", ctx), "312.50 / 3222.5875万元");
}

static void test_partials(void)
{
	char err[256] = "";
	tmpl_set *set = tmpl_load(GOOD, err, sizeof err);
	buf_t out = BUF_INIT;

	CHECK(set != NULL);
	CHECK_STR(err, "");
	if (!set)
		return;
	CHECK(tmpl_exists(set, "form.html"));
	CHECK(tmpl_exists(set, "partials/field.html"));
	CHECK(tmpl_exists(set, "sub/dir/deep.html"));
	CHECK(!tmpl_exists(set, "notes.txt"));
	CHECK(!tmpl_exists(set, ".hidden.html"));
	CHECK(!tmpl_exists(set, "field.html"));
	CHECK(!tmpl_exists(set, "/form.html"));
	CHECK(!tmpl_exists(set, ""));

	json_t *ctx = json_loads("{\"form_id\":\"apply\",\"page\":2,\"pages\":9,"
				 "\"fields\":[{\"name\":\"n1\",\"label\":\"姓名\",\"value\":\"<x>\"},"
				 "{\"name\":\"n2\",\"label\":\"电话\",\"value\":\"138\"}],"
				 "\"extra\":{\"name\":\"memo\",\"label\":\"备注\"}}", 0, NULL);
	CHECK_INT(tmpl_render(set, "form.html", ctx, &out, err, sizeof err), 0);
	CHECK_STR(buf_cstr(&out),
		  "<form id=\"apply\">\n"
		  "<label for=\"apply-n1\">姓名</label><input name=\"n1\" value=\"&lt;x&gt;\">*\n\n"
		  "<label for=\"apply-n2\">电话</label><input name=\"n2\" value=\"138\">\n\n"
		  "<label for=\"apply-memo\">备注</label><input name=\"memo\" value=\"\">\n\n"
		  "</form>\n"
		  "第2页，共9页\n");
	json_decref(ctx);

	/* rendering appends, and the same set renders again identically */
	ctx = json_loads("{\"v\":\"<1>\"}", 0, NULL);
	buf_reset(&out);
	buf_puts(&out, "pre:");
	CHECK_INT(tmpl_render(set, "sub/dir/deep.html", ctx, &out, err, sizeof err), 0);
	CHECK_INT(tmpl_render(set, "sub/dir/deep.html", ctx, &out, err, sizeof err), 0);
	CHECK_STR(buf_cstr(&out), "pre:deep &lt;1&gt;deep &lt;1&gt;");

	/* an unknown name fails and leaves out alone */
	CHECK_INT(tmpl_render(set, "nope.html", ctx, &out, err, sizeof err), -1);
	CHECK(strstr(err, "nope.html") != NULL);
	CHECK_STR(buf_cstr(&out), "pre:deep &lt;1&gt;deep &lt;1&gt;");
	json_decref(ctx);

	/* NULL ctx acts as an empty object */
	buf_reset(&out);
	CHECK_INT(tmpl_render(set, "sub/dir/deep.html", NULL, &out, err, sizeof err), 0);
	CHECK_STR(buf_cstr(&out), "deep ");

	/* multi-line tags and comments */
	ctx = json_loads("{\"status\":\"draft\",\"items\":[{\"name\":\"张小明\",\"amount\":125000}]}", 0, NULL);
	buf_reset(&out);
	CHECK_INT(tmpl_render(set, "multiline.html", ctx, &out, err, sizeof err), 0);
	CHECK_STR(buf_cstr(&out), "\n草稿\n\n  1. 张*明 1,250.00\n\n");
	json_decref(ctx);

	buf_free(&out);
	tmpl_free(set);
}

/* {"name":"n0","children":[{"name":"n1","children":[...]}]}, levels deep */
static json_t *chain(int levels)
{
	json_t *node = NULL;
	char name[16];

	for (int i = levels - 1; i >= 0; i--) {
		json_t *o = json_object();
		snprintf(name, sizeof name, "n%d", i);
		json_object_set_new(o, "name", json_string(name));
		json_object_set_new(o, "children", node ? json_pack("[o]", node) : json_array());
		node = o;
	}
	return node;
}

static void test_recursion(void)
{
	char err[256] = "";
	tmpl_set *set = tmpl_load(GOOD, err, sizeof err);
	buf_t out = BUF_INIT;
	json_t *ctx;

	if (!set) {
		CHECK(set != NULL);
		return;
	}
	/* a recursive partial over a small tree */
	ctx = json_loads("{\"name\":\"根\",\"children\":[{\"name\":\"a\",\"children\":[]},"
			 "{\"name\":\"b\",\"children\":[{\"name\":\"<c>\",\"children\":null}]}]}",
			 0, NULL);
	CHECK_INT(tmpl_render(set, "tree.html", ctx, &out, err, sizeof err), 0);
	CHECK_STR(buf_cstr(&out), "<li>根<ul><li>a</li><li>b<ul><li>&lt;c&gt;</li></ul></li></ul></li>");
	json_decref(ctx);

	/* 33 levels = 32 nested partial calls: allowed */
	ctx = chain(33);
	buf_reset(&out);
	CHECK_INT(tmpl_render(set, "tree.html", ctx, &out, err, sizeof err), 0);
	CHECK(strstr(buf_cstr(&out), "<li>n32</li>") != NULL);
	json_decref(ctx);

	/* 34 levels = 33 nested calls: refused, out left as it was */
	ctx = chain(34);
	buf_reset(&out);
	buf_puts(&out, "keep");
	err[0] = '\0';
	CHECK_INT(tmpl_render(set, "tree.html", ctx, &out, err, sizeof err), -1);
	CHECK_STR(buf_cstr(&out), "keep");
	CHECK(strstr(err, "32") != NULL);
	CHECK(strstr(err, "tree.html") != NULL);
	json_decref(ctx);

	/* unbounded self-inclusion stops too */
	err[0] = '\0';
	CHECK_INT(tmpl_render(set, "loop.html", NULL, &out, err, sizeof err), -1);
	CHECK_STR(err, "loop.html:1: partials nested more than 32 deep (calling loop.html)");
	CHECK_STR(buf_cstr(&out), "keep");

	buf_free(&out);
	tmpl_free(set);
}

static void test_load_errors(void)
{
	CHECK_STR(load_error(BAD "unclosed_if"), "page.html:6: {{#if}} opened here is never closed");
	CHECK_STR(load_error(BAD "mismatch"),
		  "auth/login.html:5: {{/if}} does not match {{#each}} opened on line 3");
	CHECK_STR(load_error(BAD "stray_else"), "x.html:3: {{else}} outside any block");
	CHECK_STR(load_error(BAD "second_else"),
		  "x.html:3: second {{else}} in {{#unless}} opened on line 1");
	CHECK_STR(load_error(BAD "close_without_open"), "page.html:3: {{/each}} without an open {{#each}}");
	CHECK_STR(load_error(BAD "unknown_filter"), "list.html:3: unknown filter \"rmb\"");
	CHECK_STR(load_error(BAD "unknown_partial"), "page.html:4: unknown partial \"partials/missing.html\"");
	CHECK_STR(load_error(BAD "bad_tag"),
		  "page.html:3: bad tag \"{{ b: 1 }}\": unexpected text before }}");
	CHECK_STR(load_error(BAD "unclosed_tag"), "page.html:2: bad tag \"{{ name\": never closed with }}");
	CHECK_STR(load_error(BAD "triple"),
		  "page.html:1: bad tag \"{{{ raw }}\": no raw output syntax; use tmpl_safe() in C");
	CHECK(strstr(load_error("tests/fixtures/templates/no-such-dir"), "no-such-dir") != NULL);

	/* the same, inline, for the smaller cases */
	CHECK_STR(R("a\n{{#each xs}}\n{{#if a}}\n{{/if}}\n", "{}"),
		  "LOAD: t.html:2: {{#each}} opened here is never closed");
	CHECK_STR(R("{{#if a}}{{/unless}}", "{}"),
		  "LOAD: t.html:1: {{/unless}} does not match {{#if}} opened on line 1");
	CHECK_STR(R("{{ a | }}", "{}"), "LOAD: t.html:1: bad tag \"{{ a | }}\": expected a filter name after |");
	CHECK_STR(R("\n\n{{ a\n | yuan\n | nope }}", "{}"), "LOAD: t.html:5: unknown filter \"nope\"");
	CHECK_STR(R("{{#if a ==}}x{{/if}}", "{}"), "LOAD: t.html:1: bad tag \"{{#if a ==}}\": expected a name");
	CHECK_STR(R("{{#if a == \"x}}x{{/if}}", "{}"),
		  "LOAD: t.html:1: bad tag \"{{#if a == \"x}}\": string never closed");
	CHECK_STR(R("{{#if a == \"\\n\"}}x{{/if}}", "{}"),
		  "LOAD: t.html:1: bad tag \"{{#if a == \"\\n\"}}\": only \\\" and \\\\ may follow \\ in a string");
	CHECK_STR(R("{{#if a == 5x}}{{/if}}", "{}"), "LOAD: t.html:1: bad tag \"{{#if a == 5x}}\": bad integer");
	CHECK_STR(R("x\n{{@foo}}", "{}"), "LOAD: t.html:2: unknown special name \"@foo\"");
	CHECK_STR(R("{{#with a}}{{/with}}", "{}"),
		  "LOAD: t.html:1: bad tag \"{{#with a}}\": unknown block (only #if, #unless, #each)");
	CHECK_STR(R("{{#if}}{{/if}}", "{}"),
		  "LOAD: t.html:1: bad tag \"{{#if}}\": expected a space after the block name");
	CHECK_STR(R("{{#each}}{{/each}}", "{}"),
		  "LOAD: t.html:1: bad tag \"{{#each}}\": expected a space after the block name");
	CHECK_STR(R("{{}}", "{}"), "LOAD: t.html:1: bad tag \"{{}}\": expected a name");
	CHECK_STR(R("{{ 5 }}", "{}"), "LOAD: t.html:1: bad tag \"{{ 5 }}\": expected a name");
	CHECK_STR(R("{{ a. }}", "{}"), "LOAD: t.html:1: bad tag \"{{ a. }}\": empty path segment");
	CHECK_STR(R("{{ .a }}", "{}"), "LOAD: t.html:1: bad tag \"{{ .a }}\": expected a name");
	CHECK_STR(R("{{ a == b }}", "{}"), "LOAD: t.html:1: bad tag \"{{ a == b }}\": unexpected text before }}");
	CHECK_STR(R("{{>}}", "{}"), "LOAD: t.html:1: bad tag \"{{>}}\": expected a template name after >");
	CHECK_STR(R("{{> t.html a b}}", "{}"), "LOAD: t.html:1: bad tag \"{{> t.html a b}}\": unexpected text before }}");
	CHECK_STR(R("{{! never closed", "{}"), "LOAD: t.html:1: bad tag \"{{! never closed\": comment never closed with }}");
	CHECK_STR(R("text {{", "{}"), "LOAD: t.html:1: bad tag \"{{\": never closed with }}");
	CHECK_STR(R("{{else}}", "{}"), "LOAD: t.html:1: {{else}} outside any block");
	/* line numbers survive multi-line text, comments and tags */
	CHECK_STR(R("1\n2\n{{! 3\n4 }}{{#if\nx ==\n6\n}}\n8{{#each xs}}\n9 {{ bad tag }}", "{}"),
		  "LOAD: t.html:9: bad tag \"{{ bad tag }}\": unexpected text before }}");
	/* CRLF line ends count once */
	CHECK_STR(R("a\r\nb\r\n{{/if}}", "{}"), "LOAD: t.html:3: {{/if}} without an open {{#if}}");

	/* things that are fine */
	CHECK_STR(R("{{! {{ not a tag }}done", "{}"), "done");
	CHECK_STR(R("{{#if a == \"}}\"}}yes{{/if}}", "{\"a\":\"}}\"}"), "yes");
	CHECK_STR(R("{{\n  name\n}}", "{\"name\":\"n\"}"), "n");
	CHECK_STR(R("{{> t.html nothing}}", "{}"), "RENDER: t.html:1: partials nested more than 32 deep (calling t.html)");
}

int main(void)
{
	test_print();
	test_paths();
	test_safe();
	test_each();
	test_conditions();
	test_filters();
	test_partials();
	test_recursion();
	test_load_errors();
	TEST_MAIN_END();
}
