/*
 * Within-respondent comparisons against R (tests/reference/
 * stats_methods.R): t.test(x, y, paired = TRUE) (difference, t, df, p,
 * interval) and wilcox.test(x, y, paired = TRUE, conf.int = TRUE) (V,
 * p, exact or not as R decides, pseudomedian, interval and the
 * confidence level R reports): small samples without ties (exact
 * psignrank, Walsh averages), ties, zero differences, 80 pairs (normal
 * approximation, uniroot interval), a 0-10 scale, constant differences,
 * two pairs and one pair.
 *
 * Tolerance: 1e-9 relative. The approximate intervals come from the
 * same Brent iteration R runs (tol 1e-4), so they match R far inside
 * that tolerance, not just to 1e-4.
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
	struct stats_paired_t t;
	struct stats_signrank w;

	snprintf(bn, sizeof(bn), "pr_%s", name);
	snprintf(pre, sizeof(pre), "pr.%s", name);
	const struct ref_block *b = ref_block(&data, bn);
	double *x = ref_column(b, 0), *y = ref_column(b, 1);
	CHECK_INT(stats_paired_t(x, y, b->nrow, &t), STATS_RC_OK);
	CHECK_REF(&ex, pre, "diff", t.why == STATS_OK ? t.diff : NAN, TOL_R);
	CHECK_REF(&ex, pre, "t", t.t, TOL_R);
	CHECK_REF(&ex, pre, "df", t.why == STATS_OK ? t.df : NAN, 0.0);
	CHECK_REF(&ex, pre, "p", t.p, TOL_R);
	CHECK_REF(&ex, pre, "lo", t.ci_lo, TOL_R);
	CHECK_REF(&ex, pre, "hi", t.ci_hi, TOL_R);
	CHECK_INT(stats_signed_rank(x, y, b->nrow, &w), STATS_RC_OK);
	CHECK_REF(&ex, pre, "v", w.v, TOL_R);
	CHECK_REF(&ex, pre, "w_p", w.p, TOL_R);
	CHECK_REF(&ex, pre, "exact", w.exact, 0.0);
	CHECK_REF(&ex, pre, "est", w.est, TOL_R);
	CHECK_REF(&ex, pre, "w_lo", w.ci_lo, TOL_R);
	CHECK_REF(&ex, pre, "w_hi", w.ci_hi, TOL_R);
	CHECK_REF(&ex, pre, "conf", w.conf_level, TOL_R);
	free(x);
	free(y);
}

static void
test_reasons(void)
{
	struct stats_paired_t t;
	struct stats_signrank w;
	const double x[3] = { 1, 2, 3 }, same[3] = { 1, 2, 3 };
	const double bad[2] = { 1, NAN };

	CHECK_INT(stats_paired_t(x, x, 1, &t), STATS_RC_OK);
	CHECK_INT(t.why, STATS_N_TOO_SMALL);
	CHECK_INT(stats_paired_t(x, same, 3, &t), STATS_RC_OK);
	CHECK_INT(t.why, STATS_ZERO_VARIANCE);
	/* Every difference 0: no test (R: an error). */
	CHECK_INT(stats_signed_rank(x, same, 3, &w), STATS_RC_OK);
	CHECK_INT(w.why, STATS_EMPTY);
	CHECK_INT(w.n_used, 0);
	/* paired_bad_nan */
	CHECK_INT(stats_paired_t(bad, x, 2, &t), STATS_E_INVAL);
	CHECK_INT(stats_signed_rank(x, bad, 2, &w), STATS_E_INVAL);
}

int
main(void)
{
	static const char *const names[] = {
		"small", "small20", "ties", "large", "zeros", "scale", "const",
		"two", "one",
	};

	gsl_set_error_handler_off();
	if (ref_data_load(&data, "tests/reference/methods_data.txt") != 0 ||
	    ref_expect_load(&ex, "tests/reference/stats_paired.expected") != 0)
		return test_done();
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		check_case(names[i]);
	test_reasons();
	ref_data_free(&data);
	ref_expect_free(&ex);
	return test_done();
}
