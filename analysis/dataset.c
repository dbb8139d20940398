/*
 * Loading responses into columns (dataset.h). This is the only place that
 * reads the store for the analysis: one walk in id order, one decode per
 * row, one append per variable, and the SHA-256 of the bytes read so that
 * a report names exactly the data it describes.
 *
 * Decoding is most of the work of a report, so it is fast: answers in the
 * exact shape form_answers_to_json() writes are read by the form module's
 * scanner made for that shape (form_answers_fast_decode(); anything else
 * goes to form_answers_from_json(), which gives the same answers or the
 * error), and batches of rows are decoded on every core while the store is
 * read. tests/analysis/test_dataset_load_same.c
 * holds it to the result of decoding one row after the other.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "dataset.h"
#include "form_fast.h"
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

/*
 * Loading runs as a pipeline. The calling thread walks the store (SQLite
 * cannot be shared), hashes every row into the SHA-256 and copies the
 * answers text into a batch; worker threads decode whole batches into
 * batch-sized datasets; the calling thread appends the decoded batches in
 * id order. So the rows kept, their order, the decode problems and their
 * order are exactly those of decoding one row after the other.
 */
#define LOAD_BATCH 4096    /* rows per batch */
#define LOAD_WORKERS_MAX 8 /* decode threads at most */

/* One distinct decode problem of a batch, in order of first occurrence. */
struct bfail {
	char *what;
	uint64_t rows;
};

struct batch {
	size_t n;      /* rows in the batch */
	char *text;    /* the answers, NUL-terminated one after the other */
	size_t len, cap;
	size_t *off;   /* [LOAD_BATCH] start of each row's answers */
	long *ver;     /* [LOAD_BATCH] form version of each row */
	struct dataset *out; /* decoded rows; NULL until decoded */
	struct bfail *fails;
	size_t nfails, capfails;
	uint64_t failed, other_version;
	int state;     /* BATCH_FREE, _FILLING, _QUEUED, _DECODING, _DONE */
	int nomem;
};

enum { BATCH_FREE, BATCH_FILLING, BATCH_QUEUED, BATCH_DECODING, BATCH_DONE };

struct load_ctx {
	struct dataset *d;
	const struct form_versions *fv; /* how each version is decoded */
	EVP_MD_CTX *hs; /* SHA-256 of the rows read */
	uint64_t total;
	void (*progress)(uint64_t, uint64_t, void *);
	void *parg;
	int nomem;
	/* The batches, used round-robin; `fill` is being filled. */
	struct batch *b;
	size_t nb, fill, oldest;
	pthread_mutex_t mu;
	pthread_cond_t work, done;
	pthread_t th[LOAD_WORKERS_MAX];
	size_t nth;
	int stop;
};

/* Hash a string with its NUL, so that fields cannot run together. */
static int
hash_str(EVP_MD_CTX *hs, const char *s, size_t n)
{
	return EVP_DigestUpdate(hs, s, n + 1) == 1 ? 0 : -1;
}

/* Count one decode problem of a batch under its first message. */
static int
note_fail(struct batch *b, const struct diag *dg)
{
	char buf[256];

	b->failed++;
	if (dg->n == 0)
		snprintf(buf, sizeof(buf), "undecodable answers");
	else
		snprintf(buf, sizeof(buf), "%s: %s", dg->a[0].where,
		    dg->a[0].what);
	for (size_t i = 0; i < b->nfails; i++)
		if (strcmp(b->fails[i].what, buf) == 0) {
			b->fails[i].rows++;
			return 0;
		}
	if (b->nfails == b->capfails) {
		size_t cap = b->capfails ? 2 * b->capfails : 8;
		struct bfail *p = realloc(b->fails, cap * sizeof(*p));
		if (p == NULL)
			return -1;
		b->fails = p;
		b->capfails = cap;
	}
	if ((b->fails[b->nfails].what = strdup(buf)) == NULL)
		return -1;
	b->fails[b->nfails++].rows = 1;
	return 0;
}

/* Merge a batch's problems into the dataset's, keeping first-seen order. */
static int
merge_fails(struct dataset *d, const struct batch *b)
{
	for (size_t j = 0; j < b->nfails; j++) {
		size_t i;
		for (i = 0; i < d->nfails; i++)
			if (strcmp(d->fails[i].what, b->fails[j].what) == 0)
				break;
		if (i < d->nfails) {
			d->fails[i].rows += b->fails[j].rows;
			continue;
		}
		if (d->nfails == DS_FAIL_KEEP) {
			d->fails_other += b->fails[j].rows;
			continue;
		}
		if ((d->fails[d->nfails].what = strdup(b->fails[j].what)) ==
		    NULL)
			return -1;
		d->fails[d->nfails++].rows = b->fails[j].rows;
	}
	return 0;
}

/* form_answers_clear() of every variable, in one sweep. */
static void
clear_all(struct form_answers *a)
{
	size_t n = a->form->nvars;

	for (size_t i = 0; i < n; i++)
		free(a->v[i].text);
	memset(a->v, 0, n * sizeof(*a->v));
}

/*
 * The stored form of version v when its rows are mapped, else NULL (the
 * current form decodes them).
 */
static const struct form_src *
mapped_src(const struct load_ctx *x, long v)
{
	const struct form_src *src;

	if (v == x->d->form->version)
		return NULL;
	src = form_versions_find(x->fv, v);
	return src != NULL && src->kind == FORM_SRC_MAPPED ? src : NULL;
}

/* Decode json with form a->form: fast path, else the full parser. */
static int
decode_one(struct form_answers *a, const char *json, struct diag *dg)
{
	clear_all(a);
	if (form_answers_fast_decode(a, json) == 0)
		return 0;
	clear_all(a);
	diag_clear(dg);
	return form_answers_from_json(a, json, dg);
}

/* Intermediate answers for a chain of mappings (form_versions.h). */
struct chain_buf {
	const struct form_src *src;
	struct form_answers *old;            /* answers to src->form */
	struct form_answers *mid[FORM_CHAIN_MAX]; /* to steps[k]->to, k < n-1 */
	size_t nmid;
};

static void
chain_free(struct chain_buf *cb)
{
	form_answers_free(cb->old);
	for (size_t k = 0; k < cb->nmid; k++)
		form_answers_free(cb->mid[k]);
	memset(cb, 0, sizeof(*cb));
}

/* Set cb up for src (freeing what it held); 0 or -1 (memory). */
static int
chain_for(struct chain_buf *cb, const struct form_src *src)
{
	if (cb->src == src)
		return 0;
	chain_free(cb);
	cb->src = src;
	if (src->nsteps == 0 || src->nsteps > FORM_CHAIN_MAX ||
	    (cb->old = form_answers_new(src->form)) == NULL)
		return -1;
	for (size_t k = 0; k + 1 < src->nsteps; k++) {
		if ((cb->mid[k] = form_answers_new(src->steps[k]->to)) == NULL)
			return -1;
		cb->nmid++;
	}
	return 0;
}

/* Map cb->old through every step of the chain into a; 0 or -1. */
static int
chain_apply(struct chain_buf *cb, struct form_answers *a)
{
	const struct form_src *src = cb->src;
	const struct form_answers *cur = cb->old;

	for (size_t k = 0; k < src->nsteps; k++) {
		struct form_answers *dst = k + 1 < src->nsteps ? cb->mid[k] : a;
		clear_all(dst);
		if (form_mapper_apply(src->steps[k], cur, dst) != 0)
			return -1;
		cur = dst;
	}
	return 0;
}

/* Decode batch b into b->out; failures are noted, not kept. */
static void
decode_batch(struct load_ctx *x, struct batch *b)
{
	const struct form *f = x->d->form;
	struct form_answers *a = form_answers_new(f);
	const struct form_src *src;
	struct chain_buf cb;
	struct diag dg;

	memset(&cb, 0, sizeof(cb));
	diag_init(&dg);
	b->out = dataset_new(f, b->n);
	if (a == NULL || b->out == NULL) {
		b->nomem = 1;
		goto out;
	}
	for (size_t r = 0; r < b->n; r++) {
		const char *json = b->text + b->off[r];
		if ((src = mapped_src(x, b->ver[r])) != NULL) {
			/* Its own version first, then onto the current. */
			if (chain_for(&cb, src) != 0) {
				b->nomem = 1;
				goto out;
			}
			if (decode_one(cb.old, json, &dg) != 0) {
				if (note_fail(b, &dg) != 0) {
					b->nomem = 1;
					goto out;
				}
				continue;
			}
			if (chain_apply(&cb, a) != 0) {
				b->nomem = 1;
				goto out;
			}
		} else if (decode_one(a, json, &dg) != 0) {
			if (note_fail(b, &dg) != 0) {
				b->nomem = 1;
				goto out;
			}
			continue;
		}
		form_score(f, a);
		if (b->ver[r] != f->version)
			b->other_version++;
		if (dataset_append(b->out, a) != 0) {
			b->nomem = 1;
			goto out;
		}
	}
out:
	diag_free(&dg);
	chain_free(&cb);
	form_answers_free(a);
}

static void *
worker(void *arg)
{
	struct load_ctx *x = arg;

	pthread_mutex_lock(&x->mu);
	for (;;) {
		struct batch *b = NULL;
		/* The oldest queued batch first, so appends never wait long. */
		for (size_t k = 0; k < x->nb; k++) {
			struct batch *c = &x->b[(x->oldest + k) % x->nb];
			if (c->state == BATCH_QUEUED) {
				b = c;
				break;
			}
		}
		if (b == NULL) {
			if (x->stop)
				break;
			pthread_cond_wait(&x->work, &x->mu);
			continue;
		}
		b->state = BATCH_DECODING;
		pthread_mutex_unlock(&x->mu);
		decode_batch(x, b);
		pthread_mutex_lock(&x->mu);
		b->state = BATCH_DONE;
		pthread_cond_broadcast(&x->done);
	}
	pthread_mutex_unlock(&x->mu);
	return NULL;
}

/* Copy rows [0, src->n) of src to the end of d (same form). */
static int
append_rows(struct dataset *d, const struct dataset *src)
{
	size_t r = d->n, n = src->n;

	if (n == 0)
		return 0;
	if (r > SIZE_MAX - n || grow(d, r + n) != 0)
		return -1;
	for (size_t i = 0; i < d->form->nvars; i++) {
		struct ds_col *c = &d->cols[i];
		const struct ds_col *s = &src->cols[i];
		switch (c->kind) {
		case DS_I16:
			memcpy(c->i16 + r, s->i16, n * sizeof(*c->i16));
			break;
		case DS_F64:
			memcpy(c->f64 + r, s->f64, n * sizeof(*c->f64));
			break;
		case DS_MASK:
			memcpy(c->mask + r, s->mask, n * sizeof(*c->mask));
			memcpy(c->mset + r, s->mset, n);
			break;
		default:
			break;
		}
	}
	d->n = r + n;
	return 0;
}

static void
batch_reset(struct batch *b)
{
	dataset_free(b->out);
	b->out = NULL;
	for (size_t i = 0; i < b->nfails; i++)
		free(b->fails[i].what);
	b->nfails = 0;
	b->n = b->len = 0;
	b->failed = b->other_version = 0;
	b->nomem = 0;
	b->state = BATCH_FREE;
}

/* Wait for the oldest batch, append it to the dataset, free its slot. */
static int
retire_oldest(struct load_ctx *x)
{
	struct batch *b = &x->b[x->oldest];
	int rc = 0, state;

	pthread_mutex_lock(&x->mu);
	state = b->state;
	/* Only a batch the workers hold is worth waiting for. */
	while (x->nth > 0 &&
	    (state == BATCH_QUEUED || state == BATCH_DECODING)) {
		pthread_cond_wait(&x->done, &x->mu);
		state = b->state;
	}
	pthread_mutex_unlock(&x->mu);
	if (state == BATCH_FREE)
		return 0;
	if (state == BATCH_FILLING)
		return -1; /* defensive: never handed over, nothing to wait for */
	if (x->nth == 0)
		decode_batch(x, b); /* no workers: decode inline */
	if (b->nomem || append_rows(x->d, b->out) != 0 ||
	    merge_fails(x->d, b) != 0)
		rc = -1;
	x->d->rows_failed += b->failed;
	x->d->rows_other_version += b->other_version;
	pthread_mutex_lock(&x->mu);
	batch_reset(b);
	x->oldest = (x->oldest + 1) % x->nb;
	pthread_mutex_unlock(&x->mu);
	return rc;
}

/* Hand the batch being filled to the workers and take the next slot. */
static int
submit_fill(struct load_ctx *x)
{
	struct batch *b = &x->b[x->fill];

	if (b->n == 0)
		return 0;
	pthread_mutex_lock(&x->mu);
	b->state = BATCH_QUEUED;
	pthread_cond_signal(&x->work);
	pthread_mutex_unlock(&x->mu);
	x->fill = (x->fill + 1) % x->nb;
	if (x->fill == x->oldest)
		return retire_oldest(x);
	return 0;
}

/* One more row of version v in the provenance table. */
static void
count_version(struct load_ctx *x, long v)
{
	struct dataset *d = x->d;
	const struct form_src *src;
	size_t i;

	for (i = 0; i < d->nversions; i++)
		if (d->versions[i].version == v) {
			d->versions[i].rows++;
			return;
		}
	if (d->nversions == DS_VERSIONS_MAX) {
		d->versions_other++;
		return;
	}
	/* Kept in version order: versions are few, rows come by id. */
	for (i = d->nversions; i > 0 && d->versions[i - 1].version > v; i--)
		d->versions[i] = d->versions[i - 1];
	d->versions[i].version = v;
	d->versions[i].rows = 1;
	src = form_versions_find(x->fv, v);
	d->versions[i].kind = v == d->form->version ? FORM_SRC_CURRENT :
	    src != NULL ? src->kind : FORM_SRC_UNSTORED;
	d->nversions++;
}

static int
load_row(const struct store_row *row, void *arg)
{
	struct load_ctx *x = arg;
	struct dataset *d = x->d;
	struct batch *b = &x->b[x->fill];
	size_t alen = strlen(row->answers);
	char ver[32];

	snprintf(ver, sizeof(ver), "%ld", row->form_version);
	if (EVP_DigestUpdate(x->hs, row->id, STORE_ID_LEN) != 1 ||
	    hash_str(x->hs, row->form_id, strlen(row->form_id)) != 0 ||
	    hash_str(x->hs, ver, strlen(ver)) != 0 ||
	    hash_str(x->hs, row->consent_version,
	    strlen(row->consent_version)) != 0 ||
	    hash_str(x->hs, row->period, strlen(row->period)) != 0 ||
	    hash_str(x->hs, row->answers, alen) != 0 ||
	    hash_str(x->hs, row->scores, strlen(row->scores)) != 0)
		goto nomem;
	d->rows_read++;
	count_version(x, row->form_version);
	if (x->progress != NULL && (d->rows_read & 0x3fff) == 0)
		x->progress(d->rows_read, x->total, x->parg);

	if (b->n == 0) {
		pthread_mutex_lock(&x->mu);
		b->state = BATCH_FILLING;
		pthread_mutex_unlock(&x->mu);
	}
	if (b->len + alen + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 1 << 20;
		char *p;
		while (cap < b->len + alen + 1) {
			if (cap > SIZE_MAX / 2)
				goto nomem;
			cap *= 2;
		}
		if ((p = realloc(b->text, cap)) == NULL)
			goto nomem;
		b->text = p;
		b->cap = cap;
	}
	memcpy(b->text + b->len, row->answers, alen + 1);
	b->off[b->n] = b->len;
	b->ver[b->n] = row->form_version;
	b->len += alen + 1;
	if (++b->n == LOAD_BATCH && submit_fill(x) != 0)
		goto nomem;
	return 0;
nomem:
	x->nomem = 1;
	return 1;
}

/* Start the pipeline: batches and (when the machine has them) workers. */
static int
load_start(struct load_ctx *x)
{
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t want = ncpu > 1 ? (size_t)ncpu : 0;

	if (want > LOAD_WORKERS_MAX)
		want = LOAD_WORKERS_MAX;
	x->nb = 2 * want + 2;
	if ((x->b = calloc(x->nb, sizeof(*x->b))) == NULL)
		return -1;
	for (size_t i = 0; i < x->nb; i++)
		if ((x->b[i].off = malloc(LOAD_BATCH * sizeof(size_t))) ==
		    NULL || (x->b[i].ver = malloc(LOAD_BATCH *
		    sizeof(long))) == NULL)
			return -1;
	if (pthread_mutex_init(&x->mu, NULL) != 0)
		return -1;
	if (pthread_cond_init(&x->work, NULL) != 0 ||
	    pthread_cond_init(&x->done, NULL) != 0)
		return -1;
	/* No threads (or none could start): batches are decoded inline. */
	while (x->nth < want &&
	    pthread_create(&x->th[x->nth], NULL, worker, x) == 0)
		x->nth++;
	return 0;
}

/* Stop the workers and free the batches (after success or failure). */
static void
load_stop(struct load_ctx *x)
{
	if (x->b == NULL)
		return;
	pthread_mutex_lock(&x->mu);
	x->stop = 1;
	pthread_cond_broadcast(&x->work);
	pthread_mutex_unlock(&x->mu);
	for (size_t i = 0; i < x->nth; i++)
		pthread_join(x->th[i], NULL);
	for (size_t i = 0; i < x->nb; i++) {
		batch_reset(&x->b[i]);
		free(x->b[i].fails);
		free(x->b[i].text);
		free(x->b[i].off);
		free(x->b[i].ver);
	}
	free(x->b);
	x->b = NULL;
	pthread_cond_destroy(&x->work);
	pthread_cond_destroy(&x->done);
	pthread_mutex_destroy(&x->mu);
}

int
dataset_load(struct store *st, const struct form *f,
    void (*progress)(uint64_t, uint64_t, void *), void *parg,
    struct dataset **out, char *err, size_t errsz)
{
	struct load_ctx x;
	struct form_versions *fv = NULL;
	struct diag dg;
	long total = 0;
	int rc = -1, src;

	unsigned int hlen = 0;

	memset(&x, 0, sizeof(x));
	*out = NULL;
	diag_init(&dg);
	if (store_schema_version(st) >= STORE_SCHEMA_FORMS &&
	    form_versions_load(st, f, &fv, &dg) != 0) {
		/* The first line says what; the next, the first rule broken. */
		snprintf(err, errsz, "%s%s%s%s%s", dg.n > 0 ? dg.a[0].what :
		    "form versions", dg.n > 1 ? " " : "", dg.n > 1 ?
		    dg.a[1].where : "", dg.n > 1 ? ": " : "", dg.n > 1 ?
		    dg.a[1].what : "");
		goto out;
	}
	x.fv = fv;
	if ((x.hs = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(x.hs, EVP_sha256(), NULL) != 1) {
		snprintf(err, errsz, "SHA-256 unavailable (libcrypto)");
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
	    load_start(&x) != 0) {
		snprintf(err, errsz, "out of memory");
		goto out;
	}
	src = store_foreach(st, f->id, load_row, &x);
	/*
	 * A read that failed midway (I/O error, a malformed row) leaves the
	 * batch being filled unsubmitted: give up at once. load_stop() lets
	 * the workers finish what they hold and joins them.
	 */
	if (src != STORE_OK && !x.nomem) {
		snprintf(err, errsz, "reading responses after %llu rows: %s",
		    (unsigned long long)x.d->rows_read, store_errmsg(st));
		goto out;
	}
	if (!x.nomem && submit_fill(&x) != 0)
		x.nomem = 1;
	/* Retire every batch still out, in order. */
	for (size_t k = 0; !x.nomem && k < x.nb; k++)
		if (retire_oldest(&x) != 0)
			x.nomem = 1;
	if (x.nomem) {
		snprintf(err, errsz, "out of memory after %llu rows",
		    (unsigned long long)x.d->rows_read);
		goto out;
	}
	if (EVP_DigestFinal_ex(x.hs, x.d->sha256, &hlen) != 1 ||
	    hlen != sizeof(x.d->sha256)) {
		snprintf(err, errsz, "SHA-256 failed (libcrypto)");
		goto out;
	}
	if (progress != NULL)
		progress(x.d->rows_read, x.total, parg);
	finish_ranges(x.d);
	*out = x.d;
	x.d = NULL;
	rc = 0;
out:
	load_stop(&x);
	EVP_MD_CTX_free(x.hs);
	dataset_free(x.d);
	form_versions_free(fv);
	diag_free(&dg);
	return rc;
}
