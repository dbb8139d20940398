/*
 * Far-tail t p-values against 256-bit references
 * (tests/reference/stats_methods.R, Rmpfr, the closed forms of the t
 * distribution for integer df): the shared helper over a grid of t and
 * df, including df 31 / t 11.8 and df 60 / t 20 where GSL's
 * gsl_cdf_tdist_P() is off by 2.4e-8 and 1.3e-7; then every statistic
 * that reports a t p-value (paired t, Welch, OLS, Pearson, Spearman's t
 * approximation) at 31 or 60 df with t far out in the tail.
 *
 * Tolerance: 1e-12 relative against the high-precision values (R's own
 * pt() is within 3e-14 of them; the grid also checks that).
 */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "stats.h"
#include "stats_int.h"
#include "testlib.h"
#include "../reference/stats_ref.h"

#define TOL_EXACT 1e-12
#define TOL_R 1e-9

static struct ref_data data;
static struct ref_expect ex;

static void
test_grid(void)
{
	const struct ref_block *b = ref_block(&data, "td_grid");
	char key[32];

	for (size_t i = 0; i < b->nrow; i++) {
		double df = b->v[i * 2], t = b->v[i * 2 + 1];
		snprintf(key, sizeof(key), "%zu", i + 1);
		CHECK_REF(&ex, "td.grid", key, statsi_p_t2(t, df), TOL_EXACT);
		CHECK_REF(&ex, "td.grid", key, statsi_p_t2(-t, df), TOL_EXACT);
		/* One tail is half of it, the other its complement. */
		CHECK_NEAR(statsi_pt(-t, df, 1), statsi_p_t2(t, df) / 2.0, 1e-15);
		CHECK_NEAR(statsi_pt(t, df, 0), statsi_p_t2(t, df) / 2.0, 1e-15);
		CHECK_NEAR(statsi_pt(t, df, 1), 1.0 - statsi_p_t2(t, df) / 2.0, 1e-15);
		/* R's pt(log.p = TRUE) agrees with the reference as well. */
		char rk[48];
		snprintf(rk, sizeof(rk), "td.grid.%zu", i + 1);
		CHECK_REF(&ex, "td.grid_r", key, ref_get(&ex, rk), 1e-13);
	}
	CHECK(statsi_p_t2(0.0, 5.0) == 1.0);
	CHECK(statsi_p_t2(INFINITY, 5.0) == 0.0);
	CHECK(statsi_p_t2(1e10, 3.0) == 0.0 || statsi_p_t2(1e10, 3.0) < 1e-29);
	CHECK(isnan(statsi_p_t2(1.0, 0.0)));
}

static void
test_statistics(void)
{
	const struct ref_block *b = ref_block(&data, "td_paired");
	double *x = ref_column(b, 0), *y = ref_column(b, 1);
	struct stats_paired_t pt;

	CHECK_INT(stats_paired_t(x, y, b->nrow, &pt), STATS_RC_OK);
	CHECK_REF(&ex, "td.paired", "t", pt.t, TOL_R);
	CHECK_REF(&ex, "td.paired", "p", pt.p, TOL_EXACT);
	free(x);
	free(y);

	const struct ref_block *wx = ref_block(&data, "td_welch_x");
	const struct ref_block *wy = ref_block(&data, "td_welch_y");
	struct stats_desc d1, d2;
	struct stats_welch w;
	stats_describe(wx->v, wx->nrow, &d1);
	stats_describe(wy->v, wy->nrow, &d2);
	CHECK_INT(stats_welch(&d1, &d2, &w), STATS_RC_OK);
	CHECK_REF(&ex, "td.welch", "t", w.t, TOL_R);
	CHECK_REF(&ex, "td.welch", "df", w.df, 1e-12);
	CHECK_REF(&ex, "td.welch", "p", w.p, TOL_EXACT);

	b = ref_block(&data, "td_ols");
	x = ref_column(b, 1);
	y = ref_column(b, 0);
	struct stats_ols f;
	CHECK_INT(stats_ols(y, x, b->nrow, 1, 1, &f), STATS_RC_OK);
	CHECK_REF(&ex, "td.ols", "t", f.coef[1].stat, TOL_R);
	CHECK_REF(&ex, "td.ols", "p", f.coef[1].p, TOL_EXACT);
	stats_ols_free(&f);
	free(x);
	free(y);

	b = ref_block(&data, "td_pearson");
	x = ref_column(b, 0);
	y = ref_column(b, 1);
	struct stats_pearson pc;
	CHECK_INT(stats_pearson(x, y, b->nrow, &pc), STATS_RC_OK);
	CHECK_REF(&ex, "td.pearson", "t", pc.t, TOL_R);
	CHECK_REF(&ex, "td.pearson", "p", pc.p, TOL_EXACT);
	free(x);
	free(y);

	b = ref_block(&data, "td_spearman");
	x = ref_column(b, 0);
	y = ref_column(b, 1);
	struct stats_spearman sp;
	CHECK_INT(stats_spearman(x, y, b->nrow, &sp), STATS_RC_OK);
	CHECK_REF(&ex, "td.spearman", "t", sp.t, TOL_R);
	CHECK_REF(&ex, "td.spearman", "p", sp.p, TOL_EXACT);
	free(x);
	free(y);
}

int
main(void)
{
	gsl_set_error_handler_off();
	if (ref_data_load(&data, "tests/reference/methods_data.txt") != 0 ||
	    ref_expect_load(&ex, "tests/reference/stats_tdist.expected") != 0)
		return test_done();
	test_grid();
	test_statistics();
	ref_data_free(&data);
	ref_expect_free(&ex);
	return test_done();
}
