/*
 * Loading responses into columns (dataset.h). This is the only place that
 * reads the store for the analysis: one walk in id order, one decode per
 * row, one append per variable, and the SHA-256 of the bytes read so that
 * a report names exactly the data it describes.
 *
 * Decoding is most of the work of a report, so it is fast: answers in the
 * exact shape form_answers_to_json() writes are read by a scanner made for
 * that shape (anything else goes to form_answers_from_json(), which gives
 * the same answers or the error), and batches of rows are decoded on every
 * core while the store is read. tests/analysis/test_dataset_load_same.c
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
	EVP_MD_CTX *hs; /* SHA-256 of the rows read */
	uint64_t total;
	void (*progress)(uint64_t, uint64_t, void *);
	void *parg;
	int nomem;
	struct fastvar *fv; /* fast_decode()'s checks, per variable */
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

/*
 * How the fast decoder checks a value of one item variable: the rules of
 * form_value_parse() for the item's kind, precomputed. FV_SLOW calls
 * form_value_parse() itself (decimals, text).
 */
enum fv_mode { FV_SLOW, FV_CHOICE, FV_RANGE, FV_MULTI };

#define FV_TABLE_MAX 1024 /* widest choice-value range given a table */

struct fastvar {
	enum fv_mode mode;
	size_t nlen;      /* strlen of the name */
	long lo, hi;      /* FV_CHOICE, FV_MULTI: range of the table */
	int16_t *idx;     /* choice index of value lo + k, or -1 */
	double min, max;  /* FV_RANGE */
	uint64_t excl;    /* FV_MULTI: exclusive choices */
};

/* Precompute the checks of every item variable; 0 or -1 (memory). */
static int
fastvars_new(const struct form *f, struct fastvar **out)
{
	struct fastvar *fv = calloc(f->nvars ? f->nvars : 1, sizeof(*fv));

	*out = fv;
	if (fv == NULL)
		return -1;
	for (size_t i = 0; i < f->nvars; i++) {
		const struct form_item *it = f->vars[i].item;
		fv[i].nlen = strlen(f->vars[i].name);
		fv[i].mode = FV_SLOW;
		if (i >= f->nitem_vars || it == NULL)
			continue;
		switch (it->kind) {
		case FORM_YESNO:
		case FORM_SCALE:
		case FORM_INTEGER:
			fv[i].mode = FV_RANGE;
			fv[i].min = it->min;
			fv[i].max = it->max;
			continue;
		case FORM_SINGLE:
		case FORM_DURATION:
		case FORM_GRID:
		case FORM_MULTIPLE:
			break;
		default:
			continue;
		}
		if (it->nchoices == 0 || it->nchoices > FORM_MAX_CHOICES)
			continue;
		fv[i].lo = fv[i].hi = it->choices[0].value;
		for (size_t j = 1; j < it->nchoices; j++) {
			if (it->choices[j].value < fv[i].lo)
				fv[i].lo = it->choices[j].value;
			if (it->choices[j].value > fv[i].hi)
				fv[i].hi = it->choices[j].value;
		}
		if (fv[i].hi - fv[i].lo >= FV_TABLE_MAX)
			continue;
		fv[i].idx = malloc((size_t)(fv[i].hi - fv[i].lo + 1) *
		    sizeof(*fv[i].idx));
		if (fv[i].idx == NULL)
			return -1;
		for (long k = 0; k <= fv[i].hi - fv[i].lo; k++)
			fv[i].idx[k] = -1;
		/* The first choice with a value, as choice_index() finds it. */
		for (size_t j = it->nchoices; j-- > 0;)
			fv[i].idx[it->choices[j].value - fv[i].lo] = (int16_t)j;
		for (size_t j = 0; j < it->nchoices; j++)
			if (it->choices[j].exclusive)
				fv[i].excl |= (uint64_t)1 << j;
		fv[i].mode = it->kind == FORM_MULTIPLE ? FV_MULTI : FV_CHOICE;
	}
	return 0;
}

static void
fastvars_free(const struct form *f, struct fastvar *fv)
{
	for (size_t i = 0; fv != NULL && i < f->nvars; i++)
		free(fv[i].idx);
	free(fv);
}

/*
 * One JSON integer as jansson reads it: -?(0|[1-9][0-9]*), here at most 18
 * digits (so it fits a long, and "%lld" would print the same digits). Sets
 * *v, copies the token to tok (for form_value_parse) and moves *pp past it;
 * -1 for anything else (reals, strings, literals, "-0").
 */
static int
int_token(const char **pp, long *v, char tok[24])
{
	const char *p = *pp;
	size_t k = 0, digits = 0;
	long x = 0;
	int neg = 0;

	if (*p == '-') {
		neg = 1;
		tok[k++] = *p++;
	}
	if (*p == '0') {
		if (neg)
			return -1; /* "-0" would be printed as "0" */
		tok[k++] = *p++;
		if (*p >= '0' && *p <= '9')
			return -1; /* "01" is not JSON */
	} else if (*p >= '1' && *p <= '9') {
		while (*p >= '0' && *p <= '9') {
			if (++digits > 18)
				return -1;
			x = x * 10 + (*p - '0');
			tok[k++] = *p++;
		}
	} else
		return -1;
	if (*p == '.' || *p == 'e' || *p == 'E')
		return -1; /* a real: the general path */
	tok[k] = '\0';
	*v = neg ? -x : x;
	*pp = p;
	return 0;
}

/* Choice index of value v in fv's table, or -1. */
static int
fv_choice(const struct fastvar *fv, long v)
{
	return v < fv->lo || v > fv->hi ? -1 : fv->idx[v - fv->lo];
}

/*
 * Decode answers in the exact shape form_answers_to_json() writes them: a
 * compact object whose keys are item variables in form order, each value
 * an integer or an array of integers. Each value is checked by the rules
 * of form_value_parse() for its kind (struct fastvar), or by
 * form_value_parse() itself with the very string the general path would
 * give it (form_answers_from_json() prints each integer back with "%lld"),
 * so the answers are the same. Returns 0 when decoded, 1 when the text is
 * not in that shape or a value is refused: the caller then clears the
 * answers and runs form_answers_from_json(), which decides and explains.
 */
static int
fast_decode(const struct form *f, const struct fastvar *fvs,
    struct form_answers *a, const char *s)
{
	char tok[FORM_MAX_CHOICES][24];
	const char *vals[FORM_MAX_CHOICES];
	long lv[FORM_MAX_CHOICES];
	const char *p = s, *k, *err;
	size_t next = 0, iv, klen, n;

	if (*p++ != '{')
		return 1;
	if (*p == '}')
		return p[1] == '\0' ? 0 : 1;
	for (;;) {
		const struct fastvar *fv;
		struct form_value *out;
		if (*p++ != '"')
			return 1;
		k = p;
		while (*p != '"') {
			if (*p == '\\' || (unsigned char)*p < 0x20)
				return 1; /* escapes, controls, end of text */
			p++;
		}
		klen = (size_t)(p - k);
		if (*++p != ':')
			return 1;
		p++;
		/* Keys come in variable order; a later one is never before. */
		for (iv = next; iv < f->nitem_vars; iv++)
			if (fvs[iv].nlen == klen && f->vars[iv].name[0] == *k &&
			    memcmp(f->vars[iv].name, k, klen) == 0)
				break;
		if (iv >= f->nitem_vars)
			return 1; /* unknown, repeated, out of order, a score */
		next = iv + 1;
		fv = &fvs[iv];
		out = &a->v[iv];
		n = 0;
		if (*p == '[') {
			if (f->vars[iv].type != FORM_T_SET)
				return 1;
			p++;
			if (*p == ']')
				p++;
			else
				for (;;) {
					if (n == FORM_MAX_CHOICES ||
					    int_token(&p, &lv[n], tok[n]) != 0)
						return 1;
					vals[n] = tok[n];
					n++;
					if (*p == ',') {
						p++;
						continue;
					}
					if (*p++ != ']')
						return 1;
					break;
				}
		} else {
			if (f->vars[iv].type == FORM_T_SET ||
			    int_token(&p, &lv[0], tok[0]) != 0)
				return 1;
			vals[0] = tok[0];
			n = 1;
		}
		switch (n == 0 ? FV_SLOW : fv->mode) {
		case FV_CHOICE:
			if (fv_choice(fv, lv[0]) < 0)
				return 1;
			out->i = lv[0];
			out->r = (double)lv[0];
			out->set = 1;
			break;
		case FV_RANGE:
			if (lv[0] < fv->min || lv[0] > fv->max)
				return 1;
			out->i = lv[0];
			out->r = (double)lv[0];
			out->set = 1;
			break;
		case FV_MULTI:
			for (size_t j = 0; j < n; j++) {
				int ci = fv_choice(fv, lv[j]);
				if (ci < 0 || (out->mask & ((uint64_t)1 << ci)))
					return 1;
				out->mask |= (uint64_t)1 << ci;
			}
			if ((out->mask & fv->excl) &&
			    (out->mask & (out->mask - 1)) != 0)
				return 1;
			out->set = 1;
			break;
		default:
			form_value_parse(f, iv, vals, n, out, &err);
			if (err != NULL)
				return 1;
			break;
		}
		if (*p == ',') {
			p++;
			continue;
		}
		return *p == '}' && p[1] == '\0' ? 0 : 1;
	}
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

/* Decode batch b into b->out; failures are noted, not kept. */
static void
decode_batch(struct load_ctx *x, struct batch *b)
{
	const struct form *f = x->d->form;
	struct form_answers *a = form_answers_new(f);
	struct diag dg;

	diag_init(&dg);
	b->out = dataset_new(f, b->n);
	if (a == NULL || b->out == NULL) {
		b->nomem = 1;
		goto out;
	}
	for (size_t r = 0; r < b->n; r++) {
		const char *json = b->text + b->off[r];
		clear_all(a);
		if (fast_decode(f, x->fv, a, json) != 0) {
			clear_all(a);
			diag_clear(&dg);
			if (form_answers_from_json(a, json, &dg) != 0) {
				if (note_fail(b, &dg) != 0) {
					b->nomem = 1;
					goto out;
				}
				continue;
			}
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
	while (x->nth > 0 && state != BATCH_FREE && state != BATCH_DONE) {
		pthread_cond_wait(&x->done, &x->mu);
		state = b->state;
	}
	pthread_mutex_unlock(&x->mu);
	if (state == BATCH_FREE)
		return 0;
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
	const struct form *f = x->d->form;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	size_t want = ncpu > 1 ? (size_t)ncpu : 0;

	if (want > LOAD_WORKERS_MAX)
		want = LOAD_WORKERS_MAX;
	if (fastvars_new(f, &x->fv) != 0)
		return -1;
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
	long total = 0;
	int rc = -1, src;

	unsigned int hlen = 0;

	memset(&x, 0, sizeof(x));
	*out = NULL;
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
	if (!x.nomem && src == STORE_OK && submit_fill(&x) != 0)
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
	if (src != STORE_OK) {
		snprintf(err, errsz, "reading responses: %s", store_errmsg(st));
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
	fastvars_free(f, x.fv);
	dataset_free(x.d);
	return rc;
}
