/*
 * The writer's draft sweep job (STORE_JOB_DRAFT_SWEEP), which a running
 * collector queues once a day: it deletes the drafts that expired before
 * the given day, keeps the others, and is visible to a second connection
 * once the job is complete.
 */
#include <sqlite3.h>

#include "helpers.h"
#include "store_writer.h"

static long
count_drafts(const char *path)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	long n = -1;

	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL) ==
	    SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT count(*) FROM draft", -1, &st,
	    NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static int
put(struct store_writer *w, unsigned char tag, const char *expires)
{
	struct store_job j;

	memset(&j, 0, sizeof(j));
	j.kind = STORE_JOB_DRAFT_PUT;
	memset(j.hash, tag, sizeof(j.hash));
	j.form_id = "mini";
	j.date = expires;
	j.state = "sealed";
	j.state_len = 6;
	return store_writer_run(w, &j);
}

int
main(void)
{
	struct tdb t;
	struct store_writer *w = NULL;
	struct store_job j;
	struct store *s;
	void *state = NULL;
	size_t len = 0;
	int scheme = 0;
	unsigned char keep[STORE_HASH_LEN];

	tdb_init(&t);
	CHECK_INT(store_writer_start(tdb_open(&t, STORE_RDWR), 16, &w),
	    STORE_OK);
	CHECK_INT(put(w, 1, "2026-11-20"), STORE_OK);
	CHECK_INT(put(w, 2, "2026-11-24"), STORE_OK);
	CHECK_INT(put(w, 3, "2026-11-25"), STORE_OK);
	CHECK_INT(put(w, 4, "2026-12-09"), STORE_OK);
	CHECK_INT(count_drafts(t.path), 4);

	memset(&j, 0, sizeof(j));
	j.kind = STORE_JOB_DRAFT_SWEEP;
	j.date = "2026-11-25";
	CHECK_INT(store_writer_run(w, &j), STORE_OK);
	/* Expired before the day: gone; expiring on it or later: kept. */
	CHECK_INT(count_drafts(t.path), 2);
	store_writer_stop(w);

	s = tdb_open(&t, STORE_RDONLY);
	memset(keep, 3, sizeof(keep));
	CHECK_INT(store_draft_get(s, keep, "2026-11-25", &state, &len, &scheme),
	    STORE_OK);
	CHECK(len == 6 && state != NULL && memcmp(state, "sealed", 6) == 0);
	free(state);
	memset(keep, 2, sizeof(keep));
	state = NULL;
	CHECK_INT(store_draft_get(s, keep, "2026-11-23", &state, &len, &scheme),
	    STORE_NOTFOUND);
	store_close(s);
	test_rmtree(t.dir);
	return test_done();
}
