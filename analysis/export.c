/*
 * Row-level de-identified exports (export.h, docs/exports.md).
 *
 * xtable_build() turns a dataset into the table that leaves the machine:
 * the rows in a fresh random order numbered 1..n, no free text, no stored
 * identifiers, and the quasi-identifiers made k-anonymous. The method is
 * the one of sdcMicro and ARX: full-domain generalization along the
 * hierarchies of the form file ("generalize"), chosen greedily, then local
 * suppression of what is still unsafe. Every writer renders the same
 * cells through xcell(). Files are written under temporary names in the
 * output directory and renamed only once all of them are complete; each
 * gets fmode_file() (0600, or 0640 with --group-read) before a byte of it
 * is written.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>
#include <sodium.h>

#include "csv_out.h"
#include "export.h"
#include "export_int.h"
#include "report.h"
#include "fmode.h"
#include "form_internal.h"

#define KEY_UNSET UINT64_MAX       /* no value (blank cell) */
#define KEY_SUPP (UINT64_MAX - 1)  /* suppressed */
#define KEY_BIAS 1000000           /* integer codes as keys: code + bias */

static const char *const format_names[EXPORT_FORMAT__MAX] = {
	"csv", "json", "spss", "r", "stata", "aggregate",
};

int
export_format_parse(const char *s)
{
	for (int i = 0; s != NULL && i < EXPORT_FORMAT__MAX; i++)
		if (strcmp(s, format_names[i]) == 0)
			return i;
	return -1;
}

/* ---- the key of a quasi-identifier cell at a level ---- */

/* Dataset row of output row i. */
static size_t
drow(const struct xtable *t, size_t i)
{
	return t->perm[i];
}

static uint64_t
qkey(const struct xtable *t, const struct xqi *q, size_t i, size_t level)
{
	const struct ds_col *c = &t->d->cols[q->iv];
	size_t r = drow(t, i);
	double x;
	uint64_t u;

	if (level >= q->top)
		return KEY_SUPP;
	switch (c->kind) {
	case DS_I16: {
		long code = c->i16[r];
		if (c->i16[r] == DS_NONE)
			return KEY_UNSET;
		if (level > 0 && q->span > 0 && !c->is_missing[code - c->lo] &&
		    code >= q->lo && (size_t)(code - q->lo) < q->span)
			code = q->map[(level - 1) * q->span +
			    (size_t)(code - q->lo)];
		return (uint64_t)(code + KEY_BIAS);
	}
	case DS_F64:
		x = c->f64[r];
		if (isnan(x))
			return KEY_UNSET;
		if (x == 0)
			x = 0; /* -0 and 0 print alike */
		memcpy(&u, &x, sizeof(u));
		return u >= KEY_SUPP ? KEY_SUPP - 1 : u;
	case DS_MASK:
		if (!c->mset[r])
			return KEY_UNSET;
		return c->mask[r] >= KEY_SUPP ? KEY_SUPP - 1 : c->mask[r];
	default:
		return KEY_UNSET;
	}
}

/* ---- equivalence classes ---- */

struct classes {
	size_t nq;
	uint64_t *keys; /* n * nq, row-major */
	size_t *idx, *tmp;
};

static int
key_cmp(const struct classes *cl, size_t a, size_t b)
{
	const uint64_t *ka = &cl->keys[a * cl->nq], *kb = &cl->keys[b * cl->nq];

	for (size_t q = 0; q < cl->nq; q++)
		if (ka[q] != kb[q])
			return ka[q] < kb[q] ? -1 : 1;
	return 0;
}

/* Stable bottom-up merge sort of cl->idx[0..n) by key tuple. */
static void
sort_rows(struct classes *cl, size_t n)
{
	size_t *src = cl->idx, *dst = cl->tmp;

	for (size_t w = 1; w < n; w *= 2) {
		for (size_t lo = 0; lo < n; lo += 2 * w) {
			size_t mid = lo + w < n ? lo + w : n;
			size_t hi = lo + 2 * w < n ? lo + 2 * w : n;
			size_t a = lo, b = mid, o = lo;
			while (a < mid && b < hi)
				dst[o++] = key_cmp(cl, src[b], src[a]) < 0 ?
				    src[b++] : src[a++];
			while (a < mid)
				dst[o++] = src[a++];
			while (b < hi)
				dst[o++] = src[b++];
		}
		size_t *s = src;
		src = dst;
		dst = s;
		if (w > SIZE_MAX / 4)
			break;
	}
	if (src != cl->idx)
		memcpy(cl->idx, src, n * sizeof(*src));
}

/*
 * Group the rows under levels lv into equivalence classes. Returns the
 * number of rows in classes smaller than k; when mark is not NULL those
 * rows are flagged in it, and *big_at, *big_n give the largest class that
 * is not smaller than k (first in key order; *big_n 0 when none).
 */
static size_t
classify(const struct xtable *t, struct classes *cl, const size_t *lv,
    uint8_t *mark, size_t *big_at, size_t *big_n)
{
	size_t n = t->n, unsafe = 0;

	for (size_t i = 0; i < n; i++) {
		for (size_t q = 0; q < t->nqi; q++)
			cl->keys[i * t->nqi + q] = qkey(t, &t->qis[q], i, lv[q]);
		cl->idx[i] = i;
	}
	sort_rows(cl, n);
	if (big_n != NULL)
		*big_n = 0;
	for (size_t a = 0, b; a < n; a = b) {
		for (b = a + 1; b < n && key_cmp(cl, cl->idx[a], cl->idx[b]) == 0;
		    b++)
			;
		if (b - a < (size_t)t->k) {
			unsafe += b - a;
			for (size_t j = a; mark != NULL && j < b; j++)
				mark[cl->idx[j]] = 1;
		} else if (big_n != NULL && b - a > *big_n) {
			*big_n = b - a;
			*big_at = a;
		}
	}
	return unsafe;
}

/* Distinct values of quasi-identifier q at level lv (ties of the greedy). */
static size_t
distinct(const struct xtable *t, struct classes *cl, size_t q, size_t lv)
{
	size_t n = t->n, nd = 0;
	struct classes one = {1, cl->keys, cl->idx, cl->tmp};

	for (size_t i = 0; i < n; i++) {
		cl->keys[i] = qkey(t, &t->qis[q], i, lv);
		cl->idx[i] = i;
	}
	sort_rows(&one, n);
	for (size_t i = 0; i < n; i++)
		if (i == 0 || cl->keys[cl->idx[i]] != cl->keys[cl->idx[i - 1]])
			nd++;
	return nd;
}

/*
 * Full-domain generalization, then local suppression (docs/exports.md).
 * Levels start at 0; while the rows in classes smaller than k exceed
 * max_pct percent, the quasi-identifier whose next level leaves the fewest
 * unsafe rows is raised (ties: most distinct values now, then form order),
 * preferring a coarser level to suppressing a quasi-identifier outright.
 */
static int
anonymize(struct xtable *t)
{
	struct classes cl = {t->nqi, NULL, NULL, NULL};
	size_t *lv = NULL, unsafe, big_at = 0, big_n = 0, nsupp = 0;
	int rc = -1;

	if (t->nqi == 0)
		return 0;
	if (t->n > SIZE_MAX / sizeof(uint64_t) / t->nqi)
		return -1;
	cl.keys = malloc(t->n * t->nqi * sizeof(*cl.keys));
	cl.idx = malloc(t->n * sizeof(*cl.idx));
	cl.tmp = malloc(t->n * sizeof(*cl.tmp));
	lv = calloc(t->nqi, sizeof(*lv));
	if (cl.keys == NULL || cl.idx == NULL || cl.tmp == NULL || lv == NULL)
		goto out;
	unsafe = classify(t, &cl, lv, NULL, NULL, NULL);
	while ((double)unsafe * 100.0 > t->max_pct * (double)t->n) {
		long best = -1;
		size_t best_u = 0, best_d = 0;
		/*
		 * Generalize before suppressing: a step that would suppress
		 * a quasi-identifier outright (its top level) is taken only
		 * when no quasi-identifier has a coarser level short of it.
		 */
		for (int pass = 0; pass < 2 && best < 0; pass++)
		for (size_t q = 0; q < t->nqi; q++) {
			size_t u;
			if (lv[q] >= t->qis[q].top ||
			    (pass == 0 && lv[q] + 1 >= t->qis[q].top))
				continue;
			lv[q]++;
			u = classify(t, &cl, lv, NULL, NULL, NULL);
			lv[q]--;
			if (best < 0 || u < best_u) {
				best = (long)q;
				best_u = u;
				best_d = 0;
			} else if (u == best_u) {
				size_t dq, db;
				if (best_d == 0)
					best_d = distinct(t, &cl, (size_t)best,
					    lv[best]);
				dq = distinct(t, &cl, q, lv[q]);
				db = best_d;
				if (dq > db) {
					best = (long)q;
					best_d = dq;
				}
			}
		}
		if (best < 0)
			break; /* everything suppressed: one class of n >= k */
		lv[best]++;
		unsafe = best_u;
	}
	/* Local suppression of the rows still in classes smaller than k. */
	classify(t, &cl, lv, t->rsupp, &big_at, &big_n);
	for (size_t i = 0; i < t->n; i++)
		nsupp += t->rsupp[i];
	if (nsupp > 0 && nsupp < (size_t)t->k && big_n > 0) {
		/* The suppressed rows must form a class of k too. */
		size_t need = (size_t)t->k - nsupp;
		size_t take = big_n - need >= (size_t)t->k ? need : big_n;
		for (size_t j = 0; j < take; j++)
			t->rsupp[cl.idx[big_at + j]] = 1;
		nsupp += take;
	}
	for (size_t q = 0; q < t->nqi; q++)
		t->qis[q].level = lv[q];
	t->st.rows_suppressed = nsupp;
	rc = 0;
out:
	free(cl.keys);
	free(cl.idx);
	free(cl.tmp);
	free(lv);
	return rc;
}

/* Count what was generalized and suppressed, per variable and in total. */
static void
count_stats(struct xtable *t)
{
	for (size_t q = 0; q < t->nqi; q++) {
		struct xqi *x = &t->qis[q];
		const struct ds_col *c = &t->d->cols[x->iv];
		for (size_t i = 0; i < t->n; i++) {
			size_t r = drow(t, i);
			if (x->level >= x->top || t->rsupp[i]) {
				x->suppressed++;
				continue;
			}
			if (x->level > 0 && c->kind == DS_I16 &&
			    c->i16[r] != DS_NONE &&
			    !c->is_missing[c->i16[r] - c->lo])
				x->generalized++;
		}
		t->st.values_generalized += x->generalized;
		t->st.values_suppressed += x->suppressed;
	}
}

/* ---- the plan of columns ---- */

static char *
xstrdup(const char *s)
{
	return strdup(s != NULL ? s : "");
}

static int
add_val(struct xvar *v, long code, const char *label)
{
	struct xval *p = realloc(v->vals, (v->nvals + 1) * sizeof(*p));

	if (p == NULL)
		return -1;
	v->vals = p;
	p[v->nvals].code = code;
	if ((p[v->nvals].label = xstrdup(label)) == NULL)
		return -1;
	v->nvals++;
	return 0;
}

static void
add_miss(struct xvar *v, long code)
{
	for (size_t j = 0; j < v->nmiss; j++)
		if (v->miss[j] == code)
			return;
	if (v->nmiss < XMISS_MAX)
		v->miss[v->nmiss++] = code;
}

static struct xvar *
new_var(struct xtable *t, const char *name, const char *label,
    enum xcol kind, size_t iv)
{
	struct xvar *p = realloc(t->vars, (t->nvars + 1) * sizeof(*p));

	if (p == NULL)
		return NULL;
	t->vars = p;
	p = &t->vars[t->nvars];
	memset(p, 0, sizeof(*p));
	p->kind = kind;
	p->iv = iv;
	p->qi = -1;
	p->measure = XM_SCALE;
	p->name = xstrdup(name);
	p->label = xstrdup(label);
	if (p->name == NULL || p->label == NULL) {
		free(p->name);
		free(p->label);
		return NULL;
	}
	t->nvars++;
	return p;
}

/* Is code used by the item (a choice or a group of a level)? */
static int
code_used(const struct form_item *it, long code)
{
	if (it == NULL)
		return 0;
	if (form_choice_find(it, code) != NULL)
		return 1;
	for (size_t l = 0; l < it->ngeneralize; l++)
		for (size_t g = 0; g < it->generalize[l].ngroups; g++)
			if (it->generalize[l].groups[g].value == code)
				return 1;
	if ((it->kind == FORM_INTEGER || it->kind == FORM_DECIMAL ||
	        it->kind == FORM_SCALE) && (double)code >= it->min &&
	    (double)code <= it->max)
		return 1;
	return 0;
}

static int
qi_init(struct xtable *t, size_t iv, struct xqi *q)
{
	const struct form_item *it = t->f->vars[iv].item;
	const struct ds_col *c = &t->d->cols[iv];

	memset(q, 0, sizeof(*q));
	q->iv = iv;
	q->item = it;
	q->supp = EXPORT_SUPPRESSED;
	while (code_used(it, q->supp))
		q->supp--;
	q->top = 1;
	if (c->kind != DS_I16 || it->ngeneralize == 0 ||
	    (it->kind != FORM_SINGLE && it->kind != FORM_DURATION))
		return 0;
	q->lo = c->lo;
	q->span = (size_t)(c->hi - c->lo + 1);
	q->top = it->ngeneralize + 1;
	q->map = malloc(it->ngeneralize * q->span * sizeof(*q->map));
	if (q->map == NULL)
		return -1;
	for (size_t l = 0; l < it->ngeneralize; l++) {
		const struct form_gen_level *gl = &it->generalize[l];
		for (size_t j = 0; j < q->span; j++)
			q->map[l * q->span + j] = q->lo + (long)j;
		for (size_t g = 0; g < gl->ngroups; g++)
			for (size_t j = 0; j < gl->groups[g].nof; j++)
				q->map[l * q->span + (size_t)(gl->groups[g].of[j] -
				    q->lo)] = gl->groups[g].value;
	}
	return 0;
}

/*
 * Does a condition or score use a variable flagged in bad[] (the
 * quasi-identifiers, and scores computed from them)? Such a score would
 * carry the quasi-identifier past its generalization, so it stays out.
 */
static int
cond_uses(const struct form_cond *c, const uint8_t *bad)
{
	if (c == NULL)
		return 0;
	switch (c->op) {
	case COND_ALL:
	case COND_ANY:
	case COND_NOT:
	case COND_COUNT:
		for (size_t i = 0; i < c->nkids; i++)
			if (cond_uses(c->kids[i], bad))
				return 1;
		return 0;
	default:
		return bad[c->ivar];
	}
}

static int
score_uses(const struct form_score *sc, const uint8_t *bad)
{
	for (size_t i = 0; i < sc->nitems; i++)
		if (bad[sc->items[i]])
			return 1;
	for (size_t i = 0; i < sc->nconds; i++)
		if (cond_uses(sc->conds[i], bad))
			return 1;
	if (sc->kind == FORM_SCORE_BANDS && bad[sc->of])
		return 1;
	return cond_uses(sc->when, bad);
}

/* Labels of a coded item variable at generalization level lv. */
static int
item_vals(const struct form *f, struct xvar *v, const struct form_item *it,
    size_t lv)
{
	if (it->kind == FORM_YESNO) {
		const char *no = form_text_get(f, &it->min_label, 0);
		const char *yes = form_text_get(f, &it->max_label, 0);
		v->factor = 1;
		v->measure = XM_NOMINAL;
		return add_val(v, 0, no ? no : "No") ||
		    add_val(v, 1, yes ? yes : "Yes");
	}
	if (it->nchoices == 0)
		return 0;
	v->factor = 1;
	v->measure = it->kind == FORM_SINGLE ? XM_NOMINAL : XM_ORDINAL;
	if (lv > 0 && lv <= it->ngeneralize) {
		const struct form_gen_level *gl = &it->generalize[lv - 1];
		for (size_t g = 0; g < gl->ngroups; g++)
			if (add_val(v, gl->groups[g].value, form_text_get(f,
			    &gl->groups[g].label, 0)) != 0)
				return -1;
	}
	for (size_t j = 0; j < it->nchoices; j++) {
		const struct form_choice *ch = &it->choices[j];
		if (ch->missing)
			add_miss(v, ch->value);
		if ((lv == 0 || ch->missing) &&
		    add_val(v, ch->value, form_text_get(f, &ch->label, 0)) != 0)
			return -1;
	}
	return 0;
}

static int
plan_columns(struct xtable *t)
{
	const struct form *f = t->f;
	uint8_t *bad = calloc(f->nvars ? f->nvars : 1, 1);
	long *qi_of = malloc((f->nvars ? f->nvars : 1) * sizeof(*qi_of));
	int rc = -1;

	if (bad == NULL || qi_of == NULL)
		goto out;
	for (size_t iv = 0; iv < f->nvars; iv++) {
		qi_of[iv] = -1;
		if (iv < f->nitem_vars && f->vars[iv].item->quasi_identifier &&
		    f->vars[iv].type != FORM_T_TEXT) {
			bad[iv] = 1;
			qi_of[iv] = (long)t->nqi++;
		}
	}
	if (t->nqi > 0 && (t->qis = calloc(t->nqi, sizeof(*t->qis))) == NULL)
		goto out;
	for (size_t iv = 0; iv < f->nitem_vars; iv++)
		if (qi_of[iv] >= 0 && qi_init(t, iv, &t->qis[qi_of[iv]]) != 0)
			goto out;
	/* "row" unless the form has a variable of that name. */
	if (new_var(t, form_var_find(f, "row") < 0 ? "row" : "export_row",
	    "Row number of this export (random order)", XC_ROW, 0) == NULL)
		goto out;
	for (size_t iv = 0; iv < f->nvars; iv++) {
		const struct form_var *fv = &f->vars[iv];
		const struct form_item *it = fv->item;
		const char *label;
		struct xvar *v;
		if (fv->type == FORM_T_TEXT)
			continue; /* free text never leaves */
		if (fv->score != NULL) {
			if (score_uses(fv->score, bad)) {
				bad[iv] = 1;
				t->ndropped++;
				continue;
			}
			label = form_text_get(f, &fv->score->label, 0);
		} else {
			label = form_text_get(f, fv->row != NULL ?
			    &fv->row->label : &it->label, 0);
		}
		if (fv->type == FORM_T_SET) {
			for (size_t j = 0; j < it->nchoices; j++) {
				char name[FORM_VAR_MAX + 24], lab[1024];
				long cv = it->choices[j].value;
				snprintf(name, sizeof(name), "%s___%s%ld", fv->name,
				    cv < 0 ? "m" : "", cv < 0 ? -cv : cv);
				snprintf(lab, sizeof(lab), "%s: %s", label,
				    form_text_get(f, &it->choices[j].label, 0));
				if ((v = new_var(t, name, lab, XC_OPTION, iv)) ==
				    NULL)
					goto out;
				v->opt = j;
				v->measure = XM_NOMINAL;
				v->qi = qi_of[iv];
				if (add_val(v, 0, "not chosen") ||
				    add_val(v, 1, "chosen"))
					goto out;
			}
			continue;
		}
		if ((v = new_var(t, fv->name, label, fv->type == FORM_T_REAL ?
		    XC_REAL : XC_INT, iv)) == NULL)
			goto out;
		v->qi = qi_of[iv];
		if (fv->score != NULL) {
			const struct form_score *sc = fv->score;
			if (sc->kind == FORM_SCORE_BANDS) {
				v->factor = 1;
				v->measure = XM_ORDINAL;
				for (size_t j = 0; j <= sc->ncuts; j++)
					if (add_val(v, (long)j, form_text_get(f,
					    &sc->band_labels[j], 0)) != 0)
						goto out;
			} else if (sc->kind == FORM_SCORE_CRITERIA) {
				v->factor = 1;
				v->measure = XM_NOMINAL;
				if (add_val(v, 0, "No") || add_val(v, 1, "Yes"))
					goto out;
			}
			continue;
		}
		if (it->kind == FORM_SCALE || it->kind == FORM_INTEGER ||
		    it->kind == FORM_DECIMAL)
			continue;
		if (item_vals(f, v, it, 0) != 0)
			goto out;
	}
	rc = 0;
out:
	free(bad);
	free(qi_of);
	return rc;
}

/* Once the levels are known: labels of generalized codes, missing codes. */
static int
finish_qi_columns(struct xtable *t)
{
	for (size_t j = 0; j < t->nvars; j++) {
		struct xvar *v = &t->vars[j];
		const struct xqi *q;
		if (v->qi < 0)
			continue;
		q = &t->qis[v->qi];
		if (v->kind != XC_OPTION && q->level > 0 && q->level < q->top &&
		    q->span > 0) {
			for (size_t i = 0; i < v->nvals; i++)
				free(v->vals[i].label);
			v->nvals = 0;
			v->nmiss = 0;
			if (item_vals(t->f, v, q->item, q->level) != 0)
				return -1;
		}
		if (q->level >= q->top) {
			/* Fully suppressed: one code is left. */
			for (size_t i = 0; i < v->nvals; i++)
				free(v->vals[i].label);
			v->nvals = 0;
			v->nmiss = 0;
			v->factor = 0;
		}
		if (q->level >= q->top || t->st.rows_suppressed > 0) {
			if (add_val(v, q->supp, EXPORT_SUPPRESSED_LABEL) != 0)
				return -1;
			add_miss(v, q->supp);
		}
	}
	return 0;
}

void
xtable_free(struct xtable *t)
{
	if (t == NULL)
		return;
	for (size_t j = 0; j < t->nvars; j++) {
		free(t->vars[j].name);
		free(t->vars[j].label);
		for (size_t i = 0; i < t->vars[j].nvals; i++)
			free(t->vars[j].vals[i].label);
		free(t->vars[j].vals);
	}
	free(t->vars);
	for (size_t q = 0; q < t->nqi; q++)
		free(t->qis[q].map);
	free(t->qis);
	free(t->perm);
	free(t->rsupp);
	free(t);
}

int
xtable_build(const struct form *f, const struct dataset *d,
    const struct export_opts *o, struct xtable **out, char *err,
    size_t errsz)
{
	struct xtable *t;

	*out = NULL;
	if (o->k < 2 || !(o->max_suppress_pct >= 0) ||
	    o->max_suppress_pct > 100) {
		snprintf(err, errsz, "k must be at least 2 and the suppression "
		    "limit a percent");
		return -1;
	}
	if (d->n < (size_t)o->k) {
		snprintf(err, errsz, "%zu rows, fewer than k = %ld: a "
		    "row-level export would not be k-anonymous; nothing was "
		    "written", d->n, o->k);
		return -1;
	}
	if (sodium_init() < 0) {
		snprintf(err, errsz, "libsodium could not be initialized");
		return -1;
	}
	if ((t = calloc(1, sizeof(*t))) == NULL)
		goto nomem;
	t->f = f;
	t->d = d;
	t->n = d->n;
	t->k = o->k;
	t->max_pct = o->max_suppress_pct;
	t->private_run = o->private_run;
	t->st.rows = d->n;
	t->perm = malloc(t->n * sizeof(*t->perm));
	t->rsupp = calloc(t->n, 1);
	if (t->perm == NULL || t->rsupp == NULL)
		goto nomem;
	/* Fisher-Yates with a uniform draw: insertion order never leaves. */
	for (size_t i = 0; i < t->n; i++)
		t->perm[i] = i;
	for (size_t i = t->n; i > 1; i--) {
		size_t j, s;
		if (i - 1 > UINT32_MAX) {
			j = (size_t)randombytes_uniform(UINT32_MAX) |
			    ((size_t)randombytes_uniform(
			        (uint32_t)((i - 1) >> 32) + 1) << 32);
			j %= i;
		} else {
			j = randombytes_uniform((uint32_t)i);
		}
		s = t->perm[i - 1];
		t->perm[i - 1] = t->perm[j];
		t->perm[j] = s;
	}
	if (plan_columns(t) != 0 || anonymize(t) != 0)
		goto nomem;
	count_stats(t);
	if (finish_qi_columns(t) != 0)
		goto nomem;
	*out = t;
	return 0;
nomem:
	xtable_free(t);
	snprintf(err, errsz, "out of memory building the export");
	return -1;
}

/* ---- cells ---- */

/* The shortest of %.15g and %.17g that reads back as x. */
static const char *
fmt_real(double x, char *buf, size_t n)
{
	if (x == 0)
		x = 0;
	snprintf(buf, n, "%.15g", x);
	if (strtod(buf, NULL) != x)
		snprintf(buf, n, "%.17g", x);
	return buf;
}

const char *
xcell(const struct xtable *t, const struct xvar *v, size_t i, char *buf,
    size_t n)
{
	const struct ds_col *c;
	size_t r;
	uint64_t key;

	if (v->kind == XC_ROW) {
		snprintf(buf, n, "%zu", i + 1);
		return buf;
	}
	c = &t->d->cols[v->iv];
	r = drow(t, i);
	if (v->qi >= 0) {
		const struct xqi *q = &t->qis[v->qi];
		if (t->rsupp[i] || q->level >= q->top) {
			snprintf(buf, n, "%ld", q->supp);
			return buf;
		}
		if (c->kind == DS_I16) {
			key = qkey(t, q, i, q->level);
			if (key == KEY_UNSET)
				return NULL;
			snprintf(buf, n, "%ld", (long)key - KEY_BIAS);
			return buf;
		}
	}
	switch (c->kind) {
	case DS_I16:
		if (c->i16[r] == DS_NONE)
			return NULL;
		snprintf(buf, n, "%d", (int)c->i16[r]);
		return buf;
	case DS_F64:
		if (isnan(c->f64[r]))
			return NULL;
		if (v->kind == XC_INT && fabs(c->f64[r]) < 1e15) {
			snprintf(buf, n, "%.0f", c->f64[r] == 0 ? 0.0 :
			    c->f64[r]);
			return buf;
		}
		return fmt_real(c->f64[r], buf, n);
	case DS_MASK:
		if (!c->mset[r])
			return NULL;
		snprintf(buf, n, "%d", (int)((c->mask[r] >> v->opt) & 1));
		return buf;
	default:
		return NULL;
	}
}

const char *
xlevel_text(const struct xqi *q, char *buf, size_t n)
{
	if (q->level >= q->top)
		snprintf(buf, n, "*");
	else
		snprintf(buf, n, "%zu", q->level);
	return buf;
}

/* ---- writers ---- */

static int
write_data_csv(const struct xtable *t, FILE *fp)
{
	struct csv_out c;
	char buf[64];

	memset(&c, 0, sizeof(c));
	c.fp = fp;
	for (size_t j = 0; j < t->nvars; j++)
		csv_field(&c, t->vars[j].name);
	csv_end_row(&c);
	for (size_t i = 0; i < t->n && !c.err; i++) {
		for (size_t j = 0; j < t->nvars; j++)
			csv_field(&c, xcell(t, &t->vars[j], i, buf, sizeof(buf)));
		csv_end_row(&c);
	}
	return c.err || ferror(fp) ? -1 : 0;
}

static const char *const measure_names[XM__MAX] = {"nominal", "ordinal",
    "scale"};

static const char *
type_name(const struct xvar *v)
{
	switch (v->kind) {
	case XC_REAL:
		return "decimal";
	case XC_OPTION:
		return "0/1";
	default:
		return "integer";
	}
}

static int
write_codebook_csv(const struct xtable *t, FILE *fp)
{
	static const char *const cols[] = {"variable", "label", "type",
	    "measure", "values", "missing_codes", "generalization_level",
	    NULL};
	struct csv_out c;
	char lv[24];

	memset(&c, 0, sizeof(c));
	c.fp = fp;
	for (size_t j = 0; cols[j] != NULL; j++)
		csv_field(&c, cols[j]);
	csv_end_row(&c);
	for (size_t j = 0; j < t->nvars; j++) {
		const struct xvar *v = &t->vars[j];
		char *vals = NULL, miss[128] = "";
		size_t vlen = 0, mlen = 0;
		FILE *ms = open_memstream(&vals, &vlen);
		if (ms == NULL)
			return -1;
		for (size_t i = 0; i < v->nvals; i++)
			fprintf(ms, "%s%ld=%s", i ? ";" : "", v->vals[i].code,
			    v->vals[i].label);
		if (fclose(ms) != 0) {
			free(vals);
			return -1;
		}
		for (size_t i = 0; i < v->nmiss; i++)
			mlen += (size_t)snprintf(miss + mlen, sizeof(miss) - mlen,
			    "%s%ld", i ? ";" : "", v->miss[i]);
		csv_field(&c, v->name);
		csv_field(&c, v->label);
		csv_field(&c, type_name(v));
		csv_field(&c, measure_names[v->measure]);
		csv_field(&c, vals);
		csv_field(&c, miss);
		csv_field(&c, v->qi >= 0 ? xlevel_text(&t->qis[v->qi], lv,
		    sizeof(lv)) : NULL);
		csv_end_row(&c);
		free(vals);
	}
	return c.err || ferror(fp) ? -1 : 0;
}

/* The variables as JSON (data.json's metadata). */
static json_t *
vars_json(const struct xtable *t)
{
	json_t *a = json_array();
	char lv[24];

	for (size_t j = 0; a != NULL && j < t->nvars; j++) {
		const struct xvar *v = &t->vars[j];
		json_t *o = json_object(), *vals = json_array(),
		       *miss = json_array();
		if (o == NULL || vals == NULL || miss == NULL) {
			json_decref(o);
			json_decref(vals);
			json_decref(miss);
			json_decref(a);
			return NULL;
		}
		for (size_t i = 0; i < v->nvals; i++)
			json_array_append_new(vals, json_pack("{s:I,s:s}", "code",
			    (json_int_t)v->vals[i].code, "label",
			    v->vals[i].label));
		for (size_t i = 0; i < v->nmiss; i++)
			json_array_append_new(miss,
			    json_integer((json_int_t)v->miss[i]));
		json_object_set_new(o, "name", json_string(v->name));
		json_object_set_new(o, "label", json_string(v->label));
		json_object_set_new(o, "type", json_string(type_name(v)));
		json_object_set_new(o, "measure",
		    json_string(measure_names[v->measure]));
		json_object_set_new(o, "values", vals);
		json_object_set_new(o, "missing_codes", miss);
		if (v->qi >= 0)
			json_object_set_new(o, "generalization_level",
			    json_string(xlevel_text(&t->qis[v->qi], lv,
			    sizeof(lv))));
		json_array_append_new(a, o);
	}
	return a;
}

/* deidentification.json: the method, its parameters and what it did. */
static json_t *
deid_json(const struct xtable *t)
{
	json_t *o, *qa = json_array(), *ft = json_array();
	char lv[24];

	if (qa == NULL || ft == NULL) {
		json_decref(qa);
		json_decref(ft);
		return NULL;
	}
	for (size_t q = 0; q < t->nqi; q++) {
		const struct xqi *x = &t->qis[q];
		json_array_append_new(qa, json_pack("{s:s,s:s,s:I,s:I,s:I}",
		    "variable", t->f->vars[x->iv].name, "level",
		    xlevel_text(x, lv, sizeof(lv)), "levels",
		    (json_int_t)x->top, "values_generalized",
		    (json_int_t)x->generalized, "values_suppressed",
		    (json_int_t)x->suppressed));
	}
	for (size_t iv = 0; iv < t->f->nvars; iv++)
		if (t->f->vars[iv].type == FORM_T_TEXT)
			json_array_append_new(ft,
			    json_string(t->f->vars[iv].name));
	o = json_pack("{s:s,s:I,s:f,s:I,s:I,s:I,s:I,s:I,s:o,s:{s:o,s:[sssss],"
	    "s:I}}",
	    "method", "k-anonymity over the quasi-identifiers: full-domain "
	    "generalization along the form's hierarchies, then local "
	    "suppression (docs/exports.md)",
	    "k", (json_int_t)t->k, "max_suppress_percent", t->max_pct,
	    "rows", (json_int_t)t->st.rows,
	    "rows_suppressed", (json_int_t)t->st.rows_suppressed,
	    "values_generalized", (json_int_t)t->st.values_generalized,
	    "values_suppressed", (json_int_t)t->st.values_suppressed,
	    "suppressed_code", (json_int_t)EXPORT_SUPPRESSED,
	    "quasi_identifiers", qa,
	    "left_out", "free_text", ft, "never_exported", "response id",
	    "receipt hash", "form version", "consent version",
	    "submission period", "scores_of_quasi_identifiers",
	    (json_int_t)t->ndropped);
	if (o != NULL && t->private_run &&
	    json_object_set_new(o, "publication",
	    json_string(REPORT_NOT_FOR_PUBLICATION)) != 0) {
		json_decref(o);
		return NULL;
	}
	return o;
}

static int
dump_json(json_t *j, FILE *fp)
{
	if (j == NULL)
		return -1;
	if (json_dumpf(j, fp, JSON_INDENT(1) | JSON_PRESERVE_ORDER) != 0 ||
	    fputc('\n', fp) == EOF)
		return -1;
	return 0;
}

static int
write_data_json(const struct xtable *t, FILE *fp)
{
	json_t *meta = json_pack("{s:s,s:o,s:o}", "form", t->f->id,
	    "variables", vars_json(t), "deidentification", deid_json(t));
	char buf[64];
	int rc = -1;

	if (meta == NULL)
		return -1;
	if (fputs("{\"metadata\": ", fp) == EOF ||
	    json_dumpf(meta, fp, JSON_INDENT(1) | JSON_PRESERVE_ORDER) != 0 ||
	    fputs(",\n\"data\": [\n", fp) == EOF)
		goto out;
	for (size_t i = 0; i < t->n; i++) {
		fputs(i ? ",\n{" : "{", fp);
		for (size_t j = 0; j < t->nvars; j++) {
			const char *s = xcell(t, &t->vars[j], i, buf,
			    sizeof(buf));
			/* names are [a-z0-9_], cells are numbers */
			fprintf(fp, "%s\"%s\": %s", j ? ", " : "",
			    t->vars[j].name, s != NULL ? s : "null");
		}
		fputc('}', fp);
	}
	if (fputs("\n]}\n", fp) == EOF || ferror(fp))
		goto out;
	rc = 0;
out:
	json_decref(meta);
	return rc;
}

/* ---- atomic files ---- */

#define XFILES_MAX 8

struct xfiles {
	const char *dir;
	char *tmp[XFILES_MAX], *final[XFILES_MAX];
	size_t n;
};

/* A new temporary file in dir for name; NULL with err. */
static FILE *
xf_open(struct xfiles *xs, const char *name, char *err, size_t errsz)
{
	char *tmp = NULL, *fin = NULL;
	size_t n = strlen(xs->dir) + strlen(name) + 16;
	FILE *fp;
	int fd;

	if (xs->n >= XFILES_MAX || (tmp = malloc(n)) == NULL ||
	    (fin = malloc(n)) == NULL) {
		free(tmp);
		snprintf(err, errsz, "%s/%s: out of memory", xs->dir, name);
		return NULL;
	}
	snprintf(tmp, n, "%s/.%s.XXXXXX", xs->dir, name);
	snprintf(fin, n, "%s/%s", xs->dir, name);
	if ((fd = mkstemp(tmp)) < 0) {
		snprintf(err, errsz, "%s: %s", fin, strerror(errno));
		free(tmp);
		free(fin);
		return NULL;
	}
	if (fmode_fd(fd, fmode_file()) != 0 || (fp = fdopen(fd, "wb")) ==
	    NULL) {
		snprintf(err, errsz, "%s: %s", fin, strerror(errno));
		close(fd);
		unlink(tmp);
		free(tmp);
		free(fin);
		return NULL;
	}
	xs->tmp[xs->n] = tmp;
	xs->final[xs->n] = fin;
	xs->n++;
	return fp;
}

/* Flush, sync and close the newest file; 0 or -1 with err. */
static int
xf_close(struct xfiles *xs, FILE *fp, int wrote, char *err, size_t errsz)
{
	int rc = wrote;

	if (fflush(fp) != 0 || ferror(fp) || fsync(fileno(fp)) != 0)
		rc = -1;
	if (fclose(fp) != 0)
		rc = -1;
	if (rc != 0)
		snprintf(err, errsz, "%s: %s", xs->final[xs->n - 1],
		    errno ? strerror(errno) : "write failed");
	return rc;
}

/* Rename every temporary file to its name (commit = 1) or remove them all. */
static int
xf_finish(struct xfiles *xs, int commit, char *err, size_t errsz)
{
	int rc = 0;

	for (size_t i = 0; i < xs->n; i++) {
		if (commit && rc == 0 && rename(xs->tmp[i], xs->final[i]) != 0) {
			snprintf(err, errsz, "%s: %s", xs->final[i],
			    strerror(errno));
			rc = -1;
		}
		if (!commit || rc != 0)
			unlink(xs->tmp[i]);
		free(xs->tmp[i]);
		free(xs->final[i]);
	}
	xs->n = 0;
	if (commit && rc == 0 && fmode_fsync_dir(xs->dir) != 0) {
		snprintf(err, errsz, "%s: %s", xs->dir, strerror(errno));
		rc = -1;
	}
	return rc;
}

int
export_write_file(const char *dir, const char *name, const char *buf,
    size_t len, char *err, size_t errsz)
{
	struct xfiles xs = {.dir = dir};
	FILE *fp = xf_open(&xs, name, err, errsz);
	int w;

	if (fp == NULL)
		return -1;
	errno = 0;
	w = len > 0 && fwrite(buf, 1, len, fp) != len ? -1 : 0;
	if (xf_close(&xs, fp, w, err, errsz) != 0) {
		xf_finish(&xs, 0, err, errsz);
		return -1;
	}
	return xf_finish(&xs, 1, err, errsz);
}

void
xdiscard_dir(const char *tmpdir)
{
	DIR *dp = opendir(tmpdir);
	struct dirent *de;
	char path[4096];

	while (dp != NULL && (de = readdir(dp)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", tmpdir, de->d_name);
		unlink(path);
	}
	if (dp != NULL)
		closedir(dp);
	rmdir(tmpdir);
}

int
xpublish_dir(const char *tmpdir, const char *dir, char *err, size_t errsz)
{
	DIR *dp = opendir(tmpdir);
	struct dirent *de;
	char from[4096], to[4096];
	int rc = 0;

	if (dp == NULL) {
		snprintf(err, errsz, "%s: %s", tmpdir, strerror(errno));
		return -1;
	}
	while (rc == 0 && (de = readdir(dp)) != NULL) {
		int fd;
		if (de->d_name[0] == '.')
			continue;
		snprintf(from, sizeof(from), "%s/%s", tmpdir, de->d_name);
		snprintf(to, sizeof(to), "%s/%s", dir, de->d_name);
		/* The writers set the mode; a file that lost it gets it back. */
		if ((fd = open(from, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)) < 0) {
			rc = -1;
		} else {
			if (fmode_fd(fd, fmode_file()) != 0 || fsync(fd) != 0)
				rc = -1;
			if (close(fd) != 0)
				rc = -1;
		}
		if (rc == 0 && rename(from, to) != 0)
			rc = -1;
		if (rc != 0)
			snprintf(err, errsz, "%s: %s", to, strerror(errno));
	}
	closedir(dp);
	xdiscard_dir(tmpdir); /* what a failure left behind */
	if (rc == 0 && fmode_fsync_dir(dir) != 0) {
		snprintf(err, errsz, "%s: %s", dir, strerror(errno));
		rc = -1;
	}
	return rc;
}

/* ---- the API ---- */

int
export_rows_csv(const struct form *f, const struct dataset *d,
    const struct export_opts *o, char **out, size_t *len,
    struct export_stats *st, char *err, size_t errsz)
{
	struct xtable *t = NULL;
	FILE *ms;
	int rc;

	*out = NULL;
	*len = 0;
	if (xtable_build(f, d, o, &t, err, errsz) != 0)
		return -1;
	if ((ms = open_memstream(out, len)) == NULL) {
		xtable_free(t);
		snprintf(err, errsz, "out of memory");
		return -1;
	}
	rc = write_data_csv(t, ms);
	if (fclose(ms) != 0)
		rc = -1;
	if (rc != 0) {
		free(*out);
		*out = NULL;
		*len = 0;
		snprintf(err, errsz, "out of memory writing the export");
	} else if (st != NULL) {
		*st = t->st;
	}
	xtable_free(t);
	return rc;
}

static void
print_report(const struct xtable *t, FILE *fp)
{
	char lv[24];

	fprintf(fp, "%llu rows exported, k = %ld: %llu quasi-identifier "
	    "values generalized, %llu suppressed (%llu rows suppressed)\n",
	    (unsigned long long)t->st.rows, t->k,
	    (unsigned long long)t->st.values_generalized,
	    (unsigned long long)t->st.values_suppressed,
	    (unsigned long long)t->st.rows_suppressed);
	for (size_t q = 0; q < t->nqi; q++) {
		const struct xqi *x = &t->qis[q];
		fprintf(fp, "  %-20s level %s of %zu: %llu generalized, %llu "
		    "suppressed\n", t->f->vars[x->iv].name,
		    xlevel_text(x, lv, sizeof(lv)), x->top,
		    (unsigned long long)x->generalized,
		    (unsigned long long)x->suppressed);
	}
	if (t->ndropped > 0)
		fprintf(fp, "  %zu scores computed from quasi-identifiers left "
		    "out\n", t->ndropped);
}

int
export_write(const struct form *f, const struct dataset *d,
    enum export_format fmt, const struct export_opts *o, const char *dir,
    struct export_stats *st, FILE *report, char *err, size_t errsz)
{
	struct xfiles xs = {.dir = dir};
	struct xtable *t = NULL;
	const char *script = NULL;
	int (*pkg)(const struct xtable *, FILE *) = NULL;
	json_t *deid = NULL;
	FILE *fp;
	int rc = -1;

	switch (fmt) {
	case EXPORT_SPSS:
		script = "data.sps";
		pkg = xpkg_spss;
		break;
	case EXPORT_R:
		script = "load.R";
		pkg = xpkg_r;
		break;
	case EXPORT_STATA:
		script = "load.do";
		pkg = xpkg_stata;
		break;
	case EXPORT_CSV:
	case EXPORT_JSON:
		break;
	default:
		snprintf(err, errsz, "not a row-level format");
		return -1;
	}
	if (xtable_build(f, d, o, &t, err, errsz) != 0)
		return -1;
	errno = 0;
	if (fmt == EXPORT_JSON) {
		if ((fp = xf_open(&xs, "data.json", err, errsz)) == NULL ||
		    xf_close(&xs, fp, write_data_json(t, fp), err, errsz) != 0)
			goto out;
	} else {
		if ((fp = xf_open(&xs, "data.csv", err, errsz)) == NULL ||
		    xf_close(&xs, fp, write_data_csv(t, fp), err, errsz) != 0)
			goto out;
	}
	if ((fp = xf_open(&xs, "codebook.csv", err, errsz)) == NULL ||
	    xf_close(&xs, fp, write_codebook_csv(t, fp), err, errsz) != 0)
		goto out;
	if (pkg != NULL && ((fp = xf_open(&xs, script, err, errsz)) == NULL ||
	    xf_close(&xs, fp, pkg(t, fp), err, errsz) != 0))
		goto out;
	deid = deid_json(t);
	if ((fp = xf_open(&xs, "deidentification.json", err, errsz)) == NULL ||
	    xf_close(&xs, fp, dump_json(deid, fp), err, errsz) != 0)
		goto out;
	if (xf_finish(&xs, 1, err, errsz) != 0)
		goto out;
	if (report != NULL)
		print_report(t, report);
	if (st != NULL)
		*st = t->st;
	rc = 0;
out:
	if (xs.n > 0)
		xf_finish(&xs, 0, err, errsz);
	json_decref(deid);
	xtable_free(t);
	return rc;
}
