/*
 * Regression: ordinary least squares with classical and HC3 standard
 * errors, and logistic regression by iteratively reweighted least squares
 * with separation detection. See stats.h for the contracts.
 *
 * Both rest on one weighted least-squares step: the design (times the
 * square roots of the weights) with its columns scaled to unit length is
 * factored by GSL's Householder QR. Scaling makes the rank test the one
 * R applies (a column is dependent when what the earlier columns leave of
 * it is below tol of its length) and keeps the triangular factor well
 * scaled for ill-conditioned designs such as NIST's Longley. From the
 * factor R come the coefficients, (X'WX)^-1 = S R^-1 R^-T S (S the column
 * scales), and for HC3 the leverages h_i = |R^-T x_i|^2, all without ever
 * forming X'X or an n x n matrix: memory is one copy of the design.
 *
 * The logistic fit follows R's glm.fit() step for step (start, clamped
 * link, convergence test, at most 25 iterations, standard errors from the
 * last iteration's weights) so that estimates agree with R far inside
 * the tests' 1e-6; what R does not do is check for separation, which is
 * done here by taking further Newton steps and watching whether the
 * linear predictor settles.
 */
#include <float.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_blas.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_errno.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_matrix.h>
#include <gsl/gsl_vector.h>

#include "stats.h"
#include "stats_int.h"

#define OLS_TOL 1e-7     /* lm(): qr(tol = 1e-7) */
#define GLM_TOL 1e-11    /* glm.fit(): min(1e-7, epsilon / 1000) */
#define GLM_EPSILON 1e-8 /* glm.control(epsilon) */
#define GLM_MAXIT 25     /* glm.control(maxit) */
#define SEP_STEPS 10     /* extra Newton steps of the separation check */
#define SEP_SETTLED 1e-8 /* a step this small: the estimate exists */
#define SEP_MOVING 1e-3  /* still this large after SEP_STEPS: it does not */

/*
 * The workspace of one weighted least-squares step. Columns found
 * aliased (linearly dependent on the columns before them) are left out:
 * the first r columns of a, and the first r entries of tau, sol and
 * scale, belong to the kept design columns kept[0..r-1], and rinv is
 * r x r in its top-left corner.
 */
struct wls {
	size_t n, p;
	size_t r;          /* rank: the number of kept columns */
	size_t *kept;      /* p: design column of each kept column */
	unsigned char *aliased; /* p: 1 for a column left out (2 in wls_fit) */
	gsl_matrix *a;     /* n x p: scaled weighted design, then its QR */
	gsl_vector *tau;   /* p: Householder coefficients */
	gsl_vector *b;     /* n: weighted response */
	gsl_vector *sol;   /* p: solution of the scaled problem */
	gsl_vector *res;   /* n: residuals of the weighted problem */
	gsl_vector *scale; /* p: column lengths */
	gsl_matrix *rinv;  /* p x p: R^-1 of the last factorisation */
	double *beta;      /* p: coefficients on the original scale, 0 if aliased */
	double *wt, *z;    /* n: IRLS weights and working response */
};

static void
wls_free(struct wls *w)
{
	if (w->a)
		gsl_matrix_free(w->a);
	if (w->tau)
		gsl_vector_free(w->tau);
	if (w->b)
		gsl_vector_free(w->b);
	if (w->sol)
		gsl_vector_free(w->sol);
	if (w->res)
		gsl_vector_free(w->res);
	if (w->scale)
		gsl_vector_free(w->scale);
	if (w->rinv)
		gsl_matrix_free(w->rinv);
	free(w->beta);
	free(w->kept);
	free(w->aliased);
	free(w->wt);
	free(w->z);
	memset(w, 0, sizeof(*w));
}

static int
wls_alloc(struct wls *w, size_t n, size_t p)
{
	memset(w, 0, sizeof(*w));
	w->n = n;
	w->p = p;
	w->r = p;
	w->a = gsl_matrix_alloc(n, p);
	w->tau = gsl_vector_alloc(p);
	w->b = gsl_vector_alloc(n);
	w->sol = gsl_vector_alloc(p);
	w->res = gsl_vector_alloc(n);
	w->scale = gsl_vector_alloc(p);
	w->rinv = gsl_matrix_alloc(p, p);
	w->beta = malloc(p * sizeof(*w->beta));
	w->kept = malloc(p * sizeof(*w->kept));
	w->aliased = calloc(p, 1);
	w->wt = malloc(n * sizeof(*w->wt));
	w->z = malloc(n * sizeof(*w->z));
	if (!w->a || !w->tau || !w->b || !w->sol || !w->res || !w->scale ||
	    !w->rinv || !w->beta || !w->kept || !w->aliased || !w->wt || !w->z) {
		wls_free(w);
		return STATS_E_NOMEM;
	}
	for (size_t j = 0; j < p; j++)
		w->kept[j] = j;
	return STATS_RC_OK;
}

/* Design entry (i, j), the intercept column first when there is one. */
static double
design(const double *x, size_t k, int intercept, size_t i, size_t j)
{
	if (intercept) {
		if (j == 0)
			return 1.0;
		j--;
	}
	return x[i * k + j];
}

/*
 * Load the kept columns of the design, each row times wt[i] (wt NULL:
 * 1), and the response z[i] * wt[i].
 */
static void
wls_load(struct wls *w, const double *x, size_t k, int intercept,
    const double *wt, const double *z)
{
	for (size_t i = 0; i < w->n; i++) {
		double s = wt ? wt[i] : 1.0;
		for (size_t c = 0; c < w->r; c++)
			gsl_matrix_set(w->a, i, c,
			    s * design(x, k, intercept, i, w->kept[c]));
		gsl_vector_set(w->b, i, s * z[i]);
	}
}

/*
 * Solve the least-squares problem already loaded into the kept columns
 * of w->a and w->b: scale, factor, test the rank, solve, invert R.
 * Returns the reason the step failed (STATS_SINGULAR, STATS_NUMERIC) or
 * STATS_OK; on STATS_SINGULAR *bad is the kept position (0..r-1) of the
 * first column found dependent on the ones before it. On success
 * w->beta, w->res (weighted residuals), w->rinv and w->scale are set.
 */
static enum stats_why
wls_solve(struct wls *w, double tol, size_t *bad)
{
	size_t r = w->r;
	gsl_matrix_view a = gsl_matrix_submatrix(w->a, 0, 0, w->n, r);
	gsl_vector_view tau = gsl_vector_subvector(w->tau, 0, r);
	gsl_vector_view sol = gsl_vector_subvector(w->sol, 0, r);
	gsl_matrix_view rinv = gsl_matrix_submatrix(w->rinv, 0, 0, r, r);

	*bad = 0;
	for (size_t j = 0; j < r; j++) {
		gsl_vector_view col = gsl_matrix_column(&a.matrix, j);
		double s = gsl_blas_dnrm2(&col.vector);
		if (s == 0.0) {
			*bad = j;
			return STATS_SINGULAR;
		}
		if (!(s > 0.0) || !isfinite(s))
			return STATS_NUMERIC;
		gsl_vector_set(w->scale, j, s);
		if (gsl_vector_scale(&col.vector, 1.0 / s) != GSL_SUCCESS)
			return STATS_NUMERIC;
	}
	if (gsl_linalg_QR_decomp(&a.matrix, &tau.vector) != GSL_SUCCESS)
		return STATS_NUMERIC;
	for (size_t j = 0; j < r; j++)
		if (!(fabs(gsl_matrix_get(&a.matrix, j, j)) >= tol)) {
			*bad = j;
			return STATS_SINGULAR;
		}
	if (gsl_linalg_QR_lssolve(&a.matrix, &tau.vector, w->b, &sol.vector,
	    w->res) != GSL_SUCCESS)
		return STATS_NUMERIC;
	for (size_t j = 0; j < w->p; j++)
		w->beta[j] = 0.0;
	for (size_t c = 0; c < r; c++)
		w->beta[w->kept[c]] = gsl_vector_get(&sol.vector, c) /
		    gsl_vector_get(w->scale, c);

	gsl_matrix_set_zero(&rinv.matrix);
	for (size_t i = 0; i < r; i++)
		for (size_t j = i; j < r; j++)
			gsl_matrix_set(&rinv.matrix, i, j,
			    gsl_matrix_get(&a.matrix, i, j));
	if (gsl_linalg_tri_invert(CblasUpper, CblasNonUnit, &rinv.matrix) !=
	    GSL_SUCCESS)
		return STATS_NUMERIC;
	for (size_t j = 0; j < w->p; j++)
		if (!isfinite(w->beta[j]))
			return STATS_NUMERIC;
	return STATS_OK;
}

/*
 * Fit with R's rule for rank deficiency (lm() and glm.fit() through
 * dqrdc2): a column whose part not explained by the kept columns before
 * it is below tol of its length is aliased and left out, and the fit is
 * repeated without it, so every later column is judged against the kept
 * ones only. With fewer observations than columns, the columns after the
 * first n candidates are aliased (n independent columns already span
 * everything). Each repetition reloads the design: no second copy is
 * held. STATS_SINGULAR only if no column is left.
 */
static enum stats_why
wls_fit(struct wls *w, const double *x, size_t k, int intercept,
    const double *wt, const double *z, double tol)
{
	enum stats_why why;
	size_t bad;

	for (;;) {
		w->r = 0;
		for (size_t j = 0; j < w->p; j++) {
			if (w->aliased[j] == 2)
				continue;
			if (w->r < w->n) {
				w->kept[w->r++] = j;
				w->aliased[j] = 0;
			} else {
				w->aliased[j] = 1;
			}
		}
		if (w->r == 0)
			return STATS_SINGULAR;
		wls_load(w, x, k, intercept, wt, z);
		if ((why = wls_solve(w, tol, &bad)) != STATS_SINGULAR)
			break;
		w->aliased[w->kept[bad]] = 2; /* dependent: out for good */
	}
	for (size_t j = 0; j < w->p; j++)
		w->aliased[j] = w->aliased[j] != 0;
	return why;
}

/*
 * diag((X'WX)^-1) of kept column c from the last factorisation:
 * |row c of R^-1|^2 / s_c^2.
 */
static double
wls_unscaled_var(const struct wls *w, size_t c)
{
	long double s = 0.0L;

	for (size_t k = c; k < w->r; k++) {
		double r = gsl_matrix_get(w->rinv, c, k);
		s += (long double)r * r;
	}
	double sc = gsl_vector_get(w->scale, c);
	return (double)(s / ((long double)sc * sc));
}

static struct stats_coef *
coef_alloc(size_t p)
{
	struct stats_coef *c = malloc(p * sizeof(*c));

	if (c == NULL)
		return NULL;
	for (size_t j = 0; j < p; j++)
		c[j] = (struct stats_coef){
			.est = NAN, .se = NAN, .stat = NAN, .p = NAN,
			.lo = NAN, .hi = NAN,
			.hc3_se = NAN, .hc3_stat = NAN, .hc3_p = NAN,
			.hc3_lo = NAN, .hc3_hi = NAN, .aliased = 0,
		};
	return c;
}

static int
regress_args(const double *y, const double *x, size_t n, size_t k,
    int intercept, size_t *p)
{
	if (n > 0 && y == NULL)
		return STATS_E_INVAL;
	if (k > 0 && n > 0 && x == NULL)
		return STATS_E_INVAL;
	*p = k + (intercept ? 1 : 0);
	if (*p == 0 || (k > 0 && n > SIZE_MAX / k))
		return STATS_E_INVAL;
	if (!statsi_all_finite(y, n) || (k > 0 && !statsi_all_finite(x, n * k)))
		return STATS_E_INVAL;
	return STATS_RC_OK;
}

/* Copy the aliased flags of the fit into the table; the count. */
static size_t
mark_aliased(const struct wls *w, struct stats_coef *coef)
{
	size_t na = 0;

	for (size_t j = 0; j < w->p; j++) {
		coef[j].aliased = w->aliased[j];
		na += w->aliased[j];
	}
	return na;
}

/* ------------------------------------------------------------------ */
/* Ordinary least squares.                                             */

void
stats_ols_free(struct stats_ols *fit)
{
	if (fit == NULL)
		return;
	free(fit->coef);
	fit->coef = NULL;
}

/*
 * HC3 (sandwich::vcovHC(type = "HC3")) over the kept columns: with
 * z_i = R^-T (x_i / s), h_i = |z_i|^2 and omega_i = e_i^2 / (1 - h_i)^2,
 * the scaled covariance is R^-1 (sum_i omega_i z_i z_i') R^-T. Sets
 * coef[].hc3_* of the kept columns.
 */
static enum stats_why
ols_hc3(const struct wls *w, const double *x, size_t k, int intercept,
    double df, struct stats_coef *coef)
{
	size_t n = w->n, r = w->r;
	double *z = NULL, *xs = NULL;
	long double *g = NULL;
	enum stats_why why = STATS_NUMERIC;

	z = malloc(r * sizeof(*z));
	xs = malloc(r * sizeof(*xs));
	g = calloc(r * r, sizeof(*g));
	if (z == NULL || xs == NULL || g == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < r; j++)
			xs[j] = design(x, k, intercept, i, w->kept[j]) /
			    gsl_vector_get(w->scale, j);
		long double h = 0.0L;
		for (size_t c = 0; c < r; c++) {
			long double s = 0.0L;
			for (size_t q = 0; q <= c; q++)
				s += (long double)gsl_matrix_get(w->rinv, q, c) * xs[q];
			z[c] = (double)s;
			h += s * s;
		}
		/* lm.influence() rounds leverages this close to 1 up to 1. */
		if (h > 1.0L - 10.0L * DBL_EPSILON) {
			why = STATS_LEVERAGE_ONE;
			goto out;
		}
		long double e = gsl_vector_get(w->res, i);
		long double om = e * e / ((1.0L - h) * (1.0L - h));
		for (size_t a = 0; a < r; a++)
			for (size_t c = a; c < r; c++)
				g[a * r + c] += om * z[a] * z[c];
	}
	/* V_s = Rinv G Rinv'; only its diagonal is needed. */
	double tq = statsi_t975(df);
	for (size_t j = 0; j < r; j++) {
		long double v = 0.0L;
		for (size_t a = j; a < r; a++)
			for (size_t c = j; c < r; c++) {
				long double gac = a <= c ? g[a * r + c] : g[c * r + a];
				v += (long double)gsl_matrix_get(w->rinv, j, a) * gac *
				    gsl_matrix_get(w->rinv, j, c);
			}
		double sc = gsl_vector_get(w->scale, j);
		struct stats_coef *cf = &coef[w->kept[j]];
		cf->hc3_se = sqrt((double)v) / sc;
		cf->hc3_stat = cf->est / cf->hc3_se;
		cf->hc3_p = statsi_p_t2(cf->hc3_stat, df);
		cf->hc3_lo = cf->est - tq * cf->hc3_se;
		cf->hc3_hi = cf->est + tq * cf->hc3_se;
	}
	why = STATS_OK;
out:
	free(z);
	free(xs);
	free(g);
	return why;
}

/*
 * summary.lm(): R^2 = mss / (mss + rss), mss around the mean of the
 * fitted values with an intercept, around 0 without; the overall F test
 * of the non-intercept coefficients; logLik.lm() for the AIC.
 */
static void
ols_summary(struct stats_ols *out, const struct wls *w, const double *y,
    int intercept)
{
	size_t n = w->n;
	long double rss = 0.0L, mss = 0.0L, fsum = 0.0L;
	double dn = (double)n, dint = intercept ? 1.0 : 0.0;

	for (size_t i = 0; i < n; i++) {
		double e = gsl_vector_get(w->res, i);
		rss += (long double)e * e;
		fsum += (long double)y[i] - e;
	}
	long double fmean = intercept ? fsum / (long double)n : 0.0L;
	for (size_t i = 0; i < n; i++) {
		long double f = (long double)y[i] - gsl_vector_get(w->res, i) - fmean;
		mss += f * f;
	}
	out->rss = (double)rss;
	out->aic = dn * (log(2.0 * M_PI) + 1.0 - log(dn) + log(out->rss)) +
	    2.0 * ((double)out->rank + 1.0);
	if (!(mss + rss > 0.0L))
		return;
	out->r2 = (double)(mss / (mss + rss));
	if (out->df > 0.0) {
		out->adj_r2 = 1.0 - (1.0 - out->r2) * ((dn - dint) / out->df);
		double numdf = (double)out->rank - dint;
		if (numdf > 0.0 && out->rss > 0.0) {
			out->f = ((double)mss / numdf) / (out->rss / out->df);
			out->f_df1 = numdf;
			out->f_df2 = out->df;
			out->f_p = gsl_cdf_fdist_Q(out->f, numdf, out->df);
		}
	}
}

int
stats_ols(const double *y, const double *x, size_t n, size_t k,
    int intercept, struct stats_ols *out)
{
	struct wls w;
	size_t p;
	int rc;

	if (out == NULL)
		return STATS_E_INVAL;
	memset(out, 0, sizeof(*out));
	if ((rc = regress_args(y, x, n, k, intercept, &p)) != STATS_RC_OK)
		return rc;
	out->n = n;
	out->p = p;
	out->rss = out->sigma = out->r2 = out->adj_r2 = out->aic = NAN;
	out->f = out->f_df1 = out->f_df2 = out->f_p = NAN;
	if ((out->coef = coef_alloc(p)) == NULL)
		return STATS_E_NOMEM;
	if (n == 0) {
		out->why = out->why_se = out->why_hc3 = STATS_EMPTY;
		return STATS_RC_OK;
	}
	if ((rc = wls_alloc(&w, n, p)) != STATS_RC_OK) {
		stats_ols_free(out);
		return rc;
	}
	out->why = wls_fit(&w, x, k, intercept, NULL, y, OLS_TOL);
	out->rank = w.r;
	out->naliased = mark_aliased(&w, out->coef);
	out->df = (double)(n - w.r);
	if (out->why != STATS_OK) {
		out->why_se = out->why_hc3 = out->why;
		goto out;
	}
	for (size_t c = 0; c < w.r; c++)
		out->coef[w.kept[c]].est = w.beta[w.kept[c]];
	ols_summary(out, &w, y, intercept);
	if (n == w.r) {
		out->why_se = out->why_hc3 = STATS_NO_DF;
		goto out;
	}
	double s2 = out->rss / out->df, tq = statsi_t975(out->df);
	out->sigma = sqrt(s2);
	for (size_t c = 0; c < w.r; c++) {
		struct stats_coef *cf = &out->coef[w.kept[c]];
		cf->se = sqrt(s2 * wls_unscaled_var(&w, c));
		cf->stat = cf->est / cf->se;
		cf->p = statsi_p_t2(cf->stat, out->df);
		cf->lo = cf->est - tq * cf->se;
		cf->hi = cf->est + tq * cf->se;
	}
	out->why_se = STATS_OK;
	out->why_hc3 = ols_hc3(&w, x, k, intercept, out->df, out->coef);
out:
	wls_free(&w);
	return STATS_RC_OK;
}

/* ------------------------------------------------------------------ */
/* Logistic regression.                                                */

void
stats_logit_free(struct stats_logit *fit)
{
	if (fit == NULL)
		return;
	free(fit->coef);
	fit->coef = NULL;
}

/* R's C_logit_linkinv and C_logit_mu_eta (family.c), THRESH = 30. */
static double
logit_linkinv(double eta)
{
	double t = eta < -30.0 ? DBL_EPSILON :
	    eta > 30.0 ? 1.0 / DBL_EPSILON : exp(eta);
	return t / (1.0 + t);
}

static double
logit_mu_eta(double eta)
{
	double opexp = 1.0 + exp(eta);
	return eta > 30.0 || eta < -30.0 ? DBL_EPSILON :
	    exp(eta) / (opexp * opexp);
}

/* binomial()$dev.resids for a 0/1 response, summed. */
static double
binomial_deviance(const double *y, const double *mu, size_t n)
{
	long double d = 0.0L;

	for (size_t i = 0; i < n; i++)
		d += 2.0 * (y[i] != 0.0 ? log(1.0 / mu[i]) : log(1.0 / (1.0 - mu[i])));
	return (double)d;
}

static double
null_deviance(const double *y, size_t n, int intercept)
{
	long double s = 0.0L, d = 0.0L;
	double mu;

	for (size_t i = 0; i < n; i++)
		s += y[i];
	mu = intercept ? (double)(s / (long double)n) : logit_linkinv(0.0);
	for (size_t i = 0; i < n; i++)
		d += 2.0 * (y[i] != 0.0 ? log(1.0 / mu) : log(1.0 / (1.0 - mu)));
	return (double)d;
}

/*
 * One IRLS step from eta/mu: load the working response and weights of
 * the kept columns into the workspace and solve. On success the new
 * coefficients are w->beta and eta, mu are updated from them. A kept
 * column that turns dependent under the weights is STATS_SINGULAR (the
 * weights collapsing: separation), not dropped.
 */
static enum stats_why
irls_step(struct wls *w, const double *y, const double *x, size_t k,
    int intercept, double *eta, double *mu)
{
	size_t n = w->n, bad;
	enum stats_why why;

	for (size_t i = 0; i < n; i++) {
		double me = logit_mu_eta(eta[i]);
		w->z[i] = eta[i] + (y[i] - mu[i]) / me;
		w->wt[i] = sqrt(me * me / (mu[i] * (1.0 - mu[i])));
	}
	wls_load(w, x, k, intercept, w->wt, w->z);
	if ((why = wls_solve(w, GLM_TOL, &bad)) != STATS_OK)
		return why;
	for (size_t i = 0; i < n; i++) {
		double e = 0.0;
		for (size_t c = 0; c < w->r; c++)
			e += design(x, k, intercept, i, w->kept[c]) *
			    w->beta[w->kept[c]];
		eta[i] = e;
		mu[i] = logit_linkinv(e);
	}
	return STATS_OK;
}

/*
 * Does the maximum likelihood estimate fail to exist? From the fitted
 * eta/mu (copies: the caller's are left alone), take up to SEP_STEPS more
 * Newton steps. At a finite maximum the change of the linear predictor
 * shrinks quadratically to rounding noise; under complete or quasi-
 * complete separation the separated observations keep moving by about
 * one unit of eta per step. A step that fails (weights collapsing to
 * rounding noise) counts as separation too.
 */
static int
diverges(struct wls *w, const double *y, const double *x, size_t k,
    int intercept, const double *eta0, const double *mu0)
{
	size_t n = w->n;
	double *eta = malloc(n * sizeof(*eta));
	double *mu = malloc(n * sizeof(*mu));
	double *prev = malloc(n * sizeof(*prev));
	int sep = -1;

	if (eta == NULL || mu == NULL || prev == NULL)
		goto out;
	memcpy(eta, eta0, n * sizeof(*eta));
	memcpy(mu, mu0, n * sizeof(*mu));
	double move = INFINITY;
	for (int s = 0; s < SEP_STEPS; s++) {
		memcpy(prev, eta, n * sizeof(*prev));
		if (irls_step(w, y, x, k, intercept, eta, mu) != STATS_OK) {
			sep = 1;
			goto out;
		}
		move = 0.0;
		for (size_t i = 0; i < n; i++)
			move = fmax(move, fabs(eta[i] - prev[i]));
		if (move < SEP_SETTLED)
			break;
	}
	sep = move > SEP_MOVING;
out:
	free(eta);
	free(mu);
	free(prev);
	return sep;
}

int
stats_logit(const double *y, const double *x, size_t n, size_t k,
    int intercept, struct stats_logit *out)
{
	struct wls w = { 0 };
	double *eta = NULL, *mu = NULL, *coef = NULL;
	size_t p, ones = 0;
	int rc;

	if (out == NULL)
		return STATS_E_INVAL;
	memset(out, 0, sizeof(*out));
	if ((rc = regress_args(y, x, n, k, intercept, &p)) != STATS_RC_OK)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (y[i] != 0.0 && y[i] != 1.0)
			return STATS_E_INVAL;
		ones += y[i] == 1.0;
	}
	out->n = n;
	out->p = p;
	out->deviance = out->null_deviance = out->aic = NAN;
	out->df_residual = out->df_null = NAN;
	if ((out->coef = coef_alloc(p)) == NULL)
		return STATS_E_NOMEM;
	if (n == 0) {
		out->why = STATS_EMPTY;
		return STATS_RC_OK;
	}
	if (ones == 0 || ones == n) {
		out->why = STATS_ZERO_VARIANCE;
		return STATS_RC_OK;
	}
	rc = STATS_E_NOMEM;
	eta = malloc(n * sizeof(*eta));
	mu = malloc(n * sizeof(*mu));
	coef = malloc(p * sizeof(*coef));
	if (eta == NULL || mu == NULL || coef == NULL ||
	    wls_alloc(&w, n, p) != STATS_RC_OK)
		goto out;
	rc = STATS_RC_OK;

	/*
	 * The aliased columns are found once, in the design itself (R finds
	 * them in the first iteration's weighted design, whose weights are
	 * all equal). Later, a kept column that turns dependent under the
	 * weights means weights collapsing, i.e. separation.
	 */
	out->why = wls_fit(&w, x, k, intercept, NULL, y, GLM_TOL);
	out->rank = w.r;
	out->naliased = mark_aliased(&w, out->coef);
	out->df_residual = (double)(n - w.r);
	out->df_null = (double)(n - (intercept ? 1 : 0));
	if (out->why != STATS_OK)
		goto out;
	if (n <= w.r) {
		out->why = STATS_NO_DF;
		goto out;
	}

	/* binomial()$initialize: mustart = (y + 0.5) / 2, eta = logit. */
	for (size_t i = 0; i < n; i++) {
		double m0 = (y[i] + 0.5) / 2.0;
		eta[i] = log(m0 / (1.0 - m0));
		mu[i] = logit_linkinv(eta[i]);
	}
	double devold = binomial_deviance(y, mu, n), dev = devold;
	for (out->iter = 1; out->iter <= GLM_MAXIT; out->iter++) {
		enum stats_why why = irls_step(&w, y, x, k, intercept, eta, mu);
		if (why != STATS_OK) {
			out->why = why == STATS_SINGULAR ? STATS_SEPARATION : why;
			goto out;
		}
		memcpy(coef, w.beta, p * sizeof(*coef));
		dev = binomial_deviance(y, mu, n);
		if (!isfinite(dev)) { /* defensive: the clamped link prevents it */
			out->why = STATS_NUMERIC;
			goto out;
		}
		if (fabs(dev - devold) / (fabs(dev) + 0.1) < GLM_EPSILON) {
			out->converged = 1;
			break;
		}
		devold = dev;
	}
	if (out->iter > GLM_MAXIT)
		out->iter = GLM_MAXIT;

	/* summary.glm(): dispersion 1, SEs from the last weighted QR. */
	out->deviance = dev;
	out->null_deviance = null_deviance(y, n, intercept);
	out->aic = dev + 2.0 * (double)w.r;
	double zq = statsi_z975();
	for (size_t c = 0; c < w.r; c++) {
		struct stats_coef *cf = &out->coef[w.kept[c]];
		cf->est = coef[w.kept[c]];
		cf->se = sqrt(wls_unscaled_var(&w, c));
		cf->stat = cf->est / cf->se;
		cf->p = statsi_p_z2(cf->stat);
		/* confint.default(): the Wald interval. */
		cf->lo = cf->est - zq * cf->se;
		cf->hi = cf->est + zq * cf->se;
	}

	for (size_t i = 0; i < n; i++)
		if (mu[i] > 1.0 - 10.0 * DBL_EPSILON || mu[i] < 10.0 * DBL_EPSILON)
			out->fitted_01 = 1;
	int sep = diverges(&w, y, x, k, intercept, eta, mu);
	if (sep < 0) {
		rc = STATS_E_NOMEM;
		goto out;
	}
	out->why = sep ? STATS_SEPARATION :
	    out->converged ? STATS_OK : STATS_NO_CONVERGENCE;
out:
	if (rc != STATS_RC_OK)
		stats_logit_free(out);
	wls_free(&w);
	free(eta);
	free(mu);
	free(coef);
	return rc;
}
