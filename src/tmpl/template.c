/* template.c - loading, parsing and rendering templates. How values are
 * looked up, filtered, printed and compared is in tmpl_filters.c.
 *
 * Syntax
 * ------
 * Text outside {{ }} is copied as is. A tag is one of
 *
 *   {{ expr }}                 print expr, HTML-escaped
 *   {{#if cond}} {{#unless cond}} {{#each path}}
 *   {{else}}                   optional, once per block
 *   {{/if}} {{/unless}} {{/each}}
 *   {{> name}}  {{> name path}} render template `name` (path relative to the
 *                              template directory), optionally with the
 *                              value at path as a new innermost scope
 *   {{! comment }}             ends at the first }}
 *
 * Whitespace (including newlines) inside the braces is optional.
 *
 *   expr    = path { "|" filter }
 *   path    = "." | "@index" | "@num" | "@first" | "@last"
 *           | ident { "." segment }        ident starts with a letter or _
 *   segment = 1*( ALPHA / DIGIT / "_" / "-" )   all digits: array index
 *   cond    = expr [ ("==" | "!=") operand ]
 *   operand = "string"  (escapes \" and \\) | integer | true | false | null
 *           | expr
 *
 * `true`, `false` and `null` as operands mean the strings "true", "false"
 * and "" - exactly the string forms comparison uses (see tmpl_filters.c).
 *
 * Scopes: the first segment of a path is looked up from the innermost scope
 * (the current #each element, or the value a partial call pushed) out to
 * the root context; later segments descend. So a key missing from an
 * element is found in an outer scope - a recursive partial over a tree
 * must give leaves an explicit "children": [] (or null), or it recurses
 * until the 32-level partial limit stops the render.
 *
 * Anything else after "{{" is a load error, as is an unclosed block, a
 * close that does not match, a stray or second {{else}}, an unknown filter
 * and an unknown partial. Messages read "file:line: what went wrong".
 *
 * Representation
 * --------------
 * Each template is one flat array of nodes. A block node (if, unless,
 * each) is followed by its body; it records where its else branch starts
 * (else_at) and the index just past its last node (end_at), so the
 * renderer walks index ranges and never re-parses. Everything the set owns
 * (file contents, nodes, paths, literals) lives in one arena, freed at once
 * by tmpl_free; text nodes point straight into the file contents. */
#include "tmpl/tmpl_internal.h"
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define MAX_FILE (16u << 20)   /* a template bigger than 16 MB is a mistake */
#define MAX_OPEN 64            /* blocks open at once within one template */
#define MAX_DIR_DEPTH 16       /* directory nesting (guards symlink loops) */

static const char *const filter_names[F_COUNT] = {
	[F_YUAN] = "yuan",
	[F_WAN] = "wan",
	[F_DATE] = "date",
	[F_DATETIME] = "datetime",
	[F_MASK_ID] = "mask_id",
	[F_MASK_PHONE] = "mask_phone",
	[F_MASK_NAME] = "mask_name",
	[F_URL] = "url",
	[F_LEN] = "len",
};

static const char *const block_names[] = {
	[N_IF] = "if",
	[N_UNLESS] = "unless",
	[N_EACH] = "each",
};

/* ---------------------------------------------------------------- parser */

struct parser {
	tmpl_set *set;
	const char *name;         /* template name, for messages */
	const char *p, *end;      /* cursor and end of the file contents */
	const char *tag;          /* start ("{{") of the tag being parsed */
	unsigned line;            /* line of *p */
	unsigned tagline;         /* line of *tag */
	struct node *nodes;       /* grows with xrealloc; moved to the arena at the end */
	size_t nn, cap;
	size_t open[MAX_OPEN];    /* indices of the blocks still open */
	int nopen;
	char *err;
	size_t errlen;
};

static int fail(struct parser *ps, unsigned line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Write "name:line: message" into ps->err. Always returns -1. */
static int fail(struct parser *ps, unsigned line, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (!ps->errlen)
		return -1;
	n = snprintf(ps->err, ps->errlen, "%s:%u: ", ps->name, line);
	if (n >= 0 && (size_t)n < ps->errlen) {
		va_start(ap, fmt);
		vsnprintf(ps->err + n, ps->errlen - (size_t)n, fmt, ap);
		va_end(ap);
	}
	return -1;
}

/* "bad tag" with the start of the tag quoted, cut at its end or a newline. */
static int bad_tag(struct parser *ps, const char *why)
{
	size_t n = 0, max = (size_t)(ps->end - ps->tag);

	while (n < max && n < 48 && ps->tag[n] != '\n' &&
	       !(n >= 2 && ps->tag[n - 1] == '}' && ps->tag[n - 2] == '}'))
		n++;
	return fail(ps, ps->tagline, "bad tag \"%.*s\": %s", (int)n, ps->tag, why);
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static int is_ident(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-';
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static void skip_space(struct parser *ps)
{
	while (ps->p < ps->end && is_space(*ps->p)) {
		if (*ps->p == '\n')
			ps->line++;
		ps->p++;
	}
}

static int at(struct parser *ps, const char *s)
{
	size_t n = strlen(s);
	return (size_t)(ps->end - ps->p) >= n && memcmp(ps->p, s, n) == 0;
}

/* Length of the identifier at the cursor (0 if none). */
static size_t ident_len(struct parser *ps)
{
	size_t n = 0;
	while (ps->p + n < ps->end && is_ident(ps->p[n]))
		n++;
	return n;
}

/* Consume optional space and the closing "}}". */
static int close_tag(struct parser *ps)
{
	skip_space(ps);
	if (!at(ps, "}}"))
		return bad_tag(ps, ps->p >= ps->end ? "never closed with }}"
						    : "unexpected text before }}");
	ps->p += 2;
	return 0;
}

static size_t add_node(struct parser *ps, enum node_kind kind, unsigned line)
{
	if (ps->nn == ps->cap) {
		ps->cap = ps->cap ? ps->cap * 2 : 32;
		ps->nodes = xrealloc(ps->nodes, ps->cap * sizeof *ps->nodes);
	}
	struct node *n = &ps->nodes[ps->nn];
	memset(n, 0, sizeof *n);
	n->kind = kind;
	n->line = line;
	return ps->nn++;
}

static int parse_path(struct parser *ps, struct path *path)
{
	static const struct {
		const char *name;
		enum path_kind kind;
	} specials[] = {
		{"@index", P_INDEX}, {"@num", P_NUM}, {"@first", P_FIRST}, {"@last", P_LAST},
	};
	const char *start = ps->p;
	struct seg segs[32];
	size_t n, nseg = 0;

	memset(path, 0, sizeof *path);
	if (at(ps, ".") && (ps->p + 1 >= ps->end || !is_ident(ps->p[1]))) {
		ps->p++;
		path->kind = P_DOT;
		return 0;
	}
	if (at(ps, "@")) {
		ps->p++;
		n = ident_len(ps);
		for (size_t i = 0; i < sizeof specials / sizeof specials[0]; i++) {
			if (strlen(specials[i].name) == n + 1 &&
			    memcmp(specials[i].name + 1, ps->p, n) == 0) {
				ps->p += n;
				path->kind = specials[i].kind;
				return 0;
			}
		}
		return fail(ps, ps->line, "unknown special name \"@%.*s\"", (int)n, ps->p);
	}
	if (ps->p >= ps->end || !is_ident(*ps->p) || is_digit(*ps->p) || *ps->p == '-')
		return bad_tag(ps, "expected a name");
	for (;;) {
		n = ident_len(ps);
		if (n == 0)
			return bad_tag(ps, "empty path segment");
		if (nseg == sizeof segs / sizeof segs[0])
			return fail(ps, ps->line, "path \"%.*s\" is too long", (int)(ps->p - start), start);
		struct seg *s = &segs[nseg++];
		s->name = arena_strndup(&ps->set->arena, ps->p, n);
		s->index = -1;
		if (n <= 9) {
			size_t i = 0;
			while (i < n && is_digit(ps->p[i]))
				i++;
			if (i == n)
				s->index = atol(s->name);
		}
		ps->p += n;
		if (!at(ps, "."))
			break;
		ps->p++;
	}
	path->kind = P_NAME;
	path->nseg = (unsigned)nseg;
	path->seg = arena_alloc(&ps->set->arena, nseg * sizeof *path->seg);
	memcpy(path->seg, segs, nseg * sizeof *path->seg);
	return 0;
}

static int parse_expr(struct parser *ps, struct expr *e)
{
	memset(e, 0, sizeof *e);
	if (parse_path(ps, &e->path) < 0)
		return -1;
	for (;;) {
		skip_space(ps);
		if (!at(ps, "|"))
			return 0;
		ps->p++;
		skip_space(ps);
		size_t n = ident_len(ps);
		if (n == 0)
			return bad_tag(ps, "expected a filter name after |");
		int f = 0;
		while (f < F_COUNT && !(strlen(filter_names[f]) == n &&
					memcmp(filter_names[f], ps->p, n) == 0))
			f++;
		if (f == F_COUNT)
			return fail(ps, ps->line, "unknown filter \"%.*s\"", (int)n, ps->p);
		if (e->nfilt == MAX_FILTERS)
			return fail(ps, ps->line, "more than %d filters", MAX_FILTERS);
		e->filt[e->nfilt++] = (unsigned char)f;
		ps->p += n;
	}
}

/* A string literal at the cursor, with \" and \\ escapes. */
static int parse_string(struct parser *ps, struct cond *c)
{
	buf_t b = BUF_INIT;

	ps->p++;	/* the opening quote */
	while (ps->p < ps->end && *ps->p != '"') {
		char ch = *ps->p++;
		if (ch == '\n')
			ps->line++;
		if (ch == '\\') {
			if (ps->p >= ps->end || (*ps->p != '"' && *ps->p != '\\')) {
				buf_free(&b);
				return bad_tag(ps, "only \\\" and \\\\ may follow \\ in a string");
			}
			ch = *ps->p++;
		}
		buf_putc(&b, ch);
	}
	if (ps->p >= ps->end) {
		buf_free(&b);
		return bad_tag(ps, "string never closed");
	}
	ps->p++;
	c->rkind = R_STR;
	c->rn = b.len;
	c->rs = arena_strndup(&ps->set->arena, buf_cstr(&b), b.len);
	buf_free(&b);
	return 0;
}

static int parse_int(struct parser *ps, struct cond *c)
{
	char tmp[24];
	size_t n = at(ps, "-") ? 1 : 0;

	while (ps->p + n < ps->end && is_digit(ps->p[n]))
		n++;
	if (n == 0 || (n == 1 && *ps->p == '-') || n >= sizeof tmp)
		return bad_tag(ps, "bad integer");
	if (ps->p + n < ps->end && (is_ident(ps->p[n]) || ps->p[n] == '.'))
		return bad_tag(ps, "bad integer");
	memcpy(tmp, ps->p, n);
	tmp[n] = '\0';
	errno = 0;
	c->ri = strtoll(tmp, NULL, 10);
	if (errno)
		return bad_tag(ps, "integer out of range");
	c->rkind = R_INT;
	ps->p += n;
	return 0;
}

static int parse_cond(struct parser *ps, struct cond *c)
{
	memset(c, 0, sizeof *c);
	if (parse_expr(ps, &c->lhs) < 0)
		return -1;
	skip_space(ps);
	if (at(ps, "=="))
		c->op = OP_EQ;
	else if (at(ps, "!="))
		c->op = OP_NE;
	else
		return 0;
	ps->p += 2;
	skip_space(ps);
	if (at(ps, "\""))
		return parse_string(ps, c);
	if (at(ps, "-") || (ps->p < ps->end && is_digit(*ps->p)))
		return parse_int(ps, c);
	static const char *const words[][2] = {
		{"true", "true"}, {"false", "false"}, {"null", ""},
	};
	size_t n = ident_len(ps);
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (strlen(words[i][0]) == n && memcmp(words[i][0], ps->p, n) == 0) {
			ps->p += n;
			c->rkind = R_STR;
			c->rs = words[i][1];
			c->rn = strlen(words[i][1]);
			return 0;
		}
	}
	c->rkind = R_EXPR;
	return parse_expr(ps, &c->rhs);
}

/* After "{{#": if, unless or each. */
static int parse_open(struct parser *ps)
{
	size_t n = ident_len(ps), idx;
	enum node_kind kind;

	if (n == 2 && memcmp(ps->p, "if", 2) == 0)
		kind = N_IF;
	else if (n == 6 && memcmp(ps->p, "unless", 6) == 0)
		kind = N_UNLESS;
	else if (n == 4 && memcmp(ps->p, "each", 4) == 0)
		kind = N_EACH;
	else
		return bad_tag(ps, "unknown block (only #if, #unless, #each)");
	ps->p += n;
	if (ps->p >= ps->end || !is_space(*ps->p))
		return bad_tag(ps, "expected a space after the block name");
	skip_space(ps);
	if (ps->nopen == MAX_OPEN)
		return fail(ps, ps->tagline, "blocks nested more than %d deep", MAX_OPEN);
	idx = add_node(ps, kind, ps->tagline);
	ps->nodes[idx].else_at = NO_ELSE;
	if (kind == N_EACH) {
		struct path *p = arena_alloc(&ps->set->arena, sizeof *p);
		if (parse_path(ps, p) < 0)
			return -1;
		ps->nodes[idx].u.path = p;
	} else {
		struct cond *c = arena_alloc(&ps->set->arena, sizeof *c);
		if (parse_cond(ps, c) < 0)
			return -1;
		ps->nodes[idx].u.cond = c;
	}
	if (close_tag(ps) < 0)
		return -1;
	ps->open[ps->nopen++] = idx;
	return 0;
}

/* After "{{/". */
static int parse_close(struct parser *ps)
{
	size_t n = ident_len(ps);
	enum node_kind kind;

	if (n == 2 && memcmp(ps->p, "if", 2) == 0)
		kind = N_IF;
	else if (n == 6 && memcmp(ps->p, "unless", 6) == 0)
		kind = N_UNLESS;
	else if (n == 4 && memcmp(ps->p, "each", 4) == 0)
		kind = N_EACH;
	else
		return bad_tag(ps, "unknown block (only /if, /unless, /each)");
	ps->p += n;
	if (close_tag(ps) < 0)
		return -1;
	if (ps->nopen == 0)
		return fail(ps, ps->tagline, "{{/%s}} without an open {{#%s}}",
			    block_names[kind], block_names[kind]);
	struct node *open = &ps->nodes[ps->open[ps->nopen - 1]];
	if (open->kind != kind)
		return fail(ps, ps->tagline, "{{/%s}} does not match {{#%s}} opened on line %u",
			    block_names[kind], block_names[open->kind], open->line);
	open->end_at = (unsigned)ps->nn;
	if (open->else_at == NO_ELSE)
		open->else_at = open->end_at;
	ps->nopen--;
	return 0;
}

static int parse_else(struct parser *ps)
{
	if (close_tag(ps) < 0)
		return -1;
	if (ps->nopen == 0)
		return fail(ps, ps->tagline, "{{else}} outside any block");
	struct node *open = &ps->nodes[ps->open[ps->nopen - 1]];
	if (open->else_at != NO_ELSE)
		return fail(ps, ps->tagline, "second {{else}} in {{#%s}} opened on line %u",
			    block_names[open->kind], open->line);
	open->else_at = (unsigned)ps->nn;
	return 0;
}

static int parse_partial(struct parser *ps)
{
	const char *name;
	size_t idx;

	skip_space(ps);
	name = ps->p;
	while (ps->p < ps->end && !is_space(*ps->p) && *ps->p != '}')
		ps->p++;
	if (ps->p == name)
		return bad_tag(ps, "expected a template name after >");
	idx = add_node(ps, N_PARTIAL, ps->tagline);
	ps->nodes[idx].u.part.name = arena_strndup(&ps->set->arena, name, (size_t)(ps->p - name));
	skip_space(ps);
	if (!at(ps, "}}")) {
		struct path *p = arena_alloc(&ps->set->arena, sizeof *p);
		if (parse_path(ps, p) < 0)
			return -1;
		ps->nodes[idx].u.part.arg = p;
	}
	return close_tag(ps);
}

/* The cursor is just past "{{". */
static int parse_tag(struct parser *ps)
{
	skip_space(ps);
	if (ps->p >= ps->end)
		return bad_tag(ps, "never closed with }}");
	switch (*ps->p) {
	case '!': {
		const char *e = memmem(ps->p, (size_t)(ps->end - ps->p), "}}", 2);
		if (!e)
			return bad_tag(ps, "comment never closed with }}");
		for (; ps->p < e; ps->p++)
			if (*ps->p == '\n')
				ps->line++;
		ps->p += 2;
		return 0;
	}
	case '#':
		ps->p++;
		return parse_open(ps);
	case '/':
		ps->p++;
		return parse_close(ps);
	case '>':
		ps->p++;
		return parse_partial(ps);
	case '{':
		return bad_tag(ps, "no raw output syntax; use tmpl_safe() in C");
	}
	if (ident_len(ps) == 4 && memcmp(ps->p, "else", 4) == 0) {
		ps->p += 4;
		return parse_else(ps);
	}
	struct expr *e = arena_alloc(&ps->set->arena, sizeof *e);
	if (parse_expr(ps, e) < 0)
		return -1;
	size_t idx = add_node(ps, N_PRINT, ps->tagline);
	ps->nodes[idx].u.expr = e;
	return close_tag(ps);
}

static void count_lines(struct parser *ps, const char *from, const char *to)
{
	while ((from = memchr(from, '\n', (size_t)(to - from))) != NULL) {
		ps->line++;
		from++;
	}
}

/* Parse src[0..len) into t->nodes. Returns 0, or -1 with a message. */
static int parse(tmpl_set *set, struct tmpl *t, const char *src, size_t len,
		 char *err, size_t errlen)
{
	struct parser ps;
	int rc = 0;

	memset(&ps, 0, sizeof ps);
	ps.set = set;
	ps.name = t->name;
	ps.p = src;
	ps.end = src + len;
	ps.line = 1;
	ps.err = err;
	ps.errlen = errlen;

	while (ps.p < ps.end) {
		const char *q = memmem(ps.p, (size_t)(ps.end - ps.p), "{{", 2);
		const char *text_end = q ? q : ps.end;
		if (text_end > ps.p) {
			size_t idx = add_node(&ps, N_TEXT, ps.line);
			ps.nodes[idx].u.text.s = ps.p;
			ps.nodes[idx].u.text.n = (size_t)(text_end - ps.p);
			count_lines(&ps, ps.p, text_end);
		}
		ps.p = text_end;
		if (!q)
			break;
		ps.tag = q;
		ps.tagline = ps.line;
		ps.p = q + 2;
		if ((rc = parse_tag(&ps)) < 0)
			break;
	}
	if (rc == 0 && ps.nopen > 0) {
		struct node *open = &ps.nodes[ps.open[ps.nopen - 1]];
		rc = fail(&ps, open->line, "{{#%s}} opened here is never closed",
			  block_names[open->kind]);
	}
	if (rc == 0) {
		t->nn = (unsigned)ps.nn;
		t->nodes = arena_alloc(&set->arena, (ps.nn ? ps.nn : 1) * sizeof *t->nodes);
		if (ps.nn)
			memcpy(t->nodes, ps.nodes, ps.nn * sizeof *t->nodes);
	}
	free(ps.nodes);
	return rc;
}

/* -------------------------------------------------------------- renderer */

struct render {
	buf_t *out;
	buf_t scratch[4];       /* filter results: [0..1] left side, [2..3] right */
	int depth;              /* partial calls currently open */
	char *err;
	size_t errlen;
};

static int render_range(struct render *r, const struct tmpl *t, unsigned from, unsigned to,
			const struct frame *f);

static int render_partial(struct render *r, const struct tmpl *t, const struct node *nd,
			  const struct frame *f)
{
	struct frame arg;
	const struct tmpl *pt = nd->u.part.t;
	int rc;

	if (r->depth >= MAX_PARTIAL_DEPTH) {
		snprintf(r->err, r->errlen, "%s:%u: partials nested more than %d deep "
			 "(calling %s)", t->name, nd->line, MAX_PARTIAL_DEPTH, pt->name);
		return -1;
	}
	if (nd->u.part.arg) {
		memset(&arg, 0, sizeof arg);
		arg.up = f;
		arg.val = scope_json(nd->u.part.arg, f);
		f = &arg;
	}
	r->depth++;
	rc = render_range(r, pt, 0, pt->nn, f);
	r->depth--;
	return rc;
}

static int render_each(struct render *r, const struct tmpl *t, unsigned i,
		       const struct frame *f)
{
	const struct node *nd = &t->nodes[i];
	const json_t *arr = scope_json(nd->u.path, f);
	size_t n = json_is_array(arr) ? json_array_size(arr) : 0;
	struct frame el;

	if (n == 0)
		return render_range(r, t, nd->else_at, nd->end_at, f);
	memset(&el, 0, sizeof el);
	el.up = f;
	el.each = 1;
	el.count = n;
	for (el.index = 0; el.index < n; el.index++) {
		el.val = json_array_get(arr, el.index);
		if (render_range(r, t, i + 1, nd->else_at, &el) < 0)
			return -1;
	}
	return 0;
}

/* Render nodes [from, to) of t. Returns 0, or -1 with r->err set. */
static int render_range(struct render *r, const struct tmpl *t, unsigned from, unsigned to,
			const struct frame *f)
{
	unsigned i = from;

	while (i < to) {
		const struct node *nd = &t->nodes[i];
		val_t v;
		int yes;

		switch (nd->kind) {
		case N_TEXT:
			buf_append(r->out, nd->u.text.s, nd->u.text.n);
			i++;
			break;
		case N_PRINT:
			v = expr_eval(nd->u.expr, f, &r->scratch[0]);
			val_print(r->out, &v);
			i++;
			break;
		case N_IF:
		case N_UNLESS:
			yes = cond_test(nd->u.cond, f, r->scratch);
			if (nd->kind == N_UNLESS)
				yes = !yes;
			if (yes ? render_range(r, t, i + 1, nd->else_at, f)
				: render_range(r, t, nd->else_at, nd->end_at, f))
				return -1;
			i = nd->end_at;
			break;
		case N_EACH:
			if (render_each(r, t, i, f) < 0)
				return -1;
			i = nd->end_at;
			break;
		case N_PARTIAL:
			if (render_partial(r, t, nd, f) < 0)
				return -1;
			i++;
			break;
		}
	}
	return 0;
}

int tmpl_render(const tmpl_set *set, const char *name, json_t *ctx, buf_t *out,
		char *err, size_t errlen)
{
	const struct tmpl *t = tmpl_find(set, name);
	struct render r;
	struct frame root;
	size_t start = out->len;
	char dummy[1];
	int rc;

	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof dummy;
	}
	if (!t) {
		snprintf(err, errlen, "unknown template \"%s\"", name ? name : "(null)");
		return -1;
	}
	memset(&r, 0, sizeof r);
	r.out = out;
	r.err = err;
	r.errlen = errlen;
	memset(&root, 0, sizeof root);
	root.val = ctx;

	rc = render_range(&r, t, 0, t->nn, &root);
	for (size_t i = 0; i < sizeof r.scratch / sizeof r.scratch[0]; i++)
		buf_free(&r.scratch[i]);
	if (rc < 0 && out->data) {
		out->len = start;	/* leave out as it was */
		out->data[start] = '\0';
	}
	return rc;
}

/* ---------------------------------------------------------------- loader */

static int add_file(tmpl_set *set, const char *path, const char *name, size_t *cap,
		    char *err, size_t errlen)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	struct tmpl *t;
	char *src;
	size_t len;

	if (!f) {
		snprintf(err, errlen, "%s: cannot open: %s", name, strerror(errno));
		return -1;
	}
	if (fstat(fileno(f), &st) < 0 || st.st_size < 0 || (unsigned long long)st.st_size > MAX_FILE) {
		snprintf(err, errlen, "%s: cannot read or larger than %u bytes", name, MAX_FILE);
		fclose(f);
		return -1;
	}
	src = arena_alloc(&set->arena, (size_t)st.st_size + 1);
	len = fread(src, 1, (size_t)st.st_size, f);
	if (ferror(f)) {
		snprintf(err, errlen, "%s: read error", name);
		fclose(f);
		return -1;
	}
	fclose(f);
	src[len] = '\0';

	if (set->n == *cap) {
		*cap = *cap ? *cap * 2 : 32;
		set->t = xrealloc(set->t, *cap * sizeof *set->t);
	}
	t = &set->t[set->n];
	memset(t, 0, sizeof *t);
	t->name = arena_strdup(&set->arena, name);
	if (parse(set, t, src, len, err, errlen) < 0)
		return -1;
	set->n++;
	return 0;
}

static int ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n > m && strcmp(s + n - m, suffix) == 0;
}

/* Load every *.html under dir/rel ("" for the top) in name order. */
static int walk(tmpl_set *set, const char *dir, const char *rel, int depth, size_t *cap,
		char *err, size_t errlen)
{
	struct dirent **list = NULL;
	int n, i, rc = 0;
	char *path = *rel ? arena_printf(&set->arena, "%s/%s", dir, rel) : (char *)dir;

	if (depth > MAX_DIR_DEPTH) {
		snprintf(err, errlen, "%s: directories nested too deep", rel);
		return -1;
	}
	n = scandir(path, &list, NULL, alphasort);
	if (n < 0) {
		snprintf(err, errlen, "%s: cannot read directory: %s", path, strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		const char *ent = list[i]->d_name;
		struct stat st;
		if (rc || ent[0] == '.')
			continue;
		char *full = arena_printf(&set->arena, "%s/%s", path, ent);
		char *name = *rel ? arena_printf(&set->arena, "%s/%s", rel, ent)
				  : arena_strdup(&set->arena, ent);
		if (stat(full, &st) < 0)
			continue;	/* a dangling symlink: not a template */
		if (S_ISDIR(st.st_mode))
			rc = walk(set, dir, name, depth + 1, cap, err, errlen);
		else if (S_ISREG(st.st_mode) && ends_with(ent, ".html"))
			rc = add_file(set, full, name, cap, err, errlen);
	}
	for (i = 0; i < n; i++)
		free(list[i]);
	free(list);
	return rc;
}

static int cmp_tmpl(const void *a, const void *b)
{
	return strcmp(((const struct tmpl *)a)->name, ((const struct tmpl *)b)->name);
}

const struct tmpl *tmpl_find(const tmpl_set *set, const char *name)
{
	struct tmpl key;

	if (!set || !name || set->n == 0)
		return NULL;
	key.name = name;
	return bsearch(&key, set->t, set->n, sizeof *set->t, cmp_tmpl);
}

tmpl_set *tmpl_load(const char *dir, char *err, size_t errlen)
{
	tmpl_set *set = xcalloc(1, sizeof *set);
	size_t cap = 0;
	char dummy[1];

	if (!err || !errlen) {
		err = dummy;
		errlen = sizeof dummy;
	}
	err[0] = '\0';
	arena_init(&set->arena);
	if (walk(set, dir, "", 0, &cap, err, errlen) < 0)
		goto fail;
	if (set->n)
		qsort(set->t, set->n, sizeof *set->t, cmp_tmpl);

	/* resolve partials now that every name is known */
	for (size_t i = 0; i < set->n; i++) {
		struct tmpl *t = &set->t[i];
		for (unsigned k = 0; k < t->nn; k++) {
			struct node *nd = &t->nodes[k];
			if (nd->kind != N_PARTIAL)
				continue;
			nd->u.part.t = tmpl_find(set, nd->u.part.name);
			if (!nd->u.part.t) {
				snprintf(err, errlen, "%s:%u: unknown partial \"%s\"", t->name,
					 nd->line, nd->u.part.name);
				goto fail;
			}
		}
	}
	return set;
fail:
	tmpl_free(set);
	return NULL;
}

void tmpl_free(tmpl_set *set)
{
	if (!set)
		return;
	arena_free(&set->arena);
	free(set->t);
	free(set);
}

int tmpl_exists(const tmpl_set *set, const char *name)
{
	return tmpl_find(set, name) != NULL;
}
