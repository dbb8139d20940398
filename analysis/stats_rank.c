/*
 * Rank tests as R runs them by default: the Wilcoxon signed-rank test of
 * paired answers and the rank-sum test of two groups, each with its
 * Hodges-Lehmann estimate and interval, exact for small samples without
 * ties; Spearman's rho with R's default p-value (AS 89); Kruskal-Wallis;
 * pairwise rank-sum tests. See stats.h for the contracts.
 *
 * R decides between an exact and an approximate p-value by the sample
 * sizes and by ties, and this file makes the same decision. The exact
 * null distributions are counted with additions only: the signed-rank
 * statistic as the coefficients of prod (1 + q^i), the rank-sum
 * statistic as those of the Gaussian binomial [m + n, m]_q, built one
 * element at a time, in long double. Where R's interval or estimate is
 * the root of a step function found by uniroot(tol = 1e-4), the same
 * Brent iteration runs on the same function (statsi_zeroin()), so the
 * numbers are R's to rounding and not a more precise root, which would
 * differ from R's by up to the tolerance.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>

#include "stats.h"
#include "stats_int.h"

#define EXACT_N_MAX 50     /* wilcox.test(): exact when n < 50 */
#define PRHO_EXACT_N 9     /* prho(): enumerate permutations up to n = 9 */
#define PRHO_N_MAX 1290    /* cor.test(): pRho up to n = 1290 */
#define ROOT_TOL 1e-4      /* wilcox.test(tol.root = 1e-4) */
#define ROOT_MAXIT 1000    /* uniroot(maxiter = 1000) */

/* ------------------------------------------------------------------ */
/* Helpers.                                                            */

double
statsi_signif(double x, int digits)
{
	if (x == 0.0 || !isfinite(x))
		return x;
	double e = floor(log10(fabs(x)));
	double sc = pow(10.0, (double)digits - 1.0 - e);
	return nearbyint(x * sc) / sc;
}

/* fcn2() of R's zeroin2: a value that is not finite becomes +-DBL_MAX. */
static double
root_f(double (*f)(double, void *), void *ctx, double x)
{
	double v = f(x, ctx);

	if (isfinite(v))
		return v;
	return v == -INFINITY ? -DBL_MAX : DBL_MAX;
}

double
statsi_zeroin(double (*f)(double, void *), void *ctx, double ax, double bx,
    double fa, double fb, double tol, int maxit, int *iter)
{
	double a = ax, b = bx, c = a, fc = fa;
	int left = maxit + 1;

	if (iter)
		*iter = 0;
	if (fa == 0.0)
		return a;
	if (fb == 0.0)
		return b;
	while (left--) {
		double prev = b - a, tol_act, p, q, step;

		/* b is the best guess, c on the other side of the root. */
		if (fabs(fc) < fabs(fb)) {
			a = b;
			b = c;
			c = a;
			fa = fb;
			fb = fc;
			fc = fa;
		}
		tol_act = 2.0 * DBL_EPSILON * fabs(b) + tol / 2.0;
		step = (c - b) / 2.0;
		if (fabs(step) <= tol_act || fb == 0.0) {
			if (iter)
				*iter = maxit - left;
			return b;
		}
		/* Interpolate when the last step was large and went the right way. */
		if (fabs(prev) >= tol_act && fabs(fa) > fabs(fb)) {
			double cb = c - b, t1, t2;
			if (a == c) { /* secant */
				t1 = fb / fa;
				p = cb * t1;
				q = 1.0 - t1;
			} else {      /* inverse quadratic */
				q = fa / fc;
				t1 = fb / fc;
				t2 = fb / fa;
				p = t2 * (cb * q * (q - t1) - (b - a) * (t1 - 1.0));
				q = (q - 1.0) * (t1 - 1.0) * (t2 - 1.0);
			}
			if (p > 0.0)
				q = -q;
			else
				p = -p;
			if (p < (0.75 * cb * q - fabs(tol_act * q) / 2.0) &&
			    p < fabs(prev * q / 2.0))
				step = p / q;
		}
		if (fabs(step) < tol_act)
			step = step > 0.0 ? tol_act : -tol_act;
		a = b;
		fa = fb;
		b += step;
		fb = root_f(f, ctx, b);
		if ((fb > 0.0 && fc > 0.0) || (fb < 0.0 && fc < 0.0)) {
			c = a;
			fc = fa;
		}
	}
	if (iter)
		*iter = -1;
	return b;
}

/* uniroot(f, lower, upper, tol): R stops unless f changes sign. */
static int
uniroot(double (*f)(double, void *), void *ctx, double lo, double hi,
    double flo, double fhi, double *root)
{
	if (!(lo < hi) || isnan(flo) || isnan(fhi))
		return -1;
	double sl = flo > 0.0 ? 1.0 : flo < 0.0 ? -1.0 : 0.0;
	double sh = fhi > 0.0 ? 1.0 : fhi < 0.0 ? -1.0 : 0.0;
	if (!(sl * sh <= 0.0))
		return -1;
	*root = statsi_zeroin(f, ctx, lo, hi, flo, fhi, ROOT_TOL, ROOT_MAXIT,
	    NULL);
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

/* R's median() of n >= 1 sorted values. */
static double
median_sorted(const double *s, size_t n)
{
	return n % 2 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2.0;
}

static double
sign_of(double x)
{
	return x > 0.0 ? 1.0 : x < 0.0 ? -1.0 : 0.0;
}

/* ------------------------------------------------------------------ */
/* Exact null distributions.                                           */

/*
 * Probabilities P(V = v), v = 0 .. n(n+1)/2, of the signed-rank
 * statistic of n values: the coefficients of prod (1 + q^i) / 2^n.
 */
static long double *
signrank_dist(size_t n)
{
	size_t top = n * (n + 1) / 2;
	long double *c = calloc(top + 1, sizeof(*c));

	if (c == NULL)
		return NULL;
	c[0] = 1.0L;
	for (size_t i = 1; i <= n; i++)
		for (size_t v = i * (i + 1) / 2; v >= i; v--)
			c[v] += c[v - i];
	long double f = ldexpl(1.0L, -(int)n);
	for (size_t v = 0; v <= top; v++)
		c[v] *= f;
	return c;
}

/*
 * Probabilities P(U = u), u = 0 .. m n, of the Mann-Whitney statistic of
 * groups of m and n: the Gaussian binomial [m + n, m]_q over C(m + n, m),
 * by g_N[j] = g_{N-1}[j - 1] + q^j g_{N-1}[j] for N = 1 .. m + n.
 */
static long double *
wilcox_dist(size_t m, size_t n)
{
	size_t top = m * n, w = top + 1;
	long double *g = calloc((m + 1) * w, sizeof(*g));
	long double *out = NULL;

	if (g == NULL)
		return NULL;
	g[0] = 1.0L;
	for (size_t N = 1; N <= m + n; N++) {
		size_t jmax = N < m ? N : m;
		for (size_t j = jmax; j >= 1; j--) {
			long double *gj = g + j * w, *gp = g + (j - 1) * w;
			/* In place, high u first: g[j][u - j] is still old. */
			for (size_t u = top + 1; u-- > 0;) {
				long double v = gp[u];
				if (u >= j)
					v += gj[u - j];
				gj[u] = v;
			}
		}
	}
	if ((out = malloc(w * sizeof(*out))) != NULL) {
		long double tot = 0.0L;
		for (size_t u = 0; u < w; u++)
			tot += g[m * w + u];
		for (size_t u = 0; u < w; u++)
			out[u] = g[m * w + u] / tot;
	}
	free(g);
	return out;
}

/* P(X <= q) of a distribution on 0 .. top (q may be negative). */
static double
dist_lower(const long double *d, size_t top, double q)
{
	long double s = 0.0L;

	q = floor(q + 1e-7);
	if (q < 0.0)
		return 0.0;
	if (q >= (double)top)
		return 1.0;
	for (size_t v = 0; v <= (size_t)q; v++)
		s += d[v];
	return (double)s;
}

/* P(X > q). */
static double
dist_upper(const long double *d, size_t top, double q)
{
	long double s = 0.0L;

	q = floor(q + 1e-7);
	if (q < 0.0)
		return 1.0;
	if (q >= (double)top)
		return 0.0;
	for (size_t v = (size_t)q + 1; v <= top; v++)
		s += d[v];
	return (double)s;
}

/* R's qsignrank() / qwilcox() for a lower-tail probability x <= 0.5. */
static size_t
dist_quantile(const long double *d, size_t top, double x)
{
	long double p = 0.0L;
	size_t q = 0;

	x -= 10.0 * DBL_EPSILON;
	for (; q < top; q++) {
		p += d[q];
		if (p >= (long double)x)
			break;
	}
	return q;
}

/* ------------------------------------------------------------------ */
/* Signed-rank test.                                                   */

/* W(d) of wilcox.test's approximate interval: a z of x - d. */
struct sr_ctx {
	const double *x;
	size_t n;
	double *xd, *r;
	int correct;
	double zq;
	int nomem;
};

static double
sr_w(double d, void *vc)
{
	struct sr_ctx *c = vc;
	size_t nx = 0;
	double ties = 0.0, zd = 0.0;

	for (size_t i = 0; i < c->n; i++) {
		double v = c->x[i] - d;
		if (v != 0.0)
			c->xd[nx++] = v;
	}
	for (size_t i = 0; i < nx; i++)
		c->r[i] = fabs(c->xd[i]);
	/* Ranks into r, then the positive ones summed. */
	double *ab = c->r + c->n;
	memcpy(ab, c->r, nx * sizeof(*ab));
	if (statsi_midranks(ab, nx, c->r, &ties) != STATS_RC_OK) {
		c->nomem = 1;
		return NAN;
	}
	for (size_t i = 0; i < nx; i++)
		if (c->xd[i] > 0.0)
			zd += c->r[i];
	double dn = (double)nx;
	zd -= dn * (dn + 1.0) / 4.0;
	double sigma = sqrt(dn * (dn + 1.0) * (2.0 * dn + 1.0) / 24.0 -
	    ties / 48.0);
	double corr = c->correct ? sign_of(zd) * 0.5 : 0.0;
	return (zd - corr) / sigma - c->zq;
}

/* The exact interval: order statistics of the Walsh averages. */
static int
sr_exact_ci(const double *x, size_t n, const long double *dist,
    struct stats_signrank *out)
{
	size_t nw = n * (n + 1) / 2, k = 0, top = nw;
	double *w = malloc(nw * sizeof(*w));
	double alpha = 1.0 - STATS_LEVEL;

	if (w == NULL)
		return STATS_E_NOMEM;
	for (size_t j = 0; j < n; j++)
		for (size_t i = 0; i <= j; i++)
			w[k++] = x[i] + x[j];
	qsort(w, nw, sizeof(*w), cmp_double);
	for (k = 0; k < nw; k++)
		w[k] /= 2.0;
	size_t qu = dist_quantile(dist, top, alpha / 2.0);
	if (qu == 0)
		qu = 1;
	size_t ql = nw - qu;
	double achieved = 2.0 * dist_lower(dist, top, (double)qu - 1.0);
	out->ci_lo = w[qu - 1];
	out->ci_hi = w[ql];
	out->conf_level = achieved - alpha > alpha / 2.0 ?
	    1.0 - statsi_signif(achieved, 2) : STATS_LEVEL;
	out->est = median_sorted(w, nw);
	out->why_ci = STATS_OK;
	free(w);
	return STATS_RC_OK;
}

/* The approximate interval and estimate, R's uniroot() branch. */
static int
sr_approx_ci(const double *x, size_t n, struct stats_signrank *out)
{
	struct sr_ctx c = { x, n, NULL, NULL, 1, 0.0, 0 };
	double alpha = 1.0 - STATS_LEVEL, lvl = STATS_LEVEL;
	double mumin = INFINITY, mumax = -INFINITY;

	c.xd = malloc(n * sizeof(*c.xd));
	c.r = malloc(2 * n * sizeof(*c.r));
	if (c.xd == NULL || c.r == NULL)
		goto nomem;
	for (size_t i = 0; i < n; i++) {
		mumin = fmin(mumin, x[i]);
		mumax = fmax(mumax, x[i]);
	}
	double wmin = sr_w(mumin, &c);
	double wmax = isfinite(wmin) ? sr_w(mumax, &c) : NAN;
	if (c.nomem)
		goto nomem;
	out->why_ci = STATS_NUMERIC;
	if (!isfinite(wmax)) {
		/* R: NaN interval, the midrange as the estimate. */
		out->est = (mumin + mumax) / 2.0;
		out->conf_level = 0.0;
		out->why_ci = STATS_ZERO_VARIANCE;
		goto done;
	}
	for (;;) {
		/* R stops here with an error once alpha / 2 exceeds 1. */
		if (alpha / 2.0 > 1.0)
			goto done;
		double up = gsl_cdf_ugaussian_Qinv(alpha / 2.0);
		if (wmin - up < 0.0 || wmax + up > 0.0)
			alpha *= 2.0;
		else
			break;
	}
	if (alpha >= 1.0 || 1.0 - STATS_LEVEL < alpha * 0.75)
		lvl = 1.0 - fmin(1.0, alpha);
	if (alpha < 1.0) {
		double zu = gsl_cdf_ugaussian_Qinv(alpha / 2.0);
		c.zq = zu;
		if (uniroot(sr_w, &c, mumin, mumax, wmin - zu, wmax - zu,
		    &out->ci_lo) != 0)
			goto done;
		c.zq = -zu;
		if (uniroot(sr_w, &c, mumin, mumax, wmin + zu, wmax + zu,
		    &out->ci_hi) != 0)
			goto done;
	} else {
		double *s = malloc(n * sizeof(*s));
		if (s == NULL)
			goto nomem;
		memcpy(s, x, n * sizeof(*s));
		qsort(s, n, sizeof(*s), cmp_double);
		out->ci_lo = out->ci_hi = median_sorted(s, n);
		free(s);
	}
	/* R sets correct <- FALSE before the estimate. */
	c.correct = 0;
	c.zq = 0.0;
	double f0 = sr_w(mumin, &c), f1 = sr_w(mumax, &c);
	if (uniroot(sr_w, &c, mumin, mumax, f0, f1, &out->est) != 0) {
		out->ci_lo = out->ci_hi = NAN;
		goto done;
	}
	if (c.nomem)
		goto nomem;
	out->conf_level = lvl;
	out->why_ci = STATS_OK;
done:
	free(c.xd);
	free(c.r);
	return STATS_RC_OK;
nomem:
	free(c.xd);
	free(c.r);
	return STATS_E_NOMEM;
}

int
stats_signed_rank(const double *x, const double *y, size_t n,
    struct stats_signrank *out)
{
	double *d = NULL, *r = NULL, ties = 0.0;
	size_t m = 0;
	int rc = STATS_E_NOMEM, zeros = 0;

	if (out == NULL || ((x == NULL || y == NULL) && n > 0))
		return STATS_E_INVAL;
	if (!statsi_all_finite(x, n) || !statsi_all_finite(y, n))
		return STATS_E_INVAL;
	out->n = n;
	out->n_used = 0;
	out->v = out->z = out->p = NAN;
	out->est = out->ci_lo = out->ci_hi = out->conf_level = NAN;
	out->exact = 0;
	out->why = out->why_ci = STATS_EMPTY;
	if (n == 0)
		return STATS_RC_OK;
	d = malloc(n * sizeof(*d));
	r = malloc(n * sizeof(*r));
	if (d == NULL || r == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		double v = x[i] - y[i];
		if (v == 0.0)
			zeros = 1;
		else
			d[m++] = v;
	}
	out->n_used = m;
	rc = STATS_RC_OK;
	if (m == 0)
		goto out;
	for (size_t i = 0; i < m; i++)
		r[i] = fabs(d[i]);
	double *ab = malloc(m * sizeof(*ab));
	if (ab == NULL) {
		rc = STATS_E_NOMEM;
		goto out;
	}
	memcpy(ab, r, m * sizeof(*ab));
	rc = statsi_midranks(ab, m, r, &ties);
	free(ab);
	if (rc != STATS_RC_OK)
		goto out;
	long double v = 0.0L;
	for (size_t i = 0; i < m; i++)
		if (d[i] > 0.0)
			v += r[i];
	out->v = (double)v;
	double dn = (double)m;
	out->why = STATS_OK;
	if (m < EXACT_N_MAX && ties == 0.0 && !zeros) {
		size_t top = m * (m + 1) / 2;
		long double *dist = signrank_dist(m);
		if (dist == NULL) {
			rc = STATS_E_NOMEM;
			goto out;
		}
		out->exact = 1;
		double p = out->v > dn * (dn + 1.0) / 4.0 ?
		    dist_upper(dist, top, out->v - 1.0) :
		    dist_lower(dist, top, out->v);
		out->p = fmin(2.0 * p, 1.0);
		rc = sr_exact_ci(d, m, dist, out);
		free(dist);
		goto out;
	}
	double z = out->v - dn * (dn + 1.0) / 4.0;
	double sigma = sqrt(dn * (dn + 1.0) * (2.0 * dn + 1.0) / 24.0 -
	    ties / 48.0);
	z = (z - sign_of(z) * 0.5) / sigma;
	out->z = z;
	if (!isfinite(z)) {
		out->why = STATS_ZERO_VARIANCE;
		out->z = NAN;
	} else {
		out->p = 2.0 * fmin(gsl_cdf_ugaussian_P(z), gsl_cdf_ugaussian_Q(z));
	}
	rc = sr_approx_ci(d, m, out);
out:
	free(d);
	free(r);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Rank-sum test.                                                      */

struct rs_ctx {
	const double *x, *y;
	size_t nx, ny;
	double *v, *r;
	int correct;
	double zq;
	int nomem;
};

/* W(d) of wilcox.test's approximate two-sample interval. */
static double
rs_w(double d, void *vc)
{
	struct rs_ctx *c = vc;
	size_t n = c->nx + c->ny;
	double ties = 0.0;
	long double s = 0.0L;

	for (size_t i = 0; i < c->nx; i++)
		c->v[i] = c->x[i] - d;
	memcpy(c->v + c->nx, c->y, c->ny * sizeof(*c->v));
	if (statsi_midranks(c->v, n, c->r, &ties) != STATS_RC_OK) {
		c->nomem = 1;
		return NAN;
	}
	for (size_t i = 0; i < c->nx; i++)
		s += c->r[i];
	double n1 = (double)c->nx, n2 = (double)c->ny;
	double dz = (double)s - n1 * (n1 + 1.0) / 2.0 - n1 * n2 / 2.0;
	double corr = c->correct ? sign_of(dz) * 0.5 : 0.0;
	double sigma = sqrt((n1 * n2 / 12.0) * ((n1 + n2 + 1.0) -
	    ties / ((n1 + n2) * (n1 + n2 - 1.0))));
	return (dz - corr) / sigma - c->zq;
}

static int
rs_exact_ci(const double *x, size_t nx, const double *y, size_t ny,
    const long double *dist, struct stats_ranksum *out)
{
	size_t nd = nx * ny, top = nd, k = 0;
	double *dif = malloc(nd * sizeof(*dif));
	double alpha = 1.0 - STATS_LEVEL;

	if (dif == NULL)
		return STATS_E_NOMEM;
	for (size_t j = 0; j < ny; j++)
		for (size_t i = 0; i < nx; i++)
			dif[k++] = x[i] - y[j];
	qsort(dif, nd, sizeof(*dif), cmp_double);
	size_t qu = dist_quantile(dist, top, alpha / 2.0);
	if (qu == 0)
		qu = 1;
	size_t ql = nd - qu;
	double achieved = 2.0 * dist_lower(dist, top, (double)qu - 1.0);
	out->ci_lo = dif[qu - 1];
	out->ci_hi = dif[ql];
	out->conf_level = achieved - alpha > alpha / 2.0 ?
	    1.0 - achieved : STATS_LEVEL;
	out->est = median_sorted(dif, nd);
	out->why_ci = STATS_OK;
	free(dif);
	return STATS_RC_OK;
}

/* R's root(): an end of the range when W does not cross zq inside it. */
static int
rs_root(struct rs_ctx *c, double mumin, double mumax, double wmin,
    double wmax, double zq, double *root)
{
	c->zq = zq;
	if (wmin - zq <= 0.0) {
		*root = mumin;
		return 0;
	}
	if (wmax - zq >= 0.0) {
		*root = mumax;
		return 0;
	}
	return uniroot(rs_w, c, mumin, mumax, wmin - zq, wmax - zq, root);
}

static int
rs_approx_ci(const double *x, size_t nx, const double *y, size_t ny,
    struct stats_ranksum *out)
{
	struct rs_ctx c = { x, y, nx, ny, NULL, NULL, 1, 0.0, 0 };
	double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
	double alpha = 1.0 - STATS_LEVEL;

	c.v = malloc((nx + ny) * sizeof(*c.v));
	c.r = malloc((nx + ny) * sizeof(*c.r));
	if (c.v == NULL || c.r == NULL) {
		free(c.v);
		free(c.r);
		return STATS_E_NOMEM;
	}
	for (size_t i = 0; i < nx; i++) {
		xmin = fmin(xmin, x[i]);
		xmax = fmax(xmax, x[i]);
	}
	for (size_t i = 0; i < ny; i++) {
		ymin = fmin(ymin, y[i]);
		ymax = fmax(ymax, y[i]);
	}
	double mumin = xmin - ymax, mumax = xmax - ymin;
	double wmin = rs_w(mumin, &c), wmax = rs_w(mumax, &c);
	double zu = gsl_cdf_ugaussian_Qinv(alpha / 2.0);
	out->why_ci = STATS_NUMERIC;
	if (isnan(wmin) || isnan(wmax))
		goto done;
	if (rs_root(&c, mumin, mumax, wmin, wmax, zu, &out->ci_lo) != 0 ||
	    rs_root(&c, mumin, mumax, wmin, wmax, -zu, &out->ci_hi) != 0) {
		out->ci_lo = out->ci_hi = NAN;
		goto done;
	}
	c.correct = 0;
	c.zq = 0.0;
	double f0 = rs_w(mumin, &c), f1 = rs_w(mumax, &c);
	if (uniroot(rs_w, &c, mumin, mumax, f0, f1, &out->est) != 0) {
		out->ci_lo = out->ci_hi = NAN;
		goto done;
	}
	out->conf_level = STATS_LEVEL;
	out->why_ci = STATS_OK;
done:
	free(c.v);
	free(c.r);
	return c.nomem ? STATS_E_NOMEM : STATS_RC_OK;
}

int
stats_rank_sum(const double *x, size_t nx, const double *y, size_t ny,
    int with_ci, struct stats_ranksum *out)
{
	size_t n = nx + ny;
	double *v = NULL, *r = NULL, ties = 0.0;
	int rc;

	if (out == NULL || (x == NULL && nx > 0) || (y == NULL && ny > 0) ||
	    n < nx)
		return STATS_E_INVAL;
	if (!statsi_all_finite(x, nx) || !statsi_all_finite(y, ny))
		return STATS_E_INVAL;
	out->n1 = nx;
	out->n2 = ny;
	out->w = out->z = out->p = NAN;
	out->est = out->ci_lo = out->ci_hi = out->conf_level = NAN;
	out->exact = 0;
	out->why = out->why_ci = STATS_EMPTY;
	if (nx == 0 || ny == 0)
		return STATS_RC_OK;
	out->why_ci = with_ci ? STATS_OK : STATS_EMPTY;
	v = malloc(n * sizeof(*v));
	r = malloc(n * sizeof(*r));
	rc = STATS_E_NOMEM;
	if (v == NULL || r == NULL)
		goto out;
	memcpy(v, x, nx * sizeof(*v));
	memcpy(v + nx, y, ny * sizeof(*v));
	if ((rc = statsi_midranks(v, n, r, &ties)) != STATS_RC_OK)
		goto out;
	long double s = 0.0L;
	for (size_t i = 0; i < nx; i++)
		s += r[i];
	double n1 = (double)nx, n2 = (double)ny;
	out->w = (double)(s - (long double)n1 * (n1 + 1.0) / 2.0L);
	out->why = STATS_OK;
	if (nx < EXACT_N_MAX && ny < EXACT_N_MAX && ties == 0.0) {
		long double *dist = wilcox_dist(nx, ny);
		size_t top = nx * ny;
		if (dist == NULL) {
			rc = STATS_E_NOMEM;
			goto out;
		}
		out->exact = 1;
		double p = out->w > n1 * n2 / 2.0 ?
		    dist_upper(dist, top, out->w - 1.0) :
		    dist_lower(dist, top, out->w);
		out->p = fmin(2.0 * p, 1.0);
		if (with_ci)
			rc = rs_exact_ci(x, nx, y, ny, dist, out);
		free(dist);
		goto out;
	}
	double z = out->w - n1 * n2 / 2.0;
	double sigma = sqrt((n1 * n2 / 12.0) *
	    ((n1 + n2 + 1.0) - ties / ((n1 + n2) * (n1 + n2 - 1.0))));
	z = (z - sign_of(z) * 0.5) / sigma;
	if (!isfinite(z)) {
		out->why = STATS_ZERO_VARIANCE;
	} else {
		out->z = z;
		out->p = 2.0 * fmin(gsl_cdf_ugaussian_P(z), gsl_cdf_ugaussian_Q(z));
	}
	if (with_ci)
		rc = rs_approx_ci(x, nx, y, ny, out);
out:
	free(v);
	free(r);
	return rc;
}

/* ------------------------------------------------------------------ */
/* Spearman with R's default p-value.                                  */

/*
 * prho() (AS 89) as cor.test() calls it: P(S >= is), or P(S < is) when
 * lower, for the sum S of squared rank differences of n values.
 */
static double
prho(size_t n, double is, int lower)
{
	double pv = lower ? 0.0 : 1.0;
	double dn = (double)n, n3 = dn * (dn * dn - 1.0) / 3.0;

	if (n <= 1 || is <= 0.0)
		return pv;
	if (is > n3)
		return 1.0 - pv;
	if (n <= PRHO_EXACT_N) {
		/* Every permutation of 1..n (Heap's algorithm). */
		int perm[PRHO_EXACT_N], cnt[PRHO_EXACT_N] = { 0 };
		double nfac = 1.0, ifr = 0.0;
		for (size_t i = 0; i < n; i++) {
			perm[i] = (int)i;
			nfac *= (double)(i + 1);
		}
		for (size_t i = 0;;) {
			int ise = 0;
			for (size_t j = 0; j < n; j++)
				ise += ((int)j - perm[j]) * ((int)j - perm[j]);
			if (is <= (double)ise)
				ifr++;
			while (i < n && cnt[i] >= (int)i) {
				cnt[i] = 0;
				i++;
			}
			if (i >= n)
				break;
			size_t s = i % 2 ? (size_t)cnt[i] : 0;
			int t = perm[s];
			perm[s] = perm[i];
			perm[i] = t;
			cnt[i]++;
			i = 1;
		}
		return (lower ? nfac - ifr : ifr) / nfac;
	}
	/* Edgeworth series (AS 89's coefficients). */
	static const double c1 = 0.2274, c2 = 0.2531, c3 = 0.1745,
	    c4 = 0.0758, c5 = 0.1033, c6 = 0.3932, c7 = 0.0879, c8 = 0.0151,
	    c9 = 0.0072, c10 = 0.0831, c11 = 0.0131, c12 = 4.6e-4;
	double b = 1.0 / dn;
	double x = (6.0 * (is - 1.0) * b / (dn * dn - 1.0) - 1.0) * sqrt(dn - 1.0);
	double y = x * x;
	double u = x * b * (c1 + b * (c2 + c3 * b) +
	    y * (-c4 + b * (c5 + c6 * b) -
	    y * b * (c7 + c8 * b - y * (c9 - c10 * b + y * b * (c11 - c12 * y)))));
	y = u / exp(y / 2.0);
	pv = (lower ? -y : y) +
	    (lower ? gsl_cdf_ugaussian_P(x) : gsl_cdf_ugaussian_Q(x));
	return pv < 0.0 ? 0.0 : pv > 1.0 ? 1.0 : pv;
}

/* Has x a repeated value? (sorts a copy) -1 if out of memory. */
static int
has_ties(const double *x, size_t n)
{
	double *s = malloc((n ? n : 1) * sizeof(*s));
	int t = 0;

	if (s == NULL)
		return -1;
	memcpy(s, x, n * sizeof(*s));
	qsort(s, n, sizeof(*s), cmp_double);
	for (size_t i = 1; i < n && !t; i++)
		t = s[i] == s[i - 1];
	free(s);
	return t;
}

int
stats_spearman_test(const double *x, const double *y, size_t n,
    struct stats_spearman_test *out)
{
	int rc, tx, ty;

	if (out == NULL)
		return STATS_E_INVAL;
	out->exact = 0;
	out->ci_lo = out->ci_hi = NAN;
	out->why_ci = STATS_N_TOO_SMALL;
	if ((rc = stats_spearman(x, y, n, &out->s)) != STATS_RC_OK)
		return rc;
	if (out->s.why != STATS_OK)
		return STATS_RC_OK;
	double rho = out->s.rho, dn = (double)n;
	if (n > 3 && fabs(rho) < 1.0) {
		double z = atanh(rho), se = sqrt((1.0 + rho * rho / 2.0) / (dn - 3.0));
		double q = statsi_z975();
		out->ci_lo = tanh(z - q * se);
		out->ci_hi = tanh(z + q * se);
		out->why_ci = STATS_OK;
	} else if (n > 3) {
		out->why_ci = STATS_ZERO_VARIANCE;
	}
	if ((tx = has_ties(x, n)) < 0 || (ty = has_ties(y, n)) < 0)
		return STATS_E_NOMEM;
	if (tx || ty || n > PRHO_N_MAX)
		return STATS_RC_OK;
	/* cor.test(): pRho(round(q) + 2 lower, n, lower), doubled. */
	double q = out->s.s;
	int lower = !(q > (dn * dn * dn - dn) / 6.0);
	double p = prho(n, nearbyint(q) + 2.0 * lower, lower);
	out->s.p = fmin(2.0 * p, 1.0);
	out->s.t = NAN;
	out->exact = 1;
	return STATS_RC_OK;
}

/* ------------------------------------------------------------------ */
/* Kruskal-Wallis.                                                     */

static void
kw_finish(struct stats_kruskal *out, const long double *rsum,
    const uint64_t *gn, size_t k, double ties)
{
	long double s = 0.0L;
	size_t kk = 0;
	double n = (double)out->n;

	for (size_t i = 0; i < k; i++) {
		if (gn[i] == 0)
			continue;
		kk++;
		s += rsum[i] * rsum[i] / (long double)gn[i];
	}
	out->k = kk;
	out->df = (double)kk - 1.0;
	if (kk < 2) {
		out->why = STATS_FEW_GROUPS;
		return;
	}
	if (out->n < 2) {
		out->why = STATS_N_TOO_SMALL;
		return;
	}
	double den = 1.0 - ties / (n * n * n - n);
	if (!(den > 0.0)) {
		out->why = STATS_ZERO_VARIANCE;
		return;
	}
	out->stat = (12.0 * (double)s / (n * (n + 1.0)) - 3.0 * (n + 1.0)) / den;
	out->p = gsl_cdf_chisq_Q(out->stat, out->df);
	out->why = isfinite(out->p) ? STATS_OK : STATS_NUMERIC;
}

static void
kw_clear(struct stats_kruskal *out)
{
	out->k = 0;
	out->n = 0;
	out->stat = out->df = out->p = NAN;
	out->why = STATS_EMPTY;
}

int
stats_kruskal(const double *x, const size_t *g, size_t n, size_t k,
    struct stats_kruskal *out)
{
	long double *rsum = NULL;
	uint64_t *gn = NULL;
	double *r = NULL, ties = 0.0;
	int rc = STATS_E_NOMEM;

	if (out == NULL || k == 0 || ((x == NULL || g == NULL) && n > 0))
		return STATS_E_INVAL;
	if (!statsi_all_finite(x, n))
		return STATS_E_INVAL;
	for (size_t i = 0; i < n; i++)
		if (g[i] >= k)
			return STATS_E_INVAL;
	kw_clear(out);
	rsum = calloc(k, sizeof(*rsum));
	gn = calloc(k, sizeof(*gn));
	r = malloc((n ? n : 1) * sizeof(*r));
	if (rsum == NULL || gn == NULL || r == NULL)
		goto out;
	if ((rc = statsi_midranks(x, n, r, &ties)) != STATS_RC_OK)
		goto out;
	for (size_t i = 0; i < n; i++) {
		rsum[g[i]] += r[i];
		gn[g[i]]++;
	}
	out->n = n;
	kw_finish(out, rsum, gn, k, ties);
out:
	free(rsum);
	free(gn);
	free(r);
	return rc;
}

int
stats_kruskal_counts(const uint64_t *tab, size_t k, size_t nvals,
    struct stats_kruskal *out)
{
	long double *rsum = NULL, before = 0.0L;
	uint64_t *gn = NULL, n = 0;
	double ties = 0.0;

	if (out == NULL || tab == NULL || k == 0 || nvals == 0 ||
	    k > SIZE_MAX / nvals)
		return STATS_E_INVAL;
	kw_clear(out);
	rsum = calloc(k, sizeof(*rsum));
	gn = calloc(k, sizeof(*gn));
	if (rsum == NULL || gn == NULL) {
		free(rsum);
		free(gn);
		return STATS_E_NOMEM;
	}
	for (size_t v = 0; v < nvals; v++) {
		uint64_t t = 0;
		for (size_t i = 0; i < k; i++) {
			uint64_t c = tab[i * nvals + v];
			if (c > UINT64_MAX / 4 - n - t) {
				free(rsum);
				free(gn);
				return STATS_E_RANGE;
			}
			t += c;
		}
		if (t == 0)
			continue;
		long double mid = before + ((long double)t + 1.0L) / 2.0L;
		for (size_t i = 0; i < k; i++) {
			rsum[i] += (long double)tab[i * nvals + v] * mid;
			gn[i] += tab[i * nvals + v];
		}
		double td = (double)t;
		ties += td * td * td - td;
		before += (long double)t;
		n += t;
	}
	out->n = n;
	kw_finish(out, rsum, gn, k, ties);
	free(rsum);
	free(gn);
	return STATS_RC_OK;
}

/* ------------------------------------------------------------------ */
/* Pairwise rank-sum tests.                                            */

static void
nan_fill(double *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		a[i] = NAN;
}

int
stats_pairwise_wilcox(const double *x, const size_t *g, size_t n, size_t k,
    enum stats_padjust method, double *p_raw, double *p_adj)
{
	double *gx = NULL;
	size_t *start = NULL, *fill = NULL;
	int rc = STATS_E_NOMEM;

	if (p_raw == NULL || p_adj == NULL || k == 0 || k > SIZE_MAX / k ||
	    ((x == NULL || g == NULL) && n > 0))
		return STATS_E_INVAL;
	if (!statsi_all_finite(x, n) || (unsigned)method >= STATS_PADJUST__MAX)
		return STATS_E_INVAL;
	for (size_t i = 0; i < n; i++)
		if (g[i] >= k)
			return STATS_E_INVAL;
	nan_fill(p_raw, k * k);
	nan_fill(p_adj, k * k);
	/* The values of each group, contiguous, in their original order. */
	gx = malloc((n ? n : 1) * sizeof(*gx));
	start = calloc(k + 1, sizeof(*start));
	fill = calloc(k, sizeof(*fill));
	if (gx == NULL || start == NULL || fill == NULL)
		goto out;
	for (size_t i = 0; i < n; i++)
		start[g[i] + 1]++;
	for (size_t i = 0; i < k; i++)
		start[i + 1] += start[i];
	for (size_t i = 0; i < n; i++)
		gx[start[g[i]] + fill[g[i]]++] = x[i];
	for (size_t i = 1; i < k; i++)
		for (size_t j = 0; j < i; j++) {
			size_t ni = start[i + 1] - start[i], nj = start[j + 1] - start[j];
			struct stats_ranksum t;
			if (ni == 0 || nj == 0)
				continue;
			if ((rc = stats_rank_sum(gx + start[i], ni, gx + start[j],
			    nj, 0, &t)) != STATS_RC_OK)
				goto out;
			p_raw[i * k + j] = t.p;
		}
	rc = stats_p_adjust(p_raw, k * k, method, p_adj);
out:
	free(gx);
	free(start);
	free(fill);
	return rc;
}
