/*
 * A sum score and its items solve one another. tests/analysis/data/
 * sum_form.json has three required items (0 to 3) and their sum, total;
 * sum_score.csv holds 100 responses whose items' tables are shown in full
 * but whose totals of 1, 2, 8 and 9 are rare (1, 5, 3 and 2). The items'
 * tables give the sum of every total exactly (the sum of the items), so
 * a rounded mean of total no longer hides it, and with n and the rounded
 * SD the hidden bins of total's histogram can be narrowed.
 *
 * The attacker here is written independently of gate.c: it reads
 * report.json and, by brute force over every completion of every hidden
 * cell (items' and total's), keeps those that agree with every published
 * number of these variables (cells, totals, n, the mean and SD at their
 * published rounding, the quartiles) and with the identity "sum of total
 * = sum of the items". Every hidden cell must keep at least 3 values
 * (k = 10). The same attacker, run on the release the gate made before it
 * modelled sums (sum_release_before.json), pins a hidden bin: the check
 * can fail.
 */
#include <math.h>

#include "data/report_helpers.h"
#include "report.h"

#define SUM_FORM "tests/analysis/data/sum_form.json"
#define SUM_CSV "tests/analysis/data/sum_score.csv"
#define NITEM 3
#define TMAX 10        /* total: values 0..9 */
#define NCOMP 4096     /* completions kept per variable */

struct var {
	int nval, lo;
	long shown[TMAX];  /* -1: hidden */
	long total;
	long comp[NCOMP][TMAX];
	long sum[NCOMP];
	int ncomp;
};

static int
completions(struct var *v, int at, long left, long *cur)
{
	if (at == v->nval) {
		if (left != 0)
			return 0;
		if (v->ncomp == NCOMP)
			return -1;
		memcpy(v->comp[v->ncomp], cur, sizeof(long) * TMAX);
		v->sum[v->ncomp] = 0;
		for (int i = 0; i < v->nval; i++)
			v->sum[v->ncomp] += (v->lo + i) * cur[i];
		v->ncomp++;
		return 0;
	}
	if (v->shown[at] >= 0) {
		cur[at] = v->shown[at];
		return left >= v->shown[at] ? completions(v, at + 1, left -
		    v->shown[at], cur) : 0;
	}
	for (long x = 1; x <= left; x++) {
		cur[at] = x;
		if (completions(v, at + 1, left - x, cur) != 0)
			return -1;
	}
	return 0;
}

/* Does x, at the published rounding of summary s, read as key's value? */
static int
agrees(json_t *s, const char *key, double x)
{
	json_t *p = json_object_get(s, key), *dp;
	double half;

	if (p == NULL || json_is_null(p))
		return 1;
	dp = json_object_get(s, "rounded_to_decimals");
	if (dp == NULL)
		return fabs(json_number_value(p) - x) <= 1e-9 *
		    fmax(1, fabs(x));
	half = 0.5 * pow(10, -(double)json_integer_value(dp));
	return fabs(json_number_value(p) - x) <= half + 1e-9;
}

/* R's type-7 quantile of a distribution of counts over lo.. */
static double
quantile(const long *c, int nval, int lo, long n, double p)
{
	double h = (double)(n - 1) * p;
	long i = (long)floor(h), seen = 0;
	double xi = 0, xj = 0;
	int gi = 0, gj = 0;

	for (int a = 0; a < nval; a++) {
		seen += c[a];
		if (!gi && seen > i) {
			xi = lo + a;
			gi = 1;
		}
		if (!gj && seen > i + 1) {
			xj = lo + a;
			gj = 1;
		}
	}
	if (!gj)
		xj = xi;
	return xi + (h - (double)i) * (xj - xi);
}

/* Is completion j of total consistent with its published summary? */
static int
summary_ok(json_t *s, const long *c, int nval, int lo, long n)
{
	double s1 = 0, s2 = 0, mean, sd;

	if (s == NULL)
		return 1;
	for (int a = 0; a < nval; a++) {
		s1 += (double)(lo + a) * (double)c[a];
		s2 += (double)(lo + a) * (double)(lo + a) * (double)c[a];
	}
	mean = s1 / (double)n;
	sd = sqrt((s2 - s1 * s1 / (double)n) / (double)(n - 1));
	return agrees(s, "mean", mean) && agrees(s, "sd", sd) &&
	    agrees(s, "median", quantile(c, nval, lo, n, 0.5)) &&
	    agrees(s, "q1", quantile(c, nval, lo, n, 0.25)) &&
	    agrees(s, "q3", quantile(c, nval, lo, n, 0.75));
}

static struct var items[NITEM], tot;

/*
 * The fewest values any hidden cell of these variables keeps over every
 * completion that agrees with release m; 1000 when nothing is hidden.
 */
static int
fewest_values(json_t *m)
{
	static const char *const names[NITEM] = {"ia", "ib", "ic"};
	static unsigned char ok_i[NITEM][NCOMP], ok_t[NCOMP];
	static unsigned char seen[TMAX][200];
	long cur[TMAX], n;
	json_t *v, *h, *s;
	int fewest = 1000;

	for (int j = 0; j < NITEM; j++) {
		json_t *rows, *r;
		size_t i;
		memset(&items[j], 0, sizeof(items[j]));
		v = report_var(m, names[j]);
		rows = json_object_get(json_object_get(v, "frequencies"),
		    "rows");
		items[j].nval = 4;
		items[j].total = json_integer_value(json_object_get(
		    json_object_get(v, "frequencies"), "total"));
		json_array_foreach(rows, i, r) {
			json_t *c = json_object_get(r, "count");
			items[j].shown[i] = json_is_null(c) ? -1 :
			    json_integer_value(c);
		}
		CHECK(completions(&items[j], 0, items[j].total, cur) == 0);
	}
	/* total is set on every row: all its items are required. */
	n = items[0].total;
	memset(&tot, 0, sizeof(tot));
	v = report_var(m, "total");
	h = json_object_get(v, "histogram");
	s = json_object_get(v, "summary");
	tot.lo = (int)ceil(json_number_value(json_array_get(
	    json_object_get(h, "breaks"), 0)));
	tot.nval = (int)json_array_size(json_object_get(h, "counts"));
	for (int a = 0; a < tot.nval; a++) {
		json_t *c = json_array_get(json_object_get(h, "counts"),
		    (size_t)a);
		tot.shown[a] = json_is_null(c) ? -1 : json_integer_value(c);
	}
	CHECK(completions(&tot, 0, n, cur) == 0);

	/* Keep the completions of each that some completion of the others
	 * matches: sum of total = sum of the items. */
	memset(ok_i, 0, sizeof(ok_i));
	memset(ok_t, 0, sizeof(ok_t));
	for (int t = 0; t < tot.ncomp; t++) {
		if (!summary_ok(s, tot.comp[t], tot.nval, tot.lo, n))
			continue;
		for (int a = 0; a < items[0].ncomp; a++)
			for (int b = 0; b < items[1].ncomp; b++)
				for (int c = 0; c < items[2].ncomp; c++) {
					if (items[0].sum[a] + items[1].sum[b] +
					    items[2].sum[c] != tot.sum[t])
						continue;
					ok_t[t] = ok_i[0][a] = ok_i[1][b] =
					    ok_i[2][c] = 1;
				}
	}
	for (int j = 0; j <= NITEM; j++) {
		struct var *x = j < NITEM ? &items[j] : &tot;
		unsigned char *ok = j < NITEM ? ok_i[j] : ok_t;
		memset(seen, 0, sizeof(seen));
		for (int c = 0; c < x->ncomp; c++)
			for (int a = 0; ok[c] && a < x->nval; a++)
				if (x->shown[a] < 0 && x->comp[c][a] < 200)
					seen[a][x->comp[c][a]] = 1;
		for (int a = 0; a < x->nval; a++) {
			int nv = 0;
			if (x->shown[a] >= 0)
				continue;
			for (int y = 0; y < 200; y++)
				nv += seen[a][y];
			if (nv < fewest)
				fewest = nv;
		}
	}
	return fewest;
}

int
main(void)
{
	char dir[512], db[1024], out[1100], *e = NULL, *o = NULL;
	char *form = src(SUM_FORM), *csv = src(SUM_CSV);
	char *before = src("tests/analysis/data/sum_release_before.json");
	json_error_t je;
	json_t *m;
	int fewest;

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(db, sizeof(db), "%s/s.db", dir);
	snprintf(out, sizeof(out), "%s/r", dir);
	CHECK_INT(run_analysis(&o, &e, "import", "--form", form, "--db", db,
	    "--csv", csv, (char *)NULL), 0);
	free(o);
	free(e);
	CHECK_INT(run_analysis(&o, &e, "report", "--db", db, "--form", form,
	    "--out", out, "--k", "10", (char *)NULL), 0);
	CHECK((m = load_json(out, "report.json")) != NULL);
	fewest = fewest_values(m);
	if (fewest < 3)
		fprintf(stderr, "a hidden cell keeps only %d value(s)\n",
		    fewest);
	CHECK(fewest >= 3 && fewest < 1000);
	json_decref(m);

	/* The release before sums were modelled: the attack works on it. */
	CHECK((m = json_load_file(before, 0, &je)) != NULL);
	CHECK(m != NULL && (fewest = fewest_values(m)) < 3);
	fprintf(stderr, "before: %d value(s)\n", fewest);
	json_decref(m);

	free(o);
	free(e);
	free(form);
	free(csv);
	free(before);
	test_rmtree(dir);
	return test_done();
}
