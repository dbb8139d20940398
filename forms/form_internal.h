/*
 * Definitions shared by the files of the form module and nobody else: the
 * condition tree that form.c builds and form_answers.c evaluates.
 */
#ifndef CANDOR_FORM_INTERNAL_H
#define CANDOR_FORM_INTERNAL_H

#include "form.h"

enum cond_op {
	COND_EQ,
	COND_NE,
	COND_LT,
	COND_LE,
	COND_GT,
	COND_GE,
	COND_IN,
	COND_HAS,
	COND_ANSWERED,
	COND_ALL,
	COND_ANY,
	COND_NOT,
	COND_COUNT,
	COND__MAX
};

struct form_cond {
	enum cond_op op;
	size_t ivar;     /* comparisons, in, has, answered */
	double num;      /* comparisons; count: the threshold */
	enum cond_op cmp; /* count: COND_GE, COND_LE or COND_EQ */
	double *set;     /* in */
	size_t nset;
	int answered;    /* answered: true or false */
	struct form_cond **kids; /* all, any, not (one), count */
	size_t nkids;
};

void form_cond_free(struct form_cond *c);

#endif
