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

/* The workspace of one weighted least-squares step. */
struct wls {
	size_t n, p;
	gsl_matrix *a;     /* n x p: scaled weighted design, then its QR */
	gsl_vector *tau;   /* p: Householder coefficients */
	gsl_vector *b;     /* n: weighted response */
	gsl_vector *sol;   /* p: solution of the scaled problem */
	gsl_vector *res;   /* n: residuals of the weighted problem */
	gsl_vector *scale; /* p: column lengths */
	gsl_matrix *rinv;  /* p x p: R^-1 of the last factorisation */
	double *beta;      /* p: coefficients on the original scale */
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
	memset(w, 0, sizeof(*w));
}

static int
wls_alloc(struct wls *w, size_t n, size_t p)
{
	memset(w, 0, sizeof(*w));
	w->n = n;
	w->p = p;
	w->a = gsl_matrix_alloc(n, p);
	w->tau = gsl_vector_alloc(p);
	w->b = gsl_vector_alloc(n);
	w->sol = gsl_vector_alloc(p);
	w->res = gsl_vector_alloc(n);
	w->scale = gsl_vector_alloc(p);
	w->rinv = gsl_matrix_alloc(p, p);
	w->beta = malloc(p * sizeof(*w->beta));
	if (!w->a || !w->tau || !w->b || !w->sol || !w->res || !w->scale ||
	    !w->rinv || !w->beta) {
		wls_free(w);
		return STATS_E_NOMEM;
	}
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
 * Solve the least-squares problem already loaded into w->a and w->b:
 * scale, factor, test the rank, solve, invert R. Returns the reason the
 * step failed (STATS_SINGULAR, STATS_NUMERIC) or STATS_OK; on success
 * w->beta, w->res (weighted residuals), w->rinv and w->scale are set.
 */
static enum stats_why
wls_solve(struct wls *w, double tol)
{
	size_t p = w->p;

	for (size_t j = 0; j < p; j++) {
		gsl_vector_view col = gsl_matrix_column(w->a, j);
		double s = gsl_blas_dnrm2(&col.vector);
		if (!(s > 0.0) || !isfinite(s))
			return s == 0.0 ? STATS_SINGULAR : STATS_NUMERIC;
		gsl_vector_set(w->scale, j, s);
		if (gsl_vector_scale(&col.vector, 1.0 / s) != GSL_SUCCESS)
			return STATS_NUMERIC;
	}
	if (gsl_linalg_QR_decomp(w->a, w->tau) != GSL_SUCCESS)
		return STATS_NUMERIC;
	for (size_t j = 0; j < p; j++)
		if (!(fabs(gsl_matrix_get(w->a, j, j)) >= tol))
			return STATS_SINGULAR;
	if (gsl_linalg_QR_lssolve(w->a, w->tau, w->b, w->sol, w->res) !=
	    GSL_SUCCESS)
		return STATS_NUMERIC;
	for (size_t j = 0; j < p; j++)
		w->beta[j] = gsl_vector_get(w->sol, j) / gsl_vector_get(w->scale, j);

	gsl_matrix_set_zero(w->rinv);
	for (size_t i = 0; i < p; i++)
		for (size_t j = i; j < p; j++)
			gsl_matrix_set(w->rinv, i, j, gsl_matrix_get(w->a, i, j));
	if (gsl_linalg_tri_invert(CblasUpper, CblasNonUnit, w->rinv) !=
	    GSL_SUCCESS)
		return STATS_NUMERIC;
	for (size_t j = 0; j < p; j++)
		if (!isfinite(w->beta[j]))
			return STATS_NUMERIC;
	return STATS_OK;
}

/* diag((X'WX)^-1)[j] from the last factorisation: |row j of R^-1|^2 / s_j^2. */
static double
wls_unscaled_var(const struct wls *w, size_t j)
{
	long double s = 0.0L;

	for (size_t k = j; k < w->p; k++) {
		double r = gsl_matrix_get(w->rinv, j, k);
		s += (long double)r * r;
	}
	double sc = gsl_vector_get(w->scale, j);
	return (double)(s / ((long double)sc * sc));
}

static struct stats_coef *
coef_alloc(size_t p)
{
	struct stats_coef *c = malloc(p * sizeof(*c));

	if (c == NULL)
		return NULL;
	for (size_t j = 0; j < p; j++)
		c[j] = (struct stats_coef){ NAN, NAN, NAN, NAN, NAN, NAN, NAN };
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
 * HC3 (sandwich::vcovHC(type = "HC3")): with z_i = R^-T (x_i / s),
 * h_i = |z_i|^2 and omega_i = e_i^2 / (1 - h_i)^2, the scaled covariance
 * is R^-1 (sum_i omega_i z_i z_i') R^-T. Sets coef[].hc3_*.
 */
static enum stats_why
ols_hc3(const struct wls *w, const double *x, size_t k, int intercept,
    double df, struct stats_coef *coef)
{
	size_t n = w->n, p = w->p;
	double *z = NULL, *xs = NULL;
	long double *g = NULL;
	enum stats_why why = STATS_NUMERIC;

	z = malloc(p * sizeof(*z));
	xs = malloc(p * sizeof(*xs));
	g = calloc(p * p, sizeof(*g));
	if (z == NULL || xs == NULL || g == NULL)
		goto out;
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < p; j++)
			xs[j] = design(x, k, intercept, i, j) /
			    gsl_vector_get(w->scale, j);
		long double h = 0.0L;
		for (size_t c = 0; c < p; c++) {
			long double s = 0.0L;
			for (size_t r = 0; r <= c; r++)
				s += (long double)gsl_matrix_get(w->rinv, r, c) * xs[r];
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
		for (size_t r = 0; r < p; r++)
			for (size_t c = r; c < p; c++)
				g[r * p + c] += om * z[r] * z[c];
	}
	/* V_s = Rinv G Rinv'; only its diagonal is needed. */
	for (size_t j = 0; j < p; j++) {
		long double v = 0.0L;
		for (size_t r = j; r < p; r++)
			for (size_t c = j; c < p; c++) {
				long double grc = r <= c ? g[r * p + c] : g[c * p + r];
				v += (long double)gsl_matrix_get(w->rinv, j, r) * grc *
				    gsl_matrix_get(w->rinv, j, c);
			}
		double sc = gsl_vector_get(w->scale, j);
		double se = sqrt((double)v) / sc;
		coef[j].hc3_se = se;
		coef[j].hc3_stat = coef[j].est / se;
		coef[j].hc3_p = statsi_p_t2(coef[j].hc3_stat, df);
	}
	why = STATS_OK;
out:
	free(z);
	free(xs);
	free(g);
	return why;
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
	out->df = n > p ? (double)(n - p) : 0.0;
	out->rss = out->sigma = out->r2 = out->adj_r2 = NAN;
	if ((out->coef = coef_alloc(p)) == NULL)
		return STATS_E_NOMEM;
	if (n == 0 || n < p) {
		out->why = out->why_se = out->why_hc3 =
		    n == 0 ? STATS_EMPTY : STATS_SINGULAR;
		return STATS_RC_OK;
	}
	if ((rc = wls_alloc(&w, n, p)) != STATS_RC_OK) {
		stats_ols_free(out);
		return rc;
	}
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < p; j++)
			gsl_matrix_set(w.a, i, j, design(x, k, intercept, i, j));
		gsl_vector_set(w.b, i, y[i]);
	}
	out->why = wls_solve(&w, OLS_TOL);
	if (out->why != STATS_OK) {
		out->why_se = out->why_hc3 = out->why;
		goto out;
	}
	for (size_t j = 0; j < p; j++)
		out->coef[j].est = w.beta[j];

	/* summary.lm(): r.squared = mss / (mss + rss). */
	long double rss = 0.0L, mss = 0.0L, fsum = 0.0L;
	for (size_t i = 0; i < n; i++) {
		double e = gsl_vector_get(w.res, i);
		rss += (long double)e * e;
		fsum += (long double)y[i] - e;
	}
	long double fmean = intercept ? fsum / (long double)n : 0.0L;
	for (size_t i = 0; i < n; i++) {
		long double f = (long double)y[i] - gsl_vector_get(w.res, i) - fmean;
		mss += f * f;
	}
	out->rss = (double)rss;
	if (mss + rss > 0.0L) {
		out->r2 = (double)(mss / (mss + rss));
		if (n > p)
			out->adj_r2 = 1.0 - (1.0 - out->r2) *
			    ((double)(n - (intercept ? 1 : 0)) / out->df);
	}
	if (n == p) {
		out->why_se = out->why_hc3 = STATS_NO_DF;
		goto out;
	}
	double s2 = out->rss / out->df;
	out->sigma = sqrt(s2);
	for (size_t j = 0; j < p; j++) {
		struct stats_coef *c = &out->coef[j];
		c->se = sqrt(s2 * wls_unscaled_var(&w, j));
		c->stat = c->est / c->se;
		c->p = statsi_p_t2(c->stat, out->df);
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
 * One IRLS step from eta/mu: load the working response and weights into
 * the workspace and solve. On success the new coefficients are w->beta
 * and eta, mu are updated from them.
 */
static enum stats_why
irls_step(struct wls *w, const double *y, const double *x, size_t k,
    int intercept, double *eta, double *mu)
{
	size_t n = w->n, p = w->p;
	enum stats_why why;

	for (size_t i = 0; i < n; i++) {
		double me = logit_mu_eta(eta[i]);
		double z = eta[i] + (y[i] - mu[i]) / me;
		double wt = sqrt(me * me / (mu[i] * (1.0 - mu[i])));
		for (size_t j = 0; j < p; j++)
			gsl_matrix_set(w->a, i, j, wt * design(x, k, intercept, i, j));
		gsl_vector_set(w->b, i, z * wt);
	}
	if ((why = wls_solve(w, GLM_TOL)) != STATS_OK)
		return why;
	for (size_t i = 0; i < n; i++) {
		double e = 0.0;
		for (size_t j = 0; j < p; j++)
			e += design(x, k, intercept, i, j) * w->beta[j];
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
	if (n <= p) {
		out->why = STATS_NO_DF;
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
	 * The design itself must have full rank: later, a weighted design
	 * that turns singular means weights collapsing, i.e. separation.
	 */
	for (size_t i = 0; i < n; i++) {
		for (size_t j = 0; j < p; j++)
			gsl_matrix_set(w.a, i, j, design(x, k, intercept, i, j));
		gsl_vector_set(w.b, i, y[i]);
	}
	if ((out->why = wls_solve(&w, GLM_TOL)) != STATS_OK)
		goto out;

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
	out->aic = dev + 2.0 * (double)p;
	for (size_t j = 0; j < p; j++) {
		struct stats_coef *c = &out->coef[j];
		c->est = coef[j];
		c->se = sqrt(wls_unscaled_var(&w, j));
		c->stat = c->est / c->se;
		c->p = statsi_p_z2(c->stat);
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
