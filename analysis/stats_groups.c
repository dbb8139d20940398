/*
 * Paired t-test, Pearson's correlation, comparisons of more than two
 * groups from their descriptives (classic and Welch one-way ANOVA,
 * pairwise t-tests with a pooled SD), and the table statistics that go
 * beyond one 2 x 2 table: relative risk, the Mantel-Haenszel test over
 * strata, and the choice between chi-square and Fisher's exact test.
 * See stats.h for the contracts and the R call each one reproduces.
 *
 * The group comparisons take stats_desc values, so they run the same
 * from the sorted path and from per-value counts; R's formulas are
 * followed term for term (oneway.test(), pairwise.t.test(),
 * mantelhaen.test()), in double as R computes them.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "stats.h"
#include "stats_int.h"

/* ------------------------------------------------------------------ */
/* Paired t.                                                           */

int
stats_paired_t(const double *x, const double *y, size_t n,
    struct stats_paired_t *out)
{
	struct stats_desc d;
	double *dif;
	int rc;

	if (out == NULL || ((x == NULL || y == NULL) && n > 0))
		return STATS_E_INVAL;
	if (!statsi_all_finite(x, n) || !statsi_all_finite(y, n))
		return STATS_E_INVAL;
	out->n = n;
	out->diff = out->sd = out->se = out->t = out->df = out->p = NAN;
	out->ci_lo = out->ci_hi = NAN;
	if (n > SIZE_MAX / sizeof(*dif) ||
	    (dif = malloc((n ? n : 1) * sizeof(*dif))) == NULL)
		return STATS_E_NOMEM;
	for (size_t i = 0; i < n; i++)
		dif[i] = x[i] - y[i];
	rc = stats_describe(dif, n, &d);
	free(dif);
	if (rc != STATS_RC_OK)
		return rc;
	/* t.test(x, y, paired = TRUE) is t.test(x - y). */
	out->diff = d.mean;
	out->why = d.why_ci;
	if (d.why_sd != STATS_OK)
		return STATS_RC_OK;
	out->sd = d.sd;
	out->se = d.se;
	out->df = (double)n - 1.0;
	if (d.why_ci != STATS_OK)
		return STATS_RC_OK;
	out->t = d.mean / d.se;
	out->p = statsi_p_t2(out->t, out->df);
	out->ci_lo = d.ci_lo;
	out->ci_hi = d.ci_hi;
	if (!isfinite(out->p))
		out->why = STATS_NUMERIC;
	return STATS_RC_OK;
}

/* ------------------------------------------------------------------ */
/* Pearson.                                                            */

int
stats_pearson(const double *x, const double *y, size_t n,
    struct stats_pearson *out)
{
	if (out == NULL || ((x == NULL || y == NULL) && n > 0))
		return STATS_E_INVAL;
	if (!statsi_all_finite(x, n) || !statsi_all_finite(y, n))
		return STATS_E_INVAL;
	out->n = n;
	out->r = out->t = out->df = out->p = out->ci_lo = out->ci_hi = NAN;
	out->why = out->why_ci = STATS_FEW_PAIRS;
	if (n < 3)
		return STATS_RC_OK;
	double r = statsi_cor(x, y, n), dn = (double)n;
	if (isnan(r)) {
		out->why = out->why_ci = STATS_ZERO_VARIANCE;
		return STATS_RC_OK;
	}
	out->r = r;
	out->df = dn - 2.0;
	out->t = sqrt(out->df) * r / sqrt(1.0 - r * r);
	out->p = statsi_p_t2(out->t, out->df);
	out->why = isfinite(out->p) ? STATS_OK : STATS_NUMERIC;
	out->why_ci = STATS_N_TOO_SMALL;
	if (n > 3) {
		double z = atanh(r), sigma = 1.0 / sqrt(dn - 3.0);
		double q = statsi_z975();
		out->ci_lo = tanh(z - sigma * q);
		out->ci_hi = tanh(z + sigma * q);
		out->why_ci = STATS_OK;
	}
	return STATS_RC_OK;
}

/* ------------------------------------------------------------------ */
/* k groups from descriptives.                                         */

/*
 * Count the nonempty groups and their values; the reason a k-group
 * comparison cannot run (every nonempty group needs 2 values, as R's
 * oneway.test()).
 */
static enum stats_why
groups_why(const struct stats_desc *g, size_t k, size_t *kk, uint64_t *n)
{
	enum stats_why why = STATS_OK;

	*kk = 0;
	*n = 0;
	for (size_t i = 0; i < k; i++) {
		if (g[i].n == 0)
			continue;
		(*kk)++;
		*n += g[i].n;
		if (g[i].n < 2)
			why = STATS_N_TOO_SMALL;
		else if (!isfinite(g[i].mean) || !isfinite(g[i].var))
			why = STATS_NUMERIC;
	}
	return *kk < 2 ? STATS_FEW_GROUPS : why;
}

static void
anova_clear(struct stats_anova *out)
{
	out->k = 0;
	out->n = 0;
	out->f = out->df1 = out->df2 = out->p = NAN;
	out->ss_between = out->ss_within = NAN;
	out->why = STATS_EMPTY;
}

int
stats_anova(const struct stats_desc *g, size_t k, struct stats_anova *out)
{
	long double sum = 0.0L, ssb = 0.0L, ssw = 0.0L;

	if (out == NULL || (g == NULL && k > 0))
		return STATS_E_INVAL;
	anova_clear(out);
	if ((out->why = groups_why(g, k, &out->k, &out->n)) != STATS_OK)
		return STATS_RC_OK;
	for (size_t i = 0; i < k; i++)
		if (g[i].n > 0)
			sum += (long double)g[i].n * g[i].mean;
	double dn = (double)out->n, dk = (double)out->k;
	double grand = (double)(sum / (long double)out->n);
	for (size_t i = 0; i < k; i++) {
		if (g[i].n == 0)
			continue;
		double dm = g[i].mean - grand;
		ssb += (long double)g[i].n * dm * dm;
		ssw += ((long double)g[i].n - 1.0L) * g[i].var;
	}
	out->ss_between = (double)ssb;
	out->ss_within = (double)ssw;
	out->df1 = dk - 1.0;
	out->df2 = dn - dk;
	if (!(out->ss_within > 0.0)) {
		out->why = STATS_ZERO_VARIANCE;
		return STATS_RC_OK;
	}
	out->f = (out->ss_between / out->df1) / (out->ss_within / out->df2);
	out->p = gsl_cdf_fdist_Q(out->f, out->df1, out->df2);
	out->why = isfinite(out->p) ? STATS_OK : STATS_NUMERIC;
	return STATS_RC_OK;
}

int
stats_welch_anova(const struct stats_desc *g, size_t k,
    struct stats_anova *out)
{
	long double sw = 0.0L, swm = 0.0L, tmp = 0.0L, num = 0.0L;

	if (out == NULL || (g == NULL && k > 0))
		return STATS_E_INVAL;
	anova_clear(out);
	if ((out->why = groups_why(g, k, &out->k, &out->n)) != STATS_OK)
		return STATS_RC_OK;
	out->df1 = (double)out->k - 1.0;
	for (size_t i = 0; i < k; i++)
		if (g[i].n > 0 && !(g[i].var > 0.0)) {
			out->why = STATS_ZERO_VARIANCE;
			return STATS_RC_OK;
		}
	/* oneway.test(var.equal = FALSE), term for term. */
	for (size_t i = 0; i < k; i++) {
		if (g[i].n == 0)
			continue;
		double w = (double)g[i].n / g[i].var;
		sw += w;
		swm += (long double)w * g[i].mean;
	}
	double dk = (double)out->k, m = (double)(swm / sw);
	for (size_t i = 0; i < k; i++) {
		if (g[i].n == 0)
			continue;
		double w = (double)g[i].n / g[i].var, a = 1.0 - w / (double)sw;
		tmp += (long double)a * a / ((double)g[i].n - 1.0);
		num += (long double)w * (g[i].mean - m) * (g[i].mean - m);
	}
	double t = (double)tmp / (dk * dk - 1.0);
	out->df1 = dk - 1.0;
	out->df2 = 1.0 / (3.0 * t);
	out->f = (double)num / ((dk - 1.0) * (1.0 + 2.0 * (dk - 2.0) * t));
	out->p = gsl_cdf_fdist_Q(out->f, out->df1, out->df2);
	out->why = isfinite(out->p) ? STATS_OK : STATS_NUMERIC;
	return STATS_RC_OK;
}

int
stats_pairwise_t(const struct stats_desc *g, size_t k,
    enum stats_padjust method, double *p_raw, double *p_adj,
    enum stats_why *why)
{
	long double ss = 0.0L, df = 0.0L;
	size_t kk = 0;
	enum stats_why w = STATS_OK;

	if (g == NULL || p_raw == NULL || p_adj == NULL || k == 0 ||
	    k > SIZE_MAX / k || (unsigned)method >= STATS_PADJUST__MAX)
		return STATS_E_INVAL;
	for (size_t i = 0; i < k * k; i++)
		p_raw[i] = p_adj[i] = NAN;
	for (size_t i = 0; i < k; i++) {
		if (g[i].n == 0)
			continue;
		kk++;
		if (g[i].n < 2) {
			w = STATS_N_TOO_SMALL;
			continue;
		}
		/* sum(s^2 * degf) / sum(degf), with R's s = sd(x). */
		ss += (long double)g[i].sd * g[i].sd * ((double)g[i].n - 1.0);
		df += (long double)g[i].n - 1.0L;
	}
	if (kk < 2)
		w = STATS_FEW_GROUPS;
	double s = w == STATS_OK ? sqrt((double)(ss / df)) : NAN;
	if (w == STATS_OK && !(s > 0.0))
		w = STATS_ZERO_VARIANCE;
	if (why)
		*why = w;
	if (w != STATS_OK)
		return STATS_RC_OK;
	for (size_t i = 1; i < k; i++)
		for (size_t j = 0; j < i; j++) {
			if (g[i].n == 0 || g[j].n == 0)
				continue;
			double se = s * sqrt(1.0 / (double)g[i].n +
			    1.0 / (double)g[j].n);
			double t = (g[i].mean - g[j].mean) / se;
			p_raw[i * k + j] = statsi_p_t2(t, (double)df);
		}
	return stats_p_adjust(p_raw, k * k, method, p_adj);
}

/* ------------------------------------------------------------------ */
/* Relative risk, Mantel-Haenszel, the test of a table.                */

int
stats_relative_risk(const uint64_t tab[4], struct stats_rr *out)
{
	if (out == NULL || tab == NULL)
		return STATS_E_INVAL;
	out->est = out->log_se = out->ci_lo = out->ci_hi = NAN;
	out->corrected = 0;
	double a = (double)tab[0], b = (double)tab[1];
	double c = (double)tab[2], d = (double)tab[3];
	if (a + b == 0.0 || c + d == 0.0) {
		out->why = STATS_EMPTY;
		return STATS_RC_OK;
	}
	if (a + c == 0.0) {
		out->why = STATS_ZERO_MARGIN;
		return STATS_RC_OK;
	}
	if (a == 0.0 || c == 0.0) {
		a += 0.5;
		b += 0.5;
		c += 0.5;
		d += 0.5;
		out->corrected = 1;
	}
	double n1 = a + b, n2 = c + d;
	out->est = (a / n1) / (c / n2);
	out->log_se = sqrt(1.0 / a - 1.0 / n1 + 1.0 / c - 1.0 / n2);
	double z = statsi_z975();
	out->ci_lo = exp(log(out->est) - z * out->log_se);
	out->ci_hi = exp(log(out->est) + z * out->log_se);
	out->why = STATS_OK;
	return STATS_RC_OK;
}

int
stats_mantel_haenszel(const uint64_t *tabs, size_t k, struct stats_mh *out)
{
	long double delta = 0.0L, var = 0.0L, sd = 0.0L, so = 0.0L;
	long double v1 = 0.0L, v2 = 0.0L, v3 = 0.0L;

	if (out == NULL || tabs == NULL || k == 0 || k > SIZE_MAX / 4)
		return STATS_E_INVAL;
	out->k = k;
	out->stat = out->p = out->or_est = out->ci_lo = out->ci_hi = NAN;
	out->df = 1.0;
	out->yates = 0;
	out->why = out->why_or = STATS_OK;
	for (size_t s = 0; s < k; s++) {
		const uint64_t *t = tabs + 4 * s;
		double a = (double)t[0], b = (double)t[1];
		double c = (double)t[2], d = (double)t[3];
		double n = a + b + c + d;
		if (n < 2.0) {
			out->why = out->why_or = STATS_N_TOO_SMALL;
			return STATS_RC_OK;
		}
		double r1 = a + b, r2 = c + d, c1 = a + c, c2 = b + d;
		delta += a - r1 * c1 / n;
		var += r1 * r2 * c1 * c2 / (n * n * (n - 1.0));
		sd += a * d / n;
		so += b * c / n;
		/* Robins-Breslow-Greenland terms. */
		v1 += (a + d) * a * d / (n * n);
		v2 += ((a + d) * b * c + (b + c) * a * d) / (n * n);
		v3 += (b + c) * b * c / (n * n);
	}
	double dd = fabs((double)delta);
	double yates = dd >= 0.5 ? 0.5 : 0.0;
	out->yates = yates > 0.0;
	if (!(var > 0.0L)) {
		out->why = STATS_ZERO_MARGIN;
	} else {
		out->stat = (dd - yates) * (dd - yates) / (double)var;
		out->p = gsl_cdf_chisq_Q(out->stat, 1.0);
		if (!isfinite(out->p))
			out->why = STATS_NUMERIC;
	}
	if (!(sd > 0.0L) || !(so > 0.0L)) {
		out->why_or = STATS_ZERO_MARGIN;
		if (so > 0.0L || sd > 0.0L)
			out->or_est = (double)(sd / so);
		return STATS_RC_OK;
	}
	double sdd = (double)sd, sod = (double)so;
	out->or_est = sdd / sod;
	double se = sqrt((double)v1 / (2.0 * sdd * sdd) +
	    (double)v2 / (2.0 * sdd * sod) + (double)v3 / (2.0 * sod * sod));
	double z = statsi_z975();
	out->ci_lo = out->or_est * exp(-z * se);
	out->ci_hi = out->or_est * exp(z * se);
	return STATS_RC_OK;
}

int
stats_table_test(const uint64_t *tab, size_t nr, size_t nc,
    struct stats_table_test *out)
{
	struct stats_fisher fi;
	int rc;

	if (out == NULL)
		return STATS_E_INVAL;
	out->fisher = 0;
	out->p = NAN;
	out->fisher_why = STATS_EMPTY;
	if ((rc = stats_chisq(tab, nr, nc, 1, &out->chi)) != STATS_RC_OK)
		return rc;
	out->why = out->chi.why;
	out->p = out->chi.p;
	if (out->chi.why == STATS_EMPTY)
		return STATS_RC_OK;
	if (!(out->chi.min_expected < 5.0))
		return STATS_RC_OK;
	if ((rc = stats_fisher(tab, nr, nc, 0, &fi)) != STATS_RC_OK)
		return rc;
	out->fisher_why = fi.why;
	if (fi.why != STATS_OK)
		return STATS_RC_OK;
	out->fisher = 1;
	out->p = fi.p;
	out->why = STATS_OK;
	return STATS_RC_OK;
}
