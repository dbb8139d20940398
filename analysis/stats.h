/*
 * The statistics library of the analysis: pure functions over arrays of
 * doubles and of counts. No I/O, no global state, no locale; every function
 * may be called from any thread. R is the reference: each function names
 * the R call it reproduces, and tests/reference/stats.R and
 * stats_methods.R compute the values the tests compare against
 * (tests/analysis/test_stats_*.c). The numerics
 * use GSL; the program calls gsl_set_error_handler_off() once, and every
 * GSL status returned is checked here.
 *
 * Conventions that hold for the whole API:
 *
 *  - Return value: STATS_RC_OK (0) or a negative enum stats_rc, which means
 *    the call itself was wrong (NULL pointer, inconsistent sizes, a NaN in
 *    the data) or memory ran out. A statistic that cannot be computed from
 *    valid data is not an error: the call returns 0, the affected numbers
 *    are NaN, and a `why` field in the result says why (enum stats_why,
 *    stats_why_text() gives a short English reason for the report).
 *  - Complete data only: the caller removes missing answers first (and
 *    reports how many). Every double passed in must be finite; a NaN or an
 *    infinity gives STATS_E_INVAL.
 *  - The caller's input arrays are never modified; where sorting is needed
 *    a copy is sorted. Outputs are the result struct and the arrays named
 *    as such (bins, counts, adj).
 *  - Every interval is a two-sided 95% interval (STATS_LEVEL).
 *  - A 2x2 table is four counts in row-major order {a, b, c, d}: rows are
 *    the two groups (row 1 = group 1), columns are outcome present/absent.
 *
 *            outcome  no outcome
 *   group 1     a         b
 *   group 2     c         d
 */
#ifndef CANDOR_STATS_H
#define CANDOR_STATS_H

#include <stddef.h>
#include <stdint.h>

#define STATS_LEVEL 0.95       /* confidence level of every interval */
#define STATS_COUNTS_MAX 4097  /* values a counts vector may span: hi - lo <= 4096 */

/* What a call returns. */
enum stats_rc {
	STATS_RC_OK = 0,
	STATS_E_INVAL = -1, /* bad argument: NULL, size, non-finite or unsorted data */
	STATS_E_NOMEM = -2, /* allocation failed */
	STATS_E_RANGE = -3  /* value outside the counts range, not an integer, or overflow */
};

/* Why a quantity was not computed (STATS_OK: it was). */
enum stats_why {
	STATS_OK = 0,
	STATS_EMPTY,          /* "no values" */
	STATS_N_TOO_SMALL,    /* "fewer than 2 values" (in a group) */
	STATS_FEW_PAIRS,      /* "fewer than 3 pairs" (rank correlation) */
	STATS_ZERO_VARIANCE,  /* "all values equal" */
	STATS_ZERO_MARGIN,    /* "a row or column total is zero" */
	STATS_SEPARATION,     /* "complete or quasi-complete separation" */
	STATS_SINGULAR,       /* "predictors are collinear" */
	STATS_NO_DF,          /* "no residual degrees of freedom" */
	STATS_LEVERAGE_ONE,   /* "an observation has leverage 1" */
	STATS_NO_CONVERGENCE, /* "did not converge" */
	STATS_NUMERIC,        /* "numerical failure" (a GSL routine failed) */
	STATS_TOO_LARGE,      /* "table too large for the exact test" */
	STATS_FEW_GROUPS,     /* "fewer than 2 groups with values" */
	STATS_WHY__MAX
};

/* A short English reason, never NULL (also for out-of-range values). */
const char *stats_why_text(enum stats_why why);

/* ---------------------------------------------------------------------
 * Descriptive statistics of one numeric sample.
 *
 * R: length(x), mean(x), var(x), sd(x), t.test(x)$conf.int, median(x),
 * quantile(x, c(.25, .75), type = 7), min(x), max(x).
 *
 * Two paths give the same numbers: stats_describe() for any doubles (one
 * sort of a copy, everything else from the sorted copy), and
 * stats_describe_counts() for small-integer data given as per-value counts
 * (0-10 scales, choice codes), which is O(range) once tallied (the tally
 * is O(n)) and exact in n and in the sum. Means and sums of squares are accumulated in long double and
 * the mean is refined by a second pass, as R does.
 */
struct stats_desc {
	uint64_t n;
	double mean;           /* NaN if n == 0 */
	double var, sd;        /* n - 1 denominator; NaN if n < 2 */
	double se;             /* sd / sqrt(n) */
	double ci_lo, ci_hi;   /* mean +- qt(.975, n-1) * se, as t.test(x) */
	double min, q1, median, q3, max; /* quantile type 7; NaN if n == 0 */
	enum stats_why why;    /* mean, quantiles, min, max: STATS_EMPTY */
	enum stats_why why_sd; /* var, sd, se: STATS_EMPTY, STATS_N_TOO_SMALL */
	/*
	 * ci: as why_sd, or STATS_ZERO_VARIANCE when the standard error is
	 * below 10 * DBL_EPSILON * |mean| (R's "data are essentially
	 * constant": t.test refuses, so do we).
	 */
	enum stats_why why_ci;
};

/* Describe x[0..n-1] (n may be 0). Allocates and sorts a copy of x. */
int stats_describe(const double *x, size_t n, struct stats_desc *out);

/*
 * As stats_describe() for data the caller has already sorted ascending
 * (e.g. a copy it also uses for other quantiles). Unsorted data gives
 * STATS_E_INVAL (checked in one pass).
 */
int stats_describe_sorted(const double *sorted, size_t n,
    struct stats_desc *out);

/*
 * Describe data given as counts: counts[i] is the number of values equal
 * to lo + i, for i < nvals <= STATS_COUNTS_MAX. O(nvals) time, no
 * allocation. The total must not exceed UINT64_MAX / STATS_COUNTS_MAX
 * and |lo| not 2^52 (STATS_E_RANGE): the sum of values is then exact in
 * 64 bits and every value exact in a double.
 */
int stats_describe_counts(long lo, const uint64_t *counts, size_t nvals,
    struct stats_desc *out);

/*
 * Add each x[i] to counts (counts[x[i] - lo] += 1); counts has nvals
 * entries and is not cleared, so data may be tallied in chunks. A value
 * that is not an integer in [lo, lo + nvals - 1] gives STATS_E_RANGE and
 * leaves counts partly updated.
 */
int stats_tally(const double *x, size_t n, long lo, size_t nvals,
    uint64_t *counts);

/*
 * R quantile(x, prob, type = 7) of sorted data (ascending, not checked)
 * or of counts; 0 <= prob <= 1. *q is NaN when there is no value.
 * Equivalent to GSL's gsl_stats_quantile_from_sorted_data(), except that
 * like R it returns x[j] exactly when x[j] == x[j+1].
 */
int stats_quantile_sorted(const double *sorted, size_t n, double prob,
    double *q);
int stats_quantile_counts(long lo, const uint64_t *counts, size_t nvals,
    double prob, double *q);

/*
 * Histogram counts for the given breaks, as R hist(x, breaks)$counts:
 * nbreaks >= 2 strictly increasing finite breaks give nbreaks - 1 bins
 * (b[i], b[i+1]], the first one closed [b[0], b[1]] (right = TRUE,
 * include.lowest = TRUE), with R's fuzz: every break is moved outwards by
 * 1e-7 of the median bin width (of the data range when nbreaks <= 3, of
 * the smallest bin when nbreaks is 4 or 5), so a value that differs from
 * a break only by rounding falls in the bin R puts it in. bins gets
 * nbreaks - 1 counts (overwritten); *outside (may be NULL) the number of
 * values outside all bins, where R would stop with "some 'x' not counted".
 */
int stats_histogram(const double *x, size_t n, const double *breaks,
    size_t nbreaks, uint64_t *bins, uint64_t *outside);
int stats_histogram_counts(long lo, const uint64_t *counts, size_t nvals,
    const double *breaks, size_t nbreaks, uint64_t *bins, uint64_t *outside);

/* ---------------------------------------------------------------------
 * Proportion x / n with the Wilson score interval.
 * R: prop.test(x, n, correct = FALSE)$conf.int (the limits are exactly 0
 * and 1 when x == 0 and x == n, as in R). n == 0: STATS_EMPTY. x > n is
 * STATS_E_INVAL.
 */
struct stats_prop {
	uint64_t x, n;
	double p, pct;       /* x / n and 100 * x / n */
	double ci_lo, ci_hi; /* Wilson, as proportions (not percent) */
	enum stats_why why;
};

int stats_proportion(uint64_t x, uint64_t n, struct stats_prop *out);

/* ---------------------------------------------------------------------
 * Two-group comparisons of a numeric variable. Welch and Hedges take the
 * descriptives of each group (from either describe path), so that 1M-row
 * columns never need a second pass.
 */

/*
 * Welch two-sample t-test, difference group 1 minus group 2.
 * R: t.test(x, y) — estimate difference, conf.int, statistic, parameter
 * (df), p.value. Each group needs n >= 2 (STATS_N_TOO_SMALL); a standard
 * error below 10 * DBL_EPSILON * max(|mean1|, |mean2|) gives
 * STATS_ZERO_VARIANCE (R: "data are essentially constant").
 */
struct stats_welch {
	double diff, se, t, df, p;
	double ci_lo, ci_hi;
	enum stats_why why;
};

int stats_welch(const struct stats_desc *g1, const struct stats_desc *g2,
    struct stats_welch *out);

/*
 * Hedges' g (group 1 minus group 2) with a 95% interval.
 *   d  = (mean1 - mean2) / s_pooled,
 *        s_pooled^2 = ((n1-1) var1 + (n2-1) var2) / (n1 + n2 - 2)
 *   J  = 1 - 3 / (4 (n1 + n2 - 2) - 1)     (Hedges' small-sample correction)
 *   g  = J d
 *   se = sqrt((n1 + n2) / (n1 n2) + g^2 / (2 (n1 + n2)))
 *   ci = g -+ qnorm(.975) se               (normal approximation)
 * This is the common large-sample interval (Hedges & Olkin 1985, with the
 * variance evaluated at g; Borenstein et al. 2009 use J^2 times the
 * variance of d instead, slightly narrower) and J is Hedges' usual
 * approximation of the exact gamma-function factor. The effectsize
 * package is not used: tests/reference/stats.R writes the same formula
 * in R. Each group needs n >= 2; a pooled SD of 0 (or below 10 *
 * DBL_EPSILON * max(|mean1|, |mean2|), as Welch) gives
 * STATS_ZERO_VARIANCE.
 */
struct stats_hedges {
	double d, j, g, se;
	double ci_lo, ci_hi;
	enum stats_why why;
};

int stats_hedges_g(const struct stats_desc *g1, const struct stats_desc *g2,
    struct stats_hedges *out);

/*
 * Mann-Whitney U / Wilcoxon rank-sum test with the normal approximation,
 * tie correction and continuity correction.
 * R: wilcox.test(x, y, exact = FALSE, correct = TRUE) — w is R's W (the
 * Mann-Whitney U of group 1: rank sum of x minus nx (nx + 1) / 2), p its
 * p.value. Each group needs n >= 1 (STATS_EMPTY); when all values are
 * tied the variance is 0 and p is NaN (STATS_ZERO_VARIANCE), as in R.
 * The counts form takes per-value counts of the two groups over the same
 * value range (cx[i], cy[i] count the value lo + i) and is O(nvals).
 */
struct stats_mw {
	uint64_t n1, n2;
	double w;    /* W = U1; U2 = n1 n2 - W */
	double z, p; /* continuity-corrected z, two-sided p */
	enum stats_why why;
};

int stats_mann_whitney(const double *x, size_t nx, const double *y,
    size_t ny, struct stats_mw *out);
int stats_mann_whitney_counts(const uint64_t *cx, const uint64_t *cy,
    size_t nvals, struct stats_mw *out);

/*
 * Spearman's rank correlation with the asymptotic t approximation.
 * R: cor.test(x, y, method = "spearman", exact = FALSE) — rho is
 * cor(rank(x), rank(y)), s is R's statistic S = (n^3 - n)(1 - rho) / 6, p
 * is 2 * P(T_{n-2} > |t|) with t = rho / sqrt((1 - rho^2) / (n - 2)),
 * capped at 1. Needs n >= 3 pairs (STATS_FEW_PAIRS: with 2 pairs R
 * returns rho = +-1, which says nothing, and p = NA); a constant x or y
 * gives STATS_ZERO_VARIANCE (R: NA with "the standard deviation is zero").
 * The table form takes the nr x nc cross-tabulation of two ordinal
 * variables (row-major counts, rows and columns in increasing order of
 * value) and is O(nr nc): the fast path for two small-integer items.
 */
struct stats_spearman {
	uint64_t n;
	double rho, s, t, p;
	enum stats_why why;
};

int stats_spearman(const double *x, const double *y, size_t n,
    struct stats_spearman *out);
int stats_spearman_table(const uint64_t *tab, size_t nr, size_t nc,
    struct stats_spearman *out);

/* ---------------------------------------------------------------------
 * Contingency tables (counts, row-major).
 */

/*
 * Pearson's chi-square test of independence of an nr x nc table
 * (nr, nc >= 2). R: chisq.test(tab, correct = yates) — statistic,
 * parameter (df), p.value. As in R, the Yates continuity correction
 * applies to 2x2 tables only (yates is ignored otherwise) and is
 * min(0.5, |o - e|) over the table; `yates` in the result says whether it
 * was applied. The analysis batch reports the Yates-corrected test for
 * 2x2 tables (R's default) and the uncorrected test for larger tables.
 * min_expected and n_low_expected (cells with expected count < 5) let the
 * report warn as R does ("Chi-squared approximation may be incorrect").
 * A zero row or column total: STATS_ZERO_MARGIN (R returns NaN); an empty
 * table: STATS_EMPTY. Either way min_expected is still set (0 with a
 * zero margin) for stats_table_test().
 */
struct stats_chisq {
	double stat, df, p;
	/*
	 * Cramer's V, sqrt(X^2 / (n (min(nr, nc) - 1))) from the statistic
	 * without continuity correction (chisq.test(correct = FALSE)); no
	 * bias correction and no interval.
	 */
	double cramer_v;
	double min_expected;
	size_t n_low_expected;
	int yates;
	enum stats_why why;
};

int stats_chisq(const uint64_t *tab, size_t nr, size_t nc, int yates,
    struct stats_chisq *out);

/*
 * Fisher's exact test of a 2x2 table, two-sided p only.
 * R: fisher.test(matrix(c(a, c, b, d), 2))$p.value — the sum of the
 * hypergeometric probabilities not greater than that of the observed
 * table (with R's relative tolerance 1e-7). Zero margins give p = 1 as in
 * R; an empty table gives STATS_EMPTY. R's conditional-MLE odds ratio and
 * its interval are not provided: see stats_odds_ratio().
 */
struct stats_fisher {
	double p;
	enum stats_why why;
};

int stats_fisher_2x2(const uint64_t tab[4], struct stats_fisher *out);

/*
 * The test of an nr x nc table the analysis reports, by the rule stated
 * in docs/plans.md: Fisher's exact test (stats_fisher()) when an
 * expected count is below 5 or a row or column total is 0 — chi-square
 * is unreliable in the first case and undefined in the second, where
 * Fisher's p is 1 as in R, so the comparison keeps its place in the
 * Holm and BH family — and Pearson's chi-square otherwise (with Yates'
 * correction for 2 x 2 tables, R's default). A table too large for the
 * exact test keeps the chi-square p (fisher 0, fisher_why
 * STATS_TOO_LARGE). chi is always filled in; p and why are the reported
 * test's.
 */
struct stats_table_test {
	struct stats_chisq chi;
	int fisher;            /* 1: p is Fisher's */
	double p;
	enum stats_why why, fisher_why;
};

int stats_table_test(const uint64_t *tab, size_t nr, size_t nc,
    struct stats_table_test *out);

/*
 * Sample odds ratio (a d) / (b c) with the Woolf (log) interval
 * exp(log(or) -+ qnorm(.975) sqrt(1/a + 1/b + 1/c + 1/d)). When any cell
 * is 0 the Haldane-Anscombe correction adds 0.5 to every cell before both
 * the estimate and the interval (`corrected` is then 1). A zero row or
 * column total: STATS_ZERO_MARGIN. R: written out in stats.R (base R has
 * no such function).
 */
struct stats_or {
	double est, log_se;
	double ci_lo, ci_hi;
	int corrected;
	enum stats_why why;
};

int stats_odds_ratio(const uint64_t tab[4], struct stats_or *out);

/*
 * Risk difference p1 - p2 (p1 = a / (a + b), p2 = c / (c + d)) with the
 * Wald interval rd -+ z sqrt(p1 (1-p1) / n1 + p2 (1-p2) / n2) and the
 * Newcombe hybrid score interval (Newcombe 1998, method 10, Wilson limits
 * without continuity correction):
 *   lo = rd - sqrt((p1 - l1)^2 + (u2 - p2)^2)
 *   hi = rd + sqrt((u1 - p1)^2 + (p2 - l2)^2)
 * A group with no one in it: STATS_EMPTY for both. The Wald interval has
 * zero width when both proportions are 0 or 1: why_wald is then
 * STATS_ZERO_VARIANCE (the Newcombe interval is still given).
 * R: written out in stats.R.
 */
struct stats_rd {
	double p1, p2, rd;
	double wald_lo, wald_hi;
	double newcombe_lo, newcombe_hi;
	enum stats_why why;
	enum stats_why why_wald;
};

int stats_risk_diff(const uint64_t tab[4], struct stats_rd *out);

/* ---------------------------------------------------------------------
 * Multiplicity: adjusted p-values across a batch.
 * R: p.adjust(p, "holm"), p.adjust(p, "BH"). NaN entries (comparisons not
 * computed) stay NaN and are left out of the count m of tests, as R does
 * with NA. p and adj may be the same array. Values outside [0, 1] are
 * STATS_E_INVAL. Allocates O(n).
 */
enum stats_padjust {
	STATS_HOLM,
	STATS_BH,
	STATS_PADJUST__MAX
};

int stats_p_adjust(const double *p, size_t n, enum stats_padjust method,
    double *adj);

/* ---------------------------------------------------------------------
 * Within-respondent (paired) comparisons of two numeric answers x[i],
 * y[i] of the same n respondents (complete pairs only). Differences are
 * x[i] - y[i].
 */

/*
 * Paired t-test. R: t.test(x, y, paired = TRUE) — estimate (mean
 * difference), conf.int, statistic, parameter (df = n - 1), p.value.
 * Fewer than 2 pairs: STATS_N_TOO_SMALL; differences essentially
 * constant (standard error below 10 * DBL_EPSILON * |mean|, R's "data
 * are essentially constant"): STATS_ZERO_VARIANCE.
 */
struct stats_paired_t {
	uint64_t n;
	double diff, sd, se, t, df, p;
	double ci_lo, ci_hi;
	enum stats_why why;
};

int stats_paired_t(const double *x, const double *y, size_t n,
    struct stats_paired_t *out);

/*
 * Wilcoxon signed-rank test of the differences with the Hodges-Lehmann
 * pseudomedian and its interval. R: wilcox.test(x, y, paired = TRUE,
 * conf.int = TRUE) with every other argument at its default: zero
 * differences are dropped (n_used counts the rest); the p-value is exact
 * (psignrank) when n_used < 50 and the absolute differences have no ties
 * and there were no zeros, as R decides, and otherwise from the normal
 * approximation with tie and continuity correction. The estimate and
 * interval are then R's: exact, the median of the Walsh averages and
 * the order statistics qsignrank() picks; approximate, the roots R's
 * uniroot(tol = 1e-4) finds (the same Brent iteration, step for step,
 * so the numbers are R's and not a more precise root). conf_level is
 * the level R reports: 0.95, or lower where 95% cannot be achieved.
 * No nonzero difference: STATS_EMPTY (R: an error). All differences
 * tied in the approximation: p as R (the variance is 0: STATS_ZERO_VARIANCE),
 * why_ci likewise.
 */
struct stats_signrank {
	uint64_t n, n_used;  /* pairs; nonzero differences */
	double v;            /* R's V: rank sum of the positive differences */
	double z;            /* approximate only (NaN when exact) */
	double p;
	int exact;
	double est, ci_lo, ci_hi, conf_level;
	enum stats_why why, why_ci;
};

int stats_signed_rank(const double *x, const double *y, size_t n,
    struct stats_signrank *out);

/* ---------------------------------------------------------------------
 * Two independent groups, rank based, as R does it by default.
 *
 * Wilcoxon rank-sum (Mann-Whitney) test with the Hodges-Lehmann shift.
 * R: wilcox.test(x, y, conf.int = TRUE), all else default: exact p
 * (pwilcox) when nx < 50, ny < 50 and no value is tied, else the normal
 * approximation with tie and continuity correction (then p equals
 * stats_mann_whitney()). The estimate (R's "difference in location", x
 * minus y) and interval: exact, the median of the nx ny differences and
 * the order statistics qwilcox() picks; approximate, R's uniroot(tol =
 * 1e-4) roots, step for step. with_ci 0 skips the interval (as
 * conf.int = FALSE; est and the interval are then NaN). Each group
 * needs a value (STATS_EMPTY).
 */
struct stats_ranksum {
	uint64_t n1, n2;
	double w, z, p;      /* W = U of group 1; z NaN when exact */
	int exact;
	double est, ci_lo, ci_hi, conf_level;
	enum stats_why why, why_ci;
};

int stats_rank_sum(const double *x, size_t nx, const double *y, size_t ny,
    int with_ci, struct stats_ranksum *out);

/* ---------------------------------------------------------------------
 * Correlation of two numeric answers of the same respondents.
 */

/*
 * Pearson's r. R: cor.test(x, y) — estimate, statistic (t), parameter
 * (df = n - 2), p.value, conf.int (Fisher's z, tanh(atanh(r) -+
 * qnorm(.975) / sqrt(n - 3)), given when n > 3; why_ci STATS_N_TOO_SMALL
 * otherwise). Fewer than 3 pairs: STATS_FEW_PAIRS; a constant variable:
 * STATS_ZERO_VARIANCE.
 */
struct stats_pearson {
	uint64_t n;
	double r, t, df, p;
	double ci_lo, ci_hi;
	enum stats_why why, why_ci;
};

int stats_pearson(const double *x, const double *y, size_t n,
    struct stats_pearson *out);

/*
 * Spearman's rho as R's cor.test(x, y, method = "spearman") computes it
 * by default (exact = NULL): without ties and with n <= 1290 the p-value
 * is R's pRho (AS 89: exact enumeration of the n! permutations for
 * n <= 9, the Edgeworth series above), otherwise the t approximation of
 * stats_spearman(). R gives no interval for rho; this one is stated
 * here and written out in tests/reference/stats_methods.R: Fisher's z
 * with the Bonett-Wright (2000) standard error,
 *   tanh(atanh(rho) -+ qnorm(.975) sqrt((1 + rho^2 / 2) / (n - 3))),
 * given when n > 3 and |rho| < 1 (why_ci STATS_N_TOO_SMALL, or
 * STATS_ZERO_VARIANCE when |rho| is 1). exact says which p-value it is.
 */
struct stats_spearman_test {
	struct stats_spearman s; /* n, rho, S, t (NaN when exact), p, why */
	int exact;
	double ci_lo, ci_hi;
	enum stats_why why_ci;
};

int stats_spearman_test(const double *x, const double *y, size_t n,
    struct stats_spearman_test *out);

/* ---------------------------------------------------------------------
 * More than two groups. Groups are given by their descriptives (either
 * describe path) or, for rank tests, by a group index per value
 * (g[i] < k). A group without values is not a group (R builds its
 * groups with factor(), which has no empty levels); fewer than 2 groups
 * with values: STATS_FEW_GROUPS.
 */

/*
 * One-way analysis of means. R: oneway.test(y ~ g, var.equal = TRUE)
 * (classic ANOVA; also anova(lm(y ~ g)): ss_between, ss_within) and
 * oneway.test(y ~ g) (Welch's, not assuming equal variances; the sums of
 * squares are NaN). F, df1 = k - 1, df2 (n - k, or Welch's), p from the
 * F distribution. Each group needs 2 values (STATS_N_TOO_SMALL, as R's
 * "not enough observations"); Welch needs every variance positive, the
 * classic test a positive pooled variance (STATS_ZERO_VARIANCE; df and
 * sums of squares are still given). When every group is constant R's
 * classic test answers F = Inf, p = 0 (and pairwise.t.test() p = 0);
 * here that is STATS_ZERO_VARIANCE, as t.test() itself refuses
 * constant data.
 */
struct stats_anova {
	size_t k;     /* groups with values */
	uint64_t n;
	double f, df1, df2, p;
	double ss_between, ss_within;
	enum stats_why why;
};

int stats_anova(const struct stats_desc *g, size_t k, struct stats_anova *out);
int stats_welch_anova(const struct stats_desc *g, size_t k,
    struct stats_anova *out);

/*
 * Kruskal-Wallis rank-sum test. R: kruskal.test(x, g) — statistic (with
 * the tie correction), parameter (df = k - 1), p.value. Fewer than 2
 * values: STATS_N_TOO_SMALL; every value tied: STATS_ZERO_VARIANCE (R:
 * NaN). The counts form takes a k x nvals table (row-major; row i the
 * counts of group i over a common value range) and is O(k nvals).
 */
struct stats_kruskal {
	size_t k;
	uint64_t n;
	double stat, df, p;
	enum stats_why why;
};

int stats_kruskal(const double *x, const size_t *g, size_t n, size_t k,
    struct stats_kruskal *out);
int stats_kruskal_counts(const uint64_t *tab, size_t k, size_t nvals,
    struct stats_kruskal *out);

/*
 * Pairwise comparisons of k groups, adjusted across the k (k - 1) / 2
 * pairs with method (stats_p_adjust()). p_raw and p_adj have k * k
 * entries; the pair of groups i > j is entry i * k + j, every other
 * entry is NaN, and so is every pair with an empty group (such a group
 * is no level in R, so it is not counted in the family either).
 *
 * stats_pairwise_t: R pairwise.t.test(x, g, p.adjust.method) with its
 * default pool.sd = TRUE: t = (mean_i - mean_j) / (s sqrt(1/n_i +
 * 1/n_j)), s the SD pooled over all nonempty groups, df = n - k. A
 * group with one value (R: NA for every pair): STATS_N_TOO_SMALL; s = 0:
 * STATS_ZERO_VARIANCE. *why may be NULL.
 *
 * stats_pairwise_wilcox: R pairwise.wilcox.test(x, g, p.adjust.method):
 * each pair by stats_rank_sum() without interval (exact or not as R
 * decides per pair); a pair whose values are all tied has p NaN, as R's
 * NA, and is left out of the family.
 */
int stats_pairwise_t(const struct stats_desc *g, size_t k,
    enum stats_padjust method, double *p_raw, double *p_adj,
    enum stats_why *why);
int stats_pairwise_wilcox(const double *x, const size_t *g, size_t n,
    size_t k, enum stats_padjust method, double *p_raw, double *p_adj);

/* ---------------------------------------------------------------------
 * Tables: any size, strata, relative risk.
 */

/*
 * Fisher's exact test of an nr x nc table (nr, nc >= 2), two-sided.
 * R: fisher.test(tab)$p.value with its defaults: 2 x 2 tables as
 * stats_fisher_2x2(); larger ones by R's criterion (FEXACT: a table
 * counts when its probability is at most the observed one times
 * exp(3.45254e-7)), computed exactly by a network algorithm of our own
 * (tables as paths through the columns, nodes the multisets of row
 * totals left, each node's paths grouped by probability and either
 * settled at once by bounds on what can follow or expanded). R's
 * simulate.p.value is not used: where R's workspace would run out, the
 * exact sum is still computed, up to work_max path lengths handled (0: the
 * default, 2e6); beyond that the result is STATS_TOO_LARGE and the
 * caller falls back to the chi-square test. Rows and columns whose
 * total is 0 are left out, as they do not change the test; with fewer
 * than 2 of either left, p = 1 (R: 1). An empty table: STATS_EMPTY.
 */
int stats_fisher(const uint64_t *tab, size_t nr, size_t nc, size_t work_max,
    struct stats_fisher *out);

/*
 * Mantel-Haenszel test and common odds ratio of k 2 x 2 tables (strata),
 * tabs[4 s .. 4 s + 3] the table {a, b, c, d} of stratum s. R:
 * mantelhaen.test(array(c(a, c, b, d, ...), c(2, 2, k))) with its
 * defaults (correct = TRUE: the continuity correction 0.5 when |sum of
 * a - E(a)| >= 0.5): statistic, df 1, p.value, the Mantel-Haenszel
 * estimate sum(a d / n) / sum(b c / n) and its interval from the
 * Robins-Breslow-Greenland variance. A stratum with fewer than 2
 * respondents: STATS_N_TOO_SMALL (R: an error); the test has variance 0
 * (every stratum with a zero margin): STATS_ZERO_MARGIN; the estimate
 * is 0 or infinite (why_or STATS_ZERO_MARGIN: no interval).
 */
struct stats_mh {
	size_t k;
	double stat, df, p;
	int yates;
	double or_est, ci_lo, ci_hi;
	enum stats_why why, why_or;
};

int stats_mantel_haenszel(const uint64_t *tabs, size_t k, struct stats_mh *out);

/*
 * Relative risk p1 / p2 (p1 = a / (a + b), p2 = c / (c + d)) with the
 * log (Katz) interval exp(log(rr) -+ qnorm(.975) sqrt(1/a - 1/(a + b) +
 * 1/c - 1/(c + d))). When a or c is 0, 0.5 is added to every cell first
 * (`corrected`), as for the odds ratio. A group with no one in it:
 * STATS_EMPTY; no one with the outcome in either group (a = c = 0):
 * STATS_ZERO_MARGIN. R: written out in tests/reference/stats_methods.R
 * (base R has no such function).
 */
struct stats_rr {
	double est, log_se;
	double ci_lo, ci_hi;
	int corrected;
	enum stats_why why;
};

int stats_relative_risk(const uint64_t tab[4], struct stats_rr *out);

/* ---------------------------------------------------------------------
 * Regression. x is the n x k matrix of predictors, row-major
 * (x[i * k + j] is predictor j of observation i); with `intercept` a
 * column of ones is prepended, so coefficient 0 is the intercept and
 * coefficient j + 1 belongs to predictor j; p = k + (intercept ? 1 : 0).
 * Factors are coded by the caller (0/1 dummies). The linear algebra is a
 * Householder QR (GSL) of the design with its columns scaled to unit
 * length. Rank deficiency is handled as R's lm() and glm.fit() do
 * (dqrdc2): a column whose part not explained by the kept columns before
 * it is below 1e-7 of its length (1e-11 in the logistic fit) is aliased,
 * left out of the fit and reported (`aliased`, `naliased`; R prints NA
 * for it), and every other coefficient is estimated as R estimates it.
 * Put the coefficient of interest first: a later column is the one
 * dropped. With fewer observations than columns the columns after the
 * first n independent ones are aliased.
 * On success (return 0) coef always holds p entries (NaN where not
 * computed); free them with stats_ols_free() / stats_logit_free().
 * Every interval is two-sided 95%.
 */
struct stats_coef {
	double est, se, stat, p;         /* stat: t (OLS) or z (logistic) */
	double lo, hi;                   /* confint(): est -+ q se, q of t or z */
	double hc3_se, hc3_stat, hc3_p;  /* OLS only; NaN in the logistic fit */
	double hc3_lo, hc3_hi;           /* lmtest::coefci(fit, vcov = HC3) */
	int aliased;                     /* 1: left out (R: NA); all else NaN */
};

/*
 * Ordinary least squares. R: lm(y ~ x) and summary(): coefficients,
 * classical standard errors, t and p (t distribution, n - rank df),
 * confint() (t quantile), sigma, r.squared, adj.r.squared, fstatistic
 * (overall F test of the coefficients other than the intercept, when
 * there is one to test) with pf(), AIC(); sandwich::vcovHC(fit, type =
 * "HC3") for the robust standard errors, with t, p and interval from
 * the same t distribution (lmtest::coeftest() / coefci() with that
 * covariance).
 * why: STATS_EMPTY (n == 0); STATS_SINGULAR only when no column is left
 * (every column 0).
 * why_se: also STATS_NO_DF when n == rank (exact fit).
 * why_hc3: also STATS_LEVERAGE_ONE when an observation has leverage 1
 * (R: hatvalues > 1 - 10 * DBL_EPSILON; sandwich then gives NaN).
 */
struct stats_ols {
	size_t n, p;
	size_t rank, naliased; /* rank + naliased == p */
	double df;      /* residual degrees of freedom n - rank */
	double rss, sigma, r2, adj_r2;
	double f, f_df1, f_df2, f_p; /* NaN when there is nothing to test */
	double aic;     /* AIC(fit): rank + 1 parameters (sigma counts) */
	struct stats_coef *coef;
	enum stats_why why, why_se, why_hc3;
};

int stats_ols(const double *y, const double *x, size_t n, size_t k,
    int intercept, struct stats_ols *out);
void stats_ols_free(struct stats_ols *fit);

/*
 * Logistic regression by iteratively reweighted least squares, step for
 * step as R's glm.fit(family = binomial()): same start (mu = (y + .5) / 2),
 * same clamped logit inverse, convergence when |dev - dev_old| /
 * (|dev| + 0.1) < 1e-8, at most 25 iterations, standard errors from the
 * weighted QR of the last iteration, z and p from the normal distribution.
 * R: glm(y ~ x, family = binomial): coef(), summary()$coefficients,
 * confint.default() (the Wald interval est -+ qnorm(.975) se; R 4.2's
 * confint() profiles the likelihood instead), deviance, null.deviance,
 * df.residual, df.null, aic (deviance + 2 rank), iter, converged. y must
 * be 0 or 1 (STATS_E_INVAL otherwise).
 * why: STATS_ZERO_VARIANCE when y is all 0 or all 1; STATS_NO_DF when
 * n <= rank; STATS_SEPARATION
 * when the maximum likelihood estimate does not exist (complete or
 * quasi-complete separation): ten more Newton steps past R's stopping
 * point still move some linear predictor by more than 1e-3 (at a finite
 * maximum the steps shrink quadratically to rounding noise; under
 * separation they keep a size near 1), or the weighted design of an
 * iteration turns singular because the weights collapse. The estimates
 * are then filled in if the iteration ran to its end, but they are
 * meaningless: report the reason. STATS_NO_CONVERGENCE when 25
 * iterations did not converge.
 * fitted_01 is R's warning condition "fitted probabilities numerically 0
 * or 1 occurred" (a fitted value within 10 * DBL_EPSILON of 0 or 1). It
 * is not a reason: R gives it for complete separation, but also for a
 * strong predictor with extreme values, where the estimate exists; and
 * it misses most quasi-complete separations.
 */
struct stats_logit {
	size_t n, p;
	size_t rank, naliased;
	double df_residual, df_null; /* n - rank, n - (intercept ? 1 : 0) */
	int iter, converged;
	int fitted_01;
	double deviance, null_deviance, aic;
	struct stats_coef *coef;
	enum stats_why why;
};

int stats_logit(const double *y, const double *x, size_t n, size_t k,
    int intercept, struct stats_logit *out);
void stats_logit_free(struct stats_logit *fit);

#endif
