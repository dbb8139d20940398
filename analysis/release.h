/*
 * The released model: every number that leaves Candor in a report, an
 * aggregate export or an API summary, as typed structs. report_build()
 * (report.h) fills one from the data, the publication gate (gate.h) audits
 * it as a whole and decides the state of every number, and only then is it
 * handed to the renderers (JSON, HTML, CSV), which read nothing else.
 *
 * A number is a struct rel_num or struct rel_count with a state. Only
 * REL_SHOWN numbers carry a value: rel_seal() overwrites every other one
 * (NaN, 0) before the model leaves report_build(), so a renderer cannot
 * print a number the gate did not pass, whatever it does. The renderers
 * print a state the same way everywhere:
 *   REL_SHOWN    the value (rounded to dp decimals when dp >= 0)
 *   REL_NONE     not computed (JSON null, CSV empty, HTML en dash)
 *   REL_BELOW_K  a count 0 < n < k ("< k")
 *   REL_HIDDEN   a suppressed table cell ("hidden")
 *   REL_WITHHELD withheld by the gate's whole-release audit ("withheld");
 *                the model's notes say what and why
 *
 * Ownership: rel_report_new() allocates the model, rel_report_free() frees
 * it and every array and string in it. Strings marked "borrowed" point
 * into the form or the plan, which must outlive the model; the why texts
 * are static.
 */
#ifndef CANDOR_RELEASE_H
#define CANDOR_RELEASE_H

#include <stddef.h>

#define REL_HIST_MAX 41 /* bins of a histogram (one per value up to 41) */

enum rel_st {
	REL_NONE = 0,
	REL_SHOWN,
	REL_BELOW_K,
	REL_HIDDEN,
	REL_WITHHELD,
	REL_ST__MAX
};

#define REL_EXACT (-1) /* dp of a number that is not rounded */

struct rel_num {
	double v;
	enum rel_st st;
	int dp; /* REL_EXACT, or the decimals it was rounded to */
};

struct rel_count {
	long long v;
	enum rel_st st;
};

struct rel_summary {
	struct rel_num mean, sd, ci_lo, ci_hi, median, q1, q3, min, max;
	const char *why, *why_sd, *why_ci; /* NULL: none */
};

struct rel_hist {
	size_t nb;
	double breaks[REL_HIST_MAX + 1];
	struct rel_count counts[REL_HIST_MAX];
	struct rel_count outside;
	int per_value; /* one bin per integer value */
};

/* A row of a frequency table, or an option of a multiple choice. */
struct rel_freq {
	long value;
	const char *label; /* borrowed */
	int missing_code;  /* frequency rows */
	int exclusive;     /* options */
	struct rel_count count;
	struct rel_num percent, ci_lo, ci_hi;
};

enum rel_sum_state {
	REL_SUM_ABSENT, /* no summary (categorical variables) */
	REL_SUM_SHOWN,  /* summary object (its numbers have their states) */
	REL_SUM_NOTE    /* summary null, with summary_note */
};

struct rel_var {
	size_t iv;
	const char *name;  /* borrowed */
	char *label;       /* owned */
	const char *klass; /* "numeric", "ordinal", ... (static) */
	struct rel_count n, missing;
	enum rel_sum_state sum_state;
	char summary_note[96];
	struct rel_summary sum;
	int has_hist;
	struct rel_hist hist;
	/*
	 * The histogram's value axis, from the form: generated words ending
	 * in their own separator ("answer, from 0 to 10: ") and the form's
	 * wording that follows them ("0 = No pain, 10 = ...", a unit), each
	 * cut to fit at a character boundary; "" when there is none.
	 */
	char axis[64];
	char axis_uw[192];
	int has_freq;
	struct rel_count freq_total;
	/*
	 * The frequency percentages are of freq_total (every answer, missing
	 * codes included) rather than of n: n was withheld, and a count with
	 * a percentage of n would give it back.
	 */
	int percent_of_total;
	struct rel_freq *rows; /* nrows; frequency rows or options */
	size_t nrows;
	int has_options; /* rows are the options of a multiple choice */
};

struct rel_group {
	const char *name, *label, *a_label, *b_label; /* borrowed; label may be NULL */
	struct rel_count n_a, n_b, in_both;
	char *withheld; /* why the group is withheld, or NULL (owned) */
};

struct rel_brief {
	struct rel_num mean, sd, median, q1, q3;
};

enum rel_cmp_kind { REL_CMP_NUMERIC, REL_CMP_TABLE };

struct rel_cmp {
	size_t igroup, iv; /* plan group, outcome variable */
	const char *group, *outcome; /* borrowed */
	char *outcome_label;         /* owned */
	const char *type;            /* "numeric", "binary", "categorical" */
	char status[128];
	enum rel_cmp_kind kind;
	struct rel_count n_a, n_b;
	/* numeric */
	int has_desc;
	struct rel_brief a, b;
	int has_welch;
	struct rel_num w_diff, w_lo, w_hi, w_t, w_df, w_p;
	const char *w_why;
	struct rel_num g_g, g_lo, g_hi;
	const char *g_why;
	int has_mw;
	struct rel_num mw_w, mw_z, mw_p;
	const char *mw_why;
	/* table */
	int has_table;
	size_t ncols;
	long *values;             /* ncols */
	struct rel_count *ta, *tb; /* ncols each */
	int has_chisq;
	struct rel_num chi_stat, chi_df, chi_p, chi_min_expected;
	int chi_yates;
	const char *chi_why;
	int has_fisher;
	struct rel_num fisher_p;
	const char *fisher_why;
	int has_rd;
	struct rel_num rd_a, rd_b, rd_diff, rd_lo, rd_hi;
	const char *rd_why;
	struct rel_num or_est, or_lo, or_hi;
	int or_corrected;
	const char *or_why;
	/* both */
	const char *p_test; /* NULL: none */
	struct rel_num p, p_holm, p_bh, p_adjusted;
	int below_alpha; /* -1: null */
};

struct rel_cor {
	size_t ix, iy;
	const char *x, *y; /* borrowed */
	char *x_label, *y_label;
	struct rel_count n;
	char status[96];
	int has_rho;
	struct rel_num rho, s;
	const char *why;
	struct rel_num p, p_holm, p_bh, p_adjusted;
	int below_alpha;
};

struct rel_adj {
	size_t igroup, iv;
	const char *group, *outcome; /* borrowed */
	char *outcome_label;
	const char *model;
	const char **covs; /* borrowed names */
	size_t ncovs;
	struct rel_count n, n_a, n_b;
	char status[128];
	const char *scale; /* NULL: none */
	struct rel_num est, lo, hi;
	const char *why;
	/*
	 * Predictors left out of the fit as collinear with the ones before
	 * them (R: NA coefficients), "sex=2; age_band", or NULL (owned).
	 */
	char *dropped;
	struct rel_num p, p_holm, p_bh, p_adjusted;
	int below_alpha;
};

/*
 * A paired comparison (plan "paired"): x minus y within the respondents
 * who gave both answers. Paired t-test and Wilcoxon signed-rank test
 * with the Hodges-Lehmann pseudomedian.
 */
struct rel_pair {
	size_t ix, iy;            /* variable indexes */
	const char *name, *label; /* borrowed; label may be NULL */
	const char *x, *y;        /* borrowed variable names */
	char *x_label, *y_label;  /* owned */
	struct rel_count n;       /* pairs */
	char status[128];
	struct rel_num diff, sd, lo, hi, t, df;
	const char *t_why;
	struct rel_num v, w_p, est, est_lo, est_hi, conf;
	int w_exact;
	const char *w_why;
	const char *p_test; /* NULL: none */
	struct rel_num p, p_holm, p_bh, p_adjusted;
	int below_alpha;
};

/*
 * The k-group tests of one outcome over the levels of a factor (plan
 * "factors"); the pairs of levels are ordinary comparisons (rel_cmp of
 * the factor's groups). Numeric outcomes: one-way ANOVA, Welch's ANOVA,
 * Kruskal-Wallis; categorical and binary: the k x c table's test (as
 * stats_table_test()) and Cramer's V.
 */
struct rel_kgroup {
	size_t ifactor, iv;
	const char *factor, *var, *outcome; /* borrowed */
	char *outcome_label;                /* owned */
	const char *type;
	size_t nlevels;
	struct rel_count n;
	char status[128];
	struct rel_num f, df1, df2, f_p;       /* classic ANOVA */
	struct rel_num wf, wdf1, wdf2, wf_p;   /* Welch */
	struct rel_num kw, kw_df, kw_p;        /* Kruskal-Wallis */
	struct rel_num chi, chi_df, chi_p, fisher_p, cramer_v;
	const char *why;
	const char *p_test; /* NULL: none */
	struct rel_num p, p_holm, p_bh, p_adjusted;
	int below_alpha;
};

/*
 * A binary comparison of a group stratified by one variable (plan
 * "strata"): the Mantel-Haenszel test and common odds ratio.
 */
struct rel_strat {
	size_t igroup, iv, istratum;
	const char *group, *outcome, *stratum; /* borrowed */
	char *outcome_label;                   /* owned */
	size_t nstrata;
	struct rel_count n;
	char status[128];
	struct rel_num stat, or_est, lo, hi;
	const char *why, *or_why;
	struct rel_num p, p_holm, p_bh, p_adjusted;
	int below_alpha;
};

/* What the gate withheld, in plain words. */
struct rel_note {
	char *what; /* "kratom_use: mean, SD and interval" */
	char *why;
};

struct rel_problem {
	char *what;
	unsigned long long rows;
};

/* The rows of one form version and how they were read (provenance). */
#define REL_VERSIONS_MAX 64
struct rel_version {
	long version;
	unsigned long long rows;
	const char *how; /* static: "current", "mapped", ... */
};

struct rel_report {
	/* header */
	const char *title, *program; /* borrowed */
	const char *form_id;
	long form_version;
	char form_sha[65], plan_sha[65], data_sha[65];
	const char *plan_source;
	long k;
	double alpha;
	const char *multiplicity;
	unsigned long long rows_read, rows_analysed, rows_not_decoded,
	    rows_other_version;
	struct rel_problem *problems;
	size_t nproblems;
	struct rel_version versions[REL_VERSIONS_MAX]; /* by version */
	size_t nversions;
	unsigned long long versions_other; /* rows beyond the table */
	int versions_withheld; /* the rows per version (and of other versions) */
	int not_for_publication; /* a private run (--no-ledger) */
	/*
	 * Where the form's study window was on the day of the run
	 * (report_data_status()): "final data (...)" or "interim data
	 * (...)"; "" for a form without a window.
	 */
	char data_status[160];
	char *ledger_release;    /* the ledger's name of this release, or NULL */
	/* body */
	struct rel_var *vars;
	size_t nvars, capvars;
	struct rel_group *groups;
	size_t ngroups;
	struct rel_cmp *cmps;
	size_t ncmps, capcmps;
	struct rel_cor *cors;
	size_t ncors, capcors;
	struct rel_adj *adjs;
	size_t nadjs, capadjs;
	struct rel_pair *pairs;
	size_t npairs, cappairs;
	struct rel_kgroup *kgroups;
	size_t nkgroups, capkgroups;
	struct rel_strat *strats;
	size_t nstrats, capstrats;
	struct rel_note *notes;
	size_t nnotes, capnotes;
	long min_values; /* the protection interval the gate enforced */
};

struct rel_report *rel_report_new(void);
void rel_report_free(struct rel_report *m);

/* Append a zeroed element; NULL when memory runs out. */
struct rel_var *rel_add_var(struct rel_report *m);
struct rel_cmp *rel_add_cmp(struct rel_report *m);
struct rel_cor *rel_add_cor(struct rel_report *m);
struct rel_adj *rel_add_adj(struct rel_report *m);
struct rel_pair *rel_add_pair(struct rel_report *m);
struct rel_kgroup *rel_add_kgroup(struct rel_report *m);
struct rel_strat *rel_add_strat(struct rel_report *m);
/* Append a note (both strings copied); 0, or -1 when memory runs out. */
int rel_add_note(struct rel_report *m, const char *what, const char *why);

/* Constructors of numbers. */
struct rel_num rel_num(double v);     /* SHOWN if finite, else NONE */
struct rel_count rel_count(long long v);
/* A count of people: SHOWN when 0 or >= k, else BELOW_K. */
struct rel_count rel_people(long long v, long k);

/* Withhold a number (its value is dropped by rel_seal()). */
void rel_withhold_num(struct rel_num *x);
void rel_withhold_count(struct rel_count *x);

/* Round a shown number to dp decimals (R's round(): half away from 0). */
void rel_round(struct rel_num *x, int dp);
double rel_round_value(double v, int dp);

/* Overwrite every value that is not REL_SHOWN. */
void rel_seal(struct rel_report *m);

/* Is it shown? Renderers use these and nothing else to decide. */
int rel_num_shown(const struct rel_num *x);
int rel_count_shown(const struct rel_count *x);

#endif
