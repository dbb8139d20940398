/*
 * The form condition language written back as JSON (docs/forms.md): the
 * one spelling of a parsed show_if, count or criteria condition that
 * every other reader of a condition uses. The REDCap export prints score
 * definitions with it, the analysis builds the default plan's groups from
 * the conditions that ask the therapy questions, and the collector's pages
 * carry each item's show_if in a data- attribute so that a small script
 * shows a follow-up question as soon as its condition holds. Whatever
 * form_cond_eval() decides, this writes: one tree, one grammar.
 */
#include <math.h>
#include <stdlib.h>

#include <jansson.h>

#include "form_internal.h"

static int
is_cmp(enum cond_op op)
{
	return op == COND_EQ || op == COND_NE || op == COND_LT ||
	    op == COND_LE || op == COND_GT || op == COND_GE;
}

/* Codes and thresholds are integers in every form: write them as such. */
static json_t *
num_json(double x)
{
	if (x == floor(x) && fabs(x) < 1e15)
		return json_integer((json_int_t)x);
	return json_real(x);
}

/* Set key k of o to v, which it takes; -1 if either is missing. */
static int
put(json_t *o, const char *k, json_t *v)
{
	if (v == NULL)
		return -1;
	return json_object_set_new(o, k, v);
}

static int
put_var(json_t *o, const struct form *f, size_t ivar)
{
	return put(o, "var", json_string(f->vars[ivar].name));
}

static json_t *
kids_json(const struct form *f, const struct form_cond *c)
{
	json_t *a = json_array();

	for (size_t i = 0; a != NULL && i < c->nkids; i++)
		if (json_array_append_new(a, form_cond_json(f, c->kids[i])) !=
		    0) {
			json_decref(a);
			a = NULL;
		}
	return a;
}

json_t *
form_cond_json(const struct form *f, const struct form_cond *c)
{
	static const char *const cmp_key[] = {
		[COND_EQ] = "eq", [COND_NE] = "ne", [COND_LT] = "lt",
		[COND_LE] = "le", [COND_GT] = "gt", [COND_GE] = "ge",
	};
	json_t *o, *a;
	int rc = 0;

	if (c == NULL || (o = json_object()) == NULL)
		return NULL;
	switch (c->op) {
	case COND_ALL:
	case COND_ANY:
	case COND_COUNT:
		rc = put(o, c->op == COND_ALL ? "all" : c->op == COND_ANY ?
		    "any" : "count", kids_json(f, c));
		if (rc == 0 && c->op == COND_COUNT)
			rc = put(o, c->cmp == COND_GE ? "ge" : c->cmp ==
			    COND_LE ? "le" : "eq", num_json(c->num));
		break;
	case COND_NOT:
		rc = put(o, "not", form_cond_json(f, c->kids[0]));
		break;
	case COND_ANSWERED:
		rc = put_var(o, f, c->ivar) ||
		    put(o, "answered", json_boolean(c->answered));
		break;
	case COND_HAS:
		rc = put_var(o, f, c->ivar) || put(o, "has", num_json(c->num));
		break;
	case COND_IN:
		if ((rc = put_var(o, f, c->ivar)) != 0 ||
		    (a = json_array()) == NULL) {
			rc = -1;
			break;
		}
		for (size_t i = 0; rc == 0 && i < c->nset; i++)
			rc = json_array_append_new(a, num_json(c->set[i]));
		rc = put(o, "in", a) || rc;
		break;
	default:
		/* Defensive: the parser builds no other node. */
		if (!is_cmp(c->op)) {
			rc = -1;
			break;
		}
		rc = put_var(o, f, c->ivar) ||
		    put(o, cmp_key[c->op], num_json(c->num));
		break;
	}
	if (rc != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

/* Is variable ivar asked on page ipage (an item or a grid row there)? */
static int
on_page(const struct form *f, size_t ivar, size_t ipage)
{
	const struct form_item *it = f->vars[ivar].item;

	return it != NULL && it->ipage == ipage;
}

static json_t *live_json(const struct form *f, const struct form_cond *c,
    const struct form_answers *a, size_t ipage, size_t *nlive);

static json_t *
live_kids(const struct form *f, const struct form_cond *c,
    const struct form_answers *a, size_t ipage, size_t *nlive)
{
	json_t *arr = json_array();

	for (size_t i = 0; arr != NULL && i < c->nkids; i++)
		if (json_array_append_new(arr, live_json(f, c->kids[i], a,
		    ipage, nlive)) != 0) {
			json_decref(arr);
			arr = NULL;
		}
	return arr;
}

static json_t *
live_json(const struct form *f, const struct form_cond *c,
    const struct form_answers *a, size_t ipage, size_t *nlive)
{
	json_t *o;
	enum form_tri t;
	int rc = 0;

	switch (c->op) {
	case COND_ALL:
	case COND_ANY:
	case COND_COUNT:
	case COND_NOT:
		if ((o = json_object()) == NULL)
			return NULL;
		if (c->op == COND_NOT)
			rc = put(o, "not", live_json(f, c->kids[0], a, ipage,
			    nlive));
		else
			rc = put(o, c->op == COND_ALL ? "all" : c->op ==
			    COND_ANY ? "any" : "count", live_kids(f, c, a, ipage,
			    nlive));
		if (rc == 0 && c->op == COND_COUNT)
			rc = put(o, c->cmp == COND_GE ? "ge" : c->cmp ==
			    COND_LE ? "le" : "eq", num_json(c->num));
		if (rc != 0) {
			json_decref(o);
			return NULL;
		}
		return o;
	default:
		break;
	}
	if (on_page(f, c->ivar, ipage)) {
		(*nlive)++;
		return form_cond_json(f, c);
	}
	/* Answered on another page: fixed while this page is shown. */
	t = form_cond_eval(c, a);
	return json_pack("{s:o}", "value", t == FORM_UNKNOWN ? json_null() :
	    json_boolean(t == FORM_TRUE));
}

json_t *
form_cond_json_live(const struct form *f, const struct form_cond *c,
    const struct form_answers *a, size_t ipage, size_t *nlive)
{
	*nlive = 0;
	if (c == NULL)
		return NULL;
	return live_json(f, c, a, ipage, nlive);
}

char *
form_cond_json_string(const struct form *f, const struct form_cond *c)
{
	json_t *o = form_cond_json(f, c);
	char *s;

	if (o == NULL)
		return NULL;
	s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(o);
	return s;
}

int
form_cond_is_has(const struct form_cond *c, size_t *ivar, long *code)
{
	if (c == NULL || c->op != COND_HAS)
		return 0;
	*ivar = c->ivar;
	*code = (long)c->num;
	return 1;
}
