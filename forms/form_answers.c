/*
 * Answers to a form: parsing wire values, three-valued conditions, what is
 * shown, what a page must satisfy, and the JSON encoding kept in storage.
 * The collector (HTTP fields), the CSV import (cells) and the analysis
 * (stored JSON) all come through here, so a value accepted by one is
 * accepted by all.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "form_fast.h"
#include "form_internal.h"

struct form_answers *
form_answers_new(const struct form *f)
{
	struct form_answers *a = calloc(1, sizeof(*a));

	if (a == NULL)
		return NULL;
	a->form = f;
	a->v = calloc(f->nvars ? f->nvars : 1, sizeof(*a->v));
	if (a->v == NULL) {
		free(a);
		return NULL;
	}
	return a;
}

void
form_answers_clear(struct form_answers *a, size_t ivar)
{
	free(a->v[ivar].text);
	memset(&a->v[ivar], 0, sizeof(a->v[ivar]));
}

void
form_answers_free(struct form_answers *a)
{
	if (a == NULL)
		return;
	for (size_t i = 0; i < a->form->nvars; i++)
		free(a->v[i].text);
	free(a->v);
	free(a);
}

int
form_answers_copy(struct form_answers *dst, const struct form_answers *src)
{
	if (dst->form != src->form)
		return -1;
	for (size_t i = 0; i < src->form->nvars; i++) {
		form_answers_clear(dst, i);
		dst->v[i] = src->v[i];
		dst->v[i].text = NULL;
		if (src->v[i].text != NULL &&
		    (dst->v[i].text = strdup(src->v[i].text)) == NULL)
			return -1;
	}
	return 0;
}

/* Parse a whole-string long with range; 0 on success. */
static int
parse_long(const char *s, long *out)
{
	char *end;
	long v;

	while (*s == ' ')
		s++;
	if (*s == '\0')
		return -1;
	errno = 0;
	v = strtol(s, &end, 10);
	while (*end == ' ')
		end++;
	if (errno != 0 || *end != '\0')
		return -1;
	*out = v;
	return 0;
}

static int
parse_double(const char *s, double *out)
{
	char *end;
	double v;

	while (*s == ' ')
		s++;
	if (*s == '\0')
		return -1;
	errno = 0;
	v = strtod(s, &end);
	while (*end == ' ')
		end++;
	if (errno != 0 || *end != '\0' || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

/* Valid UTF-8 without control characters other than newline and tab. */
static int
valid_utf8_text(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;

	while (p < e) {
		unsigned char ch = *p;
		size_t len;
		unsigned cp;
		if (ch < 0x80) {
			if ((ch < 0x20 && ch != '\n' && ch != '\t' &&
			        ch != '\r') || ch == 0x7f)
				return 0;
			p++;
			continue;
		}
		if ((ch & 0xe0) == 0xc0) {
			len = 2;
			cp = ch & 0x1f;
		} else if ((ch & 0xf0) == 0xe0) {
			len = 3;
			cp = ch & 0x0f;
		} else if ((ch & 0xf8) == 0xf0) {
			len = 4;
			cp = ch & 0x07;
		} else
			return 0;
		if ((size_t)(e - p) < len)
			return 0;
		for (size_t i = 1; i < len; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i] & 0x3f);
		}
		if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) ||
		    (len == 4 && cp < 0x10000) || cp > 0x10ffff ||
		    (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		p += len;
	}
	return 1;
}

static int
choice_index(const struct form_item *it, long value)
{
	for (size_t i = 0; i < it->nchoices; i++)
		if (it->choices[i].value == value)
			return (int)i;
	return -1;
}

int
form_value_parse(const struct form *f, size_t ivar, const char *const *vals,
    size_t nvals, struct form_value *out, const char **err)
{
	const struct form_var *fv;
	const struct form_item *it;
	long l;
	double d;
	size_t n;

	memset(out, 0, sizeof(*out));
	*err = NULL;
	if (ivar >= f->nitem_vars) {
		*err = "not an answerable variable";
		return -1;
	}
	fv = &f->vars[ivar];
	it = fv->item;
	/* Empty strings are "no answer" (an untouched control). */
	while (nvals > 0 && vals[nvals - 1][0] == '\0')
		nvals--;
	if (nvals == 0)
		return 0;
	if (nvals > 1 && it->kind != FORM_MULTIPLE) {
		*err = "more than one value";
		return -1;
	}
	switch (it->kind) {
	case FORM_SINGLE:
	case FORM_DURATION:
	case FORM_GRID:
	case FORM_YESNO:
	case FORM_SCALE:
	case FORM_INTEGER:
		if (parse_long(vals[0], &l) < 0) {
			*err = "not an integer";
			return -1;
		}
		if (it->kind == FORM_YESNO || it->kind == FORM_SCALE ||
		    it->kind == FORM_INTEGER) {
			if (l < it->min || l > it->max) {
				*err = "out of range";
				return -1;
			}
		} else if (choice_index(it, l) < 0) {
			*err = "not one of the choices";
			return -1;
		}
		out->i = l;
		out->r = (double)l;
		break;
	case FORM_DECIMAL:
		if (parse_double(vals[0], &d) < 0) {
			*err = "not a number";
			return -1;
		}
		if (d < it->min || d > it->max) {
			*err = "out of range";
			return -1;
		}
		out->r = d;
		break;
	case FORM_MULTIPLE: {
		int excl = 0;
		for (size_t i = 0; i < nvals; i++) {
			int ci;
			if (vals[i][0] == '\0')
				continue;
			if (parse_long(vals[i], &l) < 0) {
				*err = "not an integer";
				return -1;
			}
			if ((ci = choice_index(it, l)) < 0) {
				*err = "not one of the choices";
				return -1;
			}
			if (out->mask & ((uint64_t)1 << ci)) {
				*err = "the same choice twice";
				return -1;
			}
			out->mask |= (uint64_t)1 << ci;
			excl |= it->choices[ci].exclusive;
		}
		if (excl && (out->mask & (out->mask - 1)) != 0) {
			*err = "\"none\" cannot be combined with other choices";
			return -1;
		}
		break;
	}
	case FORM_TEXT:
		n = strlen(vals[0]);
		if (n > it->max_length) {
			*err = "text too long";
			return -1;
		}
		if (!valid_utf8_text(vals[0], n)) {
			*err = "invalid characters in text";
			return -1;
		}
		if ((out->text = strdup(vals[0])) == NULL) {
			*err = "out of memory";
			return -1;
		}
		break;
	default:
		*err = "unknown item kind";
		return -1;
	}
	out->set = 1;
	return 0;
}

int
form_value_known(const struct form *f, size_t ivar, const struct form_value *v)
{
	const struct form_var *fv = &f->vars[ivar];
	const struct form_choice *ch;

	if (!v->set)
		return 0;
	if (fv->item != NULL && fv->type == FORM_T_INT &&
	    fv->item->nchoices > 0 &&
	    (ch = form_choice_find(fv->item, v->i)) != NULL && ch->missing)
		return 0;
	return 1;
}

double
form_value_number(const struct form *f, size_t ivar, const struct form_value *v)
{
	const struct form_var *fv = &f->vars[ivar];
	int n = 0;

	switch (fv->type) {
	case FORM_T_INT:
		return (double)v->i;
	case FORM_T_REAL:
		return v->r;
	case FORM_T_SET:
		for (size_t i = 0; i < fv->item->nchoices; i++)
			if ((v->mask >> i & 1) && !fv->item->choices[i].exclusive)
				n++;
		return n;
	default:
		return NAN;
	}
}

static enum form_tri
cmp(enum cond_op op, double x, double y)
{
	int r;

	switch (op) {
	case COND_EQ: r = x == y; break;
	case COND_NE: r = x != y; break;
	case COND_LT: r = x < y; break;
	case COND_LE: r = x <= y; break;
	case COND_GT: r = x > y; break;
	case COND_GE: r = x >= y; break;
	default: r = 0; break;
	}
	return r ? FORM_TRUE : FORM_FALSE;
}

enum form_tri
form_cond_eval(const struct form_cond *c, const struct form_answers *a)
{
	const struct form *f = a->form;
	const struct form_value *v;
	size_t ntrue = 0, nunk = 0;
	enum form_tri r;

	if (c == NULL)
		return FORM_TRUE;
	switch (c->op) {
	case COND_ALL:
	case COND_ANY:
		for (size_t i = 0; i < c->nkids; i++) {
			r = form_cond_eval(c->kids[i], a);
			if (c->op == COND_ALL && r == FORM_FALSE)
				return FORM_FALSE;
			if (c->op == COND_ANY && r == FORM_TRUE)
				return FORM_TRUE;
			nunk += r == FORM_UNKNOWN;
		}
		if (nunk)
			return FORM_UNKNOWN;
		return c->op == COND_ALL ? FORM_TRUE : FORM_FALSE;
	case COND_NOT:
		r = form_cond_eval(c->kids[0], a);
		return r == FORM_UNKNOWN ? r : r == FORM_TRUE ? FORM_FALSE
		                                             : FORM_TRUE;
	case COND_COUNT: {
		for (size_t i = 0; i < c->nkids; i++) {
			r = form_cond_eval(c->kids[i], a);
			ntrue += r == FORM_TRUE;
			nunk += r == FORM_UNKNOWN;
		}
		/* Decided only if every way the unknowns fall gives one answer. */
		enum form_tri lo = cmp(c->cmp, (double)ntrue, c->num);
		enum form_tri hi = cmp(c->cmp, (double)(ntrue + nunk), c->num);
		if (c->cmp == COND_EQ && nunk > 0)
			return (c->num < (double)ntrue ||
			           c->num > (double)(ntrue + nunk))
			    ? FORM_FALSE : FORM_UNKNOWN;
		return lo == hi ? lo : FORM_UNKNOWN;
	}
	case COND_ANSWERED:
		v = &a->v[c->ivar];
		return (form_value_known(f, c->ivar, v) == c->answered)
		    ? FORM_TRUE : FORM_FALSE;
	case COND_HAS: {
		const struct form_item *it = f->vars[c->ivar].item;
		v = &a->v[c->ivar];
		if (!v->set)
			return FORM_UNKNOWN;
		int ci = choice_index(it, (long)c->num);
		return ci >= 0 && (v->mask >> ci & 1) ? FORM_TRUE : FORM_FALSE;
	}
	case COND_IN:
		v = &a->v[c->ivar];
		if (!form_value_known(f, c->ivar, v))
			return FORM_UNKNOWN;
		for (size_t i = 0; i < c->nset; i++)
			if (form_value_number(f, c->ivar, v) == c->set[i])
				return FORM_TRUE;
		return FORM_FALSE;
	default:
		v = &a->v[c->ivar];
		if (!form_value_known(f, c->ivar, v))
			return FORM_UNKNOWN;
		return cmp(c->op, form_value_number(f, c->ivar, v), c->num);
	}
}

int
form_page_visible(const struct form *f, size_t ipage,
    const struct form_answers *a)
{
	return form_cond_eval(f->pages[ipage].show_if, a) == FORM_TRUE;
}

int
form_item_visible(const struct form *f, const struct form_item *it,
    const struct form_answers *a)
{
	return form_page_visible(f, it->ipage, a) &&
	    form_cond_eval(it->show_if, a) == FORM_TRUE;
}

int
form_cond_vars(const struct form_cond *c, size_t *ivar)
{
	int n = 0, k;

	if (c == NULL)
		return 0;
	if (c->op == COND_ALL || c->op == COND_ANY || c->op == COND_NOT ||
	    c->op == COND_COUNT) {
		for (size_t i = 0; i < c->nkids; i++) {
			size_t v = 0;
			if ((k = form_cond_vars(c->kids[i], &v)) == 0)
				continue;
			if (k > 1 || (n == 1 && v != *ivar))
				return 2;
			*ivar = v;
			n = 1;
		}
		return n;
	}
	*ivar = c->ivar;
	return 1;
}

/* The variables of an item: its own, or each row's. */
static size_t
item_vars(const struct form_item *it, size_t *out, size_t max)
{
	size_t n = 0;

	if (it->kind == FORM_GRID) {
		for (size_t i = 0; i < it->nrows && n < max; i++)
			if (it->rows[i].ivar != (size_t)-1)
				out[n++] = it->rows[i].ivar;
	} else if (it->ivar != (size_t)-1 && max > 0) {
		out[n++] = it->ivar;
	}
	return n;
}

size_t
form_page_check(const struct form *f, size_t ipage, struct form_answers *a,
    struct diag *diag)
{
	const struct form_page *pg = &f->pages[ipage];
	int page_shown = form_page_visible(f, ipage, a);
	size_t problems = 0;
	size_t vars[256];

	/* Items in order: an item's show_if sees earlier items already
	 * cleared, exactly as the respondent saw the page. */
	for (size_t i = 0; i < pg->nitems; i++) {
		const struct form_item *it = &pg->items[i];
		size_t n = item_vars(it, vars, sizeof(vars) / sizeof(vars[0]));
		int shown = page_shown &&
		    form_cond_eval(it->show_if, a) == FORM_TRUE;
		for (size_t j = 0; j < n; j++) {
			if (!shown) {
				form_answers_clear(a, vars[j]);
				continue;
			}
			if (it->required && !a->v[vars[j]].set) {
				diag_add(diag, f->vars[vars[j]].name, "required");
				problems++;
			}
		}
	}
	return problems;
}

size_t
form_answers_check(const struct form *f, struct form_answers *a,
    struct diag *diag)
{
	size_t problems = 0;

	for (size_t p = 0; p < f->npages; p++)
		problems += form_page_check(f, p, a, diag);
	form_score(f, a);
	return problems;
}

/* ---- JSON encoding ---- */

/*
 * The general paths build a jansson tree. form_answers_to_json() and
 * form_answers_from_json() try the fast paths of form_answers_fast.c
 * first, which give the same bytes and the same answers without one, and
 * come here for anything those do not handle.
 */
char *
form_answers_to_json_tree(const struct form_answers *a, size_t from,
    size_t to)
{
	const struct form *f = a->form;
	json_t *obj = json_object(), *v;
	char *s;

	if (obj == NULL)
		return NULL;
	for (size_t i = from; i < to && i < f->nvars; i++) {
		const struct form_value *fv = &a->v[i];
		if (!fv->set)
			continue;
		switch (f->vars[i].type) {
		case FORM_T_INT:
			v = json_integer(fv->i);
			break;
		case FORM_T_REAL:
			v = json_real(fv->r);
			break;
		case FORM_T_SET:
			v = json_array();
			for (size_t c = 0; v && c < f->vars[i].item->nchoices; c++)
				if (fv->mask >> c & 1)
					json_array_append_new(v, json_integer(
					    f->vars[i].item->choices[c].value));
			break;
		case FORM_T_TEXT:
			v = json_string(fv->text);
			break;
		default:
			v = NULL;
		}
		if (v == NULL || json_object_set_new(obj, f->vars[i].name, v)) {
			json_decref(obj);
			return NULL;
		}
	}
	s = json_dumps(obj, JSON_COMPACT | JSON_PRESERVE_ORDER |
	    JSON_REAL_PRECISION(17));
	json_decref(obj);
	return s;
}

int
form_answers_from_json_tree(struct form_answers *a, const char *json,
    struct diag *diag)
{
	const struct form *f = a->form;
	json_error_t jerr;
	json_t *obj, *v, *e;
	const char *k;
	char buf[32];
	int rc = 0;

	obj = json_loads(json, JSON_REJECT_DUPLICATES, &jerr);
	if (!json_is_object(obj)) {
		diag_add(diag, "answers", "invalid JSON: %s", jerr.text);
		json_decref(obj);
		return -1;
	}
	json_object_foreach(obj, k, v) {
		long iv = form_var_find(f, k);
		struct form_value *fv;
		const char *err = NULL;
		if (iv < 0) {
			diag_add(diag, k, "unknown variable");
			rc = -1;
			continue;
		}
		fv = &a->v[iv];
		form_answers_clear(a, (size_t)iv);
		if ((size_t)iv >= f->nitem_vars) {
			/* A stored score: taken as it is (it was computed). */
			if (!json_is_number(v)) {
				diag_add(diag, k, "score not a number");
				rc = -1;
				continue;
			}
			fv->set = 1;
			fv->r = json_number_value(v);
			/* Only a value a long holds has an integer form. */
			fv->i = fv->r >= (double)LONG_MIN &&
			    fv->r < -(double)LONG_MIN ? (long)fv->r : 0;
			continue;
		}
		if (f->vars[iv].type == FORM_T_SET) {
			const char *vals[FORM_MAX_CHOICES];
			char store[FORM_MAX_CHOICES][24];
			size_t i, n = 0;
			if (!json_is_array(v) ||
			    json_array_size(v) > FORM_MAX_CHOICES) {
				diag_add(diag, k, "not a list of choices");
				rc = -1;
				continue;
			}
			json_array_foreach(v, i, e) {
				if (!json_is_integer(e)) {
					err = "not an integer";
					break;
				}
				snprintf(store[n], sizeof(store[n]), "%lld",
				    (long long)json_integer_value(e));
				vals[n] = store[n];
				n++;
			}
			if (err == NULL)
				form_value_parse(f, (size_t)iv, vals, n, fv, &err);
		} else if (json_is_string(v)) {
			const char *s = json_string_value(v);
			form_value_parse(f, (size_t)iv, &s, 1, fv, &err);
		} else if (json_is_integer(v)) {
			const char *s = buf;
			snprintf(buf, sizeof(buf), "%lld",
			    (long long)json_integer_value(v));
			form_value_parse(f, (size_t)iv, &s, 1, fv, &err);
		} else if (json_is_real(v)) {
			const char *s = buf;
			snprintf(buf, sizeof(buf), "%.17g", json_real_value(v));
			form_value_parse(f, (size_t)iv, &s, 1, fv, &err);
		} else {
			err = "unexpected JSON type";
		}
		if (err != NULL) {
			diag_add(diag, k, "%s", err);
			form_answers_clear(a, (size_t)iv);
			rc = -1;
		}
	}
	json_decref(obj);
	return rc;
}

char *
form_answers_to_json(const struct form_answers *a, size_t from, size_t to)
{
	int fallback;
	char *s = form_answers_fast_encode(a, from, to, &fallback);

	if (s != NULL || !fallback)
		return s;
	return form_answers_to_json_tree(a, from, to);
}

int
form_answers_from_json(struct form_answers *a, const char *json,
    struct diag *diag)
{
	const struct form *f = a->form;
	size_t i;

	/*
	 * The fast path decodes into answers with no value set (as every
	 * caller but a few tests passes them); given values already set, the
	 * general path keeps its rule of replacing only the variables named.
	 */
	for (i = 0; i < f->nvars; i++)
		if (a->v[i].set || a->v[i].text != NULL)
			break;
	if (i == f->nvars) {
		if (form_answers_fast_decode(a, json) == 0)
			return 0;
		for (i = 0; i < f->nvars; i++)
			form_answers_clear(a, i);
	}
	return form_answers_from_json_tree(a, json, diag);
}
