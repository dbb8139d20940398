/*
 * The publication gate (gate.h). gate_release() works in four passes over
 * the candidate model:
 *
 * 1. Rules. Groups whose residual (everyone outside both sides) is
 *    0 < n < k, groups that differ from another group of this release or
 *    of the ledger by 0 < n < k respondents, comparisons whose residual is
 *    0 < n < k, adjusted models whose crude comparison is not published or
 *    whose complete cases differ from it by 0 < n < k: withheld.
 * 2. The audit model. One "audit variable" (struct gv) per integer-valued
 *    variable the report publishes a table or summary of (and one per
 *    option of a multiple choice), with its true count per value; links
 *    between variables (derived scores that are a function of one
 *    variable, found by probing the form's own scoring and checked on the
 *    data); group sides defined on one variable; the split of each
 *    compared outcome into group a, group b and the rest. Linked variables
 *    form a component (union-find); comparisons belong to their outcome's.
 * 3. The audit of each component that holds a protected count (a hidden
 *    cell or a "< k" count): an integer program over its counts (GLPK),
 *    built from the numbers the model shows now; for each protected count
 *    its least and greatest value, each solution checked by recomputing
 *    the published numbers that are not linear in the counts; more values
 *    by fixing the count, until gate_min_values(k) are proven or it is
 *    shown that they cannot be. When a count fails, the next step of the
 *    component's ladder is applied (first more suppression inside a
 *    table, while the table alone does not protect its cells; then, in
 *    order of information lost, rounding, Mann-Whitney, mean and SD,
 *    quantiles, comparison figures, comparison tables, groups, n, the
 *    variable) and the component is audited again. The last step
 *    withholds everything the component publishes, which always passes.
 * 4. The ledger's record of the groups that are published.
 *
 * Determinism: the steps, their order and the solver's input depend on
 * the data and the plan only; GLPK is stopped by a node count, never by a
 * clock, and a count the solver could not settle is treated as not
 * protected. The same inputs give the same release.
 */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <glpk.h>
#include <gsl/gsl_cdf.h>

#include "gate.h"
#include "report.h"
#include "stats.h"

#define NODES_MAX 60    /* branch-and-bound nodes per solve */
#define ATOMS_MAX 4097  /* values of an audit variable (STATS_COUNTS_MAX) */
#define NCODES (FORM_MAX_CHOICES + 64)

/* One integer-valued variable, or one option of a multiple choice. */
struct gv {
	struct rel_var *rv;
	size_t iv;
	int opt;            /* option index, or -1 */
	long lo;            /* value of atom 0 */
	size_t nval;        /* value atoms; atom nval is "no value" */
	uint64_t *cnt;      /* nval + 1 true counts */
	uint8_t *known;     /* nval: a value statistics use */
	uint8_t *valid;     /* nval: a value the form allows */
	struct rel_summary orig; /* the summary before any rounding */
	int always_set;     /* required and always asked: never unset */
	int parent;         /* union-find */
	int col;            /* first column of the current problem, or 0 */
};

/* Derived variable d is a function of variable v: atom of d per atom of v. */
struct glink {
	int d, v;
	int *map; /* nval(v) + 1 entries: an atom of d */
};

/*
 * Sum score d is the sum of its items on every row: the sum of d's values
 * equals the sum of the items' values (an item's value atoms, or the
 * ticked options of a multiple choice), one linear fact.
 */
struct gsum {
	int d;
	int *terms;    /* audit variables of the items */
	size_t nterms;
};

/*
 * Follow-up v is shown only where its condition (page and item) holds,
 * and the condition reads one audit variable p: the rows with v set are
 * among those with p in on[] (all of them, eq, when v is required).
 */
struct gshow {
	int v, p;
	uint8_t *on;     /* p's atoms (nval + 1) */
	int eq;
	/*
	 * Beyond GATE_JOIN_MAX columns the two components are kept apart:
	 * side 1 fixes v's answered count at the published count of p's on
	 * atoms (onv), side 2 fixes p's on atoms at v's (set).
	 */
	int side;        /* 0: one component */
	long long onv, set;
};

/* Columns of one integer program, beyond which follow-ups are not joined. */
#define GATE_JOIN_MAX 400

/* A plan group as the gate sees it. */
struct ggrp {
	struct rel_group *rg;
	size_t ig;
	uint8_t *memb;    /* per row: 1 a, 2 b, 0 neither; 3 both */
	int gv;           /* the variable defining both sides, or -1 */
	uint8_t *side;    /* gv's atoms: bit 1 in a, bit 2 in b */
	long long rest;   /* rows in neither side (both included) */
};

/* A comparison whose outcome is an audit variable. */
struct gcmp {
	struct rel_cmp *rc;
	int gv;           /* outcome */
	int grp;          /* index into g.grp */
	uint64_t *x[3];   /* a, b, rest: nval + 1 counts each */
	int col;
};

/* A protected count of the current problem. */
struct pform {
	int ncol;
	int col[4];
	double coef[4];
	long long truev;
	double lo, hi;      /* bounds of the linear relaxation */
	long long have[16]; /* values proven so far (the true one first) */
	int nhave;
};

struct gate {
	const struct form *f;
	const struct dataset *d;
	const struct plan *p;
	long k, mv;
	struct rel_report *m;
	struct gv *v;
	size_t nv;
	int *var_gv; /* form variable -> audit variable (not options), -1 */
	struct glink *links;
	size_t nlinks;
	struct gsum *sums;
	size_t nsums;
	struct gshow *shows;
	size_t nshows;
	struct ggrp *grp;
	size_t ngrp;
	struct gcmp *cmp;
	size_t ncmp;
	int bad, solver_bad;
	/* the current problem */
	glp_prob *lp;
	struct pform *pf;
	size_t npf, cappf;
	int verify_needed;
	int comp;
	int fail_col; /* first column of the protected count that failed */
	struct gate_counters cn;
};

static _Thread_local struct gate_counters last_counters;

long
gate_min_values(long k)
{
	return k / 3 > 3 ? k / 3 : 3;
}

int
gate_release_due(long long changes_now, int have_last,
    long long last_changes_at, long k)
{
	/* The same counter is the same data: nothing differs. */
	return !have_last || changes_now == last_changes_at ||
	    changes_now - last_changes_at >= k;
}

void
gate_last_counters(struct gate_counters *out)
{
	*out = last_counters;
}

void
gate_members_free(struct gate_members *m)
{
	if (m == NULL)
		return;
	free(m->release);
	free(m->group);
	free(m->bits);
	memset(m, 0, sizeof(*m));
}

void
gate_ledger_clear(struct gate_ledger *l)
{
	if (l == NULL)
		return;
	for (size_t i = 0; i < l->nout; i++)
		gate_members_free(&l->out[i]);
	free(l->out);
	l->out = NULL;
	l->nout = 0;
}

static void
note(struct gate *g, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
note(struct gate *g, const char *what, const char *fmt, ...)
{
	char why[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	if (rel_add_note(g->m, what, why) != 0)
		g->bad = 1;
}

/* ---- pass 1: rules ---- */

static void
withhold_brief(struct rel_brief *b)
{
	rel_withhold_num(&b->mean);
	rel_withhold_num(&b->sd);
	rel_withhold_num(&b->median);
	rel_withhold_num(&b->q1);
	rel_withhold_num(&b->q3);
}

/* Withhold a comparison's figures; with_n: its n too. */
static void
cmp_withhold(struct rel_cmp *c, int with_n, const char *status)
{
	struct rel_num *x[] = {&c->w_diff, &c->w_lo, &c->w_hi, &c->w_t,
	    &c->w_df, &c->w_p, &c->g_g, &c->g_lo, &c->g_hi, &c->mw_w,
	    &c->mw_z, &c->mw_p, &c->chi_stat, &c->chi_df, &c->chi_p,
	    &c->chi_min_expected, &c->fisher_p, &c->rd_a, &c->rd_b,
	    &c->rd_diff, &c->rd_lo, &c->rd_hi, &c->or_est, &c->or_lo,
	    &c->or_hi, &c->p};

	withhold_brief(&c->a);
	withhold_brief(&c->b);
	for (size_t i = 0; i < sizeof(x) / sizeof(x[0]); i++)
		rel_withhold_num(x[i]);
	c->has_desc = c->has_welch = c->has_mw = c->has_chisq =
	    c->has_fisher = c->has_rd = 0;
	c->p_test = NULL;
	if (with_n) {
		rel_withhold_count(&c->n_a);
		rel_withhold_count(&c->n_b);
		for (size_t i = 0; i < c->ncols; i++) {
			rel_withhold_count(&c->ta[i]);
			rel_withhold_count(&c->tb[i]);
		}
		c->has_table = 0;
	}
	if (strncmp(c->status, "not run", 7) != 0)
		snprintf(c->status, sizeof(c->status), "%s", status);
}

static void
adj_withhold(struct rel_adj *a, const char *status)
{
	rel_withhold_count(&a->n);
	rel_withhold_count(&a->n_a);
	rel_withhold_count(&a->n_b);
	rel_withhold_num(&a->est);
	rel_withhold_num(&a->lo);
	rel_withhold_num(&a->hi);
	rel_withhold_num(&a->p);
	a->scale = NULL;
	a->why = NULL;
	snprintf(a->status, sizeof(a->status), "%s", status);
}

/* Withhold group ig and everything computed on it. */
static void
group_withhold(struct gate *g, size_t ig, const char *why)
{
	struct rel_report *m = g->m;
	struct rel_group *rg = &m->groups[ig];
	char what[160];

	if (rg->withheld != NULL)
		return;
	if ((rg->withheld = strdup(why)) == NULL) {
		g->bad = 1;
		return;
	}
	rel_withhold_count(&rg->n_a);
	rel_withhold_count(&rg->n_b);
	rel_withhold_count(&rg->in_both);
	for (size_t i = 0; i < m->ncmps; i++)
		if (m->cmps[i].igroup == ig)
			cmp_withhold(&m->cmps[i], 1, "not shown: the group is "
			    "withheld (see Withheld)");
	for (size_t i = 0; i < m->nadjs; i++)
		if (m->adjs[i].igroup == ig)
			adj_withhold(&m->adjs[i], "not shown: the group is "
			    "withheld (see Withheld)");
	snprintf(what, sizeof(what), "group %s: sizes, comparisons and "
	    "adjusted models", rg->name);
	note(g, what, "%s", why);
}

static long long
popcount_diff(const uint8_t *a, const uint8_t *b, size_t nrows)
{
	long long n = 0;

	for (size_t i = 0; i < (nrows + 7) / 8; i++)
		n += __builtin_popcount((unsigned)(a[i] ^ b[i]));
	return n;
}

/* Bits of the rows whose memb is side. */
static uint8_t *
side_bits(const uint8_t *memb, size_t n, int side)
{
	uint8_t *b = calloc((n + 7) / 8 + 1, 1);

	if (b == NULL)
		return NULL;
	for (size_t r = 0; r < n; r++)
		if (memb[r] == side)
			b[r / 8] |= (uint8_t)(1u << (r % 8));
	return b;
}

/*
 * Trackers: a side of group ig that differs from a side of an earlier
 * group of this release, or of a release in the ledger, by 0 < n < k
 * rows. Returns the group withheld, with the reason in why.
 */
static int
tracker(struct gate *g, size_t ig, const struct gate_ledger *l,
    uint8_t *bits[][2], char *why, size_t whysz)
{
	size_t n = g->d->n;

	for (int s = 0; s < 2; s++) {
		for (size_t j = 0; j < ig; j++) {
			if (g->m->groups[j].withheld != NULL)
				continue;
			for (int t = 0; t < 2; t++) {
				long long dd = popcount_diff(bits[ig][s],
				    bits[j][t], n);
				if (dd > 0 && dd < g->k) {
					snprintf(why, whysz, "its group %c "
					    "differs from group %c of %s in "
					    "this report by fewer than %ld "
					    "respondents: the difference would "
					    "describe them", 'a' + s, 'a' + t,
					    g->m->groups[j].name, g->k);
					return 1;
				}
			}
		}
		for (size_t j = 0; l != NULL && j < l->nprior; j++) {
			long long dd;
			if (l->prior[j].nrows != n || l->prior[j].bits == NULL)
				continue;
			dd = popcount_diff(bits[ig][s], l->prior[j].bits, n);
			if (dd > 0 && dd < g->k) {
				snprintf(why, whysz, "refused: its group %c "
				    "differs from group %c of %s in release "
				    "%s on the same data by fewer than %ld "
				    "respondents: the difference would "
				    "describe them", 'a' + s,
				    'a' + l->prior[j].side - 1,
				    l->prior[j].group, l->prior[j].release,
				    g->k);
				return 1;
			}
		}
	}
	return 0;
}

static void
rules_groups(struct gate *g, const struct gate_ledger *l)
{
	struct rel_report *m = g->m;
	uint8_t *(*bits)[2] = calloc(m->ngroups + 1, sizeof(*bits));
	char why[320];

	if (bits == NULL) {
		g->bad = 1;
		return;
	}
	for (size_t i = 0; i < g->ngrp; i++) {
		struct ggrp *gg = &g->grp[i];
		const char *w = NULL;
		if (gg->rg->withheld != NULL)
			continue;
		if ((bits[i][0] = side_bits(gg->memb, g->d->n, 1)) == NULL ||
		    (bits[i][1] = side_bits(gg->memb, g->d->n, 2)) == NULL) {
			g->bad = 1;
			break;
		}
		if (gg->rest > 0 && gg->rest < g->k) {
			snprintf(why, sizeof(why), "the respondents in neither "
			    "group number between 1 and %ld: everyone minus the "
			    "two groups would describe them", g->k - 1);
			w = why;
		} else if (tracker(g, i, l, bits, why, sizeof(why))) {
			w = why;
		}
		if (w != NULL)
			group_withhold(g, i, w);
	}
	for (size_t i = 0; i < m->ngroups; i++) {
		free(bits[i][0]);
		free(bits[i][1]);
	}
	free(bits);
}

static struct rel_var *
var_of(struct gate *g, size_t iv)
{
	for (size_t i = 0; i < g->m->nvars; i++)
		if (g->m->vars[i].iv == iv)
			return &g->m->vars[i];
	return NULL;
}

static void
rules_comparisons(struct gate *g)
{
	struct rel_report *m = g->m;
	char what[200];

	for (size_t i = 0; i < m->ncmps; i++) {
		struct rel_cmp *c = &m->cmps[i];
		struct rel_var *v = var_of(g, c->iv);
		long long r;
		if (m->groups[c->igroup].withheld != NULL || v == NULL ||
		    !rel_count_shown(&v->n) || !rel_count_shown(&c->n_a) ||
		    !rel_count_shown(&c->n_b))
			continue;
		r = v->n.v - c->n_a.v - c->n_b.v;
		if (r > 0 && r < g->k) {
			cmp_withhold(c, 1, "not shown: the answers outside both "
			    "groups number fewer than k (see Withheld)");
			snprintf(what, sizeof(what), "comparison %s of %s",
			    c->group, c->outcome);
			note(g, what, "the respondents with an answer outside "
			    "both groups number between 1 and %ld: the whole "
			    "minus the two groups would describe them", g->k - 1);
		}
	}
}

/* The comparison of group ig and outcome iv, or NULL. */
static struct rel_cmp *
crude_of(struct gate *g, size_t ig, size_t iv)
{
	for (size_t i = 0; i < g->m->ncmps; i++)
		if (g->m->cmps[i].igroup == ig && g->m->cmps[i].iv == iv)
			return &g->m->cmps[i];
	return NULL;
}

static void
rules_adjusted(struct gate *g)
{
	struct rel_report *m = g->m;
	char what[200];

	for (size_t i = 0; i < m->nadjs; i++) {
		struct rel_adj *a = &m->adjs[i];
		struct rel_cmp *c = crude_of(g, a->igroup, a->iv);
		const char *why = NULL;
		long long da, db;
		if (m->groups[a->igroup].withheld != NULL ||
		    strcmp(a->status, "ok") != 0)
			continue;
		if (c == NULL || strcmp(c->status, "ok") != 0) {
			why = "its crude comparison is not published (a cell of "
			    "its table is hidden, or it is withheld), and the "
			    "model's estimate would give the hidden cells back";
		} else if (rel_count_shown(&c->n_a) && rel_count_shown(&c->n_b) &&
		    rel_count_shown(&a->n_a) && rel_count_shown(&a->n_b)) {
			da = c->n_a.v - a->n_a.v;
			db = c->n_b.v - a->n_b.v;
			if ((da > 0 && da < g->k) || (db > 0 && db < g->k)) {
				rel_withhold_count(&a->n);
				rel_withhold_count(&a->n_a);
				rel_withhold_count(&a->n_b);
				snprintf(what, sizeof(what), "adjusted model %s "
				    "of %s: n", a->group, a->outcome);
				note(g, what, "its complete cases differ from "
				    "the crude comparison's by 1 to %ld "
				    "respondents (a covariate unanswered): its "
				    "n would count them", g->k - 1);
			}
		}
		if (why != NULL) {
			adj_withhold(a, "not shown: see Withheld");
			snprintf(what, sizeof(what), "adjusted model %s of %s",
			    a->group, a->outcome);
			note(g, what, "%s", why);
		}
	}
}

/* ---- pass 2: the audit model ---- */

static int
find(struct gate *g, int i)
{
	while (g->v[i].parent != i)
		i = g->v[i].parent = g->v[g->v[i].parent].parent;
	return i;
}

static void
unite(struct gate *g, int a, int b)
{
	a = find(g, a);
	b = find(g, b);
	if (a != b)
		g->v[a > b ? a : b].parent = a < b ? a : b;
}

static struct gv *
gv_new(struct gate *g)
{
	struct gv *v;

	if (g->nv % 64 == 0) {
		struct gv *n = realloc(g->v, (g->nv + 64) * sizeof(*n));
		if (n == NULL) {
			g->bad = 1;
			return NULL;
		}
		g->v = n;
	}
	v = &g->v[g->nv];
	memset(v, 0, sizeof(*v));
	v->parent = (int)g->nv;
	v->opt = -1;
	g->nv++;
	return v;
}

/* Audit variable of an integer-valued variable with a small range. */
static void
gv_int(struct gate *g, struct rel_var *rv)
{
	const struct ds_col *col = &g->d->cols[rv->iv];
	const struct form_var *fv = &g->f->vars[rv->iv];
	struct report_code codes[NCODES];
	struct gv *v;
	uint64_t *c;
	size_t nv, nc, unset;

	if (fv->type != FORM_T_INT || !col->small || col->hi < col->lo ||
	    col->hi - col->lo + 1 > ATOMS_MAX)
		return;
	nv = (size_t)(col->hi - col->lo + 1);
	if ((c = report_code_counts(g->d, rv->iv, NULL, 0)) == NULL) {
		g->bad = 1;
		return;
	}
	if ((v = gv_new(g)) == NULL) {
		free(c);
		return;
	}
	v->rv = rv;
	v->iv = rv->iv;
	v->lo = col->lo;
	v->nval = nv;
	v->cnt = calloc(nv + 1, sizeof(*v->cnt));
	v->known = calloc(nv, 1);
	v->valid = calloc(nv, 1);
	if (v->cnt == NULL || v->known == NULL || v->valid == NULL) {
		free(c);
		g->bad = 1;
		return;
	}
	unset = g->d->n;
	for (size_t a = 0; a < nv; a++) {
		v->cnt[a] = c[a];
		unset -= c[a];
		v->known[a] = col->kind != DS_I16 || !col->is_missing[a];
	}
	v->cnt[nv] = unset;
	free(c);
	/* Allowed values: the codes of a choice variable, else the range. */
	nc = report_var_class(g->f, rv->iv) == VC_NUMERIC ? 0 :
	    report_var_codes(g->f, rv->iv, codes, NCODES);
	for (size_t a = 0; a < nv; a++)
		v->valid[a] = nc == 0;
	for (size_t j = 0; j < nc; j++)
		if (codes[j].value >= col->lo && codes[j].value <= col->hi)
			v->valid[codes[j].value - col->lo] = 1;
	for (size_t a = 0; a < nv; a++)
		if (v->cnt[a] > 0)
			v->valid[a] = 1; /* what the data holds is allowed */
	v->orig = rv->sum;
	/* The form is public: a required item that is always asked is set. */
	if (fv->score == NULL && fv->item != NULL && fv->item->required &&
	    fv->item->show_if == NULL &&
	    g->f->pages[fv->item->ipage].show_if == NULL && unset == 0)
		v->always_set = 1;
	g->var_gv[rv->iv] = (int)(v - g->v);
}

/* Audit variables of the options of a multiple choice: chosen or not. */
static void
gv_options(struct gate *g, struct rel_var *rv)
{
	const struct ds_col *col = &g->d->cols[rv->iv];
	size_t first = g->nv;

	for (size_t j = 0; j < rv->nrows && j < 64; j++) {
		struct gv *v = gv_new(g);
		if (v == NULL)
			return;
		v->rv = rv;
		v->iv = rv->iv;
		v->opt = (int)j;
		v->lo = 0;
		v->nval = 2;
		v->cnt = calloc(3, sizeof(*v->cnt));
		v->known = calloc(2, 1);
		v->valid = calloc(2, 1);
		if (v->cnt == NULL || v->known == NULL || v->valid == NULL) {
			g->bad = 1;
			return;
		}
		v->known[0] = v->known[1] = v->valid[0] = v->valid[1] = 1;
		for (size_t r = 0; r < g->d->n; r++) {
			if (!col->mset[r])
				v->cnt[2]++;
			else
				v->cnt[(col->mask[r] >> j) & 1]++;
		}
		/* The options share their n: one component. */
		if (g->nv - 1 > first)
			unite(g, (int)first, (int)(g->nv - 1));
	}
}

/* Is there a published table or summary to audit in rv? */
static int
has_protected(const struct rel_var *rv)
{
	if (rv->n.st == REL_BELOW_K)
		return 1;
	for (size_t i = 0; i < rv->nrows; i++)
		if (rv->rows[i].count.st == REL_HIDDEN)
			return 1;
	for (size_t i = 0; rv->has_hist && i < rv->hist.nb; i++)
		if (rv->hist.counts[i].st == REL_HIDDEN)
			return 1;
	return rv->freq_total.st == REL_HIDDEN;
}

/*
 * Derived variable dv is a function of one variable: find it by probing
 * the form's scoring with only that variable answered, then check the
 * mapping on the true counts (the data must satisfy it).
 */
static void
link_derived(struct gate *g, int dgv, struct form_answers *a)
{
	struct gv *d = &g->v[dgv];
	const struct form_score *sc = g->f->vars[d->iv].score;

	if (sc == NULL || (sc->kind != FORM_SCORE_CRITERIA &&
	    sc->kind != FORM_SCORE_BANDS))
		return;
	for (size_t vv = 0; vv < g->nv; vv++) {
		struct gv *v = &g->v[vv];
		int *map, ok = 1;
		uint64_t *sum;
		if ((int)vv == dgv || v->opt >= 0 || v->iv == d->iv ||
		    (sc->kind == FORM_SCORE_BANDS && v->iv != sc->of))
			continue;
		if ((map = malloc((v->nval + 1) * sizeof(*map))) == NULL ||
		    (sum = calloc(d->nval + 1, sizeof(*sum))) == NULL) {
			free(map);
			g->bad = 1;
			return;
		}
		for (size_t at = 0; at <= v->nval && ok; at++) {
			long x = v->lo + (long)at, dv = 0;
			int unset = 1;
			form_answers_clear(a, v->iv);
			if (at < v->nval) {
				a->v[v->iv].set = 1;
				a->v[v->iv].i = x;
				a->v[v->iv].r = (double)x;
			}
			if (sc->kind == FORM_SCORE_CRITERIA) {
				enum form_tri t = form_cond_eval(sc->when, a);
				if (t != FORM_UNKNOWN) {
					unset = 0;
					dv = t == FORM_TRUE;
				}
			} else if (at < v->nval && v->known[at]) {
				while ((size_t)dv < sc->ncuts &&
				    (double)x >= sc->cuts[dv])
					dv++;
				unset = 0;
			}
			if (unset)
				map[at] = (int)d->nval;
			else if (dv >= d->lo && dv - d->lo < (long)d->nval)
				map[at] = (int)(dv - d->lo);
			else
				ok = 0;
			form_answers_clear(a, v->iv);
		}
		/*
		 * Every value of d must come from v alone: unset v giving a
		 * set d means other variables count.
		 */
		for (size_t at = 0; ok && at <= v->nval; at++)
			sum[map[at]] += v->cnt[at];
		for (size_t at = 0; ok && at <= d->nval; at++)
			if (sum[at] != d->cnt[at])
				ok = 0;
		free(sum);
		if (!ok) {
			free(map);
			continue;
		}
		if (g->nlinks % 16 == 0) {
			struct glink *n = realloc(g->links, (g->nlinks + 16) *
			    sizeof(*n));
			if (n == NULL) {
				free(map);
				g->bad = 1;
				return;
			}
			g->links = n;
		}
		g->links[g->nlinks++] = (struct glink){dgv, (int)vv, map};
		unite(g, dgv, (int)vv);
		return;
	}
}

/* The sum of the known values of v's atoms in the true data. */
static long long
true_sum(const struct gv *v)
{
	long long s = 0;

	if (v->opt >= 0)
		return (long long)v->cnt[1];
	for (size_t a = 0; a < v->nval; a++)
		if (v->known[a])
			s += (v->lo + (long)a) * (long long)v->cnt[a];
	return s;
}

/*
 * Sum score dgv and its items: every item must be an audit variable (an
 * integer item with its table, or the options of a multiple choice, of
 * which the exclusive ones count nothing), and the identity must hold in
 * the data (it does whenever no row of the score was prorated and no row
 * without the score has an item answered; the form says which, so an
 * attacker may know it). Then the sums are one fact and the score and its
 * items one component.
 */
static void
link_sum(struct gate *g, int dgv)
{
	const struct form_score *sc = g->f->vars[g->v[dgv].iv].score;
	size_t cap = 0, nt = 0;
	long long rhs = 0;
	int *t;

	if (sc == NULL || sc->kind != FORM_SCORE_SUM || g->v[dgv].opt >= 0)
		return;
	for (size_t i = 0; i < sc->nitems; i++)
		cap += g->f->vars[sc->items[i]].type == FORM_T_SET ? 64 : 1;
	if ((t = malloc((cap ? cap : 1) * sizeof(*t))) == NULL) {
		g->bad = 1;
		return;
	}
	for (size_t i = 0; i < sc->nitems; i++) {
		size_t iv = sc->items[i], found = 0;
		const struct form_var *fv = &g->f->vars[iv];
		if (fv->type == FORM_T_INT && g->var_gv[iv] >= 0) {
			t[nt++] = g->var_gv[iv];
			continue;
		}
		if (fv->type != FORM_T_SET || fv->item == NULL)
			goto skip;
		for (size_t vv = 0; vv < g->nv; vv++) {
			const struct gv *o = &g->v[vv];
			if (o->iv != iv || o->opt < 0)
				continue;
			found++;
			if ((size_t)o->opt < fv->item->nchoices &&
			    !fv->item->choices[o->opt].exclusive)
				t[nt++] = (int)vv;
		}
		if (found < fv->item->nchoices)
			goto skip; /* an option without its own counts */
	}
	for (size_t i = 0; i < nt; i++)
		rhs += true_sum(&g->v[t[i]]);
	if (nt == 0 || true_sum(&g->v[dgv]) != rhs)
		goto skip;
	if (g->nsums % 16 == 0) {
		struct gsum *n = realloc(g->sums, (g->nsums + 16) *
		    sizeof(*n));
		if (n == NULL) {
			g->bad = 1;
			goto skip;
		}
		g->sums = n;
	}
	g->sums[g->nsums++] = (struct gsum){dgv, t, nt};
	for (size_t i = 0; i < nt; i++)
		unite(g, dgv, t[i]);
	return;
skip:
	free(t);
}

/* The columns of component root's integer program. */
static int
comp_cols(struct gate *g, int root)
{
	int n = 0;

	for (size_t i = 0; i < g->nv; i++)
		if (find(g, (int)i) == root)
			n += (int)g->v[i].nval + 1;
	return n;
}

/* Withhold rv's n, missing, table total and percentages, by rule. */
static void
withhold_total(struct gate *g, struct rel_var *rv, const char *parent)
{
	char what[200];

	if (!rel_count_shown(&rv->n) && !rel_count_shown(&rv->freq_total))
		return;
	rel_withhold_count(&rv->n);
	rel_withhold_count(&rv->missing);
	rel_withhold_count(&rv->freq_total);
	for (size_t j = 0; j < rv->nrows; j++) {
		rel_withhold_num(&rv->rows[j].percent);
		rel_withhold_num(&rv->rows[j].ci_lo);
		rel_withhold_num(&rv->rows[j].ci_hi);
	}
	snprintf(what, sizeof(what), "%s: n and missing, the table's total and "
	    "its percentages", rv->name);
	note(g, what, "it is asked only after an answer to %s, whose count "
	    "is hidden: its total would give that count back", parent);
}

/* Is it shown with a holding only p's value (mask for a multiple)? */
static int
shown_with(struct gate *g, const struct form_item *it, struct form_answers *a,
    size_t ip, int set, long x, uint64_t mask)
{
	int r;

	form_answers_clear(a, ip);
	if (set) {
		a->v[ip].set = 1;
		a->v[ip].i = x;
		a->v[ip].r = (double)x;
		a->v[ip].mask = mask;
	}
	r = form_item_visible(g->f, it, a);
	form_answers_clear(a, ip);
	return r;
}

/*
 * The audit variable of multiple choice ip whose option alone decides
 * item it (its atoms: 0 not ticked, 1 ticked, 2 unset), with on[] set;
 * -1 when the condition reads more than one option.
 */
static int
shown_option(struct gate *g, const struct form_item *it,
    struct form_answers *a, size_t ip, uint8_t on[3])
{
	const struct form_var *pv = &g->f->vars[ip];
	uint64_t all;

	if (pv->item == NULL || pv->item->nchoices == 0 ||
	    pv->item->nchoices > 64)
		return -1;
	all = pv->item->nchoices == 64 ? ~0ULL :
	    (1ULL << pv->item->nchoices) - 1;
	for (size_t vv = 0; vv < g->nv; vv++) {
		const struct gv *o = &g->v[vv];
		uint64_t bit;
		int r0, r1;
		if (o->iv != ip || o->opt < 0)
			continue;
		bit = 1ULL << o->opt;
		r0 = shown_with(g, it, a, ip, 1, 0, 0);
		r1 = shown_with(g, it, a, ip, 1, 0, bit);
		if (r0 == r1 || shown_with(g, it, a, ip, 1, 0, all & ~bit) !=
		    r0 || shown_with(g, it, a, ip, 1, 0, all) != r1)
			continue;
		on[0] = (uint8_t)r0;
		on[1] = (uint8_t)r1;
		on[2] = (uint8_t)shown_with(g, it, a, ip, 0, 0, 0);
		return (int)vv;
	}
	return -1;
}

/*
 * Follow-up vgv (an item's variable, or the first option of a multiple
 * choice: the options share their set rows) and the variable its
 * condition reads. The form is public, so the attacker knows the rule;
 * it is used only where the data keep it.
 */
static void
link_shown(struct gate *g, int vgv, struct form_answers *a)
{
	const struct gv *v = &g->v[vgv];
	const struct form_item *it = g->f->vars[v->iv].item;
	struct gshow sh;
	size_t ip = 0, ip2 = 0;
	long long set, on = 0;
	int np, ni;

	if (it == NULL || v->opt > 0)
		return;
	np = form_cond_vars(g->f->pages[it->ipage].show_if, &ip);
	ni = form_cond_vars(it->show_if, &ip2);
	if (np > 1 || ni > 1 || np + ni == 0 || (np == 1 && ni == 1 &&
	    ip != ip2))
		return;
	if (np == 0)
		ip = ip2;
	if (ip == v->iv)
		return;
	memset(&sh, 0, sizeof(sh));
	sh.v = vgv;
	if (g->f->vars[ip].type == FORM_T_SET) {
		if ((sh.on = calloc(3, 1)) == NULL) {
			g->bad = 1;
			return;
		}
		sh.p = shown_option(g, it, a, ip, sh.on);
	} else if (g->f->vars[ip].type == FORM_T_INT &&
	    (sh.p = g->var_gv[ip]) >= 0) {
		const struct gv *p = &g->v[sh.p];
		if ((sh.on = calloc(p->nval + 1, 1)) == NULL) {
			g->bad = 1;
			return;
		}
		for (size_t at = 0; at <= p->nval; at++)
			sh.on[at] = (uint8_t)shown_with(g, it, a, ip,
			    at < p->nval, p->lo + (long)at, 0);
	} else
		sh.p = -1;
	if (sh.p < 0) {
		free(sh.on);
		return;
	}
	set = (long long)(g->d->n - v->cnt[v->nval]);
	for (size_t at = 0; at <= g->v[sh.p].nval; at++)
		if (sh.on[at])
			on += (long long)g->v[sh.p].cnt[at];
	if (set > on) {
		free(sh.on);
		return; /* the data do not keep the rule (an import) */
	}
	sh.eq = set == on && it->required;
	sh.onv = on;
	sh.set = set;
	if (find(g, vgv) != find(g, sh.p) && comp_cols(g, find(g, vgv)) +
	    comp_cols(g, find(g, sh.p)) > GATE_JOIN_MAX) {
		/*
		 * Too large to solve as one: whichever side publishes its
		 * count exactly gives it to the other as a constant; when
		 * neither does, the follow-up's total goes, by rule.
		 */
		if (!has_protected(g->v[sh.p].rv))
			sh.side = 1;
		else if (!has_protected(v->rv) && v->rv->has_freq)
			sh.side = 2;
		else {
			withhold_total(g, v->rv, g->v[sh.p].rv->name);
			free(sh.on);
			return;
		}
	}
	if (g->nshows % 16 == 0) {
		struct gshow *n = realloc(g->shows, (g->nshows + 16) *
		    sizeof(*n));
		if (n == NULL) {
			free(sh.on);
			g->bad = 1;
			return;
		}
		g->shows = n;
	}
	g->shows[g->nshows++] = sh;
	if (sh.side == 0)
		unite(g, vgv, sh.p);
}

static void
build_groups(struct gate *g)
{
	const struct plan *p = g->p;

	if ((g->grp = calloc(p->ngroups + 1, sizeof(*g->grp))) == NULL) {
		g->bad = 1;
		return;
	}
	for (size_t i = 0; i < p->ngroups && i < g->m->ngroups; i++) {
		struct ggrp *gg = &g->grp[g->ngrp++];
		uint64_t na, nb, both;
		size_t ia, ib;
		gg->rg = &g->m->groups[i];
		gg->ig = i;
		gg->gv = -1;
		if ((gg->memb = report_group_members(g->d, &p->groups[i], &na,
		    &nb, &both)) == NULL) {
			g->bad = 1;
			return;
		}
		gg->rest = (long long)(g->d->n - na - nb);
		if (plan_cond_single_var(p->groups[i].a, &ia) &&
		    plan_cond_single_var(p->groups[i].b, &ib) && ia == ib &&
		    g->var_gv[ia] >= 0) {
			struct gv *v = &g->v[g->var_gv[ia]];
			if ((gg->side = calloc(v->nval + 1, 1)) == NULL) {
				g->bad = 1;
				return;
			}
			for (size_t at = 0; at <= v->nval; at++) {
				int set = at < v->nval;
				int known = set && v->known[at];
				double x = (double)(v->lo + (long)at);
				gg->side[at] = (uint8_t)(
				    (plan_cond_eval_value(p->groups[i].a, set,
				    known, x) == FORM_TRUE) |
				    (plan_cond_eval_value(p->groups[i].b, set,
				    known, x) == FORM_TRUE) << 1);
			}
			gg->gv = g->var_gv[ia];
		}
	}
}

/* The split of each compared outcome into group a, b and the rest. */
static void
build_comparisons(struct gate *g)
{
	struct rel_report *m = g->m;

	if ((g->cmp = calloc(m->ncmps + 1, sizeof(*g->cmp))) == NULL) {
		g->bad = 1;
		return;
	}
	for (size_t i = 0; i < m->ncmps; i++) {
		struct rel_cmp *c = &m->cmps[i];
		int y = g->var_gv[c->iv];
		struct ggrp *gg = &g->grp[c->igroup];
		struct gcmp *x;
		struct gv *v;
		if (y < 0 || m->groups[c->igroup].withheld != NULL)
			continue;
		v = &g->v[y];
		x = &g->cmp[g->ncmp++];
		x->rc = c;
		x->gv = y;
		x->grp = (int)c->igroup;
		for (int s = 0; s < 3; s++)
			if ((x->x[s] = calloc(v->nval + 1, sizeof(uint64_t))) ==
			    NULL) {
				g->bad = 1;
				return;
			}
		for (size_t r = 0; r < g->d->n; r++) {
			long code;
			int s = gg->memb[r] == 1 ? 0 : gg->memb[r] == 2 ? 1 : 2;
			size_t at = v->nval;
			if (ds_set(g->d, v->iv, r) && ds_code(g->d, v->iv, r,
			    &code) && code >= v->lo && code < v->lo +
			    (long)v->nval)
				at = (size_t)(code - v->lo);
			x->x[s][at]++;
		}
	}
}

/* ---- pass 3: the integer program of one component ---- */

static int
add_cols(struct gate *g, int n)
{
	int c = glp_add_cols(g->lp, n);

	for (int j = c; j < c + n; j++) {
		glp_set_col_kind(g->lp, j, GLP_IV);
		glp_set_col_bnds(g->lp, j, GLP_LO, 0.0, 0.0);
	}
	return c;
}

/* A row lo <= sum coef * col <= hi (hi < lo: "at least lo"). */
static void
add_row(struct gate *g, int n, const int *col, const double *coef,
    double lo, double hi)
{
	int r = glp_add_rows(g->lp, 1);
	int ind[ATOMS_MAX * 2 + 2];
	double val[ATOMS_MAX * 2 + 2];

	for (int i = 0; i < n && i < ATOMS_MAX * 2; i++) {
		ind[i + 1] = col[i];
		val[i + 1] = coef[i];
	}
	glp_set_mat_row(g->lp, r, n < ATOMS_MAX * 2 ? n : ATOMS_MAX * 2, ind,
	    val);
	if (lo <= -1e29)
		glp_set_row_bnds(g->lp, r, GLP_UP, 0.0, hi);
	else if (hi < lo)
		glp_set_row_bnds(g->lp, r, GLP_LO, lo, 0.0);
	else if (hi == lo)
		glp_set_row_bnds(g->lp, r, GLP_FX, lo, lo);
	else
		glp_set_row_bnds(g->lp, r, GLP_DB, lo, hi);
}

static void
add_pform(struct gate *g, int n, const int *col, const double *coef,
    long long truev)
{
	struct pform *p;

	if (g->npf == g->cappf) {
		size_t nc = g->cappf ? g->cappf * 2 : 32;
		struct pform *a = realloc(g->pf, nc * sizeof(*a));
		if (a == NULL) {
			g->bad = 1;
			return;
		}
		g->pf = a;
		g->cappf = nc;
	}
	p = &g->pf[g->npf++];
	p->ncol = n > 4 ? 4 : n;
	p->nhave = 0;
	for (int i = 0; i < p->ncol; i++) {
		p->col[i] = col[i];
		p->coef[i] = coef[i];
	}
	p->truev = truev;
}

/* One cell: shown = fixed, hidden = >= 1 and protected, below k = 1..k-1. */
static void
fact_cell(struct gate *g, int col, const struct rel_count *x, long long truev,
    int table_only)
{
	double one = 1;

	(void)table_only;
	switch (x->st) {
	case REL_SHOWN:
		add_row(g, 1, &col, &one, (double)x->v, (double)x->v);
		break;
	case REL_HIDDEN:
		add_row(g, 1, &col, &one, 1, 0);
		add_pform(g, 1, &col, &one, truev);
		break;
	case REL_BELOW_K:
		add_row(g, 1, &col, &one, 1, (double)(g->k - 1));
		add_pform(g, 1, &col, &one, truev);
		break;
	default:
		break;
	}
}

/* A sum of columns against a count; protected when hidden or below k. */
static void
fact_sum(struct gate *g, int n, const int *col, const struct rel_count *x,
    long long truev)
{
	double ones[ATOMS_MAX * 2];
	int extra;

	for (int i = 0; i < n; i++)
		ones[i] = 1;
	if (n == 1) {
		fact_cell(g, col[0], x, truev, 0);
		return;
	}
	switch (x->st) {
	case REL_SHOWN:
		add_row(g, n, col, ones, (double)x->v, (double)x->v);
		return;
	case REL_HIDDEN:
	case REL_BELOW_K:
		/* A protected sum: one more column equal to it. */
		extra = add_cols(g, 1);
		{
			int c2[ATOMS_MAX * 2 + 1];
			double v2[ATOMS_MAX * 2 + 1];
			for (int i = 0; i < n; i++) {
				c2[i] = col[i];
				v2[i] = 1;
			}
			c2[n] = extra;
			v2[n] = -1;
			add_row(g, n + 1, c2, v2, 0, 0);
		}
		fact_cell(g, extra, x, truev, 0);
		return;
	default:
		return;
	}
}

/* Rank constraints: quantile q of the n known values of cols. */
static void
fact_quantile(struct gate *g, const struct gv *v, const int *cols,
    const uint64_t *cnt, long long n, double prob)
{
	int c[ATOMS_MAX];
	double one[ATOMS_MAX];
	double h = (double)(n - 1) * prob;
	long long j = (long long)floor(h), acc = 0;
	size_t a, at_j = 0, at_j1 = 0;
	int nc;

	if (n < 1)
		return;
	/* The true order statistics x_(j) and x_(j+1) (0-based). */
	for (a = 0, acc = 0; a < v->nval; a++) {
		if (!v->known[a])
			continue;
		if (acc <= j && j < acc + (long long)cnt[a])
			at_j = a;
		if (acc <= j + 1 && j + 1 < acc + (long long)cnt[a])
			at_j1 = a;
		acc += (long long)cnt[a];
	}
	if (j + 1 >= n)
		at_j1 = at_j;
	for (int w = 0; w < 2; w++) {
		size_t at = w == 0 ? at_j : at_j1;
		long long pos = w == 0 ? j : j + 1;
		if (w == 1 && h == (double)j)
			break;
		/* F(< at) <= pos and F(<= at) >= pos + 1. */
		nc = 0;
		for (a = 0; a < at; a++)
			if (v->known[a]) {
				c[nc] = cols[a];
				one[nc++] = 1;
			}
		if (nc > 0)
			add_row(g, nc, c, one, 0, (double)pos);
		c[nc] = cols[at];
		one[nc++] = 1;
		add_row(g, nc, c, one, (double)(pos + 1), 0);
	}
}

static int agrees(const struct rel_num *p, double x);

/*
 * Would n values of sum s1 and sum of squares s2 publish the same
 * rounded mean, SD and interval? (As stats_describe_counts() and
 * rel_round(); each solution is still checked on its counts.)
 */
static int
rounds_same(long long n, long long s1, long long s2,
    const struct rel_num *mean, const struct rel_num *sd,
    const struct rel_num *ci_lo, const struct rel_num *ci_hi)
{
	long double m = (long double)s1 / (long double)n, var;

	/* A rounded interval is computed from the rounded mean and SD. */
	(void)ci_lo;
	(void)ci_hi;
	if (!agrees(mean, (double)m))
		return 0;
	if (n < 2)
		return 1;
	var = ((long double)s2 - (long double)s1 * m) / (long double)(n - 1);
	if (var < 0)
		return 0;
	return agrees(sd, (double)sqrtl(var));
}

/* The largest d in [0, max] with ok(d) true, ok monotone, ok(0) true. */
static long long
widest(long long max, int (*ok)(long long d, void *arg), void *arg)
{
	long long lo = 0, hi = max;

	while (lo < hi) {
		long long mid = lo + (hi - lo + 1) / 2;
		if (ok(mid, arg))
			lo = mid;
		else
			hi = mid - 1;
	}
	return lo;
}

#define SUMS_MAX 256 /* sums tried around the true one */

struct qarg {
	long long n, s1, q0, dir;
	const struct rel_num *mean, *sd, *ci_lo, *ci_hi;
};

static int
ok_q(long long d, void *arg)
{
	struct qarg *b = arg;

	return rounds_same(b->n, b->s1, b->q0 + b->dir * d, b->mean, b->sd,
	    b->ci_lo, b->ci_hi);
}

/*
 * The sums of squares q with which n values of sum s1 publish the same
 * rounded figures: an interval (each figure is monotone in q for a fixed
 * sum). 1 with [*qlo, *qhi], or 0 when there is none.
 */
static int
q_interval(long long n, long long s1, const struct rel_num *mean,
    const struct rel_num *sd, const struct rel_num *ci_lo,
    const struct rel_num *ci_hi, long long span, long long *qlo,
    long long *qhi)
{
	struct qarg b = {n, s1, 0, 0, mean, sd, ci_lo, ci_hi};
	long double c = (long double)s1 * s1 / (long double)n;
	long long q0;
	int found = 0;

	if (rel_num_shown(sd) && n >= 2)
		c += (long double)(n - 1) * sd->v * sd->v;
	q0 = (long long)llroundl(c);
	for (long long d = 0; d <= 64 && !found; d++)
		for (int s = -1; s <= 1 && !found; s += 2)
			if (rounds_same(n, s1, q0 + s * d, mean, sd, ci_lo,
			    ci_hi)) {
				q0 += s * d;
				found = 1;
			}
	if (!found)
		return 0;
	b.q0 = q0;
	b.dir = -1;
	*qlo = q0 - widest(span, ok_q, &b);
	b.dir = 1;
	*qhi = q0 + widest(span, ok_q, &b);
	return 1;
}

/*
 * Rounded figures, exactly: the sum is one of the integers that round to
 * the published mean (the SUMS_MAX nearest the true sum: searching part
 * of the attacker's set proves less, never more), chosen by binary
 * columns z; for each, the sum of squares lies in its interval.
 *   sum = sum_i s_i z_i,  sum z_i = 1,
 *   sum_i qlo_i z_i <= squares <= sum_i qhi_i z_i.
 */
static void
fact_rounded(struct gate *g, const struct gv *v, int nc, const int *c,
    const double *w1, const double *w2, long long n, long long s1,
    const struct rel_num *mean, const struct rel_num *sd,
    const struct rel_num *ci_lo, const struct rel_num *ci_hi)
{
	long long span = (long long)(v->nval + (size_t)labs(v->lo)), ss[SUMS_MAX];
	long long ql[SUMS_MAX], qh[SUMS_MAX];
	int nz = 0, z0, cols[ATOMS_MAX + SUMS_MAX + 1];
	double val[ATOMS_MAX + SUMS_MAX + 1];

	span = span * span * n + 1;
	/* Sums nearest the true one first, in both directions. */
	for (long long d = 0; nz < SUMS_MAX && d <= n * (long long)(v->nval +
	    (size_t)labs(v->lo)); d++) {
		int any = 0;
		for (int sg = -1; sg <= 1 && nz < SUMS_MAX; sg += 2) {
			long long t = s1 + sg * d;
			if (d == 0 && sg > 0)
				continue;
			if (!agrees(mean, (double)((long double)t /
			    (long double)n)))
				continue;
			any = 1;
			if (q_interval(n, t, mean, sd, ci_lo, ci_hi, span,
			    &ql[nz], &qh[nz]))
				ss[nz++] = t;
		}
		if (!any && d > 0)
			break;
	}
	if (nz == 0)
		return; /* cannot happen: the true sums agree */
	z0 = glp_add_cols(g->lp, nz);
	for (int i = 0; i < nz; i++) {
		glp_set_col_kind(g->lp, z0 + i, GLP_BV);
		cols[i] = z0 + i;
		val[i] = 1;
	}
	add_row(g, nz, cols, val, 1, 1);
	for (int pass = 0; pass < 3; pass++) {
		int k = 0;
		for (int i = 0; i < nc; i++) {
			cols[k] = c[i];
			val[k++] = pass == 0 ? w1[i] : w2[i];
		}
		for (int i = 0; i < nz; i++) {
			cols[k] = z0 + i;
			val[k++] = -(double)(pass == 0 ? ss[i] : pass == 1 ?
			    ql[i] : qh[i]);
		}
		if (pass == 0)
			add_row(g, k, cols, val, 0, 0);
		else if (pass == 1 && n >= 2)
			add_row(g, k, cols, val, 0, 0 - 1); /* >= 0 */
		else if (n >= 2)
			add_row(g, k, cols, val, -1e30, 0);
	}
}

/* Sum and sum of squares of the known values; exact or a box. */
static void
fact_moments(struct gate *g, const struct gv *v, const int *cols,
    const uint64_t *cnt, const struct rel_num *mean, const struct rel_num *sd,
    const struct rel_num *ci_lo, const struct rel_num *ci_hi, long long n)
{
	int c[ATOMS_MAX];
	double w1[ATOMS_MAX], w2[ATOMS_MAX];
	long long s1 = 0, s2 = 0;
	int nc = 0;

	for (size_t a = 0; a < v->nval; a++) {
		double x = (double)(v->lo + (long)a);
		if (!v->known[a])
			continue;
		c[nc] = cols[a];
		w1[nc] = x;
		w2[nc++] = x * x;
		s1 += (long long)cnt[a] * (v->lo + (long)a);
		s2 += (long long)cnt[a] * (v->lo + (long)a) * (v->lo + (long)a);
	}
	if (nc == 0 || n < 1)
		return;
	if (!rel_num_shown(mean))
		return;
	if (mean->dp < 0) {
		add_row(g, nc, c, w1, (double)s1, (double)s1);
		if (rel_num_shown(sd) && n >= 2)
			add_row(g, nc, c, w2, (double)s2, (double)s2);
		return;
	}
	fact_rounded(g, v, nc, c, w1, w2, n, s1, mean, sd, ci_lo, ci_hi);
	g->verify_needed = 1;
}

/* min and max: what lies outside them is 0, their cells are >= 1. */
static void
fact_minmax(struct gate *g, const struct gv *v, const int *cols,
    const struct rel_summary *s)
{
	double one = 1;

	for (size_t a = 0; a < v->nval; a++) {
		double x = (double)(v->lo + (long)a);
		if (!v->known[a])
			continue;
		if ((rel_num_shown(&s->min) && x < s->min.v) ||
		    (rel_num_shown(&s->max) && x > s->max.v))
			glp_set_col_bnds(g->lp, cols[a], GLP_FX, 0, 0);
		if ((rel_num_shown(&s->min) && x == s->min.v) ||
		    (rel_num_shown(&s->max) && x == s->max.v))
			add_row(g, 1, &cols[a], &one, 1, 0);
	}
}

/* Columns of variable v: v->col .. v->col + nval. */
static void
facts_var(struct gate *g, struct gv *v, int table_only)
{
	struct rel_var *rv = v->rv;
	int cols[ATOMS_MAX + 1], all[ATOMS_MAX + 1], nall = 0, nk = 0;
	int kc[ATOMS_MAX + 1];
	long long n = 0;
	double ones[ATOMS_MAX + 1];
	const struct rel_summary *s = &rv->sum;

	for (size_t a = 0; a <= v->nval; a++) {
		cols[a] = v->col + (int)a;
		ones[a] = 1;
		all[nall++] = cols[a];
		if (a < v->nval && !v->valid[a])
			glp_set_col_bnds(g->lp, cols[a], GLP_FX, 0, 0);
		if (a < v->nval && v->known[a]) {
			kc[nk++] = cols[a];
			n += (long long)v->cnt[a];
		}
	}
	/* Every row of the data has exactly one atom. */
	add_row(g, nall, all, ones, (double)g->d->n, (double)g->d->n);
	if (v->always_set)
		glp_set_col_bnds(g->lp, cols[v->nval], GLP_FX, 0, 0);
	if (v->opt >= 0) {
		fact_cell(g, cols[1], &rv->rows[v->opt].count,
		    (long long)v->cnt[1], table_only);
		if (!table_only)
			fact_sum(g, 2, cols, &rv->n, (long long)(v->cnt[0] +
			    v->cnt[1]));
		return;
	}
	if (!table_only)
		fact_sum(g, nk, kc, &rv->n, n);
	if (rv->has_freq) {
		int tc[ATOMS_MAX];
		int nt = 0;
		for (size_t i = 0; i < rv->nrows; i++) {
			long a = rv->rows[i].value - v->lo;
			if (a < 0 || a >= (long)v->nval)
				continue;
			fact_cell(g, cols[a], &rv->rows[i].count,
			    (long long)v->cnt[a], table_only);
			tc[nt++] = cols[a];
		}
		fact_sum(g, nt, tc, &rv->freq_total,
		    (long long)(g->d->n - v->cnt[v->nval]));
	}
	/* A bin is the sum of the known values inside it. */
	for (size_t i = 0; rv->has_hist && i < rv->hist.nb; i++) {
		int bc[ATOMS_MAX];
		int nb = 0;
		long long t = 0;
		for (size_t a = 0; a < v->nval; a++) {
			double x = (double)(v->lo + (long)a);
			if (!v->known[a] || x < rv->hist.breaks[i] ||
			    (x >= rv->hist.breaks[i + 1] && i + 1 < rv->hist.nb) ||
			    x > rv->hist.breaks[i + 1])
				continue;
			bc[nb++] = cols[a];
			t += (long long)v->cnt[a];
		}
		if (nb > 0)
			fact_sum(g, nb, bc, &rv->hist.counts[i], t);
	}
	if (table_only || rv->sum_state != REL_SUM_SHOWN)
		return;
	fact_moments(g, v, cols, v->cnt, &s->mean, &s->sd, &s->ci_lo,
	    &s->ci_hi, n);
	if (rel_num_shown(&s->median))
		fact_quantile(g, v, cols, v->cnt, n, 0.5);
	if (rel_num_shown(&s->q1))
		fact_quantile(g, v, cols, v->cnt, n, 0.25);
	if (rel_num_shown(&s->q3))
		fact_quantile(g, v, cols, v->cnt, n, 0.75);
	fact_minmax(g, v, cols, s);
	if ((rel_num_shown(&s->ci_lo) && s->ci_lo.dp >= 0) ||
	    (rel_num_shown(&s->ci_hi) && s->ci_hi.dp >= 0))
		g->verify_needed = 1;
}

static void
facts_link(struct gate *g, const struct glink *l)
{
	struct gv *d = &g->v[l->d], *v = &g->v[l->v];
	int c[ATOMS_MAX + 2];
	double w[ATOMS_MAX + 2];

	for (size_t da = 0; da <= d->nval; da++) {
		int n = 0;
		for (size_t at = 0; at <= v->nval; at++)
			if (l->map[at] == (int)da) {
				c[n] = v->col + (int)at;
				w[n++] = 1;
			}
		c[n] = d->col + (int)da;
		w[n++] = -1;
		add_row(g, n, c, w, 0, 0);
	}
}

/* The sum of a score's values is the sum of its items' values. */
static void
facts_sum(struct gate *g, const struct gsum *s)
{
	int *c;
	double *w;
	size_t cap = g->v[s->d].nval, n = 0;

	for (size_t i = 0; i < s->nterms; i++)
		cap += g->v[s->terms[i]].nval;
	if (cap > ATOMS_MAX * 2)
		return; /* add_row()'s limit; the fact is left out */
	c = malloc((cap + 1) * sizeof(*c));
	w = malloc((cap + 1) * sizeof(*w));
	if (c == NULL || w == NULL) {
		free(c);
		free(w);
		g->bad = 1;
		return;
	}
	for (size_t i = 0; i <= s->nterms; i++) {
		const struct gv *v = &g->v[i == 0 ? s->d : s->terms[i - 1]];
		double sign = i == 0 ? 1 : -1;
		if (v->opt >= 0) {
			c[n] = v->col + 1;
			w[n++] = sign;
			continue;
		}
		for (size_t a = 0; a < v->nval; a++) {
			long x = v->lo + (long)a;
			if (!v->known[a] || x == 0)
				continue;
			c[n] = v->col + (int)a;
			w[n++] = sign * (double)x;
		}
	}
	add_row(g, (int)n, c, w, 0, 0);
	free(c);
	free(w);
}

/* The rows with a follow-up set are among those its condition shows. */
static void
facts_shown(struct gate *g, const struct gshow *sh)
{
	const struct gv *v = &g->v[sh->v], *p = &g->v[sh->p];
	int c[2 * ATOMS_MAX + 2];
	double w[2 * ATOMS_MAX + 2];
	int n = 0;

	if (v->nval + p->nval + 1 > 2 * ATOMS_MAX)
		return;
	if (sh->side != 2 && v->col > 0)
		for (size_t at = 0; at < v->nval; at++) {
			c[n] = v->col + (int)at;
			w[n++] = 1;
		}
	if (sh->side != 1 && p->col > 0)
		for (size_t at = 0; at <= p->nval; at++)
			if (sh->on[at]) {
				c[n] = p->col + (int)at;
				w[n++] = -1;
			}
	if (n == 0)
		return;
	if (sh->side == 1) /* answered <= (or =) the published count */
		add_row(g, n, c, w, sh->eq ? (double)sh->onv : -1e30,
		    (double)sh->onv);
	else if (sh->side == 2) /* -on <= -answered */
		add_row(g, n, c, w, sh->eq ? -(double)sh->set : -1e30,
		    -(double)sh->set);
	else
		add_row(g, n, c, w, sh->eq ? 0 : -1e30, 0);
}

/* The sizes of a group defined on a variable of this component. */
static void
facts_group(struct gate *g, const struct ggrp *gg)
{
	struct gv *v = &g->v[gg->gv];
	int c[ATOMS_MAX + 1];
	const struct rel_count *sz[3] = {&gg->rg->n_a, &gg->rg->n_b,
	    &gg->rg->in_both};
	const int bit[3] = {1, 2, 3};

	if (gg->rg->withheld != NULL)
		return;
	for (int s = 0; s < 3; s++) {
		int n = 0;
		long long t = 0;
		for (size_t at = 0; at <= v->nval; at++)
			if (gg->side[at] == bit[s]) {
				c[n++] = v->col + (int)at;
				t += (long long)v->cnt[at];
			}
		if (n > 0)
			fact_sum(g, n, c, sz[s], t);
	}
}

/* The split of outcome y into a, b and the rest, and what is published. */
static void
facts_cmp(struct gate *g, struct gcmp *x)
{
	struct gv *v = &g->v[x->gv];
	struct rel_cmp *c = x->rc;
	struct ggrp *gg = &g->grp[x->grp];
	int col[4 * ATOMS_MAX + 4];
	double w[4 * ATOMS_MAX + 4];
	int kc[3][ATOMS_MAX + 1], nk = 0, all[3][ATOMS_MAX + 1];
	long long nn[3] = {0, 0, 0}, tot[3] = {0, 0, 0};
	const struct rel_count *grs[2] = {&gg->rg->n_a, &gg->rg->n_b};
	const struct rel_count *nab[2] = {&c->n_a, &c->n_b};
	const struct rel_brief *br[2] = {&c->a, &c->b};
	static const struct rel_num none = {0, REL_NONE, REL_EXACT};

	x->col = add_cols(g, 3 * (int)(v->nval + 1));
	for (size_t at = 0; at <= v->nval; at++) {
		for (int s = 0; s < 3; s++) {
			col[s] = x->col + s * (int)(v->nval + 1) + (int)at;
			w[s] = 1;
			all[s][at] = col[s];
			tot[s] += (long long)x->x[s][at];
			if (at < v->nval && v->known[at]) {
				kc[s][nk] = col[s];
				nn[s] += (long long)x->x[s][at];
			}
			/* An outcome that defines the group: its sides. */
			if (gg->gv == x->gv && s < 2 && !(gg->side[at] ==
			    (s == 0 ? 1 : 2)))
				glp_set_col_bnds(g->lp, col[s], GLP_FX, 0, 0);
		}
		if (at < v->nval && v->known[at])
			nk++;
		col[3] = v->col + (int)at;
		w[3] = -1;
		add_row(g, 4, col, w, 0, 0);
	}
	for (int s = 0; s < 2; s++) {
		fact_sum(g, (int)v->nval + 1, all[s], grs[s], tot[s]);
		fact_sum(g, nk, kc[s], nab[s], nn[s]);
	}
	if (c->has_desc) {
		for (int s = 0; s < 2; s++) {
			int cols[ATOMS_MAX + 1];
			for (size_t at = 0; at <= v->nval; at++)
				cols[at] = x->col + s * (int)(v->nval + 1) +
				    (int)at;
			fact_moments(g, v, cols, x->x[s], &br[s]->mean,
			    &br[s]->sd, &none, &none, nn[s]);
			if (rel_num_shown(&br[s]->median))
				fact_quantile(g, v, cols, x->x[s], nn[s], 0.5);
			if (rel_num_shown(&br[s]->q1))
				fact_quantile(g, v, cols, x->x[s], nn[s], 0.25);
			if (rel_num_shown(&br[s]->q3))
				fact_quantile(g, v, cols, x->x[s], nn[s], 0.75);
		}
	}
	/*
	 * Mann-Whitney is not linear in the counts: with it shown, the
	 * solutions searched leave both groups exactly as they are and move
	 * only the rest (a restriction, so what is proven stays proven).
	 */
	if (c->has_mw && rel_num_shown(&c->mw_w))
		for (size_t at = 0; at <= v->nval; at++)
			for (int s = 0; s < 2; s++)
				glp_set_col_bnds(g->lp, x->col + s *
				    (int)(v->nval + 1) + (int)at, GLP_FX,
				    (double)x->x[s][at], (double)x->x[s][at]);
	if (c->has_table) {
		uint8_t in[ATOMS_MAX] = {0};
		for (size_t i = 0; i < c->ncols; i++) {
			long a = c->values[i] - v->lo;
			if (a < 0 || a >= (long)v->nval)
				continue;
			in[a] = 1;
			fact_cell(g, x->col + (int)a, &c->ta[i],
			    (long long)x->x[0][a], 0);
			fact_cell(g, x->col + (int)(v->nval + 1) + (int)a,
			    &c->tb[i], (long long)x->x[1][a], 0);
		}
		/* Known answers left out of the table were given by no one. */
		for (size_t a = 0; a < v->nval; a++)
			if (v->known[a] && !in[a]) {
				glp_set_col_bnds(g->lp, x->col + (int)a, GLP_FX,
				    0, 0);
				glp_set_col_bnds(g->lp, x->col +
				    (int)(v->nval + 1) + (int)a, GLP_FX, 0, 0);
			}
	}
}

/*
 * Build the problem of component comp (its root) from the model now.
 * mode 1: the tables alone (with derived scores); 2: the variables with
 * their summaries, no group; 0: everything.
 */
static void
build(struct gate *g, int comp, int table_only)
{
	if (g->lp != NULL)
		glp_delete_prob(g->lp);
	g->lp = glp_create_prob();
	g->npf = 0;
	g->verify_needed = 0;
	g->comp = comp;
	for (size_t i = 0; i < g->nv; i++) {
		g->v[i].col = 0;
		if (find(g, (int)i) == comp) {
			g->v[i].col = add_cols(g, (int)g->v[i].nval + 1);
			if (getenv("CANDOR_GATE_DEBUG") != NULL)
				for (size_t a = 0; a <= g->v[i].nval; a++) {
					char nm[96];
					snprintf(nm, sizeof(nm), "%s_%ld",
					    g->v[i].rv->name, a < g->v[i].nval ?
					    g->v[i].lo + (long)a : -999L);
					glp_set_col_name(g->lp, g->v[i].col +
					    (int)a, nm);
				}
		}
	}
	for (size_t i = 0; i < g->nv; i++)
		if (g->v[i].col > 0)
			facts_var(g, &g->v[i], table_only == 1);
	for (size_t i = 0; i < g->nlinks; i++)
		if (g->v[g->links[i].d].col > 0)
			facts_link(g, &g->links[i]);
	for (size_t i = 0; i < g->nsums; i++)
		if (g->v[g->sums[i].d].col > 0)
			facts_sum(g, &g->sums[i]);
	/*
	 * Follow-ups link tables to one another through their totals; the
	 * table pass suppresses each table on its own, and what a total
	 * gives away is then withheld by the ladder (ST_N).
	 */
	for (size_t i = 0; table_only != 1 && i < g->nshows; i++) {
		const struct gshow *sh = &g->shows[i];
		if ((sh->side == 0 && g->v[sh->v].col > 0) ||
		    (sh->side == 1 && g->v[sh->v].col > 0) ||
		    (sh->side == 2 && g->v[sh->p].col > 0))
			facts_shown(g, sh);
	}
	if (table_only == 1 || table_only == 2)
		return;
	for (size_t i = 0; i < g->ngrp; i++)
		if (g->grp[i].gv >= 0 && g->v[g->grp[i].gv].col > 0)
			facts_group(g, &g->grp[i]);
	for (size_t i = 0; i < g->ncmp; i++)
		if (g->v[g->cmp[i].gv].col > 0 && g->cmp[i].rc->igroup <
		    g->m->ngroups && g->m->groups[g->cmp[i].rc->igroup].withheld
		    == NULL)
			facts_cmp(g, &g->cmp[i]);
}

/* ---- solving and checking ---- */

/*
 * Branch and bound stops at the first integer solution (any solution
 * proves a value) or after NODES_MAX nodes (a count not settled is not
 * protected).
 */
struct cbinfo {
	int nodes;
	int first; /* stop at the first integer solution */
};

static void
cb_nodes(glp_tree *t, void *info)
{
	struct cbinfo *ci = info;

	if (glp_ios_reason(t) == GLP_IBINGO && ci->first)
		glp_ios_terminate(t);
	else if (glp_ios_reason(t) == GLP_ISELECT && ++ci->nodes > NODES_MAX)
		glp_ios_terminate(t);
}

/* Counts of the known atoms of v in the solution (cols from c0). */
static void
sol_counts(struct gate *g, const struct gv *v, int c0, uint64_t *out)
{
	for (size_t a = 0; a < v->nval; a++) {
		double x = glp_mip_col_val(g->lp, c0 + (int)a);
		out[a] = v->known[a] && x > 0.5 ? (uint64_t)llround(x) : 0;
	}
}

static int
same(double a, double b)
{
	char x[40], y[40];

	snprintf(x, sizeof(x), "%.15g", a);
	snprintf(y, sizeof(y), "%.15g", b);
	return strcmp(x, y) == 0;
}

/* Does a shown, maybe rounded, number agree with value x? */
static int
agrees(const struct rel_num *p, double x)
{
	if (!rel_num_shown(p))
		return 1;
	return same(p->v, p->dp >= 0 ? rel_round_value(x, p->dp) : x);
}

/*
 * Recompute, from the solution, every published number of the component
 * that is not linear in the counts; 1 when they all agree.
 */
static int
verify(struct gate *g)
{
	uint64_t ca[ATOMS_MAX];
	struct stats_desc s;

	for (size_t i = 0; i < g->nv; i++) {
		struct gv *v = &g->v[i];
		const struct rel_summary *p = &v->rv->sum;
		if (v->col == 0 || v->opt >= 0 ||
		    v->rv->sum_state != REL_SUM_SHOWN)
			continue;
		sol_counts(g, v, v->col, ca);
		if (stats_describe_counts(v->lo, ca, v->nval, &s) != 0)
			return 0;
		if (!agrees(&p->mean, s.mean) || !agrees(&p->sd, s.sd))
			return 0;
		if (p->mean.dp < 0 && (!agrees(&p->ci_lo, s.ci_lo) ||
		    !agrees(&p->ci_hi, s.ci_hi)))
			return 0;
	}
	return 1;
}

/* Every protected count's value in a (checked) solution is proven. */
static void
record(struct gate *g)
{
	for (size_t i = 0; i < g->npf; i++) {
		struct pform *q = &g->pf[i];
		double v = 0;
		long long t;
		int dup = 0;
		if (q->nhave >= g->mv || q->nhave >= 16)
			continue;
		for (int j = 0; j < q->ncol; j++)
			v += q->coef[j] * glp_mip_col_val(g->lp, q->col[j]);
		t = llround(v);
		for (int j = 0; j < q->nhave; j++)
			dup |= q->have[j] == t;
		if (!dup)
			q->have[q->nhave++] = t;
	}
}

static void
set_objective(struct gate *g, const struct pform *p, int dir)
{
	for (int j = 1; j <= glp_get_num_cols(g->lp); j++)
		glp_set_obj_coef(g->lp, j, 0);
	if (dir != 0)
		for (int i = 0; i < p->ncol; i++)
			glp_set_obj_coef(g->lp, p->col[i], p->coef[i]);
	glp_set_obj_dir(g->lp, dir > 0 ? GLP_MAX : GLP_MIN);
}

/*
 * The least (dir -1) or greatest (dir 1) value of form p over the linear
 * relaxation: outer bounds of every integer solution. 1 and *val, or 0.
 */
static int
lp_bound(struct gate *g, const struct pform *p, int dir, double *val)
{
	glp_smcp parm;
	double v = 0;

	set_objective(g, p, dir);
	glp_init_smcp(&parm);
	parm.presolve = GLP_ON;
	parm.msg_lev = GLP_MSG_OFF;
	g->cn.ilps++;
	if (glp_simplex(g->lp, &parm) != 0 || glp_get_status(g->lp) != GLP_OPT)
		return 0;
	for (int i = 0; i < p->ncol; i++)
		v += p->coef[i] * glp_get_col_prim(g->lp, p->col[i]);
	*val = v;
	return 1;
}

/*
 * An integer solution, pushed in direction dir (or, for 0, as near the
 * data as the distance columns say), checked when the component needs
 * it. Returns 1 with the value of p in *val, 0 when none was found.
 */
static int
solve(struct gate *g, const struct pform *p, int dir, double *val)
{
	glp_iocp parm;
	struct cbinfo ci = {0, 1};
	int rc, st;
	double v = 0;

	set_objective(g, p, dir);
	glp_init_iocp(&parm);
	parm.presolve = GLP_ON;
	parm.msg_lev = GLP_MSG_OFF;
	parm.cb_func = cb_nodes;
	parm.cb_info = &ci;
	g->cn.ilps++;
	rc = glp_intopt(g->lp, &parm);
	if (rc != 0 && rc != GLP_ESTOP)
		return 0;
	st = glp_mip_status(g->lp);
	if (st != GLP_OPT && st != GLP_FEAS)
		return 0;
	for (int i = 0; i < p->ncol; i++)
		v += p->coef[i] * glp_mip_col_val(g->lp, p->col[i]);
	*val = round(v);
	if (g->verify_needed && !verify(g))
		return 0;
	record(g);
	return 1;
}

/* Fix form p at t and look for a checked solution; 1 if found. */
static int
try_value(struct gate *g, const struct pform *p, long long t)
{
	int r, ind[5], del[2], ok;
	double val[5], v;

	r = glp_add_rows(g->lp, 1);
	for (int i = 0; i < p->ncol; i++) {
		ind[i + 1] = p->col[i];
		val[i + 1] = p->coef[i];
	}
	glp_set_mat_row(g->lp, r, p->ncol, ind, val);
	glp_set_row_bnds(g->lp, r, GLP_FX, (double)t, (double)t);
	ok = solve(g, p, 0, &v) == 1;
	del[1] = r;
	glp_del_rows(g->lp, 1, del);
	return ok;
}

/*
 * Has protected form p at least g->mv proven values? The least and
 * greatest values over the constraints bound the search; when every
 * published number is linear in the counts they are proven by
 * themselves, else each value is proven by a checked solution, nearest
 * the true value first.
 */
static int
protected_ok(struct gate *g, struct pform *p)
{
	double v;
	long long t;
	int tries = 0, dup;

	/* Solutions pushed to either end, then values tried one by one. */
	for (int dir = -1; dir <= 1 && p->nhave < g->mv; dir += 2)
		(void)solve(g, p, dir, &v);
	for (long long d = 1; p->nhave < g->mv && tries < 4 * g->mv; d++) {
		int any = 0;
		for (int side = -1; side <= 1 && p->nhave < g->mv; side += 2) {
			t = p->truev + side * d;
			if ((double)t < p->lo || (double)t > p->hi)
				continue;
			any = 1;
			dup = 0;
			for (int i = 0; i < p->nhave; i++)
				dup |= p->have[i] == t;
			if (dup)
				continue;
			tries++;
			(void)try_value(g, p, t);
		}
		if (!any)
			break;
	}
	return p->nhave >= g->mv;
}

/*
 * Audit the current problem: 1 when every protected count keeps mv
 * values. First the linear relaxation's bounds of every count (a count
 * whose bounds hold fewer than mv values fails at once), then integer
 * solutions; each proves a value of every count at once.
 */
static void
debug_fail(struct gate *g, const struct pform *p)
{
	if (getenv("CANDOR_GATE_DEBUG") == NULL)
		return;
	fprintf(stderr, "gate:   %s col %d true %lld lp [%g, %g] proven %d "
	    "verify %d\n", g->v[g->comp].rv->name, p->col[0], p->truev, p->lo,
	    p->hi, p->nhave, g->verify_needed);
}

static int
audit(struct gate *g)
{
	for (size_t i = 0; i < g->npf; i++) {
		struct pform *p = &g->pf[i];
		p->have[0] = p->truev;
		p->nhave = 1;
		if (!lp_bound(g, p, -1, &p->lo) || !lp_bound(g, p, 1, &p->hi)) {
			g->fail_col = p->col[0];
			return 0;
		}
		p->lo = ceil(p->lo - 1e-6);
		p->hi = floor(p->hi + 1e-6);
		if (p->hi - p->lo + 1 < (double)g->mv) {
			g->fail_col = p->col[0];
			debug_fail(g, p);
			return 0;
		}
	}
	for (size_t i = 0; i < g->npf && !g->bad; i++) {
		g->cn.protected_counts++;
		if (!protected_ok(g, &g->pf[i])) {
			g->fail_col = g->pf[i].col[0];
			debug_fail(g, &g->pf[i]);
			return 0;
		}
	}
	return 1;
}

/* ---- the ladder of one component ---- */

static int
dp_first(long long n, long mv)
{
	double r = (double)n / (2.0 * (double)mv);
	int dp = r >= 1 ? (int)floor(log10(r)) : 0;

	return dp > 6 ? 6 : dp;
}

/*
 * Round the mean and SD to dp decimals; the interval is then computed
 * from the rounded mean and SD (and rounded), so it tells nothing more.
 */
static void
round_summary(struct gate *g, struct gv *v, int dp)
{
	struct rel_summary *s = &v->rv->sum;
	long long n = v->rv->n.v;
	char what[160];

	if (s->mean.st == REL_SHOWN) {
		s->mean = v->orig.mean;
		rel_round(&s->mean, dp);
	}
	if (s->sd.st == REL_SHOWN) {
		s->sd = v->orig.sd;
		rel_round(&s->sd, dp);
	}
	if (rel_num_shown(&s->mean) && rel_num_shown(&s->sd) && n >= 2 &&
	    (s->ci_lo.st == REL_SHOWN || s->ci_hi.st == REL_SHOWN)) {
		double h = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) *
		    s->sd.v / sqrt((double)n);
		s->ci_lo = rel_num(s->mean.v - h);
		s->ci_hi = rel_num(s->mean.v + h);
		rel_round(&s->ci_lo, dp);
		rel_round(&s->ci_hi, dp);
	} else {
		rel_withhold_num(&s->ci_lo);
		rel_withhold_num(&s->ci_hi);
	}
	snprintf(what, sizeof(what), "%s: mean, SD and interval", v->rv->name);
	note(g, what, "rounded to %d decimal%s (the interval computed from the "
	    "rounded mean and SD): exact, they would narrow a hidden count to "
	    "fewer than %ld values", dp, dp == 1 ? "" : "s", g->mv);
}

enum step {
	ST_ROUND1, ST_ROUND2, ST_N, ST_MW, ST_CMP, ST_MEANSD, ST_QUANT,
	ST_CMPTAB, ST_GROUP, ST_DERIVED, ST_VAR, ST__MAX
};

/* Does the variable still publish a table cell? */
static int
var_shows_cells(const struct rel_var *rv)
{
	for (size_t i = 0; i < rv->nrows; i++)
		if (rv->rows[i].count.st == REL_SHOWN)
			return 1;
	for (size_t i = 0; rv->has_hist && i < rv->hist.nb; i++)
		if (rv->hist.counts[i].st == REL_SHOWN)
			return 1;
	return 0;
}

static void
var_withhold_all(struct gate *g, struct gv *v, const char *why)
{
	struct rel_var *rv = v->rv;
	char what[160];

	if (v->opt >= 0) {
		rel_withhold_count(&rv->rows[v->opt].count);
		rel_withhold_num(&rv->rows[v->opt].percent);
		rel_withhold_num(&rv->rows[v->opt].ci_lo);
		rel_withhold_num(&rv->rows[v->opt].ci_hi);
		snprintf(what, sizeof(what), "%s: option %ld", rv->name,
		    rv->rows[v->opt].value);
	} else {
		for (size_t i = 0; i < rv->nrows; i++) {
			rel_withhold_count(&rv->rows[i].count);
			rel_withhold_num(&rv->rows[i].percent);
			rel_withhold_num(&rv->rows[i].ci_lo);
			rel_withhold_num(&rv->rows[i].ci_hi);
		}
		for (size_t i = 0; i < rv->hist.nb; i++)
			rel_withhold_count(&rv->hist.counts[i]);
		rel_withhold_count(&rv->freq_total);
		if (rv->sum_state == REL_SUM_SHOWN) {
			rv->sum_state = REL_SUM_NOTE;
			snprintf(rv->summary_note, sizeof(rv->summary_note),
			    "withheld (see Withheld)");
		}
		rv->has_hist = 0;
		snprintf(what, sizeof(what), "%s: every figure", rv->name);
	}
	rel_withhold_count(&rv->n);
	rel_withhold_count(&rv->missing);
	note(g, what, "%s", why);
}

/*
 * Apply step st to component comp. Returns 1 if it changed anything.
 */
static int
apply(struct gate *g, int comp, enum step st)
{
	char what[200];
	int changed = 0;

	for (size_t i = 0; i < g->nv; i++) {
		struct gv *v = &g->v[i];
		struct rel_summary *s = &v->rv->sum;
		long long n = v->rv->n.v;
		/* A multiple choice's n is its first option's. */
		if (find(g, (int)i) != comp || v->opt > 0 ||
		    (v->opt == 0 && st != ST_N))
			continue;
		if (v->rv->sum_state != REL_SUM_SHOWN &&
		    st != ST_N && st != ST_VAR)
			continue;
		switch (st) {
		case ST_ROUND1:
		case ST_ROUND2: {
			int dp = dp_first(n, g->mv) - (st == ST_ROUND2);
			if (dp < 0 || !rel_num_shown(&s->mean) ||
			    s->mean.dp == dp)
				break;
			round_summary(g, v, dp);
			changed = 1;
			break;
		}
		case ST_MEANSD:
			if (!rel_num_shown(&s->mean) && !rel_num_shown(&s->sd))
				break;
			rel_withhold_num(&s->mean);
			rel_withhold_num(&s->sd);
			rel_withhold_num(&s->ci_lo);
			rel_withhold_num(&s->ci_hi);
			snprintf(what, sizeof(what), "%s: mean, SD and interval",
			    v->rv->name);
			note(g, what, "even rounded, they would narrow a hidden "
			    "count to fewer than %ld values", g->mv);
			changed = 1;
			break;
		case ST_QUANT:
			if (!rel_num_shown(&s->median) && !rel_num_shown(&s->q1)
			    && !rel_num_shown(&s->q3) && !rel_num_shown(&s->min)
			    && !rel_num_shown(&s->max))
				break;
			rel_withhold_num(&s->median);
			rel_withhold_num(&s->q1);
			rel_withhold_num(&s->q3);
			rel_withhold_num(&s->min);
			rel_withhold_num(&s->max);
			snprintf(what, sizeof(what), "%s: median, quartiles, "
			    "minimum and maximum", v->rv->name);
			note(g, what, "their ranks would narrow a hidden count "
			    "to fewer than %ld values", g->mv);
			changed = 1;
			break;
		case ST_N: {
			/*
			 * The total of a table with a hidden cell goes with n
			 * (a follow-up's total is the count of its condition),
			 * and with it the percentages, which would give it back.
			 */
			int tot = v->rv->has_freq && v->opt < 0 &&
			    !v->always_set && /* its total is everyone */
			    rel_count_shown(&v->rv->freq_total) &&
			    has_protected(v->rv);
			if (!rel_count_shown(&v->rv->n) && !tot)
				break;
			rel_withhold_count(&v->rv->n);
			rel_withhold_count(&v->rv->missing);
			if (tot) {
				rel_withhold_count(&v->rv->freq_total);
				for (size_t j = 0; j < v->rv->nrows; j++) {
					rel_withhold_num(&v->rv->rows[j].percent);
					rel_withhold_num(&v->rv->rows[j].ci_lo);
					rel_withhold_num(&v->rv->rows[j].ci_hi);
				}
			}
			snprintf(what, sizeof(what), "%s: n and missing%s",
			    v->rv->name, tot ? ", the table's total and its "
			    "percentages" : "");
			note(g, what, "with the other figures they would narrow "
			    "a hidden count to fewer than %ld values", g->mv);
			changed = 1;
			break;
		}
		default:
			break;
		}
	}
	if (st == ST_VAR) {
		for (size_t i = 0; i < g->nv; i++)
			if (find(g, (int)i) == comp) {
				var_withhold_all(g, &g->v[i], "no smaller "
				    "change kept its hidden counts protected "
				    "from the rest of the report");
				changed = 1;
			}
		for (size_t i = 0; i < g->ncmp; i++)
			if (find(g, g->cmp[i].gv) == comp &&
			    g->cmp[i].rc->has_table) {
				cmp_withhold(g->cmp[i].rc, 1, "not shown: see "
				    "Withheld");
				changed = 1;
			}
	}
	for (size_t i = 0; i < g->ncmp; i++) {
		struct rel_cmp *c = g->cmp[i].rc;
		if (find(g, g->cmp[i].gv) != comp ||
		    g->m->groups[c->igroup].withheld != NULL)
			continue;
		snprintf(what, sizeof(what), "comparison %s of %s", c->group,
		    c->outcome);
		if (st == ST_MW && c->has_mw) {
			rel_withhold_num(&c->mw_w);
			rel_withhold_num(&c->mw_z);
			rel_withhold_num(&c->mw_p);
			c->has_mw = 0;
			note(g, what, "Mann-Whitney figures withheld: with the "
			    "rest they would narrow a hidden count to fewer "
			    "than %ld values", g->mv);
			changed = 1;
		} else if (st == ST_CMP && (c->has_desc || c->has_welch ||
		    c->has_chisq)) {
			cmp_withhold(c, 0, "not shown: see Withheld");
			note(g, what, "its figures would narrow a hidden count "
			    "to fewer than %ld values", g->mv);
			changed = 1;
		} else if (st == ST_CMPTAB && (c->has_table ||
		    rel_count_shown(&c->n_a))) {
			cmp_withhold(c, 1, "not shown: see Withheld");
			note(g, what, "its table and group sizes would narrow a "
			    "hidden count to fewer than %ld values", g->mv);
			changed = 1;
		}
	}
	if (st == ST_DERIVED)
		for (size_t i = 0; i < g->nlinks; i++) {
			struct gv *dv = &g->v[g->links[i].d];
			if (find(g, g->links[i].d) != comp ||
			    !var_shows_cells(dv->rv))
				continue;
			var_withhold_all(g, dv, "a score computed from one "
			    "variable: its counts are sums of that variable's "
			    "cells and would give a hidden one away");
			changed = 1;
		}
	if (st == ST_GROUP)
		for (size_t i = 0; i < g->ngrp; i++)
			if (g->grp[i].gv >= 0 && find(g, g->grp[i].gv) == comp &&
			    g->grp[i].rg->withheld == NULL) {
				group_withhold(g, g->grp[i].ig, "its sizes are "
				    "sums of cells of the table of the variable "
				    "that defines it, and would give away a "
				    "hidden cell");
				changed = 1;
			}
	g->cn.steps += (unsigned long)changed;
	return changed;
}

/*
 * Table-only audit: hide one more cell of the variable's tables while the
 * table alone does not protect its hidden cells. Returns 1 when the table
 * is safe on its own.
 */
/* Is column j a shown non-zero cell? Then its variable and atom. */
static int
shown_cell(struct gate *g, int comp, int j, struct gv **out, size_t *at)
{
	for (size_t i = 0; i < g->nv; i++) {
		struct gv *v = &g->v[i];
		struct rel_var *rv = v->rv;
		size_t a;
		if (v->col == 0 || find(g, (int)i) != comp || j < v->col ||
		    j >= v->col + (int)v->nval)
			continue;
		a = (size_t)(j - v->col);
		if (v->cnt[a] == 0)
			return 0;
		*out = v;
		*at = a;
		if (v->opt >= 0)
			return a == 1 && rv->rows[v->opt].count.st == REL_SHOWN;
		for (size_t r = 0; r < rv->nrows; r++)
			if (rv->rows[r].value - v->lo == (long)a &&
			    rv->rows[r].count.st == REL_SHOWN)
				return 1;
		for (size_t b = 0; rv->has_hist && rv->hist.per_value &&
		    b < rv->hist.nb; b++)
			if ((long)(rv->hist.breaks[b] + 0.5) - v->lo == (long)a &&
			    rv->hist.counts[b].st == REL_SHOWN)
				return 1;
		return 0;
	}
	return 0;
}

/*
 * The cell to hide next: the smallest shown cell of the shortest
 * constraint that holds the count that failed (its table line, a derived
 * score's band...), else the smallest shown cell of the component.
 */
static struct gv *
next_to_hide(struct gate *g, int comp, size_t *bat)
{
	int nr = glp_get_num_rows(g->lp), nc = glp_get_num_cols(g->lp);
	int *rind = malloc((size_t)(nr + 1) * sizeof(int));
	int *cind = malloc((size_t)(nc + 1) * sizeof(int));
	double *val = malloc((size_t)(nc + nr + 2) * sizeof(double));
	struct gv *best = NULL, *v;
	size_t at;
	int bestlen = INT_MAX, nrows, len;

	if (rind == NULL || cind == NULL || val == NULL) {
		g->bad = 1;
		goto out;
	}
	nrows = g->fail_col > 0 ? glp_get_mat_col(g->lp, g->fail_col, rind,
	    val) : 0;
	for (int r = 1; r <= nrows; r++) {
		len = glp_get_mat_row(g->lp, rind[r], cind, val);
		if (len > bestlen)
			continue;
		for (int i = 1; i <= len; i++) {
			if (!shown_cell(g, comp, cind[i], &v, &at))
				continue;
			if (best == NULL || len < bestlen ||
			    v->cnt[at] < best->cnt[*bat]) {
				best = v;
				*bat = at;
				bestlen = len;
			}
		}
	}
	for (int j = 1; best == NULL && j <= nc; j++)
		if (shown_cell(g, comp, j, &v, &at) && (best == NULL ||
		    v->cnt[at] < best->cnt[*bat])) {
			best = v;
			*bat = at;
		}
	/* The loop above stops at the first; take the smallest. */
	for (int j = 1; bestlen == INT_MAX && best != NULL && j <= nc; j++)
		if (shown_cell(g, comp, j, &v, &at) &&
		    v->cnt[at] < best->cnt[*bat]) {
			best = v;
			*bat = at;
		}
out:
	free(rind);
	free(cind);
	free(val);
	return best;
}

/* Hide value bat of v everywhere it is shown. */
static void
hide_value(struct gate *g, struct gv *best, size_t bat)
{
	struct rel_var *rv = best->rv;
	char what[160];

	for (size_t j = 0; j < rv->nrows; j++)
		if ((best->opt >= 0 && (int)j == best->opt) ||
		    (best->opt < 0 && rv->rows[j].value - best->lo ==
		    (long)bat)) {
			rv->rows[j].count.st = REL_HIDDEN;
			rel_withhold_num(&rv->rows[j].percent);
			rel_withhold_num(&rv->rows[j].ci_lo);
			rel_withhold_num(&rv->rows[j].ci_hi);
		}
	for (size_t j = 0; best->opt < 0 && rv->has_hist && j < rv->hist.nb;
	    j++)
		if ((long)(rv->hist.breaks[j] + 0.5) - best->lo == (long)bat)
			rv->hist.counts[j].st = REL_HIDDEN;
	if (best->opt >= 0)
		snprintf(what, sizeof(what), "%s: the count of option %ld",
		    rv->name, rv->rows[best->opt].value);
	else
		snprintf(what, sizeof(what), "%s: the count of %ld", rv->name,
		    best->lo + (long)bat);
	note(g, what, "hidden as well: the hidden counts of its table could "
	    "otherwise be narrowed to fewer than %ld values", g->mv);
	g->cn.steps++;
}

/*
 * Tables alone (with the derived scores that are sums of their cells):
 * hide one more cell while they do not protect their hidden cells.
 * Returns 1 when they do.
 */
static int
table_pass(struct gate *g, int comp)
{
	for (;;) {
		struct gv *best;
		size_t bat = 0;
		build(g, comp, 1);
		if (g->bad || audit(g))
			return !g->bad;
		if ((best = next_to_hide(g, comp, &bat)) == NULL)
			return 0;
		hide_value(g, best, bat);
	}
}

static int
comp_has_protected(struct gate *g, int comp)
{
	for (size_t i = 0; i < g->nv; i++)
		if (find(g, (int)i) == comp && has_protected(g->v[i].rv))
			return 1;
	for (size_t i = 0; i < g->ncmp; i++) {
		struct rel_cmp *c = g->cmp[i].rc;
		if (find(g, g->cmp[i].gv) != comp)
			continue;
		for (size_t j = 0; j < c->ncols; j++)
			if (c->ta[j].st == REL_HIDDEN ||
			    c->tb[j].st == REL_HIDDEN)
				return 1;
	}
	return 0;
}

static void audit_comp_1(struct gate *g, int comp);

static const enum step var_steps[] = {ST_ROUND1, ST_ROUND2, ST_N, ST_MEANSD,
    ST_QUANT, ST_DERIVED, ST_VAR};
static const enum step all_steps[] = {ST_MW, ST_CMP, ST_CMPTAB, ST_GROUP,
    ST_MEANSD, ST_QUANT, ST_N, ST_DERIVED, ST_VAR};

/*
 * Audit in mode (see build()) and apply the steps in order until the
 * audit passes. Returns 1 when it passed, 0 when the last step (the
 * variable withheld) was reached.
 */
static int
ladder(struct gate *g, int comp, int mode, const enum step *st, size_t n)
{
	for (size_t i = 0; !g->bad; i++) {
		build(g, comp, mode);
		if (g->bad || audit(g))
			return 1;
		while (i < n && st[i] != ST_VAR && !apply(g, comp, st[i]))
			i++;
		if (i >= n || st[i] == ST_VAR) {
			apply(g, comp, ST_VAR);
			return 0;
		}
	}
	return 0;
}

static void
audit_comp(struct gate *g, int comp)
{
	unsigned long il = g->cn.ilps, sp = g->cn.steps;
	struct timespec t0, t1;

	if (getenv("CANDOR_GATE_DEBUG") == NULL) {
		audit_comp_1(g, comp);
		return;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	audit_comp_1(g, comp);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	if (g->cn.ilps > il)
		fprintf(stderr, "gate: %-24s %6lu ilps %3lu steps %8.3f s\n",
		    g->v[comp].rv->name, g->cn.ilps - il, g->cn.steps - sp,
		    (double)(t1.tv_sec - t0.tv_sec) + 1e-9 *
		    (double)(t1.tv_nsec - t0.tv_nsec));
}

static void
audit_comp_1(struct gate *g, int comp)
{
	if (!comp_has_protected(g, comp))
		return;
	g->cn.components++;
	if (!table_pass(g, comp)) {
		apply(g, comp, ST_VAR);
		return;
	}

	/*
	 * The variables on their own first, so that what the groups need is
	 * not paid for by the variables' own figures; then everything.
	 */
	if (!ladder(g, comp, 2, var_steps, sizeof(var_steps) /
	    sizeof(var_steps[0])))
		return;
	(void)ladder(g, comp, 0, all_steps, sizeof(all_steps) /
	    sizeof(all_steps[0]));
}

/* ---- pass 4: the ledger ---- */

static void
ledger_out(struct gate *g, struct gate_ledger *l)
{
	if (l == NULL)
		return;
	gate_ledger_clear(l);
	if ((l->out = calloc(2 * g->ngrp + 1, sizeof(*l->out))) == NULL) {
		g->bad = 1;
		return;
	}
	for (size_t i = 0; i < g->ngrp; i++) {
		if (g->grp[i].rg->withheld != NULL)
			continue;
		for (int s = 1; s <= 2; s++) {
			struct gate_members *o = &l->out[l->nout];
			o->release = strdup(l->release != NULL ? l->release : "");
			o->group = strdup(g->grp[i].rg->name);
			o->side = s;
			o->nrows = g->d->n;
			o->bits = side_bits(g->grp[i].memb, g->d->n, s);
			l->nout++;
			if (o->release == NULL || o->group == NULL ||
			    o->bits == NULL)
				g->bad = 1;
		}
	}
}

static void
gate_free(struct gate *g)
{
	if (g->lp != NULL)
		glp_delete_prob(g->lp);
	for (size_t i = 0; i < g->nv; i++) {
		free(g->v[i].cnt);
		free(g->v[i].known);
		free(g->v[i].valid);
	}
	free(g->v);
	free(g->var_gv);
	for (size_t i = 0; i < g->nlinks; i++)
		free(g->links[i].map);
	free(g->links);
	for (size_t i = 0; i < g->nsums; i++)
		free(g->sums[i].terms);
	free(g->sums);
	for (size_t i = 0; i < g->nshows; i++)
		free(g->shows[i].on);
	free(g->shows);
	for (size_t i = 0; i < g->ngrp; i++) {
		free(g->grp[i].memb);
		free(g->grp[i].side);
	}
	free(g->grp);
	for (size_t i = 0; i < g->ncmp; i++)
		for (int s = 0; s < 3; s++)
			free(g->cmp[i].x[s]);
	free(g->cmp);
	free(g->pf);
}

int
gate_release(const struct form *f, const struct dataset *d,
    const struct plan *p, long k, struct gate_ledger *ledger,
    struct rel_report *m, char *err, size_t errsz)
{
	struct gate g;
	struct form_answers *a = NULL;
	int rc = GATE_ENOMEM, *order = NULL;
	size_t no = 0;
	struct timespec t0, t1;

	memset(&g, 0, sizeof(g));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	g.f = f;
	g.d = d;
	g.p = p;
	g.k = k;
	g.mv = gate_min_values(k);
	g.m = m;
	m->min_values = g.mv;
	glp_term_out(GLP_OFF);
	if ((g.var_gv = malloc((f->nvars + 1) * sizeof(*g.var_gv))) == NULL)
		goto out;
	for (size_t i = 0; i < f->nvars; i++)
		g.var_gv[i] = -1;
	/* Pass 2 first builds what pass 1 needs: the groups. */
	for (size_t i = 0; i < m->nvars && !g.bad; i++) {
		if (m->vars[i].has_options)
			gv_options(&g, &m->vars[i]);
		else if (m->vars[i].has_freq || m->vars[i].has_hist ||
		    m->vars[i].n.st == REL_BELOW_K)
			gv_int(&g, &m->vars[i]);
	}
	if (!g.bad && (a = form_answers_new(f)) == NULL)
		g.bad = 1;
	for (size_t i = 0; i < g.nv && !g.bad; i++)
		if (g.v[i].opt < 0 && f->vars[g.v[i].iv].score != NULL) {
			link_derived(&g, (int)i, a);
			link_sum(&g, (int)i);
		}
	for (size_t i = 0; i < g.nv && !g.bad; i++)
		if (f->vars[g.v[i].iv].score == NULL)
			link_shown(&g, (int)i, a);
	if (!g.bad)
		build_groups(&g);
	if (!g.bad)
		rules_groups(&g, ledger);
	if (!g.bad)
		rules_comparisons(&g);
	if (!g.bad)
		build_comparisons(&g);
	/* Components with a group's sizes first, then the others. */
	if (!g.bad && (order = malloc((g.nv + 1) * sizeof(*order))) == NULL)
		g.bad = 1;
	for (int pass = 0; pass < 2 && !g.bad; pass++)
		for (size_t i = 0; i < g.nv; i++) {
			int has = 0;
			if (find(&g, (int)i) != (int)i)
				continue;
			for (size_t j = 0; j < g.ngrp; j++)
				has |= g.grp[j].gv >= 0 &&
				    find(&g, g.grp[j].gv) == (int)i;
			if (has == (pass == 0))
				order[no++] = (int)i;
		}
	for (size_t i = 0; i < no && !g.bad; i++)
		audit_comp(&g, order[i]);
	/* The residual rule again: groups may have lost comparisons. */
	if (!g.bad)
		rules_adjusted(&g);
	if (!g.bad)
		ledger_out(&g, ledger);
	if (g.bad) {
		snprintf(err, errsz, "publication gate: out of memory");
		goto out;
	}
	rc = GATE_OK;
out:
	if (rc != GATE_OK && err[0] == '\0')
		snprintf(err, errsz, "publication gate: out of memory");
	clock_gettime(CLOCK_MONOTONIC, &t1);
	g.cn.seconds = (double)(t1.tv_sec - t0.tv_sec) + 1e-9 *
	    (double)(t1.tv_nsec - t0.tv_nsec);
	last_counters = g.cn;
	form_answers_free(a);
	free(order);
	gate_free(&g);
	/*
	 * GLPK keeps one environment per thread (thread-local in Debian's
	 * build); free this thread's, so an API worker or a report leaves no
	 * solver memory behind (the next release starts a fresh one).
	 */
	glp_free_env();
	return rc;
}
