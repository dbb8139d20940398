/*
 * Two-group comparisons and rank correlation against R
 * (tests/reference/stats.R): Welch's t.test(x, y) (difference, interval,
 * t, df, p), Hedges' g with the interval of stats.h written out in R,
 * wilcox.test(x, y, exact = FALSE, correct = TRUE) (W, p) and
 * cor.test(x, y, method = "spearman", exact = FALSE) (rho, S, p); small,
 * tied, constant and one-value groups, and the 100000-row dataset
 * through both the array and the counts forms.
 *
 * Tolerances: 1e-9 relative against R (closed-form statistics); the
 * counts forms must agree with the array forms to 1e-12.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "stats.h"
#include "testlib.h"
#include "../reference/stats_ref.h"

#define TOL_R 1e-9
#define TOL_FORMS 1e-12

static struct ref_data data, large;
static struct ref_expect ex;

static void
compare(const char *name, const double *x, size_t nx, const double *y,
    size_t ny)
{
	struct stats_desc d1, d2;
	struct stats_welch w;
	struct stats_hedges h;
	struct stats_mw mw;
	char pre[REF_NAME_MAX];

	snprintf(pre, sizeof(pre), "tg.%s", name);
	CHECK_INT(stats_describe(x, nx, &d1), STATS_RC_OK);
	CHECK_INT(stats_describe(y, ny, &d2), STATS_RC_OK);
	CHECK_INT(stats_welch(&d1, &d2, &w), STATS_RC_OK);
	CHECK_REF(&ex, pre, "diff", w.why == STATS_OK ? w.diff : NAN, TOL_R);
	CHECK_REF(&ex, pre, "lo", w.ci_lo, TOL_R);
	CHECK_REF(&ex, pre, "hi", w.ci_hi, TOL_R);
	CHECK_REF(&ex, pre, "t", w.t, TOL_R);
	CHECK_REF(&ex, pre, "df", w.df, TOL_R);
	CHECK_REF(&ex, pre, "p", w.p, TOL_R);
	CHECK_INT(stats_hedges_g(&d1, &d2, &h), STATS_RC_OK);
	CHECK_REF(&ex, pre, "d", h.d, TOL_R);
	CHECK_REF(&ex, pre, "g", h.g, TOL_R);
	CHECK_REF(&ex, pre, "g_se", h.se, TOL_R);
	CHECK_REF(&ex, pre, "g_lo", h.ci_lo, TOL_R);
	CHECK_REF(&ex, pre, "g_hi", h.ci_hi, TOL_R);
	CHECK_INT(stats_mann_whitney(x, nx, y, ny, &mw), STATS_RC_OK);
	CHECK_REF(&ex, pre, "w", mw.w, TOL_R);
	CHECK_REF(&ex, pre, "w_p", mw.p, TOL_R);
}

static void
compare_block(const char *name)
{
	char bx[REF_NAME_MAX], by[REF_NAME_MAX];

	snprintf(bx, sizeof(bx), "tg_%s_x", name);
	snprintf(by, sizeof(by), "tg_%s_y", name);
	const struct ref_block *x = ref_block(&data, bx), *y = ref_block(&data, by);
	compare(name, x->v, x->nrow, y->v, y->nrow);
}

static void
test_small_groups(void)
{
	static const char *const names[] = {
		"norm", "scale", "small", "one", "equal", "onevar", "same",
	};
	struct stats_desc d1, d2;
	struct stats_welch w;
	struct stats_hedges h;
	struct stats_mw mw;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		compare_block(names[i]);

	/* The reasons R's errors and NAs become. */
	const struct ref_block *x = ref_block(&data, "tg_one_x");
	const struct ref_block *y = ref_block(&data, "tg_one_y");
	stats_describe(x->v, x->nrow, &d1);
	stats_describe(y->v, y->nrow, &d2);
	stats_welch(&d1, &d2, &w);
	stats_hedges_g(&d1, &d2, &h);
	CHECK_INT(w.why, STATS_N_TOO_SMALL);
	CHECK_INT(h.why, STATS_N_TOO_SMALL);
	x = ref_block(&data, "tg_equal_x");
	y = ref_block(&data, "tg_equal_y");
	stats_describe(x->v, x->nrow, &d1);
	stats_describe(y->v, y->nrow, &d2);
	stats_welch(&d1, &d2, &w);
	stats_hedges_g(&d1, &d2, &h);
	stats_mann_whitney(x->v, x->nrow, y->v, y->nrow, &mw);
	CHECK_INT(w.why, STATS_ZERO_VARIANCE);
	CHECK_INT(h.why, STATS_ZERO_VARIANCE);
	CHECK_INT(mw.why, STATS_ZERO_VARIANCE);
	CHECK(mw.w == 6.0); /* R: W = 6, p-value = NA */
	CHECK_INT(stats_mann_whitney(x->v, 0, y->v, y->nrow, &mw), STATS_RC_OK);
	CHECK_INT(mw.why, STATS_EMPTY);
	/* mann_whitney_bad_nan */
	const double bad[] = { 1.0, NAN };
	CHECK_INT(stats_mann_whitney(bad, 2, y->v, y->nrow, &mw), STATS_E_INVAL);
}

/* The 100000 rows split by the binary outcome: arrays and counts. */
static void
test_large(void)
{
	const struct ref_block *b = ref_block(&large, "large");
	size_t n = b->nrow, n1 = 0, n0 = 0;
	double *s1 = malloc(n * sizeof(double)), *s0 = malloc(n * sizeof(double));
	double *v1 = malloc(n * sizeof(double)), *v0 = malloc(n * sizeof(double));
	uint64_t c1[11] = { 0 }, c0[11] = { 0 };
	struct stats_mw mwa, mwc;
	struct stats_desc d1, d0, k1, k0;
	struct stats_welch wa, wc;

	for (size_t i = 0; i < n; i++) {
		const double *r = &b->v[i * 3];
		if (r[2] == 1.0) {
			s1[n1] = r[0];
			v1[n1++] = r[1] / 100.0;
		} else {
			s0[n0] = r[0];
			v0[n0++] = r[1] / 100.0;
		}
	}
	compare("large_scale", s1, n1, s0, n0);
	compare("large_value", v1, n1, v0, n0);

	CHECK_INT(stats_tally(s1, n1, 0, 11, c1), STATS_RC_OK);
	CHECK_INT(stats_tally(s0, n0, 0, 11, c0), STATS_RC_OK);
	CHECK_INT(stats_mann_whitney(s1, n1, s0, n0, &mwa), STATS_RC_OK);
	CHECK_INT(stats_mann_whitney_counts(c1, c0, 11, &mwc), STATS_RC_OK);
	CHECK_INT(mwc.n1, n1);
	CHECK_INT(mwc.n2, n0);
	CHECK_NEAR(mwc.w, mwa.w, TOL_FORMS);
	CHECK_NEAR(mwc.z, mwa.z, TOL_FORMS);
	CHECK_NEAR(mwc.p, mwa.p, TOL_FORMS);
	/* Welch from counts-path descriptives equals Welch from arrays. */
	stats_describe(s1, n1, &d1);
	stats_describe(s0, n0, &d0);
	stats_describe_counts(0, c1, 11, &k1);
	stats_describe_counts(0, c0, 11, &k0);
	stats_welch(&d1, &d0, &wa);
	stats_welch(&k1, &k0, &wc);
	CHECK_NEAR(wc.t, wa.t, TOL_FORMS);
	CHECK_NEAR(wc.df, wa.df, TOL_FORMS);
	CHECK_NEAR(wc.ci_lo, wa.ci_lo, TOL_FORMS);
	free(s1);
	free(s0);
	free(v1);
	free(v0);
}

static void
check_spearman(const char *name, const double *x, const double *y, size_t n)
{
	struct stats_spearman sp;
	char pre[REF_NAME_MAX];

	snprintf(pre, sizeof(pre), "sp.%s", name);
	CHECK_INT(stats_spearman(x, y, n, &sp), STATS_RC_OK);
	CHECK_REF(&ex, pre, "rho", sp.rho, TOL_R);
	CHECK_REF(&ex, pre, "s", sp.s, TOL_R);
	CHECK_REF(&ex, pre, "p", sp.p, TOL_R);
}

static void
test_spearman(void)
{
	static const char *const names[] = {
		"ties", "three", "two", "consty", "perfect", "negative", "weak",
	};
	struct stats_spearman sp, st;
	char bn[REF_NAME_MAX];

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(bn, sizeof(bn), "sp_%s", names[i]);
		const struct ref_block *b = ref_block(&data, bn);
		double *x = ref_column(b, 0), *y = ref_column(b, 1);
		check_spearman(names[i], x, y, b->nrow);
		free(x);
		free(y);
	}
	const double a[] = { 1, 2 }, c[] = { 1, 2, 3, 4 }, k[] = { 5, 5, 5, 5 };
	CHECK_INT(stats_spearman(a, a, 2, &sp), STATS_RC_OK);
	CHECK_INT(sp.why, STATS_FEW_PAIRS);
	CHECK_INT(stats_spearman(c, k, 4, &sp), STATS_RC_OK);
	CHECK_INT(sp.why, STATS_ZERO_VARIANCE);

	/* Large: arrays, and the cross-table form for scale x outcome. */
	const struct ref_block *b = ref_block(&large, "large");
	double *s = ref_column(b, 0), *v = ref_column(b, 1), *o = ref_column(b, 2);
	uint64_t tab[11 * 2] = { 0 };
	for (size_t i = 0; i < b->nrow; i++) {
		v[i] /= 100.0;
		tab[(size_t)s[i] * 2 + (size_t)o[i]]++;
	}
	check_spearman("large_scale_value", s, v, b->nrow);
	check_spearman("large_scale_bin", s, o, b->nrow);
	CHECK_INT(stats_spearman(s, o, b->nrow, &sp), STATS_RC_OK);
	CHECK_INT(stats_spearman_table(tab, 11, 2, &st), STATS_RC_OK);
	CHECK_INT(st.n, b->nrow);
	CHECK_NEAR(st.rho, sp.rho, TOL_FORMS);
	CHECK_NEAR(st.s, sp.s, TOL_FORMS);
	CHECK_NEAR(st.p, sp.p, TOL_FORMS);
	CHECK_REF(&ex, "sp.large_scale_bin", "rho", st.rho, TOL_R);
	/* A table with one non-empty column: constant variable. */
	uint64_t one_col[4] = { 3, 0, 5, 0 };
	CHECK_INT(stats_spearman_table(one_col, 2, 2, &st), STATS_RC_OK);
	CHECK_INT(st.why, STATS_ZERO_VARIANCE);
	free(s);
	free(v);
	free(o);
}

int
main(void)
{
	gsl_set_error_handler_off();
	if (ref_data_load(&data, "tests/reference/stats_data.txt") != 0 ||
	    ref_data_load(&large, "tests/reference/stats_large.txt") != 0 ||
	    ref_expect_load(&ex, "tests/reference/stats_twogroup.expected") != 0)
		return test_done();
	test_small_groups();
	test_large();
	test_spearman();
	ref_data_free(&data);
	ref_data_free(&large);
	ref_expect_free(&ex);
	return test_done();
}
