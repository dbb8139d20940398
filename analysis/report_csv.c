/*
 * One CSV file per table of the sealed release model (release.h), through
 * the one CSV writer (csv_out.h): variables.csv (summaries),
 * frequencies.csv, histograms.csv, groups.csv, comparisons.csv,
 * correlations.csv, adjusted.csv and withheld.csv (what the gate withheld,
 * and why). A count below k is written as its "< k" text, a hidden cell as
 * "hidden", a withheld count as "withheld", any other number not shown as
 * an empty field; every comparison row ends with the association note.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "csv_out.h"
#include "fmode.h"
#include "report.h"

struct cctx {
	struct csv_out *o;
	long k;
};

static void
num(struct cctx *c, const struct rel_num *x)
{
	csv_num(c->o, rel_num_shown(x) ? x->v : NAN);
}

/* A count, or its "< k", "hidden" or "withheld" text, or empty. */
static void
count(struct cctx *c, const struct rel_count *x)
{
	char t[32];

	switch (x->st) {
	case REL_SHOWN:
		csv_uint(c->o, (uint64_t)x->v);
		break;
	case REL_BELOW_K:
		snprintf(t, sizeof(t), "< %ld", c->k);
		csv_field(c->o, t);
		break;
	case REL_HIDDEN:
		csv_field(c->o, "hidden");
		break;
	case REL_WITHHELD:
		csv_field(c->o, "withheld");
		break;
	default:
		csv_field(c->o, NULL);
	}
}

static void
header(struct cctx *c, const char *const *cols)
{
	for (size_t i = 0; cols[i] != NULL; i++)
		csv_field(c->o, cols[i]);
	csv_end_row(c->o);
}

static void
variables_csv(struct cctx *c, const struct rel_report *m)
{
	static const char *const cols[] = {"variable", "label", "class", "n",
	    "missing", "mean", "sd", "ci_lo", "ci_hi", "median", "q1", "q3",
	    "min", "max", "note", NULL};
	static const struct rel_num none = {NAN, REL_NONE, REL_EXACT};

	header(c, cols);
	for (size_t i = 0; i < m->nvars; i++) {
		const struct rel_var *v = &m->vars[i];
		const struct rel_summary *s = &v->sum;
		int sh = v->sum_state == REL_SUM_SHOWN;
		csv_field(c->o, v->name);
		csv_field(c->o, v->label);
		csv_field(c->o, v->klass);
		count(c, &v->n);
		count(c, &v->missing);
		num(c, sh ? &s->mean : &none);
		num(c, sh ? &s->sd : &none);
		num(c, sh ? &s->ci_lo : &none);
		num(c, sh ? &s->ci_hi : &none);
		num(c, sh ? &s->median : &none);
		num(c, sh ? &s->q1 : &none);
		num(c, sh ? &s->q3 : &none);
		num(c, sh ? &s->min : &none);
		num(c, sh ? &s->max : &none);
		csv_field(c->o, v->sum_state == REL_SUM_NOTE ? v->summary_note :
		    NULL);
		csv_end_row(c->o);
	}
}

static void
freq_rows(struct cctx *c, const struct rel_var *v, const char *kind)
{
	for (size_t i = 0; i < v->nrows; i++) {
		const struct rel_freq *r = &v->rows[i];
		csv_field(c->o, v->name);
		csv_field(c->o, kind);
		csv_num(c->o, (double)r->value);
		csv_field(c->o, r->label);
		csv_field(c->o, r->missing_code ? "yes" : "no");
		if (r->count.st == REL_SHOWN || r->count.st == REL_WITHHELD)
			count(c, &r->count);
		else
			csv_field(c->o, "hidden");
		num(c, &r->percent);
		num(c, &r->ci_lo);
		num(c, &r->ci_hi);
		csv_field(c->o, v->percent_of_total ? "all answers" : "n");
		csv_end_row(c->o);
	}
}

static void
frequencies_csv(struct cctx *c, const struct rel_report *m)
{
	static const char *const cols[] = {"variable", "table", "value",
	    "label", "missing_code", "count", "percent", "ci_lo", "ci_hi",
	    "percent_of", NULL};

	header(c, cols);
	for (size_t i = 0; i < m->nvars; i++) {
		if (m->vars[i].has_freq)
			freq_rows(c, &m->vars[i], "answers");
		if (m->vars[i].has_options)
			freq_rows(c, &m->vars[i], "options chosen");
	}
}

static void
histograms_csv(struct cctx *c, const struct rel_report *m)
{
	static const char *const cols[] = {"variable", "bin", "lower",
	    "upper", "count", NULL};

	header(c, cols);
	for (size_t i = 0; i < m->nvars; i++) {
		const struct rel_var *v = &m->vars[i];
		if (!v->has_hist)
			continue;
		for (size_t b = 0; b < v->hist.nb; b++) {
			const struct rel_count *x = &v->hist.counts[b];
			csv_field(c->o, v->name);
			csv_uint(c->o, b + 1);
			csv_num(c->o, v->hist.breaks[b]);
			csv_num(c->o, v->hist.breaks[b + 1]);
			if (x->st == REL_SHOWN || x->st == REL_WITHHELD)
				count(c, x);
			else
				csv_field(c->o, "hidden");
			csv_end_row(c->o);
		}
	}
}

static void
groups_csv(struct cctx *c, const struct rel_report *m)
{
	static const char *const cols[] = {"group", "label", "a_label",
	    "b_label", "n_a", "n_b", "in_both_excluded", "withheld", NULL};

	header(c, cols);
	for (size_t i = 0; i < m->ngroups; i++) {
		const struct rel_group *g = &m->groups[i];
		csv_field(c->o, g->name);
		csv_field(c->o, g->label);
		csv_field(c->o, g->a_label);
		csv_field(c->o, g->b_label);
		count(c, &g->n_a);
		count(c, &g->n_b);
		count(c, &g->in_both);
		csv_field(c->o, g->withheld);
		csv_end_row(c->o);
	}
}

static void
comparisons_csv(struct cctx *c, const struct rel_report *m)
{
	static const char *const cols[] = {"group", "outcome",
	    "outcome_label", "type", "status", "n_a", "n_b", "mean_a", "sd_a",
	    "mean_b", "sd_b", "difference", "difference_ci_lo",
	    "difference_ci_hi", "t", "df", "hedges_g", "g_ci_lo", "g_ci_hi",
	    "mann_whitney_w", "mann_whitney_p", "risk_a", "risk_b",
	    "risk_difference", "rd_ci_lo", "rd_ci_hi", "odds_ratio",
	    "or_ci_lo", "or_ci_hi", "chisq", "chisq_df", "p_test", "p",
	    "p_holm", "p_bh", "p_adjusted", "note", NULL};

	header(c, cols);
	for (size_t i = 0; i < m->ncmps; i++) {
		const struct rel_cmp *x = &m->cmps[i];
		const struct rel_num *nums[] = {&x->a.mean, &x->a.sd,
		    &x->b.mean, &x->b.sd, &x->w_diff, &x->w_lo, &x->w_hi,
		    &x->w_t, &x->w_df, &x->g_g, &x->g_lo, &x->g_hi, &x->mw_w,
		    &x->mw_p, &x->rd_a, &x->rd_b, &x->rd_diff, &x->rd_lo,
		    &x->rd_hi, &x->or_est, &x->or_lo, &x->or_hi, &x->chi_stat,
		    &x->chi_df};
		csv_field(c->o, x->group);
		csv_field(c->o, x->outcome);
		csv_field(c->o, x->outcome_label);
		csv_field(c->o, x->type);
		csv_field(c->o, x->status);
		count(c, &x->n_a);
		count(c, &x->n_b);
		for (size_t j = 0; j < sizeof(nums) / sizeof(nums[0]); j++)
			num(c, nums[j]);
		csv_field(c->o, x->p_test);
		num(c, &x->p);
		num(c, &x->p_holm);
		num(c, &x->p_bh);
		num(c, &x->p_adjusted);
		csv_field(c->o, REPORT_NOTE);
		csv_end_row(c->o);
	}
}

static void
correlations_csv(struct cctx *c, const struct rel_report *m)
{
	static const char *const cols[] = {"x", "y", "status", "n", "rho",
	    "s", "p", "p_holm", "p_bh", "p_adjusted", "why", "note", NULL};

	header(c, cols);
	for (size_t i = 0; i < m->ncors; i++) {
		const struct rel_cor *x = &m->cors[i];
		csv_field(c->o, x->x);
		csv_field(c->o, x->y);
		csv_field(c->o, x->status);
		count(c, &x->n);
		num(c, &x->rho);
		num(c, &x->s);
		num(c, &x->p);
		num(c, &x->p_holm);
		num(c, &x->p_bh);
		num(c, &x->p_adjusted);
		csv_field(c->o, x->why);
		csv_field(c->o, REPORT_NOTE_ANSWERS);
		csv_end_row(c->o);
	}
}

static void
adjusted_csv(struct cctx *c, const struct rel_report *m)
{
	static const char *const cols[] = {"group", "outcome", "model",
	    "covariates", "status", "n", "n_a", "n_b", "scale", "estimate",
	    "ci_lo", "ci_hi", "p", "p_holm", "p_bh", "p_adjusted", "why",
	    "dropped_collinear", "note", NULL};

	header(c, cols);
	for (size_t i = 0; i < m->nadjs; i++) {
		const struct rel_adj *x = &m->adjs[i];
		char cov[1024];
		size_t n = 0;
		cov[0] = '\0';
		for (size_t j = 0; j < x->ncovs; j++)
			if (n < sizeof(cov))
				n += (size_t)snprintf(cov + n, sizeof(cov) - n,
				    "%s%s", j ? ";" : "", x->covs[j]);
		csv_field(c->o, x->group);
		csv_field(c->o, x->outcome);
		csv_field(c->o, x->model);
		csv_field(c->o, cov);
		csv_field(c->o, x->status);
		count(c, &x->n);
		count(c, &x->n_a);
		count(c, &x->n_b);
		csv_field(c->o, x->scale);
		num(c, &x->est);
		num(c, &x->lo);
		num(c, &x->hi);
		num(c, &x->p);
		num(c, &x->p_holm);
		num(c, &x->p_bh);
		num(c, &x->p_adjusted);
		csv_field(c->o, x->why);
		csv_field(c->o, x->dropped);
		csv_field(c->o, REPORT_NOTE);
		csv_end_row(c->o);
	}
}

static void
paired_csv(struct cctx *c, const struct rel_report *m)
{
	static const char *const cols[] = {"name", "x", "y", "status", "n",
	    "difference", "sd", "ci_lo", "ci_hi", "t", "df", "v", "v_p",
	    "v_exact", "pseudomedian", "pm_ci_lo", "pm_ci_hi", "pm_conf_level",
	    "p_test", "p", "p_holm", "p_bh", "p_adjusted", "why", "label",
	    "note", NULL};

	header(c, cols);
	for (size_t i = 0; i < m->npairs; i++) {
		const struct rel_pair *x = &m->pairs[i];
		csv_field(c->o, x->name);
		csv_field(c->o, x->x);
		csv_field(c->o, x->y);
		csv_field(c->o, x->status);
		count(c, &x->n);
		num(c, &x->diff);
		num(c, &x->sd);
		num(c, &x->lo);
		num(c, &x->hi);
		num(c, &x->t);
		num(c, &x->df);
		num(c, &x->v);
		num(c, &x->w_p);
		csv_field(c->o, x->p_test == NULL ? NULL : x->w_exact ? "yes" :
		    "no");
		num(c, &x->est);
		num(c, &x->est_lo);
		num(c, &x->est_hi);
		num(c, &x->conf);
		csv_field(c->o, x->p_test);
		num(c, &x->p);
		num(c, &x->p_holm);
		num(c, &x->p_bh);
		num(c, &x->p_adjusted);
		csv_field(c->o, x->t_why != NULL ? x->t_why : x->w_why);
		csv_field(c->o, x->label);
		csv_field(c->o, REPORT_NOTE_PAIRED);
		csv_end_row(c->o);
	}
}

static void
factors_csv(struct cctx *c, const struct rel_report *m)
{
	static const char *const cols[] = {"factor", "var", "outcome", "type",
	    "levels", "status", "n", "anova_f", "anova_df1", "anova_df2",
	    "anova_p", "welch_f", "welch_df1", "welch_df2", "welch_p",
	    "kruskal_wallis", "kw_df", "kw_p", "chisq", "chisq_df",
	    "chisq_p", "fisher_p", "cramer_v", "p_test", "p", "p_holm",
	    "p_bh", "p_adjusted", "why", "note", NULL};
	char lv[32];

	header(c, cols);
	for (size_t i = 0; i < m->nkgroups; i++) {
		const struct rel_kgroup *x = &m->kgroups[i];
		const struct rel_num *v[] = {&x->f, &x->df1, &x->df2, &x->f_p,
		    &x->wf, &x->wdf1, &x->wdf2, &x->wf_p, &x->kw, &x->kw_df,
		    &x->kw_p, &x->chi, &x->chi_df, &x->chi_p, &x->fisher_p,
		    &x->cramer_v};
		csv_field(c->o, x->factor);
		csv_field(c->o, x->var);
		csv_field(c->o, x->outcome);
		csv_field(c->o, x->type);
		snprintf(lv, sizeof(lv), "%zu", x->nlevels);
		csv_field(c->o, lv);
		csv_field(c->o, x->status);
		count(c, &x->n);
		for (size_t j = 0; j < sizeof(v) / sizeof(v[0]); j++)
			num(c, v[j]);
		csv_field(c->o, x->p_test);
		num(c, &x->p);
		num(c, &x->p_holm);
		num(c, &x->p_bh);
		num(c, &x->p_adjusted);
		csv_field(c->o, x->why);
		csv_field(c->o, REPORT_NOTE_ANSWERS);
		csv_end_row(c->o);
	}
}

static void
stratified_csv(struct cctx *c, const struct rel_report *m)
{
	static const char *const cols[] = {"group", "outcome", "stratum",
	    "strata", "status", "n", "statistic", "odds_ratio", "ci_lo",
	    "ci_hi", "p", "p_holm", "p_bh", "p_adjusted", "why", "note",
	    NULL};
	char ns[32];

	header(c, cols);
	for (size_t i = 0; i < m->nstrats; i++) {
		const struct rel_strat *x = &m->strats[i];
		csv_field(c->o, x->group);
		csv_field(c->o, x->outcome);
		csv_field(c->o, x->stratum);
		snprintf(ns, sizeof(ns), "%zu", x->nstrata);
		csv_field(c->o, ns);
		csv_field(c->o, x->status);
		count(c, &x->n);
		num(c, &x->stat);
		num(c, &x->or_est);
		num(c, &x->lo);
		num(c, &x->hi);
		num(c, &x->p);
		num(c, &x->p_holm);
		num(c, &x->p_bh);
		num(c, &x->p_adjusted);
		csv_field(c->o, x->why != NULL ? x->why : x->or_why);
		csv_field(c->o, REPORT_NOTE);
		csv_end_row(c->o);
	}
}

static void
withheld_csv(struct cctx *c, const struct rel_report *m)
{
	static const char *const cols[] = {"what", "why", NULL};

	header(c, cols);
	if (m->not_for_publication) {
		csv_field(c->o, "this report");
		csv_field(c->o, REPORT_NOT_FOR_PUBLICATION);
		csv_end_row(c->o);
	}
	for (size_t i = 0; i < m->nnotes; i++) {
		csv_field(c->o, m->notes[i].what);
		csv_field(c->o, m->notes[i].why);
		csv_end_row(c->o);
	}
}

int
report_write_csv(const struct rel_report *m, const char *dir, char *err,
    size_t errsz)
{
	static const struct {
		const char *file;
		void (*fn)(struct cctx *, const struct rel_report *);
	} tables[] = {
		{"variables.csv", variables_csv},
		{"frequencies.csv", frequencies_csv},
		{"histograms.csv", histograms_csv},
		{"groups.csv", groups_csv},
		{"comparisons.csv", comparisons_csv},
		{"correlations.csv", correlations_csv},
		{"adjusted.csv", adjusted_csv},
		{"paired.csv", paired_csv},
		{"factors.csv", factors_csv},
		{"stratified.csv", stratified_csv},
		{"withheld.csv", withheld_csv},
	};
	char path[4096];

	for (size_t i = 0; i < sizeof(tables) / sizeof(tables[0]); i++) {
		struct csv_out o = {NULL, 0, 0};
		struct cctx c = {&o, m->k};
		snprintf(path, sizeof(path), "%s/%s", dir, tables[i].file);
		if (csv_open(&o, path) != 0 ||
		    fmode_fd(fileno(o.fp), fmode_file()) != 0) {
			snprintf(err, errsz, "%s: %s", path, strerror(errno));
			if (o.fp != NULL)
				(void)csv_close(&o);
			return -1;
		}
		tables[i].fn(&c, m);
		if (csv_close(&o) != 0) {
			snprintf(err, errsz, "%s: write error", path);
			return -1;
		}
	}
	return 0;
}
