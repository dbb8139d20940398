/*
 * Computing the report (report.h): the candidate release model from a
 * dataset and a plan, handed to the publication gate (gate.h), whose
 * decisions are final.
 *
 * Order of work: the header (provenance: program, form, plan and data
 * hashes), then every variable in form order (descriptives, histogram or
 * frequency table, each through per-table disclosure control), then the
 * groups of the plan and, for each group and outcome, the comparison;
 * Spearman's rho between numeric outcomes; the adjusted models. Then the
 * gate audits the whole model and withholds or rounds what it must; only
 * after that are the p-values adjusted, over the tests still published,
 * and the model sealed (release.h). Each column is walked once per
 * quantity; small integers go through per-value counts
 * (stats_describe_counts()), other numbers through one sort of a copy.
 *
 * Per-table rules applied here (docs/analysis.md): a count 0 < n < k is
 * never published, nor a percentage or summary computed from it; tables
 * get complementary suppression from sdc_suppress(); a histogram over
 * ranges merges its bins until none is below k; a comparison runs only
 * when both groups have n >= k, and a table comparison is shown only when
 * no cell of its table is suppressed. Everything across tables is the
 * gate's.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sort.h>

#include "analysis.h"
#include "gate.h"
#include "report.h"
#include "sdc.h"
#include "stats.h"

#define HIST_BINS 20      /* bins of a histogram of a wide variable */
#define HIST_INT_MAX 41   /* one bin per value up to this many values */
#define HIST_NARROW 12    /* more values than this: ranges, if a bin is small */
#define DUMMIES_MAX 60    /* levels of a covariate coded as dummies */
#define NCODES (FORM_MAX_CHOICES + 64)

struct rctx {
	const struct form *f;
	const struct dataset *d;
	const struct plan *p;
	long k;
	struct rel_report *m;
	int bad;       /* memory ran out */
	int stats_err; /* a statistics call was refused (a bug) */
	char *err;
	size_t errsz;
};

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

static const char *
why_of(enum stats_why w)
{
	return w == STATS_OK ? NULL : stats_why_text(w);
}

static char *
xstrdup(struct rctx *c, const char *s)
{
	char *r = strdup(s != NULL ? s : "");

	if (r == NULL)
		c->bad = 1;
	return r;
}

/* ---- variables ---- */

enum vclass
report_var_class(const struct form *f, size_t iv)
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
static char *
var_label(struct rctx *c, size_t iv)
{
	const struct form *f = c->f;
	const struct form_var *v = &f->vars[iv];
	char buf[600];

	if (v->row != NULL) {
		snprintf(buf, sizeof(buf), "%s: %s", form_text_get(f,
		    &v->item->label, 0), form_text_get(f, &v->row->label, 0));
		return xstrdup(c, buf);
	}
	return xstrdup(c, form_text_get(f, v->score ? &v->score->label :
	    &v->item->label, 0));
}

size_t
report_var_codes(const struct form *f, size_t iv, struct report_code *out,
    size_t max)
{
	const struct form_var *v = &f->vars[iv];
	size_t n = 0;

	if (v->score != NULL) {
		if (v->score->kind == FORM_SCORE_CRITERIA) {
			out[0] = (struct report_code){0, "no", 0};
			out[1] = (struct report_code){1, "yes", 0};
			return 2;
		}
		for (size_t i = 0; i <= v->score->ncuts && n < max; i++)
			out[n++] = (struct report_code){(long)i, form_text_get(f,
			    &v->score->band_labels[i], 0), 0};
		return n;
	}
	if (v->item->kind == FORM_YESNO) {
		out[0] = (struct report_code){0, "no", 0};
		out[1] = (struct report_code){1, "yes", 0};
		return 2;
	}
	for (size_t i = 0; i < v->item->nchoices && n < max; i++)
		out[n++] = (struct report_code){v->item->choices[i].value,
		    form_text_get(f, &v->item->choices[i].label, 0),
		    v->item->choices[i].missing};
	return n;
}

uint64_t *
report_code_counts(const struct dataset *d, size_t iv, const uint8_t *memb,
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

static void
summary_fill(struct rel_summary *o, const struct stats_desc *s)
{
	o->mean = rel_num(s->mean);
	o->sd = rel_num(s->sd);
	o->ci_lo = rel_num(s->ci_lo);
	o->ci_hi = rel_num(s->ci_hi);
	o->median = rel_num(s->median);
	o->q1 = rel_num(s->q1);
	o->q3 = rel_num(s->q3);
	o->min = rel_num(s->min);
	o->max = rel_num(s->max);
	o->why = why_of(s->why);
	o->why_sd = why_of(s->why_sd);
	o->why_ci = why_of(s->why_ci);
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

/* A cell of a suppressed table. */
static struct rel_count
cell_of(const struct sdc_table *t, size_t i, size_t j)
{
	struct rel_count x = {sdc_value(t, i, j), REL_SHOWN};

	if (sdc_state_at(t, i, j) != SDC_PUBLISHED)
		x.st = REL_HIDDEN;
	return x;
}

/*
 * Merge every f adjacent bins in place (the last group may be smaller):
 * counts and breaks. Returns the new number of bins.
 */
static size_t
merge_bins(uint64_t *bins, double *br, size_t nb, size_t f)
{
	size_t o = 0;

	for (size_t i = 0; i < nb; i += f, o++) {
		uint64_t s = 0;
		for (size_t j = 0; j < f && i + j < nb; j++)
			s += bins[i + j];
		bins[o] = s;
		br[o] = br[i];
	}
	br[o] = br[nb];
	return o;
}

/* Is a bin 0 < n < k? */
static int
any_small(const uint64_t *bins, size_t nb, long k)
{
	for (size_t i = 0; i < nb; i++)
		if (bins[i] > 0 && (long long)bins[i] < k)
			return 1;
	return 0;
}

/* Histogram of the known values (counts or sorted data) with SDC. */
static void
histogram(struct rctx *c, size_t iv, const uint64_t *cnt,
    const double *sorted, size_t n, double lo, double hi, struct rel_hist *h)
{
	static const size_t merge[] = {2, 2, 5}; /* 20, 10, 5, 1 bins */
	const struct form_var *v = &c->f->vars[iv];
	const struct ds_col *col = &c->d->cols[iv];
	double br[HIST_INT_MAX + 1];
	uint64_t bins[HIST_INT_MAX], outside = 0;
	size_t nb;
	struct sdc_table *t;
	int rc, per_value = 0;

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
		per_value = 1;
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
		return;
	/*
	 * Bins over ranges (decimals, wide integers) are merged until none
	 * is below k: the values inside a range are unknown, so a hidden
	 * range bin could not be audited exactly (docs/analysis.md). A
	 * histogram of more than HIST_NARROW integer values does the same
	 * with ranges of 2, 3, ... values: its tails would otherwise be
	 * hidden bins that, with exact means and comparisons, the gate would
	 * have to protect by withholding far more.
	 */
	if (!per_value) {
		for (size_t s = 0; s < sizeof(merge) / sizeof(merge[0]) &&
		    nb > 1 && any_small(bins, nb, c->k); s++)
			nb = merge_bins(bins, br, nb, nb % merge[s] == 0 ?
			    merge[s] : nb);
	} else if (nb > HIST_NARROW && any_small(bins, nb, c->k)) {
		uint64_t b0[HIST_INT_MAX];
		double r0[HIST_INT_MAX + 1];
		size_t n0 = nb, f;
		memcpy(b0, bins, sizeof(b0));
		memcpy(r0, br, sizeof(r0));
		for (f = 2; f <= n0; f++) {
			memcpy(bins, b0, sizeof(b0));
			memcpy(br, r0, sizeof(r0));
			nb = merge_bins(bins, br, n0, f);
			if (!any_small(bins, nb, c->k) || nb <= 2)
				break;
		}
		per_value = 0;
	}
	if ((t = oneway(c, bins, nb)) == NULL)
		return;
	h->nb = nb;
	h->per_value = per_value;
	for (size_t i = 0; i <= nb; i++)
		h->breaks[i] = br[i];
	for (size_t i = 0; i < nb; i++)
		h->counts[i] = cell_of(t, 0, i);
	h->outside = rel_people((long long)outside, c->k);
	sdc_table_destroy(t);
}

/*
 * Append s to buf (capacity cap, NUL-terminated) as far as it fits, cut
 * at a UTF-8 character boundary, so that a long form label never leaves
 * half a character in the report.
 */
static void
utf8_append(char *buf, size_t cap, const char *s)
{
	size_t n = strlen(buf), m = strlen(s);

	if (n + 1 >= cap)
		return;
	if (m > cap - n - 1) {
		m = cap - n - 1;
		while (m > 0 && ((unsigned char)s[m] & 0xC0) == 0x80)
			m--;
	}
	memcpy(buf + n, s, m);
	buf[n + m] = '\0';
}

/*
 * The value axis of a variable's histogram, from the form: the range of
 * a scale with its end labels, the unit of an integer or decimal item,
 * the codes of a grid row, the range of a score. The form's wording goes
 * into axis_uw, generated words into axis.
 */
static void
hist_axis(struct rctx *c, size_t iv, struct rel_var *o)
{
	const struct form *f = c->f;
	const struct form_var *v = &f->vars[iv];
	const struct form_item *it = v->item;
	char b[64];

	o->axis[0] = o->axis_uw[0] = '\0';
	if (v->score != NULL) {
		const char *what = v->score->kind == FORM_SCORE_MEAN ?
		    "mean score" : v->score->kind == FORM_SCORE_COUNT ?
		    "count" : "score";
		if (v->score->has_range)
			snprintf(o->axis, sizeof(o->axis), "%s, from %g to %g",
			    what, v->score->range[0], v->score->range[1]);
		else
			snprintf(o->axis, sizeof(o->axis), "%s", what);
		return;
	}
	if (it == NULL)
		return;
	if (v->row != NULL) {
		/* A grid row: its answers are the codes of the grid's choices. */
		snprintf(o->axis, sizeof(o->axis), "answer code: ");
		for (size_t j = 0; j < it->nchoices; j++) {
			if (it->choices[j].missing)
				continue;
			snprintf(b, sizeof(b), "%s%ld = ", o->axis_uw[0] ?
			    ", " : "", it->choices[j].value);
			utf8_append(o->axis_uw, sizeof(o->axis_uw), b);
			utf8_append(o->axis_uw, sizeof(o->axis_uw),
			    form_text_get(f, &it->choices[j].label, 0));
		}
		return;
	}
	switch (it->kind) {
	case FORM_SCALE:
		snprintf(o->axis, sizeof(o->axis), "answer, from %g to %g%s",
		    it->min, it->max, it->min_label.s[0] != NULL ? ": " : "");
		if (it->min_label.s[0] != NULL) {
			snprintf(b, sizeof(b), "%g = ", it->min);
			utf8_append(o->axis_uw, sizeof(o->axis_uw), b);
			utf8_append(o->axis_uw, sizeof(o->axis_uw),
			    form_text_get(f, &it->min_label, 0));
		}
		if (it->max_label.s[0] != NULL) {
			snprintf(b, sizeof(b), "%s%g = ", o->axis_uw[0] ?
			    ", " : "", it->max);
			utf8_append(o->axis_uw, sizeof(o->axis_uw), b);
			utf8_append(o->axis_uw, sizeof(o->axis_uw),
			    form_text_get(f, &it->max_label, 0));
		}
		break;
	case FORM_INTEGER:
	case FORM_DECIMAL:
		if (it->unit.s[0] != NULL) {
			snprintf(o->axis, sizeof(o->axis), "answer, in ");
			utf8_append(o->axis_uw, sizeof(o->axis_uw),
			    form_text_get(f, &it->unit, 0));
		} else {
			snprintf(o->axis, sizeof(o->axis), "answer, from %g to "
			    "%g", it->min, it->max);
		}
		break;
	default:
		snprintf(o->axis, sizeof(o->axis), "answer");
	}
}

/* Summary and histogram of a numeric variable. */
static void
numeric_part(struct rctx *c, size_t iv, struct rel_var *o, uint64_t *n_known)
{
	const struct ds_col *col = &c->d->cols[iv];
	struct stats_desc s;
	uint64_t *cnt = NULL;
	double *x = NULL;
	size_t n = 0;

	*n_known = 0;
	if (col->small && (c->f->vars[iv].type == FORM_T_INT)) {
		if ((cnt = report_code_counts(c->d, iv, NULL, 0)) == NULL) {
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
		o->sum_state = REL_SUM_NOTE;
		snprintf(o->summary_note, sizeof(o->summary_note),
		    "not shown: fewer than %ld answers", c->k);
		goto out;
	}
	o->sum_state = REL_SUM_SHOWN;
	summary_fill(&o->sum, &s);
	if (s.n > 0) {
		struct rel_hist *h = &o->hist;
		size_t i;
		histogram(c, iv, cnt, x, n, s.min, s.max, h);
		o->has_hist = h->nb > 0;
		hist_axis(c, iv, o);
		/*
		 * The minimum and maximum are one respondent's answers: they
		 * are shown only when the bins that hold them are published.
		 */
		for (i = 0; i < h->nb && h->counts[i].st == REL_SHOWN &&
		    h->counts[i].v == 0; i++)
			;
		if (i < h->nb && h->counts[i].st != REL_SHOWN)
			o->sum.min.st = REL_NONE;
		for (i = h->nb; i > 0 && h->counts[i - 1].st == REL_SHOWN &&
		    h->counts[i - 1].v == 0; i--)
			;
		if (i > 0 && h->counts[i - 1].st != REL_SHOWN)
			o->sum.max.st = REL_NONE;
	}
out:
	free(cnt);
	free(x);
}

/*
 * Frequency table of a categorical, binary or ordinal variable. The
 * percentages are of nvalid, the variable's n (answers that are not a
 * missing code), so that a question showing "n = 35" gives percentages
 * of 35: a missing code ("prefer not to say") is counted and shown, with
 * no percentage, as it is not part of n.
 */
static void
frequency_part(struct rctx *c, size_t iv, struct rel_var *o, uint64_t nvalid)
{
	const struct ds_col *col = &c->d->cols[iv];
	struct report_code codes[NCODES];
	size_t nc = report_var_codes(c->f, iv, codes, NCODES);
	uint64_t *all = report_code_counts(c->d, iv, NULL, 0), cell[NCODES];
	struct sdc_table *t = NULL;

	if (all == NULL && !(col->small && col->hi < col->lo)) {
		c->bad = 1;
		return;
	}
	for (size_t j = 0; j < nc; j++)
		cell[j] = all != NULL && codes[j].value >= col->lo &&
		    codes[j].value <= col->hi ? all[codes[j].value - col->lo] : 0;
	if (nc == 0 || (t = oneway(c, cell, nc)) == NULL)
		goto out;
	if ((o->rows = calloc(nc, sizeof(*o->rows))) == NULL) {
		c->bad = 1;
		goto out;
	}
	o->has_freq = 1;
	o->nrows = nc;
	o->freq_total = cell_of(t, 1, nc);
	for (size_t j = 0; j < nc; j++) {
		struct rel_freq *r = &o->rows[j];
		struct stats_prop pr;
		double pct;
		r->value = codes[j].value;
		r->label = codes[j].label;
		r->missing_code = codes[j].missing;
		r->count = cell_of(t, 0, j);
		r->percent.st = REL_NONE;
		if (!codes[j].missing && cell[j] <= nvalid &&
		    rel_people((long long)nvalid, c->k).st == REL_SHOWN &&
		    sdc_state_at(t, 0, j) == SDC_PUBLISHED && nvalid > 0 &&
		    stats_ok(c, stats_proportion(cell[j], nvalid, &pr),
		        c->f->vars[iv].name)) {
			pct = 100.0 * (double)cell[j] / (double)nvalid;
			r->percent = rel_num(pct);
			r->ci_lo = rel_num(100 * pr.ci_lo);
			r->ci_hi = rel_num(100 * pr.ci_hi);
		}
	}
out:
	sdc_table_destroy(t);
	free(all);
}

/* One proportion per option of a multiple-choice variable. */
static void
multi_part(struct rctx *c, size_t iv, struct rel_var *o, uint64_t *n_known)
{
	const struct form_item *it = c->f->vars[iv].item;
	const struct ds_col *col = &c->d->cols[iv];
	uint64_t chosen[FORM_MAX_CHOICES] = {0}, n = 0;

	for (size_t r = 0; r < c->d->n; r++) {
		uint64_t m = col->mask[r];
		if (!col->mset[r])
			continue;
		n++;
		for (size_t j = 0; m != 0 && j < it->nchoices; j++, m >>= 1)
			chosen[j] += m & 1;
	}
	*n_known = n;
	if ((o->rows = calloc(it->nchoices ? it->nchoices : 1,
	    sizeof(*o->rows))) == NULL) {
		c->bad = 1;
		return;
	}
	o->has_options = 1;
	for (size_t j = 0; j < it->nchoices; j++) {
		uint64_t cell[2] = {chosen[j], n - chosen[j]};
		struct sdc_table *t = oneway(c, cell, 2);
		struct rel_freq *r = &o->rows[o->nrows];
		struct stats_prop pr;
		double pct;
		if (t == NULL)
			break;
		o->nrows++;
		r->value = it->choices[j].value;
		r->label = form_text_get(c->f, &it->choices[j].label, 0);
		r->exclusive = it->choices[j].exclusive;
		r->count = cell_of(t, 0, 0);
		r->percent.st = REL_NONE;
		if (sdc_percent(t, 0, 0, SDC_BASE_GRAND, &pct) == SDC_OK &&
		    stats_ok(c, stats_proportion(chosen[j], n, &pr),
		    c->f->vars[iv].name)) {
			r->percent = rel_num(pct);
			r->ci_lo = rel_num(100 * pr.ci_lo);
			r->ci_hi = rel_num(100 * pr.ci_hi);
		}
		sdc_table_destroy(t);
	}
}

static void
variable(struct rctx *c, size_t iv)
{
	enum vclass vc = report_var_class(c->f, iv);
	struct rel_var *o = rel_add_var(c->m);
	uint64_t n = 0;

	if (o == NULL) {
		c->bad = 1;
		return;
	}
	o->iv = iv;
	o->name = c->f->vars[iv].name;
	o->label = var_label(c, iv);
	o->klass = class_name(vc);
	if (vc == VC_NUMERIC || vc == VC_ORDINAL)
		numeric_part(c, iv, o, &n);
	if (vc == VC_MULTI)
		multi_part(c, iv, o, &n);
	if (vc == VC_CATEGORICAL || vc == VC_BINARY || vc == VC_ORDINAL) {
		if (vc != VC_ORDINAL)
			for (size_t r = 0; r < c->d->n; r++)
				n += (uint64_t)ds_known(c->d, iv, r);
		frequency_part(c, iv, o, n);
	}
	o->n = rel_people((long long)n, c->k);
	if (o->n.st == REL_SHOWN)
		o->missing = rel_count((long long)(c->d->n - n));
	else
		o->missing.st = REL_NONE;
}

/* ---- groups and comparisons ---- */

uint8_t *
report_group_members(const struct dataset *d, const struct plan_group *g,
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
brief_fill(struct rel_brief *b, const struct stats_desc *s)
{
	b->mean = rel_num(s->mean);
	b->sd = rel_num(s->sd);
	b->median = rel_num(s->median);
	b->q1 = rel_num(s->q1);
	b->q3 = rel_num(s->q3);
}

/* Welch, Hedges' g and Mann-Whitney of a numeric outcome. */
static void
compare_numeric(struct rctx *c, size_t iv, const uint8_t *memb,
    struct rel_cmp *o, uint64_t *na, uint64_t *nb)
{
	const struct ds_col *col = &c->d->cols[iv];
	struct stats_desc sa, sb;
	struct stats_welch w;
	struct stats_hedges h;
	struct stats_mw mw;
	uint64_t *ca = NULL, *cb = NULL;
	double *x = NULL, *y = NULL;
	size_t nx = 0, ny = 0, nv = 0;
	const char *name = c->f->vars[iv].name;

	o->kind = REL_CMP_NUMERIC;
	if (col->small && c->f->vars[iv].type == FORM_T_INT) {
		nv = (size_t)(col->hi - col->lo + 1);
		if ((ca = report_code_counts(c->d, iv, memb, 1)) == NULL ||
		    (cb = report_code_counts(c->d, iv, memb, 2)) == NULL) {
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
	o->has_desc = o->has_welch = o->has_mw = 1;
	brief_fill(&o->a, &sa);
	brief_fill(&o->b, &sb);
	o->w_diff = rel_num(w.diff);
	o->w_lo = rel_num(w.ci_lo);
	o->w_hi = rel_num(w.ci_hi);
	o->w_t = rel_num(w.t);
	o->w_df = rel_num(w.df);
	o->w_p = rel_num(w.p);
	o->w_why = why_of(w.why);
	o->g_g = rel_num(h.g);
	o->g_lo = rel_num(h.ci_lo);
	o->g_hi = rel_num(h.ci_hi);
	o->g_why = why_of(h.why);
	o->mw_w = rel_num(mw.w);
	o->mw_z = rel_num(mw.z);
	o->mw_p = rel_num(mw.p);
	o->mw_why = why_of(mw.why);
	o->p = rel_num(w.p);
	o->p_test = "Welch t-test";
out:
	free(ca);
	free(cb);
	free(x);
	free(y);
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

/* The tests of a 2 x nc table with every cell published. */
static void
table_tests(struct rctx *c, const char *name, const uint64_t *ta,
    const uint64_t *tb, size_t nc, int binary, struct rel_cmp *o)
{
	uint64_t tab[2 * NCODES];
	struct stats_table_test tt;
	struct stats_chisq chi;

	for (size_t i = 0; i < nc; i++) {
		tab[i] = ta[i];
		tab[nc + i] = tb[i];
	}
	/*
	 * The rule of docs/plans.md (stats_table_test()): Fisher's exact
	 * test when an expected count is below 5 or a margin is 0 (there its
	 * p is 1 and the comparison stays in the Holm/BH family), else
	 * chi-square.
	 */
	if (!stats_ok(c, stats_table_test(tab, 2, nc, &tt), name))
		return;
	chi = tt.chi;
	o->has_chisq = 1;
	o->chi_stat = rel_num(chi.stat);
	o->chi_df = rel_num(chi.df);
	o->chi_p = rel_num(chi.p);
	o->chi_yates = chi.yates;
	o->chi_min_expected = rel_num(chi.min_expected);
	o->chi_why = why_of(chi.why);
	o->p = rel_num(chi.p);
	o->p_test = chi.yates ? "chi-square (Yates)" : "chi-square";
	if (tt.fisher) {
		o->has_fisher = 1;
		o->fisher_p = rel_num(tt.p);
		o->fisher_why = why_of(STATS_OK);
		o->p = rel_num(tt.p);
		o->p_test = "Fisher's exact test";
	}
	if (nc == 2) {
		struct stats_or or;
		struct stats_rd rd;
		if (!stats_ok(c, stats_odds_ratio(tab, &or), name) ||
		    !stats_ok(c, stats_risk_diff(tab, &rd), name))
			return;
		if (binary) {
			o->has_rd = 1;
			o->rd_a = rel_num(rd.p1);
			o->rd_b = rel_num(rd.p2);
			o->rd_diff = rel_num(rd.rd);
			o->rd_lo = rel_num(rd.newcombe_lo);
			o->rd_hi = rel_num(rd.newcombe_hi);
			o->rd_why = why_of(rd.why);
			o->or_est = rel_num(or.est);
			o->or_lo = rel_num(or.ci_lo);
			o->or_hi = rel_num(or.ci_hi);
			o->or_corrected = or.corrected;
			o->or_why = why_of(or.why);
		}
	}
}

/* Chi-square (and Fisher, estimates for 2x2) of a binary/categorical outcome. */
static void
compare_table(struct rctx *c, size_t iv, const uint8_t *memb,
    struct rel_cmp *o, uint64_t *na, uint64_t *nb, int binary)
{
	const struct ds_col *col = &c->d->cols[iv];
	struct report_code codes[NCODES];
	size_t ncode = report_var_codes(c->f, iv, codes, NCODES);
	uint64_t *ca = report_code_counts(c->d, iv, memb, 1);
	uint64_t *cb = report_code_counts(c->d, iv, memb, 2);
	uint64_t ta[NCODES], tb[NCODES];
	long used[NCODES];
	size_t nc = 0;
	struct sdc_table *t = NULL;

	o->kind = REL_CMP_TABLE;
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
	o->values = calloc(nc ? nc : 1, sizeof(*o->values));
	o->ta = calloc(nc ? nc : 1, sizeof(*o->ta));
	o->tb = calloc(nc ? nc : 1, sizeof(*o->tb));
	if (o->values == NULL || o->ta == NULL || o->tb == NULL) {
		c->bad = 1;
		goto out;
	}
	o->has_table = 1;
	o->ncols = nc;
	for (size_t i = 0; i < nc; i++) {
		o->values[i] = used[i];
		o->ta[i] = cell_of(t, 0, i);
		o->tb[i] = cell_of(t, 1, i);
	}
	for (size_t i = 0; i < nc * 2; i++)
		if (t->state[i] != SDC_PUBLISHED) {
			snprintf(o->status, sizeof(o->status), "%s",
			    REPORT_NOT_SHOWN_CELL);
			goto out;
		}
	if (nc < 2) {
		snprintf(o->status, sizeof(o->status), "not run: only one "
		    "answer was given");
		goto out;
	}
	table_tests(c, c->f->vars[iv].name, ta, tb, nc, binary, o);
out:
	sdc_table_destroy(t);
	free(ca);
	free(cb);
}

/* The kind of comparison an outcome gets. */
static const char *
outcome_type(const struct form *f, size_t iv)
{
	switch (report_var_class(f, iv)) {
	case VC_BINARY: return "binary";
	case VC_CATEGORICAL: return "categorical";
	default: return "numeric";
	}
}

static void
comparison(struct rctx *c, size_t ig, size_t iv, const uint8_t *memb)
{
	const struct plan_group *g = &c->p->groups[ig];
	struct rel_cmp *o = rel_add_cmp(c->m);
	const char *type = outcome_type(c->f, iv);
	uint64_t na = 0, nb = 0;

	if (o == NULL) {
		c->bad = 1;
		return;
	}
	o->igroup = ig;
	o->iv = iv;
	o->group = g->name;
	o->outcome = c->f->vars[iv].name;
	o->outcome_label = var_label(c, iv);
	o->type = type;
	o->below_alpha = -1;
	o->p.st = REL_NONE;
	snprintf(o->status, sizeof(o->status), "ok");
	if (strcmp(type, "numeric") == 0)
		compare_numeric(c, iv, memb, o, &na, &nb);
	else
		compare_table(c, iv, memb, o, &na, &nb,
		    strcmp(type, "binary") == 0);
	o->n_a = rel_people((long long)na, c->k);
	o->n_b = rel_people((long long)nb, c->k);
	if (!sdc_group_ok((long)na, c->k) || !sdc_group_ok((long)nb, c->k))
		snprintf(o->status, sizeof(o->status), "%s", REPORT_NOT_RUN_K);
}

/* ---- correlations ---- */

static void
correlation(struct rctx *c, size_t ix, size_t iy)
{
	struct rel_cor *o = rel_add_cor(c->m);
	struct stats_spearman s;
	double *x = malloc((c->d->n ? c->d->n : 1) * sizeof(double));
	double *y = malloc((c->d->n ? c->d->n : 1) * sizeof(double));
	size_t n = 0;

	if (o == NULL || x == NULL || y == NULL) {
		c->bad = 1;
		goto out;
	}
	o->ix = ix;
	o->iy = iy;
	o->x = c->f->vars[ix].name;
	o->x_label = var_label(c, ix);
	o->y = c->f->vars[iy].name;
	o->y_label = var_label(c, iy);
	o->below_alpha = -1;
	o->p.st = REL_NONE;
	for (size_t r = 0; r < c->d->n; r++)
		if (ds_num(c->d, ix, r, &x[n]) && ds_num(c->d, iy, r, &y[n]))
			n++;
	o->n = rel_people((long long)n, c->k);
	if (!sdc_group_ok((long)n, c->k)) {
		snprintf(o->status, sizeof(o->status), "%s", REPORT_NOT_RUN_K);
		goto out;
	}
	if (!stats_ok(c, stats_spearman(x, y, n, &s), c->f->vars[ix].name))
		goto out;
	snprintf(o->status, sizeof(o->status), "ok");
	o->has_rho = 1;
	o->rho = rel_num(s.rho);
	o->s = rel_num(s.s);
	o->p = rel_num(s.p);
	o->why = why_of(s.why);
out:
	free(x);
	free(y);
}

/* ---- adjusted models ---- */

/* Observed codes of dummy covariate i among rows[], sorted; -1 if > max. */
static long
dummy_levels(struct rctx *c, size_t ivar, const size_t *rows, size_t n,
    long *levels)
{
	size_t nl = 0;

	for (size_t q = 0; q < n; q++) {
		double v;
		long code;
		size_t m;
		(void)ds_num(c->d, ivar, rows[q], &v);
		code = (long)v;
		for (m = 0; m < nl && levels[m] != code; m++)
			;
		if (m == nl) {
			if (nl == DUMMIES_MAX)
				return -1;
			levels[nl++] = code;
		}
	}
	for (size_t a = 1; a < nl; a++)
		for (size_t b = a; b > 0 && levels[b - 1] > levels[b]; b--) {
			long t = levels[b];
			levels[b] = levels[b - 1];
			levels[b - 1] = t;
		}
	return (long)nl;
}

/*
 * After a fit: the predictors R would print NA for (coef[j + 1].aliased
 * of predictor j), named in o->dropped. The group indicator (predictor
 * 0) itself aliased leaves nothing to report. Returns 0, or -1 when the
 * group is the aliased one.
 */
static int
note_aliased(struct rctx *c, struct rel_adj *o, const struct stats_coef *coef,
    char (*names)[64], size_t npred)
{
	size_t len = 0;

	if (coef[1].aliased) {
		snprintf(o->status, sizeof(o->status), "not run: the group is "
		    "collinear with the covariates");
		return -1;
	}
	for (size_t j = 1; j < npred; j++)
		if (coef[j + 1].aliased)
			len += strlen(names[j]) + 2;
	if (len == 0)
		return 0;
	if ((o->dropped = malloc(len + 1)) == NULL) {
		c->bad = 1;
		return 0;
	}
	o->dropped[0] = '\0';
	for (size_t j = 1, at = 0; j < npred; j++)
		if (coef[j + 1].aliased)
			at += (size_t)snprintf(o->dropped + at, len + 1 - at,
			    "%s%s", at ? "; " : "", names[j]);
	return 0;
}

static void
fit_logit(struct rctx *c, struct rel_adj *o, const double *yv,
    const double *xv, size_t n, size_t npred, size_t iv, char (*names)[64])
{
	struct stats_logit fit;

	if (!stats_ok(c, stats_logit(yv, xv, n, npred, 1, &fit),
	    c->f->vars[iv].name))
		return;
	o->scale = "odds ratio, group a vs group b";
	if (note_aliased(c, o, fit.coef, names, npred) != 0) {
		o->scale = NULL;
		stats_logit_free(&fit);
		return;
	}
	if (fit.why == STATS_OK) {
		double e = fit.coef[1].est, se = fit.coef[1].se;
		double z = gsl_cdf_ugaussian_Qinv(0.025);
		o->est = rel_num(exp(e));
		o->lo = rel_num(exp(e - z * se));
		o->hi = rel_num(exp(e + z * se));
		o->p = rel_num(fit.coef[1].p);
	}
	o->why = why_of(fit.why);
	stats_logit_free(&fit);
}

static void
fit_ols(struct rctx *c, struct rel_adj *o, const double *yv,
    const double *xv, size_t n, size_t npred, size_t iv, char (*names)[64])
{
	struct stats_ols fit;

	if (!stats_ok(c, stats_ols(yv, xv, n, npred, 1, &fit),
	    c->f->vars[iv].name))
		return;
	o->scale = "difference in means, group a minus group b";
	if (note_aliased(c, o, fit.coef, names, npred) != 0) {
		o->scale = NULL;
		stats_ols_free(&fit);
		return;
	}
	if (fit.why == STATS_OK && fit.why_hc3 == STATS_OK) {
		double e = fit.coef[1].est, se = fit.coef[1].hc3_se;
		double tq = gsl_cdf_tdist_Qinv(0.025, fit.df);
		o->est = rel_num(e);
		o->lo = rel_num(e - tq * se);
		o->hi = rel_num(e + tq * se);
		o->p = rel_num(fit.coef[1].hc3_p);
	}
	o->why = why_of(fit.why != STATS_OK ? fit.why : fit.why_hc3);
	stats_ols_free(&fit);
}

static void
adjusted(struct rctx *c, size_t ig, size_t iv, const uint8_t *memb)
{
	const struct plan *pl = c->p;
	const int binary = strcmp(outcome_type(c->f, iv), "binary") == 0;
	struct rel_adj *o = rel_add_adj(c->m);
	size_t npred = 1, n = 0, *rows = NULL;
	long ndum[32] = {0}, levels[32][DUMMIES_MAX];
	double *yv = NULL, *xv = NULL;
	char (*names)[64] = NULL;
	uint64_t na = 0, nb = 0;

	if (o == NULL) {
		c->bad = 1;
		return;
	}
	o->igroup = ig;
	o->iv = iv;
	o->group = pl->groups[ig].name;
	o->outcome = c->f->vars[iv].name;
	o->outcome_label = var_label(c, iv);
	o->model = binary ? "logistic regression" :
	    "linear regression, HC3 standard errors";
	o->below_alpha = -1;
	o->p.st = REL_NONE;
	if ((o->covs = calloc(pl->ncovs ? pl->ncovs : 1, sizeof(*o->covs))) ==
	    NULL || (rows = malloc((c->d->n ? c->d->n : 1) * sizeof(*rows))) ==
	    NULL) {
		c->bad = 1;
		goto out;
	}
	for (size_t i = 0; i < pl->ncovs; i++)
		o->covs[o->ncovs++] = c->f->vars[pl->covs[i].ivar].name;
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
	o->n = rel_people((long long)n, c->k);
	o->n_a = rel_people((long long)na, c->k);
	o->n_b = rel_people((long long)nb, c->k);
	if (!sdc_group_ok((long)na, c->k) || !sdc_group_ok((long)nb, c->k)) {
		snprintf(o->status, sizeof(o->status), "%s", REPORT_NOT_RUN_K);
		goto out;
	}
	for (size_t i = 0; i < pl->ncovs && i < 32; i++) {
		if (pl->covs[i].coding != PLAN_DUMMIES) {
			npred++;
			continue;
		}
		if ((ndum[i] = dummy_levels(c, pl->covs[i].ivar, rows, n,
		    levels[i])) < 0) {
			snprintf(o->status, sizeof(o->status), "not run: %s has "
			    "more than %d levels, too many for dummy coding (one "
			    "predictor each)", c->f->vars[pl->covs[i].ivar].name,
			    DUMMIES_MAX);
			goto out;
		}
		npred += ndum[i] ? (size_t)ndum[i] - 1 : 0;
	}
	if ((yv = malloc((n ? n : 1) * sizeof(*yv))) == NULL ||
	    (xv = malloc((n ? n : 1) * npred * sizeof(*xv))) == NULL ||
	    (names = calloc(npred, sizeof(*names))) == NULL) {
		c->bad = 1;
		goto out;
	}
	/* Predictor names, as the fit's columns: group, then covariates. */
	{
		size_t col = 0;
		snprintf(names[col++], sizeof(names[0]), "group");
		for (size_t i = 0; i < pl->ncovs; i++) {
			const char *cn = c->f->vars[pl->covs[i].ivar].name;
			if (pl->covs[i].coding != PLAN_DUMMIES) {
				snprintf(names[col++], sizeof(names[0]), "%s", cn);
				continue;
			}
			for (long m = 1; m < ndum[i]; m++)
				snprintf(names[col++], sizeof(names[0]), "%s=%ld",
				    cn, levels[i][m]);
		}
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
			for (long m = 1; m < ndum[i]; m++)
				xr[col++] = (long)v == levels[i][m];
		}
	}
	snprintf(o->status, sizeof(o->status), "ok");
	if (binary)
		fit_logit(c, o, yv, xv, n, npred, iv, names);
	else
		fit_ols(c, o, yv, xv, n, npred, iv, names);
out:
	free(rows);
	free(yv);
	free(xv);
	free(names);
}

/* ---- paired comparisons, k-group tests, strata ---- */

#define NOT_RUN_PAIRS "not run: fewer than k respondents gave both answers"
#define NOT_SHOWN_LEVEL "not shown: a comparison of two of its levels is " \
	"not published"

/* How many respondents have a usable value of iv. */
static uint64_t
known_count(const struct dataset *d, size_t iv)
{
	uint64_t n = 0;
	double v;

	for (size_t r = 0; r < d->n; r++)
		n += ds_num(d, iv, r, &v) != 0;
	return n;
}

/* Would a count differing from m by 0 < |diff| < k give a few away? */
static int
differs_little(uint64_t m, uint64_t n, long k)
{
	uint64_t d = m > n ? m - n : n - m;

	return d > 0 && d < (uint64_t)k;
}

/*
 * A paired comparison (x minus y) over the respondents who gave both.
 * Per-release rules here: at least k pairs, and the pairs are all, or
 * fewer by k or more, of those who answered x, and likewise y (else the
 * difference of the published summaries would give the answers of the
 * few left out). What the gate withheld is checked after it has run
 * (paired_after_gate()).
 */
static void
paired_cmp(struct rctx *c, size_t ip)
{
	const struct plan_paired *pp = &c->p->paired[ip];
	struct rel_pair *o = rel_add_pair(c->m);
	const struct dataset *d = c->d;
	struct stats_paired_t t;
	struct stats_signrank w;
	double *x = NULL, *y = NULL;
	size_t n = 0;

	if (o == NULL) {
		c->bad = 1;
		return;
	}
	o->ix = pp->x;
	o->iy = pp->y;
	o->name = pp->name;
	o->label = pp->label;
	o->x = c->f->vars[pp->x].name;
	o->y = c->f->vars[pp->y].name;
	o->x_label = var_label(c, pp->x);
	o->y_label = var_label(c, pp->y);
	o->below_alpha = -1;
	o->p.st = REL_NONE;
	if ((x = malloc((d->n ? d->n : 1) * sizeof(*x))) == NULL ||
	    (y = malloc((d->n ? d->n : 1) * sizeof(*y))) == NULL) {
		c->bad = 1;
		goto out;
	}
	for (size_t r = 0; r < d->n; r++)
		if (ds_num(d, pp->x, r, &x[n]) && ds_num(d, pp->y, r, &y[n]))
			n++;
	o->n = rel_people((long long)n, c->k);
	if (!sdc_group_ok((long)n, c->k)) {
		snprintf(o->status, sizeof(o->status), "%s", NOT_RUN_PAIRS);
		goto out;
	}
	if (differs_little(known_count(d, pp->x), n, c->k) ||
	    differs_little(known_count(d, pp->y), n, c->k)) {
		snprintf(o->status, sizeof(o->status), "not shown: fewer than "
		    "k of those who answered one of the two did not answer "
		    "the other");
		goto out;
	}
	if (!stats_ok(c, stats_paired_t(x, y, n, &t), pp->name) ||
	    !stats_ok(c, stats_signed_rank(x, y, n, &w), pp->name))
		goto out;
	snprintf(o->status, sizeof(o->status), "ok");
	o->diff = rel_num(t.diff);
	o->sd = rel_num(t.sd);
	o->lo = rel_num(t.ci_lo);
	o->hi = rel_num(t.ci_hi);
	o->t = rel_num(t.t);
	o->df = rel_num(t.df);
	o->t_why = why_of(t.why);
	o->v = rel_num(w.v);
	o->w_p = rel_num(w.p);
	o->w_exact = w.exact;
	o->est = rel_num(w.est);
	o->est_lo = rel_num(w.ci_lo);
	o->est_hi = rel_num(w.ci_hi);
	o->conf = rel_num(w.conf_level);
	o->w_why = why_of(w.why != STATS_OK ? w.why : w.why_ci);
	o->p = rel_num(t.p);
	o->p_test = "paired t-test";
out:
	free(x);
	free(y);
}

static void
pair_withhold(struct rel_pair *o, const char *status)
{
	struct rel_num *v[] = {&o->diff, &o->sd, &o->lo, &o->hi, &o->t,
	    &o->df, &o->v, &o->w_p, &o->est, &o->est_lo, &o->est_hi, &o->conf,
	    &o->p};

	for (size_t i = 0; i < sizeof(v) / sizeof(v[0]); i++)
		rel_withhold_num(v[i]);
	o->p_test = NULL;
	o->t_why = o->w_why = NULL;
	snprintf(o->status, sizeof(o->status), "%s", status);
}

/* The published summary of variable iv, unrounded; NULL if none. */
static const struct rel_var *
exact_summary(const struct rel_report *m, size_t iv)
{
	for (size_t i = 0; i < m->nvars; i++) {
		const struct rel_var *v = &m->vars[i];
		if (v->iv != iv)
			continue;
		if (v->sum_state != REL_SUM_SHOWN || !rel_count_shown(&v->n) ||
		    !rel_num_shown(&v->sum.mean) || !rel_num_shown(&v->sum.sd) ||
		    v->sum.mean.dp != REL_EXACT || v->sum.sd.dp != REL_EXACT)
			return NULL;
		return v;
	}
	return NULL;
}

/*
 * After the gate: a paired comparison is published only while both
 * answers' own summaries are, exactly (the gate may have withheld or
 * rounded them to protect a count; the difference of the means would
 * undo that).
 */
/*
 * A percentage is of the variable's n: once the gate has withheld n, a
 * shown count with its percentage would give n back (count / percent),
 * so the percentages and their intervals go with it. A frequency table
 * whose total (every answer, missing codes included) is still shown
 * gives its percentages of that total instead, and says so
 * (percent_of_total): count and total are both published already.
 */
static void
percent_after_gate(struct rctx *c)
{
	for (size_t i = 0; i < c->m->nvars; i++) {
		struct rel_var *v = &c->m->vars[i];
		int of_total;
		if (rel_count_shown(&v->n))
			continue;
		of_total = v->has_freq && rel_count_shown(&v->freq_total) &&
		    v->freq_total.v > 0;
		v->percent_of_total = of_total;
		for (size_t j = 0; j < v->nrows; j++) {
			struct rel_freq *r = &v->rows[j];
			struct stats_prop pr;
			if (rel_num_shown(&r->percent)) {
				rel_withhold_num(&r->percent);
				rel_withhold_num(&r->ci_lo);
				rel_withhold_num(&r->ci_hi);
			}
			if (!of_total || !rel_count_shown(&r->count) ||
			    r->count.v > v->freq_total.v ||
			    !stats_ok(c, stats_proportion((uint64_t)r->count.v,
			    (uint64_t)v->freq_total.v, &pr), v->name))
				continue;
			r->percent = rel_num(100.0 * (double)r->count.v /
			    (double)v->freq_total.v);
			r->ci_lo = rel_num(100 * pr.ci_lo);
			r->ci_hi = rel_num(100 * pr.ci_hi);
		}
	}
}

static void
paired_after_gate(struct rctx *c)
{
	for (size_t i = 0; i < c->m->npairs; i++) {
		struct rel_pair *o = &c->m->pairs[i];
		if (strcmp(o->status, "ok") != 0)
			continue;
		if (exact_summary(c->m, o->ix) == NULL ||
		    exact_summary(c->m, o->iy) == NULL)
			pair_withhold(o, "not shown: the summary of one of the "
			    "two answers is withheld or rounded (see Withheld)");
	}
}

/* Is comparison x of a factor's two levels published in full? */
static int
level_cmp_shown(const struct rel_cmp *x)
{
	if (strcmp(x->status, "ok") != 0)
		return 0;
	if (x->kind == REL_CMP_NUMERIC) {
		const struct rel_num *v[] = {&x->a.mean, &x->a.sd, &x->b.mean,
		    &x->b.sd};
		if (!x->has_desc || !x->has_mw || !rel_num_shown(&x->mw_w))
			return 0;
		for (size_t i = 0; i < 4; i++)
			if (!rel_num_shown(v[i]) || v[i]->dp != REL_EXACT)
				return 0;
		return rel_count_shown(&x->n_a) && rel_count_shown(&x->n_b);
	}
	if (!x->has_table)
		return 0;
	for (size_t i = 0; i < x->ncols; i++)
		if (!rel_count_shown(&x->ta[i]) || !rel_count_shown(&x->tb[i]))
			return 0;
	return 1;
}

/* Index of value v among the factor's levels, or -1. */
static long
level_of(const struct plan_factor *fc, double v)
{
	for (size_t i = 0; i < fc->nlevels; i++)
		if ((double)fc->levels[i] == v)
			return (long)i;
	return -1;
}

static void
kgroup_numeric(struct rctx *c, const struct plan_factor *fc, size_t iv,
    struct rel_kgroup *o)
{
	const struct dataset *d = c->d;
	struct stats_desc desc[PLAN_MAX_LEVELS];
	struct stats_anova a, w;
	struct stats_kruskal kw;
	double *x = malloc((d->n ? d->n : 1) * sizeof(*x));
	double *gx = malloc((d->n ? d->n : 1) * sizeof(*gx));
	size_t *g = malloc((d->n ? d->n : 1) * sizeof(*g)), n = 0;
	const char *name = c->f->vars[iv].name;

	if (x == NULL || gx == NULL || g == NULL) {
		c->bad = 1;
		goto out;
	}
	for (size_t r = 0; r < d->n; r++) {
		double lv;
		long li;
		if (!ds_num(d, fc->ivar, r, &lv) || (li = level_of(fc, lv)) < 0 ||
		    !ds_num(d, iv, r, &x[n]))
			continue;
		g[n++] = (size_t)li;
	}
	for (size_t l = 0; l < fc->nlevels; l++) {
		size_t m = 0;
		for (size_t i = 0; i < n; i++)
			if (g[i] == l)
				gx[m++] = x[i];
		if (!stats_ok(c, stats_describe(gx, m, &desc[l]), name))
			goto out;
	}
	if (!stats_ok(c, stats_anova(desc, fc->nlevels, &a), name) ||
	    !stats_ok(c, stats_welch_anova(desc, fc->nlevels, &w), name) ||
	    !stats_ok(c, stats_kruskal(x, g, n, fc->nlevels, &kw), name))
		goto out;
	o->n = rel_people((long long)n, c->k);
	o->f = rel_num(a.f);
	o->df1 = rel_num(a.df1);
	o->df2 = rel_num(a.df2);
	o->f_p = rel_num(a.p);
	o->wf = rel_num(w.f);
	o->wdf1 = rel_num(w.df1);
	o->wdf2 = rel_num(w.df2);
	o->wf_p = rel_num(w.p);
	o->kw = rel_num(kw.stat);
	o->kw_df = rel_num(kw.df);
	o->kw_p = rel_num(kw.p);
	o->why = why_of(w.why);
	/* Welch's test, as the two-group comparisons use Welch's t. */
	o->p = rel_num(w.p);
	o->p_test = "Welch's one-way ANOVA";
out:
	free(x);
	free(gx);
	free(g);
}

static void
kgroup_table(struct rctx *c, const struct plan_factor *fc, size_t iv,
    struct rel_kgroup *o)
{
	const struct dataset *d = c->d;
	struct report_code codes[NCODES];
	size_t ncode = report_var_codes(c->f, iv, codes, NCODES), nc = 0;
	size_t k = fc->nlevels;
	uint64_t *full = calloc(k * (ncode ? ncode : 1), sizeof(*full));
	uint64_t *tab = calloc(k * (ncode ? ncode : 1), sizeof(*tab)), n = 0;
	struct stats_table_test tt;

	if (full == NULL || tab == NULL) {
		c->bad = 1;
		goto out;
	}
	for (size_t r = 0; r < d->n; r++) {
		double lv, v;
		long li;
		if (!ds_num(d, fc->ivar, r, &lv) || (li = level_of(fc, lv)) < 0 ||
		    !ds_num(d, iv, r, &v))
			continue;
		for (size_t q = 0; q < ncode; q++)
			if (!codes[q].missing && (double)codes[q].value == v) {
				full[(size_t)li * ncode + q]++;
				n++;
				break;
			}
	}
	/* The codes someone gave, as the two-level tables keep them. */
	for (size_t q = 0; q < ncode; q++) {
		uint64_t t = 0;
		for (size_t l = 0; l < k; l++)
			t += full[l * ncode + q];
		if (t == 0)
			continue;
		for (size_t l = 0; l < k; l++)
			tab[l * ncode + nc] = full[l * ncode + q];
		nc++;
	}
	o->n = rel_people((long long)n, c->k);
	if (nc < 2) {
		snprintf(o->status, sizeof(o->status), "not run: only one "
		    "answer was given");
		goto out;
	}
	/* Compact the rows to nc columns. */
	for (size_t l = 0; l < k; l++)
		memmove(tab + l * nc, tab + l * ncode, nc * sizeof(*tab));
	if (!stats_ok(c, stats_table_test(tab, k, nc, &tt),
	    c->f->vars[iv].name))
		goto out;
	o->chi = rel_num(tt.chi.stat);
	o->chi_df = rel_num(tt.chi.df);
	o->chi_p = rel_num(tt.chi.p);
	o->cramer_v = rel_num(tt.chi.cramer_v);
	o->why = why_of(tt.why);
	o->p = rel_num(tt.p);
	if (tt.fisher) {
		o->fisher_p = rel_num(tt.p);
		o->p_test = "Fisher's exact test";
	} else {
		o->p_test = "chi-square";
	}
out:
	free(full);
	free(tab);
}

/*
 * The k-group tests of every outcome over each factor's levels, after
 * the gate: only where every comparison of two of the levels is
 * published in full (sizes, exact means and SDs and the Mann-Whitney W,
 * or every cell of the table), so that each test is a function of
 * published numbers (the Kruskal-Wallis rank sums are the pairs' W
 * values plus n (n + 1) / 2).
 */
static void
kgroups(struct rctx *c)
{
	const struct plan *p = c->p;

	for (size_t fi = 0; fi < p->nfactors && !c->bad && !c->stats_err;
	    fi++) {
		const struct plan_factor *fc = &p->factors[fi];
		for (size_t oi = 0; oi < p->noutcomes; oi++) {
			size_t iv = p->outcomes[oi];
			struct rel_kgroup *o = rel_add_kgroup(c->m);
			int shown = 1;
			if (o == NULL) {
				c->bad = 1;
				return;
			}
			o->ifactor = fi;
			o->iv = iv;
			o->factor = fc->name;
			o->var = c->f->vars[fc->ivar].name;
			o->outcome = c->f->vars[iv].name;
			o->outcome_label = var_label(c, iv);
			o->type = outcome_type(c->f, iv);
			o->nlevels = fc->nlevels;
			o->below_alpha = -1;
			o->p.st = REL_NONE;
			for (size_t i = 0; i < c->m->ncmps; i++) {
				const struct rel_cmp *x = &c->m->cmps[i];
				const struct plan_group *g = &p->groups[x->igroup];
				if (x->iv == iv && g->from_factor && g->factor == fi &&
				    !level_cmp_shown(x))
					shown = 0;
			}
			if (!shown) {
				snprintf(o->status, sizeof(o->status), "%s",
				    NOT_SHOWN_LEVEL);
				continue;
			}
			snprintf(o->status, sizeof(o->status), "ok");
			if (strcmp(o->type, "numeric") == 0)
				kgroup_numeric(c, fc, iv, o);
			else
				kgroup_table(c, fc, iv, o);
		}
	}
}

/*
 * The Mantel-Haenszel test of group ig's binary outcome iv within the
 * strata of variable plan->strata[si]. Per-release rules: every cell of
 * every stratum's 2 x 2 table is 0 or at least k (the tables are not
 * published, but the estimate and test are functions of them), and the
 * respondents with a known stratum are all, or fewer by k or more, of
 * the crude comparison's. After the gate, the crude comparison must be
 * published (strata_after_gate()).
 */
static void
stratified(struct rctx *c, size_t ig, size_t iv, size_t si,
    const uint8_t *memb)
{
	const struct dataset *d = c->d;
	size_t sv = c->p->strata[si], nl = 0;
	struct rel_strat *o = rel_add_strat(c->m);
	double lev[64];
	uint64_t tabs[64 * 4], n = 0, crude = 0;
	struct stats_mh mh;

	if (o == NULL) {
		c->bad = 1;
		return;
	}
	o->igroup = ig;
	o->iv = iv;
	o->istratum = si;
	o->group = c->p->groups[ig].name;
	o->outcome = c->f->vars[iv].name;
	o->outcome_label = var_label(c, iv);
	o->stratum = c->f->vars[sv].name;
	o->below_alpha = -1;
	o->p.st = REL_NONE;
	memset(tabs, 0, sizeof(tabs));
	for (size_t r = 0; r < d->n; r++) {
		double y, s;
		size_t l;
		if (memb[r] == 0 || !ds_num(d, iv, r, &y))
			continue;
		crude++;
		if (!ds_num(d, sv, r, &s))
			continue;
		for (l = 0; l < nl && lev[l] != s; l++)
			;
		if (l == nl) {
			if (nl == 64) {
				snprintf(o->status, sizeof(o->status), "not run: "
				    "more than 64 strata");
				return;
			}
			lev[nl++] = s;
		}
		/* {a, b, c, d}: group a with, a without, b with, b without. */
		tabs[l * 4 + (memb[r] == 1 ? 0 : 2) + (y == 1.0 ? 0 : 1)]++;
		n++;
	}
	o->nstrata = nl;
	o->n = rel_people((long long)n, c->k);
	for (size_t i = 0; i < nl * 4; i++)
		if (tabs[i] > 0 && tabs[i] < (uint64_t)c->k) {
			snprintf(o->status, sizeof(o->status), "not shown: a cell "
			    "of a stratum's table is smaller than k");
			return;
		}
	if (differs_little(crude, n, c->k)) {
		snprintf(o->status, sizeof(o->status), "not shown: fewer than k "
		    "respondents have no answer to %s", o->stratum);
		return;
	}
	if (nl == 0) {
		snprintf(o->status, sizeof(o->status), "not run: no stratum");
		return;
	}
	if (!stats_ok(c, stats_mantel_haenszel(tabs, nl, &mh), o->outcome))
		return;
	snprintf(o->status, sizeof(o->status), "ok");
	o->stat = rel_num(mh.stat);
	o->or_est = rel_num(mh.or_est);
	o->lo = rel_num(mh.ci_lo);
	o->hi = rel_num(mh.ci_hi);
	o->why = why_of(mh.why);
	o->or_why = why_of(mh.why_or);
	o->p = rel_num(mh.p);
}

static void
strata_after_gate(struct rctx *c)
{
	for (size_t i = 0; i < c->m->nstrats; i++) {
		struct rel_strat *o = &c->m->strats[i];
		int crude = 0;
		if (strcmp(o->status, "ok") != 0)
			continue;
		for (size_t j = 0; j < c->m->ncmps; j++) {
			const struct rel_cmp *x = &c->m->cmps[j];
			if (x->igroup == o->igroup && x->iv == o->iv &&
			    strcmp(x->status, "ok") == 0 && rel_num_shown(&x->p))
				crude = 1;
		}
		if (crude)
			continue;
		rel_withhold_num(&o->stat);
		rel_withhold_num(&o->or_est);
		rel_withhold_num(&o->lo);
		rel_withhold_num(&o->hi);
		rel_withhold_num(&o->p);
		o->why = o->or_why = NULL;
		snprintf(o->status, sizeof(o->status), "not shown: the crude "
		    "comparison is not published");
	}
}

/* ---- p-values, after the gate ---- */

/*
 * Holm and BH over one family of published p-values; the plan's method
 * is p_adjusted. p[i] points at each test's p; tests whose p is not shown
 * are left out of the family (their adjusted values stay null).
 */
static void
adjust(struct rctx *c, struct rel_num **p, struct rel_num **ph,
    struct rel_num **pb, struct rel_num **pa, int **below, size_t n)
{
	double *v = malloc((n ? n : 1) * sizeof(*v));
	double *h = malloc((n ? n : 1) * sizeof(*h));
	double *b = malloc((n ? n : 1) * sizeof(*b));
	size_t i;

	if (v == NULL || h == NULL || b == NULL) {
		c->bad = 1;
		goto out;
	}
	for (i = 0; i < n; i++)
		v[i] = rel_num_shown(p[i]) && p[i]->v >= 0 && p[i]->v <= 1 ?
		    p[i]->v : NAN;
	if (n > 0 && (!stats_ok(c, stats_p_adjust(v, n, STATS_HOLM, h),
	        "p.adjust") ||
	    !stats_ok(c, stats_p_adjust(v, n, STATS_BH, b), "p.adjust")))
		goto out;
	for (i = 0; i < n; i++) {
		double x = c->p->padj == PLAN_BH ? b[i] : h[i];
		*ph[i] = rel_num(h[i]);
		*pb[i] = rel_num(b[i]);
		*pa[i] = rel_num(x);
		*below[i] = isfinite(x) ? x < c->p->alpha : -1;
	}
out:
	free(v);
	free(h);
	free(b);
}

static void
adjust_all(struct rctx *c)
{
	struct rel_report *m = c->m;
	size_t n1 = m->ncmps + m->ncors + m->npairs + m->nkgroups;
	size_t n2 = m->nadjs + m->nstrats, i, j = 0;
	struct rel_num **p = calloc(n1 + n2 + 1, sizeof(*p));
	struct rel_num **ph = calloc(n1 + n2 + 1, sizeof(*ph));
	struct rel_num **pb = calloc(n1 + n2 + 1, sizeof(*pb));
	struct rel_num **pa = calloc(n1 + n2 + 1, sizeof(*pa));
	int **bl = calloc(n1 + n2 + 1, sizeof(*bl));

	if (p == NULL || ph == NULL || pb == NULL || pa == NULL || bl == NULL) {
		c->bad = 1;
		goto out;
	}
	/* Family 1: comparisons, then correlations, in report order. */
	for (i = 0; i < m->ncmps; i++, j++) {
		p[j] = &m->cmps[i].p;
		ph[j] = &m->cmps[i].p_holm;
		pb[j] = &m->cmps[i].p_bh;
		pa[j] = &m->cmps[i].p_adjusted;
		bl[j] = &m->cmps[i].below_alpha;
	}
	for (i = 0; i < m->ncors; i++, j++) {
		p[j] = &m->cors[i].p;
		ph[j] = &m->cors[i].p_holm;
		pb[j] = &m->cors[i].p_bh;
		pa[j] = &m->cors[i].p_adjusted;
		bl[j] = &m->cors[i].below_alpha;
	}
	for (i = 0; i < m->npairs; i++, j++) {
		p[j] = &m->pairs[i].p;
		ph[j] = &m->pairs[i].p_holm;
		pb[j] = &m->pairs[i].p_bh;
		pa[j] = &m->pairs[i].p_adjusted;
		bl[j] = &m->pairs[i].below_alpha;
	}
	for (i = 0; i < m->nkgroups; i++, j++) {
		p[j] = &m->kgroups[i].p;
		ph[j] = &m->kgroups[i].p_holm;
		pb[j] = &m->kgroups[i].p_bh;
		pa[j] = &m->kgroups[i].p_adjusted;
		bl[j] = &m->kgroups[i].below_alpha;
	}
	adjust(c, p, ph, pb, pa, bl, n1);
	/* Family 2: adjusted models, then stratified comparisons. */
	for (i = 0, j = 0; i < m->nadjs; i++, j++) {
		p[j] = &m->adjs[i].p;
		ph[j] = &m->adjs[i].p_holm;
		pb[j] = &m->adjs[i].p_bh;
		pa[j] = &m->adjs[i].p_adjusted;
		bl[j] = &m->adjs[i].below_alpha;
	}
	for (i = 0; i < m->nstrats; i++, j++) {
		p[j] = &m->strats[i].p;
		ph[j] = &m->strats[i].p_holm;
		pb[j] = &m->strats[i].p_bh;
		pa[j] = &m->strats[i].p_adjusted;
		bl[j] = &m->strats[i].below_alpha;
	}
	adjust(c, p, ph, pb, pa, bl, n2);
out:
	free(p);
	free(ph);
	free(pb);
	free(pa);
	free(bl);
}

/* ---- header ---- */

static void
hex(const unsigned char *h, char out[65])
{
	for (int i = 0; i < 32; i++)
		snprintf(out + 2 * i, 3, "%02x", h[i]);
}

static void
header(struct rctx *c)
{
	const struct form *f = c->f;
	const struct dataset *d = c->d;
	struct rel_report *m = c->m;

	m->title = form_text_get(f, &f->title, 0);
	m->program = analysis_version();
	m->form_id = f->id;
	m->form_version = f->version;
	hex(f->sha256, m->form_sha);
	m->plan_source = c->p->source;
	hex(c->p->sha256, m->plan_sha);
	m->k = c->k;
	m->alpha = c->p->alpha;
	m->multiplicity = plan_padj_name(c->p->padj);
	hex(d->sha256, m->data_sha);
	m->rows_read = d->rows_read;
	m->rows_analysed = d->n;
	m->rows_not_decoded = d->rows_failed;
	m->rows_other_version = d->rows_other_version;
	for (size_t i = 0; i < d->nversions && i < REL_VERSIONS_MAX; i++) {
		m->versions[i].version = d->versions[i].version;
		m->versions[i].rows = d->versions[i].rows;
		m->versions[i].how = form_src_kind_name(d->versions[i].kind);
		m->nversions++;
	}
	m->versions_other = d->versions_other;
	/*
	 * Rows per form version count respondents: a version of 0 < n < k
	 * rows (the few who answered after a change) would pin the "< k"
	 * counts of the items only they were asked, and name who they are.
	 * They are published only when every one is 0 or at least k.
	 */
	{
		int small = (m->versions_other > 0 &&
		    m->versions_other < (unsigned long long)c->k) ||
		    (m->rows_other_version > 0 &&
		    m->rows_other_version < (unsigned long long)c->k);
		for (size_t i = 0; i < m->nversions; i++)
			small |= m->versions[i].rows > 0 &&
			    m->versions[i].rows < (unsigned long long)c->k;
		if (small) {
			m->nversions = 0;
			m->versions_other = 0;
			m->rows_other_version = 0;
			m->versions_withheld = 1;
			if (rel_add_note(m, "rows per form version", "withheld: "
			    "a form version has fewer than k rows, and its "
			    "count would describe the few who answered it") != 0)
				c->bad = 1;
		}
	}
	m->problems = calloc(d->nfails + 1, sizeof(*m->problems));
	if (m->problems == NULL) {
		c->bad = 1;
		return;
	}
	for (size_t i = 0; i < d->nfails; i++) {
		m->problems[m->nproblems].what = xstrdup(c, d->fails[i].what);
		m->problems[m->nproblems++].rows = d->fails[i].rows;
	}
	if (d->fails_other > 0) {
		m->problems[m->nproblems].what = xstrdup(c, "other problems");
		m->problems[m->nproblems++].rows = d->fails_other;
	}
}

/* Every group of the plan, its comparisons and adjusted models. */
static void
groups(struct rctx *c)
{
	const struct plan *p = c->p;
	uint8_t *memb = NULL;

	if ((c->m->groups = calloc(p->ngroups ? p->ngroups : 1,
	    sizeof(*c->m->groups))) == NULL) {
		c->bad = 1;
		return;
	}
	for (size_t g = 0; g < p->ngroups && !c->stats_err && !c->bad; g++) {
		const struct plan_group *pg = &p->groups[g];
		struct rel_group *go = &c->m->groups[c->m->ngroups++];
		uint64_t na, nb, both;
		free(memb);
		if ((memb = report_group_members(c->d, pg, &na, &nb, &both)) ==
		    NULL) {
			c->bad = 1;
			break;
		}
		go->name = pg->name;
		go->label = pg->label;
		go->a_label = pg->a_label ? pg->a_label : "group a";
		go->b_label = pg->b_label ? pg->b_label : "group b";
		go->n_a = rel_people((long long)na, c->k);
		go->n_b = rel_people((long long)nb, c->k);
		go->in_both = rel_people((long long)both, c->k);
		for (size_t o = 0; o < p->noutcomes && !c->stats_err; o++) {
			comparison(c, g, p->outcomes[o], memb);
			if (strcmp(outcome_type(c->f, p->outcomes[o]), "binary") !=
			    0)
				continue;
			for (size_t s = 0; s < p->nstrata && !c->stats_err; s++)
				stratified(c, g, p->outcomes[o], s, memb);
		}
		for (size_t o = 0; p->ncovs > 0 && o < p->noutcomes &&
		    !c->stats_err; o++)
			if (strcmp(outcome_type(c->f, p->outcomes[o]),
			    "categorical") != 0)
				adjusted(c, g, p->outcomes[o], memb);
	}
	free(memb);
}

int
report_build(const struct form *f, const struct dataset *d,
    const struct plan *p, long k, struct gate_ledger *ledger,
    struct rel_report **out, char *err, size_t errsz)
{
	struct rctx c;
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
	if ((c.m = rel_report_new()) == NULL) {
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	header(&c);
	for (size_t i = 0; i < f->nvars && !c.stats_err && !c.bad; i++)
		if (report_var_class(f, i) != VC_SKIP)
			variable(&c, i);
	if (!c.stats_err && !c.bad)
		groups(&c);
	for (size_t i = 0; i < p->npaired && !c.stats_err && !c.bad; i++)
		paired_cmp(&c, i);
	for (size_t i = 0; p->correlations && i < p->noutcomes; i++)
		for (size_t j = i + 1; j < p->noutcomes && !c.stats_err &&
		    !c.bad; j++)
			if (strcmp(outcome_type(f, p->outcomes[i]), "numeric") ==
			        0 &&
			    strcmp(outcome_type(f, p->outcomes[j]), "numeric") ==
			        0)
				correlation(&c, p->outcomes[i], p->outcomes[j]);
	if (c.stats_err)
		goto out;
	if (c.bad) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	/* The gate decides; nothing above is final until it has. */
	if (gate_release(f, d, p, k, ledger, c.m, err, errsz) != GATE_OK)
		goto out;
	percent_after_gate(&c);
	paired_after_gate(&c);
	strata_after_gate(&c);
	kgroups(&c);
	if (c.stats_err)
		goto out;
	adjust_all(&c);
	if (c.stats_err)
		goto out;
	if (c.bad) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	rel_seal(c.m);
	*out = c.m;
	c.m = NULL;
	rc = 0;
out:
	rel_report_free(c.m);
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

void
report_data_status(const struct form *f, const char *today, char *out,
    size_t n)
{
	const struct form_window *w = &f->window;

	if (n == 0)
		return;
	out[0] = '\0';
	if (!w->set)
		return;
	switch (form_phase_on(f, today)) {
	case FORM_PHASE_BEFORE:
		snprintf(out, n, "interim data (the window opens on %s)",
		    w->opens);
		break;
	case FORM_PHASE_OPEN:
		snprintf(out, n, "interim data (the window closes on %s)",
		    w->closes);
		break;
	case FORM_PHASE_CLOSED:
		snprintf(out, n, "interim data (the window closed on %s; saved "
		    "answers may still be sent and answers withdrawn before %s)",
		    w->closes, w->final);
		break;
	default:
		snprintf(out, n, "final data (the window closed on %s)",
		    w->closes);
		break;
	}
}
