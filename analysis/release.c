/*
 * The released model (release.h): allocation, the constructors of numbers
 * and rel_seal(), which drops the value of every number the gate did not
 * pass so that no renderer can print it.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "release.h"

struct rel_report *
rel_report_new(void)
{
	return calloc(1, sizeof(struct rel_report));
}

static void
var_free(struct rel_var *v)
{
	free(v->label);
	free(v->rows);
}

void
rel_report_free(struct rel_report *m)
{
	size_t i;

	if (m == NULL)
		return;
	for (i = 0; i < m->nvars; i++)
		var_free(&m->vars[i]);
	free(m->vars);
	for (i = 0; i < m->ngroups; i++)
		free(m->groups[i].withheld);
	free(m->groups);
	for (i = 0; i < m->ncmps; i++) {
		free(m->cmps[i].outcome_label);
		free(m->cmps[i].values);
		free(m->cmps[i].ta);
		free(m->cmps[i].tb);
	}
	free(m->cmps);
	for (i = 0; i < m->ncors; i++) {
		free(m->cors[i].x_label);
		free(m->cors[i].y_label);
	}
	free(m->cors);
	for (i = 0; i < m->nadjs; i++) {
		free(m->adjs[i].outcome_label);
		free(m->adjs[i].covs);
		free(m->adjs[i].dropped);
	}
	free(m->adjs);
	for (i = 0; i < m->npairs; i++) {
		free(m->pairs[i].x_label);
		free(m->pairs[i].y_label);
	}
	free(m->pairs);
	for (i = 0; i < m->nkgroups; i++)
		free(m->kgroups[i].outcome_label);
	free(m->kgroups);
	for (i = 0; i < m->nstrats; i++)
		free(m->strats[i].outcome_label);
	free(m->strats);
	for (i = 0; i < m->nnotes; i++) {
		free(m->notes[i].what);
		free(m->notes[i].why);
	}
	free(m->notes);
	for (i = 0; i < m->nproblems; i++)
		free(m->problems[i].what);
	free(m->problems);
	free(m->ledger_release);
	free(m);
}

/* Grow *a (of *n elements, *cap allocated, each sz bytes) by one zeroed. */
static void *
grow(void **a, size_t *n, size_t *cap, size_t sz)
{
	char *p;

	if (*n == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		if (nc > ((size_t)-1) / sz / 2)
			return NULL;
		if ((p = realloc(*a, nc * sz)) == NULL)
			return NULL;
		*a = p;
		*cap = nc;
	}
	p = (char *)*a + *n * sz;
	memset(p, 0, sz);
	(*n)++;
	return p;
}

struct rel_var *
rel_add_var(struct rel_report *m)
{
	return grow((void **)&m->vars, &m->nvars, &m->capvars,
	    sizeof(*m->vars));
}

struct rel_cmp *
rel_add_cmp(struct rel_report *m)
{
	return grow((void **)&m->cmps, &m->ncmps, &m->capcmps,
	    sizeof(*m->cmps));
}

struct rel_cor *
rel_add_cor(struct rel_report *m)
{
	return grow((void **)&m->cors, &m->ncors, &m->capcors,
	    sizeof(*m->cors));
}

struct rel_adj *
rel_add_adj(struct rel_report *m)
{
	return grow((void **)&m->adjs, &m->nadjs, &m->capadjs,
	    sizeof(*m->adjs));
}

struct rel_pair *
rel_add_pair(struct rel_report *m)
{
	return grow((void **)&m->pairs, &m->npairs, &m->cappairs,
	    sizeof(*m->pairs));
}

struct rel_kgroup *
rel_add_kgroup(struct rel_report *m)
{
	return grow((void **)&m->kgroups, &m->nkgroups, &m->capkgroups,
	    sizeof(*m->kgroups));
}

struct rel_strat *
rel_add_strat(struct rel_report *m)
{
	return grow((void **)&m->strats, &m->nstrats, &m->capstrats,
	    sizeof(*m->strats));
}

int
rel_add_note(struct rel_report *m, const char *what, const char *why)
{
	struct rel_note *n;
	char *a = strdup(what), *b = strdup(why);

	if (a == NULL || b == NULL || (n = grow((void **)&m->notes,
	    &m->nnotes, &m->capnotes, sizeof(*m->notes))) == NULL) {
		free(a);
		free(b);
		return -1;
	}
	n->what = a;
	n->why = b;
	return 0;
}

struct rel_num
rel_num(double v)
{
	struct rel_num x;

	x.v = v == 0 ? 0.0 : v; /* no "-0" */
	x.st = isfinite(v) ? REL_SHOWN : REL_NONE;
	x.dp = REL_EXACT;
	return x;
}

struct rel_count
rel_count(long long v)
{
	struct rel_count x = {v, REL_SHOWN};

	return x;
}

struct rel_count
rel_people(long long v, long k)
{
	struct rel_count x = {v, v == 0 || v >= k ? REL_SHOWN : REL_BELOW_K};

	return x;
}

void
rel_withhold_num(struct rel_num *x)
{
	if (x->st == REL_SHOWN)
		x->st = REL_WITHHELD;
}

void
rel_withhold_count(struct rel_count *x)
{
	if (x->st == REL_SHOWN || x->st == REL_BELOW_K)
		x->st = REL_WITHHELD;
}

double
rel_round_value(double v, int dp)
{
	double s = pow(10.0, dp), r;

	if (!isfinite(v))
		return v;
	r = round(v * s) / s;
	return r == 0 ? 0.0 : r;
}

void
rel_round(struct rel_num *x, int dp)
{
	if (x->st != REL_SHOWN || dp < 0)
		return;
	x->v = rel_round_value(x->v, dp);
	x->dp = dp;
}

static void
seal_num(struct rel_num *x)
{
	if (x->st != REL_SHOWN)
		x->v = NAN;
}

static void
seal_count(struct rel_count *x)
{
	if (x->st != REL_SHOWN)
		x->v = 0;
}

static void
seal_var(struct rel_var *v)
{
	struct rel_num *s[] = {&v->sum.mean, &v->sum.sd, &v->sum.ci_lo,
	    &v->sum.ci_hi, &v->sum.median, &v->sum.q1, &v->sum.q3,
	    &v->sum.min, &v->sum.max};
	size_t i;

	seal_count(&v->n);
	seal_count(&v->missing);
	for (i = 0; i < sizeof(s) / sizeof(s[0]); i++)
		seal_num(s[i]);
	for (i = 0; i < v->hist.nb; i++)
		seal_count(&v->hist.counts[i]);
	seal_count(&v->hist.outside);
	seal_count(&v->freq_total);
	for (i = 0; i < v->nrows; i++) {
		seal_count(&v->rows[i].count);
		seal_num(&v->rows[i].percent);
		seal_num(&v->rows[i].ci_lo);
		seal_num(&v->rows[i].ci_hi);
	}
}

static void
seal_brief(struct rel_brief *b)
{
	seal_num(&b->mean);
	seal_num(&b->sd);
	seal_num(&b->median);
	seal_num(&b->q1);
	seal_num(&b->q3);
}

static void
seal_cmp(struct rel_cmp *c)
{
	struct rel_num *x[] = {&c->w_diff, &c->w_lo, &c->w_hi, &c->w_t,
	    &c->w_df, &c->w_p, &c->g_g, &c->g_lo, &c->g_hi, &c->mw_w,
	    &c->mw_z, &c->mw_p, &c->chi_stat, &c->chi_df, &c->chi_p,
	    &c->chi_min_expected, &c->fisher_p, &c->rd_a, &c->rd_b,
	    &c->rd_diff, &c->rd_lo, &c->rd_hi, &c->or_est, &c->or_lo,
	    &c->or_hi, &c->p, &c->p_holm, &c->p_bh, &c->p_adjusted};
	size_t i;

	seal_count(&c->n_a);
	seal_count(&c->n_b);
	seal_brief(&c->a);
	seal_brief(&c->b);
	for (i = 0; i < sizeof(x) / sizeof(x[0]); i++)
		seal_num(x[i]);
	for (i = 0; i < c->ncols; i++) {
		seal_count(&c->ta[i]);
		seal_count(&c->tb[i]);
	}
}

void
rel_seal(struct rel_report *m)
{
	size_t i;

	for (i = 0; i < m->nvars; i++)
		seal_var(&m->vars[i]);
	for (i = 0; i < m->ngroups; i++) {
		seal_count(&m->groups[i].n_a);
		seal_count(&m->groups[i].n_b);
		seal_count(&m->groups[i].in_both);
	}
	for (i = 0; i < m->ncmps; i++)
		seal_cmp(&m->cmps[i]);
	for (i = 0; i < m->ncors; i++) {
		struct rel_cor *c = &m->cors[i];
		seal_count(&c->n);
		seal_num(&c->rho);
		seal_num(&c->s);
		seal_num(&c->p);
		seal_num(&c->p_holm);
		seal_num(&c->p_bh);
		seal_num(&c->p_adjusted);
	}
	for (i = 0; i < m->nadjs; i++) {
		struct rel_adj *a = &m->adjs[i];
		seal_count(&a->n);
		seal_count(&a->n_a);
		seal_count(&a->n_b);
		seal_num(&a->est);
		seal_num(&a->lo);
		seal_num(&a->hi);
		seal_num(&a->p);
		seal_num(&a->p_holm);
		seal_num(&a->p_bh);
		seal_num(&a->p_adjusted);
	}
	for (i = 0; i < m->npairs; i++) {
		struct rel_pair *x = &m->pairs[i];
		struct rel_num *v[] = {&x->diff, &x->sd, &x->lo, &x->hi, &x->t,
		    &x->df, &x->v, &x->w_p, &x->est, &x->est_lo, &x->est_hi,
		    &x->conf, &x->p, &x->p_holm, &x->p_bh, &x->p_adjusted};
		seal_count(&x->n);
		for (size_t j = 0; j < sizeof(v) / sizeof(v[0]); j++)
			seal_num(v[j]);
	}
	for (i = 0; i < m->nkgroups; i++) {
		struct rel_kgroup *x = &m->kgroups[i];
		struct rel_num *v[] = {&x->f, &x->df1, &x->df2, &x->f_p, &x->wf,
		    &x->wdf1, &x->wdf2, &x->wf_p, &x->kw, &x->kw_df, &x->kw_p,
		    &x->chi, &x->chi_df, &x->chi_p, &x->fisher_p, &x->cramer_v,
		    &x->p, &x->p_holm, &x->p_bh, &x->p_adjusted};
		seal_count(&x->n);
		for (size_t j = 0; j < sizeof(v) / sizeof(v[0]); j++)
			seal_num(v[j]);
	}
	for (i = 0; i < m->nstrats; i++) {
		struct rel_strat *x = &m->strats[i];
		struct rel_num *v[] = {&x->stat, &x->or_est, &x->lo, &x->hi,
		    &x->p, &x->p_holm, &x->p_bh, &x->p_adjusted};
		seal_count(&x->n);
		for (size_t j = 0; j < sizeof(v) / sizeof(v[0]); j++)
			seal_num(v[j]);
	}
}

int
rel_num_shown(const struct rel_num *x)
{
	return x->st == REL_SHOWN && isfinite(x->v);
}

int
rel_count_shown(const struct rel_count *x)
{
	return x->st == REL_SHOWN;
}
