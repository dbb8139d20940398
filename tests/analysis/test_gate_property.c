/*
 * Property: every release keeps every hidden cell's protection interval.
 * Over 1500 generated datasets of tests/analysis/data/gate_form.json
 * (12 to 90 rows; skewed pain, few "other" and many "prefer not to say"
 * answers to sex, rare kratom users) and generated plans (groups on one
 * variable, thresholds drawn at random, k from 5 to 12), report_build()
 * runs, and an auditor written here, independently of gate.c, builds its
 * own integer program with GLPK from the released model alone:
 *   per variable, one unknown per value; every row has one (the items are
 *   required); shown cells fixed, hidden cells >= 1, "< k" counts in
 *   1..k-1; n; an exact mean and SD as the sum and sum of squares, a
 *   rounded mean as the interval of sums that round to it; min and max;
 *   the criteria score pain_hi as the sum of pain's values 7 to 10; shown
 *   group sizes as sums of the defining variable's cells.
 * For every hidden cell and "< k" count it asks GLPK for the least and
 * greatest value; the range must hold at least gate_min_values(k) values.
 * (The auditor keeps only what is linear, so it checks a necessary
 * condition with a second formulation; the gate's own checks of rounded
 * figures and comparisons are the other half.)
 */
#include <glpk.h>

#include "dataset.h"
#include "form.h"
#include "gate.h"
#include "plan.h"
#include "report.h"
#include "testlib.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define ROUNDS 1500

static uint64_t rs = 0x243f6a8885a308d3ULL;
static long hidden_checked; /* over all rounds */

static uint32_t
rnd(void)
{
	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	return (uint32_t)((rs * 0x2545f4914f6cdd1dULL) >> 32);
}

static int
pick(const int *w, int n)
{
	int t = 0, x;

	for (int i = 0; i < n; i++)
		t += w[i];
	x = (int)(rnd() % (uint32_t)t);
	for (int i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

static size_t
var_index(const struct form *f, const char *name)
{
	for (size_t i = 0; i < f->nvars; i++)
		if (strcmp(f->vars[i].name, name) == 0)
			return i;
	return (size_t)-1;
}

static struct dataset *
generate(const struct form *f, size_t n)
{
	struct dataset *d = dataset_new(f, n);
	struct form_answers *a = form_answers_new(f);
	size_t isex = var_index(f, "sex"), iage = var_index(f, "age_band");
	size_t ipain = var_index(f, "pain"), iflare = var_index(f, "flare");
	size_t ikr = var_index(f, "kratom_use");
	int wsex[4], wpain[11], wkr[3];
	static const int sexv[4] = {1, 2, 3, 99};

	for (int i = 0; i < 4; i++)
		wsex[i] = 1 + (int)(rnd() % (i == 0 ? 40 : 8));
	for (int i = 0; i < 11; i++)
		wpain[i] = (int)(rnd() % 10) + (rnd() % 4 == 0 ? 0 : 1);
	wpain[rnd() % 11] += 3;
	wkr[0] = 20;
	wkr[1] = 1 + (int)(rnd() % 3);
	wkr[2] = 1 + (int)(rnd() % 10);
	for (size_t r = 0; d != NULL && a != NULL && r < n; r++) {
		for (size_t i = 0; i < f->nvars; i++)
			form_answers_clear(a, i);
		a->v[isex].set = 1;
		a->v[isex].i = sexv[pick(wsex, 4)];
		a->v[iage].set = 1;
		a->v[iage].i = 1 + (long)(rnd() % 4);
		a->v[ipain].set = 1;
		a->v[ipain].i = pick(wpain, 11);
		a->v[iflare].set = 1;
		a->v[iflare].i = rnd() % 3 == 0;
		a->v[ikr].set = 1;
		a->v[ikr].i = pick(wkr, 3);
		for (size_t i = 0; i < f->nvars; i++)
			a->v[i].r = (double)a->v[i].i;
		form_score(f, a);
		if (dataset_append(d, a) != 0) {
			dataset_free(d);
			d = NULL;
		}
	}
	form_answers_free(a);
	/* As dataset_load() finishes an integer score: its range of counts. */
	if (d != NULL) {
		struct ds_col *c = &d->cols[var_index(f, "pain_hi")];
		c->lo = 0;
		c->hi = 1;
		c->small = 1;
	}
	return d;
}

/* ---- the auditor ---- */

struct aud {
	glp_prob *lp;
	int col[6]; /* first column of each audited variable */
	const char *names[6];
	long lo[6];
	int nval[6];
	long k, n;
	int failures;
};

static void
row(glp_prob *lp, int n, const int *c, const double *v, int type, double lo,
    double hi)
{
	int r = glp_add_rows(lp, 1), ind[129];
	double val[129];

	for (int i = 0; i < n; i++) {
		ind[i + 1] = c[i];
		val[i + 1] = v[i];
	}
	glp_set_mat_row(lp, r, n, ind, val);
	glp_set_row_bnds(lp, r, type, lo, hi);
}

static json_t *
var(json_t *m, const char *name)
{
	size_t i;
	json_t *v;

	json_array_foreach(json_object_get(m, "variables"), i, v)
		if (strcmp(json_string_value(json_object_get(v, "variable")),
		    name) == 0)
			return v;
	return NULL;
}

/* Facts of one variable's tables and summary; hidden cells into *hid. */
static void
facts(struct aud *A, json_t *m, int w, int *hid, int *nhid, int *hcol)
{
	json_t *v = var(m, A->names[w]), *x, *s;
	int c0 = A->col[w], nv = A->nval[w], cols[128];
	double one[128], w1[128], w2[128];
	int nk = 0;

	for (int a = 0; a < nv; a++) {
		cols[a] = c0 + a;
		one[a] = 1;
	}
	row(A->lp, nv, cols, one, GLP_FX, (double)A->n, (double)A->n);
	if ((x = json_object_get(v, "frequencies")) != NULL) {
		size_t i;
		json_t *r;
		json_array_foreach(json_object_get(x, "rows"), i, r) {
			long val = (long)json_integer_value(json_object_get(r,
			    "value"));
			int c = c0 + (int)(val - A->lo[w]);
			json_t *cn = json_object_get(r, "count");
			if (val - A->lo[w] < 0 || val - A->lo[w] >= nv)
				continue;
			if (json_is_integer(cn))
				glp_set_col_bnds(A->lp, c, GLP_FX,
				    (double)json_integer_value(cn),
				    (double)json_integer_value(cn));
			else if (json_object_get(r, "count_text") == NULL) {
				glp_set_col_bnds(A->lp, c, GLP_LO, 1, 0);
				hid[(*nhid)] = c;
				hcol[(*nhid)++] = w;
			}
		}
	}
	if ((x = json_object_get(v, "histogram")) != NULL && json_array_size(
	    json_object_get(x, "counts")) == 11) {
		for (int a = 0; a < 11; a++) {
			json_t *cn = json_array_get(json_object_get(x, "counts"),
			    (size_t)a);
			if (json_is_integer(cn))
				glp_set_col_bnds(A->lp, c0 + a, GLP_FX,
				    (double)json_integer_value(cn),
				    (double)json_integer_value(cn));
			else {
				glp_set_col_bnds(A->lp, c0 + a, GLP_LO, 1, 0);
				hid[(*nhid)] = c0 + a;
				hcol[(*nhid)++] = w;
			}
		}
	}
	/* Known values: sex 99 is a missing code. */
	for (int a = 0; a < nv; a++) {
		if (strcmp(A->names[w], "sex") == 0 && a + A->lo[w] == 99)
			continue;
		cols[nk] = c0 + a;
		one[nk] = 1;
		w1[nk] = (double)(a + A->lo[w]);
		w2[nk] = w1[nk] * w1[nk];
		nk++;
	}
	/* Codes the form does not have: 4 to 98 of sex. */
	if (strcmp(A->names[w], "sex") == 0)
		for (int val = 4; val <= 98; val++)
			glp_set_col_bnds(A->lp, c0 + val - 1, GLP_FX, 0, 0);
	x = json_object_get(v, "n");
	if (json_is_integer(x))
		row(A->lp, nk, cols, one, GLP_FX, (double)json_integer_value(x),
		    (double)json_integer_value(x));
	s = json_object_get(v, "summary");
	if (json_is_object(s) && json_is_integer(x)) {
		double n = (double)json_integer_value(x);
		json_t *mean = json_object_get(s, "mean"), *sd =
		    json_object_get(s, "sd"), *dp = json_object_get(s,
		    "rounded_to_decimals"), *mn = json_object_get(s, "min"),
		    *mx = json_object_get(s, "max");
		if (json_is_number(mean) && dp == NULL) {
			double S = round(json_number_value(mean) * n);
			row(A->lp, nk, cols, w1, GLP_FX, S, S);
			if (json_is_number(sd) && n >= 2) {
				double sv = json_number_value(sd);
				double Q = round(sv * sv * (n - 1) + S * S / n);
				row(A->lp, nk, cols, w2, GLP_FX, Q, Q);
			}
		} else if (json_is_number(mean)) {
			double h = 0.5 * pow(10, -(double)json_integer_value(dp));
			row(A->lp, nk, cols, w1, GLP_DB,
			    ceil(n * (json_number_value(mean) - h) - 1e-9),
			    floor(n * (json_number_value(mean) + h) + 1e-9));
		}
		for (int a = 0; a < nk; a++) {
			if (json_is_number(mn) && w1[a] < json_number_value(mn))
				glp_set_col_bnds(A->lp, cols[a], GLP_FX, 0, 0);
			if (json_is_number(mx) && w1[a] > json_number_value(mx))
				glp_set_col_bnds(A->lp, cols[a], GLP_FX, 0, 0);
		}
	}
}

static long
extreme(glp_prob *lp, int col, int dir, int *ok)
{
	glp_iocp p;
	int nc = glp_get_num_cols(lp);

	for (int j = 1; j <= nc; j++)
		glp_set_obj_coef(lp, j, j == col);
	glp_set_obj_dir(lp, dir > 0 ? GLP_MAX : GLP_MIN);
	glp_init_iocp(&p);
	p.presolve = GLP_ON;
	p.msg_lev = GLP_MSG_OFF;
	*ok = glp_intopt(lp, &p) == 0 && glp_mip_status(lp) == GLP_OPT;
	return *ok ? (long)llround(glp_mip_obj_val(lp)) : 0;
}

static void
audit(json_t *m, long k, long n, const struct plan *p, const struct form *f)
{
	static const char *const names[6] = {"sex", "age_band", "pain", "flare",
	    "kratom_use", "pain_hi"};
	static const long lo[6] = {1, 1, 0, 0, 0, 0};
	static const int nval[6] = {99, 4, 11, 2, 3, 2};
	struct aud A;
	int hid[512], hw[512], nh = 0, tot = 0;
	long mv = gate_min_values(k);

	memset(&A, 0, sizeof(A));
	A.lp = glp_create_prob();
	A.k = k;
	A.n = n;
	for (int w = 0; w < 6; w++) {
		A.names[w] = names[w];
		A.lo[w] = lo[w];
		A.nval[w] = nval[w];
		A.col[w] = glp_add_cols(A.lp, nval[w]);
		for (int j = 0; j < nval[w]; j++) {
			glp_set_col_kind(A.lp, A.col[w] + j, GLP_IV);
			glp_set_col_bnds(A.lp, A.col[w] + j, GLP_LO, 0, 0);
		}
	}
	for (int w = 0; w < 6; w++)
		facts(&A, m, w, hid, &nh, hw);
	/* pain_hi = pain's 7..10; pain_hi 0 = pain's 0..6. */
	for (int yes = 0; yes < 2; yes++) {
		int c[12], t = 0;
		double v[12];
		for (int a = yes ? 7 : 0; a <= (yes ? 10 : 6); a++) {
			c[t] = A.col[2] + a;
			v[t++] = 1;
		}
		c[t] = A.col[5] + yes;
		v[t++] = -1;
		row(A.lp, t, c, v, GLP_FX, 0, 0);
	}
	/* Shown group sizes on one variable. */
	for (size_t g = 0; g < p->ngroups; g++) {
		json_t *jg = json_array_get(json_object_get(m, "groups"), g);
		size_t iv;
		int w = -1;
		if (!plan_cond_single_var(p->groups[g].a, &iv))
			continue;
		for (int x = 0; x < 6; x++)
			if (strcmp(f->vars[iv].name, names[x]) == 0)
				w = x;
		if (w < 0)
			continue;
		for (int s = 0; s < 2; s++) {
			json_t *sz = json_object_get(jg, s ? "n_b" : "n_a");
			int c[128], t = 0;
			double v[128];
			if (!json_is_integer(sz))
				continue;
			for (int a = 0; a < nval[w]; a++) {
				int known = !(w == 0 && a + lo[w] == 99);
				enum form_tri ta = plan_cond_eval_value(
				    p->groups[g].a, 1, known, (double)(a + lo[w]));
				enum form_tri tb = plan_cond_eval_value(
				    p->groups[g].b, 1, known, (double)(a + lo[w]));
				if ((s == 0 && ta == FORM_TRUE && tb != FORM_TRUE) ||
				    (s == 1 && tb == FORM_TRUE && ta != FORM_TRUE)) {
					c[t] = A.col[w] + a;
					v[t++] = 1;
				}
			}
			if (t > 0)
				row(A.lp, t, c, v, GLP_FX,
				    (double)json_integer_value(sz),
				    (double)json_integer_value(sz));
		}
	}
	for (int i = 0; i < nh; i++) {
		int o1, o2;
		long a = extreme(A.lp, hid[i], -1, &o1);
		long b = extreme(A.lp, hid[i], 1, &o2);
		tot++;
		if (!o1 || !o2 || b - a + 1 < mv) {
			fprintf(stderr, "%s: hidden cell %d: [%ld, %ld] (%d %d), "
			    "k %ld n %ld\n", names[hw[i]], hid[i] - A.col[hw[i]],
			    a, b, o1, o2, k, n);
			A.failures++;
		}
	}
	hidden_checked += tot;
	CHECK_INT(A.failures, 0);
	glp_delete_prob(A.lp);
}

int
main(void)
{
	char buf[2048], err[512];
	struct form *f = NULL;
	struct diag dg;
	long audited = 0;
	int rounds = ROUNDS;

	glp_term_out(GLP_OFF);
	diag_init(&dg);
	CHECK_INT(form_load(test_src_path("tests/analysis/data/gate_form.json",
	    buf, sizeof(buf)), &f, &dg), 0);
	diag_free(&dg);
	if (f == NULL)
		return test_done();
	if (getenv("CANDOR_PROPERTY_ROUNDS") != NULL)
		rounds = (int)strtol(getenv("CANDOR_PROPERTY_ROUNDS"), NULL,
		    10);
	for (int round = 0; round < rounds; round++) {
		size_t n = 12 + rnd() % 79;
		long k = 5 + (long)(rnd() % 8);
		struct dataset *d = generate(f, n);
		struct plan *p = NULL;
		struct rel_report *m = NULL;
		char plan[1024];
		int t = 1 + (int)(rnd() % 9);
		json_t *j;

		snprintf(plan, sizeof(plan), "{\"outcomes\": [\"pain\", "
		    "\"flare\"], \"groups\": [{\"name\": \"hi\", \"a\": {\"var\": "
		    "\"pain\", \"ge\": %d}, \"b\": {\"var\": \"pain\", \"lt\": "
		    "%d}}, {\"name\": \"kr\", \"a\": {\"var\": \"kratom_use\", "
		    "\"eq\": 2}, \"b\": {\"var\": \"kratom_use\", \"eq\": 0}}, "
		    "{\"name\": \"sx\", \"a\": {\"var\": \"sex\", \"eq\": 1}, "
		    "\"b\": {\"var\": \"sex\", \"in\": [2, 3]}}], \"covariates\": "
		    "[\"age_band\"], \"correlations\": false, \"k\": %ld}", t, t,
		    k);
		diag_init(&dg);
		CHECK(d != NULL);
		CHECK_INT(plan_load_buffer("(plan)", plan, strlen(plan), f, &p,
		    &dg), 0);
		diag_free(&dg);
		if (d == NULL || p == NULL ||
		    report_build(f, d, p, k, NULL, &m, err, sizeof(err)) != 0) {
			fprintf(stderr, "round %d: %s\n", round, err);
			CHECK(0);
		} else if ((j = report_json(m)) != NULL) {
			audit(j, k, (long)n, p, f);
			audited++;
			json_decref(j);
		}
		rel_report_free(m);
		plan_free(p);
		dataset_free(d);
		if (test_failures > 20)
			break;
	}
	CHECK_INT(audited, rounds);
	/* The property was exercised: many hidden counts were audited. */
	printf("%ld releases, %ld hidden counts audited\n", audited,
	    hidden_checked);
	CHECK(hidden_checked > rounds);
	form_free(f);
	return test_done();
}
