/*
 * Correlation against R (tests/reference/stats_methods.R): cor.test(x, y)
 * (r, t, df, p, Fisher-z interval when n > 3) and cor.test(x, y, method =
 * "spearman") with its default p-value: exact enumeration for n <= 9
 * without ties, AS 89's Edgeworth series up to 1290 pairs, the t
 * approximation with ties; the Bonett-Wright interval of rho written out
 * in R; Cramer's V of 2 x 2, 3 x 4 and 2 x 5 tables.
 *
 * Tolerance: 1e-9 relative.
 */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "stats.h"
#include "testlib.h"
#include "../reference/stats_ref.h"

#define TOL_R 1e-9

static struct ref_data data;
static struct ref_expect ex;

static void
check_case(const char *name)
{
	char bn[REF_NAME_MAX], pre[REF_NAME_MAX];
	struct stats_pearson p;
	struct stats_spearman_test s;

	snprintf(bn, sizeof(bn), "co_%s", name);
	snprintf(pre, sizeof(pre), "co.%s", name);
	const struct ref_block *b = ref_block(&data, bn);
	double *x = ref_column(b, 0), *y = ref_column(b, 1);
	CHECK_INT(stats_pearson(x, y, b->nrow, &p), STATS_RC_OK);
	CHECK_REF(&ex, pre, "r", p.r, TOL_R);
	CHECK_REF(&ex, pre, "t", p.t, TOL_R);
	CHECK_REF(&ex, pre, "df", p.df, 0.0);
	CHECK_REF(&ex, pre, "p", p.p, TOL_R);
	CHECK_REF(&ex, pre, "lo", p.ci_lo, TOL_R);
	CHECK_REF(&ex, pre, "hi", p.ci_hi, TOL_R);
	CHECK_INT(stats_spearman_test(x, y, b->nrow, &s), STATS_RC_OK);
	CHECK_REF(&ex, pre, "rho", s.s.rho, TOL_R);
	CHECK_REF(&ex, pre, "s", s.s.s, TOL_R);
	CHECK_REF(&ex, pre, "sp_p", s.s.p, TOL_R);
	if (s.s.why == STATS_OK)
		CHECK_REF(&ex, pre, "sp_exact", s.exact, 0.0);
	CHECK_REF(&ex, pre, "sp_lo", s.ci_lo, TOL_R);
	CHECK_REF(&ex, pre, "sp_hi", s.ci_hi, TOL_R);
	free(x);
	free(y);
}

static void
check_cramer(const char *name)
{
	char bn[REF_NAME_MAX], key[REF_NAME_MAX];
	struct stats_chisq c;
	uint64_t tab[64];

	snprintf(bn, sizeof(bn), "cv_%s", name);
	const struct ref_block *b = ref_block(&data, bn);
	for (size_t i = 0; i < b->nrow * b->ncol && i < 64; i++)
		tab[i] = (uint64_t)b->v[i];
	CHECK_INT(stats_chisq(tab, b->nrow, b->ncol, 1, &c), STATS_RC_OK);
	snprintf(key, sizeof(key), "cv.%s", name);
	CHECK_NEAR(c.cramer_v, ref_get(&ex, key), TOL_R);
}

int
main(void)
{
	static const char *const names[] = {
		"n7", "n9", "n10", "n25", "n200", "ties", "four", "three",
		"perfect", "consty",
	};
	struct stats_pearson p;
	const double a[2] = { 1, 2 };

	gsl_set_error_handler_off();
	if (ref_data_load(&data, "tests/reference/methods_data.txt") != 0 ||
	    ref_expect_load(&ex, "tests/reference/stats_corr.expected") != 0)
		return test_done();
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		check_case(names[i]);
	check_cramer("r2c2");
	check_cramer("r3c4");
	check_cramer("r2c5");
	CHECK_INT(stats_pearson(a, a, 2, &p), STATS_RC_OK);
	CHECK_INT(p.why, STATS_FEW_PAIRS);
	ref_data_free(&data);
	ref_expect_free(&ex);
	return test_done();
}
