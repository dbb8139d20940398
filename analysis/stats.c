/*
 * Descriptive statistics, proportions and multiplicity adjustment (see
 * stats.h for the contracts), plus the small numerical helpers the other
 * files of the library share (stats_int.h).
 *
 * Descriptives have two paths that must give the same numbers. The
 * general one sorts one copy of the data and reads the quartiles, the
 * median, the extremes and the moments from it. The counts one works on a
 * vector of per-value counts, which is how the analysis holds a 0-10 item
 * of a million responses: the sum of the values is exact in 64-bit
 * integers, the sum of squares is taken around the exact mean in long
 * double, and an order statistic is found by walking the cumulative
 * counts, so the whole summary costs O(range) after the O(n) tally.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_sort.h>

#include "stats.h"
#include "stats_int.h"

static const char *const why_text[STATS_WHY__MAX] = {
	"computed",                               /* STATS_OK */
	"no values",                              /* STATS_EMPTY */
	"fewer than 2 values",                    /* STATS_N_TOO_SMALL */
	"fewer than 3 pairs",                     /* STATS_FEW_PAIRS */
	"all values equal",                       /* STATS_ZERO_VARIANCE */
	"a row or column total is zero",          /* STATS_ZERO_MARGIN */
	"complete or quasi-complete separation",  /* STATS_SEPARATION */
	"predictors are collinear",               /* STATS_SINGULAR */
	"no residual degrees of freedom",         /* STATS_NO_DF */
	"an observation has leverage 1",          /* STATS_LEVERAGE_ONE */
	"did not converge",                       /* STATS_NO_CONVERGENCE */
	"numerical failure",                      /* STATS_NUMERIC */
	"table too large for the exact test",     /* STATS_TOO_LARGE */
	"fewer than 2 groups with values",        /* STATS_FEW_GROUPS */
};

const char *
stats_why_text(enum stats_why why)
{
	if ((unsigned)why >= STATS_WHY__MAX)
		return "unknown reason";
	return why_text[why];
}

/* ------------------------------------------------------------------ */
/* Shared helpers (stats_int.h).                                       */

int
statsi_all_finite(const double *x, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isfinite(x[i]))
			return 0;
	return 1;
}

void
statsi_mean_var(const double *x, size_t n, double *mean, double *var)
{
	long double s = 0.0L, m, t = 0.0L;

	for (size_t i = 0; i < n; i++)
		s += x[i];
	m = s / (long double)n;
	if (isfinite((double)m)) {
		for (size_t i = 0; i < n; i++)
			t += x[i] - m;
		m += t / (long double)n;
	}
	*mean = (double)m;
	if (n < 2) {
		*var = NAN;
		return;
	}
	/* R's var() centres on the mean rounded to double. */
	double md = (double)m;
	long double ss = 0.0L;
	for (size_t i = 0; i < n; i++) {
		long double d = (long double)x[i] - md;
		ss += d * d;
	}
	*var = (double)(ss / (long double)(n - 1));
}

double
statsi_z975(void)
{
	return gsl_cdf_ugaussian_Pinv((1.0 + STATS_LEVEL) / 2.0);
}

double
statsi_t975(double df)
{
	if (!(df > 0.0))
		return NAN;
	return gsl_cdf_tdist_Pinv((1.0 + STATS_LEVEL) / 2.0, df);
}

/*
 * The t tail areas come from the regularized incomplete beta function,
 * P(|T| > |t|) = I_x(df / 2, 1 / 2) with x = df / (df + t^2), and not from
 * gsl_cdf_tdist_P(): above 30 df that switches to a Cornish-Fisher
 * expansion whose relative error in the far tail reaches 1e-7 (df 60,
 * t 20), where the incomplete beta agrees with R's pt() to 1e-14. A
 * result below the smallest double is 0, as in R.
 */
double
statsi_p_t2(double t, double df)
{
	gsl_sf_result r;
	int st;

	if (isnan(t) || !(df > 0.0))
		return NAN;
	if (isinf(t))
		return 0.0;
	if (t == 0.0)
		return 1.0;
	double a = df / 2.0, x = df / (df + t * t);
	/*
	 * Far below the smallest double (the log of the leading factor
	 * x^a (1 - x)^(1/2) / (a B(a, 1/2)) under -728): 0 without asking
	 * GSL, which would report an underflow.
	 */
	double lpre = a * log(x) + 0.5 * log1p(-x) - log(a) -
	    gsl_sf_lnbeta(a, 0.5);
	if (lpre < -728.0)
		return 0.0;
	st = gsl_sf_beta_inc_e(a, 0.5, x, &r);
	if (st == GSL_EUNDRFLW)
		return 0.0;
	if (st != GSL_SUCCESS || !isfinite(r.val))
		return NAN;
	return r.val > 1.0 ? 1.0 : r.val < 0.0 ? 0.0 : r.val;
}

double
statsi_pt(double t, double df, int lower)
{
	double half;

	if (isnan(t) || !(df > 0.0))
		return NAN;
	half = statsi_p_t2(t, df) / 2.0; /* the tail beyond |t| */
	if (isnan(half))
		return NAN;
	/* pt(t, lower = TRUE) is the small tail when t < 0. */
	return (t < 0.0) == (lower != 0) ? half : 1.0 - half;
}

double
statsi_p_z2(double z)
{
	if (isnan(z))
		return NAN;
	if (isinf(z))
		return 0.0;
	return 2.0 * gsl_cdf_ugaussian_P(-fabs(z));
}

void
statsi_wilson(uint64_t x, uint64_t n, double *lo, double *hi)
{
	double dn = (double)n;
	double est = (double)x / dn;
	double z = statsi_z975();
	double z22n = z * z / (2.0 * dn);
	double root = z * sqrt(est * (1.0 - est) / dn + z22n / (2.0 * dn));

	/* R's prop.test() with YATES = 0, term for term. */
	*hi = est >= 1.0 ? 1.0 : (est + z22n + root) / (1.0 + 2.0 * z22n);
	*lo = est <= 0.0 ? 0.0 : (est + z22n - root) / (1.0 + 2.0 * z22n);
}

/* ------------------------------------------------------------------ */
/* Descriptives.                                                       */

static void
desc_clear(struct stats_desc *d)
{
	d->n = 0;
	d->mean = d->var = d->sd = d->se = NAN;
	d->ci_lo = d->ci_hi = NAN;
	d->min = d->q1 = d->median = d->q3 = d->max = NAN;
	d->why = d->why_sd = d->why_ci = STATS_EMPTY;
}

/*
 * From n, mean and var: sd, se and the t interval, exactly as t.test(x)
 * computes them (se = sqrt(var / n); the interval is (t -+ q) * se).
 */
static void
desc_finish(struct stats_desc *d)
{
	d->why = d->n > 0 ? STATS_OK : STATS_EMPTY;
	if (d->n < 2) {
		d->why_sd = d->why_ci = d->n == 0 ? STATS_EMPTY : STATS_N_TOO_SMALL;
		return;
	}
	double dn = (double)d->n;
	d->sd = sqrt(d->var);
	d->se = sqrt(d->var / dn);
	d->why_sd = STATS_OK;
	if (!(d->se > 0.0) || d->se < 10.0 * DBL_EPSILON * fabs(d->mean)) {
		d->why_ci = STATS_ZERO_VARIANCE;
		return;
	}
	double q = statsi_t975(dn - 1.0);
	if (!isfinite(q)) {
		d->why_ci = STATS_NUMERIC;
		return;
	}
	double t = d->mean / d->se;
	d->ci_lo = (t - q) * d->se;
	d->ci_hi = (t + q) * d->se;
	d->why_ci = STATS_OK;
}

/* R type 7, with the 1-based index arithmetic R uses. */
static void
type7_pos(uint64_t n, double prob, uint64_t *j, double *h)
{
	double index = 1.0 + (double)(n - 1) * prob;
	double lo = floor(index);

	*j = (uint64_t)lo - 1; /* 0-based */
	*h = index - lo;
	if (*j > n - 1) /* defensive: prob == 1 rounding */
		*j = n - 1;
}

static double
type7_combine(double a, double b, double h)
{
	if (h > 0.0 && b != a)
		return (1.0 - h) * a + h * b;
	return a;
}

int
stats_quantile_sorted(const double *sorted, size_t n, double prob, double *q)
{
	uint64_t j;
	double h;

	if (q == NULL || (sorted == NULL && n > 0) || !(prob >= 0.0 && prob <= 1.0))
		return STATS_E_INVAL;
	if (n == 0) {
		*q = NAN;
		return STATS_RC_OK;
	}
	type7_pos(n, prob, &j, &h);
	*q = type7_combine(sorted[j], j + 1 < n ? sorted[j + 1] : sorted[j], h);
	return STATS_RC_OK;
}

int
stats_describe_sorted(const double *s, size_t n, struct stats_desc *out)
{
	if (out == NULL || (s == NULL && n > 0))
		return STATS_E_INVAL;
	desc_clear(out);
	if (!statsi_all_finite(s, n))
		return STATS_E_INVAL;
	for (size_t i = 1; i < n; i++)
		if (s[i] < s[i - 1])
			return STATS_E_INVAL;
	out->n = n;
	if (n == 0)
		return STATS_RC_OK;
	statsi_mean_var(s, n, &out->mean, &out->var);
	out->min = s[0];
	out->max = s[n - 1];
	(void)stats_quantile_sorted(s, n, 0.25, &out->q1);
	(void)stats_quantile_sorted(s, n, 0.5, &out->median);
	(void)stats_quantile_sorted(s, n, 0.75, &out->q3);
	desc_finish(out);
	return STATS_RC_OK;
}

int
stats_describe(const double *x, size_t n, struct stats_desc *out)
{
	double *copy;
	int rc;

	if (out == NULL || (x == NULL && n > 0))
		return STATS_E_INVAL;
	desc_clear(out);
	if (n == 0)
		return STATS_RC_OK;
	if (!statsi_all_finite(x, n)) /* NaN would break the sort */
		return STATS_E_INVAL;
	if (n > SIZE_MAX / sizeof(*copy))
		return STATS_E_NOMEM;
	if ((copy = malloc(n * sizeof(*copy))) == NULL)
		return STATS_E_NOMEM;
	memcpy(copy, x, n * sizeof(*copy));
	gsl_sort(copy, 1, n);
	rc = stats_describe_sorted(copy, n, out);
	free(copy);
	return rc;
}

/* Validate a counts vector and return its total in *n. */
static int
counts_total(const uint64_t *counts, size_t nvals, uint64_t *n)
{
	uint64_t t = 0;

	if (counts == NULL || nvals == 0 || nvals > STATS_COUNTS_MAX)
		return STATS_E_INVAL;
	for (size_t i = 0; i < nvals; i++) {
		if (counts[i] > UINT64_MAX / STATS_COUNTS_MAX - t)
			return STATS_E_RANGE;
		t += counts[i];
	}
	*n = t;
	return STATS_RC_OK;
}

/* The value (offset from lo) at 0-based rank j of the counted data. */
static size_t
counts_at_rank(const uint64_t *counts, size_t nvals, uint64_t j)
{
	uint64_t cum = 0;

	for (size_t i = 0; i < nvals; i++) {
		cum += counts[i];
		if (j < cum)
			return i;
	}
	return nvals - 1; /* defensive: j < total by construction */
}

static double
counts_quantile(long lo, const uint64_t *counts, size_t nvals, uint64_t n,
    double prob)
{
	uint64_t j;
	double h;

	type7_pos(n, prob, &j, &h);
	double a = (double)lo + (double)counts_at_rank(counts, nvals, j);
	double b = j + 1 < n ?
	    (double)lo + (double)counts_at_rank(counts, nvals, j + 1) : a;
	return type7_combine(a, b, h);
}

int
stats_quantile_counts(long lo, const uint64_t *counts, size_t nvals,
    double prob, double *q)
{
	uint64_t n;
	int rc;

	if (q == NULL || !(prob >= 0.0 && prob <= 1.0))
		return STATS_E_INVAL;
	if ((rc = counts_total(counts, nvals, &n)) != STATS_RC_OK)
		return rc;
	*q = n == 0 ? NAN : counts_quantile(lo, counts, nvals, n, prob);
	return STATS_RC_OK;
}

int
stats_describe_counts(long lo, const uint64_t *counts, size_t nvals,
    struct stats_desc *out)
{
	uint64_t n, s1 = 0;
	size_t i, first, last;
	int rc;

	if (out == NULL)
		return STATS_E_INVAL;
	desc_clear(out);
	if ((rc = counts_total(counts, nvals, &n)) != STATS_RC_OK)
		return rc;
	if (lo < -(1L << 52) || lo > (1L << 52)) /* values exact in a double */
		return STATS_E_RANGE;
	out->n = n;
	if (n == 0)
		return STATS_RC_OK;
	/* Exact: n * (STATS_COUNTS_MAX - 1) < UINT64_MAX by counts_total(). */
	for (i = 0; i < nvals; i++)
		s1 += counts[i] * (uint64_t)i;
	long double off = (long double)s1 / (long double)n;
	out->mean = (double)((long double)lo + off);
	if (n >= 2) {
		long double ss = 0.0L;
		for (i = 0; i < nvals; i++) {
			long double d = (long double)i - off;
			ss += (long double)counts[i] * d * d;
		}
		out->var = (double)(ss / (long double)(n - 1));
	}
	for (first = 0; counts[first] == 0; first++)
		;
	for (last = nvals - 1; counts[last] == 0; last--)
		;
	out->min = (double)lo + (double)first;
	out->max = (double)lo + (double)last;
	out->q1 = counts_quantile(lo, counts, nvals, n, 0.25);
	out->median = counts_quantile(lo, counts, nvals, n, 0.5);
	out->q3 = counts_quantile(lo, counts, nvals, n, 0.75);
	desc_finish(out);
	return STATS_RC_OK;
}

int
stats_tally(const double *x, size_t n, long lo, size_t nvals,
    uint64_t *counts)
{
	if ((x == NULL && n > 0) || counts == NULL || nvals == 0 ||
	    nvals > STATS_COUNTS_MAX)
		return STATS_E_INVAL;
	double dlo = (double)lo, dhi = (double)lo + (double)(nvals - 1);
	for (size_t i = 0; i < n; i++) {
		double v = x[i];
		/* Also rejects NaN: every comparison with it is false. */
		if (!(v >= dlo && v <= dhi) || v != floor(v))
			return STATS_E_RANGE;
		counts[(size_t)(v - dlo)]++;
	}
	return STATS_RC_OK;
}

/* ------------------------------------------------------------------ */
/* Histogram.                                                          */

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/*
 * R's fuzzed breaks (hist.default, right = TRUE, include.lowest = TRUE).
 * range is max(x) - min(x), used only when nbreaks <= 3. fb must hold
 * nbreaks doubles.
 */
static void
fuzz_breaks(const double *b, size_t nb, double range, double *fb)
{
	double diddle;

	if (nb > 5) {
		/* median(diff(breaks)): sort the widths in fb, then overwrite. */
		size_t nh = nb - 1;
		for (size_t i = 0; i < nh; i++)
			fb[i] = b[i + 1] - b[i];
		qsort(fb, nh, sizeof(*fb), cmp_double);
		double med = nh % 2 ? fb[nh / 2] :
		    (fb[nh / 2 - 1] + fb[nh / 2]) / 2.0;
		diddle = 1e-7 * med;
	} else if (nb <= 3) {
		diddle = 1e-7 * range;
	} else {
		double m = INFINITY;
		for (size_t i = 0; i + 1 < nb; i++)
			if (b[i + 1] - b[i] > 0.0 && b[i + 1] - b[i] < m)
				m = b[i + 1] - b[i];
		diddle = 1e-7 * m;
	}
	fb[0] = b[0] - diddle;
	for (size_t i = 1; i < nb; i++)
		fb[i] = b[i] + diddle;
}

/* R's C_BinCount for one value: the bin index, or nb - 1 if outside. */
static size_t
bin_of(double v, const double *fb, size_t nb)
{
	size_t lo = 0, hi = nb - 1;

	if (!(fb[lo] <= v && v <= fb[hi]))
		return nb - 1;
	while (hi - lo >= 2) {
		size_t mid = (hi + lo) / 2;
		if (v > fb[mid])
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static int
breaks_ok(const double *breaks, size_t nbreaks)
{
	if (breaks == NULL || nbreaks < 2 || !statsi_all_finite(breaks, nbreaks))
		return 0;
	for (size_t i = 1; i < nbreaks; i++)
		if (!(breaks[i] > breaks[i - 1]))
			return 0;
	return 1;
}

int
stats_histogram(const double *x, size_t n, const double *breaks,
    size_t nbreaks, uint64_t *bins, uint64_t *outside)
{
	double *fb, mn = INFINITY, mx = -INFINITY;
	uint64_t out = 0;

	if ((x == NULL && n > 0) || bins == NULL || !breaks_ok(breaks, nbreaks))
		return STATS_E_INVAL;
	if (!statsi_all_finite(x, n))
		return STATS_E_INVAL;
	if ((fb = malloc(nbreaks * sizeof(*fb))) == NULL)
		return STATS_E_NOMEM;
	for (size_t i = 0; i < n; i++) {
		if (x[i] < mn)
			mn = x[i];
		if (x[i] > mx)
			mx = x[i];
	}
	fuzz_breaks(breaks, nbreaks, n > 0 ? mx - mn : 0.0, fb);
	memset(bins, 0, (nbreaks - 1) * sizeof(*bins));
	for (size_t i = 0; i < n; i++) {
		size_t k = bin_of(x[i], fb, nbreaks);
		if (k == nbreaks - 1)
			out++;
		else
			bins[k]++;
	}
	free(fb);
	if (outside)
		*outside = out;
	return STATS_RC_OK;
}

int
stats_histogram_counts(long lo, const uint64_t *counts, size_t nvals,
    const double *breaks, size_t nbreaks, uint64_t *bins, uint64_t *outside)
{
	double *fb, range = 0.0;
	uint64_t n, out = 0;
	size_t first, last;
	int rc;

	if (bins == NULL || !breaks_ok(breaks, nbreaks))
		return STATS_E_INVAL;
	if ((rc = counts_total(counts, nvals, &n)) != STATS_RC_OK)
		return rc;
	if (n > 0) {
		for (first = 0; counts[first] == 0; first++)
			;
		for (last = nvals - 1; counts[last] == 0; last--)
			;
		range = (double)(last - first);
	}
	if ((fb = malloc(nbreaks * sizeof(*fb))) == NULL)
		return STATS_E_NOMEM;
	fuzz_breaks(breaks, nbreaks, range, fb);
	memset(bins, 0, (nbreaks - 1) * sizeof(*bins));
	for (size_t i = 0; i < nvals; i++) {
		if (counts[i] == 0)
			continue;
		size_t k = bin_of((double)lo + (double)i, fb, nbreaks);
		if (k == nbreaks - 1)
			out += counts[i];
		else
			bins[k] += counts[i];
	}
	free(fb);
	if (outside)
		*outside = out;
	return STATS_RC_OK;
}

/* ------------------------------------------------------------------ */
/* Proportions.                                                        */

int
stats_proportion(uint64_t x, uint64_t n, struct stats_prop *out)
{
	if (out == NULL || x > n)
		return STATS_E_INVAL;
	out->x = x;
	out->n = n;
	out->p = out->pct = out->ci_lo = out->ci_hi = NAN;
	if (n == 0) {
		out->why = STATS_EMPTY;
		return STATS_RC_OK;
	}
	out->p = (double)x / (double)n;
	out->pct = 100.0 * (double)x / (double)n;
	statsi_wilson(x, n, &out->ci_lo, &out->ci_hi);
	out->why = isfinite(out->ci_lo) && isfinite(out->ci_hi) ?
	    STATS_OK : STATS_NUMERIC;
	return STATS_RC_OK;
}

/* ------------------------------------------------------------------ */
/* Multiplicity.                                                       */

struct pidx {
	double p;
	size_t i;
};

/* Ascending p, ties by position: the stable order R's order() gives. */
static int
cmp_pidx(const void *a, const void *b)
{
	const struct pidx *x = a, *y = b;

	if (x->p != y->p)
		return x->p < y->p ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

int
stats_p_adjust(const double *p, size_t n, enum stats_padjust method,
    double *adj)
{
	struct pidx *a;
	size_t m = 0;

	if ((p == NULL || adj == NULL) && n > 0)
		return STATS_E_INVAL;
	if ((unsigned)method >= STATS_PADJUST__MAX)
		return STATS_E_INVAL;
	for (size_t i = 0; i < n; i++)
		if (!isnan(p[i]) && !(p[i] >= 0.0 && p[i] <= 1.0))
			return STATS_E_INVAL;
	if (n == 0)
		return STATS_RC_OK;
	if (n > SIZE_MAX / sizeof(*a) || (a = malloc(n * sizeof(*a))) == NULL)
		return STATS_E_NOMEM;
	for (size_t i = 0; i < n; i++)
		if (!isnan(p[i]))
			a[m++] = (struct pidx){ p[i], i };
	qsort(a, m, sizeof(*a), cmp_pidx);
	/* Read every p before writing (p and adj may alias). */
	for (size_t i = 0; i < n; i++)
		if (isnan(p[i]))
			adj[i] = NAN;
	double dm = (double)m;
	if (method == STATS_HOLM) {
		/* pmin(1, cummax((m + 1 - i) * p[o])), i = 1..m ascending. */
		double run = 0.0;
		for (size_t k = 0; k < m; k++) {
			double v = (dm - (double)k) * a[k].p;
			if (v > run)
				run = v;
			a[k].p = run < 1.0 ? run : 1.0;
		}
	} else {
		/* pmin(1, cummin(m / i * p[o])), i = m..1 descending. */
		double run = INFINITY;
		for (size_t k = m; k-- > 0;) {
			double v = dm / (double)(k + 1) * a[k].p;
			if (v < run)
				run = v;
			a[k].p = run < 1.0 ? run : 1.0;
		}
	}
	for (size_t k = 0; k < m; k++)
		adj[a[k].i] = a[k].p;
	free(a);
	return STATS_RC_OK;
}
