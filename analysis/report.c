/*
 * Computing the report model (report.h) and writing report.json.
 *
 * Order of work: the header (provenance: program, form, plan and data
 * hashes), then every variable in form order (descriptives, histogram or
 * frequency table, each through disclosure control), then the groups of
 * the plan and, for each group and outcome, the comparison; Spearman's rho
 * between numeric outcomes; the adjusted models; last the adjusted
 * p-values of the batch. Each column is walked once per quantity; small
 * integers go through per-value counts (stats_describe_counts()), other
 * numbers through one sort of a copy.
 *
 * Disclosure rules applied here (docs/analysis.md): a count 0 < n < k is
 * never published, nor a percentage or summary computed from it; tables
 * get complementary suppression from sdc_suppress(); a comparison runs
 * only when both groups have n >= k, and a table comparison is shown only
 * when no cell of its table is suppressed (its estimates would reveal the
 * hidden cells).
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>

#include "analysis.h"
#include "report.h"
#include "sdc.h"
#include "stats.h"

#define HIST_BINS 20      /* bins of a histogram of a wide variable */
#define HIST_INT_MAX 41   /* one bin per value up to this many values */
#define DUMMIES_MAX 60    /* levels of a covariate coded as dummies */

enum vclass {
	VC_NUMERIC,     /* summary and histogram */
	VC_ORDINAL,     /* grid row: both a summary and a frequency table */
	VC_CATEGORICAL, /* frequency table of codes */
	VC_BINARY,      /* yes/no, criteria: frequency table, 2x2 comparisons */
	VC_MULTI,       /* multiple choice: one proportion per option */
	VC_SKIP         /* free text: never published */
};

struct rctx {
	const struct form *f;
	const struct dataset *d;
	const struct plan *p;
	long k;
	int bad;          /* a JSON allocation failed */
	int stats_err;    /* a statistics call was refused (a bug) */
	char *err;
	size_t errsz;
	/* The batch of p-values, and where each adjusted value goes. */
	double *pv;
	json_t **pobj;
	size_t np, pcap;
	double *pv2; /* the adjusted models: a second family */
	json_t **pobj2;
	size_t np2, pcap2;
};

/* ---- small JSON helpers: failures are sticky in c->bad ---- */

static void
put(struct rctx *c, json_t *o, const char *key, json_t *v)
{
	if (v == NULL || o == NULL || json_object_set_new(o, key, v) != 0)
		c->bad = 1;
}

static void
add(struct rctx *c, json_t *a, json_t *v)
{
	if (v == NULL || a == NULL || json_array_append_new(a, v) != 0)
		c->bad = 1;
}

static void
put_num(struct rctx *c, json_t *o, const char *key, double x)
{
	put(c, o, key, isfinite(x) ? json_real(x == 0 ? 0.0 : x) :
	    json_null());
}

static void
put_int(struct rctx *c, json_t *o, const char *key, long long x)
{
	put(c, o, key, json_integer((json_int_t)x));
}

static void
put_str(struct rctx *c, json_t *o, const char *key, const char *s)
{
	put(c, o, key, s != NULL ? json_string(s) : json_null());
}

static void
put_why(struct rctx *c, json_t *o, const char *key, enum stats_why why)
{
	if (why != STATS_OK)
		put_str(c, o, key, stats_why_text(why));
}

/*
 * A count of people: published when 0 or >= k; otherwise null, with
 * key_text "< k" beside it.
 */
static int
put_count(struct rctx *c, json_t *o, const char *key, uint64_t n)
{
	char kt[64], t[32];

	if (n == 0 || (long long)n >= c->k) {
		put_int(c, o, key, (long long)n);
		return 1;
	}
	put(c, o, key, json_null());
	snprintf(kt, sizeof(kt), "%s_text", key);
	snprintf(t, sizeof(t), "< %ld", c->k);
	put_str(c, o, kt, t);
	return 0;
}

static int
stats_ok(struct rctx *c, int rc, const char *what)
{
	if (rc == STATS_RC_OK)
		return 1;
	if (!c->stats_err)
		snprintf(c->err, c->errsz, "%s: statistics call refused (%d)",
		    what, rc);
	c->stats_err = 1;
	return 0;
}

/* Remember p-value of obj for the batch adjustment (family 1 or 2). */
static void
batch_p(struct rctx *c, int family, json_t *obj, double p)
{
	double **pv = family == 1 ? &c->pv : &c->pv2;
	json_t ***po = family == 1 ? &c->pobj : &c->pobj2;
	size_t *np = family == 1 ? &c->np : &c->np2;
	size_t *cap = family == 1 ? &c->pcap : &c->pcap2;

	if (*np == *cap) {
		size_t ncap = *cap ? *cap * 2 : 64;
		double *a = realloc(*pv, ncap * sizeof(**pv));
		json_t **b;
		if (a == NULL) {
			c->bad = 1;
			return;
		}
		*pv = a;
		if ((b = realloc(*po, ncap * sizeof(**po))) == NULL) {
			c->bad = 1;
			return;
		}
		*po = b;
		*cap = ncap;
	}
	(*pv)[*np] = isfinite(p) && p >= 0 && p <= 1 ? p : NAN;
	(*po)[*np] = obj;
	(*np)++;
}

/* ---- variables ---- */

static enum vclass
var_class(const struct form *f, size_t iv)
{
	const struct form_var *v = &f->vars[iv];

	if (v->type == FORM_T_TEXT)
		return VC_SKIP;
	if (v->score != NULL) {
		switch (v->score->kind) {
		case FORM_SCORE_CRITERIA: return VC_BINARY;
		case FORM_SCORE_BANDS: return VC_CATEGORICAL;
		default: return VC_NUMERIC;
		}
	}
	if (v->row != NULL)
		return VC_ORDINAL;
	switch (v->item->kind) {
	case FORM_SINGLE:
	case FORM_DURATION: return VC_CATEGORICAL;
	case FORM_YESNO: return VC_BINARY;
	case FORM_MULTIPLE: return VC_MULTI;
	default: return VC_NUMERIC;
	}
}

static const char *
class_name(enum vclass vc)
{
	static const char *const n[] = {"numeric", "ordinal", "categorical",
	    "binary", "multiple", "skip"};
	return n[vc];
}

/* The label of a variable in the default language (grid rows: both). */
static const char *
var_label(const struct form *f, size_t iv, char *buf, size_t n)
{
	const struct form_var *v = &f->vars[iv];

	if (v->row != NULL) {
		snprintf(buf, n, "%s: %s", form_text_get(f, &v->item->label, 0),
		    form_text_get(f, &v->row->label, 0));
		return buf;
	}
	return form_text_get(f, v->score ? &v->score->label : &v->item->label,
	    0);
}

/* One code of a frequency table. */
struct code {
	long value;
	const char *label;
	int missing;
};

/* The codes of a categorical or binary variable, in form order. */
static size_t
var_codes(const struct form *f, size_t iv, struct code *out, size_t max)
{
	const struct form_var *v = &f->vars[iv];
	size_t n = 0;

	if (v->score != NULL) {
		if (v->score->kind == FORM_SCORE_CRITERIA) {
			out[0] = (struct code){0, "no", 0};
			out[1] = (struct code){1, "yes", 0};
			return 2;
		}
		for (size_t i = 0; i <= v->score->ncuts && n < max; i++)
			out[n++] = (struct code){(long)i, form_text_get(f,
			    &v->score->band_labels[i], 0), 0};
		return n;
	}
	if (v->item->kind == FORM_YESNO) {
		out[0] = (struct code){0, "no", 0};
		out[1] = (struct code){1, "yes", 0};
		return 2;
	}
	for (size_t i = 0; i < v->item->nchoices && n < max; i++)
		out[n++] = (struct code){v->item->choices[i].value,
		    form_text_get(f, &v->item->choices[i].label, 0),
		    v->item->choices[i].missing};
	return n;
}

/*
 * Per-value counts of every set code of an integer variable over
 * [col->lo, col->hi] (missing codes included). Returns a calloc'd array
 * of hi - lo + 1 entries, or NULL (no small range, or memory).
 */
static uint64_t *
code_counts(const struct dataset *d, size_t iv, const uint8_t *memb,
    int want)
{
	const struct ds_col *col = &d->cols[iv];
	uint64_t *cnt;
	long code;

	if (!col->small || col->hi < col->lo)
		return NULL;
	if ((cnt = calloc((size_t)(col->hi - col->lo + 1), sizeof(*cnt))) ==
	    NULL)
		return NULL;
	for (size_t r = 0; r < d->n; r++) {
		if (memb != NULL && memb[r] != want)
			continue;
		if (col->kind == DS_I16) {
			if (col->i16[r] != DS_NONE)
				cnt[col->i16[r] - col->lo]++;
		} else if (ds_code(d, iv, r, &code) && code >= col->lo &&
		    code <= col->hi) {
			cnt[code - col->lo]++;
		}
	}
	return cnt;
}

/* Remove the missing codes from a counts vector (statistics use). */
static void
drop_missing(const struct ds_col *col, uint64_t *cnt)
{
	if (col->kind != DS_I16)
		return;
	for (long v = col->lo; v <= col->hi; v++)
		if (col->is_missing[v - col->lo])
			cnt[v - col->lo] = 0;
}

/* The known values of a variable (optionally of one group), malloc'd. */
static double *
known_values(const struct dataset *d, size_t iv, const uint8_t *memb,
    int want, size_t *n)
{
	double *x = malloc((d->n ? d->n : 1) * sizeof(*x));
	size_t m = 0;

	*n = 0;
	if (x == NULL)
		return NULL;
	for (size_t r = 0; r < d->n; r++) {
		if (memb != NULL && memb[r] != want)
			continue;
		if (ds_num(d, iv, r, &x[m]))
			m++;
	}
	*n = m;
	return x;
}

static json_t *
summary_json(struct rctx *c, const struct stats_desc *s)
{
	json_t *o = json_object();

	put_num(c, o, "mean", s->mean);
	put_num(c, o, "sd", s->sd);
	put_num(c, o, "ci_lo", s->ci_lo);
	put_num(c, o, "ci_hi", s->ci_hi);
	put_num(c, o, "median", s->median);
	put_num(c, o, "q1", s->q1);
	put_num(c, o, "q3", s->q3);
	put_num(c, o, "min", s->min);
	put_num(c, o, "max", s->max);
	put_why(c, o, "why", s->why);
	put_why(c, o, "why_sd", s->why_sd);
	put_why(c, o, "why_ci", s->why_ci);
	return o;
}

/* A one-way table of counts suppressed at k, or NULL (error reported). */
static struct sdc_table *
oneway(struct rctx *c, const uint64_t *cnt, size_t n)
{
	struct sdc_table *t = NULL;
	int rc;

	if ((rc = sdc_table_create(1, n, &t)) != SDC_OK) {
		snprintf(c->err, c->errsz, "disclosure control: %s",
		    sdc_strerror(rc));
		c->stats_err = 1;
		return NULL;
	}
	for (size_t j = 0; j < n; j++)
		t->cell[j] = cnt[j] > (uint64_t)LONG_MAX ? LONG_MAX :
		    (long)cnt[j];
	if ((rc = sdc_suppress(t, c->k)) != SDC_OK) {
		snprintf(c->err, c->errsz, "disclosure control: %s",
		    sdc_strerror(rc));
		c->stats_err = 1;
		sdc_table_destroy(t);
		return NULL;
	}
	return t;
}

/* A cell of a suppressed table: its count or null. */
static json_t *
cell_json(const struct sdc_table *t, size_t i, size_t j)
{
	if (sdc_state_at(t, i, j) != SDC_PUBLISHED)
		return json_null();
	return json_integer((json_int_t)sdc_value(t, i, j));
}

/* Histogram of the known values (counts or sorted data) with SDC. */
static json_t *
histogram_json(struct rctx *c, size_t iv, const uint64_t *cnt,
    const double *sorted, size_t n, double lo, double hi)
{
	const struct form_var *v = &c->f->vars[iv];
	const struct ds_col *col = &c->d->cols[iv];
	double br[HIST_INT_MAX + 1];
	uint64_t bins[HIST_INT_MAX], outside = 0;
	size_t nb;
	struct sdc_table *t;
	json_t *o, *jb, *jc;
	int rc;

	/* The drawn range: the form's when it has one, widened to the data. */
	if (v->item != NULL && (v->item->kind == FORM_SCALE ||
	        v->item->kind == FORM_INTEGER || v->item->kind == FORM_DECIMAL)) {
		lo = fmin(lo, v->item->min);
		hi = fmax(hi, v->item->max);
	} else if (v->score != NULL && v->score->has_range) {
		lo = fmin(lo, v->score->range[0]);
		hi = fmax(hi, v->score->range[1]);
	}
	if (cnt != NULL && hi - lo + 1 <= HIST_INT_MAX) {
		nb = (size_t)(hi - lo + 1);
		for (size_t i = 0; i <= nb; i++)
			br[i] = lo - 0.5 + (double)i;
	} else {
		if (!(hi > lo)) {
			lo -= 0.5;
			hi += 0.5;
		}
		nb = HIST_BINS;
		for (size_t i = 0; i <= nb; i++)
			br[i] = lo + (hi - lo) * (double)i / (double)nb;
	}
	if (cnt != NULL)
		rc = stats_histogram_counts(col->lo, cnt,
		    (size_t)(col->hi - col->lo + 1), br, nb + 1, bins, &outside);
	else
		rc = stats_histogram(sorted, n, br, nb + 1, bins, &outside);
	if (!stats_ok(c, rc, v->name))
		return json_null();
	if ((t = oneway(c, bins, nb)) == NULL)
		return json_null();
	o = json_object();
	jb = json_array();
	jc = json_array();
	for (size_t i = 0; i <= nb; i++)
		add(c, jb, json_real(br[i]));
	for (size_t i = 0; i < nb; i++)
		add(c, jc, cell_json(t, 0, i));
	put(c, o, "breaks", jb);
	put(c, o, "counts", jc);
	put_count(c, o, "outside", outside);
	sdc_table_destroy(t);
	return o;
}

/* Summary and histogram of a numeric variable into o. */
static void
numeric_part(struct rctx *c, size_t iv, json_t *o, uint64_t *n_known)
{
	const struct ds_col *col = &c->d->cols[iv];
	struct stats_desc s;
	uint64_t *cnt = NULL;
	double *x = NULL;
	size_t n = 0;
	char t[64];
	json_t *sum;

	*n_known = 0;
	if (col->small && (c->f->vars[iv].type == FORM_T_INT)) {
		if ((cnt = code_counts(c->d, iv, NULL, 0)) == NULL) {
			c->bad = 1;
			return;
		}
		drop_missing(col, cnt);
		if (!stats_ok(c, stats_describe_counts(col->lo, cnt,
		    (size_t)(col->hi - col->lo + 1), &s), c->f->vars[iv].name))
			goto out;
	} else {
		if ((x = known_values(c->d, iv, NULL, 0, &n)) == NULL) {
			c->bad = 1;
			return;
		}
		gsl_sort(x, 1, n);
		if (!stats_ok(c, stats_describe_sorted(x, n, &s),
		    c->f->vars[iv].name))
			goto out;
	}
	*n_known = s.n;
	if (s.n > 0 && !sdc_summary_ok((long)s.n, c->k)) {
		put(c, o, "summary", json_null());
		snprintf(t, sizeof(t), "not shown: fewer than %ld answers",
		    c->k);
		put_str(c, o, "summary_note", t);
		goto out;
	}
	sum = summary_json(c, &s);
	put(c, o, "summary", sum);
	if (s.n > 0) {
		json_t *h = histogram_json(c, iv, cnt, x, n, s.min, s.max);
		json_t *hc = json_object_get(h, "counts"), *b;
		size_t nb = json_array_size(hc), i;
		put(c, o, "histogram", h);
		/*
		 * The minimum and maximum are one respondent's answers: they
		 * are shown only when the bins that hold them are published.
		 */
		for (i = 0; i < nb && json_integer_value(b =
		    json_array_get(hc, i)) == 0 && !json_is_null(b); i++)
			;
		if (i < nb && json_is_null(json_array_get(hc, i)))
			put(c, sum, "min", json_null());
		for (i = nb; i > 0 && json_integer_value(b =
		    json_array_get(hc, i - 1)) == 0 && !json_is_null(b); i--)
			;
		if (i > 0 && json_is_null(json_array_get(hc, i - 1)))
			put(c, sum, "max", json_null());
	}
out:
	free(cnt);
	free(x);
}

/* Frequency table of a categorical, binary or ordinal variable into o. */
static void
frequency_part(struct rctx *c, size_t iv, json_t *o)
{
	const struct ds_col *col = &c->d->cols[iv];
	struct code codes[FORM_MAX_CHOICES + 64];
	size_t nc = var_codes(c->f, iv, codes, sizeof(codes) /
	    sizeof(codes[0]));
	uint64_t *all = code_counts(c->d, iv, NULL, 0), cell[FORM_MAX_CHOICES +
	    64];
	struct sdc_table *t = NULL;
	json_t *fr, *rows;

	if (all == NULL && !(col->small && col->hi < col->lo)) {
		c->bad = 1;
		return;
	}
	for (size_t j = 0; j < nc; j++)
		cell[j] = all != NULL && codes[j].value >= col->lo &&
		    codes[j].value <= col->hi ? all[codes[j].value - col->lo] : 0;
	if (nc == 0 || (t = oneway(c, cell, nc)) == NULL)
		goto out;
	fr = json_object();
	rows = json_array();
	put(c, fr, "total", cell_json(t, 1, nc));
	for (size_t j = 0; j < nc; j++) {
		json_t *r = json_object();
		struct stats_prop pr;
		double pct;
		put_int(c, r, "value", codes[j].value);
		put_str(c, r, "label", codes[j].label);
		put(c, r, "missing_code", json_boolean(codes[j].missing));
		put(c, r, "count", cell_json(t, 0, j));
		if (sdc_percent(t, 0, j, SDC_BASE_GRAND, &pct) == SDC_OK &&
		    stats_ok(c, stats_proportion(cell[j], (uint64_t)t->grand,
		        &pr), c->f->vars[iv].name)) {
			put_num(c, r, "percent", pct);
			put_num(c, r, "ci_lo", 100 * pr.ci_lo);
			put_num(c, r, "ci_hi", 100 * pr.ci_hi);
		} else {
			put(c, r, "percent", json_null());
		}
		add(c, rows, r);
	}
	put(c, fr, "rows", rows);
	put(c, o, "frequencies", fr);
out:
	sdc_table_destroy(t);
	free(all);
}

/* One proportion per option of a multiple-choice variable into o. */
static void
multi_part(struct rctx *c, size_t iv, json_t *o, uint64_t *n_known)
{
	const struct form_item *it = c->f->vars[iv].item;
	const struct ds_col *col = &c->d->cols[iv];
	uint64_t chosen[FORM_MAX_CHOICES] = {0}, n = 0;
	json_t *opts = json_array();

	for (size_t r = 0; r < c->d->n; r++) {
		uint64_t m = col->mask[r];
		if (!col->mset[r])
			continue;
		n++;
		for (size_t j = 0; m != 0 && j < it->nchoices; j++, m >>= 1)
			chosen[j] += m & 1;
	}
	*n_known = n;
	for (size_t j = 0; j < it->nchoices; j++) {
		uint64_t cell[2] = {chosen[j], n - chosen[j]};
		struct sdc_table *t = oneway(c, cell, 2);
		json_t *r = json_object();
		struct stats_prop pr;
		double pct;
		if (t == NULL) {
			json_decref(r);
			break;
		}
		put_int(c, r, "value", it->choices[j].value);
		put_str(c, r, "label", form_text_get(c->f,
		    &it->choices[j].label, 0));
		put(c, r, "exclusive", json_boolean(it->choices[j].exclusive));
		put(c, r, "count", cell_json(t, 0, 0));
		if (sdc_percent(t, 0, 0, SDC_BASE_GRAND, &pct) == SDC_OK &&
		    stats_ok(c, stats_proportion(chosen[j], n, &pr),
		    c->f->vars[iv].name)) {
			put_num(c, r, "percent", pct);
			put_num(c, r, "ci_lo", 100 * pr.ci_lo);
			put_num(c, r, "ci_hi", 100 * pr.ci_hi);
		} else {
			put(c, r, "percent", json_null());
		}
		add(c, opts, r);
		sdc_table_destroy(t);
	}
	put(c, o, "options", opts);
}

static json_t *
variable_json(struct rctx *c, size_t iv)
{
	enum vclass vc = var_class(c->f, iv);
	json_t *o = json_object();
	char lb[600];
	uint64_t n = 0;

	put_str(c, o, "variable", c->f->vars[iv].name);
	put_str(c, o, "label", var_label(c->f, iv, lb, sizeof(lb)));
	put_str(c, o, "class", class_name(vc));
	if (vc == VC_NUMERIC || vc == VC_ORDINAL)
		numeric_part(c, iv, o, &n);
	if (vc == VC_MULTI)
		multi_part(c, iv, o, &n);
	if (vc == VC_CATEGORICAL || vc == VC_BINARY || vc == VC_ORDINAL) {
		if (vc != VC_ORDINAL)
			for (size_t r = 0; r < c->d->n; r++)
				n += (uint64_t)ds_known(c->d, iv, r);
		frequency_part(c, iv, o);
	}
	if (put_count(c, o, "n", n))
		put_int(c, o, "missing", (long long)(c->d->n - n));
	else
		put(c, o, "missing", json_null());
	return o;
}

/* ---- groups and comparisons ---- */

/* memb[r]: 1 in group a, 2 in group b, 0 neither (or both). */
static uint8_t *
group_members(const struct dataset *d, const struct plan_group *g,
    uint64_t *na, uint64_t *nb, uint64_t *both)
{
	uint8_t *m = malloc(d->n ? d->n : 1);

	*na = *nb = *both = 0;
	if (m == NULL)
		return NULL;
	for (size_t r = 0; r < d->n; r++) {
		int a = plan_cond_eval(g->a, d, r) == FORM_TRUE;
		int b = plan_cond_eval(g->b, d, r) == FORM_TRUE;
		m[r] = a && !b ? 1 : b && !a ? 2 : 0;
		*na += m[r] == 1;
		*nb += m[r] == 2;
		*both += a && b;
	}
	return m;
}

static void
desc_brief(struct rctx *c, json_t *o, const char *key,
    const struct stats_desc *s)
{
	json_t *x = json_object();

	put_num(c, x, "mean", s->mean);
	put_num(c, x, "sd", s->sd);
	put_num(c, x, "median", s->median);
	put_num(c, x, "q1", s->q1);
	put_num(c, x, "q3", s->q3);
	put(c, o, key, x);
}

/* Welch, Hedges' g and Mann-Whitney of a numeric outcome. */
static double
compare_numeric(struct rctx *c, size_t iv, const uint8_t *memb, json_t *o,
    uint64_t *na, uint64_t *nb)
{
	const struct ds_col *col = &c->d->cols[iv];
	struct stats_desc sa, sb;
	struct stats_welch w;
	struct stats_hedges h;
	struct stats_mw mw;
	uint64_t *ca = NULL, *cb = NULL;
	double *x = NULL, *y = NULL, p = NAN;
	size_t nx = 0, ny = 0, nv = 0;
	json_t *j;
	const char *name = c->f->vars[iv].name;

	if (col->small && c->f->vars[iv].type == FORM_T_INT) {
		nv = (size_t)(col->hi - col->lo + 1);
		if ((ca = code_counts(c->d, iv, memb, 1)) == NULL ||
		    (cb = code_counts(c->d, iv, memb, 2)) == NULL) {
			c->bad = 1;
			goto out;
		}
		drop_missing(col, ca);
		drop_missing(col, cb);
		if (!stats_ok(c, stats_describe_counts(col->lo, ca, nv, &sa),
		        name) ||
		    !stats_ok(c, stats_describe_counts(col->lo, cb, nv, &sb),
		        name))
			goto out;
	} else {
		if ((x = known_values(c->d, iv, memb, 1, &nx)) == NULL ||
		    (y = known_values(c->d, iv, memb, 2, &ny)) == NULL) {
			c->bad = 1;
			goto out;
		}
		if (!stats_ok(c, stats_describe(x, nx, &sa), name) ||
		    !stats_ok(c, stats_describe(y, ny, &sb), name))
			goto out;
	}
	*na = sa.n;
	*nb = sb.n;
	if (!sdc_group_ok((long)sa.n, c->k) || !sdc_group_ok((long)sb.n, c->k))
		goto out;
	if (!stats_ok(c, stats_welch(&sa, &sb, &w), name) ||
	    !stats_ok(c, stats_hedges_g(&sa, &sb, &h), name))
		goto out;
	if (ca != NULL) {
		if (!stats_ok(c, stats_mann_whitney_counts(ca, cb, nv, &mw),
		    name))
			goto out;
	} else if (!stats_ok(c, stats_mann_whitney(x, nx, y, ny, &mw), name)) {
		goto out;
	}
	desc_brief(c, o, "a", &sa);
	desc_brief(c, o, "b", &sb);
	j = json_object();
	put_num(c, j, "difference", w.diff);
	put_num(c, j, "ci_lo", w.ci_lo);
	put_num(c, j, "ci_hi", w.ci_hi);
	put_num(c, j, "t", w.t);
	put_num(c, j, "df", w.df);
	put_num(c, j, "p", w.p);
	put_why(c, j, "why", w.why);
	put(c, o, "welch", j);
	j = json_object();
	put_num(c, j, "g", h.g);
	put_num(c, j, "ci_lo", h.ci_lo);
	put_num(c, j, "ci_hi", h.ci_hi);
	put_why(c, j, "why", h.why);
	put(c, o, "hedges_g", j);
	j = json_object();
	put_num(c, j, "w", mw.w);
	put_num(c, j, "z", mw.z);
	put_num(c, j, "p", mw.p);
	put_why(c, j, "why", mw.why);
	put(c, o, "mann_whitney", j);
	p = w.p;
	put_str(c, o, "p_test", "Welch t-test");
out:
	free(ca);
	free(cb);
	free(x);
	free(y);
	return p;
}

/* A 2 x nc table of two groups suppressed at k; NULL on error. */
static struct sdc_table *
twoway(struct rctx *c, const uint64_t *a, const uint64_t *b, size_t nc)
{
	struct sdc_table *t = NULL;
	int rc;

	if ((rc = sdc_table_create(2, nc, &t)) != SDC_OK)
		goto fail;
	for (size_t j = 0; j < nc; j++) {
		t->cell[j] = (long)a[j];
		t->cell[nc + j] = (long)b[j];
	}
	if ((rc = sdc_suppress(t, c->k)) != SDC_OK)
		goto fail;
	return t;
fail:
	snprintf(c->err, c->errsz, "disclosure control: %s", sdc_strerror(rc));
	c->stats_err = 1;
	sdc_table_destroy(t);
	return NULL;
}

/* Chi-square (and Fisher, estimates for 2x2) of a binary/categorical outcome. */
static double
compare_table(struct rctx *c, size_t iv, const uint8_t *memb, json_t *o,
    uint64_t *na, uint64_t *nb, int binary)
{
	const struct ds_col *col = &c->d->cols[iv];
	struct code codes[FORM_MAX_CHOICES + 64];
	size_t ncode = var_codes(c->f, iv, codes, sizeof(codes) /
	    sizeof(codes[0]));
	uint64_t *ca = code_counts(c->d, iv, memb, 1);
	uint64_t *cb = code_counts(c->d, iv, memb, 2);
	uint64_t ta[FORM_MAX_CHOICES + 64], tb[FORM_MAX_CHOICES + 64];
	uint64_t tab[2 * (FORM_MAX_CHOICES + 64)];
	long used[FORM_MAX_CHOICES + 64];
	size_t nc = 0;
	struct sdc_table *t = NULL;
	struct stats_chisq chi;
	double p = NAN;
	json_t *j, *jt, *ja, *jb, *jv;
	const char *name = c->f->vars[iv].name;

	*na = *nb = 0;
	if (ca == NULL || cb == NULL) {
		if (!(col->small && col->hi < col->lo))
			c->bad = 1;
		goto out;
	}
	/* Binary outcomes: present (1) first, as stats.h's 2x2 layout. */
	for (size_t q = 0; q < ncode; q++) {
		size_t i = binary ? ncode - 1 - q : q;
		long v = codes[i].value;
		uint64_t x = v >= col->lo && v <= col->hi ? ca[v - col->lo] : 0;
		uint64_t y = v >= col->lo && v <= col->hi ? cb[v - col->lo] : 0;
		if (codes[i].missing)
			continue;
		*na += x;
		*nb += y;
		if (!binary && x + y == 0)
			continue; /* an empty column tells nothing */
		used[nc] = v;
		ta[nc] = x;
		tb[nc++] = y;
	}
	if (!sdc_group_ok((long)*na, c->k) || !sdc_group_ok((long)*nb, c->k))
		goto out;
	if ((t = twoway(c, ta, tb, nc)) == NULL)
		goto out;
	jt = json_object();
	jv = json_array();
	ja = json_array();
	jb = json_array();
	for (size_t i = 0; i < nc; i++) {
		add(c, jv, json_integer(used[i]));
		add(c, ja, cell_json(t, 0, i));
		add(c, jb, cell_json(t, 1, i));
	}
	put(c, jt, "values", jv);
	put(c, jt, "a", ja);
	put(c, jt, "b", jb);
	put(c, o, "table", jt);
	for (size_t i = 0; i < nc * 2; i++)
		if (t->state[i] != SDC_PUBLISHED) {
			put_str(c, o, "status", REPORT_NOT_SHOWN_CELL);
			goto out;
		}
	if (nc < 2) {
		put_str(c, o, "status", "not run: only one answer was given");
		goto out;
	}
	for (size_t i = 0; i < nc; i++) {
		tab[i] = ta[i];
		tab[nc + i] = tb[i];
	}
	if (!stats_ok(c, stats_chisq(tab, 2, nc, 1, &chi), name))
		goto out;
	j = json_object();
	put_num(c, j, "statistic", chi.stat);
	put_num(c, j, "df", chi.df);
	put_num(c, j, "p", chi.p);
	put(c, j, "yates", json_boolean(chi.yates));
	put_num(c, j, "min_expected", chi.min_expected);
	put_why(c, j, "why", chi.why);
	put(c, o, "chisq", j);
	p = chi.p;
	put_str(c, o, "p_test", chi.yates ? "chi-square (Yates)" :
	    "chi-square");
	if (nc == 2) {
		struct stats_fisher fi;
		struct stats_or or;
		struct stats_rd rd;
		if (!stats_ok(c, stats_fisher_2x2(tab, &fi), name) ||
		    !stats_ok(c, stats_odds_ratio(tab, &or), name) ||
		    !stats_ok(c, stats_risk_diff(tab, &rd), name))
			goto out;
		if (chi.n_low_expected > 0) {
			j = json_object();
			put_num(c, j, "p", fi.p);
			put_why(c, j, "why", fi.why);
			put(c, o, "fisher", j);
			p = fi.p;
			put_str(c, o, "p_test", "Fisher's exact test");
		}
		if (binary) {
			j = json_object();
			put_num(c, j, "risk_a", rd.p1);
			put_num(c, j, "risk_b", rd.p2);
			put_num(c, j, "difference", rd.rd);
			put_num(c, j, "ci_lo", rd.newcombe_lo);
			put_num(c, j, "ci_hi", rd.newcombe_hi);
			put_why(c, j, "why", rd.why);
			put(c, o, "risk_difference", j);
			j = json_object();
			put_num(c, j, "odds_ratio", or.est);
			put_num(c, j, "ci_lo", or.ci_lo);
			put_num(c, j, "ci_hi", or.ci_hi);
			put(c, j, "corrected", json_boolean(or.corrected));
			put_why(c, j, "why", or.why);
			put(c, o, "odds_ratio", j);
		}
	}
out:
	sdc_table_destroy(t);
	free(ca);
	free(cb);
	return p;
}

/* The kind of comparison an outcome gets. */
static const char *
outcome_type(const struct form *f, size_t iv)
{
	switch (var_class(f, iv)) {
	case VC_BINARY: return "binary";
	case VC_CATEGORICAL: return "categorical";
	default: return "numeric";
	}
}

static json_t *
comparison_json(struct rctx *c, const struct plan_group *g, size_t iv,
    const uint8_t *memb)
{
	json_t *o = json_object();
	const char *type = outcome_type(c->f, iv);
	uint64_t na = 0, nb = 0;
	double p;
	char lb[600];

	put_str(c, o, "group", g->name);
	put_str(c, o, "outcome", c->f->vars[iv].name);
	put_str(c, o, "outcome_label", var_label(c->f, iv, lb, sizeof(lb)));
	put_str(c, o, "type", type);
	put_str(c, o, "note", REPORT_NOTE);
	put_str(c, o, "status", "ok");
	if (strcmp(type, "numeric") == 0)
		p = compare_numeric(c, iv, memb, o, &na, &nb);
	else
		p = compare_table(c, iv, memb, o, &na, &nb,
		    strcmp(type, "binary") == 0);
	put_count(c, o, "n_a", na);
	put_count(c, o, "n_b", nb);
	if (!sdc_group_ok((long)na, c->k) || !sdc_group_ok((long)nb, c->k))
		put_str(c, o, "status", REPORT_NOT_RUN_K);
	put_num(c, o, "p", p);
	batch_p(c, 1, o, p);
	return o;
}

/* ---- correlations ---- */

static json_t *
correlation_json(struct rctx *c, size_t ix, size_t iy)
{
	json_t *o = json_object();
	struct stats_spearman s;
	double *x = malloc((c->d->n ? c->d->n : 1) * sizeof(double));
	double *y = malloc((c->d->n ? c->d->n : 1) * sizeof(double));
	size_t n = 0;
	double p = NAN;
	char lb[600];

	put_str(c, o, "x", c->f->vars[ix].name);
	put_str(c, o, "x_label", var_label(c->f, ix, lb, sizeof(lb)));
	put_str(c, o, "y", c->f->vars[iy].name);
	put_str(c, o, "y_label", var_label(c->f, iy, lb, sizeof(lb)));
	put_str(c, o, "note", REPORT_NOTE);
	if (x == NULL || y == NULL) {
		c->bad = 1;
		goto out;
	}
	for (size_t r = 0; r < c->d->n; r++)
		if (ds_num(c->d, ix, r, &x[n]) && ds_num(c->d, iy, r, &y[n]))
			n++;
	put_count(c, o, "n", n);
	if (!sdc_group_ok((long)n, c->k)) {
		put_str(c, o, "status", REPORT_NOT_RUN_K);
		goto out;
	}
	if (!stats_ok(c, stats_spearman(x, y, n, &s), c->f->vars[ix].name))
		goto out;
	put_str(c, o, "status", "ok");
	put_num(c, o, "rho", s.rho);
	put_num(c, o, "s", s.s);
	p = s.p;
	put_why(c, o, "why", s.why);
out:
	put_num(c, o, "p", p);
	batch_p(c, 1, o, p);
	free(x);
	free(y);
	return o;
}

/* ---- adjusted models ---- */

static json_t *
adjusted_json(struct rctx *c, const struct plan_group *g, size_t iv,
    const uint8_t *memb)
{
	const struct plan *pl = c->p;
	const int binary = strcmp(outcome_type(c->f, iv), "binary") == 0;
	json_t *o = json_object(), *cv = json_array();
	size_t npred = 1, n = 0, *rows = NULL, ndum[32] = {0};
	long levels[32][DUMMIES_MAX];
	double *yv = NULL, *xv = NULL, p = NAN;
	uint64_t na = 0, nb = 0;
	char lb[600];

	put_str(c, o, "group", g->name);
	put_str(c, o, "outcome", c->f->vars[iv].name);
	put_str(c, o, "outcome_label", var_label(c->f, iv, lb, sizeof(lb)));
	put_str(c, o, "model", binary ? "logistic regression" :
	    "linear regression, HC3 standard errors");
	put_str(c, o, "note", REPORT_NOTE);
	for (size_t i = 0; i < pl->ncovs; i++)
		add(c, cv, json_string(c->f->vars[pl->covs[i].ivar].name));
	put(c, o, "covariates", cv);
	if ((rows = malloc((c->d->n ? c->d->n : 1) * sizeof(*rows))) == NULL) {
		c->bad = 1;
		goto out;
	}
	/* Complete cases: in a group, outcome and every covariate known. */
	for (size_t r = 0; r < c->d->n; r++) {
		double v;
		int ok = memb[r] != 0 && ds_num(c->d, iv, r, &v);
		for (size_t i = 0; ok && i < pl->ncovs; i++)
			ok = ds_num(c->d, pl->covs[i].ivar, r, &v);
		if (!ok)
			continue;
		rows[n++] = r;
		na += memb[r] == 1;
		nb += memb[r] == 2;
	}
	put_count(c, o, "n", n);
	put_count(c, o, "n_a", na);
	put_count(c, o, "n_b", nb);
	if (!sdc_group_ok((long)na, c->k) || !sdc_group_ok((long)nb, c->k)) {
		put_str(c, o, "status", REPORT_NOT_RUN_K);
		goto out;
	}
	/* Dummy levels: observed codes, sorted; the lowest is the reference. */
	for (size_t i = 0; i < pl->ncovs && i < 32; i++) {
		if (pl->covs[i].coding != PLAN_DUMMIES) {
			npred++;
			continue;
		}
		for (size_t q = 0; q < n; q++) {
			double v;
			long code;
			size_t m;
			(void)ds_num(c->d, pl->covs[i].ivar, rows[q], &v);
			code = (long)v;
			for (m = 0; m < ndum[i] && levels[i][m] != code; m++)
				;
			if (m == ndum[i]) {
				if (ndum[i] == DUMMIES_MAX) {
					put_str(c, o, "status", "not run: a "
					    "covariate has too many levels");
					goto out;
				}
				levels[i][ndum[i]++] = code;
			}
		}
		for (size_t a = 1; a < ndum[i]; a++)
			for (size_t b = a; b > 0 && levels[i][b - 1] >
			    levels[i][b]; b--) {
				long t = levels[i][b];
				levels[i][b] = levels[i][b - 1];
				levels[i][b - 1] = t;
			}
		npred += ndum[i] ? ndum[i] - 1 : 0;
	}
	if ((yv = malloc(n * sizeof(*yv))) == NULL ||
	    (xv = malloc(n * npred * sizeof(*xv))) == NULL) {
		c->bad = 1;
		goto out;
	}
	for (size_t q = 0; q < n; q++) {
		double *xr = xv + q * npred, v;
		size_t col = 0;
		(void)ds_num(c->d, iv, rows[q], &yv[q]);
		xr[col++] = memb[rows[q]] == 1;
		for (size_t i = 0; i < pl->ncovs; i++) {
			(void)ds_num(c->d, pl->covs[i].ivar, rows[q], &v);
			if (pl->covs[i].coding != PLAN_DUMMIES) {
				xr[col++] = v;
				continue;
			}
			for (size_t m = 1; m < ndum[i]; m++)
				xr[col++] = (long)v == levels[i][m];
		}
	}
	put_str(c, o, "status", "ok");
	if (binary) {
		struct stats_logit fit;
		if (!stats_ok(c, stats_logit(yv, xv, n, npred, 1, &fit),
		    c->f->vars[iv].name))
			goto out;
		put_str(c, o, "scale", "odds ratio, group a vs group b");
		if (fit.why == STATS_OK) {
			double e = fit.coef[1].est, se = fit.coef[1].se;
			double z = gsl_cdf_ugaussian_Qinv(0.025);
			put_num(c, o, "estimate", exp(e));
			put_num(c, o, "ci_lo", exp(e - z * se));
			put_num(c, o, "ci_hi", exp(e + z * se));
			p = fit.coef[1].p;
		}
		put_why(c, o, "why", fit.why);
		stats_logit_free(&fit);
	} else {
		struct stats_ols fit;
		if (!stats_ok(c, stats_ols(yv, xv, n, npred, 1, &fit),
		    c->f->vars[iv].name))
			goto out;
		put_str(c, o, "scale", "difference in means, group a minus "
		    "group b");
		if (fit.why == STATS_OK && fit.why_hc3 == STATS_OK) {
			double e = fit.coef[1].est, se = fit.coef[1].hc3_se;
			double tq = gsl_cdf_tdist_Qinv(0.025, fit.df);
			put_num(c, o, "estimate", e);
			put_num(c, o, "ci_lo", e - tq * se);
			put_num(c, o, "ci_hi", e + tq * se);
			p = fit.coef[1].hc3_p;
		}
		put_why(c, o, "why", fit.why != STATS_OK ? fit.why :
		    fit.why_hc3);
		stats_ols_free(&fit);
	}
out:
	put_num(c, o, "p", p);
	batch_p(c, 2, o, p);
	free(rows);
	free(yv);
	free(xv);
	return o;
}

/* Holm and BH over one family; the plan's method is "p_adjusted". */
static void
adjust(struct rctx *c, double *pv, json_t **obj, size_t n)
{
	double *h = malloc((n ? n : 1) * sizeof(*h));
	double *b = malloc((n ? n : 1) * sizeof(*b));

	if (h == NULL || b == NULL) {
		c->bad = 1;
		goto out;
	}
	if (n > 0 && (!stats_ok(c, stats_p_adjust(pv, n, STATS_HOLM, h),
	        "p.adjust") ||
	    !stats_ok(c, stats_p_adjust(pv, n, STATS_BH, b), "p.adjust")))
		goto out;
	for (size_t i = 0; i < n; i++) {
		double pa = c->p->padj == PLAN_BH ? b[i] : h[i];
		put_num(c, obj[i], "p_holm", h[i]);
		put_num(c, obj[i], "p_bh", b[i]);
		put_num(c, obj[i], "p_adjusted", pa);
		put(c, obj[i], "below_alpha", isfinite(pa) ?
		    json_boolean(pa < c->p->alpha) : json_null());
	}
out:
	free(h);
	free(b);
}

static void
hex(const unsigned char *h, char out[65])
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static json_t *
header_json(struct rctx *c)
{
	const struct form *f = c->f;
	const struct dataset *d = c->d;
	json_t *o = json_object(), *x, *fails;
	char h[65];

	put_str(c, o, "title", form_text_get(f, &f->title, 0));
	put_str(c, o, "program", analysis_version());
	x = json_object();
	put_str(c, x, "id", f->id);
	put_int(c, x, "version", f->version);
	hex(f->sha256, h);
	put_str(c, x, "sha256", h);
	put(c, o, "form", x);
	x = json_object();
	put_str(c, x, "source", c->p->source);
	hex(c->p->sha256, h);
	put_str(c, x, "sha256", h);
	put_int(c, x, "k", c->k);
	put_num(c, x, "alpha", c->p->alpha);
	put_str(c, x, "multiplicity", plan_padj_name(c->p->padj));
	put(c, o, "plan", x);
	x = json_object();
	hex(d->sha256, h);
	put_str(c, x, "sha256", h);
	put_int(c, x, "rows_read", (long long)d->rows_read);
	put_int(c, x, "rows_analysed", (long long)d->n);
	put_int(c, x, "rows_not_decoded", (long long)d->rows_failed);
	put_int(c, x, "rows_other_form_version",
	    (long long)d->rows_other_version);
	fails = json_array();
	for (size_t i = 0; i < d->nfails; i++)
		add(c, fails, json_pack("{s:s,s:I}", "problem",
		    d->fails[i].what, "rows", (json_int_t)d->fails[i].rows));
	if (d->fails_other > 0)
		add(c, fails, json_pack("{s:s,s:I}", "problem",
		    "other problems", "rows", (json_int_t)d->fails_other));
	put(c, x, "decode_problems", fails);
	put(c, o, "data", x);
	return o;
}

int
report_build(const struct form *f, const struct dataset *d,
    const struct plan *p, long k, json_t **out, char *err, size_t errsz)
{
	struct rctx c;
	json_t *root, *vars, *groups, *cmps, *cors, *adj;
	uint8_t *memb = NULL;
	int rc = -1;

	*out = NULL;
	memset(&c, 0, sizeof(c));
	c.f = f;
	c.d = d;
	c.p = p;
	c.k = k;
	c.err = err;
	c.errsz = errsz;
	err[0] = '\0';
	if (sdc_check_k(k) != SDC_OK) {
		snprintf(err, errsz, "k must be at least %d", SDC_K_MIN);
		return -1;
	}
	root = json_object();
	put_str(&c, root, "format", "candor-report-1");
	put(&c, root, "header", header_json(&c));
	vars = json_array();
	for (size_t i = 0; i < f->nvars && !c.stats_err; i++)
		if (var_class(f, i) != VC_SKIP)
			add(&c, vars, variable_json(&c, i));
	put(&c, root, "variables", vars);
	groups = json_array();
	cmps = json_array();
	adj = json_array();
	for (size_t g = 0; g < p->ngroups && !c.stats_err; g++) {
		const struct plan_group *pg = &p->groups[g];
		uint64_t na, nb, both;
		json_t *go = json_object();
		free(memb);
		if ((memb = group_members(d, pg, &na, &nb, &both)) == NULL) {
			c.bad = 1;
			break;
		}
		put_str(&c, go, "name", pg->name);
		put_str(&c, go, "label", pg->label);
		put_str(&c, go, "a_label", pg->a_label ? pg->a_label : "group a");
		put_str(&c, go, "b_label", pg->b_label ? pg->b_label : "group b");
		put_count(&c, go, "n_a", na);
		put_count(&c, go, "n_b", nb);
		put_count(&c, go, "in_both_excluded", both);
		add(&c, groups, go);
		for (size_t o = 0; o < p->noutcomes && !c.stats_err; o++)
			add(&c, cmps, comparison_json(&c, pg, p->outcomes[o],
			    memb));
		for (size_t o = 0; p->ncovs > 0 && o < p->noutcomes &&
		    !c.stats_err; o++) {
			const char *t = outcome_type(f, p->outcomes[o]);
			if (strcmp(t, "categorical") != 0)
				add(&c, adj, adjusted_json(&c, pg,
				    p->outcomes[o], memb));
		}
	}
	put(&c, root, "groups", groups);
	put(&c, root, "comparisons", cmps);
	cors = json_array();
	for (size_t i = 0; p->correlations && i < p->noutcomes; i++)
		for (size_t j = i + 1; j < p->noutcomes && !c.stats_err; j++)
			if (strcmp(outcome_type(f, p->outcomes[i]), "numeric") ==
			        0 &&
			    strcmp(outcome_type(f, p->outcomes[j]), "numeric") ==
			        0)
				add(&c, cors, correlation_json(&c,
				    p->outcomes[i], p->outcomes[j]));
	put(&c, root, "correlations", cors);
	put(&c, root, "adjusted", adj);
	if (!c.stats_err) {
		adjust(&c, c.pv, c.pobj, c.np);
		adjust(&c, c.pv2, c.pobj2, c.np2);
	}
	if (c.stats_err)
		goto out;
	if (c.bad) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	*out = root;
	root = NULL;
	rc = 0;
out:
	json_decref(root);
	free(memb);
	free(c.pv);
	free(c.pobj);
	free(c.pv2);
	free(c.pobj2);
	return rc;
}

void
report_fmt(char *buf, size_t n, double x, int digits)
{
	if (!isfinite(x)) {
		snprintf(buf, n, "\xe2\x80\x93"); /* an en dash */
		return;
	}
	snprintf(buf, n, "%.*g", digits, x);
	if (strcmp(buf, "-0") == 0)
		snprintf(buf, n, "0");
}

int
report_write_json(json_t *model, const char *path)
{
	FILE *fp = fopen(path, "wb");
	int rc = 0;

	if (fp == NULL)
		return -1;
	if (json_dumpf(model, fp, JSON_INDENT(1) | JSON_PRESERVE_ORDER |
	        JSON_REAL_PRECISION(15)) != 0 ||
	    fputc('\n', fp) == EOF)
		rc = -1;
	if (fclose(fp) != 0)
		rc = -1;
	return rc;
}

int
report_write_all(json_t *model, const char *dir, char *err, size_t errsz)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/report.json", dir);
	if (report_write_json(model, path) != 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/report.html", dir);
	if (report_write_html(model, path) != 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	return report_write_csv(model, dir, err, errsz);
}
