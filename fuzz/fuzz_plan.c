/*
 * Fuzz target: the analysis plan loader (analysis/plan.c) against the
 * default survey, loaded once. A plan that loads must be within its
 * documented ranges, and its group conditions are evaluated on a small
 * dataset of the form (one row without answers, a few with every item
 * answered in turn by a different choice or value): every evaluation gives
 * one of the three truth values.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dataset.h"
#include "fuzz.h"
#include "plan.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define FUZZ_ROWS 5

static struct form *form;
static struct dataset *rows;

/* Answer item variable iv with its r-th choice or value; may stay unset. */
static void
answer(struct form_answers *a, size_t iv, size_t r)
{
	const struct form_var *v = &form->vars[iv];
	const struct form_item *it = v->item;
	const char *vals[2], *err;
	char b[2][32];
	size_t n = 1;

	switch (it->kind) {
	case FORM_SINGLE:
	case FORM_DURATION:
	case FORM_GRID:
		if (it->nchoices == 0)
			return;
		snprintf(b[0], sizeof(b[0]), "%ld",
		    it->choices[(r + iv) % it->nchoices].value);
		break;
	case FORM_MULTIPLE:
		if (it->nchoices == 0)
			return;
		snprintf(b[0], sizeof(b[0]), "%ld",
		    it->choices[r % it->nchoices].value);
		snprintf(b[1], sizeof(b[1]), "%ld",
		    it->choices[(r + 1) % it->nchoices].value);
		n = 1 + r % 2;
		break;
	case FORM_INTEGER:
	case FORM_SCALE:
	case FORM_DECIMAL:
		snprintf(b[0], sizeof(b[0]), "%ld",
		    (long)it->min + (long)(r * 3 + iv) %
		    ((long)(it->max - it->min) + 1));
		break;
	case FORM_YESNO:
		snprintf(b[0], sizeof(b[0]), "%zu", (r + iv) % 2);
		break;
	default:
		return;
	}
	vals[0] = b[0];
	vals[1] = b[1];
	if (form_value_parse(form, iv, vals, n, &a->v[iv], &err) != 0)
		form_answers_clear(a, iv);
}

static void
setup(void)
{
	struct form_answers *a;

	if (form != NULL)
		return;
	form = fuzz_load_form("forms/fibromyalgia-therapies.json");
	rows = dataset_new(form, FUZZ_ROWS);
	FUZZ_CHECK(rows != NULL);
	for (size_t r = 0; r < FUZZ_ROWS; r++) {
		a = form_answers_new(form);
		FUZZ_CHECK(a != NULL);
		for (size_t iv = 0; r > 0 && iv < form->nitem_vars; iv++)
			answer(a, iv, r);
		form_score(form, a);
		FUZZ_CHECK(dataset_append(rows, a) == 0);
		form_answers_free(a);
	}
}

static void
check_cond(const struct plan_cond *c)
{
	for (size_t r = 0; r < rows->n; r++) {
		enum form_tri t = plan_cond_eval(c, rows, r);
		FUZZ_CHECK(t == FORM_TRUE || t == FORM_FALSE ||
		    t == FORM_UNKNOWN);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct plan *p = NULL;
	struct diag d;
	size_t i;

	setup();
	diag_init(&d);
	if (plan_load_buffer("fuzz.json", (const char *)data, size, form, &p,
	    &d) != 0) {
		FUZZ_CHECK(p == NULL);
		diag_free(&d);
		return 0;
	}
	FUZZ_CHECK(p != NULL);
	FUZZ_CHECK(p->noutcomes <= PLAN_MAX_LIST);
	FUZZ_CHECK(p->ngroups <= PLAN_MAX_LIST);
	FUZZ_CHECK(p->ncovs <= PLAN_MAX_LIST);
	for (i = 0; i < p->noutcomes; i++)
		FUZZ_CHECK(p->outcomes[i] < form->nvars);
	for (i = 0; i < p->ncovs; i++) {
		FUZZ_CHECK(p->covs[i].ivar < form->nvars);
		FUZZ_CHECK(p->covs[i].coding < PLAN_CODING__MAX);
	}
	for (i = 0; i < p->ngroups; i++) {
		const struct plan_group *g = &p->groups[i];
		FUZZ_CHECK(g->name != NULL && strlen(g->name) >= 1 &&
		    strlen(g->name) <= 64);
		FUZZ_CHECK(g->a != NULL && g->b != NULL);
		check_cond(g->a);
		check_cond(g->b);
	}
	FUZZ_CHECK(p->k >= 1 && p->k <= 1000000);
	FUZZ_CHECK(p->alpha > 0 && p->alpha < 1);
	FUZZ_CHECK(p->padj < PLAN_PADJ__MAX);
	FUZZ_CHECK(plan_padj_name(p->padj) != NULL);
	plan_free(p);
	diag_free(&d);
	return 0;
}
