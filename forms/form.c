/*
 * Loading and validating form files (docs/forms.md). The loader walks the
 * JSON once, building the struct form and appending every problem it finds
 * to the caller's diag list with the file name and the JSON path, so a file
 * with ten mistakes is reported with ten lines. Variables are declared in
 * file order; a condition may only name a variable declared before it,
 * which also rules out cycles between scores.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>
#include <sodium.h>

#include "form_fast.h"
#include "form_internal.h"
#include "form_map.h"

#define FORM_FILE_MAX (4u << 20) /* a form file is at most 4 MiB */
#define PATH_MAX_LEN DIAG_PATH_MAX

static const char *const kind_names[FORM_KIND__MAX] = {
	"single", "multiple", "integer", "decimal", "scale",
	"yesno", "grid", "duration", "text",
};

static const char *const score_names[FORM_SCORE__MAX] = {
	"sum", "mean", "count", "criteria", "bands",
};

struct ctx {
	const char *file;
	struct diag *diag;
	struct form *f;
	size_t cap_vars; /* allocated length of f->vars */
};

const char *
form_kind_name(enum form_kind k)
{
	return k < FORM_KIND__MAX ? kind_names[k] : "?";
}

/* Report a problem at JSON path `path`. */
static void
problem(struct ctx *c, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
problem(struct ctx *c, const char *path, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	diag_vadd_at(c->diag, c->file, path, fmt, ap);
	va_end(ap);
}

/* path + ".key" or path + "[i]" into out. */
static char *
xstrdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* ---- primitive fields ---- */

static int
valid_name(const char *s, size_t max, int allow_dash)
{
	size_t n = strlen(s);

	if (n == 0 || n > max)
		return 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (!(islower(ch) || isdigit(ch) || ch == '_' ||
		        (allow_dash && ch == '-')))
			return 0;
	}
	return 1;
}

static int
valid_var(const char *s)
{
	return islower((unsigned char)s[0]) && valid_name(s, FORM_VAR_MAX, 0);
}

/*
 * The collector's own POST fields, one row each (collector/survey.c's
 * allow_* checks and the hidden inputs of collector/pages.c). Form
 * variables share the field namespace of a page's POST with them.
 * tests/lint/reserved_vars.sh checks the collector's sources against it.
 */
static const char *const reserved_vars[] = {
	"action",  /* the button pressed: next, back, save, stay, submit */
	"adult",   /* the consent page's age box */
	"code",    /* the receipt code on the withdrawal page */
	"consent", /* the consent page's box */
	"form",    /* the code file: which form's address it gives */
	"lang",    /* the language chosen, read on every POST */
	"live",    /* the page's script showed its follow-ups itself */
	"state",   /* the sealed journey state of a page */
	"step",    /* check or confirm on the withdrawal page */
	"v",       /* the ticket a page was shown under */
	"website", /* the honeypot */
};

int
form_var_reserved(const char *name)
{
	for (size_t i = 0; i < sizeof(reserved_vars) /
	    sizeof(reserved_vars[0]); i++)
		if (strcmp(reserved_vars[i], name) == 0)
			return 1;
	return 0;
}

/* A string member; NULL (with a problem when required) if absent. */
static const char *
get_string(struct ctx *c, json_t *obj, const char *path, const char *key,
    int required)
{
	char p[PATH_MAX_LEN];
	json_t *v = json_object_get(obj, key);

	if (v == NULL) {
		if (required)
			problem(c, diag_path_key(p, path, key), "missing");
		return NULL;
	}
	if (!json_is_string(v)) {
		problem(c, diag_path_key(p, path, key), "must be a string");
		return NULL;
	}
	return json_string_value(v);
}

/* 1 if present and boolean true; problems for non-booleans. */
static int
get_bool(struct ctx *c, json_t *obj, const char *path, const char *key)
{
	char p[PATH_MAX_LEN];
	json_t *v = json_object_get(obj, key);

	if (v == NULL)
		return 0;
	if (!json_is_boolean(v)) {
		problem(c, diag_path_key(p, path, key), "must be true or false");
		return 0;
	}
	return json_is_true(v);
}

/* A number member into *out; returns 1 if present and valid. */
static int
get_number(struct ctx *c, json_t *obj, const char *path, const char *key,
    int integer, double *out)
{
	char p[PATH_MAX_LEN];
	json_t *v = json_object_get(obj, key);

	if (v == NULL)
		return 0;
	if (integer ? !json_is_integer(v) : !json_is_number(v)) {
		problem(c, diag_path_key(p, path, key), "must be %s",
		    integer ? "an integer" : "a number");
		return 0;
	}
	*out = json_number_value(v);
	if (!isfinite(*out)) {
		problem(c, diag_path_key(p, path, key), "must be finite");
		return 0;
	}
	return 1;
}

/* Text must be valid UTF-8 and free of control characters but newline. */
static int
valid_text(const char *s)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if ((*p < 0x20 && *p != '\n') || *p == 0x7f)
			return 0;
	return 1;
}

/* Parse the text value v at path p; all languages required. */
static void
text_value(struct ctx *c, json_t *v, const char *p, struct form_text *out)
{
	char q[PATH_MAX_LEN];
	struct form *f = c->f;
	const char *lk;
	json_t *lv;

	memset(out, 0, sizeof(*out));
	if (json_is_string(v)) {
		if (f->nlangs > 1) {
			problem(c, p, "must give every language (%zu) as an "
			    "object", f->nlangs);
			return;
		}
		if (!valid_text(json_string_value(v)))
			problem(c, p, "control character in text");
		out->s[0] = xstrdup(json_string_value(v));
		return;
	}
	if (!json_is_object(v)) {
		problem(c, p, "must be a string or an object of languages");
		return;
	}
	json_object_foreach(v, lk, lv) {
		int li = -1;
		for (size_t i = 0; i < f->nlangs; i++)
			if (strcmp(f->langs[i], lk) == 0)
				li = (int)i;
		if (li < 0) {
			problem(c, diag_path_key(q, p, lk), "language not in "
			    "\"languages\"");
			continue;
		}
		if (!json_is_string(lv) || json_string_length(lv) == 0) {
			problem(c, diag_path_key(q, p, lk), "must be a non-empty "
			    "string");
			continue;
		}
		if (!valid_text(json_string_value(lv)))
			problem(c, diag_path_key(q, p, lk), "control character in "
			    "text");
		out->s[li] = xstrdup(json_string_value(lv));
	}
	for (size_t i = 0; i < f->nlangs; i++)
		if (out->s[i] == NULL)
			problem(c, p, "missing translation \"%s\"", f->langs[i]);
}

/* The text member `key` of obj; a problem if required and absent. */
static void
get_text(struct ctx *c, json_t *obj, const char *path, const char *key,
    int required, struct form_text *out)
{
	char p[PATH_MAX_LEN];
	json_t *v = json_object_get(obj, key);

	memset(out, 0, sizeof(*out));
	diag_path_key(p, path, key);
	if (v == NULL) {
		if (required)
			problem(c, p, "missing");
		return;
	}
	text_value(c, v, p, out);
}

static void
text_free(struct form_text *t)
{
	for (size_t i = 0; i < FORM_MAX_LANGS; i++)
		free(t->s[i]);
}

/* ---- variables ---- */

/*
 * Lookups by name run once per stored answer when the analysis reads a
 * million responses, so a loaded form keeps its variables sorted by name
 * and searches them in O(log n). While the file is still being loaded
 * (var_order is NULL) the search is linear.
 */
long
form_var_find(const struct form *f, const char *name)
{
	size_t lo = 0, hi = f->nvars;

	if (f->var_order == NULL) {
		for (size_t i = 0; i < f->nvars; i++)
			if (strcmp(f->vars[i].name, name) == 0)
				return (long)i;
		return -1;
	}
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(f->vars[f->var_order[mid]].name, name);
		if (c == 0)
			return (long)f->var_order[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return -1;
}

struct name_ix {
	const char *name;
	size_t i;
};

static int
cmp_name_ix(const void *a, const void *b)
{
	return strcmp(((const struct name_ix *)a)->name,
	    ((const struct name_ix *)b)->name);
}

/* Build f->var_order; -1 on allocation failure. */
static int
index_vars(struct form *f)
{
	size_t n = f->nvars ? f->nvars : 1;
	struct name_ix *tmp = calloc(n, sizeof(*tmp));
	size_t *order = calloc(n, sizeof(*order));

	if (tmp == NULL || order == NULL) {
		free(tmp);
		free(order);
		return -1;
	}
	for (size_t i = 0; i < f->nvars; i++) {
		tmp[i].name = f->vars[i].name;
		tmp[i].i = i;
	}
	qsort(tmp, f->nvars, sizeof(*tmp), cmp_name_ix);
	for (size_t i = 0; i < f->nvars; i++)
		order[i] = tmp[i].i;
	free(tmp);
	f->var_order = order;
	return 0;
}

/* Declare a variable; returns its index or (size_t)-1 on a problem. */
static size_t
declare_var(struct ctx *c, const char *path, const char *name,
    enum form_type type, const struct form_item *it,
    const struct form_row *row, const struct form_score *sc)
{
	struct form *f = c->f;

	if (!valid_var(name)) {
		problem(c, path, "invalid variable name \"%s\" (want "
		    "[a-z][a-z0-9_]{0,31})", name);
		return (size_t)-1;
	}
	/* Scores are never posted; questions and grid rows are. */
	if (sc == NULL && form_var_reserved(name)) {
		problem(c, path, "\"%s\" is a name the collector uses for "
		    "its own fields", name);
		return (size_t)-1;
	}
	if (form_var_find(f, name) >= 0) {
		problem(c, path, "duplicate variable \"%s\"", name);
		return (size_t)-1;
	}
	if (f->nvars >= c->cap_vars)
		return (size_t)-1; /* cannot happen: capacity counted first */
	struct form_var *v = &f->vars[f->nvars];
	v->name = name;
	v->type = type;
	v->item = it;
	v->row = row;
	v->score = sc;
	return f->nvars++;
}

/* ---- conditions ---- */

static const struct {
	const char *key;
	enum cond_op op;
} cmp_keys[] = {
	{"eq", COND_EQ}, {"ne", COND_NE}, {"lt", COND_LT},
	{"le", COND_LE}, {"gt", COND_GT}, {"ge", COND_GE},
};

void
form_cond_free(struct form_cond *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->nkids; i++)
		form_cond_free(c->kids[i]);
	free(c->kids);
	free(c->set);
	free(c);
}

static struct form_cond *parse_cond(struct ctx *c, json_t *v,
    const char *path, int depth);

static int
parse_cond_list(struct ctx *c, json_t *arr, const char *path, int depth,
    struct form_cond *out)
{
	char p[PATH_MAX_LEN];
	size_t i;
	json_t *e;

	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		problem(c, path, "must be a non-empty array of conditions");
		return -1;
	}
	out->kids = calloc(json_array_size(arr), sizeof(*out->kids));
	if (out->kids == NULL)
		return -1;
	json_array_foreach(arr, i, e) {
		struct form_cond *k = parse_cond(c, e, diag_path_idx(p, path, i),
		    depth + 1);
		if (k == NULL)
			return -1;
		out->kids[out->nkids++] = k;
	}
	return 0;
}

/* Resolve the "var" member of a leaf condition. */
static int
cond_var(struct ctx *c, json_t *v, const char *path, size_t *ivar)
{
	char p[PATH_MAX_LEN];
	const char *name = get_string(c, v, path, "var", 1);
	long i;

	if (name == NULL)
		return -1;
	i = form_var_find(c->f, name);
	if (i < 0) {
		problem(c, diag_path_key(p, path, "var"), "unknown or later variable "
		    "\"%s\"", name);
		return -1;
	}
	*ivar = (size_t)i;
	return 0;
}

static struct form_cond *
parse_cond(struct ctx *c, json_t *v, const char *path, int depth)
{
	char p[PATH_MAX_LEN];
	struct form_cond *k;
	json_t *x;

	if (depth > 16) {
		problem(c, path, "conditions nested deeper than 16");
		return NULL;
	}
	if (!json_is_object(v)) {
		problem(c, path, "a condition must be an object");
		return NULL;
	}
	if ((k = calloc(1, sizeof(*k))) == NULL)
		return NULL;
	if ((x = json_object_get(v, "all")) != NULL ||
	    (x = json_object_get(v, "any")) != NULL) {
		k->op = json_object_get(v, "all") ? COND_ALL : COND_ANY;
		if (parse_cond_list(c, x, diag_path_key(p, path,
		        k->op == COND_ALL ? "all" : "any"), depth, k) < 0)
			goto bad;
		return k;
	}
	if ((x = json_object_get(v, "not")) != NULL) {
		k->op = COND_NOT;
		if ((k->kids = calloc(1, sizeof(*k->kids))) == NULL)
			goto bad;
		k->kids[0] = parse_cond(c, x, diag_path_key(p, path, "not"),
		    depth + 1);
		if (k->kids[0] == NULL)
			goto bad;
		k->nkids = 1;
		return k;
	}
	if ((x = json_object_get(v, "count")) != NULL) {
		k->op = COND_COUNT;
		if (parse_cond_list(c, x, diag_path_key(p, path, "count"), depth,
		        k) < 0)
			goto bad;
		k->cmp = COND__MAX;
		for (size_t i = 0; i < sizeof(cmp_keys) / sizeof(cmp_keys[0]);
		     i++) {
			if (get_number(c, v, path, cmp_keys[i].key, 1,
			        &k->num))
				k->cmp = cmp_keys[i].op;
		}
		if (k->cmp != COND_GE && k->cmp != COND_LE &&
		    k->cmp != COND_EQ) {
			problem(c, path, "\"count\" needs \"ge\", \"le\" or "
			    "\"eq\" with an integer");
			goto bad;
		}
		return k;
	}
	if (cond_var(c, v, path, &k->ivar) < 0)
		goto bad;
	const struct form_var *fv = &c->f->vars[k->ivar];
	for (size_t i = 0; i < sizeof(cmp_keys) / sizeof(cmp_keys[0]); i++) {
		if (get_number(c, v, path, cmp_keys[i].key, 0, &k->num)) {
			k->op = cmp_keys[i].op;
			goto leaf;
		}
	}
	if ((x = json_object_get(v, "in")) != NULL) {
		size_t i;
		json_t *e;
		k->op = COND_IN;
		if (!json_is_array(x) || json_array_size(x) == 0) {
			problem(c, diag_path_key(p, path, "in"), "must be a "
			    "non-empty array of numbers");
			goto bad;
		}
		if ((k->set = calloc(json_array_size(x), sizeof(double))) ==
		    NULL)
			goto bad;
		json_array_foreach(x, i, e) {
			if (!json_is_number(e)) {
				char q[PATH_MAX_LEN];
				problem(c, diag_path_idx(q, diag_path_key(p, path, "in"), i),
				    "must be a number");
				goto bad;
			}
			k->set[k->nset++] = json_number_value(e);
		}
		goto leaf;
	}
	if ((x = json_object_get(v, "has")) != NULL) {
		k->op = COND_HAS;
		if (fv->type != FORM_T_SET) {
			problem(c, diag_path_key(p, path, "has"), "\"%s\" is not a "
			    "multiple-choice item", fv->name);
			goto bad;
		}
		if (!json_is_integer(x) ||
		    form_choice_find(fv->item, (long)json_integer_value(x)) ==
		        NULL) {
			problem(c, diag_path_key(p, path, "has"), "not a choice "
			    "value of \"%s\"", fv->name);
			goto bad;
		}
		k->num = (double)json_integer_value(x);
		return k;
	}
	if ((x = json_object_get(v, "answered")) != NULL) {
		k->op = COND_ANSWERED;
		if (!json_is_boolean(x)) {
			problem(c, diag_path_key(p, path, "answered"), "must be true "
			    "or false");
			goto bad;
		}
		k->answered = json_is_true(x);
		return k;
	}
	problem(c, path, "a condition needs one of eq, ne, lt, le, gt, ge, "
	    "in, has, answered, all, any, not, count");
	goto bad;
leaf:
	if (fv->type == FORM_T_SET || fv->type == FORM_T_TEXT) {
		problem(c, path, "\"%s\" cannot be compared with numbers%s",
		    fv->name, fv->type == FORM_T_SET ? " (use \"has\")" : "");
		goto bad;
	}
	return k;
bad:
	form_cond_free(k);
	return NULL;
}

/* Optional condition member `key`; NULL if absent or broken. */
static struct form_cond *
get_cond(struct ctx *c, json_t *obj, const char *path, const char *key)
{
	char p[PATH_MAX_LEN];
	json_t *v = json_object_get(obj, key);

	if (v == NULL)
		return NULL;
	return parse_cond(c, v, diag_path_key(p, path, key), 0);
}

/* ---- items ---- */

const struct form_choice *
form_choice_find(const struct form_item *it, long value)
{
	if (it == NULL)
		return NULL;
	for (size_t i = 0; i < it->nchoices; i++)
		if (it->choices[i].value == value)
			return &it->choices[i];
	return NULL;
}

static void
parse_choices(struct ctx *c, json_t *obj, const char *path,
    struct form_item *it)
{
	char p[PATH_MAX_LEN], q[PATH_MAX_LEN];
	json_t *arr = json_object_get(obj, "choices"), *e;
	size_t i, nexcl = 0;

	diag_path_key(p, path, "choices");
	if (arr == NULL) {
		problem(c, p, "missing");
		return;
	}
	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		problem(c, p, "must be a non-empty array");
		return;
	}
	/*
	 * The limit holds for single choices too, though their answer is
	 * no mask: the analysis and its disclosure control keep the codes
	 * of a variable in tables of this size.
	 */
	if (json_array_size(arr) > FORM_MAX_CHOICES) {
		problem(c, p, "%zu choices: single and multiple choices have "
		    "at most %d", json_array_size(arr), FORM_MAX_CHOICES);
		return;
	}
	it->choices = calloc(json_array_size(arr), sizeof(*it->choices));
	if (it->choices == NULL)
		return;
	json_array_foreach(arr, i, e) {
		struct form_choice *ch = &it->choices[it->nchoices];
		double val;
		diag_path_idx(q, p, i);
		if (!json_is_object(e)) {
			problem(c, q, "a choice must be an object");
			continue;
		}
		if (!get_number(c, e, q, "value", 1, &val)) {
			if (json_object_get(e, "value") == NULL)
				problem(c, q, "missing value");
			continue;
		}
		if (val < -1000 || val > 1000) {
			problem(c, q, "value %g out of range -1000..1000", val);
			continue;
		}
		if (form_choice_find(it, (long)val) != NULL) {
			problem(c, q, "duplicate value %ld", (long)val);
			continue;
		}
		ch->value = (long)val;
		get_text(c, e, q, "label", 1, &ch->label);
		ch->exclusive = get_bool(c, e, q, "exclusive");
		ch->missing = get_bool(c, e, q, "missing");
		if (ch->exclusive && it->kind != FORM_MULTIPLE)
			problem(c, q, "\"exclusive\" only in a multiple-choice "
			    "item");
		if (ch->missing && it->kind == FORM_MULTIPLE)
			problem(c, q, "\"missing\" not allowed in a "
			    "multiple-choice item");
		if (it->kind == FORM_DURATION && it->nchoices > 0 &&
		    !ch->missing && !it->choices[it->nchoices - 1].missing &&
		    ch->value <= it->choices[it->nchoices - 1].value)
			problem(c, q, "duration bands must increase");
		nexcl += ch->exclusive != 0;
		it->nchoices++;
	}
	if (nexcl > 1)
		problem(c, p, "more than one exclusive choice");
}

static void unknown_keys(struct ctx *c, json_t *obj, const char *path,
    const char *const *keys);

/* The group of level lv that covers choice value v, or -1. */
static long
gen_group_of(const struct form_gen_level *lv, long v)
{
	for (size_t g = 0; g < lv->ngroups; g++)
		for (size_t j = 0; j < lv->groups[g].nof; j++)
			if (lv->groups[g].of[j] == v)
				return (long)g;
	return -1;
}

/* One group {"value", "label", "of"} of a generalization level. */
static void
parse_gen_group(struct ctx *c, json_t *e, const char *q,
    struct form_item *it, struct form_gen_level *lv)
{
	static const char *const keys[] = {"value", "label", "of", NULL};
	char p[PATH_MAX_LEN], r[PATH_MAX_LEN];
	struct form_gen_group *g = &lv->groups[lv->ngroups];
	json_t *of = json_object_get(e, "of"), *x;
	size_t i;
	double val;

	if (!json_is_object(e)) {
		problem(c, q, "a group must be an object");
		return;
	}
	unknown_keys(c, e, q, keys);
	if (!get_number(c, e, q, "value", 1, &val)) {
		if (json_object_get(e, "value") == NULL)
			problem(c, diag_path_key(p, q, "value"), "missing");
		return;
	}
	if (val < -1000 || val > 1000) {
		problem(c, diag_path_key(p, q, "value"), "value %g out of range "
		    "-1000..1000", val);
		return;
	}
	for (size_t j = 0; j < lv->ngroups; j++)
		if (lv->groups[j].value == (long)val) {
			problem(c, diag_path_key(p, q, "value"), "duplicate "
			    "value %ld in this level", (long)val);
			return;
		}
	for (size_t j = 0; j < it->nchoices; j++)
		if (it->choices[j].missing && it->choices[j].value == (long)val) {
			problem(c, diag_path_key(p, q, "value"), "%ld is the "
			    "code of a \"missing\" choice", (long)val);
			return;
		}
	diag_path_key(p, q, "of");
	if (!json_is_array(of) || json_array_size(of) == 0) {
		problem(c, p, "must be a non-empty array of choice values");
		return;
	}
	g->value = (long)val;
	get_text(c, e, q, "label", 1, &g->label);
	g->of = calloc(json_array_size(of), sizeof(*g->of));
	if (g->of == NULL) {
		text_free(&g->label);
		return;
	}
	lv->ngroups++;
	json_array_foreach(of, i, x) {
		const struct form_choice *ch;
		long v;
		diag_path_idx(r, p, i);
		if (!json_is_integer(x)) {
			problem(c, r, "must be an integer choice value");
			continue;
		}
		v = (long)json_integer_value(x);
		ch = form_choice_find(it, v);
		if (ch == NULL) {
			problem(c, r, "%ld is not a choice of the item", v);
			continue;
		}
		if (ch->missing) {
			problem(c, r, "%ld is a \"missing\" choice; it stays "
			    "as it is", v);
			continue;
		}
		if (gen_group_of(lv, v) >= 0) {
			problem(c, r, "choice %ld is in more than one group", v);
			continue;
		}
		g->of[g->nof++] = v;
	}
}

/*
 * "generalize": [level, ...], each level [group, ...]. Every non-missing
 * choice is in exactly one group of each level, and each level is a
 * coarsening of the one before: the choices of one group of level L-1 all
 * land in one group of level L.
 */
static void
parse_generalize(struct ctx *c, json_t *obj, const char *path,
    struct form_item *it)
{
	char p[PATH_MAX_LEN], q[PATH_MAX_LEN], r[PATH_MAX_LEN];
	json_t *arr = json_object_get(obj, "generalize"), *lvj, *e;
	size_t l, gi;

	if (arr == NULL)
		return;
	diag_path_key(p, path, "generalize");
	if (it->kind != FORM_SINGLE && it->kind != FORM_DURATION) {
		problem(c, p, "only a single-choice or duration item is "
		    "generalized");
		return;
	}
	if (!it->quasi_identifier) {
		problem(c, p, "only a quasi-identifier is generalized (set "
		    "\"quasi_identifier\": true)");
		return;
	}
	if (!json_is_array(arr) || json_array_size(arr) == 0 ||
	    json_array_size(arr) > FORM_GEN_MAX_LEVELS) {
		problem(c, p, "must be an array of 1 to %d levels",
		    FORM_GEN_MAX_LEVELS);
		return;
	}
	it->generalize = calloc(json_array_size(arr), sizeof(*it->generalize));
	if (it->generalize == NULL)
		return;
	json_array_foreach(arr, l, lvj) {
		struct form_gen_level *lv = &it->generalize[it->ngeneralize];
		diag_path_idx(q, p, l);
		if (!json_is_array(lvj) || json_array_size(lvj) == 0 ||
		    json_array_size(lvj) > FORM_MAX_CHOICES) {
			problem(c, q, "a level must be an array of 1 to %d "
			    "groups", FORM_MAX_CHOICES);
			continue;
		}
		lv->groups = calloc(json_array_size(lvj), sizeof(*lv->groups));
		if (lv->groups == NULL)
			continue;
		it->ngeneralize++;
		json_array_foreach(lvj, gi, e)
			parse_gen_group(c, e, diag_path_idx(r, q, gi), it, lv);
		for (size_t j = 0; j < it->nchoices; j++)
			if (!it->choices[j].missing &&
			    gen_group_of(lv, it->choices[j].value) < 0)
				problem(c, q, "choice %ld is in no group",
				    it->choices[j].value);
		if (it->ngeneralize < 2)
			continue;
		/* A coarsening: every group of level L-1 lies in one group. */
		const struct form_gen_level *prev = lv - 1;
		for (size_t g = 0; g < prev->ngroups; g++) {
			const struct form_gen_group *pg = &prev->groups[g];
			long first = -1;
			for (size_t j = 0; j < pg->nof; j++) {
				long ng = gen_group_of(lv, pg->of[j]);
				if (ng < 0)
					continue;
				if (first < 0) {
					first = ng;
				} else if (ng != first) {
					char s[PATH_MAX_LEN];
					problem(c, diag_path_key(r,
					    diag_path_idx(s, q, (size_t)ng), "of"),
					    "not a coarsening of level %zu: "
					    "group %ld of that level is split",
					    l - 1, pg->value);
					break;
				}
			}
		}
	}
}

static size_t
count_item_vars(json_t *item)
{
	json_t *rows = json_object_get(item, "rows");
	const char *kind = json_string_value(json_object_get(item, "kind"));

	if (kind && strcmp(kind, "grid") == 0 && json_is_array(rows))
		return json_array_size(rows);
	return 1;
}

static void
parse_rows(struct ctx *c, json_t *obj, const char *path, struct form_item *it)
{
	char p[PATH_MAX_LEN], q[PATH_MAX_LEN], r[PATH_MAX_LEN];
	json_t *arr = json_object_get(obj, "rows"), *e;
	size_t i;

	diag_path_key(p, path, "rows");
	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		problem(c, p, "a grid needs a non-empty array \"rows\"");
		return;
	}
	it->rows = calloc(json_array_size(arr), sizeof(*it->rows));
	if (it->rows == NULL)
		return;
	json_array_foreach(arr, i, e) {
		struct form_row *row = &it->rows[it->nrows];
		diag_path_idx(q, p, i);
		if (!json_is_object(e)) {
			problem(c, q, "a row must be an object");
			continue;
		}
		const char *var = get_string(c, e, q, "var", 1);
		get_text(c, e, q, "label", 1, &row->label);
		if (var == NULL) {
			text_free(&row->label);
			continue;
		}
		row->var = xstrdup(var);
		it->nrows++;
		row->ivar = declare_var(c, diag_path_key(r, q, "var"), row->var,
		    FORM_T_INT, it, row, NULL);
	}
}

static const char *const item_keys[] = {
	"var", "kind", "label", "help", "required", "show_if",
	"quasi_identifier", "free_text", "choices", "rows", "min", "max",
	"unit", "min_label", "max_label", "yes", "no", "max_length",
	"generalize", NULL,
};

static int
known_key(const char *const *keys, const char *k)
{
	for (; *keys; keys++)
		if (strcmp(*keys, k) == 0)
			return 1;
	return 0;
}

static void
unknown_keys(struct ctx *c, json_t *obj, const char *path,
    const char *const *keys)
{
	char p[PATH_MAX_LEN];
	const char *k;
	json_t *v;

	json_object_foreach(obj, k, v) {
		if (!known_key(keys, k))
			problem(c, diag_path_key(p, path, k), "unknown key");
	}
}

static void
parse_item(struct ctx *c, json_t *obj, const char *path, size_t ipage,
    struct form_item *it)
{
	char p[PATH_MAX_LEN];
	const char *kind, *var = NULL;
	double d;
	enum form_type type = FORM_T_INT;

	it->ipage = ipage;
	it->ivar = (size_t)-1;
	if (!json_is_object(obj)) {
		problem(c, path, "an item must be an object");
		it->kind = FORM_KIND__MAX;
		return;
	}
	unknown_keys(c, obj, path, item_keys);
	kind = get_string(c, obj, path, "kind", 1);
	it->kind = FORM_KIND__MAX;
	for (int k = 0; kind && k < FORM_KIND__MAX; k++)
		if (strcmp(kind, kind_names[k]) == 0)
			it->kind = (enum form_kind)k;
	if (kind && it->kind == FORM_KIND__MAX) {
		problem(c, diag_path_key(p, path, "kind"), "unknown kind \"%s\"",
		    kind);
		return;
	}
	if (it->kind == FORM_KIND__MAX)
		return;
	/* show_if is resolved before the item's own variable exists. */
	it->show_if = get_cond(c, obj, path, "show_if");
	get_text(c, obj, path, "label", 1, &it->label);
	get_text(c, obj, path, "help", 0, &it->help);
	it->required = get_bool(c, obj, path, "required");
	it->quasi_identifier = get_bool(c, obj, path, "quasi_identifier");
	it->free_text = get_bool(c, obj, path, "free_text");
	if (it->kind != FORM_GRID) {
		var = get_string(c, obj, path, "var", 1);
		it->var = xstrdup(var);
	} else if (json_object_get(obj, "var") != NULL) {
		problem(c, diag_path_key(p, path, "var"), "a grid has no var; its "
		    "rows do");
	}

	switch (it->kind) {
	case FORM_SINGLE:
	case FORM_DURATION:
		parse_choices(c, obj, path, it);
		break;
	case FORM_MULTIPLE:
		type = FORM_T_SET;
		parse_choices(c, obj, path, it);
		break;
	case FORM_GRID:
		parse_choices(c, obj, path, it);
		parse_rows(c, obj, path, it);
		break;
	case FORM_INTEGER:
	case FORM_DECIMAL: {
		int integer = it->kind == FORM_INTEGER;
		int hasmin = get_number(c, obj, path, "min", integer, &it->min);
		int hasmax = get_number(c, obj, path, "max", integer, &it->max);
		if (!hasmin || !hasmax)
			problem(c, path, "%s item needs \"min\" and \"max\"",
			    kind);
		else if (it->min > it->max)
			problem(c, path, "min %g greater than max %g", it->min,
			    it->max);
		else if (integer && (fabs(it->min) > 1e9 || fabs(it->max) > 1e9))
			problem(c, path, "integer range beyond +-1e9");
		get_text(c, obj, path, "unit", 0, &it->unit);
		if (!integer)
			type = FORM_T_REAL;
		break;
	}
	case FORM_SCALE:
		it->min = 0;
		it->max = 10;
		get_number(c, obj, path, "min", 1, &it->min);
		get_number(c, obj, path, "max", 1, &it->max);
		if (it->min >= it->max || it->max - it->min > 20 || it->min < -10)
			problem(c, path, "scale range %g..%g: want at most 21 "
			    "points", it->min, it->max);
		get_text(c, obj, path, "min_label", 0, &it->min_label);
		get_text(c, obj, path, "max_label", 0, &it->max_label);
		break;
	case FORM_YESNO:
		it->min = 0;
		it->max = 1;
		get_text(c, obj, path, "yes", 0, &it->max_label);
		get_text(c, obj, path, "no", 0, &it->min_label);
		break;
	case FORM_TEXT:
		type = FORM_T_TEXT;
		if (!get_number(c, obj, path, "max_length", 1, &d) || d < 1 ||
		    d > FORM_TEXT_MAX)
			problem(c, diag_path_key(p, path, "max_length"), "needs an "
			    "integer 1..%d", FORM_TEXT_MAX);
		else
			it->max_length = (size_t)d;
		if (!it->free_text)
			problem(c, path, "a text item must have \"free_text\": "
			    "true");
		if (!c->f->free_text_allowed)
			problem(c, path, "free text is off for this form (set "
			    "\"free_text\": true at the top level to accept "
			    "the re-identification risk)");
		break;
	default:
		break;
	}
	if (it->free_text && it->kind != FORM_TEXT)
		problem(c, diag_path_key(p, path, "free_text"), "only a text item "
		    "is free text");
	if (it->kind != FORM_SINGLE && it->kind != FORM_MULTIPLE &&
	    it->kind != FORM_GRID && it->kind != FORM_DURATION &&
	    json_object_get(obj, "choices") != NULL)
		problem(c, diag_path_key(p, path, "choices"), "not used by a %s "
		    "item", kind);
	if (it->kind != FORM_GRID && json_object_get(obj, "rows") != NULL)
		problem(c, diag_path_key(p, path, "rows"), "only a grid has rows");
	parse_generalize(c, obj, path, it);
	if (var != NULL)
		it->ivar = declare_var(c, diag_path_key(p, path, "var"), it->var,
		    type, it, NULL, NULL);
}

/* ---- pages ---- */

static void
parse_page(struct ctx *c, json_t *obj, const char *path, size_t ipage,
    struct form_page *pg)
{
	static const char *const keys[] = {"id", "title", "intro", "show_if",
	    "items", NULL};
	char p[PATH_MAX_LEN], q[PATH_MAX_LEN];
	json_t *items, *e;
	size_t i;

	if (!json_is_object(obj)) {
		problem(c, path, "a page must be an object");
		return;
	}
	unknown_keys(c, obj, path, keys);
	const char *id = get_string(c, obj, path, "id", 1);
	if (id != NULL && !valid_name(id, 32, 0))
		problem(c, diag_path_key(p, path, "id"), "invalid page id \"%s\" "
		    "(want [a-z0-9_]{1,32})", id);
	for (size_t j = 0; id != NULL && j < ipage; j++)
		if (c->f->pages[j].id && strcmp(c->f->pages[j].id, id) == 0)
			problem(c, diag_path_key(p, path, "id"), "duplicate page id "
			    "\"%s\"", id);
	pg->id = xstrdup(id);
	get_text(c, obj, path, "title", 1, &pg->title);
	get_text(c, obj, path, "intro", 0, &pg->intro);
	pg->show_if = get_cond(c, obj, path, "show_if");
	items = json_object_get(obj, "items");
	diag_path_key(p, path, "items");
	if (!json_is_array(items) || json_array_size(items) == 0) {
		problem(c, p, "must be a non-empty array");
		return;
	}
	pg->items = calloc(json_array_size(items), sizeof(*pg->items));
	if (pg->items == NULL)
		return;
	json_array_foreach(items, i, e) {
		parse_item(c, e, diag_path_idx(q, p, i), ipage, &pg->items[i]);
		pg->nitems++;
	}
}

/* ---- scores ---- */

static void
parse_score_items(struct ctx *c, json_t *obj, const char *path,
    struct form_score *sc)
{
	char p[PATH_MAX_LEN], q[PATH_MAX_LEN];
	json_t *arr = json_object_get(obj, "items"), *e;
	size_t i;
	double d;

	diag_path_key(p, path, "items");
	if (!json_is_array(arr) || json_array_size(arr) == 0) {
		problem(c, p, "must be a non-empty array of variable names");
		return;
	}
	sc->items = calloc(json_array_size(arr), sizeof(*sc->items));
	if (sc->items == NULL)
		return;
	json_array_foreach(arr, i, e) {
		long iv;
		diag_path_idx(q, p, i);
		if (!json_is_string(e)) {
			problem(c, q, "must be a variable name");
			continue;
		}
		iv = form_var_find(c->f, json_string_value(e));
		if (iv < 0) {
			problem(c, q, "unknown variable \"%s\"",
			    json_string_value(e));
			continue;
		}
		if (c->f->vars[iv].type == FORM_T_TEXT) {
			problem(c, q, "\"%s\" is free text", json_string_value(e));
			continue;
		}
		sc->items[sc->nitems++] = (size_t)iv;
	}
	sc->min_answered = sc->nitems;
	if (get_number(c, obj, path, "min_answered", 1, &d)) {
		if (d < 1 || d > (double)sc->nitems)
			problem(c, diag_path_key(p, path, "min_answered"), "must be "
			    "1..%zu", sc->nitems);
		else
			sc->min_answered = (size_t)d;
	}
}

static void
parse_score(struct ctx *c, json_t *obj, const char *path,
    struct form_score *sc)
{
	static const char *const keys[] = {"var", "kind", "label", "items",
	    "min_answered", "conditions", "when", "of", "cuts", "labels",
	    "range", NULL};
	char p[PATH_MAX_LEN], q[PATH_MAX_LEN];
	enum form_type type = FORM_T_INT;
	const char *kind, *var;
	json_t *x, *e;
	size_t i;

	if (!json_is_object(obj)) {
		problem(c, path, "a score must be an object");
		return;
	}
	unknown_keys(c, obj, path, keys);
	sc->kind = FORM_SCORE__MAX;
	kind = get_string(c, obj, path, "kind", 1);
	for (int k = 0; kind && k < FORM_SCORE__MAX; k++)
		if (strcmp(kind, score_names[k]) == 0)
			sc->kind = (enum form_score_kind)k;
	if (kind && sc->kind == FORM_SCORE__MAX)
		problem(c, diag_path_key(p, path, "kind"), "unknown score kind "
		    "\"%s\"", kind);
	var = get_string(c, obj, path, "var", 1);
	get_text(c, obj, path, "label", 1, &sc->label);
	switch (sc->kind) {
	case FORM_SCORE_SUM:
	case FORM_SCORE_MEAN:
		parse_score_items(c, obj, path, sc);
		if (sc->kind == FORM_SCORE_MEAN)
			type = FORM_T_REAL;
		break;
	case FORM_SCORE_COUNT:
		x = json_object_get(obj, "conditions");
		diag_path_key(p, path, "conditions");
		if (!json_is_array(x) || json_array_size(x) == 0) {
			problem(c, p, "must be a non-empty array of "
			    "conditions");
			break;
		}
		sc->conds = calloc(json_array_size(x), sizeof(*sc->conds));
		if (sc->conds == NULL)
			break;
		json_array_foreach(x, i, e) {
			struct form_cond *k = parse_cond(c, e,
			    diag_path_idx(q, p, i), 0);
			if (k != NULL)
				sc->conds[sc->nconds++] = k;
		}
		break;
	case FORM_SCORE_CRITERIA:
		sc->when = get_cond(c, obj, path, "when");
		if (json_object_get(obj, "when") == NULL)
			problem(c, diag_path_key(p, path, "when"), "missing");
		break;
	case FORM_SCORE_BANDS: {
		const char *of = get_string(c, obj, path, "of", 1);
		long iv = of ? form_var_find(c->f, of) : -1;
		if (of != NULL && iv < 0)
			problem(c, diag_path_key(p, path, "of"), "unknown variable "
			    "\"%s\"", of);
		else if (iv >= 0 && (c->f->vars[iv].type == FORM_T_SET ||
		             c->f->vars[iv].type == FORM_T_TEXT))
			problem(c, diag_path_key(p, path, "of"), "\"%s\" is not "
			    "numeric", of);
		sc->of = iv >= 0 ? (size_t)iv : 0;
		x = json_object_get(obj, "cuts");
		diag_path_key(p, path, "cuts");
		if (!json_is_array(x) || json_array_size(x) == 0 ||
		    json_array_size(x) > 32) {
			problem(c, p, "must be an array of 1..32 numbers");
			break;
		}
		sc->cuts = calloc(json_array_size(x), sizeof(double));
		if (sc->cuts == NULL)
			break;
		json_array_foreach(x, i, e) {
			if (!json_is_number(e)) {
				problem(c, diag_path_idx(q, p, i), "must be a number");
				continue;
			}
			sc->cuts[sc->ncuts] = json_number_value(e);
			if (sc->ncuts > 0 &&
			    sc->cuts[sc->ncuts] <= sc->cuts[sc->ncuts - 1])
				problem(c, diag_path_idx(q, p, i), "cuts must "
				    "increase");
			sc->ncuts++;
		}
		x = json_object_get(obj, "labels");
		diag_path_key(p, path, "labels");
		if (!json_is_array(x) || json_array_size(x) != sc->ncuts + 1) {
			problem(c, p, "needs %zu labels (one per band)",
			    sc->ncuts + 1);
			break;
		}
		sc->band_labels = calloc(sc->ncuts + 1, sizeof(struct form_text));
		if (sc->band_labels == NULL)
			break;
		json_array_foreach(x, i, e)
			text_value(c, e, diag_path_idx(q, p, i), &sc->band_labels[i]);
		break;
	}
	default:
		break;
	}
	x = json_object_get(obj, "range");
	if (x != NULL) {
		if (!json_is_array(x) || json_array_size(x) != 2 ||
		    !json_is_number(json_array_get(x, 0)) ||
		    !json_is_number(json_array_get(x, 1)) ||
		    json_number_value(json_array_get(x, 0)) >
		        json_number_value(json_array_get(x, 1)))
			problem(c, diag_path_key(p, path, "range"), "must be [min, "
			    "max]");
		else {
			sc->has_range = 1;
			sc->range[0] = json_number_value(json_array_get(x, 0));
			sc->range[1] = json_number_value(json_array_get(x, 1));
		}
	}
	sc->ivar = (size_t)-1;
	if (var != NULL) {
		sc->var = xstrdup(var);
		sc->ivar = declare_var(c, diag_path_key(p, path, "var"), sc->var,
		    type, NULL, NULL, sc);
	}
}

/* ---- top level ---- */

static void
parse_langs(struct ctx *c, json_t *root)
{
	json_t *arr = json_object_get(root, "languages"), *e;
	char p[PATH_MAX_LEN];
	size_t i;

	if (!json_is_array(arr) || json_array_size(arr) == 0 ||
	    json_array_size(arr) > FORM_MAX_LANGS) {
		problem(c, "languages", "must be an array of 1..%d language "
		    "tags", FORM_MAX_LANGS);
		c->f->langs[0] = strdup("en");
		c->f->nlangs = 1;
		return;
	}
	json_array_foreach(arr, i, e) {
		const char *s = json_string_value(e);
		size_t n = s ? strlen(s) : 0;
		int ok = n >= 2 && n <= 16;
		for (size_t j = 0; ok && j < n; j++)
			ok = isalnum((unsigned char)s[j]) || s[j] == '-';
		if (!ok) {
			problem(c, diag_path_idx(p, "languages", i), "not a language "
			    "tag");
			continue;
		}
		for (size_t j = 0; j < c->f->nlangs; j++)
			if (strcmp(c->f->langs[j], s) == 0)
				ok = 0;
		if (!ok) {
			problem(c, diag_path_idx(p, "languages", i), "duplicate "
			    "language \"%s\"", s);
			continue;
		}
		c->f->langs[c->f->nlangs++] = xstrdup(s);
	}
	if (c->f->nlangs == 0)
		c->f->langs[c->f->nlangs++] = strdup("en");
}

static size_t
count_vars(json_t *root)
{
	json_t *pages = json_object_get(root, "pages"), *pg, *it;
	json_t *scores = json_object_get(root, "scores");
	size_t i, j, n = 0;

	json_array_foreach(pages, i, pg) {
		json_array_foreach(json_object_get(pg, "items"), j, it)
			n += count_item_vars(it);
	}
	return n + json_array_size(scores) + 1;
}

/*
 * consent.parts: titled blocks of the consent page (who runs the study,
 * how results are published, a contact), each {"title", "text"}.
 */
static void
parse_consent_parts(struct ctx *c, json_t *consent)
{
	static const char *const keys[] = {"title", "text", NULL};
	json_t *a = json_object_get(consent, "parts"), *e;
	char p[PATH_MAX_LEN];
	struct form *f = c->f;
	size_t i;

	if (a == NULL)
		return;
	if (!json_is_array(a) || json_array_size(a) > FORM_MAX_CONSENT_PARTS) {
		problem(c, "consent.parts", "must be an array of at most %d "
		    "{\"title\", \"text\"} objects", FORM_MAX_CONSENT_PARTS);
		return;
	}
	f->consent_parts = calloc(json_array_size(a) + 1,
	    sizeof(*f->consent_parts));
	if (f->consent_parts == NULL) {
		problem(c, "consent.parts", "out of memory");
		return;
	}
	json_array_foreach(a, i, e) {
		struct form_consent_part *cp =
		    &f->consent_parts[f->nconsent_parts++];
		diag_path_idx(p, "consent.parts", i);
		if (!json_is_object(e)) {
			problem(c, p, "must be an object");
			continue;
		}
		unknown_keys(c, e, p, keys);
		get_text(c, e, p, "title", 1, &cp->title);
		get_text(c, e, p, "text", 1, &cp->text);
	}
}

/*
 * Is s a date YYYY, YYYY-MM or YYYY-MM-DD (years 1900..2999)? A source
 * that gives only the year or month is cited as precisely as it is, never
 * padded with a made-up day.
 */
static int
valid_date(const char *s)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31};
	size_t n = strlen(s);
	int y, m = 1, d = 1;

	if (n != 4 && n != 7 && n != 10)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (i == 4 || i == 7 ? s[i] != '-' :
		    !isdigit((unsigned char)s[i]))
			return 0;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	if (n >= 7)
		m = (s[5] - '0') * 10 + (s[6] - '0');
	if (n == 10)
		d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || y > 2999 || m < 1 || m > 12 || d < 1 ||
	    d > mdays[m - 1])
		return 0;
	/* 29 February only in a leap year. */
	return !(m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0)));
}

/* facts[i].about: 1..FORM_FACT_ABOUT_MAX item variables, no repeats. */
static void
parse_fact_about(struct ctx *c, json_t *a, const char *path,
    struct form_fact *ft)
{
	char p[PATH_MAX_LEN];
	size_t i, j;
	json_t *e;

	diag_path_key(p, path, "about");
	if (!json_is_array(a) || json_array_size(a) == 0 ||
	    json_array_size(a) > FORM_FACT_ABOUT_MAX) {
		problem(c, p, "must be an array of 1 to %d item variable names",
		    FORM_FACT_ABOUT_MAX);
		return;
	}
	if ((ft->about = calloc(json_array_size(a), sizeof(*ft->about))) ==
	    NULL) {
		problem(c, p, "out of memory");
		return;
	}
	json_array_foreach(a, i, e) {
		char q[PATH_MAX_LEN];
		long iv;
		diag_path_idx(q, p, i);
		if (!json_is_string(e) || (iv = form_var_find(c->f,
		    json_string_value(e))) < 0 || (size_t)iv >= c->f->nitem_vars) {
			problem(c, q, "must name an item variable of this form");
			continue;
		}
		for (j = 0; j < ft->nabout; j++)
			if (ft->about[j] == (size_t)iv)
				break;
		if (j < ft->nabout) {
			problem(c, q, "\"%s\" is listed twice",
			    json_string_value(e));
			continue;
		}
		ft->about[ft->nabout++] = (size_t)iv;
	}
}

/*
 * "facts": dated, cited statements about the therapies asked about, for
 * the codebook (struct form_fact). Each needs all four keys.
 */
static void
parse_facts(struct ctx *c, json_t *root)
{
	static const char *const keys[] = {"date", "about", "text", "source",
	    NULL};
	char p[PATH_MAX_LEN];
	struct form *f = c->f;
	const char *s;
	json_t *a = json_object_get(root, "facts"), *e;
	size_t i;

	if (a == NULL)
		return;
	if (!json_is_array(a) || json_array_size(a) > FORM_MAX_FACTS) {
		problem(c, "facts", "must be an array of at most %d {\"date\", "
		    "\"about\", \"text\", \"source\"} objects",
		    FORM_MAX_FACTS);
		return;
	}
	if ((f->facts = calloc(json_array_size(a) + 1, sizeof(*f->facts))) ==
	    NULL) {
		problem(c, "facts", "out of memory");
		return;
	}
	json_array_foreach(a, i, e) {
		struct form_fact *ft = &f->facts[f->nfacts++];
		char q[PATH_MAX_LEN];
		diag_path_idx(p, "facts", i);
		if (!json_is_object(e)) {
			problem(c, p, "must be an object");
			continue;
		}
		unknown_keys(c, e, p, keys);
		s = get_string(c, e, p, "date", 1);
		if (s != NULL && !valid_date(s))
			problem(c, diag_path_key(q, p, "date"), "must be a date "
			    "YYYY-MM-DD, or YYYY-MM or YYYY when the source "
			    "gives no day (\"%s\" is not one)", s);
		else if (s != NULL) /* valid_date(): at most 10 bytes */
			memcpy(ft->date, s, strlen(s) + 1);
		s = get_string(c, e, p, "text", 1);
		if (s != NULL && (s[0] == '\0' || strlen(s) > 1000))
			problem(c, diag_path_key(q, p, "text"), "must be 1 to "
			    "1000 bytes");
		ft->text = xstrdup(s);
		s = get_string(c, e, p, "source", 1);
		if (s != NULL && (s[0] == '\0' || strlen(s) > 300))
			problem(c, diag_path_key(q, p, "source"), "must be 1 to "
			    "300 bytes (who said it, where and when)");
		ft->source = xstrdup(s);
		if (json_object_get(e, "about") == NULL)
			problem(c, diag_path_key(q, p, "about"), "missing");
		else
			parse_fact_about(c, json_object_get(e, "about"), p, ft);
	}
}

/*
 * Is s a date of the given precision: "YYYY-MM-DD" of a real day (month 0:
 * day precision), or "YYYY-MM" (month 1)? Years 2000 to 2999.
 */
static int
window_date_ok(const char *s, int month)
{
	static const int mdays[12] = {31, 29, 31, 30, 31, 30, 31, 31, 30,
	    31, 30, 31};
	size_t n = strlen(s);
	int y, m, d;

	if (n != (month ? 7u : 10u) || s[4] != '-' || (!month && s[7] != '-'))
		return 0;
	for (size_t i = 0; i < n; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	if (y < 2000 || y > 2999 || m < 1 || m > 12)
		return 0;
	if (month)
		return 1;
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (d < 1 || d > mdays[m - 1])
		return 0;
	/* 29 February only in leap years. */
	return !(m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0)));
}

/*
 * "window": {"opens", "closes", "final"}: dates at the form's precision
 * (date_precision must be read first), opens < closes <= final. "final"
 * may be left out: it is then closes (nothing goes on after closing).
 */
static void
parse_window(struct ctx *c, json_t *root)
{
	static const char *const keys[] = {"opens", "closes", "final", NULL};
	static const char *const names[3] = {"opens", "closes", "final"};
	struct form_window *w = &c->f->window;
	char *dst[3] = {w->opens, w->closes, w->final};
	const char *want = c->f->date_month ? "\"YYYY-MM\" (the form's "
	    "date_precision is \"month\")" : "\"YYYY-MM-DD\", a real day "
	    "(the form's date_precision is \"day\")";
	json_t *x = json_object_get(root, "window");
	int ok = 1;

	if (x == NULL)
		return;
	if (!json_is_object(x)) {
		problem(c, "window", "must be an object with \"opens\", "
		    "\"closes\" and \"final\"");
		return;
	}
	unknown_keys(c, x, "window", keys);
	for (int i = 0; i < 3; i++) {
		const char *s = get_string(c, x, "window", names[i], i < 2);
		char p[PATH_MAX_LEN];
		if (s == NULL) {
			ok = ok && i == 2 && json_object_get(x, "final") == NULL;
			continue;
		}
		if (!window_date_ok(s, c->f->date_month)) {
			problem(c, diag_path_key(p, "window", names[i]),
			    "must be a date %s, years 2000-2999 (got \"%s\")",
			    want, s);
			ok = 0;
			continue;
		}
		snprintf(dst[i], sizeof(w->opens), "%s", s);
	}
	if (!ok)
		return;
	if (w->final[0] == '\0')
		snprintf(w->final, sizeof(w->final), "%s", w->closes);
	if (strcmp(w->opens, w->closes) >= 0) {
		problem(c, "window.closes", "must be after window.opens (%s), "
		    "got %s", w->opens, w->closes);
		ok = 0;
	}
	if (strcmp(w->closes, w->final) > 0) {
		problem(c, "window.final", "must not be before window.closes "
		    "(%s), got %s", w->closes, w->final);
		ok = 0;
	}
	w->set = ok;
}

void
form_today(const struct form *f, char out[11])
{
	time_t t = time(NULL);
	struct tm tm;

	if (gmtime_r(&t, &tm) == NULL ||
	    strftime(out, 11, f->date_month ? "%Y-%m" : "%Y-%m-%d", &tm) == 0)
		snprintf(out, 11, "%s", f->date_month ? "1970-01" :
		    "1970-01-01");
}

enum form_phase
form_phase_on(const struct form *f, const char *today)
{
	const struct form_window *w = &f->window;

	/* Same precision on both sides, so the strings order as dates. */
	if (!w->set)
		return FORM_PHASE_OPEN;
	if (strcmp(today, w->opens) < 0)
		return FORM_PHASE_BEFORE;
	if (strcmp(today, w->closes) < 0)
		return FORM_PHASE_OPEN;
	if (strcmp(today, w->final) < 0)
		return FORM_PHASE_CLOSED;
	return FORM_PHASE_FINAL;
}

static void
parse_root(struct ctx *c, json_t *root)
{
	static const char *const keys[] = {"id", "version", "languages",
	    "title", "description", "consent", "free_text", "date_precision",
	    "window", "pages", "scores", "about", "from", "facts", NULL};
	char p[PATH_MAX_LEN];
	struct form *f = c->f;
	json_t *x, *e;
	const char *s;
	double d;
	size_t i;

	unknown_keys(c, root, "", keys);
	s = get_string(c, root, "", "id", 1);
	if (s != NULL && !valid_name(s, 64, 1))
		problem(c, "id", "invalid form id \"%s\" (want [a-z0-9-]{1,64})",
		    s);
	f->id = xstrdup(s);
	if (!get_number(c, root, "", "version", 1, &d) || d < 1 || d > 1e9)
		problem(c, "version", "must be an integer >= 1");
	else
		f->version = (long)d;
	parse_langs(c, root);
	get_text(c, root, "", "title", 1, &f->title);
	get_text(c, root, "", "description", 0, &f->description);
	get_text(c, root, "", "about", 0, &f->about);
	f->free_text_allowed = get_bool(c, root, "", "free_text");
	s = get_string(c, root, "", "date_precision", 0);
	if (s != NULL && strcmp(s, "day") != 0 && strcmp(s, "month") != 0)
		problem(c, "date_precision", "must be \"day\" or \"month\"");
	f->date_month = s != NULL && strcmp(s, "month") == 0;
	parse_window(c, root);

	x = json_object_get(root, "consent");
	if (!json_is_object(x)) {
		problem(c, "consent", "missing or not an object");
	} else {
		static const char *const ckeys[] = {"version", "title", "text",
		    "agree", "age_confirm", "minutes", "parts", NULL};
		unknown_keys(c, x, "consent", ckeys);
		s = get_string(c, x, "consent", "version", 1);
		if (s != NULL && (strlen(s) == 0 || strlen(s) > 32))
			problem(c, "consent.version", "must be 1..32 "
			    "characters");
		f->consent_version = xstrdup(s);
		get_text(c, x, "consent", "title", 1, &f->consent_title);
		get_text(c, x, "consent", "text", 1, &f->consent_text);
		get_text(c, x, "consent", "agree", 1, &f->consent_agree);
		get_text(c, x, "consent", "age_confirm", 1, &f->consent_age);
		/* Absent, or not an integer (reported by get_number): unset. */
		if (get_number(c, x, "consent", "minutes", 1, &d)) {
			if (d < 1 || d > 600)
				problem(c, "consent.minutes", "must be 1..600");
			else
				f->consent_minutes = (long)d;
		}
		parse_consent_parts(c, x);
	}

	c->cap_vars = count_vars(root);
	f->vars = calloc(c->cap_vars, sizeof(*f->vars));
	if (f->vars == NULL) {
		problem(c, "", "out of memory");
		return;
	}
	x = json_object_get(root, "pages");
	if (!json_is_array(x) || json_array_size(x) == 0) {
		problem(c, "pages", "must be a non-empty array");
	} else if ((f->pages = calloc(json_array_size(x),
	                sizeof(*f->pages))) != NULL) {
		json_array_foreach(x, i, e) {
			parse_page(c, e, diag_path_idx(p, "pages", i), i, &f->pages[i]);
			f->npages++;
		}
	}
	f->nitem_vars = f->nvars;
	x = json_object_get(root, "scores");
	if (x != NULL && !json_is_array(x)) {
		problem(c, "scores", "must be an array");
	} else if (x != NULL && json_array_size(x) > 0 &&
	    (f->scores = calloc(json_array_size(x), sizeof(*f->scores))) !=
	        NULL) {
		json_array_foreach(x, i, e) {
			parse_score(c, e, diag_path_idx(p, "scores", i), &f->scores[i]);
			f->nscores++;
		}
	}
	/* Scores must come after every item: they are computed, never asked. */
	for (i = f->nitem_vars; i < f->nvars; i++)
		if (f->vars[i].score == NULL)
			problem(c, "scores", "internal: item after score");
	/* Checked against the earlier versions by form_mapper_new(). */
	if (f->version > 0)
		form_map_parse(c->file, json_object_get(root, "from"),
		    f->version, &f->maps, &f->nmaps, c->diag);
	parse_facts(c, root);
}

int
form_load_buffer(const char *name, const char *buf, size_t len,
    struct form **out, struct diag *diag)
{
	struct ctx c = {name, diag, NULL, 0};
	size_t before = diag->total;
	json_error_t jerr;
	json_t *root;

	*out = NULL;
	if (len > FORM_FILE_MAX) {
		diag_add(diag, name, "file larger than %u bytes", FORM_FILE_MAX);
		return -1;
	}
	root = json_loadb(buf, len, JSON_REJECT_DUPLICATES, &jerr);
	if (root == NULL) {
		char where[PATH_MAX_LEN + 64];
		snprintf(where, sizeof(where), "%s:%d:%d", name, jerr.line,
		    jerr.column);
		diag_add(diag, where, "invalid JSON: %s", jerr.text);
		return -1;
	}
	if (!json_is_object(root)) {
		diag_add(diag, name, "the top level must be an object");
		json_decref(root);
		return -1;
	}
	if ((c.f = calloc(1, sizeof(*c.f))) == NULL) {
		json_decref(root);
		diag_add(diag, name, "out of memory");
		return -1;
	}
	parse_root(&c, root);
	json_decref(root);
	crypto_hash_sha256(c.f->sha256, (const unsigned char *)buf, len);
	if (diag->total == before && (index_vars(c.f) != 0 ||
	    form_fast_new(c.f, &c.f->fast) != 0))
		diag_add(diag, name, "out of memory");
	if (diag->total != before) {
		form_free(c.f);
		return -1;
	}
	*out = c.f;
	return 0;
}

int
form_file_read(const char *path, char **buf, size_t *len, struct diag *diag)
{
	FILE *fp;
	size_t n;

	*buf = NULL;
	*len = 0;
	if ((fp = fopen(path, "rb")) == NULL) {
		diag_add(diag, path, "cannot open: %s", strerror(errno));
		return -1;
	}
	/* One byte more than the cap, so form_load_buffer() sees too long. */
	if ((*buf = malloc(FORM_FILE_MAX + 2)) == NULL) {
		fclose(fp);
		diag_add(diag, path, "out of memory");
		return -1;
	}
	n = fread(*buf, 1, FORM_FILE_MAX + 1, fp);
	if (ferror(fp)) {
		diag_add(diag, path, "read error: %s", strerror(errno));
		fclose(fp);
		free(*buf);
		*buf = NULL;
		return -1;
	}
	fclose(fp);
	(*buf)[n] = '\0';
	*len = n;
	return 0;
}

int
form_load(const char *path, struct form **out, struct diag *diag)
{
	char *buf;
	size_t n;
	int rc;

	*out = NULL;
	if (form_file_read(path, &buf, &n, diag) != 0)
		return -1;
	rc = form_load_buffer(path, buf, n, out, diag);
	free(buf);
	return rc;
}

static void
item_free(struct form_item *it)
{
	free(it->var);
	text_free(&it->label);
	text_free(&it->help);
	text_free(&it->unit);
	text_free(&it->min_label);
	text_free(&it->max_label);
	for (size_t i = 0; i < it->nchoices; i++)
		text_free(&it->choices[i].label);
	free(it->choices);
	for (size_t i = 0; i < it->nrows; i++) {
		free(it->rows[i].var);
		text_free(&it->rows[i].label);
	}
	free(it->rows);
	form_cond_free(it->show_if);
	for (size_t l = 0; l < it->ngeneralize; l++) {
		struct form_gen_level *lv = &it->generalize[l];
		for (size_t g = 0; g < lv->ngroups; g++) {
			text_free(&lv->groups[g].label);
			free(lv->groups[g].of);
		}
		free(lv->groups);
	}
	free(it->generalize);
}

void
form_free(struct form *f)
{
	if (f == NULL)
		return;
	free(f->id);
	for (size_t i = 0; i < f->nlangs; i++)
		free(f->langs[i]);
	text_free(&f->title);
	text_free(&f->description);
	free(f->consent_version);
	text_free(&f->consent_title);
	text_free(&f->consent_text);
	text_free(&f->consent_agree);
	text_free(&f->consent_age);
	text_free(&f->about);
	for (size_t i = 0; i < f->nconsent_parts; i++) {
		text_free(&f->consent_parts[i].title);
		text_free(&f->consent_parts[i].text);
	}
	free(f->consent_parts);
	for (size_t i = 0; i < f->nfacts; i++) {
		free(f->facts[i].text);
		free(f->facts[i].source);
		free(f->facts[i].about);
	}
	free(f->facts);
	for (size_t i = 0; i < f->npages; i++) {
		struct form_page *pg = &f->pages[i];
		free(pg->id);
		text_free(&pg->title);
		text_free(&pg->intro);
		form_cond_free(pg->show_if);
		for (size_t j = 0; j < pg->nitems; j++)
			item_free(&pg->items[j]);
		free(pg->items);
	}
	free(f->pages);
	for (size_t i = 0; i < f->nscores; i++) {
		struct form_score *sc = &f->scores[i];
		free(sc->var);
		text_free(&sc->label);
		free(sc->items);
		for (size_t j = 0; j < sc->nconds; j++)
			form_cond_free(sc->conds[j]);
		free(sc->conds);
		form_cond_free(sc->when);
		free(sc->cuts);
		if (sc->band_labels != NULL)
			for (size_t j = 0; j <= sc->ncuts; j++)
				text_free(&sc->band_labels[j]);
		free(sc->band_labels);
	}
	free(f->scores);
	free(f->vars);
	free(f->var_order);
	form_fast_free(f->fast);
	form_map_free(f->maps, f->nmaps);
	free(f);
}

int
form_lang_find(const struct form *f, const char *tag)
{
	size_t n;

	if (tag == NULL)
		return -1;
	for (size_t i = 0; i < f->nlangs; i++)
		if (strcasecmp(f->langs[i], tag) == 0)
			return (int)i;
	/* "es-MX" matches "es"; "es" matches "es-MX" when it is the only es. */
	n = strcspn(tag, "-_");
	for (size_t i = 0; i < f->nlangs; i++)
		if (strncasecmp(f->langs[i], tag, n) == 0 &&
		    (f->langs[i][n] == '\0' || f->langs[i][n] == '-'))
			return (int)i;
	return -1;
}

const char *
form_text_get(const struct form *f, const struct form_text *t, int lang)
{
	if (lang >= 0 && (size_t)lang < f->nlangs && t->s[lang] != NULL)
		return t->s[lang];
	return t->s[0];
}
