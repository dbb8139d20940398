/*
 * More than two groups against R (tests/reference/stats_methods.R):
 * oneway.test(var.equal = TRUE) with anova(lm())'s sums of squares,
 * oneway.test() (Welch), kruskal.test(), pairwise.t.test() and
 * pairwise.wilcox.test() with p.adjust.method "none", "holm" and "BH";
 * normal groups with unequal SDs, a 0-10 scale (ties; also through the
 * counts form of Kruskal-Wallis), small groups (exact pairwise rank
 * tests), a group index with no values (no level in R), a group of one
 * value (R: no ANOVA, NA pairwise t) and groups each constant (R:
 * F = Inf, p = 0; here "all values equal", as stats.h says).
 *
 * Tolerance: 1e-9 relative; the counts form of Kruskal-Wallis equals
 * the array form to 1e-12.
 */
#include <math.h>
#include <stdlib.h>

#include <gsl/gsl_errno.h>

#include "stats.h"
#include "testlib.h"
#include "../reference/stats_ref.h"

#define TOL_R 1e-9
#define KMAX 8

static struct ref_data data;
static struct ref_expect ex;

static void
check_pairs(const char *pre, const char *what, const char *method, size_t k,
    const double *p)
{
	char key[64];

	for (size_t i = 2; i <= k; i++)
		for (size_t j = 1; j < i; j++) {
			snprintf(key, sizeof(key), "%s_%s.%zu.%zu", what, method, i, j);
			CHECK_REF(&ex, pre, key, p[(i - 1) * k + (j - 1)], TOL_R);
		}
}

static void
check_case(const char *name, size_t k)
{
	char bn[REF_NAME_MAX], pre[REF_NAME_MAX];
	struct stats_desc d[KMAX];
	struct stats_anova a, w;
	struct stats_kruskal kw;
	double raw[KMAX * KMAX], adj[KMAX * KMAX];
	enum stats_why why;

	snprintf(bn, sizeof(bn), "kg_%s", name);
	snprintf(pre, sizeof(pre), "kg.%s", name);
	const struct ref_block *b = ref_block(&data, bn);
	size_t n = b->nrow;
	double *x = ref_column(b, 0), *gv = ref_column(b, 1);
	size_t *g = malloc((n + 1) * sizeof(*g));
	double *gx = malloc((n + 1) * sizeof(*gx));
	for (size_t i = 0; i < n; i++)
		g[i] = (size_t)gv[i] - 1;
	for (size_t j = 0; j < k; j++) {
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			if (g[i] == j)
				gx[m++] = x[i];
		CHECK_INT(stats_describe(gx, m, &d[j]), STATS_RC_OK);
	}
	CHECK_INT(stats_anova(d, k, &a), STATS_RC_OK);
	int given = a.why == STATS_OK || a.why == STATS_ZERO_VARIANCE;
	if (a.why == STATS_ZERO_VARIANCE) {
		/* R: F = Inf, p = 0; here the reason (see stats.h). */
		CHECK(isinf(ref_get(&ex, "kg.flat.aov_f")) && isnan(a.f));
	} else {
		CHECK_REF(&ex, pre, "aov_f", a.f, TOL_R);
		CHECK_REF(&ex, pre, "aov_p", a.p, TOL_R);
		CHECK_REF(&ex, pre, "aov_ssw", given ? a.ss_within : NAN, TOL_R);
	}
	CHECK_REF(&ex, pre, "aov_df1", given ? a.df1 : NAN, 0.0);
	CHECK_REF(&ex, pre, "aov_df2", given ? a.df2 : NAN, 0.0);
	CHECK_REF(&ex, pre, "aov_ssb", given ? a.ss_between : NAN, TOL_R);
	CHECK_INT(stats_welch_anova(d, k, &w), STATS_RC_OK);
	CHECK_REF(&ex, pre, "welch_f", w.f, TOL_R);
	CHECK_REF(&ex, pre, "welch_df1", w.why == STATS_OK ||
	    w.why == STATS_ZERO_VARIANCE ? w.df1 : NAN, 0.0);
	CHECK_REF(&ex, pre, "welch_df2", w.df2, TOL_R);
	CHECK_REF(&ex, pre, "welch_p", w.p, TOL_R);
	CHECK_INT(stats_kruskal(x, g, n, k, &kw), STATS_RC_OK);
	CHECK_REF(&ex, pre, "kw", kw.stat, TOL_R);
	CHECK_REF(&ex, pre, "kw_df", kw.why == STATS_OK ? kw.df : NAN, 0.0);
	CHECK_REF(&ex, pre, "kw_p", kw.p, TOL_R);
	static const char *const mname[] = { "holm", "BH" };
	for (int m = 0; m < 2; m++) {
		CHECK_INT(stats_pairwise_t(d, k, (enum stats_padjust)m, raw, adj,
		    &why), STATS_RC_OK);
		if (why == STATS_ZERO_VARIANCE) {
			CHECK(ref_get(&ex, "kg.flat.pt_none.2.1") == 0.0);
			CHECK(isnan(raw[k]));
		} else {
			check_pairs(pre, "pt", "none", k, raw);
			check_pairs(pre, "pt", mname[m], k, adj);
		}
		CHECK_INT(stats_pairwise_wilcox(x, g, n, k, (enum stats_padjust)m,
		    raw, adj), STATS_RC_OK);
		check_pairs(pre, "pw", "none", k, raw);
		check_pairs(pre, "pw", mname[m], k, adj);
	}
	free(x);
	free(gv);
	free(g);
	free(gx);
}

/* The 0-10 case through the counts form. */
static void
test_counts(void)
{
	const struct ref_block *b = ref_block(&data, "kg_scale");
	uint64_t tab[3 * 11] = { 0 };
	struct stats_kruskal kc, ka;
	double *x = ref_column(b, 0), *gv = ref_column(b, 1);
	size_t *g = malloc(b->nrow * sizeof(*g));

	for (size_t i = 0; i < b->nrow; i++) {
		g[i] = (size_t)gv[i] - 1;
		tab[g[i] * 11 + (size_t)x[i]]++;
	}
	CHECK_INT(stats_kruskal_counts(tab, 3, 11, &kc), STATS_RC_OK);
	CHECK_INT(stats_kruskal(x, g, b->nrow, 3, &ka), STATS_RC_OK);
	CHECK_NEAR(kc.stat, ka.stat, 1e-12);
	CHECK_NEAR(kc.p, ka.p, 1e-12);
	CHECK_INT(kc.n, b->nrow);
	free(x);
	free(gv);
	free(g);
}

static void
test_reasons(void)
{
	struct stats_desc d[3];
	struct stats_anova a;
	struct stats_kruskal kw;
	const double v[4] = { 1, 2, 3, 4 };
	const size_t g0[4] = { 0, 0, 0, 0 }, gbad[1] = { 5 };

	stats_describe(v, 4, &d[0]);
	stats_describe(v, 0, &d[1]);
	CHECK_INT(stats_anova(d, 2, &a), STATS_RC_OK);
	CHECK_INT(a.why, STATS_FEW_GROUPS);
	CHECK_INT(stats_kruskal(v, g0, 4, 2, &kw), STATS_RC_OK);
	CHECK_INT(kw.why, STATS_FEW_GROUPS);
	/* kruskal_bad_group: an index outside 0..k-1 */
	CHECK_INT(stats_kruskal(v, gbad, 1, 2, &kw), STATS_E_INVAL);
}

int
main(void)
{
	gsl_set_error_handler_off();
	if (ref_data_load(&data, "tests/reference/methods_data.txt") != 0 ||
	    ref_expect_load(&ex, "tests/reference/stats_kgroup.expected") != 0)
		return test_done();
	check_case("norm", 4);
	check_case("scale", 3);
	check_case("small", 3);
	check_case("gap", 4);
	check_case("single", 3);
	check_case("flat", 3);
	test_counts();
	test_reasons();
	ref_data_free(&data);
	ref_expect_free(&ex);
	return test_done();
}
