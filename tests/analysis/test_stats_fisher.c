/*
 * Fisher's exact test of r x c tables against R's fisher.test() (FEXACT,
 * tests/reference/stats_methods.R): 2 x 3 to 5 x 5, sparse and moderate
 * (n = 150) tables, a 5 x 2 table (transposed internally), zero rows and
 * columns (left out), a table with one nonzero column (p = 1), a 2 x 5
 * table of 2,103 respondents with a rare category, and a 3 x 4 table of
 * 300 for which R's default workspace is too small (the reference is
 * R's exact value with a larger one). Then the work cap: a table beyond
 * it says so instead of answering late.
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
	char bn[REF_NAME_MAX], key[REF_NAME_MAX];
	struct stats_fisher f;
	uint64_t tab[64];

	snprintf(bn, sizeof(bn), "fi_%s", name);
	snprintf(key, sizeof(key), "fi.%s", name);
	const struct ref_block *b = ref_block(&data, bn);
	for (size_t i = 0; i < b->nrow * b->ncol && i < 64; i++)
		tab[i] = (uint64_t)b->v[i];
	CHECK_INT(stats_fisher(tab, b->nrow, b->ncol, 0, &f), STATS_RC_OK);
	CHECK_INT(f.why, STATS_OK);
	CHECK_NEAR(f.p, ref_get(&ex, key), TOL_R);
}

int
main(void)
{
	static const char *const names[] = {
		"r2c3", "r3c3", "r3c4", "r2c5", "r4c5", "r5c5", "r3c6", "r5c2",
		"mid", "zerorow", "zerocol", "onecol", "wide", "big",
	};
	struct stats_fisher f;
	uint64_t zero[6] = { 0 };

	gsl_set_error_handler_off();
	if (ref_data_load(&data, "tests/reference/methods_data.txt") != 0 ||
	    ref_expect_load(&ex, "tests/reference/stats_fisher.expected") != 0)
		return test_done();
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		check_case(names[i]);
	CHECK_INT(stats_fisher(zero, 2, 3, 0, &f), STATS_RC_OK);
	CHECK_INT(f.why, STATS_EMPTY);
	/* fisher_bad_cap: ten node visits cannot settle a 3 x 4 table. */
	const struct ref_block *b = ref_block(&data, "fi_mid");
	uint64_t tab[12];
	for (size_t i = 0; i < 12; i++)
		tab[i] = (uint64_t)b->v[i];
	CHECK_INT(stats_fisher(tab, 3, 4, 10, &f), STATS_RC_OK);
	CHECK_INT(f.why, STATS_TOO_LARGE);
	CHECK(isnan(f.p));
	CHECK_INT(stats_fisher(tab, 1, 12, 0, &f), STATS_E_INVAL);
	ref_data_free(&data);
	ref_expect_free(&ex);
	return test_done();
}
