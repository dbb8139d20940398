/*
 * A full disk gives a clear error to every submitter of the batch and no
 * partial row: the file holds exactly what was acknowledged before. The
 * disk is filled with PRAGMA max_page_count, which makes SQLite report
 * SQLITE_FULL exactly as a full file system does.
 */
#include <sqlite3.h>

#include "helpers.h"
#include "store_writer.h"

int
main(void)
{
	struct tdb t;
	struct store *s;
	sqlite3 *db;
	long acked = 0;
	int rc = STORE_OK;
	char big[4096];

	tdb_init(&t);
	store_close(tdb_open(&t, STORE_RDWR));
	s = tdb_open(&t, STORE_RDWR);
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	char answers[sizeof(big) + 16];
	snprintf(answers, sizeof(answers), "{\"t\":\"%.*s\"}", 4000, big);

	/* Cap the file a few pages above its current size. */
	{
		long pages = 0;
		sqlite3_stmt *st;
		CHECK_INT(sqlite3_open(t.path, &db), SQLITE_OK);
		CHECK_INT(sqlite3_prepare_v2(db, "PRAGMA page_count", -1, &st,
		    NULL), SQLITE_OK);
		if (sqlite3_step(st) == SQLITE_ROW)
			pages = sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
		sqlite3_close(db);
		CHECK_INT(store_set_max_pages(s, pages + 8), STORE_OK);
	}
	struct store_writer *w;
	CHECK_INT(store_writer_start(s, 16, &w), STORE_OK);
	for (unsigned i = 0; i < 200 && rc == STORE_OK; i++) {
		struct store_job job;
		memset(&job, 0, sizeof(job));
		job.kind = STORE_JOB_INSERT;
		make_response(&job.resp, i);
		job.resp.answers = answers;
		rc = store_writer_run(w, &job);
		if (rc == STORE_OK)
			acked++;
	}
	CHECK_INT(rc, STORE_FULL);
	CHECK(acked > 0);
	CHECK(strcmp(store_strerror(rc), "disk full") == 0);
	store_writer_stop(w);

	/* Exactly the acknowledged rows, and a sound file. */
	s = tdb_open(&t, STORE_RDONLY);
	CHECK_INT(tdb_count(s), acked);
	store_close(s);
	CHECK_INT(sqlite3_open(t.path, &db), SQLITE_OK);
	sqlite3_stmt *st;
	CHECK_INT(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL),
	    SQLITE_OK);
	CHECK(sqlite3_step(st) == SQLITE_ROW &&
	    strcmp((const char *)sqlite3_column_text(st, 0), "ok") == 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	test_rmtree(t.dir);
	return test_done();
}
