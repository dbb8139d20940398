/*
 * Holm and Benjamini-Hochberg adjusted p-values against R's
 * p.adjust(p, "holm") and p.adjust(p, "BH") (tests/reference/stats.R):
 * ties, NaN entries (R's NA: left out of the number of tests), a single
 * p, all NaN, capping at 1, and 200 values. Also in place (p == adj).
 *
 * Tolerance: 1e-9 relative (closed form).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "stats.h"
#include "testlib.h"
#include "../reference/stats_ref.h"

#define TOL_R 1e-9

int
main(void)
{
	gsl_set_error_handler_off();
	static const char *const names[] = {
		"ties", "na", "single", "allna", "cap", "many",
	};
	static const struct {
		enum stats_padjust m;
		const char *key;
	} methods[] = { { STATS_HOLM, "holm" }, { STATS_BH, "bh" } };
	struct ref_data data;
	struct ref_expect ex;
	char bn[REF_NAME_MAX], pre[REF_NAME_MAX], key[24];

	if (ref_data_load(&data, "tests/reference/stats_data.txt") != 0 ||
	    ref_expect_load(&ex, "tests/reference/stats_padjust.expected") != 0)
		return test_done();
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		snprintf(bn, sizeof(bn), "pa_%s", names[i]);
		const struct ref_block *b = ref_block(&data, bn);
		size_t n = b->nrow;
		double *adj = malloc((n + 1) * sizeof(*adj));
		double *inplace = malloc((n + 1) * sizeof(*inplace));
		for (size_t m = 0; m < 2; m++) {
			snprintf(pre, sizeof(pre), "pa.%s.%s", names[i],
			    methods[m].key);
			CHECK_INT(stats_p_adjust(b->v, n, methods[m].m, adj),
			    STATS_RC_OK);
			memcpy(inplace, b->v, n * sizeof(*inplace));
			CHECK_INT(stats_p_adjust(inplace, n, methods[m].m, inplace),
			    STATS_RC_OK);
			for (size_t k = 0; k < n; k++) {
				snprintf(key, sizeof(key), "%zu", k + 1);
				CHECK_REF(&ex, pre, key, adj[k], TOL_R);
				CHECK(adj[k] == inplace[k] ||
				    (isnan(adj[k]) && isnan(inplace[k])));
				/* Never below the raw p, never above 1. */
				CHECK(isnan(b->v[k]) ||
				    (adj[k] >= b->v[k] && adj[k] <= 1.0));
			}
		}
		free(adj);
		free(inplace);
	}

	/* p_adjust_bad_* */
	double p[2] = { 0.5, 1.5 }, out[2];
	CHECK_INT(stats_p_adjust(p, 2, STATS_HOLM, out), STATS_E_INVAL);
	p[1] = -0.1;
	CHECK_INT(stats_p_adjust(p, 2, STATS_BH, out), STATS_E_INVAL);
	p[1] = 0.1;
	CHECK_INT(stats_p_adjust(p, 2, STATS_PADJUST__MAX, out), STATS_E_INVAL);
	CHECK_INT(stats_p_adjust(NULL, 0, STATS_BH, NULL), STATS_RC_OK);

	ref_data_free(&data);
	ref_expect_free(&ex);
	return test_done();
}
