/*
 * Proportions with the Wilson score interval against R's
 * prop.test(x, n, correct = FALSE)$conf.int (tests/reference/stats.R),
 * including x = 0, x = n (limits exactly 0 and 1, as R), n = 1 and
 * n = 0 (not computed: R stops with "elements of 'n' must be positive").
 *
 * Tolerance: 1e-9 relative (closed form).
 */
#include <math.h>
#include <stdint.h>

#include <gsl/gsl_errno.h>

#include "stats.h"
#include "testlib.h"
#include "../reference/stats_ref.h"

#define TOL_R 1e-9

int
main(void)
{
	struct ref_data data;
	struct ref_expect ex;
	struct stats_prop pr;
	char pre[REF_NAME_MAX];

	gsl_set_error_handler_off();

	if (ref_data_load(&data, "tests/reference/stats_data.txt") != 0 ||
	    ref_expect_load(&ex, "tests/reference/stats_proportion.expected") != 0)
		return test_done();
	const struct ref_block *b = ref_block(&data, "props");
	CHECK(b->nrow >= 10);
	for (size_t i = 0; i < b->nrow; i++) {
		uint64_t x = (uint64_t)b->v[i * 2], n = (uint64_t)b->v[i * 2 + 1];
		snprintf(pre, sizeof(pre), "prop.%zu", i + 1);
		CHECK_INT(stats_proportion(x, n, &pr), STATS_RC_OK);
		CHECK_REF(&ex, pre, "p", pr.p, TOL_R);
		CHECK_REF(&ex, pre, "lo", pr.ci_lo, TOL_R);
		CHECK_REF(&ex, pre, "hi", pr.ci_hi, TOL_R);
		CHECK_INT(pr.why, n == 0 ? STATS_EMPTY : STATS_OK);
		if (n > 0)
			CHECK_NEAR(pr.pct, 100.0 * (double)x / (double)n, 1e-15);
	}

	/* The limits at the boundaries are exact, as in R. */
	CHECK_INT(stats_proportion(0, 10, &pr), STATS_RC_OK);
	CHECK(pr.ci_lo == 0.0 && pr.p == 0.0);
	CHECK_INT(stats_proportion(10, 10, &pr), STATS_RC_OK);
	CHECK(pr.ci_hi == 1.0 && pr.pct == 100.0);
	CHECK_INT(stats_proportion(0, 0, &pr), STATS_RC_OK);
	CHECK(isnan(pr.p) && isnan(pr.ci_lo) && isnan(pr.ci_hi));
	CHECK_STR(stats_why_text(pr.why), "no values");

	/* proportion_bad_x_above_n */
	CHECK_INT(stats_proportion(11, 10, &pr), STATS_E_INVAL);
	CHECK_INT(stats_proportion(1, 10, NULL), STATS_E_INVAL);

	ref_data_free(&data);
	ref_expect_free(&ex);
	return test_done();
}
