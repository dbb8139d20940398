/*
 * The attacks of the whole-release audit, replayed against the report.
 * A generator below writes 120 responses to tests/analysis/data/
 * gate_form.json, shaped like the data in which each attack was found:
 * one past kratom user beside 28 current and 91 never; pain with 3 zeros
 * and 4 tens; 4 "prefer not to say" and 2 "other" answers to sex; a
 * criteria score pain >= 7; a flare reported by 2 of the 43 with high
 * pain; and two plan groups that differ by one respondent. The report
 * (k = 10) is read as an attacker reads it, from report.json, and each
 * attack is run by brute force over every completion of the hidden cells
 * that agrees with what is published, independently of the gate's code:
 *
 *  1. mean x n of kratom_use and the group sizes give back its hidden
 *     cells 1 and 2 (before the gate: past = 1, now = 28, n_a = 28);
 *  2. n, mean and SD of pain solve its histogram's hidden bins;
 *  3. the residual group (everyone minus "now" and "never") is the one
 *     past user, whose pain the overall and group means gave back;
 *  4. total, n and missing of sex give back the hidden "prefer not to
 *     say" cell;
 *  5. the criteria score pain_hi (published 43) solves a hidden pain bin;
 *  6. an adjusted model is published for a group whose crude 2 x 2 table
 *     hides a cell of 2;
 *  7. two groups of the plan differ by one respondent (a tracker).
 * Each check fails on the release as it was before the gate (all of these
 * numbers were published exactly) and passes now: every hidden cell keeps
 * at least 3 values (k = 10), and the rest is withheld.
 */
#include "data/report_helpers.h"
#include "report.h"

#define GATE_FORM "tests/analysis/data/gate_form.json"
#define N 120
#define MV 3

static const int pain_counts[11] = {3, 12, 12, 12, 12, 13, 13, 13, 13, 13, 4};

/* The 120 rows, deterministic. */
static size_t
generate(char *buf, size_t cap)
{
	size_t n = 0;
	int now = 0, pain[N], v = 0, left = pain_counts[0];

	for (int i = 0; i < N; i++) {
		while (left == 0)
			left = pain_counts[++v];
		pain[i] = v;
		left--;
	}
	n += (size_t)snprintf(buf + n, cap - n,
	    "sex,age_band,pain,flare,kratom_use\r\n");
	for (int i = 0; i < N; i++) {
		int k = 0, sex = 1, flare;
		if (i == 60)
			k = 1; /* the one past user */
		else if (now < 28 && i % 4 == 1) {
			k = 2;
			now++;
		}
		if (i == 20 || i == 24 || i == 28 || i == 32)
			sex = 99;
		else if (i == 40 || i == 100)
			sex = 3;
		else if (i % 8 == 3)
			sex = 2;
		flare = pain[i] >= 7 ? (i == 80 || i == 95) : i % 2 == 0;
		n += (size_t)snprintf(buf + n, cap - n, "%d,%d,%d,%d,%d\r\n",
		    sex, i % 4 + 1, pain[i], flare, k);
	}
	return n;
}

/* A shown number, or NAN. */
static double
num(json_t *o, const char *k)
{
	json_t *v = json_object_get(o, k);

	return json_is_number(v) ? json_number_value(v) : NAN;
}

/* Does the published x (rounded to dp when dp >= 0) agree with value? */
static int
agrees(double pub, int dp, double value)
{
	if (isnan(pub))
		return 1;
	if (dp >= 0) {
		double s = pow(10.0, dp);
		return fabs(round(value * s) / s - pub) < 1e-9;
	}
	return fabs(value - pub) <= 1e-9 * fmax(1, fabs(pub));
}

/* R type 7 quantile of counts c[0..nv) of values 0..nv-1. */
static double
quantile(const long *c, int nv, long n, double p)
{
	double h = (double)(n - 1) * p;
	long j = (long)floor(h), acc = 0;
	double a = NAN, b = NAN;

	for (int v = 0; v < nv; v++) {
		if (isnan(a) && j < acc + c[v])
			a = v;
		if (isnan(b) && j + 1 < acc + c[v])
			b = v;
		acc += c[v];
	}
	if (isnan(b))
		b = a;
	return a + (h - (double)j) * (b - a);
}

/* Does a completion c of a 0..nv-1 variable agree with its summary? */
static int
summary_agrees(json_t *s, const long *c, int nv, long n)
{
	json_t *d = json_object_get(s, "rounded_to_decimals");
	int dp = d != NULL ? (int)json_integer_value(d) : -1;
	double s1 = 0, s2 = 0, mean, sd, t;
	long lo = -1, hi = -1;

	if (!json_is_object(s))
		return 1;
	for (int v = 0; v < nv; v++) {
		s1 += (double)c[v] * v;
		s2 += (double)c[v] * v * v;
		if (c[v] > 0 && lo < 0)
			lo = v;
		if (c[v] > 0)
			hi = v;
	}
	mean = s1 / (double)n;
	sd = sqrt((s2 - s1 * mean) / (double)(n - 1));
	t = 1.97993040; /* qt(0.975, 119) */
	/* Rounded, the interval is computed from the published figures. */
	if (n != N || dp >= 0)
		t = NAN;
	return agrees(num(s, "mean"), dp, mean) && agrees(num(s, "sd"), dp, sd)
	    && (isnan(t) || (agrees(num(s, "ci_lo"), dp, mean - t * sd /
	    sqrt((double)n)) && agrees(num(s, "ci_hi"), dp, mean + t * sd /
	    sqrt((double)n)))) &&
	    agrees(num(s, "median"), -1, quantile(c, nv, n, 0.5)) &&
	    agrees(num(s, "q1"), -1, quantile(c, nv, n, 0.25)) &&
	    agrees(num(s, "q3"), -1, quantile(c, nv, n, 0.75)) &&
	    agrees(num(s, "min"), -1, (double)lo) &&
	    agrees(num(s, "max"), -1, (double)hi);
}

/* Attack 1: kratom_use's hidden cells from mean x n and group sizes. */
static void
attack_mean_n(json_t *m)
{
	json_t *v = report_var(m, "kratom_use"), *fr, *rows, *s, *g;
	long c[3], total, hidden, seen[N + 1] = {0}, nvals = 0;
	int hid[3];

	CHECK(v != NULL);
	fr = json_object_get(v, "frequencies");
	rows = json_object_get(fr, "rows");
	s = json_object_get(v, "summary");
	total = json_is_integer(json_object_get(fr, "total")) ?
	    (long)json_integer_value(json_object_get(fr, "total")) : N;
	hidden = total;
	for (int i = 0; i < 3; i++) {
		json_t *x = json_object_get(json_array_get(rows, (size_t)i),
		    "count");
		hid[i] = !json_is_integer(x);
		c[i] = hid[i] ? 0 : (long)json_integer_value(x);
		hidden -= c[i];
	}
	CHECK(hid[1]); /* the past user's cell is hidden */
	/* The group "now vs never" would give cells 2 and 0 outright. */
	g = find_by(json_object_get(m, "groups"), "name", "kratom_now_vs_never",
	    NULL, NULL);
	CHECK(!json_is_integer(json_object_get(g, "n_a")));
	CHECK(!json_is_integer(json_object_get(g, "n_b")));
	/* Every completion of the hidden cells agreeing with the summary. */
	for (long a = 1; a < hidden; a++) {
		long cc[3] = {c[0], c[1], c[2]}, rest = hidden;
		int k = 0;
		for (int i = 0; i < 3; i++)
			if (hid[i])
				k++;
		if (k != 2)
			break;
		for (int i = 0, first = 1; i < 3; i++)
			if (hid[i]) {
				cc[i] = first ? a : rest - a;
				first = 0;
			}
		if (cc[1] < 1 || cc[0] < 0 || cc[2] < 0)
			continue;
		if (summary_agrees(s, cc, 3, N) && !seen[cc[1]]) {
			seen[cc[1]] = 1;
			nvals++;
		}
	}
	CHECK(nvals >= MV);
}

/*
 * Attacks 2 and 5: every completion of pain's hidden bins agreeing with
 * n, the summary and the criteria score pain_hi; each hidden bin must
 * keep MV values.
 */
static long pn[11];
static int ph[11], nh;
static long vals[11][N + 1];

static void
pain_walk(json_t *s, long hi_yes, int i, long left)
{
	if (i == 11) {
		long yes = 0;
		if (left != 0)
			return;
		for (int v = 7; v <= 10; v++)
			yes += pn[v];
		if (hi_yes >= 0 && yes != hi_yes)
			return;
		if (!summary_agrees(s, pn, 11, N))
			return;
		for (int v = 0; v < 11; v++)
			if (ph[v])
				vals[v][pn[v]] = 1;
		return;
	}
	if (!ph[i]) {
		pain_walk(s, hi_yes, i + 1, left);
		return;
	}
	for (long x = 1; x <= left; x++) {
		pn[i] = x;
		pain_walk(s, hi_yes, i + 1, left - x);
	}
}

static void
attack_histogram(json_t *m)
{
	json_t *v = report_var(m, "pain"), *h, *cn, *hi;
	long left = N, hi_yes = -1;

	CHECK(v != NULL);
	h = json_object_get(v, "histogram");
	cn = json_object_get(h, "counts");
	CHECK(json_array_size(cn) == 11);
	nh = 0;
	for (int i = 0; i < 11; i++) {
		json_t *x = json_array_get(cn, (size_t)i);
		ph[i] = !json_is_integer(x);
		pn[i] = ph[i] ? 0 : (long)json_integer_value(x);
		left -= pn[i];
		nh += ph[i];
	}
	CHECK(ph[0] && ph[10]); /* 3 zeros and 4 tens are hidden */
	hi = json_object_get(report_var(m, "pain_hi"), "frequencies");
	hi = json_array_get(json_object_get(hi, "rows"), 1);
	if (json_is_integer(json_object_get(hi, "count")))
		hi_yes = (long)json_integer_value(json_object_get(hi, "count"));
	memset(vals, 0, sizeof(vals));
	CHECK(nh <= 5);
	if (nh <= 5)
		pain_walk(json_object_get(v, "summary"), hi_yes, 0, left);
	for (int i = 0; i < 11; i++) {
		long k = 0;
		if (!ph[i])
			continue;
		for (long x = 0; x <= N; x++)
			k += vals[i][x];
		if (k < MV)
			fprintf(stderr, "pain bin %d: %ld values\n", i, k);
		CHECK(k >= MV);
	}
}

/* Attack 3: the residual group's pain from the whole minus the groups. */
static void
attack_residual(json_t *m)
{
	json_t *c = find_by(json_object_get(m, "comparisons"), "group",
	    "kratom_now_vs_never", "outcome", "pain");
	json_t *s = json_object_get(report_var(m, "pain"), "summary");
	int exact_all = !json_object_get(s, "rounded_to_decimals") &&
	    !isnan(num(s, "mean"));

	CHECK(c != NULL);
	/* Any one missing, or rounded, and the subtraction gives nothing. */
	CHECK(!(exact_all && json_is_integer(json_object_get(c, "n_a")) &&
	    json_is_integer(json_object_get(c, "n_b")) &&
	    !isnan(num(json_object_get(c, "a"), "mean")) &&
	    !isnan(num(json_object_get(c, "b"), "mean"))));
}

/* Attack 4: the "prefer not to say" cell of sex from total, n, missing. */
static long sc[4], sn;
static int sh[4];
static long sseen[N + 1];

static void
sex_walk(int i, long left)
{
	if (i == 4) {
		if (left == 0 && (sn < 0 || sc[0] + sc[1] + sc[2] == sn))
			sseen[sc[3]] = 1;
		return;
	}
	if (!sh[i]) {
		sex_walk(i + 1, left);
		return;
	}
	for (long x = 1; x <= left; x++) {
		sc[i] = x;
		sex_walk(i + 1, left - x);
	}
}

static void
attack_missing(json_t *m)
{
	json_t *v = report_var(m, "sex"), *fr, *rows;
	long total, left, k = 0;

	CHECK(v != NULL);
	fr = json_object_get(v, "frequencies");
	rows = json_object_get(fr, "rows");
	sn = json_is_integer(json_object_get(v, "n")) ?
	    (long)json_integer_value(json_object_get(v, "n")) : -1;
	/* A required item always asked: every row has a code. */
	total = json_is_integer(json_object_get(fr, "total")) ?
	    (long)json_integer_value(json_object_get(fr, "total")) : N;
	left = total;
	for (int i = 0; i < 4; i++) {
		json_t *x = json_object_get(json_array_get(rows, (size_t)i),
		    "count");
		sh[i] = !json_is_integer(x);
		sc[i] = sh[i] ? 0 : (long)json_integer_value(x);
		left -= sc[i];
	}
	CHECK(sh[3]); /* 4 "prefer not to say" */
	memset(sseen, 0, sizeof(sseen));
	sex_walk(0, left);
	for (long x = 0; x <= N; x++)
		k += sseen[x];
	CHECK(k >= MV);
}

/* Attack 6: no adjusted model where the crude 2 x 2 hides a cell. */
static void
attack_adjusted(json_t *m)
{
	json_t *c = find_by(json_object_get(m, "comparisons"), "group",
	    "pain_hi_vs_lo", "outcome", "flare");
	json_t *a = find_by(json_object_get(m, "adjusted"), "group",
	    "pain_hi_vs_lo", "outcome", "flare");

	CHECK(c != NULL && a != NULL);
	CHECK(strcmp(json_string_value(json_object_get(c, "status")), "ok") !=
	    0);
	CHECK(!json_is_number(json_object_get(a, "estimate")));
	CHECK(!json_is_number(json_object_get(a, "ci_lo")));
}

/* Attack 7: of two groups one respondent apart, one is withheld. */
static void
attack_tracker(json_t *m)
{
	json_t *g1 = find_by(json_object_get(m, "groups"), "name",
	    "pain_hi_vs_lo", NULL, NULL);
	json_t *g2 = find_by(json_object_get(m, "groups"), "name",
	    "pain_hi_but_other", NULL, NULL);
	json_t *c2 = find_by(json_object_get(m, "comparisons"), "group",
	    "pain_hi_but_other", "outcome", "pain");

	CHECK(g1 != NULL && g2 != NULL && c2 != NULL);
	CHECK(!(json_is_integer(json_object_get(g1, "n_a")) &&
	    json_is_integer(json_object_get(g2, "n_a"))));
	CHECK(json_is_string(json_object_get(g2, "withheld")));
	CHECK(json_is_string(json_object_get(g2, "withheld")) &&
	    strstr(json_string_value(json_object_get(g2, "withheld")),
	    "differs from group a of pain_hi_vs_lo") != NULL);
	CHECK(isnan(num(json_object_get(c2, "a"), "mean")));
}

int
main(void)
{
	static const char plan[] = "{\"outcomes\": [\"pain\", \"flare\"], "
	    "\"groups\": ["
	    "{\"name\": \"kratom_now_vs_never\", \"a\": {\"var\": "
	    "\"kratom_use\", \"eq\": 2}, \"b\": {\"var\": \"kratom_use\", "
	    "\"eq\": 0}},"
	    "{\"name\": \"pain_hi_vs_lo\", \"a\": {\"var\": \"pain\", \"ge\": "
	    "7}, \"b\": {\"var\": \"pain\", \"le\": 6}},"
	    "{\"name\": \"pain_hi_but_other\", \"a\": {\"all\": [{\"var\": "
	    "\"pain\", \"ge\": 7}, {\"var\": \"sex\", \"ne\": 3}]}, \"b\": "
	    "{\"not\": {\"all\": [{\"var\": \"pain\", \"ge\": 7}, "
	    "{\"var\": \"sex\", \"ne\": 3}]}}}],"
	    "\"covariates\": [\"age_band\"], \"correlations\": false}\n";
	static char data[16384];
	char dir[512], csv[1024], planp[1024], db[1024], out[1024];
	char *form = src(GATE_FORM), *o = NULL, *e = NULL;
	size_t n;
	json_t *m;

	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	n = generate(data, sizeof(data));
	snprintf(csv, sizeof(csv), "%s/gate.csv", dir);
	snprintf(planp, sizeof(planp), "%s/plan.json", dir);
	snprintf(db, sizeof(db), "%s/g.db", dir);
	CHECK(test_write_file(csv, data, n) == 0);
	CHECK(test_write_file(planp, plan, strlen(plan)) == 0);
	CHECK_INT(run_analysis(&o, &e, "import", "--form", form, "--db", db,
	    "--csv", csv, (char *)NULL), 0);
	CHECK_INT(report_into(dir, "rep", db, GATE_FORM, planp, out,
	    sizeof(out)), 0);
	CHECK((m = load_json(out, "report.json")) != NULL);
	if (m != NULL) {
		attack_mean_n(m);
		attack_histogram(m);
		attack_residual(m);
		attack_missing(m);
		attack_adjusted(m);
		attack_tracker(m);
		/* The report says what was withheld, in words. */
		CHECK(json_array_size(json_object_get(m, "withheld")) > 0);
	}
	json_decref(m);
	free(form);
	free(o);
	free(e);
	test_rmtree(dir);
	return test_done();
}
