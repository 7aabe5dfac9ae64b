/* parse.c - request parsers: percent-decoding, urlencoded forms and query
 * strings, cookies, multipart/form-data.
 *
 * Every loop here advances through its input and stops at its end; no
 * function reads a byte at or beyond the length it was given, and nothing
 * recurses. Multipart bodies are scanned for the delimiter with memmem,
 * each search starting after the previous match, so a body is looked at a
 * bounded number of times whatever it contains. */
#include "http/parse.h"
#include <string.h>
#include <strings.h>

const parse_limits_t PARSE_DEFAULT_LIMITS = {
	.max_fields = 2000,
	.max_name = 256,
	.max_value = 1u << 20,
	.max_files = 20,
	.max_file = 20u << 20,
};

/* Messages for the user. Those that state a limit have a generic twin for
 * callers that pass limits other than the defaults. */
static const char E_ESCAPE[] =
	"提交的内容含有无效的百分号编码（如 %zz），请检查链接或表单是否完整。";
static const char E_NUL[] =
	"提交的内容含有空字符，请删除后重试。";
static const char E_UTF8[] =
	"提交的内容不是有效的 UTF-8 文本，请检查是否含有乱码。";
static const char E_FIELDS[] =
	"表单字段过多（最多 2000 个），请分批提交。";
static const char E_FIELDS_ANY[] =
	"表单字段过多，请分批提交。";
static const char E_NAME[] =
	"表单字段名过长（最多 256 字节），请检查提交的表单。";
static const char E_NAME_ANY[] =
	"表单字段名过长，请检查提交的表单。";
static const char E_VALUE[] =
	"填写的内容过长（单项最多 1 MB），请精简后再提交。";
static const char E_VALUE_ANY[] =
	"填写的内容过长，请精简后再提交。";
static const char E_FILES[] =
	"上传的文件过多（一次最多 20 个），请分批上传。";
static const char E_FILES_ANY[] =
	"上传的文件过多，请分批上传。";
static const char E_FILE[] =
	"上传的文件过大（单个文件最多 20 MB），请压缩或拆分后再上传。";
static const char E_FILE_ANY[] =
	"上传的文件过大，请压缩或拆分后再上传。";
static const char E_NOT_MULTIPART[] =
	"请求格式不正确：不是 multipart/form-data 表单，请从页面上的表单提交。";
static const char E_NO_BOUNDARY[] =
	"请求格式不正确：缺少 multipart 分隔符。";
static const char E_BAD_BOUNDARY[] =
	"请求格式不正确：multipart 分隔符无效（须为 1 到 70 个规定字符）。";
static const char E_NO_START[] =
	"请求格式不正确：找不到 multipart 分隔符，请重新提交表单。";
static const char E_TRUNCATED[] =
	"提交的内容不完整（缺少结束分隔符），可能是网络中断，请重新提交。";
static const char E_HEADER_LONG[] =
	"请求格式不正确：表单中某一部分的头部过长（最多 8 KB）。";
static const char E_HEADER[] =
	"请求格式不正确：表单中某一部分的头部无效。";
static const char E_DISPOSITION[] =
	"请求格式不正确：表单中某一部分缺少字段名（Content-Disposition）。";
static const char E_FIELD_NAME[] =
	"表单字段名无效（含有控制字符或不是有效的 UTF-8），请检查提交的表单。";
static const char E_FILENAME[] =
	"上传的文件名无效（含有控制字符、乱码或不是文件名），请重命名文件后再上传。";

static int fail(const char **err, int code, const char *msg)
{
	if (err)
		*err = msg;
	return code;
}

/* The message naming the limit if it is the default one, else the
 * generic message (a static string cannot name an arbitrary number). */
#define LIMIT_MSG(lim, field, exact, generic) \
	((lim)->field == PARSE_DEFAULT_LIMITS.field ? (exact) : (generic))

/* ---- lists --------------------------------------------------------- */

/* Append a pair whose strings already live in the arena. */
static void kv_push(arena_t *a, kvlist_t *l, const char *name,
		    const char *value, size_t len)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		zz_kv *v = arena_alloc(a, cap * sizeof(*v));
		if (l->n)
			memcpy(v, l->v, l->n * sizeof(*v));
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n].name = name;
	l->v[l->n].value = value;
	l->v[l->n].len = len;
	l->n++;
}

void kv_add(arena_t *a, kvlist_t *l, const char *name, const char *value,
	    size_t len)
{
	if (!name)
		name = "";
	if (!value)
		len = 0;
	kv_push(a, l, arena_strdup(a, name),
		arena_strndup(a, value ? value : "", len), len);
}

static void upload_push(arena_t *a, uploadlist_t *l, const upload_t *u)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 4;
		upload_t *v = arena_alloc(a, cap * sizeof(*v));
		if (l->n)
			memcpy(v, l->v, l->n * sizeof(*v));
		l->v = v;
		l->cap = cap;
	}
	l->v[l->n++] = *u;
}

const char *kv_get_nth(const kvlist_t *l, const char *name, size_t i)
{
	if (!l || !name)
		return NULL;
	for (size_t k = 0; k < l->n; k++) {
		if (strcmp(l->v[k].name, name) == 0) {
			if (i == 0)
				return l->v[k].value;
			i--;
		}
	}
	return NULL;
}

const char *kv_get(const kvlist_t *l, const char *name)
{
	return kv_get_nth(l, name, 0);
}

size_t kv_count(const kvlist_t *l, const char *name)
{
	size_t c = 0;
	if (!l || !name)
		return 0;
	for (size_t k = 0; k < l->n; k++)
		if (strcmp(l->v[k].name, name) == 0)
			c++;
	return c;
}

/* ---- UTF-8 and percent-decoding ------------------------------------ */

/* Unicode 15, table 3-7: the well-formed byte sequences. */
int utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;

	while (i < n) {
		unsigned c = p[i];
		unsigned lo = 0x80, hi = 0xBF;   /* range of the second byte */
		size_t more;                     /* continuation bytes */

		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF) {
			more = 1;
		} else if (c == 0xE0) {
			more = 2, lo = 0xA0;     /* no overlongs */
		} else if (c >= 0xE1 && c <= 0xEC) {
			more = 2;
		} else if (c == 0xED) {
			more = 2, hi = 0x9F;     /* no surrogates */
		} else if (c == 0xEE || c == 0xEF) {
			more = 2;
		} else if (c == 0xF0) {
			more = 3, lo = 0x90;     /* no overlongs */
		} else if (c >= 0xF1 && c <= 0xF3) {
			more = 3;
		} else if (c == 0xF4) {
			more = 3, hi = 0x8F;     /* nothing above U+10FFFF */
		} else {
			return 0;                /* 80..C1, F5..FF */
		}
		if (n - i <= more)
			return 0;
		if (p[i + 1] < lo || p[i + 1] > hi)
			return 0;
		for (size_t k = 2; k <= more; k++)
			if ((p[i + k] & 0xC0) != 0x80)
				return 0;
		i += more + 1;
	}
	return 1;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int url_decode(arena_t *a, const char *s, size_t n, int plus_is_space,
	       char **out, size_t *outlen, const char **err)
{
	char *d = arena_alloc(a, n + 1);
	size_t o = 0;

	*out = NULL;
	if (outlen)
		*outlen = 0;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (c == '%') {
			int hi, lo;
			if (n - i < 3 || (hi = hexval(s[i + 1])) < 0 ||
			    (lo = hexval(s[i + 2])) < 0)
				return fail(err, 400, E_ESCAPE);
			c = (char)(hi << 4 | lo);
			i += 2;
		} else if (c == '+' && plus_is_space) {
			c = ' ';
		}
		if (c == '\0')
			return fail(err, 400, E_NUL);
		d[o++] = c;
	}
	d[o] = '\0';
	*out = d;
	if (outlen)
		*outlen = o;
	return 0;
}

/* ---- urlencoded ---------------------------------------------------- */

int parse_urlencoded(arena_t *a, const char *s, size_t n,
		     const parse_limits_t *lim, kvlist_t *out, const char **err)
{
	size_t i = 0, added = 0;

	if (!lim)
		lim = &PARSE_DEFAULT_LIMITS;
	while (i < n) {
		const char *pair = s + i;
		const char *amp = memchr(pair, '&', n - i);
		size_t plen = amp ? (size_t)(amp - pair) : n - i;
		const char *eq, *v;
		size_t nlen, vlen, dn, dv;
		char *name, *value;
		int rc;

		i += plen + 1;   /* past the '&' (or one past the end) */
		if (plen == 0)
			continue;
		eq = memchr(pair, '=', plen);
		nlen = eq ? (size_t)(eq - pair) : plen;
		v = eq ? eq + 1 : pair + plen;
		vlen = eq ? plen - nlen - 1 : 0;
		if (nlen == 0)
			continue;

		if (added >= lim->max_fields)
			return fail(err, 413, LIMIT_MSG(lim, max_fields,
							 E_FIELDS, E_FIELDS_ANY));
		/* Each decoded byte takes at most 3 input bytes, so these are
		 * over the limit whatever they decode to: do not copy them. */
		if (nlen / 3 > lim->max_name)
			goto name_too_long;
		if (vlen / 3 > lim->max_value)
			goto value_too_long;

		if ((rc = url_decode(a, pair, nlen, 1, &name, &dn, err)) != 0)
			return rc;
		if (dn > lim->max_name)
			goto name_too_long;
		if ((rc = url_decode(a, v, vlen, 1, &value, &dv, err)) != 0)
			return rc;
		if (dv > lim->max_value)
			goto value_too_long;
		if (!utf8_valid(name, dn) || !utf8_valid(value, dv))
			return fail(err, 400, E_UTF8);
		kv_push(a, out, name, value, dv);
		added++;
	}
	return 0;

name_too_long:
	return fail(err, 400, LIMIT_MSG(lim, max_name, E_NAME, E_NAME_ANY));
value_too_long:
	return fail(err, 413, LIMIT_MSG(lim, max_value, E_VALUE, E_VALUE_ANY));
}

/* ---- cookies ------------------------------------------------------- */

static int is_ws(char c)
{
	return c == ' ' || c == '\t';
}

/* Cookie names: visible ASCII except what would confuse a reader. */
static int cookie_name_ok(const char *s, size_t n)
{
	if (n == 0)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c <= 0x20 || c >= 0x7f || c == '"' || c == ',' ||
		    c == ';' || c == '=' || c == '\\')
			return 0;
	}
	return 1;
}

static int has_ctl(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c < 0x20 || c == 0x7f)
			return 1;
	}
	return 0;
}

void parse_cookies(arena_t *a, const char *header, kvlist_t *out)
{
	size_t n, i = 0, kept = 0;

	if (!header)
		return;
	n = strlen(header);
	while (i < n && kept < COOKIE_MAX) {
		const char *b = header + i;
		const char *semi = memchr(b, ';', n - i);
		const char *e = semi ? semi : header + n;
		const char *eq, *ne, *vb;

		i = (size_t)(e - header) + 1;
		while (b < e && is_ws(*b))
			b++;
		while (e > b && is_ws(e[-1]))
			e--;
		eq = memchr(b, '=', (size_t)(e - b));
		if (!eq)
			continue;
		ne = eq;
		while (ne > b && is_ws(ne[-1]))
			ne--;
		vb = eq + 1;
		while (vb < e && is_ws(*vb))
			vb++;
		if (e - vb >= 2 && *vb == '"' && e[-1] == '"') {
			vb++;
			e--;
		}
		if (!cookie_name_ok(b, (size_t)(ne - b)) ||
		    has_ctl(vb, (size_t)(e - vb)) ||
		    !utf8_valid(vb, (size_t)(e - vb)))
			continue;
		kv_push(a, out, arena_strndup(a, b, (size_t)(ne - b)),
			arena_strndup(a, vb, (size_t)(e - vb)),
			(size_t)(e - vb));
		kept++;
	}
}

/* ---- multipart/form-data ------------------------------------------- */

typedef struct {
	const char *p;
	size_t n;
} span_t;

static int span_ieq(span_t s, const char *lit)
{
	size_t n = strlen(lit);
	return s.n == n && strncasecmp(s.p, lit, n) == 0;
}

/* The leading token of a header value ("form-data" in
 * "form-data; name=x"), trimmed; *pp is left at the ';' or the end. */
static span_t first_token(const char **pp, const char *end)
{
	const char *p = *pp, *e;
	span_t t;

	while (p < end && is_ws(*p))
		p++;
	t.p = p;
	while (p < end && *p != ';')
		p++;
	e = p;
	while (e > t.p && is_ws(e[-1]))
		e--;
	t.n = (size_t)(e - t.p);
	*pp = p;
	return t;
}

/* The next "; name=value" parameter of a header value, starting at *pp
 * (after the leading token or the previous parameter). Returns 1 with name
 * and val set, 0 at the end (a trailing ';' is fine), -1 if malformed.
 * A quoted value is returned without its quotes and runs to the next '"':
 * a backslash is an ordinary character, because browsers send Windows
 * paths with bare backslashes and percent-encode '"' in names. */
static int next_param(const char **pp, const char *end, span_t *name,
		      span_t *val)
{
	const char *p = *pp;

	while (p < end && is_ws(*p))
		p++;
	if (p == end)
		return 0;
	if (*p != ';')
		return -1;
	while (p < end && (*p == ';' || is_ws(*p)))
		p++;
	if (p == end)
		return 0;
	name->p = p;
	while (p < end && *p != '=' && *p != ';' && !is_ws(*p) && *p != '"')
		p++;
	name->n = (size_t)(p - name->p);
	while (p < end && is_ws(*p))
		p++;
	if (name->n == 0 || p == end || *p != '=')
		return -1;
	p++;
	while (p < end && is_ws(*p))
		p++;
	if (p < end && *p == '"') {
		const char *q = memchr(p + 1, '"', (size_t)(end - p - 1));
		if (!q)
			return -1;
		val->p = p + 1;
		val->n = (size_t)(q - p - 1);
		p = q + 1;
	} else {
		val->p = p;
		while (p < end && *p != ';' && !is_ws(*p) && *p != '"')
			p++;
		val->n = (size_t)(p - val->p);
	}
	*pp = p;
	return 1;
}

/* RFC 2046 bchars: DIGIT / ALPHA / ' ( ) + _ , - . / : = ? and space,
 * which may not be last. */
static int boundary_ok(span_t b)
{
	if (b.n == 0 || b.n > MULTIPART_BOUNDARY_MAX || b.p[b.n - 1] == ' ')
		return 0;
	for (size_t i = 0; i < b.n; i++) {
		char c = b.p[i];
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
		    (c >= 'A' && c <= 'Z'))
			continue;
		if (c == '\0' || !strchr("'()+_,-./:=? ", c))
			return 0;
	}
	return 1;
}

/* Find the boundary parameter of a Content-Type header value. */
static int find_boundary(const char *ct, span_t *b, const char **err)
{
	const char *p, *end;
	span_t type, name = {0}, val = {0};
	int found = 0, r;

	if (!ct)
		return fail(err, 400, E_NOT_MULTIPART);
	p = ct;
	end = ct + strlen(ct);
	type = first_token(&p, end);
	if (!span_ieq(type, "multipart/form-data"))
		return fail(err, 400, E_NOT_MULTIPART);
	while ((r = next_param(&p, end, &name, &val)) == 1) {
		if (!span_ieq(name, "boundary"))
			continue;
		if (found)   /* two boundaries: which one? */
			return fail(err, 400, E_BAD_BOUNDARY);
		*b = val;
		found = 1;
	}
	if (r < 0 && !found)
		return fail(err, 400, E_NO_BOUNDARY);
	if (r < 0)
		return fail(err, 400, E_BAD_BOUNDARY);
	if (!found)
		return fail(err, 400, E_NO_BOUNDARY);
	if (!boundary_ok(*b))
		return fail(err, 400, E_BAD_BOUNDARY);
	return 0;
}

/* What follows "--boundary" at s[p]: */
enum {
	MP_SHORT = -1,   /* the input ends before we can tell: truncated */
	MP_DATA = 0,     /* something else: not a delimiter, just data */
	MP_CLOSE = 1,    /* "--": the close-delimiter */
	MP_PART = 2,     /* transport padding and CRLF: a part follows at *next */
};

static int after_delim(const char *s, size_t n, size_t p, size_t *next)
{
	if (p < n && s[p] == '-') {
		if (p + 1 >= n)
			return MP_SHORT;
		return s[p + 1] == '-' ? MP_CLOSE : MP_DATA;
	}
	while (p < n && is_ws(s[p]))
		p++;
	if (p >= n)
		return MP_SHORT;
	if (s[p] != '\r')
		return MP_DATA;
	if (p + 1 >= n)
		return MP_SHORT;
	if (s[p + 1] != '\n')
		return MP_DATA;
	*next = p + 2;
	return MP_PART;
}

/* The headers of one part that we care about. */
typedef struct {
	span_t disp, type;
	int have_disp, have_type;
} part_hdr_t;

/* Parse the header block at the start of a part s[0..n); set *data_off to
 * where the part's data starts (n if the part has no data). */
static int part_headers(const char *s, size_t n, part_hdr_t *h,
			size_t *data_off, const char **err)
{
	size_t pos = 0;
	size_t window = n < MULTIPART_HEADER_MAX ? n : MULTIPART_HEADER_MAX;

	memset(h, 0, sizeof(*h));
	*data_off = n;
	/* Each pass consumes one line ending in CRLF inside the window. */
	while (pos < n) {
		const char *line = s + pos, *eol, *colon, *v, *ve;
		span_t hname;

		if (n - pos >= 2 && line[0] == '\r' && line[1] == '\n') {
			*data_off = pos + 2;
			break;
		}
		eol = pos < window ? memmem(line, window - pos, "\r\n", 2) : NULL;
		if (!eol)
			return fail(err, 400, n > window ? E_HEADER_LONG : E_HEADER);
		pos = (size_t)(eol - s) + 2;
		if (memchr(line, '\0', (size_t)(eol - line)) ||
		    memchr(line, '\r', (size_t)(eol - line)) ||
		    memchr(line, '\n', (size_t)(eol - line)))
			return fail(err, 400, E_HEADER);
		colon = memchr(line, ':', (size_t)(eol - line));
		if (!colon || colon == line || is_ws(line[0]))
			return fail(err, 400, E_HEADER);   /* no folding either */
		hname.p = line;
		hname.n = (size_t)(colon - line);
		for (size_t i = 0; i < hname.n; i++)
			if ((unsigned char)line[i] <= 0x20 || line[i] == 0x7f)
				return fail(err, 400, E_HEADER);
		v = colon + 1;
		ve = eol;
		while (v < ve && is_ws(*v))
			v++;
		while (ve > v && is_ws(ve[-1]))
			ve--;
		if (span_ieq(hname, "Content-Disposition")) {
			if (h->have_disp)
				return fail(err, 400, E_HEADER);
			h->disp.p = v;
			h->disp.n = (size_t)(ve - v);
			h->have_disp = 1;
		} else if (span_ieq(hname, "Content-Type")) {
			if (h->have_type)
				return fail(err, 400, E_HEADER);
			h->type.p = v;
			h->type.n = (size_t)(ve - v);
			h->have_type = 1;
		}
	}
	return 0;
}

/* Running state of one parse_multipart call. */
typedef struct {
	arena_t *a;
	const parse_limits_t *lim;
	kvlist_t *fields;
	uploadlist_t *files;
	size_t nfields, nfiles;   /* added by this call */
	const char **err;
} mp_state_t;

/* Handle the part s[0..n) (between the CRLF after a delimiter and the CRLF
 * of the next one). */
static int one_part(mp_state_t *st, const char *s, size_t n)
{
	const parse_limits_t *lim = st->lim;
	const char **err = st->err;
	part_hdr_t h;
	size_t off, dlen;
	const char *p, *end, *data;
	span_t name = {0}, fname = {0}, pname = {0}, pval = {0}, dtype;
	int have_name = 0, have_fname = 0, r, rc;

	if ((rc = part_headers(s, n, &h, &off, err)) != 0)
		return rc;
	data = s + off;
	dlen = n - off;
	if (!h.have_disp)
		return fail(err, 400, E_DISPOSITION);
	p = h.disp.p;
	end = h.disp.p + h.disp.n;
	dtype = first_token(&p, end);
	if (!span_ieq(dtype, "form-data"))
		return fail(err, 400, E_DISPOSITION);
	while ((r = next_param(&p, end, &pname, &pval)) == 1) {
		if (span_ieq(pname, "name")) {
			if (have_name)
				return fail(err, 400, E_HEADER);
			name = pval;
			have_name = 1;
		} else if (span_ieq(pname, "filename")) {
			if (have_fname)
				return fail(err, 400, E_HEADER);
			fname = pval;
			have_fname = 1;
		}
		/* filename* (RFC 5987) is not used by RFC 7578 forms: ignored */
	}
	if (r < 0)
		return fail(err, 400, E_HEADER);
	if (!have_name)
		return fail(err, 400, E_DISPOSITION);
	if (name.n > lim->max_name)
		return fail(err, 400, LIMIT_MSG(lim, max_name, E_NAME, E_NAME_ANY));
	if (has_ctl(name.p, name.n) || !utf8_valid(name.p, name.n))
		return fail(err, 400, E_FIELD_NAME);
	if (name.n == 0)
		return 0;

	if (have_fname) {
		upload_t u;
		const char *base;

		if (fname.n == 0)
			return 0;   /* an empty <input type=file> */
		if (has_ctl(fname.p, fname.n) || !utf8_valid(fname.p, fname.n))
			return fail(err, 400, E_FILENAME);
		/* keep what follows the last '/' or '\' */
		base = fname.p;
		for (size_t i = 0; i < fname.n; i++)
			if (fname.p[i] == '/' || fname.p[i] == '\\')
				base = fname.p + i + 1;
		fname.n -= (size_t)(base - fname.p);
		fname.p = base;
		if (fname.n == 0 || span_ieq(fname, ".") || span_ieq(fname, ".."))
			return fail(err, 400, E_FILENAME);
		if (st->nfiles >= lim->max_files)
			return fail(err, 413, LIMIT_MSG(lim, max_files, E_FILES,
							 E_FILES_ANY));
		if (dlen > lim->max_file)
			return fail(err, 413, LIMIT_MSG(lim, max_file, E_FILE,
							 E_FILE_ANY));
		if (h.have_type) {
			for (size_t i = 0; i < h.type.n; i++) {
				unsigned char c = (unsigned char)h.type.p[i];
				if (c < 0x20 || c >= 0x7f)
					return fail(err, 400, E_HEADER);
			}
		}
		u.field = arena_strndup(st->a, name.p, name.n);
		u.filename = arena_strndup(st->a, fname.p, fname.n);
		u.content_type = h.have_type && h.type.n ?
			arena_strndup(st->a, h.type.p, h.type.n) :
			"application/octet-stream";
		u.data = (const unsigned char *)data;
		u.len = dlen;
		upload_push(st->a, st->files, &u);
		st->nfiles++;
		return 0;
	}

	if (st->nfields >= lim->max_fields)
		return fail(err, 413, LIMIT_MSG(lim, max_fields, E_FIELDS,
						 E_FIELDS_ANY));
	if (dlen > lim->max_value)
		return fail(err, 413, LIMIT_MSG(lim, max_value, E_VALUE,
						 E_VALUE_ANY));
	if (!utf8_valid(data, dlen))
		return fail(err, 400, E_UTF8);
	if (memchr(data, '\0', dlen))
		return fail(err, 400, E_NUL);
	kv_push(st->a, st->fields, arena_strndup(st->a, name.p, name.n),
		arena_strndup(st->a, data, dlen), dlen);
	st->nfields++;
	return 0;
}

int parse_multipart(arena_t *a, const char *content_type, const char *body,
		    size_t n, const parse_limits_t *lim, kvlist_t *fields,
		    uploadlist_t *files, const char **err)
{
	char delim[4 + MULTIPART_BOUNDARY_MAX];   /* CRLF "--" boundary */
	size_t dl, pos = 0, from = 0, next = 0;
	mp_state_t st;
	span_t b = {0};
	int k = MP_DATA, rc;

	if ((rc = find_boundary(content_type, &b, err)) != 0)
		return rc;
	if (!body)
		n = 0, body = "";
	memcpy(delim, "\r\n--", 4);
	memcpy(delim + 4, b.p, b.n);
	dl = 4 + b.n;

	st.a = a;
	st.lim = lim ? lim : &PARSE_DEFAULT_LIMITS;
	st.fields = fields;
	st.files = files;
	st.nfields = st.nfiles = 0;
	st.err = err;

	/* The first delimiter has no CRLF before it if there is no preamble.
	 * Otherwise skip the preamble: each search starts one byte past the
	 * previous hit, so the loop ends within n passes and memmem sees each
	 * byte about once. */
	if (n >= dl - 2 && memcmp(body, delim + 2, dl - 2) == 0)
		k = after_delim(body, n, dl - 2, &next);
	while (k == MP_DATA) {
		const char *d = memmem(body + from, n - from, delim, dl);
		if (!d)
			return fail(err, 400, E_NO_START);
		k = after_delim(body, n, (size_t)(d - body) + dl, &next);
		from = (size_t)(d - body) + 1;
	}
	if (k == MP_SHORT)
		return fail(err, 400, E_TRUNCATED);
	if (k == MP_CLOSE)
		return 0;   /* no parts at all */

	/* Invariant: next is where a part starts; it grows every pass (the
	 * next delimiter is found at or after it), so this ends. */
	for (;;) {
		size_t dpos;

		pos = next;
		from = pos;
		do {
			const char *d = memmem(body + from, n - from, delim, dl);
			if (!d)
				return fail(err, 400, E_TRUNCATED);
			dpos = (size_t)(d - body);
			k = after_delim(body, n, dpos + dl, &next);
			from = dpos + 1;
		} while (k == MP_DATA);
		if (k == MP_SHORT)
			return fail(err, 400, E_TRUNCATED);
		if ((rc = one_part(&st, body + pos, dpos - pos)) != 0)
			return rc;
		if (k == MP_CLOSE)
			return 0;   /* the epilogue is ignored */
	}
}
