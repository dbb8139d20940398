/*
 * store_read_faults: a read of the store that fails at any point of the
 * loader's batches ends with an error, never a hang, and a row that does
 * not decode is counted wherever it falls.
 *
 * 3 * LOAD_BATCH + 5 responses (analysis/dataset.c reads in batches of
 * 4,096 rows that decode threads take in turn). A damaged row, a 15-byte
 * id written with CHECKs off as a torn file would hold it, makes the
 * store's reader fail when it reaches it. It is placed in turn at every
 * batch boundary of the id order (the first row of each batch, the last
 * of the one before, the one after) and at both ends: each time
 * dataset_load() must return -1 with "reading responses" and the
 * store's reason, with the decode threads stopped and joined, well within
 * the alarm. Then a row whose answers do not decode is placed at the same
 * ranks: the load succeeds with that one row counted as failed and every
 * other kept. The test runs under ThreadSanitizer in CI (label store), so
 * the threads' shutdown on every path is checked for races too.
 */
#include <signal.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sodium.h>

#include "dataset.h"
#include "form.h"
#include "store.h"
#include "testlib.h"

#define BATCH 4096 /* LOAD_BATCH of analysis/dataset.c */
#define NROWS (3 * BATCH + 5)

static unsigned char ids[NROWS][16];

static int
id_cmp(const void *a, const void *b)
{
	return memcmp(a, b, 16);
}

/*
 * Write one row with CHECKs off: id of idlen bytes, the given answers.
 * With del, remove it again instead.
 */
static void
raw_row(const char *db, const unsigned char *id, int idlen,
    const char *answers, int del)
{
	sqlite3 *sq;
	sqlite3_stmt *st;
	unsigned char h[32];

	CHECK_INT(sqlite3_open(db, &sq), SQLITE_OK);
	CHECK_INT(sqlite3_exec(sq, "PRAGMA ignore_check_constraints = ON",
	    NULL, NULL, NULL), SQLITE_OK);
	randombytes_buf(h, sizeof(h));
	CHECK_INT(sqlite3_prepare_v2(sq, del ?
	    "DELETE FROM response WHERE id = ?1" :
	    "INSERT INTO response VALUES (?1, 'mini', 1, '2026-01-01', "
	    "'2026-11-25', ?3, '{}', ?2)", -1, &st, NULL), SQLITE_OK);
	sqlite3_bind_blob(st, 1, id, idlen, SQLITE_TRANSIENT);
	if (!del) {
		sqlite3_bind_blob(st, 2, h, sizeof(h), SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, answers, -1, SQLITE_TRANSIENT);
	}
	CHECK_INT(sqlite3_step(st), SQLITE_DONE);
	CHECK_INT(sqlite3_changes(sq), 1);
	sqlite3_finalize(st);
	sqlite3_close(sq);
}

/*
 * An id that sorts at rank k of the good ids (before ids[k], after
 * ids[k - 1]; after every id for k = NROWS), of idlen bytes (15: damaged;
 * 16: well formed).
 */
static void
id_at_rank(size_t k, int idlen, unsigned char out[16])
{
	if (k < NROWS) {
		/* A 15-byte prefix sorts just before the id it is cut from. */
		memcpy(out, ids[k], 16);
		if (idlen == 16) {
			/* Just before ids[k]: one less in the last byte. */
			CHECK(out[15] > 0 && (k == 0 ||
			    memcmp(ids[k - 1], ids[k], 15) != 0 ||
			    ids[k - 1][15] + 1 < ids[k][15]));
			out[15]--;
		}
	} else
		memset(out, 0xff, 16);
}

int
main(void)
{
	char dir[256], db[300], path[512], err[512];
	struct store *s = NULL;
	struct store_response r;
	struct form *f = NULL;
	struct diag dg;
	size_t ranks[32], nranks = 0, i, j;

	alarm(240); /* a hang fails the test instead of the CI job */
	CHECK(sodium_init() >= 0);
	CHECK_INT(test_tmpdir(dir, sizeof(dir)), 0);
	snprintf(db, sizeof(db), "%s/candor.db", dir);
	test_src_path("tests/collector/mini.json", path, sizeof(path));
	diag_init(&dg);
	CHECK_INT(form_load(path, &f, &dg), 0);
	diag_free(&dg);
	if (f == NULL)
		return test_done();
	for (i = 0; i < NROWS; i++) {
		/* Last byte below 0xff and above 0: room either side. */
		do
			randombytes_buf(ids[i], 16);
		while (ids[i][15] < 2 || ids[i][15] > 0xfd ||
		    ids[i][0] == 0xff);
	}
	qsort(ids, NROWS, 16, id_cmp);
	CHECK_INT(store_open(db, STORE_RDWR, &s, err, sizeof(err)), STORE_OK);
	CHECK_INT(store_begin(s), STORE_OK);
	for (i = 0; i < NROWS; i++) {
		memset(&r, 0, sizeof(r));
		memcpy(r.id, ids[i], 16);
		randombytes_buf(r.receipt_hash, sizeof(r.receipt_hash));
		r.form_id = "mini";
		r.form_version = 1;
		r.consent_version = "2026-01-01";
		snprintf(r.period, sizeof(r.period), "2026-11-25");
		r.answers = "{\"pain\":4,\"used_kratom\":0}";
		r.scores = "{}";
		CHECK_INT(store_insert(s, &r), STORE_OK);
	}
	CHECK_INT(store_commit(s), STORE_OK);
	store_close(s);

	ranks[nranks++] = 0;
	for (j = 1; j <= 3; j++) {
		ranks[nranks++] = j * BATCH - 1;
		ranks[nranks++] = j * BATCH;
		ranks[nranks++] = j * BATCH + 1;
	}
	ranks[nranks++] = NROWS - 1;
	ranks[nranks++] = NROWS;

	/* A read error at every boundary: an error, never a hang. */
	for (i = 0; i < nranks; i++) {
		unsigned char bad[16];
		struct dataset *d = NULL;

		id_at_rank(ranks[i], 15, bad);
		raw_row(db, bad, 15, "{}", 0);
		CHECK_INT(store_open(db, STORE_RDONLY, &s, err, sizeof(err)),
		    STORE_OK);
		err[0] = '\0';
		CHECK_INT(dataset_load(s, f, NULL, NULL, &d, err, sizeof(err)),
		    -1);
		CHECK(d == NULL);
		if (strstr(err, "reading responses") == NULL ||
		    strstr(err, "malformed id") == NULL)
			fprintf(stderr, "rank %zu: %s\n", ranks[i], err);
		CHECK(strstr(err, "reading responses") != NULL);
		CHECK(strstr(err, "malformed id") != NULL);
		store_close(s);
		raw_row(db, bad, 15, NULL, 1);
	}

	/* A row that does not decode, at the same ranks: counted, not kept. */
	for (i = 0; i < nranks; i++) {
		unsigned char odd[16];
		struct dataset *d = NULL;

		id_at_rank(ranks[i], 16, odd);
		raw_row(db, odd, 16, "{\"pain\":\"four\"}", 0);
		CHECK_INT(store_open(db, STORE_RDONLY, &s, err, sizeof(err)),
		    STORE_OK);
		CHECK_INT(dataset_load(s, f, NULL, NULL, &d, err, sizeof(err)),
		    0);
		CHECK(d != NULL);
		if (d != NULL) {
			CHECK(d->rows_read == NROWS + 1);
			CHECK(d->rows_failed == 1);
			CHECK_INT(d->n, NROWS);
			dataset_free(d);
		}
		store_close(s);
		raw_row(db, odd, 16, NULL, 1);
	}
	form_free(f);
	test_rmtree(dir);
	return test_done();
}
