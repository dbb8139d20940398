/*
 * Comparisons: two-group tests of a numeric variable (Welch, Hedges' g,
 * Mann-Whitney), Spearman's rank correlation, and the contingency-table
 * statistics (chi-square, Fisher's exact test, odds ratio, risk
 * difference). See stats.h for the contracts and the R call each one
 * reproduces.
 *
 * The rank statistics come in two forms: over arrays (one sort of a
 * copy, midranks for ties) and over counts (per-value counts or a
 * cross-table), where a midrank is a running total plus half the tie,
 * which is how the analysis compares two small-integer items of a
 * million responses in O(range). Fisher's exact p-value walks the
 * hypergeometric support from its mode with the probability ratio of
 * neighbouring tables in long double, so it needs no allocation and no
 * log-gamma of large counts.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "stats.h"
#include "stats_int.h"

/* ------------------------------------------------------------------ */
/* Welch and Hedges from the two groups' descriptives.                 */

/* Both groups usable for a variance-based comparison? */
static enum stats_why
two_groups_why(const struct stats_desc *g1, const struct stats_desc *g2)
{
	if (g1->n == 0 || g2->n == 0)
		return STATS_EMPTY;
	if (g1->n < 2 || g2->n < 2)
		return STATS_N_TOO_SMALL;
	if (!isfinite(g1->var) || !isfinite(g2->var) || !isfinite(g1->mean) ||
	    !isfinite(g2->mean))
		return STATS_NUMERIC;
	return STATS_OK;
}

int
stats_welch(const struct stats_desc *g1, const struct stats_desc *g2,
    struct stats_welch *out)
{
	if (g1 == NULL || g2 == NULL || out == NULL)
		return STATS_E_INVAL;
	out->diff = out->se = out->t = out->df = out->p = NAN;
	out->ci_lo = out->ci_hi = NAN;
	if ((out->why = two_groups_why(g1, g2)) != STATS_OK)
		return STATS_RC_OK;
	out->diff = g1->mean - g2->mean;

	/* t.test.default, term for term. */
	double n1 = (double)g1->n, n2 = (double)g2->n;
	double se1 = sqrt(g1->var / n1), se2 = sqrt(g2->var / n2);
	double se = sqrt(se1 * se1 + se2 * se2);
	double big = fmax(fabs(g1->mean), fabs(g2->mean));
	if (!(se > 0.0) || se < 10.0 * DBL_EPSILON * big) {
		out->why = STATS_ZERO_VARIANCE;
		return STATS_RC_OK;
	}
	out->se = se;
	out->df = pow(se, 4.0) /
	    (pow(se1, 4.0) / (n1 - 1.0) + pow(se2, 4.0) / (n2 - 1.0));
	out->t = out->diff / se;
	out->p = statsi_p_t2(out->t, out->df);
	double q = statsi_t975(out->df);
	out->ci_lo = (out->t - q) * se;
	out->ci_hi = (out->t + q) * se;
	if (!isfinite(out->p) || !isfinite(q))
		out->why = STATS_NUMERIC;
	return STATS_RC_OK;
}

int
stats_hedges_g(const struct stats_desc *g1, const struct stats_desc *g2,
    struct stats_hedges *out)
{
	if (g1 == NULL || g2 == NULL || out == NULL)
		return STATS_E_INVAL;
	out->d = out->j = out->g = out->se = out->ci_lo = out->ci_hi = NAN;
	if ((out->why = two_groups_why(g1, g2)) != STATS_OK)
		return STATS_RC_OK;

	double n1 = (double)g1->n, n2 = (double)g2->n;
	double df = n1 + n2 - 2.0;
	double sp = sqrt(((n1 - 1.0) * g1->var + (n2 - 1.0) * g2->var) / df);
	double big = fmax(fabs(g1->mean), fabs(g2->mean));
	/* The same "essentially constant" rule as Welch. */
	if (!(sp > 0.0) || sp < 10.0 * DBL_EPSILON * big) {
		out->why = STATS_ZERO_VARIANCE;
		return STATS_RC_OK;
	}
	out->d = (g1->mean - g2->mean) / sp;
	out->j = 1.0 - 3.0 / (4.0 * df - 1.0);
	out->g = out->j * out->d;
	out->se = sqrt((n1 + n2) / (n1 * n2) +
	    out->g * out->g / (2.0 * (n1 + n2)));
	double z = statsi_z975();
	out->ci_lo = out->g - z * out->se;
	out->ci_hi = out->g + z * out->se;
	return STATS_RC_OK;
}

/* ------------------------------------------------------------------ */
/* Mann-Whitney.                                                       */

/*
 * wilcox.test(exact = FALSE, correct = TRUE) from the rank sum of group
 * 1 and the tie term sum(t^3 - t).
 */
static void
mw_finish(struct stats_mw *out, long double ranksum1, long double ties)
{
	double n1 = (double)out->n1, n2 = (double)out->n2;

	out->w = (double)(ranksum1 - (long double)n1 * (n1 + 1.0) / 2.0L);
	double z = out->w - n1 * n2 / 2.0;
	double sigma = sqrt((n1 * n2 / 12.0) *
	    ((n1 + n2 + 1.0) - (double)ties / ((n1 + n2) * (n1 + n2 - 1.0))));
	if (!(sigma > 0.0)) {
		out->why = STATS_ZERO_VARIANCE;
		return;
	}
	double corr = z > 0.0 ? 0.5 : z < 0.0 ? -0.5 : 0.0;
	out->z = (z - corr) / sigma;
	out->p = statsi_p_z2(out->z);
	out->why = isfinite(out->p) ? STATS_OK : STATS_NUMERIC;
}

static void
mw_clear(struct stats_mw *out, uint64_t n1, uint64_t n2)
{
	out->n1 = n1;
	out->n2 = n2;
	out->w = out->z = out->p = NAN;
	out->why = n1 == 0 || n2 == 0 ? STATS_EMPTY : STATS_OK;
}

struct tagged {
	double v;
	int g; /* 1 or 2 */
};

static int
cmp_tagged(const void *a, const void *b)
{
	double x = ((const struct tagged *)a)->v, y = ((const struct tagged *)b)->v;

	return (x > y) - (x < y);
}

int
stats_mann_whitney(const double *x, size_t nx, const double *y, size_t ny,
    struct stats_mw *out)
{
	struct tagged *a;
	size_t n = nx + ny;

	if (out == NULL || (x == NULL && nx > 0) || (y == NULL && ny > 0) ||
	    n < nx)
		return STATS_E_INVAL;
	if (!statsi_all_finite(x, nx) || !statsi_all_finite(y, ny))
		return STATS_E_INVAL;
	mw_clear(out, nx, ny);
	if (out->why != STATS_OK)
		return STATS_RC_OK;
	if (n > SIZE_MAX / sizeof(*a) || (a = malloc(n * sizeof(*a))) == NULL)
		return STATS_E_NOMEM;
	for (size_t i = 0; i < nx; i++)
		a[i] = (struct tagged){ x[i], 1 };
	for (size_t i = 0; i < ny; i++)
		a[nx + i] = (struct tagged){ y[i], 2 };
	qsort(a, n, sizeof(*a), cmp_tagged);

	long double r1 = 0.0L, ties = 0.0L;
	for (size_t i = 0; i < n;) {
		size_t j = i, c1 = 0;
		while (j < n && a[j].v == a[i].v)
			c1 += a[j++].g == 1;
		/* Ranks i+1 .. j share the midrank (i + 1 + j) / 2. */
		double t = (double)(j - i);
		r1 += (long double)c1 * ((long double)(i + 1 + j) / 2.0L);
		ties += (long double)t * t * t - t;
		i = j;
	}
	free(a);
	mw_finish(out, r1, ties);
	return STATS_RC_OK;
}

int
stats_mann_whitney_counts(const uint64_t *cx, const uint64_t *cy,
    size_t nvals, struct stats_mw *out)
{
	uint64_t n1 = 0, n2 = 0;

	if (out == NULL || cx == NULL || cy == NULL || nvals == 0)
		return STATS_E_INVAL;
	for (size_t i = 0; i < nvals; i++) {
		if (cx[i] > UINT64_MAX / 4 - n1 || cy[i] > UINT64_MAX / 4 - n2)
			return STATS_E_RANGE;
		n1 += cx[i];
		n2 += cy[i];
	}
	mw_clear(out, n1, n2);
	if (out->why != STATS_OK)
		return STATS_RC_OK;
	long double r1 = 0.0L, ties = 0.0L, before = 0.0L;
	for (size_t i = 0; i < nvals; i++) {
		long double t = (long double)cx[i] + (long double)cy[i];
		if (t == 0.0L)
			continue;
		r1 += (long double)cx[i] * (before + (t + 1.0L) / 2.0L);
		/* R cubes each tie count in double. */
		double td = (double)t;
		ties += (long double)(td * td * td) - t;
		before += t;
	}
	mw_finish(out, r1, ties);
	return STATS_RC_OK;
}

/* ------------------------------------------------------------------ */
/* Spearman.                                                           */

/*
 * cor.test(method = "spearman", exact = FALSE) from rho and n: the S
 * statistic and the t approximation (pspearman() with lower.tail chosen
 * by the sign of rho), term for term.
 */
static void
spearman_finish(struct stats_spearman *out, double r)
{
	double n = (double)out->n;

	out->rho = r;
	out->s = (pow(n, 3.0) - n) * (1.0 - r) / 6.0;
	double den = (n * (n * n - 1.0)) / 6.0;
	double rr = 1.0 - out->s / den;
	double df = n - 2.0;
	if (fabs(rr) >= 1.0) {
		out->t = rr > 0.0 ? INFINITY : -INFINITY;
		out->p = 0.0;
		out->why = STATS_OK;
		return;
	}
	out->t = rr / sqrt((1.0 - rr * rr) / df);
	double p;
	if (out->s > (pow(n, 3.0) - n) / 6.0)
		p = statsi_pt(out->t, df, 1);  /* pt(t, df, lower = TRUE) */
	else
		p = statsi_pt(out->t, df, 0);  /* pt(t, df, lower = FALSE) */
	out->p = fmin(2.0 * p, 1.0);
	out->why = isfinite(out->p) ? STATS_OK : STATS_NUMERIC;
}

static void
spearman_clear(struct stats_spearman *out, uint64_t n)
{
	out->n = n;
	out->rho = out->s = out->t = out->p = NAN;
	out->why = n < 3 ? STATS_FEW_PAIRS : STATS_OK;
}

/*
 * R's cor(): correlation of two vectors with R's two-pass means, sums of
 * products in long double, and the result clamped to [-1, 1]. Returns NaN
 * when either vector is constant.
 */
double
statsi_cor(const double *x, const double *y, size_t n)
{
	double mx, my, vx, vy;
	long double sxy = 0.0L;

	statsi_mean_var(x, n, &mx, &vx);
	statsi_mean_var(y, n, &my, &vy);
	if (!(vx > 0.0) || !(vy > 0.0))
		return NAN;
	for (size_t i = 0; i < n; i++)
		sxy += ((long double)x[i] - mx) * ((long double)y[i] - my);
	double r = (double)(sxy / (long double)(n - 1)) / (sqrt(vx) * sqrt(vy));
	return r > 1.0 ? 1.0 : r < -1.0 ? -1.0 : r;
}

struct vidx {
	double v;
	size_t i;
};

static int
cmp_vidx(const void *a, const void *b)
{
	const struct vidx *x = a, *y = b;

	if (x->v != y->v)
		return x->v < y->v ? -1 : 1;
	return (x->i > y->i) - (x->i < y->i);
}

/* rank(x) with ties averaged, into r; a is scratch of n entries. */
static void
midranks(const double *x, size_t n, struct vidx *a, double *r, double *ties)
{
	double t3 = 0.0;

	for (size_t i = 0; i < n; i++)
		a[i] = (struct vidx){ x[i], i };
	qsort(a, n, sizeof(*a), cmp_vidx);
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && a[j].v == a[i].v)
			j++;
		double mid = (double)(i + 1 + j) / 2.0, t = (double)(j - i);
		for (size_t k = i; k < j; k++)
			r[a[k].i] = mid;
		t3 += t * t * t - t;
		i = j;
	}
	if (ties)
		*ties = t3;
}

int
statsi_midranks(const double *x, size_t n, double *r, double *ties)
{
	struct vidx *a;

	if (n > SIZE_MAX / sizeof(*a) || (a = malloc((n ? n : 1) * sizeof(*a))) == NULL)
		return STATS_E_NOMEM;
	midranks(x, n, a, r, ties);
	free(a);
	return STATS_RC_OK;
}

int
stats_spearman(const double *x, const double *y, size_t n,
    struct stats_spearman *out)
{
	struct vidx *a = NULL;
	double *rx = NULL, *ry = NULL;
	int rc = STATS_E_NOMEM;

	if (out == NULL || ((x == NULL || y == NULL) && n > 0))
		return STATS_E_INVAL;
	if (!statsi_all_finite(x, n) || !statsi_all_finite(y, n))
		return STATS_E_INVAL;
	spearman_clear(out, n);
	if (out->why != STATS_OK)
		return STATS_RC_OK;
	if (n > SIZE_MAX / sizeof(*a))
		return STATS_E_NOMEM;
	a = malloc(n * sizeof(*a));
	rx = malloc(n * sizeof(*rx));
	ry = malloc(n * sizeof(*ry));
	if (a == NULL || rx == NULL || ry == NULL)
		goto out;
	midranks(x, n, a, rx, NULL);
	midranks(y, n, a, ry, NULL);
	double r = statsi_cor(rx, ry, n);
	if (isnan(r))
		out->why = STATS_ZERO_VARIANCE;
	else
		spearman_finish(out, r);
	rc = STATS_RC_OK;
out:
	free(a);
	free(rx);
	free(ry);
	return rc;
}

/* Midranks of the categories of a margin (zero totals allowed). */
static void
margin_midranks(const long double *tot, size_t k, long double *rank)
{
	long double before = 0.0L;

	for (size_t i = 0; i < k; i++) {
		rank[i] = before + (tot[i] + 1.0L) / 2.0L;
		before += tot[i];
	}
}

int
stats_spearman_table(const uint64_t *tab, size_t nr, size_t nc,
    struct stats_spearman *out)
{
	long double *rt = NULL, *ct = NULL, *rr = NULL, *cr = NULL;
	long double n = 0.0L;
	int rc = STATS_E_NOMEM;

	if (out == NULL || tab == NULL || nr == 0 || nc == 0 ||
	    nr > SIZE_MAX / nc)
		return STATS_E_INVAL;
	rt = calloc(nr, sizeof(*rt));
	rr = calloc(nr, sizeof(*rr));
	ct = calloc(nc, sizeof(*ct));
	cr = calloc(nc, sizeof(*cr));
	if (rt == NULL || rr == NULL || ct == NULL || cr == NULL)
		goto out;
	for (size_t i = 0; i < nr; i++)
		for (size_t j = 0; j < nc; j++) {
			long double t = (long double)tab[i * nc + j];
			rt[i] += t;
			ct[j] += t;
			n += t;
		}
	rc = STATS_RC_OK;
	if (n > 9007199254740992.0L) { /* 2^53: n exact in a double */
		rc = STATS_E_RANGE;
		goto out;
	}
	spearman_clear(out, (uint64_t)n);
	if (out->why != STATS_OK)
		goto out;
	margin_midranks(rt, nr, rr);
	margin_midranks(ct, nc, cr);

	/* Means of the midranks, R's two passes, then the centred sums. */
	long double mx = 0.0L, my = 0.0L, cx = 0.0L, cy = 0.0L;
	for (size_t i = 0; i < nr; i++)
		mx += rt[i] * rr[i];
	for (size_t j = 0; j < nc; j++)
		my += ct[j] * cr[j];
	mx /= n;
	my /= n;
	for (size_t i = 0; i < nr; i++)
		cx += rt[i] * (rr[i] - mx);
	for (size_t j = 0; j < nc; j++)
		cy += ct[j] * (cr[j] - my);
	double dmx = (double)(mx + cx / n), dmy = (double)(my + cy / n);
	long double sxx = 0.0L, syy = 0.0L, sxy = 0.0L;
	for (size_t i = 0; i < nr; i++)
		sxx += rt[i] * (rr[i] - dmx) * (rr[i] - dmx);
	for (size_t j = 0; j < nc; j++)
		syy += ct[j] * (cr[j] - dmy) * (cr[j] - dmy);
	for (size_t i = 0; i < nr; i++)
		for (size_t j = 0; j < nc; j++)
			sxy += (long double)tab[i * nc + j] *
			    (rr[i] - dmx) * (cr[j] - dmy);
	double vx = (double)(sxx / (n - 1.0L)), vy = (double)(syy / (n - 1.0L));
	if (!(vx > 0.0) || !(vy > 0.0)) {
		out->why = STATS_ZERO_VARIANCE;
		goto out;
	}
	double r = (double)(sxy / (n - 1.0L)) / (sqrt(vx) * sqrt(vy));
	spearman_finish(out, r > 1.0 ? 1.0 : r < -1.0 ? -1.0 : r);
out:
	free(rt);
	free(rr);
	free(ct);
	free(cr);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Contingency tables.                                                 */

int
stats_chisq(const uint64_t *tab, size_t nr, size_t nc, int yates,
    struct stats_chisq *out)
{
	double *sr = NULL, *sc = NULL;
	long double n = 0.0L;
	int rc = STATS_E_NOMEM;

	if (out == NULL || tab == NULL || nr < 2 || nc < 2 || nr > SIZE_MAX / nc)
		return STATS_E_INVAL;
	out->stat = out->p = out->min_expected = out->cramer_v = NAN;
	out->df = (double)(nr - 1) * (double)(nc - 1);
	out->n_low_expected = 0;
	out->yates = 0;
	out->why = STATS_OK;
	sr = calloc(nr, sizeof(*sr));
	sc = calloc(nc, sizeof(*sc));
	if (sr == NULL || sc == NULL)
		goto out;
	rc = STATS_RC_OK;
	for (size_t i = 0; i < nr; i++)
		for (size_t j = 0; j < nc; j++) {
			double t = (double)tab[i * nc + j];
			sr[i] += t;
			sc[j] += t;
			n += t;
		}
	if (n == 0.0L) {
		out->why = STATS_EMPTY;
		goto out;
	}
	for (size_t i = 0; i < nr; i++)
		if (sr[i] == 0.0)
			out->why = STATS_ZERO_MARGIN;
	for (size_t j = 0; j < nc; j++)
		if (sc[j] == 0.0)
			out->why = STATS_ZERO_MARGIN;
	if (out->why == STATS_ZERO_MARGIN) {
		out->min_expected = 0.0;
		goto out;
	}

	/* E = outer(sr, sc) / n; YATES = min(0.5, abs(x - E)) for 2x2. */
	double dn = (double)n, corr = 0.0;
	double emin = INFINITY;
	if (yates && nr == 2 && nc == 2) {
		corr = 0.5;
		for (size_t i = 0; i < 2; i++)
			for (size_t j = 0; j < 2; j++) {
				double e = sr[i] * sc[j] / dn;
				double dev = fabs((double)tab[i * 2 + j] - e);
				if (dev < corr)
					corr = dev;
			}
		out->yates = corr > 0.0;
	}
	long double stat = 0.0L, stat0 = 0.0L;
	for (size_t i = 0; i < nr; i++)
		for (size_t j = 0; j < nc; j++) {
			double e = sr[i] * sc[j] / dn;
			double dev = fabs((double)tab[i * nc + j] - e) - corr;
			double dev0 = (double)tab[i * nc + j] - e;
			stat += (long double)(dev * dev / e);
			stat0 += (long double)(dev0 * dev0 / e);
			if (e < emin)
				emin = e;
			if (e < 5.0)
				out->n_low_expected++;
		}
	out->stat = (double)stat;
	out->min_expected = emin;
	out->cramer_v = sqrt((double)stat0 /
	    (dn * (double)((nr < nc ? nr : nc) - 1)));
	out->p = gsl_cdf_chisq_Q(out->stat, out->df);
	out->why = isfinite(out->p) ? STATS_OK : STATS_NUMERIC;
out:
	free(sr);
	free(sc);
	return rc;
}

int
stats_fisher_2x2(const uint64_t tab[4], struct stats_fisher *out)
{
	if (out == NULL || tab == NULL)
		return STATS_E_INVAL;
	out->p = NAN;
	/* R's notation: m, n column totals, k the first row total, x = a. */
	long double a = tab[0], b = tab[1], c = tab[2], d = tab[3];
	long double m = a + c, nn = b + d, k = a + b;
	if (m + nn == 0.0L) {
		out->why = STATS_EMPTY;
		return STATS_RC_OK;
	}
	if (m + nn > 9007199254740992.0L)
		return STATS_E_RANGE;
	long double lo = k - nn > 0.0L ? k - nn : 0.0L;
	long double hi = k < m ? k : m;
	out->why = STATS_OK;
	if (lo == hi) {
		out->p = 1.0;
		return STATS_RC_OK;
	}

	/*
	 * Probabilities relative to the mode: f(i+1) / f(i) =
	 * (m - i)(k - i) / ((i + 1)(nn - k + i + 1)). First the observed
	 * table's, then one walk over the support in each direction.
	 */
	long double mode = floorl((k + 1.0L) * (m + 1.0L) / (m + nn + 2.0L));
	if (mode < lo)
		mode = lo;
	if (mode > hi)
		mode = hi;
	long double fobs = 1.0L, f;
	if (a > mode)
		for (long double i = mode; i < a; i++)
			fobs *= (m - i) * (k - i) / ((i + 1.0L) * (nn - k + i + 1.0L));
	else
		for (long double i = mode; i > a; i--)
			fobs *= i * (nn - k + i) / ((m - i + 1.0L) * (k - i + 1.0L));
	long double lim = fobs * (1.0L + 1e-7L); /* R's relErr */
	long double all = 1.0L, sel = 1.0L <= lim ? 1.0L : 0.0L;
	f = 1.0L;
	for (long double i = mode; i < hi && f > 0.0L; i++) {
		f *= (m - i) * (k - i) / ((i + 1.0L) * (nn - k + i + 1.0L));
		all += f;
		if (f <= lim)
			sel += f;
	}
	f = 1.0L;
	for (long double i = mode; i > lo && f > 0.0L; i--) {
		f *= i * (nn - k + i) / ((m - i + 1.0L) * (k - i + 1.0L));
		all += f;
		if (f <= lim)
			sel += f;
	}
	double p = (double)(sel / all);
	out->p = p > 1.0 ? 1.0 : p;
	return STATS_RC_OK;
}

int
stats_odds_ratio(const uint64_t tab[4], struct stats_or *out)
{
	if (out == NULL || tab == NULL)
		return STATS_E_INVAL;
	out->est = out->log_se = out->ci_lo = out->ci_hi = NAN;
	out->corrected = 0;
	double a = (double)tab[0], b = (double)tab[1];
	double c = (double)tab[2], d = (double)tab[3];
	if (a + b + c + d == 0.0) {
		out->why = STATS_EMPTY;
		return STATS_RC_OK;
	}
	if (a + b == 0.0 || c + d == 0.0 || a + c == 0.0 || b + d == 0.0) {
		out->why = STATS_ZERO_MARGIN;
		return STATS_RC_OK;
	}
	if (a == 0.0 || b == 0.0 || c == 0.0 || d == 0.0) {
		/* Haldane-Anscombe: 0.5 added to every cell. */
		a += 0.5;
		b += 0.5;
		c += 0.5;
		d += 0.5;
		out->corrected = 1;
	}
	out->est = (a * d) / (b * c);
	out->log_se = sqrt(1.0 / a + 1.0 / b + 1.0 / c + 1.0 / d);
	double z = statsi_z975();
	out->ci_lo = exp(log(out->est) - z * out->log_se);
	out->ci_hi = exp(log(out->est) + z * out->log_se);
	out->why = STATS_OK;
	return STATS_RC_OK;
}

int
stats_risk_diff(const uint64_t tab[4], struct stats_rd *out)
{
	if (out == NULL || tab == NULL)
		return STATS_E_INVAL;
	out->p1 = out->p2 = out->rd = NAN;
	out->wald_lo = out->wald_hi = out->newcombe_lo = out->newcombe_hi = NAN;
	uint64_t n1 = tab[0] + tab[1], n2 = tab[2] + tab[3];
	if (n1 < tab[0] || n2 < tab[2])
		return STATS_E_RANGE;
	if (n1 == 0 || n2 == 0) {
		out->why = out->why_wald = STATS_EMPTY;
		return STATS_RC_OK;
	}
	double d1 = (double)n1, d2 = (double)n2;
	out->p1 = (double)tab[0] / d1;
	out->p2 = (double)tab[2] / d2;
	out->rd = out->p1 - out->p2;
	double z = statsi_z975();

	double se = sqrt(out->p1 * (1.0 - out->p1) / d1 +
	    out->p2 * (1.0 - out->p2) / d2);
	if (se > 0.0) {
		out->wald_lo = out->rd - z * se;
		out->wald_hi = out->rd + z * se;
		out->why_wald = STATS_OK;
	} else {
		out->why_wald = STATS_ZERO_VARIANCE;
	}

	double l1, u1, l2, u2;
	statsi_wilson(tab[0], n1, &l1, &u1);
	statsi_wilson(tab[2], n2, &l2, &u2);
	out->newcombe_lo = out->rd - sqrt((out->p1 - l1) * (out->p1 - l1) +
	    (u2 - out->p2) * (u2 - out->p2));
	out->newcombe_hi = out->rd + sqrt((u1 - out->p1) * (u1 - out->p1) +
	    (out->p2 - l2) * (out->p2 - l2));
	out->why = STATS_OK;
	return STATS_RC_OK;
}
