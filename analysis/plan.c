/*
 * Loading and validating analysis plans (plan.h, docs/plans.md). Like the
 * form loader it never stops at the first problem: every problem is
 * appended to a diag as "FILE: JSON-PATH: rule", so an analyst fixes a
 * plan in one pass. The default plan is written here as JSON and parsed by
 * the same code.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <sodium.h>

#include "plan.h"
#include "sdc.h"

#define PATH_LEN DIAG_PATH_MAX
#define COND_DEPTH_MAX 16

enum pc_op {
	PC_EQ, PC_NE, PC_LT, PC_LE, PC_GT, PC_GE, /* comparisons, in this order */
	PC_IN, PC_HAS, PC_ANSWERED, PC_ALL, PC_ANY, PC_NOT, PC__MAX
};

static const char *const cmp_keys[] = {"eq", "ne", "lt", "le", "gt", "ge"};

struct plan_cond {
	enum pc_op op;
	size_t ivar;
	double num;
	double *set; /* in */
	size_t nset;
	int bit;     /* has: choice index */
	int answered;
	struct plan_cond **kids;
	size_t nkids;
};

struct ctx {
	const char *file;
	const struct form *f;
	struct diag *diag;
	size_t before; /* problems in diag before this plan */
	struct plan *p;
	int nomem;
};

static void problem(struct ctx *c, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
problem(struct ctx *c, const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd_at(c->diag, c->file, path, fmt, ap);
	va_end(ap);
}

static void
cond_free(struct plan_cond *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nkids; i++)
		cond_free(c->kids[i]);
	free(c->kids);
	free(c->set);
	free(c);
}

/* Objects may only hold the listed keys. */
static void
unknown_keys(struct ctx *c, json_t *obj, const char *path,
    const char *const *keys)
{
	const char *k;
	json_t *v;
	char p[PATH_LEN];

	json_object_foreach(obj, k, v) {
		size_t i;
		(void)v;
		for (i = 0; keys[i] != NULL; i++)
			if (strcmp(keys[i], k) == 0)
				break;
		if (keys[i] == NULL)
			problem(c, diag_path_key(p, path, k), "unknown key");
	}
}

/* The variable named by member "var" of obj; -1 with a problem if none. */
static long
get_var(struct ctx *c, json_t *v, const char *path)
{
	long iv;

	if (!json_is_string(v)) {
		problem(c, path, "must be a variable name (a string)");
		return -1;
	}
	if ((iv = form_var_find(c->f, json_string_value(v))) < 0) {
		problem(c, path, "unknown variable \"%s\"", json_string_value(v));
		return -1;
	}
	if (c->f->vars[iv].type == FORM_T_TEXT) {
		problem(c, path, "free-text variable \"%s\" cannot be analysed",
		    json_string_value(v));
		return -1;
	}
	return iv;
}

static struct plan_cond *parse_cond(struct ctx *c, json_t *v,
    const char *path, int depth);

static struct plan_cond *
parse_list(struct ctx *c, json_t *arr, const char *path, int depth,
    enum pc_op op)
{
	struct plan_cond *pc;
	char p[PATH_LEN];
	size_t i;
	json_t *e;

	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		problem(c, path, "must be a non-empty array of conditions");
		return NULL;
	}
	if ((pc = calloc(1, sizeof(*pc))) == NULL ||
	    (pc->kids = calloc(json_array_size(arr), sizeof(*pc->kids))) ==
	    NULL) {
		free(pc);
		c->nomem = 1;
		return NULL;
	}
	pc->op = op;
	json_array_foreach(arr, i, e) {
		struct plan_cond *k = parse_cond(c, e, diag_path_idx(p, path, i),
		    depth + 1);
		if (k != NULL)
			pc->kids[pc->nkids++] = k;
	}
	if (pc->nkids != json_array_size(arr)) {
		cond_free(pc);
		return NULL;
	}
	return pc;
}

static struct plan_cond *
parse_cond(struct ctx *c, json_t *v, const char *path, int depth)
{
	static const char *const keys[] = {"var", "eq", "ne", "lt", "le",
	    "gt", "ge", "in", "has", "answered", "all", "any", "not", NULL};
	struct plan_cond *pc = NULL;
	char p[PATH_LEN];
	json_t *x, *var;
	long iv;
	int nops = 0;
	enum pc_op op = PC__MAX;

	if (depth > COND_DEPTH_MAX) {
		problem(c, path, "conditions nested deeper than %d",
		    COND_DEPTH_MAX);
		return NULL;
	}
	if (!json_is_object(v)) {
		problem(c, path, "a condition must be an object");
		return NULL;
	}
	unknown_keys(c, v, path, keys);
	if ((x = json_object_get(v, "all")) != NULL)
		return parse_list(c, x, diag_path_key(p, path, "all"), depth, PC_ALL);
	if ((x = json_object_get(v, "any")) != NULL)
		return parse_list(c, x, diag_path_key(p, path, "any"), depth, PC_ANY);
	if ((x = json_object_get(v, "not")) != NULL) {
		struct plan_cond *k = parse_cond(c, x, diag_path_key(p, path, "not"),
		    depth + 1);
		if (k == NULL)
			return NULL;
		if ((pc = calloc(1, sizeof(*pc))) == NULL ||
		    (pc->kids = calloc(1, sizeof(*pc->kids))) == NULL) {
			free(pc);
			cond_free(k);
			c->nomem = 1;
			return NULL;
		}
		pc->op = PC_NOT;
		pc->kids[0] = k;
		pc->nkids = 1;
		return pc;
	}
	if ((var = json_object_get(v, "var")) == NULL) {
		problem(c, path, "needs \"var\" (or \"all\", \"any\", \"not\")");
		return NULL;
	}
	iv = get_var(c, var, diag_path_key(p, path, "var"));
	for (int i = 0; i < 6; i++)
		if (json_object_get(v, cmp_keys[i]) != NULL) {
			op = (enum pc_op)i;
			nops++;
		}
	if (json_object_get(v, "in") != NULL) {
		op = PC_IN;
		nops++;
	}
	if (json_object_get(v, "has") != NULL) {
		op = PC_HAS;
		nops++;
	}
	if (json_object_get(v, "answered") != NULL) {
		op = PC_ANSWERED;
		nops++;
	}
	if (nops != 1) {
		problem(c, path, "needs exactly one of eq, ne, lt, le, gt, ge, "
		    "in, has, answered");
		return NULL;
	}
	if ((pc = calloc(1, sizeof(*pc))) == NULL) {
		c->nomem = 1;
		return NULL;
	}
	pc->op = op;
	pc->ivar = iv < 0 ? 0 : (size_t)iv;
	if (op <= PC_GE) {
		x = json_object_get(v, cmp_keys[op]);
		diag_path_key(p, path, cmp_keys[op]);
		if (!json_is_number(x) || !isfinite(json_number_value(x))) {
			problem(c, p, "must be a number");
			goto bad;
		}
		pc->num = json_number_value(x);
		if (iv >= 0 && c->f->vars[iv].type == FORM_T_SET) {
			problem(c, p, "\"%s\" is a multiple choice: use \"has\"",
			    c->f->vars[iv].name);
			goto bad;
		}
	} else if (op == PC_IN) {
		size_t i;
		json_t *e;
		x = json_object_get(v, "in");
		diag_path_key(p, path, "in");
		if (!json_is_array(x) || json_array_size(x) == 0 ||
		    json_array_size(x) > 1000) {
			problem(c, p, "must be an array of 1 to 1000 numbers");
			goto bad;
		}
		if ((pc->set = calloc(json_array_size(x), sizeof(double))) ==
		    NULL) {
			c->nomem = 1;
			goto bad;
		}
		json_array_foreach(x, i, e) {
			char q[PATH_LEN];
			if (!json_is_number(e)) {
				problem(c, diag_path_idx(q, p, i), "must be a number");
				goto bad;
			}
			pc->set[pc->nset++] = json_number_value(e);
		}
	} else if (op == PC_HAS) {
		const struct form_item *it;
		x = json_object_get(v, "has");
		diag_path_key(p, path, "has");
		if (iv < 0)
			goto bad;
		it = c->f->vars[iv].item;
		if (c->f->vars[iv].type != FORM_T_SET) {
			problem(c, p, "\"has\" needs a multiple-choice variable");
			goto bad;
		}
		if (!json_is_integer(x) ||
		    form_choice_find(it, (long)json_integer_value(x)) == NULL) {
			problem(c, p, "must be one of the choice values of \"%s\"",
			    c->f->vars[iv].name);
			goto bad;
		}
		pc->bit = (int)(form_choice_find(it,
		    (long)json_integer_value(x)) - it->choices);
	} else {
		x = json_object_get(v, "answered");
		if (!json_is_boolean(x)) {
			problem(c, diag_path_key(p, path, "answered"),
			    "must be true or false");
			goto bad;
		}
		pc->answered = json_is_true(x);
	}
	if (iv < 0)
		goto bad;
	return pc;
bad:
	cond_free(pc);
	return NULL;
}

enum form_tri
plan_cond_eval(const struct plan_cond *c, const struct dataset *d, size_t r)
{
	enum form_tri t, acc;
	double x;

	switch (c->op) {
	case PC_ALL:
	case PC_ANY:
		acc = c->op == PC_ALL ? FORM_TRUE : FORM_FALSE;
		for (size_t i = 0; i < c->nkids; i++) {
			t = plan_cond_eval(c->kids[i], d, r);
			if (c->op == PC_ALL && t == FORM_FALSE)
				return FORM_FALSE;
			if (c->op == PC_ANY && t == FORM_TRUE)
				return FORM_TRUE;
			if (t == FORM_UNKNOWN)
				acc = FORM_UNKNOWN;
		}
		return acc;
	case PC_NOT:
		t = plan_cond_eval(c->kids[0], d, r);
		return t == FORM_UNKNOWN ? t : t == FORM_TRUE ? FORM_FALSE :
		    FORM_TRUE;
	case PC_ANSWERED:
		return ds_set(d, c->ivar, r) == c->answered ? FORM_TRUE :
		    FORM_FALSE;
	case PC_HAS:
		if (!ds_known(d, c->ivar, r))
			return FORM_UNKNOWN;
		return (d->cols[c->ivar].mask[r] >> c->bit & 1) ? FORM_TRUE :
		    FORM_FALSE;
	default:
		break;
	}
	if (!ds_num(d, c->ivar, r, &x))
		return FORM_UNKNOWN;
	switch (c->op) {
	case PC_EQ: return x == c->num ? FORM_TRUE : FORM_FALSE;
	case PC_NE: return x != c->num ? FORM_TRUE : FORM_FALSE;
	case PC_LT: return x < c->num ? FORM_TRUE : FORM_FALSE;
	case PC_LE: return x <= c->num ? FORM_TRUE : FORM_FALSE;
	case PC_GT: return x > c->num ? FORM_TRUE : FORM_FALSE;
	case PC_GE: return x >= c->num ? FORM_TRUE : FORM_FALSE;
	case PC_IN:
		for (size_t i = 0; i < c->nset; i++)
			if (x == c->set[i])
				return FORM_TRUE;
		return FORM_FALSE;
	default:
		return FORM_UNKNOWN;
	}
}

int
plan_cond_single_var(const struct plan_cond *c, size_t *iv)
{
	size_t v;

	switch (c->op) {
	case PC_ALL:
	case PC_ANY:
	case PC_NOT:
		if (c->nkids == 0 || !plan_cond_single_var(c->kids[0], iv))
			return 0;
		for (size_t i = 1; i < c->nkids; i++)
			if (!plan_cond_single_var(c->kids[i], &v) || v != *iv)
				return 0;
		return 1;
	case PC_HAS:
		return 0;
	default:
		*iv = c->ivar;
		return 1;
	}
}

enum form_tri
plan_cond_eval_value(const struct plan_cond *c, int set, int known, double x)
{
	enum form_tri t, acc;

	switch (c->op) {
	case PC_ALL:
	case PC_ANY:
		acc = c->op == PC_ALL ? FORM_TRUE : FORM_FALSE;
		for (size_t i = 0; i < c->nkids; i++) {
			t = plan_cond_eval_value(c->kids[i], set, known, x);
			if (c->op == PC_ALL && t == FORM_FALSE)
				return FORM_FALSE;
			if (c->op == PC_ANY && t == FORM_TRUE)
				return FORM_TRUE;
			if (t == FORM_UNKNOWN)
				acc = FORM_UNKNOWN;
		}
		return acc;
	case PC_NOT:
		t = plan_cond_eval_value(c->kids[0], set, known, x);
		return t == FORM_UNKNOWN ? t : t == FORM_TRUE ? FORM_FALSE :
		    FORM_TRUE;
	case PC_ANSWERED:
		return set == c->answered ? FORM_TRUE : FORM_FALSE;
	case PC_HAS:
		return FORM_UNKNOWN;
	default:
		break;
	}
	if (!known)
		return FORM_UNKNOWN;
	switch (c->op) {
	case PC_EQ: return x == c->num ? FORM_TRUE : FORM_FALSE;
	case PC_NE: return x != c->num ? FORM_TRUE : FORM_FALSE;
	case PC_LT: return x < c->num ? FORM_TRUE : FORM_FALSE;
	case PC_LE: return x <= c->num ? FORM_TRUE : FORM_FALSE;
	case PC_GT: return x > c->num ? FORM_TRUE : FORM_FALSE;
	case PC_GE: return x >= c->num ? FORM_TRUE : FORM_FALSE;
	case PC_IN:
		for (size_t i = 0; i < c->nset; i++)
			if (x == c->set[i])
				return FORM_TRUE;
		return FORM_FALSE;
	default:
		return FORM_UNKNOWN;
	}
}

static int
valid_name(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n > 64)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') ||
		        (s[i] >= '0' && s[i] <= '9') || s[i] == '_'))
			return 0;
	return 1;
}

/* An optional short string member, copied; problems for bad types. */
static char *
opt_string(struct ctx *c, json_t *obj, const char *path, const char *key,
    size_t max)
{
	char p[PATH_LEN];
	json_t *v = json_object_get(obj, key);
	char *s;

	if (v == NULL)
		return NULL;
	if (!json_is_string(v) || json_string_length(v) == 0 ||
	    json_string_length(v) > max) {
		problem(c, diag_path_key(p, path, key), "must be a string of 1 to "
		    "%zu bytes", max);
		return NULL;
	}
	if ((s = strdup(json_string_value(v))) == NULL)
		c->nomem = 1;
	return s;
}

static void
parse_groups(struct ctx *c, json_t *arr, const char *path)
{
	static const char *const keys[] = {"name", "label", "a", "b",
	    "a_label", "b_label", NULL};
	struct plan *p = c->p;
	char q[PATH_LEN], r[PATH_LEN];
	size_t i;
	json_t *e, *x;

	if (!json_is_array(arr) || json_array_size(arr) > PLAN_MAX_LIST) {
		problem(c, path, "must be an array of at most %d groups",
		    PLAN_MAX_LIST);
		return;
	}
	if ((p->groups = calloc(json_array_size(arr) + 1,
	    sizeof(*p->groups))) == NULL) {
		c->nomem = 1;
		return;
	}
	json_array_foreach(arr, i, e) {
		struct plan_group *g = &p->groups[p->ngroups++];
		diag_path_idx(q, path, i);
		if (!json_is_object(e)) {
			problem(c, q, "a group must be an object");
			continue;
		}
		unknown_keys(c, e, q, keys);
		x = json_object_get(e, "name");
		if (!json_is_string(x) || !valid_name(json_string_value(x)))
			problem(c, diag_path_key(r, q, "name"), "must be a name of "
			    "[a-z0-9_], 1 to 64 characters");
		else if ((g->name = strdup(json_string_value(x))) == NULL)
			c->nomem = 1;
		for (size_t j = 0; g->name != NULL && j + 1 < p->ngroups; j++)
			if (p->groups[j].name != NULL &&
			    strcmp(p->groups[j].name, g->name) == 0)
				problem(c, diag_path_key(r, q, "name"),
				    "duplicate group name \"%s\"", g->name);
		g->label = opt_string(c, e, q, "label", 200);
		g->a_label = opt_string(c, e, q, "a_label", 60);
		g->b_label = opt_string(c, e, q, "b_label", 60);
		if ((x = json_object_get(e, "a")) == NULL)
			problem(c, diag_path_key(r, q, "a"), "missing");
		else
			g->a = parse_cond(c, x, diag_path_key(r, q, "a"), 0);
		if ((x = json_object_get(e, "b")) == NULL)
			problem(c, diag_path_key(r, q, "b"), "missing");
		else
			g->b = parse_cond(c, x, diag_path_key(r, q, "b"), 0);
	}
}

static void
parse_outcomes(struct ctx *c, json_t *arr, const char *path)
{
	struct plan *p = c->p;
	char q[PATH_LEN];
	size_t i;
	json_t *e;

	if (!json_is_array(arr) || json_array_size(arr) == 0 ||
	    json_array_size(arr) > PLAN_MAX_LIST) {
		problem(c, path, "must be an array of 1 to %d variable names",
		    PLAN_MAX_LIST);
		return;
	}
	if ((p->outcomes = calloc(json_array_size(arr),
	    sizeof(*p->outcomes))) == NULL) {
		c->nomem = 1;
		return;
	}
	json_array_foreach(arr, i, e) {
		long iv = get_var(c, e, diag_path_idx(q, path, i));
		if (iv < 0)
			continue;
		for (size_t j = 0; j < p->noutcomes; j++)
			if (p->outcomes[j] == (size_t)iv) {
				problem(c, q, "duplicate outcome \"%s\"",
				    c->f->vars[iv].name);
				iv = -1;
				break;
			}
		if (iv >= 0)
			p->outcomes[p->noutcomes++] = (size_t)iv;
	}
}

static void
parse_covariates(struct ctx *c, json_t *arr, const char *path)
{
	static const char *const keys[] = {"var", "coding", NULL};
	struct plan *p = c->p;
	char q[PATH_LEN], r[PATH_LEN];
	size_t i;
	json_t *e, *x;

	if (!json_is_array(arr) || json_array_size(arr) > 32) {
		problem(c, path, "must be an array of at most 32 covariates");
		return;
	}
	if ((p->covs = calloc(json_array_size(arr) + 1, sizeof(*p->covs))) ==
	    NULL) {
		c->nomem = 1;
		return;
	}
	json_array_foreach(arr, i, e) {
		struct plan_covariate cv = {0, PLAN_NUMERIC};
		long iv;
		diag_path_idx(q, path, i);
		if (json_is_object(e)) {
			unknown_keys(c, e, q, keys);
			iv = get_var(c, json_object_get(e, "var"),
			    diag_path_key(r, q, "var"));
			x = json_object_get(e, "coding");
			if (x != NULL && json_is_string(x) &&
			    strcmp(json_string_value(x), "dummies") == 0)
				cv.coding = PLAN_DUMMIES;
			else if (x != NULL && !(json_is_string(x) &&
			    strcmp(json_string_value(x), "numeric") == 0)) {
				problem(c, diag_path_key(r, q, "coding"),
				    "must be \"numeric\" or \"dummies\"");
				iv = -1;
			}
		} else {
			iv = get_var(c, e, q);
		}
		if (iv < 0)
			continue;
		if (cv.coding == PLAN_DUMMIES && c->f->vars[iv].type != FORM_T_INT)
			problem(c, q, "dummies need an integer-coded variable");
		cv.ivar = (size_t)iv;
		p->covs[p->ncovs++] = cv;
	}
}

/* The codes a categorical variable can take, or NULL (none listed). */
static const struct form_item *
coded_item(const struct form *f, size_t iv)
{
	const struct form_var *v = &f->vars[iv];

	if (v->item == NULL || v->row != NULL)
		return NULL;
	switch (v->item->kind) {
	case FORM_SINGLE:
	case FORM_DURATION:
		return v->item;
	default:
		return NULL;
	}
}

/*
 * Is the variable categorical (codes, not amounts): a single choice, a
 * duration, yes/no, a band or criteria score?
 */
static int
categorical(const struct form *f, size_t iv)
{
	const struct form_var *v = &f->vars[iv];

	if (v->score != NULL)
		return v->score->kind == FORM_SCORE_BANDS ||
		    v->score->kind == FORM_SCORE_CRITERIA;
	if (v->row != NULL)
		return 0;
	return v->item->kind == FORM_SINGLE || v->item->kind == FORM_DURATION ||
	    v->item->kind == FORM_YESNO;
}

/* Can the variable be compared as a number (means, ranks)? */
static int
numeric(const struct form *f, size_t iv)
{
	const struct form_var *v = &f->vars[iv];

	if (v->type == FORM_T_TEXT || v->type == FORM_T_SET)
		return 0;
	return !categorical(f, iv);
}

/* A name member shared by paired comparisons and factors. */
static char *
get_name(struct ctx *c, json_t *e, const char *q)
{
	char r[PATH_LEN];
	json_t *x = json_object_get(e, "name");
	char *s;

	if (!json_is_string(x) || !valid_name(json_string_value(x))) {
		problem(c, diag_path_key(r, q, "name"), "must be a name of "
		    "[a-z0-9_], 1 to 64 characters");
		return NULL;
	}
	if ((s = strdup(json_string_value(x))) == NULL)
		c->nomem = 1;
	return s;
}

static void
parse_paired(struct ctx *c, json_t *arr, const char *path)
{
	static const char *const keys[] = {"name", "label", "x", "y", NULL};
	struct plan *p = c->p;
	char q[PATH_LEN], r[PATH_LEN];
	size_t i;
	json_t *e;

	if (!json_is_array(arr) || json_array_size(arr) > PLAN_MAX_PAIRED) {
		problem(c, path, "must be an array of at most %d paired "
		    "comparisons", PLAN_MAX_PAIRED);
		return;
	}
	if ((p->paired = calloc(json_array_size(arr) + 1,
	    sizeof(*p->paired))) == NULL) {
		c->nomem = 1;
		return;
	}
	json_array_foreach(arr, i, e) {
		struct plan_paired *pp = &p->paired[p->npaired];
		long ix, iy;
		diag_path_idx(q, path, i);
		if (!json_is_object(e)) {
			problem(c, q, "a paired comparison must be an object "
			    "{\"name\", \"x\", \"y\"}");
			continue;
		}
		p->npaired++;
		unknown_keys(c, e, q, keys);
		pp->name = get_name(c, e, q);
		for (size_t j = 0; pp->name != NULL && j + 1 < p->npaired; j++)
			if (p->paired[j].name != NULL &&
			    strcmp(p->paired[j].name, pp->name) == 0)
				problem(c, diag_path_key(r, q, "name"),
				    "duplicate paired comparison \"%s\"",
				    pp->name);
		pp->label = opt_string(c, e, q, "label", 200);
		ix = get_var(c, json_object_get(e, "x"), diag_path_key(r, q, "x"));
		if (ix >= 0 && !numeric(c->f, (size_t)ix))
			problem(c, r, "\"%s\" is not numeric: a paired "
			    "comparison takes two numeric answers",
			    c->f->vars[ix].name);
		iy = get_var(c, json_object_get(e, "y"), diag_path_key(r, q, "y"));
		if (iy >= 0 && !numeric(c->f, (size_t)iy))
			problem(c, r, "\"%s\" is not numeric: a paired "
			    "comparison takes two numeric answers",
			    c->f->vars[iy].name);
		if (ix >= 0 && ix == iy)
			problem(c, r, "x and y must be two different variables");
		pp->x = ix >= 0 ? (size_t)ix : 0;
		pp->y = iy >= 0 ? (size_t)iy : 0;
	}
}

/* The "levels" of a factor: codes of the variable, 2 or more, distinct. */
static void
parse_levels(struct ctx *c, json_t *x, const char *path,
    struct plan_factor *fc)
{
	const struct form_item *it = coded_item(c->f, fc->ivar);
	char q[PATH_LEN];
	size_t i;
	json_t *e;

	if (!json_is_array(x) || json_array_size(x) < 2 ||
	    json_array_size(x) > PLAN_MAX_LEVELS) {
		problem(c, path, "must be an array of 2 to %d codes",
		    PLAN_MAX_LEVELS);
		return;
	}
	json_array_foreach(x, i, e) {
		long v;
		diag_path_idx(q, path, i);
		if (!json_is_integer(e)) {
			problem(c, q, "must be an integer code");
			continue;
		}
		v = (long)json_integer_value(e);
		if (it != NULL) {
			const struct form_choice *ch = form_choice_find(it, v);
			if (ch == NULL) {
				problem(c, q, "%ld is not a code of \"%s\"", v,
				    c->f->vars[fc->ivar].name);
				continue;
			}
			if (ch->missing) {
				problem(c, q, "%ld is a missing code (\"prefer "
				    "not to say\"), not a level", v);
				continue;
			}
		}
		for (size_t j = 0; j < fc->nlevels; j++)
			if (fc->levels[j] == v) {
				problem(c, q, "duplicate level %ld", v);
				v = LONG_MIN;
				break;
			}
		if (v != LONG_MIN)
			fc->levels[fc->nlevels++] = v;
	}
}

static void
parse_factors(struct ctx *c, json_t *arr, const char *path)
{
	static const char *const keys[] = {"name", "label", "var", "levels",
	    NULL};
	struct plan *p = c->p;
	char q[PATH_LEN], r[PATH_LEN];
	size_t i;
	json_t *e, *x;

	if (!json_is_array(arr) || json_array_size(arr) > PLAN_MAX_FACTORS) {
		problem(c, path, "must be an array of at most %d factors",
		    PLAN_MAX_FACTORS);
		return;
	}
	if ((p->factors = calloc(json_array_size(arr) + 1,
	    sizeof(*p->factors))) == NULL) {
		c->nomem = 1;
		return;
	}
	json_array_foreach(arr, i, e) {
		struct plan_factor *fc = &p->factors[p->nfactors];
		long iv;
		diag_path_idx(q, path, i);
		if (!json_is_object(e)) {
			problem(c, q, "a factor must be an object {\"name\", "
			    "\"var\"}");
			continue;
		}
		p->nfactors++;
		unknown_keys(c, e, q, keys);
		fc->name = get_name(c, e, q);
		for (size_t j = 0; fc->name != NULL && j + 1 < p->nfactors; j++)
			if (p->factors[j].name != NULL &&
			    strcmp(p->factors[j].name, fc->name) == 0)
				problem(c, diag_path_key(r, q, "name"),
				    "duplicate factor \"%s\"", fc->name);
		fc->label = opt_string(c, e, q, "label", 200);
		iv = get_var(c, json_object_get(e, "var"),
		    diag_path_key(r, q, "var"));
		if (iv < 0)
			continue;
		if (!categorical(c->f, (size_t)iv)) {
			problem(c, r, "\"%s\" is not categorical: a factor's "
			    "levels are the codes of a single choice, duration, "
			    "yes/no or band", c->f->vars[iv].name);
			continue;
		}
		fc->ivar = (size_t)iv;
		if ((x = json_object_get(e, "levels")) != NULL)
			parse_levels(c, x, diag_path_key(r, q, "levels"), fc);
	}
}

/* The default levels of factor fc: the form's codes that are not missing. */
static void
default_levels(struct ctx *c, struct plan_factor *fc, const char *path)
{
	const struct form_var *v = &c->f->vars[fc->ivar];
	long codes[FORM_MAX_CHOICES + 64];
	size_t n = 0;

	if (v->score != NULL && v->score->kind == FORM_SCORE_BANDS) {
		for (size_t i = 0; i <= v->score->ncuts && n < 128; i++)
			codes[n++] = (long)i;
	} else if (v->score != NULL || v->item->kind == FORM_YESNO) {
		codes[n++] = 1;
		codes[n++] = 0;
	} else {
		for (size_t i = 0; i < v->item->nchoices && n < 128; i++)
			if (!v->item->choices[i].missing)
				codes[n++] = v->item->choices[i].value;
	}
	if (n > PLAN_MAX_LEVELS) {
		problem(c, path, "\"%s\" has %zu codes: list at most %d of them "
		    "in \"levels\"", v->name, n, PLAN_MAX_LEVELS);
		return;
	}
	if (n < 2) {
		problem(c, path, "\"%s\" has fewer than 2 codes", v->name);
		return;
	}
	memcpy(fc->levels, codes, n * sizeof(*codes));
	fc->nlevels = n;
}

/* The label of code v of variable iv, for a factor's group names. */
static const char *
code_label(const struct form *f, size_t iv, long v)
{
	const struct form_var *fv = &f->vars[iv];

	if (fv->score != NULL && fv->score->kind == FORM_SCORE_BANDS) {
		if (v >= 0 && (size_t)v <= fv->score->ncuts)
			return form_text_get(f, &fv->score->band_labels[v], 0);
		return NULL;
	}
	if (fv->score != NULL || fv->item->kind == FORM_YESNO)
		return v == 1 ? "yes" : v == 0 ? "no" : NULL;
	const struct form_choice *ch = form_choice_find(fv->item, v);
	return ch ? form_text_get(f, &ch->label, 0) : NULL;
}

static struct plan_cond *
cond_eq(struct ctx *c, size_t iv, long v)
{
	struct plan_cond *pc = calloc(1, sizeof(*pc));

	if (pc == NULL) {
		c->nomem = 1;
		return NULL;
	}
	pc->op = PC_EQ;
	pc->ivar = iv;
	pc->num = (double)v;
	return pc;
}

/* A string "<a> vs <b>"-like of at most max bytes, or NULL. */
static char *
bounded(struct ctx *c, size_t max, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static char *
bounded(struct ctx *c, size_t max, const char *fmt, ...)
{
	char *s = malloc(max + 1);
	va_list ap;

	if (s == NULL) {
		c->nomem = 1;
		return NULL;
	}
	va_start(ap, fmt);
	vsnprintf(s, max + 1, fmt, ap);
	va_end(ap);
	return s;
}

/* One group per pair of levels of every factor, after the plan's groups. */
static void
expand_factors(struct ctx *c)
{
	struct plan *p = c->p;
	size_t add = 0;
	char q[PATH_LEN];

	for (size_t i = 0; i < p->nfactors; i++) {
		struct plan_factor *fc = &p->factors[i];
		if (fc->name == NULL)
			continue;
		diag_path_idx(q, "factors", i);
		if (strlen(fc->name) > 40)
			problem(c, q, "a factor's name is at most 40 characters "
			    "(its groups add their levels to it)");
		if (fc->nlevels == 0)
			default_levels(c, fc, q);
		add += fc->nlevels * (fc->nlevels - (fc->nlevels > 0)) / 2;
	}
	if (add == 0 || c->diag->total > c->before)
		return;
	if (p->ngroups + add > PLAN_MAX_LIST) {
		problem(c, "factors", "the factors add %zu groups to the plan's "
		    "%zu: at most %d in all", add, p->ngroups, PLAN_MAX_LIST);
		return;
	}
	struct plan_group *g = realloc(p->groups, (p->ngroups + add + 1) *
	    sizeof(*g));
	if (g == NULL) {
		c->nomem = 1;
		return;
	}
	p->groups = g;
	for (size_t i = 0; i < p->nfactors; i++) {
		struct plan_factor *fc = &p->factors[i];
		diag_path_idx(q, "factors", i);
		const char *vl = form_text_get(c->f, c->f->vars[fc->ivar].item ?
		    &c->f->vars[fc->ivar].item->label :
		    &c->f->vars[fc->ivar].score->label, 0);
		for (size_t a = 0; a < fc->nlevels; a++)
			for (size_t b = a + 1; b < fc->nlevels; b++) {
				struct plan_group *pg = &p->groups[p->ngroups++];
				long la = fc->levels[a], lb = fc->levels[b];
				const char *ta = code_label(c->f, fc->ivar, la);
				const char *tb = code_label(c->f, fc->ivar, lb);
				memset(pg, 0, sizeof(*pg));
				pg->name = bounded(c, 64, "%s_%s%ld_vs_%s%ld",
				    fc->name, la < 0 ? "m" : "", la < 0 ? -la : la,
				    lb < 0 ? "m" : "", lb < 0 ? -lb : lb);
				pg->label = bounded(c, 200, "%s: %s vs %s",
				    fc->label ? fc->label : vl ? vl : fc->name,
				    ta ? ta : "?", tb ? tb : "?");
				pg->a_label = bounded(c, 60, "%s", ta ? ta : "level a");
				pg->b_label = bounded(c, 60, "%s", tb ? tb : "level b");
				pg->a = cond_eq(c, fc->ivar, la);
				pg->b = cond_eq(c, fc->ivar, lb);
				pg->from_factor = 1;
				pg->factor = i;
				pg->la = a;
				pg->lb = b;
				for (size_t j = 0; pg->name && j + 1 < p->ngroups; j++)
					if (p->groups[j].name != NULL &&
					    strcmp(p->groups[j].name, pg->name) == 0)
						problem(c, q, "group \"%s\" of factor "
						    "\"%s\" is also a group of the plan",
						    pg->name, fc->name);
			}
	}
}

static void
parse_strata(struct ctx *c, json_t *arr, const char *path)
{
	struct plan *p = c->p;
	char q[PATH_LEN];
	size_t i;
	json_t *e;

	if (!json_is_array(arr) || json_array_size(arr) > PLAN_MAX_STRATA) {
		problem(c, path, "must be an array of at most %d variable names",
		    PLAN_MAX_STRATA);
		return;
	}
	json_array_foreach(arr, i, e) {
		long iv = get_var(c, e, diag_path_idx(q, path, i));
		if (iv < 0)
			continue;
		if (!categorical(c->f, (size_t)iv)) {
			problem(c, q, "\"%s\" is not categorical: strata are "
			    "the codes of a single choice, duration, yes/no or "
			    "band", c->f->vars[iv].name);
			continue;
		}
		for (size_t j = 0; j < p->nstrata; j++)
			if (p->strata[j] == (size_t)iv) {
				problem(c, q, "duplicate stratum \"%s\"",
				    c->f->vars[iv].name);
				iv = -1;
				break;
			}
		if (iv >= 0)
			p->strata[p->nstrata++] = (size_t)iv;
	}
}

static void
parse_root(struct ctx *c, json_t *root)
{
	static const char *const keys[] = {"description", "outcomes",
	    "groups", "covariates", "correlations", "k", "alpha",
	    "multiplicity", "paired", "factors", "strata", NULL};
	struct plan *p = c->p;
	json_t *x;

	if (!json_is_object(root)) {
		problem(c, "", "a plan must be a JSON object");
		return;
	}
	unknown_keys(c, root, "", keys);
	x = json_object_get(root, "description");
	if (x != NULL && !json_is_string(x))
		problem(c, "description", "must be a string");
	if ((x = json_object_get(root, "outcomes")) == NULL)
		problem(c, "outcomes", "missing");
	else
		parse_outcomes(c, x, "outcomes");
	if ((x = json_object_get(root, "groups")) != NULL)
		parse_groups(c, x, "groups");
	if ((x = json_object_get(root, "covariates")) != NULL)
		parse_covariates(c, x, "covariates");
	if ((x = json_object_get(root, "paired")) != NULL)
		parse_paired(c, x, "paired");
	if ((x = json_object_get(root, "factors")) != NULL)
		parse_factors(c, x, "factors");
	if ((x = json_object_get(root, "strata")) != NULL)
		parse_strata(c, x, "strata");
	expand_factors(c);
	p->correlations = 1;
	if ((x = json_object_get(root, "correlations")) != NULL) {
		if (!json_is_boolean(x))
			problem(c, "correlations", "must be true or false");
		else
			p->correlations = json_is_true(x);
	}
	p->k = SDC_K_DEFAULT;
	if ((x = json_object_get(root, "k")) != NULL) {
		if (!json_is_integer(x) ||
		    sdc_check_k((long)json_integer_value(x)) != SDC_OK ||
		    json_integer_value(x) > 1000000)
			problem(c, "k", "must be an integer from %d to 1000000",
			    SDC_K_MIN);
		else {
			p->k = (long)json_integer_value(x);
			p->has_k = 1;
		}
	}
	p->alpha = 0.05;
	if ((x = json_object_get(root, "alpha")) != NULL) {
		if (!json_is_number(x) || !(json_number_value(x) > 0) ||
		    !(json_number_value(x) < 1))
			problem(c, "alpha", "must be a number between 0 and 1");
		else
			p->alpha = json_number_value(x);
	}
	p->padj = PLAN_HOLM;
	if ((x = json_object_get(root, "multiplicity")) != NULL) {
		if (json_is_string(x) &&
		    strcmp(json_string_value(x), "holm") == 0)
			p->padj = PLAN_HOLM;
		else if (json_is_string(x) &&
		    strcmp(json_string_value(x), "BH") == 0)
			p->padj = PLAN_BH;
		else
			problem(c, "multiplicity", "must be \"holm\" or \"BH\"");
	}
}

int
plan_load_buffer(const char *name, const char *buf, size_t len,
    const struct form *f, struct plan **out, struct diag *diag)
{
	struct ctx c;
	json_error_t jerr;
	json_t *root;
	size_t before = diag->total;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.file = name;
	c.f = f;
	c.diag = diag;
	c.before = diag->total;
	if (len > PLAN_MAX_BYTES) {
		diag_add(diag, name, "larger than %d bytes", PLAN_MAX_BYTES);
		return -1;
	}
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		diag_add(diag, name, "line %d, column %d: invalid JSON: %s",
		    jerr.line, jerr.column, jerr.text);
		return -1;
	}
	if ((c.p = calloc(1, sizeof(*c.p))) == NULL ||
	    (c.p->source = strdup(name)) == NULL) {
		json_decref(root);
		plan_free(c.p);
		diag_add(diag, name, "out of memory");
		return -1;
	}
	parse_root(&c, root);
	json_decref(root);
	if (c.nomem)
		diag_add(diag, name, "out of memory");
	crypto_hash_sha256(c.p->sha256, (const unsigned char *)buf, len);
	if (diag->total != before) {
		plan_free(c.p);
		return -1;
	}
	*out = c.p;
	return 0;
}

int
plan_load(const char *path, const struct form *f, struct plan **out,
    struct diag *diag)
{
	FILE *fp;
	char *buf = NULL;
	size_t n;
	int rc = -1;

	*out = NULL;
	if ((fp = fopen(path, "rb")) == NULL) {
		diag_add(diag, path, "cannot open: %s", strerror(errno));
		return -1;
	}
	if ((buf = malloc(PLAN_MAX_BYTES + 1)) == NULL) {
		diag_add(diag, path, "out of memory");
		goto out;
	}
	n = fread(buf, 1, PLAN_MAX_BYTES + 1, fp);
	if (ferror(fp)) {
		diag_add(diag, path, "read error: %s", strerror(errno));
		goto out;
	}
	rc = plan_load_buffer(path, buf, n, f, out, diag);
out:
	free(buf);
	if (fclose(fp) != 0 && rc == 0) {
		plan_free(*out);
		*out = NULL;
		diag_add(diag, path, "read error: %s", strerror(errno));
		rc = -1;
	}
	return rc;
}

void
plan_free(struct plan *p)
{
	if (p == NULL)
		return;
	free(p->outcomes);
	for (size_t i = 0; i < p->ngroups; i++) {
		free(p->groups[i].name);
		free(p->groups[i].label);
		free(p->groups[i].a_label);
		free(p->groups[i].b_label);
		cond_free(p->groups[i].a);
		cond_free(p->groups[i].b);
	}
	free(p->groups);
	free(p->covs);
	for (size_t i = 0; i < p->npaired; i++) {
		free(p->paired[i].name);
		free(p->paired[i].label);
	}
	free(p->paired);
	for (size_t i = 0; i < p->nfactors; i++) {
		free(p->factors[i].name);
		free(p->factors[i].label);
	}
	free(p->factors);
	free(p->source);
	free(p);
}

const char *
plan_padj_name(enum plan_padj m)
{
	return m == PLAN_BH ? "BH" : "holm";
}

/* ---- the default plan ---- */

static int
has(const struct form *f, const char *v)
{
	return form_var_find(f, v) >= 0;
}

/* {"var": v, op: n} */
static json_t *
cmp(const char *v, const char *op, long n)
{
	return json_pack("{s:s,s:I}", "var", v, op, (json_int_t)n);
}

/*
 * The condition under which the form asks use question v, when it is a
 * tick in a list ({"var": "therapies_ever", "has": 18}: survey version 2
 * asks "now or in the past?" only of those who ticked the therapy in
 * "Which of these have you ever used?"); NULL when v is always asked
 * (version 1 offered "never" as an answer of v itself) or asked under
 * any other condition, or on a page of its own condition, whose negation
 * would not mean "never used".
 */
static const struct form_cond *
asked_if_ticked(const struct form *f, const char *v)
{
	long iv = form_var_find(f, v);
	const struct form_item *it;
	size_t im;
	long code;

	if (iv < 0 || (it = f->vars[iv].item) == NULL ||
	    f->pages[it->ipage].show_if != NULL ||
	    !form_cond_is_has(it->show_if, &im, &code))
		return NULL;
	return it->show_if;
}

/*
 * "v never used": not ticked in the list that asks v, else the answer 0
 * ("never") of v. A respondent who did not answer the list is in neither
 * group, by the conditions' three-valued logic.
 */
static json_t *
never(const struct form *f, const char *v)
{
	const struct form_cond *t = asked_if_ticked(f, v);

	if (t != NULL)
		return json_pack("{s:o}", "not", form_cond_json(f, t));
	return cmp(v, "eq", 0);
}

/* "v ever used": ticked in the list that asks v, else v >= 1. */
static json_t *
ever(const struct form *f, const char *v)
{
	const struct form_cond *t = asked_if_ticked(f, v);

	if (t != NULL)
		return form_cond_json(f, t);
	return cmp(v, "ge", 1);
}

/* A group "current use of v vs never", or NULL if v is not in f. */
static json_t *
current_vs_never(const struct form *f, const char *v, const char *name,
    const char *label, const char *what)
{
	char a[64], b[64];

	if (!has(f, v))
		return NULL;
	snprintf(a, sizeof(a), "%s now", what);
	snprintf(b, sizeof(b), "never %s", what);
	return json_pack("{s:s,s:s,s:s,s:s,s:o,s:o}", "name", name, "label",
	    label, "a_label", a, "b_label", b, "a", cmp(v, "eq", 2), "b",
	    never(f, v));
}

char *
plan_default_json(const struct form *f)
{
	static const char *const outs[] = {"peg", "fs", "phq8", "gad7",
	    "fm_2016"};
	json_t *root = NULL, *o, *g, *cv, *x, *ya, *yb;
	char *s = NULL;

	if ((root = json_object()) == NULL || (o = json_array()) == NULL ||
	    json_object_set_new(root, "description", json_string(
	        "Default plan of the analysis for this form")) != 0 ||
	    json_object_set_new(root, "outcomes", o) != 0)
		goto out;
	for (size_t i = 0; i < sizeof(outs) / sizeof(outs[0]); i++)
		if (has(f, outs[i]) && json_array_append_new(o,
		    json_string(outs[i])) != 0)
			goto out;
	if (json_array_size(o) == 0) {
		/* Another form: its scores, or else its first item. */
		for (size_t i = f->nitem_vars; i < f->nvars; i++)
			if (f->vars[i].type != FORM_T_TEXT &&
			    json_array_append_new(o,
			    json_string(f->vars[i].name)) != 0)
				goto out;
		for (size_t i = 0; json_array_size(o) == 0 && i < f->nvars;
		    i++)
			if (f->vars[i].type != FORM_T_TEXT &&
			    json_array_append_new(o,
			    json_string(f->vars[i].name)) != 0)
				goto out;
	}
	if ((g = json_array()) == NULL ||
	    json_object_set_new(root, "groups", g) != 0)
		goto out;
	if ((x = current_vs_never(f, "kratom_use", "kratom_current_vs_never",
	    "Using kratom now vs never used kratom", "kratom")) != NULL &&
	    json_array_append_new(g, x) != 0)
		goto out;
	if (has(f, "opioid_use") || has(f, "tramadol_use")) {
		if ((ya = json_array()) == NULL ||
		    (yb = json_array()) == NULL) {
			json_decref(ya);
			goto out;
		}
		x = json_pack("{s:s,s:s,s:s,s:s,s:{s:o},s:{s:o}}", "name",
		    "any_opioid_vs_none", "label",
		    "Any opioid use (tramadol or other opioids, past or now) "
		    "vs none", "a_label", "any opioid", "b_label", "no opioid",
		    "a", "any", ya, "b", "all", yb);
		if (x == NULL || json_array_append_new(g, x) != 0)
			goto out;
		if (has(f, "opioid_use") &&
		    (json_array_append_new(ya, ever(f, "opioid_use")) ||
		    json_array_append_new(yb, never(f, "opioid_use"))))
			goto out;
		if (has(f, "tramadol_use") &&
		    (json_array_append_new(ya, ever(f, "tramadol_use")) ||
		    json_array_append_new(yb, never(f, "tramadol_use"))))
			goto out;
	}
	if ((x = current_vs_never(f, "cannabis_use",
	    "cannabis_current_vs_never",
	    "Using cannabis now vs never used cannabis", "cannabis")) != NULL &&
	    json_array_append_new(g, x) != 0)
		goto out;
	if ((cv = json_array()) == NULL ||
	    json_object_set_new(root, "covariates", cv) != 0)
		goto out;
	if (has(f, "age_band") && json_array_append_new(cv, json_pack(
	    "{s:s,s:s}", "var", "age_band", "coding", "numeric")) != 0)
		goto out;
	if (has(f, "sex") && json_array_append_new(cv, json_pack(
	    "{s:s,s:s}", "var", "sex", "coding", "dummies")) != 0)
		goto out;
	if (json_object_set_new(root, "correlations", json_true()) != 0 ||
	    json_object_set_new(root, "k", json_integer(SDC_K_DEFAULT)) != 0 ||
	    json_object_set_new(root, "alpha", json_real(0.05)) != 0 ||
	    json_object_set_new(root, "multiplicity", json_string("holm")) != 0)
		goto out;
	s = json_dumps(root, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
out:
	json_decref(root);
	return s;
}
