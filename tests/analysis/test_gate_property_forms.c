/*
 * Property, over generated forms: every release keeps every hidden cell's
 * protection interval. Each round writes a new form (2 to 5 required
 * single-choice items of 2 to 6 codes, some with a "prefer not to say"
 * missing code; often a sum score over the items without one; often a
 * required follow-up shown only for one answer of the first item), draws
 * 15 to 90 skewed responses, and builds the report with a plan that
 * compares two groups of the second item. An auditor written here,
 * independently of gate.c, reads the released JSON alone and builds its
 * own integer program with GLPK: one unknown per variable and value (and
 * "not asked" for the follow-up); every row has one; shown cells fixed,
 * hidden cells and bins at least 1; totals, n, exact means and SDs (sum
 * and sum of squares), rounded means (the interval of sums), min and max;
 * the sum score's values summing to its items' values; the follow-up
 * answered exactly by the rows with its condition; the shown group sizes.
 * For every hidden cell and bin it asks for the least and greatest value:
 * the range must hold at least gate_min_values(k) values.
 */
#include <glpk.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "data/report_helpers.h"
#include "dataset.h"
#include "form.h"
#include "gate.h"
#include "plan.h"
#include "report.h"
#include "testlib.h"

#define ROUNDS 1000
#define MAXV 8     /* variables of a form: items, follow-up, score */
#define MAXA 128   /* value atoms of one variable */

static uint64_t rs = 0x9e3779b97f4a7c15ULL;
static long hidden_checked;

static uint32_t
rnd(void)
{
	rs ^= rs >> 12;
	rs ^= rs << 25;
	rs ^= rs >> 27;
	return (uint32_t)((rs * 0x2545f4914f6cdd1dULL) >> 32);
}

/* The generated form, as the auditor knows it (the form is public). */
struct gform {
	int nitems;
	int ncodes[5];     /* codes 0..ncodes-1 */
	int has_missing[5];/* code 99: prefer not to say */
	int follow;        /* a follow-up of item 0 */
	int follow_on;     /* shown when item 0 = follow_on */
	int follow_codes;
	int score;         /* a sum score over the items in_score */
	int in_score[5];
	char json[8192];
};

static void
make_form(struct gform *g)
{
	size_t n = 0, cap = sizeof(g->json);
	int nin = 0;

	memset(g, 0, sizeof(*g));
	g->nitems = 2 + (int)(rnd() % 4);
	for (int i = 0; i < g->nitems; i++) {
		g->ncodes[i] = 2 + (int)(rnd() % 5);
		g->has_missing[i] = rnd() % 3 == 0;
		g->in_score[i] = !g->has_missing[i] && rnd() % 4 != 0;
		nin += g->in_score[i];
	}
	g->score = nin >= 2 && rnd() % 4 != 0;
	g->follow = rnd() % 3 != 0;
	g->follow_on = (int)(rnd() % (uint32_t)g->ncodes[0]);
	g->follow_codes = 2 + (int)(rnd() % 2);
	n += (size_t)snprintf(g->json + n, cap - n, "{\"id\": \"gen\", "
	    "\"version\": 1, \"languages\": [\"en\"], \"title\": \"Generated\", "
	    "\"consent\": {\"version\": \"2026-11-01\", \"title\": \"About\", "
	    "\"text\": \"Anonymous.\", \"agree\": \"I agree\", \"age_confirm\": "
	    "\"I am 18 or older\"}, \"pages\": [{\"id\": \"p1\", \"title\": "
	    "\"One\", \"items\": [");
	for (int i = 0; i < g->nitems + g->follow; i++) {
		int fu = i == g->nitems, nc = fu ? g->follow_codes :
		    g->ncodes[i];
		n += (size_t)snprintf(g->json + n, cap - n, "%s{\"var\": "
		    "\"%s%d\", \"kind\": \"single\", \"required\": true, "
		    "\"label\": \"Question %d\",", i ? ", " : "", fu ? "f" : "q",
		    fu ? 0 : i, i);
		if (fu)
			n += (size_t)snprintf(g->json + n, cap - n, " \"show_if\": "
			    "{\"var\": \"q0\", \"eq\": %d},", g->follow_on);
		n += (size_t)snprintf(g->json + n, cap - n, " \"choices\": [");
		for (int c = 0; c < nc; c++)
			n += (size_t)snprintf(g->json + n, cap - n, "%s{\"value\": "
			    "%d, \"label\": \"Code %d\"}", c ? ", " : "", c, c);
		if (!fu && g->has_missing[i])
			n += (size_t)snprintf(g->json + n, cap - n, ", {\"value\": "
			    "99, \"label\": \"Prefer not to say\", \"missing\": "
			    "true}");
		n += (size_t)snprintf(g->json + n, cap - n, "]}");
	}
	n += (size_t)snprintf(g->json + n, cap - n, "]}]");
	if (g->score) {
		int first = 1;
		n += (size_t)snprintf(g->json + n, cap - n, ", \"scores\": "
		    "[{\"var\": \"total\", \"kind\": \"sum\", \"label\": "
		    "\"Total\", \"items\": [");
		for (int i = 0; i < g->nitems; i++)
			if (g->in_score[i]) {
				n += (size_t)snprintf(g->json + n, cap - n,
				    "%s\"q%d\"", first ? "" : ", ", i);
				first = 0;
			}
		n += (size_t)snprintf(g->json + n, cap - n, "]}]");
	}
	snprintf(g->json + n, cap - n, "}");
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
generate(const struct gform *g, const struct form *f, size_t n)
{
	struct dataset *d = dataset_new(f, n);
	struct form_answers *a = form_answers_new(f);
	int w[5][8];
	char name[16];
	long smin = 0, smax = 0;

	for (int i = 0; i < g->nitems; i++)
		for (int c = 0; c <= g->ncodes[i]; c++)
			w[i][c] = rnd() % 3 == 0 ? 1 : 1 + (int)(rnd() % 20);
	for (size_t r = 0; d != NULL && a != NULL && r < n; r++) {
		for (size_t i = 0; i < f->nvars; i++)
			form_answers_clear(a, i);
		for (int i = 0; i < g->nitems; i++) {
			int t = 0, x, c;
			size_t iv;
			snprintf(name, sizeof(name), "q%d", i);
			iv = var_index(f, name);
			for (c = 0; c < g->ncodes[i] + g->has_missing[i]; c++)
				t += w[i][c];
			x = (int)(rnd() % (uint32_t)t);
			for (c = 0; x >= w[i][c]; c++)
				x -= w[i][c];
			a->v[iv].set = 1;
			a->v[iv].i = c < g->ncodes[i] ? c : 99;
			a->v[iv].r = (double)a->v[iv].i;
		}
		if (g->follow && a->v[var_index(f, "q0")].i == g->follow_on) {
			size_t iv = var_index(f, "f0");
			a->v[iv].set = 1;
			a->v[iv].i = rnd() % 5 == 0 ? 1 : (long)(rnd() %
			    (uint32_t)g->follow_codes);
			a->v[iv].r = (double)a->v[iv].i;
		}
		form_score(f, a);
		if (dataset_append(d, a) != 0) {
			dataset_free(d);
			d = NULL;
		}
	}
	form_answers_free(a);
	/* As dataset_load() finishes an integer score: its range of values. */
	if (d != NULL && g->score) {
		struct ds_col *c = &d->cols[var_index(f, "total")];
		smin = 1000;
		for (size_t r = 0; r < d->n; r++) {
			if (isnan(c->f64[r]))
				continue;
			if ((long)c->f64[r] < smin)
				smin = (long)c->f64[r];
			if ((long)c->f64[r] > smax)
				smax = (long)c->f64[r];
		}
		if (smin > smax)
			smin = smax = 0;
		c->lo = smin;
		c->hi = smax;
		c->small = 1;
	}
	return d;
}

/* ---- the auditor ---- */

struct avar {
	const char *name;
	long lo;          /* value of atom 0 */
	int nval;         /* value atoms; atom nval: not asked */
	int col;
	long missing;     /* a missing code, or -1 */
};

struct prot {
	int n, col[MAXA];
};

static void
row(glp_prob *lp, int n, const int *c, const double *v, int type, double lo,
    double hi)
{
	int r = glp_add_rows(lp, 1), ind[2 * MAXA * MAXV + 1];
	double val[2 * MAXA * MAXV + 1];

	for (int i = 0; i < n; i++) {
		ind[i + 1] = c[i];
		val[i + 1] = v[i];
	}
	glp_set_mat_row(lp, r, n, ind, val);
	glp_set_row_bnds(lp, r, type, lo, hi);
}

/* Fix a sum of columns at a published count, or protect it. */
static void
count_fact(glp_prob *lp, int n, const int *cols, json_t *cnt, int publishes,
    struct prot *pr, int *npr)
{
	double one[MAXA];

	for (int i = 0; i < n; i++)
		one[i] = 1;
	if (json_is_integer(cnt)) {
		double x = (double)json_integer_value(cnt);
		row(lp, n, cols, one, GLP_FX, x, x);
	} else if (publishes) {
		row(lp, n, cols, one, GLP_LO, 1, 0);
		pr[*npr].n = n;
		memcpy(pr[*npr].col, cols, (size_t)n * sizeof(int));
		(*npr)++;
	}
}

static void
facts(glp_prob *lp, json_t *m, const struct avar *v, long nrows,
    struct prot *pr, int *npr)
{
	json_t *j = report_var(m, v->name), *x, *s, *nj;
	int cols[MAXA], kc[MAXA], nk = 0, publishes = 0;
	double one[MAXA], w1[MAXA], w2[MAXA];
	size_t i;
	json_t *r;

	for (int a = 0; a <= v->nval; a++) {
		cols[a] = v->col + a;
		one[a] = 1;
	}
	row(lp, v->nval + 1, cols, one, GLP_FX, (double)nrows, (double)nrows);
	if (j == NULL)
		return;
	if ((x = json_object_get(j, "frequencies")) != NULL) {
		/* A table that shows nothing at all may hide zeros. */
		json_array_foreach(json_object_get(x, "rows"), i, r)
			publishes |= json_is_integer(json_object_get(r,
			    "count"));
		publishes |= json_is_integer(json_object_get(x, "total"));
		json_array_foreach(json_object_get(x, "rows"), i, r) {
			long val = (long)json_integer_value(json_object_get(r,
			    "value"));
			int c = v->col + (int)(val - v->lo);
			if (val - v->lo < 0 || val - v->lo >= v->nval)
				continue;
			count_fact(lp, 1, &c, json_object_get(r, "count"),
			    publishes, pr, npr);
		}
		count_fact(lp, v->nval, cols, json_object_get(x, "total"), 0,
		    pr, npr);
	}
	if ((x = json_object_get(j, "histogram")) != NULL) {
		json_t *br = json_object_get(x, "breaks");
		size_t nb = json_array_size(json_object_get(x, "counts"));
		for (size_t b = 0; b < nb; b++)
			publishes |= json_is_integer(json_array_get(
			    json_object_get(x, "counts"), b));
		for (size_t b = 0; b < nb; b++) {
			double lo = json_number_value(json_array_get(br, b));
			double hi = json_number_value(json_array_get(br, b + 1));
			int bc[MAXA], n = 0;
			for (int a = 0; a < v->nval; a++) {
				double xv = (double)(v->lo + a);
				if (xv >= lo && (xv < hi || (b + 1 == nb &&
				    xv <= hi)))
					bc[n++] = v->col + a;
			}
			if (n > 0)
				count_fact(lp, n, bc, json_array_get(
				    json_object_get(x, "counts"), b), publishes,
				    pr, npr);
		}
	}
	for (int a = 0; a < v->nval; a++) {
		if (v->lo + a == v->missing)
			continue;
		kc[nk] = v->col + a;
		w1[nk] = (double)(v->lo + a);
		w2[nk] = w1[nk] * w1[nk];
		nk++;
	}
	nj = json_object_get(j, "n");
	if (json_is_integer(nj))
		row(lp, nk, kc, one, GLP_FX, (double)json_integer_value(nj),
		    (double)json_integer_value(nj));
	s = json_object_get(j, "summary");
	if (json_is_object(s) && json_is_integer(nj)) {
		double n = (double)json_integer_value(nj);
		json_t *mean = json_object_get(s, "mean"), *sd =
		    json_object_get(s, "sd"), *dp = json_object_get(s,
		    "rounded_to_decimals"), *mn = json_object_get(s, "min"),
		    *mx = json_object_get(s, "max");
		if (json_is_number(mean) && dp == NULL) {
			double S = round(json_number_value(mean) * n);
			row(lp, nk, kc, w1, GLP_FX, S, S);
			if (json_is_number(sd) && n >= 2) {
				double sv = json_number_value(sd);
				double Q = round(sv * sv * (n - 1) + S * S / n);
				row(lp, nk, kc, w2, GLP_FX, Q, Q);
			}
		} else if (json_is_number(mean)) {
			double h = 0.5 * pow(10, -(double)json_integer_value(dp));
			row(lp, nk, kc, w1, GLP_DB,
			    ceil(n * (json_number_value(mean) - h) - 1e-9),
			    floor(n * (json_number_value(mean) + h) + 1e-9));
		}
		for (int a = 0; a < nk; a++) {
			if ((json_is_number(mn) && w1[a] < json_number_value(mn)) ||
			    (json_is_number(mx) && w1[a] > json_number_value(mx)))
				glp_set_col_bnds(lp, kc[a], GLP_FX, 0, 0);
		}
	}
}

static long
extreme(glp_prob *lp, const struct prot *p, int dir, int *ok)
{
	glp_iocp ip;
	int nc = glp_get_num_cols(lp);

	for (int j = 1; j <= nc; j++)
		glp_set_obj_coef(lp, j, 0);
	for (int i = 0; i < p->n; i++)
		glp_set_obj_coef(lp, p->col[i], 1);
	glp_set_obj_dir(lp, dir > 0 ? GLP_MAX : GLP_MIN);
	glp_init_iocp(&ip);
	ip.presolve = GLP_ON;
	ip.msg_lev = GLP_MSG_OFF;
	*ok = glp_intopt(lp, &ip) == 0 && glp_mip_status(lp) == GLP_OPT;
	return *ok ? (long)llround(glp_mip_obj_val(lp)) : 0;
}

static int
audit(const struct gform *g, json_t *m, long k, long n)
{
	struct avar v[MAXV];
	static struct prot pr[MAXV * MAXA];
	int nv = 0, npr = 0, fails = 0, items[5];
	long mv = gate_min_values(k);
	glp_prob *lp = glp_create_prob();
	static char names[MAXV][16];

	for (int i = 0; i < g->nitems; i++) {
		snprintf(names[nv], sizeof(names[nv]), "q%d", i);
		items[i] = nv;
		v[nv] = (struct avar){names[nv], 0, g->has_missing[i] ? 100 :
		    g->ncodes[i], 0, g->has_missing[i] ? 99 : -1};
		nv++;
	}
	if (g->follow)
		v[nv++] = (struct avar){"f0", 0, g->follow_codes, 0, -1};
	if (g->score) {
		int hi = 0;
		for (int i = 0; i < g->nitems; i++)
			hi += g->in_score[i] ? g->ncodes[i] - 1 : 0;
		v[nv++] = (struct avar){"total", 0, hi + 1, 0, -1};
	}
	for (int i = 0; i < nv; i++) {
		v[i].col = glp_add_cols(lp, v[i].nval + 1);
		for (int a = 0; a <= v[i].nval; a++) {
			glp_set_col_kind(lp, v[i].col + a, GLP_IV);
			/* Items are always asked; codes outside the form are 0. */
			glp_set_col_bnds(lp, v[i].col + a, GLP_LO, 0, 0);
		}
	}
	for (int i = 0; i < g->nitems; i++) {
		glp_set_col_bnds(lp, v[i].col + v[i].nval, GLP_FX, 0, 0);
		for (int a = g->ncodes[i]; a < v[i].nval; a++)
			if (a != 99)
				glp_set_col_bnds(lp, v[i].col + a, GLP_FX, 0, 0);
	}
	for (int i = 0; i < nv; i++)
		facts(lp, m, &v[i], n, pr, &npr);
	if (g->follow) {
		/* Answered exactly by the rows with q0 = follow_on. */
		const struct avar *f = &v[g->nitems];
		int c[MAXA + 1], t = 0;
		double w[MAXA + 1];
		for (int a = 0; a < f->nval; a++) {
			c[t] = f->col + a;
			w[t++] = 1;
		}
		c[t] = v[0].col + g->follow_on;
		w[t++] = -1;
		row(lp, t, c, w, GLP_FX, 0, 0);
	}
	if (g->score) {
		/* The sum of total's values is the sum of its items'. */
		const struct avar *s = &v[nv - 1];
		int c[MAXA * MAXV], t = 0;
		double w[MAXA * MAXV];
		for (int a = 1; a < s->nval; a++) {
			c[t] = s->col + a;
			w[t++] = a;
		}
		for (int i = 0; i < g->nitems; i++)
			for (int a = 1; g->in_score[i] && a < g->ncodes[i];
			    a++) {
				c[t] = v[items[i]].col + a;
				w[t++] = -a;
			}
		row(lp, t, c, w, GLP_FX, 0, 0);
	}
	/* The group sizes: q1 = 0 against q1 >= 1 (known codes). */
	{
		json_t *jg = json_array_get(json_object_get(m, "groups"), 0);
		json_t *na = json_object_get(jg, "n_a"), *nb =
		    json_object_get(jg, "n_b");
		int c[MAXA], t = 0;
		double w[MAXA];
		if (json_is_integer(na)) {
			c[0] = v[1].col;
			w[0] = 1;
			row(lp, 1, c, w, GLP_FX, (double)json_integer_value(na),
			    (double)json_integer_value(na));
		}
		for (int a = 1; a < g->ncodes[1]; a++) {
			c[t] = v[1].col + a;
			w[t++] = 1;
		}
		if (json_is_integer(nb) && t > 0)
			row(lp, t, c, w, GLP_FX, (double)json_integer_value(nb),
			    (double)json_integer_value(nb));
	}
	for (int i = 0; i < npr; i++) {
		int o1, o2;
		long a = extreme(lp, &pr[i], -1, &o1);
		long b = extreme(lp, &pr[i], 1, &o2);
		hidden_checked++;
		if (!o1 || !o2 || b - a + 1 < mv) {
			fprintf(stderr, "hidden count %d (first column %d): "
			    "[%ld, %ld] (%d %d), k %ld n %ld\nform: %s\n", i,
			    pr[i].col[0], a, b, o1, o2, k, n, g->json);
			fails++;
		}
	}
	glp_delete_prob(lp);
	return fails;
}

int
main(void)
{
	long audited = 0;
	int rounds = ROUNDS, fails = 0;

	glp_term_out(GLP_OFF);
	if (getenv("CANDOR_PROPERTY_ROUNDS") != NULL)
		rounds = (int)strtol(getenv("CANDOR_PROPERTY_ROUNDS"), NULL,
		    10);
	for (int round = 0; round < rounds && fails < 5; round++) {
		struct gform g;
		struct form *f = NULL;
		struct plan *p = NULL;
		struct rel_report *m = NULL;
		struct dataset *d;
		struct diag dg;
		char plan[512], err[512];
		size_t n = 15 + rnd() % 76;
		long k = 5 + (long)(rnd() % 8);
		json_t *j;

		make_form(&g);
		diag_init(&dg);
		if (form_load_buffer("(generated)", g.json, strlen(g.json), &f,
		    &dg) != 0) {
			diag_print(&dg, stderr);
			fprintf(stderr, "form: %s\n", g.json);
			CHECK(0);
			diag_free(&dg);
			break;
		}
		diag_free(&dg);
		d = generate(&g, f, n);
		snprintf(plan, sizeof(plan), "{\"outcomes\": [\"q0\"%s], "
		    "\"groups\": [{\"name\": \"g\", \"a\": {\"var\": \"q1\", "
		    "\"eq\": 0}, \"b\": {\"var\": \"q1\", \"in\": [1, 2, 3, 4, "
		    "5]}}], \"correlations\": false, \"k\": %ld}", g.score ?
		    ", \"total\"" : "", k);
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
			fails += audit(&g, j, k, (long)n);
			audited++;
			json_decref(j);
		}
		rel_report_free(m);
		plan_free(p);
		dataset_free(d);
		form_free(f);
	}
	CHECK_INT(fails, 0);
	CHECK_INT(audited, rounds);
	printf("%ld releases of generated forms, %ld hidden counts audited\n",
	    audited, hidden_checked);
	CHECK(hidden_checked > rounds);
	return test_done();
}
