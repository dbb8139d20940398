/*
 * Loading responses into columns (dataset.h). This is the only place that
 * reads the store for the analysis: one walk in id order, one decode per
 * row, one append per variable, and the SHA-256 of the bytes read so that
 * a report names exactly the data it describes.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "dataset.h"
#include "stats.h"

/* Grow every column to hold at least want rows; 0 or -1. */
static int
grow(struct dataset *d, size_t want)
{
	size_t cap = d->cap ? d->cap : 64;

	if (want <= d->cap)
		return 0;
	while (cap < want) {
		if (cap > SIZE_MAX / 2)
			return -1;
		cap *= 2;
	}
	for (size_t i = 0; i < d->form->nvars; i++) {
		struct ds_col *c = &d->cols[i];
		void *p;
		switch (c->kind) {
		case DS_I16:
			if ((p = realloc(c->i16, cap * sizeof(*c->i16))) == NULL)
				return -1;
			c->i16 = p;
			break;
		case DS_F64:
			if ((p = realloc(c->f64, cap * sizeof(*c->f64))) == NULL)
				return -1;
			c->f64 = p;
			break;
		case DS_MASK:
			if ((p = realloc(c->mask, cap * sizeof(*c->mask))) == NULL)
				return -1;
			c->mask = p;
			if ((p = realloc(c->mset, cap)) == NULL)
				return -1;
			c->mset = p;
			break;
		default:
			break;
		}
	}
	d->cap = cap;
	return 0;
}

/* Decide the storage of variable iv from the form. */
static int
col_init(const struct form *f, size_t iv, struct ds_col *c)
{
	const struct form_var *fv = &f->vars[iv];
	const struct form_item *it = fv->item;

	c->kind = DS_F64;
	c->lo = 0;
	c->hi = -1;
	if (fv->type == FORM_T_TEXT) {
		c->kind = DS_SKIP;
		return 0;
	}
	if (fv->type == FORM_T_SET) {
		c->kind = DS_MASK;
		for (size_t j = 0; j < it->nchoices; j++)
			if (it->choices[j].exclusive)
				c->excl |= (uint64_t)1 << j;
		return 0;
	}
	if (iv >= f->nitem_vars || fv->type != FORM_T_INT)
		return 0; /* scores, decimals: doubles */
	if (it->nchoices > 0) {
		c->lo = it->choices[0].value;
		c->hi = it->choices[0].value;
		for (size_t j = 1; j < it->nchoices; j++) {
			if (it->choices[j].value < c->lo)
				c->lo = it->choices[j].value;
			if (it->choices[j].value > c->hi)
				c->hi = it->choices[j].value;
		}
	} else {
		if (it->min < -32767 || it->max > 32767)
			return 0; /* a wide integer item: doubles */
		c->lo = (long)it->min;
		c->hi = (long)it->max;
	}
	c->kind = DS_I16;
	c->small = c->hi - c->lo < STATS_COUNTS_MAX;
	c->is_missing = calloc((size_t)(c->hi - c->lo + 1), 1);
	if (c->is_missing == NULL)
		return -1;
	for (size_t j = 0; j < it->nchoices; j++)
		if (it->choices[j].missing)
			c->is_missing[it->choices[j].value - c->lo] = 1;
	return 0;
}

struct dataset *
dataset_new(const struct form *f, size_t cap)
{
	struct dataset *d = calloc(1, sizeof(*d));

	if (d == NULL)
		return NULL;
	d->form = f;
	if ((d->cols = calloc(f->nvars ? f->nvars : 1, sizeof(*d->cols))) ==
	    NULL)
		goto fail;
	for (size_t i = 0; i < f->nvars; i++)
		if (col_init(f, i, &d->cols[i]) != 0)
			goto fail;
	if (grow(d, cap ? cap : 1) != 0)
		goto fail;
	return d;
fail:
	dataset_free(d);
	return NULL;
}

void
dataset_free(struct dataset *d)
{
	if (d == NULL)
		return;
	for (size_t i = 0; d->cols != NULL && i < d->form->nvars; i++) {
		free(d->cols[i].i16);
		free(d->cols[i].f64);
		free(d->cols[i].mask);
		free(d->cols[i].mset);
		free(d->cols[i].is_missing);
	}
	free(d->cols);
	for (size_t i = 0; i < d->nfails; i++)
		free(d->fails[i].what);
	free(d);
}

int
dataset_append(struct dataset *d, const struct form_answers *a)
{
	const struct form *f = d->form;
	size_t r = d->n;

	if (r == SIZE_MAX || grow(d, r + 1) != 0)
		return -1;
	for (size_t i = 0; i < f->nvars; i++) {
		const struct form_value *v = &a->v[i];
		struct ds_col *c = &d->cols[i];
		switch (c->kind) {
		case DS_I16:
			c->i16[r] = v->set && v->i >= c->lo && v->i <= c->hi ?
			    (int16_t)v->i : DS_NONE;
			break;
		case DS_F64:
			if (!v->set)
				c->f64[r] = NAN;
			else if (f->vars[i].type == FORM_T_INT &&
			    i < f->nitem_vars)
				c->f64[r] = (double)v->i;
			else
				c->f64[r] = isfinite(v->r) ? v->r : NAN;
			break;
		case DS_MASK:
			c->mask[r] = v->set ? v->mask : 0;
			c->mset[r] = v->set != 0;
			break;
		default:
			break;
		}
	}
	d->n = r + 1;
	return 0;
}

int
ds_set(const struct dataset *d, size_t iv, size_t r)
{
	const struct ds_col *c = &d->cols[iv];

	switch (c->kind) {
	case DS_I16:
		return c->i16[r] != DS_NONE;
	case DS_F64:
		return !isnan(c->f64[r]);
	case DS_MASK:
		return c->mset[r];
	default:
		return 0;
	}
}

int
ds_known(const struct dataset *d, size_t iv, size_t r)
{
	const struct ds_col *c = &d->cols[iv];

	if (c->kind == DS_I16)
		return c->i16[r] != DS_NONE && !c->is_missing[c->i16[r] - c->lo];
	return ds_set(d, iv, r);
}

int
ds_num(const struct dataset *d, size_t iv, size_t r, double *x)
{
	const struct ds_col *c = &d->cols[iv];

	switch (c->kind) {
	case DS_I16:
		if (c->i16[r] == DS_NONE || c->is_missing[c->i16[r] - c->lo])
			return 0;
		*x = c->i16[r];
		return 1;
	case DS_F64:
		if (isnan(c->f64[r]))
			return 0;
		*x = c->f64[r];
		return 1;
	case DS_MASK:
		if (!c->mset[r])
			return 0;
		*x = __builtin_popcountll(c->mask[r] & ~c->excl);
		return 1;
	default:
		return 0;
	}
}

int
ds_code(const struct dataset *d, size_t iv, size_t r, long *code)
{
	const struct ds_col *c = &d->cols[iv];

	if (c->kind == DS_I16) {
		if (c->i16[r] == DS_NONE)
			return 0;
		*code = c->i16[r];
		return 1;
	}
	if (c->kind == DS_F64 && !isnan(c->f64[r]) &&
	    c->f64[r] == floor(c->f64[r]) && fabs(c->f64[r]) < 1e15) {
		*code = (long)c->f64[r];
		return 1;
	}
	return 0;
}

/* After loading: integer scores whose values span a small range use counts. */
static void
finish_ranges(struct dataset *d)
{
	const struct form *f = d->form;

	for (size_t i = f->nitem_vars; i < f->nvars; i++) {
		struct ds_col *c = &d->cols[i];
		double lo = INFINITY, hi = -INFINITY;
		int ok = f->vars[i].type == FORM_T_INT;
		for (size_t r = 0; ok && r < d->n; r++) {
			double x = c->f64[r];
			if (isnan(x))
				continue;
			if (x != floor(x) || fabs(x) > 1e9)
				ok = 0;
			if (x < lo)
				lo = x;
			if (x > hi)
				hi = x;
		}
		if (!ok)
			continue;
		if (lo > hi) /* no values: an empty counts range */
			lo = hi = 0;
		if (hi - lo >= STATS_COUNTS_MAX)
			continue;
		c->lo = (long)lo;
		c->hi = (long)hi;
		c->small = 1;
	}
}

struct load_ctx {
	struct dataset *d;
	struct form_answers *a;
	struct diag diag;
	crypto_hash_sha256_state hs;
	uint64_t total;
	void (*progress)(uint64_t, uint64_t, void *);
	void *parg;
	int nomem;
};

static void
hash_str(crypto_hash_sha256_state *hs, const char *s)
{
	crypto_hash_sha256_update(hs, (const unsigned char *)s, strlen(s) + 1);
}

/* Count one decode problem under its first message. */
static int
note_fail(struct dataset *d, const struct diag *dg)
{
	char buf[256];

	if (dg->n == 0)
		snprintf(buf, sizeof(buf), "undecodable answers");
	else
		snprintf(buf, sizeof(buf), "%s: %s", dg->a[0].where,
		    dg->a[0].what);
	for (size_t i = 0; i < d->nfails; i++)
		if (strcmp(d->fails[i].what, buf) == 0) {
			d->fails[i].rows++;
			return 0;
		}
	if (d->nfails == DS_FAIL_KEEP) {
		d->fails_other++;
		return 0;
	}
	if ((d->fails[d->nfails].what = strdup(buf)) == NULL)
		return -1;
	d->fails[d->nfails++].rows = 1;
	return 0;
}

static int
load_row(const struct store_row *row, void *arg)
{
	struct load_ctx *x = arg;
	struct dataset *d = x->d;
	const struct form *f = d->form;
	char ver[32];

	crypto_hash_sha256_update(&x->hs, row->id, STORE_ID_LEN);
	hash_str(&x->hs, row->form_id);
	snprintf(ver, sizeof(ver), "%ld", row->form_version);
	hash_str(&x->hs, ver);
	hash_str(&x->hs, row->consent_version);
	hash_str(&x->hs, row->period);
	hash_str(&x->hs, row->answers);
	hash_str(&x->hs, row->scores);
	d->rows_read++;
	if (x->progress != NULL && (d->rows_read & 0x3fff) == 0)
		x->progress(d->rows_read, x->total, x->parg);

	for (size_t i = 0; i < f->nvars; i++)
		form_answers_clear(x->a, i);
	diag_clear(&x->diag);
	if (form_answers_from_json(x->a, row->answers, &x->diag) != 0) {
		d->rows_failed++;
		if (note_fail(d, &x->diag) != 0) {
			x->nomem = 1;
			return 1;
		}
		return 0;
	}
	form_score(f, x->a);
	if (row->form_version != f->version)
		d->rows_other_version++;
	if (dataset_append(d, x->a) != 0) {
		x->nomem = 1;
		return 1;
	}
	return 0;
}

int
dataset_load(struct store *st, const struct form *f,
    void (*progress)(uint64_t, uint64_t, void *), void *parg,
    struct dataset **out, char *err, size_t errsz)
{
	struct load_ctx x;
	long total = 0;
	int rc = -1, src;

	memset(&x, 0, sizeof(x));
	diag_init(&x.diag);
	*out = NULL;
	if (sodium_init() < 0) {
		snprintf(err, errsz, "libsodium failed to initialise");
		goto out;
	}
	if (store_count(st, f->id, &total) != STORE_OK || total < 0) {
		snprintf(err, errsz, "counting responses: %s", store_errmsg(st));
		goto out;
	}
	x.total = (uint64_t)total;
	x.progress = progress;
	x.parg = parg;
	if ((x.d = dataset_new(f, (size_t)total)) == NULL ||
	    (x.a = form_answers_new(f)) == NULL) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	crypto_hash_sha256_init(&x.hs);
	src = store_foreach(st, f->id, load_row, &x);
	if (x.nomem) {
		snprintf(err, errsz, "out of memory after %llu rows",
		    (unsigned long long)x.d->rows_read);
		goto out;
	}
	if (src != STORE_OK) {
		snprintf(err, errsz, "reading responses: %s", store_errmsg(st));
		goto out;
	}
	crypto_hash_sha256_final(&x.hs, x.d->sha256);
	if (progress != NULL)
		progress(x.d->rows_read, x.total, parg);
	finish_ranges(x.d);
	*out = x.d;
	x.d = NULL;
	rc = 0;
out:
	dataset_free(x.d);
	form_answers_free(x.a);
	diag_free(&x.diag);
	return rc;
}
