/* tmpl_internal.h - the parsed form of templates, shared by template.c
 * (loading, parsing, rendering) and tmpl_filters.c (values and filters).
 * Not for use outside src/tmpl/. */
#ifndef ZZ_TMPL_INTERNAL_H
#define ZZ_TMPL_INTERNAL_H
#include "tmpl/template.h"
#include "core/arena.h"
#include "core/buf.h"
#include <stddef.h>

#define MAX_FILTERS 8          /* filters in one chain */
#define MAX_PARTIAL_DEPTH 32   /* partial calls nested in one render */
#define NO_ELSE ((unsigned)-1)  /* else_at while parsing a block without {{else}} */

enum filter {
	F_YUAN, F_WAN, F_DATE, F_DATETIME, F_MASK_ID, F_MASK_PHONE, F_MASK_NAME,
	F_URL, F_LEN, F_COUNT
};

enum path_kind {
	P_NAME,    /* a.b.0.c */
	P_DOT,     /* . : the innermost scope */
	P_INDEX,   /* @index (0-based) of the innermost #each */
	P_NUM,     /* @num (1-based) */
	P_FIRST,   /* @first */
	P_LAST,    /* @last */
};

struct seg {
	const char *name;   /* object key (NUL-terminated) */
	long index;         /* array index if the segment is all digits, else -1 */
};

struct path {
	enum path_kind kind;
	unsigned nseg;      /* P_NAME only */
	struct seg *seg;
};

struct expr {
	struct path path;
	unsigned char nfilt;
	unsigned char filt[MAX_FILTERS];   /* enum filter, applied left to right */
};

enum cond_op { OP_TRUTHY, OP_EQ, OP_NE };
enum operand_kind { R_STR, R_INT, R_EXPR };

struct cond {
	struct expr lhs;
	enum cond_op op;
	enum operand_kind rkind;   /* OP_EQ / OP_NE only */
	const char *rs;            /* R_STR: the literal (not escaped) */
	size_t rn;
	long long ri;              /* R_INT */
	struct expr rhs;           /* R_EXPR */
};

enum node_kind { N_TEXT, N_PRINT, N_IF, N_UNLESS, N_EACH, N_PARTIAL };

struct tmpl;

struct node {
	enum node_kind kind;
	unsigned line;
	unsigned else_at;   /* blocks: first node of the else branch (= end_at if none) */
	unsigned end_at;    /* blocks: index just past the block */
	union {
		struct {
			const char *s;
			size_t n;
		} text;                    /* N_TEXT: points into the file contents */
		struct expr *expr;         /* N_PRINT */
		struct cond *cond;         /* N_IF, N_UNLESS */
		struct path *path;         /* N_EACH */
		struct {
			const char *name;
			struct path *arg;      /* NULL: no pushed scope */
			const struct tmpl *t;  /* resolved after all files are read */
		} part;                    /* N_PARTIAL */
	} u;
};

struct tmpl {
	const char *name;   /* relative path, e.g. "auth/login.html" */
	struct node *nodes;
	unsigned nn;
};

struct tmpl_set {
	arena_t arena;      /* owns names, file contents, nodes, paths, literals */
	struct tmpl *t;     /* sorted by name (bsearch); malloc'd */
	size_t n;
};

/* The template called name, or NULL. */
const struct tmpl *tmpl_find(const tmpl_set *set, const char *name);

/* ------------------------------------------------ values (tmpl_filters.c) */

/* A value being printed, tested or filtered. Strings point into the JSON
 * context, a template literal or a scratch buffer; nothing is allocated. */
enum val_kind { V_NONE, V_STR, V_SAFE, V_INT, V_REAL, V_BOOL, V_ARRAY, V_OBJECT };

typedef struct {
	enum val_kind kind;
	const char *s;      /* V_STR, V_SAFE: NUL-terminated at s[n] */
	size_t n;           /* ... length; V_ARRAY, V_OBJECT: size */
	long long i;        /* V_INT, V_BOOL */
	double d;           /* V_REAL */
} val_t;

/* Classify a JSON value (NULL = missing). */
val_t val_from_json(const json_t *j);

/* Apply e's filters to *v in order. Results that are new strings are built
 * in scratch[0] or scratch[1] (reused, never freed here); *v may point into
 * either afterwards. */
void val_filter(const struct expr *e, val_t *v, buf_t scratch[2]);

/* Append v as the template prints it: strings HTML-escaped, V_SAFE raw,
 * integers in decimal, reals with %.15g, booleans as true/false, nothing
 * for missing, null, arrays and objects. */
void val_print(buf_t *out, const val_t *v);

/* 1 if v counts as true in {{#if}}: not missing/null/false/0/""/empty. */
int val_truthy(const val_t *v);

/* 1 if a and b are equal: numerically if both are integers, otherwise by
 * their string forms (missing/null/arrays/objects are ""). */
int val_equal(const val_t *a, const val_t *b);

/* ------------------------------------------------ scopes (tmpl_filters.c) */

/* One scope: the root context, an #each element or a partial's argument.
 * Frames live on the C stack of the renderer and link outwards. */
struct frame {
	const struct frame *up;
	const json_t *val;
	int each;               /* 1 for an #each element */
	size_t index, count;    /* #each: position and array size */
};

/* The JSON value at a name or "." path: the first segment is looked up in
 * the innermost scope whose value has it, later segments descend (object
 * key or array index). NULL if missing, and for @index and friends. */
const json_t *scope_json(const struct path *p, const struct frame *f);

/* Like scope_json, but also answers @index, @num, @first and @last from
 * the innermost #each frame. */
val_t scope_val(const struct path *p, const struct frame *f);

/* Look up e's path and apply its filters (see val_filter). */
val_t expr_eval(const struct expr *e, const struct frame *f, buf_t scratch[2]);

/* 1 if c holds in scope f. scratch[0..1] serve the left side, [2..3] the
 * right side, so both results stay valid while they are compared. */
int cond_test(const struct cond *c, const struct frame *f, buf_t scratch[4]);

#endif
