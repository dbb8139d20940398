/*
 * Shared by the storage tests: a fresh database in a temporary directory
 * and a response to insert.
 */
#ifndef CANDOR_TEST_STORE_HELPERS_H
#define CANDOR_TEST_STORE_HELPERS_H

#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "store.h"
#include "testlib.h"

struct tdb {
	char dir[512];
	char path[600];
};

static inline void
tdb_init(struct tdb *t)
{
	if (test_tmpdir(t->dir, sizeof(t->dir)) != 0) {
		perror("mkdtemp");
		exit(1);
	}
	snprintf(t->path, sizeof(t->path), "%s/candor.db", t->dir);
}

static inline struct store *
tdb_open(struct tdb *t, enum store_mode mode)
{
	char err[512];
	struct store *s = NULL;

	if (store_open(t->path, mode, &s, err, sizeof(err)) != STORE_OK) {
		fprintf(stderr, "store_open: %s\n", err);
		exit(1);
	}
	return s;
}

/* A response with a random id and receipt hash `seed`-derived. */
static inline void
make_response(struct store_response *r, unsigned seed)
{
	memset(r, 0, sizeof(*r));
	randombytes_buf(r->id, sizeof(r->id));
	r->form_id = "mini";
	r->form_version = 1;
	r->consent_version = "2026-11-01";
	snprintf(r->period, sizeof(r->period), "2026-11-25");
	r->answers = "{\"pain\":4}";
	r->scores = "{}";
	memset(r->receipt_hash, 0, sizeof(r->receipt_hash));
	memcpy(r->receipt_hash, &seed, sizeof(seed));
	r->receipt_hash[31] = 1;
}

static inline long
tdb_count(struct store *s)
{
	long n = -1;

	if (store_count(s, NULL, &n) != STORE_OK)
		return -1;
	return n;
}

#endif
