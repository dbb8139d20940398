/*
 * report.json (format candor-report-1) from the sealed release model
 * (release.h): keys in a fixed order, numbers with 15 significant digits.
 * A number that is not shown is null; a count below k or withheld has a
 * "<key>_text" beside it ("< 10", "withheld"). The API's summary releases
 * embed the same object, so there is one JSON rendering of a report.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "fmode.h"
#include "report.h"

struct jctx {
	int bad;
	long k;
};

static void
put(struct jctx *c, json_t *o, const char *key, json_t *v)
{
	if (v == NULL || o == NULL || json_object_set_new(o, key, v) != 0)
		c->bad = 1;
}

static void
add(struct jctx *c, json_t *a, json_t *v)
{
	if (v == NULL || a == NULL || json_array_append_new(a, v) != 0)
		c->bad = 1;
}

static void
put_str(struct jctx *c, json_t *o, const char *key, const char *s)
{
	put(c, o, key, s != NULL ? json_string(s) : json_null());
}

static void
put_opt_str(struct jctx *c, json_t *o, const char *key, const char *s)
{
	if (s != NULL)
		put_str(c, o, key, s);
}

static json_t *
num(const struct rel_num *x)
{
	return rel_num_shown(x) ? json_real(x->v) : json_null();
}

static void
put_num(struct jctx *c, json_t *o, const char *key, const struct rel_num *x)
{
	put(c, o, key, num(x));
}

/* A count: the integer, or null with "<key>_text" for "< k"/withheld. */
static void
put_count(struct jctx *c, json_t *o, const char *key,
    const struct rel_count *x)
{
	char kt[64], t[32];

	if (rel_count_shown(x)) {
		put(c, o, key, json_integer((json_int_t)x->v));
		return;
	}
	put(c, o, key, json_null());
	snprintf(kt, sizeof(kt), "%s_text", key);
	if (x->st == REL_BELOW_K) {
		snprintf(t, sizeof(t), "< %ld", c->k);
		put_str(c, o, kt, t);
	} else if (x->st == REL_WITHHELD) {
		put_str(c, o, kt, "withheld");
	}
}

/* A table cell: the integer or null (hidden and withheld alike). */
static json_t *
cell(const struct rel_count *x)
{
	return rel_count_shown(x) ? json_integer((json_int_t)x->v) :
	    json_null();
}

static json_t *
header(struct jctx *c, const struct rel_report *m)
{
	json_t *o = json_object(), *x, *fails;

	put_str(c, o, "title", m->title);
	put_str(c, o, "program", m->program);
	if (m->not_for_publication)
		put_str(c, o, "publication", REPORT_NOT_FOR_PUBLICATION);
	if (m->data_status[0] != '\0')
		put_str(c, o, "data_status", m->data_status);
	x = json_object();
	put_str(c, x, "id", m->form_id);
	put(c, x, "version", json_integer(m->form_version));
	put_str(c, x, "sha256", m->form_sha);
	put(c, o, "form", x);
	x = json_object();
	put_str(c, x, "source", m->plan_source);
	put_str(c, x, "sha256", m->plan_sha);
	put(c, x, "k", json_integer(m->k));
	put(c, x, "alpha", json_real(m->alpha));
	put_str(c, x, "multiplicity", m->multiplicity);
	put(c, o, "plan", x);
	x = json_object();
	put_str(c, x, "sha256", m->data_sha);
	put(c, x, "rows_read", json_integer((json_int_t)m->rows_read));
	put(c, x, "rows_analysed", json_integer((json_int_t)m->rows_analysed));
	put(c, x, "rows_not_decoded",
	    json_integer((json_int_t)m->rows_not_decoded));
	put(c, x, "rows_other_form_version", m->versions_withheld ?
	    json_null() : json_integer((json_int_t)m->rows_other_version));
	fails = json_array();
	for (size_t i = 0; i < m->nversions; i++)
		add(c, fails, json_pack("{s:I,s:I,s:s}", "version",
		    (json_int_t)m->versions[i].version, "rows",
		    (json_int_t)m->versions[i].rows, "decoded",
		    m->versions[i].how));
	if (m->versions_other > 0)
		add(c, fails, json_pack("{s:n,s:I,s:s}", "version", "rows",
		    (json_int_t)m->versions_other, "decoded", "other"));
	put(c, x, "form_versions", fails);
	fails = json_array();
	for (size_t i = 0; i < m->nproblems; i++)
		add(c, fails, json_pack("{s:s,s:I}", "problem",
		    m->problems[i].what, "rows",
		    (json_int_t)m->problems[i].rows));
	put(c, x, "decode_problems", fails);
	put(c, o, "data", x);
	return o;
}

static json_t *
summary(struct jctx *c, const struct rel_summary *s)
{
	json_t *o = json_object();

	put_num(c, o, "mean", &s->mean);
	put_num(c, o, "sd", &s->sd);
	put_num(c, o, "ci_lo", &s->ci_lo);
	put_num(c, o, "ci_hi", &s->ci_hi);
	put_num(c, o, "median", &s->median);
	put_num(c, o, "q1", &s->q1);
	put_num(c, o, "q3", &s->q3);
	put_num(c, o, "min", &s->min);
	put_num(c, o, "max", &s->max);
	put_opt_str(c, o, "why", s->why);
	put_opt_str(c, o, "why_sd", s->why_sd);
	put_opt_str(c, o, "why_ci", s->why_ci);
	if (s->mean.st == REL_SHOWN && s->mean.dp >= 0)
		put(c, o, "rounded_to_decimals", json_integer(s->mean.dp));
	return o;
}

static json_t *
hist(struct jctx *c, const struct rel_hist *h)
{
	json_t *o = json_object(), *jb = json_array(), *jc = json_array();

	for (size_t i = 0; i <= h->nb; i++)
		add(c, jb, json_real(h->breaks[i]));
	for (size_t i = 0; i < h->nb; i++)
		add(c, jc, cell(&h->counts[i]));
	put(c, o, "breaks", jb);
	put(c, o, "counts", jc);
	put_count(c, o, "outside", &h->outside);
	return o;
}

static json_t *
freq_row(struct jctx *c, const struct rel_freq *r, int option)
{
	json_t *o = json_object();

	put(c, o, "value", json_integer(r->value));
	put_str(c, o, "label", r->label);
	if (option)
		put(c, o, "exclusive", json_boolean(r->exclusive));
	else
		put(c, o, "missing_code", json_boolean(r->missing_code));
	put(c, o, "count", cell(&r->count));
	if (r->count.st == REL_WITHHELD)
		put_str(c, o, "count_text", "withheld");
	put_num(c, o, "percent", &r->percent);
	if (rel_num_shown(&r->percent)) {
		put_num(c, o, "ci_lo", &r->ci_lo);
		put_num(c, o, "ci_hi", &r->ci_hi);
	}
	return o;
}

static json_t *
variable(struct jctx *c, const struct rel_var *v)
{
	json_t *o = json_object(), *rows;

	put_str(c, o, "variable", v->name);
	put_str(c, o, "label", v->label);
	put_str(c, o, "class", v->klass);
	if (v->sum_state == REL_SUM_SHOWN)
		put(c, o, "summary", summary(c, &v->sum));
	else if (v->sum_state == REL_SUM_NOTE) {
		put(c, o, "summary", json_null());
		put_str(c, o, "summary_note", v->summary_note);
	}
	if (v->has_hist)
		put(c, o, "histogram", hist(c, &v->hist));
	if (v->has_options) {
		rows = json_array();
		for (size_t i = 0; i < v->nrows; i++)
			add(c, rows, freq_row(c, &v->rows[i], 1));
		put(c, o, "options", rows);
	}
	if (v->has_freq) {
		json_t *fr = json_object();
		put(c, fr, "total", cell(&v->freq_total));
		/* The base of the percentages: n, or every answer (n withheld). */
		put_str(c, fr, "percent_of", v->percent_of_total ?
		    "all answers" : "n");
		rows = json_array();
		for (size_t i = 0; i < v->nrows; i++)
			add(c, rows, freq_row(c, &v->rows[i], 0));
		put(c, fr, "rows", rows);
		put(c, o, "frequencies", fr);
	}
	put_count(c, o, "n", &v->n);
	if (rel_count_shown(&v->missing))
		put(c, o, "missing", json_integer((json_int_t)v->missing.v));
	else
		put_count(c, o, "missing", &v->missing);
	return o;
}

static json_t *
group(struct jctx *c, const struct rel_group *g)
{
	json_t *o = json_object();

	put_str(c, o, "name", g->name);
	put_str(c, o, "label", g->label);
	put_str(c, o, "a_label", g->a_label);
	put_str(c, o, "b_label", g->b_label);
	put_count(c, o, "n_a", &g->n_a);
	put_count(c, o, "n_b", &g->n_b);
	put_count(c, o, "in_both_excluded", &g->in_both);
	put_opt_str(c, o, "withheld", g->withheld);
	return o;
}

static json_t *
brief(struct jctx *c, const struct rel_brief *b)
{
	json_t *o = json_object();

	put_num(c, o, "mean", &b->mean);
	put_num(c, o, "sd", &b->sd);
	put_num(c, o, "median", &b->median);
	put_num(c, o, "q1", &b->q1);
	put_num(c, o, "q3", &b->q3);
	return o;
}

static void
cmp_numeric(struct jctx *c, json_t *o, const struct rel_cmp *x)
{
	json_t *j;

	if (x->has_desc) {
		put(c, o, "a", brief(c, &x->a));
		put(c, o, "b", brief(c, &x->b));
	}
	if (x->has_welch) {
		j = json_object();
		put_num(c, j, "difference", &x->w_diff);
		put_num(c, j, "ci_lo", &x->w_lo);
		put_num(c, j, "ci_hi", &x->w_hi);
		put_num(c, j, "t", &x->w_t);
		put_num(c, j, "df", &x->w_df);
		put_num(c, j, "p", &x->w_p);
		put_opt_str(c, j, "why", x->w_why);
		put(c, o, "welch", j);
		j = json_object();
		put_num(c, j, "g", &x->g_g);
		put_num(c, j, "ci_lo", &x->g_lo);
		put_num(c, j, "ci_hi", &x->g_hi);
		put_opt_str(c, j, "why", x->g_why);
		put(c, o, "hedges_g", j);
	}
	if (x->has_mw) {
		j = json_object();
		put_num(c, j, "w", &x->mw_w);
		put_num(c, j, "z", &x->mw_z);
		put_num(c, j, "p", &x->mw_p);
		put_opt_str(c, j, "why", x->mw_why);
		put(c, o, "mann_whitney", j);
	}
}

static void
cmp_table(struct jctx *c, json_t *o, const struct rel_cmp *x)
{
	json_t *j, *jv, *ja, *jb;

	if (x->has_table) {
		j = json_object();
		jv = json_array();
		ja = json_array();
		jb = json_array();
		for (size_t i = 0; i < x->ncols; i++) {
			add(c, jv, json_integer(x->values[i]));
			add(c, ja, cell(&x->ta[i]));
			add(c, jb, cell(&x->tb[i]));
		}
		put(c, j, "values", jv);
		put(c, j, "a", ja);
		put(c, j, "b", jb);
		put(c, o, "table", j);
	}
	if (x->has_chisq) {
		j = json_object();
		put_num(c, j, "statistic", &x->chi_stat);
		put_num(c, j, "df", &x->chi_df);
		put_num(c, j, "p", &x->chi_p);
		put(c, j, "yates", json_boolean(x->chi_yates));
		put_num(c, j, "min_expected", &x->chi_min_expected);
		put_opt_str(c, j, "why", x->chi_why);
		put(c, o, "chisq", j);
	}
	if (x->has_fisher) {
		j = json_object();
		put_num(c, j, "p", &x->fisher_p);
		put_opt_str(c, j, "why", x->fisher_why);
		put(c, o, "fisher", j);
	}
	if (x->has_rd) {
		j = json_object();
		put_num(c, j, "risk_a", &x->rd_a);
		put_num(c, j, "risk_b", &x->rd_b);
		put_num(c, j, "difference", &x->rd_diff);
		put_num(c, j, "ci_lo", &x->rd_lo);
		put_num(c, j, "ci_hi", &x->rd_hi);
		put_opt_str(c, j, "why", x->rd_why);
		put(c, o, "risk_difference", j);
		j = json_object();
		put_num(c, j, "odds_ratio", &x->or_est);
		put_num(c, j, "ci_lo", &x->or_lo);
		put_num(c, j, "ci_hi", &x->or_hi);
		put(c, j, "corrected", json_boolean(x->or_corrected));
		put_opt_str(c, j, "why", x->or_why);
		put(c, o, "odds_ratio", j);
	}
}

static void
pvals(struct jctx *c, json_t *o, const struct rel_num *p,
    const struct rel_num *ph, const struct rel_num *pb,
    const struct rel_num *pa, int below)
{
	put_num(c, o, "p", p);
	put_num(c, o, "p_holm", ph);
	put_num(c, o, "p_bh", pb);
	put_num(c, o, "p_adjusted", pa);
	put(c, o, "below_alpha", below < 0 ? json_null() :
	    json_boolean(below));
}

static json_t *
comparison(struct jctx *c, const struct rel_cmp *x)
{
	json_t *o = json_object();

	put_str(c, o, "group", x->group);
	put_str(c, o, "outcome", x->outcome);
	put_str(c, o, "outcome_label", x->outcome_label);
	put_str(c, o, "type", x->type);
	put_str(c, o, "note", REPORT_NOTE);
	put_str(c, o, "status", x->status);
	if (x->kind == REL_CMP_NUMERIC)
		cmp_numeric(c, o, x);
	else
		cmp_table(c, o, x);
	put_opt_str(c, o, "p_test", x->p_test);
	put_count(c, o, "n_a", &x->n_a);
	put_count(c, o, "n_b", &x->n_b);
	pvals(c, o, &x->p, &x->p_holm, &x->p_bh, &x->p_adjusted,
	    x->below_alpha);
	return o;
}

static json_t *
correlation(struct jctx *c, const struct rel_cor *x)
{
	json_t *o = json_object();

	put_str(c, o, "x", x->x);
	put_str(c, o, "x_label", x->x_label);
	put_str(c, o, "y", x->y);
	put_str(c, o, "y_label", x->y_label);
	put_str(c, o, "note", REPORT_NOTE_ANSWERS);
	put_count(c, o, "n", &x->n);
	put_str(c, o, "status", x->status);
	if (x->has_rho) {
		put_num(c, o, "rho", &x->rho);
		put_num(c, o, "s", &x->s);
		put_opt_str(c, o, "why", x->why);
	}
	pvals(c, o, &x->p, &x->p_holm, &x->p_bh, &x->p_adjusted,
	    x->below_alpha);
	return o;
}

static json_t *
adjusted(struct jctx *c, const struct rel_adj *x)
{
	json_t *o = json_object(), *cv = json_array();

	put_str(c, o, "group", x->group);
	put_str(c, o, "outcome", x->outcome);
	put_str(c, o, "outcome_label", x->outcome_label);
	put_str(c, o, "model", x->model);
	put_str(c, o, "note", REPORT_NOTE);
	for (size_t i = 0; i < x->ncovs; i++)
		add(c, cv, json_string(x->covs[i]));
	put(c, o, "covariates", cv);
	put_count(c, o, "n", &x->n);
	put_count(c, o, "n_a", &x->n_a);
	put_count(c, o, "n_b", &x->n_b);
	put_str(c, o, "status", x->status);
	if (x->scale != NULL) {
		put_str(c, o, "scale", x->scale);
		put_num(c, o, "estimate", &x->est);
		put_num(c, o, "ci_lo", &x->lo);
		put_num(c, o, "ci_hi", &x->hi);
	}
	put_opt_str(c, o, "why", x->why);
	put_opt_str(c, o, "dropped_collinear", x->dropped);
	pvals(c, o, &x->p, &x->p_holm, &x->p_bh, &x->p_adjusted,
	    x->below_alpha);
	return o;
}

static json_t *
paired(struct jctx *c, const struct rel_pair *x)
{
	json_t *o = json_object(), *j;

	put_str(c, o, "name", x->name);
	put_opt_str(c, o, "label", x->label);
	put_str(c, o, "x", x->x);
	put_str(c, o, "x_label", x->x_label);
	put_str(c, o, "y", x->y);
	put_str(c, o, "y_label", x->y_label);
	put_str(c, o, "note", REPORT_NOTE_PAIRED);
	put_count(c, o, "n", &x->n);
	put_str(c, o, "status", x->status);
	if (x->p_test != NULL) {
		j = json_object();
		put_num(c, j, "difference", &x->diff);
		put_num(c, j, "sd", &x->sd);
		put_num(c, j, "ci_lo", &x->lo);
		put_num(c, j, "ci_hi", &x->hi);
		put_num(c, j, "t", &x->t);
		put_num(c, j, "df", &x->df);
		put_opt_str(c, j, "why", x->t_why);
		put(c, o, "paired_t", j);
		j = json_object();
		put_num(c, j, "v", &x->v);
		put_num(c, j, "p", &x->w_p);
		put(c, j, "exact", json_boolean(x->w_exact));
		put_num(c, j, "pseudomedian", &x->est);
		put_num(c, j, "ci_lo", &x->est_lo);
		put_num(c, j, "ci_hi", &x->est_hi);
		put_num(c, j, "conf_level", &x->conf);
		put_opt_str(c, j, "why", x->w_why);
		put(c, o, "signed_rank", j);
	}
	put_opt_str(c, o, "p_test", x->p_test);
	pvals(c, o, &x->p, &x->p_holm, &x->p_bh, &x->p_adjusted,
	    x->below_alpha);
	return o;
}

static json_t *
kgroup(struct jctx *c, const struct rel_kgroup *x)
{
	json_t *o = json_object(), *j;

	put_str(c, o, "factor", x->factor);
	put_str(c, o, "var", x->var);
	put_str(c, o, "outcome", x->outcome);
	put_str(c, o, "outcome_label", x->outcome_label);
	put_str(c, o, "type", x->type);
	put(c, o, "levels", json_integer((json_int_t)x->nlevels));
	put_str(c, o, "note", REPORT_NOTE_ANSWERS);
	put_count(c, o, "n", &x->n);
	put_str(c, o, "status", x->status);
	if (x->p_test != NULL && strcmp(x->type, "numeric") == 0) {
		j = json_object();
		put_num(c, j, "f", &x->f);
		put_num(c, j, "df1", &x->df1);
		put_num(c, j, "df2", &x->df2);
		put_num(c, j, "p", &x->f_p);
		put(c, o, "anova", j);
		j = json_object();
		put_num(c, j, "f", &x->wf);
		put_num(c, j, "df1", &x->wdf1);
		put_num(c, j, "df2", &x->wdf2);
		put_num(c, j, "p", &x->wf_p);
		put(c, o, "welch_anova", j);
		j = json_object();
		put_num(c, j, "statistic", &x->kw);
		put_num(c, j, "df", &x->kw_df);
		put_num(c, j, "p", &x->kw_p);
		put(c, o, "kruskal_wallis", j);
	} else if (x->p_test != NULL) {
		j = json_object();
		put_num(c, j, "statistic", &x->chi);
		put_num(c, j, "df", &x->chi_df);
		put_num(c, j, "p", &x->chi_p);
		put(c, o, "chisq", j);
		if (rel_num_shown(&x->fisher_p)) {
			j = json_object();
			put_num(c, j, "p", &x->fisher_p);
			put(c, o, "fisher", j);
		}
		put_num(c, o, "cramer_v", &x->cramer_v);
	}
	put_opt_str(c, o, "why", x->why);
	put_opt_str(c, o, "p_test", x->p_test);
	pvals(c, o, &x->p, &x->p_holm, &x->p_bh, &x->p_adjusted,
	    x->below_alpha);
	return o;
}

static json_t *
stratified(struct jctx *c, const struct rel_strat *x)
{
	json_t *o = json_object();

	put_str(c, o, "group", x->group);
	put_str(c, o, "outcome", x->outcome);
	put_str(c, o, "outcome_label", x->outcome_label);
	put_str(c, o, "stratum", x->stratum);
	put(c, o, "strata", json_integer((json_int_t)x->nstrata));
	put_str(c, o, "model", "Mantel-Haenszel");
	put_str(c, o, "note", REPORT_NOTE);
	put_count(c, o, "n", &x->n);
	put_str(c, o, "status", x->status);
	put_num(c, o, "statistic", &x->stat);
	put_num(c, o, "odds_ratio", &x->or_est);
	put_num(c, o, "ci_lo", &x->lo);
	put_num(c, o, "ci_hi", &x->hi);
	put_opt_str(c, o, "why", x->why);
	put_opt_str(c, o, "odds_ratio_why", x->or_why);
	pvals(c, o, &x->p, &x->p_holm, &x->p_bh, &x->p_adjusted,
	    x->below_alpha);
	return o;
}

json_t *
report_json(const struct rel_report *m)
{
	struct jctx c = {0, m->k};
	json_t *root = json_object(), *a;
	size_t i;

	put_str(&c, root, "format", "candor-report-1");
	put(&c, root, "header", header(&c, m));
	a = json_array();
	for (i = 0; i < m->nvars; i++)
		add(&c, a, variable(&c, &m->vars[i]));
	put(&c, root, "variables", a);
	a = json_array();
	for (i = 0; i < m->ngroups; i++)
		add(&c, a, group(&c, &m->groups[i]));
	put(&c, root, "groups", a);
	a = json_array();
	for (i = 0; i < m->ncmps; i++)
		add(&c, a, comparison(&c, &m->cmps[i]));
	put(&c, root, "comparisons", a);
	a = json_array();
	for (i = 0; i < m->ncors; i++)
		add(&c, a, correlation(&c, &m->cors[i]));
	put(&c, root, "correlations", a);
	a = json_array();
	for (i = 0; i < m->nadjs; i++)
		add(&c, a, adjusted(&c, &m->adjs[i]));
	put(&c, root, "adjusted", a);
	a = json_array();
	for (i = 0; i < m->npairs; i++)
		add(&c, a, paired(&c, &m->pairs[i]));
	put(&c, root, "paired", a);
	a = json_array();
	for (i = 0; i < m->nkgroups; i++)
		add(&c, a, kgroup(&c, &m->kgroups[i]));
	put(&c, root, "factor_tests", a);
	a = json_array();
	for (i = 0; i < m->nstrats; i++)
		add(&c, a, stratified(&c, &m->strats[i]));
	put(&c, root, "stratified", a);
	a = json_array();
	for (i = 0; i < m->nnotes; i++)
		add(&c, a, json_pack("{s:s,s:s}", "what", m->notes[i].what,
		    "why", m->notes[i].why));
	put(&c, root, "withheld", a);
	put(&c, root, "protection", json_pack("{s:I,s:s}", "min_values",
	    (json_int_t)m->min_values, "rule", "every hidden count has at "
	    "least min_values values that agree with every published number"));
	if (c.bad) {
		json_decref(root);
		return NULL;
	}
	return root;
}

int
report_write_json(const struct rel_report *m, const char *path)
{
	json_t *j = report_json(m);
	FILE *fp;
	int rc = 0;

	if (j == NULL) {
		errno = ENOMEM;
		return -1;
	}
	/* 0600, or 0640 */
	if ((fp = fmode_fopen(path, fmode_file())) == NULL) {
		json_decref(j);
		return -1;
	}
	if (json_dumpf(j, fp, JSON_INDENT(1) | JSON_PRESERVE_ORDER |
	        JSON_REAL_PRECISION(15)) != 0 ||
	    fputc('\n', fp) == EOF)
		rc = -1;
	if (fclose(fp) != 0)
		rc = -1;
	json_decref(j);
	return rc;
}

int
report_write_all(const struct rel_report *m, const char *dir, char *err,
    size_t errsz)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/report.json", dir);
	if (report_write_json(m, path) != 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	snprintf(path, sizeof(path), "%s/report.html", dir);
	if (report_write_html(m, path) != 0) {
		snprintf(err, errsz, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (report_write_figures(m, dir, err, errsz) != 0)
		return -1;
	return report_write_csv(m, dir, err, errsz);
}
