/*
 * Contingency tables against R (tests/reference/stats.R):
 * chisq.test(tab, correct = FALSE) for r x c tables and also
 * correct = TRUE (Yates) for 2x2, fisher.test(tab)$p.value, and the odds
 * ratio (Woolf interval, Haldane-Anscombe correction) and risk difference
 * (Wald and Newcombe method 10 intervals) written out in R. Cases: zero
 * cells, zero rows and columns, all-ones, large and sparse tables.
 *
 * Tolerance: 1e-9 relative (closed-form statistics and Fisher's exact
 * sum).
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "stats.h"
#include "testlib.h"
#include "../reference/stats_ref.h"

#define TOL_R 1e-9

static struct ref_data data;
static struct ref_expect ex;

static void
check_table(const char *name)
{
	char bn[REF_NAME_MAX], pre[REF_NAME_MAX];
	struct stats_chisq cs;

	snprintf(bn, sizeof(bn), "ct_%s", name);
	snprintf(pre, sizeof(pre), "ct.%s", name);
	const struct ref_block *b = ref_block(&data, bn);
	size_t nr = b->nrow, nc = b->ncol;
	uint64_t *tab = malloc((nr * nc + 1) * sizeof(*tab));
	for (size_t i = 0; i < nr * nc; i++)
		tab[i] = (uint64_t)b->v[i];

	CHECK_INT(stats_chisq(tab, nr, nc, 0, &cs), STATS_RC_OK);
	CHECK_REF(&ex, pre, "chisq", cs.stat, TOL_R);
	CHECK_REF(&ex, pre, "df", cs.df, 0.0);
	CHECK_REF(&ex, pre, "chisq_p", cs.p, TOL_R);
	CHECK_INT(cs.yates, 0);
	if (nr != 2 || nc != 2) {
		/* yates is ignored beyond 2x2, as in R. */
		struct stats_chisq cy;
		CHECK_INT(stats_chisq(tab, nr, nc, 1, &cy), STATS_RC_OK);
		CHECK(cy.yates == 0 && (cy.stat == cs.stat ||
		    (isnan(cy.stat) && isnan(cs.stat))));
		free(tab);
		return;
	}
	struct stats_fisher fi;
	struct stats_or o;
	struct stats_rd rd;
	CHECK_INT(stats_chisq(tab, 2, 2, 1, &cs), STATS_RC_OK);
	CHECK_REF(&ex, pre, "yates", cs.stat, TOL_R);
	CHECK_REF(&ex, pre, "yates_p", cs.p, TOL_R);
	CHECK_INT(stats_fisher_2x2(tab, &fi), STATS_RC_OK);
	CHECK_REF(&ex, pre, "fisher_p", fi.p, TOL_R);
	CHECK_INT(stats_odds_ratio(tab, &o), STATS_RC_OK);
	CHECK_REF(&ex, pre, "or", o.est, TOL_R);
	CHECK_REF(&ex, pre, "or_logse", o.log_se, TOL_R);
	CHECK_REF(&ex, pre, "or_lo", o.ci_lo, TOL_R);
	CHECK_REF(&ex, pre, "or_hi", o.ci_hi, TOL_R);
	CHECK_INT(o.corrected, o.why == STATS_OK &&
	    (tab[0] == 0 || tab[1] == 0 || tab[2] == 0 || tab[3] == 0));
	CHECK_INT(stats_risk_diff(tab, &rd), STATS_RC_OK);
	CHECK_REF(&ex, pre, "rd", rd.rd, TOL_R);
	CHECK_REF(&ex, pre, "wald_lo", rd.wald_lo, TOL_R);
	CHECK_REF(&ex, pre, "wald_hi", rd.wald_hi, TOL_R);
	CHECK_REF(&ex, pre, "newc_lo", rd.newcombe_lo, TOL_R);
	CHECK_REF(&ex, pre, "newc_hi", rd.newcombe_hi, TOL_R);
	free(tab);
}

/* The reasons behind the NAs of the edge tables. */
static void
test_reasons(void)
{
	const uint64_t zerorow[4] = { 0, 0, 5, 7 }, zerocol[4] = { 20, 0, 15, 0 };
	const uint64_t empty[4] = { 0, 0, 0, 0 }, ones[4] = { 1, 1, 1, 1 };
	const uint64_t r3zero[9] = { 5, 6, 7, 0, 0, 0, 8, 2, 4 };
	struct stats_chisq cs;
	struct stats_fisher fi;
	struct stats_or o;
	struct stats_rd rd;

	stats_chisq(zerorow, 2, 2, 1, &cs);
	CHECK_INT(cs.why, STATS_ZERO_MARGIN);
	stats_chisq(r3zero, 3, 3, 0, &cs);
	CHECK_INT(cs.why, STATS_ZERO_MARGIN);
	stats_chisq(empty, 2, 2, 0, &cs);
	CHECK_INT(cs.why, STATS_EMPTY);
	stats_fisher_2x2(zerorow, &fi);
	CHECK(fi.why == STATS_OK && fi.p == 1.0); /* as R */
	stats_fisher_2x2(empty, &fi);
	CHECK_INT(fi.why, STATS_EMPTY);
	stats_odds_ratio(zerocol, &o);
	CHECK_INT(o.why, STATS_ZERO_MARGIN);
	stats_risk_diff(zerorow, &rd);
	CHECK_INT(rd.why, STATS_EMPTY);
	stats_risk_diff(zerocol, &rd); /* p1 = p2 = 1 */
	CHECK_INT(rd.why, STATS_OK);
	CHECK_INT(rd.why_wald, STATS_ZERO_VARIANCE);
	CHECK(isfinite(rd.newcombe_lo) && isfinite(rd.newcombe_hi));

	/* Yates with |o - e| = 0 everywhere: no correction, as R reports. */
	stats_chisq(ones, 2, 2, 1, &cs);
	CHECK(cs.yates == 0 && cs.stat == 0.0 && cs.p == 1.0);
	/* Low expected counts are reported for the warning R prints. */
	stats_chisq(ones, 2, 2, 0, &cs);
	CHECK_INT(cs.n_low_expected, 4);
	CHECK(cs.min_expected == 1.0);

	/* chisq_bad_shape */
	CHECK_INT(stats_chisq(ones, 1, 4, 0, &cs), STATS_E_INVAL);
	CHECK_INT(stats_fisher_2x2(NULL, &fi), STATS_E_INVAL);
}

/* Fisher on a big table: the walk over the support stays exact. */
static void
test_fisher_symmetry(void)
{
	/* Symmetric margins: the two tails are mirror images. */
	const uint64_t t[4] = { 3, 7, 7, 3 }, u[4] = { 7, 3, 3, 7 };
	struct stats_fisher a, b;

	stats_fisher_2x2(t, &a);
	stats_fisher_2x2(u, &b);
	CHECK_NEAR(a.p, b.p, 1e-14);
	/* Independence exactly: p = 1. */
	const uint64_t same[4] = { 500, 500, 500, 500 };
	stats_fisher_2x2(same, &a);
	CHECK_NEAR(a.p, 1.0, 1e-14);
}

int
main(void)
{
	gsl_set_error_handler_off();
	static const char *const names[] = {
		"t1", "zero", "twozero", "large", "ones", "zerorow", "zerocol",
		"small", "unbal", "r3c4", "r2c3", "sparse", "r3zero",
		"large_scale_bin",
	};

	if (ref_data_load(&data, "tests/reference/stats_data.txt") != 0 ||
	    ref_expect_load(&ex, "tests/reference/stats_contingency.expected") != 0)
		return test_done();
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		check_table(names[i]);
	test_reasons();
	test_fisher_symmetry();
	ref_data_free(&data);
	ref_expect_free(&ex);
	return test_done();
}
