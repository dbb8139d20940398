/*
 * dataset_load() (fast decoder, decode threads, batches) gives exactly
 * what decoding one row after the other with form_answers_from_json() and
 * form_score() gives: the same rows in the same order, the same column
 * bytes, the same decode problems in the same order with the same counts
 * (more distinct problems than DS_FAIL_KEEP too), the same count of rows
 * of another form version, and the SHA-256 of the rows read. The rows mix
 * answers written by form_answers_to_json() (the fast path) with shapes
 * only the general parser takes (spaces, reals, strings, escapes, keys out
 * of order) and refused ones, over more rows than one decode batch.
 */
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "dataset.h"
#include "form.h"
#include "store.h"
#include "testlib.h"

#define NROWS 9000 /* more than two decode batches */

static uint64_t rng = 88172645463325252ULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

/* Random valid-or-not values for every item variable, as JSON. */
static char *
random_answers(const struct form *f, struct form_answers *a)
{
	for (size_t i = 0; i < f->nvars; i++)
		form_answers_clear(a, i);
	for (size_t i = 0; i < f->nitem_vars; i++) {
		const struct form_item *it = f->vars[i].item;
		struct form_value *v = &a->v[i];
		if (rnd(5) == 0)
			continue; /* unanswered */
		switch (f->vars[i].type) {
		case FORM_T_INT:
			v->set = 1;
			if (it->nchoices > 0)
				v->i = it->choices[rnd((unsigned)it->nchoices)]
				    .value;
			else
				v->i = (long)it->min +
				    (long)rnd((unsigned)(it->max - it->min + 1));
			if (rnd(200) == 0)
				v->i = 1000; /* refused: not a choice, range */
			v->r = (double)v->i;
			break;
		case FORM_T_SET:
			v->set = 1;
			for (size_t c = 0; c < it->nchoices; c++)
				if (!it->choices[c].exclusive && rnd(3) == 0)
					v->mask |= (uint64_t)1 << c;
			if (rnd(300) == 0)
				v->mask = ~(uint64_t)0 >>
				    (64 - it->nchoices); /* refused */
			break;
		default:
			break;
		}
	}
	return form_answers_to_json(a, 0, f->nitem_vars);
}

/* Answers that only the general parser takes, or that it refuses. */
static const char *const odd[] = {
	"{}",
	"{ \"peg_pain\": 3 }",
	"{\"peg_pain\":7.0,\"peg_enjoy\":2}",
	"{\"peg_pain\":\"7\"}",
	"{\"peg_enjoy\":4,\"peg_pain\":5}",
	"{\"peg\\u005fpain\":6}",
	"{\"peg_pain\":-0}",
	"{\"wpi_sites\":[]}",
	"{\"wpi_sites\":3}",
	"{\"peg_pain\":[3]}",
	"{\"peg_pain\":11}",
	"{\"age_band\":8}",
	"{\"wpi_sites\":[3,3]}",
	"{\"wpi_sites\":[0,3]}",
	"{\"no_such_item\":1}",
	"{\"peg\":4.5,\"peg_pain\":4}",
	"{\"peg_pain\":1e0}",
	"{\"peg_pain\":true}",
	"{\"peg_pain\":null}",
	"[1,2]",
	"{\"age_band\":99999999999999999999}",
};

struct ref {
	struct dataset *d;
	struct form_answers *a;
	struct diag dg;
	crypto_hash_sha256_state hs;
};

static void
hash_str(crypto_hash_sha256_state *hs, const char *s)
{
	crypto_hash_sha256_update(hs, (const unsigned char *)s, strlen(s) + 1);
}

/* The row-at-a-time decode, as dataset_load() did it before batches. */
static int
ref_row(const struct store_row *row, void *arg)
{
	struct ref *x = arg;
	struct dataset *d = x->d;
	const struct form *f = d->form;
	char ver[32], what[256];
	size_t i;

	crypto_hash_sha256_update(&x->hs, row->id, STORE_ID_LEN);
	hash_str(&x->hs, row->form_id);
	snprintf(ver, sizeof(ver), "%ld", row->form_version);
	hash_str(&x->hs, ver);
	hash_str(&x->hs, row->consent_version);
	hash_str(&x->hs, row->period);
	hash_str(&x->hs, row->answers);
	hash_str(&x->hs, row->scores);
	d->rows_read++;
	for (i = 0; i < f->nvars; i++)
		form_answers_clear(x->a, i);
	diag_clear(&x->dg);
	if (form_answers_from_json(x->a, row->answers, &x->dg) != 0) {
		d->rows_failed++;
		snprintf(what, sizeof(what), "%s: %s", x->dg.a[0].where,
		    x->dg.a[0].what);
		for (i = 0; i < d->nfails; i++)
			if (strcmp(d->fails[i].what, what) == 0)
				break;
		if (i < d->nfails)
			d->fails[i].rows++;
		else if (d->nfails == DS_FAIL_KEEP)
			d->fails_other++;
		else {
			d->fails[d->nfails].what = strdup(what);
			d->fails[d->nfails++].rows = 1;
		}
		return 0;
	}
	form_score(f, x->a);
	if (row->form_version != f->version)
		d->rows_other_version++;
	CHECK(dataset_append(d, x->a) == 0);
	return 0;
}

static void
insert(struct store *st, const struct form *f, const char *answers, long ver)
{
	struct store_response r;

	memset(&r, 0, sizeof(r));
	randombytes_buf(r.id, sizeof(r.id));
	randombytes_buf(r.receipt_hash, sizeof(r.receipt_hash));
	r.form_id = f->id;
	r.form_version = ver;
	r.consent_version = f->consent_version;
	memcpy(r.period, "2026-11-25", 11);
	r.answers = answers;
	r.scores = "{}";
	CHECK(store_insert(st, &r) == STORE_OK);
}

static int
same_col(const struct dataset *a, const struct dataset *b, size_t iv)
{
	const struct ds_col *x = &a->cols[iv], *y = &b->cols[iv];
	size_t n = a->n;

	switch (x->kind) {
	case DS_I16:
		return memcmp(x->i16, y->i16, n * sizeof(*x->i16)) == 0;
	case DS_F64:
		for (size_t r = 0; r < n; r++)
			if (!(x->f64[r] == y->f64[r] ||
			    (isnan(x->f64[r]) && isnan(y->f64[r]))))
				return 0;
		return 1;
	case DS_MASK:
		return memcmp(x->mask, y->mask, n * sizeof(*x->mask)) == 0 &&
		    memcmp(x->mset, y->mset, n) == 0;
	default:
		return 1;
	}
}

int
main(void)
{
	char dir[512], db[1024], buf[1024], err[256];
	struct form *f = NULL;
	struct store *st = NULL;
	struct dataset *got = NULL;
	struct form_answers *a;
	struct diag d;
	struct ref ref;
	size_t i;

	diag_init(&d);
	CHECK(sodium_init() >= 0);
	CHECK(test_tmpdir(dir, sizeof(dir)) == 0);
	snprintf(db, sizeof(db), "%s/d.db", dir);
	CHECK(form_load(test_src_path("forms/fibromyalgia-therapies.json", buf,
	    sizeof(buf)), &f, &d) == 0);
	if (f == NULL)
		return test_done();
	CHECK(store_open(db, STORE_RDWR, &st, err, sizeof(err)) == STORE_OK);
	if (st == NULL)
		return test_done();
	a = form_answers_new(f);
	CHECK(store_begin(st) == STORE_OK);
	for (i = 0; i < NROWS; i++) {
		char *json = random_answers(f, a);
		CHECK(json != NULL);
		if (json != NULL)
			insert(st, f, json, i % 97 == 0 ? f->version + 1 :
			    f->version);
		free(json);
		if (i % 50 == 0)
			insert(st, f, odd[(i / 50) % (sizeof(odd) /
			    sizeof(*odd))], f->version);
	}
	/* More distinct problems than are kept: one per item variable. */
	for (i = 0; i < 30 && i < f->nitem_vars; i++) {
		snprintf(buf, sizeof(buf), "{\"%s\":\"x\"}", f->vars[i].name);
		insert(st, f, buf, f->version);
	}
	CHECK(store_commit(st) == STORE_OK);
	store_close(st);
	form_answers_free(a);

	CHECK(store_open(db, STORE_RDONLY, &st, err, sizeof(err)) == STORE_OK);
	memset(&ref, 0, sizeof(ref));
	ref.d = dataset_new(f, 16);
	ref.a = form_answers_new(f);
	diag_init(&ref.dg);
	crypto_hash_sha256_init(&ref.hs);
	CHECK(store_foreach(st, f->id, ref_row, &ref) == STORE_OK);
	crypto_hash_sha256_final(&ref.hs, ref.d->sha256);
	CHECK(dataset_load(st, f, NULL, NULL, &got, err, sizeof(err)) == 0);
	if (got != NULL) {
		CHECK_INT(got->rows_read, ref.d->rows_read);
		CHECK(got->rows_read > NROWS);
		CHECK_INT(got->n, ref.d->n);
		CHECK(got->rows_failed > 30);
		CHECK_INT(got->rows_failed, ref.d->rows_failed);
		CHECK(got->rows_other_version > 0);
		CHECK_INT(got->rows_other_version, ref.d->rows_other_version);
		CHECK_INT(got->nfails, DS_FAIL_KEEP);
		CHECK_INT(got->nfails, ref.d->nfails);
		for (i = 0; i < got->nfails && i < ref.d->nfails; i++) {
			CHECK_STR(got->fails[i].what, ref.d->fails[i].what);
			CHECK_INT(got->fails[i].rows, ref.d->fails[i].rows);
		}
		CHECK(got->fails_other > 0);
		CHECK_INT(got->fails_other, ref.d->fails_other);
		CHECK(memcmp(got->sha256, ref.d->sha256, 32) == 0);
		for (i = 0; got->n == ref.d->n && i < f->nvars; i++)
			if (!same_col(got, ref.d, i)) {
				fprintf(stderr, "column %s differs\n",
				    f->vars[i].name);
				test_failures++;
			}
	}
	dataset_free(got);
	dataset_free(ref.d);
	form_answers_free(ref.a);
	diag_free(&ref.dg);
	diag_free(&d);
	store_close(st);
	form_free(f);
	test_rmtree(dir);
	return test_done();
}
