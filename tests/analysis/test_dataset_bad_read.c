/*
 * dataset_bad_read: a read that fails midway does not hang the loader. A
 * database of 20,000 responses (five decode batches) holds, in the middle
 * of the id order, a row with a 15-byte id (written with CHECKs off, as a
 * damaged file would hold it). dataset_load() must return an error that
 * says reading failed, with the decode threads stopped, well within the
 * alarm; before the fix it waited for ever for a batch that was never
 * handed to the threads.
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

#define NROWS 20000

int
main(void)
{
	char dir[256], db[300], path[512], err[512];
	struct store *s = NULL;
	struct store_response r;
	struct dataset *d = NULL;
	struct form *f = NULL;
	struct diag dg;
	sqlite3 *sq;
	unsigned char bad[15];
	int i;

	alarm(60); /* a hang fails the test instead of the CI job */
	CHECK(sodium_init() >= 0);
	CHECK_INT(test_tmpdir(dir, sizeof(dir)), 0);
	snprintf(db, sizeof(db), "%s/candor.db", dir);
	test_src_path("tests/collector/mini.json", path, sizeof(path));
	diag_init(&dg);
	CHECK_INT(form_load(path, &f, &dg), 0);
	diag_free(&dg);
	if (f == NULL)
		return test_done();
	CHECK_INT(store_open(db, STORE_RDWR, &s, err, sizeof(err)), STORE_OK);
	CHECK_INT(store_begin(s), STORE_OK);
	for (i = 0; i < NROWS; i++) {
		memset(&r, 0, sizeof(r));
		randombytes_buf(r.id, sizeof(r.id));
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

	CHECK_INT(sqlite3_open(db, &sq), SQLITE_OK);
	CHECK_INT(sqlite3_exec(sq, "PRAGMA ignore_check_constraints = ON",
	    NULL, NULL, NULL), SQLITE_OK);
	{
		sqlite3_stmt *st;
		unsigned char h[32];
		memset(bad, 0x80, sizeof(bad));
		randombytes_buf(h, sizeof(h));
		CHECK_INT(sqlite3_prepare_v2(sq, "INSERT INTO response VALUES "
		    "(?1, 'mini', 1, '2026-01-01', '2026-11-25', '{}', '{}', ?2)",
		    -1, &st, NULL), SQLITE_OK);
		sqlite3_bind_blob(st, 1, bad, sizeof(bad), SQLITE_STATIC);
		sqlite3_bind_blob(st, 2, h, sizeof(h), SQLITE_STATIC);
		CHECK_INT(sqlite3_step(st), SQLITE_DONE);
		sqlite3_finalize(st);
	}
	sqlite3_close(sq);

	CHECK_INT(store_open(db, STORE_RDONLY, &s, err, sizeof(err)), STORE_OK);
	err[0] = '\0';
	CHECK_INT(dataset_load(s, f, NULL, NULL, &d, err, sizeof(err)), -1);
	CHECK(d == NULL);
	CHECK(strstr(err, "reading responses") != NULL);
	CHECK(strstr(err, "malformed id") != NULL);
	fprintf(stderr, "dataset_bad_read: %s\n", err);
	store_close(s);
	form_free(f);
	test_rmtree(dir);
	return test_done();
}
