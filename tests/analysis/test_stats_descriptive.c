/*
 * Descriptive statistics and histograms against R (tests/reference/
 * stats.R: mean, sd, t.test(x)$conf.int, median, quantile type 7, min,
 * max, hist()$counts), through both paths: the general one over doubles
 * and the counts one over per-value counts, which must also agree with
 * each other.
 *
 * Tolerances: 1e-9 relative against R (closed-form statistics); 1e-13
 * between the two paths (both accumulate in long double); histogram
 * counts exactly.
 */
#include <float.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "stats.h"
#include "testlib.h"
#include "../reference/stats_ref.h"

#define TOL_R 1e-9
#define TOL_PATHS 1e-13

static struct ref_data data, large;
static struct ref_expect ex;

static void
check_desc(const char *name, const struct stats_desc *d)
{
	char pre[REF_NAME_MAX];

	snprintf(pre, sizeof(pre), "desc.%s", name);
	CHECK_REF(&ex, pre, "n", (double)d->n, 0.0);
	CHECK_REF(&ex, pre, "mean", d->mean, TOL_R);
	CHECK_REF(&ex, pre, "sd", d->sd, TOL_R);
	CHECK_REF(&ex, pre, "lo", d->ci_lo, TOL_R);
	CHECK_REF(&ex, pre, "hi", d->ci_hi, TOL_R);
	CHECK_REF(&ex, pre, "median", d->median, TOL_R);
	CHECK_REF(&ex, pre, "q1", d->q1, TOL_R);
	CHECK_REF(&ex, pre, "q3", d->q3, TOL_R);
	CHECK_REF(&ex, pre, "min", d->min, TOL_R);
	CHECK_REF(&ex, pre, "max", d->max, TOL_R);
}

static void
check_same(const struct stats_desc *a, const struct stats_desc *b)
{
	CHECK_INT(a->n, b->n);
	CHECK_NEAR(a->mean, b->mean, TOL_PATHS);
	CHECK_NEAR(a->var, b->var, TOL_PATHS);
	CHECK_NEAR(a->sd, b->sd, TOL_PATHS);
	CHECK_NEAR(a->ci_lo, b->ci_lo, TOL_PATHS);
	CHECK_NEAR(a->ci_hi, b->ci_hi, TOL_PATHS);
	CHECK(a->min == b->min || (isnan(a->min) && isnan(b->min)));
	CHECK(a->max == b->max || (isnan(a->max) && isnan(b->max)));
	CHECK_NEAR(a->q1, b->q1, TOL_PATHS);
	CHECK_NEAR(a->median, b->median, TOL_PATHS);
	CHECK_NEAR(a->q3, b->q3, TOL_PATHS);
	CHECK_INT(a->why, b->why);
	CHECK_INT(a->why_sd, b->why_sd);
	CHECK_INT(a->why_ci, b->why_ci);
}

/* General path on x; for integer data in [0, 10] also the counts path. */
static void
describe_both(const char *name, const double *x, size_t n, int integer)
{
	struct stats_desc g, c;
	double *copy = malloc((n + 1) * sizeof(*copy));

	memcpy(copy, x, n * sizeof(*copy));
	CHECK_INT(stats_describe(x, n, &g), STATS_RC_OK);
	CHECK(memcmp(copy, x, n * sizeof(*copy)) == 0); /* not sorted in place */
	check_desc(name, &g);
	if (integer) {
		uint64_t counts[11] = { 0 };
		CHECK_INT(stats_tally(x, n, 0, 11, counts), STATS_RC_OK);
		CHECK_INT(stats_describe_counts(0, counts, 11, &c), STATS_RC_OK);
		check_desc(name, &c);
		check_same(&g, &c);
	}
	free(copy);
}

static void
test_datasets(void)
{
	static const struct {
		const char *name;
		int integer;
	} ds[] = {
		{ "empty", 1 }, { "one", 0 }, { "two", 0 }, { "equal", 0 },
		{ "ties", 1 }, { "norm", 0 }, { "skew", 0 }, { "neg", 0 },
		{ "stiff", 0 }, { "scale", 1 },
	};
	char bn[REF_NAME_MAX];

	for (size_t i = 0; i < sizeof(ds) / sizeof(ds[0]); i++) {
		snprintf(bn, sizeof(bn), "desc_%s", ds[i].name);
		const struct ref_block *b = ref_block(&data, bn);
		describe_both(ds[i].name, b->v, b->nrow, ds[i].integer);
	}
}

static void
test_large(void)
{
	const struct ref_block *b = ref_block(&large, "large");
	double *scale = ref_column(b, 0), *cents = ref_column(b, 1);

	for (size_t i = 0; i < b->nrow; i++)
		cents[i] /= 100.0; /* as stats.R: value = cents / 100 */
	CHECK_INT(b->nrow, 100000);
	describe_both("large_scale", scale, b->nrow, 1);
	describe_both("large_value", cents, b->nrow, 0);
	free(scale);
	free(cents);
}

/* The reasons for the edge cases, and what is computed beside them. */
static void
test_edge_reasons(void)
{
	struct stats_desc d;
	const double one = 4.2, equal[] = { 3.3, 3.3, 3.3 };
	const double zeros[] = { 0.0, 0.0, 0.0 };

	CHECK_INT(stats_describe(NULL, 0, &d), STATS_RC_OK);
	CHECK_INT(d.why, STATS_EMPTY);
	CHECK_INT(d.why_sd, STATS_EMPTY);
	CHECK(isnan(d.mean) && isnan(d.median));

	CHECK_INT(stats_describe(&one, 1, &d), STATS_RC_OK);
	CHECK_INT(d.why, STATS_OK);
	CHECK_INT(d.why_sd, STATS_N_TOO_SMALL);
	CHECK_INT(d.why_ci, STATS_N_TOO_SMALL);
	CHECK(d.mean == 4.2 && d.median == 4.2 && d.q1 == 4.2 && isnan(d.sd));

	CHECK_INT(stats_describe(equal, 3, &d), STATS_RC_OK);
	CHECK_INT(d.why_sd, STATS_OK);
	CHECK(d.sd == 0.0);
	CHECK_INT(d.why_ci, STATS_ZERO_VARIANCE);
	CHECK(isnan(d.ci_lo) && isnan(d.ci_hi));

	/* Mean 0, sd 0: R's tolerance test passes, but t is 0/0. */
	CHECK_INT(stats_describe(zeros, 3, &d), STATS_RC_OK);
	CHECK_INT(d.why_ci, STATS_ZERO_VARIANCE);

	uint64_t none[3] = { 0, 0, 0 };
	CHECK_INT(stats_describe_counts(5, none, 3, &d), STATS_RC_OK);
	CHECK_INT(d.n, 0);
	CHECK_INT(d.why, STATS_EMPTY);
}

/* A counts vector whose values start below zero, and a single value. */
static void
test_counts_offset(void)
{
	const double x[] = { -3, -1, -1, 0, 2, 2, 2, 4, -3, 1 };
	uint64_t counts[8] = { 0 };
	struct stats_desc g, c;
	double q;

	CHECK_INT(stats_tally(x, 10, -3, 8, counts), STATS_RC_OK);
	CHECK_INT(stats_describe(x, 10, &g), STATS_RC_OK);
	CHECK_INT(stats_describe_counts(-3, counts, 8, &c), STATS_RC_OK);
	check_same(&g, &c);
	CHECK(c.min == -3.0 && c.max == 4.0);
	/* quantile(x, 0.9) == 2.2; p = 0 and 1 are min and max. */
	CHECK_INT(stats_quantile_counts(-3, counts, 8, 0.9, &q), STATS_RC_OK);
	CHECK_NEAR(q, 2.2, 1e-15);
	CHECK_INT(stats_quantile_counts(-3, counts, 8, 0.0, &q), STATS_RC_OK);
	CHECK(q == -3.0);
	CHECK_INT(stats_quantile_counts(-3, counts, 8, 1.0, &q), STATS_RC_OK);
	CHECK(q == 4.0);
	/* Tallied twice: counts accumulate, the statistics stay. */
	CHECK_INT(stats_tally(x, 10, -3, 8, counts), STATS_RC_OK);
	CHECK_INT(stats_describe_counts(-3, counts, 8, &c), STATS_RC_OK);
	CHECK_INT(c.n, 20);
	CHECK_NEAR(c.mean, g.mean, TOL_PATHS);
}

static void
test_bad_arguments(void)
{
	struct stats_desc d;
	uint64_t counts[4] = { 0 };
	const double nan_in[] = { 1.0, NAN, 2.0 };
	const double unsorted[] = { 1.0, 3.0, 2.0 };
	const double half[] = { 1.0, 2.5 }, big[] = { 1.0, 4.0 };
	double q;

	CHECK_INT(stats_describe(nan_in, 3, &d), STATS_E_INVAL);
	CHECK_INT(stats_describe(NULL, 3, &d), STATS_E_INVAL);
	CHECK_INT(stats_describe_sorted(unsorted, 3, &d), STATS_E_INVAL);
	CHECK_INT(stats_tally(half, 2, 0, 4, counts), STATS_E_RANGE);
	CHECK_INT(stats_tally(big, 2, 0, 4, counts), STATS_E_RANGE);
	CHECK_INT(stats_tally(nan_in, 3, 0, 4, counts), STATS_E_RANGE);
	CHECK_INT(stats_describe_counts(0, counts, 0, &d), STATS_E_INVAL);
	CHECK_INT(stats_describe_counts(0, counts, STATS_COUNTS_MAX + 1, &d),
	    STATS_E_INVAL);
	uint64_t huge[2] = { UINT64_MAX / 2, UINT64_MAX / 2 };
	CHECK_INT(stats_describe_counts(0, huge, 2, &d), STATS_E_RANGE);
	CHECK_INT(stats_quantile_sorted(unsorted, 3, 1.5, &q), STATS_E_INVAL);
	CHECK_INT(stats_quantile_sorted(unsorted, 3, NAN, &q), STATS_E_INVAL);
}

/* hist() cases of stats.R: the name and the dataset it bins. */
static void
test_histograms(void)
{
	static const struct {
		const char *name, *block;
		int integer;
	} hc[] = {
		{ "scale_mid", "desc_scale", 1 },
		{ "scale_int", "desc_scale", 1 },
		{ "scale_3", "desc_scale", 1 },
		{ "scale_4", "desc_scale", 1 },
		{ "norm", "desc_norm", 0 },
		{ "ties", "desc_ties", 1 },
		{ "large_scale", NULL, 1 },
		{ "large_value", NULL, 0 },
	};
	const struct ref_block *lb = ref_block(&large, "large");
	char bn[REF_NAME_MAX], key[REF_NAME_MAX];

	for (size_t i = 0; i < sizeof(hc) / sizeof(hc[0]); i++) {
		double *x;
		size_t n;
		if (hc[i].block) {
			const struct ref_block *b = ref_block(&data, hc[i].block);
			x = ref_column(b, 0);
			n = b->nrow;
		} else {
			x = ref_column(lb, hc[i].integer ? 0 : 1);
			n = lb->nrow;
			if (!hc[i].integer)
				for (size_t j = 0; j < n; j++)
					x[j] /= 100.0;
		}
		snprintf(bn, sizeof(bn), "breaks_%s", hc[i].name);
		const struct ref_block *br = ref_block(&data, bn);
		size_t nb = br->nrow;
		uint64_t *bins = calloc(nb, sizeof(*bins));
		uint64_t *cbins = calloc(nb, sizeof(*cbins));
		uint64_t outside = 99, coutside = 99;

		CHECK_INT(stats_histogram(x, n, br->v, nb, bins, &outside),
		    STATS_RC_OK);
		CHECK_INT(outside, 0);
		for (size_t k = 0; k + 1 < nb; k++) {
			snprintf(key, sizeof(key), "%zu", k + 1);
			char pre[REF_NAME_MAX];
			snprintf(pre, sizeof(pre), "hist.%s", hc[i].name);
			CHECK_REF(&ex, pre, key, (double)bins[k], 0.0);
		}
		if (hc[i].integer) {
			uint64_t counts[11] = { 0 };
			CHECK_INT(stats_tally(x, n, 0, 11, counts), STATS_RC_OK);
			CHECK_INT(stats_histogram_counts(0, counts, 11, br->v, nb,
			    cbins, &coutside), STATS_RC_OK);
			CHECK_INT(coutside, 0);
			CHECK(memcmp(bins, cbins, (nb - 1) * sizeof(*bins)) == 0);
		}
		free(bins);
		free(cbins);
		free(x);
	}
}

/* Values outside the breaks are counted apart (R would stop). */
static void
test_histogram_outside(void)
{
	const double x[] = { -1.0, 0.0, 0.5, 1.0, 2.0, 2.5 };
	const double br[] = { 0.0, 1.0, 2.0 }, bad[] = { 0.0, 0.0, 1.0 };
	uint64_t bins[2], outside;

	CHECK_INT(stats_histogram(x, 6, br, 3, bins, &outside), STATS_RC_OK);
	CHECK_INT(bins[0], 3); /* [0, 1] */
	CHECK_INT(bins[1], 1); /* (1, 2] */
	CHECK_INT(outside, 2);
	CHECK_INT(stats_histogram(x, 6, bad, 3, bins, &outside), STATS_E_INVAL);
	CHECK_INT(stats_histogram(x, 6, br, 1, bins, &outside), STATS_E_INVAL);
}

static void
test_why_text(void)
{
	CHECK_STR(stats_why_text(STATS_N_TOO_SMALL), "fewer than 2 values");
	CHECK_STR(stats_why_text(STATS_ZERO_VARIANCE), "all values equal");
	CHECK_STR(stats_why_text(STATS_SEPARATION),
	    "complete or quasi-complete separation");
	CHECK_STR(stats_why_text((enum stats_why)STATS_WHY__MAX),
	    "unknown reason");
	CHECK_STR(stats_why_text((enum stats_why)-1), "unknown reason");
	for (int w = 0; w < STATS_WHY__MAX; w++)
		CHECK(stats_why_text((enum stats_why)w) != NULL &&
		    strlen(stats_why_text((enum stats_why)w)) > 0);
}

int
main(void)
{
	gsl_set_error_handler_off();
	if (ref_data_load(&data, "tests/reference/stats_data.txt") != 0 ||
	    ref_data_load(&large, "tests/reference/stats_large.txt") != 0 ||
	    ref_expect_load(&ex, "tests/reference/stats_descriptive.expected") != 0)
		return test_done();
	test_datasets();
	test_large();
	test_edge_reasons();
	test_counts_offset();
	test_bad_arguments();
	test_histograms();
	test_histogram_outside();
	test_why_text();
	ref_data_free(&data);
	ref_data_free(&large);
	ref_expect_free(&ex);
	return test_done();
}
