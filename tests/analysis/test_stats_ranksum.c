/*
 * Two groups by ranks, as R runs wilcox.test(x, y, conf.int = TRUE) by
 * default (tests/reference/stats_methods.R): exact p-value (pwilcox),
 * Hodges-Lehmann shift and qwilcox interval for small groups without
 * ties; normal approximation with R's uniroot interval for ties or 50+
 * values; one-value groups where R can only reach a lower confidence
 * level. The approximate p equals stats_mann_whitney()'s.
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
	char bx[REF_NAME_MAX], by[REF_NAME_MAX], pre[REF_NAME_MAX];
	struct stats_ranksum r, nr;
	struct stats_mw mw;

	snprintf(bx, sizeof(bx), "rs_%s_x", name);
	snprintf(by, sizeof(by), "rs_%s_y", name);
	snprintf(pre, sizeof(pre), "rs.%s", name);
	const struct ref_block *x = ref_block(&data, bx), *y = ref_block(&data, by);
	CHECK_INT(stats_rank_sum(x->v, x->nrow, y->v, y->nrow, 1, &r), STATS_RC_OK);
	CHECK_REF(&ex, pre, "w", r.w, TOL_R);
	CHECK_REF(&ex, pre, "p", r.p, TOL_R);
	CHECK_REF(&ex, pre, "exact", r.exact, 0.0);
	CHECK_REF(&ex, pre, "est", r.est, TOL_R);
	CHECK_REF(&ex, pre, "lo", r.ci_lo, TOL_R);
	CHECK_REF(&ex, pre, "hi", r.ci_hi, TOL_R);
	CHECK_REF(&ex, pre, "conf", r.conf_level, TOL_R);
	/* Without the interval: the same test. */
	CHECK_INT(stats_rank_sum(x->v, x->nrow, y->v, y->nrow, 0, &nr), STATS_RC_OK);
	CHECK(nr.p == r.p && nr.w == r.w && isnan(nr.est));
	if (!r.exact) {
		CHECK_INT(stats_mann_whitney(x->v, x->nrow, y->v, y->nrow, &mw),
		    STATS_RC_OK);
		CHECK_NEAR(mw.p, r.p, 1e-15);
	}
}

int
main(void)
{
	static const char *const names[] = {
		"small", "small_b", "ties", "large", "scale", "tiny", "one",
	};
	struct stats_ranksum r;
	const double a[2] = { 1, 2 }, bad[1] = { NAN };

	gsl_set_error_handler_off();
	if (ref_data_load(&data, "tests/reference/methods_data.txt") != 0 ||
	    ref_expect_load(&ex, "tests/reference/stats_ranksum.expected") != 0)
		return test_done();
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		check_case(names[i]);
	CHECK_INT(stats_rank_sum(a, 2, a, 0, 1, &r), STATS_RC_OK);
	CHECK_INT(r.why, STATS_EMPTY);
	/* rank_sum_bad_nan */
	CHECK_INT(stats_rank_sum(a, 2, bad, 1, 1, &r), STATS_E_INVAL);
	ref_data_free(&data);
	ref_expect_free(&ex);
	return test_done();
}
