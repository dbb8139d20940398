/*
 * Internals shared by the files of the statistics library (stats.c,
 * stats_tests.c, stats_regress.c): R's mean and variance algorithm, the
 * normal and t quantiles and tail areas every interval and test uses, and
 * the Wilson interval that both proportions and the Newcombe risk
 * difference need. Not part of the API: include stats.h instead.
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

/* 2 * pt(-|t|, df), R's two-sided t p-value; 2 * pnorm(-|z|) likewise. */
double statsi_p_t2(double t, double df);
double statsi_p_z2(double z);

/*
 * Wilson score interval of x / n without continuity correction, exactly
 * as R's prop.test(x, n, correct = FALSE) computes it. n > 0.
 */
void statsi_wilson(uint64_t x, uint64_t n, double *lo, double *hi);

#endif
