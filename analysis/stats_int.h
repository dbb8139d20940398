/*
 * Internals shared by the files of the statistics library (stats.c,
 * stats_tests.c, stats_regress.c, stats_rank.c, stats_groups.c,
 * stats_fisher.c): R's mean and variance algorithm, the normal and t
 * quantiles and tail areas every interval and test uses, the Wilson
 * interval that both proportions and the Newcombe risk difference need,
 * R's cor() and rank(), and R's root finder. Not part of the API:
 * include stats.h instead (tests may include it to check the helpers).
 */
#ifndef CANDOR_STATS_INT_H
#define CANDOR_STATS_INT_H

#include <stddef.h>
#include <stdint.h>

/* Are all n values finite? (The API takes complete data only.) */
int statsi_all_finite(const double *x, size_t n);

/*
 * R's mean(x) and var(x): a long double sum, refined by a second pass
 * (mean += sum(x - mean) / n), then the long double sum of squared
 * deviations over n - 1. n >= 1; *var is NaN when n < 2.
 */
void statsi_mean_var(const double *x, size_t n, double *mean, double *var);

/* qnorm(0.975) and qt(0.975, df); NaN if GSL fails. */
double statsi_z975(void);
double statsi_t975(double df);

/*
 * 2 * pt(-|t|, df), R's two-sided t p-value, from the regularized
 * incomplete beta function (accurate in the far tail); pt(t, df,
 * lower.tail = lower) likewise; 2 * pnorm(-|z|).
 */
double statsi_p_t2(double t, double df);
double statsi_pt(double t, double df, int lower);
double statsi_p_z2(double z);

/*
 * Wilson score interval of x / n without continuity correction, exactly
 * as R's prop.test(x, n, correct = FALSE) computes it. n > 0.
 */
void statsi_wilson(uint64_t x, uint64_t n, double *lo, double *hi);

/*
 * R's cor(x, y) of two complete vectors (n >= 2): NaN when either is
 * constant.
 */
double statsi_cor(const double *x, const double *y, size_t n);

/*
 * R's rank(x) (ties get their average rank) into r[0..n-1]; *ties (may
 * be NULL) gets sum(t^3 - t) over the groups of tied values, the term
 * every tie correction needs. STATS_RC_OK or STATS_E_NOMEM.
 */
int statsi_midranks(const double *x, size_t n, double *r, double *ties);

/*
 * R's uniroot() for a root of f between ax < bx, f(ax) = fa and
 * f(bx) = fb of opposite signs (or zero): the Brent-Dekker iteration
 * R_zeroin2() runs (bisection, secant and inverse quadratic steps,
 * tolerance 2 eps |b| + tol / 2, at most maxit steps), with every value
 * f gives that is not finite replaced by +-DBL_MAX as R does, so that
 * the root found is R's to the last bit for the same f. Returns the
 * root; *iter (may be NULL) the steps taken, -1 if maxit was reached.
 */
double statsi_zeroin(double (*f)(double, void *), void *ctx, double ax,
    double bx, double fa, double fb, double tol, int maxit, int *iter);

/* R's signif(x, digits) for digits >= 1 (rounding half to even). */
double statsi_signif(double x, int digits);

#endif
