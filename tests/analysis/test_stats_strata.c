/*
 * Stratified 2 x 2 tables and the relative risk against R
 * (tests/reference/stats_methods.R): mantelhaen.test() with its defaults
 * (statistic with continuity correction, p, Mantel-Haenszel odds ratio
 * and its Robins-Breslow-Greenland interval) over 2 to 4 strata,
 * including zero cells, large strata and a difference below the
 * correction; the relative risk with its log interval and the 0.5
 * correction, written out in R.
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
check_mh(const char *name)
{
	char bn[REF_NAME_MAX], pre[REF_NAME_MAX];
	struct stats_mh m;
	uint64_t tabs[4 * 16];

	snprintf(bn, sizeof(bn), "mh_%s", name);
	snprintf(pre, sizeof(pre), "mh.%s", name);
	const struct ref_block *b = ref_block(&data, bn);
	for (size_t i = 0; i < b->nrow * 4 && i < 64; i++)
		tabs[i] = (uint64_t)b->v[i];
	CHECK_INT(stats_mantel_haenszel(tabs, b->nrow, &m), STATS_RC_OK);
	CHECK_REF(&ex, pre, "stat", m.stat, TOL_R);
	CHECK_REF(&ex, pre, "p", m.p, TOL_R);
	CHECK_REF(&ex, pre, "or", m.or_est, TOL_R);
	CHECK_REF(&ex, pre, "lo", m.ci_lo, TOL_R);
	CHECK_REF(&ex, pre, "hi", m.ci_hi, TOL_R);
}

static void
check_rr(const char *name)
{
	char bn[REF_NAME_MAX], pre[REF_NAME_MAX];
	struct stats_rr r;
	uint64_t t[4];

	snprintf(bn, sizeof(bn), "rr_%s", name);
	snprintf(pre, sizeof(pre), "rr.%s", name);
	const struct ref_block *b = ref_block(&data, bn);
	for (size_t i = 0; i < 4; i++)
		t[i] = (uint64_t)b->v[i];
	CHECK_INT(stats_relative_risk(t, &r), STATS_RC_OK);
	CHECK_REF(&ex, pre, "est", r.est, TOL_R);
	CHECK_REF(&ex, pre, "se", r.log_se, TOL_R);
	CHECK_REF(&ex, pre, "lo", r.ci_lo, TOL_R);
	CHECK_REF(&ex, pre, "hi", r.ci_hi, TOL_R);
}

int
main(void)
{
	struct stats_mh m;
	struct stats_rr r;
	const uint64_t one[8] = { 1, 0, 0, 0, 3, 4, 5, 6 };
	const uint64_t empty[4] = { 0, 0, 4, 5 };

	gsl_set_error_handler_off();
	if (ref_data_load(&data, "tests/reference/methods_data.txt") != 0 ||
	    ref_expect_load(&ex, "tests/reference/stats_strata.expected") != 0)
		return test_done();
	check_mh("k3");
	check_mh("k2");
	check_mh("zero");
	check_mh("big");
	check_mh("small_delta");
	check_rr("t1");
	check_rr("zero_a");
	check_rr("zero_c");
	check_rr("large");
	check_rr("none");
	check_rr("all");
	/* A stratum of one respondent (R: "sample size in each stratum"). */
	CHECK_INT(stats_mantel_haenszel(one, 2, &m), STATS_RC_OK);
	CHECK_INT(m.why, STATS_N_TOO_SMALL);
	CHECK_INT(stats_relative_risk(empty, &r), STATS_RC_OK);
	CHECK_INT(r.why, STATS_EMPTY);
	ref_data_free(&data);
	ref_expect_free(&ex);
	return test_done();
}
