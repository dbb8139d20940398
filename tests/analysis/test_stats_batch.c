/*
 * A batch of 2 x 2 comparisons tested by stats_table_test() and adjusted
 * with Holm and BH, against the same batch in R
 * (tests/reference/stats_methods.R: fisher.test() where an expected
 * count is below 5 or a margin is 0, chisq.test() otherwise, then
 * p.adjust()). Three tables have an outcome that nobody, or everybody,
 * reported: their p is Fisher's 1, so they stay in the family and every
 * adjusted p equals R's (without them the family would be 7 and the
 * adjusted values 20-45% smaller).
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
#define NT 16

static struct ref_data data;
static struct ref_expect ex;

int
main(void)
{
	struct stats_table_test tt;
	double p[NT], h[NT], b[NT];
	char key[32];

	gsl_set_error_handler_off();
	if (ref_data_load(&data, "tests/reference/methods_data.txt") != 0 ||
	    ref_expect_load(&ex, "tests/reference/stats_batch.expected") != 0)
		return test_done();
	const struct ref_block *t = ref_block(&data, "bt_tables");
	size_t n = t->nrow < NT ? t->nrow : NT;
	for (size_t i = 0; i < n; i++) {
		uint64_t tab[4];
		for (size_t j = 0; j < 4; j++)
			tab[j] = (uint64_t)t->v[i * 4 + j];
		CHECK_INT(stats_table_test(tab, 2, 2, &tt), STATS_RC_OK);
		CHECK_INT(tt.why, STATS_OK);
		snprintf(key, sizeof(key), "%zu", i + 1);
		CHECK_REF(&ex, "bt.p", key, tt.p, TOL_R);
		CHECK_REF(&ex, "bt.fisher", key, tt.fisher, 0.0);
		p[i] = tt.p;
	}
	CHECK_INT(stats_p_adjust(p, n, STATS_HOLM, h), STATS_RC_OK);
	CHECK_INT(stats_p_adjust(p, n, STATS_BH, b), STATS_RC_OK);
	for (size_t i = 0; i < n; i++) {
		snprintf(key, sizeof(key), "%zu", i + 1);
		CHECK_REF(&ex, "bt.holm", key, h[i], TOL_R);
		CHECK_REF(&ex, "bt.bh", key, b[i], TOL_R);
	}
	/* The zero-margin table: chi-square undefined, Fisher's p is 1. */
	const uint64_t none[4] = { 0, 40, 0, 38 };
	CHECK_INT(stats_table_test(none, 2, 2, &tt), STATS_RC_OK);
	CHECK_INT(tt.chi.why, STATS_ZERO_MARGIN);
	CHECK(tt.fisher && tt.p == 1.0);
	ref_data_free(&data);
	ref_expect_free(&ex);
	return test_done();
}
