/*
 * Regression against R (tests/reference/stats.R). Linear: lm() and
 * summary.lm() (coefficients, classical SEs, t, p, confint(), sigma,
 * R^2, adjusted R^2, the overall F test, AIC(), RSS) and
 * sandwich::vcovHC(fit, type = "HC3") with t, p and interval on the
 * residual df; heteroscedastic data, a simple line, no intercept, an
 * exact fit (n == p), a point of leverage 1, 100000 rows, and aliased
 * designs (a column that is the sum of two others, a dummy set with a
 * redundant column, a constant covariate, the group indicator repeated,
 * more columns than observations), where the dropped column is the one
 * R reports NA for and every other coefficient equals R's. Logistic:
 * glm(family = binomial) (coefficients, SEs, z, p, confint.default(),
 * deviance, null deviance, residual and null df, AIC, iterations, rank);
 * separation, complete, quasi-complete with R's warning and
 * quasi-complete without it, R's warning without separation (an extreme
 * x), and an aliased dummy set.
 *
 * Tolerances: 1e-9 relative for least squares (closed form, well
 * conditioned designs; NIST's ill-conditioned Longley is in
 * test_nist.c); 1e-6 relative for the logistic fit (iterative).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "stats.h"
#include "testlib.h"
#include "../reference/stats_ref.h"

#define TOL_OLS 1e-9
#define TOL_GLM 1e-6

static struct ref_data data, large;
static struct ref_expect ex;

/* Split a block "y x1 x2 ..." into y and the row-major predictors. */
static void
split(const struct ref_block *b, double **y, double **x)
{
	size_t n = b->nrow, k = b->ncol - 1;

	*y = ref_column(b, 0);
	*x = malloc((n * k + 1) * sizeof(double));
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < k; j++)
			(*x)[i * k + j] = b->v[i * b->ncol + j + 1];
}

/* CHECK_REF of "<pre>.<j>.<what>". */
static void
check_coef(const char *pre, size_t j, const char *what, double v, double tol)
{
	char key[48];

	snprintf(key, sizeof(key), "%zu.%s", j, what);
	CHECK_REF(&ex, pre, key, v, tol);
}

static void
check_ols(const char *name, const double *y, const double *x, size_t n,
    size_t k, int intercept)
{
	struct stats_ols f;
	char pre[REF_NAME_MAX];

	snprintf(pre, sizeof(pre), "ols.%s", name);
	CHECK_INT(stats_ols(y, x, n, k, intercept, &f), STATS_RC_OK);
	CHECK_INT(f.why, STATS_OK);
	CHECK_REF(&ex, pre, "p", (double)f.p, 0.0);
	CHECK_REF(&ex, pre, "rank", (double)f.rank, 0.0);
	CHECK_INT(f.rank + f.naliased, f.p);
	for (size_t j = 0; j < f.p; j++) {
		const struct stats_coef *c = &f.coef[j];
		check_coef(pre, j, "aliased", c->aliased, 0.0);
		if (c->aliased) {
			CHECK(isnan(c->est) && isnan(c->se) && isnan(c->hc3_se));
			continue;
		}
		check_coef(pre, j, "est", c->est, TOL_OLS);
		if (f.why_se != STATS_OK)
			continue;
		check_coef(pre, j, "se", c->se, TOL_OLS);
		check_coef(pre, j, "t", c->stat, TOL_OLS);
		check_coef(pre, j, "p", c->p, TOL_OLS);
		check_coef(pre, j, "lo", c->lo, TOL_OLS);
		check_coef(pre, j, "hi", c->hi, TOL_OLS);
		check_coef(pre, j, "hc3_se", c->hc3_se, TOL_OLS);
		check_coef(pre, j, "hc3_t", c->hc3_stat, TOL_OLS);
		check_coef(pre, j, "hc3_p", c->hc3_p, TOL_OLS);
		check_coef(pre, j, "hc3_lo", c->hc3_lo, TOL_OLS);
		check_coef(pre, j, "hc3_hi", c->hc3_hi, TOL_OLS);
	}
	CHECK_REF(&ex, pre, "df", f.df, 0.0);
	CHECK_REF(&ex, pre, "rss", f.rss, TOL_OLS);
	CHECK_REF(&ex, pre, "aic", f.aic, TOL_OLS);
	if (f.why_se == STATS_OK) {
		CHECK_REF(&ex, pre, "sigma", f.sigma, TOL_OLS);
		CHECK_REF(&ex, pre, "r2", f.r2, TOL_OLS);
		CHECK_REF(&ex, pre, "adj_r2", f.adj_r2, TOL_OLS);
		CHECK_REF(&ex, pre, "f", f.f, TOL_OLS);
		CHECK_REF(&ex, pre, "f_df1", f.f_df1, 0.0);
		CHECK_REF(&ex, pre, "f_df2", f.f_df2, 0.0);
		CHECK_REF(&ex, pre, "f_p", f.f_p, TOL_OLS);
	}
	stats_ols_free(&f);
}

static void
check_logit(const char *name, const double *y, const double *x, size_t n,
    size_t k, int intercept, enum stats_why why)
{
	struct stats_logit f;
	char pre[REF_NAME_MAX];

	snprintf(pre, sizeof(pre), "lg.%s", name);
	CHECK_INT(stats_logit(y, x, n, k, intercept, &f), STATS_RC_OK);
	CHECK_INT(f.why, why);
	/* R's warning "fitted probabilities numerically 0 or 1 occurred". */
	char warns[REF_NAME_MAX + 16];
	snprintf(warns, sizeof(warns), "%s.r_warns", pre);
	CHECK_INT(f.fitted_01, (int)ref_get(&ex, warns));
	if (why != STATS_OK) {
		/*
		 * Separated: only what R is sure of. The estimates drift to
		 * infinity and are not compared.
		 */
		char conv[REF_NAME_MAX + 16];
		snprintf(conv, sizeof(conv), "%s.converged", pre);
		CHECK_INT(f.converged, (int)ref_get(&ex, conv));
		stats_logit_free(&f);
		return;
	}
	CHECK_REF(&ex, pre, "rank", (double)f.rank, 0.0);
	for (size_t j = 0; j < f.p; j++) {
		const struct stats_coef *c = &f.coef[j];
		check_coef(pre, j, "aliased", c->aliased, 0.0);
		if (c->aliased) {
			CHECK(isnan(c->est) && isnan(c->se));
			continue;
		}
		check_coef(pre, j, "est", c->est, TOL_GLM);
		check_coef(pre, j, "se", c->se, TOL_GLM);
		check_coef(pre, j, "z", c->stat, TOL_GLM);
		check_coef(pre, j, "p", c->p, TOL_GLM);
		check_coef(pre, j, "lo", c->lo, TOL_GLM);
		check_coef(pre, j, "hi", c->hi, TOL_GLM);
		CHECK(isnan(c->hc3_se));
	}
	CHECK_REF(&ex, pre, "df_residual", f.df_residual, 0.0);
	CHECK_REF(&ex, pre, "df_null", f.df_null, 0.0);
	CHECK_REF(&ex, pre, "deviance", f.deviance, TOL_GLM);
	CHECK_REF(&ex, pre, "null_deviance", f.null_deviance, TOL_GLM);
	CHECK_REF(&ex, pre, "aic", f.aic, TOL_GLM);
	CHECK_REF(&ex, pre, "iter", (double)f.iter, 0.0);
	CHECK_REF(&ex, pre, "converged", (double)f.converged, 0.0);
	stats_logit_free(&f);
}

static void
test_ols_small(void)
{
	static const struct {
		const char *name;
		int intercept;
	} cases[] = {
		{ "het", 1 }, { "simple", 1 }, { "collinear", 1 }, { "exact", 1 },
		{ "lever", 1 }, { "noint", 0 }, { "alias_dummies", 1 },
		{ "alias_const", 1 }, { "alias_group", 1 }, { "wide", 1 },
	};
	char bn[REF_NAME_MAX];
	struct stats_ols f;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(bn, sizeof(bn), "ols_%s", cases[i].name);
		const struct ref_block *b = ref_block(&data, bn);
		double *y, *x;
		split(b, &y, &x);
		check_ols(cases[i].name, y, x, b->nrow, b->ncol - 1,
		    cases[i].intercept);
		free(y);
		free(x);
	}

	/* The reasons of the edge designs. */
	const struct ref_block *b = ref_block(&data, "ols_exact");
	double *y, *x;
	split(b, &y, &x);
	CHECK_INT(stats_ols(y, x, b->nrow, b->ncol - 1, 1, &f), STATS_RC_OK);
	CHECK_INT(f.why, STATS_OK);
	CHECK_INT(f.why_se, STATS_NO_DF);
	CHECK(isnan(f.coef[0].se) && isnan(f.sigma));
	stats_ols_free(&f);
	/* n < p: the columns after the first n are aliased, as in R. */
	CHECK_INT(stats_ols(y, x, 2, b->ncol - 1, 1, &f), STATS_RC_OK);
	CHECK_INT(f.why, STATS_OK);
	CHECK_INT(f.rank, 2);
	CHECK(f.coef[2].aliased && !f.coef[1].aliased);
	CHECK_INT(f.why_se, STATS_NO_DF);
	stats_ols_free(&f);
	/* ols_bad_all_zero: no column left to fit. */
	const double zy[3] = { 1, 2, 3 }, zx[3] = { 0, 0, 0 };
	CHECK_INT(stats_ols(zy, zx, 3, 1, 0, &f), STATS_RC_OK);
	CHECK_INT(f.why, STATS_SINGULAR);
	stats_ols_free(&f);
	free(y);
	free(x);

	b = ref_block(&data, "ols_lever");
	split(b, &y, &x);
	CHECK_INT(stats_ols(y, x, b->nrow, b->ncol - 1, 1, &f), STATS_RC_OK);
	CHECK_INT(f.why_se, STATS_OK);
	CHECK_INT(f.why_hc3, STATS_LEVERAGE_ONE);
	stats_ols_free(&f);
	free(y);
	free(x);

	/* ols_bad_nan, and no data at all. */
	const double yy[3] = { 1, 2, NAN }, xx[3] = { 1, 2, 3 };
	CHECK_INT(stats_ols(yy, xx, 3, 1, 1, &f), STATS_E_INVAL);
	CHECK_INT(stats_ols(yy, xx, 0, 1, 1, &f), STATS_RC_OK);
	CHECK_INT(f.why, STATS_EMPTY);
	stats_ols_free(&f);
	CHECK_INT(stats_ols(yy, xx, 2, 0, 0, &f), STATS_E_INVAL); /* p == 0 */
}

static void
test_logit_small(void)
{
	static const struct {
		const char *name;
		int intercept;
		enum stats_why why;
	} cases[] = {
		{ "two", 1, STATS_OK },
		{ "small", 1, STATS_OK },
		{ "complete", 1, STATS_SEPARATION },
		{ "quasi", 1, STATS_SEPARATION },
		{ "quasi_silent", 1, STATS_SEPARATION },
		{ "extreme", 1, STATS_OK },
		{ "noint", 0, STATS_OK },
		{ "alias_dummies", 1, STATS_OK },
	};
	char bn[REF_NAME_MAX];
	struct stats_logit f;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(bn, sizeof(bn), "lg_%s", cases[i].name);
		const struct ref_block *b = ref_block(&data, bn);
		double *y, *x;
		split(b, &y, &x);
		check_logit(cases[i].name, y, x, b->nrow, b->ncol - 1,
		    cases[i].intercept, cases[i].why);
		free(y);
		free(x);
	}

	/* Constant outcome; outcome not 0/1; collinear design. */
	const double y0[4] = { 0, 0, 0, 0 }, y2[4] = { 0, 1, 2, 1 };
	const double yy[5] = { 0, 1, 0, 1, 1 };
	const double x1[4] = { 1, 2, 3, 4 };
	const double xc[10] = { 1, 2, 2, 4, 3, 6, 4, 8, 5, 10 };
	CHECK_INT(stats_logit(y0, x1, 4, 1, 1, &f), STATS_RC_OK);
	CHECK_INT(f.why, STATS_ZERO_VARIANCE);
	stats_logit_free(&f);
	CHECK_INT(stats_logit(y2, x1, 4, 1, 1, &f), STATS_E_INVAL);
	/* The second predictor is twice the first: aliased, as R's NA. */
	CHECK_INT(stats_logit(yy, xc, 5, 2, 1, &f), STATS_RC_OK);
	CHECK_INT(f.why, STATS_OK);
	CHECK_INT(f.rank, 2);
	CHECK(f.coef[2].aliased && isnan(f.coef[2].est) && isfinite(f.coef[1].est));
	stats_logit_free(&f);
	CHECK_INT(stats_logit(yy, xc, 2, 2, 1, &f), STATS_RC_OK);
	CHECK_INT(f.why, STATS_NO_DF);
	stats_logit_free(&f);
}

static void
test_large(void)
{
	const struct ref_block *b = ref_block(&large, "large");
	size_t n = b->nrow;
	double *y = malloc(n * sizeof(double)), *x = malloc(2 * n * sizeof(double));
	double *o = malloc(n * sizeof(double));

	/* lm(value ~ scale + bin); glm(bin ~ scale + value, binomial). */
	for (size_t i = 0; i < n; i++) {
		const double *r = &b->v[i * 3];
		y[i] = r[1] / 100.0;
		x[i * 2] = r[0];
		x[i * 2 + 1] = r[2];
	}
	check_ols("large", y, x, n, 2, 1);
	for (size_t i = 0; i < n; i++) {
		const double *r = &b->v[i * 3];
		o[i] = r[2];
		x[i * 2] = r[0];
		x[i * 2 + 1] = r[1] / 100.0;
	}
	check_logit("large", o, x, n, 2, 1, STATS_OK);
	free(y);
	free(x);
	free(o);
}

int
main(void)
{
	gsl_set_error_handler_off();
	if (ref_data_load(&data, "tests/reference/stats_data.txt") != 0 ||
	    ref_data_load(&large, "tests/reference/stats_large.txt") != 0 ||
	    ref_expect_load(&ex, "tests/reference/stats_regression.expected") != 0)
		return test_done();
	test_ols_small();
	test_logit_small();
	test_large();
	ref_data_free(&data);
	ref_data_free(&large);
	ref_expect_free(&ex);
	return test_done();
}
