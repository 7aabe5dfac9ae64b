/* tmpl_filters.c - template values: scope lookup, and how a value prints,
 * tests, compares and goes through filters. Nothing here allocates except
 * the scratch buffers the renderer owns.
 *
 * Filters (applied before escaping; a tmpl_safe value that goes through
 * any filter becomes an ordinary string and is escaped):
 *   yuan       integer fen -> "1,250.00"        (non-integer: nothing)
 *   wan        integer fen -> "3222.5875" 万元   (non-integer: nothing)
 *   date       "2025-03-05..." -> "2025年3月5日"  (non-string: unchanged)
 *   datetime   "2025-03-05 14:03" -> "2025年3月5日 14:03"
 *   mask_id    身份证号 -> first 6 + ******** + last 4
 *   mask_phone 13812345678 -> 138****5678
 *   mask_name  张小明 -> 张*明
 *              (the three masks also take integers, so a number stored
 *              as an integer is never shown unmasked; other types:
 *              unchanged)
 *   url        percent-encode the string form of a scalar
 *   len        size of an array or object, byte length of a string,
 *              0 for missing/null; other types unchanged */
#include "tmpl/tmpl_internal.h"
#include "http/escape.h"
#include "domain/format.h"
#include <stdio.h>
#include <string.h>

#define SAFE_KEY "__safe_html__"

json_t *tmpl_safe(const char *html)
{
	return tmpl_safe_n(html, html ? strlen(html) : 0);
}

json_t *tmpl_safe_n(const char *html, size_t n)
{
	json_t *o = json_object();
	json_object_set_new(o, SAFE_KEY, json_stringn_nocheck(html ? html : "", html ? n : 0));
	return o;
}

int tmpl_is_safe(const json_t *v)
{
	return json_is_object(v) && json_object_size(v) == 1 &&
	       json_is_string(json_object_get(v, SAFE_KEY));
}

val_t val_from_json(const json_t *j)
{
	val_t v;

	memset(&v, 0, sizeof v);
	switch (j ? json_typeof(j) : JSON_NULL) {
	case JSON_STRING:
		v.kind = V_STR;
		v.s = json_string_value(j);
		v.n = json_string_length(j);
		break;
	case JSON_INTEGER:
		v.kind = V_INT;
		v.i = json_integer_value(j);
		break;
	case JSON_REAL:
		v.kind = V_REAL;
		v.d = json_real_value(j);
		break;
	case JSON_TRUE:
	case JSON_FALSE:
		v.kind = V_BOOL;
		v.i = json_is_true(j);
		break;
	case JSON_ARRAY:
		v.kind = V_ARRAY;
		v.n = json_array_size(j);
		break;
	case JSON_OBJECT:
		if (tmpl_is_safe(j)) {
			const json_t *s = json_object_get(j, SAFE_KEY);
			v.kind = V_SAFE;
			v.s = json_string_value(s);
			v.n = json_string_length(s);
		} else {
			v.kind = V_OBJECT;
			v.n = json_object_size(j);
		}
		break;
	case JSON_NULL:
		v.kind = V_NONE;
		break;
	}
	return v;
}

/* The string form of a scalar in s/n, using tmp (64 bytes) for numbers.
 * Returns 0, or -1 for missing, null, arrays and objects (s = ""). */
static int str_form(const val_t *v, char *tmp, const char **s, size_t *n)
{
	int k;

	switch (v->kind) {
	case V_STR:
	case V_SAFE:
		*s = v->s;
		*n = v->n;
		return 0;
	case V_INT:
		k = int_format(v->i, tmp);
		break;
	case V_REAL:
		k = snprintf(tmp, 64, "%.15g", v->d);
		break;
	case V_BOOL:
		k = snprintf(tmp, 64, "%s", v->i ? "true" : "false");
		break;
	default:
		*s = "";
		*n = 0;
		return -1;
	}
	*s = tmp;
	*n = (size_t)(k < 0 ? 0 : k);
	return 0;
}

/* Empty b and make room for n bytes plus the NUL; returns b->data. */
static char *room(buf_t *b, size_t n)
{
	buf_reset(b);
	buf_grow(b, n);
	b->data[0] = '\0';
	return b->data;
}

/* Make *v the C string now in b. */
static void take_cstr(val_t *v, buf_t *b)
{
	b->len = strlen(b->data);
	v->kind = V_STR;
	v->s = b->data;
	v->n = b->len;
}

/* Apply one filter; new strings go into o, which *v does not point into.
 * Returns 1 if *v now points into o, else 0. */
static int apply(enum filter f, val_t *v, buf_t *o)
{
	char tmp[64];
	const char *s;
	size_t n;

	if (v->kind == V_SAFE)
		v->kind = V_STR;	/* filtered output is never trusted */

	switch (f) {
	case F_YUAN:
	case F_WAN:
		if (v->kind != V_INT) {
			v->kind = V_NONE;
			return 0;
		}
		if (f == F_YUAN)
			money_format_yuan(v->i, room(o, 48), 48);
		else
			money_format_wan(v->i, room(o, 48), 48);
		take_cstr(v, o);
		return 1;
	case F_DATE:
	case F_DATETIME:
		if (v->kind != V_STR)
			return 0;
		/* on a non-date, date_format_cn copies the input: unchanged */
		date_format_cn(v->s, f == F_DATETIME, room(o, v->n + 64), v->n + 64);
		take_cstr(v, o);
		return 1;
	case F_MASK_ID:
	case F_MASK_PHONE:
	case F_MASK_NAME:
		if (v->kind != V_STR && v->kind != V_INT)
			return 0;
		str_form(v, tmp, &s, &n);
		if (f == F_MASK_ID)
			mask_idcard(s, room(o, n + 64), n + 64);
		else if (f == F_MASK_PHONE)
			mask_phone(s, room(o, n + 64), n + 64);
		else
			mask_name(s, room(o, n + 64), n + 64);
		take_cstr(v, o);
		return 1;
	case F_URL:
		if (str_form(v, tmp, &s, &n) < 0)
			return 0;
		room(o, n);
		url_escape(o, s, n);
		v->kind = V_STR;
		v->s = buf_cstr(o);
		v->n = o->len;
		return 1;
	case F_LEN:
		switch (v->kind) {
		case V_STR:
		case V_ARRAY:
		case V_OBJECT:
			v->i = (long long)v->n;
			break;
		case V_NONE:
			v->i = 0;
			break;
		default:
			return 0;
		}
		v->kind = V_INT;
		return 0;
	case F_COUNT:
		break;
	}
	return 0;
}

void val_filter(const struct expr *e, val_t *v, buf_t scratch[2])
{
	int in = -1;	/* which scratch buffer *v points into, if any */

	for (unsigned k = 0; k < e->nfilt; k++) {
		int o = in == 0 ? 1 : 0;
		if (apply((enum filter)e->filt[k], v, &scratch[o]))
			in = o;
	}
}

void val_print(buf_t *out, const val_t *v)
{
	char tmp[64];
	int k;

	switch (v->kind) {
	case V_STR:
		html_escape(out, v->s, v->n);
		break;
	case V_SAFE:
		buf_append(out, v->s, v->n);
		break;
	case V_INT:
		k = int_format(v->i, tmp);
		buf_append(out, tmp, (size_t)k);
		break;
	case V_REAL:
		k = snprintf(tmp, sizeof tmp, "%.15g", v->d);
		buf_append(out, tmp, (size_t)k);
		break;
	case V_BOOL:
		buf_puts(out, v->i ? "true" : "false");
		break;
	case V_NONE:
	case V_ARRAY:
	case V_OBJECT:
		break;
	}
}

int val_truthy(const val_t *v)
{
	switch (v->kind) {
	case V_STR:
	case V_SAFE:
	case V_ARRAY:
	case V_OBJECT:
		return v->n > 0;
	case V_INT:
	case V_BOOL:
		return v->i != 0;
	case V_REAL:
		return v->d != 0;
	case V_NONE:
		break;
	}
	return 0;
}

int val_equal(const val_t *a, const val_t *b)
{
	char ta[64], tb[64];
	const char *sa, *sb;
	size_t na, nb;

	if (a->kind == V_INT && b->kind == V_INT)
		return a->i == b->i;
	str_form(a, ta, &sa, &na);
	str_form(b, tb, &sb, &nb);
	return na == nb && memcmp(sa, sb, na) == 0;
}

/* ------------------------------------------------------------- scopes */

/* One step down from j: an object key, or an array index. */
static const json_t *descend(const json_t *j, const struct seg *s)
{
	if (json_is_object(j))
		return json_object_get(j, s->name);
	if (json_is_array(j) && s->index >= 0)
		return json_array_get(j, (size_t)s->index);
	return NULL;
}

const json_t *scope_json(const struct path *p, const struct frame *f)
{
	const json_t *j = NULL;

	if (p->kind == P_DOT)
		return f->val;
	if (p->kind != P_NAME)
		return NULL;
	/* the first segment: innermost scope that has it */
	for (; f && !j; f = f->up)
		if (f->val)
			j = descend(f->val, &p->seg[0]);
	for (unsigned i = 1; j && i < p->nseg; i++)
		j = descend(j, &p->seg[i]);
	return j;
}

val_t scope_val(const struct path *p, const struct frame *f)
{
	val_t v;

	if (p->kind == P_NAME || p->kind == P_DOT)
		return val_from_json(scope_json(p, f));
	memset(&v, 0, sizeof v);
	while (f && !f->each)
		f = f->up;
	if (!f)
		return v;	/* @index outside any #each: missing */
	switch (p->kind) {
	case P_INDEX:
		v.kind = V_INT;
		v.i = (long long)f->index;
		break;
	case P_NUM:
		v.kind = V_INT;
		v.i = (long long)f->index + 1;
		break;
	case P_FIRST:
		v.kind = V_BOOL;
		v.i = f->index == 0;
		break;
	case P_LAST:
		v.kind = V_BOOL;
		v.i = f->index + 1 == f->count;
		break;
	default:
		break;
	}
	return v;
}

val_t expr_eval(const struct expr *e, const struct frame *f, buf_t scratch[2])
{
	val_t v = scope_val(&e->path, f);
	if (e->nfilt)
		val_filter(e, &v, scratch);
	return v;
}

int cond_test(const struct cond *c, const struct frame *f, buf_t scratch[4])
{
	val_t a = expr_eval(&c->lhs, f, &scratch[0]), b;

	if (c->op == OP_TRUTHY)
		return val_truthy(&a);
	memset(&b, 0, sizeof b);
	switch (c->rkind) {
	case R_STR:
		b.kind = V_STR;
		b.s = c->rs;
		b.n = c->rn;
		break;
	case R_INT:
		b.kind = V_INT;
		b.i = c->ri;
		break;
	case R_EXPR:
		b = expr_eval(&c->rhs, f, &scratch[2]);
		break;
	}
	return val_equal(&a, &b) == (c->op == OP_EQ);
}
