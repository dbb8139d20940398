/*
 * Loading and validating analysis plans (plan.h, docs/plans.md). Like the
 * form loader it never stops at the first problem: every problem is
 * appended to a diag as "FILE: JSON-PATH: rule", so an analyst fixes a
 * plan in one pass. The default plan is written here as JSON and parsed by
 * the same code.
 */
#include <errno.h>
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

static void
parse_root(struct ctx *c, json_t *root)
{
	static const char *const keys[] = {"description", "outcomes",
	    "groups", "covariates", "correlations", "k", "alpha",
	    "multiplicity", NULL};
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
	    cmp(v, "eq", 0));
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
		    (json_array_append_new(ya, cmp("opioid_use", "ge", 1)) ||
		    json_array_append_new(yb, cmp("opioid_use", "eq", 0))))
			goto out;
		if (has(f, "tramadol_use") &&
		    (json_array_append_new(ya, cmp("tramadol_use", "ge", 1)) ||
		    json_array_append_new(yb, cmp("tramadol_use", "eq", 0))))
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
